"""Section 10 of Baldi & Sadowski: spiking neurons and backpercolation (Eq. 125–138)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate, mean_estimate
from dropmc.explore import Point
from dropmc.papers.ensemble_averaging._explore import o_law
from dropmc.papers.ensemble_averaging._shared import CATALOG, _le, _search, _vector_case
from dropmc.simulations import ensemble_averaging as sim
from dropmc.simulations import enumeration as _enum
from dropmc.theory import ensemble_averaging as th

# ------------------------------------------------------------------------------------------
# Section 10: spiking neurons and backpercolation (Eq. 125–138)
# ------------------------------------------------------------------------------------------
#
# Evidence: exact enumeration of every spiking (coin-flip) configuration or dropout mask of
# small networks, so the identities are decided to floating-point precision; the "≈" of
# Eq. 132 / Fig. 10.2 by the order of its error as the weights shrink (scale s → 0).


def _random_two_layer(rng, n_in: int = 3, h: int = 3, scale: float = 1.0):
    """A random two-layer spiking/dropout network: weights, input firing probabilities O_in,
    spike sizes (keep probabilities) r_in, r_h in (0.2, 1], random c, λ."""
    W1 = scale * rng.standard_normal((h, n_in))
    w2 = scale * rng.standard_normal(h)
    O_in = rng.uniform(0.1, 0.9, n_in)
    r_in = rng.uniform(0.2, 1.0, n_in)
    r_h = rng.uniform(0.2, 1.0, h)
    c, lam = float(rng.uniform(0.5, 2.0)), float(rng.uniform(0.5, 2.0))
    return W1, w2, O_in, r_in, r_h, c, lam


def _spiking_enum(W1, w2, O_in, r_in, r_h, c, lam, *, connection: bool = False) -> dict:
    """Exact enumeration of a two-layer spiking network (Eq. 125–129): input unit j spikes
    r_j with probability O_in_j (global, one coin per unit; ``connection=True``: one coin per
    input→hidden connection, size r_in[i, j]); hidden unit i spikes r_h_i with probability
    O_i = σ(S_i); the output O = σ(S_out). Returns the law of (S_h, O_h, Δ_h, S_out, O_out)."""
    h, n_in = W1.shape
    if connection:
        m, pin = _enum.enumerate_masks(h * n_in, np.tile(O_in, h))
        D = m.reshape(-1, h, n_in) * np.asarray(r_in, float)[None]
        S1 = np.einsum("ij,kij->ki", W1, D)
    else:
        m, pin = _enum.enumerate_masks(n_in, O_in)
        S1 = (m * r_in) @ W1.T
    O1 = th.logistic(S1, c, lam)
    hm, _ = _enum.enumerate_masks(h, 0.5)
    hm = hm.astype(float)
    # probability of hidden spike pattern hm given O1: Π O^δ (1 − O)^(1 − δ)
    ph = np.prod(np.where(hm[None] > 0, O1[:, None, :], 1 - O1[:, None, :]), axis=2)
    prob = (pin[:, None] * ph).ravel()
    Dh = np.broadcast_to(hm[None] * r_h, (S1.shape[0],) + hm.shape).reshape(-1, h)
    S2 = Dh @ w2
    return {"prob": prob, "S1": np.repeat(S1, hm.shape[0], 0), "O1": np.repeat(O1, hm.shape[0], 0),
            "D1": Dh, "S2": S2, "O2": th.logistic(S2, c, lam)}


def _dropout_enum(W1, w2, O_in, r_in, r_h, c, lam) -> float:
    """E(O_out) of the dropout network of Fig. 10.2 (input j sends O_in_j with probability
    r_in_j, hidden unit i sends O_i with probability r_h_i), all 2^(n_in + h) masks."""
    h, n_in = W1.shape
    m, pr = _enum.enumerate_masks(n_in + h, np.concatenate([r_in, r_h]))
    O1 = th.logistic((m[:, :n_in] * O_in) @ W1.T, c, lam)
    return float(pr @ th.logistic((m[:, n_in:] * O1) @ w2, c, lam))


@CATALOG.claim(
    "eq130_134.spiking_means", label="Eq. 130, Eq. 131, Eq. 132, Eq. 133, Eq. 134",
    kind=Kind.IDENTITY,
    statement="In a spiking network, E(Δ_i^h) = r_i^h E(O_i^h) (global) or E(Δ_ji^h) = "
              "r_ji^h E(O_i^h) (connection-specific); E(S_i^h) = Σ_{l<h} Σ_j w_ij^{hl} r_j^l "
              "E(O_j^l) (or with r_ij^l); and NWGM(O_i^h) = σ(E(S_i^h)).")
def eq130_134(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Two-layer spiking networks (3 spiking inputs with firing probabilities O_in, 3 spiking
    hidden units, a logistic output; random weights, spike sizes r ∈ (0.2, 1], c, λ), every
    spiking configuration enumerated (64 global, 4096 connection-specific): Eq. 130/131 for the
    hidden spikes, Eq. 133/134 for the hidden and output sums, and the equality of Eq. 132,
    NWGM(O_out) over the configurations = σ(E(S_out)), all exact."""
    for k in range(2):
        W1, w2, O_in, r_in, r_h, c, lam = _random_two_layer(rng)
        for conn in (False, True):
            rin = rng.uniform(0.2, 1.0, W1.shape) if conn else r_in
            e = _spiking_enum(W1, w2, O_in, rin, r_h, c, lam, connection=conn)
            P = e["prob"]
            EO1 = P @ e["O1"]
            prm = {"network": k, "firing": "connection-specific" if conn else "global", "c": c,
                   "lam": lam}
            yield _vector_case(ctx, {**prm, "eq": "130/131: E(Δ) = rE(O), hidden"},
                           r_h * EO1, P @ e["D1"], float(np.max(r_h)))
            ES1 = (W1 * rin) @ O_in if conn else W1 @ (r_in * O_in)
            sc1 = float(np.max(np.abs(W1) @ np.ones(W1.shape[1])))
            yield _vector_case(ctx, {**prm, "eq": "133/134: E(S), hidden"}, ES1, P @ e["S1"], sc1)
            ES2 = float(P @ e["S2"])
            yield _vector_case(ctx, {**prm, "eq": "133: E(S_out) = Σ w r E(O)"},
                           [w2 @ (r_h * EO1)], [ES2], float(np.abs(w2).sum()))
            nw = th.weighted_means(e["O2"], P / P.sum())["NWGM"]
            yield judge.identity({**prm, "eq": "132: NWGM(O_out) = σ(E(S_out))"},
                                 float(th.logistic(ES2, c, lam)), Estimate.exact(nw,
                                                                                 "enumeration", P.size),
                                 rtol=1e-9)


