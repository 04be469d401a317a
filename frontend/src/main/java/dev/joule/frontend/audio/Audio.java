package dev.joule.frontend.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The front door for audio: any supported file as a mono stream at the rate the features need.
 *
 * <pre>{@code
 * try (AudioSource src = Audio.open(path, 16000)) { ... src.read(buf, 0, buf.length) ... }
 * float[] whole = Audio.readAll(path, 16000);   // only for audio known to be short
 * }</pre>
 */
public final class Audio {
  /** The rate Joule's models use. */
  public static final int MODEL_RATE = 16000;

  private Audio() {}

  /** {@code file} (WAV, AIFF, AU) downmixed to mono and resampled to {@code rate}. */
  public static AudioSource open(Path file, int rate) throws IOException {
    return mono(AudioFiles.open(file), rate);
  }

  /**
   * The part of {@code file} from {@code startSeconds} to {@code endSeconds} (negative: to the
   * end), cut at the file's own rate (sample {@code round(t·rate)}) before resampling, as Kaldi's
   * {@code extract-segments} does.
   *
   * @throws AudioFormatException when the segment starts after the end of the file
   */
  public static AudioSource open(Path file, int rate, double startSeconds, double endSeconds)
      throws IOException {
    if (!(startSeconds >= 0) || (endSeconds >= 0 && endSeconds <= startSeconds)) {
      throw new IllegalArgumentException(
          "bad segment " + startSeconds + " .. " + endSeconds + " s of " + file);
    }
    AudioInput in = AudioFiles.open(file);
    int srcRate = in.format().sampleRate();
    long start = Math.round(startSeconds * srcRate);
    long end = endSeconds < 0 ? -1 : Math.min(in.frames(), Math.round(endSeconds * srcRate));
    if (start >= in.frames() || (end >= 0 && end <= start)) {
      in.close();
      throw new AudioFormatException(file, String.format(
          "segment %.3f..%.3f s is outside the recording (%.3f s)", startSeconds, endSeconds,
          in.durationSeconds()));
    }
    AudioSource seg = new SegmentSource(new MonoSource(in), start, end);
    return srcRate == rate ? seg : new ResamplingSource(seg, srcRate, rate);
  }

  /** Headerless {@code file} laid out as {@code format}, downmixed and resampled to {@code rate}. */
  public static AudioSource openRaw(Path file, PcmFormat format, int rate) throws IOException {
    return mono(AudioFiles.openRaw(file, format), rate);
  }

  /** {@code input} downmixed to mono and resampled to {@code rate} (closing the result closes it). */
  public static AudioSource mono(AudioInput input, int rate) {
    AudioSource mono = new MonoSource(input);
    return mono.sampleRate() == rate ? mono : new ResamplingSource(mono, mono.sampleRate(), rate);
  }

  /**
   * {@code src} resampled to {@code outRate} as if its samples were taken at {@code inputRate}
   * (which need not be its real rate: that is how speed perturbation works).
   */
  public static AudioSource resampled(AudioSource src, int inputRate, int outRate) {
    return new ResamplingSource(src, inputRate, outRate);
  }

  /** Reads a whole file into memory, mono at {@code rate}. */
  public static float[] readAll(Path file, int rate) throws IOException {
    try (AudioSource src = open(file, rate)) {
      return readAll(src);
    }
  }

  /** Drains {@code src} into one array. */
  public static float[] readAll(AudioSource src) throws IOException {
    float[] out = new float[1 << 16];
    int n = 0;
    while (true) {
      if (n == out.length) {
        out = Arrays.copyOf(out, Math.addExact(out.length, out.length / 2));
      }
      int r = src.read(out, n, out.length - n);
      if (r < 0) {
        return Arrays.copyOf(out, n);
      }
      n += r;
    }
  }
}
