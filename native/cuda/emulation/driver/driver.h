// What the emulated cuBLAS (cublas.cc) uses of the emulated CUDA driver (cuda_driver.cc).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace emulate_driver {

// CUresult values the emulation returns (cuda.h's numbering).
enum Result : int {
  kSuccess = 0,
  kInvalidValue = 1,
  kOutOfMemory = 2,
  kNotInitialized = 3,
  kInvalidDevice = 101,
  kInvalidContext = 201,
  kInvalidPtx = 218,
  kInvalidHandle = 400,
  kNotFound = 500,
  kNotSupported = 801,
  kStreamCaptureUnsupported = 900,
  kStreamCaptureUnmatched = 903,
  kStreamCaptureUnjoined = 904,
};

// Runs `work` in stream order: now, or, while `stream` is being captured, when the graph replays.
int submit(void* stream, std::function<void()> work);

// Whether [p, p + bytes) lies inside one device allocation.
bool is_device_range(const void* p, size_t bytes);

// Whether kernels and GEMMs are only checked and counted, not run (JOULE_EMULATED_GPU_SKIP_WORK).
bool skip_work();

// Counts one call of `function` for the exit report.
void count_call(const char* function);

// Prints "emulated CUDA: <what>" to stderr, so the reason for an error code reaches the test log.
void report(const char* function, const std::string& what);

}  // namespace emulate_driver
