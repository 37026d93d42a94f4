r"""Monte Carlo samplers for Drop-Activation (Liang, Khoo, Yang), paper key ``drop_activation``.

* :func:`estimate_expected_map` — E_P of the training map (I − P + Pf)(x) of Eq. 3, per
  coordinate, for ReLU, sigmoid or tanh;
* :func:`estimate_dropact_loss` — E_P Σ_i ‖W₂(I − P + Pr)W₁x_i − y_i‖², the objective (9) of
  Property 5.1, by Monte Carlo (:func:`exact_dropact_loss` enumerates all 2^d masks);
* :func:`estimate_x_moments` — X_train and X_test of Eq. 13–14 with x ~ N(0, I) and
  P_i ~ B(p) drawn jointly: their means, variances and the shift ratio (Eq. 15).

Kernels are private, take a per-chunk xoshiro256++ state (the inlined generator of
:mod:`dropmc.simulations._xoshiro`, about 3x faster than numba's calls into numpy's PCG64)
and release the GIL; wrappers
validate, chunk (:func:`dropmc.simulations._core.run_chunks`) and return
:class:`~dropmc.estimate.Estimate` objects with batch-means standard errors.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import check_array, check_choice, check_int, check_probability
from dropmc.estimate import Estimate, combine_welford, function_estimate, seed_of
from dropmc.simulations import enumeration
from dropmc.simulations.optim import Adam
from dropmc.simulations._core import (JIT, JIT_FAST, as_seed_sequence, chunk_sizes,
                                      chunk_states, run_chunks, stack)
from dropmc.simulations._xoshiro import (fill_doubles, next_double, next_double_r, next_normal,
                                         next_normal_r)
from dropmc.theory.drop_activation import _check_net, _check_rrelu

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
    n = check_int("n", n, minimum=2)
    fx = np.array([_act(ACTIVATION_CODES[activation], float(v)) for v in x])
    rand = fx != x
    mean = x.copy()
    se = np.zeros_like(x)
    if rand.any():
        dr = int(rand.sum())
        parts = run_chunks(lambda g, m: _training_map_kernel(g, m, dr, p), n, rng,
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


# ------------------------------------------------------------------------------------------
# Property 5.1: the averaged training loss (9)
# ------------------------------------------------------------------------------------------

def _loss_parts(W1, W2, X, Y):
    """Outputs are affine in the mask: o_i(P) = W₂v_i + Σ_j P_j W₂[:, j](r(v_ij) − v_ij)."""
    V = X @ W1.T                                   # (n_data, d) pre-activations
    base = V @ W2.T                                # (n_data, k) all nonlinearities dropped
    gap = np.maximum(V, 0.0) - V                   # r(v) − v, nonzero only where v < 0
    # deltas[i, j, :] = W2[:, j] * gap[i, j]
    deltas = gap[:, :, None] * W2.T[None, :, :]
    return np.ascontiguousarray(base), np.ascontiguousarray(deltas)


@njit(**JIT_FAST)
def _dropact_loss_kernel(gen, n, A, c, G, counts, p):
    """(n, mean, M2) over n draws of L(P) = Σ_i ||o_i(P) − y_i||² (one mask per data point
    per draw; Welford updates, so a loss whose mean is large against its spread loses no
    digits), through the expansion of the squared norm around a reference mask.

    For p > 1/2 the reference keeps every unit and the "flipped" units are the dropped ones,
    otherwise the reference drops every unit and the flipped units are the kept ones. With
    e_i = o_i(reference) − y_i and δ_ij the change of o_i when unit j flips,
    ||o_i − y_i||² = A_i + 2Σ_F c_ij + Σ_{j,l ∈ F} G_ijl with A_i = ||e_i||², c_ij = ±δ_ij·e_i and
    the Gram matrix G_ijl = δ_ij·δ_il.

    Each unit flips with probability f = min(p, 1 − p). For f ≥ 1/4 one uniform is drawn per
    unit; for smaller f the flipped set F of each data point is drawn by geometric skipping: in a sequence of
    independent Bernoulli(f) trials (f = min(p, 1 − p)) the number of non-flips before the next
    flip is Geometric(f), ⌊log(1 − U)/log(1 − f)⌋ for U uniform, so one uniform is drawn per
    flipped unit (plus one per data point) instead of one per unit — the same law as per-unit
    Bernoulli draws, at a cost ∝ f·d.
    """
    n_data = counts.shape[0]
    mean = 0.0
    m2 = 0.0
    flipped = np.empty(G.shape[1], dtype=np.int64)
    f = 1.0 - p if p > 0.5 else p
    inv_log_q = 1.0 / math.log1p(-f) if f > 0.0 else 0.0
    s0, s1, s2_, s3 = gen[0], gen[1], gen[2], gen[3]
    for t in range(n):
        loss = 0.0
        for i in range(n_data):
            q = A[i]
            if f >= 0.25:
                # frequent flips: one uniform per unit is cheaper than a log per flip
                nf = 0
                for j in range(counts[i]):
                    u, s0, s1, s2_, s3 = next_double_r(s0, s1, s2_, s3)
                    if u < f:
                        q += 2.0 * c[i, j] + G[i, j, j]
                        for m in range(nf):
                            q += 2.0 * G[i, j, flipped[m]]
                        flipped[nf] = j
                        nf += 1
            elif f > 0.0:
                nf = 0
                pos = -1
                for _flip in range(counts[i]):           # at most counts[i] flips
                    u, s0, s1, s2_, s3 = next_double_r(s0, s1, s2_, s3)
                    skip = math.log1p(-u) * inv_log_q     # ≥ 0, finite since u < 1
                    if skip >= counts[i]:
                        break
                    pos += 1 + int(skip)
                    if pos >= counts[i]:
                        break
                    q += 2.0 * c[i, pos] + G[i, pos, pos]
                    for m in range(nf):
                        q += 2.0 * G[i, pos, flipped[m]]
                    flipped[nf] = pos
                    nf += 1
            loss += q
        dl = loss - mean
        mean += dl / (t + 1)
        m2 += dl * (loss - mean)
    gen[0], gen[1], gen[2], gen[3] = s0, s1, s2_, s3
    return n, mean, m2


def _loss_expansion(base, deltas, Y, p):
    """A, c, G of :func:`_dropact_loss_kernel` from the packed deltas."""
    packed, counts = _pack_active(deltas)
    if p > 0.5:
        e = (base - Y) + packed.sum(axis=1)    # every unit kept (residual first: no digits
        #                                        lost when outputs and targets are shifted)
        sgn = -1.0
    else:
        e = base - Y                            # every unit dropped
        sgn = 1.0
    A = np.einsum("ik,ik->i", e, e)
    c = sgn * np.einsum("ijk,ik->ij", packed, e)
    G = np.einsum("ijk,ilk->ijl", packed, packed)
    return A, np.ascontiguousarray(c), np.ascontiguousarray(G), counts


def _pack_active(deltas):
    """Move each data point's units with a nonzero δ to the front; return (packed, counts)."""
    n_data, d, k = deltas.shape
    active = np.any(deltas != 0.0, axis=2)
    counts = active.sum(axis=1).astype(np.int64)
    packed = np.zeros_like(deltas)
    for i in range(n_data):
        packed[i, :counts[i]] = deltas[i, active[i]]
    return np.ascontiguousarray(packed[:, :max(1, int(counts.max(initial=0)))]), counts


