// Element-wise, row-wise and gather kernels: the GPU twins of the CPU reference ops in
// dev.joule.engine.ops (Elementwise, Arithmetic, Softmax, Ops.layerNorm, Gather, Unfold) and of
// the SGD optimiser. GpuOpsKernelsTest compares each against the CPU on random inputs.
//
// Float32 throughout, one thread per element / row with grid-stride loops (the element-wise
// kernels take four elements per iteration where they can, vector4.cuh); layer norm gives each
// row to one warp (32 threads per row, coalesced reads) and sums its γ/β gradients by column
// tiles in two passes (column_tiles.cuh). Gradients
// that several outputs feed (unfold, embedding) are gathered per input element where the inverse
// map is cheap (unfold: deterministic, no atomics) and scattered with atomicAdd where it is not
// (embedding: ids repeat arbitrarily).

#include "bias.cuh"
#include "column_tiles.cuh"
#include "dropout_mask.cuh"
#include "grid_stride.cuh"
#include "vector4.cuh"
#include "warp.cuh"

__device__ __forceinline__ float joule_sigmoidf(float x) {
  if (x >= 0.f) {
    return 1.f / (1.f + __expf(-x));
  }
  float e = __expf(x);
  return e / (1.f + e);
}

// Unary op codes, shared with GpuOps.Unary: 0 exp, 1 log, 2 relu, 3 sigmoid, 4 tanh, 5 silu.
#define JOULE_UNARY_SILU 5
__device__ __forceinline__ float joule_unary_apply(int op, float v) {
  switch (op) {
    case 0: return expf(v);
    case 1: return logf(v);
    case 2: return v > 0.f ? v : 0.f;
    case 3: return joule_sigmoidf(v);
    case 4: return tanhf(v);
    default: return v * joule_sigmoidf(v);
  }
}

// f'(x) written through the input x and output y as on the CPU.
__device__ __forceinline__ float joule_unary_derivative(int op, float v, float o) {
  switch (op) {
    case 0: return o;
    case 1: return 1.f / v;
    case 2: return v > 0.f ? 1.f : 0.f;
    case 3: return o * (1.f - o);
    case 4: return 1.f - o * o;
    default: {
      float s = joule_sigmoidf(v);
      return s + v * s * (1.f - s);
    }
  }
}

__device__ __forceinline__ float joule_binary_apply(int op, float u, float v) {
  return op == 0 ? u + v : op == 1 ? u - v : op == 2 ? u * v : u / v;
}

// The three kernels below move four elements per iteration when their pointers allow it
// (vector4.cuh), then finish the last n mod 4 one by one.
extern "C" __global__ void joule_unary_f32(long long n, int op, const float* __restrict__ x, float* __restrict__ y) {
  if (joule_aligned16(x) && joule_aligned16(y)) {
    long long n4 = n >> 2;
    JOULE_FOR(j, n4) {
      float4 v = joule_load4(x, j);
      joule_store4(y, j, make_float4(joule_unary_apply(op, v.x), joule_unary_apply(op, v.y),
                                     joule_unary_apply(op, v.z), joule_unary_apply(op, v.w)));
    }
    JOULE_FOR(r, n & 3) {
      long long i = (n4 << 2) + r;
      y[i] = joule_unary_apply(op, x[i]);
    }
  } else {
    JOULE_FOR(i, n) {
      y[i] = joule_unary_apply(op, x[i]);
    }
  }
}

// dx = dy · f'(x).
extern "C" __global__ void joule_unary_bwd_f32(long long n, int op, const float* __restrict__ x, const float* __restrict__ y,
                                               const float* __restrict__ dy, float* __restrict__ dx) {
  if (joule_aligned16(x) && joule_aligned16(y) && joule_aligned16(dy) && joule_aligned16(dx)) {
    long long n4 = n >> 2;
    JOULE_FOR(j, n4) {
      float4 v = joule_load4(x, j);
      float4 o = joule_load4(y, j);
      float4 g = joule_load4(dy, j);
      joule_store4(dx, j, make_float4(g.x * joule_unary_derivative(op, v.x, o.x), g.y * joule_unary_derivative(op, v.y, o.y),
                                      g.z * joule_unary_derivative(op, v.z, o.z), g.w * joule_unary_derivative(op, v.w, o.w)));
    }
    JOULE_FOR(r, n & 3) {
      long long i = (n4 << 2) + r;
      dx[i] = dy[i] * joule_unary_derivative(op, x[i], y[i]);
    }
  } else {
    JOULE_FOR(i, n) {
      dx[i] = dy[i] * joule_unary_derivative(op, x[i], y[i]);
    }
  }
}

