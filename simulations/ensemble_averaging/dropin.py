"""Sections 11.6–11.7 of Baldi & Sadowski: dropin (a unit not kept feeds 1 forward) and the learning
phases of the digits network: Monte Carlo of the dropin subnetworks (the dropout kernel on the
mirrored network, :func:`dropmc.simulations.ensemble_averaging.trained_network.mirror_dropin`),
a plain-numpy reference, the closed form of Eq. 189, the digits networks trained with
dropout, dropin and no noise, and the dropout variances of the dropout- and the
noise-free-trained networks (Secs. 7.2, 11.5)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy import special

from dropmc._studies import study
from dropmc._validation import check_array, check_int, check_probability, check_samples, check_seed
from dropmc.simulations._core import JIT_EXACT, as_generator
from .trained_network import (DIGITS_EPOCHS, DIGITS_HIDDEN, DIGITS_SNAPSHOTS, DropoutMLP,
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


@study(maxsize=16)
def digits_noise_classifier(noise: str, seed: int = 0, hidden: int = 128,
                            epochs: int = 200) -> NoiseTrainedClassifier:
    """The digits network of :func:`digits_classifier` (64-h×4-10, p 0.8 / 0.5, Adam, the
    seeded 75/25 split of ``seed``) trained with ``noise`` (a study, :mod:`dropmc._studies`). The dropout
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


def noise_free_as_dropout(net, ps):
    """The dropout network whose deterministic ensemble network (Eq. 98) is the noise-free
    network ``net`` (every keep probability 1): weights w_ij/p_j, with p_j = ``ps[l]`` the keep
    probability of the layer below weight matrix l, the same biases, keep probabilities
    ``ps``. Eq. 98 scales each weight by p_j, so the ensemble network of the result computes
    exactly what ``net`` computes; its dropout variances are those of the noise-free-trained
    network put under dropout at the same deterministic function."""
    net = _check_net(net)
    if any(p != 1.0 for p in net.ps):
        raise ValueError(f"net must be noise-free (every keep probability 1), got ps = {net.ps}")
    ps = tuple(ps)
    if len(ps) != len(net.Ws):
        raise ValueError(f"ps must hold one keep probability per weight matrix ({len(net.Ws)}), "
                         f"got {len(ps)}")
    ps = tuple(check_probability(f"ps[{l}]", p) for l, p in enumerate(ps))
    return DropoutMLP(tuple(np.asarray(W, float) / p for W, p in zip(net.Ws, ps)), net.bs, ps)


@study(maxsize=4)
def digits_dropout_variances(seed: int, k: int, n: int, run_seed: int) -> dict:
    """Dropout variances, image by image, of the digits networks of training ``seed``
    (:func:`digits_noise_classifier`) trained with dropout and without noise, the latter put
    under the same dropout by :func:`noise_free_as_dropout` (the dropout network's keep
    probabilities): on ``k`` test images of the seed's split (the first k of a permutation
    seeded with 0), ``n`` dropout subnetworks per image, one stream per network and image
    seeded by ``run_seed`` and ``seed`` (so the claims of a run share the draws; a study,
    :mod:`dropmc._studies`). The draws and numbers are :func:`mlp_moments_numpy`'s
    (:func:`_dropout_moments`): with few subnetworks per image and many images this is faster
    than the chunked kernel, whose per-chunk means are not needed (a comparison's SE is over
    the images) and would take ~1 MB per image.

    Returns ``{"layer": (n_units,), "images": (k, n_in), "n": n, "dropout": {...}, "none":
    {...}}``, each network's dict holding per image and non-input unit (arrays (k, n_units))
    ``"ES"`` = E(S), ``"VS"`` = Var(S) and ``"VO"`` = Var(O), the variances unbiased:
    n/(n − 1)·(mean of the squares − square of the mean)."""
    from dropmc.simulations.datasets import load_digits_split

    seed = check_int("seed", seed, minimum=0)
    n = check_samples("n", n, minimum=64)
    run_seed = check_seed("run_seed", run_seed)
    Xt = load_digits_split(0.25, seed=seed)[2]
    k = check_int("k", k, minimum=2, maximum=Xt.shape[0])
    X = Xt[np.random.default_rng(np.random.SeedSequence(0)).permutation(Xt.shape[0])[:k]]
    do = digits_noise_classifier("dropout", seed).final
    nets = {"dropout": do,
            "none": noise_free_as_dropout(digits_noise_classifier("none", seed).final, do.ps)}
    streams = np.random.SeedSequence([run_seed, 97, seed]).spawn(len(nets))
    out = {"layer": do.unit_layer(), "images": X, "n": n}
    for (name, net), s in zip(nets.items(), streams):
        mS, mS2, mO, mO2 = _dropout_moments(net, X, n, s.spawn(k))
        out[name] = {"ES": mS, "VS": n / (n - 1) * (mS2 - mS ** 2),
                     "VO": n / (n - 1) * (mO2 - mO ** 2)}
    return out