def estimate_dropact_loss(W1, W2, X, Y, p: float, *, n: int = 20_000, rng=None,
                          chunk_size: int = 512) -> Estimate:
    r"""Monte Carlo :math:`\sum_i E_P\|W_2[(I-P+Pr)W_1x_i] - y_i\|^2` (Eq. 9).

    Parameters: ``W1`` (d, m), ``W2`` (k, d), ``X`` (n_data, m), ``Y`` (n_data, k), keep
    probability ``p`` in (0, 1], ``n`` ≥ 2 draws of the masks of all data points.
    """
    W1, W2, X, Y = _check_net(W1, W2, X, Y)
    p = check_probability("p", p)
    n = check_int("n", n, minimum=2)
    base, deltas = _loss_parts(W1, W2, X, Y)
    if deltas.shape[1] > 2048:
        raise ValueError(f"hidden width must be at most 2048 for the Monte Carlo loss (its Gram "
                         f"matrices grow as width²); got W1 with {deltas.shape[1]} rows")
    A, c, G, counts = _loss_expansion(base, deltas, Y, p)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, m: _dropact_loss_kernel(g, m, A, c, G, counts, p), n, ss,
                       chunk_size=chunk_size, stream="xoshiro")
    tot, mean, m2 = combine_welford(parts)
    var = m2 / (tot - 1)
    return Estimate(mean, math.sqrt(var / tot), tot, "monte_carlo", seed_of(ss))


