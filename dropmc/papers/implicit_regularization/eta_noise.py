"""Section 3.3 of Zhang & Xu: the dropout noise η, its moments and its equivalence with inverted
dropout."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

from ._shared import CATALOG

# ------------------------------------------------------------------------------------------
# Section 3.3: the η noise
# ------------------------------------------------------------------------------------------

#: the Monte Carlo test of the η moments draws enough vectors that the rarest outcome entering
#: a statistic (a pair of rare atoms, probability min(p, 1 − p)² per neighbouring pair) is
#: expected this many times: its count is then nearly normal (Poisson skewness 1/√1000 ≈ 0.03)
ETA_RARE_COUNT = 1000


#: ... within this many m-vectors (8 coordinates each): p up to 0.995 stays below it
ETA_MAX_VECTORS = 1 << 23


def _eta_vectors(ctx: Context, p: float, m: int) -> int:
    """Vectors of η drawn for the moment test at keep probability p (see ETA_RARE_COUNT)."""
    r = min(p, 1.0 - p)
    need = math.ceil(ETA_RARE_COUNT / ((m - 1) * r * r))
    return int(min(max(ctx.budget(400_000, minimum=20_000), need), ETA_MAX_VECTORS))


def _eta_moments_known_se(ctx: Context, p: float, m: int, n: int) -> dict:
    """The Numba sampler's Monte Carlo η moments from ``n`` m-vectors on the context's next
    stream, each with the *known* SE of the two-point law (:func:`th.eta_moment_variances`)
    in place of the batch-means one (kept in the estimate's info): {"mean", "second",
    "cross", "third"} → Estimate."""
    est = sim.estimate_eta_moments(p, m=m, n=n, rng=ctx.stream())
    var = th.eta_moment_variances(p)
    count = {"mean": n * m, "second": n * m, "third": n * m, "cross": n * (m - 1)}
    return {key: Estimate(e.mean, math.sqrt(var[key] / count[key]), e.n, e.method, e.seed,
                          {"se": "known variance of the two-point law", "batch_means_se": e.se})
            for key, e in est.items()}


@CATALOG.claim(
    "sec3_3.eta_moments", label="Section 3.3, Appendix B.1", kind=Kind.IDENTITY,
    statement="The dropout noise η_k = (1 − p)/p w.p. p, −1 w.p. 1 − p has E η_k = 0, "
              "E η_k² = (1 − p)/p and E η_k η_j = 0 for k ≠ j.")
def eta_moments(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact moments from the two-point law (sums over its two atoms) against the printed
    values, and the Numba sampler's Monte Carlo moments against them, for p = 1, 0.5, 0.993
    (a rare-event case: the atom −1 has probability 0.007) and three random p ∈ [0.05, 0.995];
    the third moment (1 − p)(1 − 2p)/p² is checked too as a test of the sampler's law.

    Standard errors are the *known* ones of the two-point law
    (:func:`theory.eta_moment_variances`), not batch means: at p near 1 a batch-means SE from
    32 chunks that each hold a handful of rare pairs is itself noisy and its t statistic is
    skewed. The sample size is set from the rare-event rate (``ETA_RARE_COUNT`` expected
    pairs of rare atoms, at most ``ETA_MAX_VECTORS`` vectors), so the z statistic is close to
    normal. False-alarm rate at p = 0.993 (``tools/false_alarm_implicit_regularization.py``):
    E η, E η², E η³ are affine in the binomial count of the atom −1, and the exact two-sided
    tail P(|z| > 4.5) is 6.79e-6 (normal 6.80e-6); the cross moment is dominated by a
    Poisson(1000) count of rare pairs, whose upper tail beyond 4.5 SDs is 5.2e-6 against the
    normal 3.4e-6; over 400 simulated streams no |z| exceeded 3.9. The batch-means SE at the
    old quick budget (25 000 vectors, 9 rare pairs expected) gave |z| > 4.5 in 1 of 400
    streams, ~370 times the nominal rate (the seed-8 flip of issue 8)."""
    ps = [1.0, 0.5, 0.993] + [float(rng.uniform(0.05, 0.995)) for _ in range(3)]
    m = 8
    for p in ps:
        hi, lo = th.eta_values(p)
        atoms = np.array([hi, lo])
        w = np.array([p, 1.0 - p])
        yield judge.exact({"p": p, "moment": "E η, E η², E η³ (exact, two atoms)"},
                          [th.eta_mean(p), th.eta_second_moment(p), th.eta_third_moment(p)],
                          [w @ atoms, w @ atoms ** 2, w @ atoms ** 3], method="enumeration",
                          n=2, scale=1.0 - p)
        # E η_k E η_j: (p·hi − (1 − p))², terms of size (1 − p)²
        yield judge.exact({"p": p, "moment": "E η_k η_j (exact, four atom pairs)"},
                          th.eta_cross_moment(p), float(w @ atoms) ** 2, method="enumeration",
                          n=4, scale=(1.0 - p) ** 2)
        if p < 1.0:
            n = _eta_vectors(ctx, p, m)
            known = _eta_moments_known_se(ctx, p, m, n)
            for key, val in (("mean", th.eta_mean(p)), ("second", th.eta_second_moment(p)),
                             ("cross", th.eta_cross_moment(p)), ("third", th.eta_third_moment(p))):
                yield judge.identity({"p": p, "moment": key, "m": m, "vectors": n}, val,
                                     known[key])


