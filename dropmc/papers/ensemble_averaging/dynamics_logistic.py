"""Section 11.4 of Baldi & Sadowski: the dropout gradient of a single sigmoidal unit and its
adaptive regularisation (Eq. 156–165), with the remarks after Eq. 148 and 165 on the
regulariser. Deep logistic networks (Section 11.5) are :mod:`.dynamics_output_layer` and
:mod:`.dynamics_hidden_layers`."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from scipy import special

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import SMALL_WEIGHT_SCALE, WEIGHT_SCALE
from dropmc.papers.ensemble_averaging._shared import (
    _SCALES,
    CATALOG,
    _cs,
    _le,
    _linear_unit,
    _search,
    _sigmoid_unit,
    _vector_case,
)
from dropmc.papers.ensemble_averaging.dynamics_linear import _linear_scale, _mask_grads
from dropmc.simulations import ensemble_averaging as sim
from dropmc.simulations import enumeration as _enum
from dropmc.theory import ensemble_averaging as th


def _unit(p: float, s: float):
    """The fixed sigmoidal unit of the Section 11.4 explorers (6 inputs; w, I, t drawn as
    :func:`~._shared._sigmoid_unit` draws them from seed 161), weights scaled by s,
    every input kept with probability p: (w, I, t, p vector, i) with i the input of largest
    |p_iI_i|."""
    w, I, t, _, _, _ = _sigmoid_unit(np.random.default_rng(161))
    pv = np.full(w.size, p)
    return s * w, I, t, pv, int(np.argmax(np.abs(I)))


def _sigmoid_mask_grads(w, I, t, masks, c, lam):
    """∂E_D/∂w for every mask (rows): complex step of the relative entropy of σ(Σ δ_jw_jI_j)."""
    return th.complex_step_grad(lambda x: th.relative_entropy_of_S(masks @ (x * I), t, c, lam), w)


@CATALOG.claim(
    "eq157_158.chain_rule", label="Eq. 156, Eq. 157, Eq. 158", kind=Kind.IDENTITY,
    statement="For O = σ(S) = 1/(1 + ce^{−λS}) and the relative entropy E = −(t log O + (1 − t) "
              "log(1 − O)): ∂E/∂O = −t/O + (1 − t)/(1 − O), ∂O/∂S = λO(1 − O), hence ∂E/∂w = "
              "−λ(t − O) ∂S/∂w.")
def eq157_158(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Random S ∈ (−4, 4), t ∈ (0, 1), c, λ (4 draws of 20 points): each derivative by the
    complex step against its printed form."""
    for k in range(4):
        S, t = rng.uniform(-4, 4, 20), rng.uniform(0, 1, 20)
        c, lam = float(rng.uniform(0.3, 3.0)), float(rng.uniform(0.5, 3.0))
        O = th.logistic(S, c, lam)
        prm = {"draw": k, "c": c, "lam": lam}
        dEdO = _cs(lambda o: th.relative_entropy_c(o, t), O)
        yield _vector_case(ctx, {**prm, "link": "Eq. 157 ∂E/∂O"}, th.eq157_dE_dO(O, t), dEdO,
                       float(np.max(1 / O + 1 / (1 - O))))
        dOdS = _cs(lambda s: th._sigma_c(s, c, lam), S)
        yield _vector_case(ctx, {**prm, "link": "Eq. 157 ∂O/∂S"}, lam * O * (1 - O), dOdS, lam)
        dEdS = _cs(lambda s: th.relative_entropy_of_S(s, t, c, lam), S)
        yield _vector_case(ctx, {**prm, "link": "Eq. 158 ∂E/∂S = −λ(t − O)"}, th.eq158(O, t, lam),
                       dEdS, lam)


@CATALOG.explorer("eq157_158.chain_rule", S=(0.5, -4.0, 4.0), t=(0.3, 0.0, 1.0),
                  c=(1.0, 0.2, 5.0), lam=(1.5, 0.2, 3.0),
                  link=("∂E/∂S = −λ(t − O)", "∂E/∂O", "∂O/∂S = λO(1 − O)"))
