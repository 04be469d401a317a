package dev.joule.frontend.audio;

import java.io.IOException;

/** Samples {@code [start, end)} of another source (a Kaldi {@code segments} entry). */
final class SegmentSource implements AudioSource {
  private final AudioSource in;
  private long toSkip;
  private long left;
  private final float[] skipBuf = new float[8192];

  /** @param end exclusive end sample, or -1 for the end of the source */
  SegmentSource(AudioSource in, long start, long end) {
    this.in = in;
    this.toSkip = start;
    this.left = end < 0 ? Long.MAX_VALUE : end - start;
  }

  @Override
  public int sampleRate() {
    return in.sampleRate();
  }

  @Override
  public int read(float[] dst, int off, int len) throws IOException {
    while (toSkip > 0) {
      int n = in.read(skipBuf, 0, (int) Math.min(skipBuf.length, toSkip));
      if (n < 0) {
        return -1;
      }
      toSkip -= n;
    }
    if (left == 0 || len == 0) {
      return left == 0 ? -1 : 0;
    }
    int n = in.read(dst, off, (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
