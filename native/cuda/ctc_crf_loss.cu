// The last stage of the CTC-CRF loss on the device: from the numerator's and the denominator's
// forward-backward results to each utterance's loss and the gradient the network needs, so that
// no [batch, frames, tokens] array leaves the GPU during a training step. CPU twin and reference:
// dev.joule.engine.ctccrf.CtcCrfLoss, whose Javadoc states the loss:
//
//   loss_b = log Z_den(x_b) - (1 + lambda) * log p_ctc(l_b | x_b)
//   grad[b][t][v] = gamma_den[b][t][v] - (1 + lambda) * gamma_ctc[b][t][v]     for t < len_b
//
// Status of each utterance (the host turns it into the skipped list and the error message):
//   0 scored;
//   1 skipped: no CTC alignment (log p_ctc = -inf), no path through the den graph in len_b frames
//     (log Z_den = -inf), or a label sequence the host marked as forbidden by the den graph;
//   2 invalid: a log-probability within its length is NaN or +inf. The CPU path refuses such
//     input before computing anything (LogProbBatch); here the input is never copied to the
//     host, so the check runs on the device and the host raises the same kind of error when it
//     reads the status.
// Skipped and invalid utterances get zero loss and zero gradient, so the batch stays finite.
//
// Three launches: the status and loss of each utterance (one block per utterance, scanning its
// frames for bad values), their sum in utterance order (one thread: a batch is at most a few
// hundred utterances, and summing in the host's order keeps the tensor's value and the reported
// total alike), and the gradient (one thread per element). The per-utterance losses are float64, as on the CPU: the
// denominator's log Z already is.

#include <math_constants.h>

#include "grid_stride.cuh"

#define JOULE_CTCCRF_SCORED 0
#define JOULE_CTCCRF_SKIPPED 1
#define JOULE_CTCCRF_INVALID 2

// Block b: status[b] and loss[b] of utterance b. x is [batch][max_frames][tokens].
extern "C" __global__ void joule_ctccrf_status(
    int batch, int max_frames, int tokens, double scale,
    const int* __restrict__ lengths, const int* __restrict__ allowed,
    const float* __restrict__ x, const float* __restrict__ num_logp,
    const double* __restrict__ den_logz, int* __restrict__ status, double* __restrict__ loss) {
  int b = blockIdx.x;
  long long begin = (long long)b * max_frames * tokens;
  long long end = begin + (long long)lengths[b] * tokens;
  int bad = 0;
  for (long long i = begin + threadIdx.x; i < end && !bad; i += blockDim.x) {
    float v = x[i];
    bad = isnan(v) || v == CUDART_INF_F;
  }
  // Non-zero in every thread when any thread of the block saw a bad value.
  bad = __syncthreads_or(bad);
  if (threadIdx.x != 0) return;
  float num = num_logp[b];
  double den = den_logz[b];
  int s = bad ? JOULE_CTCCRF_INVALID
      : (!allowed[b] || num == -CUDART_INF_F || den == -CUDART_INF) ? JOULE_CTCCRF_SKIPPED
      : JOULE_CTCCRF_SCORED;
  status[b] = s;
  loss[b] = s == JOULE_CTCCRF_SCORED ? den - scale * (double)num : 0.0;
}

// One thread: the sum of the scored utterances' losses, summed in float64 and stored as the
// float32 value of the loss tensor (the host sums the float64 losses itself for reports).
extern "C" __global__ void joule_ctccrf_total(int batch, const int* __restrict__ status,
    const double* __restrict__ loss, float* __restrict__ total) {
  if (blockIdx.x != 0 || threadIdx.x != 0) return;
  double sum = 0;
  for (int b = 0; b < batch; ++b) {
    if (status[b] == JOULE_CTCCRF_SCORED) sum += loss[b];
  }
  *total = (float)sum;
}

// grad = den_occ - scale * num_occ within each scored utterance's length, 0 elsewhere. The
// difference is taken in float64 and rounded once, like the CPU.
extern "C" __global__ void joule_ctccrf_gradient(
    long long n, int max_frames, int tokens, double scale,
    const int* __restrict__ lengths, const int* __restrict__ status,
    const float* __restrict__ den_occ, const float* __restrict__ num_occ, float* __restrict__ grad) {
  JOULE_FOR(i, n) {
    long long row = i / tokens;
    int b = (int)(row / max_frames);
    int t = (int)(row - (long long)b * max_frames);
    bool live = status[b] == JOULE_CTCCRF_SCORED && t < lengths[b];
    grad[i] = live ? (float)((double)den_occ[i] - scale * (double)num_occ[i]) : 0.f;
  }
}
