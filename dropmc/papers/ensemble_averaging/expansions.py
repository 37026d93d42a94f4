"""Appendix B of Baldi & Sadowski: the expansions of the weighted means G, G' and the NWGM around
the mean E (B.1, Eq. 195–202) and around one or zero (B.2, Eq. 203–211), with the bounds on the
NWGM error of Eq. 209–210."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import (
    E_RANGE,
    S_LOG_RANGE,
    S_RANGE,
    law_choice,
    near_law,
    o_law,
)
from dropmc.papers.ensemble_averaging._shared import (
    CATALOG,
    _clusters,
    _e_minus_g,
    _gap_G,
    _gap_Gp,
    _gap_nwgm,
    _ineq_claim,
    _le,
    _order_claim,
    _random_sample,
    _search,
    _st_sample,
    _unpack,
)
from dropmc.theory import ensemble_averaging as th

# -- Appendix B.1: expansion around the mean (Eq. 195–202) -------------------------------------


@CATALOG.claim(
    "eq199_202.expansion_mean", label="Eq. 195, Eq. 196, Eq. 197, Eq. 199, Eq. 200, Eq. 201, Eq. 202",
    kind=Kind.APPROXIMATION,
    statement="Expanding around the mean: G ≈ E − V/(2E), G' ≈ (1 − E) − V/(2(1 − E)), G + G' ≈ "
              "1 − V/(2E(1 − E)) and NWGM ≈ (E − V/(2E))/(1 − V/(2E(1 − E))).")
def eq199_202(ctx: Context) -> Iterator[CaseResult]:
    """Shrinking clusters around random E₀ (near 0.5 and away from it): the relative errors of
    E − G, 1 − E − G', 1 − (G + G') and E − NWGM against the corresponding approximations
    must vanish (slope > 0.5)."""
    reg = ("0.5", "low", "high")
    yield from _order_claim(ctx, _gap_G, lambda w: w["V"] / (2 * w["E"]), kind="relative",
                            claimed=1, name="Eq. 199", regimes=reg, n_each=1)
    yield from _order_claim(ctx, _gap_Gp, lambda w: w["V"] / (2 * (1 - w["E"])), kind="relative",
                            claimed=1, name="Eq. 200", regimes=reg, n_each=1)
    yield from _order_claim(ctx, lambda O, P, w: 1 - w["G"] - w["Gp"],
                            lambda w: w["V"] / (2 * w["E"] * (1 - w["E"])), kind="relative",
                            claimed=1, name="Eq. 201", regimes=reg, n_each=1)
    yield from _order_claim(ctx, _gap_nwgm, lambda w: w["E"] - th.eq202_nwgm(w["E"], w["V"]),
                            kind="relative", claimed=1, name="Eq. 202", regimes=("low", "high"),
                            n_each=1)


@CATALOG.explorer("eq199_202.expansion_mean", E=E_RANGE, s=S_LOG_RANGE,
                  law=law_choice("skewed"), form=("G", "G'", "G + G'", "NWGM"))
def _explore_eq199_202(ctx: Context, E: float, s: float, law: str, form: str) -> Point:
    """The expansions around the mean (Appendix B.1) for the values O of
    :func:`~._explore.o_law` (mean E, spread s), the means exact: ``form`` picks G ≈ E −
    V/(2E) (Eq. 199), G' ≈ 1 − E − V/(2(1 − E)) (Eq. 200), G + G' ≈ 1 − V/(2E(1 − E))
    (Eq. 201) or NWGM ≈ (E − V/(2E))/(1 − V/(2E(1 − E))) (Eq. 202). Each error is of third
    order in s (slope 3 on a log scale of s). A point takes about 2 ms."""
    O, P = o_law(law, E, s)
    w = th.weighted_means(O, P)
    E_, V = w["E"], w["V"]
    G, Gp = E_ - _e_minus_g(O, P), w["Ep"] - _e_minus_g(1 - O, P)
    printed, truth = {"G": (E_ - V / (2 * E_), G),
                      "G'": (1 - E_ - V / (2 * (1 - E_)), Gp),
                      "G + G'": (1 - V / (2 * E_ * (1 - E_)), G + Gp),
                      "NWGM": (th.eq202_nwgm(E_, V), w["NWGM"])}[form]
    return Point.approximation(printed, exact=truth, order=3, order_in="s")


@CATALOG.claim(
    "eq198_199.middle_as_printed", label="Eq. 198, Eq. 199", kind=Kind.APPROXIMATION,
    statement="G = E[1 + Σ P_iε_i/E + Σ P_i(P_i − 1)/2 (ε_i/E)² + Σ_{i≠j} P_iP_jε_iε_j/E² + R₃] "
              "= E[1 − V/E² + R₃].",
    note="Both middle forms are off: the cross terms of the product are Σ_{i<j} (not i ≠ j) and "
         "the bracket is 1 − V/(2E²); the final 'G ≈ E − V/(2E)' of Eq. 199 is right. See "
         "eq198_199.middle_corrected.")
def eq198_199_middle(ctx: Context) -> Iterator[CaseResult]:
    """Along shrinking clusters around random E₀: the relative error of E − G against the
    printed E·V/E² = V/E (Eq. 199 middle) and against the printed Eq. 198 bracket (with
    Σ_{i≠j}) must vanish for a correct second-order expansion."""
    def eq198(O, P, w):
        E = w["E"]
        e = O - E
        cross = (P @ e) ** 2 - np.sum(P * P * e * e)  # Σ_{i≠j} P_iP_jε_iε_j
        return E - E * (1 + np.sum(P * (P - 1) / 2 * (e / E) ** 2) + cross / E ** 2)
    yield from _order_claim(ctx, _gap_G, lambda w: w["V"] / w["E"], kind="relative", claimed=1,
                            name="Eq. 199 middle: E − G ≈ V/E", regimes=("low", "high"), n_each=1)
    rng = ctx.rng()  # the second stream: _order_claim drew the first
    for _ in range(2):
        center, s, samples, P = _clusters(rng, "low")
        ws = [th.weighted_means(O, P) for O in samples]
        D = np.array([_gap_G(O, P, w) for O, w in zip(samples, ws)])
        A = np.array([eq198(O, P, w) for O, w in zip(samples, ws)])
        yield judge.order({"around": "low", "center": center}, A, D, s=s, claimed=1,
                          kind="relative", name="Eq. 198 bracket")


@CATALOG.explorer("eq198_199.middle_as_printed", E=(0.3, 0.02, 0.98), s=S_LOG_RANGE,
                  law=law_choice("skewed"))
def _explore_eq198_199(ctx: Context, E: float, s: float, law: str) -> Point:
    """G ≈ E[1 − V/E²] = E − V/E (Eq. 199's middle form as printed) next to its correction
    E − V/(2E) for the values O of :func:`~._explore.o_law` (mean E, spread s), G exact: the
    printed bracket doubles the second-order term, so its error is of second order in s, the
    correction's of third (slopes 2 and 3 on a log scale of s). A point takes about 2 ms."""
    O, P = o_law(law, E, s)
    w = th.weighted_means(O, P)
    E_, V = w["E"], w["V"]
    return Point.approximation(E_ - V / E_, exact=E_ - _e_minus_g(O, P),
                               correction=E_ - V / (2 * E_), order=3, order_in="s")


@CATALOG.claim(
    "eq198_199.middle_corrected", label="Eq. 198, Eq. 199", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq198_199.middle_as_printed", fix="misprint",
    statement="E[1 + Σ P_i(P_i − 1)/2 (ε_i/E)² + Σ_{i<j} P_iP_jε_iε_j/E²] = E[1 − V/(2E²)] when "
              "Σ P_iε_i = 0, so G = E − V/(2E) + O(ε³).")
def eq198_199_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: Σ_i P_i(P_i − 1)ε_i²/2 + Σ_{i<j}P_iP_jε_iε_j = ½(Σ_i P_iε_i)² − ½Σ_i P_iε_i²
    = −V/2 when Σ P_iε_i = 0 (ε_i = O_i − E). Checked exactly on random samples."""
    for _ in range(5):
        O, P = _random_sample(rng)
        E = P @ O
        e = O - E
        cross = sum(P[i] * P[j] * e[i] * e[j] for i in range(e.size) for j in range(i + 1, e.size))
        br = 1 + np.sum(P * (P - 1) / 2 * (e / E) ** 2) + cross / E ** 2
        yield judge.exact({"m": O.size}, 1 - (P @ e ** 2) / (2 * E * E), br)


@CATALOG.explorer("eq198_199.middle_corrected", E=(0.3, 0.02, 0.98), s=S_RANGE,
                  law=law_choice("uniform"))
def _explore_eq198_199_corrected(ctx: Context, E: float, s: float, law: str) -> Point:
    """The bracket of Eq. 198 with the cross terms over i < j, E[1 + Σ P_i(P_i − 1)/2
    (ε_i/E)² + Σ_{i<j} P_iP_jε_iε_j/E²] (ε_i = O_i − E), against E[1 − V/(2E²)] for the values
    O of :func:`~._explore.o_law` (mean E, spread s): an algebraic identity, both sides exact.
    A point takes about 2 ms."""
    O, P = o_law(law, E, s)
    E_ = float(P @ O)
    e = O - E_
    cross = 0.5 * ((P @ e) ** 2 - float(np.sum(P * P * e * e)))  # Σ_{i<j} P_iP_jε_iε_j
    br = 1 + float(np.sum(P * (P - 1) / 2 * (e / E_) ** 2)) + cross / E_ ** 2
    return Point.identity(E_ * (1 - float(P @ e ** 2) / (2 * E_ * E_)), exact=E_ * br)


# -- Appendix B.2: expansions around one and around zero (Eq. 203–211) -------------------------


def _near_one(rng, n_steps=7, s0=0.2, flip=False):
    """Samples O = 1 − s·u (or s·u near 0 when ``flip``) with u ∈ (0, 1] of varied spread."""
    m = int(rng.integers(2, 9))
    u = rng.uniform(0.05, 1.0, m)
    P = rng.dirichlet(np.ones(m))
    s = s0 * 0.5 ** np.arange(n_steps)
    samples = [(s_ * u if flip else 1 - s_ * u) for s_ in s]
    return s, samples, P


def _near_claim(ctx, quantity, approx, *, kind, claimed, name, flip=False,
                n_cases=3) -> Iterator[CaseResult]:
    """Samples shrinking to 1 (to 0 with ``flip``, :func:`_near_one`), on the next stream of
    the claim (several of these run in one claim): the order of ``quantity`` ≈ ``approx``."""
    rng = ctx.rng()
    for _ in range(n_cases):
        s, samples, P = _near_one(rng, flip=flip)
        ws = [th.weighted_means(O, P) for O in samples]
        D = np.array([quantity(O, P, w) for O, w in zip(samples, ws)])
        A = np.array([approx(w) for w in ws])
        yield judge.order({"around": 0 if flip else 1, "m": P.size}, A, D, s=s,
                          claimed=claimed, kind=kind, name=name)


@CATALOG.claim(
    "eq203_204.around_one_G", label="Eq. 203, Eq. 204", kind=Kind.APPROXIMATION,
    statement="Around one (O_i = 1 − ε_i), G = E − V/2 + R₃.")
def eq204(ctx: Context) -> Iterator[CaseResult]:
    """Samples O = 1 − s·u shrinking to 1: |G − (E − V/2)| must be O(s³) (slope > 2.5)."""
    yield from _near_claim(ctx, lambda O, P, w: w["G"], lambda w: th.eq204_G(w["E"], w["V"]),
                           kind="absolute", claimed=3, name="G ≈ E − V/2")


@CATALOG.explorer("eq203_204.around_one_G", s=(0.1, 1 / 1024, 1.0), law=law_choice("skewed"))
def _explore_eq204(ctx: Context, s: float, law: str) -> Point:
    """G ≈ E − V/2 around one (Eq. 204) for values O = 1 − s·U next to 1
    (:func:`~._explore.near_law`), G exact: the remainder is of third order in s (slope 3 on
    a log scale of s). A point takes about 2 ms."""
    O, P = near_law(law, s, "one")
    w = th.weighted_means(O, P)
    return Point.approximation(th.eq204_G(w["E"], w["V"]), exact=w["E"] - _e_minus_g(O, P),
                               order=3, order_in="s")


@CATALOG.claim(
    "eq205_208.around_one", label="Eq. 205, Eq. 206, Eq. 207, Eq. 208", kind=Kind.APPROXIMATION,
    statement="Around one, G' ≈ 1 − E − V/2, G + G' ≈ 1 − V, NWGM ≈ (2E − V)/(2 − 2V) and "
              "E − NWGM ≈ −(E − ½)V/(1 − V).",
    note="G' = Π ε_i^{P_i} is the geometric mean of the small complements and has no expansion "
         "around 0 ('by symmetry' does not apply): its relative error does not vanish, so "
         "1 − (G + G') and 1 − NWGM are of first order in ε, not second (Eq. 206–207), and so "
         "is E − NWGM (Eq. 208). See eq208.corrected.")
def eq205_208(ctx: Context) -> Iterator[CaseResult]:
    """Samples O = 1 − s·u shrinking to 1 (u spread over [0.05, 1]): each expansion must
    capture the leading term of the small quantity it approximates, i.e. its relative error
    must vanish (judge.order, relative): G' (Eq. 205), 1 − (G + G') ≈ V (Eq. 206), 1 − NWGM ≈
    1 − (2E − V)/(2 − 2V) (Eq. 207; NWGM itself tends to 1, so its plain relative error would
    vanish for any approximation tending to 1) and E − NWGM (Eq. 208)."""
    yield from _near_claim(ctx, lambda O, P, w: w["Gp"], lambda w: th.eq205_Gp(w["E"], w["V"]),
                           kind="relative", claimed=1, name="Eq. 205 G' ≈ 1 − E − V/2", n_cases=2)
    yield from _near_claim(ctx, lambda O, P, w: 1 - w["G"] - w["Gp"],
                           lambda w: 1 - th.eq206_sum(w["E"], w["V"]), kind="relative",
                           claimed=1, name="Eq. 206 1 − (G + G') ≈ V", n_cases=2)
    yield from _near_claim(ctx, lambda O, P, w: 1 - w["NWGM"],
                           lambda w: 1 - th.eq207_nwgm(w["E"], w["V"]), kind="relative",
                           claimed=1, name="Eq. 207 1 − NWGM ≈ 1 − (2E − V)/(2 − 2V)", n_cases=2)
    yield from _near_claim(ctx, _gap_nwgm, lambda w: th.eq208_gap(w["E"], w["V"]),
                           kind="relative", claimed=1, name="Eq. 208 E − NWGM", n_cases=2)


@CATALOG.explorer("eq205_208.around_one", s=(0.1, 1 / 1024, 1.0), law=law_choice("skewed"),
                  form=("E − NWGM", "G'", "G + G'", "NWGM"))
def _explore_eq205_208(ctx: Context, s: float, law: str, form: str) -> Point:
    """The expansions around one (Eq. 205–208) for values O = 1 − s·U next to 1
    (:func:`~._explore.near_law`), the means exact: ``form`` picks G' ≈ 1 − E − V/2
    (Eq. 205), G + G' ≈ 1 − V (Eq. 206), NWGM ≈ (2E − V)/(2 − 2V) (Eq. 207) or E − NWGM ≈
    −(E − ½)V/(1 − V) (Eq. 208, with its correction G' − (1 − E), eq208.corrected). Each
    quantity is of first order in s; an expansion capturing it errs at second order (slope
    2 on a log scale of s) — the printed ones do not: G' = Π(1 − O_i)^{P_i} is the
    geometric mean of the small complements, which E and V do not determine. A point takes
    about 2 ms."""
    O, P = near_law(law, s, "one")
    w = th.weighted_means(O, P)
    E_, V = w["E"], w["V"]
    if form == "E − NWGM":
        return Point.approximation(th.eq208_gap(E_, V), exact=E_ - w["NWGM"],
                                   correction=w["Gp"] - w["Ep"], order=2, order_in="s")
    printed, truth = {"G'": (th.eq205_Gp(E_, V), w["Gp"]),
                      "G + G'": (th.eq206_sum(E_, V), w["G"] + w["Gp"]),
                      "NWGM": (th.eq207_nwgm(E_, V), w["NWGM"])}[form]
    return Point.approximation(printed, exact=truth, order=2, order_in="s")


@CATALOG.claim(
    "eq208.corrected", label="Eq. 208", kind=Kind.APPROXIMATION, as_printed=False,
    corrects="eq205_208.around_one", fix="rewrite",
    statement="Around one, E − NWGM ≈ G_ε − E_ε = −(arithmetic − geometric mean of ε_i = 1 − O_i), "
              "a first-order (negative) quantity.")
def eq208_corrected(ctx: Context) -> Iterator[CaseResult]:
    """Derivation: E − NWGM = G'/(G + G') − (1 − E) exactly (property 5). Near one, G = 1 −
    O(ε) and G' = Π ε_i^{P_i} = O(ε), so G'/(G + G') = G'(1 + O(ε)) and E − NWGM = G' − E_ε +
    O(ε²), where E_ε = 1 − E. Its relative error must vanish (slope > 0.5) as O → 1."""
    yield from _near_claim(ctx, _gap_nwgm, lambda w: w["Gp"] - (1 - w["E"]), kind="relative",
                           claimed=1, name="E − NWGM ≈ G' − (1 − E)")


@CATALOG.explorer("eq208.corrected", s=(0.1, 1 / 1024, 1.0), law=law_choice("skewed"))
def _explore_eq208(ctx: Context, s: float, law: str) -> Point:
    """E − NWGM around one: the printed −(E − ½)V/(1 − V) (Eq. 208) next to the correction
    G' − (1 − E) (eq208.corrected) for values O = 1 − s·U next to 1
    (:func:`~._explore.near_law`), E − NWGM exact. The correction's error is of second order
    in s (slope 2 on a log scale of s); the printed form, of second order itself, misses the
    first-order quantity entirely. A point takes about 2 ms."""
    O, P = near_law(law, s, "one")
    w = th.weighted_means(O, P)
    return Point.approximation(th.eq208_gap(w["E"], w["V"]), exact=w["E"] - w["NWGM"],
                               correction=w["Gp"] - w["Ep"], order=2, order_in="s")


@CATALOG.claim(
    "eq209_210.chain", label="Eq. 209, Eq. 210 (Appendix B.2)", kind=Kind.INEQUALITY,
    statement="½V/(1 − V) ≤ ½E(1 − E)/(1 − E(1 − E)) ≤ 1/6 and |E − ½|E(1 − E)/(1 − E(1 − E)) ≤ "
              "½E(1 − E)/(1 − E(1 − E)) ≤ 1/6; f(E) = E(1 − E)/(1 − E(1 − E)) is concave on [0, 1] "
              "with maximum f(0.5) = 1/3.")
def eq209_210(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis over samples on [0, 1]; the maximum of f by scipy optimisation and its
    concavity from the numerical second derivative on a grid."""
    def holds(args):
        O, P = _unpack(args)
        E = float(P @ O)
        V = float(P @ (O - E) ** 2)
        f = float(th.f_app_b(E))
        # V, f(E) are built from E and 1 − E (size 1): at E = 1 both are 0 up to rounding of
        # order 1e-16, hence tolerance and power relative to 1
        return (_le(ctx, 0.5 * V / (1 - V), 0.5 * f, 1.0) and _le(ctx, 0.5 * f, 1 / 6)
                and _le(ctx, abs(E - 0.5) * f, 0.5 * f, 1.0))
    yield from _ineq_claim(ctx, holds, 0.0, 1.0, "[0, 1]")
    from scipy import optimize

    res = optimize.minimize_scalar(lambda e: -float(th.f_app_b(e)), bounds=(0, 1), method="bounded",
                                   options={"xatol": 1e-12})
    yield judge.exact({"what": "argmax and max of f"}, [0.5, 1 / 3],
                      [float(res.x), float(-res.fun)], atol=1e-8, method="optimisation")
    x = np.linspace(0, 1, 20001)
    d2 = np.gradient(np.gradient(th.f_app_b(x), x), x)[2:-2]
    # concave: f'' ≤ 0 up to the finite-difference error (≈ h²·max|f⁗| ≈ 1e-7); the bound 0 is
    # tightened by δ·max|f''| in power runs
    yield judge.holds({"what": "f concave"},
                      lambda: ctx.le(float(d2.max()), 0.0, tol=1e-6,
                                     scale=float(np.abs(d2).max())),
                      estimate=Estimate.exact(float(d2.max()), "closed_form", x.size),
                      resolution=1e-6, detail=f"max f'' = {d2.max():.3g} (min {d2.min():.3g})")


@CATALOG.explorer("eq209_210.chain", E=E_RANGE, v=(0.5, 0.0, 1.0),
                  link=("½V/(1 − V) ≤ ½f(E)", "½f(E) ≤ 1/6", "|E − ½|f(E) ≤ ½f(E)"))
def _explore_eq209_210_chain(ctx: Context, E: float, v: float, link: str) -> Point:
    """One inequality of Eq. 209–210 (f(E) = E(1 − E)/(1 − E(1 − E))) over every (E, V) a law
    on [0, 1] can have: V = v·E(1 − E), v ∈ [0, 1]; both sides closed forms. A point takes about
    2 ms."""
    V = v * E * (1 - E)
    f = float(th.f_app_b(E))
    lower, upper = {"½V/(1 − V) ≤ ½f(E)": (0.5 * V / (1 - V), 0.5 * f),
                    "½f(E) ≤ 1/6": (0.5 * f, 1 / 6),
                    "|E − ½|f(E) ≤ ½f(E)": (abs(E - 0.5) * f, 0.5 * f)}[link]
    return Point.bound(upper, side="upper", exact=lower)


@CATALOG.claim(
    "eq209_210.exact_gap", label="Eq. 209, Eq. 210 (Appendix B.2)", kind=Kind.INEQUALITY,
    statement="|E − NWGM| ≲ ½V/(1 − V) ≤ 1/6 (read as bounds on the exact |E − NWGM|).",
    note="Printed with '≲'. Exact errors exceed both ½V/(1 − V) and 1/6 (e.g. two values, one "
         "next to 1): see the counterexamples.",
    no_correction="The bounds rest on Eq. 208, which misses the first-order term of E − NWGM "
                  "near 0 and 1 (eq208.corrected), and the paper states no other bound on the "
                  "exact gap to put in their place; the measured gaps are reported in the "
                  "cases.")
def eq209_210_exact(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis searches for samples with |E − NWGM| > ½V/(1 − V) and > 1/6, plus the
    deterministic case O = (1 − 10⁻¹⁰, 0.1), P = (½, ½) where NWGM ≈ 1 and E = 0.55."""
    for name, bound in (("½V/(1−V)", lambda E, V: 0.5 * V / (1 - V)), ("1/6", lambda E, V: 1 / 6)):
        def holds(args, bound=bound):
            O, P = _unpack(args)
            w = th.weighted_means(O, P)
            # E − NWGM is a difference of terms of size E: equal values give it ≈ 1e-17·E
            return _le(ctx, abs(w["E"] - w["NWGM"]), bound(w["E"], w["V"]), tol_scale=w["E"])
        yield _search(ctx, holds, _st_sample(1e-12, 1 - 1e-12), {"bound": name},
                      what="(O, weights)")
    w = th.weighted_means([1 - 1e-10, 0.1], [0.5, 0.5])
    gap = abs(w["E"] - w["NWGM"])
    yield judge.holds({"O": [1 - 1e-10, 0.1], "P": [0.5, 0.5]}, ctx.le(gap, 1 / 6), theory=1 / 6,
                      estimate=Estimate.exact(gap, "closed_form", 1),
                      detail=f"E = {w['E']:.4g}, NWGM = {w['NWGM']:.6g}, |E − NWGM| = {gap:.4g} "
                             "> 1/6")


@CATALOG.explorer("eq209_210.exact_gap", E=(0.9, 0.02, 0.98), s=S_RANGE,
                  law=law_choice("skewed"), bound=("½V/(1 − V)", "1/6"))
def _explore_eq209_210_gap(ctx: Context, E: float, s: float, law: str, bound: str) -> Point:
    """½V/(1 − V) (or 1/6, ``bound``) read as a bound on the exact |E − NWGM| (Eq. 209–210)
    for the values O of :func:`~._explore.o_law` (mean E, spread s), exact. Near 0 and 1
    E − NWGM is of first order in the spread (eq208.corrected) while ½V/(1 − V) is of second:
    the printed bound fails there; spread-out skewed laws near 1 exceed 1/6 too. A point
    takes about 2 ms."""
    O, P = o_law(law, E, s)
    w = th.weighted_means(O, P)
    b = 0.5 * w["V"] / (1 - w["V"]) if bound.startswith("½") else 1 / 6
    return Point.bound(b, side="upper", exact=abs(w["E"] - w["NWGM"]))


@CATALOG.claim(
    "eq211.around_zero", label="Eq. 211", kind=Kind.APPROXIMATION,
    statement="Around zero, NWGM ≈ (1 − E − 0.5V)/(1 − V).",
    note="As printed this approximates G'/(G + G') = 1 − NWGM (interchanging G and G' in "
         "Eq. 207 gives the complement); for small O_i it is ≈ 1 while NWGM ≈ 0.",
    no_correction="Its complement, NWGM ≈ (E − 0.5V)/(1 − V), fails as well (a relative error "
                  "near 0.3 that does not vanish as the O_i shrink): around zero NWGM ≈ "
                  "G = Π O_i^{P_i}, the geometric mean of the small values, which E and V do "
                  "not determine (the failure of Eq. 205 around one), so no expression of the "
                  "printed kind holds.")
def eq211(ctx: Context) -> Iterator[CaseResult]:
    """Samples O = s·u shrinking to 0: relative error of the printed expression against the
    NWGM."""
    yield from _near_claim(ctx, lambda O, P, w: w["NWGM"],
                           lambda w: th.eq211_nwgm_as_printed(w["E"], w["V"]), kind="relative",
                           claimed=1, name="Eq. 211", flip=True, n_cases=2)


@CATALOG.explorer("eq211.around_zero", s=(0.1, 1 / 1024, 1.0), law=law_choice("skewed"))
def _explore_eq211(ctx: Context, s: float, law: str) -> Point:
    """NWGM ≈ (1 − E − 0.5V)/(1 − V) around zero (Eq. 211 as printed) for values O = s·U next
    to 0 (:func:`~._explore.near_law`), the NWGM exact: the printed expression tends to 1
    while the NWGM tends to 0 (it approximates 1 − NWGM). A point takes about 2 ms."""
    O, P = near_law(law, s, "zero")
    w = th.weighted_means(O, P)
    return Point.approximation(th.eq211_nwgm_as_printed(w["E"], w["V"]), exact=w["NWGM"])
