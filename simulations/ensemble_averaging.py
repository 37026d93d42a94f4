r"""Samplers and exact enumerations for Baldi & Sadowski (paper key ``ensemble_averaging``).

* Deep layered networks (Sections 3 and 5, Eq. 21–26 and 48–54): dropout on the units and/or
  on the connections of a :class:`dropmc.theory.ensemble_averaging.LayeredNet`, with linear or
  logistic units. :func:`enumerate_network` walks every subnetwork (≤ 2^20) and returns exact
  moments; :func:`estimate_network_moments` draws subnetworks with per-chunk PCG64 generators.
* A single logistic unit with input dropout (Section 4, Eq. 28–39): :func:`enumerate_logistic_unit`
  walks the 2^n subnetworks in Gray-code order (one ±w_iI_i per step) and returns E(S), E(O),
  log G, log G' and V exactly — the NWGM identities are checked to floating-point precision.

Kernels are private (``_…_kernel``) and take a numpy ``Generator``; the public wrappers validate
their arguments and return :class:`dropmc.estimate.Estimate` objects or dicts of them.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from scipy import special

from dropmc._validation import check_array, check_int, check_real
from dropmc.estimate import Estimate, function_estimate, seed_of
from dropmc.simulations._core import JIT, JIT_FAST, as_seed_sequence, run_chunks, stack
from dropmc.simulations._xoshiro import next_double, next_double_r
from dropmc.simulations.enumeration import sum_blocks
from dropmc.theory.ensemble_averaging import LayeredNet, check_logistic

MAX_ENUM_GATES = 22
ACT_LINEAR = 0
ACT_LOGISTIC = 1

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
        pu = np.asarray(p_units, dtype=float)
        pu = np.full(N, float(pu)) if pu.ndim == 0 else check_array("p_units", pu, shape=(N,))
        if np.any((pu < 0) | (pu > 1)):
            raise ValueError(f"p_units must lie in [0, 1], got {pu}")
        has_out = np.any(W != 0, axis=0)
        for j in range(N):
            if pu[j] <= 0.0:
                W[:, j] = 0.0
            elif pu[j] < 1.0 and has_out[j]:
                unit_gate[j] = len(probs)
                probs.append(pu[j])
    if p_edges is not None:
        pe = np.asarray(p_edges, dtype=float)
        pe = np.full((N, N), float(pe)) if pe.ndim == 0 else check_array("p_edges", pe, shape=(N, N))
        if np.any((pe < 0) | (pe > 1)):
            raise ValueError("p_edges must lie in [0, 1]")
        for i in range(N):
            for j in range(N):
                if W[i, j] != 0.0:
                    if pe[i, j] <= 0.0:
                        W[i, j] = 0.0
                    elif pe[i, j] < 1.0:
                        edge_gate[i, j] = len(probs)
                        probs.append(pe[i, j])
    return W, unit_gate, edge_gate, np.asarray(probs, dtype=float)


@njit(**JIT_FAST)
def _forward(W, start, n0, I, unit_gate, edge_gate, gate, act, c, lam, S, O):
    """One subnetwork: S (sums; inputs hold I) and O (outputs; σ(S) or S) for every unit."""
    N = W.shape[0]
    logc = math.log(c) if c > 0 else 0.0
    for j in range(n0):
        S[j] = I[j]
        O[j] = I[j]
    for i in range(n0, N):
        s = 0.0
        for j in range(start[i]):
            w = W[i, j]
            if w != 0.0:
                g = 1.0
                ug = unit_gate[j]
                if ug >= 0:
                    g = gate[ug]
                eg = edge_gate[i, j]
                if eg >= 0:
                    g *= gate[eg]
                s += w * g * O[j]
        S[i] = s
        if act == 1:
            O[i] = 1.0 / (1.0 + math.exp(logc - lam * s))
        else:
            O[i] = s


@njit(**JIT_FAST)
def _enum_block_kernel(W, start, n0, I, unit_gate, edge_gate, logit, shift, act, c, lam,
                       hi_bits, n_low):
    """Σ over the 2^n_low masks of the low gates (high gates fixed by ``hi_bits``) of
    w·(1, S, SSᵀ, O, O², log O, log(1 − O)), w relative to exp(shift)."""
    N = W.shape[0]
    G = logit.shape[0]
    gate = np.zeros(G)
    logw0 = 0.0
    for g in range(n_low, G):
        if (hi_bits >> (g - n_low)) & 1:
            gate[g] = 1.0
            logw0 += logit[g]
    S = np.empty(N)
    O = np.empty(N)
    tot = 0.0
    s1 = np.zeros(N)
    s2 = np.zeros((N, N))
    o1 = np.zeros(N)
    o2 = np.zeros(N)
    lo = np.zeros(N)
    l1 = np.zeros(N)
    logc = math.log(c) if c > 0 else 0.0
    for m in range(1 << n_low):
        logw = logw0
        for g in range(n_low):
            if (m >> g) & 1:
                gate[g] = 1.0
                logw += logit[g]
            else:
                gate[g] = 0.0
        _forward(W, start, n0, I, unit_gate, edge_gate, gate, act, c, lam, S, O)
        w = math.exp(logw - shift)
        tot += w
        for i in range(N):
            s1[i] += w * S[i]
            o1[i] += w * O[i]
            o2[i] += w * O[i] * O[i]
            for k in range(N):
                s2[i, k] += w * S[i] * S[k]
            if act == 1 and i >= n0:
                x = lam * S[i] - logc
                # log σ = −log(1 + e^{−x}), log(1 − σ) = −log(1 + e^{x}), stably
                if x > 0:
                    lo[i] += w * (-math.log1p(math.exp(-x)))
                    l1[i] += w * (-x - math.log1p(math.exp(-x)))
                else:
                    lo[i] += w * (x - math.log1p(math.exp(x)))
                    l1[i] += w * (-math.log1p(math.exp(x)))
    return tot, s1, s2, o1, o2, lo, l1


@njit(parallel=True, **JIT_FAST)
def _enum_network_kernel(W, start, n0, I, unit_gate, edge_gate, logit, act, c, lam, n_low):
    G = logit.shape[0]
    N = W.shape[0]
    shift = 0.0
    for g in range(G):
        if logit[g] > 0:
            shift += logit[g]
    nb = 1 << (G - n_low)
    tots = np.zeros(nb)
    s1 = np.zeros((nb, N))
    s2 = np.zeros((nb, N, N))
    o1 = np.zeros((nb, N))
    o2 = np.zeros((nb, N))
    lo = np.zeros((nb, N))
    l1 = np.zeros((nb, N))
    for b in prange(nb):
        t, a1, a2, b1, b2, c1, c2 = _enum_block_kernel(W, start, n0, I, unit_gate, edge_gate,
                                                       logit, shift, act, c, lam, b, n_low)
        tots[b] = t
        s1[b] = a1
        s2[b] = a2
        o1[b] = b1
        o2[b] = b2
        lo[b] = c1
        l1[b] = c2
    # block results added in a fixed serial order (not a parfor reduction), so the result is
    # bit-identical whatever the number of threads
    T = sum_blocks(tots.reshape((nb, 1)))[0]
    return (sum_blocks(s1) / T, sum_blocks(s2.reshape((nb, N * N))).reshape((N, N)) / T,
            sum_blocks(o1) / T, sum_blocks(o2) / T, sum_blocks(lo) / T, sum_blocks(l1) / T)


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
    s1, s2, o1, o2, lo, l1 = _enum_network_kernel(W, net.start(), net.n_in, I, ug, eg, logit,
                                                  act, c, lam, n_low)
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
    M = np.asarray(unit_masks, float)
    if M.ndim != 2 or M.shape[1] != net.n_units:
        raise ValueError(f"unit_masks must have shape (rows, {net.n_units}), got {M.shape}")
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


@njit(**JIT_FAST)
def _sample_units_kernel(state, n, W, start, pu, n0, I, act, c, lam, track):
    """As :func:`_sample_network_kernel` when only unit outputs are gated: each sum is a dense
    dot product over the units of the earlier layers (contiguous, vectorised by LLVM with
    ``fastmath``), which beats the CSR walk when the forward pass dominates the draws."""
    N = pu.shape[0]
    T = track.shape[0]
    S = np.empty(N)
    Y = np.empty(N)
    s1 = np.zeros(N)
    o1 = np.zeros(N)
    s2 = np.zeros((T, T))
    logc = math.log(c) if c > 0 else 0.0
    for _ in range(n):
        for j in range(N):
            if j < n0:
                s = I[j]
                o = s
            else:
                s = 0.0
                for k in range(start[j]):
                    s += W[j, k] * Y[k]
                if act == 1:
                    o = 1.0 / (1.0 + math.exp(logc - lam * s))
                else:
                    o = s
            S[j] = s
            s1[j] += s
            o1[j] += o
            if pu[j] < 1.0:
                Y[j] = o if next_double(state) < pu[j] else 0.0
            else:
                Y[j] = o
        for a in range(T):
            sa = S[track[a]]
            for b in range(T):
                s2[a, b] += sa * S[track[b]]
    return s1 / n, o1 / n, s2 / n


def sample_network_numpy(net: LayeredNet, I, n: int, *, p_units=None, p_edges=None,
                         activation: str = "linear", c: float = 1.0, lam: float = 1.0,
                         rng=None, batch: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Plain-numpy reference of the sampler, vectorised over a batch of subnetworks: returns
    the sample means of S and O over ``n`` draws (for the tests and the benchmark)."""
    g = np.random.default_rng(rng)
    N, n0 = net.n_units, net.n_in
    W = net.W
    pu = np.ones(N) if p_units is None else np.broadcast_to(np.asarray(p_units, float), (N,))
    pe = None if p_edges is None else np.broadcast_to(np.asarray(p_edges, float), (N, N))
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

    Returns ``{"ES": [Estimate]*N, "EO": [...], "cov": {(a, b): Estimate}, "track": track}``.
    """
    if not isinstance(net, LayeredNet):
        raise TypeError(f"net must be a LayeredNet, got {type(net).__name__}")
    I = check_array("I", I, shape=(net.n_in,))
    act = _check_act(activation)
    c, lam = check_logistic(c, lam)
    n = check_int("n", n, minimum=64)
    W, ug, eg, probs = _gates(net, p_units, p_edges)
    N = net.n_units
    if track is None:
        track = np.flatnonzero(net.layer == net.layer.max())
    track = check_array("track", track, ndim=1, dtype=np.int64)
    if np.any((track < 0) | (track >= N)):
        raise ValueError(f"track must hold unit indices in [0, {N}), got {track}")
    ptr, col, w, pe, pu = _csr(net, W, ug, eg, probs, p_units, p_edges)
    ss = as_seed_sequence(rng)
    if np.all(pe >= 1.0):  # only unit gates: dense rows
        start = net.start()
        kern = lambda g, m: (m,) + _sample_units_kernel(g, m, W, start, pu, net.n_in, I, act, c,
                                                        lam, track)
    else:
        kern = lambda g, m: (m,) + _sample_network_kernel(g, m, ptr, col, w, pe, pu, net.n_in, I,
                                                          act, c, lam, track)
    parts = run_chunks(kern, n, ss, chunk_size=chunk_size, min_chunks=32, stream="xoshiro")
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


# ------------------------------------------------------------------------------------------
# a single logistic unit: Gray-code enumeration of the 2^n input subnetworks
# ------------------------------------------------------------------------------------------


@njit(**JIT_FAST)
def _log_sig(x):
    if x > 0:
        return -math.log1p(math.exp(-x))
    return x - math.log1p(math.exp(x))


@njit(**JIT_FAST)
def _gray_unit_block(a, logit, shift, b0, logc, lam, hi_bits, n_low, rs, ro):
    """Block sums over the low gates in Gray-code order: w·(1, S − rs, (S − rs)², O − ro,
    (O − ro)², log O, log(1−O)), centred on references rs ≈ E(S), ro ≈ E(O) so that the
    variances E(X − r)² − (E(X − r))² lose no digits when the values are shifted far from 0.

    Per subnetwork: one ± a_j on the sum, one multiplication of the weight by e^{±logit_j}
    (the block starts from an exact exp, so rounding cannot drift beyond 2^n_low steps), and
    two transcendentals (t = e^{−|x|}, log1p t) give σ, log σ and log(1 − σ)."""
    n = a.shape[0]
    s = b0
    logw = 0.0
    for j in range(n_low, n):
        if (hi_bits >> (j - n_low)) & 1:
            s += a[j]
            logw += logit[j]
    r = np.empty(n_low)
    ri = np.empty(n_low)
    for j in range(n_low):
        r[j] = math.exp(logit[j])
        ri[j] = math.exp(-logit[j])
    w = math.exp(logw - shift)
    mask = np.zeros(n_low, dtype=np.uint8)
    a0 = a1 = a2 = a3 = a4 = a5 = a6 = 0.0
    for i in range(1 << n_low):
        if i > 0:
            j = 0
            ii = i
            while (ii & 1) == 0:
                ii >>= 1
                j += 1
            if mask[j] == 0:
                mask[j] = 1
                s += a[j]
                w *= r[j]
            else:
                mask[j] = 0
                s -= a[j]
                w *= ri[j]
        x = lam * s - logc
        t = math.exp(-abs(x))
        l1p = math.log1p(t)
        if x > 0:
            ls = -l1p
            l1 = -x - l1p
            o = 1.0 / (1.0 + t)
        else:
            ls = x - l1p
            l1 = -l1p
            o = t / (1.0 + t)
        ds = s - rs
        do = o - ro
        a0 += w
        a1 += w * ds
        a2 += w * ds * ds
        a3 += w * do
        a4 += w * do * do
        a5 += w * ls
        a6 += w * l1
    acc = np.empty(7)
    acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6] = a0, a1, a2, a3, a4, a5, a6
    return acc


@njit(parallel=True, **JIT_FAST)
def _gray_unit_kernel(a, logit, b0, logc, lam, n_low, rs, ro):
    n = a.shape[0]
    shift = 0.0
    for j in range(n):
        if logit[j] > 0:
            shift += logit[j]
    nb = 1 << (n - n_low)
    accs = np.zeros((nb, 7))
    for b in prange(nb):
        accs[b] = _gray_unit_block(a, logit, shift, b0, logc, lam, b, n_low, rs, ro)
    tot = sum_blocks(accs)  # fixed serial order: thread-count independent
    return tot[1:] / tot[0]


def enumerate_logistic_unit(w, I, p, *, b: float = 0.0, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""All 2^n input-dropout subnetworks of one logistic unit :math:`O = \sigma(\sum_i\delta_iw_iI_i + b)`
    (independent :math:`\delta_i \sim B(p_i)`, Eq. 6 and 27), exactly.

    Returns E(S), Var(S), E(O), V = Var(O), log G, log G' (Eq. 35–36, weighted by the subnetwork
    probabilities) and NWGM = σ(log G − log G'), all as floats, plus ``n_subnetworks``.
    Inputs with p_i = 1 are folded into the bias and p_i = 0 dropped; at most 30 random inputs.
    """
    w = check_array("w", w, ndim=1)
    I = check_array("I", I, shape=(w.shape[0],))
    pa = np.asarray(p, dtype=float)
    pa = np.full(w.shape, float(pa)) if pa.ndim == 0 else check_array("p", pa, shape=w.shape)
    if np.any((pa < 0) | (pa > 1)):
        bad = int(np.argmax((pa < 0) | (pa > 1)))
        raise ValueError(f"p must lie in [0, 1]; entry {bad} is {pa[bad]!r}")
    b = check_real("b", b)
    c, lam = check_logistic(c, lam)
    if c == 0:
        raise ValueError("c must be > 0 for a logistic unit with finite log-outputs, got 0")
    a = w * I
    b0 = b + float(a[pa >= 1].sum())
    keep = (pa > 0) & (pa < 1)
    a, pk = np.ascontiguousarray(a[keep]), pa[keep]
    n = a.size
    if n > 30:
        raise ValueError(f"at most 30 random inputs can be enumerated, got {n}")
    logit = np.log(pk) - np.log1p(-pk)
    n_low = min(n, 14)
    from scipy.special import expit

    # centring references: the exact mean of S and σ of it (close to E(O))
    rs = b0 + math.fsum(pk * a)
    ro = float(expit(lam * rs - math.log(c)))
    r = _gray_unit_kernel(a, logit, b0, math.log(c), lam, n_low, rs, ro)
    m1, m2, n1, n2, lg, lg1 = (float(x) for x in r)
    ES, EO = rs + m1, ro + n1

    return {"ES": ES, "VarS": max(m2 - m1 * m1, 0.0), "EO": EO, "V": max(n2 - n1 * n1, 0.0),
            "logG": lg, "logGp": lg1, "NWGM": float(expit(lg - lg1)), "n_subnetworks": 1 << n}


