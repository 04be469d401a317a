// The denominator's two kernel layouts on the host emulation: den_state_major.cu (the default) and
// den_forward_backward.cu, each driven by the launch sequence of GpuDenominator (runStateMajor,
// run) on a random graph and a ragged batch narrower than a warp, against the forward-backward
// written out in float64 (DenominatorReference's recursions).
#include "cuda_host.h"
#include "den_forward_backward.cu"
#include "den_state_major.cu"
#include "check.h"

#include <algorithm>
#include <random>

namespace {
struct Arc {
  int src, dst, token;
  float logProb;
};

// Arcs sorted by `key` in CSR form: start[s]..start[s+1] are the arcs whose key is s.
void csr(std::vector<Arc> arcs, int states, bool byDst, std::vector<int>& start, std::vector<int>& other,
         std::vector<int>& token, std::vector<float>& logProb) {
  std::stable_sort(arcs.begin(), arcs.end(), [&](const Arc& a, const Arc& b) { return (byDst ? a.dst < b.dst : a.src < b.src); });
  start.assign(states + 1, 0);
  for (const Arc& a : arcs) start[(byDst ? a.dst : a.src) + 1]++;
  for (int s = 0; s < states; s++) start[s + 1] += start[s];
  other.clear();
  token.clear();
  logProb.clear();
  for (const Arc& a : arcs) {
    other.push_back(byDst ? a.src : a.dst);
    token.push_back(a.token);
    logProb.push_back(a.logProb);
  }
}

double logAdd(double a, double b) {
  if (a == -INFINITY) return b;
  if (b == -INFINITY) return a;
  double m = std::max(a, b);
  return m + std::log1p(std::exp(-std::fabs(a - b)));
}

void denominator(bool stateMajor, int states, int tokens, std::vector<int> lengths, unsigned seed) {
  std::mt19937 r(seed);
  std::uniform_real_distribution<float> unit(0.05f, 1.f);
  std::vector<Arc> arcs;
  for (int s = 0; s < states; s++) {
    int out = 1 + r() % 4;
    for (int i = 0; i < out; i++) arcs.push_back({s, (int)(r() % states), (int)(r() % tokens), std::log(unit(r))});
  }
  std::vector<float> finalLogProb(states);
  for (int s = 0; s < states; s++) finalLogProb[s] = r() % 3 == 0 ? std::log(unit(r)) : -INFINITY;
  const int start = 0;
  std::vector<int> dstStart, dstArcSrc, dstArcToken, srcStart, srcArcDst, srcArcToken;
  std::vector<float> dstArcLogProb, srcArcLogProb;
  csr(arcs, states, true, dstStart, dstArcSrc, dstArcToken, dstArcLogProb);
  csr(arcs, states, false, srcStart, srcArcDst, srcArcToken, srcArcLogProb);

  int n = lengths.size();
  int frames = *std::max_element(lengths.begin(), lengths.end());
  std::vector<float> x = check::logSoftmaxRows(r, n * frames, tokens, 2.f);

  long long slice = (long long)n * states;
  int values = n * frames * tokens;
  std::vector<float> xt(values), alpha((frames + 1) * slice), norm((frames + 1) * n, 0.f), finalShift(n), betaA(slice),
      betaB(slice), occupancy(values, 0.f);
  std::vector<double> logZ(n);
  if (!stateMajor) {
    // GpuDenominator.run's launches: alpha [T+1][B][S], one block row per utterance.
    // Fewer threads than B·S values: the initialisation must stride over the grid.
    emulate::launch({2}, {256}, [&] { joule_den_alpha_init(n, states, start, alpha.data()); });
    unsigned stateBlocks = (states + 255) / 256;
    for (int t = 1; t <= frames; t++) {
      emulate::launch({stateBlocks, (unsigned)n}, {256}, [&] {
        joule_den_alpha_step(t, n, states, tokens, frames, lengths.data(), dstStart.data(), dstArcSrc.data(), dstArcToken.data(),
                             dstArcLogProb.data(), x.data(), norm.data() + (t - 1) * n, alpha.data() + (t - 1) * slice,
                             alpha.data() + t * slice);
      });
      emulate::launch({(unsigned)n}, {512}, [&] {
        joule_den_alpha_norm(t, n, states, lengths.data(), alpha.data() + t * slice, norm.data());
      });
    }
    emulate::launch({(unsigned)n}, {512}, [&] {
      joule_den_logz(n, states, lengths.data(), alpha.data(), norm.data(), finalLogProb.data(), finalShift.data(), logZ.data());
    });
    float* cur = betaA.data();
    float* prev = betaB.data();
    for (int t = frames; t >= 1; t--) {
      emulate::launch({stateBlocks, (unsigned)n}, {256}, [&] {
        joule_den_beta_step(t, n, states, tokens, frames, lengths.data(), srcStart.data(), srcArcDst.data(), srcArcToken.data(),
                            srcArcLogProb.data(), finalLogProb.data(), x.data(), alpha.data(), norm.data(), finalShift.data(), cur,
                            prev, occupancy.data());
      }, (size_t)tokens * sizeof(float));
      std::swap(cur, prev);
    }
  } else {
  // GpuDenominator.runStateMajor's launches: alpha [T+1][S][B], x transposed to [T][V][B].
  unsigned groups = (n + LANES - 1) / LANES;
  emulate::launch({2}, {256}, [&] { joule_densm_transpose_x(n, frames, tokens, x.data(), xt.data()); });
  emulate::launch({2}, {256}, [&] { joule_densm_alpha_init(n, states, start, alpha.data()); });
  emulate::launch({1}, {256}, [&] { joule_densm_norm_init((frames + 1LL) * n, n, norm.data()); });
  for (int t = 1; t <= frames; t++) {
    emulate::launch({groups, (unsigned)((states + WARPS - 1) / WARPS)}, {LANES, WARPS}, [&] {
      joule_densm_alpha_step(t, n, states, tokens, lengths.data(), dstStart.data(), dstArcSrc.data(), dstArcToken.data(),
                             dstArcLogProb.data(), xt.data(), norm.data(), alpha.data() + (t - 1) * slice, alpha.data() + t * slice);
    });
  }
  emulate::launch({groups}, {LANES, WARPS}, [&] {
    joule_densm_logz(n, states, lengths.data(), alpha.data(), norm.data(), finalLogProb.data(), finalShift.data(), logZ.data());
  });
  float* cur = betaA.data();
  float* prev = betaB.data();
  for (int t = frames; t >= 1; t--) {
    emulate::launch({groups, (unsigned)((states + STATES_PER_BLOCK - 1) / STATES_PER_BLOCK)}, {LANES, WARPS}, [&] {
      joule_densm_beta_step(t, n, states, tokens, frames, lengths.data(), srcStart.data(), srcArcDst.data(), srcArcToken.data(),
                            srcArcLogProb.data(), finalLogProb.data(), xt.data(), alpha.data(), norm.data(), finalShift.data(),
                            cur, prev, occupancy.data());
    }, (size_t)tokens * LANES * sizeof(float));
    std::swap(cur, prev);
  }
  }

  int feasible = 0;
  for (int b = 0; b < n; b++) {
    int len = lengths[b];
    std::vector<std::vector<double>> a(len + 1, std::vector<double>(states, -INFINITY));
    a[0][start] = 0;
    for (int t = 1; t <= len; t++)
      for (const Arc& arc : arcs)
        a[t][arc.dst] = logAdd(a[t][arc.dst], a[t - 1][arc.src] + arc.logProb + x[(b * frames + t - 1) * tokens + arc.token]);
    double z = -INFINITY;
    for (int s = 0; s < states; s++) z = logAdd(z, a[len][s] + finalLogProb[s]);
    std::string u = "utterance " + std::to_string(b);
    if (z == -INFINITY) {
      check::expect(logZ[b] == -INFINITY, u + ": no path gives -inf");
      continue;
    }
    feasible++;
    check::expect(std::fabs(logZ[b] - z) <= 2e-5 * std::max(1.0, std::fabs(z)) * std::sqrt(len),
                  u + ": log Z " + std::to_string(logZ[b]) + " vs " + std::to_string(z));
    std::vector<double> beta(finalLogProb.begin(), finalLogProb.end());
    std::vector<std::vector<double>> gamma(len, std::vector<double>(tokens, 0));
    for (int t = len; t >= 1; t--) {
      std::vector<double> before(states, -INFINITY);
      for (const Arc& arc : arcs) {
        double w = arc.logProb + x[(b * frames + t - 1) * tokens + arc.token] + beta[arc.dst];
        before[arc.src] = logAdd(before[arc.src], w);
        gamma[t - 1][arc.token] += std::exp(a[t - 1][arc.src] + w - z);
      }
      beta = before;
    }
    for (int t = 0; t < frames; t++)
      for (int v = 0; v < tokens; v++) {
        double want = t < len ? gamma[t][v] : 0;
        check::expect(std::fabs(occupancy[(b * frames + t) * tokens + v] - want) < 2e-4, u + ": occupancy");
      }
  }
  check::expect(feasible >= 2, "the random graph leaves at least two utterances with a path");
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"state-major, ragged batch narrower than a warp", [] { denominator(true, 40, 6, {6, 9, 1, 9, 4}, 3); }},
      {"state-major, more states than a backward block covers", [] { denominator(true, 150, 5, {7, 3, 7}, 11); }},
      {"utterance-major, ragged batch", [] { denominator(false, 40, 6, {6, 9, 1, 9, 4}, 3); }},
      {"utterance-major, more states than a block", [] { denominator(false, 300, 5, {7, 3, 7}, 11); }},
  });
}
