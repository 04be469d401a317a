// elementwise.cu on the host emulation: fill and y = a·x + b·y.
#include "cuda_host.h"
#include "elementwise.cu"
#include "check.h"

namespace {
void fillAndAxpby() {
  const int n = 37;
  std::vector<float> x(n), y(n), filled(n + 1, 5.f);
  for (int i = 0; i < n; i++) {
    x[i] = i * 0.25f - 3;
    y[i] = 2.f - i;
  }
  auto before = y;
  emulate::launch({2}, {8}, [&] { joule_fill_f32(n, -1.5f, filled.data()); });
  emulate::launch({2}, {8}, [&] { joule_axpby_f32(n, 0.5f, x.data(), -2.f, y.data()); });
  for (int i = 0; i < n; i++) {
    check::expect(filled[i] == -1.5f, "filled element");
    check::expect(y[i] == std::fmaf(0.5f, x[i], -2.f * before[i]), "axpby element");
  }
  check::expect(filled[n] == 5.f, "nothing filled past n");
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {{"fill and axpby", fillAndAxpby}});
}
