"""torch.nn.functional.ctc_loss (forward + backward) on the CTC numerator benchmark's batch.

Same data as CtcNumeratorBenchmark: the den benchmark's log-softmax logits (B=64, T=400, V=40,
SplitMix64 seed 20240601 with Box-Muller normals) and 100-token labels (SplitMix64 seed 777,
token = 1 + next() mod 39). Times forward+backward (the gradient w.r.t. the log-probs is the
occupancy Joule computes), 3 warm-ups, median of the repetitions, one synchronisation per run.
Prints one JSON line; the sum of log-likelihoods must match Joule's "sum_logp".

Usage: python3 ctc_torch.py [repetitions]
"""
import json
import math
import sys
import time

import torch

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return ((self.next() >> 11) + 0.5) * 2.0 ** -53


def bench_logits(b, t, v):
    rng = SplitMix64(20240601)
    n = b * t * v
    values = []
    while len(values) < n:
        r = math.sqrt(-2 * math.log(rng.uniform()))
        angle = 2 * math.pi * rng.uniform()
        values.append(r * math.cos(angle))
        values.append(r * math.sin(angle))
    x = torch.tensor(values[:n], dtype=torch.float32).view(b, t, v)
    return torch.log_softmax(x.double(), dim=-1).float()


def main(repetitions):
    b, t, v, length = 64, 400, 40, 100
    rng = SplitMix64(777)
    labels = torch.tensor([[1 + rng.next() % (v - 1) for _ in range(length)] for _ in range(b)], dtype=torch.long)
    device = torch.device("cuda:0")
    logp = bench_logits(b, t, v).transpose(0, 1).contiguous().to(device).requires_grad_(True)  # (T, B, V)
    targets = labels.to(device)
    in_len = torch.full((b,), t, dtype=torch.long, device=device)
    tgt_len = torch.full((b,), length, dtype=torch.long, device=device)

    def run():
        logp.grad = None
        loss = torch.nn.functional.ctc_loss(logp, targets, in_len, tgt_len, blank=0, reduction="sum", zero_infinity=False)
        loss.backward()
        return loss

    for _ in range(3):
        run()
    torch.cuda.synchronize()
    times = []
    loss = None
    for _ in range(repetitions):
        t0 = time.perf_counter()
        loss = run()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    print(json.dumps({"bench": "ctc-numerator", "impl": "torch.ctc_loss " + torch.__version__,
                      "device": torch.cuda.get_device_name(device), "B": b, "T": t, "V": v, "L": length,
                      "ms_median": round(times[len(times) // 2], 3), "ms_min": round(times[0], 3),
                      "ms_max": round(times[-1], 3), "sum_logp": round(-loss.item(), 4),
                      "repetitions": repetitions}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
