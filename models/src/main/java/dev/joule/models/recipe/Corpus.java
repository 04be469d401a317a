package dev.joule.models.recipe;

import dev.joule.decoder.lexicon.Lexicon;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The text corpus: sentences from several sources, normalised ({@link TextNormalizer}), filtered
 * (not prose, too short or long, out of lexicon), de-duplicated across all sources (the first
 * source to produce a sentence keeps it) and split into train, dev and test sets with a seeded
 * shuffle. A sentence text appears in exactly one split.
 */
public final class Corpus {
  /** The three text splits. */
  public enum Split {
    TRAIN, DEV, TEST;

    public String dirName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A normalised sentence, its id ({@code source-NNNNNN}) and its source. */
  public record Sentence(String id, String source, String text) {
    public String[] words() {
      return text.split(" ");
    }
  }

  /** What happened to one source's text. */
  public static final class SourceStats {
    public final String source;
    /** Units read (fortune entries, verses, glosses, words). */
    public long units;
    /** Candidate sentences after splitting. */
    public long candidates;
    public long notProse;
    public long badLength;
    public long duplicates;
    /** Sentences dropped because a word has no pronunciation. */
    public long oov;
    /** Units dropped before splitting (e.g. Jane Austen's fortunes; out-of-lexicon list words). */
    public long excluded;
    public final Map<Split, Integer> perSplit = new EnumMap<>(Split.class);

    SourceStats(String source) {
      this.source = source;
      for (Split s : Split.values()) {
        perSplit.put(s, 0);
      }
    }

    public long kept() {
      return perSplit.values().stream().mapToLong(Integer::longValue).sum();
    }
  }

  /** Filtering and split settings. */
  public record Options(int minWords, int maxWords, double devFraction, double testFraction, long seed) {
    public static Options defaults(long seed) {
      return new Options(2, 24, 0.01, 0.01, seed);
    }
  }

  private final Map<Split, List<Sentence>> splits;
  private final Map<String, SourceStats> stats;
  private final Map<String, Integer> oovWords;

  private Corpus(Map<Split, List<Sentence>> splits, Map<String, SourceStats> stats, Map<String, Integer> oovWords) {
    this.splits = splits;
    this.stats = stats;
    this.oovWords = oovWords;
  }

  /** The sentences of {@code split}, sorted by id. */
  public List<Sentence> split(Split split) {
    return splits.get(split);
  }

  /** Per-source statistics, in the order the sources were added. */
  public Map<String, SourceStats> stats() {
    return Collections.unmodifiableMap(stats);
  }

  /** Out-of-lexicon words with the number of dropped sentences they occurred in, most frequent first. */
  public Map<String, Integer> oovWords() {
    return Collections.unmodifiableMap(oovWords);
  }

  /** Train-text word counts, sorted by word. */
  public Map<String, Long> trainVocabulary() {
    Map<String, Long> counts = new TreeMap<>();
    for (Sentence s : splits.get(Split.TRAIN)) {
      for (String w : s.words()) {
        counts.merge(w, 1L, Long::sum);
      }
    }
    return counts;
  }

  /** Builds a corpus source by source. Not thread-safe. */
  public static final class Builder {
    private final Lexicon lexicon;
    private final Options options;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, SourceStats> stats = new LinkedHashMap<>();
    private final Map<String, List<Sentence>> kept = new LinkedHashMap<>();
    private final Set<String> trainOnly = new HashSet<>();
    private final Map<String, Integer> oovWords = new TreeMap<>();

    /** @param lexicon pronunciations; a sentence with a word missing from it is dropped (null: keep all) */
    public Builder(Lexicon lexicon, Options options) {
      this.lexicon = lexicon;
      this.options = options;
    }

    /** The statistics of {@code source}, created empty on first use. */
    public SourceStats stats(String source) {
      checkName(source);
      kept.computeIfAbsent(source, k -> new ArrayList<>());
      return stats.computeIfAbsent(source, SourceStats::new);
    }

    /** Marks {@code source} as train-only: none of its sentences go to dev or test. */
    public Builder trainOnly(String source) {
      stats(source);
      trainOnly.add(source);
      return this;
    }

    /** Adds one written unit of text (a paragraph, verse, gloss): split into sentences, then clauses. */
    public void addText(String source, String unit) {
      SourceStats st = stats(source);
      st.units++;
      for (String sentence : SentenceSplitter.sentences(unit)) {
        for (String clause : SentenceSplitter.clauses(sentence, options.maxWords())) {
          addCandidate(source, clause);
        }
      }
    }

    /** Adds one sentence as is (no splitting). */
    public void addSentence(String source, String sentence) {
      stats(source).units++;
      addCandidate(source, sentence);
    }

