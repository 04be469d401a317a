// The column-tile layout of the sums over the rows of a [rows, cols] matrix (bias gradients,
// batch-norm statistics): a block of 32 adjacent columns x JOULE_COLUMN_LANES row lanes takes one
// segment of rows; lane l reads rows l, l + LANES, ... of its column, so a warp reads 32 adjacent
// floats of a row, and the lanes' sums are added in lane order, the same bits every run. Used by
// joule_reduce_columns_f32 (tensor_math.cu) and batch_norm.cu. The host plans segments and
// launches with the same numbers: GpuMathKernels.COLUMN_TILE and COLUMN_LANES must equal 32 and
// JOULE_COLUMN_LANES.
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
