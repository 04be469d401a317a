// CTC-CRF denominator forward-backward on the GPU, state-major layout (log semiring, float32).
//
// Same function, recursions and per-frame normalisation as den_forward_backward.cu (read its
// header first: alpha', n_t, f, beta' and gamma are defined there); only the layout and the
// thread mapping differ, to fix what that kernel pays for.
//
// Why a second layout
// -------------------
// In den_forward_backward.cu a warp is 32 consecutive states of one utterance. Each thread walks
// its own state's arc list, so a warp's loads of arc fields touch 32 unrelated places, and its
// gathers alpha[src] are 32 scattered 4-byte reads. On den-phone4g that kernel measured ~48x
// the SFU floor on an H100.
//
// Here a warp is ONE state for 32 utterances: lane = utterance, warp = state. alpha and beta are
// stored [S][B] (utterance fastest), and x is transposed on the device to [T][V][B]. Then, for
// every arc the warp visits, the arc's source/destination, token and weight are the same for all
// 32 lanes (one broadcast load each), and alpha[src][b], beta[dst][b] and x[t][v][b] are 32
// consecutive floats: one 128-byte transaction instead of 32. The graph's work per frame is
// unchanged; the memory transactions per arc fall ~32-fold for the state-dependent loads.
//
// The per-frame normaliser n_t is max_d raw_t(d) here (den_forward_backward.cu uses the
// log-sum-exp; any per-frame constant keeps the algebra exact), folded into the forward step with
// one float atomic max per utterance and block, so a frame costs two launches (forward, backward)
// instead of three.
//
// Mapping: blockDim = (32, 8): x = utterance within a group of 32, y = warp. Forward: grid =
// (ceil(B/32), ceil(S/8)), one destination state per warp. Backward: grid = (ceil(B/32),
// ceil(S/STATES_PER_BLOCK)), each warp striding over the block's states, so that the per-block
// token sums (shared memory [V][32], lanes of a warp add into distinct banks) are flushed to
// global memory with one atomicAdd per (token, utterance) per block: ~310 blocks x 40 x 32
// atomics per frame on den-phone4g instead of one per arc. Utterance lanes b >= B idle, so a
// batch that is not a multiple of 32 wastes lanes; batches are large in training.
//
// Measured (H100 80GB HBM3, 2026-11-22, DenBenchmark in benchmarks/gpu/run.sh): den-phone4g,
// B = 64, T = 400, forward + backward with copies: 69.8 ms, against 141.4 ms for
// den_forward_backward.cu and 391.0 ms for the CAT-layout kernel in the same run (ragged
// T = 200..400: 68.9 / 116.5 / 385.5 ms). That is 23.6x the SFU floor (2.96 ms), down from 47.7x.
// The ragged batch gains nothing here: a warp holds 32 utterances and runs to the longest.
// What remains: ~800 launches (a CUDA graph of the frame loop would remove their host cost),
// the arc lists read once per warp-group of 32 utterances rather than once per frame for the
// whole batch (shared-memory staging of a block's arcs), and the global token-sum atomics.
//
// Memory: alpha is (Tmax+1) x S x B floats as before (B unpadded); beta two frames of S x B; the
// transposed x is T x V x B floats; norm (Tmax+1) x B.

#include <math_constants.h>

#include "log_sum.cuh"

#define LANES 32
#define WARPS 8
#define STATES_PER_BLOCK 64

// xt[t][v][b] = x[b][t][v].
extern "C" __global__ void joule_densm_transpose_x(int batch, int max_frames, int tokens,
                                                   const float* __restrict__ x, float* __restrict__ xt) {
  long long n = (long long)batch * max_frames * tokens;
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
    int b = (int)(i % batch);
    long long rest = i / batch;
    int v = (int)(rest % tokens);
    int t = (int)(rest / tokens);
    xt[i] = x[((long long)b * max_frames + t) * tokens + v];
  }
}

// alpha_0[s][b]: 0 at the start state, -inf elsewhere.
extern "C" __global__ void joule_densm_alpha_init(int batch, int states, int start, float* __restrict__ alpha0) {
  long long n = (long long)batch * states;
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
    alpha0[i] = (i / batch) == start ? 0.f : -CUDART_INF_F;
  }
}

