package dev.joule.frontend.audio;

import java.io.Closeable;
import java.io.IOException;

/** A mono stream of float samples in [-1, 1], read a block at a time. */
public interface AudioSource extends Closeable {
  int sampleRate();

  /**
   * Reads up to {@code len} samples into {@code dst} from {@code off}; returns how many were read,
   * or -1 at the end. Never returns 0 for {@code len > 0}.
   */
  int read(float[] dst, int off, int len) throws IOException;
}