// Binary op codes: 0 add, 1 sub, 2 mul, 3 div; operands of equal shape.
extern "C" __global__ void joule_binary_f32(long long n, int op, const float* __restrict__ a, const float* __restrict__ b,
                                            float* __restrict__ y) {
  if (joule_aligned16(a) && joule_aligned16(b) && joule_aligned16(y)) {
    long long n4 = n >> 2;
    JOULE_FOR(j, n4) {
      float4 u = joule_load4(a, j);
      float4 v = joule_load4(b, j);
      joule_store4(y, j, make_float4(joule_binary_apply(op, u.x, v.x), joule_binary_apply(op, u.y, v.y),
                                     joule_binary_apply(op, u.z, v.z), joule_binary_apply(op, u.w, v.w)));
    }
    JOULE_FOR(r, n & 3) {
      long long i = (n4 << 2) + r;
      y[i] = joule_binary_apply(op, a[i], b[i]);
    }
  } else {
    JOULE_FOR(i, n) {
      y[i] = joule_binary_apply(op, a[i], b[i]);
    }
  }
}

// Softmax over each row of a [rows, cols] matrix, max-subtracted; an all -inf row gives 0.
extern "C" __global__ void joule_softmax_rows(long long rows, int cols, const float* __restrict__ x, float* __restrict__ y) {
  JOULE_FOR(r, rows) {
    const float* xr = x + r * cols;
    float m = -INFINITY;
    for (int c = 0; c < cols; c++) {
      m = fmaxf(m, xr[c]);
    }
    if (m == -INFINITY) {
      for (int c = 0; c < cols; c++) {
        y[r * cols + c] = 0.f;
      }
      continue;
    }
    float z = 0.f;
    for (int c = 0; c < cols; c++) {
      z += __expf(xr[c] - m);
    }
    float inv = 1.f / z;
    for (int c = 0; c < cols; c++) {
      y[r * cols + c] = __expf(xr[c] - m) * inv;
    }
  }
}

// dx = y · (dy − Σ dy·y) per row.
extern "C" __global__ void joule_softmax_rows_bwd(long long rows, int cols, const float* __restrict__ y, const float* __restrict__ dy,
                                                  float* __restrict__ dx) {
  JOULE_FOR(r, rows) {
    float dot = 0.f;
    for (int c = 0; c < cols; c++) {
      dot += dy[r * cols + c] * y[r * cols + c];
    }
    for (int c = 0; c < cols; c++) {
      long long i = r * cols + c;
      dx[i] = y[i] * (dy[i] - dot);
    }
  }
}

// Layer norm of each row: y = (x − μ)·rstd·γ + β; saves μ and rstd = 1/√(var + eps) per row.
// One warp per row (launched with 32 threads per row): lanes read consecutive columns.
extern "C" __global__ void joule_layer_norm_rows(long long rows, int cols, float eps, const float* __restrict__ x,
                                                 const float* __restrict__ gamma, const float* __restrict__ beta,
                                                 float* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd) {
  int lane = threadIdx.x & 31;
  JOULE_FOR_WARP(r, rows) {
    const float* xr = x + r * cols;
    float s = 0.f;
    for (int c = lane; c < cols; c += 32) {
      s += xr[c];
    }
    float mu = joule_warp_sum(s) / cols;
    float v = 0.f;
    for (int c = lane; c < cols; c += 32) {
      float d = xr[c] - mu;
      v += d * d;
    }
    float rs = rsqrtf(joule_warp_sum(v) / cols + eps);
    if (lane == 0) {
      mean[r] = mu;
      rstd[r] = rs;
    }
    for (int c = lane; c < cols; c += 32) {
      y[r * cols + c] = (xr[c] - mu) * rs * gamma[c] + beta[c];
    }
  }
}

