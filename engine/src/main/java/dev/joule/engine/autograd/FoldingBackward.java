package dev.joule.engine.autograd;

import dev.joule.engine.tensor.Tensor;
import java.util.function.BiFunction;

/**
 * A backward rule that can add a gradient already gathered for one of its inputs into the
 * gradient it computes for that input, in the pass that computes it. Where a tensor feeds two
 * ops, as the input of a residual connection feeds both the sum and the branch's first layer
 * norm, backprop otherwise sums the two gradients in an add of its own: a read of both and a
 * write, over whole activations. A rule that folds the first one in while it writes the second
 * makes that add a read in a pass it makes anyway.
 *
 * <p>{@link Backprop} calls {@link #apply(Tensor, Tensor)} with the gradient gathered so far for
 * input {@link #foldedInput()} (null when none has arrived yet); the returned gradient for that
 * input must then include it, so it may not be null.
 */
public interface FoldingBackward extends Backward {
  /** The index, among the recorded inputs, of the input whose gathered gradient this rule folds in. */
  int foldedInput();

  /** As {@link Backward#apply}, with {@code gathered} (null: none) added into input {@link #foldedInput()}'s gradient. */
  Tensor[] apply(Tensor gradOutput, Tensor gathered);

  @Override
  default Tensor[] apply(Tensor gradOutput) {
    return apply(gradOutput, null);
  }

  /** The rule {@code rule(gradOutput, gathered)}, folding into input {@code input}. */
  static FoldingBackward into(int input, BiFunction<Tensor, Tensor, Tensor[]> rule) {
    return new FoldingBackward() {
      @Override
      public int foldedInput() {
        return input;
      }

      @Override
      public Tensor[] apply(Tensor gradOutput, Tensor gathered) {
        return rule.apply(gradOutput, gathered);
      }
    };
  }
}
