package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;

/**
 * Embedding lookup: rows of a table picked by integer ids; the gradient scatters back. On a GPU
 * when the table or the ids are there ({@link GpuGather}).
 */
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
    GpuTensors gpu = Placement.gpuOf("embedding", table, ids);
    if (gpu != null) {
      return GpuGather.embedding(gpu, table, ids);
    }
    int[] id = ids.toIntArray();
    checkIds(id, vocab);
    double[] w = table.values();
    double[] r = new double[id.length * d];
    for (int i = 0; i < id.length; i++) {
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

  /** Throws for the first id outside {@code [0, vocab)}. */
  static void checkIds(int[] ids, int vocab) {
    for (int id : ids) {
      if (id < 0 || id >= vocab) {
        throw new IndexOutOfBoundsException("embedding: id " + id + " outside the table's " + vocab + " rows");
      }
    }
  }
}
