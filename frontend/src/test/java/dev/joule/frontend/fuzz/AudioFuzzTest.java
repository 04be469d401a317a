package dev.joule.frontend.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.data.KaldiFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the audio and data-directory readers. In a normal test run each
 * target replays its saved inputs (src/test/resources/.../AudioFuzzTestInputs); with
 * {@code JAZZER_FUZZ=1} it fuzzes (see benchmarks/fuzz/run.sh). A reader may reject input only
 * with its typed IOException; any other exception, an OutOfMemoryError or a hang is a finding.
 */
class AudioFuzzTest {

  private static Path write(byte[] data, String suffix) throws IOException {
    Path file = Files.createTempFile("joule-fuzz", suffix);
    file.toFile().deleteOnExit();
    Files.write(file, data);
    return file;
  }

  @FuzzTest(maxDuration = "20s")
  void wav(byte[] data) throws IOException {
    Path file = write(data, ".wav");
    try {
      Audio.readAll(file, Audio.MODEL_RATE);
    } catch (IOException expected) {
      // a typed rejection naming the file is the contract
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void kaldiTextFiles(byte[] data) throws IOException {
    Path file = write(data, ".txt");
    try {
      KaldiFiles.readWavScp(file, false);
    } catch (IOException expected) {
      // malformed lines are reported as file:line
    }
    try {
      KaldiFiles.readSegments(file);
    } catch (IOException expected) {
      // likewise
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
