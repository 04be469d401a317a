package dev.joule.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.am.AcousticModel;
import dev.joule.engine.am.AcousticModels;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import dev.joule.frontend.features.Cmvn;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path dir;

  @Test
  void learnsTheToneTaskAndWritesTheModel() throws IOException {
    Path tokens = ToneCorpus.tokens(dir);
    Path train = ToneCorpus.dataDir(dir, "train", 40, 1);
    Path dev = ToneCorpus.dataDir(dir, "dev", 12, 2);
    TrainingConfig config = TrainingConfig.of(ToneCorpus.config(), dir.resolve("model.conf"));
    List<String> lines = new ArrayList<>();
    Trainer.Paths paths = Trainer.Paths.nextTo(dir.resolve("exp/am"));
    TrainingState state = new Trainer(config, Tokens.read(tokens), paths, lines::add).run(train, dev, false, 0);

    assertTrue(state.finished);
    List<EpochStats> h = state.history;
    assertEquals(5, h.size());
    EpochStats first = h.get(0);
    EpochStats last = h.get(h.size() - 1);
    // The loss omits log p_LM(l), so it goes below zero as the model learns.
    assertTrue(last.trainLoss() < first.trainLoss() - 0.05, "train loss falls: " + h);
    assertTrue(last.devLoss() < first.devLoss() - 0.05, "dev loss falls: " + h);
    assertTrue(last.devPer() <= first.devPer() && last.devPer() < 0.05, "dev PER falls below 5%: " + h);

    ModelDirectory model = ModelDirectory.open(paths.model());
    assertEquals(Set.of(ModelLayout.AM_CONFIG, ModelLayout.AM_PARAMS, ModelLayout.FBANK_CONFIG, ModelLayout.CMVN,
        ModelLayout.TOKENS, ModelLayout.DEN_GRAPH), model.files());
    assertEquals(Integer.toString(state.bestEpoch), model.property("trained.epoch"));
    AcousticModel am = AcousticModels.load(model);
    assertEquals(5, am.numTokens());
    assertEquals(20, am.inputDim());
    assertTrue(Files.readString(model.file(ModelLayout.FBANK_CONFIG)).contains("--num-mel-bins=20\n"));
    assertEquals(20, Cmvn.load(model.file(ModelLayout.CMVN)).dim());

    BufferedImage png = ImageIO.read(paths.plot().toFile());
    assertTrue(png.getWidth() > 100 && png.getHeight() > 100);
    String log = Files.readString(paths.log());
    assertTrue(log.contains("epoch 5: train loss"), log);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("den graph: ")), lines.toString());
  }

  @Test
  void resumedRunMatchesAnUninterruptedOneBitForBit() throws IOException {
    Path tokens = ToneCorpus.tokens(dir);
    Path train = ToneCorpus.dataDir(dir, "train", 16, 3);
    Path dev = ToneCorpus.dataDir(dir, "dev", 4, 4);
    java.util.Properties p = ToneCorpus.config();
    p.setProperty("train.epochs", "2");
    p.setProperty("train.batch.utterances", "4");
    p.setProperty("train.checkpoint.steps", "3");
    TrainingConfig config = TrainingConfig.of(p, dir.resolve("model.conf"));
    Tokens t = Tokens.read(tokens);

    Trainer.Paths whole = Trainer.Paths.nextTo(dir.resolve("a/am"));
    TrainingState a = new Trainer(config, t, whole, line -> { }).run(train, dev, false, 0);

    Trainer.Paths split = Trainer.Paths.nextTo(dir.resolve("b/am"));
    TrainingState b1 = new Trainer(config, t, split, line -> { }).run(train, dev, false, 5);
    assertEquals(5, b1.step);
    assertTrue(!b1.finished);
    TrainingState b2 = new Trainer(config, t, split, line -> { }).run(train, dev, true, 2);
    assertEquals(7, b2.step);
    TrainingState b = new Trainer(config, t, split, line -> { }).run(train, dev, true, 0);

    assertTrue(a.finished && b.finished);
    assertEquals(a.step, b.step);
    assertEquals(a.history.size(), b.history.size());
    for (int i = 0; i < a.history.size(); i++) {
      assertEquals(a.history.get(i).trainLoss(), b.history.get(i).trainLoss(), 0.0);
      assertEquals(a.history.get(i).devLoss(), b.history.get(i).devLoss(), 0.0);
      assertEquals(a.history.get(i).devPer(), b.history.get(i).devPer(), 0.0);
    }
    assertArrayEquals(Files.readAllBytes(whole.checkpoint().resolve(ModelLayout.AM_PARAMS)),
        Files.readAllBytes(split.checkpoint().resolve(ModelLayout.AM_PARAMS)), "weights");
    assertArrayEquals(Files.readAllBytes(whole.checkpoint().resolve(Checkpoint.OPTIMIZER)),
        Files.readAllBytes(split.checkpoint().resolve(Checkpoint.OPTIMIZER)), "optimiser state");
    assertArrayEquals(Files.readAllBytes(whole.model().resolve(ModelLayout.AM_PARAMS)),
        Files.readAllBytes(split.model().resolve(ModelLayout.AM_PARAMS)), "best model");
  }

  @Test
  void stopsEarlyWhenTheDevLossStopsImproving() throws IOException {
    Path tokens = ToneCorpus.tokens(dir);
    Path train = ToneCorpus.dataDir(dir, "train", 8, 5);
    Path dev = ToneCorpus.dataDir(dir, "dev", 3, 6);
    java.util.Properties p = ToneCorpus.config();
    // Steps this small leave float32 weights unchanged, so the dev loss cannot improve after epoch 1.
    p.setProperty("train.lr", "1e-12");
    p.setProperty("train.epochs", "10");
    p.setProperty("train.patience", "2");
    Trainer.Paths paths = Trainer.Paths.nextTo(dir.resolve("exp/am"));
    TrainingState s = new Trainer(TrainingConfig.of(p, dir.resolve("model.conf")), Tokens.read(tokens), paths, l -> { })
        .run(train, dev, false, 0);
    assertTrue(s.finished);
    assertEquals(3, s.history.size(), "epoch 1 is the best; epochs 2 and 3 exhaust the patience");
    assertEquals(1, s.bestEpoch);
    assertEquals("1", ModelDirectory.open(paths.model()).property("trained.epoch"));
    assertTrue(Files.readString(paths.log()).contains("early stop"));
  }
}
