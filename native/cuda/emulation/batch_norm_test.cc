// batch_norm.cu on the host emulation, against float64 batch norm written out directly.
#include "cuda_host.h"
#include "batch_norm.cu"
#include "check.h"

#include <random>
#include <tuple>

namespace {
// Forward and backward through the six kernels, launched as GpuNormalization launches them.
void batchNorm(int rows, int cols, int chunk, int gridCap) {
  int segments = (rows + chunk - 1) / chunk;
  std::mt19937 r(rows * 31 + cols);
  std::normal_distribution<float> normal(3.f, 2.f);
  std::vector<float> x(rows * cols), gamma(cols), beta(cols), dy(rows * cols);
  for (auto* v : {&x, &gamma, &beta, &dy}) {
    for (float& e : *v) e = normal(r);
  }
  std::vector<double> partA(segments * cols), partB(segments * cols);
  std::vector<float> mean(cols), var(cols), inv(cols), y(rows * cols), dbeta(cols), dgamma(cols), dx(rows * cols);
  int tiles = (cols + 31) / 32;
  dim3 block{32, 8};
  dim3 partial{(unsigned)std::min(segments * tiles, gridCap)};
  dim3 finish{(unsigned)tiles};
  dim3 rowsGrid{(unsigned)std::min((rows + 7) / 8, gridCap)};  // a warp per row, eight per block
  dim3 rowsBlock{256};
  emulate::launch(partial, block, [&] { joule_bn_stats_partial(rows, cols, chunk, x.data(), partA.data(), partB.data()); });
  emulate::launch(finish, block, [&] {
    joule_bn_stats_finish(rows, cols, segments, 1e-5f, partA.data(), partB.data(), mean.data(), var.data(), inv.data());
  });
  emulate::launch(rowsGrid, rowsBlock, [&] {
    joule_bn_forward(rows, cols, x.data(), mean.data(), inv.data(), gamma.data(), beta.data(), y.data());
  });
  emulate::launch(partial, block, [&] {
    joule_bn_backward_partial(rows, cols, chunk, dy.data(), x.data(), mean.data(), inv.data(), partA.data(), partB.data());
  });
  // The finishing pass is ops.cu's joule_column_pair_finish, which is this device function.
  emulate::launch(finish, block, [&] { joule_column_finish_pair(cols, segments, partA.data(), partB.data(), dbeta.data(), dgamma.data()); });
  emulate::launch(rowsGrid, rowsBlock, [&] {
    joule_bn_backward_dx(rows, cols, dy.data(), x.data(), mean.data(), inv.data(), gamma.data(), dbeta.data(), dgamma.data(), dx.data());
  });
  std::string shape = std::to_string(rows) + "x" + std::to_string(cols) + " chunk " + std::to_string(chunk);
  auto close = [](double want, double got) { return std::fabs(want - got) <= 1e-4 * (1 + std::fabs(want)); };
  for (int c = 0; c < cols; c++) {
    double m = 0, v = 0;
    for (int i = 0; i < rows; i++) m += x[i * cols + c];
    m /= rows;
    for (int i = 0; i < rows; i++) v += (x[i * cols + c] - m) * (x[i * cols + c] - m);
    v /= rows;
    double s = 1 / std::sqrt(v + 1e-5);
    check::expect(close(m, mean[c]) && close(v, var[c]) && close(s, inv[c]), shape + ": statistics of column " + std::to_string(c));
    double sumDy = 0, sumDyXhat = 0;
    for (int i = 0; i < rows; i++) {
      double xhat = (x[i * cols + c] - m) * s;
      check::expect(close(gamma[c] * xhat + beta[c], y[i * cols + c]), shape + ": y");
      sumDy += dy[i * cols + c];
      sumDyXhat += dy[i * cols + c] * xhat;
    }
    check::expect(close(sumDy, dbeta[c]) && close(sumDyXhat, dgamma[c]), shape + ": dbeta, dgamma of column " + std::to_string(c));
    for (int i = 0; i < rows; i++) {
      double xhat = (x[i * cols + c] - m) * s;
      double want = gamma[c] * s / rows * (rows * dy[i * cols + c] - sumDy - xhat * sumDyXhat);
      check::expect(close(want, dx[i * cols + c]), shape + ": dx");
    }
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"several segments and a partial column tile", [] { batchNorm(300, 40, 100, 1 << 16); }},
      {"fewer columns than a tile, one segment", [] { batchNorm(7, 5, 7, 1 << 16); }},
      {"grid smaller than the work (grid-stride loops)", [] { batchNorm(1000, 70, 128, 3); }},
      {"one full tile, short segments", [] { batchNorm(33, 32, 8, 1 << 16); }},
  });
}
