package dev.joule.engine.tensor;

/**
 * An operation got tensors whose shapes do not fit together. The message names the operation,
 * both shapes and the rule that failed, e.g. {@code matmul: [2, 3] and [4, 5]: inner dimensions 3 and 4 differ}.
 */
public final class ShapeMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ShapeMismatchException(String op, Shape a, Shape b, String why) {
    super(op + ": " + a + " and " + b + ": " + why);
  }

  public ShapeMismatchException(String op, Shape a, String why) {
    super(op + ": " + a + ": " + why);
  }
}
