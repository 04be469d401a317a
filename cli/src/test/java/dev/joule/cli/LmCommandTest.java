package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code joule lm} end to end on a small generated corpus. */
class LmCommandTest {
  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = Joule.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path corpus(String name, long seed, int sentences) throws IOException {
    Random r = new Random(seed);
    String[] words = "the a cat dog sat on mat ran to house big small red".split(" ");
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < sentences; i++) {
      int len = 1 + r.nextInt(8);
      for (int k = 0; k < len; k++) {
        s.append(k > 0 ? " " : "").append(words[Math.min(words.length - 1, (int) (r.nextDouble() * r.nextDouble() * words.length))]);
      }
      s.append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, s);
    return p;
  }

  private static double ppl(String output) {
    Matcher m = Pattern.compile(", ppl ([0-9.]+),").matcher(output);
    assertTrue(m.find(), output);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void trainPplPruneSample() throws IOException {
    Path train = corpus("train.txt", 1, 3000);
    Path test = corpus("test.txt", 2, 300);
    Path arpa = dir.resolve("lm.arpa");
    assertEquals(ExitCodes.OK, run("lm", "train", "--order", "3", "--discount-fallback", "-o", arpa.toString(), train.toString()), err.toString());
    assertTrue(err.toString().contains("order 3:"), err.toString());
    assertTrue(Files.readString(arpa).startsWith("\n\\data\\\nngram 1=16\n"));

    assertEquals(ExitCodes.OK, run("lm", "ppl", "--lm", arpa.toString(), test.toString()), err.toString());
    double full = ppl(out.toString());
    assertTrue(full > 1 && full < 16, out.toString());

    Path pruned = dir.resolve("pruned.arpa");
    assertEquals(ExitCodes.OK,
        run("lm", "prune", "--lm", arpa.toString(), "-o", pruned.toString(), "--threshold", "1e-5"), err.toString());
    assertEquals(ExitCodes.OK, run("lm", "ppl", "--lm", pruned.toString(), test.toString()));
    double afterPruning = ppl(out.toString());
    assertTrue(afterPruning >= full * 0.99, full + " -> " + afterPruning);

    assertEquals(ExitCodes.OK, run("lm", "sample", "--lm", arpa.toString(), "-n", "5", "--seed", "7"));
    assertEquals(5, out.toString().lines().count(), out.toString());
    String first = out.toString();
    run("lm", "sample", "--lm", arpa.toString(), "-n", "5", "--seed", "7");
    assertEquals(first, out.toString());
  }

  @Test
  void vocabularyLimitMakesUnk() throws IOException {
    Path train = corpus("train.txt", 3, 2000);
    Path arpa = dir.resolve("lm.arpa");
    assertEquals(ExitCodes.OK,
        run("lm", "train", "--order", "2", "--max-vocab", "5", "--discount-fallback", "-o", arpa.toString(), train.toString()),
        err.toString());
    assertTrue(Files.readString(arpa).contains("ngram 1=8\n"));
    assertEquals(ExitCodes.OK, run("lm", "ppl", "--lm", arpa.toString(), train.toString()));
    assertTrue(!out.toString().contains(" 0 OOVs"), out.toString());
  }

  @Test
  void closedVocabularyFromAFile() throws IOException {
    Path train = corpus("train.txt", 5, 2000);
    Path vocab = dir.resolve("vocab.txt");
    Files.writeString(vocab, "the\ncat dog\nzebra\n");
    Path arpa = dir.resolve("lm.arpa");
    assertEquals(ExitCodes.OK,
        run("lm", "train", "--order", "2", "--vocab", vocab.toString(), "--discount-fallback", "-o", arpa.toString(),
            train.toString()),
        err.toString());
    String text = Files.readString(arpa);
    // <s> </s> <unk> plus the four listed words, zebra unseen but present.
    assertTrue(text.contains("ngram 1=7\n") && text.contains("\tzebra\n") && text.contains("\t<unk>\t"), text);
  }

  @Test
  void errorsAreOneLineWithTheRightExitCode() throws IOException {
    Path bad = dir.resolve("bad.arpa");
    Files.writeString(bad, "\\data\\\nngram 1=x\n");
    Path text = corpus("t.txt", 4, 10);
    assertEquals(ExitCodes.MODEL, run("lm", "ppl", "--lm", bad.toString(), text.toString()));
    assertEquals("joule: " + bad + ":2: malformed count line 'ngram 1=x' (expected 'ngram N=COUNT')", err.toString().strip());

    Path badText = dir.resolve("bad.txt");
    Files.writeString(badText, "a b\n<s> a </s> b\n");
    assertEquals(ExitCodes.INPUT, run("lm", "train", "-o", dir.resolve("x.arpa").toString(), badText.toString()));
    assertEquals("joule: " + badText + ":2: </s> inside a sentence (only allowed at its start or end)",
        err.toString().strip());

    assertEquals(ExitCodes.INPUT, run("lm", "train", "-o", dir.resolve("x.arpa").toString(), dir.resolve("none.txt").toString()));
    assertTrue(err.toString().strip().endsWith("none.txt: no such file"), err.toString());

    // A model file that is not there is missing input (2), not a broken model (3).
    assertEquals(ExitCodes.INPUT, run("lm", "ppl", "--lm", dir.resolve("none.arpa").toString(), text.toString()));
    assertEquals("joule: " + dir.resolve("none.arpa") + ": no such file", err.toString().strip());

    assertEquals(ExitCodes.USAGE, run("lm", "train", "--order", "12", "-o", "x.arpa", text.toString()));
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }
}
