package dev.joule.decoder.fst;

import java.util.Random;

/** Random WFSTs for comparisons; weights are multiples of 1/64 so sums stay exact in float. */
final class RandomFsts {
  private RandomFsts() {}

  /**
   * A random FST with {@code states} states, about {@code arcsPerState} arcs each, labels in
   * {@code 1..labels} (plus epsilons when {@code epsilonRate > 0}), and some final states.
   */
  static OpenFst random(
      Random rnd, Semiring semiring, int states, int arcsPerState, int labels, boolean acceptor,
      boolean acyclic, double epsilonRate) {
    OpenFst f = OpenFst.create(semiring);
    f.addStates(states);
    f.setStart(0);
    for (int s = 0; s < states; s++) {
      int k = 1 + rnd.nextInt(arcsPerState * 2);
      for (int j = 0; j < k; j++) {
        int dst;
        if (acyclic) {
          if (s == states - 1) {
            break;
          }
          dst = s + 1 + rnd.nextInt(states - s - 1);
        } else {
          dst = rnd.nextInt(states);
        }
        int il = rnd.nextDouble() < epsilonRate ? 0 : 1 + rnd.nextInt(labels);
        int ol = acceptor ? il : (rnd.nextDouble() < epsilonRate ? 0 : 1 + rnd.nextInt(labels));
        f.addArc(s, new Arc(il, ol, weight(rnd), dst));
      }
      if (s == states - 1 || rnd.nextInt(4) == 0) {
        f.setFinal(s, weight(rnd));
      }
    }
    return f;
  }

  static float weight(Random rnd) {
    return rnd.nextInt(320) / 64f;
  }
}
