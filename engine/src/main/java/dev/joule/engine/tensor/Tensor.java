package dev.joule.engine.tensor;

import dev.joule.engine.autograd.Backprop;
import dev.joule.engine.autograd.Node;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.ops.Ops;
import java.util.Arrays;
import java.util.Random;

/**
 * An n-dimensional array of numbers on the CPU or a GPU, with the bookkeeping reverse-mode
 * autograd needs.
 *
 * <p>Storage is a row-major, contiguous run of a {@code double[]} starting at an offset, so
 * {@link #reshape} and {@link #narrow} along the first dimension are views that share storage;
 * other layout changes copy. Elements of a {@link DType#FLOAT32} tensor are rounded to float32 when
 * the tensor is made, so every value it holds is a float32 value. Matrix products of FLOAT32
 * tensors multiply and accumulate in float32, like BLAS sgemm and the GPU ({@code CpuSgemm});
 * other ops keep their intermediate sums in float64.
 * {@link DType#FLOAT64} tensors keep full precision for gradient checks. {@link DType#INT32}
 * tensors hold integers (ids, labels, lengths) exactly.
 *
 * <p>A GPU tensor ({@link #isGpu()}) keeps its elements in {@link GpuStorage} instead, float32 or
 * int32 only, with the same offset-and-shape layout; {@link dev.joule.engine.ops.Ops} runs each op
 * where its operands live, the CPU being the reference the GPU ops are tested against. Reading
 * values of a GPU tensor ({@link #values()}, {@link #item()}, {@link #get}) copies them to the host
 * and so waits for the GPU: that is the only place the host waits.
 *
 * <p>Tensors are immutable from the API's point of view; only optimisers write parameters in place
 * (through {@link #buffer()} or their GPU twins), outside the tape, and {@link #moveTo} moves a
 * parameter between devices.
 */
public final class Tensor {
  private double[] data;
  private GpuStorage gpu;
  private int offset;
  private final Shape shape;
  private DType dtype;
  private boolean requiresGrad;
  private Tensor grad;
  private Node gradFn;

  private Tensor(double[] data, int offset, Shape shape, DType dtype) {
    this.data = data;
    this.offset = offset;
    this.shape = shape;
    this.dtype = dtype;
  }

  private Tensor(GpuStorage gpu, int offset, Shape shape, DType dtype) {
    this.gpu = gpu;
    this.offset = offset;
    this.shape = shape;
    this.dtype = dtype;
  }

  /**
   * A GPU tensor of {@code shape} over {@code storage} from element {@code offset}: FLOAT32
   * tensors over FLOAT32 storage, INT32 over INT32.
   */
  public static Tensor onGpu(GpuStorage storage, int offset, Shape shape, DType dtype) {
    if (storage.kind() != GpuStorage.Kind.of(dtype)) {
      throw new IllegalArgumentException(dtype + " tensor over " + storage.kind() + " storage");
    }
    if (offset < 0 || offset + (long) shape.size() > storage.length()) {
      throw new IndexOutOfBoundsException(
          "shape " + shape + " from element " + offset + " does not fit " + storage.length() + " elements");
    }
    return new Tensor(storage, offset, shape, dtype);
  }

  /** A zero-filled GPU tensor. */
  public static Tensor zeros(GpuTensors context, DType dtype, int... dims) {
    Shape s = Shape.of(dims);
    return onGpu(context.zeros(GpuStorage.Kind.of(dtype), s.size()), 0, s, dtype);
  }

  /** Whether the elements live on a GPU. */
  public boolean isGpu() {
    return gpu != null;
  }

  /** The GPU memory of a GPU tensor; its elements start at {@link #offset()}. */
  public GpuStorage gpuStorage() {
    if (gpu == null) {
      throw new IllegalStateException("tensor of shape " + shape + " is on the CPU");
    }
    return gpu;
  }

  /** The GPU context of a GPU tensor, {@code null} for a CPU tensor. */
  public GpuTensors gpuContext() {
    return gpu == null ? null : gpu.context();
  }

  /** {@code "cpu"} or {@code "gpu:N"}, for messages. */
  public String device() {
    return gpu == null ? "cpu" : "gpu:" + gpu.context().device().ordinal();
  }

  /** A copy on the GPU of {@code context}, on the tape (gradients flow back to this tensor). */
  public Tensor toGpu(GpuTensors context) {
    return Ops.toGpu(this, context);
  }

