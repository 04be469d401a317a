package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.fst.Fst;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code joule compile-graph} end to end on a tiny lexicon and bigram, and its errors. */
class CompileGraphCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path dict;
  private Path arpa;
  private Path tokens;

  @BeforeEach
  void files() throws IOException {
    dict = dir.resolve("lex.dict");
    Files.writeString(dict, "hello HH AH0 L OW1\nworld W ER1 L D\nhollow HH AA1 L OW0\n");
    arpa = dir.resolve("lm.arpa");
    Files.writeString(arpa, String.join("\n", "\\data\\", "ngram 1=5", "ngram 2=2", "",
        "\\1-grams:", "-0.7 </s>", "-99 <s> -0.3", "-0.6 hello -0.2", "-0.8 world -0.1", "-1.5 zzyzx", "",
        "\\2-grams:", "-0.2 <s> hello", "-0.1 hello world", "", "\\end\\", ""));
    tokens = dir.resolve("tokens.txt");
    Files.writeString(tokens, "<blk> 0\nAA 1\nAH 2\nD 3\nER 4\nHH 5\nL 6\nOW 7\nW 8\n");
  }

  private int run(String... args) {
    CommandLine cli = Joule.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void compilesAndWritesTheGraph() throws IOException {
    Path outDir = dir.resolve("graph");
    assertEquals(ExitCodes.OK, run("compile-graph", "--lexicon", dict.toString(), "--lm", arpa.toString(),
        "--tokens", tokens.toString(), "--out", outDir.toString()), err.toString());
    assertTrue(out.toString().contains("TLG"), out.toString());
    assertTrue(out.toString().contains("out-of-lexicon words: 1"), out.toString());
    assertEquals(List.of("zzyzx"), Files.readAllLines(outDir.resolve("oov.txt")));
    assertTrue(Fst.load(outDir.resolve("TLG.jfst")).numArcs() > 0);
    assertTrue(Files.size(outDir.resolve("TLG.fst")) > 0);
  }

  @Test
  void missingLexiconIsAnInputError() {
    Path none = dir.resolve("none.dict");
    assertEquals(ExitCodes.INPUT, run("compile-graph", "--lexicon", none.toString(), "--lm", arpa.toString(),
        "--tokens", tokens.toString(), "--out", dir.resolve("g").toString()));
    String message = err.toString().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("joule: ") && message.contains("none.dict: no such file"), message);
  }

  @Test
  void malformedArpaIsAnInputErrorNamingTheLine() throws IOException {
    Files.writeString(arpa, Files.readString(arpa).replace("-0.1 hello world", "oops hello world"));
    assertEquals(ExitCodes.INPUT, run("compile-graph", "--lexicon", dict.toString(), "--lm", arpa.toString(),
        "--tokens", tokens.toString(), "--out", dir.resolve("g").toString()));
    assertTrue(err.toString().contains(arpa + ":14: log10 probability 'oops' is not a number"), err.toString());
  }

  @Test
  void badSilenceProbabilityIsAUsageError() {
    assertEquals(ExitCodes.USAGE, run("compile-graph", "--lexicon", dict.toString(), "--lm", arpa.toString(),
        "--tokens", tokens.toString(), "--out", dir.resolve("g").toString(), "--sil-prob", "1.5"));
    assertTrue(err.toString().startsWith("joule: --sil-prob"), err.toString());
  }
}
