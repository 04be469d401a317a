package dev.joule.frontend.augment;

import java.util.SplittableRandom;

/**
 * Additive noise at a given signal-to-noise ratio: the noise (looped if shorter than the speech,
 * starting at a seeded random offset) is scaled so that
 * {@code 10·log10(P_speech / P_noise) = snrDb}, powers being mean squares over the speech's length.
 */
public final class NoiseMixer {
  private NoiseMixer() {}

  /**
   * {@code speech + g·noise} with {@code g} chosen for {@code snrDb}.
   *
   * @throws IllegalArgumentException when speech or noise is empty or silent (no SNR exists)
   */
  public static float[] mix(float[] speech, float[] noise, double snrDb, long seed) {
    if (speech.length == 0 || noise.length == 0) {
      throw new IllegalArgumentException("speech and noise must not be empty");
    }
    if (!Double.isFinite(snrDb)) {
      throw new IllegalArgumentException("SNR must be finite: " + snrDb);
    }
    int offset = new SplittableRandom(seed).nextInt(noise.length);
    double ps = 0;
    double pn = 0;
    for (int i = 0; i < speech.length; i++) {
      double n = noise[(offset + i) % noise.length];
      ps += speech[i] * (double) speech[i];
      pn += n * n;
    }
    if (ps == 0 || pn == 0) {
      throw new IllegalArgumentException((ps == 0 ? "speech" : "noise") + " is silent: SNR is undefined");
    }
    double g = Math.sqrt(ps / pn / Math.pow(10, snrDb / 10));
    float[] out = new float[speech.length];
    for (int i = 0; i < speech.length; i++) {
      out[i] = (float) (speech[i] + g * noise[(offset + i) % noise.length]);
    }
    return out;
  }
}
