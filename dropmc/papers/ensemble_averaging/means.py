"""Section 8 of Baldi & Sadowski, properties 1–5: the inequalities between the weighted
arithmetic, geometric and normalized geometric means E, G and NWGM = G/(G + G') — G ≤ E
(Eq. 77) and the bounds on E − G of Cartwright and Field and their refinements (Eq. 78–80),
G ≤ NWGM (property 2), NWGM ≤ E for consistently low and NWGM ≥ E for consistently high values
(Eq. 81–82) and the complementary error of the NWGM (property 5). How well the NWGM
approximates E (property 6 on) is :mod:`.nwgm_approximation`."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from scipy import special

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import E_RANGE, S_RANGE, law_choice, o_law
from dropmc.papers.ensemble_averaging._shared import (
    CATALOG,
    _e_minus_g,
    _ineq_claim,
    _le,
    _random_sample,
    _unpack,
)
from dropmc.theory import ensemble_averaging as th


@CATALOG.claim(
    "eq77.g_le_e", label="Eq. 77", kind=Kind.INEQUALITY,
    statement="G ≤ E and G' ≤ E' (with equality iff all O_i are equal), whether or not the O_i "
              "are bounded by one.")
def eq77(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis over samples in (0, 1) and positive samples up to 10⁶ (G ≤ E only there), with
    equal values as edge cases (equality)."""
    def holds01(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        # 0 ≤ E − G (and 0 ≤ E' − G'), to FP_SLACK of E: a power run asks E − G ≥ δE
        return (_le(ctx, 0.0, _e_minus_g(O, P), w["E"])
                and _le(ctx, 0.0, _e_minus_g(1 - O, P), w["Ep"]))

    def holds_pos(args):
        O, P = _unpack(args)
        return _le(ctx, 0.0, _e_minus_g(O, P), float(P @ O))
    yield from _ineq_claim(ctx, holds01, edges=[((0.3, 0.3, 0.3), (0.2, 0.3, 0.5))])
    yield from _ineq_claim(ctx, holds_pos, 1e-6, 1e6, "(0, 1e6)")
    O, P = np.array([0.3, 0.3]), np.array([0.4, 0.6])
    yield judge.exact({"case": "equal values: equality"}, 0.0, _e_minus_g(O, P), scale=0.3)


@CATALOG.explorer("eq77.g_le_e", E=E_RANGE, s=S_RANGE, law=law_choice("two-point"))
def _explore_eq77(ctx: Context, E: float, s: float, law: str) -> Point:
    """G ≤ E (Eq. 77) for the values O of :func:`~._explore.o_law` (mean E, spread s, the
    chosen law): the printed upper bound E on the geometric mean G, both exact (E − G without
    cancellation). The slack E − G is positive everywhere and vanishes only as s → 0
    (identical values). G' ≤ E' is the same statement for 1 − O (E ↦ 1 − E). A point takes
    about 2 ms."""
    O, P = o_law(law, E, s)
    return Point.bound(E, side="upper", exact=E - _e_minus_g(O, P))


@CATALOG.claim(
    "eq78.cartwright_field", label="Eq. 78", kind=Kind.INEQUALITY,
    statement="Var(O)/(2 max O) ≤ E − G ≤ Var(O)/(2 min O) (Cartwright–Field).")
def eq78(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis over samples in (0, 1) and positive samples up to 10³; E − G computed without
    cancellation (−E·expm1(Σ P log1p((O − E)/E))); comparisons to FP_SLACK of E (the size of
    the terms E − G and V are built from), each bound tightened by δ·itself in power runs;
    two tight clusters as edge cases, where both bounds are sharp."""
    def holds(args):
        O, P = _unpack(args)
        lo, hi = th.cartwright_field(O, P)
        d = _e_minus_g(O, P)
        E = float(P @ O)
        return _le(ctx, lo, d, tol_scale=E) and _le(ctx, d, hi, tol_scale=E)
    # tight clusters, where both bounds are sharp (ratios to E − G within 2e-4 of 1)
    edges = [((0.5, 0.5001, 0.4999), (0.3, 0.3, 0.4)), ((0.2, 0.20004), (0.7, 0.3))]
    yield from _ineq_claim(ctx, holds, edges=edges)
    yield from _ineq_claim(ctx, holds, 1e-3, 1e3, "(0, 1e3)")


@CATALOG.explorer("eq78.cartwright_field", E=E_RANGE, s=S_RANGE, law=law_choice("skewed"),
                  side=("upper", "lower"))
def _explore_eq78(ctx: Context, E: float, s: float, law: str, side: str) -> Point:
    """Cartwright–Field (Eq. 78) for the values O of :func:`~._explore.o_law` (mean E, spread
    s): the upper bound V/(2 min O) or the lower bound V/(2 max O) on E − G (``side``), E − G
    exact. Both hold everywhere and both become sharp as s → 0 (min O, max O → E). A point
    takes about 2 ms."""
    O, P = o_law(law, E, s)
    lo, hi = th.cartwright_field(O, P)
    return Point.bound(hi if side == "upper" else lo, side=side, exact=_e_minus_g(O, P))


@CATALOG.claim(
    "eq79.refinement", label="Eq. 79", kind=Kind.INEQUALITY,
    statement="For O_i in (0, 1): (max O − G)/(2 max O)·Var(O) ≤ E − G ≤ "
              "(min O − G)/(2 min O (min O − E))·Var(O).",
    note="As printed the lower bound is not scale invariant (Var·(max − G)/max scales as k², "
         "E − G as k): it holds in (0, 1), where it is weaker than Cartwright–Field, and fails "
         "for values above 1. The scale-invariant mirror of the upper bound is "
         "eq79.lower_scale_invariant.")
def eq79(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis over samples in (0, 1) (Section 8's setting) for both sides. Samples with
    (numerically) equal values are rejected (0/0 in the upper bound; counted apart)."""
    def holds(args):
        O, P = _unpack(args)
        E = float(P @ O)
        if float(P @ (O - E) ** 2) < 1e-10 * E * E:
            raise ValueError("(numerically) equal values: 0/0 in Eq. 79's upper bound")
        lo, hi = th.eq79_as_printed(O, P)
        d = _e_minus_g(O, P)
        return _le(ctx, lo, d, tol_scale=E) and _le(ctx, d, hi, tol_scale=E)
    yield from _ineq_claim(ctx, holds)


@CATALOG.explorer("eq79.refinement", E=E_RANGE, s=S_RANGE, law=law_choice("skewed"),
                  side=("upper", "lower"))
def _explore_eq79(ctx: Context, E: float, s: float, law: str, side: str) -> Point:
    """Eq. 79 as printed for the values O of :func:`~._explore.o_law` in (0, 1) (mean E,
    spread s): the upper bound (min O − G)V/(2 min O(min O − E)) or the lower bound
    (max O − G)V/(2 max O) on E − G (``side``), E − G exact. In (0, 1) both hold; the lower
    one is weaker than Cartwright–Field's (eq79.lower_scale_invariant explores it above 1).
    A point takes about 2 ms."""
    O, P = o_law(law, E, s)
    lo, hi = th.eq79_as_printed(O, P)
    return Point.bound(hi if side == "upper" else lo, side=side, exact=_e_minus_g(O, P))


@CATALOG.claim(
    "eq79.lower_scale_invariant", label="Eq. 79", kind=Kind.INEQUALITY, as_printed=False,
    statement="For any positive O_i: (max O − G)/(2 max O (max O − E))·Var(O) ≤ E − G (the "
              "scale-invariant mirror of Eq. 79's upper bound; the printed lower bound fails "
              "above 1).")
def eq79_scale(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis over positive samples up to 10³, and the printed lower bound on the
    deterministic sample O = (98.36, 11.65, 71.43), P = (0.00115, 0.99882, 0.00003) where it
    exceeds E − G (shows why the printed form is restricted to (0, 1))."""
    def holds(args):
        O, P = _unpack(args)
        E = float(P @ O)
        if float(P @ (O - E) ** 2) < 1e-10 * E * E:
            raise ValueError("(numerically) equal values: 0/0 in the bound")
        return _le(ctx, th.eq79_lower_corrected(O, P), _e_minus_g(O, P), tol_scale=E)
    yield from _ineq_claim(ctx, holds, 1e-3, 1e3, "(0, 1e3)")
    yield from _ineq_claim(ctx, holds)
    O = np.array([98.36362582015964, 11.648424307951888, 71.43012792072261])
    P = np.array([0.0011484258670677518, 0.9988245135876505, 2.70605452817493e-05])
    P = P / P.sum()
    lo_p = th.eq79_as_printed(O, P)[0]
    d = _e_minus_g(O, P)
    lo_c = th.eq79_lower_corrected(O, P)
    yield judge.holds({"O": O.tolist(), "P": P.tolist()},
                      lambda: _le(ctx, lo_c, d, tol_scale=P @ O), theory=lo_c,
                      estimate=Estimate.exact(d, "closed_form", 1),
                      detail=f"E − G = {d:.4g}; scale-invariant bound {lo_c:.4g}; printed lower "
                             f"bound {lo_p:.4g} (> E − G: fails above 1)")


@CATALOG.explorer("eq79.lower_scale_invariant", E=E_RANGE, s=S_RANGE, k=(30.0, 0.01, 1000.0),
                  law=law_choice("skewed"))
def _explore_eq79_scale(ctx: Context, E: float, s: float, k: float, law: str) -> Point:
    """The scale-invariant lower bound (max O − G)V/(2 max O(max O − E)) on E − G for the
    values k·O, O from :func:`~._explore.o_law` (mean E, spread s) and k > 0 a scale (explore
    k on a log scale): E − G and the bound both scale as k, so the slack does too and never
    changes sign. Eq. 79's printed lower bound, (max O − G)V/(2 max O), scales as k² and
    exceeds E − G for large k (eq79.refinement restricts it to (0, 1)). A point takes about
    2 ms."""
    O, P = o_law(law, E, s)
    O = k * O
    return Point.bound(th.eq79_lower_corrected(O, P), side="lower", exact=_e_minus_g(O, P))


@CATALOG.claim(
    "eq80.refinement", label="Eq. 80", kind=Kind.INEQUALITY,
    statement="Σp_i(O_i − G)²/(2 max O) ≤ E − G ≤ Σp_i(O_i − G)²/(2 min O).")
def eq80(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis over samples in (0, 1) and positive samples up to 10³."""
    def holds(args):
        O, P = _unpack(args)
        lo, hi = th.eq80(O, P)
        d = _e_minus_g(O, P)
        E = float(P @ O)
        return _le(ctx, lo, d, tol_scale=E) and _le(ctx, d, hi, tol_scale=E)
    yield from _ineq_claim(ctx, holds)
    yield from _ineq_claim(ctx, holds, 1e-3, 1e3, "(0, 1e3)")


@CATALOG.explorer("eq80.refinement", E=E_RANGE, s=S_RANGE, law=law_choice("skewed"),
                  side=("upper", "lower"))
def _explore_eq80(ctx: Context, E: float, s: float, law: str, side: str) -> Point:
    """Eq. 80 for the values O of :func:`~._explore.o_law` (mean E, spread s): the upper
    bound Σp_i(O_i − G)²/(2 min O) or the lower bound Σp_i(O_i − G)²/(2 max O) on E − G
    (``side``), E − G exact. A point takes about 2 ms."""
    O, P = o_law(law, E, s)
    lo, hi = th.eq80(O, P)
    return Point.bound(hi if side == "upper" else lo, side=side, exact=_e_minus_g(O, P))


@CATALOG.claim(
    "prop2.g_le_nwgm", label="Section 8, property 2", kind=Kind.INEQUALITY,
    statement="G + G' ≤ 1, hence G ≤ G/(G + G') (the WGM never exceeds the NWGM).")
def prop2(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis over samples in (0, 1), in the log domain (log G ≤ log NWGM ⇔ G + G' ≤ 1)."""
    def holds(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        # log(G + G') ≤ 0 to FP_SLACK (log domain, terms of size 1)
        return _le(ctx, float(np.logaddexp(w["logG"], w["logGp"])), 0.0, 1.0)
    yield from _ineq_claim(ctx, holds, edges=[((0.5, 0.5), (0.5, 0.5))])


@CATALOG.explorer("prop2.g_le_nwgm", E=E_RANGE, s=S_RANGE, law=law_choice("two-point"))
def _explore_prop2(ctx: Context, E: float, s: float, law: str) -> Point:
    """G + G' ≤ 1 (property 2, hence G ≤ NWGM) for the values O of
    :func:`~._explore.o_law` (mean E, spread s): the printed upper bound 1 on G + G', exact.
    The slack 1 − G − G' ≈ V/(2E(1 − E)) (Eq. 201) grows with the spread. A point takes
    about 2 ms."""
    O, P = o_law(law, E, s)
    w = th.weighted_means(O, P)
    return Point.bound(1.0, side="upper", exact=w["G"] + w["Gp"])


@CATALOG.claim(
    "eq81.consistently_low", label="Section 8, property 3, Eq. 81", kind=Kind.INEQUALITY,
    statement="If 0 < O_i ≤ 0.5 then G/G' ≤ E/E' and G ≤ G/(G + G') ≤ E (Ky Fan).")
def eq81(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis over samples in (0, 0.5], log-domain comparisons."""
    def holds(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        a = _le(ctx, w["logG"] - w["logGp"], math.log(w["E"]) - math.log(w["Ep"]), 1.0)
        return a and _le(ctx, w["G"], w["NWGM"]) and _le(ctx, w["NWGM"], w["E"])
    yield from _ineq_claim(ctx, holds, 1e-9, 0.5, "(0, 0.5]", edges=[((0.5, 0.1), (0.5, 0.5))])


@CATALOG.explorer("eq81.consistently_low", E=(0.3, 0.02, 0.48), s=S_RANGE,
                  law=law_choice("skewed"))
def _explore_eq81(ctx: Context, E: float, s: float, law: str) -> Point:
    """NWGM ≤ E (Eq. 81, Ky Fan) for values O in (0, ½]: :func:`~._explore.o_law` on
    [0, ½] (mean E < ½, spread s); the printed upper bound E on the NWGM, exact. A point
    takes about 2 ms."""
    O, P = o_law(law, E, s, 0.0, 0.5)
    return Point.bound(E, side="upper", exact=th.weighted_means(O, P)["NWGM"])


@CATALOG.claim(
    "eq82.consistently_high", label="Section 8, property 4, Eq. 82", kind=Kind.INEQUALITY,
    statement="If 0.5 ≤ O_i < 1 then G'/G ≤ E'/E and G/(G + G') ≥ E.")
def eq82(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis over samples in [0.5, 1), log-domain comparisons."""
    def holds(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        a = _le(ctx, w["logGp"] - w["logG"], math.log(w["Ep"]) - math.log(w["E"]), 1.0)
        return a and _le(ctx, w["E"], w["NWGM"])
    yield from _ineq_claim(ctx, holds, 0.5, 1 - 1e-9, "[0.5, 1)", edges=[((0.5, 0.9), (0.5, 0.5))])


@CATALOG.explorer("eq82.consistently_high", E=(0.7, 0.52, 0.98), s=S_RANGE,
                  law=law_choice("skewed"))
def _explore_eq82(ctx: Context, E: float, s: float, law: str) -> Point:
    """NWGM ≥ E (Eq. 82) for values O in [½, 1): :func:`~._explore.o_law` on [½, 1] (mean
    E > ½, spread s); the printed lower bound E on the NWGM, exact. A point takes about
    2 ms."""
    O, P = o_law(law, E, s, 0.5, 1.0)
    return Point.bound(E, side="lower", exact=th.weighted_means(O, P)["NWGM"])


@CATALOG.claim(
    "prop5.complement", label="Section 8, property 5", kind=Kind.IDENTITY,
    statement="If G/(G + G') underestimates E then G'/(G + G') overestimates 1 − E, and vice "
              "versa (E − NWGM = G'/(G + G') − (1 − E)).")
def prop5(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The identity on random samples (uniform and clustered near 0 or 1)."""
    for k in range(6):
        O, P = _random_sample(rng, lo=[0, 0, 0.9, 0][k % 4], hi=[1, 0.1, 1, 1][k % 4])
        w = th.weighted_means(O, P)
        nw_c = float(special.expit(w["logGp"] - w["logG"]))
        # differences of probabilities: tolerance relative to the terms (size ≤ 1, max ≥ ½)
        yield judge.exact({"m": O.size}, w["E"] - w["NWGM"], nw_c - (1 - w["E"]), scale=1.0)


@CATALOG.explorer("prop5.complement", E=E_RANGE, s=S_RANGE, law=law_choice("skewed"))
def _explore_prop5(ctx: Context, E: float, s: float, law: str) -> Point:
    """Property 5, E − NWGM = G'/(G + G') − (1 − E), for the values O of
    :func:`~._explore.o_law` (mean E, spread s): the printed right side (G'/(G + G') in the
    log domain, 1 − E summed as Σ P(1 − O)) against E − NWGM, both exact. A point takes about
    2 ms."""
    O, P = o_law(law, E, s)
    w = th.weighted_means(O, P)
    return Point.identity(float(special.expit(w["logGp"] - w["logG"])) - w["Ep"],
                          exact=w["E"] - w["NWGM"])
