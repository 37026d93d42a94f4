"""Sections 9.5–9.6 of Baldi & Sadowski: the deterministic ensemble of a layered logistic network
(Eq. 98 with biases), the dropout induction across layers and the estimates of variances and
covariances (Eq. 109–124)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import (check_array, check_broadcast, check_int, check_probability,
                                check_real, check_reals)
from dropmc.theory.ensemble_averaging._shared import _probs, logistic
from dropmc.theory.ensemble_averaging.moments import dsigma


# ------------------------------------------------------------------------------------------
# Section 9.5–9.6: the deterministic ensemble of a layered logistic network (Eq. 98, 121, 122)
# ------------------------------------------------------------------------------------------


def ensemble_network(Ws, bs, ps, I) -> list[np.ndarray]:
    r"""Eq. 98 for a layered logistic network with biases: the deterministic ensemble values
    :math:`W^l = \sigma(U^l)`, :math:`U^l = W_l (p_{l-1} W^{l-1}) + b_l`, with
    :math:`W^0 = I` (the input) and ``ps[l]`` the keep probability of the units feeding layer
    l + 1 (weights scaled by p, biases never dropped). ``Ws[l]`` has shape (n_{l+1}, n_l).
    ``I`` may be one input (n_0,) or a batch (B, n_0). Returns ``[U^1, W^1, …]`` as two lists:
    ``{"U": [...], "W": [...]}`` layer by layer."""
    check_array("I", I)
    a = np.asarray(I, float)
    U, Wd = [], []
    for k, (W, b, p) in enumerate(zip(Ws, bs, ps)):
        _probs(f"ps[{k}]", p, np.shape(p))
        u = (p * a) @ np.asarray(W, float).T + b
        a = logistic(u)
        U.append(u)
        Wd.append(a)
    return {"U": U, "W": Wd}


def eq121_removed(U_i, w_ij, p_j, W_j):
    r"""Eq. 121: :math:`W_{ij}^{lh} = \sigma(\sum_{k \ne j} w_{ik} p_k W_k) = \sigma(U_i - w_{ij}
    p_j W_j)` — the deterministic activation of i with j removed from its inputs. In a layered
    network nothing else changes (j's other targets do not feed i), so this is exact forward
    propagation of the ensemble network without the edge j → i."""
    _probs("p_j", p_j, np.shape(p_j))
    return logistic(np.asarray(U_i, float) - np.asarray(w_ij, float) * p_j * np.asarray(W_j, float))


def eq122_removed_taylor(U_i, w_ij, p_j, W_j):
    r"""Eq. 122: :math:`W_{ij}^{lh} \approx W_i - \sigma'(U_i) w_{ij} p_j W_j` (first order)."""
    _probs("p_j", p_j, np.shape(p_j))
    U_i = np.asarray(U_i, float)
    return logistic(U_i) - dsigma(U_i) * np.asarray(w_ij, float) * p_j * np.asarray(W_j, float)


def eq117_var(Wv):
    """Eq. 117: Var(O) ≈ W(1 − W) (E(O²) ≈ W), a rough upper bound."""
    Wv = np.asarray(Wv, float)
    return Wv * (1 - Wv)


def eq119_pair(W_i, W_j):
    """Eq. 119: E(O_i O_j) ≈ W_i W_j (independence)."""
    return np.asarray(W_i, float) * np.asarray(W_j, float)


def eq124_pair(W_ij, W_j):
    """Eq. 124: E(O_i O_j) ≈ W_ij W_j for a connection j → i (leading term)."""
    return np.asarray(W_ij, float) * np.asarray(W_j, float)


def eq220_dsigma(ES):
    """Eq. 220: E(σ'(S)) ≈ σ'(E(S))."""
    return dsigma(ES)


# ------------------------------------------------------------------------------------------
# Sections 9.5–9.6: the dropout induction across layers; variances and covariances (Eq. 109–124)
# ------------------------------------------------------------------------------------------


def _layer_inputs(n: int, **arrays) -> None:
    """Check one vector of n values per input unit: keep probabilities ``p`` in [0, 1], the
    others finite."""
    for name, v in arrays.items():
        if name == "p":
            _probs(name, v, (n,))
        else:
            check_array(name, v, shape=(n,))


def eq109_rhs(W, p, EO_prev, eps_prev, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 109: :math:`W_i^{l+1} = \sigma(\sum_j w_{ij} p_j [E(O_j^h) - \epsilon_j^h])`."""
    check_array("W", np.atleast_2d(W), ndim=2)
    W = np.atleast_2d(np.asarray(W, float))
    _layer_inputs(W.shape[1], p=p, EO_prev=EO_prev, eps_prev=eps_prev)
    return logistic(W @ (np.asarray(p, float) * (np.asarray(EO_prev, float)
                                                 - np.asarray(eps_prev, float))), c, lam)


def eq112_beta_first_order(ES, W, p, eps_prev, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 112 (first-order Taylor of Eq. 109 around E(S)):
    :math:`\beta_i^{l+1} \approx \sigma'(E(S_i^{l+1}))\sum_j w_{ij} p_j \epsilon_j^h`.
    Eq. 110–111 are the same expansion: :math:`W \approx \mathrm{NWGM} - \beta`."""
    check_array("W", np.atleast_2d(W), ndim=2)
    W = np.atleast_2d(np.asarray(W, float))
    check_array("ES", ES, shape=(W.shape[0],))
    _layer_inputs(W.shape[1], p=p, eps_prev=eps_prev)
    return dsigma(ES, c, lam) * (W @ (np.asarray(p, float) * np.asarray(eps_prev, float)))


def eq114_var_beta(dsig_sq, w, p, cov_eps, *, as_printed: bool = True) -> float:
    r"""Eq. 114: :math:`\mathrm{Var}(\beta_i) \approx [\sigma'(E(S_i))]^2\sum_j w_{ij}^2 p_j^2
    \mathrm{Var}(\epsilon_j)` (as printed: the ε_j treated as independent, only the diagonal
    of their covariance matrix ``cov_eps``). ``as_printed=False``: the variance of the
    first-order term of Eq. 112 with the covariances kept,
    :math:`[\sigma']^2 (w\circ p)^\top C_\epsilon (w\circ p)`."""
    dsig_sq = check_real("dsig_sq", dsig_sq, lo=0.0)
    n = check_array("w", w, ndim=1).size
    _layer_inputs(n, p=p)
    check_array("cov_eps", cov_eps, shape=(n, n))
    v = np.asarray(w, float) * np.asarray(p, float)
    C = np.atleast_2d(np.asarray(cov_eps, float))
    return float(dsig_sq) * float(v @ (np.diag(np.diag(C)) if as_printed else C) @ v)


def variance_bound_mean(EO):
    """The bound Var(O) ≤ E(O)(1 − E(O)) of any variable with values in [0, 1] (the corrected
    form of the upper bound after Eq. 118: E(O²) ≤ E(O) since O² ≤ O)."""
    EO = np.asarray(EO, float)
    return EO * (1 - EO)


def eq120_taylor(A, w_ij, delta_O_j, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 120: :math:`O_i \approx \sigma(A) + \sigma'(A) w_{ij}\delta_j O_j` with A the sum
    over the other inputs of unit i (first-order Taylor in :math:`w_{ij}\delta_jO_j`)."""
    check_broadcast("A", check_array("A", A), "delta_O_j", check_array("delta_O_j", delta_O_j))
    w_ij = check_real("w_ij", w_ij)
    return logistic(A, c, lam) + dsigma(A, c, lam) * float(w_ij) * np.asarray(delta_O_j, float)


def eq121_removed_from_row(w_row, p, W_prev, j: int, c: float = 1.0, lam: float = 1.0) -> float:
    r"""Eq. 121: :math:`W_{ij}^{lh} = \sigma(\sum_{k\neq j} w_{ik} p_k W_k)`, the ensemble
    activation of unit i with unit j removed from its inputs."""
    n = check_array("w_row", w_row, ndim=1).size
    _layer_inputs(n, p=p, W_prev=W_prev)
    j = check_int("j", j, minimum=0, maximum=n - 1)
    v = np.asarray(w_row, float) * np.asarray(p, float) * np.asarray(W_prev, float)
    return float(logistic(v.sum() - v[j], c, lam))


def eq122(W_i: float, U_i: float, w_ij: float, p_j: float, W_j: float,
          c: float = 1.0, lam: float = 1.0) -> float:
    r"""Eq. 122: :math:`W_{ij}^{lh} \approx W_i^l - \sigma'(U_i^l) w_{ij} p_j W_j^h`."""
    check_reals(W_i=W_i, U_i=U_i, w_ij=w_ij, W_j=W_j)
    check_probability("p_j", p_j, allow_zero=True)
    return float(W_i - dsigma(U_i, c, lam) * w_ij * p_j * W_j)


def eq123(W_ij: float, W_j: float, X: float, w_ij: float, p_j: float, EOjOj: float) -> float:
    r"""Eq. 123: :math:`E(O_iO_j) \approx W_{ij}W_j + X\,w_{ij}p_jE(O_jO_j)`. As printed
    X = E(σ(A)); the first-order term of Eq. 120 gives X = E(σ'(A)) (the correction)."""
    check_reals(W_ij=W_ij, W_j=W_j, X=X, w_ij=w_ij, EOjOj=EOjOj)
    check_probability("p_j", p_j, allow_zero=True)
    return float(W_ij * W_j + X * w_ij * p_j * EOjOj)
