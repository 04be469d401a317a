package dev.joule.frontend.features;

/**
 * A deliberately plain float64 fbank written from Kaldi's documented algorithm
 * ({@code feature-window.cc}, {@code feature-fbank.cc}, {@code mel-computations.cc}), sharing no
 * code with {@link Fbank} except the options and the dither noise: frames by Kaldi's formulas,
 * windows from their closed forms, a naive O(N²) DFT, and full (dense) triangular mel weights.
 */
final class ReferenceFbank {
  private ReferenceFbank() {}

  static double[][] compute(float[] samples, FbankOptions o) {
    int n = samples.length;
    int len = (int) (o.sampleRate() * 0.001 * o.frameLengthMs());
    int shift = (int) (o.sampleRate() * 0.001 * o.frameShiftMs());
    int fftLen = len;
    if (o.roundToPowerOfTwo()) {
      fftLen = 1;
      while (fftLen < len) {
        fftLen *= 2;
      }
    }
    int frames = o.snipEdges() ? (n < len ? 0 : 1 + (n - len) / shift) : (n + shift / 2) / shift;
    double[][] out = new double[frames][];
    for (int f = 0; f < frames; f++) {
      int start = o.snipEdges() ? f * shift : f * shift + shift / 2 - len / 2;
      double[] w = new double[len];
      for (int j = 0; j < len; j++) {
        int s = start + j;
        while (s < 0 || s >= n) {
          s = s < 0 ? -s - 1 : 2 * n - 1 - s;
        }
        w[j] = samples[s] * o.inputScale();
      }
      out[f] = frame(w, f, fftLen, o);
    }
    return out;
  }

  static double[] frame(double[] w, long index, int fftLen, FbankOptions o) {
    int len = w.length;
    if (o.dither() != 0) {
      double[] z = Dither.noise(len, o.dither(), o.seed(), index);
      for (int i = 0; i < len; i++) {
        w[i] += z[i];
      }
    }
    if (o.removeDcOffset()) {
      double mean = 0;
      for (double v : w) {
        mean += v;
      }
      mean /= len;
      for (int i = 0; i < len; i++) {
        w[i] -= mean;
      }
    }
    double energy = 0;
    if (o.rawEnergy()) {
      for (double v : w) {
        energy += v * v;
      }
    }
    double p = o.preemphasis();
    double[] pre = new double[len];
    for (int i = 0; i < len; i++) {
      pre[i] = w[i] - p * (i == 0 ? w[0] : w[i - 1]);
    }
    double[] x = new double[fftLen];
    double a = 2 * Math.PI / (len - 1);
    for (int i = 0; i < len; i++) {
      double win =
          switch (o.window()) {
            case POVEY -> Math.pow(0.5 - 0.5 * Math.cos(a * i), 0.85);
            case HAMMING -> 0.54 - 0.46 * Math.cos(a * i);
            case HANNING -> 0.5 - 0.5 * Math.cos(a * i);
            case RECTANGULAR -> 1;
            case BLACKMAN -> 0.42 - 0.5 * Math.cos(a * i) + 0.08 * Math.cos(2 * a * i);
          };
      x[i] = pre[i] * win;
    }
    if (!o.rawEnergy()) {
      for (double v : x) {
        energy += v * v;
      }
    }
    // Naive DFT: X[k] = Σ_t x[t]·e^(−2πikt/N), with the N values of cos/sin tabulated.
    double[] cos = new double[fftLen];
    double[] sin = new double[fftLen];
    for (int j = 0; j < fftLen; j++) {
      cos[j] = Math.cos(2 * Math.PI * j / fftLen);
      sin[j] = Math.sin(2 * Math.PI * j / fftLen);
    }
    double[] spec = new double[fftLen / 2 + 1];
    for (int k = 0; k <= fftLen / 2; k++) {
      double re = 0;
      double im = 0;
      for (int t = 0; t < fftLen; t++) {
        int j = (int) ((long) k * t % fftLen);
        re += x[t] * cos[j];
        im -= x[t] * sin[j];
      }
      double power = re * re + im * im;
      spec[k] = o.usePower() ? power : Math.sqrt(power);
    }
    int bins = o.numMelBins();
    double nyquist = o.sampleRate() / 2;
    double high = o.highFreq() > 0 ? o.highFreq() : nyquist + o.highFreq();
    double melLow = 1127 * Math.log(1 + o.lowFreq() / 700);
    double melHigh = 1127 * Math.log(1 + high / 700);
    double delta = (melHigh - melLow) / (bins + 1);
    boolean energyCol = o.useEnergy();
    double[] out = new double[bins + (energyCol ? 1 : 0)];
    for (int b = 0; b < bins; b++) {
      double left = melLow + b * delta;
      double centre = left + delta;
      double right = centre + delta;
      double sum = 0;
      for (int i = 0; i < fftLen / 2; i++) {
        double mel = 1127 * Math.log(1 + (o.sampleRate() / fftLen) * i / 700);
        double weight = 0;
        if (mel > left && mel <= centre) {
          weight = (mel - left) / (centre - left);
        } else if (mel > centre && mel < right) {
          weight = (right - mel) / (right - centre);
        }
        sum += weight * spec[i];
      }
      double eps = Math.ulp(1.0f);
      out[b + (energyCol ? 1 : 0)] = o.useLogFbank() ? Math.log(Math.max(sum, eps)) : sum;
    }
    if (energyCol) {
      double floor = o.rawEnergy() ? Math.ulp(1.0f) : Float.MIN_NORMAL;
      double logE = Math.log(Math.max(energy, floor));
      if (o.energyFloor() > 0) {
        logE = Math.max(logE, Math.log(o.energyFloor()));
      }
      out[0] = logE;
    }
    return out;
  }
}
