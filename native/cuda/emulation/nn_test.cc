// The many-parameter Adam kernel of nn.cu on the host emulation, against the one-parameter kernel
// run on each parameter: the same float operations, so the same bits.
#include "cuda_host.h"
#include "nn.cu"
#include "check.h"

#include <random>

namespace {
void adamMulti(int chunk, unsigned grid, int decoupled) {
  std::vector<int> sizes{1, 300, 17, 1000, 64};
  int params = sizes.size();
  std::mt19937 r(chunk + grid);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<std::vector<float>> w(params), g(params), m(params), v(params);
  for (int p = 0; p < params; p++) {
    for (auto* a : {&w[p], &g[p], &m[p], &v[p]}) {
      a->resize(sizes[p]);
      for (float& e : *a) e = normal(r);
    }
    for (float& e : v[p]) e = std::fabs(e);
  }
  auto w2 = w, m2 = m, v2 = v;
  std::vector<float> c1(params), c2(params);
  for (int p = 0; p < params; p++) {
    c1[p] = 1 - std::pow(0.9f, p + 1);
    c2[p] = 1 - std::pow(0.999f, p + 1);
  }
  std::vector<int> param, start;
  for (int p = 0; p < params; p++) {
    for (int s = 0; s < sizes[p]; s += chunk) {
      param.push_back(p);
      start.push_back(s);
    }
  }
  std::vector<float*> wp, mp, vp;
  std::vector<const float*> gp;
  for (int p = 0; p < params; p++) {
    wp.push_back(w[p].data());
    gp.push_back(g[p].data());
    mp.push_back(m[p].data());
    vp.push_back(v[p].data());
  }
  const float lr = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.1f;
  emulate::launch({grid}, {64}, [&] {
    joule_adam_multi_f32((int)param.size(), chunk, param.data(), start.data(), sizes.data(), c1.data(), c2.data(), lr, b1, b2,
                         eps, wd, decoupled, wp.data(), gp.data(), mp.data(), vp.data());
  });
  for (int p = 0; p < params; p++) {
    emulate::launch({2}, {32}, [&] {
      joule_adam_f32(sizes[p], lr, b1, b2, eps, c1[p], c2[p], wd, decoupled, w2[p].data(), g[p].data(), m2[p].data(), v2[p].data());
    });
    check::expect(w[p] == w2[p] && m[p] == m2[p] && v[p] == v2[p], "parameter " + std::to_string(p));
  }
}
// The squares of many tensors summed by the two kernels, against float64.
void sumSquares(int chunk, unsigned grid) {
  std::vector<int> sizes{1, 300, 17, 1000, 64, 0};
  std::mt19937 r(chunk + grid);
  std::normal_distribution<float> normal(0.f, 3.f);
  std::vector<std::vector<float>> x(sizes.size());
  std::vector<const float*> table;
  double want = 0;
  std::vector<int> param, start;
  for (size_t p = 0; p < sizes.size(); p++) {
    x[p].resize(sizes[p]);
    for (float& v : x[p]) {
      v = normal(r);
      want += (double)v * v;
    }
    table.push_back(x[p].data());
    for (int s = 0; s < sizes[p]; s += chunk) {
      param.push_back(p);
      start.push_back(s);
    }
  }
  int chunks = param.size();
  std::vector<double> partial(chunks), total(1);
  emulate::launch({grid}, {256}, [&] {
    joule_sum_squares_multi_f32(chunks, chunk, param.data(), start.data(), sizes.data(), table.data(), partial.data());
  });
  emulate::launch({1}, {256}, [&] { joule_sum_f64(chunks, partial.data(), total.data()); });
  check::expect(std::fabs(total[0] - want) <= 1e-9 * want, "sum of squares " + std::to_string(total[0]) + " vs " + std::to_string(want));
  // A NaN or an infinity anywhere makes the sum non-finite (training then skips the step).
  for (float bad : {NAN, INFINITY}) {
    x[3][500] = bad;
    emulate::launch({grid}, {256}, [&] {
      joule_sum_squares_multi_f32(chunks, chunk, param.data(), start.data(), sizes.data(), table.data(), partial.data());
    });
    emulate::launch({1}, {256}, [&] { joule_sum_f64(chunks, partial.data(), total.data()); });
    check::expect(!std::isfinite(total[0]), "a non-finite element gives a non-finite sum");
  }
}
// The row kernels of the fused acoustic-model layers: log-softmax and its gradient, softmax
// cross-entropy against targets, bias add and its column-sum gradient; against float64.
void rowKernels() {
  const int rows = 6, cols = 9;
  std::mt19937 r(17);
  std::normal_distribution<float> normal(0.f, 3.f);
  std::vector<float> x(rows * cols), y(rows * cols), dy(rows * cols), dx(rows * cols), grad(rows * cols), loss(rows);
  for (float& v : x) v = normal(r);
  for (float& v : dy) v = normal(r);
  std::vector<int> target{0, 8, 3, 3, 5, 1};
  emulate::launch({2}, {4}, [&] { joule_log_softmax_rows(rows, cols, x.data(), y.data()); });
  emulate::launch({2}, {4}, [&] { joule_log_softmax_rows_bwd(rows, cols, y.data(), dy.data(), dx.data()); });
  emulate::launch({2}, {4}, [&] { joule_softmax_xent_rows(rows, cols, x.data(), target.data(), 0.5f, grad.data(), loss.data()); });
  for (int row = 0; row < rows; row++) {
    double m = -INFINITY, z = 0, sdy = 0;
    for (int c = 0; c < cols; c++) m = std::max(m, (double)x[row * cols + c]);
    for (int c = 0; c < cols; c++) z += std::exp(x[row * cols + c] - m);
    double lz = m + std::log(z);
    for (int c = 0; c < cols; c++) sdy += dy[row * cols + c];
    check::expect(std::fabs(loss[row] - (lz - x[row * cols + target[row]])) < 1e-4, "cross-entropy loss");
    for (int c = 0; c < cols; c++) {
      int i = row * cols + c;
      double ls = x[i] - lz;
      check::expect(std::fabs(y[i] - ls) < 1e-4, "log-softmax");
      check::expect(std::fabs(dx[i] - (dy[i] - std::exp(ls) * sdy)) < 1e-4 * (1 + std::fabs(sdy)), "log-softmax gradient");
      check::expect(std::fabs(grad[i] - 0.5 * (std::exp(ls) - (c == target[row]))) < 1e-5, "cross-entropy gradient");
    }
  }
  std::vector<float> bias(cols), withBias(x), sums(cols, 1.f);
  for (int c = 0; c < cols; c++) bias[c] = c - 4.f;
  emulate::launch({2}, {8}, [&] { joule_add_bias_rows(rows, cols, bias.data(), withBias.data()); });
  emulate::launch({1}, {4}, [&] { joule_column_sum(rows, cols, x.data(), sums.data(), 1); });
  for (int c = 0; c < cols; c++) {
    float s = 0;
    for (int row = 0; row < rows; row++) {
      check::expect(withBias[row * cols + c] == x[row * cols + c] + bias[c], "bias add");
      s += x[row * cols + c];
    }
    check::expect(sums[c] == 1.f + s, "accumulated column sum");
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"adam, chunks across parameters", [] { adamMulti(128, 3, 0); }},
      {"adamw, one chunk per parameter", [] { adamMulti(4096, 16, 1); }},
      {"row kernels of the fused layers", rowKernels},
      {"sum of squares, chunks across tensors", [] { sumSquares(100, 3); }},
      {"sum of squares, one chunk per tensor", [] { sumSquares(4096, 8); }},
  });
}
