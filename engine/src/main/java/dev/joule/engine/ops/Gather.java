package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;

/** Embedding lookup: rows of a table picked by integer ids; the gradient scatters back. */
final class Gather {
  private Gather() {}

  static Tensor embedding(Tensor table, Tensor ids) {
    Arithmetic.requireFloating("embedding", table);
    if (ids.dtype() != DType.INT32) {
      throw new IllegalArgumentException("embedding: ids must be INT32; got " + ids.dtype() + " of shape " + ids.shape());
    }
    if (table.rank() != 2) {
      throw new ShapeMismatchException("embedding", table.shape(), ids.shape(), "the table must be [vocabulary, dim]");
    }
    int vocab = table.dim(0);
    int d = table.dim(1);
    int[] id = ids.toIntArray();
    double[] w = table.values();
    double[] r = new double[id.length * d];
    for (int i = 0; i < id.length; i++) {
      if (id[i] < 0 || id[i] >= vocab) {
        throw new IndexOutOfBoundsException("embedding: id " + id[i] + " outside the table's " + vocab + " rows");
      }
      System.arraycopy(w, id[i] * d, r, i * d, d);
    }
    int[] outDims = new int[ids.rank() + 1];
    System.arraycopy(ids.shape().dims(), 0, outDims, 0, ids.rank());
    outDims[ids.rank()] = d;
    Tensor y = Tensor.wrap(r, Shape.of(outDims), table.dtype());
    Shape ts = table.shape();
    return Autograd.record(
        y,
        "embedding",
        g -> {
          double[] gv = g.values();
          double[] gw = new double[ts.size()];
          for (int i = 0; i < id.length; i++) {
            int row = id[i] * d;
            for (int j = 0; j < d; j++) {
              gw[row + j] += gv[i * d + j];
            }
          }
          return new Tensor[] {Tensor.wrap(gw, ts, g.dtype()), null};
        },
        table,
        ids);
  }
}
