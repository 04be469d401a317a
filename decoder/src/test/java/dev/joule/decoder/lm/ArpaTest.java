package dev.joule.decoder.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArpaTest {
  @TempDir Path dir;

  static BackoffLm randomModel(long seed, int order) {
    Random r = new Random(seed);
    Vocabulary vocab = Corpora.vocabulary(25);
    return new KneserNeyEstimator(Discounts.FALLBACK)
        .estimate(Corpora.count(Corpora.sentences(r, vocab, 800, 12), order, vocab));
  }

  static String arpa(BackoffLm lm) throws IOException {
    StringWriter w = new StringWriter();
    ArpaWriter.write(lm, w);
    return w.toString();
  }

  static BackoffLm parse(String text) {
    return ArpaReader.parse(text, Path.of("test.arpa"));
  }

  @Test
  void roundTripIsExact() throws IOException {
    for (int order = 1; order <= 5; order++) {
      BackoffLm lm = randomModel(order, order);
      Path file = dir.resolve("m" + order + (order % 2 == 0 ? ".arpa.gz" : ".arpa"));
      ArpaWriter.write(lm, file);
      BackoffLm back = ArpaReader.read(file);
      assertEquals(lm.order(), back.order());
      assertEquals(lm.vocabulary().words(), back.vocabulary().words());
      for (int n = 1; n <= order; n++) {
        assertEquals(lm.size(n), back.size(n));
        Iterator<Ngram> a = lm.ngrams(n).iterator();
        Iterator<Ngram> b = back.ngrams(n).iterator();
        while (a.hasNext()) {
          Ngram x = a.next();
          Ngram y = b.next();
          assertArrayEquals(x.words(), y.words());
          assertEquals(x.logProb(), y.logProb());
          assertEquals(x.logBackoff(), y.logBackoff());
        }
      }
      assertEquals(arpa(lm), arpa(back));
      Random r = new Random(order);
      KneserNeyEstimatorTest.assertNormalised(back, r, 50);
    }
  }

  @Test
  void readsAnSrilmStyleFileByHand() {
    String text =
        String.join(
            "\n",
            "# written by hand, SRILM layout (comments before \\data\\ are ignored)",
            "",
            "\\data\\",
            "ngram 1=4",
            "ngram 2=2",
            "",
            "\\1-grams:",
            "-0.5\t</s>",
            "-99\t<s>\t-0.30103",
            "-0.6020600\thello\t-0.2",
            "-0.2\tworld",
            "",
            "\\2-grams:",
            "-0.1 <s> hello",
            "-0.05 hello world",
            "",
            "\\end\\",
            "");
    BackoffLm lm = parse(text);
    Vocabulary v = lm.vocabulary();
    int hello = v.id("hello");
    int world = v.id("world");
    assertEquals(2, lm.order());
    // <unk> was not listed: present with probability 0.
    assertEquals(Double.NEGATIVE_INFINITY, lm.logProb(new int[0], Vocabulary.UNK));
    assertEquals(Double.NEGATIVE_INFINITY, lm.logProb(new int[0], Vocabulary.BOS));
    assertEquals(-0.1, lm.logProb(new int[] {Vocabulary.BOS}, hello), 0);
    assertEquals(-0.05, lm.logProb(new int[] {hello}, world), 0);
    assertEquals(-0.2 + -0.5, lm.logProb(new int[] {hello}, Vocabulary.EOS), 1e-15);
    assertEquals(-0.30103 + -0.2, lm.logProb(new int[] {Vocabulary.BOS}, world), 1e-15);
    // world has no backoff weight: 0.
    assertEquals(-0.5, lm.logProb(new int[] {world}, Vocabulary.EOS), 0);
    // Histories longer than the order use their last word.
    assertEquals(-0.05, lm.logProb(new int[] {world, world, hello}, world), 0);
  }

  private static final String GOOD =
      "\\data\\\nngram 1=3\nngram 2=1\n\n\\1-grams:\n-1\t<s>\t-0.5\n-0.3\t</s>\n-0.2\ta\n\n"
          + "\\2-grams:\n-0.1\t<s> a\n\n\\end\\\n";

  private static void assertBad(String text, long line, String problem) {
    LmFormatException e = assertThrows(LmFormatException.class, () -> parse(text));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("test.arpa:" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void theGoodFileReads() {
    assertEquals(1, parse(GOOD).size(2));
  }

  @Test
  void malformedFilesNameTheLineAndTheProblem() {
    assertBad("hello\n", 1, "no \\data\\");
    assertBad(GOOD.replace("ngram 2=1", "ngram 3=1"), 3, "expected 'ngram 2=COUNT'");
    assertBad(GOOD.replace("ngram 2=1", "ngram 2=2"), 13, "has 1 entries but \\data\\ declares 2");
    assertBad(GOOD.replace("ngram 1=3", "ngram 1=2"), 8, "more entries");
    assertBad(GOOD.replace("-0.2\ta", "x\ta"), 8, "'x' is not a number");
    assertBad(GOOD.replace("-0.2\ta", "NaN\ta"), 8, "not a finite number");
    assertBad(GOOD.replace("-0.2\ta", "0.5\ta"), 8, "above 0");
    assertBad(GOOD.replace("-0.1\t<s> a", "-0.1\t<s> b"), 11, "word 'b' is not a unigram");
    String trigram = GOOD.replace("ngram 2=1\n", "ngram 2=1\nngram 3=1\n")
        .replace("\n\\end", "\n\\3-grams:\n-0.1\ta a a\n\n\\end");
    assertBad(trigram, 15, "context of this 3-gram is not listed at order 2");
    assertBad(GOOD.replace("-0.1\t<s> a", "-0.1\t<s>"), 11, "expected 'logprob' then 2 words");
    assertBad(GOOD.replace("\\end\\\n", ""), 12, "missing \\end\\");
    assertBad(GOOD.replace("-0.3\t</s>", "-0.3\ta"), 8, "listed twice");
    assertBad(GOOD.replace("-0.3\t</s>", "-0.3\tb"), 8, "must include <s> and </s>");
    assertBad(GOOD.replace("\\2-grams:", "\\3-grams:"), 10, "expected \\2-grams:");
  }

  @Test
  void invalidUtf8IsAFormatError() throws IOException {
    Path file = dir.resolve("bad.arpa");
    byte[] good = GOOD.getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[good.length + 1];
    int cut = GOOD.indexOf("-0.2\ta") + 5;
    System.arraycopy(good, 0, bad, 0, cut);
    bad[cut] = (byte) 0xff;
    System.arraycopy(good, cut, bad, cut + 1, good.length - cut);
    Files.write(file, bad);
    LmFormatException e = assertThrows(LmFormatException.class, () -> ArpaReader.read(file));
    assertEquals(8, e.line());
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void missingFileIsAClearError() {
    LmException e = assertThrows(LmException.class, () -> ArpaReader.read(dir.resolve("none.arpa")));
    assertTrue(e.getMessage().contains("none.arpa: no such file"), e.getMessage());
  }
}
