package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code joule train} through the script on the tiny phone corpus: two steps, then {@code
 * --resume} to the end of two epochs, and the refusal to train on a GPU (exit code 4).
 */
class TrainIT {
  @TempDir Path dir;

  @Test
  void trainsStopsAndResumes() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens.txt"), PhoneCorpus.TOKENS);
    Path train = PhoneCorpus.data(dir, "train", 6, 1);
    Path dev = PhoneCorpus.data(dir, "dev", 2, 2);
    Path config = PhoneCorpus.config(dir.resolve("model.conf"), "");
    Path model = dir.resolve("exp/am");
    Launcher joule = new Launcher(dir);
    String[] args = {"train", "--config", config.toString(), "--train", train.toString(), "--dev", dev.toString(),
        "--tokens", tokens.toString(), "--out", model.toString(), "--device", "cpu"};

    Launcher.Result stopped = joule.run(append(args, "--max-steps", "2")).ok();
    assertTrue(stopped.err().contains("stopped at step 2; continue with --resume"), stopped.err());
    Launcher.Result resumed = joule.run(append(args, "--resume")).ok();
    assertTrue(resumed.err().contains("joule: resumed at step 2"), resumed.err());
    assertTrue(resumed.err().contains("joule: model with the best dev loss"), resumed.err());
    ModelDirectory m = ModelDirectory.open(model);
    assertTrue(m.has(ModelLayout.AM_PARAMS) && m.has(ModelLayout.DEN_GRAPH) && m.has(ModelLayout.TOKENS));
    assertTrue(Files.readString(dir.resolve("exp/am.train.log")).contains("epoch 2: train loss"));
    assertEquals(PhoneCorpus.TOKENS, Files.readString(model.resolve(ModelLayout.TOKENS)));

    String[] onGpu = args.clone();
    onGpu[onGpu.length - 1] = "gpu";
    joule.run(onGpu).failsWith(ExitCodes.DEVICE, "cannot train on the GPU: ");
  }

  private static String[] append(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
