package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA kernels that have host-emulation tests (every {@code native/cuda/emulation/NAME_test.cc},
 * for {@code native/cuda/NAME.cu}; {@code scheduler_test.cc} checks the emulation itself), built
 * and run here, without a GPU: the emulation runs a
 * block's threads as cooperative fibers, so barriers and warp shuffles behave as on the device, and each test compares a kernel with a plain host
 * computation. On a card, the GPU tests compare the same kernels with the CPU ops.
 */
class KernelEmulationTest {
  private static final Path NATIVE = Path.of(System.getProperty("joule.native.dir", "../native"));

  /** Every {@code native/cuda/emulation/NAME_test.cc}: the modules with emulation tests. */
  static List<String> modules() throws IOException {
    Path dir = NATIVE.resolve("cuda/emulation");
    assertTrue(Files.isDirectory(dir), "native sources not found at " + NATIVE.toAbsolutePath());
    try (Stream<Path> files = Files.list(dir)) {
      List<String> modules = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith("_test.cc"))
          .map(f -> f.substring(0, f.length() - "_test.cc".length())).sorted().toList();
      // A listing that finds few tests means a broken checkout, not fewer kernels to check.
      assertTrue(modules.size() >= 8, "emulation tests missing from " + dir + ": " + modules);
      return modules;
    }
  }

  @ParameterizedTest
  @MethodSource("modules")
  void kernelsComputeWhatTheHostComputes(String module) throws IOException, InterruptedException {
    String target = "build/emulation/" + module + "_test";
    run(List.of("make", "--no-print-directory", "-C", NATIVE.toString(), target));
    String out = run(List.of(NATIVE.resolve(target).toString()));
    assertTrue(out.contains("ok "), out);
  }

  /**
   * Runs {@code command} with a time limit (killed past it), failing with its output when it exits
   * non-zero; returns the output.
   */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("joule-emulation-", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean finished = p.waitFor(5, TimeUnit.MINUTES);
      if (!finished) {
        p.destroyForcibly().waitFor();
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(finished, String.join(" ", command) + " did not finish in 5 minutes:\n" + text);
      assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + text);
      return text;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
