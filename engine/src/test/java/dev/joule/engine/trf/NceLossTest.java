package dev.joule.engine.trf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.lm.BackoffLm;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GradCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NceLossTest {
  private static double logMassExact(BackoffLm lm, int maxLength) {
    double q = 0;
    for (int l = 1; l <= maxLength; l++) {
      for (int[] s : ExactNormaliser.sentences(TinyModels.VOCAB, l)) {
        q += Math.pow(10, lm.sentenceLogProb(s));
      }
    }
    return Math.log(q);
  }

  @Test
  void lossMatchesTheFloat64ReferenceAndItsGradientMatchesFiniteDifferences() {
    check(TinyModels.model(3, true, 21));
    check(TinyModels.basedModel(3, 21));
  }

  private static void check(TrfModel m) {
    BackoffLm lm = TinyModels.bigram();
    NoiseModel noise = new NoiseModel(lm, 3, logMassExact(lm, 3), new SplittableRandom(4));
    List<int[]> data = new ArrayList<>();
    for (int[] s : TinyModels.sentences()) {
      if (m.accepts(s)) {
        data.add(s);
      }
    }
    data = data.subList(0, 4);
    List<int[]> noiseSentences = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      noiseSentences.add(noise.sample());
    }
    double[] dq = data.stream().mapToDouble(noise::logProb).toArray();
    double[] nq = noiseSentences.stream().mapToDouble(noise::logProb).toArray();
    List<int[]> d = data;
    double loss = NceLoss.loss(m, d, dq, noiseSentences, nq).item();
    double ref = NceLoss.reference(m.logProbs(d), dq, m.logProbs(noiseSentences), nq);
    assertEquals(ref, loss, 1e-12);
    assertTrue(loss > 0);
    // Every parameter, ζ included, against central differences of the whole loss.
    Tensor[] params = m.parameters().values().toArray(new Tensor[0]);
    GradCheck.check(in -> NceLoss.loss(m, d, dq, noiseSentences, nq), 1e-6, params);
  }

  @Test
  void logSigmoidIsStableForLargeArguments() {
    assertEquals(0.0, NceLoss.logSigmoid(800), 1e-300);
    assertEquals(-800.0, NceLoss.logSigmoid(-800), 1e-9);
    assertEquals(Math.log(0.5), NceLoss.logSigmoid(0), 1e-15);
  }

  @Test
  void noiseModelIsNormalisedOverItsLengthsAndItsMassEstimateAgrees() {
    BackoffLm lm = TinyModels.bigram();
    double exact = logMassExact(lm, 3);
    NoiseModel noise = new NoiseModel(lm, 3, exact, new SplittableRandom(1));
    double sum = 0;
    for (int l = 1; l <= 3; l++) {
      for (int[] s : ExactNormaliser.sentences(TinyModels.VOCAB, l)) {
        sum += Math.exp(noise.logProb(s));
      }
    }
    assertEquals(1.0, sum, 1e-9);
    double estimated = NoiseModel.estimateLogMass(lm, 3, 40_000, new SplittableRandom(2));
    // Standard error of log Q here is about 0.002.
    assertEquals(exact, estimated, 0.01);
  }

  @Test
  void importanceSamplingAgreesWithExactEnumeration() {
    isCheck(TinyModels.model(3, true, 8));
    isCheck(TinyModels.basedModel(3, 8));
  }

  private static void isCheck(TrfModel m) {
    BackoffLm lm = TinyModels.bigram();
    NoiseModel noise = new NoiseModel(lm, 3, logMassExact(lm, 3), new SplittableRandom(5));
    ImportanceSampler.Estimate est = ImportanceSampler.estimate(m, noise, 40_000);
    for (int l = 1; l <= 3; l++) {
      double exact = ExactNormaliser.logZ(m, l);
      assertTrue(est.samples()[l - 1] > 1000);
      double se = est.standardError()[l - 1];
      // Within four standard errors, and the standard errors themselves small.
      assertTrue(se < 0.03, "length " + l + " standard error " + se);
      assertEquals(exact, est.logZ()[l - 1], 4 * se, "length " + l);
    }
  }

  @Test
  void nceTrainingLearnsNormalisersCloseToTheExactOnes() throws Exception {
    // NCE is self-normalising: after training, ζ_l tracks the true log Z_l of the learnt φ.
    TrfModel m = TinyModels.model(3, true, 2);
    BackoffLm lm = TinyModels.bigram();
    NoiseModel noise = new NoiseModel(lm, 3, logMassExact(lm, 3), new SplittableRandom(3));
    TrfTrainer.Options o = new TrfTrainer.Options(300, 16, 4, 0.03, 10, 7, 100, 0, null);
    List<TrfTrainer.Progress> progress = new ArrayList<>();
    new TrfTrainer(m, noise, o).train(TinyModels.sentences(), progress::add);
    assertEquals(3, progress.size());
    double total = 0;
    for (int l = 1; l <= 3; l++) {
      double exact = ExactNormaliser.logZ(m, l);
      total += Math.exp(m.prior().logProb(l) + exact - m.zeta(l));
      assertEquals(exact, m.zeta(l), 0.3, "length " + l);
    }
    // The learnt model's total probability, with its own ζ, is close to one.
    assertEquals(1.0, total, 0.15);
  }
}
