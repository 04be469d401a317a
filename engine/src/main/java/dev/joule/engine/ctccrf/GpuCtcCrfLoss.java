package dev.joule.engine.ctccrf;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.Kernel;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.gpu.LaunchShape;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * The CTC-CRF loss ({@link CtcCrfLoss}, same definition and skipping rules) of log-probs that
 * live on a GPU, with every {@code [batch, frames, tokens]} array kept in device memory: the
 * numerator and denominator forward-backwards read the network's output where it is, and the
 * loss and its gradient are combined by {@code native/cuda/ctc_crf_loss.cu}. Everything is queued
 * on the tensors' stream and nothing is read back, so a training step's backward pass is queued
 * straight after its forward pass. The host reads back only the per-utterance status and losses
 * ({@code 2 × batch} small values), and only when {@link Queued#summary()} asks for them.
 *
 * <p>The lengths and labels are host arrays (the data loader's), uploaded in the stream's order.
 * They are small, but from pageable Java memory, which CUDA allows the driver to stage by waiting
 * for the stream; {@code CtcCrfLossBenchmark} measures whether it does.
 * Input the CPU path refuses before computing (a NaN or +∞ log-probability within an utterance's
 * length, see {@link LogProbBatch}) is detected on the device and refused when the summary is
 * read; such a batch gets zero gradient in the meantime.
 *
 * <p>Not thread-safe: one instance per tensor context, used from the thread that issues its ops.
 */
public final class GpuCtcCrfLoss {
  /** Per-utterance status codes, as in {@code ctc_crf_loss.cu}. */
  private static final int SCORED = 0;
  private static final int SKIPPED = 1;
  private static final int INVALID = 2;
  /** Threads scanning one utterance's log-probs for bad values. */
  private static final int STATUS_BLOCK = 256;

  private final GpuTensors context;
  private final GpuDenominator denominator;
  private final GpuCtcNumerator numerator;
  private final double lambda;
  private final boolean skipForbiddenLabels;
  private final Kernel status;
  private final Kernel total;
  private final Kernel gradient;

  /**
   * @param denominator the den graph's forward-backward, queued on {@code context}'s stream (not
   *     closed by this class: its owner may also use it on host batches)
   * @param skipForbiddenLabels as in {@link CtcCrfLoss#CtcCrfLoss(ForwardBackward, double, boolean)}
   */
  public GpuCtcCrfLoss(GpuTensors context, GpuDenominator denominator, double lambda, boolean skipForbiddenLabels) {
    CtcCrfLoss.checkLambda(lambda);
    if (denominator.stream() != context.stream()) {
      throw new IllegalArgumentException("the denominator must queue its work on the tensors' stream");
    }
    this.context = context;
    this.denominator = denominator;
    this.numerator = new GpuCtcNumerator(context.device(), context.stream());
    this.lambda = lambda;
    this.skipForbiddenLabels = skipForbiddenLabels;
    this.status = context.kernel("ctc_crf_loss", "joule_ctccrf_status");
    this.total = context.kernel("ctc_crf_loss", "joule_ctccrf_total");
    this.gradient = context.kernel("ctc_crf_loss", "joule_ctccrf_gradient");
  }

  public GpuCtcCrfLoss(GpuTensors context, GpuDenominator denominator, double lambda) {
    this(context, denominator, lambda, false);
  }

  /** The den graph the loss normalises over. */
  public DenGraph graph() {
    return denominator.graph();
  }

  /**
   * Queues the loss of a batch.
   *
   * @param logProbs log-softmax output {@code [batch, frames, tokens]}, FLOAT32 on this context's GPU
   * @param lengths valid frames per utterance, each in {@code 1..frames}
   * @param labels token ids 1..V−1 per utterance
   * @param ids utterance ids, for reports
   */
  public Queued queue(Tensor logProbs, int[] lengths, int[][] labels, String[] ids) {
    if (!logProbs.isGpu() || logProbs.gpuContext() != context) {
      throw new IllegalArgumentException("the GPU CTC-CRF loss needs log-probs on " + context.device()
          + "; they are on " + logProbs.device());
    }
    if (logProbs.rank() != 3 || logProbs.dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException(
          "CTC-CRF loss needs FLOAT32 log-probs of shape [batch, frames, tokens]; got " + logProbs.dtype() + " " + logProbs.shape());
    }
    int batch = logProbs.dim(0);
    int frames = logProbs.dim(1);
    int tokens = logProbs.dim(2);
    LogProbBatch.checkShape(batch, frames, tokens, lengths);
    denominator.checkTokens(tokens);
    CtcNumerator.validateLabels(batch, tokens, labels);
    if (ids.length != batch) {
      throw new IllegalArgumentException(ids.length + " ids for a batch of " + batch);
    }
    int[] allowed = new int[batch];
    for (int b = 0; b < batch; b++) {
      allowed[b] = !skipForbiddenLabels || denominator.graph().accepts(labels[b]) ? 1 : 0;
    }
    GpuCtcNumerator.PaddedLabels padded = GpuCtcNumerator.PaddedLabels.of(labels);
    long values = (long) batch * frames * tokens;
    // Host arrays go up in the stream's order (GpuTensors.upload): a block the caching
    // allocator hands out again may still be read by kernels queued before.
    GpuStorage deviceLengths = context.upload(lengths);
    GpuStorage deviceAllowed = context.upload(allowed);
    GpuStorage labelLengths = context.upload(padded.lengths());
    GpuStorage deviceLabels = context.upload(padded.padded());
    GpuStorage grad = context.allocate(GpuStorage.Kind.FLOAT32, values);
    GpuStorage statuses = context.allocate(GpuStorage.Kind.INT32, batch);
    // Storage counts 4-byte elements; the float64 losses take two each.
    GpuStorage losses = context.allocate(GpuStorage.Kind.FLOAT32, 2L * batch);
    GpuStorage sum = context.allocate(GpuStorage.Kind.FLOAT32, 1);
    DeviceBuffer x = logProbs.gpuStorage().buffer();
    long xAt = (long) logProbs.offset() * Float.BYTES;
    double scale = 1 + lambda;
    GpuDevice gpu = context.device();
    // Scratch goes back to the caching allocator when the work is queued; later users of a block
    // queue on the same stream, after the kernels reading it.
    try (DeviceBuffer numLogp = gpu.allocate((long) batch * Float.BYTES);
        DeviceBuffer numOccupancy = gpu.allocate(values * Float.BYTES);
        DeviceBuffer denLogZ = gpu.allocate((long) batch * Double.BYTES);
        DeviceBuffer denOccupancy = gpu.allocate(values * Float.BYTES)) {
      numerator.queue(batch, frames, tokens, padded.maxLabels(), x, xAt, deviceLengths.buffer(), labelLengths.buffer(),
          deviceLabels.buffer(), numLogp, numOccupancy);
      denominator.queue(x, xAt, deviceLengths.buffer(), lengths, frames, tokens, denLogZ, denOccupancy);
      status.launch(new LaunchShape(batch, 1, 1, STATUS_BLOCK, 1, 1, 0), context.stream(), KernelArgs.of()
          .i32(batch).i32(frames).i32(tokens).f64(scale)
          .buffer(deviceLengths.buffer()).buffer(deviceAllowed.buffer())
          .bufferAt(x, xAt).buffer(numLogp).buffer(denLogZ)
          .buffer(statuses.buffer()).buffer(losses.buffer()));
      total.launch(new LaunchShape(1, 1, 1, 1, 1, 1, 0), context.stream(), KernelArgs.of()
          .i32(batch).buffer(statuses.buffer()).buffer(losses.buffer()).buffer(sum.buffer()));
      context.launchLinear(gradient, values, KernelArgs.of()
          .i64(values).i32(frames).i32(tokens).f64(scale)
          .buffer(deviceLengths.buffer()).buffer(statuses.buffer())
          .buffer(denOccupancy).buffer(numOccupancy).buffer(grad.buffer()));
    } finally {
      // An allocation above that finds the device full collects unreachable tensors: the uploads
      // must stay reachable until their last launch has been queued.
      Reference.reachabilityFence(deviceLengths);
      Reference.reachabilityFence(deviceAllowed);
      Reference.reachabilityFence(labelLengths);
      Reference.reachabilityFence(deviceLabels);
      Reference.reachabilityFence(logProbs);
    }
    return new Queued(Tensor.onGpu(sum, 0, Shape.scalar(), DType.FLOAT32),
        Tensor.onGpu(grad, 0, Shape.of(batch, frames, tokens), DType.FLOAT32), statuses, losses, lengths.clone(),
        ids.clone());
  }

  /** A batch's loss as queued on the device. */
  public static final class Queued {
    private final Tensor total;
    private final Tensor gradient;
    private final GpuStorage statuses;
    private final GpuStorage losses;
    private final int[] lengths;
    private final String[] ids;
    private CtcCrfLoss.Summary summary;

    private Queued(Tensor total, Tensor gradient, GpuStorage statuses, GpuStorage losses, int[] lengths, String[] ids) {
      this.total = total;
      this.gradient = gradient;
      this.statuses = statuses;
      this.losses = losses;
      this.lengths = lengths;
      this.ids = ids;
    }

    /** The summed loss over scored utterances, a FLOAT32 scalar on the GPU (not read back). */
    public Tensor total() {
      return total;
    }

    /** ∂total/∂logProbs, {@code [batch, frames, tokens]} on the GPU (0 on padding and skipped utterances). */
    public Tensor gradient() {
      return gradient;
    }

    /**
     * The per-utterance losses, their float64 sum, the skipped ids and the scored frames; waits
     * for the GPU the first time. Read it before the {@link GpuTensors#step()} it was queued in
     * closes.
     *
     * @throws NonFiniteLogProbsException when a log-probability within some utterance's length
     *     was NaN or +∞ (the utterances are named)
     */
    public CtcCrfLoss.Summary summary() {
      if (summary == null) {
        summary = download();
      }
      return summary;
    }

    private CtcCrfLoss.Summary download() {
      int batch = lengths.length;
      int[] status = statuses.downloadInts(0, batch);
      double[] perUtterance = losses.downloadDoubles(batch);
      List<String> skipped = new ArrayList<>();
      List<String> invalid = new ArrayList<>();
      double sum = 0;
      long frames = 0;
      for (int b = 0; b < batch; b++) {
        if (status[b] == SCORED) {
          sum += perUtterance[b];
          frames += lengths[b];
        } else if (status[b] == SKIPPED) {
          skipped.add(ids[b]);
        } else if (status[b] == INVALID) {
          invalid.add(ids[b]);
        } else {
          throw new IllegalStateException("utterance " + ids[b] + ": unknown loss status " + status[b]);
        }
      }
      if (!invalid.isEmpty()) {
        throw new NonFiniteLogProbsException(invalid, "log-probabilities within the length of utterance(s) " + invalid
            + " include NaN or +∞; the CTC-CRF loss needs finite log-probs (or −∞)");
      }
      CtcCrfLoss.warnSkipped(skipped);
      return new CtcCrfLoss.Summary(perUtterance, sum, List.copyOf(skipped), frames);
    }
  }
}