// dx of layer norm per row: rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·γ and x̂ = (x − μ)·rstd,
// plus addend (null: none), the gradient x already has from its other uses (a residual
// connection's sum), added here instead of in a pass of its own. One warp per row, as the forward.
extern "C" __global__ void joule_layer_norm_rows_bwd(long long rows, int cols, const float* __restrict__ x,
                                                     const float* __restrict__ gamma, const float* __restrict__ mean,
                                                     const float* __restrict__ rstd, const float* __restrict__ dy,
                                                     const float* __restrict__ addend, float* __restrict__ dx) {
  int lane = threadIdx.x & 31;
  JOULE_FOR_WARP(r, rows) {
    float mu = mean[r];
    float rs = rstd[r];
    float sg = 0.f;
    float sgx = 0.f;
    for (int c = lane; c < cols; c += 32) {
      long long i = r * cols + c;
      float g = dy[i] * gamma[c];
      sg += g;
      sgx += g * (x[i] - mu) * rs;
    }
    sg = joule_warp_sum(sg) / cols;
    sgx = joule_warp_sum(sgx) / cols;
    for (int c = lane; c < cols; c += 32) {
      long long i = r * cols + c;
      float xh = (x[i] - mu) * rs;
      float d = rs * (dy[i] * gamma[c] - sg - xh * sgx);
      dx[i] = addend == nullptr ? d : d + addend[i];
    }
  }
}

// Layer norm's gamma and beta gradients, dgamma[c] = sum_r dy[r, c] * xhat[r, c] and
// dbeta[c] = sum_r dy[r, c] with xhat from each row's mean and 1/std: per segment of rows, the two
// column sums in float64 (column-tile layout, column_tiles.cuh), then a finishing pass over the
// segments. No atomics: every run gives the same bits.
struct joule_layer_norm_params_terms {
  const float* x;
  const float* mean;
  const float* rstd;
  const float* dy;
  __device__ void column(int) {}
  __device__ void add(long long r, long long i, double& a, double& b) {
    float g = dy[i];
    a += (double)g * ((x[i] - mean[r]) * rstd[r]);
    b += g;
  }
};

extern "C" __global__ void joule_layer_norm_params_partial(long long rows, int cols, int chunk, const float* __restrict__ x,
                                                           const float* __restrict__ mean, const float* __restrict__ rstd,
                                                           const float* __restrict__ dy, double* __restrict__ sum_dy_xhat,
                                                           double* __restrict__ sum_dy) {
  joule_column_pair_partials(rows, cols, chunk, joule_layer_norm_params_terms{x, mean, rstd, dy}, sum_dy_xhat, sum_dy);
}

// The finishing pass of every pair of column sums in column tiles (layer norm's and batch norm's
// parameter gradients, the bias gradients the backward kernels below sum as they go): out_a[c]
// and out_b[c] from the segments' partial sums (part_b and out_b null: one sum).
extern "C" __global__ void joule_column_pair_finish(int cols, int segments, const double* __restrict__ part_a,
                                                    const double* __restrict__ part_b, float* __restrict__ out_a,
                                                    float* __restrict__ out_b) {
  joule_column_finish_pair(cols, segments, part_a, part_b, out_a, out_b);
}

// GLU over the last dimension of x [rows, 2h] plus an optional bias [2h] (null: none), the bias
// of the linear layer before it, added here instead of in a pass of its own: y[r, c] = a·σ(b)
// with a = x[r, c] + bias[c], b = x[r, h + c] + bias[h + c], c < h; its gradient
// dx[r, c] = dy·σ(b), dx[r, h + c] = dy·a·σ(b)·(1 − σ(b)). One read of x and one write per pass,
// where the CPU's composition (split, sigmoid, product) makes several. The forward runs a warp
// along a row's columns (JOULE_FOR_WARP over rows), so no thread divides.
extern "C" __global__ void joule_glu_rows(long long rows, int h, const float* __restrict__ x,
                                          const float* __restrict__ bias, float* __restrict__ y) {
  JOULE_FOR_WARP(r, rows) {
    const float* row = x + r * 2 * h;
    for (int c = threadIdx.x & 31; c < h; c += 32) {
      y[r * h + c] = joule_plus_bias(row[c], bias, c) * joule_sigmoidf(joule_plus_bias(row[h + c], bias, h + c));
    }
  }
}

