"""Shared pieces of the Baldi–Sadowski catalog: the catalog object, the counterexample search, the
floating-point slack of inequalities and the random samples and networks several sections draw;
the searches over samples and the order tests along shrinking clusters of Section 8 and
Appendices B–C, the enumeration of layered logistic networks of Section 9, and the sigmoidal
units, complex-step derivative and weight scales of Sections 11.4–11.5."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Verdict
from dropmc.registry import Catalog
from dropmc.simulations import ensemble_averaging as sim
from dropmc.theory import ensemble_averaging as th

CATALOG = Catalog("ensemble_averaging")


#: floating-point resolution allowed in inequality searches (relative, ≈ 4500 ulps): far below
#: any effect the claims speak of, and only there so rounding of equal sides is not reported
FP_SLACK = 1e-12


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------


def _search(ctx: Context, holds, strategy, params: dict, *, expect_counterexample=False,
            what: str = "") -> CaseResult:
    """Counterexample search with hypothesis: a thin wrapper of :func:`judge.search_case`
    (evaluated and rejected examples are counted; too few evaluated gives INCONCLUSIVE).
    ``expect_counterexample`` is for claims that a function is *not* in a class: then finding
    one confirms the claim. Predicates compare through ``ctx.le``/``ge``/``close`` (or
    :func:`_le`), so power runs tighten them."""
    return judge.search_case(params, holds, strategy, what=what,
                             expect_counterexample=expect_counterexample)


def _le(ctx: Context, a, b, scale=None, *, tol_scale=None) -> bool:
    """``a ≤ b`` up to FP_SLACK of the size of the terms, through :meth:`Context.le` of the
    claim's context ``ctx`` (passed, not looked up: a power run re-decides a search's or a
    case's predicate in that context, moved to δ): a power run tightens the bound ``b`` by
    δ·max(|a|, |b|, scale), i.e. relative to the compared values, or to ``scale`` when the
    bound is 0 or a difference that stands for a larger quantity (``0 ≤ E − G`` is ``G ≤ E``:
    pass scale=E). ``tol_scale`` is the size of the terms the values are built from, for the
    rounding tolerance only (E for V and E − G: equal samples give both ≈ 0 with rounding of
    order 1e-16·E)."""
    size = max(abs(float(a)), abs(float(b)), 0.0 if scale is None else abs(float(scale)))
    tol = FP_SLACK * max(size, 0.0 if tol_scale is None else abs(float(tol_scale)))
    return ctx.le(a, b, tol=tol, scale=max(size, 1e-300))


def _st_sample(lo: float = 1e-9, hi: float = 1 - 1e-9, max_m: int = 8):
    """hypothesis strategy for (O, raw weights); use :func:`_unpack`."""
    from hypothesis import strategies as st

    return st.integers(1, max_m).flatmap(lambda m: st.tuples(
        st.lists(st.floats(lo, hi, allow_nan=False), min_size=m, max_size=m),
        st.lists(st.floats(1e-3, 1.0, allow_nan=False), min_size=m, max_size=m)))


def _unpack(args):
    O = np.asarray(args[0], float)
    P = np.asarray(args[1], float)
    return O, P / P.sum()


def _e_minus_g(O, P) -> float:
    """E − G without cancellation: −E·expm1(Σ P log1p((O − E)/E))."""
    E = float(P @ O)
    return -E * math.expm1(float(P @ np.log1p((O - E) / E)))


def _random_sample(rng, m=None, lo=0.0, hi=1.0):
    m = int(rng.integers(2, 12)) if m is None else m
    O = rng.uniform(lo, hi, m)
    O = np.clip(O, 1e-12, 1 - 1e-12)
    P = rng.dirichlet(np.full(m, float(rng.choice([0.3, 1.0, 3.0]))))
    return O, P


def _random_net(rng, max_gates=14, *, skip_prob=None, widths=None):
    for _ in range(50):
        if widths is None:
            depth = int(rng.integers(2, 5))
            ws = [int(rng.integers(1, 4)) for _ in range(depth + 1)]
        else:
            ws = list(widths)
        sp = float(rng.choice([0.0, 0.4])) if skip_prob is None else skip_prob
        net = th.random_layered_net(rng, ws, skip_prob=sp)
        if net.n_units - ws[-1] <= max_gates:
            return net, ws, sp
    return net, ws, sp




def _random_c_lam(rng):
    return float(np.exp(rng.uniform(-3, 3))), float(rng.choice([1.0, rng.uniform(0.05, 5.0), -rng.uniform(0.1, 3)]))





def _vector_case(ctx: Context, params: dict, theory, value, scale: float, detail: str = "") -> CaseResult:
    """An exact vector identity ``value == theory`` (enumeration / complex step, SE 0), with
    the tolerance relative to ``scale``, the size of the terms the values are built from."""
    theory = np.asarray(theory, float).ravel()
    value = np.asarray(value, float).ravel()
    return judge.identity_many(params, theory, value, se=np.zeros_like(value), n=value.size,
                               method="enumeration", scale=scale, detail=detail)


def _linear_unit(rng, n: int = 6):
    """A random linear unit (w, I, t) with random keep probabilities p ∈ (0.2, 0.95)."""
    return (rng.standard_normal(n), rng.standard_normal(n), float(rng.standard_normal()),
            rng.uniform(0.2, 0.95, n))


def _two_layer_logistic(rng, n_in: int = 3, h: int = 3):
    """A random two-layer logistic network, two training inputs with targets in (0, 1), random
    keep probabilities for the inputs and hidden units, and random c, λ."""
    W1 = rng.standard_normal((h, n_in))
    w2 = rng.standard_normal(h)
    inputs = rng.standard_normal((2, n_in))
    targets = rng.uniform(0.05, 0.95, 2)
    p = rng.uniform(0.3, 0.9, n_in + h)
    c, lam = float(rng.uniform(0.5, 2.0)), float(rng.uniform(0.5, 2.0))
    return W1, w2, inputs, targets, p, c, lam


# ------------------------------------------------------------------------------------------
# Section 8 and Appendices B–C: searches over samples, order tests along shrinking clusters
# ------------------------------------------------------------------------------------------


def _ineq_claim(ctx, holds, lo=1e-9, hi=1 - 1e-9, label="(0, 1)", edges=()) -> Iterator[CaseResult]:
    """A hypothesis search over (O, weights) on [lo, hi] and deterministic edge cases, all
    decided by the same predicate (which compares through :func:`_le` / ``ctx.le``/``ge``, so
    power runs tighten it; a predicate raising ValueError rejects an example, counted)."""
    yield _search(ctx, holds, _st_sample(lo, hi), {"domain": label}, what="(O, weights)")
    for O, P in edges:
        edge = (list(O), list(P))
        case = judge.holds({"edge": {"O": edge[0], "P": edge[1]}}, lambda edge=edge: holds(edge))
        case.detail = "edge case " + ("violated" if case.verdict is Verdict.REFUTED else "holds")
        yield case


def _clusters(rng, where: str, n_steps: int = 7, s0: float = 0.4, center: float | None = None):
    """A base sample shape d (random, asymmetric) and weights P; O = c + s·h·d for shrinking s.
    Away from 0.5, d is centred (Σ P_id_i = 0) so E stays at the centre E₀; around 0.5 it is
    not, so E → 0.5 with the spread (the regime of the paper's expansion). ``center`` (with
    ``where="at"``) fixes E₀."""
    m = int(rng.integers(2, 9))
    P = rng.dirichlet(np.ones(m))
    d = rng.uniform(-1, 1, m)
    if where != "0.5":
        d -= P @ d  # keep E = E₀ fixed while the spread shrinks
    d /= np.abs(d).max()
    if where == "0.5":
        center, half = 0.5, 1.0
    elif where == "at":
        half = min(center, 1 - center) * 2
    elif where == "high":
        center = float(rng.uniform(0.6, 0.95))
        half = min(center, 1 - center) * 2
    else:
        center = float(rng.uniform(0.05, 0.4))
        half = min(center, 1 - center) * 2
    s = s0 * 0.5 ** np.arange(n_steps)
    samples = [np.clip(center + si * half * d, 1e-300, 1 - 1e-16) for si in s]
    return center, s, samples, P


def _order_claim(ctx, quantity, approx, *, kind, claimed, name, regimes=("0.5", "low", "high"),
                 n_each=2) -> Iterator[CaseResult]:
    """Clusters shrinking in each regime (:func:`_clusters`), on the next stream of the claim
    (several of these run in one claim): the order of ``quantity`` ≈ ``approx``."""
    rng = ctx.rng()
    for where in regimes:
        for _ in range(n_each):
            center, s, samples, P = _clusters(rng, where)
            ws = [th.weighted_means(O, P) for O in samples]
            D = np.array([quantity(O, P, w) for O, w in zip(samples, ws)])
            A = np.array([approx(w) for w in ws])
            yield judge.order({"around": where, "center": center, "m": P.size}, A, D, s=s,
                              claimed=claimed, kind=kind, name=name)


def _gap_G(O, P, w):
    return _e_minus_g(O, P)


def _gap_Gp(O, P, w):
    return _e_minus_g(1 - O, P)


def _gap_nwgm(O, P, w):
    return w["E"] - w["NWGM"]


# ------------------------------------------------------------------------------------------
# Sections 9.1–9.6: random layered logistic networks, every dropout mask enumerated
# ------------------------------------------------------------------------------------------


def _random_layered(rng, scale=1.0):
    Ws = [scale * rng.standard_normal((3, 3)), scale * rng.standard_normal((3, 3)),
          scale * rng.standard_normal((1, 3))]
    ps = [rng.uniform(0.3, 0.9, 3) for _ in range(3)]
    return Ws, rng.standard_normal(3), ps, float(rng.uniform(0.5, 2.0)), float(rng.uniform(0.5, 2.0))


def _enumerate_network(Ws, I, ps, c, lam, connection=False):
    """Exact per-layer moments over all masks: S, O (per mask), E(S), E(O), NWGM = σ(E(S))
    (Eq. 100), W (Eq. 98), α, β, ε (Eq. 102)."""
    e = sim.enumerate_layered_logistic(Ws, I, ps, c=c, lam=lam, connection=connection)
    P = e["P"]
    Wd = th.eq98_ensemble_network(Ws, I, ps, c, lam)
    L = []
    for l, (S, O) in enumerate(zip(e["S"], e["O"])):
        ES, EO = P @ S, P @ O
        nw = th.logistic(ES, c, lam)
        L.append({"S": S, "O": O, "ES": ES, "EO": EO, "NWGM": nw, "W": Wd[l],
                  "alpha": EO - nw, "beta": nw - Wd[l], "eps": EO - Wd[l]})
    return L, P, e


# ------------------------------------------------------------------------------------------
# Sections 11.4–11.5: sigmoidal units, complex-step derivatives, small weights
# ------------------------------------------------------------------------------------------


def _cs(f, x, h: float = 1e-30):
    """Elementwise derivative of an elementwise real-analytic f by the complex step."""
    return np.imag(f(np.asarray(x, float) + 1j * h)) / h


def _sigmoid_unit(rng, n: int = 6):
    """A random logistic unit: w, I, t ∈ (0, 1), keep probabilities, c and λ."""
    return (rng.standard_normal(n), rng.standard_normal(n), float(rng.uniform(0.05, 0.95)),
            rng.uniform(0.2, 0.95, n), float(rng.uniform(0.3, 3.0)), float(rng.uniform(0.5, 3.0)))


#: weight scales of the Sections 11.4–11.5 approximations (s → 0: small weights, the regime in
#: which the NWGM and Taylor steps are made)
_SCALES = 0.5 * 0.5 ** np.arange(10)
