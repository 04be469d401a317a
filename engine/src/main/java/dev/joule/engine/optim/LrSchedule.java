package dev.joule.engine.optim;

/** A learning rate as a function of the update count (steps start at 1). */
@FunctionalInterface
public interface LrSchedule {
  double at(int step);

  /**
   * Linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then exponential decay by
   * {@code decayRate} every {@code decaySteps}, never below {@code floor}.
   */
  static LrSchedule warmupExponentialDecay(double peak, int warmupSteps, double decayRate, int decaySteps, double floor) {
    if (warmupSteps < 0 || decaySteps < 1 || decayRate <= 0 || decayRate > 1) {
      throw new IllegalArgumentException("bad warm-up/decay schedule");
    }
    return step -> {
      if (step <= warmupSteps) {
        return peak * step / Math.max(1, warmupSteps);
      }
      return Math.max(floor, peak * Math.pow(decayRate, (double) (step - warmupSteps) / decaySteps));
    };
  }

  /**
   * The Noam schedule of "Attention Is All You Need":
   * {@code factor · d^−0.5 · min(step^−0.5, step · warmup^−1.5)}; it peaks at {@code step = warmup}.
   */
  static LrSchedule noam(double factor, int modelDim, int warmupSteps) {
    if (modelDim < 1 || warmupSteps < 1) {
      throw new IllegalArgumentException("Noam schedule needs modelDim ≥ 1 and warmupSteps ≥ 1");
    }
    return step -> {
      int s = Math.max(1, step);
      return factor * Math.pow(modelDim, -0.5) * Math.min(Math.pow(s, -0.5), s * Math.pow(warmupSteps, -1.5));
    };
  }
}