def _explore_spiking_net(s: float, r: float):
    """The fixed two-layer spiking network of the Section 10 explorers (3 inputs, 3 hidden
    units, a logistic output; weights, firing probabilities and c, λ drawn as
    :func:`_random_two_layer` draws them from seed 130), weights scaled by s and every spike
    of size r: (W1, w2, O_in, r_in, r_h, c, λ)."""
    W1, w2, O_in, _, _, c, lam = _random_two_layer(np.random.default_rng(130))
    return s * W1, s * w2, O_in, np.full(W1.shape[1], r), np.full(W1.shape[0], r), c, lam


@CATALOG.explorer("eq130_134.spiking_means", s=(1.0, 0.05, 4.0), r=(0.6, 0.05, 1.0),
                  firing=("global", "connection-specific"),
                  quantity=("NWGM(O_out) = σ(E(S_out))", "E(S_out) = Σ w r E(O)"))
def _explore_eq130(ctx: Context, s: float, r: float, firing: str, quantity: str) -> Point:
    """A two-layer spiking network (:func:`_explore_spiking_net`, weights scaled by s, spikes
    of size r, one coin per unit or per connection), every spiking configuration enumerated:
    Eq. 132's NWGM(O_out) = σ(E(S_out)), or Eq. 133's E(S_out) = Σ w r E(O) over the hidden
    units, exactly. A point takes about 5 ms."""
    W1, w2, O_in, r_in, r_h, c, lam = _explore_spiking_net(s, r)
    conn = firing == "connection-specific"
    e = _spiking_enum(W1, w2, O_in, np.full(W1.shape, r) if conn else r_in, r_h, c, lam,
                      connection=conn)
    P = e["prob"]
    ES2 = float(P @ e["S2"])
    if quantity.startswith("NWGM"):
        return Point.identity(float(th.logistic(ES2, c, lam)),
                              exact=th.weighted_means(e["O2"], P / P.sum())["NWGM"])
    return Point.identity(float(w2 @ (r_h * (P @ e["O1"]))), exact=ES2)


