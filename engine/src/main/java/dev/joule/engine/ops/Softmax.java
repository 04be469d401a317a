package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.util.function.IntConsumer;

/**
 * Softmax, log-softmax and log-sum-exp along one dimension, computed stably: the maximum is
 * subtracted before exponentiating, so large inputs never overflow to NaN. A slice that is
 * entirely {@code -inf} (fully masked) gives softmax 0 and log-softmax {@code -inf}.
 *
 * <p>A slice is the {@code n} elements {@code base + k·inner} of the tensor viewed as
 * {@code [outer, n, inner]}. GPU tensors go to {@link GpuSoftmax}.
 */
final class Softmax {
  private Softmax() {}

  /** Calls {@code visit} with the base offset of every slice along {@code axis}. */
  private static void forEachSlice(Shape s, int axis, IntConsumer visit) {
    int n = s.dim(axis);
    int inner = s.inner(axis);
    int outer = s.outer(axis);
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        visit.accept(o * n * inner + i);
      }
    }
  }

  /** Per slice: the maximum, or 0 when the slice is all {@code -inf}. */
  private static double shift(double[] v, int base, int n, int inner) {
    double m = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      m = Math.max(m, v[base + k * inner]);
    }
    return m == Double.NEGATIVE_INFINITY ? 0 : m;
  }

  static Tensor logSoftmax(Tensor x, int dim) {
    if (x.isGpu()) {
      return GpuSoftmax.logSoftmax(x, dim);
    }
    return normalise("logSoftmax", x, dim, true);
  }

  static Tensor softmax(Tensor x, int dim) {
    if (x.isGpu()) {
      return GpuSoftmax.softmax(x, dim);
    }
    return normalise("softmax", x, dim, false);
  }

  private static Tensor normalise(String op, Tensor x, int dim, boolean log) {
    Arithmetic.requireFloating(op, x);
    Shape s = x.shape();
    int axis = s.axis(dim);
    int n = s.dim(axis);
    int inner = s.inner(axis);
    double[] v = x.values();
    double[] r = new double[v.length];
    forEachSlice(
        s,
        axis,
        base -> {
          double m = shift(v, base, n, inner);
          double z = 0;
          for (int k = 0; k < n; k++) {
            z += Math.exp(v[base + k * inner] - m);
          }
          double lz = m + Math.log(z);
          for (int k = 0; k < n; k++) {
            int at = base + k * inner;
            if (z == 0) {
              r[at] = log ? Double.NEGATIVE_INFINITY : 0;
            } else {
              r[at] = log ? v[at] - lz : Math.exp(v[at] - lz);
            }
          }
        });
    Tensor y = Tensor.wrap(r, s, x.dtype());
    return Autograd.record(
        y,
        op,
        g -> {
          // softmax: y·(g − Σ g·y); log-softmax: g − softmax·Σ g
          double[] gv = g.values();
          double[] yv = y.values();
          double[] gx = new double[gv.length];
          forEachSlice(
              s,
              axis,
              base -> {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                  int at = base + k * inner;
                  sum += log ? gv[at] : gv[at] * yv[at];
                }
                for (int k = 0; k < n; k++) {
                  int at = base + k * inner;
                  gx[at] = log ? gv[at] - Math.exp(yv[at]) * sum : yv[at] * (gv[at] - sum);
                }
              });
          return new Tensor[] {Tensor.wrap(gx, s, g.dtype())};
        },
        x);
  }

  /** {@code log Σ exp(x)} along {@code dim}, the dimension removed. */
  static Tensor logSumExp(Tensor x, int dim) {
    if (x.isGpu()) {
      return GpuSoftmax.logSumExp(x, dim);
    }
    Shape s = x.shape();
    int axis = s.axis(dim);
    Tensor m = Reductions.max(x.detach(), axis, true);
    double[] mv = m.values().clone();
    for (int i = 0; i < mv.length; i++) {
      if (mv[i] == Double.NEGATIVE_INFINITY) {
        mv[i] = 0;
      }
    }
    Tensor shift = Tensor.wrap(mv, m.shape(), m.dtype());
    Tensor z = Reductions.sum(Elementwise.exp(Arithmetic.binary(Arithmetic.Op.SUB, x, shift)), axis, true);
    Tensor r = Arithmetic.binary(Arithmetic.Op.ADD, Elementwise.log(z), shift);
    return Shapes.reshape(r, s.without(axis).dims());
  }
}
