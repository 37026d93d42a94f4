"""Appendices C–D of Baldi & Sadowski: higher moments of the NWGM and derivatives of the logistic
function (Eq. 217–223)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import (
    E_RANGE,
    S_RANGE,
    law_choice,
    normal_law,
    o_law,
)
from dropmc.papers.ensemble_averaging._shared import CATALOG, _clusters, _random_sample
from dropmc.simulations import enumeration as _enum
from dropmc.theory import ensemble_averaging as th

# ------------------------------------------------------------------------------------------
# Appendix C: higher moments
# ------------------------------------------------------------------------------------------


@CATALOG.claim(
    "eq213.nwgm_powers", label="Eq. 213", kind=Kind.IDENTITY,
    statement="NWGM(O^k) = 1/(1 + Π_i((1 − O_i)(1 + O_i + … + O_i^{k−1})/O_i^k)^{P_i}).")
def eq213(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Random samples and weights, k = 1..5: the definition (log domain) against the right side."""
    for k in range(1, 6):
        O, P = _random_sample(rng)
        yield judge.exact({"k": k, "m": O.size}, th.weighted_means(O ** k, P)["NWGM"],
                          th.eq213_nwgm_power(O, P, k))


@CATALOG.explorer("eq213.nwgm_powers", E=E_RANGE, s=S_RANGE, k=(3, 1, 8),
                  law=law_choice("uniform"))
def _explore_eq213(ctx: Context, E: float, s: float, k: float, law: str) -> Point:
    """Eq. 213's closed form of NWGM(O^k) against the NWGM of O^k computed from its
    definition (log domain), for the values O of :func:`~._explore.o_law` (mean E, spread s)
    and the power k (rounded). A point takes about 2 ms."""
    O, P = o_law(law, E, s)
    k = int(round(k))
    return Point.identity(th.eq213_nwgm_power(O, P, k),
                          exact=th.weighted_means(O ** k, P)["NWGM"])


@CATALOG.claim(
    "eq214.square", label="Eq. 214", kind=Kind.IDENTITY,
    statement="NWGM(O²) = 1/(1 + Π_i((1 − O_i)(1 + O_i)/O_i)^{P_i}) = "
              "1/(1 + ce^{−λE(S)}Π_i(2 + ce^{−λS_i})^{P_i}) for O = σ(S).",
    note="The middle expression lacks the square of O_i in the denominator (Eq. 213 with k = 2 "
         "gives O_i²); the right-hand side is correct. See eq214.corrected.")
