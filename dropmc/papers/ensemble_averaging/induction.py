"""Sections 9.1–9.4 of Baldi & Sadowski: the dropout induction (Eq. 98–102) and the sampling
distributions of E and NWGM (Eq. 103–108), with Section 9.3's remarks after Eq. 104 on the bias
of σ(μ_S) and on the constants C₁ and C₂."""

from __future__ import annotations

import itertools as _it
import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate, mean_estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._shared import (
    CATALOG,
    _le,
    _random_layered,
    _search,
    _vector_case,
)
from dropmc.simulations import enumeration as _enum
from dropmc.theory import ensemble_averaging as th

# -- Section 9.1: dropout induction (Eq. 98–102) --------------------------------------------


def _layered_enum(Ws, I, ps, c, lam):
    """All dropout masks of a layered logistic network (node dropout on every layer that
    feeds another): per layer, the law of S and O over the masks (rows) and the probabilities."""
    sizes = [len(p) for p in ps]
    masks, probs = _enum.enumerate_masks(sum(sizes), np.concatenate(ps))
    a = np.broadcast_to(np.asarray(I, float), (masks.shape[0], len(I)))
    off, layers = 0, []
    for W, k in zip(Ws, sizes):
        S = (masks[:, off:off + k] * a) @ np.atleast_2d(np.asarray(W, float)).T
        a = th.logistic(S, c, lam)
        layers.append({"S": S, "O": a, "mask_in": masks[:, off:off + k], "in": None})
        off += k
    return layers, probs


@CATALOG.claim(
    "eq99_102.dropout_induction", label="Eq. 98, Eq. 99, Eq. 100, Eq. 101, Eq. 102",
    kind=Kind.APPROXIMATION,
    statement="With W_i^l = σ(Σ_{h<l} Σ_j w_ij^h p_j^h W_j^h), W_i^l ≈ E(O_i^l) for every layer, by "
              "induction: E(O_i^{l+1}) ≈ NWGM(O_i^{l+1}) = σ(E(S_i^{l+1})) = "
              "σ(Σ w_ij p_j E(O_j)) ≈ σ(Σ w_ij p_j W_j) = W_i^{l+1}; the error is "
              "ε = [E(O) − NWGM(O)] + [NWGM(O) − W] = α + β.")
