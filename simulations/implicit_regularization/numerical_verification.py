"""Section 5.1 of Zhang & Xu (and the initialisation of Appendix A): full-batch training of a
two-layer network with dropout, with the explicit R1 penalty or plain (NumPy)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import (MAX_SAMPLES, check_choice, check_int, check_probability,
                                check_real, check_samples)
from dropmc.simulations._core import as_seed_sequence
from dropmc.simulations.optim import Adam
from dropmc.theory import implicit_regularization as th


def init_two_layer(d: int, m: int, d_out: int = 1, *, std: float | None = None, rng=None):
    r"""Appendix A initialisation "θ ~ N(0, 1/m^0.2)" (read as variance m^{-0.2}); returns
    (weights, biases) of a d-m-d_out network (the parameters must fit in memory)."""
    m = check_samples("m", m, bytes_per_sample=8 * 3)          # w_j, b_j, a_j at least
    d = check_samples("d", d, bytes_per_sample=8 * m)
    d_out = check_samples("d_out", d_out, bytes_per_sample=8 * (m + 1))
    s = m ** -0.1 if std is None else check_real("std", std, lo=0.0)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    W1 = g.normal(0, s, (m, d))
    b1 = g.normal(0, s, m)
    W2 = g.normal(0, s, (d_out, m))
    b2 = g.normal(0, s, d_out)
    return [W1, W2], [b1, b2]


def train_two_layer(weights, biases, X, Y, *, p: float = 1.0, mode: str = "dropout",
                    activation: str = "tanh", steps: int = 10_000, lr: float = 1e-3,
                    optimizer: str = "adam", rng=None, record_every: int = 0,
                    snapshots: list | None = None, r1_weight: float = 1.0):
    r"""Full-batch training of a two-layer network (NumPy, no framework).

    ``mode``: ``"dropout"`` — the loss :math:`R_S^{drop}` with a fresh η per data point and per
    step on the hidden layer (as PyTorch's dropout layer does); ``"r1"`` — the explicit loss
    :math:`R_S+R_1` (Eq. 6, :math:`L_1`), with R1 multiplied by ``r1_weight`` (1 by default;
    the power runs of ``sec5_1.dropout_vs_r1_training`` move it); ``"plain"`` — :math:`R_S`.
    Adam (β = 0.9, 0.999) or GD.
    Returns (weights, biases, history) where history rows are (step, R_S, R_1); when
    ``snapshots`` is a list, (step, W1, b1) copies are appended to it at every record step.
    """
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    if len(Ws) != 2:
        raise ValueError(f"train_two_layer needs a two-layer network, got {len(Ws)} layers")
    p = check_probability("p", p)
    check_choice("mode", mode, ("dropout", "r1", "plain"))
    check_choice("optimizer", optimizer, ("adam", "gd"))
    steps = check_int("steps", steps, minimum=1, maximum=MAX_SAMPLES)
    record_every = check_int("record_every", record_every, minimum=0, maximum=MAX_SAMPLES)
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    W1, b1, W2, b2 = Ws[0].copy(), bs[0].copy(), Ws[1].copy(), bs[1].copy()
    n = X.shape[0]
    params = [W1, b1, W2, b2]
    adam = Adam(params, lr)
    hist = []
    r1_weight = check_real("r1_weight", r1_weight, lo=0.0)
    c1 = r1_weight * (1.0 - p) / (n * p)
    for t in range(1, steps + 1):
        Z = X @ W1.T + b1
        H = th.act(activation, Z)
        if mode == "dropout" and p < 1.0:
            S = (g.random(H.shape) < p) / p
        else:
            S = 1.0
        Hd = H * S
        out = Hd @ W2.T + b2
        E = (out - Y) / n
        gW2 = E.T @ Hd
        gb2 = E.sum(axis=0)
        dH = (E @ W2) * S
        if mode == "r1" and p < 1.0:
            col = np.sum(W2 * W2, axis=0)
            gW2 = gW2 + c1 * W2 * np.sum(H * H, axis=0)
            dH = dH + c1 * H * col
        dZ = dH * th.act_prime(activation, Z)
        grads = [dZ.T @ X, dZ.sum(axis=0), gW2, gb2]
        if optimizer == "adam":
            adam.step(params, grads)
        else:
            for q, gq in zip(params, grads):
                q -= lr * gq
        if record_every and (t % record_every == 0 or t == steps):
            rs = th.empirical_risk([W1, W2], [b1, b2], X, Y, activation)
            hist.append((t, rs, th.r1([W1, W2], [b1, b2], X, p, activation) if p < 1 else 0.0))
            if snapshots is not None:
                snapshots.append((t, W1.copy(), b1.copy()))
    return [W1, W2], [b1, b2], np.array(hist)