def eq214(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Random logistic outputs (random c, λ > 0): the NWGM of O² against the printed middle and
    the printed right-hand side."""
    for _ in range(3):
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 2))
        m = int(rng.integers(2, 10))
        S = rng.standard_normal(m)
        P = rng.dirichlet(np.ones(m))
        O = th.logistic(S, c, lam)
        nw = th.weighted_means(O ** 2, P)["NWGM"]
        yield judge.exact({"c": c, "lam": lam, "form": "middle"}, nw,
                          th.eq214_middle_as_printed(O, P))
        yield judge.exact({"c": c, "lam": lam, "form": "right"}, nw,
                          th.eq214_right(S, P, c, lam))


@CATALOG.claim(
    "eq214.corrected", label="Eq. 214", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq214.square", fix="misprint",
    statement="NWGM(O²) = 1/(1 + Π_i((1 − O_i)(1 + O_i)/O_i²)^{P_i}).")
def eq214_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: 1 − O² = (1 − O)(1 + O), so G'(O²)/G(O²) = Π((1 − O_i)(1 + O_i)/O_i²)^{P_i}
    (Eq. 213, k = 2); with (1 − O)/O = ce^{−λS} and (1 + O)/O = 2 + ce^{−λS} this is the
    printed right-hand side. Random samples."""
    for _ in range(4):
        O, P = _random_sample(rng)
        yield judge.exact({"m": O.size}, th.weighted_means(O ** 2, P)["NWGM"],
                          th.eq213_nwgm_power(O, P, 2))


@CATALOG.explorer("eq214.square", E=E_RANGE, s=S_RANGE, law=law_choice("uniform"))
@CATALOG.explorer("eq214.corrected", E=E_RANGE, s=S_RANGE, law=law_choice("uniform"))
def _explore_eq214(ctx: Context, E: float, s: float, law: str) -> Point:
    """NWGM(O²): Eq. 214's middle form as printed, 1/(1 + Π((1 − O_i)(1 + O_i)/O_i)^{P_i}),
    next to its correction with O_i² in the denominator, against the NWGM of O² from its
    definition, for the values O of :func:`~._explore.o_law` (mean E, spread s). The printed
    form is off everywhere except where Π O_i^{P_i} = 1, i.e. nowhere in (0, 1). A point
    takes about 2 ms."""
    O, P = o_law(law, E, s)
    return Point.identity(th.eq214_middle_as_printed(O, P),
                          exact=th.weighted_means(O ** 2, P)["NWGM"],
                          correction=th.eq213_nwgm_power(O, P, 2))


@CATALOG.claim(
    "eq216.inverse", label="Eq. 216", kind=Kind.IDENTITY,
    statement="Inverting the logistic function, S = (1/λ)·cO/(1 − O).",
    note="The logarithm is missing: S = (1/λ) log(cO/(1 − O)) (Eq. 217 expands the log). See "
         "eq216.corrected.")
def eq216(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """σ(S) for random S, c, λ, then the printed inverse against S."""
    S = rng.standard_normal(20) * 2
    c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 3))
    yield judge.exact({"c": c, "lam": lam}, S, th.eq216_as_printed(th.logistic(S, c, lam), c, lam))


@CATALOG.claim(
    "eq216.corrected", label="Eq. 216", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq216.inverse", fix="misprint",
    statement="S = (1/λ) log(cO/(1 − O)) inverts O = 1/(1 + ce^{−λS}).")
def eq216_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: O(1 + ce^{−λS}) = 1 ⇒ ce^{−λS} = (1 − O)/O ⇒ λS = log(cO/(1 − O)). Random
    S, c, λ."""
    for _ in range(3):
        S = rng.standard_normal(20) * 2
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 3))
        yield judge.exact({"c": c, "lam": lam}, S,
                          th.logistic_inverse(th.logistic(S, c, lam), c, lam), rtol=1e-9)


@CATALOG.explorer("eq216.inverse", S=(1.0, -6.0, 6.0), c=(1.0, 0.1, 10.0),
                  lam=(1.0, 0.2, 4.0))
@CATALOG.explorer("eq216.corrected", S=(1.0, -6.0, 6.0), c=(1.0, 0.1, 10.0),
                  lam=(1.0, 0.2, 4.0))
def _explore_eq216(ctx: Context, S: float, c: float, lam: float) -> Point:
    """Inverting O = σ(S) = 1/(1 + ce^{−λS}): Eq. 216 as printed, (1/λ)cO/(1 − O), next to
    its correction (1/λ)log(cO/(1 − O)), against S itself. The printed form misses the
    logarithm (it gives e^{λS}/λ). A point takes about 2 ms."""
    O = th.logistic(S, c, lam)
    return Point.identity(float(th.eq216_as_printed(O, c, lam)), exact=S,
                          correction=float(th.logistic_inverse(O, c, lam)))


@CATALOG.claim(
    "eq217_218.expansion", label="Eq. 217, Eq. 218", kind=Kind.APPROXIMATION,
    statement="With O = ½ + ε, S = (1/λ)log c + (1/λ)Σ_{n≥0} 2(2ε)^{2n+1}/(2n + 1) ≈ (1/λ)log c + "
              "(4/λ)ε, hence E(S²) ≈ E((1/λ)log c + (4/λ)(O − ½))².")
def eq217_218(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The series (200 terms) against the exact inverse for |ε| ≤ 0.45 (exact), and the
    truncation errors of S and E(S²) along samples shrinking to ½ (absolute order 3)."""
    c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 3))
    eps = np.linspace(-0.45, 0.45, 91)
    yield judge.exact({"c": c, "lam": lam, "eq": "Eq. 217 series"},
                      th.logistic_inverse(0.5 + eps, c, lam), th.eq217_series(eps, c, lam),
                      rtol=1e-9)
    for _ in range(2):
        center, s, samples, P = _clusters(rng, "0.5", s0=0.2)
        D = [float(P @ th.logistic_inverse(O, c, lam) ** 2) for O in samples]
        A = [float(P @ ((math.log(c) + 4 * (O - 0.5)) / lam) ** 2) for O in samples]
        yield judge.order({"c": c, "lam": lam, "eq": "Eq. 218"}, np.array(A), np.array(D),
                          s=s, claimed=3, kind="absolute", name="E(S²) truncation")


