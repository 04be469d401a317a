package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.gpu.PtxModule;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Recognizer with its acoustic model on the GPU, batched, against the same recognizer on the
 * CPU: the bundled default model (read from the source tree) on crops of the bundled sample.
 */
class GpuRecognizerTest {
  @TempDir Path dir;

  /** The default model's directory in the source tree, from the module or the repository root. */
  private static Path defaultModel() {
    return Stream.of("../models/src/main/resources/dev/joule/models/default", "models/src/main/resources/dev/joule/models/default")
        .map(Path::of).filter(p -> Files.isRegularFile(p.resolve("am.conf"))).findFirst().orElse(null);
  }

  private static Path sample() {
    return Stream.of("../models/samples/kal-sample.wav", "models/samples/kal-sample.wav")
        .map(Path::of).filter(Files::isRegularFile).findFirst().orElse(null);
  }

  /** Crops of the sample of different lengths, so that a batch is ragged; the longest first. */
  private List<Path> crops() throws IOException {
    GpuProbe.Result probe = GpuProbe.probe();
    assumeTrue(probe.available(), () -> "GPU test skipped: no usable GPU (" + probe.reason() + ")");
    assumeTrue(PtxModule.isBundled("ops"), "GPU test skipped: the build had no nvcc, so no PTX is bundled");
    Path sample = sample();
    assumeTrue(defaultModel() != null && sample != null, "the default model and sample are not in this checkout");
    float[] audio;
    try (AudioSource src = Audio.open(sample, 16000)) {
      audio = Audio.readAll(src);
    }
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      int from = i * 1600;
      Path f = dir.resolve("crop" + i + ".wav");
      WavWriter.write(f, Arrays.copyOfRange(audio, from, audio.length - i * 800), 16000);
      files.add(f);
    }
    return files;
  }

  private static List<String> texts(List<Transcript> transcripts) {
    return transcripts.stream().map(Transcript::text).toList();
  }

  @Test
  void batchedGpuScoringGivesTheCpuWords() throws IOException {
    List<Path> files = crops();
    Path model = defaultModel();
    RecognizerOptions options = RecognizerOptions.defaults().withThreads(4);
    List<Transcript> cpu;
    try (Recognizer r = Recognizer.open(model, options.withDevice(DeviceChoice.CPU))) {
      cpu = r.transcribeAll(files);
    }
    try (Recognizer r = Recognizer.open(model, options.withDevice(DeviceChoice.parse("gpu")))) {
      assertTrue(r.device().isGpu());
      List<Transcript> gpu = r.transcribeAll(files, 3);
      assertEquals(texts(cpu), texts(gpu));
      for (int i = 0; i < files.size(); i++) {
        assertTrue(gpu.get(i).timing().acousticSeconds() > 0, "file " + i + " has an acoustic time");
      }
      assertEquals(cpu.get(0).text(), r.transcribe(files.get(0)).text(), "one file, unbatched");
    }
  }

  @Test
  void aBatchThatDoesNotFitInGpuMemoryIsSplitAndGivesTheSameWords() throws IOException {
    List<Path> files = crops();
    Path model = defaultModel();
    RecognizerOptions options = RecognizerOptions.defaults().withThreads(4);
    List<Transcript> cpu;
    try (Recognizer r = Recognizer.open(model, options.withDevice(DeviceChoice.CPU))) {
      cpu = r.transcribeAll(files);
    }
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
    try (Recognizer r = Recognizer.open(model, options.withDevice(DeviceChoice.parse("gpu")))) {
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
