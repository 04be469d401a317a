// A minimal check harness for the emulated kernel tests: named cases, a failure count, the exit
// status Make and the JUnit wrapper read, and the inputs several tests share.
#pragma once
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <cmath>
#include <random>

namespace check {
// rows × tokens log-softmax values of N(0, scale²) logits: what a network hands a loss.
inline std::vector<float> logSoftmaxRows(std::mt19937& r, int rows, int tokens, float scale) {
  std::normal_distribution<float> normal(0.f, scale);
  std::vector<float> x(rows * tokens);
  for (int row = 0; row < rows; row++) {
    double z = 0;
    for (int v = 0; v < tokens; v++) z += std::exp(x[row * tokens + v] = normal(r));
    for (int v = 0; v < tokens; v++) x[row * tokens + v] -= (float)std::log(z);
  }
  return x;
}


inline int failures = 0;

inline void expect(bool ok, const std::string& what) {
  if (!ok) {
    if (failures < 20) std::fprintf(stderr, "FAILED: %s\n", what.c_str());
    failures++;
  }
}

// Runs the cases named on the command line (all of them without arguments); returns the exit status.
inline int run(int argc, char** argv, const std::vector<std::pair<std::string, std::function<void()>>>& cases) {
  int ran = 0;
  for (auto& [name, body] : cases) {
    bool wanted = argc < 2;
    for (int i = 1; i < argc; i++) wanted |= name == argv[i];
    if (!wanted) continue;
    int before = failures;
    body();
    ran++;
    std::printf("%s %s\n", failures == before ? "ok  " : "FAIL", name.c_str());
  }
  if (ran == 0) {
    std::fprintf(stderr, "no such case\n");
    return 2;
  }
  return failures == 0 ? 0 : 1;
}
}  // namespace check
