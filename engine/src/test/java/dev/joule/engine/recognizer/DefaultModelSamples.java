package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bundled default model and sample recording, read from the source tree (from the engine
 * module or the repository root), and files cut from the sample for tests that need a real model
 * on real audio. Tests are skipped where the checkout lacks them.
 */
final class DefaultModelSamples {
  private DefaultModelSamples() {}

  static Path model() {
    Path dir = Stream.of("../models/src/main/resources/dev/joule/models/default", "models/src/main/resources/dev/joule/models/default")
        .map(Path::of).filter(p -> Files.isRegularFile(p.resolve("am.conf"))).findFirst().orElse(null);
    assumeTrue(dir != null, "the default model is not in this checkout");
    return dir;
  }

  static float[] sample() throws IOException {
    Path wav = Stream.of("../models/samples/kal-sample.wav", "models/samples/kal-sample.wav")
        .map(Path::of).filter(Files::isRegularFile).findFirst().orElse(null);
    assumeTrue(wav != null, "the sample recording is not in this checkout");
    try (AudioSource src = Audio.open(wav, 16000)) {
      return Audio.readAll(src);
    }
  }

  /** Seven crops of the sample of different lengths (a ragged batch), the longest first. */
  static List<Path> crops(Path dir) throws IOException {
    float[] audio = sample();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Path f = dir.resolve("crop" + i + ".wav");
      WavWriter.write(f, Arrays.copyOfRange(audio, i * 1600, audio.length - i * 800), 16000);
      files.add(f);
    }
    return files;
  }

  static List<String> texts(List<Transcript> transcripts) {
    return transcripts.stream().map(Transcript::text).toList();
  }
}
