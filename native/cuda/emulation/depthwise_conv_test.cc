// depthwise_conv.cu on the host emulation, against the convolution and its gradients written out
// in float64 (strides, dilations and both paddings).
#include "cuda_host.h"
#include "depthwise_conv.cu"
#include "check.h"

#include <random>

namespace {
void depthwise(int batch, int steps, int channels, int kernel, int stride, int dilation, int padLeft, int padRight) {
  int stepsOut = (steps + padLeft + padRight - dilation * (kernel - 1) - 1) / stride + 1;
  std::mt19937 r(steps * 7 + kernel + stride);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<float> x(batch * steps * channels), w(kernel * channels), dy(batch * stepsOut * channels);
  for (auto* v : {&x, &w, &dy}) {
    for (float& e : *v) e = normal(r);
  }
  std::vector<float> y(dy.size()), dx(x.size());
  long long n = y.size();
  emulate::launch({3}, {64}, [&] {
    joule_depthwise_conv_fwd(n, steps, stepsOut, channels, kernel, stride, dilation, padLeft, x.data(), w.data(), y.data());
  });
  emulate::launch({3}, {64}, [&] {
    joule_depthwise_conv_bwd_x((long long)x.size(), steps, stepsOut, channels, kernel, stride, dilation, padLeft, dy.data(),
                               w.data(), dx.data());
  });
  int rows = batch * stepsOut, rowsPerChunk = 5, chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
  std::vector<float> partial(chunks * kernel * channels);
  emulate::launch({2}, {64}, [&] {
    joule_depthwise_conv_bwd_w((long long)partial.size(), rows, rowsPerChunk, steps, stepsOut, channels, kernel, stride,
                               dilation, padLeft, x.data(), dy.data(), partial.data());
  });
  std::vector<double> yRef(y.size(), 0), dxRef(x.size(), 0), dwRef(w.size(), 0);
  for (int b = 0; b < batch; b++)
    for (int t = 0; t < stepsOut; t++)
      for (int c = 0; c < channels; c++)
        for (int k = 0; k < kernel; k++) {
          int s = t * stride + k * dilation - padLeft;
          if (s < 0 || s >= steps) continue;
          double xv = x[(b * steps + s) * channels + c], g = dy[(b * stepsOut + t) * channels + c];
          yRef[(b * stepsOut + t) * channels + c] += xv * w[k * channels + c];
          dxRef[(b * steps + s) * channels + c] += g * w[k * channels + c];
          dwRef[k * channels + c] += g * xv;
        }
  std::string shape = "stride " + std::to_string(stride) + ", dilation " + std::to_string(dilation);
  for (size_t i = 0; i < y.size(); i++) check::expect(std::fabs(y[i] - yRef[i]) < 1e-4, shape + ": y");
  for (size_t i = 0; i < x.size(); i++) check::expect(std::fabs(dx[i] - dxRef[i]) < 1e-4, shape + ": dx");
  for (int k = 0; k < kernel; k++)
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      for (int ch = 0; ch < chunks; ch++) sum += partial[(ch * kernel + k) * channels + c];
      check::expect(std::fabs(sum - dwRef[k * channels + c]) < 1e-3, shape + ": dw");
    }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"same padding, stride 1 (the Conformer's)", [] { depthwise(2, 11, 5, 7, 1, 1, 3, 3); }},
      {"stride 2, dilation 2, uneven padding", [] { depthwise(3, 13, 4, 3, 2, 2, 1, 0); }},
  });
}
