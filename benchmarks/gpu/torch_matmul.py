"""PyTorch's torch.matmul SGEMM throughput, measured exactly as SgemmBenchmark measures Joule's.

Square float32 n x n products, TF32 off (PyTorch's default for matmul), so both sides run plain
FP32 cuBLAS SGEMM. For each n: one warm-up batch, then 7 timed batches of the same number of
products as the Java side (2e13 / 2n^3, at least 1), one synchronisation per batch; prints one
JSON object per size with the median and spread in TFLOP/s.

Usage: python3 torch_matmul.py N [N ...]
"""
import json
import sys
import time

import torch

REPETITIONS = 7


def main(sizes):
    torch.backends.cuda.matmul.allow_tf32 = False
    device = torch.device("cuda:0")
    name = torch.cuda.get_device_name(device)
    for n in sizes:
        gen = torch.Generator(device="cpu").manual_seed(n)
        a = torch.randn(n, n, generator=gen).to(device)
        b = torch.randn(n, n, generator=gen).to(device)
        c = torch.empty(n, n, device=device)
        batch = max(1, int(2e13 / (2.0 * n * n * n)))
        for _ in range(batch):
            torch.matmul(a, b, out=c)
        torch.cuda.synchronize()
        tflops = []
        for _ in range(REPETITIONS):
            t0 = time.perf_counter()
            for _ in range(batch):
                torch.matmul(a, b, out=c)
            torch.cuda.synchronize()
            seconds = time.perf_counter() - t0
            tflops.append(2.0 * n * n * n * batch / seconds / 1e12)
        tflops.sort()
        print(json.dumps({
            "bench": "sgemm", "impl": "torch.matmul " + torch.__version__, "device": name, "n": n,
            "tflops_median": round(tflops[len(tflops) // 2], 3), "tflops_min": round(tflops[0], 3),
            "tflops_max": round(tflops[-1], 3), "repetitions": REPETITIONS,
        }), flush=True)


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [1024, 2048, 4096, 8192])
