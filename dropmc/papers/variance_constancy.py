"""Claims of Littwin & Wolf, *Regularizing by the Variance of the Activations'
Sample-Variances* (the Variance Constancy Loss), paper key ``variance_constancy``.

Section 2 (Eq. 1–6, Theorem 1), Section 2.1 (Theorem 2, Eq. 7–10, Figure 2), Section 2.2
(Theorem 3, Eq. 11–17) and Section 2.3 (Eq. 18–20). Each claim pairs a closed form of
:mod:`dropmc.theory.variance_constancy` with the Numba samplers of
:mod:`dropmc.simulations.variance_constancy`, exact enumeration over multisets of draws from
finite laws, scipy quadrature, or an independent optimisation over θ.

Findings (each printed claim kept as printed, with the correction beside it):

* Eq. 12/16 (Theorem 3) put the loss in a band [4ε²/(1+ε)², 4ε²/(1−ε)²]; the lower end does
  not follow from Eq. 15 (1 − R may be near 0), and the event is in fact rare exactly when the
  right-hand side is near 1. Eq. 14–16 square a Chebyshev bound that may be negative, so the
  right-hand side exceeds the true probability when x = var/(ε²σ⁴) ∈ (1, 3) and is not a
  probability (> 1) when x > 2. Corrected: Pr((1 − R)² ≤ 4ε²/(1−ε)²) ≥ max(0, 1 − x)².
* "The RHS of Eq. 12 is maximised when κ is minimised" fails when x > 1.
* Section 2 counts n patterns of n draws from two modes (it lists n + 1 for n = 3) and
  C(n+k−1, k) for k modes; the count is C(n+k−1, k−1).
* Section 2.2: β does not make a larger activation variance always preferable: E L^β(cρ) has
  a minimum at a finite scale c for normal and two-point activations.
* Section 2.3: "most of the randomness [of batch norm] is caused by the variance of the sample
  variance" holds only for heavy-tailed activations (share → (κ−1)/(κ+3) for large n).
* Theorem 2 needs a shared covariance (as its proof assumes); with Σ1 ≠ Σ2 Eq. 9 and the regime
  rule both fail.
* Figure 2 (no training procedure printed) is decided on the expected loss itself: the
  direction Theorem 2 predicts has the lower E L^β (minimised over scale and β) at n = 32 and
  at n = 2. SGD with the per-step clipping of Section 2.4 (norm 1) stalls in the merging
  direction at n = 2, p = 1/2; unclipped SGD reaches the LDA direction. At n = 32, p = 0.25
  the loss is flat within 0.5% over the separating directions (its minimiser is not exactly
  the LDA direction), which is why individual SGD runs end anywhere in that plateau.
* Section 2.2: "as β grows, there is a stronger driving force separating the two modes" fails:
  the exact force on the mode distance peaks near β ≈ 2σ² and then decays like 4σ²/β (two-point
  law, n = 10: 0.485 at β = 1, 0.300 at β = 10).
* Section 2.3: (ρ(x) − μ_s)/(ρ(x) − μ) is not closer to 1 than σ/σ_s (probability 0.14–0.43
  over the laws tested), so "μ_s more reliable than σ_s" does not make that ratio ≈ 1.
* Section 3, read off the printed tables: VCL does not beat batchnorm for ReLU on CIFAR-10
  either (best VCL 0.0780 vs 0.0778), not only on CIFAR-100; Table 4's VCL − batchnorm win gaps
  are 12 (ReLU), 7 (ELU), 13 (SELU), so the gap is lowest for ELU, not ReLU.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import integrate, optimize, stats

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind, Verdict
from dropmc.estimate import Estimate, function_estimate
from dropmc.registry import Catalog
from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th
from dropmc.theory.variance_constancy import Law

CATALOG = Catalog("variance_constancy")


# ------------------------------------------------------------------------------------------
# random cases
# ------------------------------------------------------------------------------------------

def _random_law(rng: np.random.Generator, kind: str) -> Law:
    """A law of the given kind with random parameters."""
    u = lambda a, b: float(rng.uniform(a, b))  # noqa: E731
    if kind == "normal":
        return Law.normal(u(-3, 3), u(0.2, 3))
    if kind == "uniform":
        a = u(-2, 2)
        return Law.uniform(a, a + u(0.1, 4))
    if kind == "exponential":
        return Law.exponential(u(0.2, 3))
    if kind == "laplace":
        return Law.laplace(u(-2, 2), u(0.2, 2))
    if kind == "two_point_sym":
        a = u(-3, 1)
        return Law.two_point(a, a + u(0.2, 4), 0.5)
    if kind == "two_point":
        a = u(-3, 1)
        return Law.two_point(a, a + u(0.2, 4), u(0.05, 0.95))
    if kind == "gmm2":
        return Law.gmm2(u(0.05, 0.95), u(-3, 0), u(0, 3), u(0.1, 1.5), u(0.1, 1.5))
    if kind == "student_t":
        # ν ≥ STUDENT_T_MIN_NU: the z test of the Eq. 1 estimator needs more than a finite
        # variance (E ρ⁸, ν > 8): with ν = 9 its batch means are so skewed that |z| exceeds the
        # critical value 4.70 in 0.12% of true null runs (tools/false_alarm_variance_constancy
        # .py); 4 < ν < 17 is covered by the exact identity on finite laws
        return Law.student_t(u(STUDENT_T_MIN_NU, 30), u(-1, 1), u(0.5, 2))
    if kind == "beta":
        return Law.beta(u(0.3, 5), u(0.3, 5))
    if kind == "scipy":
        return Law.from_scipy(stats.gamma(u(0.5, 6), scale=u(0.5, 2)))
    raise ValueError(kind)


#: the heaviest Student-t law drawn for Monte Carlo tests of Eq. 1: ν ≥ 17 gives the
#: estimator (σ_s² − σ²)² (∝ ρ⁴) a finite fourth moment (E ρ¹⁶), so its batch-means SE is
#: itself well estimated; the measured false-alarm rate is in tools/false_alarm_variance_constancy.py
STUDENT_T_MIN_NU = 17.0

FAMILY = ("normal", "uniform", "exponential", "laplace", "two_point_sym", "two_point", "gmm2",
          "student_t", "beta", "scipy")


def _random_n(rng, lo=2, hi=100) -> int:
    return int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))


def _random_discrete(rng):
    k = int(rng.integers(2, 5))
    atoms = np.sort(rng.normal(size=k) * rng.uniform(0.5, 3))
    w = rng.uniform(0.05, 1, k)
    return atoms, w / w.sum()


def _law_params(law: Law) -> dict:
    out = {"law": str(law), "kind": law.kind}
    if law.params:
        out["params"] = [round(float(v), 6) for v in law.params]
    return out


def _target_resolution(ctx: Context, value: float, rel: float = 0.02) -> float:
    """The resolution asked for: ``rel`` of the value at standard precision and above, widened
    by 1/√scale at quick so that quick runs are not declared INCONCLUSIVE by design."""
    return rel * abs(value) / math.sqrt(min(1.0, ctx.precision.scale))


def _adaptive_reps(ctx: Context, pilot: Estimate, n: int, rel: float = 0.016,
                   max_draws: float = 4e8) -> int:
    """Replicates for a resolution crit·SE ≤ rel·|value| at standard precision, from a pilot's
    relative standard deviation; crit is the judge's critical value for a batch-means SE over
    MIN_BATCHES chunks (the t quantile, 4.70 for z* = 4.5). Scaled by the precision, capped at
    ``max_draws`` draws at standard, and at least 32 768 (256 per batch: the batch means of a
    heavy-tailed estimator are then close enough to normal, see the false-alarm study in
    tools/false_alarm_variance_constancy.py)."""
    rsd = pilot.se * math.sqrt(pilot.n) / max(abs(pilot.mean), 1e-300)
    crit = ctx.critical(sim.MIN_BATCHES - 1)
    # ×1.5: the pilot's spread is itself noisy (heavy-tailed laws), keep a margin
    need = 1.5 * (crit * rsd / rel) ** 2
    cap = max_draws * ctx.precision.scale / n
    return int(max(32_768, min(ctx.precision.scale * need, cap)))


# ------------------------------------------------------------------------------------------
# Section 2: Eq. 1, Eq. 4/6, Theorem 1, Eq. 5
# ------------------------------------------------------------------------------------------

def _eq1_mc_case(ctx, law, n, fn, theory):
    pilot = fn(law, n, 32_768, rng=ctx.stream())
    reps = _adaptive_reps(ctx, pilot, n)
    est = fn(law, n, reps, rng=ctx.stream())
    params = {**_law_params(law), "n": n, "kappa": th.kurtosis(law), "method": "monte_carlo"}
    return judge.identity(params, theory, est, ctx,
                          target_resolution=_target_resolution(ctx, theory))


@CATALOG.claim(
    "eq1.var_sample_variance", label="Eq. 1", kind=Kind.IDENTITY,
    statement="For the unbiased sample variance σ_s² of n ≥ 2 i.i.d. draws, "
              "E[(σ² − σ_s²)²] = m4/n − σ⁴(n − 3)/(n(n − 1)).")
def eq1_var_sample_variance(ctx: Context) -> list[CaseResult]:
    """Eq. 1 on the whole family (normal, uniform, exponential, Laplace, symmetric and
    asymmetric two-point, two-Gaussian mixtures, Student-t with ν ∈ [17, 30], Beta, and a
    user-passed ``scipy.stats.gamma``) with random parameters and random n ∈ [2, 100] plus the
    edges n = 2, 3 (where the σ⁴ term vanishes) and 100; m4 and σ² from scipy (or exact sums).
    Monte Carlo with the Numba sample-variance sampler (batch means over 128 chunks; Student-t
    only with ν ≥ 17, see STUDENT_T_MIN_NU): a pilot run measures the relative
    spread, then the replicate count is chosen so that the resolution (critical value × SE) is
    below 2% of the value at ``standard`` precision (cases that cannot reach it are INCONCLUSIVE). Plus exact
    enumeration over all multisets of n draws from random finite laws (2–4 atoms, n ≤ 12), which
    decides the algebraic identity itself, including for laws whose Monte Carlo estimator would
    have infinite variance (Student-t with 4 < ν ≤ 8)."""
    rng = ctx.rng()
    out = []
    for i, kind in enumerate(FAMILY):
        law = _random_law(rng, kind)
        ns = [_random_n(rng), (2, 3, 100)[i % 3]]
        mu, s2, m4 = th.central_moments(law)
        for n in ns:
            out.append(_eq1_mc_case(ctx, law, n, sim.estimate_var_sample_variance,
                                    th.var_sample_variance(m4, s2, n)))
    for _ in range(6):
        atoms, w = _random_discrete(rng)
        n = int(rng.integers(2, 13))
        _, e_dev, _ = th.exact_sample_variance_moments(atoms, w, n)
        law = Law.discrete(atoms, w)
        _, s2, m4 = th.central_moments(law)
        est = Estimate(e_dev, 0.0, th.mode_patterns(n, atoms.size), "enumeration")
        out.append(judge.identity({"law": f"discrete, {atoms.size} atoms", "atoms": atoms,
                                   "weights": w, "n": n, "method": "enumeration"},
                                  th.var_sample_variance(m4, s2, n), est, ctx))
    return out


@CATALOG.claim(
    "eq4.vcl_loss", label="Eq. 4, Eq. 6", kind=Kind.IDENTITY,
    statement="L_s(p) = E[(1 − σ_s²/σ²)²] = κ/n − (n − 3)/(n(n − 1)) with κ = m4/σ⁴.")
def eq4_vcl_loss(ctx: Context) -> list[CaseResult]:
    """Eq. 4/6 by Monte Carlo of E(1 − σ_s²/σ²)² (random laws of the family, random n ∈ [2, 100],
    2% resolution at standard as for Eq. 1) and by exact enumeration for random finite laws."""
    rng = ctx.rng()
    out = []
    for kind in ("normal", "uniform", "laplace", "two_point", "gmm2", "beta"):
        law = _random_law(rng, kind)
        n = _random_n(rng)
        out.append(_eq1_mc_case(ctx, law, n, sim.estimate_vcl_loss,
                                th.vcl_loss(th.kurtosis(law), n)))
    for _ in range(4):
        atoms, w = _random_discrete(rng)
        n = int(rng.integers(2, 13))
        _, _, e_loss = th.exact_sample_variance_moments(atoms, w, n)
        law = Law.discrete(atoms, w)
        est = Estimate(e_loss, 0.0, th.mode_patterns(n, atoms.size), "enumeration")
        out.append(judge.identity({"law": f"discrete, {atoms.size} atoms", "atoms": atoms,
                                   "weights": w, "n": n, "method": "enumeration"},
                                  th.vcl_loss(th.kurtosis(law), n), est, ctx))
    return out


def _count_patterns(n: int, k: int) -> int:
    return sum(1 for _ in itertools.combinations_with_replacement(range(k), n))


@CATALOG.claim(
    "sec2.mode_patterns", label="Section 2 (text after Eq. 1)", kind=Kind.VALUE,
    statement="A sample of size n from a distribution with 2 modes has only n possible "
              "patterns (aaa, aab, abb, bbb for n = 3); with k modes it has C(n+k−1, k).",
    note="As printed; see sec2.mode_patterns_corrected.")
def sec2_mode_patterns(ctx: Context) -> list[CaseResult]:
    """The printed counts (n for two modes; C(n+k−1, k) for k modes) against a brute-force
    count of multisets of n mode labels (itertools.combinations_with_replacement), for the
    printed example n = 3, k = 2 and random n ≤ 12, k ≤ 5."""
    rng = ctx.rng()
    out = []
    cases = [(3, 2)] + [(int(rng.integers(1, 13)), int(rng.integers(2, 6))) for _ in range(5)]
    for n, k in cases:
        count = _count_patterns(n, k)
        printed = n if k == 2 else th.printed_mode_patterns(n, k)
        out.append(judge.exact({"n": n, "k": k, "printed_rule": "n" if k == 2 else "C(n+k-1,k)"},
                               printed, count, method="enumeration", n=count,
                               detail=f"printed {printed}, counted {count}"))
    # the general formula at k = 2 as well
    n = int(rng.integers(2, 13))
    out.append(judge.exact({"n": n, "k": 2, "printed_rule": "C(n+k-1,k)"},
                           th.printed_mode_patterns(n, 2), _count_patterns(n, 2),
                           method="enumeration", n=_count_patterns(n, 2)))
    return out


@CATALOG.claim(
    "sec2.mode_patterns_corrected", label="Section 2 (text after Eq. 1)", kind=Kind.VALUE,
    as_printed=False, corrects="sec2.mode_patterns",
    statement="A sample of size n from k modes has C(n+k−1, k−1) patterns (n + 1 for two "
              "modes, as the printed n = 3 example lists).")
def sec2_mode_patterns_corrected(ctx: Context) -> list[CaseResult]:
    """Stars and bars: a pattern is a multiset of n labels from k, i.e. a composition of n into
    k non-negative parts, of which there are C(n+k−1, k−1). Checked against the brute-force count
    on the same cases as the printed claim."""
    rng = ctx.rng()
    cases = [(3, 2)] + [(int(rng.integers(1, 13)), int(rng.integers(2, 6))) for _ in range(5)]
    return [judge.exact({"n": n, "k": k}, th.mode_patterns(n, k), _count_patterns(n, k),
                        method="enumeration", n=_count_patterns(n, k)) for n, k in cases]


def _discrete_strategy():
    from hypothesis import strategies as st

    return st.integers(2, 6).flatmap(lambda k: st.tuples(
        st.lists(st.integers(-1000, 1000), min_size=k, max_size=k),
        st.lists(st.integers(1, 1000), min_size=k, max_size=k)))


def _kappa_minus_one(atoms, weights) -> float:
    """κ − 1 = var((ρ − μ)²)/σ⁴ computed directly (Eq. 5), for a finite law."""
    x = np.asarray(atoms, float)
    w = np.asarray(weights, float)
    w = w / w.sum()
    mu = w @ x
    y = (x - mu) ** 2
    s2 = w @ y
    return float(w @ (y - s2) ** 2) / (s2 * s2)


def _mixture_strategy():
    from hypothesis import strategies as st

    f = lambda a, b: st.floats(a, b, allow_nan=False, allow_infinity=False)  # noqa: E731
    return st.tuples(f(0.001, 0.999), f(-20, 20), f(-20, 20), f(0.001, 10), f(0.001, 10))


@CATALOG.claim(
    "thm1.kurtosis_ge_1", label="Theorem 1, Eq. 5", kind=Kind.INEQUALITY,
    statement="var((ρ − μ)²) = m4 − σ⁴ ≥ 0, so κ(ρ) ≥ 1 for every distribution (with a "
              "finite fourth moment).")
def thm1_kurtosis_ge_1(ctx: Context) -> list[CaseResult]:
    """A hypothesis search for a finite law (2–6 integer atoms in [−1000, 1000], integer
    weights 1–1000)
    and for a two-Gaussian mixture with κ < 1 (beyond 1e-9 relative rounding); plus κ of every
    law of the family with random parameters (scipy moments) and Eq. 5's identity
    m4 − σ⁴ = var((ρ − μ)²) computed both ways on random finite laws."""
    out = []

    def holds_discrete(args):
        atoms, w = args
        x = np.asarray(atoms, float)
        if np.ptp(x) == 0:
            raise ValueError("constant law: κ undefined")  # rejected, not counted as holding
        return ctx.ge(th.kurtosis(Law.discrete(x, np.asarray(w, float))), 1.0, tol=1e-9)

    out.append(judge.search_case({"search": "finite laws (2-6 atoms)"}, holds_discrete,
                                 _discrete_strategy(), ctx, what="(atoms, weights) with κ < 1"))

    def holds_mix(args):
        return ctx.ge(th.kurtosis(Law.gmm2(*args)), 1.0, tol=1e-9)

    out.append(judge.search_case({"search": "two-Gaussian mixtures"}, holds_mix,
                                 _mixture_strategy(), ctx,
                                 what="(p, mu1, mu2, s1, s2) with κ < 1"))
    rng = ctx.rng()
    kappas = {}
    for kind in FAMILY:
        law = _random_law(rng, kind)
        kappas[str(law)] = th.kurtosis(law)
    worst = min(kappas, key=kappas.get)
    ok = ctx.ge(kappas[worst], 1.0, tol=1e-12)
    out.append(CaseResult({"family": list(kappas)}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                          1.0, Estimate(kappas[worst], 0.0, len(kappas), "closed_form"),
                          detail=f"min κ over the family = {kappas[worst]:.6g} ({worst})"))
    for _ in range(4):
        atoms, w = _random_discrete(rng)
        law = Law.discrete(atoms, w)
        mu, s2, m4 = th.central_moments(law)
        y = (atoms - mu) ** 2
        out.append(judge.exact({"eq5": "m4 - σ⁴ = var(y)", "atoms": atoms, "weights": w},
                               m4 - s2 * s2, float(w @ (y - w @ y) ** 2),
                               scale=m4))  # a difference of terms of size m4
    return out


@CATALOG.claim(
    "thm1.minimiser_two_point", label="Theorem 1", kind=Kind.IDENTITY,
    statement="κ = 1 exactly for ρ = az + b with z ~ Bernoulli(1/2) (a ≠ 0), and only for it; so "
              "the minimum of Eq. 4 over laws, 2/(n(n − 1)), is attained exactly there.")
def thm1_minimiser_two_point(ctx: Context) -> list[CaseResult]:
    """(i) κ of symmetric two-point laws with random a, b equals 1 (exact sums); (ii) a
    hypothesis search for a finite law (integer atoms in [−1000, 1000], integer weights 1–1000)
    that is not a symmetric two-point law with κ − 1 ≤ 1e-12 (κ − 1 = var((ρ−μ)²)/σ⁴ computed directly); (iii) the
    minimal value of Eq. 4: E(1 − σ_s²/σ²)² of the symmetric two-point law by exact enumeration
    for n = 2…20 against 2/(n(n − 1)), and an asymmetric two-point law (q ≠ 1/2) exceeds it."""
    rng = ctx.rng()
    out = []
    for _ in range(3):
        law = _random_law(rng, "two_point_sym")
        out.append(judge.exact({**_law_params(law)}, 1.0, th.kurtosis(law)))

    def holds(args):
        atoms, w = args
        x = np.asarray(atoms, float)
        wt = np.asarray(w, float)
        wt = wt / wt.sum()
        vals, inv = np.unique(x, return_inverse=True)
        ww = np.bincount(inv, weights=wt)
        if vals.size < 2:
            raise ValueError("constant law: κ undefined")  # rejected
        if vals.size == 2 and abs(ww[0] - ww[1]) < 1e-12:
            raise ValueError("the symmetric two-point law itself")  # rejected
        return ctx.ge(_kappa_minus_one(vals, ww), 1e-12, scale=1.0)

    out.append(judge.search_case({"search": "finite laws other than the symmetric two-point law"},
                                 holds, _discrete_strategy(), ctx,
                                 what="(atoms, weights) with κ = 1"))
    for n in range(2, 21, 3):
        a = float(rng.uniform(-2, 0))
        b = a + float(rng.uniform(0.5, 3))
        _, _, loss = th.exact_sample_variance_moments([a, b], [0.5, 0.5], n)
        out.append(judge.identity({"n": n, "law": f"two-point({a:.3g}, {b:.3g}; q=1/2)"},
                                  th.minimal_vcl_loss(n),
                                  Estimate(loss, 0.0, n + 1, "enumeration"), ctx))
        q = float(rng.uniform(0.1, 0.4))
        _, _, loss_q = th.exact_sample_variance_moments([a, b], [1 - q, q], n)
        # the asymmetric law's loss is Eq. 4 at its κ > 1 (exact) and exceeds the minimum
        kq = th.kurtosis(Law.two_point(a, b, q))
        cr = judge.identity({"n": n, "law": f"two-point q={q:.3g}", "kappa": kq},
                            th.vcl_loss(kq, n), Estimate(loss_q, 0.0, n + 1, "enumeration"), ctx)
        if not ctx.ge(loss_q, th.minimal_vcl_loss(n) * (1 + 1e-12)):
            cr.verdict = Verdict.REFUTED
        cr.detail = (f"E(1-σ_s²/σ²)² = {loss_q:.6g} = Eq. 4 at κ = {kq:.4g} > min "
                     f"{th.minimal_vcl_loss(n):.6g}" if cr.verdict is Verdict.CONFIRMED
                     else cr.detail)
        out.append(cr)
    return out


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
def eq8_gaussian_moments(ctx: Context) -> list[CaseResult]:
    """Both non-central moments by scipy quadrature of the normal density for random μ, σ
    (relative tolerance 1e-9, the quadrature's own accuracy is ~1e-12)."""
    rng = ctx.rng()
    out = []
    for _ in range(6):
        mu = float(rng.normal() * 3)
        s = float(rng.uniform(0.1, 3))
        m4, m2 = th.gaussian_raw_moments(mu, s * s)
        q4, q2 = _quad_moments(mu, s)
        out.append(judge.exact({"mu": mu, "sigma": s, "moment": "m4, m2"}, [m4, m2], [q4, q2],
                               rtol=1e-9, method="quadrature"))
    return out


def _quad_moments(mu, s):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        q4 = integrate.quad(lambda x: x ** 4 * stats.norm.pdf(x, mu, s), -np.inf, np.inf,
                            epsabs=0, epsrel=1e-12, limit=200)[0]
        q2 = integrate.quad(lambda x: x ** 2 * stats.norm.pdf(x, mu, s), -np.inf, np.inf,
                            epsabs=0, epsrel=1e-12, limit=200)[0]
    return q4, q2


@CATALOG.claim(
    "eq9.projected_kurtosis", label="Theorem 2, Eq. 9", kind=Kind.IDENTITY,
    statement="For x ~ pN(μ1, Σ) + (1 − p)N(μ2, Σ) and ρ = θᵀx: m4 = α(1 − 3α)b² + 6αwb + 3w², "
              "σ² = αb + w and κ(ρ) = 3 + α(1 − 6α)b²/(αb + w)², with α = p(1 − p), "
              "b = θᵀΣ_bθ, w = θᵀΣ_wθ.")
def eq9_projected_kurtosis(ctx: Context) -> list[CaseResult]:
    """Both lines of Eq. 9 against 1-D quadrature of the projected mixture density (rtol 1e-8)
    and against Monte Carlo of full d-dimensional draws projected on θ (delta-method SE), for
    random d ∈ [1, 6], p, means, a shared random covariance (condition number ≤ 20) and θ."""
    rng = ctx.rng()
    out = []
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
        out.append(judge.exact({**params, "method": "quadrature"}, [k9, k9a], [kq, kq],
                               rtol=1e-8, method="quadrature"))
        if i < 3:
            est = sim.estimate_projected_kurtosis(theta, p, mu1, mu2, S, S,
                                                  reps=ctx.budget(400_000, minimum=20_000),
                                                  rng=ctx.stream())
            out.append(judge.identity({**params, "method": "monte_carlo"}, k9, est, ctx))
    return out


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
        dir_ok = ctx.ge(cos, 1.0, tol=1e-6)
        dtxt = f"|cos(θ*, LDA)| = {cos:.9f}"
    else:
        # κ − 3 ∝ r² near r = 0, so the optimiser's θ* is only determined to r ~ √(its κ
        # tolerance); 1e-3 of the largest ratio still separates it from every other direction
        dir_ok = ctx.le(r_opt, 0.0, tol=1e-3, scale=1.0)
        dtxt = f"r(θ*)/r_max = {r_opt:.3g}"
    ok = ctx.le(k_thm, k_opt, tol=tol) and dir_ok
    est = Estimate(k_opt, 0.0, 1, "optimisation", extra={"theta_opt": t_opt.tolist()})
    return CaseResult({**params, "r_opt_over_rmax": r_opt}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                      k_thm, est, None, tol,
                      f"κ at the theorem's direction {k_thm:.9g}, optimiser's minimum {k_opt:.9g}; "
                      f"{dtxt}")


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
def thm2_regimes(ctx: Context) -> list[CaseResult]:
    """κ(θᵀx) is minimised over directions by an independent optimiser (κ from the projected
    component moments, not from Eq. 9; dense angle grid + bounded refinement in 2-D, 24-start
    BFGS in d = 3, 5) for random means, shared covariances and p drawn in each regime (and
    p = 0.1, 0.25, 0.5). A case holds when κ at the theorem's direction is not above the
    optimiser's minimum (1e-8 relative) and the optimiser's θ* is the theorem's direction:
    |cos(θ*, LDA)| ≥ 1 − 1e-6 in the middle regime, θ*ᵀΣ_bθ*/θ*ᵀΣ_wθ* ≤ 1e-3·max ratio
    outside (κ − 3 is quadratic in that ratio, so the optimiser locates the flat minimum only
    to about the square root of its tolerance). At p exactly on a threshold κ ≡ 3 for every θ (checked exactly)."""
    rng = ctx.rng()
    out = []
    for d in (2, 3, 5):
        ps = _regime_ps(rng) if d == 2 else _regime_ps(rng)[:4]
        for p in ps:
            out.append(_regime_case(ctx, rng, p, d))
    for p in (th.P_LOW, th.P_HIGH):
        mu1, mu2, S, _ = _random_mixture(rng, 3)
        T = rng.normal(size=(20, 3))
        out.append(judge.exact({"p": p, "threshold": True}, np.full(20, 3.0),
                               th.projected_gmm_kurtosis_many(T, p, mu1, mu2, S, S), rtol=1e-9))
    return out


@CATALOG.claim(
    "thm2.threshold_value", label="Theorem 2, Eq. 10; Figure 2 caption", kind=Kind.VALUE,
    statement="α(1 − 6α) ≤ 0 exactly for (1 − √(1/3))/2 ≤ p ≤ (1 + √(1/3))/2, and the lower "
              "threshold is 0.2113.")
def thm2_threshold_value(ctx: Context) -> list[CaseResult]:
    """The printed 0.2113 against (1 − √(1/3))/2 to its digits; the sign of α(1 − 6α) on a
    dense grid of p against the interval (exact, including the roots of 6p² − 6p + 1 from
    numpy.roots)."""
    out = [judge.printed_value({"quantity": "(1 - sqrt(1/3))/2"}, "0.2113", th.P_LOW)]
    roots = np.sort(np.roots([6.0, -6.0, 1.0]).real)
    out.append(judge.exact({"quantity": "roots of α(1-6α) = 0 in p"}, [th.P_LOW, th.P_HIGH], roots))
    p = np.linspace(0.0005, 0.9995, 19991)
    a = p * (1 - p)
    lo, hi = ctx.perturb(np.array([th.P_LOW, th.P_HIGH]))  # the interval is the theory side
    sign_ok = (a * (1 - 6 * a) <= 0) == ((p >= lo) & (p <= hi))
    out.append(CaseResult({"grid": "p in (0,1), 19991 points"},
                          Verdict.CONFIRMED if sign_ok.all() else Verdict.REFUTED,
                          float(lo), Estimate(float((~sign_ok).sum()), 0.0, p.size, "enumeration"),
                          detail=f"{int((~sign_ok).sum())} grid points disagree"))
    return out


@CATALOG.claim(
    "eq9.unequal_covariance", label="Theorem 2, Eq. 9 (with Σ1 ≠ Σ2)", kind=Kind.IDENTITY,
    as_printed=False,
    statement="Eq. 9 with Σ_w = pΣ1 + (1 − p)Σ2 (Theorem 2's definition) also gives κ(θᵀx) when "
              "the two components have different covariances.",
    note="An extension the theorem's Σ_w definition suggests but its proof (which writes Σ2 for "
         "both components) does not cover. Refuted: with unequal covariances κ depends on "
         "θᵀΣ1θ and θᵀΣ2θ separately (κ − Eq. 9 = [3α(w1 − w2)² + 6αb(1 − 2p)(w1 − w2)]/σ⁴).")
def eq9_unequal_covariance(ctx: Context) -> list[CaseResult]:
    """Eq. 9 with Σ_w = pΣ1 + (1 − p)Σ2 against quadrature of the projected density for random
    unequal covariances (rtol 1e-8), plus one Monte Carlo case."""
    rng = ctx.rng()
    out = []
    for i in range(5):
        d = int(rng.integers(2, 5))
        p = float(rng.uniform(0.05, 0.95))
        mu1, mu2, S1, S2 = _random_mixture(rng, d, shared=False)
        theta = rng.normal(size=d)
        Sw, Sb = th.scatter_matrices(p, mu1, mu2, S1, S2)
        k9 = float(th.kurtosis_eq9(theta @ Sb @ theta, theta @ Sw @ theta, p))
        kq = th.projected_gmm_kurtosis_quad(theta, p, mu1, mu2, S1, S2)
        out.append(judge.exact({"d": d, "p": p, "method": "quadrature"}, k9, kq, rtol=1e-8,
                               method="quadrature",
                               detail=f"Eq. 9 gives {k9:.6g}, quadrature {kq:.6g}"))
        if i == 0:
            est = sim.estimate_projected_kurtosis(theta, p, mu1, mu2, S1, S2,
                                                  reps=ctx.budget(400_000, minimum=20_000),
                                                  rng=ctx.stream())
            out.append(judge.identity({"d": d, "p": p, "method": "monte_carlo"}, k9, est, ctx))
    return out


@CATALOG.claim(
    "eq9.unequal_covariance_corrected", label="Theorem 2, Eq. 9 (with Σ1 ≠ Σ2)",
    kind=Kind.IDENTITY, as_printed=False, corrects="eq9.unequal_covariance",
    statement="With w1 = θᵀΣ1θ, w2 = θᵀΣ2θ and w = pw1 + (1 − p)w2, κ(θᵀx) = Eq. 9 + "
              "[3α(w1 − w2)² + 6αb(1 − 2p)(w1 − w2)]/(αb + w)².")
def eq9_unequal_covariance_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: the centred component offsets are (1 − p)δ and −pδ (δ = θᵀ(μ1 − μ2),
    b = δ²); Eq. 8 per component gives m4 = α(1 − 3α)b² + 6b[p(1−p)²w1 + (1−p)p²w2] +
    3[pw1² + (1−p)w2²] and σ² = αb + w. Subtracting Eq. 9's numerator
    α(1 − 3α)b² + 6αbw + 3w² leaves 6αb(1 − 2p)(w1 − w2) + 3α(w1 − w2)². Checked against
    quadrature of the projected density on the same random cases as the printed extension."""
    rng = ctx.rng()
    out = []
    for _ in range(5):
        d = int(rng.integers(2, 5))
        p = float(rng.uniform(0.05, 0.95))
        mu1, mu2, S1, S2 = _random_mixture(rng, d, shared=False)
        theta = rng.normal(size=d)
        dl = theta @ (mu1 - mu2)
        kg = float(th.kurtosis_general(dl * dl, theta @ S1 @ theta, theta @ S2 @ theta, p))
        kq = th.projected_gmm_kurtosis_quad(theta, p, mu1, mu2, S1, S2)
        out.append(judge.exact({"d": d, "p": p, "method": "quadrature"}, kg, kq, rtol=1e-8,
                               method="quadrature"))
    return out


@CATALOG.claim(
    "thm2.unequal_covariance", label="Theorem 2, Eq. 7 (with Σ1 ≠ Σ2)", kind=Kind.IDENTITY,
    as_printed=False,
    statement="Theorem 2's regime rule, with Σ_w = pΣ1 + (1 − p)Σ2, also gives the "
              "κ-minimising direction when the components have different covariances.",
    note="Extension, not printed (the proof assumes a shared covariance). Decided by the same "
         "independent optimiser as thm2.regimes.")
def thm2_unequal_covariance(ctx: Context) -> list[CaseResult]:
    """As thm2.regimes, with independent random covariances Σ1 ≠ Σ2 (d = 2 and 3, p in each
    regime); a case is refuted when the optimiser finds a lower κ than the theorem's direction
    or a different direction."""
    rng = ctx.rng()
    out = []
    for d in (2, 3):
        for p in _regime_ps(rng)[:4] + [0.5]:
            out.append(_regime_case(ctx, rng, p, d, shared=False))
    return out


# ------------------------------------------------------------------------------------------
# Section 2.2: Theorem 3, Eq. 12–16
# ------------------------------------------------------------------------------------------

#: laws of low and high kurtosis for the probability statements
_T3_KINDS = ("uniform", "two_point_sym", "normal", "gmm2", "laplace", "exponential", "student_t")


def _t3_cases(ctx: Context, n_random: int = 7):
    """(law, n, eps array) cases: random laws of low and high kurtosis, random n ∈ {2…100},
    three random ε each; plus the deterministic edges (normal, n = 102, ε = 0.1: x = 1.98) and
    (normal, n = 100, ε = 0.5: x = 0.08)."""
    rng = ctx.rng()
    # the informative fixed cases first (the report quotes the first refuted case)
    cases = [(Law.normal(), 100, np.array([0.5])), (Law.normal(), 102, np.array([0.1])),
             (Law.uniform(), 5, np.array([0.3, 0.9]))]
    for i in range(n_random):
        kind = _T3_KINDS[i % len(_T3_KINDS)]
        law = _random_law(rng, kind)
        n = _random_n(rng, 8 if kind == "two_point_sym" else 2, 100)
        eps = np.sort(rng.uniform(0.05, 0.95, 3))
        cases.append((law, n, eps))
    return cases


def _t3_eval(ctx: Context, event: str, rhs_fn, side: str, label_rhs: str,
             cases=None) -> list[CaseResult]:
    out = []
    reps = ctx.budget(200_000, minimum=4_000)
    for law, n, eps in (cases or _t3_cases(ctx)):
        ev = sim.estimate_ratio_events(law, n, eps, reps, rng=ctx.stream())
        kappa = th.kurtosis(law)
        undefined = ev["undefined"][0].mean
        for j, e in enumerate(eps):
            est = ev[event][j]
            x = th.chebyshev_term(kappa, n, float(e))
            rhs = rhs_fn(kappa, n, float(e))
            params = {**_law_params(law), "kappa": kappa, "n": n, "eps": float(e), "x": x,
                      "rhs": rhs}
            note = ""
            if rhs > 1:
                note = f"; the right-hand side {rhs:.4g} > 1 is not a probability"
            elif rhs <= 0 and side == "lower":
                note = f"; the right-hand side {rhs:.4g} ≤ 0 (vacuous)"
            elif rhs >= 1 and side == "upper":
                note = f"; the right-hand side {rhs:.4g} ≥ 1 (vacuous)"
            elif side == "lower" and x > 1:
                note = f"; x = {x:.3g} > 1: the squared Chebyshev bound is not valid"
            if undefined:
                note += f"; 0/0 ratio in {undefined:.2g} of pairs (counted outside the event)"
            f = judge.lower_bound if side == "lower" else judge.upper_bound
            # probability=True: a lower bound ≤ 0 or an upper bound ≥ 1 cannot fail; such a
            # case is counted apart (role "vacuous") and is not evidence
            cr = f(params, rhs, est, ctx, probability=True)
            cr.detail = (("vacuous (not evidence): " if cr.role == "vacuous" else "")
                         + f"P̂ = {est.mean:.5g} ± {est.se:.2g} vs {label_rhs} = {rhs:.5g} "
                         f"(κ = {kappa:.3g}, n = {n}, ε = {e:.3g}, x = {x:.3g})"
                         + (f", one-sided z = {cr.z:.2f}" if cr.z is not None else "") + note)
            out.append(cr)
    return out


@CATALOG.claim(
    "thm3.eq13_chebyshev", label="Theorem 3 (proof), Eq. 13", kind=Kind.PROBABILITY_BOUND,
    statement="Pr(|1 − σ_s²/E σ_s²| > ε) ≤ var(σ_s²)/(ε²(E σ_s²)²) = x.")
def thm3_eq13(ctx: Context) -> list[CaseResult]:
    """The empirical probability of |1 − σ_s²/σ²| > ε (binomial SE) against x = (κ/n −
    (n−3)/(n(n−1)))/ε², one-sided, over laws of low and high kurtosis, random n and ε."""
    return _t3_eval(ctx, "eq13", th.chebyshev_term, "upper", "x")


@CATALOG.claim(
    "thm3.eq14", label="Theorem 3 (proof), Eq. 14", kind=Kind.PROBABILITY_BOUND,
    statement="Pr(1 − ε ≤ σ²_{s1}/σ², σ²_{s2}/σ² ≤ 1 + ε) ≥ (1 − var(σ²_{s1})/(ε²σ⁴))².",
    note="As printed; see thm3.eq14_corrected.")
def thm3_eq14(ctx: Context) -> list[CaseResult]:
    """The empirical probability that both independent sample variances lie within a factor
    1 ± ε of σ² against (1 − x)², one-sided; the right-hand side is reported when it exceeds 1
    or when x > 1 (where squaring the negative Chebyshev bound is invalid)."""
    return _t3_eval(ctx, "eq14", th.thm3_rhs, "lower", "(1 - x)²")


@CATALOG.claim(
    "thm3.eq15", label="Theorem 3 (proof), Eq. 15", kind=Kind.PROBABILITY_BOUND,
    statement="Pr((1 − ε)/(1 + ε) ≤ σ²_{s1}/σ²_{s2} ≤ (1 + ε)/(1 − ε)) ≥ "
              "(1 − var(σ²_{s1})/(ε²σ⁴))².",
    note="As printed; see thm3.eq15_corrected.")
def thm3_eq15(ctx: Context) -> list[CaseResult]:
    """The empirical probability of the ratio band against (1 − x)², one-sided."""
    return _t3_eval(ctx, "eq15", th.thm3_rhs, "lower", "(1 - x)²")


@CATALOG.claim(
    "thm3.eq12", label="Theorem 3, Eq. 12, Eq. 16", kind=Kind.PROBABILITY_BOUND,
    statement="For every 0 < ε < 1: Pr(4ε²/(1+ε)² ≤ (1 − σ²_{s1}/σ²_{s2})² ≤ 4ε²/(1−ε)²) ≥ "
              "(1 − (1/ε²)(κ/n − (n − 3)/(n(n − 1))))².",
    note="As printed; see thm3.eq12_corrected.")
def thm3_eq12(ctx: Context) -> list[CaseResult]:
    """The empirical probability of the printed band for the two-batch loss of Eq. 11 against
    the printed right-hand side, one-sided, over laws of low and high kurtosis, random n ∈
    [2, 100] and ε ∈ (0.05, 0.95), plus fixed cases (normal, n = 100, ε = 0.5, where the
    right-hand side is 0.845)."""
    return _t3_eval(ctx, "eq12", th.thm3_rhs, "lower", "(1 - x)²")


_CORR_NOTE = ("Derivation: Chebyshev (Eq. 13) gives Pr(|1 − σ_s²/σ²| ≤ ε) ≥ 1 − x for each "
              "sub-batch; independence gives the product, but 'P ≥ 1 − x' only implies "
              "'P² ≥ (1 − x)²' when 1 − x ≥ 0, so the valid bound is max(0, 1 − x)². On Eq. 15's "
              "event 1 − R lies in [−2ε/(1−ε), 2ε/(1+ε)], so (1 − R)² ≤ 4ε²/(1−ε)²; nothing "
              "bounds (1 − R)² from below (R = 1 is inside the event).")


@CATALOG.claim(
    "thm3.eq12_corrected", label="Theorem 3, Eq. 12, Eq. 16", kind=Kind.PROBABILITY_BOUND,
    as_printed=False, corrects="thm3.eq12",
    statement="Pr((1 − σ²_{s1}/σ²_{s2})² ≤ 4ε²/(1−ε)²) ≥ max(0, 1 − (1/ε²)(κ/n − "
              "(n − 3)/(n(n − 1))))².", note=_CORR_NOTE)
def thm3_eq12_corrected(ctx: Context) -> list[CaseResult]:
    """Correction of Eq. 12/16. Eq. 13 (Chebyshev) bounds each sub-batch: Pr(|1 − σ_s²/σ²| ≤ ε)
    ≥ 1 − x; the two sub-batches are independent, so both hold with probability P² where
    P ≥ 1 − x, which gives P² ≥ (1 − x)² only if 1 − x ≥ 0, hence max(0, 1 − x)². On that event
    R = σ²_{s1}/σ²_{s2} ∈ [(1−ε)/(1+ε), (1+ε)/(1−ε)], so 1 − R ∈ [−2ε/(1−ε), 2ε/(1+ε)] and
    (1 − R)² ≤ 4ε²/(1−ε)²; R = 1 belongs to the event, so no positive lower bound on (1 − R)²
    follows. Checked on the same cases as the printed claim."""
    return _t3_eval(ctx, "eq12_upper", th.thm3_rhs_corrected, "lower", "max(0, 1 - x)²")


@CATALOG.claim(
    "thm3.eq14_corrected", label="Theorem 3 (proof), Eq. 14", kind=Kind.PROBABILITY_BOUND,
    as_printed=False, corrects="thm3.eq14",
    statement="Pr(both σ²_{s1}/σ², σ²_{s2}/σ² ∈ [1 − ε, 1 + ε]) ≥ max(0, 1 − x)².",
    note=_CORR_NOTE)
def thm3_eq14_corrected(ctx: Context) -> list[CaseResult]:
    """Correction of Eq. 14: the product of two probabilities each ≥ 1 − x is ≥ (1 − x)² only
    when 1 − x ≥ 0; otherwise the only bound is 0. Same cases as the printed claim."""
    return _t3_eval(ctx, "eq14", th.thm3_rhs_corrected, "lower", "max(0, 1 - x)²")


@CATALOG.claim(
    "thm3.eq15_corrected", label="Theorem 3 (proof), Eq. 15", kind=Kind.PROBABILITY_BOUND,
    as_printed=False, corrects="thm3.eq15",
    statement="Pr((1 − ε)/(1 + ε) ≤ σ²_{s1}/σ²_{s2} ≤ (1 + ε)/(1 − ε)) ≥ max(0, 1 − x)².",
    note=_CORR_NOTE)
def thm3_eq15_corrected(ctx: Context) -> list[CaseResult]:
    """Correction of Eq. 15: Eq. 14's event implies the ratio band, so the corrected bound of
    Eq. 14 carries over. Same cases as the printed claim."""
    return _t3_eval(ctx, "eq15", th.thm3_rhs_corrected, "lower", "max(0, 1 - x)²")


def _rhs_strategy():
    from hypothesis import strategies as st

    f = lambda a, b: st.floats(a, b, allow_nan=False, allow_infinity=False)  # noqa: E731
    return st.tuples(st.integers(2, 200), f(0.01, 0.99), f(1.0, 50.0), f(1.0, 50.0))


@CATALOG.claim(
    "thm3.rhs_max_at_min_kappa", label="Theorem 3 (remark after Eq. 16)", kind=Kind.INEQUALITY,
    statement="The right-hand side of Eq. 12 is maximised when κ(ρ) is minimised, i.e. it does "
              "not increase with κ.",
    note="As printed; see thm3.rhs_max_at_min_kappa_corrected.")
def thm3_rhs_max_at_min_kappa(ctx: Context) -> list[CaseResult]:
    """A hypothesis search over (n, ε, κ1, κ2) for κ1 < κ2 with RHS(κ1) < RHS(κ2) (beyond 1e-12),
    with the printed right-hand side (1 − x)²."""
    def holds(args):
        n, e, k1, k2 = args
        if k1 > k2:
            k1, k2 = k2, k1
        return ctx.ge(th.thm3_rhs(k1, n, e), th.thm3_rhs(k2, n, e), tol=1e-12, scale=1.0)

    cr = judge.search_case({}, holds, _rhs_strategy(), ctx, what="(n, ε, κ1, κ2)")
    if cr.verdict is Verdict.REFUTED:
        n, e, k1, k2 = (cr.detail.split(": ", 1)[1].strip("()").split(", "))
        n, e, k1, k2 = int(n), float(e), float(k1), float(k2)
        k1, k2 = min(k1, k2), max(k1, k2)
        cr.params.update({"n": n, "eps": e, "kappa1": k1, "kappa2": k2})
        cr.theory = th.thm3_rhs(k1, n, e)
        cr.detail = (f"counterexample (n, ε, κ1, κ2) = ({n}, {e}, {k1}, {k2}): RHS(κ1) = "
                     f"{th.thm3_rhs(k1, n, e):.6g} < RHS(κ2) = {th.thm3_rhs(k2, n, e):.6g} "
                     f"(x = {th.chebyshev_term(k1, n, e):.3g} > 1)")
    return [cr]


@CATALOG.claim(
    "thm3.rhs_max_at_min_kappa_corrected", label="Theorem 3 (remark after Eq. 16)",
    kind=Kind.INEQUALITY, as_printed=False, corrects="thm3.rhs_max_at_min_kappa",
    statement="The corrected right-hand side max(0, 1 − x)² does not increase with κ.")
def thm3_rhs_max_at_min_kappa_corrected(ctx: Context) -> list[CaseResult]:
    """x grows linearly in κ (coefficient 1/(nε²) > 0) and t ↦ max(0, 1 − t)² is non-increasing,
    so the corrected bound is non-increasing in κ; the same hypothesis search as the printed
    remark finds no counterexample."""
    def holds(args):
        n, e, k1, k2 = args
        if k1 > k2:
            k1, k2 = k2, k1
        return ctx.ge(th.thm3_rhs_corrected(k1, n, e), th.thm3_rhs_corrected(k2, n, e),
                      tol=1e-12, scale=1.0)

    out = [judge.search_case({}, holds, _rhs_strategy(), ctx, what="(n, ε, κ1, κ2)")]
    # the derivative: d/dκ max(0, 1 − x)² = −2·max(0, 1 − x)/(nε²) ≤ 0, against central
    # differences of the corrected right-hand side on a grid of (n, ε, κ) with x ≠ 1
    rng = ctx.rng()
    fd, an = [], []
    for _ in range(200):
        n, e, k = int(rng.integers(2, 201)), float(rng.uniform(0.01, 0.99)), float(rng.uniform(1, 50))
        h = 1e-5 * k
        x = th.chebyshev_term(k, n, e)
        if abs(x - 1) < 1e-3 or k - h < 1:
            continue
        fd.append((th.thm3_rhs_corrected(k + h, n, e) - th.thm3_rhs_corrected(k - h, n, e)) / (2 * h))
        an.append(-2 * max(0.0, 1 - x) / (n * e * e))
    out.append(judge.exact({"quantity": "d RHS/dκ (central differences)", "points": len(an)},
                           np.array(an), np.array(fd), rtol=1e-5, atol=1e-9,
                           detail="the derivative in κ is −2·max(0, 1 − x)/(nε²) ≤ 0"))
    out.append(CaseResult({"quantity": "max of the derivative in κ"},
                          Verdict.CONFIRMED if ctx.le(max(fd), 0.0, tol=1e-9, scale=1e-6)
                          else Verdict.REFUTED, 0.0, Estimate(max(fd), 0.0, len(fd), "closed_form"),
                          detail=f"largest central difference {max(fd):.3g} ≤ 0"))
    return out


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
def eq17_expectation(ctx: Context) -> list[CaseResult]:
    """Monte Carlo of the β-VCL loss with two independent sub-batches against the quadrature /
    closed form (normal, random σ, n ∈ [10, 60] at β = 0 — n ≥ 10 so the estimator's variance,
    which needs E σ_s⁻⁸, is finite — and random β > 0 at random n ≥ 2), and against the exact
    binomial sum for random two-point laws with β > 0."""
    rng = ctx.rng()
    out = []
    reps = ctx.budget(400_000, minimum=8_000)
    for _ in range(3):
        n = int(rng.integers(10, 61))
        s = float(rng.uniform(0.3, 3))
        est = sim.estimate_vcl_beta(Law.normal(0, s), n, 0.0, reps, rng=ctx.stream())
        out.append(judge.identity({"law": f"N(0,{s:.3g}²)", "n": n, "beta": 0.0},
                                  th.expected_vcl_normal(n, 0.0, s), est, ctx))
    for _ in range(3):
        n = int(rng.integers(2, 40))
        s = float(rng.uniform(0.3, 3))
        beta = float(rng.uniform(0.05, 2))
        est = sim.estimate_vcl_beta(Law.normal(0, s), n, beta, reps, rng=ctx.stream())
        out.append(judge.identity({"law": f"N(0,{s:.3g}²)", "n": n, "beta": beta},
                                  th.expected_vcl_normal(n, beta, s), est, ctx))
    for _ in range(3):
        law = _random_law(rng, "two_point")
        n = int(rng.integers(2, 20))
        beta = float(rng.uniform(0.05, 2))
        est = sim.estimate_vcl_beta(law, n, beta, reps, rng=ctx.stream())
        out.append(judge.identity({**_law_params(law), "n": n, "beta": beta},
                                  th.expected_vcl_two_point(n, beta, *law.params), est, ctx))
    return out


@CATALOG.claim(
    "eq11.two_batch_proxy", label="Eq. 6, Eq. 11", kind=Kind.APPROXIMATION, as_printed=False,
    statement="The two-batch loss of Eq. 11 is a proxy for the loss of Eq. 6: "
              "E(1 − σ²_{s1}/σ²_{s2})² = 2·L_s(p) + O(n⁻²), i.e. its relative deviation from "
              "2(κ/n − (n−3)/(n(n−1))) falls like 1/n.",
    note="Not printed: Section 2.2 replaces Eq. 6 by Eq. 11 without relating them. Quantifies "
         "how Theorem 2's κ-ranking (a statement on Eq. 6) carries over to the trained loss.")
def eq11_two_batch_proxy(ctx: Context) -> list[CaseResult]:
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
    out = []
    ns = 2 ** np.arange(5, 13)
    exact = np.array([th.expected_vcl_normal_beta0(int(n)) for n in ns])
    approx = np.array([2 * th.vcl_loss(3.0, int(n)) for n in ns])
    out.append(judge.order({"law": "N(0,1)", "n": ns.tolist(), "method": "closed form",
                            "s": "1/n"}, 1.0 / ns, exact, approx, 2.0, kind="absolute",
                           name="|E L⁰ − 2L_s| (normal, closed form)", ctx=ctx))
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
        cr = judge.order(params, 1.0 / ns_mc, mc, ap, 2.0, kind="absolute",
                         name=f"|E L⁰ − 2L_s| ({law}, Monte Carlo)", ctx=ctx)
        # the errors as the judge saw them (the approximation perturbed in power runs), and
        # the noise on each over the tail of four n the slope is taken on
        seen = np.abs(mc - np.asarray(ctx.perturb(ap), float))[-4:]
        ratio = float(np.max(noise_i[-4:] / np.maximum(seen, 1e-300)))
        cr.detail += (f"; Monte Carlo noise ±{noise_i[-1]:.2g} at n = {ns_mc[-1]} (critical "
                      f"value × SE), at most {ratio:.2f} of the error on the tail")
        if cr.verdict is Verdict.REFUTED and ratio > 0.25:
            cr.verdict = Verdict.INCONCLUSIVE
            cr.detail = ("Monte Carlo noise is not below a quarter of the error on the tail: "
                         "the order is not decidable; " + cr.detail)
        out.append(cr)
        for n, e, a in zip(ns_mc, ests, ap):
            out.append(judge.approximation({**_law_params(law), "n": int(n),
                                            "method": "monte_carlo"}, e.mean, a, e,
                                           detail=f"E L⁰ = {e.mean:.5g} ± {e.se:.2g} vs 2L_s = "
                                                  f"{a:.5g}", ctx=ctx))
    return out


@CATALOG.claim(
    "eq17.beta_vanishes_with_scale", label="Eq. 17 (text)", kind=Kind.IDENTITY,
    statement="For β = 0 the loss is scale-free (the distance between the peaks is "
              "inconsequential), and multiplying the activations by a large constant makes β "
              "insignificant: E L^β(cρ) → E L^0(ρ) as c → ∞.")
def eq17_beta_vanishes(ctx: Context) -> list[CaseResult]:
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
    rng = ctx.rng()
    out = []
    a = rng.gamma(2.0, size=1000)
    b = rng.gamma(2.0, size=1000)
    c = float(rng.uniform(0.01, 100))
    out.append(judge.exact({"c": c, "pairs": 1000, "quantity": "L⁰(c²a, c²b) vs (1 − a/b)²"},
                           (1.0 - a / b) ** 2, th.vcl_beta(c * c * a, c * c * b, 0.0), n=1000,
                           rtol=1e-12, ctx=ctx))
    reps = ctx.budget(400_000, minimum=16_000)
    for c in (float(10 ** rng.uniform(-2, 0)), float(10 ** rng.uniform(0, 2))):
        n = int(rng.integers(10, 61))
        est = sim.estimate_vcl_beta(Law.normal(), n, 0.0, reps, scale=c, rng=ctx.stream())
        out.append(judge.identity({"law": "N(0,1)", "scale": c, "n": n, "beta": 0.0,
                                   "method": "monte_carlo"},
                                  th.expected_vcl_normal_beta0(n), est, ctx))
    for n in (10, int(rng.integers(8, 61))):
        beta = float(rng.uniform(0.1, 2))
        ref = th.expected_vcl_normal_beta0(n)
        cs = 10.0 ** np.arange(0, 5)
        vals = np.array([th.expected_vcl_normal(n, beta, sigma=cc) for cc in cs])
        dist = np.abs(vals - ref)
        # from c = 10 on (at c ~ 1 E L^β(cρ) may cross E L⁰: it has a minimum at a finite c,
        # see eq17.variance_grows)
        mono = bool(np.all(np.diff(dist[1:]) < 0))
        close = ctx.close(vals[-1], ref, rtol=1e-6)
        out.append(CaseResult({"n": n, "beta": beta, "c": cs.tolist(), "method": "quadrature"},
                              Verdict.CONFIRMED if mono and close else Verdict.REFUTED, ref,
                              Estimate(float(vals[-1]), 0.0, 1, "quadrature"), None, 1e-6 * ref,
                              detail=f"|E L^β(cρ) − E L⁰| at c = 1…1e4: "
                                     + ", ".join(f"{v:.3g}" for v in dist)
                                     + ("" if mono else " (not monotone from c = 10 on)")))
    return out


def _scale_curve(law_kind: str, n: int, beta: float, cs: np.ndarray) -> np.ndarray:
    """E L^β(cρ) for each scale c: quadrature with σ = c (normal), exact binomial sums with
    atoms ±c (symmetric two-point)."""
    if law_kind == "normal":
        return np.array([th.expected_vcl_normal(n, beta, sigma=c) for c in cs])
    return np.array([th.expected_vcl_two_point(n, beta, -c, c) for c in cs])


@CATALOG.claim(
    "eq17.variance_grows", label="Eq. 17 (text)", kind=Kind.INEQUALITY,
    statement="With β > 0 the loss encourages the variance of each neuron's output to grow: "
              "scaling the activations by a constant larger than one lowers E L^β.")
def eq17_variance_grows(ctx: Context) -> list[CaseResult]:
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
    rng = ctx.rng()
    out = []
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
            out.append(CaseResult(params, Verdict.CONFIRMED, float(vals[-1]),
                                  Estimate(float(vals[-1]), 0.0, cs.size, "quadrature"),
                                  detail="E L^β(cρ) non-increasing on c ∈ [0.1, 100]"))
            continue
        i = int(np.argmax(rises))
        c_min, c_far = float(cs[j]), float(cs[-1])
        law = Law.normal() if kind == "normal" else Law.two_point()
        e_min = sim.estimate_vcl_beta(law, n, beta, reps, scale=c_min, rng=ctx.stream())
        e_far = sim.estimate_vcl_beta(law, n, beta, reps, scale=c_far, rng=ctx.stream())
        id_min = judge.identity({**params, "c": c_min}, float(vals[j]), e_min, ctx)
        id_far = judge.identity({**params, "c": c_far}, float(vals[-1]), e_far, ctx)
        diff = Estimate(e_far.mean - e_min.mean, math.hypot(e_far.se, e_min.se),
                        e_far.n + e_min.n, "monte_carlo", dof=min(e_far.dof or 1e9, e_min.dof or 1e9))
        # the claim: E L^β(c_far ρ) − E L^β(c_min ρ) ≤ 0
        rise = judge.upper_bound({**params, "c_min": c_min, "c_far": c_far}, 0.0, diff, ctx,
                                 scale=float(vals[j]))
        txt = (f"E L^β(cρ) is minimal at c ≈ {c_min:.3g} ({vals[j]:.5g}) and increases for "
               f"larger c (first rise between c = {cs[i]:.3g} and {cs[i + 1]:.3g}; "
               f"{vals[-1]:.5g} at c = {c_far:g}); Monte Carlo {e_min.mean:.5g} ± {e_min.se:.2g} "
               f"at c_min (z = {id_min.z:.2f} against the exact curve) and {e_far.mean:.5g} ± "
               f"{e_far.se:.2g} at c = {c_far:g} (z = {id_far.z:.2f}); one-sided z of the rise "
               f"= {rise.z:.1f}")
        if id_min.verdict is Verdict.REFUTED or id_far.verdict is Verdict.REFUTED:
            v = Verdict.INCONCLUSIVE
            txt = "Monte Carlo disagrees with the exact curve: " + txt
        elif rise.verdict is Verdict.REFUTED:
            v = Verdict.REFUTED
        else:
            v = Verdict.INCONCLUSIVE
            txt = "exact curve rises but the Monte Carlo rise is not significant: " + txt
        out.append(CaseResult({**params, "c_min": c_min, "c_far": c_far}, v, float(vals[j]),
                              diff, rise.z, rise.resolution, txt, one_sided=True))
    return out


# ------------------------------------------------------------------------------------------
# Section 2.3: Eq. 18–20 (batch norm)
# ------------------------------------------------------------------------------------------

@CATALOG.claim(
    "eq18.identity", label="Eq. 18", kind=Kind.IDENTITY,
    statement="|(ρ − μ_s)/σ_s − (ρ − μ)/σ| = |(ρ − μ)/σ|·|(σ/σ_s)(ρ − μ_s)/(ρ − μ) − 1|.")
def eq18_identity(ctx: Context) -> list[CaseResult]:
    """The algebraic identity of Eq. 18 on random batches drawn from the family (exact, per
    sample, ρ ≠ μ)."""
    rng = ctx.rng()
    out = []
    for kind in ("normal", "laplace", "two_point", "gmm2"):
        law = _random_law(rng, kind)
        mu, s2, _ = th.central_moments(law)
        n = int(rng.integers(2, 50))
        X = sim.sample_matrix(law, 200, n, rng=ctx.stream())
        rho = sim.sample_matrix(law, 200, 1, rng=ctx.stream())[:, 0]
        ms = X.mean(axis=1)
        ss = X.std(axis=1, ddof=1)
        keep = (ss > 0) & (rho != mu)
        ms, ss, r = ms[keep], ss[keep], rho[keep]
        sig = math.sqrt(s2)
        lhs = np.abs((r - ms) / ss - (r - mu) / sig)
        rhs = np.abs((r - mu) / sig) * np.abs(sig / ss * (r - ms) / (r - mu) - 1)
        out.append(judge.exact({**_law_params(law), "n": n, "samples": int(keep.sum())}, lhs,
                               rhs, rtol=1e-9, n=int(keep.sum())))
    return out


@CATALOG.claim(
    "eq20.chebyshev", label="Eq. 20", kind=Kind.PROBABILITY_BOUND,
    statement="Pr(1/√(1+ε) ≤ σ/σ_s ≤ 1/√(1−ε)) ≥ 1 − (1/ε²)(κ/n − (n − 3)/(n(n − 1))).")
def eq20_chebyshev(ctx: Context) -> list[CaseResult]:
    """The empirical probability of the event, computed from σ/σ_s literally, against the
    printed right-hand side, one-sided, on the Theorem 3 cases (negative right-hand sides are
    reported as vacuous)."""
    return _t3_eval(ctx, "eq20", th.eq20_rhs, "lower", "1 - x")


@CATALOG.claim(
    "sec2_3.variance_dominates", label="Section 2.3 (before Eq. 18)", kind=Kind.BOUND,
    statement="Since the sample mean is a much more reliable statistic than the sample "
              "variance, most of the randomness of the batch-norm output is caused by the "
              "variance of the sample variance.")
def sec2_3_variance_dominates(ctx: Context) -> list[CaseResult]:
    """The batch-norm output error for a fresh input, e = (ρ − μ_s)/σ_s − (ρ − μ)/σ, splits
    exactly into T_var = (ρ − μ)(1/σ_s − 1/σ) (from σ_s) and T_mean = (μ − μ_s)/σ_s (from μ_s).
    "Most of the randomness" is read as E T_var² ≥ E T_mean², tested one-sided by Monte Carlo
    (batch means, delta method) on laws of low and high kurtosis and several n (for large n
    the share E T_var²/(E T_var² + E T_mean²) tends to (κ − 1)/(κ + 3), which is below 1/2
    when κ < 5)."""
    rng = ctx.rng()
    out = []
    reps = ctx.budget(200_000, minimum=8_000)
    cases = [(Law.normal(), 10), (Law.normal(), 100), (Law.uniform(), 10),
             (_random_law(rng, "laplace"), 100), (_random_law(rng, "exponential"), 30),
             (Law.gmm2(0.5, -1, 1, 0.3, 0.3), 30)]
    for law, n in cases:
        r = sim.estimate_bn_error_parts(law, n, reps, rng=ctx.stream())
        k = th.kurtosis(law)
        cr = judge.lower_bound({**_law_params(law), "n": n, "kappa": k}, 0.0,
                               r["var_minus_mean"], ctx)
        cr.detail = (f"share of the error due to σ_s: {r['var_share'].mean:.3f} ± "
                     f"{r['var_share'].se:.2g} (κ = {k:.3g}, n = {n}; large-n limit "
                     f"{(k - 1) / (k + 3):.3f}); E T_var² − E T_mean² = "
                     f"{r['var_minus_mean'].mean:.4g} ± {r['var_minus_mean'].se:.2g}"
                     + (f", one-sided z = {cr.z:.1f}" if cr.z is not None else ""))
        out.append(cr)
    return out


# ------------------------------------------------------------------------------------------
# Figure 2: VCL training of a single linear unit
# ------------------------------------------------------------------------------------------

#: the 2-D mixture used for Figure 2: shared covariance elongated across μ1 − μ2 (the LDA
#: direction Σ⁻¹(μ1 − μ2) is parallel to μ1 − μ2 and orthogonal to the merging direction)
FIG2_MU1 = np.array([0.0, 0.0])
FIG2_MU2 = np.array([4.0, 4.0])
FIG2_SIGMA = np.array([[0.5, -0.25], [-0.25, 0.5]])


def fig2_directions(p):
    """(LDA direction, merging direction ⊥ μ1 − μ2) for the Figure 2 mixture."""
    Sw, _ = th.scatter_matrices(p, FIG2_MU1, FIG2_MU2, FIG2_SIGMA, FIG2_SIGMA)
    lda = th.lda_direction(FIG2_MU1, FIG2_MU2, Sw)
    dl = FIG2_MU1 - FIG2_MU2
    orth = np.array([-dl[1], dl[0]]) / np.linalg.norm(dl)
    return lda, orth


def _projected_variance(theta, p):
    """σ² of θᵀx for the Figure 2 mixture."""
    dl = FIG2_MU1 - FIG2_MU2
    return float(theta @ (FIG2_SIGMA + p * (1 - p) * np.outer(dl, dl)) @ theta)


def _loss_minimiser_case(ctx: Context, p: float, n: int) -> list[CaseResult]:
    """What the loss itself implies: the expected β-VCL loss E L^β(θ) of Eq. 17 at the
    direction Theorem 2 predicts against the other candidate direction, each at its best
    scale/β (L^β(cθ) = L^{β/c²}(θ), so only t = β/|θ|² matters: t is chosen per direction on a
    pilot run from a grid of t/σ²_θ ∈ [10⁻³, 10²]). The claim E L(predicted) < E L(other) is
    tested one-sided on the paired difference (common random numbers, batch means over 128
    chunks): REFUTED when the difference is significantly positive, CONFIRMED when it is
    significantly negative, INCONCLUSIVE otherwise. The minimiser over a grid of 36
    directions (pilot) is reported as a measurement."""
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
    # the claim: E L(predicted) − E L(other) ≤ 0, and significantly so
    cr = judge.upper_bound(params, 0.0, D, ctx, scale=Loth.mean)
    crit = ctx.critical(D.dof, one_sided=True)
    txt = (f"E L^β at the predicted {want} direction {Lpred.mean:.5g} ± {Lpred.se:.2g} vs "
           f"{Loth.mean:.5g} ± {Loth.se:.2g} at the {other_name} direction (each at its best "
           f"β/|θ|² = {tstar[0]:.3g}σ², {tstar[1]:.3g}σ²); difference {D.mean:.4g} ± {D.se:.2g}"
           + (f", one-sided z = {cr.z:.1f}" if cr.z is not None else ""))
    if cr.verdict is Verdict.REFUTED:
        cr.detail = f"the loss prefers the {other_name} direction: " + txt
    elif not ctx.le(D.mean + crit * D.se, 0.0, scale=Loth.mean):
        cr.verdict = Verdict.INCONCLUSIVE
        cr.detail = "the difference is not significant: " + txt
    else:
        cr.detail = txt
    out = [cr]
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
    c_l, c_o = abs(float(Tg[k] @ lda)), abs(float(Tg[k] @ orth))
    out.append(CaseResult({"p": p, "n": n, "directions": 36, "method": "monte_carlo"},
                          Verdict.CONFIRMED, None, None, role="measurement",
                          detail=f"minimiser over 36 directions at {math.degrees(phis[k]):.0f}° "
                                 f"(|cos| to LDA {c_l:.3f}, to merging {c_o:.3f}; E L^β = "
                                 f"{Lg[k]:.4g})"))
    return out


def _training_cases(ctx: Context, ps, n: int, runs: int, clip: float = math.inf):
    """SGD runs (reported as measurements: the verdict comes from the loss itself)."""
    out = []
    steps = max(4_000, ctx.budget(40_000, minimum=4_000))
    for p in ps:
        lda, orth = fig2_directions(p)
        want = th.regime(p)
        for r in range(runs):
            res = sim.train_vcl_unit(p, FIG2_MU1, FIG2_MU2, FIG2_SIGMA, FIG2_SIGMA, n=n,
                                     steps=steps, lr=0.01, clip=1e300 if math.isinf(clip) else clip,
                                     rng=ctx.stream())
            t = res["theta"] / np.linalg.norm(res["theta"])
            c_lda, c_orth = abs(float(t @ lda)), abs(float(t @ orth))
            got = "lda" if c_lda > c_orth else "merge"
            ang = math.degrees(math.acos(min(1.0, c_lda if want == "lda" else c_orth)))
            out.append(CaseResult(
                {"p": p, "n": n, "run": r, "steps": steps, "clip": clip, "regime": want,
                 "learned": got, "theta": t.tolist(), "beta": res["beta"]},
                Verdict.CONFIRMED, role="measurement",
                detail=f"SGD ({'unclipped' if math.isinf(clip) else f'clipped at {clip:g}'}, "
                       f"lr 0.01, {steps} steps): learned θ at {ang:.1f}° from the predicted "
                       f"{want} direction (|cos| to LDA {c_lda:.3f}, to merging {c_orth:.3f}; "
                       f"{'agrees' if got == want else 'disagrees'}); β = {res['beta']:.3g}"))
    return out


_FIG2_PROCEDURE = (
    "The paper gives no training procedure for Figure 2. The verdict is what the loss itself "
    "implies: the expected β-VCL loss (Eq. 17) of the unit, minimised over its scale and β, "
    "at the direction Theorem 2 predicts against the other regime's direction (paired Monte "
    "Carlo). Reported beside it (measurements, not evidence): plain SGD on Eq. 17 (two "
    "sub-batches of n per step, lr 0.01, β learned from 1, 40 000 steps at standard, no "
    "clipping), three runs per p from random θ.")


@CATALOG.claim(
    "fig2.vcl_training", label="Figure 2", kind=Kind.IDENTITY,
    statement="For a single linear unit on 2-D two-Gaussian mixtures, VCL alone (Eq. 17) "
              "unites the clusters for p = 0.1 < 0.2113 and separates them (the LDA direction) "
              "for p = 0.25: the expected loss is lower at that direction than at the other.",
    note="The paper does not give the sub-batch size of Figure 2; n = 32 is used (see "
         "fig2.vcl_training_small_n for n = 2). " + _FIG2_PROCEDURE)
def fig2_vcl_training(ctx: Context) -> list[CaseResult]:
    """2-D mixture with a shared anisotropic covariance elongated across μ1 − μ2 (so the LDA
    direction Σ_w⁻¹(μ1 − μ2) ∥ μ1 − μ2 and the merging direction ⊥ μ1 − μ2 differ), p = 0.1
    (merging predicted) and 0.25 (LDA predicted), n = 32: the loss at the predicted direction
    against the other (:func:`_loss_minimiser_case`), plus the minimiser over 36 directions
    and three unclipped SGD runs per p as measurements."""
    out = []
    for p in (0.1, 0.25):
        out += _loss_minimiser_case(ctx, p, 32)
    return out + _training_cases(ctx, (0.1, 0.25), 32, 3)


@CATALOG.claim(
    "fig2.vcl_training_small_n", label="Figure 2, Section 2.4", kind=Kind.IDENTITY,
    as_printed=False,
    statement="At the sub-batch size n = 2 that Section 2.4 recommends, the VCL loss of "
              "Eq. 17 still selects the direction Theorem 2 predicts: the LDA direction at "
              "p = 0.5 and the merging direction at p = 0.1 have the lower expected loss "
              "(minimised over the unit's scale and β).",
    note="Not printed: Theorem 2 is a statement about κ, which Eq. 6 ties to the loss only "
         "through E(1 − σ_s²/σ²)²; the two-batch β-loss at n = 2 is a different function of θ. "
         + _FIG2_PROCEDURE + " With the per-step gradient clipping of Section 2.4 (norm 1) "
         "SGD at n = 2 can stall in the merging direction at p = 0.5 (also reported); that is "
         "a property of the optimiser, not of the loss.")
def fig2_vcl_training_small_n(ctx: Context) -> list[CaseResult]:
    """The Figure 2 mixture at n = 2 with p = 0.5 (middle regime: LDA predicted) and p = 0.1,
    judged on the loss as in fig2.vcl_training; unclipped and clipped (norm 1) SGD runs are
    reported as measurements."""
    out = []
    for p in (0.5, 0.1):
        out += _loss_minimiser_case(ctx, p, 2)
    return (out + _training_cases(ctx, (0.5, 0.1), 2, 3)
            + _training_cases(ctx, (0.5,), 2, 2, clip=1.0))


# ------------------------------------------------------------------------------------------
# Extension (issue 11): Eq. 1 for any law given as a scipy distribution
# ------------------------------------------------------------------------------------------

def _scipy_laws():
    return {"gamma(a=2)": stats.gamma(2.0), "beta(2, 5)": stats.beta(2.0, 5.0),
            "laplace": stats.laplace(), "lognorm(s=0.4)": stats.lognorm(0.4),
            "uniform": stats.uniform(), "t(df=20)": stats.t(20.0)}


def _eq1_scipy_cases(ctx: Context, laws: dict, ns) -> list[CaseResult]:
    out = []
    for name, dist in laws.items():
        for n in ns:
            est = sim.estimate_var_sample_variance_scipy(dist, n, reps=ctx.budget(400_000, 16_384),
                                                         rng=ctx.stream())
            out.append(judge.identity({"law": name, "n": n},
                                      th.var_sample_variance_scipy(dist, n), est, ctx))
    return out


@CATALOG.claim(
    "ext.eq1_scipy_law", label="Eq. 1 (any law)", kind=Kind.IDENTITY, as_printed=False,
    statement="Eq. 1, E[(σ² − σ_s²)²] = m₄/n − σ⁴(n − 3)/(n(n − 1)), holds for any law with a "
              "finite fourth moment, given as a scipy distribution (checked: gamma, beta, "
              "Laplace, log-normal, uniform, Student-t with 20 dof).")
def ext_eq1_scipy_law(ctx: Context) -> list[CaseResult]:
    """Eq. 1 with σ² and m₄ from the scipy distribution's own moments against a plain-numpy
    Monte Carlo drawing batches with ``dist.rvs`` (n ∈ {4, 16}), 128 batch means. The laws
    have finite sixteenth moments (Student-t only with ν ≥ 17, as for Eq. 1's own Monte Carlo:
    the SE of a squared deviation of σ_s² needs them), so the t test keeps its false-alarm
    rate."""
    return _eq1_scipy_cases(ctx, _scipy_laws(), (4, 16))


@CATALOG.explorer("ext.eq1_scipy_law", n=8)
def _explore_eq1_gamma(ctx: Context, n: float):
    """Eq. 1 for gamma(a = 2) at batch size n (rounded)."""
    n = max(2, int(round(n)))
    dist = stats.gamma(2.0)
    est = sim.estimate_var_sample_variance_scipy(dist, n, reps=ctx.budget(200_000, 8_000),
                                                 rng=ctx.stream())
    return th.var_sample_variance_scipy(dist, n), est


def eq1_claim(catalog: Catalog, dist, name: str, *, ns=(4, 16)):
    """Register, in your own ``catalog``, the claim that Eq. 1 holds for the frozen scipy
    distribution ``dist`` (decided like ``variance_constancy.ext.eq1_scipy_law``)."""
    th.scipy_law_moments(dist)  # validates now, not at run time
    slug = f"eq1.{name}"

    def evaluate(ctx: Context) -> list[CaseResult]:
        return _eq1_scipy_cases(ctx, {name: dist}, ns)

    evaluate.__doc__ = f"Eq. 1 for the scipy law {name!r} against Monte Carlo."
    catalog.claim(slug, label="Eq. 1 (your law)", kind=Kind.IDENTITY, as_printed=False,
                  statement=f"Eq. 1 holds for {name}.")(evaluate)
    return next(c for c in catalog.claims if c.id == f"{catalog.paper}.{slug}")


# ------------------------------------------------------------------------------------------
# Section 3: statements about the printed Tables 2, 4 and 5, decided from the printed numbers
# ------------------------------------------------------------------------------------------

def _printed(params: dict, value: float, bound: float, relation: str, ctx: Context,
             what: str) -> CaseResult:
    """One strict comparison of printed numbers, ``value < bound``, ``value > bound``, or
    ``value ≥ bound`` (``">="``); exact on the printed values, the bound moved by δ in power
    runs (ctx.tighten), so the power of a table claim is its smallest relative margin."""
    if relation == "<":
        ok = value < ctx.tighten(bound, "upper")
    elif relation in (">", ">="):
        b = ctx.tighten(bound, "lower")
        ok = value > b if relation == ">" else value >= b
    else:
        raise ValueError(f"relation must be '<', '>' or '>=', got {relation!r}")
    neg = {"<": "≥", ">": "≤", ">=": "<"}[relation]
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, float(bound),
                      Estimate(float(value), 0.0, 1, "closed_form"), None, None,
                      f"{what}: {value:g} {relation if ok else neg} {bound:g}"
                      + ("" if ok else f" (claimed {relation})"), one_sided=True)


def _measure(params: dict, detail: str) -> CaseResult:
    return CaseResult(params, Verdict.CONFIRMED, None, None, detail=detail, role="measurement")


_T2 = "Table 2 (test error; VCL at its best printed n)"


@CATALOG.claim(
    "tab2.bn_helps_relu_elu", label="Section 3 (CIFAR), Table 2", kind=Kind.INEQUALITY,
    statement="In Table 2 batchnorm lowers the test error of ReLU and ELU but not of Leaky "
              "ReLU, on both CIFAR-10 and CIFAR-100.")
def tab2_bn_helps(ctx: Context) -> list[CaseResult]:
    """Section 3: "As can be seen, batchnorm contributes to ReLU and ELU but not to Leaky
    ReLU." Exact on the printed Table 2 (:data:`~dropmc.theory.variance_constancy.VC_TABLE2`):
    bn < none for ReLU and ELU, bn > none for LReLU, on each dataset."""
    out = []
    for ds in th.VC_TABLE2_DATASETS:
        for act in th.VC_ACTIVATIONS:
            none, bn = th.table2_error(act, "none", ds), th.table2_error(act, "bn", ds)
            rel = ">" if act == "LReLU" else "<"
            out.append(_printed({"dataset": ds, "activation": act}, bn, none, rel, ctx,
                                "bn vs no normalisation"))
    return out


@CATALOG.claim(
    "tab2.best_is_elu_vcl", label="Section 3 (CIFAR), Table 2", kind=Kind.INEQUALITY,
    statement="In Table 2 the lowest test error on CIFAR-10 and on CIFAR-100 is that of ELU "
              "with VCL.")
def tab2_best(ctx: Context) -> list[CaseResult]:
    """Section 3: "The best results are obtained with a combination of ELU and our VCL method
    for both datasets." Per dataset, the best ELU + vcl entry (over n) against the best entry
    of every other (activation, normalisation) row, strictly lower."""
    out = []
    for j, ds in enumerate(th.VC_TABLE2_DATASETS):
        best = th.table2_error("ELU", "vcl", ds)
        others = min(v[j] for (a, nm, _), v in th.VC_TABLE2.items() if (a, nm) != ("ELU", "vcl"))
        out.append(_printed({"dataset": ds}, best, others, "<", ctx,
                            "best ELU + vcl vs the best of every other combination"))
    return out


def _vcl_vs_bn_cases(ctx: Context, exceptions) -> list[CaseResult]:
    out = []
    for ds in th.VC_TABLE2_DATASETS:
        for act in th.VC_ACTIVATIONS:
            v, b = th.table2_error(act, "vcl", ds), th.table2_error(act, "bn", ds)
            prm = {"dataset": ds, "activation": act, "vcl_best": v, "bn": b}
            if (act, ds) in exceptions:
                out.append(_printed({**prm, "exception": True}, v, b, ">=", ctx,
                                    "VCL (best n) does not beat bn"))
            else:
                out.append(_printed(prm, v, b, "<", ctx, "VCL (best n) beats bn"))
    return out


@CATALOG.claim(
    "tab2.vcl_beats_bn_except_relu_c100", label="Section 3 (CIFAR), Table 2",
    kind=Kind.INEQUALITY,
    statement="In Table 2 the only experiment in which VCL does not contribute more than "
              "batchnorm is ReLU on CIFAR-100.",
    note="As printed. Refuted: ReLU on CIFAR-10 is a second exception (best VCL 0.0780 > bn "
         "0.0778); see tab2.vcl_beats_bn_corrected.")
def tab2_vcl_vs_bn(ctx: Context) -> list[CaseResult]:
    """Section 3: "The only experiment in which VCL does not contribute more than batchnorm is
    the ReLU experiment on CIFAR-100." Read as: for every (activation, dataset) of Table 2
    except ReLU/CIFAR-100, VCL at its best printed n has a lower error than bn (the reading
    most favourable to the sentence: any n may be chosen; "contribute more" relative to the
    common no-normalisation baseline is the same comparison), and ReLU/CIFAR-100 is an
    exception. Refuted by ReLU on CIFAR-10: every ReLU + vcl entry (0.0780, 0.0810, 0.0785,
    0.0790, 0.0780) is above ReLU + bn 0.0778."""
    return _vcl_vs_bn_cases(ctx, {("ReLU", "CIFAR-100")})


@CATALOG.claim(
    "tab2.vcl_beats_bn_corrected", label="Section 3 (CIFAR), Table 2", kind=Kind.INEQUALITY,
    as_printed=False, corrects="variance_constancy.tab2.vcl_beats_bn_except_relu_c100",
    statement="In Table 2 VCL (at its best n) beats batchnorm for Leaky ReLU and ELU on both "
              "datasets, and does not beat it for ReLU on either CIFAR-10 or CIFAR-100.")
def tab2_vcl_vs_bn_corrected(ctx: Context) -> list[CaseResult]:
    """The exceptions read off Table 2: ReLU on CIFAR-10 (best vcl 0.0780 vs bn 0.0778) and on
    CIFAR-100 (0.303 vs 0.291); VCL is lower for LReLU and ELU on both datasets (this is also
    what the Conclusions say: "in image experiments the combination [ReLU + VCL] underperforms
    when compared to ReLU with batchnorm")."""
    return _vcl_vs_bn_cases(ctx, {("ReLU", "CIFAR-10"), ("ReLU", "CIFAR-100")})


@CATALOG.claim(
    "tab2.largest_contribution_elu", label="Section 3 (CIFAR), Table 2", kind=Kind.INEQUALITY,
    statement="In Table 2 the improvement of VCL over no normalisation (none − best vcl) is "
              "largest for ELU, on CIFAR-10 and on CIFAR-100.")
def tab2_largest_contribution(ctx: Context) -> list[CaseResult]:
    """Section 3: "The largest contribution of VCL is to ELU." "Contribution" is read as in the
    sentence before it ("batchnorm contributes to ReLU and ELU"): the error without
    normalisation minus the error with the method (VCL at its best n). ELU's contribution
    (0.0083 on CIFAR-10, 0.031 on CIFAR-100) exceeds ReLU's and LReLU's on each dataset;
    relative contributions rank the same way (measurement). Under the other reading
    (VCL's margin over batchnorm) LReLU's 0.0063 exceeds ELU's 0.0048 on CIFAR-10 (reported
    as a measurement, not decided: the sentence's "contribution" is to the activation)."""
    out = []
    for ds in th.VC_TABLE2_DATASETS:
        contrib = {a: th.table2_error(a, "none", ds) - th.table2_error(a, "vcl", ds)
                   for a in th.VC_ACTIVATIONS}
        rel = {a: contrib[a] / th.table2_error(a, "none", ds) for a in th.VC_ACTIVATIONS}
        for a in ("ReLU", "LReLU"):
            out.append(_printed({"dataset": ds, "vs": a}, contrib["ELU"], contrib[a], ">", ctx,
                                f"contribution of VCL to ELU vs to {a}"))
        over_bn = {a: th.table2_error(a, "bn", ds) - th.table2_error(a, "vcl", ds)
                   for a in th.VC_ACTIVATIONS}
        out.append(_measure({"dataset": ds},
                            "none − vcl: " + ", ".join(f"{a} {contrib[a]:.4g} ({rel[a]:.1%})"
                                                       for a in th.VC_ACTIVATIONS)
                            + "; bn − vcl: " + ", ".join(f"{a} {over_bn[a]:+.4g}"
                                                         for a in th.VC_ACTIVATIONS)))
    return out


def _t4(norm: str, act: str) -> int:
    return th.VC_TABLE4[norm][th.VC_TABLE4_ACTIVATIONS.index(act)]


@CATALOG.claim(
    "tab4.wins_consistent", label="Section 3 (UCI), Tables 4–5", kind=Kind.INEQUALITY,
    statement="Table 4's wins per activation (none 9/14/11, batchnorm 15/16/15, VCL 27/23/28 "
              "for ReLU/ELU/SELU; a win is the minimal error of the three normalisations) are "
              "consistent with Table 5: each is at least the number of wins of the same "
              "combination among all 9 options, and each activation's wins add up to at most "
              "3 × 44 (and, with ties, to more than the 44 data sets).")
def tab4_wins_consistent(ctx: Context) -> list[CaseResult]:
    """Section 3 (UCI): "A breakdown per each activation unit separately is presented in Tab. 4.
    A win is counted if the method reaches the minimal value among the three normalization
    options and if performance is not constant." The per-data-set errors of Table 5 are not
    usable as printed (from the row statlog-german-credit on, rows are shifted and merged in
    the text), so Table 4 cannot be recounted; what the printed numbers allow is decided:
    (i) a win among all 9 options (Table 5's last row) is also a win among the 3 normalisations
    of the same activation, so each Table 4 entry ≥ the Table 5 entry of the same cell (this
    assumes both counts apply the same "performance is not constant" rule: the mushroom row,
    0 for all three SeLU options, is the one readable case where it matters); (ii) a data set
    gives an activation at most 3 wins, so each column of Table 4 sums to ≤ 3 × 44. Reported
    as a measurement: the column sums 51, 53, 54 exceed 44, as ties allow (a lower bound would
    need the number of data sets of constant performance, which the garbled rows hide)."""
    out = []
    for act in th.VC_TABLE4_ACTIVATIONS:
        for norm in ("none", "bn", "vcl"):
            out.append(_printed({"activation": act, "norm": norm, "table5_wins9":
                                 th.VC_TABLE5_WINS9[(act, norm)]}, _t4(norm, act),
                                th.VC_TABLE5_WINS9[(act, norm)], ">=", ctx,
                                "Table 4 wins vs Table 5 wins among 9 options"))
        tot = sum(_t4(nm, act) for nm in ("none", "bn", "vcl"))
        out.append(_measure({"activation": act, "column_sum": tot},
                            f"{act}: wins add up to {tot} over the {th.VC_UCI_DATASETS} data "
                            f"sets ({tot - th.VC_UCI_DATASETS:+d}: ties)"))
        out.append(_printed({"activation": act, "column_sum": tot}, tot,
                            3 * th.VC_UCI_DATASETS, "<", ctx, "column sum vs 3 × 44"))
    return out


@CATALOG.claim(
    "tab5.most_wins_vcl", label="Section 3 (UCI), Table 5", kind=Kind.INEQUALITY,
    statement="Among the 9 combinations of activation and normalisation, the most wins "
              "(Table 5, last row) go to SeLU + VCL or ELU + VCL.")
def tab5_most_wins(ctx: Context) -> list[CaseResult]:
    """Section 3 (UCI): "the results show that the method that wins the most (out of the 9
    options) is either the combination of SeLU and VCL or that of ELU and VCL." Decided on
    Table 5's printed last row ("Number of wins out of 9 options": 3 3 3 5 8 11 2 7 11): the
    larger of the SeLU + vcl and ELU + vcl counts (11 and 11, a tie, which the "either … or"
    allows) is at least every other count and strictly above every count outside those two."""
    out = []
    top = max(th.VC_TABLE5_WINS9[("SELU", "vcl")], th.VC_TABLE5_WINS9[("ELU", "vcl")])
    for key, w in th.VC_TABLE5_WINS9.items():
        if key in (("SELU", "vcl"), ("ELU", "vcl")):
            continue
        out.append(_printed({"combination": "+".join(key), "wins9": w}, top, w, ">", ctx,
                            "max(SeLU+vcl, ELU+vcl) wins vs"))
    return out


@CATALOG.claim(
    "tab4.vcl_gt_bn_gt_none", label="Section 3 (UCI), Table 4", kind=Kind.INEQUALITY,
    statement="For each of ReLU, ELU and SELU, Table 4 gives VCL more wins than batchnorm and "
              "batchnorm more wins than no normalisation.")
def tab4_order(ctx: Context) -> list[CaseResult]:
    """Section 3 (UCI): "For all three activation functions, VCL provides more wins than
    batchnorm, and batchnorm outperforms the no normalization option." Exact on Table 4."""
    out = []
    for act in th.VC_TABLE4_ACTIVATIONS:
        out.append(_printed({"activation": act}, _t4("vcl", act), _t4("bn", act), ">", ctx,
                            "VCL wins vs bn wins"))
        out.append(_printed({"activation": act}, _t4("bn", act), _t4("none", act), ">", ctx,
                            "bn wins vs no-normalisation wins"))
    return out


def _gap_cases(ctx: Context, largest: str, lowest: str) -> list[CaseResult]:
    gap = {a: _t4("vcl", a) - _t4("bn", a) for a in th.VC_TABLE4_ACTIVATIONS}
    out = []
    for a in th.VC_TABLE4_ACTIVATIONS:
        if a != largest:
            out.append(_printed({"activation": a, "gaps": gap}, gap[largest], gap[a], ">", ctx,
                                f"VCL − bn wins of {largest} vs of {a}"))
        if a != lowest:
            out.append(_printed({"activation": a, "gaps": gap}, gap[lowest], gap[a], "<", ctx,
                                f"VCL − bn wins of {lowest} vs of {a}"))
    ratio = {a: _t4("vcl", a) / _t4("bn", a) for a in th.VC_TABLE4_ACTIVATIONS}
    out.append(_measure({"gaps": gap}, "VCL/bn win ratios: " + ", ".join(
        f"{a} {r:.3g}" for a, r in ratio.items()) + " (the ratio ranks the gaps the same way)"))
    return out


@CATALOG.claim(
    "tab4.gap_order", label="Section 3 (UCI), Table 4", kind=Kind.INEQUALITY,
    statement="In Table 4 the gap between the wins of VCL and of batchnorm is largest for SELU "
              "and lowest for ReLU.",
    note="As printed. Refuted: the gaps are 12 (ReLU), 7 (ELU), 13 (SELU); the lowest is ELU's. "
         "See tab4.gap_order_corrected.")
def tab4_gap_order(ctx: Context) -> list[CaseResult]:
    """Section 3 (UCI): "The gap between VCL and batchnorm is larger for SELU and the lowest for
    ReLU, which is also consistent with the results in Tab. 2." The gaps VCL − bn of Table 4
    are 27 − 15 = 12 (ReLU), 23 − 16 = 7 (ELU), 28 − 15 = 13 (SELU): SELU's is the largest,
    but ELU's, not ReLU's, is the lowest (also for the ratios 1.80, 1.44, 1.87). Table 2 has
    no SELU; its ReLU is the one activation where VCL does not beat bn, which would fit a
    lowest ReLU gap, but Table 4 does not show it."""
    return _gap_cases(ctx, "SELU", "ReLU")


@CATALOG.claim(
    "tab4.gap_order_corrected", label="Section 3 (UCI), Table 4", kind=Kind.INEQUALITY,
    as_printed=False, corrects="variance_constancy.tab4.gap_order",
    statement="In Table 4 the gap between the wins of VCL and of batchnorm is largest for SELU "
              "(13) and lowest for ELU (7); ReLU's (12) is in between.")
def tab4_gap_order_corrected(ctx: Context) -> list[CaseResult]:
    """The order of the gaps read off Table 4: SELU 13 > ReLU 12 > ELU 7."""
    return _gap_cases(ctx, "SELU", "ELU")


# ------------------------------------------------------------------------------------------
# Section 2.2 (after Eq. 17), Section 2.3 (after Eq. 18), Section 4: prose statements
# ------------------------------------------------------------------------------------------

@CATALOG.claim(
    "eq17.beta_bounds_gradient", label="Eq. 17 (text)", kind=Kind.IDENTITY,
    statement="β > 0 prevents exploding gradients of Eq. 17 when σ²_{s2} ≈ 0: |∂L^β/∂σ²_{s2}| ≤ "
              "2σ²_{s1}(σ²_{s1} + β)/β³ for all σ²_{s2} ≥ 0, while for β = 0 the gradient grows "
              "like 2σ⁴_{s1}/σ⁶_{s2} as σ²_{s2} → 0.")
def eq17_beta_bounds_gradient(ctx: Context) -> list[CaseResult]:
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
    rng = ctx.rng()
    out = []
    for _ in range(6):
        a = float(rng.uniform(0.1, 3))
        b = float(rng.uniform(0.05, 3))
        beta = float(rng.choice([0.0, rng.uniform(0.01, 2)]))
        h = 1e-6 * max(b, 1e-3)
        fd = (th.vcl_beta(a, b + h, beta) - th.vcl_beta(a, b - h, beta)) / (2 * h)
        out.append(judge.exact({"a": a, "b": b, "beta": beta, "check": "∂L/∂b vs finite diff."},
                               float(th.vcl_beta_grad_b(a, b, beta)), float(fd), rtol=1e-5,
                               method="closed_form", ctx=ctx))
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
        out.append(judge.exact({"n": n, "beta": beta, "check": "∂L/∂ρ vs finite diff."},
                               np.concatenate([g1, g2]), np.array(fd), rtol=1e-5, ctx=ctx))
    bs = np.concatenate([[0.0], np.logspace(-12, 3, 301)])
    for a, beta in ((1.0, 1.0), (2.0, 0.1), (0.5, 0.01)):
        g = np.abs(th.vcl_beta_grad_b(a, bs, beta))
        bound = th.vcl_beta_grad_bound(a, beta)
        ok = ctx.le(float(g.max()), bound)
        z = rng.normal(size=8)
        eps = np.logspace(-1, -8, 8)
        gnorm = [float(np.linalg.norm(th.vcl_beta_grad_activations(np.ones(8) + z, e * z, beta)[1]))
                 for e in eps]
        out.append(CaseResult({"a": a, "beta": beta, "grid": "b in {0} ∪ [1e-12, 1e3]"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, bound,
                              Estimate(float(g.max()), 0.0, bs.size, "closed_form"), None, None,
                              f"max |∂L/∂b| = {g.max():.6g} {'≤' if ok else '>'} 2a(a+β)/β³ = "
                              f"{bound:.6g}; |∂L/∂ρ(s2)| at ρ = εz, ε = 1e-1…1e-8: "
                              + ", ".join(f"{v:.2g}" for v in gnorm[::2]), one_sided=True))
    for a in (1.0, 0.3):
        b = 1e-8 * a
        val = abs(float(th.vcl_beta_grad_b(a, b, 0.0))) * b ** 3
        out.append(judge.exact({"a": a, "beta": 0.0, "b": b, "check": "b³ |∂L/∂b| → 2a²"},
                               2 * a * a, val, rtol=1e-6, ctx=ctx))
        z = rng.normal(size=8)
        eps = np.logspace(-2, -5, 7)
        gnorm = np.array([np.linalg.norm(th.vcl_beta_grad_activations(a * (np.ones(8) + z),
                                                                       e * z, 0.0)[1]) for e in eps])
        slope, _ = judge.loglog_slope(eps, gnorm)
        out.append(judge.exact({"a": a, "beta": 0.0, "check": "|∂L/∂ρ(s2)| ~ ε^slope"}, -5.0,
                               slope, rtol=2e-3, ctx=ctx,
                               detail=f"log-log slope {slope:.4f} (gradient norm "
                                      f"{gnorm[0]:.3g} at ε = 1e-2, {gnorm[-1]:.3g} at 1e-5)"))
    return out


@CATALOG.claim(
    "eq17.separating_force", label="Eq. 17 (text)", kind=Kind.INEQUALITY,
    statement="As β grows there is a stronger driving force separating the two modes: the "
              "force F(β) = −∂E L^β(cρ)/∂c at c = 1 on the scale of the activations (the "
              "distance between the modes) increases with β.",
    note="As printed (read as monotone in β). Refuted: F is negative for small β, peaks near "
         "β ≈ 2σ² and then decays like 4σ²/β; see eq17.separating_force_corrected.")
def eq17_separating_force(ctx: Context) -> list[CaseResult]:
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
    out = []
    for n in (4, 10):
        for beta in (0.3, 3.0):
            h = 1e-5
            fd = -(th.expected_vcl_two_point(n, beta, -(1 + h), 1 + h)
                   - th.expected_vcl_two_point(n, beta, -(1 - h), 1 - h)) / (2 * h)
            out.append(judge.exact({"law": "two-point ±1", "n": n, "beta": beta,
                                    "check": "F vs finite difference in c"},
                                   th.separating_force_two_point(n, beta), fd, rtol=1e-6, ctx=ctx))
    for n, beta in ((10, 1.0), (32, 3.0)):
        h = 1e-4
        fd = -(th.expected_vcl_normal(n, beta, 1 + h) - th.expected_vcl_normal(n, beta, 1 - h)) / (2 * h)
        out.append(judge.exact({"law": "N(0,1)", "n": n, "beta": beta,
                                "check": "F vs finite difference in c"},
                               th.separating_force_normal(n, beta), fd, rtol=1e-5, ctx=ctx))
    for law, F in (("two-point ±1", th.separating_force_two_point),
                   ("N(0,1)", th.separating_force_normal)):
        for n in (10, 32):
            for b1, b2 in ((0.1, 1.0), (1.0, 10.0)):
                f1, f2 = F(n, b1), F(n, b2)
                out.append(_printed({"law": law, "n": n, "beta1": b1, "beta2": b2, "F1": f1},
                                    f2, f1, ">", ctx, f"F(β={b2:g}) vs F(β={b1:g})"))
    return out


@CATALOG.claim(
    "eq17.separating_force_corrected", label="Eq. 17 (text)", kind=Kind.APPROXIMATION,
    as_printed=False, corrects="variance_constancy.eq17.separating_force",
    statement="The force separating the modes, F(β) = −∂E L^β(cρ)/∂c at c = 1, is negative "
              "for small β (it pulls the modes together), positive for β of the order of σ², "
              "and decays like 4σ²/β as β → ∞.")
def eq17_separating_force_corrected(ctx: Context) -> list[CaseResult]:
    """F(β) = 4β(E A(B+β)⁻² − E A²(B+β)⁻³) (A, B the two sample variances): as β → ∞,
    β·F(β) → 4E A = 4σ², so F ~ 4σ²/β; the relative error of that asymptote is judged by
    :func:`dropmc.judge.order` (relative, s = 1/β → 0, order 1: it must vanish). The sign at
    small β: for the two-point law at n = 10, F(0.01) < 0 (the constant batches, σ²_{s2} = 0,
    dominate: scaling up makes β relatively smaller and the loss (1 − σ²_{s1}/β)² larger);
    F(1) > 0. Exact comparisons."""
    out = []
    bs = np.array([10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0])
    for law, F in (("two-point ±1", th.separating_force_two_point),
                   ("N(0,1)", th.separating_force_normal)):
        for n in (4, 10):
            vals = np.array([F(n, b) for b in bs])
            out.append(judge.order({"law": law, "n": n, "beta": bs.tolist()}, 1.0 / bs, vals,
                                   4.0 / bs, 1.0, kind="relative", name="F(β) vs 4σ²/β", ctx=ctx))
    f_small, f_mid = th.separating_force_two_point(10, 0.01), th.separating_force_two_point(10, 1.0)
    out.append(CaseResult({"law": "two-point ±1", "n": 10, "beta": 0.01},
                          Verdict.CONFIRMED if ctx.le(f_small, 0.0, scale=abs(f_small)) and f_small < 0
                          else Verdict.REFUTED, 0.0, Estimate(f_small, 0.0, 1, "closed_form"),
                          detail=f"F(0.01) = {f_small:.4g} < 0", one_sided=True))
    out.append(CaseResult({"law": "two-point ±1", "n": 10, "beta": 1.0},
                          Verdict.CONFIRMED if ctx.ge(f_mid, 0.0, scale=abs(f_mid)) and f_mid > 0
                          else Verdict.REFUTED, 0.0, Estimate(f_mid, 0.0, 1, "closed_form"),
                          detail=f"F(1) = {f_mid:.4g} > 0", one_sided=True))
    return out


def _significant(params: dict, D: Estimate, scale: float, ctx: Context, what: str,
                 *, above: bool) -> CaseResult:
    """The claim E[D] > 0 (``above``) or E[D] < 0 for a Monte Carlo estimate D (batch means):
    REFUTED when significantly on the wrong side of ∓δ·scale, CONFIRMED when significantly on
    the claimed side, INCONCLUSIVE otherwise."""
    crit = ctx.critical(D.dof, one_sided=True)
    if above:
        cr = judge.lower_bound(params, 0.0, D, ctx, scale=scale)
        sig = ctx.ge(D.mean - crit * D.se, 0.0, scale=scale)
    else:
        cr = judge.upper_bound(params, 0.0, D, ctx, scale=scale)
        sig = ctx.le(D.mean + crit * D.se, 0.0, scale=scale)
    txt = f"{what}: {D.mean:.4g} ± {D.se:.2g} (z = {D.mean / D.se:.1f})"
    if cr.verdict is Verdict.REFUTED:
        cr.detail = "the opposite holds: " + txt
    elif not sig:
        cr.verdict = Verdict.INCONCLUSIVE
        cr.detail = f"not significant (critical value {crit:.2f}): " + txt
    else:
        cr.detail = txt
    return cr


@CATALOG.claim(
    "sec2_2.higher_moments_small_batch", label="Section 2.2 (end)", kind=Kind.INEQUALITY,
    statement="Estimating higher moments from small batches is prone to large estimation "
              "errors: the sample fourth central moment has a larger relative mean squared error "
              "than the sample variance from the same batch of size n (n = 10, 32).")
def sec2_2_higher_moments(ctx: Context) -> list[CaseResult]:
    """Section 2.2: "Note that optimizing m4 directly is not advisable, since estimating higher
    moments from small batches is prone to large estimation errors." Read comparatively (the
    alternative to the VCL, built on σ_s², is a loss built on m̂₄): on the same draws,
    E(m̂₄/m₄ − 1)² > E(σ_s²/σ² − 1)² (m̂₄ = (1/n)Σ(ρ_i − ρ̄)⁴), paired Monte Carlo
    (:func:`~dropmc.simulations.variance_constancy.estimate_moment_errors`) on normal,
    uniform, Laplace and symmetric two-point activations at n = 10 and 32, tested one-sided on
    the paired difference. (Skewed heavy-tailed laws are left out: for exponential activations
    at n = 10 the squared error of m̂₄ is so heavy-tailed — its SE needs E ρ¹⁶ — that the
    batch-means SE is unreliable, ±14 on a difference of 21.) The relative MSEs (and that of the sample kurtosis)
    are in the details; at n = 2 and 5 they are reported as measurements: at n = 2 the order
    reverses (m̂₄ = (ρ₁ − ρ₂)⁴/16 is shrunk toward 0, so its relative error is at most ~1,
    while σ_s² has relative MSE 2 for normal activations: neither is usable), and for the
    two-point law at n = 5 the difference is small (relative MSEs 0.100 and 0.100)."""
    out = []
    reps = ctx.budget(200_000, minimum=65_536)   # Laplace's m̂₄ error is heavy-tailed
    laws = (Law.normal(), Law.uniform(), Law.laplace(), Law.two_point())
    for law in laws:
        for n in (2, 5, 10, 32):
            r = sim.estimate_moment_errors(law, n, reps, rng=ctx.stream())
            prm = {**_law_params(law), "n": n, "kappa": th.kurtosis(law)}
            txt = (f"relative MSE: σ_s² {r['var'].mean:.4g} (Eq. 1: {th.vcl_loss(th.kurtosis(law), n):.4g}), "
                   f"m̂₄ {r['m4'].mean:.4g}, κ̂ {r['kurt'].mean:.4g}")
            if n >= 10:
                cr = _significant(prm, r["m4_minus_var"], r["m4"].mean, ctx,
                                  "E(m̂₄/m₄ − 1)² − E(σ_s²/σ² − 1)²", above=True)
                cr.detail += "; " + txt
                out.append(cr)
            else:
                out.append(CaseResult(prm, Verdict.CONFIRMED, None, r["m4_minus_var"],
                                      role="measurement", detail=txt))
    return out


@CATALOG.claim(
    "sec2_3.mean_ratio_near_one", label="Section 2.3 (after Eq. 18)", kind=Kind.INEQUALITY,
    statement="Since μ_s is a more reliable statistic than σ_s, (ρ(x) − μ_s)/(ρ(x) − μ) ≈ 1 for "
              "all inputs x: its deviation from 1 is smaller than that of σ/σ_s for most inputs "
              "and batches, so the bracket of Eq. 18 reduces to σ/σ_s − 1.",
    note="As printed. Refuted: for a fresh input, |(ρ − μ_s)/(ρ − μ) − 1| = |μ_s − μ|/|ρ − μ| "
         "exceeds |σ/σ_s − 1| in most (input, batch) pairs for every law tested.")
def sec2_3_mean_ratio(ctx: Context) -> list[CaseResult]:
    """Section 2.3: "We note that μ_s is a more reliable statistic than σ_s, and so
    (ρ(x)−μ_s)/(ρ(x)−μ) ≈ 1. Since this applies to all inputs x, we have: |σ/σ_s − 1| << 1"
    (Eq. 19). The step from Eq. 18 to Eq. 19 needs the factor R = (ρ − μ_s)/(ρ − μ) to be
    closer to 1 than σ/σ_s. Criterion: Pr(|R − 1| < |σ/σ_s − 1|) ≥ 1/2 over a fresh input ρ
    and a batch s of size n (:func:`~dropmc.simulations.variance_constancy
    .estimate_mean_ratio_reliability`), tested one-sided against 1/2. It fails: R − 1 =
    (μ − μ_s)/(ρ − μ) is a ratio whose denominator is often small (inputs near the mean), so
    its typical size (≈ |Z₁|/(√n|Z₂|)) exceeds that of σ/σ_s − 1 (≈ |Z₃|√((κ − 1)/(4n))) for
    any n; the probability is ≈ 0.30 for normal activations at every n, ≈ 0.14 for the
    two-point law (where σ_s is nearly exact) and approaches 1/2 only for heavy tails
    (exponential, κ = 9). The fractions of pairs with |R − 1| > 0.1 and with |σ/σ_s − 1| >
    0.1 are reported in the details."""
    out = []
    reps = ctx.budget(200_000, minimum=16_384)
    cases = [(Law.normal(), 10), (Law.normal(), 32), (Law.normal(), 100), (Law.uniform(), 32),
             (Law.laplace(), 32), (Law.two_point(), 32), (Law.exponential(), 32)]
    for law, n in cases:
        r = sim.estimate_mean_ratio_reliability(law, n, reps, rng=ctx.stream())
        est = r["p_ratio_smaller"]
        cr = judge.lower_bound({**_law_params(law), "n": n, "kappa": th.kurtosis(law)}, 0.5, est,
                               ctx, probability=True)
        cr.detail = (f"Pr(|R − 1| < |σ/σ_s − 1|) = {est.mean:.4f} ± {est.se:.2g} (claimed ≥ 1/2)"
                     + (f", one-sided z = {cr.z:.1f}" if cr.z is not None else "")
                     + f"; Pr(|R − 1| > 0.1) = {r['p_ratio_off'].mean:.3f}, "
                       f"Pr(|σ/σ_s − 1| > 0.1) = {r['p_sigma_off'].mean:.3f}")
        out.append(cr)
    return out


@CATALOG.claim(
    "sec4.multi_peak_low_kurtosis", label="Section 4", kind=Kind.INEQUALITY,
    statement="Multi-peak distributions with more than 2 peaks also have low kurtosis: the "
              "uniform law on k ≥ 3 equally spaced points has κ = 3(3k² − 7)/(5(k² − 1)) ≤ 1.8, "
              "below the Gaussian's 3 and below two-point laws with unbalanced priors, so the "
              "loss does not enforce the number of modes.")
def sec4_multi_peak(ctx: Context) -> list[CaseResult]:
    """Section 4: "… the multi-modal structure is soft, and the number of modes is not enforced
    (Thm. 2, and the fact that multi-peak distributions with more than 2 peaks also have low
    Kurtosis)." By Theorem 1 no law with three or more atoms reaches κ = 1 (the bimodal
    optimum), so "low" cannot mean "as low as the optimum"; it is read as: below the Gaussian
    (κ = 3) and below some two-mode laws, so that the VCL (which ranks laws by κ, Eq. 4)
    prefers such a k-mode law to a two-mode one. Evidence, exact: (i) the closed form of
    :func:`~dropmc.theory.variance_constancy.equispaced_kurtosis` against the kurtosis computed
    from the atoms (:func:`~dropmc.theory.variance_constancy.kurtosis` of a discrete law) for
    k = 3…12; (ii) each κ_k ≤ 1.8 < 3 (ctx.le); (iii) κ_3 = 1.5 < κ of the two-point law with
    priors (0.2, 0.8) (3.25) and (0.1, 0.9) (8.11), so the loss of Eq. 4 is lower for the
    three-mode law at every n (compared through :func:`~dropmc.theory.variance_constancy
    .vcl_loss`); (iv) a three-mode Gaussian mixture (modes −1, 0, 1, weights 1/3, sd 0.1) has
    κ below 3 by its central moments."""
    out = []
    for k in range(3, 13):
        atoms = np.arange(k, dtype=float)
        law = Law.discrete(atoms, np.full(k, 1.0 / k))
        kap = th.kurtosis(law)
        out.append(judge.exact({"k": k, "check": "closed form vs moments of the atoms"},
                               th.equispaced_kurtosis(k), kap, ctx=ctx))
        ok = ctx.le(kap, 1.8, tol=1e-12) and ctx.le(kap, 3.0)
        out.append(CaseResult({"k": k, "check": "κ_k ≤ 1.8 < 3"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, 1.8,
                              Estimate(kap, 0.0, 1, "closed_form"), detail=f"κ = {kap:.6g}",
                              one_sided=True))
    k3 = th.kurtosis(Law.discrete(np.array([-1.0, 0.0, 1.0]), np.full(3, 1 / 3)))
    for q in (0.2, 0.1):
        k2 = th.two_point_kurtosis(q)
        k2m = th.kurtosis(Law.two_point(0.0, 1.0, q))
        out.append(judge.exact({"q": q, "check": "two-point κ closed form vs moments"}, k2, k2m,
                               ctx=ctx))
        for n in (2, 10, 100):
            out.append(_printed({"q": q, "n": n, "check": "VCL loss (Eq. 4): 3 modes vs 2"},
                                th.vcl_loss(k3, n), th.vcl_loss(k2, n), "<", ctx,
                                f"L_s(3 equal modes) vs L_s(two-point, q = {q})"))
    gm = Law.discrete(np.array([-1.0, 0.0, 1.0]), np.full(3, 1 / 3))
    mu, s2, m4 = th.central_moments(gm)
    s2g, m4g = s2 + 0.01, m4 + 6 * 0.01 * s2 + 3 * 0.01 ** 2   # + N(0, 0.1²) noise
    kg = m4g / s2g ** 2
    out.append(CaseResult({"law": "1/3 N(-1, 0.1²) + 1/3 N(0, 0.1²) + 1/3 N(1, 0.1²)"},
                          Verdict.CONFIRMED if ctx.le(kg, 3.0) else Verdict.REFUTED, 3.0,
                          Estimate(kg, 0.0, 1, "closed_form"), detail=f"κ = {kg:.6g} < 3",
                          one_sided=True))
    return out
