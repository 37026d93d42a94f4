"""Variance Constancy Loss samplers against plain numpy and the RNG-bound limit, in one run.

The anchor is the sample-variance sampler behind Eq. 1/4/6 and Theorem 3: ``reps`` unbiased
sample variances of samples of size n, in fixed chunks with one xoshiro256++ stream per chunk
(the in-kernel generator of ``simulations/_xoshiro.py``). The numpy baseline is the same
estimator vectorised (draw an (m, n) block per chunk from the chunk's PCG64 generator,
``var(axis=1, ddof=1)``); the RNG limit draws the kernel's numbers alone, from the same stream
and chunks. The three are timed interleaved, best of 7.
"""

from __future__ import annotations

import numpy as np

from benchmarks._timing import best_rates, xo_limit_normal, xo_limit_normal_uniform
from dropmc.simulations import variance_constancy as sim
from dropmc.simulations._core import run_chunks
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
    return out


if __name__ == "__main__":  # pragma: no cover
    for r in rows():
        print(r)