@CATALOG.explorer("eq217_218.expansion", eps=(0.1, -0.45, 0.45), c=(1.0, 0.1, 10.0),
                  lam=(1.0, 0.2, 4.0))
def _explore_eq217(ctx: Context, eps: float, c: float, lam: float) -> Point:
    """S = σ^{−1}(½ + ε) ≈ (1/λ)log c + (4/λ)ε (Eq. 217 truncated after its first term)
    against the exact inverse: the first neglected term is (16/3λ)ε³, so the error is of
    third order in ε (slope 3 on a log scale of ε > 0). Eq. 218 squares this, with the same
    order. A point takes about 2 ms."""
    return Point.approximation((math.log(c) + 4 * eps) / lam,
                               exact=float(th.logistic_inverse(0.5 + eps, c, lam)), order=3,
                               order_in="eps")


@CATALOG.claim(
    "appC.moments_nwgm", label="Appendix C (before Eq. 213)", kind=Kind.APPROXIMATION,
    statement="From the general theory, E(O^k) ≈ NWGM(O^k).")
def appC_moments_nwgm(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The general theory (Section 8) makes E − NWGM of second order in the spread of the
    values (E − NWGM ≈ V(1 − 2E)/(2E(1 − E)) for tight clusters). O^k is again a variable in
    (0, 1), so the criterion is that |E(O^k) − NWGM(O^k)| = O(s²) as the spread s of O → 0
    (judge.order, order 2): for clusters O = E₀ + s·d (random E₀, m = 2–8 values, Dirichlet
    weights) and for the outputs of a logistic unit with input dropout whose weights are scaled
    by s (every subnetwork enumerated), k = 2, 3, 5; NWGM(O^k) by Eq. 213 (log domain)."""
    ss = 2.0 ** -np.arange(7)
    for k in (2, 3, 5):
        m = int(rng.integers(2, 9))
        E0 = float(rng.uniform(0.2, 0.8))
        d = rng.uniform(-1, 1, m) * min(E0, 1 - E0) * 0.9
        P = rng.dirichlet(np.ones(m))
        ex = [float(P @ (E0 + s * d) ** k) for s in ss]
        ap = [th.eq213_nwgm_power(E0 + s * d, P, k) for s in ss]
        yield judge.order({"k": k, "m": m, "E0": round(E0, 3), "law": "cluster"}, ap, ex,
                          s=ss, claimed=2, name="|E(O^k) − NWGM(O^k)|")
        n = 8
        w, I = rng.standard_normal(n), rng.standard_normal(n)
        p = rng.uniform(0.3, 0.9, n)
        masks, probs = _enum.enumerate_masks(n, p)
        b = float(rng.normal())
        ex, ap = [], []
        for s in ss:
            O = th.logistic(masks @ (s * w * I) + b)
            ex.append(float(probs @ O ** k))
            ap.append(th.eq213_nwgm_power(O, probs, k))
        yield judge.order({"k": k, "n": n, "law": "logistic unit, weights x s"}, ap, ex, s=ss,
                          claimed=2, name="|E(O^k) − NWGM(O^k)|")


@CATALOG.explorer("appC.moments_nwgm", E=E_RANGE, s=(0.1, 0.001, 0.99), k=(2, 1, 8),
                  law=law_choice("skewed"))
def _explore_appC(ctx: Context, E: float, s: float, k: float, law: str) -> Point:
    """E(O^k) ≈ NWGM(O^k) for the values O of :func:`~._explore.o_law` (mean E, spread s) and
    the power k (rounded), NWGM(O^k) by Eq. 213, E(O^k) exact: O^k is again a variable in
    (0, 1), so the error is of second order in the spread (slope 2 on a log scale of s). A
    point takes about 2 ms."""
    O, P = o_law(law, E, s)
    k = int(round(k))
    return Point.approximation(th.eq213_nwgm_power(O, P, k), exact=float(P @ O ** k), order=2,
                               order_in="s")


# ------------------------------------------------------------------------------------------
# Appendix D: derivatives
# ------------------------------------------------------------------------------------------


@CATALOG.claim(
    "appD.first_derivative", label="Appendix D", kind=Kind.IDENTITY,
    statement="σ'(x) = λσ(1 − σ) = λce^{−λx}/(1 + ce^{−λx})², maximal (= λ/4) where σ = 0.5; "
              "0 ≤ σ' ≤ 1 whenever λ ≤ 4.")
def appD_first(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Central differences (h = 1e-5) against both printed forms, and the maximum by
    optimisation, for random c, λ."""
    for _ in range(3):
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.2, 4))
        x = np.linspace(-6, 6, 241)
        h = 1e-5
        num = (th.logistic(x + h, c, lam) - th.logistic(x - h, c, lam)) / (2 * h)
        yield judge.exact({"c": c, "lam": lam}, th.dsigma(x, c, lam), num, atol=1e-8)
        alt = lam * c * np.exp(-lam * x) / (1 + c * np.exp(-lam * x)) ** 2
        yield judge.exact({"c": c, "lam": lam, "form": "λce^{−λx}/(1+ce^{−λx})²"},
                          th.dsigma(x, c, lam), alt)
        xm = math.log(c) / lam
        yield judge.exact({"c": c, "lam": lam, "what": "max = λ/4 at σ = ½"}, [lam / 4, 0.5],
                          [float(th.dsigma(xm, c, lam)), float(th.logistic(xm, c, lam))])


