package dev.joule.frontend.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The polyphase resampler against a direct float64 evaluation, and its filter on pure tones. */
class ResamplerTest {
  /** Reference: every output sample summed directly over all inputs, in double. */
  static double[] reference(float[] x, int in, int out) {
    Resampler r = new Resampler(in, out);
    int n = (int) Resampler.outputLength(x.length, in, out);
    double[] y = new double[n];
    for (int m = 0; m < n; m++) {
      double t = m * (double) in / out;
      double acc = 0;
      for (int k = 0; k < x.length; k++) {
        acc += r.kernel(t - k) * x[k];
      }
      y[m] = acc;
    }
    return y;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"44100,16000", "8000,16000", "22050,16000", "48000,16000", "16000,16000",
      "11025,16000", "17600,16000", "14400,16000", "44101,16000"})
  void matchesDirectEvaluationAndStreamsIdentically(int in, int out) {
    Random rnd = new Random(in);
    float[] x = new float[1500];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 0.3);
    }
    double[] ref = reference(x, in, out);
    float[] whole = Resampler.resample(x, in, out);
    assertEquals(ref.length, whole.length);
    for (int i = 0; i < ref.length; i++) {
      assertEquals(ref[i], whole[i], 2e-5, "sample " + i);
    }
    // Odd chunk sizes, including empty chunks, give the very same samples.
    Resampler r = new Resampler(in, out);
    float[] streamed = new float[0];
    int pos = 0;
    int[] sizes = {1, 0, 7, 333, 2, 101};
    for (int c = 0; pos < x.length; c++) {
      int n = Math.min(sizes[c % sizes.length], x.length - pos);
      streamed = concat(streamed, r.process(x, pos, n));
      pos += n;
    }
    streamed = concat(streamed, r.finish());
    assertArrayEquals(whole, streamed);
  }

  @Test
  void longStreamsKeepABoundedBuffer() {
    Resampler r = new Resampler(44100, 16000);
    float[] chunk = new float[4410];
    long out = 0;
    for (int c = 0; c < 2000; c++) { // 200 s
      out += r.process(chunk, 0, chunk.length).length;
      assertTrue(r.bufferedSamples() <= chunk.length + 2 * Resampler.ZEROS / 0.9 * 44100 / 16000 + 2,
          "buffer " + r.bufferedSamples());
    }
    out += r.finish().length;
    assertEquals(200L * 16000, out);
  }

  static float[] concat(float[] a, float[] b) {
    float[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static float[] tone(double freq, int rate, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.5 * Math.sin(2 * Math.PI * freq * i / rate));
    }
    return x;
  }

  @Test
  void passesInBandTonesUnchanged() {
    for (int in : new int[] {8000, 22050, 44100, 48000}) {
      float[] y = Resampler.resample(tone(1000, in, in), in, 16000);
      float[] expect = tone(1000, 16000, 16000);
      // Away from the zero-padded edges the tone comes out at the same phase and level.
      for (int i = 2000; i < 14000; i++) {
        assertEquals(expect[i], y[i], 2e-3, in + " Hz, sample " + i);
      }
    }
  }

  @Test
  void removesTonesAboveTheNewNyquistFrequency() {
    for (double f : new double[] {8500, 10000, 15000, 20000}) {
      float[] y = Resampler.resample(tone(f, 48000, 48000), 48000, 16000);
      double rms = 0;
      for (int i = 2000; i < 14000; i++) {
        rms += y[i] * (double) y[i];
      }
      rms = Math.sqrt(rms / 12000);
      // 0.5 amplitude = RMS 0.354; -60 dB below that is 3.5e-4.
      assertTrue(rms < 3.5e-4, f + " Hz leaks through with RMS " + rms);
    }
  }

  @Test
  void outputLengthIsTheCeilingOfTheScaledLength() {
    assertEquals(16000, Resampler.outputLength(44100, 44100, 16000));
    assertEquals(1, Resampler.outputLength(1, 44100, 16000));
    assertEquals(2, Resampler.outputLength(3, 44100, 16000));
    assertEquals(6, Resampler.outputLength(3, 8000, 16000));
    assertEquals(0, Resampler.outputLength(0, 8000, 16000));
  }

  @Test
  void besselI0MatchesKnownValues() {
    assertEquals(1.0, Resampler.besselI0(0), 0);
    assertEquals(1.2660658777520082, Resampler.besselI0(1), 1e-15);
    assertEquals(2815.716628466254, Resampler.besselI0(10), 1e-9);
  }
}
