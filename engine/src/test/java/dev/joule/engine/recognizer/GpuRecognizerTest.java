package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.gpu.PtxModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Recognizer with its acoustic model on the GPU, batched, against the same recognizer on the
 * CPU: the bundled default model (read from the source tree) on crops of the bundled sample.
 */
class GpuRecognizerTest {
  @TempDir Path dir;

  /** Crops of the sample (see {@link DefaultModelSamples}), on a machine with a usable GPU. */
  private List<Path> crops() throws IOException {
    GpuProbe.Result probe = GpuProbe.probe();
    assumeTrue(probe.available(), () -> "GPU test skipped: no usable GPU (" + probe.reason() + ")");
    assumeTrue(PtxModule.isBundled("ops"), "GPU test skipped: the build had no nvcc, so no PTX is bundled");
    return DefaultModelSamples.crops(dir);
  }

  private static List<String> texts(List<Transcript> transcripts) {
    return DefaultModelSamples.texts(transcripts);
  }

  private static final RecognizerOptions OPTIONS = RecognizerOptions.defaults().withThreads(4);

  /** The batched pipeline on the CPU: the words the GPU must give. */
  private static List<Transcript> onTheCpu(List<Path> files, int batch) throws IOException {
    try (Recognizer r = Recognizer.open(DefaultModelSamples.model(), OPTIONS.withDevice(DeviceChoice.CPU))) {
      return r.transcribeBatched(files, batch);
    }
  }

  @Test
  void batchedGpuScoringGivesTheCpuWords() throws IOException {
    List<Path> files = crops();
    List<Transcript> cpu = onTheCpu(files, 3);
    try (Recognizer r = Recognizer.open(DefaultModelSamples.model(), OPTIONS.withDevice(DeviceChoice.parse("gpu")))) {
      assertTrue(r.device().isGpu());
      List<Transcript> gpu = r.transcribeAll(files, 3);
      assertEquals(texts(cpu), texts(gpu));
      for (int i = 0; i < files.size(); i++) {
        assertTrue(gpu.get(i).timing().acousticSeconds() > 0, "file " + i + " has an acoustic time");
      }
      assertEquals(r.transcribe(files.get(0)).text(), cpu.get(0).text(), "one file, unbatched on the GPU");
    }
  }

  @Test
  void aBatchThatDoesNotFitInGpuMemoryIsSplitAndGivesTheSameWords() throws IOException {
    List<Path> files = crops();
    List<Transcript> cpu = onTheCpu(files, 7);
    List<String> warnings = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        warnings.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(Recognizer.class.getName());
    log.addHandler(capture);
    try (Recognizer r = Recognizer.open(DefaultModelSamples.model(), OPTIONS.withDevice(DeviceChoice.parse("gpu")))) {
      GpuDevice gpu = r.device().gpu().orElseThrow();
      // Memory for the model and one utterance (the longest) and no more: 7 at once cannot fit.
      r.transcribeAll(files.subList(0, 1), 1);
      gpu.limitMemory(gpu.peakMemoryInUse());
      assertEquals(texts(cpu), texts(r.transcribeAll(files, 7)));
      assertTrue(warnings.stream().anyMatch(w -> w.contains("retrying in two halves")), warnings.toString());
    } finally {
      log.removeHandler(capture);
    }
  }
}
