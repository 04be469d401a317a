package dev.joule.engine.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.joule.engine.io.ParameterFile;
import dev.joule.engine.io.ParameterFileException;
import dev.joule.engine.model.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of model loading: parameter files and model manifests. Replays saved
 * inputs in a normal test run; fuzzes with {@code JAZZER_FUZZ=1} (benchmarks/fuzz/run.sh).
 */
class ModelFilesFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void parameterFile(byte[] data) throws IOException {
    Path file = Files.createTempFile("joule-fuzz", ".jparams");
    Files.write(file, data);
    try {
      ParameterFile.read(file);
    } catch (ParameterFileException expected) {
      // corrupt or truncated: refused with the file named
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void modelManifest(byte[] data) throws IOException {
    Path dir = Files.createTempDirectory("joule-fuzz-model");
    Path manifest = dir.resolve(ModelDirectory.MANIFEST);
    Files.write(manifest, data);
    try {
      ModelDirectory.open(dir);
    } catch (IOException expected) {
      // ModelFormatException naming the manifest or file
    } finally {
      Files.deleteIfExists(manifest);
      Files.deleteIfExists(dir);
    }
  }
}
