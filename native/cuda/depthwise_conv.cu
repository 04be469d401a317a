// Depthwise 1-D convolution of GPU tensors, one filter per channel, without unfolding: the GPU
// twin of dev.joule.engine.ops.Ops.depthwiseConv1d, whose CPU form (unfold, multiply, sum over
// the window) is the reference these kernels are tested against (GpuCompositeOpsTest).
//
//   x  [B, T, C]    input, contiguous
//   w  [K, C]       filter taps
//   y  [B, T', C]   y[b, t, c] = Σ_k x[b, t·stride + k·dilation − padLeft, c] · w[k, c],
//                   the taps that fall outside [0, T) reading zero.
//
// Why a kernel of its own: unfolding materialises K copies of the input (15 for a Conformer's
// convolution module), and the broadcast multiply and the sum over the window read and write them
// again; in a Conformer step's profile that chain cost about twice PyTorch's depthwise kernels.
// Here each output reads its K taps straight from x.
//
//   joule_depthwise_conv_fwd     one thread per output element (b, t, c); adjacent threads on
//                                adjacent channels, so every tap's loads coalesce.
//   joule_depthwise_conv_bwd_x   one thread per input element (b, s, c) gathers the outputs whose
//                                windows read it: t = (s + padLeft − k·dilation) / stride when that
//                                divides exactly and 0 ≤ t < T'. Gathering needs no atomics, so the
//                                gradient is the same on every run.
//   joule_depthwise_conv_bwd_w   dw[k, c] = Σ over rows (b, t) of dy[b, t, c] · x[b, s(t, k), c], in
//                                two passes for the same reason: one thread per (row chunk, k, c)
//                                sums its chunk of rows into partial[chunk, k, c]; the host then
//                                sums the chunks with the reduction kernels.
//
// Indices are 32-bit inside a launch (the host checks every tensor is below 2^31 elements).

#include "grid_stride.cuh"

extern "C" __global__ void joule_depthwise_conv_fwd(long long n, int steps, int stepsOut, int channels, int kernel,
                                                    int stride, int dilation, int padLeft,
                                                    const float* __restrict__ x, const float* __restrict__ w,
                                                    float* __restrict__ y) {
  JOULE_FOR(i, n) {
    unsigned int e = (unsigned int)i;
    int c = (int)(e % (unsigned int)channels);
    unsigned int row = e / (unsigned int)channels;
    int t = (int)(row % (unsigned int)stepsOut);
    int b = (int)(row / (unsigned int)stepsOut);
    const float* xb = x + (size_t)b * steps * channels + c;
    float acc = 0.f;
    for (int k = 0; k < kernel; k++) {
      int s = t * stride + k * dilation - padLeft;
      if (s >= 0 && s < steps) {
        acc = fmaf(xb[(size_t)s * channels], w[k * channels + c], acc);
      }
    }
    y[i] = acc;
  }
}

extern "C" __global__ void joule_depthwise_conv_bwd_x(long long n, int steps, int stepsOut, int channels, int kernel,
                                                      int stride, int dilation, int padLeft,
                                                      const float* __restrict__ dy, const float* __restrict__ w,
                                                      float* __restrict__ dx) {
  JOULE_FOR(i, n) {
    unsigned int e = (unsigned int)i;
    int c = (int)(e % (unsigned int)channels);
    unsigned int row = e / (unsigned int)channels;
    int s = (int)(row % (unsigned int)steps);
    int b = (int)(row / (unsigned int)steps);
    const float* dyb = dy + (size_t)b * stepsOut * channels + c;
    float acc = 0.f;
    for (int k = 0; k < kernel; k++) {
      int reach = s + padLeft - k * dilation;
      // Stride 1 (every Conformer) skips the integer divide, which dominated this loop.
      if (reach < 0 || (stride != 1 && reach % stride != 0)) {
        continue;
      }
      int t = stride == 1 ? reach : reach / stride;
      if (t < stepsOut) {
        acc = fmaf(dyb[(size_t)t * channels], w[k * channels + c], acc);
      }
    }
    dx[i] = acc;
  }
}

extern "C" __global__ void joule_depthwise_conv_bwd_w(long long n, int rows, int rowsPerChunk, int steps, int stepsOut,
                                                      int channels, int kernel, int stride, int dilation, int padLeft,
                                                      const float* __restrict__ x, const float* __restrict__ dy,
                                                      float* __restrict__ partial) {
  JOULE_FOR(i, n) {
    unsigned int e = (unsigned int)i;
    int c = (int)(e % (unsigned int)channels);
    unsigned int q = e / (unsigned int)channels;
    int k = (int)(q % (unsigned int)kernel);
    int chunk = (int)(q / (unsigned int)kernel);
    int first = chunk * rowsPerChunk;
    int last = min(rows, first + rowsPerChunk);
    int b = first / stepsOut;
    int t = first % stepsOut;
    float acc = 0.f;
    for (int r = first; r < last; r++) {
      int s = t * stride + k * dilation - padLeft;
      if (s >= 0 && s < steps) {
        acc = fmaf(dy[(size_t)r * channels + c], x[((size_t)b * steps + s) * channels + c], acc);
      }
      if (++t == stepsOut) {
        t = 0;
        b++;
      }
    }
    partial[i] = acc;
  }
}
