"""Section 9.6 of Baldi & Sadowski on synthetic layered logistic networks: the estimates of the
dropout variances and covariances from the deterministic values W (Eq. 117–124), decided by
exact enumeration of every dropout mask. The same section on a dropout-trained classifier is
:mod:`.trained_network`."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import NET_PARAMS, fixed_network
from dropmc.papers.ensemble_averaging._shared import (
    CATALOG,
    _enumerate_network,
    _le,
    _random_layered,
    _search,
)
from dropmc.simulations import ensemble_averaging as sim
from dropmc.simulations import enumeration as _enum
from dropmc.theory import ensemble_averaging as th

# ------------------------------------------------------------------------------------------
# Section 9.6: estimates of variances and covariances (Eq. 117–124)
# ------------------------------------------------------------------------------------------
#
# Evidence: as in :mod:`.cancellation` (every dropout mask of a synthetic layered logistic
# network enumerated); the Taylor steps (Eq. 120–124) by the order of their error as the
# weights (or the one weight w_ij) shrink, judge.order.


def _unit_var(w, I, p, c=1.0, lam=1.0):
    """One logistic unit with node dropout on its inputs, exact: (Var O, E O, W)."""
    w, I, p = (np.asarray(x, float) for x in (w, I, p))
    masks, P = _enum.enumerate_masks(w.size, p)
    O = th.logistic((masks * I) @ w, c, lam)
    EO = float(P @ O)
    return float(P @ (O - EO) ** 2), EO, float(th.logistic(w @ (p * I), c, lam))


def _st_unit():
    from hypothesis import strategies as st

    return st.integers(1, 4).flatmap(lambda n: st.tuples(
        st.lists(st.floats(-6, 6, allow_nan=False), min_size=n, max_size=n),
        st.lists(st.floats(-4, 4, allow_nan=False), min_size=n, max_size=n),
        st.lists(st.floats(0.05, 0.95, allow_nan=False), min_size=n, max_size=n)))


def _eq117_118(ctx: Context, corrected: bool) -> Iterator[CaseResult]:
    def holds(args):
        V, EO, Wd = _unit_var(*args)
        ub = float(th.variance_bound_mean(EO) if corrected else th.eq117_var(Wd))
        return _le(ctx, 0.0, V, scale=ub, tol_scale=0.25) and _le(ctx, V, ub, tol_scale=0.25)

    yield _search(ctx, holds, _st_unit(),
                  {"what": f"0 ≤ Var(O) ≤ {'E(O)(1 − E(O))' if corrected else 'W(1 − W)'}, one "
                           "logistic unit, node dropout on 1–4 inputs, exact"},
                  what="0 ≤ Var(O) ≤ bound")
    rng = ctx.rng()
    for k in range(3):
        Ws, I, ps, c, lam = _random_layered(rng, scale=3.0)
        L, P, _ = _enumerate_network(Ws, I, ps, c, lam)
        for l, Lk in enumerate(L):
            V = P @ (Lk["O"] - Lk["EO"]) ** 2
            ub = th.variance_bound_mean(Lk["EO"]) if corrected else th.eq117_var(Lk["W"])
            j = int(np.argmax(V - ub))
            yield judge.upper_bound({"network": k, "layer": l + 1, "unit": j}, float(ub[j]),
                                    Estimate.exact(V[j], "enumeration", P.size), scale=0.25)
    V, EO, Wd = _unit_var([1.0], [10.0], [0.5])
    ub = float(th.variance_bound_mean(EO) if corrected else th.eq117_var(Wd))
    yield judge.upper_bound({"unit": "w = 1, I = 10, p = ½", "E(O)": round(EO, 4),
                             "W": round(Wd, 4)},
                            ub, Estimate.exact(V, "enumeration", 2), scale=0.25)


@CATALOG.claim(
    "eq117_118.variance_bounds", label="Eq. 117, Eq. 118, Sec. 9.6 (after Eq. 118)",
    kind=Kind.INEQUALITY,
    statement="E(O_iO_i) ≈ W_i, i.e. Var(O_i) ≈ W_i(1 − W_i), and E(O_iO_i) ≈ W_iW_i, i.e. "
              "Var(O_i) ≈ 0, are respectively upper and lower bounds of the dropout variance: "
              "0 ≤ Var(O_i^l) ≤ W_i^l(1 − W_i^l).",
    note="Var(O) ≤ W(1 − W) fails: a unit with w = 1, I = 10, p = ½ has Var(O) = 0.0625 "
         "while W(1 − W) = 0.0066 (W can sit near 0 or 1 while E(O) does not). The lower "
         "bound 0 is trivial, and Var(O) ≤ E(O)(1 − E(O)) is a theorem: see "
         "eq117_118.corrected.")
def eq117_118(ctx: Context) -> Iterator[CaseResult]:
    """The paper says "rough" bounds; checked as bounds (the only reading under which
    "upper/lower bound" says something): a hypothesis search over single logistic units with
    node dropout on 1–4 inputs (exact over the masks), the worst unit of each layer of three
    random 3-3-3-1 networks with large weights, and the case w = 1, I = 10, p = ½: O is σ(10)
    or σ(0) = ½ with equal probability, Var(O) = 0.0625 while W = σ(5), W(1 − W) = 0.0066 —
    nine times smaller. REFUTED as an upper bound (the lower bound 0 is trivial); W can sit
    near 0 or 1 while E(O) does not. Corrected: eq117_118.corrected."""
    return _eq117_118(ctx, corrected=False)


@CATALOG.claim(
    "eq117_118.corrected", label="Eq. 117, Eq. 118", kind=Kind.INEQUALITY, as_printed=False,
    corrects="eq117_118.variance_bounds", fix="rewrite",
    statement="0 ≤ Var(O_i^l) ≤ E(O_i^l)(1 − E(O_i^l)) for every unit (O ∈ [0, 1], so O² ≤ O).")
def eq117_118_corrected(ctx: Context) -> Iterator[CaseResult]:
    """A theorem (E(O²) ≤ E(O) for O ∈ [0, 1]), checked on the same search and cases as
    eq117_118.variance_bounds."""
    return _eq117_118(ctx, corrected=True)


@CATALOG.explorer("eq117_118.variance_bounds", I=(10.0, 0.0, 16.0), w=(1.0, -3.0, 3.0),
                  p=(0.5, 0.05, 0.95))
@CATALOG.explorer("eq117_118.corrected", I=(10.0, 0.0, 16.0), w=(1.0, -3.0, 3.0),
                  p=(0.5, 0.05, 0.95))
def _explore_eq117_118(ctx: Context, I: float, w: float, p: float) -> Point:
    """A logistic unit with one input I, weight w, kept with probability p (O = σ(wI) or
    σ(0) = ½), exact: Var(O) against the printed upper bound W(1 − W) (W = σ(pwI)) and its
    correction E(O)(1 − E(O)). The printed bound fails once |wI| is large (W near 0 or 1
    while E(O) is not); the correction always holds. A point takes about 2 ms."""
    V, EO, Wd = _unit_var([w], [I], [p])
    return Point.bound(float(th.eq117_var(Wd)), side="upper", exact=V,
                       correction=float(th.variance_bound_mean(EO)))


@CATALOG.claim(
    "sec9_6.small_weights", label="Sec. 9.6, after Eq. 118", kind=Kind.APPROXIMATION,
    statement="With very small weights and a standard logistic transfer function, W_i^l = 0.5 "
              "and Var(O_i^l) ≈ 0.")
def sec9_6_small_weights(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Standard logistic (c = λ = 1), 3-3-3-1 networks, all weights scaled by s = 2^{−k},
    k = 0…6, exact enumeration: |W − ½| = O(s) (order 1) and Var(O) = O(s²) (order 2), at
    layers 1 and 3 (judge.order, absolute); W(1 − W) → ¼ meanwhile, so 0 is the better of the
    two estimates of Eq. 117–118 there."""
    ss = 2.0 ** -np.arange(7)
    for k in range(2):
        Ws, I, ps, _, _ = _random_layered(rng, scale=1.5)
        W0, W2, V0, V2 = [], [], [], []
        for s in ss:
            L, P, _ = _enumerate_network([s * W for W in Ws], I, ps, 1.0, 1.0)
            W0.append(float(L[0]["W"][0]))
            W2.append(float(L[2]["W"][0]))
            V0.append(float(P @ (L[0]["O"][:, 0] - L[0]["EO"][0]) ** 2))
            V2.append(float(P @ (L[2]["O"][:, 0] - L[2]["EO"][0]) ** 2))
        for l, Wl, Vl in ((1, W0, V0), (3, W2, V2)):
            yield judge.order({"network": k, "layer": l}, np.full(ss.size, 0.5), Wl, s=ss,
                              claimed=1, name="W → 0.5")
            yield judge.order({"network": k, "layer": l}, np.zeros(ss.size), Vl, s=ss,
                              claimed=2, name="Var(O) → 0")


