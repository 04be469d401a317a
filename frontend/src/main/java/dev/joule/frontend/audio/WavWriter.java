package dev.joule.frontend.audio;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes WAV files in any layout {@link WavReader} reads: RIFF or RIFX (by
 * {@link PcmFormat#bigEndian()}), plain or {@code WAVE_FORMAT_EXTENSIBLE} headers.
 */
public final class WavWriter {
  private WavWriter() {}

  /** Writes 16-bit mono little-endian PCM, the usual layout for speech. */
  public static void write(Path file, float[] samples, int sampleRate) throws IOException {
    write(file, PcmFormat.s16le(sampleRate), samples, false);
  }

  /**
   * Writes interleaved {@code samples} (floats in [-1, 1], clipped) as {@code format}.
   *
   * @param extensible write a {@code WAVE_FORMAT_EXTENSIBLE} {@code fmt } chunk
   */
  public static void write(Path file, PcmFormat format, float[] samples, boolean extensible)
      throws IOException {
    if (samples.length % format.channels() != 0) {
      throw new IllegalArgumentException(
          samples.length + " samples is not a whole number of " + format.channels() + "-channel frames");
    }
    long dataBytes = (long) samples.length * format.bytesPerSample();
    int fmtBytes = extensible ? 40 : 16;
    long riffBytes = 4 + 8 + fmtBytes + 8 + dataBytes + (dataBytes & 1);
    if (riffBytes > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("too much audio for one WAV file: " + dataBytes + " bytes");
    }
    boolean be = format.bigEndian();
    int tag =
        switch (format.encoding()) {
          case PCM_SIGNED, PCM_UNSIGNED -> 1;
          case FLOAT -> 3;
          case ALAW -> 6;
          case ULAW -> 7;
        };
    if (format.bitsPerSample() == 8 && format.encoding() == SampleEncoding.PCM_SIGNED) {
      throw new IllegalArgumentException("8-bit WAV PCM is unsigned by definition");
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write((be ? "RIFX" : "RIFF").getBytes(US_ASCII));
      int32(out, (int) riffBytes, be);
      out.write("WAVEfmt ".getBytes(US_ASCII));
      int32(out, fmtBytes, be);
      int16(out, extensible ? 0xFFFE : tag, be);
      int16(out, format.channels(), be);
      int32(out, format.sampleRate(), be);
      int32(out, format.sampleRate() * format.bytesPerFrame(), be);
      int16(out, format.bytesPerFrame(), be);
      int16(out, format.bitsPerSample(), be);
      if (extensible) {
        int16(out, 22, be);
        int16(out, format.bitsPerSample(), be);
        int32(out, 0, be);
        // KSDATAFORMAT_SUBTYPE GUID: {0000TTTT-0000-0010-8000-00AA00389B71}
        int32(out, tag, be);
        int16(out, 0, be);
        int16(out, 0x10, be);
        out.write(new byte[] {(byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
      }
      out.write("data".getBytes(US_ASCII));
      int32(out, (int) dataBytes, be);
      byte[] block = new byte[4096 * format.bytesPerSample()];
      for (int i = 0; i < samples.length; i += 4096) {
        int n = Math.min(4096, samples.length - i);
        SampleEncoder.encode(format, samples, i, block, 0, n);
        out.write(block, 0, n * format.bytesPerSample());
      }
      if ((dataBytes & 1) == 1) {
        out.write(0);
      }
    }
  }

  private static void int32(OutputStream out, int v, boolean be) throws IOException {
    for (int k = 0; k < 4; k++) {
      out.write(v >> (8 * (be ? 3 - k : k)));
    }
  }

  private static void int16(OutputStream out, int v, boolean be) throws IOException {
    out.write(be ? v >> 8 : v);
    out.write(be ? v : v >> 8);
  }
}
