package dev.joule.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EditDistanceTest {
  @Test
  void handCheckedCases() {
    assertEquals(0, EditDistance.between(new int[] {}, new int[] {}));
    assertEquals(3, EditDistance.between(new int[] {1, 2, 3}, new int[] {}));
    assertEquals(2, EditDistance.between(new int[] {}, new int[] {4, 4}));
    assertEquals(1, EditDistance.between(new int[] {1, 2, 3}, new int[] {1, 5, 3}), "one substitution");
    assertEquals(1, EditDistance.between(new int[] {1, 2, 3}, new int[] {1, 3}), "one deletion");
    assertEquals(1, EditDistance.between(new int[] {1, 3}, new int[] {1, 2, 3}), "one insertion");
    // kitten -> sitting: 3 (k->s, e->i, +g)
    assertEquals(3, EditDistance.between(new int[] {11, 9, 20, 20, 5, 14}, new int[] {19, 9, 20, 20, 9, 14, 7}));
  }

  /** The recursive definition, memoised: the reference for random cases. */
  private static int reference(int[] a, int[] b, int i, int j, Integer[][] memo) {
    if (i == a.length) {
      return b.length - j;
    }
    if (j == b.length) {
      return a.length - i;
    }
    if (memo[i][j] == null) {
      int sub = reference(a, b, i + 1, j + 1, memo) + (a[i] == b[j] ? 0 : 1);
      int del = reference(a, b, i + 1, j, memo) + 1;
      int ins = reference(a, b, i, j + 1, memo) + 1;
      memo[i][j] = Math.min(sub, Math.min(del, ins));
    }
    return memo[i][j];
  }

  @Test
  void matchesTheRecursiveDefinition() {
    Random r = new Random(4);
    for (int n = 0; n < 300; n++) {
      int[] a = r.ints(r.nextInt(9), 0, 4).toArray();
      int[] b = r.ints(r.nextInt(9), 0, 4).toArray();
      assertEquals(reference(a, b, 0, 0, new Integer[a.length + 1][b.length + 1]), EditDistance.between(a, b));
    }
  }
}
