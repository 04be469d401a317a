package dev.joule.cli.format;

import dev.joule.engine.recognizer.Transcript;

/** The words on one line. */
final class TextFormat implements TranscriptFormat {
  @Override
  public String extension() {
    return "txt";
  }

  @Override
  public String format(String id, Transcript t) {
    return t.text() + "\n";
  }
}
