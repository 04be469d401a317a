package dev.joule.cli.format;

import dev.joule.engine.recognizer.Transcript;
import dev.joule.engine.recognizer.Word;
import java.util.Locale;

/** NIST CTM: {@code uttid channel start duration word confidence} per word, channel 1. */
final class CtmFormat implements TranscriptFormat {
  @Override
  public String extension() {
    return "ctm";
  }

  @Override
  public String format(String id, Transcript t) {
    StringBuilder sb = new StringBuilder();
    for (Word w : t.words()) {
      sb.append(String.format(Locale.ROOT, "%s 1 %.2f %.2f %s %.3f%n", id, w.start(), w.end() - w.start(), w.text(),
          w.confidence()));
    }
    return sb.toString();
  }
}
