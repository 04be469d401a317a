package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batched pipeline of {@code transcribeAll(files, batch)} (features and decoding on threads,
 * the acoustic model by batch), run on the CPU where its batches are scored one by one: the same
 * words as transcribing each file, for short files taken whole and for a file too long to batch.
 */
class BatchedTranscriptionTest {
  @TempDir Path dir;

  @Test
  void theBatchedPipelineGivesEachFilesOwnWords() throws IOException {
    List<Path> files = new ArrayList<>(DefaultModelSamples.crops(dir));
    // 8 copies of the sample: over 30 s, so recognised segment by segment instead of batched.
    float[] audio = DefaultModelSamples.sample();
    float[] longer = new float[audio.length * 8];
    for (int i = 0; i < 8; i++) {
      System.arraycopy(audio, 0, longer, i * audio.length, audio.length);
    }
    Path longFile = dir.resolve("long.wav");
    WavWriter.write(longFile, longer, 16000);
    files.add(2, longFile);
    try (Recognizer r = Recognizer.open(DefaultModelSamples.model(),
        RecognizerOptions.defaults().withDevice(DeviceChoice.CPU).withThreads(2))) {
      List<String> one = new ArrayList<>();
      for (Path f : files) {
        one.add(r.transcribe(f).text());
      }
      assertEquals(one, DefaultModelSamples.texts(r.transcribeBatched(files, 3)));
    }
  }
}
