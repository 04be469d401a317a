package dev.joule.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.testing.GpuParity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training on the GPU: the tone task learnt on GPU tensors follows the CPU run epoch by epoch
 * (same data order, masks and initial weights; float32 kernels round differently, so the losses
 * agree closely rather than exactly), and a resumed GPU run ends where an uninterrupted one does.
 * The BLSTM and Conformer architectures train on the GPU too (the fused LSTM op, attention,
 * depthwise convolution, batch norm and dropout inside a real training step).
 */
class GpuTrainerTest {
  @TempDir Path dir;

  @Test
  void gpuTrainingFollowsTheCpuRun() throws IOException {
    GpuTensors gpu = GpuParity.requireGpu();
    Path tokens = ToneCorpus.tokens(dir);
    Path train = ToneCorpus.dataDir(dir, "train", 40, 1);
    Path dev = ToneCorpus.dataDir(dir, "dev", 12, 2);
    TrainingConfig config = TrainingConfig.of(ToneCorpus.config(), dir.resolve("model.conf"));
    Tokens t = Tokens.read(tokens);
    TrainingState cpu = new Trainer(config, t, Trainer.Paths.nextTo(dir.resolve("cpu/am")), line -> { })
        .run(train, dev, false, 0);
    TrainingState onGpu = new Trainer(config, t, Trainer.Paths.nextTo(dir.resolve("gpu/am")), line -> { }, gpu.device())
        .run(train, dev, false, 0);
    List<EpochStats> a = cpu.history;
    List<EpochStats> b = onGpu.history;
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).trainLoss(), b.get(i).trainLoss(), 1e-2 * (1 + Math.abs(a.get(i).trainLoss())), "epoch " + (i + 1));
      assertEquals(a.get(i).devLoss(), b.get(i).devLoss(), 1e-2 * (1 + Math.abs(a.get(i).devLoss())), "epoch " + (i + 1));
    }
    assertTrue(b.get(b.size() - 1).devPer() < 0.05, "dev PER on the GPU: " + b);
  }

  @Test
  void resumedGpuRunEndsWhereAnUninterruptedOneDoes() throws IOException {
    GpuTensors gpu = GpuParity.requireGpu();
    Path tokens = ToneCorpus.tokens(dir);
    Path train = ToneCorpus.dataDir(dir, "train", 16, 3);
    Path dev = ToneCorpus.dataDir(dir, "dev", 4, 4);
    Properties p = ToneCorpus.config();
    p.setProperty("train.epochs", "2");
    p.setProperty("train.batch.utterances", "4");
    TrainingConfig config = TrainingConfig.of(p, dir.resolve("model.conf"));
    Tokens t = Tokens.read(tokens);
    TrainingState whole = new Trainer(config, t, Trainer.Paths.nextTo(dir.resolve("a/am")), line -> { }, gpu.device())
        .run(train, dev, false, 0);
    Trainer.Paths split = Trainer.Paths.nextTo(dir.resolve("b/am"));
    new Trainer(config, t, split, line -> { }, gpu.device()).run(train, dev, false, 5);
    TrainingState resumed = new Trainer(config, t, split, line -> { }, gpu.device()).run(train, dev, true, 0);
    assertEquals(whole.step, resumed.step);
    double want = whole.history.get(whole.history.size() - 1).devLoss();
    double got = resumed.history.get(resumed.history.size() - 1).devLoss();
    assertEquals(want, got, 1e-3 * (1 + Math.abs(want)));
  }

  /** One epoch of a small BLSTM or Conformer: the GPU run's train and dev losses follow the CPU's. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blstm", "conformer"})
  void otherArchitecturesTrainOnTheGpuLikeOnTheCpu(String arch) throws IOException {
    GpuTensors gpu = GpuParity.requireGpu();
    Path tokens = ToneCorpus.tokens(dir);
    Path train = ToneCorpus.dataDir(dir, "train", 16, 5);
    Path dev = ToneCorpus.dataDir(dir, "dev", 4, 6);
    Properties p = ToneCorpus.config();
    // The TDNN's settings would be refused by another architecture (AcousticModels.createChecked).
    p.remove("hidden");
    p.remove("dilations");
    p.setProperty("arch", arch);
    p.setProperty("train.epochs", "1");
    p.setProperty("train.batch.utterances", "4");
    if (arch.equals("blstm")) {
      p.setProperty("hidden", "16");
      p.setProperty("layers", "2");
      p.setProperty("dropout", "0.1");
    } else {
      p.setProperty("dim", "16");
      p.setProperty("heads", "2");
      p.setProperty("layers", "2");
      p.setProperty("conv.kernel", "5");
    }
    TrainingConfig config = TrainingConfig.of(p, dir.resolve(arch + ".conf"));
    Tokens t = Tokens.read(tokens);
    TrainingState cpu = new Trainer(config, t, Trainer.Paths.nextTo(dir.resolve(arch + "-cpu/am")), line -> { })
        .run(train, dev, false, 0);
    TrainingState onGpu = new Trainer(config, t, Trainer.Paths.nextTo(dir.resolve(arch + "-gpu/am")), line -> { },
        gpu.device()).run(train, dev, false, 0);
    EpochStats a = cpu.history.get(0);
    EpochStats b = onGpu.history.get(0);
    assertTrue(Double.isFinite(b.trainLoss()) && Double.isFinite(b.devLoss()), arch + " on the GPU: " + b);
    assertEquals(a.trainLoss(), b.trainLoss(), 1e-2 * (1 + Math.abs(a.trainLoss())), arch + " train loss");
    assertEquals(a.devLoss(), b.devLoss(), 1e-2 * (1 + Math.abs(a.devLoss())), arch + " dev loss");
  }
}
