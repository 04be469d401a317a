package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.buffer;
import static dev.joule.engine.ops.GpuOperands.packed;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * The GPU twin of {@link Gather#embedding}, on the {@code joule_embedding_fwd/bwd} kernels: a
 * gather of table rows, and a scatter-add of the gradient rows by id (atomic, since ids repeat).
 *
 * <p>A kernel cannot throw, so ids are range-checked on the host when they are a CPU tensor,
 * before they are uploaded. Ids that are already a GPU tensor are trusted: checking them would
 * mean copying them back and waiting for the GPU. An id outside the table there reads or writes
 * outside it, so whoever puts ids on the GPU must have checked them.
 */
final class GpuGather {
  private GpuGather() {}

  /** Rows of {@code table [V, D]} for INT32 {@code ids} (checked to be INT32); either may be on the CPU. */
  static Tensor embedding(GpuTensors gpu, Tensor table, Tensor ids) {
    int vocab = table.dim(0);
    int d = table.dim(1);
    if (!ids.isGpu()) {
      Gather.checkIds(ids.toIntArray(), vocab);
    }
    Tensor t = Placement.on(gpu, table);
    Tensor i = packed(Placement.on(gpu, ids));
    Tensor tp = packed(t);
    long count = ids.size();
    int[] outDims = new int[ids.rank() + 1];
    System.arraycopy(ids.shape().dims(), 0, outDims, 0, ids.rank());
    outDims[ids.rank()] = d;
    Tensor y = GpuOperands.allocate(gpu, Shape.of(outDims), DType.FLOAT32);
    gpu.ops().embedding(count, d, vocab, buffer(tp), buffer(i), buffer(y));
    Shape ts = table.shape();
    return Autograd.record(
        y,
        "embedding",
        g -> {
          Tensor dTable = GpuOperands.allocate(gpu, ts, DType.FLOAT32);
          gpu.ops().embeddingBackward(count, d, vocab, buffer(i), GpuOperands.packedBuffer(GpuOperands.gradient(gpu, g)),
              buffer(dTable));
          return new Tensor[] {dTable, null};
        },
        t,
        i);
  }
}
