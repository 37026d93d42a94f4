"""Section 7.1 of Baldi & Sadowski: the functional class of transfer functions for which the NWGM
commutes with the unit (Eq. 59–67)."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator

import numpy as np
from scipy import special

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._shared import CATALOG, _random_c_lam, _search
from dropmc.theory import ensemble_averaging as th

# ------------------------------------------------------------------------------------------
# Section 7.1: the functional class
# ------------------------------------------------------------------------------------------


def _st_eq60():
    from hypothesis import strategies as st

    return st.tuples(st.floats(-8, 8, allow_nan=False), st.floats(-8, 8, allow_nan=False),
                     st.floats(0.0, 1.0, allow_nan=False))


def _eq60_holds(ctx: Context, f, rtol=1e-9, logf=None, *, hooked=True):
    """Eq. 60 at (u, v, p): NWGM of f(u), f(v) equals f(pu + (1 − p)v) to ``rtol`` of the size
    of the values (both computed to ~1e-13 relative in the log domain). ``hooked``: compare
    through ``ctx.close`` (f(E) is the theory side a power run perturbs); searches
    that *expect* a violation pass ``hooked=False`` and decide through a separate case."""
    def holds(args):
        u, v, p = args
        left, right = th.eq60_sides(f, u, v, p, logf)
        if not hooked:
            return abs(left - right) <= rtol * max(abs(left), abs(right))
        return ctx.close(left, right, rtol=rtol)
    return holds


@CATALOG.claim(
    "eq59.logistic_in_class", label="Eq. 59, Eq. 60, Eq. 62", kind=Kind.IDENTITY,
    statement="Every logistic function f(x) = 1/(1 + ce^{−λx}) (and every constant in (0, 1)) "
              "satisfies G/(G + G')(f) = f(E) for any points and any distribution.")
def eq59_logistic(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Hypothesis searches for a violation of Eq. 60 (points u, v, weight p) for random c, λ,
    and exact checks of Eq. 59 with many points and Dirichlet weights (log domain), for
    logistic functions and a constant (λ = 0)."""
    for c, lam in [(1.0, 1.0), _random_c_lam(rng), (2.5, 0.0)]:
        f = lambda x, c=c, lam=lam: th.logistic(x, c, lam)
        logf = lambda x, c=c, lam=lam: th.log_logistic(x, c, lam)
        yield _search(ctx, _eq60_holds(ctx, f, logf=logf), _st_eq60(), {"c": c, "lam": lam},
                      what="(u, v, p)")
        x = rng.standard_normal(50) * 3
        P = rng.dirichlet(np.ones(50))
        yield judge.exact({"c": c, "lam": lam, "m": 50}, float(f(P @ x)),
                          th.nwgm_logistic(x, P, c, lam))


@CATALOG.explorer("eq59.logistic_in_class", u=(-1.0, -8.0, 8.0), v=(2.0, -8.0, 8.0),
                  p=(0.3, 0.0, 1.0), c=(1.0, 0.1, 10.0), lam=(1.0, -3.0, 3.0))
def _explore_eq59(ctx: Context, u: float, v: float, p: float, c: float, lam: float) -> Point:
    """Eq. 60 for the logistic f(x) = 1/(1 + ce^{−λx}) (λ = 0: a constant): the NWGM of f(u),
    f(v) with weights p, 1 − p (log domain) against f(pu + (1 − p)v), exactly. A point takes
    about 2 ms."""
    left, right = th.eq60_sides(lambda x: th.logistic(x, c, lam), u, v, p,
                                lambda x: th.log_logistic(x, c, lam))
    return Point.identity(right, exact=left)


@CATALOG.claim(
    "sec7_1.tanh_in_class", label="Section 7.1", kind=Kind.IDENTITY,
    statement="(1 + tanh(x))/2 = 1/(1 + e^{−2x}), hence NWGM((1 + tanh(x))/2) = "
              "(1 + tanh(E(x)))/2.")
