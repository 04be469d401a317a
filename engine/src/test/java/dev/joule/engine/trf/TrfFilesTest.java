package dev.joule.engine.trf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrfFilesTest {
  @TempDir Path tmp;

  @Test
  void savedModelLoadsWithTheSameScoresPriorAndWeights() throws Exception {
    TrfModel m = TinyModels.model(3, true, 12);
    m.setZeta(2, 3.75);
    Path dir = tmp.resolve("trf");
    TrfFiles.save(dir, m, new RescoringWeights(0.5, 0.25, -1.5));
    TrfFiles.Loaded back = TrfFiles.load(dir);
    List<int[]> s = List.of(new int[] {3}, new int[] {4, 2, 5});
    assertArrayEquals(m.logProbs(s), back.model().logProbs(s), 0);
    assertEquals(3.75, back.model().zeta(2), 0);
    assertArrayEquals(m.prior().logProbs(), back.model().prior().logProbs(), 1e-15);
    assertEquals(new RescoringWeights(0.5, 0.25, -1.5), back.weights());
    assertEquals(m.vocabulary().words(), back.model().vocabulary().words());

    TrfFiles.save(dir, m, null);
    assertNull(TrfFiles.load(dir).weights());
  }

  @Test
  void theNgramBaseTravelsWithTheModel() throws Exception {
    TrfModel m = TinyModels.basedModel(3, 2);
    Path dir = tmp.resolve("based");
    TrfFiles.save(dir, m, null);
    assertTrue(Files.exists(dir.resolve(TrfFiles.BASE)));
    TrfModel back = TrfFiles.load(dir).model();
    List<int[]> s = List.of(new int[] {3}, new int[] {4, 2, 5});
    // ARPA keeps log10 probabilities to a fixed number of digits.
    assertArrayEquals(m.logProbs(s), back.logProbs(s), 1e-4);
  }

  @Test
  void corruptOrForeignDirectoriesAreModelErrors() throws Exception {
    Path dir = tmp.resolve("trf");
    TrfFiles.save(dir, TinyModels.model(2, false, 1), null);
    Path params = dir.resolve(TrfFiles.PARAMS);
    byte[] b = Files.readAllBytes(params);
    b[b.length / 2] ^= 1;
    Files.write(params, b);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TrfFiles.load(dir));
    assertTrue(e.getMessage().contains(TrfFiles.PARAMS), e.getMessage());
    assertThrows(ModelFormatException.class, () -> TrfFiles.load(tmp.resolve("missing")));
  }

  @Test
  void perplexityCountsWordsPlusSentenceEnds() {
    TrfModel m = TinyModels.model(3, true, 6);
    List<int[]> s = List.of(new int[] {3, 4}, new int[] {5}, new int[] {3, 3, 3, 3}, new int[] {});
    TrfPerplexity.Result r = TrfPerplexity.of(m, s);
    assertEquals(2, r.sentences());
    assertEquals(3, r.words());
    assertEquals(2, r.skipped());
    double lp = m.logProbs(List.of(s.get(0)))[0] + m.logProbs(List.of(s.get(1)))[0];
    assertEquals(lp, r.logProb(), 1e-12);
    assertEquals(Math.exp(-lp / 5), r.perplexity(), 1e-9);
  }

  @Test
  void aTrainingRecordIsSavedAndReadBackAndModelsWithoutOneHaveNone() throws Exception {
    TrfModel m = TinyModels.model(3, true, 4);
    Path dir = tmp.resolve("rec");
    TrfFiles.save(dir, m, null);
    assertNull(TrfFiles.loadWithTraining(dir).training());
    TrainingRecord r = new TrainingRecord(
        java.util.Map.of("train.method", "dnce", "train.step", "7"),
        java.util.Map.of("noise", java.util.Map.of("w", dev.joule.engine.tensor.Tensor.of(new double[] {1.5, -2}, 2))));
    TrfFiles.save(dir, m, new RescoringWeights(1, 1, 0), r);
    // Scoring does not read the training state; resuming does.
    assertNull(TrfFiles.load(dir).training());
    TrfFiles.Loaded back = TrfFiles.loadWithTraining(dir);
    assertEquals(r.properties(), back.training().properties());
    assertArrayEquals(new double[] {1.5, -2}, back.training().state("noise").get("w").toDoubleArray(), 0);
    assertEquals(new RescoringWeights(1, 1, 0), back.weights());
    assertThrows(IllegalArgumentException.class,
        () -> new TrainingRecord(java.util.Map.of("kind", "x"), java.util.Map.of()));
    assertThrows(IllegalArgumentException.class, () -> back.training().state("absent"));
  }
}
