"""Section 3 of Liang, Khoo & Yang: the training map (I − P + Pf)(x) of Eq. 3 and its
expectation (Eq. 5) per coordinate, for ReLU, sigmoid or tanh, by Monte Carlo and by
enumeration of the masks; the ensemble average of a network of several such layers (Section
1.1) by enumeration; RReLU (Eq. 6) for comparison; the same-stream numpy references."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import check_array, check_choice, check_probability, check_samples
from dropmc.simulations import enumeration
from dropmc.simulations._core import JIT, as_seed_sequence, chunk_sizes, chunk_states, run_chunks
from dropmc.simulations._xoshiro import fill_doubles, next_double
from dropmc.theory.drop_activation import (ACTIVATIONS, _check_layers, _check_rrelu,
                                          drop_activation_map)

ACTIVATION_CODES = {"relu": 0, "sigmoid": 1, "tanh": 2}


@njit(**JIT)
def _act(code, x):
    if code == 0:
        return x if x > 0.0 else 0.0
    if code == 1:
        return 0.5 * (1.0 + math.tanh(0.5 * x))
    return math.tanh(x)


# ------------------------------------------------------------------------------------------
# Eq. 3 / Eq. 5: the training map and its expectation
# ------------------------------------------------------------------------------------------

@njit(**JIT)
def _training_map_kernel(gen, n, d, p):
    """Number of draws (out of n) in which each of d nonlinearities is kept. The training map
    (1 − P_j)x_j + P_j f(x_j) takes only the values x_j and f(x_j), so these counts are a
    sufficient statistic for its sample mean and variance. Coordinate-major order: the count
    stays in a register and is stored once per coordinate."""
    counts = np.zeros(d, dtype=np.int64)
    for j in range(d):
        c = 0
        for _ in range(n):
            if next_double(gen) < p:
                c += 1
        counts[j] = c
    return counts


def estimate_expected_map(x, p: float, activation: str = "relu", *, n: int = 100_000,
                          rng=None, chunk_size: int = 1 << 13):
    """Monte Carlo E_P (I − P + Pf)(x) (Eq. 3) per coordinate.

    Returns ``(mean, se)`` arrays of shape (d,); coordinates where f(x_j) = x_j are
    deterministic (no draw is spent on them) and get SE 0. With K_j kept draws out of n, the
    sample mean is x_j + (K_j/n)(f(x_j) − x_j) and the sample variance
    (K_j(n − K_j)/(n(n − 1)))(f(x_j) − x_j)².
    """
    x = check_array("x", x, ndim=1)
    p = check_probability("p", p)
    check_choice("activation", activation, tuple(ACTIVATION_CODES))
    n = check_samples("n", n, minimum=2)
    ss = as_seed_sequence(rng)
    fx = np.array([_act(ACTIVATION_CODES[activation], float(v)) for v in x])
    rand = fx != x
    mean = x.copy()
    se = np.zeros_like(x)
    if rand.any():
        dr = int(rand.sum())
        parts = run_chunks(lambda g, m: _training_map_kernel(g, m, dr, p), n, ss,
                           chunk_size=chunk_size, stream="xoshiro")
        k = sum(parts).astype(float)
        gap = fx[rand] - x[rand]
        mean[rand] = x[rand] + k / n * gap
        var = k * (n - k) / (n * (n - 1.0)) * gap * gap
        se[rand] = np.sqrt(var / n)
    return mean, se


def expected_map_by_enumeration(x, p: float, activation: str = "relu") -> np.ndarray:
    """E_P (I − P + Pf)(x) by summing over all 2^d masks with their probabilities (d ≤ 22)."""
    x = check_array("x", x, ndim=1)
    p = check_probability("p", p)
    check_choice("activation", activation, tuple(ACTIVATION_CODES))
    fx = np.array([_act(ACTIVATION_CODES[activation], float(v)) for v in x])
    masks, w = enumeration.enumerate_masks(x.size, p)
    outs = (1 - masks) * x + masks * fx
    return w @ outs


def network_average_by_enumeration(x, weights, p: float, activation: str = "relu") -> np.ndarray:
    """E_P of the output of the random network of Section 1.1: every hidden layer
    x_{l+1} = (I − P_l + P_l f)(W_l x_l) (Eq. 3) with its own independent mask P_l, then the
    linear read-out W_L x_L; summed over all 2^D joint masks of the D hidden units with their
    probabilities (D ≤ 22). ``weights`` = [W_0, …, W_L] as in
    :func:`dropmc.theory.drop_activation.deterministic_network`, whose output this equals for
    one hidden layer (Eq. 5) and, in general, not for more."""
    p = check_probability("p", p)
    check_choice("activation", activation, tuple(ACTIVATION_CODES))
    x, Ws = _check_layers(x, weights)
    widths = [W.shape[0] for W in Ws[:-1]]
    if sum(widths) > enumeration.MAX_MATERIALISED:
        raise ValueError(f"weights: the hidden layers hold {sum(widths)} units in all; at most "
                         f"{enumeration.MAX_MATERIALISED} (all 2^D joint masks are enumerated)")
    masks, prob = enumeration.enumerate_masks(sum(widths), p)
    f = ACTIVATIONS[activation]
    h = np.broadcast_to(x, (masks.shape[0], x.size))
    start = 0
    for W, d in zip(Ws[:-1], widths):
        h = drop_activation_map(h @ W.T, masks[:, start:start + d], f)
        start += d
    return prob @ (h @ Ws[-1].T)


# ------------------------------------------------------------------------------------------
# Eq. 6: RReLU for comparison
# ------------------------------------------------------------------------------------------

@njit(**JIT)
def _rrelu_kernel(gen, n, x, a, b):
    """Per-coordinate sums of (v − K_j) and (v − K_j)² over n draws, with K_j the chunk's first
    draw of coordinate j (shifted data: the variance loses no digits however large the mean
    is against the spread); returns (K, s, s2). One uniform per negative coordinate per draw,
    draw-major."""
    d = x.shape[0]
    K = np.zeros(d)
    s = np.zeros(d)
    s2 = np.zeros(d)
    for i in range(n):
        for j in range(d):
            v = x[j] if x[j] >= 0.0 else (a + (b - a) * next_double(gen)) * x[j]
            if i == 0:
                K[j] = v
            e = v - K[j]
            s[j] += e
            s2[j] += e * e
    return K, s, s2


def estimate_rrelu_mean(x, a: float, b: float, *, n: int = 100_000, rng=None,
                        chunk_size: int = 1 << 13):
    """Monte Carlo E_U RReLU(x) (Eq. 6) per coordinate, U_j ~ U(a, b): ``(mean, se)``."""
    x = check_array("x", x, ndim=1)
    a, b = _check_rrelu(a, b)
    n = check_samples("n", n, minimum=2)
    sizes = chunk_sizes(n, chunk_size)
    parts = run_chunks(lambda g, m: _rrelu_kernel(g, m, x, a, b), n, rng, chunk_size=chunk_size,
                       stream="xoshiro")
    # per chunk: mean K + s/m and M2 = s2 − s²/m (small: centred near K); Chan combination
    mean = np.zeros_like(x)
    m2 = np.zeros_like(x)
    tot = 0
    for m, (K, s, s2) in zip(sizes, parts):
        mb = K + s / m
        m2b = np.maximum(s2 - s * s / m, 0.0)
        delta = mb - mean
        mean = mean + delta * (m / (tot + m))
        m2 = m2 + m2b + delta * delta * (tot * m / (tot + m))
        tot += m
    var = m2 / (n - 1)
    se = np.sqrt(var / n)
    se[x >= 0] = 0.0
    return mean, se


# ------------------------------------------------------------------------------------------
# Plain-numpy references (vectorised; used by the tests for agreement and by the benchmarks
# as the baseline). Same estimators, same statistics, numpy's own vectorised draws.
# ------------------------------------------------------------------------------------------

def rrelu_same_stream(x, a: float, b: float, *, n: int, rng=None, chunk_size: int = 1 << 13):
    """Numpy reference of :func:`estimate_rrelu_mean` on the same stream and chunks: the
    chunk's uniforms (one per negative coordinate per draw, draw-major) are filled at once
    (:func:`~dropmc.simulations._xoshiro.fill_doubles`) and RReLU(x) = (a + (b − a)U)x for
    x < 0 (Eq. 6) is averaged with numpy. Returns ``(mean, se)``."""
    x = check_array("x", x, ndim=1)
    a, b = _check_rrelu(a, b)
    n = check_samples("n", n, minimum=2, bytes_per_sample=16 * x.size)
    neg = x < 0
    sizes = chunk_sizes(n, chunk_size)
    vals = []
    for g, m in zip(chunk_states(rng, len(sizes)), sizes):
        u = np.empty(m * int(neg.sum()))
        fill_doubles(g, u)
        v = np.broadcast_to(x, (m, x.size)).copy()
        v[:, neg] = (a + (b - a) * u.reshape(m, -1)) * x[neg]
        vals.append(v)
    v = np.concatenate(vals)
    return v.mean(axis=0), v.std(axis=0, ddof=1) / math.sqrt(n)


def training_map_counts_same_stream(d: int, p: float, *, n: int, rng=None,
                                    chunk_size: int = 1 << 13) -> np.ndarray:
    """Numpy reference of the keep counts behind :func:`estimate_expected_map`: each chunk's
    uniforms (coordinate-major, n per coordinate) filled at once and compared with p."""
    p = check_probability("p", p)
    n = check_samples("n", n)
    d = check_samples("d", d, bytes_per_sample=8 * min(n, chunk_size))
    sizes = chunk_sizes(n, chunk_size)
    k = np.zeros(d, dtype=np.int64)
    for g, m in zip(chunk_states(rng, len(sizes)), sizes):
        u = np.empty(m * d)
        fill_doubles(g, u)
        k += (u.reshape(d, m) < p).sum(axis=1)
    return k
