// Runs CUDA kernels on the host, so their logic is tested on machines without a GPU (CI): the
// kernel sources are compiled as C++ with this header in front, and emulate::launch runs a grid.
//
// The execution model is kept where the kernels depend on it: the blocks of a grid run one after
// another, and the threads of a block run as cooperative fibers (one stack each, switched on one
// OS thread), so __syncthreads is a real barrier, a warp's shuffles exchange values between its
// 32 threads, and __shared__ memory (a function-local static) is shared by exactly the threads of
// the block that is running. A thread runs until it waits at a barrier or ends; the others then
// run up to the same barrier. A block whose threads wait at barriers that can never open (a
// barrier some threads skip) is reported and aborts, where a GPU would hang. What is not
// modelled: timing, memory coherence beyond what the barriers give, the interleavings a GPU
// could choose between barriers, and the reduced-precision intrinsics (__expf is expf). Built
// with -ffp-contract=off, so products are rounded on their own as __fmul_rn promises. This checks
// that a kernel computes the right thing; the GPU tests on a card (benchmarks/gpu/run.sh) check
// that it does so on the hardware.
#pragma once

#include <sys/mman.h>
#include <ucontext.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};
// Aligned as on the device, so a four-wide access to misaligned memory faults here too.
struct alignas(16) float4 {
  float x, y, z, w;
};

// The running thread's indices: set by the scheduler each time it switches to a thread.
inline dim3 threadIdx;
inline dim3 blockIdx;
inline dim3 blockDim;
inline dim3 gridDim;

#define __global__
#define __device__
#define __forceinline__ inline
#define __restrict__
#define __shared__ static

