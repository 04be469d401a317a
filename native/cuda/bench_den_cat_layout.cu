// Baseline for the den benchmark only: the denominator forward-backward laid out the way CAT's
// gpu_den kernel lays it out, so Joule's kernel (den_forward_backward.cu) can be compared with
// that design on the same graph, batch and card. Not used by the engine.
//
// The layout being reproduced:
// * one block of 1024 threads per utterance; threads stride over the graph's states;
// * alpha: gather over incoming arcs with log-add (as ours), but with only B blocks in flight;
// * beta: each thread walks its state's outgoing arcs and adds every arc posterior, in log
//   space, into one of 32 slots per (utterance, token) with a compare-and-swap log-add;
// * after each backward frame a second kernel folds the 32 slots into the gradient and resets
//   them (three launches per frame in all).
// Semantics are identical to joule_den_* (same inputs, same outputs), so results can be checked
// against each other.

#include <math_constants.h>

#define CAT_SLOTS 32

__device__ __forceinline__ float cat_log_add(float a, float b) {
  if (a == -CUDART_INF_F) return b;
  if (b == -CUDART_INF_F) return a;
  float m = fmaxf(a, b);
  return m + log1pf(expf(-fabsf(a - b)));
}

__device__ void cat_atomic_log_add(float* address, float value) {
  int* bits = (int*)address;
  int old = *bits, assumed;
  do {
    assumed = old;
    float updated = cat_log_add(__int_as_float(assumed), value);
    old = atomicCAS(bits, assumed, __float_as_int(updated));
  } while (old != assumed);
}

// alpha layout [B][T+1][S] (per utterance contiguous, as CAT keeps it).
extern "C" __global__ void joule_catlayout_alpha_init(int states, int max_frames, int start, float* alpha) {
  float* a0 = alpha + (long long)blockIdx.x * (max_frames + 1) * states;
  for (int s = threadIdx.x; s < states; s += blockDim.x) a0[s] = s == start ? 0.f : -CUDART_INF_F;
}

extern "C" __global__ void joule_catlayout_alpha(
    int t, int states, int tokens, int max_frames, const int* lengths,
    const int* dst_start, const int* dst_arc_src, const int* dst_arc_token, const float* dst_arc_logprob,
    const float* x, float* alpha) {
  int b = blockIdx.x;
  if (t > lengths[b]) return;
  const float* prev = alpha + ((long long)b * (max_frames + 1) + t - 1) * states;
  float* cur = alpha + ((long long)b * (max_frames + 1) + t) * states;
  const float* xt = x + ((long long)b * max_frames + t - 1) * tokens;
  for (int d = threadIdx.x; d < states; d += blockDim.x) {
    float r = -CUDART_INF_F;
    for (int a = dst_start[d]; a < dst_start[d + 1]; ++a)
      r = cat_log_add(prev[dst_arc_src[a]] + dst_arc_logprob[a] + xt[dst_arc_token[a]], r);
    cur[d] = r;
  }
}

extern "C" __global__ void joule_catlayout_logz(
    int states, int max_frames, const int* lengths, const float* alpha, const float* final_logprob, float* logz) {
  __shared__ float part[1024];
  int b = blockIdx.x;
  const float* last = alpha + ((long long)b * (max_frames + 1) + lengths[b]) * states;
  float r = -CUDART_INF_F;
  for (int s = threadIdx.x; s < states; s += blockDim.x) r = cat_log_add(last[s] + final_logprob[s], r);
  part[threadIdx.x] = r;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if ((int)threadIdx.x < stride) part[threadIdx.x] = cat_log_add(part[threadIdx.x], part[threadIdx.x + stride]);
    __syncthreads();
  }
  if (threadIdx.x == 0) logz[b] = part[0];
}

// slots [B][tokens][32] must start at -inf. beta ping-pong [B][2][S].
extern "C" __global__ void joule_catlayout_beta(
    int t, int states, int tokens, int max_frames, const int* lengths,
    const int* src_start, const int* src_arc_dst, const int* src_arc_token, const float* src_arc_logprob,
    const float* final_logprob, const float* x, const float* alpha, float* beta, float* slots) {
  int b = blockIdx.x;
  int len = lengths[b];
  if (t > len) return;
  const float* next = t == len ? final_logprob : beta + ((long long)b * 2 + (t % 2)) * states;
  float* prev = beta + ((long long)b * 2 + ((t - 1) % 2)) * states;
  const float* xt = x + ((long long)b * max_frames + t - 1) * tokens;
  const float* a_prev = alpha + ((long long)b * (max_frames + 1) + t - 1) * states;
  float* my_slots = slots + (long long)b * tokens * CAT_SLOTS;
  for (int s = threadIdx.x; s < states; s += blockDim.x) {
    float r = -CUDART_INF_F;
    for (int a = src_start[s]; a < src_start[s + 1]; ++a) {
      int v = src_arc_token[a];
      float arc = src_arc_logprob[a] + xt[v] + next[src_arc_dst[a]];
      r = cat_log_add(arc, r);
      cat_atomic_log_add(&my_slots[v * CAT_SLOTS + threadIdx.x % CAT_SLOTS], a_prev[s] + arc);
    }
    prev[s] = r;
  }
}

// Folds the slots of frame t-1 into the occupancy and resets them to -inf.
extern "C" __global__ void joule_catlayout_fold(
    int t, int tokens, int max_frames, const int* lengths, const float* logz, float* slots, float* occupancy) {
  int b = blockIdx.x;
  if (t > lengths[b]) return;
  float* my_slots = slots + (long long)b * tokens * CAT_SLOTS;
  for (int v = threadIdx.x; v < tokens; v += blockDim.x) {
    float r = -CUDART_INF_F;
    for (int i = 0; i < CAT_SLOTS; ++i) {
      r = cat_log_add(my_slots[v * CAT_SLOTS + i], r);
      my_slots[v * CAT_SLOTS + i] = -CUDART_INF_F;
    }
    float z = logz[b];
    occupancy[((long long)b * max_frames + t - 1) * tokens + v] = z == -CUDART_INF_F ? 0.f : expf(r - z);
  }
}
