// The column-tile sums of tensor_math.cu on the host emulation: two passes as GpuReductions plans
// them, against sums of small integers (exact in float32 whatever the order).
#include "cuda_host.h"
#include "tensor_math.cu"
#include "check.h"

#include <random>

namespace {
void columnSums(int outer, int n, int inner, int chunk, unsigned gridCap) {
  std::vector<float> x(outer * n * inner);
  std::mt19937 r(n * 7 + inner);
  for (float& v : x) v = (float)((int)(r() % 9) - 4);
  int segments = (n + chunk - 1) / chunk;
  int tiles = (inner + 31) / 32;
  std::vector<float> partial(outer * segments * inner, 99.f), sums(outer * inner, 99.f);
  emulate::launch({std::min<unsigned>(outer * segments * tiles, gridCap)}, {32, 8},
                  [&] { joule_reduce_columns_f32(outer, n, inner, chunk, x.data(), partial.data()); });
  emulate::launch({(unsigned)(outer * tiles)}, {32, 8},
                  [&] { joule_reduce_columns_f32(outer, segments, inner, segments, partial.data(), sums.data()); });
  for (int o = 0; o < outer; o++) {
    for (int i = 0; i < inner; i++) {
      float want = 0;
      for (int k = 0; k < n; k++) want += x[(o * n + k) * inner + i];
      check::expect(sums[o * inner + i] == want, "sum " + std::to_string(o) + ", " + std::to_string(i));
    }
  }
}
// joule_softmax_rows_warp_f32 (softmax and log-softmax; one warp per row) against float64, with
// an all −inf row (softmax 0, log-softmax −inf) and a row holding NaN (all NaN).
void softmaxRows(int rows, int n, int mode) {
  std::vector<float> x(rows * n), y(rows * n);
  std::mt19937 r(rows * n + mode);
  std::normal_distribution<float> normal(0.f, 4.f);
  for (float& v : x) v = normal(r);
  for (int k = 0; k < n; k++) x[n + k] = -INFINITY;
  x[2 * n + n / 2] = NAN;
  x[3 * n] = -INFINITY;
  emulate::launch({2}, {64}, [&] { joule_softmax_rows_warp_f32(rows, n, mode, x.data(), y.data()); });
  for (int row = 0; row < rows; row++) {
    double m = -INFINITY;
    for (int k = 0; k < n; k++) m = std::max(m, (double)x[row * n + k]);
    double z = 0;
    for (int k = 0; k < n; k++) z += std::exp(x[row * n + k] - m);
    for (int k = 0; k < n; k++) {
      float got = y[row * n + k];
      std::string where = "row " + std::to_string(row) + ", element " + std::to_string(k);
      if (row == 1) {
        check::expect(mode == 0 ? got == 0.f : got == -INFINITY, "all −inf row, " + where);
      } else if (row == 2) {
        check::expect(std::isnan(got), "NaN row, " + where);
      } else {
        double want = mode == 0 ? std::exp(x[row * n + k] - m) / z : x[row * n + k] - m - std::log(z);
        check::expect(std::fabs(want - got) <= 1e-5 * (1 + std::fabs(want)) || (std::isinf(want) && want == got), where);
      }
    }
  }
}
// Sum (op 0) or max with its index (op 1) along n of x [outer, n, inner], in two passes as
// GpuReductions plans them: segments of `chunk`, then one segment, with the one-thread strided
// kernel or (inner == 1) the warp-per-row kernel. Max keeps the CPU's rule: the first NaN, else
// the first maximum. Small integers with many ties and a NaN or two.
void reduce(int outer, int n, int inner, int chunk, int op, bool rows) {
  std::mt19937 r(outer * n * inner + op);
  std::vector<float> x(outer * n * inner);
  for (float& v : x) v = (float)(r() % 5);
  if (op == 1 && n > 20) {
    x[(n / 3) * inner] = NAN;
    x[(n - 2) * inner] = NAN;
  }
  int segments = (n + chunk - 1) / chunk;
  std::vector<float> partial(outer * segments * inner), y(outer * inner);
  std::vector<int> partialArg(partial.size()), arg(y.size());
  auto pass = [&](int m, int c, const float* in, const int* argIn, float* out, int* argOut) {
    if (rows) {
      emulate::launch({2}, {64}, [&] { joule_reduce_rows_f32(outer, m, c, op, in, argIn, out, argOut); });
    } else {
      emulate::launch({2}, {64}, [&] { joule_reduce_strided_f32(outer, m, inner, c, op, in, argIn, out, argOut); });
    }
  };
  pass(n, chunk, x.data(), nullptr, partial.data(), partialArg.data());
  pass(segments, segments, partial.data(), op == 1 ? partialArg.data() : nullptr, y.data(), arg.data());
  std::string what = std::string(op == 0 ? "sum" : "max") + (rows ? " by warps" : " strided");
  for (int o = 0; o < outer; o++) {
    for (int i = 0; i < inner; i++) {
      float best = 0, sum = 0;
      int at = -1;
      for (int k = 0; k < n; k++) {
        float v = x[(o * n + k) * inner + i];
        sum += v;
        if (at < 0 || v > best || (std::isnan(v) && !std::isnan(best))) {
          best = v;
          at = k;
        }
      }
      int j = o * inner + i;
      if (op == 0) {
        check::expect(y[j] == sum, what + " at " + std::to_string(j));
      } else {
        check::expect(arg[j] == at && (y[j] == best || (std::isnan(y[j]) && std::isnan(best))), what + " at " + std::to_string(j));
      }
    }
  }
}

// The strided softmax family (one thread per slice of x [outer, n, inner]) forward and backward,
// the warp-per-row softmax backward, log-sum-exp's backward and max's backward; against float64.
void softmaxFamily() {
  const int outer = 3, n = 7, inner = 4, total = outer * n * inner;
  std::mt19937 r(29);
  std::normal_distribution<float> normal(0.f, 2.f);
  std::vector<float> x(total), dy(total);
  for (float& v : x) v = normal(r);
  for (float& v : dy) v = normal(r);
  auto at = [&](int o, int k, int i) { return (o * n + k) * inner + i; };
  for (int mode = 0; mode < 2; mode++) {
    std::vector<float> y(total), dx(total);
    emulate::launch({1}, {8}, [&] { joule_softmax_strided_f32(outer, n, inner, mode, x.data(), y.data()); });
    emulate::launch({1}, {8}, [&] { joule_softmax_bwd_strided_f32(outer, n, inner, mode, y.data(), dy.data(), dx.data()); });
    for (int o = 0; o < outer; o++)
      for (int i = 0; i < inner; i++) {
        double m = -INFINITY, z = 0, sdy = 0, sdyy = 0;
        for (int k = 0; k < n; k++) m = std::max(m, (double)x[at(o, k, i)]);
        for (int k = 0; k < n; k++) z += std::exp(x[at(o, k, i)] - m);
        for (int k = 0; k < n; k++) {
          double p = std::exp(x[at(o, k, i)] - m) / z;
          sdy += dy[at(o, k, i)];
          sdyy += dy[at(o, k, i)] * p;
        }
        for (int k = 0; k < n; k++) {
          int e = at(o, k, i);
          double p = std::exp(x[e] - m) / z;
          double want = mode == 0 ? p : std::log(p);
          double g = mode == 0 ? p * (dy[e] - sdyy) : dy[e] - p * sdy;
          check::expect(std::fabs(y[e] - want) < 1e-5 * (1 + std::fabs(want)), "strided softmax mode " + std::to_string(mode));
          check::expect(std::fabs(dx[e] - g) < 1e-4 * (1 + std::fabs(g)), "strided softmax gradient mode " + std::to_string(mode));
        }
      }
    // The warp-per-row backward on the same values viewed as rows (inner = 1).
    std::vector<float> rowsDx(total), rowsY(total);
    emulate::launch({1}, {64}, [&] { joule_softmax_rows_warp_f32(outer * n, inner, mode, x.data(), rowsY.data()); });
    emulate::launch({1}, {64}, [&] { joule_softmax_bwd_rows_warp_f32(outer * n, inner, mode, rowsY.data(), dy.data(), rowsDx.data()); });
    for (int row = 0; row < outer * n; row++) {
      double s = 0, sy = 0;
      for (int c = 0; c < inner; c++) {
        s += dy[row * inner + c];
        sy += dy[row * inner + c] * rowsY[row * inner + c];
      }
      for (int c = 0; c < inner; c++) {
        int e = row * inner + c;
        double g = mode == 0 ? rowsY[e] * (dy[e] - sy) : dy[e] - std::exp(rowsY[e]) * s;
        check::expect(std::fabs(rowsDx[e] - g) < 1e-4 * (1 + std::fabs(g)), "warp softmax gradient");
      }
    }
  }
  // log-sum-exp backward: dx = dy[o, i]·exp(x − lse); max backward routes dy to the arg.
  std::vector<float> lse(outer * inner), dOut(outer * inner), dx(total);
  std::vector<int> arg(outer * inner);
  for (int o = 0; o < outer; o++)
    for (int i = 0; i < inner; i++) {
      double m = -INFINITY, z = 0;
      int best = 0;
      for (int k = 0; k < n; k++) {
        if (x[at(o, k, i)] > m) {
          m = x[at(o, k, i)];
          best = k;
        }
      }
      for (int k = 0; k < n; k++) z += std::exp(x[at(o, k, i)] - m);
      lse[o * inner + i] = (float)(m + std::log(z));
      dOut[o * inner + i] = 1.5f + o - i;
      arg[o * inner + i] = best;
    }
  emulate::launch({1}, {32}, [&] { joule_log_sum_exp_bwd_f32(outer, n, inner, x.data(), lse.data(), dOut.data(), dx.data()); });
  for (int o = 0; o < outer; o++)
    for (int k = 0; k < n; k++)
      for (int i = 0; i < inner; i++) {
        double want = dOut[o * inner + i] * std::exp(x[at(o, k, i)] - lse[o * inner + i]);
        check::expect(std::fabs(dx[at(o, k, i)] - want) < 1e-5 * (1 + std::fabs(want)), "log-sum-exp gradient");
      }
  emulate::launch({1}, {32}, [&] { joule_max_bwd_f32(outer, n, inner, arg.data(), dOut.data(), dx.data()); });
  for (int o = 0; o < outer; o++)
    for (int k = 0; k < n; k++)
      for (int i = 0; i < inner; i++)
        check::expect(dx[at(o, k, i)] == (arg[o * inner + i] == k ? dOut[o * inner + i] : 0.f), "max gradient");
}

// The pointwise ops (affine, pow, sqrt, square) and their gradients, against float64.
void pointwise() {
  const int n = 23;
  std::vector<float> x(n), y(n), dy(n), dx(n);
  for (int i = 0; i < n; i++) {
    x[i] = 0.2f + i * 0.37f;
    dy[i] = 1.f - i * 0.1f;
  }
  const float a = 1.7f, b = -0.4f;
  for (int op = 0; op < 4; op++) {
    emulate::launch({1}, {8}, [&] { joule_pointwise_f32(n, op, a, b, x.data(), y.data()); });
    emulate::launch({1}, {8}, [&] { joule_pointwise_bwd_f32(n, op, a, x.data(), y.data(), dy.data(), dx.data()); });
    for (int i = 0; i < n; i++) {
      double v = x[i];
      double want = op == 0 ? a * v + b : op == 1 ? std::pow(v, a) : op == 2 ? std::sqrt(v) : v * v;
      double d = op == 0 ? a : op == 1 ? a * std::pow(v, a - 1) : op == 2 ? 0.5 / std::sqrt(v) : 2 * v;
      std::string what = "pointwise op " + std::to_string(op);
      check::expect(std::fabs(y[i] - want) < 1e-5 * (1 + std::fabs(want)), what);
      check::expect(std::fabs(dx[i] - dy[i] * d) < 1e-4 * (1 + std::fabs(dy[i] * d)), what + " gradient");
    }
  }
}

// Divisor.of (dev.joule.engine.ops.Divisor): the magic number and shift the host passes.
void magicFor(unsigned d, unsigned& magic, int& shift) {
  shift = 0;
  while ((1ULL << shift) < d) shift++;
  magic = (unsigned)(((1ULL << 32) * ((1ULL << shift) - d)) / d + 1);
}

// joule_broadcast_f32 for out = a op b, shapes padded to 6 with operands' strides 0 where
// broadcast, against the same coordinates computed with plain division; `skew` offsets the
// pointers by one float to take the scalar path.
void broadcast(std::vector<unsigned> out, std::vector<int> aDims, std::vector<int> bDims, int op, int skew) {
  while (out.size() < 6) out.insert(out.begin(), 1);
  while (aDims.size() < 6) aDims.insert(aDims.begin(), 1);
  while (bDims.size() < 6) bDims.insert(bDims.begin(), 1);
  int sa[6], sb[6];
  long long na = 1, nb = 1, n = 1;
  for (int d = 5; d >= 0; d--) {
    sa[d] = aDims[d] == 1 ? 0 : (int)na;
    sb[d] = bDims[d] == 1 ? 0 : (int)nb;
    na *= aDims[d];
    nb *= bDims[d];
    n *= out[d];
  }
  std::mt19937 r(n + op);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<float> a(na + 4), b(nb + 4), y(n + 4, 0.f);
  for (float& v : a) v = normal(r);
  for (float& v : b) v = normal(r) + 3.f;
  unsigned m[6];
  int sh[6];
  for (int d = 0; d < 6; d++) magicFor(out[d], m[d], sh[d]);
  float* pa = a.data() + skew;
  float* pb = b.data() + skew;
  float* py = y.data() + skew;
  emulate::launch({3}, {64}, [&] {
    joule_broadcast_f32(n, op, out[0], out[1], out[2], out[3], out[4], out[5], m[0], m[1], m[2], m[3], m[4], m[5], sh[0], sh[1],
                        sh[2], sh[3], sh[4], sh[5], sa[0], sa[1], sa[2], sa[3], sa[4], sa[5], sb[0], sb[1], sb[2], sb[3], sb[4],
                        sb[5], pa, pb, py);
  });
  for (long long i = 0; i < n; i++) {
    long long rest = i, oa = 0, ob = 0;
    for (int d = 5; d >= 0; d--) {
      long long c = rest % out[d];
      rest /= out[d];
      oa += c * sa[d];
      ob += c * sb[d];
    }
    float u = pa[oa], v = pb[ob];
    float want = op == 0 ? u + v : op == 1 ? u - v : op == 2 ? u * v : op == 3 ? u / v : u;
    check::expect(py[i] == want, "broadcast op " + std::to_string(op) + " element " + std::to_string(i));
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"column sums, one outer slice", [] { columnSums(1, 1000, 64, 128, 1 << 16); }},
      {"column sums, partial tile, three slices", [] { columnSums(3, 700, 40, 128, 1 << 16); }},
      {"column sums, grid smaller than the work", [] { columnSums(2, 50, 33, 16, 5); }},
      {"column sums, one segment", [] { columnSums(1, 17, 100, 17, 1 << 16); }},
      {"softmax rows by warps", [] { softmaxRows(9, 70, 0); }},
      {"softmax family, strided and by warps, with gradients", softmaxFamily},
      {"pointwise ops and gradients", pointwise},
      {"strided sum in two passes", [] { reduce(3, 700, 5, 64, 0, false); }},
      {"strided max and its index across passes", [] { reduce(2, 700, 3, 64, 1, false); }},
      {"row sums by warps", [] { reduce(5, 3000, 1, 600, 0, true); }},
      {"row max by warps, ties and NaNs", [] { reduce(4, 3000, 1, 600, 1, true); }},
      {"broadcast bias add, four at a time", [] { broadcast({6, 5, 12}, {6, 5, 12}, {12}, 0, 0); }},
      {"broadcast bias add, unaligned (one at a time)", [] { broadcast({6, 5, 12}, {6, 5, 12}, {12}, 0, 1); }},
      {"broadcast over middle and outer dimensions", [] { broadcast({3, 7, 1, 5}, {3, 1, 1, 5}, {7, 1, 1}, 2, 0); }},
      {"broadcast divide, odd sizes", [] { broadcast({2, 3, 5, 7, 11}, {1, 3, 1, 7, 1}, {2, 1, 5, 1, 11}, 3, 0); }},
      {"broadcast copy (broadcastTo)", [] { broadcast({4, 9, 8}, {9, 1}, {1}, 4, 0); }},
      {"log-softmax rows by warps, short rows", [] { softmaxRows(5, 7, 1); }},
  });
}
