package dev.joule.engine.ctccrf;

import dev.joule.engine.gpu.CudaStream;
import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.Kernel;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.gpu.LaunchShape;
import dev.joule.engine.gpu.PtxModule;

/**
 * The denominator forward-backward on a GPU, with the kernels of
 * {@code native/cuda/den_forward_backward.cu} (its header documents the design). Same contract
 * as {@link Denominator}, computed in float32 log space; the graph is uploaded once.
 *
 * <p>Memory: alpha for every frame, (Tmax+1) × utterances × states floats, is the large buffer.
 * A batch whose alpha would exceed {@code alphaBudgetBytes} is run in sub-batches of
 * utterances, so memory stays bounded for any batch size and length. Not thread-safe: one
 * instance per stream.
 */
public final class GpuDenominator implements ForwardBackward, AutoCloseable {
  private static final int BLOCK = 256;
  /** Threads per block of the per-utterance reductions (a power of two, at most 1024). */
  private static final int NORM_BLOCK = 512;

  private final GpuDevice gpu;
  private final CudaStream stream;
  private final DenGraph graph;
  private final long alphaBudgetBytes;
  private final DeviceBuffer dstStart;
  private final DeviceBuffer dstArcSrc;
  private final DeviceBuffer dstArcToken;
  private final DeviceBuffer dstArcLogProb;
  private final DeviceBuffer srcStart;
  private final DeviceBuffer srcArcDst;
  private final DeviceBuffer srcArcToken;
  private final DeviceBuffer srcArcLogProb;
  private final DeviceBuffer finalLogProb;
  private final Kernel init;
  private final Kernel alphaStep;
  private final Kernel alphaNorm;
  private final Kernel logz;
  private final Kernel betaStep;

  /** Uses a quarter of the device's memory at most for alpha. */
  public GpuDenominator(GpuDevice gpu, CudaStream stream, DenGraph graph) {
    this(gpu, stream, graph, gpu.totalMemoryBytes() / 4);
  }

  public GpuDenominator(GpuDevice gpu, CudaStream stream, DenGraph graph, long alphaBudgetBytes) {
    this.gpu = gpu;
    this.stream = stream;
    this.graph = graph;
    this.alphaBudgetBytes = alphaBudgetBytes;
    this.dstStart = gpu.upload(graph.dstStart());
    this.dstArcSrc = gpu.upload(graph.dstArcSrc());
    this.dstArcToken = gpu.upload(graph.dstArcToken());
    this.dstArcLogProb = gpu.upload(toFloat(graph.dstArcLogProb()));
    this.srcStart = gpu.upload(graph.srcStart());
    this.srcArcDst = gpu.upload(graph.srcArcDst());
    this.srcArcToken = gpu.upload(graph.srcArcToken());
    this.srcArcLogProb = gpu.upload(toFloat(graph.srcArcLogProb()));
    this.finalLogProb = gpu.upload(toFloat(graph.finalLogProbs()));
    PtxModule module = gpu.module("den_forward_backward");
    this.init = module.kernel("joule_den_alpha_init");
    this.alphaStep = module.kernel("joule_den_alpha_step");
    this.alphaNorm = module.kernel("joule_den_alpha_norm");
    this.logz = module.kernel("joule_den_logz");
    this.betaStep = module.kernel("joule_den_beta_step");
  }

  @Override
  public DenGraph graph() {
    return graph;
  }

