package dev.joule.decoder.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.fst.Arc;
import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.LabelSide;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The beam decoder against OpenFST on the same graphs and scores. */
class DecoderTest {
  static final DecoderOptions WIDE =
      new DecoderOptions(1e6f, 1e6f, Integer.MAX_VALUE, 0, 1f, 0f, 5);

  /** A random decoding graph: emitting arcs on labels 1..tokens, epsilon arcs only forward (no cycles). */
  static OpenFst randomGraph(Random r, int states, int tokens, int words) {
    OpenFst g = OpenFst.create(Semiring.TROPICAL);
    g.addStates(states);
    g.setStart(0);
    for (int s = 0; s < states; s++) {
      int emitting = 1 + r.nextInt(4);
      for (int i = 0; i < emitting; i++) {
        g.addArc(s, new Arc(1 + r.nextInt(tokens), r.nextDouble() < 0.6 ? 0 : 1 + r.nextInt(words),
            (float) (2 * r.nextDouble()), r.nextInt(states)));
      }
      if (s + 1 < states && r.nextDouble() < 0.4) {
        g.addArc(s, new Arc(0, r.nextDouble() < 0.5 ? 0 : 1 + r.nextInt(words), (float) r.nextDouble(),
            s + 1 + r.nextInt(states - s - 1)));
      }
      if (r.nextDouble() < 0.5) {
        g.setFinal(s, (float) r.nextDouble());
      }
    }
    g.setFinal(states - 1, 0f);
    return g;
  }

