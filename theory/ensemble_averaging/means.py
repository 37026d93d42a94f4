"""Section 8 and Appendix B of Baldi & Sadowski: bounds and approximations of the weighted
arithmetic, geometric and normalized geometric means (Eq. 77–97) and their expansions around the
mean and around 0 or 1 (Eq. 195–211)."""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize

from dropmc._validation import check_array, check_closed_unit
from dropmc.theory.ensemble_averaging._shared import check_weights


# ------------------------------------------------------------------------------------------
# Section 8: bounds and approximations
# ------------------------------------------------------------------------------------------


def _check_sample(O, P, *, unit: bool = False):
    """Finite values O (1-D; positive, or in [0, 1] when ``unit``) with the distribution P
    over them."""
    O = check_array("O", O, ndim=1)
    if unit:
        check_closed_unit("O", O)
    elif np.any(O <= 0.0):
        i = int(np.argmax(O <= 0.0))
        raise ValueError(f"O must be positive; entry {i} is {O[i]!r}")
    return O, check_weights("P", P, O.size, of="O")


def _check_finite(**values) -> None:
    """Each (scalar or array) value finite; the values themselves are used unchanged."""
    for name, x in values.items():
        check_array(name, x, min_size=0)


def cartwright_field(O, P) -> tuple[float, float]:
    r"""Eq. 78 bounds on E − G: :math:`\frac{V}{2\max O}` and :math:`\frac{V}{2\min O}`."""
    O, P = _check_sample(O, P)
    E = P @ O
    V = P @ (O - E) ** 2
    return V / (2 * O.max()), V / (2 * O.min())


def eq79_as_printed(O, P) -> tuple[float, float]:
    r"""Eq. 79 as printed: lower :math:`\frac{\max O - G}{2\max O}V`, upper
    :math:`\frac{\min O - G}{2\min O(\min O - E)}V`."""
    O, P = _check_sample(O, P)
    E = P @ O
    V = P @ (O - E) ** 2
    G = math.exp(P @ np.log(O))
    mx, mn = O.max(), O.min()
    lo = (mx - G) / (2 * mx) * V
    hi = (mn - G) / (2 * mn * (mn - E)) * V if mn != E else 0.0
    return lo, hi


def eq79_lower_corrected(O, P) -> float:
    r"""Scale-consistent lower bound (the mirror image of Eq. 79's upper bound):
    :math:`\frac{\max O - G}{2\max O(\max O - E)}V`."""
    O, P = _check_sample(O, P)
    E = P @ O
    V = P @ (O - E) ** 2
    G = math.exp(P @ np.log(O))
    mx = O.max()
    return (mx - G) / (2 * mx * (mx - E)) * V if mx != E else 0.0


def eq80(O, P) -> tuple[float, float]:
    r"""Eq. 80: :math:`\frac{1}{2\max O}\sum_ip_i(O_i-G)^2 \le E - G \le
    \frac{1}{2\min O}\sum_ip_i(O_i-G)^2`."""
    O, P = _check_sample(O, P)
    G = math.exp(P @ np.log(O))
    s = P @ (O - G) ** 2
    return s / (2 * O.max()), s / (2 * O.min())


def extreme_means(O, P) -> dict:
    r"""G, G' and NWGM computed directly (not in the log domain), so that outputs may be exactly
    0 or 1 (Sec. 8, "Extreme cases"): :math:`G = \prod O_i^{P_i}`, :math:`G' = \prod (1 -
    O_i)^{P_i}` and NWGM = G/(G + G'), NaN when G = G' = 0 (0/0)."""
    O, P = _check_sample(O, P, unit=True)
    G = float(np.prod(O ** P))
    Gp = float(np.prod((1 - O) ** P))
    return {"E": float(P @ O), "G": G, "Gp": Gp,
            "NWGM": G / (G + Gp) if G + Gp > 0 else math.nan}


def second_order_nwgm(E, V):
    """Eq. 84 / 95: NWGM ≈ (E − V)/(1 − 2V)."""
    _check_finite(E=E, V=V)
    return (E - V) / (1 - 2 * V)


def second_order_gap(E, V):
    """Eq. 85 / 96: E − NWGM ≈ V(1 − 2E)/(1 − 2V)."""
    _check_finite(E=E, V=V)
    return V * (1 - 2 * E) / (1 - 2 * V)


def eq97_gap_as_printed(E, V):
    """Eq. 97 as printed: (1 − E) − G'/(G + G') ≈ V(1 − 2E)/(1 − 2V)."""
    _check_finite(E=E, V=V)
    return V * (1 - 2 * E) / (1 - 2 * V)


