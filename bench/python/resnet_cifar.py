"""The networks of anglearn's model package in PyTorch for Python, shared by the benchmark baselines
(train_step.py, train_reference.py).

- OptionABlock / ProjectionBlock: io.anglearn.model.ResidualBlock with Shortcut.ZERO_PAD (option A:
  subsample by the stride, zero-pad the extra channels, half before and half after) or
  Shortcut.PROJECTION (1x1 convolution with the stride, then BatchNorm).
- backbone(): io.anglearn.model.ResNetCifar: 3x3 stem convolution + BatchNorm + ReLU, no max-pool,
  three stages of 16/32/64 channels (resnet20/32/44/56/110, option A) or four of 64/128/256/512
  (resnet18/34, projection), global average pooling.
- Net: io.anglearn.model.EmbeddingNetwork: backbone, an optional linear projection to d dimensions
  (with bias, nothing after it), and io.anglearn.loss.ClassifierHead's class weights W (C x d, no
  bias): x.W^T for a linear head, cos(theta) = x^.W^T^ for a cosine head. forward() returns
  (features, head output), as the Java network does.

Convolutions have no bias; BatchNorm has epsilon 1e-5 and PyTorch momentum 0.1 (DJL's 0.9, see
init_like_anglearn), so the modules' defaults already match. The initial values do not: PyTorch
draws convolutions Kaiming-uniform with a = sqrt(5); init_like_anglearn() redraws every weight the
way anglearn does.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ClassifierHead.NORM_EPSILON: v / max(|v|, 1e-12), the same as F.normalize.
NORM_EPSILON = 1e-12


class OptionABlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.stride, self.pad = stride, cout - cin

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        sc = x
        if self.stride != 1 or self.pad:
            sc = x[:, :, ::self.stride, ::self.stride]
            sc = F.pad(sc, (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
        return F.relu(out + sc)


class ProjectionBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.short is None else self.short(x)))


ARCHS = ("resnet18", "resnet20", "resnet32", "resnet34", "resnet44", "resnet56", "resnet110")


def backbone(arch, channels):
    """Returns (the backbone as an nn.Sequential, its feature width F)."""
    if arch not in ARCHS:
        raise ValueError(f"unknown architecture {arch!r}; expected one of {', '.join(ARCHS)}")
    if arch in ("resnet18", "resnet34"):
        counts = [2, 2, 2, 2] if arch == "resnet18" else [3, 4, 6, 3]
        widths, block, stem = [64, 128, 256, 512], ProjectionBlock, 64
    else:
        n = (int(arch[len("resnet"):]) - 2) // 6
        counts, widths, block, stem = [n, n, n], [16, 32, 64], OptionABlock, 16
    layers = [nn.Conv2d(channels, stem, 3, 1, 1, bias=False), nn.BatchNorm2d(stem), nn.ReLU()]
    cin = stem
    for s, (count, w) in enumerate(zip(counts, widths)):
        for b in range(count):
            layers.append(block(cin, w, 2 if (s > 0 and b == 0) else 1))
            cin = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers), cin


class Net(nn.Module):
    """Backbone, optional projection to embedding_dim, class weights W. forward() -> (features, head)."""

    def __init__(self, arch, channels, classes, cosine, embedding_dim=0):
        super().__init__()
        self.body, dim = backbone(arch, channels)
        self.projection = nn.Linear(dim, embedding_dim) if embedding_dim > 0 else None
        if embedding_dim > 0:
            dim = embedding_dim
        self.weight = nn.Parameter(torch.randn(classes, dim) * math.sqrt(2.0 / dim))
        self.cosine = cosine

    def forward(self, x):
        f = self.body(x)
        if self.projection is not None:
            f = self.projection(f)
        return f, head_scores(f, self.weight, self.cosine)


def head_scores(features, weight, cosine):
    """ClassifierHead.scores with one row per class: x.W^T (linear) or x^.W^T^ = cos(theta) (cosine)."""
    if cosine:
        return F.normalize(features, dim=1, eps=NORM_EPSILON) @ F.normalize(weight, dim=1, eps=NORM_EPSILON).t()
    return features @ weight.t()


def kaiming_std(shape):
    """The standard deviation DJL's XavierInitializer(GAUSSIAN, IN, 2) draws with, as DJL computes it:
    fan_in = shape[1] * prod(shape[2:]) in float32, sqrt(2f / fan_in) rounded to float32."""
    fan_in = np.float32(shape[1] * (int(np.prod(shape[2:])) if len(shape) > 2 else 1))
    return float(np.float32(math.sqrt(float(np.float32(2.0) / fan_in))))


@torch.no_grad()
def init_like_anglearn(net, seed):
    """Initialises every parameter as anglearn's Trainer does (io.anglearn.model.Layers, DJL's
    Parameter.Type defaults, EmbeddingNetwork, ClassifierHead):

    - the generator is seeded with (int) seed (DJL's Engine.setRandomSeed -> torch::manual_seed);
    - every convolution weight, the projection's weight and W are drawn N(0, std) with std =
      sqrt(2 / fan_in) (Kaiming normal, fan-in), one torch.normal call each, in the order DJL
      initialises its blocks: the stem, each block's conv1, conv2 (and shortcut conv), then the
      projection, then the head;
    - BatchNorm gamma = 1, beta = 0, running mean 0, running variance 1; the projection's bias 0.

    DJL draws through the same libtorch generator (torch::normal), so with the same seed the draws
    are the same up to differences between libtorch versions in the normal sampler.
    """
    torch.manual_seed(seed)
    for m in net.body.modules():
        if isinstance(m, nn.Conv2d):
            m.weight.copy_(torch.normal(0.0, kaiming_std(tuple(m.weight.shape)), tuple(m.weight.shape)))
        elif isinstance(m, nn.BatchNorm2d):
            m.weight.fill_(1)
            m.bias.fill_(0)
            m.running_mean.zero_()
            m.running_var.fill_(1)
            m.num_batches_tracked.zero_()
    if net.projection is not None:
        w = net.projection.weight
        w.copy_(torch.normal(0.0, kaiming_std(tuple(w.shape)), tuple(w.shape)))
        net.projection.bias.zero_()
    net.weight.copy_(torch.normal(0.0, kaiming_std(tuple(net.weight.shape)), tuple(net.weight.shape)))
