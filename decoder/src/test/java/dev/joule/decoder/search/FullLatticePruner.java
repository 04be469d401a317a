package dev.joule.decoder.search;

import java.util.Arrays;

/**
 * The reference for {@link LatticePruner}: the same pruning (see there) recomputed from scratch
 * over the whole lattice at every call, with a topological order, as the pruner was before it
 * became incremental. Tests check that the incremental pruner gives exactly the same lattices.
 */
final class FullLatticePruner extends LatticePruner {

  /** Prunes {@code lat} in place; {@code frontier} maps the frontier frame's states to tokens and is updated. */
  @Override
  void prune(TokenLattice lat, float latticeBeam, StateMap frontier) {
    LatticeTopology topo = new LatticeTopology(lat);
    int n = lat.tokenCount;
    int front = lat.frames;
    double[] extra = new double[n];
    Arrays.fill(extra, Double.POSITIVE_INFINITY);
    for (int k = n - 1; k >= 0; k--) {
      int tok = topo.order[k];
      if (topo.tokenFrame[tok] == front) {
        extra[tok] = 0;
        continue;
      }
      double e = Double.POSITIVE_INFINITY;
      for (int i = topo.outStart[tok]; i < topo.outStart[tok + 1]; i++) {
        int l = topo.outLinks[i];
        e = Math.min(e, linkExtra(lat, l, extra));
      }
      extra[tok] = e;
    }
    int[] newToken = new int[n];
    int kept = 0;
    for (int tok = 0; tok < n; tok++) {
      boolean keep = tok == 0 || topo.tokenFrame[tok] == front || extra[tok] <= latticeBeam;
      newToken[tok] = keep ? kept++ : -1;
    }
    boolean[] keepLink = new boolean[lat.linkCount];
    boolean allKept = kept == n;
    for (int l = 0; l < lat.linkCount; l++) {
      keepLink[l] = newToken[lat.linkFrom[l]] >= 0 && newToken[lat.linkTo[l]] >= 0
          && linkExtra(lat, l, extra) <= latticeBeam;
      allKept &= keepLink[l];
    }
    if (allKept) {
      return;
    }
    // Frame boundaries in the new numbering: kept tokens before each old boundary.
    int[] keptBefore = new int[n + 1];
    for (int tok = 0; tok < n; tok++) {
      keptBefore[tok + 1] = keptBefore[tok] + (newToken[tok] >= 0 ? 1 : 0);
    }
    for (int t = 0; t <= front + 1; t++) {
      lat.frameStart[t] = keptBefore[lat.frameStart[t]];
    }
    int[] newLink = new int[lat.linkCount];
    int links = 0;
    for (int l = 0; l < lat.linkCount; l++) {
      if (!keepLink[l]) {
        newLink[l] = -1;
        continue;
      }
      int from = newToken[lat.linkFrom[l]];
      int to = newToken[lat.linkTo[l]];
      newLink[l] = links;
      lat.linkFrom[links] = from;
      lat.linkTo[links] = to;
      lat.linkIlabel[links] = lat.linkIlabel[l];
      lat.linkOlabel[links] = lat.linkOlabel[l];
      lat.linkGraph[links] = lat.linkGraph[l];
      lat.linkAcoustic[links] = lat.linkAcoustic[l];
      links++;
    }
    lat.linkCount = links;
    for (int tok = 0; tok < n; tok++) {
      int to = newToken[tok];
      if (to >= 0) {
        int best = lat.tokenBestLink[tok];
        lat.tokenState[to] = lat.tokenState[tok];
        lat.tokenCost[to] = lat.tokenCost[tok];
        lat.tokenBestLink[to] = best < 0 ? -1 : newLink[best];
      }
    }
    lat.tokenCount = kept;
    for (int tok = lat.frameBegin(front); tok < lat.frameEnd(front); tok++) {
      frontier.put(lat.tokenState[tok], tok);
    }
  }

  /** α(from) + cost − α(to) + extra(to): how much worse than best a path through link l is. */
  private static double linkExtra(TokenLattice lat, int l, double[] extra) {
    return lat.tokenCost[lat.linkFrom[l]] + lat.linkGraph[l] + lat.linkAcoustic[l]
        - lat.tokenCost[lat.linkTo[l]] + extra[lat.linkTo[l]];
  }
}
