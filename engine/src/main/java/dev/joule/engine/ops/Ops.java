package dev.joule.engine.ops;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * Every differentiable tensor operation, in one place. Each op computes its result and, when
 * recording is on and an input requires a gradient, records its backward rule on the tape.
 * Shape errors throw {@link ShapeMismatchException} naming both shapes.
 *
 * <p>Layouts for sequences are {@code [batch, time, channels]} throughout.
 */
public final class Ops {
  private Ops() {}

  // ---- devices ----

  /**
   * {@code x} on the GPU of {@code gpu}: a copy recorded on the tape (the gradient comes back to
   * {@code x}'s device), or {@code x} itself when it is there already. GPU tensors are float32.
   */
  public static Tensor toGpu(Tensor x, dev.joule.engine.gpu.GpuTensors gpu) {
    return DeviceCopy.toGpu(x, gpu);
  }

  /** {@code x} on the CPU: a copy recorded on the tape, or {@code x} itself. */
  public static Tensor toCpu(Tensor x) {
    return DeviceCopy.toCpu(x);
  }

  // ---- arithmetic with broadcasting ----

  public static Tensor add(Tensor a, Tensor b) {
    return Arithmetic.binary(Arithmetic.Op.ADD, a, b);
  }

  public static Tensor sub(Tensor a, Tensor b) {
    return Arithmetic.binary(Arithmetic.Op.SUB, a, b);
  }

  public static Tensor mul(Tensor a, Tensor b) {
    return Arithmetic.binary(Arithmetic.Op.MUL, a, b);
  }

  public static Tensor div(Tensor a, Tensor b) {
    return Arithmetic.binary(Arithmetic.Op.DIV, a, b);
  }

  /** {@code x + bias} with {@code bias} of shape {@code [C]} added to every {@code [.., C]} row. */
  public static Tensor biasAdd(Tensor x, Tensor bias) {
    requireBiasFor("biasAdd", x, bias);
    return add(x, bias);
  }

  public static Tensor broadcastTo(Tensor x, int... dims) {
    return Arithmetic.broadcastTo(x, Shape.of(dims));
  }

  public static Tensor neg(Tensor x) {
    return Elementwise.neg(x);
  }

  public static Tensor scale(Tensor x, double c) {
    return Elementwise.scale(x, c);
  }

  public static Tensor addScalar(Tensor x, double c) {
    return Elementwise.addScalar(x, c);
  }

  // ---- element-wise functions ----

  public static Tensor exp(Tensor x) {
    return Elementwise.exp(x);
  }

  public static Tensor log(Tensor x) {
    return Elementwise.log(x);
  }

  public static Tensor sqrt(Tensor x) {
    return Elementwise.sqrt(x);
  }

  public static Tensor pow(Tensor x, double p) {
    return Elementwise.pow(x, p);
  }

  public static Tensor square(Tensor x) {
    return Elementwise.square(x);
  }

  public static Tensor relu(Tensor x) {
    return Elementwise.relu(x);
  }

  public static Tensor sigmoid(Tensor x) {
    return Elementwise.sigmoid(x);
  }

  public static Tensor tanh(Tensor x) {
    return Elementwise.tanh(x);
  }

  /** Swish / SiLU, {@code x·σ(x)}. */
  public static Tensor silu(Tensor x) {
    return Elementwise.silu(x);
  }

  /**
   * {@code silu(biasAdd(z, bias))}: a linear layer's bias, then SiLU ({@code bias} null: no
   * bias). On a GPU the bias is added inside the activation's kernel, forward and backward, so
   * {@code z + bias} is never stored (use {@link dev.joule.engine.nn.Linear#project} for
   * {@code z}); on the CPU it is that composition.
   */
  public static Tensor siluWithBias(Tensor z, Tensor bias) {
    return siluWithBiasDropout(z, bias, 0, null);
  }

