package dev.joule.cli.format;

import dev.joule.engine.recognizer.Alternative;
import dev.joule.engine.recognizer.Transcript;
import java.util.Locale;

/**
 * The n-best list as {@code joule lm rescore} reads it: one line per alternative, {@code ID
 * ACOUSTIC-COST word word ...}, best first; decoded n-best lists of a dev set tune the TRF's
 * rescoring weights.
 */
final class NbestFormat implements TranscriptFormat {
  @Override
  public String extension() {
    return "nbest";
  }

  @Override
  public String format(String id, Transcript t) {
    StringBuilder sb = new StringBuilder();
    for (Alternative a : t.alternatives()) {
      sb.append(id).append(String.format(Locale.ROOT, " %.6f", a.acousticCost()));
      for (String w : a.words()) {
        sb.append(' ').append(w);
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
