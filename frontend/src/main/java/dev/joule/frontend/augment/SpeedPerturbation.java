package dev.joule.frontend.augment;

import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.Resampler;

/**
 * Kaldi-style speed perturbation ({@code sox speed}): audio played {@code factor} times faster,
 * so both tempo and pitch change. The samples are taken to be at {@code rate·factor} and
 * resampled to {@code rate} with the band-limited {@link Resampler}: factor 0.9 makes 1 s of audio
 * last 1.11 s, 1.1 makes it 0.91 s.
 *
 * <p>{@code rate·factor} is rounded to whole hertz (exact for 0.9 and 1.1 at 8, 16, 44.1, 48 kHz).
 */
public final class SpeedPerturbation {
  private SpeedPerturbation() {}

  /** The usual training factors. */
  public static final double[] KALDI_FACTORS = {0.9, 1.0, 1.1};

  /** The perturbed signal. */
  public static float[] apply(float[] x, int rate, double factor) {
    int in = inputRate(rate, factor);
    return in == rate ? x.clone() : Resampler.resample(x, in, rate);
  }

  /** A perturbed stream of {@code src} (same rate out as in). */
  public static AudioSource apply(AudioSource src, double factor) {
    int in = inputRate(src.sampleRate(), factor);
    return in == src.sampleRate() ? src : Audio.resampled(src, in, src.sampleRate());
  }

  static int inputRate(int rate, double factor) {
    if (!(factor >= 0.5 && factor <= 2.0)) {
      throw new IllegalArgumentException("speed factor " + factor + " is outside 0.5..2");
    }
    return (int) Math.round(rate * factor);
  }
}
