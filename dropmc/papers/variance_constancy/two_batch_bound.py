"""Section 2.2 of Littwin & Wolf, first part: Theorem 3, the probability bound on the two-batch
loss (Eq. 12–16), its corrections and the remark after Eq. 16."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind, Verdict
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.variance_constancy._shared import CATALOG, _chebyshev_band
from dropmc.papers.variance_constancy.sample_variance import (EXPLORE_LAWS, EXPLORE_Q,
                                                            explore_law)
from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th

# ------------------------------------------------------------------------------------------
# Section 2.2: Theorem 3, Eq. 12–16
# ------------------------------------------------------------------------------------------

@CATALOG.claim(
    "thm3.eq13_chebyshev", label="Theorem 3 (proof), Eq. 13", kind=Kind.PROBABILITY_BOUND,
    statement="Pr(|1 − σ_s²/E σ_s²| > ε) ≤ var(σ_s²)/(ε²(E σ_s²)²) = x.")
def thm3_eq13(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The empirical probability of |1 − σ_s²/σ²| > ε (binomial SE) against x = (κ/n −
    (n−3)/(n(n−1)))/ε², one-sided, over laws of low and high kurtosis, random n and ε."""
    return _chebyshev_band(ctx, rng, "eq13", th.chebyshev_term, "upper", "x")


