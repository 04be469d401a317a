package dev.joule.decoder.lm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads ARPA backoff language models (as written by SRILM, KenLM, IRSTLM or {@link ArpaWriter}).
 *
 * <p>The vocabulary is the unigram list in file order, after {@code <s>}, {@code </s>} and
 * {@code <unk>}; a model without an {@code <unk>} unigram gets one with probability 0. Log10
 * probabilities of {@code -99} or less mean 0. Every n-gram's context (its first n-1 words)
 * must itself be listed, as backoff lookups need its weight. Any departure from the format is a
 * {@link LmFormatException} naming the file and line.
 */
public final class ArpaReader {
  /** log10 probabilities at or below this are probability 0 (SRILM writes -99). */
  static final double LOG_ZERO = -99;

  private final TextLines in;

  private ArpaReader(TextLines in) {
    this.in = in;
  }

  /** Reads the model in {@code path} ({@code .gz} names are decompressed). */
  public static BackoffLm read(Path path) {
    try (TextLines in = TextLines.open(path)) {
      return new ArpaReader(in).read();
    }
  }

  /** Reads a model from the text of an ARPA file; {@code name} is used in error messages. */
  public static BackoffLm parse(String text, Path name) {
    return new ArpaReader(TextLines.of(text, name)).read();
  }

  private String next() {
    return in.next();
  }

  /** The next line that is not blank, trimmed, or null at the end of the file. */
  private String nextContent() {
    String line;
    while ((line = next()) != null) {
      line = line.strip();
      if (!line.isEmpty()) {
        return line;
      }
    }
    return null;
  }

  private LmFormatException error(String problem) {
    return new LmFormatException(in.path(), Math.max(1, in.number()), problem);
  }

  private BackoffLm read() {
    String line;
    // Anything before \data\ is a comment (SRILM and IRSTLM put notes there).
    while (!"\\data\\".equals(line = nextContent())) {
      if (line == null) {
        throw error("no \\data\\ section: not an ARPA file");
      }
    }
    List<Integer> declared = new ArrayList<>();
    while ((line = nextContent()) != null && line.startsWith("ngram ")) {
      int eq = line.indexOf('=');
      int n;
      int count;
      try {
        n = Integer.parseInt(line.substring(6, eq < 0 ? line.length() : eq).strip());
        count = Integer.parseInt(line.substring(eq + 1).strip());
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        throw error("malformed count line '" + line + "' (expected 'ngram N=COUNT')");
      }
      if (eq < 0 || n != declared.size() + 1 || count < 0) {
        throw error("count line '" + line + "': expected 'ngram " + (declared.size() + 1) + "=COUNT'");
      }
      declared.add(count);
    }
    int order = declared.size();
    if (order == 0) {
      throw error("\\data\\ section lists no n-gram counts");
    }
    if (order > NgramCounts.MAX_ORDER) {
      throw error("order " + order + " is above the supported " + NgramCounts.MAX_ORDER);
    }
    if (declared.get(0) == 0) {
      throw error("the model has no unigrams");
    }
    BackoffLm.Builder builder = null;
    Vocabulary vocab = null;
    for (int n = 1; n <= order; n++) {
      if (!("\\" + n + "-grams:").equals(line)) {
        throw error("expected \\" + n + "-grams: but found '" + line + "'");
      }
      if (n == 1) {
        List<String[]> unigrams = readSection(1, declared.get(0));
        vocab = vocabularyOf(unigrams);
        builder = new BackoffLm.Builder(order, vocab);
        for (String[] u : unigrams) {
          builder.add(1, 0, vocab.id(u[1]), Double.parseDouble(u[0]), Double.parseDouble(u[2]));
        }
        line = nextContent();
        if (line != null && !line.startsWith("\\")) {
          throw error("section \\1-grams: has more entries than the " + declared.get(0) + " \\data\\ declares");
        }
      } else {
        line = readHigherOrder(n, declared.get(n - 1), builder, vocab);
      }
    }
    if (!"\\end\\".equals(line)) {
      throw error(line == null ? "missing \\end\\ at end of file" : "expected \\end\\ but found '" + line + "'");
    }
    return builder.build();
  }