  /**
   * {@code dropout(siluWithBias(z, bias), p, random)} with the key {@link #dropout} would draw (none
   * when {@code p} is 0): a feed-forward layer's bias, activation and dropout, one kernel each way
   * on a GPU.
   */
  public static Tensor siluWithBiasDropout(Tensor z, Tensor bias, double p, Random random) {
    checkDropoutProbability(p);
    if (bias == null) {
      return dropout(silu(z), p, random);
    }
    requireBiasFor("siluWithBias", z, bias);
    long key = p == 0 ? 0 : random.nextLong();
    GpuTensors gpu = Placement.gpuOf("siluWithBias", z, bias);
    if (gpu != null) {
      GpuDropout.Mask mask = p == 0 ? GpuDropout.Mask.NONE : new GpuDropout.Mask(key, p);
      return GpuElementwise.siluWithBiasDropout(Placement.on(gpu, z), Placement.on(gpu, bias), mask);
    }
    Tensor y = silu(biasAdd(z, bias));
    return p == 0 ? y : dropout(y, key, p);
  }

  /**
   * {@code glu(biasAdd(z, bias), -1)} ({@code bias} null: no bias), fused on a GPU as
   * {@link #siluWithBias} is.
   */
  public static Tensor gluWithBias(Tensor z, Tensor bias) {
    if (bias == null) {
      return glu(z, -1);
    }
    requireBiasFor("gluWithBias", z, bias);
    if (z.dim(-1) % 2 != 0) {
      throw new ShapeMismatchException("gluWithBias", z.shape(), "the last dimension has odd size " + z.dim(-1));
    }
    GpuTensors gpu = Placement.gpuOf("gluWithBias", z, bias);
    if (gpu != null) {
      return GpuElementwise.gluLastDimension(Placement.on(gpu, z), Placement.on(gpu, bias));
    }
    return glu(biasAdd(z, bias), -1);
  }

  private static void requireBiasFor(String op, Tensor x, Tensor bias) {
    if (bias.rank() != 1 || x.rank() < 1 || bias.dim(0) != x.dim(-1)) {
      throw new ShapeMismatchException(op, x.shape(), bias.shape(), "bias must be [C] with C the last dimension of x");
    }
  }

  /** Gated linear unit along {@code dim}: first half times the sigmoid of the second half. */
  public static Tensor glu(Tensor x, int dim) {
    int n = x.shape().dim(dim);
    if (n % 2 != 0) {
      throw new ShapeMismatchException("glu", x.shape(), "dimension " + dim + " has odd size " + n);
    }
    if (x.isGpu() && x.shape().axis(dim) == x.rank() - 1) {
      return GpuElementwise.gluLastDimension(x, null);
    }
    List<Tensor> halves = Shapes.split(x, dim, n / 2, n / 2);
    return mul(halves.get(0), sigmoid(halves.get(1)));
  }

  // ---- products ----

  /** {@code [.., m, k]×[k, n]} or batched {@code [B, m, k]×[B, k, n]}. */
  public static Tensor matmul(Tensor a, Tensor b) {
    return MatMul.matmul(a, b);
  }

  /**
   * {@code x·w + bias} for {@code x [.., k]}, {@code w [k, n]} and {@code bias [n]} (or null: no
   * bias): a linear layer. On the CPU it is {@link #matmul} then {@link #biasAdd}; on a GPU one
   * node whose product accumulates onto the bias (see {@code GpuMatMul.linear}).
   */
  public static Tensor linear(Tensor x, Tensor w, Tensor bias) {
    return MatMul.linear(x, w, bias);
  }

  /**
   * {@code y ← a·x + b·y}, in place and off the tape: for running averages kept beside a model
   * (batch norm's statistics), not for values a gradient flows through. One kernel on a GPU;
   * {@code x} (copied over if it is on the host) must have {@code y}'s shape.
   */
  public static void axpby(double a, Tensor x, double b, Tensor y) {
    Arithmetic.axpby(a, x, b, y);
  }

  // ---- reductions ----

  public static Tensor sum(Tensor x) {
    return Reductions.sumAll(x);
  }

  public static Tensor sum(Tensor x, int dim, boolean keepDim) {
    return Reductions.sum(x, dim, keepDim);
  }

  public static Tensor mean(Tensor x) {
    return Reductions.meanAll(x);
  }

  public static Tensor mean(Tensor x, int dim, boolean keepDim) {
    return Reductions.mean(x, dim, keepDim);
  }

