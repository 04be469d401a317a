package dev.joule.engine.ops;

/**
 * Division by a fixed positive divisor as a multiply-high and a shift, the way GPU kernels peel
 * coordinates off a flat index without the GPU's slow integer divide (Granlund and Montgomery,
 * "Division by invariant integers using multiplication", 1994; the same rule as PyTorch's
 * {@code IntDivider}). For a dividend {@code n < 2^31}:
 *
 * <pre>  n / d == (umulhi(n, magic) + n) >>> shift</pre>
 *
 * where {@code shift} is the least {@code s} with {@code 2^s ≥ d} and {@code magic = ⌊2^32·(2^s − d)
 * / d⌋ + 1} (an unsigned 32-bit number). The kernel side is {@code joule_divide} in
 * {@code native/cuda/tensor_math.cu}; {@link #divide} is its CPU twin, which the tests check
 * against {@code /}.
 *
 * @param divisor the divisor, positive
 * @param magic the multiplier as the bits of an unsigned 32-bit number
 * @param shift the final right shift, 0 to 31
 */
record Divisor(int divisor, int magic, int shift) {
  /** Dividends must stay below this (2^31) for the sum in {@link #divide} not to overflow. */
  static final long DIVIDEND_LIMIT = 1L << 31;

  /** The magic number and shift for {@code divisor ≥ 1}. */
  static Divisor of(int divisor) {
    if (divisor < 1) {
      throw new IllegalArgumentException("divisor must be positive; got " + divisor);
    }
    int shift = 0;
    while ((1L << shift) < divisor) {
      shift++;
    }
    // 2^s − d < d ≤ 2^31, so the product stays below 2^63; the quotient is below 2^32.
    long magic = ((1L << 32) * ((1L << shift) - divisor)) / divisor + 1;
    return new Divisor(divisor, (int) magic, shift);
  }

  /** {@code n / divisor} computed as the kernel does, for {@code 0 ≤ n < 2^31}. */
  int divide(int n) {
    long high = ((n & 0xFFFFFFFFL) * (magic & 0xFFFFFFFFL)) >>> 32;
    return (int) ((high + n) >>> shift);
  }
}
