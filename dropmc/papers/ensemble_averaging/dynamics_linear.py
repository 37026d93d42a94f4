"""Sections 11.1–11.3 of Baldi & Sadowski: dropout dynamics of a single linear unit and of deep
linear networks (Eq. 139–160)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._shared import (
    CATALOG,
    _linear_unit,
    _two_layer_logistic,
    _vector_case,
)
from dropmc.simulations import enumeration as _enum
from dropmc.theory import ensemble_averaging as th

# ------------------------------------------------------------------------------------------
# Section 11: dropout dynamics (Eq. 139–165)
# ------------------------------------------------------------------------------------------
#
# Evidence: exact enumeration of all dropout masks (dropmc.simulations.enumeration) and
# derivatives by the complex step (th.complex_step_grad, exact to rounding), so identities are
# decided to floating-point precision; approximations by the order of their error as the
# dropout noise (q = 1 − p → 0) or the weights (scale s → 0) vanish.


@CATALOG.claim(
    "eq140.tens_gradient", label="Eq. 139, Eq. 140", kind=Kind.IDENTITY,
    statement="The gradient of the true-ensemble error E_TENS = Σ_I Σ_N P(N) f_w(O_N, t(I)) is "
              "∂E_TENS/∂w_ij = Σ_I Σ_{N: δ_j = 1} P(N) ∂f_w/∂S_i · O_j(N, I).")
def eq140(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Two-layer logistic networks (3 inputs, 3 hidden units, random c, λ, unit dropout on
    inputs and hidden units, 2 training inputs, relative entropy of Eq. 156): the gradient of
    E_TENS (Eq. 139, all 2^6 subnetworks enumerated) by the complex step against Eq. 140's sum
    over the subnetworks keeping the presynaptic unit, with ∂f/∂S_i backpropagated
    (th.eq140_gradient), for every weight of both layers."""
    for k in range(3):
        W1, w2, inputs, targets, p, c, lam = _two_layer_logistic(rng)
        n_in, h = W1.shape[1], W1.shape[0]
        masks, probs = _enum.enumerate_masks(n_in + h, p)
        theta = np.concatenate([W1.ravel(), w2])

        def f(x):
            return th.e_tens(x[: W1.size].reshape(W1.shape), x[W1.size:], inputs, targets,
                             masks, probs, n_in, c, lam)

        g = th.complex_step_grad(f, theta)
        eq = th.eq140_gradient(W1, w2, inputs, targets, masks, probs, n_in, c, lam)
        theory = np.concatenate([eq["W1"].ravel(), eq["w2"]])
        scale = lam * (1 + float(np.max(np.abs(inputs)))) * max(1.0, float(np.max(np.abs(w2))))
        yield _vector_case(ctx, {"network": k, "c": c, "lam": lam, "weights": theta.size},
                           theory, g, scale)


def _explore_two_layer(p: float, c: float, lam: float):
    """The fixed two-layer logistic network of the Section 11 explorers (3 inputs, 3 hidden
    units, 2 training inputs; weights, inputs and targets drawn as
    :func:`~._shared._two_layer_logistic` draws them from seed 140), every input and hidden
    unit kept with probability p: (W1, w2, inputs, targets, masks, probs, n_in)."""
    W1, w2, inputs, targets, _, _, _ = _two_layer_logistic(np.random.default_rng(140))
    n_in, h = W1.shape[1], W1.shape[0]
    masks, probs = _enum.enumerate_masks(n_in + h, np.full(n_in + h, p))
    return W1, w2, inputs, targets, masks, probs, n_in


@CATALOG.explorer("eq140.tens_gradient", p=(0.6, 0.05, 1.0), c=(1.0, 0.2, 5.0),
                  lam=(1.0, 0.2, 3.0))
def _explore_eq140(ctx: Context, p: float, c: float, lam: float) -> Point:
    """∂E_TENS/∂w for the first top weight of the fixed two-layer logistic network of
    :func:`_explore_two_layer` (keep probability p): Eq. 140's sum over the subnetworks
    keeping the presynaptic unit against the complex-step gradient of E_TENS (Eq. 139, all
    2^6 subnetworks enumerated). A point takes about 3 ms."""
    W1, w2, inputs, targets, masks, probs, n_in = _explore_two_layer(p, c, lam)
    theta = np.concatenate([W1.ravel(), w2])
    g = th.complex_step_grad(lambda x: th.e_tens(x[:W1.size].reshape(W1.shape), x[W1.size:],
                                                 inputs, targets, masks, probs, n_in, c, lam),
                             theta)
    eq = th.eq140_gradient(W1, w2, inputs, targets, masks, probs, n_in, c, lam)
    return Point.identity(float(eq["w2"][0]), exact=float(g[W1.size]))


@CATALOG.claim(
    "eq141.factorised_gradient", label="Eq. 141", kind=Kind.APPROXIMATION,
    statement="If the backpropagated error does not vary much across subnetworks, "
              "∂E_TENS/∂w_ij ≈ E(∂f_w/∂S_i) p_j E(O_j) ≈ E(∂f_w/∂S_i) p_j W_j (W_j: the ensemble "
              "network's output of unit j).")
