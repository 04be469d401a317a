package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
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

  /** Utterances of two phones, X a 400 Hz and Y a 2 kHz tone, with silence between. */
  private Path data(String name, int count, long seed) throws IOException {
    Path d = dir.resolve(name);
    Files.createDirectories(d);
    Random r = new Random(seed);
    StringBuilder scp = new StringBuilder();
    StringBuilder phones = new StringBuilder();
    for (int u = 0; u < count; u++) {
      String id = name + u;
      float[] audio = new float[16000];
      StringBuilder p = new StringBuilder(id);
      for (int k = 0, pos = 800; k < 4; k++, pos += 3200) {
        boolean x = r.nextBoolean();
        p.append(x ? " X" : " Y");
        for (int i = 0; i < 1600; i++) {
          audio[pos + i] = (float) (0.3 * Math.sin(2 * Math.PI * (x ? 400 : 2000) * i / 16000.0));
        }
      }
      Path wav = d.resolve(id + ".wav");
      WavWriter.write(wav, audio, 16000);
      scp.append(id).append(' ').append(wav).append('\n');
      phones.append(p).append('\n');
    }
    Files.writeString(d.resolve("wav.scp"), scp);
    Files.writeString(d.resolve("text.phones"), phones);
    return d;
  }

  private Path config(String extra) throws IOException {
    Path c = dir.resolve(extra.isEmpty() ? "model.conf" : "bad.conf");
    Files.writeString(c, "arch=tdnn\nhidden=16\ndilations=1\nfbank.num-mel-bins=20\ntrain.epochs=2\n"
        + "train.batch.utterances=2\ntrain.warmup.steps=2\ntrain.lr=0.01\nden.order=2\nden.no.prune.order=2\n" + extra);
    return c;
  }

  @Test
  void trainsAModelAndResumes() throws IOException {
    Files.writeString(dir.resolve("tokens.txt"), "<blk> 0\nX 1\nY 2\n");
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
    Files.writeString(dir.resolve("tokens.txt"), "<blk> 0\nX 1\nY 2\n");
    Path train = data("train", 2, 1);
    String c = config("").toString();
    String out = dir.resolve("exp/am").toString();

    assertEquals(4, run("train", "--config", c, "--train", train.toString(), "--dev", train.toString(), "--out", out, "--device", "gpu"));
    assertTrue(err.toString().startsWith("joule: training on the GPU is not available yet"), err.toString());

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
}
