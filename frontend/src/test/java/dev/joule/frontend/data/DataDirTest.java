package dev.joule.frontend.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
  @TempDir Path dir;

  private Path wav(String name, int n, int rate) throws IOException {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i % 100) / 200f;
    }
    Path f = dir.resolve(name);
    WavWriter.write(f, x, rate);
    return f;
  }

  private DataFormatException fails(String file, String content, String expected) throws IOException {
    Path d = Files.createTempDirectory(dir, "d");
    Files.writeString(d.resolve("wav.scp"), "a " + wav("a.wav", 1600, 16000) + "\n");
    Files.writeString(d.resolve(file), content);
    DataFormatException e = assertThrows(DataFormatException.class, () -> DataDir.load(d, false));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().startsWith(d.resolve(file).toString()), e.getMessage());
    return e;
  }

  @Test
  void wholeRecordingsWithTextAndSpeakers() throws IOException {
    Path a = wav("a.wav", 16000, 16000);
    Path b = wav("b.wav", 8000, 8000);
    Files.writeString(dir.resolve("wav.scp"), "utt2 " + b + "\nutt1   " + a + "  \n");
    Files.writeString(dir.resolve("text"), "utt1 hello world\nutt2\n");
    Files.writeString(dir.resolve("utt2spk"), "utt1 spk1\nutt2 spk2\n");
    DataDir d = DataDir.load(dir, false);
    List<Utterance> u = d.utterances();
    assertEquals(List.of("utt2", "utt1"), u.stream().map(Utterance::id).toList());
    assertEquals("hello world", u.get(1).text());
    assertEquals("", u.get(0).text());
    assertEquals("spk2", u.get(0).speaker());
    try (AudioSource s = u.get(0).open(16000)) {
      assertEquals(16000, Audio.readAll(s).length); // 1 s at 8 kHz, resampled
    }
  }

  @Test
  void segmentsCutRecordings() throws IOException {
    Path a = wav("rec.wav", 32000, 16000);
    Files.writeString(dir.resolve("wav.scp"), "rec " + a + "\n");
    Files.writeString(dir.resolve("segments"), "s1 rec 0.5 1.25\ns2 rec 1.5 -1\n");
    DataDir d = DataDir.load(dir, false);
    assertEquals(2, d.utterances().size());
    float[] whole = Audio.readAll(a, 16000);
    try (AudioSource s = d.utterances().get(0).open(16000)) {
      assertArrayEquals(Arrays.copyOfRange(whole, 8000, 20000), Audio.readAll(s));
    }
    try (AudioSource s = d.utterances().get(1).open(16000)) {
      assertArrayEquals(Arrays.copyOfRange(whole, 24000, 32000), Audio.readAll(s));
    }
    assertNull(d.utterances().get(0).text());
  }

  @Test
  void commandsAreRefusedUnlessAllowed() throws IOException {
    Path a = wav("a.wav", 1600, 16000);
    Files.writeString(dir.resolve("wav.scp"), "a cat " + a + " |\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> DataDir.load(dir, false));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("refused unless explicitly allowed"), e.getMessage());
    DataDir d = DataDir.load(dir, true);
    WavScpEntry entry = d.utterances().get(0).recording();
    assertTrue(entry.command());
    assertEquals("cat " + a, entry.location());
    try (AudioSource s = d.utterances().get(0).open(16000)) {
      assertArrayEquals(Audio.readAll(a, 16000), Audio.readAll(s));
    }
    Files.writeString(dir.resolve("wav.scp"), "a exit 3 |\n");
    IOException failed = assertThrows(IOException.class,
        () -> DataDir.load(dir, true).utterances().get(0).open(16000));
    assertTrue(failed.getMessage().contains("status 3"), failed.getMessage());
  }

  @Test
  void malformedFilesNameFileAndLine() throws IOException {
    assertEquals(2, fails("segments", "s1 a 0 0.05\ns2 a 0.1\n", "expected '<utt> <recording>").line());
    fails("segments", "s1 a 0.5 0.2\n", "not after start");
    fails("segments", "s1 a x 0.2\n", "bad time 'x'");
    fails("segments", "s1 zzz 0 1\n", "recording 'zzz' is not in");
    fails("segments", "s1 a 0 1\ns1 a 1 2\n", "duplicate id 's1' (first on line 1)");
    fails("text", "a hi\n\nb\n", "empty line");
    fails("text", "nobody hi\n", "unknown utterance 'nobody'");
    fails("utt2spk", "a spk extra\n", "expected '<utt> <speaker>'");
    Path d = Files.createTempDirectory(dir, "e");
    Files.writeString(d.resolve("wav.scp"), "a\n");
    assertTrue(assertThrows(DataFormatException.class, () -> DataDir.load(d, false)).getMessage()
        .endsWith("wav.scp:1: no audio file for 'a'"));
    assertThrows(DataFormatException.class, () -> DataDir.load(dir.resolve("nothing"), false));
    assertFalse(DataDir.isDataDir(dir.resolve("nothing")));
  }

  @Test
  void writersSortLikeKaldiAndRoundTrip() throws IOException {
    Map<String, String> text = new LinkedHashMap<>();
    text.put("b", "two words");
    text.put("B", "upper");
    text.put("a", "");
    Path f = dir.resolve("text");
    KaldiFiles.writeMap(f, text);
    assertEquals("B upper\na\nb two words\n", Files.readString(f));
    assertEquals(text, new LinkedHashMap<>(KaldiFiles.readText(f)));
    Map<String, Segment> segs = new LinkedHashMap<>();
    segs.put("s", new Segment("s", "r", 0.25, -1));
    KaldiFiles.writeSegments(dir.resolve("segments"), segs);
    assertEquals("s r 0.25 -1\n", Files.readString(dir.resolve("segments")));
    assertEquals(segs, KaldiFiles.readSegments(dir.resolve("segments")));
    Map<String, WavScpEntry> wavs = new LinkedHashMap<>();
    wavs.put("x", new WavScpEntry("x", "sox in.flac -t wav -", true));
    KaldiFiles.writeWavScp(dir.resolve("wav.scp"), wavs);
    assertEquals(wavs, KaldiFiles.readWavScp(dir.resolve("wav.scp"), true));
    assertThrows(IllegalArgumentException.class,
        () -> KaldiFiles.writeMap(dir.resolve("t2"), Map.of("has space", "x")));
  }
}