  public static Tensor max(Tensor x, int dim, boolean keepDim) {
    return Reductions.max(x, dim, keepDim);
  }

  // ---- softmax family (numerically safe) ----

  public static Tensor softmax(Tensor x, int dim) {
    return Softmax.softmax(x, dim);
  }

  public static Tensor logSoftmax(Tensor x, int dim) {
    return Softmax.logSoftmax(x, dim);
  }

  public static Tensor logSumExp(Tensor x, int dim) {
    return Softmax.logSumExp(x, dim);
  }

  // ---- layout ----

  public static Tensor reshape(Tensor x, int... dims) {
    return Shapes.reshape(x, dims);
  }

  public static Tensor permute(Tensor x, int... order) {
    return Shapes.permute(x, order);
  }

  public static Tensor transpose(Tensor x, int a, int b) {
    return Shapes.transpose(x, a, b);
  }

  public static Tensor narrow(Tensor x, int dim, int start, int length) {
    return Shapes.narrow(x, dim, start, length);
  }

  public static Tensor concat(List<Tensor> parts, int dim) {
    return Shapes.concat(parts, dim);
  }

  public static List<Tensor> split(Tensor x, int dim, int... sizes) {
    return Shapes.split(x, dim, sizes);
  }

  public static Tensor stack(List<Tensor> parts, int dim) {
    return Shapes.stack(parts, dim);
  }

  // ---- lookups, sequences ----

  /** Rows of {@code table [V, D]} for INT32 {@code ids [...]}: {@code [..., D]}. */
  public static Tensor embedding(Tensor table, Tensor ids) {
    return Gather.embedding(table, ids);
  }

  /** Sliding windows {@code [B, T, C] → [B, T', K·C]}; see {@link #conv1d}. */
  public static Tensor unfold(Tensor x, int kernel, int stride, int dilation, int padLeft, int padRight) {
    return Unfold.unfold(x, kernel, stride, dilation, padLeft, padRight);
  }

  /** Output length of {@link #unfold} and the convolutions for input length {@code t}. */
  public static int convOutputLength(int t, int kernel, int stride, int dilation, int padLeft, int padRight) {
    return Unfold.outputLength(t, kernel, stride, dilation, padLeft, padRight);
  }

  /** {@link #convOutputLength} for each of the INT32 {@code lengths}. */
  public static Tensor convOutputLengths(Tensor lengths, int kernel, int stride, int dilation, int padLeft, int padRight) {
    int[] len = lengths.toIntArray();
    int[] out = new int[len.length];
    for (int i = 0; i < len.length; i++) {
      out[i] = Unfold.outputLength(len[i], kernel, stride, dilation, padLeft, padRight);
    }
    return Tensor.ofInts(out, out.length);
  }

  /**
   * Frame stacking with subsampling: output frame {@code t} concatenates input frames
   * {@code t·stride .. t·stride+count−1} ({@code [B, T, D] → [B, T', count·D]}).
   */
  public static Tensor stackFrames(Tensor x, int count, int stride) {
    return Unfold.unfold(x, count, stride, 1, 0, 0);
  }

