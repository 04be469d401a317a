package dev.joule.engine.trf;

/**
 * Weights of n-best rescoring: a hypothesis's total score (higher is better) is
 * {@code −acoustic cost + α·log p_ngram + β·log p_TRF + γ·words}, natural logs throughout.
 */
public record RescoringWeights(double alpha, double beta, double gamma) {
  public RescoringWeights {
    if (!Double.isFinite(alpha) || !Double.isFinite(beta) || !Double.isFinite(gamma)) {
      throw new IllegalArgumentException("rescoring weights must be finite: " + alpha + ", " + beta + ", " + gamma);
    }
  }
}
