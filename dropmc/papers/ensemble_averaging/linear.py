"""Sections 2–3 of Baldi & Sadowski: a single linear unit, a linear layer and deep linear networks
(Eq. 1–26), with the independence of the selectors (Sec. 2.2–2.3)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import fixed_unit
from dropmc.papers.ensemble_averaging._shared import CATALOG, _random_c_lam, _random_net
from dropmc.simulations import ensemble_averaging as sim
from dropmc.simulations import enumeration as _enum
from dropmc.theory import ensemble_averaging as th

# ------------------------------------------------------------------------------------------
# Section 2: a single linear unit and a single linear layer
# ------------------------------------------------------------------------------------------


@CATALOG.claim(
    "eq2_5.halving", label="Eq. 2, Eq. 3, Eq. 4, Eq. 5", kind=Kind.IDENTITY,
    statement="Averaged uniformly over the 2^n subnetworks of a linear unit, E(S) = "
              "Σ_i (w_i/2) I_i, each term occurring 2^{n−1} times.")
def eq2_5_halving(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration of all 2^n subnetworks (q = 0.5) for random n ≤ 16, w and I (Eq. 2),
    against Eq. 5; the count of Eq. 4 as the binomial sum against 2^{n−1}."""
    for n in [1, 2] + [int(rng.integers(3, 17)) for _ in range(4)]:
        w = rng.standard_normal(n) * rng.uniform(0.1, 5)
        I = rng.standard_normal(n)
        e = sim.enumerate_logistic_unit(w, I, 0.5)
        yield judge.identity({"n": n}, th.halved_weights_output(w, I),
                             Estimate.exact(e["ES"], "enumeration", e["n_subnetworks"]))
        yield judge.exact({"n": n, "eq": "Eq. 4"}, 2 ** (n - 1), th.term_count(n))


@CATALOG.explorer("eq2_5.halving", a=(1.0, 0.05, 8.0), n=(12, 1, 16))
def _explore_eq2_5(ctx: Context, a: float, n: float) -> Point:
    """E(S) = Σ(w_i/2)I_i (Eq. 5) for a fixed linear unit with n inputs (rounded;
    :func:`~._explore.fixed_unit`, weights scaled by a) averaged uniformly over its 2^n
    subnetworks, by enumeration. A point takes about 3 ms."""
    n = int(round(n))
    w, I = fixed_unit(n, 2)
    e = sim.enumerate_logistic_unit(a * w, I, 0.5)
    return Point.identity(th.halved_weights_output(a * w, I), exact=e["ES"])


@CATALOG.claim(
    "eq7_8.linear_unit_mean", label="Eq. 6, Eq. 7, Eq. 8", kind=Kind.IDENTITY,
    statement="With independent Bernoulli selectors of keep probabilities p_i, a linear unit has "
              "E(S) = Σ_i w_i p_i I_i (Σ_i w_i p I_i for a common p).")
