"""Section 5.1 of Liang, Khoo & Yang, Property 5.1: the averaged training loss (9),
E_P Σ_i ‖W₂(I − P + Pr)W₁x_i − y_i‖², by Monte Carlo (residuals moved from a reference
mask) and exactly (all 2^d masks); the numpy references."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import check_count, check_probability, check_samples
from dropmc.estimate import Estimate, combine_welford, seed_of
from dropmc.simulations import enumeration
from dropmc.simulations._core import (JIT_FAST, as_generator, as_seed_sequence, chunk_sizes,
                                      chunk_states, run_chunks)
from dropmc.simulations._xoshiro import next_double, next_double_r
from dropmc.theory.drop_activation import _check_net

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
def _dropact_loss_kernel(gen, n, E, D, counts, p):
    """(n, mean, M2) over n draws of L(P) = Σ_i ||o_i(P) − y_i||² (one mask per data point
    per draw; Welford updates, so a loss whose mean is large against its spread loses no
    digits), from the xoshiro state ``gen`` (advanced).

    The residuals are moved from a reference mask (:func:`_loss_expansion`): for p > 1/2 it
    keeps every unit and a unit "flips" when it is dropped, otherwise it drops every unit and a
    unit flips when it is kept; each unit flips with probability f = min(p, 1 − p). With
    ``E[i]`` the residual o_i − y_i at the reference and ``D[b, i, j]`` the signed change of
    outputs 4b … 4b + 3 when unit j flips, o_i − y_i = E[i] + Σ_j flip_j D[:, i, j].

    One uniform U_j per active unit (units with a nonzero change, in order; ``counts[i]`` of
    data point i): unit j flips when U_j < f. The flip enters as a 0/1 factor, without a
    branch: at f = 5% a mispredicted branch per flip costs more than the draws. Outputs are summed four at a time in
    registers; the first block as the units are drawn, the others from the stored flips.
    """
    kb, n_data = D.shape[0], D.shape[1]
    flip = np.empty(D.shape[2])
    f = 1.0 - p if p > 0.5 else p
    mean = 0.0
    m2 = 0.0
    s0, s1, s2, s3 = gen[0], gen[1], gen[2], gen[3]
    for t in range(n):
        loss = 0.0
        for i in range(n_data):
            e0 = E[i, 0]
            e1 = E[i, 1]
            e2 = E[i, 2]
            e3 = E[i, 3]
            for j in range(counts[i]):
                u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
                fl = 1.0 if u < f else 0.0
                flip[j] = fl
                e0 += fl * D[0, i, j, 0]
                e1 += fl * D[0, i, j, 1]
                e2 += fl * D[0, i, j, 2]
                e3 += fl * D[0, i, j, 3]
            loss += e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3
            for b in range(1, kb):
                e0 = E[i, 4 * b]
                e1 = E[i, 4 * b + 1]
                e2 = E[i, 4 * b + 2]
                e3 = E[i, 4 * b + 3]
                for j in range(counts[i]):
                    fl = flip[j]
                    e0 += fl * D[b, i, j, 0]
                    e1 += fl * D[b, i, j, 1]
                    e2 += fl * D[b, i, j, 2]
                    e3 += fl * D[b, i, j, 3]
                loss += e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3
        dl = loss - mean
        mean += dl / (t + 1)
        m2 += dl * (loss - mean)
    gen[0], gen[1], gen[2], gen[3] = s0, s1, s2, s3
    return n, mean, m2


def _loss_expansion(base, deltas, Y, p):
    """E, D, counts of :func:`_dropact_loss_kernel`: the residuals at the reference mask
    (n_data, 4·blocks) and the signed changes of the active units (blocks, n_data, units, 4),
    outputs zero-padded to blocks of four."""
    packed, counts = _pack_active(deltas)
    if p > 0.5:
        e = (base - Y) + packed.sum(axis=1)    # every unit kept (residual first: no digits
        #                                        lost when outputs and targets are shifted)
        sgn = -1.0
    else:
        e = base - Y                            # every unit dropped
        sgn = 1.0
    n_data, units, k = packed.shape
    kb = -(-k // 4)
    E = np.zeros((n_data, 4 * kb))
    E[:, :k] = e
    D = np.zeros((n_data, units, 4 * kb))
    D[:, :, :k] = sgn * packed
    return E, np.ascontiguousarray(D.reshape(n_data, units, kb, 4).transpose(2, 0, 1, 3)), counts


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
                          chunk_size: int = 4096) -> Estimate:
    r"""Monte Carlo :math:`\sum_i E_P\|W_2[(I-P+Pr)W_1x_i] - y_i\|^2` (Eq. 9).

    Parameters: ``W1`` (d, m), ``W2`` (k, d), ``X`` (n_data, m), ``Y`` (n_data, k), keep
    probability ``p`` in (0, 1], ``n`` ≥ 2 draws of the masks of all data points.
    """
    W1, W2, X, Y = _check_net(W1, W2, X, Y)
    p = check_probability("p", p)
    n = check_samples("n", n, minimum=2)
    base, deltas = _loss_parts(W1, W2, X, Y)
    E, D, counts = _loss_expansion(base, deltas, Y, p)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, m: _dropact_loss_kernel(g, m, E, D, counts, p), n, ss,
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
# Plain-numpy references (vectorised; used by the tests for agreement and by the benchmarks
# as the baseline). Same estimators, same statistics, numpy's own vectorised draws.
# ------------------------------------------------------------------------------------------

def dropact_loss_numpy(W1, W2, X, Y, p: float, n: int, rng=None, batch: int = 256) -> float:
    """Vectorised numpy version of :func:`estimate_dropact_loss` (point estimate)."""
    W1, W2, X, Y = _check_net(W1, W2, X, Y)
    p = check_probability("p", p)
    n = check_samples("n", n)
    batch = check_count("batch", batch)
    g = as_generator(rng)
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


def dropact_loss_same_stream(W1, W2, X, Y, p: float, *, n: int, rng=None,
                             chunk_size: int = 4096) -> Estimate:
    r"""Python reference of :func:`estimate_dropact_loss` on the same xoshiro stream and chunks
    (small n only): the masks are drawn from the kernel's uniforms by the same rule (one
    uniform per active unit, the unit flipping from the reference mask when it is below
    f = min(p, 1 − p)), but the loss :math:`\sum_i \|W_2[(I-P+Pr)W_1x_i] - y_i\|^2` (Eq. 9) is
    computed *directly* from the mask, not from the kernel's residual updates. Agrees with the
    kernel up to rounding."""
    W1, W2, X, Y = _check_net(W1, W2, X, Y)
    p = check_probability("p", p)
    n = check_samples("n", n, minimum=2)
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
                flip = np.array([next_double(g) < f for _ in range(act.size)], dtype=bool)
                keep = np.full(V.shape[1], p > 0.5)
                keep[act[flip]] = not (p > 0.5)
                h = np.where(keep, R[i], V[i])
                loss += float(np.sum((W2 @ h - Y[i]) ** 2))
            losses[t] = loss
        parts.append((m, losses.mean(), float(np.sum((losses - losses.mean()) ** 2))))
    tot, mean, m2 = combine_welford(parts)
    return Estimate(mean, math.sqrt(m2 / (tot - 1) / tot), tot, "monte_carlo")
