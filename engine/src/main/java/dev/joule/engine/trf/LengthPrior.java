package dev.joule.engine.trf;

import java.util.Arrays;

/**
 * The TRF's length distribution π_l over lengths 1..L, fixed from the training text: add-one
 * smoothed relative frequencies, so a length unseen in training still gets a finite log-probability.
 */
public final class LengthPrior {
  /** Natural-log π_l, index l (index 0 unused, −∞). */
  private final double[] logPi;

  private LengthPrior(double[] logPi) {
    this.logPi = logPi;
  }

  /** From {@code counts[l]} = number of training sentences of length l (index 0 ignored). */
  public static LengthPrior fromCounts(long[] counts, int maxLength) {
    if (counts.length < maxLength + 1) {
      throw new IllegalArgumentException("length counts cover " + (counts.length - 1) + " lengths, need " + maxLength);
    }
    double total = maxLength;
    for (int l = 1; l <= maxLength; l++) {
      if (counts[l] < 0) {
        throw new IllegalArgumentException("negative count for length " + l);
      }
      total += counts[l];
    }
    double[] lp = new double[maxLength + 1];
    lp[0] = Double.NEGATIVE_INFINITY;
    for (int l = 1; l <= maxLength; l++) {
      lp[l] = Math.log((counts[l] + 1) / total);
    }
    return new LengthPrior(lp);
  }

  /** From log-probabilities for lengths 1..L (as saved); they must sum to 1 within 1e-6. */
  public static LengthPrior ofLogProbs(double[] logProbs) {
    double sum = 0;
    for (double v : logProbs) {
      if (!(v <= 0)) {
        throw new IllegalArgumentException("length prior log-probability " + v + " is not ≤ 0");
      }
      sum += Math.exp(v);
    }
    if (logProbs.length == 0 || Math.abs(sum - 1) > 1e-6) {
      throw new IllegalArgumentException("length prior sums to " + sum + ", not 1");
    }
    double[] lp = new double[logProbs.length + 1];
    lp[0] = Double.NEGATIVE_INFINITY;
    System.arraycopy(logProbs, 0, lp, 1, logProbs.length);
    return new LengthPrior(lp);
  }

  public int maxLength() {
    return logPi.length - 1;
  }

  /** log π_l for 1 ≤ l ≤ L. */
  public double logProb(int length) {
    if (length < 1 || length > maxLength()) {
      throw new IllegalArgumentException("length " + length + " outside 1.." + maxLength());
    }
    return logPi[length];
  }

  /** log π_1..log π_L. */
  public double[] logProbs() {
    return Arrays.copyOfRange(logPi, 1, logPi.length);
  }
}
