package dev.joule.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.gpu.PtxModule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GPU benchmark programs that {@code benchmarks/gpu/run.sh} runs on a card, run end to end at
 * tiny sizes wherever a GPU can be opened (in every build, on the emulated CUDA driver): a
 * program that fails would otherwise fail on the card, where time is scarce. Each must print its
 * JSON line with finite figures.
 */
class GpuBenchmarksSmokeTest {

  @BeforeEach
  void needsAGpu() {
    GpuProbe.Result probe = GpuProbe.probe();
    assumeTrue(probe.available(), () -> "GPU test skipped: no usable GPU (" + probe.reason() + ")");
    assumeTrue(PtxModule.isBundled("ops"), "GPU test skipped: the build had no nvcc, so no PTX is bundled");
  }

  @Test
  void conformerTrainingStep() {
    String line = run(ConformerGpuBenchmark::main, "2", "8", "1", "1");
    assertEquals("conformer-train-step", text(line, "bench"));
    assertEquals(2 * 8, (int) (number(line, "frames_per_s") * number(line, "step_ms_median") / 1e3 + 0.5));
    assertTrue(Double.isFinite(number(line, "loss")), line);
  }

  @Test
  void blstmTrainingStep() {
    String line = run(BlstmGpuBenchmark::main, "2", "8", "1", "1");
    assertEquals("blstm-train-step", text(line, "bench"));
    assertTrue(number(line, "eager_step_ms_median") > 0, line);
    assertTrue(Double.isFinite(number(line, "loss")), line);
  }

  /** Both paths of the CTC-CRF loss step agree, on the bundled model's den graph. */
  @Test
  void ctcCrfLossStep() {
    String line = run(CtcCrfLossBenchmark::main, bundledDenGraph().toString(), "1", "2");
    assertEquals("ctc-crf-loss-step", text(line, "bench"));
    double host = number(line, "loss_host");
    double device = number(line, "loss_device");
    assertTrue(Double.isFinite(host), line);
    assertEquals(host, device, 1e-3 * Math.abs(host), line);
    // Occupancies of up to 400 frames, from float32 log-space recursions on the device path and
    // float64 ones on the host: they differ by about 1e-3 at most (9e-4 here).
    assertTrue(number(line, "max_abs_gradient_diff") < 5e-3, line);
    assertTrue(number(line, "device_path_two_steps_done_ms") >= number(line, "device_path_two_steps_queued_ms"), line);
  }

  /**
   * Both denominator layouts beside the CAT-layout kernels (which only this benchmark runs), full
   * and ragged: the same log-partition functions and occupancies.
   */
  @Test
  void denominatorBesideTheCatLayout() {
    List<String> lines = runAll(DenBenchmark::main, "gpu", bundledDenGraph().toString(), "1", "1");
    assertEquals(4, lines.size(), "two cases, two layouts: " + lines);
    for (String line : lines) {
      assertEquals("den-forward-backward", text(line, "bench"));
      // float32 recursions in different orders: on the H100 they agreed to 0.0023 in log Z (of
      // about 1100) and 0.002 in occupancy (benchmarks/RESULTS.md); 0.0016 and 0.0012 here.
      assertTrue(number(line, "max_abs_logz_diff") < 1e-2, line);
      assertTrue(number(line, "max_abs_occupancy_diff") < 5e-3, line);
    }
  }

  /** The CTC numerator on the GPU sums to what the CPU's does over the same 64 utterances. */
  @Test
  void ctcNumeratorBesideTheCpu() {
    String gpu = run(CtcNumeratorBenchmark::main, "gpu", "1");
    String cpu = run(CtcNumeratorBenchmark::main, "cpu", "1");
    assertEquals("ctc-numerator", text(gpu, "bench"));
    double want = number(cpu, "sum_logp");
    assertEquals(want, number(gpu, "sum_logp"), 1e-5 * Math.abs(want), gpu);
  }

  private static Path bundledDenGraph() {
    Path den = Path.of(System.getProperty("joule.native.dir", "../native"))
        .resolveSibling("models/src/main/resources/dev/joule/models/default/den.fst");
    assumeTrue(Files.isRegularFile(den), "no den graph at " + den);
    return den;
  }

  private static String run(Consumer<String[]> program, String... args) {
    List<String> lines = runAll(program, args);
    return lines.get(lines.size() - 1);
  }

  /** The JSON lines a program prints; it must print at least one. */
  private static List<String> runAll(Consumer<String[]> program, String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      program.accept(args);
    } finally {
      System.setOut(saved);
    }
    String out = bytes.toString(StandardCharsets.UTF_8).strip();
    saved.println(out);
    List<String> lines = out.lines().filter(l -> l.startsWith("{\"bench\":") && l.endsWith("}")).toList();
    assertFalse(lines.isEmpty(), "no JSON line: " + out);
    return lines;
  }

  private static String text(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
    assertTrue(m.find(), key + " missing: " + json);
    return m.group(1);
  }

  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.eE+-]+|NaN|-?Infinity)").matcher(json);
    assertTrue(m.find(), key + " missing: " + json);
    return Double.parseDouble(m.group(1));
  }
}
