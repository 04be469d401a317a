package dev.joule.frontend.audio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A stream of decoded, interleaved audio frames read a block at a time, so a file of any length
 * is read in bounded memory.
 */
public interface AudioInput extends Closeable {
  /** The file being read (named in every error). */
  Path file();

  /** The stored layout. */
  PcmFormat format();

  /** Frames (samples per channel) in the stream, known from the header. */
  long frames();

  /** Duration in seconds. */
  default double durationSeconds() {
    return frames() / (double) format().sampleRate();
  }

  /**
   * Reads up to {@code maxFrames} frames into {@code dst} (interleaved, floats in [-1, 1]) from
   * {@code off}; returns the number of frames read, or -1 at the end.
   *
   * @throws AudioFormatException when the file ends before the header said it would, or holds a
   *     non-finite float sample
   */
  int read(float[] dst, int off, int maxFrames) throws IOException;
}
