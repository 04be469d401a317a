// An emulated cuBLAS (libcublas.so.12): the handful of entry points the engine reaches through
// JCublas2, computed on the host in float64 and queued on the emulated driver's streams, so the
// engine's GEMM calls (transposes, leading dimensions, offsets, strides, the row-major swap) are
// checked without a GPU. Matrices are column-major, as in cuBLAS; with beta = 0, C is written
// without being read, as cuBLAS promises (so NaN in an unwritten C does not leak through).
#include <algorithm>
#include <string>
#include <vector>

#include "driver.h"

namespace {

enum Status : int { kSuccess = 0, kNotInitialized = 1, kInvalidValue = 7, kExecutionFailed = 13, kNotSupported = 15 };
// CUBLAS_OP_C (2) is the transpose for real matrices; check_and_queue maps it to kTranspose.
enum Operation : int { kNoTranspose = 0, kTranspose = 1, kConjugateTranspose = 2 };

struct Handle {
  void* stream = nullptr;
};

// One column-major product C = alpha·op(A)·op(B) + beta·C. With alpha = 0, A and B are not read
// (the BLAS rule), so C = beta·C even where they hold NaN.
void gemm(int ta, int tb, int m, int n, int k, float alpha, const float* a, long long lda, const float* b, long long ldb,
          float beta, float* c, long long ldc) {
  std::vector<double> column(m);
  if (alpha == 0.f) k = 0;
  for (int j = 0; j < n; j++) {
    std::fill(column.begin(), column.end(), 0.0);
    for (int l = 0; l < k; l++) {
      double bl = tb == kNoTranspose ? b[l + j * ldb] : b[j + l * ldb];
      if (ta == kNoTranspose) {
        const float* al = a + l * lda;
        for (int i = 0; i < m; i++) column[i] += al[i] * bl;
      } else {
        for (int i = 0; i < m; i++) column[i] += a[l + i * lda] * bl;
      }
    }
    float* cj = c + j * ldc;
    for (int i = 0; i < m; i++) {
      double scaled = alpha * column[i];
      cj[i] = (float)(beta == 0.f ? scaled : scaled + (double)beta * cj[i]);
    }
  }
}

// The bytes a stored rows×cols column-major matrix with leading dimension ld spans.
size_t span_bytes(long long rows, long long cols, long long ld) {
  return rows == 0 || cols == 0 ? 0 : (size_t)((cols - 1) * ld + rows) * sizeof(float);
}

int check_and_queue(const char* function, Handle* h, int ta, int tb, int m, int n, int k, const float* alpha,
                    const float* a, long long lda, long long strideA, const float* b, long long ldb, long long strideB,
                    const float* beta, float* c, long long ldc, long long strideC, int batch) {
  if (h == nullptr) return kNotInitialized;
  if (ta == kConjugateTranspose) ta = kTranspose;
  if (tb == kConjugateTranspose) tb = kTranspose;
  if (m < 0 || n < 0 || k < 0 || batch < 0 || strideA < 0 || strideB < 0 || strideC < 0 ||
      (ta != kNoTranspose && ta != kTranspose) || (tb != kNoTranspose && tb != kTranspose)) {
    return kInvalidValue;
  }
  long long aRows = ta == kNoTranspose ? m : k, aCols = ta == kNoTranspose ? k : m;
  long long bRows = tb == kNoTranspose ? k : n, bCols = tb == kNoTranspose ? n : k;
  if (lda < std::max(1LL, aRows) || ldb < std::max(1LL, bRows) || ldc < std::max(1, m)) {
    emulate_driver::report(function, "a leading dimension is shorter than its matrix's column");
    return kInvalidValue;
  }
  if (m == 0 || n == 0 || batch == 0) return kSuccess;
  const char* names[] = {"A", "B", "C"};
  const void* starts[] = {a, b, c};
  size_t spans[] = {span_bytes(aRows, aCols, lda) + (size_t)(batch - 1) * strideA * sizeof(float),
                    span_bytes(bRows, bCols, ldb) + (size_t)(batch - 1) * strideB * sizeof(float),
                    span_bytes(m, n, ldc) + (size_t)(batch - 1) * strideC * sizeof(float)};
  bool reads = k > 0 && *alpha != 0.f;  // A and B are read only then
  for (int i = 0; i < 3; i++) {
    if (i < 2 && !reads) continue;
    if (spans[i] > 0 && !emulate_driver::is_device_range(starts[i], spans[i])) {
      emulate_driver::report(function, std::string("matrix ") + names[i] + " (" + std::to_string(spans[i]) +
                                           " bytes) is not inside one device allocation");
      return kInvalidValue;
    }
  }
  float al = *alpha, be = *beta;  // host pointers, read when the call is made
  emulate_driver::count_call(function);
  if (emulate_driver::skip_work()) return emulate_driver::submit(h->stream, [] {}) == 0 ? kSuccess : kExecutionFailed;
  int result = emulate_driver::submit(h->stream, [=] {
    for (int i = 0; i < batch; i++) {
      gemm(ta, tb, m, n, k, al, a + i * strideA, lda, b + i * strideB, ldb, be, c + i * strideC, ldc);
    }
  });
  return result == 0 ? kSuccess : kExecutionFailed;
}

}  // namespace

extern "C" {

int cublasCreate_v2(Handle** handle) {
  *handle = new Handle;
  return kSuccess;
}

int cublasDestroy_v2(Handle* handle) {
  delete handle;
  return kSuccess;
}

int cublasSetStream_v2(Handle* handle, void* stream) {
  if (handle == nullptr) return kNotInitialized;
  handle->stream = stream;
  return kSuccess;
}

int cublasGetStream_v2(Handle* handle, void** stream) {
  if (handle == nullptr) return kNotInitialized;
  *stream = handle->stream;
  return kSuccess;
}

int cublasGetVersion_v2(Handle*, int* version) {
  *version = 120600;
  return kSuccess;
}

// Scalars are always read from host memory here (CUBLAS_POINTER_MODE_HOST).
int cublasGetPointerMode_v2(Handle*, int* mode) {
  *mode = 0;
  return kSuccess;
}

int cublasSetPointerMode_v2(Handle*, int mode) { return mode == 0 ? kSuccess : kNotSupported; }

int cublasSetMathMode(Handle*, int) { return kSuccess; }

int cublasSgemm_v2(Handle* handle, int ta, int tb, int m, int n, int k, const float* alpha, const float* a, int lda,
                   const float* b, int ldb, const float* beta, float* c, int ldc) {
  return check_and_queue("cublasSgemm", handle, ta, tb, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);
}

int cublasSgemmStridedBatched(Handle* handle, int ta, int tb, int m, int n, int k, const float* alpha, const float* a,
                              int lda, long long strideA, const float* b, int ldb, long long strideB, const float* beta,
                              float* c, int ldc, long long strideC, int batch) {
  return check_and_queue("cublasSgemmStridedBatched", handle, ta, tb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
                         beta, c, ldc, strideC, batch);
}

}  // extern "C"
