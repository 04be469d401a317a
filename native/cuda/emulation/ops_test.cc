// The GLU (with and without a bias) and bias-SiLU kernels of ops.cu on the host emulation, against
// float64 and their gradients.
#include "cuda_host.h"
#include "ops.cu"
#include "check.h"

#include <random>

namespace {
void glu(int rows, int h, unsigned grid, bool withBias) {
  std::vector<float> x(rows * 2 * h), y(rows * h), dy(rows * h), dx(rows * 2 * h), bias(2 * h);
  std::mt19937 r(rows + h);
  std::normal_distribution<float> normal(0.f, 2.f);
  for (float& v : x) v = normal(r);
  for (float& v : dy) v = normal(r);
  for (float& v : bias) v = withBias ? normal(r) : 0.f;
  const float* b = withBias ? bias.data() : nullptr;
  emulate::launch({grid}, {256}, [&] { joule_glu_rows(rows, h, x.data(), b, y.data()); });
  // The backward in column tiles, segments of `chunk` rows, summing the bias's gradient as it goes.
  const int chunk = 4, segments = (rows + chunk - 1) / chunk, tiles = (h + 31) / 32;
  std::vector<double> sumA(segments * h, NAN), sumB(segments * h, NAN);
  std::vector<float> dbias(2 * h, NAN);
  emulate::launch({std::min(grid, (unsigned)(segments * tiles))}, {32, JOULE_COLUMN_LANES}, [&] {
    joule_glu_bwd_cols(rows, h, chunk, x.data(), b, dy.data(), dx.data(), sumA.data(), sumB.data());
  });
  emulate::launch({(unsigned)tiles}, {32, JOULE_COLUMN_LANES}, [&] {
    joule_column_pair_finish(h, segments, sumA.data(), sumB.data(), dbias.data(), dbias.data() + h);
  });
  std::vector<double> want(2 * h, 0);
  for (int row = 0; row < rows; row++) {
    for (int c = 0; c < h; c++) {
      double a = (double)x[row * 2 * h + c] + bias[c], e = (double)x[row * 2 * h + h + c] + bias[h + c];
      double s = 1 / (1 + std::exp(-e)), g = dy[row * h + c];
      check::expect(std::fabs(a * s - y[row * h + c]) < 1e-5 * (1 + std::fabs(a)), "glu");
      check::expect(std::fabs(g * s - dx[row * 2 * h + c]) < 1e-5 * (1 + std::fabs(g)), "glu gradient, first half");
      check::expect(std::fabs(g * a * s * (1 - s) - dx[row * 2 * h + h + c]) < 1e-5 * (1 + std::fabs(g * a)),
                    "glu gradient, second half");
      want[c] += dx[row * 2 * h + c];
      want[h + c] += dx[row * 2 * h + h + c];
    }
  }
  for (int c = 0; c < 2 * h; c++) {
    check::expect(std::fabs(want[c] - dbias[c]) < 1e-4 * (1 + std::fabs(want[c])), "glu bias gradient");
  }
}

// silu(z + bias) then dropout in one kernel each way, against float64 (no dropout) and against
// the same mask rule applied on the host (with dropout).
void biasSilu(int rows, int cols, unsigned grid, bool dropout) {
  std::vector<float> z(rows * cols), y(rows * cols), dy(rows * cols), dz(rows * cols), bias(cols);
  std::mt19937 r(rows * 7 + cols);
  std::normal_distribution<float> normal(0.f, 3.f);
  for (auto* v : {&z, &dy, &bias}) {
    for (float& e : *v) e = normal(r);
  }
  const unsigned keyLow = dropout ? 0xfeedu : 0u, keyHigh = dropout ? 0xbeefu : 0u;
  const unsigned threshold = dropout ? 0x80000000u : 0u;  // p = 0.5, or keep everything
  const float scale = dropout ? 2.f : 1.f;
  emulate::launch({grid}, {256}, [&] {
    joule_bias_silu_rows(rows, cols, keyLow, keyHigh, threshold, scale, z.data(), bias.data(), y.data());
  });
  const int chunk = 3, segments = (rows + chunk - 1) / chunk, tiles = (cols + 31) / 32;
  std::vector<double> sum(segments * cols, NAN);
  std::vector<float> dbias(cols, NAN);
  emulate::launch({std::min(grid, (unsigned)(segments * tiles))}, {32, JOULE_COLUMN_LANES}, [&] {
    joule_bias_silu_bwd_cols(rows, cols, chunk, keyLow, keyHigh, threshold, scale, z.data(), bias.data(), dy.data(),
                             dz.data(), sum.data());
  });
  emulate::launch({(unsigned)tiles}, {32, JOULE_COLUMN_LANES}, [&] {
    joule_column_pair_finish(cols, segments, sum.data(), nullptr, dbias.data(), nullptr);
  });
  std::vector<double> want(cols, 0);
  int kept = 0;
  for (int i = 0; i < rows * cols; i++) {
    double v = (double)z[i] + bias[i % cols], s = 1 / (1 + std::exp(-v));
    double m = joule_dropout_one(i, 1.f, keyLow, keyHigh, threshold, scale);  // 0 or the scale
    kept += m != 0;
    check::expect(std::fabs(m * v * s - y[i]) < 1e-5 * (1 + std::fabs(m * v)), "dropout(silu(z + bias))");
    check::expect(std::fabs(m * dy[i] * (s + v * s * (1 - s)) - dz[i]) < 1e-5 * (1 + std::fabs(m * dy[i] * v)),
                  "its gradient");
    want[i % cols] += dz[i];
  }
  check::expect(dropout ? kept > rows * cols / 4 && kept < 3 * rows * cols / 4 : kept == rows * cols, "kept elements");
  for (int c = 0; c < cols; c++) {
    check::expect(std::fabs(want[c] - dbias[c]) < 1e-4 * (1 + std::fabs(want[c])), "the bias's gradient");
  }
}

// Layer norm's kernels (rows forward, rows backward, and the γ/β gradients' two column-tile passes)
// against float64.
void layerNorm(int rows, int cols) {
  std::mt19937 r(rows * cols);
  std::normal_distribution<float> normal(1.f, 2.f);
  std::vector<float> x(rows * cols), gamma(cols), beta(cols), dy(rows * cols);
  for (auto* v : {&x, &gamma, &beta, &dy}) {
    for (float& e : *v) e = normal(r);
  }
  std::vector<float> y(x.size()), mean(rows), rstd(rows), dx(x.size()), dgamma(cols, NAN), dbeta(cols, NAN);
  const float eps = 1e-5f;
  emulate::launch({2}, {64}, [&] {
    joule_layer_norm_rows(rows, cols, eps, x.data(), gamma.data(), beta.data(), y.data(), mean.data(), rstd.data());
  });
  emulate::launch({2}, {64}, [&] {
    joule_layer_norm_rows_bwd(rows, cols, x.data(), gamma.data(), mean.data(), rstd.data(), dy.data(), nullptr, dx.data());
  });
  // Again with an addend (the gradient x has from its other uses), which dx must include.
  std::vector<float> addend(x.size()), dxPlus(x.size());
  for (float& e : addend) e = normal(r);
  emulate::launch({2}, {64}, [&] {
    joule_layer_norm_rows_bwd(rows, cols, x.data(), gamma.data(), mean.data(), rstd.data(), dy.data(), addend.data(),
                              dxPlus.data());
  });
  const int chunk = 3, segments = (rows + chunk - 1) / chunk, tiles = (cols + 31) / 32;
  std::vector<double> sumDyXhat(segments * cols, NAN), sumDy(segments * cols, NAN);
  emulate::launch({(unsigned)std::min(segments * tiles, 5)}, {32, JOULE_COLUMN_LANES}, [&] {
    joule_layer_norm_params_partial(rows, cols, chunk, x.data(), mean.data(), rstd.data(), dy.data(), sumDyXhat.data(),
                                    sumDy.data());
  });
  emulate::launch({(unsigned)tiles}, {32, JOULE_COLUMN_LANES}, [&] {
    joule_column_pair_finish(cols, segments, sumDyXhat.data(), sumDy.data(), dgamma.data(), dbeta.data());
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
      check::expect(close(want + addend[row * cols + c], dxPlus[row * cols + c]), "layer norm dx plus addend");
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
// Embedding rows and their scattered gradient (repeated ids add up), unfolding and its gather
// gradient, SGD with and without Nesterov, and masking by lengths; against direct loops.
void gatherUnfoldSgdMask() {
  const int vocab = 5, dim = 3, count = 7;
  std::vector<float> table(vocab * dim), out(count * dim), dout(count * dim), dtable(vocab * dim, 0.f);
  std::vector<int> ids{4, 0, 4, 2, 4, 1, 0};
  for (int i = 0; i < vocab * dim; i++) table[i] = i * 0.5f;
  for (int i = 0; i < count * dim; i++) dout[i] = (float)(i % 5) - 2;
  emulate::launch({2}, {8}, [&] { joule_embedding_fwd(count, dim, table.data(), ids.data(), out.data()); });
  emulate::launch({2}, {8}, [&] { joule_embedding_bwd(count, dim, ids.data(), dout.data(), dtable.data()); });
  std::vector<float> want(vocab * dim, 0.f);
  for (int i = 0; i < count; i++)
    for (int d = 0; d < dim; d++) {
      check::expect(out[i * dim + d] == table[ids[i] * dim + d], "embedding row");
      want[ids[i] * dim + d] += dout[i * dim + d];
    }
  for (int i = 0; i < vocab * dim; i++) check::expect(dtable[i] == want[i], "embedding gradient");

  // Unfold [2, 9, 3] with kernel 3, stride 2, dilation 2, left padding 2.
  const int batch = 2, steps = 9, channels = 3, kernel = 3, stride = 2, dilation = 2, pad = 2;
  const int outSteps = (steps + pad - dilation * (kernel - 1) - 1) / stride + 1;
  std::vector<float> x(batch * steps * channels), unfolded(batch * outSteps * kernel * channels), dx(x.size());
  for (size_t i = 0; i < x.size(); i++) x[i] = (float)i;
  emulate::launch({2}, {32}, [&] { joule_unfold_fwd(batch, steps, channels, kernel, stride, dilation, pad, outSteps, x.data(), unfolded.data()); });
  emulate::launch({2}, {32}, [&] { joule_unfold_bwd(batch, steps, channels, kernel, stride, dilation, pad, outSteps, unfolded.data(), dx.data()); });
  std::vector<float> back(x.size(), 0.f);
  for (int b = 0; b < batch; b++)
    for (int o = 0; o < outSteps; o++)
      for (int k = 0; k < kernel; k++)
        for (int c = 0; c < channels; c++) {
          int src = o * stride + k * dilation - pad;
          float v = src >= 0 && src < steps ? x[(b * steps + src) * channels + c] : 0.f;
          check::expect(unfolded[((b * outSteps + o) * kernel + k) * channels + c] == v, "unfolded element");
          if (src >= 0 && src < steps) back[(b * steps + src) * channels + c] += v;
        }
  for (size_t i = 0; i < x.size(); i++) check::expect(dx[i] == back[i], "unfold gradient");

  for (int nesterov = 0; nesterov < 2; nesterov++) {
    std::vector<float> w{1, -2, 3, 0.5f}, g{0.1f, 0.2f, -0.3f, 0}, v{0.5f, 0, -1, 2};
    auto w2 = w, v2 = v;
    emulate::launch({1}, {4}, [&] { joule_sgd_f32(4, 0.1f, 0.9f, 0.01f, nesterov, w.data(), g.data(), v.data()); });
    for (int i = 0; i < 4; i++) {
      float grad = g[i] + 0.01f * w2[i];
      float vi = 0.9f * v2[i] + grad;
      check::expect(v[i] == vi && w[i] == w2[i] - 0.1f * (nesterov ? grad + 0.9f * vi : vi), "sgd element");
    }
  }

  std::vector<int> lengths{2, 4, 0};
  std::vector<float> frames(3 * 4 * 2, 1.f);
  emulate::launch({1}, {16}, [&] { joule_mask_by_lengths(3, 4, 2, lengths.data(), frames.data()); });
  for (int b = 0; b < 3; b++)
    for (int t = 0; t < 4; t++)
      for (int c = 0; c < 2; c++) check::expect(frames[(b * 4 + t) * 2 + c] == (t < lengths[b] ? 1.f : 0.f), "masked frame");
}
// The thread-per-row softmax of ops.cu and its gradient (an all −inf row gives zeros).
void softmaxRows() {
  const int rows = 5, cols = 6;
  std::mt19937 r(31);
  std::normal_distribution<float> normal(0.f, 2.f);
  std::vector<float> x(rows * cols), y(rows * cols), dy(rows * cols), dx(rows * cols);
  for (float& v : x) v = normal(r);
  for (float& v : dy) v = normal(r);
  for (int c = 0; c < cols; c++) x[2 * cols + c] = -INFINITY;
  emulate::launch({1}, {4}, [&] { joule_softmax_rows(rows, cols, x.data(), y.data()); });
  emulate::launch({1}, {4}, [&] { joule_softmax_rows_bwd(rows, cols, y.data(), dy.data(), dx.data()); });
  for (int row = 0; row < rows; row++) {
    double m = -INFINITY, z = 0, s = 0;
    for (int c = 0; c < cols; c++) m = std::max(m, (double)x[row * cols + c]);
    for (int c = 0; c < cols; c++) z += std::exp(x[row * cols + c] - m);
    for (int c = 0; c < cols; c++) s += dy[row * cols + c] * y[row * cols + c];
    for (int c = 0; c < cols; c++) {
      int i = row * cols + c;
      double want = row == 2 ? 0 : std::exp(x[i] - m) / z;
      check::expect(std::fabs(y[i] - want) < 1e-5, "softmax row " + std::to_string(row));
      check::expect(std::fabs(dx[i] - y[i] * (dy[i] - s)) < 1e-5 * (1 + std::fabs(s)), "softmax gradient");
    }
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"glu, halves wider than a warp, grid-stride rows", [] { glu(37, 70, 2, false); }},
      {"glu, one column per half", [] { glu(9, 1, 4, false); }},
      {"glu with the linear layer's bias", [] { glu(21, 40, 2, true); }},
      {"silu with the linear layer's bias, grid-stride rows", [] { biasSilu(30, 70, 2, false); }},
      {"silu with a bias, rows narrower than a warp", [] { biasSilu(9, 5, 1, false); }},
      {"silu with a bias, then dropout", [] { biasSilu(30, 70, 2, true); }},
      {"element-wise, four at a time and a tail", [] { elementwise(37, 0); }},
      {"element-wise, misaligned", [] { elementwise(37, 1); }},
      {"embedding, unfold, SGD and masking", gatherUnfoldSgdMask},
      {"softmax rows, a thread each", softmaxRows},
      {"layer norm, rows wider than a warp", [] { layerNorm(11, 70); }},
      {"layer norm, rows narrower than a warp", [] { layerNorm(20, 5); }},
  });
}
