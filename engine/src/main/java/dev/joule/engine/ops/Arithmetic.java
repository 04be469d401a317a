package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;

/** Element-wise binary arithmetic with broadcasting, and its gradients; GPU operands go to {@link GpuArithmetic}. */
final class Arithmetic {
  private Arithmetic() {}

  enum Op {
    ADD,
    SUB,
    MUL,
    DIV
  }

  static Tensor binary(Op op, Tensor a, Tensor b) {
    requireFloating(op.name().toLowerCase(java.util.Locale.ROOT), a, b);
    GpuTensors gpu = Placement.gpuOf(op.name().toLowerCase(java.util.Locale.ROOT), a, b);
    if (gpu != null) {
      return GpuArithmetic.binary(op, Placement.on(gpu, a), Placement.on(gpu, b));
    }
    Shape out = Shape.broadcast(op.name().toLowerCase(java.util.Locale.ROOT), a.shape(), b.shape());
    double[] x = a.values();
    double[] y = b.values();
    double[] r = new double[out.size()];
    DType type = DType.promote(a.dtype(), b.dtype());
    Broadcasting.forEachRow(
        out,
        Broadcasting.alignedStrides(a.shape(), out),
        Broadcasting.alignedStrides(b.shape(), out),
        (start, len, offA, sa, offB, sb) -> {
          row(op, x, offA, sa, y, offB, sb, r, start, len);
          Tensor.round(type, r, start, start + len);
        });
    Tensor result = Tensor.wrapRounded(r, out, type);
    Shape as = a.shape();
    Shape bs = b.shape();
    return Autograd.record(
        result,
        op.name().toLowerCase(java.util.Locale.ROOT),
        g -> {
          switch (op) {
            case ADD:
              return new Tensor[] {sumTo(g, as), sumTo(g, bs)};
            case SUB:
              return new Tensor[] {sumTo(g, as), sumTo(Ops.neg(g), bs)};
            case MUL:
              return new Tensor[] {
                a.requiresGrad() ? sumTo(binary(Op.MUL, g, b), as) : null,
                b.requiresGrad() ? sumTo(binary(Op.MUL, g, a), bs) : null
              };
            default:
              Tensor ga = binary(Op.DIV, g, b);
              Tensor gb = b.requiresGrad() ? sumTo(Ops.neg(binary(Op.MUL, ga, binary(Op.DIV, a, b))), bs) : null;
              return new Tensor[] {a.requiresGrad() ? sumTo(ga, as) : null, gb};
          }
        },
        a,
        b);
  }

  private static void row(Op op, double[] x, int ox, int sx, double[] y, int oy, int sy, double[] r, int start, int len) {
    switch (op) {
      case ADD:
        for (int j = 0; j < len; j++) {
          r[start + j] = x[ox + j * sx] + y[oy + j * sy];
        }
        break;
      case SUB:
        for (int j = 0; j < len; j++) {
          r[start + j] = x[ox + j * sx] - y[oy + j * sy];
        }
        break;
      case MUL:
        for (int j = 0; j < len; j++) {
          r[start + j] = x[ox + j * sx] * y[oy + j * sy];
        }
        break;
      default:
        for (int j = 0; j < len; j++) {
          r[start + j] = x[ox + j * sx] / y[oy + j * sy];
        }
    }
  }

  /**
   * {@code y ← a·x + b·y} in place and off the tape ({@link Ops#axpby}); {@code x} and
   * {@code y} of one shape, on the GPU of {@code y} when it is there.
   */
  static void axpby(double a, Tensor x, double b, Tensor y) {
    requireFloating("axpby", x, y);
    if (!x.shape().equals(y.shape())) {
      throw new ShapeMismatchException("axpby", x.shape(), y.shape(), "x and y must have one shape");
    }
    if (y.isGpu()) {
      GpuArithmetic.axpby((float) a, Placement.on(y.gpuContext(), x), (float) b, y);
      return;
    }
    double[] xs = x.values();
    double[] ys = y.buffer();
    int at = y.offset();
    boolean f32 = y.dtype() == DType.FLOAT32;
    for (int i = 0; i < xs.length; i++) {
      double v = a * xs[i] + b * ys[at + i];
      ys[at + i] = f32 ? (float) v : v;
    }
  }

  /** {@code g} summed down to {@code shape} (the gradient of a broadcast), without recording. */
  static Tensor sumTo(Tensor g, Shape shape) {
    if (g.shape().equals(shape)) {
      return g;
    }
    return Tensor.wrap(Broadcasting.sumTo(g.values(), g.shape(), shape), shape, g.dtype());
  }

  /** {@code x} repeated along broadcast dimensions to {@code shape}; the gradient sums back. */
  static Tensor broadcastTo(Tensor x, Shape shape) {
    Shape check = Shape.broadcast("broadcastTo", x.shape(), shape);
    if (!check.equals(shape)) {
      throw new ShapeMismatchException("broadcastTo", x.shape(), shape, "the tensor does not broadcast to the target");
    }
    if (x.shape().equals(shape)) {
      return x;
    }
    if (x.isGpu()) {
      return GpuArithmetic.broadcastTo(x, shape);
    }
    Tensor r = Tensor.wrapRounded(Broadcasting.expand(x.values(), x.shape(), shape), shape, x.dtype());
    Shape xs = x.shape();
    return Autograd.record(r, "broadcastTo", g -> new Tensor[] {sumTo(g, xs)}, x);
  }

  static void requireFloating(String op, Tensor... ts) {
    for (Tensor t : ts) {
      if (!t.dtype().isFloating()) {
        throw new IllegalArgumentException(op + ": needs floating-point tensors; got " + t.dtype() + " of shape " + t.shape());
      }
    }
  }
}
