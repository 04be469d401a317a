package dev.joule.decoder.scoring;

import java.io.IOException;
import java.nio.file.Path;

/** A transcript or speaker file that cannot be scored; the message names the file and line. */
public final class ScoringInputException extends IOException {
  ScoringInputException(Path file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
  }
}
