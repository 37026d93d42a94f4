"""Sections 2–3 of Baldi & Sadowski: Monte Carlo of a linear unit or layer under input or connection
dropout (Eq. 6–20), and deep layered networks (Eq. 21–26; logistic units, Eq. 48–54): dropout on
the units and/or the connections of a :class:`dropmc.theory.ensemble_averaging.LayeredNet`.
:func:`enumerate_network` walks every subnetwork (≤ 2^22) and returns exact moments;
:func:`estimate_network_moments` draws subnetworks with per-chunk xoshiro256++ streams."""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy import special
from threadpoolctl import threadpool_limits

from dropmc._validation import check_array, check_probabilities, check_real, check_samples
from dropmc.estimate import Estimate, function_estimate, seed_of
from dropmc.simulations._core import (JIT_FAST, as_generator, as_seed_sequence, run_blocks,
                                      run_chunks)
from dropmc.simulations._vmath import JIT_VEC, exp_v, log1p_unit
from dropmc.simulations._xoshiro import next_double_r
from dropmc.simulations.enumeration import sum_blocks
from dropmc.theory.ensemble_averaging import LayeredNet, check_logistic

MAX_ENUM_GATES = 22
ACT_LINEAR = 0
ACT_LOGISTIC = 1


# ------------------------------------------------------------------------------------------
# Monte Carlo of a single linear unit / layer (Eq. 6–20)
# ------------------------------------------------------------------------------------------


@njit(**JIT_FAST)
def _layer_kernel(gen, n, W, I, P, b, pb, per_connection):
    """Per-chunk means of S_i and S_iS_l for a layer with dropout on the inputs (P[0, j]) or on
    the connections (P[i, j]), plus an optional gated bias (b, pb) on every unit."""
    k, m = W.shape
    S = np.empty(k)
    s1 = np.zeros(k)
    s2 = np.zeros((k, k))
    d = np.empty(m)
    for _ in range(n):
        if per_connection:
            for i in range(k):
                s = 0.0
                for j in range(m):
                    if gen.random() < P[i, j]:
                        s += W[i, j] * I[j]
                S[i] = s
        else:
            for j in range(m):
                d[j] = I[j] if gen.random() < P[0, j] else 0.0
            for i in range(k):
                s = 0.0
                for j in range(m):
                    s += W[i, j] * d[j]
                S[i] = s
        for i in range(k):
            if b[i] != 0.0 and gen.random() < pb:
                S[i] += b[i]
        for i in range(k):
            s1[i] += S[i]
            for l in range(k):
                s2[i, l] += S[i] * S[l]
    return s1 / n, s2 / n


def estimate_layer_moments(W, I, p, *, per_connection: bool = False, b=None, pb: float = 1.0,
                           n: int = 200_000, rng=None, chunk_size: int = 8192) -> dict:
    """Monte Carlo mean vector and covariance matrix (Estimates) of a linear layer under input
    dropout (``p`` (n,) or scalar, Eq. 13) or connection dropout (``p`` (k, n) or scalar,
    Eq. 14), with optional biases ``b`` (k,) kept with probability ``pb`` (Eq. 9).

    When nothing is random (every keep probability 0 or 1) the layer is deterministic and the
    Estimates are exact: its sums, and covariances 0."""
    W = check_array("W", W, ndim=2)
    k, m = W.shape
    I = check_array("I", I, shape=(m,))
    pa = check_probabilities("p", p, (k, m) if per_connection else (m,))
    P = np.ascontiguousarray(pa.reshape(-1, m))
    bb = np.zeros(k) if b is None else check_array("b", b, shape=(k,))
    pb = check_real("pb", pb, lo=0.0, hi=1.0)
    n = check_samples("n", n, minimum=64)
    ss = as_seed_sequence(rng)
    if np.all((P == 0) | (P == 1)) and (pb in (0.0, 1.0) or not bb.any()):
        # one pass of the kernel (no draw decides anything) gives the sums exactly
        S, _ = _layer_kernel(np.random.default_rng(0), 1, W, I, P, bb, pb, per_connection)
        return {"mean": [Estimate.exact(S[i], "enumeration", n) for i in range(k)],
                "cov": {(i, l): Estimate.exact(0.0, "enumeration", n)
                        for i in range(k) for l in range(i, k)}}
    parts = run_chunks(lambda g, nn: (nn,) + _layer_kernel(g, nn, W, I, P, bb, pb, per_connection),
                       n, ss, chunk_size=chunk_size, min_chunks=32)
    sizes = np.array([pt[0] for pt in parts], float)
    s1 = np.array([pt[1] for pt in parts])
    s2 = np.array([pt[2].ravel() for pt in parts])
    seed = seed_of(ss)
    mean = [function_estimate(lambda v: v[0], s1[:, [i]], n, batch_sizes=sizes, seed=seed,
                              grad=lambda v: np.array([1.0])) for i in range(k)]
    cov = {}
    for i in range(k):
        for l in range(i, k):
            st = np.column_stack([s2[:, i * k + l], s1[:, i], s1[:, l]])
            cov[(i, l)] = function_estimate(lambda v: v[0] - v[1] * v[2], st, n,
                                            batch_sizes=sizes, seed=seed,
                                            grad=lambda v: np.array([1.0, -v[2], -v[1]]))
    return {"mean": mean, "cov": cov}


