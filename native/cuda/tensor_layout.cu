// Layout kernels of GPU tensors: the GPU twins of the copies in dev.joule.engine.ops.Shapes
// (permute, narrow, concat) and of the length masks of dev.joule.engine.ops.Masking.
//
// Layouts. A GPU tensor is a row-major, contiguous run of 4-byte elements starting at an element
// offset inside its storage; the Java side passes each tensor as a pointer already advanced to
// its first element, so these kernels never see offsets. The copy kernels move 4-byte words
// (unsigned int), not floats, so they serve FLOAT32 and INT32 tensors alike and copy every bit
// pattern (NaN payloads included) unchanged.
//
//   joule_permute_u32      y = x with its dimensions reordered. The output is walked in
//                          row-major order; for each output element the source index is
//                          Σ_d idx_d·stride_d, where idx_d is the output coordinate along output
//                          axis d and stride_d the input stride of the input axis that output
//                          axis d comes from. Rank ≤ 6: shapes of lower rank are padded in front
//                          with dimensions of size 1 and stride 0, so the six dims and strides
//                          are plain scalar parameters (no device array to upload).
//   joule_copy_rows_u32    dst[r·dstStride + c] = src[r·srcStride + c] for r < rows and
//                          c < rowLen: one block of rowLen contiguous elements per row of a
//                          [outer, len·inner] view. Narrow along an inner dimension reads rows of
//                          stride n·inner and writes packed rows; its gradient and concat write
//                          packed rows into a wider output. (Single contiguous blocks, e.g. along
//                          dimension 0, go through cuMemcpyDtoDAsync instead.)
//   joule_length_mask_f32  out[b, t] = t < lengths[b] ? valid : padding, a [B, T] matrix built
//                          from int32 lengths already on the device (sequence masks with 1/0,
//                          attention biases with 0/−inf). Lengths are not range-checked: a
//                          length past T masks nothing, a negative one masks everything.
//
// Parallelisation: one thread per output element with a grid-stride loop (the launcher caps
// the grid at 65,535 blocks of 256 threads), so any size is covered and consecutive threads
// write consecutive addresses (coalesced stores). The loads of a permute are strided by the
// input stride of the last output axis; these are bandwidth-bound copies of activations and
// a tiled transpose is not worth its complexity at the sizes of a speech model.

#include "grid_stride.cuh"

// Output dims d0..d5 (d5 varies fastest) and, for each output axis, the stride of its input axis.
extern "C" __global__ void joule_permute_u32(long long n, int d0, int d1, int d2, int d3, int d4, int d5,
                                             long long s0, long long s1, long long s2, long long s3,
                                             long long s4, long long s5, const unsigned int* __restrict__ x,
                                             unsigned int* __restrict__ y) {
  JOULE_FOR(i, n) {
    long long rest = i;
    long long src = (rest % d5) * s5;
    rest /= d5;
    src += (rest % d4) * s4;
    rest /= d4;
    src += (rest % d3) * s3;
    rest /= d3;
    src += (rest % d2) * s2;
    rest /= d2;
    src += (rest % d1) * s1;
    rest /= d1;
    src += rest * s0;
    y[i] = x[src];
  }
}

// rows blocks of rowLen elements, read every srcStride elements and written every dstStride.
extern "C" __global__ void joule_copy_rows_u32(long long rows, long long rowLen, long long srcStride,
                                               long long dstStride, const unsigned int* __restrict__ src,
                                               unsigned int* __restrict__ dst) {
  JOULE_FOR(i, rows * rowLen) {
    long long r = i / rowLen;
    long long c = i - r * rowLen;
    dst[r * dstStride + c] = src[r * srcStride + c];
  }
}

// out [batch, steps]: valid where t < lengths[b], padding elsewhere.
extern "C" __global__ void joule_length_mask_f32(int batch, int steps, const int* __restrict__ lengths, float valid,
                                                 float padding, float* __restrict__ out) {
  JOULE_FOR(i, (long long)batch * steps) {
    long long b = i / steps;
    int t = (int)(i - b * steps);
    out[i] = t < lengths[b] ? valid : padding;
  }
}
