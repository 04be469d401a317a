package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;

/**
 * Sliding windows over time ("im2col"): {@code [B, T, C] → [B, T', K·C]} where output frame
 * {@code t} holds input frames {@code t·stride + k·dilation − padLeft} for {@code k < K}, zero
 * outside the input. It is frame stacking (K frames, stride = subsampling) on its own, and a 1-D
 * convolution once followed by a matrix product with the kernel. On a GPU: {@link GpuUnfold}.
 */
final class Unfold {
  private Unfold() {}

  /** Output length for input length {@code t}. */
  static int outputLength(int t, int kernel, int stride, int dilation, int padLeft, int padRight) {
    int span = dilation * (kernel - 1) + 1;
    int padded = t + padLeft + padRight;
    return padded < span ? 0 : (padded - span) / stride + 1;
  }

  /** Refuses a window geometry that no convolution has, naming {@code op}. */
  static void checkGeometry(String op, int kernel, int stride, int dilation, int padLeft, int padRight) {
    if (kernel < 1 || stride < 1 || dilation < 1 || padLeft < 0 || padRight < 0) {
      throw new IllegalArgumentException(
          op + ": kernel, stride and dilation must be ≥ 1 and padding ≥ 0; got kernel " + kernel + ", stride " + stride
              + ", dilation " + dilation + ", padding " + padLeft + "/" + padRight);
    }
  }

  static Tensor unfold(Tensor x, int kernel, int stride, int dilation, int padLeft, int padRight) {
    Arithmetic.requireFloating("unfold", x);
    if (x.rank() != 3) {
      throw new ShapeMismatchException("unfold", x.shape(), "input must be [batch, time, channels]");
    }
    checkGeometry("unfold", kernel, stride, dilation, padLeft, padRight);
    if (Placement.gpuOf("unfold", x) != null) {
      return GpuUnfold.unfold(x, kernel, stride, dilation, padLeft, padRight);
    }
    int b = x.dim(0);
    int t = x.dim(1);
    int c = x.dim(2);
    int tOut = outputLength(t, kernel, stride, dilation, padLeft, padRight);
    double[] v = x.values();
    double[] r = new double[b * tOut * kernel * c];
    for (int n = 0; n < b; n++) {
      for (int o = 0; o < tOut; o++) {
        for (int k = 0; k < kernel; k++) {
          int src = o * stride + k * dilation - padLeft;
          if (src >= 0 && src < t) {
            System.arraycopy(v, (n * t + src) * c, r, ((n * tOut + o) * kernel + k) * c, c);
          }
        }
      }
    }
    Tensor y = Tensor.wrapRounded(r, Shape.of(b, tOut, kernel * c), x.dtype()); // copies of x's values
    Shape xs = x.shape();
    return Autograd.record(
        y,
        "unfold",
        g -> {
          double[] gv = g.values();
          double[] gx = new double[xs.size()];
          for (int n = 0; n < b; n++) {
            for (int o = 0; o < tOut; o++) {
              for (int k = 0; k < kernel; k++) {
                int src = o * stride + k * dilation - padLeft;
                if (src >= 0 && src < t) {
                  int from = ((n * tOut + o) * kernel + k) * c;
                  int to = (n * t + src) * c;
                  for (int j = 0; j < c; j++) {
                    gx[to + j] += gv[from + j];
                  }
                }
              }
            }
          }
          return new Tensor[] {Tensor.wrap(gx, xs, g.dtype())};
        },
        x);
  }
}
