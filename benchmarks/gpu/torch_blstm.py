"""PyTorch eager's BLSTM training step, measured exactly as BlstmGpuBenchmark measures Joule's.

Model: nn.LSTM(80, 320, num_layers=6, bidirectional=True, batch_first=True) (cuDNN), then
nn.Linear(640, 40), softmax cross-entropy against random targets (mean over frames), backward,
Adam(lr 1e-3). Batch 32 x 500 frames by default, all full length. TF32 off on both sides, so both
run plain FP32. 3 warm-up steps, then the timed steps, one synchronisation per step; prints one
JSON line with the median step time and frames per second.

Usage: python3 torch_blstm.py [batch] [frames] [timed_steps] [layers]
"""
import json
import sys
import time

import torch

WARMUP = 3


def main(batch=32, frames=500, timed=10, layers=6):
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda:0")
    torch.manual_seed(1)
    lstm = torch.nn.LSTM(80, 320, num_layers=layers, bidirectional=True, batch_first=True).to(device)
    head = torch.nn.Linear(640, 40).to(device)
    params = list(lstm.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.randn(batch, frames, 80, device=device)
    targets = torch.randint(0, 40, (batch * frames,), device=device)
    times = []
    loss = None
    for step in range(WARMUP + timed):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        h, _ = lstm(x)
        logits = head(h).reshape(-1, 40)
        loss = torch.nn.functional.cross_entropy(logits, targets)
        loss.backward()
        opt.step()
        torch.cuda.synchronize()
        if step >= WARMUP:
            times.append(time.perf_counter() - t0)
    times.sort()
    median = times[len(times) // 2]
    print(json.dumps({
        "bench": "blstm-train-step", "impl": "torch-eager", "device": torch.cuda.get_device_name(device),
        "torch": torch.__version__, "layers": layers, "hidden": 320, "batch": batch, "frames": frames,
        "step_ms_median": round(median * 1e3, 2), "step_ms_min": round(times[0] * 1e3, 2),
        "step_ms_max": round(times[-1] * 1e3, 2), "frames_per_s": round(batch * frames / median),
        "timed_steps": len(times), "loss": round(loss.item(), 4),
    }))


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
