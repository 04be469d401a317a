// Math kernels of GPU tensors: the GPU twins of the CPU reference ops in dev.joule.engine.ops
// (Elementwise, Arithmetic with broadcasting, Reductions, Softmax). The Java side is
// GpuMathKernels (launchers) and GpuElementwise / GpuArithmetic / GpuReductions / GpuSoftmax.
// exp/log/relu/sigmoid/tanh/silu and equal-shape add/sub/mul/div are the kernels of ops.cu.
//
// Layouts. Every tensor is float32, contiguous and row-major from the pointer passed (views are
// passed as a pointer to their first element). A reduction or softmax along one dimension views
// the tensor as [outer, n, inner] and works on the n elements base + k·inner of each slice
// (base = o·n·inner + i), exactly like the CPU code; the outputs of a reduction are [outer, inner].
//
// Parallelisation.
//  - Element-wise and broadcast kernels: grid-stride loops over the outputs, four per iteration
//    with 16-byte loads and stores where the pointers and shapes allow it (vector4.cuh).
//    Broadcasting takes the output shape (at most 6 dimensions, leading ones padded with 1, the
//    host having merged dimensions that need no separate index) and per-operand element strides
//    with 0 along broadcast dimensions; each thread peels its coordinates off the flat index,
//    dividing by multiply-high and shift (joule_divide).
//  - Reductions ([outer, n, inner] -> [outer, segments, inner]): the n elements of a slice are cut
//    into segments of `chunk`; the host chooses the chunk so that there is enough parallelism and
//    calls again on the partial results until one segment is left (a two- or three-pass tree).
//    joule_reduce_strided_f32: one thread per (o, segment, i), adjacent threads on adjacent i, so the
//    loads coalesce when inner > 1 (sums over a middle dimension, max). joule_reduce_rows_f32:
//    for inner == 1, one warp per (row, segment), lanes reading consecutive elements, combined by
//    warp shuffles (row sums, sum of everything). joule_reduce_columns_f32: sums with inner >= 32
//    (bias gradients), a block per 32 columns of a segment with eight row lanes.
//  - Max carries the index of its winner (int32) beside the value, so the backward can route the
//    gradient; the tie rule is the CPU's: the first NaN if there is one, else the first maximum.
//  - Softmax family: one thread per slice (strided, any inner) or, for inner == 1 and rows of at
//    least a warp, one warp per row. Sums accumulate in float32, like cuBLAS.

// The grid-stride loop shared with ops.cu and tensor_layout.cu.
#include "column_tiles.cuh"
#include "grid_stride.cuh"
#include "softmax_row.cuh"
#include "vector4.cuh"
#include "warp.cuh"


// ---- element-wise ---------------------------------------------------------------------------

// Op codes shared with GpuMathKernels.Pointwise: 0 affine y = a·x + b (neg, scale, addScalar),
// 1 pow y = x^a, 2 sqrt, 3 square. powf and sqrtf follow IEEE pow/sqrt like java.lang.Math:
// pow of a negative base to a non-integer power and sqrt of a negative number are NaN.
__device__ __forceinline__ float joule_pointwise_apply(int op, float a, float b, float v) {
  switch (op) {
    case 0: return a * v + b;
    case 1: return powf(v, a);
    case 2: return sqrtf(v);
    default: return v * v;
  }
}

// Four elements per iteration when x and y allow 16-byte access (vector4.cuh).
extern "C" __global__ void joule_pointwise_f32(long long n, int op, float a, float b, const float* __restrict__ x,
                                               float* __restrict__ y) {
  if (joule_aligned16(x) && joule_aligned16(y)) {
    long long n4 = n >> 2;
    JOULE_FOR(j, n4) {
      float4 v = joule_load4(x, j);
      joule_store4(y, j, make_float4(joule_pointwise_apply(op, a, b, v.x), joule_pointwise_apply(op, a, b, v.y),
                                     joule_pointwise_apply(op, a, b, v.z), joule_pointwise_apply(op, a, b, v.w)));
    }
    JOULE_FOR(r, n & 3) {
      long long i = (n4 << 2) + r;
      y[i] = joule_pointwise_apply(op, a, b, x[i]);
    }
  } else {
    JOULE_FOR(i, n) {
      y[i] = joule_pointwise_apply(op, a, b, x[i]);
    }
  }
}

