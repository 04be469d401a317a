package dev.joule.decoder.lm;

import java.util.Arrays;

/**
 * Open-addressing hash map from an n-gram key (context node, word) to a dense index.
 *
 * <p>N-gram tables are stored as a trie whose edges are the entries of one such map per order:
 * an n-gram is its context's index at the order below plus its last word. Keys pack both ints
 * into a long, so a lookup allocates nothing; indices are handed out in insertion order.
 */
final class NgramIndex {
  private static final long EMPTY = -1L;

  private long[] keys;
  private int[] values;
  private int mask;
  private int shift;
  private int size;

  NgramIndex(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    values = new int[capacity];
    mask = capacity - 1;
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
  }

  static long key(int context, int word) {
    return ((long) context << 32) | (word & 0xffffffffL);
  }

  int size() {
    return size;
  }

  /** The index of (context, word), or -1 when absent. */
  int get(int context, int word) {
    long key = key(context, word);
    for (int slot = slot(key); ; slot = (slot + 1) & mask) {
      long k = keys[slot];
      if (k == key) {
        return values[slot];
      }
      if (k == EMPTY) {
        return -1;
      }
    }
  }

  /** The index of (context, word), adding it with the next free index when absent. */
  int getOrAdd(int context, int word) {
    long key = key(context, word);
    int slot = slot(key);
    while (true) {
      long k = keys[slot];
      if (k == key) {
        return values[slot];
      }
      if (k == EMPTY) {
        break;
      }
      slot = (slot + 1) & mask;
    }
    insert(slot, key, size);
    return size - 1;
  }

  /** Puts (context, word) → value; the key must be absent (used when rebuilding in a new order). */
  void putNew(int context, int word, int value) {
    long key = key(context, word);
    int slot = slot(key);
    while (keys[slot] != EMPTY) {
      slot = (slot + 1) & mask;
    }
    insert(slot, key, value);
  }

  private void insert(int slot, long key, int value) {
    keys[slot] = key;
    values[slot] = value;
    size++;
    if (size * 10L > keys.length * 7L) {
      grow();
    }
  }

  private int slot(long key) {
    // Fibonacci hashing: the top bits of the product depend on every bit of the key, so
    // consecutive ids (the common case) spread over the table.
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    values = new int[keys.length];
    mask = keys.length - 1;
    shift--;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = slot(oldKeys[i]);
        while (keys[slot] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }
}