# ------------------------------------------------------------------------------------------
# network description for the kernels
# ------------------------------------------------------------------------------------------


def _gates(net: LayeredNet, p_units=None, p_edges=None):
    """Gate tables: ``unit_gate[j]`` / ``edge_gate[i, j]`` index into the gate probabilities or
    are −1 (always kept). Units without outgoing connections and units/edges kept with
    probability 1 get no gate; gates with probability 0 are folded in as zero weights."""
    N = net.n_units
    W = net.W.copy()
    unit_gate = -np.ones(N, dtype=np.int64)
    edge_gate = -np.ones((N, N), dtype=np.int64)
    probs = []
    if p_units is not None:
        pu = check_probabilities("p_units", p_units, (N,))
        has_out = np.any(W != 0, axis=0)
        for j in range(N):
            if pu[j] <= 0.0:
                W[:, j] = 0.0
            elif pu[j] < 1.0 and has_out[j]:
                unit_gate[j] = len(probs)
                probs.append(pu[j])
    if p_edges is not None:
        pe = check_probabilities("p_edges", p_edges, (N, N))
        for i in range(N):
            for j in range(N):
                if W[i, j] != 0.0:
                    if pe[i, j] <= 0.0:
                        W[i, j] = 0.0
                    elif pe[i, j] < 1.0:
                        edge_gate[i, j] = len(probs)
                        probs.append(pe[i, j])
    return W, unit_gate, edge_gate, np.asarray(probs, dtype=float)


#: masks of an enumeration block evaluated together (columns of the block's arrays)
_ENUM_TILE = 256


