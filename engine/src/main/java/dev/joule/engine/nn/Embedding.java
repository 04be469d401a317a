package dev.joule.engine.nn;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Random;

/** A table of {@code vocabulary} learnt vectors of size {@code dim}, looked up by INT32 ids. */
public final class Embedding extends Module {
  private final Tensor table;

  public Embedding(int vocabulary, int dim, Random random, DType dtype) {
    this.table = param("weight", Tensor.randn(random, dtype, 1, vocabulary, dim));
  }

  /** {@code ids [...]} → {@code [..., dim]}. */
  public Tensor forward(Tensor ids) {
    return Ops.embedding(table, ids);
  }
}