def _explore_eq157(ctx: Context, S: float, t: float, c: float, lam: float, link: str) -> Point:
    """The chain rule of Eq. 157–158 for O = 1/(1 + ce^{−λS}) and the relative entropy: each
    printed derivative against the complex-step derivative (exact to rounding). A point takes
    about 2 ms."""
    O = float(th.logistic(S, c, lam))
    if link == "∂E/∂O":
        return Point.identity(float(th.eq157_dE_dO(O, t)),
                              exact=float(_cs(lambda o: th.relative_entropy_c(o, t), O)))
    if link.startswith("∂O/∂S"):
        return Point.identity(lam * O * (1 - O),
                              exact=float(_cs(lambda x: th._sigma_c(x, c, lam), S)))
    return Point.identity(float(th.eq158(O, t, lam)),
                          exact=float(_cs(lambda x: th.relative_entropy_of_S(x, t, c, lam), S)))


def _eq159_160(ctx: Context, rng: np.random.Generator, as_printed: bool) -> Iterator[CaseResult]:
    """Random logistic units (n = 6, random c, λ): every printed form of Eq. 159 against the
    complex-step gradient of E_ENS (the relative entropy of W = σ(Σ w_jp_jI_j)), and both forms
    of Eq. 160 against the complex-step gradient of E_D for every mask; the last form of each
    with its printed sign (+) or the sign of the others (−)."""
    for k in range(3):
        w, I, t, p, c, lam = _sigmoid_unit(rng)
        masks, _ = _enum.enumerate_masks(w.size, p)
        sc = lam * float(np.max(np.abs(I)))
        prm = {"unit": k, "c": c, "lam": lam}
        gE = th.complex_step_grad(lambda x: th.sigmoid_ensemble_error(x, I, t, p, c, lam), w)
        for name, form in zip(("−λ(t − W)p_iI_i", "−λ(t − σ(U))p_iI_i",
                               ("+" if as_printed else "−") + "λ(t − σ(Σ w_jp_jI_j))p_iI_i"),
                              th.eq159_forms(w, I, t, p, c, lam, as_printed=as_printed)):
            yield _vector_case(ctx, {**prm, "link": f"Eq. 159 {name}"}, form, gE, sc)
        gD = _sigmoid_mask_grads(w, I, t, masks, c, lam)
        for name, form in zip(("−λ(t − O)δ_iI_i", ("+" if as_printed else "−")
                               + "λ(t − σ(Σ w_jδ_jI_j))δ_iI_i"),
                              th.eq160_forms(w, I, t, masks, c, lam, as_printed=as_printed)):
            yield _vector_case(ctx, {**prm, "link": f"Eq. 160 {name} (every mask)"}, form, gD, sc)


@CATALOG.claim(
    "eq159_160.gradients", label="Eq. 159, Eq. 160", kind=Kind.IDENTITY,
    statement="∂E_ENS/∂w_i = −λ(t − W)p_iI_i = −λ(t − σ(U))p_iI_i = λ(t − σ(Σ_j w_jp_jI_j))p_iI_i "
              "and ∂E_D/∂w_i = −λ(t − O)δ_iI_i = λ(t − σ(Σ_j w_jδ_jI_j))δ_iI_i.",
    note="as printed; the last form of each equation has the opposite sign: see "
         "eq159_160.corrected")
