"""Section 3 of Drop-Activation (the method): the random map I − P + Pf with ReLU (Eq. 3–4), its
expectation (1 − p)I + pf (Eq. 5), the leaky ReLU it is for ReLU (Eq. 5, Eq. 8) and the mean of
RReLU it is compared with (Eq. 6)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.drop_activation._shared import ACTS, CATALOG, _random_p
from dropmc.simulations import drop_activation as sim
from dropmc.simulations import enumeration
from dropmc.theory import drop_activation as th

# ------------------------------------------------------------------------------------------
# Section 3
# ------------------------------------------------------------------------------------------

@CATALOG.claim(
    "eq4.relu_piecewise", label="Eq. 3, Eq. 4", kind=Kind.IDENTITY,
    statement="With ReLU, (I − P + Pf)(x)[j] equals x[j] when x[j] ≥ 0 and (1 − P_j)x[j] "
              "when x[j] < 0, for every mask P.")
def eq4_relu_piecewise(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Eq. 3 against Eq. 4 on every one of the 2^d masks (random d ≤ 12 and random x, with
    exact zeros included), compared entrywise."""
    for _ in range(6):
        d = int(rng.integers(1, 13))
        x = rng.normal(size=d) * rng.uniform(0.1, 10)
        x[rng.random(d) < 0.15] = 0.0
        masks, _ = enumeration.enumerate_masks(d, 0.5)
        lhs = th.drop_activation_map(x[None, :], masks, th.relu)
        rhs = th.drop_activation_relu_piecewise(x[None, :], masks)
        yield judge.exact({"d": d, "masks": 1 << d}, rhs, lhs, method="enumeration", n=1 << d)


@CATALOG.claim(
    "eq5.expected_map", label="Eq. 5", kind=Kind.IDENTITY,
    statement="E_P (I − P + Pf)(x) = ((1 − p)I + pf)(x) for P_i ~ B(p) i.i.d. and any "
              "elementwise f (ReLU, sigmoid, tanh).")
