package dev.joule.frontend.features;

import dev.joule.frontend.FloatMatrix;
import java.util.Arrays;
import java.util.Objects;

/**
 * Fbank features of audio that arrives in pieces, in bounded memory: each call returns the frames
 * that became complete. The frames are exactly those {@link Fbank#compute} gives for the whole
 * signal, whatever the chunk sizes: a frame is emitted once all its samples have arrived (and,
 * without snip-edges, once the frame count for the audio so far includes it); the last frames,
 * whose edge is mirrored, are emitted by {@link #finish()}.
 *
 * <p>Memory: the first frame's samples (for mirroring at the start) plus one frame of history.
 */
public final class FbankStream {
  private final Fbank fbank;
  private final FbankOptions opts;
  private final int length;
  private final double scale;
  private final float[] head;
  private int headLen;
  private float[] buf;
  private int bufLen;
  private long bufStart;
  private long samplesSeen;
  private long nextFrame;
  private boolean finished;
  private final double[] frame;

  public FbankStream(FbankOptions opts) {
    this(new Fbank(opts));
  }

  /** Streams with {@code fbank} (which must not be used by another thread meanwhile). */
  public FbankStream(Fbank fbank) {
    this.fbank = fbank;
    this.opts = fbank.options();
    this.length = opts.windowSize();
    this.scale = opts.inputScale();
    this.head = new float[length];
    this.buf = new float[Math.max(4 * length, 8192)];
    this.frame = new double[length];
  }

  public int dim() {
    return fbank.dim();
  }

  /** Samples accepted so far. */
  public long samplesSeen() {
    return samplesSeen;
  }

  /** Samples held for frames not yet emitted (bounded by one chunk plus one frame). */
  int bufferedSamples() {
    return bufLen;
  }

  /** Frames returned so far. */
  public long framesEmitted() {
    return nextFrame;
  }

  /** Adds {@code len} samples (floats in [-1, 1]) and returns the frames now complete. */
  public FloatMatrix accept(float[] x, int off, int len) {
    if (finished) {
      throw new IllegalStateException("accept() after finish()");
    }
    Objects.checkFromIndexSize(off, len, x.length);
    if (headLen < length) {
      int n = Math.min(len, length - headLen);
      for (int i = 0; i < n; i++) {
        head[headLen + i] = x[off + i];
      }
      headLen += n;
    }
    trim();
    if (bufLen + len > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(bufLen + len, 2 * buf.length));
    }
    System.arraycopy(x, off, buf, bufLen, len);
    bufLen += len;
    samplesSeen += len;
    long ready = nextFrame;
    long total = opts.numFrames(samplesSeen);
    while (ready < total && opts.firstSampleOfFrame(ready) + length <= samplesSeen) {
      ready++;
    }
    return emit(ready, samplesSeen);
  }

  /** Marks the end of the audio and returns the remaining frames. */
  public FloatMatrix finish() {
    if (finished) {
      return new FloatMatrix(0, dim());
    }
    finished = true;
    return emit(opts.numFrames(samplesSeen), samplesSeen);
  }

  private void trim() {
    // Keep from the first sample of the next frame (mirroring at the start reads head instead).
    long keep = Math.max(0, Math.min(opts.firstSampleOfFrame(nextFrame), bufStart + bufLen));
    int drop = (int) Math.max(0, keep - bufStart);
    if (drop > 0) {
      System.arraycopy(buf, drop, buf, 0, bufLen - drop);
      bufLen -= drop;
      bufStart += drop;
    }
  }

  private FloatMatrix emit(long endFrame, long n) {
    int count = (int) (endFrame - nextFrame);
    FloatMatrix out = new FloatMatrix(count, dim());
    for (int r = 0; r < count; r++, nextFrame++) {
      long start = opts.firstSampleOfFrame(nextFrame);
      for (int j = 0; j < length; j++) {
        long idx = start + j;
        if (idx < 0 || idx >= n) {
          idx = Fbank.reflect(idx, n);
        }
        frame[j] = scale * (idx < headLen ? head[(int) idx] : buf[(int) (idx - bufStart)]);
      }
      fbank.computeFrame(frame, nextFrame, out.data(), r * dim());
    }
    return out;
  }
}
