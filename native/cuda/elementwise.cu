// Element-wise float32 kernels: the first kernels the GPU runtime loads from PTX.
//
// They are deliberately simple (one thread per element, grid-stride loop so any
// grid size covers any n) and serve two purposes: they prove the PTX build and
// launch path end to end, and they are the building blocks the tensor engine
// uses for fills and scaled accumulation (y <- a*x + b*y, the update at the
// heart of SGD and gradient accumulation).
//
// Launch: any 1-D grid; 256 threads per block is a good default on sm_80+.
// Names are extern "C" so the PTX entry points keep their source names.

extern "C" __global__ void joule_fill_f32(long long n, float value, float* __restrict__ out) {
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
       i += (long long)gridDim.x * blockDim.x) {
    out[i] = value;
  }
}

// y[i] <- a * x[i] + b * y[i]
extern "C" __global__ void joule_axpby_f32(long long n, float a, const float* __restrict__ x,
                                           float b, float* __restrict__ y) {
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
       i += (long long)gridDim.x * blockDim.x) {
    y[i] = fmaf(a, x[i], b * y[i]);
  }
}
