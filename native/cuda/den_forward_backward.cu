// CTC-CRF denominator forward-backward on the GPU (log semiring, float32).
//
// What it computes
// ----------------
// For a batch of B utterances with log-probabilities x[b][t][v] (the network's log-softmax,
// row-major [B][Tmax][V], utterance b using frames 0..len[b]-1) and a denominator graph of S
// states whose arcs a = (src -> dst, token v_a, log-prob w_a) each consume one frame:
//
//   alpha_0(start) = 0,   alpha_t(d) = logsum_{a: s->d} alpha_{t-1}(s) + w_a + x[t-1][v_a]
//   logZ           = logsum_s alpha_T(s) + final(s)                       (T = len[b])
//   beta_T(s)      = final(s),   beta_{t-1}(s) = logsum_{a: s->d} w_a + x[t-1][v_a] + beta_t(d)
//   gamma[t-1][v]  = sum_{a with token v} exp(alpha_{t-1}(s) + w_a + x[t-1][v] + beta_t(d) - logZ)
//
// gamma is the denominator occupancy, which is also d logZ / d x. The float64 CPU reference is
// dev.joule.engine.ctccrf.DenominatorReference; GpuDenominatorTest compares against it.
//
// Design (for an H100: 132 SMs, 50 MB L2)
// ---------------------------------------
// * One launch per frame and direction, all utterances of the batch in the same launch, all
//   queued on one stream with no host synchronisation until the end: a T=400 batch is ~800
//   small launches (~2-3 us each), while the per-frame work (B x arcs = 64 x 161k ~ 10M arc
//   updates) keeps the whole GPU busy.
// * Forward: one thread per (utterance, destination state), walking that state's incoming arcs
//   (CSR by destination) with an online log-sum-exp. No atomics, no shared-memory staging: the
//   previous frame's alpha of the whole batch (B x S floats = 2.5 MB for the bench graph) and
//   the graph itself (161k arcs x 12 B) stay resident in L2, so the gathers alpha[src] hit L2.
// * Backward: one thread per (utterance, source state), walking outgoing arcs (CSR by source);
//   it produces beta_{t-1}(s) and, in the same pass, each arc's posterior. Posteriors are summed
//   per token in shared memory (V floats per block, fast shared atomics), then one global
//   atomicAdd per token per block: with V = 40 and 256 states per block that is ~40 x 39
//   global atomics per utterance and frame, instead of one per arc.
// * Ragged batches: a thread whose utterance is shorter than the frame does nothing; the
//   backward pass substitutes final(s) for beta_t when t == len[b], so each utterance starts
//   its backward recursion at its own end.
// * Memory: alpha for all frames is kept, (Tmax+1) x B x S floats (1.0 GB for B=64, T=400,
//   S=9893); beta needs two frames. The host side splits a batch into sub-batches when alpha
//   would exceed its memory budget, which bounds memory for any B and T.
// * An utterance with no path (logZ = -inf) contributes no occupancy (its gamma stays 0).
//
// Measured (H100 80GB HBM3, 2026-11-22, benchmarks/gpu/run.sh; benchmarks/RESULTS.md has the rest)
// ----------------------------------------------------------------------------------------------
// den-phone4g (S = 9,893, 161k arcs, V = 40), B = 64, T = 400, forward + backward with copies:
// 143 ms (ragged T = 200..400: 119 ms), against 391 ms (388 ms) for a kernel with CAT's layout run
// in the same call, 2,490 ms for the CPU path on 16 cores, and CAT's own published 1,337 ms.
// The floor: one expf per arc and frame in each direction, 2 x 64 x 161k x 400 = 8.3e9 expf at
// the SFU rate (16 per SM per clock, 132 SMs, 1.98 GHz) is 2.96 ms, so this kernel is ~48x the
// floor. What it pays instead: the gathers of alpha[src] / beta[dst] from L2 (the utterance is the
// slow index of alpha, so neighbouring threads gather from scattered states), contended shared
// atomics for the 40 token sums in the backward pass, and ~1,200 launches (forward, normalisation,
// backward per frame). den_state_major.cu takes the first step: alpha laid out [S][B], so that a
// warp of utterances reads one state's 32 values in one transaction; it runs this batch in
// 69.8 ms and is GpuDenominator's default. This kernel stays as the second layout, tested
// against the same reference.
//
// Numerics: log space throughout, log-sum-exp with a running maximum (one expf per arc),
// -inf handled explicitly so that no NaN can arise from (-inf) - (-inf).
//
// Per-frame normalisation (as in Kaldi's chain denominator). Unnormalised, alpha_t falls by a
// few nats a frame, so at T = 2000 it is near -5000, where a float32 ulp is 5e-4: alpha + beta
// - logZ then cancels thousands to leave a posterior of order one, and float32 occupancies came
// out 0.4% off the float64 reference. So every stored quantity is kept of order one:
//
//   raw_t(d)     = logsum_{a: s->d} alpha'_{t-1}(s) + w_a + x[t-1][v_a]      (stored as alpha)
//   n_t          = logsum_d raw_t(d)            (n_0 = 0; stored per frame and utterance)
//   alpha'_t     = raw_t - n_t  = alpha_t - N_t,  N_t = n_1 + ... + n_t
//   f            = logsum_s alpha'_T(s) + final(s),   logZ = N_T + f     (summed in float64)
//   beta'_T(s)   = final(s) - f,   beta'_{t-1}(s) = logsum_{a: s->d} w_a + x[t-1][v_a] + beta'_t(d) - n_t
//                = beta_{t-1}(s) + N_{t-1} - logZ
//   gamma[t-1][v] = sum_{a with token v} exp(alpha'_{t-1}(s) + w_a + x[t-1][v] + beta'_t(d) - n_t)
//
// sum_s exp(alpha'_t(s) + beta'_t(s)) = 1 at every frame, so beta' stays of order one too. The
// price is one small reduction launch per frame (B blocks reading B x S floats).

