package dev.joule.engine.optim;

import dev.joule.engine.autograd.GradMode;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gradient clipping by the global L2 norm over a set of parameters. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales every gradient by {@code maxNorm / total} when the L2 norm {@code total} of all
   * gradients together exceeds {@code maxNorm}; returns {@code total} (before clipping), the
   * figure training logs. A non-finite norm is returned and nothing is scaled, so the caller can
   * skip the step.
   */
  public static double clipByGlobalNorm(Collection<Tensor> params, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maximum gradient norm must be > 0; got " + maxNorm);
    }
    double total;
    try (GradMode.Scope noTape = GradMode.noGrad()) {
      total = Math.sqrt(squaredNorm(params));
      if (!Double.isFinite(total) || total <= maxNorm) {
        return total;
      }
      double scale = maxNorm / total;
      for (Tensor p : params) {
        Tensor g = p.grad();
        if (g == null) {
          continue;
        }
        if (g.isGpu()) {
          p.setGrad(Ops.scale(g, scale));
          continue;
        }
        double[] v = g.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
          v[i] *= scale;
        }
        p.setGrad(Tensor.wrap(v, g.shape(), g.dtype()));
      }
    }
    return total;
  }

  /**
   * Σ g² over all gradients in float64: host gradients on the host; each device's gradients in
   * two launches there ({@link GpuSquaredNorm}), read back once, so clipping costs one wait for
   * each GPU per step.
   */
  private static double squaredNorm(Collection<Tensor> params) {
    double sq = 0;
    Map<GpuTensors, List<Tensor>> onGpu = new LinkedHashMap<>();
    for (Tensor p : params) {
      Tensor g = p.grad();
      if (g == null) {
        continue;
      }
      if (g.isGpu()) {
        onGpu.computeIfAbsent(g.gpuContext(), k -> new ArrayList<>()).add(g);
      } else {
        for (double x : g.values()) {
          sq += x * x;
        }
      }
    }
    for (Map.Entry<GpuTensors, List<Tensor>> e : onGpu.entrySet()) {
      sq += GpuSquaredNorm.of(e.getKey(), e.getValue());
    }
    return sq;
  }
}
