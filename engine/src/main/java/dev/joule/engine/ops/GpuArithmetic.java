package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.ops.GpuMathKernels.Combine;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.util.Locale;

/**
 * The GPU path of {@link Arithmetic}: add, sub, mul and div with NumPy broadcasting, and
 * broadcastTo. Operands of equal shape use the element-wise kernel of {@code ops.cu}; others the
 * broadcast kernel, given the output shape and each operand's strides (0 along its broadcast
 * dimensions) after {@link Broadcasting#coalesce} has merged what needs no separate index. The
 * gradient of a broadcast operand is summed back to its shape on the GPU
 * ({@link GpuReductions#sumTo}).
 */
final class GpuArithmetic {
  private GpuArithmetic() {}

  static Tensor binary(Arithmetic.Op op, Tensor a, Tensor b) {
    String name = op.name().toLowerCase(Locale.ROOT);
    Arithmetic.requireFloating(name, a, b);
    Shape out = Shape.broadcast(name, a.shape(), b.shape());
    Tensor y = combine(Combine.of(op), a, b, out);
    return Autograd.record(y, name, g -> backward(op, g, a, b), a, b);
  }

  /** The gradients of {@code a op b}, computed only for the operands that need them. */
  private static Tensor[] backward(Arithmetic.Op op, Tensor g, Tensor a, Tensor b) {
    Shape as = a.shape();
    Shape bs = b.shape();
    boolean da = a.requiresGrad();
    boolean db = b.requiresGrad();
    switch (op) {
      case ADD:
        return new Tensor[] {da ? sumTo(g, as) : null, db ? sumTo(g, bs) : null};
      case SUB:
        return new Tensor[] {da ? sumTo(g, as) : null, db ? GpuElementwise.affine(sumTo(g, bs), -1, 0) : null};
      case MUL:
        return new Tensor[] {
          da ? sumTo(combine(Combine.MUL, g, b, g.shape()), as) : null,
          db ? sumTo(combine(Combine.MUL, g, a, g.shape()), bs) : null
        };
      default:
        // d(a/b)/da = 1/b; d(a/b)/db = −(g/b)·(a/b), as on the CPU
        Tensor ga = combine(Combine.DIV, g, b, g.shape());
        Tensor gb = null;
        if (db) {
          Tensor quotient = combine(Combine.DIV, a, b, g.shape());
          gb = GpuElementwise.affine(sumTo(combine(Combine.MUL, ga, quotient, g.shape()), bs), -1, 0);
        }
        return new Tensor[] {da ? sumTo(ga, as) : null, gb};
    }
  }

  /** {@code x} repeated along broadcast dimensions to {@code shape}; the gradient sums back. */
  static Tensor broadcastTo(Tensor x, Shape shape) {
    Arithmetic.requireFloating("broadcastTo", x);
    if (x.shape().equals(shape)) {
      return x;
    }
    Shape xs = x.shape();
    return Autograd.record(expand(x, shape), "broadcastTo", g -> new Tensor[] {sumTo(g, xs)}, x);
  }

  /** {@code x} broadcast to {@code shape} (already checked to be a broadcast target), not recorded. */
  static Tensor expand(Tensor x, Shape shape) {
    if (x.shape().equals(shape)) {
      return x;
    }
    return combine(Combine.COPY, x, x, shape);
  }

  /** {@code g} summed down to {@code shape} on the GPU, not recorded. */
  static Tensor sumTo(Tensor g, Shape shape) {
    return g.shape().equals(shape) ? g : GpuReductions.sumTo(g, shape);
  }

  /** {@code y ← a·x + b·y} in place, one kernel ({@code joule_axpby_f32}); both on {@code y}'s GPU. */
  static void axpby(float a, Tensor x, float b, Tensor y) {
    GpuTensors gpu = y.gpuContext();
    gpu.launchLinear(gpu.kernel("elementwise", "joule_axpby_f32"), y.size(), KernelArgs.of().i64(y.size()).f32(a)
        .bufferAt(GpuOperands.buffer(x), GpuOperands.at(x)).f32(b).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
  }

  /**
   * A bias's gradient, or null when the bias needs none: the gradient of what the bias was added
   * to, summed over all but the last dimension.
   */
  static Tensor biasGradient(Tensor biasedGradient, Tensor bias) {
    return bias.requiresGrad() ? sumTo(biasedGradient, bias.shape()) : null;
  }

  /** {@code a op b} into a new tensor of shape {@code out}, not recorded. */
  private static Tensor combine(Combine op, Tensor a, Tensor b, Shape out) {
    Tensor y = GpuOperands.allocate(a.gpuContext(), out, DType.FLOAT32);
    if (y.size() == 0) {
      return y;
    }
    if (op != Combine.COPY && a.shape().equals(out) && b.shape().equals(out)) {
      GpuMathKernels.binarySameShape(Arithmetic.Op.values()[op.ordinal()], a, b, y);
      return y;
    }
    int[][] plan = broadcastPlan(a.shape(), b.shape(), out);
    GpuMathKernels.broadcast(op, plan[0], plan[1], plan[2], a, b, y);
    return y;
  }

  /**
   * The broadcast kernel's arguments for operands of shapes {@code a} and {@code b} and output
   * {@code out}: the coalesced output dimensions and each operand's strides, right-aligned in
   * {@link GpuMathKernels#BROADCAST_RANK} entries (leading dimensions 1, strides 0).
   */
  static int[][] broadcastPlan(Shape a, Shape b, Shape out) {
    int[][] c = Broadcasting.coalesce(out, Broadcasting.alignedStrides(a, out), Broadcasting.alignedStrides(b, out));
    int rank = c[0].length;
    int max = GpuMathKernels.BROADCAST_RANK;
    if (rank > max) {
      throw new UnsupportedOperationException(
          "GPU broadcasting of " + a + " and " + b + " needs " + rank + " index dimensions; at most " + max);
    }
    return new int[][] {padded(c[0], max, 1), padded(c[1], max, 0), padded(c[2], max, 0)};
  }

  /** {@code v} right-aligned in an array of {@code length}, the leading entries {@code fill}. */
  private static int[] padded(int[] v, int length, int fill) {
    int[] r = new int[length];
    java.util.Arrays.fill(r, 0, length - v.length, fill);
    System.arraycopy(v, 0, r, length - v.length, v.length);
    return r;
  }
}