// dx = dy · f'(x) for the op codes above, f' written through input x and output y as on the CPU:
// a; a·x^(a−1); 0.5/y; 2x.
extern "C" __global__ void joule_pointwise_bwd_f32(long long n, int op, float a, const float* __restrict__ x,
                                                   const float* __restrict__ y, const float* __restrict__ dy,
                                                   float* __restrict__ dx) {
  JOULE_FOR(i, n) {
    float d;
    switch (op) {
      case 0: d = a; break;
      case 1: d = a * powf(x[i], a - 1.f); break;
      case 2: d = 0.5f / y[i]; break;
      default: d = 2.f * x[i]; break;
    }
    dx[i] = dy[i] * d;
  }
}

// ---- broadcasting ---------------------------------------------------------------------------

// Division of a thread's flat index by a dimension size known per launch, by multiply-high and
// shift instead of the hardware-less 32-bit divide (about 20 instructions each): q = (umulhi(n,
// magic) + n) >> shift with the host's magic and shift (dev.joule.engine.ops.Divisor, whose tests
// check the rule on the CPU). Exact for dividends n < 2^31; the sum cannot overflow since
// umulhi(n, magic) ≤ n.
__device__ __forceinline__ unsigned int joule_divide(unsigned int n, unsigned int magic, unsigned int shift) {
  return (__umulhi(n, magic) + n) >> shift;
}

// The offsets into a and b of output element i: its coordinates peeled off the flat index from
// the innermost dimension out, each times the operand's stride along that dimension.
__device__ __forceinline__ void joule_broadcast_offsets(unsigned int i, const unsigned int (&dims)[6],
                                                        const unsigned int (&magic)[6], const unsigned int (&shift)[6],
                                                        const int (&sa)[6], const int (&sb)[6], long long& oa,
                                                        long long& ob) {
  unsigned int rest = i;
  oa = 0;
  ob = 0;
#pragma unroll
  for (int d = 5; d >= 0; d--) {
    if (dims[d] != 1u) {
      unsigned int q = joule_divide(rest, magic[d], shift[d]);
      unsigned int c = rest - q * dims[d];
      rest = q;
      oa += (long long)c * sa[d];
      ob += (long long)c * sb[d];
    }
  }
}

// a op b for the broadcast op codes 0..3 (4, copy, never reaches here).
__device__ __forceinline__ float joule_combine(int op, float u, float v) {
  switch (op) {
    case 0: return u + v;
    case 1: return u - v;
    case 2: return u * v;
    default: return u / v;
  }
}

// y = a op b with NumPy broadcasting. Op codes shared with GpuMathKernels: 0 add, 1 sub, 2 mul,
// 3 div, 4 copy of a (broadcastTo; b is ignored). d0..d5 is the output shape (d5 innermost),
// m0..m5 and s0..s5 the magic numbers and shifts dividing by it, a0..a5 and b0..b5 the operands'
// element strides along it (0 where broadcast). n < 2^31. Peeling the coordinates off the flat
// index took 6x the time of the memory traffic with hardware division (a Conformer step's
// profile); with the magic numbers the kernel is close to an equal-shape add.
extern "C" __global__ void joule_broadcast_f32(long long n, int op, int d0, int d1, int d2, int d3, int d4, int d5,
                                               unsigned int m0, unsigned int m1, unsigned int m2, unsigned int m3,
                                               unsigned int m4, unsigned int m5, int s0, int s1, int s2, int s3, int s4,
                                               int s5, int a0, int a1, int a2, int a3, int a4, int a5, int b0, int b1,
                                               int b2, int b3, int b4, int b5, const float* __restrict__ a,
                                               const float* __restrict__ b, float* __restrict__ y) {
  const unsigned int dims[6] = {(unsigned int)d0, (unsigned int)d1, (unsigned int)d2,
                                (unsigned int)d3, (unsigned int)d4, (unsigned int)d5};
  const unsigned int magic[6] = {m0, m1, m2, m3, m4, m5};
  const unsigned int shift[6] = {(unsigned int)s0, (unsigned int)s1, (unsigned int)s2,
                                 (unsigned int)s3, (unsigned int)s4, (unsigned int)s5};
  const int sa[6] = {a0, a1, a2, a3, a4, a5};
  const int sb[6] = {b0, b1, b2, b3, b4, b5};
  // Four outputs per iteration when the innermost dimension is a multiple of 4, each operand
  // either runs along it (stride 1) or repeats one value (stride 0), every stride keeps 16-byte
  // alignment and the pointers are aligned: the four outputs then share all other coordinates, so
  // one index computation serves them (vector4.cuh).
  bool vector = (dims[5] & 3u) == 0 && joule_aligned16(y) && (sa[5] == 0 || (sa[5] == 1 && joule_aligned16(a)))
                && (op == 4 || sb[5] == 0 || (sb[5] == 1 && joule_aligned16(b)));
#pragma unroll
  for (int d = 0; d < 5; d++) {
    // An operand read four at a time must stay 16-byte aligned at every coordinate.
    vector = vector && (sa[5] == 0 || (sa[d] & 3) == 0) && (op == 4 || sb[5] == 0 || (sb[d] & 3) == 0);
  }
  if (vector) {
    JOULE_FOR(j, n >> 2) {
      long long oa;
      long long ob;
      joule_broadcast_offsets((unsigned int)(j << 2), dims, magic, shift, sa, sb, oa, ob);
      float4 u = sa[5] == 1 ? joule_load4(a + oa, 0) : make_float4(a[oa], a[oa], a[oa], a[oa]);
      float4 r = u;
      if (op != 4) {
        float4 v = sb[5] == 1 ? joule_load4(b + ob, 0) : make_float4(b[ob], b[ob], b[ob], b[ob]);
        r = make_float4(joule_combine(op, u.x, v.x), joule_combine(op, u.y, v.y), joule_combine(op, u.z, v.z),
                        joule_combine(op, u.w, v.w));
      }
      joule_store4(y, j, r);
    }
    return;
  }
  JOULE_FOR(i, n) {
    long long oa;
    long long ob;
    joule_broadcast_offsets((unsigned int)i, dims, magic, shift, sa, sb, oa, ob);
    float u = a[oa];
    y[i] = op == 4 ? u : joule_combine(op, u, b[ob]);
  }
}

