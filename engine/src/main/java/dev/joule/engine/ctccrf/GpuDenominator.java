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
 * <p>Two kernel layouts compute the same function ({@link Layout}); their headers in
 * {@code native/cuda/} explain the difference.
 *
 * <p>Memory: alpha for every frame, (Tmax+1) × utterances × states floats, is the large buffer.
 * A batch whose alpha would exceed {@code alphaBudgetBytes} is run in sub-batches of
 * utterances, so memory stays bounded for any batch size and length. Not thread-safe: one
 * instance per stream.
 */
public final class GpuDenominator implements ForwardBackward, AutoCloseable {
  /** How alpha and beta are laid out, and so how threads map onto the work. */
  public enum Layout {
    /** {@code den_forward_backward.cu}: [B][S], a warp is 32 states of one utterance. */
    UTTERANCE_MAJOR,
    /** {@code den_state_major.cu}: [S][B], a warp is one state of 32 utterances. */
    STATE_MAJOR
  }

  /** The layout used when none is named: the faster one (69.8 ms vs 141.4 ms on den-phone4g, H100). */
  public static final Layout DEFAULT_LAYOUT = Layout.STATE_MAJOR;

  private static final int BLOCK = 256;
  // den_state_major.cu's block shape and the source states one backward block covers.
  private static final int LANES = 32;
  private static final int WARPS = 8;
  private static final int STATES_PER_BLOCK = 64;
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
  private final Layout layout;
  private final Kernel transposeX;

  /** Uses a quarter of the device's memory at most for alpha. */
  public GpuDenominator(GpuDevice gpu, CudaStream stream, DenGraph graph) {
    this(gpu, stream, graph, gpu.totalMemoryBytes() / 4);
  }

  public GpuDenominator(GpuDevice gpu, CudaStream stream, DenGraph graph, long alphaBudgetBytes) {
    this(gpu, stream, graph, alphaBudgetBytes, DEFAULT_LAYOUT);
  }

  public GpuDenominator(GpuDevice gpu, CudaStream stream, DenGraph graph, long alphaBudgetBytes, Layout layout) {
    this.gpu = gpu;
    this.layout = layout;
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
    boolean stateMajor = layout == Layout.STATE_MAJOR;
    PtxModule module = gpu.module(stateMajor ? "den_state_major" : "den_forward_backward");
    String prefix = stateMajor ? "joule_densm_" : "joule_den_";
    this.init = module.kernel(prefix + "alpha_init");
    this.alphaStep = module.kernel(prefix + "alpha_step");
    // The state-major forward step computes its own normaliser; it needs the buffer initialised.
    this.alphaNorm = module.kernel(stateMajor ? "joule_densm_norm_init" : "joule_den_alpha_norm");
    this.logz = module.kernel(prefix + "logz");
    this.betaStep = module.kernel(prefix + "beta_step");
    this.transposeX = stateMajor ? module.kernel("joule_densm_transpose_x") : null;
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
      if (layout == Layout.STATE_MAJOR) {
        runStateMajor(x, first, n, logZ, occupancy);
      } else {
        run(x, first, n, logZ, occupancy);
      }
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

  /** {@link #run} with den_state_major.cu: alpha/beta [S][n], x transposed to [T][V][n] first. */
  private void runStateMajor(LogProbBatch x, int first, int n, double[] logZ, float[] occupancy) {
    int states = graph.numStates();
    int tokens = x.tokens();
    int frames = x.maxFrames();
    int values = n * frames * tokens;
    float[] hostX = new float[values];
    System.arraycopy(x.data(), x.offset(first, 0), hostX, 0, values);
    int[] lengths = java.util.Arrays.copyOfRange(x.lengths(), first, first + n);
    int maxLength = java.util.Arrays.stream(lengths).max().orElseThrow();
    long slice = (long) n * states;
    int groups = (n + LANES - 1) / LANES;
    try (DeviceBuffer dx = gpu.upload(hostX);
        DeviceBuffer xt = gpu.allocate((long) values * Float.BYTES);
        DeviceBuffer dLengths = gpu.upload(lengths);
        DeviceBuffer alpha = gpu.allocate((maxLength + 1L) * slice * Float.BYTES);
        DeviceBuffer betaA = gpu.allocate(slice * Float.BYTES);
        DeviceBuffer betaB = gpu.allocate(slice * Float.BYTES);
        DeviceBuffer norm = gpu.allocate((maxLength + 1L) * n * Float.BYTES);
        DeviceBuffer finalShift = gpu.allocate((long) n * Float.BYTES);
        DeviceBuffer dLogZ = gpu.allocate((long) n * Double.BYTES);
        DeviceBuffer occ = gpu.allocate((long) values * Float.BYTES)) {
      transposeX.launch(LaunchShape.linear(values), stream, KernelArgs.of().i32(n).i32(frames).i32(tokens).buffer(dx).buffer(xt));
      init.launch(LaunchShape.linear(slice), stream, KernelArgs.of().i32(n).i32(states).i32(graph.start()).buffer(alpha));
      long normValues = (maxLength + 1L) * n;
      alphaNorm.launch(LaunchShape.linear(normValues), stream, KernelArgs.of().i64(normValues).i32(n).buffer(norm));
      LaunchShape perGroup = new LaunchShape(groups, 1, 1, LANES, WARPS, 1, 0);
      LaunchShape perState = new LaunchShape(groups, (states + WARPS - 1) / WARPS, 1, LANES, WARPS, 1, 0);
      for (int t = 1; t <= maxLength; t++) {
        alphaStep.launch(perState, stream, KernelArgs.of()
            .i32(t).i32(n).i32(states).i32(tokens).buffer(dLengths)
            .buffer(dstStart).buffer(dstArcSrc).buffer(dstArcToken).buffer(dstArcLogProb)
            .buffer(xt).buffer(norm)
            .bufferAt(alpha, (t - 1) * slice * Float.BYTES)
            .bufferAt(alpha, t * slice * Float.BYTES));
      }
      logz.launch(perGroup, stream, KernelArgs.of()
          .i32(n).i32(states).buffer(dLengths).buffer(alpha).buffer(norm).buffer(finalLogProb)
          .buffer(finalShift).buffer(dLogZ));
      occ.zero(stream);
      LaunchShape perSourceRange = new LaunchShape(groups, (states + STATES_PER_BLOCK - 1) / STATES_PER_BLOCK, 1,
          LANES, WARPS, 1, tokens * LANES * Float.BYTES);
      DeviceBuffer cur = betaA;
      DeviceBuffer prev = betaB;
      for (int t = maxLength; t >= 1; t--) {
        betaStep.launch(perSourceRange, stream, KernelArgs.of()
            .i32(t).i32(n).i32(states).i32(tokens).i32(frames).buffer(dLengths)
            .buffer(srcStart).buffer(srcArcDst).buffer(srcArcToken).buffer(srcArcLogProb)
            .buffer(finalLogProb).buffer(xt).buffer(alpha).buffer(norm).buffer(finalShift)
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