def exact_dropact_loss(W1, W2, X, Y, p: float) -> Estimate:
    """Eq. 9 exactly: for each data point, all 2^d masks walked in Gray-code order
    (:func:`dropmc.simulations.enumeration.expect_squared_error`); d ≤ 30."""
    W1, W2, X, Y = _check_net(W1, W2, X, Y)
    p = check_probability("p", p)
    base, deltas = _loss_parts(W1, W2, X, Y)
    total, count = 0.0, 0
    for i in range(X.shape[0]):
        e = enumeration.expect_squared_error(base[i], deltas[i], Y[i], p)
        total += e.mean
        count += e.n
    return Estimate(total, 0.0, count, "enumeration")


# ------------------------------------------------------------------------------------------
# Property 5.2: X_train and X_test (Eq. 13–14)
# ------------------------------------------------------------------------------------------

@njit(**JIT_FAST)
def _x_moments_kernel(gen, n, w, p):
    """Chunk statistics of X_train (Eq. 13) and X_test (Eq. 14), drawn from the same x:
    (mean_train, mean_test, var_train, var_test) with within-chunk (n − 1) variances. The
    stream state is held in registers (``next_normal_r``, ``next_double_r``)."""
    d = w.shape[0]
    q = 1.0 - p
    mt = 0.0
    mte = 0.0
    m2t = 0.0
    m2te = 0.0
    s0, s1, s2, s3 = gen[0], gen[1], gen[2], gen[3]
    for i in range(n):
        a = 0.0
        b = 0.0
        for j in range(d):
            x, s0, s1, s2, s3 = next_normal_r(s0, s1, s2, s3)
            r = max(x, 0.0)
            u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
            keep = 1.0 if u < p else 0.0
            a += w[j] * (x + keep * (r - x))
            b += w[j] * (q * x + p * r)
        # Welford updates (stable for any mean/sd ratio)
        da = a - mt
        mt += da / (i + 1)
        m2t += da * (a - mt)
        db = b - mte
        mte += db / (i + 1)
        m2te += db * (b - mte)
    gen[0], gen[1], gen[2], gen[3] = s0, s1, s2, s3
    return mt, mte, m2t / (n - 1), m2te / (n - 1)


def estimate_x_moments(w, p: float, *, n: int = 1_000_000, rng=None,
                       chunk_size: int = 1 << 14) -> dict[str, Estimate]:
    r"""Monte Carlo moments of X_train and X_test (Eq. 13–14) with x ~ N(0, I_d), P_i ~ B(p).

    Both are computed from the same x (a paired design, so the ratio's SE is small).
    Returns Estimates ``mean_train``, ``mean_test``, ``var_train``, ``var_test``,
    ``shift_ratio`` = Var(X_test)/Var(X_train) (Eq. 15) and ``second_train``/``second_test``
    (E X², Section 7.1), with batch-means / delta-method SEs over at least 32 chunks.
    """
    w = check_array("w", w, ndim=1)
    p = check_probability("p", p)
    n = check_int("n", n, minimum=64)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, m: (m,) + tuple(_x_moments_kernel(g, m, w, p)), n, ss,
                       chunk_size=chunk_size, min_chunks=32, stream="xoshiro")
    arr = stack(parts)
    sizes, stats = arr[:, 0], arr[:, 1:]
    seed = seed_of(ss)
    out = {}
    for k, name in enumerate(("mean_train", "mean_test", "var_train", "var_test")):
        out[name] = function_estimate(lambda m, k=k: m[k], stats, n, batch_sizes=sizes, seed=seed)
    out["shift_ratio"] = function_estimate(
        lambda m: m[3] / m[2], stats, n, batch_sizes=sizes, seed=seed,
        grad=lambda m: np.array([0.0, 0.0, -m[3] / m[2] ** 2, 1.0 / m[2]]))
    # second moments E X² = Var X + (E X)², with the joint (delta-method) SE of both parts
    out["second_train"] = function_estimate(
        lambda m: m[2] + m[0] ** 2, stats, n, batch_sizes=sizes, seed=seed,
        grad=lambda m: np.array([2.0 * m[0], 0.0, 1.0, 0.0]))
    out["second_test"] = function_estimate(
        lambda m: m[3] + m[1] ** 2, stats, n, batch_sizes=sizes, seed=seed,
        grad=lambda m: np.array([0.0, 2.0 * m[1], 0.0, 1.0]))
    return out


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
    n = check_int("n", n, minimum=2)
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