def eq7_8_mean(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration (random n ≤ 16, non-identical p_i including the edge values 0 and 1,
    and a common p), and Monte Carlo for a wide unit (n = 400) with a z-test."""
    for k in range(5):
        n = int(rng.integers(2, 17))
        w, I = rng.standard_normal(n), rng.standard_normal(n) * 2
        p = rng.uniform(0.05, 0.95, n) if k else np.full(n, 0.8)
        if k == 4:
            p[0], p[-1] = 0.0, 1.0
        e = sim.enumerate_logistic_unit(w, I, p)
        yield judge.identity({"n": n, "p": "common 0.8" if k == 0 else "non-identical"},
                             th.linear_unit_mean(w, I, p),
                             Estimate.exact(e["ES"], "enumeration", e["n_subnetworks"]))
    n = 400
    w, I, p = rng.standard_normal((1, n)), rng.standard_normal(n), rng.uniform(0.1, 0.9, n)
    est = sim.estimate_layer_moments(w, I, p, n=ctx.budget(200_000, 4_000), rng=ctx.stream())
    yield judge.identity({"n": n, "method": "monte carlo"}, th.linear_unit_mean(w[0], I, p),
                         est["mean"][0])


@CATALOG.explorer("eq7_8.linear_unit_mean", p=(0.7, 0.0, 1.0), a=(1.0, 0.05, 8.0))
def _explore_eq7_8(ctx: Context, p: float, a: float) -> Point:
    """E(S) = Σ w_ip_iI_i (Eq. 7–8) for a fixed linear unit with 12 inputs
    (:func:`~._explore.fixed_unit`, weights scaled by a), input i kept with probability
    p_i = p·(0.55 + 0.45·i/11): exact by enumeration of the 2^12 subnetworks, and the Monte
    Carlo mean of 200,000 dropout draws at standard precision. A point takes about 20 ms at
    standard precision."""
    w, I = fixed_unit(12, 7)
    pi = p * (0.55 + 0.45 * np.arange(12) / 11)
    e = sim.enumerate_logistic_unit(a * w, I, pi)
    est = sim.estimate_layer_moments((a * w)[None], I, pi, n=ctx.budget(200_000, 4_000),
                                     rng=ctx.stream())
    return Point.identity(th.linear_unit_mean(a * w, I, pi), exact=e["ES"], mc=est["mean"][0])


@CATALOG.claim(
    "eq9_11.bias_mean_variance", label="Eq. 9, Eq. 10, Eq. 11", kind=Kind.IDENTITY,
    statement="For S = Σ w_iδ_iI_i + bδ_b, E(S) = Σ w_ip_iI_i + bp_b and Var(S) = "
              "Σ w_i²p_iq_iI_i² + b²p_bq_b.")
def eq9_11(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration with the gated bias as one more selector (random n ≤ 15, p_i, b, p_b,
    and the always-present bias p_b = 1), and Monte Carlo of a wide affine unit (n = 300)."""
    for k in range(4):
        n = int(rng.integers(1, 16))
        w, I, p = rng.standard_normal(n), rng.standard_normal(n), rng.uniform(0.05, 0.95, n)
        b, pb = float(rng.normal() * 3), (1.0 if k == 0 else float(rng.uniform(0.1, 0.9)))
        e = sim.enumerate_logistic_unit(np.append(w, b), np.append(I, 1.0), np.append(p, pb))
        prm = {"n": n, "b": b, "pb": pb}
        yield judge.identity({**prm, "moment": "mean"}, th.linear_unit_mean(w, I, p, b, pb),
                             Estimate.exact(e["ES"], "enumeration", e["n_subnetworks"]))
        # the enumerated Var(S) is E(S²) − E(S)²: the tolerance is relative to E(S²)
        yield judge.identity({**prm, "moment": "var"}, th.linear_unit_var(w, I, p, b, pb),
                             Estimate.exact(e["VarS"], "enumeration", e["n_subnetworks"]),
                             scale=e["VarS"] + e["ES"] ** 2)
    n = 300
    w, I, p = rng.standard_normal((1, n)) / 5, rng.standard_normal(n), rng.uniform(0.1, 0.9, n)
    b, pb = 2.0, 0.3
    est = sim.estimate_layer_moments(w, I, p, b=[b], pb=pb, n=ctx.budget(200_000, 4_000),
                                     rng=ctx.stream())
    yield judge.identity({"n": n, "moment": "mean", "method": "monte carlo"},
                         th.linear_unit_mean(w[0], I, p, b, pb), est["mean"][0])
    yield judge.identity({"n": n, "moment": "var", "method": "monte carlo"},
                         th.linear_unit_var(w[0], I, p, b, pb), est["cov"][(0, 0)])


@CATALOG.explorer("eq9_11.bias_mean_variance", p=(0.7, 0.0, 1.0), pb=(0.5, 0.0, 1.0),
                  b=(2.0, -5.0, 5.0), moment=("variance", "mean"))
def _explore_eq9_11(ctx: Context, p: float, pb: float, b: float, moment: str) -> Point:
    """E(S) = Σ w_ip_iI_i + bp_b and Var(S) = Σ w_i²p_iq_iI_i² + b²p_bq_b (Eq. 9–11) for a
    fixed affine unit with 10 inputs (:func:`~._explore.fixed_unit`), inputs kept with
    probability p and the bias b with p_b: exact by enumeration (the gated bias as one more
    selector), and the Monte Carlo mean or variance of 200,000 draws at standard precision.
    A point takes about 20 ms at standard precision."""
    w, I = fixed_unit(10, 9)
    pi = np.full(10, p)
    e = sim.enumerate_logistic_unit(np.append(w, b), np.append(I, 1.0), np.append(pi, pb))
    est = sim.estimate_layer_moments(w[None], I, pi, b=[b], pb=pb, n=ctx.budget(200_000, 4_000),
                                     rng=ctx.stream())
    if moment == "mean":
        return Point.identity(th.linear_unit_mean(w, I, pi, b, pb), exact=e["ES"],
                              mc=est["mean"][0])
    return Point.identity(th.linear_unit_var(w, I, pi, b, pb), exact=e["VarS"],
                          mc=est["cov"][(0, 0)])


def _layer_net(W):
    k, n = W.shape
    N = n + k
    Wg = np.zeros((N, N))
    Wg[n:, :n] = W
    return th.LayeredNet(Wg, np.r_[np.zeros(n, int), np.ones(k, int)])


def _layer_cases(ctx, rng, per_connection: bool) -> Iterator[CaseResult]:
    for _ in range(4):
        k = int(rng.integers(1, 5))
        n = int(rng.integers(1, 22 // k if per_connection else 15))
        W, I = rng.standard_normal((k, n)), rng.standard_normal(n)
        net = _layer_net(W)
        if per_connection:
            P = rng.uniform(0.05, 0.95, (k, n))
            mean, cov = th.layer_connection_dropout_moments(W, I, P)
            Pg = np.zeros((n + k, n + k))
            Pg[n:, :n] = P
            e = sim.enumerate_network(net, I, p_edges=Pg)
        else:
            P = rng.uniform(0.05, 0.95, n)
            mean, cov = th.layer_unit_dropout_moments(W, I, P)
            e = sim.enumerate_network(net, I, p_units=np.r_[P, np.ones(k)])
        got_mean = e["ES"][n:]
        got_cov = e["ESS"][n:, n:] - np.outer(got_mean, got_mean)
        prm = {"k": k, "n": n, "subnetworks": e["n_subnetworks"]}
        yield judge.exact({**prm, "moment": "mean"}, mean, got_mean, method="enumeration",
                          n=e["n_subnetworks"])
        # Cov = E(SSᵀ) − E(S)E(S)ᵀ: the tolerance is relative to the terms it is built from
        yield judge.exact({**prm, "moment": "cov"}, cov, got_cov, method="enumeration",
                          n=e["n_subnetworks"], scale=float(np.max(np.abs(e["ESS"][n:, n:]))))
    # a wide layer by Monte Carlo
    k, n = 3, 200
    W, I = rng.standard_normal((k, n)) / 10, rng.standard_normal(n)
    P = rng.uniform(0.1, 0.9, (k, n) if per_connection else n)
    mean, cov = (th.layer_connection_dropout_moments if per_connection else
                 th.layer_unit_dropout_moments)(W, I, P)
    nmc = ctx.budget(160_000, 4_000)
    est = sim.estimate_layer_moments(W, I, P, per_connection=per_connection, n=nmc,
                                     rng=ctx.stream())
    keys = sorted(est["cov"])
    yield judge.identity_family({"k": k, "n": n, "moments": "means and covariances",
                                 "method": "monte carlo"},
                                list(mean) + [cov[a, b] for a, b in keys],
                                est["mean"] + [est["cov"][kk] for kk in keys])


@CATALOG.claim(
    "eq15_17.unit_dropout_layer", label="Eq. 13, Eq. 15, Eq. 16, Eq. 17", kind=Kind.IDENTITY,
    statement="With dropout on the inputs of a linear layer, E(S_i) = Σ_j w_ijp_jI_j, "
              "Var(S_i) = Σ_j w_ij²p_jq_jI_j² and Cov(S_i, S_l) = Σ_j w_ijw_ljp_jq_jI_j².")
def eq15_17(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration of all input masks for random k × n layers (means and the full
    covariance matrix), and a Monte Carlo χ² test of all means and covariances of a 3 × 200
    layer."""
    yield from _layer_cases(ctx, rng, per_connection=False)


def _explore_layer(ctx: Context, p: float, a: float, moment: str, per_connection: bool) -> Point:
    """The moments of a fixed linear layer of 3 units with 5 inputs (weights N(0, 1)·a and
    inputs N(0, 1), seed 15), every input (``per_connection``: every connection) kept with
    probability p: ``moment`` of S_1 (or of S_1, S_2) by the closed form (Eq. 15–17, resp.
    18–20), by enumeration of every mask and, for E(S_1) and Var(S_1), by Monte Carlo
    (160,000 draws at standard precision). The covariance is compared as E(S_1S_2) =
    E(S_1)E(S_2) + Cov(S_1, S_2), a quantity of the size of its terms (a covariance of 0
    leaves nothing to scale a tolerance by)."""
    rng = np.random.default_rng(15)
    W, I = a * rng.standard_normal((3, 5)), rng.standard_normal(5)
    P = np.full((3, 5) if per_connection else 5, p)
    mean, cov = (th.layer_connection_dropout_moments if per_connection
                 else th.layer_unit_dropout_moments)(W, I, P)
    net = _layer_net(W)
    if per_connection:
        Pg = np.zeros((8, 8))
        Pg[5:, :5] = P
        e = sim.enumerate_network(net, I, p_edges=Pg)
    else:
        e = sim.enumerate_network(net, I, p_units=np.r_[P, np.ones(3)])
    est = sim.estimate_layer_moments(W, I, P, per_connection=per_connection,
                                     n=ctx.budget(160_000, 4_000), rng=ctx.stream())
    ES = e["ES"][5:]
    C = e["ESS"][5:, 5:] - np.outer(ES, ES)
    if moment == "E(S_1)":
        return Point.identity(float(mean[0]), exact=float(ES[0]), mc=est["mean"][0])
    if moment == "Var(S_1)":
        return Point.identity(float(cov[0, 0]), exact=float(C[0, 0]), mc=est["cov"][(0, 0)])
    return Point.identity(float(mean[0] * mean[1] + cov[0, 1]), exact=float(e["ESS"][5, 6]))


@CATALOG.explorer("eq15_17.unit_dropout_layer", p=(0.7, 0.05, 1.0), a=(1.0, 0.05, 4.0),
                  moment=("E(S_1S_2)", "Var(S_1)", "E(S_1)"))
def _explore_eq15_17(ctx: Context, p: float, a: float, moment: str) -> Point:
    """Eq. 15–17 for a fixed linear layer of 3 units with 5 inputs under input dropout (keep
    probability p, weights scaled by a): the closed form of E(S_1), Var(S_1) or
    E(S_1S_2) = E(S_1)E(S_2) + Cov(S_1, S_2) against enumeration of the 2^5 input masks and
    Monte Carlo (160,000 draws at standard precision; :func:`_explore_layer`). A point takes
    about 20 ms at standard precision."""
    return _explore_layer(ctx, p, a, moment, per_connection=False)


@CATALOG.claim(
    "eq18_20.connection_dropout_layer", label="Eq. 14, Eq. 18, Eq. 19, Eq. 20", kind=Kind.IDENTITY,
    statement="With dropout on the connections of a linear layer, E(S_i) = Σ_j w_ijp_ijI_j, "
              "Var(S_i) = Σ_j w_ij²p_ijq_ijI_j² and Cov(S_i, S_l) = 0.")
def eq18_20(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration of all connection masks (≤ 21 connections) for random layers, and a
    Monte Carlo χ² test of means and covariances (zero off the diagonal) of a 3 × 200 layer."""
    yield from _layer_cases(ctx, rng, per_connection=True)


@CATALOG.explorer("eq18_20.connection_dropout_layer", p=(0.7, 0.05, 1.0), a=(1.0, 0.05, 4.0),
                  moment=("E(S_1S_2)", "Var(S_1)", "E(S_1)"))
def _explore_eq18_20(ctx: Context, p: float, a: float, moment: str) -> Point:
    """Eq. 18–20 for a fixed linear layer of 3 units with 5 inputs under connection dropout
    (keep probability p, weights scaled by a): the closed form of E(S_1), Var(S_1) or
    E(S_1S_2) = E(S_1)E(S_2) (Cov(S_1, S_2) = 0) against enumeration of the 2^15 connection
    masks and Monte Carlo (160,000 draws at standard precision; :func:`_explore_layer`). A
    point takes about 30 ms at standard precision."""
    return _explore_layer(ctx, p, a, moment, per_connection=True)


# -- Sec. 2.2, after Eq. 6 and Sec. 2.3, after Eq. 20: independence of the selectors ---------


def _pairwise_law(rng, n: int, triple=None):
    """Random keep probabilities and a pairwise but not globally independent law of n
    selectors (:func:`th.pairwise_independent_law`, |ε| = 0.9 of its largest value)."""
    p = rng.uniform(0.2, 0.8, n)
    triple = tuple(int(k) for k in sorted(rng.choice(n, 3, replace=False))) if triple is None else triple
    eps = 0.9 * th.parity_eps_max(p, triple) * float(rng.choice([-1.0, 1.0]))
    masks, probs = th.pairwise_independent_law(p, eps, triple)
    return p, masks.astype(float), probs, triple, eps


def _law_moments(X, probs):
    """Mean vector and covariance matrix of the rows of X (one column per variable) under
    ``probs``, and the size of the second moments (for tolerances)."""
    X = np.atleast_2d(np.asarray(X, float).T).T
    m = probs @ X
    M2 = (X * probs[:, None]).T @ X
    return m, M2 - np.outer(m, m), float(np.max(np.abs(M2)))


def _pairwise_positive_cases(ctx) -> Iterator[CaseResult]:
    """Eq. 7–20 and NWGM(σ(S)) = σ(E(S)) under pairwise-only selectors, exact by enumeration."""
    rng = ctx.rng()  # the claim's second stream (its rng parameter is the first)
    for k in range(2):
        # a single affine unit (the bias gated by the last selector): Eq. 7, 10, 11
        n = int(rng.integers(4, 9))
        p, M, P, T, eps = _pairwise_law(rng, n + 1)
        w, I, b = rng.standard_normal(n), rng.standard_normal(n), float(rng.normal())
        S = M @ np.append(w * I, b)
        m, C, sz = _law_moments(S, P)
        prm = {"law": f"pairwise, triple {T}, eps {eps:.3g}", "n": n}
        yield judge.exact({**prm, "eq": "Eq. 7/10 mean"},
                          th.linear_unit_mean(w, I, p[:n], b, p[n]), m[0],
                          method="enumeration", n=P.size, scale=math.sqrt(sz))
        yield judge.exact({**prm, "eq": "Eq. 11 variance"},
                          th.linear_unit_var(w, I, p[:n], b, p[n]), C[0, 0],
                          method="enumeration", n=P.size, scale=sz)
        c, lam = _random_c_lam(rng)
        nw = th.weighted_means(th.logistic(S, c, lam), P)["NWGM"]
        yield judge.exact({**prm, "eq": "NWGM(σ(S)) = σ(E(S))", "c": c, "lam": lam},
                          float(th.logistic(m[0], c, lam)), nw, method="enumeration",
                          n=P.size, rtol=1e-9)
        # a layer with dropout on its inputs: Eq. 15–17
        kk, n = 3, int(rng.integers(4, 9))
        p, M, P, T, eps = _pairwise_law(rng, n)
        W, I = rng.standard_normal((kk, n)), rng.standard_normal(n)
        m, C, sz = _law_moments((M * I) @ W.T, P)
        mean, cov = th.layer_unit_dropout_moments(W, I, p)
        prm = {"law": f"pairwise, triple {T}, eps {eps:.3g}", "k": kk, "n": n}
        yield judge.exact({**prm, "eq": "Eq. 15–17 (unit dropout)"}, np.r_[mean, cov.ravel()],
                          np.r_[m, C.ravel()], method="enumeration", n=P.size, scale=sz)
        # a layer with dropout on its connections (2 × n, the triple across both rows): Eq. 18–20
        n = int(rng.integers(3, 6))
        T = (0, 1, n) if k == 0 else (0, n, n + 1)
        p, M, P, T, eps = _pairwise_law(rng, 2 * n, T)
        W, I = rng.standard_normal((2, n)), rng.standard_normal(n)
        G = M.reshape(-1, 2, n)
        m, C, sz = _law_moments(np.einsum("ij,kij->ki", W * I, G), P)
        mean, cov = th.layer_connection_dropout_moments(W, I, p.reshape(2, n))
        prm = {"law": f"pairwise, triple {T}, eps {eps:.3g}", "k": 2, "n": n}
        yield judge.exact({**prm, "eq": "Eq. 18–20 (connection dropout)"},
                          np.r_[mean, cov.ravel()], np.r_[m, C.ravel()], method="enumeration",
                          n=P.size, scale=sz)
    # a two-layer net (gated inputs and hidden units): every path carries two gates, Eq. 24
    net = th.random_layered_net(rng, [3, 3, 1], skip_prob=0.0)
    I = rng.standard_normal(3)
    p, M, P, T, eps = _pairwise_law(rng, 6, (0, 3, 4))
    Mu = np.c_[M, np.ones(P.size)]
    ES = P @ sim.deep_linear_sums_for_masks(net, I, Mu)
    yield judge.exact({"law": f"pairwise, triple {T}, eps {eps:.3g}", "widths": "3-3-1",
                       "eq": "Eq. 24, paths of two gates"},
                      th.deep_linear_mean_units(net, I, np.r_[p, 1.0])[-1], ES[-1],
                      method="enumeration", n=P.size,
                      scale=float(np.abs(net.W[-1]) @ np.abs(net.W) @ np.r_[np.abs(I), np.zeros(4)]))


def _pairwise_failures(rng) -> Iterator[dict]:
    """Where pairwise independence is not enough: (a) Eq. 24 along a chain input → h1 → h2 →
    output whose three gates form the parity triple (E(S_out) = w w w I E(δδδ) ≠ w w w I ppp);
    (b) the joint law of S_1, S_2 under connection dropout with the triple across both rows
    (pairwise-uncorrelated but dependent). Each with the claimed value, the value under the
    law, and the size of the terms."""
    W = np.zeros((4, 4))
    W[1, 0], W[2, 1], W[3, 2] = rng.uniform(0.5, 2, 3) * rng.choice([-1, 1], 3)
    net = th.LayeredNet(W, np.arange(4))
    I = np.array([float(rng.uniform(0.5, 2))])
    p, M, P, T, eps = _pairwise_law(rng, 3, (0, 1, 2))
    S = sim.deep_linear_sums_for_masks(net, I, np.c_[M, np.ones(P.size)])
    claimed = float(th.deep_linear_mean_units(net, I, np.r_[p, 1.0])[-1])
    yield {"what": "Eq. 24 on a chain of three gated units", "eps": eps, "claimed": claimed,
           "value": float(P @ S[:, -1]), "scale": abs(W[3, 2] * W[2, 1] * W[1, 0] * I[0]),
           "n": P.size,
           "detail": f"E(S_out) = {float(P @ S[:, -1]):.6g} under a pairwise-independent law "
                     f"(E(δ1δ2δ3) = p1p2p3 − ε, ε = {eps:.3g}) vs Eq. 24's {claimed:.6g}"}
    # joint law of (S_1, S_2): S_1 = w_11δ_11I_1 + w_12δ_12I_2, S_2 = w_21δ_21I_1, triple
    # (δ_11, δ_12, δ_21)
    p, M, P, T, eps = _pairwise_law(rng, 3, (0, 1, 2))
    w = rng.uniform(0.5, 2, 3)
    s1 = (M[:, :2] @ w[:2]).round(12)
    s2 = (M[:, 2] * w[2]).round(12)
    joint, prod = _joint_and_product(s1, s2, P)
    yield {"what": "independence of S_1 and S_2 under connection dropout", "eps": eps,
           "claimed": prod, "value": joint, "scale": 1.0, "n": P.size,
           "detail": "the joint law of (S_1, S_2) differs from the product of its marginals "
                     "(Cov(S_1, S_2) = 0 still holds)"}


def _joint_and_product(a, b, probs):
    """Joint probability table of the values of a and b under ``probs`` and the product of its
    marginals (rows: the distinct values of a; columns: those of b)."""
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    J = np.zeros((ia.max() + 1, ib.max() + 1))
    np.add.at(J, (ia, ib), probs)
    return J, np.outer(J.sum(axis=1), J.sum(axis=0))


@CATALOG.claim(
    "sec2_2.pairwise_independence", label="Sec. 2.2 (after Eq. 6)", kind=Kind.IDENTITY,
    statement="Pairwise independence of the Bernoulli selector variables, as opposed to global "
              "independence, is sufficient for all the results presented.",
    note="Pairwise independence suffices for the means, variances and covariances of Eq. 7–20 "
         "and for NWGM(σ(S)) = σ(E(S)), but not for Eq. 24 along a chain of three gated units "
         "(e.g. E(S_out) = −0.170 under a pairwise-independent law against Eq. 24's −0.105) nor "
         "for Sec. 2.3's \"entirely independent\" sums; E(σ(S)) moves by about 0.01. See "
         "sec2_2.pairwise_independence_corrected.")
def sec2_2_pairwise(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Laws of the selectors that are pairwise but not globally independent (the product law
    plus a parity term on three selectors, :func:`th.pairwise_independent_law`; the XOR triple
    for p = ½), every mask enumerated. Under them the first and second moments of a linear unit
    and layer (Eq. 7, 10, 11, 15–20) and NWGM(σ(S)) = σ(E(S)) hold exactly, and so does Eq. 24
    for paths of two gates. But Eq. 24 fails on a chain of three gated units (E(δ_1δ_2δ_3) =
    p_1p_2p_3 − ε), and the "entirely independent" S_i, S_l of Sec. 2.3 become dependent: the
    statement is REFUTED. The mean logistic output E(σ(S)) also changes with the law beyond its
    pairwise marginals (a measurement)."""
    yield from _pairwise_positive_cases(ctx)
    for f in _pairwise_failures(rng):
        yield judge.exact({"what": f["what"], "law": f"pairwise, eps {f['eps']:.3g}"},
                          f["claimed"], f["value"], method="enumeration", n=f["n"],
                          scale=f["scale"], detail=f["detail"])
    E_pw, E_ind, T, eps, n_law = _logistic_mean_two_laws(rng)
    yield judge.holds({"what": "E(σ(S)) pairwise vs independent", "triple": T, "eps": eps}, True,
                      theory=E_ind, estimate=Estimate.exact(E_pw, "enumeration", n_law),
                      detail=f"E(O) = {E_pw:.6f} under the pairwise law, {E_ind:.6f} under "
                             "independence", role="measurement")


def _logistic_mean_two_laws(rng):
    """E(σ(S)) of a logistic unit (5 inputs) under a pairwise-only law of its selectors and under
    the independent law with the same marginals: (pairwise, independent, triple, ε, masks)."""
    n = 5
    p, M, P, T, eps = _pairwise_law(rng, n, (0, 1, 2))
    w = rng.uniform(1, 3, n) * 2 * rng.choice([-1.0, 1.0], n)
    _, P0 = _enum.enumerate_masks(n, p)
    O = th.logistic(M @ w - 0.5 * float(np.sum(w * p)))
    return float(P @ O), float(P0 @ O), T, eps, P.size


@CATALOG.claim(
    "sec2_2.pairwise_independence_corrected", label="Sec. 2.2 (after Eq. 6)", kind=Kind.IDENTITY,
    as_printed=False, corrects="sec2_2.pairwise_independence", fix="scope",
    statement="Pairwise independence of the selectors suffices for the means, variances and "
              "covariances of a linear unit and a linear layer (Eq. 7–20) and for NWGM(σ(S)) = "
              "σ(E(S)), and for Eq. 24 when every path carries at most two gates; it does not "
              "suffice for Eq. 24 along paths of three gates, for the independence of S_i and "
              "S_l under connection dropout, nor for the mean output E(σ(S)) of a logistic unit.")
def sec2_2_pairwise_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The positive cases of the printed claim (exact by enumeration under pairwise-only laws),
    and the three failures as evidence that more than pairwise independence is needed there:
    each must differ from the claimed value (for E(σ(S)): from its value under independence)
    by more than 1e-6 of the size of its terms (the differences are ε-sized, ε ≥ 0.9·min(p,
    q)³ ≈ 0.007)."""
    yield from _pairwise_positive_cases(ctx)
    for f in _pairwise_failures(rng):
        diff = float(np.max(np.abs(np.asarray(f["value"]) - np.asarray(f["claimed"]))))
        yield judge.holds({"what": f["what"] + " needs more than pairwise independence",
                           "eps": f["eps"]},
                          lambda diff=diff, s=f["scale"]: ctx.ge(diff, 1e-6 * s, scale=s),
                          theory=1e-6 * f["scale"],
                          estimate=Estimate.exact(diff, "enumeration", f["n"]),
                          detail=f"max |value − claimed| = {diff:.4g} under the pairwise law")
    E_pw, E_ind, T, eps, n_law = _logistic_mean_two_laws(rng)
    diff = abs(E_pw - E_ind)
    yield judge.holds({"what": "E(σ(S)) depends on more than the pairwise law", "eps": eps},
                      lambda: ctx.ge(diff, 1e-6, scale=1.0), theory=1e-6,
                      estimate=Estimate.exact(diff, "enumeration", n_law),
                      detail=f"E(O) = {E_pw:.6f} under the pairwise law, {E_ind:.6f} under "
                             "independence (same pairwise marginals)")


def _pairwise_chain(p: float, f: float, what: str):
    """Three selectors of keep probability p under a pairwise but not globally independent
    law (the product law plus the parity term ε = f·ε_max on them,
    :func:`th.pairwise_independent_law`): on a chain input → a → b → out (weights 1.2, −0.8,
    1.5, input 1) whose three gates they are, E(S_out) by Eq. 24 and under the law; or the
    mean and variance of an affine unit S = Σ w_iδ_iI_i with them (Eq. 7, 11)."""
    pv = np.full(3, p)
    eps = f * th.parity_eps_max(pv, (0, 1, 2))
    masks, probs = th.pairwise_independent_law(pv, eps, (0, 1, 2))
    M = masks.astype(float)
    if what == "Eq. 24, three gates":
        W = np.zeros((4, 4))
        W[1, 0], W[2, 1], W[3, 2] = 1.2, -0.8, 1.5
        net = th.LayeredNet(W, np.arange(4))
        S = sim.deep_linear_sums_for_masks(net, np.array([1.0]), np.c_[M, np.ones(probs.size)])
        return (float(th.deep_linear_mean_units(net, np.array([1.0]), np.r_[pv, 1.0])[-1]),
                float(probs @ S[:, -1]))
    w, I = np.array([1.2, -0.8, 1.5]), np.array([0.7, 1.1, -0.4])
    S = M @ (w * I)
    m = float(probs @ S)
    if what == "Eq. 7, mean":
        return th.linear_unit_mean(w, I, pv), m
    return th.linear_unit_var(w, I, pv), float(probs @ (S - m) ** 2)


@CATALOG.explorer("sec2_2.pairwise_independence", p=(0.5, 0.1, 0.9), f=(0.9, -1.0, 1.0),
                  what=("Eq. 24, three gates", "Eq. 7, mean", "Eq. 11, variance"))
@CATALOG.explorer("sec2_2.pairwise_independence_corrected", p=(0.5, 0.1, 0.9),
                  f=(0.9, -1.0, 1.0), what=("Eq. 24, three gates", "Eq. 7, mean",
                                            "Eq. 11, variance"))
def _explore_pairwise(ctx: Context, p: float, f: float, what: str) -> Point:
    """Pairwise independence of three selectors (keep probability p, the parity term ε a
    fraction f of its largest value; f = 0: independent), every mask enumerated: Eq. 24 on a
    chain of three gated units, or Eq. 7's mean and Eq. 11's variance of an affine unit, the
    closed form against the value under the law. Eq. 7 and 11 hold for every f; Eq. 24 along
    three gates fails for f ≠ 0 (E(δ_1δ_2δ_3) = p³ − ε), where the correction
    (sec2_2.pairwise_independence_corrected) makes no claim (NaN). A point takes about
    2 ms."""
    printed, exact = _pairwise_chain(p, f, what)
    return Point.identity(printed, exact=exact,
                          correction=math.nan if what.startswith("Eq. 24") else printed)


@CATALOG.claim(
    "sec2_3.connection_independence", label="Sec. 2.3 (after Eq. 20)", kind=Kind.IDENTITY,
    statement="When dropout is applied to the connections of a linear layer, S_i and S_l are "
              "entirely independent (not only uncorrelated).")
def sec2_3_independence(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Random k × n layers (k ≤ 3, k·n ≤ 14) with independent connection selectors, every mask
    enumerated: the joint law of (S_i, S_l) for every pair equals the product of its marginals
    (exact, over all pairs of values). Under dropout on the input units (shared selectors) the
    same layers give dependent sums (a measurement, showing the comparison can tell)."""
    for _ in range(4):
        k = int(rng.integers(2, 4))
        n = int(rng.integers(2, 14 // k + 1))
        W, I = rng.standard_normal((k, n)), rng.standard_normal(n)
        P = rng.uniform(0.1, 0.9, (k, n))
        masks, probs = _enum.enumerate_masks(k * n, P.ravel())
        S = np.einsum("ij,kij->ki", W * I, masks.reshape(-1, k, n).astype(float)).round(12)
        mu, pu = _enum.enumerate_masks(n, P[0])
        Su = ((mu * I) @ W.T).round(12)
        for i in range(k):
            for l in range(i + 1, k):
                J, Pr = _joint_and_product(S[:, i], S[:, l], probs)
                yield judge.exact({"k": k, "n": n, "pair": (i, l), "values": J.shape}, Pr, J,
                                  method="enumeration", n=probs.size, scale=1.0)
                Ju, Pu = _joint_and_product(Su[:, i], Su[:, l], pu)
                dep = float(np.max(np.abs(Ju - Pu)))
                yield judge.holds({"k": k, "n": n, "pair": (i, l), "dropout": "input units"},
                                  True, estimate=Estimate.exact(dep, "enumeration", pu.size),
                                  detail=f"unit dropout: max |joint − product| = {dep:.3g}",
                                  role="measurement")


@CATALOG.explorer("sec2_3.connection_independence", p=(0.6, 0.05, 0.95),
                  dropout=("connections", "input units"))
def _explore_sec2_3(ctx: Context, p: float, dropout: str) -> Point:
    """Independence of S_1 and S_2 of a fixed linear layer of 2 units with 4 inputs (weights
    and inputs N(0, 1), seed 23), every connection (or, for contrast, every input unit) kept
    with probability p: P(S_1 > 0, S_2 > 0) against P(S_1 > 0)P(S_2 > 0), both by enumeration
    of every mask. Under connection dropout the joint law factorises; under input dropout
    (shared gates) it does not. A point takes about 2 ms."""
    rng = np.random.default_rng(23)
    W, I = rng.standard_normal((2, 4)), rng.standard_normal(4)
    if dropout == "connections":
        masks, probs = _enum.enumerate_masks(8, np.full(8, p))
        S = np.einsum("ij,kij->ki", W * I, masks.reshape(-1, 2, 4).astype(float))
    else:
        masks, probs = _enum.enumerate_masks(4, np.full(4, p))
        S = (masks * I) @ W.T
    a, b = S[:, 0] > 1e-12, S[:, 1] > 1e-12
    return Point.identity(float(probs @ a) * float(probs @ b), exact=float(probs @ (a & b)))


# ------------------------------------------------------------------------------------------
# Section 3: deep linear networks
# ------------------------------------------------------------------------------------------


def _deep_cases(ctx, rng, mode: str, theory_fn, *, moments: bool) -> Iterator[CaseResult]:
    """Random layered nets (with and without skip connections) enumerated exactly, and a
    wide deep net by Monte Carlo (``rng``: the claim's first stream)."""
    for _ in range(5):
        if mode == "units":
            net, ws, sp = _random_net(rng, 14)
            p = rng.uniform(0.1, 0.95, net.n_units)
            I = rng.standard_normal(net.n_in)
            e = sim.enumerate_network(net, I, p_units=p)
        else:
            net, ws, sp = _random_net(rng, 30)
            mask = (net.W != 0) & (rng.random(net.W.shape) < min(1.0, 16 / max(1, np.sum(net.W != 0))))
            net = th.LayeredNet(np.where(mask, net.W, 0.0), net.layer)
            p = rng.uniform(0.1, 0.95, (net.n_units, net.n_units))
            I = rng.standard_normal(net.n_in)
            e = sim.enumerate_network(net, I, p_edges=p)
        prm = {"widths": ws, "skip_prob": sp, "subnetworks": e["n_subnetworks"]}
        if moments:
            M = theory_fn(net, I, p)
            yield judge.exact({**prm, "moment": "E(S_i S_k), all pairs"}, M, e["ESS"],
                              method="enumeration", n=e["n_subnetworks"])
        else:
            yield judge.exact({**prm, "moment": "E(S_i), all units"}, theory_fn(net, I, p),
                              e["ES"], method="enumeration", n=e["n_subnetworks"])
    # wide and deep, Monte Carlo
    ws = [int(rng.integers(8, 20)) for _ in range(int(rng.integers(3, 6)))]
    net = th.random_layered_net(rng, ws, skip_prob=0.2)
    I = rng.standard_normal(net.n_in)
    nmc = ctx.budget(64_000, 2_000)
    if mode == "units":
        p = rng.uniform(0.3, 0.95, net.n_units)
        est = sim.estimate_network_moments(net, I, p_units=p, n=nmc, rng=ctx.stream())
    else:
        p = rng.uniform(0.3, 0.95, (net.n_units, net.n_units))
        est = sim.estimate_network_moments(net, I, p_edges=p, n=nmc, rng=ctx.stream())
    prm = {"widths": ws, "method": "monte carlo"}
    if moments:
        M = theory_fn(net, I, p)
        m_th = (th.deep_linear_mean_units if mode == "units" else th.deep_linear_mean_connections)(net, I, p)
        C = th.covariance_from_moments(m_th, M)
        keys = sorted(est["cov"])
        yield judge.identity_family({**prm, "moment": "Cov of the output layer"},
                                    [C[a, b] for a, b in keys],
                                    [est["cov"][kk] for kk in keys])
    else:
        idx = np.arange(net.n_in, net.n_units)
        yield judge.identity_family({**prm, "moment": "E(S_i), all hidden and output units"},
                                    theory_fn(net, I, p)[idx], [est["ES"][i] for i in idx])


@CATALOG.claim(
    "eq24.deep_mean_units", label="Eq. 22, Eq. 24", kind=Kind.IDENTITY,
    statement="With dropout on the units of a deep linear network, E(S_i^h) = "
              "Σ_{l<h}Σ_j w_ij^{hl} p_j^l E(S_j^l), E(S_j^0) = I_j (forward propagation with "
              "scaled weights).")
def eq24(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration of every unit mask of random layered DAGs (depth 2–4, with and without
    skip connections, non-identical p), and a Monte Carlo χ² test over all units of a wide
    network of 3–5 layers of width 8–19."""
    yield from _deep_cases(ctx, rng, "units", th.deep_linear_mean_units, moments=False)


@CATALOG.claim(
    "eq26.deep_mean_connections", label="Eq. 23, Eq. 26", kind=Kind.IDENTITY,
    statement="With dropout on the connections of a deep linear network, E(S_i^h) = "
              "Σ_{l<h}Σ_j p_ij^{hl} w_ij^{hl} E(S_j^l).")
def eq26(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration of every connection mask (≤ 22 random connections) of random layered
    DAGs, and a Monte Carlo χ² test over all units of a wide network."""
    yield from _deep_cases(ctx, rng, "connections", th.deep_linear_mean_connections, moments=False)


#: the fixed layered nets of the Section 3 explorers (units: widths 3-3-3-1, connections:
#: 2-2-2-1, skip connections with probability 0.4)
def _section3_net(gates: str):
    rng = np.random.default_rng(24 if gates == "units" else 26)
    net = th.random_layered_net(rng, [3, 3, 3, 1] if gates == "units" else [2, 2, 2, 1],
                                skip_prob=0.4)
    return net, rng.standard_normal(net.n_in)


@CATALOG.explorer("eq24.deep_mean_units", p=(0.7, 0.05, 1.0), s=(1.0, 0.05, 4.0))
def _explore_eq24(ctx: Context, p: float, s: float) -> Point:
    """E(S) of the output of a fixed deep linear net (widths 3-3-3-1, skip connections,
    weights scaled by s), every unit kept with probability p: Eq. 24's forward propagation
    with weights scaled by p against enumeration of every unit mask. A point takes about
    3 ms."""
    net, I = _section3_net("units")
    net = th.LayeredNet(net.W * s, net.layer)
    e = sim.enumerate_network(net, I, p_units=p)
    return Point.identity(float(th.deep_linear_mean_units(net, I, np.full(net.n_units, p))[-1]),
                          exact=float(e["ES"][-1]))


@CATALOG.explorer("eq26.deep_mean_connections", p=(0.7, 0.05, 1.0), s=(1.0, 0.05, 4.0))
def _explore_eq26(ctx: Context, p: float, s: float) -> Point:
    """E(S) of the output of a fixed deep linear net (widths 2-2-2-1, skip connections,
    weights scaled by s), every connection kept with probability p: Eq. 26 against
    enumeration of every connection mask. A point takes about 3 ms."""
    net, I = _section3_net("connections")
    net = th.LayeredNet(net.W * s, net.layer)
    P = np.full((net.n_units, net.n_units), p)
    e = sim.enumerate_network(net, I, p_edges=P)
    return Point.identity(float(th.deep_linear_mean_connections(net, I, P)[-1]),
                          exact=float(e["ES"][-1]))


@CATALOG.claim(
    "eq25.second_moments", label="Eq. 25", kind=Kind.IDENTITY,
    statement="Under unit dropout, E(S_i^h S_i'^h') = Σ_{l<h}Σ_{l'<h'}Σ_jΣ_j' w_ij^{hl} "
              "w_i'j'^{h'l'} E(δ_j^lδ_j'^{l'}) E(S_j^l S_j'^{l'}) with E(δδ') = pp' (j ≠ j') or "
              "p, computed recursively for all pairs of units from the input layer up.",
    note="As printed the recursion assumes δ_jδ_j' independent of S_jS_j', which fails when "
         "one of j, j' is an ancestor of the other (pairs in different layers, or skip "
         "connections): there it gives wrong second moments. See eq25.second_moments_exact.")
def eq25(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Eq. 25 applied literally to every pair of units against exact enumeration. Smallest
    case, a chain I → a → b with weights w1, w2: truly E(S_bS_a) = w2p_a E(S_a²) =
    w2w1²p_ap_I I², Eq. 25 gives w2w1²p_ap_I² I². Cases: that chain, strictly layered random
    nets, and nets with skip connections."""
    W = np.zeros((3, 3))
    W[1, 0], W[2, 1] = 1.5, -0.7
    chain = th.LayeredNet(W, np.array([0, 1, 2]))
    p = np.array([0.5, 0.8, 1.0])
    e = sim.enumerate_network(chain, [1.0], p_units=p)
    M = th.deep_linear_second_moments_eq25(chain, [1.0], p)
    yield judge.exact({"net": "chain I→a→b", "w": [1.5, -0.7], "p": [0.5, 0.8], "pair": "(b, a)"},
                      e["ESS"][2, 1], M[2, 1], method="enumeration", n=4,
                      detail=f"chain I = 1: enumeration E(S_bS_a) = {e['ESS'][2, 1]:.6g} "
                             f"(= w2w1²p_ap_I), Eq. 25 gives {M[2, 1]:.6g} (= w2w1²p_ap_I²)")
    for sp in (0.0, 0.0, 0.5, 0.5):
        net, ws, _ = _random_net(rng, 14, skip_prob=sp)
        p = rng.uniform(0.1, 0.95, net.n_units)
        I = rng.standard_normal(net.n_in)
        e = sim.enumerate_network(net, I, p_units=p)
        M = th.deep_linear_second_moments_eq25(net, I, p)
        same = net.layer[:, None] == net.layer[None, :]
        yield judge.exact({"widths": ws, "skip_prob": sp, "pairs": "same layer"},
                          np.where(same, e["ESS"], 0), np.where(same, M, 0),
                          method="enumeration", n=e["n_subnetworks"])
        yield judge.exact({"widths": ws, "skip_prob": sp, "pairs": "all"}, e["ESS"], M,
                          method="enumeration", n=e["n_subnetworks"])


@CATALOG.claim(
    "eq25.second_moments_exact", label="Eq. 25", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq25.second_moments", fix="rewrite",
    statement="Exact recursion: with Y_j = δ_jS_j, E(Y_jY_k) = p_kΣ_j' w_kj' E(Y_jY_j') for j "
              "< k, E(Y_k²) = p_kE(S_k²), and E(SSᵀ) = W E(YYᵀ) Wᵀ.")
def eq25_exact(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: process units in topological order. The gate δ_k of unit k is independent
    of every sum and gate computed before k, so for any earlier unit j, E(Y_jY_k) =
    E(δ_k)E(Y_jS_k) = p_kΣ_j' w_kj'E(Y_jY_j'), and E(Y_k²) = E(δ_k²)E(S_k²) = p_kE(S_k²),
    with S_k = Σ_j' w_kj'Y_j'. Eq. 25 instead factors E(δ_jδ_j'S_jS_j') as E(δ_jδ_j')E(S_jS_j'),
    which is false when j' is an ancestor of j (S_j depends on δ_j'): then δ_j' enters twice
    and p_j' appears squared. Checked against enumeration (random DAGs with skip connections)
    and, for wide deep nets, against Monte Carlo covariances of the output layer."""
    yield from _deep_cases(ctx, rng, "units", th.deep_linear_second_moments_units, moments=True)


@CATALOG.explorer("eq25.second_moments", pI=(0.5, 0.05, 1.0), pa=(0.8, 0.05, 1.0))
@CATALOG.explorer("eq25.second_moments_exact", pI=(0.5, 0.05, 1.0), pa=(0.8, 0.05, 1.0))
def _explore_eq25(ctx: Context, pI: float, pa: float) -> Point:
    """E(S_bS_a) on the chain I → a → b (weights 1.5, −0.7, input 1; the claim's smallest
    case), the input kept with probability p_I and a with p_a: Eq. 25 as printed
    (w2w1²p_ap_I²) next to the exact recursion (eq25.second_moments_exact, w2w1²p_ap_I)
    against enumeration. The printed form is right at p_I = 1 only. A point takes about
    2 ms."""
    W = np.zeros((3, 3))
    W[1, 0], W[2, 1] = 1.5, -0.7
    chain = th.LayeredNet(W, np.array([0, 1, 2]))
    p = np.array([pI, pa, 1.0])
    e = sim.enumerate_network(chain, [1.0], p_units=p)
    exact_recursion = th.deep_linear_second_moments_units(chain, [1.0], p)[2, 1]
    return Point.identity(float(th.deep_linear_second_moments_eq25(chain, [1.0], p)[2, 1]),
                          exact=float(e["ESS"][2, 1]), correction=float(exact_recursion))


@CATALOG.claim(
    "sec3.connection_covariances", label="Section 3 (after Eq. 26)", kind=Kind.IDENTITY,
    statement="Under connection dropout all covariances can be computed recursively from the "
              "input to the output layer (E(S_iS_k) = Σ_j' p_kj'w_kj'E(S_iS_j') for i < k).")
def sec3_connection_cov(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The recursion (the gates into k are independent of all earlier sums) against exact
    enumeration of every connection mask and, for wide nets, Monte Carlo output covariances."""
    yield from _deep_cases(ctx, rng, "connections", th.deep_linear_second_moments_connections,
                           moments=True)


@CATALOG.explorer("sec3.connection_covariances", p=(0.7, 0.05, 1.0), s=(1.0, 0.05, 4.0))
def _explore_sec3_cov(ctx: Context, p: float, s: float) -> Point:
    """E(S_out S_out) of a fixed deep linear net (widths 2-2-2-1, skip connections, weights
    scaled by s), every connection kept with probability p: the recursion of Section 3
    (:func:`th.deep_linear_second_moments_connections`) against enumeration of every
    connection mask. A point takes about 3 ms."""
    net, I = _section3_net("connections")
    net = th.LayeredNet(net.W * s, net.layer)
    P = np.full((net.n_units, net.n_units), p)
    e = sim.enumerate_network(net, I, p_edges=P)
    return Point.identity(float(th.deep_linear_second_moments_connections(net, I, P)[-1, -1]),
                          exact=float(e["ESS"][-1, -1]))


def _skip_chain(gates: str = "units"):
    """x0 → a → b → i plus the skip connection x0 → i (weights 1, 1, 1.3 and 0.5), input 1.
    Unit dropout (``gates="units"``): keep probabilities 0.8 (x0), 0.7 (a), 0.9 (b), 1 (i);
    connection dropout (``"connections"``, an (N, N) matrix): 0.8 (x0 → a and x0 → i), 0.7
    (a → b), 0.9 (b → i). Layered by the shortest path from the input (Sec. 3), a and i are in
    layer 1 and b in layer 2, though b is an ancestor of i: E(S_i) = 0.4 + 0.728p_b, resp.
    0.4 + 0.728p_ib."""
    W = np.zeros((4, 4))
    W[1, 0], W[2, 1], W[3, 2], W[3, 0] = 1.0, 1.0, 1.3, 0.5
    net = th.LayeredNet(W, np.arange(4))
    if gates == "units":
        return net, np.array([1.0]), np.array([0.8, 0.7, 0.9, 1.0])
    P = np.zeros((4, 4))
    P[1, 0], P[3, 0], P[2, 1], P[3, 2] = 0.8, 0.8, 0.7, 0.9
    return net, np.array([1.0]), P


def _gated_net(rng: np.random.Generator, gates: str):
    """A random layered net with skip connections (skip_prob 0.4), its input and random keep
    probabilities in (0.1, 0.9): one per unit, or (connection dropout) one per entry of an
    (N, N) matrix, the net redrawn until it has at most 16 connections (every connection is
    a gate to enumerate)."""
    net, ws, _ = _random_net(rng, 12, skip_prob=0.4)
    if gates == "units":
        return f"widths {ws}", net, rng.standard_normal(net.n_in), rng.uniform(0.1, 0.9,
                                                                              net.n_units)
    while np.count_nonzero(net.W) > 16:
        net, ws, _ = _random_net(rng, 12, skip_prob=0.4)
    return (f"widths {ws}", net, rng.standard_normal(net.n_in),
            rng.uniform(0.1, 0.9, (net.n_units, net.n_units)))


def _enumerate_gated(net, I, p, gates: str) -> dict:
    """Every subnetwork of ``net`` under unit dropout (``p`` per unit) or connection dropout
    (``p`` per connection)."""
    return sim.enumerate_network(net, I, **{"p_units" if gates == "units" else "p_edges": p})


def _ancestor_cases(ctx: Context, rng: np.random.Generator, corrected: bool,
                    gates: str = "units") -> Iterator[CaseResult]:
    """Dropout on the units (``gates="units"``, Eq. 22) or on the connections
    (``"connections"``, Eq. 23) of the skip chain of :func:`_skip_chain` and of 3 random
    layered nets with skip connections (:func:`_gated_net`, ``rng``), every subnetwork
    enumerated, the layers those of the paper (th.shortest_path_layers: a skip connection can
    put an ancestor of i in a layer l ≥ h). For each non-input unit i, E(S_i) over the whole
    network against E(S_i) over the subnetwork induced by i (inputs, ancestors, i, and the
    connections among them). Then, as printed, for each layer h the keep probabilities of
    every gate of layers ≥ h redrawn (every unit of those layers, i's own gate included; for
    connections every connection out of a unit of those layers, the l of δ_ij^{hl} in Eq. 23)
    must leave E(S_i) of the units of layer h unchanged, and on the skip chain p_b (resp.
    p_ib, the connection b → i out of layer 2) from 0.9 to 0.2 must leave E(S_i) (layer 1)
    unchanged; corrected, for each unit i the keep probabilities of every gate but those of
    its ancestors (for connections: of every connection not into i or into an ancestor of i)
    redrawn must leave E(S_i) unchanged (the skip chain's p_b, resp. p_ib, is reported).
    Redrawn keep probabilities are uniform on (0.1, 0.9), from the claim's own stream; all
    comparisons exact."""
    units = gates == "units"
    redraw = ctx.rng()
    nets = [("skip chain x0→a→b→i, x0→i", *_skip_chain(gates))]
    for _ in range(3):
        nets.append(_gated_net(rng, gates))
    for name, net, I, p in nets:
        N = net.n_units
        layer = th.shortest_path_layers(net)
        full = _enumerate_gated(net, I, p, gates)["ES"]
        absnet = th.LayeredNet(np.abs(net.W), net.layer)
        scale = th.deep_linear_mean_units(absnet, np.abs(I), np.ones(N))
        for i in range(net.n_in, N):
            sub, keep = th.induced_subnet(net, i)
            e = _enumerate_gated(sub, I, p[keep] if units else p[np.ix_(keep, keep)], gates)
            prm = {"net": name, "unit": i, "layer": int(layer[i]),
                   "ancestors": int(keep.size - net.n_in - 1)}
            yield judge.exact({**prm, "vs": "induced subnetwork"}, full[i], e["ES"][-1],
                              method="enumeration", n=e["n_subnetworks"], scale=scale[i])
            if corrected:
                p2 = p.copy()
                if units:
                    other = np.setdiff1d(np.arange(N), th.ancestors(net, i))
                    p2[other] = redraw.uniform(0.1, 0.9, other.size)
                    vs, redrawn = "gates of every non-ancestor redrawn", other.size
                else:
                    other = np.setdiff1d(np.arange(N), np.append(th.ancestors(net, i), i))
                    p2[other] = redraw.uniform(0.1, 0.9, (other.size, N))
                    vs = "gates of every connection not into i or an ancestor redrawn"
                    redrawn = np.count_nonzero(net.W[other])
                moved = _enumerate_gated(net, I, p2, gates)["ES"][i]
                yield judge.exact({**prm, "vs": vs, "redrawn": int(redrawn)}, full[i], moved,
                                  method="enumeration", scale=scale[i])
        if not corrected:
            for h in range(1, int(layer.max()) + 1):
                idx = np.flatnonzero(layer == h)
                if units:
                    p2 = np.where(layer >= h, redraw.uniform(0.1, 0.9, N), p)
                    vs = "gates of layers >= h redrawn"
                else:
                    p2 = np.where(layer[None, :] >= h, redraw.uniform(0.1, 0.9, (N, N)), p)
                    vs = "gates of connections out of layers >= h redrawn"
                moved = _enumerate_gated(net, I, p2, gates)["ES"][idx]
                yield judge.exact({"net": name, "layer": h, "vs": vs}, full[idx], moved,
                                  method="enumeration", scale=float(np.max(scale[idx])))
    net, I, p = _skip_chain(gates)
    gate, what = (2, "p_b") if units else ((3, 2), "p_ib")
    es = []
    for pb in (0.9, 0.2):
        p2 = p.copy()
        p2[gate] = pb
        es.append(_enumerate_gated(net, I, p2, gates)["ES"][3])
    if units:
        prm = {"net": nets[0][0], "unit": "i (layer 1)", "vs": "p_b (b in layer 2): 0.9 → 0.2"}
        matters = "the gate of b, an ancestor of i in a higher layer, matters"
    else:
        prm = {"net": nets[0][0], "unit": "i (layer 1)",
               "vs": "p_ib (connection b→i out of layer 2): 0.9 → 0.2"}
        matters = "the gate of the connection b → i, out of a higher layer, matters"
    detail = f"E(S_i) = {es[0]:.6g} at {what} = 0.9, {es[1]:.6g} at {what} = 0.2: {matters}"
    if corrected:
        yield judge.holds(prm, True, estimate=Estimate.exact(es[1], "enumeration", 16),
                          theory=es[0], detail=detail, role="measurement")
    else:
        yield judge.exact(prm, es[0], es[1], method="enumeration", n=16, scale=es[0],
                          detail=detail)


@CATALOG.claim(
    "sec3.ancestor_gates", label="Sec. 3 (after Eq. 24)", kind=Kind.IDENTITY,
    statement="Although E(S_i^h) is taken over all subnetworks, only the Bernoulli gating "
              "variables of the previous layers (l < h) matter, so it coincides with the "
              "expectation over the induced subnetworks of node i (its ancestors only); layer h "
              "is the length of the shortest path from the input to i (Sec. 3).",
    note="The second half holds; the first fails with skip connections, which Sec. 3 allows: "
         "a unit's layer is its shortest distance from the input, so a skip connection can "
         "put an ancestor of i in a layer l ≥ h. In x0 → a → b → i with x0 → i, i is in layer "
         "1 and b in layer 2, and E(S_i) moves from 1.0552 to 0.5456 as p_b goes from 0.9 to "
         "0.2. See sec3.ancestor_gates_corrected.")
def sec3_ancestors(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """:func:`_ancestor_cases` as printed: the induced subnetworks agree, the gates of layers
    ≥ h matter wherever a skip connection puts an ancestor of a layer-h unit there."""
    return _ancestor_cases(ctx, rng, corrected=False)


@CATALOG.claim(
    "sec3.ancestor_gates_corrected", label="Sec. 3 (after Eq. 24)", kind=Kind.IDENTITY,
    as_printed=False, corrects="sec3.ancestor_gates", fix="rewrite", same_cases=True,
    statement="E(S_i^h) depends only on the gating variables of the ancestors of node i, "
              "whatever their layer (with skip connections an ancestor can lie in a layer l ≥ "
              "h), so it coincides with the expectation over the induced subnetworks of node "
              "i.")
def sec3_ancestors_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: S_i = Σ_j w_ijδ_jS_j is a function of the gates on the paths into i, i.e.
    of the gates of i's ancestors, independent of every other gate; its expectation over all
    gates is therefore its expectation over the ancestors' gates, which is the expectation in
    the induced subnetwork. Checked as :func:`_ancestor_cases` (corrected), on the same
    networks as sec3.ancestor_gates."""
    return _ancestor_cases(ctx, rng, corrected=True)


@CATALOG.claim(
    "sec3.ancestor_gates_connections", label="Sec. 3 (after Eq. 26)", kind=Kind.IDENTITY,
    statement="Under connection dropout (Eq. 23, 26), although E(S_i^h) is taken over all "
              "subnetworks, only the Bernoulli gating variables of the previous layers (l < h, "
              "the connections δ_ij^{hl} out of them) matter, so it is also the expectation "
              "over the induced subnetworks of node i (its ancestors); layer h is the length "
              "of the shortest path from the input to i (Sec. 3).",
    note="As for unit dropout (sec3.ancestor_gates): the second half holds, the first fails "
         "with skip connections. In x0 → a → b → i with x0 → i, i is in layer 1 and b in layer "
         "2, and E(S_i) moves from 1.0552 to 0.5456 as the keep probability of the connection "
         "b → i (out of layer 2) goes from 0.9 to 0.2. See "
         "sec3.ancestor_gates_connections_corrected.")
def sec3_ancestors_connections(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """:func:`_ancestor_cases` as printed, with dropout on the connections: the induced
    subnetworks agree, the gates of the connections out of layers ≥ h matter wherever a skip
    connection puts an ancestor of a layer-h unit there."""
    return _ancestor_cases(ctx, rng, corrected=False, gates="connections")


@CATALOG.claim(
    "sec3.ancestor_gates_connections_corrected", label="Sec. 3 (after Eq. 26)",
    kind=Kind.IDENTITY, as_printed=False, corrects="sec3.ancestor_gates_connections",
    fix="rewrite", same_cases=True,
    statement="Under connection dropout, E(S_i^h) depends only on the gating variables of the "
              "connections into node i and into its ancestors, whatever their layer (with skip "
              "connections an ancestor can lie in a layer l ≥ h), so it is the expectation over "
              "the induced subnetworks of node i.")
def sec3_ancestors_connections_corrected(ctx: Context,
                                         rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: S_i = Σ_j δ_ijw_ijS_j (Eq. 23) is a function of the gates of the
    connections on the paths into i — those into i and into its ancestors — independent of
    every other gate; its expectation over all gates is therefore the expectation over those,
    which is the expectation in the induced subnetwork. Checked as :func:`_ancestor_cases`
    (corrected, connection dropout), on the same networks as
    sec3.ancestor_gates_connections."""
    return _ancestor_cases(ctx, rng, corrected=True, gates="connections")


def _explore_skip_chain(pb: float, gates: str) -> Point:
    """E(S_i) on the skip chain of :func:`_skip_chain` as b's gate (``gates="units"``: p_b;
    ``"connections"``: p_ib) moves: the printed statement (only gates of layers below i's
    layer 1 matter) predicts E(S_i) at the claim's p_b = 0.9 whatever p_b; the correction,
    the expectation over i's induced subnetwork (b is an ancestor); both against
    enumeration."""
    net, I, p = _skip_chain(gates)
    ref = _enumerate_gated(net, I, p, gates)["ES"][3]
    p = p.copy()
    p[2 if gates == "units" else (3, 2)] = pb
    exact = _enumerate_gated(net, I, p, gates)["ES"][3]
    sub, keep = th.induced_subnet(net, 3)
    sub_p = p[keep] if gates == "units" else p[np.ix_(keep, keep)]
    return Point.identity(float(ref), exact=float(exact),
                          correction=float(_enumerate_gated(sub, I, sub_p, gates)["ES"][-1]))


@CATALOG.explorer("sec3.ancestor_gates", pb=(0.2, 0.0, 1.0))
@CATALOG.explorer("sec3.ancestor_gates_corrected", pb=(0.2, 0.0, 1.0))
def _explore_ancestor_gates(ctx: Context, pb: float) -> Point:
    """The note's skip chain x0 → a → b → i with x0 → i (i in layer 1, its ancestor b in
    layer 2): E(S_i) as b's keep probability p_b moves, against the printed statement (only
    gates of layers below 1 matter: E(S_i) as at p_b = 0.9) and the correction (the
    expectation over i's induced subnetwork, b included), all by enumeration. The printed
    statement fails for every p_b ≠ 0.9. A point takes about 2 ms."""
    return _explore_skip_chain(pb, "units")


@CATALOG.explorer("sec3.ancestor_gates_connections", pb=(0.2, 0.0, 1.0))
@CATALOG.explorer("sec3.ancestor_gates_connections_corrected", pb=(0.2, 0.0, 1.0))
def _explore_ancestor_gates_connections(ctx: Context, pb: float) -> Point:
    """As sec3.ancestor_gates under connection dropout: E(S_i) on the skip chain as the keep
    probability p_ib of the connection b → i (out of layer 2) moves, against the printed
    statement (E(S_i) as at p_ib = 0.9) and the correction (the induced subnetwork), by
    enumeration. A point takes about 2 ms."""
    return _explore_skip_chain(pb, "connections")
