package dev.joule.decoder.search;

/**
 * Graph state → token of the frame being built, cleared in O(1) per frame by bumping a
 * generation stamp instead of refilling the array.
 */
final class StateMap {
  private final int[] token;
  private final int[] stamp;
  private int generation = 1;

  StateMap(int numStates) {
    token = new int[numStates];
    stamp = new int[numStates];
  }

  void clear() {
    generation++;
    if (generation == Integer.MAX_VALUE) {
      java.util.Arrays.fill(stamp, 0);
      generation = 1;
    }
  }

  /** The token for {@code state}, or -1. */
  int get(int state) {
    return stamp[state] == generation ? token[state] : -1;
  }

  void put(int state, int tok) {
    stamp[state] = generation;
    token[state] = tok;
  }
}
