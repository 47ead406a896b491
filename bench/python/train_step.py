#!/usr/bin/env python3
"""Baseline for anglearn's training-step benchmark: the same network, batch, loss and optimiser in
PyTorch for Python, on synthetic input. Prints one JSON line with the same keys as
io.anglearn.bench.TrainStepBenchmark.

Usage: train_step.py ARCH CxHxW BATCH LOSS WARMUP ITERATIONS [--threads N] [--memory-format channels_last]
       [--autocast bf16]
ARCH: resnet20|resnet32|resnet44|resnet56|resnet110 (option-A shortcuts, as anglearn) | resnet18|resnet34
LOSS: arc (cosine head, z = k(pi/2 - theta), k = 4) | soft (linear head)
"""
import argparse
import json
import math
import resource
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("PyTorch is missing: on Debian, apt-get install python3-torch (bench/compare_train_step.py does it)")

from resnet_cifar import Net


def loss_fn(name, head, y, k=4.0, eps=1e-6):
    if name == "arc":
        theta = torch.acos(head.clamp(-1 + eps, 1 - eps))
        return F.cross_entropy(k * (math.pi / 2 - theta), y)
    return F.cross_entropy(head, y)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("arch"); p.add_argument("input"); p.add_argument("batch", type=int)
    p.add_argument("loss"); p.add_argument("warmup", type=int); p.add_argument("iterations", type=int)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--memory-format", choices=["contiguous", "channels_last"], default="contiguous",
                   help="contiguous (PyTorch's default, NCHW) or channels_last (NHWC in memory)")
    p.add_argument("--autocast", choices=["off", "bf16"], default="off",
                   help="bf16: run forward passes under torch.autocast('cpu', torch.bfloat16), the loss in float32")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    c, h, w = (int(v) for v in a.input.split("x"))
    net = Net(a.arch, c, 10, a.loss == "arc")
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=5e-4)
    x = torch.randn(a.batch, c, h, w)
    if a.memory_format == "channels_last":
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (a.batch,))
    fwd, bwd, upd, tot, ev = [], [], [], [], []
    faults0 = 0
    for it in range(-a.warmup, a.iterations):
        if it == 0:
            faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        net.train()
        t0 = time.perf_counter()
        xb = x.clone()  # anglearn copies each batch from the host; so does this
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.autocast == "bf16"):
            _, head = net(xb)
        loss = loss_fn(a.loss, head.float(), y)
        loss.item()
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        opt.zero_grad(set_to_none=False)
        t3 = time.perf_counter()
        net.eval()
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.autocast == "bf16"):
            _, head = net(x.clone())
            head.float().numpy()
        t4 = time.perf_counter()
        if it >= 0:
            fwd.append((t1 - t0) * 1e3); bwd.append((t2 - t1) * 1e3); upd.append((t3 - t2) * 1e3)
            tot.append((t3 - t0) * 1e3); ev.append((t4 - t3) * 1e3)
    med = statistics.median
    print(json.dumps({"impl": "pytorch-python", "torch": torch.__version__, "arch": a.arch, "input": a.input,
                      "batch": a.batch, "loss": a.loss, "memory_format": a.memory_format, "autocast": a.autocast, "forward_ms": round(med(fwd), 2),
                      "backward_ms": round(med(bwd), 2), "step_ms": round(med(upd), 2),
                      "train_ms": round(med(tot), 2), "eval_ms": round(med(ev), 2),
                      "train_images_per_s": round(a.batch * 1e3 / med(tot), 1),
                      "eval_images_per_s": round(a.batch * 1e3 / med(ev), 1),
                      "minor_faults_per_iteration": round(
                          (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0) / a.iterations)}))


if __name__ == "__main__":
    main()
