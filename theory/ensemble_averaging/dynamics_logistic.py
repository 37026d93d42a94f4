"""Sections 11.4–11.5 of Baldi & Sadowski: the dropout gradient and adaptive regularization of a
single sigmoidal unit (Eq. 156–165) and of deep logistic networks (Eq. 166–189)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_array, check_broadcast, check_probability, check_reals
from dropmc.theory.ensemble_averaging._shared import (_probs, _sigma_c, check_logistic,
                                                      check_weights, logistic)
from dropmc.theory.ensemble_averaging.dynamics_linear import (_gates, _linear_unit, _outputs,
                                                              relative_entropy_of_S)
from dropmc.theory.ensemble_averaging.moments import d2sigma, dsigma


# -- Section 11.4: a single sigmoidal unit --------------------------------------------------


def _keep(**probabilities) -> None:
    """Check keep probabilities (each in [0, 1])."""
    for name, p in probabilities.items():
        check_probability(name, p, allow_zero=True)


def eq157_dE_dO(O, t):
    """Eq. 157: ∂E/∂O = −t/O + (1 − t)/(1 − O) for the relative entropy (Eq. 156)."""
    _outputs(O, t)
    return -t / O + (1 - t) / (1 - O)


def eq158(O, t, lam: float = 1.0):
    """Eq. 158: ∂E/∂S = −λ(t − O) (times ∂S/∂w)."""
    _outputs(O, t)
    check_reals(lam=lam)
    return -lam * (t - O)


def eq159_forms(w, I, t, p, c=1.0, lam=1.0, *, as_printed: bool = True):
    r"""Eq. 159: −λ(t − W)p_iI_i = −λ(t − σ(U))p_iI_i = ±λ(t − σ(Σ w_jp_jI_j))p_iI_i, the last
    form with the printed sign + (``as_printed``) or the sign of the others (−)."""
    _linear_unit(w, I, t, p)
    U = float(np.sum(w * p * I))
    Wo = float(logistic(U, c, lam))
    last = lam * (t - Wo) * p * I
    return -lam * (t - Wo) * p * I, -lam * (t - Wo) * p * I, last if as_printed else -last


def eq160_forms(w, I, t, delta, c=1.0, lam=1.0, *, as_printed: bool = True):
    """Eq. 160 for each mask (rows): −λ(t − O)δ_iI_i and ±λ(t − σ(Σ w_jδ_jI_j))δ_iI_i."""
    _linear_unit(w, I, t)
    _gates("delta", delta, np.size(w))
    d = np.atleast_2d(delta).astype(float)
    O = logistic(d @ (w * I), c, lam)
    first = -lam * (t - O)[:, None] * d * I
    return first, (-first if as_printed else first)


def eq161(EO_given_kept, t, p, I, lam=1.0):
    """Eq. 161: E(∂E_D/∂w_i) = −λ(t − E[σ(S) | δ_i = 1])p_iI_i (``EO_given_kept`` per i)."""
    n = check_array("I", I, ndim=1).shape
    check_array("EO_given_kept", EO_given_kept, shape=n)
    _probs("p", p, n)
    check_reals(t=t, lam=lam)
    return -lam * (t - np.asarray(EO_given_kept)) * p * I


def eq162_forms(w, I, t, p, c=1.0, lam=1.0):
    r"""Eq. 162, its two forms: −λ(t − σ(Σ_j w_jp_jI_j − w_ip_iI_i + w_iI_i))p_iI_i and
    −λ(t − σ(U + I_iw_i(1 − p_i)))p_iI_i."""
    _linear_unit(w, I, t, p)
    a = w * I
    U = float(np.sum(p * a))
    first = -lam * (t - logistic(U - p * a + a, c, lam)) * p * I
    second = -lam * (t - logistic(U + I * w * (1 - p), c, lam)) * p * I
    return first, second


def sigma_prime_printed(S, c=1.0, lam=1.0):
    """The text after Eq. 163: σ'(x) = σ(x)(1 − σ(x)) (the derivative only for λ = 1)."""
    s = logistic(S, c, lam)
    return s * (1 - s)


def eq163(w, I, t, p, c=1.0, lam=1.0, dsig=None):
    """Eq. 163: −λ(t − σ(U) − σ'(U)I_iw_i(1 − p_i))p_iI_i, with σ' = ``dsig`` (default: the
    printed σ(1 − σ))."""
    _linear_unit(w, I, t, p)
    dsig = sigma_prime_printed if dsig is None else dsig
    U = float(np.sum(w * p * I))
    return -lam * (t - float(logistic(U, c, lam)) - float(dsig(U, c, lam)) * I * w * (1 - p)) * p * I


