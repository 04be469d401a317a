// ctc_crf_loss.cu on the host emulation: statuses, losses, the total and the gradient of a small
// batch with a scored, a skipped, a forbidden, an unalignable and an invalid utterance.
#include "cuda_host.h"
#include "ctc_crf_loss.cu"
#include "check.h"

#include <random>

namespace {
void combine(unsigned gradientBlocks) {
  const int batch = 5, frames = 9, tokens = 4;
  std::mt19937 r(7);
  std::normal_distribution<float> normal(-1.f, 1.f);
  std::vector<float> x(batch * frames * tokens), numLogp(batch), denOcc(x.size()), numOcc(x.size()), grad(x.size(), 7.f);
  std::vector<double> denLogZ(batch), loss(batch);
  std::vector<int> lengths{9, 3, 9, 5, 7}, allowed{1, 1, 0, 1, 1}, status(batch);
  for (auto* v : {&x, &denOcc, &numOcc}) {
    for (float& e : *v) e = normal(r);
  }
  for (int b = 0; b < batch; b++) {
    numLogp[b] = -3.f - b;
    denLogZ[b] = -1.0 - 0.5 * b;
  }
  numLogp[3] = -CUDART_INF_F;                          // no CTC alignment: skipped
  x[(4 * frames + 6) * tokens + 2] = NAN;              // within utterance 4's length: invalid
  x[(1 * frames + 7) * tokens + 1] = NAN;              // utterance 1's padding: never read
  x[(0 * frames + 8) * tokens + 0] = -CUDART_INF_F;    // −∞ is a valid log-probability
  const double scale = 1.01;
  emulate::launch({(unsigned)batch}, {256}, [&] {
    joule_ctccrf_status(batch, frames, tokens, scale, lengths.data(), allowed.data(), x.data(), numLogp.data(),
                        denLogZ.data(), status.data(), loss.data());
  });
  std::vector<float> total(1);
  emulate::launch({1}, {1}, [&] { joule_ctccrf_total(batch, status.data(), loss.data(), total.data()); });
  long long n = x.size();
  emulate::launch({gradientBlocks}, {64}, [&] {
    joule_ctccrf_gradient(n, frames, tokens, scale, lengths.data(), status.data(), denOcc.data(), numOcc.data(), grad.data());
  });
  const int want[] = {0, 0, 1, 1, 2};
  double sum = 0;
  for (int b = 0; b < batch; b++) {
    check::expect(status[b] == want[b], "status of utterance " + std::to_string(b));
    double l = want[b] == 0 ? denLogZ[b] - scale * numLogp[b] : 0;
    check::expect(loss[b] == l, "loss of utterance " + std::to_string(b));
    sum += l;
  }
  check::expect(total[0] == (float)sum, "total");
  for (long long i = 0; i < n; i++) {
    int b = (int)(i / (frames * tokens));
    int t = (int)(i / tokens % frames);
    float g = want[b] == 0 && t < lengths[b] ? (float)((double)denOcc[i] - scale * (double)numOcc[i]) : 0.f;
    check::expect(grad[i] == g, "gradient element " + std::to_string(i));
  }
}
}  // namespace

int main(int argc, char** argv) {
  return check::run(argc, argv, {
      {"statuses, losses and gradient", [] { combine(8); }},
      {"gradient from a grid smaller than the batch", [] { combine(1); }},
  });
}
