package dev.joule.engine.am;

import dev.joule.engine.autograd.GradMode;
import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * GPU inference of an acoustic model through GPU tensors: a copy of the model, in evaluation
 * mode, moved to the GPU and run by its own {@code forward} (every op dispatches to its GPU
 * path). This serves the architectures without hand-written GPU layers, the Conformer first; the
 * TDNN and BLSTM keep their fused paths ({@link GpuTdnnModel}, {@link GpuBlstmModel}).
 */
final class GpuTensorAcousticModel extends GpuAcousticModel {
  private final GpuTensors tensors;
  private final AcousticModel onGpu;

  GpuTensorAcousticModel(AcousticModel model, GpuDevice gpu) {
    super(model, gpu);
    this.tensors = GpuTensors.of(gpu);
    this.onGpu = copyOf(model);
    onGpu.train(false);
    onGpu.moveTo(tensors);
  }

  /** A new model of the same configuration holding {@code model}'s parameters and buffers (the caller's stays on the CPU). */
  private static AcousticModel copyOf(AcousticModel model) {
    AcousticModel copy = AcousticModels.create(model.config(), new Random(0));
    Map<String, Tensor> target = copy.state();
    for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
      Tensor to = target.get(e.getKey());
      double[] values = e.getValue().toDoubleArray();
      System.arraycopy(values, 0, to.buffer(), to.offset(), values.length);
    }
    return copy;
  }

  @Override
  float[] compute(float[] features, int batch, int frames, int[] lengths) {
    // The step gives the activations' device memory back as soon as the scores are on the host.
    try (GpuTensors.Step step = tensors.step()) {
      Tensor x = Tensor.of(features, batch, frames, onGpu.inputDim());
      Tensor out = GradMode.withoutGrad(() -> onGpu.forward(x.toGpu(tensors), lengths));
      int outFrames = Subsampling.outputFrames(frames);
      if (out.dim(1) != outFrames) {
        throw new IllegalStateException("the " + onGpu.config().getProperty("arch", "?") + " model gives " + out.dim(1)
            + " output frames for " + frames + "; GPU inference expects " + outFrames);
      }
      return out.toFloatArray();
    }
  }

  /** Not used: this model runs whole through {@link #compute}. */
  @Override
  DeviceBuffer forwardStacked(DeviceBuffer stacked, DeviceBuffer lengths, int batch, int frames, List<DeviceBuffer> scratch) {
    throw new IllegalStateException("a tensor-backed model runs whole, not from stacked frames");
  }
}
