"""Section 2.1 of Littwin & Wolf: the two-Gaussian mixture of Theorem 2 (the kurtosis of a
projection, by the delta method) and Figure 2 (a linear unit trained by SGD on the VCL loss
alone; the expected β-VCL loss of given directions, with common random numbers)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import (check_array, check_count, check_probability, check_real,
                                check_samples)
from dropmc.estimate import Estimate, function_estimate, seed_of
from dropmc.simulations._core import JIT, JIT_FAST, as_generator, as_seed_sequence, run_chunks
from dropmc.simulations._pcg64 import pcg64_next_double, pcg64_next_normal, pcg64_state
from dropmc.simulations._vmath import JIT_VEC
from dropmc.simulations.variance_constancy._shared import MIN_BATCHES


# ------------------------------------------------------------------------------------------
# Theorem 2: the projected two-Gaussian mixture
# ------------------------------------------------------------------------------------------

def _gmm_check(p, mu1, mu2, Sigma1, Sigma2):
    p = check_probability("p", p, allow_one=False)
    mu1 = check_array("mu1", mu1, ndim=1)
    d = mu1.size
    mu2 = check_array("mu2", mu2, shape=(d,))
    S1 = check_array("Sigma1", Sigma1, shape=(d, d))
    S2 = check_array("Sigma2", Sigma2, shape=(d, d))
    out = []
    for name, S in (("Sigma1", S1), ("Sigma2", S2)):
        if not np.allclose(S, S.T):
            raise ValueError(f"{name} must be symmetric")
        try:
            out.append(np.ascontiguousarray(np.linalg.cholesky(S)))
        except np.linalg.LinAlgError:
            raise ValueError(f"{name} must be positive definite") from None
    return p, mu1, mu2, out[0], out[1]


@njit(**JIT_FAST)
def _gmm_draws(hi, lo, ihi, ilo, p, mu1, mu2, L1, L2, z, X, start, stop):
    """Draws of the d-dim mixture into the rows ``start:stop`` of ``X``, from numpy's PCG64
    stream in registers (:mod:`dropmc.simulations._pcg64`): per row d normals z, then one
    uniform choosing the component, x = μ + Lz. Returns the state words ``(hi, lo)``."""
    d = mu1.shape[0]
    for r in range(start, stop):
        for i in range(d):
            z[i], hi, lo = pcg64_next_normal(hi, lo, ihi, ilo)
        u, hi, lo = pcg64_next_double(hi, lo, ihi, ilo)
        mu, L = (mu1, L1) if u < p else (mu2, L2)
        for i in range(d):
            s = 0.0
            for j in range(i + 1):
                s += L[i, j] * z[j]
            X[r, i] = mu[i] + s
    return hi, lo


@njit(**JIT_FAST)
def _projected_moments_kernel(state, m, theta, shift, p, mu1, mu2, L1, L2):
    """Chunk means of y, y², y³, y⁴ with y = θᵀx − shift, x drawn from the d-dim mixture
    (``state``: the chunk's PCG64 state, :func:`~dropmc.simulations._pcg64.pcg64_state`)."""
    d = mu1.shape[0]
    z = np.empty(d)
    x = np.empty((1, d))
    s = np.zeros(4)
    hi, lo, ihi, ilo = state[0], state[1], state[2], state[3]
    for _ in range(m):
        hi, lo = _gmm_draws(hi, lo, ihi, ilo, p, mu1, mu2, L1, L2, z, x, 0, 1)
        y = -shift
        for i in range(d):
            y += theta[i] * x[0, i]
        y2 = y * y
        s[0] += y
        s[1] += y2
        s[2] += y2 * y
        s[3] += y2 * y2
    return s / m


def _kurt_from_raw(mm):
    m1, m2, m3, m4 = mm
    var = m2 - m1 * m1
    c4 = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4
    return c4 / (var * var)


def estimate_projected_kurtosis(theta, p, mu1, mu2, Sigma1, Sigma2, reps: int = 400_000,
                                rng=None) -> Estimate:
    """Monte Carlo κ(θᵀx) for x ~ p N(μ1, Σ1) + (1 − p) N(μ2, Σ2) in d dimensions: full
    d-dimensional draws, projected; kurtosis by the delta method over chunk raw moments."""
    p, mu1, mu2, L1, L2 = _gmm_check(p, mu1, mu2, Sigma1, Sigma2)
    theta = check_array("theta", theta, shape=(mu1.size,))
    if not np.any(theta != 0):
        raise ValueError("theta must be non-zero")
    reps = check_samples("reps", reps, minimum=64)
    shift = float(p * theta @ mu1 + (1 - p) * theta @ mu2)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, m: (_projected_moments_kernel(pcg64_state(g), m, theta, shift,
                                                               p, mu1, mu2, L1, L2), m),
                       reps, ss, chunk_size=1 << 14, min_chunks=MIN_BATCHES)
    st = np.array([q[0] for q in parts])
    sz = np.array([q[1] for q in parts], dtype=float)
    return function_estimate(_kurt_from_raw, st, reps, batch_sizes=sz, seed=seed_of(ss))


