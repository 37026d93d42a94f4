"""Appendix E of Baldi & Sadowski: the densities of O = σ(S) and of S (Eq. 224–234)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from scipy import integrate, special, stats

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate, mean_estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._shared import CATALOG, _search
from dropmc.theory import ensemble_averaging as th


@CATALOG.claim(
    "eq224_226.density_O", label="Eq. 224, Eq. 226", kind=Kind.DISTRIBUTION,
    statement="If S ~ N(μ, σ²), O = σ(S) has density φ((s(o) − μ)/σ)/(σλo(1 − o)) with "
              "s(o) = −(1/λ)log((1 − o)/(co)).")
def eq224_226(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Kolmogorov–Smirnov test of sampled O against the CDF obtained by integrating Eq. 226
    numerically (quadrature), and the density against the numerical derivative of the CDF."""
    for _ in range(3):
        mu, sig = float(rng.normal()), float(np.exp(rng.uniform(-1, 1)))
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 2))
        prm = {"mu": mu, "sigma": sig, "c": c, "lam": lam}
        g = np.random.default_rng(ctx.stream())
        O = th.logistic(g.normal(mu, sig, ctx.budget(80_000, 5_000)), c, lam)
        O = O[(O > 0) & (O < 1)]

        def cdf(o):
            # ∫_0^o f_O(u) du with u = σ(t): ∫_{−∞}^{logit o} f_O(σ(t)) σ(t)(1 − σ(t)) dt
            o = np.atleast_1d(o)
            g = lambda t: float(th.density_O_gaussian_S(special.expit(t), mu, sig, c, lam)
                                * special.expit(t) * special.expit(-t))
            t_lo = lam * (mu - 12 * sig) - math.log(c)  # 12 SD below the mean: mass < 1e-32
            return np.array([integrate.quad(g, t_lo, float(special.logit(x)), epsabs=1e-13,
                                            limit=400)[0] for x in o])
        grid = np.linspace(0.02, 0.98, 49)
        yield judge.exact({**prm, "what": "∫ density = Φ((s(o) − μ)/σ)"},
                          th.cdf_O_gaussian_S(grid, mu, sig, c, lam), cdf(grid), atol=1e-8,
                          method="quadrature")
        yield judge.distribution(prm, lambda o, mu=mu, sig=sig, c=c, lam=lam:
                                 th.cdf_O_gaussian_S(o, mu, sig, c, lam), O)


def _o_sampled_fraction(ctx: Context, o: float, mu: float, sigma: float, c: float,
                        lam: float) -> Estimate:
    """The Monte Carlo fraction of O = σ(S), S ~ N(μ, σ²), at or below o (80,000 draws at
    standard precision), with its binomial SE."""
    n = ctx.budget(80_000, 5_000)
    frac = float(np.mean(th.logistic(ctx.rng().normal(mu, sigma, n), c, lam) <= o))
    return Estimate(frac, math.sqrt(max(frac * (1 - frac), 0.25 / n) / n), n, "monte_carlo")


@CATALOG.explorer("eq224_226.density_O", o=(0.5, 0.01, 0.99), mu=(0.5, -3.0, 3.0),
                  sigma=(1.0, 0.1, 4.0), c=(1.0, 0.2, 5.0), lam=(1.0, 0.2, 3.0))
def _explore_eq224(ctx: Context, o: float, mu: float, sigma: float, c: float,
                   lam: float) -> Point:
    """The density of O = σ(S) for S ~ N(μ, σ²) (Eq. 226), integrated from 0 to o by
    adaptive quadrature (in the logit variable), against P(O ≤ o) = P(S ≤ s(o)) =
    Φ((s(o) − μ)/σ) (exact) and the Monte Carlo fraction of sampled O ≤ o. A point takes
    about 10 ms at standard precision."""
    def g(t):
        u = float(special.expit(t))
        return float(th.density_O_gaussian_S(u, mu, sigma, c, lam)) * u * (1 - u)
    t_lo = lam * (mu - 12 * sigma) - math.log(c)
    F = integrate.quad(g, t_lo, float(special.logit(o)), epsabs=1e-13, limit=400)[0]
    return Point.identity(F, exact=float(th.cdf_O_gaussian_S(o, mu, sigma, c, lam)),
                          mc=_o_sampled_fraction(ctx, o, mu, sigma, c, lam))


