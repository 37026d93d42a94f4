"""Sections 4–5 of Baldi & Sadowski: the weighted means and the NWGM of logistic and normalized
exponential units (Eq. 27–54)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from dropmc._validation import check_array, check_open_unit, check_real
from dropmc.theory.ensemble_averaging._shared import check_logistic, check_weights, log_logistic

# ------------------------------------------------------------------------------------------
# Sections 4–5: logistic units, NWGM
# ------------------------------------------------------------------------------------------


def weighted_means(O, P=None, *, log_O=None, log_1mO=None) -> dict:
    r"""E, G, G', NWGM and V of values O with weights P (Section 8), in the log domain.

    :math:`G = \exp\sum_iP_i\log O_i` (Eq. 35), :math:`G' = \exp\sum_iP_i\log(1-O_i)`
    (Eq. 36), :math:`NWGM = G/(G+G') = 1/(1 + e^{\log G' - \log G})` (Eq. 37).
    ``log_O``/``log_1mO`` may be passed to avoid rounding O next to 0 or 1.
    """
    O = check_open_unit("O", O).ravel()
    m = O.size
    if P is not None and np.size(P) != m:
        raise ValueError(f"P must have shape ({m},) to match the {m} values O, got "
                         f"{np.shape(P)}")
    P = np.full(m, 1.0 / m) if P is None else check_weights("P", np.asarray(P, float).ravel(), m, of="O")
    lo = np.log(O) if log_O is None else np.asarray(log_O, float).ravel()
    l1 = np.log1p(-O) if log_1mO is None else np.asarray(log_1mO, float).ravel()
    lg = float(np.dot(P, lo))
    lg1 = float(np.dot(P, l1))
    E = float(np.dot(P, O))
    V = float(np.dot(P, (O - E) ** 2))
    nwgm = float(special.expit(lg - lg1))
    return {"E": E, "G": math.exp(lg), "Gp": math.exp(lg1), "NWGM": nwgm,
            "logG": lg, "logGp": lg1, "V": V, "min": float(O.min()), "max": float(O.max()),
            "Ep": float(np.dot(P, 1.0 - O))}  # E' summed directly: 1 − E loses digits near 1


def nwgm_logistic(S, P=None, c: float = 1.0, lam: float = 1.0) -> float:
    r"""NWGM of :math:`O_i = \sigma(S_i)` by Eq. 38 in the log domain (never forming O)."""
    S = check_array("S", S).ravel()
    P = np.full(S.size, 1.0 / S.size) if P is None else check_weights("P", np.ravel(P), S.size, of="S")
    lo, l1 = log_logistic(S, c, lam)
    return float(special.expit(np.dot(P, lo) - np.dot(P, l1)))


def eq33_middle_as_printed(S, c: float = 1.0, lam: float = 1.0) -> float:
    r"""The middle expression of Eq. 33 as printed,
    :math:`1/(1 + c[e^{-\lambda\sum_{\mathcal N}S(\mathcal N)/2^n}]^{1/2^n})` for the
    :math:`m = 2^n` subnetwork values ``S`` (the exponent 1/2^n is applied twice)."""
    S = check_array("S", S).ravel()
    c, lam = check_logistic(c, lam)
    m = S.size
    return float(1.0 / (1.0 + c * math.exp(-lam * S.sum() / m / m)))


def softmax(x, lam: float = 1.0):
    """Normalized exponential (Eq. 43) along the last axis, stably (finite x and λ)."""
    check_array("x", x)
    x = check_real("lam", lam) * np.asarray(x, dtype=float)
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def nwgm_softmax_enumerated(S, P, lam: float = 1.0) -> np.ndarray:
    r"""Eq. 44 computed directly: for subnetworks M with probabilities P(M) and linear sums
    ``S`` (n_M, k), :math:`NWGM(O_i) = \prod_M O_i^{P(M)}/\sum_l\prod_M O_l^{P(M)}`, in the
    log domain (log O from a log-softmax)."""
    S = check_array("S", S, ndim=2)
    P = check_weights("P", P, S.shape[0], of="S")
    x = check_real("lam", lam) * S
    logO = x - special.logsumexp(x, axis=1, keepdims=True)
    lg = P @ logO
    return np.exp(lg - special.logsumexp(lg))


def variance_bound(E) -> float:
    r"""Section 5: :math:`\mathrm{Var}(O) \le E(O)(1 - E(O)) \le 1/4` — returns E(1 − E)."""
    E = np.asarray(E, dtype=float)
    return E * (1 - E)
