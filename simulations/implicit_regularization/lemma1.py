"""Section 4, Lemma 1 of Zhang & Xu: E_η R_S^drop under Setting 1 (dropout after layer L − 1)
by Monte Carlo (Numba), by numpy references and exactly (all keep masks, Gray-code walk), its
gradient, and dropout on any set of hidden layers (outside Setting 1)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit, uint64

from dropmc._validation import check_int, check_probability, check_samples
from dropmc.estimate import Estimate, combine_welford, seed_of
from dropmc.simulations import enumeration
from dropmc.simulations._core import JIT, JIT_FAST, as_seed_sequence, run_chunks
from dropmc.simulations._xoshiro import next_double_r, next_u64, next_u64_r
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


def _digit_split(p: float) -> tuple[int, float]:
    """p·2^8 = P1 + frac with P1 an integer: keep ⟺ D < P1, or D = P1 and V < frac, for a
    uniform 8-bit digit D and a fresh uniform V — exactly Bernoulli(p)."""
    x = p * 256.0
    P1 = int(math.floor(x))
    return P1, x - P1


def _mask_tables(base_flat, D):
    """The per-quad tables of :func:`_dropout_risk_kernel`. Units are taken four at a time
    (quad j = units 4j … 4j + 3, zero-padded to a multiple of 8, two quads per 64-bit word)
    and outputs four at a time (block b = outputs 4b … 4b + 3, zero-padded); ``T[b, j, v, c]``
    is the sum of the rows ``D[4j + u, 4b + c]`` over the bits u set in the 4-bit keep pattern
    v. Returns (base padded to the blocks, T of shape (blocks, quads, 16, 4))."""
    m, k = D.shape
    q, kb = 2 * -(-m // 8), -(-k // 4)
    Dp = np.zeros((4 * q, 4 * kb))
    Dp[:m, :k] = D
    bits = ((np.arange(16)[:, None] >> np.arange(4)[None, :]) & 1).astype(float)   # (16, 4)
    T = np.einsum("vu,jubc->bjvc", bits, Dp.reshape(q, 4, kb, 4))
    bp = np.zeros(4 * kb)
    bp[:k] = base_flat
    return bp, np.ascontiguousarray(T)


#: lane constants of the eight 8-bit digits of a 64-bit word (:func:`_dropout_risk_kernel`)
_LANES_LOW = 0x0101010101010101
_LANES_HIGH = 0x8080808080808080
#: gathers bits 0, 8, 16, 24 of a word into bits 21 … 24
_GATHER = 0x0000000000204081


@njit(**JIT)
def _resolve_ties(r, v, j0, m, P, frac, s0, s1, s2, s3):
    """The 8-bit keep pattern ``v`` of word ``r`` (units j0 … j0 + 7) with each digit equal to
    ``P`` of a unit < m resolved by the next uniform of the stream (kept when < ``frac``), in
    unit order; out of line (rare), so that the kernel's loop keeps the state in registers."""
    for u in range(8):
        if (r >> uint64(8 * u)) & uint64(0xFF) == P and j0 + u < m:
            w, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
            if w < frac:
                v |= 1 << u
    return v, s0, s1, s2, s3


