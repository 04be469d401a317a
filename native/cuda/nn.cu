// Row-wise kernels for layers on the GPU: bias add and its gradient, log-softmax and its
// gradient, softmax cross-entropy against integer targets, and the Adam update. Each has a CPU
// twin in dev.joule.engine.ops / dev.joule.engine.optim that the GPU tests compare against.
//
// Row kernels use one thread per row or column with a grid-stride loop; the rows of a speech
// model's output layer are short (tens to a few thousand tokens), so this is bandwidth-bound
// and simple. Reductions accumulate in float32 like cuBLAS.

// x[r, c] += bias[c] for a row-major [rows, cols] matrix.
extern "C" __global__ void joule_add_bias_rows(long long rows, int cols, const float* __restrict__ bias,
                                               float* __restrict__ x) {
  long long n = rows * cols;
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
       i += (long long)gridDim.x * blockDim.x) {
    x[i] += bias[i % cols];
  }
}

// out[c] (+)= Σ_r x[r, c]: the gradient of a bias added to every row.
extern "C" __global__ void joule_column_sum(long long rows, int cols, const float* __restrict__ x,
                                            float* __restrict__ out, int accumulate) {
  for (int c = blockIdx.x * blockDim.x + threadIdx.x; c < cols; c += gridDim.x * blockDim.x) {
    float s = 0.f;
    for (long long r = 0; r < rows; r++) {
      s += x[r * cols + c];
    }
    out[c] = accumulate ? out[c] + s : s;
  }
}

// y[r, :] = x[r, :] - logsumexp(x[r, :]), stable: the maximum is subtracted first.
extern "C" __global__ void joule_log_softmax_rows(long long rows, int cols, const float* __restrict__ x,
                                                  float* __restrict__ y) {
  for (long long r = blockIdx.x * (long long)blockDim.x + threadIdx.x; r < rows;
       r += (long long)gridDim.x * blockDim.x) {
    const float* xr = x + r * cols;
    float m = -INFINITY;
    for (int c = 0; c < cols; c++) {
      m = fmaxf(m, xr[c]);
    }
    if (m == -INFINITY) {
      m = 0.f;
    }
    float z = 0.f;
    for (int c = 0; c < cols; c++) {
      z += __expf(xr[c] - m);
    }
    float lz = m + logf(z);
    for (int c = 0; c < cols; c++) {
      // A row with every entry −inf (fully masked) has log-probabilities −inf, as on the CPU, not −inf − (−inf).
      y[r * cols + c] = lz == -INFINITY ? -INFINITY : xr[c] - lz;
    }
  }
}

// dx = dy - exp(y)·Σ dy, the gradient of log-softmax given its output y.
extern "C" __global__ void joule_log_softmax_rows_bwd(long long rows, int cols, const float* __restrict__ y,
                                                      const float* __restrict__ dy, float* __restrict__ dx) {
  for (long long r = blockIdx.x * (long long)blockDim.x + threadIdx.x; r < rows;
       r += (long long)gridDim.x * blockDim.x) {
    float s = 0.f;
    for (int c = 0; c < cols; c++) {
      s += dy[r * cols + c];
    }
    for (int c = 0; c < cols; c++) {
      long long i = r * cols + c;
      dx[i] = dy[i] - __expf(y[i]) * s;
    }
  }
}

// Per row: loss[r] = -log softmax(x[r])[target[r]] and grad[r, :] = scale·(softmax(x[r]) - onehot).
extern "C" __global__ void joule_softmax_xent_rows(long long rows, int cols, const float* __restrict__ x,
                                                   const int* __restrict__ target, float scale,
                                                   float* __restrict__ grad, float* __restrict__ loss) {
  for (long long r = blockIdx.x * (long long)blockDim.x + threadIdx.x; r < rows;
       r += (long long)gridDim.x * blockDim.x) {
    const float* xr = x + r * cols;
    float m = -INFINITY;
    for (int c = 0; c < cols; c++) {
      m = fmaxf(m, xr[c]);
    }
    float z = 0.f;
    for (int c = 0; c < cols; c++) {
      z += __expf(xr[c] - m);
    }
    float lz = m + logf(z);
    int t = target[r];
    loss[r] = lz - xr[t];
    for (int c = 0; c < cols; c++) {
      grad[r * cols + c] = scale * (__expf(xr[c] - lz) - (c == t ? 1.f : 0.f));
    }
  }
}

