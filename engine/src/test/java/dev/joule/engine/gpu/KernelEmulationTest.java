package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CUDA kernels that have host-emulation tests ({@code native/cuda/emulation/NAME_test.cc}),
 * built and run here, without a GPU: the emulation runs a block's threads concurrently, so barriers
 * and warp shuffles behave as on the device, and each test compares a kernel with a plain host
 * computation. On a card, the GPU tests compare the same kernels with the CPU ops.
 */
class KernelEmulationTest {
  private static final Path NATIVE = Path.of(System.getProperty("joule.native.dir", "../native"));

  @ParameterizedTest
  @ValueSource(strings = {"batch_norm", "ctc_crf_loss", "dropout", "nn", "ops", "tensor_math"})
  void kernelsComputeWhatTheHostComputes(String module) throws IOException, InterruptedException {
    assertTrue(Files.isDirectory(NATIVE.resolve("cuda/emulation")), "native sources not found at " + NATIVE.toAbsolutePath());
    String target = "build/emulation/" + module + "_test";
    run(List.of("make", "--no-print-directory", "-C", NATIVE.toString(), target));
    String out = run(List.of(NATIVE.resolve(target).toString()));
    assertTrue(out.contains("ok "), out);
  }

  /** Runs {@code command}, failing with its output when it exits non-zero; returns the output. */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
    String text = new String(output, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + text);
    return text;
  }
}
