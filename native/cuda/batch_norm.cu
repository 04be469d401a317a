// Batch normalisation in training mode on the GPU: x [rows, cols] normalised per column (the
// channels) with the batch's mean and biased variance, then scaled and shifted,
//
//   mean_c = (1/N) sum_r x[r, c],   var_c = (1/N) sum_r x[r, c]^2 - mean_c^2,
//   s_c = 1 / sqrt(var_c + eps),    xhat = (x - mean_c) * s_c,    y = gamma_c * xhat + beta_c,
//
// and its gradient (N = rows; dbeta = sum_r dy, dgamma = sum_r dy * xhat):
//
//   dx = gamma_c * s_c / N * (N * dy - dbeta_c - xhat * dgamma_c).
//
// The CPU reference is the composition of mean, subtraction, square, ... in
// dev.joule.engine.ops.Ops.batchNormTraining, which the GPU tests compare against. Composed from
// tensor ops (two means, two subtractions, a square, three products, an add), the forward reads or
// writes the whole [rows, cols] activations 14 times and the backward over 20;
// here the forward reads x twice and writes y once, and the backward reads dy and x twice each and
// writes dx once.
//
// Column sums (the statistics; dbeta and dgamma) use the column-tile layout (column_tiles.cuh) of
// joule_reduce_columns_f32: a block of 32 columns x JOULE_COLUMN_LANES row lanes per segment of
// rows, lane sums added in lane order, partial sums per segment in float64; a second, small pass
// adds each column's segments the same way (lanes over segments, then in lane order).
// Every run gives the same bits, and the E[x^2] - mean^2 form keeps float64 accuracy. The
// element-wise passes run a warp along a row's columns, warps over rows (JOULE_FOR_WARP), so no
// thread divides to find its column.

#include "column_tiles.cuh"
#include "grid_stride.cuh"
#include "warp.cuh"

// Per segment of rows: the column sums of x and of x^2, in float64.
struct joule_bn_stats_terms {
  const float* x;
  __device__ void column(int) {}
  __device__ void add(long long, long long i, double& a, double& b) {
    double v = x[i];
    a += v;
    b += v * v;
  }
};

extern "C" __global__ void joule_bn_stats_partial(long long rows, int cols, int chunk, const float* __restrict__ x,
                                                  double* __restrict__ sum, double* __restrict__ squares) {
  joule_column_pair_partials(rows, cols, chunk, joule_bn_stats_terms{x}, sum, squares);
}

// Mean, biased variance and 1/sqrt(var + eps) per column from the segments' sums. Block
// (32, LANES) per 32 columns, one block per tile (the finishing pass reads segments x cols
// values: a few hundred kilobytes).
extern "C" __global__ void joule_bn_stats_finish(long long rows, int cols, int segments, float eps,
                                                 const double* __restrict__ sum, const double* __restrict__ squares,
                                                 float* __restrict__ mean, float* __restrict__ var,
                                                 float* __restrict__ inv_std) {
  int c = blockIdx.x * 32 + threadIdx.x;
  double a;
  double b;
  joule_column_total_pair(c, cols, segments, sum, squares, a, b);
  if (threadIdx.y == 0 && c < cols) {
    double m = a / rows;
    double v = fmax(b / rows - m * m, 0.0);
    mean[c] = (float)m;
    var[c] = (float)v;
    inv_std[c] = (float)(1.0 / sqrt(v + (double)eps));
  }
}

// y = (x - mean) * inv_std * gamma + beta; a warp per row, launched with 32 threads per row.
extern "C" __global__ void joule_bn_forward(long long rows, int cols, const float* __restrict__ x,
                                            const float* __restrict__ mean, const float* __restrict__ inv_std,
                                            const float* __restrict__ gamma, const float* __restrict__ beta,
                                            float* __restrict__ y) {
  JOULE_FOR_WARP(r, rows) {
    for (int c = threadIdx.x & 31; c < cols; c += 32) {
      long long i = r * cols + c;
      y[i] = (x[i] - mean[c]) * inv_std[c] * gamma[c] + beta[c];
    }
  }
}

// Per segment of rows: the column sums of dy and of dy * xhat, in float64.
struct joule_bn_backward_terms {
  const float* dy;
  const float* x;
  const float* mean;
  const float* inv_std;
  float m = 0.f;
  float k = 0.f;
  __device__ void column(int c) {
    m = mean[c];
    k = inv_std[c];
  }
  __device__ void add(long long, long long i, double& a, double& b) {
    float g = dy[i];
    a += g;
    b += (double)g * ((x[i] - m) * k);
  }
};

extern "C" __global__ void joule_bn_backward_partial(long long rows, int cols, int chunk, const float* __restrict__ dy,
                                                     const float* __restrict__ x, const float* __restrict__ mean,
                                                     const float* __restrict__ inv_std, double* __restrict__ sum_dy,
                                                     double* __restrict__ sum_dy_xhat) {
  joule_column_pair_partials(rows, cols, chunk, joule_bn_backward_terms{dy, x, mean, inv_std}, sum_dy, sum_dy_xhat);
}

// dx = gamma * inv_std / N * (N * dy - dbeta - xhat * dgamma), laid out like joule_bn_forward.
extern "C" __global__ void joule_bn_backward_dx(long long rows, int cols, const float* __restrict__ dy,
                                                const float* __restrict__ x, const float* __restrict__ mean,
                                                const float* __restrict__ inv_std, const float* __restrict__ gamma,
                                                const float* __restrict__ dbeta, const float* __restrict__ dgamma,
                                                float* __restrict__ dx) {
  float n = (float)rows;
  JOULE_FOR_WARP(r, rows) {
    for (int c = threadIdx.x & 31; c < cols; c += 32) {
      long long i = r * cols + c;
      float k = inv_std[c];
      float xhat = (x[i] - mean[c]) * k;
      dx[i] = gamma[c] * k / n * (n * dy[i] - dbeta[c] - xhat * dgamma[c]);
    }
  }
}