  static float[] randomScores(Random r, int frames, int tokens) {
    float[] x = new float[frames * tokens];
    for (int t = 0; t < frames; t++) {
      double[] z = new double[tokens];
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < tokens; v++) {
        z[v] = 2 * r.nextGaussian();
        max = Math.max(max, z[v]);
      }
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v - max);
      }
      for (int v = 0; v < tokens; v++) {
        x[t * tokens + v] = (float) (z[v] - max - Math.log(sum));
      }
    }
    return x;
  }

  /** The linear acceptor of the scores: frame t → t+1 on label token+1 with cost −log p. */
  static OpenFst scoreAcceptor(float[] x, int frames, int tokens) {
    OpenFst s = OpenFst.create(Semiring.TROPICAL);
    s.addStates(frames + 1);
    s.setStart(0);
    for (int t = 0; t < frames; t++) {
      for (int v = 0; v < tokens; v++) {
        s.addArc(t, new Arc(v + 1, v + 1, -x[t * tokens + v], t + 1));
      }
    }
    s.setFinal(frames, 0f);
    return s;
  }

  /** Walks a linear FST (a shortest-path result): its output labels and total cost. */
  static Hypothesis linearPath(OpenFst path) {
    List<Integer> words = new ArrayList<>();
    double cost = 0;
    int s = path.start();
    while (true) {
      List<Arc> arcs = path.arcs(s);
      if (arcs.isEmpty()) {
        cost += path.finalWeight(s);
        break;
      }
      Arc a = arcs.get(0);
      cost += a.weight();
      if (a.olabel() != 0) {
        words.add(a.olabel());
      }
      s = a.nextState();
    }
    return new Hypothesis(words.stream().mapToInt(Integer::intValue).toArray(), cost, 0);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void wideBeamOneBestEqualsOpenFstShortestPath(long seed) {
    Random r = new Random(seed);
    int tokens = 4;
    int frames = 12;
    try (OpenFst g = randomGraph(r, 15, tokens, 6)) {
      float[] x = randomScores(r, frames, tokens);
      DecodingResult ours = new Decoder(Fst.fromOpenFst(g), WIDE).decode(ScoreMatrix.of(x, frames, tokens));
      try (OpenFst s = scoreAcceptor(x, frames, tokens);
          OpenFst sg = OpenFst.compose(s, g);
          OpenFst best = sg.shortestPath()) {
        if (best.numStates() == 0) {
          assertTrue(!ours.reachedFinal(), "OpenFST finds no path but the decoder reached a final state");
          return;
        }
        Hypothesis want = linearPath(best);
        assertTrue(ours.reachedFinal());
        assertEquals(want.cost(), ours.best().cost(), 1e-4);
        assertArrayEquals(want.words(), ours.wordIds());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14})
  void nbestEqualsOpenFstNShortestDistinctWordSequences(long seed) {
    Random r = new Random(seed);
    int tokens = 3;
    int frames = 8;
    try (OpenFst g = randomGraph(r, 10, tokens, 4)) {
      float[] x = randomScores(r, frames, tokens);
      DecodingResult ours = new Decoder(Fst.fromOpenFst(g), WIDE).decode(ScoreMatrix.of(x, frames, tokens));
      // Best cost of each distinct word sequence: project to words, remove epsilons, determinise.
      try (OpenFst s = scoreAcceptor(x, frames, tokens);
          OpenFst sg = OpenFst.compose(s, g);
          OpenFst words = sg.project(LabelSide.OUTPUT);
          OpenFst noEps = words.rmEpsilon();
          OpenFst det = noEps.determinize();
          OpenFst nbest = det.shortestPath(5, true)) {
        List<Double> want = pathCosts(nbest);
        assertEquals(want.size(), ours.nbest().size());
        for (int i = 0; i < want.size(); i++) {
          assertEquals(want.get(i), ours.nbest().get(i).cost(), 1e-3, "hypothesis " + i);
        }
        assertEquals(ours.best().cost(), ours.nbest().get(0).cost(), 1e-4);
        // Every entry carries its own words' times; the first one's are the 1-best's.
        if (Arrays.equals(ours.nbest().get(0).words(), ours.wordIds())) {
          assertEquals(ours.words(), ours.nbest().get(0).timedWords());
        }
        for (Hypothesis h : ours.nbest()) {
          assertEquals(h.words().length, h.timedWords().size());
          for (int k = 0; k < h.words().length; k++) {
            WordHypothesis w = h.timedWords().get(k);
            assertEquals(h.words()[k], w.word());
            assertTrue(w.startFrame() <= w.endFrame() && w.endFrame() < frames, w.toString());
            assertTrue(k == 0 || h.timedWords().get(k - 1).startFrame() <= w.startFrame(), "times in order");
          }
        }
        // The determinised word lattice holds the same distinct sequences with the same best costs.
        try (OpenFst latticeDet = ours.lattice().determinized(); OpenFst top = latticeDet.shortestPath(5, true)) {
          List<Double> fromLattice = pathCosts(top);
          for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), fromLattice.get(i), 1e-3, "lattice hypothesis " + i);
          }
        }
      }
    }
  }

  /**
   * At the default beams the lattice holds very many paths per word sequence (a search over
   * paths pops huge numbers of alignments before it finds the next distinct sequence). The list
   * must equal OpenFST's n shortest distinct sequences of the same lattice. OpenFST cannot
   * determinise such a whole lattice in bounded memory, so the reference first prunes it to paths
   * no worse than our n-th entry plus a margin: every sequence that could belong in the list
   * survives that.
   */
  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23})
  void nbestAtDefaultBeamsIsTheDeterminisedLatticesShortestPaths(long seed) {
    DecodingResult ours = decodeAtDefaultBeams(seed, 80);
    int n = DecoderOptions.DEFAULTS.nbest();
    double worst = ours.nbest().get(ours.nbest().size() - 1).cost();
    try (OpenFst raw = ours.lattice().toOpenFst();
        OpenFst near = pruned(raw, worst - ours.best().cost() + 0.5);
        OpenFst noEps = near.rmEpsilon();
        OpenFst det = noEps.determinize(OpenFst.DEFAULT_DELTA, 200_000);
        OpenFst top = det.shortestPath(n, true)) {
      List<Double> want = pathCosts(top);
      assertEquals(n, want.size(), "the lattice should hold a full list");
      assertEquals(want.size(), ours.nbest().size());
      for (int i = 0; i < want.size(); i++) {
        assertEquals(want.get(i), ours.nbest().get(i).cost(), 1e-3 * Math.max(1, Math.abs(want.get(i))),
            "hypothesis " + i);
      }
    }
  }

  /**
   * A long utterance (an 8 s recording's worth of frames) still gets a full list: distinct
   * sequences, cheapest first, the first the 1-best, and each with its sequence's best cost in
   * the lattice (a Viterbi pass over the lattice constrained to the sequence).
   */
  @ParameterizedTest
  @ValueSource(longs = {31, 32})
  void aLongUtteranceGetsAFullListOfBestAlignments(long seed) {
    DecodingResult ours = decodeAtDefaultBeams(seed, 800);
    List<Hypothesis> list = ours.nbest();
    assertEquals(DecoderOptions.DEFAULTS.nbest(), list.size());
    assertEquals(list.size(), list.stream().map(h -> Arrays.toString(h.words())).distinct().count());
    assertArrayEquals(ours.best().words(), list.get(0).words());
    assertEquals(ours.best().cost(), list.get(0).cost(), 1e-4 * Math.abs(ours.best().cost()));
    try (OpenFst lattice = ours.lattice().toOpenFst()) {
      for (int i = 0; i < list.size(); i++) {
        Hypothesis h = list.get(i);
        assertTrue(i == 0 || list.get(i - 1).cost() <= h.cost() + 1e-3, "cheapest first at " + i);
        assertEquals(bestCostOf(lattice, h.words()), h.cost(), 1e-3 * Math.max(1, Math.abs(h.cost())), "entry " + i);
      }
    }
  }

  /** {@code frames} random frames of 3 tokens decoded on a random 12-state graph at the default beams. */
  private static DecodingResult decodeAtDefaultBeams(long seed, int frames) {
    Random r = new Random(seed);
    try (OpenFst g = randomGraph(r, 12, 3, 5)) {
      float[] x = randomScores(r, frames, 3);
      return new Decoder(Fst.fromOpenFst(g), DecoderOptions.DEFAULTS).decode(ScoreMatrix.of(x, frames, 3));
    }
  }

  /** The cheapest path of acyclic acceptor {@code f} that reads exactly {@code words} (epsilon 0 skipped). */
  private static double bestCostOf(OpenFst f, int[] words) {
    int m = words.length;
    double[][] cost = new double[f.numStates()][m + 1];
    for (double[] row : cost) {
      Arrays.fill(row, Double.POSITIVE_INFINITY);
    }
    cost[f.start()][0] = 0;
    double best = Double.POSITIVE_INFINITY;
    for (int s : topologicalOrder(f)) {
      List<Arc> out = f.arcs(s);
      for (int k = 0; k <= m; k++) {
        if (cost[s][k] == Double.POSITIVE_INFINITY) {
          continue;
        }
        if (k == m) {
          best = Math.min(best, cost[s][k] + f.finalWeight(s));
        }
        for (Arc a : out) {
          int next = a.ilabel() == 0 ? k : k < m && a.ilabel() == words[k] ? k + 1 : -1;
          if (next >= 0) {
            cost[a.nextState()][next] = Math.min(cost[a.nextState()][next], cost[s][k] + a.weight());
          }
        }
      }
    }
    return best;
  }


  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14})
  void aOneBestListIsTheBestPathOfTheFullList(long seed) {
    Random r = new Random(seed);
    try (OpenFst g = randomGraph(r, 10, 3, 4)) {
      Fst graph = Fst.fromOpenFst(g);
      float[] x = randomScores(r, 8, 3);
      DecodingResult full = new Decoder(graph, WIDE).decode(ScoreMatrix.of(x, 8, 3));
      DecodingSession s = new Decoder(graph, WIDE).session();
      s.accept(ScoreMatrix.of(x, 8, 3));
      DecodingResult one = s.finish(1);
      assertEquals(List.of(full.nbest().get(0)), one.nbest());
      assertEquals(full.words(), one.words());
      assertEquals(full.best(), one.best());
    }
  }

  /** {@code f} (acyclic) without the arcs and final weights on no path within {@code threshold} of its best path. */
  static OpenFst pruned(OpenFst f, double threshold) {
    int n = f.numStates();
    int[] order = topologicalOrder(f);
    double[] alpha = new double[n];
    double[] beta = new double[n];
    Arrays.fill(alpha, Double.POSITIVE_INFINITY);
    alpha[f.start()] = 0;
    for (int s : order) {
      for (Arc a : f.arcs(s)) {
        alpha[a.nextState()] = Math.min(alpha[a.nextState()], alpha[s] + a.weight());
      }
    }
    for (int k = n - 1; k >= 0; k--) {
      int s = order[k];
      beta[s] = f.finalWeight(s);
      for (Arc a : f.arcs(s)) {
        beta[s] = Math.min(beta[s], a.weight() + beta[a.nextState()]);
      }
    }
    double limit = beta[f.start()] + threshold;
    OpenFst out = OpenFst.create(Semiring.TROPICAL);
    out.addStates(n);
    out.setStart(f.start());
    for (int s = 0; s < n; s++) {
      if (alpha[s] + f.finalWeight(s) <= limit) {
        out.setFinal(s, f.finalWeight(s));
      }
      for (Arc a : f.arcs(s)) {
        if (alpha[s] + a.weight() + beta[a.nextState()] <= limit) {
          out.addArc(s, a);
        }
      }
    }
    return out;
  }

  /** Kahn's algorithm; fails on a cycle. */
  private static int[] topologicalOrder(OpenFst f) {
    int n = f.numStates();
    int[] indegree = new int[n];
    for (int s = 0; s < n; s++) {
      for (Arc a : f.arcs(s)) {
        indegree[a.nextState()]++;
      }
    }
    int[] order = new int[n];
    int size = 0;
    for (int s = 0; s < n; s++) {
      if (indegree[s] == 0) {
        order[size++] = s;
      }
    }
    for (int head = 0; head < size; head++) {
      for (Arc a : f.arcs(order[head])) {
        if (--indegree[a.nextState()] == 0) {
          order[size++] = a.nextState();
        }
      }
    }
    assertEquals(n, size, "the lattice is acyclic");
    return order;
  }

  /** Costs of all paths of an n-shortest-paths result (a tree from the start), sorted. */
  static List<Double> pathCosts(OpenFst f) {
    List<Double> costs = new ArrayList<>();
    collect(f, f.start(), 0, costs);
    costs.sort(Double::compare);
    return costs;
  }

  private static void collect(OpenFst f, int s, double cost, List<Double> out) {
    if (f.finalWeight(s) != Float.POSITIVE_INFINITY) {
      out.add(cost + f.finalWeight(s));
    }
    for (Arc a : f.arcs(s)) {
      collect(f, a.nextState(), cost + a.weight(), out);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23})
  void streamingInChunksEqualsOffline(long seed) {
    Random r = new Random(seed);
    int tokens = 5;
    int frames = 40;
    try (OpenFst g = randomGraph(r, 30, tokens, 8)) {
      Decoder decoder = new Decoder(Fst.fromOpenFst(g), DecoderOptions.DEFAULTS.withBeam(6f, 4f).withMaxActive(20, 5));
      float[] x = randomScores(r, frames, tokens);
      DecodingResult offline = decoder.decode(ScoreMatrix.of(x, frames, tokens));
      DecodingSession session = decoder.session();
      int t = 0;
      while (t < frames) {
        int n = Math.min(frames - t, 1 + r.nextInt(7));
        session.accept(ScoreMatrix.of(java.util.Arrays.copyOfRange(x, t * tokens, (t + n) * tokens), n, tokens));
        t += n;
        DecodingResult partial = session.partial();
        assertEquals(t, partial.frames());
      }
      DecodingResult streamed = session.finish();
      assertEquals(offline.best(), streamed.best());
      assertEquals(offline.words(), streamed.words());
      assertEquals(offline.nbest(), streamed.nbest());
    }
  }

  /**
   * A hand-made CTC-style graph: blank (token 0) loops anywhere, "a" (token 1) outputs word 7
   * on entry and repeats silently, "b" (token 2) likewise outputs word 9.
   */
  static Fst twoWordGraph() {
    try (OpenFst g = OpenFst.create(Semiring.TROPICAL)) {
      g.addStates(3);
      g.setStart(0);
      for (int s = 0; s < 3; s++) {
        g.addArc(s, new Arc(1, 0, 0f, 0)); // blank → state 0
        g.setFinal(s, 0f);
      }
      g.addArc(0, new Arc(2, 7, 0f, 1));
      g.addArc(1, new Arc(2, 0, 0f, 1));
      g.addArc(2, new Arc(2, 7, 0f, 1));
      g.addArc(0, new Arc(3, 9, 0f, 2));
      g.addArc(2, new Arc(3, 0, 0f, 2));
      g.addArc(1, new Arc(3, 9, 0f, 2));
      return Fst.fromOpenFst(g);
    }
  }

  /** Scores that make the given token sequence near certain. */
  static float[] peaked(int tokens, int... path) {
    float[] x = new float[path.length * tokens];
    for (int t = 0; t < path.length; t++) {
      for (int v = 0; v < tokens; v++) {
        x[t * tokens + v] = v == path[t] ? (float) Math.log(0.97) : (float) Math.log(0.03 / (tokens - 1));
      }
    }
    return x;
  }

  @Test
  void wordTimesAndConfidencesOnAToyGraph() {
    // frames: _ a a _ b _  →  word 7 over frames 1..2, word 9 at frame 4
    float[] x = peaked(3, 0, 1, 1, 0, 2, 0);
    DecodingResult result = new Decoder(twoWordGraph(), DecoderOptions.DEFAULTS).decode(ScoreMatrix.of(x, 6, 3));
    assertArrayEquals(new int[] {7, 9}, result.wordIds());
    assertEquals(2, result.words().size());
    WordHypothesis first = result.words().get(0);
    WordHypothesis second = result.words().get(1);
    assertEquals(7, first.word());
    assertEquals(1, first.startFrame());
    assertEquals(2, first.endFrame());
    assertEquals(4, second.startFrame());
    assertEquals(4, second.endFrame());
    assertTrue(first.confidence() > 0.8 && first.confidence() <= 1, "confidence " + first.confidence());
    assertTrue(result.reachedFinal());
    assertTrue(result.lattice().numArcs() > 0);
  }

  @Test
  void parallelDecodingEqualsSequential() {
    Random r = new Random(99);
    try (OpenFst g = randomGraph(r, 25, 4, 6)) {
      Decoder decoder = new Decoder(Fst.fromOpenFst(g), DecoderOptions.DEFAULTS);
      List<ScoreMatrix> utterances = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int frames = 5 + r.nextInt(30);
        utterances.add(ScoreMatrix.of(randomScores(r, frames, 4), frames, 4));
      }
      List<DecodingResult> parallel = decoder.decodeAll(utterances, 4);
      for (int i = 0; i < utterances.size(); i++) {
        assertEquals(decoder.decode(utterances.get(i)).best(), parallel.get(i).best());
      }
    }
  }

  @Test
  void mismatchedScoresAreRejected() {
    Fst g = twoWordGraph();
    Decoder decoder = new Decoder(g, DecoderOptions.DEFAULTS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> decoder.decode(ScoreMatrix.of(new float[4], 2, 2)));
    assertTrue(e.getMessage().contains("token 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ScoreMatrix.of(new float[] {Float.NaN}, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new DecoderOptions(0f, 8f, 10, 1, 1f, 0f, 1));
  }

  @ParameterizedTest
  @ValueSource(longs = {31, 32, 33})
  void latticePruningDuringDecodingKeepsTheOneBestAndBoundsMemory(long seed) {
    Random r = new Random(seed);
    int tokens = 5;
    int frames = 1500;
    try (OpenFst g = randomGraph(r, 60, tokens, 10)) {
      Fst graph = Fst.fromOpenFst(g);
      DecoderOptions options = DecoderOptions.DEFAULTS.withBeam(12f, 4f);
      float[] x = randomScores(r, frames, tokens);
      DecodingSession pruned = new DecodingSession(graph, options);
      DecodingSession unpruned = new DecodingSession(graph, options, 0, new LatticePruner());
      pruned.accept(ScoreMatrix.of(x, frames, tokens));
      unpruned.accept(ScoreMatrix.of(x, frames, tokens));
      assertTrue(pruned.latticeTokens() < unpruned.latticeTokens() / 2,
          pruned.latticeTokens() + " tokens kept with pruning, " + unpruned.latticeTokens() + " without");
      DecodingResult a = pruned.finish();
      DecodingResult b = unpruned.finish();
      assertArrayEquals(b.wordIds(), a.wordIds());
      assertEquals(b.best().cost(), a.best().cost(), 1e-3);
    }
  }
}
