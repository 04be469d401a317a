package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code joule transcribe} without {@code --model} works on a temporary copy of the bundled
 * model; a run stopped with SIGTERM (Ctrl-C, a service manager) removes that copy on its way out,
 * and an error about the model names the bundled model rather than the copy.
 */
class BundledModelCopyTest {
  private static final Path SAMPLE = Path.of("..", "models", "samples", "kal-sample.wav");

  @TempDir Path dir;

  @Test
  void aStoppedRunLeavesNoCopyOfTheBundledModel() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    for (int i = 0; i < 40; i++) {
      Files.copy(SAMPLE, in.resolve(String.format("s%02d.wav", i)));
    }
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path out = dir.resolve("out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
        Joule.class.getName(), "transcribe", "--device", "cpu", "-q", "-f", "kaldi", "-o", out.toString(), in.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
    pb.environment().remove("JOULE_MODEL");
    pb.environment().put("XDG_DATA_HOME", Files.createDirectories(dir.resolve("no-installed-model")).toString());
    Process p = pb.start();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (p.isAlive() && outputs(out) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "the child ended before it could be stopped: " + Files.readString(dir.resolve("child.log")));
    assertEquals(1, copies(tmp).size(), "one copy of the bundled model while transcribing");
    p.destroy(); // SIGTERM
    p.waitFor();
    assertEquals(List.of(), copies(tmp), "the copy is removed when the process is stopped");
  }

  @Test
  void rescoringErrorsNameTheBundledModel() {
    CliFixture cli = new CliFixture();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.joule.engine.recognizer.ModelLocator.defaultDirectory().isEmpty(), "a default model directory is installed here");
    assertEquals(ExitCodes.MODEL, cli.run("transcribe", "--device", "cpu", "--rescore", SAMPLE.toString()));
    String message = cli.err.toString().strip();
    assertTrue(message.startsWith("joule: the bundled default model: rescoring was asked for"), message);
  }

  private static long outputs(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".kaldi.txt")).count();
    }
  }

  private static List<Path> copies(Path tmp) throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("joule-model")).toList();
    }
  }
}
