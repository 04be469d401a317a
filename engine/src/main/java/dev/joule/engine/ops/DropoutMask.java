package dev.joule.engine.ops;

/**
 * Which elements dropout keeps, as a pure function of a per-call key and the element's index:
 * element {@code i} is dropped when the top 53 bits of {@code mix(key + i·φ)} fall below
 * {@code p·2^53} (splitmix64's finaliser, φ the golden-ratio increment). A counter-based rule
 * like this needs no generator state per element, so the GPU computes exactly the CPU's mask in
 * its kernel ({@code native/cuda/dropout.cu}) instead of receiving it from the host, and the
 * backward pass regenerates it from the key instead of storing it.
 *
 * <p>Each call of {@link Ops#dropout} draws the key from the layer's seeded {@code Random}, so a
 * seeded run repeats its masks on either device.
 */
final class DropoutMask {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private DropoutMask() {}

  /** The 53-bit threshold below which an element is dropped, for drop probability {@code p}. */
  static long threshold(double p) {
    return (long) (p * (1L << 53));
  }

  /** Whether element {@code index} is kept under {@code key}. */
  static boolean keeps(long key, long index, long threshold) {
    return (mix(key + index * GOLDEN) >>> 11) >= threshold;
  }

  /** splitmix64's output function: a bijection of 64-bit words that scatters nearby inputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
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
