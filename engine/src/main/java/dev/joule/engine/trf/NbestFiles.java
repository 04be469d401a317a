package dev.joule.engine.trf;

import dev.joule.decoder.lm.LmFormatException;
import dev.joule.decoder.lm.TextCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text files of n-best lists and references.
 *
 * <ul>
 *   <li>n-best: one candidate per line, {@code UTTERANCE-ID ACOUSTIC-COST word word ...}; the
 *       candidates of an utterance are on consecutive lines, the acoustic cost is −log-likelihood
 *       (lower is better) and a candidate may have no words;
 *   <li>references (Kaldi {@code text}): {@code UTTERANCE-ID word word ...}.
 * </ul>
 *
 * Malformed lines are {@link LmFormatException}s naming the file and line.
 */
public final class NbestFiles {
  private NbestFiles() {}

  /** Utterances in file order, each with its candidates in order. */
  public static Map<String, List<NbestRescorer.Candidate>> readNbest(Path path) {
    Map<String, List<NbestRescorer.Candidate>> out = new LinkedHashMap<>();
    String[] previous = {null};
    TextCorpus.forEachSentence(path, (w, line) -> {
      if (w.length < 2) {
        throw new LmFormatException(path, line, "expected UTTERANCE-ID ACOUSTIC-COST words...");
      }
      double cost;
      try {
        cost = Double.parseDouble(w[1]);
      } catch (NumberFormatException e) {
        throw new LmFormatException(path, line, "acoustic cost '" + w[1] + "' is not a number");
      }
      if (!Double.isFinite(cost)) {
        throw new LmFormatException(path, line, "acoustic cost must be finite, got " + w[1]);
      }
      if (out.containsKey(w[0]) && !w[0].equals(previous[0])) {
        throw new LmFormatException(path, line, "candidates of utterance " + w[0] + " are not on consecutive lines");
      }
      previous[0] = w[0];
      out.computeIfAbsent(w[0], k -> new ArrayList<>())
          .add(new NbestRescorer.Candidate(Arrays.copyOfRange(w, 2, w.length), cost));
    });
    return out;
  }

  /** Reference words by utterance id. */
  public static Map<String, String[]> readReferences(Path path) {
    Map<String, String[]> out = new LinkedHashMap<>();
    TextCorpus.forEachSentence(path, (w, line) -> {
      if (out.put(w[0], Arrays.copyOfRange(w, 1, w.length)) != null) {
        throw new LmFormatException(path, line, "utterance " + w[0] + " appears twice");
      }
    });
    return out;
  }
}
