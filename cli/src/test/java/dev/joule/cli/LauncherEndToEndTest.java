package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.recognizer.ToneModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every new command through the real entry point in its own JVM ({@code Joule.main}, exit codes
 * from {@code System.exit}), on real WAV files and a real model directory: transcribe a file and
 * a directory, score the directory's output, show the model, and fail without a model.
 */
class LauncherEndToEndTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run joule(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    if (Runtime.version().feature() >= 22) {
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), Joule.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("JOULE_MODEL");
    pb.environment().put("XDG_DATA_HOME", dir.resolve("no-data-home").toString());
    pb.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("joule " + String.join(" ", args) + " did not finish");
    }
    return new Run(p.exitValue(), Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
  }

  @Test
  void transcribeScoreAndInfo() throws Exception {
    Path model = CliFixture.model(dir);
    Path wav = ToneModel.wav(dir.resolve("one.wav"), "maybe", "no", "yes");
    Run one = joule("transcribe", "--model", model.toString(), "--device", "cpu", wav.toString());
    assertEquals(0, one.code(), one.err());
    assertEquals("maybe no yes\n", one.out());

    Path in = Files.createDirectories(dir.resolve("in"));
    Path data = Files.createDirectories(dir.resolve("data"));
    StringBuilder ref = new StringBuilder();
    String[][] said = {{"yes"}, {"no", "yes"}, {"maybe", "maybe", "no"}};
    for (int i = 0; i < said.length; i++) {
      ToneModel.wav(in.resolve("utt" + i + ".wav"), said[i]);
      ref.append("utt").append(i).append(' ').append(String.join(" ", said[i])).append('\n');
    }
    // The reference has one word the recogniser cannot know: WER is 1 of 7 words.
    Files.writeString(data.resolve("text"), ref.toString().replace("utt1 no yes", "utt1 no yes please"));
    Path out = dir.resolve("out");
    Run batch = joule("transcribe", "-m", model.toString(), "--device", "cpu", "-f", "kaldi", "-j", "2", "-q",
        "-o", out.toString(), in.toString());
    assertEquals(0, batch.code(), batch.err());
    Run score = joule("score", "--ref", data.resolve("text").toString(), "--hyp", out.resolve("text").toString());
    assertEquals(0, score.code(), score.err());
    assertTrue(score.out().contains("WER: 14.29% (1 errors / 7 words; 0 substitutions, 1 deletions, 0 insertions)"),
        score.out());

    Run info = joule("info", model.toString());
    assertEquals(0, info.code(), info.err());
    assertTrue(info.out().contains("acoustic model: linear"), info.out());
  }

  @Test
  void aMissingModelIsExitCodeThree() throws Exception {
    Path wav = ToneModel.wav(dir.resolve("x.wav"), "yes");
    Path notAModel = java.nio.file.Files.createDirectories(dir.resolve("empty-model"));
    Run r = joule("transcribe", "-m", notAModel.toString(), wav.toString());
    assertEquals(ExitCodes.MODEL, r.code(), r.err());
    assertTrue(r.err().strip().lines().anyMatch(l -> l.startsWith("joule: ") && l.contains("empty-model")), r.err());
    Run usage = joule("score", "--ref", wav.toString());
    assertEquals(ExitCodes.USAGE, usage.code(), usage.err());
    Run help = joule("transcribe", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--resume"), help.out());
  }
}