def eq99_102(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Layered logistic networks 3-3-3-1 with node dropout on the inputs and both hidden
    layers (random p ∈ (0.3, 0.9), c, λ), all 2^9 masks enumerated. Exact links, every unit of
    every layer: NWGM(O) = σ(E(S)) (Eq. 100), E(S) = Σ w p E(O) (Eq. 101, δ_j independent of
    O_j), ε = α + β (Eq. 102). The "≈" of Eq. 99/101, whose errors the paper traces to those of
    E ≈ NWGM (second order in the spread, Section 8): with all weights scaled by s = 2^{−k},
    k = 0…6, |E(O) − W| = O(s²) at the output (judge.order, absolute, order 2), and the same
    for the layer-2 term β = NWGM − W, the error the induction propagates."""
    for k in range(2):
        Ws, I, ps, c, lam = _random_layered(rng)
        layers, P = _layered_enum(Ws, I, ps, c, lam)
        Wd = th.eq98_ensemble_network(Ws, I, ps, c, lam)
        prev_EO = np.asarray(I, float)
        prm = {"network": k, "c": c, "lam": lam}
        for l, (L, p, W) in enumerate(zip(layers, ps, Ws)):
            ES = P @ L["S"]
            EO = P @ L["O"]
            nw = np.array([th.weighted_means(L["O"][:, i], P / P.sum())["NWGM"]
                           for i in range(L["O"].shape[1])])
            scale = float(np.abs(W).sum(1).max() * max(1.0, np.abs(prev_EO).max()))
            yield _vector_case(ctx, {**prm, "layer": l + 1, "eq": "100: NWGM(O) = σ(E(S))"},
                           th.logistic(ES, c, lam), nw, 1.0)
            yield _vector_case(ctx, {**prm, "layer": l + 1, "eq": "101: E(S) = Σ w p E(O)"},
                           np.atleast_2d(W) @ (p * prev_EO), ES, scale)
            alpha, beta = EO - nw, nw - Wd[l]
            yield _vector_case(ctx, {**prm, "layer": l + 1, "eq": "102: ε = α + β"},
                           alpha + beta, EO - Wd[l], 1.0)
            prev_EO = EO
    ss = 2.0 ** -np.arange(7)
    for k in range(2):
        Ws, I, ps, c, lam = _random_layered(rng, scale=1.5)
        ex, det, nw2, w2 = [], [], [], []
        for s in ss:
            Wss = [s * W for W in Ws]
            layers, P = _layered_enum(Wss, I, ps, c, lam)
            Wd = th.eq98_ensemble_network(Wss, I, ps, c, lam)
            ex.append(float(P @ layers[-1]["O"][:, 0]))
            det.append(float(Wd[-1][0]))
            nw2.append(th.weighted_means(layers[1]["O"][:, 0], P / P.sum())["NWGM"])
            w2.append(float(Wd[1][0]))
        prm = {"network": k, "c": c, "lam": lam}
        yield judge.order({**prm, "what": "output: E(O) ≈ W"}, det, ex, s=ss, claimed=2,
                          name="Eq. 99 E(O) ≈ W (output)")
        yield judge.order({**prm, "what": "layer 2: β = NWGM − W → 0"}, w2, nw2, s=ss,
                          claimed=2, name="Eq. 101/102 NWGM ≈ W (layer 2)")


@CATALOG.explorer("eq99_102.dropout_induction", s=(0.5, 1 / 256, 4.0), p=(0.7, 0.05, 1.0),
                  c=(2.0, 0.2, 5.0), lam=(1.0, 0.2, 3.0))
def _explore_eq99(ctx: Context, s: float, p: float, c: float, lam: float) -> Point:
    """E(O) ≈ W (Eq. 99) at the output of a fixed layered logistic network 3-3-3-1 (weights
    N(0, 1.5²) scaled by s, inputs N(0, 1), seed 98), node dropout with keep probability p on
    the inputs and both hidden layers: E(O) by enumeration of the 2^9 masks, W by the
    deterministic ensemble network (Eq. 98). The error is of second order in s (slope 2 on a
    log scale of s; of third at c = 1, where the outputs tend to ½ as the weights shrink). A
    point takes about 3 ms."""
    Ws, I, _, _, _ = _random_layered(np.random.default_rng(98), scale=1.5)
    Ws = [s * W for W in Ws]
    ps = [np.full(3, p) for _ in range(3)]
    layers, P = _layered_enum(Ws, I, ps, c, lam)
    Wd = th.eq98_ensemble_network(Ws, I, ps, c, lam)
    return Point.approximation(float(Wd[-1][0]), exact=float(P @ layers[-1]["O"][:, 0]),
                               order=2, order_in="s")


@CATALOG.claim(
    "sec9_4.difference_around_zero", label="Sec. 9.2, Sec. 9.4 (after Eq. 108)",
    kind=Kind.APPROXIMATION,
    statement="E(O_S) − NWGM(O_S) has a mean close to 0 and a small standard deviation: "
              "E − NWGM is approximately normally distributed around zero.",
    note="Fails for laws not symmetric about ½: the mean of E_S − NWGM_S tends to μ_O − σ(μ_S) "
         "(0.05 for U[0, 0.5], 0.0036 for N(0.25, 0.05²)) while its sd falls as 1/√m, so it is "
         "centred about 6 sd away from zero at m = 100 and 17–19 sd at m = 1000. For the laws "
         "symmetric about ½ it holds.",
    no_correction="The statement is false for two of the four laws of the paper's own Fig. "
                  "9.1–9.2; the paper states or suggests no narrower form (it names no "
                  "symmetry condition), and the measured means and sds are reported in the "
                  "cases.")
def sec9_4_around_zero(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Criterion from "distributed around zero": 0 lies within the bulk of the distribution of
    E_S − NWGM_S, i.e. |mean| ≤ its standard deviation (the mean's Monte Carlo error allowed
    for: |mean| − critical·SE ≤ sd). The four laws of Fig. 9.1/9.2 at m = 100 (as in Fig. 9.1)
    and m = 1000, 4000 samples each. The mean tends to μ_O − σ(μ_S) (0 only for laws symmetric
    about ½: 0.05 for U[0, 0.5], 0.0036 for N(0.25, 0.05²)) while the sd falls as 1/√m, so
    for asymmetric laws the difference is centred away from zero by several sd."""
    for m in (100, 1000):
        for law in _LAWS:
            s = th.sample_e_nwgm(_draw(rng, law, (ctx.budget(4000), m)))
            d = s["E"] - s["NWGM"]
            est = mean_estimate(d)
            sd = float(d.std(ddof=1))
            crit = ctx.critical(est.dof)
            ok = ctx.le(abs(est.mean) - crit * est.se, sd)
            yield judge.holds({"law": law, "m": m}, ok, estimate=est, resolution=crit * est.se,
                              detail=f"mean of E − NWGM {est.mean:.3g} ± {est.se:.2g}, sd {sd:.3g}: "
                                     f"|mean|/sd = {abs(est.mean) / sd:.2f}")


# ------------------------------------------------------------------------------------------
# Section 9.2–9.4: sampling distributions of E and NWGM (Eq. 103–108)
# ------------------------------------------------------------------------------------------
#
# Evidence: samples of m values O from the four laws of Fig. 9.1 and 9.2 (uniform on [0, 1]
# and [0, 0.5], N(0.5, 0.1²) and N(0.25, 0.05²)); the algebra of Eq. 105–107 exactly, on the
# sample moments or by enumerating all m-samples of a discrete law.


_LAWS = {"U[0, 1]": ("u", 0.0, 1.0), "U[0, 0.5]": ("u", 0.0, 0.5),
            "N(0.5, 0.1²)": ("n", 0.5, 0.1), "N(0.25, 0.05²)": ("n", 0.25, 0.05)}


def _draw(rng, law: str, shape):
    """Values O from one of the laws of Fig. 9.1/9.2 (normals clipped into (0, 1); at
    these parameters a clip has probability < 1e-6)."""
    kind, a, b = _LAWS[law]
    O = rng.uniform(a, b, shape) if kind == "u" else rng.normal(a, b, shape)
    return np.clip(O, 1e-12, 1 - 1e-12)


def _moments(rng, law: str, m: int, R: int):
    s = th.sample_e_nwgm(_draw(rng, law, (R, m)))
    C = np.cov(s["E"], s["NWGM"])
    return s, float(C[0, 0]), float(C[1, 1]), float(C[0, 1]), float(np.var(s["E"] - s["NWGM"], ddof=1))


def _eq105(ctx: Context, rng: np.random.Generator, corrected: bool) -> Iterator[CaseResult]:
    for law in _LAWS:
        _, ve, vn, cv, vd = _moments(rng, law, 100, ctx.budget(4000))
        f = th.eq105_corrected if corrected else th.eq105_as_printed
        yield judge.identity({"law": law, "m": 100}, f(ve, vn, cv),
                             Estimate.exact(vd, "closed_form"), scale=ve + vn,
                             detail=f"Var E = {ve:.4g}, Var NWGM = {vn:.4g}, Cov = {cv:.4g}")


@CATALOG.claim(
    "eq105.variance_of_difference", label="Eq. 105", kind=Kind.IDENTITY,
    statement="Var[E(O_S) − NWGM(O_S)] = Var[E(O_S)] + Var[NWGM(O_S)] + 2 Cov[E(O_S), NWGM(O_S)].",
    note="Sign error: the covariance term is −2Cov (bilinearity of the covariance); with the "
         "printed +2Cov the right side overshoots the variance of the difference by one to three "
         "orders of magnitude. See eq105.corrected.")
def eq105(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """As printed (+2Cov), on the sample moments (ddof 1) of 4000 samples of m = 100 values
    from each law of Fig. 9.1: the identity of sample moments is exact, so the comparison is
    to 1e-10 of Var E + Var NWGM. REFUTED: the sign of the covariance term is wrong (see
    eq105.corrected)."""
    return _eq105(ctx, rng, corrected=False)


@CATALOG.claim(
    "eq105.corrected", label="Eq. 105", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq105.variance_of_difference", fix="misprint",
    statement="Var[E(O_S) − NWGM(O_S)] = Var[E(O_S)] + Var[NWGM(O_S)] − 2 Cov[E(O_S), NWGM(O_S)].")
def eq105_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Var(X − Y) = Var X + Var Y − 2Cov(X, Y) (bilinearity of the covariance), checked on
    the same sample moments as eq105.variance_of_difference (exact)."""
    return _eq105(ctx, rng, corrected=True)


# sec9_4.difference_around_zero's explorer, here: it draws from the laws defined above
@CATALOG.explorer("sec9_4.difference_around_zero", m=(100, 4, 2000),
                  law=("U[0, 0.5]", *(law for law in _LAWS if law != "U[0, 0.5]")))
def _explore_around_zero(ctx: Context, m: float, law: str) -> Point:
    """"E_S − NWGM_S is distributed around zero" read as |mean| ≤ sd, for samples of m values
    (rounded) from a law of Fig. 9.1/9.2: the printed bound sd against the Monte Carlo
    |mean| of E_S − NWGM_S over 2000 samples at standard precision. For the laws not
    symmetric about ½ the mean tends to μ_O − σ(μ_S) while the sd falls like 1/√m: the bound
    fails beyond some m. A point takes 0.01–0.2 s (m = 4 … 2000) at standard precision."""
    s = th.sample_e_nwgm(_draw(ctx.rng(), law, (ctx.budget(2000, 200), int(round(m)))))
    d = s["E"] - s["NWGM"]
    est = mean_estimate(d)
    return Point.bound(float(d.std(ddof=1)), side="upper",
                       mc=Estimate(abs(est.mean), est.se, est.n, est.method))


@CATALOG.explorer("eq105.variance_of_difference", m=(100, 4, 2000), law=tuple(_LAWS))
@CATALOG.explorer("eq105.corrected", m=(100, 4, 2000), law=tuple(_LAWS))
def _explore_eq105(ctx: Context, m: float, law: str) -> Point:
    """Var(E_S − NWGM_S) against Eq. 105 as printed (+2Cov) and corrected (−2Cov), all on the
    sample moments of 2000 samples of m values (rounded) from a law of Fig. 9.1/9.2 at
    standard precision: the identity of sample moments is exact, so the printed sign fails
    at every m and the corrected one holds. A point takes 0.01–0.2 s at standard
    precision."""
    _, ve, vn, cv, vd = _moments(ctx.rng(), law, int(round(m)), ctx.budget(2000, 200))
    return Point.identity(th.eq105_as_printed(ve, vn, cv), exact=vd,
                          correction=th.eq105_corrected(ve, vn, cv))


def _enum_law(rng, m: int = 3, symmetric: bool = False):
    """A discrete law of O on 4 values (symmetric about ½ when asked) and every m-sample of
    it with its probability: rows O (4^m, m), probabilities, the law's mean E and variance V."""
    if symmetric:
        a = rng.uniform(0.02, 0.48, 2)
        vals = np.array([a[0], a[1], 1 - a[1], 1 - a[0]])
        w = rng.dirichlet(np.ones(2))
        pr = np.array([w[0], w[1], w[1], w[0]]) / 2
    else:
        vals = rng.uniform(0.02, 0.98, 4)
        pr = rng.dirichlet(np.ones(4))
    idx = np.array(list(_it.product(range(4), repeat=m)))
    return vals[idx], np.prod(pr[idx], axis=1), float(pr @ vals), float(pr @ (vals - pr @ vals) ** 2)


@CATALOG.claim(
    "eq106.covariance_at_half", label="Eq. 106", kind=Kind.IDENTITY,
    statement="When E = NWGM = 0.5, with NWGM_S ≈ (E_S − V_S)/(1 − 2V_S): "
              "E[((E_S − V_S)/(1 − 2V_S) − ½)(E_S − ½)] = E[(E_S − ½)²/(1 − 2V_S)], with "
              "0.5 ≤ 1 − 2V_S ≤ 1 and E(E_S − ½)² = Var(E_S) = V/m.")
def eq106(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The printed "(E − ½)²" is read as (E_S − ½)², the only reading under which the text
    that follows (E(E_S − ½)² = V/m) applies (with E = ½ it would be 0). Discrete laws
    symmetric about ½ (E = ½), all 4³ samples of m = 3 enumerated: both expectations of
    Eq. 106 and E(E_S − ½)² = V/m, exact; a hypothesis search over samples of [0, 1]^m for
    V_S > ¼ (1 − 2V_S < 0.5)."""
    from hypothesis import strategies as st

    for k in range(3):
        O, P, E, V = _enum_law(rng, symmetric=True)
        s = th.sample_e_nwgm(O)
        lhs = float(P @ ((th.nwgm_taylor_half(s["E"], s["V"]) - 0.5) * (s["E"] - 0.5)))
        rhs = float(P @ th.eq106_integrand(s["E"], s["V"]))
        yield judge.identity({"law": k, "m": 3, "E": E}, rhs,
                             Estimate.exact(lhs, "enumeration", P.size), scale=V)
        yield judge.identity({"law": k, "m": 3, "what": "E(E_S − ½)² = V/m"}, V / 3,
                             Estimate.exact(float(P @ (s["E"] - 0.5) ** 2), "enumeration", P.size),
                             scale=V)

    def vs_le_quarter(o):
        x = np.asarray(o, float)
        return _le(ctx, float(np.mean((x - x.mean()) ** 2)), 0.25)

    yield _search(ctx, vs_le_quarter, st.lists(st.floats(0, 1), min_size=1, max_size=10),
                  {"what": "V_S ≤ ¼ for samples in [0, 1] (0.5 ≤ 1 − 2V_S)"})


@CATALOG.explorer("eq106.covariance_at_half", a=(0.2, 0.02, 0.48), b=(0.4, 0.02, 0.48),
                  w=(0.5, 0.05, 0.95))
def _explore_eq106(ctx: Context, a: float, b: float, w: float) -> Point:
    """Eq. 106 for the law on (a, b, 1 − b, 1 − a) with weights (w, 1 − w, 1 − w, w)/2
    (symmetric about ½: E = ½), every sample of m = 3 values enumerated (4³): its two
    expectations E[(NWGM_S − ½)(E_S − ½)] (NWGM_S ≈ (E_S − V_S)/(1 − 2V_S)) and
    E[(E_S − ½)²/(1 − 2V_S)], exactly. A point takes about 2 ms."""
    vals = np.array([a, b, 1 - b, 1 - a])
    pr = np.array([w, 1 - w, 1 - w, w]) / 2
    idx = np.array(list(_it.product(range(4), repeat=3)))
    O, P = vals[idx], np.prod(pr[idx], axis=1)
    s = th.sample_e_nwgm(O)
    lhs = float(P @ ((th.nwgm_taylor_half(s["E"], s["V"]) - 0.5) * (s["E"] - 0.5)))
    return Point.identity(float(P @ th.eq106_integrand(s["E"], s["V"])), exact=lhs)


def _eq107(rng: np.random.Generator, as_printed: bool) -> Iterator[CaseResult]:
    for k in range(4):
        O, P, E, V = _enum_law(rng)
        s = th.sample_e_nwgm(O)
        Nt = th.nwgm_taylor_half(s["E"], s["V"])
        lhs = float(P @ ((Nt - (E - V) / (1 - 2 * V)) * (s["E"] - E)))
        rhs = float(P @ th.eq107_integrand(s["E"], s["V"], E, V, as_printed=as_printed))
        yield judge.identity({"law": k, "m": 3, "E": E, "V": V}, rhs,
                             Estimate.exact(lhs, "enumeration", P.size),
                             scale=float(P @ (s["E"] - E) ** 2) / (1 - 2 * V))


@CATALOG.claim(
    "eq107.covariance_form", label="Eq. 107", kind=Kind.IDENTITY,
    statement="E[((E_S − V_S)/(1 − 2V_S) − (E − V)/(1 − 2V))(E_S − E)] = "
              "E[((E − E_S)² + (V − V_S)(E_S − E))/((1 − 2V_S)(1 − 2V))].",
    note="The last form drops the term 2(EV_S − VE_S)(E_S − E) of its numerator (expand "
         "(E_S − V_S)(1 − 2V) − (E − V)(1 − 2V_S)). See eq107.corrected.")
def eq107(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """As printed; random discrete laws on 4 values, all 4³ samples of m = 3 enumerated
    (exact). REFUTED: the numerator lacks 2(EV_S − VE_S)(E_S − E) (see eq107.corrected)."""
    return _eq107(rng, as_printed=True)


@CATALOG.claim(
    "eq107.corrected", label="Eq. 107", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq107.covariance_form", fix="rewrite",
    statement="E[((E_S − V_S)/(1 − 2V_S) − (E − V)/(1 − 2V))(E_S − E)] = "
              "E[((E − E_S)² + (V − V_S)(E_S − E) + 2(EV_S − VE_S)(E_S − E))/((1 − 2V_S)(1 − 2V))].")
def eq107_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: (E_S − V_S)(1 − 2V) − (E − V)(1 − 2V_S) = (E_S − E) + (V − V_S)
    + 2(EV_S − VE_S); multiply by (E_S − E) and divide by (1 − 2V_S)(1 − 2V). Checked as
    eq107.covariance_form (exact enumeration)."""
    return _eq107(rng, as_printed=False)


@CATALOG.explorer("eq107.covariance_form", t=(0.3, 0.05, 0.95), h=(0.5, 0.01, 1.0))
@CATALOG.explorer("eq107.corrected", t=(0.3, 0.05, 0.95), h=(0.5, 0.01, 1.0))
def _explore_eq107(ctx: Context, t: float, h: float) -> Point:
    """Eq. 107 for the law on the 4 values t + h·(−0.04, −0.01, 0.02, 0.05)/0.05·min(t, 1 − t)
    with weights (0.1, 0.4, 0.3, 0.2) (mean near t, spread set by h), every sample of m = 3
    values enumerated (4³): the left expectation against the printed right side and its
    correction (the term 2(EV_S − VE_S)(E_S − E) restored), exactly. A point takes about
    2 ms."""
    vals = t + h * np.array([-0.04, -0.01, 0.02, 0.05]) / 0.05 * 0.95 * min(t, 1 - t)
    pr = np.array([0.1, 0.4, 0.3, 0.2])
    idx = np.array(list(_it.product(range(4), repeat=3)))
    O, P = vals[idx], np.prod(pr[idx], axis=1)
    E, V = float(pr @ vals), float(pr @ (vals - pr @ vals) ** 2)
    s = th.sample_e_nwgm(O)
    lhs = float(P @ ((th.nwgm_taylor_half(s["E"], s["V"]) - (E - V) / (1 - 2 * V)) * (s["E"] - E)))
    return Point.identity(float(P @ th.eq107_integrand(s["E"], s["V"], E, V, as_printed=True)),
                          exact=lhs,
                          correction=float(P @ th.eq107_integrand(s["E"], s["V"], E, V,
                                                                  as_printed=False)))


@CATALOG.claim(
    "eq108.variance_sum", label="Eq. 108, Sec. 9.4", kind=Kind.APPROXIMATION,
    statement="Var(E_S − NWGM_S) ≈ Var(E_S) + Var(NWGM_S) ≈ C₁/m + C₂/m (the covariance of "
              "E_S and NWGM_S being close to null).",
    note="Contradicts the paper's own finding that E_S and NWGM_S are correlated close to 1: "
         "their covariance is of the same order V/m as the variances and cancels most of them, "
         "so Var(E_S − NWGM_S) is only 0.002–0.14 of Var E_S + Var NWGM_S (for the four laws of "
         "Fig. 9.2, at every m).",
    no_correction="Neglecting the covariance is the statement itself; with it kept, the "
                  "variance of the difference is Eq. 105 with its sign corrected, already "
                  "registered as eq105.corrected, and no approximation of the printed kind "
                  "holds; the measured ratios are reported in the cases.")
def eq108(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Criterion: "≈ C₁/m + C₂/m" as m → ∞ — the right side must capture the leading 1/m
    term of Var(E_S − NWGM_S), i.e. the relative error must vanish as s = 1/m → 0
    (judge.order, relative, order 1), m = 25…800, 3000 samples each, for the four laws of
    Fig. 9.2. The sample moments make the ratio exact up to sampling noise far below the
    effect. REFUTED when the covariance (order V/m, as the paper itself says after Eq. 106,
    with correlation near 1) cancels most of Var E + Var NWGM."""
    ms = np.array([25, 50, 100, 200, 400, 800])
    R = ctx.budget(3000)
    for law in _LAWS:
        vd, vs = [], []
        for m in ms:
            _, ve, vn, _, d = _moments(rng, law, int(m), R)
            vd.append(d)
            vs.append(ve + vn)
        yield judge.order({"law": law, "samples": R}, vs, vd, s=1.0 / ms, claimed=1,
                          kind="relative", name="Var(E − NWGM) ≈ Var E + Var NWGM")


@CATALOG.explorer("eq108.variance_sum", m=(100, 4, 2000), law=tuple(_LAWS))
def _explore_eq108(ctx: Context, m: float, law: str) -> Point:
    """Var(E_S − NWGM_S) ≈ Var E_S + Var NWGM_S (Eq. 108, the covariance dropped), on the
    sample moments of 2000 samples of m values (rounded) from a law of Fig. 9.1/9.2 at
    standard precision: the printed sum against the variance of the difference (with its SE
    from the fourth moment). The covariance cancels most of the sum, at every m. A point
    takes 0.01–0.2 s at standard precision."""
    s, ve, vn, _, vd = _moments(ctx.rng(), law, int(round(m)), ctx.budget(2000, 200))
    d = s["E"] - s["NWGM"]
    var_d = mean_estimate((d - d.mean()) ** 2 * d.size / (d.size - 1))
    return Point.approximation(ve + vn, mc=var_d)


@CATALOG.claim(
    "eq103_104.sampling_moments", label="Eq. 103, Eq. 104, Sec. 9.3, Sec. 9.4", kind=Kind.IDENTITY,
    statement="For m large, E(O_S) has mean μ_O and variance σ_O²/m, and NWGM(O_S) = σ(E(S_S)) "
              "has mean σ(μ_S) and variance t²σ_S²/m (t the slope of σ, |t| ≤ λ/4); their "
              "covariance is of order 1/m and their Pearson correlation is constant in m.")
def eq103_104(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The four laws of Fig. 9.1/9.2, m = 1000, 2000 samples each: the means of E_S, m(E_S −
    μ_O)², NWGM_S, m(NWGM_S − σ(μ_S))² and m(E_S − μ_O)(NWGM_S − σ(μ_S)) against μ_O, σ_O²,
    σ(μ_S), t²σ_S² and t·Cov(O, S) with t = σ'(μ_S) — the delta-method limits, by quadrature
    over the law of O (th.logit_law_moments) — one max-|z| family per law (the finite-m bias
    is O(1/m), far below the resolution). The limit of the correlation is then
    Cov(O, S)/(σ_Oσ_S), constant in m (shown in the detail: 0.955, 0.909, 0.999, 0.994)."""
    m, R = 1000, ctx.budget(2000)
    for law, (kind, a, b) in _LAWS.items():
        mo = th.logit_law_moments(kind, a, b)
        s = th.sample_e_nwgm(_draw(rng, law, (R, m)))
        dE, dN = s["E"] - mo["mu_O"], s["NWGM"] - mo["nwgm_mean"]
        ests = [mean_estimate(s["E"]), mean_estimate(m * dE ** 2), mean_estimate(s["NWGM"]),
                mean_estimate(m * dN ** 2), mean_estimate(m * dE * dN)]
        theory = [mo["mu_O"], mo["var_O"], mo["nwgm_mean"], mo["m_var_nwgm"], mo["m_cov"]]
        yield judge.identity_family({"law": law, "m": m, "samples": R}, theory, ests,
                                    detail=f"limit correlation Cov(O, S)/(σ_Oσ_S) = {mo['corr']:.4f}, measured "
              f"{float(np.corrcoef(s['E'], s['NWGM'])[0, 1]):.4f}; t = {mo['t']:.4f} ≤ ¼")


#: the quantities of Eq. 103–104 the explorer compares: (estimated, limit) keys
_EQ103_Q = {"E(E_S) = μ_O": ("E", "mu_O"), "m Var(E_S) = σ_O²": ("mvarE", "var_O"),
            "E(NWGM_S) = σ(μ_S)": ("N", "nwgm_mean"),
            "m Var(NWGM_S) = t²σ_S²": ("mvarN", "m_var_nwgm"),
            "m Cov = t Cov(O, S)": ("mcov", "m_cov")}


@CATALOG.explorer("eq103_104.sampling_moments", m=(1000, 50, 2000), law=tuple(_LAWS),
                  quantity=tuple(_EQ103_Q))
def _explore_eq103(ctx: Context, m: float, law: str, quantity: str) -> Point:
    """The limits of Eq. 103–104 for samples of m values (rounded) from a law of Fig. 9.1/9.2
    (by quadrature, :func:`th.logit_law_moments`) against their Monte Carlo estimates over
    1000 samples at standard precision (``quantity``); the finite-m bias is O(1/m). A point
    takes 0.05–0.3 s at standard precision."""
    m = int(round(m))
    kind, a, b = _LAWS[law]
    mo = th.logit_law_moments(kind, a, b)
    s = th.sample_e_nwgm(_draw(ctx.rng(), law, (ctx.budget(1000, 100), m)))
    dE, dN = s["E"] - mo["mu_O"], s["NWGM"] - mo["nwgm_mean"]
    vals = {"E": s["E"], "mvarE": m * dE ** 2, "N": s["NWGM"], "mvarN": m * dN ** 2,
            "mcov": m * dE * dN}
    key, limit = _EQ103_Q[quantity]
    return Point.identity(mo[limit], mc=mean_estimate(vals[key]))


@CATALOG.claim(
    "sec9_3.nwgm_mean_bias", label="Sec. 9.3 (after Eq. 104), Fig. 9.1", kind=Kind.APPROXIMATION,
    statement="Very often σ(μ_S) ≈ μ_O, particularly if μ_O = 0.5; away from 0.5 a bias can "
              "appear, but this bias is relatively small (Fig. 9.1: U[0, 1], U[0, 0.5], "
              "N(0.5, 0.1²), N(0.25, 0.05²)).")
def sec9_3_nwgm_mean_bias(ctx: Context) -> Iterator[CaseResult]:
    """By quadrature over each law of Fig. 9.1 (th.logit_law_moments): for the laws with
    μ_O = 0.5 (symmetric about ½) σ(μ_S) = μ_O exactly (μ_S = 0); away from 0.5,
    "relatively small" read as small relative to the spread of the values O that the NWGM
    summarises: |μ_O − σ(μ_S)| ≤ σ_O (judge.approximation, max_abs = σ_O). Measured: U[0, 0.5]
    bias 0.05 (σ(μ_S) = σ(2 log ½) = 0.2 vs μ_O = 0.25; 0.35 σ_O); N(0.25, 0.05²) bias 0.0036
    (0.07 σ_O). (The bias is large against the sd σ_O/√m of one sample's NWGM, cf.
    sec9_4.difference_around_zero.)"""
    for law, (kind, a, b) in _LAWS.items():
        mo = th.logit_law_moments(kind, a, b)
        if abs(mo["mu_O"] - 0.5) < 1e-9:
            yield judge.identity({"law": law}, mo["nwgm_mean"],
                                 Estimate.exact(mo["mu_O"], "quadrature"), rtol=1e-8,
                                 scale=1.0)
        else:
            yield judge.approximation({"law": law, "sigma_O": round(math.sqrt(mo["var_O"]), 4)},
                                      mo["nwgm_mean"], mo["mu_O"],
                                      max_abs=math.sqrt(mo["var_O"]), detail=f"bias/σ_O = "
                                      f"{abs(mo['mu_O'] - mo['nwgm_mean']) / math.sqrt(mo['var_O']):.3f}")


def _law_args(law: str, m: float, tau: float) -> tuple[str, float, float]:
    """th.logit_law_moments' (kind, a, b) of N(m, τ²) or of the uniform law with mean m and sd
    τ (on [m − √3τ, m + √3τ])."""
    if law == "normal":
        return "n", m, tau
    return "u", m - math.sqrt(3) * tau, m + math.sqrt(3) * tau


@CATALOG.explorer("sec9_3.nwgm_mean_bias", m=(0.25, 0.15, 0.85), tau=(0.05, 0.005, 0.08),
                  law=("normal", "uniform"))
def _explore_nwgm_bias(ctx: Context, m: float, tau: float, law: str) -> Point:
    """σ(μ_S) ≈ μ_O (Section 9.3) for O normal N(m, τ²) or uniform with mean m and sd τ
    (μ_S = E logit O by quadrature, :func:`th.logit_law_moments`), with the accuracy read
    from "relatively small": the spread σ_O = τ of the values (the stated accuracy). Exact
    at m = ½; the bias grows away from ½ and with τ. A point takes about 10 ms."""
    mo = th.logit_law_moments(*_law_args(law, m, tau))
    return Point.approximation(mo["nwgm_mean"], exact=mo["mu_O"], max_abs=math.sqrt(mo["var_O"]))


@CATALOG.claim(
    "sec9_3.c1_c2", label="Sec. 9.3 (after Eq. 104)", kind=Kind.APPROXIMATION,
    statement="The variances of E(O_S) and NWGM(O_S) behave like C₁/m and C₂/m as m → ∞, and "
              "σ_O² = C₁ ≈ C₂ if σ_O² is small.")
def sec9_3_c1_c2(ctx: Context) -> Iterator[CaseResult]:
    """C₁ = σ_O², C₂ = t²σ_S² (t = σ'(μ_S), the delta-method limits decided against Monte Carlo
    by eq103_104.sampling_moments), by quadrature for laws that shrink: N(0.5, τ²),
    N(0.25, τ²), U[0.8 − √3τ, 0.8 + √3τ] with τ = 0.1·2^{−k}, k = 0…6. "C₁ ≈ C₂ if σ_O² is
    small": C₂ must capture the leading term of C₁ ~ τ² (judge.order, relative, order 2)."""
    taus = 0.1 * 2.0 ** -np.arange(7)
    for name, mk in (("N(0.5, τ²)", lambda t: ("n", 0.5, t)), ("N(0.25, τ²)", lambda t: ("n", 0.25, t)),
                     ("U[0.8 ± √3τ]", lambda t: ("u", 0.8 - math.sqrt(3) * t, 0.8 + math.sqrt(3) * t))):
        c1, c2 = [], []
        for t in taus:
            mo = th.logit_law_moments(*mk(t))
            c1.append(mo["var_O"])
            c2.append(mo["m_var_nwgm"])
        yield judge.order({"law": name}, c2, c1, s=taus, claimed=2, kind="relative",
                          name="C₂ = t²σ_S² ≈ C₁ = σ_O²")


@CATALOG.explorer("sec9_3.c1_c2", tau=(0.05, 0.001, 0.08), m=(0.5, 0.15, 0.85),
                  law=("normal", "uniform"))
def _explore_c1_c2(ctx: Context, tau: float, m: float, law: str) -> Point:
    """C₁ = σ_O² ≈ C₂ = t²σ_S² (Section 9.3, t = σ'(μ_S)) for O normal N(m, τ²) or uniform
    with mean m and sd τ, both by quadrature (:func:`th.logit_law_moments`): C₂ captures the
    leading term τ² of C₁, the error being of fourth order in τ (slope 4 on a log scale of
    τ). A point takes about 10 ms."""
    mo = th.logit_law_moments(*_law_args(law, m, tau))
    return Point.approximation(mo["m_var_nwgm"], exact=mo["var_O"], order=4, order_in="tau")
