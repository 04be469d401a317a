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
// The element-wise kernels (unary ops and their gradients, binary ops): four at a time with the
// last n mod 4 one by one when aligned, one by one when `skew` misaligns the pointers; against
// float64 with the CPU's formulas.
void elementwise(int n, int skew) {
  std::mt19937 r(n + skew);
  std::normal_distribution<float> normal(0.f, 2.f);
  std::vector<float> x(n + 4), b(n + 4), dy(n + 4);
  for (float& v : x) v = normal(r);
  for (float& v : b) v = normal(r) + 5.f;
  for (float& v : dy) v = normal(r);
  float* px = x.data() + skew;
  float* pb = b.data() + skew;
  float* pdy = dy.data() + skew;
  for (int op = 0; op < 6; op++) {
    std::vector<float> y(n + 4), dx(n + 4);
    float* py = y.data() + skew;
    float* pdx = dx.data() + skew;
    // log of a negative is NaN on both sides; compare it on |x| only.
    std::vector<float> in(x);
    if (op == 1) for (float& v : in) v = std::fabs(v) + 0.1f;
    float* pin = in.data() + skew;
    emulate::launch({2}, {32}, [&] { joule_unary_f32(n, op, pin, py); });
    emulate::launch({2}, {32}, [&] { joule_unary_bwd_f32(n, op, pin, py, pdy, pdx); });
    for (int i = 0; i < n; i++) {
      double v = pin[i], s = 1 / (1 + std::exp(-v));
      double want = op == 0 ? std::exp(v) : op == 1 ? std::log(v) : op == 2 ? std::max(v, 0.0) : op == 3 ? s
          : op == 4 ? std::tanh(v) : v * s;
      double d = op == 0 ? std::exp(v) : op == 1 ? 1 / v : op == 2 ? (v > 0 ? 1 : 0) : op == 3 ? s * (1 - s)
          : op == 4 ? 1 - std::tanh(v) * std::tanh(v) : s + v * s * (1 - s);
      std::string what = "unary op " + std::to_string(op) + " element " + std::to_string(i);
      check::expect(std::fabs(py[i] - want) <= 1e-5 * (1 + std::fabs(want)), what);
      check::expect(std::fabs(pdx[i] - pdy[i] * d) <= 1e-4 * (1 + std::fabs(pdy[i] * d)), what + " gradient");
    }
    check::expect(py[n] == 0.f, "nothing written past n");
  }
  for (int op = 0; op < 4; op++) {
    std::vector<float> y(n + 4);
    float* py = y.data() + skew;
    emulate::launch({2}, {32}, [&] { joule_binary_f32(n, op, px, pb, py); });
    for (int i = 0; i < n; i++) {
      float want = op == 0 ? px[i] + pb[i] : op == 1 ? px[i] - pb[i] : op == 2 ? px[i] * pb[i] : px[i] / pb[i];
      check::expect(py[i] == want, "binary op " + std::to_string(op) + " element " + std::to_string(i));
    }
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"glu, halves wider than a warp, grid-stride rows", [] { glu(37, 70, 2); }},
      {"glu, one column per half", [] { glu(9, 1, 4); }},
      {"element-wise, four at a time and a tail", [] { elementwise(37, 0); }},
      {"element-wise, misaligned", [] { elementwise(37, 1); }},
      {"layer norm, rows wider than a warp", [] { layerNorm(11, 70); }},
      {"layer norm, rows narrower than a warp", [] { layerNorm(20, 5); }},
  });
}
