"""The law samplers several sections of Littwin & Wolf use: the kernel codes of the built-in laws,
one draw (:func:`_draw`) and the Numba kernels that call it — the sample variances of Section 2,
the matrix of draws and the batch-norm error of Section 2.3 (a cached kernel stays in the module
of the functions it calls) — and the chunked reductions with batch-means standard errors."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import check_samples
from dropmc.estimate import function_estimate, seed_of
from dropmc.simulations._core import JIT, as_generator, as_seed_sequence, run_chunks
from dropmc.theory.variance_constancy import Law


LAW_CODES = {"normal": 0, "uniform": 1, "exponential": 2, "laplace": 3, "two_point": 4,
             "gmm2": 5, "student_t": 6, "beta": 7, "discrete": 8}

#: replicates per chunk for the sample-variance sampler
CHUNK = 1 << 13
#: batches of the batch-means standard errors: with 128 batches the Student-t quantile of the
#: z* = 4.5 tail probability is 4.70 (5.40 with 32), and the SE of heavy-tailed estimators is
#: itself less noisy (measured false-alarm rates: tools/false_alarm_variance_constancy.py)
MIN_BATCHES = 128


def law_code(law: Law) -> tuple[int, np.ndarray]:
    """The kernel code and parameter vector of a built-in law (-1 for scipy laws)."""
    if not isinstance(law, Law):
        raise TypeError(f"law must be a dropmc.theory.variance_constancy.Law, got "
                        f"{type(law).__name__}")
    if law.kind == "scipy":
        return -1, np.zeros(1)
    if law.kind == "discrete":
        x, w = law.dist
        cdf = np.cumsum(w)
        cdf[-1] = 1.0
        return LAW_CODES["discrete"], np.concatenate([[float(x.size)], x, cdf])
    return LAW_CODES[law.kind], np.asarray(law.params, dtype=float)


@njit(**JIT)
def _draw(g, code, par):
    """One draw of the law with ``code`` and parameters ``par`` (the same stream consumption
    as :func:`_fill`)."""
    if code == 0:
        return par[0] + par[1] * g.standard_normal()
    if code == 1:
        return par[0] + (par[1] - par[0]) * g.random()
    if code == 2:
        return par[0] * g.standard_exponential()
    if code == 3:
        return g.laplace(par[0], par[1])
    if code == 4:
        return par[1] if g.random() < par[2] else par[0]
    if code == 5:
        first = g.random() < par[0]
        z = g.standard_normal()
        return (par[1] if first else par[2]) + (par[3] if first else par[4]) * z
    if code == 6:
        return par[1] + par[2] * g.standard_t(par[0])
    if code == 7:
        return g.beta(par[0], par[1])
    # discrete: par = [k, atoms (k), cdf (k)]
    k = int(par[0])
    u = g.random()
    for i in range(k - 1):
        if u < par[1 + k + i]:
            return par[1 + i]
    return par[k]


@njit(**JIT)
def _sample_var_kernel(g, m, n, code, par):
    """m unbiased sample variances of samples of size n, by one-pass sums shifted by each
    sample's first draw (well conditioned).

    The common laws get their own loop nest with the law switch outside it (location-scale
    laws draw the standard variable and rescale the variance once), which keeps them at the
    speed of drawing the numbers alone; the values and the order in which the stream is
    consumed are those of :func:`_draw`.
    """
    out = np.empty(m)
    if code == 0 or code == 1 or code == 2:
        scale = par[1] if code == 0 else (par[1] - par[0] if code == 1 else par[0])
        c2 = scale * scale
        for r in range(m):
            if code == 0:
                k0 = g.standard_normal()
            elif code == 1:
                k0 = g.random()
            else:
                k0 = g.standard_exponential()
            s1 = 0.0
            s2 = 0.0
            if code == 0:
                for i in range(n - 1):
                    y = g.standard_normal() - k0
                    s1 += y
                    s2 += y * y
            elif code == 1:
                for i in range(n - 1):
                    y = g.random() - k0
                    s1 += y
                    s2 += y * y
            else:
                for i in range(n - 1):
                    y = g.standard_exponential() - k0
                    s1 += y
                    s2 += y * y
            out[r] = c2 * (s2 - s1 * s1 / n) / (n - 1)
        return out
    if code == 5:
        p, m1, m2, sd1, sd2 = par[0], par[1], par[2], par[3], par[4]
        for r in range(m):
            first = g.random() < p
            z = g.standard_normal()
            k0 = (m1 if first else m2) + (sd1 if first else sd2) * z
            s1 = 0.0
            s2 = 0.0
            for i in range(n - 1):
                first = g.random() < p
                z = g.standard_normal()
                y = (m1 if first else m2) + (sd1 if first else sd2) * z - k0
                s1 += y
                s2 += y * y
            out[r] = (s2 - s1 * s1 / n) / (n - 1)
        return out
    for r in range(m):
        k0 = _draw(g, code, par)
        s1 = 0.0
        s2 = 0.0
        for i in range(n - 1):
            y = _draw(g, code, par) - k0
            s1 += y
            s2 += y * y
        out[r] = (s2 - s1 * s1 / n) / (n - 1)
    return out


@njit(**JIT)
def _rows_var_kernel(X):
    """Unbiased sample variance of each row of X (two-pass)."""
    m, n = X.shape
    out = np.empty(m)
    for r in range(m):
        s = 0.0
        for i in range(n):
            s += X[r, i]
        mu = s / n
        s2 = 0.0
        for i in range(n):
            d = X[r, i] - mu
            s2 += d * d
        out[r] = s2 / (n - 1)
    return out


@njit(**JIT)
def _sample_matrix_kernel(g, m, n, code, par):
    out = np.empty((m, n))
    for r in range(m):
        for i in range(n):
            out[r, i] = _draw(g, code, par)
    return out


def sample_matrix(law: Law, m: int, n: int, rng=None) -> np.ndarray:
    """An (m, n) array of i.i.d. draws from ``law`` (one generator; for small samples)."""
    code, par = law_code(law)
    m = check_samples("m", m)
    n = check_samples("n", n, bytes_per_sample=8 * m)
    g = as_generator(rng)
    if code < 0:
        return np.asarray(law.dist.rvs(size=(m, n), random_state=g), dtype=float)
    return _sample_matrix_kernel(g, m, n, code, par)


def _check_law_n(law, n):
    code, par = law_code(law)
    n = check_samples("n", n, minimum=2)
    return code, par, n


def _chunk_sampler(law: Law, n: int):
    """``f(generator, m) -> m sample variances`` for ``law`` and sample size ``n``."""
    code, par, n = _check_law_n(law, n)
    if code >= 0:
        return lambda g, m: _sample_var_kernel(g, m, n, code, par)
    dist = law.dist
    return lambda g, m: _rows_var_kernel(np.ascontiguousarray(
        dist.rvs(size=(m, n), random_state=g), dtype=float))


def _chunked_stat(law, n, reps, rng, stat_fn, k, chunk_size=CHUNK, pairs=False,
                  min_chunks=MIN_BATCHES):
    """Run the sampler over chunks and reduce each chunk with ``stat_fn(vars) -> (k,)``.
    Returns (per-chunk stats (B, k), per-chunk sizes (B,), seed)."""
    f = _chunk_sampler(law, n)
    reps = check_samples("reps", reps, minimum=64)
    ss = as_seed_sequence(rng)
    mult = 2 if pairs else 1

    def kern(g, m):
        v = f(g, mult * m)
        if pairs:
            v = v.reshape(m, 2)
        return np.asarray(stat_fn(v), dtype=float).reshape(k), m

    parts = run_chunks(kern, reps, ss, chunk_size=chunk_size, min_chunks=min_chunks)
    stats_ = np.array([p[0] for p in parts])
    sizes = np.array([p[1] for p in parts], dtype=float)
    return stats_, sizes, seed_of(ss)


def _mean_estimate_from_chunks(stats_, sizes, seed):
    return function_estimate(lambda m: m[0], stats_, int(sizes.sum()), batch_sizes=sizes,
                             grad=lambda m: np.array([1.0]), seed=seed)


@njit(**JIT)
def _bn_error_kernel(g, m, n, code, par, mu, sigma):
    """Chunk means of T_var², T_mean², e² and T_var·T_mean for a fresh input ρ and a batch s:
    e = (ρ − μ_s)/σ_s − (ρ − μ)/σ = T_var + T_mean with T_var = (ρ − μ)(1/σ_s − 1/σ) (the part
    due to σ_s) and T_mean = (μ − μ_s)/σ_s (the part due to μ_s)."""
    acc = np.zeros(4)
    for _ in range(m):
        k0 = _draw(g, code, par)
        s1 = 0.0
        s2 = 0.0
        for i in range(n - 1):
            y = _draw(g, code, par) - k0
            s1 += y
            s2 += y * y
        mean_s = k0 + s1 / n
        sd_s = math.sqrt(max((s2 - s1 * s1 / n) / (n - 1), 0.0))
        rho = _draw(g, code, par)
        tv = (rho - mu) * (1.0 / sd_s - 1.0 / sigma)
        tm = (mu - mean_s) / sd_s
        acc[0] += tv * tv
        acc[1] += tm * tm
        acc[2] += (tv + tm) * (tv + tm)
        acc[3] += tv * tm
    return acc / m
