// Runs CUDA kernels on the host, so their logic is tested on machines without a GPU (CI): the
// kernel sources are compiled as C++ with this header in front, and emulate::launch runs a grid.
//
// The execution model is kept where the kernels depend on it: the blocks of a grid run one after
// another, and the threads of a block run at the same time, one std::thread each, so
// __syncthreads is a real barrier, a warp's shuffles exchange values between its 32 threads, and
// __shared__ memory (a function-local static) is shared by exactly the threads of the block that
// is running. What is not modelled: timing, memory coherence beyond what the barriers give, and
// the reduced-precision intrinsics (__expf is expf). Built with -ffp-contract=off, so products
// are rounded on their own as __fmul_rn promises. This checks that a kernel computes the right
// thing; the GPU tests on a card (benchmarks/gpu/run.sh) check that it does so on the hardware.
#pragma once

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};
struct float4 {
  float x, y, z, w;
};

inline thread_local dim3 threadIdx;
inline thread_local dim3 blockIdx;
inline dim3 blockDim;
inline dim3 gridDim;

#define __global__
#define __device__
#define __forceinline__ inline
#define __restrict__
#define __shared__ static

namespace emulate {
// The running block's barrier, and one barrier and exchange slot per warp for the shuffles.
inline std::barrier<>* block_barrier = nullptr;
inline std::vector<std::unique_ptr<std::barrier<>>>* warp_barriers = nullptr;
inline std::vector<double>* warp_slots = nullptr;
inline std::atomic<int> any_flag{0};
// The running block's dynamic shared memory (launch's sharedBytes); the build rewrites a kernel's
// `extern __shared__ T name[];` into `T* name = emulate::dynamic_shared<T>();`.
inline std::vector<unsigned char>* dynamic_bytes = nullptr;

template <typename T>
T* dynamic_shared() {
  return reinterpret_cast<T*>(dynamic_bytes->data());
}

inline unsigned linear_thread() { return (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x; }

// Runs `kernel` (a lambda calling the __global__ function) over grid x block, with
// `sharedBytes` of dynamic shared memory per block.
inline void launch(dim3 grid, dim3 block, const std::function<void()>& kernel, size_t sharedBytes = 0) {
  gridDim = grid;
  blockDim = block;
  unsigned threads = block.x * block.y * block.z;
  unsigned warps = (threads + 31) / 32;
  for (unsigned bz = 0; bz < grid.z; bz++)
    for (unsigned by = 0; by < grid.y; by++)
      for (unsigned bx = 0; bx < grid.x; bx++) {
        std::barrier<> barrier(threads);
        std::vector<std::unique_ptr<std::barrier<>>> warp(warps);
        for (unsigned w = 0; w < warps; w++) {
          warp[w] = std::make_unique<std::barrier<>>(std::min(32u, threads - 32 * w));
        }
        std::vector<double> slots(32 * warps);
        std::vector<unsigned char> shared(sharedBytes + 16);
        dynamic_bytes = &shared;
        block_barrier = &barrier;
        warp_barriers = &warp;
        warp_slots = &slots;
        std::vector<std::thread> pool;
        pool.reserve(threads);
        for (unsigned tz = 0; tz < block.z; tz++)
          for (unsigned ty = 0; ty < block.y; ty++)
            for (unsigned tx = 0; tx < block.x; tx++)
              pool.emplace_back([&, tx, ty, tz, bx, by, bz] {
                threadIdx = {tx, ty, tz};
                blockIdx = {bx, by, bz};
                kernel();
              });
        for (auto& t : pool) t.join();
      }
}

// A warp's exchange: every lane publishes v, then reads lane `from`'s value. Values pass through
// a double: exact for the float and 32-bit integer shuffles the kernels use, not for 64-bit ones.
template <typename T>
T exchange(T v, unsigned from) {
  unsigned t = linear_thread();
  unsigned w = t / 32;
  std::barrier<>& b = *(*warp_barriers)[w];
  (*warp_slots)[t] = (double)v;
  b.arrive_and_wait();
  T out = from < 32 && w * 32 + from < warp_slots->size() ? (T)(*warp_slots)[w * 32 + from] : v;
  b.arrive_and_wait();
  return out;
}
}  // namespace emulate

inline void __syncthreads() { emulate::block_barrier->arrive_and_wait(); }

inline int __syncthreads_or(int predicate) {
  __syncthreads();
  if (predicate) emulate::any_flag.store(1);
  __syncthreads();
  int any = emulate::any_flag.load();
  __syncthreads();
  if (emulate::linear_thread() == 0) emulate::any_flag.store(0);
  __syncthreads();
  return any;
}

template <typename T>
T __shfl_down_sync(unsigned, T v, int delta) {
  unsigned lane = emulate::linear_thread() % 32;
  return emulate::exchange(v, lane + delta);
}

template <typename T>
T __shfl_xor_sync(unsigned, T v, int mask) {
  unsigned lane = emulate::linear_thread() % 32;
  return emulate::exchange(v, lane ^ (unsigned)mask);
}

// The device's overloaded min/max of integers.
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }
inline float rsqrtf(float x) { return 1.f / std::sqrt(x); }
inline float atomicAdd(float* p, float v) { return std::atomic_ref<float>(*p).fetch_add(v); }
inline int atomicMax(int* p, int v) {
  std::atomic_ref<int> a(*p);
  int old = a.load();
  while (old < v && !a.compare_exchange_weak(old, v)) {
  }
  return old;
}
inline unsigned atomicMin(unsigned* p, unsigned v) {
  std::atomic_ref<unsigned> a(*p);
  unsigned old = a.load();
  while (old > v && !a.compare_exchange_weak(old, v)) {
  }
  return old;
}
inline int __float_as_int(float f) {
  int i;
  std::memcpy(&i, &f, sizeof i);
  return i;
}
inline unsigned __float_as_uint(float f) {
  unsigned u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a * b) >> 32); }
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __int_as_float(unsigned v) {
  float f;
  std::memcpy(&f, &v, sizeof f);
  return f;
}
inline double __longlong_as_double(unsigned long long v) {
  double d;
  std::memcpy(&d, &v, sizeof d);
  return d;
}
using std::isnan;
using std::fmaf;
