package dev.joule.models.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits written text into sentences: after {@code . ! ?} (and any closing quotes or brackets)
 * followed by white space and a capital letter, digit or opening quote. A period after a known
 * abbreviation ({@code Mr.}, {@code e.g.}) or a single capital initial ({@code J. Smith}) does not
 * end a sentence. Sentences longer than a limit can be cut further at {@code ; :} and then at
 * commas ({@link #clauses}).
 */
public final class SentenceSplitter {
  private static final Set<String> NO_BREAK = Set.of(
      "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "col", "capt", "lt", "sgt", "gov",
      "sen", "rep", "rev", "hon", "mt", "ave", "dept", "univ", "inc", "ltd", "co", "corp", "vs",
      "etc", "e.g", "i.e", "eg", "ie", "cf", "no", "vol", "ch", "fig", "approx", "jan", "feb",
      "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m");

  private SentenceSplitter() {}

  /** The sentences of {@code text}, stripped; white space inside each is collapsed to one space. */
  public static List<String> sentences(String text) {
    String t = text.replaceAll("\\s+", " ").strip();
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = t.length();
    for (int i = 0; i < n; i++) {
      char c = t.charAt(i);
      if (c != '.' && c != '!' && c != '?') {
        continue;
      }
      int j = i + 1;
      while (j < n && (t.charAt(j) == '.' || t.charAt(j) == '!' || t.charAt(j) == '?')) {
        j++;
      }
      while (j < n && isCloser(t.charAt(j))) {
        j++;
      }
      if (j >= n || t.charAt(j) != ' ' || j + 1 >= n || !isOpener(t.charAt(j + 1))) {
        i = j - 1;
        continue;
      }
      if (c == '.' && j == i + 1 && isAbbreviation(t, i)) {
        continue;
      }
      add(out, t.substring(start, j));
      start = j + 1;
      i = j;
    }
    add(out, t.substring(Math.min(start, n)));
    return out;
  }

  /**
   * {@code sentence} cut at {@code ; :} and, where a piece is still longer than {@code maxWords},
   * at commas, into pieces of at most {@code maxWords} words where the punctuation allows.
   */
  public static List<String> clauses(String sentence, int maxWords) {
    List<String> out = new ArrayList<>();
    if (words(sentence) <= maxWords) {
      out.add(sentence.strip());
      return out;
    }
    for (String part : sentence.split("(?<=[;:])\\s+")) {
      if (words(part) <= maxWords) {
        add(out, part);
        continue;
      }
      StringBuilder cur = new StringBuilder();
      for (String piece : part.split("(?<=,)\\s+")) {
        if (cur.length() > 0 && words(cur + " " + piece) > maxWords) {
          add(out, cur.toString());
          cur.setLength(0);
        }
        if (cur.length() > 0) {
          cur.append(' ');
        }
        cur.append(piece);
      }
      add(out, cur.toString());
    }
    return out;
  }

  private static int words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  private static void add(List<String> out, String s) {
    String t = s.strip();
    if (!t.isEmpty()) {
      out.add(t);
    }
  }

  private static boolean isCloser(char c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '\u201d' || c == '\u2019';
  }

  private static boolean isOpener(char c) {
    return Character.isUpperCase(c) || Character.isDigit(c) || c == '"' || c == '\'' || c == '('
        || c == '\u201c' || c == '\u2018';
  }

  /** Whether the word ending at the period {@code t[dot]} is an abbreviation or an initial. */
  private static boolean isAbbreviation(String t, int dot) {
    int b = dot;
    while (b > 0 && t.charAt(b - 1) != ' ' && t.charAt(b - 1) != '(' && t.charAt(b - 1) != '"') {
      b--;
    }
    String word = t.substring(b, dot);
    if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
      return true;
    }
    if (word.matches("(?:[A-Za-z]\\.)+[A-Za-z]")) {
      return true; // U.S.A. — the last period of an initialism
    }
    return NO_BREAK.contains(word.toLowerCase(java.util.Locale.ROOT));
  }
}
