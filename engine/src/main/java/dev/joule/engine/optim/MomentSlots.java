package dev.joule.engine.optim;

import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;

/**
 * One per-parameter state vector of an optimiser (Adam's first moment, SGD's velocity), kept
 * where its parameter lives: a float64 array for a CPU parameter, float32 device memory for a GPU
 * one. A parameter that changes device takes its state along on the next update; a checkpoint
 * always sees a host copy. Device state is pinned: it outlives every {@code GpuTensors.step()}.
 */
final class MomentSlots {
  private final double[][] host;
  private final GpuStorage[] device;

  MomentSlots(int parameters) {
    this.host = new double[parameters][];
    this.device = new GpuStorage[parameters];
  }

  /** The host vector of parameter {@code i}: zeros on first use, brought back from the GPU if it was there. */
  double[] host(int i, int size) {
    if (device[i] != null) {
      float[] f = device[i].downloadFloats(0, size);
      double[] d = new double[size];
      for (int k = 0; k < size; k++) {
        d[k] = f[k];
      }
      host[i] = d;
      device[i] = null;
    }
    if (host[i] == null) {
      host[i] = new double[size];
    }
    return host[i];
  }

  /** The device vector of parameter {@code i} on {@code gpu}: zeros on first use, uploaded if it was on the host. */
  GpuStorage device(int i, GpuTensors gpu, int size) {
    if (device[i] != null && device[i].context() != gpu) {
      host(i, size);
    }
    if (device[i] == null) {
      if (host[i] != null) {
        float[] f = new float[size];
        for (int k = 0; k < size; k++) {
          f[k] = (float) host[i][k];
        }
        device[i] = gpu.upload(f).pin();
        host[i] = null;
      } else {
        device[i] = gpu.zeros(GpuStorage.Kind.FLOAT32, size).pin();
      }
    }
    return device[i];
  }

  /** Whether parameter {@code i} has state yet. */
  boolean has(int i) {
    return host[i] != null || device[i] != null;
  }

  /** A host copy of parameter {@code i}'s vector, or {@code null} before its first update. */
  double[] snapshot(int i, int size) {
    return has(i) ? host(i, size).clone() : null;
  }

  /** Replaces parameter {@code i}'s vector ({@code null}: no state yet). */
  void restore(int i, double[] values) {
    host[i] = values;
    device[i] = null;
  }
}
