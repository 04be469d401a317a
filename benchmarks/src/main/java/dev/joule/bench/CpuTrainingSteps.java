package dev.joule.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Times CPU training steps: one untimed warm-up step, then {@code timed} steps; each step is a
 * function that trains once and returns its loss. Progress goes to stderr, so stdout keeps only
 * the JSON result.
 */
final class CpuTrainingSteps {
  private CpuTrainingSteps() {}

  /** Median step time in seconds and the last loss. */
  record Timing(double medianSeconds, int timedSteps, double lastLoss) {}

  static Timing run(int timed, DoubleSupplier step) {
    List<Double> seconds = new ArrayList<>();
    double loss = Double.NaN;
    for (int i = 0; i <= timed; i++) {
      long t0 = System.nanoTime();
      loss = step.getAsDouble();
      double s = (System.nanoTime() - t0) / 1e9;
      if (i > 0) {
        seconds.add(s);
      }
      System.err.printf("step %d: %.2f s, loss %.4f%n", i, s, loss);
    }
    Collections.sort(seconds);
    return new Timing(seconds.get(seconds.size() / 2), seconds.size(), loss);
  }
}
