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
  private final double[] twCos;
  private final double[] twSin;
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
      twCos = new double[Math.max(1, half / 2)];
      twSin = new double[Math.max(1, half / 2)];
      for (int k = 0; k < half / 2; k++) {
        twCos[k] = Math.cos(2 * Math.PI * k / half);
        twSin[k] = -Math.sin(2 * Math.PI * k / half);
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
      twCos = twSin = splitCos = splitSin = re = im = null;
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
    // First stage: every twiddle is 1.
    for (int s = 0; s + 1 < half; s += 2) {
      double tr = re[s + 1];
      double ti = im[s + 1];
      re[s + 1] = re[s] - tr;
      im[s + 1] = im[s] - ti;
      re[s] += tr;
      im[s] += ti;
    }
    for (int size = 4; size <= half; size <<= 1) {
      int h = size >> 1;
      int step = half / size;
      for (int k = 0; k < h; k++) {
        double wr = twCos[k * step];
        double wi = twSin[k * step];
        for (int s = k; s < half; s += size) {
          int l = s + h;
          double tr = wr * re[l] - wi * im[l];
          double ti = wr * im[l] + wi * re[l];
          re[l] = re[s] - tr;
          im[l] = im[s] - ti;
          re[s] += tr;
          im[s] += ti;
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
