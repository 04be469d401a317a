package dev.joule.engine.nn;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed sinusoidal position table of "Attention Is All You Need":
 * {@code PE[t, 2i] = sin(t / 10000^(2i/d))}, {@code PE[t, 2i+1] = cos(...)}.
 */
public final class SinusoidalPositions {
  /** Tables in use, by shape, type and device: every block of every step asks for the same one. */
  private static final int CACHED_TABLES = 8;

  private static final Map<Key, Tensor> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Tensor> eldest) {
      return size() > CACHED_TABLES;
    }
  };

  private record Key(int length, int dim, DType dtype, GpuTensors device) {}

  private SinusoidalPositions() {}

  /**
   * {@code [length, dim]} in the type and on the device of {@code like}, made once and then served
   * from a small cache (a Conformer asks for it in every block of every step; on a GPU this also
   * saves the copy). The table is a constant: never write to it.
   */
  public static Tensor tableLike(int length, int dim, Tensor like) {
    Key key = new Key(length, dim, like.dtype(), like.gpuContext());
    synchronized (CACHE) {
      Tensor cached = CACHE.get(key);
      if (cached != null) {
        return cached;
      }
    }
    Tensor t = table(length, dim, like.dtype());
    if (key.device() != null) {
      t.moveTo(key.device());
    }
    synchronized (CACHE) {
      CACHE.put(key, t);
    }
    return t;
  }

  /** {@code [length, dim]}. */
  public static Tensor table(int length, int dim, DType dtype) {
    double[] pe = new double[length * dim];
    for (int t = 0; t < length; t++) {
      for (int i = 0; i < dim; i += 2) {
        double angle = t / Math.pow(10000, (double) i / dim);
        pe[t * dim + i] = Math.sin(angle);
        if (i + 1 < dim) {
          pe[t * dim + i + 1] = Math.cos(angle);
        }
      }
    }
    return Tensor.wrap(pe, Shape.of(length, dim), dtype);
  }
}
