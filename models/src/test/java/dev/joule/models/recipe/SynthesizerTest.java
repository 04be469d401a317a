package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.frontend.audio.AudioFiles;
import dev.joule.frontend.audio.AudioInfo;
import dev.joule.models.recipe.SynthesisPlan.Noise;
import dev.joule.models.recipe.SynthesisPlan.Reverb;
import dev.joule.models.recipe.SynthesisPlan.Utterance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthesizerTest {
  @TempDir Path dir;

  static Utterance utt(double rate, int pitch, double speed, Reverb reverb, Noise noise, boolean tel) {
    return new Utterance("spk-p2-src-000001", "spk-p2", "flite-slt", "train", "src-000001", "hello world",
        rate, pitch, speed, reverb, noise, 10, tel, -3, 0.1, 0.2, 77);
  }

  @Test
  void synthesiserCommands() {
    Path t = Path.of("t.txt");
    Path o = Path.of("o.wav");
    Utterance u = utt(1.25, 1, 1, null, Noise.NONE, false);
    assertEquals(List.of("flite", "-voice", "slt", "--setf", "duration_stretch=0.800", "-f", "t.txt", "-o", "o.wav"),
        Synthesizer.synthCommand(new Voice(Voice.Engine.FLITE, "slt", "", 1), u, t, o));
    assertEquals(List.of("espeak-ng", "-v", "en-gb+f2", "-s", "219", "-p", "60", "-w", "o.wav", "-f", "t.txt"),
        Synthesizer.synthCommand(new Voice(Voice.Engine.ESPEAK, "en-gb", "f2", 1), u, t, o));
    assertEquals(List.of("text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", "o.wav", "t.txt"),
        Synthesizer.synthCommand(new Voice(Voice.Engine.FESTIVAL, "cmu_us_slt_arctic_hts", "", 1), u, t, o));
  }

  @Test
  void soxCommands() {
    Path i = Path.of("i.wav");
    Path o = Path.of("o.wav");
    Utterance u = utt(1.1, -2, 1.05, new Reverb(30, 40, 50), Noise.PINK, true);
    List<String> festival = Synthesizer.voiceSoxCommand(new Voice(Voice.Engine.FESTIVAL, "x", "", 1), u, i, o);
    assertEquals(List.of("sox", "-R", "-D", "-V1", "i.wav", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
        "o.wav", "pitch", "-300", "tempo", "-s", "1.100", "rate", "-h", "16000"), festival);
    List<String> espeak = Synthesizer.voiceSoxCommand(new Voice(Voice.Engine.ESPEAK, "en-us", "m1", 1), u, i, o);
    assertTrue(!espeak.contains("pitch") && !espeak.contains("tempo"), espeak.toString());
    assertEquals(List.of("pad", "0.100", "0.200", "speed", "1.050", "reverb", "30", "40", "50", "rate", "-h", "16000"),
        Synthesizer.augmentSoxCommand(u, i, o).subList(14, 26));
  }

  @Test
  void festivalBatchScript() {
    String s = Synthesizer.festivalScript(new Voice(Voice.Engine.FESTIVAL, "kal_diphone", "", 1),
        List.of("hello world", "say \"hi\""), List.of(Path.of("/t/a.wav"), Path.of("/t/b.wav")));
    assertTrue(s.startsWith("(voice_kal_diphone)\n"), s);
    assertTrue(s.contains("(joule-synth \"hello world\" \"/t/a.wav\")\n"), s);
    assertTrue(s.contains("(joule-synth \"say \\\"hi\\\"\" \"/t/b.wav\")\n"), s);
  }

  /** festival in one process per batch; skips without festival and its kal voice. */
  @Test
  void realFestivalBatch() throws IOException {
    Voice kal = new Voice(Voice.Engine.FESTIVAL, "kal_diphone", "", 1);
    assumeTrue(Synthesizer.onPath("festival") && Synthesizer.onPath("sox"), "festival or sox not installed");
    assumeTrue(Synthesizer.available(List.of(kal)).size() == 1, "festival has no kal_diphone voice");
    Utterance a = utt(1, 0, 1, null, Noise.NONE, false);
    Utterance b = new Utterance("spk-p2-src-000002", "spk-p2", "festival-kal-diphone", "eval", "src-000002",
        "good morning", 1, 0, 1, null, Noise.NONE, 0, false, -3, 0.1, 0.1, 1);
    List<Path> outs = List.of(dir.resolve("a.wav"), dir.resolve("b.wav"));
    assertEquals(List.of(), Synthesizer.synthesizeFestival(kal, List.of(a, b), dir, outs));
    for (Path p : outs) {
      AudioInfo i = AudioFiles.info(p);
      assertEquals(16000, i.format().sampleRate());
      assertTrue(i.durationSeconds() > 0.3, p + " " + i.durationSeconds());
    }
    try (var s = Files.list(dir)) {
      assertEquals(2, s.count(), "temporary files left behind");
    }
  }

  @Test
  void peakScaling() {
    float[] x = {0.1f, -0.5f, 0.25f};
    Synthesizer.scaleToPeak(x, -6.0206);
    assertEquals(0.5, Math.abs(x[1]), 1e-4);
    assertEquals(0.1, x[0], 1e-4);
  }

  @Test
  void missingSynthesisersAreSkipped() {
    // a voice no engine has: dropped, not an error
    List<Voice> none = Synthesizer.available(List.of(new Voice(Voice.Engine.FLITE, "no_such_voice", "", 1)));
    assertTrue(none.isEmpty());
  }

  /** The real pipeline: flite slt and sox, through synthesis and every augmentation. Skips without them. */
  @Test
  void realSynthesisAndAugmentation() throws IOException {
    assumeTrue(Synthesizer.onPath("flite") && Synthesizer.onPath("sox"), "flite or sox not installed");
    Voice slt = new Voice(Voice.Engine.FLITE, "slt", "", 1);
    assumeTrue(Synthesizer.available(List.of(slt)).size() == 1, "flite has no slt voice");
    Utterance u = utt(1.1, 1, 1.05, new Reverb(30, 40, 50), Noise.MUSIC, true);
    Path clean = dir.resolve("clean.wav");
    Synthesizer.synthesize(slt, u, dir, clean);
    AudioInfo ci = AudioFiles.info(clean);
    assertEquals(16000, ci.format().sampleRate());
    assertEquals(1, ci.format().channels());
    assertTrue(ci.durationSeconds() > 0.3 && ci.durationSeconds() < 3, "clean " + ci.durationSeconds());
    Path a = dir.resolve("a.wav");
    Path b = dir.resolve("b.wav");
    double secs = Synthesizer.augment(u, clean, dir, a);
    Synthesizer.augment(u, clean, dir, b);
    AudioInfo ai = AudioFiles.info(a);
    assertEquals(16000, ai.format().sampleRate());
    assertEquals(16, ai.format().bitsPerSample());
    assertEquals(secs, ai.durationSeconds(), 0.01);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "augmentation must be reproducible");
    try (var s = Files.list(dir)) {
      assertEquals(3, s.count(), "temporary files left behind");
    }
  }
}
