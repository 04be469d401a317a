package dev.joule.frontend.augment;

import dev.joule.frontend.FloatMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * SpecAugment (Park et al., 2019) on a frames × bins feature matrix: optional time warping, then
 * frequency masks and time masks set to {@code maskValue} (0 suits CMVN-normalised features).
 * Deterministic: the same seed gives the same augmentation.
 *
 * <p>Time warp picks a centre {@code c} in {@code [W, T−W)} and a shift {@code w} in
 * {@code [−W, W]}, and moves frame {@code c} to {@code c + w}: the two sides are stretched
 * piecewise-linearly (linear interpolation between frames), the first and last frames stay.
 * A frequency mask covers {@code f ∈ [0, F]} consecutive bins, a time mask {@code t ∈ [0, T']}
 * frames with {@code T' = min(maxTimeWidth, ⌊maxTimeRatio·frames⌋)}.
 *
 * @param freqMasks number of frequency masks
 * @param maxFreqWidth F
 * @param timeMasks number of time masks
 * @param maxTimeWidth upper bound on a time mask's width in frames
 * @param maxTimeRatio upper bound on a time mask's width as a fraction of the frames
 * @param timeWarp W, 0 for none
 * @param maskValue value written into masked cells
 */
public record SpecAugment(
    int freqMasks, int maxFreqWidth, int timeMasks, int maxTimeWidth, double maxTimeRatio,
    int timeWarp, float maskValue) {

  public SpecAugment {
    if (freqMasks < 0 || maxFreqWidth < 0 || timeMasks < 0 || maxTimeWidth < 0 || timeWarp < 0
        || !(maxTimeRatio >= 0 && maxTimeRatio <= 1)) {
      throw new IllegalArgumentException("SpecAugment parameters must be non-negative (ratio <= 1)");
    }
  }

  /** LibriSpeech "LD" policy: 2 frequency masks of up to 27 bins, 2 time masks of up to 100 frames
   * (at most 5% of the utterance each), time warp 5. */
  public static SpecAugment librispeechDouble() {
    return new SpecAugment(2, 27, 2, 100, 0.05, 5, 0f);
  }

  /** An augmented copy of {@code feats}. */
  public FloatMatrix apply(FloatMatrix feats, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    FloatMatrix out = timeWarp > 0 ? warp(feats, rnd) : feats.copy();
    int frames = out.rows();
    int bins = out.cols();
    float[] d = out.data();
    for (int m = 0; m < freqMasks; m++) {
      int f = rnd.nextInt(Math.min(maxFreqWidth, bins) + 1);
      int f0 = rnd.nextInt(bins - f + 1);
      for (int t = 0; t < frames; t++) {
        Arrays.fill(d, t * bins + f0, t * bins + f0 + f, maskValue);
      }
    }
    int maxT = Math.min(maxTimeWidth, (int) Math.floor(maxTimeRatio * frames));
    for (int m = 0; m < timeMasks; m++) {
      int w = rnd.nextInt(maxT + 1);
      int t0 = rnd.nextInt(frames - w + 1);
      Arrays.fill(d, t0 * bins, (t0 + w) * bins, maskValue);
    }
    return out;
  }

  private FloatMatrix warp(FloatMatrix x, SplittableRandom rnd) {
    int frames = x.rows();
    if (frames <= 2 * timeWarp + 1) {
      return x.copy();
    }
    int centre = timeWarp + rnd.nextInt(frames - 2 * timeWarp);
    int shift = rnd.nextInt(2 * timeWarp + 1) - timeWarp;
    return warp(x, centre, centre + shift);
  }

  /** Moves frame {@code from} to {@code to}, stretching both sides linearly (end frames fixed). */
  static FloatMatrix warp(FloatMatrix x, int from, int to) {
    int frames = x.rows();
    int bins = x.cols();
    FloatMatrix out = new FloatMatrix(frames, bins);
    for (int t = 0; t < frames; t++) {
      double src = t <= to
          ? (to == 0 ? 0 : t * (double) from / to)
          : from + (t - to) * (double) (frames - 1 - from) / (frames - 1 - to);
      int i = (int) Math.floor(src);
      double a = src - i;
      int j = Math.min(i + 1, frames - 1);
      for (int b = 0; b < bins; b++) {
        out.set(t, b, (float) ((1 - a) * x.get(i, b) + a * x.get(j, b)));
      }
    }
    return out;
  }
}
