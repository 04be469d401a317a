package dev.joule.decoder.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The alignment against hand-checked cases and against enumerating every alignment. */
class AlignmentTest {
  private static List<String> words(String s) {
    return s.isEmpty() ? List.of() : List.of(s.split(" "));
  }

  @Test
  void handCheckedCases() {
    ErrorCounts c = Alignment.align(words("the cat sat on the mat"), words("the bat sat on mat")).counts();
    assertEquals(new ErrorCounts(4, 1, 1, 0, 1, 1), c);
    assertEquals(2, c.errors());
    assertEquals(6, c.referenceLength());
    assertEquals(new ErrorCounts(0, 0, 3, 0, 1, 1), Alignment.align(words("x y z"), words("")).counts());
    assertEquals(new ErrorCounts(0, 0, 0, 2, 1, 1), Alignment.align(words(""), words("a b")).counts());
    assertEquals(new ErrorCounts(0, 0, 0, 0, 1, 0), Alignment.align(words(""), words("")).counts());
    // kitten → sitting: the textbook edit distance 3 (2 substitutions, 1 insertion).
    Alignment a = Alignment.align(Scoring.tokens(List.of("kitten"), Scoring.Unit.CHARACTERS),
        Scoring.tokens(List.of("sitting"), Scoring.Unit.CHARACTERS), 1, 1, 1);
    assertEquals(new ErrorCounts(4, 2, 0, 1, 1, 1), a.counts());
    assertEquals(3, a.cost());
    // sclite's weights take one substitution (4) over a deletion plus an insertion (6).
    assertEquals(new ErrorCounts(0, 1, 0, 0, 1, 1), Alignment.align(words("a"), words("b")).counts());
    assertEquals(1.0 / 3, Alignment.align(words("a b c"), words("a c")).counts().errorRate(), 1e-12);
  }

  /** The cheapest of all alignments, by trying them all. */
  private static int brute(List<String> r, int i, List<String> h, int j, int sub, int del, int ins) {
    if (i == r.size() && j == h.size()) {
      return 0;
    }
    int best = Integer.MAX_VALUE;
    if (i < r.size() && j < h.size()) {
      best = Math.min(best, (r.get(i).equals(h.get(j)) ? 0 : sub) + brute(r, i + 1, h, j + 1, sub, del, ins));
    }
    if (i < r.size()) {
      best = Math.min(best, del + brute(r, i + 1, h, j, sub, del, ins));
    }
    if (j < h.size()) {
      best = Math.min(best, ins + brute(r, i, h, j + 1, sub, del, ins));
    }
    return best;
  }

  @Test
  void matchesEveryAlignmentEnumerated() {
    Random rnd = new Random(7);
    int[][] weights = {{4, 3, 3}, {1, 1, 1}, {2, 1, 3}};
    for (int trial = 0; trial < 600; trial++) {
      List<String> r = random(rnd, rnd.nextInt(6));
      List<String> h = random(rnd, rnd.nextInt(6));
      int[] w = weights[trial % weights.length];
      Alignment a = Alignment.align(r, h, w[0], w[1], w[2]);
      assertEquals(brute(r, 0, h, 0, w[0], w[1], w[2]), a.cost(), r + " / " + h);
      // The pairs spell out both sequences and cost what the alignment says.
      List<String> rr = new ArrayList<>();
      List<String> hh = new ArrayList<>();
      int cost = 0;
      for (Alignment.Pair p : a.pairs()) {
        if (p.ref() != null) {
          rr.add(p.ref());
        }
        if (p.hyp() != null) {
          hh.add(p.hyp());
        }
        cost += switch (p.op()) {
          case CORRECT -> 0;
          case SUBSTITUTION -> w[0];
          case DELETION -> w[1];
          case INSERTION -> w[2];
        };
        assertEquals(p.op() == EditOp.CORRECT, p.ref() != null && p.ref().equals(p.hyp()));
      }
      assertEquals(r, rr);
      assertEquals(h, hh);
      assertEquals(a.cost(), cost);
    }
  }

  private static List<String> random(Random rnd, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(String.valueOf((char) ('a' + rnd.nextInt(3))));
    }
    return out;
  }
}
