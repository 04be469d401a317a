package dev.joule.frontend.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentTest {
  static float[] tone(double f, int rate, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.5 * Math.sin(2 * Math.PI * f * i / rate));
    }
    return x;
  }

  /** An in-memory source, to test the streaming path on the same samples. */
  record ArraySource(float[] x, int rate, int[] pos) implements AudioSource {
    @Override
    public int sampleRate() {
      return rate;
    }

    @Override
    public int read(float[] dst, int off, int len) {
      if (pos[0] == x.length) {
        return -1;
      }
      int n = Math.min(len, Math.min(777, x.length - pos[0]));
      System.arraycopy(x, pos[0], dst, off, n);
      pos[0] += n;
      return n;
    }

    @Override
    public void close() {}
  }

  @Test
  void speedPerturbationChangesPitchAndLength() throws IOException {
    float[] x = tone(1000, 16000, 16000);
    for (double factor : SpeedPerturbation.KALDI_FACTORS) {
      float[] y = SpeedPerturbation.apply(x, 16000, factor);
      assertEquals(Math.ceil(16000 / factor - 1e-9), y.length, 1.0, "length for " + factor);
      float[] expect = tone(1000 * factor, 16000, y.length);
      for (int i = 2000; i < y.length - 2000; i++) {
        assertEquals(expect[i], y[i], 2e-3, factor + " at " + i);
      }
      try (AudioSource s = SpeedPerturbation.apply(new ArraySource(x, 16000, new int[1]), factor)) {
        assertArrayEquals(y, Audio.readAll(s));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> SpeedPerturbation.apply(x, 16000, 3.0));
  }

  static FloatMatrix ramp(int frames, int bins) {
    FloatMatrix m = new FloatMatrix(frames, bins);
    for (int t = 0; t < frames; t++) {
      for (int b = 0; b < bins; b++) {
        m.set(t, b, 1 + t + 1000 * b);
      }
    }
    return m;
  }

  @Test
  void frequencyAndTimeMasksStayInBounds() {
    FloatMatrix x = ramp(300, 80);
    SpecAugment freqOnly = new SpecAugment(1, 27, 0, 0, 0, 0, 0f);
    SpecAugment timeOnly = new SpecAugment(0, 0, 1, 100, 0.05, 0, -7f);
    for (long seed = 0; seed < 50; seed++) {
      FloatMatrix f = freqOnly.apply(x, seed);
      int masked = 0;
      for (int b = 0; b < 80; b++) {
        boolean all = true;
        boolean none = true;
        for (int t = 0; t < 300; t++) {
          boolean m = f.get(t, b) == 0f;
          all &= m;
          none &= !m;
        }
        assertTrue(all || none, "a frequency mask covers whole columns");
        masked += all ? 1 : 0;
      }
      assertTrue(masked <= 27);
      FloatMatrix t = timeOnly.apply(x, seed);
      int rows = 0;
      for (int r = 0; r < 300; r++) {
        rows += t.get(r, 0) == -7f ? 1 : 0;
      }
      assertTrue(rows <= 15, "5% of 300 frames: " + rows);
    }
    assertEquals(ramp(300, 80), x, "the input is not modified");
  }

  @Test
  void deterministicUnderASeed() {
    FloatMatrix x = ramp(400, 80);
    SpecAugment sa = SpecAugment.librispeechDouble();
    assertEquals(sa.apply(x, 9), sa.apply(x, 9));
    assertFalse(sa.apply(x, 9).equals(sa.apply(x, 10)));
  }

  @Test
  void timeWarpMovesTheCentreAndKeepsTheEnds() {
    FloatMatrix x = ramp(100, 3);
    assertEquals(x, SpecAugment.warp(x, 40, 40));
    FloatMatrix w = SpecAugment.warp(x, 40, 45);
    assertEquals(x.get(40, 1), w.get(45, 1), 1e-3);
    assertEquals(x.get(0, 2), w.get(0, 2), 0);
    assertEquals(x.get(99, 0), w.get(99, 0), 1e-3);
    // Left side stretched by 45/40: output frame 9 reads source frame 8.
    assertEquals(x.get(8, 0), w.get(9, 0), 1e-3);
  }

  @Test
  void noiseIsMixedAtTheRequestedSnr() {
    Random r = new Random(1);
    float[] speech = tone(300, 16000, 16000);
    float[] noise = new float[5000];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) r.nextGaussian();
    }
    for (double snr : new double[] {-5, 0, 10, 20}) {
      float[] y = NoiseMixer.mix(speech, noise, snr, 3);
      double ps = 0;
      double pn = 0;
      for (int i = 0; i < y.length; i++) {
        double n = y[i] - speech[i];
        ps += speech[i] * speech[i];
        pn += n * n;
      }
      assertEquals(snr, 10 * Math.log10(ps / pn), 1e-3);
    }
    assertArrayEquals(NoiseMixer.mix(speech, noise, 5, 3), NoiseMixer.mix(speech, noise, 5, 3));
    assertThrows(IllegalArgumentException.class, () -> NoiseMixer.mix(new float[10], noise, 5, 3));
    assertThrows(IllegalArgumentException.class, () -> NoiseMixer.mix(speech, new float[0], 5, 3));
  }
}