  /** Reads unigram lines as {log10 prob, word, log10 backoff} strings, numbers validated. */
  private List<String[]> readSection(int n, int count) {
    List<String[]> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      String line = nextContent();
      if (line == null || line.startsWith("\\")) {
        throw error("section \\" + n + "-grams: has " + k + " entries but \\data\\ declares " + count);
      }
      String[] f = TextCorpus.split(line);
      if (f.length != 2 && f.length != 3) {
        throw error("expected 'logprob word [backoff]' but found '" + line + "'");
      }
      double p = logProb(f[0]);
      double b = f.length == 3 ? backoff(f[2]) : 0;
      out.add(new String[] {Double.toString(p), f[1], Double.toString(b)});
    }
    return out;
  }

  private Vocabulary vocabularyOf(List<String[]> unigrams) {
    Set<String> seen = new HashSet<>();
    List<String> words = new ArrayList<>();
    for (String[] u : unigrams) {
      if (!seen.add(u[1])) {
        throw error("unigram '" + u[1] + "' is listed twice");
      }
      words.add(u[1]);
    }
    if (!seen.contains(Vocabulary.BOS_WORD) || !seen.contains(Vocabulary.EOS_WORD)) {
      throw error("the unigrams must include " + Vocabulary.BOS_WORD + " and " + Vocabulary.EOS_WORD);
    }
    return Vocabulary.of(words);
  }

  /** Reads the n-grams of order {@code n}; returns the first line after them. */
  private String readHigherOrder(int n, int count, BackoffLm.Builder builder, Vocabulary vocab) {
    int[] ids = new int[n];
    for (int k = 0; k < count; k++) {
      String line = nextContent();
      if (line == null || line.startsWith("\\")) {
        throw error("section \\" + n + "-grams: has " + k + " entries but \\data\\ declares " + count);
      }
      String[] f = TextCorpus.split(line);
      if (f.length != n + 1 && f.length != n + 2) {
        throw error("expected 'logprob' then " + n + " words then an optional backoff, found '" + line + "'");
      }
      double p = logProb(f[0]);
      double b = f.length == n + 2 ? backoff(f[n + 1]) : 0;
      int context = 0;
      for (int j = 0; j < n; j++) {
        ids[j] = vocab.id(f[j + 1]);
        if (ids[j] < 0) {
          throw error("word '" + f[j + 1] + "' is not a unigram");
        }
        if (j < n - 1) {
          context = builder.find(j + 1, context, ids[j]);
          if (context < 0) {
            throw error("the context of this " + n + "-gram is not listed at order " + (n - 1));
          }
        }
      }
      if (builder.find(n, context, ids[n - 1]) >= 0) {
        throw error("this " + n + "-gram is listed twice");
      }
      builder.add(n, context, ids[n - 1], p, b);
    }
    String line = nextContent();
    if (line != null && !line.startsWith("\\")) {
      throw error("section \\" + n + "-grams: has more entries than the " + count + " \\data\\ declares");
    }
    return line;
  }

  private double logProb(String s) {
    double p = number(s, "log10 probability");
    if (p > 1e-6) {
      throw error("log10 probability " + s + " is above 0");
    }
    return p <= LOG_ZERO ? Double.NEGATIVE_INFINITY : Math.min(p, 0);
  }

  private double backoff(String s) {
    double b = number(s, "log10 backoff weight");
    if (Double.isInfinite(b) || b <= LOG_ZERO) {
      // A zero backoff weight: unlisted words in this context get no probability at all.
      return Double.NEGATIVE_INFINITY;
    }
    return b;
  }

  private double number(String s, String what) {
    if (s.equalsIgnoreCase("-inf") || s.equalsIgnoreCase("-infinity")) {
      return Double.NEGATIVE_INFINITY;
    }
    double x;
    try {
      x = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw error(what + " '" + s + "' is not a number");
    }
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      throw error(what + " '" + s + "' is not a finite number");
    }
    return x;
  }
}