@CATALOG.explorer("appD.first_derivative", x=(0.5, -6.0, 6.0), c=(1.0, 0.1, 10.0),
                  lam=(1.0, 0.2, 4.0))
def _explore_appD_first(ctx: Context, x: float, c: float, lam: float) -> Point:
    """σ'(x) = λσ(1 − σ) (Appendix D) against the complex-step derivative of
    σ(x) = 1/(1 + ce^{−λx}) (exact to rounding); its maximum λ/4 is at σ = ½, x = log(c)/λ.
    A point takes about 2 ms."""
    h = 1e-30
    return Point.identity(float(th.dsigma(x, c, lam)),
                          exact=float(np.imag(th._sigma_c(x + 1j * h, c, lam)) / h))


@CATALOG.claim(
    "appD.second_derivative", label="Appendix D", kind=Kind.IDENTITY,
    statement="σ''(x) = λσ(x)(1 − σ(x))(1 − 2σ(x)).",
    note="Missing a factor λ: σ'' = λ²σ(1 − σ)(1 − 2σ) (right only for λ = 1). See "
         "appD.second_derivative_corrected.")
def appD_second(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Central second differences against the printed form for λ = 1 and random λ ≠ 1."""
    for lam in (1.0, float(rng.uniform(1.5, 4)), float(rng.uniform(0.1, 0.7))):
        x = np.linspace(-5, 5, 201)
        h = 1e-4
        num = (th.logistic(x + h, 1.0, lam) - 2 * th.logistic(x, 1.0, lam) + th.logistic(x - h, 1.0, lam)) / h ** 2
        yield judge.exact({"lam": lam}, th.d2sigma_as_printed(x, 1.0, lam), num, atol=1e-5)


@CATALOG.claim(
    "appD.second_derivative_corrected", label="Appendix D", kind=Kind.IDENTITY, as_printed=False,
    corrects="appD.second_derivative", fix="misprint",
    statement="σ''(x) = λ²σ(x)(1 − σ(x))(1 − 2σ(x)).")
def appD_second_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: σ' = λσ(1 − σ), so σ'' = λ(σ'(1 − σ) − σσ') = λσ'(1 − 2σ) =
    λ²σ(1 − σ)(1 − 2σ). Central second differences for random c, λ."""
    for lam in (1.0, float(rng.uniform(1.5, 4)), float(rng.uniform(0.1, 0.7))):
        c = float(np.exp(rng.uniform(-1, 1)))
        x = np.linspace(-5, 5, 201)
        h = 1e-4
        num = (th.logistic(x + h, c, lam) - 2 * th.logistic(x, c, lam) + th.logistic(x - h, c, lam)) / h ** 2
        yield judge.exact({"lam": lam, "c": c}, th.d2sigma(x, c, lam), num, atol=1e-5)


@CATALOG.explorer("appD.second_derivative", x=(0.5, -6.0, 6.0), c=(1.0, 0.1, 10.0),
                  lam=(2.0, 0.2, 4.0))
@CATALOG.explorer("appD.second_derivative_corrected", x=(0.5, -6.0, 6.0), c=(1.0, 0.1, 10.0),
                  lam=(2.0, 0.2, 4.0))
def _explore_appD_second(ctx: Context, x: float, c: float, lam: float) -> Point:
    """σ''(x): Appendix D as printed, λσ(1 − σ)(1 − 2σ), next to its correction
    λ²σ(1 − σ)(1 − 2σ), against the complex-step derivative of σ' = λσ(1 − σ) (exact to
    rounding): the printed form is right at λ = 1 (and where σ = ½) only. A point takes
    about 2 ms."""
    h = 1e-30
    f = th._sigma_c(x + 1j * h, c, lam)
    return Point.identity(float(th.d2sigma_as_printed(x, c, lam)),
                          exact=float(np.imag(lam * f * (1 - f)) / h),
                          correction=float(th.d2sigma(x, c, lam)))


def _small_S(rng, n_steps=6, s0=1.0, center=0.0):
    m = int(rng.integers(3, 30))
    d = rng.standard_normal(m)
    P = rng.dirichlet(np.ones(m))
    s = s0 * 0.5 ** np.arange(n_steps)
    return s, [center + si * d for si in s], P


@CATALOG.claim(
    "eq219_220.derivative_mean", label="Eq. 219, Eq. 220", kind=Kind.APPROXIMATION,
    statement="E(σ'(S)) ≈ σ'(E(S)).")
def eq219_220(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Samples S = μ + s·d shrinking around a random μ, for random c and λ ≤ 4 (where the paper
    says the NWGM step applies): E σ'(S) − σ'(E S) = ½σ‴(μ)Var(S) + … must be O(s²)
    (:func:`judge.order`, absolute, tail slope > 1.5 or err/s² bounded)."""
    for _ in range(3):
        mu = float(rng.normal())
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 4))
        s, samples, P = _small_S(rng, center=mu, s0=0.5 / lam, n_steps=7)
        D = np.array([float(P @ th.dsigma(S, c, lam)) for S in samples])
        A = np.array([float(th.dsigma(P @ S, c, lam)) for S in samples])
        yield judge.order({"mu": mu, "c": c, "lam": lam, "m": P.size}, A, D, s=s, claimed=2,
                          kind="absolute", name="E σ'(S) ≈ σ'(E S)")


@CATALOG.explorer("eq219_220.derivative_mean", mu=(0.5, -4.0, 4.0), s=(0.5, 0.001, 3.0),
                  c=(1.0, 0.1, 10.0), lam=(1.0, 0.2, 4.0))
def _explore_eq219(ctx: Context, mu: float, s: float, c: float, lam: float) -> Point:
    """E σ'(S) ≈ σ'(E S) (Eq. 219–220) for S with the moments of N(μ, s²)
    (:func:`~._explore.normal_law`, 20 values; exact sums): the error ½σ‴(μ)s² + … is of
    second order in s (slope 2 on a log scale of s). A point takes about 2 ms."""
    S, P = normal_law(mu, s)
    return Point.approximation(float(th.dsigma(mu, c, lam)), exact=float(P @ th.dsigma(S, c, lam)),
                               order=2, order_in="s")


@CATALOG.claim(
    "eq221_222.derivative_nwgm", label="Eq. 221, Eq. 222", kind=Kind.IDENTITY,
    statement="(1 − σ')/σ' = e^{λS}/(λc) + 2/λ − 1 + (c/λ)e^{−λS}; for c = λ = 1 it equals "
              "3 + Σ_{n≥1} 2S^{2n}/(2n)!.")
def eq221_222(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Both identities on grids, random c and λ ≤ 4 (so σ' ≤ 1 and the NWGM is defined)."""
    x = np.linspace(-6, 6, 121)
    for _ in range(3):
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.2, 4))
        d = lam * c * np.exp(-lam * x) / (1 + c * np.exp(-lam * x)) ** 2  # no cancellation
        yield judge.exact({"c": c, "lam": lam, "eq": "Eq. 221"}, (1 - d) / d,
                          th.eq221_ratio(x, c, lam), rtol=1e-9)
    d = th.dsigma(x)
    yield judge.exact({"c": 1, "lam": 1, "eq": "Eq. 222"}, (1 - d) / d, th.eq222_series(x),
                      rtol=1e-9)