// Float max through integer atomics: for a non-negative value the IEEE bits order like signed
// ints, for a negative one in reverse like unsigned ints. *addr starts at -inf.
__device__ __forceinline__ void atomic_max_float(float* addr, float v) {
  if (v >= 0.f) {
    atomicMax(reinterpret_cast<int*>(addr), __float_as_int(v));
  } else {
    atomicMin(reinterpret_cast<unsigned int*>(addr), __float_as_uint(v));
  }
}

// The normaliser as stored: -inf (no live state at that frame, or a dead utterance) reads as 0.
__device__ __forceinline__ float normaliser(const float* norm, long long at) {
  float n = norm[at];
  return n == -CUDART_INF_F ? 0.f : n;
}

// norm[0][b] = 0 (alpha_0 needs none), -inf for every later frame (atomic_max_float fills them).
extern "C" __global__ void joule_densm_norm_init(long long total, int batch, float* __restrict__ norm) {
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
    norm[i] = i < batch ? 0.f : -CUDART_INF_F;
  }
}

// raw_t[d][b] = logsum_{a: s->d} alpha'_{t-1}[s][b] + w_a + x[t-1][v_a][b] - n_{t-1}[b], and
// n_t[b] = max_d raw_t[d][b] folded in with one float atomic max per utterance and block. Here
// n_t is a maximum rather than den_forward_backward.cu's log-sum-exp: any per-frame constant keeps
// the algebra exact, and a maximum needs no separate reduction launch (a block reduces its own
// states, then one atomic per lane). Block (32, 8): lane = utterance, warp = destination state.
extern "C" __global__ void joule_densm_alpha_step(
    int t, int batch, int states, int tokens, const int* __restrict__ lengths,
    const int* __restrict__ dst_start, const int* __restrict__ dst_arc_src,
    const int* __restrict__ dst_arc_token, const float* __restrict__ dst_arc_logprob,
    const float* __restrict__ xt, float* __restrict__ norm,
    const float* __restrict__ alpha_prev, float* __restrict__ alpha_cur) {
  __shared__ float maxes[WARPS][LANES];
  int b = blockIdx.x * LANES + threadIdx.x;
  int d = blockIdx.y * WARPS + threadIdx.y;
  bool lane_live = b < batch && t <= lengths[b];
  float value = -CUDART_INF_F;
  if (lane_live && d < states) {
    const float* x = xt + (long long)(t - 1) * tokens * batch + b;  // x[v * batch] is x[t-1][v][b]
    LogSum acc;
    int end = dst_start[d + 1];
    for (int a = dst_start[d]; a < end; ++a) {
      acc.add(alpha_prev[(long long)dst_arc_src[a] * batch + b] + dst_arc_logprob[a] + x[(long long)dst_arc_token[a] * batch]);
    }
    value = acc.value() - normaliser(norm, (long long)(t - 1) * batch + b);
    alpha_cur[(long long)d * batch + b] = value;
  }
  maxes[threadIdx.y][threadIdx.x] = value;
  __syncthreads();
  if (threadIdx.y == 0 && lane_live) {
    float m = maxes[0][threadIdx.x];
    for (int w = 1; w < WARPS; ++w) m = fmaxf(m, maxes[w][threadIdx.x]);
    if (m != -CUDART_INF_F) atomic_max_float(&norm[(long long)t * batch + b], m);
  }
}

// Log-sum-exp over the warps of a (32, WARPS) block, per lane; every thread gets its lane's total.
__device__ float lane_logsum(LogSum acc) {
  __shared__ float maxes[WARPS][LANES];
  __shared__ float sums[WARPS][LANES];
  maxes[threadIdx.y][threadIdx.x] = acc.max;
  sums[threadIdx.y][threadIdx.x] = acc.sum;
  __syncthreads();
  LogSum total;
  for (int w = 0; w < WARPS; ++w) total.merge(maxes[w][threadIdx.x], sums[w][threadIdx.x]);
  __syncthreads();
  return total.value();
}

