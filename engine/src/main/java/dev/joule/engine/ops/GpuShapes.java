package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.allocate;
import static dev.joule.engine.ops.GpuOperands.buffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.util.List;

/**
 * The GPU twins of {@link Shapes}' copies: permute (hence transpose), narrow (hence split) and
 * concat (hence stack), forward and backward, with the kernels of
 * {@code native/cuda/tensor_layout.cu}. Reshape needs nothing here: a GPU tensor is contiguous,
 * so {@link Tensor#view} shares its storage exactly as on the CPU.
 *
 * <p>Every copy is a set of contiguous blocks: one block (narrow or concat along dimension 0,
 * or where nothing precedes the dimension) is a single {@code cuMemcpyDtoDAsync}; blocks with a
 * stride between them are one strided-copy kernel launch. The kernels copy 4-byte words, so INT32
 * tensors (ids, lengths) move through these ops as well as FLOAT32 ones.
 */
final class GpuShapes {
  /** The largest rank {@code joule_permute_u32} takes. */
  static final int MAX_PERMUTE_RANK = 6;

  private static final String MODULE = "tensor_layout";

  private GpuShapes() {}

  /**
   * {@code x} with its dimensions reordered into {@code out}, where output axis {@code i} walks
   * the input with stride {@code inStrides[i]}; the backward permutes the gradient by
   * {@code inverse}.
   */
  static Tensor permute(Tensor x, Shape out, int[] inStrides, int[] inverse) {
    int rank = out.rank();
    if (rank > MAX_PERMUTE_RANK) {
      throw new UnsupportedOperationException(
          "permute on the GPU supports rank ≤ " + MAX_PERMUTE_RANK + "; got shape " + x.shape());
    }
    GpuTensors gpu = x.gpuContext();
    Tensor y = allocate(gpu, out, x.dtype());
    int pad = MAX_PERMUTE_RANK - rank;
    KernelArgs args = KernelArgs.of().i64(out.size());
    for (int i = 0; i < MAX_PERMUTE_RANK; i++) {
      args.i32(i < pad ? 1 : out.dim(i - pad));
    }
    for (int i = 0; i < MAX_PERMUTE_RANK; i++) {
      args.i64(i < pad ? 0 : inStrides[i - pad]);
    }
    args.bufferAt(buffer(x), GpuOperands.at(x)).bufferAt(buffer(y), GpuOperands.at(y));
    gpu.launchLinear(gpu.kernel(MODULE, "joule_permute_u32"), out.size(), args);
    return Autograd.record(y, "permute", g -> new Tensor[] {Shapes.permute(g, inverse)}, x);
  }

  /**
   * Elements {@code [start, start+length)} along {@code axis} (already validated): a view when
   * {@code axis} is 0, else a copy. The gradient is zero outside the range.
   */
  static Tensor narrow(Tensor x, int axis, int start, int length) {
    GpuTensors gpu = x.gpuContext();
    Shape s = x.shape();
    int n = s.dim(axis);
    int outer = s.outer(axis);
    long inner = s.inner(axis);
    Tensor y;
    if (axis == 0) {
      y = x.rowsView(start, length);
    } else {
      y = allocate(gpu, s.with(axis, length), x.dtype());
      copyRows(x, x.offset() + start * inner, n * inner, y, 0, length * inner, outer, length * inner);
    }
    return Autograd.record(
        y,
        "narrow",
        g -> {
          Tensor gg = GpuOperands.gradient(gpu, g);
          Tensor gx = GpuOperands.zeros(gpu, s, gg.dtype());
          copyRows(gg, gg.offset(), length * inner, gx, start * inner, n * inner, outer, length * inner);
          return new Tensor[] {gx};
        },
        x);
  }

  /**
   * {@code parts} (all on one GPU, shapes validated) joined along {@code axis} into {@code out};
   * the gradient of each part is its slice of the output's.
   */
  static Tensor concat(List<Tensor> parts, int axis, Shape out) {
    DType type = parts.get(0).dtype();
    for (Tensor t : parts) {
      if (t.dtype() != type) {
        throw new IllegalArgumentException(
            "concat on the GPU needs parts of one type; got " + type + " and " + t.dtype() + " (GPU tensors are not converted)");
      }
    }
    GpuTensors gpu = parts.get(0).gpuContext();
    Tensor y = allocate(gpu, out, type);
    int outer = out.outer(axis);
    long inner = out.inner(axis);
    long total = out.dim(axis);
    Tensor[] inputs = parts.toArray(new Tensor[0]);
    int[] starts = new int[inputs.length];
    int at = 0;
    for (int p = 0; p < inputs.length; p++) {
      Tensor t = inputs[p];
      long len = t.dim(axis);
      copyRows(t, t.offset(), len * inner, y, at * inner, total * inner, outer, len * inner);
      starts[p] = at;
      at += t.dim(axis);
    }
    return Autograd.record(y, "concat", Shapes.concatGradient(inputs, axis, starts), inputs);
  }

  /**
   * Copies {@code rows} blocks of {@code rowLen} elements from {@code src}'s storage (block
   * {@code r} at element {@code srcAt + r·srcStride}) to {@code dst}'s (at
   * {@code dstAt + r·dstStride}), on the tensor stream.
   */
  private static void copyRows(
      Tensor src, long srcAt, long srcStride, Tensor dst, long dstAt, long dstStride, long rows, long rowLen) {
    if (rows == 0 || rowLen == 0) {
      return;
    }
    GpuTensors gpu = dst.gpuContext();
    if (rows == 1 || (srcStride == rowLen && dstStride == rowLen)) {
      buffer(dst).copyFromDeviceAsync(buffer(src), srcAt, dstAt, rows * rowLen, gpu.stream());
      return;
    }
    requireSpan(src, srcAt + (rows - 1) * srcStride + rowLen);
    requireSpan(dst, dstAt + (rows - 1) * dstStride + rowLen);
    KernelArgs args = KernelArgs.of().i64(rows).i64(rowLen).i64(srcStride).i64(dstStride)
        .bufferAt(buffer(src), 4L * srcAt).bufferAt(buffer(dst), 4L * dstAt);
    gpu.launchLinear(gpu.kernel(MODULE, "joule_copy_rows_u32"), rows * rowLen, args);
  }

  /** A kernel cannot throw: a copy that would run past a storage is a Java exception instead. */
  private static void requireSpan(Tensor t, long end) {
    if (end > t.gpuStorage().length()) {
      throw new IndexOutOfBoundsException("copy to element " + end + " of " + t.gpuStorage());
    }
  }
}
