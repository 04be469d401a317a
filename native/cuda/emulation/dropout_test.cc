// The fused softmax-then-dropout kernels of dropout.cu on the host emulation, against the softmax
// kernel of tensor_math.cu followed by the dropout kernel (forward), and the dropout kernel
// followed by the softmax backward (backward): the same float operations in the same order, so the
// results must agree bit for bit.
#include "cuda_host.h"
#include "dropout.cu"
#include "tensor_math.cu"
#include "check.h"

#include <random>

namespace {
void softmaxThenDropout(int rows, int n, unsigned grid) {
  std::mt19937 r(rows * 13 + n);
  std::normal_distribution<float> normal(0.f, 3.f);
  std::vector<float> x(rows * n), dz(rows * n);
  for (float& v : x) v = normal(r);
  for (float& v : dz) v = normal(r);
  for (int k = 0; k < n; k++) x[n + k] = -INFINITY;  // an all −inf row: softmax 0
  x[2 * n + 3] = -INFINITY;
  const unsigned keyLow = 0x12345678u, keyHigh = 0x9abcdef0u, threshold = 0x40000000u;  // p = 0.25
  const float scale = 1 / 0.75f;
  long long count = (long long)rows * n;
  std::vector<float> y(count), z(count), dx(count);
  emulate::launch({grid}, {64}, [&] {
    joule_softmax_dropout_rows_f32(rows, n, keyLow, keyHigh, threshold, scale, x.data(), y.data(), z.data());
  });
  emulate::launch({grid}, {64}, [&] {
    joule_softmax_dropout_rows_bwd_f32(rows, n, keyLow, keyHigh, threshold, scale, y.data(), dz.data(), dx.data());
  });
  std::vector<float> yRef(count), zRef(count), g(count), dxRef(count);
  emulate::launch({grid}, {64}, [&] { joule_softmax_rows_warp_f32(rows, n, 0, x.data(), yRef.data()); });
  emulate::launch({2}, {32}, [&] { joule_dropout_f32(count, keyLow, keyHigh, threshold, scale, yRef.data(), zRef.data()); });
  emulate::launch({2}, {32}, [&] { joule_dropout_f32(count, keyLow, keyHigh, threshold, scale, dz.data(), g.data()); });
  emulate::launch({grid}, {64}, [&] { joule_softmax_bwd_rows_warp_f32(rows, n, 0, yRef.data(), g.data(), dxRef.data()); });
  int dropped = 0;
  for (long long e = 0; e < count; e++) {
    check::expect(y[e] == yRef[e], "softmax element " + std::to_string(e));
    check::expect(z[e] == zRef[e], "dropout element " + std::to_string(e));
    check::expect(dx[e] == dxRef[e], "gradient element " + std::to_string(e));
    dropped += zRef[e] == 0 && yRef[e] != 0;
  }
  // The mask really drops about a quarter (p = 0.25) of the nonzero weights.
  check::expect(dropped > count / 8 && dropped < count / 2, "dropped " + std::to_string(dropped) + " of " + std::to_string(count));
  for (int k = 0; k < n; k++) check::expect(y[n + k] == 0.f, "an all −inf row gives zeros");
}
// x + alpha·dropout(f) in one kernel, against the dropout kernel's output scaled and added on the
// host with the kernel's roundings: bit for bit, aligned (four-wide path) and not.
void residualDropout(long long n, int offset) {
  std::mt19937 r(n + offset);
  std::normal_distribution<float> normal(0.f, 2.f);
  std::vector<float> x(n + offset), f(n + offset), y(n + offset), dropped(n + offset);
  for (float& v : x) v = normal(r);
  for (float& v : f) v = normal(r);
  const unsigned keyLow = 0x0badf00du, keyHigh = 0x600dcafeu, threshold = 0x80000000u;  // p = 0.5
  const float scale = 2.f, alpha = 0.5f;
  emulate::launch({3}, {32}, [&] {
    joule_residual_dropout_f32(n, keyLow, keyHigh, threshold, scale, alpha, x.data() + offset, f.data() + offset,
                               y.data() + offset);
  });
  emulate::launch({2}, {32}, [&] { joule_dropout_f32(n, keyLow, keyHigh, threshold, scale, f.data() + offset, dropped.data()); });
  int kept = 0;
  for (long long i = 0; i < n; i++) {
    float d = dropped[i];
    kept += d != 0.f;
    check::expect(y[offset + i] == x[offset + i] + d * alpha, "element " + std::to_string(i));
  }
  check::expect(kept > n / 4 && kept < 3 * n / 4, "about half kept");
}
// The rows form with the branch's bias: x + alpha·dropout(f + bias), against the flat kernel run
// on f + bias computed on the host (the same additions), bit for bit.
void residualDropoutRows(int rows, int cols, unsigned grid) {
  std::mt19937 r(rows * 3 + cols);
  std::normal_distribution<float> normal(0.f, 2.f);
  long long n = (long long)rows * cols;
  std::vector<float> x(n), f(n), bias(cols), y(n), biased(n), want(n);
  for (auto* v : {&x, &f, &bias}) {
    for (float& e : *v) e = normal(r);
  }
  for (long long i = 0; i < n; i++) biased[i] = f[i] + bias[i % cols];
  const unsigned keyLow = 0x1234u, keyHigh = 0x5678u, threshold = 0x40000000u;  // p = 0.25
  const float scale = 1 / 0.75f, alpha = 0.5f;
  emulate::launch({grid}, {256}, [&] {
    joule_residual_dropout_rows_f32(rows, cols, keyLow, keyHigh, threshold, scale, alpha, x.data(), f.data(), bias.data(),
                                    y.data());
  });
  emulate::launch({2}, {32}, [&] {
    joule_residual_dropout_f32(n, keyLow, keyHigh, threshold, scale, alpha, x.data(), biased.data(), want.data());
  });
  check::expect(y == want, "rows with a bias against the flat kernel on f + bias");
  emulate::launch({grid}, {256}, [&] {
    joule_residual_dropout_rows_f32(rows, cols, keyLow, keyHigh, threshold, scale, alpha, x.data(), f.data(), nullptr,
                                    y.data());
  });
  emulate::launch({2}, {32}, [&] {
    joule_residual_dropout_f32(n, keyLow, keyHigh, threshold, scale, alpha, x.data(), f.data(), want.data());
  });
  check::expect(y == want, "rows without a bias against the flat kernel");
}

// The residual branch's gradient with its bias's: joule_dropout_bias_bwd_cols writes the same
// bits as joule_dropout_f32 (column tiles instead of a flat loop) and sums them per column.
void dropoutWithBiasGradient(int rows, int cols, int chunk, unsigned grid) {
  std::mt19937 r(rows * 5 + cols);
  std::normal_distribution<float> normal(0.f, 2.f);
  long long n = (long long)rows * cols;
  std::vector<float> dy(n), df(n, NAN), want(n), dbias(cols, NAN);
  for (float& e : dy) e = normal(r);
  const unsigned keyLow = 0x9abcu, keyHigh = 0xdef0u, threshold = 0x40000000u;  // p = 0.25
  const float scale = 0.5f / 0.75f;                                                 // alpha = 1/2
  const int segments = (rows + chunk - 1) / chunk, tiles = (cols + 31) / 32;
  std::vector<double> sum(segments * cols, NAN);
  emulate::launch({std::min(grid, (unsigned)(segments * tiles))}, {32, JOULE_COLUMN_LANES}, [&] {
    joule_dropout_bias_bwd_cols(rows, cols, chunk, keyLow, keyHigh, threshold, scale, dy.data(), df.data(), sum.data());
  });
  emulate::launch({(unsigned)tiles}, {32, JOULE_COLUMN_LANES}, [&] {
    joule_column_finish_pair(cols, segments, sum.data(), nullptr, dbias.data(), nullptr);
  });
  emulate::launch({2}, {32}, [&] { joule_dropout_f32(n, keyLow, keyHigh, threshold, scale, dy.data(), want.data()); });
  check::expect(df == want, "the branch's gradient, bit for bit");
  for (int c = 0; c < cols; c++) {
    double total = 0;
    for (int row = 0; row < rows; row++) total += want[(long long)row * cols + c];
    check::expect(std::fabs(total - dbias[c]) < 1e-4 * (1 + std::fabs(total)), "the bias's gradient");
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"residual dropout, aligned, size not a multiple of four", [] { residualDropout(1003, 0); }},
      {"residual dropout, unaligned", [] { residualDropout(257, 1); }},
      {"residual dropout by rows, with and without a bias", [] { residualDropoutRows(19, 70, 2); }},
      {"the branch's and its bias's gradients, many segments", [] { dropoutWithBiasGradient(41, 70, 4, 3); }},
      {"the branch's and its bias's gradients, one segment", [] { dropoutWithBiasGradient(9, 5, 16, 1); }},
      {"rows longer than a warp, grid-stride", [] { softmaxThenDropout(7, 70, 1); }},
      {"rows just longer than a warp", [] { softmaxThenDropout(5, 33, 2); }},
      {"rows shorter than a warp", [] { softmaxThenDropout(6, 7, 1); }},
  });
}
