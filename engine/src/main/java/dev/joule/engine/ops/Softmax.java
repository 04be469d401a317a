package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * Softmax, log-softmax and log-sum-exp along one dimension, computed stably: the maximum is
 * subtracted before exponentiating, so large inputs never overflow to NaN. A slice that is
 * entirely {@code -inf} (fully masked) gives softmax 0 and log-softmax {@code -inf}.
 */
final class Softmax {
  private Softmax() {}

  /** Per slice: the maximum, or 0 when the slice is all {@code -inf}. */
  private static double shift(double[] v, int base, int n, int inner) {
    double m = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      m = Math.max(m, v[base + k * inner]);
    }
    return m == Double.NEGATIVE_INFINITY ? 0 : m;
  }

  static Tensor logSoftmax(Tensor x, int dim) {
    Arithmetic.requireFloating("logSoftmax", x);
    Shape s = x.shape();
    int axis = s.axis(dim);
    int outer = s.outer(axis);
    int n = s.dim(axis);
    int inner = s.inner(axis);
    double[] v = x.values();
    double[] r = new double[v.length];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * n * inner + i;
        double m = shift(v, base, n, inner);
        double z = 0;
        for (int k = 0; k < n; k++) {
          z += Math.exp(v[base + k * inner] - m);
        }
        double lz = m + Math.log(z);
        for (int k = 0; k < n; k++) {
          r[base + k * inner] = v[base + k * inner] - lz;
        }
      }
    }
    Tensor y = Tensor.wrap(r, s, x.dtype());
    return Autograd.record(
        y,
        "logSoftmax",
        g -> {
          // d/dx: g - softmax · Σg
          double[] gv = g.values();
          double[] yv = y.values();
          double[] gx = new double[gv.length];
          for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
              int base = o * n * inner + i;
              double sum = 0;
              for (int k = 0; k < n; k++) {
                sum += gv[base + k * inner];
              }
              for (int k = 0; k < n; k++) {
                int at = base + k * inner;
                gx[at] = gv[at] - Math.exp(yv[at]) * sum;
              }
            }
          }
          return new Tensor[] {Tensor.wrap(gx, s, g.dtype())};
        },
        x);
  }

  static Tensor softmax(Tensor x, int dim) {
    Arithmetic.requireFloating("softmax", x);
    Shape s = x.shape();
    int axis = s.axis(dim);
    int outer = s.outer(axis);
    int n = s.dim(axis);
    int inner = s.inner(axis);
    double[] v = x.values();
    double[] r = new double[v.length];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * n * inner + i;
        double m = shift(v, base, n, inner);
        double z = 0;
        for (int k = 0; k < n; k++) {
          double e = Math.exp(v[base + k * inner] - m);
          r[base + k * inner] = e;
          z += e;
        }
        for (int k = 0; k < n; k++) {
          r[base + k * inner] = z > 0 ? r[base + k * inner] / z : 0;
        }
      }
    }
    Tensor y = Tensor.wrap(r, s, x.dtype());
    return Autograd.record(
        y,
        "softmax",
        g -> {
          // d/dx: y · (g − Σ g·y)
          double[] gv = g.values();
          double[] yv = y.values();
          double[] gx = new double[gv.length];
          for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
              int base = o * n * inner + i;
              double dot = 0;
              for (int k = 0; k < n; k++) {
                dot += gv[base + k * inner] * yv[base + k * inner];
              }
              for (int k = 0; k < n; k++) {
                int at = base + k * inner;
                gx[at] = yv[at] * (gv[at] - dot);
              }
            }
          }
          return new Tensor[] {Tensor.wrap(gx, s, g.dtype())};
        },
        x);
  }

  /** {@code log Σ exp(x)} along {@code dim}, the dimension removed. */
  static Tensor logSumExp(Tensor x, int dim) {
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