@njit(**JIT_VEC)
def _enum_block_kernel(ptr, col, wc, gu, ge, n0, I, logit, shift, act, logc, lam, hi_bits,
                       n_low):
    """Σ over the 2^n_low masks of the low gates (high gates fixed by ``hi_bits``) of
    w·(1, S, SSᵀ, O, O², log O, log(1 − O)), w = P(mask)·exp(−shift) up to a common factor.

    The masks are taken ``_ENUM_TILE`` at a time, one per column, units in rows, so every step
    is a loop over masks that LLVM vectorises: the gate rows of the tile (gate g of mask m is
    bit g of m for a low gate, of ``hi_bits`` for a high one; row G is all ones), the weights
    (``exp_v`` of the summed log-odds), each non-input unit's sum S_i = Σ_e w_e·δ·δ'·O_j over
    its incoming connections e = ptr[i]:ptr[i + 1] (source ``col[e]``, weight ``wc[e]``, unit
    gate row ``gu[e]``, connection gate row ``ge[e]``), σ and its logs (``exp_v``,
    ``log1p_unit``, stable for any S) and the weighted sums. The inputs' rows are constant
    (S = O = I), so their moments are I times sums already taken."""
    N = ptr.shape[0] - 1
    G = logit.shape[0]
    M = 1 << n_low
    tile = min(_ENUM_TILE, M)
    Gt = np.empty((G + 1, tile))
    Gt[G, :] = 1.0
    logw0 = 0.0
    for g in range(n_low, G):
        on = (hi_bits >> (g - n_low)) & 1
        Gt[g, :] = float(on)
        if on:
            logw0 += logit[g]
    S = np.empty((N, tile))
    O = np.empty((N, tile))
    for j in range(n0):
        O[j, :] = I[j]
    lw = np.empty(tile)
    w = np.empty(tile)
    tot = 0.0
    s1 = np.zeros(N)
    s2 = np.zeros((N, N))
    o1 = np.zeros(N)
    o2 = np.zeros(N)
    lo = np.zeros(N)
    l1 = np.zeros(N)
    for t0 in range(0, M, tile):
        lw[:] = logw0
        for g in range(n_low):
            lg = logit[g]
            for c in range(tile):
                bit = ((t0 + c) >> g) & 1
                Gt[g, c] = bit
                lw[c] += lg if bit else 0.0
        tw = 0.0
        for c in range(tile):
            w[c] = exp_v(lw[c] - shift)
            tw += w[c]
        tot += tw
        for i in range(n0, N):
            S[i, :] = 0.0
            for e in range(ptr[i], ptr[i + 1]):
                j, we, a, b = col[e], wc[e], gu[e], ge[e]
                for c in range(tile):
                    S[i, c] += we * Gt[a, c] * Gt[b, c] * O[j, c]
            a1 = b1 = b2 = c1 = c2 = 0.0
            for c in range(tile):
                s = S[i, c]
                if act == 1:
                    x = lam * s - logc
                    e = exp_v(-abs(x))
                    sp = log1p_unit(e)
                    inv = 1.0 / (1.0 + e)
                    pos = x >= 0.0
                    o = inv if pos else e * inv
                    c1 += w[c] * ((0.0 if pos else x) - sp)
                    c2 += w[c] * (-(x if pos else 0.0) - sp)
                else:
                    o = s
                O[i, c] = o
                a1 += w[c] * s
                b1 += w[c] * o
                b2 += w[c] * o * o
            s1[i] += a1
            o1[i] += b1
            o2[i] += b2
            lo[i] += c1
            l1[i] += c2
        for i in range(n0, N):
            for k in range(i, N):
                q = 0.0
                for c in range(tile):
                    q += w[c] * S[i, c] * S[k, c]
                s2[i, k] += q
    for j in range(n0):
        s1[j] = o1[j] = I[j] * tot
        o2[j] = I[j] * I[j] * tot
    for j in range(n0):
        for k in range(N):
            s2[j, k] = I[j] * s1[k]
    for i in range(N):
        for k in range(max(i + 1, n0)):
            s2[i, k] = s2[k, i]
    return tot, s1, s2, o1, o2, lo, l1


@njit(**JIT_VEC)
def _enum_network_blocks(ptr, col, wc, gu, ge, n0, I, logit, act, logc, lam, n_low, lo_b, hi_b,
                         tots, s1, s2, o1, o2, lo, l1):
    """Blocks ``lo_b … hi_b − 1`` of :func:`_enum_network`: each block's weight total and
    weighted sums (:func:`_enum_block_kernel`) into row b of ``tots``, ``s1``, ``s2``, ``o1``,
    ``o2``, ``lo``, ``l1``."""
    N = ptr.shape[0] - 1
    shift = 0.0
    for g in range(logit.shape[0]):
        if logit[g] > 0:
            shift += logit[g]
    for b in range(lo_b, hi_b):
        t, a1, a2, b1, b2, c1, c2 = _enum_block_kernel(ptr, col, wc, gu, ge, n0, I, logit, shift,
                                                       act, logc, lam, b, n_low)
        tots[b] = t
        # element by element, not a slice assignment (docs/architecture.md §7)
        for i in range(N):
            s1[b, i] = a1[i]
            o1[b, i] = b1[i]
            o2[b, i] = b2[i]
            lo[b, i] = c1[i]
            l1[b, i] = c2[i]
            for j in range(N):
                s2[b, i, j] = a2[i, j]


