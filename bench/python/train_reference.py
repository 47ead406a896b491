#!/usr/bin/env python3
"""The training job of one anglearn run, in plain PyTorch for Python: a measured baseline.

By default it is one cell of the `table5` study at the full-data scale (Studies.table5, Scale.FULL):
ResNet20 on all 60000 Fashion-MNIST training images, tested on all 10000, 10 epochs, batch 256,
Adam with L2 weight decay 5e-4, the one-cycle schedule with peak rate 3e-3, loss defaults as
anglearn's, seed 1. It serves two purposes:

- fidelity: each cell's test error and angle statistics can be set beside PyTorch's for the same
  job (metrics.csv and angles_by_iteration.csv in the same columns as anglearn's run directory);
- speed: the whole process's wall time against `anglearn train` doing the same job, with the time
  split into start-up and data loading, training, evaluation and the angle statistics.

Usage (from the repository root; Debian's python3-torch, so /usr/bin/python3):
  /usr/bin/python3 bench/python/train_reference.py --loss arc --seed 1 --out runs/pytorch-arc-s1
      [--data-dir DIR] [--limit-train N] [--limit-test N] [--epochs 10] [--batch-size 256] [--lr 3e-3]
      [--weight-decay 5e-4] [--arch resnet20] [--embedding-dim 0] [-p NAME=VALUE ...]
      [--angle-interval 200] [--threads N] [--memory-format contiguous|channels_last] [--no-verify]
  /usr/bin/python3 bench/python/train_reference.py --self-check
The anglearn run it mirrors (table5 full-data cell fmnist_<loss>_s1):
  ./anglearn train --dataset fashion-mnist --data-dir ../shared/data --loss arc --epochs 10
      --batch-size 256 --lr 3e-3 --weight-decay 5e-4 --schedule one-cycle --seed 1 --name NAME
--threads defaults to the CPUs the process may run on (PyTorch 1.13 from Debian otherwise starts
with one); for a speed comparison give anglearn the same count with
ANGLEARN_JAVA_OPTS=-Dai.djl.pytorch.num_threads=N, as bench/compare_train_step.py does. One inter-op
thread, as the anglearn launcher sets.

Writes into --out (default runs/pytorch-<loss>-s<seed>; refused if it already holds metrics.csv,
unless --resume is given):
metrics.csv (anglearn's columns: epoch, train_loss, train_acc, test_top1_err, test_top5_err, w_inter,
c_inter, wc_intra, c_inter_norm, wc_intra_norm, lr, seconds, images_per_s, model_s, skipped_batches;
anglearn's number formats), angles_by_iteration.csv (step, epoch, wc_intra, wc_intra_norm, w_inter,
c_inter), config.json and checkpoint.pt (the newest epoch's model, Adam moments and centres), each
written atomically. Prints one line per epoch on stderr and a final JSON line on stdout:
test_top1_err, test_top5_err, w_inter, c_inter, wc_intra, c_inter_norm, wc_intra_norm (last epoch),
train_loss, train_acc (last epoch), seconds (the whole process, from its start as /proc records it),
images_per_s (images trained / train_s), and the split of `seconds`: startup_s (interpreter, imports,
reading and checking the data, building the network), train_s (the training steps and batch
assembly, probes excluded), eval_s (the test pass after each epoch and its metrics), angles_s (the
probe every --angle-interval steps and writing its row), write_s (metrics.csv and the checkpoint).
--resume continues a killed run in --out from its checkpoint.pt (written after every epoch): the
model, BatchNorm statistics, Adam's moments and step count and the centres are restored, the finished
epochs' metrics.csv rows are kept as written, angle rows past the checkpoint are dropped, and the
following epochs see the batches a run without the interruption would see (the data order is a
function of the seed and the epoch). The settings must match config.json. The final JSON line's
timings then cover only this process (resumed_from_epoch says where it started).
--self-check runs the loss, angle-statistics, schedule, optimiser, data-order and initialisation
checks below on fixed numbers and exits 0 when all pass, 1 otherwise.

What matches anglearn, and where it was checked
- Data (data/FashionMnist, IdxDataset, DatasetLocator): the four IDX files, .gz or plain, in
  DATA_DIR/fashion-mnist/ or DATA_DIR; SHA-256 of the decompressed files checked against
  FashionMnist.CHECKSUMS (--no-verify skips it); 28x28 kept as it is, no padding to 32
  (FashionMnist.load passes side 28; TrainingConfig.imageSize applies to folder: datasets only);
  --limit-train/--limit-test keep the first N images (ImageDataset.limit).
- Normalisation (data/Normalization, BatchLoader): mean and population standard deviation of
  pixel/255 over the (limited) training split, from integer sums; each pixel value v mapped through
  the same table, float((v/255 - mean)/std) computed in double. The input tensors are bit-identical.
- Data order (data/BatchLoader.order): java.util.Random(seed*1000003 + epoch-1) reimplemented
  bit-exactly (48-bit LCG, nextInt(bound) with its rejection step) and the same Fisher-Yates loop,
  so every epoch sees the same batches in the same order; the last partial batch is dropped when
  the training split holds at least one batch (TrainingRun.buildLoader). --self-check compares
  permutations printed by anglearn's BatchLoader.
- Network (model/ResNetCifar, ResidualBlock, Shortcut, EmbeddingNetwork; resnet_cifar.py): the stem
  conv + BN + ReLU, 3 stages x 3 basic blocks of 16/32/64 channels, option-A shortcuts (stride
  subsampling, zero channels split before/after), global average pooling to 64 features; the
  optional projection (--embedding-dim, default 0 = none) is a Linear with bias and nothing after.
- Head (loss/ClassifierHead): W is C x d without bias; soft and center use x.W^T, arcface and arc
  cos(theta) = x^.W^T^ with v/max(|v|, 1e-12).
- Initialisation (model/Layers, DJL Parameter.Type, XavierInitializer(GAUSSIAN, IN, 2), Trainer):
  every conv weight, the projection's weight and W drawn N(0, sqrt(2/fan_in)) (std as DJL computes
  it in float32), BN gamma 1 / beta 0 / running mean 0 / running var 1, projection bias 0; torch's
  generator seeded with the seed, and the draws made in DJL's block order. DJL draws through the
  same libtorch generator, so the initial weights are the same values: for seed 1 every weight
  tensor's sum equals anglearn's (libtorch 2.7.1) to all printed digits with PyTorch 1.13.
- BatchNorm (ResNetCifar.DEFAULT_BN_MOMENTUM 0.9, epsilon 1e-5): DJL's PtNDArrayEx.batchNorm passes
  1 - momentum to torch, so PyTorch's momentum 0.1 (running = 0.9 running + 0.1 batch, unbiased
  batch variance) and eps 1e-5, the nn.BatchNorm2d defaults; checked in the DJL 0.36.0 sources.
- Losses (loss/SoftmaxLoss, CenterLoss, ArcFaceLoss, AngularLoss, EmbeddingLoss.crossEntropy): mean
  of -sum(onehot * log_softmax(logits)); soft: logits x.W^T; center: the same plus
  (lambda/2) |x - c_y|^2 averaged over the batch, lambda 0.003, centres start at 0 and after each
  update move c_j -= alpha * sum_{y_i=j}(c_j - x_i) / (1 + n_j), alpha 0.5, with the step's
  features (before the update); arcface: s 64, m 0.5, threshold form (no easy margin): target
  logit s cos(theta_y + m) where cos theta_y > cos(pi - m), else s (cos theta_y - m sin m), theta from
  cos clamped to [-1+1e-6, 1-1e-6]; arc: k (pi/2 - arccos(clamp(cos, -1+1e-6, 1-1e-6))), k 4.
  -p NAME=VALUE sets the same parameters as anglearn's -p (k, epsilon; s, m, easy_margin, epsilon;
  lambda, alpha).
- Optimiser (train/AdamOptimizer and DJL's native adamUpdate): g = grad + wd * w for every trainable
  parameter (BN gamma and beta, W and the projection included; nothing excluded), m = b1 m + (1-b1) g,
  v = b2 v + (1-b2) g^2, w -= lr sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps): eps is added to the
  uncorrected sqrt(v), unlike torch.optim.Adam, so the update is written out here; b1 is the
  schedule's momentum of the step and the bias correction uses it (1 - b1^t); b2 0.999, eps 1e-8;
  the scalars rounded to float32 as DJL passes them; gradients zeroed after the update.
- Schedule (train/OneCycleSchedule, TrainingRun.buildSchedule): warm-up over 0.3 of the steps
  (max(1, 0.3 T), not rounded) along a cosine from peak/25 to the peak, then a cosine down to
  peak/25/1e4 at step T-1; Adam's b1 from 0.95 to 0.85 and back along the same phases.
- Step (train/Trainer.trainEpoch): loss read after backward; the step stops the run when the loss
  or the sum of all gradient sums is not finite (NonFinitePolicy STOP); the train loss is the mean
  of the steps' losses, train accuracy the argmax of the head output (cos theta for the cosine
  heads) against the label.
- Evaluation (run/EpochLoop, Inference, metrics/EmbeddingAccumulator, AngleStatistics):
  after every epoch, the test split in order in eval mode (running BN statistics) in batches of
  max(batch, 256); top-1/top-5 error counting the classes that score strictly higher than the
  label's; per class the sum of raw features and of L2-normalised features (zero features left
  out), in float64; W-Inter = mean angle over the 45 unordered class pairs of W rows, C-Inter the
  same over class sums (raw, and `_norm` from normalised features), WC-Intra = mean over classes of
  the angle between w_i and the class sum; angles from acos of the clamped cosine, radians; a
  class without test samples is left out. The lr column is the rate of the epoch's last step.
- Angles by iteration (report/RunRecorder, TrainingRun.ANGLE_PROBE_IMAGES): after every step whose
  count is a multiple of --angle-interval (200), the same statistics on the first 500 test images
  (batches of 250, eval mode), written with the epoch.
- Timing columns (train/EpochProgress): seconds is the epoch's wall time including the probes,
  images_per_s = images / seconds, model_s the forward, backward, update and centre update.

What differs, unavoidably or by choice
- Floating-point kernels: PyTorch 1.13 here, libtorch 2.7.1 in anglearn, which runs channels-last
  after the stem by default. With --memory-format channels_last (the whole network and the input
  channels-last; the 1-channel input is laid out the same either way) and one thread on both sides,
  the first step's loss of the default job is anglearn's bit for bit for all four losses (checked
  with --limit-train 256 --epochs 1 --threads 1 against anglearn's metrics.jsonl with
  -Dai.djl.pytorch.num_threads=1), and the test metrics after that one update agree to 1e-6; the
  default contiguous layout differs in the fifth significant digit of that loss. The backward passes
  and the thread count change the rounding, so later steps drift apart, as they do between two
  PyTorch runs with different thread counts or layouts, and grow apart over thousands of steps.
- The per-class sums of the angle statistics are summed in a different order (numpy vs a Java loop):
  differences of about 1e-12 rad.
- Batch assembly: the normalised training split is made once and each batch gathered from it on the
  main thread; anglearn assembles each batch from the bytes on a background thread. Same values.
- Not done here (recording only, no effect on training): TensorBoard event files, per-epoch target
  angle samples, the final test embedding files, train.log, the SHA-256 of the loaded splits in
  config.json, checkpoint manifests, the kept older and best checkpoints, and the run-directory lock.
  anglearn's wall time includes them; they are small beside training.
- Multi-device training, resuming, augmentation and the other datasets are not reproduced: only the
  single-device Fashion-MNIST job.
"""
import time