def x_moments_numpy(w, p: float, n: int, rng=None, batch: int = 1 << 14) -> dict[str, float]:
    """Vectorised numpy version of :func:`estimate_x_moments` (point estimates only)."""
    w = check_array("w", w, ndim=1)
    p = check_probability("p", p)
    g = np.random.default_rng(rng)
    parts_a, parts_b = [], []
    done = 0
    while done < n:
        m = min(batch, n - done)
        x = g.standard_normal((m, w.size))
        keep = g.random((m, w.size)) < p
        r = np.maximum(x, 0.0)
        a = np.where(keep, r, x) @ w
        b = ((1 - p) * x + p * r) @ w
        # centred per batch (no digits lost to a large mean), combined by Chan's formula
        parts_a.append((m, a.mean(), float(np.sum((a - a.mean()) ** 2))))
        parts_b.append((m, b.mean(), float(np.sum((b - b.mean()) ** 2))))
        done += m
    _, mt, m2t = combine_welford(parts_a)
    _, mte, m2te = combine_welford(parts_b)
    vt, vte = m2t / (n - 1), m2te / (n - 1)
    return {"mean_train": mt, "mean_test": mte, "var_train": vt, "var_test": vte,
            "shift_ratio": vte / vt}


@njit(**JIT)
def _x_moments_draws(gen, n, d):
    """The draws of ``_x_moments_kernel`` in its order (per sample, per coordinate: one
    normal x_ij, then one uniform u_ij), as arrays (n, d) — the stream a same-stream numpy
    reference consumes."""
    X = np.empty((n, d))
    U = np.empty((n, d))
    for i in range(n):
        for j in range(d):
            X[i, j] = next_normal(gen)
            U[i, j] = next_double(gen)
    return X, U


def x_moments_same_stream(w, p: float, *, n: int, rng=None, chunk_size: int = 1 << 14,
                          min_chunks: int = 32) -> dict[str, Estimate]:
    """Numpy reference of :func:`estimate_x_moments` on *the same* xoshiro stream and chunks:
    the normals and uniforms the kernel draws are dumped (:func:`_x_moments_draws`) and
    X_train = Σ_j w_j (r(x_j) if u_j < p else x_j), X_test = Σ_j w_j ((1 − p)x_j + p r(x_j))
    (Eq. 13–14) are formed and summarised with numpy. Agrees with the kernel up to rounding
    (~1e-13 relative), so any bias of the kernel's own arithmetic shows; n·d up to a few 10⁶."""
    w = check_array("w", w, ndim=1)
    p = check_probability("p", p)

    def chunk(g, m):
        X, U = _x_moments_draws(g, m, w.size)
        R = np.maximum(X, 0.0)
        a = np.where(U < p, R, X) @ w
        b = ((1.0 - p) * X + p * R) @ w
        return (m, a.mean(), b.mean(), a.var(ddof=1), b.var(ddof=1))

    ss = as_seed_sequence(rng)
    arr = stack(run_chunks(chunk, n, ss, chunk_size=chunk_size, min_chunks=min_chunks,
                           stream="xoshiro", threads=1))
    sizes, stats = arr[:, 0], arr[:, 1:]
    out = {}
    for k, name in enumerate(("mean_train", "mean_test", "var_train", "var_test")):
        out[name] = function_estimate(lambda m, k=k: m[k], stats, n, batch_sizes=sizes)
    out["shift_ratio"] = function_estimate(lambda m: m[3] / m[2], stats, n, batch_sizes=sizes)
    return out


def rrelu_same_stream(x, a: float, b: float, *, n: int, rng=None, chunk_size: int = 1 << 13):
    """Numpy reference of :func:`estimate_rrelu_mean` on the same stream and chunks: the
    chunk's uniforms (one per negative coordinate per draw, draw-major) are filled at once
    (:func:`~dropmc.simulations._xoshiro.fill_doubles`) and RReLU(x) = (a + (b − a)U)x for
    x < 0 (Eq. 6) is averaged with numpy. Returns ``(mean, se)``."""
    x = check_array("x", x, ndim=1)
    a, b = _check_rrelu(a, b)
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
    sizes = chunk_sizes(n, chunk_size)
    k = np.zeros(d, dtype=np.int64)
    for g, m in zip(chunk_states(rng, len(sizes)), sizes):
        u = np.empty(m * d)
        fill_doubles(g, u)
        k += (u.reshape(d, m) < p).sum(axis=1)
    return k


