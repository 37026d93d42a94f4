"""Section 4 of Zhang & Xu, Lemma 1 (Eq. 3, Appendix B.1): the expected dropout loss is
R_S + R1, its gradient, and its failure outside Setting 1."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind, Verdict
from dropmc.explore import Point
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

from ._shared import CATALOG, _explore_rng, _net_params, _random_network, _random_p

# ------------------------------------------------------------------------------------------
# Lemma 1
# ------------------------------------------------------------------------------------------

HIDDEN_ACTS = ("tanh", "relu", "sigmoid")


@CATALOG.claim(
    "lemma1.exact", label="Lemma 1, Eq. 3", kind=Kind.IDENTITY,
    statement="Under Setting 1–2 (one dropout layer after layer L − 1, MSE), "
              "E_η R_S^drop(θ, η) = R_S(θ) + R1(θ), for any depth, width, activation, biases "
              "and output dimension.",
    note="Setting 3 (scalar output) is not needed: the proof only uses E η_k = 0 and "
         "E η_kη_j = δ_kj(1 − p)/p, so Lemma 1 holds for vector outputs too (squared "
         "Euclidean norm); exact enumeration agrees with R_S + R1 to relative 1e-10 for "
         "d' = 1–3. Setting 1 is needed: see lemma1.outside_setting1.")
def lemma1_exact(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration of all 2^{m_{L−1}} keep masks of the dropout layer (Gray-code walk,
    per data point) against R_S + R1 (Eq. 3), relative tolerance 1e-10, for random networks of
    depth 2–4, tanh/ReLU/sigmoid, random biases, widths of the dropout layer 1–20 and outputs
    d' = 1–3, random data and p."""
    widths = [1, 3, 8, 12, 16] + ([20] if ctx.precision.name != "quick" else [14])
    for i, m in enumerate(widths):
        for act in HIDDEN_ACTS:
            L = 2 + (i + HIDDEN_ACTS.index(act)) % 3
            Ws, bs, X, Y = _random_network(rng, L, m, act)
            p = _random_p(rng)
            est = sim.exact_dropout_risk(Ws, bs, X, Y, p, act)
            yield judge.identity(_net_params(Ws, act, p, X),
                                 th.lemma1_rhs(Ws, bs, X, Y, p, act), est)
    Ws, bs, X, Y = _random_network(rng, 3, 6, "tanh")
    est = sim.exact_dropout_risk(Ws, bs, X, Y, 1.0, "tanh")
    yield judge.identity(_net_params(Ws, "tanh", 1.0, X) | {"edge": "p = 1 (R1 = 0)"},
                         th.lemma1_rhs(Ws, bs, X, Y, 1.0, "tanh"), est)


def _explore_network(ctx: Context, slug: str, L: int, m: int, activation: str, s: float,
                     **kw):
    """The fixed random network of an explorer (:func:`_random_network` on the explorer's own
    generator, :func:`_explore_rng`: it depends on the run seed, not on the point) with the
    weights of its hidden layers (all but the last) scaled by ``s``: s ≫ 1 saturates tanh and
    sigmoid units, s ≪ 1 makes them nearly linear."""
    Ws, bs, X, Y = _random_network(_explore_rng(ctx, slug), L, m, activation, **kw)
    return [W * s for W in Ws[:-1]] + [Ws[-1]], bs, X, Y


@CATALOG.explorer("lemma1.exact", p=(0.5, 0.05, 0.99), s=(1.0, 0.1, 10.0),
                  activation=HIDDEN_ACTS)
def _explore_lemma1_exact(ctx: Context, p: float, s: float, activation: str) -> Point:
    """Lemma 1 at keep probability p for a fixed random depth-3 network (dropout layer of 10
    units, its hidden weights scaled by s): R_S + R1 (Eq. 3) against E_η R_S^drop by exact
    enumeration of the 2^10 keep masks and by the Numba Monte Carlo over η (100,000 draws at
    standard precision; p ≤ 0.99: at p = 1 nothing is random). An identity, checked both
    ways. A point takes 0.03 s at standard precision."""
    Ws, bs, X, Y = _explore_network(ctx, "lemma1.exact", 3, 10, activation, s)
    mc = sim.estimate_dropout_risk(Ws, bs, X, Y, p, activation,
                                   n=ctx.budget(100_000, minimum=4_000), rng=ctx.stream())
    return Point.identity(th.lemma1_rhs(Ws, bs, X, Y, p, activation),
                          exact=sim.exact_dropout_risk(Ws, bs, X, Y, p, activation).mean, mc=mc)