def eq164_regulariser(w, I, p, c=1.0, lam=1.0, dsig=None):
    """Eq. 164's regularisation term λσ'(U)w_iI_i²Var(δ_i) (= λσ'(U)w_i Var(δ_iI_i)), σ' = ``dsig``
    (default: the printed σ(1 − σ))."""
    _linear_unit(w, I, p=p)
    dsig = sigma_prime_printed if dsig is None else dsig
    U = float(np.sum(w * p * I))
    return lam * float(dsig(U, c, lam)) * w * I ** 2 * p * (1 - p)


def eq165_regulariser(w, I, p, c=1.0, lam=1.0, *, as_printed: bool = True):
    r"""Eq. 165's regulariser :math:`\tfrac12\lambda\sigma'(U)\sum_i w_i^2I_i^2\mathrm{Var}(\delta_i)`
    for real or complex w (so its gradient can be taken by the complex step); σ' = σ(1 − σ) as
    printed, or the derivative λσ(1 − σ)."""
    _linear_unit(w, I, p=p)
    c, lam = check_logistic(c, lam)
    U = np.sum(w * p * I)
    s = _sigma_c(U, c, lam)
    ds = s * (1 - s) * (1.0 if as_printed else lam)
    return 0.5 * lam * ds * np.sum(w ** 2 * I ** 2 * p * (1 - p))


def sigmoid_ensemble_error(w, I, t, p, c=1.0, lam=1.0):
    """E_ENS of Section 11.4: the relative entropy of W = σ(Σ w_jp_jI_j) (complex w allowed)."""
    _linear_unit(w, I, t, p)
    return relative_entropy_of_S(np.sum(w * p * I), t, c, lam)


# -- Section 11.5: the top layer of a deep logistic network (Eq. 176–182) --------------------
# σ' is the derivative of Eq. 27, λσ(1 − σ) (dsigma); Y_j = δ_jO_j, S_ij = S_i^T − w_ijY_j.


def _top_layer(S, Y, w, t) -> None:
    """Check the sums ``S`` and the signals ``Y`` (one per mask), the weight and the target."""
    check_broadcast("S", check_array("S", S), "Y", check_array("Y", Y))
    check_reals(w=w, t=t)


def eq176_forms(S, Y, w, t, c=1.0, lam=1.0):
    """Eq. 176 per mask: −λ(t − O^T)Y_j, −λ(t − σ(S^T))Y_j, −λ(t − σ(S_ij + w_ijY_j))Y_j."""
    _top_layer(S, Y, w, t)
    O = logistic(S, c, lam)
    Sij = S - w * Y
    return (-lam * (t - O) * Y, -lam * (t - logistic(S, c, lam)) * Y,
            -lam * (t - logistic(Sij + w * Y, c, lam)) * Y)


def eq177(S, Y, w, t, c=1.0, lam=1.0):
    """Eq. 177: −λ(t − σ(S_ij) − σ'(S_ij)w_ijY_j)Y_j (first-order Taylor in w_ijY_j)."""
    _top_layer(S, Y, w, t)
    Sij = S - w * Y
    return -lam * (t - logistic(Sij, c, lam) - dsigma(Sij, c, lam) * w * Y) * Y


def eq178(E_sig, E_dsig, EO2, Wj, pj, w, t, lam=1.0):
    """Eq. 178: −λ(t − E σ(S_ij))p_jW_j + λE(σ'(S_ij))w_ijp_jE(O_jO_j)."""
    check_reals(E_sig=E_sig, E_dsig=E_dsig, EO2=EO2, Wj=Wj, w=w, t=t, lam=lam)
    _keep(pj=pj)
    return -lam * (t - E_sig) * pj * Wj + lam * E_dsig * w * pj * EO2


def eq179(WT, UT, E_dsig, EO2, Wj, pj, w, t, c=1.0, lam=1.0):
    """Eq. 179 (= Eq. 180 with its A): −λ(t − W^T)p_jW_j + w_ijλ(E(σ'(S_ij))p_jE(O_jO_j) −
    σ'(U^T)(p_jW_j)²)."""
    check_reals(WT=WT, UT=UT, E_dsig=E_dsig, EO2=EO2, Wj=Wj, w=w, t=t)
    _keep(pj=pj)
    return (-lam * (t - WT) * pj * Wj
            + w * lam * (E_dsig * pj * EO2 - float(dsigma(UT, c, lam)) * (pj * Wj) ** 2))


