package dev.joule.models;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.frontend.audio.Audio;
import dev.joule.models.recipe.Synthesizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Real speech for the bundled model's tests: flite's kal16 voice (held out of training), 16 kHz. */
final class FliteSpeech {
  private FliteSpeech() {}

  /** Skips the calling test when flite is missing (native/install-deps.sh installs it). */
  static void assumeFlite() {
    assumeTrue(Synthesizer.onPath("flite"), "flite is not installed (native/install-deps.sh installs it)");
  }

  /** Writes {@code text} spoken by kal16 to {@code wav} and returns the file. */
  static Path speak(String text, Path wav) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("flite", "-voice", "kal16", "-t", text, "-o", wav.toString())
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "flite failed on: " + text);
    return wav;
  }

  /** {@link #speak} as samples. */
  static float[] samples(String text, Path wav) throws IOException, InterruptedException {
    return Audio.readAll(speak(text, wav), 16000);
  }
}