@CATALOG.explorer("eq221_222.derivative_nwgm", x=(1.0, -6.0, 6.0), c=(1.0, 0.1, 10.0),
                  lam=(1.0, 0.2, 4.0))
def _explore_eq221(ctx: Context, x: float, c: float, lam: float) -> Point:
    """Eq. 221, (1 − σ')/σ' = e^{λx}/(λc) + 2/λ − 1 + (c/λ)e^{−λx}, against (1 − σ')/σ' with
    σ' = λce^{−λx}/(1 + ce^{−λx})² computed directly; at c = λ = 1 it is Eq. 222's series
    3 + Σ 2x^{2n}/(2n)!. A point takes about 2 ms."""
    d = lam * c * math.exp(-lam * x) / (1 + c * math.exp(-lam * x)) ** 2
    return Point.identity(float(th.eq221_ratio(x, c, lam)), exact=(1 - d) / d)


def _eq223_cases(ctx, approx, lams, name) -> Iterator[CaseResult]:
    """S = s·(μ₀ + d): a random offset μ₀ (|μ₀| ∈ [0.5, 2], so E(S)² is not negligible beside
    Var(S): S is not centred at 0) and spread d, shrinking with s; c = 1 (the derivation's
    value), λ from ``lams``. The error of ``approx(E(S²), λ)`` must be O(s⁴) (the first
    neglected terms of Eq. 222 are of fourth order): :func:`judge.order`, absolute. Draws
    from the claim's second stream (its ``rng`` parameter, the first, gave ``lams``)."""
    rng = ctx.rng()
    for lam in lams:
        mu0 = float(rng.choice([-1, 1]) * rng.uniform(0.5, 2))
        s, samples, P = _small_S(rng, s0=1.0 / lam, center=0.0, n_steps=7)
        samples = [S + si * mu0 for S, si in zip(samples, s)]
        D = np.array([float(P @ th.dsigma(S, 1.0, lam)) for S in samples])
        A = np.array([float(approx(P @ S ** 2, lam)) for S in samples])
        yield judge.order({"lam": lam, "mu0": mu0, "m": P.size}, A, D, s=s, claimed=4,
                          kind="absolute", name=name)