@njit(**JIT_FAST)
def _dropout_risk_kernel(state, n, base, T, m, P1, frac, inv2n):
    """Welford (count, mean, M2) of R^drop = inv2n Σ_c (base_c + Σ_j keep_j D[j, c])² over n
    draws of one η shared by all data points (Eq. 2), from the xoshiro ``state`` (advanced).

    Keep decisions: each 64-bit word of the stream gives the 8-bit digits of eight units
    (unit 8j + u from bits 8u … 8u + 7 of word j, ⌈m/8⌉ words per draw); a unit is kept when
    its digit is below P1 = ⌊p·2^8⌋, and a digit equal to P1 is resolved by the next uniform
    of the stream (< frac; ties in unit order, units < m only; none when frac = 0, i.e. p·2^8
    is an integer), so each unit is kept with probability exactly p (:func:`_digit_split`;
    p = 1, P1 = 2^8, keeps every unit). The eight
    comparisons of a word are done at once on its byte lanes (unsigned lane-wise x < y of
    Hacker's Delight §2-18, the lanes' borrow bits gathered four at a time into 4-bit keep
    patterns by a multiplication; a tie is a zero lane of word ⊕ P1, found the same way). The
    outputs then move by the precomputed ``T[b, quad, pattern]`` (:func:`_mask_tables`): two
    table entries per word and block of four outputs instead of a multiply-add per unit and
    output. The first block is summed as the words are drawn; further blocks from the stored
    patterns.
    """
    kb, q4 = T.shape[0], T.shape[1]
    pat = np.empty(q4, dtype=np.int64)
    full = 15 if P1 >= 256 else 0                 # p = 1: every unit kept, no ties
    ties = full == 0 and frac > 0.0               # p·2^8 an integer: a tie is a drop
    P = uint64(P1 & 0xFF)
    L = uint64(_LANES_LOW)
    H = uint64(_LANES_HIGH)
    G = uint64(_GATHER)
    lanes4 = uint64(0x01010101)
    nib = uint64(0xF)
    Y = P * L                                     # P1 in every lane
    Y_low = Y & ~H
    not_Y = ~Y
    mean = 0.0
    m2 = 0.0
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    for t in range(n):
        a0 = base[0]
        a1 = base[1]
        a2 = base[2]
        a3 = base[3]
        for j in range(q4 // 2):
            r, s0, s1, s2, s3 = next_u64_r(s0, s1, s2, s3)
            diff = ((r | H) - Y_low) ^ ((r ^ not_Y) & H)                   # lane-wise r − Y
            lt = (((~r & Y) | (~(r ^ Y) & diff)) & H) >> uint64(7)         # digit < P1
            lo = np.int64((((lt & lanes4) * G) >> uint64(21)) & nib) | full
            hi = np.int64(((((lt >> uint64(32)) & lanes4) * G) >> uint64(21)) & nib) | full
            z = r ^ Y
            if ties and ((z - L) & ~z & H) != uint64(0):        # a digit equals P1
                v, s0, s1, s2, s3 = _resolve_ties(r, lo | (hi << 4), 8 * j, m, P, frac,
                                                  s0, s1, s2, s3)
                lo = v & 15
                hi = v >> 4
            pat[2 * j] = lo
            pat[2 * j + 1] = hi
            a0 += T[0, 2 * j, lo, 0] + T[0, 2 * j + 1, hi, 0]
            a1 += T[0, 2 * j, lo, 1] + T[0, 2 * j + 1, hi, 1]
            a2 += T[0, 2 * j, lo, 2] + T[0, 2 * j + 1, hi, 2]
            a3 += T[0, 2 * j, lo, 3] + T[0, 2 * j + 1, hi, 3]
        sv = a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3
        for b in range(1, kb):
            a0 = base[4 * b]
            a1 = base[4 * b + 1]
            a2 = base[4 * b + 2]
            a3 = base[4 * b + 3]
            for j in range(q4):
                v = pat[j]
                a0 += T[b, j, v, 0]
                a1 += T[b, j, v, 1]
                a2 += T[b, j, v, 2]
                a3 += T[b, j, v, 3]
            sv += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3
        sv *= inv2n
        d = sv - mean
        mean += d / (t + 1)
        m2 += d * (sv - mean)
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return n, mean, m2


@njit(**JIT)
def _stream_words(state, count):
    """The next ``count`` 64-bit words of the xoshiro ``state`` (advanced): the words whose
    digits the kernel turns into keep decisions, for the numpy replica."""
    out = np.empty(count, dtype=np.uint64)
    for i in range(count):
        out[i] = next_u64(state)
    return out


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
    m = G.shape[1]
    D = G.transpose(1, 0, 2).reshape(m, -1) / p
    base_p, T = _mask_tables(base.ravel(), D)
    inv2n = 1.0 / (2.0 * X.shape[0])
    P1, frac = _digit_split(p)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda s, k: _dropout_risk_kernel(s, k, base_p, T, m, P1, frac, inv2n),
                       n, ss, chunk_size=chunk_size, min_chunks=32, stream="xoshiro")
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
    """Numpy replica of the kernel's draws on the same xoshiro stream and chunks (8-bit digits
    of 64-bit words, :func:`_stream_words`), for p with p·2^8 an integer (no tie-breaking
    draws); the outputs by one matrix product per chunk, not through the kernel's tables: the
    bit-for-bit reference of the keep decisions in the tests."""
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    n, chunk_size = _check_numpy_draws(n, chunk_size, Ws[-1].shape[1], Y.size)
    P1, frac = _digit_split(p)
    if frac != 0.0:
        raise ValueError(f"p must be a multiple of 2^-8 for the digit replica, got {p!r}")
    base, G = _setting1_parts(Ws, bs, X, Y, activation)
    base_flat = base.ravel()
    m = G.shape[1]
    D = G.transpose(1, 0, 2).reshape(m, -1) / p
    inv2n = 1.0 / (2.0 * X.shape[0])
    q = -(-m // 8)
    shifts = np.arange(0, 64, 8, dtype=np.uint64)

    def chunk(state, k):
        w = _stream_words(state, k * q)
        dig = ((w[:, None] >> shifts) & np.uint64(0xFF)).reshape(k, 8 * q)[:, :m]
        o = base_flat + (dig < P1) @ D
        s = inv2n * np.einsum("ij,ij->i", o, o)
        return k, float(s.mean()), float(((s - s.mean()) ** 2).sum())

    ss = as_seed_sequence(rng)
    parts = run_chunks(chunk, n, ss, chunk_size=chunk_size, min_chunks=32, threads=1,
                       stream="xoshiro")
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
