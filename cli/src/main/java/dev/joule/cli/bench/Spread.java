package dev.joule.cli.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Median, minimum and maximum of repeated measurements. */
public record Spread(double median, double min, double max) {
  public static Spread of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no measurements");
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return new Spread(median, v[0], v[n - 1]);
  }

  public static <T> Spread of(List<T> runs, ToDoubleFunction<T> figure) {
    return of(runs.stream().mapToDouble(figure).toArray());
  }

  /** Every figure divided by {@code d} (seconds to real-time factors, for example). */
  public Spread dividedBy(double d) {
    return new Spread(median / d, min / d, max / d);
  }
}