def eq5_expected_map(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration over all 2^d masks for d ≤ 14, and Monte Carlo (all coordinates
    combined in one χ² test) for d = 256, for ReLU, sigmoid and tanh and random p and x."""
    for act in ("relu", "sigmoid", "tanh"):
        d = int(rng.integers(2, 15))
        p = _random_p(rng)
        x = rng.normal(size=d) * 2
        val = sim.expected_map_by_enumeration(x, p, act)
        yield judge.exact({"activation": act, "d": d, "p": p},
                          th.expected_map(x, p, ACTS[act]), val, method="enumeration",
                          n=1 << d)
        d = 256
        x = rng.normal(size=d) * 2
        n = ctx.budget(64_000, minimum=2_000)
        s = ctx.stream()
        mean, se = sim.estimate_expected_map(x, p, act, n=n, rng=s)
        yield judge.identity_many({"activation": act, "d": d, "p": p},
                                  th.expected_map(x, p, ACTS[act]), mean, se=se, n=n,
                                  method="monte_carlo", seed=str(s.spawn_key))


@CATALOG.claim(
    "eq5.leaky_relu", label="Eq. 5, Eq. 8", kind=Kind.IDENTITY,
    statement="With ReLU the test-time activation (1 − p)I + p·r is the leaky ReLU with "
              "negative slope 1 − p.")
def eq5_leaky_relu(ctx: Context) -> Iterator[CaseResult]:
    """A hypothesis search over (x, p) for a point where the test-time map of Eq. 5,
    (1 − p)x + p·max(x, 0) (:func:`~dropmc.theory.drop_activation.rp`), differs from the
    leaky ReLU of slope 1 − p by more than 1e-12 of the size of the terms (|x|), plus a dense
    grid compared entrywise. The leaky ReLU is the theory side (perturbed in power runs).
    Subnormal x are not drawn: below 2.2e-308 a float carries fewer than 53 significant bits,
    so (1 − p)x + p·x rounds away from x (x = 5e-324, p = ½ gives 0) and a relative comparison
    says nothing about Eq. 5."""
    from hypothesis import strategies as st

    def holds(args):
        x, p = args
        a = float(th.rp(x, p))
        b = float(th.leaky_relu(x, 1.0 - p))
        return ctx.close(a, b, rtol=1e-12, scale=abs(x) if x != 0.0 else 1.0)

    strat = st.tuples(st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False),
                      st.floats(1e-6, 1.0, allow_nan=False))
    yield judge.search_case({"x": "[-1e6, 1e6]", "p": "[1e-6, 1]"}, holds, strat, what="(x, p)")
    xs = np.linspace(-10, 10, 2001)
    for p in (0.05, 0.5, 0.95, 1.0):
        yield judge.exact({"grid": "x in [-10, 10]", "p": p}, th.leaky_relu(xs, 1 - p),
                          th.rp(xs, p), n=xs.size)


@CATALOG.claim(
    "eq6.rrelu_mean", label="Eq. 6", kind=Kind.IDENTITY,
    statement="RReLU with U_j ~ U(a, b) has mean x for x ≥ 0 and (a + b)x/2 for x < 0, i.e. on "
              "average a leaky ReLU of slope (a + b)/2 (for comparison with Drop-Activation's "
              "mean slope 1 − p).")
def eq6_rrelu_mean(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Monte Carlo of Eq. 6 per coordinate (χ²-combined) at the paper's a = 1/8, b = 1/3 and at
    random 0 < a < b < 1."""
    cases = [(1 / 8, 1 / 3)] + [tuple(sorted(rng.uniform(0.01, 0.99, 2))) for _ in range(2)]
    for a, b in cases:
        x = rng.normal(size=32) * 3
        n = ctx.budget(64_000, minimum=2_000)
        s = ctx.stream()
        mean, se = sim.estimate_rrelu_mean(x, a, b, n=n, rng=s)
        yield judge.identity_many({"a": a, "b": b, "d": x.size}, th.rrelu_mean(x, a, b), mean,
                                  se=se, n=n, method="monte_carlo", seed=str(s.spawn_key))


# -- explorers ----------------------------------------------------------------------------

CATALOG.no_explorer("eq4.relu_piecewise",
                    "an identity for each 0/1 mask: both sides are the same piecewise-linear "
                    "map of x for every x, nothing continuous to explore (p enters at Eq. 5)")


def _coordinate(printed: float, mean: np.ndarray, se: np.ndarray, n: int,
                exact: float | None = None) -> Point:
    """An identity at one coordinate: the Monte Carlo ``mean`` ± ``se`` of n draws where the
    draws are random (SE > 0), the ``exact`` value where there is one; a deterministic
    coordinate (SE 0) without one is exact at its mean."""
    mc = None if se[0] == 0 else Estimate(float(mean[0]), float(se[0]), n, "monte_carlo")
    if exact is None and mc is None:
        exact = float(mean[0])
    return Point.identity(printed, exact=exact, mc=mc)


@CATALOG.explorer("eq5.expected_map", p=(0.5, 0.05, 1.0), x=(-1.0, -4.0, 4.0),
                  activation=("relu", "sigmoid", "tanh"))
def _explore_eq5(ctx: Context, p: float, x: float, activation: str) -> Point:
    """Eq. 5 at one input x and keep probability p: ((1 − p)I + pf)(x) against E_P of the
    random map (I − P + Pf)(x) by enumeration of both masks and by Monte Carlo (400,000 draws
    at standard precision; for ReLU at x ≥ 0 the map is deterministic and only the exact side
    is shown). A point takes about 5 ms."""
    xv = np.array([x])
    n = ctx.budget(400_000, 10_000)
    mean, se = sim.estimate_expected_map(xv, p, activation, n=n, rng=ctx.stream())
    return _coordinate(float(th.expected_map(xv, p, ACTS[activation])[0]), mean, se, n,
                       exact=float(sim.expected_map_by_enumeration(xv, p, activation)[0]))


CATALOG.no_explorer("eq5.leaky_relu",
                    "an algebraic identity, (1 − p)x + p·max(x, 0) = leaky ReLU of slope 1 − p, "
                    "exact for every (x, p): nothing to explore beyond eq5.expected_map")


@CATALOG.explorer("eq6.rrelu_mean", x=(-1.0, -4.0, 4.0), a=(0.125, 0.01, 0.25),
                  b=(1 / 3, 0.26, 0.99))
def _explore_eq6(ctx: Context, x: float, a: float, b: float) -> Point:
    """Eq. 6 at one input x with U ~ U(a, b) (the paper's a = 1/8, b = 1/3 by default; a up to
    ¼ and b from 0.26, so a < b anywhere in the ranges): the mean (a + b)x/2 for x < 0 (x for
    x ≥ 0) against the Monte Carlo mean of RReLU (400,000 draws at standard precision; exact
    for x ≥ 0, where RReLU is the identity). A point takes about 10 ms."""
    xv = np.array([x])
    n = ctx.budget(400_000, 10_000)
    mean, se = sim.estimate_rrelu_mean(xv, a, b, n=n, rng=ctx.stream())
    return _coordinate(float(th.rrelu_mean(xv, a, b)[0]), mean, se, n)
