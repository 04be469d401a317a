package dev.joule.decoder.search;

import dev.joule.decoder.fst.Fst;

/**
 * Frame-synchronous token-passing Viterbi beam search over a compact decoding graph (TLG), in
 * the manner of Kaldi's LatticeFasterDecoder, fed chunk by chunk.
 *
 * <p>Each frame: (1) the tokens of frame t within the beam (tightened to max-active, widened to
 * min-active) follow every emitting arc (input label = token + 1), paying the arc's graph cost
 * and −acousticScale·log P(token | t), into tokens of frame t+1, pruned against the running best
 * + beam; (2) epsilon arcs (input label 0) are followed within frame t+1 until no cost improves,
 * and only then linked, so a token is never linked twice from the same source. Every link that
 * survives the beam is kept, which makes the tokens and links a lattice; finishing prunes it
 * with the lattice beam (see {@link LatticeAnalysis}).
 *
 * <p>Feeding frames in chunks gives exactly the result of feeding them at once: the search
 * state between frames does not depend on chunking. Not thread-safe; one session per utterance
 * (sessions over the same {@link Fst} may run on different threads).
 */
public final class DecodingSession {
  /** Input label of the blank token (token 0 + 1). */
  static final int BLANK_ILABEL = 1;

  /** Frames between lattice prunings (see {@link LatticePruner}); 0 turns pruning off. */
  static final int DEFAULT_PRUNE_INTERVAL = 25;

  private final Fst graph;
  private final DecoderOptions options;
  private final TokenLattice lattice = new TokenLattice();
  private StateMap current;
  private StateMap next;
  private float[] select = new float[1024];
  private float[] acousticCost = new float[0];
  private int[] queue = new int[1024];
  private final StateMap queued;
  private int tokens = -1;
  private boolean finished;
  private final int pruneInterval;
  private final LatticePruner pruner;

  public DecodingSession(Fst graph, DecoderOptions options) {
    this(graph, options, DEFAULT_PRUNE_INTERVAL, new LatticePruner());
  }

  DecodingSession(Fst graph, DecoderOptions options, int pruneInterval, LatticePruner pruner) {
    this.pruneInterval = pruneInterval;
    this.pruner = pruner;
    if (graph.start() < 0) {
      throw new IllegalArgumentException("decoding graph has no start state");
    }
    this.graph = graph;
    this.options = options;
    this.current = new StateMap(graph.numStates());
    this.next = new StateMap(graph.numStates());
    this.queued = new StateMap(graph.numStates());
    lattice.beginFrame(0);
    int start = lattice.addToken(graph.start(), 0f);
    current.put(graph.start(), start);
    epsilonClosure(0, current);
    lattice.endFrame(0);
  }

  /** The search's lattice so far (for tests). */
  TokenLattice lattice() {
    return lattice;
  }

  /** Tokens held in the lattice now (a measure of the session's memory). */
  public int latticeTokens() {
    return lattice.tokenCount;
  }

  /** Frames decoded so far. */
  public int frames() {
    return lattice.frames;
  }

  /** Decodes the frames of {@code chunk}, which continue those given before. */
  public void accept(ScoreMatrix chunk) {
    if (finished) {
      throw new IllegalStateException("session is finished");
    }
    if (tokens < 0) {
      tokens = chunk.tokens();
    } else if (chunk.tokens() != tokens) {
      throw new IllegalArgumentException("chunk has " + chunk.tokens() + " tokens; earlier chunks had " + tokens);
    }
    for (int i = 0; i < chunk.frames(); i++) {
      int t = lattice.frames;
      emit(t, chunk, i);
      epsilonClosure(t + 1, current);
      lattice.endFrame(t + 1);
      lattice.frames = t + 1;
      if (pruneInterval > 0 && lattice.frames % pruneInterval == 0) {
        pruner.prune(lattice, options.latticeBeam(), current);
      }
    }
  }

  /** The best hypothesis so far, ignoring final weights (for live display). */
  public DecodingResult partial() {
    return LatticeAnalysis.partial(lattice, graph, options);
  }

  /** Ends the utterance: the final 1-best with word times and confidences, the lattice and n-best. */
  public DecodingResult finish() {
    return finish(options.nbest());
  }