    /**
     * Adds a word list as pseudo-sentences: the words that have a pronunciation, shuffled with the
     * seed, in groups of {@code minGroup..maxGroup} words (the last
     * group may take up to {@code minGroup - 1} more). Words without one are counted as excluded.
     */
    public void addWordList(String source, List<String> words, int minGroup, int maxGroup) {
      SourceStats st = stats(source);
      List<String> ok = new ArrayList<>();
      for (String w : words) {
        st.units++;
        if (lexicon == null || lexicon.contains(w)) {
          ok.add(w);
        } else {
          st.excluded++;
        }
      }
      Random rnd = new Random(mix(options.seed(), source));
      Collections.shuffle(ok, rnd);
      int i = 0;
      while (i < ok.size()) {
        int n = Math.min(ok.size() - i, minGroup + rnd.nextInt(maxGroup - minGroup + 1));
        if (ok.size() - i - n < minGroup) {
          n = ok.size() - i; // no short group at the end
        }
        addCandidate(source, String.join(" ", ok.subList(i, i + n)));
        i += n;
      }
    }

    private void addCandidate(String source, String raw) {
      SourceStats st = stats.get(source);
      st.candidates++;
      if (!looksLikeProse(raw)) {
        st.notProse++;
        return;
      }
      String text;
      try {
        text = TextNormalizer.normalize(raw);
      } catch (RuntimeException e) {
        st.notProse++;
        return;
      }
      int words = text.isEmpty() ? 0 : text.split(" ").length;
      if (words < options.minWords() || words > options.maxWords()) {
        st.badLength++;
        return;
      }
      if (!seen.add(text)) {
        st.duplicates++;
        return;
      }
      if (lexicon != null) {
        boolean oov = false;
        for (String w : text.split(" ")) {
          if (!lexicon.contains(w)) {
            oovWords.merge(w, 1, Integer::sum);
            oov = true;
          }
        }
        if (oov) {
          st.oov++;
          return;
        }
      }
      List<Sentence> list = kept.get(source);
      list.add(new Sentence(String.format("%s-%06d", source, list.size() + 1), source, text));
    }

    /** Splits the kept sentences of every source with the seeded shuffle. */
    public Corpus build() {
      Map<Split, List<Sentence>> out = new EnumMap<>(Split.class);
      for (Split s : Split.values()) {
        out.put(s, new ArrayList<>());
      }
      for (Map.Entry<String, List<Sentence>> e : kept.entrySet()) {
        String source = e.getKey();
        List<Sentence> list = new ArrayList<>(e.getValue());
        Collections.shuffle(list, new Random(mix(options.seed(), source + "/split")));
        int n = list.size();
        int dev = trainOnly.contains(source) ? 0 : (int) Math.round(n * options.devFraction());
        int test = trainOnly.contains(source) ? 0 : (int) Math.round(n * options.testFraction());
        SourceStats st = stats.get(source);
        for (int i = 0; i < n; i++) {
          Split s = i < dev ? Split.DEV : i < dev + test ? Split.TEST : Split.TRAIN;
          out.get(s).add(list.get(i));
          st.perSplit.merge(s, 1, Integer::sum);
        }
      }
      for (List<Sentence> l : out.values()) {
        l.sort(Comparator.comparing(Sentence::id));
      }
      Map<String, Integer> oov = new LinkedHashMap<>();
      oovWords.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .forEach(x -> oov.put(x.getKey(), x.getValue()));
      Map<Split, List<Sentence>> frozen = new EnumMap<>(Split.class);
      out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
      return new Corpus(frozen, new LinkedHashMap<>(stats), oov);
    }

    private static void checkName(String source) {
      if (!source.matches("[a-z0-9]+")) {
        throw new IllegalArgumentException("source names are lower-case letters and digits: '" + source + "'");
      }
    }
  }

  /**
   * Whether {@code raw} reads as prose: no markup or code characters, no addresses, and at least
   * twice as many letters as digits and symbols other than ordinary punctuation.
   */
  public static boolean looksLikeProse(String raw) {
    if (raw.contains("://") || raw.contains("www.") || raw.contains("--") && raw.strip().startsWith("--")) {
      return false;
    }
    int letters = 0;
    int other = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if ("{}<>[]|\\_~^*\t".indexOf(c) >= 0) {
        return false;
      }
      if (Character.isLetter(c)) {
        letters++;
      } else if (!Character.isWhitespace(c) && ".,;:!?'\"-()".indexOf(c) < 0) {
        other++;
      }
    }
    return letters > 0 && letters >= 2 * other;
  }

  /** A stable seed for {@code name} under {@code seed} (String.hashCode is specified, so stable). */
  static long mix(long seed, String name) {
    long h = seed * 0x9E3779B97F4A7C15L + name.hashCode();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
