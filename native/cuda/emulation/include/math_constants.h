// The constants of CUDA's math_constants.h that the kernels use, for the host emulation
// (cuda_host.h) on machines without the CUDA toolkit.
#pragma once
#define CUDART_INF_F __int_as_float(0x7f800000U)
#define CUDART_INF __longlong_as_double(0x7ff0000000000000ULL)
