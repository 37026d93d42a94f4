"""Section 10 of Baldi & Sadowski: spiking neurons, backpropagation and backpercolation
(Eq. 125–138)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_array, check_real
from dropmc.theory.ensemble_averaging._shared import check_weights, logistic


# ------------------------------------------------------------------------------------------
# Section 10: spiking neurons and backpercolation (Eq. 125–138)
# ------------------------------------------------------------------------------------------


def _law(O, P) -> tuple[np.ndarray, np.ndarray]:
    """Outputs ``O`` in [0, 1] (firing probabilities) and their law ``P``."""
    arr = check_array("O", O, ndim=1)
    if np.any((arr < 0) | (arr > 1)):
        raise ValueError(f"O must lie in [0, 1] (outputs of logistic units), got {arr!r}")
    check_weights("P", P, arr.size, of="O")
    return np.asarray(O, float), np.asarray(P, float)


def eq135_136_spike_moments(O, P, r: float) -> dict:
    r"""Signal of a spiking neuron (spike of size r with probability O), Eq. 135–136.

    For fixed O (values ``O`` with law ``P``): mean :math:`rO`, variance :math:`r^2O(1-O)`;
    over the spiking configurations: mean :math:`rE(O)`, variance :math:`r^2E(O)(1-E(O))`."""
    O, P = _law(O, P)
    r = check_real("r", r, lo=0.0)
    E = float(P @ O)
    return {"inst_mean": r * O, "inst_var": r * r * O * (1 - O),
            "mean": r * E, "var": r * r * E * (1 - E)}


def eq137_138_dropout_moments(O, P, r: float) -> dict:
    r"""Signal of a dropout neuron (sends O with probability r), Eq. 137–138.

    For fixed O: mean :math:`rO`, variance :math:`O^2r(1-r)`; over the dropout
    configurations: mean :math:`rE(O)`, variance :math:`r\,\mathrm{Var}(O) + E(O)^2r(1-r)`."""
    O, P = _law(O, P)
    r = check_real("r", r, lo=0.0, hi=1.0)
    E = float(P @ O)
    V = float(P @ (O - E) ** 2)
    return {"inst_mean": r * O, "inst_var": O * O * r * (1 - r),
            "mean": r * E, "var": r * V + E * E * r * (1 - r)}


def eq133_ensemble_forward(W1, w2, O_in, r_in, r_h, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""The third network of Fig. 10.2 (Eq. 132–134): deterministic logistic propagation with
    every weight multiplied by the spike size (or keep probability) of its presynaptic unit,
    :math:`W_i = \sigma(\sum_j w_{ij}r_jW_j)`; the inputs' W are their firing probabilities.
    ``r_in`` may be a matrix (connection-specific sizes :math:`r_{ij}`, Eq. 134)."""
    h, n = check_array("W1", W1, ndim=2).shape
    check_array("w2", w2, shape=(h,))
    check_array("O_in", O_in, shape=(n,))
    check_array("r_in", r_in)
    check_array("r_h", r_h, shape=(h,))
    W1 = np.asarray(W1, float)
    r_in = np.asarray(r_in, float)
    if r_in.shape not in ((), (n,), (h, n)):
        raise ValueError(f"r_in must be one value, one per input ({n},) or one per "
                         f"connection ({h}, {n}), got shape {r_in.shape}")
    U1 = (W1 * r_in) @ O_in if r_in.ndim == 2 else W1 @ (r_in * O_in)
    Wh = logistic(U1, c, lam)
    U2 = float(np.asarray(w2, float) @ (np.asarray(r_h, float) * Wh))
    return {"U1": U1, "W1": Wh, "U2": U2, "W2": float(logistic(U2, c, lam))}


def backprop_input_gradient(Ws, I, c: float = 1.0, lam: float = 1.0) -> np.ndarray:
    r"""∂O_out/∂I of a layered logistic network (weights ``Ws``, last one a vector) by
    backpropagation: the error signal is multiplied by :math:`W^T` and by the derivatives
    :math:`\sigma'(S) = \lambda\sigma(1-\sigma)` at each node (Sec. 10.2)."""
    ds = node_derivatives(Ws, I, c, lam)
    g = ds[-1]
    for W, d in zip(Ws[::-1], ds[-2::-1] + [None]):
        g = np.atleast_2d(np.asarray(W, float)).T @ np.atleast_1d(g)
        if d is not None:
            g = g * d
    return np.asarray(g, float).ravel()


def node_derivatives(Ws, I, c: float = 1.0, lam: float = 1.0) -> list:
    """σ'(S) at every node of every layer of the network of :func:`backprop_input_gradient`."""
    check_array("I", I, ndim=1)
    a = np.asarray(I, float)
    ds = []
    for W in Ws:
        S = np.atleast_1d(np.asarray(W, float) @ a)
        a = logistic(S, c, lam)
        ds.append(lam * a * (1 - a))
    return ds


def reverse_linear_dropout(Ws, masks) -> np.ndarray:
    r"""One backpercolation pass: the reverse *linear* network (transposed weights) with node
    selectors ``masks`` (one 0/1 vector per layer) in place of the derivatives, from a unit
    signal at the output down to the inputs (Sec. 10.2)."""
    g = np.atleast_1d(np.asarray(masks[-1], float))
    for k in range(len(Ws) - 1, -1, -1):
        g = np.atleast_2d(np.asarray(Ws[k], float)).T @ g
        if k > 0:
            g = g * masks[k - 1]
    return np.asarray(g, float).ravel()
