// tensor_layout.cu on the host emulation: a permute of a 4-D tensor, strided row copies and the
// length mask, against index arithmetic written out directly.
#include "cuda_host.h"
#include "tensor_layout.cu"
#include "check.h"

namespace {
void permute() {
  // x [2, 3, 4, 5] permuted to y [5, 2, 4, 3]: y[a][b][c][d] = x[b][d][c][a].
  const int X[4] = {2, 3, 4, 5};
  std::vector<unsigned> x(120), y(120, 0);
  for (unsigned i = 0; i < 120; i++) x[i] = i * 7 + 1;
  long long xs[4] = {60, 20, 5, 1};  // x's strides
  // Output dims (padded to 6) and, per output axis, the stride of its input axis.
  emulate::launch({2}, {32}, [&] { joule_permute_u32(120, 1, 1, 5, 2, 4, 3, 0, 0, xs[3], xs[0], xs[2], xs[1], x.data(), y.data()); });
  int i = 0;
  for (int a = 0; a < X[3]; a++)
    for (int b = 0; b < X[0]; b++)
      for (int c = 0; c < X[2]; c++)
        for (int d = 0; d < X[1]; d++, i++) check::expect(y[i] == x[b * 60 + d * 20 + c * 5 + a], "permuted element " + std::to_string(i));
}

void copyRows() {
  std::vector<unsigned> src(5 * 9), dst(5 * 7, 99);
  for (unsigned i = 0; i < src.size(); i++) src[i] = i;
  emulate::launch({1}, {32}, [&] { joule_copy_rows_u32(5, 4, 9, 7, src.data() + 2, dst.data() + 1); });
  for (int r = 0; r < 5; r++)
    for (int c = 0; c < 7; c++) {
      unsigned want = c >= 1 && c < 5 ? src[r * 9 + 2 + c - 1] : 99u;
      check::expect(dst[r * 7 + c] == want, "row " + std::to_string(r) + ", column " + std::to_string(c));
    }
}

void lengthMask() {
  std::vector<int> lengths{3, 0, 6};
  std::vector<float> out(18);
  emulate::launch({1}, {32}, [&] { joule_length_mask_f32(3, 6, lengths.data(), 1.f, -INFINITY, out.data()); });
  for (int b = 0; b < 3; b++)
    for (int t = 0; t < 6; t++) check::expect(out[b * 6 + t] == (t < lengths[b] ? 1.f : -INFINITY), "mask");
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {{"permute", permute}, {"strided row copies", copyRows}, {"length mask", lengthMask}});
}
