// A linear layer's bias added by the kernel after the layer (GLU, residual dropout): v + bias[c],
// or v itself where the kernel was given no bias (null).
#pragma once

__device__ __forceinline__ float joule_plus_bias(float v, const float* __restrict__ bias, int c) {
  return bias != nullptr ? v + bias[c] : v;
}