def dropact_loss_numpy(W1, W2, X, Y, p: float, n: int, rng=None, batch: int = 256) -> float:
    """Vectorised numpy version of :func:`estimate_dropact_loss` (point estimate)."""
    W1, W2, X, Y = _check_net(W1, W2, X, Y)
    p = check_probability("p", p)
    g = np.random.default_rng(rng)
    V = X @ W1.T
    R = np.maximum(V, 0.0)
    tot = 0.0
    done = 0
    while done < n:
        m = min(batch, n - done)
        P = g.random((m,) + V.shape) < p                 # (m, n_data, d)
        H = np.where(P, R[None], V[None])
        O = H @ W2.T - Y[None]
        tot += float(np.sum(O * O))
        done += m
    return tot / n


def x_moments_loop(w, p: float, n: int, state: np.ndarray) -> tuple[float, float, float, float]:
    """Python loop drawing in exactly the kernel's order from the xoshiro ``state`` (uint64[4],
    advanced in place): the bit-for-bit reference of ``_x_moments_kernel`` (small n only)."""
    q = 1.0 - p
    a_s, b_s = [], []
    for _ in range(n):
        a = b = 0.0
        for j in range(w.size):
            x = next_normal(state)
            r = x if x > 0.0 else 0.0
            keep = next_double(state) < p
            a += w[j] * (r if keep else x)
            b += w[j] * (q * x + p * r)
        a_s.append(a)
        b_s.append(b)
    a_arr, b_arr = np.array(a_s), np.array(b_s)
    return a_arr.mean(), b_arr.mean(), a_arr.var(ddof=1), b_arr.var(ddof=1)


def dropact_loss_same_stream(W1, W2, X, Y, p: float, *, n: int, rng=None,
                             chunk_size: int = 512) -> Estimate:
    r"""Python reference of :func:`estimate_dropact_loss` on the same xoshiro stream and chunks
    (small n only): the masks are drawn from the kernel's uniforms by the same rule (one
    uniform per active unit when f = min(p, 1 − p) ≥ 1/4, geometric skipping otherwise), but
    the loss :math:`\sum_i \|W_2[(I-P+Pr)W_1x_i] - y_i\|^2` (Eq. 9) is computed *directly* from
    the mask, not through the kernel's Gram expansion. Agrees with the kernel up to rounding."""
    W1, W2, X, Y = _check_net(W1, W2, X, Y)
    p = check_probability("p", p)
    V = X @ W1.T
    R = np.maximum(V, 0.0)
    active = [np.flatnonzero(np.any(((R - V)[i][:, None] * W2.T) != 0.0, axis=1))
              for i in range(X.shape[0])]
    f = 1.0 - p if p > 0.5 else p
    sizes = chunk_sizes(n, chunk_size)
    parts = []
    for g, m in zip(chunk_states(rng, len(sizes)), sizes):
        losses = np.empty(m)
        for t in range(m):
            loss = 0.0
            for i in range(X.shape[0]):
                act = active[i]
                flip = np.zeros(act.size, dtype=bool)
                if f >= 0.25:
                    for j in range(act.size):
                        flip[j] = next_double(g) < f
                elif f > 0.0:
                    pos = -1
                    for _ in range(act.size):
                        skip = math.log1p(-next_double(g)) / math.log1p(-f)
                        if skip >= act.size:
                            break
                        pos += 1 + int(skip)
                        if pos >= act.size:
                            break
                        flip[pos] = True
                keep = np.full(V.shape[1], p > 0.5)
                keep[act[flip]] = not (p > 0.5)
                h = np.where(keep, R[i], V[i])
                loss += float(np.sum((W2 @ h - Y[i]) ** 2))
            losses[t] = loss
        parts.append((m, losses.mean(), float(np.sum((losses - losses.mean()) ** 2))))
    tot, mean, m2 = combine_welford(parts)
    return Estimate(mean, math.sqrt(m2 / (tot - 1) / tot), tot, "monte_carlo")


# ------------------------------------------------------------------------------------------
# Extension: Property 5.2 for any activation (issue 11) -- plain numpy, the activation is
# the user's callable
# ------------------------------------------------------------------------------------------

