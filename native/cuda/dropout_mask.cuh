// The dropout mask rule of dev.joule.engine.ops.DropoutMask on the GPU (dropout.cu explains it):
// whether element i is kept under a call's key, and the element's output.
#pragma once

__device__ __forceinline__ unsigned int joule_lowbias32(unsigned int x) {
  x ^= x >> 16;
  x *= 0x7FEB352Du;
  x ^= x >> 15;
  x *= 0x846CA68Bu;
  return x ^ (x >> 16);
}

// x·(kept ? scale : 0) for element i. Multiplying by 0 rather than storing 0 keeps the CPU's
// result bit for bit: −0 for a negative input and NaN for NaN, as the CPU's x·mask gives. The
// product is rounded on its own (__fmul_rn is never contracted into a fused multiply-add), so a
// kernel that goes on computing with it gets the value the dropout kernel would have stored.
__device__ __forceinline__ float joule_dropout_one(long long i, float v, unsigned int keyLow, unsigned int keyHigh,
                                                   unsigned int threshold, float scale) {
  unsigned int u = ((unsigned int)i * 0x9E3779B9u + keyLow) ^ keyHigh ^ ((unsigned int)(i >> 32) * 0x85EBCA6Bu);
  return __fmul_rn(v, joule_lowbias32(u) >= threshold ? scale : 0.f);
}
