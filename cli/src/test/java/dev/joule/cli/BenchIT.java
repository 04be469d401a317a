package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.recognizer.ToneModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code joule bench} through the script (which gives {@code bench} its own class path) on the tone
 * model and a two-utterance data directory: Joule alone, one timed pass, the report on standard
 * output and in {@code --out}.
 */
class BenchIT {
  @TempDir Path dir;

  @Test
  void benchesJouleOnADataDirectory() throws Exception {
    Path model = CliFixture.model(dir);
    Path data = Files.createDirectories(dir.resolve("data"));
    Path a = ToneModel.wav(dir.resolve("a.wav"), "yes", "no");
    Path b = ToneModel.wav(dir.resolve("b.wav"), "maybe");
    Files.writeString(data.resolve("wav.scp"), "ua " + a + "\nub " + b + "\n");
    // One reference word the tones do not say: one deletion in three words.
    Files.writeString(data.resolve("text"), "ua yes no\nub maybe please\n");
    Path out = dir.resolve("bench");
    Launcher joule = new Launcher(dir);
    String json = joule.run("bench", data.toString(), "-m", model.toString(), "--device", "cpu", "--repeat", "1",
        "--warmup", "0", "-q", "--json", "-o", out.toString()).ok().out();

    assertEquals(json, Files.readString(out.resolve("bench.json")));
    assertTrue(json.contains("\"name\": \"joule\""), json);
    assertEquals(2, (int) BenchCommandTest.number(json, "utterances"));
    assertEquals(1, (int) BenchCommandTest.number(json, "repetitions"));
    assertEquals(4, (int) BenchCommandTest.number(json, "reference_words"));
    assertEquals(0.25, BenchCommandTest.number(json, "wer"), 1e-9);
    assertTrue(BenchCommandTest.number(json, "rtf\": {\"median") > 0, json);
    assertEquals(List.of("ua yes no", "ub maybe"), Files.readAllLines(out.resolve("hyp-joule.txt")));
    String table = Files.readString(out.resolve("bench.md"));
    assertTrue(table.contains("| data (2 utts, ") && table.contains("| Joule " + Launcher.VERSION), table);
    assertTrue(table.contains("| 25.0% |"), table);

    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("text"), "ua yes\n");
    joule.run("bench", empty.toString(), "-m", model.toString(), "-q")
        .failsWith(ExitCodes.INPUT, empty.resolve("wav.scp") + ": no such file");
  }
}
