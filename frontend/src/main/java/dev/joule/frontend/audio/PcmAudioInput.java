package dev.joule.frontend.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Decodes {@code frames} frames of {@link PcmFormat} bytes from a stream positioned at the data. */
final class PcmAudioInput implements AudioInput {
  private static final int BLOCK_BYTES = 1 << 16;

  private final Path file;
  private final PcmFormat format;
  private final long frames;
  private final InputStream in;
  private final byte[] bytes;
  private long framesLeft;

  PcmAudioInput(Path file, PcmFormat format, long frames, InputStream in) {
    this.file = file;
    this.format = format;
    this.frames = frames;
    this.in = in;
    this.framesLeft = frames;
    this.bytes = new byte[Math.max(1, BLOCK_BYTES / format.bytesPerFrame()) * format.bytesPerFrame()];
  }

  @Override
  public Path file() {
    return file;
  }

  @Override
  public PcmFormat format() {
    return format;
  }

  @Override
  public long frames() {
    return frames;
  }

  @Override
  public int read(float[] dst, int off, int maxFrames) throws IOException {
    if (framesLeft == 0) {
      return -1;
    }
    int bpf = format.bytesPerFrame();
    int n = (int) Math.min(Math.min(maxFrames, framesLeft), bytes.length / bpf);
    if (n <= 0) {
      return 0;
    }
    int want = n * bpf;
    int got = in.readNBytes(bytes, 0, want);
    if (got < want) {
      throw new AudioFormatException(
          file, "file ends " + (framesLeft - got / bpf) + " frames before the end its header states");
    }
    int samples = n * format.channels();
    SampleDecoder.decode(format, bytes, 0, dst, off, samples);
    if (format.encoding() == SampleEncoding.FLOAT) {
      for (int i = off; i < off + samples; i++) {
        if (!Float.isFinite(dst[i])) {
          throw new AudioFormatException(
              file, "non-finite float sample at frame " + (frames - framesLeft + (i - off) / format.channels()));
        }
      }
    }
    framesLeft -= n;
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
