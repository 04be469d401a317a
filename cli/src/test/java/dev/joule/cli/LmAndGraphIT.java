package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.fst.Fst;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The n-gram commands through the script, one feeding the next: {@code lm train}, {@code ppl},
 * {@code prune}, {@code sample}, then {@code compile-graph} with the trained model.
 */
class LmAndGraphIT {
  private static final String[] WORDS = {"yes", "no", "maybe", "please"};

  @TempDir Path dir;

  private Path corpus(String name, long seed, int sentences) throws Exception {
    Random r = new Random(seed);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < sentences; i++) {
      int length = 1 + r.nextInt(5);
      for (int k = 0; k < length; k++) {
        s.append(k > 0 ? " " : "").append(WORDS[(int) (r.nextDouble() * r.nextDouble() * WORDS.length)]);
      }
      s.append('\n');
    }
    return Files.writeString(dir.resolve(name), s);
  }

  private static double ppl(String output) {
    Matcher m = Pattern.compile(", ppl ([0-9.]+),").matcher(output);
    assertTrue(m.find(), output);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void trainEvaluatePruneSampleAndCompile() throws Exception {
    Path train = corpus("train.txt", 1, 1000);
    Path test = corpus("test.txt", 2, 100);
    Path arpa = dir.resolve("lm.arpa");
    Launcher joule = new Launcher(dir);
    Launcher.Result trained = joule.run("lm", "train", "--order", "3", "--discount-fallback", "-o", arpa.toString(),
        train.toString()).ok();
    assertTrue(trained.err().contains("order 3:"), trained.err());
    // <s>, </s>, <unk> and the four words.
    assertTrue(Files.readString(arpa).startsWith("\n\\data\\\nngram 1=7\n"), Files.readString(arpa));

    double full = ppl(joule.run("lm", "ppl", "--lm", arpa.toString(), test.toString()).ok().out());
    assertTrue(full > 1 && full < WORDS.length + 1, "perplexity " + full);
    Path pruned = dir.resolve("pruned.arpa");
    joule.run("lm", "prune", "--lm", arpa.toString(), "-o", pruned.toString(), "--threshold", "1e-3").ok();
    assertTrue(Files.size(pruned) < Files.size(arpa), "pruning removed nothing");
    assertTrue(ppl(joule.run("lm", "ppl", "--lm", pruned.toString(), test.toString()).ok().out()) >= full * 0.99);

    String sampled = joule.run("lm", "sample", "--lm", arpa.toString(), "-n", "5", "--seed", "7").ok().out();
    assertEquals(5, sampled.lines().count(), sampled);
    assertTrue(sampled.lines().flatMap(l -> Stream.of(l.split(" "))).allMatch(w -> List.of(WORDS).contains(w)), sampled);
    assertEquals(sampled, joule.run("lm", "sample", "--lm", arpa.toString(), "-n", "5", "--seed", "7").ok().out(),
        "the same seed samples the same sentences");

    // The tone model's lexicon and tokens; "please" has no pronunciation.
    Path lexicon = Files.writeString(dir.resolve("lexicon.txt"), "yes A B\nno B C\nmaybe C A\n");
    Path tokens = Files.writeString(dir.resolve("tokens.txt"), "<blk> 0\nA 1\nB 2\nC 3\n");
    Path graph = dir.resolve("graph");
    String compiled = joule.run("compile-graph", "--lexicon", lexicon.toString(), "--lm", arpa.toString(),
        "--tokens", tokens.toString(), "--out", graph.toString()).ok().out();
    assertTrue(compiled.contains("TLG") && compiled.contains("out-of-lexicon words: 1"), compiled);
    assertEquals(List.of("please"), Files.readAllLines(graph.resolve("oov.txt")));
    assertTrue(Fst.load(graph.resolve("TLG.jfst")).numArcs() > 0);

    Path bad = Files.writeString(dir.resolve("bad.arpa"), "\\data\\\nngram 1=x\n");
    joule.run("lm", "ppl", "--lm", bad.toString(), test.toString()).failsWith(ExitCodes.MODEL,
        bad + ":2: malformed count line 'ngram 1=x' (expected 'ngram N=COUNT')");
  }
}
