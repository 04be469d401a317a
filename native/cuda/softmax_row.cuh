// Softmax of one row by one warp, shared by the softmax kernels of tensor_math.cu and the fused
// softmax-then-dropout kernels of dropout.cu. As on the CPU: the shift is the row's maximum, or 0
// when the row is all −inf; such a row has z = 0 and gives softmax 0, log-softmax −inf and
// log-sum-exp −inf. A NaN or +inf in a row makes its results NaN.
#pragma once

#include "warp.cuh"

// Output of mode 0 (softmax) or 1 (log-softmax) for element v of a slice with sum z and log-sum lz.
__device__ __forceinline__ float joule_softmax_out(int mode, float v, float z, float lz) {
  if (z == 0.f) {
    return mode == 0 ? 0.f : -INFINITY;
  }
  return mode == 0 ? expf(v - lz) : v - lz;
}

// z = Σ exp(x − m) and lz = m + log z over the n elements of row xr, the warp's lanes on
// consecutive elements; every lane receives both.
__device__ __forceinline__ void joule_warp_softmax_row(const float* xr, int n, int lane, float& z, float& lz) {
  float m = -INFINITY;
  for (int k = lane; k < n; k += 32) {
    m = fmaxf(m, xr[k]);
  }
  for (int off = 16; off > 0; off >>= 1) {
    m = fmaxf(m, __shfl_xor_sync(JOULE_FULL_WARP, m, off));
  }
  if (m == -INFINITY) {
    m = 0.f;
  }
  float s = 0.f;
  for (int k = lane; k < n; k += 32) {
    s += expf(xr[k] - m);
  }
  z = joule_warp_sum(s);
  lz = m + logf(z);
}
