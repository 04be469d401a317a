package dev.joule.engine.optim;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuOps;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.gpu.LaunchShape;
import dev.joule.engine.tensor.Tensor;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam with bias correction. Weight decay is either L2 added to the gradient (Adam) or
 * decoupled, applied to the weights directly as {@code w −= lr·wd·w} (AdamW, Loshchilov and
 * Hutter).
 */
public final class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  private final MomentSlots m;
  private final MomentSlots v;
  private final int[] steps;
  /** The many-parameter update's tables, per device (see {@link #updateTogether}). */
  private final Map<GpuTensors, MultiTensorTables> tables = new IdentityHashMap<>();

  public Adam(Collection<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
    super(params, lr);
    if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps <= 0) {
      throw new IllegalArgumentException("Adam needs 0 ≤ beta < 1 and eps > 0; got " + beta1 + ", " + beta2 + ", " + eps);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    this.m = new MomentSlots(this.params.size());
    this.v = new MomentSlots(this.params.size());
    this.steps = new int[this.params.size()];
  }

  /** Adam with PyTorch's defaults (0.9, 0.999, 1e-8) and no weight decay. */
  public static Adam adam(Collection<Tensor> params, double lr) {
    return new Adam(params, lr, 0.9, 0.999, 1e-8, 0, false);
  }

  /** AdamW with PyTorch's defaults and decoupled weight decay {@code weightDecay}. */
  public static Adam adamW(Collection<Tensor> params, double lr, double weightDecay) {
    return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, true);
  }

  @Override
  protected void update(int index, double[] w, int offset, int size, double[] g, boolean float32) {
    double[] mi = m.host(index, size);
    double[] vi = v.host(index, size);
    int t = ++steps[index];
    double lr = learningRate();
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    for (int i = 0; i < size; i++) {
      double wi = w[offset + i];
      double grad = g[i];
      if (decoupled) {
        wi -= lr * weightDecay * wi;
      } else {
        grad += weightDecay * wi;
      }
      mi[i] = beta1 * mi[i] + (1 - beta1) * grad;
      vi[i] = beta2 * vi[i] + (1 - beta2) * grad * grad;
      double step = lr * (mi[i] / c1) / (Math.sqrt(vi[i] / c2) + eps);
      w[offset + i] = store(wi - step, float32);
    }
  }

  /**
   * Every GPU parameter of one device in one launch ({@code joule_adam_multi_f32}, the same
   * arithmetic as the one-parameter kernel): a model's few hundred parameters are otherwise a few
   * hundred small launches. A device with one parameter, or with the same weights listed twice
   * (whose updates must not run side by side), takes the one-parameter path.
   */
  @Override
  protected void updateOnGpu(List<GpuUpdate> updates) {
    Map<GpuTensors, List<GpuUpdate>> byDevice = new LinkedHashMap<>();
    for (GpuUpdate u : updates) {
      byDevice.computeIfAbsent(u.gpu(), k -> new ArrayList<>()).add(u);
    }
    byDevice.forEach((gpu, group) -> {
      if (group.size() == 1 || repeatsWeights(group)) {
        group.forEach(u -> updateOnGpu(u.index(), gpu, u.w(), u.g()));
      } else {
        updateTogether(gpu, group);
      }
    });
  }

  private static boolean repeatsWeights(List<GpuUpdate> group) {
    Set<GpuStorage> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (GpuUpdate u : group) {
      if (!seen.add(u.w())) {
        return true;
      }
    }
    return false;
  }

  /**
   * One launch over {@code group}. Its tables ({@link ChunkTable}, addresses) live in device
   * memory kept per device ({@link MultiTensorTables}) and are rewritten in the stream's order each
   * step: two copies from the host per step, landing after the previous step's launch has read
   * them. (A table that grows gives its old block back to the cache, which hands it only to later
   * work on the same stream: see {@code GpuTensors}.) The kernel's arguments are mirrored by its
   * host-emulation test ({@code native/cuda/emulation/nn_test.cc}).
   */
  private void updateTogether(GpuTensors gpu, List<GpuUpdate> group) {
    int count = group.size();
    int[] stepAfter = new int[count];
    int[] sizes = new int[count];
    for (int p = 0; p < count; p++) {
      stepAfter[p] = steps[group.get(p).index()] + 1;
      sizes[p] = (int) group.get(p).w().length();
    }
    // Columns 0 and 1: the bias corrections c1 and c2 (as float bits).
    ChunkTable table = ChunkTable.of(sizes, 2);
    if (table.chunks() == 0) {
      // Parameters without elements: nothing to launch, but they count a step like any other.
      group.forEach(u -> steps[u.index()]++);
      return;
    }
    List<DeviceBuffer> addresses = new ArrayList<>(Collections.nCopies(4 * count, (DeviceBuffer) null));
    for (int p = 0; p < count; p++) {
      GpuUpdate u = group.get(p);
      int n = sizes[p];
      GpuStorage mi = m.device(u.index(), gpu, n);
      GpuStorage vi = v.device(u.index(), gpu, n);
      table.set(0, p, GpuOps.adamBiasCorrection((float) beta1, stepAfter[p]));
      table.set(1, p, GpuOps.adamBiasCorrection((float) beta2, stepAfter[p]));
      DeviceBuffer[] four = {u.w().buffer(), u.g().buffer(), mi.buffer(), vi.buffer()};
      for (int k = 0; k < 4; k++) {
        four[k].requireBytes((long) n * Float.BYTES, "Adam's parameter " + u.index());
        addresses.set(k * count + p, four[k]);
      }
    }
    MultiTensorTables tables = this.tables.computeIfAbsent(gpu, MultiTensorTables::new);
    tables.write(table.ints(), addresses);
    KernelArgs args = table.appendHead(KernelArgs.of(), tables.ints());
    table.appendColumn(args, tables.ints(), 0);
    table.appendColumn(args, tables.ints(), 1);
    args.f32((float) learningRate()).f32((float) beta1).f32((float) beta2).f32((float) eps).f32((float) weightDecay)
        .i32(decoupled ? 1 : 0);
    for (int k = 0; k < 4; k++) {
      args.bufferAt(tables.addresses(), 8L * k * count);
    }
    LaunchShape shape = LaunchShape.gridStride(table.chunks(), LaunchShape.DEFAULT_BLOCK, 1);
    gpu.kernel("nn", "joule_adam_multi_f32").launch(shape, gpu.stream(), args);
    Reference.reachabilityFence(group);
    for (int p = 0; p < count; p++) {
      steps[group.get(p).index()] = stepAfter[p];
    }
  }

  @Override
  protected void updateOnGpu(int index, GpuTensors gpu, GpuStorage w, GpuStorage g) {
    int n = (int) w.length();
    GpuStorage mi = m.device(index, gpu, n);
    GpuStorage vi = v.device(index, gpu, n);
    int t = ++steps[index];
    gpu.ops().adam(n, t, (float) learningRate(), (float) beta1, (float) beta2, (float) eps, (float) weightDecay, decoupled,
        w.buffer(), g.buffer(), mi.buffer(), vi.buffer());
  }

  /**
   * The moment estimates and step counts, as float64 tensors named {@code m.I}, {@code v.I} and
   * {@code steps} (I = parameter index), so a checkpoint can restore the optimiser exactly.
   * Parameters not updated yet have no moments.
   */
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    double[] s = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      s[i] = steps[i];
      if (m.has(i)) {
        int size = params.get(i).size();
        out.put("m." + i, Tensor.of(m.snapshot(i, size), size));
        out.put("v." + i, Tensor.of(v.snapshot(i, size), size));
      }
    }
    out.put("steps", Tensor.of(s, s.length));
    return out;
  }

  /**
   * Restores what {@link #state()} returned for an optimiser over parameters of the same shapes.
   *
   * @throws IllegalArgumentException when the state does not fit these parameters
   */
  public void loadState(Map<String, Tensor> state) {
    Tensor s = state.get("steps");
    if (s == null || s.size() != steps.length) {
      throw new IllegalArgumentException("optimiser state is for " + (s == null ? "no" : s.size())
          + " parameters; this optimiser has " + steps.length);
    }
    double[][] newM = new double[steps.length][];
    double[][] newV = new double[steps.length][];
    for (int i = 0; i < steps.length; i++) {
      Tensor mi = state.get("m." + i);
      Tensor vi = state.get("v." + i);
      if ((mi == null) != (vi == null)) {
        throw new IllegalArgumentException("optimiser state of parameter " + i + " is incomplete");
      }
      if (mi != null) {
        int size = params.get(i).size();
        if (mi.size() != size || vi.size() != size) {
          throw new IllegalArgumentException("optimiser state of parameter " + i + " has " + mi.size()
              + " values; the parameter has " + size);
        }
        newM[i] = mi.toDoubleArray();
        newV[i] = vi.toDoubleArray();
      }
    }
    double[] sv = s.toDoubleArray();
    for (int i = 0; i < steps.length; i++) {
      m.restore(i, newM[i]);
      v.restore(i, newV[i]);
      steps[i] = (int) sv[i];
    }
  }
}
