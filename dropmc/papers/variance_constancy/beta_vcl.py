"""Section 2.2 of Littwin & Wolf, second part: the β-VCL loss of Eq. 17 (with Eq. 11 as its β = 0
case), and the prose after it (exploding gradients, the growth of the variance, the separating
force, higher moments from small batches)."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind, Verdict
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers._combined import combined_case
from dropmc.papers.variance_constancy._shared import (
    CATALOG,
    _difference,
    _law_params,
    _printed,
    _random_law,
)
from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th
from dropmc.theory.variance_constancy import Law

# ------------------------------------------------------------------------------------------
# Section 2.2: Eq. 17 (the β-VCL loss)
# ------------------------------------------------------------------------------------------

@CATALOG.claim(
    "eq17.expectation", label="Eq. 11, Eq. 17", kind=Kind.IDENTITY, as_printed=False,
    statement="E(1 − σ²_{s1}/(σ²_{s2} + β))² for normal activations equals 1 − 2σ²E(b+β)⁻¹ + "
              "σ⁴(n+1)/(n−1)E(b+β)⁻² (b a scaled χ²_{n−1}), which at β = 0 is the closed form "
              "1 − 2m/(m−2) + m(m+2)/((m−2)(m−4)), m = n − 1 (n > 5); for two-point activations "
              "it is an exact binomial double sum (infinite at β = 0).",
    note="Reference values derived here (the paper gives no expectation of Eq. 17); they are "
         "what the Eq. 17 claims below are decided against.")
def eq17_expectation(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Monte Carlo of the β-VCL loss with two independent sub-batches against the quadrature /
    closed form (normal, random σ, n ∈ [10, 60] at β = 0 — n ≥ 10 so the estimator's variance,
    which needs E σ_s⁻⁸, is finite — and random β > 0 at random n ≥ 2), and against the exact
    binomial sum for random two-point laws with β > 0."""
    reps = ctx.budget(400_000, minimum=8_000)
    for _ in range(3):
        n = int(rng.integers(10, 61))
        s = float(rng.uniform(0.3, 3))
        est = sim.estimate_vcl_beta(Law.normal(0, s), n, 0.0, reps, rng=ctx.stream())
        yield judge.identity({"law": f"N(0,{s:.3g}²)", "n": n, "beta": 0.0},
                             th.expected_vcl_normal(n, 0.0, s), est)
    for _ in range(3):
        n = int(rng.integers(2, 40))
        s = float(rng.uniform(0.3, 3))
        beta = float(rng.uniform(0.05, 2))
        est = sim.estimate_vcl_beta(Law.normal(0, s), n, beta, reps, rng=ctx.stream())
        yield judge.identity({"law": f"N(0,{s:.3g}²)", "n": n, "beta": beta},
                             th.expected_vcl_normal(n, beta, s), est)
    for _ in range(3):
        law = _random_law(rng, "two_point")
        n = int(rng.integers(2, 20))
        beta = float(rng.uniform(0.05, 2))
        est = sim.estimate_vcl_beta(law, n, beta, reps, rng=ctx.stream())
        yield judge.identity({**_law_params(law), "n": n, "beta": beta},
                             th.expected_vcl_two_point(n, beta, *law.params), est)


#: the activations of the Eq. 17 explorers: N(0, 1) and the symmetric two-point law ±1
_BETA_LAWS = ("normal", "two-point")


def _expected_vcl(law: str, n: int, beta: float, scale: float = 1.0) -> float:
    """E L^β(cρ) for N(0, 1) (quadrature) or two-point ±1 (exact sums) activations scaled by
    c = ``scale``."""
    if law == "normal":
        return th.expected_vcl_normal(n, beta, sigma=scale)
    return th.expected_vcl_two_point(n, beta, -scale, scale)


@CATALOG.explorer("eq17.expectation", beta=(1.0, 0.01, 5.0), n=(10, 2, 60), law=_BETA_LAWS)
def _explore_eq17(ctx: Context, beta: float, n: float, law: str) -> Point:
    """E L^β of Eq. 17 for N(0, 1) or two-point ±1 activations and sub-batches of n (rounded)
    at β: the reference value (quadrature / exact binomial sums) against Monte Carlo of two
    independent sub-batches (200,000 pairs at standard precision). A point takes about
    0.05 s."""
    n = max(2, int(round(n)))
    dist = Law.normal() if law == "normal" else Law.two_point()
    est = sim.estimate_vcl_beta(dist, n, beta, ctx.budget(200_000, 8_000), rng=ctx.stream())
    return Point.identity(_expected_vcl(law, n, beta), mc=est)


@CATALOG.claim(
    "eq11.two_batch_proxy", label="Eq. 6, Eq. 11", kind=Kind.APPROXIMATION, as_printed=False,
    statement="The two-batch loss of Eq. 11 is a proxy for the loss of Eq. 6: "
              "E(1 − σ²_{s1}/σ²_{s2})² = 2·L_s(p) + O(n⁻²), i.e. its relative deviation from "
              "2(κ/n − (n−3)/(n(n−1))) falls like 1/n.",
    note="Not printed: Section 2.2 replaces Eq. 6 by Eq. 11 without relating them. Quantifies "
         "how Theorem 2's κ-ranking (a statement on Eq. 6) carries over to the trained loss.")