// ---- reductions -----------------------------------------------------------------------------

// Whether (v, k) beats (w, j) for max: a NaN beats a number, then the larger value wins, then
// the lower index; index −1 marks "nothing seen yet". Used where elements arrive out of order
// (across warp lanes); in order, the CPU's rule "c > m || (isnan(c) && !isnan(m))" is the same.
__device__ __forceinline__ bool joule_max_beats(float v, int k, float w, int j) {
  if (k < 0) return false;
  if (j < 0) return true;
  bool vn = isnan(v);
  bool wn = isnan(w);
  if (vn != wn) return vn;
  if (!vn && v != w) return v > w;
  return k < j;
}

// The CPU's in-order max step: keep (best, at) unless v beats it.
__device__ __forceinline__ void joule_max_step(float v, int k, float& best, int& at) {
  if (at < 0 || v > best || (isnan(v) && !isnan(best))) {
    best = v;
    at = k;
  }
}

// x [outer, n, inner] -> y [outer, segments, inner], segments = ceil(n / chunk):
// y[o, s, i] = sum (op 0) or max (op 1) of x[o, k, i] over k in [s·chunk, min(n, (s+1)·chunk)).
// For max, argOut[o, s, i] is the winner's index along n: k itself, or argIn[o, k, i] when argIn
// is not null (x then holds the partial maxima of an earlier pass, which carry their indices).
// One thread per output element.
extern "C" __global__ void joule_reduce_strided_f32(long long outer, int n, int inner, int chunk, int op,
                                                    const float* __restrict__ x, const int* __restrict__ argIn,
                                                    float* __restrict__ y, int* __restrict__ argOut) {
  int segments = (int)(((long long)n + chunk - 1) / chunk);
  long long total = outer * segments * inner;
  JOULE_FOR(j, total) {
    int i = (int)(j % inner);
    long long rest = j / inner;
    int s = (int)(rest % segments);
    long long o = rest / segments;
    int k0 = s * chunk;
    int k1 = n - k0 < chunk ? n : k0 + chunk;
    long long base = o * n * inner + i;  // element (o, k, i) is at base + k·inner
    if (op == 0) {
      float acc = 0.f;
      for (int k = k0; k < k1; k++) {
        acc += x[base + (long long)k * inner];
      }
      y[j] = acc;
    } else {
      float best = 0.f;
      int at = -1;
      for (int k = k0; k < k1; k++) {
        long long e = base + (long long)k * inner;
        joule_max_step(x[e], argIn != nullptr ? argIn[e] : k, best, at);
      }
      y[j] = best;
      argOut[j] = at;
    }
  }
}