def eq141(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """"Does not vary too much from one network to the next" read as the limit of small
    dropout noise: every keep probability p_j = 1 − q·u_j (u_j ∈ (0.5, 1) fixed) with
    q = 0.4·2^{−k}, k = 0…6, so the spread of ∂f/∂S_i and of O_j across subnetworks vanishes.
    Each link must then be exact to first order, |error| = O(q) (judge.order, absolute,
    order 1; a constant error fails): link 1, the exact ∂E_TENS/∂w (Eq. 140, enumerated)
    against E(∂f/∂S_i)p_jE(O_j) for a top weight w2_0 and a first-layer weight W1_00 (whose
    error is the covariance of ∂f/∂S_i and δ_jO_j); link 2, E(O_j) → W_j for the top weight
    (hidden logistic unit; for an input unit E(O_j) = W_j = I_j, checked exactly)."""
    qs = 0.4 * 0.5 ** np.arange(7)
    for k in range(2):
        W1, w2, inputs, targets, _, c, lam = _two_layer_logistic(rng)
        n_in, h = W1.shape[1], W1.shape[0]
        u = rng.uniform(0.5, 1.0, n_in + h)
        I, t = inputs[0], targets[0]
        ex_top, ex_low, f_top, f_low, s_top, s_low = [], [], [], [], [], []
        for q in qs:
            p = 1 - q * u
            masks, probs = _enum.enumerate_masks(n_in + h, p)
            g = th.eq140_gradient(W1, w2, [I], [t], masks, probs, n_in, c, lam)
            a = th.eq141_factorised(W1, w2, I, t, masks, probs, p, n_in, c, lam)
            ex_top.append(g["w2"][0]); ex_low.append(g["W1"][0, 0])
            f_top.append(a["first"]["w2"][0]); f_low.append(a["first"]["W1"][0, 0])
            s_top.append(a["second"]["w2"][0]); s_low.append(a["second"]["W1"][0, 0])
        prm = {"network": k, "c": c, "lam": lam}
        yield judge.order({**prm, "link": "∂E_TENS ≈ E(∂f/∂S)pE(O), top weight"}, f_top,
                          ex_top, s=qs, claimed=1, name="Eq. 141 first ≈ (top)")
        yield judge.order({**prm, "link": "∂E_TENS ≈ E(∂f/∂S)pE(O), first-layer weight"},
                          f_low, ex_low, s=qs, claimed=1,
                          name="Eq. 141 first ≈ (first layer)")
        yield judge.order({**prm, "link": "pE(O_j) ≈ pW_j, top weight"}, s_top, f_top, s=qs,
                          claimed=1, name="Eq. 141 second ≈ (top)")
        yield judge.identity({**prm, "link": "pE(O_j) = pW_j for an input unit"}, s_low[-1],
                             Estimate.exact(f_low[-1], "enumeration"), scale=abs(f_low[-1]) + abs(ex_low[-1]))


@CATALOG.explorer("eq141.factorised_gradient", q=(0.1, 1 / 512, 0.9),
                  link=("top weight: ∂E_TENS ≈ E(∂f/∂S)pE(O)",
                        "first-layer weight: ∂E_TENS ≈ E(∂f/∂S)pE(O)",
                        "top weight: pE(O_j) ≈ pW_j"))
def _explore_eq141(ctx: Context, q: float, link: str) -> Point:
    """Eq. 141's two links for the fixed two-layer logistic network of
    :func:`_explore_two_layer` (its first training input), every keep probability
    p_j = 1 − q·u_j (u_j fixed in (0.5, 1)): as the dropout noise q → 0 each error is of first
    order in q (slope 1 on a log scale of q). All 2^6 subnetworks enumerated. A point takes
    about 3 ms."""
    W1, w2, inputs, targets, _, _, _ = _two_layer_logistic(np.random.default_rng(140))
    n_in, h = W1.shape[1], W1.shape[0]
    u = np.linspace(0.5, 1.0, n_in + h)
    p = 1 - q * u
    masks, probs = _enum.enumerate_masks(n_in + h, p)
    I, t = inputs[0], targets[0]
    g = th.eq140_gradient(W1, w2, [I], [t], masks, probs, n_in)
    a = th.eq141_factorised(W1, w2, I, t, masks, probs, p, n_in)
    if link.startswith("top weight: ∂"):
        return Point.approximation(float(a["first"]["w2"][0]), exact=float(g["w2"][0]), order=1,
                                   order_in="q")
    if link.startswith("first-layer"):
        return Point.approximation(float(a["first"]["W1"][0, 0]), exact=float(g["W1"][0, 0]),
                                   order=1, order_in="q")
    return Point.approximation(float(a["second"]["w2"][0]), exact=float(a["first"]["w2"][0]),
                               order=1, order_in="q")


# -- Section 11.2: a single linear unit -----------------------------------------------------


def _linear_scale(w, I, t) -> float:
    """The size of the terms of a linear unit's gradient: (|t| + Σ|w_iI_i|)·max|I|."""
    return (abs(t) + float(np.sum(np.abs(w * I)))) * float(np.max(np.abs(I)))


def _mask_grads(w, I, t, masks) -> np.ndarray:
    """∂E_D/∂w for every mask (rows), by the complex step of Eq. 143."""
    return th.complex_step_grad(lambda x: th.linear_dropout_error(x, I, t, masks), w)


@CATALOG.claim(
    "eq144_145.linear_gradients", label="Eq. 142, Eq. 143, Eq. 144, Eq. 145", kind=Kind.IDENTITY,
    statement="For a single linear unit, ∂E_ENS/∂w_i = −(t − O_ENS)p_iI_i and, for every "
              "dropout mask, ∂E_D/∂w_i = −(t − O_D)δ_iI_i = −tδ_iI_i + w_iδ_i²I_i² + "
              "Σ_{j≠i} w_jδ_jδ_iI_jI_i.")
def eq144_145(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Random units (n = 6, random p): Eq. 144 against the complex-step gradient of Eq. 142;
    Eq. 145 link by link for all 64 masks: the complex-step gradient of Eq. 143 against the
    first form, and the first form against the expanded second."""
    for k in range(3):
        w, I, t, p = _linear_unit(rng)
        masks, _ = _enum.enumerate_masks(w.size, p)
        sc = _linear_scale(w, I, t)
        prm = {"unit": k, "n": w.size}
        g_ens = th.complex_step_grad(lambda x: th.linear_ensemble_error(x, I, t, p), w)
        yield _vector_case(ctx, {**prm, "link": "Eq. 144"}, th.eq144(w, I, t, p), g_ens, sc)
        first, second = th.eq145_forms(w, I, t, masks)
        yield _vector_case(ctx, {**prm, "link": "Eq. 145 ∂E_D/∂w = −(t − O_D)δI"}, first,
                       _mask_grads(w, I, t, masks), sc)
        yield _vector_case(ctx, {**prm, "link": "Eq. 145 expanded"}, second, first, sc)


def _explore_linear_unit(p: float):
    """The fixed linear unit of the Section 11.2 explorers (6 inputs; w, I, t drawn as
    :func:`~._shared._linear_unit` draws them from seed 144), every input kept with
    probability p: (w, I, t, p vector, masks, probabilities)."""
    w, I, t, _ = _linear_unit(np.random.default_rng(144))
    pv = np.full(w.size, p)
    masks, probs = _enum.enumerate_masks(w.size, pv)
    return w, I, t, pv, masks, probs


@CATALOG.explorer("eq144_145.linear_gradients", p=(0.6, 0.0, 1.0), t=(0.5, -3.0, 3.0),
                  eq=("Eq. 144", "Eq. 145"))
def _explore_eq144(ctx: Context, p: float, t: float, eq: str) -> Point:
    """For the fixed linear unit of :func:`_explore_linear_unit` (keep probability p, target
    t): Eq. 144's ∂E_ENS/∂w_0 against the complex-step gradient of Eq. 142, or Eq. 145's
    expanded ∂E_D/∂w_0 against the complex-step gradient of Eq. 143 for the mask keeping
    inputs 0, 2 and 4. A point takes about 2 ms."""
    w, I, _, pv, _, _ = _explore_linear_unit(p)
    if eq == "Eq. 144":
        g = th.complex_step_grad(lambda x: th.linear_ensemble_error(x, I, t, pv), w)
        return Point.identity(float(th.eq144(w, I, t, pv)[0]), exact=float(g[0]))
    mask = np.array([[1.0, 0.0, 1.0, 0.0, 1.0, 0.0]])
    _, second = th.eq145_forms(w, I, t, mask)
    return Point.identity(float(np.ravel(second)[0]),
                          exact=float(np.ravel(_mask_grads(w, I, t, mask))[0]))


def _pairwise_masks() -> tuple[np.ndarray, np.ndarray]:
    """Masks of 3 pairwise independent but not independent B(½) selectors: δ₃ = δ₁ XOR δ₂,
    the 4 masks equally likely."""
    m = np.array([[0, 0, 0], [1, 0, 1], [0, 1, 1], [1, 1, 0]], float)
    return m, np.full(4, 0.25)


def _eq146_cases(ctx: Context, rng: np.random.Generator, corrected: bool) -> Iterator[CaseResult]:
    """E(∂E_D/∂w_i) by enumeration (the complex-step gradients of Eq. 143 over all masks,
    weighted by their probabilities) against each form of Eq. 146 and 147 (the middle of
    Eq. 146 as printed, or with its factor p_i); Var(δ_iI_i) is enumerated too. One unit has
    3 selectors that are only *pairwise* independent (δ₃ = δ₁ XOR δ₂, p = ½), as the paper's
    assumption allows: the expected gradient is quadratic in δ, so no more is needed."""
    units = [(_linear_unit(rng), None) for _ in range(3)]
    w3, I3, t3, _ = _linear_unit(rng, 3)
    units.append(((w3, I3, t3, np.full(3, 0.5)), _pairwise_masks()))
    for k, ((w, I, t, p), pm) in enumerate(units):
        masks, probs = pm if pm is not None else _enum.enumerate_masks(w.size, p)
        EG = probs @ _mask_grads(w, I, t, masks)
        dI = masks * I
        var_dI = probs @ dI ** 2 - (probs @ dI) ** 2
        sc = _linear_scale(w, I, t)
        prm = {"unit": k, "n": w.size, "selectors": "pairwise independent" if pm else "independent"}
        f1, f2, f3 = th.eq146_forms(w, I, t, p)
        if corrected:
            f2 = th.eq146_middle_corrected(w, I, t, p)
        for name, form in (("Eq. 146 −(t − E(O_D|δ_i = 1))p_iI_i", f1),
                           ("Eq. 146 middle" + (" (with p_i)" if corrected else " as printed"), f2),
                           ("Eq. 146 −(t − O_ENS)p_iI_i + w_iI_i²p_i(1 − p_i)", f3),
                           ("Eq. 147 ∂E_ENS/∂w_i + w_iI_i² Var δ_i", th.eq147(w, I, t, p))):
            yield _vector_case(ctx, {**prm, "link": f"E(∂E_D/∂w_i) = {name}"}, form, EG, sc)
        yield _vector_case(ctx, {**prm, "link": "Eq. 147 Var(δ_iI_i) = I_i² Var δ_i"},
                           I ** 2 * p * (1 - p), var_dI, float(np.max(I ** 2)))


@CATALOG.claim(
    "eq146_147.expected_gradient", label="Eq. 146, Eq. 147", kind=Kind.IDENTITY,
    statement="With pairwise independent selectors, E(∂E_D/∂w_i) = −(t − E(O_D|δ_i = 1))p_iI_i "
              "= −tp_iI_i + w_ip_iI_i² + Σ_{j≠i} w_jp_jI_jI_i = −(t − O_ENS)p_iI_i + "
              "w_iI_i²p_i(1 − p_i) = ∂E_ENS/∂w_i + w_iI_i²Var δ_i = ∂E_ENS/∂w_i + w_iVar(δ_iI_i).",
    note="as printed; the middle form of Eq. 146 lacks a factor p_i on the cross terms: see "
         "eq146_147.corrected")
def eq146_147(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Every form of the chain against the enumerated E(∂E_D/∂w_i) (:func:`_eq146_cases`,
    the middle of Eq. 146 as printed). The middle fails: E(δ_jδ_i) = p_jp_i, so the cross sum
    is p_iΣ_{j≠i} w_jp_jI_jI_i; the other forms (and the conclusion, Eq. 147) hold."""
    return _eq146_cases(ctx, rng, corrected=False)


@CATALOG.claim(
    "eq146_147.corrected", label="Eq. 146, Eq. 147", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq146_147.expected_gradient", fix="misprint",
    statement="With pairwise independent selectors, E(∂E_D/∂w_i) = −(t − E(O_D|δ_i = 1))p_iI_i "
              "= −tp_iI_i + w_ip_iI_i² + p_iΣ_{j≠i} w_jp_jI_jI_i = −(t − O_ENS)p_iI_i + "
              "w_iI_i²p_i(1 − p_i) = ∂E_ENS/∂w_i + w_iVar(δ_iI_i).")
def eq146_147_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: the expectation of Eq. 145's expanded form term by term, with E(δ_i) = p_i,
    E(δ_i²) = p_i and E(δ_jδ_i) = p_jp_i for j ≠ i (pairwise independence), gives the cross
    sum p_iΣ_{j≠i} w_jp_jI_jI_i. Checked as :func:`eq146_147` with this middle form."""
    return _eq146_cases(ctx, rng, corrected=True)


@CATALOG.explorer("eq146_147.expected_gradient", p=(0.6, 0.0, 1.0), t=(0.5, -3.0, 3.0))
@CATALOG.explorer("eq146_147.corrected", p=(0.6, 0.0, 1.0), t=(0.5, -3.0, 3.0))
def _explore_eq146(ctx: Context, p: float, t: float) -> Point:
    """E(∂E_D/∂w_0) of the fixed linear unit of :func:`_explore_linear_unit` (keep
    probability p, target t), enumerated over all 2^6 masks, against the middle form of
    Eq. 146 as printed (the cross terms without p_i) and its correction (with it): the
    printed middle is right at p = 1 (and where the cross terms vanish) only; the other forms
    of the chain are the correction's value. A point takes about 2 ms."""
    w, I, _, pv, masks, probs = _explore_linear_unit(p)
    EG = float((probs @ _mask_grads(w, I, t, masks))[0])
    return Point.identity(float(th.eq146_forms(w, I, t, pv)[1][0]), exact=EG,
                          correction=float(th.eq146_middle_corrected(w, I, t, pv)[0]))


@CATALOG.claim(
    "eq148.regularised_error", label="Eq. 148, Sec. 11.2 (after Eq. 148)", kind=Kind.IDENTITY,
    statement="The expected dropout gradient of a linear unit is the gradient of the regularised "
              "ensemble error E_ENS + ½Σ_i w_i²I_i² Var δ_i, training examples combining "
              "additively; the same holds for an entire layer of linear units.")
def eq148(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """E(∇E_D) by enumeration (the gradient of the enumerated E(E_D), by the complex step;
    the expectation and the gradient commute over finitely many masks) against the
    complex-step gradient of Eq. 148's regularised error: for a unit with 3 training examples
    (errors summed), and for a layer of 3 linear units sharing the dropped inputs (the
    regulariser summed over the units)."""
    for k in range(2):
        n = 6
        p = rng.uniform(0.2, 0.95, n)
        masks, probs = _enum.enumerate_masks(n, p)
        Is, ts = rng.standard_normal((3, n)), rng.standard_normal(3)
        w = rng.standard_normal(n)
        ED = lambda x: sum(probs @ th.linear_dropout_error(x, I, t, masks) for I, t in zip(Is, ts))
        R = lambda x: sum(th.eq148_error(x, I, t, p) for I, t in zip(Is, ts))
        sc = max(_linear_scale(w, I, t) for I, t in zip(Is, ts))
        yield _vector_case(ctx, {"case": k, "what": "unit, 3 training examples"},
                       th.complex_step_grad(R, w), th.complex_step_grad(ED, w), sc)
        W = rng.standard_normal((3, n))
        I, T = Is[0], rng.standard_normal(3)
        EDL = lambda x: sum(probs @ th.linear_dropout_error(x.reshape(W.shape)[r], I, T[r], masks)
                            for r in range(3))
        RL = lambda x: sum(th.eq148_error(x.reshape(W.shape)[r], I, T[r], p) for r in range(3))
        sc = max(_linear_scale(W[r], I, T[r]) for r in range(3))
        yield _vector_case(ctx, {"case": k, "what": "layer of 3 linear units"},
                       th.complex_step_grad(RL, W.ravel()), th.complex_step_grad(EDL, W.ravel()),
                       sc)


@CATALOG.explorer("eq148.regularised_error", p=(0.6, 0.0, 1.0), t=(0.5, -3.0, 3.0))
def _explore_eq148(ctx: Context, p: float, t: float) -> Point:
    """∂/∂w_0 of Eq. 148's regularised error E_ENS + ½Σ w_i²I_i²Var δ_i against the gradient
    of the enumerated E(E_D) (complex step), for the fixed linear unit of
    :func:`_explore_linear_unit` (keep probability p, target t). A point takes about
    2 ms."""
    w, I, _, pv, masks, probs = _explore_linear_unit(p)
    ED = th.complex_step_grad(lambda x: probs @ th.linear_dropout_error(x, I, t, masks), w)
    R = th.complex_step_grad(lambda x: th.eq148_error(x, I, t, pv), w)
    return Point.identity(float(R[0]), exact=float(ED[0]))


# -- Section 11.3: deep linear networks -----------------------------------------------------


def _deep_net(rng, skip_prob: float = 0.0, widths=(3, 3, 3, 1)):
    """A random deep linear network with one output unit, unit dropout on every other unit
    (random keep probabilities), all its 2^(N−1) masks (the output's gate fixed at 1), their
    probabilities, an input and a target."""
    net = th.random_layered_net(rng, list(widths), skip_prob=skip_prob)
    N = net.n_units
    p = np.append(rng.uniform(0.3, 0.9, N - 1), 1.0)
    m, probs = _enum.enumerate_masks(N - 1, p[:-1])
    gates = np.hstack([m.astype(float), np.ones((m.shape[0], 1))])
    return net, p, gates, probs, rng.standard_normal(net.n_in), float(rng.standard_normal())


def _deep_grads(net, p, gates, I, t, edges):
    """Per-mask dropout gradients ∂E_D/∂w (rows: masks) and the ensemble gradient ∂E_ENS/∂w
    (E_ENS = ½(t − U)², U the output of the network with every weight scaled by its source's
    keep probability, Eq. 24) for the weights ``edges``, by the complex step."""
    n0, out = net.n_in, net.n_units - 1

    def with_w(x):
        W = net.W.astype(complex)
        for (i, j), v in zip(edges, x):
            W[i, j] = v
        return W

    w0 = np.array([net.W[e] for e in edges])
    gD = th.complex_step_grad(lambda x: 0.5 * (t - th.deep_linear_forward(with_w(x), n0, I, gates)[:, out]) ** 2, w0)
    gE = th.complex_step_grad(lambda x: 0.5 * (t - th.deep_linear_forward(with_w(x), n0, I, p)[0, out]) ** 2, w0)
    return gD, gE


def _eq150_cases(ctx: Context, rng: np.random.Generator, corrected: bool) -> Iterator[CaseResult]:
    """Deep linear networks (3-3-3-1, and 3-3-3-1 with skip connections into the output),
    unit dropout, all masks enumerated: Eq. 149 for every mask and top weight (complex-step
    gradient of E_D = ½(t − O^T)² against −(t − O^T)δ_jO_j), and Eq. 150 (printed, or the
    corrected form with Σ_{k≠j} w_ik Cov(δ_kO_k, δ_jO_j)) for every top weight against the
    enumerated E(∂E_D/∂w), with Var and Cov of δ_jO_j enumerated."""
    for k, skip in enumerate((0.0, 0.0, 0.6)):
        net, p, gates, probs, I, t = _deep_net(rng, skip)
        o = net.n_units - 1
        js = np.flatnonzero(net.W[o] != 0)
        edges = [(o, int(j)) for j in js]
        gD, gE = _deep_grads(net, p, gates, I, t, edges)
        S = th.deep_linear_forward(net.W, net.n_in, I, gates)
        Y = gates * S  # δ_jO_j
        sc = (abs(t) + float(np.max(np.abs(S)))) * float(np.max(np.abs(Y)))
        prm = {"network": k, "skip_prob": skip, "top_weights": len(edges)}
        if not corrected:
            e149 = -(t - S[:, o])[:, None] * Y[:, js]
            yield _vector_case(ctx, {**prm, "link": "Eq. 149 (every mask)"}, e149, gD, sc)
        EY = probs @ Y
        C = (probs * (Y - EY).T) @ (Y - EY)  # Cov(δ_kO_k, δ_jO_j)
        EG = probs @ gD
        if corrected:
            theory = [th.eq150_corrected(gE[a], net.W[o], C[:, j], j) for a, j in enumerate(js)]
        else:
            theory = [th.eq150_printed(gE[a], net.W[o, j], C[j, j]) for a, j in enumerate(js)]
        yield _vector_case(ctx, {**prm, "link": "Eq. 150" + (" corrected" if corrected else "")},
                           theory, EG, sc)


@CATALOG.claim(
    "eq149_150.top_layer", label="Eq. 149, Eq. 150", kind=Kind.IDENTITY,
    statement="For the top layer of a deep linear network, ∂E_D/∂w_ij^{T,l} = −(t_i − O_i^T)δ_j^lO_j^l "
              "and E(∂E_D/∂w_ij^{T,l}) = ∂E_ENS/∂w_ij^{T,l} + w_ij^{T,l} Var(δ_j^lO_j^l).",
    note="as printed; Eq. 150 omits the covariances Σ_{k≠j} w_ik Cov(δ_kO_k, δ_jO_j) of δ_jO_j "
         "with the other inputs of the output unit (the Cov(α, β) of the paper's own Eq. 155), "
         "which are non-zero whenever the presynaptic units lie above the input layer: see "
         "eq150.corrected")
def eq149_150(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """:func:`_eq150_cases` with Eq. 150 as printed. Eq. 149 holds; Eq. 150 fails as soon as
    the presynaptic units share ancestors (any layer above the inputs): E(∂E_D/∂w_ij) −
    ∂E_ENS/∂w_ij = Σ_k w_ik Cov(δ_kO_k, δ_jO_j), whose terms k ≠ j do not vanish. (For l = 0,
    the inputs, it is Eq. 147.)"""
    return _eq150_cases(ctx, rng, corrected=False)


@CATALOG.claim(
    "eq150.corrected", label="Eq. 150, Eq. 155", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq149_150.top_layer", fix="rewrite",
    statement="For a top-layer weight of a deep linear network, E(∂E_D/∂w_ij^{T,l}) = "
              "∂E_ENS/∂w_ij^{T,l} + w_ij^{T,l}Var(δ_j^lO_j^l) + Σ_{k≠j} w_ik^{T}Cov(δ_kO_k, δ_j^lO_j^l).")
def eq150_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: E(∂E_D/∂w_ij) = −t p_jE(O_j) + Σ_k w_ik E(δ_kO_kδ_jO_j) and ∂E_ENS/∂w_ij =
    −(t − Σ_k w_ik p_kE(O_k)) p_jE(O_j), whose difference is Σ_k w_ik Cov(δ_kO_k, δ_jO_j) —
    Eq. 155 with α = δ_jO_j, β = Σ_{k≠j} w_ikδ_kO_k. Checked as :func:`eq149_150`."""
    return _eq150_cases(ctx, rng, corrected=True)


def _explore_deep_linear(p: float):
    """The fixed deep linear network of the Section 11.3 explorers (3-3-3-1, weights,
    input and target from seed 150), every non-output unit kept with probability p, all 2^9
    masks: (net, p vector, gates, probabilities, I, t)."""
    rng = np.random.default_rng(150)
    net = th.random_layered_net(rng, [3, 3, 3, 1], skip_prob=0.0)
    N = net.n_units
    pv = np.append(np.full(N - 1, p), 1.0)
    m, probs = _enum.enumerate_masks(N - 1, pv[:-1])
    gates = np.hstack([m.astype(float), np.ones((m.shape[0], 1))])
    return net, pv, gates, probs, rng.standard_normal(net.n_in), float(rng.standard_normal())


@CATALOG.explorer("eq149_150.top_layer", p=(0.6, 0.05, 1.0), j=(0, 0, 2))
@CATALOG.explorer("eq150.corrected", p=(0.6, 0.05, 1.0), j=(0, 0, 2))
def _explore_eq150(ctx: Context, p: float, j: float) -> Point:
    """E(∂E_D/∂w) for the top weight from hidden unit j (rounded) of the fixed deep linear
    network of :func:`_explore_deep_linear` (keep probability p), enumerated, against
    Eq. 150 as printed (∂E_ENS/∂w + w Var(δ_jO_j)) and its correction (+ Σ_{k≠j} w_k
    Cov(δ_kO_k, δ_jO_j)): the hidden units share ancestors, so the printed form fails for
    every p < 1. A point takes about 3 ms."""
    net, pv, gates, probs, I, t = _explore_deep_linear(p)
    o = net.n_units - 1
    js = np.flatnonzero(net.W[o] != 0)
    jj = int(js[int(round(j))])
    gD, gE = _deep_grads(net, pv, gates, I, t, [(o, jj)])
    Y = gates * th.deep_linear_forward(net.W, net.n_in, I, gates)
    EY = probs @ Y
    C = (probs * (Y - EY).T) @ (Y - EY)
    return Point.identity(th.eq150_printed(float(gE[0]), net.W[o, jj], C[jj, jj]),
                          exact=float(probs @ gD[:, 0]),
                          correction=th.eq150_corrected(float(gE[0]), net.W[o], C[:, jj], jj))


def _path_setup(rng, k: int):
    """A deep linear network and one of its non-top weights (k even: layer 2 ← layer 1, odd:
    layer 1 ← input) with α, β of Eq. 151 for every mask."""
    net, p, gates, probs, I, t = _deep_net(rng, 0.3 if k >= 2 else 0.0)
    L = net.layer
    tgt = 2 if k % 2 == 0 else 1
    cand = [(int(i), int(j)) for i, j in np.argwhere(net.W != 0) if L[i] == tgt and L[j] == tgt - 1]
    edge = cand[int(rng.integers(len(cand)))]
    a, b = th.deep_linear_alpha_beta(net.W, net.n_in, I, gates, edge, net.n_units - 1)
    return net, p, gates, probs, I, t, edge, a, b


@CATALOG.claim(
    "eq151_153.path_gradients", label="Eq. 151, Eq. 152, Eq. 153", kind=Kind.IDENTITY,
    statement="In a deep linear network the output is S = αw + β for any weight w (α, β: the "
              "path sums through and avoiding w), U = E(S) = E(α)w + E(β), ∂E_D/∂w = "
              "(αw + β − t)α and ∂E_ENS/∂w = (E(α)w + E(β) − t)E(α).")
def eq151_153(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Random 3-3-3-1 networks (two with skip connections), unit dropout, every mask: α and β
    from the output at w = 1 and w = 0 (th.deep_linear_alpha_beta); links: S = αw + β for
    every mask; U (the ensemble network, Eq. 24) = E(α)w + E(β); the complex-step ∂E_D/∂w
    for every mask against (αw + β − t)α; the complex-step ∂E_ENS/∂w against Eq. 153. Weights
    into layer 2 and into layer 1."""
    for k in range(4):
        net, p, gates, probs, I, t, edge, a, b = _path_setup(rng, k)
        o, w = net.n_units - 1, float(net.W[edge])
        S = th.deep_linear_forward(net.W, net.n_in, I, gates)[:, o]
        U = float(th.deep_linear_forward(net.W, net.n_in, I, p)[0, o])
        gD, gE = _deep_grads(net, p, gates, I, t, [edge])
        Ea, Eb = float(probs @ a), float(probs @ b)
        sz = float(np.max(np.abs(a * w)) + np.max(np.abs(b)))
        sc = (abs(t) + sz) * float(np.max(np.abs(a)))
        prm = {"network": k, "edge": edge}
        yield _vector_case(ctx, {**prm, "link": "Eq. 151 S = αw + β"}, a * w + b, S, sz)
        yield _vector_case(ctx, {**prm, "link": "Eq. 151 U = E(α)w + E(β)"}, [U], [Ea * w + Eb], sz)
        yield _vector_case(ctx, {**prm, "link": "Eq. 152"}, (a * w + b - t) * a, gD, sc)
        yield _vector_case(ctx, {**prm, "link": "Eq. 153"}, [th.eq153(Ea, Eb, w, t)], gE, sc)


def _explore_path(p: float):
    """A weight inside the fixed deep linear network of :func:`_explore_deep_linear` (the
    first connection into layer 2) with α, β of Eq. 151 for every mask."""
    net, pv, gates, probs, I, t = _explore_deep_linear(p)
    L = net.layer
    edge = next((int(i), int(jj)) for i, jj in np.argwhere(net.W != 0) if L[i] == 2 and L[jj] == 1)
    a, b = th.deep_linear_alpha_beta(net.W, net.n_in, I, gates, edge, net.n_units - 1)
    return net, pv, gates, probs, I, t, edge, a, b


@CATALOG.explorer("eq151_153.path_gradients", p=(0.6, 0.05, 1.0))
def _explore_eq151(ctx: Context, p: float) -> Point:
    """Eq. 153, ∂E_ENS/∂w = (E(α)w + E(β) − t)E(α), for a weight into layer 2 of the fixed
    deep linear network of :func:`_explore_deep_linear` (keep probability p; α, β the path
    sums through and avoiding w, enumerated), against the complex-step gradient of the
    ensemble error. A point takes about 3 ms."""
    net, pv, gates, probs, I, t, edge, a, b = _explore_path(p)
    _, gE = _deep_grads(net, pv, gates, I, t, [edge])
    return Point.identity(th.eq153(float(probs @ a), float(probs @ b), float(net.W[edge]), t),
                          exact=float(gE[0]))


def _eq154_155(ctx: Context, rng: np.random.Generator, which: str) -> Iterator[CaseResult]:
    """The enumerated E(∂E_D/∂w) (complex-step gradients over every mask) for the weights of
    :func:`_path_setup` against: ``printed`` — Eq. 154's middle as printed, the unaveraged
    (αw + β − t)α, for every mask; ``154`` — E[(αw + β − t)α] and E(α²)w + E(αβ) − tE(α);
    ``155`` — ∂E_ENS/∂w (Eq. 153) + w Var(α) + Cov(α, β)."""
    for k in range(4):
        net, p, gates, probs, I, t, edge, a, b = _path_setup(rng, k)
        w = float(net.W[edge])
        gD, _ = _deep_grads(net, p, gates, I, t, [edge])
        EG = float(probs @ gD[:, 0])
        Ea, Eb = float(probs @ a), float(probs @ b)
        sc = (abs(t) + float(np.max(np.abs(a * w)) + np.max(np.abs(b)))) * float(np.max(np.abs(a)))
        prm = {"network": k, "edge": edge}
        if which == "printed":
            yield _vector_case(ctx, {**prm, "link": "Eq. 154 middle as printed, every mask"},
                               (a * w + b - t) * a, np.full(a.size, EG), sc)
        elif which == "154":
            yield _vector_case(ctx, {**prm, "link": "Eq. 154 E[(αw + β − t)α]"},
                               [float(probs @ ((a * w + b - t) * a))], [EG], sc)
            yield _vector_case(ctx, {**prm, "link": "Eq. 154 E(α²)w + E(αβ) − tE(α)"},
                               [th.eq154(float(probs @ a ** 2), float(probs @ (a * b)), Ea, w, t)],
                               [EG], sc)
        else:
            var_a = float(probs @ (a - Ea) ** 2)
            cov = float(probs @ ((a - Ea) * (b - Eb)))
            yield _vector_case(ctx, {**prm, "link": "Eq. 155", "cov_ab": cov},
                               [th.eq155(th.eq153(Ea, Eb, w, t), w, var_a, cov)], [EG], sc)


@CATALOG.claim(
    "eq154.middle_as_printed", label="Eq. 154", kind=Kind.IDENTITY,
    statement="E(∂E_D/∂w) = (αw + β − t)α (the middle of Eq. 154, without an expectation).",
    note="as printed; the middle lacks its expectation sign: see eq154.corrected")
def eq154_printed(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The printed middle is a random variable, not E(∂E_D/∂w): compared for every mask with
    the enumerated expectation (:func:`_eq154_155`), it differs wherever α varies."""
    return _eq154_155(ctx, rng, "printed")


@CATALOG.claim(
    "eq154.corrected", label="Eq. 154", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq154.middle_as_printed", fix="misprint",
    statement="E(∂E_D/∂w) = E[(αw + β − t)α] = E(α²)w + E(αβ) − tE(α).")
def eq154_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The expectation of Eq. 152 (linearity of E); both forms against the enumerated
    E(∂E_D/∂w) (:func:`_eq154_155`)."""
    return _eq154_155(ctx, rng, "154")


@CATALOG.explorer("eq154.middle_as_printed", p=(0.6, 0.05, 1.0))
@CATALOG.explorer("eq154.corrected", p=(0.6, 0.05, 1.0))
def _explore_eq154(ctx: Context, p: float) -> Point:
    """E(∂E_D/∂w) for a weight into layer 2 of the fixed deep linear network of
    :func:`_explore_deep_linear` (keep probability p), enumerated, against Eq. 154's middle as
    printed — (αw + β − t)α without its expectation, here at the mask keeping every unit —
    and its correction E(α²)w + E(αβ) − tE(α). A point takes about 3 ms."""
    net, pv, gates, probs, I, t, edge, a, b = _explore_path(p)
    w = float(net.W[edge])
    gD, _ = _deep_grads(net, pv, gates, I, t, [edge])
    full = int(np.argmax(gates.sum(axis=1)))
    return Point.identity(float((a[full] * w + b[full] - t) * a[full]),
                          exact=float(probs @ gD[:, 0]),
                          correction=th.eq154(float(probs @ a ** 2), float(probs @ (a * b)),
                                              float(probs @ a), w, t))


@CATALOG.claim(
    "eq155.regularised_gradient", label="Eq. 155", kind=Kind.IDENTITY,
    statement="In a deep linear network, E(∂E_D/∂w) = ∂E_ENS/∂w + w Var(α) + Cov(α, β) for "
              "every weight w.")
def eq155(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Against the enumerated E(∂E_D/∂w), with ∂E_ENS/∂w from Eq. 153 and Var(α), Cov(α, β)
    enumerated (:func:`_eq154_155`); the weights are inside the network (layer 1 and 2),
    where Cov(α, β) ≠ 0 (reported per case)."""
    return _eq154_155(ctx, rng, "155")


@CATALOG.explorer("eq155.regularised_gradient", p=(0.6, 0.05, 1.0))
def _explore_eq155(ctx: Context, p: float) -> Point:
    """Eq. 155, E(∂E_D/∂w) = ∂E_ENS/∂w + w Var(α) + Cov(α, β), for a weight into layer 2 of
    the fixed deep linear network of :func:`_explore_deep_linear` (keep probability p), all
    terms enumerated. A point takes about 3 ms."""
    net, pv, gates, probs, I, t, edge, a, b = _explore_path(p)
    w = float(net.W[edge])
    gD, _ = _deep_grads(net, pv, gates, I, t, [edge])
    Ea, Eb = float(probs @ a), float(probs @ b)
    return Point.identity(th.eq155(th.eq153(Ea, Eb, w, t), w, float(probs @ (a - Ea) ** 2),
                                   float(probs @ ((a - Ea) * (b - Eb)))),
                          exact=float(probs @ gD[:, 0]))


@CATALOG.claim(
    "sec11_3.cov_single_layer", label="Sec. 11.3 (after Eq. 155)", kind=Kind.IDENTITY,
    statement="Cov(α, β) is equal to zero for a single-layer linear network (and in general "
              "small).")
def sec11_3_cov(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Single-layer networks (6 inputs → 1 linear output, input dropout, all masks): Cov(α, β)
    = 0 for every weight, to the size of α·β (exact identity, theory 0). "In general small" is
    not a checkable statement: Cov(α, β)/(w Var(α)) for weights inside a deep network is
    reported as a measurement."""
    for k in range(3):
        net, p, gates, probs, I, t = _deep_net(rng, widths=(6, 1))
        covs, size = [], 0.0
        for j in range(net.n_in):
            a, b = th.deep_linear_alpha_beta(net.W, net.n_in, I, gates, (net.n_units - 1, j),
                                             net.n_units - 1)
            covs.append(float(probs @ ((a - probs @ a) * (b - probs @ b))))
            size = max(size, float(np.max(np.abs(a)) * np.max(np.abs(b))))
        yield _vector_case(ctx, {"network": k, "layers": 1, "weights": net.n_in},
                       np.zeros(len(covs)), covs, size)
    ratios = []
    for k in range(4):
        net, p, gates, probs, I, t, edge, a, b = _path_setup(rng, k)
        Ea, Eb = probs @ a, probs @ b
        ratios.append(float(probs @ ((a - Ea) * (b - Eb))) / (float(net.W[edge]) * float(probs @ (a - Ea) ** 2)))
    yield judge.holds({"what": "Cov(α, β)/(w Var α), deep 3-3-3-1 networks"}, True,
                      detail="Cov(α, β)/(w Var α) = " + ", ".join(f"{r:.3g}" for r in ratios),
                      role="measurement")


@CATALOG.explorer("sec11_3.cov_single_layer", p=(0.6, 0.05, 1.0), j=(0, 0, 5))
def _explore_sec11_3(ctx: Context, p: float, j: float) -> Point:
    """Cov(α, β) = 0 for a single-layer linear network (6 inputs → 1 output, weights, input
    and target from seed 113, input dropout with keep probability p), read as E(αβ) =
    E(α)E(β) for the weight from input j (rounded), all 2^6 masks enumerated. A point takes
    about 2 ms."""
    net, _, gates, probs, I, _ = _deep_net(np.random.default_rng(113), widths=(6, 1))
    pv = np.full(net.n_in, p)
    m, probs = _enum.enumerate_masks(net.n_in, pv)
    gates = np.hstack([m.astype(float), np.ones((m.shape[0], 1))])
    a, b = th.deep_linear_alpha_beta(net.W, net.n_in, I, gates, (net.n_units - 1, int(round(j))),
                                     net.n_units - 1)
    return Point.identity(float(probs @ a) * float(probs @ b), exact=float(probs @ (a * b)))
