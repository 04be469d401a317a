package dev.joule.decoder.graph;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what G needs from an ARPA back-off language model: the n-grams with their log10
 * probabilities and back-off weights. Strict: counts must match the {@code \data\} header, every
 * order up to the highest must be present, and probabilities must be finite log10 values ≤ 0
 * ({@code -inf} or {@code -99} mark impossible events and are kept as such).
 */
final class ArpaGrammarReader {
  private final Path file;
  private long lineNo;

  private ArpaGrammarReader(Path file) {
    this.file = file;
  }

  /** @throws GraphException naming the file and line of the first problem */
  static ArpaGrammar read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new GraphException(file + ": no such file");
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return new ArpaGrammarReader(file).parse(r);
    }
  }

  private GraphException error(String problem) {
    return new GraphException(file + ":" + lineNo + ": " + problem);
  }

  private String next(BufferedReader r) throws IOException {
    String line = r.readLine();
    if (line != null) {
      lineNo++;
    }
    return line;
  }

  private ArpaGrammar parse(BufferedReader r) throws IOException {
    String line;
    do {
      line = next(r);
      if (line == null) {
        throw error("no \\data\\ section; not an ARPA file");
      }
    } while (!line.strip().equals("\\data\\"));

    List<Integer> counts = new ArrayList<>();
    while ((line = next(r)) != null) {
      String t = line.strip();
      if (t.isEmpty()) {
        if (counts.isEmpty()) {
          continue;
        }
        break;
      }
      if (!t.startsWith("ngram ")) {
        break;
      }
      int eq = t.indexOf('=');
      try {
        int order = Integer.parseInt(t.substring(6, eq).strip());
        int count = Integer.parseInt(t.substring(eq + 1).strip());
        if (order != counts.size() + 1 || count < 0) {
          throw error("expected a count for order " + (counts.size() + 1) + ", found '" + t + "'");
        }
        counts.add(count);
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        throw error("bad n-gram count line '" + t + "'");
      }
    }
    if (counts.isEmpty()) {
      throw error("the \\data\\ section lists no n-gram counts");
    }

    List<String> vocabulary = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    ArpaGrammar.Order[] orders = new ArpaGrammar.Order[counts.size()];
    for (int k = 1; k <= counts.size(); k++) {
      String header = "\\" + k + "-grams:";
      while (line != null && line.strip().isEmpty()) {
        line = next(r);
      }
      if (line == null || !line.strip().equals(header)) {
        throw error("expected " + header + ", found " + (line == null ? "end of file" : "'" + line.strip() + "'"));
      }
      int count = counts.get(k - 1);
      int[] words = new int[count * k];
      float[] logProb = new float[count];
      float[] backoff = new float[count];
      int n = 0;
      while ((line = next(r)) != null) {
        String t = line.strip();
        if (t.isEmpty()) {
          continue;
        }
        if (t.startsWith("\\")) {
          break;
        }
        String[] f = t.split("\\s+");
        if (f.length != k + 1 && f.length != k + 2) {
          throw error("a " + k + "-gram line needs " + (k + 1) + " or " + (k + 2) + " fields, found " + f.length);
        }
        if (n == count) {
          throw error("more " + k + "-grams than the " + count + " the header announces");
        }
        logProb[n] = parseLog(f[0], "probability");
        for (int j = 0; j < k; j++) {
          String w = f[1 + j];
          Integer id = ids.get(w);
          if (id == null) {
            id = vocabulary.size();
            vocabulary.add(w);
            ids.put(w, id);
          }
          words[n * k + j] = id;
        }
        backoff[n] = f.length == k + 2 ? parseLog(f[k + 1], "back-off weight") : 0f;
        n++;
      }
      if (n != count) {
        throw error(count + " " + k + "-grams announced, " + n + " found");
      }
      try {
        orders[k - 1] = new ArpaGrammar.Order(k, count, words, logProb, backoff, vocabulary);
      } catch (IllegalStateException e) {
        throw new GraphException(file + ": " + e.getMessage());
      }
    }
    while (line != null && line.strip().isEmpty()) {
      line = next(r);
    }
    if (line == null || !line.strip().equals("\\end\\")) {
      throw error("expected \\end\\ after the " + counts.size() + "-grams");
    }
    return new ArpaGrammar(List.copyOf(vocabulary), ids, orders);
  }

  private float parseLog(String s, String what) {
    if (s.equals("-inf") || s.equals("-Infinity")) {
      return Float.NEGATIVE_INFINITY;
    }
    float v;
    try {
      v = Float.parseFloat(s);
    } catch (NumberFormatException e) {
      throw error("bad log10 " + what + " '" + s + "'");
    }
    if (Float.isNaN(v) || Float.isInfinite(v)) {
      throw error("log10 " + what + " '" + s + "' is not finite");
    }
    if (what.equals("probability") && v > 0) {
      throw error("log10 probability " + s + " is above 0");
    }
    return v;
  }
}