// The backward runs in column tiles (column_tiles.cuh) over the h output columns, so that it can
// sum the bias's gradient while it writes dx: per segment of rows, the float64 sums of dx[:, c]
// and dx[:, h + c] go to sum_a[segment, c] and sum_b[segment, c] (null: no bias gradient wanted),
// which joule_column_pair_finish turns into dbias[c] and dbias[h + c]. The bias's gradient then
// costs no read of dx of its own.
struct joule_glu_bwd_terms {
  long long h;
  const float* x;
  const float* bias;
  const float* dy;
  float* dx;
  __device__ void column(int) {}
  __device__ void add(long long r, long long i, double& sa, double& sb) {
    int c = (int)(i - r * h);
    const float* row = x + r * 2 * h;
    float a = joule_plus_bias(row[c], bias, c);
    float s = joule_sigmoidf(joule_plus_bias(row[h + c], bias, (int)h + c));
    float g = dy[i];
    float da = g * s;
    float db = g * a * s * (1.f - s);
    dx[r * 2 * h + c] = da;
    dx[r * 2 * h + h + c] = db;
    sa += da;
    sb += db;
  }
};

extern "C" __global__ void joule_glu_bwd_cols(long long rows, int h, int chunk, const float* __restrict__ x,
                                              const float* __restrict__ bias, const float* __restrict__ dy,
                                              float* __restrict__ dx, double* __restrict__ sum_a,
                                              double* __restrict__ sum_b) {
  joule_column_pair_partials(rows, h, chunk, joule_glu_bwd_terms{h, x, bias, dy, dx}, sum_a, sum_b);
}

// dropout(silu(z + bias)) over the rows of z [rows, cols], bias [cols]: the linear layer's bias
// added in the activation's pass instead of one of its own (the layer's output z + bias is never
// stored; the backward adds the bias again), and the dropout after the activation applied in the
// same pass with the call's mask (dropout_mask.cuh; threshold 0 and scale 1 keep everything). The
// backward is dz = dropout(dy)·silu'(z + bias), the mask regenerated from the key, silu' written
// as joule_unary_derivative writes it: the same float operations as the three separate kernels.
// The forward runs a warp per row, lanes along the columns; the backward runs in column tiles and
// sums the bias's gradient (dz over the rows, float64 per segment into sum[segment, c]; null: not
// wanted) as it writes dz, for joule_column_pair_finish.
extern "C" __global__ void joule_bias_silu_rows(long long rows, int cols, unsigned int keyLow, unsigned int keyHigh,
                                                unsigned int threshold, float scale, const float* __restrict__ z,
                                                const float* __restrict__ bias, float* __restrict__ y) {
  JOULE_FOR_WARP(r, rows) {
    for (int c = threadIdx.x & 31; c < cols; c += 32) {
      long long i = r * cols + c;
      float v = z[i] + bias[c];
      y[i] = joule_dropout_one(i, joule_unary_apply(JOULE_UNARY_SILU, v), keyLow, keyHigh, threshold, scale);
    }
  }
}

struct joule_bias_silu_bwd_terms {
  unsigned int keyLow;
  unsigned int keyHigh;
  unsigned int threshold;
  float scale;
  const float* z;
  const float* bias;
  const float* dy;
  float* dz;
  float b;
  __device__ void column(int c) { b = bias[c]; }
  __device__ void add(long long, long long i, double& sum, double&) {
    float d = joule_dropout_one(i, dy[i], keyLow, keyHigh, threshold, scale) *
              joule_unary_derivative(JOULE_UNARY_SILU, z[i] + b, 0.f);
    dz[i] = d;
    sum += d;
  }
};

