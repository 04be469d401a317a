// Inverted dropout on GPU tensors, with the mask computed in the kernel: the GPU twin of
// dev.joule.engine.ops.DropoutMask (read its comment for the rule).
//
//   joule_dropout_f32   y[i] = x[i]·(keeps(key, i) ? scale : 0), where keeps(key, i) compares
//                       lowbias32((lo(i)·φ + lo(key)) ^ hi(key) ^ (hi(i)·ψ)) with the threshold
//                       p·2^32. The same kernel is the backward pass (x = dy, y = dx): the mask
//                       is regenerated from the key, so nothing is stored between the passes.
//
// The Java side passes the key's halves and the threshold as 32-bit words; the arithmetic is
// unsigned 32-bit, which matches Java's wrapping int arithmetic bit for bit, so the CPU and GPU
// masks are identical. 32-bit because 64-bit integer multiplies are emulated on the GPU and made
// the kernel compute-bound. One thread per element, grid-stride loop; bandwidth-bound.

#include "grid_stride.cuh"
#include "vector4.cuh"

__device__ __forceinline__ unsigned int joule_lowbias32(unsigned int x) {
  x ^= x >> 16;
  x *= 0x7FEB352Du;
  x ^= x >> 15;
  x *= 0x846CA68Bu;
  return x ^ (x >> 16);
}

// x·(kept ? scale : 0) for element i. Multiplying by 0 rather than storing 0 keeps the CPU's
// result bit for bit: −0 for a negative input and NaN for NaN, as the CPU's x·mask gives.
__device__ __forceinline__ float joule_dropout_one(long long i, float v, unsigned int keyLow, unsigned int keyHigh,
                                                   unsigned int threshold, float scale) {
  unsigned int u = ((unsigned int)i * 0x9E3779B9u + keyLow) ^ keyHigh ^ ((unsigned int)(i >> 32) * 0x85EBCA6Bu);
  return v * (joule_lowbias32(u) >= threshold ? scale : 0.f);
}

// Four elements per iteration when x and y allow 16-byte access (vector4.cuh).
extern "C" __global__ void joule_dropout_f32(long long n, unsigned int keyLow, unsigned int keyHigh,
                                             unsigned int threshold, float scale, const float* __restrict__ x,
                                             float* __restrict__ y) {
  if (joule_aligned16(x) && joule_aligned16(y)) {
    long long n4 = n >> 2;
    JOULE_FOR(j, n4) {
      float4 v = joule_load4(x, j);
      long long i = j << 2;
      joule_store4(y, j, make_float4(joule_dropout_one(i, v.x, keyLow, keyHigh, threshold, scale),
                                     joule_dropout_one(i + 1, v.y, keyLow, keyHigh, threshold, scale),
                                     joule_dropout_one(i + 2, v.z, keyLow, keyHigh, threshold, scale),
                                     joule_dropout_one(i + 3, v.w, keyLow, keyHigh, threshold, scale)));
    }
    JOULE_FOR(r, n & 3) {
      long long i = (n4 << 2) + r;
      y[i] = joule_dropout_one(i, x[i], keyLow, keyHigh, threshold, scale);
    }
  } else {
    JOULE_FOR(i, n) {
      y[i] = joule_dropout_one(i, x[i], keyLow, keyHigh, threshold, scale);
    }
  }
}
