// A minimal check harness for the emulated kernel tests: named cases, a failure count, and the
// exit status Make and the JUnit wrapper read.
#pragma once
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace check {
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
