"""Sections 4–5 of Baldi & Sadowski: the NWGM of logistic and normalized exponential units and deep
logistic networks (Eq. 27–54)."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator

import numpy as np
from scipy import special

from dropmc import judge
from dropmc.claims import EXACT_RTOL, CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import fixed_unit, law_choice, normal_law, o_law
from dropmc.papers.ensemble_averaging._shared import (
    CATALOG,
    FP_SLACK,
    _random_c_lam,
    _random_net,
    _search,
    _st_sample,
    _unpack,
)
from dropmc.simulations import ensemble_averaging as sim
from dropmc.theory import ensemble_averaging as th


@CATALOG.claim(
    "eq33.nwgm_uniform", label="Eq. 28, Eq. 29, Eq. 30, Eq. 31, Eq. 32, Eq. 33, Eq. 34",
    kind=Kind.IDENTITY,
    statement="Over the 2^n equally likely subnetworks of a logistic unit (any c ≥ 0, λ), "
              "G/(G + G') = σ(E(S)) with E(S) = Σ (w_i/2) I_i.")
def eq33_uniform(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Gray-code enumeration of the 2^n subnetworks (n ≤ 20, q = 0.5) with log-domain G and
    G', random c, λ (negative λ included) and inputs, against σ(Σ w_iI_i/2); plus the
    identity (1 − σ)/σ = ce^{−λx} of Eq. 32 on a grid."""
    for n in [1, 20] + [int(rng.integers(2, 16)) for _ in range(4)]:
        c, lam = _random_c_lam(rng)
        w, I = rng.standard_normal(n) * rng.uniform(0.2, 4), rng.standard_normal(n)
        e = sim.enumerate_logistic_unit(w, I, 0.5, c=c, lam=lam)
        yield judge.identity({"n": n, "c": c, "lam": lam},
                             float(th.logistic(th.halved_weights_output(w, I), c, lam)),
                             Estimate.exact(e["NWGM"], "enumeration", e["n_subnetworks"]))
    x = np.linspace(-20, 20, 401)
    for c, lam in ((1.0, 1.0), (0.2, 2.5), (7.0, -0.5)):
        lo, l1 = th.log_logistic(x, c, lam)
        yield judge.exact({"eq": "Eq. 32", "c": c, "lam": lam}, math.log(c) - lam * x,
                          l1 - lo, n=x.size)


@CATALOG.explorer("eq33.nwgm_uniform", a=(2.0, 0.05, 8.0), c=(1.0, 0.1, 10.0),
                  lam=(1.0, -3.0, 3.0))
def _explore_eq33(ctx: Context, a: float, c: float, lam: float) -> Point:
    """G/(G + G') = σ(Σ(w_i/2)I_i) (Eq. 33) for a fixed logistic unit with 12 inputs
    (:func:`~._explore.fixed_unit`, weights scaled by a) over its 2^12 equally likely
    subnetworks (q = ½), any c and λ (negative λ allowed): the NWGM by Gray-code enumeration
    in the log domain. A point takes about 3 ms."""
    w, I = fixed_unit(12, 33)
    e = sim.enumerate_logistic_unit(a * w, I, 0.5, c=c, lam=lam)
    return Point.identity(float(th.logistic(th.halved_weights_output(a * w, I), c, lam)),
                          exact=e["NWGM"])


@CATALOG.claim(
    "eq33.middle_as_printed", label="Eq. 33", kind=Kind.IDENTITY,
    statement="Eq. 33's middle step: 1/(1 + [Π ce^{−λS(N)}]^{1/2^n}) = "
              "1/(1 + c[e^{−λΣ S(N)/2^n}]^{1/2^n}).",
    note="The 1/2^n exponent is applied twice (and the end result σ(E(S)) is right); a "
         "typesetting slip. eq33.middle_corrected gives the intended expression.")
def eq33_middle(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The printed middle expression evaluated on the enumerated subnetwork sums against the
    left expression (the NWGM) for random units with n ≥ 1."""
    for n in (1, 3, 6):
        w, I = rng.standard_normal(n) * 2, rng.standard_normal(n) + 1
        masks = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1).astype(float)
        S = masks @ (w * I)
        left = th.nwgm_logistic(S)
        yield judge.exact({"n": n}, left, th.eq33_middle_as_printed(S),
                          detail=f"NWGM = {left:.6g}, printed middle = "
                                 f"{th.eq33_middle_as_printed(S):.6g}")


@CATALOG.claim(
    "eq33.middle_corrected", label="Eq. 33", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq33.middle_as_printed", fix="misprint",
    statement="1/(1 + [Π_N ce^{−λS(N)}]^{1/2^n}) = 1/(1 + ce^{−λΣ_N S(N)/2^n}) = σ(E(S)).")
def eq33_middle_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: [Π_N ce^{−λS(N)}]^{1/2^n} = c^{2^n/2^n}·e^{−λΣ_N S(N)/2^n} = ce^{−λE(S)}, so
    the exponent 1/2^n is used once. Checked on enumerated subnetwork sums, random c, λ."""
    for n in (1, 4, 9):
        c, lam = _random_c_lam(rng)
        w, I = rng.standard_normal(n) * 2, rng.standard_normal(n) + 1
        masks = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1).astype(float)
        S = masks @ (w * I)
        val = 1 / (1 + c * math.exp(-lam * S.sum() / S.size))
        yield judge.exact({"n": n, "c": c, "lam": lam}, th.nwgm_logistic(S, None, c, lam),
                          val)