_T0 = time.perf_counter()

import argparse
import gzip
import hashlib
import json
import math
import os
import sys
import tempfile


def _process_age():
    """Seconds since this process started, from /proc (0 where /proc is missing)."""
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


_AGE0 = _process_age()


def provenance():
    """What a reader needs to check a finished cell: when it finished (UTC), the commit of this script
    (with -dirty when the checkout had changes) and the processor it ran on."""
    import platform
    import subprocess
    here = os.path.dirname(os.path.abspath(__file__))

    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=here, capture_output=True, text=True, timeout=5,
                                  check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None

    commit = git("rev-parse", "HEAD")
    if commit and git("status", "--porcelain", "--untracked-files=no"):
        commit += "-dirty"
    model, flags = platform.processor() or platform.machine(), []
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name":
                    model = value.strip()
                elif key.strip() == "flags":
                    have = set(value.split())
                    flags = [x for x in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16") if x in have]
                    break
    except OSError:
        pass
    cpu = f"{model}, {os.cpu_count()} CPUs" + (", flags " + " ".join(flags) if flags else "")
    date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {"commit": commit, "cpu": cpu, "date": date}


def elapsed():
    """Seconds since the process started."""
    return _AGE0 + time.perf_counter() - _T0


try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    sys.exit(f"train_reference.py: {e.name} is missing: on Debian, apt-get install python3-torch, and run it"
             " with /usr/bin/python3")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resnet_cifar import ARCHS, Net, head_scores, init_like_anglearn, kaiming_std  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROG = "train_reference.py"

# ---------------------------------------------------------------------------------------------
# Data: io.anglearn.data.FashionMnist / IdxDataset / Normalization / BatchLoader
# ---------------------------------------------------------------------------------------------

TRAIN_IMAGES, TRAIN_LABELS = "train-images-idx3-ubyte", "train-labels-idx1-ubyte"
TEST_IMAGES, TEST_LABELS = "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
FILES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)
# FashionMnist.CHECKSUMS: SHA-256 of the decompressed official files.
SHA256 = {
    TRAIN_IMAGES: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    TRAIN_LABELS: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    TEST_IMAGES: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    TEST_LABELS: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
CLASSES = 10
SIDE = 28


class DataError(Exception):
    pass


def _find(folder, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None


def locate(data_dir):
    """The folder holding the four files: DATA_DIR/fashion-mnist, then DATA_DIR (DatasetLocator)."""
    tried = [os.path.join(data_dir, "fashion-mnist"), data_dir]
    for folder in tried:
        if all(_find(folder, f) for f in FILES):
            return folder
    raise DataError(f"Fashion-MNIST not found: looked in {' and '.join(tried)} for {', '.join(FILES)}"
                    " (each .gz or plain); pass --data-dir")


def read_idx(path, ndim, verify):
    """Decompresses (if .gz) and parses one IDX file of unsigned bytes; returns a numpy array."""
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except (OSError, EOFError) as e:
        raise DataError(f"{path}: cannot read ({e}); expected a gzip'd or plain IDX file")
    name = os.path.basename(path)[:-3] if path.endswith(".gz") else os.path.basename(path)
    if verify and hashlib.sha256(data).hexdigest() != SHA256[name]:
        raise DataError(f"{path}: SHA-256 of the decompressed content is {hashlib.sha256(data).hexdigest()},"
                        f" expected the official file's {SHA256[name]} (--no-verify skips the check)")
    if len(data) < 4 + 4 * ndim or data[0] != 0 or data[1] != 0 or data[2] != 0x08 or data[3] != ndim:
        raise DataError(f"{path}: not an IDX file of unsigned bytes with {ndim} dimension(s)"
                        f" (header {data[:4].hex() if len(data) >= 4 else 'missing'}, expected 000008{ndim:02x})")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    start = 4 + 4 * ndim
    if len(data) - start != int(np.prod(dims)):
        raise DataError(f"{path}: {len(data) - start} bytes of data, expected {int(np.prod(dims))} for {dims}")
    return np.frombuffer(data, dtype=np.uint8, offset=start).reshape(dims)


def load_split(folder, images, labels, limit, verify):
    x = read_idx(_find(folder, images), 3, verify)
    y = read_idx(_find(folder, labels), 1, verify)
    if x.shape[1:] != (SIDE, SIDE):
        raise DataError(f"{_find(folder, images)}: images are {x.shape[1]}x{x.shape[2]}, expected {SIDE}x{SIDE}")
    if x.shape[0] != y.shape[0]:
        raise DataError(f"{_find(folder, labels)}: {y.shape[0]} labels for {x.shape[0]} images")
    if y.size and int(y.max()) >= CLASSES:
        raise DataError(f"{_find(folder, labels)}: label {int(y.max())} is outside 0..{CLASSES - 1}")
    if 0 < limit < x.shape[0]:
        x, y = x[:limit], y[:limit]
    return x, y.astype(np.int64)


def normalization(pixels):
    """Normalization.of: mean and population std of pixel/255 over every pixel, from integer sums."""
    flat = pixels.reshape(-1).astype(np.int64)
    s, s2 = int(flat.sum()), int((flat * flat).sum())
    n = float(pixels.size)
    m = s / n
    var = s2 / n - m * m
    return m / 255.0, math.sqrt(max(var, 1e-12)) / 255.0


def normalize(pixels, mean, std):
    """BatchLoader's table: float((v/255 - mean)/std) in double, then float32; N x 1 x 28 x 28."""
    lut = ((np.arange(256, dtype=np.float64) / 255.0 - mean) / std).astype(np.float32)
    return torch.from_numpy(lut[pixels]).unsqueeze(1)


class JavaRandom:
    """java.util.Random: the 48-bit linear congruential generator of its specification."""
    MULT, ADD, MASK = 0x5DEECE66D, 0xB, (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ self.MULT) & self.MASK

    def next(self, bits):
        self.seed = (self.seed * self.MULT + self.ADD) & self.MASK
        r = self.seed >> (48 - bits)
        return r - (1 << bits) if r >= 1 << (bits - 1) and bits == 32 else r

    def next_int(self, bound):
        if bound & -bound == bound:
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            val = bits % bound
            if bits - val + (bound - 1) < (1 << 31):
                return val


def java_long(v):
    """Wraps to a Java long (two's complement, 64 bits)."""
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def epoch_order(n, seed, epoch_index):
    """BatchLoader.order(epoch): a Fisher-Yates shuffle drawn from Random(seed * 1000003 + epoch)."""
    idx = list(range(n))
    r = JavaRandom(java_long(seed * 1_000_003 + epoch_index))
    for i in range(n - 1, 0, -1):
        j = r.next_int(i + 1)
        idx[i], idx[j] = idx[j], idx[i]
    return idx


# ---------------------------------------------------------------------------------------------
# Losses: io.anglearn.loss.*
# ---------------------------------------------------------------------------------------------

LOSSES = ("soft", "center", "arcface", "arc")
LOSS_PARAMS = {
    "soft": {},
    "center": {"lambda": 0.003, "alpha": 0.5},
    "arcface": {"s": 64.0, "m": 0.5, "easy_margin": 0.0, "epsilon": 1e-6},
    "arc": {"k": 4.0, "epsilon": 1e-6},
}


def check_loss_params(loss, p):
    def need(ok, text):
        if not ok:
            raise ValueError(f"{loss}: {text}")
    if loss == "center":
        need(p["lambda"] >= 0 and math.isfinite(p["lambda"]), f"lambda must be a finite number >= 0, got {p['lambda']}")
        need(0 < p["alpha"] <= 1, f"alpha must be in (0, 1], got {p['alpha']}")
    if loss == "arcface":
        need(p["s"] > 0 and math.isfinite(p["s"]), f"scale s must be a positive finite number, got {p['s']}")
        need(0 <= p["m"] < math.pi / 2, f"margin m must be in [0, pi/2) radians, got {p['m']}")
        need(p["easy_margin"] in (0.0, 1.0), f"easy_margin must be 0 or 1, got {p['easy_margin']}")
    if loss == "arc":
        need(p["k"] > 0 and math.isfinite(p["k"]), f"k must be a positive finite number, got {p['k']}")
    if "epsilon" in p:
        need(0 < p["epsilon"] <= 0.1, f"epsilon must be in (0, 0.1], got {p['epsilon']}")


def cross_entropy(logits, y):
    """EmbeddingLoss.crossEntropy: mean of -sum(onehot * log_softmax)."""
    logp = logits.log_softmax(1)
    return -(logp * F.one_hot(y, logits.shape[1]).to(logp.dtype)).sum(1).mean()


def with_target(others, target, y):
    """EmbeddingLoss.withTarget: others + M (target - others), M the labels' one-hot mask."""
    return others + F.one_hot(y, others.shape[1]).to(others.dtype) * (target - others)


class Loss:
    """One of anglearn's four paper losses: logits from [features, head output], plus its state."""

    def __init__(self, name, params, classes, dim, dtype=torch.float32):
        self.name, self.p = name, params
        self.cosine = name in ("arcface", "arc")
        self.centers = torch.zeros(classes, dim, dtype=dtype) if name == "center" else None

    def __call__(self, features, head, y):
        p = self.p
        if self.name == "soft":
            return cross_entropy(head, y)
        if self.name == "center":
            own = (F.one_hot(y, self.centers.shape[0]).to(self.centers.dtype) @ self.centers).to(features.dtype)
            pull = ((features - own) ** 2).sum(1).mul(p["lambda"] / 2).mean()
            return cross_entropy(head, y) + pull
        eps = p["epsilon"]
        theta = head.clamp(-1 + eps, 1 - eps).acos()
        if self.name == "arc":
            return cross_entropy(theta.mul(-p["k"]).add(p["k"] * math.pi / 2), y)
        m = p["m"]
        with_margin = (theta + m).cos()
        if p["easy_margin"]:
            fallback, use = head, head.gt(0)
        else:
            fallback, use = head - m * math.sin(m), head.gt(math.cos(math.pi - m))
        target = fallback + use.to(head.dtype) * (with_margin - fallback)
        return cross_entropy(with_target(head, target, y).mul(p["s"]), y)

    @torch.no_grad()
    def after_step(self, features, y):
        """CenterLoss.afterStep: c_j -= alpha * (n_j c_j - sum_{y_i=j} x_i) / (1 + n_j)."""
        if self.centers is None:
            return
        mask = F.one_hot(y, self.centers.shape[0]).to(self.centers.dtype)
        counts = mask.sum(0).unsqueeze(1)
        sums = mask.t() @ features.detach().to(self.centers.dtype)
        delta = (counts * self.centers - sums) / (counts + 1)
        self.centers -= delta * self.p["alpha"]


# ---------------------------------------------------------------------------------------------
# Optimiser and schedule: io.anglearn.train.AdamOptimizer / OneCycleSchedule
# ---------------------------------------------------------------------------------------------

def f32(v):
    return float(np.float32(v))


class AnglearnAdam:
    """AdamOptimizer through DJL's native adamUpdate (L2 decay in the gradient, eps outside the
    bias correction), with the scalars in float32 as DJL passes them."""

    def __init__(self, params, weight_decay, beta2=0.999, eps=1e-8):
        self.params = list(params)
        self.means = [torch.zeros_like(p) for p in self.params]
        self.variances = [torch.zeros_like(p) for p in self.params]
        self.wd, self.beta2, self.eps = f32(weight_decay), beta2, f32(eps)
        self.steps = 0

    @torch.no_grad()
    def step(self, lr, beta1):
        self.steps += 1
        corrected = f32(lr * math.sqrt(1 - self.beta2 ** self.steps) / (1 - beta1 ** self.steps))
        b1, b2 = np.float32(beta1), np.float32(self.beta2)
        one = np.float32(1)
        for p, m, v in zip(self.params, self.means, self.variances):
            g = p.grad.clone()
            g.add_(p, alpha=self.wd)
            m.mul_(float(b1)).add_(g, alpha=float(one - b1))
            v.mul_(float(b2)).addcmul_(g, g, value=float(one - b2))
            p.sub_(m.mul(corrected).div(v.sqrt().add(self.eps)))
            p.grad.zero_()


class OneCycle:
    """OneCycleSchedule(peak, total, warmup, 25, 1e4, 0.95, 0.85)."""

    def __init__(self, peak, total, warmup=0.3, div=25.0, final_div=1e4, max_momentum=0.95, min_momentum=0.85):
        self.peak, self.total, self.warmup = peak, total, warmup
        self.div, self.final_div = div, final_div
        self.max_m, self.min_m = max_momentum, min_momentum

    def _phase(self, step):
        warm = max(1.0, self.warmup * self.total)
        return step / warm if step < warm else 1 + (step - warm) / max(1.0, self.total - 1 - warm)

    @staticmethod
    def _anneal(a, b, t):
        return b + (a - b) * (1 + math.cos(math.pi * min(1.0, max(0.0, t)))) / 2

    def learning_rate(self, step):
        p = self._phase(step)
        initial = self.peak / self.div
        return self._anneal(initial, self.peak, p) if p <= 1 else self._anneal(self.peak, initial / self.final_div, p - 1)

    def momentum(self, step):
        p = self._phase(step)
        return self._anneal(self.max_m, self.min_m, p) if p <= 1 else self._anneal(self.min_m, self.max_m, p - 1)


# ---------------------------------------------------------------------------------------------
# Metrics: io.anglearn.metrics.AngleStatistics / EmbeddingAccumulator
# ---------------------------------------------------------------------------------------------

def angle(a, b):
    """AngleStatistics.angle: arccos of the clamped cosine, 0 if either vector is zero."""
    dot = na = nb = 0.0
    for x, z in zip(a, b):
        dot += x * z
        na += x * x
        nb += z * z
    if na == 0 or nb == 0:
        return 0.0
    return math.acos(max(-1.0, min(1.0, dot / math.sqrt(na * nb))))


def mean_pairwise_angle(v, counts=None):
    total, pairs = 0.0, 0
    for i in range(len(v)):
        if counts is not None and counts[i] == 0:
            continue
        for j in range(i + 1, len(v)):
            if counts is not None and counts[j] == 0:
                continue
            total += angle(v[i], v[j])
            pairs += 1
    return total / pairs if pairs else float("nan")


def mean_matched_angle(w, sums, counts):
    total, n = 0.0, 0
    for i in range(len(w)):
        if counts[i] == 0:
            continue
        total += angle(w[i], sums[i])
        n += 1
    return total / n if n else float("nan")


def angle_statistics(weights, raw_sums, norm_sums, counts):
    """AngleStatistics.compute, as the keys of metrics.csv."""
    w = [list(map(float, r)) for r in weights]
    raw = [list(map(float, r)) for r in raw_sums]
    nrm = [list(map(float, r)) for r in norm_sums]
    return {"w_inter": mean_pairwise_angle(w), "c_inter": mean_pairwise_angle(raw, counts),
            "wc_intra": mean_matched_angle(w, raw, counts), "c_inter_norm": mean_pairwise_angle(nrm, counts),
            "wc_intra_norm": mean_matched_angle(w, nrm, counts)}


def class_sums(features, labels, classes):
    """Per class: the sum of the raw features and of the L2-normalised ones (zero features left out), float64."""
    f = np.asarray(features, dtype=np.float64)
    norms = np.sqrt((f * f).sum(1))
    unit = np.divide(f, norms[:, None], out=np.zeros_like(f), where=norms[:, None] > 0)
    raw = np.zeros((classes, f.shape[1]))
    nrm = np.zeros((classes, f.shape[1]))
    np.add.at(raw, labels, f)
    np.add.at(nrm, labels, unit)
    return raw, nrm, np.bincount(labels, minlength=classes)


def top_k_errors(scores, labels):
    """Top-1 and top-5 error in percent: a sample counts when fewer than k classes score strictly higher."""
    target = scores[np.arange(len(labels)), labels]
    higher = (scores > target[:, None]).sum(1)
    n = len(labels)
    return 100.0 * (n - int((higher == 0).sum())) / n, 100.0 * (n - int((higher < 5).sum())) / n


@torch.no_grad()
def embed(net, x, batch, channels_last):
    """Inference.embed: features and head outputs of every image in order, eval mode."""
    net.eval()
    feats, scores = [], []
    try:
        for start in range(0, x.shape[0], batch):
            xb = x[start:start + batch]
            if channels_last:
                xb = xb.contiguous(memory_format=torch.channels_last)
            f, s = net(xb)
            feats.append(f.numpy().copy())
            scores.append(s.numpy().copy())
    finally:
        net.train()
    return np.concatenate(feats), np.concatenate(scores)


def class_weights(net):
    return net.weight.detach().double().numpy()


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------

METRIC_COLUMNS = ("epoch", "train_loss", "train_acc", "test_top1_err", "test_top5_err", "w_inter", "c_inter",
                  "wc_intra", "c_inter_norm", "wc_intra_norm", "lr", "seconds", "images_per_s", "model_s",
                  "skipped_batches")
ANGLE_HEADER = "step,epoch,wc_intra,wc_intra_norm,w_inter,c_inter"


def fmt(v, spec):
    """Java's String.format for doubles: NaN and Infinity spelt as Java spells them."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return format(v, spec)


_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(path, write):
    """Writes through a temporary file in the same folder, then renames it into place."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes it private; give it the mode a plain open() would
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text(path, text):
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def metrics_csv(rows, prior_lines=()):
    """The header, the rows of earlier epochs exactly as they were written, then `rows`."""
    lines = [",".join(METRIC_COLUMNS)] + list(prior_lines)
    for r in rows:
        cells = []
        for c in METRIC_COLUMNS:
            v = r[c]
            if c in ("epoch", "skipped_batches"):
                cells.append(str(v))
            elif c == "lr":
                cells.append(java_g6(v))
            else:
                cells.append(fmt(v, ".6f"))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def java_g6(v):
    """Java's %.6g: 6 significant digits, in decimal when the rounded value is in [1e-4, 1e6), else
    scientific with a two-digit exponent; trailing zeros kept."""
    if math.isnan(v) or math.isinf(v):
        return fmt(v, "")
    mantissa, exponent = format(v, ".5e").split("e")
    x = int(exponent)
    if v == 0 or -4 <= x < 6:
        return format(v, f".{5 - (x if v != 0 else 0)}f")
    return f"{mantissa}e{'-' if x < 0 else '+'}{abs(x):02d}"


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description="The training job of one anglearn run in PyTorch"
                                " (see the module docstring for what matches anglearn and what does not).")
    p.add_argument("--self-check", action="store_true", help="check the losses, angle statistics, schedule,"
                   " optimiser, data order and initialisation on fixed numbers, then exit")
    p.add_argument("--data-dir", default=os.path.join(ROOT, "..", "shared", "data"),
                   help="folder holding fashion-mnist/ or the four IDX files (default: ../shared/data beside the repository)")
    p.add_argument("--no-verify", action="store_true", help="skip the SHA-256 check of the data files")
    p.add_argument("--limit-train", type=int, default=0, help="use only the first N training images (0 = all)")
    p.add_argument("--limit-test", type=int, default=0, help="use only the first N test images (0 = all)")
    p.add_argument("--arch", default="resnet20", choices=ARCHS, help="backbone (default resnet20)")
    p.add_argument("--embedding-dim", type=int, default=0, help="projection to d dimensions (default 0 = none)")
    p.add_argument("--loss", default="arc", choices=LOSSES, help="loss (default arc)")
    p.add_argument("-p", dest="params", action="append", default=[], metavar="NAME=VALUE",
                   help="loss parameter, as anglearn's -p (arc: k, epsilon; arcface: s, m, easy_margin, epsilon;"
                   " center: lambda, alpha)")
    p.add_argument("--epochs", type=int, default=10, help="epochs (default 10)")
    p.add_argument("--batch-size", type=int, default=256, help="batch size (default 256)")
    p.add_argument("--lr", type=float, default=3e-3, help="one-cycle peak learning rate (default 3e-3)")
    p.add_argument("--weight-decay", type=float, default=5e-4, help="L2 added to the gradient (default 5e-4)")
    p.add_argument("--seed", type=int, default=1, help="initialisation and data order (default 1, a study's first seed)")
    p.add_argument("--angle-interval", type=int, default=200,
                   help="steps between angle statistics on the first 500 test images (default 200; 0 = off)")
    p.add_argument("--threads", type=int,
                   default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
                   help="torch.set_num_threads (default: the CPUs this process may run on)")
    p.add_argument("--memory-format", choices=["contiguous", "channels_last"], default="contiguous",
                   help="contiguous (NCHW, PyTorch's default) or channels_last (network and input NHWC)")
    p.add_argument("--out", help="output folder (default runs/pytorch-<loss>-s<seed>)")
    p.add_argument("--resume", action="store_true",
                   help="continue the run in --out from its checkpoint.pt (settings must match its config.json)")
    a = p.parse_args(argv)
    if a.self_check:
        return a
    checks = [(a.epochs > 0, f"--epochs must be > 0, got {a.epochs}"),
              (0 < a.batch_size <= 65536, f"--batch-size must be in 1..65536, got {a.batch_size}"),
              (a.lr > 0 and math.isfinite(a.lr), f"--lr must be a positive number, got {a.lr}"),
              (a.weight_decay >= 0 and math.isfinite(a.weight_decay), f"--weight-decay must be >= 0, got {a.weight_decay}"),
              (a.limit_train >= 0, f"--limit-train must be >= 0, got {a.limit_train}"),
              (a.limit_test >= 0, f"--limit-test must be >= 0, got {a.limit_test}"),
              (0 <= a.embedding_dim <= 65536, f"--embedding-dim must be in 0..65536, got {a.embedding_dim}"),
              (0 <= a.seed < 2 ** 31, f"--seed must be in 0..2147483647, got {a.seed}"),
              (a.angle_interval >= 0, f"--angle-interval must be >= 0, got {a.angle_interval}"),
              (a.threads >= 1, f"--threads must be >= 1, got {a.threads}")]
    for ok, message in checks:
        if not ok:
            p.error(message)
    params = dict(LOSS_PARAMS[a.loss])
    for item in a.params:
        name, sep, value = item.partition("=")
        if not sep or name not in params:
            p.error(f"-p {item!r}: expected NAME=VALUE with NAME one of {', '.join(params) or '(none for soft)'}")
        try:
            params[name] = float(value)
        except ValueError:
            p.error(f"-p {item!r}: {value!r} is not a number")
        if not math.isfinite(params[name]):
            p.error(f"-p {item!r}: must be finite")
    try:
        check_loss_params(a.loss, params)
    except ValueError as e:
        p.error(str(e))
    a.loss_params = params
    a.out = a.out or os.path.join("runs", f"pytorch-{a.loss}-s{a.seed}")
    return a


def log(text):
    print(text, file=sys.stderr, flush=True)


VOLATILE_CONFIG = ("threads", "data_folder", "torch")


def restore(out, config, net, adam, loss, epochs):
    """Loads checkpoint.pt from `out` into the freshly built run; returns the first epoch still to
    train, the finished epochs' metrics.csv lines, their rows as numbers and the angle rows up to
    the checkpoint's step."""
    with open(os.path.join(out, "config.json"), encoding="utf-8") as f:
        saved = json.load(f)
    differ = sorted(k for k in set(saved) | set(config)
                    if k not in VOLATILE_CONFIG and saved.get(k) != json.loads(json.dumps(config.get(k))))
    if differ:
        raise DataError(f"--resume: {out}/config.json was written with other settings ({', '.join(differ)});"
                        " give the same options as the run being continued")
    state = torch.load(os.path.join(out, "checkpoint.pt"))
    done = int(state["epoch"])
    if done >= epochs:
        raise DataError(f"--resume: {out} already finished its {epochs} epochs")
    net.load_state_dict(state["model"])
    with torch.no_grad():
        for mine, saved_m, var, saved_v in zip(adam.means, state["adam_means"], adam.variances, state["adam_variances"]):
            mine.copy_(saved_m)
            var.copy_(saved_v)
    adam.steps = int(state["steps"])
    if loss.centers is not None:
        loss.centers.copy_(state["centers"])
    with open(os.path.join(out, "metrics.csv"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not lines or lines[0] != ",".join(METRIC_COLUMNS):
        raise DataError(f"--resume: {out}/metrics.csv does not start with the expected header")
    prior = lines[1:1 + done]
    if len(prior) != done or int(prior[-1].split(",")[0]) != done:
        raise DataError(f"--resume: {out}/metrics.csv does not hold the {done} epochs the checkpoint has")
    rows = []
    for line in prior:
        cells = line.split(",")
        rows.append({c: (int(v) if c in ("epoch", "skipped_batches") else float(v))
                     for c, v in zip(METRIC_COLUMNS, cells)})
    angle_rows = []
    path = os.path.join(out, "angles_by_iteration.csv")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            angle_rows = [r for r in f.read().splitlines()[1:] if r and int(r.split(",")[0]) <= adam.steps]
    log(f"{PROG}: resuming {out} after epoch {done} (step {adam.steps})")
    return done + 1, prior, rows, angle_rows


def train(a):
    torch.set_num_threads(a.threads)
    channels_last = a.memory_format == "channels_last"
    if os.path.exists(os.path.join(a.out, "metrics.csv")) and not a.resume:
        raise DataError(f"{a.out} already holds metrics.csv; choose another --out, or give --resume")
    if a.resume and not os.path.exists(os.path.join(a.out, "checkpoint.pt")):
        raise DataError(f"--resume: {a.out} holds no checkpoint.pt to continue from")
    folder = locate(a.data_dir)
    train_px, y_train_np = load_split(folder, TRAIN_IMAGES, TRAIN_LABELS, a.limit_train, not a.no_verify)
    test_px, y_test_np = load_split(folder, TEST_IMAGES, TEST_LABELS, a.limit_test, not a.no_verify)
    if len(train_px) == 0 or len(test_px) == 0:
        raise DataError("the training and test splits need at least one image each")
    mean, std = normalization(train_px)
    x_train, x_test = normalize(train_px, mean, std), normalize(test_px, mean, std)
    y_train, y_test = torch.from_numpy(y_train_np), torch.from_numpy(y_test_np)
    n_train = len(y_train)
    drop_last = n_train >= a.batch_size
    batches = n_train // a.batch_size if drop_last else (n_train + a.batch_size - 1) // a.batch_size
    total_steps = batches * a.epochs
    probe_n = min(500, len(y_test))
    x_probe, y_probe = x_test[:probe_n], y_test_np[:probe_n]
    os.makedirs(a.out, exist_ok=True)
    if not os.access(a.out, os.W_OK):
        raise DataError(f"{a.out}: cannot write there")

    net = Net(a.arch, 1, CLASSES, a.loss in ("arcface", "arc"), a.embedding_dim)
    loss = Loss(a.loss, a.loss_params, CLASSES, net.weight.shape[1])
    init_like_anglearn(net, a.seed)
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
    net.train()
    params = [p for p in net.parameters() if p.requires_grad]
    adam = AnglearnAdam(params, a.weight_decay)
    schedule = OneCycle(a.lr, total_steps)
    config = {"impl": "pytorch-python", "torch": torch.__version__, "threads": torch.get_num_threads(),
              "memory_format": a.memory_format, "dataset": "fashion-mnist", "data_folder": os.path.abspath(folder),
              "train_images": n_train, "test_images": len(y_test), "normalization_mean": [mean],
              "normalization_std": [std], "arch": a.arch, "embedding_dim": a.embedding_dim, "loss": a.loss,
              "loss_params": a.loss_params, "epochs": a.epochs, "batch_size": a.batch_size, "lr": a.lr,
              "weight_decay": a.weight_decay, "seed": a.seed, "angle_interval": a.angle_interval,
              "batches_per_epoch": batches, "parameters": sum(p.numel() for p in params)}
    rows, angle_rows, prior_lines, first_epoch = [], [], [], 1
    if a.resume:
        first_epoch, prior_lines, rows, angle_rows = restore(a.out, config, net, adam, loss, a.epochs)
    else:
        write_text(os.path.join(a.out, "config.json"), json.dumps(config, indent=2) + "\n")
    startup_s = elapsed()
    log(f"{PROG}: {a.loss}, {a.arch}, {n_train} training and {len(y_test)} test images, {a.epochs} epoch{'s' if a.epochs != 1 else ''} of"
        f" {batches} steps, {config['parameters']} parameters, {torch.get_num_threads()} threads, {a.memory_format};"
        f" ready after {startup_s:.1f} s")

    train_s = eval_s = angles_s = write_s = 0.0
    images_trained = 0
    for epoch in range(first_epoch, a.epochs + 1):
        order = torch.tensor(epoch_order(n_train, a.seed, epoch - 1), dtype=torch.int64)
        loss_sum, correct, images, seconds, model_s, epoch_angles_s = 0.0, 0, 0, 0.0, 0.0, 0.0
        mark = time.perf_counter()
        for b in range(batches):
            idx = order[b * a.batch_size:(b + 1) * a.batch_size]
            xb, yb = x_train.index_select(0, idx), y_train.index_select(0, idx)
            if channels_last:
                xb = xb.contiguous(memory_format=torch.channels_last)
            step = adam.steps
            lr, momentum = schedule.learning_rate(step), schedule.momentum(step)
            model_start = time.perf_counter()
            features, head = net(xb)
            value = loss(features, head, yb)
            value.backward()
            step_loss = value.item()
            grads_finite = math.isfinite(torch.stack([p.grad.sum() for p in params]).sum().item())
            if not math.isfinite(step_loss) or not grads_finite:
                raise FloatingPointError(f"non-finite {'loss' if not math.isfinite(step_loss) else 'gradient'} at"
                                         f" epoch {epoch}, batch {b + 1} (step {step + 1}, learning rate {lr:.4g});"
                                         " nothing of this step was applied")
            adam.step(lr, momentum)
            loss.after_step(features, yb)
            model_s += time.perf_counter() - model_start
            correct += int((head.detach().argmax(1) == yb).sum())
            loss_sum += step_loss
            images += len(yb)
            if a.angle_interval and adam.steps % a.angle_interval == 0:
                t = time.perf_counter()
                f, _ = embed(net, x_probe, 250, channels_last)
                raw, nrm, counts = class_sums(f, y_probe, CLASSES)
                s = angle_statistics(class_weights(net), raw, nrm, counts)
                angle_rows.append(f"{adam.steps},{epoch},{s['wc_intra']:.6f},{s['wc_intra_norm']:.6f},"
                                  f"{s['w_inter']:.6f},{s['c_inter']:.6f}")
                write_text(os.path.join(a.out, "angles_by_iteration.csv"), "\n".join([ANGLE_HEADER] + angle_rows) + "\n")
                epoch_angles_s += time.perf_counter() - t
            now = time.perf_counter()
            seconds += now - mark
            mark = now
        train_s += seconds - epoch_angles_s
        angles_s += epoch_angles_s
        images_trained += images

        t = time.perf_counter()
        f, scores = embed(net, x_test, max(a.batch_size, 256), channels_last)
        top1, top5 = top_k_errors(scores, y_test_np)
        raw, nrm, counts = class_sums(f, y_test_np, CLASSES)
        stats = angle_statistics(class_weights(net), raw, nrm, counts)
        eval_s += time.perf_counter() - t

        t = time.perf_counter()
        row = {"epoch": epoch, "train_loss": loss_sum / batches, "train_acc": 100.0 * correct / images,
               "test_top1_err": top1, "test_top5_err": top5, **stats,
               "lr": schedule.learning_rate(max(0, adam.steps - 1)), "seconds": seconds,
               "images_per_s": images / seconds, "model_s": model_s, "skipped_batches": 0}
        rows.append(row)
        write_text(os.path.join(a.out, "metrics.csv"), metrics_csv(rows[len(prior_lines):], prior_lines))
        state = {"epoch": epoch, "steps": adam.steps, "model": net.state_dict(), "adam_means": adam.means,
                 "adam_variances": adam.variances, "centers": loss.centers}
        atomic_write(os.path.join(a.out, "checkpoint.pt"), lambda fh: torch.save(state, fh))
        write_s += time.perf_counter() - t
        log(f"epoch {epoch}: loss {row['train_loss']:.4f}, train acc {row['train_acc']:.2f}%, test top-1 err"
            f" {top1:.2f}%, top-5 {top5:.2f}%, W-Inter {stats['w_inter']:.4f}, C-Inter {stats['c_inter']:.4f},"
            f" WC-Intra {stats['wc_intra']:.4f}, lr {row['lr']:.3g}, {seconds:.1f} s (model {model_s:.1f} s),"
            f" {row['images_per_s']:.1f} img/s")

    last = rows[-1]
    result = {"impl": "pytorch-python", "torch": torch.__version__, "threads": torch.get_num_threads(),
              "memory_format": a.memory_format, "loss": a.loss, "seed": a.seed, "epochs": a.epochs,
              "batch_size": a.batch_size, "lr": a.lr, "train_images": n_train, "test_images": len(y_test),
              "steps": adam.steps}
    for k in ("test_top1_err", "test_top5_err", "w_inter", "c_inter", "wc_intra", "c_inter_norm", "wc_intra_norm",
              "train_loss", "train_acc"):
        result[k] = round(last[k], 6)
    if first_epoch > 1:
        result["resumed_from_epoch"] = first_epoch
    result.update({"seconds": round(elapsed(), 3),
                   "images_per_s": round(images_trained / train_s, 1) if train_s > 0 else None,
                   "startup_s": round(startup_s, 3), "train_s": round(train_s, 3), "eval_s": round(eval_s, 3),
                   "angles_s": round(angles_s, 3), "write_s": round(write_s, 3), "out": a.out})
    # Every epoch's training time, the epochs of an earlier process included when the run was resumed.
    result["training_seconds"] = round(sum(float(r["seconds"]) for r in rows), 3)
    result.update(provenance())
    print(json.dumps(result), flush=True)


# ---------------------------------------------------------------------------------------------
# Self-check: the inputs and expected values of anglearn's own unit tests
# ---------------------------------------------------------------------------------------------

def self_check():
    failures = []

    def expect(name, got, want, tol):
        ok = abs(got - want) <= tol
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {got:.12g} (expected {want:.12g} within {tol:g})")
        if not ok:
            failures.append(name)

    d = torch.float64
    # LossValuesTest: W rows (1,0), (0,1), (-1,0); x = (1.6, 1.2) label 0, x = (0.6, 0.8) label 1.
    w = torch.tensor([[1.0, 0], [0, 1], [-1, 0]], dtype=d)
    x = torch.tensor([[1.6, 1.2], [0.6, 0.8]], dtype=d)
    y = torch.tensor([0, 1])
    cos = [[0.8, 0.6, -0.8], [0.6, 0.8, -0.6]]
    norm = [2.0, 1.0]

    def ce(z, label):
        top = max(z)
        return -(z[label] - top) + math.log(sum(math.exp(v - top) for v in z))

    def expected(logit, times_norm=False, target=None):
        total = 0.0
        for i in range(2):
            z = [(target(c) if (j == int(y[i]) and target) else logit(c)) * (norm[i] if times_norm else 1)
                 for j, c in enumerate(cos[i])]
            total += ce(z, int(y[i]))
        return total / 2

    def value(name, **params):
        p = dict(LOSS_PARAMS[name], **params)
        loss = Loss(name, p, 3, 2, dtype=d)
        return loss(x, head_scores(x, w, loss.cosine), y).item(), loss

    expect("soft loss (LossValuesTest)", value("soft")[0], 0.6312074898, 1e-9)
    expect("soft loss, formula", value("soft")[0], expected(lambda c: c, times_norm=True), 1e-12)
    expect("arc loss k=4 (LossValuesTest)", value("arc")[0], expected(lambda c: 4 * (math.pi / 2 - math.acos(c))), 1e-12)
    expect("arcface loss s=64 m=0.5 (LossValuesTest)", value("arcface")[0],
           expected(lambda c: 64 * c, target=lambda c: 64 * math.cos(math.acos(c) + 0.5)), 1e-9)
    expect("center loss lambda=0.5 at zero centres (LossValuesTest)", value("center", **{"lambda": 0.5})[0],
           expected(lambda c: c, times_norm=True) + 0.25 * 2.5, 1e-12)
    # arcface past the threshold: cos theta_y <= cos(pi - m) takes s (cos theta_y - m sin m).
    far = torch.tensor([[-0.95, 0.1]], dtype=d)
    lf = Loss("arcface", dict(LOSS_PARAMS["arcface"]), 2, 2, dtype=d)
    z = [64 * (-0.95 - 0.5 * math.sin(0.5)), 64 * 0.1]
    expect("arcface threshold form", lf(None, far, torch.tensor([0])).item(), ce(z, 0), 1e-9)

    # LossStateTest: alpha 0.5, x = (1,0), (3,0), (0,2), labels 0, 0, 1.
    _, center = value("center", alpha=0.5)
    fx = torch.tensor([[1.0, 0], [3, 0], [0, 2]], dtype=d)
    fy = torch.tensor([0, 0, 1])
    center.after_step(fx, fy)
    for got, want in zip(center.centers.flatten().tolist(), [2 / 3, 0, 0, 0.5, 0, 0]):
        expect("centres after one update (LossStateTest)", got, want, 1e-12)
    center.after_step(fx, fy)
    for got, want in zip(center.centers.flatten().tolist(), [10 / 9, 0, 0, 0.875, 0, 0]):
        expect("centres after two updates (LossStateTest)", got, want, 1e-12)

    # AngleStatisticsTest
    for c in (3, 10, 100):
        simplex = [[(1.0 if i == j else 0.0) - 1.0 / c for j in range(c)] for i in range(c)]
        sums = [[5 * v for v in row] for row in simplex]
        s = angle_statistics(simplex, sums, sums, [5] * c)
        want = math.acos(-1.0 / (c - 1))
        expect(f"simplex W-Inter C={c} (AngleStatisticsTest)", s["w_inter"], want, 1e-9)
        expect(f"simplex C-Inter C={c}", s["c_inter"], want, 1e-9)
        expect(f"simplex WC-Intra C={c}", s["wc_intra"], 0.0, 1e-6)
        expect(f"simplex WC-Intra norm C={c}", s["wc_intra_norm"], 0.0, 1e-6)
    sums = [[math.cos(0.3), math.sin(0.3)], [math.cos(1.2), math.sin(1.2)]]
    s = angle_statistics([[1, 0], [0, 1]], sums, sums, [1, 1])
    expect("orthogonal W-Inter (AngleStatisticsTest)", s["w_inter"], math.pi / 2, 1e-12)
    expect("orthogonal C-Inter", s["c_inter"], 0.9, 1e-12)
    expect("orthogonal WC-Intra", s["wc_intra"], (0.3 + (math.pi / 2 - 1.2)) / 2, 1e-12)
    f = np.array([[10, 0], [0, 1], [0, 3]], dtype=np.float32)
    labels = np.array([0, 0, 1])
    raw, nrm, counts = class_sums(f, labels, 2)
    s = angle_statistics([[1, 0], [0, 1]], raw, nrm, counts)
    expect("raw vs normalised means: WC-Intra (AngleStatisticsTest)", s["wc_intra"], (math.atan2(1, 10) + 0) / 2, 1e-6)
    expect("raw vs normalised means: WC-Intra norm", s["wc_intra_norm"], (math.pi / 4 + 0) / 2, 1e-6)
    expect("top-1 error", top_k_errors(np.array([[1, 0], [1, 0], [0, 1]], dtype=np.float32), labels)[0], 0.0, 0)
    expect("top-1 error with a tie counts as a hit", top_k_errors(np.array([[1.0, 1.0]]), np.array([1]))[0], 0.0, 0)

    # ScheduleTest: OneCycleSchedule(0.01, 100)
    sch = OneCycle(0.01, 100)
    expect("one-cycle lr(0) (ScheduleTest)", sch.learning_rate(0), 0.01 / 25, 1e-12)
    expect("one-cycle lr(30)", sch.learning_rate(30), 0.01, 1e-12)
    expect("one-cycle momentum(30)", sch.momentum(30), 0.85, 1e-12)
    expect("one-cycle momentum(0)", sch.momentum(0), 0.95, 1e-12)
    expect("one-cycle lr(99)", sch.learning_rate(99), 0.01 / 25 / 1e4, 1e-15)

    # OptimizerTest: weights (1, 1), gradient (3, -0.5), lr 0.01, beta1 0.9, no decay -> (0.99, 1.01).
    p = torch.tensor([1.0, 1.0], requires_grad=True)
    p.grad = torch.tensor([3.0, -0.5])
    adam = AnglearnAdam([p], 0.0)
    adam.step(0.01, 0.9)
    expect("Adam first step, weight 0 (OptimizerTest)", p[0].item(), 0.99, 1e-5)
    expect("Adam first step, weight 1", p[1].item(), 1.01, 1e-5)
    expect("Adam zeroes the gradient", float(p.grad.abs().sum()), 0.0, 0)
    # Three steps with weight decay 5e-4 and a changing beta1, bit for bit as anglearn's AdamOptimizer
    # wrote them (tiny gradients show where eps sits: torch.optim.Adam gives other values there).
    p = torch.tensor([1.0, -2.0, 0.5, 1e-3], requires_grad=True)
    adam = AnglearnAdam([p], 5e-4)
    grads = ([3, -0.5, 1e-6, 0], [-1, 0.25, 2e-6, 1e-9], [0.5, 0.5, -1e-6, 0])
    anglearn = (["0x1.fe76c8p-1", "-0x1.ff3b64p0", "0x1.fcee8ep-2", "-0x1.b73638p-11"],
                ["0x1.fe0a92p-1", "-0x1.ff4feep0", "0x1.f52082p-2", "0x1.526368p-11"],
                ["0x1.fe00eep-1", "-0x1.ff5f02p0", "0x1.f4c45ap-2", "0x1.2e499p-11"])
    for t, (lr, beta1) in enumerate(((3e-3, 0.95), (1e-2, 0.9), (5e-4, 0.85))):
        p.grad = torch.tensor(grads[t], dtype=torch.float32)
        adam.step(lr, beta1)
        for i, (got, want) in enumerate(zip(p.tolist(), anglearn[t])):
            expect(f"Adam step {t + 1} with weight decay, weight {i} (anglearn, bit for bit)", got, float.fromhex(want), 0)

    # BatchLoader.order of 20 images, seed 1, epochs 0 and 9, as anglearn printed them.
    for ep, want in ((0, [8, 18, 13, 12, 1, 17, 14, 15, 4, 5, 16, 3, 10, 19, 9, 6, 2, 0, 11, 7]),
                     (9, [12, 11, 3, 14, 9, 4, 16, 10, 6, 17, 2, 18, 1, 7, 15, 13, 5, 8, 0, 19])):
        got = epoch_order(20, 1, ep)
        ok = got == want
        print(f"{'ok  ' if ok else 'FAIL'} data order, seed 1, epoch index {ep} (BatchLoader.order): {got}")
        if not ok:
            failures.append(f"data order epoch {ep}")

    # Initial weights of resnet20 + W for seed 1: the sums (in double) of anglearn's parameter arrays.
    expect("Kaiming std of the stem conv", kaiming_std((16, 1, 3, 3)), float(np.float32(math.sqrt(2 / 9))), 0)
    net = Net("resnet20", 1, 10, True)
    init_like_anglearn(net, 1)
    convs = [m for m in net.body.modules() if isinstance(m, torch.nn.Conv2d)]
    expect("seed 1: sum of the stem conv weights (anglearn)", convs[0].weight.double().sum().item(), -4.5237165405415, 1e-12)
    expect("seed 1: sum of the last conv weights (anglearn)", convs[-1].weight.double().sum().item(), 19.817164527610316, 1e-12)
    expect("seed 1: sum of W (anglearn)", net.weight.double().sum().item(), 0.868230822703481, 1e-12)

    print(f"{PROG} --self-check: {'all passed' if not failures else str(len(failures)) + ' FAILED: ' + ', '.join(failures)}")
    return 0 if not failures else 1


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    torch.set_num_interop_threads(1)  # as the anglearn launcher's -Dai.djl.pytorch.num_interop_threads=1
    if a.self_check:
        sys.exit(self_check())
    try:
        train(a)
    except (DataError, FloatingPointError) as e:
        sys.exit(f"{PROG}: {e}")
    except OSError as e:
        sys.exit(f"{PROG}: {e.filename or ''}: {e.strerror or e}")


if __name__ == "__main__":
    main()