  /** A copy on the CPU, on the tape; this tensor itself when it is on the CPU. */
  public Tensor toCpu() {
    return Ops.toCpu(this);
  }

  /**
   * Moves this leaf's elements to the GPU of {@code context} ({@code null}: to the CPU), in place,
   * dropping its gradient: how a model's parameters and buffers change device. GPU tensors are
   * float32, so a FLOAT64 tensor becomes FLOAT32 on the way (and stays so when it comes back).
   */
  public void moveTo(GpuTensors context) {
    if (gradFn != null) {
      throw new IllegalStateException("only leaf tensors (parameters, buffers) move in place");
    }
    if (context == null) {
      if (gpu != null) {
        double[] host = values();
        gpu = null;
        data = host;
        offset = 0;
      }
    } else if (gpu == null || gpu.context() != context) {
      if (dtype == DType.FLOAT64) {
        dtype = DType.FLOAT32;
      }
      // Pinned: a parameter or buffer outlives every step (GpuTensors.step()).
      GpuStorage moved = (dtype == DType.INT32 ? context.upload(toIntArray()) : context.upload(toFloatArray())).pin();
      data = null;
      gpu = moved;
      offset = 0;
    }
    grad = null;
  }

  /**
   * Wraps {@code values} (not copied; the caller hands them over) as a tensor of {@code shape}.
   * FLOAT32 values are rounded in place; INT32 values must be integers.
   */
  public static Tensor wrap(double[] values, Shape shape, DType dtype) {
    if (values.length != shape.size()) {
      throw new IllegalArgumentException(values.length + " values for shape " + shape + " (needs " + shape.size() + ")");
    }
    round(dtype, values, 0, values.length);
    if (dtype == DType.INT32) {
      for (double v : values) {
        if (v != (int) v) {
          throw new IllegalArgumentException("INT32 tensor given non-integer value " + v);
        }
      }
    }
    return new Tensor(values, 0, shape, dtype);
  }

  /**
   * {@link #wrap} for values already representable in {@code dtype}: computed in float32, rounded
   * as they were made ({@link #round}), or copied from a tensor of that type. Skips wrap's pass over
   * them, which costs a trip through memory for every result; assertions (on in the tests) check
   * the promise.
   */
  public static Tensor wrapRounded(double[] values, Shape shape, DType dtype) {
    if (values.length != shape.size()) {
      throw new IllegalArgumentException(values.length + " values for shape " + shape + " (needs " + shape.size() + ")");
    }
    assert representable(values, dtype) : "values not representable as " + dtype;
    return new Tensor(values, 0, shape, dtype);
  }

  /**
   * Rounds {@code values[from..to)} to float32 in place when {@code dtype} is FLOAT32 (for ops that
   * round each stretch of results while it is in cache, then {@link #wrapRounded} them).
   */
  public static void round(DType dtype, double[] values, int from, int to) {
    if (dtype == DType.FLOAT32) {
      for (int i = from; i < to; i++) {
        values[i] = (float) values[i];
      }
    }
  }

  private static boolean representable(double[] values, DType dtype) {
    for (double v : values) {
      if (dtype == DType.FLOAT32 && v != (float) v && !Double.isNaN(v) || dtype == DType.INT32 && v != (int) v) {
        return false;
      }
    }
    return true;
  }

  public static Tensor zeros(DType dtype, int... dims) {
    Shape s = Shape.of(dims);
    return new Tensor(new double[s.size()], 0, s, dtype);
  }

  public static Tensor zeros(int... dims) {
    return zeros(DType.FLOAT32, dims);
  }

  public static Tensor full(DType dtype, double value, int... dims) {
    Shape s = Shape.of(dims);
    double[] d = new double[s.size()];
    Arrays.fill(d, value);
    return wrap(d, s, dtype);
  }

  public static Tensor ones(int... dims) {
    return full(DType.FLOAT32, 1, dims);
  }

  public static Tensor scalar(double value, DType dtype) {
    return wrap(new double[] {value}, Shape.scalar(), dtype);
  }

  /** A FLOAT32 tensor holding a copy of {@code values}. */
  public static Tensor of(float[] values, int... dims) {
    double[] d = new double[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = values[i];
    }
    return wrap(d, Shape.of(dims), DType.FLOAT32);
  }

