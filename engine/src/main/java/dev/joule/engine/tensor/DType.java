package dev.joule.engine.tensor;

/**
 * Element type of a {@link Tensor}.
 *
 * <p>{@code FLOAT32} is the working type of models; {@code FLOAT64} exists so that gradient
 * checks by finite differences are precise; {@code INT32} holds labels, token ids and lengths.
 */
public enum DType {
  FLOAT32,
  FLOAT64,
  INT32;

  public boolean isFloating() {
    return this != INT32;
  }

  /** The type of a result computed from operands of types {@code a} and {@code b}. */
  public static DType promote(DType a, DType b) {
    return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
  }
}
