package dev.joule.engine.tensor;

import java.util.Arrays;

/** Immutable row-major tensor shape: the sizes of the dimensions, outermost first. */
public final class Shape {
  private static final Shape SCALAR = new Shape(new int[0]);
  private final int[] dims;
  private final long size;

  private Shape(int[] dims) {
    long n = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
      }
      n *= d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor of shape " + Arrays.toString(dims) + " has more than 2^31 elements");
    }
    this.dims = dims;
    this.size = n;
  }

  public static Shape of(int... dims) {
    return dims.length == 0 ? SCALAR : new Shape(dims.clone());
  }

  public static Shape scalar() {
    return SCALAR;
  }

  public int rank() {
    return dims.length;
  }

  /** Size of dimension {@code i}; negative {@code i} counts from the end. */
  public int dim(int i) {
    return dims[axis(i)];
  }

  /** {@code i} as a dimension index in {@code [0, rank)}; negative counts from the end. */
  public int axis(int i) {
    int a = i < 0 ? i + dims.length : i;
    if (a < 0 || a >= dims.length) {
      throw new IllegalArgumentException("dimension " + i + " out of range for shape " + this);
    }
    return a;
  }

  public int size() {
    return (int) size;
  }

  public int[] dims() {
    return dims.clone();
  }

  /** Product of the dimensions before {@code axis}. */
  public int outer(int axis) {
    int n = 1;
    for (int i = 0; i < axis; i++) {
      n *= dims[i];
    }
    return n;
  }

  /** Product of the dimensions after {@code axis}. */
  public int inner(int axis) {
    int n = 1;
    for (int i = axis + 1; i < dims.length; i++) {
      n *= dims[i];
    }
    return n;
  }

  /** Row-major strides in elements. */
  public int[] strides() {
    int[] s = new int[dims.length];
    int acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  /** This shape with dimension {@code axis} set to {@code size}. */
  public Shape with(int axis, int size) {
    int[] d = dims.clone();
    d[axis(axis)] = size;
    return new Shape(d);
  }

  /** This shape without dimension {@code axis}. */
  public Shape without(int axis) {
    int a = axis(axis);
    int[] d = new int[dims.length - 1];
    System.arraycopy(dims, 0, d, 0, a);
    System.arraycopy(dims, a + 1, d, a, dims.length - a - 1);
    return new Shape(d);
  }

  /**
   * The shape of {@code op(a, b)} under NumPy broadcasting: dimensions are aligned at the end and
   * each pair must be equal or contain a 1.
   */
  public static Shape broadcast(String op, Shape a, Shape b) {
    if (a.equals(b)) {
      return a;
    }
    int rank = Math.max(a.rank(), b.rank());
    int[] d = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
      int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
      if (da != db && da != 1 && db != 1) {
        throw new ShapeMismatchException(op, a, b, "cannot broadcast dimension " + i + " (" + da + " vs " + db + ")");
      }
      d[i] = da == 1 ? db : da;
    }
    return new Shape(d);
  }

  /**
   * Resolves a reshape target for {@code size} elements; one entry may be -1 and is inferred.
   */
  public Shape reshape(int... target) {
    int infer = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        if (infer >= 0) {
          throw new ShapeMismatchException("reshape", this, "more than one -1 in target " + Arrays.toString(target));
        }
        infer = i;
      } else {
        known *= target[i];
      }
    }
    int[] d = target.clone();
    if (infer >= 0) {
      if (known == 0 || size % known != 0) {
        throw new ShapeMismatchException("reshape", this, "cannot infer -1 in " + Arrays.toString(target));
      }
      d[infer] = (int) (size / known);
    }
    Shape s = Shape.of(d);
    if (s.size != size) {
      throw new ShapeMismatchException("reshape", this, s, "element counts differ (" + size + " vs " + s.size + ")");
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