#include <math_constants.h>

#include "log_sum.cuh"

// alpha_0: 0 at the start state, -inf elsewhere, for every utterance. alpha0 is [B][S]. A
// grid-stride loop: the host caps linear grids at 65,535 blocks, fewer threads than B·S elements
// for a large graph and batch.
extern "C" __global__ void joule_den_alpha_init(int batch, int states, int start, float* __restrict__ alpha0) {
  long long n = (long long)batch * states;
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
    alpha0[i] = (i % states) == start ? 0.f : -CUDART_INF_F;
  }
}

// raw_t from raw_{t-1} and n_{t-1} (t >= 1). Grid: x covers states, y = utterance.
extern "C" __global__ void joule_den_alpha_step(
    int t, int batch, int states, int tokens, int max_frames,
    const int* __restrict__ lengths,
    const int* __restrict__ dst_start, const int* __restrict__ dst_arc_src,
    const int* __restrict__ dst_arc_token, const float* __restrict__ dst_arc_logprob,
    const float* __restrict__ x, const float* __restrict__ norm_prev,
    const float* __restrict__ alpha_prev, float* __restrict__ alpha_cur) {
  int d = blockIdx.x * blockDim.x + threadIdx.x;
  int b = blockIdx.y;
  if (d >= states || t > lengths[b]) return;
  const float* xt = x + ((long long)b * max_frames + (t - 1)) * tokens;
  const float* prev = alpha_prev + (long long)b * states;
  LogSum acc;
  for (int a = dst_start[d]; a < dst_start[d + 1]; ++a) {
    acc.add(prev[dst_arc_src[a]] + dst_arc_logprob[a] + xt[dst_arc_token[a]]);
  }
  alpha_cur[(long long)b * states + d] = acc.value() - norm_prev[b];
}

// Block-wide log-sum-exp of per-thread accumulators; every thread gets the total.
// blockDim.x must be a power of two <= 1024.
__device__ float block_logsum(LogSum acc) {
  __shared__ float maxes[1024];
  __shared__ float sums[1024];
  maxes[threadIdx.x] = acc.max;
  sums[threadIdx.x] = acc.sum;
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
    if ((int)threadIdx.x < stride) {
      float m1 = maxes[threadIdx.x], m2 = maxes[threadIdx.x + stride];
      float s1 = sums[threadIdx.x], s2 = sums[threadIdx.x + stride];
      float m = fmaxf(m1, m2);
      if (m != -CUDART_INF_F) {
        sums[threadIdx.x] = s1 * __expf(m1 - m) + s2 * __expf(m2 - m);
        maxes[threadIdx.x] = m;
      }
    }
    __syncthreads();
  }
  float total = maxes[0] == -CUDART_INF_F ? -CUDART_INF_F : maxes[0] + __logf(sums[0]);
  __syncthreads();
  return total;
}

