package dev.joule.decoder.search;

import dev.joule.decoder.fst.Fst;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the search's token lattice into results: the best path (through final weights), the
 * lattice pruned to paths within the lattice beam of the best, word posteriors (log-semiring
 * forward-backward over the pruned lattice) as confidences, and n-best distinct word sequences
 * ({@link NbestWordSequences}).
 */
final class LatticeAnalysis {
  private final TokenLattice lat;
  private final Fst graph;
  private final DecoderOptions options;
  private final int[] tokenFrame;
  private final int[] outStart;
  private final int[] outLinks;
  private final int[] order;
  private final LatticeTopology topology;

  private LatticeAnalysis(TokenLattice lat, Fst graph, DecoderOptions options) {
    this.lat = lat;
    this.graph = graph;
    this.options = options;
    this.topology = new LatticeTopology(lat);
    this.tokenFrame = topology.tokenFrame;
    this.outStart = topology.outStart;
    this.outLinks = topology.outLinks;
    this.order = topology.order;
  }

  private float linkCost(int l) {
    return lat.linkGraph[l] + lat.linkAcoustic[l];
  }

  /** Link frame for word timing: the frame an emitting link consumes, or the next frame for epsilon links. */
  private int linkFrame(int l) {
    int f = tokenFrame[lat.linkTo[l]];
    return lat.linkIlabel[l] != 0 ? f - 1 : f;
  }

  static DecodingResult partial(TokenLattice lat, Fst graph, DecoderOptions options) {
    int t = lat.frames;
    int best = -1;
    for (int tok = lat.frameBegin(t); tok < lat.frameEnd(t); tok++) {
      if (best < 0 || lat.tokenCost[tok] < lat.tokenCost[best]) {
        best = tok;
      }
    }
    List<Integer> links = new ArrayList<>();
    for (int tok = best, steps = 0; tok >= 0 && lat.tokenBestLink[tok] >= 0; steps++) {
      if (steps > lat.tokenCount) {
        throw new IllegalStateException("the decoding graph has an epsilon cycle; it cannot be decoded");
      }
      int l = lat.tokenBestLink[tok];
      links.add(l);
      tok = lat.linkFrom[l];
    }
    java.util.Collections.reverse(links);
    LatticeAnalysis a = new LatticeAnalysis(lat, graph, options);
    Hypothesis h = a.hypothesis(links, 0f);
    return new DecodingResult(a.words(links, null), h, false, t, List.of(), null);
  }

  static DecodingResult finish(TokenLattice lat, Fst graph, DecoderOptions options) {
    return new LatticeAnalysis(lat, graph, options).finish();
  }

  private DecodingResult finish() {
    int n = lat.tokenCount;
    int last = lat.frames;
    float[] finalCost = new float[n];
    Arrays.fill(finalCost, Float.POSITIVE_INFINITY);
    boolean reachedFinal = false;
    for (int tok = lat.frameBegin(last); tok < lat.frameEnd(last); tok++) {
      finalCost[tok] = graph.finalWeight(lat.tokenState[tok]);
      reachedFinal |= finalCost[tok] != Float.POSITIVE_INFINITY;
    }
    if (!reachedFinal) {
      for (int tok = lat.frameBegin(last); tok < lat.frameEnd(last); tok++) {
        finalCost[tok] = 0f;
      }
    }
    // Viterbi cost from each token to the end.
    double[] beta = new double[n];
    for (int k = n - 1; k >= 0; k--) {
      int tok = order[k];
      double b = finalCost[tok];
      for (int i = outStart[tok]; i < outStart[tok + 1]; i++) {
        int l = outLinks[i];
        b = Math.min(b, linkCost(l) + beta[lat.linkTo[l]]);
      }
      beta[tok] = b;
    }
    double bestTotal = beta[0];
    if (bestTotal == Double.POSITIVE_INFINITY) {
      Hypothesis empty = new Hypothesis(new int[0], Double.POSITIVE_INFINITY, 0);
      return new DecodingResult(List.of(), empty, false, last, List.of(), null);
    }
    // The best path, walking forward along links that keep the total at its minimum.
    List<Integer> bestLinks = new ArrayList<>();
    int tok = 0;
    while (!(finalCost[tok] != Float.POSITIVE_INFINITY && finalCost[tok] <= beta[tok])) {
      int choice = -1;
      double c = Double.POSITIVE_INFINITY;
      for (int i = outStart[tok]; i < outStart[tok + 1]; i++) {
        int l = outLinks[i];
        double v = linkCost(l) + beta[lat.linkTo[l]];
        if (v < c) {
          c = v;
          choice = l;
        }
      }
      bestLinks.add(choice);
      tok = lat.linkTo[choice];
    }
    float bestFinal = finalCost[tok];
    // Prune: keep links on some path within the lattice beam of the best.
    double limit = bestTotal + options.latticeBeam() + 1e-4 * Math.max(1, Math.abs(bestTotal));
    boolean[] keep = new boolean[lat.linkCount];
    for (int l = 0; l < lat.linkCount; l++) {
      keep[l] = lat.tokenCost[lat.linkFrom[l]] + linkCost(l) + beta[lat.linkTo[l]] <= limit;
    }
    double[] posterior = posteriors(keep, finalCost);
    Hypothesis best = hypothesis(bestLinks, bestFinal);
    java.util.Map<Integer, List<Integer>> linksOfWord = linksOfWord(posterior);
    List<WordHypothesis> words = words(bestLinks, posterior, linksOfWord);
    // The best path is the 1-best list: no search.
    List<Hypothesis> nbest = options.nbest() == 1 ? List.of(best) : nbest(keep, finalCost, posterior, linksOfWord);
    if (nbest.isEmpty()) {
      // The search reached its memory bound before completing a sequence; the best path is known anyway.
      nbest = List.of(best);
    }
    return new DecodingResult(words, best, reachedFinal, last, nbest, lattice(keep, finalCost));
  }