// The same for inner == 1 (x [rows, n] -> y [rows, segments]) with one warp per (row, segment):
// lanes stride through the segment together (coalesced), then combine by shuffles. Launch with
// 32 threads per segment and blocks of a multiple of 32 threads.
extern "C" __global__ void joule_reduce_rows_f32(long long rows, int n, int chunk, int op, const float* __restrict__ x,
                                                 const int* __restrict__ argIn, float* __restrict__ y,
                                                 int* __restrict__ argOut) {
  int segments = (int)(((long long)n + chunk - 1) / chunk);
  long long total = rows * segments;
  int lane = threadIdx.x & 31;
  JOULE_FOR_WARP(w, total) {
    long long r = w / segments;
    int s = (int)(w % segments);
    int k1 = n - s * chunk < chunk ? n : s * chunk + chunk;
    long long base = r * n;
    if (op == 0) {
      float acc = 0.f;
      for (int k = s * chunk + lane; k < k1; k += 32) {
        acc += x[base + k];
      }
      for (int off = 16; off > 0; off >>= 1) {
        acc += __shfl_down_sync(JOULE_FULL_WARP, acc, off);
      }
      if (lane == 0) {
        y[w] = acc;
      }
    } else {
      float best = 0.f;
      int at = -1;
      for (int k = s * chunk + lane; k < k1; k += 32) {
        joule_max_step(x[base + k], argIn != nullptr ? argIn[base + k] : k, best, at);
      }
      for (int off = 16; off > 0; off >>= 1) {
        float v = __shfl_down_sync(JOULE_FULL_WARP, best, off);
        int k = __shfl_down_sync(JOULE_FULL_WARP, at, off);
        if (joule_max_beats(v, k, best, at)) {
          best = v;
          at = k;
        }
      }
      if (lane == 0) {
        y[w] = best;
        argOut[w] = at;
      }
    }
  }
}

// Sums for inner >= 32 (a bias gradient: the column sums of a tall [rows, columns] matrix) by
// column tiles (column_tiles.cuh), into the same y [outer, segments, inner] as
// joule_reduce_strided_f32: a block takes 32 adjacent columns of one (o, segment) slice, and a
// warp's loads of a row are one 128-byte line with several in flight at once. Compared with one
// thread per (segment, column), the lanes share a segment eight ways: segments can be long (few partial results, so the second pass is short and a
// third is rarely needed) while the grid still fills the GPU. Launch: block (32, LANES), a
// grid-stride loop over the outer * segments * tiles blocks.
extern "C" __global__ void joule_reduce_columns_f32(long long outer, int n, int inner, int chunk,
                                                    const float* __restrict__ x, float* __restrict__ y) {
  __shared__ float lanes[JOULE_COLUMN_LANES][33];
  int tiles = (inner + 31) / 32;
  int segments = (int)(((long long)n + chunk - 1) / chunk);
  long long blocks = outer * segments * tiles;
  for (long long blk = blockIdx.x; blk < blocks; blk += gridDim.x) {
    joule_column_slice slice = joule_column_slice_of(blk, n, inner, chunk);
    int i = slice.column;
    float acc = 0.f;
    if (i < inner) {
      const float* column = x + slice.outer * n * inner + i;
#pragma unroll 4
      for (long long k = slice.r0 + threadIdx.y; k < slice.r1; k += JOULE_COLUMN_LANES) {
        acc += column[k * inner];
      }
    }
    lanes[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && i < inner) {
      float sum = lanes[0][threadIdx.x];
      for (int l = 1; l < JOULE_COLUMN_LANES; l++) {
        sum += lanes[l][threadIdx.x];
      }
      y[(slice.outer * segments + slice.segment) * inner + i] = sum;
    }
    // The next slice reuses the shared array.
    __syncthreads();
  }
}

// The gradient of max along n: dx[o, k, i] = dy[o, i] where k = arg[o, i], else 0. One thread per
// element of dx, so dx needs no zeroing first.
extern "C" __global__ void joule_max_bwd_f32(long long outer, int n, int inner, const int* __restrict__ arg,
                                             const float* __restrict__ dy, float* __restrict__ dx) {
  long long total = outer * n * inner;
  JOULE_FOR(j, total) {
    int i = (int)(j % inner);
    long long rest = j / inner;
    int k = (int)(rest % n);
    long long out = (rest / n) * inner + i;
    dx[j] = arg[out] == k ? dy[out] : 0.f;
  }
}

// ---- softmax family -------------------------------------------------------------------------

