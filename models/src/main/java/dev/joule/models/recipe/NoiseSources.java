package dev.joule.models.recipe;

import java.util.SplittableRandom;

/**
 * Seeded background sounds for additive-noise augmentation, generated rather than read so that
 * no recording has to be shipped: pink noise (1/f), brown noise (1/f²) and "music" (random
 * notes of a pentatonic scale with harmonics, decaying envelopes and a bass line). Each is
 * normalised to an RMS of 0.1; the mixer scales it to the wanted SNR.
 */
public final class NoiseSources {
  private NoiseSources() {}

  /** {@code n} samples of {@code kind} at {@code rate} Hz from {@code seed}. */
  public static float[] generate(SynthesisPlan.Noise kind, int n, int rate, long seed) {
    return switch (kind) {
      case PINK -> pink(n, seed);
      case BROWN -> brown(n, seed);
      case MUSIC -> music(n, rate, seed);
      case NONE -> new float[n];
    };
  }

  /** Pink noise: Paul Kellet's filter of white noise. */
  public static float[] pink(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] out = new float[n];
    double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
    for (int i = 0; i < n; i++) {
      double w = r.nextDouble() * 2 - 1;
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.96900 * b2 + w * 0.1538520;
      b3 = 0.86650 * b3 + w * 0.3104856;
      b4 = 0.55000 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.0168980;
      out[i] = (float) (b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
      b6 = w * 0.115926;
    }
    return normalise(out);
  }

  /** Brown noise: leaky integral of white noise, high-passed to remove drift. */
  public static float[] brown(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] out = new float[n];
    double x = 0;
    for (int i = 0; i < n; i++) {
      x = 0.998 * x + (r.nextDouble() * 2 - 1) * 0.05;
      out[i] = (float) x;
    }
    return normalise(out);
  }

  /** Music-like sound: notes of a pentatonic scale with harmonics over a bass line, at a random tempo. */
  public static float[] music(int n, int rate, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] mix = new double[n];
    int[] scale = {0, 2, 4, 7, 9};
    double root = 110.0 * Math.pow(2, r.nextInt(12) / 12.0);
    double beat = 60.0 / (70 + r.nextInt(91)); // 70..160 bpm
    int beatSamples = Math.max(1, (int) (beat * rate));
    int harmonics = 2 + r.nextInt(4);
    for (int start = 0; start < n; start += beatSamples) {
      // melody: 1..2 notes per beat, sometimes a chord of two
      int voices = 1 + (r.nextDouble() < 0.3 ? 1 : 0);
      for (int v = 0; v < voices; v++) {
        int degree = scale[r.nextInt(scale.length)] + 12 * (1 + r.nextInt(2));
        addNote(mix, start, (int) (beatSamples * (1 + r.nextInt(2))), root * Math.pow(2, degree / 12.0),
            rate, harmonics, 0.5);
      }
      if ((start / beatSamples) % 2 == 0) {
        int degree = scale[r.nextInt(3)];
        addNote(mix, start, 2 * beatSamples, root / 2 * Math.pow(2, degree / 12.0), rate, 3, 0.7);
      }
    }
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) mix[i];
    }
    return normalise(out);
  }

  private static void addNote(double[] out, int start, int len, double freq, int rate, int harmonics, double amp) {
    double decay = 3.0 / len;
    for (int i = 0; i < len && start + i < out.length; i++) {
      double t = (double) i / rate;
      double env = Math.exp(-decay * i) * Math.min(1.0, i / (0.01 * rate));
      double v = 0;
      for (int h = 1; h <= harmonics; h++) {
        v += Math.sin(2 * Math.PI * freq * h * t) / h;
      }
      out[start + i] += amp * env * v;
    }
  }

  private static float[] normalise(float[] x) {
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= Math.max(1, x.length);
    double ss = 0;
    for (int i = 0; i < x.length; i++) {
      x[i] -= (float) mean;
      ss += x[i] * (double) x[i];
    }
    double rms = Math.sqrt(ss / Math.max(1, x.length));
    if (rms > 0) {
      float g = (float) (0.1 / rms);
      for (int i = 0; i < x.length; i++) {
        x[i] *= g;
      }
    }
    return x;
  }
}
