#!/usr/bin/env python3
"""Time to accuracy: wall-clock minutes from launching `anglearn train` until the run's test
accuracy first reaches a target, evaluating after every epoch.

The clock starts before the JVM does and stops when the epoch's row lands in metrics.csv, so it
includes start-up, data loading, every evaluation and every checkpoint. Once the target is reached
the run is stopped (its checkpoint stays usable with --resume); if it never is, the run finishes
its epochs and the script says so.

Usage (from the repository root):
  bench/time_to_accuracy.py [--target 92] [--name tta-arc] [--runs-dir runs] -- TRAIN-OPTIONS...
e.g.
  bench/time_to_accuracy.py --target 92 -- --data-dir ../shared/data --loss arc --epochs 10
"""
import argparse
import csv
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--target", type=float, default=92.0, help="test top-1 accuracy in percent (default 92)")
    p.add_argument("--name", default="tta-arc", help="run name (default tta-arc); must not exist yet")
    p.add_argument("--runs-dir", default="runs", help="where anglearn writes runs (default runs)")
    p.add_argument("train", nargs=argparse.REMAINDER, help="-- then options for anglearn train")
    a = p.parse_args()
    train = a.train[1:] if a.train[:1] == ["--"] else a.train
    run_dir = os.path.join(ROOT, a.runs_dir, a.name)
    if os.path.exists(run_dir):
        sys.exit(f"{run_dir} exists already; pick another --name")
    # Build the jar first so that compiling is not timed.
    subprocess.run([os.path.join(ROOT, "anglearn"), "--version"], check=True, cwd=ROOT, capture_output=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=ROOT).stdout.strip()
    cmd = [os.path.join(ROOT, "anglearn"), "train", "--name", a.name, "--runs-dir", a.runs_dir,
           "--eval-every", "1", "--no-progress"] + train
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, target {a.target:g}% test accuracy")
    print("# " + " ".join(cmd[1:]))
    print("| epoch | minutes since launch | test accuracy % |")
    print("|---:|---:|---:|")
    sys.stdout.flush()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    metrics = os.path.join(run_dir, "metrics.csv")
    seen = 0
    reached = None
    while True:
        done = proc.poll() is not None
        for r in rows(metrics)[seen:]:
            seen += 1
            minutes = (time.monotonic() - start) / 60
            err = r.get("test_top1_err", "")
            if err == "":
                continue
            acc = 100.0 - float(err)
            print(f"| {r['epoch']} | {minutes:.1f} | {acc:.2f} |")
            sys.stdout.flush()
            if reached is None and acc >= a.target:
                reached = (int(r["epoch"]), minutes, acc)
        if reached is not None or done:
            break
        time.sleep(2)
    if proc.poll() is None:
        proc.terminate()
        proc.wait()
    if reached is None:
        print(f"not reached: the run ended without {a.target:g}% test accuracy (exit code {proc.returncode})")
        sys.exit(1)
    print(f"reached {reached[2]:.2f}% after epoch {reached[0]}, {reached[1]:.1f} minutes after launch")


if __name__ == "__main__":
    main()
