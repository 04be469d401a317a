// The column-tile layout of the sums over the rows of a [rows, cols] matrix (bias gradients,
// batch-norm statistics): a block of 32 adjacent columns x JOULE_COLUMN_LANES row lanes takes one
// segment of rows; lane l reads rows l, l + LANES, ... of its column, so a warp reads 32 adjacent
// floats of a row, and the lanes' sums are added in lane order, the same bits every run. Used by
// joule_reduce_columns_f32 (tensor_math.cu), and through the pair helpers below (one or two sums
// at once, float64 partials, finished by ops.cu's joule_column_pair_finish) by batch_norm.cu,
// layer norm's parameter gradients, and the backward kernels that sum a bias's gradient while
// they write the gradient it is the column sum of (GLU and bias-SiLU in ops.cu, the residual
// branch's dropout in dropout.cu). The
// host plans segments and launches with the same numbers: GpuMathKernels.COLUMN_TILE and
// COLUMN_LANES must equal 32 and JOULE_COLUMN_LANES.
#pragma once

#define JOULE_COLUMN_LANES 8

// What block index `blk` of a column-tile launch covers in x [outer, rows, cols], summed over
// rows in segments of `chunk`: this thread's column of slice `outer`, and rows [r0, r1) of
// segment `segment` (tiles vary fastest, then segments, then outer slices).
struct joule_column_slice {
  long long outer;
  int segment;
  int column;
  long long r0;
  long long r1;
};

__device__ __forceinline__ joule_column_slice joule_column_slice_of(long long blk, long long rows, int cols, int chunk) {
  int tiles = (cols + 31) / 32;
  long long segments = (rows + chunk - 1) / chunk;
  long long rest = blk / tiles;
  joule_column_slice s;
  s.column = (int)(blk % tiles) * 32 + threadIdx.x;
  s.segment = (int)(rest % segments);
  s.outer = rest / segments;
  s.r0 = (long long)s.segment * chunk;
  s.r1 = rows - s.r0 < chunk ? rows : s.r0 + chunk;
  return s;
}

// Adds the block's lane sums of a and b in lane order; lane 0 of each column writes them to
// out_a[segment, c] and out_b[segment, c] (out_b null: a single sum; out_a null: none, for a
// kernel that computes its terms for their side effects alone).
__device__ __forceinline__ void joule_column_store_pair(double a, double b, joule_column_slice s, int cols,
                                                       double* __restrict__ out_a, double* __restrict__ out_b) {
  __shared__ double lane_a[JOULE_COLUMN_LANES][33];
  __shared__ double lane_b[JOULE_COLUMN_LANES][33];
  lane_a[threadIdx.y][threadIdx.x] = a;
  lane_b[threadIdx.y][threadIdx.x] = b;
  __syncthreads();
  if (threadIdx.y == 0 && s.column < cols && out_a != nullptr) {
    double sa = lane_a[0][threadIdx.x];
    double sb = lane_b[0][threadIdx.x];
    for (int l = 1; l < JOULE_COLUMN_LANES; l++) {
      sa += lane_a[l][threadIdx.x];
      sb += lane_b[l][threadIdx.x];
    }
    out_a[(long long)s.segment * cols + s.column] = sa;
    if (out_b != nullptr) {
      out_b[(long long)s.segment * cols + s.column] = sb;
    }
  }
  // The next slice reuses the shared arrays.
  __syncthreads();
}

// The partial pass of a pair of column sums over x [rows, cols], block (32, LANES), a grid-stride
// loop over segments x column tiles: for each slice, terms.column(c) once, then
// terms.add(r, i, a, b) for each of the lane's rows r (i = r * cols + c), and the lanes' sums go
// to out_a[segment, c] and out_b[segment, c]. Terms says what is summed (batch norm's statistics
// and gradients, layer norm's parameter gradients).
template <typename Terms>
__device__ __forceinline__ void joule_column_pair_partials(long long rows, int cols, int chunk, Terms terms,
                                                           double* __restrict__ out_a, double* __restrict__ out_b) {
  long long segments = (rows + chunk - 1) / chunk;
  long long blocks = segments * ((cols + 31) / 32);
  for (long long blk = blockIdx.x; blk < blocks; blk += gridDim.x) {
    joule_column_slice s = joule_column_slice_of(blk, rows, cols, chunk);
    double a = 0;
    double b = 0;
    if (s.column < cols) {
      terms.column(s.column);
#pragma unroll 4
      for (long long r = s.r0 + threadIdx.y; r < s.r1; r += JOULE_COLUMN_LANES) {
        terms.add(r, r * cols + s.column, a, b);
      }
    }
    joule_column_store_pair(a, b, s, cols, out_a, out_b);
  }
}

// Block (32, LANES) per 32 columns: row lane l adds segments l, l + LANES, ... of both partial
// sums (part_b null: a single sum, b = 0), and the lanes' totals are added in lane order; returns
// them in lane 0 (others get 0).
__device__ __forceinline__ void joule_column_total_pair(int column, int cols, int segments,
                                                        const double* __restrict__ part_a,
                                                        const double* __restrict__ part_b, double& a, double& b) {
  __shared__ double lane_a[JOULE_COLUMN_LANES][33];
  __shared__ double lane_b[JOULE_COLUMN_LANES][33];
  double sa = 0;
  double sb = 0;
  if (column < cols) {
    for (int s = threadIdx.y; s < segments; s += JOULE_COLUMN_LANES) {
      sa += part_a[(long long)s * cols + column];
      sb += part_b != nullptr ? part_b[(long long)s * cols + column] : 0.0;
    }
  }
  lane_a[threadIdx.y][threadIdx.x] = sa;
  lane_b[threadIdx.y][threadIdx.x] = sb;
  __syncthreads();
  a = 0;
  b = 0;
  if (threadIdx.y == 0) {
    for (int l = 0; l < JOULE_COLUMN_LANES; l++) {
      a += lane_a[l][threadIdx.x];
      b += lane_b[l][threadIdx.x];
    }
  }
}

// The finishing pass of a pair of column sums: out_a[c] and out_b[c] as floats, from the segments'
// float64 partial sums (part_b and out_b null: a single sum). Block (32, LANES) per 32 columns,
// one block per tile.
__device__ __forceinline__ void joule_column_finish_pair(int cols, int segments, const double* __restrict__ part_a,
                                                         const double* __restrict__ part_b, float* __restrict__ out_a,
                                                         float* __restrict__ out_b) {
  int c = blockIdx.x * 32 + threadIdx.x;
  double a;
  double b;
  joule_column_total_pair(c, cols, segments, part_a, part_b, a, b);
  if (threadIdx.y == 0 && c < cols) {
    out_a[c] = (float)a;
    if (out_b != nullptr) {
      out_b[c] = (float)b;
    }
  }
}
