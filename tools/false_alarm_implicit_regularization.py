"""False-alarm rate of the η-moment z test of ``implicit_regularization.sec3_3.eta_moments``
under the true law (issue 8, item 6: rare events at p ≈ 0.993).

For ``--seeds`` independent streams at keep probability ``--p`` it draws the moments as the
claim does (known-variance SE, sample size from the rare-event rate) and, for comparison, the
old batch-means SE at the old quick budget (25 000 vectors); it prints the fraction of |z|
beyond 2, 3 and 4.5 per moment with the normal reference, and the exact normal-vs-Poisson
tail of the rare-pair count that dominates the cross moment.

    .venv/bin/python tools/false_alarm_implicit_regularization.py --seeds 400
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from scipy import stats

from dropmc.claims import Context
from dropmc.papers.implicit_regularization import eta_noise as cat
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th


def zs(p: float, seeds: int, n: int | None, known: bool, m: int = 8) -> dict:
    var = th.eta_moment_variances(p)
    theory = {"mean": 0.0, "second": th.eta_second_moment(p), "cross": 0.0,
              "third": th.eta_third_moment(p)}
    out = {k: [] for k in theory}
    for s in range(seeds):
        est = sim.estimate_eta_moments(p, m=m, n=n, rng=np.random.SeedSequence([s, 8]))
        for k, t in theory.items():
            cnt = n * (m - 1) if k == "cross" else n * m
            se = math.sqrt(var[k] / cnt) if known else est[k].se
            out[k].append((est[k].mean - t) / se)
    return {k: np.array(v) for k, v in out.items()}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--p", type=float, default=0.993)
    ap.add_argument("--seeds", type=int, default=400)
    a = ap.parse_args(argv)
    n_new = cat._eta_vectors(Context("x", 0, "quick"), a.p, 8)
    rows = [("known-variance SE, claim's sample size", n_new, True),
            ("batch-means SE (31 dof), old quick budget", 25_000, False)]
    ref = {t: 2 * stats.norm.sf(t) for t in (2, 3, 4.5)}
    print(f"p = {a.p}, {a.seeds} seeds; normal reference: "
          + ", ".join(f"P(|z|>{t}) = {v:.2g}" for t, v in ref.items()))
    for name, n, known in rows:
        z = zs(a.p, a.seeds, n, known)
        print(f"\n{name}: {n} vectors of 8")
        for k, v in z.items():
            print(f"  {k:7s} " + ", ".join(f"|z|>{t}: {np.mean(np.abs(v) > t):.4f}"
                                           for t in ref) + f"; max |z| = {np.abs(v).max():.2f}")
    # E η, E η², E η³ are affine in the count of the atom −1, Binomial(8n, 1 − p): exact tails
    N, q = n_new * 8, 1.0 - a.p
    mu, sd = N * q, math.sqrt(N * q * a.p)
    print("\nexact (binomial count of the atom −1) for E η, E η², E η³ at the claim's size: "
          + ", ".join(f"P(|z|>{t}) = {stats.binom.sf(math.ceil(mu + t * sd) - 1, N, q) + stats.binom.cdf(math.floor(mu - t * sd), N, q):.3g}"
                      for t in ref))
    lam = cat.ETA_RARE_COUNT
    for lam_ in (lam, 8.6):
        hi = lam_ + 4.5 * math.sqrt(lam_)
        print(f"\nPoisson({lam_:g}) rare-pair count: P(N ≥ λ + 4.5√λ) = "
              f"{stats.poisson.sf(math.ceil(hi) - 1, lam_):.2g} (normal {stats.norm.sf(4.5):.2g})")


if __name__ == "__main__":
    main()
