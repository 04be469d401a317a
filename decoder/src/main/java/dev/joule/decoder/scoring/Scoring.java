package dev.joule.decoder.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores hypotheses against references, utterance by utterance: word error rate, or character
 * error rate over the characters of the words (spaces are not tokens). Every reference utterance
 * is scored; one without a hypothesis counts as an empty hypothesis (all deletions) and is listed
 * in {@link Result#missing()}; hypotheses without a reference are listed in
 * {@link Result#extra()} and not scored.
 */
public final class Scoring {
  private Scoring() {}

  /** What to compare. */
  public enum Unit {
    WORDS,
    CHARACTERS
  }

  /** One utterance's alignment. */
  public record Utterance(String id, String speaker, Alignment alignment) {}

  /** The scores of a set of utterances. */
  public record Result(Unit unit, List<Utterance> utterances, List<String> missing, List<String> extra) {
    /** Sum over all utterances. */
    public ErrorCounts total() {
      ErrorCounts c = ErrorCounts.ZERO;
      for (Utterance u : utterances) {
        c = c.plus(u.alignment().counts());
      }
      return c;
    }

    /** Sums per speaker, speakers in order of first appearance. */
    public Map<String, ErrorCounts> bySpeaker() {
      Map<String, ErrorCounts> out = new LinkedHashMap<>();
      for (Utterance u : utterances) {
        out.merge(u.speaker(), u.alignment().counts(), ErrorCounts::plus);
      }
      return out;
    }
  }

  /**
   * Scores {@code hyp} against {@code ref}. {@code utt2spk} may be empty; utterances it does not
   * name get the speaker of their id's part before the first {@code -} or {@code _}, as sclite's
   * {@code rm} id format does, or the id itself.
   */
  public static Result score(Map<String, List<String>> ref, Map<String, List<String>> hyp, Map<String, String> utt2spk,
      Unit unit) {
    List<Utterance> utts = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : ref.entrySet()) {
      List<String> h = hyp.get(e.getKey());
      if (h == null) {
        missing.add(e.getKey());
        h = List.of();
      }
      String speaker = utt2spk.getOrDefault(e.getKey(), defaultSpeaker(e.getKey()));
      utts.add(new Utterance(e.getKey(), speaker, Alignment.align(tokens(e.getValue(), unit), tokens(h, unit))));
    }
    List<String> extra = new ArrayList<>();
    for (String id : hyp.keySet()) {
      if (!ref.containsKey(id)) {
        extra.add(id);
      }
    }
    return new Result(unit, Collections.unmodifiableList(utts), List.copyOf(missing), List.copyOf(extra));
  }

  static String defaultSpeaker(String id) {
    for (int i = 1; i < id.length(); i++) {
      if (id.charAt(i) == '-' || id.charAt(i) == '_') {
        return id.substring(0, i);
      }
    }
    return id;
  }

  /** The words, or their characters (code points) with the spaces between words left out. */
  static List<String> tokens(List<String> words, Unit unit) {
    if (unit == Unit.WORDS) {
      return words;
    }
    List<String> chars = new ArrayList<>();
    for (String w : words) {
      w.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
    }
    return chars;
  }
}