@CATALOG.explorer("sec9_6.small_weights", s=(0.1, 1 / 256, 4.0), p=(0.7, 0.05, 1.0),
                  what=("Var(O) ≈ 0", "W ≈ ½"), layer=("output", "first"))
def _explore_small_weights(ctx: Context, s: float, p: float, what: str, layer: str) -> Point:
    """With small weights and the standard logistic (c = λ = 1): Var(O) ≈ 0 (second order in
    s) or W ≈ ½ (first order) at the output or at unit 0 of the first layer of the fixed
    3-3-3-1 network of :func:`~._explore.fixed_network` (weights scaled by s), exact (slopes 2 and 1
    on a log scale of s). A point takes about 3 ms."""
    L, P, _, _, _ = fixed_network(s, p, 1.0, 1.0)
    Lk = L[2] if layer == "output" else L[0]
    if what == "W ≈ ½":
        return Point.approximation(0.5, exact=float(Lk["W"][0]), order=1, order_in="s")
    return Point.approximation(0.0, exact=float(P @ (Lk["O"][:, 0] - Lk["EO"][0]) ** 2),
                               order=2, order_in="s")


def _eq119_first(ctx: Context, rng: np.random.Generator, connection: bool) -> Iterator[CaseResult]:
    for k in range(4):
        W1 = rng.standard_normal((3, 3)) * 2
        I, p = rng.standard_normal(3) * 2, rng.uniform(0.3, 0.9, 3)
        c, lam = float(rng.uniform(0.5, 2.0)), float(rng.uniform(0.5, 2.0))
        L, P, _ = _enumerate_network([W1], I, [p], c, lam, connection=connection)
        O = L[0]["O"]
        for i, j in ((0, 1), (1, 2)):
            Eij = float(P @ (O[:, i] * O[:, j]))
            yield judge.identity({"network": k, "pair": (i, j)},
                                 float(L[0]["EO"][i] * L[0]["EO"][j]),
                                 Estimate.exact(Eij, "enumeration", P.size), scale=Eij)
    # a wider first layer by Monte Carlo: 64 sparse inputs in [0, 1] (half zero), keep p = 0.8
    # (the paper's input dropout), 8 units, weights N(0, 4/64); Cov(O_i, O_j) = 0 for all 28 pairs
    W = rng.normal(0, 2 / 8, (8, 64))
    I = rng.uniform(0, 1, 64) * (rng.random(64) < 0.5)
    mc = sim.sample_first_layer_covariances(W, I, 0.8, connection=connection,
                                            n=ctx.budget(100_000, minimum=20_000), rng=rng)
    yield judge.identity_family({"layer": "64 → 8", "p": 0.8, "method": "monte_carlo"},
                                np.zeros(len(mc["pairs"])), mc["cov"],
                                scale=float(np.mean(mc["EO"] * (1 - mc["EO"]))),
                                detail="Cov(O_i, O_j) = 0 for every pair")