  /** A FLOAT64 tensor holding a copy of {@code values}. */
  public static Tensor of(double[] values, int... dims) {
    return wrap(values.clone(), Shape.of(dims), DType.FLOAT64);
  }

  /** An INT32 tensor holding a copy of {@code values}. */
  public static Tensor ofInts(int[] values, int... dims) {
    double[] d = new double[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = values[i];
    }
    return wrap(d, Shape.of(dims), DType.INT32);
  }

  /** Standard normal values times {@code scale}. */
  public static Tensor randn(Random random, DType dtype, double scale, int... dims) {
    Shape s = Shape.of(dims);
    double[] d = new double[s.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = scale * random.nextGaussian();
    }
    return wrap(d, s, dtype);
  }

  /** Uniform values in {@code [lo, hi)}. */
  public static Tensor uniform(Random random, DType dtype, double lo, double hi, int... dims) {
    Shape s = Shape.of(dims);
    double[] d = new double[s.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = lo + (hi - lo) * random.nextDouble();
    }
    return wrap(d, s, dtype);
  }

  public Shape shape() {
    return shape;
  }

  public int rank() {
    return shape.rank();
  }

  /** Size of dimension {@code i}; negative counts from the end. */
  public int dim(int i) {
    return shape.dim(i);
  }

  public int size() {
    return shape.size();
  }

  public DType dtype() {
    return dtype;
  }