  /**
   * {@link #finish()} with an n-best list of at most {@code nbest} entries: 1 when only the best
   * path is wanted (a segment of a longer recording), which spares the n-best search's memory.
   */
  public DecodingResult finish(int nbest) {
    finished = true;
    return LatticeAnalysis.finish(lattice, graph, nbest == options.nbest() ? options : options.withNbest(nbest));
  }

  private void emit(int t, ScoreMatrix chunk, int row) {
    int begin = lattice.frameBegin(t);
    int end = lattice.frameEnd(t);
    float cutoff = cutoff(begin, end);
    next.clear();
    lattice.beginFrame(t + 1);
    float nextCutoff = Float.POSITIVE_INFINITY;
    float scale = options.acousticScale();
    float beam = options.beam();
    // Acoustic cost by input label for this frame, looked up once instead of once per arc.
    if (acousticCost.length < tokens + 1) {
      acousticCost = new float[tokens + 1];
    }
    for (int v = 0; v < tokens; v++) {
      acousticCost[v + 1] = -scale * chunk.logProb(row, v);
    }
    // As Kaldi does: start the next frame's cutoff from the best token's cheapest arc, so that
    // tokens visited before the best one do not fill the next frame with tokens the beam drops.
    nextCutoff = initialCutoff(begin, end, beam);
    for (int tok = begin; tok < end; tok++) {
      float c0 = lattice.tokenCost[tok];
      if (c0 > cutoff) {
        continue;
      }
      int state = lattice.tokenState[tok];
      for (int a = graph.arcBegin(state), stop = graph.arcEnd(state); a < stop; a++) {
        int il = graph.ilabel(a);
        if (il == 0) {
          continue;
        }
        if (il > tokens) {
          throw new IllegalArgumentException(
              "graph input label " + il + " needs token " + (il - 1) + " but scores have " + tokens + " tokens");
        }
        float ac = acousticCost[il];
        if (ac == Float.POSITIVE_INFINITY) {
          continue;
        }
        int ol = graph.olabel(a);
        float g = graphCost(a);
        float c = c0 + g + ac;
        if (c > nextCutoff) {
          continue;
        }
        if (c + beam < nextCutoff) {
          nextCutoff = c + beam;
        }
        int ns = graph.nextState(a);
        int dest = next.get(ns);
        if (dest < 0) {
          dest = lattice.addToken(ns, c);
          next.put(ns, dest);
        } else if (c < lattice.tokenCost[dest]) {
          lattice.tokenCost[dest] = c;
        }
        int link = lattice.addLink(tok, dest, il, ol, g, ac);
        if (c <= lattice.tokenCost[dest]) {
          lattice.tokenBestLink[dest] = link;
        }
      }
    }
    StateMap swap = current;
    current = next;
    next = swap;
  }

  /** Arc {@code a}'s cost paid to the graph: its weight, plus the word penalty when it outputs a word. */
  private float graphCost(int a) {
    return graph.weight(a) + (graph.olabel(a) != 0 ? options.wordPenalty() : 0f);
  }

  /**
   * The cheapest cost the best token of frame tokens [begin, end) reaches over an emitting arc,
   * plus the beam (+∞ when it has none): an upper bound on the next frame's cutoff.
   */
  private float initialCutoff(int begin, int end, float beam) {
    int best = -1;
    for (int tok = begin; tok < end; tok++) {
      if (best < 0 || lattice.tokenCost[tok] < lattice.tokenCost[best]) {
        best = tok;
      }
    }
    float cheapest = Float.POSITIVE_INFINITY;
    if (best >= 0) {
      int state = lattice.tokenState[best];
      for (int a = graph.arcBegin(state), stop = graph.arcEnd(state); a < stop; a++) {
        int il = graph.ilabel(a);
        if (il != 0 && il <= tokens) {
          cheapest = Math.min(cheapest, lattice.tokenCost[best] + graphCost(a) + acousticCost[il]);
        }
      }
    }
    return cheapest + beam;
  }

