package dev.joule.frontend;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense row-major matrix of {@code float}: one row per frame, one column per feature.
 *
 * <p>The front end's only container type. It wraps a flat array (no copy) so callers can hand the
 * data to whatever they use for tensors without the front end knowing about them.
 */
public final class FloatMatrix {
  private final int rows;
  private final int cols;
  private final float[] data;

  /** A zero matrix. */
  public FloatMatrix(int rows, int cols) {
    this(rows, cols, new float[checkedSize(rows, cols)]);
  }

  /** Wraps {@code data} (row-major, length rows·cols) without copying. */
  public FloatMatrix(int rows, int cols, float[] data) {
    if (data.length != checkedSize(rows, cols)) {
      throw new IllegalArgumentException(
          "data length " + data.length + " != " + rows + " x " + cols);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  private static int checkedSize(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("negative shape " + rows + " x " + cols);
    }
    long n = (long) rows * cols;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("matrix too large: " + rows + " x " + cols);
    }
    return (int) n;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The backing row-major array (shared, not a copy). */
  public float[] data() {
    return data;
  }

  public float get(int r, int c) {
    return data[index(r, c)];
  }

  public void set(int r, int c, float v) {
    data[index(r, c)] = v;
  }

  /** A copy of row {@code r}. */
  public float[] row(int r) {
    Objects.checkIndex(r, rows);
    return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
  }

  /** A deep copy. */
  public FloatMatrix copy() {
    return new FloatMatrix(rows, cols, data.clone());
  }

  private int index(int r, int c) {
    Objects.checkIndex(r, rows);
    Objects.checkIndex(c, cols);
    return r * cols + c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatMatrix m
        && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatMatrix[" + rows + " x " + cols + "]";
  }
}
