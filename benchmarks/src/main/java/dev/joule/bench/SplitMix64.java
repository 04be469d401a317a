package dev.joule.bench;

/**
 * SplitMix64 and the Box–Muller normals of the den-graph benchmark recipe
 * ({@code shared/bench/den-phone4g/README.md}), so Joule's den kernel sees exactly the logits
 * CAT's kernel was timed on.
 */
final class SplitMix64 {
  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  long next() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** u = ((next() >> 11) + 0.5) · 2^−53, strictly inside (0, 1). */
  double uniform() {
    return ((next() >>> 11) + 0.5) * 0x1.0p-53;
  }

  /** Fills {@code out} with N(0,1) values in pairs: r·cos(2πu2), r·sin(2πu2), r = √(−2 ln u1). */
  void normals(float[] out) {
    for (int i = 0; i < out.length; i += 2) {
      double r = Math.sqrt(-2 * Math.log(uniform()));
      double angle = 2 * Math.PI * uniform();
      out[i] = (float) (r * Math.cos(angle));
      if (i + 1 < out.length) {
        out[i + 1] = (float) (r * Math.sin(angle));
      }
    }
  }
}