// One Adam step of element i with bias corrections c1 = 1-β1^t, c2 = 1-β2^t; weight decay
// decoupled (AdamW) or added to the gradient (L2).
__device__ __forceinline__ void joule_adam_one(long long i, float lr, float beta1, float beta2, float eps, float c1,
                                               float c2, float weightDecay, int decoupled, float* __restrict__ w,
                                               const float* __restrict__ g, float* __restrict__ m,
                                               float* __restrict__ v) {
  float wi = w[i];
  float gi = g[i];
  if (decoupled) {
    wi -= lr * weightDecay * wi;
  } else {
    gi += weightDecay * wi;
  }
  float mi = beta1 * m[i] + (1.f - beta1) * gi;
  float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
  m[i] = mi;
  v[i] = vi;
  w[i] = wi - lr * (mi / c1) / (sqrtf(vi / c2) + eps);
}

// One Adam step of one parameter of n elements.
extern "C" __global__ void joule_adam_f32(long long n, float lr, float beta1, float beta2, float eps, float c1,
                                          float c2, float weightDecay, int decoupled, float* __restrict__ w,
                                          const float* __restrict__ g, float* __restrict__ m,
                                          float* __restrict__ v) {
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
       i += (long long)gridDim.x * blockDim.x) {
    joule_adam_one(i, lr, beta1, beta2, eps, c1, c2, weightDecay, decoupled, w, g, m, v);
  }
}

// One Adam step of many parameters in one launch (a model's few hundred parameters would
// otherwise be a few hundred launches, most of them a block or two of work). Parameter p's
// weights, gradient and moments are at w[p], g[p], m[p], v[p] (tables of device addresses), its
// size sizes[p] and its bias corrections c1[p], c2[p] (steps can differ between parameters).
// The work is cut into chunks of at most `chunk` elements of one parameter: chunk c covers
// elements [start[c], min(start[c] + chunk, sizes[p])) of parameter p = param[c]. A block takes a
// chunk at a time (grid-stride over chunks), its threads striding over the elements.
extern "C" __global__ void joule_adam_multi_f32(int chunks, int chunk, const int* __restrict__ param,
                                                const int* __restrict__ start, const int* __restrict__ sizes,
                                                const float* __restrict__ c1, const float* __restrict__ c2, float lr,
                                                float beta1, float beta2, float eps, float weightDecay, int decoupled,
                                                float* const* __restrict__ w, const float* const* __restrict__ g,
                                                float* const* __restrict__ m, float* const* __restrict__ v) {
  for (int c = blockIdx.x; c < chunks; c += gridDim.x) {
    int p = param[c];
    long long end = min((long long)start[c] + chunk, (long long)sizes[p]);
    for (long long i = start[c] + threadIdx.x; i < end; i += blockDim.x) {
      joule_adam_one(i, lr, beta1, beta2, eps, c1[p], c2[p], weightDecay, decoupled, w[p], g[p], m[p], v[p]);
    }
  }
}

// Threads per block of the two float64 sums below: a power of two, which their shared-memory
// tree needs; GpuSquaredNorm launches exactly this many.
#define JOULE_SUM_BLOCK 256

// The sum of one value per thread of a JOULE_SUM_BLOCK-thread block, by a tree in shared memory
// (the same order every run); thread 0 receives it. Every thread must call it.
__device__ __forceinline__ double joule_block_sum_f64(double v) {
  __shared__ double sums[JOULE_SUM_BLOCK];
  sums[threadIdx.x] = v;
  __syncthreads();
  for (int half = JOULE_SUM_BLOCK / 2; half > 0; half >>= 1) {
    if ((int)threadIdx.x < half) {
      sums[threadIdx.x] += sums[threadIdx.x + half];
    }
    __syncthreads();
  }
  double total = sums[0];
  // The next call reuses the shared array.
  __syncthreads();
  return total;
}

// Σ x² over many tensors (a global gradient norm), chunked like joule_adam_multi_f32: block c
// sums chunk c's squares in float64 and writes partial[c].
extern "C" __global__ void joule_sum_squares_multi_f32(int chunks, int chunk, const int* __restrict__ param,
                                                       const int* __restrict__ start, const int* __restrict__ sizes,
                                                       const float* const* __restrict__ x, double* __restrict__ partial) {
  for (int c = blockIdx.x; c < chunks; c += gridDim.x) {
    int p = param[c];
    long long end = min((long long)start[c] + chunk, (long long)sizes[p]);
    double s = 0;
    for (long long i = start[c] + threadIdx.x; i < end; i += blockDim.x) {
      double v = x[p][i];
      s += v * v;
    }
    double total = joule_block_sum_f64(s);
    if (threadIdx.x == 0) {
      partial[c] = total;
    }
  }
}

// out[0] = Σ x[0..n) in float64 by one block of JOULE_SUM_BLOCK threads, in the same order every run.
extern "C" __global__ void joule_sum_f64(int n, const double* __restrict__ x, double* __restrict__ out) {
  double s = 0;
  for (int i = threadIdx.x; i < n; i += blockDim.x) {
    s += x[i];
  }
  double total = joule_block_sum_f64(s);
  if (threadIdx.x == 0) {
    out[0] = total;
  }
}
