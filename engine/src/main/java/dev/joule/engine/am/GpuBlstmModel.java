package dev.joule.engine.am;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuBlstm;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** {@link BlstmAcousticModel} on the GPU: {@link GpuBlstm} on the stacked frames, then the output affine. */
final class GpuBlstmModel extends GpuAcousticModel {
  private final int hidden;
  private final int tokens;
  private final GpuBlstm lstm;
  private final DeviceBuffer outputWeight;
  private final DeviceBuffer outputBias;

  GpuBlstmModel(BlstmAcousticModel model, GpuDevice gpu) {
    super(model, gpu);
    this.hidden = Subsampling.intSetting(model.config(), "hidden", 320);
    int layers = Subsampling.intSetting(model.config(), "layers", 3);
    this.tokens = model.numTokens();
    this.lstm = new GpuBlstm(gpu, stream, model.lstm(), Subsampling.FACTOR * model.inputDim(), hidden, layers, true);
    Map<String, Tensor> p = model.parameters();
    this.outputWeight = weight(p, "output.weight");
    this.outputBias = weight(p, "output.bias");
  }

  @Override
  DeviceBuffer forwardStacked(DeviceBuffer stacked, DeviceBuffer lengths, int batch, int frames, List<DeviceBuffer> scratch) {
    // The LSTM's output belongs to it (kept for a backward pass that inference never makes).
    DeviceBuffer h = lstm.forward(stacked, lengths, batch, frames);
    return linear(h, (long) batch * frames, 2 * hidden, outputWeight, outputBias, tokens, scratch);
  }

  @Override
  public synchronized void close() {
    // The LSTM queues its work on the base class's stream: release it while that stream is open.
    lstm.close();
    super.close();
  }
}