namespace emulate {
// Fiber switching. On x86-64 a few instructions save the callee-saved registers and the
// floating-point control words on the current stack and swap stack pointers: the kernels'
// threads switch millions of times in a test run, and glibc's swapcontext makes a system call
// (the signal mask) on every switch. Elsewhere ucontext does the same job, slower.
#if defined(__x86_64__) && !defined(JOULE_EMULATION_UCONTEXT)
extern "C" void joule_fiber_switch(void** save_sp, void* load_sp);
asm(R"(
  .pushsection .text
  .p2align 4
  .weak joule_fiber_switch
  .hidden joule_fiber_switch
  .type joule_fiber_switch, @function
joule_fiber_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $16, %rsp
  stmxcsr 8(%rsp)
  fnstcw (%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  fldcw (%rsp)
  ldmxcsr 8(%rsp)
  addq $16, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size joule_fiber_switch, .-joule_fiber_switch
  .popsection
)");

struct FiberContext {
  void* sp = nullptr;
  // A new fiber's stack holds what joule_fiber_switch pops: control words, six registers, and
  // the address it "returns" to, `entry`, placed so that entry starts with the stack aligned as
  // after a call.
  void start(char* stack, size_t bytes, void (*entry)()) {
    auto top = reinterpret_cast<uintptr_t>(stack + bytes) & ~uintptr_t{15};
    auto* slot = reinterpret_cast<uint64_t*>(top - 16);  // 16-aligned: the return address
    slot[0] = reinterpret_cast<uint64_t>(entry);
    slot[1] = 0;
    uint64_t* frame = slot - 8;  // fcw, mxcsr, r15, r14, r13, r12, rbx, rbp
    std::memset(frame, 0, 8 * sizeof(uint64_t));
    frame[0] = 0x037F;  // x87 control word: the ABI's default
    frame[1] = 0x1F80;  // MXCSR: the ABI's default
    sp = frame;
  }
};
inline void switch_to(FiberContext& from, FiberContext& to) { joule_fiber_switch(&from.sp, to.sp); }
#else
struct FiberContext {
  ucontext_t context;
  void start(char* stack, size_t bytes, void (*entry)()) {
    getcontext(&context);
    context.uc_stack.ss_sp = stack;
    context.uc_stack.ss_size = bytes;
    context.uc_link = nullptr;
    makecontext(&context, entry, 0);
  }
};
inline void switch_to(FiberContext& from, FiberContext& to) { swapcontext(&from.context, &to.context); }
#endif

// The threads of the running block, as fibers. Each stack has an inaccessible page below it, so
// a thread that overflows its stack faults instead of writing over its neighbour's.
struct Fibers {
  static constexpr size_t kStackBytes = 256 * 1024;
  static constexpr size_t kGuardBytes = 4096;
  std::vector<FiberContext> contexts;
  std::vector<dim3> ids;
  std::vector<unsigned char> finished;
  char* stacks = nullptr;
  size_t capacity = 0;
  FiberContext scheduler;
  unsigned running = 0;
  // Arrivals at barriers, barrier openings and threads ending: a round of the scheduler that
  // changes none of them can change nothing after it either.
  unsigned long long progress = 0;
  const std::function<void()>* kernel = nullptr;

  void reserve(unsigned threads) {
    if (threads <= capacity) return;
    contexts.resize(threads);
    ids.resize(threads);
    finished.resize(threads);
    if (stacks != nullptr) munmap(stacks, capacity * (kStackBytes + kGuardBytes));
    void* region = mmap(nullptr, threads * (kStackBytes + kGuardBytes), PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (region == MAP_FAILED) {
      std::fprintf(stderr, "emulate: cannot map stacks for %u threads\n", threads);
      std::abort();
    }
    stacks = static_cast<char*>(region);
    for (unsigned t = 0; t < threads; t++) mprotect(stacks + t * (kStackBytes + kGuardBytes), kGuardBytes, PROT_NONE);
    capacity = threads;
  }
  // Thread t's stack: the kStackBytes above its guard page.
  char* stack(unsigned t) { return stacks + t * (kStackBytes + kGuardBytes) + kGuardBytes; }
};
inline Fibers fibers;

// Gives the OS thread back to the scheduler; the running thread resumes in a later round.
inline void yield() { switch_to(fibers.contexts[fibers.running], fibers.scheduler); }

// A barrier among the fibers of a block (or of a warp): arrivals are counted, the last one opens
// it, and the others yield until it has opened.
struct Barrier {
  unsigned participants = 0, arrived = 0, generation = 0;
  void arrive_and_wait() {
    fibers.progress++;
    unsigned waitingFor = generation;
    if (++arrived == participants) {
      arrived = 0;
      generation++;
      return;
    }
    while (generation == waitingFor) yield();
  }
};

// The running block's barrier, and one barrier and exchange slot per warp for the shuffles.
inline Barrier* block_barrier = nullptr;
inline std::vector<Barrier>* warp_barriers = nullptr;
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

// A fiber's first frame: runs the kernel as this thread, then hands control back for good.
inline void fiber_main() {
  (*fibers.kernel)();
  fibers.finished[fibers.running] = 1;
  fibers.progress++;
  yield();
  std::abort();  // a finished fiber is never resumed
}

// Runs `kernel` (a lambda calling the __global__ function) over grid x block, with
// `sharedBytes` of dynamic shared memory per block. One launch at a time per process.
inline void launch(dim3 grid, dim3 block, const std::function<void()>& kernel, size_t sharedBytes = 0) {
  gridDim = grid;
  blockDim = block;
  unsigned threads = block.x * block.y * block.z;
  unsigned warps = (threads + 31) / 32;
  fibers.reserve(threads);
  fibers.kernel = &kernel;
  for (unsigned bz = 0; bz < grid.z; bz++)
    for (unsigned by = 0; by < grid.y; by++)
      for (unsigned bx = 0; bx < grid.x; bx++) {
        blockIdx = {bx, by, bz};
        Barrier barrier{threads};
        std::vector<Barrier> warp(warps);
        for (unsigned w = 0; w < warps; w++) warp[w].participants = std::min(32u, threads - 32 * w);
        std::vector<double> slots(32 * warps);
        std::vector<unsigned char> shared(sharedBytes + 16, 0xFF);  // unwritten reads as NaN or -1
        dynamic_bytes = &shared;
        block_barrier = &barrier;
        warp_barriers = &warp;
        warp_slots = &slots;
        unsigned t = 0;
        for (unsigned tz = 0; tz < block.z; tz++)
          for (unsigned ty = 0; ty < block.y; ty++)
            for (unsigned tx = 0; tx < block.x; tx++, t++) {
              fibers.contexts[t].start(fibers.stack(t), Fibers::kStackBytes, fiber_main);
              fibers.ids[t] = {tx, ty, tz};
              fibers.finished[t] = 0;
            }
        unsigned live = threads;
        while (live > 0) {
          unsigned long long before = fibers.progress;
          for (unsigned i = 0; i < threads; i++) {
            if (fibers.finished[i]) continue;
            fibers.running = i;
            threadIdx = fibers.ids[i];
            switch_to(fibers.scheduler, fibers.contexts[i]);
            if (fibers.finished[i]) live--;
          }
          if (live > 0 && fibers.progress == before) {
            std::fprintf(stderr, "emulate: block (%u,%u,%u) deadlocked: %u of %u threads wait at a barrier the others never reach\n",
                         bx, by, bz, live, threads);
            std::abort();
          }
        }
      }
}

// A warp's exchange: every lane publishes v, then reads lane `from`'s value. Values pass through
// a double: exact for the float and 32-bit integer shuffles the kernels use, not for 64-bit ones.
template <typename T>
T exchange(T v, unsigned from) {
  unsigned t = linear_thread();
  unsigned w = t / 32;
  Barrier& b = (*warp_barriers)[w];
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
inline int atomicCAS(int* p, int compare, int value) {
  std::atomic_ref<int>(*p).compare_exchange_strong(compare, value);
  return compare;  // the value found: `compare` is updated to it when the exchange fails
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
