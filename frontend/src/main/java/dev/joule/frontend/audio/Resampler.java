package dev.joule.frontend.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming band-limited resampler between any two integer rates: a Kaiser-windowed sinc low-pass
 * evaluated at the exact rational output times (polyphase).
 *
 * <p>Output sample {@code m} sits at input position {@code t = m·in/out}; it is
 * {@code Σ x[n]·h(t − n)} with {@code h(d) = s·sinc(s·d)·kaiser(d/W)}, where
 * {@code s = rolloff·min(in, out)/in} puts the cut-off at {@value #ROLLOFF} of the lower Nyquist
 * frequency and {@code W = ZEROS/s} is the half-width in input samples. Reduced by their gcd,
 * {@code out} is the number of distinct phases of {@code t}; up to {@value #MAX_TABLE_FLOATS}
 * weights are precomputed exactly. Beyond that (rates with a tiny gcd, e.g. 44,101 Hz) weights are
 * interpolated linearly from the kernel sampled {@value #KERNEL_STEPS} times per zero crossing
 * (relative error about 1e-6).
 *
 * <p>With β = {@value #KAISER_BETA} the stop band is attenuated by about 85 dB: a tone above the
 * new Nyquist frequency does not alias back into the band. Samples before the start and after the
 * end count as zero; the output has {@code ceil(inputLength·out/in)} samples, delivered in the
 * same order and with the same values whatever the chunk sizes passed to {@link #process}.
 */
public final class Resampler {
  static final double ROLLOFF = 0.90;
  static final int ZEROS = 32;
  static final double KAISER_BETA = 8.6;
  private static final int MAX_TABLE_FLOATS = 1 << 18;
  private static final double I0_BETA = besselI0(KAISER_BETA);
  static final int KERNEL_STEPS = 1024;

  private final int inRate;
  private final int outRate;
  private final long inStep;
  private final long outStep;
  private final double scale;
  private final double halfWidth;
  private final int kLo;
  private final int taps;
  private final float[][] table;
  private final double[] fineKernel;

  private float[] buf = new float[4096];
  private int bufLen;
  private long bufStart;
  private long inCount;
  private long outIndex;
  private boolean finished;

  public Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("rates must be positive: " + inRate + " -> " + outRate);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    long g = gcd(inRate, outRate);
    this.inStep = inRate / g;
    this.outStep = outRate / g;
    this.scale = ROLLOFF * Math.min(inRate, outRate) / inRate;
    this.halfWidth = ZEROS / scale;
    int w = (int) Math.floor(halfWidth);
    this.kLo = -w;
    this.taps = 2 * w + 2;
    if (outStep * taps <= MAX_TABLE_FLOATS) {
      table = new float[(int) outStep][taps];
      for (int p = 0; p < outStep; p++) {
        double frac = p / (double) outStep;
        for (int j = 0; j < taps; j++) {
          table[p][j] = (float) kernel(frac - (kLo + j));
        }
      }
      fineKernel = null;
    } else {
      table = null;
      // fineKernel[j] = kernel at j/KERNEL_STEPS zero crossings (d = j/(KERNEL_STEPS·scale)).
      fineKernel = new double[ZEROS * KERNEL_STEPS + 2];
      for (int j = 0; j < fineKernel.length; j++) {
        fineKernel[j] = kernel(j / (KERNEL_STEPS * scale));
      }
    }
  }

  /** {@link #kernel} by linear interpolation in {@code fineKernel}. */
  private double interpolatedKernel(double d) {
    double x = Math.abs(d) * scale * KERNEL_STEPS;
    int i = (int) x;
    if (i >= fineKernel.length - 1) {
      return 0;
    }
    double a = x - i;
    return fineKernel[i] + a * (fineKernel[i + 1] - fineKernel[i]);
  }

  public int inRate() {
    return inRate;
  }

  public int outRate() {
    return outRate;
  }

  /** Input samples held for outputs not yet produced (bounded by one chunk plus the filter). */
  int bufferedSamples() {
    return bufLen;
  }

  /** Number of output samples for {@code inputLength} input samples: ceil(len·out/in). */
  public static long outputLength(long inputLength, int inRate, int outRate) {
    long g = gcd(inRate, outRate);
    long i = inRate / g;
    long o = outRate / g;
    return Math.addExact(Math.multiplyExact(inputLength, o), i - 1) / i;
  }

  /** Resamples a whole signal. */
  public static float[] resample(float[] x, int inRate, int outRate) {
    Resampler r = new Resampler(inRate, outRate);
    float[] a = r.process(x, 0, x.length);
    float[] b = r.finish();
    float[] y = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, y, a.length, b.length);
    return y;
  }

  /** The filter at distance {@code d} input samples (0 outside the window). */
  double kernel(double d) {
    double ad = Math.abs(d);
    if (ad >= halfWidth) {
      return 0;
    }
    double x = scale * d;
    double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    double r = d / halfWidth;
    return scale * sinc * besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / I0_BETA;
  }

  /**
   * Feeds {@code len} samples and returns the output samples that are now complete (possibly none).
   */
  public float[] process(float[] x, int off, int len) {
    if (finished) {
      throw new IllegalStateException("process() after finish()");
    }
    Objects.checkFromIndexSize(off, len, x.length);
    append(x, off, len);
    inCount += len;
    // Output m is complete once its last input, base(m) + kLo + taps - 1, has arrived:
    // floor(m·i/o) <= L with L = inCount - kLo - taps  <=>  m < (L + 1)·o/i.
    long l1 = inCount - kLo - taps + 1;
    return produce(l1 <= 0 ? 0 : -Math.floorDiv(-l1 * outStep, inStep));
  }

  /** Marks the end of the input and returns the remaining output samples (zero-padded edge). */
  public float[] finish() {
    if (finished) {
      return new float[0];
    }
    finished = true;
    return produce(outputLength(inCount, inRate, outRate));
  }

  private long base(long m) {
    return Math.floorDiv(m * inStep, outStep);
  }

  private float[] produce(long endExclusive) {
    int n = (int) Math.max(0, endExclusive - outIndex);
    float[] y = new float[n];
    for (int i = 0; i < n; i++, outIndex++) {
      long pos = outIndex * inStep;
      long b = Math.floorDiv(pos, outStep);
      int phase = (int) (pos - b * outStep);
      long first = b + kLo;
      double acc = 0;
      if (table != null) {
        float[] w = table[phase];
        int start = (int) (first - bufStart);
        if (first >= 0 && first + taps <= inCount) {
          float sum = 0;
          for (int j = 0; j < taps; j++) {
            sum += w[j] * buf[start + j];
          }
          acc = sum;
        } else {
          for (int j = 0; j < taps; j++) {
            long idx = first + j;
            if (idx >= 0 && idx < inCount) {
              acc += w[j] * buf[(int) (idx - bufStart)];
            }
          }
        }
      } else {
        double frac = phase / (double) outStep;
        for (int j = 0; j < taps; j++) {
          long idx = first + j;
          if (idx >= 0 && idx < inCount) {
            acc += interpolatedKernel(frac - (kLo + j)) * buf[(int) (idx - bufStart)];
          }
        }
      }
      y[i] = (float) acc;
    }
    return y;
  }

  private void append(float[] x, int off, int len) {
    // Drop samples no future output needs: everything before base(outIndex) + kLo.
    long keepFrom = Math.max(bufStart, Math.min(base(outIndex) + kLo, bufStart + bufLen));
    int drop = (int) (keepFrom - bufStart);
    if (drop > 0) {
      System.arraycopy(buf, drop, buf, 0, bufLen - drop);
      bufLen -= drop;
      bufStart = keepFrom;
    }
    if (bufLen + len > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(bufLen + len, 2 * buf.length));
    }
    System.arraycopy(x, off, buf, bufLen, len);
    bufLen += len;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Modified Bessel function of the first kind, order 0 (power series; converges for all x). */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 200; k++) {
      term *= q / ((double) k * k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }
}
