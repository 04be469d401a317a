package dev.joule.engine.ctccrf;

/** Log-semiring arithmetic in float64, safe at −∞. */
final class LogMath {
  private LogMath() {}

  /** log(e^a + e^b) without overflow; −∞ is the additive identity. */
  static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
  }
}