def enumerate_logistic_unit_numpy(w, I, p, *, b: float = 0.0, c: float = 1.0, lam: float = 1.0) -> dict:
    """Plain-numpy reference of :func:`enumerate_logistic_unit`: the sums and log-probabilities
    of all 2^n subnetworks built by doubling (S ← [S, S + w_jI_j]), then vectorised moments."""
    from scipy.special import expit, log_expit

    w = np.asarray(w, float)
    I = np.asarray(I, float)
    n = w.size
    pa = np.broadcast_to(np.asarray(p, float), (n,))
    S = np.array([float(b)])
    logw = np.zeros(1)
    with np.errstate(divide="ignore"):
        for j in range(n):
            S = np.concatenate([S, S + w[j] * I[j]])
            logw = np.concatenate([logw + np.log1p(-pa[j]), logw + np.log(pa[j])])
    P = np.exp(logw - logw.max())
    P /= P.sum()
    x = lam * S - math.log(c)
    lo, l1 = log_expit(x), log_expit(-x)
    O = expit(x)
    EO = P @ O
    ES = P @ S
    lg, lg1 = P @ lo, P @ l1
    return {"ES": float(ES), "VarS": float(P @ (S - ES) ** 2), "EO": float(EO),
            "V": float(P @ (O - EO) ** 2), "logG": float(lg), "logGp": float(lg1),
            "NWGM": float(expit(lg - lg1)), "n_subnetworks": 1 << n}