  /** The element at {@code index} (one coordinate per dimension). */
  public double get(int... index) {
    if (index.length != shape.rank()) {
      throw new IllegalArgumentException("index " + Arrays.toString(index) + " for shape " + shape);
    }
    int[] strides = shape.strides();
    int at = offset;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape.dim(i)) {
        throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of shape " + shape);
      }
      at += index[i] * strides[i];
    }
    return gpu != null ? gpu.downloadFloats(at, 1)[0] : data[at];
  }

  /** The only element of a one-element tensor. */
  public double item() {
    if (shape.size() != 1) {
      throw new IllegalStateException("item() of a tensor of shape " + shape);
    }
    return gpu != null ? gpu.downloadFloats(offset, 1)[0] : data[offset];
  }

  /**
   * The elements in row-major order. Returns the backing array itself when it is exactly this
   * tensor (callers must not write to it), otherwise a copy; a GPU tensor's are copied to the host.
   */
  public double[] values() {
    if (gpu != null) {
      return toDoubleArray();
    }
    if (offset == 0 && data.length == shape.size()) {
      return data;
    }
    return Arrays.copyOfRange(data, offset, offset + shape.size());
  }

  public double[] toDoubleArray() {
    if (gpu != null) {
      return download(shape.size());
    }
    return Arrays.copyOfRange(data, offset, offset + shape.size());
  }

  /** The first {@code count} elements of a GPU tensor, copied to the host (INT32 ones exactly). */
  private double[] download(int count) {
    double[] d = new double[count];
    if (gpu.kind() == GpuStorage.Kind.INT32) {
      int[] ints = gpu.downloadInts(offset, count);
      for (int i = 0; i < count; i++) {
        d[i] = ints[i];
      }
    } else {
      float[] f = gpu.downloadFloats(offset, count);
      for (int i = 0; i < count; i++) {
        d[i] = f[i];
      }
    }
    return d;
  }

  public float[] toFloatArray() {
    if (gpu != null) {
      return gpu.downloadFloats(offset, shape.size());
    }
    float[] f = new float[shape.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[offset + i];
    }
    return f;
  }

  public int[] toIntArray() {
    if (gpu != null && gpu.kind() == GpuStorage.Kind.INT32) {
      return gpu.downloadInts(offset, shape.size());
    }
    if (gpu != null) {
      float[] f = gpu.downloadFloats(offset, shape.size());
      int[] r = new int[f.length];
      for (int i = 0; i < f.length; i++) {
        r[i] = (int) f[i];
      }
      return r;
    }
    int[] r = new int[shape.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = (int) data[offset + i];
    }
    return r;
  }

  /** Backing storage, for in-place parameter updates by optimisers; see {@link #offset()}. */
  public double[] buffer() {
    if (gpu != null) {
      throw new IllegalStateException("tensor of shape " + shape + " is on " + device() + "; it has no host buffer");
    }
    return data;
  }

  /** Where this tensor's elements start in {@link #buffer()} (or its {@link #gpuStorage()}). */
  public int offset() {
    return offset;
  }

  /** A view of the same storage with another shape of equal size (one dimension may be -1). */
  public Tensor view(int... dims) {
    return sharing(offset, shape.reshape(dims));
  }

  /** A view of rows {@code [start, start+length)} of the first dimension, without autograd. */
  public Tensor rowsView(int start, int length) {
    if (start < 0 || length < 0 || start + length > shape.dim(0)) {
      throw new IndexOutOfBoundsException("rows [" + start + ", " + (start + length) + ") of shape " + shape);
    }
    return sharing(offset + start * shape.inner(0), shape.with(0, length));
  }

  /** A tensor over this one's storage, without autograd. */
  private Tensor sharing(int at, Shape s) {
    return gpu != null ? new Tensor(gpu, at, s, dtype) : new Tensor(data, at, s, dtype);
  }

  /** The same values as a tensor of another type (a copy; FLOAT32 rounds). */
  public Tensor to(DType type) {
    if (type == dtype) {
      return this;
    }
    if (gpu != null) {
      throw new UnsupportedOperationException(
          "a GPU tensor is " + dtype + "; convert it on the CPU (toCpu()) to make it " + type);
    }
    if (type == DType.INT32) {
      double[] d = toDoubleArray();
      for (int i = 0; i < d.length; i++) {
        d[i] = (int) d[i];
      }
      return wrap(d, shape, type);
    }
    return wrap(toDoubleArray(), shape, type);
  }

  // ---- autograd ----

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks this leaf tensor as one whose gradient the tape accumulates; returns it. */
  public Tensor requiresGrad(boolean value) {
    if (value && !dtype.isFloating()) {
      throw new IllegalArgumentException("an INT32 tensor cannot require a gradient");
    }
    this.requiresGrad = value;
    return this;
  }

  /** The accumulated gradient of a leaf, or {@code null} before any backward pass reached it. */
  public Tensor grad() {
    return grad;
  }

  public void setGrad(Tensor g) {
    if (g != null && !g.shape.equals(shape)) {
      throw new ShapeMismatchException("setGrad", shape, g.shape, "gradient shape must equal the tensor's");
    }
    this.grad = g;
  }

  public void zeroGrad() {
    this.grad = null;
  }

  /** The tape node that produced this tensor, or {@code null} for a leaf or a constant. */
  public Node gradFn() {
    return gradFn;
  }

  /** Called by {@code Autograd.record}; makes this tensor an interior node of the tape. */
  public void setGradFn(Node node) {
    this.gradFn = node;
    this.requiresGrad = node != null || requiresGrad;
  }

  /** The same values, cut off from the tape. */
  public Tensor detach() {
    return sharing(offset, shape);
  }

  /** Back-propagates from this one-element tensor (seed 1). */
  public void backward() {
    if (shape.size() != 1) {
      throw new IllegalStateException("backward() without a seed needs a one-element tensor; shape is " + shape);
    }
    Tensor one = Tensor.full(dtype, 1, shape.dims());
    Backprop.run(this, gpu != null ? Ops.toGpu(one, gpu.context()) : one);
  }

  /** Back-propagates {@code seed}, the gradient of some scalar with respect to this tensor. */
  public void backward(Tensor seed) {
    Backprop.run(this, seed);
  }

  // ---- shorthands for the common ops ----

  public Tensor add(Tensor o) {
    return Ops.add(this, o);
  }

  public Tensor sub(Tensor o) {
    return Ops.sub(this, o);
  }

  public Tensor mul(Tensor o) {
    return Ops.mul(this, o);
  }

  public Tensor div(Tensor o) {
    return Ops.div(this, o);
  }

  public Tensor matmul(Tensor o) {
    return Ops.matmul(this, o);
  }

  public Tensor reshape(int... dims) {
    return Ops.reshape(this, dims);
  }

  public Tensor transpose(int a, int b) {
    return Ops.transpose(this, a, b);
  }

  public Tensor sum() {
    return Ops.sum(this);
  }

  public Tensor mean() {
    return Ops.mean(this);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ').append(dtype).append(" [");
    int n = Math.min(shape.size(), 8);
    double[] head = gpu != null ? download(n) : null;
    if (gpu != null) {
      sb.insert(0, device() + " ");
    }
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(head != null ? head[i] : data[offset + i]);
    }
    return sb.append(shape.size() > n ? ", ...]" : "]").toString();
  }

}