def _eq223_lams(rng):
    """λ = 1 (the derivation's value) and λ ≠ 1 on both sides, λ ≤ 4 (σ' ≤ 1)."""
    return (1.0, float(rng.uniform(1.5, 3.5)), float(rng.uniform(0.3, 0.7)))


@CATALOG.claim(
    "eq223.derivative_approx", label="Eq. 223", kind=Kind.APPROXIMATION,
    statement="E(σ'(S)) ≈ 1/(4 + λ²E(S²)) = 1/(4 + λ²(Var(S) + E(S)²)) (c = 1; the derivation "
              "sets c = λ = 1 but the result is printed with λ).",
    note="Right for λ = 1 only. For c = 1, (1 − σ')/σ' = (2 + 2cosh λS)/λ − 1 = (4 − λ + λ²S² + "
         "…)/λ, so E σ'(S) ≈ λ/(4 + λ²E(S²)): the printed form lacks the factor λ (at S = 0 it "
         "gives 1/4 instead of σ'(0) = λ/4). See eq223.corrected.")
def eq223(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """For λ = 1, λ ∈ [1.5, 3.5] and λ ∈ [0.3, 0.7] (c = 1), S = s·(μ₀ + d) shrinking (not
    centred at 0): the error of the printed 1/(4 + λ²E(S²)) must be O(s⁴)."""
    yield from _eq223_cases(ctx, th.eq223, _eq223_lams(rng), "E σ'(S) ≈ 1/(4 + λ²E S²)")


@CATALOG.claim(
    "eq223.corrected", label="Eq. 223", kind=Kind.APPROXIMATION, as_printed=False,
    corrects="eq223.derivative_approx", fix="scope",
    statement="For c = 1 and 0 < λ ≤ 4, E(σ'(S)) ≈ λ/(4 + λ²E(S²)), with an error of fourth "
              "order in S.")
def eq223_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: σ'(S) = λ/(2 + 2cosh λS) for c = 1, so (1 − σ')/σ' = (4 − λ + λ²S² +
    O(S⁴))/λ and NWGM(σ') = 1/(1 + Π((1 − σ'_i)/σ'_i)^{P_i}) ≈ λ/(4 + λ²E(S²)) (Eq. 222 with
    (1 + x)^P ≈ 1 + Px). Same families as eq223.derivative_approx: error O(s⁴)."""
    yield from _eq223_cases(ctx, th.eq223_corrected, _eq223_lams(rng), "E σ'(S) ≈ λ/(4 + λ²E S²)")


@CATALOG.explorer("eq223.derivative_approx", lam=(2.0, 0.1, 4.0), s=(0.3, 0.001, 2.0),
                  m=(1.0, -3.0, 3.0))
@CATALOG.explorer("eq223.corrected", lam=(2.0, 0.1, 4.0), s=(0.3, 0.001, 2.0),
                  m=(1.0, -3.0, 3.0))
def _explore_eq223(ctx: Context, lam: float, s: float, m: float) -> Point:
    """E σ'(S) for S = s·(m + Z), Z with the moments of N(0, 1) (:func:`~._explore.normal_law`,
    20 values; E σ'(S) an exact sum; c = 1), against Eq. 223 as printed, 1/(4 + λ²E(S²)), and
    its correction λ/(4 + λ²E(S²)), E(S²) = s²(m² + 1). The correction's error is of fourth
    order in s (slope 4 on a log scale of s); the printed form misses the factor λ and is
    right at λ = 1 only (sweep λ). A point takes about 2 ms."""
    S, P = normal_law(s * m, s)
    ES2 = float(P @ S ** 2)
    return Point.approximation(float(th.eq223(ES2, lam)), exact=float(P @ th.dsigma(S, 1.0, lam)),
                               correction=float(th.eq223_corrected(ES2, lam)), order=4,
                               order_in="s")
