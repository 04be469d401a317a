package dev.joule.decoder.lexicon;

import java.nio.file.Path;

/** A pronunciation dictionary is missing or malformed; the message names the file, line and problem. */
public class LexiconException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LexiconException(String message) {
    super(message);
  }

  public LexiconException(Path file, long line, String problem) {
    super(file + ":" + line + ": " + problem);
  }
}