  /**
   * 1-D convolution (a TDNN layer when dilated): {@code x [B, T, Cin]}, {@code weight [K, Cin, Cout]},
   * optional {@code bias [Cout]}; output {@code [B, T', Cout]}.
   */
  public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int dilation, int padLeft, int padRight) {
    if (weight.rank() != 3 || x.rank() != 3 || weight.dim(1) != x.dim(2)) {
      throw new ShapeMismatchException("conv1d", x.shape(), weight.shape(), "needs x [B, T, Cin] and weight [K, Cin, Cout]");
    }
    int k = weight.dim(0);
    Tensor cols = unfold(x, k, stride, dilation, padLeft, padRight);
    Tensor y = matmul(cols, reshape(weight, k * weight.dim(1), weight.dim(2)));
    return bias == null ? y : biasAdd(y, bias);
  }

  /**
   * Depthwise 1-D convolution, one filter per channel: {@code x [B, T, C]}, {@code weight [K, C]},
   * optional {@code bias [C]}; output {@code [B, T', C]}.
   */
  public static Tensor depthwiseConv1d(Tensor x, Tensor weight, Tensor bias, int stride, int dilation, int padLeft, int padRight) {
    if (weight.rank() != 2 || x.rank() != 3 || weight.dim(1) != x.dim(2)) {
      throw new ShapeMismatchException("depthwiseConv1d", x.shape(), weight.shape(), "needs x [B, T, C] and weight [K, C]");
    }
    int k = weight.dim(0);
    int c = weight.dim(1);
    GpuTensors gpu = Placement.gpuOf("depthwiseConv1d", x, weight, bias);
    if (gpu != null) {
      Unfold.checkGeometry("depthwiseConv1d", k, stride, dilation, padLeft, padRight);
      Tensor y = GpuDepthwiseConv.conv(gpu, Placement.on(gpu, x), Placement.on(gpu, weight), stride, dilation, padLeft, padRight);
      return bias == null ? y : biasAdd(y, bias);
    }
    Tensor cols = unfold(x, k, stride, dilation, padLeft, padRight);
    Tensor windows = reshape(cols, x.dim(0), cols.dim(1), k, c);
    Tensor y = sum(mul(windows, weight), 2, false);
    return bias == null ? y : biasAdd(y, bias);
  }

  /** {@code [B, T]} mask of valid frames (1) and padding (0) from INT32 {@code lengths [B]}. */
  public static Tensor sequenceMask(Tensor lengths, int maxLength, DType dtype) {
    return Masking.sequenceMask(lengths, maxLength, dtype);
  }

  /** {@code [B, 1, T]} additive attention bias: 0 for valid keys, {@code -inf} for padding. */
  public static Tensor attentionBias(Tensor lengths, int maxLength, DType dtype) {
    return Masking.attentionBias(lengths, maxLength, dtype);
  }

  /**
   * Every head's attention scores: {@code q, k [B, T, heads·dk]} → {@code [B, heads, T, T]},
   * {@code scores[b, h, i, j] = Σ_c q[b, i, h·dk + c]·k[b, j, h·dk + c]}. See {@link Attention}.
   */
  public static Tensor headScores(Tensor q, Tensor k, int heads) {
    return Attention.scores(q, k, heads, 1);
  }

  /**
   * {@code headScores(scale(q, scale), k, heads)}, as attention scales its queries by
   * {@code 1/√dk}: on the CPU exactly that; on a GPU the scale is the products' alpha, with no pass
   * of its own forward or backward (bit for bit the same when the scale is a power of two).
   */
  public static Tensor headScores(Tensor q, Tensor k, int heads, double scale) {
    return Attention.scores(q, k, heads, scale);
  }

  /**
   * Every head's attention output in the projection layout: {@code w [B, heads, T, T]},
   * {@code v [B, T, heads·dk]} → {@code [B, T, heads·dk]},
   * {@code out[b, i, h·dk + c] = Σ_j w[b, h, i, j]·v[b, j, h·dk + c]}. See {@link Attention}.
   */
  public static Tensor headContext(Tensor w, Tensor v, int heads) {
    return Attention.context(w, v, heads);
  }

  /**
   * Multi-head self-attention over packed projections {@code qkv [B, T, 3·heads·dk]}, the queries,
   * keys and values side by side (as one input projection makes them) → the heads' context
   * {@code [B, T, heads·dk]} in {@link #headContext}'s layout:
   * {@code headContext(dropout(softmax(headScores(q, k, heads, scale) + keyBias)), v, heads)}.
   * {@code keyBias} ({@code [B, 1, 1, T]}, e.g. {@link #attentionBias}, or null: none) is a
   * constant; the dropout on the weights draws its key from {@code random} as
   * {@link #softmaxDropout} does (nothing drawn when {@code p} is 0). On the CPU it is that
   * composition; on a GPU one node that reads the three blocks in place and writes their
   * gradients into one tensor ({@code GpuAttention.selfAttention}).
   */
  public static Tensor selfAttention(Tensor qkv, int heads, double scale, Tensor keyBias, double p, Random random) {
    checkDropoutProbability(p);
    return Attention.selfAttention(qkv, heads, scale, keyBias, p, p > 0 ? random.nextLong() : 0);
  }

  /**
   * Whether INT32 {@code lengths [B]} on the host all equal the T of {@code x [B, T, ...]}: a
   * batch without padding, whose masks callers may skip. {@code false} for lengths on a GPU.
   */
  public static boolean noPadding(Tensor lengths, Tensor x) {
    return Masking.noPadding(lengths, x);
  }

  /** {@code x [B, T, ...]} with frames at or past each sequence's length zeroed. */
  public static Tensor maskByLengths(Tensor x, Tensor lengths) {
    return Masking.maskByLengths(x, lengths);
  }

  // ---- normalisation and regularisation ----

  /** Layer normalisation over the last dimension, then {@code ·gamma + beta} (both {@code [C]}). */
  public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
    dev.joule.engine.gpu.GpuTensors gpu = Placement.gpuOf("layerNorm", x, gamma, beta);
    if (gpu != null) {
      // One fused node on the GPU; gamma and beta kept on the host come over on the tape.
      return GpuNormalization.layerNorm(Placement.on(gpu, x), Placement.on(gpu, gamma), Placement.on(gpu, beta), eps);
    }
    Tensor mu = mean(x, -1, true);
    Tensor centred = sub(x, mu);
    Tensor var = mean(square(centred), -1, true);
    Tensor y = mul(centred, pow(addScalar(var, eps), -0.5));
    return add(mul(y, gamma), beta);
  }

  /**
   * What {@link #batchNormTraining} returns: the normalised output, on the tape, and the batch's
   * per-channel mean and biased variance, off the tape (for running averages).
   */
  public record BatchNormed(Tensor output, Tensor mean, Tensor variance) {}

  /**
   * Batch normalisation in training mode of {@code x [N, C]} over its rows with the batch's mean
   * and biased variance, then {@code ·gamma + beta} (both {@code [C]}). On the CPU it is composed
   * of means and element-wise ops (the reference); on a GPU it is one fused node
   * ({@code native/cuda/batch_norm.cu}).
   */
  public static BatchNormed batchNormTraining(Tensor x, Tensor gamma, Tensor beta, double eps) {
    if (x.rank() != 2) {
      throw new ShapeMismatchException("batchNorm", x.shape(), "needs [N, C]");
    }
    int c = x.dim(1);
    if (gamma.rank() != 1 || gamma.dim(0) != c || beta.rank() != 1 || beta.dim(0) != c) {
      throw new ShapeMismatchException(
          "batchNorm", x.shape(), gamma.shape(), "gamma and beta must be [C] with C the last dimension of x; beta is " + beta.shape());
    }
    Arithmetic.requireFloating("batchNorm", x, gamma, beta);
    GpuTensors gpu = Placement.gpuOf("batchNorm", x, gamma, beta);
    if (gpu != null && x.dim(0) > 0 && c > 0) {
      return GpuNormalization.batchNormTraining(Placement.on(gpu, x), Placement.on(gpu, gamma), Placement.on(gpu, beta), eps);
    }
    Tensor mu = mean(x, 0, false);
    Tensor centred = sub(x, mu);
    Tensor var = mean(square(centred), 0, false);
    return new BatchNormed(scaleShiftCentred(centred, var, gamma, beta, eps), mu.detach(), var.detach());
  }

  /**
   * Batch normalisation with given statistics, as in evaluation mode: {@code (x − mean) /
   * √(variance + eps) · gamma + beta} for {@code x [N, C]} and the rest {@code [C]}; composed of
   * element-wise ops on either device.
   */
  public static Tensor batchNormInference(Tensor x, Tensor mean, Tensor variance, Tensor gamma, Tensor beta, double eps) {
    return scaleShiftCentred(sub(x, mean), variance, gamma, beta, eps);
  }

  /** {@code centred / √(variance + eps) · gamma + beta}: batch norm's output in both modes. */
  private static Tensor scaleShiftCentred(Tensor centred, Tensor variance, Tensor gamma, Tensor beta, double eps) {
    return add(mul(mul(centred, pow(addScalar(variance, eps), -0.5)), gamma), beta);
  }

  /**
   * Inverted dropout: zeroes each element with probability {@code p} and scales the rest by
   * {@code 1/(1−p)}. The mask is a function of one number drawn from {@code random}
   * ({@link DropoutMask}), so a seeded generator repeats it, and a GPU tensor gets the same mask,
   * made in the kernel.
   */
  public static Tensor dropout(Tensor x, double p, Random random) {
    checkDropoutProbability(p);
    if (p == 0) {
      return x;
    }
    // One draw per call; the mask is a function of it (DropoutMask), the same on either device.
    return dropout(x, random.nextLong(), p);
  }

  private static void checkDropoutProbability(double p) {
    if (p < 0 || p >= 1) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1); got " + p);
    }
  }

  /** Dropout with the mask of {@code key}. */
  static Tensor dropout(Tensor x, long key, double p) {
    if (x.isGpu()) {
      return GpuDropout.dropout(x, key, p);
    }
    return mul(x, Tensor.wrap(DropoutMask.values(key, x.size(), p), x.shape(), x.dtype()));
  }

  /**
   * {@code x + alpha·dropout(branch, p, random)}: a residual connection around a branch that ends
   * in dropout, with the mask {@link #dropout} would draw from {@code random}. On a GPU it is one
   * fused kernel each way ({@code joule_residual_dropout_f32}), which saves two passes over the
   * activations forward and one backward; elsewhere, and when the two are not alike GPU tensors,
   * it is that composition.
   */
  public static Tensor residualDropout(Tensor x, Tensor branch, double alpha, double p, Random random) {
    return residualDropout(x, branch, null, alpha, p, random);
  }

  /**
   * {@code x + alpha·dropout(biasAdd(branch, bias), p, random)} ({@code bias} null: none), for a
   * branch whose last linear layer's bias is added here (use {@code linear(h, w, null)} for the
   * branch): on a GPU in the same single pass.
   */
  public static Tensor residualDropout(Tensor x, Tensor branch, Tensor bias, double alpha, double p, Random random) {
    checkDropoutProbability(p);
    if (bias != null) {
      requireBiasFor("residualDropout", branch, bias);
    }
    if (p == 0) {
      return plusScaled(x, bias == null ? branch : biasAdd(branch, bias), alpha);
    }
    long key = random.nextLong();
    GpuTensors gpu = Placement.gpuOf("residualDropout", x, branch, bias);
    if (gpu != null && x.shape().equals(branch.shape()) && x.size() > 0) {
      return GpuDropout.residualDropout(Placement.on(gpu, x), Placement.on(gpu, branch), Placement.on(gpu, bias), alpha,
          key, p);
    }
    return plusScaled(x, dropout(bias == null ? branch : biasAdd(branch, bias), key, p), alpha);
  }

  /** {@code x + alpha·t}, without a scale when {@code alpha} is 1. */
  private static Tensor plusScaled(Tensor x, Tensor t, double alpha) {
    return add(x, alpha == 1 ? t : scale(t, alpha));
  }


  /**
   * {@code dropout(softmax(x, dim), p, random)}, attention weights with dropout: one key drawn
   * from {@code random}, as {@link #dropout} draws it, so both spellings drop the same elements.
   * On a GPU, along the last dimension, it is one fused kernel each way
   * ({@code native/cuda/dropout.cu}), which saves two passes over the weights.
   */
  public static Tensor softmaxDropout(Tensor x, int dim, double p, Random random) {
    checkDropoutProbability(p);
    if (p == 0) {
      return softmax(x, dim);
    }
    long key = random.nextLong();
    if (x.isGpu() && x.size() > 0 && x.shape().axis(dim) == x.rank() - 1) {
      return GpuDropout.softmaxDropout(x, key, p);
    }
    return dropout(softmax(x, dim), key, p);
  }

  // ---- fused recurrent layer ----

  /**
   * One LSTM direction over a padded batch; see {@link LstmCell}. {@code inputProj [B, T, 4H]} is
   * {@code x·W_ih + b} (gate order i, f, g, o), {@code whh [H, 4H]}; returns {@code [B, T, H]}.
   */
  public static Tensor lstm(Tensor inputProj, Tensor whh, Tensor lengths, boolean reverse) {
    return LstmCell.forward(inputProj, whh, lengths, reverse);
  }
}
