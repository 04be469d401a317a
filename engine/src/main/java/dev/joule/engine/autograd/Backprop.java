package dev.joule.engine.autograd;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the tape: visits the nodes reachable from the root in reverse
 * topological order, sums the gradients flowing into each tensor, and adds the totals into the
 * {@code grad} of leaves that require one (so repeated backward passes accumulate). Rules that can
 * add an input's other gradients in their own pass ({@link FoldingBackward}) are handed them.
 */
public final class Backprop {
  private Backprop() {}

  public static void run(Tensor root, Tensor seed) {
    if (!root.shape().equals(seed.shape())) {
      throw new ShapeMismatchException("backward", root.shape(), seed.shape(), "seed must have the root's shape");
    }
    if (!root.requiresGrad()) {
      throw new IllegalStateException("backward from a tensor that does not require a gradient (no input required one, or no-grad mode was on)");
    }
    if (root.isGpu() && !seed.isGpu()) {
      seed = Ops.toGpu(seed, root.gpuContext());
    }
    List<Tensor> order = topologicalOrder(root);
    Map<Tensor, Tensor> pending = new IdentityHashMap<>();
    pending.put(root, seed);
    GradMode.Scope scope = GradMode.noGrad();
    try {
      for (Tensor t : order) {
        Tensor g = pending.remove(t);
        if (g == null) {
          continue;
        }
        Node node = t.gradFn();
        if (node == null) {
          t.setGrad(t.grad() == null ? g.to(t.dtype()) : Ops.add(t.grad(), g).to(t.dtype()));
          continue;
        }
        Tensor[] inputs = node.inputs();
        Tensor[] grads = applyFolding(node, g, pending);
        for (int i = 0; i < inputs.length; i++) {
          Tensor in = inputs[i];
          if (in == null || !in.requiresGrad() || grads[i] == null) {
            continue;
          }
          if (!grads[i].shape().equals(in.shape())) {
            throw new ShapeMismatchException(
                "backward of " + node.op(), in.shape(), grads[i].shape(), "gradient shape differs from input shape");
          }
          Tensor prev = pending.get(in);
          pending.put(in, prev == null ? grads[i] : Ops.add(prev, grads[i]));
        }
      }
    } finally {
      scope.close();
    }
  }

  /**
   * The node's input gradients from its output's {@code g}. A {@link FoldingBackward} rule takes
   * the gradient gathered so far for its folded input out of {@code pending} and returns it added
   * into that input's gradient, which then goes back into {@code pending} like any other.
   */
  private static Tensor[] applyFolding(Node node, Tensor g, Map<Tensor, Tensor> pending) {
    if (!(node.backward() instanceof FoldingBackward rule)) {
      return node.backward().apply(g);
    }
    int folded = rule.foldedInput();
    Tensor in = node.inputs()[folded];
    Tensor gathered = in != null && in.requiresGrad() ? pending.remove(in) : null;
    Tensor[] grads = rule.apply(g, gathered);
    if (gathered != null && grads[folded] == null) {
      throw new IllegalStateException("backward of " + node.op() + " dropped the gradient folded into input " + folded);
    }
    return grads;
  }

  /** Root first; every tensor before the tensors it was computed from. */
  private static List<Tensor> topologicalOrder(Tensor root) {
    List<Tensor> post = new ArrayList<>();
    Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    // Iterative DFS: deep recurrent tapes (one node per frame) would overflow the Java stack.
    Deque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    seen.add(root);
    while (!stack.isEmpty()) {
      Object[] top = stack.peek();
      Tensor t = (Tensor) top[0];
      int next = (Integer) top[1];
      Node node = t.gradFn();
      Tensor[] inputs = node == null ? new Tensor[0] : node.inputs();
      if (next < inputs.length) {
        top[1] = next + 1;
        Tensor in = inputs[next];
        if (in != null && in.requiresGrad() && seen.add(in)) {
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        post.add(t);
      }
    }
    Collections.reverse(post);
    return post;
  }
}
