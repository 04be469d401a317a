package dev.joule.decoder.lm;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * Writes a {@link BackoffLm} as an ARPA file (log10 probabilities and backoff weights).
 *
 * <p>Numbers are written in Java's shortest round-trip form, so reading the file back gives the
 * same doubles; probability 0 is written {@code -99}. A backoff weight is written for every
 * n-gram below the highest order that is a context or has a non-zero weight.
 */
public final class ArpaWriter {
  private ArpaWriter() {}

  /** Writes {@code lm} to {@code path} ({@code .gz} names are compressed). */
  public static void write(BackoffLm lm, Path path) throws IOException {
    try (Writer out = LmFiles.writer(path)) {
      write(lm, out);
    }
  }

  /** Writes {@code lm} to {@code out}, which is flushed but not closed. */
  public static void write(BackoffLm lm, Writer out) throws IOException {
    Vocabulary vocab = lm.vocabulary();
    out.write("\n\\data\\\n");
    for (int n = 1; n <= lm.order(); n++) {
      out.write("ngram " + n + "=" + lm.size(n) + "\n");
    }
    StringBuilder line = new StringBuilder();
    for (int n = 1; n <= lm.order(); n++) {
      out.write("\n\\" + n + "-grams:\n");
      for (int i = 0; i < lm.size(n); i++) {
        line.setLength(0);
        line.append(number(lm.logProb(n, i))).append('\t');
        int[] words = lm.words(n, i);
        for (int k = 0; k < n; k++) {
          if (k > 0) {
            line.append(' ');
          }
          line.append(vocab.word(words[k]));
        }
        double backoff = lm.backoff(n, i);
        if (n < lm.order() && (lm.childCount(n, i) > 0 || backoff != 0)) {
          line.append('\t').append(number(backoff));
        }
        line.append('\n');
        out.append(line);
      }
    }
    out.write("\n\\end\\\n");
    out.flush();
  }

  private static String number(double x) {
    return x == Double.NEGATIVE_INFINITY || x <= ArpaReader.LOG_ZERO ? "-99" : Double.toString(x);
  }
}