# ------------------------------------------------------------------------------------------
# Section 10.1: a layer of neurons driven by connection dropout with rate-valued keep
# probabilities
# ------------------------------------------------------------------------------------------


def enumerate_rate_gated_network(W1, w2, O_in, *, connection: bool, inputs: float = 1.0,
                                 c: float = 1.0, lam: float = 1.0) -> dict:
    r"""Exact law of a two-layer network operated by dropout in the form of Sec. 10.1 (after
    Eq. 134): every neuron's inputs are set to ``inputs`` (1 in the paper) and its connection
    from unit j is kept with probability equal to j's sigmoidal output (the firing
    probabilities ``O_in`` for the input layer, :math:`O_j = \sigma(S_j)` for the hidden layer).
    ``connection=True``: one Bernoulli gate per connection (dropout on the connections);
    ``False``: one gate per presynaptic unit shared by its outgoing connections (dropout on
    the units). Every gate configuration is enumerated; returns the probabilities ``prob`` and
    the hidden sums ``S1``, outputs ``O1``, output sum ``S2`` and output ``O2`` of each."""
    W1 = check_array("W1", W1, ndim=2)
    h, n_in = W1.shape
    w2 = check_array("w2", w2, shape=(h,))
    O_in = check_array("O_in", O_in, shape=(n_in,))
    if np.any((O_in < 0) | (O_in > 1)):
        raise ValueError(f"O_in must lie in [0, 1], got {O_in}")
    inputs = check_real("inputs", inputs)
    d = h * n_in if connection else n_in
    if d + h > 20:
        raise ValueError(f"{d + h} gates: enumeration allows at most 20")
    idx = np.arange(1 << d, dtype=np.int64)
    g1 = ((idx[:, None] >> np.arange(d)) & 1).astype(float)
    pr1 = np.prod(np.where(g1 > 0, np.tile(O_in, h) if connection else O_in,
                           1 - (np.tile(O_in, h) if connection else O_in)), axis=1)
    if connection:  # gate of connection j → i is column i·n_in + j
        S1 = np.einsum("ij,kij->ki", W1, inputs * g1.reshape(-1, h, n_in))
    else:
        S1 = (inputs * g1) @ W1.T
    O1 = 1.0 / (1.0 + c * np.exp(-lam * S1))
    jdx = np.arange(1 << h, dtype=np.int64)
    g2 = ((jdx[:, None] >> np.arange(h)) & 1).astype(float)
    # P(hidden gates | O1): each connection i → out kept with probability O1_i
    pr2 = np.prod(np.where(g2[None] > 0, O1[:, None, :], 1 - O1[:, None, :]), axis=2)
    prob = (pr1[:, None] * pr2).ravel()
    S2 = np.tile((inputs * g2) @ w2, S1.shape[0])
    return {"prob": prob, "S1": np.repeat(S1, 1 << h, axis=0), "O1": np.repeat(O1, 1 << h, axis=0),
            "S2": S2, "O2": 1.0 / (1.0 + c * np.exp(-lam * S2))}


# ------------------------------------------------------------------------------------------
# Sections 9.5–9.6: every dropout mask of a small layered logistic network (plain numpy)
# ------------------------------------------------------------------------------------------


def enumerate_layered_logistic(Ws, I, ps, *, c: float = 1.0, lam: float = 1.0,
                               connection: bool = False) -> dict:
    r"""Every dropout subnetwork of a small layered logistic network, materialised.

    ``Ws[k]`` (n_{k+1}, n_k) are the weights into layer k + 1 (layer 0 = the inputs ``I``),
    ``ps[k]`` (n_k,) the keep probabilities of the units feeding ``Ws[k]``. Node dropout
    (default): one gate δ_j per unit j of every layer that feeds another, shared by all its
    outgoing connections (Eq. 98's "dropout applied to the nodes"); ``connection=True``: one
    gate per connection, kept with the probability of its source unit. At most 22 gates.

    Returns ``{"P": (M,), "S": [(M, n_1), …], "O": [(M, n_1), …], "gates": (M, G)}`` over the
    M = 2^G masks (plain numpy: the reference for the Section 9.5–9.6 claims, which need
    arbitrary functions of the whole configuration, e.g. E(O_i O_j) or σ of a partial sum).
    """
    from dropmc.simulations.enumeration import enumerate_masks
    from dropmc.theory.ensemble_averaging import logistic

    c, lam = check_logistic(c, lam)
    Ws = [check_array(f"Ws[{k}]", np.atleast_2d(W), ndim=2) for k, W in enumerate(Ws)]
    I = check_array("I", I, ndim=1)
    if len(ps) != len(Ws):
        raise ValueError(f"ps must have one vector per layer of weights ({len(Ws)}), got {len(ps)}")
    sizes = [I.size] + [W.shape[0] for W in Ws]
    for k, W in enumerate(Ws):
        if W.shape[1] != sizes[k]:
            raise ValueError(f"Ws[{k}] must have {sizes[k]} columns, got shape {W.shape}")
    pv = [check_array(f"ps[{k}]", p, shape=(sizes[k],)) for k, p in enumerate(ps)]
    if any(np.any((p < 0) | (p > 1)) for p in pv):
        raise ValueError("keep probabilities ps must lie in [0, 1]")
    if connection:
        gp = np.concatenate([np.broadcast_to(p, W.shape).ravel() for W, p in zip(Ws, pv)])
    else:
        gp = np.concatenate(pv)
    if gp.size > 22:
        raise ValueError(f"the network has {gp.size} gates; enumeration allows at most 22")
    masks, P = enumerate_masks(gp.size, gp)
    M = masks.shape[0]
    a = np.broadcast_to(I, (M, I.size))
    off, S_all, O_all = 0, [], []
    for W, p in zip(Ws, pv):
        if connection:
            g = masks[:, off:off + W.size].reshape(M, *W.shape).astype(float)
            S = np.einsum("mij,mj->mi", g * W, a)
            off += W.size
        else:
            S = (masks[:, off:off + W.shape[1]] * a) @ W.T
            off += W.shape[1]
        a = logistic(S, c, lam)
        S_all.append(S)
        O_all.append(a)
    return {"P": P, "S": S_all, "O": O_all, "gates": masks}


