package dev.joule.engine.am;

import dev.joule.engine.gpu.CudaStream;
import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuOps;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Inference of an {@link AcousticModel} on a GPU: the log-probabilities of
 * {@link AcousticModel#forward} in eval mode, in float32, for a padded batch of utterances, with
 * the kernels of {@link GpuOps} and cuBLAS. The weights are uploaded once, from the model as it is
 * when this is made. {@link #of} picks the implementation for the architecture (TDNN and BLSTM
 * today). Thread-safe: calls are serialised on the instance's own stream.
 */
public abstract class GpuAcousticModel implements AutoCloseable {
  protected final GpuDevice gpu;
  protected final CudaStream stream;
  protected final GpuOps ops;
  private final int inputDim;
  private final int tokens;
  private final List<DeviceBuffer> weights = new ArrayList<>();
  private boolean closed;

  GpuAcousticModel(AcousticModel model, GpuDevice gpu) {
    this.gpu = gpu;
    this.stream = gpu.newStream();
    this.ops = new GpuOps(gpu, stream);
    this.inputDim = model.inputDim();
    this.tokens = model.numTokens();
  }

  /**
   * The GPU twin of {@code model}.
   *
   * @throws UnsupportedOperationException for an architecture without a GPU implementation
   */
  public static GpuAcousticModel of(AcousticModel model, GpuDevice gpu) {
    if (model instanceof TdnnAcousticModel tdnn) {
      return new GpuTdnnModel(tdnn, gpu);
    }
    if (model instanceof BlstmAcousticModel blstm) {
      return new GpuBlstmModel(blstm, gpu);
    }
    // Every other architecture (the Conformer, the linear model) runs through GPU tensors.
    return new GpuTensorAcousticModel(model, gpu);
  }

  /**
   * Log-probabilities {@code [batch, ⌈frames/3⌉, tokens]} (row-major) of padded features
   * {@code [batch, frames, inputDim]}; utterance {@code b} uses its first {@code lengths[b]}
   * frames, and its output rows past {@code ⌈lengths[b]/3⌉} are padding.
   */
  public synchronized float[] logProbs(float[] features, int batch, int frames, int[] lengths) {
    if (closed) {
      throw new IllegalStateException("GPU acoustic model is closed");
    }
    if (batch < 1 || frames < 1 || lengths.length != batch || features.length != (long) batch * frames * inputDim) {
      throw new IllegalArgumentException("features must be [" + batch + ", " + frames + ", " + inputDim
          + "] with " + batch + " lengths; got " + features.length + " values and " + lengths.length + " lengths");
    }
    for (int b = 0; b < batch; b++) {
      if (lengths[b] < 1 || lengths[b] > frames) {
        throw new IllegalArgumentException("length " + lengths[b] + " of utterance " + b + " is outside [1, " + frames + "]");
      }
    }
    return compute(features, batch, frames, lengths);
  }

  /**
   * {@link #logProbs(float[], int, int, int[])} after its checks: frame stacking on the GPU, then
   * {@link #forwardStacked}, then log-softmax, for the models with hand-written GPU layers.
   */
  float[] compute(float[] features, int batch, int frames, int[] lengths) {
    int outFrames = Subsampling.outputFrames(frames);
    List<DeviceBuffer> scratch = new ArrayList<>();
    try {
      DeviceBuffer x = keep(scratch, gpu.upload(features));
      DeviceBuffer outLengths = keep(scratch, gpu.upload(Subsampling.outputLengths(lengths)));
      ops.maskByLengths(batch, frames, inputDim, keep(scratch, gpu.upload(lengths)), x);
      // Frames stacked by 3: [B, T, D] -> [B, T', 3D], zeros after each utterance's end.
      DeviceBuffer stacked = keep(scratch, floats(batch * (long) outFrames * Subsampling.FACTOR * inputDim));
      ops.unfold(batch, frames, inputDim, Subsampling.FACTOR, Subsampling.FACTOR, 1, 0,
          outFrames * Subsampling.FACTOR - frames, x, stacked);
      long rows = (long) batch * outFrames;
      DeviceBuffer logits = forwardStacked(stacked, outLengths, batch, outFrames, scratch);
      DeviceBuffer out = keep(scratch, floats(rows * tokens));
      ops.logSoftmaxRows(rows, tokens, logits, out);
      stream.synchronize();
      float[] host = new float[Math.toIntExact(rows * tokens)];
      out.copyTo(host);
      return host;
    } finally {
      scratch.forEach(DeviceBuffer::close);
    }
  }

  /** One utterance: features {@code [frames][inputDim]} to log-probs {@code [outFrames][tokens]}. */
  public float[][] logProbs(float[][] features) {
    int frames = features.length;
    if (frames == 0) {
      return new float[0][tokens];
    }
    float[] flat = new float[frames * inputDim];
    for (int t = 0; t < frames; t++) {
      if (features[t].length != inputDim) {
        throw new IllegalArgumentException("frame " + t + " has " + features[t].length + " values; the model takes " + inputDim);
      }
      System.arraycopy(features[t], 0, flat, t * inputDim, inputDim);
    }
    float[] out = logProbs(flat, 1, frames, new int[] {frames});
    float[][] rows = new float[out.length / tokens][tokens];
    for (int t = 0; t < rows.length; t++) {
      System.arraycopy(out, t * tokens, rows[t], 0, tokens);
    }
    return rows;
  }

  /**
   * The network after frame stacking: {@code stacked [B, T', 3·inputDim]} to logits
   * {@code [B, T', tokens]}, queued on {@link #stream}. Buffers it allocates go into
   * {@code scratch}, which the caller closes.
   */
  abstract DeviceBuffer forwardStacked(DeviceBuffer stacked, DeviceBuffer lengths, int batch, int frames, List<DeviceBuffer> scratch);

  /** {@code y [rows, out] = x [rows, in] · weight [in, out] + bias}. */
  final DeviceBuffer linear(DeviceBuffer x, long rows, int in, DeviceBuffer weight, DeviceBuffer bias, int out,
      List<DeviceBuffer> scratch) {
    DeviceBuffer y = keep(scratch, floats(rows * out));
    stream.cublas().sgemm(false, false, Math.toIntExact(rows), out, in, 1f, x, 0, weight, 0, 0f, y, 0);
    ops.addBiasRows(rows, out, bias, y);
    return y;
  }

  /** Uploads parameter {@code name} of {@code model}; it lives as long as this object. */
  final DeviceBuffer weight(Map<String, Tensor> parameters, String name) {
    Tensor t = parameters.get(name);
    if (t == null) {
      throw new IllegalArgumentException("the acoustic model has no parameter '" + name + "'");
    }
    DeviceBuffer b = gpu.upload(t.toFloatArray());
    weights.add(b);
    return b;
  }

  final DeviceBuffer floats(long count) {
    return gpu.allocate(Math.max(1, count) * Float.BYTES);
  }

  static DeviceBuffer keep(List<DeviceBuffer> scratch, DeviceBuffer b) {
    scratch.add(b);
    return b;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      stream.synchronize();
      weights.forEach(DeviceBuffer::close);
      stream.close();
    }
  }
}
