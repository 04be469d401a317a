// The host emulation's execution model itself (cuda_host.h), which every kernel test relies on:
// barriers order shared memory between a block's threads, a warp's shuffles exchange its lanes'
// values, __syncthreads_or sees every thread, and a block whose threads skip a barrier is reported
// and aborts instead of hanging.
#include "cuda_host.h"
#include "check.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {
__global__ void reverse_through_shared(int* out) {
  __shared__ int buffer[256];
  buffer[threadIdx.x] = threadIdx.x;
  __syncthreads();
  out[blockIdx.x * blockDim.x + threadIdx.x] = buffer[blockDim.x - 1 - threadIdx.x];
}

__global__ void warp_sums(float* out) {
  float v = (float)(threadIdx.x % 32);
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
  out[threadIdx.x] = v;
}

__global__ void any_thread(int target, int* out) { out[blockIdx.x] = __syncthreads_or((int)threadIdx.x == target); }

__global__ void thread_zero_skips_the_barrier() {
  if (threadIdx.x != 0) __syncthreads();
}

void barrierOrdersSharedMemory() {
  std::vector<int> out(2 * 256, -1);
  emulate::launch({2}, {256}, [&] { reverse_through_shared(out.data()); });
  for (int i = 0; i < 512; i++) check::expect(out[i] == 255 - i % 256, "element " + std::to_string(i));
}

void shufflesExchangeLanes() {
  std::vector<float> out(64, -1);
  emulate::launch({1}, {64}, [&] { warp_sums(out.data()); });
  for (int t = 0; t < 64; t++) check::expect(out[t] == 496.f, "every lane holds the warp's sum, thread " + std::to_string(t));
}

void syncthreadsOrSeesEveryThread() {
  std::vector<int> out(3, -1);
  emulate::launch({3}, {64}, [&] { any_thread(37, out.data()); });
  check::expect(out[0] == 1 && out[1] == 1 && out[2] == 1, "one thread's predicate");
  emulate::launch({3}, {64}, [&] { any_thread(99, out.data()); });
  check::expect(out[0] == 0 && out[1] == 0 && out[2] == 0, "no thread's predicate");
}

void skippedBarrierAbortsInsteadOfHanging() {
  pid_t child = fork();
  if (child == 0) {
    freopen("/dev/null", "w", stderr);  // the report is expected; keep the test log clean
    emulate::launch({1}, {64}, [] { thread_zero_skips_the_barrier(); });
    _exit(0);  // not reached when the deadlock is reported
  }
  int status = 0;
  waitpid(child, &status, 0);
  check::expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "the child aborted on the deadlocked block");
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"a barrier orders shared memory between a block's threads", barrierOrdersSharedMemory},
      {"a warp's shuffles exchange its lanes' values", shufflesExchangeLanes},
      {"__syncthreads_or sees every thread of the block", syncthreadsOrSeesEveryThread},
      {"a block whose threads skip a barrier aborts instead of hanging", skippedBarrierAbortsInsteadOfHanging},
  });
}