def _enum_network(ptr, col, wc, gu, ge, n0, I, logit, act, logc, lam, n_low):
    """The normalised moments over every subnetwork: the 2^(G − n_low) blocks of
    :func:`_enum_network_blocks` on the chunk threads (:func:`run_blocks`; a ``parallel=True``
    loop compiled 6 s slower), their results added in a fixed serial order (not a parallel
    reduction), so bit-identical whatever the number of threads."""
    N = ptr.shape[0] - 1
    nb = 1 << (logit.shape[0] - n_low)
    tots, s2 = np.zeros(nb), np.zeros((nb, N, N))
    s1, o1, o2, lo, l1 = (np.zeros((nb, N)) for _ in range(5))
    run_blocks(lambda lo_b, hi_b: _enum_network_blocks(ptr, col, wc, gu, ge, n0, I, logit, act,
                                                       logc, lam, n_low, lo_b, hi_b, tots, s1,
                                                       s2, o1, o2, lo, l1), nb)
    T = sum_blocks(tots.reshape((nb, 1)))[0]
    return (sum_blocks(s1) / T, sum_blocks(s2.reshape((nb, N * N))).reshape((N, N)) / T,
            sum_blocks(o1) / T, sum_blocks(o2) / T, sum_blocks(lo) / T, sum_blocks(l1) / T)


def _enum_connections(net: LayeredNet, W, unit_gate, edge_gate, G: int):
    """The incoming connections of each unit for :func:`_enum_block_kernel`: CSR ``ptr`` over
    units, source ``col``, weight, and the gate rows of the source unit and of the connection
    (G, the all-ones row, where there is no gate)."""
    rows, cols = np.nonzero(W)                 # row-major: by unit, sources increasing
    ptr = np.zeros(net.n_units + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(rows, minlength=net.n_units))
    gu = unit_gate[cols]
    ge = edge_gate[rows, cols]
    return (ptr, cols.astype(np.int64), W[rows, cols].astype(float),
            np.where(gu >= 0, gu, G).astype(np.int64), np.where(ge >= 0, ge, G).astype(np.int64))


def _check_act(activation):
    if activation not in ("linear", "logistic"):
        raise ValueError(f"activation must be 'linear' or 'logistic', got {activation!r}")
    return ACT_LINEAR if activation == "linear" else ACT_LOGISTIC


def enumerate_network(net: LayeredNet, I, *, p_units=None, p_edges=None,
                      activation: str = "linear", c: float = 1.0, lam: float = 1.0) -> dict:
    """Exact moments over every dropout subnetwork of ``net`` for input ``I``.

    ``p_units`` (scalar or (N,)) gates the output of each unit (Eq. 22 / 49), ``p_edges``
    (scalar or (N, N)) each connection (Eq. 23). At most 22 random gates. Returns arrays
    ``ES`` (N,), ``ESS`` (N, N), ``EO``, ``EO2``, ``ElogO``, ``Elog1mO`` (logistic units only)
    and ``n_subnetworks``.
    """
    if not isinstance(net, LayeredNet):
        raise TypeError(f"net must be a LayeredNet, got {type(net).__name__}")
    I = check_array("I", I, shape=(net.n_in,))
    act = _check_act(activation)
    c, lam = check_logistic(c, lam)
    if act == ACT_LOGISTIC and c == 0:
        raise ValueError("c must be > 0 for logistic units whose log-outputs are enumerated, got 0")
    W, ug, eg, probs = _gates(net, p_units, p_edges)
    G = probs.size
    if G > MAX_ENUM_GATES:
        raise ValueError(f"the network has {G} random gates; enumeration allows at most "
                         f"{MAX_ENUM_GATES} (use estimate_network_moments)")
    logit = np.log(probs) - np.log1p(-probs) if G else np.zeros(0)
    # fold the base log-probability: weights are relative, normalised by their total
    n_low = min(G, 12)
    s1, s2, o1, o2, lo, l1 = _enum_network(*_enum_connections(net, W, ug, eg, G), net.n_in, I,
                                           logit, act, math.log(c), lam, n_low)
    return {"ES": s1, "ESS": s2, "EO": o1, "EO2": o2, "ElogO": lo, "Elog1mO": l1,
            "n_subnetworks": 1 << G}


