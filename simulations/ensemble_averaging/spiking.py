"""Section 10.1 of Baldi & Sadowski: a layer of neurons driven by connection dropout with
rate-valued keep probabilities, enumerated exactly."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_array, check_real
from dropmc.theory.ensemble_averaging import check_logistic

# ------------------------------------------------------------------------------------------
# Section 10.1: a layer of neurons driven by connection dropout with rate-valued keep
# probabilities
# ------------------------------------------------------------------------------------------


def enumerate_rate_gated_network(W1, w2, O_in, *, connection: bool, inputs: float = 1.0,
                                 c: float = 1.0, lam: float = 1.0) -> dict:
    r"""Exact law of a two-layer network operated by dropout in the form of Sec. 10.1 (after
    Eq. 134): every neuron's inputs are set to ``inputs`` (1 in the paper) and its connection
    from unit j is kept with probability equal to j's sigmoidal output (the firing
    probabilities ``O_in`` for the input layer, :math:`O_j = \sigma(S_j)` for the hidden layer).
    ``connection=True``: one Bernoulli gate per connection (dropout on the connections);
    ``False``: one gate per presynaptic unit shared by its outgoing connections (dropout on
    the units). Every gate configuration is enumerated; returns the probabilities ``prob`` and
    the hidden sums ``S1``, outputs ``O1``, output sum ``S2`` and output ``O2`` of each."""
    W1 = check_array("W1", W1, ndim=2)
    h, n_in = W1.shape
    w2 = check_array("w2", w2, shape=(h,))
    O_in = check_array("O_in", O_in, shape=(n_in,))
    if np.any((O_in < 0) | (O_in > 1)):
        raise ValueError(f"O_in must lie in [0, 1], got {O_in}")
    inputs = check_real("inputs", inputs)
    c, lam = check_logistic(c, lam)
    d = h * n_in if connection else n_in
    if d + h > 20:
        raise ValueError(f"{d + h} gates: enumeration allows at most 20")
    idx = np.arange(1 << d, dtype=np.int64)
    g1 = ((idx[:, None] >> np.arange(d)) & 1).astype(float)
    pr1 = np.prod(np.where(g1 > 0, np.tile(O_in, h) if connection else O_in,
                           1 - (np.tile(O_in, h) if connection else O_in)), axis=1)
    if connection:  # gate of connection j → i is column i·n_in + j
        S1 = np.einsum("ij,kij->ki", W1, inputs * g1.reshape(-1, h, n_in))
    else:
        S1 = (inputs * g1) @ W1.T
    O1 = 1.0 / (1.0 + c * np.exp(-lam * S1))
    jdx = np.arange(1 << h, dtype=np.int64)
    g2 = ((jdx[:, None] >> np.arange(h)) & 1).astype(float)
    # P(hidden gates | O1): each connection i → out kept with probability O1_i
    pr2 = np.prod(np.where(g2[None] > 0, O1[:, None, :], 1 - O1[:, None, :]), axis=2)
    prob = (pr1[:, None] * pr2).ravel()
    S2 = np.tile((inputs * g2) @ w2, S1.shape[0])
    return {"prob": prob, "S1": np.repeat(S1, 1 << h, axis=0), "O1": np.repeat(O1, 1 << h, axis=0),
            "S2": S2, "O2": 1.0 / (1.0 + c * np.exp(-lam * S2))}
