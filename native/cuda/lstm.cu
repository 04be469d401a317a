// Fused LSTM kernels: the GPU twin of the CPU recurrence in dev.joule.engine.ops.LstmCell.
//
// One direction of one layer runs as, per step s:
//   pre = h · W_hh                      (cuBLAS, [B, 4H])
//   joule_lstm_step_fwd                 (gates, cell and hidden state, output frame)
// and backward, per step s from the last:
//   joule_lstm_step_bwd                 (gate gradients dz_s, cell-state gradient)
//   dh_tmp = dz_s · W_hhᵀ                (cuBLAS)
//   joule_lstm_carry                    (dh <- dh_tmp for sequences still running)
// then dW_hh = Σ_s h_{s-1}ᵀ · dz_s as one cuBLAS product over all steps.
//
// Layouts (row-major, float32): input projection xp [B, T, 4H] with gates in the order
// i, f, g, o; per-step saved state [steps, B, H] and gates [steps, B, 4H]; outputs are written
// into a [B, T, outStride] buffer at column outOffset, so the two directions of a bidirectional
// layer fill the two halves of one [B, T, 2H] tensor without a concat.
// Packed by lengths: sequence b runs lengths[b] steps; in reverse, step s reads frame
// lengths[b]-1-s, so padding never enters the backward direction. Past its end a sequence keeps
// its state and its output frames stay as the caller zeroed them.
//
// Launch: 1-D grid-stride over B·H threads (one per sequence and unit).

__device__ __forceinline__ float joule_sigmoid(float x) {
  // Never overflows: exp of a non-positive number only.
  if (x >= 0.f) {
    return 1.f / (1.f + __expf(-x));
  }
  float e = __expf(x);
  return e / (1.f + e);
}

extern "C" __global__ void joule_lstm_step_fwd(
    int batch, int steps, int hidden, int s, int reverse, const int* __restrict__ lengths,
    const float* __restrict__ xp, const float* __restrict__ pre, float* __restrict__ gates,
    float* __restrict__ hState, float* __restrict__ cState, float* __restrict__ hPrev,
    float* __restrict__ cPrev, float* __restrict__ cNew, float* __restrict__ out, int outStride,
    int outOffset) {
  long long n = (long long)batch * hidden;
  int g4 = 4 * hidden;
  for (long long idx = blockIdx.x * (long long)blockDim.x + threadIdx.x; idx < n;
       idx += (long long)gridDim.x * blockDim.x) {
    int b = (int)(idx / hidden);
    int j = (int)(idx % hidden);
    long long at = ((long long)s * batch + b) * hidden + j;
    float h0 = hState[idx];
    float c0 = cState[idx];
    hPrev[at] = h0;
    cPrev[at] = c0;
    int len = lengths[b];
    if (s >= len) {
      cNew[at] = c0;
      continue;
    }
    int t = reverse ? len - 1 - s : s;
    const float* x = xp + ((long long)b * steps + t) * g4;
    const float* p = pre + (long long)b * g4;
    float gi = joule_sigmoid(p[j] + x[j]);
    float gf = joule_sigmoid(p[hidden + j] + x[hidden + j]);
    float gg = tanhf(p[2 * hidden + j] + x[2 * hidden + j]);
    float go = joule_sigmoid(p[3 * hidden + j] + x[3 * hidden + j]);
    float* z = gates + ((long long)s * batch + b) * g4;
    z[j] = gi;
    z[hidden + j] = gf;
    z[2 * hidden + j] = gg;
    z[3 * hidden + j] = go;
    float c = fmaf(gf, c0, gi * gg);
    cState[idx] = c;
    cNew[at] = c;
    float h = go * tanhf(c);
    hState[idx] = h;
    out[((long long)b * steps + t) * outStride + outOffset + j] = h;
  }
}

extern "C" __global__ void joule_lstm_step_bwd(
    int batch, int steps, int hidden, int s, int reverse, const int* __restrict__ lengths,
    const float* __restrict__ dout, int doutStride, int doutOffset, const float* __restrict__ gates,
    const float* __restrict__ cNew, const float* __restrict__ cPrev, float* __restrict__ dh,
    float* __restrict__ dc, float* __restrict__ dz, float* __restrict__ dxp) {
  long long n = (long long)batch * hidden;
  int g4 = 4 * hidden;
  for (long long idx = blockIdx.x * (long long)blockDim.x + threadIdx.x; idx < n;
       idx += (long long)gridDim.x * blockDim.x) {
    int b = (int)(idx / hidden);
    int j = (int)(idx % hidden);
    long long zAt = ((long long)s * batch + b) * g4;
    int len = lengths[b];
    if (s >= len) {
      // A finished sequence: no gate gradients; dh and dc pass through unchanged.
      dz[zAt + j] = 0.f;
      dz[zAt + hidden + j] = 0.f;
      dz[zAt + 2 * hidden + j] = 0.f;
      dz[zAt + 3 * hidden + j] = 0.f;
      continue;
    }
    int t = reverse ? len - 1 - s : s;
    long long at = ((long long)s * batch + b) * hidden + j;
    float gi = gates[zAt + j];
    float gf = gates[zAt + hidden + j];
    float gg = gates[zAt + 2 * hidden + j];
    float go = gates[zAt + 3 * hidden + j];
    float tc = tanhf(cNew[at]);
    float dhj = dout[((long long)b * steps + t) * doutStride + doutOffset + j] + dh[idx];
    float dcj = dc[idx] + dhj * go * (1.f - tc * tc);
    float di = dcj * gg * gi * (1.f - gi);
    float df = dcj * cPrev[at] * gf * (1.f - gf);
    float dg = dcj * gi * (1.f - gg * gg);
    float dO = dhj * tc * go * (1.f - go);
    dz[zAt + j] = di;
    dz[zAt + hidden + j] = df;
    dz[zAt + 2 * hidden + j] = dg;
    dz[zAt + 3 * hidden + j] = dO;
    float* dx = dxp + ((long long)b * steps + t) * g4;
    dx[j] = di;
    dx[hidden + j] = df;
    dx[2 * hidden + j] = dg;
    dx[3 * hidden + j] = dO;
    dc[idx] = dcj * gf;
  }
}

// dh <- dhTmp for sequences that ran step s; the others keep their dh.
extern "C" __global__ void joule_lstm_carry(int batch, int hidden, int s, const int* __restrict__ lengths,
                                            const float* __restrict__ dhTmp, float* __restrict__ dh) {
  long long n = (long long)batch * hidden;
  for (long long idx = blockIdx.x * (long long)blockDim.x + threadIdx.x; idx < n;
       idx += (long long)gridDim.x * blockDim.x) {
    if (s < lengths[idx / hidden]) {
      dh[idx] = dhTmp[idx];
    }
  }
}