// n_t[b] = logsum_d raw_t(d), or 0 where that is -inf (a dead utterance stays -inf without
// turning into NaN) or the utterance has ended. One block per utterance; norm is [Tmax+1][B].
extern "C" __global__ void joule_den_alpha_norm(
    int t, int batch, int states, const int* __restrict__ lengths,
    const float* __restrict__ alpha_t, float* __restrict__ norm) {
  int b = blockIdx.x;
  LogSum acc;
  if (t <= lengths[b]) {
    const float* row = alpha_t + (long long)b * states;
    for (int s = threadIdx.x; s < states; s += blockDim.x) acc.add(row[s]);
  }
  float total = block_logsum(acc);
  if (threadIdx.x == 0) norm[(long long)t * batch + b] = total == -CUDART_INF_F ? 0.f : total;
}

// f[b] = logsum_s alpha'_T(s) + final(s) and logZ[b] = N_T + f[b] in float64 (T = len[b]).
// One block per utterance; alpha is [Tmax+1][B][S], norm [Tmax+1][B].
// blockDim.x must be a power of two <= 1024.
extern "C" __global__ void joule_den_logz(
    int batch, int states, const int* __restrict__ lengths, const float* __restrict__ alpha,
    const float* __restrict__ norm, const float* __restrict__ final_logprob,
    float* __restrict__ final_shift, double* __restrict__ logz) {
  int b = blockIdx.x;
  int len = lengths[b];
  const float* last = alpha + ((long long)len * batch + b) * states;
  float n_last = norm[(long long)len * batch + b];
  LogSum acc;
  for (int s = threadIdx.x; s < states; s += blockDim.x) {
    acc.add(last[s] - n_last + final_logprob[s]);
  }
  float f = block_logsum(acc);
  if (threadIdx.x == 0) {
    double total = f;
    for (int t = 1; t <= len; ++t) total += norm[(long long)t * batch + b];
    final_shift[b] = f;
    logz[b] = f == -CUDART_INF_F ? -CUDART_INF : total;
  }
}

// beta'_{t-1} from beta'_t, and the occupancy of frame t-1. Grid: x covers source states,
// y = utterance; dynamic shared memory holds `tokens` floats.
extern "C" __global__ void joule_den_beta_step(
    int t, int batch, int states, int tokens, int max_frames,
    const int* __restrict__ lengths,
    const int* __restrict__ src_start, const int* __restrict__ src_arc_dst,
    const int* __restrict__ src_arc_token, const float* __restrict__ src_arc_logprob,
    const float* __restrict__ final_logprob, const float* __restrict__ x,
    const float* __restrict__ alpha, const float* __restrict__ norm,
    const float* __restrict__ final_shift,
    const float* __restrict__ beta_cur, float* __restrict__ beta_prev,
    float* __restrict__ occupancy) {
  extern __shared__ float token_sums[];
  int s = blockIdx.x * blockDim.x + threadIdx.x;
  int b = blockIdx.y;
  int len = lengths[b];
  float f = final_shift[b];
  for (int v = threadIdx.x; v < tokens; v += blockDim.x) token_sums[v] = 0.f;
  __syncthreads();
  bool live = t <= len && f != -CUDART_INF_F;
  if (live && s < states) {
    const float* xt = x + ((long long)b * max_frames + (t - 1)) * tokens;
    float n_t = norm[(long long)t * batch + b];
    // alpha'_{t-1}(s) less n_t: both normalisers of the posterior applied once.
    float a_prev = alpha[((long long)(t - 1) * batch + b) * states + s]
        - norm[(long long)(t - 1) * batch + b] - n_t;
    // beta'_t: final(d) - f at the utterance's last frame, the previous step's output before.
    bool last = t == len;
    const float* next = last ? final_logprob : beta_cur + (long long)b * states;
    float shift = last ? f : 0.f;
    LogSum acc;
    for (int a = src_start[s]; a < src_start[s + 1]; ++a) {
      int v = src_arc_token[a];
      float arc = src_arc_logprob[a] + xt[v] + (next[src_arc_dst[a]] - shift);
      acc.add(arc);
      float post = a_prev + arc;
      if (post > -80.f) atomicAdd(&token_sums[v], __expf(post));
    }
    beta_prev[(long long)b * states + s] = acc.value() - n_t;
  }
  __syncthreads();
  if (live) {
    float* occ = occupancy + ((long long)b * max_frames + (t - 1)) * tokens;
    for (int v = threadIdx.x; v < tokens; v += blockDim.x) {
      if (token_sums[v] != 0.f) atomicAdd(&occ[v], token_sums[v]);
    }
  }
}
