"""Markdown rows for training-step benchmarks: Joule's JSON line next to PyTorch's.

Usage: python3 step_table.py JOULE.jsonl TORCH.jsonl
Each file holds JSON lines with "bench", "batch", "frames", "step_ms_median" and "frames_per_s"
(lines that are not JSON, such as "PyTorch ... not available", are skipped).
"""
import datetime
import json
import sys


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def main(joule_path, torch_path):
    joule = read(joule_path)
    torch = {(r["bench"], r["batch"], r["frames"]): r for r in read(torch_path)}
    date = datetime.date.today().isoformat()
    print("| date | device | step | batch × frames | Joule ms/step | PyTorch ms/step | Joule frames/s | PyTorch frames/s | PyTorch / Joule time |")
    print("|---|---|---|---|---|---|---|---|---|")
    for j in joule:
        t = torch.get((j["bench"], j["batch"], j["frames"]))
        t_ms = f'{t["step_ms_median"]:.1f}' if t else "—"
        t_fps = f'{t["frames_per_s"]:,}' if t else "—"
        ratio = f'{t["step_ms_median"] / j["step_ms_median"]:.2f}' if t else "—"
        print(f'| {date} | {j.get("device", "?")} | {j["bench"]} | {j["batch"]} × {j["frames"]} | '
              f'{j["step_ms_median"]:.1f} | {t_ms} | {j["frames_per_s"]:,.0f} | {t_fps} | {ratio} |')


if __name__ == "__main__":
    main(*sys.argv[1:3])
