package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.fst.Arc;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Den graphs read from real OpenFST files, with the CAT label and weight conventions. */
class DenGraphTest {
  @TempDir Path dir;

  @Test
  void readsAnOpenFstDenGraphWithCatConventions() throws Exception {
    // 0 -(blank: label 1, cost 0.5)-> 0 ; 0 -(token 2: label 3, cost 1.25)-> 1 ; final(1) = 0.75
    Path file = dir.resolve("den.fst");
    try (OpenFst f = OpenFst.create(Semiring.TROPICAL)) {
      f.addStates(2);
      f.setStart(0);
      f.addArc(0, new Arc(1, 1, 0.5f, 0));
      f.addArc(0, new Arc(3, 0, 1.25f, 1));
      f.setFinal(1, 0.75f);
      f.write(file);
    }
    DenGraph g = DenGraph.read(file, 3);
    assertEquals(2, g.numStates());
    assertEquals(2, g.numArcs());
    assertEquals(-0.75, g.finalLogProb(1), 1e-7);
    assertEquals(Double.NEGATIVE_INFINITY, g.finalLogProb(0));
    // Two frames: blank then token 2 is the only path; logZ = x0[0] + x1[2] - 0.5 - 1.25 - 0.75.
    LogProbBatch x = RandomGraphs.logSoftmax(new Random(3), 3, 1.0, 2);
    double want = x.data()[0] + x.data()[3 + 2] - 0.5 - 1.25 - 0.75;
    assertEquals(want, new Denominator(g).compute(x).logLikelihood()[0], 1e-6);
  }

  @Test
  void epsilonInputArcsAreRejectedNamingTheFile() throws Exception {
    Path file = dir.resolve("eps.fst");
    try (OpenFst f = OpenFst.create(Semiring.TROPICAL)) {
      f.addStates(2);
      f.setStart(0);
      f.addArc(0, new Arc(0, 0, 0f, 1));
      f.setFinal(1, 0f);
      f.write(file);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DenGraph.read(file, 3));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("epsilon"), e.getMessage());
  }

  @Test
  void tokenOutsideTheVocabularyIsRejected() throws Exception {
    Path file = dir.resolve("big.fst");
    try (OpenFst f = OpenFst.create(Semiring.TROPICAL)) {
      f.addStates(1);
      f.setStart(0);
      f.addArc(0, new Arc(9, 0, 0f, 0));
      f.setFinal(0, 0f);
      f.write(file);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DenGraph.read(file, 3));
    assertTrue(e.getMessage().contains("token 8"), e.getMessage());
  }
}
