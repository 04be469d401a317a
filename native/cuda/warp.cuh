// Warp-level helpers shared by the row kernels that give each row to one warp of 32 lanes: the
// lanes read consecutive elements (coalesced) and combine their partial results by shuffles.
// Every lane of the warp must take part, so the loops that hand out rows keep a whole warp on
// one row (rows are numbered by thread index / 32, and launches use 256-thread blocks).
#pragma once

#define JOULE_FULL_WARP 0xffffffffu

// The grid-stride loop of the warp-per-row kernels: warp w of the launch (thread index / 32)
// takes rows w, w + warps, w + 2·warps, ... < n, so every lane of a warp stays on the same row.
#define JOULE_FOR_WARP(r, n)                                                                  \
  for (long long r = (blockIdx.x * (long long)blockDim.x + threadIdx.x) >> 5; r < (n); \
       r += ((long long)gridDim.x * blockDim.x) >> 5)

// The sum over the warp's 32 lanes; every lane receives it.
__device__ __forceinline__ float joule_warp_sum(float v) {
  for (int off = 16; off > 0; off >>= 1) {
    v += __shfl_xor_sync(JOULE_FULL_WARP, v, off);
  }
  return v;
}
