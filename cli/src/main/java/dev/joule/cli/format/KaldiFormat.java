package dev.joule.cli.format;

import dev.joule.engine.recognizer.Transcript;

/** A Kaldi {@code text} line: {@code uttid word word ...}, as {@code joule score} reads it. */
final class KaldiFormat implements TranscriptFormat {
  @Override
  public String extension() {
    return "kaldi.txt";
  }

  @Override
  public String format(String id, Transcript t) {
    return t.text().isEmpty() ? id + "\n" : id + " " + t.text() + "\n";
  }
}
