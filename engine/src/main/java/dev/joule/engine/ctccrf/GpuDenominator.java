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
    this.dstArcLogProb = gpu.uploadAsFloat(graph.dstArcLogProb());
    this.srcStart = gpu.upload(graph.srcStart());
    this.srcArcDst = gpu.upload(graph.srcArcDst());
    this.srcArcToken = gpu.upload(graph.srcArcToken());
    this.srcArcLogProb = gpu.uploadAsFloat(graph.srcArcLogProb());
    this.finalLogProb = gpu.uploadAsFloat(graph.finalLogProbs());
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

  /**
   * The device buffers of one sub-batch, utterances [first, first+n): the log-probs and lengths
   * uploaded, alpha for every frame, two beta frames, the per-frame normalisers and the outputs.
   */
  private final class SubBatch implements AutoCloseable {
    final int first;
    final int n;
    final int states = graph.numStates();
    final int tokens;
    final int frames;
    final int values;
    final int maxLength;
    final long slice;
    final DeviceBuffer x;
    final DeviceBuffer lengths;
    final DeviceBuffer alpha;
    final DeviceBuffer betaA;
    final DeviceBuffer betaB;
    final DeviceBuffer norm;
    final DeviceBuffer finalShift;
    final DeviceBuffer logZ;
    final DeviceBuffer occupancy;

    SubBatch(LogProbBatch batch, int first, int n) {
      this.first = first;
      this.n = n;
      this.tokens = batch.tokens();
      this.frames = batch.maxFrames();
      this.values = n * frames * tokens;
      float[] hostX = new float[values];
      System.arraycopy(batch.data(), batch.offset(first, 0), hostX, 0, values);
      int[] hostLengths = java.util.Arrays.copyOfRange(batch.lengths(), first, first + n);
      this.maxLength = java.util.Arrays.stream(hostLengths).max().orElseThrow();
      this.slice = (long) n * states;
      // Out of memory half-way must not strand what was already allocated.
      java.util.List<DeviceBuffer> made = new java.util.ArrayList<>();
      try {
        this.x = keep(made, gpu.upload(hostX));
        this.lengths = keep(made, gpu.upload(hostLengths));
        this.alpha = keep(made, gpu.allocate((maxLength + 1L) * slice * Float.BYTES));
        this.betaA = keep(made, gpu.allocate(slice * Float.BYTES));
        this.betaB = keep(made, gpu.allocate(slice * Float.BYTES));
        this.norm = keep(made, gpu.allocate((maxLength + 1L) * n * Float.BYTES));
        this.finalShift = keep(made, gpu.allocate((long) n * Float.BYTES));
        this.logZ = keep(made, gpu.allocate((long) n * Double.BYTES));
        this.occupancy = keep(made, gpu.allocate((long) values * Float.BYTES));
      } catch (RuntimeException e) {
        made.forEach(DeviceBuffer::close);
        throw e;
      }
    }

    private static DeviceBuffer keep(java.util.List<DeviceBuffer> made, DeviceBuffer b) {
      made.add(b);
      return b;
    }

    /** Byte offset of frame {@code t}'s alpha slice. */
    long alphaAt(int t) {
      return t * slice * Float.BYTES;
    }

    /** Waits for the queued work and copies log Z and the occupancies into the batch's arrays. */
    void download(LogProbBatch batch, double[] batchLogZ, float[] batchOccupancy) {
      stream.synchronize();
      double[] z = new double[n];
      logZ.copyTo(z);
      float[] o = new float[values];
      occupancy.copyTo(o);
      System.arraycopy(z, 0, batchLogZ, first, n);
      System.arraycopy(o, 0, batchOccupancy, batch.offset(first, 0), values);
    }

    @Override
    public void close() {
      for (DeviceBuffer b : new DeviceBuffer[] {x, lengths, alpha, betaA, betaB, norm, finalShift, logZ, occupancy}) {
        b.close();
      }
    }
  }

  /** Runs utterances [first, first+n) with den_forward_backward.cu into the batch-wide arrays. */
  private void run(LogProbBatch batch, int first, int n, double[] logZ, float[] occupancy) {
    try (SubBatch u = new SubBatch(batch, first, n)) {
      init.launch(LaunchShape.linear(u.slice), stream, KernelArgs.of().i32(n).i32(u.states).i32(graph.start()).buffer(u.alpha));
      u.norm.zero(stream);
      LaunchShape perUtterance = new LaunchShape(n, 1, 1, NORM_BLOCK, 1, 1, 0);
      LaunchShape perState = new LaunchShape((u.states + BLOCK - 1) / BLOCK, n, 1, BLOCK, 1, 1, 0);
      for (int t = 1; t <= u.maxLength; t++) {
        alphaStep.launch(perState, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).i32(u.tokens).i32(u.frames)
            .buffer(u.lengths)
            .buffer(dstStart).buffer(dstArcSrc).buffer(dstArcToken).buffer(dstArcLogProb)
            .buffer(u.x).bufferAt(u.norm, (t - 1L) * n * Float.BYTES)
            .bufferAt(u.alpha, u.alphaAt(t - 1))
            .bufferAt(u.alpha, u.alphaAt(t)));
        alphaNorm.launch(perUtterance, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).buffer(u.lengths)
            .bufferAt(u.alpha, u.alphaAt(t)).buffer(u.norm));
      }
      logz.launch(perUtterance, stream, KernelArgs.of()
          .i32(n).i32(u.states).buffer(u.lengths).buffer(u.alpha).buffer(u.norm).buffer(finalLogProb)
          .buffer(u.finalShift).buffer(u.logZ));
      u.occupancy.zero(stream);
      LaunchShape perSource = new LaunchShape((u.states + BLOCK - 1) / BLOCK, n, 1, BLOCK, 1, 1, u.tokens * Float.BYTES);
      DeviceBuffer cur = u.betaA;
      DeviceBuffer prev = u.betaB;
      for (int t = u.maxLength; t >= 1; t--) {
        betaStep.launch(perSource, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).i32(u.tokens).i32(u.frames)
            .buffer(u.lengths)
            .buffer(srcStart).buffer(srcArcDst).buffer(srcArcToken).buffer(srcArcLogProb)
            .buffer(finalLogProb).buffer(u.x).buffer(u.alpha).buffer(u.norm).buffer(u.finalShift)
            .buffer(cur).buffer(prev).buffer(u.occupancy));
        DeviceBuffer swap = cur;
        cur = prev;
        prev = swap;
      }
      u.download(batch, logZ, occupancy);
    }
  }

  /** {@link #run} with den_state_major.cu: alpha/beta [S][n], x transposed to [T][V][n] first. */
  private void runStateMajor(LogProbBatch batch, int first, int n, double[] logZ, float[] occupancy) {
    try (SubBatch u = new SubBatch(batch, first, n);
        DeviceBuffer xt = gpu.allocate((long) u.values * Float.BYTES)) {
      int groups = (n + LANES - 1) / LANES;
      transposeX.launch(LaunchShape.linear(u.values), stream,
          KernelArgs.of().i32(n).i32(u.frames).i32(u.tokens).buffer(u.x).buffer(xt));
      init.launch(LaunchShape.linear(u.slice), stream, KernelArgs.of().i32(n).i32(u.states).i32(graph.start()).buffer(u.alpha));
      long normValues = (u.maxLength + 1L) * n;
      alphaNorm.launch(LaunchShape.linear(normValues), stream, KernelArgs.of().i64(normValues).i32(n).buffer(u.norm));
      LaunchShape perGroup = new LaunchShape(groups, 1, 1, LANES, WARPS, 1, 0);
      LaunchShape perState = new LaunchShape(groups, (u.states + WARPS - 1) / WARPS, 1, LANES, WARPS, 1, 0);
      for (int t = 1; t <= u.maxLength; t++) {
        alphaStep.launch(perState, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).i32(u.tokens).buffer(u.lengths)
            .buffer(dstStart).buffer(dstArcSrc).buffer(dstArcToken).buffer(dstArcLogProb)
            .buffer(xt).buffer(u.norm)
            .bufferAt(u.alpha, u.alphaAt(t - 1))
            .bufferAt(u.alpha, u.alphaAt(t)));
      }
      logz.launch(perGroup, stream, KernelArgs.of()
          .i32(n).i32(u.states).buffer(u.lengths).buffer(u.alpha).buffer(u.norm).buffer(finalLogProb)
          .buffer(u.finalShift).buffer(u.logZ));
      u.occupancy.zero(stream);
      LaunchShape perSourceRange = new LaunchShape(groups, (u.states + STATES_PER_BLOCK - 1) / STATES_PER_BLOCK, 1,
          LANES, WARPS, 1, u.tokens * LANES * Float.BYTES);
      DeviceBuffer cur = u.betaA;
      DeviceBuffer prev = u.betaB;
      for (int t = u.maxLength; t >= 1; t--) {
        betaStep.launch(perSourceRange, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).i32(u.tokens).i32(u.frames).buffer(u.lengths)
            .buffer(srcStart).buffer(srcArcDst).buffer(srcArcToken).buffer(srcArcLogProb)
            .buffer(finalLogProb).buffer(xt).buffer(u.alpha).buffer(u.norm).buffer(u.finalShift)
            .buffer(cur).buffer(prev).buffer(u.occupancy));
        DeviceBuffer swap = cur;
        cur = prev;
        prev = swap;
      }
      u.download(batch, logZ, occupancy);
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
