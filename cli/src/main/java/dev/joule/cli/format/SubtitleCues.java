package dev.joule.cli.format;

import dev.joule.engine.recognizer.Word;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts words into subtitle cues the way subtitle guidelines ask: at most {@link #MAX_CHARS}
 * characters (one line) and {@link #MAX_SECONDS} seconds per cue, and a new cue after a pause of
 * {@link #PAUSE_SECONDS} or more, so that a cue never spans a silence.
 */
final class SubtitleCues {
  static final int MAX_CHARS = 42;
  static final double MAX_SECONDS = 7;
  static final double PAUSE_SECONDS = 1.5;

  /** One cue: its text and times. */
  record Cue(String text, double start, double end) {}

  private SubtitleCues() {}

  static List<Cue> cut(List<Word> words) {
    List<Cue> cues = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    double start = 0;
    double end = 0;
    for (Word w : words) {
      boolean fits = text.length() + 1 + w.text().length() <= MAX_CHARS && w.end() - start <= MAX_SECONDS
          && w.start() - end < PAUSE_SECONDS;
      if (text.length() > 0 && !fits) {
        cues.add(new Cue(text.toString(), start, end));
        text.setLength(0);
      }
      if (text.length() == 0) {
        start = w.start();
      } else {
        text.append(' ');
      }
      text.append(w.text());
      end = w.end();
    }
    if (text.length() > 0) {
      cues.add(new Cue(text.toString(), start, end));
    }
    return cues;
  }
}