// Modes shared with GpuMathKernels.SoftmaxMode: 0 softmax, 1 log-softmax (y like x), 2 log-sum-exp
// (y [outer, inner]); the rules for all −inf, NaN and +inf slices are in softmax_row.cuh.

// One thread per slice (o, i) of x [outer, n, inner].
extern "C" __global__ void joule_softmax_strided_f32(long long outer, int n, int inner, int mode,
                                                     const float* __restrict__ x, float* __restrict__ y) {
  long long slices = outer * inner;
  JOULE_FOR(j, slices) {
    long long base = (j / inner) * n * inner + j % inner;
    float m = -INFINITY;
    for (int k = 0; k < n; k++) {
      m = fmaxf(m, x[base + (long long)k * inner]);
    }
    if (m == -INFINITY) {
      m = 0.f;
    }
    float z = 0.f;
    for (int k = 0; k < n; k++) {
      z += expf(x[base + (long long)k * inner] - m);
    }
    float lz = m + logf(z);
    if (mode == 2) {
      y[j] = lz;
      continue;
    }
    for (int k = 0; k < n; k++) {
      long long e = base + (long long)k * inner;
      y[e] = joule_softmax_out(mode, x[e], z, lz);
    }
  }
}


// One warp per row of x [rows, n] (inner == 1), lanes on consecutive elements.
extern "C" __global__ void joule_softmax_rows_warp_f32(long long rows, int n, int mode, const float* __restrict__ x,
                                                       float* __restrict__ y) {
  int lane = threadIdx.x & 31;
  JOULE_FOR_WARP(r, rows) {
    const float* xr = x + r * n;
    float z;
    float lz;
    joule_warp_softmax_row(xr, n, lane, z, lz);
    if (mode == 2) {
      if (lane == 0) {
        y[r] = lz;
      }
      continue;
    }
    for (int k = lane; k < n; k += 32) {
      y[r * n + k] = joule_softmax_out(mode, xr[k], z, lz);
    }
  }
}

// Backward of softmax (mode 0: dx = y·(dy − Σ dy·y)) and log-softmax (mode 1: dx = dy − e^y·Σ dy)
// per slice, given the forward's output y; one thread per slice.
extern "C" __global__ void joule_softmax_bwd_strided_f32(long long outer, int n, int inner, int mode,
                                                         const float* __restrict__ y, const float* __restrict__ dy,
                                                         float* __restrict__ dx) {
  long long slices = outer * inner;
  JOULE_FOR(j, slices) {
    long long base = (j / inner) * n * inner + j % inner;
    float s = 0.f;
    for (int k = 0; k < n; k++) {
      long long e = base + (long long)k * inner;
      s += mode == 0 ? dy[e] * y[e] : dy[e];
    }
    for (int k = 0; k < n; k++) {
      long long e = base + (long long)k * inner;
      dx[e] = mode == 0 ? y[e] * (dy[e] - s) : dy[e] - expf(y[e]) * s;
    }
  }
}

// The same with one warp per row (inner == 1).
extern "C" __global__ void joule_softmax_bwd_rows_warp_f32(long long rows, int n, int mode, const float* __restrict__ y,
                                                           const float* __restrict__ dy, float* __restrict__ dx) {
  int lane = threadIdx.x & 31;
  JOULE_FOR_WARP(r, rows) {
    long long base = r * n;
    float s = 0.f;
    for (int k = lane; k < n; k += 32) {
      s += mode == 0 ? dy[base + k] * y[base + k] : dy[base + k];
    }
    s = joule_warp_sum(s);
    for (int k = lane; k < n; k += 32) {
      long long e = base + k;
      dx[e] = mode == 0 ? y[e] * (dy[e] - s) : dy[e] - expf(y[e]) * s;
    }
  }
}

// Backward of log-sum-exp along n: dx[o, k, i] = dy[o, i] · exp(x[o, k, i] − lse[o, i]), the
// softmax times the upstream gradient; one thread per element of dx. An all −inf slice gives NaN,
// as the CPU's chain log(Σ exp) does (∞·0).
extern "C" __global__ void joule_log_sum_exp_bwd_f32(long long outer, int n, int inner, const float* __restrict__ x,
                                                     const float* __restrict__ lse, const float* __restrict__ dy,
                                                     float* __restrict__ dx) {
  long long total = outer * n * inner;
  JOULE_FOR(j, total) {
    long long out = (j / ((long long)n * inner)) * inner + j % inner;
    dx[j] = dy[out] * expf(x[j] - lse[out]);
  }
}