@CATALOG.claim(
    "eq132.deterministic_approximation", label="Eq. 132, Eq. 133, Fig. 10.2", kind=Kind.APPROXIMATION,
    statement="Deterministic propagation in the logistic network with weights w_ij^{hl} r_j^l "
              "(E(O_i^h) ≈ NWGM(O_i^h) = σ(E(S_i^h)), applied layer by layer) approximates the "
              "average output of both the spiking network and the dropout network.",
    note="Holds to second order in the weights for both stochastic networks: |E(O_out) − W_out| "
         "falls like s² as the weights are scaled by s.")
def eq132_approx(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The quality of the approximation "is determined by the quality of the approximations
    of the expectations by the NWGMs", which are second order in the spread of the inputs
    (Section 8: E − NWGM ≈ V(1 − 2E)/(1 − 2V)). Criterion: with all weights scaled by
    s = 2^{−k}, k = 0…6, |E(O_out) − W_out| = O(s²) (judge.order, absolute, order 2) for the
    spiking network (global firing, enumerated) and for the dropout network (enumerated), on
    two random networks; a first-order error fails."""
    ss = 2.0 ** -np.arange(7)
    for k in range(2):
        W1, w2, O_in, r_in, r_h, c, lam = _random_two_layer(rng, scale=1.5)
        ex_s, ex_d, det = [], [], []
        for s in ss:
            e = _spiking_enum(s * W1, s * w2, O_in, r_in, r_h, c, lam)
            ex_s.append(float(e["prob"] @ e["O2"]))
            ex_d.append(_dropout_enum(s * W1, s * w2, O_in, r_in, r_h, c, lam))
            det.append(th.eq133_ensemble_forward(s * W1, s * w2, O_in, r_in, r_h, c, lam)["W2"])
        prm = {"network": k, "c": c, "lam": lam}
        yield judge.order({**prm, "network type": "spiking"}, det, ex_s, s=ss, claimed=2,
                          name="spiking E(O) ≈ W")
        yield judge.order({**prm, "network type": "dropout"}, det, ex_d, s=ss, claimed=2,
                          name="dropout E(O) ≈ W")


@CATALOG.explorer("eq132.deterministic_approximation", s=(0.5, 1 / 128, 4.0),
                  r=(0.6, 0.05, 1.0), network=("spiking", "dropout"))
def _explore_eq132(ctx: Context, s: float, r: float, network: str) -> Point:
    """The deterministic logistic network with weights w·r (Eq. 133) against the average
    output of the spiking or the dropout network (:func:`_explore_spiking_net`, weights
    scaled by s, spikes / keep probabilities r), every configuration enumerated: the error is
    of second order in s (slope 2 on a log scale of s). A point takes about 5 ms."""
    W1, w2, O_in, r_in, r_h, c, lam = _explore_spiking_net(s, r)
    if network == "spiking":
        e = _spiking_enum(W1, w2, O_in, r_in, r_h, c, lam)
        ex = float(e["prob"] @ e["O2"])
    else:
        ex = _dropout_enum(W1, w2, O_in, r_in, r_h, c, lam)
    return Point.approximation(th.eq133_ensemble_forward(W1, w2, O_in, r_in, r_h, c, lam)["W2"],
                               exact=ex, order=2, order_in="s")


@CATALOG.claim(
    "eq135_138.signal_moments", label="Eq. 135, Eq. 136, Eq. 137, Eq. 138", kind=Kind.IDENTITY,
    statement="A spiking neuron's signal has mean rO and variance r²O(1 − O) for fixed O, "
              "mean rE(O) and variance r²E(O)(1 − E(O)) over the spiking configurations; a "
              "dropout neuron's has mean rO and variance O²r(1 − r) for fixed O, mean rE(O) "
              "and variance r Var(O) + E(O)²r(1 − r) over the dropout configurations.",
    note="Eq. 135–138 hold as printed, Eq. 138's \"r Var\" read as r_i^h Var(O_i^h).")
def eq135_138(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """O with a random discrete law (5 values in (0, 1), Dirichlet weights; O varies with
    the dropout/spiking of the layers below), r ∈ (0.1, 1): the signal Δ = r·coin(O)
    (spiking) or δ·O with δ ~ Bernoulli(r) (dropout) enumerated over (O, coin), its mean
    and variance for each fixed O and over the joint law, against Eq. 135–138 (exact)."""
    for k in range(4):
        O = rng.uniform(0.02, 0.98, 5)
        P = rng.dirichlet(np.ones(5))
        r = float(rng.uniform(0.1, 1.0))
        # joint law over (O_a, coin): coin = 1 w.p. O_a (spiking) or r (dropout)
        for kind, pk, val, mom in (("spiking", O, r * np.ones(5), th.eq135_136_spike_moments),
                                   ("dropout", np.full(5, r), O, th.eq137_138_dropout_moments)):
            vals = np.concatenate([val, np.zeros(5)])
            cond = np.concatenate([pk, 1 - pk])  # P(signal | O_a)
            probs = np.concatenate([P * pk, P * (1 - pk)])
            inst_mean = cond[:5] * val
            inst_var = cond[:5] * val ** 2 - inst_mean ** 2
            mean = float(probs @ vals)
            var = float(probs @ vals ** 2) - mean * mean
            th_ = mom(O, P, r)
            prm = {"law": k, "neuron": kind, "r": r}
            yield _vector_case(ctx, {**prm, "what": "fixed O: mean, variance"},
                           np.concatenate([th_["inst_mean"], th_["inst_var"]]),
                           np.concatenate([inst_mean, inst_var]), r)
            yield _vector_case(ctx, {**prm, "what": "over the configurations: mean, variance"},
                           [th_["mean"], th_["var"]], [mean, var], r)


@CATALOG.explorer("eq135_138.signal_moments", E=(0.3, 0.02, 0.98), s=(0.5, 0.001, 0.99),
                  r=(0.6, 0.05, 1.0), neuron=("dropout", "spiking"), moment=("variance", "mean"))
def _explore_eq135(ctx: Context, E: float, s: float, r: float, neuron: str,
                   moment: str) -> Point:
    """The mean and variance over the configurations of a neuron's signal (Eq. 135–138): O
    with the law of :func:`~._explore.o_law` (two-point, mean E, spread s), a spiking neuron
    sending r with probability O or a dropout neuron sending O with probability r; the
    printed moments against the moments of the enumerated joint law of (O, coin). A point
    takes about 2 ms."""
    O, P = o_law("two-point", E, s)
    pk, val, mom = ((O, np.full(O.size, r), th.eq135_136_spike_moments) if neuron == "spiking"
                    else (np.full(O.size, r), O, th.eq137_138_dropout_moments))
    probs = np.concatenate([P * pk, P * (1 - pk)])
    vals = np.concatenate([val, np.zeros(O.size)])
    mean = float(probs @ vals)
    th_ = mom(O, P, r)
    if moment == "mean":
        return Point.identity(th_["mean"], exact=mean)
    return Point.identity(th_["var"], exact=float(probs @ (vals - mean) ** 2))


@CATALOG.claim(
    "sec10_1.variance_comparison", label="Sec. 10.1 (after Eq. 138)", kind=Kind.INEQUALITY,
    statement="The variances of the signals sent by a spiking neuron and by a dropout neuron "
              "are equal only when O = r; when r < O the variance is greater in the dropout "
              "network, when r > O in the spiking network.",
    note="Holds for a fixed O (Eq. 135 against Eq. 137): the spiking minus the dropout "
         "variance is r²O(1 − O) − O²r(1 − r) = rO(r − O).")
def sec10_1_variance(ctx: Context) -> Iterator[CaseResult]:
    """For a fixed O (Eq. 135 against Eq. 137): a hypothesis search over (O, r) ∈ (0, 1)²
    for a pair where the ordering of r²O(1 − O) and O²r(1 − r) disagrees with that of r and O
    (the difference is rO(r − O)), plus the equality at O = r (exact, 5 values)."""
    from hypothesis import strategies as st

    def ordered(args):
        O, r = args
        vs = float(th.eq135_136_spike_moments([O], [1.0], r)["inst_var"][0])
        vd = float(th.eq137_138_dropout_moments([O], [1.0], r)["inst_var"][0])
        if r > O:
            return _le(ctx, vd, vs, tol_scale=vs)
        if r < O:
            return _le(ctx, vs, vd, tol_scale=vd)
        return True

    unit = st.floats(1e-3, 1 - 1e-3, allow_nan=False)
    yield _search(ctx, ordered, st.tuples(unit, unit),
                  {"what": "Var spike > Var dropout iff r > O (fixed O)"})
    # the search alone never sees r > O with the dropout side larger unless it is wrong; the
    # strict separation is checked where it is largest in relative terms on a grid
    for v in (0.1, 0.3, 0.5, 0.7, 0.9):
        vs = th.eq135_136_spike_moments([v], [1.0], v)["inst_var"][0]
        vd = th.eq137_138_dropout_moments([v], [1.0], v)["inst_var"][0]
        yield judge.identity({"O = r": v}, float(vs), Estimate.exact(vd, "closed_form"))


@CATALOG.explorer("sec10_1.variance_comparison", O=(0.4, 0.01, 0.99), r=(0.7, 0.01, 1.0))
def _explore_sec10_1_var(ctx: Context, O: float, r: float) -> Point:
    """For a fixed O, the spiking variance r²O(1 − O) (Eq. 135) against the dropout variance
    O²r(1 − r) (Eq. 137): the statement "greater in the spiking network iff r > O" as the
    lower bound 0 on (Var spiking − Var dropout)·sign(r − O) (0 at O = r, where they are
    equal). It holds everywhere: the difference is rO(r − O). A point takes about 2 ms."""
    vs = float(th.eq135_136_spike_moments([O], [1.0], r)["inst_var"][0])
    vd = float(th.eq137_138_dropout_moments([O], [1.0], r)["inst_var"][0])
    return Point.bound(0.0, side="lower", exact=(vs - vd) * float(np.sign(r - O)))


@CATALOG.claim(
    "sec10_2.backpercolation", label="Section 10.2", kind=Kind.IDENTITY,
    statement="Backpropagation computes the dropout ensemble average of the reverse linear "
              "network in which each node is kept with probability equal to its derivative "
              "(σ' ≤ 1 for λ ≤ 4): backpropagation is the ensemble average of many "
              "backpercolation passes; with six layers of 1000 units and derivatives 0.1 it "
              "attenuates the error by 10^{−6}, while backpercolation keeps on average 100 "
              "units per layer.")
def sec10_2(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """(a) Logistic networks 2-3-3-1 (random weights, c, λ ≤ 4 so σ' ≤ λ/4 ≤ 1): ∂O/∂I by
    backpropagation against the average of the reverse linear pass over all 2^7 selections
    of the hidden and output nodes, each node kept with probability σ'(S) (exact); (b) a
    deeper network (4 hidden layers of 8 units, λ = 4) by Monte Carlo: the mean of sampled
    backpercolation passes against backpropagation (∂O/∂I_j, the larger input gradient); (c) the
    printed numbers: 0.1^6 = 10^{−6} and 1000·0.1 = 100 (the mean of Binomial(1000, 0.1))."""
    for k in range(2):
        c, lam = float(rng.uniform(0.5, 2.0)), float(rng.uniform(1.0, 4.0))
        Ws = [rng.standard_normal((3, 2)), rng.standard_normal((3, 3)), rng.standard_normal(3)]
        I = rng.standard_normal(2)
        g = th.backprop_input_gradient(Ws, I, c, lam)
        ds = th.node_derivatives(Ws, I, c, lam)
        p = np.concatenate([np.ravel(d) for d in ds])
        masks, probs = _enum.enumerate_masks(p.size, p)
        avg = np.zeros(2)
        for mrow, pr in zip(masks, probs):
            mm = [mrow[:3].astype(float), mrow[3:6].astype(float), mrow[6:].astype(float)]
            avg += pr * th.reverse_linear_dropout(Ws, mm)
        scale = float(np.prod([np.abs(W).max() for W in Ws])) * 9
        yield _vector_case(ctx, {"network": k, "c": c, "lam": lam, "nodes": p.size}, g, avg, scale)
    # (b) Monte Carlo on a deeper network: all passes at once, layer by layer
    n, L = 8, 4
    Ws = [rng.standard_normal((n, 2))] + [rng.standard_normal((n, n)) * 2 / math.sqrt(n)
                                            for _ in range(L - 1)] + [rng.standard_normal(n) * 2 / math.sqrt(n)]
    I = rng.standard_normal(2) * 0.5
    g = th.backprop_input_gradient(Ws, I, 1.0, 4.0)
    ds = th.node_derivatives(Ws, I, 1.0, 4.0)
    N = ctx.budget(40_000)
    # the output node's selection is averaged out exactly (its keep probability multiplies
    # every pass), which leaves fewer all-zero passes to the sampled hidden selections
    G = np.full((N, 1), float(ds[-1][0])) * np.asarray(Ws[-1])[None, :]
    for k in range(L - 1, -1, -1):
        G = G * (rng.random((N, n)) < ds[k][None, :])
        G = G @ np.asarray(Ws[k])
    j = int(np.argmax(np.abs(g)))
    yield judge.identity({"network": f"{L}×{n}, λ = 4", "passes": N, "coordinate": f"I_{j}"},
                         float(g[j]), mean_estimate(G[:, j]))
    yield judge.exact({"what": "0.1^6"}, 1e-6, 0.1 ** 6)
    yield judge.exact({"what": "1000 · 0.1"}, 100.0, 1000 * 0.1)


@CATALOG.explorer("sec10_2.backpercolation", lam=(2.0, 0.2, 4.0), s=(1.0, 0.1, 3.0))
def _explore_sec10_2(ctx: Context, lam: float, s: float) -> Point:
    """∂O/∂I_0 of a fixed logistic network 2-3-3-1 (weights and input N(0, 1), seed 10,
    weights scaled by s, c = 1, λ ≤ 4 so σ' ≤ 1) by backpropagation, against the average of
    the reverse linear pass over all 2^7 selections of the hidden and output nodes, each
    kept with probability its derivative σ'(S) (backpercolation), exactly. A point takes
    about 5 ms."""
    rng = np.random.default_rng(10)
    Ws = [s * rng.standard_normal((3, 2)), s * rng.standard_normal((3, 3)),
          s * rng.standard_normal(3)]
    I = rng.standard_normal(2)
    g = th.backprop_input_gradient(Ws, I, 1.0, lam)
    p = np.concatenate([np.ravel(d) for d in th.node_derivatives(Ws, I, 1.0, lam)])
    masks, probs = _enum.enumerate_masks(p.size, p)
    avg = np.zeros(2)
    for mrow, pr in zip(masks, probs):
        avg += pr * th.reverse_linear_dropout(Ws, [mrow[:3].astype(float), mrow[3:6].astype(float),
                                                   mrow[6:].astype(float)])
    return Point.identity(float(g[0]), exact=float(avg[0]))


def _law_of(values, probs, decimals: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (rounded) and their total probabilities."""
    v, inv = np.unique(np.round(np.asarray(values, float), decimals), return_inverse=True)
    return v, np.bincount(inv, weights=probs, minlength=v.size)


@CATALOG.claim(
    "sec10_1.stochastic_as_dropout", label="Sec. 10.1 (after Eq. 134)", kind=Kind.IDENTITY,
    statement="Operating a neuron in stochastic (spiking) mode is equivalent to setting all its "
              "inputs to 1 and using dropout on its connections with Bernoulli probabilities "
              "given by the sigmoidal outputs of the previous layer.")
def sec10_1_stochastic(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Two-layer spiking networks of Sec. 10.1 (3 inputs firing with probabilities O_in, 3
    hidden spiking units, a logistic output; random weights, c, λ), spikes of size 1, every
    configuration enumerated (:func:`_spiking_enum`), against the dropout network with all
    inputs set to 1 and each connection j → i kept with probability O_j
    (:func:`sim.enumerate_rate_gated_network`): the laws (every value and its probability) of
    the hidden sums and of the output sum, and E(O_out), equal exactly, for global firing (one
    coin per unit: the gates of a unit's connections shared) and connection-specific firing
    (one coin per connection). For spikes of size r ≠ 1 the inputs must be set to r instead
    (evidence as well), and setting them to 1 then changes the law (a measurement)."""
    for k in range(2):
        W1, w2, O_in, r_in, r_h, c, lam = _random_two_layer(rng)
        for conn in (False, True):
            ones_in = np.ones(W1.shape) if conn else np.ones(W1.shape[1])
            sp = _spiking_enum(W1, w2, O_in, ones_in, np.ones(W1.shape[0]), c, lam, connection=conn)
            dr = sim.enumerate_rate_gated_network(W1, w2, O_in, connection=conn, c=c, lam=lam)
            prm = {"network": k, "firing": "connection-specific" if conn else "global", "spike size": 1}
            v1, p1 = _law_of(sp["S2"], sp["prob"])
            v2, p2 = _law_of(dr["S2"], dr["prob"])
            same = v1.shape == v2.shape and np.allclose(v1, v2, rtol=0, atol=1e-9)
            yield judge.exact({**prm, "what": "law of the output sum", "atoms": v1.size},
                              p1 if same else [math.nan], p2 if same else [0.0],
                              method="enumeration", n=sp["prob"].size, scale=1.0)
            for i in range(W1.shape[0]):
                a1, q1 = _law_of(sp["S1"][:, i], sp["prob"])
                a2, q2 = _law_of(dr["S1"][:, i], dr["prob"])
                same = a1.shape == a2.shape and np.allclose(a1, a2, rtol=0, atol=1e-9)
                yield judge.exact({**prm, "what": f"law of hidden sum {i}"},
                                  q1 if same else [math.nan], q2 if same else [0.0],
                                  method="enumeration", n=sp["prob"].size, scale=1.0)
            yield judge.exact({**prm, "what": "E(O_out)"}, float(sp["prob"] @ sp["O2"]),
                              float(dr["prob"] @ dr["O2"]), method="enumeration",
                              n=sp["prob"].size)
        # spikes of a common size r: inputs set to r reproduce the law; inputs 1 do not
        r = float(rng.uniform(0.3, 0.8))
        sp = _spiking_enum(W1, w2, O_in, np.full(W1.shape[1], r), np.full(W1.shape[0], r), c, lam)
        dr = sim.enumerate_rate_gated_network(W1, w2, O_in, connection=False, inputs=r, c=c, lam=lam)
        d1 = sim.enumerate_rate_gated_network(W1, w2, O_in, connection=False, inputs=1.0, c=c, lam=lam)
        yield judge.exact({"network": k, "spike size": r, "inputs": r, "what": "E(O_out)"},
                          float(sp["prob"] @ sp["O2"]), float(dr["prob"] @ dr["O2"]),
                          method="enumeration", n=sp["prob"].size)
        yield judge.holds({"network": k, "spike size": r, "inputs": 1.0, "what": "E(O_out)"},
                          True, theory=float(sp["prob"] @ sp["O2"]),
                          estimate=Estimate.exact(float(d1["prob"] @ d1["O2"]), "enumeration",
                                                  d1["prob"].size),
                          detail=f"spiking E(O_out) = {float(sp['prob'] @ sp['O2']):.6f}, "
                                 f"inputs 1: {float(d1['prob'] @ d1['O2']):.6f}",
                          role="measurement")


@CATALOG.explorer("sec10_1.stochastic_as_dropout", s=(1.0, 0.05, 4.0),
                  firing=("global", "connection-specific"))
def _explore_sec10_1_stochastic(ctx: Context, s: float, firing: str) -> Point:
    """E(O_out) of a two-layer spiking network with spikes of size 1
    (:func:`_explore_spiking_net`, weights scaled by s) against the dropout network with
    every input set to 1 and each connection j → i kept with probability O_j
    (:func:`sim.enumerate_rate_gated_network`), both enumerated exactly. A point takes about
    5 ms."""
    W1, w2, O_in, r_in, r_h, c, lam = _explore_spiking_net(s, 1.0)
    conn = firing == "connection-specific"
    sp = _spiking_enum(W1, w2, O_in, np.ones(W1.shape) if conn else r_in, r_h, c, lam,
                       connection=conn)
    dr = sim.enumerate_rate_gated_network(W1, w2, O_in, connection=conn, c=c, lam=lam)
    return Point.identity(float(dr["prob"] @ dr["O2"]), exact=float(sp["prob"] @ sp["O2"]))