def estimate_shift_ratio_activation(w, p: float, phi, *, n: int = 400_000, rng=None,
                                    chunk_size: int = 1 << 13) -> Estimate:
    r"""Monte Carlo shift ratio Var(X_test)/Var(X_train) of Eq. 13–14 with the nonlinearity
    replaced by the vectorised callable ``phi`` (x ~ N(0, I_d), P_i ~ B(p)).

    Each chunk gives the two unbiased sample variances from the same x (paired); the ratio of
    their means over ≥ 32 chunks gets its SE by the delta method (t with chunks − 1 dof).
    """
    w = check_array("w", w, ndim=1)
    p = check_probability("p", p)
    n = check_int("n", n, minimum=64)
    if not callable(phi):
        raise TypeError(f"phi must be a callable activation, got {phi!r}")
    ss = as_seed_sequence(rng)

    def kernel(g, m):
        x = g.standard_normal((m, w.size))
        fx = np.asarray(phi(x), dtype=float)
        if fx.shape != x.shape:
            raise ValueError(f"phi must be elementwise: shape {fx.shape} for input {x.shape}")
        keep = g.random((m, w.size)) < p
        train = np.where(keep, fx, x) @ w
        test = ((1 - p) * x + p * fx) @ w
        return (m, train.var(ddof=1), test.var(ddof=1))

    arr = stack(run_chunks(kernel, n, ss, chunk_size=chunk_size, min_chunks=32))
    return function_estimate(lambda v: v[1] / v[0], arr[:, 1:], n, batch_sizes=arr[:, 0],
                             seed=seed_of(ss),
                             grad=lambda v: np.array([-v[1] / v[0] ** 2, 1.0 / v[0]]))


# ------------------------------------------------------------------------------------------
# Section 5.1, Figure 3: regression networks trained with and without Drop-Activation
# (plain numpy, float32, full-batch Adam; moved here from figures/drop_activation.py so that
# the claims and the figure train the same networks)
# ------------------------------------------------------------------------------------------

FIG3_P = 0.8        # probability of keeping a nonlinearity (the paper does not print it)
FIG3_LR = 3e-3      # Adam step size (full batch)
FIG3_N = 20         # training points per panel, as printed for Figure 3a


def init_net(widths, rng):
    """He-normal weights and zero biases of a 1 → widths → 1 network (float32)."""
    sizes = [1, *widths, 1]
    Ws = [(rng.normal(size=(a, b)) * np.sqrt(2.0 / a)).astype(np.float32)
          for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(b, np.float32) for b in sizes[1:]]
    return Ws, bs


def train_regression(x, y, widths, p, steps, *, lr=FIG3_LR, rng=None, init=None):
    """Fit a fully connected ReLU network ``1 → widths → 1`` to (x, y) by full-batch Adam on
    the mean squared error, with Drop-Activation when ``p < 1``: at every step and for every
    sample and hidden unit the ReLU is kept with probability p and replaced by the identity
    otherwise (Eq. 3). Returns ``(Ws, bs)``; predict with :func:`predict_regression` and the
    same p (the test-time leaky ReLU of slope 1 − p, Eq. 5). ``init`` (weights, biases) is
    copied, so two fits can start from the same network."""
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p!r}")
    steps = check_int("steps", steps, minimum=0)
    rng = np.random.default_rng(rng)
    Ws, bs = init if init is not None else init_net(widths, rng)
    Ws, bs = [w.copy() for w in Ws], [b.copy() for b in bs]
    params = Ws + bs
    adam = Adam(params, lr)
    X = np.asarray(x, np.float32)[:, None]
    Y = np.asarray(y, np.float32)[:, None]
    L = len(Ws)
    for t in range(1, steps + 1):
        h, hs, gates = X, [X], []
        for i in range(L - 1):
            z = h @ Ws[i] + bs[i]
            g = z > 0
            if p < 1.0:
                g |= rng.random(z.shape, dtype=np.float32) >= p   # dropped: identity map
            h = z * g
            gates.append(g)
            hs.append(h)
        d = (2.0 / len(X)) * (h @ Ws[-1] + bs[-1] - Y)
        grads = [None] * (2 * L)
        for i in range(L - 1, -1, -1):
            grads[i], grads[L + i] = hs[i].T @ d, d.sum(0)
            if i > 0:
                d = (d @ Ws[i].T) * gates[i - 1]
        adam.step(params, grads)
    return Ws, bs


def predict_regression(net, x, p):
    """The deterministic test-time network: every ReLU replaced by the leaky ReLU of slope
    1 − p (Eq. 5; p = 1 is the plain ReLU network)."""
    Ws, bs = net
    h = np.asarray(x, np.float32)[:, None]
    for i in range(len(Ws) - 1):
        z = h @ Ws[i] + bs[i]
        h = np.where(z > 0, z, (1.0 - p) * z)
    return (h @ Ws[-1] + bs[-1])[:, 0].astype(float)


