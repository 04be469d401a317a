package dev.joule.engine.autograd;

import dev.joule.engine.tensor.Tensor;

/**
 * The backward rule of one recorded op: from the gradient of the op's output, the gradients of
 * its inputs (same order as recorded; {@code null} for inputs that need none). Runs with
 * recording off.
 */
@FunctionalInterface
public interface Backward {
  Tensor[] apply(Tensor gradOutput);
}
