"""Shared pieces of the Zhang–Xu catalog: the catalog object and the random networks, keep
probabilities and parameter vectors several sections draw."""

from __future__ import annotations

import math

import numpy as np

from dropmc.registry import Catalog

CATALOG = Catalog("implicit_regularization")


def _random_p(rng) -> float:
    return float(rng.choice([rng.uniform(0.1, 0.95), 0.5, 0.9]))


def _random_network(rng, L: int, m_last: int, activation: str, *, d_out: int | None = None,
                    width_max: int = 8):
    """A random L-layer FNN with biases: input d ∈ [1, 4], hidden widths ∈ [2, width_max],
    last hidden width ``m_last``, output d' ∈ [1, 3]; data X (n, d), targets Y (n, d')."""
    d = int(rng.integers(1, 5))
    dout = int(rng.integers(1, 4)) if d_out is None else d_out
    widths = [d] + [int(rng.integers(2, width_max + 1)) for _ in range(L - 2)] + [m_last, dout]
    Ws = [rng.normal(size=(widths[l + 1], widths[l])) / math.sqrt(widths[l])
          * rng.uniform(0.5, 2.0) for l in range(L)]
    bs = [rng.normal(size=widths[l + 1]) * rng.uniform(0.0, 1.0) for l in range(L)]
    n = int(rng.integers(2, 7))
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0)
    Y = rng.normal(size=(n, dout))
    return Ws, bs, X, Y


def _net_params(Ws, activation, p, X):
    return {"depth": len(Ws), "widths": [Ws[0].shape[1]] + [W.shape[0] for W in Ws],
            "activation": activation, "p": round(p, 6), "n": X.shape[0]}


def _flat_params(Ws, bs) -> np.ndarray:
    return np.concatenate([W.ravel() for W in Ws] + [b.ravel() for b in bs])


def _explore_rng(ctx, slug: str) -> np.random.Generator:
    """The generator of an explorer's fixed configuration (its network, data, direction): the
    first stream of ``<paper>.<slug>#explore`` at the run's seed, so the configuration depends
    on the seed only — not on the point (whose own streams, ``ctx.stream()``, give the Monte
    Carlo draws)."""
    return ctx.rng_of(f"{CATALOG.paper}.{slug}#explore")
