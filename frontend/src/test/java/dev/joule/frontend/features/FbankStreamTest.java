package dev.joule.frontend.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.PcmFormat;
import dev.joule.frontend.audio.SampleEncoding;
import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming extraction gives exactly the whole-signal frames, whatever the chunking. */
class FbankStreamTest {
  static FloatMatrix streamed(FbankOptions o, float[] x, int[] chunkSizes) {
    FbankStream s = new FbankStream(o);
    float[] rows = new float[0];
    int count = 0;
    int pos = 0;
    for (int c = 0; pos < x.length; c++) {
      int n = Math.min(chunkSizes[c % chunkSizes.length], x.length - pos);
      FloatMatrix m = s.accept(x, pos, n);
      rows = append(rows, m);
      count += m.rows();
      pos += n;
    }
    FloatMatrix last = s.finish();
    rows = append(rows, last);
    count += last.rows();
    assertEquals(count, s.framesEmitted());
    return new FloatMatrix(count, o.dim(), rows);
  }

  static float[] append(float[] a, FloatMatrix m) {
    float[] c = Arrays.copyOf(a, a.length + m.data().length);
    System.arraycopy(m.data(), 0, c, a.length, m.data().length);
    return c;
  }

  @Test
  void oddChunkSizesGiveIdenticalFrames() throws IOException {
    float[] speech = FbankTest.speech(16000, 1.3);
    int[][] chunkings = {{1}, {7}, {159, 161}, {400}, {1000, 3, 0, 4097}, {speech.length}};
    for (boolean snip : new boolean[] {true, false}) {
      for (FbankOptions o : new FbankOptions[] {
        FbankOptions.builder().snipEdges(snip).build(),
        FbankOptions.builder().snipEdges(snip).useEnergy(true).frameShiftMs(12.5).build(),
      }) {
        FloatMatrix whole = new Fbank(o).compute(speech);
        for (int[] chunks : chunkings) {
          assertEquals(whole, streamed(o, speech, chunks), o + " chunks " + Arrays.toString(chunks));
        }
      }
    }
  }

  @Test
  void featuresFromAFileStreamTheSameFrames(@TempDir Path dir)
      throws IOException {
    float[] x = FbankTest.speech(16000, 2.5);
    Path f = dir.resolve("s.wav");
    WavWriter.write(f, new PcmFormat(16000, 1, 32, SampleEncoding.FLOAT, false), x, false);
    Fbank fbank = new Fbank(FbankOptions.defaults());
    try (AudioSource src = Audio.open(f, 16000)) {
      assertEquals(fbank.compute(x), Features.compute(src, fbank));
    }
  }

  @Test
  void anHourStreamsInBoundedMemory() {
    // One hour of 16 kHz audio in 0.1 s chunks (one noise chunk, repeated), never stored whole.
    FbankOptions o = FbankOptions.builder().snipEdges(false).build();
    FbankStream s = new FbankStream(o);
    float[] chunk = new float[1600];
    Random r = new Random(1);
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (float) (0.01 * r.nextGaussian());
    }
    long frames = 0;
    for (int c = 0; c < 36_000; c++) {
      frames += s.accept(chunk, 0, chunk.length).rows();
      assertTrue(s.bufferedSamples() <= chunk.length + o.windowSize(), "buffer " + s.bufferedSamples());
    }
    frames += s.finish().rows();
    assertEquals(360_000, frames);
    assertEquals(o.numFrames(3600L * 16000), frames);
  }

  @Test
  void veryShortSignalsMatchToo() {
    Random r = new Random(5);
    for (int n : new int[] {0, 1, 50, 79, 80, 100, 239, 240, 399, 400, 401, 561}) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) r.nextGaussian() * 0.1f;
      }
      for (boolean snip : new boolean[] {true, false}) {
        FbankOptions o = FbankOptions.builder().snipEdges(snip).build();
        FloatMatrix whole = new Fbank(o).compute(x);
        assertEquals(o.numFrames(n), whole.rows());
        assertEquals(whole, streamed(o, x, new int[] {3, 17}), "n=" + n + " snip=" + snip);
        if (!snip && n > 0) {
          assertEquals(0, FbankTest.maxDiff(whole, ReferenceFbank.compute(x, o)), 1e-3);
        }
      }
    }
  }
}
