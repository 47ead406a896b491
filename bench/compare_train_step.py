#!/usr/bin/env python3
"""Measures anglearn's training step against PyTorch for Python on the same network, batch, loss
and thread count, interleaved (anglearn, Python, anglearn, ...), and prints medians and ratios.

Usage: bench/compare_train_step.py [--reps 5] [--iterations 20] [--threads 2] [--variant LABEL:ARGS:JAVA_OPTS ...] [CASE ...]
CASE: ARCH:CxHxW:BATCH:LOSS, default resnet20:1x28x28:128:arc resnet20:3x32x32:128:arc resnet18:3x32x32:128:arc
--variant adds an anglearn configuration to the interleaving, e.g. what the speed-ups are worth:
  --variant "nchw:--memory-layout nchw:" --variant "glibc-defaults::-Danglearn.native.allocator=system"
Each variant's row gives its ratio to PyTorch. --py-variant LABEL:ARGS times another PyTorch
configuration in the same rounds, e.g. --py-variant "channels_last:--memory-format channels_last",
and adds anglearn's ratio to it.
Installs Debian's python3-torch with apt when it is missing. Run from the repository root.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def ensure_torch():
    if subprocess.run([PY, "-c", "import torch"], capture_output=True).returncode == 0:
        return
    if shutil.which("apt-get") is None:
        sys.exit("python3-torch is missing and apt-get is not available")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "python3-torch"], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def run_json(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--variant", action="append", default=[],
                   help="LABEL:BENCH-ARGS:JAVA-OPTS, another anglearn configuration timed in the same rounds")
    p.add_argument("cases", nargs="*", default=["resnet20:1x28x28:128:arc", "resnet20:3x32x32:128:arc",
                                                 "resnet18:3x32x32:128:arc"])
    p.add_argument("--py-variant", action="append", default=[],
                   help="LABEL:ARGS, another PyTorch configuration (arguments of train_step.py) timed in the same rounds")
    a = p.parse_args()
    ensure_torch()
    env = dict(os.environ)
    env["ANGLEARN_JAVA_OPTS"] = (env.get("ANGLEARN_JAVA_OPTS", "") + f" -Dai.djl.pytorch.num_threads={a.threads}").strip()
    subprocess.run([os.path.join(ROOT, "anglearn"), "--version"], check=True, cwd=ROOT, capture_output=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, threads={a.threads}, reps={a.reps}, iterations={a.iterations}")
    variants = [("anglearn", [], "")]
    for v in a.variant:
        parts = v.split(":")
        if len(parts) != 3 or not parts[0]:
            sys.exit(f"--variant {v!r}: expected LABEL:BENCH-ARGS:JAVA-OPTS")
        variants.append((parts[0], parts[1].split(), parts[2]))
    py_variants = [("PyTorch", [])]
    for v in a.py_variant:
        label, _, args = v.partition(":")
        if not label:
            sys.exit(f"--py-variant {v!r}: expected LABEL:ARGS")
        py_variants.append((label, args.split()))
    print("| case | anglearn | anglearn train img/s | PyTorch train img/s | ratio | anglearn eval img/s | PyTorch eval img/s | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for case in a.cases:
        arch, shape, batch, loss = case.split(":")
        j = {label: [] for label, _, _ in variants}
        pys = {label: [] for label, _ in py_variants}
        for _ in range(a.reps):
            for label, extra, opts in variants:
                venv = dict(env, ANGLEARN_JAVA_OPTS=(env["ANGLEARN_JAVA_OPTS"] + " " + opts).strip())
                j[label].append(run_json([os.path.join(ROOT, "anglearn"), "bench", "--arch", arch, "--input", shape,
                                          "--batch-size", batch, "--loss", loss, "--warmup", str(a.warmup),
                                          "--iterations", str(a.iterations)] + extra, venv))
            for label, extra in py_variants:
                pys[label].append(run_json([PY, os.path.join(ROOT, "bench", "python", "train_step.py"), arch, shape,
                                            batch, loss, str(a.warmup), str(a.iterations), "--threads",
                                            str(a.threads)] + extra))
        py = pys["PyTorch"]
        pt = statistics.median(r["train_images_per_s"] for r in py)
        pe = statistics.median(r["eval_images_per_s"] for r in py)
        for label, _, _ in variants:
            runs = j[label]
            jt = statistics.median(r["train_images_per_s"] for r in runs)
            je = statistics.median(r["eval_images_per_s"] for r in runs)
            print(f"| {arch} {shape} batch {batch} {loss} | {label} | {jt:.0f} | {pt:.0f} | {jt / pt:.2f} | {je:.0f} "
                  f"| {pe:.0f} | {je / pe:.2f} |")
        for label, _, _ in variants:
            runs = j[label]
            phases = " ".join(f"{k}={statistics.median(r[k] for r in runs):.1f}/{statistics.median(r[k] for r in py):.1f}"
                              for k in ("forward_ms", "backward_ms", "step_ms"))
            faults = (f" minor page faults per iteration={statistics.median(r.get('minor_faults_per_iteration', -1) for r in runs):.0f}"
                      f"/{statistics.median(r.get('minor_faults_per_iteration', -1) for r in py):.0f}")
            print(f"|  {label} ms per batch vs PyTorch: {phases}{faults} | | | | | | | |")
        for label, _ in py_variants[1:]:
            runs = pys[label]
            vt = statistics.median(r["train_images_per_s"] for r in runs)
            ve = statistics.median(r["eval_images_per_s"] for r in runs)
            jt = statistics.median(r["train_images_per_s"] for r in j["anglearn"])
            je = statistics.median(r["eval_images_per_s"] for r in j["anglearn"])
            print(f"| {arch} {shape} batch {batch} {loss} | anglearn vs PyTorch {label} | {jt:.0f} | {vt:.0f} "
                  f"| {jt / vt:.2f} | {je:.0f} | {ve:.0f} | {je / ve:.2f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
