package dev.joule.engine.ctccrf;

import dev.joule.engine.gpu.CudaStream;
import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.Kernel;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.gpu.LaunchShape;
import dev.joule.engine.gpu.PtxModule;

/**
 * The CTC numerator on a GPU ({@code native/cuda/ctc_numerator.cu}): same contract as
 * {@link CtcNumerator}, float32 log space. Not thread-safe: one instance per stream.
 */
public final class GpuCtcNumerator {
  private static final int BLOCK = 256;

  private final GpuDevice gpu;
  private final CudaStream stream;
  private final Kernel alpha;
  private final Kernel beta;

  public GpuCtcNumerator(GpuDevice gpu, CudaStream stream) {
    this.gpu = gpu;
    this.stream = stream;
    PtxModule module = gpu.module("ctc_numerator");
    this.alpha = module.kernel("joule_ctc_alpha");
    this.beta = module.kernel("joule_ctc_beta");
  }

  public SequencePosteriors compute(LogProbBatch x, int[][] labels) {
    CtcNumerator.validateLabels(x, labels);
    int batch = x.batch();
    PaddedLabels padded = PaddedLabels.of(labels);
    int maxLabels = padded.maxLabels();
    // The uploads below go through the legacy stream, which is not ordered after this stream:
    // blocks the cache hands out must not still be read by work queued here.
    stream.synchronize();
    try (DeviceBuffer dx = gpu.upload(x.data());
        DeviceBuffer dLengths = gpu.upload(x.lengths());
        DeviceBuffer dLabelLengths = gpu.upload(padded.lengths());
        DeviceBuffer dLabels = gpu.upload(padded.padded());
        DeviceBuffer dLogp = gpu.allocate((long) batch * Float.BYTES);
        DeviceBuffer occ = gpu.allocate((long) x.data().length * Float.BYTES)) {
      queue(batch, x.maxFrames(), x.tokens(), maxLabels, dx, 0, dLengths, dLabelLengths, dLabels, dLogp, occ);
      stream.synchronize();
      float[] z = new float[batch];
      dLogp.copyTo(z);
      float[] occupancy = new float[x.data().length];
      occ.copyTo(occupancy);
      double[] result = new double[batch];
      for (int b = 0; b < batch; b++) {
        result[b] = z[b];
      }
      return new SequencePosteriors(result, occupancy);
    }
  }

  /**
   * The device-resident form of {@link #compute}, queued on the stream without waiting: inputs
   * {@code x [B, T, V]} float32 from byte {@code xByteOffset} of its buffer, {@code lengths [B]},
   * {@code labelLengths [B]} and {@code labels [B, maxLabels]} (zero-padded) int32; outputs {@code logp [B]} and
   * {@code occupancy [B, T, V]} float32 (overwritten). Labels must already be valid (see
   * {@link CtcNumerator#validateLabels}).
   */
  public void queue(int batch, int frames, int tokens, int maxLabels, DeviceBuffer x, long xByteOffset, DeviceBuffer lengths,
      DeviceBuffer labelLengths, DeviceBuffer labels, DeviceBuffer logp, DeviceBuffer occupancy) {
    long values = (long) batch * frames * tokens;
    x.requireBytes(xByteOffset + values * Float.BYTES, "log-probs");
    lengths.requireBytes((long) batch * Integer.BYTES, "lengths");
    labelLengths.requireBytes((long) batch * Integer.BYTES, "label lengths");
    labels.requireBytes((long) batch * maxLabels * Integer.BYTES, "labels");
    logp.requireBytes((long) batch * Float.BYTES, "log p");
    occupancy.requireBytes(values * Float.BYTES, "occupancy");
    int positions = 2 * maxLabels + 1;
    long slice = (long) batch * positions;
    // Scratch goes back to the caching allocator at once: later work on this stream runs after
    // these kernels, so the blocks cannot be overwritten while they are still being read.
    try (DeviceBuffer alphas = gpu.allocate(frames * slice * Float.BYTES);
        DeviceBuffer betaA = gpu.allocate(slice * Float.BYTES);
        DeviceBuffer betaB = gpu.allocate(slice * Float.BYTES)) {
      // One block per utterance, as many threads as positions (rounded to warps, at most BLOCK).
      int threads = Math.min(BLOCK, (positions + 31) / 32 * 32);
      LaunchShape perUtterance = new LaunchShape(batch, 1, 1, threads, 1, 1, 0);
      alpha.launch(perUtterance, stream, common(KernelArgs.of(), batch, positions, tokens, frames, maxLabels,
          lengths, labelLengths, labels).bufferAt(x, xByteOffset).buffer(alphas).buffer(logp));
      occupancy.zero(stream);
      beta.launch(perUtterance, stream, common(KernelArgs.of(), batch, positions, tokens, frames, maxLabels,
          lengths, labelLengths, labels).bufferAt(x, xByteOffset).buffer(alphas).buffer(logp).buffer(betaA).buffer(betaB).buffer(occupancy));
    }
  }

  /**
   * Label sequences zero-padded to the longest, {@code [batch][maxLabels]} row-major, with each
   * sequence's length: the kernels' layout. {@code maxLabels} is at least 1.
   */
  record PaddedLabels(int[] padded, int[] lengths, int maxLabels) {
    static PaddedLabels of(int[][] labels) {
      int maxLabels = 1;
      int[] lengths = new int[labels.length];
      for (int b = 0; b < labels.length; b++) {
        lengths[b] = labels[b].length;
        maxLabels = Math.max(maxLabels, labels[b].length);
      }
      int[] padded = new int[labels.length * maxLabels];
      for (int b = 0; b < labels.length; b++) {
        System.arraycopy(labels[b], 0, padded, b * maxLabels, labels[b].length);
      }
      return new PaddedLabels(padded, lengths, maxLabels);
    }
  }

  /** The shape arguments both kernels of the module take first. */
  private static KernelArgs common(KernelArgs args, int batch, int positions, int tokens, int frames, int maxLabels,
      DeviceBuffer lengths, DeviceBuffer labelLengths, DeviceBuffer labels) {
    return args.i32(batch).i32(positions).i32(tokens).i32(frames).i32(maxLabels)
        .buffer(lengths).buffer(labelLengths).buffer(labels);
  }
}
