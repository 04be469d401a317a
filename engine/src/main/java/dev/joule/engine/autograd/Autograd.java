package dev.joule.engine.autograd;

import dev.joule.engine.tensor.Tensor;

/** How ops put themselves on the tape. */
public final class Autograd {
  private Autograd() {}

  /**
   * Records that {@code output} was computed from {@code inputs} by {@code op}, when recording is
   * on and some input requires a gradient; returns {@code output}.
   */
  public static Tensor record(Tensor output, String op, Backward backward, Tensor... inputs) {
    if (!GradMode.isEnabled()) {
      return output;
    }
    for (Tensor t : inputs) {
      if (t != null && t.requiresGrad()) {
        output.setGradFn(new Node(op, inputs.clone(), backward));
        return output;
      }
    }
    return output;
  }
}
