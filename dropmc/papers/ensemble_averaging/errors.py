"""Section 6 of Baldi & Sadowski: ensemble errors of the arithmetic, geometric and normalized
geometric means (Eq. 55–58)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from scipy import special

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import law_choice, o_law
from dropmc.papers.ensemble_averaging._shared import (
    CATALOG,
    FP_SLACK,
    _search,
    _st_sample,
    _unpack,
)
from dropmc.theory import ensemble_averaging as th

# ------------------------------------------------------------------------------------------
# Section 6: ensemble errors
# ------------------------------------------------------------------------------------------


def _st_ensemble(lo=1e-6, hi=1 - 1e-6):
    from hypothesis import strategies as st

    return st.tuples(_st_sample(lo, hi), st.floats(0.0, 1.0, allow_nan=False))


def _combos(O, P):
    E = float(P @ O)
    lg = float(P @ np.log(O))
    lg1 = float(P @ np.log1p(-O))
    return {"E": E, "WGM": math.exp(lg), "NWGM": float(special.expit(lg - lg1))}


def _ensemble_holds(ctx: Context, error: str, which: str, domain=None):
    f = th.ERRORS[error]

    def holds(args):
        (O, P), t = _unpack(args[0]), args[1]
        if domain is not None:
            lo, hi = domain(t)
            O = lo + (hi - lo) * O
            O = np.clip(O, 1e-12, 1 - 1e-12)
        c = _combos(O, P)[which]
        return _error_le(ctx, error, float(f(c, t)), float(P @ f(O, t)), O, t, c)
    return holds


def _error_le(ctx: Context, error: str, lhs: float, rhs: float, O, t: float,
              c: float | None = None) -> bool:
    """``Error(combination) ≤ E(Error)`` through ``ctx.le`` (power runs tighten the right
    side). The tolerance is FP_SLACK of the size of the terms: for the squared error,
    (t − O)²/2 is built from t and O, so its rounding is relative to max(t, O)²/2 (not to the
    error itself, which vanishes when all O_i = t); the relative entropy −t log O −
    (1 − t) log(1 − O) is a sum of non-negative terms, its own size. The combination ``c``
    (E, WGM or NWGM) carries a rounding of a few ulps (times |log c| + |log(1 − c)| for the
    geometric means), which the error function amplifies by |Error'(c)|: near O = 1 the
    relative entropy's derivative (1 − t)/(1 − c) reaches 1e6 and more, so that term joins the
    size."""
    if error == "squared":
        size = 0.5 * max(float(t), float(np.max(O))) ** 2
    else:
        size = 0.0
    if c is not None:
        c = float(c)
        deriv = (c - t) if error == "squared" else (c - t) / max(c * (1 - c), 1e-300)
        size = max(size, abs(deriv) * (1 + abs(math.log(max(c, 1e-300)))
                                       + abs(math.log1p(-min(c, 1 - 1e-16)))))
    size = max(size, abs(lhs), abs(rhs))
    # a power run moves E(Error) by δ·max(Error(combination), E(Error)): relative to the errors
    return ctx.le(lhs, rhs, tol=FP_SLACK * size, scale=max(abs(lhs), abs(rhs), 1e-300))


def _ensemble_claim(ctx, which, errors=("squared", "relative_entropy"), domain=None,
                    label="") -> Iterator[CaseResult]:
    for err in errors:
        yield _search(ctx, _ensemble_holds(ctx, err, which, domain), _st_ensemble(),
                      {"error": err, "combination": which, "domain": label or "(0, 1)"},
                      what="((O, weights), t)")


@CATALOG.claim(
    "eq56.arithmetic_mean", label="Eq. 55, Eq. 56", kind=Kind.INEQUALITY,
    statement="For the squared error and the relative entropy, Error(Σ p_iO_i, t) ≤ "
              "Σ p_i Error(O_i, t) for any ensemble and target.")
def eq56(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis search over outputs in (0, 1), weights and targets t ∈ [0, 1]; the shrunk
    counterexample, if any, is reported verbatim."""
    yield from _ensemble_claim(ctx, "E")


#: the explorers' parameters of Section 6: the mean E and spread s of the values O, the
#: target t, the law of O and the error function
_ERR_PARAMS = dict(E=(0.15, 0.02, 0.98), s=(0.9, 0.001, 0.99), t=(1.0, 0.0, 1.0),
                   law=law_choice("two-point"), error=("squared", "relative_entropy"))


