"""Summarises Nsight Compute per-kernel summaries (ncu --print-summary per-kernel --csv, metric
gpu__time_duration.sum) into a table of GPU time by kernel, one column per profiled program.

Usage: python3 kernel_table.py joule.csv torch.csv [top]
"""
import csv
import io
import sys


def kernel_times(path):
    """Kernel name -> (invocations, total ns), from an ncu per-kernel summary CSV."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [line for line in f if line.startswith('"')]
    times = {}
    for row in csv.DictReader(io.StringIO("".join(lines))):
        if row.get("Metric Name") != "gpu__time_duration.sum":
            continue
        name = row.get("Kernel Name") or row.get("Function Name") or "?"
        calls = int(float(row.get("Invocations", "0").replace(",", "")))
        # The summary gives the average per invocation; its unit is in the Metric Unit column.
        avg = float(row.get("Average", row.get("Metric Value", "0")).replace(",", ""))
        unit = row.get("Metric Unit", "nsecond")
        scale = {"nsecond": 1, "usecond": 1e3, "msecond": 1e6, "second": 1e9}.get(unit, 1)
        old = times.get(name, (0, 0.0))
        times[name] = (old[0] + calls, old[1] + calls * avg * scale)
    return times


def short(name, width=70):
    name = name.split("(")[0]
    return name if len(name) <= width else name[: width - 1] + "…"


def main(paths, top=25):
    for path in paths:
        try:
            times = kernel_times(path)
        except OSError as e:
            print(f"{path}: {e}")
            continue
        total = sum(t for _, t in times.values())
        calls = sum(c for c, _ in times.values())
        print(f"\n### {path}: {calls} kernels, {total / 1e6:.1f} ms of GPU time\n")
        print("| kernel | calls | ms | share |")
        print("|---|---|---|---|")
        for name, (c, t) in sorted(times.items(), key=lambda kv: -kv[1][1])[:top]:
            print(f"| {short(name)} | {c} | {t / 1e6:.2f} | {100 * t / total:.1f}% |")


if __name__ == "__main__":
    args = sys.argv[1:]
    top = int(args.pop()) if args and args[-1].isdigit() else 25
    main(args, top)
