package dev.joule.frontend.audio;

import java.io.IOException;

/** Converts an {@link AudioSource} to another rate with a streaming {@link Resampler}. */
final class ResamplingSource implements AudioSource {
  private final AudioSource in;
  private final Resampler resampler;
  private final float[] chunk = new float[8192];
  private float[] pending = new float[0];
  private int pendingPos;
  private boolean ended;

  /** @param inRate the rate {@code in}'s samples are taken to have (normally its own) */
  ResamplingSource(AudioSource in, int inRate, int outRate) {
    this.in = in;
    this.resampler = new Resampler(inRate, outRate);
  }

  @Override
  public int sampleRate() {
    return resampler.outRate();
  }

  @Override
  public int read(float[] dst, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pendingPos == pending.length) {
      if (ended) {
        return -1;
      }
      int n = in.read(chunk, 0, chunk.length);
      if (n < 0) {
        ended = true;
        pending = resampler.finish();
      } else {
        pending = resampler.process(chunk, 0, n);
      }
      pendingPos = 0;
    }
    int n = Math.min(len, pending.length - pendingPos);
    System.arraycopy(pending, pendingPos, dst, off, n);
    pendingPos += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
