package dev.joule.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.am.AcousticModel;
import dev.joule.engine.am.AcousticModels;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.optim.Adam;
import dev.joule.engine.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  static Properties linear(int in, int tokens) {
    Properties p = new Properties();
    p.setProperty("arch", "linear");
    p.setProperty("input.dim", Integer.toString(in));
    p.setProperty("tokens", Integer.toString(tokens));
    return p;
  }

  /** Sets every weight to {@code value}: a checkpoint whose weights disagree with its step is torn. */
  static void fill(AcousticModel m, double value) {
    for (Tensor t : m.parameters().values()) {
      java.util.Arrays.fill(t.buffer(), t.offset(), t.offset() + t.size(), value);
    }
  }

  /** Writes checkpoints 0, 1, 2, ... to args[0] until killed; prints each step once written. */
  public static void main(String[] args) throws IOException {
    AcousticModel m = AcousticModels.create(linear(400, 1000), new Random(0));
    Adam adam = Adam.adam(m.parameters().values(), 0.1);
    TrainingState s = new TrainingState();
    for (int step = 0; ; step++) {
      fill(m, step);
      s.step = step;
      Checkpoint.save(Path.of(args[0]), m, adam, s);
      System.out.println("saved " + step);
      System.out.flush();
    }
  }

  @Test
  void aKilledWriteLeavesTheLastCheckpointLoadable() throws Exception {
    Path ckpt = dir.resolve("am.ckpt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int round = 0; round < 3; round++) {
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CheckpointTest.class.getName(),
          ckpt.toString()).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      int saved = -1;
      for (String line; (line = out.readLine()) != null && saved < 2 + round; ) {
        if (line.startsWith("saved ")) {
          saved = Integer.parseInt(line.substring(6));
        }
      }
      Thread.sleep(7 * round); // lands at different points of the next write
      p.destroyForcibly().waitFor();
      assertTrue(saved >= 2, "the writer got going");
      AcousticModel m = AcousticModels.create(linear(400, 1000), new Random(1));
      TrainingState s = Checkpoint.load(ckpt, m, Adam.adam(m.parameters().values(), 0.1));
      assertTrue(s.step >= saved, "step " + s.step + " after 'saved " + saved + "'");
      for (Tensor t : m.parameters().values()) {
        for (int i = 0; i < t.size(); i++) {
          assertEquals(s.step, t.values()[i], "weights belong to the checkpoint's step");
        }
      }
      try (var files = Files.list(dir)) {
        assertEquals(1, files.count(), "the killed write's staging directory is cleaned up on loading");
      }
    }
  }

  @Test
  void aWriteKilledBetweenItsTwoRenamesIsRecovered() throws IOException {
    AcousticModel m = AcousticModels.create(linear(3, 4), new Random(0));
    Adam adam = Adam.adam(m.parameters().values(), 0.1);
    Path ckpt = dir.resolve("am.ckpt");
    fill(m, 5);
    TrainingState s = new TrainingState();
    s.step = 5;
    Checkpoint.save(ckpt, m, adam, s);
    // What ModelDirectory's commit leaves when killed after moving the old checkpoint aside.
    Files.move(ckpt, dir.resolve(".am.ckpt.old-123"));
    Files.createDirectories(dir.resolve(".am.ckpt.staging-456"));
    fill(m, 0);
    assertEquals(5, Checkpoint.load(ckpt, m, adam).step);
    assertEquals(5.0, m.parameters().values().iterator().next().values()[0]);
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void aCorruptCheckpointIsRefusedByName() throws IOException {
    AcousticModel m = AcousticModels.create(linear(3, 4), new Random(0));
    Adam adam = Adam.adam(m.parameters().values(), 0.1);
    Path ckpt = dir.resolve("am.ckpt");
    Checkpoint.save(ckpt, m, adam, new TrainingState());
    byte[] b = Files.readAllBytes(ckpt.resolve(ModelLayout.AM_PARAMS));
    b[20] ^= 1;
    Files.write(ckpt.resolve(ModelLayout.AM_PARAMS), b);
    String msg = assertThrows(TrainingException.class, () -> Checkpoint.load(ckpt, m, adam)).getMessage();
    assertTrue(msg.contains("cannot resume") && msg.contains("am.jparams: checksum mismatch"), msg);
  }
}
