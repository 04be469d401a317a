package dev.joule.frontend.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every supported layout, written to a real file and read back. */
class AudioReadTest {
  @TempDir Path dir;

  static List<Object[]> layouts() {
    List<Object[]> out = new ArrayList<>();
    Object[][] formats = {
      {8, SampleEncoding.PCM_UNSIGNED, 1.0 / 128},
      {16, SampleEncoding.PCM_SIGNED, 1.0 / 32768},
      {24, SampleEncoding.PCM_SIGNED, 1.0 / 8388608},
      {32, SampleEncoding.PCM_SIGNED, 1e-7},
      {32, SampleEncoding.FLOAT, 0.0},
      {64, SampleEncoding.FLOAT, 0.0},
      {8, SampleEncoding.ULAW, 0.0},
      {8, SampleEncoding.ALAW, 0.0},
    };
    for (Object[] f : formats) {
      for (boolean be : new boolean[] {false, true}) {
        for (boolean ext : new boolean[] {false, true}) {
          out.add(new Object[] {f[0], f[1], f[2], be, ext});
        }
      }
    }
    return out;
  }

  /** A stereo test signal: a 440 Hz tone left, a 1 kHz tone at another level right. */
  static float[] stereo(int rate, int frames) {
    float[] x = new float[2 * frames];
    for (int i = 0; i < frames; i++) {
      x[2 * i] = (float) (0.6 * Math.sin(2 * Math.PI * 440 * i / rate));
      x[2 * i + 1] = (float) (-0.3 * Math.cos(2 * Math.PI * 1000 * i / rate));
    }
    return x;
  }

  @ParameterizedTest(name = "{0}-bit {1} bigEndian={3} extensible={4}")
  @MethodSource("layouts")
  void readsEveryWavLayout(int bits, SampleEncoding enc, double step, boolean be, boolean ext)
      throws IOException {
    PcmFormat format = new PcmFormat(22050, 2, bits, enc, be);
    float[] x = stereo(22050, 3001);
    Path file = dir.resolve("t.wav");
    WavWriter.write(file, format, x, ext);
    byte[] head = Files.readAllBytes(file);
    assertEquals(be ? "RIFX" : "RIFF", new String(head, 0, 4, "US-ASCII"));
    try (AudioInput in = AudioFiles.open(file)) {
      assertEquals(format, in.format());
      assertEquals(3001, in.frames());
      assertEquals(3001 / 22050.0, in.durationSeconds(), 1e-12);
      float[] y = readAllFrames(in, 2 * 3001, 777);
      for (int i = 0; i < x.length; i++) {
        double tol = enc == SampleEncoding.ULAW || enc == SampleEncoding.ALAW
            ? Math.abs(x[i]) / 16 + 1.0 / 512 // G.711 keeps about 4 bits of mantissa
            : step / 2 + 1e-9;
        assertEquals(x[i], y[i], tol, "sample " + i);
      }
    }
  }

  static float[] readAllFrames(AudioInput in, int samples, int block) throws IOException {
    float[] y = new float[samples];
    int ch = in.format().channels();
    int pos = 0;
    int n;
    while ((n = in.read(y, pos, Math.min(block, (samples - pos) / ch + 1))) > 0) {
      pos += n * ch;
    }
    assertEquals(samples, pos);
    assertEquals(-1, in.read(y, 0, 1));
    return y;
  }

  @Test
  void g711TablesRoundTripAndMatchKnownValues() {
    assertEquals(-32124, SampleDecoder.ulawToLinear(0x00));
    assertEquals(32124, SampleDecoder.ulawToLinear(0x80));
    assertEquals(0, SampleDecoder.ulawToLinear(0xFF));
    assertEquals(-8, SampleDecoder.alawToLinear(0x55));
    assertEquals(8, SampleDecoder.alawToLinear(0xD5));
    assertEquals(32256, SampleDecoder.alawToLinear(0xAA));
    for (int c = 0; c < 256; c++) {
      if (c != 0x7F) { // µ-law has two zeros; 0 encodes as 0xFF
        assertEquals(c, SampleEncoder.linearToUlaw(SampleDecoder.ulawToLinear(c)), "ulaw " + c);
      }
      assertEquals(c, SampleEncoder.linearToAlaw(SampleDecoder.alawToLinear(c)), "alaw " + c);
    }
  }