def deep_linear_sums_for_masks(net: LayeredNet, I, unit_masks) -> np.ndarray:
    """The sums S of every unit of a linear ``net`` for each row of ``unit_masks`` (one 0/1
    selector per unit, Eq. 22), vectorised over the rows; inputs hold I. For expectations
    under any joint law of the selectors (e.g. pairwise but not globally independent ones)
    weight the rows by their probabilities. Returns (rows, N)."""
    if not isinstance(net, LayeredNet):
        raise TypeError(f"net must be a LayeredNet, got {type(net).__name__}")
    I = check_array("I", I, shape=(net.n_in,))
    M = check_array("unit_masks", unit_masks, shape=(None, net.n_units), min_size=0)
    if np.any((M != 0) & (M != 1)):
        raise ValueError(f"unit_masks must hold 0/1 selectors; entry "
                         f"{tuple(int(i) for i in np.argwhere((M != 0) & (M != 1))[0])} is not")
    n0 = net.n_in
    S = np.zeros(M.shape)
    S[:, :n0] = I
    for i in range(n0, net.n_units):
        S[:, i] = (S[:, :i] * M[:, :i]) @ net.W[i, :i]
    return S


def _csr(net: LayeredNet, W, unit_gate, edge_gate, probs, p_units, p_edges):
    """Incoming connections per unit (CSR), random ones first: returns ``ptr`` of length
    2N + 1 (ptr[j]:ptr[j+1] all connections of unit j, ptr[N + 1 + j] the end of its random
    ones), ``col``, ``w``, ``pe`` (keep probability, 1 for fixed connections), and ``pu`` (keep
    probability of each unit's output, 1 = no draw)."""
    N = net.n_units
    rows, cols = np.nonzero(W)
    pe_all = np.ones(rows.size)
    has_e = edge_gate[rows, cols] >= 0
    pe_all[has_e] = probs[edge_gate[rows, cols][has_e]]
    fixed = (pe_all >= 1.0).astype(np.int64)
    order = np.lexsort((cols, fixed, rows))
    rows, cols, pe_all, fixed = rows[order], cols[order], pe_all[order], fixed[order]
    ptr = np.zeros(2 * N + 1, dtype=np.int64)
    counts = np.bincount(rows, minlength=N)
    ptr[1:N + 1] = np.cumsum(counts)
    nrand = np.bincount(rows, weights=1 - fixed, minlength=N).astype(np.int64)
    ptr[N + 1:] = ptr[:N] + nrand
    w = W[rows, cols].astype(float)
    pu = np.ones(N)
    has_u = unit_gate >= 0
    pu[has_u] = probs[unit_gate[has_u]]
    return ptr, cols.astype(np.int64), w, pe_all, pu


@njit(**JIT_FAST)
def _sample_network_kernel(state, n, ptr, col, w, pe, pu, n0, I, act, c, lam, track):
    """Per-chunk means of S (N), O (N) and S_aS_b for the tracked units a, b, over n random
    subnetworks. Each unit j's incoming connections are listed in ptr[j]:ptr[j + 1] of (col, w,
    pe): random connections first (kept with probability pe[e] < 1, one draw each), then fixed
    ones (pe[e] = 1, no draw; ``nrand`` is encoded as ptr of the second half, see ``_csr``).
    Each unit's output is kept with probability pu[j] (1: no draw). The keep decision is a
    select, not a branch (a 50 % branch mispredicts and costs more than the draw itself).
    In-kernel xoshiro256++ stream, held in registers (``next_double_r``) so the per-unit
    stores do not force reloads of the state."""
    N = pu.shape[0]
    T = track.shape[0]
    S = np.empty(N)
    Y = np.empty(N)
    s1 = np.zeros(N)
    o1 = np.zeros(N)
    s2 = np.zeros((T, T))
    St = np.empty(T)
    logc = math.log(c) if c > 0 else 0.0
    r0, r1, r2, r3 = state[0], state[1], state[2], state[3]   # stream state in registers
    for _ in range(n):
        for j in range(N):
            if j < n0:
                s = I[j]
                o = s
            else:
                s = 0.0
                mid = ptr[N + 1 + j]
                for e in range(ptr[j], mid):
                    u, r0, r1, r2, r3 = next_double_r(r0, r1, r2, r3)
                    k = 1.0 if u < pe[e] else 0.0
                    s += k * w[e] * Y[col[e]]
                for e in range(mid, ptr[j + 1]):
                    s += w[e] * Y[col[e]]
                if act == 1:
                    o = 1.0 / (1.0 + math.exp(logc - lam * s))
                else:
                    o = s
            S[j] = s
            s1[j] += s
            o1[j] += o
            if pu[j] < 1.0:
                u, r0, r1, r2, r3 = next_double_r(r0, r1, r2, r3)
                Y[j] = o if u < pu[j] else 0.0
            else:
                Y[j] = o
        for a in range(T):
            St[a] = S[track[a]]
        for a in range(T):
            for b in range(T):
                s2[a, b] += St[a] * St[b]
    state[0], state[1], state[2], state[3] = r0, r1, r2, r3
    return s1 / n, o1 / n, s2 / n


