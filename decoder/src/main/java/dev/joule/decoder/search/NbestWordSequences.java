package dev.joule.decoder.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The n cheapest distinct word sequences of a pruned token lattice, each with its cheapest path
 * (its best alignment): A* over pairs (word prefix, token), the lattice determinised on its word
 * labels on the fly, as in Mohri and Riley's n-best-strings algorithm.
 *
 * <p>Why not A* over paths: a lattice holds very many paths per word sequence (the same words
 * aligned to the frames in different ways), and a search over paths that drops repeated
 * sequences pops them all, exponentially many in the length of the utterance, before it finds
 * the next distinct sequence. Here paths with the same words so far that meet at a token are one
 * search node: word prefixes are nodes of a trie, and a search node is (prefix, token).
 *
 * <p>Order: a node's priority is its path's cost plus the cheapest cost from its token to the
 * end over the kept links, an exact (so consistent) heuristic. The first time a node is popped it
 * therefore holds the cheapest path to it, and later arrivals are dropped; a prefix's completion
 * (the prefix followed by the end of the lattice) is popped at the exact cost of that word
 * sequence, so sequences come out cheapest first, each once. The search touches only nodes whose
 * priority is below the n-th sequence's cost: alignments within that slack of the best ones.
 */
final class NbestWordSequences {
  /**
   * Queued nodes the search may create: a bound on memory for pathological lattices. Each costs
   * up to about 200 bytes (the node and its queue slot, its back pointer, its boxed key in the
   * popped set, trie entries), so at most about 100 MB. The default model's 16-best lists on its
   * test set queue 4,300 nodes on average and 12,000 at most.
   */
  static final int MAX_QUEUED = 500_000;

  /** Token of a queued completion (the prefix's path ends at its previous token). */
  private static final int END = -1;

  private final TokenLattice lat;
  private final LatticeTopology topology;
  private final boolean[] keep;
  private final float[] finalCost;
  private final double[] toEnd;

  /** Word-prefix trie: node 0 is the empty prefix; child(prefix, word) by key. */
  private final Map<Long, Integer> trie = new HashMap<>();

  /** Back pointers: path node = (parent path node, link); node 0 is the empty path at the start token. */
  private int pathCount;
  private int[] pathParent = new int[1024];
  private int[] pathLink = new int[1024];

  /**
   * @param keep the links to search (the lattice pruned to the lattice beam)
   * @param finalCost per token, the cost of ending there (+∞ where it cannot end)
   */
  NbestWordSequences(TokenLattice lat, LatticeTopology topology, boolean[] keep, float[] finalCost) {
    this.lat = lat;
    this.topology = topology;
    this.keep = keep;
    this.finalCost = finalCost;
    int n = lat.tokenCount;
    toEnd = new double[n];
    for (int k = n - 1; k >= 0; k--) {
      int tok = topology.order[k];
      double b = finalCost[tok];
      for (int i = topology.outStart[tok]; i < topology.outStart[tok + 1]; i++) {
        int l = topology.outLinks[i];
        if (keep[l]) {
          b = Math.min(b, cost(l) + toEnd[lat.linkTo[l]]);
        }
      }
      toEnd[tok] = b;
    }
    addPath(-1, -1);
  }

  /** One completed word sequence: its cheapest path's links in order and the final cost it ends with. */
  record Entry(int[] links, float finalCost) {}

  /** A queued search node: a path (back pointer) with its word prefix, at a token or at the end. */
  private record Node(double priority, double cost, int token, int prefix, int path, int lastToken) {}

  /**
   * Up to {@code n} distinct word sequences, cheapest first; fewer when the lattice holds fewer,
   * or when the search queued {@link #MAX_QUEUED} nodes first.
   */
  List<Entry> search(int n) {
    List<Entry> out = new ArrayList<>();
    if (toEnd[0] == Double.POSITIVE_INFINITY) {
      return out;
    }
    PriorityQueue<Node> open = new PriorityQueue<>((a, b) -> Double.compare(a.priority, b.priority));
    Set<Long> popped = new HashSet<>();
    open.add(new Node(toEnd[0], 0, 0, 0, 0, 0));
    int queued = 1;
    while (!open.isEmpty() && out.size() < n && queued < MAX_QUEUED) {
      Node node = open.poll();
      if (!popped.add(key(node.prefix, node.token))) {
        continue; // a cheaper path with the same words reached this token first
      }
      if (node.token == END) {
        out.add(new Entry(links(node.path), finalCost[node.lastToken]));
        continue;
      }
      int tok = node.token;
      if (finalCost[tok] != Float.POSITIVE_INFINITY && !popped.contains(key(node.prefix, END))) {
        double total = node.cost + finalCost[tok];
        open.add(new Node(total, total, END, node.prefix, node.path, tok));
        queued++;
      }
      for (int i = topology.outStart[tok]; i < topology.outStart[tok + 1]; i++) {
        int l = topology.outLinks[i];
        if (!keep[l]) {
          continue;
        }
        int to = lat.linkTo[l];
        int word = lat.linkOlabel[l];
        int prefix = word == 0 ? node.prefix : child(node.prefix, word);
        if (popped.contains(key(prefix, to))) {
          continue;
        }
        double reach = node.cost + cost(l);
        open.add(new Node(reach + toEnd[to], reach, to, prefix, addPath(node.path, l), tok));
        queued++;
      }
    }
    return out;
  }

  private static long key(int prefix, int token) {
    return ((long) prefix << 32) | (token & 0xffffffffL);
  }

  private int child(int prefix, int word) {
    return trie.computeIfAbsent(key(prefix, word), k -> trie.size() + 1);
  }

  private int addPath(int parent, int link) {
    if (pathCount == pathParent.length) {
      pathParent = Arrays.copyOf(pathParent, pathCount * 2);
      pathLink = Arrays.copyOf(pathLink, pathCount * 2);
    }
    pathParent[pathCount] = parent;
    pathLink[pathCount] = link;
    return pathCount++;
  }

  /** The links of the path ending at a back-pointer node, in order. */
  private int[] links(int path) {
    int length = 0;
    for (int m = path; m > 0; m = pathParent[m]) {
      length++;
    }
    int[] out = new int[length];
    for (int m = path; m > 0; m = pathParent[m]) {
      out[--length] = pathLink[m];
    }
    return out;
  }

  private double cost(int l) {
    return lat.linkGraph[l] + lat.linkAcoustic[l];
  }
}
