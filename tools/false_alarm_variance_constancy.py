"""False-alarm rate of the z test of Eq. 1 (variance_constancy.eq1.var_sample_variance) under
true null cases, by simulation (issue 8, item 6).

For a law and a sample size n, the Eq. 1 estimator E[(σ² − σ_s²)²] of
:func:`dropmc.simulations.variance_constancy.estimate_var_sample_variance` is replicated with
independent seeds and each replicate's statistic z = (mean − Eq. 1)/SE (batch means over
MIN_BATCHES chunks) is recorded. The claim is true, so every |z| beyond a threshold is a false
alarm. Heavy-tailed laws (Student-t) make the estimator skewed: a replicate that misses the
rare large deviations has both a low mean and a low SE, so z is skewed to the left.

Measured (issue 8; 32 768 samples, 128 batches, judge threshold = t₁₂₇ quantile 4.70 of the
z* = 4.5 tail; n = 3 is the most skewed case; ``≤`` one-sided 95% binomial upper limit)::

    law, n        replicates  |z|>2   |z|>3   |z|>4    |z|>4.5        |z|>4.70
    nominal t127              4.82%   0.33%   1.1e-4   1.5e-5         6.8e-6
    normal, 3     40 000      4.84%   0.35%   2.8e-4   2.5e-5         0 (≤7.5e-5)
    t(17), 3      40 000      4.88%   0.40%   2.3e-4   0 (≤7.5e-5)    0 (≤7.5e-5)
    t(17), 20     10 000      4.89%   0.32%   0        0              0 (≤3.0e-4)
    t(9), 3       20 000      6.39%   1.00%   1.8e-3   8.0e-4         5.5e-4 (all left tail)

Hence Eq. 1 draws Student-t laws with ν ≥ 17 only, and at least 32 768 samples per case.

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
