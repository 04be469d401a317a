// Online log-sum-exp in float32, shared by the denominator kernels.
//
// After add(v_1) ... add(v_n), max + log(sum) = log sum_i exp(v_i), with one expf per value and
// no overflow: sum stays in [1, n] because every term is scaled by exp(-max). -inf values (no
// path) are skipped, so (-inf) - (-inf) never produces a NaN; an accumulator that saw only -inf
// has value() = -inf. merge() adds another accumulator's (max, sum).
#pragma once

#include <math_constants.h>

struct LogSum {
  float max;
  float sum;
  __device__ LogSum() : max(-CUDART_INF_F), sum(0.f) {}
  __device__ void add(float v) {
    if (v == -CUDART_INF_F) return;
    if (v > max) {
      sum = sum * __expf(max - v) + 1.f;
      max = v;
    } else {
      sum += __expf(v - max);
    }
  }
  __device__ void merge(float m2, float s2) {
    if (m2 == -CUDART_INF_F) return;
    if (m2 > max) {
      sum = sum * __expf(max - m2) + s2;
      max = m2;
    } else {
      sum += s2 * __expf(m2 - max);
    }
  }
  __device__ float value() const { return max == -CUDART_INF_F ? -CUDART_INF_F : max + __logf(sum); }
};