@CATALOG.claim(
    "lemma1.monte_carlo", label="Lemma 1, Eq. 3", kind=Kind.IDENTITY,
    statement="E_η R_S^drop = R_S + R1 for wide networks (dropout layers of width 100–400), "
              "by Monte Carlo over η.")
def lemma1_mc(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Numba Monte Carlo of E_η R_S^drop (one η per draw shared by the data points, as in
    Eq. 2) against R_S + R1, two-sided z-test at z*, for random networks of depth 2–4 with
    tanh/ReLU/sigmoid, last hidden widths drawn in [100, 400], random p and data."""
    for i, act in enumerate(HIDDEN_ACTS * 2):
        m = int(rng.integers(100, 401))
        L = 2 + i % 3
        Ws, bs, X, Y = _random_network(rng, L, m, act, width_max=32)
        Ws[-1] = Ws[-1] / math.sqrt(m / 8)
        X, Y = X[:4], Y[:4]
        p = _random_p(rng)
        n = ctx.budget(160_000, minimum=8_000)
        est = sim.estimate_dropout_risk(Ws, bs, X, Y, p, act, n=n, rng=ctx.stream())
        yield judge.identity(_net_params(Ws, act, p, X), th.lemma1_rhs(Ws, bs, X, Y, p, act),
                             est)


@CATALOG.explorer("lemma1.monte_carlo", p=(0.5, 0.05, 0.99), s=(1.0, 0.1, 10.0),
                  activation=HIDDEN_ACTS)
def _explore_lemma1_mc(ctx: Context, p: float, s: float, activation: str) -> Point:
    """Lemma 1 at keep probability p for a fixed wide random depth-3 network (dropout layer of
    200 units, output weights scaled by 1/√(200/8) and 4 data points as in the claim, hidden
    weights scaled by s): R_S + R1 against the Numba Monte Carlo of E_η R_S^drop (160,000 draws
    at standard precision; no enumeration at this width). An identity checked by Monte Carlo.
    A point takes 0.08 s at standard precision."""
    Ws, bs, X, Y = _explore_network(ctx, "lemma1.monte_carlo", 3, 200, activation, s,
                                    width_max=32)
    Ws[-1] = Ws[-1] / math.sqrt(200 / 8)
    X, Y = X[:4], Y[:4]
    mc = sim.estimate_dropout_risk(Ws, bs, X, Y, p, activation,
                                   n=ctx.budget(160_000, minimum=8_000), rng=ctx.stream())
    return Point.identity(th.lemma1_rhs(Ws, bs, X, Y, p, activation), mc=mc)


@CATALOG.claim(
    "lemma1.gradient", label="Appendix B.2 (with Lemma 1)", kind=Kind.IDENTITY,
    statement="E_η ∇θ R_S^drop(θ, η) = ∇θ(R_S + R1)(θ), the step 'in the average sense and "
              "combining Lemma 1' of Appendix B.2.")
def lemma1_gradient(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The expected dropout gradient by enumerating all keep masks (hand-written backprop, itself
    checked against complex-step derivatives in the tests) against the gradient of R_S + R1,
    entrywise to relative 1e-10, for random networks of depth 2–4 and dropout widths ≤ 10."""
    for i in range(6):
        act = HIDDEN_ACTS[i % 3]
        L = 2 + i % 3
        Ws, bs, X, Y = _random_network(rng, L, int(rng.integers(1, 11)), act)
        p = _random_p(rng)
        g = sim.exact_dropout_risk_gradient(Ws, bs, X, Y, p, act)
        ref = th.risk_gradient(th.flatten(Ws, bs), th.shapes_of(Ws), X, Y, act, p=p)
        yield judge.exact(_net_params(Ws, act, p, X), ref, g, method="enumeration",
                          n=1 << Ws[-1].shape[1])


@CATALOG.explorer("lemma1.gradient", p=(0.5, 0.05, 1.0), s=(1.0, 0.1, 10.0),
                  activation=HIDDEN_ACTS)
def _explore_lemma1_gradient(ctx: Context, p: float, s: float, activation: str) -> Point:
    """The gradient identity at keep probability p, read along a fixed random unit direction u
    of parameter space (a generic u sees every entry): u·∇(R_S + R1) against u·E_η∇R_S^drop
    by enumerating the 2^8 keep masks of a fixed random depth-3 network (hidden weights scaled
    by s). An identity, exact on both sides. A point takes 0.03 s."""
    Ws, bs, X, Y = _explore_network(ctx, "lemma1.gradient", 3, 8, activation, s)
    theta = th.flatten(Ws, bs)
    u = _explore_rng(ctx, "lemma1.gradient.direction").normal(size=theta.size)
    u /= np.linalg.norm(u)
    ref = th.risk_gradient(theta, th.shapes_of(Ws), X, Y, activation, p=p)
    return Point.identity(float(u @ ref), exact=float(
        u @ sim.exact_dropout_risk_gradient(Ws, bs, X, Y, p, activation)))


@CATALOG.claim(
    "lemma1.outside_setting1", label="Lemma 1 (outside Setting 1)", kind=Kind.INEQUALITY,
    as_printed=False,
    statement="Lemma 1 does not extend beyond Setting 1: with dropout on an earlier hidden "
              "layer, on two hidden layers (as in the paper's three-layer experiments), or on "
              "the last two hidden layers of four, E_η R_S^drop ≠ R_S + R1 (Eq. 3 with the "
              "last hidden layer and the same p) whenever the dropout outside the last hidden "
              "layer changes the risk at all: the gap exceeds the resolution of exact "
              "enumeration.",
    note="An extension, not a printed claim: the paper proves Lemma 1 for dropout after the "
         "last hidden layer only (Setting 1) and says only that its experiments use dropout "
         "more generally. The claim is that the identity genuinely fails there, so R1 is not "
         "the implicit regulariser of those experiments. With dropout on an earlier hidden "
         "layer, on two hidden layers (as in the paper's three-layer experiments) or on the "
         "last two of four, E R^drop differs from R_S + R1 by 0.01%–74% of the risk, with "
         "either sign (72 random networks, seeds 1–12). Its power is the smallest relative "
         "gap |E R^drop − (R_S + R1)| / (R_S + R1) over the networks tried.")
def lemma1_outside(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration of all joint masks of the dropout layers (forward pass per mask) for
    random depth-3/4 networks with dropout (i) on layer 1 only, (ii) on layers 1 and 2 (the
    paper's Fig. 4 bottom row), (iii) on the last two hidden layers of a depth-4 network;
    networks on which the dropout outside the last hidden layer changes nothing (all its ReLU
    units dead on the data: then it is Setting 1) are redrawn. A case confirms the claim when |E R^drop − (R_S + R1)| exceeds the exact-comparison
    tolerance 1e-10 of the size of the terms (``ctx.ge``: in a power run the threshold is
    raised by δ times that size, so the case is refuted once δ exceeds the relative gap). A
    Setting-1 control on the same network (dropout on the last hidden layer only) must agree
    with Lemma 1 to 1e-10, otherwise the enumeration is not trusted and the case is
    INCONCLUSIVE; the control is reported as a measurement (it is Lemma 1 itself, decided by
    ``lemma1.exact``)."""
    from dropmc.claims import EXACT_RTOL

    neutral = Context(ctx.claim_id, ctx.seed, ctx.precision)
    for i in range(6):
        act = HIDDEN_ACTS[i % 3]
        kind = ("earlier", "two layers", "last two of four")[i % 3]
        L = 4 if kind == "last two of four" else 3
        for _attempt in range(20):
            Ws, bs, X, Y = _random_network(rng, L, int(rng.integers(3, 7)), act, width_max=6)
            p = _random_p(rng)
            if kind == "earlier":
                layers = {1: p}
            elif kind == "two layers":
                layers = {1: p, 2: p}
            else:
                layers = {2: p, 3: p}
            # the dropout outside Setting 1 must do something: with ReLU all units of that
            # layer can be dead on the data, and then it is Setting 1 after all (rejected)
            early = {l: q for l, q in layers.items() if l != L - 1}
            rs = th.empirical_risk(Ws, bs, X, Y, act)
            e_early = sim.enumerate_dropout_risk_general(Ws, bs, X, Y, early, act).mean
            if abs(e_early - rs) > 1e-8 * max(abs(rs), abs(e_early)):
                break
        params = _net_params(Ws, act, p, X) | {"dropout layers": sorted(layers),
                                              "rejected no-op networks": _attempt}
        ctrl = sim.enumerate_dropout_risk_general(Ws, bs, X, Y, {L - 1: p}, act)
        rhs = th.lemma1_rhs(Ws, bs, X, Y, p, act)
        c = judge.identity(params | {"control": "Setting 1"}, rhs, ctrl, ctx=neutral)
        if c.verdict is not Verdict.CONFIRMED:
            yield judge.holds(params, None,
                              detail=f"Setting-1 control failed, enumeration not trusted: "
                                     f"{c.detail}")
            continue
        c.role = "measurement"
        yield c
        est = sim.enumerate_dropout_risk_general(Ws, bs, X, Y, layers, act)
        gap = est.mean - rhs
        size = max(abs(est.mean), abs(rhs))
        tol = EXACT_RTOL * size
        r1 = rhs - th.empirical_risk(Ws, bs, X, Y, act)
        fails = abs(gap) >= tol  # as decided below at δ = 0, for the detail
        yield judge.holds(params, lambda g=abs(gap), tol=tol, size=size:
                          ctx.ge(g, tol, scale=size), theory=rhs, estimate=est, resolution=tol,
                          detail=f"{kind}: E R^drop = {est.mean:.8g}, R_S + R1 = {rhs:.8g}: "
                                 f"gap {gap:.3g} ({abs(gap) / size:.2%} of the terms, "
                                 f"{abs(gap) / r1 if r1 > 0 else math.inf:.3g}× R1) "
                                 + ("> tol" if fails else "≤ tol") + f" {tol:.1g}",
                          error={"abs": abs(gap), "rel": abs(gap) / size})


#: the dropout layers of lemma1.outside_setting1's explorer: name → (depth, hidden layers dropped)
_OUTSIDE_LAYERS = {"two layers": (3, (1, 2)), "earlier": (3, (1,)), "last two of four": (4, (2, 3))}


@CATALOG.explorer("lemma1.outside_setting1", p=(0.5, 0.05, 1.0), s=(1.0, 0.1, 10.0),
                  layers=tuple(_OUTSIDE_LAYERS), activation=HIDDEN_ACTS)
def _explore_outside_setting1(ctx: Context, p: float, s: float, layers: str,
                              activation: str) -> Point:
    """Eq. 3 (R_S + R1 with the last hidden layer's R1) against the exact E_η R_S^drop with
    dropout of keep probability p on hidden layers outside Setting 1 (default: layers 1 and 2
    of a depth-3 network, as in the paper's three-layer experiments), all joint masks
    enumerated, for a fixed random network with hidden widths 5 (hidden weights scaled by s).
    Read as Lemma 1's identity: **here the extension claim is that it fails** — the shaded
    points are where the claim holds (every p < 1 where the earlier dropout changes the risk;
    at p = 1 both sides agree). A point takes 0.01 s."""
    L, drop = _OUTSIDE_LAYERS[layers]
    Ws, bs, X, Y = _explore_network(ctx, "lemma1.outside_setting1", L, 5, activation, s,
                                    width_max=5)
    est = sim.enumerate_dropout_risk_general(Ws, bs, X, Y, {l: p for l in drop}, activation)
    return Point.identity(th.lemma1_rhs(Ws, bs, X, Y, p, activation), exact=est.mean)
