package dev.joule.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Times training steps: untimed warm-up steps, then {@code timed} steps; each step is a function
 * that trains once and returns its loss (reading the loss waits for a GPU, so a GPU step is timed
 * whole). Progress goes to stderr, so stdout keeps only the JSON result.
 */
final class TrainingSteps {
  private TrainingSteps() {}

  /** Median step time in seconds and the last loss. */
  record Timing(double medianSeconds, int timedSteps, double lastLoss) {}

  /** One warm-up step, then {@code timed} steps. */
  static Timing run(int timed, DoubleSupplier step) {
    return run(1, timed, step);
  }

  static Timing run(int warmups, int timed, DoubleSupplier step) {
    List<Double> seconds = new ArrayList<>();
    double loss = Double.NaN;
    for (int i = 0; i < warmups + timed; i++) {
      long t0 = System.nanoTime();
      loss = step.getAsDouble();
      double s = (System.nanoTime() - t0) / 1e9;
      if (i >= warmups) {
        seconds.add(s);
      }
      System.err.printf("step %d: %.2f s, loss %.4f%n", i, s, loss);
    }
    Collections.sort(seconds);
    return new Timing(seconds.get(seconds.size() / 2), seconds.size(), loss);
  }
}
