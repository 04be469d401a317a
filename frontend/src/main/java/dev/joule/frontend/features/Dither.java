package dev.joule.frontend.features;

/**
 * Reproducible dither: Gaussian noise for frame {@code t} drawn from a SplitMix64 stream seeded by
 * {@code (seed, t)}, so a frame gets the same noise whether the audio arrives whole or in chunks,
 * on any JDK. (Kaldi draws from one global stream, which cannot be reproduced across chunkings.)
 *
 * <p>Each 64-bit draw yields five 12-bit indices into a table of the 4,096 standard normal
 * quantiles {@code Φ⁻¹((i + ½)/4096)}: a normal distribution discretised at 2⁻¹² probability
 * steps (tails cut at ±3.7σ), from a 32 KB table that stays in the L1 cache. Box–Muller's log,
 * sqrt and sin per pair of samples cost three times the rest of the fbank; for dither, whose only
 * job is to avoid log(0) and exact digital silence, the quantile table is as good.
 */
public final class Dither {
  private static final int BITS = 12;
  private static final int PER_DRAW = 64 / BITS;
  private static final double[] QUANTILES = new double[1 << BITS];

  static {
    for (int i = 0; i < QUANTILES.length; i++) {
      QUANTILES[i] = inverseNormalCdf((i + 0.5) / QUANTILES.length);
    }
  }

  private Dither() {}

  /** Adds {@code scale}·N(0, 1) to {@code x[0..n)} with frame {@code frame}'s noise. */
  public static void add(double[] x, int n, double scale, long seed, long frame) {
    long state = mix(seed * 0x9E3779B97F4A7C15L + frame + 0x632BE59BD9B4E019L);
    int mask = QUANTILES.length - 1;
    for (int i = 0; i < n; i += PER_DRAW) {
      state += 0x9E3779B97F4A7C15L;
      long bits = mix(state);
      for (int k = 0; k < PER_DRAW && i + k < n; k++, bits >>>= BITS) {
        x[i + k] += scale * QUANTILES[(int) bits & mask];
      }
    }
  }

  /** The noise {@link #add} adds to {@code n} samples of frame {@code frame}. */
  public static double[] noise(int n, double scale, long seed, long frame) {
    double[] z = new double[n];
    add(z, n, scale, seed, frame);
    return z;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation (relative error below 1.2e-9).
   */
  static double inverseNormalCdf(double p) {
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00};
    double q;
    double x;
    if (p < 0.02425) {
      q = Math.sqrt(-2 * Math.log(p));
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - 0.02425) {
      q = p - 0.5;
      double r = q * q;
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
          / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
      q = Math.sqrt(-2 * Math.log1p(-p));
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    return x;
  }
}