def eq97_gap_corrected(E, V):
    """Eq. 85, fourth expression: (1 − E) − G'/(G + G') ≈ V(2E − 1)/(1 − 2V)."""
    _check_finite(E=E, V=V)
    return V * (2 * E - 1) / (1 - 2 * V)


def eq87_chain(E, V):
    r"""The four members of Eq. 87: :math:`\frac{V|1-2E|}{1-2V}`,
    :math:`\frac{E(1-E)|1-2E|}{1-2V}`, :math:`\frac{E(1-E)|1-2E|}{1-2E(1-E)}`,
    :math:`2E(1-E)|1-2E|`."""
    _check_finite(E=E, V=V)
    E = np.asarray(E, float)
    V = np.asarray(V, float)
    a = np.abs(1 - 2 * E)
    return (V * a / (1 - 2 * V), E * (1 - E) * a / (1 - 2 * V),
            E * (1 - E) * a / (1 - 2 * E * (1 - E)), 2 * E * (1 - E) * a)


def fig81_curve(E):
    """Fig. 8.1: E(1 − E)|1 − 2E|/[1 − 2E(1 − E)]."""
    _check_finite(E=E)
    E = np.asarray(E, float)
    return E * (1 - E) * np.abs(1 - 2 * E) / (1 - 2 * E * (1 - E))


def fig82_curve(E):
    """Fig. 8.2: 2E(1 − E)|1 − 2E|."""
    _check_finite(E=E)
    E = np.asarray(E, float)
    return 2 * E * (1 - E) * np.abs(1 - 2 * E)


def fig81_argmax_printed() -> float:
    """Printed maximiser of the Fig. 8.1 curve on [0, 0.5]: 0.5 − √(√5 − 2)/2."""
    return 0.5 - math.sqrt(math.sqrt(5) - 2) / 2


def fig82_argmax_printed() -> float:
    """Printed maximiser of the Fig. 8.2 curve on [0, 0.5]: 0.5 − √3/6."""
    return 0.5 - math.sqrt(3) / 6


def argmax_on_half(f) -> float:
    """Maximiser of ``f`` on [0, 0.5] by bounded scalar optimisation (xatol 1e-12)."""
    res = optimize.minimize_scalar(lambda e: -float(f(e)), bounds=(0.0, 0.5), method="bounded",
                                   options={"xatol": 1e-12})
    return float(res.x)


EQ88_PRINTED = {"O1": "0.622459", "O2": "0.731059", "E": "0.676759", "G": "0.674577",
                "Gp": "0.318648", "NWGM": "0.679179", "E-G": "0.002182", "NWGM-E": "0.002420"}


# ------------------------------------------------------------------------------------------
# Appendix B: expansions around the mean and around 0 or 1
# ------------------------------------------------------------------------------------------


def eq202_nwgm(E, V):
    r"""Eq. 202: :math:`NWGM \approx (E - \frac{V}{2E})/(1 - \frac12\frac{V}{E(1-E)})`."""
    _check_finite(E=E, V=V)
    return (E - V / (2 * E)) / (1 - 0.5 * V / (E * (1 - E)))


def eq204_G(E, V):
    """Eq. 204: around one, G ≈ E − V/2."""
    _check_finite(E=E, V=V)
    return E - 0.5 * V


def eq205_Gp(E, V):
    """Eq. 205: around one, G' ≈ 1 − E − V/2."""
    _check_finite(E=E, V=V)
    return 1 - E - 0.5 * V


def eq206_sum(E, V):
    """Eq. 206: around one, G + G' ≈ 1 − V."""
    _check_finite(E=E, V=V)
    return 1 - V


def eq207_nwgm(E, V):
    """Eq. 207: around one, NWGM = G/(G + G') ≈ (2E − V)/(2 − 2V)."""
    _check_finite(E=E, V=V)
    return (2 * E - V) / (2 - 2 * V)


def eq208_gap(E, V):
    """Eq. 208: E − NWGM ≈ −(E − 1/2)V/(1 − V)."""
    _check_finite(E=E, V=V)
    return -(E - 0.5) * V / (1 - V)


def eq211_nwgm_as_printed(E, V):
    """Eq. 211 as printed (around zero): NWGM ≈ (1 − E − 0.5V)/(1 − V)."""
    _check_finite(E=E, V=V)
    return (1 - E - 0.5 * V) / (1 - V)


def f_app_b(E):
    """Appendix B.2: f(E) = E(1 − E)/(1 − E(1 − E)), max 1/3 at E = 0.5."""
    _check_finite(E=E)
    E = np.asarray(E, float)
    return E * (1 - E) / (1 - E * (1 - E))
