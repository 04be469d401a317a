package dev.joule.engine.autograd;

import dev.joule.engine.tensor.Tensor;

/** One entry of the tape: the op that made a tensor, its inputs and its backward rule. */
public final class Node {
  private final String op;
  private final Tensor[] inputs;
  private final Backward backward;

  Node(String op, Tensor[] inputs, Backward backward) {
    this.op = op;
    this.inputs = inputs;
    this.backward = backward;
  }

  public String op() {
    return op;
  }

  Tensor[] inputs() {
    return inputs;
  }

  Backward backward() {
    return backward;
  }

  @Override
  public String toString() {
    return op;
  }
}
