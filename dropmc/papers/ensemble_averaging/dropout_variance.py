"""Section 11.7 of Baldi & Sadowski on synthetic networks: the dropout variance of a unit's sum
when dropout acts only on its inputs, Var(S_i^h) = Σ_{l<h}Σ_j (w_ij^{hl})²(O_j^l)²p_j^l(1 − p_j^l)
(Eq. 189), decided by exact enumeration of every dropout mask. The rest of Sections 11.6–11.7,
decided on the dropout-trained classifier, is :mod:`.dropin`."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dropmc.claims import CaseResult, Context, Kind
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import WEIGHT_SCALE, fixed_two_layer
from dropmc.papers.ensemble_averaging._shared import CATALOG, _two_layer_logistic, _vector_case
from dropmc.simulations import enumeration as _enum
from dropmc.theory import ensemble_averaging as th


@CATALOG.claim(
    "eq189.dropout_variance", label="Eq. 189", kind=Kind.IDENTITY,
    statement="With dropout only on the inputs of layer h (O_j^l fixed for a given input), "
              "Var(S_i^h) = Σ_{l<h}Σ_j (w_ij^{hl})²(O_j^l)² p_j^l(1 − p_j^l) for independent "
              "selectors; similarly for dropout on the connections.")
def eq189(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Two-layer logistic networks with skip connections (3 inputs, 3 hidden units feeding 2
    output sums; the output layer also reads the inputs): dropout only on the inputs of the
    output layer, the hidden outputs O_j computed without dropout. Var(S_i) of each output sum
    by enumeration of the 2^6 unit masks (shared by both outputs), and of the 2^12 connection
    masks (one selector per connection), against Eq. 189 (th.linear_unit_var with the
    presynaptic activities as inputs)."""
    for k in range(3):
        W1, _, inputs, _, p, c, lam = _two_layer_logistic(rng)
        I = inputs[0]
        O = np.concatenate([th.logistic(W1 @ I, c, lam), I])  # presynaptic activities (fixed)
        Wout = rng.standard_normal((2, O.size))
        masks, probs = _enum.enumerate_masks(O.size, p)
        S = (masks * O) @ Wout.T
        var = probs @ S ** 2 - (probs @ S) ** 2
        theory = [th.linear_unit_var(Wout[r], O, p) for r in range(2)]
        sc = float(np.max(np.sum(np.abs(Wout * O), axis=1))) ** 2
        yield _vector_case(ctx, {"network": k, "dropout": "units"}, theory, var, sc)
        P = rng.uniform(0.2, 0.95, Wout.shape)
        cm, cp = _enum.enumerate_masks(P.size, P.ravel())
        S = np.einsum("mrj,rj,j->mr", cm.reshape(-1, *P.shape), Wout, O)
        var = cp @ S ** 2 - (cp @ S) ** 2
        theory = [th.linear_unit_var(Wout[r], O, P[r]) for r in range(2)]
        yield _vector_case(ctx, {"network": k, "dropout": "connections"}, theory, var, sc)


@CATALOG.explorer("eq189.dropout_variance", p=(0.6, 0.0, 1.0), s=WEIGHT_SCALE,
                  dropout=("units", "connections"))
def _explore_eq189(ctx: Context, p: float, s: float, dropout: str) -> Point:
    """Var(S) of the output of a layer fed by the fixed activities O (the hidden outputs and
    inputs of the network of :func:`~._explore.fixed_two_layer`, computed without dropout) with
    dropout only on its inputs (keep probability p; the first of two output sums, weights
    N(0, 1)·s, seed 189): Eq. 189, Σ_j w_j²O_j²p(1 − p), against enumeration of the 2^6 unit
    masks or the 2^12 connection masks. A point takes about 3 ms."""
    W1, _, I, _, _, _, _ = fixed_two_layer(p, 1.0)
    O = np.concatenate([th.logistic(W1 @ I), I])
    Wout = s * np.random.default_rng(189).standard_normal((2, O.size))
    if dropout == "units":
        masks, probs = _enum.enumerate_masks(O.size, np.full(O.size, p))
        S = (masks * O) @ Wout[0]
    else:
        masks, probs = _enum.enumerate_masks(2 * O.size, np.full(2 * O.size, p))
        S = np.einsum("mrj,rj,j->mr", masks.reshape(-1, 2, O.size), Wout, O)[:, 0]
    return Point.identity(th.linear_unit_var(Wout[0], O, np.full(O.size, p)),
                          exact=float(probs @ S ** 2 - (probs @ S) ** 2))