#: subnetworks of a chunk pushed through the layers together by :func:`_sample_units_kernel`
_UNITS_BATCH = 128


@njit(**JIT_VEC)
def _sample_units_kernel(state, n, Wl, loff, lay, gate, pg, I, act, logc, lam, track, batch):
    """As :func:`_sample_network_kernel` when only unit outputs are gated (same draws, same
    order), ``batch`` subnetworks at a time (columns; units in rows): per batch, the gate
    uniforms, drawn subnetwork by subnetwork, unit by unit (unit j with ``gate[j] = q`` <
    ``pg.size`` kept if its uniform is below ``pg[q]``; ``gate[j] = pg.size``: no gate, an
    all-ones row of the gates), then per layer one matrix product S = W_h Y
    (BLAS) and one vectorised pass for O (σ by ``exp_v``), the sums of S and O and the next
    layers' input Y = δ ∘ O; then the sums of S_aS_b over the tracked units (a ≤ b, mirrored).
    Layer h is units ``lay[h, 0]:lay[h, 1]``, fed by units ``lay[h, 2]:lay[h, 0]`` (from the
    first one with a nonzero weight into the layer) through the row-major weights at
    ``Wl[loff[h]:loff[h + 1]]``; the inputs are units 0:n0, n0 = ``I.size``."""
    N = gate.shape[0]
    n0 = I.shape[0]
    ng = pg.shape[0]
    T = track.shape[0]
    B = min(batch, n)
    sbuf = np.empty(N * B)
    ybuf = np.empty(N * B)
    dbuf = np.empty((ng + 1) * B)
    s1 = np.zeros(N)
    o1 = np.zeros(N)
    s2 = np.zeros((T, T))
    r0, r1, r2, r3 = state[0], state[1], state[2], state[3]
    done = 0
    while done < n:
        m = min(B, n - done)
        S = sbuf[:N * m].reshape((N, m))
        Y = ybuf[:N * m].reshape((N, m))
        D = dbuf[:(ng + 1) * m].reshape((ng + 1, m))
        for r in range(m):
            for q in range(ng):
                u, r0, r1, r2, r3 = next_double_r(r0, r1, r2, r3)
                D[q, r] = 1.0 if u < pg[q] else 0.0
            D[ng, r] = 1.0
        for j in range(n0):
            q = gate[j]
            for r in range(m):
                S[j, r] = I[j]
                Y[j, r] = I[j] * D[q, r]
        for h in range(lay.shape[0]):
            lo, hi, c0 = lay[h, 0], lay[h, 1], lay[h, 2]
            Sh = sbuf[lo * m:hi * m].reshape((hi - lo, m))
            if c0 == lo:
                Sh[:, :] = 0.0
            else:
                np.dot(Wl[loff[h]:loff[h + 1]].reshape((hi - lo, lo - c0)),
                       ybuf[c0 * m:lo * m].reshape((lo - c0, m)), Sh)
            for j in range(lo, hi):
                q = gate[j]
                a = 0.0
                b = 0.0
                for r in range(m):
                    s = S[j, r]
                    o = 1.0 / (1.0 + exp_v(logc - lam * s)) if act == 1 else s
                    a += s
                    b += o
                    Y[j, r] = o * D[q, r]
                s1[j] += a
                o1[j] += b
        for ia in range(T):
            for ib in range(ia, T):
                s = 0.0
                for r in range(m):
                    s += S[track[ia], r] * S[track[ib], r]
                s2[ia, ib] += s
        done += m
    state[0], state[1], state[2], state[3] = r0, r1, r2, r3
    for ia in range(T):
        for ib in range(ia):
            s2[ia, ib] = s2[ib, ia]
    for j in range(n0):
        s1[j] = o1[j] = I[j] * n
    return s1 / n, o1 / n, s2 / n


