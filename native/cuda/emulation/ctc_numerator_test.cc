// ctc_numerator.cu on the host emulation, against brute force: every token path of every
// utterance is enumerated, the paths that collapse to the labels are summed, and the per-frame
// token posteriors are counted directly.
#include "cuda_host.h"
#include "ctc_numerator.cu"
#include "check.h"

#include <random>

namespace {
// log p and occupancy [T][V] of `labels` over frames [0, len) of x (row-major [len][V]), by enumeration.
void bruteForce(const std::vector<float>& x, int len, int tokens, const std::vector<int>& labels, double& logp,
                std::vector<double>& occupancy) {
  std::vector<int> path(len, 0);
  double total = 0;
  occupancy.assign(len * tokens, 0.0);
  while (true) {
    std::vector<int> collapsed;
    for (int t = 0; t < len; t++) {
      if (path[t] != 0 && (t == 0 || path[t] != path[t - 1])) collapsed.push_back(path[t]);
    }
    if (collapsed == labels) {
      double lp = 0;
      for (int t = 0; t < len; t++) lp += x[t * tokens + path[t]];
      double p = std::exp(lp);
      total += p;
      for (int t = 0; t < len; t++) occupancy[t * tokens + path[t]] += p;
    }
    int t = 0;
    while (t < len && ++path[t] == tokens) path[t++] = 0;
    if (t == len) break;
  }
  logp = total > 0 ? std::log(total) : -INFINITY;
  for (double& o : occupancy) o = total > 0 ? o / total : 0;
}

void numerator() {
  const int batch = 4, tokens = 4, frames = 7;
  std::vector<int> lengths{7, 5, 3, 6};
  // The third needs 4 frames (a blank between the repeated 1s) and has 3: it cannot be aligned.
  std::vector<std::vector<int>> labels{{1, 2, 2}, {3}, {1, 1, 2}, {}};
  int maxLabels = 3;
  std::vector<int> labelLengths(batch), padded(batch * maxLabels, 0);
  for (int b = 0; b < batch; b++) {
    labelLengths[b] = labels[b].size();
    for (size_t i = 0; i < labels[b].size(); i++) padded[b * maxLabels + i] = labels[b][i];
  }
  std::mt19937 r(5);
  std::vector<float> x = check::logSoftmaxRows(r, batch * frames, tokens, 1.5f);
  int positions = 2 * maxLabels + 1;
  std::vector<float> alpha(frames * batch * positions), logp(batch), betaA(batch * positions), betaB(batch * positions),
      occupancy(batch * frames * tokens, 0.f);
  emulate::launch({(unsigned)batch}, {32}, [&] {
    joule_ctc_alpha(batch, positions, tokens, frames, maxLabels, lengths.data(), labelLengths.data(), padded.data(), x.data(),
                    alpha.data(), logp.data());
  });
  emulate::launch({(unsigned)batch}, {32}, [&] {
    joule_ctc_beta(batch, positions, tokens, frames, maxLabels, lengths.data(), labelLengths.data(), padded.data(), x.data(),
                   alpha.data(), logp.data(), betaA.data(), betaB.data(), occupancy.data());
  });
  for (int b = 0; b < batch; b++) {
    std::vector<float> xb(x.begin() + b * frames * tokens, x.begin() + (b * frames + lengths[b]) * tokens);
    double want;
    std::vector<double> occ;
    bruteForce(xb, lengths[b], tokens, labels[b], want, occ);
    std::string u = "utterance " + std::to_string(b);
    if (std::isinf(want)) {
      check::expect(logp[b] == -INFINITY, u + ": log p of an unalignable utterance is -inf");
    } else {
      check::expect(std::fabs(logp[b] - want) < 1e-4, u + ": log p " + std::to_string(logp[b]) + " vs " + std::to_string(want));
    }
    for (int t = 0; t < frames; t++) {
      for (int v = 0; v < tokens; v++) {
        double w = t < lengths[b] ? occ[t * tokens + v] : 0;
        check::expect(std::fabs(occupancy[(b * frames + t) * tokens + v] - w) < 1e-4, u + ": occupancy");
      }
    }
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {{"log p and occupancies against every path", numerator}});
}
