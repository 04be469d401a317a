package dev.joule.engine.ops;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.Tensor;

/**
 * Where an op runs: on the GPU when any operand is a GPU tensor, otherwise on the CPU. A CPU
 * operand of a GPU op is copied to the GPU on the tape ({@link DeviceCopy}), so constants made on
 * the host (position tables, masks, lengths) can meet GPU activations without ceremony.
 */
final class Placement {
  private Placement() {}

  /** The GPU context of the operands, or {@code null} when all are on the CPU. */
  static GpuTensors gpuOf(String op, Tensor... operands) {
    GpuTensors found = null;
    for (Tensor t : operands) {
      if (t != null && t.isGpu()) {
        if (found != null && found != t.gpuContext()) {
          throw new IllegalArgumentException(op + ": operands on two GPUs (" + found.device().ordinal() + " and "
              + t.gpuContext().device().ordinal() + "); copy them to one device first");
        }
        found = t.gpuContext();
      }
    }
    return found;
  }

  /** {@code t} on the GPU of {@code gpu} (a taped copy when it is on the CPU); {@code null} stays {@code null}. */
  static Tensor on(GpuTensors gpu, Tensor t) {
    return t == null || t.isGpu() ? t : DeviceCopy.toGpu(t, gpu);
  }

  /** The error for an op with no GPU implementation. */
  static UnsupportedOperationException notOnGpu(String op) {
    return new UnsupportedOperationException(op + " has no GPU implementation; move its operands to the CPU (toCpu())");
  }
}