def eq11_two_batch_proxy(ctx: Context) -> Iterator[CaseResult]:
    """With u = σ²_{s1}/σ², v = σ²_{s2}/σ² (independent, mean 1, variance L_s), 1 − u/v =
    (v − u) + O_p(n⁻¹), so E(1 − u/v)² = E(v − u)² + O(n⁻²) = 2L_s + O(n⁻²). The criterion is
    this order as n → ∞ (:func:`dropmc.judge.order` with s = 1/n, claimed order 2, absolute
    error), which can be REFUTED: an approximation off by a relative δ leaves an error of order
    δ·2L_s ~ 1/n, slope 1.

    For normal activations E(1 − u/v)² is known in closed form (n > 5; :func:`~dropmc.theory
    .variance_constancy.expected_vcl_normal_beta0`; its distance to 2L_s = 4/m is
    32(m − 1)/(m(m − 2)(m − 4)), m = n − 1) for n = 32…4096. For uniform (κ = 1.8) and Laplace
    (κ = 6) activations E L⁰ is estimated by Monte Carlo at n = 10…80 and 20…320 respectively
    (n ≥ 10 keeps the estimator's variance finite) and the same order judge is applied to the
    estimates, whose noise (critical value × SE) must stay below a quarter of the error at each
    of the four largest n for a refutation to stand (INCONCLUSIVE otherwise); the error at each n is also reported."""
    ns = 2 ** np.arange(5, 13)
    exact = np.array([th.expected_vcl_normal_beta0(int(n)) for n in ns])
    approx = np.array([2 * th.vcl_loss(3.0, int(n)) for n in ns])
    yield judge.order({"law": "N(0,1)", "n": ns.tolist(), "method": "closed form",
                       "s": "1/n"},
                       approx, exact, s=1.0 / ns, claimed=2.0, kind="absolute",
                      name="|E L⁰ − 2L_s| (normal, closed form)")
    # n grids where the error (∝ n⁻²) stays well above the Monte Carlo noise at standard
    for law, ns_mc in ((Law.uniform(), np.array([10, 14, 20, 28, 40, 56, 80])),
                       (Law.laplace(), np.array([20, 40, 80, 160, 320]))):
        kap = th.kurtosis(law)
        ests = [sim.estimate_vcl_beta(law, int(n), 0.0, ctx.budget(300_000, minimum=16_000),
                                      rng=ctx.stream()) for n in ns_mc]
        mc = np.array([e.mean for e in ests])
        ap = np.array([2 * th.vcl_loss(kap, int(n)) for n in ns_mc])
        noise_i = np.array([ctx.critical(e.dof) * e.se for e in ests])
        params = {**_law_params(law), "n": ns_mc.tolist(), "method": "monte_carlo", "s": "1/n"}
        yield combined_case(params, functools.partial(_noisy_order, ctx, params, ap, mc, ns_mc,
                                                      noise_i, str(law)), approximate=True)
        for n, e, a in zip(ns_mc, ests, ap):
            yield judge.approximation({**_law_params(law), "n": int(n),
                                       "method": "monte_carlo"},
                                       a, e.mean, estimate=e,
                                      detail=f"E L⁰ = {e.mean:.5g} ± {e.se:.2g} vs 2L_s = "
                                             f"{a:.5g}")


