package dev.joule.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The host-side plans of the GPU math kernels, checked on the CPU (no GPU needed): the broadcast
 * kernel's coalesced shape and strides, the passes of a reduction, and the passes that sum a
 * broadcast gradient back. Each plan is run through a Java transcription of the kernel's index
 * arithmetic ({@code tensor_math.cu}) and compared with the CPU ops.
 */
class GpuKernelPlansTest {
  private static int[] randomBroadcastOf(Random r, int[] out) {
    int drop = r.nextInt(out.length + 1);
    int[] d = new int[out.length - drop];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextInt(3) == 0 ? 1 : out[i + drop];
    }
    return d;
  }

  /** joule_broadcast_f32, op add. */
  private static double[] broadcastKernel(int[][] plan, double[] a, double[] b, int n) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      int rest = i;
      long oa = 0;
      long ob = 0;
      for (int d = 5; d >= 0; d--) {
        if (plan[0][d] != 1) {
          int c = rest % plan[0][d];
          rest /= plan[0][d];
          oa += (long) c * plan[1][d];
          ob += (long) c * plan[2][d];
        }
      }
      y[i] = a[(int) oa] + b[(int) ob];
    }
    return y;
  }

  @Test
  void broadcastPlansIndexLikeTheCpu() {
    Random r = new Random(1);
    for (int trial = 0; trial < 2000; trial++) {
      int rank = r.nextInt(8);
      int[] out = new int[rank];
      for (int i = 0; i < rank; i++) {
        out[i] = 1 + r.nextInt(4);
      }
      int[] da = randomBroadcastOf(r, out);
      int[] db = randomBroadcastOf(r, out);
      Tensor a = Tensor.randn(r, DType.FLOAT64, 1, da);
      Tensor b = Tensor.randn(r, DType.FLOAT64, 1, db);
      Tensor want = Ops.add(a, b);
      int[][] plan;
      try {
        plan = GpuArithmetic.broadcastPlan(a.shape(), b.shape(), want.shape());
      } catch (UnsupportedOperationException tooManyDimensions) {
        assertTrue(rank > GpuMathKernels.BROADCAST_RANK, "rank " + rank + " refused");
        continue;
      }
      double[] got = broadcastKernel(plan, a.values(), b.values(), want.size());
      String what = Arrays.toString(da) + " + " + Arrays.toString(db) + " plan " + Arrays.deepToString(plan);
      assertEquals(Arrays.toString(want.values()), Arrays.toString(got), what);
    }
  }

  /** Whether (v, k) beats (w, j): joule_max_beats. */
  private static boolean beats(float v, int k, float w, int j) {
    if (k < 0) {
      return false;
    }
    if (j < 0) {
      return true;
    }
    boolean vn = Float.isNaN(v);
    boolean wn = Float.isNaN(w);
    if (vn != wn) {
      return vn;
    }
    if (!vn && v != w) {
      return v > w;
    }
    return k < j;
  }

  /** joule_reduce_strided_f32 and joule_reduce_rows_f32 (max), lanes and shuffles included. */
  private static void maxPass(int outer, int n, int inner, int chunk, boolean warpRows, float[] x, int[] argIn,
      float[] y, int[] argOut) {
    int segments = (n + chunk - 1) / chunk;
    for (int o = 0; o < outer; o++) {
      for (int s = 0; s < segments; s++) {
        for (int i = 0; i < inner; i++) {
          int k1 = Math.min(n, s * chunk + chunk);
          int lanes = warpRows ? 32 : 1;
          float[] best = new float[lanes];
          int[] at = new int[lanes];
          Arrays.fill(at, -1);
          for (int lane = 0; lane < lanes; lane++) {
            for (int k = s * chunk + lane; k < k1; k += lanes) {
              int e = (o * n + k) * inner + i;
              float v = x[e];
              if (at[lane] < 0 || v > best[lane] || (Float.isNaN(v) && !Float.isNaN(best[lane]))) {
                best[lane] = v;
                at[lane] = argIn != null ? argIn[e] : k;
              }
            }
          }
          for (int off = 16; warpRows && off > 0; off >>= 1) {
            float[] b = best.clone();
            int[] a = at.clone();
            for (int lane = 0; lane + off < 32; lane++) {
              if (beats(b[lane + off], a[lane + off], b[lane], a[lane])) {
                best[lane] = b[lane + off];
                at[lane] = a[lane + off];
              }
            }
          }
          int j = (o * segments + s) * inner + i;
          y[j] = best[0];
          argOut[j] = at[0];
        }
      }
    }
  }

  @Test
  void reductionPassesFindTheCpusMaximum() {
    Random r = new Random(2);
    int[][] cases = {{1, 1, 1}, {1, 7, 1}, {1, 5000, 1}, {1, 3_000_001, 1}, {3, 70_000, 1}, {256, 16_000, 1},
        {1, 16_000, 256}, {3, 100_000, 2}, {1000, 33, 1}, {4, 5, 6}, {2, 40, 1}};
    for (int[] c : cases) {
      int outer = c[0];
      int n = c[1];
      int inner = c[2];
      float[] x = new float[outer * n * inner];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(50);
      }
      if (n > 100) {
        x[n / 3 * inner] = Float.NaN;
        x[(n - 2) * inner] = Float.NaN;
      }
      List<GpuReductions.Pass> passes = GpuReductions.kernelPasses(GpuMathKernels.Reduce.MAX, outer, n, inner);
      assertTrue(passes.size() <= 4, passes.size() + " passes for " + Arrays.toString(c));
      float[] cur = x;
      int[] curArgs = null;
      for (GpuReductions.Pass p : passes) {
        int segments = p.segments();
        float[] y = new float[outer * segments * inner];
        int[] args = new int[y.length];
        maxPass(outer, p.n(), inner, p.chunk(), p.kernel() == GpuReductions.Kernel.WARP_ROWS, cur, curArgs, y, args);
        cur = y;
        curArgs = args;
      }
      assertEquals(outer * inner, cur.length, "outputs for " + Arrays.toString(c));
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
          float m = 0;
          int arg = -1;
          for (int k = 0; k < n; k++) {
            float v = x[(o * n + k) * inner + i];
            if (arg < 0 || v > m || (Float.isNaN(v) && !Float.isNaN(m))) {
              m = v;
              arg = k;
            }
          }
          assertEquals(arg, curArgs[o * inner + i], "arg-max of " + Arrays.toString(c) + " at " + o + ", " + i);
          assertEquals(m, cur[o * inner + i], "max of " + Arrays.toString(c));
        }
      }
    }
  }

  @Test
  void reductionPassesShareWorkWhenOutputsAreFew() {
    GpuMathKernels.Reduce max = GpuMathKernels.Reduce.MAX;
    GpuMathKernels.Reduce sum = GpuMathKernels.Reduce.SUM;
    assertEquals(1, GpuReductions.kernelPasses(max, 100_000, 64, 1).size(), "many short rows: one pass");
    assertEquals(1, GpuReductions.kernelPasses(max, 1000, 500, 256).size(), "many columns: one pass");
    assertEquals(1, GpuReductions.kernelPasses(sum, 1000, 500, 256).size(), "many columns: one pass");
    assertTrue(GpuReductions.kernelPasses(max, 1, 16_777_216, 1).get(0).chunk() <= 4096, "a long row is cut into segments");
    assertTrue(GpuReductions.kernelPasses(max, 1, 16_000, 256).get(0).chunk() <= 128, "tall columns are cut into segments");
    // A bias gradient ([16,000 rows, 256 or 1,024 columns]): column tiles, then one short pass.
    for (int columns : new int[] {256, 1024}) {
      List<GpuReductions.Pass> bias = GpuReductions.kernelPasses(sum, 1, 16_000, columns);
      assertEquals(2, bias.size(), columns + " columns");
      assertEquals(GpuReductions.Kernel.COLUMN_TILES, bias.get(0).kernel());
      assertTrue(bias.get(0).chunk() < 16_000, "tall columns are cut into segments");
    }
    assertEquals(GpuReductions.Kernel.STRIDED, GpuReductions.kernelPasses(sum, 1, 16_000, 31).get(0).kernel(), "too narrow for tiles");
    assertEquals(GpuReductions.Kernel.STRIDED, GpuReductions.kernelPasses(sum, 8, 4, 256).get(0).kernel(), "too short for eight row lanes");
  }

  /**
   * joule_reduce_columns_f32: each of the 32 × LANES threads of a (o, segment, tile) block sums
   * its rows in float32, then lane 0 adds the lane sums in order.
   */
  private static void columnSumPass(int outer, int n, int inner, int chunk, float[] x, float[] y) {
    int segments = (n + chunk - 1) / chunk;
    int tiles = (inner + 31) / 32;
    for (long blk = 0; blk < (long) outer * segments * tiles; blk++) {
      int tile = (int) (blk % tiles);
      long rest = blk / tiles;
      int s = (int) (rest % segments);
      long o = rest / segments;
      int k0 = s * chunk;
      int k1 = n - k0 < chunk ? n : k0 + chunk;
      for (int tx = 0; tx < 32; tx++) {
        int i = tile * 32 + tx;
        if (i >= inner) {
          continue;
        }
        float[] lanes = new float[GpuMathKernels.COLUMN_LANES];
        for (int l = 0; l < lanes.length; l++) {
          for (int k = k0 + l; k < k1; k += lanes.length) {
            lanes[l] += x[(int) ((o * n + k) * inner + i)];
          }
        }
        float sum = lanes[0];
        for (int l = 1; l < lanes.length; l++) {
          sum += lanes[l];
        }
        y[(int) ((o * segments + s) * inner + i)] = sum;
      }
    }
  }

  @Test
  void columnTilePassesSumEveryElementOnce() {
    Random r = new Random(11);
    int[][] cases = {{1, 16_000, 256}, {1, 16_000, 1024}, {3, 700, 40}, {2, 5000, 33}, {1, 16, 64}, {1, 257, 32}};
    for (int[] c : cases) {
      int outer = c[0];
      int n = c[1];
      int inner = c[2];
      // Small integers: float32 sums of them are exact, whatever the order.
      float[] x = new float[outer * n * inner];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(9) - 4;
      }
      float[] cur = x;
      List<GpuReductions.Pass> passes = GpuReductions.kernelPasses(GpuMathKernels.Reduce.SUM, outer, n, inner);
      assertEquals(GpuReductions.Kernel.COLUMN_TILES, passes.get(0).kernel(), Arrays.toString(c));
      for (GpuReductions.Pass p : passes) {
        int segments = p.segments();
        float[] y = new float[outer * segments * inner];
        if (p.kernel() == GpuReductions.Kernel.COLUMN_TILES) {
          columnSumPass(outer, p.n(), inner, p.chunk(), cur, y);
        } else {
          // joule_reduce_strided_f32: one thread per (o, segment, i), in row order.
          for (int j = 0; j < y.length; j++) {
            int i = j % inner;
            int s = j / inner % segments;
            int o = j / inner / segments;
            for (int k = s * p.chunk(); k < Math.min(p.n(), (s + 1) * p.chunk()); k++) {
              y[j] += cur[(o * p.n() + k) * inner + i];
            }
          }
        }
        cur = y;
      }
      assertEquals(outer * inner, cur.length, Arrays.toString(c));
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
          float want = 0;
          for (int k = 0; k < n; k++) {
            want += x[(o * n + k) * inner + i];
          }
          assertEquals(want, cur[o * inner + i], Arrays.toString(c) + " at " + o + ", " + i);
        }
      }
    }
  }

  @Test
  void sumToPassesSumLikeTheCpu() {
    Random r = new Random(3);
    for (int trial = 0; trial < 2000; trial++) {
      int rank = r.nextInt(7);
      int[] from = new int[rank];
      for (int i = 0; i < rank; i++) {
        from[i] = 1 + r.nextInt(4);
      }
      int[] to = randomBroadcastOf(r, from);
      Shape fs = Shape.of(from);
      Shape ts = Shape.of(to);
      double[] g = Tensor.randn(r, DType.FLOAT64, 1, from).values();
      double[] want = Broadcasting.sumTo(g, fs, ts);
      double[] cur = g;
      for (int[] p : GpuReductions.sumToPasses(fs, ts)) {
        int outer = p[0];
        int n = p[1];
        int inner = p[2];
        assertEquals(cur.length, outer * n * inner, "pass size for " + fs + " -> " + ts);
        double[] next = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
          for (int k = 0; k < n; k++) {
            for (int i = 0; i < inner; i++) {
              next[o * inner + i] += cur[(o * n + k) * inner + i];
            }
          }
        }
        cur = next;
      }
      assertEquals(want.length, cur.length, fs + " -> " + ts);
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], cur[i], 1e-12, fs + " -> " + ts + " element " + i);
      }
    }
  }
}