@CATALOG.explorer("eq56.arithmetic_mean", **_ERR_PARAMS)
def _explore_eq56(ctx: Context, E: float, s: float, t: float, law: str, error: str) -> Point:
    """Error(E, t) ≤ Σ P_i Error(O_i, t) (Eq. 56) for the values O of
    :func:`~._explore.o_law` (mean E, spread s), target t and the squared error or the
    relative entropy: the printed upper bound, the ensemble's mean error, against the error
    of the mean, both exact. A point takes about 2 ms."""
    f = th.ERRORS[error]
    O, P = o_law(law, E, s)
    return Point.bound(float(P @ f(O, t)), side="upper", exact=float(f(float(P @ O), t)))


def _ensemble_error_point(which: str, in_scope: bool, O, P, t: float, error: str) -> Point:
    """Error(combination, t) ≤ Σ P_i Error(O_i, t) for ``which`` = "WGM" (Eq. 57) or "NWGM"
    (Eq. 58), both sides exact, with the correction the same bound where the corrected
    claim's domain covers the values (``in_scope``) and NaN elsewhere."""
    f = th.ERRORS[error]
    rhs = float(P @ f(O, t))
    return Point.bound(rhs, side="upper", exact=float(f(_combos(O, P)[which], t)),
                       correction=rhs if in_scope else math.nan)


@CATALOG.claim(
    "eq57.geometric_mean", label="Eq. 57", kind=Kind.INEQUALITY,
    statement="For any convex error function (squared error, relative entropy), "
              "Error(Π O_i^{p_i}, t) ≤ Σ p_i Error(O_i, t).",
    note="Fails for the squared error: (t − e^x)²/2 is not convex in x = log O where O < t/2 "
         "(the proof's 'f convex and g increasing ⇒ f∘g convex' is false); e.g. O = (0.01, "
         "0.4), t = 1: Error(WGM) = 0.4388 > E(Error) = 0.3350. It holds for the relative "
         "entropy. See eq57.corrected.")
