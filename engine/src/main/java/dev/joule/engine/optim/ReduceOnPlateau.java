package dev.joule.engine.optim;

/**
 * Multiplies an optimiser's learning rate by {@code factor} when a validation loss (lower is
 * better) has not improved by more than {@code threshold} (relative) for {@code patience}
 * consecutive evaluations, never going below {@code minLr}; as PyTorch's ReduceLROnPlateau in
 * "min"/"rel" mode without cool-down.
 */
public final class ReduceOnPlateau {
  private final Optimizer optimizer;
  private final double factor;
  private final int patience;
  private final double threshold;
  private final double minLr;
  private double best = Double.POSITIVE_INFINITY;
  private int bad;

  public ReduceOnPlateau(Optimizer optimizer, double factor, int patience, double threshold, double minLr) {
    if (factor <= 0 || factor >= 1 || patience < 0) {
      throw new IllegalArgumentException("reduce-on-plateau needs 0 < factor < 1 and patience ≥ 0");
    }
    this.optimizer = optimizer;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.minLr = minLr;
  }

  /** Records one evaluation; returns the learning rate now in effect. */
  public double observe(double loss) {
    if (loss < best * (1 - threshold)) {
      best = loss;
      bad = 0;
    } else if (++bad > patience) {
      optimizer.setLearningRate(Math.max(minLr, optimizer.learningRate() * factor));
      bad = 0;
    }
    return optimizer.learningRate();
  }

  public double best() {
    return best;
  }
}