def _dropout_moments(net, X, n: int, streams) -> np.ndarray:
    """E(S), E(S²), E(O), E(O²) of every non-input unit of ``net`` over ``n`` dropout
    subnetworks for each row of ``X``, row i drawn from ``streams[i]``: array (4, n_inputs,
    n_units). The draws and operations of :func:`mlp_moments_numpy` with ``batch = n``, for
    these four statistics (its log-domain and σ' sums, not needed here, are left out): per
    row the uniforms in one draw, numpy's matrix products, and one fused pass per layer
    (:func:`_dropout_layer_sums`), bit-identical to it."""
    sizes, L = net.sizes, len(net.Ws)
    off = np.concatenate([[0], np.cumsum(sizes[1:])])     # each layer's first unit
    uoff = np.concatenate([[0], np.cumsum(sizes[:-1])])   # each layer's first uniform / n
    Y = [np.empty((n, sizes[l])) for l in range(L)]
    S = [np.empty((n, sizes[l + 1])) for l in range(L)]
    bs = [np.asarray(b, float) for b in net.bs]
    none = np.empty((0, 0))
    sums = np.zeros((X.shape[0], 4, net.n_units))
    for i, (I, s) in enumerate(zip(np.asarray(X, float), streams)):
        u = as_generator(s).random(n * int(uoff[-1]))
        _dropout_input(I, u[:n * sizes[0]].reshape(n, sizes[0]), float(net.ps[0]), Y[0])
        for l in range(L):
            np.matmul(Y[l], net.Ws[l].T, out=S[l])
            if l < L - 1:
                ul = u[n * uoff[l + 1]:n * uoff[l + 2]].reshape(n, sizes[l + 1])
                _dropout_layer_sums(S[l], bs[l], ul, float(net.ps[l + 1]), Y[l + 1], sums[i],
                                    off[l])
            else:
                _dropout_layer_sums(S[l], bs[l], none, 1.0, none, sums[i], off[l])
    return np.moveaxis(sums, 1, 0) / n


@njit(**JIT_EXACT)
def _dropout_input(I, u, p, Y):
    """The input layer of a batch of subnetworks: Y[r, j] = I[j]·δ, δ = 1 if u[r, j] < p
    else 0 (as ``I * keep``)."""
    for r in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[r, j] = I[j] * (1.0 if u[r, j] < p else 0.0)


@njit(**JIT_EXACT)
def _dropout_layer_sums(S, b, u, p, Y, sums, off):
    """One layer of a batch of subnetworks: x = S[r, j] + b[j] and O = σ(x) (1/(1 + e^−x), as
    scipy's ``expit``) added, in row order, to ``sums[0..3, off + j]`` as x, x², O, O²; for a
    hidden layer (``Y`` not empty) the next layer's input Y[r, j] = O·δ, δ = 1 if u[r, j] < p
    else 0."""
    hidden = Y.shape[0] > 0
    for r in range(S.shape[0]):
        for j in range(S.shape[1]):
            x = S[r, j] + b[j]
            o = 1.0 / (1.0 + math.exp(-x))
            g = off + j
            sums[0, g] += x
            sums[1, g] += x * x
            sums[2, g] += o
            sums[3, g] += o * o
            if hidden:
                Y[r, j] = o * (1.0 if u[r, j] < p else 0.0)
