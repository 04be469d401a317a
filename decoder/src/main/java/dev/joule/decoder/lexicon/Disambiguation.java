package dev.joule.decoder.lexicon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Disambiguation symbols for a lexicon, as Kaldi's {@code add_lex_disambig.pl}: a pronunciation
 * that is shared by several words (homophones) or is a proper prefix of another pronunciation gets
 * a symbol {@code #k} (k ≥ 1) appended, distinct among the entries with the same phones, so that
 * {@code L ∘ G} becomes determinizable. {@code #0} is kept for the grammar's backoff arcs.
 */
public final class Disambiguation {
  /** One lexicon entry; {@code symbol} is 0 when it needs no disambiguation symbol. */
  public record Entry(String word, List<String> phones, int symbol) {}

  private final List<Entry> entries;
  private final int maxSymbol;

  private Disambiguation(List<Entry> entries, int maxSymbol) {
    this.entries = entries;
    this.maxSymbol = maxSymbol;
  }

  /** Assigns symbols to every (word, pronunciation) of {@code lexicon}, in lexicon order. */
  public static Disambiguation assign(Lexicon lexicon) {
    Map<List<String>, Integer> count = new HashMap<>();
    Set<List<String>> prefixes = new HashSet<>();
    for (String w : lexicon.words()) {
      for (List<String> p : lexicon.pronunciations(w)) {
        count.merge(p, 1, Integer::sum);
        for (int len = 1; len < p.size(); len++) {
          prefixes.add(p.subList(0, len));
        }
      }
    }
    Map<List<String>, Integer> lastUsed = new HashMap<>();
    List<Entry> out = new ArrayList<>();
    int max = 0;
    for (String w : lexicon.words()) {
      for (List<String> p : lexicon.pronunciations(w)) {
        int symbol = 0;
        if (count.get(p) > 1 || prefixes.contains(p)) {
          symbol = lastUsed.merge(p, 1, Integer::sum);
          max = Math.max(max, symbol);
        }
        out.add(new Entry(w, p, symbol));
      }
    }
    return new Disambiguation(List.copyOf(out), max);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The largest {@code k} used; symbols {@code #0..#maxSymbol} are needed. */
  public int maxSymbol() {
    return maxSymbol;
  }
}
