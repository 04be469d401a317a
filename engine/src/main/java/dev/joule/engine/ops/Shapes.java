package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.autograd.Backward;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reshape (a view), permute/transpose (copies), narrow, concat, split and stack. Operands on a
 * GPU are handled by {@link GpuShapes} (reshape, split and stack need no GPU code of their own:
 * they are views, narrows and concats).
 */
final class Shapes {
  private Shapes() {}

  static Tensor reshape(Tensor x, int... dims) {
    Tensor y = x.view(dims);
    Shape xs = x.shape();
    return Autograd.record(y, "reshape", g -> new Tensor[] {g.view(xs.dims())}, x);
  }

  /** Dimensions reordered: output dimension {@code i} is input dimension {@code order[i]}. */
  static Tensor permute(Tensor x, int... order) {
    Shape s = x.shape();
    int rank = s.rank();
    if (order.length != rank) {
      throw new ShapeMismatchException("permute", s, "order " + Arrays.toString(order) + " must name every dimension once");
    }
    boolean[] used = new boolean[rank];
    int[] dims = new int[rank];
    int[] inStrides = s.strides();
    int[] strides = new int[rank];
    for (int i = 0; i < rank; i++) {
      int a = s.axis(order[i]);
      if (used[a]) {
        throw new ShapeMismatchException("permute", s, "order " + Arrays.toString(order) + " repeats dimension " + a);
      }
      used[a] = true;
      dims[i] = s.dim(a);
      strides[i] = inStrides[a];
    }
    Shape out = Shape.of(dims);
    int[] inverse = new int[rank];
    for (int i = 0; i < rank; i++) {
      inverse[s.axis(order[i])] = i;
    }
    if (Placement.gpuOf("permute", x) != null) {
      return GpuShapes.permute(x, out, strides, inverse);
    }
    double[] v = x.values();
    double[] r = new double[out.size()];
    Broadcasting.forEachRow(
        out,
        strides,
        new int[rank],
        (start, len, off, stride, unused, unusedStride) -> {
          for (int j = 0; j < len; j++) {
            r[start + j] = v[off + j * stride];
          }
        });
    Tensor y = Tensor.wrap(r, out, x.dtype());
    return Autograd.record(y, "permute", g -> new Tensor[] {permute(g, inverse)}, x);
  }