def eq181(WT, UT, varY, Wj, pj, w, t, c=1.0, lam=1.0):
    """Eq. 181: −λ(t − W^T)p_jW_j + w_ijλσ'(U^T)Var(δ_jO_j)."""
    check_reals(WT=WT, UT=UT, varY=varY, Wj=Wj, w=w, t=t)
    _keep(pj=pj)
    return -lam * (t - WT) * pj * Wj + w * lam * float(dsigma(UT, c, lam)) * varY


def eq182(WT, UT, Wj, pj, w, t, c=1.0, lam=1.0, *, corrected: bool = False):
    """Eq. 182: (−λ(t − W^T) + λw_ijσ'(U^T)(1 − p_jW_j))p_jW_j, from A ≈ σ'(U)p_jW_j(1 − p_jW_j)
    (E(O_jO_j) ≈ W_j); ``corrected``: with E(O_jO_j) ≈ W_j², i.e. (1 − p_j)W_j in place of
    (1 − p_jW_j) — λσ'(U)w_ij times p_j(1 − p_j)W_j² ≈ Var(δ_jO_j)."""
    check_reals(WT=WT, UT=UT, Wj=Wj, w=w, t=t)
    _keep(pj=pj)
    f = (1 - pj) * Wj if corrected else 1 - pj * Wj
    return (-lam * (t - WT) + lam * w * float(dsigma(UT, c, lam)) * f) * pj * Wj


def eq183_forms(B, X, delta_i, probs, p_i: float) -> dict:
    r"""Eq. 183 for a weight w_ij^{hl} below the top, from per-subnetwork values of the
    backpropagated error :math:`B = \sum_k \partial E_D/\partial S_k\, w_{ki}` and of the local
    term :math:`X = \delta_i\sigma'(S_i)\delta_jO_j` (with their probabilities): the exact
    E(∂E_D/∂w) = E(BX), the printed forms E(Bδ_i)E(X) and E(B)p_iE(X) (δ_i counted in both
    factors), and the corrected E(B)E(X) (δ_i, a factor of ∂E_D/∂S_i = Bδ_iσ'(S_i), once)."""
    m = check_array("B", B, ndim=1).shape
    check_array("X", X, shape=m)
    _probs("delta_i", delta_i, m)
    check_weights("probs", probs, m[0], of="B")
    _keep(p_i=p_i)
    EB, EX = float(probs @ B), float(probs @ X)
    return {"exact": float(probs @ (B * X)), "printed_first": float(probs @ (B * delta_i)) * EX,
            "printed_second": EB * p_i * EX, "corrected": EB * EX}


def eq185(Ui: float, wij: float, pj: float, EOj: float, c=1.0, lam=1.0) -> float:
    """Eq. 185's approximation E(σ'(S_ij)) ≈ σ'(U_i) − σ''(U_i)p_jw_ijE(O_j) (σ', σ'' the
    derivatives of Eq. 27)."""
    check_reals(Ui=Ui, wij=wij, EOj=EOj)
    _keep(pj=pj)
    return float(dsigma(Ui, c, lam) - d2sigma(Ui, c, lam) * pj * wij * EOj)


def eq186_w_terms(Ui, wij, pi, pj, EOj, EOj2, E_d2sig, c=1.0, lam=1.0) -> float:
    """Eq. 186 minus its first term p_ip_jσ'(U_i)E(O_j): p_ip_j[−σ''(U_i)p_jw_ijE(O_j)² +
    E(σ''(S_ij))w_ijE(O_jO_j)]."""
    check_reals(Ui=Ui, wij=wij, EOj=EOj, EOj2=EOj2, E_d2sig=E_d2sig)
    _keep(pi=pi, pj=pj)
    return float(pi * pj * (-d2sigma(Ui, c, lam) * pj * wij * EOj ** 2 + E_d2sig * wij * EOj2))


def eq187_w_term(Ui, wij, pi, varY, c=1.0, lam=1.0) -> float:
    """Eq. 187 minus its first term: p_iσ''(U_i)w_ij Var(δ_jO_j)."""
    check_reals(Ui=Ui, wij=wij, varY=varY)
    _keep(pi=pi)
    return float(pi * d2sigma(Ui, c, lam) * wij * varY)
