// CTC numerator forward-backward on the GPU (log space, float32): log p_ctc(l | x) and the
// per-frame token occupancies for a batch of label sequences.
//
// Positions: each utterance's label sequence l (length L, tokens 1..V-1) is interleaved with
// blanks, l' = (0, l1, 0, l2, ..., 0), P = 2L+1 positions. Recursions (CPU twin and reference:
// dev.joule.engine.ctccrf.CtcNumerator, whose Javadoc states them in full):
//   alpha_0(0) = x[0][0], alpha_0(1) = x[0][l1]
//   alpha_t(s) = x[t][l'_s] + logsum(alpha_{t-1}(s), alpha_{t-1}(s-1), [skip] alpha_{t-1}(s-2))
//   beta_{T-1}(P-1) = beta_{T-1}(P-2) = 0
//   beta_{t-1}(s) = logsum over s' in {s, s+1, [skip] s+2} of x[t][l'_s'] + beta_t(s')
//   occupancy[t][v] = sum_{s: l'_s = v} exp(alpha_t(s) + beta_t(s) - log p)
// where the skip from s-2 to s is allowed when l'_s is a label different from l'_{s-2}.
//
// Layout and launch: one block per utterance for each direction, looping over the frames inside
// the kernel with a block barrier between frames, threads striding over positions. Two launches
// in all, whatever T is: with one launch per frame the ~2T launches (800 at T = 400), not the
// arithmetic, set the time. A block's positions are a few hundred at most, so one block per
// utterance keeps every thread busy while 64 utterances fill half the GPU's SMs. Labels are
// padded to Lmax in [B][Lmax]; alpha is kept for all frames as [T][B][Pmax] (far smaller than
// the denominator's alpha); beta lives in two frame buffers of [B][Pmax] that the block swaps.
// Frames written by one thread are read by others only after __syncthreads(), which makes the
// block's global writes visible to the whole block; those buffers are therefore not declared
// __restrict__ const, so the compiler cannot route their loads through the read-only cache.
// Occupancy is accumulated with global atomics: at most a handful of positions per token and
// frame. Utterances that cannot be aligned get log p = -inf and no occupancy.

#include <math_constants.h>

__device__ __forceinline__ float log_add(float a, float b) {
  if (a == -CUDART_INF_F) return b;
  if (b == -CUDART_INF_F) return a;
  float m = fmaxf(a, b);
  return m + log1pf(__expf(-fabsf(a - b)));
}

__device__ __forceinline__ int position_token(const int* labels, int max_labels, int b, int s) {
  return (s & 1) ? labels[b * max_labels + (s >> 1)] : 0;
}

// Skip transition into s from s-2 allowed?
__device__ __forceinline__ bool can_skip(const int* labels, int max_labels, int b, int s) {
  return (s & 1) && s >= 2 && labels[b * max_labels + (s >> 1)] != labels[b * max_labels + (s >> 1) - 1];
}

// alpha for every frame of utterance blockIdx.x, then its log p. Block: threads over positions.
extern "C" __global__ void joule_ctc_alpha(
    int batch, int max_positions, int tokens, int max_frames, int max_labels,
    const int* __restrict__ lengths, const int* __restrict__ label_lengths,
    const int* __restrict__ labels, const float* __restrict__ x, float* alpha,
    float* __restrict__ logp) {
  int b = blockIdx.x;
  int len = lengths[b];
  int positions = 2 * label_lengths[b] + 1;
  if (len <= 0) {  // nothing to align (the host refuses this; never read frame -1)
    if (threadIdx.x == 0) logp[b] = -CUDART_INF_F;
    return;
  }
  for (int t = 0; t < len; ++t) {
    float* cur = alpha + ((long long)t * batch + b) * max_positions;
    const float* prev = cur - (long long)batch * max_positions;
    const float* xt = x + ((long long)b * max_frames + t) * tokens;
    for (int s = threadIdx.x; s < positions; s += blockDim.x) {
      float emit = xt[position_token(labels, max_labels, b, s)];
      float sum;
      if (t == 0) {
        sum = s <= 1 ? 0.f : -CUDART_INF_F;
      } else {
        sum = prev[s];
        if (s >= 1) sum = log_add(sum, prev[s - 1]);
        if (can_skip(labels, max_labels, b, s)) sum = log_add(sum, prev[s - 2]);
      }
      cur[s] = sum == -CUDART_INF_F ? sum : sum + emit;
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    const float* last = alpha + ((long long)(len - 1) * batch + b) * max_positions;
    float p = last[positions - 1];
    if (positions > 1) p = log_add(p, last[positions - 2]);
    logp[b] = p;
  }
}

// beta for every frame of utterance blockIdx.x, newest first, and the occupancy of each frame.
// beta_a and beta_b are [B][Pmax] frame buffers. Block: threads over positions.
extern "C" __global__ void joule_ctc_beta(
    int batch, int max_positions, int tokens, int max_frames, int max_labels,
    const int* __restrict__ lengths, const int* __restrict__ label_lengths,
    const int* __restrict__ labels, const float* __restrict__ x, const float* __restrict__ alpha,
    const float* __restrict__ logp, float* beta_a, float* beta_b, float* __restrict__ occupancy) {
  int b = blockIdx.x;
  int len = lengths[b];
  int positions = 2 * label_lengths[b] + 1;
  float z = logp[b];
  if (z == -CUDART_INF_F) return;  // uniform across the block: no barrier is skipped by some threads only
  float* next = beta_a + (long long)b * max_positions;
  float* cur = beta_b + (long long)b * max_positions;
  for (int t = len - 1; t >= 0; --t) {
    const float* xn = x + ((long long)b * max_frames + t + 1) * tokens;
    const float* at = alpha + ((long long)t * batch + b) * max_positions;
    float* occ = occupancy + ((long long)b * max_frames + t) * tokens;
    for (int s = threadIdx.x; s < positions; s += blockDim.x) {
      float beta;
      if (t == len - 1) {
        beta = s >= positions - 2 ? 0.f : -CUDART_INF_F;
      } else {
        beta = next[s] + xn[position_token(labels, max_labels, b, s)];
        if (s + 1 < positions) beta = log_add(beta, next[s + 1] + xn[position_token(labels, max_labels, b, s + 1)]);
        if (s + 2 < positions && can_skip(labels, max_labels, b, s + 2))
          beta = log_add(beta, next[s + 2] + xn[position_token(labels, max_labels, b, s + 2)]);
      }
      cur[s] = beta;
      float post = at[s] + beta - z;
      if (post > -80.f) atomicAdd(&occ[position_token(labels, max_labels, b, s)], __expf(post));
    }
    __syncthreads();
    float* swap = next;
    next = cur;
    cur = swap;
  }
}
