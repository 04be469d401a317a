package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOpCheck.randn;
import static dev.joule.engine.testing.GpuParity.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import org.junit.jupiter.api.Test;

/**
 * Matrix products on cuBLAS against the CPU, forward and both gradients: sizes that are not
 * multiples of 32, flattened leading dimensions, batched products, views with an offset, products
 * with transposed operands, operands on two devices, and exact small-integer cases that pin down
 * which operand each gradient transposes.
 */
class GpuMatMulOpsTest {
  /** Float32 sums of up to a few hundred terms, accumulated in another order than the CPU's. */
  private static final double TOL = 2e-4;

  @Test
  void flattenedProductsOfOddSizesMatchTheCpu() {
    int[][] mnk = {{1, 1, 1}, {1, 7, 3}, {7, 5, 13}, {33, 31, 65}, {100, 129, 257}, {64, 32, 96}, {3, 300, 1}};
    for (int[] s : mnk) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      check("matmul " + m + "x" + k + " by " + k + "x" + n, in -> Ops.matmul(in.get(0), in.get(1)), TOL,
          randn(m * 31 + n, m, k), randn(k * 17 + n, k, n));
    }
  }

  @Test
  void leadingDimensionsAreFlattened() {
    check("matmul [3, 37, 45] by [45, 29]", in -> Ops.matmul(in.get(0), in.get(1)), TOL, randn(1, 3, 37, 45), randn(2, 45, 29));
    check("matmul [2, 3, 5, 7] by [7, 11]", in -> Ops.matmul(in.get(0), in.get(1)), TOL, randn(3, 2, 3, 5, 7), randn(4, 7, 11));
  }

  /** The fused linear layer (bias written first, product accumulated onto it) and its three gradients. */
  @Test
  void linearLayersMatchTheCpu() {
    int[][] mnk = {{1, 1, 1}, {7, 5, 13}, {33, 31, 65}, {100, 129, 257}, {3, 300, 1}};
    for (int[] s : mnk) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      check("linear " + m + "x" + k + " by " + k + "x" + n, in -> Ops.linear(in.get(0), in.get(1), in.get(2)), TOL,
          randn(m * 7 + n, m, k), randn(k * 5 + n, k, n), randn(n + 3, n));
    }
    check("linear [3, 37, 45] by [45, 29]", in -> Ops.linear(in.get(0), in.get(1), in.get(2)), TOL, randn(1, 3, 37, 45),
        randn(2, 45, 29), randn(3, 29));
    check("linear of views", in -> Ops.linear(Ops.narrow(in.get(0), 0, 2, 5), Ops.narrow(in.get(1), 0, 1, 11),
        Ops.narrow(in.get(2), 0, 3, 6)), TOL, randn(4, 9, 11), randn(5, 13, 6), randn(6, 10));
    check("linear without bias", in -> Ops.linear(in.get(0), in.get(1), null), TOL, randn(7, 6, 4), randn(8, 4, 3));
  }

  @Test
  void batchedProductsMatchTheCpu() {
    check("bmm [4, 33, 17] by [4, 17, 41]", in -> Ops.matmul(in.get(0), in.get(1)), TOL, randn(10, 4, 33, 17), randn(11, 4, 17, 41));
    check("bmm batch 1", in -> Ops.matmul(in.get(0), in.get(1)), TOL, randn(12, 1, 9, 5), randn(13, 1, 5, 6));
    check("bmm vectors", in -> Ops.matmul(in.get(0), in.get(1)), TOL, randn(14, 5, 1, 7), randn(15, 5, 7, 1));
    check("bmm outer products", in -> Ops.matmul(in.get(0), in.get(1)), TOL, randn(16, 3, 6, 1), randn(17, 3, 1, 5));
    check("bmm [7, 65, 130] by [7, 130, 63]", in -> Ops.matmul(in.get(0), in.get(1)), TOL, randn(18, 7, 65, 130),
        randn(19, 7, 130, 63));
  }

  @Test
  void viewsAreReadAtTheirOffsets() {
    check("matmul of row views", in -> Ops.matmul(Ops.narrow(in.get(0), 0, 2, 5), Ops.narrow(in.get(1), 0, 1, 11)), TOL,
        randn(20, 9, 11), randn(21, 13, 6));
    check("bmm of batch views", in -> Ops.matmul(Ops.narrow(in.get(0), 0, 1, 3), Ops.narrow(in.get(1), 0, 2, 3)), TOL,
        randn(22, 5, 7, 9), randn(23, 6, 9, 4));
    check("matmul of a reshaped view", in -> Ops.matmul(Ops.reshape(Ops.narrow(in.get(0), 0, 1, 2), 6, 5), in.get(1)), TOL,
        randn(24, 4, 3, 5), randn(25, 5, 8));
  }

  @Test
  void productsOfTransposedOperandsHaveTheRightGradients() {
    check("a·bᵀ", in -> Ops.matmul(in.get(0), Ops.transpose(in.get(1), 0, 1)), TOL, randn(30, 7, 9), randn(31, 5, 9));
    check("aᵀ·b", in -> Ops.matmul(Ops.transpose(in.get(0), 0, 1), in.get(1)), TOL, randn(32, 9, 7), randn(33, 9, 5));
    check("batched a·bᵀ", in -> Ops.matmul(in.get(0), Ops.transpose(in.get(1), 1, 2)), TOL, randn(34, 3, 7, 9),
        randn(35, 3, 5, 9));
    check("(a·b)ᵀ", in -> Ops.transpose(Ops.matmul(in.get(0), in.get(1)), 0, 1), TOL, randn(36, 6, 4), randn(37, 4, 3));
  }

  /** Small integers, so float32 is exact: the gradients are G·Bᵀ and Aᵀ·G, not their transposes. */
  @Test
  void gradientsOfANonSquareProductAreExact() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor aLeaf = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    aLeaf.moveTo(gpu);
    aLeaf.requiresGrad(true);
    Tensor bLeaf = Tensor.of(new float[] {1, 0, 2, -1, 3, 1}, 3, 2);
    bLeaf.moveTo(gpu);
    bLeaf.requiresGrad(true);
    Tensor y = Ops.matmul(aLeaf, bLeaf);
    // [[1,2,3],[4,5,6]]·[[1,0],[2,-1],[3,1]] = [[14, 1], [32, 1]]
    assertArrayEquals(new float[] {14, 1, 32, 1}, y.toFloatArray());
    y.backward(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toGpu(gpu));
    // G·Bᵀ = [[1,2],[3,4]]·[[1,2,3],[0,-1,1]] = [[1, 0, 5], [3, 2, 13]]
    assertArrayEquals(new float[] {1, 0, 5, 3, 2, 13}, aLeaf.grad().toFloatArray());
    // Aᵀ·G = [[1,4],[2,5],[3,6]]·[[1,2],[3,4]] = [[13, 18], [17, 24], [21, 30]]
    assertArrayEquals(new float[] {13, 18, 17, 24, 21, 30}, bLeaf.grad().toFloatArray());
    assertTrue(aLeaf.grad().isGpu());
  }

  @Test
  void onlyTheInputsThatNeedAGradientGetOne() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(40, 6, 5).toGpu(gpu);
    Tensor w = randn(41, 5, 3);
    w.moveTo(gpu);
    w.requiresGrad(true);
    Ops.matmul(x, w).backward(randn(42, 6, 3).toGpu(gpu));
    Tensor want = Ops.matmul(Ops.transpose(randn(40, 6, 5), 0, 1), randn(42, 6, 3));
    GpuParity.assertClose("dW", want.toDoubleArray(), w.grad().toDoubleArray(), TOL);
    assertNull(x.grad());
  }

  @Test
  void aWeightOnTheHostMeetsAGpuActivation() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(50, 4, 7).toGpu(gpu);
    Tensor w = randn(51, 7, 3).requiresGrad(true);
    Tensor y = Ops.matmul(x, w);
    assertTrue(y.isGpu());
    GpuParity.assertClose("forward", Ops.matmul(randn(50, 4, 7), randn(51, 7, 3)).toDoubleArray(), y.toDoubleArray(), TOL);
    y.backward(randn(52, 4, 3).toGpu(gpu));
    assertFalse(w.grad().isGpu());
    Tensor want = Ops.matmul(Ops.transpose(randn(50, 4, 7), 0, 1), randn(52, 4, 3));
    GpuParity.assertClose("dW on the host", want.toDoubleArray(), w.grad().toDoubleArray(), TOL);
  }

  /** Outputs come from a caching allocator that hands back used blocks: beta must be 0. */
  @Test
  void repeatedProductsDoNotAccumulate() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor a = randn(60, 17, 19);
    Tensor b = randn(61, 19, 23);
    double[] want = Ops.matmul(a, b).toDoubleArray();
    Tensor ga = a.toGpu(gpu);
    Tensor gb = b.toGpu(gpu);
    for (int i = 0; i < 4; i++) {
      GpuParity.assertClose("product " + i, want, Ops.matmul(ga, gb).toDoubleArray(), TOL);
    }
    Tensor ba = randn(62, 3, 17, 19);
    Tensor bb = randn(63, 3, 19, 23);
    double[] wantBatched = Ops.matmul(ba, bb).toDoubleArray();
    for (int i = 0; i < 4; i++) {
      GpuParity.assertClose("batched product " + i, wantBatched, Ops.matmul(ba.toGpu(gpu), bb.toGpu(gpu)).toDoubleArray(), TOL);
    }
  }

  @Test
  void aLargeProductMatchesTheCpu() {
    GpuParity.requireGpu(); // before making the large inputs
    check("matmul [1031, 300] by [300, 517]", in -> Ops.matmul(in.get(0), in.get(1)), 5e-4, randn(70, 1031, 300), randn(71, 300, 517));
  }
}
