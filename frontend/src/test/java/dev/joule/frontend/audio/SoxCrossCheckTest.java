package dev.joule.frontend.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by SoX (an independent implementation) in every layout, read by Joule and compared
 * with SoX's own decoding of the same file to raw 32-bit floats. Skipped where {@code sox} is not
 * installed (Debian package {@code sox}); nothing else depends on it.
 */
class SoxCrossCheckTest {
  @TempDir Path dir;

  static boolean haveSox() {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!p.isEmpty() && Files.isExecutable(Path.of(p, "sox"))) {
        return true;
      }
    }
    return false;
  }

  private void sox(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sox", "-V1"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
  }

  @Test
  void readsWavThatSoxStreamedToAPipe() throws Exception {
    Assumptions.assumeTrue(haveSox(), "sox not installed");
    Path direct = dir.resolve("direct.wav");
    Path piped = dir.resolve("piped.wav");
    sox("-n", "-r", "16000", "-b", "16", direct.toString(), "synth", "0.2", "sine", "440");
    Process p = new ProcessBuilder("sh", "-c", "sox -V1 " + direct + " -t wav - | cat > " + piped)
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
    assertArrayEquals(Audio.readAll(direct, 16000), Audio.readAll(piped, 16000));
  }

  @Test
  void readsWhatSoxWrites() throws Exception {
    Assumptions.assumeTrue(haveSox(), "sox not installed");
    String[][] layouts = {
      {"u8.wav", "-e", "unsigned-integer", "-b", "8"},
      {"s16.wav", "-e", "signed-integer", "-b", "16"},
      {"s24.wav", "-e", "signed-integer", "-b", "24"},
      {"s32.wav", "-e", "signed-integer", "-b", "32"},
      {"f32.wav", "-e", "floating-point", "-b", "32"},
      {"f64.wav", "-e", "floating-point", "-b", "64"},
      {"mu.wav", "-e", "mu-law", "-b", "8"},
      {"a.wav", "-e", "a-law", "-b", "8"},
      {"s16.aiff", "-e", "signed-integer", "-b", "16"},
      {"s24.aiff", "-e", "signed-integer", "-b", "24"},
      {"s16.au", "-e", "signed-integer", "-b", "16"},
      {"mu.au", "-e", "mu-law", "-b", "8"},
    };
    for (String[] l : layouts) {
      Path file = dir.resolve(l[0]);
      sox("-n", "-r", "11025", "-c", "3", l[1], l[2], l[3], l[4], file.toString(),
          "synth", "0.3", "sine", "440", "sine", "1234", "square", "50", "gain", "-3");
      Path f32 = dir.resolve(l[0] + ".f32");
      sox(file.toString(), "-t", "raw", "-e", "floating-point", "-b", "32", "-L", f32.toString());
      byte[] raw = Files.readAllBytes(f32);
      float[] expect = new float[raw.length / 4];
      SampleDecoder.decode(new PcmFormat(11025, 3, 32, SampleEncoding.FLOAT, false), raw, 0, expect, 0, expect.length);
      try (AudioInput in = AudioFiles.open(file)) {
        assertEquals(3, in.format().channels(), l[0]);
        assertEquals(expect.length / 3, in.frames(), l[0]);
        float[] got = AudioReadTest.readAllFrames(in, expect.length, 1000);
        for (int i = 0; i < expect.length; i++) {
          assertEquals(expect[i], got[i], 1e-6, l[0] + " sample " + i);
        }
      }
    }
  }
}
