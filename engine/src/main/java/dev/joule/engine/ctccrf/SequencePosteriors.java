package dev.joule.engine.ctccrf;

/**
 * What a forward-backward returns for a batch: each utterance's total log-likelihood (natural log;
 * −∞ when no path exists) and the per-frame token occupancies (posterior probability that frame t
 * emits token v), laid out like the input {@link LogProbBatch#data()}; padding frames hold 0.
 *
 * <p>The occupancy is also the gradient of the log-likelihood with respect to the input
 * log-probabilities: ∂ log L / ∂ x[t][v] = occupancy[t][v].
 */
public record SequencePosteriors(double[] logLikelihood, float[] occupancy) {

  /** Whether utterance {@code b} has at least one path (a finite log-likelihood). */
  public boolean feasible(int b) {
    return logLikelihood[b] != Double.NEGATIVE_INFINITY;
  }
}