def sample_first_layer_covariances(W, I, p, *, connection: bool = False, c: float = 1.0,
                                   lam: float = 1.0, n: int = 100_000, rng=None,
                                   batch: int = 8192) -> dict:
    r"""Monte Carlo of Cov(O_i, O_j) for every pair of units of one logistic layer under
    dropout of its inputs: node dropout (one gate per input, shared by all units: the
    setting of Eq. 98) or ``connection`` dropout (one gate per connection).

    Unbiased and i.i.d. by independent replicates: each of the ``n`` draws is a pair of
    independent subnetworks (O, O') and :math:`\tfrac12(O_i - O_i')(O_j - O_j')` has mean
    Cov(O_i, O_j) exactly, so the SE is the plain s/√n (plain numpy, batched).

    Returns ``{"pairs": [(i, j), …], "cov": [Estimate, …], "EO": (n_units,) sample means}``.
    """
    from dropmc.theory.ensemble_averaging import logistic

    W = check_array("W", np.atleast_2d(W), ndim=2)
    k, d = W.shape
    I = check_array("I", I, shape=(d,))
    p = check_array("p", np.broadcast_to(np.asarray(p, float), (d,)), shape=(d,))
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"p must lie in [0, 1], got {p}")
    c, lam = check_logistic(c, lam)
    n = check_int("n", n, minimum=64)
    g = np.random.default_rng(rng)
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    parts, eo, done = [], np.zeros(k), 0
    while done < n:
        B = min(batch, n - done)
        O = []
        for _ in range(2):
            if connection:
                S = np.einsum("bkd,kd,d->bk", g.random((B, k, d)) < p, W, I)
            else:
                S = ((g.random((B, d)) < p) * I) @ W.T
            O.append(logistic(S, c, lam))
        D = O[0] - O[1]
        parts.append(np.stack([0.5 * D[:, i] * D[:, j] for i, j in pairs], axis=1)
                     if pairs else np.zeros((B, 0)))
        eo += O[0].sum(axis=0)
        done += B
    acc = np.concatenate(parts, axis=0)
    from dropmc.estimate import mean_estimate
    return {"pairs": pairs, "cov": [mean_estimate(acc[:, t]) for t in range(len(pairs))],
            "EO": eo / n}


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
    Eq. 14), with optional biases ``b`` (k,) kept with probability ``pb`` (Eq. 9)."""
    W = check_array("W", W, ndim=2)
    k, m = W.shape
    I = check_array("I", I, shape=(m,))
    pa = np.asarray(p, dtype=float)
    shape = (k, m) if per_connection else (m,)
    pa = np.full(shape, float(pa)) if pa.ndim == 0 else check_array("p", pa, shape=shape)
    if np.any((pa < 0) | (pa > 1)):
        raise ValueError(f"p must lie in [0, 1], got {pa}")
    P = np.ascontiguousarray(pa.reshape(-1, m))
    bb = np.zeros(k) if b is None else check_array("b", b, shape=(k,))
    pb = check_real("pb", pb, lo=0.0, hi=1.0)
    n = check_int("n", n, minimum=64)
    ss = as_seed_sequence(rng)
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


# ==========================================================================================
# Sections 11.6–11.7: dropin, and the learning phases of the dropout-trained digits network
# ==========================================================================================
#
# Dropin (Sec. 11.6): a unit is set to 1, instead of 0, when it is not kept: the next layer
# receives δO + (1 − δ) = 1 − δ(1 − O), δ ~ Bernoulli(p). Mirror identity (used here for the
# Monte Carlo and the ensemble): with O' = 1 − O = σ(−S) and inputs I' = 1 − I, a logistic
# network (w, b) under dropin is *exactly* the logistic network (w, b' = −b − Σ_j w_ij) under
# dropout, unit by unit and subnetwork by subnetwork (S_i = b_i + Σ_j w_ij − Σ_j w_ij δ_j O'_j,
# so −S_i = b'_i + Σ_j w_ij δ_j O'_j). The dropout kernel of Sec. 9.5 therefore draws the
# dropin subnetworks of a network (same law, same stream), and the dropin ensemble network
# (each unit replaced by its mean pO + 1 − p) is the mirror of the mirrored network's Eq. 98.
# (targets t become 1 − t; the loss is the same). The asymmetry of dropin and dropout is thus
# not in the network or the noise law but in training: the data the equivalent dropout network
# sees (inverted inputs, one-cold targets) and the coordinates the optimiser works in.
# These functions use net's DropoutMLP / estimate_mlp_moments / digits_classifier (defined
# below in this module; resolved at call time).

from dataclasses import dataclass, field  # noqa: E402
from functools import lru_cache  # noqa: E402
import time as _time  # noqa: E402

#: noise kinds of :func:`train_noise_classifier`
NOISE_KINDS = ("dropout", "dropin", "none")


def mirror_dropin(net):
    """The dropout network equivalent to ``net`` under dropin (see the block comment): same
    weights and keep probabilities, biases b' = −b − Σ_j w_ij; its units are 1 − O of ``net``'s
    on the input 1 − I, subnetwork by subnetwork (an involution: mirror(mirror(net)) = net)."""
    if not isinstance(net, DropoutMLP):
        raise TypeError(f"net must be a DropoutMLP, got {type(net).__name__}")
    return DropoutMLP(net.Ws, tuple(-np.asarray(b, float) - np.asarray(W, float).sum(axis=1)
                                    for W, b in zip(net.Ws, net.bs)), net.ps)


def noise_ensemble_flat(net, X, noise: str = "dropout") -> tuple[np.ndarray, np.ndarray]:
    """(U, W) of every non-input unit of the deterministic ensemble network for the noise kind
    (arrays (n_inputs, n_units)): Eq. 98 for dropout (each unit feeds p·W forward), its dropin
    analogue (each unit feeds pW + 1 − p; computed as the mirror of Eq. 98 on the mirrored
    network), the plain forward pass for ``"none"`` (all p = 1 in training)."""
    if noise not in NOISE_KINDS:
        raise ValueError(f"noise must be one of {NOISE_KINDS}, got {noise!r}")
    X = np.atleast_2d(np.asarray(X, float))
    if noise == "dropin":
        U, W = mirror_dropin(net).ensemble_flat(1.0 - X)
        return -U, 1.0 - W
    return net.ensemble_flat(X)


def noise_predict(net, X, noise: str = "dropout") -> np.ndarray:
    """Class predicted by the deterministic ensemble network of the noise kind."""
    U, W = noise_ensemble_flat(net, X, noise)
    return np.argmax(W[:, -net.sizes[-1]:], axis=1)


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
    g = np.random.default_rng(rng)
    I = np.asarray(I, float)
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
    X = np.atleast_2d(np.asarray(X, float))
    U, W = noise_ensemble_flat(net, X, noise)
    off = np.concatenate([[0], np.cumsum(net.sizes[1:])])
    out = []
    for l, (Wl, p) in enumerate(zip(net.Ws, net.ps)):
        below = X if l == 0 else W[:, off[l - 1]:off[l]]
        x = below if noise == "dropout" else 1.0 - below
        out.append((x ** 2) @ (np.asarray(Wl, float) ** 2).T * p * (1 - p))
    return np.concatenate(out, axis=1)


@dataclass
class NoiseTrainedClassifier:
    """A classifier trained with dropout, dropin or no noise (:func:`train_noise_classifier`):
    snapshots ``[(epoch, DropoutMLP), …]`` of the raw weights (original coordinates; predict
    with :func:`noise_predict`), test/train accuracy of the final ensemble network, the test
    accuracy at each snapshot epoch, wall time and settings."""

    noise: str
    snapshots: list
    test_accuracy: float
    train_accuracy: float
    test_correct: np.ndarray = field(repr=False)
    seconds: float = 0.0
    settings: dict = field(default_factory=dict)
    accuracy_curve: list = field(default_factory=list)

    @property
    def final(self):
        return self.snapshots[-1][1]


def train_noise_classifier(X, y, X_test, y_test, *, noise: str = "dropin",
                           hidden=(128,) * 4, p_in: float = 0.8, p_hidden: float = 0.5,
                           epochs: int = 200, batch: int = 64, lr: float = 0.01,
                           init_sd: float = 0.01, snapshot_epochs=(), seed: int = 0
                           ) -> NoiseTrainedClassifier:
    """The one trainer of the Section 9 and 11 digits networks (:func:`train_dropout_classifier`
    is its dropout case; network, loss and Adam described there) with the noise kind as a
    parameter: ``"dropout"`` (a unit not kept feeds 0 forward),
    ``"dropin"`` (it feeds 1 forward, Sec. 11.6; inputs not kept are set to 1) or ``"none"``
    (every unit kept: p_in = p_hidden = 1). A unit not kept passes no gradient back (its
    output is a constant 0 or 1). Snapshots at ``snapshot_epochs`` plus 0 and the end."""
    if noise not in NOISE_KINDS:
        raise ValueError(f"noise must be one of {NOISE_KINDS}, got {noise!r}")
    X, y = _check_xy("X", X, y)
    X_test, y_test = _check_xy("X_test", X_test, y_test, X.shape[1])
    hidden = tuple(check_int("hidden width", h, minimum=1) for h in hidden)
    p_in = check_real("p_in", p_in, lo=0.0, hi=1.0)
    p_hidden = check_real("p_hidden", p_hidden, lo=0.0, hi=1.0)
    if p_in <= 0 or p_hidden <= 0:
        raise ValueError(f"p_in and p_hidden must lie in (0, 1], got {p_in}, {p_hidden}")
    if noise == "none":
        p_in = p_hidden = 1.0
    fill = 1.0 if noise == "dropin" else 0.0
    epochs = check_int("epochs", epochs, minimum=1)
    batch = check_int("batch", batch, minimum=1)
    lr = check_real("lr", lr, lo=0.0)
    init_sd = check_real("init_sd", init_sd, lo=0.0)
    snaps = sorted({int(e) for e in snapshot_epochs if 0 <= int(e) <= epochs} | {0, epochs})
    n_cls = int(max(y.max(), y_test.max())) + 1
    sizes = (X.shape[1],) + hidden + (n_cls,)
    ps = (p_in,) + (p_hidden,) * len(hidden)
    g = np.random.default_rng(np.random.SeedSequence(int(seed)))
    Ws = [g.normal(0.0, init_sd, (sizes[l + 1], sizes[l])) for l in range(len(sizes) - 1)]
    bs = [np.zeros(sizes[l + 1]) for l in range(len(sizes) - 1)]
    params = Ws + bs
    m1 = [np.zeros_like(a) for a in params]
    m2 = [np.zeros_like(a) for a in params]
    b1, b2, eps, t = 0.9, 0.999, 1e-8, 0
    T = np.eye(n_cls)[y]
    L = len(Ws)

    def freeze():
        return DropoutMLP(tuple(W.copy() for W in Ws), tuple(b.copy() for b in bs), ps)

    snapshots, curve = [], []
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small matrices: BLAS threads only fight each other
        t0 = _time.perf_counter()
        if 0 in snaps:
            snapshots.append((0, freeze()))
        for ep in range(1, epochs + 1):
            order = g.permutation(y.size)
            for k in range(0, y.size, batch):
                idx = order[k:k + batch]
                keep = g.random((idx.size, sizes[0])) < p_in
                a = X[idx] * keep if fill == 0.0 else np.where(keep, X[idx], fill)
                acts = [a]
                for l in range(L):
                    o = special.expit(a @ Ws[l].T + bs[l])
                    if l < L - 1:
                        m = g.random(o.shape) < p_hidden
                        a = o * m if fill == 0.0 else np.where(m, o, fill)
                    else:
                        a = o
                    acts.append(a)
                delta = (acts[-1] - T[idx]) / idx.size
                grads_W, grads_b = [None] * L, [None] * L
                for l in range(L - 1, -1, -1):
                    grads_W[l] = delta.T @ acts[l]
                    grads_b[l] = delta.sum(axis=0)
                    if l > 0:
                        o = acts[l]  # 0 (dropout) or 1 (dropin) on units not kept: σ' term 0
                        delta = (delta @ Ws[l]) * (o * (1.0 - o))
                t += 1
                for q, gr in enumerate(grads_W + grads_b):
                    m1[q] = b1 * m1[q] + (1 - b1) * gr
                    m2[q] = b2 * m2[q] + (1 - b2) * gr * gr
                    step = lr * (m1[q] / (1 - b1 ** t)) / (np.sqrt(m2[q] / (1 - b2 ** t)) + eps)
                    params[q] -= step
            if ep in snaps:
                net = freeze()
                snapshots.append((ep, net))
                curve.append((ep, float(np.mean(noise_predict(net, X_test, noise) == y_test))))
        seconds = _time.perf_counter() - t0
    final = snapshots[-1][1]
    correct = noise_predict(final, X_test, noise) == y_test
    settings = dict(noise=noise, hidden=hidden, p_in=p_in, p_hidden=p_hidden, epochs=epochs,
                    batch=batch, lr=lr, init_sd=init_sd, seed=int(seed), n_train=int(y.size))
    return NoiseTrainedClassifier(noise, snapshots, float(np.mean(correct)),
                                  float(np.mean(noise_predict(final, X, noise) == y)), correct,
                                  seconds, settings, curve)


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


# ==========================================================================================
# Section 9.5–9.6: a deep logistic classifier trained with dropout
# ==========================================================================================
#
# The paper's Figs. 9.3–9.15 study a 784-1200-1200-1200-1200-10 logistic network trained on
# MNIST with dropout (keep probability 0.8 on the inputs, 0.5 on the hidden units). Here the
# same architecture, scaled to scikit-learn's 8×8 digits (see dropmc.simulations.datasets):
# 64-h-h-h-h-10, every unit logistic (the ten outputs too, trained with the cross-entropy of
# each output against its one-hot target), biases never dropped, no rescaling during training
# (δ ∈ {0, 1}; the ensemble network scales the weights by p, Eq. 98). Training is plain numpy
# minibatch Adam, seeded; snapshots of the weights are kept before, during and after training.
# The Monte Carlo kernel draws dropout subnetworks of a snapshot for a fixed input and returns,
# per unit, the moments the figures and claims need.

from dataclasses import dataclass, field  # noqa: E402
from functools import lru_cache  # noqa: E402
import time as _time  # noqa: E402

from dropmc.simulations._core import as_generator  # noqa: E402
from dropmc.theory import ensemble_averaging as _th  # noqa: E402

#: the network of Figs. 9.3–9.15 scaled to the 8×8 digits: width of the four hidden layers,
#: training epochs and the epochs at which snapshots are kept (0 = before training)
DIGITS_HIDDEN = 128
DIGITS_EPOCHS = 200
DIGITS_SNAPSHOTS = (0, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80, 120, 160, 200)
DIGITS_LR = 0.01


@dataclass(frozen=True)
class DropoutMLP:
    """A layered logistic network: ``Ws[l]`` (n_{l+1}, n_l), biases ``bs[l]`` (n_{l+1},), and
    ``ps[l]`` the keep probability of the units of layer l (layer 0 = the input) feeding layer
    l + 1. The output layer is never dropped."""

    Ws: tuple
    bs: tuple
    ps: tuple

    @property
    def sizes(self) -> tuple:
        return (self.Ws[0].shape[1],) + tuple(W.shape[0] for W in self.Ws)

    @property
    def n_units(self) -> int:
        """Number of non-input units."""
        return int(sum(self.sizes[1:]))

    def unit_layer(self) -> np.ndarray:
        """Layer number (1 … L) of each non-input unit, in the kernel's global order."""
        return np.repeat(np.arange(1, len(self.Ws) + 1), self.sizes[1:])

    def ensemble(self, I) -> dict:
        """Eq. 98 on input(s) ``I``: ``{"U": [...], "W": [...]}`` per layer."""
        return _th.ensemble_network(self.Ws, self.bs, self.ps, I)

    def ensemble_flat(self, I) -> tuple[np.ndarray, np.ndarray]:
        """(U, W) of every non-input unit for each input: arrays (n_inputs, n_units)."""
        e = self.ensemble(np.atleast_2d(I))
        return np.concatenate(e["U"], axis=1), np.concatenate(e["W"], axis=1)

    def predict(self, X) -> np.ndarray:
        """Class predicted by the ensemble network (largest output W)."""
        return np.argmax(self.ensemble(np.atleast_2d(X))["W"][-1], axis=1)


