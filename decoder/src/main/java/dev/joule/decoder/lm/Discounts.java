package dev.joule.decoder.lm;

/**
 * Modified Kneser-Ney discounts of one order: {@code d1} is subtracted from counts of 1, {@code
 * d2} from counts of 2 and {@code d3plus} from larger counts (Chen &amp; Goodman 1998, eq. 26).
 */
public record Discounts(double d1, double d2, double d3plus) {
  /** KenLM's fallback for orders whose count-of-counts do not define discounts. */
  public static final Discounts FALLBACK = new Discounts(0.5, 1.0, 1.5);

  /** The discount subtracted from a count {@code c} (0 for 0). */
  public double of(long c) {
    return c == 0 ? 0 : c == 1 ? d1 : c == 2 ? d2 : d3plus;
  }

  /**
   * Chen &amp; Goodman's estimate from the number of n-grams seen exactly 1, 2, 3 and 4 times:
   * {@code Y = n1 / (n1 + 2 n2)}, {@code Dk = k - (k+1) Y n(k+1) / nk}.
   *
   * @return the discounts, or null when they are undefined (a count-of-counts is 0) or fall
   *     outside {@code 0 < Dk <= k}, where probabilities would be negative
   */
  public static Discounts estimate(long n1, long n2, long n3, long n4) {
    if (n1 == 0 || n2 == 0 || n3 == 0 || n4 == 0) {
      return null;
    }
    double y = (double) n1 / (n1 + 2.0 * n2);
    Discounts d =
        new Discounts(
            1 - 2 * y * n2 / n1, //
            2 - 3 * y * n3 / n2,
            3 - 4 * y * n4 / n3);
    if (!(d.d1 > 0 && d.d1 <= 1 && d.d2 > 0 && d.d2 <= 2 && d.d3plus > 0 && d.d3plus <= 3)) {
      return null;
    }
    return d;
  }
}
