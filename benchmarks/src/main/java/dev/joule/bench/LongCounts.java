package dev.joule.bench;

import java.util.Arrays;

/** Counts per long key (packed word ids) in open addressing, without boxing millions of keys. */
final class LongCounts {
  private static final long EMPTY = Long.MIN_VALUE;
  private long[] keys = new long[1 << 16];
  private int[] counts = new int[1 << 16];
  private int size;

  LongCounts() {
    Arrays.fill(keys, EMPTY);
  }

  void add(long key, int delta) {
    if (size * 2 >= keys.length) {
      grow();
    }
    int slot = slot(key, keys);
    if (keys[slot] == EMPTY) {
      keys[slot] = key;
      size++;
    }
    counts[slot] += delta;
  }

  int get(long key) {
    int slot = slot(key, keys);
    return keys[slot] == EMPTY ? 0 : counts[slot];
  }

  int size() {
    return size;
  }

  /** Calls {@code visitor} for every key with its count. */
  void forEach(Visitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        visitor.visit(keys[i], counts[i]);
      }
    }
  }

  interface Visitor {
    void visit(long key, int count);
  }

  private static int slot(long key, long[] table) {
    int mask = table.length - 1;
    int i = (int) (mix(key) & mask);
    while (table[i] != EMPTY && table[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    keys = new long[oldKeys.length * 2];
    counts = new int[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int s = slot(oldKeys[i], keys);
        keys[s] = oldKeys[i];
        counts[s] = oldCounts[i];
      }
    }
  }
}
