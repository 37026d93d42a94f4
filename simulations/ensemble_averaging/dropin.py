"""Sections 11.6–11.7 of Baldi & Sadowski: dropin (a unit not kept feeds 1 forward) and the learning
phases of the digits network: Monte Carlo of the dropin subnetworks (the dropout kernel on the
mirrored network, :func:`dropmc.simulations.ensemble_averaging.trained_network.mirror_dropin`),
a plain-numpy reference, the closed form of Eq. 189, and the digits networks trained with
dropout, dropin and no noise."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import special

from dropmc._validation import check_array, check_samples
from dropmc.simulations._core import as_generator
from .trained_network import (DIGITS_EPOCHS, DIGITS_HIDDEN, DIGITS_SNAPSHOTS,
                              NoiseTrainedClassifier, _check_inputs, _check_net,
                              digits_classifier, estimate_mlp_moments, mirror_dropin,
                              noise_ensemble_flat, train_noise_classifier)

# ==========================================================================================
# Sections 11.6–11.7: dropin, and the learning phases of the dropout-trained digits network
# ==========================================================================================


def estimate_noise_moments(net, inputs, noise: str = "dropout", *, n: int = 10_000, rng=None):
    """Monte Carlo over ``n`` random subnetworks of ``net`` for each input, under dropout
    (units kept with p, else 0) or dropin (kept with p, else 1). Dropin runs the dropout kernel
    :func:`estimate_mlp_moments` on :func:`mirror_dropin` with inputs 1 − I: its E(O) is
    1 − E(O'), Var(O) = Var(O') (the moments ``"O"`` and ``"O2"`` are mirrored back, so
    ``.E()`` and ``.V()`` refer to the dropin units; the log and S moments stay mirrored)."""
    if noise not in ("dropout", "dropin"):
        raise ValueError(f"noise must be 'dropout' or 'dropin', got {noise!r}")
    if noise == "dropout":
        return estimate_mlp_moments(net, inputs, n=n, rng=rng)
    X = check_array("inputs", np.atleast_2d(inputs), ndim=2)
    if np.any((X < 0) | (X > 1)):
        raise ValueError("inputs must lie in [0, 1] for dropin (set to 1 when not kept)")
    mc = estimate_mlp_moments(mirror_dropin(net), 1.0 - X, n=n, rng=rng)
    # O = 1 − O': E O = 1 − E O', E O² = 1 − 2 E O' + E O'²  (chunk by chunk: linear)
    for d in (mc.mean, mc.batch):
        o1, o2 = d["O"], d["O2"]
        d["O"], d["O2"] = 1.0 - o1, 1.0 - 2.0 * o1 + o2
    return mc


def dropin_moments_numpy(net, I, n: int, *, rng=None, batch: int = 2048) -> dict:
    """Plain-numpy dropin Monte Carlo for one input (no mirror): units not kept feed 1 forward.
    Same draw order as :func:`mlp_moments_numpy`; returns the sample means of O and O² per
    unit (keys ``"O"``, ``"O2"``)."""
    I = check_array("I", I, shape=(_check_net(net).sizes[0],))
    n = check_samples("n", n)
    batch = check_samples("batch", batch)
    g = as_generator(rng)
    N, L = net.n_units, len(net.Ws)
    s1, s2 = np.zeros(N), np.zeros(N)
    done = 0
    while done < n:
        B = min(batch, n - done)
        keep = g.random((B, I.size)) < net.ps[0]
        y = np.where(keep, I, 1.0)
        Os = []
        for l in range(L):
            O = special.expit(y @ net.Ws[l].T + net.bs[l])
            Os.append(O)
            if l < L - 1:
                y = np.where(g.random(O.shape) < net.ps[l + 1], O, 1.0)
        Oall = np.concatenate(Os, axis=1)
        s1 += Oall.sum(axis=0)
        s2 += (Oall * Oall).sum(axis=0)
        done += B
    return {"O": s1 / n, "O2": s2 / n}


def noise_var_S_closed(net, X, noise: str = "dropout") -> np.ndarray:
    """Eq. 189 with the noise applied to the layer below only (its outputs fixed at their
    deterministic ensemble values W^{l−1}, the input I for layer 1): per non-input unit,
    Var(S_i) = Σ_j w_ij² x_j² p_j(1 − p_j) with x_j = O_j for dropout and x_j = 1 − O_j for
    dropin (the dropin unit is O_j + (1 − δ_j)(1 − O_j), a Bernoulli shift of size 1 − O_j).
    Returns (n_inputs, n_units)."""
    if noise not in ("dropout", "dropin"):
        raise ValueError(f"noise must be 'dropout' or 'dropin', got {noise!r}")
    X = _check_inputs("X", net, X)
    U, W = noise_ensemble_flat(net, X, noise)
    off = np.concatenate([[0], np.cumsum(net.sizes[1:])])
    out = []
    for l, (Wl, p) in enumerate(zip(net.Ws, net.ps)):
        below = X if l == 0 else W[:, off[l - 1]:off[l]]
        x = below if noise == "dropout" else 1.0 - below
        out.append((x ** 2) @ (np.asarray(Wl, float) ** 2).T * p * (1 - p))
    return np.concatenate(out, axis=1)


#: training seeds of the dropout / dropin / no-noise comparison (Sec. 11.6)
NOISE_SEEDS = (0, 1)


@lru_cache(maxsize=16)
def digits_noise_classifier(noise: str, seed: int = 0, hidden: int = 128,
                            epochs: int = 200) -> NoiseTrainedClassifier:
    """The digits network of :func:`digits_classifier` (64-h×4-10, p 0.8 / 0.5, Adam, the
    seeded 75/25 split of ``seed``) trained with ``noise`` (memoised per process). The dropout
    network at the default settings reuses the memoised :func:`digits_classifier` weights
    (bit-identical to training it here)."""
    from dropmc.simulations.datasets import load_digits_split

    X, y, Xt, yt = load_digits_split(0.25, seed=int(seed))
    if noise == "dropout" and int(hidden) == DIGITS_HIDDEN and int(epochs) == DIGITS_EPOCHS:
        c = digits_classifier(seed=int(seed))
        correct = c.final.predict(c.X_test) == c.y_test
        return NoiseTrainedClassifier("dropout", c.snapshots, c.test_accuracy, c.train_accuracy,
                                      correct, c.seconds, dict(c.settings, noise="dropout"),
                                      c.accuracy_curve)
    return train_noise_classifier(X, y, Xt, yt, noise=noise, hidden=(int(hidden),) * 4,
                                  epochs=int(epochs), seed=int(seed),
                                  snapshot_epochs=DIGITS_SNAPSHOTS)
