// The grid-stride loop shared by the element-wise kernels: thread i of the launch handles
// elements i, i + gridSize, i + 2·gridSize, ... < n, so one launch (whose grid the Java side caps
// at 65,535 blocks, LaunchShape.linear) covers any n, and consecutive threads touch consecutive
// elements. Indices are 64-bit so tensors past 2^31 elements index correctly.
#pragma once

#define JOULE_FOR(i, n)                                                              \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); \
       i += (long long)gridDim.x * blockDim.x)
