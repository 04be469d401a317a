"""Joins Joule's and PyTorch's SGEMM JSON lines into the Markdown table for RESULTS.md."""
import json
import sys


def load(path):
    rows = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    r = json.loads(line)
                    rows[r["n"]] = r
    except FileNotFoundError:
        pass
    return rows


joule, torch = load(sys.argv[1]), load(sys.argv[2])
print("| n | Joule JCublas2 TFLOP/s (median, min-max) | torch.matmul TFLOP/s (median, min-max) | Joule / torch |")
print("|---|---|---|---|")
for n in sorted(joule):
    j = joule[n]
    t = torch.get(n)
    ratio = f"{j['tflops_median'] / t['tflops_median']:.3f}" if t else "n/a"
    tcell = f"{t['tflops_median']:.1f} ({t['tflops_min']:.1f}-{t['tflops_max']:.1f})" if t else "not measured"
    print(f"| {n} | {j['tflops_median']:.1f} ({j['tflops_min']:.1f}-{j['tflops_max']:.1f}) | {tcell} | {ratio} |")
