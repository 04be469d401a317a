package dev.joule.frontend.audio;

import java.io.IOException;

/** Downmixes an {@link AudioInput} to mono by averaging its channels. */
final class MonoSource implements AudioSource {
  private final AudioInput in;
  private final int channels;
  private float[] frames = new float[0];

  MonoSource(AudioInput in) {
    this.in = in;
    this.channels = in.format().channels();
  }

  @Override
  public int sampleRate() {
    return in.format().sampleRate();
  }

  @Override
  public int read(float[] dst, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (channels == 1) {
      return in.read(dst, off, len);
    }
    if (frames.length < len * channels) {
      frames = new float[len * channels];
    }
    int n = in.read(frames, 0, len);
    if (n <= 0) {
      return n;
    }
    float inv = 1f / channels;
    for (int i = 0, p = 0; i < n; i++) {
      float sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += frames[p++];
      }
      dst[off + i] = sum * inv;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
