package dev.joule.engine.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Length-bucketed, shuffled batches. Each epoch the utterances are shuffled, sorted by length
 * (so equal lengths stay in shuffled order), cut into batches of similar length whose padded size
 * ({@code utterances × longest}) stays within {@code maxFrames} and {@code maxUtterances}, and the
 * batches are shuffled. Everything is a function of (seed, epoch): a resumed run sees the same
 * batches in the same order.
 */
public final class Batching {
  private Batching() {}

  /**
   * @param lengths input frames per utterance
   * @return batches of utterance indices for {@code epoch} (0-based)
   */
  public static List<int[]> epoch(int[] lengths, int maxFrames, int maxUtterances, long seed, int epoch) {
    if (maxFrames < 1 || maxUtterances < 1) {
      throw new IllegalArgumentException("batches need maxFrames >= 1 and maxUtterances >= 1");
    }
    Random random = new Random(seed * 1_000_003L + epoch);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    order.sort(Comparator.comparingInt(i -> lengths[i])); // stable: ties keep the shuffled order
    List<int[]> batches = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (int i : order) {
      // Sorted ascending, so the new utterance is the longest of the batch.
      if (!current.isEmpty() && ((long) (current.size() + 1) * lengths[i] > maxFrames || current.size() == maxUtterances)) {
        batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        current.clear();
      }
      current.add(i);
    }
    if (!current.isEmpty()) {
      batches.add(current.stream().mapToInt(Integer::intValue).toArray());
    }
    Collections.shuffle(batches, random);
    return batches;
  }
}
