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
// Layer norm's three kernels (rows forward, rows backward, γ/β gradients by atomics) against float64.
void layerNorm(int rows, int cols) {
  std::mt19937 r(rows * cols);
  std::normal_distribution<float> normal(1.f, 2.f);
  std::vector<float> x(rows * cols), gamma(cols), beta(cols), dy(rows * cols);
  for (auto* v : {&x, &gamma, &beta, &dy}) {
    for (float& e : *v) e = normal(r);
  }
  std::vector<float> y(x.size()), mean(rows), rstd(rows), dx(x.size()), dgamma(cols, 0.f), dbeta(cols, 0.f);
  const float eps = 1e-5f;
  emulate::launch({2}, {64}, [&] {
    joule_layer_norm_rows(rows, cols, eps, x.data(), gamma.data(), beta.data(), y.data(), mean.data(), rstd.data());
  });
  emulate::launch({2}, {64}, [&] {
    joule_layer_norm_rows_bwd(rows, cols, x.data(), gamma.data(), mean.data(), rstd.data(), dy.data(), dx.data());
  });
  emulate::launch({2}, {64}, [&] {
    joule_layer_norm_params_bwd(rows, cols, 3, x.data(), mean.data(), rstd.data(), dy.data(), dgamma.data(), dbeta.data());
  });
  std::vector<double> dg(cols, 0), db(cols, 0);
  auto close = [](double want, double got) { return std::fabs(want - got) <= 1e-4 * (1 + std::fabs(want)); };
  for (int row = 0; row < rows; row++) {
    double m = 0, v = 0;
    for (int c = 0; c < cols; c++) m += x[row * cols + c];
    m /= cols;
    for (int c = 0; c < cols; c++) v += (x[row * cols + c] - m) * (x[row * cols + c] - m);
    double s = 1 / std::sqrt(v / cols + eps);
    double sg = 0, sgx = 0;
    for (int c = 0; c < cols; c++) {
      double xh = (x[row * cols + c] - m) * s, g = dy[row * cols + c] * gamma[c];
      check::expect(close(xh * gamma[c] + beta[c], y[row * cols + c]), "layer norm y");
      sg += g;
      sgx += g * xh;
      dg[c] += dy[row * cols + c] * xh;
      db[c] += dy[row * cols + c];
    }
    for (int c = 0; c < cols; c++) {
      double xh = (x[row * cols + c] - m) * s;
      double want = s * (dy[row * cols + c] * gamma[c] - sg / cols - xh * sgx / cols);
      check::expect(close(want, dx[row * cols + c]), "layer norm dx");
    }
  }
  for (int c = 0; c < cols; c++) check::expect(close(dg[c], dgamma[c]) && close(db[c], dbeta[c]), "layer norm dgamma, dbeta");
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"glu, halves wider than a warp, grid-stride rows", [] { glu(37, 70, 2); }},
      {"glu, one column per half", [] { glu(9, 1, 4); }},
      {"layer norm, rows wider than a warp", [] { layerNorm(11, 70); }},
      {"layer norm, rows narrower than a warp", [] { layerNorm(20, 5); }},
  });
}
