package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.train.TrainingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code joule train} end to end on a tiny tone corpus, and its errors and exit codes. */
class TrainCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Joule.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path data(String name, int count, long seed) throws IOException {
    return PhoneCorpus.data(dir, name, count, seed);
  }

  private Path config(String extra) throws IOException {
    return PhoneCorpus.config(dir.resolve(extra.isEmpty() ? "model.conf" : "bad.conf"), extra);
  }

  @Test
  void trainsAModelAndResumes() throws IOException {
    Files.writeString(dir.resolve("tokens.txt"), PhoneCorpus.TOKENS);
    Path train = data("train", 8, 1);
    Path dev = data("dev", 3, 2);
    Path model = dir.resolve("exp/am");
    String[] args = {"train", "--config", config("").toString(), "--train", train.toString(), "--dev", dev.toString(),
        "--out", model.toString(), "--device", "cpu"};
    String[] firstPart = java.util.Arrays.copyOf(args, args.length + 2);
    firstPart[args.length] = "--max-steps";
    firstPart[args.length + 1] = "2";
    assertEquals(0, run(firstPart), err.toString());
    assertTrue(err.toString().contains("stopped at step 2; continue with --resume"), err.toString());
    String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
    resume[args.length] = "--resume";
    assertEquals(0, run(resume), err.toString());
    assertTrue(err.toString().contains("joule: resumed at step 2"), err.toString());
    assertTrue(err.toString().contains("joule: model with the best dev loss"), err.toString());
    ModelDirectory m = ModelDirectory.open(model);
    assertTrue(m.has(ModelLayout.AM_PARAMS) && m.has(ModelLayout.DEN_GRAPH) && m.has(ModelLayout.TOKENS));
    assertTrue(Files.size(dir.resolve("exp/am.training.png")) > 0);
    assertTrue(Files.readString(dir.resolve("exp/am.train.log")).contains("epoch 2: train loss"));
  }

  @Test
  void errorsAreOneLineWithTheirExitCodes() throws IOException {
    Files.writeString(dir.resolve("tokens.txt"), PhoneCorpus.TOKENS);
    Path train = data("train", 2, 1);
    String c = config("").toString();
    String out = dir.resolve("exp/am").toString();

    assertEquals(4, run("train", "--config", c, "--train", train.toString(), "--dev", train.toString(), "--out", out, "--device", "gpu"));
    assertTrue(err.toString().startsWith("joule: cannot train on the GPU: "), err.toString());

    err.getBuffer().setLength(0);
    Files.delete(train.resolve("text.phones"));
    assertEquals(2, run("train", "--config", c, "--train", train.toString(), "--dev", train.toString(), "--out", out));
    assertTrue(err.toString().contains("joule: ") && err.toString().contains("text.phones: missing"), err.toString());

    err.getBuffer().setLength(0);
    String bad = config("train.lr=-1\n").toString();
    assertEquals(2, run("train", "--config", bad, "--train", train.toString(), "--dev", train.toString(), "--out", out));
    assertTrue(err.toString().startsWith("joule: ") && err.toString().contains("train.lr must be"), err.toString());

    err.getBuffer().setLength(0);
    assertEquals(2, run("train", "--config", c, "--train", train.toString(), "--dev", train.toString(), "--out", out,
        "--tokens", dir.resolve("missing.txt").toString()));
    assertTrue(err.toString().contains("missing.txt: no such token table"), err.toString());

    assertEquals(1, run("train", "--config", c));
  }

  @Test
  void theTokenTableIsFoundInTheRecipesLayoutAndTheNearestWins() throws IOException {
    Path train = Files.createDirectories(dir.resolve("work/data/train"));
    Path lang = Files.createDirectories(dir.resolve("work/lang")).resolve("tokens.txt");
    TrainingException none = assertThrows(TrainingException.class, () -> TrainCommand.defaultTokens(train));
    assertTrue(none.getMessage().contains(lang.toString()) && none.getMessage().contains("--tokens"), none.getMessage());
    Files.writeString(lang, PhoneCorpus.TOKENS);
    assertEquals(lang, TrainCommand.defaultTokens(train));
    Path dataLang = Files.createDirectories(dir.resolve("work/data/lang")).resolve("tokens.txt");
    Files.writeString(dataLang, PhoneCorpus.TOKENS);
    assertEquals(dataLang, TrainCommand.defaultTokens(train));
    Files.writeString(train.resolve("tokens.txt"), PhoneCorpus.TOKENS);
    assertEquals(train.resolve("tokens.txt"), TrainCommand.defaultTokens(train));
  }
}
