"""Extension of Zhang & Xu (issue 11): Lemma 1 for a user's network (:func:`lemma1_claim`) and
for structured networks."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.explore import Point
from dropmc.registry import Catalog
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

from ._shared import CATALOG, _explore_rng, _random_p

# ------------------------------------------------------------------------------------------
# Extension (issue 11): Lemma 1 for a user's network
# ------------------------------------------------------------------------------------------

def _lemma1_case(ctx: Context, Ws, bs, X, Y, p, activation, params) -> CaseResult:
    """Exact enumeration of the dropout layer when it has at most 20 units, Monte Carlo over η
    otherwise, against R_S + R1."""
    m = Ws[-1].shape[1]
    if m <= 20:
        est = sim.exact_dropout_risk(Ws, bs, X, Y, p, activation)
    else:
        est = sim.estimate_dropout_risk(Ws, bs, X, Y, p, activation,
                                        n=ctx.budget(200_000, 10_000), rng=ctx.stream())
    return judge.identity(params, th.lemma1_rhs(Ws, bs, X, Y, p, activation), est)


def lemma1_claim(catalog: Catalog, weights, biases, X, Y, p: float, activation: str = "tanh",
                 *, name: str = "mynet"):
    """Register, in your own ``catalog``, Lemma 1 (Eq. 3) for *your* network: weights and
    biases (lists, Setting 1: dropout on the last hidden layer), data X, Y, keep probability p
    and a hidden activation ("tanh", "relu", "sigmoid"). Decided by exact enumeration of the
    dropout layer's masks when it has at most 20 units, by Monte Carlo over η otherwise::

        from dropmc import Catalog
        from dropmc.papers.implicit_regularization import lemma1_claim
        CATALOG = Catalog("mynet")
        lemma1_claim(CATALOG, [W1, W2], [b1, b2], X, Y, p=0.8, activation="relu")
    """
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    p = float(p)
    th.lemma1_rhs(Ws, bs, X, Y, p, activation)  # validates p and the activation now
    slug = f"lemma1.{name}"
    params = {"widths": [W.shape[1] for W in Ws] + [Ws[-1].shape[0]], "activation": activation,
              "p": p, "n_data": X.shape[0], "network": name}

    def evaluate(ctx: Context) -> list[CaseResult]:
        return [_lemma1_case(ctx, Ws, bs, X, Y, p, activation, params)]

    evaluate.__doc__ = f"Lemma 1 (Eq. 3) for the network {name!r}: E_η R_S^drop = R_S + R1."
    catalog.claim(slug, label="Lemma 1, Eq. 3 (your network)", kind=Kind.IDENTITY,
                  as_printed=False,
                  statement=f"E_η R_S^drop = R_S + R1 for the network {name}.")(evaluate)
    return next(c for c in catalog.claims if c.id == f"{catalog.paper}.{slug}")


@CATALOG.claim(
    "ext.lemma1_structured_networks", label="Lemma 1, Eq. 3 (structured networks)",
    kind=Kind.IDENTITY, as_printed=False,
    statement="Lemma 1 holds for the structured networks a user meets in practice, not only "
              "random ones: a condensed network (hidden units sharing one orientation), a "
              "saturated tanh network (large weights), a network with dead output columns "
              "(zero columns of W^[L]) and a wide ReLU network (Monte Carlo).")
def ext_lemma1_structured(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The user-network path (:func:`lemma1_claim`'s evaluation) on four hand-built networks:
    exact enumeration of the dropout layer where it has ≤ 20 units, Monte Carlo over η for the
    wide one, each against R_S + R1."""
    X, Y, nets = _structured_networks(rng)
    for name, (Ws, bs, act) in nets.items():
        p = _random_p(rng)
        params = {"network": name, "activation": act, "p": p,
                  "widths": [W.shape[1] for W in Ws] + [Ws[-1].shape[0]]}
        yield _lemma1_case(ctx, Ws, bs, X, Y, p, act, params)


def _structured_networks(rng: np.random.Generator):
    """The data (X, Y) and the four hand-built networks of ext.lemma1_structured_networks,
    drawn from ``rng``: {name: (weights, biases, activation)}."""
    d, n = 2, 5
    X = rng.normal(size=(n, d))
    Y = rng.normal(size=(n, 1))
    # condensed: 12 hidden units on one orientation (up to scale)
    u = rng.normal(size=d)
    W1 = np.outer(rng.uniform(0.5, 2.0, 12), u)
    nets = {"condensed": ([W1, rng.normal(size=(1, 12))], [np.zeros(12), np.zeros(1)], "tanh")}
    # saturated tanh
    nets["saturated"] = ([20.0 * rng.normal(size=(10, d)), rng.normal(size=(1, 10))],
                         [rng.normal(size=10), np.zeros(1)], "tanh")
    # dead output columns
    W2 = rng.normal(size=(1, 14))
    W2[0, ::3] = 0.0
    nets["dead columns"] = ([rng.normal(size=(14, d)), W2], [rng.normal(size=14), np.zeros(1)],
                            "sigmoid")
    # wide ReLU (Monte Carlo)
    nets["wide relu"] = ([rng.normal(size=(8, d)) / math.sqrt(d), rng.normal(size=(120, 8)) / math.sqrt(8),
                          rng.normal(size=(1, 120)) / math.sqrt(120)],
                         [rng.normal(size=8), rng.normal(size=120), np.zeros(1)], "relu")
    return X, Y, nets


@CATALOG.explorer("ext.lemma1_structured_networks", p=(0.5, 0.05, 0.99), s=(1.0, 0.1, 5.0),
                  network=("saturated", "condensed", "dead columns", "wide relu"))
def _explore_structured(ctx: Context, p: float, s: float, network: str) -> Point:
    """Lemma 1 at keep probability p for one of the claim's structured networks ("condensed",
    "saturated", "dead columns": exact enumeration of the dropout layer and 100,000 Monte
    Carlo draws at standard precision; "wide relu": 160,000 Monte Carlo draws), drawn once from
    the explorer's generator (:func:`_explore_rng`), with the weights of its hidden layers
    scaled by s (s > 1 saturates the tanh network further). An identity. A point takes
    0.01–0.1 s at standard precision."""
    X, Y, nets = _structured_networks(_explore_rng(ctx, "ext.lemma1_structured_networks"))
    Ws, bs, act = nets[network]
    Ws = [W * s for W in Ws[:-1]] + [Ws[-1]]
    wide = Ws[-1].shape[1] > 20
    mc = sim.estimate_dropout_risk(Ws, bs, X, Y, p, act, rng=ctx.stream(),
                                   n=ctx.budget(160_000 if wide else 100_000, minimum=4_000))
    exact = None if wide else sim.exact_dropout_risk(Ws, bs, X, Y, p, act).mean
    return Point.identity(th.lemma1_rhs(Ws, bs, X, Y, p, act), exact=exact, mc=mc)