@dataclass
class TrainedClassifier:
    """A dropout-trained classifier with its snapshots ``[(epoch, DropoutMLP), …]`` (epoch 0 =
    before training), the test accuracy of the final ensemble network, the wall time of the
    training, the data it was tested on and the training settings."""

    snapshots: list
    test_accuracy: float
    train_accuracy: float
    seconds: float
    settings: dict
    X_test: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    accuracy_curve: list = field(default_factory=list)

    @property
    def initial(self) -> DropoutMLP:
        return self.snapshots[0][1]

    @property
    def final(self) -> DropoutMLP:
        return self.snapshots[-1][1]

    def snapshot(self, epoch: int) -> DropoutMLP:
        for e, net in self.snapshots:
            if e == epoch:
                return net
        raise ValueError(f"epoch must be one of the snapshot epochs "
                         f"{[e for e, _ in self.snapshots]}, got {epoch!r}")

    def describe(self) -> str:
        s = self.settings
        return (f"{'-'.join(map(str, self.final.sizes))} logistic network, dropout p = "
                f"{s['p_in']} (input) / {s['p_hidden']} (hidden), {s['epochs']} epochs of Adam "
                f"(lr {s['lr']}, batch {s['batch']}, init N(0, {s['init_sd']}²)), "
                f"test accuracy {self.test_accuracy:.1%} ({self.y_test.size} images)")


