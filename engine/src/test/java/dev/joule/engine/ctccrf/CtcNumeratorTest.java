package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CtcNumeratorTest {

  /** CTC collapse: merge repeats, then drop blanks. */
  private static int[] collapse(int[] path) {
    List<Integer> out = new ArrayList<>();
    int previous = -1;
    for (int v : path) {
      if (v != previous && v != 0) {
        out.add(v);
      }
      previous = v;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Enumerates all V^T frame paths: log p(labels) and occupancies. */
  private static double bruteForce(LogProbBatch x, int[] labels, double[][] occupancy) {
    int frames = x.lengths()[0];
    int tokens = x.tokens();
    int[] path = new int[frames];
    double total = 0;
    for (long code = 0; code < Math.pow(tokens, frames); code++) {
      long c = code;
      double logp = 0;
      for (int t = 0; t < frames; t++) {
        path[t] = (int) (c % tokens);
        c /= tokens;
        logp += x.data()[x.offset(0, t) + path[t]];
      }
      if (Arrays.equals(collapse(path), labels)) {
        double p = Math.exp(logp);
        total += p;
        for (int t = 0; t < frames; t++) {
          occupancy[t][path[t]] += p;
        }
      }
    }
    return total;
  }

  @ParameterizedTest
  @CsvSource({"1,1", "3,1", "3,1 2", "4,2 2", "5,1 2 1", "6,2 2 2", "5,''", "3,1 1"})
  void equalsEnumerationOfAllAlignments(int frames, String labelText) {
    int[] labels = labelText.isBlank() ? new int[0] : Arrays.stream(labelText.split(" ")).mapToInt(Integer::parseInt).toArray();
    LogProbBatch x = RandomGraphs.logSoftmax(new Random(frames * 31L + labels.length), 3, 1.5, frames);
    double[][] occ = new double[frames][3];
    double p = bruteForce(x, labels, occ);
    SequencePosteriors got = CtcNumerator.compute(x, new int[][] {labels});
    assertEquals(Math.log(p), got.logLikelihood()[0], 1e-9);
    for (int t = 0; t < frames; t++) {
      for (int v = 0; v < 3; v++) {
        assertEquals(occ[t][v] / p, got.occupancy()[t * 3 + v], 1e-6, "frame " + t + " token " + v);
      }
    }
  }

  @Test
  void labelsLongerThanTheFramesAllowAreInfeasible() {
    assertEquals(4, CtcNumerator.minimumFrames(new int[] {1, 1, 2})); // 1 _ 1 2
    LogProbBatch x = RandomGraphs.logSoftmax(new Random(5), 3, 1.0, 3, 4);
    SequencePosteriors p = CtcNumerator.compute(x, new int[][] {{1, 1, 2}, {1, 1, 2}});
    assertEquals(Double.NEGATIVE_INFINITY, p.logLikelihood()[0]);
    assertArrayEquals(new float[9], Arrays.copyOfRange(p.occupancy(), 0, 9));
    assertEquals(true, Double.isFinite(p.logLikelihood()[1]));
  }

  @Test
  void occupancyIsTheGradient() {
    Random r = new Random(9);
    int[] labels = {3, 1, 1, 4, 2};
    LogProbBatch x = RandomGraphs.logSoftmax(r, 5, 1.0, 14);
    SequencePosteriors base = CtcNumerator.compute(x, new int[][] {labels});
    for (int i = 0; i < x.data().length; i += 2) {
      float[] plus = x.data().clone();
      float[] minus = x.data().clone();
      plus[i] += 1e-3f;
      minus[i] -= 1e-3f;
      double up = CtcNumerator.compute(new LogProbBatch(plus, 1, 14, 5, new int[] {14}), new int[][] {labels}).logLikelihood()[0];
      double down = CtcNumerator.compute(new LogProbBatch(minus, 1, 14, 5, new int[] {14}), new int[][] {labels}).logLikelihood()[0];
      assertEquals((up - down) / (plus[i] - minus[i]), base.occupancy()[i], 1e-4, "element " + i);
    }
  }

  @Test
  void blankOrOutOfRangeLabelsAreRejected() {
    LogProbBatch x = RandomGraphs.logSoftmax(new Random(5), 3, 1.0, 4);
    assertThrows(IllegalArgumentException.class, () -> CtcNumerator.compute(x, new int[][] {{0}}));
    assertThrows(IllegalArgumentException.class, () -> CtcNumerator.compute(x, new int[][] {{3}}));
  }
}
