package dev.joule.frontend.features;

/**
 * Power spectrum of a real frame (float32 out): for a power-of-two length an iterative radix-2
 * complex FFT of half the length plus the usual split into even/odd parts; for other lengths
 * (Kaldi's {@code --round-to-power-of-two=false}) a direct DFT from a precomputed table.
 *
 * <p>It runs in float64. In float32 the rounding leaves a floor about 140 dB below the strongest
 * bin, which is above the window's side lobes for a pure tone: mel bins far from the tone then
 * differ from the exact values by up to 1% (0.01 in the log). Scalar double arithmetic costs the
 * JIT the same as float, so there is no speed reason to accept that.
 *
 * <p>Not thread-safe (scratch arrays); use one per thread.
 */
final class RealFft {
  private final int n;
  private final int half;
  private final boolean pow2;
  private final int[] bitReverse;
  /** Twiddles of the radix-2 stages of size 8, 16, ...: stageCos[i][k] = cos(2πk/size). */
  private final double[][] stageCos;
  private final double[][] stageSin;
  private final double[] splitCos;
  private final double[] splitSin;
  private final double[] re;
  private final double[] im;
  private final double[] dftCos;
  private final double[] dftSin;

  RealFft(int n) {
    if (n < 2) {
      throw new IllegalArgumentException("FFT length " + n);
    }
    this.n = n;
    this.half = n / 2;
    this.pow2 = Integer.bitCount(n) == 1 && n >= 4;
    if (pow2) {
      int bits = Integer.numberOfTrailingZeros(half);
      bitReverse = new int[half];
      for (int i = 0; i < half; i++) {
        bitReverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
      }
      int stages = Math.max(0, Integer.numberOfTrailingZeros(half) - 2);
      stageCos = new double[stages][];
      stageSin = new double[stages][];
      for (int st = 0; st < stages; st++) {
        int size = 8 << st;
        stageCos[st] = new double[size / 2];
        stageSin[st] = new double[size / 2];
        for (int k = 0; k < size / 2; k++) {
          stageCos[st][k] = Math.cos(2 * Math.PI * k / size);
          stageSin[st][k] = -Math.sin(2 * Math.PI * k / size);
        }
      }
      splitCos = new double[half + 1];
      splitSin = new double[half + 1];
      for (int k = 0; k <= half; k++) {
        splitCos[k] = Math.cos(2 * Math.PI * k / n);
        splitSin[k] = -Math.sin(2 * Math.PI * k / n);
      }
      re = new double[half];
      im = new double[half];
      dftCos = null;
      dftSin = null;
    } else {
      bitReverse = null;
      stageCos = stageSin = null;
      splitCos = splitSin = re = im = null;
      dftCos = new double[n];
      dftSin = new double[n];
      for (int k = 0; k < n; k++) {
        dftCos[k] = Math.cos(2 * Math.PI * k / n);
        dftSin[k] = -Math.sin(2 * Math.PI * k / n);
      }
    }
  }

  int length() {
    return n;
  }

  /** {@code power[k] = |X[k]|²} for {@code k = 0..n/2} of the DFT of {@code x[0..n)}. */
  void powerSpectrum(double[] x, float[] power) {
    if (!pow2) {
      dft(x, power);
      return;
    }
    for (int i = 0; i < half; i++) {
      int j = bitReverse[i];
      re[j] = x[2 * i];
      im[j] = x[2 * i + 1];
    }
    // Stages 1 and 2 together (radix 4): their twiddles are 1 and −i.
    for (int s = 0; s + 3 < half; s += 4) {
      double a0r = re[s] + re[s + 1];
      double a0i = im[s] + im[s + 1];
      double a1r = re[s] - re[s + 1];
      double a1i = im[s] - im[s + 1];
      double b0r = re[s + 2] + re[s + 3];
      double b0i = im[s + 2] + im[s + 3];
      double b1r = re[s + 2] - re[s + 3];
      double b1i = im[s + 2] - im[s + 3];
      re[s] = a0r + b0r;
      im[s] = a0i + b0i;
      re[s + 2] = a0r - b0r;
      im[s + 2] = a0i - b0i;
      // (b1r + i·b1i)·(−i) = b1i − i·b1r
      re[s + 1] = a1r + b1i;
      im[s + 1] = a1i - b1r;
      re[s + 3] = a1r - b1i;
      im[s + 3] = a1i + b1r;
    }
    if (half == 2) {
      double tr = re[1];
      double ti = im[1];
      re[1] = re[0] - tr;
      im[1] = im[0] - ti;
      re[0] += tr;
      im[0] += ti;
    }
    for (int size = 8, stage = 0; size <= half; size <<= 1, stage++) {
      int h = size >> 1;
      double[] wc = stageCos[stage];
      double[] ws = stageSin[stage];
      for (int s = 0; s < half; s += size) {
        for (int k = 0; k < h; k++) {
          int j = s + k;
          int l = j + h;
          double wr = wc[k];
          double wi = ws[k];
          double tr = wr * re[l] - wi * im[l];
          double ti = wr * im[l] + wi * re[l];
          re[l] = re[j] - tr;
          im[l] = im[j] - ti;
          re[j] += tr;
          im[j] += ti;
        }
      }
    }
    double dc = re[0] + im[0];
    double ny = re[0] - im[0];
    power[0] = (float) (dc * dc);
    power[half] = (float) (ny * ny);
    for (int k = 1; k < half; k++) {
      double ar = re[k];
      double ai = im[k];
      double br = re[half - k];
      double bi = -im[half - k];
      double er = 0.5 * (ar + br);
      double ei = 0.5 * (ai + bi);
      double or = 0.5 * (ai - bi);
      double oi = -0.5 * (ar - br);
      double wr = splitCos[k];
      double wi = splitSin[k];
      double xr = er + wr * or - wi * oi;
      double xi = ei + wr * oi + wi * or;
      power[k] = (float) (xr * xr + xi * xi);
    }
  }

  private void dft(double[] x, float[] power) {
    for (int k = 0; k <= half; k++) {
      double sr = 0;
      double si = 0;
      int idx = 0;
      for (int t = 0; t < n; t++) {
        sr += x[t] * dftCos[idx];
        si += x[t] * dftSin[idx];
        idx += k;
        if (idx >= n) {
          idx -= n;
        }
      }
      power[k] = (float) (sr * sr + si * si);
    }
  }
}
