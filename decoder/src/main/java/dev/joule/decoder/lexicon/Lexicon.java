package dev.joule.decoder.lexicon;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Words and their pronunciations (phone sequences), in the order first read. A word may have
 * several pronunciations; identical ones are kept once. Immutable.
 */
public final class Lexicon {
  private final Map<String, List<List<String>>> prons;

  private Lexicon(Map<String, List<List<String>>> prons) {
    this.prons = prons;
  }

  /** A lexicon from a word → pronunciations map (copied; duplicates dropped, empty ones refused). */
  public static Lexicon of(Map<String, List<List<String>>> entries) {
    Builder b = new Builder();
    entries.forEach((w, ps) -> ps.forEach(p -> b.add(w, p)));
    return b.build();
  }

  /**
   * Reads a CMUdict-format dictionary ({@code cmudict-en-us.dict} from Debian's pocketsphinx-en-us,
   * or the original CMUdict): {@code word PH1 PH2 ...} per line, alternates as {@code word(2)},
   * comments after {@code #} and lines starting with {@code ;;;} ignored. Words are lower-cased.
   *
   * @param keepStress keep stress digits ({@code AH0}); by default they are stripped ({@code AH})
   * @throws LexiconException naming the file and line of a malformed entry
   */
  public static Lexicon readCmudict(Path file, boolean keepStress) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new LexiconException(file + ": no such file");
    }
    Builder b = new Builder();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.startsWith(";;;")) {
          continue;
        }
        int hash = line.indexOf('#');
        String body = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (body.isEmpty()) {
          continue;
        }
        String[] f = body.split("\\s+");
        if (f.length < 2) {
          throw new LexiconException(file, lineNo, "word '" + f[0] + "' has no pronunciation");
        }
        String word = baseWord(f[0], file, lineNo).toLowerCase(Locale.ROOT);
        List<String> phones = new ArrayList<>(f.length - 1);
        for (int i = 1; i < f.length; i++) {
          String p = keepStress ? f[i] : stripStress(f[i]);
          if (p.isEmpty() || !Character.isLetter(p.charAt(0))) {
            throw new LexiconException(file, lineNo, "bad phone '" + f[i] + "' in the entry for '" + f[0] + "'");
          }
          phones.add(p);
        }
        b.add(word, phones);
      }
    }
    if (b.prons.isEmpty()) {
      throw new LexiconException(file + ": no entries");
    }
    return b.build();
  }

  /** {@code word(2)} → {@code word}; a malformed variant suffix is an error. */
  private static String baseWord(String token, Path file, long line) {
    int open = token.lastIndexOf('(');
    if (open > 0 && token.endsWith(")")) {
      String n = token.substring(open + 1, token.length() - 1);
      if (n.isEmpty() || !n.chars().allMatch(Character::isDigit)) {
        throw new LexiconException(file, line, "bad alternate-pronunciation marker in '" + token + "'");
      }
      return token.substring(0, open);
    }
    return token;
  }

  /** {@code AH0} → {@code AH}: removes trailing stress digits. */
  static String stripStress(String phone) {
    int end = phone.length();
    while (end > 0 && Character.isDigit(phone.charAt(end - 1))) {
      end--;
    }
    return phone.substring(0, end);
  }

  /** The words, in the order they were first read. */
  public Set<String> words() {
    return Collections.unmodifiableSet(prons.keySet());
  }

  public boolean contains(String word) {
    return prons.containsKey(word);
  }

  /** The pronunciations of {@code word} (empty when absent). */
  public List<List<String>> pronunciations(String word) {
    return prons.getOrDefault(word, List.of());
  }

  /** How many (word, pronunciation) entries there are. */
  public int size() {
    return prons.values().stream().mapToInt(List::size).sum();
  }

  /** The phones used, sorted. */
  public Set<String> phones() {
    Set<String> out = new TreeSet<>();
    prons.values().forEach(ps -> ps.forEach(out::addAll));
    return out;
  }

  /** The sub-lexicon of the given words that have a pronunciation (in this lexicon's order). */
  public Lexicon restrictTo(Collection<String> vocabulary) {
    Set<String> keep = new LinkedHashSet<>(vocabulary);
    Map<String, List<List<String>>> out = new LinkedHashMap<>();
    prons.forEach((w, ps) -> {
      if (keep.contains(w)) {
        out.put(w, ps);
      }
    });
    return new Lexicon(out);
  }

  /** The words of {@code vocabulary} with no pronunciation here, in the vocabulary's order. */
  public List<String> missing(Collection<String> vocabulary) {
    List<String> out = new ArrayList<>();
    for (String w : vocabulary) {
      if (!prons.containsKey(w)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Collects entries, dropping repeated pronunciations of a word. */
  static final class Builder {
    private final Map<String, List<List<String>>> prons = new LinkedHashMap<>();

    void add(String word, List<String> phones) {
      if (word.isEmpty() || word.chars().anyMatch(Character::isWhitespace)) {
        throw new LexiconException("word '" + word + "' is empty or contains whitespace");
      }
      if (phones.isEmpty()) {
        throw new LexiconException("word '" + word + "' has an empty pronunciation");
      }
      List<List<String>> ps = prons.computeIfAbsent(word, k -> new ArrayList<>());
      List<String> copy = List.copyOf(phones);
      if (!ps.contains(copy)) {
        ps.add(copy);
      }
    }

    Lexicon build() {
      Map<String, List<List<String>>> frozen = new LinkedHashMap<>();
      prons.forEach((w, ps) -> frozen.put(w, List.copyOf(ps)));
      return new Lexicon(frozen);
    }
  }
}