def sec7_1_tanh(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The identity on a grid, a hypothesis search for a violation of Eq. 60, and the NWGM of
    random samples with Dirichlet weights against (1 + tanh(E))/2."""
    x = np.linspace(-15, 15, 3001)
    yield judge.exact({"grid": "[-15, 15]"}, special.expit(2 * x), th.tanh_unit(x), n=x.size)
    yield _search(ctx, _eq60_holds(ctx, th.tanh_unit,
                                   logf=lambda x: th.log_logistic(x, 1.0, 2.0)),
                  _st_eq60(), {"f": "(1+tanh)/2"},
                  what="(u, v, p)")
    for m in (2, 30):
        xs = rng.standard_normal(m) * 2
        P = rng.dirichlet(np.ones(m))
        O = th.tanh_unit(xs)
        yield judge.exact({"m": m}, float(th.tanh_unit(P @ xs)),
                          th.weighted_means(O, P)["NWGM"])


@CATALOG.explorer("sec7_1.tanh_in_class", u=(-1.0, -8.0, 8.0), v=(2.0, -8.0, 8.0),
                  p=(0.3, 0.0, 1.0))
def _explore_tanh(ctx: Context, u: float, v: float, p: float) -> Point:
    """NWGM((1 + tanh)/2) = (1 + tanh(E))/2 at two points u, v with weights p, 1 − p: the
    NWGM (log domain, (1 + tanh x)/2 = σ(2x)) against (1 + tanh(pu + (1 − p)v))/2. A point
    takes about 2 ms."""
    left, right = th.eq60_sides(th.tanh_unit, u, v, p, lambda x: th.log_logistic(x, 1.0, 2.0))
    return Point.identity(right, exact=left)


@CATALOG.claim(
    "sec7_1.others_not_in_class", label="Section 7.1, Eq. 59", kind=Kind.INEQUALITY,
    statement="arctan and x/√(1 + x²), rescaled to [0, 1], do not satisfy NWGM(f) = f(E) "
              "(only logistic functions and constants do), though their deviations may be small.")
def sec7_1_others(ctx: Context) -> Iterator[CaseResult]:
    """Hypothesis looks for (u, v, p) violating Eq. 60 by more than 1e-9 — finding one confirms
    that the function is outside the class (a search that finds none is INCONCLUSIVE); and the
    largest deviation |NWGM − f(E)| on a grid of (u, v, p) in [−3, 3]² × {¼, ½, ¾} must exceed
    1e-9 (f takes values in [0, 1], the scale a power run moves that threshold by), which also
    shows how small the deviations are."""
    for name, f in (("arctan", th.arctan_unit), ("x/sqrt(1+x^2)", th.algebraic_unit)):
        yield _search(ctx, _eq60_holds(ctx, f, hooked=False), _st_eq60(), {"f": name},
                      expect_counterexample=True, what="(u, v, p) violating Eq. 60")
        g = np.linspace(-3, 3, 25)
        dev, arg = max((abs(np.subtract(*th.eq60_sides(f, u, v, p))), (float(u), float(v), p))
                       for u in g for v in g for p in (0.25, 0.5, 0.75))
        yield judge.holds({"f": name, "grid": "[-3, 3]^2 x {1/4, 1/2, 3/4}"},
                          lambda dev=dev: ctx.ge(dev, 1e-9, scale=1.0), theory=1e-9,
                          estimate=Estimate.exact(dev, "closed_form", 25 * 25 * 3),
                          detail=f"max |NWGM − f(E)| on the grid = {dev:.4f} at (u, v, p) = {arg}")


@CATALOG.explorer("sec7_1.others_not_in_class", u=(-1.0, -8.0, 8.0), v=(2.0, -8.0, 8.0),
                  p=(0.3, 0.0, 1.0), f=("arctan", "x/sqrt(1+x^2)"))
def _explore_others(ctx: Context, u: float, v: float, p: float, f: str) -> Point:
    """For arctan and x/√(1 + x²) rescaled to [0, 1] (``f``), f(pu + (1 − p)v) as an
    approximation of the NWGM of f(u), f(v) (weights p, 1 − p): the error is not 0 — these
    functions are outside the class — but small (at most a few 1e-2 for |u|, |v| ≤ 3). A
    point takes about 2 ms."""
    fn = th.arctan_unit if f == "arctan" else th.algebraic_unit
    left, right = th.eq60_sides(fn, u, v, p)
    return Point.approximation(right, exact=left)


@CATALOG.claim(
    "eq61_64.two_points", label="Eq. 61, Eq. 62, Eq. 63, Eq. 64, Eq. 65", kind=Kind.IDENTITY,
    statement="A function of the class is determined by f(u), f(v): Eq. 61 interpolates it, "
              "and Eq. 63–64 recover c and λ; f(0) = 1/(1 + c) and f = 1/2 at x = log(c)/λ.")
def eq61_64(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """For random logistic functions and random u < v: Eq. 61 against f on a grid inside and
    outside [u, v], Eq. 63 and Eq. 64 against the true c and λ, and Eq. 65."""
    for _ in range(5):
        c, lam = float(np.exp(rng.uniform(-2, 2))), float(rng.uniform(0.2, 3) * rng.choice([-1, 1]))
        u, v = np.sort(rng.uniform(-3, 3, 2))
        fu, fv = float(th.logistic(u, c, lam)), float(th.logistic(v, c, lam))
        x = np.linspace(u - 2, v + 2, 101)
        prm = {"c": c, "lam": lam, "u": float(u), "v": float(v)}
        yield judge.exact({**prm, "eq": "Eq. 61"}, th.logistic(x, c, lam),
                          th.eq61(fu, fv, u, v, x), rtol=1e-9)
        yield judge.exact({**prm, "eq": "Eq. 63"}, c, th.eq63_c(fu, fv, u, v), rtol=1e-9)
        yield judge.exact({**prm, "eq": "Eq. 64"}, lam, th.eq64_lambda(fu, fv, u, v),
                          rtol=1e-9)
        yield judge.exact({**prm, "eq": "Eq. 65"}, [1 / (1 + c), 0.5],
                          [float(th.logistic(0.0, c, lam)), float(th.logistic(math.log(c) / lam, c, lam))])


@CATALOG.explorer("eq61_64.two_points", x=(0.5, -6.0, 6.0), u=(-1.0, -3.0, 3.0),
                  d=(3.0, 0.05, 6.0), c=(2.0, 0.1, 10.0), lam=(1.5, -3.0, 3.0),
                  eq=("Eq. 61: f(x)", "Eq. 63: c", "Eq. 64: λ"))
def _explore_eq61_64(ctx: Context, x: float, u: float, d: float, c: float, lam: float,
                     eq: str) -> Point:
    """A logistic f = 1/(1 + ce^{−λx}) recovered from its values at two points u and
    v = u + d: Eq. 61's f(x) against f(x), or Eq. 63's c and Eq. 64's λ against the true
    ones (``eq``). A point takes about 2 ms."""
    v = u + d
    fu, fv = float(th.logistic(u, c, lam)), float(th.logistic(v, c, lam))
    if eq.startswith("Eq. 61"):
        return Point.identity(float(th.eq61(fu, fv, u, v, x)), exact=float(th.logistic(x, c, lam)))
    if eq.startswith("Eq. 63"):
        return Point.identity(th.eq63_c(fu, fv, u, v), exact=c)
    return Point.identity(th.eq64_lambda(fu, fv, u, v), exact=lam)


@CATALOG.claim(
    "eq66_67.side_formulas", label="Eq. 66, Eq. 67", kind=Kind.IDENTITY,
    statement="(1 − f(0))/f(0) = [(1 − f(−v))/f(−v)]^{1/2}[(1 − f(v))/f(v)]^{1/2}, and "
              "f(αv) = 1/(1 + ((1 − f(0))/f(0))^{1−α}((1 − f(v))/f(v))^α) for logistic f.")
def eq66_67(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Random logistic functions, v and α ∈ (0, 1)."""
    for _ in range(5):
        c, lam = float(np.exp(rng.uniform(-2, 2))), float(rng.uniform(0.2, 3))
        v, a = float(rng.uniform(0.1, 4)), float(rng.uniform(0.01, 0.99))
        f = lambda x: float(th.logistic(x, c, lam))
        yield judge.exact({"c": c, "lam": lam, "v": v, "eq": "Eq. 66"}, (1 - f(0)) / f(0),
                          th.eq66_rhs(f(-v), f(v)), rtol=1e-9)
        yield judge.exact({"c": c, "lam": lam, "v": v, "alpha": a, "eq": "Eq. 67"}, f(a * v),
                          th.eq67(f(0), f(v), a), rtol=1e-9)


@CATALOG.explorer("eq66_67.side_formulas", v=(1.0, 0.1, 4.0), alpha=(0.4, 0.0, 1.0),
                  c=(2.0, 0.1, 10.0), lam=(1.5, 0.2, 3.0), eq=("Eq. 67", "Eq. 66"))
def _explore_eq66_67(ctx: Context, v: float, alpha: float, c: float, lam: float,
                     eq: str) -> Point:
    """For a logistic f = 1/(1 + ce^{−λx}): Eq. 67's f(αv) from f(0) and f(v) against f(αv),
    or Eq. 66's ((1 − f(−v))/f(−v))^{1/2}((1 − f(v))/f(v))^{1/2} against (1 − f(0))/f(0)
    (``eq``). A point takes about 2 ms."""
    def f(x):
        return float(th.logistic(x, c, lam))
    if eq == "Eq. 67":
        return Point.identity(th.eq67(f(0), f(v), alpha), exact=f(alpha * v))
    return Point.identity(th.eq66_rhs(f(-v), f(v)), exact=(1 - f(0)) / f(0))


# -- Sec. 7.1, after Eq. 60 and after Eq. 66: properties of the members of the class --------


def _st_member():
    """hypothesis strategy for a member of the class: (c, λ, K) with K = None for the logistic
    1/(1 + ce^{−λx}) (λ = 0 included: the constant 1/(1 + c)) or K ∈ [0, 1] for a constant."""
    from hypothesis import strategies as st

    lam = st.one_of(st.just(0.0), st.floats(0.05, 5.0), st.floats(-5.0, -0.05))
    return st.tuples(st.floats(0.01, 100.0), lam,
                     st.one_of(st.none(), st.floats(0.0, 1.0, allow_nan=False)))


def _bad_zero(x):
    """0 for x ≤ 0, σ(x) beyond: zero at a point and positive elsewhere."""
    x = np.asarray(x, float)
    return np.where(x <= 0, 0.0, special.expit(x))


def _bad_equal(x):
    """½ + 0.4 sin(x): equal values at two points without being constant between them."""
    return 0.5 + 0.4 * np.sin(np.asarray(x, float))


@CATALOG.claim(
    "sec7_1.after_eq60", label="Sec. 7.1 (after Eq. 60)", kind=Kind.IDENTITY,
    statement="For f satisfying Eq. 60: if f(u) = f(v) then f is constant on [u, v]; if f(u) = 0 "
              "and f(v) > 0 then f = 0 on [u, v); hence a member of the class not constantly 0 "
              "is > 0 everywhere, and one not constantly 1 is < 1 everywhere.")
def sec7_1_after_eq60(ctx: Context) -> Iterator[CaseResult]:
    """(a) What Eq. 60 forces, computed directly (0 and 1 allowed): with f(u) = f(v) = K its
    left side equals K for every p (search over K ∈ [0, 1], p); with f(u) = 0 < f(v) it is 0 for
    every p ∈ (0, 1] (search), and with f(u) > 0 = f(v) it is 0 for p ∈ [0, 1) — except when
    the other value is 1, where the left side is 0/0: Eq. 59 is then undefined for that pair, so
    such an f is not in the class (the searches check the 0/0). (b) Functions
    violating the conclusions violate Eq. 60 (searches that must find a violation): zero on
    (−∞, 0] and positive beyond; equal at two points but not constant between. (c) The
    explicit members (constants K ∈ [0, 1] and logistics with any c > 0, λ): 0 < f < 1
    everywhere unless f ≡ 0 or f ≡ 1 (search, in the log domain)."""
    from hypothesis import strategies as st

    unit = st.floats(0.0, 1.0, allow_nan=False)
    pos = st.floats(1e-6, 1.0, allow_nan=False)

    def equal(args):
        K, p = args
        return ctx.close(th.eq60_left_direct(K, K, p), K, rtol=1e-12, scale=1.0)

    def zero_left(args):
        fv, p = args
        left = th.eq60_left_direct(0.0, fv, p)
        if fv == 1.0 and p < 1.0:  # 0/0: Eq. 60 undefined, so f(u) = 0, f(v) = 1 is excluded
            return math.isnan(left)
        return ctx.close(left, 0.0, atol=0.0, scale=1.0)

    def zero_right(args):
        fu, p = args
        left = th.eq60_left_direct(fu, 0.0, 1.0 - p)
        if fu == 1.0 and p < 1.0:
            return math.isnan(left)
        return ctx.close(left, 0.0, atol=0.0, scale=1.0)

    yield _search(ctx, equal, st.tuples(unit, unit), {"f(u) = f(v) = K": "left side of Eq. 60 = K"})
    yield _search(ctx, zero_left, st.tuples(pos, pos), {"f(u) = 0 < f(v)": "left side = 0, p in (0, 1]"})
    yield _search(ctx, zero_right, st.tuples(pos, pos), {"f(u) > 0 = f(v)": "left side = 0, p in [0, 1)"})

    def eq60_direct_holds(f):
        def holds(args):
            u, v, p = args
            left = th.eq60_left_direct(float(f(u)), float(f(v)), p)
            right = float(f(p * u + (1 - p) * v))
            return not math.isnan(left) and abs(left - right) <= 1e-9
        return holds

    for name, f in (("0 on (-inf, 0], sigma(x) beyond", _bad_zero),
                    ("1/2 + 0.4 sin(x)", _bad_equal)):
        yield _search(ctx, eq60_direct_holds(f), _st_eq60(), {"f": name},
                      expect_counterexample=True, what="(u, v, p) violating Eq. 60")

    def strictly_inside(args):
        (c, lam, K), x = args
        if K is not None:
            return K in (0.0, 1.0) or (0.0 < K < 1.0)
        lo, l1 = th.log_logistic(x, c, lam)
        return bool(np.isfinite(lo) and np.isfinite(l1) and lo < 0 and l1 < 0)

    yield _search(ctx, strictly_inside, st.tuples(_st_member(), st.floats(-50, 50)),
                  {"members": "constants K in [0, 1], logistics"},
                  what="member with 0 < f < 1 failing somewhere")


CATALOG.no_explorer("sec7_1.after_eq60", "qualitative consequences of Eq. 60 for any function of "
                    "the class (equal values force a constant, a zero spreads): no closed form in "
                    "a parameter; Eq. 60 itself is explored with eq59.logistic_in_class")


def _member_far(c, lam, K, sign):
    """f at a point where a non-constant member is within e^{−700} of its limit (log domain):
    returns (log f, log(1 − f)) at x = sign·(700 + |log c|)/|λ| (any x for constants)."""
    if K is not None:
        return (math.log(K) if K > 0 else -math.inf, math.log1p(-K) if K < 1 else -math.inf)
    x = sign * (700.0 + abs(math.log(c))) / abs(lam) if lam != 0 else sign * 1e6
    lo, l1 = th.log_logistic(x, c, lam)
    return float(lo), float(l1)


def _limit_is_0_or_1(ctx: Context, args) -> bool:
    (c, lam, K) = args
    for sgn in (-1.0, 1.0):
        lo, l1 = _member_far(c, lam, K, sgn)
        # limit 1: log f ≈ 0; limit 0: log(1 − f) ≈ 0 (both within e^{−700} ≈ 1e-304)
        if not (ctx.le(abs(lo), 1e-12) or ctx.le(abs(l1), 1e-12)):
            return False
    return True


@CATALOG.claim(
    "sec7_1.after_eq66", label="Sec. 7.1 (after Eq. 66)", kind=Kind.IDENTITY,
    statement="On any interval a function f of the class must be continuous, infinitely "
              "differentiable, monotone increasing or decreasing, and strictly so if f is "
              "constant; it has limits at −∞ and +∞, and the limits can only be 0 or 1.",
    note="The constant functions 0 < K < 1 belong to the class (Eq. 59 with λ = 0) and satisfy "
         "0 < f < 1, yet they are not strictly monotone and their limits at ±∞ are K, not 0 "
         "or 1. See sec7_1.after_eq66_corrected.")
def sec7_1_after_eq66(ctx: Context) -> Iterator[CaseResult]:
    """The constants K ∈ (0, 1) are in the class (Eq. 59; the paper's own remark, λ = 0) and
    satisfy 0 < f < 1, the hypothesis of the paragraph, yet they are not strictly monotone and
    their limits are K: a search over the members (c, λ with λ = 0 allowed, or a constant K)
    for limits other than 0 or 1 finds one, and the constant ½ is checked not strictly
    monotone (f(1) − f(0) = 0). The paper's Eq. 67 argument only shows that the limit L makes
    f(αv) independent of α, which L = f(0) (a constant f) also does: REFUTED as printed. The
    corrected statement is registered beside it."""
    yield _search(ctx, functools.partial(_limit_is_0_or_1, ctx), _st_member(),
                  {"members": "constants and logistics"},
                  what="a member with a limit other than 0 or 1")
    f0, f1 = float(th.class_member(0.0, 1.0, 0.0)), float(th.class_member(1.0, 1.0, 0.0))
    strict = f1 != f0
    yield judge.holds({"f": "constant 1/2 (c = 1, lam = 0)", "what": "strictly monotone"}, strict,
                      estimate=Estimate.exact(f1 - f0, "closed_form", 2),
                      detail=f"f(1) − f(0) = {f1 - f0}: a constant is not strictly monotone")


CATALOG.no_explorer("sec7_1.after_eq66", "qualitative properties of the members of the class "
                    "(smooth, strictly monotone, limits 0 or 1): no closed form in a parameter")


@CATALOG.claim(
    "sec7_1.after_eq66_corrected", label="Sec. 7.1 (after Eq. 66)", kind=Kind.IDENTITY,
    as_printed=False, corrects="sec7_1.after_eq66", fix="scope",
    statement="Every member of the class is continuous and infinitely differentiable (each "
              "derivative a polynomial in f), monotone, and strictly so unless f is constant; "
              "its limits at −∞ and +∞ are 0 and 1 (in one order) unless f is a constant K, "
              "whose limits are K.")
def sec7_1_after_eq66_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """(a) The first three derivatives λf(1 − f), λ²f(1 − f)(1 − 2f), λ³f(1 − f)(1 − 6f + 6f²)
    against complex-step derivatives of f, f′, f″ on a grid, for random c, λ (exact to
    rounding). (b) A search over logistic members and pairs x < y: logit f(y) − logit f(x) =
    λ(y − x) (log domain), so f is strictly monotone with the sign of λ, constant for λ = 0.
    (c) A search over non-constant members: the limits at ±∞ are 0 and 1; for constants K they
    are K."""
    from hypothesis import strategies as st

    h = 1e-30
    for _ in range(3):
        c, lam = float(np.exp(rng.uniform(-2, 2))), float(rng.uniform(0.2, 3) * rng.choice([-1, 1]))
        x = np.linspace(-6, 6, 121)
        f = lambda z: th._sigma_c(z, c, lam)  # noqa: E731
        d1 = lambda z: lam * f(z) * (1 - f(z))  # noqa: E731
        d2 = lambda z: lam ** 2 * f(z) * (1 - f(z)) * (1 - 2 * f(z))  # noqa: E731
        cs = np.stack([np.imag(g(x + 1j * h)) / h for g in (f, d1, d2)])
        yield judge.exact({"c": c, "lam": lam, "what": "f', f'', f''' (complex step)"},
                          th.logistic_derivatives(x, c, lam), cs, rtol=1e-9,
                          scale=abs(lam) ** 3 / 4)

    def logit_step(args):
        (c, lam, K), x, d = args
        y = x + d
        lx, l1x = th.log_logistic(x, c, lam)
        ly, l1y = th.log_logistic(y, c, lam)
        diff = (float(ly) - float(l1y)) - (float(lx) - float(l1x))
        return ctx.close(diff, lam * d, rtol=1e-9, scale=abs(lam) * d + abs(float(lx - l1x)) + 1.0)

    logistic_member = _st_member().map(lambda t: (t[0], t[1], None))
    yield _search(ctx, logit_step, st.tuples(logistic_member, st.floats(-20, 20),
                                             st.floats(1e-3, 20)),
                  {"what": "logit f(y) − logit f(x) = λ(y − x)"})

    def limits(args):
        c, lam, K = args
        if K is None and lam != 0:
            return _limit_is_0_or_1(ctx, args)
        value = K if K is not None else 1 / (1 + c)
        return all(ctx.close(float(th.class_member(sgn * 1e6, c, lam, K)), value, rtol=1e-12)
                   for sgn in (-1.0, 1.0))

    yield _search(ctx, limits, _st_member(), {"what": "limits 0 and 1, or K for a constant"})


CATALOG.no_explorer("sec7_1.after_eq66_corrected", "qualitative properties of the members of the "
                    "class, constants included (monotone, limits 0 and 1 or K): no closed form in "
                    "a parameter")