def eq159_160(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """:func:`_eq159_160` as printed: the first forms hold, the last (sign +) fail."""
    return _eq159_160(ctx, rng, as_printed=True)


@CATALOG.claim(
    "eq159_160.corrected", label="Eq. 159, Eq. 160", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq159_160.gradients", fix="misprint",
    statement="∂E_ENS/∂w_i = −λ(t − W)p_iI_i = −λ(t − σ(Σ_j w_jp_jI_j))p_iI_i and ∂E_D/∂w_i = "
              "−λ(t − O)δ_iI_i = −λ(t − σ(Σ_j w_jδ_jI_j))δ_iI_i.")
def eq159_160_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: W = σ(U) with U = Σ_j w_jp_jI_j (O = σ(Σ_j w_jδ_jI_j)) substituted into
    the first form, which is Eq. 158 with ∂U/∂w_i = p_iI_i (∂S/∂w_i = δ_iI_i); the sign is
    unchanged. Checked as :func:`eq159_160` with the sign −."""
    return _eq159_160(ctx, rng, as_printed=False)


@CATALOG.explorer("eq159_160.gradients", p=(0.6, 0.05, 1.0), t=(0.3, 0.0, 1.0),
                  c=(1.0, 0.2, 5.0), lam=(1.5, 0.2, 3.0), eq=("Eq. 159", "Eq. 160"))
@CATALOG.explorer("eq159_160.corrected", p=(0.6, 0.05, 1.0), t=(0.3, 0.0, 1.0),
                  c=(1.0, 0.2, 5.0), lam=(1.5, 0.2, 3.0), eq=("Eq. 159", "Eq. 160"))
def _explore_eq159(ctx: Context, p: float, t: float, c: float, lam: float, eq: str) -> Point:
    """The last form of Eq. 159 (∂E_ENS/∂w_i) or Eq. 160 (∂E_D/∂w_i, the mask keeping every
    input) for the fixed unit of :func:`_unit`, with the printed sign + and the corrected −,
    against the complex-step gradient: the printed sign fails wherever t ≠ W (resp. O). A
    point takes about 2 ms."""
    w, I, _, pv, i = _unit(p, 1.0)
    if eq == "Eq. 159":
        g = th.complex_step_grad(lambda x: th.sigmoid_ensemble_error(x, I, t, pv, c, lam), w)
        printed = th.eq159_forms(w, I, t, pv, c, lam, as_printed=True)[2]
        corrected = th.eq159_forms(w, I, t, pv, c, lam, as_printed=False)[2]
        return Point.identity(float(printed[i]), exact=float(g[i]), correction=float(corrected[i]))
    full = np.ones((1, w.size))
    g = _sigmoid_mask_grads(w, I, t, full, c, lam)
    printed = th.eq160_forms(w, I, t, full, c, lam, as_printed=True)[1]
    corrected = th.eq160_forms(w, I, t, full, c, lam, as_printed=False)[1]
    return Point.identity(float(printed[0, i]), exact=float(np.ravel(g)[i]),
                          correction=float(corrected[0, i]))


def _expected_sigmoid_grad(w, I, t, p, c, lam):
    """E(∂E_D/∂w_i) for every i: the complex-step gradients over all masks, weighted."""
    masks, probs = _enum.enumerate_masks(w.size, p)
    return probs @ _sigmoid_mask_grads(w, I, t, masks, c, lam)


@CATALOG.claim(
    "eq161.expected_gradient", label="Eq. 161", kind=Kind.IDENTITY,
    statement="E(∂E_D/∂w_i) = −λ(t − E[σ(Σ_j w_jδ_jI_j) | δ_i = 1])p_iI_i.")
def eq161(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The enumerated E(∂E_D/∂w_i) against Eq. 161, whose conditional expectation is the mean
    output of the unit with input i always kept (sim.enumerate_logistic_unit with p_i = 1)."""
    for k in range(4):
        w, I, t, p, c, lam = _sigmoid_unit(rng)
        EG = _expected_sigmoid_grad(w, I, t, p, c, lam)
        cond = []
        for i in range(w.size):
            pi = p.copy()
            pi[i] = 1.0
            cond.append(sim.enumerate_logistic_unit(w, I, pi, c=c, lam=lam)["EO"])
        yield _vector_case(ctx, {"unit": k, "c": c, "lam": lam},
                       th.eq161(cond, t, p, I, lam), EG, lam * float(np.max(np.abs(I))))


@CATALOG.explorer("eq161.expected_gradient", p=(0.6, 0.05, 1.0), s=WEIGHT_SCALE, c=(1.0, 0.2, 5.0),
                  lam=(1.5, 0.2, 3.0))
def _explore_eq161(ctx: Context, p: float, s: float, c: float, lam: float) -> Point:
    """E(∂E_D/∂w_i) of the fixed unit of :func:`_unit` (weights scaled by s), enumerated,
    against Eq. 161 with the conditional mean output E[σ(S)|δ_i = 1] (the unit with input i
    always kept, enumerated). A point takes about 3 ms."""
    w, I, t, pv, i = _unit(p, s)
    pi = pv.copy()
    pi[i] = 1.0
    cond = np.zeros(w.size)
    cond[i] = sim.enumerate_logistic_unit(w, I, pi, c=c, lam=lam)["EO"]
    return Point.identity(float(th.eq161(cond, t, pv, I, lam)[i]),
                          exact=float(_expected_sigmoid_grad(w, I, t, pv, c, lam)[i]))


@CATALOG.claim(
    "eq162.nwgm_step", label="Eq. 162", kind=Kind.APPROXIMATION,
    statement="Using the NWGM approximation, E(∂E_D/∂w_i) ≈ −λ(t − σ(Σ_j w_jp_jI_j − w_ip_iI_i + "
              "w_iI_i))p_iI_i = −λ(t − σ(U + I_iw_i(1 − p_i)))p_iI_i.")
def eq162(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The equality of the two forms exactly (s = 1); the ≈ (E[σ(S)|δ_i = 1] replaced by σ(E[S|
    δ_i = 1]), the NWGM of the conditional ensemble) by the order of its error for weights
    w = s·w₀, s = 0.5·2^{−k}, k = 0…9: the NWGM error is of second order in the spread of S,
    so |E(∂E_D/∂w_i) − Eq. 162| = O(s²) (judge.order, absolute, order 2; E(∂E_D/∂w_i)
    enumerated), for the coordinate i with the largest |p_iI_i|."""
    for k in range(3):
        w0, I, t, p, c, lam = _sigmoid_unit(rng)
        i = int(np.argmax(np.abs(p * I)))
        f1, f2 = th.eq162_forms(w0, I, t, p, c, lam)
        prm = {"unit": k, "c": c, "lam": lam, "i": i}
        yield _vector_case(ctx, {**prm, "link": "Eq. 162 forms"}, f2, f1, lam * float(np.max(np.abs(I))))
        ex = [_expected_sigmoid_grad(s * w0, I, t, p, c, lam)[i] for s in _SCALES]
        ap = [th.eq162_forms(s * w0, I, t, p, c, lam)[1][i] for s in _SCALES]
        yield judge.order({**prm, "link": "E(∂E_D/∂w_i) ≈ Eq. 162"}, ap, ex, s=_SCALES,
                          claimed=2, name="Eq. 162 (NWGM)")


@CATALOG.explorer("eq162.nwgm_step", s=SMALL_WEIGHT_SCALE, p=(0.6, 0.05, 1.0), c=(1.0, 0.2, 5.0),
                  lam=(1.5, 0.2, 3.0))
def _explore_eq162(ctx: Context, s: float, p: float, c: float, lam: float) -> Point:
    """Eq. 162 (E[σ(S)|δ_i = 1] replaced by its NWGM) against the enumerated E(∂E_D/∂w_i) of
    the fixed unit of :func:`_unit` (weights scaled by s): the error is of second order in s
    (slope 2 on a log scale of s). A point takes about 3 ms."""
    w, I, t, pv, i = _unit(p, s)
    return Point.approximation(float(th.eq162_forms(w, I, t, pv, c, lam)[1][i]),
                               exact=float(_expected_sigmoid_grad(w, I, t, pv, c, lam)[i]),
                               order=2, order_in="s")


def _eq163_165(ctx: Context, rng: np.random.Generator, corrected: bool) -> Iterator[CaseResult]:
    """Random logistic units with λ = 1 and λ ∈ (1.5, 3), weights w = s·w₀ (s as in
    :func:`eq162`), σ' the printed σ(1 − σ) or the derivative λσ(1 − σ). Links: Eq. 163, the
    first-order Taylor expansion of Eq. 162's σ(U + I_iw_i(1 − p_i)) around U, error O(s²)
    (judge.order, absolute, order 2); Eq. 163 = ∂E_ENS/∂w_i + λσ'(U)w_iI_i²Var δ_i exactly
    (algebra, any σ'); Eq. 164 and 165: the regulariser captures the leading term of the
    difference E(∂E_D/∂w_i) − ∂E_ENS/∂w_i (enumerated; it vanishes like s), i.e. the relative
    error → 0 (judge.order, relative, order 1) — for Eq. 165 with the complex-step gradient of
    ½λσ'(U)Σ w_j²I_j²Var δ_j (σ'(U) depends on w: its derivative adds O(s²))."""
    dsig = th.dsigma if corrected else th.sigma_prime_printed
    for k in range(4):
        w0, I, t, p, c, _ = _sigmoid_unit(rng)
        lam = 1.0 if k % 2 == 0 else float(rng.uniform(1.5, 3.0))
        i = int(np.argmax(np.abs(p * I)))
        prm = {"unit": k, "c": c, "lam": lam, "i": i,
               "sigma'": "λσ(1 − σ)" if corrected else "σ(1 − σ) (printed)"}
        e162 = [th.eq162_forms(s * w0, I, t, p, c, lam)[1][i] for s in _SCALES]
        e163 = [th.eq163(s * w0, I, t, p, c, lam, dsig)[i] for s in _SCALES]
        yield judge.order({**prm, "link": "Eq. 163 Taylor step"}, e163, e162, s=_SCALES,
                          claimed=2, name="Eq. 163")
        ens = th.eq159_forms(w0, I, t, p, c, lam, as_printed=False)[0]
        yield _vector_case(ctx, {**prm, "link": "Eq. 163 = ∂E_ENS/∂w + regulariser (Eq. 164)"},
                           ens + th.eq164_regulariser(w0, I, p, c, lam, dsig),
                           th.eq163(w0, I, t, p, c, lam, dsig), lam * float(np.max(np.abs(I))))
        diff, r164, r165 = [], [], []
        for s in _SCALES:
            w = s * w0
            diff.append(_expected_sigmoid_grad(w, I, t, p, c, lam)[i]
                        - th.eq159_forms(w, I, t, p, c, lam, as_printed=False)[0][i])
            r164.append(th.eq164_regulariser(w, I, p, c, lam, dsig)[i])
            r165.append(th.complex_step_grad(
                lambda x: th.eq165_regulariser(x, I, p, c, lam, as_printed=not corrected), w)[i])
        yield judge.order({**prm, "link": "Eq. 164"}, r164, diff, s=_SCALES, claimed=1,
                          kind="relative", name="Eq. 164 regulariser")
        yield judge.order({**prm, "link": "Eq. 165"}, r165, diff, s=_SCALES, claimed=1,
                          kind="relative", name="Eq. 165 ∇ regulariser")


@CATALOG.claim(
    "eq163_165.regularised_error", label="Eq. 163, Eq. 164, Eq. 165", kind=Kind.APPROXIMATION,
    statement="With σ'(x) = σ(x)(1 − σ(x)) the derivative of σ: E(∂E_D/∂w_i) ≈ −λ(t − σ(U) − "
              "σ'(U)I_iw_i(1 − p_i))p_iI_i ≈ ∂E_ENS/∂w_i + λσ'(U)w_iVar(δ_iI_i), the gradient of "
              "E_ENS + ½λσ'(U)Σ w_i²I_i²Var(δ_i).",
    note="as printed; σ(1 − σ) is the derivative of σ only for λ = 1 (Eq. 157 itself gives "
         "λσ(1 − σ)), so for λ ≠ 1 the Taylor step is only first order and the regulariser is "
         "off by the factor λ at every weight scale: see eq163_165.corrected")
def eq163_165(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """:func:`_eq163_165` with the printed σ' = σ(1 − σ): the chain holds for λ = 1; for
    λ ≠ 1 the Taylor step is only of first order and the regulariser misses the leading term
    by the factor λ."""
    return _eq163_165(ctx, rng, corrected=False)


@CATALOG.claim(
    "eq163_165.corrected", label="Eq. 163, Eq. 164, Eq. 165", kind=Kind.APPROXIMATION,
    as_printed=False, corrects="eq163_165.regularised_error", fix="scope",
    statement="With σ' = λσ(1 − σ) (the derivative of Eq. 27), for small weights E(∂E_D/∂w_i) − "
              "∂E_ENS/∂w_i = λσ'(U)w_iVar(δ_iI_i)(1 + O(w)) = λ²σ(U)(1 − σ(U))w_iI_i²p_i(1 − p_i)"
              "(1 + O(w)), the gradient of E_ENS + ½λσ'(U)Σ w_i²I_i²Var(δ_i) to the same order.")
def eq163_165_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: E[σ(S)|δ_i = 1] = σ(U + x) + O(s²) with x = I_iw_i(1 − p_i) (Eq. 162) and
    σ(U + x) = σ(U) + σ'(U)x + O(x²) with the true derivative σ' = λσ(1 − σ); multiplied by
    λp_iI_i this gives λσ'(U)w_iI_i²p_i(1 − p_i) + O(s²). Checked as :func:`eq163_165` with
    σ' = λσ(1 − σ)."""
    return _eq163_165(ctx, rng, corrected=True)


@CATALOG.explorer("eq163_165.regularised_error", s=SMALL_WEIGHT_SCALE, lam=(2.0, 0.2, 3.0),
                  p=(0.6, 0.05, 1.0), c=(1.0, 0.2, 5.0))
@CATALOG.explorer("eq163_165.corrected", s=SMALL_WEIGHT_SCALE, lam=(2.0, 0.2, 3.0),
                  p=(0.6, 0.05, 1.0), c=(1.0, 0.2, 5.0))
def _explore_eq163(ctx: Context, s: float, lam: float, p: float, c: float) -> Point:
    """The regulariser of Eq. 164, λσ'(U)w_iI_i²p_i(1 − p_i), against the difference
    E(∂E_D/∂w_i) − ∂E_ENS/∂w_i (enumerated and complex step) for the fixed unit of
    :func:`_unit` (weights scaled by s): with the printed σ' = σ(1 − σ) and with the corrected
    derivative λσ(1 − σ). At λ = 1 they agree; for λ ≠ 1 the printed one is off by the factor
    λ at every weight scale, while the correction's error is of second order in s (the
    difference itself of first; slope 2 on a log scale of s). A point takes about 3 ms."""
    w, I, t, pv, i = _unit(p, s)
    D = float(_expected_sigmoid_grad(w, I, t, pv, c, lam)[i]
              - th.eq159_forms(w, I, t, pv, c, lam, as_printed=False)[0][i])
    printed = th.eq164_regulariser(w, I, pv, c, lam, th.sigma_prime_printed)[i]
    corrected = th.eq164_regulariser(w, I, pv, c, lam, th.dsigma)[i]
    return Point.approximation(float(printed), exact=D, correction=float(corrected), order=2,
                               order_in="s")


# -- The remarks after Eq. 148 and 165: the regulariser ----------------------------------------


@CATALOG.claim(
    "sec11_4.regulariser_properties", label="Sec. 11.2 (after Eq. 148), Sec. 11.4 (after Eq. 165)",
    kind=Kind.INEQUALITY,
    statement="The regularisation of a linear or sigmoidal unit depends only on the inputs, not on "
              "the targets; its derivative factor λσ'(S_ENS) is bounded and approaches 0 when "
              "S_ENS is small or large; p_i = 0.5 gives the strongest regularisation.")
def sec11_4_regulariser(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """(a) Independence of the targets, exactly: the difference E(∂E_D/∂w_i) − ∂E_ENS/∂w_i
    (enumerated, complex step) is the same for two targets t, for linear units (Eq. 147) and
    logistic units (for which it is λp_iI_i(E[σ(S)|δ_i = 1] − σ(U)), with no t); (b, c) one
    hypothesis search over U, c, λ for λσ'(U) = λ²σ(1 − σ) > λ²/4 (bounded) or
    λσ'(U) > λ²max(c, 1/c)e^{−λ|U|}, a bound that → 0 as U → ±∞ (σ(1 − σ) ≤ min(ce^{−λU},
    e^{λU}/c)); (d) a search over p for p(1 − p) > ¼ = Var δ at p = ½ (the maximum)."""
    from hypothesis import strategies as st

    for k in range(2):
        w, I, t, p = _linear_unit(rng)
        masks, probs = _enum.enumerate_masks(w.size, p)
        Ds = []
        for tt in (t, t + 1.7):
            EG = probs @ _mask_grads(w, I, tt, masks)
            Ds.append(EG - th.eq144(w, I, tt, p))
        yield _vector_case(ctx, {"unit": k, "kind": "linear", "what": "D(t) = D(t + 1.7)"}, Ds[0],
                           Ds[1], _linear_scale(w, I, t + 1.7))
        w, I, t, p, c, lam = _sigmoid_unit(rng)
        Ds = []
        for tt in (t, 1 - t):
            EG = _expected_sigmoid_grad(w, I, tt, p, c, lam)
            Ds.append(EG - th.eq159_forms(w, I, tt, p, c, lam, as_printed=False)[0])
        yield _vector_case(ctx, {"unit": k, "kind": "logistic", "what": "D(t) = D(1 − t)"}, Ds[0],
                           Ds[1], lam * float(np.max(np.abs(I))))

    def bounded_and_vanishing(args):
        U, c, lam = args
        x = lam * U - math.log(c)  # λσ'(U) = λ²σ(x)σ(−x), without the cancellation of 1 − σ
        d = lam * lam * float(special.expit(x) * special.expit(-x))
        return (_le(ctx, d, lam * lam / 4)
                and _le(ctx, d, lam * lam * max(c, 1 / c) * math.exp(-lam * abs(U))))

    yield _search(ctx, bounded_and_vanishing, st.tuples(st.floats(-30, 30), st.floats(0.05, 20),
                                                        st.floats(0.05, 10)),
                  {"what": "λσ'(U) ≤ λ²/4 and ≤ λ²max(c, 1/c)e^{−λ|U|} (→ 0 as U → ±∞)"})
    yield _search(ctx, lambda q: _le(ctx, q * (1 - q), 0.25), st.floats(0, 1),
                  {"what": "Var δ = p(1 − p) ≤ ¼ = its value at p = ½"})


@CATALOG.explorer("sec11_4.regulariser_properties", p=(0.3, 0.0, 1.0), U=(1.0, -10.0, 10.0),
                  c=(1.0, 0.2, 5.0), lam=(1.5, 0.2, 3.0),
                  prop=("p = ½ regularises most", "λσ'(U) ≤ λ²/4",
                        "targets do not matter (linear unit)"))
def _explore_sec11_4(ctx: Context, p: float, U: float, c: float, lam: float, prop: str) -> Point:
    """The remarks after Eq. 148 and 165: the regulariser's factor Var δ = p(1 − p) is largest
    at p = ½ (the printed bound ¼ on it); its derivative factor λσ'(U) is at most λ²/4 (and
    tends to 0 as |U| grows); and the regularisation of a linear unit (the fixed unit of
    :func:`~.dynamics_linear._explore_linear_unit`, keep probability p) does not depend on
    the target: E(∂E_D/∂w_0) − ∂E_ENS/∂w_0 at t against its value at t + 1.7, enumerated. A
    point takes about 2 ms."""
    if prop.startswith("p = ½"):
        return Point.bound(0.25, side="upper", exact=p * (1 - p))
    if prop.startswith("λσ'"):
        return Point.bound(lam * lam / 4, side="upper", exact=lam * float(th.dsigma(U, c, lam)))
    from dropmc.papers.ensemble_averaging.dynamics_linear import _explore_linear_unit

    w, I, t, pv, masks, probs = _explore_linear_unit(p)
    D = [float((probs @ _mask_grads(w, I, tt, masks))[0] - th.eq144(w, I, tt, pv)[0])
         for tt in (t, t + 1.7)]
    return Point.identity(D[0], exact=D[1])
