// lstm.cu on the host emulation: one LSTM direction (forward and reverse) over a ragged batch,
// driven as GpuLstm drives it (the recurrent product h·W_hh and dz·W_hhᵀ done here on the host
// where cuBLAS does it on the GPU), against a float64 LSTM, and its input gradient against
// central differences of that float64 LSTM.
#include "cuda_host.h"
#include "lstm.cu"
#include "check.h"

#include <random>

namespace {
const int B = 3, T = 5, H = 4, G = 4 * H;

// The float64 reference: out[b][t][j] of one direction, gates in the order i, f, g, o.
std::vector<double> reference(const std::vector<double>& xp, const std::vector<double>& whh, const std::vector<int>& lengths,
                              bool reverse) {
  std::vector<double> out(B * T * H, 0.0);
  for (int b = 0; b < B; b++) {
    std::vector<double> h(H, 0.0), c(H, 0.0);
    for (int s = 0; s < lengths[b]; s++) {
      int t = reverse ? lengths[b] - 1 - s : s;
      std::vector<double> z(G);
      for (int k = 0; k < G; k++) {
        z[k] = xp[(b * T + t) * G + k];
        for (int j = 0; j < H; j++) z[k] += h[j] * whh[j * G + k];
      }
      for (int j = 0; j < H; j++) {
        double gi = 1 / (1 + std::exp(-z[j])), gf = 1 / (1 + std::exp(-z[H + j]));
        double gg = std::tanh(z[2 * H + j]), go = 1 / (1 + std::exp(-z[3 * H + j]));
        c[j] = gf * c[j] + gi * gg;
        h[j] = go * std::tanh(c[j]);
        out[(b * T + t) * H + j] = h[j];
      }
    }
  }
  return out;
}

void direction(int reverse) {
  std::mt19937 r(7 + reverse);
  std::normal_distribution<float> normal(0.f, 0.7f);
  std::vector<int> lengths{5, 3, 1};
  std::vector<float> xp(B * T * G), whh(H * G), dout(B * T * H);
  for (float& v : xp) v = normal(r);
  for (float& v : whh) v = normal(r);
  for (float& v : dout) v = normal(r);
  // Forward, as GpuLstm: pre = h·W_hh, then the fused step.
  std::vector<float> hState(B * H, 0.f), cState(B * H, 0.f), pre(B * G), gates(T * B * G), hPrev(T * B * H), cPrev(T * B * H),
      cNew(T * B * H), out(B * T * H, 0.f);
  for (int s = 0; s < T; s++) {
    for (int b = 0; b < B; b++)
      for (int k = 0; k < G; k++) {
        float acc = 0;
        for (int j = 0; j < H; j++) acc += hState[b * H + j] * whh[j * G + k];
        pre[b * G + k] = acc;
      }
    emulate::launch({1}, {8}, [&] {
      joule_lstm_step_fwd(B, T, H, s, reverse, lengths.data(), xp.data(), pre.data(), gates.data(), hState.data(), cState.data(),
                          hPrev.data(), cPrev.data(), cNew.data(), out.data(), H, 0);
    });
  }
  std::vector<double> xd(xp.begin(), xp.end()), wd(whh.begin(), whh.end());
  std::vector<double> want = reference(xd, wd, lengths, reverse);
  for (int i = 0; i < B * T * H; i++) check::expect(std::fabs(out[i] - want[i]) < 1e-5, "output " + std::to_string(i));
  // Backward, as GpuLstm: the fused step, dh_tmp = dz·W_hhᵀ, carry.
  std::vector<float> dh(B * H, 0.f), dc(B * H, 0.f), dz(T * B * G), dxp(B * T * G, 0.f), dhTmp(B * H);
  for (int s = T - 1; s >= 0; s--) {
    emulate::launch({1}, {8}, [&] {
      joule_lstm_step_bwd(B, T, H, s, reverse, lengths.data(), dout.data(), H, 0, gates.data(), cNew.data(), cPrev.data(), dh.data(),
                          dc.data(), dz.data(), dxp.data());
    });
    for (int b = 0; b < B; b++)
      for (int j = 0; j < H; j++) {
        float acc = 0;
        for (int k = 0; k < G; k++) acc += dz[(s * B + b) * G + k] * whh[j * G + k];
        dhTmp[b * H + j] = acc;
      }
    emulate::launch({1}, {8}, [&] { joule_lstm_carry(B, H, s, lengths.data(), dhTmp.data(), dh.data()); });
  }
  // d(Σ out·dout)/d xp by central differences in float64.
  const double eps = 1e-5;
  for (int i = 0; i < B * T * G; i++) {
    std::vector<double> up(xd), down(xd);
    up[i] += eps;
    down[i] -= eps;
    std::vector<double> a = reference(up, wd, lengths, reverse), c = reference(down, wd, lengths, reverse);
    double g = 0;
    for (int k = 0; k < B * T * H; k++) g += (a[k] - c[k]) * dout[k];
    g /= 2 * eps;
    check::expect(std::fabs(dxp[i] - g) < 1e-4, "input gradient " + std::to_string(i) + ": " + std::to_string(dxp[i]) + " vs " + std::to_string(g));
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"forward direction over a ragged batch", [] { direction(0); }},
      {"reverse direction over a ragged batch", [] { direction(1); }},
  });
}
