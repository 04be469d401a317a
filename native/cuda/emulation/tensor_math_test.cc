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
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"column sums, one outer slice", [] { columnSums(1, 1000, 64, 128, 1 << 16); }},
      {"column sums, partial tile, three slices", [] { columnSums(3, 700, 40, 128, 1 << 16); }},
      {"column sums, grid smaller than the work", [] { columnSums(2, 50, 33, 16, 5); }},
      {"column sums, one segment", [] { columnSums(1, 17, 100, 17, 1 << 16); }},
      {"softmax rows by warps", [] { softmaxRows(9, 70, 0); }},
      {"log-softmax rows by warps, short rows", [] { softmaxRows(5, 7, 1); }},
  });
}