def _explore_band(ctx: Context, event: str, n: float, eps: float, law: str, q: float, rhs,
                  side: str, correction=None) -> Point:
    """A Theorem 3 / Eq. 20 bound ``rhs(κ, n, ε)`` on the probability of ``event`` for
    ``explore_law(law, q)`` and sub-batches of n (rounded), against the Monte Carlo
    probability (100,000 pairs of sub-batches, 4,000,000/n above n = 40, at standard
    precision; binomial SE), with ``correction(κ, n, ε)`` beside it when given."""
    n = max(2, int(round(n)))
    dist = explore_law(law, q)
    ev = sim.estimate_ratio_events(dist, n, eps, ctx.budget(min(100_000, 4_000_000 // n), 4_000),
                                   rng=ctx.stream())
    kappa = th.kurtosis(dist)
    return Point.bound(rhs(kappa, n, eps), side=side, mc=ev[event][0],
                       correction=None if correction is None else correction(kappa, n, eps))


_BAND_PARAMS = dict(n=(100, 2, 400), eps=(0.3, 0.02, 0.98), law=EXPLORE_LAWS, q=EXPLORE_Q)


@CATALOG.explorer("thm3.eq13_chebyshev", **_BAND_PARAMS)
def _explore_eq13(ctx: Context, n: float, eps: float, law: str, q: float) -> Point:
    """Eq. 13's Chebyshev bound x on Pr(|1 − σ_s²/σ²| > ε) for the chosen law
    (:func:`~.sample_variance.explore_law`) and sub-batches of n (:func:`_explore_band`): it
    holds everywhere (vacuous where x ≥ 1). A point takes 0.01–0.3 s (n = 2 … 400) at
    standard precision."""
    return _explore_band(ctx, "eq13", n, eps, law, q, th.chebyshev_term, "upper")


@CATALOG.claim(
    "thm3.eq14", label="Theorem 3 (proof), Eq. 14", kind=Kind.PROBABILITY_BOUND,
    statement="Pr(1 − ε ≤ σ²_{s1}/σ², σ²_{s2}/σ² ≤ 1 + ε) ≥ (1 − var(σ²_{s1})/(ε²σ⁴))².",
    note="As printed. Refuted: it squares the Chebyshev bound 1 − x of Eq. 13 (x = "
         "var(σ²_{s1})/(ε²σ⁴)), which is implied only while 1 − x ≥ 0. For x > 1 the "
         "right-hand side can exceed the true probability (normal activations, n = 102, "
         "ε = 0.1, x = 1.98: (1 − x)² = 0.961 against a measured 0.28), and for x > 2 it is "
         "above 1, not a probability. See thm3.eq14_corrected.")
def thm3_eq14(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The empirical probability that both independent sample variances lie within a factor
    1 ± ε of σ² against (1 − x)², one-sided; the right-hand side is reported when it exceeds 1
    or when x > 1 (where squaring the negative Chebyshev bound is invalid)."""
    return _chebyshev_band(ctx, rng, "eq14", th.thm3_rhs, "lower", "(1 - x)²")


@CATALOG.explorer("thm3.eq14", **_BAND_PARAMS)
def _explore_eq14(ctx: Context, n: float, eps: float, law: str, q: float) -> Point:
    """Eq. 14's lower bound (1 − x)² on Pr(both sample variances within 1 ± ε of σ²) for the
    chosen law (normal by default) and sub-batches of n (:func:`_explore_band`), next to its
    correction max(0, 1 − x)² (thm3.eq14_corrected). The printed bound fails where x > 1 and
    (1 − x)² exceeds the probability — small n and ε. A point takes 0.01–0.3 s (n = 2 … 400)
    at standard precision."""
    return _explore_band(ctx, "eq14", n, eps, law, q, th.thm3_rhs, "lower",
                         th.thm3_rhs_corrected)


@CATALOG.claim(
    "thm3.eq15", label="Theorem 3 (proof), Eq. 15", kind=Kind.PROBABILITY_BOUND,
    statement="Pr((1 − ε)/(1 + ε) ≤ σ²_{s1}/σ²_{s2} ≤ (1 + ε)/(1 − ε)) ≥ "
              "(1 − var(σ²_{s1})/(ε²σ⁴))².",
    note="As printed. Refuted: the same squared Chebyshev bound as Eq. 14, implied only while "
         "x ≤ 1; at n = 102, ε = 0.1 (normal activations, x = 1.98) it claims 0.961 where the "
         "ratio band has a measured probability of 0.68, and for x > 2 it is above 1. See "
         "thm3.eq15_corrected.")
def thm3_eq15(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The empirical probability of the ratio band against (1 − x)², one-sided."""
    return _chebyshev_band(ctx, rng, "eq15", th.thm3_rhs, "lower", "(1 - x)²")


@CATALOG.explorer("thm3.eq15", **_BAND_PARAMS)
def _explore_eq15(ctx: Context, n: float, eps: float, law: str, q: float) -> Point:
    """Eq. 15's lower bound (1 − x)² on Pr((1 − ε)/(1 + ε) ≤ σ²_{s1}/σ²_{s2} ≤ (1 + ε)/(1 − ε))
    for the chosen law and sub-batches of n (:func:`_explore_band`), next to its correction
    max(0, 1 − x)² (thm3.eq15_corrected). A point takes 0.01–0.3 s at standard precision."""
    return _explore_band(ctx, "eq15", n, eps, law, q, th.thm3_rhs, "lower",
                         th.thm3_rhs_corrected)


@CATALOG.claim(
    "thm3.eq12", label="Theorem 3, Eq. 12, Eq. 16", kind=Kind.PROBABILITY_BOUND,
    statement="For every 0 < ε < 1: Pr(4ε²/(1+ε)² ≤ (1 − σ²_{s1}/σ²_{s2})² ≤ 4ε²/(1−ε)²) ≥ "
              "(1 − (1/ε²)(κ/n − (n − 3)/(n(n − 1))))².",
    note="As printed. Refuted on two counts. The lower end 4ε²/(1+ε)² of the band does not "
         "follow from Eq. 15 (the two sample variances may be equal, so the loss may be near "
         "0), and the band is in fact rare exactly where the right-hand side is near 1: for "
         "normal activations at n = 100, ε = 0.5 the right-hand side is 0.845 and the measured "
         "probability about 0.006. And the right-hand side squares a Chebyshev bound 1 − x "
         "that may be negative: for x > 1 it is not implied, for x > 2 it exceeds 1. See "
         "thm3.eq12_corrected.")
def thm3_eq12(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The empirical probability of the printed band for the two-batch loss of Eq. 11 against
    the printed right-hand side, one-sided, over laws of low and high kurtosis, random n ∈
    [2, 100] and ε ∈ (0.05, 0.95), plus fixed cases (normal, n = 100, ε = 0.5, where the
    right-hand side is 0.845)."""
    return _chebyshev_band(ctx, rng, "eq12", th.thm3_rhs, "lower", "(1 - x)²")


@CATALOG.explorer("thm3.eq12", **_BAND_PARAMS)
def _explore_eq12(ctx: Context, n: float, eps: float, law: str, q: float) -> Point:
    """Eq. 12's lower bound (1 − x)² on the probability of its printed band 4ε²/(1+ε)² ≤
    (1 − σ²_{s1}/σ²_{s2})² ≤ 4ε²/(1−ε)² for the chosen law and sub-batches of n
    (:func:`_explore_band`). The printed statement fails where the band is rare (normal law,
    n = 100, ε = 0.5: (1 − x)² = 0.845 against a probability near 0.006) and where x > 1.
    The correction (thm3.eq12_corrected) changes the event as well as the bound, so it is
    explored on its own claim. A point takes 0.01–0.3 s at standard precision."""
    return _explore_band(ctx, "eq12", n, eps, law, q, th.thm3_rhs, "lower")


_CORR_NOTE = ("Derivation: Chebyshev (Eq. 13) gives Pr(|1 − σ_s²/σ²| ≤ ε) ≥ 1 − x for each "
              "sub-batch; independence gives the product, but 'P ≥ 1 − x' only implies "
              "'P² ≥ (1 − x)²' when 1 − x ≥ 0, so the valid bound is max(0, 1 − x)². On Eq. 15's "
              "event 1 − R lies in [−2ε/(1−ε), 2ε/(1+ε)], so (1 − R)² ≤ 4ε²/(1−ε)²; nothing "
              "bounds (1 − R)² from below (R = 1 is inside the event).")


@CATALOG.claim(
    "thm3.eq12_corrected", label="Theorem 3, Eq. 12, Eq. 16", kind=Kind.PROBABILITY_BOUND,
    as_printed=False, corrects="thm3.eq12", fix="rewrite", same_cases=True,
    statement="Pr((1 − σ²_{s1}/σ²_{s2})² ≤ 4ε²/(1−ε)²) ≥ max(0, 1 − (1/ε²)(κ/n − "
              "(n − 3)/(n(n − 1))))².", note=_CORR_NOTE)
def thm3_eq12_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Correction of Eq. 12/16. Eq. 13 (Chebyshev) bounds each sub-batch: Pr(|1 − σ_s²/σ²| ≤ ε)
    ≥ 1 − x; the two sub-batches are independent, so both hold with probability P² where
    P ≥ 1 − x, which gives P² ≥ (1 − x)² only if 1 − x ≥ 0, hence max(0, 1 − x)². On that event
    R = σ²_{s1}/σ²_{s2} ∈ [(1−ε)/(1+ε), (1+ε)/(1−ε)], so 1 − R ∈ [−2ε/(1−ε), 2ε/(1+ε)] and
    (1 − R)² ≤ 4ε²/(1−ε)²; R = 1 belongs to the event, so no positive lower bound on (1 − R)²
    follows. Checked on the same cases (laws, n, ε) as the printed claim (``same_cases``:
    drawn by :func:`._shared._chebyshev_band_cases` from the printed claim's first stream);
    the Monte Carlo draws are the correction's own."""
    return _chebyshev_band(ctx, rng, "eq12_upper", th.thm3_rhs_corrected, "lower",
                           "max(0, 1 - x)²")


@CATALOG.explorer("thm3.eq12_corrected", **_BAND_PARAMS)
def _explore_eq12_corrected(ctx: Context, n: float, eps: float, law: str, q: float) -> Point:
    """The corrected Eq. 12: max(0, 1 − x)² as a lower bound on Pr((1 − σ²_{s1}/σ²_{s2})² ≤
    4ε²/(1−ε)²) for the chosen law and sub-batches of n (:func:`_explore_band`). It holds
    everywhere. A point takes 0.01–0.3 s at standard precision."""
    return _explore_band(ctx, "eq12_upper", n, eps, law, q, th.thm3_rhs_corrected, "lower")


@CATALOG.claim(
    "thm3.eq14_corrected", label="Theorem 3 (proof), Eq. 14", kind=Kind.PROBABILITY_BOUND,
    as_printed=False, corrects="thm3.eq14", fix="scope", same_cases=True,
    statement="Pr(both σ²_{s1}/σ², σ²_{s2}/σ² ∈ [1 − ε, 1 + ε]) ≥ max(0, 1 − x)².",
    note=_CORR_NOTE)
def thm3_eq14_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Correction of Eq. 14: the product of two probabilities each ≥ 1 − x is ≥ (1 − x)² only
    when 1 − x ≥ 0; otherwise the only bound is 0. Same cases (laws, n, ε) as the printed claim
    (``same_cases``); the Monte Carlo draws are the correction's own."""
    return _chebyshev_band(ctx, rng, "eq14", th.thm3_rhs_corrected, "lower", "max(0, 1 - x)²")


CATALOG.no_explorer("thm3.eq14_corrected", "explored with thm3.eq14 (its correction)")


@CATALOG.claim(
    "thm3.eq15_corrected", label="Theorem 3 (proof), Eq. 15", kind=Kind.PROBABILITY_BOUND,
    as_printed=False, corrects="thm3.eq15", fix="scope", same_cases=True,
    statement="Pr((1 − ε)/(1 + ε) ≤ σ²_{s1}/σ²_{s2} ≤ (1 + ε)/(1 − ε)) ≥ max(0, 1 − x)².",
    note=_CORR_NOTE)
def thm3_eq15_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Correction of Eq. 15: Eq. 14's event implies the ratio band, so the corrected bound of
    Eq. 14 carries over. Same cases (laws, n, ε) as the printed claim (``same_cases``); the
    Monte Carlo draws are the correction's own."""
    return _chebyshev_band(ctx, rng, "eq15", th.thm3_rhs_corrected, "lower", "max(0, 1 - x)²")


CATALOG.no_explorer("thm3.eq15_corrected", "explored with thm3.eq15 (its correction)")


def _rhs_strategy():
    from hypothesis import strategies as st

    f = lambda a, b: st.floats(a, b, allow_nan=False, allow_infinity=False)  # noqa: E731
    return st.tuples(st.integers(2, 200), f(0.01, 0.99), f(1.0, 50.0), f(1.0, 50.0))


@CATALOG.claim(
    "thm3.rhs_max_at_min_kappa", label="Theorem 3 (remark after Eq. 16)", kind=Kind.INEQUALITY,
    statement="The right-hand side of Eq. 12 is maximised when κ(ρ) is minimised, i.e. it does "
              "not increase with κ.",
    note="As printed. Refuted once x > 1, where (1 − x)² grows again with κ: at n = 2, "
         "ε = 0.5 the right-hand side is 9 for κ = 1 (x = 4) and 25 for κ = 2 (x = 6). See "
         "thm3.rhs_max_at_min_kappa_corrected.")
def thm3_rhs_max_at_min_kappa(ctx: Context) -> Iterator[CaseResult]:
    """A hypothesis search over (n, ε, κ1, κ2) for κ1 < κ2 with RHS(κ1) < RHS(κ2) (beyond 1e-12),
    with the printed right-hand side (1 − x)²."""
    def holds(args):
        n, e, k1, k2 = args
        if k1 > k2:
            k1, k2 = k2, k1
        return ctx.ge(th.thm3_rhs(k1, n, e), th.thm3_rhs(k2, n, e), tol=1e-12, scale=1.0)

    cr = judge.search_case({}, holds, _rhs_strategy(), what="(n, ε, κ1, κ2)")
    if cr.verdict is Verdict.REFUTED:
        n, e, k1, k2 = (cr.detail.split(": ", 1)[1].strip("()").split(", "))
        n, e, k1, k2 = int(n), float(e), float(k1), float(k2)
        k1, k2 = min(k1, k2), max(k1, k2)
        cr.params.update({"n": n, "eps": e, "kappa1": k1, "kappa2": k2})
        cr.theory = th.thm3_rhs(k1, n, e)
        cr.detail = (f"counterexample (n, ε, κ1, κ2) = ({n}, {e}, {k1}, {k2}): RHS(κ1) = "
                     f"{th.thm3_rhs(k1, n, e):.6g} < RHS(κ2) = {th.thm3_rhs(k2, n, e):.6g} "
                     f"(x = {th.chebyshev_term(k1, n, e):.3g} > 1)")
    yield cr


def _rhs_slope(rhs, kappa: float, n: float, eps: float) -> float:
    """d rhs(κ, n, ε)/dκ at κ by a central difference (step 1e-6 κ), n rounded."""
    n = max(2, int(round(n)))
    h = 1e-6 * kappa
    return (rhs(kappa + h, n, eps) - rhs(kappa - h, n, eps)) / (2 * h)


_SLOPE_PARAMS = dict(kappa=(3.0, 1.01, 50.0), n=(4, 2, 200), eps=(0.5, 0.02, 0.98))


@CATALOG.explorer("thm3.rhs_max_at_min_kappa", **_SLOPE_PARAMS)
def _explore_rhs_kappa(ctx: Context, kappa: float, n: float, eps: float) -> Point:
    """The remark after Eq. 16 as a bound: 0 bounds the slope in κ of the printed right-hand
    side (1 − x)² from above (central difference). It fails wherever x > 1 (small n and ε,
    large κ), where (1 − x)² grows with κ. The corrected right-hand side's slope is explored
    with thm3.rhs_max_at_min_kappa_corrected. A point takes under 1 ms."""
    return Point.bound(0.0, side="upper", exact=_rhs_slope(th.thm3_rhs, kappa, n, eps))


@CATALOG.claim(
    "thm3.rhs_max_at_min_kappa_corrected", label="Theorem 3 (remark after Eq. 16)",
    kind=Kind.INEQUALITY, as_printed=False, corrects="thm3.rhs_max_at_min_kappa", fix="scope",
    statement="The corrected right-hand side max(0, 1 − x)² does not increase with κ.")
def thm3_rhs_max_at_min_kappa_corrected(ctx: Context) -> Iterator[CaseResult]:
    """x grows linearly in κ (coefficient 1/(nε²) > 0) and t ↦ max(0, 1 − t)² is non-increasing,
    so the corrected bound is non-increasing in κ; a hypothesis search of the same form as the
    printed remark's (same strategy, the corrected right-hand side; its own seed, so not the
    same examples) finds no counterexample."""
    def holds(args):
        n, e, k1, k2 = args
        if k1 > k2:
            k1, k2 = k2, k1
        return ctx.ge(th.thm3_rhs_corrected(k1, n, e), th.thm3_rhs_corrected(k2, n, e),
                      tol=1e-12, scale=1.0)

    yield judge.search_case({}, holds, _rhs_strategy(), what="(n, ε, κ1, κ2)")
    # the derivative: d/dκ max(0, 1 − x)² = −2·max(0, 1 − x)/(nε²) ≤ 0, against central
    # differences of the corrected right-hand side on a grid of (n, ε, κ) with x ≠ 1
    rng = ctx.rng()  # after the search's stream
    fd, an = [], []
    for _ in range(200):
        n, e, k = int(rng.integers(2, 201)), float(rng.uniform(0.01, 0.99)), float(rng.uniform(1, 50))
        h = 1e-5 * k
        x = th.chebyshev_term(k, n, e)
        if abs(x - 1) < 1e-3 or k - h < 1:
            continue
        fd.append((th.thm3_rhs_corrected(k + h, n, e) - th.thm3_rhs_corrected(k - h, n, e)) / (2 * h))
        an.append(-2 * max(0.0, 1 - x) / (n * e * e))
    yield judge.exact({"quantity": "d RHS/dκ (central differences)", "points": len(an)},
                      np.array(an), np.array(fd), rtol=1e-5, atol=1e-9,
                      detail="the derivative in κ is −2·max(0, 1 − x)/(nε²) ≤ 0")
    yield judge.holds({"quantity": "max of the derivative in κ"},
                      lambda top=max(fd): ctx.le(top, 0.0, tol=1e-9, scale=1e-6), theory=0.0,
                      estimate=Estimate.exact(max(fd), "closed_form", len(fd)),
                      detail=f"largest central difference {max(fd):.3g} ≤ 0")


@CATALOG.explorer("thm3.rhs_max_at_min_kappa_corrected", **_SLOPE_PARAMS)
def _explore_rhs_kappa_corrected(ctx: Context, kappa: float, n: float, eps: float) -> Point:
    """0 bounds the slope in κ of the corrected right-hand side max(0, 1 − x)² from above
    (central difference): it holds everywhere (the slope is 0 where x ≥ 1). A point takes
    under 1 ms."""
    return Point.bound(0.0, side="upper", exact=_rhs_slope(th.thm3_rhs_corrected, kappa, n,
                                                           eps))
