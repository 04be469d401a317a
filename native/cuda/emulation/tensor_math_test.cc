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
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"column sums, one outer slice", [] { columnSums(1, 1000, 64, 128, 1 << 16); }},
      {"column sums, partial tile, three slices", [] { columnSums(3, 700, 40, 128, 1 << 16); }},
      {"column sums, grid smaller than the work", [] { columnSums(2, 50, 33, 16, 5); }},
      {"column sums, one segment", [] { columnSums(1, 17, 100, 17, 1 << 16); }},
  });
}
