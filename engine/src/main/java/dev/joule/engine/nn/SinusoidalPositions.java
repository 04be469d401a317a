package dev.joule.engine.nn;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * The fixed sinusoidal position table of "Attention Is All You Need":
 * {@code PE[t, 2i] = sin(t / 10000^(2i/d))}, {@code PE[t, 2i+1] = cos(...)}.
 */
public final class SinusoidalPositions {
  private SinusoidalPositions() {}

  /** {@code [length, dim]}. */
  public static Tensor table(int length, int dim, DType dtype) {
    double[] pe = new double[length * dim];
    for (int t = 0; t < length; t++) {
      for (int i = 0; i < dim; i += 2) {
        double angle = t / Math.pow(10000, (double) i / dim);
        pe[t * dim + i] = Math.sin(angle);
        if (i + 1 < dim) {
          pe[t * dim + i + 1] = Math.cos(angle);
        }
      }
    }
    return Tensor.wrap(pe, Shape.of(length, dim), dtype);
  }
}