// f[b] = logsum_s alpha'_T(s) + final(s), logZ[b] = N_T + f[b] in float64 (T = len[b]).
// Block (32, 8) per group of 32 utterances.
extern "C" __global__ void joule_densm_logz(
    int batch, int states, const int* __restrict__ lengths, const float* __restrict__ alpha,
    const float* __restrict__ norm, const float* __restrict__ final_logprob,
    float* __restrict__ final_shift, double* __restrict__ logz) {
  int b = blockIdx.x * LANES + threadIdx.x;
  LogSum acc;
  int len = b < batch ? lengths[b] : 0;
  if (b < batch) {
    const float* last = alpha + (long long)len * states * batch + b;
    float n_last = normaliser(norm, (long long)len * batch + b);
    for (int s = threadIdx.y; s < states; s += WARPS) acc.add(last[(long long)s * batch] - n_last + final_logprob[s]);
  }
  float f = lane_logsum(acc);
  if (b < batch && threadIdx.y == 0) {
    double total = f;
    for (int t = 1; t <= len; ++t) total += normaliser(norm, (long long)t * batch + b);
    final_shift[b] = f;
    logz[b] = f == -CUDART_INF_F ? -CUDART_INF : total;
  }
}

// beta'_{t-1} from beta'_t and the occupancy of frame t-1. Block (32, 8): lane = utterance; the
// block's warps stride over STATES_PER_BLOCK source states. Dynamic shared memory: tokens x 32 floats.
extern "C" __global__ void joule_densm_beta_step(
    int t, int batch, int states, int tokens, int max_frames, const int* __restrict__ lengths,
    const int* __restrict__ src_start, const int* __restrict__ src_arc_dst,
    const int* __restrict__ src_arc_token, const float* __restrict__ src_arc_logprob,
    const float* __restrict__ final_logprob, const float* __restrict__ xt,
    const float* __restrict__ alpha, const float* __restrict__ norm,
    const float* __restrict__ final_shift,
    const float* __restrict__ beta_cur, float* __restrict__ beta_prev,
    float* __restrict__ occupancy) {
  extern __shared__ float token_sums[];  // [tokens][LANES]
  int lane = threadIdx.x;
  int b = blockIdx.x * LANES + lane;
  for (int i = threadIdx.y * LANES + lane; i < tokens * LANES; i += WARPS * LANES) token_sums[i] = 0.f;
  __syncthreads();
  int len = b < batch ? lengths[b] : 0;
  float f = b < batch ? final_shift[b] : -CUDART_INF_F;
  bool live = b < batch && t <= len && f != -CUDART_INF_F;
  if (live) {
    const float* x = xt + (long long)(t - 1) * tokens * batch + b;
    float n_t = normaliser(norm, (long long)t * batch + b);
    float n_prev = normaliser(norm, (long long)(t - 1) * batch + b);
    bool last = t == len;
    const float* next = last ? final_logprob : beta_cur + b;
    long long next_stride = last ? 1 : batch;
    float shift = last ? f : 0.f;
    const float* a_prev_row = alpha + (long long)(t - 1) * states * batch + b;
    int first = blockIdx.y * STATES_PER_BLOCK;
    int stop = min(states, first + STATES_PER_BLOCK);
    for (int s = first + threadIdx.y; s < stop; s += WARPS) {
      float a_prev = a_prev_row[(long long)s * batch] - n_prev - n_t;
      LogSum acc;
      int end = src_start[s + 1];
      for (int a = src_start[s]; a < end; ++a) {
        int v = src_arc_token[a];
        float arc = src_arc_logprob[a] + x[(long long)v * batch] + (next[src_arc_dst[a] * next_stride] - shift);
        acc.add(arc);
        float post = a_prev + arc;
        if (post > -80.f) atomicAdd(&token_sums[v * LANES + lane], __expf(post));
      }
      beta_prev[(long long)s * batch + b] = acc.value() - n_t;
    }
  }
  __syncthreads();
  if (live) {
    float* occ = occupancy + ((long long)b * max_frames + (t - 1)) * tokens;
    for (int v = threadIdx.y; v < tokens; v += WARPS) {
      float sum = token_sums[v * LANES + lane];
      if (sum != 0.f) atomicAdd(&occ[v], sum);
    }
  }
}
