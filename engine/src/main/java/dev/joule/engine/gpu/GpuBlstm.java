package dev.joule.engine.gpu;

import dev.joule.engine.nn.Lstm;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack of (optionally bidirectional) LSTM layers on the GPU in float32, forward and backward:
 * the GPU twin of {@link Lstm}, with the same parameter names and layouts, packed by lengths in
 * the same way.
 *
 * <p>Per direction the input projection of all frames is one cuBLAS product plus a bias kernel;
 * each step is one cuBLAS product ({@code h·W_hh}) and one fused gate kernel
 * ({@code native/cuda/lstm.cu}); the backward runs the steps in reverse with one fused kernel and
 * one product per step, then the weight gradients as single products over all frames. Both
 * directions write into halves of one output buffer, so no concat is needed. The two directions
 * of a layer are independent chains of small launches, so the reverse direction runs on a second
 * stream forked from the caller's and joined back at the end of each layer: on the GPU the two
 * chains overlap, and the caller's stream still sees the whole layer in order (which also lets a
 * {@link CudaGraph} capture both as parallel branches). Nothing is copied to the host. Buffers
 * come from the device's caching allocator; each direction has its own scratch buffers.
 *
 * <p>Not thread-safe. The output of {@link #forward} and the gradients stay valid until the next
 * call; {@link #backward} needs the activations of the last {@link #forward}.
 */
public final class GpuBlstm implements AutoCloseable {
  private final GpuDevice gpu;
  private final CudaStream stream;
  private final int input;
  private final int hidden;
  private final int layers;
  private final int dirs;
  private final List<Direction> directions = new ArrayList<>();
  private final Kernel stepFwd;
  private final Kernel stepBwd;
  private final Kernel carry;
  private final GpuOps ops;
  /** The reverse direction's stream and ops; the forward direction uses the caller's. */
  private final CudaStream side;
  private final GpuOps sideOps;
  private final List<DeviceBuffer> activations = new ArrayList<>();
  private final List<DeviceBuffer> layerOutputs = new ArrayList<>();
  private DeviceBuffer inputRef;
  private DeviceBuffer lengthsRef;
  private int batch;
  private int steps;

  /** Copies the weights of {@code cpu} (its parameters must be FLOAT32 or FLOAT64) to the GPU. */
  public GpuBlstm(GpuDevice gpu, CudaStream stream, Lstm cpu, int input, int hidden, int layers, boolean bidirectional) {
    this.gpu = gpu;
    this.stream = stream;
    this.input = input;
    this.hidden = hidden;
    this.layers = layers;
    this.dirs = bidirectional ? 2 : 1;
    PtxModule lstm = gpu.module("lstm");
    this.stepFwd = lstm.kernel("joule_lstm_step_fwd");
    this.stepBwd = lstm.kernel("joule_lstm_step_bwd");
    this.carry = lstm.kernel("joule_lstm_carry");
    this.ops = new GpuOps(gpu, stream);
    this.side = gpu.newStream();
    this.sideOps = new GpuOps(gpu, side);
    Map<String, Tensor> state = cpu.parameters();
    for (int l = 0; l < layers; l++) {
      for (int d = 0; d < dirs; d++) {
        String name = "layer" + l + (d == 0 ? "" : "_reverse");
        int layerIn = l == 0 ? input : hidden * dirs;
        directions.add(new Direction(name, layerIn, d == 1, state));
      }
    }
  }

  /** Parameters by the names {@link Lstm#parameters()} uses. */
  public Map<String, DeviceBuffer> parameters() {
    return byName(false);
  }

  /** Gradients of the last {@link #backward}, by parameter name. */
  public Map<String, DeviceBuffer> gradients() {
    return byName(true);
  }

  private Map<String, DeviceBuffer> byName(boolean gradients) {
    Map<String, DeviceBuffer> m = new LinkedHashMap<>();
    for (Direction d : directions) {
      m.put(d.name + ".weight_ih", gradients ? d.gWih : d.wih);
      m.put(d.name + ".weight_hh", gradients ? d.gWhh : d.whh);
      m.put(d.name + ".bias", gradients ? d.gBias : d.bias);
    }
    return m;
  }

  /** Element counts of the parameters, by name. */
  public Map<String, Long> parameterSizes() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Direction d : directions) {
      m.put(d.name + ".weight_ih", (long) d.layerIn * 4 * hidden);
      m.put(d.name + ".weight_hh", (long) hidden * 4 * hidden);
      m.put(d.name + ".bias", 4L * hidden);
    }
    return m;
  }

  /**
   * {@code x [B, T, input]} and int32 {@code lengths [B]} (device buffers) → the output
   * {@code [B, T, hidden·directions]}, zero past each sequence's end.
   */
  public DeviceBuffer forward(DeviceBuffer x, DeviceBuffer lengths, int batch, int steps) {
    releaseActivations();
    this.batch = batch;
    this.steps = steps;
    this.inputRef = x;
    this.lengthsRef = lengths;
    long frames = (long) batch * steps;
    int g4 = 4 * hidden;
    DeviceBuffer layerIn = x;
    for (int l = 0; l < layers; l++) {
      DeviceBuffer out = floats(frames * hidden * dirs);
      layerOutputs.add(out);
      zero(ops, out, frames * hidden * dirs);
      fork();
      for (int d = 0; d < dirs; d++) {
        Direction dir = directions.get(l * dirs + d);
        CudaStream on = streamOf(d);
        dir.xp = track(floats(frames * g4));
        dir.gates = track(floats((long) steps * batch * g4));
        dir.hPrev = track(floats((long) steps * batch * hidden));
        dir.cPrev = track(floats((long) steps * batch * hidden));
        dir.cNew = track(floats((long) steps * batch * hidden));
        DeviceBuffer pre = track(floats((long) batch * g4));
        DeviceBuffer h = track(floats((long) batch * hidden));
        DeviceBuffer c = track(floats((long) batch * hidden));
        zero(opsOf(d), h, (long) batch * hidden);
        zero(opsOf(d), c, (long) batch * hidden);
        on.cublas().sgemm(false, false, (int) frames, g4, dir.layerIn, 1f, layerIn, 0, dir.wih, 0, 0f, dir.xp, 0);
        opsOf(d).addBiasRows(frames, g4, dir.bias, dir.xp);
        LaunchShape units = LaunchShape.linear((long) batch * hidden);
        for (int s = 0; s < steps; s++) {
          on.cublas().sgemm(false, false, batch, g4, hidden, 1f, h, 0, dir.whh, 0, 0f, pre, 0);
          stepFwd.launch(
              units,
              on,
              KernelArgs.of().i32(batch).i32(steps).i32(hidden).i32(s).i32(dir.reverse ? 1 : 0).buffer(lengths)
                  .buffer(dir.xp).buffer(pre).buffer(dir.gates).buffer(h).buffer(c)
                  .buffer(dir.hPrev).buffer(dir.cPrev).buffer(dir.cNew).buffer(out).i32(hidden * dirs).i32(d * hidden));
        }
      }
      join();
      layerIn = out;
    }
    return layerIn;
  }

  /**
   * Back-propagates {@code dOut [B, T, hidden·directions]} through the last forward; sets every
   * parameter gradient (see {@link #gradients()}) and returns the gradient of the input
   * {@code [B, T, input]}.
   */
  public DeviceBuffer backward(DeviceBuffer dOut) {
    if (layerOutputs.isEmpty()) {
      throw new IllegalStateException("backward without a forward pass");
    }
    long frames = (long) batch * steps;
    int g4 = 4 * hidden;
    DeviceBuffer[] dh = new DeviceBuffer[dirs];
    DeviceBuffer[] dc = new DeviceBuffer[dirs];
    DeviceBuffer[] dhTmp = new DeviceBuffer[dirs];
    DeviceBuffer[] dz = new DeviceBuffer[dirs];
    DeviceBuffer[] dxp = new DeviceBuffer[dirs];
    for (int d = 0; d < dirs; d++) {
      dh[d] = track(floats((long) batch * hidden));
      dc[d] = track(floats((long) batch * hidden));
      dhTmp[d] = track(floats((long) batch * hidden));
      dz[d] = track(floats((long) steps * batch * g4));
      dxp[d] = track(floats(frames * g4));
    }
    DeviceBuffer upstream = dOut;
    LaunchShape units = LaunchShape.linear((long) batch * hidden);
    for (int l = layers - 1; l >= 0; l--) {
      DeviceBuffer layerIn = l == 0 ? inputRef : layerOutputs.get(l - 1);
      int inDim = l == 0 ? input : hidden * dirs;
      DeviceBuffer dIn = track(floats(frames * inDim));
      fork();
      for (int d = 0; d < dirs; d++) {
        Direction dir = directions.get(l * dirs + d);
        CudaStream on = streamOf(d);
        zero(opsOf(d), dh[d], (long) batch * hidden);
        zero(opsOf(d), dc[d], (long) batch * hidden);
        zero(opsOf(d), dxp[d], frames * g4);
        for (int s = steps - 1; s >= 0; s--) {
          stepBwd.launch(
              units,
              on,
              KernelArgs.of().i32(batch).i32(steps).i32(hidden).i32(s).i32(dir.reverse ? 1 : 0).buffer(lengthsRef)
                  .buffer(upstream).i32(hidden * dirs).i32(d * hidden).buffer(dir.gates).buffer(dir.cNew)
                  .buffer(dir.cPrev).buffer(dh[d]).buffer(dc[d]).buffer(dz[d]).buffer(dxp[d]));
          on.cublas().sgemm(false, true, batch, hidden, g4, 1f, dz[d], (long) s * batch * g4, dir.whh, 0, 0f, dhTmp[d], 0);
          carry.launch(units, on, KernelArgs.of().i32(batch).i32(hidden).i32(s).buffer(lengthsRef).buffer(dhTmp[d]).buffer(dh[d]));
        }
        on.cublas().sgemm(true, false, hidden, g4, steps * batch, 1f, dir.hPrev, 0, dz[d], 0, 0f, dir.gWhh, 0);
        on.cublas().sgemm(true, false, inDim, g4, (int) frames, 1f, layerIn, 0, dxp[d], 0, 0f, dir.gWih, 0);
        opsOf(d).columnSum(frames, g4, dxp[d], dir.gBias);
      }
      join();
      // Both directions add into dIn: on one stream, after the join, so they never race.
      for (int d = 0; d < dirs; d++) {
        Direction dir = directions.get(l * dirs + d);
        stream.cublas().sgemm(false, true, (int) frames, inDim, g4, 1f, dxp[d], 0, dir.wih, 0, d == 0 ? 0f : 1f, dIn, 0);
      }
      upstream = dIn;
    }
    return upstream;
  }

  private CudaStream streamOf(int direction) {
    return direction == 0 ? stream : side;
  }

  private GpuOps opsOf(int direction) {
    return direction == 0 ? ops : sideOps;
  }

  /** The side stream starts after everything the caller's stream has queued so far. */
  private void fork() {
    if (dirs == 2) {
      side.waitFor(stream);
    }
  }

  /** The caller's stream continues after everything the side stream has queued. */
  private void join() {
    if (dirs == 2) {
      stream.waitFor(side);
    }
  }

  private DeviceBuffer floats(long count) {
    return gpu.allocate(Math.max(1, count) * Float.BYTES);
  }

  private DeviceBuffer track(DeviceBuffer b) {
    activations.add(b);
    return b;
  }

  private static void zero(GpuOps on, DeviceBuffer b, long count) {
    on.fill(count, 0f, b);
  }

  private void releaseActivations() {
    // The stream runs in order, so work still queued on these buffers finishes before any reuse.
    activations.forEach(DeviceBuffer::close);
    activations.clear();
    layerOutputs.forEach(DeviceBuffer::close);
    layerOutputs.clear();
  }

  @Override
  public void close() {
    stream.synchronize();
    side.synchronize();
    releaseActivations();
    for (Direction d : directions) {
      for (DeviceBuffer b : new DeviceBuffer[] {d.wih, d.whh, d.bias, d.gWih, d.gWhh, d.gBias}) {
        b.close();
      }
    }
    side.close();
  }

  /** Weights, gradients and the saved activations of one direction of one layer. */
  private final class Direction {
    final String name;
    final int layerIn;
    final boolean reverse;
    final DeviceBuffer wih;
    final DeviceBuffer whh;
    final DeviceBuffer bias;
    final DeviceBuffer gWih;
    final DeviceBuffer gWhh;
    final DeviceBuffer gBias;
    DeviceBuffer xp;
    DeviceBuffer gates;
    DeviceBuffer hPrev;
    DeviceBuffer cPrev;
    DeviceBuffer cNew;

    Direction(String name, int layerIn, boolean reverse, Map<String, Tensor> state) {
      this.name = name;
      this.layerIn = layerIn;
      this.reverse = reverse;
      this.wih = upload(state, name + ".weight_ih", (long) layerIn * 4 * hidden);
      this.whh = upload(state, name + ".weight_hh", (long) hidden * 4 * hidden);
      this.bias = upload(state, name + ".bias", 4L * hidden);
      this.gWih = floats((long) layerIn * 4 * hidden);
      this.gWhh = floats((long) hidden * 4 * hidden);
      this.gBias = floats(4L * hidden);
    }

    private DeviceBuffer upload(Map<String, Tensor> state, String key, long size) {
      Tensor t = state.get(key);
      if (t == null || t.size() != size) {
        throw new IllegalArgumentException("CPU LSTM has no parameter '" + key + "' of " + size + " elements");
      }
      return gpu.upload(t.toFloatArray());
    }
  }
}