  private static float[] toFloat(double[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) x[i];
    }
    return out;
  }

  @Override
  public SequencePosteriors compute(LogProbBatch x) {
    if (x.tokens() != graph.numTokens()) {
      throw new IllegalArgumentException(
          "log-probs have " + x.tokens() + " tokens; the den graph has " + graph.numTokens());
    }
    long perUtterance = (long) (x.maxFrames() + 1) * graph.numStates() * Float.BYTES;
    int chunk = (int) Math.max(1, Math.min(x.batch(), alphaBudgetBytes / perUtterance));
    double[] logZ = new double[x.batch()];
    float[] occupancy = new float[x.data().length];
    for (int first = 0; first < x.batch(); first += chunk) {
      int n = Math.min(chunk, x.batch() - first);
      run(x, first, n, logZ, occupancy);
    }
    return new SequencePosteriors(logZ, occupancy);
  }

  /** Runs utterances [first, first+n) and writes their results into the batch-wide arrays. */
  private void run(LogProbBatch x, int first, int n, double[] logZ, float[] occupancy) {
    int states = graph.numStates();
    int tokens = x.tokens();
    int frames = x.maxFrames();
    int values = n * frames * tokens;
    float[] hostX = new float[values];
    System.arraycopy(x.data(), x.offset(first, 0), hostX, 0, values);
    int[] lengths = java.util.Arrays.copyOfRange(x.lengths(), first, first + n);
    int maxLength = java.util.Arrays.stream(lengths).max().orElseThrow();
    long slice = (long) n * states;
    try (DeviceBuffer dx = gpu.upload(hostX);
        DeviceBuffer dLengths = gpu.upload(lengths);
        DeviceBuffer alpha = gpu.allocate((maxLength + 1L) * slice * Float.BYTES);
        DeviceBuffer betaA = gpu.allocate(slice * Float.BYTES);
        DeviceBuffer betaB = gpu.allocate(slice * Float.BYTES);
        DeviceBuffer norm = gpu.allocate((maxLength + 1L) * n * Float.BYTES);
        DeviceBuffer finalShift = gpu.allocate((long) n * Float.BYTES);
        DeviceBuffer dLogZ = gpu.allocate((long) n * Double.BYTES);
        DeviceBuffer occ = gpu.allocate((long) values * Float.BYTES)) {
      init.launch(LaunchShape.linear(slice), stream, KernelArgs.of().i32(n).i32(states).i32(graph.start()).buffer(alpha));
      norm.zero(stream);
      LaunchShape perUtterance = new LaunchShape(n, 1, 1, NORM_BLOCK, 1, 1, 0);
      LaunchShape perState = new LaunchShape((states + BLOCK - 1) / BLOCK, n, 1, BLOCK, 1, 1, 0);
      for (int t = 1; t <= maxLength; t++) {
        alphaStep.launch(perState, stream, KernelArgs.of()
            .i32(t).i32(n).i32(states).i32(tokens).i32(frames)
            .buffer(dLengths)
            .buffer(dstStart).buffer(dstArcSrc).buffer(dstArcToken).buffer(dstArcLogProb)
            .buffer(dx).bufferAt(norm, (t - 1L) * n * Float.BYTES)
            .bufferAt(alpha, (t - 1) * slice * Float.BYTES)
            .bufferAt(alpha, t * slice * Float.BYTES));
        alphaNorm.launch(perUtterance, stream, KernelArgs.of()
            .i32(t).i32(n).i32(states).buffer(dLengths)
            .bufferAt(alpha, t * slice * Float.BYTES).buffer(norm));
      }
      logz.launch(perUtterance, stream, KernelArgs.of()
          .i32(n).i32(states).buffer(dLengths).buffer(alpha).buffer(norm).buffer(finalLogProb)
          .buffer(finalShift).buffer(dLogZ));
      occ.zero(stream);
      LaunchShape perSource = new LaunchShape((states + BLOCK - 1) / BLOCK, n, 1, BLOCK, 1, 1, tokens * Float.BYTES);
      DeviceBuffer cur = betaA;
      DeviceBuffer prev = betaB;
      for (int t = maxLength; t >= 1; t--) {
        betaStep.launch(perSource, stream, KernelArgs.of()
            .i32(t).i32(n).i32(states).i32(tokens).i32(frames)
            .buffer(dLengths)
            .buffer(srcStart).buffer(srcArcDst).buffer(srcArcToken).buffer(srcArcLogProb)
            .buffer(finalLogProb).buffer(dx).buffer(alpha).buffer(norm).buffer(finalShift)
            .buffer(cur).buffer(prev).buffer(occ));
        DeviceBuffer swap = cur;
        cur = prev;
        prev = swap;
      }
      stream.synchronize();
      double[] z = new double[n];
      dLogZ.copyTo(z);
      float[] o = new float[values];
      occ.copyTo(o);
      System.arraycopy(z, 0, logZ, first, n);
      System.arraycopy(o, 0, occupancy, x.offset(first, 0), values);
    }
  }

  @Override
  public void close() {
    for (DeviceBuffer b : new DeviceBuffer[] {dstStart, dstArcSrc, dstArcToken, dstArcLogProb,
        srcStart, srcArcDst, srcArcToken, srcArcLogProb, finalLogProb}) {
      b.close();
    }
  }
}