  /** Posterior probability of every kept link (log-semiring forward-backward over kept links). */
  private double[] posteriors(boolean[] keep, float[] finalCost) {
    int n = lat.tokenCount;
    double[] alpha = new double[n];
    double[] beta = new double[n];
    Arrays.fill(alpha, Double.POSITIVE_INFINITY);
    alpha[0] = 0;
    for (int k = 0; k < n; k++) {
      int tok = order[k];
      if (alpha[tok] == Double.POSITIVE_INFINITY) {
        continue;
      }
      for (int i = outStart[tok]; i < outStart[tok + 1]; i++) {
        int l = outLinks[i];
        if (keep[l]) {
          int to = lat.linkTo[l];
          alpha[to] = costAdd(alpha[to], alpha[tok] + linkCost(l));
        }
      }
    }
    for (int k = n - 1; k >= 0; k--) {
      int tok = order[k];
      double b = finalCost[tok];
      for (int i = outStart[tok]; i < outStart[tok + 1]; i++) {
        int l = outLinks[i];
        if (keep[l]) {
          b = costAdd(b, linkCost(l) + beta[lat.linkTo[l]]);
        }
      }
      beta[tok] = b;
    }
    double total = beta[0];
    double[] post = new double[lat.linkCount];
    for (int l = 0; l < lat.linkCount; l++) {
      if (keep[l]) {
        post[l] = Math.exp(total - (alpha[lat.linkFrom[l]] + linkCost(l) + beta[lat.linkTo[l]]));
      }
    }
    return post;
  }

  /** −log(e^−a + e^−b): adding probabilities held as costs. */
  private static double costAdd(double a, double b) {
    if (a == Double.POSITIVE_INFINITY) {
      return b;
    }
    if (b == Double.POSITIVE_INFINITY) {
      return a;
    }
    return Math.min(a, b) - Math.log1p(Math.exp(-Math.abs(a - b)));
  }

  private Hypothesis hypothesis(List<Integer> links, float finalCost) {
    double graphCost = finalCost;
    double acoustic = 0;
    List<Integer> words = new ArrayList<>();
    for (int l : links) {
      graphCost += lat.linkGraph[l];
      acoustic += lat.linkAcoustic[l];
      if (lat.linkOlabel[l] != 0) {
        words.add(lat.linkOlabel[l]);
      }
    }
    return new Hypothesis(words.stream().mapToInt(Integer::intValue).toArray(), graphCost, acoustic);
  }

  /**
   * Words of a path with times: a word starts at the frame of the link that outputs it and ends
   * at the last frame before the next word on which a non-blank token was emitted (at least its
   * start). Confidence: the summed posterior of kept links with the same word whose frame lies in
   * the word's span, at most 1 (NaN without posteriors).
   */
  private List<WordHypothesis> words(List<Integer> links, double[] posterior) {
    return words(links, posterior, linksOfWord(posterior));
  }

