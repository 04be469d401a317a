package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.cpu.CpuDgemm;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;

/**
 * One direction of an LSTM over a padded batch, fused into a single tape node (as cuDNN does):
 * the forward keeps the gate activations and cell states of every step and the backward runs
 * back-propagation through time by hand, instead of recording a dozen small ops per frame.
 *
 * <p>Packed by lengths: sequence {@code b} runs for {@code lengths[b]} steps; frames past its
 * end produce 0 and leave its state untouched. In reverse, sequence {@code b} starts at its own
 * last frame {@code lengths[b]−1}, so padding never leaks into the backward direction.
 *
 * <p>Gates, in order i, f, g, o: {@code z = x·W_ih + b + h·W_hh};
 * {@code c' = σ(f)·c + σ(i)·tanh(g)}; {@code h' = σ(o)·tanh(c')}. Initial states are 0.
 *
 * <p>The recurrent products run in the precision of the result's type ({@link Gemm}); for FLOAT32
 * the recurrent weight is narrowed to float32 once per pass, not once per step. Operands on a GPU
 * run there, on the fused kernels of {@code lstm.cu} ({@link GpuLstm}).
 */
final class LstmCell {
  private LstmCell() {}

  static Tensor forward(Tensor inputProj, Tensor whh, Tensor lengths, boolean reverse) {
    Arithmetic.requireFloating("lstm", inputProj, whh);
    if (inputProj.rank() != 3 || whh.rank() != 2 || whh.dim(1) != 4 * whh.dim(0) || inputProj.dim(2) != whh.dim(1)) {
      throw new ShapeMismatchException(
          "lstm", inputProj.shape(), whh.shape(), "needs input projection [B, T, 4H] and recurrent weight [H, 4H]");
    }
    int batch = inputProj.dim(0);
    int steps = inputProj.dim(1);
    int h = whh.dim(0);
    int g4 = 4 * h;
    GpuTensors gpu = Placement.gpuOf("lstm", inputProj, whh, lengths);
    if (gpu != null) {
      return GpuLstm.forward(gpu, Placement.on(gpu, inputProj), Placement.on(gpu, whh), lengths, reverse);
    }
    int[] len = Masking.lengths(lengths, steps);
    if (len.length != batch) {
      throw new ShapeMismatchException("lstm", inputProj.shape(), lengths.shape(), "one length per sequence needed");
    }
    DType type = DType.promote(inputProj.dtype(), whh.dtype());
    double[] xp = inputProj.values();
    double[] w = whh.values();
    float[] w32 = type == DType.FLOAT32 ? Gemm.toFloat32(w, 0, w.length) : null;
    double[] gates = new double[steps * batch * g4];
    double[] hPrev = new double[steps * batch * h];
    double[] cPrev = new double[steps * batch * h];
    double[] cNew = new double[steps * batch * h];
    double[] out = new double[batch * steps * h];
    double[] hState = new double[batch * h];
    double[] cState = new double[batch * h];
    double[] pre = new double[batch * g4];
    for (int s = 0; s < steps; s++) {
      System.arraycopy(hState, 0, hPrev, s * batch * h, batch * h);
      System.arraycopy(cState, 0, cPrev, s * batch * h, batch * h);
      stepProduct(batch, g4, h, hState, w, w32, pre);
      for (int b = 0; b < batch; b++) {
        int at = (s * batch + b) * h;
        if (s >= len[b]) {
          System.arraycopy(cState, b * h, cNew, at, h);
          continue;
        }
        int t = reverse ? len[b] - 1 - s : s;
        int x = (b * steps + t) * g4;
        int z = (s * batch + b) * g4;
        for (int j = 0; j < h; j++) {
          double gi = Elementwise.sigmoid(pre[b * g4 + j] + xp[x + j]);
          double gf = Elementwise.sigmoid(pre[b * g4 + h + j] + xp[x + h + j]);
          double gg = Math.tanh(pre[b * g4 + 2 * h + j] + xp[x + 2 * h + j]);
          double go = Elementwise.sigmoid(pre[b * g4 + 3 * h + j] + xp[x + 3 * h + j]);
          gates[z + j] = gi;
          gates[z + h + j] = gf;
          gates[z + 2 * h + j] = gg;
          gates[z + 3 * h + j] = go;
          double c = gf * cState[b * h + j] + gi * gg;
          cState[b * h + j] = c;
          cNew[at + j] = c;
          double hv = go * Math.tanh(c);
          hState[b * h + j] = hv;
          out[(b * steps + t) * h + j] = hv;
        }
      }
    }
    Tensor y = Tensor.wrap(out, Shape.of(batch, steps, h), type);
    Shape xs = inputProj.shape();
    Shape ws = whh.shape();
    return Autograd.record(
        y,
        reverse ? "lstmReverse" : "lstm",
        grad -> {
          double[] dout = grad.values();
          DType gradType = DType.promote(type, grad.dtype());
          double[] dxp = new double[xs.size()];
          double[] dw = new double[ws.size()];
          double[] dh = new double[batch * h];
          double[] dc = new double[batch * h];
          // Gate gradients of every step, so dW_hh is one large product at the end rather than
          // a rank-B update of the whole matrix per step.
          double[] dzAll = new double[steps * batch * g4];
          double[] dz = new double[batch * g4];
          double[] dhPrev = new double[batch * h];
          // W_hh transposed once, not once per step inside the GEMM.
          double[] wT = new double[g4 * h];
          for (int i = 0; i < h; i++) {
            for (int j = 0; j < g4; j++) {
              wT[j * h + i] = w[i * g4 + j];
            }
          }
          float[] wT32 = gradType == DType.FLOAT32 ? Gemm.toFloat32(wT, 0, wT.length) : null;
          for (int s = steps - 1; s >= 0; s--) {
            java.util.Arrays.fill(dz, 0);
            for (int b = 0; b < batch; b++) {
              if (s >= len[b]) {
                continue;
              }
              int t = reverse ? len[b] - 1 - s : s;
              int at = (s * batch + b) * h;
              int z = (s * batch + b) * g4;
              int x = (b * steps + t) * g4;
              for (int j = 0; j < h; j++) {
                double gi = gates[z + j];
                double gf = gates[z + h + j];
                double gg = gates[z + 2 * h + j];
                double go = gates[z + 3 * h + j];
                double tc = Math.tanh(cNew[at + j]);
                double dhj = dout[(b * steps + t) * h + j] + dh[b * h + j];
                double dcj = dc[b * h + j] + dhj * go * (1 - tc * tc);
                double di = dcj * gg * gi * (1 - gi);
                double df = dcj * cPrev[at + j] * gf * (1 - gf);
                double dg = dcj * gi * (1 - gg * gg);
                double dO = dhj * tc * go * (1 - go);
                dz[b * g4 + j] = di;
                dz[b * g4 + h + j] = df;
                dz[b * g4 + 2 * h + j] = dg;
                dz[b * g4 + 3 * h + j] = dO;
                dxp[x + j] = di;
                dxp[x + h + j] = df;
                dxp[x + 2 * h + j] = dg;
                dxp[x + 3 * h + j] = dO;
                dc[b * h + j] = dcj * gf;
              }
            }
            System.arraycopy(dz, 0, dzAll, s * batch * g4, batch * g4);
            stepProduct(batch, h, g4, dz, wT, wT32, dhPrev);
            for (int b = 0; b < batch; b++) {
              // A finished sequence carries its state gradient through the padded step unchanged.
              if (s < len[b]) {
                System.arraycopy(dhPrev, b * h, dh, b * h, h);
              }
            }
          }
          Gemm.product(gradType, true, false, h, g4, steps * batch, hPrev, 0, dzAll, 0, dw, 0);
          return new Tensor[] {Tensor.wrap(dxp, xs, grad.dtype()), Tensor.wrap(dw, ws, grad.dtype()), null};
        },
        inputProj,
        whh,
        lengths);
  }

  /**
   * {@code out[m×n] = x[m×k]·w[k×n]} for one time step: in float32 when {@code w32} (w narrowed
   * once for all steps) is given, in float64 otherwise.
   */
  private static void stepProduct(int m, int n, int k, double[] x, double[] w, float[] w32, double[] out) {
    if (w32 != null) {
      Gemm.product32(false, false, m, n, k, x, 0, w32, out, 0);
    } else {
      CpuDgemm.gemm(false, false, m, n, k, x, 0, w, 0, out, 0, false);
    }
  }
}
