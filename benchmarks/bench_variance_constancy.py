"""Variance Constancy Loss samplers against plain numpy and the RNG-bound limit, in one run.

The anchor is the sample-variance sampler behind Eq. 1/4/6 and Theorem 3: ``reps`` unbiased
sample variances of samples of size n, in fixed chunks with one xoshiro256++ stream per chunk
(the in-kernel generator of ``simulations/_xoshiro.py``). The numpy baseline is the same
estimator vectorised (draw an (m, n) block per chunk from the chunk's PCG64 generator,
``var(axis=1, ddof=1)``); the RNG limit draws the kernel's numbers alone, from the same stream
and chunks. The three are timed interleaved, best of 7. The Figure 2 trainer (a linear unit
trained by SGD on Eq. 17 alone) is compared with a plain-numpy trainer and the RNG limit of
its draws from numpy's PCG64 stream, drawn in the kernel.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from benchmarks._timing import best_rates, xo_limit_normal, xo_limit_normal_uniform
from dropmc.simulations import variance_constancy as sim
from dropmc.simulations._core import JIT, run_chunks
from dropmc.simulations._pcg64 import pcg64_next_double, pcg64_next_normal, pcg64_state
from dropmc.theory.variance_constancy import Law


def _numpy_normal(n, reps, chunk):
    def kern(g, m):
        return g.standard_normal((m, n)).var(axis=1, ddof=1)
    return lambda: run_chunks(kern, reps, 0, chunk_size=chunk, min_chunks=32)


def _numpy_mixture(law, n, reps, chunk):
    p, m1, m2, s1, s2 = law.params

    def kern(g, m):
        first = g.random((m, n)) < p
        z = g.standard_normal((m, n))
        x = np.where(first, m1 + s1 * z, m2 + s2 * z)
        return x.var(axis=1, ddof=1)
    return lambda: run_chunks(kern, reps, 0, chunk_size=chunk, min_chunks=32)


def _row(name, law, n, reps, numpy_fn, limit_fn, note):
    kernel, numpy, limit = best_rates([
        (lambda: sim.sample_variances(law, n, reps, rng=0), reps),
        (numpy_fn, reps), (limit_fn, reps)])
    return {"name": name, "unit": "samples/s", "throughput": kernel, "numpy_throughput": numpy,
            "rng_limit_throughput": limit, "note": note}


def rows() -> list[dict]:
    out = []
    chunk = sim.CHUNK
    for n in (10, 100):
        reps = 4_000_000 // n * 4
        out.append(_row(f"variance_constancy sample variances (Eq. 1), normal, n={n}",
                        Law.normal(0.0, 1.0), n, reps, _numpy_normal(n, reps, chunk),
                        xo_limit_normal(reps, n, chunk, 32),
                        "numpy: g.standard_normal((m, n)).var(axis=1, ddof=1) per chunk; "
                        "limit: the n ziggurat normals per sample of the kernel's xoshiro "
                        "stream"))
    n = 10
    reps = 1_600_000
    law = Law.gmm2(0.3, -1.0, 2.0, 0.5, 1.0)
    out.append(_row(f"variance_constancy sample variances, two-Gaussian mixture, n={n}", law, n,
                    reps, _numpy_mixture(law, n, reps, chunk),
                    xo_limit_normal_uniform(reps, n, chunk, 32),
                    "a normal and a uniform per value (kernel, limit and numpy, which selects "
                    "the component with np.where)"))
    return out + [_fig2_trainer_row()]


# --- Figure 2: a linear unit trained by SGD on the VCL loss alone -----------------------------

_MU1, _MU2 = np.array([0.0, 0.0]), np.array([4.0, 4.0])
_SIGMA = np.array([[0.5, -0.25], [-0.25, 0.5]])


@njit(**JIT)
def _pcg_draws(state, rows):
    """The Figure 2 trainer's random numbers alone (two normals and a uniform per 2-D mixture
    draw), from the in-kernel PCG64 stream with its state in registers, as the kernel draws
    them."""
    hi, lo, ihi, ilo = state[0], state[1], state[2], state[3]
    acc = 0.0
    for _ in range(rows):
        a, hi, lo = pcg64_next_normal(hi, lo, ihi, ilo)
        b, hi, lo = pcg64_next_normal(hi, lo, ihi, ilo)
        u, hi, lo = pcg64_next_double(hi, lo, ihi, ilo)
        acc += a + b + u
    return acc


@njit(**JIT)
def _generator_draws(g, rows):
    """The same numbers through numba's ``Generator`` (a call through a function pointer per
    draw), as the previous trainer drew them."""
    acc = 0.0
    for _ in range(rows):
        acc += g.standard_normal() + g.standard_normal() + g.random()
    return acc


def _fig2_train_numpy(p, n, steps, seed, lr=0.01, clip=1.0):
    """The Figure 2 training in plain numpy (each step's 2n draws vectorised, np.cov for the
    sub-batch covariances, the clipped SGD step on θ and β)."""
    g = np.random.default_rng(seed)
    L = np.linalg.cholesky(_SIGMA)
    t = g.standard_normal(2)
    theta, beta = t / np.linalg.norm(t), 1.0
    for _ in range(steps):
        Z = g.standard_normal((2 * n, 2)) @ L.T
        X = np.where((g.random(2 * n) < p)[:, None], _MU1 + Z, _MU2 + Z)
        c1, c2 = np.cov(X[:n].T) @ theta, np.cov(X[n:].T) @ theta
        a, den = theta @ c1, theta @ c2 + beta
        r = 1.0 - a / den
        gr = -2.0 * r * (2.0 * c1 * den - 2.0 * a * c2) / (den * den)
        gb = 2.0 * r * a / (den * den)
        nrm = np.sqrt(gr @ gr + gb * gb)
        f = 1.0 if nrm <= clip else clip / nrm
        theta = theta - lr * f * gr
        beta = max(beta - lr * f * gb, 1e-6)
    return theta, beta


def _fig2_trainer_row() -> dict:
    """sim.train_vcl_unit on the Figure 2 mixture (n = 32, clipped SGD, β learned) against a
    plain-numpy trainer and the RNG limit of its draws, timed interleaved."""
    n, p = 32, 0.25
    steps, steps_np = 40_000, 4_000
    rows = (steps + 1) * 2 * n
    kernel, numpy, limit, generator = best_rates([
        (lambda: sim.train_vcl_unit(p, _MU1, _MU2, _SIGMA, _SIGMA, n=n, steps=steps, lr=0.01,
                                    clip=1.0, rng=0), steps),
        (lambda: _fig2_train_numpy(p, n, steps_np, 0), steps_np),
        (lambda: _pcg_draws(pcg64_state(np.random.default_rng(0)), rows), steps),
        (lambda: _generator_draws(np.random.default_rng(0), rows), steps)], repeats=5)
    return {
        "name": f"variance_constancy Figure 2 trainer (Eq. 17 alone), 2-D mixture, n={n}",
        "unit": "SGD steps/s", "throughput": kernel, "numpy_throughput": numpy,
        "rng_limit_throughput": limit,
        "note": f"{2 * n} mixture draws per step, each two normals and a uniform of numpy's "
                f"PCG64 stream (the recorded numbers' stream), drawn in the kernel "
                f"(simulations/_pcg64.py); limit: those draws alone; through numba's Generator, "
                f"as the previous kernel drew them, they alone run at {generator:.3g} steps/s; "
                f"beyond them each draw costs 3 divisions (the sub-batch covariances' terms, "
                f"kept as written for the recorded numbers); numpy: one step's draws "
                f"vectorised, np.cov",
    }


if __name__ == "__main__":  # pragma: no cover
    for r in rows():
        print(r)
