"""The law samplers several sections of Littwin & Wolf use: the kernel codes of the built-in laws,
one draw (:func:`_draw_r`) and the Numba kernels that call it — the sample variances of Section 2,
the matrix of draws and the batch-norm error of Section 2.3 (a cached kernel stays in the module
of the functions it calls) — and the chunked reductions with batch-means standard errors.

The built-in laws draw from the in-kernel xoshiro256++ stream of
:mod:`dropmc.simulations._xoshiro` (one state per chunk, ``run_chunks(..., stream="xoshiro")``),
held in registers; scipy laws are drawn by scipy from each chunk's PCG64 generator
(:func:`_chunk_sampler` and :func:`_matrix_sampler` return the sampler with its stream).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, uint64

from dropmc._validation import check_samples
from dropmc.estimate import function_estimate, seed_of
from dropmc.simulations._core import JIT, as_generator, as_seed_sequence, chunk_states, run_chunks
from dropmc.simulations._xoshiro import next_double_r, next_normal_r, next_u64_r
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


# --- one draw of each built-in law from a register-held xoshiro state ------------------------

@njit(inline="always", **JIT)
def _exponential_r(s0, s1, s2, s3):
    """Standard exponential by inversion, −log(1 − U) (finite: U < 1)."""
    u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
    return -math.log1p(-u), s0, s1, s2, s3


@njit(**JIT)
def _gamma_r(a, s0, s1, s2, s3):
    """Gamma(a, 1) by Marsaglia & Tsang (ACM TOMS 26(3), 2000): for a ≥ 1, d(1 + cZ)³ with
    d = a − 1/3 and c = 1/√(9d), accepted by the squeeze U < 1 − 0.0331Z⁴ or by
    log U < Z²/2 + d(1 − V + log V); for a < 1, Gamma(a + 1)·(1 − U)^{1/a} with that U drawn
    first."""
    boost = 1.0
    if a < 1.0:
        u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
        boost = (1.0 - u) ** (1.0 / a)
        a += 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        z, s0, s1, s2, s3 = next_normal_r(s0, s1, s2, s3)
        v = 1.0 + c * z
        if v <= 0.0:
            continue
        v = v * v * v
        u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
        z2 = z * z
        if u < 1.0 - 0.0331 * z2 * z2 or math.log(u) < 0.5 * z2 + d * (1.0 - v + math.log(v)):
            return d * v * boost, s0, s1, s2, s3


@njit(inline="always", **JIT)
def _below_53(p):
    """The integer T with ``(r >> 11) < T`` exactly when the uniform of the 64-bit word r,
    (r >> 11)·2⁻⁵³ (:func:`~dropmc.simulations._xoshiro.next_double_r`), is below p ∈ [0, 1]:
    T = ⌈p·2⁵³⌉ (p·2⁵³ is exact). Comparing integers skips the conversion to a double."""
    return uint64(math.ceil(p * 9007199254740992.0))


@njit(inline="always", **JIT)
def _gmm2_r(below, mu1, mu2, sd1, sd2, s0, s1, s2, s3):
    """p N(μ1, σ1²) + (1 − p) N(μ2, σ2²): a normal Z, then one uniform U for the component
    (the first when U < p, decided on the word as ``(r >> 11) < below``, ``below`` =
    :func:`_below_53` (p)). The component's parameters are selected, not branched to: a
    branch on U would be mispredicted min(p, 1 − p) of the time."""
    z, s0, s1, s2, s3 = next_normal_r(s0, s1, s2, s3)
    r, s0, s1, s2, s3 = next_u64_r(s0, s1, s2, s3)
    first = (r >> uint64(11)) < below
    mu = mu1 if first else mu2
    sd = sd1 if first else sd2
    return mu + sd * z, s0, s1, s2, s3


@njit(inline="always", **JIT)
def _draw_r(code, par, s0, s1, s2, s3):
    """One draw of the law with ``code`` and parameters ``par`` (:func:`law_code`) from the
    xoshiro state (s0, s1, s2, s3); returns ``(x, s0, s1, s2, s3)``.

    normal: μ + σZ (ziggurat); uniform: a + (b − a)U; exponential: −scale·log(1 − U);
    Laplace: loc ± scale·E from one 64-bit word (its lowest bit the sign, its top 53 bits the
    uniform of E); two-point: b if U < q else a; gmm2: :func:`_gmm2_r`; Student-t:
    loc + scale·Z·√((ν/2)/G), G ~ Gamma(ν/2) (numpy's construction); Beta(a, b): X/(X + Y)
    with X ~ Gamma(a), Y ~ Gamma(b); discrete: the first atom whose cdf exceeds U.
    """
    if code == 0:
        z, s0, s1, s2, s3 = next_normal_r(s0, s1, s2, s3)
        return par[0] + par[1] * z, s0, s1, s2, s3
    if code == 1:
        u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
        return par[0] + (par[1] - par[0]) * u, s0, s1, s2, s3
    if code == 2:
        e, s0, s1, s2, s3 = _exponential_r(s0, s1, s2, s3)
        return par[0] * e, s0, s1, s2, s3
    if code == 3:
        r, s0, s1, s2, s3 = next_u64_r(s0, s1, s2, s3)
        e = -math.log1p(-float(r >> uint64(11)) * (1.0 / 9007199254740992.0))
        if r & uint64(1):
            return par[0] - par[1] * e, s0, s1, s2, s3
        return par[0] + par[1] * e, s0, s1, s2, s3
    if code == 4:
        u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
        return (par[1] if u < par[2] else par[0]), s0, s1, s2, s3
    if code == 5:
        return _gmm2_r(_below_53(par[0]), par[1], par[2], par[3], par[4], s0, s1, s2, s3)
    if code == 6:
        z, s0, s1, s2, s3 = next_normal_r(s0, s1, s2, s3)
        g, s0, s1, s2, s3 = _gamma_r(0.5 * par[0], s0, s1, s2, s3)
        return par[1] + par[2] * z * math.sqrt(0.5 * par[0] / g), s0, s1, s2, s3
    if code == 7:
        x, s0, s1, s2, s3 = _gamma_r(par[0], s0, s1, s2, s3)
        y, s0, s1, s2, s3 = _gamma_r(par[1], s0, s1, s2, s3)
        return x / (x + y), s0, s1, s2, s3
    # discrete: par = [k, atoms (k), cdf (k)]
    k = int(par[0])
    u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
    for i in range(k - 1):
        if u < par[1 + k + i]:
            return par[1 + i], s0, s1, s2, s3
    return par[k], s0, s1, s2, s3


@njit(**JIT)
def _sample_var_kernel(state, m, n, code, par):
    """m unbiased sample variances of samples of size n drawn with :func:`_draw_r` from the
    xoshiro ``state`` (uint64[4], advanced), by one-pass sums of the draws less a centre
    (well conditioned): the law's mean where the kernel knows it, else each sample's first draw.

    Normal, uniform and exponential laws draw the standard variable, centred at its mean (0,
    1/2, 1), and rescale the variance once; the two-Gaussian mixture is centred at its mean:
    each its own loop nest with the law switch outside it, which keeps them at the speed of
    drawing the numbers alone. The stream is :func:`_draw_r`'s and the values are its values'
    sample variances up to rounding; the other laws draw through :func:`_draw_r`.
    """
    out = np.empty(m)
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    if code == 0 or code == 1 or code == 2:
        scale = par[1] if code == 0 else (par[1] - par[0] if code == 1 else par[0])
        c2 = scale * scale / (n - 1)
        for r in range(m):
            a = 0.0
            b = 0.0
            if code == 0:
                for i in range(n):
                    y, s0, s1, s2, s3 = next_normal_r(s0, s1, s2, s3)
                    a += y
                    b += y * y
            elif code == 1:
                for i in range(n):
                    y, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
                    y -= 0.5
                    a += y
                    b += y * y
            else:
                for i in range(n):
                    y, s0, s1, s2, s3 = _exponential_r(s0, s1, s2, s3)
                    y -= 1.0
                    a += y
                    b += y * y
            out[r] = c2 * (b - a * a / n)
    elif code == 5:
        p, sd1, sd2 = par[0], par[3], par[4]
        centre = p * par[1] + (1.0 - p) * par[2]
        d1, d2 = par[1] - centre, par[2] - centre       # the components' means, centred
        below = _below_53(p)
        for r in range(m):
            a = 0.0
            b = 0.0
            for i in range(n):
                y, s0, s1, s2, s3 = _gmm2_r(below, d1, d2, sd1, sd2, s0, s1, s2, s3)
                a += y
                b += y * y
            out[r] = (b - a * a / n) / (n - 1)
    else:
        for r in range(m):
            k0 = a = b = 0.0
            for i in range(n):  # the first draw is the centre k0 (one inlined _draw_r)
                y, s0, s1, s2, s3 = _draw_r(code, par, s0, s1, s2, s3)
                if i == 0:
                    k0 = y
                else:
                    y -= k0
                    a += y
                    b += y * y
            out[r] = (b - a * a / n) / (n - 1)
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
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
def _sample_matrix_kernel(state, m, n, code, par):
    """An (m, n) array of draws of :func:`_draw_r` from the xoshiro ``state`` (advanced), row
    by row: the stream of :func:`_sample_var_kernel` for the same arguments."""
    out = np.empty((m, n))
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    for r in range(m):
        for i in range(n):
            out[r, i], s0, s1, s2, s3 = _draw_r(code, par, s0, s1, s2, s3)
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return out


def _matrix_sampler(law: Law):
    """``(f(gen, m, n) -> (m, n) draws, stream)`` for ``law``: the generator ``gen`` is a
    xoshiro state for the built-in laws and a PCG64 generator for a scipy law (the
    ``stream`` of :func:`~dropmc.simulations._core.run_chunks`)."""
    code, par = law_code(law)
    if code >= 0:
        return (lambda s, m, n: _sample_matrix_kernel(s, m, n, code, par)), "xoshiro"
    dist = law.dist
    return (lambda g, m, n: np.asarray(dist.rvs(size=(m, n), random_state=g), dtype=float),
            "pcg64")


def sample_matrix(law: Law, m: int, n: int, rng=None) -> np.ndarray:
    """An (m, n) array of i.i.d. draws from ``law`` on one stream (for small samples): the
    xoshiro stream of the first child of ``rng``'s SeedSequence for the built-in laws, the PCG64
    generator ``default_rng(rng)`` for a scipy law."""
    f, stream = _matrix_sampler(law)
    m = check_samples("m", m)
    n = check_samples("n", n, bytes_per_sample=8 * m)
    return f(chunk_states(rng, 1)[0] if stream == "xoshiro" else as_generator(rng), m, n)


def _check_law_n(law, n):
    code, par = law_code(law)
    n = check_samples("n", n, minimum=2)
    return code, par, n


def _chunk_sampler(law: Law, n: int):
    """``(f(gen, m) -> m sample variances, stream)`` for ``law`` and sample size ``n``; ``gen``
    is a chunk's generator of that ``stream`` (xoshiro for the built-in laws, PCG64 for scipy)."""
    code, par, n = _check_law_n(law, n)
    if code >= 0:
        return (lambda s, m: _sample_var_kernel(s, m, n, code, par)), "xoshiro"
    dist = law.dist
    return (lambda g, m: _rows_var_kernel(np.ascontiguousarray(
        dist.rvs(size=(m, n), random_state=g), dtype=float))), "pcg64"


def _chunked_stat(law, n, reps, rng, stat_fn, k, chunk_size=CHUNK, pairs=False,
                  min_chunks=MIN_BATCHES):
    """Run the sampler over chunks and reduce each chunk with ``stat_fn(vars) -> (k,)``.
    Returns (per-chunk stats (B, k), per-chunk sizes (B,), seed)."""
    f, stream = _chunk_sampler(law, n)
    reps = check_samples("reps", reps, minimum=64)
    ss = as_seed_sequence(rng)
    mult = 2 if pairs else 1

    def kern(g, m):
        v = f(g, mult * m)
        if pairs:
            v = v.reshape(m, 2)
        return np.asarray(stat_fn(v), dtype=float).reshape(k), m

    parts = run_chunks(kern, reps, ss, chunk_size=chunk_size, min_chunks=min_chunks,
                       stream=stream)
    stats_ = np.array([p[0] for p in parts])
    sizes = np.array([p[1] for p in parts], dtype=float)
    return stats_, sizes, seed_of(ss)


def _mean_estimate_from_chunks(stats_, sizes, seed):
    return function_estimate(lambda m: m[0], stats_, int(sizes.sum()), batch_sizes=sizes,
                             grad=lambda m: np.array([1.0]), seed=seed)


@njit(**JIT)
def _bn_error_kernel(state, m, n, code, par, mu, sigma):
    """Chunk means of T_var², T_mean², e² and T_var·T_mean for a fresh input ρ and a batch s:
    e = (ρ − μ_s)/σ_s − (ρ − μ)/σ = T_var + T_mean with T_var = (ρ − μ)(1/σ_s − 1/σ) (the part
    due to σ_s) and T_mean = (μ − μ_s)/σ_s (the part due to μ_s). Each replicate draws its
    batch, then ρ, with :func:`_draw_r` from the xoshiro ``state`` (advanced)."""
    acc = np.zeros(4)
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    for _ in range(m):
        # the batch's first draw k0 (its centre), its n − 1 others, then ρ: one call site of
        # the inlined _draw_r, not three (each copy costs seconds at the first compile)
        k0 = a = b = rho = 0.0
        for i in range(n + 1):
            y, s0, s1, s2, s3 = _draw_r(code, par, s0, s1, s2, s3)
            if i == 0:
                k0 = y
            elif i < n:
                y -= k0
                a += y
                b += y * y
            else:
                rho = y
        mean_s = k0 + a / n
        sd_s = math.sqrt(max((b - a * a / n) / (n - 1), 0.0))
        tv = (rho - mu) * (1.0 / sd_s - 1.0 / sigma)
        tm = (mu - mean_s) / sd_s
        acc[0] += tv * tv
        acc[1] += tm * tm
        acc[2] += (tv + tm) * (tv + tm)
        acc[3] += tv * tm
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return acc / m
