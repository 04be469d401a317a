package dev.joule.engine.trf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.lm.BackoffLm;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnceTrainingTest {
  private static final int MAX_LENGTH = 3;

  @TempDir Path dir;

  /** Sentences drawn from the tiny bigram restricted to 1..3 words: a corpus with a known source. */
  private static List<int[]> corpus(int n, long seed) {
    BackoffLm lm = TinyModels.bigram();
    NoiseModel source = new NoiseModel(lm, MAX_LENGTH, NoiseModel.estimateLogMass(lm, MAX_LENGTH, 20_000, new SplittableRandom(1)),
        new SplittableRandom(seed));
    return source.sample(n);
  }

  private static LengthPrior prior(List<int[]> data) {
    long[] counts = new long[MAX_LENGTH + 1];
    for (int[] s : data) {
      counts[s.length]++;
    }
    return LengthPrior.fromCounts(counts, MAX_LENGTH);
  }

  /** Mean exact log p(l, x) over {@code sentences}, with every log Z_l enumerated. */
  private static double exactLogLikelihood(TrfModel m, List<int[]> sentences) {
    double[] logZ = new double[MAX_LENGTH + 1];
    for (int l = 1; l <= MAX_LENGTH; l++) {
      logZ[l] = ExactNormaliser.logZ(m, l);
    }
    double[] phi = m.potentials(sentences);
    double sum = 0;
    for (int i = 0; i < phi.length; i++) {
      int l = sentences.get(i).length;
      sum += m.prior().logProb(l) + phi[i] - logZ[l];
    }
    return sum / phi.length;
  }

  private static double meanLogQ(LstmNoiseLm q, List<int[]> sentences) {
    double sum = 0;
    for (double v : q.logProbs(sentences)) {
      sum += v;
    }
    return sum / sentences.size();
  }

  private static TrfModel trf(List<int[]> train, long seed) {
    return new TrfModel(new TrfConfig(MAX_LENGTH, 3, 4, 1, true), TinyModels.VOCAB, prior(train), new Random(seed), DType.FLOAT64);
  }

  private static DynamicNce dynamic(long seed) {
    return dynamic(seed, 0);
  }

  private static DynamicNce dynamic(long seed, int warmUp) {
    LstmNoiseLm q = new LstmNoiseLm(TinyModels.VOCAB, MAX_LENGTH, 4, 8, new Random(seed), new SplittableRandom(seed), DType.FLOAT64);
    return new DynamicNce(q, new DynamicNce.Options(0.5, 4, 8, 0.03, warmUp));
  }

  @Test
  void dnceMovesTheNoiseTowardTheDataAndImprovesTheTrfsExactHeldOutLikelihood() throws Exception {
    List<int[]> train = corpus(400, 11);
    List<int[]> heldOut = corpus(400, 12);
    TrfModel m = trf(train, 3);
    DynamicNce d = dynamic(4);
    double qBefore = meanLogQ(d.noise(), heldOut);
    double pBefore = exactLogLikelihood(m, heldOut);
    TrfTrainer.Options o = new TrfTrainer.Options(300, 16, 2, 0.03, 10, 7, 100, 0, null);
    List<TrfTrainer.Progress> progress = new ArrayList<>();
    new TrfTrainer(m, d, o).train(train, progress::add);
    double qAfter = meanLogQ(d.noise(), heldOut);
    double pAfter = exactLogLikelihood(m, heldOut);
    // The source's own mean log-probability on the held-out sentences bounds what either can reach.
    BackoffLm lm = TinyModels.bigram();
    NoiseModel source = new NoiseModel(lm, MAX_LENGTH, 0, new SplittableRandom(1));
    double logMass = Math.log(LstmNoiseLmTest.allSentences(MAX_LENGTH).stream()
        .mapToDouble(s -> Math.exp(source.logProb(s))).sum());
    double best = 0;
    for (int[] s : heldOut) {
      best += source.logProb(s) - logMass;
    }
    best /= heldOut.size();
    String figures = String.format("q %.4f -> %.4f, TRF %.4f -> %.4f, source %.4f", qBefore, qAfter, pBefore, pAfter, best);
    // Cross-entropy of the noise to held-out data (KL to the source plus a constant) falls by most of its gap.
    assertTrue(qAfter > qBefore + 0.5 * (best - qBefore), figures);
    assertTrue(pAfter > pBefore + 0.5 * (best - pBefore), figures);
    assertTrue(qAfter < best + 0.05 && pAfter < best + 0.05, "better than the source itself: " + figures);
    assertEquals(3, progress.size());
    assertTrue(Double.isFinite(progress.get(2).noiseNll()) && Double.isFinite(progress.get(2).meanLoss()));
    // NCE is self-normalising here too: ζ_l is near the exact log Z_l.
    for (int l = 1; l <= MAX_LENGTH; l++) {
      assertEquals(ExactNormaliser.logZ(m, l), m.zeta(l), 0.3, "length " + l);
    }
  }

  @Test
  void aResumedRunEndsWhereAnUninterruptedOneDoes() throws Exception {
    List<int[]> train = corpus(100, 21);
    TrfModel whole = trf(train, 5);
    DynamicNce wholeNoise = dynamic(6, 3);
    new TrfTrainer(whole, wholeNoise, new TrfTrainer.Options(12, 8, 2, 0.02, 10, 3, 100, 0, null)).train(train, p -> {});

    Path ckpt = dir.resolve("trf");
    TrfModel first = trf(train, 5);
    // Three warm-up steps, then two of the TRF: the checkpoint is at step 5.
    TrfTrainer firstHalf = new TrfTrainer(first, dynamic(6, 3), new TrfTrainer.Options(2, 8, 2, 0.02, 10, 3, 100, 0, ckpt));
    firstHalf.describe(Map.of("train.note", "test"));
    firstHalf.train(train, p -> {});
    TrfFiles.Loaded loaded = TrfFiles.loadWithTraining(ckpt);
    assertEquals("5", loaded.training().property("train.step"));
    assertEquals("dnce", loaded.training().property("train.method"));
    assertEquals("0.5", loaded.training().property("train.dnce.alpha"));
    assertEquals("test", loaded.training().property("train.note"));
    // A fresh noise LSTM (other initial weights): everything must come from the checkpoint.
    DynamicNce resumedNoise = dynamic(99, 3);
    TrfTrainer second = new TrfTrainer(loaded.model(), resumedNoise, new TrfTrainer.Options(12, 8, 2, 0.02, 10, 3, 100, 0, null));
    second.resume(loaded.training());
    second.train(train, p -> {});
    assertSameValues(whole.parameters(), loaded.model().parameters());
    assertSameValues(wholeNoise.noise().parameters(), resumedNoise.noise().parameters());

    TrfTrainer otherAlpha = new TrfTrainer(trf(train, 5), new DynamicNce(dynamic(6).noise(), new DynamicNce.Options(0.25, 4, 8, 0.03, 3)),
        new TrfTrainer.Options(12, 8, 2, 0.02, 10, 3, 100, 0, null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> otherAlpha.resume(loaded.training()));
    assertTrue(e.getMessage().contains("train.dnce.alpha"), e.getMessage());
  }

  @Test
  void warmUpStepsTrainTheNoiseAloneBeforeTheTrfsFirstStep() throws Exception {
    List<int[]> train = corpus(200, 31);
    TrfModel m = trf(train, 8);
    Map<String, double[]> initial = new java.util.LinkedHashMap<>();
    m.parameters().forEach((k, v) -> initial.put(k, v.toDoubleArray()));
    DynamicNce d = dynamic(9, 40);
    double before = meanLogQ(d.noise(), train);
    Path ckpt = dir.resolve("warm");
    List<TrfTrainer.Progress> progress = new ArrayList<>();
    // A checkpoint at step 40, the last warm-up step, then one TRF step.
    new TrfTrainer(m, d, new TrfTrainer.Options(1, 16, 2, 0.02, 10, 3, 20, 40, ckpt)).train(train, progress::add);
    assertEquals(List.of(20, 40, 41), progress.stream().map(TrfTrainer.Progress::step).toList());
    assertTrue(Double.isNaN(progress.get(1).meanLoss()) && Double.isFinite(progress.get(2).meanLoss()));
    assertTrue(meanLogQ(d.noise(), train) > before + 0.3, before + " -> " + meanLogQ(d.noise(), train));
    // The checkpoint at step 41 replaced the one at 40; the TRF differs from its start only by one step.
    TrfFiles.Loaded end = TrfFiles.loadWithTraining(ckpt);
    assertEquals("41", end.training().property("train.step"));
    assertEquals("40", end.training().property("train.dnce.noise-warm-up"));
    double moved = 0;
    for (String k : initial.keySet()) {
      double[] a = initial.get(k);
      double[] b = m.parameters().get(k).toDoubleArray();
      for (int i = 0; i < a.length; i++) {
        moved = Math.max(moved, Math.abs(a[i] - b[i]));
      }
    }
    // One Adam step moves each parameter by at most about the learning rate.
    assertTrue(moved > 0 && moved < 0.021, "largest change " + moved);
  }

  private static void assertSameValues(Map<String, Tensor> a, Map<String, Tensor> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).toDoubleArray(), b.get(k).toDoubleArray(), 1e-12, k);
    }
  }
}
