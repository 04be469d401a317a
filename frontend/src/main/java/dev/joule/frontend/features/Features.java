package dev.joule.frontend.features;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.AudioSource;
import java.io.IOException;
import java.util.Arrays;

/** Fbank features straight from an {@link AudioSource}, streamed or whole. */
public final class Features {
  private static final int BLOCK = 16000;

  private Features() {}

  /** Receives blocks of feature rows as they are computed. */
  @FunctionalInterface
  public interface RowSink {
    void rows(FloatMatrix rows) throws IOException;
  }

  /**
   * Reads {@code src} to the end a block at a time and passes every block of finished frames to
   * {@code sink}: memory stays bounded however long the audio is. Returns the number of frames.
   *
   * @throws IllegalArgumentException when the source's rate is not the options' rate
   */
  public static long stream(AudioSource src, Fbank fbank, RowSink sink) throws IOException {
    checkRate(src, fbank.options());
    FbankStream stream = new FbankStream(fbank);
    float[] buf = new float[BLOCK];
    int n;
    while ((n = src.read(buf, 0, buf.length)) >= 0) {
      FloatMatrix rows = stream.accept(buf, 0, n);
      if (rows.rows() > 0) {
        sink.rows(rows);
      }
    }
    FloatMatrix rest = stream.finish();
    if (rest.rows() > 0) {
      sink.rows(rest);
    }
    return stream.framesEmitted();
  }

  /** All frames of {@code src} in one matrix. */
  public static FloatMatrix compute(AudioSource src, Fbank fbank) throws IOException {
    int dim = fbank.dim();
    float[][] data = {new float[dim * 1024]};
    int[] rows = {0};
    stream(src, fbank, block -> {
      int need = (rows[0] + block.rows()) * dim;
      if (need > data[0].length) {
        data[0] = Arrays.copyOf(data[0], Math.max(need, data[0].length * 2));
      }
      System.arraycopy(block.data(), 0, data[0], rows[0] * dim, block.data().length);
      rows[0] += block.rows();
    });
    return new FloatMatrix(rows[0], dim, Arrays.copyOf(data[0], rows[0] * dim));
  }

  private static void checkRate(AudioSource src, FbankOptions o) {
    if (src.sampleRate() != o.sampleRate()) {
      throw new IllegalArgumentException(
          "audio is at " + src.sampleRate() + " Hz but the features expect " + o.sampleRate() + " Hz");
    }
  }
}
