r"""Monte Carlo samplers for the Variance Constancy Loss (Littwin & Wolf), paper key
``variance_constancy``.

* :func:`sample_variances` — unbiased sample variances σ_s² of i.i.d. samples of size n from a
  :class:`~dropmc.theory.variance_constancy.Law`, in fixed chunks (a Numba sampler for the
  built-in family; ``scipy.stats`` laws are drawn by scipy and reduced by a Numba kernel);
* :func:`estimate_var_sample_variance` (Eq. 1), :func:`estimate_vcl_loss` (Eq. 4/6),
  :func:`estimate_mean_sample_variance` (unbiasedness);
* :func:`estimate_ratio_events` — the empirical probabilities of the events of Eq. 12–16 and
  Eq. 20 for two independent sub-batches, with binomial standard errors;
* :func:`estimate_vcl_beta` — E of the β-VCL loss of Eq. 17 at a scale c of the activations;
* :func:`estimate_projected_kurtosis` — κ(θᵀx) for x from a two-Gaussian mixture in d
  dimensions (Theorem 2), by the delta method over chunk moments;
* :func:`train_vcl_unit` — Figure 2: a single linear unit trained by SGD on the VCL loss alone;
  :func:`direction_losses` — the expected β-VCL loss of such a unit for given directions and β
  (common random numbers).

Kernels are private, take a PCG64 ``Generator`` and release the GIL; the wrappers validate,
chunk with :func:`dropmc.simulations._core.run_chunks` and return
:class:`~dropmc.estimate.Estimate` objects.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import check_array, check_int, check_probability, check_real
from dropmc.estimate import Estimate, binomial_estimate, function_estimate, seed_of
from dropmc.simulations._core import JIT, JIT_FAST, as_generator, as_seed_sequence, run_chunks
from dropmc.theory.variance_constancy import Law, central_moments

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
    m = check_int("m", m, minimum=1)
    n = check_int("n", n, minimum=1)
    g = as_generator(rng if not isinstance(rng, np.random.SeedSequence)
                     else np.random.Generator(np.random.PCG64(rng)))
    if code < 0:
        return np.asarray(law.dist.rvs(size=(m, n), random_state=g), dtype=float)
    return _sample_matrix_kernel(g, m, n, code, par)


def _check_law_n(law, n):
    code, par = law_code(law)
    n = check_int("n", n, minimum=2)
    return code, par, n


def _chunk_sampler(law: Law, n: int):
    """``f(generator, m) -> m sample variances`` for ``law`` and sample size ``n``."""
    code, par, n = _check_law_n(law, n)
    if code >= 0:
        return lambda g, m: _sample_var_kernel(g, m, n, code, par)
    dist = law.dist
    return lambda g, m: _rows_var_kernel(np.ascontiguousarray(
        dist.rvs(size=(m, n), random_state=g), dtype=float))


def sample_variances(law: Law, n: int, reps: int, rng=None, *, chunk_size: int = CHUNK,
                     min_chunks: int = 32) -> np.ndarray:
    """``reps`` unbiased sample variances σ_s² of i.i.d. samples of size ``n`` from ``law``.

    The result depends only on ``rng``, ``reps``, ``chunk_size`` and ``min_chunks`` (chunk c
    draws from its own PCG64 stream), not on the thread count.
    """
    f = _chunk_sampler(law, n)
    reps = check_int("reps", reps, minimum=1)
    return np.concatenate(run_chunks(f, reps, rng, chunk_size=chunk_size,
                                     min_chunks=min_chunks))


def _chunked_stat(law, n, reps, rng, stat_fn, k, chunk_size=CHUNK, pairs=False,
                  min_chunks=MIN_BATCHES):
    """Run the sampler over chunks and reduce each chunk with ``stat_fn(vars) -> (k,)``.
    Returns (per-chunk stats (B, k), per-chunk sizes (B,), seed)."""
    f = _chunk_sampler(law, n)
    reps = check_int("reps", reps, minimum=64)
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


def estimate_var_sample_variance(law: Law, n: int, reps: int = 200_000, rng=None) -> Estimate:
    """Monte Carlo E[(σ² − σ_s²)²] (the left side of Eq. 1), σ² the law's true variance;
    batch-means SE over the chunks."""
    _, sigma2, _ = central_moments(law)
    st, sz, seed = _chunked_stat(law, n, reps, rng, lambda v: [np.mean((v - sigma2) ** 2)], 1)
    return _mean_estimate_from_chunks(st, sz, seed)


def estimate_vcl_loss(law: Law, n: int, reps: int = 200_000, rng=None) -> Estimate:
    """Monte Carlo L_s = E(1 − σ_s²/σ²)² (Eq. 6)."""
    _, sigma2, _ = central_moments(law)
    st, sz, seed = _chunked_stat(law, n, reps, rng,
                                 lambda v: [np.mean((1.0 - v / sigma2) ** 2)], 1)
    return _mean_estimate_from_chunks(st, sz, seed)


def estimate_mean_sample_variance(law: Law, n: int, reps: int = 200_000, rng=None) -> Estimate:
    """Monte Carlo E σ_s² (= σ² for the unbiased sample variance)."""
    st, sz, seed = _chunked_stat(law, n, reps, rng, lambda v: [np.mean(v)], 1)
    return _mean_estimate_from_chunks(st, sz, seed)


# ------------------------------------------------------------------------------------------
# Theorem 3 (Eq. 12–16) and Eq. 20: empirical probabilities of the events
# ------------------------------------------------------------------------------------------

#: event names, in the column order of :func:`_events_kernel`
EVENTS = ("eq13", "eq14", "eq15", "eq12", "eq12_upper", "eq20", "undefined")


@njit(**JIT)
def _events_kernel(ab, sigma2, eps):
    """Counts of the events for pairs (a, b) = (σ²_{s1}, σ²_{s2}) and each ε:
    eq13 |1 − a/σ²| > ε;  eq14 both |1 − a/σ²|, |1 − b/σ²| ≤ ε;
    eq15 (1−ε)/(1+ε) ≤ a/b ≤ (1+ε)/(1−ε);  eq12 4ε²/(1+ε)² ≤ (1 − a/b)² ≤ 4ε²/(1−ε)²;
    eq12_upper (1 − a/b)² ≤ 4ε²/(1−ε)²;  eq20 1/√(1+ε) ≤ σ/σ_{s1} ≤ 1/√(1−ε);
    undefined: a = b = 0 (the ratio is 0/0; counted in no ratio event)."""
    m = ab.shape[0]
    ne = eps.shape[0]
    c = np.zeros((ne, 7), dtype=np.int64)
    sig = math.sqrt(sigma2)
    for r in range(m):
        a = ab[r, 0]
        b = ab[r, 1]
        u = a / sigma2
        v = b / sigma2
        undefined = a == 0.0 and b == 0.0
        if b > 0.0:
            R = a / b
        else:
            R = math.inf
        L = (1.0 - R) ** 2
        ratio_sd = sig / math.sqrt(a) if a > 0.0 else math.inf
        for j in range(ne):
            e = eps[j]
            if abs(1.0 - u) > e:
                c[j, 0] += 1
            if abs(1.0 - u) <= e and abs(1.0 - v) <= e:
                c[j, 1] += 1
            if undefined:
                c[j, 6] += 1
            else:
                if (1 - e) / (1 + e) <= R <= (1 + e) / (1 - e):
                    c[j, 2] += 1
                lo = 4 * e * e / ((1 + e) * (1 + e))
                hi = 4 * e * e / ((1 - e) * (1 - e))
                if lo <= L <= hi:
                    c[j, 3] += 1
                if L <= hi:
                    c[j, 4] += 1
            if 1.0 / math.sqrt(1 + e) <= ratio_sd <= 1.0 / math.sqrt(1 - e):
                c[j, 5] += 1
    return c


def estimate_ratio_events(law: Law, n: int, eps, reps: int = 100_000, rng=None) -> dict:
    """Empirical probabilities of the events of Eq. 12–16 and Eq. 20 from ``reps`` pairs of
    independent sub-batches of size ``n``.

    Returns ``{event: [Estimate per eps]}`` for the events of :data:`EVENTS` (binomial SEs).
    ``eps`` is a scalar or a 1-D array of values in (0, 1).
    """
    eps_arr = np.atleast_1d(check_array("eps", eps, ndim=None)).astype(float).ravel()
    if np.any((eps_arr <= 0) | (eps_arr >= 1)):
        raise ValueError(f"eps must lie in (0, 1), got {eps_arr}")
    f = _chunk_sampler(law, n)
    reps = check_int("reps", reps, minimum=1)
    _, sigma2, _ = central_moments(law)
    ss = as_seed_sequence(rng)

    def kern(g, m):
        return _events_kernel(f(g, 2 * m).reshape(m, 2), sigma2, eps_arr)

    counts = sum(run_chunks(kern, reps, ss, chunk_size=CHUNK))
    seed = seed_of(ss)
    return {ev: [binomial_estimate(int(counts[j, i]), reps, seed=seed)
                 for j in range(eps_arr.size)] for i, ev in enumerate(EVENTS)}


# ------------------------------------------------------------------------------------------
# Eq. 17: the β-VCL loss
# ------------------------------------------------------------------------------------------

def estimate_vcl_beta(law: Law, n: int, beta: float, reps: int = 200_000, *,
                      scale: float = 1.0, rng=None) -> Estimate:
    """Monte Carlo E(1 − σ²_{s1}/(σ²_{s2} + β))² (Eq. 17) for activations c·ρ, c = ``scale``,
    with two independent sub-batches of size n. At β = 0 it is Eq. 11 (infinite mean when
    σ²_{s2} = 0 has positive probability)."""
    beta = check_real("beta", beta, lo=0.0)
    scale = check_real("scale", scale, lo=0.0, lo_open=True)
    c2 = scale * scale

    def stat(v):
        with np.errstate(divide="ignore", invalid="ignore"):
            return [np.mean((1.0 - c2 * v[:, 0] / (c2 * v[:, 1] + beta)) ** 2)]

    st, sz, seed = _chunked_stat(law, n, reps, rng, stat, 1, pairs=True)
    return _mean_estimate_from_chunks(st, sz, seed)


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
def _gmm_draw(g, p, mu1, mu2, L1, L2, z, x):
    d = mu1.shape[0]
    for i in range(d):
        z[i] = g.standard_normal()
    first = g.random() < p
    for i in range(d):
        s = 0.0
        if first:
            for j in range(i + 1):
                s += L1[i, j] * z[j]
            x[i] = mu1[i] + s
        else:
            for j in range(i + 1):
                s += L2[i, j] * z[j]
            x[i] = mu2[i] + s
    return first


@njit(**JIT_FAST)
def _projected_moments_kernel(g, m, theta, shift, p, mu1, mu2, L1, L2):
    """Chunk means of y, y², y³, y⁴ with y = θᵀx − shift, x drawn from the d-dim mixture."""
    d = mu1.shape[0]
    z = np.empty(d)
    x = np.empty(d)
    s = np.zeros(4)
    for _ in range(m):
        _gmm_draw(g, p, mu1, mu2, L1, L2, z, x)
        y = -shift
        for i in range(d):
            y += theta[i] * x[i]
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
    reps = check_int("reps", reps, minimum=64)
    shift = float(p * theta @ mu1 + (1 - p) * theta @ mu2)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, m: (_projected_moments_kernel(g, m, theta, shift, p, mu1, mu2,
                                                               L1, L2), m),
                       reps, ss, chunk_size=1 << 14, min_chunks=MIN_BATCHES)
    st = np.array([q[0] for q in parts])
    sz = np.array([q[1] for q in parts], dtype=float)
    return function_estimate(_kurt_from_raw, st, reps, batch_sizes=sz, seed=seed_of(ss))


def sample_gmm(p, mu1, mu2, Sigma1, Sigma2, size: int, rng=None):
    """``size`` draws of the d-dim mixture: (X (size, d), component labels (1 = first))."""
    p, mu1, mu2, L1, L2 = _gmm_check(p, mu1, mu2, Sigma1, Sigma2)
    size = check_int("size", size, minimum=1)
    g = as_generator(rng)
    lab = g.random(size) < p
    Z = g.standard_normal((size, mu1.size))
    X = np.where(lab[:, None], mu1 + Z @ L1.T, mu2 + Z @ L2.T)
    return X, lab.astype(np.int64)


# ------------------------------------------------------------------------------------------
# Figure 2: a single linear unit trained with the VCL loss alone
# ------------------------------------------------------------------------------------------

@njit(**JIT_FAST)
def _train_kernel(g, theta0, beta0, steps, n, lr, clip, learn_beta, p, mu1, mu2, L1, L2,
                  record_every):
    """SGD on L = (1 − a/(b + β))², a = θᵀC₁θ, b = θᵀC₂θ (C_k the unbiased sample covariance
    of sub-batch k); gradient clipped to L2 norm ``clip``; β kept ≥ 1e-6."""
    d = mu1.shape[0]
    theta = theta0.copy()
    beta = beta0
    z = np.empty(d)
    x = np.empty(d)
    X = np.empty((2 * n, d))
    C = np.empty((2, d, d))
    nrec = steps // record_every + 1
    hist = np.empty((nrec, d + 2))
    rec = 0
    for t in range(steps + 1):
        for i in range(2 * n):
            _gmm_draw(g, p, mu1, mu2, L1, L2, z, x)
            for k in range(d):
                X[i, k] = x[k]
        for s in range(2):
            for k in range(d):
                for l in range(d):
                    C[s, k, l] = 0.0
            for k in range(d):
                mk = 0.0
                for i in range(n):
                    mk += X[s * n + i, k]
                mk /= n
                for i in range(n):
                    X[s * n + i, k] -= mk
            for i in range(n):
                for k in range(d):
                    for l in range(d):
                        C[s, k, l] += X[s * n + i, k] * X[s * n + i, l] / (n - 1)
        c1t = np.zeros(d)
        c2t = np.zeros(d)
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
        gr = np.empty(d)
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
    n = check_int("n", n, minimum=2)
    steps = check_int("steps", steps, minimum=1)
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    beta0 = check_real("beta0", beta0, lo=0.0, lo_open=True)
    clip = check_real("clip", clip, lo=0.0, lo_open=True)
    record_every = check_int("record_every", record_every, minimum=1)
    ss = as_seed_sequence(rng)
    g = np.random.Generator(np.random.PCG64(ss))
    if theta0 is None:
        t0 = g.standard_normal(mu1.size)
        theta0 = t0 / np.linalg.norm(t0)
    theta0 = check_array("theta0", theta0, shape=(mu1.size,))
    hist = _train_kernel(g, theta0, beta0, steps, n, lr, clip, bool(learn_beta), p, mu1, mu2,
                         L1, L2, record_every)
    d = mu1.size
    return {"theta": hist[-1, :d].copy(), "beta": float(hist[-1, d]), "history": hist,
            "seed": seed_of(ss)}


@njit(**JIT)
def _pair_cov_kernel(g, m, n, p, mu1, mu2, L1, L2):
    """For m replicates, the unbiased sample covariances (two-pass) of two independent
    sub-batches of n draws of the d-dim mixture: shape (m, 2, d, d)."""
    d = mu1.shape[0]
    z = np.empty(d)
    x = np.empty(d)
    X = np.empty((n, d))
    out = np.zeros((m, 2, d, d))
    for r in range(m):
        for s in range(2):
            for i in range(n):
                _gmm_draw(g, p, mu1, mu2, L1, L2, z, x)
                for k in range(d):
                    X[i, k] = x[k]
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
    n = check_int("n", n, minimum=2)
    T = check_array("thetas", thetas, ndim=2)
    if T.shape[1] != mu1.size:
        raise ValueError(f"thetas must have {mu1.size} columns, got shape {T.shape}")
    Bt = check_array("betas", betas, ndim=2)
    if Bt.shape[0] != T.shape[0] or np.any(Bt < 0):
        raise ValueError(f"betas must be a non-negative (K, T) array with K = {T.shape[0]}")
    reps = check_int("reps", reps, minimum=64)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, m: (_direction_losses(
        _pair_cov_kernel(g, m, n, p, mu1, mu2, L1, L2), T, Bt), m), reps, ss,
        chunk_size=1 << 12, min_chunks=MIN_BATCHES)
    return {"chunk_means": np.array([q[0] for q in parts]),
            "sizes": np.array([q[1] for q in parts], dtype=float), "seed": seed_of(ss)}


# ------------------------------------------------------------------------------------------
# Section 2.3 (Eq. 18–19): what makes the batch-norm output random
# ------------------------------------------------------------------------------------------

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


def estimate_bn_error_parts(law: Law, n: int, reps: int = 200_000, rng=None) -> dict:
    """Monte Carlo decomposition of the batch-norm output error of Eq. 18 for a fresh input:
    E T_var² (due to σ_s), E T_mean² (due to μ_s), E e², and the share of E e² due to the
    variance, E T_var² / (E T_var² + E T_mean²). Built-in laws only. Returns
    ``{"var_part", "mean_part", "total", "var_share", "var_minus_mean"}`` of Estimates."""
    code, par, n = _check_law_n(law, n)
    if code < 0:
        raise ValueError("law must be a built-in kind for estimate_bn_error_parts, got a scipy law")
    reps = check_int("reps", reps, minimum=64)
    mu, sigma2, _ = central_moments(law)
    sigma = math.sqrt(sigma2)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, m: (_bn_error_kernel(g, m, n, code, par, mu, sigma), m), reps,
                       ss, chunk_size=CHUNK, min_chunks=MIN_BATCHES)
    st = np.array([q[0] for q in parts])
    sz = np.array([q[1] for q in parts], dtype=float)
    seed = seed_of(ss)

    def est(f):
        return function_estimate(f, st, reps, batch_sizes=sz, seed=seed)

    return {"var_part": est(lambda m: m[0]), "mean_part": est(lambda m: m[1]),
            "total": est(lambda m: m[2]),
            "var_share": est(lambda m: m[0] / (m[0] + m[1])),
            "var_minus_mean": est(lambda m: m[0] - m[1])}


# ------------------------------------------------------------------------------------------
# Extension: Eq. 1 for any scipy law (issue 11) -- plain numpy, draws with dist.rvs
# ------------------------------------------------------------------------------------------

def estimate_var_sample_variance_scipy(dist, n: int, reps: int = 200_000, rng=None,
                                       *, chunk_size: int = 1 << 12) -> Estimate:
    """Monte Carlo E[(σ² − σ_s²)²] for batches of ``n`` draws of the frozen scipy distribution
    ``dist`` (its ``rvs`` fed each chunk's own PCG64 generator), σ² its exact variance; batch
    means over ≥ 128 chunks (t with chunks − 1 dof, critical value 4.70 for z* = 4.5)."""
    from dropmc.theory.variance_constancy import scipy_law_moments

    n = check_int("n", n, minimum=2)
    reps = check_int("reps", reps, minimum=64)
    var, _ = scipy_law_moments(dist)
    ss = as_seed_sequence(rng)

    def kernel(g, m):
        x = np.asarray(dist.rvs(size=(m, n), random_state=g), dtype=float)
        s2 = x.var(axis=1, ddof=1)
        return (m, float(np.mean((s2 - var) ** 2)))

    arr = np.array(run_chunks(kernel, reps, ss, chunk_size=chunk_size, min_chunks=128), dtype=float)
    return function_estimate(lambda v: v[0], arr[:, 1:], reps, batch_sizes=arr[:, 0],
                             seed=seed_of(ss))


# ------------------------------------------------------------------------------------------
# Section 2.2 (end) and Section 2.3 (after Eq. 18): sample moments of small batches
# (numpy on the draws of :func:`sample_matrix`; no new kernel)
# ------------------------------------------------------------------------------------------

def estimate_moment_errors(law: Law, n: int, reps: int = 200_000, rng=None) -> dict:
    """Relative mean squared errors of batch statistics over batches of size n:
    E(σ_s²/σ² − 1)² (the unbiased sample variance; Eq. 1 divided by σ⁴), E(m̂₄/m₄ − 1)²
    (m̂₄ = (1/n)Σ(ρ_i − ρ̄)⁴, the sample fourth central moment) and E(κ̂/κ − 1)² (κ̂ =
    m̂₄/σ̂⁴ with σ̂² = (1/n)Σ(ρ_i − ρ̄)², defined when the batch is not constant; constant
    batches count as κ̂ = 0), paired on the same draws; batch-means SEs. Returns
    ``{"var", "m4", "kurt", "m4_minus_var"}`` of Estimates."""
    code, par, n = _check_law_n(law, n)
    reps = check_int("reps", reps, minimum=64)
    _, sigma2, m4 = central_moments(law)
    kappa = m4 / sigma2 ** 2
    ss = as_seed_sequence(rng)

    def kern(g, m):
        X = sample_matrix(law, m, n, g)
        d = X - X.mean(axis=1, keepdims=True)
        d2 = d * d
        s2 = d2.sum(1) / (n - 1)
        m4h = (d2 * d2).sum(1) / n
        v = d2.sum(1) / n
        with np.errstate(divide="ignore", invalid="ignore"):
            kh = np.where(v > 0, m4h / (v * v), 0.0)
        ev = (s2 / sigma2 - 1) ** 2
        e4 = (m4h / m4 - 1) ** 2
        ek = (kh / kappa - 1) ** 2
        return np.array([ev.mean(), e4.mean(), ek.mean()]), m

    parts = run_chunks(kern, reps, ss, chunk_size=CHUNK, min_chunks=MIN_BATCHES)
    st = np.array([q[0] for q in parts])
    sz = np.array([q[1] for q in parts], dtype=float)
    seed = seed_of(ss)

    def est(f):
        return function_estimate(f, st, reps, batch_sizes=sz, seed=seed)

    return {"var": est(lambda m: m[0]), "m4": est(lambda m: m[1]), "kurt": est(lambda m: m[2]),
            "m4_minus_var": est(lambda m: m[1] - m[0])}


def estimate_mean_ratio_reliability(law: Law, n: int, reps: int = 200_000, rng=None) -> dict:
    """For a batch s of size n and a fresh input ρ (independent of s), the two factors of the
    bracket of Eq. 18: |R − 1| with R = (ρ − μ_s)/(ρ − μ), i.e. |μ_s − μ|/|ρ − μ|, and
    |σ/σ_s − 1|. Returns Estimates of ``p_ratio_smaller`` = Pr(|R − 1| < |σ/σ_s − 1|) and of
    the fractions ``p_ratio_off`` = Pr(|R − 1| > 0.1) and ``p_sigma_off`` = Pr(|σ/σ_s − 1| >
    0.1), batch means over the chunks."""
    code, par, n = _check_law_n(law, n)
    reps = check_int("reps", reps, minimum=64)
    mu, sigma2, _ = central_moments(law)
    sigma = math.sqrt(sigma2)
    ss = as_seed_sequence(rng)

    def kern(g, m):
        X = sample_matrix(law, m, n + 1, g)
        B, rho = X[:, :n], X[:, n]
        mu_s = B.mean(1)
        sd_s = B.std(1, ddof=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            r_dev = np.abs(mu_s - mu) / np.abs(rho - mu)
            s_dev = np.abs(sigma / sd_s - 1.0)
        return np.array([np.mean(r_dev < s_dev), np.mean(r_dev > 0.1),
                         np.mean(s_dev > 0.1)]), m

    parts = run_chunks(kern, reps, ss, chunk_size=CHUNK, min_chunks=MIN_BATCHES)
    st = np.array([q[0] for q in parts])
    sz = np.array([q[1] for q in parts], dtype=float)
    seed = seed_of(ss)

    def est(f):
        return function_estimate(f, st, reps, batch_sizes=sz, seed=seed)

    return {"p_ratio_smaller": est(lambda m: m[0]), "p_ratio_off": est(lambda m: m[1]),
            "p_sigma_off": est(lambda m: m[2])}