@CATALOG.explorer("eq33.middle_as_printed", a=(1.0, 0.05, 8.0), c=(1.0, 0.1, 10.0),
                  lam=(1.0, 0.1, 3.0))
@CATALOG.explorer("eq33.middle_corrected", a=(1.0, 0.05, 8.0), c=(1.0, 0.1, 10.0),
                  lam=(1.0, 0.1, 3.0))
def _explore_eq33_middle(ctx: Context, a: float, c: float, lam: float) -> Point:
    """Eq. 33's middle step as printed, 1/(1 + c[e^{−λΣS(N)/2^n}]^{1/2^n}), next to its
    correction 1/(1 + ce^{−λΣS(N)/2^n}), against the NWGM of the 2^4 subnetwork outputs
    of a fixed unit with 4 inputs (:func:`~._explore.fixed_unit`, weights scaled by a; the
    NWGM in the log domain): the printed step applies the exponent 1/2^n twice. A point
    takes about 2 ms."""
    w, I = fixed_unit(4, 34)
    masks = ((np.arange(16)[:, None] >> np.arange(4)) & 1).astype(float)
    S = masks @ (a * w * I)
    return Point.identity(th.eq33_middle_as_printed(S, c, lam),
                          exact=th.nwgm_logistic(S, None, c, lam),
                          correction=float(1 / (1 + c * math.exp(-lam * S.mean()))))


@CATALOG.claim(
    "eq39.nwgm_any_distribution", label="Eq. 35, Eq. 36, Eq. 37, Eq. 38, Eq. 39",
    kind=Kind.IDENTITY,
    statement="For any distribution P over subnetworks (independent non-identical selectors, "
              "or arbitrary weights over any values S_1..S_m) and any c, λ: NWGM(σ(S)) = "
              "σ(Σ P(N) S(N)) = σ(E(S)).")
