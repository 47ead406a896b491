#!/usr/bin/env python3
"""Measures one whole training job as processes: `anglearn train` against the same job in plain
PyTorch for Python (bench/python/train_reference.py), interleaved (anglearn, Python, anglearn, ...),
and prints medians, the ratio of wall times and where each side's time went.

Usage: bench/compare_end_to_end.py [--reps 5] [--threads 2] [--data-dir ../shared/data]
           [--loss arc] [--epochs 1] [--batch-size 128] [--limit-train 25600] [--limit-test 1000]
           [--py-memory-format contiguous|channels_last] [--keep]

The job by default: Fashion-MNIST, ResNet20, the angular loss, Adam with weight decay 5e-4 and the
one-cycle schedule at 3e-3, batch 128, one epoch on the first 25600 training images, evaluation on
the first 1000 test images with the angle statistics, the angle probe every 200 iterations, and
the run directory written. Both sides get the same number of PyTorch threads and one inter-op
thread. The clock runs from launching the process to its exit: JVM or interpreter start, reading
and checking the gzip'd IDX files, training, evaluation, angle statistics and writing included.

Where the time went, per side (medians): anglearn from the timestamps of its train.log ("started"
after start-up and data loading, "evaluating" after the training epoch, the epoch line after
evaluation, recording and the checkpoint); Python from the split its JSON line reports.
Ratio = Python's wall time / anglearn's: above 1, anglearn finishes first.
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
import tempfile
import time
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


def cpu_line():
    model, flags = platform.machine(), []
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and model == platform.machine():
                    model = value.strip()
                elif key.strip() == "flags" and not flags:
                    have = value.split()
                    flags = [x for x in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16") if x in have]
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs" + (f", flags {' '.join(flags)}" if flags else "")


def stamp(line):
    """Seconds since the epoch of a train.log line's ISO-8601 timestamp."""
    ts = line.split(" ", 1)[0].rstrip("Z")
    return datetime.fromisoformat(ts).replace(tzinfo=timezone.utc).timestamp()


def run_anglearn(a, env, out_dir, name):
    cmd = [os.path.join(ROOT, "anglearn"), "train", "--dataset", "fashion-mnist", "--data-dir", a.data_dir,
           "--loss", a.loss, "--epochs", str(a.epochs), "--batch-size", str(a.batch_size),
           "--limit-train", str(a.limit_train), "--limit-test", str(a.limit_test), "--runs-dir", out_dir,
           "--name", name, "--no-progress"]
    start = time.time()
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - t0
    end = start + wall
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    with open(os.path.join(out_dir, name, "train.log")) as f:
        lines = f.read().splitlines()
    started = next(stamp(l) for l in lines if " started " in l)
    evaluating = [stamp(l) for l in lines if ": evaluating on " in l]
    epochs = [stamp(l) for l in lines if " epoch " in l and ": loss " in l]
    last_train_end = evaluating[-1] if evaluating else epochs[-1]
    return {"wall": wall, "startup": started - start, "train": last_train_end - started,
            "eval_record_save": epochs[-1] - last_train_end, "exit": end - epochs[-1]}


def run_python(a, out_dir, name):
    cmd = [PY, os.path.join(ROOT, "bench", "python", "train_reference.py"), "--data-dir", a.data_dir,
           "--loss", a.loss, "--epochs", str(a.epochs), "--batch-size", str(a.batch_size),
           "--limit-train", str(a.limit_train), "--limit-test", str(a.limit_test), "--threads", str(a.threads),
           "--memory-format", a.py_memory_format, "--out", os.path.join(out_dir, name)]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    r = json.loads(p.stdout.strip().splitlines()[-1])
    return {"wall": wall, "startup": r["startup_s"], "train": r["train_s"] + r["angles_s"],
            "eval_record_save": r["eval_s"] + r["write_s"], "exit": wall - r["seconds"],
            "test_top1_err": r["test_top1_err"]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data-dir", default=os.path.join(ROOT, "..", "shared", "data"))
    p.add_argument("--loss", default="arc")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--limit-train", type=int, default=25600)
    p.add_argument("--limit-test", type=int, default=1000)
    p.add_argument("--py-memory-format", choices=["contiguous", "channels_last"], default="channels_last")
    p.add_argument("--keep", action="store_true", help="keep the run directories (in a temporary folder)")
    a = p.parse_args()
    a.data_dir = os.path.abspath(a.data_dir)
    ensure_torch()
    env = dict(os.environ)
    env["ANGLEARN_JAVA_OPTS"] = (env.get("ANGLEARN_JAVA_OPTS", "") + f" -Dai.djl.pytorch.num_threads={a.threads}").strip()
    subprocess.run([os.path.join(ROOT, "anglearn"), "--version"], check=True, cwd=ROOT, capture_output=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    out_dir = tempfile.mkdtemp(prefix="anglearn-e2e-")
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, {cpu_line()}, threads={a.threads},"
          f" reps={a.reps}; job: fashion-mnist {a.loss} {a.epochs} epoch(s), batch {a.batch_size},"
          f" {a.limit_train} training / {a.limit_test} test images; PyTorch {a.py_memory_format}")
    j, py = [], []
    for i in range(a.reps):
        j.append(run_anglearn(a, env, out_dir, f"anglearn-{i}"))
        py.append(run_python(a, out_dir, f"pytorch-{i}"))
    if not a.keep:
        shutil.rmtree(out_dir, ignore_errors=True)
    med = statistics.median
    print("| phase | anglearn s | PyTorch s |")
    print("|---|---:|---:|")
    for k, label in (("startup", "start-up and data loading"), ("train", "training (angle probes included)"),
                     ("eval_record_save", "evaluation, recording, checkpoint"), ("exit", "exit"),
                     ("wall", "**whole process**")):
        print(f"| {label} | {med(r[k] for r in j):.2f} | {med(r[k] for r in py):.2f} |")
    ratio = med(r["wall"] for r in py) / med(r["wall"] for r in j)
    print(f"\nend-to-end ratio (PyTorch wall / anglearn wall, medians of {a.reps}): {ratio:.2f}")
    print("pairs (anglearn s / PyTorch s): " + ", ".join(f"{x['wall']:.1f}/{y['wall']:.1f}" for x, y in zip(j, py)))


if __name__ == "__main__":
    main()
