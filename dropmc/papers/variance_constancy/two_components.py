"""Section 2.1 of Littwin & Wolf (a phase shift behaviour): Theorem 2 on a two-Gaussian mixture
(Eq. 7–10), its extension to unequal covariances, and Figure 2, a single linear unit trained
with VCL alone."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from scipy import integrate, optimize, stats

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind, Verdict
from dropmc.estimate import Estimate, function_estimate, mean_estimate
from dropmc.explore import Point
from dropmc.papers._combined import combined_case
from dropmc.papers.variance_constancy._shared import CATALOG
from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th

# ------------------------------------------------------------------------------------------
# Section 2.1: Theorem 2, Eq. 7–10
# ------------------------------------------------------------------------------------------

def _random_spd(rng, d, cond_max=20.0):
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    ev = np.exp(rng.uniform(0, math.log(cond_max), d)) * rng.uniform(0.2, 2)
    return (Q * ev) @ Q.T


def _random_mixture(rng, d, shared=True):
    mu1 = rng.normal(size=d) * rng.uniform(0.5, 3)
    mu2 = rng.normal(size=d) * rng.uniform(0.5, 3)
    S1 = _random_spd(rng, d)
    S2 = S1 if shared else _random_spd(rng, d)
    return mu1, mu2, S1, S2


@CATALOG.claim(
    "eq8.gaussian_moments", label="Eq. 8", kind=Kind.IDENTITY,
    statement="For N(μ, σ²): E x⁴ = μ⁴ + 6μ²σ² + 3σ⁴ and E x² = σ² + μ².")
def eq8_gaussian_moments(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Both non-central moments by scipy quadrature of the normal density for random μ, σ
    (relative tolerance 1e-9, the quadrature's own accuracy is ~1e-12)."""
    for _ in range(6):
        mu = float(rng.normal() * 3)
        s = float(rng.uniform(0.1, 3))
        m4, m2 = th.gaussian_raw_moments(mu, s * s)
        q4, q2 = _quad_moments(mu, s)
        yield judge.exact({"mu": mu, "sigma": s, "moment": "m4, m2"}, [m4, m2], [q4, q2],
                          rtol=1e-9, method="quadrature")


def _quad_moments(mu, s):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        q4 = integrate.quad(lambda x: x ** 4 * stats.norm.pdf(x, mu, s), -np.inf, np.inf,
                            epsabs=0, epsrel=1e-12, limit=200)[0]
        q2 = integrate.quad(lambda x: x ** 2 * stats.norm.pdf(x, mu, s), -np.inf, np.inf,
                            epsabs=0, epsrel=1e-12, limit=200)[0]
    return q4, q2


@CATALOG.explorer("eq8.gaussian_moments", mu=(1.0, -3.0, 3.0), sigma=(1.0, 0.1, 3.0),
                  moment=("fourth", "second"))
def _explore_eq8(ctx: Context, mu: float, sigma: float, moment: str) -> Point:
    """Eq. 8 for N(μ, σ²): E x⁴ = μ⁴ + 6μ²σ² + 3σ⁴ (``moment = fourth``) or E x² = σ² + μ²
    against scipy quadrature of the normal density. A point takes about 5 ms."""
    m4, m2 = th.gaussian_raw_moments(mu, sigma * sigma)
    q4, q2 = _quad_moments(mu, sigma)
    return Point.identity(m4, exact=q4) if moment == "fourth" else Point.identity(m2, exact=q2)


def _explore_mixture(sep: float, r: float = 1.0, turn: float = 0.0):
    """The 2-D mixture the Theorem 2 explorers vary: Figure 2's (μ1 = 0, μ2 = (4, 4), Σ
    elongated across μ1 − μ2) with the mean difference scaled by ``sep``, and the second
    component's covariance turned by ``turn`` degrees and scaled by ``r`` (r = 1, turn = 0:
    shared). Returns (μ1, μ2, Σ1, Σ2)."""
    a = math.radians(turn)
    R = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return (FIG2_MU1, FIG2_MU1 + sep * (FIG2_MU2 - FIG2_MU1), FIG2_SIGMA,
            r * R @ FIG2_SIGMA @ R.T)


@CATALOG.claim(
    "eq9.projected_kurtosis", label="Theorem 2, Eq. 9", kind=Kind.IDENTITY,
    statement="For x ~ pN(μ1, Σ) + (1 − p)N(μ2, Σ) and ρ = θᵀx: m4 = α(1 − 3α)b² + 6αwb + 3w², "
              "σ² = αb + w and κ(ρ) = 3 + α(1 − 6α)b²/(αb + w)², with α = p(1 − p), "
              "b = θᵀΣ_bθ, w = θᵀΣ_wθ.")