def sample_gmm(p, mu1, mu2, Sigma1, Sigma2, size: int, rng=None):
    """``size`` draws of the d-dim mixture: (X (size, d), component labels (1 = first))."""
    p, mu1, mu2, L1, L2 = _gmm_check(p, mu1, mu2, Sigma1, Sigma2)
    size = check_samples("size", size, bytes_per_sample=8 * (2 * mu1.size + 2))
    g = as_generator(rng)
    lab = g.random(size) < p
    Z = g.standard_normal((size, mu1.size))
    X = np.where(lab[:, None], mu1 + Z @ L1.T, mu2 + Z @ L2.T)
    return X, lab.astype(np.int64)


# ------------------------------------------------------------------------------------------
# Figure 2: a single linear unit trained with the VCL loss alone
# ------------------------------------------------------------------------------------------

@njit(**JIT_VEC)
def _train_kernel(state, theta0, beta0, steps, n, lr, clip, learn_beta, p, mu1, mu2, L1, L2,
                  record_every):
    """SGD on L = (1 − a/(b + β))², a = θᵀC₁θ, b = θᵀC₂θ (C_k the unbiased sample covariance
    of sub-batch k); gradient clipped to L2 norm ``clip``; β kept ≥ 1e-6. The draws continue
    the PCG64 stream whose state is ``state`` (:func:`~dropmc.simulations._pcg64.pcg64_state`).
    Compiled without reassociation (``JIT_VEC``): every sum runs over its terms in the order
    written, as the recorded numbers were made."""
    d = mu1.shape[0]
    theta = theta0.copy()
    beta = beta0
    z = np.empty(d)
    X = np.empty((2 * n, d))
    C = np.empty((2, d, d))
    c1t = np.empty(d)
    c2t = np.empty(d)
    gr = np.empty(d)
    nrec = steps // record_every + 1
    hist = np.empty((nrec, d + 2))
    rec = 0
    hi, lo, ihi, ilo = state[0], state[1], state[2], state[3]
    for t in range(steps + 1):
        hi, lo = _gmm_draws(hi, lo, ihi, ilo, p, mu1, mu2, L1, L2, z, X, 0, 2 * n)
        for s in range(2):
            for k in range(d):
                mk = 0.0
                for i in range(n):
                    mk += X[s * n + i, k]
                mk /= n
                for i in range(n):
                    X[s * n + i, k] -= mk
            # each entry a sum over the rows in order (C is symmetric: x_k x_l = x_l x_k)
            for k in range(d):
                for l in range(k, d):
                    acc = 0.0
                    for i in range(n):
                        acc += X[s * n + i, k] * X[s * n + i, l] / (n - 1)
                    C[s, k, l] = acc
                    C[s, l, k] = acc
        for k in range(d):
            c1t[k] = 0.0
            c2t[k] = 0.0
        for k in range(d):
            for l in range(d):
                c1t[k] += C[0, k, l] * theta[l]
                c2t[k] += C[1, k, l] * theta[l]
        a = 0.0
        b = 0.0
        for k in range(d):
            a += theta[k] * c1t[k]
            b += theta[k] * c2t[k]
        den = b + beta
        r = 1.0 - a / den
        loss = r * r
        if t % record_every == 0:
            for k in range(d):
                hist[rec, k] = theta[k]
            hist[rec, d] = beta
            hist[rec, d + 1] = loss
            rec += 1
        if t == steps:
            break
        # dL/dθ = 2r · (−(2C₁θ·den − a·2C₂θ)/den²);  dL/dβ = 2r · a/den²
        nrm = 0.0
        for k in range(d):
            gr[k] = -2.0 * r * (2.0 * c1t[k] * den - 2.0 * a * c2t[k]) / (den * den)
            nrm += gr[k] * gr[k]
        gb = 2.0 * r * a / (den * den) if learn_beta else 0.0
        nrm = math.sqrt(nrm + gb * gb)
        f = 1.0 if nrm <= clip else clip / nrm
        for k in range(d):
            theta[k] -= lr * f * gr[k]
        if learn_beta:
            beta -= lr * f * gb
            if beta < 1e-6:
                beta = 1e-6
    return hist