  static Tensor transpose(Tensor x, int a, int b) {
    int[] order = new int[x.rank()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    int aa = x.shape().axis(a);
    int bb = x.shape().axis(b);
    order[aa] = bb;
    order[bb] = aa;
    return permute(x, order);
  }

  /** Elements {@code [start, start+length)} along {@code dim}; a view when {@code dim} is 0. */
  static Tensor narrow(Tensor x, int dim, int start, int length) {
    Shape s = x.shape();
    int axis = s.axis(dim);
    int n = s.dim(axis);
    if (start < 0 || length < 0 || start + length > n) {
      throw new ShapeMismatchException("narrow", s, "range [" + start + ", " + (start + length) + ") outside dimension " + axis + " of size " + n);
    }
    if (Placement.gpuOf("narrow", x) != null) {
      return GpuShapes.narrow(x, axis, start, length);
    }
    Tensor y;
    if (axis == 0) {
      y = x.rowsView(start, length);
    } else {
      int outer = s.outer(axis);
      int inner = s.inner(axis);
      double[] v = x.values();
      double[] r = new double[outer * length * inner];
      for (int o = 0; o < outer; o++) {
        System.arraycopy(v, (o * n + start) * inner, r, o * length * inner, length * inner);
      }
      y = Tensor.wrap(r, s.with(axis, length), x.dtype());
    }
    y = y.detach();
    return Autograd.record(
        y,
        "narrow",
        g -> {
          int outer = s.outer(axis);
          int inner = s.inner(axis);
          double[] gv = g.values();
          double[] r = new double[s.size()];
          for (int o = 0; o < outer; o++) {
            System.arraycopy(gv, o * length * inner, r, (o * n + start) * inner, length * inner);
          }
          return new Tensor[] {Tensor.wrap(r, s, g.dtype())};
        },
        x);
  }

  static Tensor concat(List<Tensor> parts, int dim) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("concat of no tensors");
    }
    Shape first = parts.get(0).shape();
    int axis = first.axis(dim);
    int total = 0;
    DType type = parts.get(0).dtype();
    for (Tensor t : parts) {
      Shape s = t.shape();
      if (s.rank() != first.rank() || !s.with(axis, 1).equals(first.with(axis, 1))) {
        throw new ShapeMismatchException("concat", first, s, "shapes must agree except in dimension " + axis);
      }
      total += s.dim(axis);
      type = t.dtype() == type ? type : DType.promote(type, t.dtype());
    }
    Shape out = first.with(axis, total);
    GpuTensors gpu = Placement.gpuOf("concat", parts.toArray(new Tensor[0]));
    if (gpu != null) {
      List<Tensor> onGpu = new ArrayList<>();
      for (Tensor t : parts) {
        onGpu.add(Placement.on(gpu, t));
      }
      return GpuShapes.concat(onGpu, axis, out);
    }
    int outer = first.outer(axis);
    int inner = first.inner(axis);
    double[] r = new double[out.size()];
    int at = 0;
    int[] starts = new int[parts.size()];
    for (int p = 0; p < parts.size(); p++) {
      Tensor t = parts.get(p);
      int len = t.dim(axis);
      double[] v = t.values();
      for (int o = 0; o < outer; o++) {
        System.arraycopy(v, o * len * inner, r, (o * total + at) * inner, len * inner);
      }
      starts[p] = at;
      at += len;
    }
    Tensor y = Tensor.wrap(r, out, type);
    Tensor[] inputs = parts.toArray(new Tensor[0]);
    return Autograd.record(y, "concat", concatGradient(inputs, axis, starts), inputs);
  }

  /**
   * The gradient of a concatenation along {@code axis} (on either device): each input that needs
   * one gets its slice of the output's, {@code inputs[p]} having started at {@code starts[p]}.
   */
  static Backward concatGradient(Tensor[] inputs, int axis, int[] starts) {
    return g -> {
      Tensor[] grads = new Tensor[inputs.length];
      for (int p = 0; p < inputs.length; p++) {
        if (inputs[p].requiresGrad()) {
          grads[p] = narrow(g, axis, starts[p], inputs[p].dim(axis));
        }
      }
      return grads;
    };
  }

  static List<Tensor> split(Tensor x, int dim, int... sizes) {
    int axis = x.shape().axis(dim);
    int sum = 0;
    for (int s : sizes) {
      sum += s;
    }
    if (sum != x.dim(axis)) {
      throw new ShapeMismatchException("split", x.shape(), "sizes " + Arrays.toString(sizes) + " do not add up to dimension " + axis);
    }
    List<Tensor> out = new ArrayList<>();
    int at = 0;
    for (int s : sizes) {
      out.add(narrow(x, axis, at, s));
      at += s;
    }
    return out;
  }

  /** Tensors of equal shape stacked along a new dimension {@code dim}. */
  static Tensor stack(List<Tensor> parts, int dim) {
    List<Tensor> expanded = new ArrayList<>();
    Shape s = parts.get(0).shape();
    int axis = dim < 0 ? dim + s.rank() + 1 : dim;
    for (Tensor t : parts) {
      if (!t.shape().equals(s)) {
        throw new ShapeMismatchException("stack", s, t.shape(), "all tensors must have the same shape");
      }
      int[] d = new int[s.rank() + 1];
      for (int i = 0, j = 0; i < d.length; i++) {
        d[i] = i == axis ? 1 : s.dim(j++);
      }
      expanded.add(reshape(t, d));
    }
    return concat(expanded, axis);
  }
}
