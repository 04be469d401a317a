package dev.joule.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchingTest {
  private static int[] lengths(int n, long seed) {
    Random r = new Random(seed);
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = 50 + r.nextInt(500);
    }
    return l;
  }

  @Test
  void everyUtteranceOnceWithinTheBudget() {
    int[] len = lengths(200, 1);
    List<int[]> batches = Batching.epoch(len, 3000, 16, 7, 0);
    int[] seen = new int[len.length];
    for (int[] b : batches) {
      int max = Arrays.stream(b).map(i -> len[i]).max().getAsInt();
      assertTrue(b.length <= 16);
      assertTrue(b.length == 1 || (long) b.length * max <= 3000, "padded size within budget");
      for (int i : b) {
        seen[i]++;
      }
    }
    for (int s : seen) {
      assertEquals(1, s);
    }
  }

  @Test
  void batchesHoldSimilarLengths() {
    int[] len = lengths(300, 2);
    double padding = 0;
    double frames = 0;
    for (int[] b : Batching.epoch(len, 4000, 32, 1, 0)) {
      int max = Arrays.stream(b).map(i -> len[i]).max().getAsInt();
      for (int i : b) {
        padding += max - len[i];
        frames += len[i];
      }
    }
    assertTrue(padding / frames < 0.05, "sorted buckets waste little padding: " + padding / frames);
  }

  @Test
  void orderIsAFunctionOfSeedAndEpoch() {
    int[] len = lengths(100, 3);
    List<int[]> a = Batching.epoch(len, 2000, 8, 5, 2);
    List<int[]> b = Batching.epoch(len, 2000, 8, 5, 2);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }
    assertNotEquals(Arrays.deepToString(a.toArray()), Arrays.deepToString(Batching.epoch(len, 2000, 8, 5, 3).toArray()));
    assertNotEquals(Arrays.deepToString(a.toArray()), Arrays.deepToString(Batching.epoch(len, 2000, 8, 6, 2).toArray()));
  }

  @Test
  void anUtteranceLongerThanTheBudgetGetsABatchOfItsOwn() {
    List<int[]> batches = Batching.epoch(new int[] {10, 5000, 20}, 100, 8, 0, 0);
    assertEquals(2, batches.size());
    assertTrue(batches.stream().anyMatch(b -> b.length == 1 && b[0] == 1));
  }
}