def xsinx(x):
    """Ground truth of Figure 3a (Eq. 12)."""
    return x * np.sin(x)


def steps_target(x):
    """The piecewise-constant target of Figure 3b: +1, −1, +1, −1 on the quarters of [0, 10]."""
    return np.where(np.floor(np.clip(x, 0, 9.999) / 2.5) % 2 == 0, 1.0, -1.0)


FIG3_TARGETS = {"a": xsinx, "b": steps_target}


def fig3_data(panel, rng, n: int = FIG3_N):
    """Training data of Figure 3: (a) Eq. 12, n points uniform on [0, 10] with N(0, 1) noise;
    (b) n points from N(5, 2.5²) truncated to [0, 10] (dense in the middle, sparse near both
    ends) with N(0, 0.3²) noise. Returns (x sorted, y, noise)."""
    if panel == "a":
        x = np.sort(rng.uniform(0.0, 10.0, n))
        eps = rng.normal(size=n)
        return x, xsinx(x) + eps, eps
    if panel != "b":
        raise ValueError(f"panel must be 'a' or 'b', got {panel!r}")
    x = np.empty(0)
    while x.size < n:
        c = rng.normal(5.0, 2.5, 4 * n)
        x = np.concatenate([x, c[(c >= 0) & (c <= 10)]])
    x = np.sort(x[:n])
    eps = 0.3 * rng.normal(size=n)
    return x, steps_target(x) + eps, eps


#: the evaluation grid of the Figure 3 metrics (500 points on [0, 10]) and the boundary
#: zones of panel b, where its training inputs are sparse
FIG3_GRID = np.linspace(0.0, 10.0, 500)
FIG3_EDGE = (1.5, 8.5)


def fig3_metrics(net, p, x, y, eps, f) -> dict:
    """The measured quantities of the Figure 3 statements for one trained network:

    * ``train``: RMSE of the test-time prediction at the training inputs against the noisy
      targets (how well it fits the training points);
    * ``truth``: RMSE against the ground truth f on the 500-point grid of [0, 10] (the
      prediction error "overall");
    * ``hull``: the same RMSE on the grid points inside [min x_i, max x_i] (no extrapolation;
      the figure's legend reports this one);
    * ``edge`` / ``middle``: the same RMSE on the boundary zones [0, 1.5] ∪ [8.5, 10] and on
      (1.5, 8.5);
    * ``roughness``: the mean |second difference| of the prediction on the grid divided by
      the grid step h (h = 10/499), i.e. the mean |f''|·h of a smooth curve — the measure of
      a "smooth curve";
    * ``noise_share``: Σ_i (ŷ(x_i) − f(x_i)) ε_i / Σ_i ε_i², the fraction of the data noise
      the fit reproduces at the training inputs (1 for interpolation, 0 when the noise has no
      influence).
    """
    u, ug = (x - 5.0) / 5.0, (FIG3_GRID - 5.0) / 5.0          # inputs scaled to [-1, 1]
    fit = predict_regression(net, ug, p)
    at = predict_regression(net, u, p)
    truth = f(FIG3_GRID)
    edge = (FIG3_GRID <= FIG3_EDGE[0]) | (FIG3_GRID >= FIG3_EDGE[1])
    hull = (FIG3_GRID >= x.min()) & (FIG3_GRID <= x.max())
    h = FIG3_GRID[1] - FIG3_GRID[0]
    return {"train": float(np.sqrt(np.mean((at - y) ** 2))),
            "truth": float(np.sqrt(np.mean((fit - truth) ** 2))),
            "hull": float(np.sqrt(np.mean((fit[hull] - truth[hull]) ** 2))),
            "edge": float(np.sqrt(np.mean((fit[edge] - truth[edge]) ** 2))),
            "middle": float(np.sqrt(np.mean((fit[~edge] - truth[~edge]) ** 2))),
            "roughness": float(np.mean(np.abs(np.diff(fit, 2))) / h),
            "noise_share": float(np.sum((at - f(x)) * eps) / np.sum(eps * eps))}


FIG3_METRICS = ("train", "truth", "hull", "edge", "middle", "roughness", "noise_share")


