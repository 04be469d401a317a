package dev.joule.engine.optim;

import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Updates parameters in place from their accumulated gradients. Parameters without a gradient
 * (not reached by the last backward pass) are left alone. State is kept in float64.
 */
public abstract class Optimizer {
  protected final List<Tensor> params;
  private double learningRate;

  protected Optimizer(Collection<Tensor> params, double learningRate) {
    this.params = new ArrayList<>(params);
    for (Tensor p : this.params) {
      if (!p.requiresGrad() || p.gradFn() != null) {
        throw new IllegalArgumentException("optimisers update leaf tensors that require gradients; got one of shape " + p.shape());
      }
    }
    setLearningRate(learningRate);
  }

  /** One update of every parameter that has a gradient. */
  public final void step() {
    List<GpuUpdate> onGpu = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      if (p.grad() != null) {
        if (p.isGpu()) {
          onGpu.add(new GpuUpdate(i, p.gpuContext(), storageOf(p), gradientStorage(p)));
        } else {
          update(i, p.buffer(), p.offset(), p.size(), p.grad().values(), p.dtype() == DType.FLOAT32);
        }
      }
    }
    if (!onGpu.isEmpty()) {
      updateOnGpu(onGpu);
    }
  }

  /**
   * GPU parameter {@code index} to update in place from its gradient: {@code w} and {@code g}
   * hold exactly the parameter's elements, from element 0.
   */
  protected record GpuUpdate(int index, GpuTensors gpu, GpuStorage w, GpuStorage g) {}

  /**
   * Updates the GPU parameters of one {@link #step}: one {@link #updateOnGpu(int, GpuTensors,
   * GpuStorage, GpuStorage)} each, unless an optimiser updates many in one launch.
   */
  protected void updateOnGpu(List<GpuUpdate> updates) {
    for (GpuUpdate u : updates) {
      updateOnGpu(u.index(), u.gpu(), u.w(), u.g());
    }
  }

  /**
   * Updates parameter {@code index}: {@code size} values at {@code offset} of {@code w} from the
   * gradient {@code g}; results are rounded to float32 when {@code float32}.
   */
  protected abstract void update(int index, double[] w, int offset, int size, double[] g, boolean float32);

  /**
   * Updates GPU parameter {@code index} in place on the tensor stream: {@code w} and {@code g}
   * hold exactly the parameter's elements, from element 0.
   */
  protected abstract void updateOnGpu(int index, GpuTensors gpu, GpuStorage w, GpuStorage g);

  /**
   * The parameter's own storage: parameters are leaves moved whole ({@link Tensor#moveTo}), so they
   * start at 0 and fill it (the update kernels run over the whole storage, {@code w.length()}).
   */
  private static GpuStorage storageOf(Tensor p) {
    if (p.offset() != 0 || p.gpuStorage().length() != p.size()) {
      throw new IllegalStateException("a GPU parameter of shape " + p.shape() + " is a view (offset " + p.offset()
          + " into " + p.gpuStorage().length() + " elements); optimisers update whole parameters");
    }
    return p.gpuStorage();
  }

  /** The gradient's elements from element 0 of their storage, copied when the gradient is a view. */
  private static GpuStorage gradientStorage(Tensor p) {
    Tensor g = p.grad();
    if (!g.isGpu()) {
      throw new IllegalStateException("the gradient of a GPU parameter of shape " + p.shape() + " is on the CPU");
    }
    if (g.offset() == 0) {
      return g.gpuStorage();
    }
    GpuTensors gpu = g.gpuContext();
    GpuStorage copy = gpu.allocate(GpuStorage.Kind.FLOAT32, g.size());
    copy.buffer().copyFromDeviceAsync(g.gpuStorage().buffer(), g.offset(), 0, g.size(), gpu.stream());
    return copy;
  }

  public final void zeroGrad() {
    params.forEach(Tensor::zeroGrad);
  }

  public final double learningRate() {
    return learningRate;
  }

  public final void setLearningRate(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be finite and ≥ 0; got " + lr);
    }
    this.learningRate = lr;
  }

  protected static double store(double v, boolean float32) {
    return float32 ? (float) v : v;
  }
}
