package dev.joule.engine.ops;

import dev.joule.engine.tensor.Shape;

/**
 * Index arithmetic for NumPy broadcasting: walks an output shape row by row (the last dimension is
 * the contiguous inner loop) and tracks where each operand's element lives, with stride 0 along
 * broadcast dimensions.
 */
final class Broadcasting {
  private Broadcasting() {}

  /** Strides of {@code s} aligned to the end of {@code out}, 0 where {@code s} is broadcast. */
  static int[] alignedStrides(Shape s, Shape out) {
    int rank = out.rank();
    int[] own = s.strides();
    int[] r = new int[rank];
    int shift = rank - s.rank();
    for (int i = 0; i < s.rank(); i++) {
      r[i + shift] = s.dim(i) == 1 && out.dim(i + shift) != 1 ? 0 : own[i];
    }
    return r;
  }

  /**
   * {@code out}'s dimensions and the operands' strides along them ({@link #alignedStrides}) with
   * dimensions of size 1 dropped and neighbours merged wherever every operand steps through the
   * pair as through one dimension: the fewest dimensions whose index a kernel must compute
   * ({@code [B, T, C] + [C]} is {@code [B·T, C]}). Returns the dimensions, then each operand's
   * strides; all empty when every dimension is 1.
   */
  static int[][] coalesce(Shape out, int[]... strides) {
    int rank = out.rank();
    int[] dims = new int[rank];
    int[][] st = new int[strides.length][rank];
    int kept = 0;
    for (int d = 0; d < rank; d++) {
      int size = out.dim(d);
      if (size == 1) {
        continue;
      }
      boolean merge = kept > 0;
      for (int k = 0; merge && k < strides.length; k++) {
        merge = st[k][kept - 1] == (long) strides[k][d] * size;
      }
      if (merge) {
        dims[kept - 1] *= size;
        for (int k = 0; k < strides.length; k++) {
          st[k][kept - 1] = strides[k][d];
        }
      } else {
        dims[kept] = size;
        for (int k = 0; k < strides.length; k++) {
          st[k][kept] = strides[k][d];
        }
        kept++;
      }
    }
    int[][] r = new int[strides.length + 1][];
    r[0] = java.util.Arrays.copyOf(dims, kept);
    for (int k = 0; k < strides.length; k++) {
      r[k + 1] = java.util.Arrays.copyOf(st[k], kept);
    }
    return r;
  }

  /** Visitor for one contiguous row of the output. */
  interface Row {
    void visit(int outStart, int length, int offA, int strideA, int offB, int strideB);
  }

  /** Calls {@code row} for every row of {@code out}, with the operands' offsets and inner strides. */
  static void forEachRow(Shape out, int[] sa, int[] sb, Row row) {
    int rank = out.rank();
    if (rank == 0) {
      row.visit(0, 1, 0, 0, 0, 0);
      return;
    }
    int inner = out.dim(rank - 1);
    int n = out.size();
    if (inner == 0 || n == 0) {
      return;
    }
    int[] counter = new int[rank];
    int offA = 0;
    int offB = 0;
    for (int base = 0; base < n; base += inner) {
      row.visit(base, inner, offA, sa[rank - 1], offB, sb[rank - 1]);
      for (int d = rank - 2; d >= 0; d--) {
        counter[d]++;
        offA += sa[d];
        offB += sb[d];
        if (counter[d] < out.dim(d)) {
          break;
        }
        offA -= sa[d] * counter[d];
        offB -= sb[d] * counter[d];
        counter[d] = 0;
      }
    }
  }

  /** Sums {@code g} (of shape {@code from}) over the broadcast dimensions down to {@code to}. */
  static double[] sumTo(double[] g, Shape from, Shape to) {
    if (from.equals(to)) {
      return g;
    }
    double[] r = new double[to.size()];
    int[] st = alignedStrides(to, from);
    int[] none = new int[from.rank()];
    forEachRow(
        from,
        st,
        none,
        (start, len, off, stride, unused, unusedStride) -> {
          if (stride == 0) {
            double s = 0;
            for (int j = 0; j < len; j++) {
              s += g[start + j];
            }
            r[off] += s;
          } else {
            for (int j = 0; j < len; j++) {
              r[off + j * stride] += g[start + j];
            }
          }
        });
    return r;
  }

  /** Copies {@code x} (of shape {@code from}) broadcast to {@code to}. */
  static double[] expand(double[] x, Shape from, Shape to) {
    double[] r = new double[to.size()];
    int[] sx = alignedStrides(from, to);
    forEachRow(
        to,
        sx,
        new int[to.rank()],
        (start, len, off, stride, unused, unusedStride) -> {
          for (int j = 0; j < len; j++) {
            r[start + j] = x[off + j * stride];
          }
        });
    return r;
  }
}
