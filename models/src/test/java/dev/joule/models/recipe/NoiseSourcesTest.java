package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.models.recipe.SynthesisPlan.Noise;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseSourcesTest {
  private static double rms(float[] x) {
    double s = 0;
    for (float v : x) {
      s += v * (double) v;
    }
    return Math.sqrt(s / x.length);
  }

  /** Energy of the first difference relative to the signal's: small for low-frequency noise. */
  private static double highFrequencyShare(float[] x) {
    double d = 0;
    for (int i = 1; i < x.length; i++) {
      double e = x[i] - x[i - 1];
      d += e * e;
    }
    return d / (rms(x) * rms(x) * x.length);
  }

  @Test
  void seededNormalisedAndDistinct() {
    for (Noise k : new Noise[] {Noise.PINK, Noise.BROWN, Noise.MUSIC}) {
      float[] a = NoiseSources.generate(k, 32000, 16000, 5);
      assertArrayEquals(a, NoiseSources.generate(k, 32000, 16000, 5), k.name());
      assertFalse(Arrays.equals(a, NoiseSources.generate(k, 32000, 16000, 6)), k.name());
      assertEquals(0.1, rms(a), 1e-3, k.name());
    }
    assertEquals(0.0, rms(NoiseSources.generate(Noise.NONE, 100, 16000, 1)));
  }

  @Test
  void spectralTilt() {
    // white noise has a first-difference share of about 2; pink far less; brown less still
    double pink = highFrequencyShare(NoiseSources.pink(64000, 1));
    double brown = highFrequencyShare(NoiseSources.brown(64000, 1));
    assertTrue(pink < 1.0, "pink " + pink);
    assertTrue(brown < pink, "brown " + brown + " pink " + pink);
  }
}