def eq39(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """(a) Gray-code enumeration of 2^n subnetworks with independent non-identical p_i
    (n ≤ 20), against σ(Σ p_iw_iI_i); (b) arbitrary Dirichlet weights over m values S (m up to
    2·10⁶), with S as large as ±40/λ so that O rounds to 0 or 1 in floating point — G, G' and
    the NWGM are computed in the log domain; all to relative 1e-10."""
    for _ in range(5):
        n = int(rng.integers(1, 21))
        c, lam = _random_c_lam(rng)
        w, I = rng.standard_normal(n) * rng.uniform(0.2, 4), rng.standard_normal(n)
        p = rng.uniform(0.02, 0.98, n)
        e = sim.enumerate_logistic_unit(w, I, p, c=c, lam=lam)
        yield judge.identity({"n": n, "c": c, "lam": lam, "distribution": "independent p_i"},
                             float(th.logistic(th.linear_unit_mean(w, I, p), c, lam)),
                             Estimate.exact(e["NWGM"], "enumeration", e["n_subnetworks"]))
    for m in (2, 1000, int(rng.integers(10, 5000)), 2_000_000):
        c, lam = _random_c_lam(rng)
        S = rng.standard_normal(m) * rng.choice([1.0, 40.0 / abs(lam)])
        P = rng.dirichlet(np.full(m, 0.5))
        yield judge.identity({"m": m, "c": c, "lam": lam, "distribution": "arbitrary weights"},
                             float(th.logistic(P @ S, c, lam)),
                             Estimate.exact(th.nwgm_logistic(S, P, c, lam), "closed_form", m))


@CATALOG.explorer("eq39.nwgm_any_distribution", p=(0.7, 0.0, 1.0), a=(2.0, 0.05, 8.0),
                  c=(1.0, 0.1, 10.0), lam=(1.0, -3.0, 3.0))
def _explore_eq39(ctx: Context, p: float, a: float, c: float, lam: float) -> Point:
    """NWGM(σ(S)) = σ(E(S)) (Eq. 39) for a fixed logistic unit with 12 inputs
    (:func:`~._explore.fixed_unit`, weights scaled by a), input i kept with probability
    p_i = p·(0.55 + 0.45·i/11) (non-identical, the edge values 0 and 1 included when p is), any
    c, λ: the NWGM by Gray-code enumeration of the 2^12 subnetworks in the log domain. A point
    takes about 3 ms."""
    w, I = fixed_unit(12, 39)
    pi = p * (0.55 + 0.45 * np.arange(12) / 11)
    e = sim.enumerate_logistic_unit(a * w, I, pi, c=c, lam=lam)
    return Point.identity(float(th.logistic(th.linear_unit_mean(a * w, I, pi), c, lam)),
                          exact=e["NWGM"])


@CATALOG.claim(
    "eq40_41.functions_of_S", label="Eq. 40, Eq. 41, Eq. 215", kind=Kind.IDENTITY,
    statement="For any function f, NWGM(σ(f(S))) = σ(E(f(S))); in particular "
              "NWGM(σ(S^k)) = σ(E(S^k)).")
def eq40_41(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Random subnetwork sums with Dirichlet weights, f(S) = S^k (k = 1..4), sin, |S|, e^S."""
    fs = {"S^2": lambda s: s ** 2, "S^3": lambda s: s ** 3, "S^4": lambda s: s ** 4,
          "sin": np.sin, "abs": np.abs, "exp": np.exp}
    for name, f in fs.items():
        m = int(rng.integers(2, 500))
        c, lam = _random_c_lam(rng)
        S = rng.standard_normal(m) * 1.5
        P = rng.dirichlet(np.ones(m))
        fS = f(S)
        yield judge.identity({"f": name, "m": m, "c": c, "lam": lam},
                             float(th.logistic(P @ fS, c, lam)),
                             Estimate.exact(th.nwgm_logistic(fS, P, c, lam), "closed_form", m))


#: the functions f of S the eq40_41 explorer offers
_EQ40_F = {"S^2": np.square, "S^3": lambda s: s ** 3, "sin": np.sin, "|S|": np.abs, "exp": np.exp}


@CATALOG.explorer("eq40_41.functions_of_S", mu=(0.5, -3.0, 3.0), sd=(1.0, 0.01, 3.0),
                  c=(1.0, 0.1, 10.0), lam=(1.0, -3.0, 3.0), f=tuple(_EQ40_F))
def _explore_eq40(ctx: Context, mu: float, sd: float, c: float, lam: float, f: str) -> Point:
    """NWGM(σ(f(S))) = σ(E(f(S))) (Eq. 40–41) for S with the moments of N(μ, sd²)
    (:func:`~._explore.normal_law`, 20 values and weights) and f one of S², S³, sin, |S|,
    exp: the NWGM in the log domain against σ of the mean of f(S). A point takes about
    2 ms."""
    S, P = normal_law(mu, sd)
    fS = _EQ40_F[f](S)
    return Point.identity(float(th.logistic(P @ fS, c, lam)), exact=th.nwgm_logistic(fS, P, c, lam))


def _softmax_subnetworks(rng, k, n, per_connection):
    W, I = rng.standard_normal((k, n)), rng.standard_normal(n)
    if per_connection:
        P = rng.uniform(0.1, 0.9, (k, n))
        bits = k * n
        masks = ((np.arange(1 << bits)[:, None] >> np.arange(bits)) & 1).reshape(-1, k, n)
        prob = np.prod(np.where(masks == 1, P, 1 - P), axis=(1, 2))
        S = np.einsum("mkn,kn,n->mk", masks, W, I)
        ES = (W * P) @ I
    else:
        p = rng.uniform(0.1, 0.9, n)
        masks = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1)
        prob = np.prod(np.where(masks == 1, p, 1 - p), axis=1)
        S = (masks * I) @ W.T
        ES = W @ (p * I)
    return S, prob / prob.sum(), ES


@CATALOG.claim(
    "eq47.softmax", label="Eq. 43, Eq. 44, Eq. 45, Eq. 46, Eq. 47", kind=Kind.IDENTITY,
    statement="For a layer of normalized exponential units, NWGM(O_i) = e^{λE(S_i)}/"
              "Σ_l e^{λE(S_l)} (the normalized exponential of the expected sums).")
def eq47(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration of all subnetworks M: factorial (connection dropout, 2^{kn} ≤ 2^14
    subnetworks, the paper's assumption) and non-factorial (input-unit dropout shared by all
    outputs), random λ; the NWGM of Eq. 44 computed with a log-softmax in the log domain."""
    for per_conn in (True, True, False, False):
        k = int(rng.integers(2, 4))
        n = int(rng.integers(1, 14 // k + 1)) if per_conn else int(rng.integers(1, 13))
        lam = float(rng.uniform(0.2, 3))
        S, prob, ES = _softmax_subnetworks(rng, k, n, per_conn)
        got = th.nwgm_softmax_enumerated(S, prob, lam)
        yield judge.exact({"k": k, "n": n, "lam": lam,
                           "distribution": "factorial (connections)" if per_conn else "input units"},
                           th.softmax(ES, lam), got, method="enumeration", n=S.shape[0])


@CATALOG.explorer("eq47.softmax", p=(0.6, 0.05, 1.0), lam=(1.0, 0.1, 3.0),
                  dropout=("connections", "input units"), output=(0, 0, 2))
def _explore_eq47(ctx: Context, p: float, lam: float, dropout: str, output: float) -> Point:
    """NWGM(O_i) = e^{λE(S_i)}/Σ_l e^{λE(S_l)} (Eq. 47) for output i (rounded) of a fixed
    layer of 3 normalized exponential units with 4 inputs (weights and inputs N(0, 1), seed
    47), every connection (2^12 subnetworks) or every input (2^4, shared by the outputs) kept
    with probability p: the NWGM of Eq. 44 by enumeration in the log domain. A point takes
    about 5 ms."""
    rng = np.random.default_rng(47)
    W, I = rng.standard_normal((3, 4)), rng.standard_normal(4)
    i = int(round(output))
    if dropout == "connections":
        masks = ((np.arange(1 << 12)[:, None] >> np.arange(12)) & 1).reshape(-1, 3, 4)
        S = np.einsum("mkn,kn,n->mk", masks, W, I)
        k = masks.sum(axis=(1, 2))
        prob = p ** k * (1 - p) ** (12 - k)
    else:
        masks = (np.arange(16)[:, None] >> np.arange(4)) & 1
        S = (masks * I) @ W.T
        k = masks.sum(axis=1)
        prob = p ** k * (1 - p) ** (4 - k)
    ES = W @ (p * I)
    return Point.identity(float(th.softmax(ES, lam)[i]),
                          exact=float(th.nwgm_softmax_enumerated(S, prob / prob.sum(), lam)[i]))


@CATALOG.claim(
    "sec4_2.layer_covariance", label="Section 4.2", kind=Kind.IDENTITY,
    statement="In a layer of logistic units, the covariance of two outputs is 0 under "
              "connection dropout (subnetworks chosen independently per unit) and may be "
              "non-zero under input dropout.")
def sec4_2(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration of a random k × n logistic layer: Cov(O_i, O_l) = 0 to 1e-12 under
    connection dropout; under input dropout the largest |Cov| is reported and must be non-zero
    (> 1e-6) for the 'may be non-zero' half."""
    for per_conn in (True, False):
        k = 3
        n = 5 if per_conn else 10
        # two draws whose values are unused, kept: every later number of the stream follows them
        rng.standard_normal((k, n))
        rng.standard_normal(n)
        if per_conn:
            S, prob, _ = _softmax_subnetworks(np.random.default_rng(rng.integers(2**32)), k, n, True)
        else:
            S, prob, _ = _softmax_subnetworks(np.random.default_rng(rng.integers(2**32)), k, n, False)
        O = special.expit(S)
        EO = prob @ O
        C = (O - EO).T @ ((O - EO) * prob[:, None])
        off = C[~np.eye(k, dtype=bool)]
        prm = {"k": k, "n": n, "dropout": "connections" if per_conn else "input units"}
        if per_conn:
            # centred sums; zero to 1e-10 of the largest variance (the size of the terms)
            yield judge.exact(prm, np.zeros_like(off), off, method="enumeration",
                              n=S.shape[0], scale=float(np.max(np.diag(C))))
        else:
            # "may be non-zero": the largest |Cov| must exceed 1e-6 of the largest variance
            # (the size of the terms); a power run raises that threshold by δ·max Var
            big = float(np.max(np.abs(off)))
            vmax = float(np.max(np.diag(C)))
            yield judge.holds(prm, lambda big=big, vmax=vmax: ctx.ge(big, 1e-6 * vmax, scale=vmax),
                              estimate=Estimate.exact(big, "enumeration", S.shape[0]),
                              detail=f"max |Cov(O_i, O_l)| = {big:.3g} (non-zero; "
                                     f"{big / vmax:.3g} of the largest variance)")


@CATALOG.explorer("sec4_2.layer_covariance", p=(0.6, 0.05, 0.95), a=(1.0, 0.05, 4.0))
def _explore_sec4_2(ctx: Context, p: float, a: float) -> Point:
    """Cov(O_1, O_2) = 0 under connection dropout (Section 4.2), read as E(O_1O_2) =
    E(O_1)E(O_2), for two logistic units of a fixed layer with 5 inputs (weights N(0, 1)·a,
    seed 42), every connection kept with probability p: both sides by enumeration of the 2^10
    connection masks. Under dropout of the shared inputs they would differ (the claim's "may
    be non-zero"). A point takes about 3 ms."""
    rng = np.random.default_rng(42)
    W, I = a * rng.standard_normal((2, 5)), rng.standard_normal(5)
    masks = ((np.arange(1 << 10)[:, None] >> np.arange(10)) & 1).reshape(-1, 2, 5)
    k = masks.sum(axis=(1, 2))
    prob = p ** k * (1 - p) ** (10 - k)
    O = special.expit(np.einsum("mkn,kn,n->mk", masks, W, I))
    EO = prob @ O
    return Point.identity(float(EO[0] * EO[1]), exact=float(prob @ (O[:, 0] * O[:, 1])))


# ------------------------------------------------------------------------------------------
# Section 5: deep logistic networks
# ------------------------------------------------------------------------------------------


def _deep_logistic_cases(ctx, n_cases=5):
    rng = ctx.rng()
    for _ in range(n_cases):
        net, ws, sp = _random_net(rng, 14)
        net = th.LayeredNet(net.W * rng.uniform(0.5, 3), net.layer)
        p = rng.uniform(0.1, 0.95, net.n_units)
        I = rng.uniform(0, 1, net.n_in)
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.5, 2.5))
        e = sim.enumerate_network(net, I, p_units=p, activation="logistic", c=c, lam=lam)
        yield {"widths": ws, "skip_prob": sp, "c": c, "lam": lam,
               "subnetworks": e["n_subnetworks"]}, net, I, p, c, lam, e


@CATALOG.claim(
    "eq53_54.deep_nwgm", label="Eq. 49, Eq. 50, Eq. 53, Eq. 54", kind=Kind.IDENTITY,
    statement="In a deep logistic network with unit dropout, for every unit NWGM(O_i^h) = "
              "σ(E(S_i^h)) and E(S_i^h) = Σ_{l<h}Σ_j w_ij^{hl} p_j^l E(O_j^l), exactly.")
def eq53_54(ctx: Context) -> Iterator[CaseResult]:
    """Exact enumeration of every unit mask of random deep logistic DAGs: the NWGM of each
    non-input unit from E log O and E log(1 − O) against σ(E S) (Eq. 53), and E(S) against
    the propagation of the exact E(O) with weights scaled by p (Eq. 54)."""
    for prm, net, I, p, c, lam, e in _deep_logistic_cases(ctx):
        idx = np.arange(net.n_in, net.n_units)
        nwgm = special.expit(e["ElogO"][idx] - e["Elog1mO"][idx])
        yield judge.exact({**prm, "eq": "Eq. 53"}, th.logistic(e["ES"][idx], c, lam), nwgm,
                          method="enumeration", n=e["n_subnetworks"])
        EO = e["EO"].copy()
        rhs = (net.W * p[None, :]) @ EO
        yield judge.exact({**prm, "eq": "Eq. 54"}, rhs[idx], e["ES"][idx],
                          method="enumeration", n=e["n_subnetworks"])


@CATALOG.explorer("eq53_54.deep_nwgm", p=(0.5, 0.05, 1.0), s=(1.0, 1 / 64, 16.0),
                  eq=("Eq. 53", "Eq. 54"))
def _explore_eq53_54(ctx: Context, p: float, s: float, eq: str) -> Point:
    """At the output of the fixed deep logistic net of the Eq. 52 explorer
    (:func:`_eq52_explore_net`, weights scaled by s, every other unit kept with probability
    p), exactly: NWGM(O) = σ(E(S)) (Eq. 53, the NWGM from E log O and E log(1 − O)) or
    E(S) = Σ w p E(O) (Eq. 54), by enumeration of the 2^9 unit masks. A point takes about
    2 ms."""
    net, I = _eq52_explore_net()
    keep = np.full(net.n_units, p)
    keep[-1] = 1.0
    W = net.W * s
    e = sim.enumerate_network(th.LayeredNet(W, net.layer), I, p_units=keep,
                              activation="logistic", c=2.0)
    out = net.n_units - 1
    if eq == "Eq. 53":
        return Point.identity(float(th.logistic(e["ES"][out], 2.0)),
                              exact=float(special.expit(e["ElogO"][out] - e["Elog1mO"][out])))
    return Point.identity(float((W[out] * keep) @ e["EO"]), exact=float(e["ES"][out]))


@CATALOG.claim(
    "eq52.nwgm_approximates_mean", label="Eq. 51, Eq. 52", kind=Kind.APPROXIMATION,
    statement="E(O_i^h) ≈ NWGM(O_i^h) for the units of a deep logistic network.")
def eq52(ctx: Context) -> Iterator[CaseResult]:
    """Criterion from the paper's wording: Eq. 52 "is exact if and only if the numbers O_i^h
    are identical over all subnetworks", and its quality is that of Section 8's second-order
    approximation (the worse the larger Var(O)). So (a) with p = 1 (one subnetwork) E(O) =
    NWGM(O) exactly; (b) as the spread of the sums shrinks — all weights scaled by s → 0
    (s = 1 … 1/256), dropout rates unchanged — |E(O) − NWGM(O)| must vanish at second order,
    O(s²) (judge.order, absolute), for the unit of each random deep logistic net with the
    largest error at s = 1 (exact enumeration of every unit mask); the error at s = 1 of the
    worst unit is reported as a measurement."""
    s = 0.5 ** np.arange(9)
    for prm, net, I, p, c, lam, e in _deep_logistic_cases(ctx):
        idx = np.arange(net.n_in, net.n_units)
        # the same network without dropout: one subnetwork, so E(O) = NWGM exactly
        e1 = sim.enumerate_network(net, I, p_units=1.0, activation="logistic", c=c, lam=lam)
        yield judge.exact({**prm, "p": 1.0, "what": "identical outputs ⇒ exact"},
                          e1["EO"][idx], special.expit(e1["ElogO"][idx] - e1["Elog1mO"][idx]),
                          method="enumeration", n=1)
        nwgm = special.expit(e["ElogO"][idx] - e["Elog1mO"][idx])
        j = int(np.argmax(np.abs(e["EO"][idx] - nwgm)))
        yield judge.approximation({**prm, "unit": int(idx[j])}, nwgm[j], e["EO"][idx][j],
                                  detail=f"worst of {idx.size} units")
        D, A = [], []
        for sk in s:
            ek = e if sk == 1.0 else sim.enumerate_network(
                th.LayeredNet(net.W * sk, net.layer), I, p_units=p, activation="logistic",
                c=c, lam=lam)
            D.append(ek["EO"][idx[j]])
            A.append(float(special.expit(ek["ElogO"][idx[j]] - ek["Elog1mO"][idx[j]])))
        yield judge.order({**prm, "unit": int(idx[j]), "weights": "scaled by s → 0"}, A, D,
                          s=s, claimed=2, kind="absolute", name="E(O) − NWGM(O)")


@functools.lru_cache(maxsize=1)
def _eq52_explore_net() -> tuple[th.LayeredNet, np.ndarray]:
    """The network the Eq. 52 explorer varies: a fixed random layered logistic net (widths
    3-3-3-1, skip connections with probability 0.4, seed 52) and its inputs in [0, 1]."""
    rng = np.random.default_rng(52)
    net = th.random_layered_net(rng, [3, 3, 3, 1], skip_prob=0.4)
    return net, rng.uniform(0, 1, net.n_in)


@CATALOG.explorer("eq52.nwgm_approximates_mean", p=(0.5, 0.05, 1.0), s=(4.0, 1 / 64, 16.0))
def _explore_eq52(ctx: Context, p: float, s: float) -> Point:
    """NWGM(O) as the approximation of E(O) for the output unit of a fixed deep logistic net
    (:func:`_eq52_explore_net`, units σ(S − log 2): with c = 2 the outputs tend to 1/3, not
    ½, as the weights shrink), every other unit kept with probability p and all weights
    scaled by s; both sides exact, by enumeration of the 2^9 unit masks. The claim's
    criterion is the order: the error vanishes as O(s²) when s → 0 (explore s on a log
    scale). A point takes under 1 ms."""
    net, I = _eq52_explore_net()
    keep = np.full(net.n_units, p)
    keep[-1] = 1.0  # the output's own gate changes nothing of its O
    e = sim.enumerate_network(th.LayeredNet(net.W * s, net.layer), I, p_units=keep,
                              activation="logistic", c=2.0)
    out = net.n_units - 1
    nwgm = float(special.expit(e["ElogO"][out] - e["Elog1mO"][out]))
    return Point.approximation(nwgm, exact=float(e["EO"][out]), order=2, order_in="s")


# -- Sec. 5, after Eq. 54: "Eq. 52 is exact if and only if the O_i^h are identical" ----------


def _gap_decimal(O, P) -> tuple[float, float]:
    """E − NWGM and Var(O) of values O with weights P (normalised), in 100-digit decimal
    arithmetic from the exact binary values: the sign of E − NWGM is then exact even for
    values that differ in the last bit, where the gap is of order 1e-48."""
    from decimal import Decimal, localcontext

    with localcontext() as dc:
        dc.prec = 100
        o = [Decimal(float(x)) for x in O]
        w = [Decimal(float(x)) for x in P]
        tot = sum(w)
        w = [x / tot for x in w]
        E = sum(a * b for a, b in zip(w, o))
        log_odds = sum(a * (b.ln() - (1 - b).ln()) for a, b in zip(w, o))
        nwgm = 1 / (1 + (-log_odds).exp())
        V = sum(a * (b - E) ** 2 for a, b in zip(w, o))
        return float(E - nwgm), float(V)


def _biased_logistic_net(rng: np.random.Generator):
    """A random deep logistic net (as :func:`_deep_logistic_cases`: weights scaled by U(0.5,
    3), keep probabilities U(0.1, 0.95), inputs U(0, 1), random c and λ > 0) with one more
    input, a constant 1 kept with probability 1, feeding only the last (output) unit: its bias
    b. Returns (params, net without the bias weight, I, p, c, λ, the output index, and the
    bracket B such that every O of the output is > ½ at b = B and < ½ at b = −B)."""
    base, ws, sp = _random_net(rng, 12)
    W0 = base.W * rng.uniform(0.5, 3)
    p0 = rng.uniform(0.1, 0.95, base.n_units)
    I0 = rng.uniform(0, 1, base.n_in)
    c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.5, 2.5))
    N = base.n_units + 1
    W = np.zeros((N, N))
    W[1:, 1:] = W0
    out = N - 1
    # |S_out| ≤ Σ|w| (sources in [0, 1]); λ(S + b) > log c for every subnetwork at b = B
    B = float(np.sum(np.abs(W[out]))) + abs(math.log(c)) / lam + 1.0
    return ({"widths": ws, "skip_prob": sp, "c": c, "lam": lam}, W, np.r_[1.0, I0],
            np.r_[1.0, p0], c, lam, out, np.r_[0, base.layer], B)


def _output_gap(W, layer, I, p, c, lam, out, b):
    """E(O), NWGM(O) and Var(O) of unit ``out`` with bias weight b, every unit mask
    enumerated."""
    Wb = W.copy()
    Wb[out, 0] = b
    e = sim.enumerate_network(th.LayeredNet(Wb, layer), I, p_units=p, activation="logistic",
                              c=c, lam=lam)
    E = float(e["EO"][out])
    nwgm = float(special.expit(e["ElogO"][out] - e["Elog1mO"][out]))
    return E, nwgm, float(e["EO2"][out]) - E * E, e


def _exact_iff_identical_cases(ctx: Context, rng: np.random.Generator,
                               corrected: bool) -> Iterator[CaseResult]:
    """"If": (a) in random deep logistic nets whose inputs are kept (p = 1) and hidden units
    dropped, every unit whose ancestors are all inputs has the same O in every subnetwork, and
    its E(O) must equal its NWGM (exact enumeration); (b) a hypothesis search over a value
    repeated m ≤ 8 times with arbitrary weights, |E − NWGM| within rounding. "Only if" (the
    printed claim predicts E ≠ NWGM, beyond the exact tolerance, for non-identical O;
    ``corrected``: "can be exact" — E = NWGM within it, with Var(O) > 0): (c) Section 8's
    O = (¼, ¾), P = (½, ½) as a dropout unit (bias −log 3, one input of weight 2 log 3 kept
    with probability ½; c = λ = 1); (d) the output unit of 3 random deep logistic nets with
    dropout on every unit, its bias tuned by Brent's method to a root of E(O) − NWGM(O),
    which exists since the difference is > 0 when every O < ½ (b = −B) and < 0 when every
    O > ½ (b = B); at both ends that sign is judged too (beyond rounding; power runs ask
    |E − NWGM| ≥ δ·E).
    Each net draws from ``rng``; the searches from the claim's streams."""
    from scipy import optimize

    def judge_pair(prm, E, nw, V, detail):
        def ok():
            if corrected:
                return ctx.close(E, nw) and V > FP_SLACK
            return ctx.ge(abs(E - nw), EXACT_RTOL * max(E, nw), scale=max(E, nw))
        return judge.holds({**prm, "what": "non-identical O: E = NWGM?"}, ok, theory=nw,
                           estimate=Estimate.exact(E, "enumeration"), detail=detail)

    nets = [_biased_logistic_net(rng) for _ in range(3)]
    for prm, W, I, p, c, lam, out, layer, B in nets:
        net = th.LayeredNet(W, layer)
        keep_inputs = np.where(layer == 0, 1.0, p)
        e = sim.enumerate_network(net, I, p_units=keep_inputs, activation="logistic", c=c,
                                  lam=lam)
        idx = np.array([i for i in range(net.n_in, net.n_units)
                        if np.all(th.ancestors(net, i) < net.n_in)])
        V = e["EO2"][idx] - e["EO"][idx] ** 2
        yield judge.exact({**prm, "what": "identical O ⇒ exact", "units": idx.size,
                           "dropout": "hidden units only"},
                          special.expit(e["ElogO"][idx] - e["Elog1mO"][idx]), e["EO"][idx],
                          method="enumeration", n=e["n_subnetworks"],
                          detail=f"max Var(O) = {np.max(np.abs(V)):.2g} (identical O)")

    def identical_exact(args):
        O, P = _unpack(args)
        gap, _ = _gap_decimal(np.full(O.size, O[0]), P)
        return ctx.le(abs(gap), 0.0, tol=FP_SLACK * O[0], scale=O[0])
    yield _search(ctx, identical_exact, _st_sample(1e-9, 1 - 1e-9),
                  {"what": "identical O ⇒ exact", "values": "one value repeated"},
                  what="(O, weights)")

    W = np.zeros((3, 3))
    W[2, 0], W[2, 1] = -math.log(3.0), 2 * math.log(3.0)
    E, nw, V, _ = _output_gap(W, np.array([0, 0, 1]), np.ones(2), np.array([1.0, 0.5, 1.0]),
                              1.0, 1.0, 2, W[2, 0])
    yield judge_pair({"net": "Section 8's O = (1/4, 3/4) as a dropout unit"}, E, nw, V,
                     f"O ∈ {{1/4, 3/4}} (Var(O) = {V:.4g}): E(O) = {E:.17g}, NWGM = {nw:.17g}")

    for prm, W, I, p, c, lam, out, layer, B in nets:
        def f(b, net=(W, layer, I, p, c, lam, out)):
            E, nw, _, _ = _output_gap(*net, b)
            return E - nw
        b = optimize.brentq(f, -B, B, xtol=1e-14, rtol=4 * np.finfo(float).eps)
        E, nw, V, e = _output_gap(W, layer, I, p, c, lam, out, b)
        yield judge_pair({**prm, "unit": out, "bias": b, "subnetworks": e["n_subnetworks"]},
                         E, nw, V, f"bias {b:.6g}: Var(O) = {V:.4g}, E(O) = {E:.17g}, "
                                   f"NWGM = {nw:.17g}")
        for sign in (-1.0, 1.0):
            E, nw, V, e = _output_gap(W, layer, I, p, c, lam, out, sign * B)
            gap = sign * (nw - E)  # > 0 for non-identical O all on one side of ½
            yield judge.holds({**prm, "unit": out, "bias": sign * B,
                               "what": f"every O {'<' if sign < 0 else '>'} 1/2: "
                                       f"NWGM {'<' if sign < 0 else '>'} E"},
                              lambda gap=gap, s=max(E, nw):
                                  gap > FP_SLACK * s and ctx.ge(gap, 0.0, scale=s),
                              estimate=Estimate.exact(gap, "enumeration", e["n_subnetworks"]),
                              detail=f"|E − NWGM| = {gap:.4g}, Var(O) = {V:.4g}")

    if corrected:
        for side, lo, hi in (("(0, 1/2]", 1e-9, 0.5), ("[1/2, 1)", 0.5, 1 - 1e-9)):
            def strict(args, sign=1.0 if lo < 0.5 else -1.0):
                O, P = _unpack(args)
                if O.max() == O.min():
                    return True  # identical: the "if" above
                gap, V = _gap_decimal(O, P)
                return sign * gap > 0 and ctx.ge(sign * gap, 0.0, scale=V)
            yield _search(ctx, strict, _st_sample(lo, hi),
                          {"what": "non-identical O on one side of 1/2 ⇒ not exact",
                           "domain": side}, what="(O, weights)")


@CATALOG.claim(
    "sec5.eq52_exact_iff_identical", label="Sec. 5 (after Eq. 54)", kind=Kind.IDENTITY,
    statement="Eq. 52, E(O_i^h) ≈ NWGM(O_i^h), is exact if and only if the numbers O_i^h are "
              "identical over all possible subnetworks.",
    note="The \"if\" holds; the \"only if\" fails, as Section 8 itself notes after Eq. 87 "
         "(O = (¼, ¾) with P = (½, ½) gives E = NWGM = ½; here realised as a dropout unit): "
         "in random deep logistic nets a bias on the output unit can be tuned so that E(O) = "
         "NWGM(O) exactly while Var(O) > 0. It holds when the O_i^h all lie on one side of ½. "
         "See sec5.eq52_exact_iff_identical_corrected.")
def sec5_exact_iff(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Both directions, as printed (:func:`_exact_iff_identical_cases`): the "if" by
    enumeration and search; the "only if" — no unit with non-identical O has E(O) = NWGM(O)
    — against Section 8's example as a dropout unit and against bias-tuned output units of
    random deep logistic nets, where E(O) − NWGM(O) changes sign as the bias goes from −B to
    B, so that it vanishes at some bias (found to rounding by Brent's method) while Var(O) >
    0. REFUTED by those cases."""
    return _exact_iff_identical_cases(ctx, rng, corrected=False)


CATALOG.no_explorer("sec5.eq52_exact_iff_identical", "an if-and-only-if statement about when "
                    "E(O) = NWGM(O) (a root of E − NWGM in the output's bias, found by Brent's "
                    "method): no closed form in a parameter; E − NWGM over p and the weight "
                    "scale is explored with eq52.nwgm_approximates_mean")


@CATALOG.claim(
    "sec5.eq52_exact_iff_identical_corrected", label="Sec. 5 (after Eq. 54)",
    kind=Kind.IDENTITY, as_printed=False, corrects="sec5.eq52_exact_iff_identical", fix="scope",
    same_cases=True,
    statement="Eq. 52 is exact if the O_i^h are identical over all subnetworks; when they all "
              "lie in (0, ½] (or all in [½, 1)) it is exact only if they are identical (NWGM < "
              "E, resp. NWGM > E, otherwise); with values on both sides of ½ it can be exact for "
              "non-identical O_i^h.")
def sec5_exact_iff_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: identical values O give E = O, G = O and G' = 1 − O, so NWGM = O. For values
    in (0, ½], Ky Fan's inequality G/G' ≤ E/E' holds with equality only if all values are
    equal, and NWGM/(1 − NWGM) = G/G', E/(1 − E) = E/E' with t ↦ t/(1 − t) increasing, so
    NWGM < E for non-identical values; O ↦ 1 − O gives NWGM > E on [½, 1). By continuity, a
    bias moving every O of a unit from below ½ to above ½ passes through E = NWGM. Checked
    on the cases of sec5.eq52_exact_iff_identical (the exact cases with non-identical O are
    now evidence that it can be exact), plus hypothesis searches over (0, ½] and [½, 1) for
    non-identical values with E − NWGM of the wrong sign or zero, the gap computed in
    100-digit decimal arithmetic (:func:`_gap_decimal`)."""
    return _exact_iff_identical_cases(ctx, rng, corrected=True)


CATALOG.no_explorer("sec5.eq52_exact_iff_identical_corrected", "when E(O) = NWGM(O) (identical "
                    "values, or values on both sides of ½): a statement about the sign of "
                    "E − NWGM, no closed form in a parameter; the sign over (E, s) is explored "
                    "with eq81.consistently_low and eq82.consistently_high")


@CATALOG.claim(
    "sec5.variance_bound", label="Section 5, Eq. 212", kind=Kind.INEQUALITY,
    statement="For any random variable O in [0, 1], Var(O) ≤ E(O)(1 − E(O)) ≤ 1/4.")
def sec5_variance_bound(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis search over finite distributions on [0, 1] (including the endpoints), the
    Bernoulli edge case where the first bound is attained, and every unit of enumerated deep
    logistic networks."""
    def holds(args):
        O, P = _unpack(args)
        E = float(P @ O)
        V = float(P @ (O - E) ** 2)
        # 1 − E is resolved to ~1.1e-16 next to E = 1, hence the absolute 1e-15; the bounds
        # are tightened by δ times themselves in power runs (nothing to move when both are 0)
        return (ctx.le(V, E * (1 - E), tol=1e-15, scale=max(V, 1e-300))
                and ctx.le(E * (1 - E), 0.25))
    yield _search(ctx, holds, _st_sample(0.0, 1.0), {"domain": "[0, 1]"})
    O, P = np.array([0.0, 1.0]), np.array([0.3, 0.7])
    yield judge.exact({"case": "Bernoulli(0.7): equality"}, 0.7 * 0.3, P @ (O - 0.7) ** 2)
    # the search above drew the first stream: _deep_logistic_cases takes the second
    for prm, net, I, p, c, lam, e in _deep_logistic_cases(ctx, 3):
        idx = np.arange(net.n_in, net.n_units)
        EO, EO2 = e["EO"][idx], e["EO2"][idx]
        V = EO2 - EO ** 2  # a difference: the tolerance is relative to E(O²)
        yield judge.holds(prm, lambda V=V, EO=EO, tol=FP_SLACK * float(EO2.max()):
                          ctx.le(V, EO * (1 - EO), tol=tol),
                          estimate=Estimate.exact(float(np.max(V / (EO * (1 - EO)))),
                                                  "enumeration", e["n_subnetworks"]),
                          detail=f"max Var/(E(1−E)) = {np.max(V / (EO * (1 - EO))):.4f}")


@CATALOG.explorer("sec5.variance_bound", E=(0.3, 0.02, 0.98), s=(0.5, 0.001, 0.99),
                  law=law_choice("two-point"), bound=("E(1 − E)", "1/4"))
def _explore_sec5_variance(ctx: Context, E: float, s: float, law: str, bound: str) -> Point:
    """Var(O) ≤ E(1 − E) ≤ ¼ (Section 5, Eq. 212) for the values O of
    :func:`~._explore.o_law` (mean E, spread s): the printed bound E(1 − E) on Var(O) (or ¼
    on E(1 − E), ``bound``), exact. The two-point law reaches V = s²E(1 − E): the first bound
    becomes an equality as s → 1 (a Bernoulli variable). A point takes about 2 ms."""
    O, P = o_law(law, E, s)
    w = th.weighted_means(O, P)
    if bound == "1/4":
        return Point.bound(0.25, side="upper", exact=w["E"] * (1 - w["E"]))
    return Point.bound(float(th.variance_bound(w["E"])), side="upper", exact=w["V"])
