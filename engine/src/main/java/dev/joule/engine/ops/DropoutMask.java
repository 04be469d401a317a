package dev.joule.engine.ops;

/**
 * Which elements dropout keeps, as a pure function of a per-call key and the element's index:
 * element {@code i} is dropped when {@code h(key, i) = mix((lo(i)·φ + lo(key)) ^ hi(key) ^
 * (hi(i)·ψ))}, read as an unsigned 32-bit number, falls below {@code p·2^32} (lo and hi the 32-bit
 * halves, φ the 32-bit golden-ratio increment, ψ a second odd constant, {@code mix} Wellons's
 * "lowbias32" finaliser). For a fixed key, {@code i ↦ h} is a bijection on each run of 2^32
 * indices, so nearby elements get scattered, independent-looking values.
 *
 * <p>A counter-based rule like this needs no generator state per element, so the GPU computes
 * exactly the CPU's mask in its kernel ({@code native/cuda/dropout.cu}) instead of receiving it
 * from the host, and the backward pass regenerates it from the key instead of storing it. The
 * arithmetic is 32-bit because the GPU has no 64-bit integer multiplier: a 64-bit hash made
 * dropout compute-bound there (about twice the time of its memory traffic).
 *
 * <p>Each call of {@link Ops#dropout} draws the key from the layer's seeded {@code Random}, so a
 * seeded run repeats its masks on either device.
 */
final class DropoutMask {
  private static final int GOLDEN = 0x9E3779B9;
  private static final int HIGH = 0x85EBCA6B;

  private DropoutMask() {}

  /** The 32-bit threshold below which an element is dropped, for drop probability {@code p}. */
  static long threshold(double p) {
    return (long) (p * (1L << 32));
  }

  /** Whether element {@code index} is kept under {@code key}. */
  static boolean keeps(long key, long index, long threshold) {
    int u = ((int) index * GOLDEN + (int) key) ^ (int) (key >>> 32) ^ ((int) (index >>> 32) * HIGH);
    return (mix(u) & 0xFFFFFFFFL) >= threshold;
  }

  /** lowbias32 (C. Wellons): a bijection of 32-bit words with low avalanche bias. */
  static int mix(int x) {
    x ^= x >>> 16;
    x *= 0x7FEB352D;
    x ^= x >>> 15;
    x *= 0x846CA68B;
    return x ^ (x >>> 16);
  }

  /** The CPU mask: {@code 1/(1−p)} where kept, 0 where dropped. */
  static double[] values(long key, int count, double p) {
    long threshold = threshold(p);
    double keep = 1 / (1 - p);
    double[] m = new double[count];
    for (int i = 0; i < count; i++) {
      m[i] = keeps(key, i, threshold) ? keep : 0;
    }
    return m;
  }
}
