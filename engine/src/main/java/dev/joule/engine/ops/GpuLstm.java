package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.at;
import static dev.joule.engine.ops.GpuOperands.buffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.Cublas;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.Kernel;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;

/**
 * The GPU twin of {@link LstmCell#forward}: one LSTM direction over a padded batch as one tape
 * node, on the fused step kernels of {@code native/cuda/lstm.cu} that
 * {@link dev.joule.engine.gpu.GpuBlstm} drives for whole layers. Per step: {@code pre = h·W_hh}
 * (cuBLAS) and one gate kernel; the backward runs the steps in reverse with one kernel, one
 * product ({@code dz·W_hhᵀ}) and one carry kernel per step, then {@code dW_hh} as a single
 * product over all steps. Everything stays on the GPU; the saved gates and states
 * ({@code [steps, B, ·]}) are kept for the backward by the tape node.
 *
 * <p>Lengths from the host are range-checked there before they are uploaded. Lengths already on
 * the GPU are trusted (checking them would mean waiting for the GPU): in reverse, a length past
 * {@code T} would read and write outside the sequence, so whoever puts them there must have
 * checked them.
 */
final class GpuLstm {
  private static final String MODULE = "lstm";

  private GpuLstm() {}

  /** {@code inputProj [B, T, 4H]} and {@code whh [H, 4H]} on {@code gpu} (shapes validated); lengths on either device. */
  static Tensor forward(GpuTensors gpu, Tensor inputProj, Tensor whh, Tensor lengths, boolean reverse) {
    int batch = inputProj.dim(0);
    int steps = inputProj.dim(1);
    int h = whh.dim(0);
    int g4 = 4 * h;
    Tensor len = lengthsOn(gpu, lengths, steps, batch);
    Shape ys = Shape.of(batch, steps, h);
    Shape xs = inputProj.shape();
    Shape ws = whh.shape();
    String op = reverse ? "lstmReverse" : "lstm";
    if ((long) batch * steps * h == 0) {
      // Nothing runs; cuBLAS rejects empty products, so none are issued.
      Tensor y = GpuOperands.zeros(gpu, ys, DType.FLOAT32);
      return Autograd.record(
          y, op, g -> new Tensor[] {GpuOperands.zeros(gpu, xs, DType.FLOAT32), GpuOperands.zeros(gpu, ws, DType.FLOAT32), null},
          inputProj, whh, lengths);
    }
    long units = (long) batch * h;
    long saved = (long) steps * units;
    GpuStorage gates = gpu.allocate(GpuStorage.Kind.FLOAT32, saved * 4);
    GpuStorage hPrev = gpu.allocate(GpuStorage.Kind.FLOAT32, saved);
    GpuStorage cPrev = gpu.allocate(GpuStorage.Kind.FLOAT32, saved);
    GpuStorage cNew = gpu.allocate(GpuStorage.Kind.FLOAT32, saved);
    GpuStorage pre = gpu.allocate(GpuStorage.Kind.FLOAT32, units * 4);
    GpuStorage hState = gpu.zeros(GpuStorage.Kind.FLOAT32, units);
    GpuStorage cState = gpu.zeros(GpuStorage.Kind.FLOAT32, units);
    // Frames past a sequence's end are never written: they stay 0.
    Tensor y = GpuOperands.zeros(gpu, ys, DType.FLOAT32);
    Cublas cublas = gpu.cublas();
    Kernel stepFwd = gpu.kernel(MODULE, "joule_lstm_step_fwd");
    for (int s = 0; s < steps; s++) {
      cublas.sgemm(false, false, batch, g4, h, 1f, hState.buffer(), 0, buffer(whh), whh.offset(), 0f, pre.buffer(), 0);
      gpu.launchLinear(stepFwd, units, KernelArgs.of().i32(batch).i32(steps).i32(h).i32(s).i32(reverse ? 1 : 0)
          .bufferAt(buffer(len), at(len)).bufferAt(buffer(inputProj), at(inputProj)).buffer(pre.buffer())
          .buffer(gates.buffer()).buffer(hState.buffer()).buffer(cState.buffer()).buffer(hPrev.buffer())
          .buffer(cPrev.buffer()).buffer(cNew.buffer()).buffer(buffer(y)).i32(h).i32(0));
    }
    return Autograd.record(
        y,
        op,
        grad -> {
          Tensor dout = GpuOperands.gradient(gpu, grad);
          GpuStorage dh = gpu.zeros(GpuStorage.Kind.FLOAT32, units);
          GpuStorage dc = gpu.zeros(GpuStorage.Kind.FLOAT32, units);
          GpuStorage dhTmp = gpu.allocate(GpuStorage.Kind.FLOAT32, units);
          GpuStorage dz = gpu.allocate(GpuStorage.Kind.FLOAT32, saved * 4);
          // Gate gradients of padded frames are never written: they stay 0.
          Tensor dxp = GpuOperands.zeros(gpu, xs, DType.FLOAT32);
          Tensor dw = GpuOperands.allocate(gpu, ws, DType.FLOAT32);
          Kernel stepBwd = gpu.kernel(MODULE, "joule_lstm_step_bwd");
          Kernel carry = gpu.kernel(MODULE, "joule_lstm_carry");
          for (int s = steps - 1; s >= 0; s--) {
            gpu.launchLinear(stepBwd, units, KernelArgs.of().i32(batch).i32(steps).i32(h).i32(s).i32(reverse ? 1 : 0)
                .bufferAt(buffer(len), at(len)).bufferAt(buffer(dout), at(dout)).i32(h).i32(0).buffer(gates.buffer())
                .buffer(cNew.buffer()).buffer(cPrev.buffer()).buffer(dh.buffer()).buffer(dc.buffer()).buffer(dz.buffer())
                .buffer(buffer(dxp)));
            cublas.sgemm(false, true, batch, h, g4, 1f, dz.buffer(), (long) s * batch * g4, buffer(whh), whh.offset(), 0f,
                dhTmp.buffer(), 0);
            gpu.launchLinear(carry, units, KernelArgs.of().i32(batch).i32(h).i32(s).bufferAt(buffer(len), at(len))
                .buffer(dhTmp.buffer()).buffer(dh.buffer()));
          }
          cublas.sgemm(true, false, h, g4, steps * batch, 1f, hPrev.buffer(), 0, dz.buffer(), 0, 0f, buffer(dw), 0);
          return new Tensor[] {dxp, dw, null};
        },
        inputProj,
        whh,
        lengths);
  }

  /** INT32 lengths {@code [batch]} on {@code gpu}: checked on the host first when they come from there. */
  private static Tensor lengthsOn(GpuTensors gpu, Tensor lengths, int steps, int batch) {
    if (lengths.dtype() != DType.INT32 || lengths.rank() != 1) {
      throw new IllegalArgumentException("lengths must be an INT32 vector; got " + lengths.dtype() + " " + lengths.shape());
    }
    if (lengths.dim(0) != batch) {
      throw new ShapeMismatchException("lstm", Shape.of(batch, steps), lengths.shape(), "one length per sequence needed");
    }
    if (lengths.isGpu()) {
      return lengths;
    }
    return Tensor.onGpu(gpu.upload(Masking.lengths(lengths, steps)), 0, lengths.shape(), DType.INT32);
  }
}