  @Test
  void skipsUnknownChunksIncludingOddSizedOnes() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Path plain = dir.resolve("plain.wav");
    float[] x = {0.5f, -0.25f, 0.125f};
    WavWriter.write(plain, x, 16000);
    byte[] p = Files.readAllBytes(plain);
    b.write(p, 0, 12);
    b.write("LIST".getBytes("US-ASCII"));
    b.write(new byte[] {5, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 0}); // odd size + pad byte
    b.write(p, 12, p.length - 12);
    Path withList = dir.resolve("list.wav");
    Files.write(withList, b.toByteArray());
    assertArrayEquals(x, Audio.readAll(withList, 16000));
  }

  @Test
  void readsAiffAndAuThroughJavaSound() throws Exception {
    float[] x = stereo(16000, 1600);
    byte[] pcm = new byte[x.length * 2];
    PcmFormat be16 = new PcmFormat(16000, 2, 16, SampleEncoding.PCM_SIGNED, true);
    SampleEncoder.encode(be16, x, 0, pcm, 0, x.length);
    AudioFormat af = new AudioFormat(16000, 16, 2, true, true);
    for (AudioFileFormat.Type type : new AudioFileFormat.Type[] {AudioFileFormat.Type.AIFF, AudioFileFormat.Type.AU}) {
      Path file = dir.resolve("t." + type.getExtension());
      try (AudioInputStream ais = new AudioInputStream(new java.io.ByteArrayInputStream(pcm), af, 1600)) {
        AudioSystem.write(ais, type, file.toFile());
      }
      try (AudioInput in = AudioFiles.open(file)) {
        assertEquals(be16, in.format(), type.toString());
        assertEquals(1600, in.frames());
        float[] y = readAllFrames(in, x.length, 500);
        for (int i = 0; i < x.length; i++) {
          assertEquals(x[i], y[i], 1.0 / 65536, type + " sample " + i);
        }
      }
    }
  }

  @Test
  void readsRawPcmWithAStatedFormat() throws IOException {
    float[] x = stereo(8000, 999);
    PcmFormat f = new PcmFormat(8000, 2, 24, SampleEncoding.PCM_SIGNED, true);
    byte[] raw = new byte[x.length * 3];
    SampleEncoder.encode(f, x, 0, raw, 0, x.length);
    Path file = dir.resolve("t.raw");
    Files.write(file, raw);
    try (AudioInput in = AudioFiles.openRaw(file, f)) {
      assertEquals(999, in.frames());
      float[] y = readAllFrames(in, x.length, 64);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 1e-6);
      }
    }
  }

  @Test
  void downmixesToMonoByAveraging() throws IOException {
    float[] x = stereo(16000, 1000);
    Path file = dir.resolve("s.wav");
    WavWriter.write(file, new PcmFormat(16000, 2, 32, SampleEncoding.FLOAT, false), x, false);
    float[] mono = Audio.readAll(file, 16000);
    assertEquals(1000, mono.length);
    for (int i = 0; i < 1000; i++) {
      assertEquals((x[2 * i] + x[2 * i + 1]) / 2, mono[i], 1e-7);
    }
  }

  @Test
  void infoReportsDuration() throws IOException {
    Path file = dir.resolve("d.wav");
    WavWriter.write(file, new float[44100 * 3 / 2], 44100);
    AudioInfo info = AudioFiles.info(file);
    assertEquals(1.5, info.durationSeconds(), 1e-12);
    assertEquals(44100, info.format().sampleRate());
  }

  @Test
  void pocketsphinxTestSpeechWhenInstalled() throws IOException {
    Path raw = Path.of("/usr/share/pocketsphinx/test/data/goforward.raw");
    Path wav = Path.of("/usr/share/pocketsphinx/test/data/cards/001.wav");
    if (Files.isRegularFile(raw)) {
      try (AudioInput in = AudioFiles.openRaw(raw, PcmFormat.s16le(16000))) {
        assertEquals(Files.size(raw) / 2, in.frames());
      }
    }
    if (Files.isRegularFile(wav)) {
      AudioInfo info = AudioFiles.info(wav);
      float[] x = Audio.readAll(wav, 16000);
      assertEquals(Math.ceil(info.frames() * 16000.0 / info.format().sampleRate()), x.length, 0.0);
      double energy = 0;
      for (float v : x) {
        energy += v * v;
      }
      assertTrue(energy > 0, "speech is not silence");
    }
  }
}
