"""Turn the two sides of a claim into a :class:`CaseResult` (the statistics policy).

* :func:`identity` — exact estimates (enumeration, closed form; SE = 0) are compared with a
  relative tolerance of 1e-10; Monte Carlo estimates by a two-sided z-test at z*. Optionally a
  target resolution makes an underpowered check INCONCLUSIVE rather than CONFIRMED.
* :func:`upper_bound` / :func:`lower_bound` — one-sided z-tests of an expectation or a
  probability against a bound.
* :func:`approximation` — measured absolute and relative error (APPROXIMATE), never a pass.
* :func:`counterexample_search` — hypothesis looks for an input violating a predicate; the
  shrunk counterexample is returned verbatim.
* :func:`printed_value` — a printed decimal against the computed value, to the printed digits.
* :func:`loglog_slope` — the order of an approximation error.
"""

from __future__ import annotations

import math
import random
from typing import Callable

import numpy as np

from dropmc.claims import EXACT_RTOL, CaseResult, Context, Verdict
from dropmc.estimate import Estimate


def _scale(*xs) -> float:
    return max([1.0] + [abs(float(x)) for x in xs if x is not None])


def identity(params: dict, theory: float, estimate: Estimate, ctx: Context, *,
             rtol: float = EXACT_RTOL, atol: float | None = None,
             target_resolution: float | None = None, detail: str = "") -> CaseResult:
    """Decide ``E[estimate] == theory``.

    Exact estimates: |Δ| ≤ rtol · max(1, |theory|, |estimate|) (or ``atol`` when given).
    Monte Carlo: |z| ≤ z*; ``target_resolution`` (absolute) turns a wider z*·SE into
    INCONCLUSIVE, with the budget that would decide it in the detail.
    """
    theory = float(theory)
    if not math.isfinite(theory) or not math.isfinite(estimate.mean):
        return CaseResult(params, Verdict.REFUTED, theory, estimate, None, None,
                          f"non-finite value: theory {theory}, estimate {estimate.mean}")
    if estimate.se == 0.0:
        tol = atol if atol is not None else rtol * _scale(theory, estimate.mean)
        diff = estimate.mean - theory
        ok = abs(diff) <= tol
        return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, theory, estimate,
                          None, tol,
                          detail or (f"{estimate.method} {estimate.mean:.10g} vs claimed {theory:.10g}: "
                                     f"|Δ| = {abs(diff):.3g} {'≤' if ok else '>'} tol {tol:.1g}"))
    z = estimate.z(theory)
    res = ctx.z_star * estimate.se
    if abs(z) > ctx.z_star:
        return CaseResult(params, Verdict.REFUTED, theory, estimate, z, res,
                          detail or f"estimate {estimate.mean:.6g} ± {estimate.se:.2g} vs theory "
                                    f"{theory:.6g}: z = {z:.2f} (n = {estimate.n})")
    if target_resolution is not None and res > target_resolution:
        need = int(math.ceil(estimate.n * (res / target_resolution) ** 2))
        return CaseResult(params, Verdict.INCONCLUSIVE, theory, estimate, z, res,
                          f"resolution ±{res:.3g} wider than the target ±{target_resolution:.3g}; "
                          f"about {need} samples would decide it")
    return CaseResult(params, Verdict.CONFIRMED, theory, estimate, z, res, detail)


def exact(params: dict, theory, value, *, rtol: float = EXACT_RTOL, atol: float = 0.0,
          method: str = "closed_form", n: int = 1, detail: str = "") -> CaseResult:
    """Deterministic comparison of arrays or scalars (an algebraic step checked numerically)."""
    t = np.asarray(theory, dtype=float)
    v = np.asarray(value, dtype=float)
    if t.shape != v.shape:
        return CaseResult(params, Verdict.REFUTED, None, None, None, None,
                          f"shapes differ: {t.shape} vs {v.shape}")
    scale = max(1.0, float(np.max(np.abs(t))) if t.size else 1.0)
    err = float(np.max(np.abs(t - v))) if t.size else 0.0
    tol = rtol * scale + atol
    ok = err <= tol and bool(np.all(np.isfinite(v)))
    est = Estimate(float(v.ravel()[0]) if v.size == 1 else err, 0.0, n, method)
    th = float(t.ravel()[0]) if t.size == 1 else 0.0
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                      th if t.size == 1 else None, est, None, tol,
                      detail or f"max |Δ| = {err:.3g} {'≤' if ok else '>'} tol {tol:.1g}"
                                + ("" if t.size == 1 else f" over {t.size} entries"))


