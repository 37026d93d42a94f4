"""False-alarm calibration: how often the tests reject a true statement.

A two-sided test at z* = 4.5 promises a false-alarm rate of 2·Φ(−4.5) ≈ 6.8e-6 per check
*if* the statistic is normal (or Student-t with the degrees of freedom the judge uses). Heavy-
tailed or skewed estimators (sample variances of Student-t laws, rare Bernoulli events) make
the real rate larger. This module measures it: it re-runs claims that are true (CONFIRMED in
the reference run, so every Monte Carlo identity case in them is a true null) over many seeds,
turns every two-sided Monte Carlo statistic into its p-value under the law the judge assumed
(normal, or t with the case's ``dof``), and counts how often p falls below α for several α.
Under a calibrated test the rate equals α; the ratio observed/nominal is the inflation.

``tools/false_alarm.py`` runs it and writes ``benchmarks/false_alarm.md``; the README's
statistics policy quotes the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from dropmc.claims import Claim, Verdict

#: the α levels at which the observed rate is compared with the nominal one
ALPHAS = (0.05, 0.01, 1e-3, 1e-4)


@dataclass
class Calibration:
    """Observed two-sided p-values of true-null Monte Carlo statistics."""

    pvalues: list[float] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    seeds: int = 0
    precision: str = "quick"
    refuted_runs: list[tuple[str, int]] = field(default_factory=list)
    claim_runs: int = 0

    @property
    def n(self) -> int:
        return len(self.pvalues)

    def rate(self, alpha: float) -> tuple[int, float, float]:
        """(count, observed rate, one-sided 95% upper limit) of p < α."""
        k = sum(p < alpha for p in self.pvalues)
        return k, k / max(self.n, 1), _upper_95(k, self.n)

    def table(self) -> str:
        lines = ["| α (nominal two-sided rate) | normal quantile | observed | rate | 95% upper limit | "
                 "observed / nominal |", "|---|---|---|---|---|---|"]
        from scipy import stats

        for a in ALPHAS:
            k, r, up = self.rate(a)
            lines.append(f"| {a:g} | {stats.norm.isf(a / 2):.2f} | {k} of {self.n} | "
                         f"{r:.2g} | {up:.2g} | {r / a:.2f} |")
        return "\n".join(lines)


def _upper_95(k: int, n: int) -> float:
    """Clopper–Pearson one-sided 95% upper limit of a binomial rate."""
    if n == 0:
        return 1.0
    if k >= n:
        return 1.0
    from scipy import stats

    return float(stats.beta.ppf(0.95, k + 1, n - k))


def pvalue(z: float, dof) -> float:
    """Two-sided p-value of a statistic under the law the judge assumed."""
    from scipy import stats

    if dof is None or dof == "nan" or not math.isfinite(float(dof)) or float(dof) > 1e6:
        return float(2 * stats.norm.sf(abs(z)))
    return float(2 * stats.t.sf(abs(z), float(dof)))


def collect(claims: list[Claim], seeds, precision: str = "quick", progress=None) -> Calibration:
    """Evaluate ``claims`` (true statements) for every seed and gather the p-values of their
    two-sided Monte Carlo identity statistics. A claim that comes out REFUTED at some seed
    is a false alarm of the whole claim and is recorded in ``refuted_runs``."""
    from dropmc.runner import evaluate

    cal = Calibration(seeds=len(list(seeds)), precision=precision)
    for seed in seeds:
        for c in claims:
            r = evaluate(c, seed=seed, precision=precision)
            cal.claim_runs += 1
            if r.verdict is Verdict.REFUTED:
                cal.refuted_runs.append((c.id, seed))
            for case in r.cases:
                est = case.estimate
                if (case.role != "evidence" or case.one_sided or case.z is None or est is None
                        or est.method != "monte_carlo" or not est.se > 0
                        or "coordinates" in case.params):
                    continue
                cal.pvalues.append(pvalue(case.z, est.dof))
                cal.sources.append(c.id)
            if progress is not None:
                progress(c.id, seed)
    return cal
