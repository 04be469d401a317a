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
// Layout and launch: one launch per frame and direction, threads over (position, utterance);
// labels padded to Lmax in [B][Lmax]; alpha kept for all frames as [T][B][Pmax] (P is small:
// a few hundred at most, so this is far smaller than the denominator's alpha); beta in two
// frame buffers. Occupancy is accumulated with global atomics: at most a handful of positions
// per token and frame. Utterances that cannot be aligned get log p = -inf and no occupancy.

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

// Frame t of alpha (t = 0 initialises). Grid: x over positions, y = utterance.
extern "C" __global__ void joule_ctc_alpha_step(
    int t, int batch, int max_positions, int tokens, int max_frames, int max_labels,
    const int* __restrict__ lengths, const int* __restrict__ label_lengths,
    const int* __restrict__ labels, const float* __restrict__ x, float* __restrict__ alpha) {
  int s = blockIdx.x * blockDim.x + threadIdx.x;
  int b = blockIdx.y;
  int positions = 2 * label_lengths[b] + 1;
  if (s >= max_positions || t >= lengths[b]) return;
  float* cur = alpha + ((long long)t * batch + b) * max_positions;
  if (s >= positions) {
    cur[s] = -CUDART_INF_F;
    return;
  }
  float emit = x[((long long)b * max_frames + t) * tokens + position_token(labels, max_labels, b, s)];
  if (t == 0) {
    cur[s] = s <= 1 ? emit : -CUDART_INF_F;
    return;
  }
  const float* prev = alpha + ((long long)(t - 1) * batch + b) * max_positions;
  float sum = prev[s];
  if (s >= 1) sum = log_add(sum, prev[s - 1]);
  if (can_skip(labels, max_labels, b, s)) sum = log_add(sum, prev[s - 2]);
  cur[s] = sum == -CUDART_INF_F ? sum : sum + emit;
}

// log p per utterance from the last frame's alpha. One thread per utterance.
extern "C" __global__ void joule_ctc_logp(
    int batch, int max_positions, const int* __restrict__ lengths,
    const int* __restrict__ label_lengths, const float* __restrict__ alpha, float* __restrict__ logp) {
  int b = blockIdx.x * blockDim.x + threadIdx.x;
  if (b >= batch) return;
  int positions = 2 * label_lengths[b] + 1;
  const float* last = alpha + ((long long)(lengths[b] - 1) * batch + b) * max_positions;
  float p = last[positions - 1];
  if (positions > 1) p = log_add(p, last[positions - 2]);
  logp[b] = p;
}

// beta_t for frame t (given beta_{t+1} in beta_next) and the occupancy of frame t.
// Grid: x over positions, y = utterance.
extern "C" __global__ void joule_ctc_beta_step(
    int t, int batch, int max_positions, int tokens, int max_frames, int max_labels,
    const int* __restrict__ lengths, const int* __restrict__ label_lengths,
    const int* __restrict__ labels, const float* __restrict__ x, const float* __restrict__ alpha,
    const float* __restrict__ logp, const float* __restrict__ beta_next, float* __restrict__ beta_cur,
    float* __restrict__ occupancy) {
  int s = blockIdx.x * blockDim.x + threadIdx.x;
  int b = blockIdx.y;
  int len = lengths[b];
  int positions = 2 * label_lengths[b] + 1;
  float z = logp[b];
  if (s >= positions || t >= len || z == -CUDART_INF_F) return;
  float beta;
  if (t == len - 1) {
    beta = s >= positions - 2 ? 0.f : -CUDART_INF_F;
  } else {
    const float* next = beta_next + (long long)b * max_positions;
    const float* xn = x + ((long long)b * max_frames + t + 1) * tokens;
    beta = next[s] + xn[position_token(labels, max_labels, b, s)];
    if (s + 1 < positions) beta = log_add(beta, next[s + 1] + xn[position_token(labels, max_labels, b, s + 1)]);
    if (s + 2 < positions && can_skip(labels, max_labels, b, s + 2))
      beta = log_add(beta, next[s + 2] + xn[position_token(labels, max_labels, b, s + 2)]);
  }
  beta_cur[(long long)b * max_positions + s] = beta;
  float post = alpha[((long long)t * batch + b) * max_positions + s] + beta - z;
  if (post > -80.f) {
    atomicAdd(&occupancy[((long long)b * max_frames + t) * tokens + position_token(labels, max_labels, b, s)], __expf(post));
  }
}
