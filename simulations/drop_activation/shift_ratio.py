"""Section 5.2 of Liang, Khoo & Yang, Property 5.2: X_train and X_test (Eq. 13–14) with
x ~ N(0, I) and P_i ~ B(p) drawn jointly, their moments and the shift ratio (Eq. 15; second
moments of Section 7.1); the numpy references; the shift ratio for any activation (issue 11)
and, for the comparison of Section 5.2, dropout's shift ratio in the same box."""

from __future__ import annotations

import numpy as np
from numba import njit

from dropmc._validation import (check_array, check_count, check_flag, check_probability,
                                check_samples)
from dropmc.estimate import Estimate, combine_welford, function_estimate, seed_of
from dropmc.simulations._core import (JIT, JIT_FAST, as_generator, as_seed_sequence, run_chunks,
                                      stack)
from dropmc.simulations._xoshiro import next_double, next_double_r, next_normal, next_normal_r

# ------------------------------------------------------------------------------------------
# Property 5.2: X_train and X_test (Eq. 13–14)
# ------------------------------------------------------------------------------------------

@njit(**JIT_FAST)
def _x_moments_kernel(gen, n, w, p):
    """Chunk statistics of X_train (Eq. 13) and X_test (Eq. 14), drawn from the same x:
    (mean_train, mean_test, var_train, var_test) with within-chunk (n − 1) variances. The
    stream state is held in registers (``next_normal_r``, ``next_double_r``).

    Per coordinate j: a normal x_j, then a uniform U_j (P_j = 1 when U_j < p). With
    r(x) = x + ν, ν = max(−x, 0), X_train = Σ w_j x_j + Σ_{P_j = 1} w_j ν_j and
    X_test = Σ w_j x_j + p Σ w_j ν_j: three sums, the kept one through a select rather than a
    branch."""
    d = w.shape[0]
    mt = 0.0
    mte = 0.0
    m2t = 0.0
    m2te = 0.0
    s0, s1, s2, s3 = gen[0], gen[1], gen[2], gen[3]
    for i in range(n):
        sx = 0.0
        sn = 0.0
        sk = 0.0
        for j in range(d):
            x, s0, s1, s2, s3 = next_normal_r(s0, s1, s2, s3)
            u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
            wn = w[j] * max(-x, 0.0)
            sx += w[j] * x
            sn += wn
            sk += wn if u < p else 0.0
        a = sx + sk
        b = sx + p * sn
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
    n = check_samples("n", n, minimum=64)
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
# Plain-numpy references (vectorised; used by the tests for agreement and by the benchmarks
# as the baseline). Same estimators, same statistics, numpy's own vectorised draws.
# ------------------------------------------------------------------------------------------

def x_moments_numpy(w, p: float, n: int, rng=None, batch: int = 1 << 14) -> dict[str, float]:
    """Vectorised numpy version of :func:`estimate_x_moments` (point estimates only; n ≥ 2
    draws, for the sample variances)."""
    w = check_array("w", w, ndim=1)
    p = check_probability("p", p)
    n = check_samples("n", n, minimum=2)
    batch = check_count("batch", batch)
    g = as_generator(rng)
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
    n = check_samples("n", n, minimum=2 * min_chunks)

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


def x_moments_loop(w, p: float, n: int, state: np.ndarray) -> tuple[float, float, float, float]:
    """Python loop drawing in exactly the kernel's order from the xoshiro ``state`` (uint64[4],
    advanced in place): the bit-for-bit reference of ``_x_moments_kernel`` (small n only)."""
    w = check_array("w", w, ndim=1)
    p = check_probability("p", p)
    n = check_samples("n", n, minimum=2)
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


# ------------------------------------------------------------------------------------------
# Paired train/test variances over chunks (plain numpy): the shift ratios of the extension
# (any activation) and of dropout in the box of Figure 5
# ------------------------------------------------------------------------------------------

def _variance_pairs(n: int, ss, chunk_size: int, draw) -> np.ndarray:
    """Per-chunk rows (m, Var train₁, Var test₁, Var train₂, Var test₂, …): the unbiased sample
    variances of the (train, test) output pairs ``draw(generator, m)`` returns for a chunk of
    m draws, over at least 32 chunks of numpy's PCG64 stream."""
    def kernel(g, m):
        out = [m]
        for train, test in draw(g, m):
            out += [train.var(ddof=1), test.var(ddof=1)]
        return tuple(out)

    return stack(run_chunks(kernel, n, ss, chunk_size=chunk_size, min_chunks=32))


