package dev.joule.decoder.search;

import java.util.Arrays;

/**
 * The search's memory, in flat growable arrays: tokens (a graph state reached after a number of
 * frames, with its best cost and the link that achieved it) and links between tokens (an arc
 * taken, with its graph and acoustic costs). Tokens of frame t occupy the index range
 * {@code [frameStart(t), frameStart(t+1))}. Arrays grow geometrically and are never shrunk, so
 * the per-frame loop allocates nothing once they are large enough.
 */
final class TokenLattice {
  int tokenCount;
  int[] tokenState = new int[1024];
  float[] tokenCost = new float[1024];
  int[] tokenBestLink = new int[1024];
  /** The lattice pruner's extra cost of each token (see {@link LatticePruner}); +∞ once pruned away. */
  double[] tokenExtra = new double[1024];

  int linkCount;
  int[] linkFrom = new int[4096];
  int[] linkTo = new int[4096];
  int[] linkIlabel = new int[4096];
  int[] linkOlabel = new int[4096];
  float[] linkGraph = new float[4096];
  float[] linkAcoustic = new float[4096];

  int frames; // frames consumed so far
  int[] frameStart = new int[256];
  /**
   * Links leaving the tokens of frame t occupy {@code [linkStart[t], linkStart[t+1])} (the last
   * frame's run to the link count): a frame's epsilon links are made by its epsilon closure and
   * its emitting links right after, before any link of a later frame.
   */
  int[] linkStart = new int[256];

  int addToken(int state, float cost) {
    if (tokenCount == tokenState.length) {
      int n = tokenCount * 2;
      tokenState = Arrays.copyOf(tokenState, n);
      tokenCost = Arrays.copyOf(tokenCost, n);
      tokenBestLink = Arrays.copyOf(tokenBestLink, n);
      tokenExtra = Arrays.copyOf(tokenExtra, n);
    }
    tokenState[tokenCount] = state;
    tokenCost[tokenCount] = cost;
    tokenBestLink[tokenCount] = -1;
    tokenExtra[tokenCount] = 0;
    return tokenCount++;
  }

  int addLink(int from, int to, int ilabel, int olabel, float graph, float acoustic) {
    if (linkCount == linkFrom.length) {
      int n = linkCount * 2;
      linkFrom = Arrays.copyOf(linkFrom, n);
      linkTo = Arrays.copyOf(linkTo, n);
      linkIlabel = Arrays.copyOf(linkIlabel, n);
      linkOlabel = Arrays.copyOf(linkOlabel, n);
      linkGraph = Arrays.copyOf(linkGraph, n);
      linkAcoustic = Arrays.copyOf(linkAcoustic, n);
    }
    linkFrom[linkCount] = from;
    linkTo[linkCount] = to;
    linkIlabel[linkCount] = ilabel;
    linkOlabel[linkCount] = olabel;
    linkGraph[linkCount] = graph;
    linkAcoustic[linkCount] = acoustic;
    return linkCount++;
  }

  /** Marks the start of frame {@code t}'s tokens (call before creating them). */
  void beginFrame(int t) {
    if (t + 2 > frameStart.length) {
      frameStart = Arrays.copyOf(frameStart, Math.max(t + 2, frameStart.length * 2));
    }
    frameStart[t] = tokenCount;
    frameStart[t + 1] = tokenCount;
  }

  /** Marks the start of the links leaving frame {@code t}'s tokens (call before making them). */
  void beginLinksOf(int t) {
    if (t + 2 > linkStart.length) {
      linkStart = Arrays.copyOf(linkStart, Math.max(t + 2, linkStart.length * 2));
    }
    linkStart[t] = linkCount;
  }

  /** End of the links leaving frame {@code t}'s tokens. */
  int linkEnd(int t) {
    return t < frames ? linkStart[t + 1] : linkCount;
  }

  /** Closes frame {@code t}: its tokens end at the current count. */
  void endFrame(int t) {
    frameStart[t + 1] = tokenCount;
  }

  int frameBegin(int t) {
    return frameStart[t];
  }

  int frameEnd(int t) {
    return frameStart[t + 1];
  }

  /** The frame a token belongs to (binary search over frame starts). */
  int frameOf(int token) {
    int lo = 0;
    int hi = frames;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (frameStart[mid] <= token) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
