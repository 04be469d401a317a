// Inverted dropout on GPU tensors, with the mask computed in the kernel: the GPU twin of
// dev.joule.engine.ops.DropoutMask (read its comment for the rule).
//
//   joule_dropout_f32   y[i] = x[i]·(keeps(key, i) ? scale : 0), where keeps(key, i) compares the
//                       top 53 bits of splitmix64's finaliser of key + i·φ with the threshold
//                       p·2^53. The same kernel is the backward pass (x = dy, y = dx): the mask
//                       is regenerated from the key, so nothing is stored between the passes.
//
// The Java side passes the key and threshold as 64-bit integers; the arithmetic is unsigned
// 64-bit, which matches Java's wrapping signed arithmetic bit for bit, so the CPU and GPU masks
// are identical. One thread per element, grid-stride loop; bandwidth-bound.

#include "grid_stride.cuh"

__device__ __forceinline__ unsigned long long joule_mix64(unsigned long long z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

extern "C" __global__ void joule_dropout_f32(long long n, unsigned long long key, unsigned long long threshold,
                                             float scale, const float* __restrict__ x, float* __restrict__ y) {
  JOULE_FOR(i, n) {
    unsigned long long h = joule_mix64(key + (unsigned long long)i * 0x9E3779B97F4A7C15ULL);
    // Multiplying by 0 rather than storing 0 keeps the CPU's result bit for bit: −0 for a
    // negative input and NaN for NaN, as the CPU's x·mask gives.
    y[i] = x[i] * ((h >> 11) >= threshold ? scale : 0.f);
  }
}
