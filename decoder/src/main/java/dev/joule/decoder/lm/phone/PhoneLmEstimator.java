package dev.joule.decoder.lm.phone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Estimates the phone LM of a CTC-CRF denominator graph from phone sequences, the way Kaldi's
 * {@code chain-est-phone-lm} does (and CAT with it), with one simplification stated below.
 *
 * <ul>
 *   <li><b>Counts.</b> Each sentence is read with the history starting as (BOS); every phone,
 *       and EOS at the end, is counted once at its full history truncated to the last
 *       {@code order − 1} symbols, so BOS stays in sentence-initial histories. Phone id 0
 *       stands for both BOS and EOS, so phones must be 1 or more.
 *   <li><b>States.</b> Histories of up to {@code noPruneOrder − 1} symbols are always kept.
 *       A longer history is kept only if its total count reaches {@code minStateCount};
 *       a dropped history's counts are added to its backoff history (the history minus its
 *       oldest symbol), repeatedly until a kept one. Kaldi instead keeps a fixed number of extra
 *       states chosen by likelihood gain; the count threshold approximates that choice.
 *   <li><b>Arcs.</b> Maximum likelihood, no smoothing, no backoff arcs: from history h, each
 *       phone p seen after h gets log(c(h,p)/c(h)) and leads to the longest suffix of (h,p)
 *       (at most order − 1 symbols) that is a kept state; the final weight is log(c(h,EOS)/c(h)).
 * </ul>
 *
 * <p>Given the same inputs this reproduces {@code shared/bench/den-phone4g} exactly (order 4,
 * no-prune order 3, threshold 70).
 */
public final class PhoneLmEstimator {
  private final int order;
  private final int noPruneOrder;
  private final long minStateCount;

  /** Per history (packed as a list of ints): counts of the next symbol (0 = EOS). */
  private final Map<History, TreeMap<Integer, Long>> counts = new HashMap<>();

  /**
   * @param order n-gram order, at least 2 (histories of up to order − 1 symbols)
   * @param noPruneOrder histories shorter than this are never pruned (Kaldi's default: 3; at least 2)
   * @param minStateCount count a longer history needs to be kept as a state
   */
  public PhoneLmEstimator(int order, int noPruneOrder, long minStateCount) {
    if (order < 2 || noPruneOrder < 2 || noPruneOrder > order || minStateCount < 0) {
      throw new IllegalArgumentException(
          "need 2 <= noPruneOrder <= order and minStateCount >= 0; got order " + order
              + ", noPruneOrder " + noPruneOrder + ", minStateCount " + minStateCount);
    }
    this.order = order;
    this.noPruneOrder = noPruneOrder;
    this.minStateCount = minStateCount;
  }

  /** Adds one sentence of phone ids (each ≥ 1). */
  public void add(int[] phones) {
    int[] history = {0};
    for (int i = 0; i <= phones.length; i++) {
      int next = i < phones.length ? phones[i] : 0;
      if (i < phones.length && next < 1) {
        throw new IllegalArgumentException("phone ids must be >= 1 (0 is the sentence boundary); got " + next);
      }
      counts.computeIfAbsent(new History(history), h -> new TreeMap<>()).merge(next, 1L, Long::sum);
      history = append(history, next, order - 1);
    }
  }

  private static int[] append(int[] history, int symbol, int maxLength) {
    int[] longer = Arrays.copyOf(history, history.length + 1);
    longer[history.length] = symbol;
    return longer.length > maxLength ? Arrays.copyOfRange(longer, longer.length - maxLength, longer.length) : longer;
  }

  /** Builds the LM from everything added so far. */
  public PhoneLm estimate() {
    // Fold pruned histories into their backoff histories, longest first, so that counts of a
    // pruned history reach a kept one. Most shorter histories exist only through this folding:
    // counts are added at the full history, so e.g. (b, c) with b ≠ BOS is never counted itself.
    Map<History, TreeMap<Integer, Long>> pending = new HashMap<>();
    counts.forEach((h, c) -> pending.put(h, new TreeMap<>(c)));
    Map<History, TreeMap<Integer, Long>> kept = new HashMap<>();
    for (int length = order - 1; length >= 1; length--) {
      final int current = length;
      List<History> level = new ArrayList<>();
      for (History h : pending.keySet()) {
        if (h.symbols.length == current) {
          level.add(h);
        }
      }
      for (History h : level) {
        TreeMap<Integer, Long> c = pending.remove(h);
        long total = c.values().stream().mapToLong(Long::longValue).sum();
        if (length < noPruneOrder || total >= minStateCount) {
          kept.put(h, c);
        } else {
          History backoff = new History(Arrays.copyOfRange(h.symbols, 1, h.symbols.length));
          TreeMap<Integer, Long> target = pending.computeIfAbsent(backoff, k -> new TreeMap<>());
          c.forEach((symbol, n) -> target.merge(symbol, n, Long::sum));
        }
      }
    }
    // Number the states: the start (BOS) first, then the rest in a fixed order.
    List<History> states = new ArrayList<>(kept.keySet());
    History start = new History(new int[] {0});
    states.remove(start);
    states.sort(History::compareTo);
    states.add(0, start);
    Map<History, Integer> id = new HashMap<>();
    for (int i = 0; i < states.size(); i++) {
      id.put(states.get(i), i);
    }
    List<int[]> histories = new ArrayList<>();
    List<PhoneLm.Arc> arcs = new ArrayList<>();
    double[] finals = new double[states.size()];
    for (int s = 0; s < states.size(); s++) {
      History h = states.get(s);
      histories.add(h.symbols.clone());
      TreeMap<Integer, Long> c = kept.get(h);
      double total = c.values().stream().mapToLong(Long::longValue).sum();
      finals[s] = Double.NEGATIVE_INFINITY;
      for (Map.Entry<Integer, Long> e : c.entrySet()) {
        double logProb = Math.log(e.getValue() / total);
        if (e.getKey() == 0) {
          finals[s] = logProb;
        } else {
          arcs.add(new PhoneLm.Arc(s, e.getKey(), logProb, id.get(longestKeptSuffix(h, e.getKey(), kept))));
        }
      }
    }
    return new PhoneLm(histories, arcs, finals);
  }

  private History longestKeptSuffix(History h, int phone, Map<History, ?> kept) {
    int[] full = append(h.symbols, phone, order - 1);
    for (int from = 0; from < full.length; from++) {
      History suffix = new History(Arrays.copyOfRange(full, from, full.length));
      if (kept.containsKey(suffix)) {
        return suffix;
      }
    }
    throw new IllegalStateException("no kept state for history " + Arrays.toString(full));
  }

  /** An immutable history with value semantics, ordered by length then symbols. */
  private static final class History implements Comparable<History> {
    final int[] symbols;
    final int hash;

    History(int[] symbols) {
      this.symbols = symbols;
      this.hash = Arrays.hashCode(symbols);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof History && Arrays.equals(symbols, ((History) o).symbols);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public int compareTo(History o) {
      return symbols.length != o.symbols.length
          ? Integer.compare(symbols.length, o.symbols.length)
          : Arrays.compare(symbols, o.symbols);
    }

    @Override
    public String toString() {
      return Arrays.toString(symbols);
    }
  }
}