extern "C" __global__ void joule_bias_silu_bwd_cols(long long rows, int cols, int chunk, unsigned int keyLow,
                                                    unsigned int keyHigh, unsigned int threshold, float scale,
                                                    const float* __restrict__ z, const float* __restrict__ bias,
                                                    const float* __restrict__ dy, float* __restrict__ dz,
                                                    double* __restrict__ sum) {
  joule_column_pair_partials(rows, cols, chunk,
                             joule_bias_silu_bwd_terms{keyLow, keyHigh, threshold, scale, z, bias, dy, dz, 0.f}, sum,
                             nullptr);
}

// out[i, :] = table[ids[i], :]; ids are checked on the host before the launch.
extern "C" __global__ void joule_embedding_fwd(long long count, int dim, const float* __restrict__ table,
                                               const int* __restrict__ ids, float* __restrict__ out) {
  JOULE_FOR(i, count * dim) {
    long long row = i / dim;
    out[i] = table[(long long)ids[row] * dim + i % dim];
  }
}

// dtable[ids[i], :] += dout[i, :] (dtable zeroed by the caller).
extern "C" __global__ void joule_embedding_bwd(long long count, int dim, const int* __restrict__ ids,
                                               const float* __restrict__ dout, float* __restrict__ dtable) {
  JOULE_FOR(i, count * dim) {
    long long row = i / dim;
    atomicAdd(&dtable[(long long)ids[row] * dim + i % dim], dout[i]);
  }
}

// Zeroes the frames of x [B, T, C] at or past each sequence's length, in place (Ops.maskByLengths).
extern "C" __global__ void joule_mask_by_lengths(int batch, int steps, int channels, const int* __restrict__ lengths,
                                                 float* __restrict__ x) {
  long long n = (long long)batch * steps * channels;
  JOULE_FOR(i, n) {
    long long frame = i / channels;
    if ((int)(frame % steps) >= lengths[frame / steps]) x[i] = 0.f;
  }
}

// Sliding windows [B, T, C] -> [B, T', K·C]: out[b, o, k, c] = x[b, o·stride + k·dilation − pad, c] or 0.
extern "C" __global__ void joule_unfold_fwd(int batch, int steps, int channels, int kernel, int stride, int dilation,
                                            int padLeft, int outSteps, const float* __restrict__ x, float* __restrict__ out) {
  long long n = (long long)batch * outSteps * kernel * channels;
  JOULE_FOR(i, n) {
    int c = (int)(i % channels);
    long long rest = i / channels;
    int k = (int)(rest % kernel);
    rest /= kernel;
    int o = (int)(rest % outSteps);
    int b = (int)(rest / outSteps);
    int src = o * stride + k * dilation - padLeft;
    out[i] = (src >= 0 && src < steps) ? x[((long long)b * steps + src) * channels + c] : 0.f;
  }
}

// The gradient of unfold, gathered per input element: Σ over the windows (o, k) that read it.
extern "C" __global__ void joule_unfold_bwd(int batch, int steps, int channels, int kernel, int stride, int dilation,
                                            int padLeft, int outSteps, const float* __restrict__ dout, float* __restrict__ dx) {
  long long n = (long long)batch * steps * channels;
  JOULE_FOR(i, n) {
    int c = (int)(i % channels);
    long long rest = i / channels;
    int t = (int)(rest % steps);
    int b = (int)(rest / steps);
    float s = 0.f;
    for (int k = 0; k < kernel; k++) {
      int num = t + padLeft - k * dilation;
      if (num < 0 || num % stride != 0) {
        continue;
      }
      int o = num / stride;
      if (o < outSteps) {
        s += dout[(((long long)b * outSteps + o) * kernel + k) * channels + c];
      }
    }
    dx[i] = s;
  }
}

// SGD with momentum and L2 decay, as dev.joule.engine.optim.Sgd.
extern "C" __global__ void joule_sgd_f32(long long n, float lr, float momentum, float weightDecay, int nesterov,
                                         float* __restrict__ w, const float* __restrict__ g, float* __restrict__ v) {
  JOULE_FOR(i, n) {
    float grad = g[i] + weightDecay * w[i];
    float vi = momentum * v[i] + grad;
    v[i] = vi;
    w[i] -= lr * (nesterov ? grad + momentum * vi : vi);
  }
}
