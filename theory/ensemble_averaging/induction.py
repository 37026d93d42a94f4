"""Sections 9.1–9.4 of Baldi & Sadowski: the deterministic variables of the ensemble network
(Eq. 98) and the sampling distributions of E and NWGM (Eq. 103–108)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

from dropmc._validation import (check_array, check_broadcast, check_choice, check_open_unit,
                                check_real, check_reals)
from dropmc.theory.ensemble_averaging._shared import _probs, check_logistic, logistic
from dropmc.theory.ensemble_averaging.moments import dsigma, logistic_inverse


def eq98_ensemble_network(Ws, I, ps, c: float = 1.0, lam: float = 1.0) -> list:
    r"""Eq. 98: the deterministic variables of the ensemble network,
    :math:`W_i^l = \sigma(\sum_j w_{ij}^{l} p_j W_j)` layer by layer (``ps[k]``: keep
    probabilities of the units feeding ``Ws[k]``; the inputs' W are I). Returns [W^1, …]."""
    check_array("I", I, ndim=1)
    a = np.asarray(I, float)
    out = []
    for k, (W, p) in enumerate(zip(Ws, ps)):
        _probs(f"ps[{k}]", p, a.shape)
        a = np.atleast_1d(logistic(np.asarray(W, float) @ (np.asarray(p, float) * a), c, lam))
        out.append(a)
    return out


# ------------------------------------------------------------------------------------------
# Section 9: sampling distributions of E and NWGM (Eq. 103–108)
# ------------------------------------------------------------------------------------------


def sample_e_nwgm(O) -> dict:
    r"""Mean :math:`E_S`, variance :math:`V_S` (1/m) and NWGM of each row of ``O`` (samples of
    m values with equal weights 1/m, Section 9.2), the NWGM in the log domain."""
    O = np.atleast_2d(check_open_unit("O", O))
    E = O.mean(1)
    V = ((O - E[:, None]) ** 2).mean(1)
    N = special.expit(np.log(O).mean(1) - np.log1p(-O).mean(1))
    return {"E": E, "V": V, "NWGM": N}


def eq105_as_printed(var_e, var_n, cov) -> float:
    """Eq. 105 as printed: Var(E_S − NWGM_S) = Var E_S + Var NWGM_S + 2 Cov."""
    return float(var_e + var_n + 2 * cov)


def eq105_corrected(var_e, var_n, cov) -> float:
    """Var(E_S − NWGM_S) = Var E_S + Var NWGM_S − 2 Cov(E_S, NWGM_S)."""
    return float(var_e + var_n - 2 * cov)


def _sample_moments(E_S, V_S) -> tuple[np.ndarray, np.ndarray]:
    """Sample means ``E_S`` and sample variances ``V_S`` of values in [0, 1] (so V_S ≤ 1/4 and
    1 − 2V_S ≥ 1/2), of shapes that broadcast; returned as float arrays of their shapes."""
    V = check_array("V_S", V_S)
    if np.any((V < 0) | (V > 0.25)):
        raise ValueError(f"V_S must lie in [0, 1/4] (variances of values in [0, 1]), got "
                         f"{V[(V < 0) | (V > 0.25)][0]!r}")
    check_broadcast("E_S", check_array("E_S", E_S), "V_S", V)
    return np.asarray(E_S, float), np.asarray(V_S, float)


def eq106_integrand(E_S, V_S):
    r"""The right side of Eq. 106 (with :math:`E_S` for the printed E):
    :math:`(E_S - \tfrac12)^2/(1 - 2V_S)`."""
    E_S, V_S = _sample_moments(E_S, V_S)
    return (E_S - 0.5) ** 2 / (1 - 2 * V_S)


def eq107_integrand(E_S, V_S, E: float, V: float, *, as_printed: bool = True):
    r"""The right side of Eq. 107, :math:`[(E - E_S)^2 + (V - V_S)(E_S - E)]/((1-2V_S)(1-2V))`;
    corrected: the numerator gains :math:`2(EV_S - VE_S)(E_S - E)` (the exact expansion of
    :math:`[(E_S - V_S)/(1 - 2V_S) - (E - V)/(1 - 2V)](E_S - E)`)."""
    E_S, V_S = _sample_moments(E_S, V_S)
    check_reals(E=E)
    V = check_real("V", V, lo=0.0, hi=0.25)
    num = (E - E_S) ** 2 + (V - V_S) * (E_S - E)
    if not as_printed:
        num = num + 2 * (E * V_S - V * E_S) * (E_S - E)
    return num / ((1 - 2 * V_S) * (1 - 2 * V))


def nwgm_taylor_half(E_S, V_S):
    """The second-order NWGM around ½ used in Section 9.4: (E_S − V_S)/(1 − 2V_S)."""
    E_S, V_S = _sample_moments(E_S, V_S)
    return (E_S - V_S) / (1 - 2 * V_S)


def logit_law_moments(kind: str, a: float, b: float, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""Moments of O and S = σ^{-1}(O) (c = λ = 1 by default) for O uniform on [a, b]
    (``kind="u"``) or normal N(a, b²) restricted to (0, 1) (``kind="n"``), by quadrature, and
    the large-m limits of Section 9.3–9.4 (delta method, NWGM(O_S) = σ(E(S_S))):
    m·Var E_S → σ_O², E NWGM_S → σ(μ_S), m·Var NWGM_S → t²σ_S², m·Cov → t Cov(O, S),
    corr → Cov(O, S)/(σ_Oσ_S), with t = σ'(μ_S)."""
    from scipy import integrate as _int
    check_choice("kind", kind, ("u", "n"))
    a = check_real("a", a)
    b = check_real("b", b, lo=a if kind == "u" else 0.0, lo_open=True)
    c, lam = check_logistic(c, lam)
    if kind == "u":
        dens = lambda o: 1.0 / (b - a)  # noqa: E731
        lo, hi = max(a, 0.0), min(b, 1.0)
    else:
        Z = stats.norm.cdf((1 - a) / b) - stats.norm.cdf(-a / b)
        dens = lambda o: stats.norm.pdf(o, a, b) / Z  # noqa: E731
        lo, hi = 0.0, 1.0
    pts = [a] if kind == "n" else None

    def ex(f):
        return _int.quad(lambda o: f(o) * dens(o), lo, hi, points=pts, limit=200,
                         epsabs=1e-13, epsrel=1e-11)[0]

    s = lambda o: float(logistic_inverse(o, c, lam))  # noqa: E731
    mO = ex(lambda o: o)
    vO = ex(lambda o: (o - mO) ** 2)
    mS = ex(s)
    vS = ex(lambda o: (s(o) - mS) ** 2)
    cOS = ex(lambda o: (o - mO) * (s(o) - mS))
    t = float(dsigma(mS, c, lam))
    return {"mu_O": mO, "var_O": vO, "mu_S": mS, "var_S": vS, "cov_OS": cOS, "t": t,
            "nwgm_mean": float(logistic(mS, c, lam)), "m_var_nwgm": t * t * vS,
            "m_cov": t * cOS, "corr": cOS / math.sqrt(vO * vS)}
