"""False-alarm rate of the z test of Eq. 1 (variance_constancy.eq1.var_sample_variance) under
true null cases, by simulation (issue 8, item 6).

For a law and a sample size n, the Eq. 1 estimator E[(σ² − σ_s²)²] of
:func:`dropmc.simulations.variance_constancy.estimate_var_sample_variance` is replicated with
independent seeds and each replicate's statistic z = (mean − Eq. 1)/SE (batch means over
MIN_BATCHES chunks) is recorded. The claim is true, so every |z| beyond a threshold is a false
alarm. Heavy-tailed laws (Student-t) make the estimator skewed: a replicate that misses the
rare large deviations has both a low mean and a low SE, so z is skewed to the left.

Usage: ``python tools/false_alarm_variance_constancy.py [replicates] [reps] [fast]`` prints,
per law
and n, the empirical P(|z| > c) for c = 2, 3, 4, 4.5 and for the judge's critical value (the
Student-t quantile with the tail probability of z* = 4.5 on B − 1 degrees of freedom), with the
nominal rates beside them.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
from scipy import stats

from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th
from dropmc.theory.variance_constancy import Law

THRESHOLDS = (2.0, 3.0, 4.0, 4.5)


def null_z(law: Law, n: int, reps: int, replicates: int, seed: int = 0) -> tuple[np.ndarray, int]:
    """z statistics of ``replicates`` independent Eq. 1 estimates (each from ``reps`` samples of
    size n) against the true value; returns (z, degrees of freedom of the SE)."""
    _, s2, m4 = th.central_moments(law)
    theory = th.var_sample_variance(m4, s2, n)
    root = np.random.SeedSequence(seed)
    zs = np.empty(replicates)
    dof = None
    for i, child in enumerate(root.spawn(replicates)):
        e = sim.estimate_var_sample_variance(law, n, reps, rng=child)
        zs[i] = (e.mean - theory) / e.se
        dof = e.dof
    return zs, int(dof)


def null_z_fast(law: Law, n: int, reps: int, replicates: int, seed: int = 0,
                batches: int = sim.MIN_BATCHES, block: int = 500) -> tuple[np.ndarray, int]:
    """The same statistic as :func:`null_z` (mean of (σ_s² − σ²)² over ``reps`` samples, SE
    from ``batches`` equal batch means), computed for many replicates at once from one long
    run of the sample-variance sampler (no per-replicate overhead). ``reps`` must be a
    multiple of ``batches``."""
    if reps % batches:
        raise ValueError(f"reps must be a multiple of batches ({batches}), got {reps}")
    _, s2, m4 = th.central_moments(law)
    theory = th.var_sample_variance(m4, s2, n)
    root = np.random.SeedSequence(seed)
    zs = []
    for k, child in enumerate(root.spawn(-(-replicates // block))):
        kk = min(block, replicates - k * block)
        v = sim.sample_variances(law, n, kk * reps, rng=child)
        M = ((v - s2) ** 2).reshape(kk, batches, reps // batches).mean(axis=2)
        zs.append((M.mean(axis=1) - theory) / (M.std(axis=1, ddof=1) / math.sqrt(batches)))
    return np.concatenate(zs), batches - 1


def rates(z: np.ndarray, dof: int) -> dict:
    """Empirical two-sided exceedance rates, with their nominal values (normal and t(dof))."""
    crit = float(stats.t.isf(stats.norm.sf(4.5), dof))
    out = {}
    for c in THRESHOLDS + (crit,):
        k = int(np.sum(np.abs(z) > c))
        out[c] = {"count": k, "rate": k / z.size, "nominal_normal": 2 * stats.norm.sf(c),
                  "nominal_t": 2 * stats.t.sf(c, dof),
                  # one-sided 95% upper confidence limit of the rate (exact binomial)
                  "upper95": float(stats.beta.ppf(0.95, k + 1, z.size - k))}
    return {"crit": crit, "left": int(np.sum(z < -crit)), "right": int(np.sum(z > crit)),
            "skew": float(stats.skew(z)), "rates": out}


def main(replicates: int = 20_000, reps: int = 8_192, fast: int = 1):
    laws = [Law.normal(), Law.student_t(9.0), Law.student_t(12.0), Law.student_t(17.0),
            Law.student_t(30.0)]
    print(f"{replicates} replicates of the Eq. 1 estimator, {reps} samples each")
    for law in laws:
        for n in (3, 10):
            t0 = time.time()
            f = null_z_fast if fast else null_z
            z, dof = f(law, n, reps, replicates, seed=n * 1000 + int(law.params[0]))
            r = rates(z, dof)
            cells = "  ".join(f"|z|>{c:.3g}: {v['rate']:.4f} (nom {v['nominal_t']:.1e}, "
                              f"≤{v['upper95']:.4f})" for c, v in r["rates"].items())
            print(f"{str(law):10s} n={n:3d} B-1={dof} skew(z)={r['skew']:+.2f} "
                  f"left/right beyond {r['crit']:.2f}: {r['left']}/{r['right']}  {cells}  "
                  f"[{time.time() - t0:.0f}s]", flush=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
