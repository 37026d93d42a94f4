"""Section 11.5 of Baldi & Sadowski, deep logistic networks, Eq. 166–182: the backpropagation
recursions of the ensemble and dropout networks (Eq. 166–175) and the dropout gradient of a weight
into the output layer, approximately the ensemble gradient with an adaptive weight decay
(Eq. 176–182). The weights into the hidden layers and the section's conclusion are
:mod:`.dynamics_hidden_layers`."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import SMALL_WEIGHT_SCALE, fixed_two_layer
from dropmc.papers.ensemble_averaging._shared import (
    _SCALES,
    CATALOG,
    _sigmoid_unit,
    _two_layer_logistic,
    _vector_case,
)
from dropmc.simulations import enumeration as _enum
from dropmc.theory import ensemble_averaging as th


def _dS1(W1, w2, I, t, m_in, m_hid, c, lam, h: float = 1e-30):
    """∂f/∂S_k of the hidden sums and ∂f/∂S_out of the output sum for every row of the masks
    (or keep probabilities: the ensemble network's ∂E/∂U), by the complex step on the sums
    themselves (f the relative entropy of Eq. 156 in terms of the output sum)."""
    S1 = np.atleast_2d(m_in * I) @ W1.T
    m_hid = np.atleast_2d(m_hid)

    def loss(S1c):
        return th.relative_entropy_of_S((m_hid * th._sigma_c(S1c, c, lam)) @ w2, t, c, lam)

    d1 = np.column_stack([np.imag(loss(S1 + 1j * h * (np.arange(S1.shape[1]) == k))) / h
                          for k in range(S1.shape[1])])
    S2 = (m_hid * th.logistic(S1, c, lam)) @ w2
    d2 = np.imag(th.relative_entropy_of_S(S2 + 1j * h, t, c, lam)) / h
    return d1, d2


@CATALOG.claim(
    "eq169_175.backprop", label="Eq. 166, Eq. 167, Eq. 168, Eq. 169, Eq. 170, Eq. 171, Eq. 172, "
    "Eq. 173, Eq. 174, Eq. 175", kind=Kind.IDENTITY,
    statement="In the ensemble network W_i^h = σ(U_i^h), ∂E_ENS/∂U_i^T = −λ(t_i − W_i^T), "
              "∂E_ENS/∂U_i^h = Σ_{l>h}Σ_k ∂E_ENS/∂U_k^l w_ki^{lh} p_i^h σ'(U_i^h) and ∂U_i^h/∂w_ij^{hl} "
              "= p_j^lW_j^l; in the dropout network ∂E_D/∂S_i^T = −λ(t_i − O_i^T), ∂E_D/∂S_i^h = "
              "Σ_{l>h}Σ_k ∂E_D/∂S_k^l w_ki^{lh} δ_i^h σ'(S_i^h) and ∂S_i^h/∂w_ij^{hl} = δ_j^lO_j^l "
              "(σ' the derivative of σ, λσ(1 − σ)).")
def eq169_175(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Two-layer logistic networks (3 inputs, 3 hidden units, 1 output, random c, λ; relative
    entropy): the backpropagated errors of th.two_layer_backprop (Eq. 169–170 with the keep
    probabilities as gates, Eq. 173–174 with every dropout mask) against complex-step
    derivatives of the error with respect to the sums U (S) themselves; and the weight
    gradients they give through Eq. 168/171 (172/175) against the complex-step gradient of the
    error with respect to every weight, for the ensemble network and every subnetwork."""
    for k in range(3):
        W1, w2, inputs, targets, p, c, lam = _two_layer_logistic(rng)
        n_in, h = W1.shape[1], W1.shape[0]
        I, t = inputs[0], float(targets[0])
        masks, _ = _enum.enumerate_masks(n_in + h, p)
        sc = lam * (1 + float(np.max(np.abs(w2)))) * lam
        for net, m_in, m_hid in (("ensemble (Eq. 167–171)", p[:n_in], p[n_in:]),
                                 ("dropout, every mask (Eq. 166, 172–175)", masks[:, :n_in],
                                  masks[:, n_in:])):
            prm = {"network": k, "c": c, "lam": lam, "which": net}
            b = th.two_layer_backprop(W1, w2, I, t, m_in, m_hid, c, lam)
            d1, d2 = _dS1(W1, w2, I, t, m_in, m_hid, c, lam)
            yield _vector_case(ctx, {**prm, "link": "Eq. 170/174 top error"}, b["d_out"], d2, lam)
            yield _vector_case(ctx, {**prm, "link": "Eq. 169/173 recursion"}, b["d_hid"], d1, sc)
            theta = np.concatenate([W1.ravel(), w2])
            mi, mh = np.atleast_2d(m_in), np.atleast_2d(m_hid)

            def f(x):
                fw = th.two_layer_forward(x[: W1.size].reshape(W1.shape), x[W1.size:], I, mi, mh, c, lam)
                return th.relative_entropy_of_S(fw["S2"], t, c, lam)

            g = th.complex_step_grad(f, theta)  # (rows, weights)
            g = np.atleast_2d(g)
            # Eq. 168/172 with Eq. 171/175: error × presynaptic term (p_jW_j or δ_jO_j)
            gW1 = b["d_hid"][:, :, None] * (mi * I)[:, None, :]
            gw2 = b["d_out"][:, None] * mh * b["O1"]
            theory = np.hstack([gW1.reshape(gW1.shape[0], -1), gw2])
            yield _vector_case(ctx, {**prm, "link": "Eq. 168/172 with 171/175 (every weight)"},
                               theory, g, sc * (1 + float(np.max(np.abs(I)))))


@CATALOG.explorer("eq169_175.backprop", p=(0.6, 0.05, 1.0), c=(1.0, 0.2, 5.0),
                  lam=(1.5, 0.2, 3.0), network=("ensemble", "dropout, every unit kept"))
def _explore_eq169(ctx: Context, p: float, c: float, lam: float, network: str) -> Point:
    """The backpropagated error of hidden unit 0 (Eq. 169 for the ensemble network, with the
    keep probabilities as gates; Eq. 173 for the dropout network, here the mask keeping every
    unit) of the fixed network of :func:`~._explore.fixed_two_layer`, against the complex-step
    derivative of the error with respect to that unit's sum. A point takes about 3 ms."""
    W1, w2, I, t, pv, _, _ = fixed_two_layer(p, 1.0)
    n_in = W1.shape[1]
    if network == "ensemble":
        m_in, m_hid = pv[:n_in], pv[n_in:]
    else:
        m_in, m_hid = np.ones(n_in), np.ones(W1.shape[0])
    b = th.two_layer_backprop(W1, w2, I, t, m_in, m_hid, c, lam)
    d1, _ = _dS1(W1, w2, I, t, m_in, m_hid, c, lam)
    return Point.identity(float(b["d_hid"][0, 0]), exact=float(d1[0, 0]))


def _top(W1, w2, I, t, p, c, lam, masks, probs, j: int, h: float = 1e-30) -> dict:
    """The top weight w2_j of a two-layer logistic network: E(∂E_D/∂w) (complex step of the
    enumerated E(E_D)), ∂E_ENS/∂w (complex step of the ensemble network's error, Eq. 167), and
    the enumerated quantities Eq. 178–181 and the line before Eq. 179 use (S_ij = S^T − w δ_jO_j,
    Y_j = δ_jO_j)."""
    n_in = W1.shape[1]

    def at(v):
        x = w2.astype(complex)
        x[j] = v
        return x

    w = float(w2[j])
    EG = float(np.imag(th.e_tens(W1, at(w + 1j * h), [I], [t], masks, probs, n_in, c, lam))) / h
    ens_err = lambda v: th.relative_entropy_of_S(
        th.two_layer_forward(W1, at(v), I, p[:n_in], p[n_in:], c, lam)["S2"], t, c, lam)[0]
    GE = float(np.imag(ens_err(w + 1j * h))) / h
    fw = th.two_layer_forward(W1, w2, I, masks[:, :n_in], masks[:, n_in:], c, lam)
    ens = th.two_layer_forward(W1, w2, I, p[:n_in], p[n_in:], c, lam)
    Y = masks[:, n_in + j] * fw["O1"][:, j]
    Sij = fw["S2"] - w * Y
    UT = float(ens["S2"][0])
    return {"EG": EG, "GE": GE, "w": w, "UT": UT, "WT": float(th.logistic(UT, c, lam)),
            "Wj": float(ens["O1"][0, j]), "pj": float(p[n_in + j]), "S": fw["S2"], "Y": Y,
            "E_Sij": float(probs @ Sij), "E_sig": float(probs @ th.logistic(Sij, c, lam)),
            "E_dsig": float(probs @ th.dsigma(Sij, c, lam)),
            "EO2": float(probs @ fw["O1"][:, j] ** 2),
            "varY": float(probs @ Y ** 2 - (probs @ Y) ** 2)}


def _top_mask_grads(W1, w2, I, t, masks, c, lam, j: int) -> np.ndarray:
    """∂E_D/∂w2_j of a two-layer logistic network for every mask (rows of ``masks``: inputs,
    then hidden units), by the complex step of the relative entropy of its output."""
    n_in = W1.shape[1]

    def f(x):
        ww = w2.astype(complex)
        ww[j] = x[0]
        return th.relative_entropy_of_S(
            th.two_layer_forward(W1, ww, I, masks[:, :n_in], masks[:, n_in:], c, lam)["S2"],
            t, c, lam)

    return th.complex_step_grad(f, np.array([float(w2[j])]))[:, 0]


@CATALOG.claim(
    "eq176_177.top_gradient", label="Eq. 176, Eq. 177", kind=Kind.APPROXIMATION,
    statement="For a top-layer weight, ∂E_D/∂w_ij^{Tl} = −λ(t_i − O_i^T)δ_j^lO_j^l = "
              "−λ(t_i − σ(S_i^T))δ_j^lO_j^l = −λ(t_i − σ(S_ij^{Tl} + w_ij^{Tl}δ_j^lO_j^l))δ_j^lO_j^l ≈ "
              "−λ(t_i − σ(S_ij^{Tl}) − σ'(S_ij^{Tl})w_ij^{Tl}δ_j^lO_j^l)δ_j^lO_j^l (first-order "
              "Taylor; σ' the derivative of σ).")
def eq176_177(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Two-layer logistic networks, top weights w2_j: the three forms of Eq. 176 against the
    complex-step ∂E_D/∂w for every mask (exact); Eq. 177 by the order of the Taylor error as
    the weight shrinks, w = s·w₀ with s = 0.5·2^{−k}, k = 0…9 (the other weights fixed): error
    O(s²) (judge.order, absolute, order 2), for the all-kept mask."""
    for k in range(2):
        W1, w2, inputs, targets, p, c, lam = _two_layer_logistic(rng)
        I, t = inputs[0], float(targets[0])
        n_in = W1.shape[1]
        masks, probs = _enum.enumerate_masks(n_in + W1.shape[0], p)
        for j in range(2):
            q = _top(W1, w2, I, t, p, c, lam, masks, probs, j)
            g = _top_mask_grads(W1, w2, I, t, masks, c, lam, j)
            prm = {"network": k, "c": c, "lam": lam, "j": j}
            for name, form in zip(("−λ(t − O^T)δ_jO_j", "−λ(t − σ(S^T))δ_jO_j",
                                   "−λ(t − σ(S_ij + wδ_jO_j))δ_jO_j"),
                                  th.eq176_forms(q["S"], q["Y"], q["w"], t, c, lam)):
                yield _vector_case(ctx, {**prm, "link": f"Eq. 176 {name} (every mask)"}, form, g,
                                   lam * (1 + float(np.max(np.abs(q["Y"])))))
            full = np.ones((1, masks.shape[1]))
            ex, ap = [], []
            for s in _SCALES:
                ww = w2.copy()
                ww[j] = s * w2[j]
                fw = th.two_layer_forward(W1, ww, I, full[:, :n_in], full[:, n_in:], c, lam)
                Y = fw["O1"][:, j]
                ex.append(float(th.eq176_forms(fw["S2"], Y, ww[j], t, c, lam)[2][0]))
                ap.append(float(th.eq177(fw["S2"], Y, ww[j], t, c, lam)[0]))
            yield judge.order({**prm, "link": "Eq. 177 Taylor step (all-kept mask)"}, ap, ex,
                              s=_SCALES, claimed=2, name="Eq. 177")


@CATALOG.explorer("eq176_177.top_gradient", s=SMALL_WEIGHT_SCALE, p=(0.6, 0.05, 1.0),
                  lam=(1.5, 0.2, 3.0))
def _explore_eq176(ctx: Context, s: float, p: float, lam: float) -> Point:
    """Eq. 177's first-order Taylor form of ∂E_D/∂w for the top weight w2_0 of the fixed
    network of :func:`~._explore.fixed_two_layer` (that weight scaled by s, the mask keeping every
    unit) against Eq. 176's exact form: the error is of second order in s (slope 2 on a log scale of
    s). A point takes about 2 ms."""
    W1, w2, I, t, _, _, _ = fixed_two_layer(p, 1.0)
    w2 = w2.copy()
    w2[0] *= s
    n_in = W1.shape[1]
    full = np.ones((1, n_in + W1.shape[0]))
    fw = th.two_layer_forward(W1, w2, I, full[:, :n_in], full[:, n_in:], 1.0, lam)
    Y = fw["O1"][:, 0]
    return Point.approximation(float(th.eq177(fw["S2"], Y, w2[0], t, 1.0, lam)[0]),
                               exact=float(th.eq176_forms(fw["S2"], Y, w2[0], t, 1.0, lam)[2][0]),
                               order=2, order_in="s")


def _eq176_sij(ctx: Context, rng: np.random.Generator, corrected: bool) -> Iterator[CaseResult]:
    """Two-layer logistic networks (T = 2, l = 1: output unit i = 0, hidden units j = 0, 1, 2;
    random c, λ), every mask: the last form of Eq. 176, −λ(t_i − σ(S_ij + w_ijδ_jO_j))δ_jO_j
    with S_ij = S − w_ijδ_jO_j built from S = S_i^T, the output sum, or as printed from S =
    S_i^l, the sum of unit i = 0 of the hidden layer l, against the complex-step ∂E_D/∂w_ij of
    every mask (exact)."""
    for k in range(2):
        W1, w2, inputs, targets, p, c, lam = _two_layer_logistic(rng)
        I, t = inputs[0], float(targets[0])
        n_in = W1.shape[1]
        masks, _ = _enum.enumerate_masks(n_in + W1.shape[0], p)
        fw = th.two_layer_forward(W1, w2, I, masks[:, :n_in], masks[:, n_in:], c, lam)
        S = fw["S2"] if corrected else fw["S1"][:, 0]
        for j in range(W1.shape[0]):
            Y = masks[:, n_in + j] * fw["O1"][:, j]
            g = _top_mask_grads(W1, w2, I, t, masks, c, lam, j)
            yield _vector_case(ctx, {"network": k, "c": c, "lam": lam, "j": j,
                                     "S_ij": "S_i^T − w_ijδ_jO_j" if corrected
                                     else "S_i^l − w_ijδ_jO_j (printed)"},
                               th.eq176_forms(S, Y, float(w2[j]), t, c, lam)[2], g,
                               lam * (1 + float(np.max(np.abs(Y)))))


@CATALOG.claim(
    "eq176.s_ij_as_printed", label="Eq. 176", kind=Kind.IDENTITY,
    statement="With S_ij^{Tl} = S_i^l − w_ij^{Tl}δ_j^lO_j^l (the notation of Section 9.5, printed "
              "after Eq. 176), ∂E_D/∂w_ij^{Tl} = −λ(t_i − σ(S_ij^{Tl} + w_ij^{Tl}δ_j^lO_j^l))"
              "δ_j^lO_j^l.",
    note="S_i^l, the sum of unit i of layer l, is printed where the output sum S_i^T is meant: "
         "with it the last form of Eq. 176 is −λ(t_i − σ(S_i^l))δ_j^lO_j^l, not the gradient. "
         "See eq176.s_ij_corrected.")
def eq176_sij(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """:func:`_eq176_sij` with the printed S_ij = S_i^l − w_ijδ_jO_j."""
    return _eq176_sij(ctx, rng, corrected=False)


@CATALOG.claim(
    "eq176.s_ij_corrected", label="Eq. 176", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq176.s_ij_as_printed", fix="misprint", same_cases=True,
    statement="With S_ij^{Tl} = S_i^T − w_ij^{Tl}δ_j^lO_j^l (the output sum without the "
              "contribution of unit j), ∂E_D/∂w_ij^{Tl} = −λ(t_i − σ(S_ij^{Tl} + "
              "w_ij^{Tl}δ_j^lO_j^l))δ_j^lO_j^l.")
def eq176_sij_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: S_ij^{Tl} + w_ijδ_jO_j = S_i^T, so the last form of Eq. 176 is its second,
    −λ(t_i − σ(S_i^T))δ_jO_j = ∂E_D/∂w_ij by Eq. 174–175. Checked as :func:`_eq176_sij` with
    S_ij built from S_i^T, on the same networks as eq176.s_ij_as_printed."""
    return _eq176_sij(ctx, rng, corrected=True)


@CATALOG.explorer("eq176.s_ij_as_printed", p=(0.6, 0.05, 1.0), lam=(1.5, 0.2, 3.0), j=(0, 0, 2))
@CATALOG.explorer("eq176.s_ij_corrected", p=(0.6, 0.05, 1.0), lam=(1.5, 0.2, 3.0), j=(0, 0, 2))
def _explore_eq176_sij(ctx: Context, p: float, lam: float, j: float) -> Point:
    """The last form of Eq. 176 for the top weight w2_j (j rounded) of the fixed network of
    :func:`~._explore.fixed_two_layer` at the mask keeping every unit, with S_ij built from the
    printed S_i^l (the sum of hidden unit 0) and from the corrected S_i^T (the output sum), against
    the complex-step ∂E_D/∂w2_j. A point takes about 2 ms."""
    W1, w2, I, t, _, _, _ = fixed_two_layer(p, 1.0)
    j = int(round(j))
    n_in = W1.shape[1]
    full = np.ones((1, n_in + W1.shape[0]))
    fw = th.two_layer_forward(W1, w2, I, full[:, :n_in], full[:, n_in:], 1.0, lam)
    Y = fw["O1"][:, j]
    g = _top_mask_grads(W1, w2, I, t, full, 1.0, lam, j)
    printed = th.eq176_forms(fw["S1"][:, 0], Y, float(w2[j]), t, 1.0, lam)[2][0]
    corrected = th.eq176_forms(fw["S2"], Y, float(w2[j]), t, 1.0, lam)[2][0]
    return Point.identity(float(printed), exact=float(g[0]), correction=float(corrected))


def _top_regulariser(rng: np.random.Generator, forms: dict) -> Iterator[CaseResult]:
    """For two-layer logistic networks with every weight scaled by s (s = 0.5·2^{−k},
    k = 0…9: small weights, the regime of the NWGM and Taylor steps and of the beginning of
    learning), the difference D = E(∂E_D/∂w) − ∂E_ENS/∂w for top weights w2_j (E(∂E_D/∂w)
    enumerated, ∂E_ENS/∂w of the ensemble network of Eq. 167, both by the complex step)
    vanishes like s; each approximation of ``forms`` (name → function of :func:`_top`'s
    dict and t, c, λ) minus ∂E_ENS/∂w must capture its leading term: relative error → 0
    (judge.order, relative, order 1)."""
    for k in range(2):
        W10, w20, inputs, targets, p, c, lam = _two_layer_logistic(rng)
        I, t = inputs[0], float(targets[0])
        masks, probs = _enum.enumerate_masks(W10.shape[0] + W10.shape[1], p)
        for j in range(2):
            D, A = [], {name: [] for name in forms}
            for s in _SCALES:
                q = _top(s * W10, s * w20, I, t, p, c, lam, masks, probs, j)
                D.append(q["EG"] - q["GE"])
                for name, fn in forms.items():
                    A[name].append(fn(q, t, c, lam) - q["GE"])
            for name in forms:
                yield judge.order({"network": k, "c": c, "lam": lam, "j": j, "link": name},
                                  A[name], D, s=_SCALES, claimed=1, kind="relative", name=name)


@CATALOG.claim(
    "eq178_181.top_regulariser", label="Eq. 178, Eq. 179, Eq. 180, Eq. 181", kind=Kind.APPROXIMATION,
    statement="For a top-layer weight, E(∂E_D/∂w_ij^{Tl}) ≈ −λ(t_i − E σ(S_ij^{Tl}))p_jW_j + "
              "λE(σ'(S_ij^{Tl}))w_ijp_jE(O_jO_j) ≈ ∂E_ENS/∂w_ij + w_ijλ(E(σ'(S_ij))p_jE(O_jO_j) − "
              "σ'(U_i^T)(p_jW_j)²) ≈ ∂E_ENS/∂w_ij + w_ijλσ'(U_i^T)Var(δ_jO_j) (σ' the derivative "
              "of σ).")
def eq178_181(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """:func:`_top_regulariser` for Eq. 178, Eq. 179 (= Eq. 180 with its A) and Eq. 181,
    each with the exact enumerated E σ(S_ij), E σ'(S_ij), E(O_j²) and Var(δ_jO_j)."""
    return _top_regulariser(rng, {
        "Eq. 178": lambda q, t, c, lam: th.eq178(q["E_sig"], q["E_dsig"], q["EO2"], q["Wj"], q["pj"],
                                                 q["w"], t, lam),
        "Eq. 179/180": lambda q, t, c, lam: th.eq179(q["WT"], q["UT"], q["E_dsig"], q["EO2"], q["Wj"],
                                                     q["pj"], q["w"], t, c, lam),
        "Eq. 181": lambda q, t, c, lam: th.eq181(q["WT"], q["UT"], q["varY"], q["Wj"], q["pj"],
                                                 q["w"], t, c, lam)})


def _top_point(s: float, p: float, lam: float) -> tuple[dict, float]:
    """:func:`_top` for the top weight w2_0 of the fixed network of
    :func:`~._explore.fixed_two_layer` (every weight scaled by s) and its target t."""
    W1, w2, I, t, pv, masks, probs = fixed_two_layer(p, s)
    return _top(W1, w2, I, t, pv, 1.0, lam, masks, probs, 0), t


@CATALOG.explorer("eq178_181.top_regulariser", s=SMALL_WEIGHT_SCALE, p=(0.6, 0.05, 1.0),
                  lam=(1.5, 0.2, 3.0), form=("Eq. 181", "Eq. 179/180", "Eq. 178"))
def _explore_eq178(ctx: Context, s: float, p: float, lam: float, form: str) -> Point:
    """E(∂E_D/∂w) − ∂E_ENS/∂w for the top weight w2_0 of the fixed network of
    :func:`~._explore.fixed_two_layer` (every weight scaled by s; both by the complex step,
    E(∂E_D/∂w) of the enumerated E(E_D)) against the regulariser of Eq. 178, 179/180 or 181 minus
    ∂E_ENS/∂w: the difference is of first order in s and each form's error of second (slope 2 on a
    log scale of s). A point takes about 3 ms."""
    q, t = _top_point(s, p, lam)
    f = {"Eq. 178": lambda: th.eq178(q["E_sig"], q["E_dsig"], q["EO2"], q["Wj"], q["pj"], q["w"],
                                     t, lam),
         "Eq. 179/180": lambda: th.eq179(q["WT"], q["UT"], q["E_dsig"], q["EO2"], q["Wj"], q["pj"],
                                         q["w"], t, 1.0, lam),
         "Eq. 181": lambda: th.eq181(q["WT"], q["UT"], q["varY"], q["Wj"], q["pj"], q["w"], t, 1.0,
                                     lam)}[form]
    return Point.approximation(float(f()) - q["GE"], exact=q["EG"] - q["GE"], order=2,
                               order_in="s")


def _eq179_line(ctx: Context, rng: np.random.Generator, corrected: bool) -> Iterator[CaseResult]:
    """The line before Eq. 179, link by link, with E(S_ij) = U_i^T as printed or U_i^T −
    w_ijp_jW_j. (a) Single logistic units (Sec. 11.4: the top layer T = 1 reads the inputs,
    l = 0, O_j = W_j = I_j; random c, λ), every mask enumerated, j the input with the largest
    |w_jp_jI_j|: there E(S_ij) = U − w_jp_jI_j exactly, so the '=' is decided exactly, σ(E(S_ij))
    against σ(U_i^T) or σ(U_i^T − w_ijp_jW_j). (b) Two-layer logistic networks (T = 2, l = 1),
    top weights w2_j (j = 0, 1), every weight scaled by s = 0.5·2^{−k}, k = 0…9 (the small
    weights of the NWGM and Taylor steps), all masks enumerated: each link of this first-order
    chain must be exact to first order, error O(s²) (judge.order, absolute, order 2; a
    dropped first-order term leaves an O(s) error): E σ(S_ij) ≈ σ(E(S_ij)) (the NWGM step);
    σ(E(S_ij)) = σ(U_i^T), or σ(U_i^T − w_ijp_jW_j) (their arguments differ by Σ_{k≠j}
    w_kp_k(E(O_k) − W_k) = O(s³), the dropout approximation E(O_k) ≈ W_k); and W_i^T ≈ W_i^T −
    σ'(U_i^T)w_ijp_jW_j as printed (the two sides differ by that first-order term), or
    σ(U_i^T − w_ijp_jW_j) ≈ W_i^T − σ'(U_i^T)w_ijp_jW_j (first-order Taylor)."""
    mid = "σ(U^T − wp_jW_j)" if corrected else "σ(U^T) = W^T"
    for k in range(2):
        w, I, t, p, c, lam = _sigmoid_unit(rng)
        masks, probs = _enum.enumerate_masks(w.size, p)
        j = int(np.argmax(np.abs(w * p * I)))
        U, shift = float(w @ (p * I)), float(w[j] * p[j] * I[j])
        E_Sij = float(probs @ (masks @ (w * I) - w[j] * masks[:, j] * I[j]))
        yield judge.identity({"unit": k, "c": c, "lam": lam, "j": j, "T": 1, "l": 0,
                              "link": f"σ(E(S_ij)) = {mid}"},
                             float(th.logistic(U - shift if corrected else U, c, lam)),
                             Estimate.exact(float(th.logistic(E_Sij, c, lam)), "enumeration",
                                            probs.size))
    for k in range(2):
        W10, w20, inputs, targets, p, c, lam = _two_layer_logistic(rng)
        I, t = inputs[0], float(targets[0])
        masks, probs = _enum.enumerate_masks(W10.shape[0] + W10.shape[1], p)
        for j in range(2):
            cols = {key: [] for key in ("E_sig", "sig_E", "mid", "end")}
            for s in _SCALES:
                q = _top(s * W10, s * w20, I, t, p, c, lam, masks, probs, j)
                shift = q["w"] * q["pj"] * q["Wj"]
                cols["E_sig"].append(q["E_sig"])
                cols["sig_E"].append(float(th.logistic(q["E_Sij"], c, lam)))
                cols["mid"].append(float(th.logistic(q["UT"] - shift if corrected else q["UT"],
                                                     c, lam)))
                cols["end"].append(q["WT"] - float(th.dsigma(q["UT"], c, lam)) * shift)
            prm = {"network": k, "c": c, "lam": lam, "j": j, "T": 2, "l": 1}
            for link, approx, exact in (("E σ(S_ij) ≈ σ(E(S_ij))", "sig_E", "E_sig"),
                                        (f"σ(E(S_ij)) = {mid}", "mid", "sig_E"),
                                        (f"{mid} ≈ W^T − σ'(U^T)wp_jW_j", "end", "mid")):
                yield judge.order({**prm, "link": link}, cols[approx], cols[exact], s=_SCALES,
                                  claimed=2, name=link)


@CATALOG.claim(
    "eq179.nwgm_step_as_printed", label="Sec. 11.5 (before Eq. 179)", kind=Kind.APPROXIMATION,
    statement="Using the NWGM approximation, E(σ(S_ij^{Tl})) ≈ σ(E(S_ij^{Tl})) = σ(U_i^T) = W_i^T "
              "≈ W_i^T − σ'(U_i^T)w_ij^{Tl}p_j^lW_j^l (the step to Eq. 179).",
    note="The chain contradicts itself: E(S_ij^{Tl}) lacks unit j's contribution, so its "
         "argument is U_i^T − w_ij^{Tl}p_j^lW_j^l, not U_i^T, and W_i^T ≈ W_i^T − "
         "σ'(U_i^T)w_ij^{Tl}p_j^lW_j^l drops the very first-order term the chain ends with. "
         "The end point (used in Eq. 179) is right. See eq179.nwgm_step_corrected.")
def eq179_step(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """:func:`_eq179_line` as printed: the '= σ(U_i^T)' and 'W_i^T ≈ W_i^T − …' links are off
    by the first-order term σ'(U_i^T)w_ijp_jW_j."""
    return _eq179_line(ctx, rng, corrected=False)


@CATALOG.claim(
    "eq179.nwgm_step_corrected", label="Sec. 11.5 (before Eq. 179)", kind=Kind.APPROXIMATION,
    as_printed=False, corrects="eq179.nwgm_step_as_printed", fix="misprint", same_cases=True,
    statement="E(σ(S_ij^{Tl})) ≈ σ(E(S_ij^{Tl})) = σ(U_i^T − w_ij^{Tl}p_j^lW_j^l) ≈ W_i^T − "
              "σ'(U_i^T)w_ij^{Tl}p_j^lW_j^l; the '=' is exact when E(O_k^l) = W_k^l (l the input "
              "layer), otherwise up to the dropout approximation E(O_k^l) ≈ W_k^l.")
def eq179_step_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: S_ij^{Tl} = Σ_{k≠j} w_ikδ_kO_k, so E(S_ij) = Σ_{k≠j} w_ikp_kE(O_k) = U_i^T −
    w_ijp_jW_j when E(O_k) = W_k; then σ(U − x) = σ(U) − σ'(U)x + O(x²). Checked as
    :func:`_eq179_line` with the argument U_i^T − w_ijp_jW_j, on the same units and networks
    as eq179.nwgm_step_as_printed."""
    return _eq179_line(ctx, rng, corrected=True)


@CATALOG.explorer("eq179.nwgm_step_as_printed", s=SMALL_WEIGHT_SCALE, p=(0.6, 0.05, 1.0),
                  lam=(1.5, 0.2, 3.0))
@CATALOG.explorer("eq179.nwgm_step_corrected", s=SMALL_WEIGHT_SCALE, p=(0.6, 0.05, 1.0),
                  lam=(1.5, 0.2, 3.0))
def _explore_eq179(ctx: Context, s: float, p: float, lam: float) -> Point:
    """E σ(S_ij) for the top weight w2_0 of the fixed network of :func:`~._explore.fixed_two_layer`
    (every weight scaled by s), enumerated, against the printed σ(E(S_ij)) = σ(U_i^T) = W_i^T and
    the corrected σ(U_i^T − w_ijp_jW_j): the printed step drops a first-order term (error of
    first order in s), the correction's error is of second (slope 2 on a log scale of s). A
    point takes about 3 ms."""
    q, _ = _top_point(s, p, lam)
    shift = q["w"] * q["pj"] * q["Wj"]
    return Point.approximation(q["WT"], exact=q["E_sig"],
                               correction=float(th.logistic(q["UT"] - shift, 1.0, lam)), order=2,
                               order_in="s")


@CATALOG.claim(
    "eq182.pre_post_product", label="Sec. 11.5 (after Eq. 181), Eq. 182", kind=Kind.APPROXIMATION,
    statement="With E(O_j^lO_j^l) ≈ W_j^l, A ≈ σ'(U_i^T)p_jW_j(1 − p_jW_j) and E(∂E_D/∂w_ij^{Tl}) ≈ "
              "(−λ(t_i − W_i^T) + λw_ijσ'(U_i^T)(1 − p_jW_j))p_jW_j.",
    note="as printed; E(O_jO_j) ≈ W_j holds only for near-binary O_j (it is not in Section 9.5): "
         "for small weights E(O_jO_j) ≈ W_j², and the printed regulariser stays off by the factor "
         "(1 − p_jW_j)/((1 − p_j)W_j), a relative error of order 1 (1.2–6 at the smallest weights "
         "tried) that does not vanish as the weights shrink. With E(O_jO_j) ≈ W_j² it is right: "
         "see eq182.corrected")
def eq182_printed(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """:func:`_top_regulariser` for Eq. 182 (its regulariser is w·λA with the A printed
    after Eq. 181). For small weights O_j ≈ W_j is not near 0 or 1, E(O_j²) ≈ W_j² ≠ W_j, and
    the regulariser is off by the factor (1 − p_jW_j)/((1 − p_j)W_j): the relative error stays
    of order 1."""
    return _top_regulariser(rng, {
        "Eq. 182": lambda q, t, c, lam: th.eq182(q["WT"], q["UT"], q["Wj"], q["pj"], q["w"], t, c, lam)})


@CATALOG.claim(
    "eq182.corrected", label="Sec. 11.5 (after Eq. 181), Eq. 182", kind=Kind.APPROXIMATION,
    as_printed=False, corrects="eq182.pre_post_product", fix="rewrite",
    statement="With E(O_jO_j) ≈ W_j², A ≈ λσ'(U_i^T)p_j(1 − p_j)W_j² and E(∂E_D/∂w_ij^{Tl}) ≈ "
              "(−λ(t_i − W_i^T) + λw_ijσ'(U_i^T)(1 − p_j)W_j)p_jW_j.")
def eq182_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: Var(δ_jO_j) = p_jE(O_j²) − p_j²E(O_j)² ≈ p_j(1 − p_j)W_j² when the spread of
    O_j is small (E(O_j²) ≈ E(O_j)² ≈ W_j²), put into Eq. 181. Checked as
    :func:`eq182_printed` with this form."""
    return _top_regulariser(rng, {
        "Eq. 182 corrected": lambda q, t, c, lam: th.eq182(q["WT"], q["UT"], q["Wj"], q["pj"], q["w"],
                                                           t, c, lam, corrected=True)})


@CATALOG.explorer("eq182.pre_post_product", s=SMALL_WEIGHT_SCALE, p=(0.6, 0.05, 1.0),
                  lam=(1.5, 0.2, 3.0))
@CATALOG.explorer("eq182.corrected", s=SMALL_WEIGHT_SCALE, p=(0.6, 0.05, 1.0), lam=(1.5, 0.2, 3.0))
def _explore_eq182(ctx: Context, s: float, p: float, lam: float) -> Point:
    """E(∂E_D/∂w) − ∂E_ENS/∂w for the top weight w2_0 of the fixed network of
    :func:`~._explore.fixed_two_layer` (every weight scaled by s) against Eq. 182's regulariser
    minus ∂E_ENS/∂w, with the printed E(O_jO_j) ≈ W_j and with the corrected ≈ W_j²: the printed
    form stays off by a factor of order 1 as s → 0, the correction's error is of second order (slope
    2 on a log scale of s). A point takes about 3 ms."""
    q, t = _top_point(s, p, lam)
    args = (q["WT"], q["UT"], q["Wj"], q["pj"], q["w"], t, 1.0, lam)
    return Point.approximation(float(th.eq182(*args)) - q["GE"], exact=q["EG"] - q["GE"],
                               correction=float(th.eq182(*args, corrected=True)) - q["GE"],
                               order=2, order_in="s")
