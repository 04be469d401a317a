package dev.joule.frontend.io;

import dev.joule.frontend.FloatMatrix;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where feature matrices go, one utterance at a time, rows streamed: {@link #begin}, any number
 * of {@link #rows} blocks, {@link #end}.
 */
public interface FeatureSink extends Closeable {
  void begin(String utteranceId) throws IOException;

  void rows(FloatMatrix rows) throws IOException;

  void end() throws IOException;

  /** A whole utterance at once. */
  default void write(String utteranceId, FloatMatrix features) throws IOException {
    begin(utteranceId);
    rows(features);
    end();
  }
}