def upper_bound(params: dict, bound: float, estimate: Estimate, ctx: Context,
                detail: str = "") -> CaseResult:
    """One-sided test of ``E ≤ bound``: REFUTED when (estimate − bound)/SE > z*."""
    return _one_sided(params, bound, estimate, ctx, +1, detail)


def lower_bound(params: dict, bound: float, estimate: Estimate, ctx: Context,
                detail: str = "") -> CaseResult:
    """One-sided test of ``E ≥ bound``: REFUTED when (bound − estimate)/SE > z*."""
    return _one_sided(params, bound, estimate, ctx, -1, detail)


def _one_sided(params, bound, estimate, ctx, sign, detail):
    bound = float(bound)
    diff = sign * (estimate.mean - bound)
    if estimate.se == 0.0:
        tol = EXACT_RTOL * _scale(bound, estimate.mean)
        ok = diff <= tol
        z = None
    else:
        z = diff / estimate.se
        ok = z <= ctx.z_star
    rel = "≤" if sign > 0 else "≥"
    d = detail or (f"{estimate.mean:.6g} ± {estimate.se:.2g} {rel} {bound:.6g}" if ok else
                   f"violated: {estimate.mean:.6g} ± {estimate.se:.2g} vs bound {bound:.6g}"
                   + (f" (one-sided z = {z:.2f})" if z is not None else ""))
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, bound, estimate,
                      z, ctx.z_star * estimate.se if estimate.se else None, d, one_sided=True)


def approximation(params: dict, exact_value: float, approx_value: float,
                  estimate: Estimate | None = None, detail: str = "") -> CaseResult:
    """Measured error of an approximation (verdict APPROXIMATE)."""
    e, a = float(exact_value), float(approx_value)
    abs_err = abs(a - e)
    rel_err = abs_err / abs(e) if e != 0 else math.inf
    return CaseResult(params, Verdict.APPROXIMATE, e, estimate, None, None, detail,
                      {"abs": abs_err, "rel": rel_err, "approx": a, "exact": e})


def printed_value(params: dict, printed: str, computed: float, estimate: Estimate | None = None,
                  detail: str = "") -> CaseResult:
    """Does the printed decimal (e.g. ``"0.9377"``) equal ``computed`` rounded to its digits?"""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    half_ulp = 0.5 * 10.0 ** (-decimals)
    diff = float(computed) - float(printed)
    ok = abs(diff) <= half_ulp * (1 + 1e-9)
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, float(printed),
                      estimate or Estimate(float(computed), 0.0, 1, "closed_form"), None, half_ulp,
                      detail or f"computed {computed:.8g}; printed {printed} "
                                f"({'agrees' if ok else 'disagrees'} to ±{half_ulp:g})")


def counterexample_search(predicate: Callable[..., bool], strategy, ctx: Context, *,
                          max_examples: int | None = None):
    """Search with hypothesis for an input where ``predicate`` is False.

    Returns ``(counterexample, n_examples)``; the counterexample is shrunk by hypothesis and
    is None when none was found. Deterministic for a given context seed.
    """
    from hypothesis import HealthCheck, find, settings
    from hypothesis.errors import NoSuchExample

    n = max_examples or ctx.search_examples
    seen = [0]

    def violated(x):
        seen[0] += 1
        try:
            return not predicate(x)
        except (ValueError, ZeroDivisionError, FloatingPointError, OverflowError):
            return False

    rnd = random.Random(int(ctx.stream().generate_state(1)[0]))
    try:
        ce = find(strategy, violated,
                  settings=settings(max_examples=n, database=None, deadline=None,
                                    suppress_health_check=list(HealthCheck)),
                  random=rnd)
    except NoSuchExample:
        return None, seen[0]
    return ce, seen[0]