def train_regression_batch(X, Y, widths, p, steps, *, lr=FIG3_LR, rng=None, init=None):
    """:func:`train_regression` for K independent problems at once: ``X``, ``Y`` of shape
    (K, n), weights of shape (K, a, b) (``init`` as returned by :func:`init_net_batch`), the
    same full-batch Adam and Drop-Activation masks, with batched matrix products (the per-step
    cost of K small networks is then not dominated by numpy's call overhead). With K = 1 the
    mask draws are those of :func:`train_regression` on the same generator."""
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p!r}")
    steps = check_int("steps", steps, minimum=1)
    rng = np.random.default_rng(rng)
    X = np.asarray(X, np.float32)[:, :, None]
    Y = np.asarray(Y, np.float32)[:, :, None]
    if X.ndim != 3 or X.shape != Y.shape:
        raise ValueError(f"X and Y must both have shape (K, n), got {X.shape[:2]} and {Y.shape[:2]}")
    Ws, bs = init if init is not None else init_net_batch(widths, X.shape[0], rng)
    Ws, bs = [w.copy() for w in Ws], [b.copy() for b in bs]
    params = Ws + bs
    adam = Adam(params, lr)
    L = len(Ws)
    scale = np.float32(2.0 / X.shape[1])
    for t in range(1, steps + 1):
        h, hs, gates = X, [X], []
        for i in range(L - 1):
            z = h @ Ws[i] + bs[i]
            g = z > 0
            if p < 1.0:
                g |= rng.random(z.shape, dtype=np.float32) >= p   # dropped: identity map
            h = z * g
            gates.append(g)
            hs.append(h)
        d = scale * (h @ Ws[-1] + bs[-1] - Y)
        grads = [None] * (2 * L)
        for i in range(L - 1, -1, -1):
            grads[i] = np.swapaxes(hs[i], 1, 2) @ d
            grads[L + i] = d.sum(1, keepdims=True)
            if i > 0:
                d = (d @ np.swapaxes(Ws[i], 1, 2)) * gates[i - 1]
        adam.step(params, grads)
    return Ws, bs


def init_net_batch(widths, K: int, rngs):
    """K networks of :func:`init_net`, stacked (weights (K, a, b), biases (K, 1, b)); ``rngs``
    is one generator per network (or a single generator used for all, in turn)."""
    if isinstance(rngs, np.random.Generator):
        rngs = [rngs] * K
    nets = [init_net(widths, r) for r in rngs]
    Ws = [np.stack([n[0][i] for n in nets]) for i in range(len(nets[0][0]))]
    bs = [np.stack([n[1][i] for n in nets])[:, None, :] for i in range(len(nets[0][1]))]
    return Ws, bs


def fig3_trials(panel: str, trials: int, *, widths=(100, 80, 20), steps: int = 2000,
                p: float = FIG3_P, rng=None) -> dict:
    """Paired Figure 3 experiments: in each of ``trials`` independent trials a fresh data set
    (:func:`fig3_data`) and a fresh initial network are drawn (trial k from the k-th child of
    the seed sequence), and the same network is trained twice from the same weights, with
    plain ReLU (p = 1) and with Drop-Activation (p), by full-batch Adam
    (:func:`train_regression_batch`, all trials at once; the masks come from a separate child
    stream). Returns ``{"relu": {metric: array}, "dropact": {...}, "seed"}`` with the metrics
    of :func:`fig3_metrics` per trial."""
    trials = check_int("trials", trials, minimum=2)
    p = check_probability("p", p)
    if panel not in FIG3_TARGETS:
        raise ValueError(f"panel must be 'a' or 'b', got {panel!r}")
    f = FIG3_TARGETS[panel]
    ss = as_seed_sequence(rng)
    kids = ss.spawn(trials + 1)
    data, inits = [], []
    for child in kids[:trials]:
        data_rng, init_rng = (np.random.default_rng(c) for c in child.spawn(2))
        data.append(fig3_data(panel, data_rng))
        inits.append(init_rng)
    X = np.array([(d[0] - 5.0) / 5.0 for d in data])
    Y = np.array([d[1] for d in data])
    init = init_net_batch(widths, trials, inits)
    out = {}
    for name, pp in (("relu", 1.0), ("dropact", p)):
        Ws, bs = train_regression_batch(X, Y, widths, pp, steps, init=init,
                                        rng=np.random.default_rng(kids[trials]))
        res = {k: np.empty(trials) for k in FIG3_METRICS}
        for k, (x, y, eps) in enumerate(data):
            net = ([w[k] for w in Ws], [b[k, 0] for b in bs])
            for key, val in fig3_metrics(net, pp, x, y, eps, f).items():
                res[key][k] = val
        out[name] = res
    out["seed"] = seed_of(ss)
    return out