def eq57(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis search for both error functions, plus the deterministic case O = (0.01, 0.4),
    P = (½, ½), t = 1: WGM = 0.0632, Error(WGM) = 0.4388 > E(Error) = 0.3350."""
    yield from _ensemble_claim(ctx, "WGM")
    O, P = np.array([0.01, 0.4]), np.array([0.5, 0.5])
    lhs, rhs = float(th.squared_error(_combos(O, P)["WGM"], 1.0)), float(P @ th.squared_error(O, 1.0))
    yield judge.holds({"error": "squared", "O": O.tolist(), "P": P.tolist(), "t": 1.0},
                      lambda: _error_le(ctx, "squared", lhs, rhs, O, 1.0), theory=rhs,
                      estimate=Estimate.exact(lhs, "closed_form", 1),
                      detail=f"Error(WGM) = {lhs:.4f} vs E(Error) = {rhs:.4f}")


@CATALOG.claim(
    "eq58.normalized_geometric_mean", label="Eq. 58", kind=Kind.INEQUALITY,
    statement="For any convex error function (squared error, relative entropy), "
              "Error(NWGM, t) ≤ Σ p_i Error(O_i, t).",
    note="Fails for the squared error: (t − σ(x))²/2 is not convex in x = logit O outside "
         "O ∈ [((1+t) − √(1−t+t²))/3, ((1+t) + √(1−t+t²))/3] (the proof's 'f convex and g "
         "increasing ⇒ f∘g convex' is false); e.g. O = (0.01, 0.4), t = 1: Error(NWGM) = 0.4268 "
         "> E(Error) = 0.3350. It holds for the relative entropy. See eq58.corrected.")
def eq58(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis search for both error functions, plus the deterministic case O = (0.01, 0.4),
    P = (½, ½), t = 1: NWGM = 0.0759, Error(NWGM) = 0.4268 > E(Error) = 0.3350."""
    yield from _ensemble_claim(ctx, "NWGM")
    O, P = np.array([0.01, 0.4]), np.array([0.5, 0.5])
    lhs, rhs = float(th.squared_error(_combos(O, P)["NWGM"], 1.0)), float(P @ th.squared_error(O, 1.0))
    yield judge.holds({"error": "squared", "O": O.tolist(), "P": P.tolist(), "t": 1.0},
                      lambda: _error_le(ctx, "squared", lhs, rhs, O, 1.0), theory=rhs,
                      estimate=Estimate.exact(lhs, "closed_form", 1),
                      detail=f"Error(NWGM) = {lhs:.4f} vs E(Error) = {rhs:.4f}")


@CATALOG.claim(
    "eq57.corrected", label="Eq. 57", kind=Kind.INEQUALITY, as_printed=False,
    corrects="eq57.geometric_mean", fix="scope",
    statement="Error(WGM) ≤ E(Error) holds for the relative entropy always, and for the squared "
              "error whenever every O_i ≥ t/2.")
def eq57_corrected(ctx: Context) -> Iterator[CaseResult]:
    """Derivation: Jensen needs h(x) = Error(e^x, t) convex on the hull of the points log O_i.
    For the relative entropy h(x) = −tx − (1 − t)log(1 − e^x), with h'' = e^x/(1 − e^x)² > 0.
    For the squared error h(x) = (t − e^x)²/2 has h'' = e^x(2e^x − t), non-negative exactly
    where e^x ≥ t/2; so the inequality holds when all O_i ≥ t/2 (and can fail otherwise,
    eq57.geometric_mean). Hypothesis searches on both domains."""
    yield from _ensemble_claim(ctx, "WGM", ("relative_entropy",))
    yield from _ensemble_claim(ctx, "WGM", ("squared",), domain=lambda t: (t / 2, 1.0),
                               label="O_i in [t/2, 1)")


@CATALOG.explorer("eq57.geometric_mean", **_ERR_PARAMS)
@CATALOG.explorer("eq57.corrected", **_ERR_PARAMS)
def _explore_eq57(ctx: Context, E: float, s: float, t: float, law: str, error: str) -> Point:
    """Error(WGM, t) ≤ Σ P_i Error(O_i, t) (Eq. 57) for the values O of
    :func:`~._explore.o_law` (mean E, spread s), target t and the squared error or the
    relative entropy, both sides exact: for the squared error it fails where some O_i < t/2
    (where (t − e^x)²/2 is not convex in x = log O); the correction (eq57.corrected) claims it
    only where every O_i ≥ t/2 (NaN elsewhere), and always for the relative entropy. A point
    takes about 2 ms."""
    O, P = o_law(law, E, s)
    in_scope = error == "relative_entropy" or float(O.min()) >= t / 2
    return _ensemble_error_point("WGM", in_scope, O, P, t, error)


@CATALOG.claim(
    "eq58.corrected", label="Eq. 58", kind=Kind.INEQUALITY, as_printed=False,
    corrects="eq58.normalized_geometric_mean", fix="scope",
    statement="Error(NWGM) ≤ E(Error) holds for the relative entropy always, and for the squared "
              "error whenever every O_i lies in [((1+t) − √(1−t+t²))/3, ((1+t) + √(1−t+t²))/3].")
def eq58_corrected(ctx: Context) -> Iterator[CaseResult]:
    """Derivation: with x = logit O, the relative entropy is t·log(1 + e^{−x}) +
    (1 − t)·log(1 + e^x), convex in x. For the squared error h(x) = (t − σ(x))²/2,
    h'' = σ'² − (t − σ)σ'' = σ(1 − σ)[−3σ² + 2(1 + t)σ − t], non-negative exactly for σ
    between the roots ((1 + t) ∓ √(1 − t + t²))/3; Jensen applies when all logit O_i lie in
    that interval (which is convex in x). Hypothesis searches on both domains."""
    yield from _ensemble_claim(ctx, "NWGM", ("relative_entropy",))
    yield from _ensemble_claim(ctx, "NWGM", ("squared",), domain=th.squared_error_nwgm_convex_range,
                               label="O_i in the convex range of t")


@CATALOG.explorer("eq58.normalized_geometric_mean", **_ERR_PARAMS)
@CATALOG.explorer("eq58.corrected", **_ERR_PARAMS)
def _explore_eq58(ctx: Context, E: float, s: float, t: float, law: str, error: str) -> Point:
    """Error(NWGM, t) ≤ Σ P_i Error(O_i, t) (Eq. 58) for the values O of
    :func:`~._explore.o_law` (mean E, spread s), target t and the squared error or the
    relative entropy, both sides exact: for the squared error it fails where the O_i leave
    the range where (t − σ(x))²/2 is convex in x = logit O; the correction (eq58.corrected)
    claims it only inside [((1+t) − √(1−t+t²))/3, ((1+t) + √(1−t+t²))/3] (NaN elsewhere),
    and always for the relative entropy. A point takes about 2 ms."""
    O, P = o_law(law, E, s)
    lo, hi = th.squared_error_nwgm_convex_range(t)
    in_scope = error == "relative_entropy" or (lo <= float(O.min()) and float(O.max()) <= hi)
    return _ensemble_error_point("NWGM", in_scope, O, P, t, error)