def loglog_slope(x, y) -> tuple[float, float]:
    """Least-squares slope of log y against log x, and its standard error."""
    lx = np.log(np.asarray(x, dtype=float))
    ly = np.log(np.asarray(y, dtype=float))
    if lx.size < 3:
        raise ValueError(f"need at least 3 points for a slope with an SE, got {lx.size}")
    A = np.vstack([lx, np.ones_like(lx)]).T
    coef, res, *_ = np.linalg.lstsq(A, ly, rcond=None)
    resid = ly - A @ coef
    s2 = float(resid @ resid) / (lx.size - 2)
    cov = s2 * np.linalg.inv(A.T @ A)
    return float(coef[0]), float(math.sqrt(max(cov[0, 0], 0.0)))


def identity_many(params: dict, theory, mean, se, n: int, ctx: Context, *, method: str,
                  seed=None, rtol: float = EXACT_RTOL, detail: str = "") -> CaseResult:
    """Decide a vector identity ``E[mean_j] == theory_j`` for all j at once, for estimates
    of *independent* coordinates (e.g. each from its own draws); correlated coordinates need
    scalar projections instead.

    Coordinates with SE 0 must agree to ``rtol``; the others are combined into one χ² statistic
    Σ z_j² on (number of coordinates) degrees of freedom, turned into a one-sided z-score
    (Φ⁻¹ of its upper-tail probability), so the family of coordinates is tested at z* once
    rather than once per coordinate. The detail names the worst coordinate.
    """
    from scipy import stats

    t = np.asarray(theory, dtype=float).ravel()
    m = np.asarray(mean, dtype=float).ravel()
    s = np.asarray(se, dtype=float).ravel()
    det = s == 0
    scale = _scale(*(t[det].tolist() or [1.0]))
    exact_err = float(np.max(np.abs(m[det] - t[det]))) if det.any() else 0.0
    if exact_err > rtol * scale:
        j = int(np.flatnonzero(det)[np.argmax(np.abs(m[det] - t[det]))])
        return CaseResult(params, Verdict.REFUTED, float(t[j]), Estimate(float(m[j]), 0.0, n, method, seed),
                          None, rtol * scale, f"deterministic coordinate {j}: {m[j]!r} ≠ {t[j]!r}")
    if not (~det).any():
        return CaseResult(params, Verdict.CONFIRMED, None, Estimate(exact_err, 0.0, n, method, seed),
                          None, rtol * scale, detail or f"all {t.size} coordinates exact (max |Δ| {exact_err:.2g})")
    z = (m[~det] - t[~det]) / s[~det]
    chi2 = float(np.sum(z * z))
    k = z.size
    z_comb = float(stats.norm.isf(stats.chi2.sf(chi2, k)))
    # a single wild coordinate is diluted in χ²: also test max |z| at the same family-wise
    # level (Bonferroni over the k coordinates)
    alpha = 2.0 * stats.norm.sf(ctx.z_star)
    z_max_allowed = float(stats.norm.isf(alpha / (2.0 * k)))
    worst = int(np.argmax(np.abs(z)))
    res = ctx.z_star * float(np.max(s[~det]))
    est = Estimate(chi2, math.sqrt(2.0 * k), n, method, seed, {"coordinates": k, "dof": k})
    txt = (f"χ² = {chi2:.1f} on {k} coordinates (combined z = {z_comb:.2f}); worst coordinate "
           f"z = {z[worst]:.2f} (allowed {z_max_allowed:.2f}); max SE {np.max(s[~det]):.2g}")
    ok = z_comb <= ctx.z_star and abs(z[worst]) <= z_max_allowed
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, None, est,
                      z_comb, res, detail or txt)
