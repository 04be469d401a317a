"""PyTorch eager's 12-block Conformer (d = 256) training step: the peer figure for Joule's
Conformer step on GPU tensors (dev.joule.bench.ConformerGpuBenchmark, run beside it by run.sh).

The block mirrors dev.joule.engine.nn.ConformerBlock: half-step feed-forward (LayerNorm, Linear
d->4d, SiLU, Linear 4d->d), multi-head self-attention (4 heads) with sinusoidal positions added to
the normalised input, convolution module (LayerNorm, pointwise d->2d, GLU, depthwise kernel 15,
BatchNorm, SiLU, pointwise d->d), second half-step feed-forward, final LayerNorm. Dropout 0.1.
Input: batch 32 x 500 frames x 256 features, full length; loss: mean square of the output (the
step's cost is the encoder's). Adam, TF32 off, 3 warm-up steps, median of the timed steps.

Usage: python3 torch_conformer.py [batch] [frames] [timed_steps] [blocks]
"""
import json
import math
import sys
import time

import torch
from torch import nn

WARMUP = 3


class FeedForward(nn.Module):
    def __init__(self, d, p):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.SiLU(), nn.Dropout(p),
                                 nn.Linear(4 * d, d), nn.Dropout(p))

    def forward(self, x):
        return self.net(x)


class Attention(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.drop = nn.Dropout(p)

    def forward(self, x, pe):
        h = self.norm(x) + pe
        return self.drop(self.attn(h, h, h, need_weights=False)[0])


class ConvModule(nn.Module):
    def __init__(self, d, kernel, p):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.pw1 = nn.Linear(d, 2 * d)
        self.dw = nn.Conv1d(d, d, kernel, padding=kernel // 2, groups=d)
        self.bn = nn.BatchNorm1d(d)
        self.pw2 = nn.Linear(d, d)
        self.drop = nn.Dropout(p)

    def forward(self, x):
        h = nn.functional.glu(self.pw1(self.norm(x)), dim=-1).transpose(1, 2)
        h = nn.functional.silu(self.bn(self.dw(h))).transpose(1, 2)
        return self.drop(self.pw2(h))


class Block(nn.Module):
    def __init__(self, d=256, heads=4, kernel=15, p=0.1):
        super().__init__()
        self.ff1 = FeedForward(d, p)
        self.attn = Attention(d, heads, p)
        self.conv = ConvModule(d, kernel, p)
        self.ff2 = FeedForward(d, p)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, pe):
        x = x + 0.5 * self.ff1(x)
        x = x + self.attn(x, pe)
        x = x + self.conv(x)
        x = x + 0.5 * self.ff2(x)
        return self.norm(x)


def sinusoidal(length, d, device):
    t = torch.arange(length, device=device, dtype=torch.float32).unsqueeze(1)
    i = torch.arange(0, d, 2, device=device, dtype=torch.float32)
    angle = t / torch.pow(10000.0, i / d)
    pe = torch.zeros(length, d, device=device)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe


def main(batch=32, frames=500, timed=10, blocks=12):
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda:0")
    torch.manual_seed(1)
    model = nn.ModuleList([Block() for _ in range(blocks)]).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, frames, 256, device=device)
    pe = sinusoidal(frames, 256, device)
    times = []
    for step in range(WARMUP + timed):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        h = x
        for block in model:
            h = block(h, pe)
        loss = h.pow(2).mean()
        loss.backward()
        opt.step()
        torch.cuda.synchronize()
        if step >= WARMUP:
            times.append(time.perf_counter() - t0)
    times.sort()
    median = times[len(times) // 2]
    print(json.dumps({
        "bench": "conformer-train-step", "impl": "torch-eager", "device": torch.cuda.get_device_name(device),
        "torch": torch.__version__, "blocks": blocks, "d": 256, "batch": batch, "frames": frames,
        "step_ms_median": round(median * 1e3, 2), "frames_per_s": round(batch * frames / median),
        "timed_steps": len(times),
    }))


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
