// Four floats per load and store for the bandwidth-bound element-wise kernels. A thread that
// moves a float4 issues a quarter of the memory instructions of four scalar threads, which is
// what lets those kernels reach the memory bandwidth (PyTorch's element-wise kernels do the same).
// The vector path needs every pointer 16-byte aligned; kernels test that at run time (the test is
// the same for every thread, so no warp diverges) and fall back to one element per iteration.
// The host launches a quarter of the threads (GpuOps.vectorThreads): grid-stride loops stay
// correct for any thread count, so the fallback path only runs more iterations per thread.
#pragma once

__device__ __forceinline__ bool joule_aligned16(const void* p) {
  return ((size_t)p & 15u) == 0;
}

__device__ __forceinline__ float4 joule_load4(const float* p, long long j) {
  return reinterpret_cast<const float4*>(p)[j];
}

__device__ __forceinline__ void joule_store4(float* p, long long j, float4 v) {
  reinterpret_cast<float4*>(p)[j] = v;
}