def _check_xy(name, X, y, n_in=None):
    X = check_array(name, X, ndim=2)
    y = check_array(name + " labels", y, ndim=1, dtype=np.int64)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"{name}: {X.shape[0]} inputs but {y.shape[0]} labels")
    if n_in is not None and X.shape[1] != n_in:
        raise ValueError(f"{name}: inputs have {X.shape[1]} features, expected {n_in}")
    if np.any(y < 0):
        raise ValueError(f"{name} labels must be non-negative class indices")
    return X, y


def train_dropout_classifier(X, y, X_test, y_test, *, hidden=(DIGITS_HIDDEN,) * 4,
                             p_in: float = 0.8, p_hidden: float = 0.5,
                             epochs: int = DIGITS_EPOCHS, batch: int = 64, lr: float = DIGITS_LR,
                             init_sd: float = 0.01, snapshot_epochs=DIGITS_SNAPSHOTS,
                             seed: int = 0) -> TrainedClassifier:
    """Train a layered logistic classifier with dropout on the units (Baldi & Sadowski,
    Section 9.5; the paper's MNIST network is ``hidden=(1200,)*4``, p_in 0.8, p_hidden 0.5).

    Every unit is logistic; the outputs (one per class) are trained with the summed relative
    entropy to the one-hot target. Each minibatch draws one Bernoulli mask per example and
    unit (inputs kept with ``p_in``, hidden units with ``p_hidden``, outputs never dropped;
    no rescaling: the ensemble network of Eq. 98 scales the weights by p). Weights start
    small, N(0, init_sd²) (so W ≈ 0.5 at the start, as the paper's Fig. 9.9 caption says),
    biases at 0. Adam (β = 0.9, 0.999), minibatches in a seeded random order. Deterministic:
    same arguments and seed → same weights. ``X`` in [0, 1] of shape (n, n_in), ``y`` class
    indices. Snapshots are kept at ``snapshot_epochs`` (0 = before training).
    """
    c = train_noise_classifier(X, y, X_test, y_test, noise="dropout", hidden=hidden, p_in=p_in,
                               p_hidden=p_hidden, epochs=epochs, batch=batch, lr=lr,
                               init_sd=init_sd, snapshot_epochs=snapshot_epochs, seed=seed)
    X_test, y_test = _check_xy("X_test", X_test, y_test)
    settings = {k: v for k, v in c.settings.items() if k != "noise"}
    return TrainedClassifier(c.snapshots, c.test_accuracy, c.train_accuracy, c.seconds, settings,
                             X_test, y_test, c.accuracy_curve)


@lru_cache(maxsize=4)
def digits_classifier(hidden: int = DIGITS_HIDDEN, epochs: int = DIGITS_EPOCHS,
                      seed: int = 0) -> TrainedClassifier:
    """The network of Figs. 9.3–9.15 on scikit-learn's 8×8 digits: 64-h-h-h-h-10, trained by
    :func:`train_dropout_classifier` on a seeded 75 % / 25 % split (memoised per process:
    the same object is returned for the same arguments; nothing is cached on disk)."""
    from dropmc.simulations.datasets import load_digits_split

    X, y, Xt, yt = load_digits_split(0.25, seed=seed)
    return train_dropout_classifier(X, y, Xt, yt, hidden=(int(hidden),) * 4,
                                    epochs=int(epochs), seed=seed)


# -- Monte Carlo over the dropout subnetworks of a DropoutMLP, for one fixed input ----------

#: per-unit statistics the kernel accumulates (columns of its first result)
MLP_STATS = ("S", "S2", "O", "O2", "logO", "log1mO", "dsig")