def _variance_ratio(arr: np.ndarray, n: int, ss, k: int = 0) -> Estimate:
    """Var(test)/Var(train) of pair ``k`` of :func:`_variance_pairs`' rows: the ratio of the
    mean chunk variances, its SE by the delta method (t with chunks − 1 dof)."""
    return function_estimate(lambda v: v[1] / v[0], arr[:, 1 + 2 * k:3 + 2 * k], n,
                             batch_sizes=arr[:, 0], seed=seed_of(ss),
                             grad=lambda v: np.array([-v[1] / v[0] ** 2, 1.0 / v[0]]))


def _dropact_pair(x, fx, keep, w, p):
    """X_train and X_test of Eq. 13–14 for draws ``x``, their activations ``fx`` and the kept
    nonlinearities ``keep`` (P_i = 1)."""
    return np.where(keep, fx, x) @ w, ((1 - p) * x + p * fx) @ w


def estimate_shift_ratio_activation(w, p: float, phi, *, n: int = 400_000, rng=None,
                                    chunk_size: int = 1 << 13) -> Estimate:
    r"""Monte Carlo shift ratio Var(X_test)/Var(X_train) of Eq. 13–14 with the nonlinearity
    replaced by the vectorised callable ``phi`` (x ~ N(0, I_d), P_i ~ B(p)).

    Each chunk gives the two unbiased sample variances from the same x (paired); the ratio of
    their means over ≥ 32 chunks gets its SE by the delta method (t with chunks − 1 dof).
    """
    w = check_array("w", w, ndim=1)
    p = check_probability("p", p)
    n = check_samples("n", n, minimum=64)
    if not callable(phi):
        raise TypeError(f"phi must be a callable activation, got {phi!r}")
    ss = as_seed_sequence(rng)

    def draw(g, m):
        x = g.standard_normal((m, w.size))
        fx = np.asarray(phi(x), dtype=float)
        if fx.shape != x.shape:
            raise ValueError(f"phi must be elementwise: shape {fx.shape} for input {x.shape}")
        keep = g.random((m, w.size)) < p
        return [_dropact_pair(x, fx, keep, w, p)]

    return _variance_ratio(_variance_pairs(n, ss, chunk_size, draw), n, ss)


def estimate_shift_ratios_vs_dropout(w, p: float, *, after_relu: bool = True,
                                     n: int = 400_000, rng=None,
                                     chunk_size: int = 1 << 13) -> dict[str, Estimate]:
    r"""Monte Carlo shift ratios Var(X_test)/Var(X_train) in the box of Figure 5 (x ~ N(0, I_d)
    out of BN₁, weights ``w``) of Drop-Activation (Eq. 13–14, ReLU, P_i ~ B(p)) and of dropout
    with keep probability p, on the same x with independent masks.

    Dropout is inverted (non-inverted dropout scales X_train and X_test alike: same ratio):
    with ``after_relu=True`` (the placement of [12] and of Wide ResNet, before weight₂)
    X_train = Σ_i w_i M_i r(x[i])/p and X_test = Σ_i w_i r(x[i]), M_i ~ B(p); dropout before
    the ReLU is the same map (r(Mx/p) = M r(x)/p). With ``after_relu=False`` dropout acts on
    the zero-mean x itself in place of the activation: X_train = Σ_i w_i M_i x[i]/p,
    X_test = Σ_i w_i x[i].

    Returns ``dropact`` and ``dropout``, the two ratios, and ``closer`` = |1 − dropout| −
    |1 − dropact| (positive when Drop-Activation's ratio is the closer to 1), each with a
    delta-method SE over the joint batch means of ≥ 32 chunks (t with chunks − 1 dof).
    """
    w = check_array("w", w, ndim=1)
    p = check_probability("p", p)
    after_relu = check_flag("after_relu", after_relu)
    n = check_samples("n", n, minimum=64)
    ss = as_seed_sequence(rng)

    def draw(g, m):
        x = g.standard_normal((m, w.size))
        r = np.maximum(x, 0.0)
        keep = g.random((m, w.size)) < p
        kept = g.random((m, w.size)) < p
        a = r if after_relu else x
        return [_dropact_pair(x, r, keep, w, p), ((kept * a) @ w / p, a @ w)]

    arr = _variance_pairs(n, ss, chunk_size, draw)

    def closer(v):
        return abs(1.0 - v[3] / v[2]) - abs(1.0 - v[1] / v[0])

    def closer_grad(v):
        ra, ro = v[1] / v[0], v[3] / v[2]
        sa, so = np.sign(1.0 - ra), np.sign(1.0 - ro)
        return np.array([-sa * ra / v[0], sa / v[0], so * ro / v[2], -so / v[2]])

    return {"dropact": _variance_ratio(arr, n, ss, 0), "dropout": _variance_ratio(arr, n, ss, 1),
            "closer": function_estimate(closer, arr[:, 1:], n, batch_sizes=arr[:, 0],
                                        seed=seed_of(ss), grad=closer_grad)}