def eq9_projected_kurtosis(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Both lines of Eq. 9 against 1-D quadrature of the projected mixture density (rtol 1e-8)
    and against Monte Carlo of full d-dimensional draws projected on θ (delta-method SE), for
    random d ∈ [1, 6], p, means, a shared random covariance (condition number ≤ 20) and θ."""
    for i in range(6):
        d = int(rng.integers(1, 7))
        p = float(rng.uniform(0.02, 0.98))
        mu1, mu2, S, _ = _random_mixture(rng, d)
        theta = rng.normal(size=d)
        Sw, Sb = th.scatter_matrices(p, mu1, mu2, S, S)
        b, w = float(theta @ Sb @ theta), float(theta @ Sw @ theta)
        k9 = float(th.kurtosis_eq9(b, w, p))
        k9a = float(th.kurtosis_eq9_first_line(b, w, p))
        kq = th.projected_gmm_kurtosis_quad(theta, p, mu1, mu2, S, S)
        params = {"d": d, "p": p, "b": b, "w": w}
        yield judge.exact({**params, "method": "quadrature"}, [k9, k9a], [kq, kq], rtol=1e-8,
                          method="quadrature")
        if i < 3:
            est = sim.estimate_projected_kurtosis(theta, p, mu1, mu2, S, S,
                                                  reps=ctx.budget(400_000, minimum=20_000),
                                                  rng=ctx.stream())
            yield judge.identity({**params, "method": "monte_carlo"}, k9, est)


@CATALOG.explorer("eq9.projected_kurtosis", p=(0.3, 0.02, 0.98), phi=(0.5, 0.0, 3.1416),
                  sep=(0.5, 0.05, 2.0))
def _explore_eq9(ctx: Context, p: float, phi: float, sep: float) -> Point:
    """Eq. 9's κ(θᵀx) for the mixture of :func:`_explore_mixture` (shared covariance) with
    prior p, projected on θ = (cos φ, sin φ), against quadrature of the projected density and
    Monte Carlo of 2-D draws (200,000 at standard precision). κ = 3 at p ≈ 0.2113 and 0.7887
    for every θ; φ = 3π/4 is the direction ⊥ μ1 − μ2 (κ = 3 at every p). A point takes about
    0.05 s at standard precision."""
    mu1, mu2, S, _ = _explore_mixture(sep)
    theta = np.array([math.cos(phi), math.sin(phi)])
    Sw, Sb = th.scatter_matrices(p, mu1, mu2, S, S)
    est = sim.estimate_projected_kurtosis(theta, p, mu1, mu2, S, S,
                                          reps=ctx.budget(200_000, minimum=20_000),
                                          rng=ctx.stream())
    return Point.identity(float(th.kurtosis_eq9(theta @ Sb @ theta, theta @ Sw @ theta, p)),
                          exact=th.projected_gmm_kurtosis_quad(theta, p, mu1, mu2, S, S),
                          mc=est)


def _optimise_kappa(rng, p, mu1, mu2, S1, S2):
    """Independent minimisation of κ(θᵀx) over directions θ (κ from the component moments,
    not from Eq. 9): a dense grid of angles refined by a bounded scalar search in d = 2; 24
    random starts of BFGS on θ/|θ| in d > 2. Returns (θ*, κ*)."""
    d = mu1.size
    kap = lambda T: th.projected_gmm_kurtosis_many(np.atleast_2d(T), p, mu1, mu2, S1, S2)  # noqa: E731
    if d == 2:
        phi = np.linspace(0, np.pi, 7201)
        T = np.column_stack([np.cos(phi), np.sin(phi)])
        k = kap(T)
        j = int(np.argmin(k))
        h = phi[1] - phi[0]
        r = optimize.minimize_scalar(lambda a: kap([math.cos(a), math.sin(a)])[0],
                                     bounds=(phi[j] - h, phi[j] + h), method="bounded",
                                     options={"xatol": 1e-12})
        best = np.array([math.cos(r.x), math.sin(r.x)])
        return best, float(kap(best)[0])
    best, kbest = None, np.inf
    f = lambda t: float(kap(t / np.linalg.norm(t))[0])  # noqa: E731
    for _ in range(24):
        r = optimize.minimize(f, rng.normal(size=d), method="BFGS", options={"gtol": 1e-10})
        if r.fun < kbest:
            best, kbest = r.x / np.linalg.norm(r.x), r.fun
    return best, float(kbest)


def _regime_case(ctx, rng, p, d, shared=True):
    mu1, mu2, S1, S2 = _random_mixture(rng, d, shared)
    Sw, Sb = th.scatter_matrices(p, mu1, mu2, S1, S2)
    t_opt, k_opt = _optimise_kappa(rng, p, mu1, mu2, S1, S2)
    reg = th.regime(p)
    r_max = th.max_between_within_ratio(mu1, mu2, Sw)
    if reg == "lda":
        t_thm = th.lda_direction(mu1, mu2, Sw)
    else:
        # a direction with θᵀ(μ1 − μ2) = 0: argmin of θᵀΣ_bθ/θᵀΣ_wθ (ratio 0)
        dlt = (mu1 - mu2) / np.linalg.norm(mu1 - mu2)
        v = rng.normal(size=d)
        v -= (v @ dlt) * dlt
        t_thm = v / np.linalg.norm(v)
    k_thm = float(th.projected_gmm_kurtosis_many(t_thm[None, :], p, mu1, mu2, S1, S2)[0])
    r_opt = th.between_within_ratio(t_opt, Sb, Sw) / r_max
    params = {"d": d, "p": p, "regime": reg, "shared_covariance": shared,
              "r_max": r_max}
    tol = 1e-8 * max(1.0, abs(k_opt))
    if reg == "lda":
        cos = abs(float(t_opt @ t_thm))
        dir_ok = lambda: ctx.ge(cos, 1.0, tol=1e-6)  # noqa: E731
        dtxt = f"|cos(θ*, LDA)| = {cos:.9f}"
    else:
        # κ − 3 ∝ r² near r = 0, so the optimiser's θ* is only determined to r ~ √(its κ
        # tolerance); 1e-3 of the largest ratio still separates it from every other direction
        dir_ok = lambda: ctx.le(r_opt, 0.0, tol=1e-3, scale=1.0)  # noqa: E731
        dtxt = f"r(θ*)/r_max = {r_opt:.3g}"

    def ok() -> bool:
        direction = dir_ok()
        return ctx.le(k_thm, k_opt, tol=tol) and direction

    est = Estimate(k_opt, 0.0, 1, "optimisation", extra={"theta_opt": t_opt.tolist()})
    return judge.holds({**params, "r_opt_over_rmax": r_opt}, ok, theory=k_thm, estimate=est,
                       resolution=tol,
                       detail=f"κ at the theorem's direction {k_thm:.9g}, optimiser's minimum "
                              f"{k_opt:.9g}; {dtxt}")


def _regime_ps(rng):
    return ([float(rng.uniform(0.01, th.P_LOW - 0.01)), float(rng.uniform(th.P_LOW + 0.01, 0.5)),
             float(rng.uniform(0.5, th.P_HIGH - 0.01)), float(rng.uniform(th.P_HIGH + 0.01, 0.99))]
            + [0.1, 0.25, 0.5])


@CATALOG.claim(
    "thm2.regimes", label="Theorem 2, Eq. 7, Eq. 10", kind=Kind.IDENTITY,
    statement="For a two-Gaussian mixture with shared covariance, argmin_θ κ(θᵀx) is the LDA "
              "direction argmin θᵀΣ_wθ/θᵀΣ_bθ when (1 − √(1/3))/2 ≤ p ≤ (1 + √(1/3))/2, and "
              "argmin θᵀΣ_bθ/θᵀΣ_wθ (the clusters merged, θ ⊥ μ1 − μ2) otherwise.",
    note="Eq. 10's second case prints θᵀΣ_wθ/θᵀΣ_wθ (a typo for θᵀΣ_bθ/θᵀΣ_wθ); the theorem's "
         "statement writes Σ2 for both components. See thm2.unequal_covariance.")
def thm2_regimes(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """κ(θᵀx) is minimised over directions by an independent optimiser (κ from the projected
    component moments, not from Eq. 9; dense angle grid + bounded refinement in 2-D, 24-start
    BFGS in d = 3, 5) for random means, shared covariances and p drawn in each regime (and
    p = 0.1, 0.25, 0.5). A case holds when κ at the theorem's direction is not above the
    optimiser's minimum (1e-8 relative) and the optimiser's θ* is the theorem's direction:
    |cos(θ*, LDA)| ≥ 1 − 1e-6 in the middle regime, θ*ᵀΣ_bθ*/θ*ᵀΣ_wθ* ≤ 1e-3·max ratio
    outside (κ − 3 is quadratic in that ratio, so the optimiser locates the flat minimum only
    to about the square root of its tolerance). At p exactly on a threshold κ ≡ 3 for every θ (checked exactly)."""
    for d in (2, 3, 5):
        ps = _regime_ps(rng) if d == 2 else _regime_ps(rng)[:4]
        for p in ps:
            yield _regime_case(ctx, rng, p, d)
    for p in (th.P_LOW, th.P_HIGH):
        mu1, mu2, S, _ = _random_mixture(rng, 3)
        T = rng.normal(size=(20, 3))
        yield judge.exact({"p": p, "threshold": True}, np.full(20, 3.0),
                          th.projected_gmm_kurtosis_many(T, p, mu1, mu2, S, S), rtol=1e-9)


def _explore_regime(p: float, sep: float, r: float = 1.0,
                    turn: float = 0.0) -> tuple[float, float, float, float]:
    """κ(θᵀx) for the mixture of :func:`_explore_mixture` at the directions Theorem 2 names
    and at the minimum over directions (the independent optimiser of thm2.regimes, 2-D:
    dense angle grid and bounded refinement): (κ at the regime's direction (Eq. 7), κ at the
    LDA direction, κ at the merging direction ⊥ μ1 − μ2, the minimum)."""
    mu1, mu2, S1, S2 = _explore_mixture(sep, r, turn)
    Sw, _ = th.scatter_matrices(p, mu1, mu2, S1, S2)
    lda = th.lda_direction(mu1, mu2, Sw)
    dl = mu1 - mu2
    orth = np.array([-dl[1], dl[0]]) / np.linalg.norm(dl)
    k_lda, k_orth = th.projected_gmm_kurtosis_many(np.array([lda, orth]), p, mu1, mu2, S1, S2)
    _, k_min = _optimise_kappa(None, p, mu1, mu2, S1, S2)
    k_thm = k_lda if th.regime(p) == "lda" else k_orth
    return float(k_thm), float(k_lda), float(k_orth), k_min


@CATALOG.explorer("thm2.regimes", p=(0.3, 0.01, 0.99), sep=(0.5, 0.05, 2.0))
def _explore_regimes(ctx: Context, p: float, sep: float) -> Point:
    """Theorem 2 at prior p for the shared-covariance mixture of :func:`_explore_mixture`: κ at
    the direction Eq. 7 names (LDA for p in [0.2113, 0.7887], ⊥ μ1 − μ2 outside) against the
    minimum of κ over directions found by the independent optimiser (exact to its
    tolerance). It holds at every p and separation. A point takes about 5 ms."""
    k_thm, _, _, k_min = _explore_regime(p, sep)
    return Point.identity(k_thm, exact=k_min)


@CATALOG.claim(
    "thm2.threshold_value", label="Theorem 2, Eq. 10; Figure 2 caption", kind=Kind.VALUE,
    statement="α(1 − 6α) ≤ 0 exactly for (1 − √(1/3))/2 ≤ p ≤ (1 + √(1/3))/2, and the lower "
              "threshold is 0.2113.")
def thm2_threshold_value(ctx: Context) -> Iterator[CaseResult]:
    """The printed 0.2113 against (1 − √(1/3))/2 to its digits; the sign of α(1 − 6α) on a
    dense grid of p against the interval (exact, including the roots of 6p² − 6p + 1 from
    numpy.roots)."""
    yield from [judge.printed_value({"quantity": "(1 - sqrt(1/3))/2"}, th.P_LOW, "0.2113")]
    roots = np.sort(np.roots([6.0, -6.0, 1.0]).real)
    yield judge.exact({"quantity": "roots of α(1-6α) = 0 in p"}, [th.P_LOW, th.P_HIGH], roots)
    p = np.linspace(0.0005, 0.9995, 19991)
    a = p * (1 - p)

    def disagree(lo, hi) -> np.ndarray:
        """The grid points where the sign of α(1 − 6α) disagrees with the interval."""
        return (a * (1 - 6 * a) <= 0) != ((p >= lo) & (p <= hi))

    bad = disagree(th.P_LOW, th.P_HIGH)
    yield judge.holds({"grid": "p in (0,1), 19991 points"},
                      # the interval is the theory side
                      lambda: not disagree(*ctx.perturb(np.array([th.P_LOW, th.P_HIGH]))).any(),
                      theory=float(th.P_LOW),
                      estimate=Estimate.exact(float(bad.sum()), "enumeration", p.size),
                      detail=f"{int(bad.sum())} grid points disagree")


CATALOG.no_explorer("thm2.threshold_value",
                    "a printed value (the threshold (1 − √(1/3))/2 = 0.2113) and the sign of a "
                    "fixed polynomial; the regimes it separates are explored with thm2.regimes")


def _merge_regime_ps(rng) -> list[float]:
    """Keep probabilities where α(1 − 6α) > 0 (Eq. 10's second case): one below P_LOW, one
    above P_HIGH, and Figure 2's p = 0.1."""
    return [float(rng.uniform(0.01, th.P_LOW - 0.01)), float(rng.uniform(th.P_HIGH + 0.01, 0.99)),
            0.1]


@CATALOG.claim(
    "eq10.second_case", label="Theorem 2 (proof), Eq. 10", kind=Kind.IDENTITY,
    statement="When α(1 − 6α) > 0, argmin_θ κ(θᵀx) = argmax_θ θᵀΣ_wθ/(α(1 − 6α)θᵀΣ_bθ) = "
              "argmin_θ θᵀΣ_wθ/θᵀΣ_wθ (Eq. 10's second case as printed).",
    note="The printed ratio θᵀΣ_wθ/θᵀΣ_wθ is 1 for every θ, so its argmin is every direction "
         "and selects none; κ is not constant in this regime (κ − 3 = α(1 − 6α)b²/(αb + w)² "
         "> 0 unless θ ⊥ μ1 − μ2), so the equality fails: e.g. the LDA direction, in the "
         "printed argmin, has κ above the minimum 3 in every case (exact; 3.0001–9.1 over "
         "seeds 1–12). "
         "eq10.second_case_corrected reads Σ_b for the first Σ_w.")
def eq10_second_case(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """For random shared-covariance mixtures (d = 2, 3, 5) at p in the regime α(1 − 6α) > 0
    (:func:`_merge_regime_ps`): the printed argmin contains the LDA direction θ_L (its ratio is
    1, as everywhere), so the printed equality says κ(θ_L) = min_θ κ = κ(θ_⊥) with θ_⊥ ⊥
    μ1 − μ2 (κ = 3 there, and κ ≥ 3 everywhere in this regime by Eq. 9); both κ from the
    projected component moments (not Eq. 9), compared exactly (:func:`judge.identity`)."""
    for d in (2, 3, 5):
        for p in _merge_regime_ps(rng):
            mu1, mu2, S, _ = _random_mixture(rng, d)
            Sw, _ = th.scatter_matrices(p, mu1, mu2, S, S)
            t_lda = th.lda_direction(mu1, mu2, Sw)
            dlt = (mu1 - mu2) / np.linalg.norm(mu1 - mu2)
            v = rng.normal(size=d)
            v -= (v @ dlt) * dlt
            k_lda, k_perp = th.projected_gmm_kurtosis_many(np.array([t_lda, v]), p, mu1, mu2,
                                                           S, S)
            printed = float(t_lda @ Sw @ t_lda) / float(t_lda @ Sw @ t_lda)
            yield judge.identity({"d": d, "p": p}, float(k_perp),
                                 Estimate.exact(float(k_lda), "closed_form"),
                                 detail=f"printed ratio at the LDA direction {printed:g} (its "
                                        "value at every θ)")


@CATALOG.explorer("eq10.second_case", p=(0.1, 0.01, 0.21), sep=(0.5, 0.05, 2.0))
def _explore_eq10(ctx: Context, p: float, sep: float) -> Point:
    """Eq. 10's second case at prior p (below 0.2113, where α(1 − 6α) > 0) for the mixture of
    :func:`_explore_mixture`: κ at the LDA direction, which the printed argmin of
    θᵀΣ_wθ/θᵀΣ_wθ (1 for every θ) contains, and at the corrected argmin of θᵀΣ_bθ/θᵀΣ_wθ (the
    direction ⊥ μ1 − μ2; eq10.second_case_corrected) against the minimum of κ over directions
    (the optimiser). The printed statement fails at every p and separation; the correction
    holds. A point takes about 5 ms."""
    _, k_lda, k_orth, k_min = _explore_regime(p, sep)
    return Point.identity(k_lda, exact=k_min, correction=k_orth)


@CATALOG.claim(
    "eq10.second_case_corrected", label="Theorem 2 (proof), Eq. 10", kind=Kind.IDENTITY,
    as_printed=False, corrects="eq10.second_case", fix="misprint",
    statement="When α(1 − 6α) > 0, argmin_θ κ(θᵀx) = argmax_θ θᵀΣ_wθ/(α(1 − 6α)θᵀΣ_bθ) = "
              "argmin_θ θᵀΣ_bθ/θᵀΣ_wθ: the directions θ ⊥ μ1 − μ2.",
    note="The intended ratio is told by the paper twice: Theorem 2's own second case (Eq. 7), "
         "which Eq. 10 proves, is argmin θᵀΣ_bθ/θᵀΣ_wθ, and the step before it, argmax of "
         "θᵀΣ_wθ/(cθᵀΣ_bθ) with c = α(1 − 6α) > 0, is the argmin of the reciprocal "
         "θᵀΣ_bθ/θᵀΣ_wθ; both replace the first Σ_w of the printed ratio by Σ_b. Decided by "
         "the independent optimiser of thm2.regimes in this regime.")
def eq10_second_case_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """At p where α(1 − 6α) > 0 (:func:`_merge_regime_ps`; d = 2, 3, 5), κ(θᵀx) minimised over
    directions by the optimiser of thm2.regimes (:func:`_regime_case`): κ at a direction ⊥
    μ1 − μ2 is not above the optimiser's minimum, and the optimiser's θ* has θ*ᵀΣ_bθ*/θ*ᵀΣ_wθ*
    ≤ 1e-3 of the largest ratio."""
    for d in (2, 3, 5):
        for p in _merge_regime_ps(rng):
            yield _regime_case(ctx, rng, p, d)


CATALOG.no_explorer("eq10.second_case_corrected", "explored with eq10.second_case (its "
                                                  "correction)")


def _unequal_covariance_cases(rng: np.random.Generator, n_cases: int = 5):
    """The cases of eq9.unequal_covariance and its correction, drawn from ``rng``: random
    d ∈ [2, 4], p, means, unequal covariances Σ1 ≠ Σ2 and θ."""
    for _ in range(n_cases):
        d = int(rng.integers(2, 5))
        p = float(rng.uniform(0.05, 0.95))
        mu1, mu2, S1, S2 = _random_mixture(rng, d, shared=False)
        theta = rng.normal(size=d)
        yield d, p, mu1, mu2, S1, S2, theta


@CATALOG.claim(
    "eq9.unequal_covariance", label="Theorem 2, Eq. 9 (with Σ1 ≠ Σ2)", kind=Kind.IDENTITY,
    as_printed=False,
    statement="Eq. 9 with Σ_w = pΣ1 + (1 − p)Σ2 (Theorem 2's definition) also gives κ(θᵀx) when "
              "the two components have different covariances.",
    note="An extension the theorem's Σ_w definition suggests but its proof (which writes Σ2 for "
         "both components) does not cover. Refuted: with unequal covariances κ depends on "
         "θᵀΣ1θ and θᵀΣ2θ separately (κ − Eq. 9 = [3α(w1 − w2)² + 6αb(1 − 2p)(w1 − w2)]/σ⁴), "
         "and Eq. 9 misses the true κ in every random case (e.g. 2.73 against 2.78 by "
         "quadrature of the projected density).")
def eq9_unequal_covariance(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Eq. 9 with Σ_w = pΣ1 + (1 − p)Σ2 against quadrature of the projected density for random
    unequal covariances (rtol 1e-8), plus one Monte Carlo case."""
    for i, (d, p, mu1, mu2, S1, S2, theta) in enumerate(_unequal_covariance_cases(rng)):
        Sw, Sb = th.scatter_matrices(p, mu1, mu2, S1, S2)
        k9 = float(th.kurtosis_eq9(theta @ Sb @ theta, theta @ Sw @ theta, p))
        kq = th.projected_gmm_kurtosis_quad(theta, p, mu1, mu2, S1, S2)
        yield judge.exact({"d": d, "p": p, "method": "quadrature"}, k9, kq, rtol=1e-8,
                          method="quadrature",
                          detail=f"Eq. 9 gives {k9:.6g}, quadrature {kq:.6g}")
        if i == 0:
            est = sim.estimate_projected_kurtosis(theta, p, mu1, mu2, S1, S2,
                                                  reps=ctx.budget(400_000, minimum=20_000),
                                                  rng=ctx.stream())
            yield judge.identity({"d": d, "p": p, "method": "monte_carlo"}, k9, est)


@CATALOG.explorer("eq9.unequal_covariance", r=(2.0, 0.25, 4.0), turn=(0.0, 0.0, 90.0),
                  p=(0.3, 0.02, 0.98), phi=(0.5, 0.0, 3.1416))
def _explore_eq9_unequal(ctx: Context, r: float, turn: float, p: float, phi: float) -> Point:
    """Eq. 9 with Σ_w = pΣ1 + (1 − p)Σ2 for the mixture of :func:`_explore_mixture` with Σ2
    = Σ1 turned by ``turn`` degrees and scaled by r, projected on θ = (cos φ, sin φ), and its
    correction (eq9.unequal_covariance_corrected: the terms in w1 − w2) against quadrature of
    the projected density. The printed form fails wherever θᵀΣ1θ ≠ θᵀΣ2θ; the correction
    holds. A point takes about 0.1 s."""
    mu1, mu2, S1, S2 = _explore_mixture(0.5, r, turn)
    theta = np.array([math.cos(phi), math.sin(phi)])
    Sw, Sb = th.scatter_matrices(p, mu1, mu2, S1, S2)
    b = float(theta @ Sb @ theta)
    return Point.identity(
        float(th.kurtosis_eq9(b, theta @ Sw @ theta, p)),
        exact=th.projected_gmm_kurtosis_quad(theta, p, mu1, mu2, S1, S2),
        correction=float(th.kurtosis_general(b, theta @ S1 @ theta, theta @ S2 @ theta, p)))


@CATALOG.claim(
    "eq9.unequal_covariance_corrected", label="Theorem 2, Eq. 9 (with Σ1 ≠ Σ2)",
    kind=Kind.IDENTITY, as_printed=False,
    corrects="eq9.unequal_covariance", fix="rewrite", same_cases=True,
    statement="With w1 = θᵀΣ1θ, w2 = θᵀΣ2θ and w = pw1 + (1 − p)w2, κ(θᵀx) = Eq. 9 + "
              "[3α(w1 − w2)² + 6αb(1 − 2p)(w1 − w2)]/(αb + w)².")
def eq9_unequal_covariance_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: the centred component offsets are (1 − p)δ and −pδ (δ = θᵀ(μ1 − μ2),
    b = δ²); Eq. 8 per component gives m4 = α(1 − 3α)b² + 6b[p(1−p)²w1 + (1−p)p²w2] +
    3[pw1² + (1−p)w2²] and σ² = αb + w. Subtracting Eq. 9's numerator
    α(1 − 3α)b² + 6αbw + 3w² leaves 6αb(1 − 2p)(w1 − w2) + 3α(w1 − w2)². Checked against
    quadrature of the projected density on the same random cases as the printed extension
    (``same_cases``: :func:`_unequal_covariance_cases` draws them from its first stream)."""
    for d, p, mu1, mu2, S1, S2, theta in _unequal_covariance_cases(rng):
        dl = theta @ (mu1 - mu2)
        kg = float(th.kurtosis_general(dl * dl, theta @ S1 @ theta, theta @ S2 @ theta, p))
        kq = th.projected_gmm_kurtosis_quad(theta, p, mu1, mu2, S1, S2)
        yield judge.exact({"d": d, "p": p, "method": "quadrature"}, kg, kq, rtol=1e-8,
                          method="quadrature")


CATALOG.no_explorer("eq9.unequal_covariance_corrected",
                    "explored with eq9.unequal_covariance (its correction)")


@CATALOG.claim(
    "thm2.unequal_covariance", label="Theorem 2, Eq. 7 (with Σ1 ≠ Σ2)", kind=Kind.IDENTITY,
    as_printed=False,
    statement="Theorem 2's regime rule, with Σ_w = pΣ1 + (1 − p)Σ2, also gives the "
              "κ-minimising direction when the components have different covariances.",
    note="Extension, not printed (the proof assumes a shared covariance). Decided by the same "
         "independent optimiser as thm2.regimes. Refuted: with Σ1 ≠ Σ2 the rule's direction is "
         "not the κ-minimiser in nearly every random case (e.g. κ = 3.007 there against 2.986 "
         "at the optimiser's minimum), so Theorem 2 needs the shared covariance its proof "
         "assumes.")
def thm2_unequal_covariance(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """As thm2.regimes, with independent random covariances Σ1 ≠ Σ2 (d = 2 and 3, p in each
    regime); a case is refuted when the optimiser finds a lower κ than the theorem's direction
    or a different direction."""
    for d in (2, 3):
        for p in _regime_ps(rng)[:4] + [0.5]:
            yield _regime_case(ctx, rng, p, d, shared=False)


@CATALOG.explorer("thm2.unequal_covariance", p=(0.3, 0.01, 0.99), turn=(60.0, 0.0, 90.0),
                  r=(1.0, 0.25, 4.0), sep=(0.5, 0.05, 2.0))
def _explore_regimes_unequal(ctx: Context, p: float, turn: float, r: float,
                             sep: float) -> Point:
    """Theorem 2's rule (Σ_w = pΣ1 + (1 − p)Σ2) for the mixture of :func:`_explore_mixture`
    with Σ2 = Σ1 turned by ``turn`` degrees and scaled by r: κ at the rule's direction against
    the minimum over directions (the optimiser). At turn = 0, r = 1 it is thm2.regimes and
    holds; otherwise the rule's direction is not the minimiser at most p (e.g. turn = 60°:
    κ = 2.068 against 1.977 at p = 0.3). A point takes about 5 ms."""
    k_thm, _, _, k_min = _explore_regime(p, sep, r, turn)
    return Point.identity(k_thm, exact=k_min)


# ------------------------------------------------------------------------------------------
# Figure 2: VCL training of a single linear unit
# ------------------------------------------------------------------------------------------

#: the 2-D mixture used for Figure 2: shared covariance elongated across μ1 − μ2 (the LDA
#: direction Σ⁻¹(μ1 − μ2) is parallel to μ1 − μ2 and orthogonal to the merging direction)
FIG2_MU1 = np.array([0.0, 0.0])


FIG2_MU2 = np.array([4.0, 4.0])


FIG2_SIGMA = np.array([[0.5, -0.25], [-0.25, 0.5]])

#: the training of the Figure 2 claims. The paper gives none for the figure; Section 2.4 gives
#: its VCL procedure: β initialised at 1 and learned, the L2 norm of the gradient clipped at 1.
#: The sub-batch size n, the SGD step and the number of steps are ours; every run starts from
#: a random unit θ.
FIG2_N = 32
FIG2_LR = 0.01
FIG2_STEPS = 40_000
FIG2_CLIP = 1.0

#: a learned θ is "along" a direction when it is within this many degrees of it: 10° from the
#: LDA direction of the Figure 2 mixture keeps 91 % of the largest Fisher ratio
#: θᵀΣ_bθ/θᵀΣ_wθ (30° keeps 50 %)
FIG2_ALONG_DEG = 10.0

#: independent training runs per case at standard precision, and at least this many at any
#: precision (a decision on a mean over runs needs 64)
FIG2_RUNS = 64


def fig2_directions(p):
    """(LDA direction, merging direction ⊥ μ1 − μ2) for the Figure 2 mixture."""
    Sw, _ = th.scatter_matrices(p, FIG2_MU1, FIG2_MU2, FIG2_SIGMA, FIG2_SIGMA)
    lda = th.lda_direction(FIG2_MU1, FIG2_MU2, Sw)
    dl = FIG2_MU1 - FIG2_MU2
    orth = np.array([-dl[1], dl[0]]) / np.linalg.norm(dl)
    return lda, orth


def _predicted_direction(p):
    """Theorem 2's κ-minimising direction for the Figure 2 mixture (Eq. 7) and its regime: the
    LDA direction Σ_w⁻¹(μ1 − μ2) when (1 − √(1/3))/2 ≤ p ≤ (1 + √(1/3))/2 (``"lda"``), else
    the merging direction θ ⊥ μ1 − μ2, where θᵀΣ_bθ = 0 (``"merge"``; unique up to sign in
    2-D)."""
    lda, orth = fig2_directions(p)
    want = th.regime(p)
    return (lda if want == "lda" else orth), want


def _line_angle(u, v) -> float:
    """The angle in degrees, in [0°, 90°], between the lines spanned by the unit vectors u, v."""
    return math.degrees(math.acos(min(1.0, abs(float(u @ v)))))


def _train_unit(p, n, steps, clip, rng):
    """One run of :func:`~dropmc.simulations.variance_constancy.train_vcl_unit` on the Figure 2
    mixture (step :data:`FIG2_LR`, β learned from 1, a random unit start drawn from ``rng``;
    ``clip`` = inf: no clipping): the learned θ/|θ| and β."""
    res = sim.train_vcl_unit(p, FIG2_MU1, FIG2_MU2, FIG2_SIGMA, FIG2_SIGMA, n=n, steps=steps,
                             lr=FIG2_LR, clip=1e300 if math.isinf(clip) else clip, rng=rng)
    return res["theta"] / np.linalg.norm(res["theta"]), res["beta"]


def _sgd_name(clip) -> str:
    return "unclipped SGD" if math.isinf(clip) else f"SGD clipped at {clip:g}"


def _final_angles(p, n, runs, clip, rng) -> np.ndarray:
    """The angles (degrees) of the θ learned by ``runs`` independent trainings
    (:func:`_train_unit`, :data:`FIG2_STEPS` steps each, every run's start and sub-batches
    drawn from ``rng`` in turn) to the direction Theorem 2 predicts."""
    ref, _ = _predicted_direction(p)
    return np.array([_line_angle(_train_unit(p, n, FIG2_STEPS, clip, rng)[0], ref)
                     for _ in range(runs)])


def _angles_text(ang: np.ndarray, want: str) -> str:
    return (f"{ang.mean():.1f}° from the predicted {'LDA' if want == 'lda' else 'merging'} "
            f"direction on average (SD {ang.std(ddof=1):.1f}°, range {ang.min():.1f}–"
            f"{ang.max():.1f}°; {int((ang <= FIG2_ALONG_DEG).sum())} of {ang.size} runs within "
            f"{FIG2_ALONG_DEG:g}°)")


def _convergence_case(ctx: Context, p: float, clip: float,
                      rng: np.random.Generator) -> CaseResult:
    """Does training (sub-batches of :data:`FIG2_N`) converge along the direction Theorem 2
    predicts? :data:`FIG2_RUNS` runs at standard precision (:func:`_final_angles`); the claim
    is that their mean final angle to that direction is below :data:`FIG2_ALONG_DEG`, decided
    both ways by :func:`judge.less_than` (one-sided Student t with runs − 1 degrees of
    freedom: CONFIRMED when significantly below, REFUTED when significantly above,
    INCONCLUSIVE between). Power runs tighten the tolerance by δ·90°, 90° being the largest
    angle between two lines."""
    _, want = _predicted_direction(p)
    runs = ctx.budget(FIG2_RUNS, minimum=FIG2_RUNS)
    ang = _final_angles(p, FIG2_N, runs, clip, rng)
    params = {"p": p, "n": FIG2_N, "regime": want, "runs": runs, "steps": FIG2_STEPS,
              "lr": FIG2_LR, "clip": clip, "method": "monte_carlo"}
    return judge.less_than(params, FIG2_ALONG_DEG, mean_estimate(ang), scale=90.0,
                           detail=f"{_sgd_name(clip)}: the learned θ ends "
                                  f"{_angles_text(ang, want)}")


def _projected_variance(theta, p):
    """σ² of θᵀx for the Figure 2 mixture."""
    dl = FIG2_MU1 - FIG2_MU2
    return float(theta @ (FIG2_SIGMA + p * (1 - p) * np.outer(dl, dl)) @ theta)


def _loss_minimiser_case(ctx: Context, p: float, n: int) -> Iterator[CaseResult]:
    """What the loss itself implies: the expected β-VCL loss E L^β(θ) of Eq. 17 at the
    direction Theorem 2 predicts against the other candidate direction, each at its best
    scale/β (L^β(cθ) = L^{β/c²}(θ), so only t = β/|θ|² matters: t is chosen per direction on a
    pilot run from a grid of t/σ²_θ ∈ [10⁻³, 10²]). The claim E L(predicted) < E L(other) is
    tested one-sided on the paired difference (common random numbers, batch means over 128
    chunks): REFUTED when the difference is significantly positive, CONFIRMED when it is
    significantly negative, INCONCLUSIVE otherwise. The minimiser over a grid of 36
    directions 5° apart (pilot draws) is reported as a measurement, with its angle to the
    predicted direction."""
    lda, orth = fig2_directions(p)
    want = th.regime(p)
    pred, other = (lda, orth) if want == "lda" else (orth, lda)
    Th = np.array([pred, other])
    s2 = np.array([_projected_variance(t, p) for t in Th])
    us = 10.0 ** np.linspace(-3, 2, 51)
    pil = sim.direction_losses(p, FIG2_MU1, FIG2_MU2, FIG2_SIGMA, FIG2_SIGMA, n, Th,
                               s2[:, None] * us[None, :], ctx.budget(64_000, minimum=8_000),
                               rng=ctx.stream())
    Lp = np.einsum("bkt,b->kt", pil["chunk_means"], pil["sizes"]) / pil["sizes"].sum()
    tstar = us[np.argmin(Lp, axis=1)]
    reps = ctx.budget(800_000, minimum=100_000)
    main = sim.direction_losses(p, FIG2_MU1, FIG2_MU2, FIG2_SIGMA, FIG2_SIGMA, n, Th,
                                (s2 * tstar)[:, None], reps, rng=ctx.stream())
    st = main["chunk_means"][:, :, 0]
    kw = dict(batch_sizes=main["sizes"], seed=main["seed"])
    D = function_estimate(lambda m: m[0] - m[1], st, reps, grad=lambda m: np.array([1.0, -1.0]),
                          **kw)
    Lpred = function_estimate(lambda m: m[0], st, reps, grad=lambda m: np.array([1.0, 0.0]), **kw)
    Loth = function_estimate(lambda m: m[1], st, reps, grad=lambda m: np.array([0.0, 1.0]), **kw)
    other_name = "merging" if want == "lda" else "LDA"
    params = {"p": p, "n": n, "regime": want, "t_star_over_var": tstar.tolist(),
              "method": "monte_carlo"}
    crit = ctx.critical(D.dof, one_sided=True)
    txt = (f"E L^β at the predicted {want} direction {Lpred.mean:.5g} ± {Lpred.se:.2g} vs "
           f"{Loth.mean:.5g} ± {Loth.se:.2g} at the {other_name} direction (each at its best "
           f"β/|θ|² = {tstar[0]:.3g}σ², {tstar[1]:.3g}σ²); difference {D.mean:.4g} ± {D.se:.2g}")

    def decide():
        # the claim: E L(predicted) − E L(other) ≤ 0, and significantly so
        cr = judge.upper_bound(params, 0.0, D, scale=Loth.mean, ctx=ctx)
        what = txt + (f", one-sided z = {cr.z:.1f}" if cr.z is not None else "")
        if cr.verdict is Verdict.REFUTED:
            ok, cr.detail = False, f"the loss prefers the {other_name} direction: " + what
        elif not ctx.le(D.mean + crit * D.se, 0.0, scale=Loth.mean):
            ok, cr.detail = None, "the difference is not significant: " + what
        else:
            ok, cr.detail = True, what
        return ok, cr

    yield combined_case(params, decide)
    # the minimiser over 36 directions (pilot budget; a measurement)
    phis = np.linspace(0, np.pi, 36, endpoint=False)
    Tg = np.column_stack([np.cos(phis), np.sin(phis)])
    s2g = np.array([_projected_variance(t, p) for t in Tg])
    ug = 10.0 ** np.linspace(-3, 2, 21)
    grid = sim.direction_losses(p, FIG2_MU1, FIG2_MU2, FIG2_SIGMA, FIG2_SIGMA, n, Tg,
                                s2g[:, None] * ug[None, :], ctx.budget(64_000, minimum=8_000),
                                rng=ctx.stream())
    Lg = (np.einsum("bkt,b->kt", grid["chunk_means"], grid["sizes"]) / grid["sizes"].sum()).min(axis=1)
    k = int(np.argmin(Lg))
    kp = int(np.argmax(np.abs(Tg @ pred)))  # the grid direction of the predicted one
    near = Lg[np.abs(Tg @ pred) >= math.cos(math.radians(45.0)) - 1e-12]
    yield judge.holds({"p": p, "n": n, "directions": 36, "method": "monte_carlo"}, True,
                      role="measurement",
                      detail=f"minimiser over 36 directions 5° apart at "
                             f"{_line_angle(Tg[k], pred):.0f}° from the predicted {want} "
                             f"direction: E L^β = {Lg[k]:.4g} there, {Lg[kp]:.4g} at the "
                             f"predicted direction; {near.min():.4g}–{near.max():.4g} over the "
                             f"directions within 45° of it (pilot draws, common to all)")


def _training_cases(ctx: Context, ps, n: int, runs: int, clip: float = math.inf):
    """SGD runs (reported as measurements: the verdict comes from the loss itself)."""
    steps = max(4_000, ctx.budget(40_000, minimum=4_000))
    for p in ps:
        lda, orth = fig2_directions(p)
        ref, want = _predicted_direction(p)
        for r in range(runs):
            t, beta = _train_unit(p, n, steps, clip, ctx.stream())
            c_lda, c_orth = abs(float(t @ lda)), abs(float(t @ orth))
            got = "lda" if c_lda > c_orth else "merge"
            yield judge.holds(
                {"p": p, "n": n, "run": r, "steps": steps, "clip": clip, "regime": want,
                 "learned": got, "theta": t.tolist(), "beta": beta},
                True, role="measurement",
                detail=f"{_sgd_name(clip)} (lr {FIG2_LR:g}, {steps} steps): learned θ at "
                       f"{_line_angle(t, ref):.1f}° from the predicted {want} direction "
                       f"(|cos| to LDA {c_lda:.3f}, to merging {c_orth:.3f}; "
                       f"{'agrees' if got == want else 'disagrees'}); β = {beta:.3g}")


@CATALOG.claim(
    "fig2.vcl_training", label="Figure 2; Section 2.1 (after Eq. 10)", kind=Kind.BOUND,
    statement="A single linear unit trained with VCL alone (Eq. 17; Section 2.4's procedure: "
              "β learned from 1, gradient clipped at norm 1) on a 2-D two-Gaussian mixture "
              "ends along the direction Theorem 2 predicts: the merging direction θ ⊥ μ1 − μ2 "
              "(the clusters united) for p = 0.1 < 0.2113, and the LDA direction "
              "Σ_w⁻¹(μ1 − μ2) (the clusters separated in the LDA sense) for p = 0.25.",
    note="The paper gives no training procedure for Figure 2: Section 2.4's is used, with "
         "sub-batches of n = 32 (not given), SGD step 0.01, 40 000 steps and 64 runs from "
         "random unit starts; 'along' = a mean final angle below 10°. Confirmed: the runs end "
         "3.4° ± 0.3° from the merging direction at p = 0.1 (all 64 within 10°) and "
         "4.0° ± 0.4° from the LDA direction at p = 0.25 (58 of 64). Where training ends "
         "depends on the procedure: without the clipping the same runs end 31° ± 1° from the "
         "LDA direction (fig2.vcl_training_plain_sgd); with it, smaller sub-batches end 46° "
         "from it at n = 8 and 86° (near the merging direction) at n = 2, the sub-batch "
         "Section 2.4 recommends (measurements). Theorem 2 itself (thm2.regimes) is about κ "
         "and holds; training follows it here only with the larger sub-batch.")
def fig2_vcl_training(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Figure 2's caption ("for p=0.1<0.2113, the projection is such that the two clusters
    unite. In cases (b) [p = 0.25], the projection provides a perfect discrimination between
    the clusters") with Section 2.1's reading of it ("the weights of the unit will encourage a
    separation in the LDA sense ... See Fig. 2"), decided by training, as the figure was made:
    for p = 0.1 and 0.25, :data:`FIG2_RUNS` independent runs of :data:`FIG2_STEPS` SGD steps
    on the VCL loss of Eq. 17 alone (two sub-batches of :data:`FIG2_N` per step, β learned,
    the gradient clipped at :data:`FIG2_CLIP`), and the angle of each learned θ to the
    direction Theorem 2 predicts (Eq. 7: :func:`_predicted_direction`). A case holds when the
    mean final angle is significantly below :data:`FIG2_ALONG_DEG` (:func:`_convergence_case`);
    the runs' spread is in the detail. Where the same procedure ends at p = 0.25 with smaller
    sub-batches (n = 8 and n = 2, 16 runs each) is reported as measurements."""
    for p in (0.1, 0.25):
        yield _convergence_case(ctx, p, FIG2_CLIP, rng)
    for n in (8, 2):
        ang = _final_angles(0.25, n, 16, FIG2_CLIP, rng)
        yield judge.holds({"p": 0.25, "n": n, "runs": 16, "steps": FIG2_STEPS,
                           "clip": FIG2_CLIP, "method": "monte_carlo"}, True,
                          role="measurement",
                          detail=f"n = {n}, {_sgd_name(FIG2_CLIP)}: the learned θ ends "
                                 f"{_angles_text(ang, 'lda')}")


@CATALOG.claim(
    "fig2.vcl_training_plain_sgd", label="Figure 2; Eq. 17", kind=Kind.BOUND,
    as_printed=False, reading_of="fig2.vcl_training", same_cases=True,
    statement="Trained by plain SGD on the VCL loss of Eq. 17 alone (β learned from 1, no "
              "gradient clipping, n = 32), the unit of Figure 2 ends along the direction "
              "Theorem 2 predicts: the merging direction for p = 0.1 and the LDA direction for "
              "p = 0.25.",
    note="Another reading of 'trained with VCL and no other loss': plain SGD on Eq. 17 "
         "instead of Section 2.4's clipped procedure (fig2.vcl_training). Refuted at "
         "p = 0.25: from the same starts and sub-batches the runs end 31° ± 1° from the LDA "
         "direction (SD 9°, 5–51°; 1 of 64 within 10°), still separating the clusters (at 51° "
         "the projected components are 4.8 within-class SDs apart); at p = 0.1 they merge "
         "(3.3° from the merging direction). At n = 32 the expected β-VCL loss at its best β "
         "changes by less than 0.4 % over the directions within 45° of the LDA direction, "
         "lowest 35° from it (fig2.vcl_loss_prefers_predicted), so nothing in the loss "
         "draws plain SGD to the LDA direction; Section 2.4's clipping does.")
def fig2_vcl_training_plain_sgd(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """As fig2.vcl_training (:func:`_convergence_case`, same runs: ``same_cases``, so each run
    has the same random start and sub-batches as there), with the gradient not clipped: for
    p = 0.1 and 0.25 the mean final angle of :data:`FIG2_RUNS` runs to the direction Theorem 2
    predicts (Eq. 7) against :data:`FIG2_ALONG_DEG`, one-sided t both ways."""
    for p in (0.1, 0.25):
        yield _convergence_case(ctx, p, math.inf, rng)


@CATALOG.claim(
    "fig2.vcl_loss_prefers_predicted", label="Figure 2; Section 2.1 (after Eq. 10); Eq. 17",
    kind=Kind.BOUND, as_printed=False, reading_of="fig2.vcl_training",
    statement="For a single linear unit on the Figure 2 mixture with sub-batches of n = 32, "
              "the expected VCL loss of Eq. 17, minimised over the unit's scale and β, is "
              "lower at the direction Theorem 2 predicts than at the other regime's direction: "
              "at the merging direction for p = 0.1 and at the LDA direction for p = 0.25.",
    note="Another reading of 'the weights of the unit will encourage a separation in the LDA "
         "sense': the loss prefers the predicted direction to the other regime's, which is "
         "what the loss implies without a training procedure. Holds: merging at p = 0.1 "
         "(0.1034 against 0.2563), LDA at p = 0.25 (0.0920 against 0.1037). It does not "
         "single out the LDA direction: at p = 0.25 the loss changes by less than 0.4 % over "
         "the directions within 45° of it (0.0918–0.0922, pilot draws), and its minimiser over "
         "36 directions lies 35° from it (see fig2.vcl_training_plain_sgd).")
def fig2_vcl_loss_prefers_predicted(ctx: Context) -> Iterator[CaseResult]:
    """The Figure 2 mixture (shared anisotropic covariance elongated across μ1 − μ2, so the LDA
    direction Σ_w⁻¹(μ1 − μ2) ∥ μ1 − μ2 and the merging direction ⊥ μ1 − μ2 differ), p = 0.1
    (merging predicted by Eq. 7) and 0.25 (LDA predicted), n = 32: the expected loss of Eq. 17
    at the predicted direction against the other, each at its best β/|θ|², one-sided on the
    paired difference (:func:`_loss_minimiser_case`), with the minimiser over 36 directions as
    a measurement."""
    for p in (0.1, 0.25):
        yield from _loss_minimiser_case(ctx, p, FIG2_N)


@CATALOG.claim(
    "fig2.vcl_training_small_n", label="Figure 2, Section 2.4", kind=Kind.IDENTITY,
    as_printed=False,
    statement="At the sub-batch size n = 2 that Section 2.4 recommends, the VCL loss of "
              "Eq. 17 still selects the direction Theorem 2 predicts: the LDA direction at "
              "p = 0.5 and the merging direction at p = 0.1 have the lower expected loss "
              "(minimised over the unit's scale and β).",
    note="Not printed: Theorem 2 is a statement about κ, which Eq. 6 ties to the loss only "
         "through E(1 − σ_s²/σ²)²; the two-batch β-loss at n = 2 is a different function of θ. "
         "Decided, as fig2.vcl_loss_prefers_predicted at n = 32, on the expected loss "
         "minimised over the unit's scale and β: it is lower at the predicted direction (LDA "
         "at p = 0.5: 0.570 against 0.687; merging at p = 0.1: 0.687 against 0.815). "
         "Unclipped SGD reaches the LDA direction at p = 0.5 in some runs; with the per-step gradient clipping of Section 2.4 (norm 1) it "
         "stalls in the merging direction, a property of the optimiser, not of the loss.")
def fig2_vcl_training_small_n(ctx: Context) -> Iterator[CaseResult]:
    """The Figure 2 mixture at n = 2 with p = 0.5 (middle regime: LDA predicted) and p = 0.1,
    judged on the loss as in fig2.vcl_loss_prefers_predicted; unclipped and clipped (norm 1)
    SGD runs are reported as measurements."""
    for p in (0.5, 0.1):
        yield from _loss_minimiser_case(ctx, p, 2)
    yield from _training_cases(ctx, (0.5, 0.1), 2, 3)
    yield from _training_cases(ctx, (0.5,), 2, 2, clip=1.0)


for _slug, _why in (
        ("fig2.vcl_training", "a training experiment (SGD runs of a linear unit on the VCL "
                              "loss): no closed form in a parameter"),
        ("fig2.vcl_training_plain_sgd", "a training experiment (SGD runs of a linear unit on "
                                        "the VCL loss): no closed form in a parameter"),
        ("fig2.vcl_loss_prefers_predicted", "a Monte Carlo minimisation of the loss over the "
                                            "unit's scale and β at two fixed p: no closed "
                                            "form in a parameter"),
        ("fig2.vcl_training_small_n", "a Monte Carlo minimisation of the loss and training "
                                      "runs at fixed n = 2 and two p: no closed form in a "
                                      "parameter")):
    CATALOG.no_explorer(_slug, _why)
del _slug, _why