  /**
   * Word-bearing links with a posterior, grouped by word (in link order), so that confidences
   * need not scan every link of the lattice for every word of a path.
   */
  private java.util.Map<Integer, List<Integer>> linksOfWord(double[] posterior) {
    java.util.Map<Integer, List<Integer>> linksOfWord = new java.util.HashMap<>();
    if (posterior != null) {
      for (int l = 0; l < lat.linkCount; l++) {
        if (posterior[l] > 0 && lat.linkOlabel[l] != 0) {
          linksOfWord.computeIfAbsent(lat.linkOlabel[l], w -> new ArrayList<>()).add(l);
        }
      }
    }
    return linksOfWord;
  }

  private List<WordHypothesis> words(List<Integer> links, double[] posterior,
      java.util.Map<Integer, List<Integer>> linksOfWord) {
    List<int[]> spans = new ArrayList<>(); // word, start, end
    int lastFrame = Math.max(0, lat.frames - 1);
    for (int l : links) {
      int frame = Math.min(linkFrame(l), lastFrame);
      if (lat.linkOlabel[l] != 0) {
        spans.add(new int[] {lat.linkOlabel[l], frame, frame});
      } else if (!spans.isEmpty() && lat.linkIlabel[l] != 0 && lat.linkIlabel[l] != DecodingSession.BLANK_ILABEL) {
        int[] current = spans.get(spans.size() - 1);
        current[2] = Math.max(current[2], frame);
      }
    }
    List<WordHypothesis> words = new ArrayList<>();
    for (int[] s : spans) {
      double confidence = Double.NaN;
      if (posterior != null) {
        confidence = 0;
        for (int l : linksOfWord.getOrDefault(s[0], List.of())) {
          int f = Math.min(linkFrame(l), lastFrame);
          if (f >= s[1] && f <= s[2]) {
            confidence += posterior[l];
          }
        }
        confidence = Math.min(1, confidence);
      }
      words.add(new WordHypothesis(s[0], s[1], s[2], confidence));
    }
    return words;
  }

  /** Distinct word sequences of the pruned lattice, cheapest first, each with its words' times and confidences along its own path. */
  private List<Hypothesis> nbest(boolean[] keep, float[] finalCost, double[] posterior,
      java.util.Map<Integer, List<Integer>> linksOfWord) {
    List<Hypothesis> out = new ArrayList<>();
    for (NbestWordSequences.Entry e : new NbestWordSequences(lat, topology, keep, finalCost).search(options.nbest())) {
      List<Integer> links = Arrays.stream(e.links()).boxed().toList();
      Hypothesis h = hypothesis(links, e.finalCost());
      out.add(new Hypothesis(h.words(), h.graphCost(), h.acousticCost(), words(links, posterior, linksOfWord)));
    }
    return out;
  }

  /** The kept links as a word lattice over renumbered tokens (the start token becomes state 0). */
  private WordLattice lattice(boolean[] keep, float[] finalCost) {
    int[] id = new int[lat.tokenCount];
    Arrays.fill(id, -1);
    id[0] = 0;
    int states = 1;
    for (int k = 0; k < lat.tokenCount; k++) {
      int tok = order[k];
      if (id[tok] < 0) {
        continue;
      }
      for (int i = outStart[tok]; i < outStart[tok + 1]; i++) {
        int l = outLinks[i];
        if (keep[l] && id[lat.linkTo[l]] < 0) {
          id[lat.linkTo[l]] = states++;
        }
      }
    }
    int arcs = 0;
    for (int l = 0; l < lat.linkCount; l++) {
      if (keep[l] && id[lat.linkFrom[l]] >= 0) {
        arcs++;
      }
    }
    int[] from = new int[arcs];
    int[] to = new int[arcs];
    int[] word = new int[arcs];
    float[] g = new float[arcs];
    float[] ac = new float[arcs];
    int a = 0;
    for (int l = 0; l < lat.linkCount; l++) {
      if (keep[l] && id[lat.linkFrom[l]] >= 0) {
        from[a] = id[lat.linkFrom[l]];
        to[a] = id[lat.linkTo[l]];
        word[a] = lat.linkOlabel[l];
        g[a] = lat.linkGraph[l];
        ac[a] = lat.linkAcoustic[l];
        a++;
      }
    }
    float[] finals = new float[states];
    Arrays.fill(finals, Float.POSITIVE_INFINITY);
    for (int tok = 0; tok < lat.tokenCount; tok++) {
      if (id[tok] >= 0) {
        finals[id[tok]] = finalCost[tok];
      }
    }
    return new WordLattice(states, from, to, word, g, ac, finals);
  }
}