@CATALOG.claim(
    "eq225.cdf_as_printed", label="Eq. 225", kind=Kind.IDENTITY,
    statement="F_O(o) = P(O ≤ o) = ∫_0^{s(o)} φ_{μ,σ}(s) ds.",
    note="The lower limit must be −∞ (S ranges over the real line); as printed F_O does not "
         "tend to 1 as o → 1 and is negative for small o.")
def eq225(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The printed CDF against the empirical CDF of sampled O = σ(S) (KS test) and at o near 1."""
    mu, sig = float(rng.normal()), float(np.exp(rng.uniform(-1, 0.5)))
    g = np.random.default_rng(ctx.stream())
    O = special.expit(g.normal(mu, sig, ctx.budget(40_000, 4_000)))
    yield judge.distribution({"mu": mu, "sigma": sig}, lambda o: th.eq225_as_printed(o, mu, sig), O)
    yield judge.exact({"mu": mu, "sigma": sig, "o": 1 - 1e-12}, 1.0,
                      float(th.eq225_as_printed(1 - 1e-12, mu, sig)), atol=1e-6)


@CATALOG.claim(
    "eq225.cdf_corrected", label="Eq. 225", kind=Kind.DISTRIBUTION, as_printed=False,
    corrects="eq225.cdf_as_printed", fix="misprint",
    statement="F_O(o) = ∫_{−∞}^{s(o)} φ_{μ,σ}(s) ds = Φ((s(o) − μ)/σ).")
def eq225_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: O ≤ o ⇔ S ≤ s(o) since σ is increasing (λ > 0), and S ranges over the whole
    real line, so the Gaussian density is integrated from −∞. KS test of sampled O and the
    limits F(0+) = 0, F(1−) = 1."""
    mu, sig = float(rng.normal()), float(np.exp(rng.uniform(-1, 0.5)))
    g = np.random.default_rng(ctx.stream())
    O = special.expit(g.normal(mu, sig, ctx.budget(40_000, 4_000)))
    yield judge.distribution({"mu": mu, "sigma": sig}, lambda o: th.cdf_O_gaussian_S(o, mu, sig), O)
    yield judge.exact({"mu": mu, "sigma": sig, "o": [1e-12, 1 - 1e-12]}, [0.0, 1.0],
                      [float(th.cdf_O_gaussian_S(1e-12, mu, sig)),
                       float(th.cdf_O_gaussian_S(1 - 1e-12, mu, sig))],
                       atol=1e-6)


@CATALOG.explorer("eq225.cdf_as_printed", o=(0.7, 0.01, 0.99), mu=(0.5, -3.0, 3.0),
                  sigma=(1.0, 0.1, 4.0))
@CATALOG.explorer("eq225.cdf_corrected", o=(0.7, 0.01, 0.99), mu=(0.5, -3.0, 3.0),
                  sigma=(1.0, 0.1, 4.0))
def _explore_eq225(ctx: Context, o: float, mu: float, sigma: float) -> Point:
    """F_O(o) = P(O ≤ o) for O = σ(S), S ~ N(μ, σ²) (c = λ = 1): Eq. 225 as printed (the
    Gaussian density integrated from 0 to s(o)) next to its correction (from −∞:
    Φ((s(o) − μ)/σ)), against the Monte Carlo fraction of sampled O ≤ o (80,000 draws at
    standard precision). The printed form misses P(S < 0) and is negative for small o. A point
    takes about 5 ms at standard precision."""
    return Point.identity(float(th.eq225_as_printed(o, mu, sigma)),
                          mc=_o_sampled_fraction(ctx, o, mu, sigma, 1.0, 1.0),
                          correction=float(th.cdf_O_gaussian_S(o, mu, sigma)))


@CATALOG.claim(
    "eq227.density_standard", label="Eq. 227", kind=Kind.IDENTITY,
    statement="For μ = 0 and λ = c = σ = 1, f_O(o) = (1/√(2π))(1 − o)^{−1−½log((1−o)/o)} "
              "o^{−1+½log((1−o)/o)}.")
def eq227(ctx: Context) -> Iterator[CaseResult]:
    """Eq. 227 against Eq. 226 on a grid of o."""
    o = np.linspace(0.001, 0.999, 999)
    yield judge.exact({"grid": "o in [0.001, 0.999]"}, th.density_O_gaussian_S(o, 0, 1),
                      th.eq227(o), rtol=1e-9)


@CATALOG.explorer("eq227.density_standard", o=(0.3, 0.001, 0.999))
def _explore_eq227(ctx: Context, o: float) -> Point:
    """Eq. 227, the density of O = σ(S) for S ~ N(0, 1) (c = λ = 1), against Eq. 226 at the
    same parameters. A point takes about 2 ms."""
    return Point.identity(float(th.eq227(o)), exact=float(th.density_O_gaussian_S(o, 0.0, 1.0)))


@CATALOG.claim(
    "eq228_230.sum_moments", label="Eq. 228, Eq. 229, Eq. 230", kind=Kind.IDENTITY,
    statement="For S = Σ_{i=1}^n w_iO_i with independent weights (μ_w, σ_w²) and activities "
              "(μ_O, σ_O²): E(S) = nμ_wμ_O and Var(S) = n[(σ_w² + μ_w²)(σ_O² + μ_O²) − μ_w²μ_O²] "
              "(nσ_w²(σ_O² + μ_O²) when μ_w = 0).")
def eq228_230(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Exact enumeration: discrete weights and activities (2–3 random atoms each, random
    probabilities, μ_w = 0 as one case, atoms shifted far from 0 as another), n = 2–3 terms;
    every joint outcome of (w_i, O_i)_i enumerated, E(S) and Var(S) by centred sums (relative
    tolerance of the size of the terms). Monte Carlo with Gaussian weights and Beta activities
    (random parameters, μ_w = 0 as one case): z-tests of the mean and of the variance (SE of
    the centred sample variance from the fourth moment)."""
    for k in range(3):
        n = int(rng.integers(2, 4))
        kw, ko = int(rng.integers(2, 4)), int(rng.integers(2, 4))
        wv, ov = rng.normal(size=kw), rng.uniform(0, 1, ko)
        pw, po = rng.dirichlet(np.ones(kw)), rng.dirichlet(np.ones(ko))
        if k == 1:
            wv = wv - pw @ wv  # μ_w = 0
        if k == 2:
            wv, ov = wv + 20.0, ov + 3.0  # shifted: E(S²) − E(S)² would lose 5 digits
        mw, vw = float(pw @ wv), float(pw @ (wv - pw @ wv) ** 2)
        mo, vo = float(po @ ov), float(po @ (ov - po @ ov) ** 2)
        # all joint outcomes of the n (w, O) pairs: values w·O of one term, then the n-fold sum
        term = (wv[:, None] * ov[None, :]).ravel()
        pt = (pw[:, None] * po[None, :]).ravel()
        vals, probs = np.zeros(1), np.ones(1)
        for _ in range(n):
            vals = (vals[:, None] + term[None, :]).ravel()
            probs = (probs[:, None] * pt[None, :]).ravel()
        ES = math.fsum(probs * vals)
        VarS = math.fsum(probs * (vals - ES) ** 2)
        mean_th, var_th = th.sum_moments(n, mw, vw, mo, vo)
        prm = {"n": n, "w atoms": wv.tolist(), "O atoms": ov.tolist(), "outcomes": vals.size}
        # the printed Var(S) is a difference of terms of size n(σ_w² + μ_w²)(σ_O² + μ_O²)
        yield judge.identity({**prm, "moment": "mean"}, mean_th, Estimate.exact(ES,
                                                                                "enumeration", vals.size),
                             scale=n * float(np.max(np.abs(term))))
        yield judge.identity({**prm, "moment": "var"}, var_th, Estimate.exact(VarS,
                                                                              "enumeration", vals.size),
                             scale=n * (vw + mw ** 2) * (vo + mo ** 2))
    for k in range(3):
        n = int(rng.integers(5, 60))
        mw = 0.0 if k == 0 else float(rng.normal())
        sw = float(rng.uniform(0.1, 1.5))
        a, b = rng.uniform(0.5, 5, 2)
        mo, vo = a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1))
        g = np.random.default_rng(ctx.stream())
        N = ctx.budget(200_000, 8_000)
        S = np.sum(g.normal(mw, sw, (N, n)) * g.beta(a, b, (N, n)), axis=1)
        mean_th, var_th = th.sum_moments(n, mw, sw ** 2, mo, vo)
        prm = {"n": n, "mu_w": mw, "sigma_w": sw, "beta": [float(a), float(b)]}
        yield judge.identity({**prm, "moment": "mean"}, mean_th, mean_estimate(S))
        dev = (S - S.mean()) ** 2
        yield judge.identity({**prm, "moment": "var"}, var_th,
                             mean_estimate(dev * N / (N - 1)))


@CATALOG.explorer("eq228_230.sum_moments", n=(20, 1, 60), mu_w=(0.3, -2.0, 2.0),
                  sigma_w=(1.0, 0.05, 2.0), a=(2.0, 0.5, 8.0), b=(5.0, 0.5, 8.0),
                  moment=("variance", "mean"))
def _explore_eq228(ctx: Context, n: float, mu_w: float, sigma_w: float, a: float, b: float,
                   moment: str) -> Point:
    """E(S) = nμ_wμ_O and Var(S) = n[(σ_w² + μ_w²)(σ_O² + μ_O²) − μ_w²μ_O²] (Eq. 228–229) for
    S = Σ_{i≤n} w_iO_i, weights N(μ_w, σ_w²) and activities Beta(a, b), against the Monte
    Carlo mean, resp. variance (SE of the centred sample variance), of 40,000 draws of S at
    standard precision. A point takes about 30 ms at standard precision."""
    n = int(round(n))
    mo, vo = a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1))
    mean, var = th.sum_moments(n, mu_w, sigma_w ** 2, mo, vo)
    g = ctx.rng()
    N = ctx.budget(40_000, 4_000)
    S = np.sum(g.normal(mu_w, sigma_w, (N, n)) * g.beta(a, b, (N, n)), axis=1)
    if moment == "mean":
        return Point.identity(mean, mc=mean_estimate(S))
    return Point.identity(var, mc=mean_estimate((S - S.mean()) ** 2 * N / (N - 1)))


def _cdf_of_density(f, lo: float, hi: float, n_grid: int = 4001):
    """F(x) = ∫_{−∞}^x f for x in [lo, hi]: the lower tail by adaptive quadrature, then 8-point
    Gauss–Legendre on each of ``n_grid − 1`` intervals (vectorised) and cubic Hermite
    interpolation with F' = f. Accurate to ≈ 1e-10 for smooth densities, far below the KS
    resolution; points outside [lo, hi] are clamped (the samples define the range)."""
    from scipy.interpolate import CubicHermiteSpline

    t = np.linspace(lo, hi, n_grid)
    x, wq = np.polynomial.legendre.leggauss(8)
    h = np.diff(t)
    mids = (t[:-1] + t[1:]) / 2
    nodes = mids[:, None] + h[:, None] / 2 * x[None, :]
    seg = (np.asarray(f(nodes.ravel()), float).reshape(nodes.shape) @ wq) * h / 2
    F0 = integrate.quad(f, -np.inf, lo, limit=200, epsabs=1e-13)[0]
    F = F0 + np.concatenate([[0.0], np.cumsum(seg)])
    spline = CubicHermiteSpline(t, F, np.asarray(f(t), float))
    return lambda s: spline(np.clip(s, lo, hi))


@CATALOG.claim(
    "eq231_234.density_S", label="Eq. 231, Eq. 232, Eq. 233, Eq. 234", kind=Kind.DISTRIBUTION,
    statement="If O ~ Beta(a, b), S = σ^{−1}(O) has density λB(a, b)σ(s)^a(1 − σ(s))^b with "
              "B(a, b) = Γ(a + b)/(Γ(a)Γ(b)); for a = b, λB(a, a)(ce^{−λs}/(1 + ce^{−λs})²)^a, "
              "decaying like e^{−λas} at +∞.")
def eq231_234(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """KS tests of S = σ^{−1}(O), O ~ Beta(a, b), against the CDF obtained by integrating the
    density *as printed in Eq. 233* (:func:`_cdf_of_density`: adaptive quadrature of the lower
    tail, 8-point Gauss–Legendre on a fine grid, cubic Hermite interpolation with the density
    as derivative), so a density with a and b interchanged fails; its normalisation; Eq. 234
    = Eq. 233 for a = b; and the decay rate d log f/ds → −λa. Two cases have |a − b| ≥ 0.7
    (a random one of them the larger), one has a = b."""
    for k in range(3):
        a = float(rng.uniform(0.5, 2))
        b = a + float(rng.uniform(0.7, 2.5))
        if rng.random() < 0.5:
            a, b = b, a
        if k == 2:
            b = a
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 2))
        prm = {"a": a, "b": b, "c": c, "lam": lam}
        g = np.random.default_rng(ctx.stream())
        O = g.beta(a, b, ctx.budget(80_000, 5_000))
        S = th.logistic_inverse(O, c, lam)
        S = S[np.isfinite(S)]
        tot = integrate.quad(lambda s: th.density_S_beta_O(s, a, b, c, lam), -np.inf, np.inf, limit=200)[0]
        yield judge.exact({**prm, "what": "normalisation"}, 1.0, tot, rtol=1e-8,
                          method="quadrature")
        cdf = _cdf_of_density(lambda s: th.density_S_beta_O(s, a, b, c, lam), S.min(), S.max())
        yield judge.distribution({**prm, "cdf": "∫ Eq. 233"}, cdf, S)
        if a == b:
            s = np.linspace(-8, 8, 161)
            yield judge.exact({**prm, "eq": "Eq. 234"}, th.density_S_beta_O(s, a, a, c, lam),
                              th.eq234(s, a, c, lam))
            s1, s2 = 40.0 / lam, 41.0 / lam
            slope = (math.log(th.density_S_beta_O(s2, a, a, c, lam)) -
                     math.log(th.density_S_beta_O(s1, a, a, c, lam))) / (s2 - s1)
            yield judge.exact({**prm, "what": "decay rate at +∞"}, -lam * a, slope, rtol=1e-8)


@CATALOG.explorer("eq231_234.density_S", s=(0.5, -8.0, 8.0), a=(1.0, 0.3, 8.0),
                  b=(3.0, 0.3, 8.0), c=(1.0, 0.2, 5.0), lam=(1.0, 0.2, 3.0))
def _explore_eq231(ctx: Context, s: float, a: float, b: float, c: float, lam: float) -> Point:
    """The density of S = σ^{−1}(O) for O ~ Beta(a, b) as printed in Eq. 233, integrated from
    −∞ to s by adaptive quadrature, against P(S ≤ s) = P(O ≤ σ(s)), the Beta CDF at σ(s)
    (scipy, exact): a density with a and b interchanged would fail wherever a ≠ b. A point
    takes about 5 ms."""
    F = integrate.quad(lambda x: float(th.density_S_beta_O(x, a, b, c, lam)), -np.inf, s,
                       limit=200, epsabs=1e-13)[0]
    return Point.identity(F, exact=float(stats.beta.cdf(float(th.logistic(s, c, lam)), a, b)))


# -- Appendix E.1 (after Eq. 226) and E.3 (after Eq. 233): shapes of the densities -----------


@CATALOG.claim(
    "appE1.bell_shaped", label="Appendix E.1 (after Eq. 226)", kind=Kind.DISTRIBUTION,
    statement="In general the density of O = σ(S) for Gaussian S (Eq. 226) is bell-shaped, "
              "similar but not identical to a beta density.",
    note="Not bell-shaped in general: the density is U-shaped (two modes, a dip at ½) when "
         "λσ > √2 and λμ = log c, e.g. σ = 2 or 3 with c = λ = 1; it is unimodal for every μ and "
         "c iff λσ ≤ √2. See appE1.bell_shaped_corrected.")
def appE1_bell_shaped(ctx: Context) -> Iterator[CaseResult]:
    """Modes of Eq. 226 (zeros of the derivative of its log in the logit variable,
    :func:`th.logit_normal_modes`): one for the moderate spreads of the paper's Eq. 227
    example (σ = 1) and others, but two — a U-shaped density with a dip at ½ — for λσ > √2 at
    λμ = log c (σ = 2 and 3, c = λ = 1): not bell-shaped, so "in general" fails for a whole
    range of spreads (REFUTED). Not identical to a beta: the Hellinger distance to the nearest
    beta density (fitted by quadrature) exceeds 1e-6 in every case; how similar it is is
    reported (a measurement: the paper gives no accuracy)."""
    for mu, sig, c, lam in ((0.0, 1.0, 1.0, 1.0), (1.0, 0.5, 2.0, 1.5), (-2.0, 1.2, 1.0, 1.0),
                            (0.0, 2.0, 1.0, 1.0), (0.0, 3.0, 1.0, 1.0)):
        modes = th.logit_normal_modes(mu, sig, c, lam)
        prm = {"mu": mu, "sigma": sig, "c": c, "lam": lam}
        yield judge.holds({**prm, "what": "bell-shaped (one mode)"}, modes.size == 1, theory=1.0,
                          estimate=Estimate.exact(modes.size, "closed_form"),
                          detail=f"{modes.size} mode(s) at o = "
                                 f"{', '.join(f'{m:.4f}' for m in modes)}")
        nb = th.nearest_beta(mu, sig, c, lam)
        yield judge.holds({**prm, "what": "not identical to a beta"},
                          lambda h=nb["hellinger"]: ctx.ge(h, 1e-6, scale=1.0), theory=1e-6,
                          estimate=Estimate.exact(nb["hellinger"], "quadrature"),
                          detail=f"Hellinger distance to the nearest beta (a = {nb['a']:.3f}, "
                                 f"b = {nb['b']:.3f}): {nb['hellinger']:.4g}")


@CATALOG.claim(
    "appE1.bell_shaped_corrected", label="Appendix E.1 (after Eq. 226)", kind=Kind.DISTRIBUTION,
    as_printed=False, corrects="appE1.bell_shaped", fix="scope",
    statement="The density of Eq. 226 is unimodal (bell-shaped) whenever λσ ≤ √2, for every μ "
              "and c, and bimodal when λσ > √2 and λμ = log c; it is never identical to a beta "
              "density, and approaches one as σ → 0.")
def appE1_corrected(ctx: Context) -> Iterator[CaseResult]:
    """With x = λS − log c ~ N(m, s²) the log-density in x has second derivative
    −1/s² + 2o(1 − o) ≤ −1/s² + ½, so it is strictly concave (one mode) for s ≤ √2. (a) A
    search over (m, s ≤ √2) for a second mode (:func:`th.logit_normal_modes`); (b) at m = 0 and
    s = √2·(1 + 2^{−k}), k = 1…4, two modes (the threshold is sharp); (c) the Hellinger
    distance to the nearest beta exceeds 1e-6 for σ ∈ {1, ½, ¼, ⅛} and falls with σ (at least
    first order: judge.order on the distance as σ → 0, i.e. the beta becomes a good fit)."""
    from hypothesis import strategies as st

    thr = th.unimodal_spread_threshold(1.0)

    def one_mode(args):
        m, frac = args
        s = ctx.perturb(thr) * frac
        return th.logit_normal_modes(m, s).size == 1

    yield _search(ctx, one_mode, st.tuples(st.floats(-6, 6), st.floats(0.05, 1.0)),
                  {"what": "one mode for s <= sqrt(2)"})
    for k in range(1, 5):
        s = thr * (1 + 2.0 ** -k)
        modes = th.logit_normal_modes(0.0, s)
        yield judge.holds({"m": 0.0, "s": round(s, 5), "what": "two modes for s > sqrt(2)"},
                          modes.size == 2, theory=2.0,
                          estimate=Estimate.exact(modes.size, "closed_form"),
                          detail=f"{modes.size} mode(s) at o = "
                                 f"{', '.join(f'{m:.4f}' for m in modes)}")
    sig = np.array([1.0, 0.5, 0.25, 0.125])
    H = []
    for s in sig:
        nb = th.nearest_beta(0.7, float(s), 1.0, 1.0)
        H.append(nb["hellinger"])
        yield judge.holds({"mu": 0.7, "sigma": float(s), "what": "not identical to a beta"},
                          lambda h=nb["hellinger"]: ctx.ge(h, 1e-6, scale=1.0), theory=1e-6,
                          estimate=Estimate.exact(nb["hellinger"], "quadrature"),
                          detail=f"Hellinger distance {nb['hellinger']:.4g} (a = {nb['a']:.2f}, "
                                 f"b = {nb['b']:.2f})")
    yield judge.order({"mu": 0.7, "what": "distance to the nearest beta as sigma -> 0"},
                      [0.0] * sig.size, H, s=sig, claimed=1, name="Hellinger distance")


@CATALOG.explorer("appE1.bell_shaped", mu=(0.0, -3.0, 3.0), sigma=(2.0, 0.1, 4.0))
@CATALOG.explorer("appE1.bell_shaped_corrected", mu=(0.0, -3.0, 3.0), sigma=(2.0, 0.1, 4.0))
def _explore_appE1(ctx: Context, mu: float, sigma: float) -> Point:
    """The number of modes of the density of O = σ(S), S ~ N(μ, σ²) (Eq. 226, c = λ = 1;
    :func:`th.logit_normal_modes`): "bell-shaped" read as one mode. The correction
    (appE1.bell_shaped_corrected) says one mode for σ ≤ √2, two for σ > √2 at μ = 0, and
    nothing for σ > √2 elsewhere (NaN): the map over (μ, σ) shows the bimodal wedge above
    σ = √2 around μ = 0. A point takes about 5 ms."""
    modes = th.logit_normal_modes(mu, sigma).size
    thr = th.unimodal_spread_threshold(1.0)
    corr = 1.0 if sigma <= thr else (2.0 if mu == 0.0 else math.nan)
    return Point.identity(1.0, exact=float(modes), correction=corr)


@CATALOG.claim(
    "appE3.bell_shaped", label="Appendix E.3 (after Eq. 233)", kind=Kind.DISTRIBUTION,
    statement="In general the density of S = σ^{−1}(O) for O ~ Beta(a, b) (Eq. 233) is "
              "bell-shaped, similar but not identical to a Gaussian density.")
def appE3_bell_shaped(ctx: Context) -> Iterator[CaseResult]:
    """log f_S = a log σ(s) + b log(1 − σ(s)) + const has second derivative −(a + b)λ²σ(1 − σ)
    < 0: for every a, b > 0 the density is log-concave with one mode (at σ(s) = a/(a + b)).
    (a) A search over (a, b, c, λ) for a positive second difference of log f_S on a grid around
    the mode (i.e. a density that is not log-concave, hence possibly not bell-shaped), and
    the mode against σ^{−1}(a/(a + b)); (b) the Hellinger distance to the nearest Gaussian
    (fitted by quadrature) exceeds 1e-6 for a, b ∈ {(½, ½), (1, 1), (2, 5), (10, 10),
    (50, 50)} — the tails decay like e^{−λas}, not e^{−s²} — and shrinks as a = b grows (a
    measurement of how similar)."""
    from hypothesis import strategies as st

    def concave(args):
        a, b, c, lam = args
        mode = (math.log(a / b) + math.log(c)) / lam
        sd = math.sqrt(float(special.polygamma(1, a) + special.polygamma(1, b))) / lam
        s = mode + np.linspace(-8, 8, 801) * sd
        lo, l1 = th.log_logistic(s, c, lam)
        lf = a * lo + b * l1
        d2 = lf[2:] - 2 * lf[1:-1] + lf[:-2]
        imax = int(np.argmax(lf))
        # where the tails are linear (−(a + b)λ²σ(1 − σ) below rounding) d2 is rounding only
        return (float(np.max(d2)) <= 1e-13 * float(np.max(np.abs(lf)))
                and ctx.close(float(s[imax]), mode, atol=(s[1] - s[0]) * 1.0001, rtol=0.0, scale=sd))

    pos = st.floats(0.2, 50)
    yield _search(ctx, concave, st.tuples(pos, pos, st.floats(0.1, 10), st.floats(0.2, 5)),
                  {"what": "log-concave, one mode at sigma^-1(a/(a+b))"})
    for a, b in ((0.5, 0.5), (1.0, 1.0), (2.0, 5.0), (10.0, 10.0), (50.0, 50.0)):
        ng = th.nearest_gaussian_eq233(a, b)
        yield judge.holds({"a": a, "b": b, "what": "not identical to a Gaussian"},
                          lambda h=ng["hellinger"]: ctx.ge(h, 1e-6, scale=1.0), theory=1e-6,
                          estimate=Estimate.exact(ng["hellinger"], "quadrature"),
                          detail=f"Hellinger distance to the nearest Gaussian "
                                 f"(mu = {ng['mu']:.3f}, sigma = {ng['sigma']:.3f}): "
                                 f"{ng['hellinger']:.4g}")


@CATALOG.explorer("appE3.bell_shaped", a=(2.0, 0.2, 50.0), b=(5.0, 0.2, 50.0))
def _explore_appE3(ctx: Context, a: float, b: float) -> Point:
    """"Similar to a Gaussian": the density of S = σ^{−1}(O), O ~ Beta(a, b) (Eq. 233,
    c = λ = 1) against the nearest Gaussian density, as the Hellinger distance between them
    (:func:`th.nearest_gaussian_eq233`, fitted by quadrature) approximated by 0: never 0 —
    the tails decay like e^{−λas}, not e^{−s²} — and falling as a and b grow. (One mode for
    every a, b > 0: log f_S is concave.) A point takes about 50 ms."""
    return Point.approximation(0.0, exact=th.nearest_gaussian_eq233(a, b)["hellinger"])