@CATALOG.claim(
    "eq119.first_layer_independent", label="Eq. 119, Sec. 9.6 (after Eq. 119)", kind=Kind.IDENTITY,
    statement="E(O_i^l O_j^h) = E(O_i^l)E(O_j^h) is accurate for neurons that are truly "
              "independent of each other, such as pairs of neurons in the first layer.",
    note="False under node dropout, the setting of Section 9: first-layer units share the "
         "input gates, so they are dependent. Under connection dropout they are independent "
         "and the product is exact: see eq119.first_layer_connection_dropout.")
def eq119_first_layer(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Dropout on the nodes (Eq. 98, the setting of Section 9): first-layer units i ≠ j see
    the same input gates δ_k, so O_i and O_j are dependent. Exact enumeration (3 inputs,
    3 units, random p, c, λ): E(O_iO_j) against E(O_i)E(O_j); and Monte Carlo on a layer of
    8 units fed by 64 sparse inputs with the paper's input keep probability 0.8: Cov(O_i, O_j)
    = 0 for all 28 pairs (independent replicates, max-|z| over the family; |z| up to ~100). REFUTED: Cov(O_i, O_j) ≠ 0
    (of the order of the weights' product times Var δ). Under dropout on the connections the
    first-layer units are independent: eq119.first_layer_connection_dropout."""
    return _eq119_first(ctx, rng, connection=False)


@CATALOG.claim(
    "eq119.first_layer_connection_dropout", label="Eq. 119, Sec. 9.6 (after Eq. 119)",
    kind=Kind.IDENTITY, as_printed=False, corrects="eq119.first_layer_independent", fix="scope",
    statement="Under dropout on the connections (one gate per connection), first-layer "
              "neurons are independent: E(O_i^1 O_j^1) = E(O_i^1)E(O_j^1) exactly.")
def eq119_first_layer_connection(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """As eq119.first_layer_independent with one gate per connection (all 2^9 masks, and the
    Monte Carlo 64 → 8 layer): the units' gates are disjoint, so the identity is exact."""
    return _eq119_first(ctx, rng, connection=True)


def _explore_first_layer(s: float, p: float, dropout: str) -> Point:
    """E(O_0O_1) against E(O_0)E(O_1) for two units of the first layer of the fixed 3-3-3-1
    network of :func:`~._explore.fixed_network` (its first layer only, weights scaled by s), under
    node or connection dropout with keep probability p, all masks enumerated."""
    Ws, I, _, _, _ = _random_layered(np.random.default_rng(98), scale=1.5)
    L, P, _ = _enumerate_network([s * Ws[0]], I, [np.full(3, p)], 1.0, 1.0,
                                 connection=dropout == "connections")
    O = L[0]["O"]
    return Point.identity(float(L[0]["EO"][0] * L[0]["EO"][1]),
                          exact=float(P @ (O[:, 0] * O[:, 1])))


@CATALOG.explorer("eq119.first_layer_independent", s=(1.0, 1 / 64, 4.0), p=(0.7, 0.05, 1.0),
                  dropout=("nodes", "connections"))
def _explore_eq119_first(ctx: Context, s: float, p: float, dropout: str) -> Point:
    """E(O_iO_j) = E(O_i)E(O_j) for two first-layer units (Eq. 119, after it): under node
    dropout (Section 9's setting) they share the input gates and the product fails (except
    at p = 1); under connection dropout (eq119.first_layer_connection_dropout) it is exact.
    Exact enumeration; the weights scaled by s. A point takes about 3 ms."""
    return _explore_first_layer(s, p, dropout)


@CATALOG.explorer("eq119.first_layer_connection_dropout", s=(1.0, 1 / 64, 4.0),
                  p=(0.7, 0.05, 1.0), dropout=("connections", "nodes"))
def _explore_eq119_connection(ctx: Context, s: float, p: float, dropout: str) -> Point:
    """E(O_iO_j) = E(O_i)E(O_j) for two first-layer units under connection dropout, exact
    (disjoint gates); under node dropout (the drop-down's other option, the printed claim's
    setting) it fails. Exact enumeration; the weights scaled by s. A point takes about
    3 ms."""
    return _explore_first_layer(s, p, dropout)


def _scaled_pairs(rng, forms: dict, claimed: dict, c1: bool = True) -> Iterator[CaseResult]:
    """For 3-3-3-1 networks with all weights scaled by s = 2^{−k}, k = 0…6: exact E(O_iO_j)
    of a connected pair (j = unit 0 of layer h, i = unit 0 of layer h + 1, h = 1, 2) against
    each approximation in ``forms`` (name → f(L, P, e, Ws, ps, h, c, lam) → value), judged by
    order ``claimed[name]`` (absolute)."""
    ss = 2.0 ** -np.arange(7)
    for k in range(2):
        Ws, I, ps, c, lam = _random_layered(rng, scale=1.5)
        if c1:
            c, lam = 1.0, 1.0
        for h in (1, 2):
            ex = []
            ap = {n: [] for n in forms}
            for s in ss:
                Wss = [s * W for W in Ws]
                L, P, e = _enumerate_network(Wss, I, ps, c, lam)
                ex.append(float(P @ (L[h]["O"][:, 0] * L[h - 1]["O"][:, 0])))
                for n, f in forms.items():
                    ap[n].append(f(L, P, e, Wss, ps, h, c, lam))
            for n in forms:
                yield judge.order({"network": k, "pair": f"(l{h + 1}u0, l{h}u0)", "c": c, "lam": lam},
                                  ap[n], ex, s=ss, claimed=claimed[n], name=n)


def _partial_sums(L, e, Ws, ps, h):
    """Per mask: A = S_i − w_ij δ_j O_j (i = unit 0 of layer h + 1, j = unit 0 of layer h),
    w_ij, and δ_jO_j."""
    n_in = len(ps[0])
    off = n_in + sum(len(p) for p in ps[1:h])
    dOj = e["gates"][:, off] * L[h - 1]["O"][:, 0]
    w = float(np.atleast_2d(Ws[h])[0, 0])
    return L[h]["S"][:, 0] - w * dOj, w, dOj


def _W_ij(L, Ws, ps, h, c, lam):
    return th.eq121_removed_from_row(np.atleast_2d(Ws[h])[0], ps[h], L[h - 1]["W"], 0, c, lam)


@CATALOG.claim(
    "eq119.independence_approximation", label="Eq. 119, Sec. 9.6 (after Eq. 119)",
    kind=Kind.APPROXIMATION,
    statement="For two different neurons, E(O_i^l O_j^h) ≈ E(O_i^l)E(O_j^h) ≈ W_i^l W_j^h, "
              "approximately true for loosely coupled pairs and still holding for directly "
              "connected neurons.",
    note="Holds to second order in the weights, for unconnected and for connected pairs.")
def eq119_approx(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """3-3-3-1 networks (random p, c, λ), all masks, every weight scaled by s = 2^{−k},
    k = 0…6: |E(O_iO_j) − W_iW_j| = O(s²) (judge.order, absolute, order 2) for an unconnected
    pair in layer 2, a pair two layers apart (layer 1 – layer 3) and the connected pairs
    (layer 1 → 2, layer 2 → 3). Second order: the same order as the error of W ≈ E(O)
    itself (eq99_102.dropout_induction)."""
    ss = 2.0 ** -np.arange(9)
    pairs = {"layer 2 (0, 1)": ((1, 0), (1, 1)), "layer 1 – layer 3": ((0, 0), (2, 0)),
             "connected 1 → 2": ((0, 0), (1, 0)), "connected 2 → 3": ((1, 0), (2, 0))}
    for k in range(2):
        Ws, I, ps, c, lam = _random_layered(rng, scale=1.5)
        ex = {n: [] for n in pairs}
        ap = {n: [] for n in pairs}
        for s in ss:
            L, P, _ = _enumerate_network([s * W for W in Ws], I, ps, c, lam)
            for n, ((la, ia), (lb, ib)) in pairs.items():
                ex[n].append(float(P @ (L[la]["O"][:, ia] * L[lb]["O"][:, ib])))
                ap[n].append(float(th.eq119_pair(L[la]["W"][ia], L[lb]["W"][ib])))
        for n in pairs:
            yield judge.order({"network": k, "pair": n, "c": c, "lam": lam}, ap[n], ex[n],
                              s=ss, claimed=2, name="E(O_iO_j) ≈ W_iW_j")


#: the pairs (layer, unit) of the eq119.independence_approximation explorer
_EQ119_PAIRS = {"layer 2 (0, 1)": ((1, 0), (1, 1)), "layer 1 – layer 3": ((0, 0), (2, 0)),
                "connected 1 → 2": ((0, 0), (1, 0)), "connected 2 → 3": ((1, 0), (2, 0))}


@CATALOG.explorer("eq119.independence_approximation", **NET_PARAMS, pair=tuple(_EQ119_PAIRS))
def _explore_eq119_approx(ctx: Context, s: float, p: float, c: float, lam: float,
                          pair: str) -> Point:
    """E(O_iO_j) ≈ W_iW_j for a pair of units of the fixed 3-3-3-1 network of
    :func:`~._explore.fixed_network` (weights scaled by s), exact: the error is of second order in s
    for unconnected and connected pairs alike (slope 2 on a log scale of s). A point takes about
    3 ms."""
    L, P, _, _, _ = fixed_network(s, p, c, lam)
    (la, ia), (lb, ib) = _EQ119_PAIRS[pair]
    return Point.approximation(float(th.eq119_pair(L[la]["W"][ia], L[lb]["W"][ib])),
                               exact=float(P @ (L[la]["O"][:, ia] * L[lb]["O"][:, ib])),
                               order=2, order_in="s")


@CATALOG.claim(
    "eq120.isolating_j", label="Eq. 120", kind=Kind.APPROXIMATION,
    statement="O_i^l = σ(Σ_{k≠j} w_ik δ_k O_k + w_ij δ_j O_j^h) ≈ σ(Σ_{k≠j} w_ik δ_k O_k) + "
              "σ'(Σ_{k≠j} w_ik δ_k O_k) w_ij δ_j O_j^h, a first-order Taylor approximation, more "
              "accurate when w_ij or O_j^h are small.")
def eq120(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """3-3-3-1 networks (random p, c, λ), all masks: the largest error over the masks of
    the expansion, (i) with the one weight w_ij scaled by t = 2^{−k}, k = 0…6, and the error
    is O(t²) (judge.order, absolute, order 2); (ii) for every mask the Taylor remainder
    obeys |error| ≤ ½ sup|σ''| (w_ij δ_j O_j)², sup|σ''| = λ²/(6√3) — small when w_ij or O_j
    is small (the ratio error/bound ≤ 1, exact). For j in layer 1 → i in layer 2 and j in
    layer 2 → i in layer 3."""
    ts = 2.0 ** -np.arange(7)
    for k in range(2):
        Ws, I, ps, c, lam = _random_layered(rng, scale=1.5)
        for h in (1, 2):
            ex, ap = [], []
            for t in ts:
                Wt = [W.copy() for W in Ws]
                Wt[h][0, 0] *= t
                L, P, e = _enumerate_network(Wt, I, ps, c, lam)
                A, w, dOj = _partial_sums(L, e, Wt, ps, h)
                err = L[h]["O"][:, 0] - th.eq120_taylor(A, w, dOj, c, lam)
                j = int(np.argmax(np.abs(err)))
                ex.append(float(L[h]["O"][j, 0]))
                ap.append(float(L[h]["O"][j, 0] - err[j]))
            yield judge.order({"network": k, "j": f"layer {h} unit 0", "what": "w_ij → 0"},
                              ap, ex, s=ts, claimed=2, name="Eq. 120 (max over masks)")
            L, P, e = _enumerate_network(Ws, I, ps, c, lam)
            A, w, dOj = _partial_sums(L, e, Ws, ps, h)
            err = np.abs(L[h]["O"][:, 0] - th.eq120_taylor(A, w, dOj, c, lam))
            bound = lam ** 2 / (12 * math.sqrt(3)) * (w * dOj) ** 2
            ratio = float(np.max(np.where(bound > 0, err / np.maximum(bound, 1e-300), 0.0)))
            yield judge.upper_bound({"network": k, "j": f"layer {h} unit 0",
                                     "what": "|error| ≤ ½ sup|σ''| (w_ij δ_j O_j)²"},
                                     1.0, Estimate.exact(ratio, "enumeration", P.size),
                                    detail=f"largest error / bound over the masks {ratio:.3g}")


@CATALOG.explorer("eq120.isolating_j", t=(0.25, 1 / 256, 2.0), p=(0.7, 0.05, 1.0),
                  pair=("layer 1 → 2", "layer 2 → 3"))
def _explore_eq120(ctx: Context, t: float, p: float, pair: str) -> Point:
    """Eq. 120's first-order Taylor step in the one weight w_ij (j = unit 0 of layer h,
    i = unit 0 of layer h + 1, ``pair``), scaled by t, on the fixed 3-3-3-1 network of
    :func:`~._explore.fixed_network` (c = λ = 1): O_i against σ(A) + σ'(A)w_ijδ_jO_j at the mask
    where the step errs most, exact; the error is of second order in t (slope 2 on a log scale of
    t). A point takes about 3 ms."""
    h = 1 if pair == "layer 1 → 2" else 2

    def edit(Ws):
        Ws[h][0, 0] *= t
    L, P, e, Ws, ps = fixed_network(1.0, p, 1.0, 1.0, edit=edit)
    A, w, dOj = _partial_sums(L, e, Ws, ps, h)
    err = L[h]["O"][:, 0] - th.eq120_taylor(A, w, dOj)
    j = int(np.argmax(np.abs(err)))
    return Point.approximation(float(L[h]["O"][j, 0] - err[j]), exact=float(L[h]["O"][j, 0]),
                               order=2, order_in="t")


@CATALOG.claim(
    "eq121.removed_unit", label="Eq. 121", kind=Kind.APPROXIMATION,
    statement="E(σ(Σ_{f<l} Σ_{k≠j} w_ik δ_k O_k)) ≈ σ(E(Σ_{k≠j} w_ik δ_k O_k)) = "
              "σ(Σ_{k≠j} w_ik p_k W_k) = W_ij^{lh}, the deterministic activation of neuron i "
              "when neuron j is removed from its inputs.")
def eq121(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """3-3-3-1 networks (random p, c, λ), all masks, j = unit 0 of layer h, i = unit 0 of
    layer h + 1 (h = 1, 2). Exact: W_ij = σ(Σ_{k≠j} w p W) is the forward propagation of the
    ensemble network with w_ij set to 0. The "≈" and the printed "=" (E(O_k) ≈ W_k, the
    induction): with every weight scaled by s = 2^{−k}, k = 0…8, |E σ(A) − W_ij| = O(s²)
    (judge.order, absolute, order 2)."""
    for k in range(2):
        Ws, I, ps, c, lam = _random_layered(rng)
        L, _, _ = _enumerate_network(Ws, I, ps, c, lam)
        for h in (1, 2):
            Wz = [W.copy() for W in Ws]
            Wz[h][0, 0] = 0.0
            fwd = th.eq98_ensemble_network(Wz, I, ps, c, lam)[h][0]
            yield judge.exact({"network": k, "h": h, "eq": "W_ij = forward with w_ij = 0"},
                              _W_ij(L, Ws, ps, h, c, lam), float(fwd))

    ss = 2.0 ** -np.arange(9)
    for k in range(2):
        Ws, I, ps, c, lam = _random_layered(rng, scale=1.5)
        for h in (1, 2):
            ex, ap = [], []
            for s in ss:
                Wss = [s * W for W in Ws]
                L, P, e = _enumerate_network(Wss, I, ps, c, lam)
                A, _, _ = _partial_sums(L, e, Wss, ps, h)
                ex.append(float(P @ th.logistic(A, c, lam)))
                ap.append(_W_ij(L, Wss, ps, h, c, lam))
            yield judge.order({"network": k, "h": h, "c": c, "lam": lam}, ap, ex, s=ss,
                              claimed=2, name="E σ(A) ≈ W_ij")


@CATALOG.explorer("eq121.removed_unit", **NET_PARAMS, pair=("layer 1 → 2", "layer 2 → 3"))
def _explore_eq121(ctx: Context, s: float, p: float, c: float, lam: float, pair: str) -> Point:
    """E σ(A) ≈ W_ij (Eq. 121: unit i's expected output with unit j removed from its inputs,
    against the deterministic activation without j), on the fixed 3-3-3-1 network of
    :func:`~._explore.fixed_network` (weights scaled by s), exact: the error is of second order in s
    (slope 2 on a log scale of s). A point takes about 3 ms."""
    h = 1 if pair == "layer 1 → 2" else 2
    L, P, e, Ws, ps = fixed_network(s, p, c, lam)
    A, _, _ = _partial_sums(L, e, Ws, ps, h)
    return Point.approximation(_W_ij(L, Ws, ps, h, c, lam), exact=float(P @ th.logistic(A, c, lam)),
                               order=2, order_in="s")


@CATALOG.claim(
    "eq122.first_order_removal", label="Eq. 122", kind=Kind.APPROXIMATION,
    statement="Using a first-order Taylor expansion, W_ij^{lh} ≈ W_i^l − σ'(U_i^l) w_ij^{lh} p_j^h W_j^h.")
def eq122(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Deterministic ensemble networks 3-3-3-1 (random p, c, λ): W_ij (w_ij removed) against
    Eq. 122 with U_i = Σ w p W, with the one weight w_ij scaled by t = 2^{−k}, k = 0…6: the
    error is O(t²) (judge.order, absolute, order 2), j = unit 0 of layers 1 and 2."""
    ts = 2.0 ** -np.arange(7)
    for k in range(3):
        Ws, I, ps, c, lam = _random_layered(rng, scale=1.5)
        for h in (1, 2):
            ex, ap = [], []
            for t in ts:
                Wt = [W.copy() for W in Ws]
                Wt[h][0, 0] *= t
                Wd = th.eq98_ensemble_network(Wt, I, ps, c, lam)
                U = float(np.atleast_2d(Wt[h])[0] @ (ps[h] * Wd[h - 1]))
                ex.append(th.eq121_removed_from_row(Wt[h][0], ps[h], Wd[h - 1], 0, c, lam))
                ap.append(th.eq122(float(Wd[h][0]), U, float(Wt[h][0, 0]), float(ps[h][0]),
                                   float(Wd[h - 1][0]), c, lam))
            yield judge.order({"network": k, "h": h}, ap, ex, s=ts, claimed=2,
                              name="W_ij ≈ W_i − σ'(U_i) w_ij p_j W_j")


@CATALOG.explorer("eq122.first_order_removal", t=(0.25, 1 / 256, 2.0), p=(0.7, 0.05, 1.0),
                  c=(1.0, 0.2, 5.0), lam=(1.0, 0.2, 3.0), pair=("layer 1 → 2", "layer 2 → 3"))
def _explore_eq122(ctx: Context, t: float, p: float, c: float, lam: float, pair: str) -> Point:
    """W_ij ≈ W_i − σ'(U_i)w_ijp_jW_j (Eq. 122) with the one weight w_ij scaled by t, on the
    deterministic ensemble network of the fixed 3-3-3-1 network of :func:`~._explore.fixed_network`:
    the error is of second order in t (slope 2 on a log scale of t). A point takes about 3 ms."""
    h = 1 if pair == "layer 1 → 2" else 2
    Ws, I, _, _, _ = _random_layered(np.random.default_rng(98), scale=1.5)
    Ws = [W.copy() for W in Ws]
    Ws[h][0, 0] *= t
    ps = [np.full(3, p) for _ in range(3)]
    Wd = th.eq98_ensemble_network(Ws, I, ps, c, lam)
    U = float(np.atleast_2d(Ws[h])[0] @ (ps[h] * Wd[h - 1]))
    return Point.approximation(
        th.eq122(float(Wd[h][0]), U, float(Ws[h][0, 0]), p, float(Wd[h - 1][0]), c, lam),
        exact=th.eq121_removed_from_row(Ws[h][0], ps[h], Wd[h - 1], 0, c, lam), order=2,
        order_in="t")


def _eq123_form(X: str):
    def f(L, P, e, Ws, ps, h, c, lam):
        A, w, _ = _partial_sums(L, e, Ws, ps, h)
        x = float(P @ (th.logistic(A, c, lam) if X == "sigma" else th.dsigma(A, c, lam)))
        EOjOj = float(P @ L[h - 1]["O"][:, 0] ** 2)
        return th.eq123(_W_ij(L, Ws, ps, h, c, lam), float(L[h - 1]["W"][0]), x, w,
                        float(ps[h][0]), EOjOj)
    return f


@CATALOG.claim(
    "eq123.connected_pair", label="Eq. 123", kind=Kind.APPROXIMATION,
    statement="E(O_i^l O_j^h) ≈ W_ij^{lh} W_j^h + E(σ(Σ_{f<l} Σ_{k≠j} w_ik δ_k O_k)) "
              "w_ij^{lh} p_j^h E(O_j^h O_j^h).",
    note="Has E(σ(·)) where the expansion (Eq. 120) gives E(σ'(·)): as printed its error is of "
         "first order in the weights, corrected of second order. See eq123.corrected.")
def eq123_printed(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """As printed. Eq. 123 is the expectation of O_j times Eq. 120, so its second term should
    carry the derivative: w_ij p_j E(σ'(A)) E(O_jO_j). Criterion: the formula refines the
    leading term (Eq. 124) by the first-order term of Eq. 120, so its error must be of second
    order in the weights. Standard logistic (c = λ = 1), 3-3-3-1 networks, all masks, every
    weight scaled by s = 2^{−k}, k = 0…6, connected pairs (j in layer h = 1, 2, i in layer
    h + 1): REFUTED — the printed form errs by w_ij p_j [E σ(A) − E σ'(A)] E(O_j²), of first
    order (at s → 0: w p (½ − ¼) E(O_j²)); see eq123.corrected."""
    return _scaled_pairs(rng, {"Eq. 123 as printed (E σ(A))": _eq123_form("sigma")},
                         {"Eq. 123 as printed (E σ(A))": 2})


@CATALOG.claim(
    "eq123.corrected", label="Eq. 123", kind=Kind.APPROXIMATION, as_printed=False,
    corrects="eq123.connected_pair", fix="misprint",
    statement="E(O_i^l O_j^h) ≈ W_ij^{lh} W_j^h + E(σ'(Σ_{f<l} Σ_{k≠j} w_ik δ_k O_k)) "
              "w_ij^{lh} p_j^h E(O_j^h O_j^h), with an error of second order in the weights.")
def eq123_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: multiply Eq. 120 by O_j and take expectations; the first term is
    E σ(A)E(O_j) ≈ W_ijW_j (A treated as independent of O_j), the second w_ij E(σ'(A)δ_jO_j²)
    ≈ w_ij p_j E(σ'(A)) E(O_j²). Same cases as eq123.connected_pair: error O(s²)."""
    return _scaled_pairs(rng, {"Eq. 123 with E σ'(A)": _eq123_form("dsigma")},
                         {"Eq. 123 with E σ'(A)": 2})


@CATALOG.explorer("eq123.connected_pair", s=(0.5, 1 / 256, 4.0), p=(0.7, 0.05, 1.0),
                  pair=("layer 1 → 2", "layer 2 → 3"))
@CATALOG.explorer("eq123.corrected", s=(0.5, 1 / 256, 4.0), p=(0.7, 0.05, 1.0),
                  pair=("layer 1 → 2", "layer 2 → 3"))
def _explore_eq123(ctx: Context, s: float, p: float, pair: str) -> Point:
    """E(O_iO_j) for a connected pair (j = unit 0 of layer h, i = unit 0 of layer h + 1) of
    the fixed 3-3-3-1 network of :func:`~._explore.fixed_network` (weights scaled by s, c = λ = 1),
    exact, against Eq. 123 as printed (with E σ(A)) and its correction (with E σ'(A)): the
    printed form errs at first order in s, the correction at second (slope 2 on a log scale
    of s). A point takes about 3 ms."""
    h = 1 if pair == "layer 1 → 2" else 2
    L, P, e, Ws, ps = fixed_network(s, p, 1.0, 1.0)
    exact = float(P @ (L[h]["O"][:, 0] * L[h - 1]["O"][:, 0]))
    return Point.approximation(_eq123_form("sigma")(L, P, e, Ws, ps, h, 1.0, 1.0), exact=exact,
                               correction=_eq123_form("dsigma")(L, P, e, Ws, ps, h, 1.0, 1.0),
                               order=2, order_in="s")


@CATALOG.claim(
    "eq124.leading_term", label="Eq. 124, Sec. 9.6 (after Eq. 123)", kind=Kind.APPROXIMATION,
    statement="To a leading term approximation, E(O_i^l O_j^h) ≈ W_ij^{lh} W_j^h.",
    note="Only of first order in the weights, while Eq. 119's uncorrected W_iW_j is of second "
         "order on the same connected pairs: for small weights W_iW_j is the better estimate.")
def eq124(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Leading term: the error is of first order in the weights (the neglected term w_ij p_j
    E(σ'(A)) E(O_j²) is first order), so |E(O_iO_j) − W_ijW_j| = O(s) (judge.order, absolute,
    order 1) on the cases of eq123.connected_pair. Measured beside it: Eq. 119's W_iW_j is
    second order on the same pairs (eq119.independence_approximation) — for small weights the
    uncorrected W_iW_j is the better estimate, as Fig. 9.14 reports at the beginning of
    learning."""
    def f(L, P, e, Ws, ps, h, c, lam):
        return float(th.eq124_pair(_W_ij(L, Ws, ps, h, c, lam), float(L[h - 1]["W"][0])))
    return _scaled_pairs(rng, {"Eq. 124 W_ijW_j": f}, {"Eq. 124 W_ijW_j": 1})


@CATALOG.explorer("eq124.leading_term", s=(0.5, 1 / 256, 4.0), p=(0.7, 0.05, 1.0),
                  pair=("layer 1 → 2", "layer 2 → 3"))
def _explore_eq124(ctx: Context, s: float, p: float, pair: str) -> Point:
    """E(O_iO_j) ≈ W_ijW_j (Eq. 124, the leading term) for a connected pair of the fixed
    3-3-3-1 network of :func:`~._explore.fixed_network` (weights scaled by s, c = λ = 1), exact: the
    error is of first order in s (slope 1 on a log scale of s). A point takes about 3 ms."""
    h = 1 if pair == "layer 1 → 2" else 2
    L, P, e, Ws, ps = fixed_network(s, p, 1.0, 1.0)
    return Point.approximation(float(th.eq124_pair(_W_ij(L, Ws, ps, h, 1.0, 1.0),
                                                   float(L[h - 1]["W"][0]))),
                               exact=float(P @ (L[h]["O"][:, 0] * L[h - 1]["O"][:, 0])), order=1,
                               order_in="s")
