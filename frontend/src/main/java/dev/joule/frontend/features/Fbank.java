package dev.joule.frontend.features;

import dev.joule.frontend.FloatMatrix;
import java.util.Arrays;

/**
 * Kaldi-compatible log mel filter-bank features ({@code compute-fbank-feats}): float32 samples in,
 * float32 features out, precomputed window and sparse mel weights, Joule's own real FFT.
 *
 * <p>Per frame, in Kaldi's order: scale samples to 16-bit range, add dither, remove the DC offset,
 * take the raw log energy, pre-emphasise ({@code x[i] −= p·x[i−1]}, {@code x[0] −= p·x[0]}),
 * multiply by the window, zero-pad to the FFT length, power (or magnitude) spectrum, mel filter bank,
 * {@code ln(max(·, FLT_EPSILON))}; with {@code use-energy} the log energy (floored by
 * {@code energy-floor}) is column 0.
 *
 * <p>One frame is processed in float64 (see {@link RealFft} for why);
 * the mel weights and the spectrum they are applied to are float32.
 *
 * <p>An instance holds scratch buffers: use one per thread. For audio that arrives in pieces, or
 * is too long to hold, use {@link FbankStream}, which gives identical frames.
 */
public final class Fbank {
  private static final float FLT_EPSILON = Math.ulp(1.0f);
  private static final double LOG_FLT_EPSILON = Math.log(FLT_EPSILON);

  private final FbankOptions opts;
  private final MelBanks mel;
  private final RealFft fft;
  private final double[] window;
  private final double[] padded;
  private final float[] spectrum;
  private final float[] melOut;
  private final int length;
  private final double logEnergyFloor;

  public Fbank(FbankOptions opts) {
    this.opts = opts;
    this.mel = new MelBanks(opts);
    this.length = opts.windowSize();
    this.fft = new RealFft(opts.paddedWindowSize());
    this.window = new double[length];
    for (int i = 0; i < length; i++) {
      window[i] = opts.window().value(i, length);
    }
    this.padded = new double[opts.paddedWindowSize()];
    this.spectrum = new float[opts.paddedWindowSize() / 2 + 1];
    this.melOut = new float[opts.numMelBins()];
    this.logEnergyFloor = opts.energyFloor() > 0 ? Math.log(opts.energyFloor()) : Double.NEGATIVE_INFINITY;
  }

  public FbankOptions options() {
    return opts;
  }

  /** Feature dimension ({@link FbankOptions#dim()}). */
  public int dim() {
    return opts.dim();
  }

  /** Features of a whole signal (floats in [-1, 1] at the options' sample rate). */
  public FloatMatrix compute(float[] samples) {
    long frames = opts.numFrames(samples.length);
    FloatMatrix out = new FloatMatrix((int) frames, dim());
    double[] frame = new double[length];
    int n = samples.length;
    double scale = opts.inputScale();
    for (int f = 0; f < frames; f++) {
      long start = opts.firstSampleOfFrame(f);
      if (start >= 0 && start + length <= n) {
        for (int j = 0; j < length; j++) {
          frame[j] = samples[(int) start + j] * scale;
        }
      } else {
        for (int j = 0; j < length; j++) {
          frame[j] = samples[(int) reflect(start + j, n)] * scale;
        }
      }
      computeFrame(frame, f, out.data(), f * dim());
    }
    return out;
  }

  /**
   * Kaldi's edge handling without snip-edges: indices outside {@code [0, n)} are mirrored
   * ({@code −1 → 0}, {@code n → n−1}); repeated for signals shorter than half a frame.
   */
  static long reflect(long idx, long n) {
    while (idx < 0 || idx >= n) {
      idx = idx < 0 ? -idx - 1 : 2 * n - 1 - idx;
    }
    return idx;
  }

  /**
   * Computes frame {@code frameIndex} from its {@code windowSize} samples, already multiplied by
   * the input scale ({@code frame} is overwritten), into {@code out[outOff .. outOff + dim)}.
   */
  void computeFrame(double[] frame, long frameIndex, float[] out, int outOff) {
    int len = length;
    if (opts.dither() != 0) {
      Dither.add(frame, len, opts.dither(), opts.seed(), frameIndex);
    }
    double mean = 0;
    if (opts.removeDcOffset()) {
      for (int i = 0; i < len; i++) {
        mean += frame[i];
      }
      mean /= len;
    }
    // One pass: DC removal, raw energy, pre-emphasis (x[i] − p·x[i−1], x[0] − p·x[0]) and window.
    double p = opts.preemphasis();
    double[] x = padded;
    double energy = 0;
    double prev = frame[0] - mean;
    for (int i = 0; i < len; i++) {
      double v = frame[i] - mean;
      energy += v * v;
      x[i] = (v - p * prev) * window[i];
      prev = v;
    }
    Arrays.fill(x, len, x.length, 0.0);
    double logEnergy = 0;
    if (opts.useEnergy() && opts.rawEnergy()) {
      logEnergy = Math.log(Math.max(energy, FLT_EPSILON));
    }
    if (opts.useEnergy() && !opts.rawEnergy()) {
      logEnergy = logEnergy(x, len, Float.MIN_NORMAL);
    }
    fft.powerSpectrum(x, spectrum);
    if (!opts.usePower()) {
      for (int k = 0; k < spectrum.length; k++) {
        spectrum[k] = (float) Math.sqrt(spectrum[k]);
      }
    }
    int melOff = outOff + (opts.useEnergy() ? 1 : 0);
    mel.apply(spectrum, melOut, 0);
    if (opts.useLogFbank()) {
      for (int b = 0; b < melOut.length; b++) {
        // min: absurdly loud input (float samples of 1e30) overflows float power to +inf;
        // features stay finite (ln(FLT_MAX) = 88.7) instead.
        float v = Math.min(melOut[b], Float.MAX_VALUE);
        out[melOff + b] = v > FLT_EPSILON ? (float) Math.log(v) : (float) LOG_FLT_EPSILON;
      }
    } else {
      for (int b = 0; b < melOut.length; b++) {
        out[melOff + b] = Math.min(melOut[b], Float.MAX_VALUE);
      }
    }
    if (opts.useEnergy()) {
      out[outOff] = (float) Math.min(Math.max(logEnergy, logEnergyFloor), Float.MAX_VALUE);
    }
  }

  private static double logEnergy(double[] x, int n, double floor) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += x[i] * x[i];
    }
    return Math.log(Math.max(sum, floor));
  }
}
