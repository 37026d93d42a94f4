"""Turn the two sides of a claim into a :class:`CaseResult` (the statistics policy).

* :func:`identity` — exact estimates (enumeration, closed form; SE = 0) are compared with a
  relative tolerance of 1e-10 *of the size of the terms* (never floored at 1: pass ``scale``
  when the compared value is a difference of larger terms, or 0); Monte Carlo estimates by a
  two-sided test at z* (the Student-t quantile of the same tail probability when the SE comes
  from few batches, :meth:`Context.critical`). A target resolution makes an underpowered
  check INCONCLUSIVE rather than CONFIRMED.
* :func:`identity_family` — many correlated Monte Carlo coordinates, max-|z| with Bonferroni.
* :func:`upper_bound` / :func:`lower_bound` — one-sided tests of an expectation or a
  probability against a bound; a probability bound that cannot fail (≥ 1 from above, ≤ 0 from
  below) is *vacuous*: counted apart, never evidence.
* :func:`exceeds` / :func:`less_than` — a strict comparison (one quantity larger than
  another) decided both ways: CONFIRMED or REFUTED only when significant, INCONCLUSIVE
  between.
* :func:`approximation` — the measured error of an approximation, judged against an accuracy
  the paper states (``max_rel``/``max_abs``) or reported as a measurement only.
* :func:`order` — the order of an approximation error as a parameter goes to its limit; can
  be REFUTED.
* :func:`counterexample_search` / :func:`search_case` — hypothesis looks for an input
  violating a predicate; evaluated and rejected examples are counted, and a search that
  evaluated too few examples is INCONCLUSIVE.
* :func:`printed_value` — a printed decimal against the computed value, to the printed digits
  (a truncation is accepted as well as a rounding).
* :func:`loglog_slope` — least-squares slope and its SE.

Every judge has one signature, ``judge(params, theory, evidence, *, ctx=None, ...)``: the
case's parameters, the theory side (the closed form, the bound, the approximation, the
computed value of a printed number, the predicate of a search) and the evidence (an
:class:`Estimate`, an exact value, the printed text, the search strategy); everything else is
keyword-only. ``ctx`` defaults to the context of the claim being evaluated
(:func:`dropmc.claims.current_context`). :func:`holds` decides a predicate a claim computed
itself, so that no claim builds a :class:`CaseResult` or picks a verdict.

Every judge passes the theory side through the context's perturbation hooks
(:meth:`Context.perturb`, :meth:`Context.tighten`), which is how the runner measures a
claim's *power*: the smallest relative error of the theory side its evidence would refute.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import math
import random
from dataclasses import dataclass
from typing import Callable

import numpy as np

from dropmc.claims import EXACT_RTOL, CaseResult, Context, Judged, Verdict, current_context
from dropmc.estimate import Estimate

#: exceptions a predicate may raise for an input outside its domain; such an example is
#: *rejected* (counted apart), never counted as one where the claim holds
REJECTED_EXCEPTIONS = (ValueError, ZeroDivisionError, FloatingPointError, OverflowError)

#: a search must evaluate at least this fraction of the examples it was asked for
MIN_EVALUATED_FRACTION = 0.5


def _recorded(judge: Callable | None = None, *, in_place: bool = False) -> Callable:
    """Record each call of ``judge`` on its context (:attr:`Context.judged`): the case, its
    verdict and the arguments, from which :func:`dropmc.runner.power` re-decides the case at
    a perturbed δ without evaluating the claim again. ``in_place`` marks a judge that calls
    back into the claim's code (a search's predicate, a predicate passed to :func:`holds`):
    it is re-run in the claim's own context, moved to δ (:class:`dropmc.claims.Judged`).
    Hooks reached inside a judge count as the judge's own; a judge called inside another is
    not recorded apart."""
    if judge is None:
        return functools.partial(_recorded, in_place=in_place)

    @functools.wraps(judge)
    def recorded(*args, ctx: Context | None = None, **kwargs):
        c = _ctx(ctx)
        if c._judging:
            return judge(*args, ctx=c, **kwargs)
        spawned, searched = c._spawned, len(c.searches)
        c._judging += 1
        try:
            case = judge(*args, ctx=c, **kwargs)
        finally:
            c._judging -= 1
        examples = [s.examples for s in c.searches[searched:]]
        replay = None if any(e is None for e in examples) else examples
        c.judged.append(Judged(case, case.verdict, judge, args, kwargs, c, spawned, in_place,
                               replay))
        return case

    return recorded


def _ctx(ctx: Context | None) -> Context:
    """The explicit context, else the one being evaluated (a neutral one outside)."""
    return ctx if ctx is not None else current_context()


def _size(*xs, scale=None) -> float:
    """The size of the terms compared: max |x| (and ``scale``), not floored at 1."""
    vals = [abs(float(x)) for x in xs if x is not None and math.isfinite(float(x))]
    if scale is not None:
        vals.append(abs(float(scale)))
    return max(vals) if vals else 0.0


@_recorded
def identity(params: dict, theory: float, estimate: Estimate, *, ctx: Context | None = None,
             rtol: float = EXACT_RTOL, atol: float | None = None, scale: float | None = None,
             target_resolution: float | None = None, detail: str = "") -> CaseResult:
    """Decide ``E[estimate] == theory``.

    Exact estimates: |Δ| ≤ rtol · max(|theory|, |estimate|, scale) (+ ``atol`` when given).
    ``scale`` is the size of the terms the compared values are built from: pass it whenever
    the value is a difference of larger terms (or 0), so the tolerance is relative to what
    floating point can resolve. Monte Carlo: |z| ≤ the critical value (z*, or the t quantile
    for a batch-means SE); ``target_resolution`` (absolute) turns a wider resolution into
    INCONCLUSIVE, with the budget that would decide it in the detail.
    """
    ctx = _ctx(ctx)
    theory0 = float(theory)
    theory = float(ctx.perturb(theory0, scale))
    if not math.isfinite(theory) or not math.isfinite(estimate.mean):
        return CaseResult(params, Verdict.REFUTED, theory=theory, estimate=estimate,
                          detail=f"non-finite value: theory {theory}, estimate {estimate.mean}")
    if estimate.se == 0.0:
        tol = rtol * _size(theory0, estimate.mean, scale=scale) + (atol or 0.0)
        diff = estimate.mean - theory
        ok = abs(diff) <= tol
        if not ok and estimate.method == "monte_carlo":
            # draws without spread that disagree: a rare outcome may not have been drawn
            return _degenerate(params, theory, estimate)
        return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, theory=theory,
                          estimate=estimate, resolution=tol,
                          detail=(detail if ok and detail else "")
                          or (f"{estimate.method} {estimate.mean:.10g} vs claimed {theory:.10g}: "
                              f"|Δ| = {abs(diff):.3g} {'≤' if ok else '>'} tol {tol:.1g}"))
    z = estimate.z(theory)
    crit = ctx.critical(estimate.dof)
    res = crit * estimate.se
    stat = "z" if crit == ctx.z_star else f"t({estimate.dof:g})"
    # no Monte Carlo check resolves below floating-point rounding: a statistic whose draws are
    # constant up to rounding (SE ~ 1e-17) agrees when the difference is at the exact
    # tolerance, however large the z of two rounding errors
    rounding = EXACT_RTOL * _size(theory0, estimate.mean, scale=scale)
    if abs(z) > crit and abs(estimate.mean - theory) <= rounding:
        return CaseResult(params, Verdict.CONFIRMED, theory=theory, estimate=estimate,
                          resolution=rounding,
                          detail=f"draws constant up to rounding (SE {estimate.se:.2g}); "
                          f"|Δ| = {abs(estimate.mean - theory):.2g} ≤ tol {rounding:.1g}")
    if abs(z) > crit:
        return CaseResult(params, Verdict.REFUTED, theory=theory, estimate=estimate, z=z,
                          resolution=res,
                          detail=f"estimate {estimate.mean:.6g} ± {estimate.se:.2g} vs theory "
                          f"{theory:.6g}: {stat} = {z:.2f} beyond ±{crit:.2f} (n = {estimate.n})"
                          + (f"; {detail}" if detail else ""))
    if target_resolution is not None and res > target_resolution:
        need = int(math.ceil(estimate.n * (res / target_resolution) ** 2))
        return CaseResult(params, Verdict.INCONCLUSIVE, theory=theory, estimate=estimate, z=z,
                          resolution=res,
                          detail=f"resolution ±{res:.3g} wider than the target "
                                 f"±{target_resolution:.3g}; about {need} samples would decide it")
    return CaseResult(params, Verdict.CONFIRMED, theory=theory, estimate=estimate, z=z,
                      resolution=res, detail=detail)


def _degenerate(params, theory, estimate, one_sided=False) -> CaseResult:
    """Monte Carlo draws without spread (SE 0) that disagree with the theory side cannot refute
    it: a rare outcome may not have been drawn. The case decides nothing; a larger budget
    would. (Draws without spread that agree exactly, as for a quantity that is constant under
    the law, are compared as exact.)"""
    return CaseResult(params, Verdict.INCONCLUSIVE, theory=theory, estimate=estimate,
                      detail=f"Monte Carlo samples without spread (SE 0 from {estimate.n} "
                             f"draws, all {estimate.mean:.6g}): a rare outcome was not drawn; a larger budget "
                      "would decide it",
                      one_sided=one_sided)


@_recorded
def exact(params: dict, theory, value, *, rtol: float = EXACT_RTOL, atol: float = 0.0,
          scale: float | None = None, method: str = "closed_form", n: int = 1,
          detail: str = "", ctx: Context | None = None) -> CaseResult:
    """Deterministic comparison of arrays or scalars (an algebraic step checked numerically).

    Tolerance ``rtol · max(max|theory|, max|value|, scale) + atol``: relative to the size of
    the terms, not floored at 1; pass ``scale`` (the size of the terms a difference is built
    from) when the compared values are differences or zeros.
    """
    ctx = _ctx(ctx)
    t0 = np.asarray(theory, dtype=float)
    v = np.asarray(value, dtype=float)
    if t0.shape != v.shape:
        return CaseResult(params, Verdict.REFUTED,
                          detail=f"shapes differ: {t0.shape} vs {v.shape}")
    t = np.asarray(ctx.perturb(t0, scale), dtype=float)
    size = max(float(np.max(np.abs(t0[np.isfinite(t0)]))) if np.isfinite(t0).any() else 0.0,
               float(np.max(np.abs(v[np.isfinite(v)]))) if np.isfinite(v).any() else 0.0,
               abs(float(scale)) if scale is not None else 0.0)
    err = float(np.max(np.abs(t - v))) if t.size else 0.0
    tol = rtol * size + atol
    ok = err <= tol and bool(np.all(np.isfinite(v))) and bool(np.all(np.isfinite(t)))
    est = Estimate(float(v.ravel()[0]) if v.size == 1 else err, 0.0, n, method)
    th = float(t.ravel()[0]) if t.size == 1 else None
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, theory=th,
                      estimate=est, resolution=tol, detail=(detail if ok and detail else "")
                      or (f"max |Δ| = {err:.3g} {'≤' if ok else '>'} tol {tol:.1g}"
                          + ("" if t.size == 1 else f" over {t.size} entries")
                          + (f"; {detail}" if detail and not ok else "")))


@_recorded
def upper_bound(params: dict, bound: float, estimate: Estimate, *, ctx: Context | None = None,
                detail: str = "", probability: bool = False,
                scale: float | None = None) -> CaseResult:
    """One-sided test of ``E ≤ bound``: REFUTED when (estimate − bound)/SE exceeds the critical
    value. With ``probability=True`` a bound ≥ 1 is vacuous (counted apart, not evidence)."""
    return _one_sided(params, bound, estimate, _ctx(ctx), +1, detail, probability, scale)


@_recorded
def lower_bound(params: dict, bound: float, estimate: Estimate, *, ctx: Context | None = None,
                detail: str = "", probability: bool = False,
                scale: float | None = None) -> CaseResult:
    """One-sided test of ``E ≥ bound``: REFUTED when (bound − estimate)/SE exceeds the critical
    value. With ``probability=True`` a bound ≤ 0 is vacuous (counted apart, not evidence)."""
    return _one_sided(params, bound, estimate, _ctx(ctx), -1, detail, probability, scale)


def _one_sided(params, bound, estimate, ctx, sign, detail, probability, scale):
    bound0 = float(bound)
    rel = "≤" if sign > 0 else "≥"
    if probability and ((sign > 0 and bound0 >= 1.0) or (sign < 0 and bound0 <= 0.0)):
        ctx.hooks += 1  # a theory side was reached, but it cannot fail
        return CaseResult(params, Verdict.CONFIRMED, theory=bound0, estimate=estimate,
                          detail=f"vacuous: a probability {rel} {bound0:.6g} cannot fail",
                          one_sided=True, role="vacuous")
    bound = float(ctx.tighten(bound0, "upper" if sign > 0 else "lower",
                              1.0 if (probability and scale is None) else scale))
    diff = sign * (estimate.mean - bound)
    if estimate.se == 0.0 and estimate.method == "monte_carlo" and diff > 0:
        return _degenerate(params, bound, estimate, one_sided=True)
    crit = ctx.critical(estimate.dof, one_sided=True)
    if estimate.se == 0.0:
        tol = EXACT_RTOL * _size(bound0, estimate.mean, scale=scale)
        ok = diff <= tol
        z = None
    else:
        z = diff / estimate.se
        ok = z <= crit
    d = ((detail if ok and detail else "")
         or (f"{estimate.mean:.6g} ± {estimate.se:.2g} {rel} {bound:.6g}" if ok else
             f"violated: {estimate.mean:.6g} ± {estimate.se:.2g} vs bound {bound:.6g}"
             + (f" (one-sided z = {z:.2f} > {crit:.2f})" if z is not None else "")
             + (f"; {detail}" if detail else "")))
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, theory=bound,
                      estimate=estimate, z=z,
                      resolution=crit * estimate.se if estimate.se else None, detail=d,
                      one_sided=True)


@_recorded
def exceeds(params: dict, bound: float, estimate: Estimate, *, ctx: Context | None = None,
            detail: str = "", scale: float | None = None) -> CaseResult:
    """Decide the strict comparison ``E > bound`` (one quantity larger than another, e.g. a mean
    paired difference above 0) both ways: CONFIRMED when the estimate is above the bound by
    more than the one-sided critical value × SE, REFUTED when it is below by more than that
    (the opposite holds), INCONCLUSIVE between (the difference is not significant). An exact
    estimate (SE 0) must be above the bound by more than the rounding tolerance, else REFUTED.
    As for :func:`lower_bound`, power runs raise the bound by δ·max(|bound|, ``scale``) and the
    one-sided z = (bound − estimate)/SE is measured toward a violation: a confirmed case has a
    z below −critical value."""
    return _strict(params, bound, estimate, _ctx(ctx), -1, detail, scale)


@_recorded
def less_than(params: dict, bound: float, estimate: Estimate, *, ctx: Context | None = None,
              detail: str = "", scale: float | None = None) -> CaseResult:
    """Decide the strict comparison ``E < bound`` both ways, as :func:`exceeds` with the sides
    swapped: CONFIRMED when significantly below, REFUTED when significantly above, INCONCLUSIVE
    between; z = (estimate − bound)/SE, toward a violation, and power runs lower the bound."""
    return _strict(params, bound, estimate, _ctx(ctx), +1, detail, scale)


def _strict(params, bound, estimate, ctx, sign, detail, scale):
    """``E < bound`` (sign +1) or ``E > bound`` (sign −1), CONFIRMED or REFUTED only when
    significant."""
    bound0 = float(bound)
    rel, anti = ("<", "≥") if sign > 0 else (">", "≤")
    bound = float(ctx.tighten(bound0, "upper" if sign > 0 else "lower", scale))
    diff = sign * (estimate.mean - bound)  # > 0 on the wrong side
    if estimate.se == 0.0 and estimate.method == "monte_carlo" and diff >= 0:
        return _degenerate(params, bound, estimate, one_sided=True)
    if estimate.se == 0.0:
        tol = EXACT_RTOL * _size(bound0, estimate.mean, scale=scale)
        ok, z, res = diff < -tol, None, tol
        stat = ""
    else:
        crit = ctx.critical(estimate.dof, one_sided=True)
        z = diff / estimate.se
        ok = True if z < -crit else (False if z > crit else None)
        res = crit * estimate.se
        stat = f" (one-sided z toward a violation = {z:.2f}; decided when |z| > {crit:.2f})"
    side = {True: rel, False: anti, None: f"vs the claimed {rel}"}[ok]
    head = {True: "", False: "the opposite holds: ", None: "not significant: "}[ok]
    verdict = {True: Verdict.CONFIRMED, False: Verdict.REFUTED, None: Verdict.INCONCLUSIVE}[ok]
    return CaseResult(params, verdict, theory=bound, estimate=estimate, z=z, resolution=res,
                      detail=f"{head}{estimate.mean:.6g} ± {estimate.se:.2g} {side} {bound:.6g}"
                             f"{stat}" + (f"; {detail}" if detail else ""), one_sided=True)


@_recorded
def approximation(params: dict, approx_value: float, exact_value: float, *,
                  estimate: Estimate | None = None, detail: str = "",
                  max_rel: float | None = None, max_abs: float | None = None,
                  ctx: Context | None = None) -> CaseResult:
    """The measured error of an approximation ``approx_value`` of ``exact_value``.

    With a criterion from the paper's wording — a stated accuracy ``max_rel`` (relative) or
    ``max_abs`` (absolute) — the case is APPROXIMATE when the error is within it (allowing the
    exact side's Monte Carlo noise, critical value × ``estimate.se``) and REFUTED otherwise.
    Without a criterion the case is a *measurement*: it is reported but decides nothing (an
    approximation claim needs a criterion somewhere, e.g. :func:`order`).
    The approximate side is the theory side: it is perturbed in power runs.
    """
    ctx = _ctx(ctx)
    e = float(exact_value)
    a = float(ctx.perturb(float(approx_value)))
    abs_err = abs(a - e)
    rel_err = abs_err / abs(e) if e != 0 else math.inf
    err = {"abs": abs_err, "rel": rel_err, "approx": a, "exact": e}
    if max_rel is None and max_abs is None:
        return CaseResult(params, Verdict.APPROXIMATE, theory=e, estimate=estimate, detail=detail,
                          error=err, role="measurement")
    noise = ctx.critical(estimate.dof) * estimate.se if estimate is not None and estimate.se else 0.0
    limit = 0.0
    if max_abs is not None:
        limit = max(limit, float(max_abs))
    if max_rel is not None:
        limit = max(limit, float(max_rel) * abs(e))
    ok = abs_err <= limit + noise
    err["limit"] = limit
    crit = (f"stated accuracy {'rel ' + format(max_rel, '.3g') if max_rel is not None else ''}"
            f"{' / ' if max_rel is not None and max_abs is not None else ''}"
            f"{'abs ' + format(max_abs, '.3g') if max_abs is not None else ''}")
    d = (f"error {abs_err:.3g} (rel {rel_err:.3g}) {'within' if ok else 'beyond'} the {crit}"
         + (f" (+ noise {noise:.2g})" if noise else "") + (f"; {detail}" if detail else ""))
    return CaseResult(params, Verdict.APPROXIMATE if ok else Verdict.REFUTED, theory=e,
                      estimate=estimate, resolution=limit + noise, detail=d, error=err)


@_recorded
def order(params: dict, approx_values, exact_values, *, s, claimed: float,
          kind: str = "absolute", name: str = "", tail: int = 4,
          ctx: Context | None = None) -> CaseResult:
    """Decide that ``approx`` approximates ``exact`` to order ``claimed`` as s → 0.

    ``s`` must decrease toward the limit. ``kind="absolute"``: |exact − approx| = O(s^claimed):
    the log-log slope over the ``tail`` smallest s exceeds ``claimed − 0.5``, or
    err/s^claimed stays bounded (its last value within 2× of its maximum over the larger half
    of s, which tolerates a small leading coefficient). ``kind="relative"``: the approximation
    captures the leading term of a quantity vanishing like s^claimed, i.e. the *relative* error
    vanishes: its tail slope exceeds ``claimed/2``, or it is below 1e-3 and falling. REFUTED
    otherwise, with the slopes. The approximate side is perturbed in power runs.
    """
    if kind not in ("absolute", "relative"):
        raise ValueError(f"kind must be 'absolute' or 'relative', got {kind!r}")
    ctx = _ctx(ctx)
    s = np.asarray(s, float)
    D = np.asarray(exact_values, float)
    A = np.asarray(ctx.perturb(np.asarray(approx_values, float)), float)
    if not (s.ndim == 1 and s.size >= 3 and s.shape == D.shape == A.shape):
        raise ValueError(f"order needs matching 1-d s, exact and approx with >= 3 points, got "
                         f"shapes {s.shape}, {D.shape}, {A.shape}")
    if not np.all(np.diff(s) < 0):
        raise ValueError("s must decrease toward the limit")
    err = np.abs(D - A)
    y = err / np.abs(D) if kind == "relative" else err
    y = np.maximum(y, 1e-300)
    tl = slice(-tail, None) if s.size > tail + 1 else slice(None)
    slope, se = loglog_slope(s[tl], y[tl])
    local = np.diff(np.log(y)) / np.diff(np.log(s))
    rel = float(err[-1] / abs(D[-1])) if D[-1] != 0 else math.inf
    rel0 = float(err[0] / abs(D[0])) if D[0] != 0 else math.inf
    if kind == "relative":
        thresh = claimed / 2
        ok = slope > thresh or (rel < 1e-3 and rel < rel0)
    else:
        thresh = claimed - 0.5
        C = err / s ** claimed
        ok = slope > thresh or C[-1] <= 2 * C[: C.size // 2 + 1].max()
    det = (f"{name + ': ' if name else ''}{kind} error slope {slope:.2f} ± {se:.2f} in s "
           f"(needs > {thresh:.2f}; local slopes {', '.join(f'{x:.2f}' for x in local[-3:])}); "
           f"at s = {s[0]:.3g} rel err {rel0:.3g}, at s = {s[-1]:.3g} rel err {rel:.3g}")
    err_d = {"abs": float(err[-1]), "rel": rel, "slope": slope, "slope_se": se,
             "local_slopes": local.tolist()}
    return CaseResult(params, Verdict.APPROXIMATE if ok else Verdict.REFUTED, theory=float(D[-1]),
                      detail=det if ok else f"order {claimed:g} not attained: {det}", error=err_d)


@_recorded
def printed_value(params: dict, computed: float, printed: str, *,
                  estimate: Estimate | None = None, detail: str = "", allow_truncation: bool = True,
                  ctx: Context | None = None) -> CaseResult:
    """Does the printed decimal (e.g. ``"0.9377"``) equal ``computed`` to its digits?

    A rounding agrees when |computed − printed| ≤ ½ ulp of the printed digits; a truncation
    (``allow_truncation``, the default: printing fewer digits by cutting is not an error)
    when printed lies between 0 and computed and |computed − printed| < 1 ulp. The computed
    side is the theory side (perturbed in power runs).
    """
    ctx = _ctx(ctx)
    computed = float(ctx.perturb(float(computed)))
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    ulp = 10.0 ** (-decimals)
    p = float(printed)
    diff = computed - p
    rounded = abs(diff) <= 0.5 * ulp * (1 + 1e-9)
    truncated = (allow_truncation and abs(diff) < ulp * (1 + 1e-9)
                 and (diff == 0 or math.copysign(1, diff) == math.copysign(1, p or computed)))
    ok = rounded or truncated
    how = "rounding" if rounded else ("truncation" if truncated else "")
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, theory=p,
                      estimate=estimate or Estimate(computed, 0.0, 1, "closed_form"),
                      resolution=0.5 * ulp if rounded or not ok else ulp,
                      detail=detail or f"computed {computed:.8g}; printed {printed} "
                                + (f"(agrees as a {how})" if ok else
                                   f"(disagrees: neither a rounding nor a truncation)"))


@_recorded(in_place=True)
def holds(params: dict, ok: bool | None | Callable[[], bool | None], *,
          approximate: bool = False, theory: float | None = None,
          estimate: Estimate | None = None, z: float | None = None,
          resolution: float | None = None, detail: str = "", error: dict | None = None,
          one_sided: bool = False, role: str = "evidence",
          ctx: Context | None = None) -> CaseResult:
    """A predicate the claim computed itself, as a case: CONFIRMED when ``ok`` (APPROXIMATE
    with ``approximate=True``, for an approximation's criterion), REFUTED when not,
    INCONCLUSIVE when ``ok`` is None (the evidence does not decide). The comparison must have
    gone through the context's hooks (:meth:`Context.le`, :meth:`Context.ge`,
    :meth:`Context.close`, :meth:`Context.perturb`) so that power runs move its theory side;
    ``theory``, ``estimate``, ``z`` and ``resolution`` are what it compared, for the report.

    Pass the predicate as a function of no arguments (``ok=lambda: ctx.le(q, bound)``) rather
    than its value, and power runs re-decide it from the numbers it compares, without running
    the claim again (a value computed through the hooks before the call makes them re-run
    it). The function is called once here, and once per δ of a power run, when everything it
    reads must still hold what it held here."""
    if callable(ok):
        ok = ok()
    if ok is None:
        verdict = Verdict.INCONCLUSIVE
    elif ok:
        verdict = Verdict.APPROXIMATE if approximate else Verdict.CONFIRMED
    else:
        verdict = Verdict.REFUTED
    return CaseResult(params, verdict, theory=theory, estimate=estimate, z=z,
                      resolution=resolution, detail=detail, error=error, one_sided=one_sided,
                      role=role)


@_recorded
def distribution(params: dict, cdf: Callable, samples, *, ctx: Context | None = None
                 ) -> CaseResult:
    """Kolmogorov–Smirnov test of ``samples`` against the stated CDF, one-sided at z*. The
    stated CDF is the theory side: power runs perturb it (F·(1 + δ), :meth:`Context.perturb`).
    The estimate is the KS statistic D, with 1/√n (its scale under the null) as SE."""
    from scipy import stats

    ctx = _ctx(ctx)
    res = stats.kstest(samples, lambda x: ctx.perturb(cdf(x)))
    z = float(stats.norm.isf(max(res.pvalue, 1e-300)))
    ok = z <= ctx.z_star
    se = 1.0 / math.sqrt(samples.size)
    return CaseResult({**params, "n": samples.size}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                      theory=0.0,
                      estimate=Estimate(float(res.statistic), se, samples.size, "monte_carlo"),
                      z=z, resolution=ctx.z_star * se,
                      detail=f"KS D = {res.statistic:.4g}, p = {res.pvalue:.3g} "
                             f"(one-sided z = {z:.2f})")


@dataclass
class Search:
    """What a counterexample search did: the shrunk counterexample (or None), the number of
    examples the predicate *evaluated* (returned True or False), the number it *rejected*
    (raised one of :data:`REJECTED_EXCEPTIONS`), and the first rejection message."""

    counterexample: object
    evaluated: int
    rejected: int
    requested: int
    first_rejection: str = ""
    #: the inputs the predicate was called with, in order, when the search ran to its end
    #: without a counterexample (None otherwise): a power run replays them at another δ
    examples: list | None = None

    def __iter__(self):  # ``ce, n = counterexample_search(...)`` keeps working
        yield self.counterexample
        yield self.evaluated

    @property
    def enough(self) -> bool:
        """Did the search evaluate at least MIN_EVALUATED_FRACTION of what was asked?"""
        return self.evaluated >= max(1, math.ceil(MIN_EVALUATED_FRACTION * self.requested))

    def describe(self) -> str:
        rej = (f", {self.rejected} rejected (first: {self.first_rejection})"
               if self.rejected else "")
        return f"{self.evaluated} evaluated examples{rej}"


@contextlib.contextmanager
def _without_local_constants():
    """Keep a search's examples a function of its seed alone.

    Hypothesis (6.13x and later) now and then draws a number found in the source code of the
    *local* modules loaded so far — for a checkout installed in editable mode, dropmc's own
    modules. A search's examples then depend on which claims ran before it, on any edit of
    any number anywhere in the code, and differ between a checkout and an installed copy.
    Within this block that pool is empty (the global pool of edge values stays). The hook is
    private to hypothesis: where it is missing, the block does nothing.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a hypothesis without the pool
        yield
        return
    get = getattr(providers, "_get_local_constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    make = getattr(providers, "Constants", None)
    if get is None or cache is None or make is None:  # pragma: no cover
        yield
        return
    empty = make()
    cache.cache.clear()
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = get
        cache.cache.clear()


def counterexample_search(predicate: Callable[..., bool], strategy, *,
                          ctx: Context | None = None, max_examples: int | None = None) -> Search:
    """Search with hypothesis for an input where ``predicate`` is False.

    An input on which the predicate raises one of :data:`REJECTED_EXCEPTIONS` is *rejected*
    (hypothesis draws another), never counted as holding; any other exception propagates (an
    error in the claim). Predicates that compare a theory side should do it through
    ``ctx.le``/``ctx.ge``/``ctx.close`` so that power runs perturb it. Deterministic for a
    given context seed. Returns a :class:`Search` (which unpacks as ``(counterexample,
    evaluated)``).
    """
    from hypothesis import HealthCheck, find, reject, settings
    from hypothesis.errors import NoSuchExample, Unsatisfiable

    ctx = _ctx(ctx)
    n = max_examples or ctx.search_examples
    if ctx._replay:
        return _replay_search(predicate, ctx._replay.pop(0), n)
    count = {"evaluated": 0, "rejected": 0, "first": ""}
    examples: list = []

    def violated(x):
        examples.append(copy.deepcopy(x))  # as drawn: the predicate may change its argument
        try:
            ok = predicate(x)
        except REJECTED_EXCEPTIONS as exc:
            count["rejected"] += 1
            if not count["first"]:
                count["first"] = f"{type(exc).__name__}: {exc}"[:160]
            reject()
        count["evaluated"] += 1
        return not bool(ok)

    rnd = random.Random(int(ctx.stream().generate_state(1)[0]))
    try:
        with _without_local_constants():
            ce = find(strategy, violated,
                      settings=settings(max_examples=n, database=None, deadline=None,
                                        suppress_health_check=list(HealthCheck)),
                      random=rnd)
    except (NoSuchExample, Unsatisfiable):
        ce = None
    s = Search(ce, count["evaluated"], count["rejected"], n, count["first"],
               examples if ce is None else None)
    ctx.searches.append(s)
    return s


def _replay_search(predicate: Callable[..., bool], examples: list, requested: int) -> Search:
    """A search at another δ decided on the examples a complete search at δ = 0 evaluated.

    Hypothesis draws each example from its seed and from what the earlier examples drew, not
    from whether the predicate held, until one fails: at δ the search tries the same
    examples in the same order up to the first that fails there, and all of them when none
    does. Replaying them therefore gives the search's verdict (not its shrunk
    counterexample) without generating again, which is most of a search's time."""
    count = {"evaluated": 0, "rejected": 0, "first": ""}
    for x in examples:
        try:
            ok = predicate(copy.deepcopy(x))
        except REJECTED_EXCEPTIONS as exc:
            count["rejected"] += 1
            count["first"] = count["first"] or f"{type(exc).__name__}: {exc}"[:160]
            continue
        count["evaluated"] += 1
        if not ok:
            return Search(x, count["evaluated"], count["rejected"], requested, count["first"])
    return Search(None, count["evaluated"], count["rejected"], requested, count["first"],
                  examples)



def _plain(obj):
    """``obj`` with numpy scalars and arrays turned into Python numbers and lists, so a
    counterexample reads ``{'x': 0.5}`` in reports rather than ``{'x': np.float64(0.5)}``."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_plain(v) for v in obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


@_recorded(in_place=True)
def search_case(params: dict, predicate: Callable[..., bool], strategy, *,
                ctx: Context | None = None, what: str = "",
                expect_counterexample: bool = False,
                max_examples: int | None = None) -> CaseResult:
    """A counterexample search as a case: REFUTED with the shrunk counterexample, CONFIRMED
    when enough examples were evaluated without one, INCONCLUSIVE when too few were
    evaluated (most inputs rejected). ``expect_counterexample`` is for claims that something
    *fails* somewhere: finding a counterexample confirms them, and not finding one is
    INCONCLUSIVE."""
    ctx = _ctx(ctx)
    s = counterexample_search(predicate, strategy, ctx=ctx, max_examples=max_examples)
    prm = {**params, "search": "hypothesis", "evaluated": s.evaluated, "rejected": s.rejected}
    found = s.counterexample is not None
    label = f"counterexample{' ' + what if what else ''}: {_plain(s.counterexample)!r}"
    if expect_counterexample:
        if found:
            return CaseResult(prm, Verdict.CONFIRMED, detail=label,
                              estimate=Estimate(1.0, 0.0, s.evaluated, "search"))
        return CaseResult(prm, Verdict.INCONCLUSIVE,
                          detail=f"no counterexample in {s.describe()}; a larger search "
                                 "(higher precision) may find one")
    if found:
        return CaseResult(prm, Verdict.REFUTED, detail=label,
                          estimate=Estimate(0.0, 0.0, s.evaluated, "search"))
    if not s.enough:
        return CaseResult(prm, Verdict.INCONCLUSIVE,
                          detail=f"only {s.describe()} of {s.requested} requested: too few to "
                                 "decide")
    return CaseResult(prm, Verdict.CONFIRMED, detail=f"no counterexample in {s.describe()}",
                      estimate=Estimate(0.0, 0.0, s.evaluated, "search"))


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


@_recorded
def identity_many(params: dict, theory, mean, *, se, n: int, ctx: Context | None = None,
                  method: str, seed=None, rtol: float = EXACT_RTOL, scale: float | None = None,
                  detail: str = "") -> CaseResult:
    """Decide a vector identity ``E[mean_j] == theory_j`` for all j at once, for estimates
    of *independent* coordinates (e.g. each from its own draws); correlated coordinates need
    :func:`identity_family` instead.

    Coordinates with SE 0 must agree to ``rtol`` of the size of the terms; the others are
    combined into one χ² statistic Σ z_j² on (number of coordinates) degrees of freedom,
    turned into a one-sided z-score (Φ⁻¹ of its upper-tail probability), so the family of
    coordinates is tested at z* once rather than once per coordinate; a single wild
    coordinate is also caught by a Bonferroni max-|z| test. The detail names the worst
    coordinate.
    """
    from scipy import stats

    ctx = _ctx(ctx)
    t0 = np.asarray(theory, dtype=float).ravel()
    t = np.asarray(ctx.perturb(t0, scale), dtype=float).ravel()
    m = np.asarray(mean, dtype=float).ravel()
    s = np.asarray(se, dtype=float).ravel()
    det = s == 0
    size = _size(*(np.abs(t0[det]).tolist() + np.abs(m[det]).tolist()), scale=scale)
    exact_err = float(np.max(np.abs(m[det] - t[det]))) if det.any() else 0.0
    if exact_err > rtol * size:
        j = int(np.flatnonzero(det)[np.argmax(np.abs(m[det] - t[det]))])
        return CaseResult(params, Verdict.REFUTED, theory=float(t[j]),
                          estimate=Estimate(float(m[j]), 0.0, n, method, seed),
                          resolution=rtol * size,
                          detail=f"deterministic coordinate {j}: {float(m[j]):.10g} ≠ "
                                 f"{float(t[j]):.10g}")
    if not (~det).any():
        return CaseResult(params, Verdict.CONFIRMED,
                          estimate=Estimate(exact_err, 0.0, n, method, seed),
                          resolution=rtol * size,
                          detail=detail or f"all {t.size} coordinates exact "
                                           f"(max |Δ| {exact_err:.2g})")
    z = (m[~det] - t[~det]) / s[~det]
    chi2 = float(np.sum(z * z))
    k = z.size
    z_comb = float(stats.norm.isf(stats.chi2.sf(chi2, k)))
    alpha = 2.0 * stats.norm.sf(ctx.z_star)
    z_max_allowed = float(stats.norm.isf(alpha / (2.0 * k)))
    worst = int(np.argmax(np.abs(z)))
    res = ctx.z_star * float(np.max(s[~det]))
    est = Estimate(chi2, math.sqrt(2.0 * k), n, method, seed, {"coordinates": k, "dof": k})
    txt = (f"χ² = {chi2:.1f} on {k} coordinates (combined z = {z_comb:.2f}); worst coordinate "
           f"z = {z[worst]:.2f} (allowed {z_max_allowed:.2f}); max SE {np.max(s[~det]):.2g}")
    ok = z_comb <= ctx.z_star and abs(z[worst]) <= z_max_allowed
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, estimate=est, z=z_comb,
                      resolution=res, detail=detail if ok and detail else txt)


@_recorded
def identity_family(params: dict, theory, estimates, *, ctx: Context | None = None,
                    scale: float | None = None, detail: str = "") -> CaseResult:
    """Many Monte Carlo coordinates from the same draws (hence correlated): each coordinate is
    tested and the largest |z| is compared with the Bonferroni threshold that keeps the
    family-wise false-alarm rate of a single z* test (valid under any correlation); the
    Student-t quantile is used when the SEs come from few batches."""
    from scipy import stats

    ctx = _ctx(ctx)
    t = np.asarray(ctx.perturb(np.asarray(theory, float), scale), float).ravel()
    ests = list(estimates)
    m = np.array([e.mean for e in ests])
    se = np.array([e.se for e in ests])
    if t.size != m.size:
        raise ValueError(f"theory has {t.size} coordinates, estimates {m.size}")
    if np.any(se <= 0):
        raise ValueError("identity_family needs Monte Carlo estimates (SE > 0) for every coordinate")
    z = (m - t) / se
    k = z.size
    p_fam = 2 * stats.norm.sf(ctx.z_star)
    dofs = [e.dof for e in ests if e.dof is not None]
    p_each = p_fam / (2 * k)
    z_k = (float(stats.t.isf(p_each, min(dofs))) if dofs else float(stats.norm.isf(p_each)))
    j = int(np.argmax(np.abs(z)))
    ok = abs(z[j]) <= z_k
    return CaseResult({**params, "coordinates": k}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                      theory=float(t[j]), estimate=ests[j], z=float(z[j]),
                      resolution=z_k * float(se.max()),
                      detail=f"{k} coordinates; max |z| = {abs(z[j]):.2f} (Bonferroni threshold "
                      f"{z_k:.2f}); max SE {se.max():.2g}" + (f"; {detail}" if detail else ""))