  /** Relaxes epsilon arcs within frame t until no cost improves, then links them. */
  private void epsilonClosure(int t, StateMap map) {
    lattice.beginLinksOf(t);
    int begin = lattice.frameBegin(t);
    float best = Float.POSITIVE_INFINITY;
    for (int tok = begin; tok < lattice.tokenCount; tok++) {
      best = Math.min(best, lattice.tokenCost[tok]);
    }
    float cutoff = best + options.beam();
    queued.clear();
    int head = 0;
    int tail = 0;
    for (int tok = begin; tok < lattice.tokenCount; tok++) {
      queue = append(queue, tail++, tok);
      queued.put(lattice.tokenState[tok], 1);
    }
    // A token re-enters the queue each time its cost improves; without negative-cost epsilon
    // cycles that happens a bounded number of times, which the limit below enforces.
    long limit = 1000L * (tail + 1) + 1_000_000;
    while (head < tail) {
      int tok = queue[head++];
      queued.put(lattice.tokenState[tok], 0);
      float c0 = lattice.tokenCost[tok];
      if (c0 > cutoff) {
        continue;
      }
      int state = lattice.tokenState[tok];
      for (int a = graph.arcBegin(state), stop = graph.arcEnd(state); a < stop && graph.ilabel(a) == 0; a++) {
        float c = c0 + graphCost(a);
        if (c > cutoff) {
          continue;
        }
        int ns = graph.nextState(a);
        int dest = map.get(ns);
        boolean improved = false;
        if (dest < 0) {
          dest = lattice.addToken(ns, c);
          map.put(ns, dest);
          improved = true;
        } else if (c < lattice.tokenCost[dest]) {
          lattice.tokenCost[dest] = c;
          improved = true;
        }
        if (improved && queued.get(ns) != 1) {
          queue = append(queue, tail++, dest);
          queued.put(ns, 1);
        }
      }
      if (tail > limit) {
        throw new IllegalStateException(
            "epsilon arcs do not settle at frame " + t + ": the graph has a negative-cost epsilon cycle");
      }
    }
    // The queue's storage is reused by the next frame.
    for (int tok = begin; tok < lattice.tokenCount; tok++) {
      float c0 = lattice.tokenCost[tok];
      if (c0 > cutoff) {
        continue;
      }
      int state = lattice.tokenState[tok];
      for (int a = graph.arcBegin(state), stop = graph.arcEnd(state); a < stop && graph.ilabel(a) == 0; a++) {
        int dest = map.get(graph.nextState(a));
        if (dest < 0 || dest == tok) {
          continue;
        }
        int ol = graph.olabel(a);
        float g = graphCost(a);
        float c = c0 + g;
        if (c > cutoff) {
          continue;
        }
        int link = lattice.addLink(tok, dest, 0, ol, g, 0f);
        if (c <= lattice.tokenCost[dest]) {
          lattice.tokenBestLink[dest] = link;
        }
      }
    }
  }

  private static int[] append(int[] q, int index, int value) {
    if (index >= q.length) {
      q = java.util.Arrays.copyOf(q, Math.max(q.length * 2, index + 1));
    }
    q[index] = value;
    return q;
  }

  /** The cost cutoff for expanding frame tokens [begin, end): beam, max-active, min-active. */
  private float cutoff(int begin, int end) {
    int count = end - begin;
    float best = Float.POSITIVE_INFINITY;
    for (int tok = begin; tok < end; tok++) {
      best = Math.min(best, lattice.tokenCost[tok]);
    }
    float cutoff = best + options.beam();
    if (count > options.maxActive()) {
      cutoff = Math.min(cutoff, kthSmallest(begin, end, options.maxActive()));
    }
    if (count <= options.minActive()) {
      return Float.POSITIVE_INFINITY;
    }
    if (options.minActive() > 0) {
      cutoff = Math.max(cutoff, kthSmallest(begin, end, options.minActive()));
    }
    return cutoff;
  }

  /** The k-th smallest token cost (1-based) among tokens [begin, end), by quickselect. */
  private float kthSmallest(int begin, int end, int k) {
    int n = end - begin;
    if (select.length < n) {
      select = new float[Math.max(n, select.length * 2)];
    }
    System.arraycopy(lattice.tokenCost, begin, select, 0, n);
    int lo = 0;
    int hi = n - 1;
    int target = k - 1;
    while (lo < hi) {
      float pivot = select[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (select[i] < pivot) {
          i++;
        }
        while (select[j] > pivot) {
          j--;
        }
        if (i <= j) {
          float tmp = select[i];
          select[i] = select[j];
          select[j] = tmp;
          i++;
          j--;
        }
      }
      if (target <= j) {
        hi = j;
      } else if (target >= i) {
        lo = i;
      } else {
        break;
      }
    }
    return select[target];
  }
}
