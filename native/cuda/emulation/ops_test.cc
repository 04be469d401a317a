// The GLU kernels of ops.cu on the host emulation, against float64 GLU and its gradient.
#include "cuda_host.h"
#include "ops.cu"
#include "check.h"

#include <random>

namespace {
void glu(int rows, int h, unsigned grid) {
  std::vector<float> x(rows * 2 * h), y(rows * h), dy(rows * h), dx(rows * 2 * h);
  std::mt19937 r(rows + h);
  std::normal_distribution<float> normal(0.f, 2.f);
  for (float& v : x) v = normal(r);
  for (float& v : dy) v = normal(r);
  emulate::launch({grid}, {32, 8}, [&] { joule_glu_rows(rows, h, x.data(), y.data()); });
  emulate::launch({grid}, {32, 8}, [&] { joule_glu_rows_bwd(rows, h, x.data(), dy.data(), dx.data()); });
  for (int row = 0; row < rows; row++) {
    for (int c = 0; c < h; c++) {
      double a = x[row * 2 * h + c], b = x[row * 2 * h + h + c], s = 1 / (1 + std::exp(-b)), g = dy[row * h + c];
      check::expect(std::fabs(a * s - y[row * h + c]) < 1e-5, "glu");
      check::expect(std::fabs(g * s - dx[row * 2 * h + c]) < 1e-5, "glu gradient, first half");
      check::expect(std::fabs(g * a * s * (1 - s) - dx[row * 2 * h + h + c]) < 1e-5, "glu gradient, second half");
    }
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"glu, halves wider than a warp, grid-stride rows", [] { glu(37, 70, 2); }},
      {"glu, one column per half", [] { glu(9, 1, 4); }},
  });
}
