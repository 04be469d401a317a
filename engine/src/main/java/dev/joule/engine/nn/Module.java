package dev.joule.engine.nn;

import dev.joule.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer or a model: named parameters (trained), named buffers (saved but not trained, such as
 * batch-norm running statistics) and named sub-modules. Names of nested tensors are dotted paths
 * ({@code blocks.3.ff1.linear1.weight}), stable across runs, which is what parameter files store.
 */
public abstract class Module {
  private final Map<String, Tensor> params = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  /** Registers a trainable parameter; returns it, marked as requiring a gradient. */
  protected final Tensor param(String name, Tensor value) {
    requireFreeName(name);
    params.put(name, value.requiresGrad(true));
    return value;
  }

  /** Registers a saved, untrained tensor that the module updates in place. */
  protected final Tensor buffer(String name, Tensor value) {
    requireFreeName(name);
    buffers.put(name, value);
    return value;
  }

  /** Registers a sub-module; returns it. */
  protected final <M extends Module> M child(String name, M module) {
    requireFreeName(name);
    children.put(name, module);
    return module;
  }

  private void requireFreeName(String name) {
    if (name.isEmpty() || name.contains(".") || params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException("bad or repeated name '" + name + "' in " + getClass().getSimpleName());
    }
  }

  /** All trainable parameters, by dotted name, in registration order. */
  public final Map<String, Tensor> parameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, false);
    return out;
  }

  /** Parameters and buffers: everything a parameter file holds. */
  public final Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, true);
    return out;
  }

  private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
    params.forEach((k, v) -> out.put(prefix + k, v));
    if (withBuffers) {
      buffers.forEach((k, v) -> out.put(prefix + k, v));
    }
    children.forEach((k, m) -> m.collect(prefix + k + ".", out, withBuffers));
  }

  /**
   * {@code stored} (tensors by dotted name, as a parameter file holds them) in this module tree's
   * current layout: every module may rewrite the names under its own path that an earlier layout
   * of it wrote ({@link #upgradeSelf}), so files saved before a layout change keep loading. Names
   * no module knows are left as they are, for the loader's checks.
   */
  public final Map<String, Tensor> upgrade(Map<String, Tensor> stored) {
    Map<String, Tensor> out = new LinkedHashMap<>(stored);
    upgrade("", out);
    return out;
  }

  private void upgrade(String path, Map<String, Tensor> stored) {
    upgradeSelf(path, stored);
    children.forEach((k, m) -> m.upgrade(path + k + ".", stored));
  }

  /**
   * Rewrites in place the tensors in {@code stored} that an earlier layout of this module wrote
   * under {@code path} (its dotted prefix) into the current layout; see {@link #upgrade}. None by
   * default.
   */
  protected void upgradeSelf(String path, Map<String, Tensor> stored) {}

  /** Training mode (dropout active, batch norm uses batch statistics) or evaluation mode. */
  public final void train(boolean on) {
    training = on;
    children.values().forEach(m -> m.train(on));
  }

  public final boolean isTraining() {
    return training;
  }

  /**
   * Re-seeds every random generator in this module tree (dropout masks) from {@code seed}, each
   * module with a seed derived from its dotted path. Training re-seeds before every step from the
   * step number, so a run resumed from a checkpoint draws the same masks as one never stopped.
   */
  public final void reseed(long seed) {
    reseed("", seed);
  }

  private void reseed(String path, long seed) {
    reseedSelf(seed * 0x9E3779B97F4A7C15L + path.hashCode());
    children.forEach((k, m) -> m.reseed(path + k + ".", seed));
  }

  /** Re-seeds this module's own generator, if it has one; see {@link #reseed(long)}. */
  protected void reseedSelf(long seed) {}

  /**
   * Moves every parameter and buffer to the GPU of {@code gpu}, or to the CPU when it is
   * {@code null}, in place (gradients are dropped); an optimiser built over the parameters keeps
   * working and takes its state along. FLOAT32 modules only can live on a GPU.
   */
  public final void moveTo(dev.joule.engine.gpu.GpuTensors gpu) {
    state().values().forEach(t -> t.moveTo(gpu));
  }

  /**
   * A {@link dev.joule.engine.gpu.GpuTensors#step()} on this module's GPU when its parameters are
   * there, or {@code null} on the CPU (a null resource is allowed in try-with-resources):
   * {@code try (GpuTensors.Step s = model.gpuStep()) { forward, backward, update }} gives the
   * step's device memory back when it ends.
   */
  public final dev.joule.engine.gpu.GpuTensors.Step gpuStep() {
    for (Tensor p : parameters().values()) {
      return p.isGpu() ? p.gpuContext().step() : null;
    }
    return null;
  }

  public final void zeroGrad() {
    parameters().values().forEach(Tensor::zeroGrad);
  }

  /** Number of trainable scalars. */
  public final long parameterCount() {
    long n = 0;
    for (Tensor t : parameters().values()) {
      n += t.size();
    }
    return n;
  }
}