def _units_layers(net: LayeredNet, W):
    """The layers of ``net`` for :func:`_sample_units_kernel`: ``lay`` (H, 3) = (first unit,
    end, first unit with a nonzero weight into the layer) per non-input layer, and the weights
    W[first:end, source:first] of each, flat, with their offsets ``loff``."""
    lay, blocks = [], []
    bounds = np.flatnonzero(np.diff(net.layer)) + 1
    for lo, hi in zip(bounds, np.append(bounds[1:], net.n_units)):
        src = np.flatnonzero(np.any(W[lo:hi, :lo] != 0, axis=0))
        c0 = int(src[0]) if src.size else int(lo)
        lay.append((lo, hi, c0))
        blocks.append(np.ascontiguousarray(W[lo:hi, c0:lo]).ravel())
    loff = np.zeros(len(blocks) + 1, dtype=np.int64)
    loff[1:] = np.cumsum([x.size for x in blocks])
    return (np.concatenate(blocks) if blocks else np.zeros(0), loff,
            np.asarray(lay, dtype=np.int64).reshape(-1, 3))


def sample_network_numpy(net: LayeredNet, I, n: int, *, p_units=None, p_edges=None,
                         activation: str = "linear", c: float = 1.0, lam: float = 1.0,
                         rng=None, batch: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Plain-numpy reference of the sampler, vectorised over a batch of subnetworks: returns
    the sample means of S and O over ``n`` draws (for the tests and the benchmark)."""
    if not isinstance(net, LayeredNet):
        raise TypeError(f"net must be a LayeredNet, got {type(net).__name__}")
    N, n0 = net.n_units, net.n_in
    I = check_array("I", I, shape=(n0,))
    n = check_samples("n", n)
    pu = np.ones(N) if p_units is None else check_probabilities("p_units", p_units, (N,))
    pe = None if p_edges is None else check_probabilities("p_edges", p_edges, (N, N))
    _check_act(activation)
    c, lam = check_logistic(c, lam)
    batch = check_samples("batch", batch)
    g = as_generator(rng)
    W = net.W
    nz = W != 0
    s1, o1, done = np.zeros(N), np.zeros(N), 0
    starts = net.start()
    while done < n:
        B = min(batch, n - done)
        S = np.zeros((B, N))
        O = np.zeros((B, N))
        Y = np.zeros((B, N))
        S[:, :n0] = I
        O[:, :n0] = I
        Y[:, :n0] = I * (g.random((B, n0)) < pu[:n0])
        for h in range(1, int(net.layer.max()) + 1):
            idx = np.flatnonzero(net.layer == h)
            st = starts[idx[0]]
            if pe is None:
                S[:, idx] = Y[:, :st] @ W[idx, :st].T
            else:
                Wl, Pl = W[idx, :st], pe[idx, :st]
                m = nz[idx, :st]
                keep = g.random((B, int(m.sum()))) < Pl[m]
                Wb = np.zeros((B,) + Wl.shape)
                Wb[:, m] = keep * Wl[m]
                S[:, idx] = np.einsum("bij,bj->bi", Wb, Y[:, :st])
            O[:, idx] = special.expit(lam * S[:, idx] - math.log(c)) if activation == "logistic" else S[:, idx]
            Y[:, idx] = O[:, idx] * (g.random((B, idx.size)) < pu[idx])
        s1 += S.sum(axis=0)
        o1 += O.sum(axis=0)
        done += B
    return s1 / n, o1 / n


def estimate_network_moments(net: LayeredNet, I, *, p_units=None, p_edges=None,
                             activation: str = "linear", c: float = 1.0, lam: float = 1.0,
                             track=None, n: int = 100_000, rng=None,
                             chunk_size: int = 4096) -> dict:
    """Monte Carlo over random subnetworks: Estimates of E(S_i), E(O_i) for every unit and of
    Cov(S_a, S_b) for the ``track``ed units (default: the last layer), batch means over ≥ 32
    chunks (delta method for the covariances).

    With dropout on the units only, a chunk's subnetworks go through the layers
    :data:`_UNITS_BATCH` at a time, one matrix product per layer (BLAS on one thread while the
    chunks run); with dropout on connections, one at a time. A seeded result is bit-identical
    for any thread count.

    Returns ``{"ES": [Estimate]*N, "EO": [...], "cov": {(a, b): Estimate}, "track": track}``.
    """
    if not isinstance(net, LayeredNet):
        raise TypeError(f"net must be a LayeredNet, got {type(net).__name__}")
    I = check_array("I", I, shape=(net.n_in,))
    act = _check_act(activation)
    c, lam = check_logistic(c, lam)
    n = check_samples("n", n, minimum=64)
    W, ug, eg, probs = _gates(net, p_units, p_edges)
    N = net.n_units
    if track is None:
        track = np.flatnonzero(net.layer == net.layer.max())
    track = check_array("track", track, ndim=1, dtype=np.int64)
    if np.any((track < 0) | (track >= N)):
        raise ValueError(f"track must hold unit indices in [0, {N}), got {track}")
    ptr, col, w, pe, pu = _csr(net, W, ug, eg, probs, p_units, p_edges)
    ss = as_seed_sequence(rng)
    if np.all(pe >= 1.0):  # only unit gates: a batch of subnetworks per matrix product
        Wl, loff, lay = _units_layers(net, W)
        gated = pu < 1.0
        gate = np.where(gated, np.cumsum(gated) - 1, gated.sum()).astype(np.int64)
        logc = math.log(c)
        kern = lambda g, m: (m,) + _sample_units_kernel(g, m, Wl, loff, lay, gate, pu[gated], I,
                                                        act, logc, lam, track, _UNITS_BATCH)
        with threadpool_limits(1, user_api="blas"):  # chunks in parallel, BLAS inside each
            parts = run_chunks(kern, n, ss, chunk_size=chunk_size, min_chunks=32,
                               stream="xoshiro")
    else:
        parts = run_chunks(lambda g, m: (m,) + _sample_network_kernel(
                               g, m, ptr, col, w, pe, pu, net.n_in, I, act, c, lam, track),
                           n, ss, chunk_size=chunk_size, min_chunks=32, stream="xoshiro")
    sizes = np.array([pt[0] for pt in parts], dtype=float)
    s1 = np.array([pt[1] for pt in parts])
    o1 = np.array([pt[2] for pt in parts])
    T = track.size
    s2 = np.array([pt[3].ravel() for pt in parts])
    seed = seed_of(ss)
    out = {"ES": [], "EO": [], "cov": {}, "track": track}
    for i in range(N):
        out["ES"].append(function_estimate(lambda m: m[0], s1[:, [i]], n, batch_sizes=sizes,
                                           seed=seed, grad=lambda m: np.array([1.0])))
        out["EO"].append(function_estimate(lambda m: m[0], o1[:, [i]], n, batch_sizes=sizes,
                                           seed=seed, grad=lambda m: np.array([1.0])))
    for a in range(T):
        for b in range(a, T):
            ia, ib = track[a], track[b]
            stats = np.column_stack([s2[:, a * T + b], s1[:, ia], s1[:, ib]])
            out["cov"][(int(ia), int(ib))] = function_estimate(
                lambda m: m[0] - m[1] * m[2], stats, n, batch_sizes=sizes, seed=seed,
                grad=lambda m: np.array([1.0, -m[2], -m[1]]))
    return out
