// Inverted dropout on GPU tensors, with the mask computed in the kernel: the GPU twin of
// dev.joule.engine.ops.DropoutMask (read its comment for the rule).
//
//   joule_dropout_f32   y[i] = x[i]·(keeps(key, i) ? scale : 0), where keeps(key, i) compares
//                       lowbias32((lo(i)·φ + lo(key)) ^ hi(key) ^ (hi(i)·ψ)) with the threshold
//                       p·2^32. The same kernel is the backward pass (x = dy, y = dx): the mask
//                       is regenerated from the key, so nothing is stored between the passes.
//
//   joule_residual_dropout_f32 and joule_residual_dropout_rows_f32 (which also adds a bias [cols],
//                       or none when null, to f: the branch's last linear layer's):
//                       y = x + alpha·dropout(f), a residual connection around a branch
//                       that ends in dropout (alpha = 1/2 for the Conformer's half-step
//                       feed-forward): one read of x and f and one write, where dropout, a scale
//                       and an add make three passes. Its backward is dy for x and
//                       joule_dropout_f32 of dy with scale·alpha for f, or, when the bias
//                       wants its gradient (the sum of f's over the rows),
//                       joule_dropout_bias_bwd_cols: the same values written in column tiles
//                       (column_tiles.cuh) while it sums them, then joule_column_pair_finish.
//
//   joule_softmax_dropout_rows_f32 and its backward: z = dropout(softmax(x)) over the rows of x,
//                       one warp per row, keeping y = softmax(x) for the backward, which computes
//                       dx = y·(g − Σ g·y) with g = dropout(dz) regenerated from the key. Fused,
//                       attention weights take one read of x and two writes forward, and one read
//                       of dz and y and one write backward, where softmax and dropout one after
//                       the other read and write the B·heads·T·T weights twice more.
//
// The Java side passes the key's halves and the threshold as 32-bit words; the arithmetic is
// unsigned 32-bit, which matches Java's wrapping int arithmetic bit for bit, so the CPU and GPU
// masks are identical. 32-bit because 64-bit integer multiplies are emulated on the GPU and made
// the kernel compute-bound. One thread per element, grid-stride loop, except the _rows_ kernels
// (a warp per row, lanes along its columns); bandwidth-bound.

#include "bias.cuh"
#include "column_tiles.cuh"
#include "dropout_mask.cuh"
#include "grid_stride.cuh"
#include "softmax_row.cuh"
#include "vector4.cuh"

// Four elements per iteration when x and y allow 16-byte access (vector4.cuh).
extern "C" __global__ void joule_dropout_f32(long long n, unsigned int keyLow, unsigned int keyHigh,
                                             unsigned int threshold, float scale, const float* __restrict__ x,
                                             float* __restrict__ y) {
  if (joule_aligned16(x) && joule_aligned16(y)) {
    long long n4 = n >> 2;
    JOULE_FOR(j, n4) {
      float4 v = joule_load4(x, j);
      long long i = j << 2;
      joule_store4(y, j, make_float4(joule_dropout_one(i, v.x, keyLow, keyHigh, threshold, scale),
                                     joule_dropout_one(i + 1, v.y, keyLow, keyHigh, threshold, scale),
                                     joule_dropout_one(i + 2, v.z, keyLow, keyHigh, threshold, scale),
                                     joule_dropout_one(i + 3, v.w, keyLow, keyHigh, threshold, scale)));
    }
    JOULE_FOR(r, n & 3) {
      long long i = (n4 << 2) + r;
      y[i] = joule_dropout_one(i, x[i], keyLow, keyHigh, threshold, scale);
    }
  } else {
    JOULE_FOR(i, n) {
      y[i] = joule_dropout_one(i, x[i], keyLow, keyHigh, threshold, scale);
    }
  }
}

// y = x + alpha·dropout(f), four elements per iteration when all three allow 16-byte access. The
// product is rounded on its own (__fmul_rn), as the separate scale kernel rounds it.
__device__ __forceinline__ float joule_residual_dropout_one(long long i, float x, float f, unsigned int keyLow,
                                                            unsigned int keyHigh, unsigned int threshold, float scale,
                                                            float alpha) {
  return x + __fmul_rn(joule_dropout_one(i, f, keyLow, keyHigh, threshold, scale), alpha);
}