@CATALOG.explorer("eq11.two_batch_proxy", n=(32, 10, 400), law=("normal", "uniform", "laplace"))
def _explore_eq11(ctx: Context, n: float, law: str) -> Point:
    """The two-batch loss E(1 − σ²_{s1}/σ²_{s2})² of Eq. 11 approximated by 2L_s = 2(κ/n −
    (n − 3)/(n(n − 1))) at sub-batch size n (rounded): exact for normal activations (closed
    form), Monte Carlo for uniform and Laplace ones (200,000 pairs at standard precision).
    The error falls like n⁻² (sweep n on a log scale: the slope −2 is drawn). A point takes
    under 1 ms (normal) or about 0.3 s (3,200,000/n pairs, at least 8,000, at standard
    precision)."""
    n = max(10, int(round(n)))
    dist = {"normal": Law.normal(), "uniform": Law.uniform(), "laplace": Law.laplace()}[law]
    approx = 2 * th.vcl_loss(th.kurtosis(dist), n)
    if law == "normal":
        return Point.approximation(approx, exact=th.expected_vcl_normal_beta0(n), order=-2,
                                   order_in="n")
    est = sim.estimate_vcl_beta(dist, n, 0.0, ctx.budget(max(8_000, 3_200_000 // n), 4_000),
                                rng=ctx.stream())
    return Point.approximation(approx, mc=est, order=-2, order_in="n")


def _noisy_order(ctx: Context, params: dict, ap: np.ndarray, mc: np.ndarray, ns: np.ndarray,
                 noise: np.ndarray, law: str):
    """The order judge of :func:`eq11_two_batch_proxy` on Monte Carlo estimates ``mc`` of
    E L⁰ at the batch sizes ``ns`` (``noise``: critical value × SE of each), against the
    approximation ``ap``: a refutation stands only where the noise is below a quarter of the
    error at each of the four largest n (else INCONCLUSIVE). ``(ok, the order's case)`` for
    :func:`combined_case`."""
    cr = judge.order(params, ap, mc, s=1.0 / ns, claimed=2.0, kind="absolute",
                     name=f"|E L⁰ − 2L_s| ({law}, Monte Carlo)", ctx=ctx)
    # the errors as the judge saw them (the approximation perturbed in power runs), and
    # the noise on each over the tail of four n the slope is taken on
    seen = np.abs(mc - np.asarray(ctx.perturb(ap), float))[-4:]
    ratio = float(np.max(noise[-4:] / np.maximum(seen, 1e-300)))
    cr.detail += (f"; Monte Carlo noise ±{noise[-1]:.2g} at n = {ns[-1]} (critical value × "
                  f"SE), at most {ratio:.2f} of the error on the tail")
    ok = cr.verdict is not Verdict.REFUTED
    if not ok and ratio > 0.25:
        ok = None
        cr.detail = ("Monte Carlo noise is not below a quarter of the error on the tail: "
                     "the order is not decidable; " + cr.detail)
    return ok, cr


@CATALOG.claim(
    "eq17.beta_vanishes_with_scale", label="Eq. 17 (text)", kind=Kind.IDENTITY,
    statement="For β = 0 the loss is scale-free (the distance between the peaks is "
              "inconsequential), and multiplying the activations by a large constant makes β "
              "insignificant: E L^β(cρ) → E L^0(ρ) as c → ∞.")
def eq17_beta_vanishes(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """(i) Scale-freeness at β = 0: Monte Carlo of E L⁰(cρ) for normal activations at random
    scales c ∈ [0.01, 100] (the sampler draws ρ and multiplies by c) against the closed form at
    c = 1 (:func:`~dropmc.theory.variance_constancy.expected_vcl_normal_beta0`, n ∈ [10, 60]),
    and Eq. 17 (:func:`~dropmc.theory.variance_constancy.vcl_beta`) evaluated on scaled pairs
    of sample variances against (1 − a/b)² written out (exact). (ii) The limit: E L^β for
    N(0, c²) activations by quadrature over the scaled χ² law of σ²_{s2} (the σ argument of
    :func:`~dropmc.theory.variance_constancy.expected_vcl_normal`, not the β/c² rewriting) at
    c = 10^k, k = 0…4, whose distance to the β = 0 closed form must shrink monotonically from
    c = 10 on (near c = 1 the curve may cross E L⁰) to below 1e-6 relative at c = 10⁴ (n = 10
    and a random n ∈ [8, 60])."""
    a = rng.gamma(2.0, size=1000)
    b = rng.gamma(2.0, size=1000)
    c = float(rng.uniform(0.01, 100))
    yield judge.exact({"c": c, "pairs": 1000, "quantity": "L⁰(c²a, c²b) vs (1 − a/b)²"},
                      (1.0 - a / b) ** 2, th.vcl_beta(c * c * a, c * c * b, 0.0), n=1000,
                      rtol=1e-12)
    reps = ctx.budget(400_000, minimum=16_000)
    for c in (float(10 ** rng.uniform(-2, 0)), float(10 ** rng.uniform(0, 2))):
        n = int(rng.integers(10, 61))
        est = sim.estimate_vcl_beta(Law.normal(), n, 0.0, reps, scale=c, rng=ctx.stream())
        yield judge.identity({"law": "N(0,1)", "scale": c, "n": n, "beta": 0.0,
                              "method": "monte_carlo"},
                              th.expected_vcl_normal_beta0(n), est)
    for n in (10, int(rng.integers(8, 61))):
        beta = float(rng.uniform(0.1, 2))
        ref = th.expected_vcl_normal_beta0(n)
        cs = 10.0 ** np.arange(0, 5)
        vals = np.array([th.expected_vcl_normal(n, beta, sigma=cc) for cc in cs])
        dist = np.abs(vals - ref)
        # from c = 10 on (at c ~ 1 E L^β(cρ) may cross E L⁰: it has a minimum at a finite c,
        # see eq17.variance_grows)
        mono = bool(np.all(np.diff(dist[1:]) < 0))
        yield judge.holds({"n": n, "beta": beta, "c": cs.tolist(), "method": "quadrature"},
                          lambda mono=mono, far=vals[-1], ref=ref:
                              mono and ctx.close(far, ref, rtol=1e-6),
                          theory=ref,
                          estimate=Estimate.exact(float(vals[-1]), "quadrature"),
                          resolution=1e-6 * ref,
                          detail="|E L^β(cρ) − E L⁰| at c = 1…1e4: "
                                 + ", ".join(f"{v:.3g}" for v in dist)
                                 + ("" if mono else " (not monotone from c = 10 on)"))


@CATALOG.explorer("eq17.beta_vanishes_with_scale", c=(10.0, 1.0, 1000.0), beta=(1.0, 0.1, 3.0),
                  n=(10, 6, 60))
def _explore_beta_vanishes(ctx: Context, c: float, beta: float, n: float) -> Point:
    """E L⁰ (the β = 0 closed form, scale-free) as the limit of E L^β(cρ) for N(0, c²)
    activations (quadrature) as the scale c grows, at sub-batch size n (rounded, ≥ 6): the
    error falls like c⁻² (L^β(cρ) = L^{β/c²}(ρ); sweep c on a log scale). A point takes about
    0.03 s."""
    n = max(6, int(round(n)))
    return Point.approximation(th.expected_vcl_normal_beta0(n),
                               exact=th.expected_vcl_normal(n, beta, sigma=c), order=-2,
                               order_in="c")


def _scale_curve(law_kind: str, n: int, beta: float, cs: np.ndarray) -> np.ndarray:
    """E L^β(cρ) for each scale c: quadrature with σ = c (normal), exact binomial sums with
    atoms ±c (symmetric two-point)."""
    if law_kind == "normal":
        return np.array([th.expected_vcl_normal(n, beta, sigma=c) for c in cs])
    return np.array([th.expected_vcl_two_point(n, beta, -c, c) for c in cs])


@CATALOG.claim(
    "eq17.variance_grows", label="Eq. 17 (text)", kind=Kind.INEQUALITY,
    statement="With β > 0 the loss encourages the variance of each neuron's output to grow: "
              "scaling the activations by a constant larger than one lowers E L^β.",
    note="As printed. Refuted: β does not make a larger activation variance always preferable. "
         "E L^β(cρ) has its minimum at a finite scale c and rises beyond it, for normal and "
         "two-point activations alike (normal, n = 10, β = 1: 0.252 at c ≈ 1.41, 1.256 at "
         "c = 100).",
    no_correction="The statement is false in the paper's own setting (β > 0, normal and "
                  "two-point activations): E L^β(cρ) is minimal at a finite scale and rises "
                  "beyond it. The paper states no narrower form (such as a range of scales), "
                  "and the measured curves are reported in the cases.")
def eq17_variance_grows(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """E L^β(cρ) as a function of the scale c, exactly (quadrature for N(0, c²) activations,
    binomial sums for the symmetric two-point law ±c), on a log grid c ∈ [0.1, 100] for random
    n and β; the claim requires the curve to be non-increasing in c. Where the curve rises,
    between its minimum c_min and c_far = 100, the rise is decided by Monte Carlo: both values
    are estimated (sampler at scale c) and each is tested against the exact curve
    (:func:`dropmc.judge.identity`), and the claimed inequality E L^β(c_far·ρ) ≤
    E L^β(c_min·ρ) is tested one-sided on the Monte Carlo difference
    (:func:`dropmc.judge.upper_bound`). A case is REFUTED when the exact curve rises and the
    Monte Carlo rise is significant and both estimates agree with the exact curve; when the
    Monte Carlo disagrees with the exact curve the case is INCONCLUSIVE (the evidence
    contradicts itself)."""
    cs = np.logspace(-1, 2, 61)
    reps = ctx.budget(200_000, minimum=8_000)
    cases = [("normal", 10, 1.0), ("normal", int(rng.integers(6, 60)), float(rng.uniform(0.1, 3))),
             ("two_point", 4, 1.0), ("two_point", int(rng.integers(2, 16)), float(rng.uniform(0.1, 3)))]
    for kind, n, beta in cases:
        vals = _scale_curve(kind, n, beta, cs)
        j = int(np.argmin(vals))
        params = {"law": "N(0,1)" if kind == "normal" else "two-point(-1,1; q=1/2)", "n": n,
                  "beta": beta}
        # the exact curve must be non-increasing: value at each c ≤ value at the previous c
        rises = [not ctx.le(vals[i + 1], vals[i], tol=1e-12 * abs(vals[i + 1]))
                 for i in range(cs.size - 1)]
        if not any(rises):
            yield judge.holds(params, True, theory=float(vals[-1]),
                              estimate=Estimate.exact(float(vals[-1]), "quadrature", cs.size),
                              detail="E L^β(cρ) non-increasing on c ∈ [0.1, 100]")
            continue
        i = int(np.argmax(rises))
        c_min, c_far = float(cs[j]), float(cs[-1])
        law = Law.normal() if kind == "normal" else Law.two_point()
        e_min = sim.estimate_vcl_beta(law, n, beta, reps, scale=c_min, rng=ctx.stream())
        e_far = sim.estimate_vcl_beta(law, n, beta, reps, scale=c_far, rng=ctx.stream())
        id_min = judge.identity({**params, "c": c_min}, float(vals[j]), e_min)
        id_far = judge.identity({**params, "c": c_far}, float(vals[-1]), e_far)
        diff = _difference(e_far, e_min)
        # the claim: E L^β(c_far ρ) − E L^β(c_min ρ) ≤ 0
        rise = judge.upper_bound({**params, "c_min": c_min, "c_far": c_far}, 0.0, diff,
                                 scale=float(vals[j]))
        txt = (f"E L^β(cρ) is minimal at c ≈ {c_min:.3g} ({vals[j]:.5g}) and increases for "
               f"larger c (first rise between c = {cs[i]:.3g} and {cs[i + 1]:.3g}; "
               f"{vals[-1]:.5g} at c = {c_far:g}); Monte Carlo {e_min.mean:.5g} ± {e_min.se:.2g} "
               f"at c_min (z = {id_min.z:.2f} against the exact curve) and {e_far.mean:.5g} ± "
               f"{e_far.se:.2g} at c = {c_far:g} (z = {id_far.z:.2f}); one-sided z of the rise "
               f"= {rise.z:.1f}")
        # the case can refute the claim (a significant rise) or leave it open; it never
        # confirms it, since the exact curve rises
        if id_min.verdict is Verdict.REFUTED or id_far.verdict is Verdict.REFUTED:
            ok = None
            txt = "Monte Carlo disagrees with the exact curve: " + txt
        elif rise.verdict is Verdict.REFUTED:
            ok = False
        else:
            ok = None
            txt = "exact curve rises but the Monte Carlo rise is not significant: " + txt
        yield judge.holds({**params, "c_min": c_min, "c_far": c_far}, ok, theory=float(vals[j]),
                          estimate=diff, z=rise.z, resolution=rise.resolution, detail=txt,
                          one_sided=True)


@CATALOG.explorer("eq17.variance_grows", c=(3.0, 0.1, 100.0), beta=(1.0, 0.1, 3.0),
                  n=(10, 2, 60), law=_BETA_LAWS)
def _explore_variance_grows(ctx: Context, c: float, beta: float, n: float, law: str) -> Point:
    """"Scaling the activations up lowers E L^β" as a bound: 0 bounds the slope
    d E L^β(cρ)/dc from above at the scale c (central difference of the exact curve of
    :func:`_scale_curve`, step 1e-4 c), for N(0, 1) or two-point ±1 activations, sub-batches
    of n (rounded) and β. It fails beyond the curve's minimum (normal, n = 10, β = 1: from
    c ≈ 1.41 on); no correction is stated. A point takes about 0.06 s."""
    n = max(2, int(round(n)))
    h = 1e-4 * c
    lo, hi = _scale_curve("normal" if law == "normal" else "two_point", n, beta,
                          np.array([c - h, c + h]))
    return Point.bound(0.0, side="upper", exact=float((hi - lo) / (2 * h)))


# ------------------------------------------------------------------------------------------
# Section 2.2 (after Eq. 17): prose statements
# ------------------------------------------------------------------------------------------

@CATALOG.claim(
    "eq17.beta_bounds_gradient", label="Eq. 17 (text)", kind=Kind.IDENTITY,
    statement="β > 0 prevents exploding gradients of Eq. 17 when σ²_{s2} ≈ 0: |∂L^β/∂σ²_{s2}| ≤ "
              "2σ²_{s1}(σ²_{s1} + β)/β³ for all σ²_{s2} ≥ 0, while for β = 0 the gradient grows "
              "like 2σ⁴_{s1}/σ⁶_{s2} as σ²_{s2} → 0.")
def eq17_beta_bounds_gradient(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Section 2.2: "This modification has a two-fold effect. It both stabalizes the loss by
    preventing exploding gradients, …". The gradient of Eq. 17 is derived in closed form
    (:func:`~dropmc.theory.variance_constancy.vcl_beta_grad_b`, ∂L/∂b = 2(1 − a/(b+β))a/(b+β)²,
    and through ∂b/∂ρ_i = 2(ρ_i − ρ̄)/(n − 1) for the activations). Evidence: (i) the closed
    form against central finite differences of Eq. 17 itself (random a, b, β, including β = 0;
    relative 1e-5) and the activation gradients against finite differences in each coordinate;
    (ii) for β > 0, max over a log grid of σ²_{s2} ∈ {0} ∪ [1e-12, 1e3] of |∂L/∂b| ≤ the bound
    2a(a + β)/β³ (ctx.le); and the gradient with respect to the s2 activations, scaled by ε →
    0 (ρ = εz), tends to 0; (iii) for β = 0, b³|∂L/∂b| → 2a² (to 1e-6 at b = 1e-8·a; ∂L/∂b = 2a(b − a)/b³) — unbounded
    — and the norm of the activation gradient grows like ε⁻⁵ (log-log slope −5 ± 0.01)."""
    for _ in range(6):
        a = float(rng.uniform(0.1, 3))
        b = float(rng.uniform(0.05, 3))
        beta = float(rng.choice([0.0, rng.uniform(0.01, 2)]))
        h = 1e-6 * max(b, 1e-3)
        fd = (th.vcl_beta(a, b + h, beta) - th.vcl_beta(a, b - h, beta)) / (2 * h)
        yield judge.exact({"a": a, "b": b, "beta": beta, "check": "∂L/∂b vs finite diff."},
                          float(th.vcl_beta_grad_b(a, b, beta)), float(fd), rtol=1e-5,
                          method="closed_form")
        n = int(rng.integers(2, 9))
        s1, s2 = rng.normal(size=n) * 1.5, rng.normal(size=n)
        g1, g2 = th.vcl_beta_grad_activations(s1, s2, beta)
        fd = []
        for which, vec in ((0, s1), (1, s2)):
            for i in range(n):
                e = np.zeros(n)
                e[i] = 1e-6
                up = (vec + e, s2) if which == 0 else (s1, vec + e)
                dn = (vec - e, s2) if which == 0 else (s1, vec - e)
                Lu = th.vcl_beta(np.var(up[0], ddof=1), np.var(up[1], ddof=1), beta)
                Ld = th.vcl_beta(np.var(dn[0], ddof=1), np.var(dn[1], ddof=1), beta)
                fd.append((Lu - Ld) / 2e-6)
        yield judge.exact({"n": n, "beta": beta, "check": "∂L/∂ρ vs finite diff."},
                          np.concatenate([g1, g2]), np.array(fd), rtol=1e-5)
    bs = np.concatenate([[0.0], np.logspace(-12, 3, 301)])
    for a, beta in ((1.0, 1.0), (2.0, 0.1), (0.5, 0.01)):
        top = float(np.abs(th.vcl_beta_grad_b(a, bs, beta)).max())
        bound = th.vcl_beta_grad_bound(a, beta)
        z = rng.normal(size=8)
        eps = np.logspace(-1, -8, 8)
        gnorm = [float(np.linalg.norm(th.vcl_beta_grad_activations(np.ones(8) + z, e * z, beta)[1]))
                 for e in eps]
        yield judge.holds({"a": a, "beta": beta, "grid": "b in {0} ∪ [1e-12, 1e3]"},
                          lambda top=top, bound=bound: ctx.le(top, bound), theory=bound,
                          estimate=Estimate.exact(top, "closed_form", bs.size),
                          detail=f"max |∂L/∂b| = {top:.6g} {'≤' if top <= bound else '>'} "
                                 f"2a(a+β)/β³ = {bound:.6g}; |∂L/∂ρ(s2)| at ρ = εz, "
                                 "ε = 1e-1…1e-8: "
                                 + ", ".join(f"{v:.2g}" for v in gnorm[::2]),
                          one_sided=True)
    for a in (1.0, 0.3):
        b = 1e-8 * a
        val = abs(float(th.vcl_beta_grad_b(a, b, 0.0))) * b ** 3
        yield judge.exact({"a": a, "beta": 0.0, "b": b, "check": "b³ |∂L/∂b| → 2a²"},
                          2 * a * a, val, rtol=1e-6)
        z = rng.normal(size=8)
        eps = np.logspace(-2, -5, 7)
        gnorm = np.array([np.linalg.norm(th.vcl_beta_grad_activations(a * (np.ones(8) + z),
                                                                       e * z, 0.0)[1]) for e in eps])
        slope, _ = judge.loglog_slope(eps, gnorm)
        yield judge.exact({"a": a, "beta": 0.0, "check": "|∂L/∂ρ(s2)| ~ ε^slope"}, -5.0,
                          slope, rtol=2e-3,
                          detail=f"log-log slope {slope:.4f} (gradient norm "
                                 f"{gnorm[0]:.3g} at ε = 1e-2, {gnorm[-1]:.3g} at 1e-5)")


@CATALOG.explorer("eq17.beta_bounds_gradient", b=(0.5, 0.0, 3.0), a=(1.0, 0.1, 3.0),
                  beta=(1.0, 0.01, 3.0))
def _explore_gradient_bound(ctx: Context, b: float, a: float, beta: float) -> Point:
    """The bound 2a(a + β)/β³ on |∂L^β/∂σ²_{s2}| at σ²_{s1} = a, σ²_{s2} = b (the closed-form
    gradient, checked against finite differences by the claim): it holds for every b ≥ 0
    when β > 0, tightest at b = 0. A point takes under 1 ms."""
    return Point.bound(th.vcl_beta_grad_bound(a, beta), side="upper",
                       exact=abs(float(th.vcl_beta_grad_b(a, b, beta))))


@CATALOG.claim(
    "eq17.separating_force", label="Eq. 17 (text)", kind=Kind.INEQUALITY,
    statement="As β grows there is a stronger driving force separating the two modes: the "
              "force F(β) = −∂E L^β(cρ)/∂c at c = 1 on the scale of the activations (the "
              "distance between the modes) increases with β.",
    note="As printed (read as monotone in β). Refuted: F is negative for small β, peaks near "
         "β ≈ 2σ² (2.0–3.2σ² for n = 4 to 32) and then decays like 4σ²/β: from β = 1 to "
         "β = 10 it drops from 0.485 to 0.300 for the two-point law at n = 10 (from 0.343 to "
         "0.295 for normal activations). See eq17.separating_force_corrected.")
def eq17_separating_force(ctx: Context) -> Iterator[CaseResult]:
    """Section 2.2: "As β grows, there is a stronger driving force that separates the two
    modes." Decided from the gradient of the expected loss with respect to the scale c of the
    activations (L^β(cρ) = L^{β/c²}(ρ); for two-point activations ±c the modes are 2c apart):
    F(β) = −∂E L^β(cρ)/∂c|_{c=1}, exactly — a double binomial sum for the symmetric two-point
    law (:func:`~dropmc.theory.variance_constancy.separating_force_two_point`), quadrature
    for normal activations (:func:`~dropmc.theory.variance_constancy.separating_force_normal`);
    each is first checked against a central finite difference in c of the expected loss
    (:func:`~dropmc.theory.variance_constancy.expected_vcl_two_point` /
    :func:`~dropmc.theory.variance_constancy.expected_vcl_normal`, an independent path). The
    claim "F increases with β" is then tested on pairs β₁ < β₂ (each comparison exact): it
    holds at small β (β = 0.1 → 1) but fails beyond the peak, which lies near β ≈ 2σ² (2.0–3.2σ²
    for n = 4…32): from β = 1 to 10, F drops from 0.485 to 0.300 for the two-point law at
    n = 10 and from 0.343 to 0.295 for normal activations, and F → 4σ²/β → 0."""
    for n in (4, 10):
        for beta in (0.3, 3.0):
            h = 1e-5
            fd = -(th.expected_vcl_two_point(n, beta, -(1 + h), 1 + h)
                   - th.expected_vcl_two_point(n, beta, -(1 - h), 1 - h)) / (2 * h)
            yield judge.exact({"law": "two-point ±1", "n": n, "beta": beta,
                               "check": "F vs finite difference in c"},
                               th.separating_force_two_point(n, beta), fd, rtol=1e-6)
    for n, beta in ((10, 1.0), (32, 3.0)):
        h = 1e-4
        fd = -(th.expected_vcl_normal(n, beta, 1 + h) - th.expected_vcl_normal(n, beta, 1 - h)) / (2 * h)
        yield judge.exact({"law": "N(0,1)", "n": n, "beta": beta,
                           "check": "F vs finite difference in c"},
                           th.separating_force_normal(n, beta), fd, rtol=1e-5)
    for law, F in (("two-point ±1", th.separating_force_two_point),
                   ("N(0,1)", th.separating_force_normal)):
        for n in (10, 32):
            for b1, b2 in ((0.1, 1.0), (1.0, 10.0)):
                f1, f2 = F(n, b1), F(n, b2)
                yield _printed({"law": law, "n": n, "beta1": b1, "beta2": b2, "F1": f1},
                               f2, f1, ">", ctx, f"F(β={b2:g}) vs F(β={b1:g})")


def _force(law: str, n: float, beta: float) -> float:
    """F(β) = −∂E L^β(cρ)/∂c at c = 1 for two-point ±1 (exact sums) or N(0, 1) (quadrature)
    activations, n rounded."""
    n = max(2, int(round(n)))
    if law == "normal":
        return th.separating_force_normal(n, beta)
    return th.separating_force_two_point(n, beta)


@CATALOG.explorer("eq17.separating_force", beta=(5.0, 0.05, 30.0), n=(10, 2, 60),
                  law=("two-point", "normal"))
def _explore_separating_force(ctx: Context, beta: float, n: float, law: str) -> Point:
    """"F increases with β" as a bound: 0 bounds dF/dβ from below at β (central difference,
    step 1e-4 β, of the exact force), for two-point ±1 or N(0, 1) activations and sub-batches
    of n. It fails beyond the peak of F near β ≈ 2σ² (2.0–3.2σ² for n = 4 to 32). The
    correction (eq17.separating_force_corrected: F ~ 4σ²/β) is an approximation, explored on
    its own claim. A point takes under 1 ms (two-point) or about 0.05 s (normal)."""
    h = 1e-4 * beta
    return Point.bound(0.0, side="lower",
                       exact=(_force(law, n, beta + h) - _force(law, n, beta - h)) / (2 * h))


@CATALOG.claim(
    "eq17.separating_force_corrected", label="Eq. 17 (text)", kind=Kind.APPROXIMATION,
    as_printed=False, corrects="variance_constancy.eq17.separating_force", fix="rewrite",
    statement="The force separating the modes, F(β) = −∂E L^β(cρ)/∂c at c = 1, is negative "
              "for small β (it pulls the modes together), positive for β of the order of σ², "
              "and decays like 4σ²/β as β → ∞.")
def eq17_separating_force_corrected(ctx: Context) -> Iterator[CaseResult]:
    """F(β) = 4β(E A(B+β)⁻² − E A²(B+β)⁻³) (A, B the two sample variances): as β → ∞,
    β·F(β) → 4E A = 4σ², so F ~ 4σ²/β; the relative error of that asymptote is judged by
    :func:`dropmc.judge.order` (relative, s = 1/β → 0, order 1: it must vanish). The sign at
    small β: for the two-point law at n = 10, F(0.01) < 0 (the constant batches, σ²_{s2} = 0,
    dominate: scaling up makes β relatively smaller and the loss (1 − σ²_{s1}/β)² larger);
    F(1) > 0. Exact comparisons."""
    bs = np.array([10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0])
    for law, F in (("two-point ±1", th.separating_force_two_point),
                   ("N(0,1)", th.separating_force_normal)):
        for n in (4, 10):
            vals = np.array([F(n, b) for b in bs])
            yield judge.order({"law": law, "n": n, "beta": bs.tolist()}, 4.0 / bs, vals,
                              s=1.0 / bs, claimed=1.0, kind="relative", name="F(β) vs 4σ²/β")
    f_small, f_mid = th.separating_force_two_point(10, 0.01), th.separating_force_two_point(10, 1.0)
    yield judge.holds({"law": "two-point ±1", "n": 10, "beta": 0.01},
                      lambda: ctx.le(f_small, 0.0, scale=abs(f_small)) and f_small < 0,
                      theory=0.0,
                      estimate=Estimate.exact(f_small, "closed_form"),
                      detail=f"F(0.01) = {f_small:.4g} < 0", one_sided=True)
    yield judge.holds({"law": "two-point ±1", "n": 10, "beta": 1.0},
                      lambda: ctx.ge(f_mid, 0.0, scale=abs(f_mid)) and f_mid > 0, theory=0.0,
                      estimate=Estimate.exact(f_mid, "closed_form"),
                      detail=f"F(1) = {f_mid:.4g} > 0", one_sided=True)


@CATALOG.explorer("eq17.separating_force_corrected", beta=(30.0, 0.5, 3000.0), n=(10, 2, 60),
                  law=("two-point", "normal"))
def _explore_separating_force_corrected(ctx: Context, beta: float, n: float,
                                        law: str) -> Point:
    """The corrected force: 4σ²/β (σ² = 1) as the approximation of F(β) (exact) as β → ∞,
    for two-point ±1 or N(0, 1) activations and sub-batches of n; the error falls like β⁻²
    (sweep β on a log scale). At small β, F is negative (two-point, n = 10: F(0.01) < 0).
    A point takes under 1 ms (two-point) or about 0.03 s (normal)."""
    return Point.approximation(4.0 / beta, exact=_force(law, n, beta), order=-2,
                               order_in="beta")


#: the batch sizes Section 2.2's "small batches" is decided at: n = 2 (the paper's best VCL
#: setting on CIFAR, Section 3), 5 (its Tiny ImageNet setting), 10 (its UCI setting) and 32
SMALL_BATCHES = (2, 5, 10, 32)


def _moment_error_cases(ctx: Context, ns) -> Iterator[CaseResult]:
    """E(m̂₄/m₄ − 1)² > E(σ_s²/σ² − 1)² (m̂₄ = (1/n)Σ(ρ_i − ρ̄)⁴) for normal, uniform, Laplace and
    symmetric two-point activations at each batch size of ``ns``, law by law, each from the
    next stream: paired Monte Carlo
    (:func:`~dropmc.simulations.variance_constancy.estimate_moment_errors`) tested one-sided
    on the paired difference (:func:`judge.exceeds`); the relative MSEs (with Eq. 1's value for
    σ_s², and that of the sample kurtosis) are in the details."""
    reps = ctx.budget(200_000, minimum=65_536)   # Laplace's m̂₄ error is heavy-tailed
    for law in (Law.normal(), Law.uniform(), Law.laplace(), Law.two_point()):
        for n in ns:
            r = sim.estimate_moment_errors(law, n, reps, rng=ctx.stream())
            prm = {**_law_params(law), "n": n, "kappa": th.kurtosis(law)}
            txt = (f"relative MSE: σ_s² {r['var'].mean:.4g} (Eq. 1: {th.vcl_loss(th.kurtosis(law), n):.4g}), "
                   f"m̂₄ {r['m4'].mean:.4g}, κ̂ {r['kurt'].mean:.4g}")
            yield judge.exceeds(prm, 0.0, r["m4_minus_var"], scale=r["m4"].mean,
                                detail="E(m̂₄/m₄ − 1)² − E(σ_s²/σ² − 1)²; " + txt)


@CATALOG.claim(
    "sec2_2.higher_moments_small_batch", label="Section 2.2 (end)", kind=Kind.INEQUALITY,
    statement="Estimating higher moments from small batches is prone to large estimation "
              "errors: the sample fourth central moment has a larger relative mean squared error "
              "than the sample variance from the same batch of size n, at the small batches of "
              "the paper's experiments (n = 2, 5, 10) and at n = 32.",
    note="As printed, read comparatively (the alternative to the VCL, built on σ_s², is a loss "
         "built on m̂₄). Refuted at n = 2, the batch of the paper's best VCL results (Section "
         "3): m̂₄ = (ρ₁ − ρ₂)⁴/16 is shrunk toward 0, and its relative mean squared error is "
         "below that of σ_s² (normal activations: about 1.2 against Eq. 1's 2), significantly "
         "for the normal, uniform and two-point laws; for the heavy-tailed Laplace law the "
         "reversal is not always resolved at this budget (one-sided z 3.5 against 4.70 at "
         "seed 20261123). At n = 5 the two-point law's two errors (0.100 and 0.100) are not "
         "resolved. "
         "Corrected in sec2_2.higher_moments_small_batch_corrected (n = 10 and 32).")
def sec2_2_higher_moments(ctx: Context) -> Iterator[CaseResult]:
    """Section 2.2: "Note that optimizing m4 directly is not advisable, since estimating higher
    moments from small batches is prone to large estimation errors." Read comparatively (the
    VCL's σ_s² is the alternative): on the same draws, E(m̂₄/m₄ − 1)² > E(σ_s²/σ² − 1)²,
    decided by :func:`_moment_error_cases` at the batch sizes of :data:`SMALL_BATCHES` — the
    paper's own n = 2 (CIFAR, its best results), 5 (Tiny ImageNet) and 10 (UCI), and n = 32 —
    on normal, uniform, Laplace and symmetric two-point activations. (Skewed heavy-tailed laws
    are left out: for exponential activations at n = 10 the squared error of m̂₄ is so
    heavy-tailed — its SE needs E ρ¹⁶ — that the batch-means SE is unreliable, ±14 on a
    difference of 21.) At n = 2 the order reverses (m̂₄ = (ρ₁ − ρ₂)⁴/16 is shrunk toward 0,
    so its relative error stays near 1, while σ_s² has relative MSE 2 for normal activations),
    significantly for the normal, uniform and two-point laws (the Laplace law's heavy tails
    leave it unresolved at some seeds), which refutes the sentence; for the two-point law
    at n = 5 the difference (relative MSEs 0.100 and 0.100) is below the resolution."""
    yield from _moment_error_cases(ctx, SMALL_BATCHES)


@CATALOG.claim(
    "sec2_2.higher_moments_small_batch_corrected", label="Section 2.2 (end)",
    kind=Kind.INEQUALITY, as_printed=False, corrects="sec2_2.higher_moments_small_batch",
    fix="scope",
    statement="From the same batch of n = 10 or 32 normal, uniform, Laplace or symmetric "
              "two-point activations, the sample fourth central moment has a larger relative "
              "mean squared error than the sample variance.",
    note="Corrects sec2_2.higher_moments_small_batch to the batch sizes where the evidence "
         "holds: from n = 10 (the paper's UCI setting) on, m̂₄ is the less reliable statistic "
         "for every law; at n = 2, the paper's best VCL setting, the order reverses.")
def sec2_2_higher_moments_corrected(ctx: Context) -> Iterator[CaseResult]:
    """The printed comparison narrowed to n = 10 and 32: E(m̂₄/m₄ − 1)² > E(σ_s²/σ² − 1)²
    for normal, uniform, Laplace and symmetric two-point activations, decided by
    :func:`_moment_error_cases` (paired Monte Carlo on the claim's own streams, one-sided test
    of the paired difference)."""
    yield from _moment_error_cases(ctx, (10, 32))


@CATALOG.explorer("sec2_2.higher_moments_small_batch", n=(2, 2, 64),
                  law=("normal", "uniform", "laplace", "two-point"))
def _explore_higher_moments(ctx: Context, n: float, law: str) -> Point:
    """E(m̂₄/m₄ − 1)² − E(σ_s²/σ² − 1)², bounded from below by 0 (m̂₄ the less reliable),
    paired Monte Carlo from the same batches of n (rounded; 100,000 batches at standard
    precision), for N(0, 1), U(0, 1), Laplace or symmetric two-point activations. The printed
    statement fails at n = 2 (m̂₄ is shrunk toward 0); its correction
    (sec2_2.higher_moments_small_batch_corrected) claims n ≥ 10 only (NaN below). A point takes
    about 0.05 s at standard precision."""
    n = max(2, int(round(n)))
    dist = {"normal": Law.normal(), "uniform": Law.uniform(), "laplace": Law.laplace(),
            "two-point": Law.two_point()}[law]
    r = sim.estimate_moment_errors(dist, n, ctx.budget(100_000, 16_384), rng=ctx.stream())
    return Point.bound(0.0, side="lower", mc=r["m4_minus_var"],
                       correction=0.0 if n >= 10 else math.nan)


CATALOG.no_explorer("sec2_2.higher_moments_small_batch_corrected",
                    "explored with sec2_2.higher_moments_small_batch (its correction: n ≥ 10)")
