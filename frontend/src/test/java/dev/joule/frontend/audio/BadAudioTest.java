package dev.joule.frontend.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, lying and missing inputs: each gives an {@link AudioFormatException} naming the file
 * and the problem, never an OutOfMemoryError, a hang or garbage samples.
 */
class BadAudioTest {
  @TempDir Path dir;

  private Path good() throws IOException {
    Path f = dir.resolve("good.wav");
    WavWriter.write(f, new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 16000);
    return f;
  }

  /** The good file's bytes with an int32 (little-endian) overwritten at {@code pos}. */
  private Path patched(String name, int pos, int value, int width) throws IOException {
    byte[] b = Files.readAllBytes(good());
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    if (width == 4) {
      bb.putInt(pos, value);
    } else {
      bb.putShort(pos, (short) value);
    }
    Path f = dir.resolve(name);
    Files.write(f, b);
    return f;
  }

  private void assertFails(Path file, String expected) {
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> Audio.readAll(file, 16000));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void truncatedHeader() throws IOException {
    Path f = dir.resolve("short.wav");
    Files.write(f, Arrays.copyOf(Files.readAllBytes(good()), 10));
    assertFails(f, "truncated WAV header");
    Path g = dir.resolve("nofmt.wav");
    Files.write(g, Arrays.copyOf(Files.readAllBytes(good()), 30));
    assertFails(g, "truncated 'fmt '");
    Path h = dir.resolve("nodata.wav");
    Files.write(h, Arrays.copyOf(Files.readAllBytes(good()), 40));
    assertFails(h, "no 'data' chunk");
  }

  @Test
  void dataChunkLongerThanTheFile() throws IOException {
    assertFails(patched("lying.wav", 40, 0x7FFFFFF0, 4), "only 8 remain");
    assertFails(patched("lying2.wav", 40, 0xFFFFFFFE, 4), "4294967294 bytes");
  }

  @Test
  void pipeWrittenSizesMeanToTheEndOfTheFile() throws IOException {
    float[] expect = Audio.readAll(good(), 16000);
    for (int size : new int[] {0xFFFFFFFF, 0x7FFFF000}) {
      Path f = patched("piped.wav", 40, size, 4);
      Files.write(f, new byte[] {1}, StandardOpenOption.APPEND); // a partial frame
      assertArrayEquals(expect, Audio.readAll(f, 16000));
    }
  }

  @Test
  void hugeOtherChunksAndFmtSizes() throws IOException {
    assertFails(patched("fmtsize.wav", 16, 0x40000000, 4), "bad 'fmt ' chunk size");
  }

  @Test
  void zeroSamples() throws IOException {
    Path f = dir.resolve("empty.wav");
    WavWriter.write(f, new float[0], 16000);
    assertFails(f, "no samples");
    Path raw = dir.resolve("empty.raw");
    Files.write(raw, new byte[0]);
    AudioFormatException e = assertThrows(
        AudioFormatException.class, () -> AudioFiles.openRaw(raw, PcmFormat.s16le(16000)));
    assertTrue(e.getMessage().contains("no samples"), e.getMessage());
  }

  @Test
  void unsupportedCodec() throws IOException {
    assertFails(patched("adpcm.wav", 20, 2, 2), "unsupported WAV codec (format tag 0x0002)");
  }

  @Test
  void absurdChannelCountAndRate() throws IOException {
    assertFails(patched("channels.wav", 22, 1000, 2), "channel count 1000");
    assertFails(patched("rate0.wav", 24, 0, 4), "sample rate 0 Hz");
    assertFails(patched("rate4g.wav", 24, -5, 4), "sample rate 4294967291 Hz");
    assertFails(patched("align.wav", 32, 7, 2), "block align 7");
    assertFails(patched("bits.wav", 34, 12, 2), "12-bit");
  }

  @Test
  void directoryMissingEmptyAndUnknownFiles() throws IOException {
    assertFails(dir, "is a directory");
    assertFails(dir.resolve("missing.wav"), "no such file");
    Path empty = dir.resolve("empty.bin");
    Files.write(empty, new byte[0]);
    assertFails(empty, "empty file");
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "this is not audio at all");
    assertFails(text, "unrecognised audio format");
    Path raw = dir.resolve("x.raw");
    Files.write(raw, new byte[100]);
    assertFails(raw, "state its sample format");
    Path notWave = dir.resolve("avi.wav");
    byte[] b = Files.readAllBytes(good());
    b[8] = 'A';
    Files.write(notWave, b);
    assertFails(notWave, "not WAVE");
  }

  @Test
  void rawFileNotAWholeNumberOfFrames() throws IOException {
    Path raw = dir.resolve("odd.raw");
    Files.write(raw, new byte[101]);
    AudioFormatException e = assertThrows(
        AudioFormatException.class, () -> AudioFiles.openRaw(raw, PcmFormat.s16le(16000)));
    assertTrue(e.getMessage().contains("whole number"), e.getMessage());
  }

  @Test
  void nonFiniteFloatSamples() throws IOException {
    Path f = dir.resolve("nan.wav");
    WavWriter.write(f, new PcmFormat(16000, 1, 32, SampleEncoding.FLOAT, false),
        new float[] {0f, Float.NaN, 0f}, false);
    assertFails(f, "non-finite float sample at frame 1");
  }

  @Test
  void lyingAiffAndAuHeaders() throws IOException {
    // AU: ".snd", header size 24, data size 2^31-1 (lie), encoding 3 (16-bit), 16 kHz, 1 channel.
    ByteBuffer au = ByteBuffer.allocate(24 + 8).order(ByteOrder.BIG_ENDIAN);
    au.put(".snd".getBytes("US-ASCII")).putInt(24).putInt(0x7FFFFFFF).putInt(3).putInt(16000).putInt(1);
    Path f = dir.resolve("lying.au");
    Files.write(f, au.array());
    assertFails(f, "");
    // AU with an absurd channel count.
    au.putInt(20, 5000).putInt(8, 8);
    Path g = dir.resolve("channels.au");
    Files.write(g, au.array());
    assertFails(g, "");
    Path h = dir.resolve("trunc.aiff");
    Files.write(h, "FORM\u0000\u0000\u0000\u0004AIFF".getBytes("ISO-8859-1"));
    assertFails(h, "");
  }
}