extern "C" __global__ void joule_residual_dropout_f32(long long n, unsigned int keyLow, unsigned int keyHigh,
                                                      unsigned int threshold, float scale, float alpha,
                                                      const float* __restrict__ x, const float* __restrict__ f,
                                                      float* __restrict__ y) {
  if (joule_aligned16(x) && joule_aligned16(f) && joule_aligned16(y)) {
    long long n4 = n >> 2;
    JOULE_FOR(j, n4) {
      float4 a = joule_load4(x, j);
      float4 b = joule_load4(f, j);
      long long i = j << 2;
      joule_store4(y, j, make_float4(joule_residual_dropout_one(i, a.x, b.x, keyLow, keyHigh, threshold, scale, alpha),
                                     joule_residual_dropout_one(i + 1, a.y, b.y, keyLow, keyHigh, threshold, scale, alpha),
                                     joule_residual_dropout_one(i + 2, a.z, b.z, keyLow, keyHigh, threshold, scale, alpha),
                                     joule_residual_dropout_one(i + 3, a.w, b.w, keyLow, keyHigh, threshold, scale, alpha)));
    }
    JOULE_FOR(r, n & 3) {
      long long i = (n4 << 2) + r;
      y[i] = joule_residual_dropout_one(i, x[i], f[i], keyLow, keyHigh, threshold, scale, alpha);
    }
  } else {
    JOULE_FOR(i, n) {
      y[i] = joule_residual_dropout_one(i, x[i], f[i], keyLow, keyHigh, threshold, scale, alpha);
    }
  }
}

// y = x + alpha·dropout(f + bias) over the rows of [rows, cols], bias [cols] or null; element
// i = r·cols + c is masked as in joule_residual_dropout_f32. Warp per row, lanes along the columns.
extern "C" __global__ void joule_residual_dropout_rows_f32(long long rows, int cols, unsigned int keyLow,
                                                           unsigned int keyHigh, unsigned int threshold, float scale,
                                                           float alpha, const float* __restrict__ x,
                                                           const float* __restrict__ f, const float* __restrict__ bias,
                                                           float* __restrict__ y) {
  JOULE_FOR_WARP(r, rows) {
    for (int c = threadIdx.x & 31; c < cols; c += 32) {
      long long i = r * cols + c;
      float v = joule_plus_bias(f[i], bias, c);
      y[i] = joule_residual_dropout_one(i, x[i], v, keyLow, keyHigh, threshold, scale, alpha);
    }
  }
}

// df = dropout(dy) (scale·alpha as the scale) over [rows, cols], written as joule_dropout_f32
// writes it, with the float64 column sums of df per segment of rows in sum[segment, c]: the
// residual branch's gradient and its bias's in one read of dy.
struct joule_dropout_bwd_terms {
  unsigned int keyLow;
  unsigned int keyHigh;
  unsigned int threshold;
  float scale;
  const float* dy;
  float* df;
  __device__ void column(int) {}
  __device__ void add(long long, long long i, double& sum, double&) {
    float d = joule_dropout_one(i, dy[i], keyLow, keyHigh, threshold, scale);
    df[i] = d;
    sum += d;
  }
};

extern "C" __global__ void joule_dropout_bias_bwd_cols(long long rows, int cols, int chunk, unsigned int keyLow,
                                                       unsigned int keyHigh, unsigned int threshold, float scale,
                                                       const float* __restrict__ dy, float* __restrict__ df,
                                                       double* __restrict__ sum) {
  joule_column_pair_partials(rows, cols, chunk, joule_dropout_bwd_terms{keyLow, keyHigh, threshold, scale, dy, df}, sum,
                             nullptr);
}

// z = dropout(softmax(x)) and y = softmax(x) for x [rows, n], one warp per row; element
// e = r·n + k is masked as element e of the softmax's output tensor would be.
extern "C" __global__ void joule_softmax_dropout_rows_f32(long long rows, int n, unsigned int keyLow,
                                                          unsigned int keyHigh, unsigned int threshold, float scale,
                                                          const float* __restrict__ x, float* __restrict__ y,
                                                          float* __restrict__ z) {
  int lane = threadIdx.x & 31;
  JOULE_FOR_WARP(r, rows) {
    const float* xr = x + r * n;
    float sum;
    float logSum;
    joule_warp_softmax_row(xr, n, lane, sum, logSum);
    for (int k = lane; k < n; k += 32) {
      long long e = r * n + k;
      float v = joule_softmax_out(0, xr[k], sum, logSum);
      y[e] = v;
      z[e] = joule_dropout_one(e, v, keyLow, keyHigh, threshold, scale);
    }
  }
}

// dx = y·(g − Σ g·y), g = dropout(dz) with the forward's key: the gradient of
// joule_softmax_dropout_rows_f32's z.
extern "C" __global__ void joule_softmax_dropout_rows_bwd_f32(long long rows, int n, unsigned int keyLow,
                                                              unsigned int keyHigh, unsigned int threshold, float scale,
                                                              const float* __restrict__ y, const float* __restrict__ dz,
                                                              float* __restrict__ dx) {
  int lane = threadIdx.x & 31;
  JOULE_FOR_WARP(r, rows) {
    long long base = r * n;
    float s = 0.f;
    for (int k = lane; k < n; k += 32) {
      long long e = base + k;
      s += joule_dropout_one(e, dz[e], keyLow, keyHigh, threshold, scale) * y[e];
    }
    s = joule_warp_sum(s);
    for (int k = lane; k < n; k += 32) {
      long long e = base + k;
      dx[e] = y[e] * (joule_dropout_one(e, dz[e], keyLow, keyHigh, threshold, scale) - s);
    }
  }
}