#: the moments of η an explorer can show: name → (printed closed form, power of the atoms
#: averaged; None: the cross moment E η_k E η_j of independent coordinates)
_ETA_MOMENTS = {"second": (th.eta_second_moment, 2), "mean": (th.eta_mean, 1),
                "cross": (th.eta_cross_moment, None), "third": (th.eta_third_moment, 3)}


def _eta_moment_exact(p: float, power: int | None) -> float:
    """A moment of η under the two-point law, exactly: the atoms (1 − p)/p and −1 with their
    weights p and 1 − p summed in rational arithmetic on the binary value of p (so E η and
    E η_kη_j are exactly 0, not rounding noise), then rounded once."""
    from fractions import Fraction

    P = Fraction(p)
    w, atoms = (P, 1 - P), ((1 - P) / P, Fraction(-1))
    if power is None:
        return float(sum(a * b for a, b in zip(w, atoms)) ** 2)
    return float(sum(a * b ** power for a, b in zip(w, atoms)))


@CATALOG.explorer("sec3_3.eta_moments", p=(0.5, 0.05, 0.995), moment=tuple(_ETA_MOMENTS))
def _explore_eta_moments(ctx: Context, p: float, moment: str) -> Point:
    """A moment of η at keep probability p: the printed closed form ((1 − p)/p for E η², 0
    for E η and E η_kη_j, (1 − p)(1 − 2p)/p² for E η³) against its exact value from the two
    atoms (:func:`_eta_moment_exact`) and the Numba sampler's Monte Carlo moment with the known SE of the two-point law
    (m = 8 coordinates per vector, as many vectors as the claim draws: 400,000 at standard
    precision, more near p = 0.995 so the rare pairs are seen 1000 times). An identity. A
    point takes 0.02 s at p = 0.5 and 0.3 s at p = 0.995 at standard precision."""
    closed, power = _ETA_MOMENTS[moment]
    m = 8
    mc = _eta_moments_known_se(ctx, p, m, _eta_vectors(ctx, p, m))[moment]
    return Point.identity(closed(p), exact=_eta_moment_exact(p, power), mc=mc)


@CATALOG.claim(
    "sec3_3.eta_is_dropout", label="Section 1, Section 3.3", kind=Kind.IDENTITY,
    statement="Applying dropout as (1 + η) ⊙ f is inverted dropout: 1 + η equals 1/p with "
              "probability p and 0 with probability 1 − p, and E(1 + η) ⊙ f = f.")
def eta_is_dropout(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The atoms of 1 + η against {1/p, 0} and its mean against 1 exactly (so E(1 + η) ⊙ f = f
    for any f), and the Numba sampler's empirical
    frequency of 1 + η = 1/p (a binomial estimate) against p, for random p."""
    from dropmc.estimate import binomial_estimate

    for p in [0.5] + [float(rng.uniform(0.05, 0.99)) for _ in range(3)]:
        hi, lo = th.eta_values(p)
        yield judge.exact({"p": p, "check": "atoms of 1 + η and E(1 + η) = 1"},
                          [1.0 / p, 0.0, 1.0],
                          [1.0 + hi, 1.0 + lo, p * (1.0 + hi) + (1.0 - p) * (1.0 + lo)],
                          rtol=1e-12)
        n = ctx.budget(200_000, minimum=10_000)
        s = ctx.stream()
        eta = sim.sample_eta(p, n, rng=s)
        kept = int(np.sum(np.isclose(1.0 + eta, 1.0 / p, rtol=1e-14, atol=0)))
        other = int(np.sum(1.0 + eta == 0.0))
        if kept + other != n:
            yield judge.holds({"p": p}, False,
                              detail=f"{n - kept - other} draws outside the two atoms")
        yield judge.identity({"p": p, "check": "P(1 + η = 1/p)", "n": n}, p,
                             binomial_estimate(kept, n, seed=str(s.spawn_key)))


@CATALOG.explorer("sec3_3.eta_is_dropout", p=(0.5, 0.05, 1.0))
def _explore_eta_is_dropout(ctx: Context, p: float) -> Point:
    """P(1 + η = 1/p) at keep probability p: the printed p against the Numba sampler's
    frequency of the atom 1/p (200,000 draws at standard precision, binomial SE) and the
    exact weight of that atom in the two-point law. An identity. A point takes under 0.01 s
    at standard precision."""
    from dropmc.estimate import binomial_estimate

    hi, _ = th.eta_values(p)
    n = ctx.budget(200_000, minimum=10_000)
    s = ctx.stream()
    eta = sim.sample_eta(p, n, rng=s)
    kept = int(np.sum(np.isclose(1.0 + eta, 1.0 / p, rtol=1e-14, atol=0)))
    exact = p if np.isclose(1.0 + hi, 1.0 / p, rtol=1e-14, atol=0) else 0.0
    return Point.identity(p, exact=exact, mc=binomial_estimate(kept, n, seed=str(s.spawn_key)))
