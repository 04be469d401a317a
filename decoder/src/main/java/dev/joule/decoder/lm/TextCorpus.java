package dev.joule.decoder.lm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sentences of a text file: one sentence per line, words separated by spaces or tabs, blank
 * lines skipped. A line may start with {@code <s>} and end with {@code </s>} (SRILM style); they
 * are dropped, and either appearing anywhere else is a {@link LmFormatException}.
 */
public final class TextCorpus {
  /** Receives each sentence with its 1-based line number. */
  @FunctionalInterface
  public interface SentenceConsumer {
    void accept(String[] words, long line);
  }

  private TextCorpus() {}

  /** Calls {@code consumer} for every non-blank line of {@code path}. */
  public static void forEachSentence(Path path, SentenceConsumer consumer) {
    try (TextLines in = TextLines.open(path)) {
      String line;
      while ((line = in.next()) != null) {
        long lineNumber = in.number();
        String[] words = split(line);
        if (words.length == 0) {
          continue;
        }
        int from = 0;
        int to = words.length;
        if (to > 0 && words[0].equals(Vocabulary.BOS_WORD)) {
          from++;
        }
        if (to > from && words[to - 1].equals(Vocabulary.EOS_WORD)) {
          to--;
        }
        for (int i = from; i < to; i++) {
          if (words[i].equals(Vocabulary.BOS_WORD) || words[i].equals(Vocabulary.EOS_WORD)) {
            throw new LmFormatException(
                path, lineNumber, words[i] + " inside a sentence (only allowed at its start or end)");
          }
        }
        String[] sentence = new String[to - from];
        System.arraycopy(words, from, sentence, 0, sentence.length);
        consumer.accept(sentence, lineNumber);
      }
    }
  }

  /** Words of {@code line} split on spaces and tabs. */
  static String[] split(String line) {
    List<String> out = new ArrayList<>();
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && isSpace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(line.substring(start, i));
      }
    }
    return out.toArray(new String[0]);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000b';
  }

  /**
   * The vocabulary of {@code files}: words seen at least {@code minCount} times, at most {@code
   * maxWords} of them (the most frequent); the others become {@code <unk>} when counting.
   */
  public static Vocabulary vocabulary(List<Path> files, long minCount, int maxWords) {
    Vocabulary.Builder b = new Vocabulary.Builder();
    for (Path file : files) {
      forEachSentence(file, (words, line) -> {
        for (String w : words) {
          b.add(w, 1);
        }
      });
    }
    return b.build(minCount, maxWords);
  }

  /** N-gram counts of {@code files} over {@code vocab}; unknown words count as {@code <unk>}. */
  public static NgramCounts count(List<Path> files, int order, Vocabulary vocab) {
    NgramCounts counts = new NgramCounts(order, vocab);
    for (Path file : files) {
      forEachSentence(file, (words, line) -> counts.addSentence(ids(vocab, words)));
    }
    return counts;
  }

  /** Ids of {@code words}, {@code <unk>} for those not in {@code vocab}. */
  public static int[] ids(Vocabulary vocab, String[] words) {
    int[] ids = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      ids[i] = vocab.idOrUnk(words[i]);
    }
    return ids;
  }
}
