// The column-tile layout of the sums over the rows of a [rows, cols] matrix (bias gradients,
// batch-norm statistics): a block of 32 adjacent columns x JOULE_COLUMN_LANES row lanes takes one
// segment of rows; lane l reads rows l, l + LANES, ... of its column, so a warp reads 32 adjacent
// floats of a row, and the lanes' sums are added in lane order, the same bits every run. Used by
// joule_reduce_columns_f32 (tensor_math.cu) and batch_norm.cu. The host plans segments and
// launches with the same numbers: GpuMathKernels.COLUMN_TILE and COLUMN_LANES must equal 32 and
// JOULE_COLUMN_LANES.
#pragma once

#define JOULE_COLUMN_LANES 8
