package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuOps;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Element-wise unary functions (activations, exp/log, powers) and their gradients; GPU tensors go
 * to {@link GpuElementwise}.
 */
final class Elementwise {
  private Elementwise() {}

  static Tensor map(Tensor x, DoubleUnaryOperator f) {
    double[] v = x.values();
    double[] r = new double[v.length];
    if (x.dtype() == DType.FLOAT32) { // rounded as computed: no second pass over the result
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) f.applyAsDouble(v[i]);
      }
      return Tensor.wrapRounded(r, x.shape(), x.dtype());
    }
    for (int i = 0; i < r.length; i++) {
      r[i] = f.applyAsDouble(v[i]);
    }
    return Tensor.wrap(r, x.shape(), x.dtype());
  }

  /** {@code f(a[i], b[i])} for tensors of equal shape, without recording. */
  static Tensor zip(Tensor a, Tensor b, DoubleBinaryOperator f) {
    double[] u = a.values();
    double[] v = b.values();
    double[] r = new double[u.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = f.applyAsDouble(u[i], v[i]);
    }
    return Tensor.wrap(r, a.shape(), a.dtype());
  }

  /** A unary op whose derivative is a function {@code dydx(x, y)} of input and output. */
  static Tensor unary(String op, Tensor x, DoubleUnaryOperator f, DoubleBinaryOperator dydx) {
    Arithmetic.requireFloating(op, x);
    Tensor y = map(x, f);
    return Autograd.record(
        y,
        op,
        g -> {
          double[] gv = g.values();
          double[] xv = x.values();
          double[] yv = y.values();
          double[] r = new double[gv.length];
          if (g.dtype() == DType.FLOAT32) {
            for (int i = 0; i < r.length; i++) {
              r[i] = (float) (gv[i] * dydx.applyAsDouble(xv[i], yv[i]));
            }
            return new Tensor[] {Tensor.wrapRounded(r, g.shape(), g.dtype())};
          }
          for (int i = 0; i < r.length; i++) {
            r[i] = gv[i] * dydx.applyAsDouble(xv[i], yv[i]);
          }
          return new Tensor[] {Tensor.wrap(r, g.shape(), g.dtype())};
        },
        x);
  }

  /** Logistic sigmoid without overflow for large |x|. */
  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  static Tensor exp(Tensor x) {
    if (x.isGpu()) {
      return GpuElementwise.unary("exp", GpuOps.Unary.EXP, x);
    }
    return unary("exp", x, Math::exp, (a, y) -> y);
  }

  static Tensor log(Tensor x) {
    if (x.isGpu()) {
      return GpuElementwise.unary("log", GpuOps.Unary.LOG, x);
    }
    return unary("log", x, Math::log, (a, y) -> 1 / a);
  }

  static Tensor relu(Tensor x) {
    if (x.isGpu()) {
      return GpuElementwise.unary("relu", GpuOps.Unary.RELU, x);
    }
    return unary("relu", x, a -> a > 0 ? a : 0, (a, y) -> a > 0 ? 1 : 0);
  }

  static Tensor sigmoid(Tensor x) {
    if (x.isGpu()) {
      return GpuElementwise.unary("sigmoid", GpuOps.Unary.SIGMOID, x);
    }
    return unary("sigmoid", x, Elementwise::sigmoid, (a, y) -> y * (1 - y));
  }

  static Tensor tanh(Tensor x) {
    if (x.isGpu()) {
      return GpuElementwise.unary("tanh", GpuOps.Unary.TANH, x);
    }
    return unary("tanh", x, Math::tanh, (a, y) -> 1 - y * y);
  }

  /** Swish / SiLU: {@code x·σ(x)}. */
  static Tensor silu(Tensor x) {
    if (x.isGpu()) {
      return GpuElementwise.unary("silu", GpuOps.Unary.SILU, x);
    }
    return unary(
        "silu",
        x,
        a -> a * sigmoid(a),
        (a, y) -> {
          double s = sigmoid(a);
          return s + a * s * (1 - s);
        });
  }

  static Tensor neg(Tensor x) {
    if (x.isGpu()) {
      return GpuElementwise.neg(x);
    }
    return unary("neg", x, a -> -a, (a, y) -> -1);
  }

  static Tensor scale(Tensor x, double c) {
    if (x.isGpu()) {
      return GpuElementwise.scale(x, c);
    }
    return unary("scale", x, a -> c * a, (a, y) -> c);
  }

  static Tensor addScalar(Tensor x, double c) {
    if (x.isGpu()) {
      return GpuElementwise.addScalar(x, c);
    }
    return unary("addScalar", x, a -> a + c, (a, y) -> 1);
  }

  static Tensor sqrt(Tensor x) {
    if (x.isGpu()) {
      return GpuElementwise.sqrt(x);
    }
    return unary("sqrt", x, Math::sqrt, (a, y) -> 0.5 / y);
  }

  static Tensor pow(Tensor x, double p) {
    if (x.isGpu()) {
      return GpuElementwise.pow(x, p);
    }
    return unary("pow", x, a -> Math.pow(a, p), (a, y) -> p * Math.pow(a, p - 1));
  }

  static Tensor square(Tensor x) {
    if (x.isGpu()) {
      return GpuElementwise.square(x);
    }
    return unary("square", x, a -> a * a, (a, y) -> 2 * a);
  }
}
