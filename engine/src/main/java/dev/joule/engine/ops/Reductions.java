package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * Sum, mean and max over one dimension or over everything. A reduction over dimension {@code d}
 * views the tensor as {@code [outer, n, inner]} and reduces the middle index.
 */
final class Reductions {
  private Reductions() {}

  static Tensor sumAll(Tensor x) {
    Arithmetic.requireFloating("sum", x);
    if (x.isGpu()) {
      return GpuReductions.sumAll(x);
    }
    double s = 0;
    for (double v : x.values()) {
      s += v;
    }
    Tensor r = Tensor.wrap(new double[] {s}, Shape.scalar(), x.dtype());
    Shape xs = x.shape();
    return Autograd.record(r, "sum", g -> new Tensor[] {Arithmetic.broadcastTo(g, xs)}, x);
  }

  static Tensor meanAll(Tensor x) {
    return Elementwise.scale(sumAll(x), 1.0 / Math.max(1, x.size()));
  }

  static Tensor sum(Tensor x, int dim, boolean keepDim) {
    Arithmetic.requireFloating("sum", x);
    if (x.isGpu()) {
      return GpuReductions.sum(x, dim, keepDim);
    }
    Shape s = x.shape();
    int axis = s.axis(dim);
    int outer = s.outer(axis);
    int n = s.dim(axis);
    int inner = s.inner(axis);
    double[] v = x.values();
    double[] r = new double[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < n; k++) {
        int src = (o * n + k) * inner;
        int dst = o * inner;
        for (int i = 0; i < inner; i++) {
          r[dst + i] += v[src + i];
        }
      }
    }
    Shape kept = s.with(axis, 1);
    Shape out = keepDim ? kept : s.without(axis);
    Tensor y = Tensor.wrap(r, out, x.dtype());
    return Autograd.record(y, "sum", g -> new Tensor[] {Arithmetic.broadcastTo(g.view(kept.dims()), s)}, x);
  }

  static Tensor mean(Tensor x, int dim, boolean keepDim) {
    return Elementwise.scale(sum(x, dim, keepDim), 1.0 / Math.max(1, x.shape().dim(dim)));
  }

  /** Maximum along {@code dim}; the gradient goes to the first position holding the maximum. */
  static Tensor max(Tensor x, int dim, boolean keepDim) {
    Arithmetic.requireFloating("max", x);
    Shape s = x.shape();
    int axis = s.axis(dim);
    int outer = s.outer(axis);
    int n = s.dim(axis);
    int inner = s.inner(axis);
    if (n == 0) {
      throw new IllegalArgumentException("max over an empty dimension of shape " + s);
    }
    if (x.isGpu()) {
      return GpuReductions.max(x, axis, outer, n, inner, keepDim);
    }
    double[] v = x.values();
    double[] r = new double[outer * inner];
    int[] arg = new int[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int best = 0;
        double m = v[o * n * inner + i];
        for (int k = 1; k < n; k++) {
          double c = v[(o * n + k) * inner + i];
          if (c > m || (Double.isNaN(c) && !Double.isNaN(m))) {
            m = c;
            best = k;
          }
        }
        r[o * inner + i] = m;
        arg[o * inner + i] = best;
      }
    }
    Shape out = keepDim ? s.with(axis, 1) : s.without(axis);
    Tensor y = Tensor.wrap(r, out, x.dtype());
    return Autograd.record(
        y,
        "max",
        g -> {
          double[] gv = g.values();
          double[] gx = new double[s.size()];
          for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
              gx[(o * n + arg[o * inner + i]) * inner + i] = gv[o * inner + i];
            }
          }
          return new Tensor[] {Tensor.wrap(gx, s, g.dtype())};
        },
        x);
  }
}
