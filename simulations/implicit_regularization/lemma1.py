"""Section 4, Lemma 1 of Zhang & Xu: E_η R_S^drop under Setting 1 (dropout after layer L − 1)
by Monte Carlo (Numba), by numpy references and exactly (all keep masks, Gray-code walk), its
gradient, and dropout on any set of hidden layers (outside Setting 1)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import check_int, check_probability, check_samples
from dropmc.estimate import Estimate, combine_welford, seed_of
from dropmc.simulations import enumeration
from dropmc.simulations._core import JIT_FAST, as_seed_sequence, run_chunks
from dropmc.theory import implicit_regularization as th

# ------------------------------------------------------------------------------------------
# Lemma 1: E_η R_S^drop under Setting 1 (dropout after layer L − 1)
# ------------------------------------------------------------------------------------------


def _setting1_parts(weights, biases, X, Y, activation):
    """Outputs are affine in the keep mask m_j = 1[η_j ≠ −1]:
    o_i(m) − y_i = (b^L − y_i) + Σ_j m_j W_j h_ij / p. Returns base (n, d') and G (n, m, d')
    with G[i, j] = W_j h_ij (so the dropout output is b^L + Σ_j (1 + η_j) G[i, j])."""
    h = th.forward(weights, biases, X, activation)[-2]           # (n, m)
    G = h[:, :, None] * weights[-1].T[None, :, :]                 # (n, m, d')
    base = np.broadcast_to(biases[-1], (X.shape[0], weights[-1].shape[0])) - Y
    return np.ascontiguousarray(base), np.ascontiguousarray(G)


#: Bernoulli(p) from 16-bit digits: one 53-bit uniform feeds three keep/drop decisions
_TWO53 = 9007199254740992.0


def _digit_split(p: float) -> tuple[int, float]:
    """p·2^16 = P1 + frac with P1 an integer: keep ⟺ D < P1, or D = P1 and V < frac, for a
    uniform 16-bit digit D and a fresh uniform V — exactly Bernoulli(p)."""
    x = p * 65536.0
    P1 = int(math.floor(x))
    return P1, x - P1


@njit(**JIT_FAST)
def _dropout_risk_kernel(gen, n, base, DT, P1, frac, inv2n):
    """Welford (count, mean, M2) of R^drop = inv2n Σ_c (base_c + Σ_j keep_j DT[c, j])² over n
    draws of one η shared by all data points (Eq. 2); ``DT`` is (n_data·d', m) = (G/p)ᵀ.

    Keep decisions use 16-bit digits of 53-bit uniforms (three per ``gen.random()`` call,
    ⌈m/3⌉ calls per draw); a digit equal to ⌊p·2^16⌋ is resolved by one more uniform, so each
    unit is kept with probability exactly p (see :func:`_digit_split`). The output is then a
    branch-free dot product per output coordinate."""
    k, m = DT.shape
    q = (m + 2) // 3
    keep = np.empty(3 * q)
    mean = 0.0
    m2 = 0.0
    for t in range(n):
        for j in range(0, 3 * q, 3):
            r = np.int64(gen.random() * _TWO53)
            d0 = r & 0xFFFF
            d1 = (r >> 16) & 0xFFFF
            d2 = (r >> 32) & 0xFFFF
            keep[j] = 1.0 if d0 < P1 else 0.0
            keep[j + 1] = 1.0 if d1 < P1 else 0.0
            keep[j + 2] = 1.0 if d2 < P1 else 0.0
            if d0 == P1 or d1 == P1 or d2 == P1:      # ties (probability ≈ 3·2^-16)
                if d0 == P1:
                    keep[j] = 1.0 if gen.random() < frac else 0.0
                if d1 == P1 and j + 1 < m:
                    keep[j + 1] = 1.0 if gen.random() < frac else 0.0
                if d2 == P1 and j + 2 < m:
                    keep[j + 2] = 1.0 if gen.random() < frac else 0.0
        s = 0.0
        for c in range(k):
            acc = 0.0
            for jj in range(m):
                acc += keep[jj] * DT[c, jj]
            acc += base[c]
            s += acc * acc
        s *= inv2n
        d = s - mean
        mean += d / (t + 1)
        m2 += d * (s - mean)
    return n, mean, m2


def _check_setting1(weights, biases, X, Y, activation, p):
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    p = check_probability("p", p)
    return Ws, bs, X, Y, p


def _check_numpy_draws(n, chunk_size, m: int, outputs: int):
    """``n`` ≥ 64 draws and a ``chunk_size`` whose arrays of the numpy references fit in
    memory: per draw, m uniforms and keep decisions and ``outputs`` (data points × d') outputs."""
    n = check_samples("n", n, minimum=64)
    per_draw = 8 * (2 * m + 2 * outputs)
    return n, check_samples("chunk_size", chunk_size, bytes_per_sample=per_draw)


def estimate_dropout_risk(weights, biases, X, Y, p: float, activation: str = "tanh", *,
                          n: int = 100_000, rng=None, chunk_size: int = 4096) -> Estimate:
    r"""Monte Carlo :math:`E_\eta R_S^{drop}(\theta,\eta)` (Eq. 2) under Setting 1: one η per
    draw on the last hidden layer, shared by the n data points (the paper's notation).

    Parameters: ``weights``/``biases`` lists (L ≥ 2 layers), ``X`` (n, d), ``Y`` (n, d'),
    keep probability ``p`` in (0, 1], ``n`` ≥ 64 draws.
    """
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    n = check_samples("n", n, minimum=64)
    chunk_size = check_int("chunk_size", chunk_size, minimum=1)
    base, G = _setting1_parts(Ws, bs, X, Y, activation)
    nd = X.shape[0]
    base_flat = np.ascontiguousarray(base.ravel())
    D = np.ascontiguousarray(G.transpose(1, 0, 2).reshape(G.shape[1], -1) / p)
    inv2n = 1.0 / (2.0 * nd)
    P1, frac = _digit_split(p)
    DT = np.ascontiguousarray(D.T)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, k: _dropout_risk_kernel(g, k, base_flat, DT, P1, frac, inv2n),
                       n, ss, chunk_size=chunk_size, min_chunks=32)
    tot, mean, m2 = combine_welford(parts)
    var = m2 / (tot - 1)
    return Estimate(float(mean), float(math.sqrt(var / tot)), int(tot), "monte_carlo",
                    seed_of(ss))


def dropout_risk_numpy(weights, biases, X, Y, p: float, activation: str = "tanh", *,
                       n: int = 100_000, rng=None, chunk_size: int = 4096) -> Estimate:
    """The plain-numpy vectorised reference for :func:`estimate_dropout_risk` (same law, same
    chunking, its own draws): used by the tests (agreement) and the benchmark (speed)."""
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    n, chunk_size = _check_numpy_draws(n, chunk_size, Ws[-1].shape[1], Y.size)
    base, G = _setting1_parts(Ws, bs, X, Y, activation)
    base_flat = base.ravel()
    D = G.transpose(1, 0, 2).reshape(G.shape[1], -1) / p
    inv2n = 1.0 / (2.0 * X.shape[0])

    def chunk(g, k):
        keep = g.random((k, D.shape[0])) < p
        o = base_flat + keep @ D
        s = inv2n * np.einsum("ij,ij->i", o, o)
        return k, float(s.mean()), float(((s - s.mean()) ** 2).sum())

    ss = as_seed_sequence(rng)
    parts = run_chunks(chunk, n, ss, chunk_size=chunk_size, min_chunks=32, threads=1)
    tot, mean, m2 = combine_welford(parts)
    return Estimate(float(mean), float(math.sqrt(m2 / (tot - 1) / tot)), int(tot),
                    "monte_carlo", seed_of(ss))


def dropout_risk_numpy_digits(weights, biases, X, Y, p: float, activation: str = "tanh", *,
                              n: int = 10_000, rng=None, chunk_size: int = 4096) -> Estimate:
    """Numpy replica of the kernel's draws (16-bit digits of 53-bit uniforms), for p with
    p·2^16 an integer (no tie-breaking draws): the bit-for-bit reference in the tests."""
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    n, chunk_size = _check_numpy_draws(n, chunk_size, Ws[-1].shape[1], Y.size)
    P1, frac = _digit_split(p)
    if frac != 0.0:
        raise ValueError(f"p must be a multiple of 2^-16 for the digit replica, got {p!r}")
    base, G = _setting1_parts(Ws, bs, X, Y, activation)
    base_flat = base.ravel()
    m = G.shape[1]
    D = G.transpose(1, 0, 2).reshape(m, -1) / p
    inv2n = 1.0 / (2.0 * X.shape[0])

    def chunk(g, k):
        q = -(-m // 3)
        u = (g.random(k * q) * _TWO53).astype(np.int64)
        dig = ((u[:, None] >> np.array([0, 16, 32])) & 0xFFFF).reshape(k, 3 * q)[:, :m]
        o = base_flat + (dig < P1) @ D
        s = inv2n * np.einsum("ij,ij->i", o, o)
        return k, float(s.mean()), float(((s - s.mean()) ** 2).sum())

    ss = as_seed_sequence(rng)
    parts = run_chunks(chunk, n, ss, chunk_size=chunk_size, min_chunks=32, threads=1)
    tot, mean, m2 = combine_welford(parts)
    return Estimate(float(mean), float(math.sqrt(m2 / (tot - 1) / tot)), int(tot),
                    "monte_carlo", seed_of(ss))


def exact_dropout_risk(weights, biases, X, Y, p: float, activation: str = "tanh") -> Estimate:
    r""":math:`E_\eta R_S^{drop}` exactly under Setting 1: all :math:`2^{m_{L-1}}` keep masks of
    the dropout layer walked in Gray-code order, one unit flipped per step with the outputs of
    all data points updated together, the squared errors summed per number of kept units and
    weighted by :math:`p^c(1-p)^{m-c}` (log domain); :math:`m_{L-1}\le 30`."""
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    base, G = _setting1_parts(Ws, bs, X, Y, activation)
    m = G.shape[1]
    check_int("width of the dropout layer", m, maximum=30)
    inv2n = 1.0 / (2.0 * X.shape[0])
    if p == 1.0:
        o = base + G.sum(axis=1)
        return Estimate(float(inv2n * np.sum(o * o)), 0.0, 1, "enumeration")
    base_flat = np.ascontiguousarray(base.ravel())
    D = np.ascontiguousarray(G.transpose(1, 0, 2).reshape(m, -1) / p)
    # the shared Gray-code walk (sums grouped by number of kept units, no exp per step)
    e = enumeration.expect_squared_error(base_flat, D, np.zeros_like(base_flat), p)
    return Estimate(float(inv2n * e.mean), 0.0, e.n, "enumeration")


def exact_dropout_risk_gradient(weights, biases, X, Y, p: float, activation: str = "tanh"):
    r""":math:`E_\eta\nabla_\theta R_S^{drop}(\theta,\eta)` by enumerating all keep masks of the
    last hidden layer (:math:`m_{L-1}\le 16`); compare with :math:`\nabla(R_S+R_1)`."""
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    m = Ws[-1].shape[1]
    check_int("width of the dropout layer", m, maximum=16)
    masks, w = enumeration.enumerate_masks(m, p) if p < 1 else (np.ones((1, m)), np.ones(1))
    theta = th.flatten(Ws, bs)
    shapes = th.shapes_of(Ws)
    g = np.zeros_like(theta)
    for mk, wk in zip(masks, w):
        g += wk * th._risk_gradient(theta, shapes, X, Y, activation, mk / p, None)
    return g


def enumerate_dropout_risk_general(weights, biases, X, Y, p_layers: dict,
                                   activation: str = "tanh", *, max_units: int = 20,
                                   block: int = 2048) -> Estimate:
    r""":math:`E_\eta R_S^{drop}` exactly with dropout on any set of hidden layers
    (``p_layers`` maps a layer index 1 ≤ l ≤ L−1 to its keep probability): all joint masks,
    forward pass vectorised over blocks of masks. Outside Setting 1 the output is no longer
    affine in the mask. At most ``max_units`` (≤ 22) random units in total."""
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    L = len(Ws)
    if not isinstance(p_layers, dict) or not p_layers:
        raise ValueError("p_layers must be a non-empty dict {hidden layer index: keep p}")
    layers = sorted(p_layers)
    for l in layers:
        check_int("p_layers key", l, minimum=1, maximum=L - 1)
        check_probability(f"p_layers[{l}]", p_layers[l])
    widths = [Ws[l - 1].shape[0] for l in layers]
    U = int(sum(widths))
    check_int("number of dropped units", U, maximum=min(max_units, enumeration.MAX_MATERIALISED))
    probs = np.concatenate([np.full(wd, float(p_layers[l])) for l, wd in zip(layers, widths)])
    masks, w = enumeration.enumerate_masks(U, probs)
    offs = np.cumsum([0] + widths)
    total = 0.0
    n = X.shape[0]
    for s in range(0, masks.shape[0], block):
        mk = masks[s:s + block].astype(float)
        K = mk.shape[0]
        h = np.broadcast_to(X, (K,) + X.shape)
        for l in range(1, L + 1):
            z = h @ Ws[l - 1].T + bs[l - 1]
            if l < L:
                h = th.act(activation, z)
                if l in p_layers:
                    k = layers.index(l)
                    h = h * (mk[:, None, offs[k]:offs[k + 1]] / p_layers[l])
            else:
                h = z
        e = h - Y[None]
        total += float(w[s:s + block] @ (np.einsum("kij,kij->k", e, e) / (2.0 * n)))
    return Estimate(total, 0.0, int(masks.shape[0]), "enumeration")
