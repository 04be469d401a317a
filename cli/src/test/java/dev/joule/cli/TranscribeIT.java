package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.recognizer.ToneModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code joule transcribe} through the script on the tone model and real WAV files: one file in
 * every format on standard output, a directory with {@code --out} and {@code --resume}, and a
 * {@code wav.scp}.
 */
class TranscribeIT {
  @TempDir static Path shared;
  static Path model;
  @TempDir Path dir;

  @BeforeAll
  static void buildModel() throws IOException {
    model = CliFixture.model(shared);
  }

  @Test
  void oneFileInEveryFormatAsInProcess() throws Exception {
    Path wav = ToneModel.wav(dir.resolve("u7.wav"), "maybe", "no", "yes");
    String[][] expect = {
      {"text", "maybe no yes\n"},
      {"kaldi", "u7 maybe no yes\n"},
      {"json", "{\"id\":\"u7\",\"text\":\"maybe no yes\",\"words\":[{\"word\":\"maybe\",\"start\":"},
      {"srt", "1\n00:00:00,"},
      {"vtt", "WEBVTT\n\n1\n00:00:00."},
      {"ctm", "u7 1 0."},
    };
    Launcher joule = new Launcher(dir);
    for (String[] e : expect) {
      String[] args = {"transcribe", "-m", model.toString(), "--device", "cpu", "-f", e[0], wav.toString()};
      String out = joule.run(args).ok().out();
      assertTrue(out.startsWith(e[1]), e[0] + ": " + out);
      // The script runs the same program as the tests in process: the same bytes come out.
      CliFixture inProcess = new CliFixture();
      assertEquals(ExitCodes.OK, inProcess.run(args), inProcess.err.toString());
      assertEquals(withoutTimings(inProcess.out.toString()), withoutTimings(out), e[0]);
    }
  }

  /** JSON transcripts report how long each stage took, which differs from run to run. */
  private static String withoutTimings(String transcript) {
    return transcript.replaceAll("\"[a-z]+_seconds\":[0-9.]+", "");
  }

  @Test
  void aDirectoryWithABadFileIsReportedThenResumed() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    ToneModel.wav(in.resolve("a.wav"), "yes");
    ToneModel.wav(in.resolve("b.wav"), "no", "maybe");
    Files.writeString(in.resolve("c.wav"), "this is not a wav file");
    Files.writeString(in.resolve("notes.txt"), "not audio, not an input");
    Path out = dir.resolve("out");
    Launcher joule = new Launcher(dir);
    Launcher.Result first = joule.run("transcribe", "-m", model.toString(), "--device", "cpu", "-f", "kaldi", "-j", "2",
        "-o", out.toString(), in.toString());
    assertEquals(ExitCodes.INPUT, first.code(), first.err());
    assertTrue(first.err().contains("joule: " + in.resolve("c.wav")) && first.err().contains("(skipped)"), first.err());
    assertTrue(first.err().contains("transcribed 2 of 3 inputs"), first.err());
    assertEquals(List.of("a yes", "b no maybe"), Files.readAllLines(out.resolve("text")));
    assertFalse(Files.exists(out.resolve("c.kaldi.txt")));

    // Fixed, the bad file is all that --resume transcribes: a finished output is kept as it is.
    ToneModel.wav(in.resolve("c.wav"), "yes", "yes");
    Files.writeString(out.resolve("a.kaldi.txt"), "a kept\n");
    Launcher.Result resumed = joule.run("transcribe", "-m", model.toString(), "--device", "cpu", "-f", "kaldi",
        "--resume", "-q", "-o", out.toString(), in.toString()).ok();
    assertEquals("", resumed.err());
    assertEquals(List.of("a kept", "b no maybe", "c yes yes"), Files.readAllLines(out.resolve("text")));
  }

  @Test
  void aWavScpListsTheInputs() throws Exception {
    Path a = ToneModel.wav(dir.resolve("x.wav"), "no");
    Path b = ToneModel.wav(dir.resolve("y.wav"), "yes", "maybe");
    Path scp = Files.writeString(dir.resolve("wav.scp"), "utt1 " + a + "\nutt2 " + b + "\n");
    Path out = dir.resolve("subs");
    new Launcher(dir).run("transcribe", "-m", model.toString(), "--device", "cpu", "--scp", scp.toString(), "-f", "srt",
        "-q", "-o", out.toString()).ok();
    assertTrue(Files.readString(out.resolve("utt1.srt")).contains("\nno\n"), Files.readString(out.resolve("utt1.srt")));
    assertTrue(Files.readString(out.resolve("utt2.srt")).contains("\nyes maybe\n"), Files.readString(out.resolve("utt2.srt")));
  }
}
