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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code joule lm trf-train|trf-ppl|rescore} end to end on a small generated corpus. */
class TrfCommandsTest {
  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();
  private Path arpa;
  private Path train;
  private Path test;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = Joule.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** Sentences with structure an n-gram misses: the last word repeats the first. */
  private Path corpus(String name, long seed, int sentences) throws IOException {
    Random r = new Random(seed);
    String[] words = "the a cat dog sat on mat ran to house".split(" ");
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < sentences; i++) {
      int len = 2 + r.nextInt(4);
      String first = words[r.nextInt(words.length)];
      s.append(first);
      for (int k = 1; k < len - 1; k++) {
        s.append(' ').append(words[r.nextInt(words.length)]);
      }
      s.append(' ').append(first).append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, s);
    return p;
  }

  @BeforeEach
  void ngram() throws IOException {
    train = corpus("train.txt", 1, 1500);
    test = corpus("test.txt", 2, 200);
    arpa = dir.resolve("lm.arpa");
    assertEquals(ExitCodes.OK, run("lm", "train", "--order", "2", "--discount-fallback", "-o", arpa.toString(), train.toString()), err.toString());
  }

  private static double number(String pattern, String text) {
    Matcher m = Pattern.compile(pattern).matcher(text);
    assertTrue(m.find(), text);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void trainPerplexityAndRescoring() throws IOException {
    Path model = dir.resolve("trf");
    assertEquals(ExitCodes.OK, run("lm", "trf-train", "--lm", arpa.toString(), "-o", model.toString(),
        "--max-length", "6", "--embed", "8", "--hidden", "8", "--steps", "150", "--batch", "16",
        "--lr", "0.02", "--log-every", "50", train.toString()), err.toString());
    assertTrue(err.toString().contains("step 150: NCE loss"), err.toString());
    assertTrue(Files.exists(model.resolve("trf.jparams")));

    assertEquals(ExitCodes.OK, run("lm", "trf-ppl", "--model", model.toString(), "--lm", arpa.toString(),
        "--is-draws", "3000", test.toString()), err.toString());
    double trfPpl = number("TRF logprob [-0-9.]+, ppl ([0-9.]+)", out.toString());
    double ngramPpl = number("n-gram ppl ([0-9.]+)", out.toString());
    double isPpl = number("TRF ppl ([0-9.]+) with importance-sampled zeta", out.toString());
    // Words are uniform over 10 but the last repeats the first: the TRF can learn what the bigram cannot.
    assertTrue(ngramPpl > 5 && ngramPpl < 12, out.toString());
    assertTrue(trfPpl > 1 && trfPpl < ngramPpl, out.toString());
    assertTrue(Math.abs(Math.log(isPpl / trfPpl)) < 0.2, out.toString());

    // Two-candidate n-best lists where the acoustics prefer a wrong ending.
    StringBuilder nbest = new StringBuilder();
    StringBuilder refs = new StringBuilder();
    for (int u = 0; u < 20; u++) {
      nbest.append("u").append(u).append(" 10.0 cat sat on dog\n");
      nbest.append("u").append(u).append(" 10.3 cat sat on cat\n");
      refs.append("u").append(u).append(" cat sat on cat\n");
    }
    Path nb = dir.resolve("nbest.txt");
    Path rf = dir.resolve("refs.txt");
    Files.writeString(nb, nbest);
    Files.writeString(rf, refs);
    assertEquals(ExitCodes.MODEL, run("lm", "rescore", "--model", model.toString(), "--lm", arpa.toString(), nb.toString()));
    assertTrue(err.toString().startsWith("joule: ") && err.toString().contains("no rescoring weights"), err.toString());
    assertEquals(ExitCodes.OK, run("lm", "rescore", "--model", model.toString(), "--lm", arpa.toString(),
        "--tune", rf.toString(), "--grid", "5", nb.toString()), err.toString());
    assertEquals(25.0, number("WER ([0-9.]+)% acoustic only", out.toString()), 1e-9);
    double withTrf = number("([0-9.]+)% with n-gram and TRF", out.toString());
    assertEquals(0.0, withTrf, 1e-9, out.toString());
    assertEquals(ExitCodes.OK, run("lm", "rescore", "--model", model.toString(), "--lm", arpa.toString(), nb.toString()), err.toString());
    assertTrue(out.toString().startsWith("u0 cat sat on cat\n"), out.toString());
    assertTrue(err.toString().isEmpty(), err.toString());
    assertEquals(ExitCodes.OK, run("lm", "rescore", "--model", model.toString(), "--lm", arpa.toString(),
        "--weights", "0,0,0", "--refs", rf.toString(), nb.toString()), err.toString());
    assertEquals(25.0, number("WER ([0-9.]+)%", err.toString()), 1e-9);
  }

  @Test
  void badInputsAreOneLineErrorsWithTheirExitCodes() throws IOException {
    assertEquals(ExitCodes.MODEL, run("lm", "trf-ppl", "--model", dir.resolve("none").toString(), test.toString()));
    assertTrue(err.toString().startsWith("joule: ") && err.toString().lines().count() == 1, err.toString());
    Path model = dir.resolve("trf");
    assertEquals(ExitCodes.OK, run("lm", "trf-train", "--lm", arpa.toString(), "-o", model.toString(),
        "--max-length", "4", "--embed", "4", "--hidden", "4", "--steps", "2", train.toString()), err.toString());
    Path nb = dir.resolve("bad.txt");
    Files.writeString(nb, "u1 10 a b\nu1 eleven a\n");
    assertEquals(ExitCodes.INPUT, run("lm", "rescore", "--model", model.toString(), "--lm", arpa.toString(), nb.toString()));
    assertTrue(err.toString().startsWith("joule: " + nb + ":2: acoustic cost 'eleven'"), err.toString());
    assertEquals(ExitCodes.USAGE, run("lm", "trf-train", "--lm", arpa.toString(), "-o", model.toString(),
        "--max-length", "0", train.toString()));
    assertTrue(err.toString().startsWith("joule: "), err.toString());
  }

  @Test
  void dynamicNceTrainsAModelThatTrfPplReadsAndResumes() throws IOException {
    Path model = dir.resolve("trf-dnce");
    assertEquals(ExitCodes.OK, run("lm", "trf-train", "--lm", arpa.toString(), "-o", model.toString(),
        "--max-length", "6", "--embed", "8", "--hidden", "8", "--steps", "100", "--batch", "16", "--noise-ratio", "2",
        "--lr", "0.02", "--log-every", "50", "--dnce-alpha", "0.5", "--noise-embed", "8", "--noise-hidden", "16",
        "--noise-lr", "0.02", "--noise-warm-up", "10", train.toString()), err.toString());
    String log = err.toString();
    // Steps are numbered through the ten warm-up steps of the noise.
    assertTrue(log.contains("step 110: DNCE loss") && log.contains("noise NLL"), log);
    // The noise LSTM learns the text: its negative log-likelihood per sentence falls.
    Matcher nll = Pattern.compile("noise NLL ([0-9.]+)").matcher(log);
    assertTrue(nll.find(), log);
    double early = Double.parseDouble(nll.group(1));
    assertTrue(nll.find(), log);
    double late = Double.parseDouble(nll.group(1));
    assertTrue(late < early, log);
    String manifest = Files.readString(model.resolve("joule-model.properties"));
    assertTrue(manifest.contains("train.method=dnce") && manifest.contains("train.dnce.alpha=0.5")
        && manifest.contains("train.dnce.noise-hidden=16") && manifest.contains("train.step=110")
        && manifest.contains("train.dnce.noise-warm-up=10"), manifest);
    assertTrue(Files.exists(model.resolve("train-noise.jparams")));

    assertEquals(ExitCodes.OK, run("lm", "trf-ppl", "--model", model.toString(), "--lm", arpa.toString(), test.toString()),
        err.toString());
    double trfPpl = number("TRF logprob [-0-9.]+, ppl ([0-9.]+)", out.toString());
    double ngramPpl = number("n-gram ppl ([0-9.]+)", out.toString());
    assertTrue(trfPpl > 1 && trfPpl < 2 * ngramPpl, out.toString());

    assertEquals(ExitCodes.OK, run("lm", "trf-train", "--lm", arpa.toString(), "-o", model.toString(),
        "--max-length", "6", "--embed", "8", "--hidden", "8", "--steps", "120", "--batch", "16", "--noise-ratio", "2",
        "--lr", "0.02", "--log-every", "50", "--dnce-alpha", "0.5", "--noise-embed", "8", "--noise-hidden", "16",
        "--noise-lr", "0.02", "--noise-warm-up", "10", "--resume", train.toString()), err.toString());
    assertTrue(err.toString().contains("resuming") && err.toString().contains("step 130: DNCE loss"), err.toString());
    assertTrue(Files.readString(model.resolve("joule-model.properties")).contains("train.step=130"));

    assertEquals(ExitCodes.USAGE, run("lm", "trf-train", "--lm", arpa.toString(), "-o", dir.resolve("x").toString(),
        "--dnce-alpha", "1.5", train.toString()));
    assertTrue(err.toString().startsWith("joule: ") && err.toString().contains("alpha"), err.toString());
    // Resuming with other settings is refused, naming the setting.
    assertEquals(ExitCodes.USAGE, run("lm", "trf-train", "--lm", arpa.toString(), "-o", model.toString(),
        "--max-length", "6", "--embed", "8", "--hidden", "8", "--steps", "130", "--batch", "16", "--noise-ratio", "2",
        "--lr", "0.02", "--dnce-alpha", "0.25", "--noise-embed", "8", "--noise-hidden", "16",
        "--noise-lr", "0.02", "--noise-warm-up", "10", "--resume", train.toString()));
    assertTrue(err.toString().contains("train.dnce.alpha"), err.toString());
  }
}
