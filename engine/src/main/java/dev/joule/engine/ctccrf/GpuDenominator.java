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
 * {@code native/cuda/den_state_major.cu} or {@code den_forward_backward.cu} (their headers
 * document the design). Same contract as {@link Denominator}, computed in float32 log space; the
 * graph is uploaded once. {@link #compute} takes and returns host arrays; {@link #queue} is the
 * device-resident form the training loss uses ({@link GpuCtcCrfLoss}): inputs and outputs stay in
 * device memory and nothing waits for the queued kernels. The launch sequences are mirrored by the
 * kernels' host-emulation test ({@code native/cuda/emulation/denominator_test.cc}); change both.
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

  /** The stream the work is queued on. */
  CudaStream stream() {
    return stream;
  }

  @Override
  public DenGraph graph() {
    return graph;
  }

  @Override
  public SequencePosteriors compute(LogProbBatch x) {
    checkTokens(x.tokens());
    int batch = x.batch();
    // The uploads below go through the legacy stream, which is not ordered after this stream:
    // blocks the cache hands out must not still be read by work queued here.
    stream.synchronize();
    try (DeviceBuffer dx = gpu.upload(x.data());
        DeviceBuffer dLengths = gpu.upload(x.lengths());
        DeviceBuffer dLogZ = gpu.allocate((long) batch * Double.BYTES);
        DeviceBuffer dOccupancy = gpu.allocate((long) x.data().length * Float.BYTES)) {
      queue(dx, 0, dLengths, x.lengths(), x.maxFrames(), x.tokens(), dLogZ, dOccupancy);
      stream.synchronize();
      double[] logZ = new double[batch];
      dLogZ.copyTo(logZ);
      float[] occupancy = new float[x.data().length];
      dOccupancy.copyTo(occupancy);
      return new SequencePosteriors(logZ, occupancy);
    }
  }

  /**
   * The device-resident form of {@link #compute}, queued on the stream without waiting for it.
   *
   * @param x log-probs {@code [batch, frames, tokens]} float32 from byte {@code xByteOffset} of
   *     its buffer; frames past an utterance's length are not used
   * @param lengths {@code [batch]} int32 on the device
   * @param hostLengths the same lengths on the host, each in {@code 1..frames}: they set how many
   *     frame steps each sub-batch runs and so must be known when the work is queued
   * @param logZ {@code [batch]} float64, overwritten with log Z (−∞ where no path exists)
   * @param occupancy {@code [batch, frames, tokens]} float32, overwritten with the occupancies
   *     (0 on padding frames)
   */
  public void queue(DeviceBuffer x, long xByteOffset, DeviceBuffer lengths, int[] hostLengths, int frames, int tokens,
      DeviceBuffer logZ, DeviceBuffer occupancy) {
    checkTokens(tokens);
    int batch = hostLengths.length;
    LogProbBatch.checkShape(batch, frames, tokens, hostLengths);
    long values = (long) batch * frames * tokens;
    x.requireBytes(xByteOffset + values * Float.BYTES, "log-probs");
    lengths.requireBytes((long) batch * Integer.BYTES, "lengths");
    logZ.requireBytes((long) batch * Double.BYTES, "log Z");
    occupancy.requireBytes(values * Float.BYTES, "occupancy");
    long perUtterance = (long) (frames + 1) * graph.numStates() * Float.BYTES;
    int chunk = (int) Math.max(1, Math.min(batch, alphaBudgetBytes / perUtterance));
    // Sub-batches write disjoint parts of the occupancy and leave padding frames alone.
    occupancy.zero(stream);
    BatchBuffers buffers = new BatchBuffers(x, xByteOffset, lengths, frames, tokens, logZ, occupancy);
    for (int first = 0; first < batch; first += chunk) {
      int n = Math.min(chunk, batch - first);
      if (layout == Layout.STATE_MAJOR) {
        runStateMajor(buffers, hostLengths, first, n);
      } else {
        run(buffers, hostLengths, first, n);
      }
    }
  }

  /** Refuses log-probs over another token set than the graph's. */
  void checkTokens(int tokens) {
    if (tokens != graph.numTokens()) {
      throw new IllegalArgumentException("log-probs have " + tokens + " tokens; the den graph has " + graph.numTokens());
    }
  }

  /** The whole batch's device inputs and outputs, which sub-batches address at offsets. */
  private record BatchBuffers(DeviceBuffer x, long xByteOffset, DeviceBuffer lengths, int frames, int tokens,
      DeviceBuffer logZ, DeviceBuffer occupancy) {}

  /**
   * One sub-batch, utterances [first, first+n): where its inputs and outputs start in the
   * batch's buffers, and its own scratch (alpha for every frame, two beta frames, the per-frame
   * normalisers and the final-weight shifts).
   */
  private final class SubBatch implements AutoCloseable {
    final int n;
    final int states = graph.numStates();
    final int tokens;
    final int frames;
    final int values;
    final int maxLength;
    final long slice;
    final BatchBuffers buffers;
    /** Byte offsets of the sub-batch's first utterance in x (and occupancy), lengths and logZ. */
    final long xAt;
    final long occupancyAt;
    final long lengthsAt;
    final long logZAt;
    final DeviceBuffer alpha;
    final DeviceBuffer betaA;
    final DeviceBuffer betaB;
    final DeviceBuffer norm;
    final DeviceBuffer finalShift;

    SubBatch(BatchBuffers buffers, int[] hostLengths, int first, int n) {
      this.buffers = buffers;
      this.n = n;
      this.tokens = buffers.tokens();
      this.frames = buffers.frames();
      this.values = n * frames * tokens;
      this.maxLength = java.util.Arrays.stream(hostLengths, first, first + n).max().orElseThrow();
      this.slice = (long) n * states;
      this.occupancyAt = (long) first * frames * tokens * Float.BYTES;
      this.xAt = buffers.xByteOffset() + occupancyAt;
      this.lengthsAt = (long) first * Integer.BYTES;
      this.logZAt = (long) first * Double.BYTES;
      // Out of memory half-way must not strand what was already allocated.
      java.util.List<DeviceBuffer> made = new java.util.ArrayList<>();
      try {
        this.alpha = keep(made, gpu.allocate((maxLength + 1L) * slice * Float.BYTES));
        this.betaA = keep(made, gpu.allocate(slice * Float.BYTES));
        this.betaB = keep(made, gpu.allocate(slice * Float.BYTES));
        this.norm = keep(made, gpu.allocate((maxLength + 1L) * n * Float.BYTES));
        this.finalShift = keep(made, gpu.allocate((long) n * Float.BYTES));
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

    /**
     * Scratch goes back to the caching allocator at once: later work on this stream runs after
     * the kernels queued with it, so the blocks cannot be overwritten while still being read.
     */
    @Override
    public void close() {
      for (DeviceBuffer b : new DeviceBuffer[] {alpha, betaA, betaB, norm, finalShift}) {
        b.close();
      }
    }
  }

  /** Queues utterances [first, first+n) with den_forward_backward.cu. */
  private void run(BatchBuffers batch, int[] hostLengths, int first, int n) {
    try (SubBatch u = new SubBatch(batch, hostLengths, first, n)) {
      DeviceBuffer x = batch.x();
      DeviceBuffer lengths = batch.lengths();
      init.launch(LaunchShape.linear(u.slice), stream, KernelArgs.of().i32(n).i32(u.states).i32(graph.start()).buffer(u.alpha));
      u.norm.zero(stream);
      LaunchShape perUtterance = new LaunchShape(n, 1, 1, NORM_BLOCK, 1, 1, 0);
      LaunchShape perState = new LaunchShape((u.states + BLOCK - 1) / BLOCK, n, 1, BLOCK, 1, 1, 0);
      for (int t = 1; t <= u.maxLength; t++) {
        alphaStep.launch(perState, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).i32(u.tokens).i32(u.frames)
            .bufferAt(lengths, u.lengthsAt)
            .buffer(dstStart).buffer(dstArcSrc).buffer(dstArcToken).buffer(dstArcLogProb)
            .bufferAt(x, u.xAt).bufferAt(u.norm, (t - 1L) * n * Float.BYTES)
            .bufferAt(u.alpha, u.alphaAt(t - 1))
            .bufferAt(u.alpha, u.alphaAt(t)));
        alphaNorm.launch(perUtterance, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).bufferAt(lengths, u.lengthsAt)
            .bufferAt(u.alpha, u.alphaAt(t)).buffer(u.norm));
      }
      logz.launch(perUtterance, stream, KernelArgs.of()
          .i32(n).i32(u.states).bufferAt(lengths, u.lengthsAt).buffer(u.alpha).buffer(u.norm).buffer(finalLogProb)
          .buffer(u.finalShift).bufferAt(batch.logZ(), u.logZAt));
      LaunchShape perSource = new LaunchShape((u.states + BLOCK - 1) / BLOCK, n, 1, BLOCK, 1, 1, u.tokens * Float.BYTES);
      DeviceBuffer cur = u.betaA;
      DeviceBuffer prev = u.betaB;
      for (int t = u.maxLength; t >= 1; t--) {
        betaStep.launch(perSource, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).i32(u.tokens).i32(u.frames)
            .bufferAt(lengths, u.lengthsAt)
            .buffer(srcStart).buffer(srcArcDst).buffer(srcArcToken).buffer(srcArcLogProb)
            .buffer(finalLogProb).bufferAt(x, u.xAt).buffer(u.alpha).buffer(u.norm).buffer(u.finalShift)
            .buffer(cur).buffer(prev).bufferAt(batch.occupancy(), u.occupancyAt));
        DeviceBuffer swap = cur;
        cur = prev;
        prev = swap;
      }
    }
  }

  /** {@link #run} with den_state_major.cu: alpha/beta [S][n], x transposed to [T][V][n] first. */
  private void runStateMajor(BatchBuffers batch, int[] hostLengths, int first, int n) {
    try (SubBatch u = new SubBatch(batch, hostLengths, first, n);
        DeviceBuffer xt = gpu.allocate((long) u.values * Float.BYTES)) {
      DeviceBuffer lengths = batch.lengths();
      int groups = (n + LANES - 1) / LANES;
      transposeX.launch(LaunchShape.linear(u.values), stream,
          KernelArgs.of().i32(n).i32(u.frames).i32(u.tokens).bufferAt(batch.x(), u.xAt).buffer(xt));
      init.launch(LaunchShape.linear(u.slice), stream, KernelArgs.of().i32(n).i32(u.states).i32(graph.start()).buffer(u.alpha));
      long normValues = (u.maxLength + 1L) * n;
      alphaNorm.launch(LaunchShape.linear(normValues), stream, KernelArgs.of().i64(normValues).i32(n).buffer(u.norm));
      LaunchShape perGroup = new LaunchShape(groups, 1, 1, LANES, WARPS, 1, 0);
      LaunchShape perState = new LaunchShape(groups, (u.states + WARPS - 1) / WARPS, 1, LANES, WARPS, 1, 0);
      for (int t = 1; t <= u.maxLength; t++) {
        alphaStep.launch(perState, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).i32(u.tokens).bufferAt(lengths, u.lengthsAt)
            .buffer(dstStart).buffer(dstArcSrc).buffer(dstArcToken).buffer(dstArcLogProb)
            .buffer(xt).buffer(u.norm)
            .bufferAt(u.alpha, u.alphaAt(t - 1))
            .bufferAt(u.alpha, u.alphaAt(t)));
      }
      logz.launch(perGroup, stream, KernelArgs.of()
          .i32(n).i32(u.states).bufferAt(lengths, u.lengthsAt).buffer(u.alpha).buffer(u.norm).buffer(finalLogProb)
          .buffer(u.finalShift).bufferAt(batch.logZ(), u.logZAt));
      LaunchShape perSourceRange = new LaunchShape(groups, (u.states + STATES_PER_BLOCK - 1) / STATES_PER_BLOCK, 1,
          LANES, WARPS, 1, u.tokens * LANES * Float.BYTES);
      DeviceBuffer cur = u.betaA;
      DeviceBuffer prev = u.betaB;
      for (int t = u.maxLength; t >= 1; t--) {
        betaStep.launch(perSourceRange, stream, KernelArgs.of()
            .i32(t).i32(n).i32(u.states).i32(u.tokens).i32(u.frames).bufferAt(lengths, u.lengthsAt)
            .buffer(srcStart).buffer(srcArcDst).buffer(srcArcToken).buffer(srcArcLogProb)
            .buffer(finalLogProb).buffer(xt).buffer(u.alpha).buffer(u.norm).buffer(u.finalShift)
            .buffer(cur).buffer(prev).bufferAt(batch.occupancy(), u.occupancyAt));
        DeviceBuffer swap = cur;
        cur = prev;
        prev = swap;
      }
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
