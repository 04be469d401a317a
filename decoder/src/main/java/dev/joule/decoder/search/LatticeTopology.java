package dev.joule.decoder.search;

import java.util.Arrays;

/**
 * Index structures over a {@link TokenLattice}: each token's frame, its outgoing links (CSR),
 * and a topological order (frames in order; within a frame, sources of epsilon links before
 * their targets).
 */
final class LatticeTopology {
  final int[] tokenFrame;
  final int[] outStart;
  final int[] outLinks;
  final int[] order;

  LatticeTopology(TokenLattice lat) {
    int n = lat.tokenCount;
    tokenFrame = new int[n];
    for (int t = 0; t <= lat.frames; t++) {
      Arrays.fill(tokenFrame, lat.frameBegin(t), lat.frameEnd(t), t);
    }
    outStart = new int[n + 1];
    for (int l = 0; l < lat.linkCount; l++) {
      outStart[lat.linkFrom[l] + 1]++;
    }
    for (int i = 0; i < n; i++) {
      outStart[i + 1] += outStart[i];
    }
    outLinks = new int[lat.linkCount];
    int[] fill = Arrays.copyOf(outStart, n);
    for (int l = 0; l < lat.linkCount; l++) {
      outLinks[fill[lat.linkFrom[l]]++] = l;
    }
    order = topologicalOrder(lat);
  }

  private int[] topologicalOrder(TokenLattice lat) {
    int n = lat.tokenCount;
    int[] indegree = new int[n];
    for (int l = 0; l < lat.linkCount; l++) {
      if (lat.linkIlabel[l] == 0) {
        indegree[lat.linkTo[l]]++;
      }
    }
    int[] result = new int[n];
    int size = 0;
    for (int t = 0; t <= lat.frames; t++) {
      int head = size;
      for (int tok = lat.frameBegin(t); tok < lat.frameEnd(t); tok++) {
        if (indegree[tok] == 0) {
          result[size++] = tok;
        }
      }
      while (head < size) {
        int tok = result[head++];
        for (int i = outStart[tok]; i < outStart[tok + 1]; i++) {
          int l = outLinks[i];
          if (lat.linkIlabel[l] == 0 && --indegree[lat.linkTo[l]] == 0) {
            result[size++] = lat.linkTo[l];
          }
        }
      }
    }
    if (size != n) {
      throw new IllegalStateException("the decoding graph has an epsilon cycle; it cannot be decoded");
    }
    return result;
  }
}