def train_vcl_unit(p, mu1, mu2, Sigma1, Sigma2, *, n: int = 8, steps: int = 20_000,
                   lr: float = 0.01, beta0: float = 1.0, learn_beta: bool = True,
                   clip: float = 1.0, theta0=None, record_every: int = 100, rng=None) -> dict:
    """Train ρ = θᵀx with the VCL loss of Eq. 17 alone (Figure 2): each step draws two
    sub-batches of size n from the mixture and takes a clipped SGD step on θ (and β when
    ``learn_beta``, initialised at ``beta0`` = 1 as in Section 2.4).

    Returns ``{"theta": final θ, "beta": final β, "history": (records, d + 2) array of
    [θ, β, loss] every ``record_every`` steps, "seed": ...}``.
    """
    p, mu1, mu2, L1, L2 = _gmm_check(p, mu1, mu2, Sigma1, Sigma2)
    n = check_samples("n", n, minimum=2, bytes_per_sample=16 * mu1.size)
    steps = check_count("steps", steps)
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    beta0 = check_real("beta0", beta0, lo=0.0, lo_open=True)
    clip = check_real("clip", clip, lo=0.0, lo_open=True)
    record_every = check_count("record_every", record_every)
    ss = as_seed_sequence(rng)
    g = np.random.Generator(np.random.PCG64(ss))
    if theta0 is None:
        t0 = g.standard_normal(mu1.size)
        theta0 = t0 / np.linalg.norm(t0)
    theta0 = check_array("theta0", theta0, shape=(mu1.size,))
    hist = _train_kernel(pcg64_state(g), theta0, beta0, steps, n, lr, clip, bool(learn_beta), p,
                         mu1, mu2, L1, L2, record_every)
    d = mu1.size
    return {"theta": hist[-1, :d].copy(), "beta": float(hist[-1, d]), "history": hist,
            "seed": seed_of(ss)}


@njit(**JIT)
def _pair_cov_kernel(state, m, n, p, mu1, mu2, L1, L2):
    """For m replicates, the unbiased sample covariances (two-pass) of two independent
    sub-batches of n draws of the d-dim mixture: shape (m, 2, d, d) (``state``: the chunk's
    PCG64 state)."""
    d = mu1.shape[0]
    z = np.empty(d)
    X = np.empty((n, d))
    out = np.zeros((m, 2, d, d))
    hi, lo, ihi, ilo = state[0], state[1], state[2], state[3]
    for r in range(m):
        for s in range(2):
            hi, lo = _gmm_draws(hi, lo, ihi, ilo, p, mu1, mu2, L1, L2, z, X, 0, n)
            for k in range(d):
                mk = 0.0
                for i in range(n):
                    mk += X[i, k]
                mk /= n
                for i in range(n):
                    X[i, k] -= mk
            for k in range(d):
                for l in range(k, d):
                    acc = 0.0
                    for i in range(n):
                        acc += X[i, k] * X[i, l]
                    out[r, s, k, l] = acc / (n - 1)
                    out[r, s, l, k] = acc / (n - 1)
    return out


def _direction_losses(C, thetas, betas):
    """Mean over replicates of the β-VCL loss (1 − θᵀC₁θ/(θᵀC₂θ + β))² for each direction k
    and each β of row k: shape (K, T)."""
    a = np.einsum("ki,rij,kj->rk", thetas, C[:, 0], thetas)
    b = np.einsum("ki,rij,kj->rk", thetas, C[:, 1], thetas)
    with np.errstate(divide="ignore", invalid="ignore"):
        L = (1.0 - a[:, :, None] / (b[:, :, None] + betas[None, :, :])) ** 2
    return L.mean(axis=0)


def direction_losses(p, mu1, mu2, Sigma1, Sigma2, n: int, thetas, betas, reps: int,
                     rng=None) -> dict:
    """Monte Carlo E L^β(θ) of Eq. 17 for a single linear unit ρ = θᵀx on the d-dim mixture,
    for K directions θ_k (rows of ``thetas``) and, for each, the T values β_kj of row k of
    ``betas`` (K, T), all from the *same* draws (common random numbers: differences between
    directions have a small variance). Each replicate draws two independent sub-batches of
    size n.

    Returns ``{"chunk_means": (B, K, T), "sizes": (B,), "seed": ...}`` (batch means over
    MIN_BATCHES chunks; build Estimates with :func:`dropmc.estimate.function_estimate`).
    """
    p, mu1, mu2, L1, L2 = _gmm_check(p, mu1, mu2, Sigma1, Sigma2)
    n = check_samples("n", n, minimum=2, bytes_per_sample=8 * mu1.size)
    T = check_array("thetas", thetas, ndim=2)
    if T.shape[1] != mu1.size:
        raise ValueError(f"thetas must have {mu1.size} columns, got shape {T.shape}")
    Bt = check_array("betas", betas, ndim=2)
    if Bt.shape[0] != T.shape[0] or np.any(Bt < 0):
        raise ValueError(f"betas must be a non-negative (K, T) array with K = {T.shape[0]}")
    reps = check_samples("reps", reps, minimum=64)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, m: (_direction_losses(
        _pair_cov_kernel(pcg64_state(g), m, n, p, mu1, mu2, L1, L2), T, Bt), m), reps, ss,
        chunk_size=1 << 12, min_chunks=MIN_BATCHES)
    return {"chunk_means": np.array([q[0] for q in parts]),
            "sizes": np.array([q[1] for q in parts], dtype=float), "seed": seed_of(ss)}
