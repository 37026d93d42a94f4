"""Sections 9.5–9.6 of Baldi & Sadowski on synthetic layered logistic networks: every dropout mask
of a small network, materialised (plain numpy), and the Monte Carlo covariances of the units of
one logistic layer under node or connection dropout (Eq. 98)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_array, check_probabilities, check_samples
from dropmc.simulations._core import as_generator
from dropmc.theory.ensemble_averaging import check_logistic

# ------------------------------------------------------------------------------------------
# Sections 9.5–9.6: every dropout mask of a small layered logistic network (plain numpy)
# ------------------------------------------------------------------------------------------


def enumerate_layered_logistic(Ws, I, ps, *, c: float = 1.0, lam: float = 1.0,
                               connection: bool = False) -> dict:
    r"""Every dropout subnetwork of a small layered logistic network, materialised.

    ``Ws[k]`` (n_{k+1}, n_k) are the weights into layer k + 1 (layer 0 = the inputs ``I``),
    ``ps[k]`` (n_k,) the keep probabilities of the units feeding ``Ws[k]``. Node dropout
    (default): one gate δ_j per unit j of every layer that feeds another, shared by all its
    outgoing connections (Eq. 98's "dropout applied to the nodes"); ``connection=True``: one
    gate per connection, kept with the probability of its source unit. At most 22 gates.

    Returns ``{"P": (M,), "S": [(M, n_1), …], "O": [(M, n_1), …], "gates": (M, G)}`` over the
    M = 2^G masks (plain numpy: the reference for the Section 9.5–9.6 claims, which need
    arbitrary functions of the whole configuration, e.g. E(O_i O_j) or σ of a partial sum).
    """
    from dropmc.simulations.enumeration import enumerate_masks
    from dropmc.theory.ensemble_averaging import logistic

    c, lam = check_logistic(c, lam)
    Ws = [check_array(f"Ws[{k}]", np.atleast_2d(W), ndim=2) for k, W in enumerate(Ws)]
    I = check_array("I", I, ndim=1)
    if len(ps) != len(Ws):
        raise ValueError(f"ps must have one vector per layer of weights ({len(Ws)}), got {len(ps)}")
    sizes = [I.size] + [W.shape[0] for W in Ws]
    for k, W in enumerate(Ws):
        if W.shape[1] != sizes[k]:
            raise ValueError(f"Ws[{k}] must have {sizes[k]} columns, got shape {W.shape}")
    pv = [check_array(f"ps[{k}]", p, shape=(sizes[k],)) for k, p in enumerate(ps)]
    if any(np.any((p < 0) | (p > 1)) for p in pv):
        raise ValueError("keep probabilities ps must lie in [0, 1]")
    if connection:
        gp = np.concatenate([np.broadcast_to(p, W.shape).ravel() for W, p in zip(Ws, pv)])
    else:
        gp = np.concatenate(pv)
    if gp.size > 22:
        raise ValueError(f"the network has {gp.size} gates; enumeration allows at most 22")
    masks, P = enumerate_masks(gp.size, gp)
    M = masks.shape[0]
    a = np.broadcast_to(I, (M, I.size))
    off, S_all, O_all = 0, [], []
    for W, p in zip(Ws, pv):
        if connection:
            g = masks[:, off:off + W.size].reshape(M, *W.shape).astype(float)
            S = np.einsum("mij,mj->mi", g * W, a)
            off += W.size
        else:
            S = (masks[:, off:off + W.shape[1]] * a) @ W.T
            off += W.shape[1]
        a = logistic(S, c, lam)
        S_all.append(S)
        O_all.append(a)
    return {"P": P, "S": S_all, "O": O_all, "gates": masks}


def sample_first_layer_covariances(W, I, p, *, connection: bool = False, c: float = 1.0,
                                   lam: float = 1.0, n: int = 100_000, rng=None,
                                   batch: int = 8192) -> dict:
    r"""Monte Carlo of Cov(O_i, O_j) for every pair of units of one logistic layer under
    dropout of its inputs: node dropout (one gate per input, shared by all units: the
    setting of Eq. 98) or ``connection`` dropout (one gate per connection).

    Unbiased and i.i.d. by independent replicates: each of the ``n`` draws is a pair of
    independent subnetworks (O, O') and :math:`\tfrac12(O_i - O_i')(O_j - O_j')` has mean
    Cov(O_i, O_j) exactly, so the SE is the plain s/√n (plain numpy, batched).

    Returns ``{"pairs": [(i, j), …], "cov": [Estimate, …], "EO": (n_units,) sample means}``.
    """
    from dropmc.theory.ensemble_averaging import logistic

    W = check_array("W", np.atleast_2d(W), ndim=2)
    k, d = W.shape
    I = check_array("I", I, shape=(d,))
    p = check_probabilities("p", p, (d,))
    c, lam = check_logistic(c, lam)
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    # every draw keeps one product per pair until the end
    n = check_samples("n", n, minimum=64, bytes_per_sample=8 * max(len(pairs), 1))
    batch = check_samples("batch", batch)
    g = as_generator(rng)
    parts, eo, done = [], np.zeros(k), 0
    while done < n:
        B = min(batch, n - done)
        O = []
        for _ in range(2):
            if connection:
                S = np.einsum("bkd,kd,d->bk", g.random((B, k, d)) < p, W, I)
            else:
                S = ((g.random((B, d)) < p) * I) @ W.T
            O.append(logistic(S, c, lam))
        D = O[0] - O[1]
        parts.append(np.stack([0.5 * D[:, i] * D[:, j] for i, j in pairs], axis=1)
                     if pairs else np.zeros((B, 0)))
        eo += O[0].sum(axis=0)
        done += B
    acc = np.concatenate(parts, axis=0)
    from dropmc.estimate import mean_estimate
    return {"pairs": pairs, "cov": [mean_estimate(acc[:, t]) for t in range(len(pairs))],
            "EO": eo / n}