@njit(**JIT_FAST)
def _mlp_mc_kernel(state, n, WT, woff, b, sizes, ps, I, pa, pb):
    """Sums over ``n`` dropout subnetworks of a layered logistic network, one fixed input ``I``.

    ``WT`` holds each layer's weights transposed, (n_l, n_{l+1}) row-major from ``woff[l]``,
    so a kept unit k adds ``y_k·WT[k, :]`` to the next layer's sums (contiguous, vectorised;
    dropped units cost nothing). ``b`` the biases of the non-input units in global order.
    The units of layer l (input = 0) are kept with probability ``ps[l]``; the output layer is
    never dropped. Per unit: Σ S, S², O, O², log O, log(1 − O), σ'(S) = O(1 − O) (logs from
    one exp and one log1p, stable for any S); per requested pair: Σ O_a O_b. Draw order: one
    uniform per input unit, then one per unit of each hidden layer, in index order.
    """
    L = sizes.shape[0] - 1
    N = 0
    maxw = sizes[0]
    for l in range(1, L + 1):
        N += sizes[l]
        if sizes[l] > maxw:
            maxw = sizes[l]
    acc = np.zeros((N, 7))
    pacc = np.zeros(pa.shape[0])
    O = np.empty(N)
    y = np.empty(maxw)
    s = np.empty(maxw)
    idx = np.empty(maxw, dtype=np.int64)
    r0, r1, r2, r3 = state[0], state[1], state[2], state[3]
    for _ in range(n):
        nk = 0
        for k in range(sizes[0]):
            u, r0, r1, r2, r3 = next_double_r(r0, r1, r2, r3)
            if u < ps[0] and I[k] != 0.0:
                idx[nk] = k
                y[nk] = I[k]
                nk += 1
        uo = 0
        for l in range(L):
            nout = sizes[l + 1]
            base = woff[l]
            for i in range(nout):
                s[i] = b[uo + i]
            for t in range(nk):
                v = y[t]
                row = base + idx[t] * nout
                for i in range(nout):
                    s[i] += v * WT[row + i]
            last = l == L - 1
            nk2 = 0
            for i in range(nout):
                x = s[i]
                e = math.exp(-abs(x))
                sp = math.log1p(e)
                if x >= 0.0:
                    o = 1.0 / (1.0 + e)
                    lo = -sp
                    l1 = -x - sp
                else:
                    o = e / (1.0 + e)
                    lo = x - sp
                    l1 = -sp
                g = uo + i
                acc[g, 0] += x
                acc[g, 1] += x * x
                acc[g, 2] += o
                acc[g, 3] += o * o
                acc[g, 4] += lo
                acc[g, 5] += l1
                acc[g, 6] += o * (1.0 - o)
                O[g] = o
                if not last:
                    u, r0, r1, r2, r3 = next_double_r(r0, r1, r2, r3)
                    if u < ps[l + 1]:
                        idx[nk2] = i
                        y[nk2] = o
                        nk2 += 1
            nk = nk2
            uo += nout
        for q in range(pa.shape[0]):
            pacc[q] += O[pa[q]] * O[pb[q]]
    state[0], state[1], state[2], state[3] = r0, r1, r2, r3
    return acc, pacc


def _mlp_arrays(net: DropoutMLP):
    sizes = np.asarray(net.sizes, dtype=np.int64)
    WT = np.concatenate([np.ascontiguousarray(W.T).ravel() for W in net.Ws])
    woff = np.zeros(len(net.Ws), dtype=np.int64)
    woff[1:] = np.cumsum([W.size for W in net.Ws])[:-1]
    b = np.concatenate([np.asarray(x, float) for x in net.bs])
    ps = np.asarray(net.ps, dtype=float)
    return WT, woff, b, sizes, ps


def _check_pairs(net: DropoutMLP, pairs):
    if pairs is None or np.size(pairs) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    P = check_array("pairs", pairs, ndim=2, dtype=np.int64)
    if P.shape[1] != 2:
        raise ValueError(f"pairs must have shape (k, 2), got {P.shape}")
    if P.size and (P.min() < 0 or P.max() >= net.n_units):
        raise ValueError(f"pairs must hold non-input unit indices in [0, {net.n_units}), got "
                         f"range [{P.min()}, {P.max()}]")
    return np.ascontiguousarray(P[:, 0]), np.ascontiguousarray(P[:, 1])


@dataclass
class DropoutMoments:
    """Monte Carlo moments of every non-input unit of a :class:`DropoutMLP` over its dropout
    subnetworks, for each of several fixed inputs.

    ``mean[name]`` has shape (n_inputs, n_units) for the names of :data:`MLP_STATS` and
    (n_inputs, n_pairs) for ``"pair"`` (E(O_a O_b)). ``batch[name]`` holds the per-chunk means,
    shape (n_inputs, B, …), and ``weights`` the chunk weights (n_b/n), for batch-means standard
    errors of any smooth function (:meth:`se`). ``layer`` is the layer of each unit.
    """

    mean: dict
    batch: dict
    weights: np.ndarray
    n: int
    layer: np.ndarray
    pairs: np.ndarray
    seed: object = None

    @property
    def dof(self) -> int:
        return int(self.weights.size - 1)

    def se(self, dev) -> np.ndarray:
        """Batch-means SE of a statistic whose per-chunk linearised deviations from its
        overall value are ``dev`` (n_inputs, B, …): sqrt(B/(B − 1)·Σ_b w_b² dev_b²)."""
        B = self.weights.size
        w = self.weights.reshape((1, B) + (1,) * (np.ndim(dev) - 2))
        return np.sqrt(B / (B - 1) * np.sum((w * dev) ** 2, axis=1))

    def dev(self, name: str) -> np.ndarray:
        """Per-chunk deviations of a raw mean from its overall value (float64)."""
        return self.batch[name].astype(float) - self.mean[name][:, None]

    # derived quantities: value and per-chunk linearised deviation (delta method) ----------

    def E(self):
        return self.mean["O"], self.dev("O")

    def V(self):
        """Var(O) = E(O²) − E(O)²."""
        m1 = self.mean["O"]
        return self.mean["O2"] - m1 ** 2, self.dev("O2") - 2 * m1[:, None] * self.dev("O")

    def NWGM(self):
        """NWGM = G/(G + G') = σ(E log O − E log(1 − O)) (log domain)."""
        x = self.mean["logO"] - self.mean["log1mO"]
        N = special.expit(x)
        return N, (N * (1 - N))[:, None] * (self.dev("logO") - self.dev("log1mO"))

    def ES(self):
        return self.mean["S"], self.dev("S")

    def Edsig(self):
        return self.mean["dsig"], self.dev("dsig")

    def pair(self):
        return self.mean["pair"], self.dev("pair")


