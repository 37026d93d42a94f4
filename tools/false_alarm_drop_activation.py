"""False-alarm rates of the Drop-Activation Monte Carlo tests under true null cases, by
simulation (issue 8, item 6).

Three estimators whose expectation is known exactly are replicated with independent seeds, and
each replicate's statistic z = (estimate − truth)/SE is recorded; the claim is true, so every
|z| beyond the judge's critical value is a false alarm:

* ``shift_ratio`` — Var(X_test)/Var(X_train) of :func:`estimate_x_moments` (Eq. 15; a ratio,
  delta-method SE over batch means, Student-t on B − 1 = 31 degrees of freedom);
* ``var_train`` — Var(X_train) (Section 7.1; batch means of chunk variances);
* ``loss`` — the averaged loss (9) of :func:`estimate_dropact_loss` against its exact
  enumeration (i.i.d. draws, normal SE), at p = 0.95 (geometric skipping, skewed loss) and
  p = 0.5.

Usage: ``python tools/false_alarm_drop_activation.py [replicates]`` prints, per estimator, the
empirical P(|z| > c) for c = 2, 3, 4 and the judge's critical value, the nominal rates beside
them, and a one-sided 95% upper confidence limit of each rate.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from scipy import stats

from dropmc.simulations import drop_activation as sim
from dropmc.theory import drop_activation as th

THRESHOLDS = (2.0, 3.0, 4.0)
Z_STAR = 4.5


def _x_moment_z(key: str, p: float, d: int, n: int, replicates: int, seed: int):
    w = np.random.default_rng(seed).normal(size=d) + 0.3
    truth = {"shift_ratio": th.shift_ratio(p), "var_train": th.var_x_train(w, p)}[key]
    zs, dof = np.empty(replicates), None
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(replicates)):
        e = sim.estimate_x_moments(w, p, n=n, rng=child)[key]
        zs[i] = e.z(truth)
        dof = e.dof
    return zs, dof


def _loss_z(p: float, n: int, replicates: int, seed: int):
    g = np.random.default_rng(seed)
    W1, W2, X, Y = g.normal(size=(10, 3)), g.normal(size=(2, 10)), g.normal(size=(3, 3)), g.normal(size=(3, 2))
    truth = sim.exact_dropact_loss(W1, W2, X, Y, p).mean
    zs = np.empty(replicates)
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(replicates)):
        zs[i] = sim.estimate_dropact_loss(W1, W2, X, Y, p, n=n, rng=child).z(truth)
    return zs, None


def rates(z: np.ndarray, dof) -> dict:
    crit = Z_STAR if dof is None else float(stats.t.isf(stats.norm.sf(Z_STAR), dof))
    out = {}
    for c in THRESHOLDS + (crit,):
        k = int(np.sum(np.abs(z) > c))
        out[c] = {"count": k, "rate": k / z.size,
                  "nominal": 2 * (stats.norm.sf(c) if dof is None else stats.t.sf(c, dof)),
                  "upper95": float(stats.beta.ppf(0.95, k + 1, z.size - k))}
    return {"crit": crit, "skew": float(stats.skew(z)), "rates": out}


def main(replicates: int = 2000) -> None:
    runs = {
        "shift_ratio p=0.95 d=16 n=20k": lambda: _x_moment_z("shift_ratio", 0.95, 16, 20_000, replicates, 1),
        "shift_ratio p=0.3 d=16 n=20k": lambda: _x_moment_z("shift_ratio", 0.3, 16, 20_000, replicates, 2),
        "var_train p=0.7 d=16 n=20k": lambda: _x_moment_z("var_train", 0.7, 16, 20_000, replicates, 3),
        "loss p=0.95 n=2k": lambda: _loss_z(0.95, 2_000, replicates, 4),
        "loss p=0.5 n=2k": lambda: _loss_z(0.5, 2_000, replicates, 5),
    }
    for name, fn in runs.items():
        t0 = time.perf_counter()
        z, dof = fn()
        r = rates(z, dof)
        cells = "  ".join(f"|z|>{c:.2f}: {v['rate']:.4f} (nominal {v['nominal']:.1e}, ≤ {v['upper95']:.4f})"
                          for c, v in r["rates"].items())
        print(f"{name}: {z.size} replicates, skew {r['skew']:+.2f}, critical {r['crit']:.2f}; {cells} "
              f"[{time.perf_counter() - t0:.0f} s]", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
