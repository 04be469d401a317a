package dev.joule.engine.am;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuOps;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * {@link TdnnAcousticModel} on the GPU: affine + ReLU + layer norm on the stacked frames, then per
 * layer the padding zeroed, the dilated kernel-3 convolution as an unfold and one product, ReLU and
 * layer norm; the output affine. Same parameter names as the CPU model.
 */
final class GpuTdnnModel extends GpuAcousticModel {
  private static final float LAYER_NORM_EPS = 1e-5f;

  private final int stackedDim;
  private final int hidden;
  private final int tokens;
  private final int[] dilations;
  private final DeviceBuffer inputWeight;
  private final DeviceBuffer inputBias;
  private final DeviceBuffer inputGamma;
  private final DeviceBuffer inputBeta;
  private final DeviceBuffer[] convWeight;
  private final DeviceBuffer[] convBias;
  private final DeviceBuffer[] gamma;
  private final DeviceBuffer[] beta;
  private final DeviceBuffer outputWeight;
  private final DeviceBuffer outputBias;

  GpuTdnnModel(TdnnAcousticModel model, GpuDevice gpu) {
    super(model, gpu);
    this.stackedDim = Subsampling.FACTOR * model.inputDim();
    this.hidden = Subsampling.intSetting(model.config(), "hidden", 256);
    this.tokens = model.numTokens();
    this.dilations = Subsampling.intList(model.config(), "dilations", "1,1,2,2,3");
    Map<String, Tensor> p = model.parameters();
    this.inputWeight = weight(p, "input.weight");
    this.inputBias = weight(p, "input.bias");
    this.inputGamma = weight(p, "input_norm.weight");
    this.inputBeta = weight(p, "input_norm.bias");
    int n = dilations.length;
    this.convWeight = new DeviceBuffer[n];
    this.convBias = new DeviceBuffer[n];
    this.gamma = new DeviceBuffer[n];
    this.beta = new DeviceBuffer[n];
    for (int i = 0; i < n; i++) {
      convWeight[i] = weight(p, "tdnn" + i + ".weight"); // [3, hidden, hidden] = [3·hidden, hidden] row-major
      convBias[i] = weight(p, "tdnn" + i + ".bias");
      gamma[i] = weight(p, "norm" + i + ".weight");
      beta[i] = weight(p, "norm" + i + ".bias");
    }
    this.outputWeight = weight(p, "output.weight");
    this.outputBias = weight(p, "output.bias");
  }

  @Override
  DeviceBuffer forwardStacked(DeviceBuffer stacked, DeviceBuffer lengths, int batch, int frames, List<DeviceBuffer> scratch) {
    long rows = (long) batch * frames;
    DeviceBuffer h = linear(stacked, rows, stackedDim, inputWeight, inputBias, hidden, scratch);
    h = reluNorm(h, rows, inputGamma, inputBeta, scratch);
    for (int i = 0; i < dilations.length; i++) {
      int d = dilations[i];
      ops.maskByLengths(batch, frames, hidden, lengths, h);
      DeviceBuffer windows = keep(scratch, floats(rows * 3 * hidden));
      ops.unfold(batch, frames, hidden, 3, 1, d, d, d, h, windows);
      h = linear(windows, rows, 3 * hidden, convWeight[i], convBias[i], hidden, scratch);
      h = reluNorm(h, rows, gamma[i], beta[i], scratch);
    }
    return linear(h, rows, hidden, outputWeight, outputBias, tokens, scratch);
  }

  private DeviceBuffer reluNorm(DeviceBuffer x, long rows, DeviceBuffer g, DeviceBuffer b, List<DeviceBuffer> scratch) {
    ops.unary(GpuOps.Unary.RELU, rows * hidden, x, x);
    DeviceBuffer y = keep(scratch, floats(rows * hidden));
    ops.layerNormRows(rows, hidden, LAYER_NORM_EPS, x, g, b, y, keep(scratch, floats(rows)), keep(scratch, floats(rows)));
    return y;
  }
}