def estimate_mlp_moments(net: DropoutMLP, inputs, *, n: int = 10_000, pairs=None, rng=None,
                         chunk_size: int = 4096) -> DropoutMoments:
    """Monte Carlo over ``n`` dropout subnetworks of ``net`` for each row of ``inputs``
    (Baldi & Sadowski, Figs. 9.3–9.15: 10 inputs, 10,000 subnetworks each). Returns a
    :class:`DropoutMoments` with, per non-input unit, E(S), E(S²), E(O), E(O²), E log O,
    E log(1 − O) and E σ'(S), and E(O_a O_b) for the requested ``pairs`` (k, 2) of global
    unit indices; ≥ 32 chunks per input (batch-means SEs). Input i uses the i-th child of
    the seed; chunk streams are xoshiro256++ (bit-identical for any thread count)."""
    if not isinstance(net, DropoutMLP):
        raise TypeError(f"net must be a DropoutMLP, got {type(net).__name__}")
    X = check_array("inputs", np.atleast_2d(inputs), ndim=2)
    if X.shape[1] != net.sizes[0]:
        raise ValueError(f"inputs must have {net.sizes[0]} columns, got {X.shape[1]}")
    n = check_int("n", n, minimum=64)
    pa, pb = _check_pairs(net, pairs)
    WT, woff, b, sizes, ps = _mlp_arrays(net)
    ss = as_seed_sequence(rng)
    means = {k: [] for k in MLP_STATS + ("pair",)}
    batches = {k: [] for k in MLP_STATS + ("pair",)}
    weights = None
    for I, s in zip(X, ss.spawn(X.shape[0])):
        I = np.ascontiguousarray(I, dtype=float)
        parts = run_chunks(lambda st, m: (m,) + _mlp_mc_kernel(st, m, WT, woff, b, sizes, ps, I,
                                                               pa, pb),
                           n, s, chunk_size=chunk_size, min_chunks=32, stream="xoshiro")
        sz = np.array([pt[0] for pt in parts], float)
        acc = np.stack([pt[1] / pt[0] for pt in parts])       # (B, N, 7)
        pac = np.stack([pt[2] / pt[0] for pt in parts])       # (B, P)
        weights = sz / sz.sum()
        for c, k in enumerate(MLP_STATS):
            batches[k].append(acc[:, :, c])
            means[k].append(weights @ acc[:, :, c])
        batches["pair"].append(pac)
        means["pair"].append(weights @ pac)
    mean = {k: np.asarray(v) for k, v in means.items()}
    # per-chunk means kept in float32 (only their deviations, ~1e-3, enter the SEs): a study
    # of 10 inputs × 778 units × 32 chunks then holds ~8 MB instead of 16
    batch = {k: np.asarray(v, dtype=np.float32) for k, v in batches.items()}
    return DropoutMoments(mean, batch, weights, n, net.unit_layer(),
                          np.column_stack([pa, pb]), seed_of(ss))


def mlp_moments_numpy(net: DropoutMLP, I, n: int, *, pairs=None, rng=None,
                      batch: int = 2048) -> dict:
    """Plain-numpy reference of :func:`estimate_mlp_moments` for one input, vectorised over a
    batch of subnetworks (matrix products): the sample means of the :data:`MLP_STATS` per
    unit (dict of (n_units,) arrays) and of O_aO_b for ``pairs`` (key ``"pair"``)."""
    g = np.random.default_rng(rng)
    I = np.asarray(I, float)
    pa, pb = _check_pairs(net, pairs)
    N, L = net.n_units, len(net.Ws)
    tot = {k: np.zeros(N) for k in MLP_STATS}
    tot["pair"] = np.zeros(pa.size)
    done = 0
    while done < n:
        B = min(batch, n - done)
        y = I * (g.random((B, I.size)) < net.ps[0])
        cols = {k: [] for k in MLP_STATS}
        Os = []
        for l in range(L):
            S = y @ net.Ws[l].T + net.bs[l]
            lo, l1 = -np.logaddexp(0.0, -S), -np.logaddexp(0.0, S)
            O = special.expit(S)
            for k, v in zip(MLP_STATS, (S, S * S, O, O * O, lo, l1, O * (1 - O))):
                cols[k].append(v)
            Os.append(O)
            if l < L - 1:
                y = O * (g.random(O.shape) < net.ps[l + 1])
        for k in MLP_STATS:
            tot[k] += np.concatenate(cols[k], axis=1).sum(axis=0)
        Oall = np.concatenate(Os, axis=1)
        tot["pair"] += (Oall[:, pa] * Oall[:, pb]).sum(axis=0)
        done += B
    return {k: v / n for k, v in tot.items()}


def mlp_pairs(net: DropoutMLP, k: int, *, connected: bool, rng=None) -> np.ndarray:
    """``k`` pairs (i, j) of non-input units drawn uniformly at random (with replacement)
    among the connected pairs (j in layer h feeds i in layer h + 1, both non-input; Fig. 9.14)
    or among the unconnected pairs (distinct units not in adjacent layers; Figs. 9.12–9.13).
    Global unit indices, as :func:`estimate_mlp_moments` takes them."""
    g = as_generator(rng)
    k = check_int("k", k, minimum=1)
    sizes = np.asarray(net.sizes[1:])
    off = np.concatenate([[0], np.cumsum(sizes)])
    lay = net.unit_layer()
    if connected:
        # edges between hidden layer h (≥ 1) and h + 1: pick an edge uniformly
        counts = sizes[:-1] * sizes[1:]
        h = g.choice(counts.size, size=k, p=counts / counts.sum())
        j = off[h] + (g.random(k) * sizes[h]).astype(np.int64)
        i = off[h + 1] + (g.random(k) * sizes[h + 1]).astype(np.int64)
        return np.column_stack([i, j]).astype(np.int64)
    out = np.empty((0, 2), np.int64)
    while out.shape[0] < k:
        c = g.integers(0, net.n_units, size=(2 * k, 2))
        ok = (c[:, 0] != c[:, 1]) & (np.abs(lay[c[:, 0]] - lay[c[:, 1]]) != 1)
        out = np.vstack([out, c[ok]])
    return out[:k]


#: number of fixed inputs of the figures (as the paper: 10 randomly selected inputs)
DIGITS_N_INPUTS = 10


def digits_inputs(k: int = DIGITS_N_INPUTS) -> np.ndarray:
    """The ``k`` fixed test inputs of Figs. 9.3–9.15 (the first k of a permutation of the test
    set seeded with 0: the same inputs for every run seed, only the dropout draws vary)."""
    c = digits_classifier()
    k = check_int("k", k, minimum=1, maximum=c.y_test.size)
    return c.X_test[np.random.default_rng(np.random.SeedSequence(0)).permutation(c.y_test.size)[:k]]


def connected_pair_terms(net: DropoutMLP, pairs) -> tuple[np.ndarray, np.ndarray]:
    """For connected pairs (i, j), j feeding i: the weight w_ij and the keep probability p_j."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    lay = net.unit_layer()
    off = np.concatenate([[0], np.cumsum(net.sizes[1:])])
    i, j = pairs[:, 0], pairs[:, 1]
    if np.any(lay[i] != lay[j] + 1):
        raise ValueError("pairs must be connected: j in layer h, i in layer h + 1")
    w = np.array([net.Ws[lay[a] - 1][a - off[lay[a] - 1], b - off[lay[b] - 1]] for a, b in pairs])
    p = np.array([net.ps[lay[b]] for b in j], dtype=float)
    return w, p


@lru_cache(maxsize=20)
def digits_study(epoch: int, n: int, seed: int, n_pairs: int = 0) -> dict:
    """Monte Carlo of the digits network at snapshot ``epoch`` over ``n`` dropout subnetworks
    for each of the :func:`digits_inputs`, with ``n_pairs`` unconnected and ``n_pairs``
    connected pairs (drawn uniformly); memoised per process (the last 20 studies: one run seed's
    before/after studies and the 14 training snapshots). Returns ``{"net", "X", "mc"
    (DropoutMoments; pairs: unconnected first), "U", "W" (ensemble, (10, n_units)),
    "unconnected", "connected", "w", "p" (of the connected pairs)}``."""
    net = digits_classifier().snapshot(int(epoch))
    X = digits_inputs()
    ss = np.random.SeedSequence([int(seed), 95, 96, int(epoch)])
    s_u, s_c, s_mc = ss.spawn(3)
    if n_pairs:
        up = mlp_pairs(net, n_pairs, connected=False, rng=s_u)
        cp = mlp_pairs(net, n_pairs, connected=True, rng=s_c)
    else:
        up = cp = np.zeros((0, 2), np.int64)
    mc = estimate_mlp_moments(net, X, n=n, pairs=np.vstack([up, cp]), rng=s_mc)
    U, W = net.ensemble_flat(X)
    w, p = connected_pair_terms(net, cp)
    return {"net": net, "X": X, "mc": mc, "U": U, "W": W, "unconnected": up, "connected": cp,
            "w": w, "p": p}
