package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.recognizer.Recognizer;
import dev.joule.engine.recognizer.RecognizerOptions;
import dev.joule.engine.recognizer.ToneModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch {@code joule transcribe DIR --out OUT} killed with SIGKILL mid-way, twice, then
 * resumed: every input ends up with exactly one output, each complete and equal to what an
 * uninterrupted run writes, and no half-written file is left behind.
 */
class TranscribeKillResumeTest {
  static final int FILES = 60;
  static final String[] WORDS = {"yes", "no", "maybe"};

  @TempDir Path dir;

  @Test
  void aKilledBatchResumesToEveryOutputExactlyOnce() throws Exception {
    Path model = CliFixture.model(dir);
    Path in = Files.createDirectories(dir.resolve("in"));
    Map<String, String> expected = new LinkedHashMap<>();
    Random random = new Random(11);
    try (Recognizer r = Recognizer.open(model, RecognizerOptions.defaults().withDevice(DeviceChoice.CPU))) {
      for (int i = 0; i < FILES; i++) {
        String[] said = new String[4 + random.nextInt(5)];
        for (int w = 0; w < said.length; w++) {
          said[w] = WORDS[random.nextInt(WORDS.length)];
        }
        String id = String.format("u%02d", i);
        expected.put(id, id + " " + r.transcribe(ToneModel.wav(in.resolve(id + ".wav"), said)).text() + "\n");
      }
    }
    Path out = dir.resolve("out");
    // Killed once after a few outputs, then (resumed) again further on: the kills land mid-batch.
    for (int killAfter : new int[] {5, 25}) {
      Process p = child(model, in, out);
      int seen = waitForOutputs(p, out, killAfter);
      p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no finally blocks
      assertTrue(seen >= killAfter && seen < FILES, seen + " outputs when killed: the kill must land mid-way");
      assertOutputsComplete(out, expected);
    }
    // What a kill between writing a temporary file and renaming it leaves (hard to hit by timing).
    String unfinished = expected.keySet().stream().filter(id -> !Files.exists(out.resolve(id + ".kaldi.txt")))
        .findFirst().orElseThrow();
    Files.writeString(out.resolve("." + unfinished + ".kaldi.txt.tmp-4242ab"), unfinished + " half");
    Files.writeString(out.resolve(".text.tmp-77cd"), "u00 half");
    Files.writeString(out.resolve(".text77.tmp"), "u00 half"); // as earlier versions named them
    CliFixture c = new CliFixture();
    assertEquals(ExitCodes.OK, c.run("transcribe", "-m", model.toString(), "--device", "cpu", "-q", "-f", "kaldi",
        "--resume", "-o", out.toString(), in.toString()), c.err.toString());
    assertEquals(FILES, assertOutputsComplete(out, expected));
    assertEquals(String.join("", expected.values()), Files.readString(out.resolve("text")),
        "text lists every utterance once, in order");
    try (Stream<Path> files = Files.list(out)) {
      List<String> left = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
      assertEquals(List.of(), left, "no half-written files remain");
    }
  }

  /** {@code joule transcribe --resume} in a new JVM, as a user would run it. */
  private Process child(Path model, Path in, Path out) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Joule.class.getName(),
        "transcribe", "-m", model.toString(), "--device", "cpu", "-q", "-f", "kaldi", "--resume",
        "-o", out.toString(), in.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
  }

  /** Waits until {@code n} outputs exist (or the child ends); returns how many there are. */
  private static int waitForOutputs(Process p, Path out, int n) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      int count = outputs(out).size();
      if (count >= n || !p.isAlive()) {
        return count;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no progress from the child in 2 minutes");
  }

  private static List<Path> outputs(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(f -> f.getFileName().toString().matches("u\\d\\d\\.kaldi\\.txt")).toList();
    }
  }

  /** Every output present is exactly what an uninterrupted run writes; returns how many there are. */
  private static int assertOutputsComplete(Path out, Map<String, String> expected) throws IOException {
    List<Path> present = outputs(out);
    for (Path f : present) {
      String id = f.getFileName().toString().substring(0, 3);
      assertEquals(expected.get(id), Files.readString(f), f + " is complete and correct");
    }
    return present.size();
  }
}
