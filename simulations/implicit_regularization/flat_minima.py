"""Section 7.1 of Zhang & Xu: the loss along a random filter-normalised direction (the 1D
visualization of Fig. 11)."""

from __future__ import annotations

import numpy as np

from dropmc.simulations._core import as_seed_sequence
from dropmc.theory import implicit_regularization as th


def loss_cross_section(weights, biases, X, Y, alphas, activation: str = "tanh", rng=None):
    r"""Section 7.1: :math:`L(\alpha) = R_S(\theta+\alpha d)` along a random Gaussian direction
    d, filter-normalised per layer (weights and biases of a layer form one filter)."""
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    dW = [g.standard_normal(W.shape) for W in Ws]
    db = [g.standard_normal(b.shape) for b in bs]
    out = []
    dirs = []
    for W, b, dw, dbb in zip(Ws, bs, dW, db):
        d = np.concatenate([dw.ravel(), dbb.ravel()])
        t = np.concatenate([W.ravel(), b.ravel()])
        (dn,) = th.filter_normalise([d], [t])
        dirs.append((dn[:W.size].reshape(W.shape), dn[W.size:]))
    for a in np.asarray(alphas, dtype=float):
        Wa = [W + a * d[0] for W, d in zip(Ws, dirs)]
        ba = [b + a * d[1] for b, d in zip(bs, dirs)]
        out.append(th.empirical_risk(Wa, ba, X, Y, activation))
    return np.array(out)
