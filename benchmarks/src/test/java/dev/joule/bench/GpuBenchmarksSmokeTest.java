package dev.joule.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.gpu.PtxModule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Path den = Path.of(System.getProperty("joule.native.dir", "../native"))
        .resolveSibling("models/src/main/resources/dev/joule/models/default/den.fst");
    assumeTrue(Files.isRegularFile(den), "no den graph at " + den);
    String line = run(CtcCrfLossBenchmark::main, den.toString(), "1", "2");
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

  private static String run(Consumer<String[]> program, String... args) {
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
    String last = out.substring(out.lastIndexOf('\n') + 1);
    assertTrue(last.startsWith("{\"bench\":") && last.endsWith("}"), "no JSON line: " + out);
    return last;
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
