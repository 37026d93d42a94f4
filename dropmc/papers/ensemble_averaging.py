"""Claims of Baldi & Sadowski, "The dropout learning algorithm" (paper key
``ensemble_averaging``), static half: Sections 2–8 and Appendices A–F.

Each claim pairs a closed form of :mod:`dropmc.theory.ensemble_averaging` with exact
enumeration of dropout subnetworks or Monte Carlo (:mod:`dropmc.simulations.ensemble_averaging`),
scipy quadrature/optimisation, or a hypothesis counterexample search.

Findings (each printed claim is kept as printed; where a corrected statement exists it is
registered beside it as a correction):

* Eq. 25 (second moments of deep linear networks) assumes δ_jδ_j' independent of S_jS_j';
  this fails whenever one of j, j' is an ancestor of the other (pairs in different layers, or
  skip connections), so the recursion is wrong there; an exact recursion is registered.
* Eq. 57 and 58 (error of the WGM / NWGM ≤ expected error) fail for the squared error: the
  proof's "f convex, g increasing ⇒ f∘g convex" is false. They hold for the relative entropy.
* Section 8's second-order approximations E − G ≈ V and E − NWGM ≈ V(1 − 2E)/(1 − 2V) only
  hold near 0.5; for tight clusters around E₀ ≠ 0.5 the leading terms are V/(2E) and
  V(1 − 2E)/(2E(1 − E)) (the paper's own Appendix B). Eq. 97 has a sign error.
* Section 8's conclusion "to second order the NWGM is closer to E than the WGM, in all cases"
  (after Eq. 86) fails for E > 2/3: for tight clusters |E − NWGM|/(E − G) → |1 − 2E|/(1 − E),
  above 1 there (Eq. 88's example, E = 0.677, is such a second-order case). Eq. 86's algebra
  itself is right.
* The curves of Fig. 8.1/8.2 (and Eq. 209–210's 1/6), printed with '≲', hold as approximate
  bounds (the exceedance is o(V) as the spread shrinks) but not as strict bounds on the exact
  |E − NWGM|: about 16–19 % of random spread-out samples lie above the curves.
* Section 7.2: the ReLU ensemble error of a Gaussian population is not "around 0": RL is
  convex, so E(RL(S)) − RL(E(S)) = λσ[φ(r) − |r|Φ(−|r|)] ≥ 0 always.
* Appendix B.2: the expansion "around one" of G' (Eq. 205–208) and "around zero" (Eq. 211) are
  wrong: G' is a geometric mean of small numbers, and E − NWGM is of first order there.
* Appendix D, Eq. 223 is derived for c = λ = 1 but printed with λ: for λ ≠ 1 it lacks a factor
  λ (E σ'(S) ≈ λ/(4 + λ²E(S²))). Appendix F, Eq. 241 inherits the missing λ² of Eq. 239–240:
  for λ ≠ 1 its error (0.04–0.2) exceeds the 2·max|σ − Φ(α·)| ≈ 0.026 its derivation carries.
* Misprints: Eq. 33 (exponent 1/2^n applied twice), Appendix A (σ_S = a/3 for U[−a, a]),
  Eq. 198–199 (middle), Eq. 214 (middle), Eq. 216 (missing log), Appendix D (σ'' lacks λ²),
  Eq. 225 (lower limit 0), Eq. 239–240 (λ² and the square root missing). (Eq. 235's decimals
  are truncations, not roundings: not a finding.)
* Sec. 2.2: pairwise independence of the selectors does not suffice "for all the results":
  the means, variances and covariances of Eq. 7–20 and NWGM(σ(S)) = σ(E(S)) hold, but Eq. 24
  fails on a chain of three gated units (−0.124 against −0.186 for pairwise-independent XOR
  gates) and so does Sec. 2.3's "entirely independent"; E(σ(S)) moves by about 0.01.
* Sec. 7.1 after Eq. 66: constant functions 0 < K < 1 belong to the class, so the limits at
  ±∞ need not be 0 or 1. Appendix E.1: the logit-normal density is not "in general
  bell-shaped": it is U-shaped when λσ > √2 and λμ = log c (unimodal for all μ, c iff λσ ≤ √2).
* Sec. 9.5–9.6 on a dropout-trained logistic classifier (64-128×4-10 on scikit-learn's 8×8
  digits, 96.7 % test accuracy; the paper's MNIST network is 784-1200×4-10): the deviations
  E − NWGM and E − W are not "well within the bounds derived in Section 8" after training
  (Bound 1 exceeded by 16–62 % of the units of hidden layers 2–4, z up to 107) and not
  approximately Gaussian (excess kurtosis up to 5.2); Appendix B.1's "Eq. 202 slightly more
  accurate than Eq. 87" is reversed after training (2–5× larger mean error); W(1 − W) is not
  a rough upper bound of the dropout variance in the output layer (mean 0.0113 vs 0.0087);
  the variances do not peak during learning (they rise to a plateau). Confirmed: the errors
  do not accumulate across layers, W_iW_j is much better than 0 for unconnected pairs, and
  Eq. 124's correction helps slightly at the end of learning only.
* Sec. 9.5–9.6 on synthetic logistic networks (exact enumeration of every mask): ε is not
  uncorrelated with α (Cov(ε, α) = Var α + Cov(α, β); correlation 0.63–1), α and β are
  correlated (≈ 0.31, Eq. 115–116), ε and β have mean 0 only where sign symmetry forces it,
  ε is not approximately normal across a layer; Eq. 114 ignores the covariances of the ε_j
  (off by a factor 0.4–1.6 at any weight scale; corrected form registered); Var(O) ≤ W(1 − W)
  fails (w = 1, I = 10, p = ½: 0.0625 vs 0.0066; Var(O) ≤ E(O)(1 − E(O)) holds); first-layer
  pairs are not independent under node dropout (shared input gates; exact under connection
  dropout); Eq. 123 needs E σ'(·) for E σ(·) (the printed form is only first order).
* Sec. 11.6–11.7 on the digits network: dropin does fail (test accuracy at chance, 8–9 %), but
  not because training maximises variances: dropin training saturates the hidden layers and
  ends with variances about 490× smaller than dropout's (at a fixed network dropin noise does
  give 3.5–9.2× larger Var(S)). Fig. 11.3's "the standard deviation does not increase for the
  higher layers" fails here (top hidden layer 26 % above the first, z = 73; the network is 10×
  narrower than the paper's). The three learning phases and the sparsity of Fig. 11.1 hold.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, special, stats

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind, Verdict, current_context
from dropmc.estimate import Estimate, mean_estimate
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
    return judge.search_case(params, holds, strategy, ctx, what=what,
                             expect_counterexample=expect_counterexample)


def _le(a, b, scale=None, *, tol_scale=None) -> bool:
    """``a ≤ b`` up to FP_SLACK of the size of the terms, through the current context's
    :meth:`Context.le`: a power run tightens the bound ``b`` by δ·max(|a|, |b|, scale), i.e.
    relative to the compared values, or to ``scale`` when the bound is 0 or a difference that
    stands for a larger quantity (``0 ≤ E − G`` is ``G ≤ E``: pass scale=E). ``tol_scale`` is
    the size of the terms the values are built from, for the rounding tolerance only (E for
    V and E − G: equal samples give both ≈ 0 with rounding of order 1e-16·E)."""
    ctx = current_context() or Context("<none>", 0)
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


def _exact_est(value, n=1, method="enumeration") -> Estimate:
    return Estimate(float(value), 0.0, int(n), method)


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


# ------------------------------------------------------------------------------------------
# Section 2: a single linear unit and a single linear layer
# ------------------------------------------------------------------------------------------


@CATALOG.claim(
    "eq2_5.halving", label="Eq. 2, Eq. 3, Eq. 4, Eq. 5", kind=Kind.IDENTITY,
    statement="Averaged uniformly over the 2^n subnetworks of a linear unit, E(S) = "
              "Σ_i (w_i/2) I_i, each term occurring 2^{n−1} times.")
def eq2_5_halving(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of all 2^n subnetworks (q = 0.5) for random n ≤ 16, w and I (Eq. 2),
    against Eq. 5; the count of Eq. 4 as the binomial sum against 2^{n−1}."""
    rng = ctx.rng()
    out = []
    for n in [1, 2] + [int(rng.integers(3, 17)) for _ in range(4)]:
        w = rng.standard_normal(n) * rng.uniform(0.1, 5)
        I = rng.standard_normal(n)
        e = sim.enumerate_logistic_unit(w, I, 0.5)
        out.append(judge.identity({"n": n}, th.halved_weights_output(w, I),
                                  _exact_est(e["ES"], e["n_subnetworks"]), ctx))
        out.append(judge.exact({"n": n, "eq": "Eq. 4"}, 2 ** (n - 1), th.term_count(n)))
    return out


@CATALOG.claim(
    "eq7_8.linear_unit_mean", label="Eq. 6, Eq. 7, Eq. 8", kind=Kind.IDENTITY,
    statement="With independent Bernoulli selectors of keep probabilities p_i, a linear unit has "
              "E(S) = Σ_i w_i p_i I_i (Σ_i w_i p I_i for a common p).")
def eq7_8_mean(ctx: Context) -> list[CaseResult]:
    """Exact enumeration (random n ≤ 16, non-identical p_i including the edge values 0 and 1,
    and a common p), and Monte Carlo for a wide unit (n = 400) with a z-test."""
    rng = ctx.rng()
    out = []
    for k in range(5):
        n = int(rng.integers(2, 17))
        w, I = rng.standard_normal(n), rng.standard_normal(n) * 2
        p = rng.uniform(0.05, 0.95, n) if k else np.full(n, 0.8)
        if k == 4:
            p[0], p[-1] = 0.0, 1.0
        e = sim.enumerate_logistic_unit(w, I, p)
        out.append(judge.identity({"n": n, "p": "common 0.8" if k == 0 else "non-identical"},
                                  th.linear_unit_mean(w, I, p), _exact_est(e["ES"], e["n_subnetworks"]), ctx))
    n = 400
    w, I, p = rng.standard_normal((1, n)), rng.standard_normal(n), rng.uniform(0.1, 0.9, n)
    est = sim.estimate_layer_moments(w, I, p, n=ctx.budget(200_000, 4_000), rng=ctx.stream())
    out.append(judge.identity({"n": n, "method": "monte carlo"}, th.linear_unit_mean(w[0], I, p),
                              est["mean"][0], ctx))
    return out


@CATALOG.claim(
    "eq9_11.bias_mean_variance", label="Eq. 9, Eq. 10, Eq. 11", kind=Kind.IDENTITY,
    statement="For S = Σ w_iδ_iI_i + bδ_b, E(S) = Σ w_ip_iI_i + bp_b and Var(S) = "
              "Σ w_i²p_iq_iI_i² + b²p_bq_b.")
def eq9_11(ctx: Context) -> list[CaseResult]:
    """Exact enumeration with the gated bias as one more selector (random n ≤ 15, p_i, b, p_b,
    and the always-present bias p_b = 1), and Monte Carlo of a wide affine unit (n = 300)."""
    rng = ctx.rng()
    out = []
    for k in range(4):
        n = int(rng.integers(1, 16))
        w, I, p = rng.standard_normal(n), rng.standard_normal(n), rng.uniform(0.05, 0.95, n)
        b, pb = float(rng.normal() * 3), (1.0 if k == 0 else float(rng.uniform(0.1, 0.9)))
        e = sim.enumerate_logistic_unit(np.append(w, b), np.append(I, 1.0), np.append(p, pb))
        prm = {"n": n, "b": b, "pb": pb}
        out.append(judge.identity({**prm, "moment": "mean"}, th.linear_unit_mean(w, I, p, b, pb),
                                  _exact_est(e["ES"], e["n_subnetworks"]), ctx))
        # the enumerated Var(S) is E(S²) − E(S)²: the tolerance is relative to E(S²)
        out.append(judge.identity({**prm, "moment": "var"}, th.linear_unit_var(w, I, p, b, pb),
                                  _exact_est(e["VarS"], e["n_subnetworks"]), ctx,
                                  scale=e["VarS"] + e["ES"] ** 2))
    n = 300
    w, I, p = rng.standard_normal((1, n)) / 5, rng.standard_normal(n), rng.uniform(0.1, 0.9, n)
    b, pb = 2.0, 0.3
    est = sim.estimate_layer_moments(w, I, p, b=[b], pb=pb, n=ctx.budget(200_000, 4_000),
                                     rng=ctx.stream())
    out.append(judge.identity({"n": n, "moment": "mean", "method": "monte carlo"},
                              th.linear_unit_mean(w[0], I, p, b, pb), est["mean"][0], ctx))
    out.append(judge.identity({"n": n, "moment": "var", "method": "monte carlo"},
                              th.linear_unit_var(w[0], I, p, b, pb), est["cov"][(0, 0)], ctx))
    return out


def _layer_net(W):
    k, n = W.shape
    N = n + k
    Wg = np.zeros((N, N))
    Wg[n:, :n] = W
    return th.LayeredNet(Wg, np.r_[np.zeros(n, int), np.ones(k, int)])


def _layer_cases(ctx, per_connection: bool):
    rng = ctx.rng()
    out = []
    for _ in range(4):
        k = int(rng.integers(1, 5))
        n = int(rng.integers(1, 22 // k if per_connection else 15))
        W, I = rng.standard_normal((k, n)), rng.standard_normal(n)
        net = _layer_net(W)
        if per_connection:
            P = rng.uniform(0.05, 0.95, (k, n))
            mean, cov = th.layer_connection_dropout_moments(W, I, P)
            Pg = np.zeros((n + k, n + k))
            Pg[n:, :n] = P
            e = sim.enumerate_network(net, I, p_edges=Pg)
        else:
            P = rng.uniform(0.05, 0.95, n)
            mean, cov = th.layer_unit_dropout_moments(W, I, P)
            e = sim.enumerate_network(net, I, p_units=np.r_[P, np.ones(k)])
        got_mean = e["ES"][n:]
        got_cov = e["ESS"][n:, n:] - np.outer(got_mean, got_mean)
        prm = {"k": k, "n": n, "subnetworks": e["n_subnetworks"]}
        out.append(judge.exact({**prm, "moment": "mean"}, mean, got_mean, method="enumeration",
                               n=e["n_subnetworks"]))
        # Cov = E(SSᵀ) − E(S)E(S)ᵀ: the tolerance is relative to the terms it is built from
        out.append(judge.exact({**prm, "moment": "cov"}, cov, got_cov, method="enumeration",
                               n=e["n_subnetworks"],
                               scale=float(np.max(np.abs(e["ESS"][n:, n:])))))
    # a wide layer by Monte Carlo
    k, n = 3, 200
    W, I = rng.standard_normal((k, n)) / 10, rng.standard_normal(n)
    P = rng.uniform(0.1, 0.9, (k, n) if per_connection else n)
    mean, cov = (th.layer_connection_dropout_moments if per_connection else
                 th.layer_unit_dropout_moments)(W, I, P)
    nmc = ctx.budget(160_000, 4_000)
    est = sim.estimate_layer_moments(W, I, P, per_connection=per_connection, n=nmc,
                                     rng=ctx.stream())
    keys = sorted(est["cov"])
    out.append(judge.identity_family(
        {"k": k, "n": n, "moments": "means and covariances", "method": "monte carlo"},
        list(mean) + [cov[a, b] for a, b in keys], est["mean"] + [est["cov"][kk] for kk in keys],
        ctx))
    return out


@CATALOG.claim(
    "eq15_17.unit_dropout_layer", label="Eq. 13, Eq. 15, Eq. 16, Eq. 17", kind=Kind.IDENTITY,
    statement="With dropout on the inputs of a linear layer, E(S_i) = Σ_j w_ijp_jI_j, "
              "Var(S_i) = Σ_j w_ij²p_jq_jI_j² and Cov(S_i, S_l) = Σ_j w_ijw_ljp_jq_jI_j².")
def eq15_17(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of all input masks for random k × n layers (means and the full
    covariance matrix), and a Monte Carlo χ² test of all means and covariances of a 3 × 200
    layer."""
    return _layer_cases(ctx, per_connection=False)


@CATALOG.claim(
    "eq18_20.connection_dropout_layer", label="Eq. 14, Eq. 18, Eq. 19, Eq. 20", kind=Kind.IDENTITY,
    statement="With dropout on the connections of a linear layer, E(S_i) = Σ_j w_ijp_ijI_j, "
              "Var(S_i) = Σ_j w_ij²p_ijq_ijI_j² and Cov(S_i, S_l) = 0.")
def eq18_20(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of all connection masks (≤ 21 connections) for random layers, and a
    Monte Carlo χ² test of means and covariances (zero off the diagonal) of a 3 × 200 layer."""
    return _layer_cases(ctx, per_connection=True)


# -- Sec. 2.2, after Eq. 6 and Sec. 2.3, after Eq. 20: independence of the selectors ---------


def _pairwise_law(rng, n: int, triple=None):
    """Random keep probabilities and a pairwise but not globally independent law of n
    selectors (:func:`th.pairwise_independent_law`, |ε| = 0.9 of its largest value)."""
    p = rng.uniform(0.2, 0.8, n)
    triple = tuple(int(k) for k in sorted(rng.choice(n, 3, replace=False))) if triple is None else triple
    eps = 0.9 * th.parity_eps_max(p, triple) * float(rng.choice([-1.0, 1.0]))
    masks, probs = th.pairwise_independent_law(p, eps, triple)
    return p, masks.astype(float), probs, triple, eps


def _law_moments(X, probs):
    """Mean vector and covariance matrix of the rows of X (one column per variable) under
    ``probs``, and the size of the second moments (for tolerances)."""
    X = np.atleast_2d(np.asarray(X, float).T).T
    m = probs @ X
    M2 = (X * probs[:, None]).T @ X
    return m, M2 - np.outer(m, m), float(np.max(np.abs(M2)))


def _pairwise_positive_cases(ctx) -> list[CaseResult]:
    """Eq. 7–20 and NWGM(σ(S)) = σ(E(S)) under pairwise-only selectors, exact by enumeration."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        # a single affine unit (the bias gated by the last selector): Eq. 7, 10, 11
        n = int(rng.integers(4, 9))
        p, M, P, T, eps = _pairwise_law(rng, n + 1)
        w, I, b = rng.standard_normal(n), rng.standard_normal(n), float(rng.normal())
        S = M @ np.append(w * I, b)
        m, C, sz = _law_moments(S, P)
        prm = {"law": f"pairwise, triple {T}, eps {eps:.3g}", "n": n}
        out.append(judge.exact({**prm, "eq": "Eq. 7/10 mean"},
                               th.linear_unit_mean(w, I, p[:n], b, p[n]), m[0], method="enumeration",
                               n=P.size, scale=math.sqrt(sz)))
        out.append(judge.exact({**prm, "eq": "Eq. 11 variance"},
                               th.linear_unit_var(w, I, p[:n], b, p[n]), C[0, 0], method="enumeration",
                               n=P.size, scale=sz))
        c, lam = _random_c_lam(rng)
        nw = th.weighted_means(th.logistic(S, c, lam), P)["NWGM"]
        out.append(judge.exact({**prm, "eq": "NWGM(σ(S)) = σ(E(S))", "c": c, "lam": lam},
                               float(th.logistic(m[0], c, lam)), nw, method="enumeration", n=P.size,
                               rtol=1e-9))
        # a layer with dropout on its inputs: Eq. 15–17
        kk, n = 3, int(rng.integers(4, 9))
        p, M, P, T, eps = _pairwise_law(rng, n)
        W, I = rng.standard_normal((kk, n)), rng.standard_normal(n)
        m, C, sz = _law_moments((M * I) @ W.T, P)
        mean, cov = th.layer_unit_dropout_moments(W, I, p)
        prm = {"law": f"pairwise, triple {T}, eps {eps:.3g}", "k": kk, "n": n}
        out.append(judge.exact({**prm, "eq": "Eq. 15–17 (unit dropout)"}, np.r_[mean, cov.ravel()],
                               np.r_[m, C.ravel()], method="enumeration", n=P.size, scale=sz))
        # a layer with dropout on its connections (2 × n, the triple across both rows): Eq. 18–20
        n = int(rng.integers(3, 6))
        T = (0, 1, n) if k == 0 else (0, n, n + 1)
        p, M, P, T, eps = _pairwise_law(rng, 2 * n, T)
        W, I = rng.standard_normal((2, n)), rng.standard_normal(n)
        G = M.reshape(-1, 2, n)
        m, C, sz = _law_moments(np.einsum("ij,kij->ki", W * I, G), P)
        mean, cov = th.layer_connection_dropout_moments(W, I, p.reshape(2, n))
        prm = {"law": f"pairwise, triple {T}, eps {eps:.3g}", "k": 2, "n": n}
        out.append(judge.exact({**prm, "eq": "Eq. 18–20 (connection dropout)"},
                               np.r_[mean, cov.ravel()], np.r_[m, C.ravel()], method="enumeration",
                               n=P.size, scale=sz))
    # a two-layer net (gated inputs and hidden units): every path carries two gates, Eq. 24
    net = th.random_layered_net(rng, [3, 3, 1], skip_prob=0.0)
    I = rng.standard_normal(3)
    p, M, P, T, eps = _pairwise_law(rng, 6, (0, 3, 4))
    Mu = np.c_[M, np.ones(P.size)]
    ES = P @ sim.deep_linear_sums_for_masks(net, I, Mu)
    out.append(judge.exact({"law": f"pairwise, triple {T}, eps {eps:.3g}", "widths": "3-3-1",
                            "eq": "Eq. 24, paths of two gates"},
                           th.deep_linear_mean_units(net, I, np.r_[p, 1.0])[-1], ES[-1],
                           method="enumeration", n=P.size,
                           scale=float(np.abs(net.W[-1]) @ np.abs(net.W) @ np.r_[np.abs(I), np.zeros(4)])))
    return out


def _pairwise_failures(rng) -> list[dict]:
    """Where pairwise independence is not enough: (a) Eq. 24 along a chain input → h1 → h2 →
    output whose three gates form the parity triple (E(S_out) = w w w I E(δδδ) ≠ w w w I ppp);
    (b) the joint law of S_1, S_2 under connection dropout with the triple across both rows
    (pairwise-uncorrelated but dependent). Each with the claimed value, the value under the
    law, and the size of the terms."""
    out = []
    W = np.zeros((4, 4))
    W[1, 0], W[2, 1], W[3, 2] = rng.uniform(0.5, 2, 3) * rng.choice([-1, 1], 3)
    net = th.LayeredNet(W, np.arange(4))
    I = np.array([float(rng.uniform(0.5, 2))])
    p, M, P, T, eps = _pairwise_law(rng, 3, (0, 1, 2))
    S = sim.deep_linear_sums_for_masks(net, I, np.c_[M, np.ones(P.size)])
    claimed = float(th.deep_linear_mean_units(net, I, np.r_[p, 1.0])[-1])
    out.append({"what": "Eq. 24 on a chain of three gated units", "eps": eps, "claimed": claimed,
                "value": float(P @ S[:, -1]), "scale": abs(W[3, 2] * W[2, 1] * W[1, 0] * I[0]),
                "n": P.size,
                "detail": f"E(S_out) = {float(P @ S[:, -1]):.6g} under a pairwise-independent law "
                          f"(E(δ1δ2δ3) = p1p2p3 − ε, ε = {eps:.3g}) vs Eq. 24's {claimed:.6g}"})
    # joint law of (S_1, S_2): S_1 = w_11δ_11I_1 + w_12δ_12I_2, S_2 = w_21δ_21I_1, triple
    # (δ_11, δ_12, δ_21)
    p, M, P, T, eps = _pairwise_law(rng, 3, (0, 1, 2))
    w = rng.uniform(0.5, 2, 3)
    s1 = (M[:, :2] @ w[:2]).round(12)
    s2 = (M[:, 2] * w[2]).round(12)
    joint, prod = _joint_and_product(s1, s2, P)
    out.append({"what": "independence of S_1 and S_2 under connection dropout", "eps": eps,
                "claimed": prod, "value": joint, "scale": 1.0, "n": P.size,
                "detail": "the joint law of (S_1, S_2) differs from the product of its marginals "
                          "(Cov(S_1, S_2) = 0 still holds)"})
    return out


def _joint_and_product(a, b, probs):
    """Joint probability table of the values of a and b under ``probs`` and the product of its
    marginals (rows: the distinct values of a; columns: those of b)."""
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    J = np.zeros((ia.max() + 1, ib.max() + 1))
    np.add.at(J, (ia, ib), probs)
    return J, np.outer(J.sum(axis=1), J.sum(axis=0))


@CATALOG.claim(
    "sec2_2.pairwise_independence", label="Sec. 2.2 (after Eq. 6)", kind=Kind.IDENTITY,
    statement="Pairwise independence of the Bernoulli selector variables, as opposed to global "
              "independence, is sufficient for all the results presented.",
    note="as printed; see sec2_2.pairwise_independence_corrected")
def sec2_2_pairwise(ctx: Context) -> list[CaseResult]:
    """Laws of the selectors that are pairwise but not globally independent (the product law
    plus a parity term on three selectors, :func:`th.pairwise_independent_law`; the XOR triple
    for p = ½), every mask enumerated. Under them the first and second moments of a linear unit
    and layer (Eq. 7, 10, 11, 15–20) and NWGM(σ(S)) = σ(E(S)) hold exactly, and so does Eq. 24
    for paths of two gates. But Eq. 24 fails on a chain of three gated units (E(δ_1δ_2δ_3) =
    p_1p_2p_3 − ε), and the "entirely independent" S_i, S_l of Sec. 2.3 become dependent: the
    statement is REFUTED. The mean logistic output E(σ(S)) also changes with the law beyond its
    pairwise marginals (a measurement)."""
    rng = ctx.rng()
    out = _pairwise_positive_cases(ctx)
    for f in _pairwise_failures(rng):
        out.append(judge.exact({"what": f["what"], "law": f"pairwise, eps {f['eps']:.3g}"},
                               f["claimed"], f["value"], method="enumeration", n=f["n"],
                               scale=f["scale"], detail=f["detail"]))
    E_pw, E_ind, T, eps, n_law = _logistic_mean_two_laws(rng)
    out.append(CaseResult({"what": "E(σ(S)) pairwise vs independent", "triple": T, "eps": eps},
                          Verdict.CONFIRMED, E_ind, _exact_est(E_pw, n_law),
                          detail=f"E(O) = {E_pw:.6f} under the pairwise law, {E_ind:.6f} under "
                                 "independence", role="measurement"))
    return out


def _logistic_mean_two_laws(rng):
    """E(σ(S)) of a logistic unit (5 inputs) under a pairwise-only law of its selectors and under
    the independent law with the same marginals: (pairwise, independent, triple, ε, masks)."""
    n = 5
    p, M, P, T, eps = _pairwise_law(rng, n, (0, 1, 2))
    w = rng.uniform(1, 3, n) * 2 * rng.choice([-1.0, 1.0], n)
    _, P0 = _enum.enumerate_masks(n, p)
    O = th.logistic(M @ w - 0.5 * float(np.sum(w * p)))
    return float(P @ O), float(P0 @ O), T, eps, P.size


@CATALOG.claim(
    "sec2_2.pairwise_independence_corrected", label="Sec. 2.2 (after Eq. 6)", kind=Kind.IDENTITY,
    as_printed=False, corrects="sec2_2.pairwise_independence",
    statement="Pairwise independence of the selectors suffices for the means, variances and "
              "covariances of a linear unit and a linear layer (Eq. 7–20) and for NWGM(σ(S)) = "
              "σ(E(S)), and for Eq. 24 when every path carries at most two gates; it does not "
              "suffice for Eq. 24 along paths of three gates, for the independence of S_i and "
              "S_l under connection dropout, nor for the mean output E(σ(S)) of a logistic unit.")
def sec2_2_pairwise_corrected(ctx: Context) -> list[CaseResult]:
    """The positive cases of the printed claim (exact by enumeration under pairwise-only laws),
    and the three failures as evidence that more than pairwise independence is needed there:
    each must differ from the claimed value (for E(σ(S)): from its value under independence)
    by more than 1e-6 of the size of its terms (the differences are ε-sized, ε ≥ 0.9·min(p,
    q)³ ≈ 0.007)."""
    rng = ctx.rng()
    out = _pairwise_positive_cases(ctx)
    for f in _pairwise_failures(rng):
        diff = float(np.max(np.abs(np.asarray(f["value"]) - np.asarray(f["claimed"]))))
        ok = ctx.ge(diff, 1e-6 * f["scale"], scale=f["scale"])
        out.append(CaseResult({"what": f["what"] + " needs more than pairwise independence",
                               "eps": f["eps"]}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                              1e-6 * f["scale"], _exact_est(diff, f["n"]), None, None,
                              f"max |value − claimed| = {diff:.4g} under the pairwise law"))
    E_pw, E_ind, T, eps, n_law = _logistic_mean_two_laws(rng)
    diff = abs(E_pw - E_ind)
    ok = ctx.ge(diff, 1e-6, scale=1.0)
    out.append(CaseResult({"what": "E(σ(S)) depends on more than the pairwise law", "eps": eps},
                          Verdict.CONFIRMED if ok else Verdict.REFUTED, 1e-6,
                          _exact_est(diff, n_law), None, None,
                          f"E(O) = {E_pw:.6f} under the pairwise law, {E_ind:.6f} under "
                          "independence (same pairwise marginals)"))
    return out


@CATALOG.claim(
    "sec2_3.connection_independence", label="Sec. 2.3 (after Eq. 20)", kind=Kind.IDENTITY,
    statement="When dropout is applied to the connections of a linear layer, S_i and S_l are "
              "entirely independent (not only uncorrelated).")
def sec2_3_independence(ctx: Context) -> list[CaseResult]:
    """Random k × n layers (k ≤ 3, k·n ≤ 14) with independent connection selectors, every mask
    enumerated: the joint law of (S_i, S_l) for every pair equals the product of its marginals
    (exact, over all pairs of values). Under dropout on the input units (shared selectors) the
    same layers give dependent sums (a measurement, showing the comparison can tell)."""
    rng = ctx.rng()
    out = []
    for _ in range(4):
        k = int(rng.integers(2, 4))
        n = int(rng.integers(2, 14 // k + 1))
        W, I = rng.standard_normal((k, n)), rng.standard_normal(n)
        P = rng.uniform(0.1, 0.9, (k, n))
        masks, probs = _enum.enumerate_masks(k * n, P.ravel())
        S = np.einsum("ij,kij->ki", W * I, masks.reshape(-1, k, n).astype(float)).round(12)
        mu, pu = _enum.enumerate_masks(n, P[0])
        Su = ((mu * I) @ W.T).round(12)
        for i in range(k):
            for l in range(i + 1, k):
                J, Pr = _joint_and_product(S[:, i], S[:, l], probs)
                out.append(judge.exact({"k": k, "n": n, "pair": (i, l), "values": J.shape},
                                       Pr, J, method="enumeration", n=probs.size, scale=1.0))
                Ju, Pu = _joint_and_product(Su[:, i], Su[:, l], pu)
                dep = float(np.max(np.abs(Ju - Pu)))
                out.append(CaseResult({"k": k, "n": n, "pair": (i, l), "dropout": "input units"},
                                      Verdict.CONFIRMED, None, _exact_est(dep, pu.size),
                                      detail=f"unit dropout: max |joint − product| = {dep:.3g}",
                                      role="measurement"))
    return out


# ------------------------------------------------------------------------------------------
# Section 3: deep linear networks
# ------------------------------------------------------------------------------------------


def _deep_cases(ctx, mode: str, theory_fn, *, moments: bool):
    """Random layered nets (with and without skip connections) enumerated exactly, and a
    wide deep net by Monte Carlo."""
    rng = ctx.rng()
    out = []
    for _ in range(5):
        if mode == "units":
            net, ws, sp = _random_net(rng, 14)
            p = rng.uniform(0.1, 0.95, net.n_units)
            I = rng.standard_normal(net.n_in)
            e = sim.enumerate_network(net, I, p_units=p)
        else:
            net, ws, sp = _random_net(rng, 30)
            mask = (net.W != 0) & (rng.random(net.W.shape) < min(1.0, 16 / max(1, np.sum(net.W != 0))))
            net = th.LayeredNet(np.where(mask, net.W, 0.0), net.layer)
            p = rng.uniform(0.1, 0.95, (net.n_units, net.n_units))
            I = rng.standard_normal(net.n_in)
            e = sim.enumerate_network(net, I, p_edges=p)
        prm = {"widths": ws, "skip_prob": sp, "subnetworks": e["n_subnetworks"]}
        if moments:
            M = theory_fn(net, I, p)
            out.append(judge.exact({**prm, "moment": "E(S_i S_k), all pairs"}, M, e["ESS"],
                                   method="enumeration", n=e["n_subnetworks"]))
        else:
            out.append(judge.exact({**prm, "moment": "E(S_i), all units"}, theory_fn(net, I, p),
                                   e["ES"], method="enumeration", n=e["n_subnetworks"]))
    # wide and deep, Monte Carlo
    ws = [int(rng.integers(8, 20)) for _ in range(int(rng.integers(3, 6)))]
    net = th.random_layered_net(rng, ws, skip_prob=0.2)
    I = rng.standard_normal(net.n_in)
    nmc = ctx.budget(64_000, 2_000)
    if mode == "units":
        p = rng.uniform(0.3, 0.95, net.n_units)
        est = sim.estimate_network_moments(net, I, p_units=p, n=nmc, rng=ctx.stream())
    else:
        p = rng.uniform(0.3, 0.95, (net.n_units, net.n_units))
        est = sim.estimate_network_moments(net, I, p_edges=p, n=nmc, rng=ctx.stream())
    prm = {"widths": ws, "method": "monte carlo"}
    if moments:
        mean = est["ES"]
        M = theory_fn(net, I, p)
        m_th = (th.deep_linear_mean_units if mode == "units" else th.deep_linear_mean_connections)(net, I, p)
        C = th.covariance_from_moments(m_th, M)
        keys = sorted(est["cov"])
        out.append(judge.identity_family({**prm, "moment": "Cov of the output layer"},
                                         [C[a, b] for a, b in keys],
                                         [est["cov"][kk] for kk in keys], ctx))
    else:
        idx = np.arange(net.n_in, net.n_units)
        out.append(judge.identity_family({**prm, "moment": "E(S_i), all hidden and output units"},
                                         theory_fn(net, I, p)[idx], [est["ES"][i] for i in idx],
                                         ctx))
    return out


@CATALOG.claim(
    "eq24.deep_mean_units", label="Eq. 22, Eq. 24", kind=Kind.IDENTITY,
    statement="With dropout on the units of a deep linear network, E(S_i^h) = "
              "Σ_{l<h}Σ_j w_ij^{hl} p_j^l E(S_j^l), E(S_j^0) = I_j (forward propagation with "
              "scaled weights).")
def eq24(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of every unit mask of random layered DAGs (depth 2–4, with and without
    skip connections, non-identical p), and a Monte Carlo χ² test over all units of a wide
    network of 3–5 layers of width 8–19."""
    return _deep_cases(ctx, "units", th.deep_linear_mean_units, moments=False)


@CATALOG.claim(
    "eq26.deep_mean_connections", label="Eq. 23, Eq. 26", kind=Kind.IDENTITY,
    statement="With dropout on the connections of a deep linear network, E(S_i^h) = "
              "Σ_{l<h}Σ_j p_ij^{hl} w_ij^{hl} E(S_j^l).")
def eq26(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of every connection mask (≤ 22 random connections) of random layered
    DAGs, and a Monte Carlo χ² test over all units of a wide network."""
    return _deep_cases(ctx, "connections", th.deep_linear_mean_connections, moments=False)


@CATALOG.claim(
    "eq25.second_moments", label="Eq. 25", kind=Kind.IDENTITY,
    statement="Under unit dropout, E(S_i^h S_i'^h') = Σ_{l<h}Σ_{l'<h'}Σ_jΣ_j' w_ij^{hl} "
              "w_i'j'^{h'l'} E(δ_j^lδ_j'^{l'}) E(S_j^l S_j'^{l'}) with E(δδ') = pp' (j ≠ j') or "
              "p, computed recursively for all pairs of units from the input layer up.",
    note="As printed the recursion assumes δ_jδ_j' independent of S_jS_j'; that fails when "
         "one of j, j' is an ancestor of the other. See eq25.second_moments_exact.")
def eq25(ctx: Context) -> list[CaseResult]:
    """Eq. 25 applied literally to every pair of units against exact enumeration. Smallest
    case, a chain I → a → b with weights w1, w2: truly E(S_bS_a) = w2p_a E(S_a²) =
    w2w1²p_ap_I I², Eq. 25 gives w2w1²p_ap_I² I². Cases: that chain, strictly layered random
    nets, and nets with skip connections."""
    rng = ctx.rng()
    out = []
    W = np.zeros((3, 3))
    W[1, 0], W[2, 1] = 1.5, -0.7
    chain = th.LayeredNet(W, np.array([0, 1, 2]))
    p = np.array([0.5, 0.8, 1.0])
    e = sim.enumerate_network(chain, [1.0], p_units=p)
    M = th.deep_linear_second_moments_eq25(chain, [1.0], p)
    out.append(judge.exact({"net": "chain I→a→b", "w": [1.5, -0.7], "p": [0.5, 0.8], "pair": "(b, a)"},
                           e["ESS"][2, 1], M[2, 1], method="enumeration", n=4,
                           detail=f"chain I = 1: enumeration E(S_bS_a) = {e['ESS'][2, 1]:.6g} "
                                  f"(= w2w1²p_ap_I), Eq. 25 gives {M[2, 1]:.6g} (= w2w1²p_ap_I²)"))
    for sp in (0.0, 0.0, 0.5, 0.5):
        net, ws, _ = _random_net(rng, 14, skip_prob=sp)
        p = rng.uniform(0.1, 0.95, net.n_units)
        I = rng.standard_normal(net.n_in)
        e = sim.enumerate_network(net, I, p_units=p)
        M = th.deep_linear_second_moments_eq25(net, I, p)
        same = net.layer[:, None] == net.layer[None, :]
        out.append(judge.exact({"widths": ws, "skip_prob": sp, "pairs": "same layer"},
                               np.where(same, e["ESS"], 0), np.where(same, M, 0),
                               method="enumeration", n=e["n_subnetworks"]))
        out.append(judge.exact({"widths": ws, "skip_prob": sp, "pairs": "all"}, e["ESS"], M,
                               method="enumeration", n=e["n_subnetworks"]))
    return out


@CATALOG.claim(
    "eq25.second_moments_exact", label="Eq. 25", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq25.second_moments",
    statement="Exact recursion: with Y_j = δ_jS_j, E(Y_jY_k) = p_kΣ_j' w_kj' E(Y_jY_j') for j "
              "< k, E(Y_k²) = p_kE(S_k²), and E(SSᵀ) = W E(YYᵀ) Wᵀ.")
def eq25_exact(ctx: Context) -> list[CaseResult]:
    """Derivation: process units in topological order. The gate δ_k of unit k is independent
    of every sum and gate computed before k, so for any earlier unit j, E(Y_jY_k) =
    E(δ_k)E(Y_jS_k) = p_kΣ_j' w_kj'E(Y_jY_j'), and E(Y_k²) = E(δ_k²)E(S_k²) = p_kE(S_k²),
    with S_k = Σ_j' w_kj'Y_j'. Eq. 25 instead factors E(δ_jδ_j'S_jS_j') as E(δ_jδ_j')E(S_jS_j'),
    which is false when j' is an ancestor of j (S_j depends on δ_j'): then δ_j' enters twice
    and p_j' appears squared. Checked against enumeration (random DAGs with skip connections)
    and, for wide deep nets, against Monte Carlo covariances of the output layer."""
    return _deep_cases(ctx, "units", th.deep_linear_second_moments_units, moments=True)


@CATALOG.claim(
    "sec3.connection_covariances", label="Section 3 (after Eq. 26)", kind=Kind.IDENTITY,
    statement="Under connection dropout all covariances can be computed recursively from the "
              "input to the output layer (E(S_iS_k) = Σ_j' p_kj'w_kj'E(S_iS_j') for i < k).")
def sec3_connection_cov(ctx: Context) -> list[CaseResult]:
    """The recursion (the gates into k are independent of all earlier sums) against exact
    enumeration of every connection mask and, for wide nets, Monte Carlo output covariances."""
    return _deep_cases(ctx, "connections", th.deep_linear_second_moments_connections, moments=True)


@CATALOG.claim(
    "sec3.ancestor_gates", label="Sec. 3 (after Eq. 24)", kind=Kind.IDENTITY,
    statement="Although E(S_i^h) is taken over all subnetworks, only the Bernoulli gating "
              "variables of the previous layers (l < h) matter, so it coincides with the "
              "expectation over the induced subnetworks of node i (its ancestors only).")
def sec3_ancestors(ctx: Context) -> list[CaseResult]:
    """Random layered nets with skip connections (unit dropout, random keep probabilities),
    every subnetwork enumerated: for each non-input unit i, E(S_i) over the whole network
    against E(S_i) over the subnetwork induced by i (inputs, ancestors, i; fewer gates), and
    against the whole network with the keep probabilities of every unit in layers ≥ h (i's own
    gate included) redrawn (all units of layer h at once); all exact."""
    rng = ctx.rng()
    out = []
    for _ in range(3):
        net, ws, sp = _random_net(rng, 12, skip_prob=0.4)
        I = rng.standard_normal(net.n_in)
        p = rng.uniform(0.1, 0.9, net.n_units)
        full = sim.enumerate_network(net, I, p_units=p)["ES"]
        absnet = th.LayeredNet(np.abs(net.W), net.layer)
        scale = th.deep_linear_mean_units(absnet, np.abs(I), np.ones(net.n_units))
        for i in range(net.n_in, net.n_units):
            sub, keep = th.induced_subnet(net, i)
            e = sim.enumerate_network(sub, I, p_units=p[keep])
            prm = {"widths": ws, "unit": i, "layer": int(net.layer[i]),
                   "ancestors": int(keep.size - net.n_in - 1)}
            out.append(judge.exact({**prm, "vs": "induced subnetwork"}, full[i], e["ES"][-1],
                                   method="enumeration", n=e["n_subnetworks"], scale=scale[i]))
        for h in range(1, int(net.layer.max()) + 1):
            idx = np.flatnonzero(net.layer == h)
            p2 = np.where(net.layer >= h, rng.uniform(0.1, 0.9, net.n_units), p)
            moved = sim.enumerate_network(net, I, p_units=p2)["ES"][idx]
            out.append(judge.exact({"widths": ws, "layer": h, "vs": "gates of layers >= h redrawn"},
                                   full[idx], moved, method="enumeration",
                                   scale=float(np.max(scale[idx]))))
    return out


# ------------------------------------------------------------------------------------------
# Section 4: NWGM of logistic and normalized exponential units
# ------------------------------------------------------------------------------------------


def _random_c_lam(rng):
    return float(np.exp(rng.uniform(-3, 3))), float(rng.choice([1.0, rng.uniform(0.05, 5.0), -rng.uniform(0.1, 3)]))


@CATALOG.claim(
    "eq33.nwgm_uniform", label="Eq. 28, Eq. 29, Eq. 30, Eq. 31, Eq. 32, Eq. 33, Eq. 34",
    kind=Kind.IDENTITY,
    statement="Over the 2^n equally likely subnetworks of a logistic unit (any c ≥ 0, λ), "
              "G/(G + G') = σ(E(S)) with E(S) = Σ (w_i/2) I_i.")
def eq33_uniform(ctx: Context) -> list[CaseResult]:
    """Gray-code enumeration of the 2^n subnetworks (n ≤ 20, q = 0.5) with log-domain G and
    G', random c, λ (negative λ included) and inputs, against σ(Σ w_iI_i/2); plus the
    identity (1 − σ)/σ = ce^{−λx} of Eq. 32 on a grid."""
    rng = ctx.rng()
    out = []
    for n in [1, 20] + [int(rng.integers(2, 16)) for _ in range(4)]:
        c, lam = _random_c_lam(rng)
        w, I = rng.standard_normal(n) * rng.uniform(0.2, 4), rng.standard_normal(n)
        e = sim.enumerate_logistic_unit(w, I, 0.5, c=c, lam=lam)
        out.append(judge.identity({"n": n, "c": c, "lam": lam},
                                  float(th.logistic(th.halved_weights_output(w, I), c, lam)),
                                  _exact_est(e["NWGM"], e["n_subnetworks"]), ctx))
    x = np.linspace(-20, 20, 401)
    for c, lam in ((1.0, 1.0), (0.2, 2.5), (7.0, -0.5)):
        lo, l1 = th.log_logistic(x, c, lam)
        out.append(judge.exact({"eq": "Eq. 32", "c": c, "lam": lam}, math.log(c) - lam * x,
                               l1 - lo, n=x.size))
    return out


@CATALOG.claim(
    "eq33.middle_as_printed", label="Eq. 33", kind=Kind.IDENTITY,
    statement="Eq. 33's middle step: 1/(1 + [Π ce^{−λS(N)}]^{1/2^n}) = "
              "1/(1 + c[e^{−λΣ S(N)/2^n}]^{1/2^n}).",
    note="The 1/2^n exponent is applied twice (and the end result σ(E(S)) is right); a "
         "typesetting slip. eq33.middle_corrected gives the intended expression.")
def eq33_middle(ctx: Context) -> list[CaseResult]:
    """The printed middle expression evaluated on the enumerated subnetwork sums against the
    left expression (the NWGM) for random units with n ≥ 1."""
    rng = ctx.rng()
    out = []
    for n in (1, 3, 6):
        w, I = rng.standard_normal(n) * 2, rng.standard_normal(n) + 1
        masks = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1).astype(float)
        S = masks @ (w * I)
        left = th.nwgm_logistic(S)
        out.append(judge.exact({"n": n}, left, th.eq33_middle_as_printed(S),
                               detail=f"NWGM = {left:.6g}, printed middle = "
                                      f"{th.eq33_middle_as_printed(S):.6g}"))
    return out


@CATALOG.claim(
    "eq33.middle_corrected", label="Eq. 33", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq33.middle_as_printed",
    statement="1/(1 + [Π_N ce^{−λS(N)}]^{1/2^n}) = 1/(1 + ce^{−λΣ_N S(N)/2^n}) = σ(E(S)).")
def eq33_middle_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: [Π_N ce^{−λS(N)}]^{1/2^n} = c^{2^n/2^n}·e^{−λΣ_N S(N)/2^n} = ce^{−λE(S)}, so
    the exponent 1/2^n is used once. Checked on enumerated subnetwork sums, random c, λ."""
    rng = ctx.rng()
    out = []
    for n in (1, 4, 9):
        c, lam = _random_c_lam(rng)
        w, I = rng.standard_normal(n) * 2, rng.standard_normal(n) + 1
        masks = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1).astype(float)
        S = masks @ (w * I)
        val = 1 / (1 + c * math.exp(-lam * S.sum() / S.size))
        out.append(judge.exact({"n": n, "c": c, "lam": lam}, th.nwgm_logistic(S, None, c, lam), val))
    return out


@CATALOG.claim(
    "eq39.nwgm_any_distribution", label="Eq. 35, Eq. 36, Eq. 37, Eq. 38, Eq. 39",
    kind=Kind.IDENTITY,
    statement="For any distribution P over subnetworks (independent non-identical selectors, "
              "or arbitrary weights over any values S_1..S_m) and any c, λ: NWGM(σ(S)) = "
              "σ(Σ P(N) S(N)) = σ(E(S)).")
def eq39(ctx: Context) -> list[CaseResult]:
    """(a) Gray-code enumeration of 2^n subnetworks with independent non-identical p_i
    (n ≤ 20), against σ(Σ p_iw_iI_i); (b) arbitrary Dirichlet weights over m values S (m up to
    2·10⁶), with S as large as ±40/λ so that O rounds to 0 or 1 in floating point — G, G' and
    the NWGM are computed in the log domain; all to relative 1e-10."""
    rng = ctx.rng()
    out = []
    for _ in range(5):
        n = int(rng.integers(1, 21))
        c, lam = _random_c_lam(rng)
        w, I = rng.standard_normal(n) * rng.uniform(0.2, 4), rng.standard_normal(n)
        p = rng.uniform(0.02, 0.98, n)
        e = sim.enumerate_logistic_unit(w, I, p, c=c, lam=lam)
        out.append(judge.identity({"n": n, "c": c, "lam": lam, "distribution": "independent p_i"},
                                  float(th.logistic(th.linear_unit_mean(w, I, p), c, lam)),
                                  _exact_est(e["NWGM"], e["n_subnetworks"]), ctx))
    for m in (2, 1000, int(rng.integers(10, 5000)), 2_000_000):
        c, lam = _random_c_lam(rng)
        S = rng.standard_normal(m) * rng.choice([1.0, 40.0 / abs(lam)])
        P = rng.dirichlet(np.full(m, 0.5))
        out.append(judge.identity({"m": m, "c": c, "lam": lam, "distribution": "arbitrary weights"},
                                  float(th.logistic(P @ S, c, lam)),
                                  _exact_est(th.nwgm_logistic(S, P, c, lam), m, "closed_form"), ctx))
    return out


@CATALOG.claim(
    "eq40_41.functions_of_S", label="Eq. 40, Eq. 41, Eq. 215", kind=Kind.IDENTITY,
    statement="For any function f, NWGM(σ(f(S))) = σ(E(f(S))); in particular "
              "NWGM(σ(S^k)) = σ(E(S^k)).")
def eq40_41(ctx: Context) -> list[CaseResult]:
    """Random subnetwork sums with Dirichlet weights, f(S) = S^k (k = 1..4), sin, |S|, e^S."""
    rng = ctx.rng()
    fs = {"S^2": lambda s: s ** 2, "S^3": lambda s: s ** 3, "S^4": lambda s: s ** 4,
          "sin": np.sin, "abs": np.abs, "exp": np.exp}
    out = []
    for name, f in fs.items():
        m = int(rng.integers(2, 500))
        c, lam = _random_c_lam(rng)
        S = rng.standard_normal(m) * 1.5
        P = rng.dirichlet(np.ones(m))
        fS = f(S)
        out.append(judge.identity({"f": name, "m": m, "c": c, "lam": lam},
                                  float(th.logistic(P @ fS, c, lam)),
                                  _exact_est(th.nwgm_logistic(fS, P, c, lam), m, "closed_form"), ctx))
    return out


def _softmax_subnetworks(rng, k, n, per_connection):
    W, I = rng.standard_normal((k, n)), rng.standard_normal(n)
    if per_connection:
        P = rng.uniform(0.1, 0.9, (k, n))
        bits = k * n
        masks = ((np.arange(1 << bits)[:, None] >> np.arange(bits)) & 1).reshape(-1, k, n)
        prob = np.prod(np.where(masks == 1, P, 1 - P), axis=(1, 2))
        S = np.einsum("mkn,kn,n->mk", masks, W, I)
        ES = (W * P) @ I
    else:
        p = rng.uniform(0.1, 0.9, n)
        masks = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1)
        prob = np.prod(np.where(masks == 1, p, 1 - p), axis=1)
        S = (masks * I) @ W.T
        ES = W @ (p * I)
    return S, prob / prob.sum(), ES


@CATALOG.claim(
    "eq47.softmax", label="Eq. 43, Eq. 44, Eq. 45, Eq. 46, Eq. 47", kind=Kind.IDENTITY,
    statement="For a layer of normalized exponential units, NWGM(O_i) = e^{λE(S_i)}/"
              "Σ_l e^{λE(S_l)} (the normalized exponential of the expected sums).")
def eq47(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of all subnetworks M: factorial (connection dropout, 2^{kn} ≤ 2^14
    subnetworks, the paper's assumption) and non-factorial (input-unit dropout shared by all
    outputs), random λ; the NWGM of Eq. 44 computed with a log-softmax in the log domain."""
    rng = ctx.rng()
    out = []
    for per_conn in (True, True, False, False):
        k = int(rng.integers(2, 4))
        n = int(rng.integers(1, 14 // k + 1)) if per_conn else int(rng.integers(1, 13))
        lam = float(rng.uniform(0.2, 3))
        S, prob, ES = _softmax_subnetworks(rng, k, n, per_conn)
        got = th.nwgm_softmax_enumerated(S, prob, lam)
        out.append(judge.exact({"k": k, "n": n, "lam": lam,
                                "distribution": "factorial (connections)" if per_conn else "input units"},
                               th.softmax(ES, lam), got, method="enumeration", n=S.shape[0]))
    return out


@CATALOG.claim(
    "sec4_2.layer_covariance", label="Section 4.2", kind=Kind.IDENTITY,
    statement="In a layer of logistic units, the covariance of two outputs is 0 under "
              "connection dropout (subnetworks chosen independently per unit) and may be "
              "non-zero under input dropout.")
def sec4_2(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of a random k × n logistic layer: Cov(O_i, O_l) = 0 to 1e-12 under
    connection dropout; under input dropout the largest |Cov| is reported and must be non-zero
    (> 1e-6) for the 'may be non-zero' half."""
    rng = ctx.rng()
    out = []
    for per_conn in (True, False):
        k = 3
        n = 5 if per_conn else 10
        W, I = rng.standard_normal((k, n)) * 2, rng.standard_normal(n)
        if per_conn:
            S, prob, _ = _softmax_subnetworks(np.random.default_rng(rng.integers(2**32)), k, n, True)
        else:
            S, prob, _ = _softmax_subnetworks(np.random.default_rng(rng.integers(2**32)), k, n, False)
        O = special.expit(S)
        EO = prob @ O
        C = (O - EO).T @ ((O - EO) * prob[:, None])
        off = C[~np.eye(k, dtype=bool)]
        prm = {"k": k, "n": n, "dropout": "connections" if per_conn else "input units"}
        if per_conn:
            # centred sums; zero to 1e-10 of the largest variance (the size of the terms)
            out.append(judge.exact(prm, np.zeros_like(off), off, method="enumeration",
                                   n=S.shape[0], scale=float(np.max(np.diag(C)))))
        else:
            # "may be non-zero": the largest |Cov| must exceed 1e-6 of the largest variance
            # (the size of the terms); a power run raises that threshold by δ·max Var
            big = float(np.max(np.abs(off)))
            vmax = float(np.max(np.diag(C)))
            ok = ctx.ge(big, 1e-6 * vmax, scale=vmax)
            out.append(CaseResult(prm, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                                  None, _exact_est(big, S.shape[0]), None, None,
                                  f"max |Cov(O_i, O_l)| = {big:.3g} (non-zero; "
                                  f"{big / vmax:.3g} of the largest variance)"))
    return out


# ------------------------------------------------------------------------------------------
# Section 5: deep logistic networks
# ------------------------------------------------------------------------------------------


def _deep_logistic_cases(ctx, n_cases=5):
    rng = ctx.rng()
    for _ in range(n_cases):
        net, ws, sp = _random_net(rng, 14)
        net = th.LayeredNet(net.W * rng.uniform(0.5, 3), net.layer)
        p = rng.uniform(0.1, 0.95, net.n_units)
        I = rng.uniform(0, 1, net.n_in)
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.5, 2.5))
        e = sim.enumerate_network(net, I, p_units=p, activation="logistic", c=c, lam=lam)
        yield {"widths": ws, "skip_prob": sp, "c": c, "lam": lam,
               "subnetworks": e["n_subnetworks"]}, net, I, p, c, lam, e


@CATALOG.claim(
    "eq53_54.deep_nwgm", label="Eq. 49, Eq. 50, Eq. 53, Eq. 54", kind=Kind.IDENTITY,
    statement="In a deep logistic network with unit dropout, for every unit NWGM(O_i^h) = "
              "σ(E(S_i^h)) and E(S_i^h) = Σ_{l<h}Σ_j w_ij^{hl} p_j^l E(O_j^l), exactly.")
def eq53_54(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of every unit mask of random deep logistic DAGs: the NWGM of each
    non-input unit from E log O and E log(1 − O) against σ(E S) (Eq. 53), and E(S) against
    the propagation of the exact E(O) with weights scaled by p (Eq. 54)."""
    out = []
    for prm, net, I, p, c, lam, e in _deep_logistic_cases(ctx):
        idx = np.arange(net.n_in, net.n_units)
        nwgm = special.expit(e["ElogO"][idx] - e["Elog1mO"][idx])
        out.append(judge.exact({**prm, "eq": "Eq. 53"}, th.logistic(e["ES"][idx], c, lam), nwgm,
                               method="enumeration", n=e["n_subnetworks"]))
        EO = e["EO"].copy()
        rhs = (net.W * p[None, :]) @ EO
        out.append(judge.exact({**prm, "eq": "Eq. 54"}, rhs[idx], e["ES"][idx],
                               method="enumeration", n=e["n_subnetworks"]))
    return out


@CATALOG.claim(
    "eq52.nwgm_approximates_mean", label="Eq. 51, Eq. 52", kind=Kind.APPROXIMATION,
    statement="E(O_i^h) ≈ NWGM(O_i^h) for the units of a deep logistic network.")
def eq52(ctx: Context) -> list[CaseResult]:
    """Criterion from the paper's wording: Eq. 52 "is exact if and only if the numbers O_i^h
    are identical over all subnetworks", and its quality is that of Section 8's second-order
    approximation (the worse the larger Var(O)). So (a) with p = 1 (one subnetwork) E(O) =
    NWGM(O) exactly; (b) as the spread of the sums shrinks — all weights scaled by s → 0
    (s = 1 … 1/256), dropout rates unchanged — |E(O) − NWGM(O)| must vanish at second order,
    O(s²) (judge.order, absolute), for the unit of each random deep logistic net with the
    largest error at s = 1 (exact enumeration of every unit mask); the error at s = 1 of the
    worst unit is reported as a measurement."""
    out = []
    s = 0.5 ** np.arange(9)
    for prm, net, I, p, c, lam, e in _deep_logistic_cases(ctx):
        idx = np.arange(net.n_in, net.n_units)
        # the same network without dropout: one subnetwork, so E(O) = NWGM exactly
        e1 = sim.enumerate_network(net, I, p_units=1.0, activation="logistic", c=c, lam=lam)
        out.append(judge.exact({**prm, "p": 1.0, "what": "identical outputs ⇒ exact"},
                               e1["EO"][idx], special.expit(e1["ElogO"][idx] - e1["Elog1mO"][idx]),
                               method="enumeration", n=1))
        nwgm = special.expit(e["ElogO"][idx] - e["Elog1mO"][idx])
        j = int(np.argmax(np.abs(e["EO"][idx] - nwgm)))
        out.append(judge.approximation({**prm, "unit": int(idx[j])}, e["EO"][idx][j], nwgm[j],
                                       detail=f"worst of {idx.size} units"))
        D, A = [], []
        for sk in s:
            ek = e if sk == 1.0 else sim.enumerate_network(
                th.LayeredNet(net.W * sk, net.layer), I, p_units=p, activation="logistic",
                c=c, lam=lam)
            D.append(ek["EO"][idx[j]])
            A.append(float(special.expit(ek["ElogO"][idx[j]] - ek["Elog1mO"][idx[j]])))
        out.append(judge.order({**prm, "unit": int(idx[j]), "weights": "scaled by s → 0"}, s,
                               D, A, 2, kind="absolute", name="E(O) − NWGM(O)", ctx=ctx))
    return out


@CATALOG.claim(
    "sec5.variance_bound", label="Section 5, Eq. 212", kind=Kind.INEQUALITY,
    statement="For any random variable O in [0, 1], Var(O) ≤ E(O)(1 − E(O)) ≤ 1/4.")
def sec5_variance_bound(ctx: Context) -> list[CaseResult]:
    """Hypothesis search over finite distributions on [0, 1] (including the endpoints), the
    Bernoulli edge case where the first bound is attained, and every unit of enumerated deep
    logistic networks."""
    def holds(args):
        O, P = _unpack(args)
        E = float(P @ O)
        V = float(P @ (O - E) ** 2)
        # 1 − E is resolved to ~1.1e-16 next to E = 1, hence the absolute 1e-15; the bounds
        # are tightened by δ times themselves in power runs (nothing to move when both are 0)
        return (ctx.le(V, E * (1 - E), tol=1e-15, scale=max(V, 1e-300))
                and ctx.le(E * (1 - E), 0.25))
    out = [_search(ctx, holds, _st_sample(0.0, 1.0), {"domain": "[0, 1]"})]
    O, P = np.array([0.0, 1.0]), np.array([0.3, 0.7])
    out.append(judge.exact({"case": "Bernoulli(0.7): equality"}, 0.7 * 0.3, P @ (O - 0.7) ** 2))
    for prm, net, I, p, c, lam, e in _deep_logistic_cases(ctx, 3):
        idx = np.arange(net.n_in, net.n_units)
        EO, EO2 = e["EO"][idx], e["EO2"][idx]
        V = EO2 - EO ** 2  # a difference: the tolerance is relative to E(O²)
        ok = ctx.le(V, EO * (1 - EO), tol=FP_SLACK * float(EO2.max()))
        out.append(CaseResult(prm, Verdict.CONFIRMED if ok else Verdict.REFUTED, None,
                              _exact_est(float(np.max(V / (EO * (1 - EO)))), e["n_subnetworks"]),
                              None, None, f"max Var/(E(1−E)) = {np.max(V / (EO * (1 - EO))):.4f}"))
    return out


# ------------------------------------------------------------------------------------------
# Section 6: ensemble errors
# ------------------------------------------------------------------------------------------


def _st_ensemble(lo=1e-6, hi=1 - 1e-6):
    from hypothesis import strategies as st

    return st.tuples(_st_sample(lo, hi), st.floats(0.0, 1.0, allow_nan=False))


def _combos(O, P):
    E = float(P @ O)
    lg = float(P @ np.log(O))
    lg1 = float(P @ np.log1p(-O))
    return {"E": E, "WGM": math.exp(lg), "NWGM": float(special.expit(lg - lg1))}


def _ensemble_holds(error: str, which: str, domain=None):
    f = th.ERRORS[error]

    def holds(args):
        (O, P), t = _unpack(args[0]), args[1]
        if domain is not None:
            lo, hi = domain(t)
            O = lo + (hi - lo) * O
            O = np.clip(O, 1e-12, 1 - 1e-12)
        c = _combos(O, P)[which]
        return _error_le(error, float(f(c, t)), float(P @ f(O, t)), O, t, c)
    return holds


def _error_le(error: str, lhs: float, rhs: float, O, t: float, c: float | None = None) -> bool:
    """``Error(combination) ≤ E(Error)`` through :meth:`Context.le` (power runs tighten the
    right side). The tolerance is FP_SLACK of the size of the terms: for the squared error,
    (t − O)²/2 is built from t and O, so its rounding is relative to max(t, O)²/2 (not to the
    error itself, which vanishes when all O_i = t); the relative entropy −t log O −
    (1 − t) log(1 − O) is a sum of non-negative terms, its own size. The combination ``c``
    (E, WGM or NWGM) carries a rounding of a few ulps (times |log c| + |log(1 − c)| for the
    geometric means), which the error function amplifies by |Error'(c)|: near O = 1 the
    relative entropy's derivative (1 − t)/(1 − c) reaches 1e6 and more, so that term joins the
    size."""
    ctx = current_context() or Context("<none>", 0)
    if error == "squared":
        size = 0.5 * max(float(t), float(np.max(O))) ** 2
    else:
        size = 0.0
    if c is not None:
        c = float(c)
        deriv = (c - t) if error == "squared" else (c - t) / max(c * (1 - c), 1e-300)
        size = max(size, abs(deriv) * (1 + abs(math.log(max(c, 1e-300)))
                                       + abs(math.log1p(-min(c, 1 - 1e-16)))))
    size = max(size, abs(lhs), abs(rhs))
    # a power run moves E(Error) by δ·max(Error(combination), E(Error)): relative to the errors
    return ctx.le(lhs, rhs, tol=FP_SLACK * size, scale=max(abs(lhs), abs(rhs), 1e-300))


def _ensemble_claim(ctx, which, errors=("squared", "relative_entropy"), domain=None, label=""):
    out = []
    for err in errors:
        out.append(_search(ctx, _ensemble_holds(err, which, domain), _st_ensemble(),
                           {"error": err, "combination": which, "domain": label or "(0, 1)"},
                           what="((O, weights), t)"))
    return out


@CATALOG.claim(
    "eq56.arithmetic_mean", label="Eq. 55, Eq. 56", kind=Kind.INEQUALITY,
    statement="For the squared error and the relative entropy, Error(Σ p_iO_i, t) ≤ "
              "Σ p_i Error(O_i, t) for any ensemble and target.")
def eq56(ctx: Context) -> list[CaseResult]:
    """Hypothesis search over outputs in (0, 1), weights and targets t ∈ [0, 1]; the shrunk
    counterexample, if any, is reported verbatim."""
    return _ensemble_claim(ctx, "E")


@CATALOG.claim(
    "eq57.geometric_mean", label="Eq. 57", kind=Kind.INEQUALITY,
    statement="For any convex error function (squared error, relative entropy), "
              "Error(Π O_i^{p_i}, t) ≤ Σ p_i Error(O_i, t).",
    note="Fails for the squared error: (t − e^x)²/2 is not convex in x = log O where O < t/2 "
         "(the proof's 'f convex and g increasing ⇒ f∘g convex' is false). See eq57.corrected.")
def eq57(ctx: Context) -> list[CaseResult]:
    """Hypothesis search for both error functions, plus the deterministic case O = (0.01, 0.4),
    P = (½, ½), t = 1: WGM = 0.0632, Error(WGM) = 0.4388 > E(Error) = 0.3350."""
    out = _ensemble_claim(ctx, "WGM")
    O, P = np.array([0.01, 0.4]), np.array([0.5, 0.5])
    lhs, rhs = float(th.squared_error(_combos(O, P)["WGM"], 1.0)), float(P @ th.squared_error(O, 1.0))
    out.append(CaseResult({"error": "squared", "O": O.tolist(), "P": P.tolist(), "t": 1.0},
                          Verdict.CONFIRMED if _error_le("squared", lhs, rhs, O, 1.0)
                          else Verdict.REFUTED, rhs,
                          _exact_est(lhs, 1, "closed_form"), None, None,
                          f"Error(WGM) = {lhs:.4f} vs E(Error) = {rhs:.4f}"))
    return out


@CATALOG.claim(
    "eq58.normalized_geometric_mean", label="Eq. 58", kind=Kind.INEQUALITY,
    statement="For any convex error function (squared error, relative entropy), "
              "Error(NWGM, t) ≤ Σ p_i Error(O_i, t).",
    note="Fails for the squared error: (t − σ(x))²/2 is not convex in x = logit O outside "
         "O ∈ [((1+t) − √(1−t+t²))/3, ((1+t) + √(1−t+t²))/3]. See eq58.corrected.")
def eq58(ctx: Context) -> list[CaseResult]:
    """Hypothesis search for both error functions, plus the deterministic case O = (0.01, 0.4),
    P = (½, ½), t = 1: NWGM = 0.0759, Error(NWGM) = 0.4268 > E(Error) = 0.3350."""
    out = _ensemble_claim(ctx, "NWGM")
    O, P = np.array([0.01, 0.4]), np.array([0.5, 0.5])
    lhs, rhs = float(th.squared_error(_combos(O, P)["NWGM"], 1.0)), float(P @ th.squared_error(O, 1.0))
    out.append(CaseResult({"error": "squared", "O": O.tolist(), "P": P.tolist(), "t": 1.0},
                          Verdict.CONFIRMED if _error_le("squared", lhs, rhs, O, 1.0)
                          else Verdict.REFUTED, rhs,
                          _exact_est(lhs, 1, "closed_form"), None, None,
                          f"Error(NWGM) = {lhs:.4f} vs E(Error) = {rhs:.4f}"))
    return out


@CATALOG.claim(
    "eq57.corrected", label="Eq. 57", kind=Kind.INEQUALITY, as_printed=False, corrects="eq57.geometric_mean",
    statement="Error(WGM) ≤ E(Error) holds for the relative entropy always, and for the squared "
              "error whenever every O_i ≥ t/2.")
def eq57_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: Jensen needs h(x) = Error(e^x, t) convex on the hull of the points log O_i.
    For the relative entropy h(x) = −tx − (1 − t)log(1 − e^x), with h'' = e^x/(1 − e^x)² > 0.
    For the squared error h(x) = (t − e^x)²/2 has h'' = e^x(2e^x − t), non-negative exactly
    where e^x ≥ t/2; so the inequality holds when all O_i ≥ t/2 (and can fail otherwise,
    eq57.geometric_mean). Hypothesis searches on both domains."""
    out = _ensemble_claim(ctx, "WGM", ("relative_entropy",))
    out += _ensemble_claim(ctx, "WGM", ("squared",), domain=lambda t: (t / 2, 1.0),
                           label="O_i in [t/2, 1)")
    return out


@CATALOG.claim(
    "eq58.corrected", label="Eq. 58", kind=Kind.INEQUALITY, as_printed=False,
    corrects="eq58.normalized_geometric_mean",
    statement="Error(NWGM) ≤ E(Error) holds for the relative entropy always, and for the squared "
              "error whenever every O_i lies in [((1+t) − √(1−t+t²))/3, ((1+t) + √(1−t+t²))/3].")
def eq58_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: with x = logit O, the relative entropy is t·log(1 + e^{−x}) +
    (1 − t)·log(1 + e^x), convex in x. For the squared error h(x) = (t − σ(x))²/2,
    h'' = σ'² − (t − σ)σ'' = σ(1 − σ)[−3σ² + 2(1 + t)σ − t], non-negative exactly for σ
    between the roots ((1 + t) ∓ √(1 − t + t²))/3; Jensen applies when all logit O_i lie in
    that interval (which is convex in x). Hypothesis searches on both domains."""
    out = _ensemble_claim(ctx, "NWGM", ("relative_entropy",))
    out += _ensemble_claim(ctx, "NWGM", ("squared",), domain=th.squared_error_nwgm_convex_range,
                           label="O_i in the convex range of t")
    return out


# ------------------------------------------------------------------------------------------
# Section 7.1: the functional class
# ------------------------------------------------------------------------------------------


def _st_eq60():
    from hypothesis import strategies as st

    return st.tuples(st.floats(-8, 8, allow_nan=False), st.floats(-8, 8, allow_nan=False),
                     st.floats(0.0, 1.0, allow_nan=False))


def _eq60_holds(f, rtol=1e-9, logf=None, *, hooked=True):
    """Eq. 60 at (u, v, p): NWGM of f(u), f(v) equals f(pu + (1 − p)v) to ``rtol`` of the size
    of the values (both computed to ~1e-13 relative in the log domain). ``hooked``: compare
    through :meth:`Context.close` (f(E) is the theory side a power run perturbs); searches
    that *expect* a violation pass ``hooked=False`` and decide through a separate case."""
    def holds(args):
        u, v, p = args
        left, right = th.eq60_sides(f, u, v, p, logf)
        if not hooked:
            return abs(left - right) <= rtol * max(abs(left), abs(right))
        ctx = current_context() or Context("<none>", 0)
        return ctx.close(left, right, rtol=rtol)
    return holds


@CATALOG.claim(
    "eq59.logistic_in_class", label="Eq. 59, Eq. 60, Eq. 62", kind=Kind.IDENTITY,
    statement="Every logistic function f(x) = 1/(1 + ce^{−λx}) (and every constant in (0, 1)) "
              "satisfies G/(G + G')(f) = f(E) for any points and any distribution.")
def eq59_logistic(ctx: Context) -> list[CaseResult]:
    """Hypothesis searches for a violation of Eq. 60 (points u, v, weight p) for random c, λ,
    and exact checks of Eq. 59 with many points and Dirichlet weights (log domain), for
    logistic functions and a constant (λ = 0)."""
    rng = ctx.rng()
    out = []
    for c, lam in [(1.0, 1.0), _random_c_lam(rng), (2.5, 0.0)]:
        f = lambda x, c=c, lam=lam: th.logistic(x, c, lam)
        logf = lambda x, c=c, lam=lam: th.log_logistic(x, c, lam)
        out.append(_search(ctx, _eq60_holds(f, logf=logf), _st_eq60(), {"c": c, "lam": lam},
                           what="(u, v, p)"))
        x = rng.standard_normal(50) * 3
        P = rng.dirichlet(np.ones(50))
        out.append(judge.exact({"c": c, "lam": lam, "m": 50}, float(f(P @ x)),
                               th.nwgm_logistic(x, P, c, lam)))
    return out


@CATALOG.claim(
    "sec7_1.tanh_in_class", label="Section 7.1", kind=Kind.IDENTITY,
    statement="(1 + tanh(x))/2 = 1/(1 + e^{−2x}), hence NWGM((1 + tanh(x))/2) = "
              "(1 + tanh(E(x)))/2.")
def sec7_1_tanh(ctx: Context) -> list[CaseResult]:
    """The identity on a grid, a hypothesis search for a violation of Eq. 60, and the NWGM of
    random samples with Dirichlet weights against (1 + tanh(E))/2."""
    rng = ctx.rng()
    x = np.linspace(-15, 15, 3001)
    out = [judge.exact({"grid": "[-15, 15]"}, special.expit(2 * x), th.tanh_unit(x), n=x.size)]
    out.append(_search(ctx, _eq60_holds(th.tanh_unit, logf=lambda x: th.log_logistic(x, 1.0, 2.0)),
                       _st_eq60(), {"f": "(1+tanh)/2"},
                       what="(u, v, p)"))
    for m in (2, 30):
        xs = rng.standard_normal(m) * 2
        P = rng.dirichlet(np.ones(m))
        O = th.tanh_unit(xs)
        out.append(judge.exact({"m": m}, float(th.tanh_unit(P @ xs)), th.weighted_means(O, P)["NWGM"]))
    return out


@CATALOG.claim(
    "sec7_1.others_not_in_class", label="Section 7.1, Eq. 59", kind=Kind.INEQUALITY,
    statement="arctan and x/√(1 + x²), rescaled to [0, 1], do not satisfy NWGM(f) = f(E) "
              "(only logistic functions and constants do), though their deviations may be small.")
def sec7_1_others(ctx: Context) -> list[CaseResult]:
    """Hypothesis looks for (u, v, p) violating Eq. 60 by more than 1e-9 — finding one confirms
    that the function is outside the class (a search that finds none is INCONCLUSIVE); and the
    largest deviation |NWGM − f(E)| on a grid of (u, v, p) in [−3, 3]² × {¼, ½, ¾} must exceed
    1e-9 (f takes values in [0, 1], the scale a power run moves that threshold by), which also
    shows how small the deviations are."""
    out = []
    for name, f in (("arctan", th.arctan_unit), ("x/sqrt(1+x^2)", th.algebraic_unit)):
        out.append(_search(ctx, _eq60_holds(f, hooked=False), _st_eq60(), {"f": name},
                           expect_counterexample=True, what="(u, v, p) violating Eq. 60"))
        g = np.linspace(-3, 3, 25)
        dev, arg = max((abs(np.subtract(*th.eq60_sides(f, u, v, p))), (float(u), float(v), p))
                       for u in g for v in g for p in (0.25, 0.5, 0.75))
        ok = ctx.ge(dev, 1e-9, scale=1.0)
        out.append(CaseResult({"f": name, "grid": "[-3, 3]^2 x {1/4, 1/2, 3/4}"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, 1e-9,
                              _exact_est(dev, 25 * 25 * 3, "closed_form"), None, None,
                              f"max |NWGM − f(E)| on the grid = {dev:.4f} at (u, v, p) = {arg}"))
    return out


@CATALOG.claim(
    "eq61_64.two_points", label="Eq. 61, Eq. 62, Eq. 63, Eq. 64, Eq. 65", kind=Kind.IDENTITY,
    statement="A function of the class is determined by f(u), f(v): Eq. 61 interpolates it, "
              "and Eq. 63–64 recover c and λ; f(0) = 1/(1 + c) and f = 1/2 at x = log(c)/λ.")
def eq61_64(ctx: Context) -> list[CaseResult]:
    """For random logistic functions and random u < v: Eq. 61 against f on a grid inside and
    outside [u, v], Eq. 63 and Eq. 64 against the true c and λ, and Eq. 65."""
    rng = ctx.rng()
    out = []
    for _ in range(5):
        c, lam = float(np.exp(rng.uniform(-2, 2))), float(rng.uniform(0.2, 3) * rng.choice([-1, 1]))
        u, v = np.sort(rng.uniform(-3, 3, 2))
        fu, fv = float(th.logistic(u, c, lam)), float(th.logistic(v, c, lam))
        x = np.linspace(u - 2, v + 2, 101)
        prm = {"c": c, "lam": lam, "u": float(u), "v": float(v)}
        out.append(judge.exact({**prm, "eq": "Eq. 61"}, th.logistic(x, c, lam), th.eq61(fu, fv, u, v, x),
                               rtol=1e-9))
        out.append(judge.exact({**prm, "eq": "Eq. 63"}, c, th.eq63_c(fu, fv, u, v), rtol=1e-9))
        out.append(judge.exact({**prm, "eq": "Eq. 64"}, lam, th.eq64_lambda(fu, fv, u, v), rtol=1e-9))
        out.append(judge.exact({**prm, "eq": "Eq. 65"}, [1 / (1 + c), 0.5],
                               [float(th.logistic(0.0, c, lam)), float(th.logistic(math.log(c) / lam, c, lam))]))
    return out


@CATALOG.claim(
    "eq66_67.side_formulas", label="Eq. 66, Eq. 67", kind=Kind.IDENTITY,
    statement="(1 − f(0))/f(0) = [(1 − f(−v))/f(−v)]^{1/2}[(1 − f(v))/f(v)]^{1/2}, and "
              "f(αv) = 1/(1 + ((1 − f(0))/f(0))^{1−α}((1 − f(v))/f(v))^α) for logistic f.")
def eq66_67(ctx: Context) -> list[CaseResult]:
    """Random logistic functions, v and α ∈ (0, 1)."""
    rng = ctx.rng()
    out = []
    for _ in range(5):
        c, lam = float(np.exp(rng.uniform(-2, 2))), float(rng.uniform(0.2, 3))
        v, a = float(rng.uniform(0.1, 4)), float(rng.uniform(0.01, 0.99))
        f = lambda x: float(th.logistic(x, c, lam))
        out.append(judge.exact({"c": c, "lam": lam, "v": v, "eq": "Eq. 66"}, (1 - f(0)) / f(0),
                               th.eq66_rhs(f(-v), f(v)), rtol=1e-9))
        out.append(judge.exact({"c": c, "lam": lam, "v": v, "alpha": a, "eq": "Eq. 67"}, f(a * v),
                               th.eq67(f(0), f(v), a), rtol=1e-9))
    return out


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
def sec7_1_after_eq60(ctx: Context) -> list[CaseResult]:
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

    out = [_search(ctx, equal, st.tuples(unit, unit), {"f(u) = f(v) = K": "left side of Eq. 60 = K"}),
           _search(ctx, zero_left, st.tuples(pos, pos), {"f(u) = 0 < f(v)": "left side = 0, p in (0, 1]"}),
           _search(ctx, zero_right, st.tuples(pos, pos), {"f(u) > 0 = f(v)": "left side = 0, p in [0, 1)"})]

    def eq60_direct_holds(f):
        def holds(args):
            u, v, p = args
            left = th.eq60_left_direct(float(f(u)), float(f(v)), p)
            right = float(f(p * u + (1 - p) * v))
            return not math.isnan(left) and abs(left - right) <= 1e-9
        return holds

    for name, f in (("0 on (-inf, 0], sigma(x) beyond", _bad_zero),
                    ("1/2 + 0.4 sin(x)", _bad_equal)):
        out.append(_search(ctx, eq60_direct_holds(f), _st_eq60(), {"f": name},
                           expect_counterexample=True, what="(u, v, p) violating Eq. 60"))

    def strictly_inside(args):
        (c, lam, K), x = args
        if K is not None:
            return K in (0.0, 1.0) or (0.0 < K < 1.0)
        lo, l1 = th.log_logistic(x, c, lam)
        return bool(np.isfinite(lo) and np.isfinite(l1) and lo < 0 and l1 < 0)

    out.append(_search(ctx, strictly_inside, st.tuples(_st_member(), st.floats(-50, 50)),
                       {"members": "constants K in [0, 1], logistics"},
                       what="member with 0 < f < 1 failing somewhere"))
    return out


def _member_far(c, lam, K, sign):
    """f at a point where a non-constant member is within e^{−700} of its limit (log domain):
    returns (log f, log(1 − f)) at x = sign·(700 + |log c|)/|λ| (any x for constants)."""
    if K is not None:
        return (math.log(K) if K > 0 else -math.inf, math.log1p(-K) if K < 1 else -math.inf)
    x = sign * (700.0 + abs(math.log(c))) / abs(lam) if lam != 0 else sign * 1e6
    lo, l1 = th.log_logistic(x, c, lam)
    return float(lo), float(l1)


def _limit_is_0_or_1(args) -> bool:
    (c, lam, K) = args
    ctx = current_context() or Context("<none>", 0)
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
    note="as printed; see sec7_1.after_eq66_corrected")
def sec7_1_after_eq66(ctx: Context) -> list[CaseResult]:
    """The constants K ∈ (0, 1) are in the class (Eq. 59; the paper's own remark, λ = 0) and
    satisfy 0 < f < 1, the hypothesis of the paragraph, yet they are not strictly monotone and
    their limits are K: a search over the members (c, λ with λ = 0 allowed, or a constant K)
    for limits other than 0 or 1 finds one, and the constant ½ is checked not strictly
    monotone (f(1) − f(0) = 0). The paper's Eq. 67 argument only shows that the limit L makes
    f(αv) independent of α, which L = f(0) (a constant f) also does: REFUTED as printed. The
    corrected statement is registered beside it."""
    out = [_search(ctx, _limit_is_0_or_1, _st_member(), {"members": "constants and logistics"},
                   what="a member with a limit other than 0 or 1")]
    f0, f1 = float(th.class_member(0.0, 1.0, 0.0)), float(th.class_member(1.0, 1.0, 0.0))
    strict = f1 != f0
    out.append(CaseResult({"f": "constant 1/2 (c = 1, lam = 0)", "what": "strictly monotone"},
                          Verdict.CONFIRMED if strict else Verdict.REFUTED, None,
                          _exact_est(f1 - f0, 2, "closed_form"), None, None,
                          f"f(1) − f(0) = {f1 - f0}: a constant is not strictly monotone"))
    return out


@CATALOG.claim(
    "sec7_1.after_eq66_corrected", label="Sec. 7.1 (after Eq. 66)", kind=Kind.IDENTITY,
    as_printed=False, corrects="sec7_1.after_eq66",
    statement="Every member of the class is continuous and infinitely differentiable (each "
              "derivative a polynomial in f), monotone, and strictly so unless f is constant; "
              "its limits at −∞ and +∞ are 0 and 1 (in one order) unless f is a constant K, "
              "whose limits are K.")
def sec7_1_after_eq66_corrected(ctx: Context) -> list[CaseResult]:
    """(a) The first three derivatives λf(1 − f), λ²f(1 − f)(1 − 2f), λ³f(1 − f)(1 − 6f + 6f²)
    against complex-step derivatives of f, f′, f″ on a grid, for random c, λ (exact to
    rounding). (b) A search over logistic members and pairs x < y: logit f(y) − logit f(x) =
    λ(y − x) (log domain), so f is strictly monotone with the sign of λ, constant for λ = 0.
    (c) A search over non-constant members: the limits at ±∞ are 0 and 1; for constants K they
    are K."""
    from hypothesis import strategies as st

    rng = ctx.rng()
    out = []
    h = 1e-30
    for _ in range(3):
        c, lam = float(np.exp(rng.uniform(-2, 2))), float(rng.uniform(0.2, 3) * rng.choice([-1, 1]))
        x = np.linspace(-6, 6, 121)
        f = lambda z: th._sigma_c(z, c, lam)  # noqa: E731
        d1 = lambda z: lam * f(z) * (1 - f(z))  # noqa: E731
        d2 = lambda z: lam ** 2 * f(z) * (1 - f(z)) * (1 - 2 * f(z))  # noqa: E731
        cs = np.stack([np.imag(g(x + 1j * h)) / h for g in (f, d1, d2)])
        out.append(judge.exact({"c": c, "lam": lam, "what": "f', f'', f''' (complex step)"},
                               th.logistic_derivatives(x, c, lam), cs, rtol=1e-9,
                               scale=abs(lam) ** 3 / 4))

    def logit_step(args):
        (c, lam, K), x, d = args
        y = x + d
        lx, l1x = th.log_logistic(x, c, lam)
        ly, l1y = th.log_logistic(y, c, lam)
        diff = (float(ly) - float(l1y)) - (float(lx) - float(l1x))
        return ctx.close(diff, lam * d, rtol=1e-9, scale=abs(lam) * d + abs(float(lx - l1x)) + 1.0)

    logistic_member = _st_member().map(lambda t: (t[0], t[1], None))
    out.append(_search(ctx, logit_step, st.tuples(logistic_member, st.floats(-20, 20),
                                                  st.floats(1e-3, 20)),
                       {"what": "logit f(y) − logit f(x) = λ(y − x)"}))

    def limits(args):
        c, lam, K = args
        if K is None and lam != 0:
            return _limit_is_0_or_1(args)
        value = K if K is not None else 1 / (1 + c)
        return all(ctx.close(float(th.class_member(sgn * 1e6, c, lam, K)), value, rtol=1e-12)
                   for sgn in (-1.0, 1.0))

    out.append(_search(ctx, limits, _st_member(), {"what": "limits 0 and 1, or K for a constant"}))
    return out


# ------------------------------------------------------------------------------------------
# Section 7.2 and Appendix A: rectified linear units
# ------------------------------------------------------------------------------------------


def _relu_mc(rng, mu, sigma, lam, n):
    S = rng.normal(mu, sigma, n)
    return mean_estimate(th.relu(S, lam), seed=None)


@CATALOG.claim(
    "eq72.relu_gaussian_mean", label="Eq. 69, Eq. 70, Eq. 71, Eq. 72", kind=Kind.IDENTITY,
    statement="For S ~ N(μ_S, σ_S²) and RL with threshold 0 and slope λ, E(RL(S)) = "
              "λμ_SΦ(μ_S/σ_S) + (λσ_S/√(2π))e^{−μ_S²/2σ_S²}.")
def eq72(ctx: Context) -> list[CaseResult]:
    """Random (μ, σ, λ): Eq. 72 against adaptive quadrature of both integrals of Eq. 71
    (to 1e-9 relative) and against Monte Carlo (z-test)."""
    rng = ctx.rng()
    out = []
    for k in range(5):
        mu, sigma, lam = float(rng.normal() * 2), float(np.exp(rng.uniform(-2, 1.5))), float(rng.uniform(0.1, 3))
        if k == 0:
            mu = 0.0
        cf = float(th.relu_gaussian_mean(mu, sigma, lam))
        q, qerr = th.relu_gaussian_mean_quad(mu, sigma, lam)
        # non-negative integrand: relative accuracy only (values reach 1e-60 in the left tail)
        q2 = lam * integrate.quad(lambda u: (sigma * u + mu) * stats.norm.pdf(u), -mu / sigma,
                                  np.inf, epsabs=0.0, epsrel=1e-12, limit=200)[0]
        prm = {"mu": mu, "sigma": sigma, "lam": lam}
        out.append(judge.exact({**prm, "vs": "quadrature, Eq. 71 left"}, cf, q, rtol=1e-9,
                               method="quadrature"))
        out.append(judge.exact({**prm, "vs": "quadrature, Eq. 71 right"}, cf, q2, rtol=1e-9,
                               method="quadrature"))
        n = ctx.budget(400_000, 20_000)
        mu_mc = float(np.clip(mu, -2.5 * sigma, 2.5 * sigma))  # keep P(S > 0) visible to MC
        out.append(judge.identity({**prm, "mu": mu_mc, "vs": "monte carlo"},
                                  float(th.relu_gaussian_mean(mu_mc, sigma, lam)),
                                  _relu_mc(np.random.default_rng(ctx.stream()), mu_mc, sigma, lam, n), ctx))
    out.append(judge.exact({"eq": "Eq. 70", "mu": [-1.0, 0.0, 2.0]}, [0.0, 0.0, 3.0],
                           [th.relu_of_mean(m, 1.5) for m in (-1.0, 0.0, 2.0)]))
    return out


@CATALOG.claim(
    "eq74.relu_gap_zero_mean", label="Eq. 74", kind=Kind.IDENTITY,
    statement="If μ_S = 0, |E(RL(S)) − RL(E(S))| = λσ_S/√(2π).")
def eq74(ctx: Context) -> list[CaseResult]:
    """Random σ, λ: Eq. 74 against quadrature of E(RL(S)) at μ = 0."""
    rng = ctx.rng()
    out = []
    for _ in range(4):
        sigma, lam = float(np.exp(rng.uniform(-3, 2))), float(rng.uniform(0.1, 4))
        q, _ = th.relu_gaussian_mean_quad(0.0, sigma, lam)
        out.append(judge.exact({"sigma": sigma, "lam": lam}, th.relu_gap_at_zero_mean(sigma, lam),
                               abs(q - th.relu_of_mean(0.0, lam)), rtol=1e-9, method="quadrature"))
    return out


@CATALOG.claim(
    "eq73.mills_tail", label="Eq. 73", kind=Kind.APPROXIMATION,
    statement="1 − Φ(x) ≈ e^{−x²/2}/(√(2π)x) for large x.")
def eq73(ctx: Context) -> list[CaseResult]:
    """Relative error of the tail approximation against scipy's survival function for
    x = 2..30; it must vanish as x grows (slope in 1/x > 1, the true order being 2)."""
    x = np.geomspace(2, 30, 9)
    exact_v = special.ndtr(-x)
    return [judge.order({"x": "2..30"}, 1 / x, exact_v, th.mills_tail(x), 2, kind="relative",
                        name="Mills ratio", ctx=ctx)]


@CATALOG.claim(
    "eq75.relu_gap_vanishes", label="Eq. 75", kind=Kind.APPROXIMATION,
    statement="If |μ_S|/σ_S is large, |E(RL(S)) − RL(E(S))| ≈ 0 (for μ_S < 0 and μ_S > 0).")
def eq75(ctx: Context) -> list[CaseResult]:
    """The exact gap (Eq. 72 − Eq. 70) relative to λσ, for |μ|/σ = 1 … 6 on both sides, as
    s = σ/|μ| → 0, against the claimed 0 (judge.order, absolute): "≈ 0" is read as "vanishes
    as |μ|/σ grows"; the paper's Mills-ratio argument (Eq. 73) makes it exponentially small
    (the gap is λσ[φ(r) − rΦ(−r)] ~ λσφ(r)/r²), tested as O(s⁴) (beyond |μ|/σ ≈ 6 the μ > 0
    gap is at the rounding level of λμ). A power run moves the claimed 0 to δ·λσ."""
    rng = ctx.rng()
    out = []
    r = np.array([1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0])
    for sign in (-1.0, 1.0):
        sigma, lam = float(np.exp(rng.uniform(-2, 1))), float(rng.uniform(0.2, 3))
        gap = np.array([abs(float(th.relu_gaussian_mean(sign * k * sigma, sigma, lam)) -
                            th.relu_of_mean(sign * k * sigma, lam)) for k in r]) / (lam * sigma)
        res = judge.order({"sign": sign, "sigma": sigma, "lam": lam, "|mu|/sigma": "1..6"},
                          1 / r, gap, np.zeros_like(gap), 4, kind="absolute",
                          name="gap/(λσ) ≈ 0", ctx=ctx)
        res.detail += (f"; gap/(λσ) = {gap[0]:.3g} at |μ|/σ = 1, {gap[4]:.3g} at 4, "
                       f"{gap[-1]:.3g} at 6")
        out.append(res)
    return out


@CATALOG.claim(
    "sec7_2.hierarchical_gap", label="Section 7.2 (after Eq. 75)", kind=Kind.DISTRIBUTION,
    statement="With μ_S itself Gaussian (a population of RL neurons), the error E(RL(S)) − "
              "RL(E(S)) is approximately Gaussian distributed around 0.",
    note="RL is convex, so by Jensen the error is never negative: its distribution is one-sided "
         "with a positive mean (λσ[φ(r) − |r|Φ(−|r|)] ≥ 0, r = μ/σ). See "
         "sec7_2.hierarchical_gap_corrected.")
def sec7_2_hier(ctx: Context) -> list[CaseResult]:
    """μ_S ~ N(m, τ²) for random m, τ, σ, λ: the sampled errors (Eq. 72 − Eq. 70 at each μ).
    "Approximately Gaussian around 0" is judged as an approximation with a criterion from its
    wording: a law centred at 0 puts about half its mass below 0, so the fraction of negative
    errors must be ½ within ±0.25 (judge.approximation, with its binomial SE); the KS distance
    to N(0, sd²) and the mean's z against 0 (strict tests) are reported in the detail."""
    rng = ctx.rng()
    out = []
    for _ in range(3):
        m, tau = float(rng.normal() * 0.5), float(np.exp(rng.uniform(-1, 0.5)))
        sigma, lam = float(np.exp(rng.uniform(-1.5, 0))), float(rng.uniform(0.2, 3))
        g = np.random.default_rng(ctx.stream())
        n = ctx.budget(40_000, 4_000)
        mus = g.normal(m, tau, n)
        gap = th.relu_gaussian_gap(mus, sigma, lam)
        sd = float(gap.std())
        prm = {"m": m, "tau": tau, "sigma": sigma, "lam": lam}
        ks = stats.kstest(gap, lambda x: stats.norm.cdf(x, 0, sd))
        mean = mean_estimate(gap)
        neg = float(np.mean(gap < 0))
        est = Estimate(neg, math.sqrt(max(neg * (1 - neg), 0.25 / n) / n), n, "monte_carlo")
        out.append(judge.approximation(
            {**prm, "vs": "P(error < 0) ≈ ½"}, neg, 0.5, est,
            f"P(error < 0) = {neg:.4g} (a law around 0: ½); KS D to N(0, sd²) = "
            f"{ks.statistic:.3g}; mean {mean.mean:.4g} ± {mean.se:.2g} (z = "
            f"{mean.mean / mean.se:.1f} against 0)", max_abs=0.25, ctx=ctx))
    return out


@CATALOG.claim(
    "sec7_2.hierarchical_gap_corrected", label="Section 7.2 (after Eq. 75)", kind=Kind.INEQUALITY,
    as_printed=False, corrects="sec7_2.hierarchical_gap",
    statement="For every μ_S, E(RL(S)) − RL(E(S)) = λσ_S[φ(r) − |r|Φ(−|r|)] ≥ 0 (r = μ_S/σ_S), "
              "so over a population it is non-negative with mean E_μ of that expression.")
def sec7_2_hier_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: Eq. 72 − Eq. 70 gives λσφ(r) − λμΦ(−r) for μ > 0 and λμΦ(r) + λσφ(r) for
    μ ≤ 0, both equal to λσ[φ(r) − |r|Φ(−|r|)]; non-negative by the Mills-ratio inequality
    Φ(−x) ≤ φ(x)/x (or by Jensen, RL being convex). Hypothesis search for a negative value,
    the closed form against quadrature, and the population mean against Monte Carlo."""
    from hypothesis import strategies as st

    def holds(args):
        mu, sigma = args
        # ≥ 0 up to rounding of the terms (size σ, λ = 1); a power run raises the bound to δσ
        return ctx.ge(float(th.relu_gaussian_gap(mu, sigma)), 0.0, tol=1e-15 * sigma,
                      scale=sigma)
    out = [_search(ctx, holds, st.tuples(st.floats(-50, 50), st.floats(1e-3, 10)), {},
                   what="(μ, σ)")]
    rng = ctx.rng()
    for _ in range(3):
        mu, sigma, lam = float(rng.normal() * 2), float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.2, 3))
        q, _ = th.relu_gaussian_mean_quad(mu, sigma, lam)
        out.append(judge.exact({"mu": mu, "sigma": sigma, "lam": lam}, float(th.relu_gaussian_gap(mu, sigma, lam)),
                               q - th.relu_of_mean(mu, lam), rtol=1e-9, method="quadrature",
                               scale=lam * (abs(mu) + sigma)))  # a difference of E RL, RL(E)
    m, tau, sigma = 0.2, 0.7, 0.4
    g = np.random.default_rng(ctx.stream())
    n = ctx.budget(800_000, 5_000)
    mus = g.normal(m, tau, n)
    Z = g.standard_normal(n)
    # population mean of the gap: E RL(S) − E RL(μ) by Monte Carlo against E_μ of the closed
    # form; antithetic pairs S = μ ± σZ (same law) remove the part of the noise linear in Z
    est = mean_estimate(0.5 * (th.relu(mus + sigma * Z) + th.relu(mus - sigma * Z)) - th.relu(mus))
    pop = _gauss_pop_mean(m, tau, sigma)
    out.append(judge.identity({"m": m, "tau": tau, "sigma": sigma, "vs": "population mean"}, pop, est, ctx))
    return out


def _gauss_pop_mean(m, tau, sigma):
    return integrate.quad(lambda mu: float(th.relu_gaussian_gap(mu, sigma)) * stats.norm.pdf(mu, m, tau),
                          -np.inf, np.inf, epsabs=1e-13)[0]


@CATALOG.claim(
    "eq76.softplus", label="Eq. 76", kind=Kind.APPROXIMATION,
    statement="RL(S) ≈ ∫_{−∞}^S 1/(1 + e^{−λx})dx, whose second derivative λσ(S)(1 − σ(S)) is "
              "bounded by λ/4.")
def eq76(ctx: Context) -> list[CaseResult]:
    """The integral by quadrature against log(1 + e^{λS})/λ (exact), the second derivative
    against λσ(1 − σ) and its bound λ/4 over a grid (attained at S = 0). Criterion for "≈"
    from the paper's wording ("can be very closely approximated"): the error vanishes as the
    logistic sharpens, λ → ∞ — at S = 0 it is exactly log 2/λ, elsewhere exponentially small —
    so |RL(S) − ∫σ| = O(1/λ) (judge.order, absolute, s = 1/λ, λ = 0.5 … 64) at two random
    S > 0 (evidence: a power run scales ∫σ by 1 + δ, leaving an error δS that does not
    vanish) and at S = 0 and a random S < 0 (where RL = 0, so a relative perturbation of ∫σ
    keeps the order: measurements unless they fail); the error over S ∈ [−10, 10] is
    reported."""
    rng = ctx.rng()
    out = []
    for S0 in (float(rng.uniform(0.1, 2)), float(rng.uniform(0.1, 2)), 0.0,
               -float(rng.uniform(0.1, 2))):
        lam = 0.5 * 2.0 ** np.arange(8)
        res = judge.order({"S": S0, "lambda": "0.5..64"}, 1 / lam,
                          np.full(lam.size, float(th.relu(S0))),
                          np.array([float(th.softplus_integral(S0, lm)) for lm in lam]), 1,
                          kind="absolute", name="RL(S) ≈ ∫σ", ctx=ctx)
        if S0 <= 0 and res.verdict is not Verdict.REFUTED:
            res.role = "measurement"
        out.append(res)
    for lam in (1.0, float(rng.uniform(0.3, 5))):
        S = float(rng.normal() * 2)
        q = integrate.quad(lambda x: special.expit(lam * x), -np.inf, S, epsabs=1e-13, epsrel=1e-12)[0]
        out.append(judge.exact({"lam": lam, "S": S, "vs": "quadrature"}, float(th.softplus_integral(S, lam)),
                               q, rtol=1e-9, method="quadrature"))
        grid = np.linspace(-10, 10, 20001)
        d2_num = np.gradient(np.gradient(th.softplus_integral(grid, lam), grid), grid)
        d2 = th.dsigma(grid, 1.0, lam)
        out.append(judge.exact({"lam": lam, "vs": "numerical 2nd derivative = λσ(1−σ)"},
                               d2[2:-2], d2_num[2:-2], atol=1e-5, n=grid.size))
        out.append(judge.upper_bound({"lam": lam, "bound": "λ/4"}, lam / 4,
                                     _exact_est(float(d2.max()), grid.size, "closed_form"), ctx,
                                     f"max λσ(1−σ) = {d2.max():.6g} ≤ λ/4 = {lam / 4:.6g}"))
        err = np.abs(th.softplus_integral(grid, lam) - th.relu(grid))
        far = np.abs(grid) >= 1
        out.append(CaseResult({"lam": lam, "vs": "RL(S), S in [-10, 10]"}, Verdict.APPROXIMATE,
                              0.0, None, None, None,
                              f"max |RL − softplus| = {err.max():.4g} at S = 0 (= log 2/λ = "
                              f"{math.log(2) / lam:.4g}); {err[far].max():.3g} for |S| ≥ 1",
                              {"abs": float(err.max()), "rel": None}, role="measurement"))
    return out


@CATALOG.claim(
    "eq190.relu_uniform", label="Appendix A, Eq. 190", kind=Kind.IDENTITY,
    statement="For S uniform on [−a, a], RL(E(S)) = 0 and E(RL(S)) = λa/4, so the gap is λa/4.")
def eq190(ctx: Context) -> list[CaseResult]:
    """Quadrature and Monte Carlo for random a, λ."""
    rng = ctx.rng()
    out = []
    for _ in range(3):
        a, lam = float(np.exp(rng.uniform(-2, 2))), float(rng.uniform(0.1, 3))
        q = integrate.quad(lambda x: lam * x / (2 * a), 0, a)[0]
        out.append(judge.exact({"a": a, "lam": lam, "vs": "quadrature"}, th.relu_uniform_gap(a, lam), q,
                               method="quadrature"))
        g = np.random.default_rng(ctx.stream())
        est = mean_estimate(th.relu(g.uniform(-a, a, ctx.budget(200_000, 10_000)), lam))
        out.append(judge.identity({"a": a, "lam": lam, "vs": "monte carlo"}, th.relu_uniform_gap(a, lam),
                                  est, ctx))
    return out


@CATALOG.claim(
    "appA.uniform_sd", label="Appendix A", kind=Kind.VALUE,
    statement="S uniformly distributed over [−a, a] has μ_S = 0 and σ_S = a/3.",
    note="The standard deviation of U[−a, a] is a/√3; see appA.uniform_sd_corrected.")
def appA_sd(ctx: Context) -> list[CaseResult]:
    """σ_S by quadrature of the variance ∫x²/(2a)dx against the printed a/3, for random a."""
    rng = ctx.rng()
    out = []
    for a in (1.0, float(np.exp(rng.uniform(-2, 2)))):
        sd = math.sqrt(integrate.quad(lambda x: x * x / (2 * a), -a, a)[0])
        out.append(judge.exact({"a": a}, th.uniform_sd_as_printed(a), sd, method="quadrature",
                               detail=f"σ_S = {sd:.6g} by quadrature; printed a/3 = {a / 3:.6g}"))
    return out


@CATALOG.claim(
    "appA.uniform_sd_corrected", label="Appendix A", kind=Kind.VALUE, as_printed=False,
    corrects="appA.uniform_sd",
    statement="S uniform on [−a, a] has σ_S = a/√3.")
def appA_sd_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: Var(S) = ∫_{−a}^{a} x²/(2a) dx = a²/3, so σ_S = a/√3 (a/3 would be the
    variance's square root only for a = 1/3… i.e. never in general). Quadrature and Monte
    Carlo (sample SD, delta-method SE) for random a."""
    rng = ctx.rng()
    out = []
    for a in (1.0, float(np.exp(rng.uniform(-2, 2)))):
        sd = math.sqrt(integrate.quad(lambda x: x * x / (2 * a), -a, a)[0])
        out.append(judge.exact({"a": a}, th.uniform_sd(a), sd, method="quadrature"))
        x = np.random.default_rng(ctx.stream()).uniform(-a, a, ctx.budget(200_000, 10_000))
        v = mean_estimate(x * x)
        out.append(judge.identity({"a": a, "vs": "monte carlo E(S²)"}, a * a / 3, v, ctx))
    return out


@CATALOG.claim(
    "eq191_194.relu_discrete", label="Eq. 191, Eq. 192, Eq. 193, Eq. 194", kind=Kind.IDENTITY,
    statement="For values S_1..S_m with probabilities P_i, |RL(E(S)) − E(RL(S))| equals "
              "λΣ_{S_i>0}P_iS_i if ΣP_iS_i ≤ 0 and λΣ_{S_i≤0}P_i|S_i| otherwise (1/m weights: Eq. 194).")
def eq191_194(ctx: Context) -> list[CaseResult]:
    """Random samples and weights (Dirichlet and uniform 1/m), both signs of ΣP_iS_i, direct
    computation of RL(E(S)) and E(RL(S)) against Eq. 193."""
    rng = ctx.rng()
    out = []
    for k in range(8):
        m = int(rng.integers(1, 40))
        lam = float(rng.uniform(0.1, 3))
        S = rng.normal(rng.normal(), 1.0, m)
        P = np.full(m, 1 / m) if k % 2 else rng.dirichlet(np.ones(m))
        direct = abs(th.relu_of_mean(float(P @ S), lam) - float(P @ th.relu(S, lam)))
        out.append(judge.exact({"m": m, "lam": lam, "weights": "1/m" if k % 2 else "Dirichlet",
                                "sign": "≤ 0" if P @ S <= 0 else "> 0"},
                               th.relu_discrete_gap(S, P, lam), direct,
                               scale=lam * float(P @ np.abs(S))))  # |RL(E) − E RL|: a difference
    return out


# -- Sec. 7.2: piecewise-linear and twice-differentiable transfer functions -----------------


def _dropout_sum_law(rng, n: int = 10):
    """The exact law (values, probabilities) of a dropout sum S = Σ w_iδ_iI_i (n inputs,
    random keep probabilities), every mask enumerated."""
    w, I = rng.standard_normal(n), rng.standard_normal(n)
    p = rng.uniform(0.2, 0.9, n)
    masks, probs = _enum.enumerate_masks(n, p)
    return masks @ (w * I), probs


def _shrunk(S, P, s):
    """S shrunk about its mean by s: μ + s(S − μ) (the spread scales by s, the mean stays)."""
    mu = float(P @ S)
    return mu + s * (S - mu)


@CATALOG.claim(
    "sec7_2.piecewise_linear", label="Sec. 7.2 (after Eq. 75)", kind=Kind.APPROXIMATION,
    statement="The dropout ensemble approximation E(f(S)) ≈ f(E(S)) (Eq. 68) can be used with "
              "piecewise-linear transfer functions as long as the standard deviation of S is "
              "small relative to the length of the linear pieces; small angles between "
              "subsequent linear pieces also help.")
def sec7_2_piecewise(ctx: Context) -> list[CaseResult]:
    """Dropout sums S (10 inputs, every mask enumerated) shrunk about their mean by s = 2^{−k}
    (sd(S)/piece length ∝ s), and random continuous piecewise-linear f with 3 knots spaced by
    pieces of length ≥ 1: the error |E(f(S)) − f(E(S))| → 0 at least to first order in s
    (judge.order, order 1); with the mean on a knot it is exactly first order,
    Δ·E(S − μ)^+ for a slope change Δ; away from the knots it vanishes once the spread is
    inside the piece. The "angles" part: with a single kink at the mean the gap is
    Δ·E(S − μ)^+, proportional to the slope change Δ (exact, three Δ), and for Gaussian S it
    is Δσ/√(2π) (Eq. 74's form; quadrature)."""
    rng = ctx.rng()
    ss = 2.0 ** -np.arange(8)
    out = []
    for k in range(4):
        S, P = _dropout_sum_law(rng)
        mu = float(P @ S)
        sd = math.sqrt(float(P @ (S - mu) ** 2))
        off = 0.0 if k < 2 else float(rng.uniform(0.3, 0.7))  # mean on a knot, or inside a piece
        knots = mu - off * sd * 2 + np.cumsum(np.r_[0.0, rng.uniform(1.0, 3.0, 2)]) * sd
        slopes = rng.uniform(-2, 2, 4)
        f = lambda x, kn=knots, sl=slopes: th.piecewise_linear(x, kn, sl)  # noqa: E731
        ex = [float(P @ f(_shrunk(S, P, s))) for s in ss]
        ap = [float(f(mu))] * ss.size
        out.append(judge.order({"case": k, "mean": "on a knot" if k < 2 else "inside a piece",
                                "sd(S)/shortest piece at s = 1": round(sd / float(np.min(np.diff(knots))), 3)},
                               ss, ex, ap, 1, name="|E f(S) − f(E S)|", ctx=ctx))
    S, P = _dropout_sum_law(rng)
    mu = float(P @ S)
    plus = float(P @ np.maximum(S - mu, 0.0))
    for d in (1.0, 0.5, 0.25):
        g = float(P @ th.piecewise_linear(S, [mu], [0.3, 0.3 + d])) - float(th.piecewise_linear(mu, [mu], [0.3, 0.3 + d]))
        out.append(judge.exact({"slope change": d, "what": "kink at the mean: gap = Δ E(S − μ)^+"},
                               d * plus, g, method="enumeration", n=P.size, scale=plus))
    for d, sig in ((1.0, 0.5), (0.3, 2.0)):
        q, _ = integrate.quad(lambda u: th.piecewise_linear(u, [0.0], [0.5, 0.5 + d]) * stats.norm.pdf(u, 0.0, sig),
                              -40 * sig, 40 * sig, points=[0.0], epsabs=1e-14, epsrel=1e-13, limit=200)
        out.append(judge.exact({"slope change": d, "sigma": sig, "what": "Gaussian: Δσ/√(2π)"},
                               th.kink_gap_gaussian(d, sig), q, method="quadrature", rtol=1e-9))
    return out


#: twice-differentiable transfer functions of Sec. 7.2: f, sup|f''|
_SMOOTH = {
    "softplus (Eq. 76, lam = 2)": (lambda x: np.logaddexp(0, 2 * np.asarray(x)) / 2, 0.5),
    "logistic (lam = 3)": (lambda x: special.expit(3 * np.asarray(x)), 9 * math.sqrt(3) / 18),
    "0.3 sin(2x)": (lambda x: 0.3 * np.sin(2 * np.asarray(x)), 1.2),
}


@CATALOG.claim(
    "sec7_2.small_curvature", label="Sec. 7.2 (after Eq. 75)", kind=Kind.APPROXIMATION,
    statement="Any continuous twice-differentiable function with small second derivative "
              "(curvature) will tend to satisfy E(f(S)) ≈ f(E(S)) (Eq. 68), provided the "
              "variance of S is small relative to the curvature.")
def sec7_2_curvature(ctx: Context) -> list[CaseResult]:
    """(a) Taylor with the Lagrange remainder gives |E(f(S)) − f(E(S))| ≤ ½ sup|f''| Var(S):
    a search over random discrete laws of S (2–8 values in [−4, 4], Dirichlet weights) for a
    violation, for softplus (Eq. 76), a logistic and 0.3 sin(2x) (sup|f''| = λ/4,
    λ²√3/18, 1.2). (b) The criterion "Var(S) small": dropout sums shrunk about their mean by
    s = 2^{−k}: the error is O(s²) = O(Var(S)) (judge.order, order 2), and its leading term
    is ½ f''(μ) Var(S) (relative error vanishing: judge.order, relative)."""
    from hypothesis import strategies as st

    rng = ctx.rng()
    out = []
    strat = st.integers(2, 8).flatmap(lambda m: st.tuples(
        st.lists(st.floats(-4, 4, allow_nan=False), min_size=m, max_size=m),
        st.lists(st.floats(1e-3, 1.0, allow_nan=False), min_size=m, max_size=m)))
    for name, (f, f2) in _SMOOTH.items():
        def holds(args, f=f, f2=f2):
            S, P = _unpack(args)
            mu = float(P @ S)
            gap = abs(float(P @ f(S)) - float(f(mu)))
            bound = th.curvature_gap_bound(f2, float(P @ (S - mu) ** 2))
            return _le(gap, bound, tol_scale=float(np.max(np.abs(f(S)))))
        out.append(_search(ctx, holds, strat, {"f": name, "bound": "sup|f''| Var(S)/2"}))
    ss = 2.0 ** -np.arange(8)
    for name, (f, _) in _SMOOTH.items():
        S, P = _dropout_sum_law(rng)
        S = S / max(1.0, float(np.max(np.abs(S))))
        mu = float(P @ S)
        var = float(P @ (S - mu) ** 2)
        ex = [float(P @ f(_shrunk(S, P, s))) for s in ss]
        ap = [float(f(mu))] * ss.size
        out.append(judge.order({"f": name, "Var(S) at s = 1": round(var, 4)}, ss, ex, ap, 2,
                               name="|E f(S) − f(E S)|", ctx=ctx))
        h = 1e-4
        f2mu = float((f(mu + h) - 2 * f(mu) + f(mu - h)) / h ** 2)
        gap = [e - a for e, a in zip(ex, ap)]
        lead = [0.5 * f2mu * var * s * s for s in ss]
        if abs(f2mu) > 1e-3:
            out.append(judge.order({"f": name, "leading term": "f''(mu) Var(S)/2"}, ss, gap, lead, 1,
                                   kind="relative", name="gap vs f''(μ)Var/2", ctx=ctx))
    return out


@CATALOG.claim(
    "appA.differences_small", label="Appendix A (after Eq. 194)", kind=Kind.APPROXIMATION,
    statement="The differences |RL(E(S)) − E(RL(S))| of Eq. 193–194 are proportional to λ and "
              "small if the standard deviation of S is small (e.g. by Tchebycheff's inequality).")
def appA_differences_small(ctx: Context) -> list[CaseResult]:
    """(a) Proportional to λ: E(RL(S)) − RL(E(S)) computed from the definition (Eq. 69) for
    random samples and slopes λ equals λ times its value at λ = 1 (exact). (b) Small with the
    spread: each branch of Eq. 193 is at most λE(S − μ)^± = (λ/2)E|S − μ| ≤ (λ/2)sd(S)
    (:func:`th.relu_gap_mad_bound`), searched for a violation over random samples and attained
    by the symmetric two-point laws ±a (exact); and with S
    shrunk about its mean by s = 2^{−k} the difference is O(s) = O(sd(S)) (judge.order, order
    1), exactly first order when the samples straddle 0."""
    rng = ctx.rng()
    out = []
    for k in range(4):
        m = int(rng.integers(2, 12))
        S = rng.standard_normal(m) * rng.uniform(0.2, 3) + rng.normal()
        P = np.full(m, 1 / m) if k % 2 == 0 else rng.dirichlet(np.ones(m))
        lam = float(rng.uniform(0.1, 5))
        d1 = float(P @ th.relu(S, 1.0)) - float(th.relu(P @ S, 1.0))
        dl = float(P @ th.relu(S, lam)) - float(th.relu(P @ S, lam))
        out.append(judge.exact({"m": m, "lam": lam, "P": "1/m" if k % 2 == 0 else "Dirichlet"},
                               lam * d1, dl, scale=lam * float(P @ np.abs(S))))
    from hypothesis import strategies as st

    strat = st.integers(1, 10).flatmap(lambda m: st.tuples(
        st.lists(st.floats(-10, 10, allow_nan=False), min_size=m, max_size=m),
        st.lists(st.floats(1e-3, 1.0, allow_nan=False), min_size=m, max_size=m),
        st.floats(0.01, 10)))

    def bounded(args):
        S, P = _unpack(args[:2])
        lam = args[2]
        gap = th.relu_discrete_gap(S, P, lam)
        return _le(gap, th.relu_gap_mad_bound(S, P, lam), tol_scale=lam * float(P @ np.abs(S)))

    out.append(_search(ctx, bounded, strat, {"bound": "(lam/2) sd(S)"}))
    for a, lam in ((1.0, 1.0), (float(rng.uniform(0.1, 5)), float(rng.uniform(0.1, 5)))):
        S, P = np.array([-a, a]), np.array([0.5, 0.5])
        out.append(judge.exact({"S": "±a, equal weights", "a": a, "lam": lam,
                                "what": "the bound (lam/2) sd(S) is attained"},
                               th.relu_gap_mad_bound(S, P, lam), th.relu_discrete_gap(S, P, lam)))
    ss = 2.0 ** -np.arange(8)
    for k in range(3):
        m = int(rng.integers(3, 12))
        S = rng.standard_normal(m)
        P = rng.dirichlet(np.ones(m))
        # mean 0 or 0.3 sd(S) above it, with values on both sides of the threshold 0
        S = S - P @ S + (0.0 if k < 2 else 0.3 * math.sqrt(float(P @ (S - P @ S) ** 2)))
        lam = float(rng.uniform(0.5, 3))
        gaps = [th.relu_discrete_gap(_shrunk(S, P, s), P, lam) for s in ss]
        out.append(judge.order({"m": m, "lam": lam, "mean": round(float(P @ S), 3)}, ss, gaps,
                               [0.0] * ss.size, 1, name="|RL(E S) − E RL(S)|", ctx=ctx))
    return out


# ------------------------------------------------------------------------------------------
# Section 8: weighted arithmetic, geometric and normalized geometric means
# ------------------------------------------------------------------------------------------


def _ineq_claim(ctx, holds, lo=1e-9, hi=1 - 1e-9, label="(0, 1)", edges=()):
    """A hypothesis search over (O, weights) on [lo, hi] and deterministic edge cases, all
    decided by the same predicate (which compares through :func:`_le` / ``ctx.le``/``ge``, so
    power runs tighten it; a predicate raising ValueError rejects an example, counted)."""
    out = [_search(ctx, holds, _st_sample(lo, hi), {"domain": label}, what="(O, weights)")]
    for O, P in edges:
        ok = holds((list(O), list(P)))
        out.append(CaseResult({"edge": {"O": list(O), "P": list(P)}},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED,
                              detail="edge case " + ("holds" if ok else "violated")))
    return out


@CATALOG.claim(
    "eq77.g_le_e", label="Eq. 77", kind=Kind.INEQUALITY,
    statement="G ≤ E and G' ≤ E' (with equality iff all O_i are equal), whether or not the O_i "
              "are bounded by one.")
def eq77(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples in (0, 1) and positive samples up to 10⁶ (G ≤ E only there), with
    equal values as edge cases (equality)."""
    def holds01(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        # 0 ≤ E − G (and 0 ≤ E' − G'), to FP_SLACK of E: a power run asks E − G ≥ δE
        return (_le(0.0, _e_minus_g(O, P), w["E"])
                and _le(0.0, _e_minus_g(1 - O, P), w["Ep"]))

    def holds_pos(args):
        O, P = _unpack(args)
        return _le(0.0, _e_minus_g(O, P), float(P @ O))
    out = _ineq_claim(ctx, holds01, edges=[((0.3, 0.3, 0.3), (0.2, 0.3, 0.5))])
    out += _ineq_claim(ctx, holds_pos, 1e-6, 1e6, "(0, 1e6)")
    O, P = np.array([0.3, 0.3]), np.array([0.4, 0.6])
    out.append(judge.exact({"case": "equal values: equality"}, 0.0, _e_minus_g(O, P), scale=0.3))
    return out


@CATALOG.claim(
    "eq78.cartwright_field", label="Eq. 78", kind=Kind.INEQUALITY,
    statement="Var(O)/(2 max O) ≤ E − G ≤ Var(O)/(2 min O) (Cartwright–Field).")
def eq78(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples in (0, 1) and positive samples up to 10³; E − G computed without
    cancellation (−E·expm1(Σ P log1p((O − E)/E))); comparisons to FP_SLACK of E (the size of
    the terms E − G and V are built from), each bound tightened by δ·itself in power runs;
    two tight clusters as edge cases, where both bounds are sharp."""
    def holds(args):
        O, P = _unpack(args)
        lo, hi = th.cartwright_field(O, P)
        d = _e_minus_g(O, P)
        E = float(P @ O)
        return _le(lo, d, tol_scale=E) and _le(d, hi, tol_scale=E)
    # tight clusters, where both bounds are sharp (ratios to E − G within 2e-4 of 1)
    edges = [((0.5, 0.5001, 0.4999), (0.3, 0.3, 0.4)), ((0.2, 0.20004), (0.7, 0.3))]
    return (_ineq_claim(ctx, holds, edges=edges)
            + _ineq_claim(ctx, holds, 1e-3, 1e3, "(0, 1e3)"))


@CATALOG.claim(
    "eq79.refinement", label="Eq. 79", kind=Kind.INEQUALITY,
    statement="For O_i in (0, 1): (max O − G)/(2 max O)·Var(O) ≤ E − G ≤ "
              "(min O − G)/(2 min O (min O − E))·Var(O).",
    note="As printed the lower bound is not scale invariant (Var·(max − G)/max scales as k², "
         "E − G as k): it holds in (0, 1), where it is weaker than Cartwright–Field, and fails "
         "for values above 1. The scale-invariant mirror of the upper bound is "
         "eq79.lower_scale_invariant.")
def eq79(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples in (0, 1) (Section 8's setting) for both sides. Samples with
    (numerically) equal values are rejected (0/0 in the upper bound; counted apart)."""
    def holds(args):
        O, P = _unpack(args)
        E = float(P @ O)
        if float(P @ (O - E) ** 2) < 1e-10 * E * E:
            raise ValueError("(numerically) equal values: 0/0 in Eq. 79's upper bound")
        lo, hi = th.eq79_as_printed(O, P)
        d = _e_minus_g(O, P)
        return _le(lo, d, tol_scale=E) and _le(d, hi, tol_scale=E)
    return _ineq_claim(ctx, holds)


@CATALOG.claim(
    "eq79.lower_scale_invariant", label="Eq. 79", kind=Kind.INEQUALITY, as_printed=False,
    statement="For any positive O_i: (max O − G)/(2 max O (max O − E))·Var(O) ≤ E − G (the "
              "scale-invariant mirror of Eq. 79's upper bound; the printed lower bound fails "
              "above 1).")
def eq79_scale(ctx: Context) -> list[CaseResult]:
    """Hypothesis over positive samples up to 10³, and the printed lower bound on the
    deterministic sample O = (98.36, 11.65, 71.43), P = (0.00115, 0.99882, 0.00003) where it
    exceeds E − G (shows why the printed form is restricted to (0, 1))."""
    def holds(args):
        O, P = _unpack(args)
        E = float(P @ O)
        if float(P @ (O - E) ** 2) < 1e-10 * E * E:
            raise ValueError("(numerically) equal values: 0/0 in the bound")
        return _le(th.eq79_lower_corrected(O, P), _e_minus_g(O, P), tol_scale=E)
    out = _ineq_claim(ctx, holds, 1e-3, 1e3, "(0, 1e3)") + _ineq_claim(ctx, holds)
    O = np.array([98.36362582015964, 11.648424307951888, 71.43012792072261])
    P = np.array([0.0011484258670677518, 0.9988245135876505, 2.70605452817493e-05])
    P = P / P.sum()
    lo_p = th.eq79_as_printed(O, P)[0]
    d = _e_minus_g(O, P)
    lo_c = th.eq79_lower_corrected(O, P)
    out.append(CaseResult({"O": O.tolist(), "P": P.tolist()},
                          Verdict.CONFIRMED if _le(lo_c, d, tol_scale=P @ O) else Verdict.REFUTED, lo_c,
                          _exact_est(d, 1, "closed_form"), None, None,
                          f"E − G = {d:.4g}; scale-invariant bound {lo_c:.4g}; printed lower "
                          f"bound {lo_p:.4g} (> E − G: fails above 1)"))
    return out


@CATALOG.claim(
    "eq80.refinement", label="Eq. 80", kind=Kind.INEQUALITY,
    statement="Σp_i(O_i − G)²/(2 max O) ≤ E − G ≤ Σp_i(O_i − G)²/(2 min O).")
def eq80(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples in (0, 1) and positive samples up to 10³."""
    def holds(args):
        O, P = _unpack(args)
        lo, hi = th.eq80(O, P)
        d = _e_minus_g(O, P)
        E = float(P @ O)
        return _le(lo, d, tol_scale=E) and _le(d, hi, tol_scale=E)
    return _ineq_claim(ctx, holds) + _ineq_claim(ctx, holds, 1e-3, 1e3, "(0, 1e3)")


@CATALOG.claim(
    "prop2.g_le_nwgm", label="Section 8, property 2", kind=Kind.INEQUALITY,
    statement="G + G' ≤ 1, hence G ≤ G/(G + G') (the WGM never exceeds the NWGM).")
def prop2(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples in (0, 1), in the log domain (log G ≤ log NWGM ⇔ G + G' ≤ 1)."""
    def holds(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        # log(G + G') ≤ 0 to FP_SLACK (log domain, terms of size 1)
        return _le(float(np.logaddexp(w["logG"], w["logGp"])), 0.0, 1.0)
    return _ineq_claim(ctx, holds, edges=[((0.5, 0.5), (0.5, 0.5))])


@CATALOG.claim(
    "eq81.consistently_low", label="Section 8, property 3, Eq. 81", kind=Kind.INEQUALITY,
    statement="If 0 < O_i ≤ 0.5 then G/G' ≤ E/E' and G ≤ G/(G + G') ≤ E (Ky Fan).")
def eq81(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples in (0, 0.5], log-domain comparisons."""
    def holds(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        a = _le(w["logG"] - w["logGp"], math.log(w["E"]) - math.log(w["Ep"]), 1.0)
        return a and _le(w["G"], w["NWGM"]) and _le(w["NWGM"], w["E"])
    return _ineq_claim(ctx, holds, 1e-9, 0.5, "(0, 0.5]", edges=[((0.5, 0.1), (0.5, 0.5))])


@CATALOG.claim(
    "eq82.consistently_high", label="Section 8, property 4, Eq. 82", kind=Kind.INEQUALITY,
    statement="If 0.5 ≤ O_i < 1 then G'/G ≤ E'/E and G/(G + G') ≥ E.")
def eq82(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples in [0.5, 1), log-domain comparisons."""
    def holds(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        a = _le(w["logGp"] - w["logG"], math.log(w["Ep"]) - math.log(w["E"]), 1.0)
        return a and _le(w["E"], w["NWGM"])
    return _ineq_claim(ctx, holds, 0.5, 1 - 1e-9, "[0.5, 1)", edges=[((0.5, 0.9), (0.5, 0.5))])


@CATALOG.claim(
    "prop5.complement", label="Section 8, property 5", kind=Kind.IDENTITY,
    statement="If G/(G + G') underestimates E then G'/(G + G') overestimates 1 − E, and vice "
              "versa (E − NWGM = G'/(G + G') − (1 − E)).")
def prop5(ctx: Context) -> list[CaseResult]:
    """The identity on random samples (uniform and clustered near 0 or 1)."""
    rng = ctx.rng()
    out = []
    for k in range(6):
        O, P = _random_sample(rng, lo=[0, 0, 0.9, 0][k % 4], hi=[1, 0.1, 1, 1][k % 4])
        w = th.weighted_means(O, P)
        nw_c = float(special.expit(w["logGp"] - w["logG"]))
        # differences of probabilities: tolerance relative to the terms (size ≤ 1, max ≥ ½)
        out.append(judge.exact({"m": O.size}, w["E"] - w["NWGM"], nw_c - (1 - w["E"]), scale=1.0))
    return out


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
                 n_each=2):
    rng = ctx.rng()
    out = []
    for where in regimes:
        for _ in range(n_each):
            center, s, samples, P = _clusters(rng, where)
            ws = [th.weighted_means(O, P) for O in samples]
            D = np.array([quantity(O, P, w) for O, w in zip(samples, ws)])
            A = np.array([approx(w) for w in ws])
            out.append(judge.order({"around": where, "center": center, "m": P.size}, s, D, A,
                                   claimed, kind=kind, name=name, ctx=ctx))
    return out


def _gap_G(O, P, w):
    return _e_minus_g(O, P)


def _gap_Gp(O, P, w):
    return _e_minus_g(1 - O, P)


def _gap_nwgm(O, P, w):
    return w["E"] - w["NWGM"]


@CATALOG.claim(
    "eq83_89.first_order", label="Section 8, property 6, Eq. 83, Eq. 89", kind=Kind.APPROXIMATION,
    statement="To first order, G ≈ E, G/(G + G') ≈ E and E − G ≈ |E − G/(G + G')|.")
def eq83_89(ctx: Context) -> list[CaseResult]:
    """Samples shrinking towards a centre (0.5, or random E₀ in (0.05, 0.4) or (0.6, 0.95)) with
    spread s → 0: each error must be o(s), i.e. its log-log slope in s must exceed 1.5 (the
    errors are O(s²)). The third statement follows from the first two (|(E − G) − |E − NWGM||
    ≤ |E − G| + |E − NWGM|) and a relative perturbation of |E − NWGM| keeps its order, so its
    cases are measurements unless they fail; the first two decide (a power run scales G or
    the NWGM by 1 + δ, leaving a first-order error δE)."""
    out = _order_claim(ctx, lambda O, P, w: w["E"], lambda w: w["G"], kind="absolute", claimed=2,
                       name="G ≈ E", n_each=1)
    out += _order_claim(ctx, lambda O, P, w: w["E"], lambda w: w["NWGM"], kind="absolute",
                        claimed=2, name="NWGM ≈ E", n_each=1)
    third = _order_claim(ctx, lambda O, P, w: _e_minus_g(O, P), lambda w: abs(w["E"] - w["NWGM"]),
                         kind="absolute", claimed=2, name="E − G ≈ |E − NWGM|", n_each=1)
    for c in third:
        if c.verdict is not Verdict.REFUTED:
            c.role = "measurement"
    return out + third


@CATALOG.claim(
    "eq84_85.wgm_second_order", label="Eq. 84, Eq. 85, Eq. 93, Eq. 94, Eq. 96", kind=Kind.APPROXIMATION,
    statement="To second order G ≈ E − V and G' ≈ 1 − E − V, i.e. E − G ≈ V and 1 − E − G' ≈ V "
              "(for any 0 < O_i < 1).",
    note="Right when the O_i are near 0.5 (the proof expands around 0.5); for tight clusters "
         "around E₀ ≠ 0.5 — the regime the paper invokes for E near 0 or 1 — the leading term "
         "is V/(2E) (Appendix B, Eq. 199). See eq84_85.wgm_second_order_corrected.")
def eq84_85_wgm(ctx: Context) -> list[CaseResult]:
    """The relative error of E − G ≈ V and 1 − E − G' ≈ V along clusters shrinking (spread s →
    0) around 0.5 and around random E₀ away from 0.5: a second-order approximation must
    capture the leading term, so the relative error must vanish (slope > 0.5 in s)."""
    out = _order_claim(ctx, _gap_G, lambda w: w["V"], kind="relative", claimed=1, name="E − G ≈ V")
    out += _order_claim(ctx, _gap_Gp, lambda w: w["V"], kind="relative", claimed=1,
                        name="1 − E − G' ≈ V", n_each=1)
    return out


@CATALOG.claim(
    "eq84_85.wgm_second_order_corrected", label="Eq. 84, Eq. 85", kind=Kind.APPROXIMATION,
    as_printed=False, corrects="eq84_85.wgm_second_order",
    statement="For O_i clustered around any E (spread → 0), E − G ≈ V/(2E) and 1 − E − G' ≈ "
              "V/(2(1 − E)); these reduce to V only at E = 1/2.")
def eq84_85_wgm_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: with O_i = E + ε_i, log G = log E + Σ P_i log(1 + ε_i/E) = log E −
    V/(2E²) + O(ε³) since Σ P_iε_i = 0, so G = E − V/(2E) + O(ε³); by symmetry G' = (1 − E) −
    V/(2(1 − E)) + O(ε³). Near E = 1/2, V/(2E) = V + V(1 − 2E)/(2E) and the difference is of
    third order, which is why the expansion around 0.5 finds V. Same shrinking clusters: the
    relative error must vanish."""
    out = _order_claim(ctx, _gap_G, lambda w: w["V"] / (2 * w["E"]), kind="relative", claimed=1,
                       name="E − G ≈ V/(2E)")
    out += _order_claim(ctx, _gap_Gp, lambda w: w["V"] / (2 * (1 - w["E"])), kind="relative",
                        claimed=1, name="1 − E − G' ≈ V/(2(1−E))", n_each=1)
    return out


@CATALOG.claim(
    "eq84_85.nwgm_second_order", label="Eq. 84, Eq. 85, Eq. 95, Eq. 96", kind=Kind.APPROXIMATION,
    statement="To second order G/(G + G') ≈ (E − V)/(1 − 2V), i.e. E − NWGM ≈ V(1 − 2E)/(1 − 2V).",
    note="Near 0.5 both sides are of third order and the neglected remainder R₃ contributes a "
         "skewness term −(4/3)E[(O − E)³] of the same order; around E₀ ≠ 0.5 the leading term is "
         "V(1 − 2E)/(2E(1 − E)) (Appendix B, Eq. 202), larger by 1/(2E(1 − E)) ≥ 2. See "
         "eq84_85.nwgm_second_order_corrected.")
def eq84_85_nwgm(ctx: Context) -> list[CaseResult]:
    """The relative error of E − NWGM ≈ V(1 − 2E)/(1 − 2V) along shrinking clusters around 0.5
    and around random E₀ away from 0.5 (the relative error must vanish, slope > 0.5)."""
    return _order_claim(ctx, _gap_nwgm, lambda w: th.second_order_gap(w["E"], w["V"]),
                        kind="relative", claimed=1, name="E − NWGM ≈ V(1−2E)/(1−2V)")


@CATALOG.claim(
    "eq84_85.nwgm_second_order_corrected", label="Eq. 85, Eq. 96 (via Eq. 202)",
    kind=Kind.APPROXIMATION, as_printed=False, corrects="eq84_85.nwgm_second_order",
    statement="For O_i clustered around E₀ ≠ 1/2 (spread → 0), E − NWGM ≈ V(1 − 2E)/(2E(1 − E)).")
def eq84_85_nwgm_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: NWGM = σ(E[logit O]) with logit O = log O − log(1 − O). Expanding logit
    around E, E[logit O] = logit E + ½ logit''(E)·V + O(ε³) with logit''(x) = (2x − 1)/(x²(1 −
    x)²); then σ(logit E + δ) = E + E(1 − E)δ + O(δ²) gives NWGM = E + V(2E − 1)/(2E(1 − E))
    + O(ε³) — the same as Eq. 202 expanded to first order in V. Shrinking clusters around
    random E₀ in (0.05, 0.4) and (0.6, 0.95): relative error must vanish."""
    return _order_claim(ctx, _gap_nwgm,
                        lambda w: w["V"] * (1 - 2 * w["E"]) / (2 * w["E"] * (1 - w["E"])),
                        kind="relative", claimed=1, name="E − NWGM ≈ V(1−2E)/(2E(1−E))",
                        regimes=("low", "high"), n_each=3)


@CATALOG.claim(
    "eq86.factor", label="Eq. 86, Section 8 (four cases)", kind=Kind.INEQUALITY,
    statement="V(1 − 2E)/(1 − 2V) ≤ V, and |1 − 2E|/(1 − 2V) ≤ 1 for every distribution on "
              "(0, 1) (the algebraic step; the conclusion drawn from it is "
              "sec8.nwgm_closer_than_wgm).")
def eq86(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples in (0, 1)."""
    def holds(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        E, V = w["E"], w["V"]
        return _le(th.second_order_gap(E, V), V) and _le(abs(1 - 2 * E) / (1 - 2 * V), 1.0)
    return _ineq_claim(ctx, holds)


#: cluster centres for the Section 8 conclusion: below 1/2, between 1/2 and 2/3, above 2/3
_CLOSER_REGIMES = (("below 0.5", 0.05, 0.45), ("0.5 to 0.62", 0.52, 0.62),
                   ("above 0.72", 0.72, 0.95))


def _closer_clusters(ctx, n_each=2):
    """Clusters O = E₀ + s·h·d (Σ P_id_i = 0, so E = E₀) with spread s = 0.4 … 0.4/2⁸ around
    random E₀ in each of :data:`_CLOSER_REGIMES`; yields the regime, E₀, s and the arrays
    |E − NWGM| and E − G along s (both computed without cancellation)."""
    rng = ctx.rng()
    for name, lo, hi in _CLOSER_REGIMES:
        for _ in range(n_each):
            center, s, samples, P = _clusters(rng, "at", n_steps=9,
                                              center=float(rng.uniform(lo, hi)))
            ws = [th.weighted_means(O, P) for O in samples]
            gap_n = np.array([abs(w["E"] - w["NWGM"]) for w in ws])
            gap_g = np.array([_e_minus_g(O, P) for O in samples])
            yield name, center, s, gap_n, gap_g, P.size


@CATALOG.claim(
    "sec8.nwgm_closer_than_wgm", label="Section 8 (after Eq. 86; summary after Eq. 87)",
    kind=Kind.INEQUALITY,
    statement="To a second order of approximation the NWGM is closer to E than the WGM, in all "
              "cases: |E − NWGM| ≤ E − G for O_i clustered around any E in (0, 1) (small "
              "variance).",
    note="The algebra (Eq. 86) is right, but the second-order terms it compares are those of "
         "the expansion around 0.5. For tight clusters around E the leading terms are E − G ≈ "
         "V/(2E) and |E − NWGM| ≈ V|1 − 2E|/(2E(1 − E)), whose ratio |1 − 2E|/(1 − E) exceeds 1 "
         "for E > 2/3: there the WGM is the closer one (Eq. 88's example, E = 0.677, is such a "
         "case, not a third-order one). See sec8.nwgm_closer_than_wgm_corrected.")
def sec8_closer(ctx: Context) -> list[CaseResult]:
    """Measured on E, WGM and NWGM themselves: clusters of small variance (spread s → 0.4/256,
    V ≈ 1e-6·E₀²) around random E₀ below 0.5, between 0.5 and 0.62 and above 0.72; at the
    smallest spread |E − NWGM| ≤ E − G must hold (through ctx.le, to FP_SLACK of E; a power
    run tightens E − G by δ(E − G))."""
    out = []
    for name, center, s, gap_n, gap_g, m in _closer_clusters(ctx):
        ok = _le(gap_n[-1], gap_g[-1])
        out.append(CaseResult({"E0": center, "regime": name, "m": m, "spread": float(s[-1])},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, float(gap_g[-1]),
                              _exact_est(gap_n[-1], 1, "closed_form"), None, None,
                              f"at E = {center:.4f}, spread {s[-1]:.2g}: |E − NWGM| = "
                              f"{gap_n[-1]:.4g} {'≤' if ok else '>'} E − G = {gap_g[-1]:.4g} "
                              f"(ratio {gap_n[-1] / gap_g[-1]:.3f})"))
    return out


@CATALOG.claim(
    "sec8.nwgm_closer_than_wgm_corrected", label="Section 8 (after Eq. 86), via Eq. 199, 202",
    kind=Kind.APPROXIMATION, as_printed=False, corrects="sec8.nwgm_closer_than_wgm",
    statement="For O_i clustered around E (spread → 0), |E − NWGM|/(E − G) → |1 − 2E|/(1 − E): "
              "to second order the NWGM is closer to E than the WGM iff E < 2/3 (for E > 2/3 "
              "the WGM G is closer).")
def sec8_closer_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: with O_i = E + ε_i, E − G = V/(2E) + O(ε³) (eq84_85.wgm_second_order_
    corrected) and E − NWGM = V(1 − 2E)/(2E(1 − E)) + O(ε³) (eq84_85.nwgm_second_order_
    corrected), so the ratio tends to |1 − 2E|/(1 − E), which is < 1 iff 2E − 1 < 1 − E, i.e.
    E < 2/3 (for E ≤ 1/2 it is always < 1). Same clusters as sec8.nwgm_closer_than_wgm: the
    ratio must converge to the limit at first order in the spread (judge.order, absolute;
    a power run scales the limit by 1 + δ)."""
    out = []
    for name, center, s, gap_n, gap_g, m in _closer_clusters(ctx):
        limit = abs(1 - 2 * center) / (1 - center)
        res = judge.order({"E0": center, "regime": name, "m": m}, s, gap_n / gap_g,
                          np.full(s.size, limit), 1, kind="absolute",
                          name="|E − NWGM|/(E − G) → |1 − 2E|/(1 − E)", ctx=ctx)
        res.detail += f"; limit {limit:.4f} ({'NWGM' if limit < 1 else 'WGM'} closer)"
        out.append(res)
    return out


@CATALOG.claim(
    "eq87.chain", label="Eq. 87", kind=Kind.INEQUALITY,
    statement="V|1 − 2E|/(1 − 2V) ≤ E(1 − E)|1 − 2E|/(1 − 2V) ≤ E(1 − E)|1 − 2E|/(1 − 2E(1 − E)) "
              "≤ 2E(1 − E)|1 − 2E|, with equality in the first two for a Bernoulli variable.")
def eq87_chain(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples on [0, 1] (endpoints allowed: V ≤ E(1 − E) is attained by 0–1
    variables), plus the Bernoulli equality case for random E."""
    def holds(args):
        O, P = _unpack(args)
        E = float(P @ O)
        V = float(P @ (O - E) ** 2)
        a, b, c, d = th.eq87_chain(E, V)
        # E(1 − E) and V are built from E and 1 − E (max ≥ ½): rounding is relative to 1
        return (_le(a, b, tol_scale=1.0) and _le(b, c, tol_scale=1.0)
                and _le(c, d, tol_scale=1.0))
    out = _ineq_claim(ctx, holds, 0.0, 1.0, "[0, 1]")
    rng = ctx.rng()
    for E in rng.uniform(0.01, 0.99, 3):
        a, b, c, _ = th.eq87_chain(E, E * (1 - E))
        out.append(judge.exact({"Bernoulli E": float(E)}, [float(c), float(c)], [float(a), float(b)]))
    return out


@CATALOG.claim(
    "eq87.maximisers", label="Eq. 87, Fig. 8.1, Fig. 8.2", kind=Kind.VALUE,
    statement="E(1−E)|1−2E|/[1−2E(1−E)] and 2E(1−E)|1−2E| vanish at E = 0, 0.5, 1, are symmetric "
              "about 0.5, concave on [0, 0.5], and maximal there at E = 0.5 − √(√5 − 2)/2 and "
              "E = 0.5 − √3/6 respectively.")
def eq87_max(ctx: Context) -> list[CaseResult]:
    """Bounded scipy optimisation on [0, 0.5] against the printed maximisers (to 1e-8), zeros
    and symmetry on a grid, and concavity as the sign of the analytic second derivative in
    x = 1 − 2E (x(1 − x²)/(2(1 + x²)) and x(1 − x²)/2) on a fine grid."""
    out = []
    for name, f, printed in (("Fig. 8.1", th.fig81_curve, th.fig81_argmax_printed()),
                             ("Fig. 8.2", th.fig82_curve, th.fig82_argmax_printed())):
        found = th.argmax_on_half(f)
        out.append(judge.exact({"curve": name, "what": "argmax on [0, 0.5]"}, printed, found,
                               atol=1e-8, method="optimisation",
                               detail=f"scipy argmax {found:.10f}, printed {printed:.10f}"))
        E = np.linspace(0, 1, 2001)
        out.append(judge.exact({"curve": name, "what": "zeros at 0, 0.5, 1 and symmetry"},
                               np.r_[np.zeros(3), f(E)], np.r_[f(np.array([0, 0.5, 1.0])), f(1 - E)],
                               scale=float(np.max(f(E)))))
        x = np.linspace(0, 1, 20001)
        g = (lambda x: x * (1 - x * x) / (2 * (1 + x * x))) if name == "Fig. 8.1" else (lambda x: x * (1 - x * x) / 2)
        d2 = np.gradient(np.gradient(g(x), x), x)[2:-2]
        # concave: max g'' ≤ 0 to the 1e-6 of the finite differences; a power run asks
        # g'' ≤ −δ·max|g''| (g''(0) = 0, so the bound is attained at x = 0)
        ok = ctx.le(float(d2.max()), 0.0, tol=1e-6, scale=float(np.abs(d2).max()))
        out.append(CaseResult({"curve": name, "what": "concave on [0, 0.5]"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, 0.0,
                              _exact_est(float(d2.max()), x.size, "closed_form"),
                              None, None, f"max second derivative {d2.max():.3g} ≤ 0"))
    return out


@CATALOG.claim(
    "eq87.curves_bound_exact_gap", label="Eq. 87, Fig. 8.1, Fig. 8.2", kind=Kind.APPROXIMATION,
    statement="|E − NWGM| ≲ E(1 − E)|1 − 2E|/[1 − 2E(1 − E)] ≤ 2E(1 − E)|1 − 2E|: the curves of "
              "Fig. 8.1 and 8.2 are approximate bounds on the NWGM error.",
    note="Printed with '≲' after the second-order step of Eq. 85, so judged as an approximation: "
         "the exact |E − NWGM| may exceed a curve by a term of higher order than V (it does: "
         "around E = 0.5, where the curves vanish, by a third-order skewness term). As strict "
         "bounds they fail: about 16–19 % of random spread-out samples lie above the curves, by "
         "up to ~0.05 (reported as measurements; the paper's Appendix F concedes discrepancies "
         "for artificial cases).")
def eq87_bound(ctx: Context) -> list[CaseResult]:
    """Criterion from the wording: '≲' = '≤ up to the neglected higher-order terms', i.e. the
    exceedance max(0, |E − NWGM| − curve(E)) is o(V) as the spread of a cluster shrinks. Cases
    (evidence): clusters centred at E = ½ exactly (skewed, so |E − NWGM| is of third order
    while the curves vanish — the hardest case) and around a random E₀, spread s = 0.4 …
    0.4/256; the ratio q = exceedance/V must vanish: zero throughout, or its tail log-log slope
    in s > 0.5 (the curve is tightened by δ·max(curve, V) in power runs, so q → δ). Reported
    as measurements (strict-bound reading): a hypothesis search for a sample above each curve,
    and the fraction of random samples (2–10 uniform values, Dirichlet weights) above it, with
    the largest excess."""
    out = []
    rng = ctx.rng()
    for name, f in (("Fig. 8.1", th.fig81_curve), ("Fig. 8.2", th.fig82_curve)):
        for where, center in (("at", 0.5), ("at", 0.5), ("at", float(rng.uniform(0.05, 0.95)))):
            E0, s, samples, P = _clusters(rng, where, n_steps=9, center=center)
            ws = [th.weighted_means(O, P) for O in samples]
            V = np.array([w["V"] for w in ws])
            gap = np.array([abs(w["E"] - w["NWGM"]) for w in ws])
            curve = np.array([float(f(w["E"])) for w in ws])
            exc = np.maximum(0.0, gap - np.asarray(ctx.tighten(curve, "upper", scale=V)))
            q = exc / V
            if np.all(q[-4:] == 0):
                ok, slope = True, math.inf
            else:
                slope, _ = judge.loglog_slope(s[-4:], np.maximum(q[-4:], 1e-300))
                ok = slope > 0.5
            out.append(CaseResult(
                {"curve": name, "E0": E0, "m": P.size, "spread": "0.4..0.4/256"},
                Verdict.APPROXIMATE if ok else Verdict.REFUTED, float(curve[-1]),
                _exact_est(float(gap[-1]), 1, "closed_form"), None, None,
                f"{name} at E = {E0:.4f}: exceedance/V = {q[0]:.3g} at s = {s[0]:.3g}, "
                f"{q[-1]:.3g} at s = {s[-1]:.3g}"
                + (f" (tail slope {slope:.2f}, needs > 0.5)" if math.isfinite(slope) else
                   " (never above the curve)"),
                {"abs": float(exc[-1]), "rel": float(q[-1])}))
        def holds(args, f=f):
            O, P = _unpack(args)
            w = th.weighted_means(O, P)
            return abs(w["E"] - w["NWGM"]) <= float(f(w["E"])) + FP_SLACK
        srch = judge.counterexample_search(holds, _st_sample(), ctx)
        prm = {"curve": name, "search": "hypothesis", "evaluated": srch.evaluated,
               "reading": "strict bound (measurement)"}
        if srch.counterexample is None:
            res = CaseResult(prm, Verdict.APPROXIMATE, role="measurement",
                             detail=f"strict reading: no sample above the curve in {srch.describe()}")
        else:
            O, P = _unpack(srch.counterexample)
            w = th.weighted_means(O, P)
            res = CaseResult(prm, Verdict.APPROXIMATE, float(f(w["E"])),
                             _exact_est(abs(w["E"] - w["NWGM"]), 1, "search"), None, None,
                             f"strict reading: sample above the curve (O, weights): "
                             f"{srch.counterexample!r}; there E = {w['E']:.6g}, NWGM = "
                             f"{w['NWGM']:.6g}, |E − NWGM| = {abs(w['E'] - w['NWGM']):.4g} > curve "
                             f"{float(f(w['E'])):.4g}", role="measurement")
        above, worst = 0, 0.0
        n = ctx.budget(20_000, 2_000)
        for _ in range(n):
            O, P = _random_sample(rng, int(rng.integers(2, 11)))
            w = th.weighted_means(O, P)
            gap = abs(w["E"] - w["NWGM"])
            above += gap > float(f(w["E"]))
            worst = max(worst, gap - float(f(w["E"])))
        res.detail += f"; {above}/{n} random samples above the curve (max excess {worst:.3g})"
        out.append(res)
    return out


@CATALOG.claim(
    "eq88.example", label="Eq. 88", kind=Kind.VALUE,
    statement="For O = (0.622459, 0.731059), p = (½, ½): E = 0.676759, G = 0.674577, "
              "G' = 0.318648, NWGM = 0.679179, E − G = 0.002182, NWGM − E = 0.002420, so "
              "NWGM − E ≥ E − G (a 'third order' case).",
    note="The values are right. With E = 0.677 > 2/3 this is not a third-order effect: to second "
         "order NWGM − E ≈ V(2E − 1)/(2E(1 − E)) exceeds E − G ≈ V/(2E) whenever E > 2/3 "
         "(sec8.nwgm_closer_than_wgm_corrected).")
def eq88(ctx: Context) -> list[CaseResult]:
    """Each printed decimal against the value computed from the printed O (to its digits), and
    the inequality NWGM − E ≥ E − G, also for O = (σ(0.5), σ(1)) from which the printed O
    come."""
    O, P = np.array([0.622459, 0.731059]), np.array([0.5, 0.5])
    w = th.weighted_means(O, P)
    vals = {"E": w["E"], "G": w["G"], "Gp": w["Gp"], "NWGM": w["NWGM"], "E-G": w["E"] - w["G"],
            "NWGM-E": w["NWGM"] - w["E"]}
    out = [judge.printed_value({"quantity": k}, th.EQ88_PRINTED[k], v) for k, v in vals.items()]
    out.append(judge.printed_value({"quantity": "O1 = σ(0.5)"}, "0.622459", float(special.expit(0.5))))
    out.append(judge.printed_value({"quantity": "O2 = σ(1)"}, "0.731059", float(special.expit(1.0))))
    for src, OO in (("printed O", O), ("σ(0.5), σ(1)", special.expit([0.5, 1.0]))):
        ww = th.weighted_means(OO, P)
        # NWGM − E ≥ E − G, to FP_SLACK of E (a power run asks for δ(E − G) more)
        ok = ctx.ge(ww["NWGM"] - ww["E"], ww["E"] - ww["G"], tol=FP_SLACK * ww["E"])
        out.append(CaseResult({"O": src, "check": "NWGM − E ≥ E − G"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, None, None, None, None,
                              f"NWGM − E = {ww['NWGM'] - ww['E']:.6g}, E − G = {ww['E'] - ww['G']:.6g}"))
    return out


@CATALOG.claim(
    "sec8.equal_example", label="Section 8 (after Eq. 87)", kind=Kind.IDENTITY,
    statement="For O = (0.25, 0.75) with P = (½, ½), G = G' and E = NWGM = 0.5.")
def sec8_equal(ctx: Context) -> list[CaseResult]:
    """Direct computation."""
    w = th.weighted_means([0.25, 0.75], [0.5, 0.5])
    return [judge.exact({"O": [0.25, 0.75]}, [w["Gp"], 0.5, 0.5], [w["G"], w["E"], w["NWGM"]])]


@CATALOG.claim(
    "eq92_93.expansion", label="Eq. 90, Eq. 92, Eq. 93, Eq. 94", kind=Kind.APPROXIMATION,
    statement="With O_i = ½ + ε_i, the product expansion truncated at second order equals "
              "½ + E(ε) − Var(ε), and G = E(O) − Var(O) + R₃ (and G' = 1 − E − V + R₃) with a "
              "third-order remainder.")
def eq92_93(ctx: Context) -> list[CaseResult]:
    """(a) the algebra of Eq. 92 → Eq. 93: ½[1 + Σ P_i2ε_i + Σ P_i(P_i − 1)(2ε_i)²/2 +
    Σ_{i<j}4P_iP_jε_iε_j] = ½ + E(ε) − Var(ε) exactly, for random samples; (b) the remainders
    G − (E − V) and G' − (1 − E − V) are O(ε³) (slope > 2.5) as the sample shrinks to 0.5."""
    rng = ctx.rng()
    out = []
    for _ in range(4):
        O, P = _random_sample(rng)
        e = O - 0.5
        cross = sum(4 * P[i] * P[j] * e[i] * e[j] for i in range(e.size) for j in range(i + 1, e.size))
        trunc = 0.5 * (1 + np.sum(P * 2 * e) + np.sum(P * (P - 1) / 2 * (2 * e) ** 2) + cross)
        E = P @ O
        out.append(judge.exact({"m": O.size, "eq": "Eq. 92 = Eq. 93"}, E - P @ (O - E) ** 2, trunc))
    out += _order_claim(ctx, lambda O, P, w: w["G"], lambda w: w["E"] - w["V"], kind="absolute",
                        claimed=3, name="G − (E − V)", regimes=("0.5",), n_each=2)
    out += _order_claim(ctx, lambda O, P, w: w["Gp"], lambda w: 1 - w["E"] - w["V"], kind="absolute",
                        claimed=3, name="G' − (1 − E − V)", regimes=("0.5",), n_each=2)
    return out


@CATALOG.claim(
    "eq97.complement_gap", label="Eq. 97", kind=Kind.APPROXIMATION,
    statement="(1 − E) − G'/(G + G') ≈ V(1 − 2E)/(1 − 2V).",
    note="Sign error: by property 5, (1 − E) − G'/(G + G') = −(E − NWGM), so the right side "
         "must be V(2E − 1)/(1 − 2V), as Eq. 85 prints it. See eq97.complement_gap_corrected.")
def eq97(ctx: Context) -> list[CaseResult]:
    """Consistently low and consistently high samples (where the exact sign is known from
    Eq. 81/82): the printed approximation has the opposite sign to the exact value; the order
    test along shrinking clusters is reported too."""
    rng = ctx.rng()
    out = []
    for lo, hi in ((0.05, 0.45), (0.55, 0.95)):
        O, P = _random_sample(rng, lo=lo, hi=hi)
        w = th.weighted_means(O, P)
        exact_v = (1 - w["E"]) - float(special.expit(w["logGp"] - w["logG"]))
        approx_v = th.eq97_gap_as_printed(w["E"], w["V"])
        ok = np.sign(exact_v) == np.sign(approx_v)
        out.append(CaseResult({"O range": [lo, hi], "m": O.size}, Verdict.APPROXIMATE if ok else Verdict.REFUTED,
                              exact_v, None, None, None,
                              f"exact (1−E) − G'/(G+G') = {exact_v:.4g}, printed approximation "
                              f"{approx_v:.4g}: {'same' if ok else 'opposite'} sign",
                              {"abs": abs(exact_v - approx_v), "rel": abs(exact_v - approx_v) / abs(exact_v)}))
    out += _order_claim(ctx, lambda O, P, w: (1 - w["E"]) - (1 - w["NWGM"]),
                        lambda w: th.eq97_gap_as_printed(w["E"], w["V"]), kind="relative",
                        claimed=1, name="Eq. 97", regimes=("low", "high"), n_each=1)
    return out


@CATALOG.claim(
    "eq97.complement_gap_corrected", label="Eq. 97", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq97.complement_gap",
    statement="(1 − E) − G'/(G + G') = −(E − G/(G + G')) exactly, hence ≈ V(2E − 1)/(1 − 2V) "
              "whenever Eq. 96 holds.")
def eq97_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: G'/(G + G') = 1 − G/(G + G'), so (1 − E) − G'/(G + G') = G/(G + G') − E =
    −(E − NWGM); substituting Eq. 96 gives −V(1 − 2E)/(1 − 2V) = V(2E − 1)/(1 − 2V), the
    fourth expression of Eq. 85. Checked exactly (log domain) on random samples."""
    rng = ctx.rng()
    out = []
    for _ in range(5):
        O, P = _random_sample(rng)
        w = th.weighted_means(O, P)
        lhs = (1 - w["E"]) - float(special.expit(w["logGp"] - w["logG"]))
        # differences of probabilities: tolerances relative to the terms (size ≤ 1, max ≥ ½)
        out.append(judge.exact({"m": O.size}, -(w["E"] - w["NWGM"]), lhs, scale=1.0))
        out.append(judge.exact({"m": O.size, "what": "approximations"},
                               -th.second_order_gap(w["E"], w["V"]), th.eq97_gap_corrected(w["E"], w["V"]),
                               scale=w["V"]))
    return out


# -- Sec. 8, "Extreme cases" -----------------------------------------------------------------


def _st_extreme(force_one: bool, force_zero: bool):
    """(O, raw weights) with O_0 = 1 and/or O_1 = 0 forced (weights > 0), the other values
    in [1e-9, 1 − 1e-9]."""
    from hypothesis import strategies as st

    def build(args):
        O, W = list(args[0]), list(args[1])
        if force_one:
            O[0] = 1.0
        if force_zero:
            O[-1] = 0.0
        return O, W
    return _st_sample(max_m=8).filter(lambda a: len(a[0]) >= 2).map(build)


@CATALOG.claim(
    "sec8.extreme_zero_one", label="Sec. 8 (Extreme cases)", kind=Kind.IDENTITY,
    statement="If O_i = 1 with non-zero probability then G' = 0 and NWGM = 1, unless some "
              "O_j = 0 with non-zero probability; if O_i = 0 with non-zero probability then "
              "G = 0 and NWGM = 0, unless some O_j = 1; if both occur, NWGM = 0/0 is undefined.")
def sec8_extreme_zero_one(ctx: Context) -> list[CaseResult]:
    """Searches over samples (2–8 values, positive weights) with a value forced to 1, to 0, or
    both, the means computed directly (:func:`th.extreme_means`, 0 and 1 allowed): G' = 0 and
    NWGM = 1; G = 0 and NWGM = 0; G = G' = 0 and the NWGM undefined (NaN)."""
    def one(args):
        O, P = _unpack(args)
        m = th.extreme_means(O, P)
        return (ctx.close(m["Gp"], 0.0, atol=0.0, scale=1.0) and m["G"] > 0
                and ctx.close(m["NWGM"], 1.0, rtol=1e-15))

    def zero(args):
        O, P = _unpack(args)
        m = th.extreme_means(O, P)
        return (ctx.close(m["G"], 0.0, atol=0.0, scale=1.0) and m["Gp"] > 0
                and ctx.close(m["NWGM"], 0.0, atol=0.0, scale=1.0))

    def both(args):
        O, P = _unpack(args)
        m = th.extreme_means(O, P)
        return m["G"] == 0.0 and m["Gp"] == 0.0 and math.isnan(m["NWGM"])

    return [_search(ctx, one, _st_extreme(True, False), {"forced": "O_0 = 1"}),
            _search(ctx, zero, _st_extreme(False, True), {"forced": "O_m = 0"}),
            _search(ctx, both, _st_extreme(True, True), {"forced": "O_0 = 1 and O_m = 0"})]


@CATALOG.claim(
    "sec8.extreme_examples", label="Sec. 8 (Extreme cases)", kind=Kind.APPROXIMATION,
    statement="If O_i = 1 with non-zero probability and all the other O_j are close to 1, then "
              "NWGM = 1 ≈ E; if O_i = 1 with small but non-zero probability and all the other "
              "O_j are close to 0, then NWGM = 1 is not a good approximation of E.")
def sec8_extreme_examples(ctx: Context) -> list[CaseResult]:
    """Random samples (m = 3–8, Dirichlet weights) with O_0 = 1. (a) The others at
    1 − s·d_j (d_j ∈ (0, 1)), s = 2^{−k}: NWGM = 1 and |E − NWGM| = Σ_j P_j s d_j = O(s)
    (judge.order, order 1). (b) P_0 = s and the others at s·d_j: E ≤ 2s while NWGM = 1, so
    the error 1 − E ≥ 1 − 2s → 1, the largest an error between values in [0, 1] can be
    (checked for s = 2^{−k}, k = 2…8, through ctx.ge), and the relative error grows like 1/s."""
    rng = ctx.rng()
    ss = 2.0 ** -np.arange(2, 9)
    out = []
    for k in range(3):
        m = int(rng.integers(3, 9))
        d = rng.uniform(0.05, 1.0, m - 1)
        P = rng.dirichlet(np.ones(m))
        E, NW = [], []
        for s in ss:
            w = th.extreme_means(np.r_[1.0, 1 - s * d], P)
            E.append(w["E"])
            NW.append(w["NWGM"])
        out.append(judge.order({"m": m, "others": "1 − s d"}, ss, E, NW, 1, name="|E − NWGM|",
                               ctx=ctx))
        errs, ok = [], True
        for s in ss:
            P2 = np.r_[s, (1 - s) * rng.dirichlet(np.ones(m - 1))]
            w = th.extreme_means(np.r_[1.0, s * d], P2)
            err = abs(w["NWGM"] - w["E"])
            errs.append(err)
            ok &= bool(w["NWGM"] == 1.0) and ctx.ge(err, 1 - 2 * s, scale=1.0)
        out.append(CaseResult({"m": m, "P_0": "s", "others": "s d"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, None,
                              _exact_est(errs[-1], len(ss), "closed_form"), None, None,
                              f"NWGM = 1; |E − NWGM| = {', '.join(f'{e:.4f}' for e in errs)} for "
                              f"s = 1/4 … 1/256 (≥ 1 − 2s each)"))
    return out


# ------------------------------------------------------------------------------------------
# Appendix B: expansions around the mean and around 0 or 1
# ------------------------------------------------------------------------------------------


def _near_one(rng, n_steps=7, s0=0.2, flip=False):
    """Samples O = 1 − s·u (or s·u near 0 when ``flip``) with u ∈ (0, 1] of varied spread."""
    m = int(rng.integers(2, 9))
    u = rng.uniform(0.05, 1.0, m)
    P = rng.dirichlet(np.ones(m))
    s = s0 * 0.5 ** np.arange(n_steps)
    samples = [(s_ * u if flip else 1 - s_ * u) for s_ in s]
    return s, samples, P


def _near_claim(ctx, quantity, approx, *, kind, claimed, name, flip=False, n_cases=3):
    rng = ctx.rng()
    out = []
    for _ in range(n_cases):
        s, samples, P = _near_one(rng, flip=flip)
        ws = [th.weighted_means(O, P) for O in samples]
        D = np.array([quantity(O, P, w) for O, w in zip(samples, ws)])
        A = np.array([approx(w) for w in ws])
        out.append(judge.order({"around": 0 if flip else 1, "m": P.size}, s, D, A, claimed,
                               kind=kind, name=name, ctx=ctx))
    return out


@CATALOG.claim(
    "eq199_202.expansion_mean", label="Eq. 195, Eq. 196, Eq. 197, Eq. 199, Eq. 200, Eq. 201, Eq. 202",
    kind=Kind.APPROXIMATION,
    statement="Expanding around the mean: G ≈ E − V/(2E), G' ≈ (1 − E) − V/(2(1 − E)), G + G' ≈ "
              "1 − V/(2E(1 − E)) and NWGM ≈ (E − V/(2E))/(1 − V/(2E(1 − E))).")
def eq199_202(ctx: Context) -> list[CaseResult]:
    """Shrinking clusters around random E₀ (near 0.5 and away from it): the relative errors of
    E − G, 1 − E − G', 1 − (G + G') and E − NWGM against the corresponding approximations
    must vanish (slope > 0.5)."""
    reg = ("0.5", "low", "high")
    out = _order_claim(ctx, _gap_G, lambda w: w["V"] / (2 * w["E"]), kind="relative", claimed=1,
                       name="Eq. 199", regimes=reg, n_each=1)
    out += _order_claim(ctx, _gap_Gp, lambda w: w["V"] / (2 * (1 - w["E"])), kind="relative",
                        claimed=1, name="Eq. 200", regimes=reg, n_each=1)
    out += _order_claim(ctx, lambda O, P, w: 1 - w["G"] - w["Gp"],
                        lambda w: w["V"] / (2 * w["E"] * (1 - w["E"])), kind="relative", claimed=1,
                        name="Eq. 201", regimes=reg, n_each=1)
    out += _order_claim(ctx, _gap_nwgm, lambda w: w["E"] - th.eq202_nwgm(w["E"], w["V"]),
                        kind="relative", claimed=1, name="Eq. 202", regimes=("low", "high"), n_each=1)
    return out


@CATALOG.claim(
    "eq198_199.middle_as_printed", label="Eq. 198, Eq. 199", kind=Kind.APPROXIMATION,
    statement="G = E[1 + Σ P_iε_i/E + Σ P_i(P_i − 1)/2 (ε_i/E)² + Σ_{i≠j} P_iP_jε_iε_j/E² + R₃] "
              "= E[1 − V/E² + R₃].",
    note="Both middle forms are off: the cross terms of the product are Σ_{i<j} (not i ≠ j) and "
         "the bracket is 1 − V/(2E²); the final 'G ≈ E − V/(2E)' of Eq. 199 is right. See "
         "eq198_199.middle_corrected.")
def eq198_199_middle(ctx: Context) -> list[CaseResult]:
    """Along shrinking clusters around random E₀: the relative error of E − G against the
    printed E·V/E² = V/E (Eq. 199 middle) and against the printed Eq. 198 bracket (with
    Σ_{i≠j}) must vanish for a correct second-order expansion."""
    def eq198(O, P, w):
        E = w["E"]
        e = O - E
        cross = (P @ e) ** 2 - np.sum(P * P * e * e)  # Σ_{i≠j} P_iP_jε_iε_j
        return E - E * (1 + np.sum(P * (P - 1) / 2 * (e / E) ** 2) + cross / E ** 2)
    out = _order_claim(ctx, _gap_G, lambda w: w["V"] / w["E"], kind="relative", claimed=1,
                       name="Eq. 199 middle: E − G ≈ V/E", regimes=("low", "high"), n_each=1)
    rng = ctx.rng()
    for _ in range(2):
        center, s, samples, P = _clusters(rng, "low")
        ws = [th.weighted_means(O, P) for O in samples]
        D = np.array([_gap_G(O, P, w) for O, w in zip(samples, ws)])
        A = np.array([eq198(O, P, w) for O, w in zip(samples, ws)])
        out.append(judge.order({"around": "low", "center": center}, s, D, A, 1, kind="relative",
                               name="Eq. 198 bracket", ctx=ctx))
    return out


@CATALOG.claim(
    "eq198_199.middle_corrected", label="Eq. 198, Eq. 199", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq198_199.middle_as_printed",
    statement="E[1 + Σ P_i(P_i − 1)/2 (ε_i/E)² + Σ_{i<j} P_iP_jε_iε_j/E²] = E[1 − V/(2E²)] when "
              "Σ P_iε_i = 0, so G = E − V/(2E) + O(ε³).")
def eq198_199_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: Σ_i P_i(P_i − 1)ε_i²/2 + Σ_{i<j}P_iP_jε_iε_j = ½(Σ_i P_iε_i)² − ½Σ_i P_iε_i²
    = −V/2 when Σ P_iε_i = 0 (ε_i = O_i − E). Checked exactly on random samples."""
    rng = ctx.rng()
    out = []
    for _ in range(5):
        O, P = _random_sample(rng)
        E = P @ O
        e = O - E
        cross = sum(P[i] * P[j] * e[i] * e[j] for i in range(e.size) for j in range(i + 1, e.size))
        br = 1 + np.sum(P * (P - 1) / 2 * (e / E) ** 2) + cross / E ** 2
        out.append(judge.exact({"m": O.size}, 1 - (P @ e ** 2) / (2 * E * E), br))
    return out


@CATALOG.claim(
    "eq203_204.around_one_G", label="Eq. 203, Eq. 204", kind=Kind.APPROXIMATION,
    statement="Around one (O_i = 1 − ε_i), G = E − V/2 + R₃.")
def eq204(ctx: Context) -> list[CaseResult]:
    """Samples O = 1 − s·u shrinking to 1: |G − (E − V/2)| must be O(s³) (slope > 2.5)."""
    return _near_claim(ctx, lambda O, P, w: w["G"], lambda w: w["E"] - w["V"] / 2, kind="absolute",
                       claimed=3, name="G ≈ E − V/2")


@CATALOG.claim(
    "eq205_208.around_one", label="Eq. 205, Eq. 206, Eq. 207, Eq. 208", kind=Kind.APPROXIMATION,
    statement="Around one, G' ≈ 1 − E − V/2, G + G' ≈ 1 − V, NWGM ≈ (2E − V)/(2 − 2V) and "
              "E − NWGM ≈ −(E − ½)V/(1 − V).",
    note="G' = Π ε_i^{P_i} is the geometric mean of the small complements and has no expansion "
         "around 0 ('by symmetry' does not apply): its relative error does not vanish, and "
         "E − NWGM is of first order in ε, not second. See eq208.corrected.")
def eq205_208(ctx: Context) -> list[CaseResult]:
    """Samples O = 1 − s·u shrinking to 1 (u spread over [0.05, 1]): relative errors of G'
    (Eq. 205) and of E − NWGM (Eq. 208) must vanish for the expansions to be right."""
    out = _near_claim(ctx, lambda O, P, w: w["Gp"], lambda w: 1 - w["E"] - w["V"] / 2,
                      kind="relative", claimed=1, name="Eq. 205 G' ≈ 1 − E − V/2", n_cases=2)
    out += _near_claim(ctx, _gap_nwgm, lambda w: th.eq208_gap(w["E"], w["V"]), kind="relative",
                       claimed=1, name="Eq. 208 E − NWGM", n_cases=2)
    return out


@CATALOG.claim(
    "eq208.corrected", label="Eq. 208", kind=Kind.APPROXIMATION, as_printed=False,
    corrects="eq205_208.around_one",
    statement="Around one, E − NWGM ≈ G_ε − E_ε = −(arithmetic − geometric mean of ε_i = 1 − O_i), "
              "a first-order (negative) quantity.")
def eq208_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: E − NWGM = G'/(G + G') − (1 − E) exactly (property 5). Near one, G = 1 −
    O(ε) and G' = Π ε_i^{P_i} = O(ε), so G'/(G + G') = G'(1 + O(ε)) and E − NWGM = G' − E_ε +
    O(ε²), where E_ε = 1 − E. Its relative error must vanish (slope > 0.5) as O → 1."""
    return _near_claim(ctx, _gap_nwgm, lambda w: w["Gp"] - (1 - w["E"]), kind="relative",
                       claimed=1, name="E − NWGM ≈ G' − (1 − E)")


@CATALOG.claim(
    "eq209_210.chain", label="Eq. 209, Eq. 210 (Appendix B.2)", kind=Kind.INEQUALITY,
    statement="½V/(1 − V) ≤ ½E(1 − E)/(1 − E(1 − E)) ≤ 1/6 and |E − ½|E(1 − E)/(1 − E(1 − E)) ≤ "
              "½E(1 − E)/(1 − E(1 − E)) ≤ 1/6; f(E) = E(1 − E)/(1 − E(1 − E)) is concave on [0, 1] "
              "with maximum f(0.5) = 1/3.")
def eq209_210(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples on [0, 1]; the maximum of f by scipy optimisation and its
    concavity from the numerical second derivative on a grid."""
    def holds(args):
        O, P = _unpack(args)
        E = float(P @ O)
        V = float(P @ (O - E) ** 2)
        f = float(th.f_app_b(E))
        # V, f(E) are built from E and 1 − E (size 1): at E = 1 both are 0 up to rounding of
        # order 1e-16, hence tolerance and power relative to 1
        return (_le(0.5 * V / (1 - V), 0.5 * f, 1.0) and _le(0.5 * f, 1 / 6)
                and _le(abs(E - 0.5) * f, 0.5 * f, 1.0))
    out = _ineq_claim(ctx, holds, 0.0, 1.0, "[0, 1]")
    from scipy import optimize

    res = optimize.minimize_scalar(lambda e: -float(th.f_app_b(e)), bounds=(0, 1), method="bounded",
                                   options={"xatol": 1e-12})
    out.append(judge.exact({"what": "argmax and max of f"}, [0.5, 1 / 3], [float(res.x), float(-res.fun)],
                           atol=1e-8, method="optimisation"))
    x = np.linspace(0, 1, 20001)
    d2 = np.gradient(np.gradient(th.f_app_b(x), x), x)[2:-2]
    # concave: f'' ≤ 0 up to the finite-difference error (≈ h²·max|f⁗| ≈ 1e-7); the bound 0 is
    # tightened by δ·max|f''| in power runs
    ok = ctx.le(float(d2.max()), 0.0, tol=1e-6, scale=float(np.abs(d2).max()))
    out.append(CaseResult({"what": "f concave"}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                          None, _exact_est(float(d2.max()), x.size, "closed_form"), None, 1e-6,
                          detail=f"max f'' = {d2.max():.3g} (min {d2.min():.3g})"))
    return out


@CATALOG.claim(
    "eq209_210.exact_gap", label="Eq. 209, Eq. 210 (Appendix B.2)", kind=Kind.INEQUALITY,
    statement="|E − NWGM| ≲ ½V/(1 − V) ≤ 1/6 (read as bounds on the exact |E − NWGM|).",
    note="Printed with '≲'. Exact errors exceed both ½V/(1 − V) and 1/6 (e.g. two values, one "
         "next to 1): see the counterexamples.")
def eq209_210_exact(ctx: Context) -> list[CaseResult]:
    """Hypothesis searches for samples with |E − NWGM| > ½V/(1 − V) and > 1/6, plus the
    deterministic case O = (1 − 10⁻¹⁰, 0.1), P = (½, ½) where NWGM ≈ 1 and E = 0.55."""
    out = []
    for name, bound in (("½V/(1−V)", lambda E, V: 0.5 * V / (1 - V)), ("1/6", lambda E, V: 1 / 6)):
        def holds(args, bound=bound):
            O, P = _unpack(args)
            w = th.weighted_means(O, P)
            return _le(abs(w["E"] - w["NWGM"]), bound(w["E"], w["V"]))
        out.append(_search(ctx, holds, _st_sample(1e-12, 1 - 1e-12), {"bound": name}, what="(O, weights)"))
    w = th.weighted_means([1 - 1e-10, 0.1], [0.5, 0.5])
    gap = abs(w["E"] - w["NWGM"])
    out.append(CaseResult({"O": [1 - 1e-10, 0.1], "P": [0.5, 0.5]},
                          Verdict.CONFIRMED if ctx.le(gap, 1 / 6) else Verdict.REFUTED, 1 / 6,
                          _exact_est(gap, 1, "closed_form"), None, None,
                          f"E = {w['E']:.4g}, NWGM = {w['NWGM']:.6g}, |E − NWGM| = {gap:.4g} > 1/6"))
    return out


@CATALOG.claim(
    "eq211.around_zero", label="Eq. 211", kind=Kind.APPROXIMATION,
    statement="Around zero, NWGM ≈ (1 − E − 0.5V)/(1 − V).",
    note="As printed this approximates G'/(G + G') = 1 − NWGM (interchanging G and G' in "
         "Eq. 207 gives the complement); for small O_i it is ≈ 1 while NWGM ≈ 0.")
def eq211(ctx: Context) -> list[CaseResult]:
    """Samples O = s·u shrinking to 0: relative error of the printed expression against the
    NWGM."""
    return _near_claim(ctx, lambda O, P, w: w["NWGM"], lambda w: th.eq211_nwgm_as_printed(w["E"], w["V"]),
                       kind="relative", claimed=1, name="Eq. 211", flip=True, n_cases=2)


# ------------------------------------------------------------------------------------------
# Appendix C: higher moments
# ------------------------------------------------------------------------------------------


@CATALOG.claim(
    "eq213.nwgm_powers", label="Eq. 213", kind=Kind.IDENTITY,
    statement="NWGM(O^k) = 1/(1 + Π_i((1 − O_i)(1 + O_i + … + O_i^{k−1})/O_i^k)^{P_i}).")
def eq213(ctx: Context) -> list[CaseResult]:
    """Random samples and weights, k = 1..5: the definition (log domain) against the right side."""
    rng = ctx.rng()
    out = []
    for k in range(1, 6):
        O, P = _random_sample(rng)
        out.append(judge.exact({"k": k, "m": O.size}, th.weighted_means(O ** k, P)["NWGM"],
                               th.eq213_nwgm_power(O, P, k)))
    return out


@CATALOG.claim(
    "eq214.square", label="Eq. 214", kind=Kind.IDENTITY,
    statement="NWGM(O²) = 1/(1 + Π_i((1 − O_i)(1 + O_i)/O_i)^{P_i}) = "
              "1/(1 + ce^{−λE(S)}Π_i(2 + ce^{−λS_i})^{P_i}) for O = σ(S).",
    note="The middle expression lacks the square of O_i in the denominator (Eq. 213 with k = 2 "
         "gives O_i²); the right-hand side is correct. See eq214.corrected.")
def eq214(ctx: Context) -> list[CaseResult]:
    """Random logistic outputs (random c, λ > 0): the NWGM of O² against the printed middle and
    the printed right-hand side."""
    rng = ctx.rng()
    out = []
    for _ in range(3):
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 2))
        m = int(rng.integers(2, 10))
        S = rng.standard_normal(m)
        P = rng.dirichlet(np.ones(m))
        O = th.logistic(S, c, lam)
        nw = th.weighted_means(O ** 2, P)["NWGM"]
        out.append(judge.exact({"c": c, "lam": lam, "form": "middle"}, nw, th.eq214_middle_as_printed(O, P)))
        out.append(judge.exact({"c": c, "lam": lam, "form": "right"}, nw, th.eq214_right(S, P, c, lam)))
    return out


@CATALOG.claim(
    "eq214.corrected", label="Eq. 214", kind=Kind.IDENTITY, as_printed=False, corrects="eq214.square",
    statement="NWGM(O²) = 1/(1 + Π_i((1 − O_i)(1 + O_i)/O_i²)^{P_i}).")
def eq214_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: 1 − O² = (1 − O)(1 + O), so G'(O²)/G(O²) = Π((1 − O_i)(1 + O_i)/O_i²)^{P_i}
    (Eq. 213, k = 2); with (1 − O)/O = ce^{−λS} and (1 + O)/O = 2 + ce^{−λS} this is the
    printed right-hand side. Random samples."""
    rng = ctx.rng()
    out = []
    for _ in range(4):
        O, P = _random_sample(rng)
        out.append(judge.exact({"m": O.size}, th.weighted_means(O ** 2, P)["NWGM"],
                               th.eq213_nwgm_power(O, P, 2)))
    return out


@CATALOG.claim(
    "eq216.inverse", label="Eq. 216", kind=Kind.IDENTITY,
    statement="Inverting the logistic function, S = (1/λ)·cO/(1 − O).",
    note="The logarithm is missing: S = (1/λ) log(cO/(1 − O)) (Eq. 217 expands the log). See "
         "eq216.corrected.")
def eq216(ctx: Context) -> list[CaseResult]:
    """σ(S) for random S, c, λ, then the printed inverse against S."""
    rng = ctx.rng()
    S = rng.standard_normal(20) * 2
    c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 3))
    return [judge.exact({"c": c, "lam": lam}, S, th.eq216_as_printed(th.logistic(S, c, lam), c, lam))]


@CATALOG.claim(
    "eq216.corrected", label="Eq. 216", kind=Kind.IDENTITY, as_printed=False, corrects="eq216.inverse",
    statement="S = (1/λ) log(cO/(1 − O)) inverts O = 1/(1 + ce^{−λS}).")
def eq216_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: O(1 + ce^{−λS}) = 1 ⇒ ce^{−λS} = (1 − O)/O ⇒ λS = log(cO/(1 − O)). Random
    S, c, λ."""
    rng = ctx.rng()
    out = []
    for _ in range(3):
        S = rng.standard_normal(20) * 2
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 3))
        out.append(judge.exact({"c": c, "lam": lam}, S, th.logistic_inverse(th.logistic(S, c, lam), c, lam),
                               rtol=1e-9))
    return out


@CATALOG.claim(
    "eq217_218.expansion", label="Eq. 217, Eq. 218", kind=Kind.APPROXIMATION,
    statement="With O = ½ + ε, S = (1/λ)log c + (1/λ)Σ_{n≥0} 2(2ε)^{2n+1}/(2n + 1) ≈ (1/λ)log c + "
              "(4/λ)ε, hence E(S²) ≈ E((1/λ)log c + (4/λ)(O − ½))².")
def eq217_218(ctx: Context) -> list[CaseResult]:
    """The series (200 terms) against the exact inverse for |ε| ≤ 0.45 (exact), and the
    truncation errors of S and E(S²) along samples shrinking to ½ (absolute order 3)."""
    rng = ctx.rng()
    c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 3))
    eps = np.linspace(-0.45, 0.45, 91)
    out = [judge.exact({"c": c, "lam": lam, "eq": "Eq. 217 series"}, th.logistic_inverse(0.5 + eps, c, lam),
                       th.eq217_series(eps, c, lam), rtol=1e-9)]
    for _ in range(2):
        center, s, samples, P = _clusters(rng, "0.5", s0=0.2)
        D = [float(P @ th.logistic_inverse(O, c, lam) ** 2) for O in samples]
        A = [float(P @ ((math.log(c) + 4 * (O - 0.5)) / lam) ** 2) for O in samples]
        out.append(judge.order({"c": c, "lam": lam, "eq": "Eq. 218"}, s, np.array(D), np.array(A),
                               3, kind="absolute", name="E(S²) truncation", ctx=ctx))
    return out


@CATALOG.claim(
    "appC.moments_nwgm", label="Appendix C (before Eq. 213)", kind=Kind.APPROXIMATION,
    statement="From the general theory, E(O^k) ≈ NWGM(O^k).")
def appC_moments_nwgm(ctx: Context) -> list[CaseResult]:
    """The general theory (Section 8) makes E − NWGM of second order in the spread of the
    values (E − NWGM ≈ V(1 − 2E)/(2E(1 − E)) for tight clusters). O^k is again a variable in
    (0, 1), so the criterion is that |E(O^k) − NWGM(O^k)| = O(s²) as the spread s of O → 0
    (judge.order, order 2): for clusters O = E₀ + s·d (random E₀, m = 2–8 values, Dirichlet
    weights) and for the outputs of a logistic unit with input dropout whose weights are scaled
    by s (every subnetwork enumerated), k = 2, 3, 5; NWGM(O^k) by Eq. 213 (log domain)."""
    rng = ctx.rng()
    ss = 2.0 ** -np.arange(7)
    out = []
    for k in (2, 3, 5):
        m = int(rng.integers(2, 9))
        E0 = float(rng.uniform(0.2, 0.8))
        d = rng.uniform(-1, 1, m) * min(E0, 1 - E0) * 0.9
        P = rng.dirichlet(np.ones(m))
        ex = [float(P @ (E0 + s * d) ** k) for s in ss]
        ap = [th.eq213_nwgm_power(E0 + s * d, P, k) for s in ss]
        out.append(judge.order({"k": k, "m": m, "E0": round(E0, 3), "law": "cluster"}, ss, ex, ap, 2,
                               name="|E(O^k) − NWGM(O^k)|", ctx=ctx))
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
        out.append(judge.order({"k": k, "n": n, "law": "logistic unit, weights x s"}, ss, ex, ap, 2,
                               name="|E(O^k) − NWGM(O^k)|", ctx=ctx))
    return out


# ------------------------------------------------------------------------------------------
# Appendix D: derivatives
# ------------------------------------------------------------------------------------------


@CATALOG.claim(
    "appD.first_derivative", label="Appendix D", kind=Kind.IDENTITY,
    statement="σ'(x) = λσ(1 − σ) = λce^{−λx}/(1 + ce^{−λx})², maximal (= λ/4) where σ = 0.5; "
              "0 ≤ σ' ≤ 1 whenever λ ≤ 4.")
def appD_first(ctx: Context) -> list[CaseResult]:
    """Central differences (h = 1e-5) against both printed forms, and the maximum by
    optimisation, for random c, λ."""
    rng = ctx.rng()
    out = []
    for _ in range(3):
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.2, 4))
        x = np.linspace(-6, 6, 241)
        h = 1e-5
        num = (th.logistic(x + h, c, lam) - th.logistic(x - h, c, lam)) / (2 * h)
        out.append(judge.exact({"c": c, "lam": lam}, th.dsigma(x, c, lam), num, atol=1e-8))
        alt = lam * c * np.exp(-lam * x) / (1 + c * np.exp(-lam * x)) ** 2
        out.append(judge.exact({"c": c, "lam": lam, "form": "λce^{−λx}/(1+ce^{−λx})²"},
                               th.dsigma(x, c, lam), alt))
        xm = math.log(c) / lam
        out.append(judge.exact({"c": c, "lam": lam, "what": "max = λ/4 at σ = ½"}, [lam / 4, 0.5],
                               [float(th.dsigma(xm, c, lam)), float(th.logistic(xm, c, lam))]))
    return out


@CATALOG.claim(
    "appD.second_derivative", label="Appendix D", kind=Kind.IDENTITY,
    statement="σ''(x) = λσ(x)(1 − σ(x))(1 − 2σ(x)).",
    note="Missing a factor λ: σ'' = λ²σ(1 − σ)(1 − 2σ) (right only for λ = 1). See "
         "appD.second_derivative_corrected.")
def appD_second(ctx: Context) -> list[CaseResult]:
    """Central second differences against the printed form for λ = 1 and random λ ≠ 1."""
    rng = ctx.rng()
    out = []
    for lam in (1.0, float(rng.uniform(1.5, 4)), float(rng.uniform(0.1, 0.7))):
        x = np.linspace(-5, 5, 201)
        h = 1e-4
        num = (th.logistic(x + h, 1.0, lam) - 2 * th.logistic(x, 1.0, lam) + th.logistic(x - h, 1.0, lam)) / h ** 2
        out.append(judge.exact({"lam": lam}, th.d2sigma_as_printed(x, 1.0, lam), num, atol=1e-5))
    return out


@CATALOG.claim(
    "appD.second_derivative_corrected", label="Appendix D", kind=Kind.IDENTITY, as_printed=False,
    corrects="appD.second_derivative",
    statement="σ''(x) = λ²σ(x)(1 − σ(x))(1 − 2σ(x)).")
def appD_second_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: σ' = λσ(1 − σ), so σ'' = λ(σ'(1 − σ) − σσ') = λσ'(1 − 2σ) =
    λ²σ(1 − σ)(1 − 2σ). Central second differences for random c, λ."""
    rng = ctx.rng()
    out = []
    for lam in (1.0, float(rng.uniform(1.5, 4)), float(rng.uniform(0.1, 0.7))):
        c = float(np.exp(rng.uniform(-1, 1)))
        x = np.linspace(-5, 5, 201)
        h = 1e-4
        num = (th.logistic(x + h, c, lam) - 2 * th.logistic(x, c, lam) + th.logistic(x - h, c, lam)) / h ** 2
        out.append(judge.exact({"lam": lam, "c": c}, th.d2sigma(x, c, lam), num, atol=1e-5))
    return out


def _small_S(rng, n_steps=6, s0=1.0, center=0.0):
    m = int(rng.integers(3, 30))
    d = rng.standard_normal(m)
    P = rng.dirichlet(np.ones(m))
    s = s0 * 0.5 ** np.arange(n_steps)
    return s, [center + si * d for si in s], P


@CATALOG.claim(
    "eq219_220.derivative_mean", label="Eq. 219, Eq. 220", kind=Kind.APPROXIMATION,
    statement="E(σ'(S)) ≈ σ'(E(S)).")
def eq219_220(ctx: Context) -> list[CaseResult]:
    """Samples S = μ + s·d shrinking around a random μ, for random c and λ ≤ 4 (where the paper
    says the NWGM step applies): E σ'(S) − σ'(E S) = ½σ‴(μ)Var(S) + … must be O(s²)
    (:func:`judge.order`, absolute, tail slope > 1.5 or err/s² bounded)."""
    rng = ctx.rng()
    out = []
    for _ in range(3):
        mu = float(rng.normal())
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 4))
        s, samples, P = _small_S(rng, center=mu, s0=0.5 / lam, n_steps=7)
        D = np.array([float(P @ th.dsigma(S, c, lam)) for S in samples])
        A = np.array([float(th.dsigma(P @ S, c, lam)) for S in samples])
        out.append(judge.order({"mu": mu, "c": c, "lam": lam, "m": P.size}, s, D, A, 2,
                               kind="absolute", name="E σ'(S) ≈ σ'(E S)", ctx=ctx))
    return out


@CATALOG.claim(
    "eq221_222.derivative_nwgm", label="Eq. 221, Eq. 222", kind=Kind.IDENTITY,
    statement="(1 − σ')/σ' = e^{λS}/(λc) + 2/λ − 1 + (c/λ)e^{−λS}; for c = λ = 1 it equals "
              "3 + Σ_{n≥1} 2S^{2n}/(2n)!.")
def eq221_222(ctx: Context) -> list[CaseResult]:
    """Both identities on grids, random c and λ ≤ 4 (so σ' ≤ 1 and the NWGM is defined)."""
    rng = ctx.rng()
    out = []
    x = np.linspace(-6, 6, 121)
    for _ in range(3):
        c, lam = float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.2, 4))
        d = lam * c * np.exp(-lam * x) / (1 + c * np.exp(-lam * x)) ** 2  # no cancellation
        out.append(judge.exact({"c": c, "lam": lam, "eq": "Eq. 221"}, (1 - d) / d, th.eq221_ratio(x, c, lam),
                               rtol=1e-9))
    d = th.dsigma(x)
    out.append(judge.exact({"c": 1, "lam": 1, "eq": "Eq. 222"}, (1 - d) / d, th.eq222_series(x), rtol=1e-9))
    return out


def _eq223_cases(ctx, approx, lams, name):
    """S = s·(μ₀ + d): a random offset μ₀ (|μ₀| ∈ [0.5, 2], so E(S)² is not negligible beside
    Var(S): S is not centred at 0) and spread d, shrinking with s; c = 1 (the derivation's
    value), λ from ``lams``. The error of ``approx(E(S²), λ)`` must be O(s⁴) (the first
    neglected terms of Eq. 222 are of fourth order): :func:`judge.order`, absolute."""
    rng = ctx.rng()
    out = []
    for lam in lams:
        mu0 = float(rng.choice([-1, 1]) * rng.uniform(0.5, 2))
        s, samples, P = _small_S(rng, s0=1.0 / lam, center=0.0, n_steps=7)
        samples = [S + si * mu0 for S, si in zip(samples, s)]
        D = np.array([float(P @ th.dsigma(S, 1.0, lam)) for S in samples])
        A = np.array([float(approx(P @ S ** 2, lam)) for S in samples])
        out.append(judge.order({"lam": lam, "mu0": mu0, "m": P.size}, s, D, A, 4,
                               kind="absolute", name=name, ctx=ctx))
    return out


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
def eq223(ctx: Context) -> list[CaseResult]:
    """For λ = 1, λ ∈ [1.5, 3.5] and λ ∈ [0.3, 0.7] (c = 1), S = s·(μ₀ + d) shrinking (not
    centred at 0): the error of the printed 1/(4 + λ²E(S²)) must be O(s⁴)."""
    rng = ctx.rng()
    return _eq223_cases(ctx, th.eq223, _eq223_lams(rng), "E σ'(S) ≈ 1/(4 + λ²E S²)")


@CATALOG.claim(
    "eq223.corrected", label="Eq. 223", kind=Kind.APPROXIMATION, as_printed=False,
    corrects="eq223.derivative_approx",
    statement="For c = 1 and 0 < λ ≤ 4, E(σ'(S)) ≈ λ/(4 + λ²E(S²)), with an error of fourth "
              "order in S.")
def eq223_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: σ'(S) = λ/(2 + 2cosh λS) for c = 1, so (1 − σ')/σ' = (4 − λ + λ²S² +
    O(S⁴))/λ and NWGM(σ') = 1/(1 + Π((1 − σ'_i)/σ'_i)^{P_i}) ≈ λ/(4 + λ²E(S²)) (Eq. 222 with
    (1 + x)^P ≈ 1 + Px). Same families as eq223.derivative_approx: error O(s⁴)."""
    rng = ctx.rng()
    return _eq223_cases(ctx, th.eq223_corrected, _eq223_lams(rng), "E σ'(S) ≈ λ/(4 + λ²E S²)")


# ------------------------------------------------------------------------------------------
# Appendix E: distributions
# ------------------------------------------------------------------------------------------


def _ks_case(params, samples, cdf, ctx) -> CaseResult:
    """Kolmogorov–Smirnov test of ``samples`` against the stated CDF. The stated CDF is the
    theory side: power runs perturb it (F·(1 + δ), :meth:`Context.perturb`)."""
    res = stats.kstest(samples, lambda x: ctx.perturb(cdf(x)))
    z = float(stats.norm.isf(max(res.pvalue, 1e-300)))
    ok = z <= ctx.z_star
    se = 1.0 / math.sqrt(samples.size)  # the scale of the KS statistic under the null
    return CaseResult({**params, "n": samples.size}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                      0.0, Estimate(float(res.statistic), se, samples.size, "monte_carlo"), z,
                      ctx.z_star * se,
                      f"KS D = {res.statistic:.4g}, p = {res.pvalue:.3g} (one-sided z = {z:.2f})")


@CATALOG.claim(
    "eq224_226.density_O", label="Eq. 224, Eq. 226", kind=Kind.DISTRIBUTION,
    statement="If S ~ N(μ, σ²), O = σ(S) has density φ((s(o) − μ)/σ)/(σλo(1 − o)) with "
              "s(o) = −(1/λ)log((1 − o)/(co)).")
def eq224_226(ctx: Context) -> list[CaseResult]:
    """Kolmogorov–Smirnov test of sampled O against the CDF obtained by integrating Eq. 226
    numerically (quadrature), and the density against the numerical derivative of the CDF."""
    rng = ctx.rng()
    out = []
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
        out.append(judge.exact({**prm, "what": "∫ density = Φ((s(o) − μ)/σ)"},
                               th.cdf_O_gaussian_S(grid, mu, sig, c, lam), cdf(grid), atol=1e-8,
                               method="quadrature"))
        out.append(_ks_case(prm, O, lambda o: th.cdf_O_gaussian_S(o, mu, sig, c, lam), ctx))
    return out


@CATALOG.claim(
    "eq225.cdf_as_printed", label="Eq. 225", kind=Kind.IDENTITY,
    statement="F_O(o) = P(O ≤ o) = ∫_0^{s(o)} φ_{μ,σ}(s) ds.",
    note="The lower limit must be −∞ (S ranges over the real line); as printed F_O does not "
         "tend to 1 as o → 1 and is negative for small o.")
def eq225(ctx: Context) -> list[CaseResult]:
    """The printed CDF against the empirical CDF of sampled O = σ(S) (KS test) and at o near 1."""
    rng = ctx.rng()
    mu, sig = float(rng.normal()), float(np.exp(rng.uniform(-1, 0.5)))
    g = np.random.default_rng(ctx.stream())
    O = special.expit(g.normal(mu, sig, ctx.budget(40_000, 4_000)))
    out = [_ks_case({"mu": mu, "sigma": sig}, O, lambda o: th.eq225_as_printed(o, mu, sig), ctx)]
    out.append(judge.exact({"mu": mu, "sigma": sig, "o": 1 - 1e-12}, 1.0,
                           float(th.eq225_as_printed(1 - 1e-12, mu, sig)), atol=1e-6))
    return out


@CATALOG.claim(
    "eq225.cdf_corrected", label="Eq. 225", kind=Kind.DISTRIBUTION, as_printed=False,
    corrects="eq225.cdf_as_printed",
    statement="F_O(o) = ∫_{−∞}^{s(o)} φ_{μ,σ}(s) ds = Φ((s(o) − μ)/σ).")
def eq225_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: O ≤ o ⇔ S ≤ s(o) since σ is increasing (λ > 0), and S ranges over the whole
    real line, so the Gaussian density is integrated from −∞. KS test of sampled O and the
    limits F(0+) = 0, F(1−) = 1."""
    rng = ctx.rng()
    mu, sig = float(rng.normal()), float(np.exp(rng.uniform(-1, 0.5)))
    g = np.random.default_rng(ctx.stream())
    O = special.expit(g.normal(mu, sig, ctx.budget(40_000, 4_000)))
    out = [_ks_case({"mu": mu, "sigma": sig}, O, lambda o: th.cdf_O_gaussian_S(o, mu, sig), ctx)]
    out.append(judge.exact({"mu": mu, "sigma": sig, "o": [1e-12, 1 - 1e-12]}, [0.0, 1.0],
                           [float(th.cdf_O_gaussian_S(1e-12, mu, sig)),
                            float(th.cdf_O_gaussian_S(1 - 1e-12, mu, sig))], atol=1e-6))
    return out


@CATALOG.claim(
    "eq227.density_standard", label="Eq. 227", kind=Kind.IDENTITY,
    statement="For μ = 0 and λ = c = σ = 1, f_O(o) = (1/√(2π))(1 − o)^{−1−½log((1−o)/o)} "
              "o^{−1+½log((1−o)/o)}.")
def eq227(ctx: Context) -> list[CaseResult]:
    """Eq. 227 against Eq. 226 on a grid of o."""
    o = np.linspace(0.001, 0.999, 999)
    return [judge.exact({"grid": "o in [0.001, 0.999]"}, th.density_O_gaussian_S(o, 0, 1), th.eq227(o),
                        rtol=1e-9)]


@CATALOG.claim(
    "eq228_230.sum_moments", label="Eq. 228, Eq. 229, Eq. 230", kind=Kind.IDENTITY,
    statement="For S = Σ_{i=1}^n w_iO_i with independent weights (μ_w, σ_w²) and activities "
              "(μ_O, σ_O²): E(S) = nμ_wμ_O and Var(S) = n[(σ_w² + μ_w²)(σ_O² + μ_O²) − μ_w²μ_O²] "
              "(nσ_w²(σ_O² + μ_O²) when μ_w = 0).")
def eq228_230(ctx: Context) -> list[CaseResult]:
    """Exact enumeration: discrete weights and activities (2–3 random atoms each, random
    probabilities, μ_w = 0 as one case, atoms shifted far from 0 as another), n = 2–3 terms;
    every joint outcome of (w_i, O_i)_i enumerated, E(S) and Var(S) by centred sums (relative
    tolerance of the size of the terms). Monte Carlo with Gaussian weights and Beta activities
    (random parameters, μ_w = 0 as one case): z-tests of the mean and of the variance (SE of
    the centred sample variance from the fourth moment)."""
    rng = ctx.rng()
    out = []
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
        out.append(judge.identity({**prm, "moment": "mean"}, mean_th,
                                  _exact_est(ES, vals.size), ctx,
                                  scale=n * float(np.max(np.abs(term)))))
        out.append(judge.identity({**prm, "moment": "var"}, var_th,
                                  _exact_est(VarS, vals.size), ctx,
                                  scale=n * (vw + mw ** 2) * (vo + mo ** 2)))
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
        out.append(judge.identity({**prm, "moment": "mean"}, mean_th, mean_estimate(S), ctx))
        dev = (S - S.mean()) ** 2
        out.append(judge.identity({**prm, "moment": "var"}, var_th, mean_estimate(dev * N / (N - 1)), ctx))
    return out


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
def eq231_234(ctx: Context) -> list[CaseResult]:
    """KS tests of S = σ^{−1}(O), O ~ Beta(a, b), against the CDF obtained by integrating the
    density *as printed in Eq. 233* (:func:`_cdf_of_density`: adaptive quadrature of the lower
    tail, 8-point Gauss–Legendre on a fine grid, cubic Hermite interpolation with the density
    as derivative), so a density with a and b interchanged fails; its normalisation; Eq. 234
    = Eq. 233 for a = b; and the decay rate d log f/ds → −λa. Two cases have |a − b| ≥ 0.7
    (a random one of them the larger), one has a = b."""
    rng = ctx.rng()
    out = []
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
        out.append(judge.exact({**prm, "what": "normalisation"}, 1.0, tot, rtol=1e-8, method="quadrature"))
        cdf = _cdf_of_density(lambda s: th.density_S_beta_O(s, a, b, c, lam), S.min(), S.max())
        out.append(_ks_case({**prm, "cdf": "∫ Eq. 233"}, S, cdf, ctx))
        if a == b:
            s = np.linspace(-8, 8, 161)
            out.append(judge.exact({**prm, "eq": "Eq. 234"}, th.density_S_beta_O(s, a, a, c, lam),
                                   th.eq234(s, a, c, lam)))
            s1, s2 = 40.0 / lam, 41.0 / lam
            slope = (math.log(th.density_S_beta_O(s2, a, a, c, lam)) -
                     math.log(th.density_S_beta_O(s1, a, a, c, lam))) / (s2 - s1)
            out.append(judge.exact({**prm, "what": "decay rate at +∞"}, -lam * a, slope, rtol=1e-8))
    return out


# -- Appendix E.1 (after Eq. 226) and E.3 (after Eq. 233): shapes of the densities -----------


@CATALOG.claim(
    "appE1.bell_shaped", label="Appendix E.1 (after Eq. 226)", kind=Kind.DISTRIBUTION,
    statement="In general the density of O = σ(S) for Gaussian S (Eq. 226) is bell-shaped, "
              "similar but not identical to a beta density.",
    note="as printed; see appE1.bell_shaped_corrected")
def appE1_bell_shaped(ctx: Context) -> list[CaseResult]:
    """Modes of Eq. 226 (zeros of the derivative of its log in the logit variable,
    :func:`th.logit_normal_modes`): one for the moderate spreads of the paper's Eq. 227
    example (σ = 1) and others, but two — a U-shaped density with a dip at ½ — for λσ > √2 at
    λμ = log c (σ = 2 and 3, c = λ = 1): not bell-shaped, so "in general" fails for a whole
    range of spreads (REFUTED). Not identical to a beta: the Hellinger distance to the nearest
    beta density (fitted by quadrature) exceeds 1e-6 in every case; how similar it is is
    reported (a measurement: the paper gives no accuracy)."""
    out = []
    for mu, sig, c, lam in ((0.0, 1.0, 1.0, 1.0), (1.0, 0.5, 2.0, 1.5), (-2.0, 1.2, 1.0, 1.0),
                            (0.0, 2.0, 1.0, 1.0), (0.0, 3.0, 1.0, 1.0)):
        modes = th.logit_normal_modes(mu, sig, c, lam)
        prm = {"mu": mu, "sigma": sig, "c": c, "lam": lam}
        out.append(CaseResult({**prm, "what": "bell-shaped (one mode)"},
                              Verdict.CONFIRMED if modes.size == 1 else Verdict.REFUTED, 1.0,
                              _exact_est(modes.size, method="closed_form"), None, None,
                              f"{modes.size} mode(s) at o = {', '.join(f'{m:.4f}' for m in modes)}"))
        nb = th.nearest_beta(mu, sig, c, lam)
        ok = ctx.ge(nb["hellinger"], 1e-6, scale=1.0)
        out.append(CaseResult({**prm, "what": "not identical to a beta"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, 1e-6,
                              _exact_est(nb["hellinger"], method="quadrature"), None, None,
                              f"Hellinger distance to the nearest beta (a = {nb['a']:.3f}, "
                              f"b = {nb['b']:.3f}): {nb['hellinger']:.4g}"))
    return out


@CATALOG.claim(
    "appE1.bell_shaped_corrected", label="Appendix E.1 (after Eq. 226)", kind=Kind.DISTRIBUTION,
    as_printed=False, corrects="appE1.bell_shaped",
    statement="The density of Eq. 226 is unimodal (bell-shaped) whenever λσ ≤ √2, for every μ "
              "and c, and bimodal when λσ > √2 and λμ = log c; it is never identical to a beta "
              "density, and approaches one as σ → 0.")
def appE1_corrected(ctx: Context) -> list[CaseResult]:
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

    out = [_search(ctx, one_mode, st.tuples(st.floats(-6, 6), st.floats(0.05, 1.0)),
                   {"what": "one mode for s <= sqrt(2)"})]
    for k in range(1, 5):
        s = thr * (1 + 2.0 ** -k)
        modes = th.logit_normal_modes(0.0, s)
        out.append(CaseResult({"m": 0.0, "s": round(s, 5), "what": "two modes for s > sqrt(2)"},
                              Verdict.CONFIRMED if modes.size == 2 else Verdict.REFUTED, 2.0,
                              _exact_est(modes.size, method="closed_form"), None, None,
                              f"{modes.size} mode(s) at o = {', '.join(f'{m:.4f}' for m in modes)}"))
    sig = np.array([1.0, 0.5, 0.25, 0.125])
    H = []
    for s in sig:
        nb = th.nearest_beta(0.7, float(s), 1.0, 1.0)
        H.append(nb["hellinger"])
        ok = ctx.ge(nb["hellinger"], 1e-6, scale=1.0)
        out.append(CaseResult({"mu": 0.7, "sigma": float(s), "what": "not identical to a beta"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, 1e-6,
                              _exact_est(nb["hellinger"], method="quadrature"), None, None,
                              f"Hellinger distance {nb['hellinger']:.4g} (a = {nb['a']:.2f}, "
                              f"b = {nb['b']:.2f})"))
    out.append(judge.order({"mu": 0.7, "what": "distance to the nearest beta as sigma -> 0"},
                           sig, H, [0.0] * sig.size, 1, name="Hellinger distance", ctx=ctx))
    return out


@CATALOG.claim(
    "appE3.bell_shaped", label="Appendix E.3 (after Eq. 233)", kind=Kind.DISTRIBUTION,
    statement="In general the density of S = σ^{−1}(O) for O ~ Beta(a, b) (Eq. 233) is "
              "bell-shaped, similar but not identical to a Gaussian density.")
def appE3_bell_shaped(ctx: Context) -> list[CaseResult]:
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
    out = [_search(ctx, concave, st.tuples(pos, pos, st.floats(0.1, 10), st.floats(0.2, 5)),
                   {"what": "log-concave, one mode at sigma^-1(a/(a+b))"})]
    for a, b in ((0.5, 0.5), (1.0, 1.0), (2.0, 5.0), (10.0, 10.0), (50.0, 50.0)):
        ng = th.nearest_gaussian_eq233(a, b)
        ok = ctx.ge(ng["hellinger"], 1e-6, scale=1.0)
        out.append(CaseResult({"a": a, "b": b, "what": "not identical to a Gaussian"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, 1e-6,
                              _exact_est(ng["hellinger"], method="quadrature"), None, None,
                              f"Hellinger distance to the nearest Gaussian (mu = {ng['mu']:.3f}, "
                              f"sigma = {ng['sigma']:.3f}): {ng['hellinger']:.4g}"))
    return out


# ------------------------------------------------------------------------------------------
# Appendix F: probit approximation
# ------------------------------------------------------------------------------------------


@CATALOG.claim(
    "eq235.alphas", label="Eq. 235", kind=Kind.APPROXIMATION,
    statement="1/(1 + e^{−S}) ≈ Φ(αS) for α = 0.607, 1/1.702 or √(2π)/4 (the last equating the "
              "slopes at S = 0).")
def eq235(ctx: Context) -> list[CaseResult]:
    """Criteria from the paper's wording: (i) "equating the first derivatives at S = 0 gives
    α = √(2π)/4": the slope condition Φ'(0)α = σ'(0) = ¼ (exact), and then σ(S) − Φ(αS) =
    o(S), at least second order as S → 0 (:func:`judge.order`; both functions are odd about
    ½, so it is in fact third order); (ii) "depending on the optimization criterion": 1/1.702
    is the minimax α (max |σ(S) − Φ(αS)| smallest, the criterion of [15]), so the computed
    optimum 1/α* must print as 1.702; (iii) "reasonably close values": each quoted α within
    10 % of α* (our reading of "reasonably close"; they are within 7 %). The maximum error of
    each α is reported as a measurement."""
    out = [judge.exact({"what": "slope at 0"}, 0.25, th.ALPHAS["slope"] / math.sqrt(2 * math.pi))]
    s = 0.5 ** np.arange(8)
    a = th.ALPHAS["slope"]
    out.append(judge.order({"alpha": "slope", "what": "tangent at S = 0"}, s, special.expit(s),
                           special.ndtr(a * s), 2, kind="absolute",
                           name="σ(S) ≈ Φ(√(2π)S/4) as S → 0", ctx=ctx))
    a_star = th.probit_minimax_alpha()
    out.append(judge.printed_value({"alpha": "1/1.702", "criterion": "minimax"}, "1.702",
                                   1 / a_star, ctx=ctx,
                                   detail=f"minimax α* = {a_star:.7f}, 1/α* = {1 / a_star:.6f}"))
    for name, a in th.ALPHAS.items():
        out.append(judge.approximation({"alpha": name, "value": a, "vs": "minimax α*"}, a_star, a,
                                       max_rel=0.10, ctx=ctx))
        err, where = th.probit_max_error(a)
        out.append(CaseResult({"alpha": name, "value": a}, Verdict.APPROXIMATE, None, None, None,
                              None, f"α = {a:.5f}: max |σ(S) − Φ(αS)| = {err:.4g} at |S| = "
                                    f"{where:.2f}", {"abs": err, "rel": None},
                              role="measurement"))
    return out


@CATALOG.claim(
    "eq235.decimals", label="Eq. 235", kind=Kind.VALUE,
    statement="1/1.702 = 0.587 and √(2π)/4 ≈ 0.626.",
    note="Both decimals are truncations (0.58754…, 0.62666…), not roundings (0.588, 0.627); "
         "a truncation agrees with the value to its printed digits, so this is not a finding.")
def eq235_decimals(ctx: Context) -> list[CaseResult]:
    """The printed decimals against the values: a rounding or a truncation to the printed
    three places agrees (:func:`judge.printed_value`)."""
    return [judge.printed_value({"alpha": "1/1.702"}, "0.587", 1 / 1.702),
            judge.printed_value({"alpha": "sqrt(2π)/4"}, "0.626", math.sqrt(2 * math.pi) / 4)]


@CATALOG.claim(
    "eq237_239.probit_integral", label="Eq. 236, Eq. 237, Eq. 238, Eq. 239", kind=Kind.IDENTITY,
    statement="With Z|S ~ N(−λS + log c, α^{−2}), Z ~ N(−λμ_S + log c, σ_S² + α^{−2}) and "
              "∫Φ(α(λS − log c))N(S; μ_S, σ_S²)dS = P(Z < 0).",
    note="Z's variance is λ²σ_S² + α^{−2}; as printed (σ_S² + α^{−2}) it is right only for "
         "λ = 1. See eq240.corrected.")
def eq237_239(ctx: Context) -> list[CaseResult]:
    """Adaptive quadrature of the left integral against Φ((λμ − log c)/√(σ² + α^{−2})) (the
    printed law of Z) for λ = 1 and random λ ≠ 1; and Eq. 238 at two points."""
    rng = ctx.rng()
    out = []
    for lam in (1.0, 1.0, float(rng.uniform(1.5, 3)), float(rng.uniform(0.2, 0.6))):
        mu, sig, c = float(rng.normal()), float(np.exp(rng.uniform(-1, 1))), float(np.exp(rng.uniform(-1, 1)))
        a = 0.607
        q = th.eq237_quad(mu, sig, a, c, lam)
        printed = float(special.ndtr((lam * mu - math.log(c)) / math.sqrt(sig ** 2 + a ** -2)))
        out.append(judge.exact({"mu": mu, "sigma": sig, "c": c, "lam": lam}, printed, q, rtol=1e-9,
                               method="quadrature"))
    for mu, sig in ((0.7, 1.3), (-2.0, 0.4)):
        out.append(judge.exact({"eq": "Eq. 238", "mu": mu, "sigma": sig}, float(special.ndtr(-mu / sig)),
                               float(stats.norm.cdf(0, mu, sig))))
    return out


@CATALOG.claim(
    "eq240.as_printed", label="Eq. 240", kind=Kind.IDENTITY,
    statement="E(O) ≈ P(Z < 0) = Φ_{0,1}((λμ_S − log c)/(σ_S² + α^{−2})).",
    note="The denominator must be √(λ²σ_S² + α^{−2}): the square root is missing (and λ² — "
         "see Eq. 239). See eq240.corrected.")
def eq240(ctx: Context) -> list[CaseResult]:
    """The printed right-hand side against P(Z < 0), i.e. the adaptive quadrature of Eq. 237, for
    c = λ = 1 and general c, λ."""
    rng = ctx.rng()
    out = []
    for lam in (1.0, float(rng.uniform(0.3, 3))):
        mu, sig = float(rng.normal() + 0.5), float(np.exp(rng.uniform(-1, 1)))
        c = 1.0 if lam == 1.0 else float(np.exp(rng.uniform(-1, 1)))
        out.append(judge.exact({"mu": mu, "sigma": sig, "c": c, "lam": lam},
                               th.eq237_quad(mu, sig, 0.607, c, lam),
                               th.eq240_as_printed(mu, sig, 0.607, c, lam), rtol=1e-9, method="quadrature"))
    return out


@CATALOG.claim(
    "eq240.corrected", label="Eq. 239, Eq. 240", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq240.as_printed",
    statement="∫Φ(α(λS − log c))N(S; μ_S, σ_S²)dS = Φ(α(λμ_S − log c)/√(1 + α²λ²σ_S²)).")
def eq240_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: Φ(α(λS − log c)) = P(Y < α(λS − log c)) for Y ~ N(0, 1) independent of S,
    i.e. P(Y/α − λS + log c < 0); Y/α − λS + log c ~ N(−λμ + log c, α^{−2} + λ²σ²), so the
    integral is Φ((λμ − log c)/√(α^{−2} + λ²σ²)) = Φ(α(λμ − log c)/√(1 + α²λ²σ²)). Adaptive
    quadrature over a grid of μ ∈ [−3, 3], σ ∈ [0.1, 5] and random c, λ."""
    rng = ctx.rng()
    out = []
    for lam in (1.0, float(rng.uniform(0.3, 3))):
        c = 1.0 if lam == 1.0 else float(np.exp(rng.uniform(-1, 1)))
        for a in (0.607, th.ALPHAS["bowling"]):
            mus, sigs = np.linspace(-3, 3, 7), np.geomspace(0.1, 5, 6)
            q = [th.eq237_quad(m, s, a, c, lam) for m in mus for s in sigs]
            cf = [th.eq237_probit_integral(m, s, a, c, lam) for m in mus for s in sigs]
            out.append(judge.exact({"c": c, "lam": lam, "alpha": a, "grid": "7 μ × 6 σ"}, cf, q, rtol=1e-9,
                                   method="quadrature"))
    return out


def _probit_accuracy_case(ctx, params, approx, mus, sigs, c, lam):
    """The accuracy the derivation of Eq. 237–241 carries: Eq. 236 replaces σ by Φ(α·) (error
    ≤ ε = max|σ(S) − Φ(αS)| pointwise, hence in expectation), Eq. 239–240 integrate exactly, and
    Eq. 241 returns from Φ to σ (≤ ε again), so |E σ(S) − approx| ≤ 2ε. Every grid point is
    judged (:func:`judge.approximation`, stated accuracy 2ε, exact side by adaptive quadrature);
    the worst one is reported."""
    alpha = 0.607
    eps, _ = th.probit_max_error(alpha)
    worst = None
    for m in mus:
        for s in sigs:
            e = th.logistic_gaussian_mean_quad(m, s, c, lam)
            cr = judge.approximation({**params, "mu": float(m), "sigma": float(s), "c": c,
                                      "lam": lam, "2ε": 2 * eps}, e, approx(m, s, alpha, c, lam),
                                     max_abs=2 * eps, ctx=ctx)
            if worst is None or (cr.verdict is Verdict.REFUTED and worst.verdict is not Verdict.REFUTED) \
                    or (cr.verdict is worst.verdict and cr.error["abs"] > worst.error["abs"]):
                worst = cr
    worst.params["grid"] = f"{len(mus)} μ × {len(sigs)} σ (worst point)"
    return worst


def _lams_241(rng):
    """c = λ = 1, and random c with λ ≠ 1 on both sides of 1."""
    return ((1.0, 1.0), (float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(1.5, 3))),
            (float(np.exp(rng.uniform(-1, 1))), float(rng.uniform(0.3, 0.6))))


@CATALOG.claim(
    "eq241_242.probit_estimate", label="Eq. 241, Eq. 242", kind=Kind.APPROXIMATION,
    statement="E(σ(S)) ≈ 1/(1 + e^{−(λμ_S − log c)/√(1 + σ_S²α²)}); for c = λ = 1, "
              "≈ 1/(1 + e^{−(1 + 0.368σ_S²)^{−1/2}μ_S}), close to the NWGM σ(μ_S) for small σ_S and "
              "→ 0.5 for large σ_S.",
    note="Eq. 241 carries the misprint of Eq. 239–240: the root must be √(1 + λ²σ_S²α²). For "
         "λ ≠ 1 the printed estimate misses E(σ(S)) by far more than the 2·max|σ − Φ(α·)| ≈ 0.026 "
         "its derivation allows (0.04–0.2 for λ ∈ [0.3, 0.6] ∪ [1.5, 3]); for c = λ = 1 (Eq. 242) "
         "it is within it. See eq241.corrected.")
def eq241_242(ctx: Context) -> list[CaseResult]:
    """(i) Eq. 241 as printed against adaptive quadrature of E σ(S) on 7 μ × 6 σ, within the
    accuracy its derivation carries (2ε, :func:`_probit_accuracy_case`), for c = λ = 1 and for
    random c with λ ∈ [1.5, 3] and λ ∈ [0.3, 0.6]; (ii) Eq. 242 (c = λ = 1) likewise on
    9 μ ∈ [−4, 4] × 8 σ ∈ [0.1, 8]; (iii) 0.368 = α² to the printed digits; (iv) "for small
    σ_S² the two approximations are similar": |Eq. 242 − σ(μ)| = O(σ²) as σ → 0
    (:func:`judge.order`); (v) "converges to 0.5": |Eq. 242 − ½| = O(1/σ) as σ → ∞."""
    rng = ctx.rng()
    mus, sigs = np.linspace(-3, 3, 7), np.geomspace(0.1, 5, 6)
    out = [_probit_accuracy_case(ctx, {"approx": "Eq. 241 as printed"}, th.eq241, mus, sigs, c, lam)
           for c, lam in _lams_241(rng)]
    out.append(_probit_accuracy_case(ctx, {"approx": "Eq. 242"}, lambda m, s, a, c, lam: th.eq242(m, s),
                                     np.linspace(-4, 4, 9), np.geomspace(0.1, 8, 8), 1.0, 1.0))
    out.append(judge.printed_value({"what": "α² in Eq. 242", "alpha": 0.607}, "0.368", 0.607 ** 2,
                                   ctx=ctx))
    for mu in (float(rng.uniform(0.3, 3)), -float(rng.uniform(0.3, 3))):
        s = 0.5 * 0.5 ** np.arange(8)
        out.append(judge.order({"mu": mu, "limit": "σ → 0"}, s, [th.eq242(mu, x) for x in s],
                               [float(special.expit(mu))] * s.size, 2, kind="absolute",
                               name="Eq. 242 ≈ σ(μ)", ctx=ctx))
        sig = 10.0 * 2.0 ** np.arange(8)
        out.append(judge.order({"mu": mu, "limit": "σ → ∞"}, 1 / sig, [th.eq242(mu, x) for x in sig],
                               [0.5] * sig.size, 1, kind="absolute", name="Eq. 242 → ½", ctx=ctx))
    return out


@CATALOG.claim(
    "eq241.corrected", label="Eq. 241", kind=Kind.APPROXIMATION, as_printed=False,
    corrects="eq241_242.probit_estimate",
    statement="E(σ(S)) ≈ 1/(1 + e^{−(λμ_S − log c)/√(1 + λ²σ_S²α²)}) for S ~ N(μ_S, σ_S²), within "
              "2·max_S|σ(S) − Φ(αS)| (≈ 0.026 for α = 0.607).")
def eq241_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: Eq. 236 (error ≤ ε), the exact Gaussian integral of eq240.corrected, and
    Eq. 235 in reverse (≤ ε). Adaptive quadrature of E σ(S) on 7 μ × 6 σ for c = λ = 1 and
    random c with λ on both sides of 1 (:func:`_probit_accuracy_case`)."""
    rng = ctx.rng()
    mus, sigs = np.linspace(-3, 3, 7), np.geomspace(0.1, 5, 6)
    return [_probit_accuracy_case(ctx, {"approx": "Eq. 241 with λ²"}, th.eq241_corrected, mus, sigs,
                                  c, lam) for c, lam in _lams_241(rng)]


@CATALOG.claim(
    "appF.non_gaussian_example", label="Appendix F (last paragraph)", kind=Kind.VALUE,
    statement="For S = −1/ε w.p. 1 − ε and S = 1/ε³ w.p. ε, with ε close to 0, E(O) ≈ 0 and "
              "NWGM ≈ 1.")
def appF_example(ctx: Context) -> list[CaseResult]:
    """"ε close to 0" read as the limit ε → 0 (ε = 0.2·2^{−k}, k = 0…7; c = λ = 1): E(O) → 0
    (E(O) = (1 − ε)σ(−1/ε) + εσ(1/ε³) = O(ε)) and NWGM = σ(E(S)) → 1 (1 − NWGM =
    σ(−E(S)) with E(S) ≈ 1/ε², far faster than O(ε)), both by :func:`judge.order` (absolute,
    order 1), so a limit other than 0 and 1 fails."""
    eps = 0.2 * 0.5 ** np.arange(8)
    vals = np.array([th.non_gaussian_example(e) for e in eps])
    return [judge.order({"what": "E(O) → 0"}, eps, vals[:, 0], np.zeros(eps.size), 1,
                        kind="absolute", name="E(O) ≈ 0", ctx=ctx),
            judge.order({"what": "NWGM → 1"}, eps, vals[:, 1], np.ones(eps.size), 1,
                        kind="absolute", name="NWGM ≈ 1", ctx=ctx)]


@CATALOG.claim(
    "appF.eq242_sometimes_better", label="Appendix F (after Eq. 242)", kind=Kind.INEQUALITY,
    statement="In some cases the approximation of Eq. 242 to E(O) may be more accurate than the "
              "NWGM approximation σ(E(S)) (at the cost of a normal assumption and of knowing "
              "Var(S)).")
def appF_eq242_better(ctx: Context) -> list[CaseResult]:
    """S ~ N(μ, σ²), c = λ = 1, E(O) by quadrature (:func:`th.logistic_gaussian_mean_quad`).
    An existence claim: a search over (μ, σ) ∈ [−6, 6] × [0.05, 6] for a case where Eq. 242 is
    strictly closer to E(O) than the NWGM must find one (a search that finds none would leave
    it INCONCLUSIVE); the margin at a fixed case (μ = 2, σ = 2) is checked beyond rounding, and
    the share of a grid where Eq. 242 wins is reported (a measurement). At (2, 2): E(O) = 0.7752,
    Eq. 242 is off by 0.0059 and the NWGM by 0.106."""
    from hypothesis import strategies as st

    def nwgm_at_least_as_good(args):
        mu, sig = args
        E = th.logistic_gaussian_mean_quad(mu, sig)
        return abs(th.eq242(mu, sig) - E) >= abs(float(special.expit(mu)) - E)

    out = [_search(ctx, nwgm_at_least_as_good, st.tuples(st.floats(-6, 6), st.floats(0.05, 6)),
                   {"what": "Eq. 242 closer to E(O) than the NWGM"}, expect_counterexample=True,
                   what="(mu, sigma) where Eq. 242 is more accurate")]
    mu, sig = 2.0, 2.0
    E = th.logistic_gaussian_mean_quad(mu, sig)
    # Eq. 242 is the theory side (a power run perturbs it); the NWGM's error is the bar
    e242 = abs(float(ctx.perturb(th.eq242(mu, sig))) - E)
    enw = abs(float(special.expit(mu)) - E)
    ok = e242 < enw
    out.append(CaseResult({"mu": mu, "sigma": sig, "what": "|Eq. 242 − E| < |NWGM − E|"},
                          Verdict.CONFIRMED if ok else Verdict.REFUTED, enw,
                          _exact_est(e242, method="quadrature"), None, None,
                          f"E(O) = {E:.5f}: Eq. 242 error {e242:.4g}, NWGM error {enw:.4g}"))
    g_mu, g_s = np.linspace(-4, 4, 17), np.linspace(0.25, 4, 16)
    wins = sum(abs(th.eq242(m, s) - th.logistic_gaussian_mean_quad(m, s))
               < abs(float(special.expit(m)) - th.logistic_gaussian_mean_quad(m, s))
               for m in g_mu for s in g_s if m != 0)
    tot = sum(1 for m in g_mu for s in g_s if m != 0)
    out.append(CaseResult({"grid": "mu in [-4, 4] (mu != 0) x sigma in [0.25, 4]"}, Verdict.CONFIRMED,
                          None, _exact_est(wins / tot, tot, "quadrature"), None, None,
                          f"Eq. 242 more accurate at {wins} of {tot} grid points", role="measurement"))
    return out


# ------------------------------------------------------------------------------------------
# Section 8: the remaining statements of the proof and of the summary
# ------------------------------------------------------------------------------------------


@CATALOG.claim(
    "eq90_91.binomial_remainder", label="Eq. 90, Eq. 91", kind=Kind.IDENTITY,
    statement="(1 + 2ε)^P = 1 + P·2ε + P(P − 1)/2·(2ε)² + R₃ with R₃ = C(P, 3)(2ε)³/(1 + u)^{3−P} "
              "for some |u| ≤ 2|ε| (Lagrange remainder), for 0 ≤ P ≤ 1 and |2ε| < 1.")
def eq90_91(ctx: Context) -> list[CaseResult]:
    """For random P ∈ (0, 1) and ε with |2ε| ≤ 0.9: the exact remainder R₃ is computed, the
    u solving R₃ = C(P, 3)(2ε)³/(1 + u)^{3−P} is found in closed form, and it must lie between
    0 and 2ε."""
    rng = ctx.rng()
    out = []
    for _ in range(8):
        P = float(rng.uniform(0.02, 0.98))
        x = float(rng.uniform(-0.9, 0.9))
        # (1 + x)^P − 1 via expm1/log1p: the remainder is a difference of terms of size |x|
        R = math.expm1(P * math.log1p(x)) - (P * x + P * (P - 1) / 2 * x * x)
        c3 = P * (P - 1) * (P - 2) / 6
        u = (c3 * x ** 3 / R) ** (1 / (3 - P)) - 1
        # u in [min(0, 2ε), max(0, 2ε)] (a power run shrinks the interval by δ|2ε| each side)
        ok = (ctx.ge(u, min(0.0, x), tol=1e-9 * abs(x), scale=abs(x))
              and ctx.le(u, max(0.0, x), tol=1e-9 * abs(x), scale=abs(x)))
        out.append(CaseResult({"P": P, "2eps": x}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                              None, _exact_est(u, 1, "closed_form"), None, None,
                              f"R₃ = {R:.4g}; u = {u:.4g} within [{min(0, x):.3g}, {max(0, x):.3g}]"))
    return out


@CATALOG.claim(
    "sec8.nwgm_vs_random_sample", label="Section 8 (summary after Eq. 87)", kind=Kind.APPROXIMATION,
    statement="Using a randomly chosen O_i as an estimate of E leads to an error that scales like "
              "σ = √V, whereas the NWGM leads to an error that scales like V.")
def sec8_random_sample(ctx: Context) -> list[CaseResult]:
    """Shrinking clusters (spread s → 0) around random E₀ ≠ 0.5, parametrised by σ = √V:
    (a) the NWGM error scales like V: |E − NWGM| = O(σ²) (judge.order, absolute, against the
    claimed 0; a power run moves 0 to δ); (b) the error of a random sample, E|O − E|, scales
    like σ: it is sandwiched σ²/max|O − E| ≤ E|O − E| ≤ σ (Cauchy–Schwarz; both ends ∝ σ for a
    fixed cluster shape), checked at every spread through ctx.ge/ctx.le (power runs tighten
    both ends by δσ); the ratio |E − NWGM|/E|O − E| at the smallest spread is reported."""
    rng = ctx.rng()
    out = []
    for where in ("low", "high"):
        center, s, samples, P = _clusters(rng, where)
        ws = [th.weighted_means(O, P) for O in samples]
        sd = np.sqrt([w["V"] for w in ws])
        mad = np.array([float(P @ np.abs(O - w["E"])) for O, w in zip(samples, ws)])
        dev = np.array([float(np.max(np.abs(O - w["E"]))) for O, w in zip(samples, ws)])
        gap = np.array([abs(w["E"] - w["NWGM"]) for w in ws])
        res = judge.order({"around": where, "center": center, "what": "NWGM error ~ V"}, sd, gap,
                          np.zeros_like(gap), 2, kind="absolute", name="|E − NWGM| = O(V)",
                          ctx=ctx)
        res.detail += (f"; at σ = {sd[-1]:.3g}: random-sample error {mad[-1]:.3g} vs NWGM error "
                       f"{gap[-1]:.3g}")
        out.append(res)
        ok = (ctx.le(mad, sd, tol=FP_SLACK * sd, scale=sd)
              and ctx.ge(mad, sd ** 2 / dev, tol=FP_SLACK * sd))
        out.append(CaseResult({"around": where, "center": center,
                               "what": "random-sample error ~ σ"},
                              Verdict.CONFIRMED if ok else Verdict.REFUTED, float(sd[-1]),
                              _exact_est(float(mad[-1]), 1, "closed_form"), None, None,
                              f"σ²/max|O − E| ≤ E|O − E| ≤ σ at all {s.size} spreads; "
                              f"E|O − E|/σ = {mad[0] / sd[0]:.3f} … {mad[-1] / sd[-1]:.3f}"))
    return out


@CATALOG.claim(
    "sec8.nwgm_better_when_below", label="Section 8 (summary after Eq. 87)", kind=Kind.INEQUALITY,
    statement="The NWGM is always the better approximation of E when NWGM ≤ E, since then "
              "G ≤ NWGM ≤ E (|E − NWGM| ≤ E − G).")
def sec8_better_below(ctx: Context) -> list[CaseResult]:
    """Hypothesis over samples in (0, 1): whenever NWGM ≤ E, |E − NWGM| ≤ E − G."""
    def holds(args):
        O, P = _unpack(args)
        w = th.weighted_means(O, P)
        if w["NWGM"] > w["E"]:
            # outside the hypothesis NWGM ≤ E: rejected (counted), not "holds"
            raise ValueError("NWGM > E: outside the claim's condition")
        return _le(w["E"] - w["NWGM"], _e_minus_g(O, P), tol_scale=w["E"])
    return _ineq_claim(ctx, holds, 1e-9, 0.5, "(0, 0.5] (NWGM ≤ E by Eq. 81)") + _ineq_claim(
        ctx, holds, label="(0, 1), examples with NWGM ≤ E")


# ------------------------------------------------------------------------------------------
# Section 11: dropout dynamics (Eq. 139–165)
# ------------------------------------------------------------------------------------------
#
# Evidence: exact enumeration of all dropout masks (dropmc.simulations.enumeration) and
# derivatives by the complex step (th.complex_step_grad, exact to rounding), so identities are
# decided to floating-point precision; approximations by the order of their error as the
# dropout noise (q = 1 − p → 0) or the weights (scale s → 0) vanish.
#
# Findings (each kept REFUTED as printed, a correction registered beside it where one exists):
# Eq. 146's middle form lacks the factor p_i of its cross sum; Eq. 150 omits the covariances
# Σ_{k≠j} w_ik Cov(δ_kO_k, δ_jO_j) (non-zero above the input layer; the paper's own Eq. 155);
# Eq. 154's middle lacks its expectation; the last forms of Eq. 159 and 160 have the wrong sign;
# Eq. 163–165 define σ' = σ(1 − σ), the derivative only for λ = 1 (the regulariser is then off
# by λ); after Eq. 181, E(O_jO_j) ≈ W_j (not in Section 9.5) makes Eq. 182's regulariser wrong
# for small weights (E(O_jO_j) ≈ W_j² corrects it); Eq. 183 counts δ_i in both factors (an extra
# p_i); Eq. 188: for small weights the difference E(∇E_D) − ∇E_ENS is dominated by the
# covariance that Eq. 183 neglects, not by a weight-decay term w_ijA (no correction registered).

from dropmc.simulations import enumeration as _enum  # noqa: E402


def _s11_vec(ctx: Context, params: dict, theory, value, scale: float, detail: str = "") -> CaseResult:
    """An exact vector identity ``value == theory`` (enumeration / complex step, SE 0), with
    the tolerance relative to ``scale``, the size of the terms the values are built from."""
    theory = np.asarray(theory, float).ravel()
    value = np.asarray(value, float).ravel()
    return judge.identity_many(params, theory, value, np.zeros_like(value), value.size, ctx,
                               method="enumeration", scale=scale, detail=detail)


def _s11_linear_unit(rng, n: int = 6):
    """A random linear unit (w, I, t) with random keep probabilities p ∈ (0.2, 0.95)."""
    return (rng.standard_normal(n), rng.standard_normal(n), float(rng.standard_normal()),
            rng.uniform(0.2, 0.95, n))


def _s11_two_layer(rng, n_in: int = 3, h: int = 3):
    """A random two-layer logistic network, two training inputs with targets in (0, 1), random
    keep probabilities for the inputs and hidden units, and random c, λ."""
    W1 = rng.standard_normal((h, n_in))
    w2 = rng.standard_normal(h)
    inputs = rng.standard_normal((2, n_in))
    targets = rng.uniform(0.05, 0.95, 2)
    p = rng.uniform(0.3, 0.9, n_in + h)
    c, lam = float(rng.uniform(0.5, 2.0)), float(rng.uniform(0.5, 2.0))
    return W1, w2, inputs, targets, p, c, lam


@CATALOG.claim(
    "eq140.tens_gradient", label="Eq. 139, Eq. 140", kind=Kind.IDENTITY,
    statement="The gradient of the true-ensemble error E_TENS = Σ_I Σ_N P(N) f_w(O_N, t(I)) is "
              "∂E_TENS/∂w_ij = Σ_I Σ_{N: δ_j = 1} P(N) ∂f_w/∂S_i · O_j(N, I).")
def eq140(ctx: Context) -> list[CaseResult]:
    """Two-layer logistic networks (3 inputs, 3 hidden units, random c, λ, unit dropout on
    inputs and hidden units, 2 training inputs, relative entropy of Eq. 156): the gradient of
    E_TENS (Eq. 139, all 2^6 subnetworks enumerated) by the complex step against Eq. 140's sum
    over the subnetworks keeping the presynaptic unit, with ∂f/∂S_i backpropagated
    (th.eq140_gradient), for every weight of both layers."""
    rng = ctx.rng()
    out = []
    for k in range(3):
        W1, w2, inputs, targets, p, c, lam = _s11_two_layer(rng)
        n_in, h = W1.shape[1], W1.shape[0]
        masks, probs = _enum.enumerate_masks(n_in + h, p)
        theta = np.concatenate([W1.ravel(), w2])

        def f(x):
            return th.e_tens(x[: W1.size].reshape(W1.shape), x[W1.size:], inputs, targets,
                             masks, probs, n_in, c, lam)

        g = th.complex_step_grad(f, theta)
        eq = th.eq140_gradient(W1, w2, inputs, targets, masks, probs, n_in, c, lam)
        theory = np.concatenate([eq["W1"].ravel(), eq["w2"]])
        scale = lam * (1 + float(np.max(np.abs(inputs)))) * max(1.0, float(np.max(np.abs(w2))))
        out.append(_s11_vec(ctx, {"network": k, "c": c, "lam": lam, "weights": theta.size},
                            theory, g, scale))
    return out


@CATALOG.claim(
    "eq141.factorised_gradient", label="Eq. 141", kind=Kind.APPROXIMATION,
    statement="If the backpropagated error does not vary much across subnetworks, "
              "∂E_TENS/∂w_ij ≈ E(∂f_w/∂S_i) p_j E(O_j) ≈ E(∂f_w/∂S_i) p_j W_j (W_j: the ensemble "
              "network's output of unit j).")
def eq141(ctx: Context) -> list[CaseResult]:
    """"Does not vary too much from one network to the next" read as the limit of small
    dropout noise: every keep probability p_j = 1 − q·u_j (u_j ∈ (0.5, 1) fixed) with
    q = 0.4·2^{−k}, k = 0…6, so the spread of ∂f/∂S_i and of O_j across subnetworks vanishes.
    Each link must then be exact to first order, |error| = O(q) (judge.order, absolute,
    order 1; a constant error fails): link 1, the exact ∂E_TENS/∂w (Eq. 140, enumerated)
    against E(∂f/∂S_i)p_jE(O_j) for a top weight w2_0 and a first-layer weight W1_00 (whose
    error is the covariance of ∂f/∂S_i and δ_jO_j); link 2, E(O_j) → W_j for the top weight
    (hidden logistic unit; for an input unit E(O_j) = W_j = I_j, checked exactly)."""
    rng = ctx.rng()
    qs = 0.4 * 0.5 ** np.arange(7)
    out = []
    for k in range(2):
        W1, w2, inputs, targets, _, c, lam = _s11_two_layer(rng)
        n_in, h = W1.shape[1], W1.shape[0]
        u = rng.uniform(0.5, 1.0, n_in + h)
        I, t = inputs[0], targets[0]
        ex_top, ex_low, f_top, f_low, s_top, s_low = [], [], [], [], [], []
        for q in qs:
            p = 1 - q * u
            masks, probs = _enum.enumerate_masks(n_in + h, p)
            g = th.eq140_gradient(W1, w2, [I], [t], masks, probs, n_in, c, lam)
            a = th.eq141_factorised(W1, w2, I, t, masks, probs, p, n_in, c, lam)
            ex_top.append(g["w2"][0]); ex_low.append(g["W1"][0, 0])
            f_top.append(a["first"]["w2"][0]); f_low.append(a["first"]["W1"][0, 0])
            s_top.append(a["second"]["w2"][0]); s_low.append(a["second"]["W1"][0, 0])
        prm = {"network": k, "c": c, "lam": lam}
        out.append(judge.order({**prm, "link": "∂E_TENS ≈ E(∂f/∂S)pE(O), top weight"}, qs,
                               ex_top, f_top, 1, name="Eq. 141 first ≈ (top)", ctx=ctx))
        out.append(judge.order({**prm, "link": "∂E_TENS ≈ E(∂f/∂S)pE(O), first-layer weight"},
                               qs, ex_low, f_low, 1, name="Eq. 141 first ≈ (first layer)", ctx=ctx))
        out.append(judge.order({**prm, "link": "pE(O_j) ≈ pW_j, top weight"}, qs, f_top, s_top, 1,
                               name="Eq. 141 second ≈ (top)", ctx=ctx))
        out.append(judge.identity({**prm, "link": "pE(O_j) = pW_j for an input unit"},
                                  s_low[-1], _exact_est(f_low[-1]), ctx,
                                  scale=abs(f_low[-1]) + abs(ex_low[-1])))
    return out


# -- Section 11.2: a single linear unit -----------------------------------------------------


def _s11_linear_scale(w, I, t) -> float:
    """The size of the terms of a linear unit's gradient: (|t| + Σ|w_iI_i|)·max|I|."""
    return (abs(t) + float(np.sum(np.abs(w * I)))) * float(np.max(np.abs(I)))


def _s11_mask_grads(w, I, t, masks) -> np.ndarray:
    """∂E_D/∂w for every mask (rows), by the complex step of Eq. 143."""
    return th.complex_step_grad(lambda x: th.linear_dropout_error(x, I, t, masks), w)


@CATALOG.claim(
    "eq144_145.linear_gradients", label="Eq. 142, Eq. 143, Eq. 144, Eq. 145", kind=Kind.IDENTITY,
    statement="For a single linear unit, ∂E_ENS/∂w_i = −(t − O_ENS)p_iI_i and, for every "
              "dropout mask, ∂E_D/∂w_i = −(t − O_D)δ_iI_i = −tδ_iI_i + w_iδ_i²I_i² + "
              "Σ_{j≠i} w_jδ_jδ_iI_jI_i.")
def eq144_145(ctx: Context) -> list[CaseResult]:
    """Random units (n = 6, random p): Eq. 144 against the complex-step gradient of Eq. 142;
    Eq. 145 link by link for all 64 masks: the complex-step gradient of Eq. 143 against the
    first form, and the first form against the expanded second."""
    rng = ctx.rng()
    out = []
    for k in range(3):
        w, I, t, p = _s11_linear_unit(rng)
        masks, _ = _enum.enumerate_masks(w.size, p)
        sc = _s11_linear_scale(w, I, t)
        prm = {"unit": k, "n": w.size}
        g_ens = th.complex_step_grad(lambda x: th.linear_ensemble_error(x, I, t, p), w)
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 144"}, th.eq144(w, I, t, p), g_ens, sc))
        first, second = th.eq145_forms(w, I, t, masks)
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 145 ∂E_D/∂w = −(t − O_D)δI"}, first,
                            _s11_mask_grads(w, I, t, masks), sc))
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 145 expanded"}, second, first, sc))
    return out


def _s11_pairwise_masks() -> tuple[np.ndarray, np.ndarray]:
    """Masks of 3 pairwise independent but not independent B(½) selectors: δ₃ = δ₁ XOR δ₂,
    the 4 masks equally likely."""
    m = np.array([[0, 0, 0], [1, 0, 1], [0, 1, 1], [1, 1, 0]], float)
    return m, np.full(4, 0.25)


def _s11_eq146_cases(ctx: Context, corrected: bool) -> list[CaseResult]:
    """E(∂E_D/∂w_i) by enumeration (the complex-step gradients of Eq. 143 over all masks,
    weighted by their probabilities) against each form of Eq. 146 and 147 (the middle of
    Eq. 146 as printed, or with its factor p_i); Var(δ_iI_i) is enumerated too. One unit has
    3 selectors that are only *pairwise* independent (δ₃ = δ₁ XOR δ₂, p = ½), as the paper's
    assumption allows: the expected gradient is quadratic in δ, so no more is needed."""
    rng = ctx.rng()
    out = []
    units = [(_s11_linear_unit(rng), None) for _ in range(3)]
    w3, I3, t3, _ = _s11_linear_unit(rng, 3)
    units.append(((w3, I3, t3, np.full(3, 0.5)), _s11_pairwise_masks()))
    for k, ((w, I, t, p), pm) in enumerate(units):
        masks, probs = pm if pm is not None else _enum.enumerate_masks(w.size, p)
        EG = probs @ _s11_mask_grads(w, I, t, masks)
        dI = masks * I
        var_dI = probs @ dI ** 2 - (probs @ dI) ** 2
        sc = _s11_linear_scale(w, I, t)
        prm = {"unit": k, "n": w.size, "selectors": "pairwise independent" if pm else "independent"}
        f1, f2, f3 = th.eq146_forms(w, I, t, p)
        if corrected:
            f2 = th.eq146_middle_corrected(w, I, t, p)
        for name, form in (("Eq. 146 −(t − E(O_D|δ_i = 1))p_iI_i", f1),
                           ("Eq. 146 middle" + (" (with p_i)" if corrected else " as printed"), f2),
                           ("Eq. 146 −(t − O_ENS)p_iI_i + w_iI_i²p_i(1 − p_i)", f3),
                           ("Eq. 147 ∂E_ENS/∂w_i + w_iI_i² Var δ_i", th.eq147(w, I, t, p))):
            out.append(_s11_vec(ctx, {**prm, "link": f"E(∂E_D/∂w_i) = {name}"}, form, EG, sc))
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 147 Var(δ_iI_i) = I_i² Var δ_i"},
                            I ** 2 * p * (1 - p), var_dI, float(np.max(I ** 2))))
    return out


@CATALOG.claim(
    "eq146_147.expected_gradient", label="Eq. 146, Eq. 147", kind=Kind.IDENTITY,
    statement="With pairwise independent selectors, E(∂E_D/∂w_i) = −(t − E(O_D|δ_i = 1))p_iI_i "
              "= −tp_iI_i + w_ip_iI_i² + Σ_{j≠i} w_jp_jI_jI_i = −(t − O_ENS)p_iI_i + "
              "w_iI_i²p_i(1 − p_i) = ∂E_ENS/∂w_i + w_iI_i²Var δ_i = ∂E_ENS/∂w_i + w_iVar(δ_iI_i).",
    note="as printed; the middle form of Eq. 146 lacks a factor p_i on the cross terms: see "
         "eq146_147.corrected")
def eq146_147(ctx: Context) -> list[CaseResult]:
    """Every form of the chain against the enumerated E(∂E_D/∂w_i) (:func:`_s11_eq146_cases`,
    the middle of Eq. 146 as printed). The middle fails: E(δ_jδ_i) = p_jp_i, so the cross sum
    is p_iΣ_{j≠i} w_jp_jI_jI_i; the other forms (and the conclusion, Eq. 147) hold."""
    return _s11_eq146_cases(ctx, corrected=False)


@CATALOG.claim(
    "eq146_147.corrected", label="Eq. 146, Eq. 147", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq146_147.expected_gradient",
    statement="With pairwise independent selectors, E(∂E_D/∂w_i) = −(t − E(O_D|δ_i = 1))p_iI_i "
              "= −tp_iI_i + w_ip_iI_i² + p_iΣ_{j≠i} w_jp_jI_jI_i = −(t − O_ENS)p_iI_i + "
              "w_iI_i²p_i(1 − p_i) = ∂E_ENS/∂w_i + w_iVar(δ_iI_i).")
def eq146_147_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: the expectation of Eq. 145's expanded form term by term, with E(δ_i) = p_i,
    E(δ_i²) = p_i and E(δ_jδ_i) = p_jp_i for j ≠ i (pairwise independence), gives the cross
    sum p_iΣ_{j≠i} w_jp_jI_jI_i. Checked as :func:`eq146_147` with this middle form."""
    return _s11_eq146_cases(ctx, corrected=True)


@CATALOG.claim(
    "eq148.regularised_error", label="Eq. 148, Sec. 11.2 (after Eq. 148)", kind=Kind.IDENTITY,
    statement="The expected dropout gradient of a linear unit is the gradient of the regularised "
              "ensemble error E_ENS + ½Σ_i w_i²I_i² Var δ_i, training examples combining "
              "additively; the same holds for an entire layer of linear units.")
def eq148(ctx: Context) -> list[CaseResult]:
    """E(∇E_D) by enumeration (the gradient of the enumerated E(E_D), by the complex step;
    the expectation and the gradient commute over finitely many masks) against the
    complex-step gradient of Eq. 148's regularised error: for a unit with 3 training examples
    (errors summed), and for a layer of 3 linear units sharing the dropped inputs (the
    regulariser summed over the units)."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        n = 6
        p = rng.uniform(0.2, 0.95, n)
        masks, probs = _enum.enumerate_masks(n, p)
        Is, ts = rng.standard_normal((3, n)), rng.standard_normal(3)
        w = rng.standard_normal(n)
        ED = lambda x: sum(probs @ th.linear_dropout_error(x, I, t, masks) for I, t in zip(Is, ts))
        R = lambda x: sum(th.eq148_error(x, I, t, p) for I, t in zip(Is, ts))
        sc = max(_s11_linear_scale(w, I, t) for I, t in zip(Is, ts))
        out.append(_s11_vec(ctx, {"case": k, "what": "unit, 3 training examples"},
                            th.complex_step_grad(R, w), th.complex_step_grad(ED, w), sc))
        W = rng.standard_normal((3, n))
        I, T = Is[0], rng.standard_normal(3)
        EDL = lambda x: sum(probs @ th.linear_dropout_error(x.reshape(W.shape)[r], I, T[r], masks)
                            for r in range(3))
        RL = lambda x: sum(th.eq148_error(x.reshape(W.shape)[r], I, T[r], p) for r in range(3))
        sc = max(_s11_linear_scale(W[r], I, T[r]) for r in range(3))
        out.append(_s11_vec(ctx, {"case": k, "what": "layer of 3 linear units"},
                            th.complex_step_grad(RL, W.ravel()), th.complex_step_grad(EDL, W.ravel()),
                            sc))
    return out


# -- Section 11.3: deep linear networks -----------------------------------------------------


def _s11_deep_net(rng, skip_prob: float = 0.0, widths=(3, 3, 3, 1)):
    """A random deep linear network with one output unit, unit dropout on every other unit
    (random keep probabilities), all its 2^(N−1) masks (the output's gate fixed at 1), their
    probabilities, an input and a target."""
    net = th.random_layered_net(rng, list(widths), skip_prob=skip_prob)
    N = net.n_units
    p = np.append(rng.uniform(0.3, 0.9, N - 1), 1.0)
    m, probs = _enum.enumerate_masks(N - 1, p[:-1])
    gates = np.hstack([m.astype(float), np.ones((m.shape[0], 1))])
    return net, p, gates, probs, rng.standard_normal(net.n_in), float(rng.standard_normal())


def _s11_deep_grads(net, p, gates, I, t, edges):
    """Per-mask dropout gradients ∂E_D/∂w (rows: masks) and the ensemble gradient ∂E_ENS/∂w
    (E_ENS = ½(t − U)², U the output of the network with every weight scaled by its source's
    keep probability, Eq. 24) for the weights ``edges``, by the complex step."""
    n0, out = net.n_in, net.n_units - 1

    def with_w(x):
        W = net.W.astype(complex)
        for (i, j), v in zip(edges, x):
            W[i, j] = v
        return W

    w0 = np.array([net.W[e] for e in edges])
    gD = th.complex_step_grad(lambda x: 0.5 * (t - th.deep_linear_forward(with_w(x), n0, I, gates)[:, out]) ** 2, w0)
    gE = th.complex_step_grad(lambda x: 0.5 * (t - th.deep_linear_forward(with_w(x), n0, I, p)[0, out]) ** 2, w0)
    return gD, gE


def _s11_eq150_cases(ctx: Context, corrected: bool) -> list[CaseResult]:
    """Deep linear networks (3-3-3-1, and 3-3-3-1 with skip connections into the output),
    unit dropout, all masks enumerated: Eq. 149 for every mask and top weight (complex-step
    gradient of E_D = ½(t − O^T)² against −(t − O^T)δ_jO_j), and Eq. 150 (printed, or the
    corrected form with Σ_{k≠j} w_ik Cov(δ_kO_k, δ_jO_j)) for every top weight against the
    enumerated E(∂E_D/∂w), with Var and Cov of δ_jO_j enumerated."""
    rng = ctx.rng()
    out = []
    for k, skip in enumerate((0.0, 0.0, 0.6)):
        net, p, gates, probs, I, t = _s11_deep_net(rng, skip)
        o = net.n_units - 1
        js = np.flatnonzero(net.W[o] != 0)
        edges = [(o, int(j)) for j in js]
        gD, gE = _s11_deep_grads(net, p, gates, I, t, edges)
        S = th.deep_linear_forward(net.W, net.n_in, I, gates)
        Y = gates * S  # δ_jO_j
        sc = (abs(t) + float(np.max(np.abs(S)))) * float(np.max(np.abs(Y)))
        prm = {"network": k, "skip_prob": skip, "top_weights": len(edges)}
        if not corrected:
            e149 = -(t - S[:, o])[:, None] * Y[:, js]
            out.append(_s11_vec(ctx, {**prm, "link": "Eq. 149 (every mask)"}, e149, gD, sc))
        EY = probs @ Y
        C = (probs * (Y - EY).T) @ (Y - EY)  # Cov(δ_kO_k, δ_jO_j)
        EG = probs @ gD
        if corrected:
            theory = [th.eq150_corrected(gE[a], net.W[o], C[:, j], j) for a, j in enumerate(js)]
        else:
            theory = [th.eq150_printed(gE[a], net.W[o, j], C[j, j]) for a, j in enumerate(js)]
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 150" + (" corrected" if corrected else "")},
                            theory, EG, sc))
    return out


@CATALOG.claim(
    "eq149_150.top_layer", label="Eq. 149, Eq. 150", kind=Kind.IDENTITY,
    statement="For the top layer of a deep linear network, ∂E_D/∂w_ij^{T,l} = −(t_i − O_i^T)δ_j^lO_j^l "
              "and E(∂E_D/∂w_ij^{T,l}) = ∂E_ENS/∂w_ij^{T,l} + w_ij^{T,l} Var(δ_j^lO_j^l).",
    note="as printed; Eq. 150 omits the covariances of δ_jO_j with the other inputs of the "
         "output unit (the Cov(α, β) of the paper's own Eq. 155): see eq150.corrected")
def eq149_150(ctx: Context) -> list[CaseResult]:
    """:func:`_s11_eq150_cases` with Eq. 150 as printed. Eq. 149 holds; Eq. 150 fails as soon as
    the presynaptic units share ancestors (any layer above the inputs): E(∂E_D/∂w_ij) −
    ∂E_ENS/∂w_ij = Σ_k w_ik Cov(δ_kO_k, δ_jO_j), whose terms k ≠ j do not vanish. (For l = 0,
    the inputs, it is Eq. 147.)"""
    return _s11_eq150_cases(ctx, corrected=False)


@CATALOG.claim(
    "eq150.corrected", label="Eq. 150, Eq. 155", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq149_150.top_layer",
    statement="For a top-layer weight of a deep linear network, E(∂E_D/∂w_ij^{T,l}) = "
              "∂E_ENS/∂w_ij^{T,l} + w_ij^{T,l}Var(δ_j^lO_j^l) + Σ_{k≠j} w_ik^{T}Cov(δ_kO_k, δ_j^lO_j^l).")
def eq150_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: E(∂E_D/∂w_ij) = −t p_jE(O_j) + Σ_k w_ik E(δ_kO_kδ_jO_j) and ∂E_ENS/∂w_ij =
    −(t − Σ_k w_ik p_kE(O_k)) p_jE(O_j), whose difference is Σ_k w_ik Cov(δ_kO_k, δ_jO_j) —
    Eq. 155 with α = δ_jO_j, β = Σ_{k≠j} w_ikδ_kO_k. Checked as :func:`eq149_150`."""
    return _s11_eq150_cases(ctx, corrected=True)


def _s11_path_setup(rng, k: int):
    """A deep linear network and one of its non-top weights (k even: layer 2 ← layer 1, odd:
    layer 1 ← input) with α, β of Eq. 151 for every mask."""
    net, p, gates, probs, I, t = _s11_deep_net(rng, 0.3 if k >= 2 else 0.0)
    L = net.layer
    tgt = 2 if k % 2 == 0 else 1
    cand = [(int(i), int(j)) for i, j in np.argwhere(net.W != 0) if L[i] == tgt and L[j] == tgt - 1]
    edge = cand[int(rng.integers(len(cand)))]
    a, b = th.deep_linear_alpha_beta(net.W, net.n_in, I, gates, edge, net.n_units - 1)
    return net, p, gates, probs, I, t, edge, a, b


@CATALOG.claim(
    "eq151_153.path_gradients", label="Eq. 151, Eq. 152, Eq. 153", kind=Kind.IDENTITY,
    statement="In a deep linear network the output is S = αw + β for any weight w (α, β: the "
              "path sums through and avoiding w), U = E(S) = E(α)w + E(β), ∂E_D/∂w = "
              "(αw + β − t)α and ∂E_ENS/∂w = (E(α)w + E(β) − t)E(α).")
def eq151_153(ctx: Context) -> list[CaseResult]:
    """Random 3-3-3-1 networks (two with skip connections), unit dropout, every mask: α and β
    from the output at w = 1 and w = 0 (th.deep_linear_alpha_beta); links: S = αw + β for
    every mask; U (the ensemble network, Eq. 24) = E(α)w + E(β); the complex-step ∂E_D/∂w
    for every mask against (αw + β − t)α; the complex-step ∂E_ENS/∂w against Eq. 153. Weights
    into layer 2 and into layer 1."""
    rng = ctx.rng()
    out = []
    for k in range(4):
        net, p, gates, probs, I, t, edge, a, b = _s11_path_setup(rng, k)
        o, w = net.n_units - 1, float(net.W[edge])
        S = th.deep_linear_forward(net.W, net.n_in, I, gates)[:, o]
        U = float(th.deep_linear_forward(net.W, net.n_in, I, p)[0, o])
        gD, gE = _s11_deep_grads(net, p, gates, I, t, [edge])
        Ea, Eb = float(probs @ a), float(probs @ b)
        sz = float(np.max(np.abs(a * w)) + np.max(np.abs(b)))
        sc = (abs(t) + sz) * float(np.max(np.abs(a)))
        prm = {"network": k, "edge": edge}
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 151 S = αw + β"}, a * w + b, S, sz))
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 151 U = E(α)w + E(β)"}, [U], [Ea * w + Eb], sz))
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 152"}, (a * w + b - t) * a, gD, sc))
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 153"}, [th.eq153(Ea, Eb, w, t)], gE, sc))
    return out


def _s11_eq154_155(ctx: Context, which: str) -> list[CaseResult]:
    """The enumerated E(∂E_D/∂w) (complex-step gradients over every mask) for the weights of
    :func:`_s11_path_setup` against: ``printed`` — Eq. 154's middle as printed, the unaveraged
    (αw + β − t)α, for every mask; ``154`` — E[(αw + β − t)α] and E(α²)w + E(αβ) − tE(α);
    ``155`` — ∂E_ENS/∂w (Eq. 153) + w Var(α) + Cov(α, β)."""
    rng = ctx.rng()
    out = []
    for k in range(4):
        net, p, gates, probs, I, t, edge, a, b = _s11_path_setup(rng, k)
        w = float(net.W[edge])
        gD, _ = _s11_deep_grads(net, p, gates, I, t, [edge])
        EG = float(probs @ gD[:, 0])
        Ea, Eb = float(probs @ a), float(probs @ b)
        sc = (abs(t) + float(np.max(np.abs(a * w)) + np.max(np.abs(b)))) * float(np.max(np.abs(a)))
        prm = {"network": k, "edge": edge}
        if which == "printed":
            out.append(_s11_vec(ctx, {**prm, "link": "Eq. 154 middle as printed, every mask"},
                                (a * w + b - t) * a, np.full(a.size, EG), sc))
        elif which == "154":
            out.append(_s11_vec(ctx, {**prm, "link": "Eq. 154 E[(αw + β − t)α]"},
                                [float(probs @ ((a * w + b - t) * a))], [EG], sc))
            out.append(_s11_vec(ctx, {**prm, "link": "Eq. 154 E(α²)w + E(αβ) − tE(α)"},
                                [th.eq154(float(probs @ a ** 2), float(probs @ (a * b)), Ea, w, t)],
                                [EG], sc))
        else:
            var_a = float(probs @ (a - Ea) ** 2)
            cov = float(probs @ ((a - Ea) * (b - Eb)))
            out.append(_s11_vec(ctx, {**prm, "link": "Eq. 155", "cov_ab": cov},
                                [th.eq155(th.eq153(Ea, Eb, w, t), w, var_a, cov)], [EG], sc))
    return out


@CATALOG.claim(
    "eq154.middle_as_printed", label="Eq. 154", kind=Kind.IDENTITY,
    statement="E(∂E_D/∂w) = (αw + β − t)α (the middle of Eq. 154, without an expectation).",
    note="as printed; the middle lacks its expectation sign: see eq154.corrected")
def eq154_printed(ctx: Context) -> list[CaseResult]:
    """The printed middle is a random variable, not E(∂E_D/∂w): compared for every mask with
    the enumerated expectation (:func:`_s11_eq154_155`), it differs wherever α varies."""
    return _s11_eq154_155(ctx, "printed")


@CATALOG.claim(
    "eq154.corrected", label="Eq. 154", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq154.middle_as_printed",
    statement="E(∂E_D/∂w) = E[(αw + β − t)α] = E(α²)w + E(αβ) − tE(α).")
def eq154_corrected(ctx: Context) -> list[CaseResult]:
    """The expectation of Eq. 152 (linearity of E); both forms against the enumerated
    E(∂E_D/∂w) (:func:`_s11_eq154_155`)."""
    return _s11_eq154_155(ctx, "154")


@CATALOG.claim(
    "eq155.regularised_gradient", label="Eq. 155", kind=Kind.IDENTITY,
    statement="In a deep linear network, E(∂E_D/∂w) = ∂E_ENS/∂w + w Var(α) + Cov(α, β) for "
              "every weight w.")
def eq155(ctx: Context) -> list[CaseResult]:
    """Against the enumerated E(∂E_D/∂w), with ∂E_ENS/∂w from Eq. 153 and Var(α), Cov(α, β)
    enumerated (:func:`_s11_eq154_155`); the weights are inside the network (layer 1 and 2),
    where Cov(α, β) ≠ 0 (reported per case)."""
    return _s11_eq154_155(ctx, "155")


@CATALOG.claim(
    "sec11_3.cov_single_layer", label="Sec. 11.3 (after Eq. 155)", kind=Kind.IDENTITY,
    statement="Cov(α, β) is equal to zero for a single-layer linear network (and in general "
              "small).")
def sec11_3_cov(ctx: Context) -> list[CaseResult]:
    """Single-layer networks (6 inputs → 1 linear output, input dropout, all masks): Cov(α, β)
    = 0 for every weight, to the size of α·β (exact identity, theory 0). "In general small" is
    not a checkable statement: Cov(α, β)/(w Var(α)) for weights inside a deep network is
    reported as a measurement."""
    rng = ctx.rng()
    out = []
    for k in range(3):
        net, p, gates, probs, I, t = _s11_deep_net(rng, widths=(6, 1))
        covs, size = [], 0.0
        for j in range(net.n_in):
            a, b = th.deep_linear_alpha_beta(net.W, net.n_in, I, gates, (net.n_units - 1, j),
                                             net.n_units - 1)
            covs.append(float(probs @ ((a - probs @ a) * (b - probs @ b))))
            size = max(size, float(np.max(np.abs(a)) * np.max(np.abs(b))))
        out.append(_s11_vec(ctx, {"network": k, "layers": 1, "weights": net.n_in},
                            np.zeros(len(covs)), covs, size))
    ratios = []
    for k in range(4):
        net, p, gates, probs, I, t, edge, a, b = _s11_path_setup(rng, k)
        Ea, Eb = probs @ a, probs @ b
        ratios.append(float(probs @ ((a - Ea) * (b - Eb))) / (float(net.W[edge]) * float(probs @ (a - Ea) ** 2)))
    out.append(CaseResult({"what": "Cov(α, β)/(w Var α), deep 3-3-3-1 networks"}, Verdict.CONFIRMED,
                          None, None, None, None,
                          "Cov(α, β)/(w Var α) = " + ", ".join(f"{r:.3g}" for r in ratios),
                          role="measurement"))
    return out


# -- Section 11.4: a single sigmoidal unit --------------------------------------------------


def _s11_cs(f, x, h: float = 1e-30):
    """Elementwise derivative of an elementwise real-analytic f by the complex step."""
    return np.imag(f(np.asarray(x, float) + 1j * h)) / h


def _s11_sigmoid_unit(rng, n: int = 6):
    """A random logistic unit: w, I, t ∈ (0, 1), keep probabilities, c and λ."""
    return (rng.standard_normal(n), rng.standard_normal(n), float(rng.uniform(0.05, 0.95)),
            rng.uniform(0.2, 0.95, n), float(rng.uniform(0.3, 3.0)), float(rng.uniform(0.5, 3.0)))


def _s11_sigmoid_mask_grads(w, I, t, masks, c, lam):
    """∂E_D/∂w for every mask (rows): complex step of the relative entropy of σ(Σ δ_jw_jI_j)."""
    return th.complex_step_grad(lambda x: th.relative_entropy_of_S(masks @ (x * I), t, c, lam), w)


@CATALOG.claim(
    "eq157_158.chain_rule", label="Eq. 156, Eq. 157, Eq. 158", kind=Kind.IDENTITY,
    statement="For O = σ(S) = 1/(1 + ce^{−λS}) and the relative entropy E = −(t log O + (1 − t) "
              "log(1 − O)): ∂E/∂O = −t/O + (1 − t)/(1 − O), ∂O/∂S = λO(1 − O), hence ∂E/∂w = "
              "−λ(t − O) ∂S/∂w.")
def eq157_158(ctx: Context) -> list[CaseResult]:
    """Random S ∈ (−4, 4), t ∈ (0, 1), c, λ (4 draws of 20 points): each derivative by the
    complex step against its printed form."""
    rng = ctx.rng()
    out = []
    for k in range(4):
        S, t = rng.uniform(-4, 4, 20), rng.uniform(0, 1, 20)
        c, lam = float(rng.uniform(0.3, 3.0)), float(rng.uniform(0.5, 3.0))
        O = th.logistic(S, c, lam)
        prm = {"draw": k, "c": c, "lam": lam}
        dEdO = _s11_cs(lambda o: th.relative_entropy_c(o, t), O)
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 157 ∂E/∂O"}, th.eq157_dE_dO(O, t), dEdO,
                            float(np.max(1 / O + 1 / (1 - O)))))
        dOdS = _s11_cs(lambda s: th._sigma_c(s, c, lam), S)
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 157 ∂O/∂S"}, lam * O * (1 - O), dOdS, lam))
        dEdS = _s11_cs(lambda s: th.relative_entropy_of_S(s, t, c, lam), S)
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 158 ∂E/∂S = −λ(t − O)"}, th.eq158(O, t, lam),
                            dEdS, lam))
    return out


def _s11_eq159_160(ctx: Context, as_printed: bool) -> list[CaseResult]:
    """Random logistic units (n = 6, random c, λ): every printed form of Eq. 159 against the
    complex-step gradient of E_ENS (the relative entropy of W = σ(Σ w_jp_jI_j)), and both forms
    of Eq. 160 against the complex-step gradient of E_D for every mask; the last form of each
    with its printed sign (+) or the sign of the others (−)."""
    rng = ctx.rng()
    out = []
    for k in range(3):
        w, I, t, p, c, lam = _s11_sigmoid_unit(rng)
        masks, _ = _enum.enumerate_masks(w.size, p)
        sc = lam * float(np.max(np.abs(I)))
        prm = {"unit": k, "c": c, "lam": lam}
        gE = th.complex_step_grad(lambda x: th.sigmoid_ensemble_error(x, I, t, p, c, lam), w)
        for name, form in zip(("−λ(t − W)p_iI_i", "−λ(t − σ(U))p_iI_i",
                               ("+" if as_printed else "−") + "λ(t − σ(Σ w_jp_jI_j))p_iI_i"),
                              th.eq159_forms(w, I, t, p, c, lam, as_printed=as_printed)):
            out.append(_s11_vec(ctx, {**prm, "link": f"Eq. 159 {name}"}, form, gE, sc))
        gD = _s11_sigmoid_mask_grads(w, I, t, masks, c, lam)
        for name, form in zip(("−λ(t − O)δ_iI_i", ("+" if as_printed else "−")
                               + "λ(t − σ(Σ w_jδ_jI_j))δ_iI_i"),
                              th.eq160_forms(w, I, t, masks, c, lam, as_printed=as_printed)):
            out.append(_s11_vec(ctx, {**prm, "link": f"Eq. 160 {name} (every mask)"}, form, gD, sc))
    return out


@CATALOG.claim(
    "eq159_160.gradients", label="Eq. 159, Eq. 160", kind=Kind.IDENTITY,
    statement="∂E_ENS/∂w_i = −λ(t − W)p_iI_i = −λ(t − σ(U))p_iI_i = λ(t − σ(Σ_j w_jp_jI_j))p_iI_i "
              "and ∂E_D/∂w_i = −λ(t − O)δ_iI_i = λ(t − σ(Σ_j w_jδ_jI_j))δ_iI_i.",
    note="as printed; the last form of each equation has the opposite sign: see "
         "eq159_160.corrected")
def eq159_160(ctx: Context) -> list[CaseResult]:
    """:func:`_s11_eq159_160` as printed: the first forms hold, the last (sign +) fail."""
    return _s11_eq159_160(ctx, as_printed=True)


@CATALOG.claim(
    "eq159_160.corrected", label="Eq. 159, Eq. 160", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq159_160.gradients",
    statement="∂E_ENS/∂w_i = −λ(t − W)p_iI_i = −λ(t − σ(Σ_j w_jp_jI_j))p_iI_i and ∂E_D/∂w_i = "
              "−λ(t − O)δ_iI_i = −λ(t − σ(Σ_j w_jδ_jI_j))δ_iI_i.")
def eq159_160_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: W = σ(U) with U = Σ_j w_jp_jI_j (O = σ(Σ_j w_jδ_jI_j)) substituted into
    the first form, which is Eq. 158 with ∂U/∂w_i = p_iI_i (∂S/∂w_i = δ_iI_i); the sign is
    unchanged. Checked as :func:`eq159_160` with the sign −."""
    return _s11_eq159_160(ctx, as_printed=False)


def _s11_expected_sigmoid_grad(w, I, t, p, c, lam):
    """E(∂E_D/∂w_i) for every i: the complex-step gradients over all masks, weighted."""
    masks, probs = _enum.enumerate_masks(w.size, p)
    return probs @ _s11_sigmoid_mask_grads(w, I, t, masks, c, lam)


@CATALOG.claim(
    "eq161.expected_gradient", label="Eq. 161", kind=Kind.IDENTITY,
    statement="E(∂E_D/∂w_i) = −λ(t − E[σ(Σ_j w_jδ_jI_j) | δ_i = 1])p_iI_i.")
def eq161(ctx: Context) -> list[CaseResult]:
    """The enumerated E(∂E_D/∂w_i) against Eq. 161, whose conditional expectation is the mean
    output of the unit with input i always kept (sim.enumerate_logistic_unit with p_i = 1)."""
    rng = ctx.rng()
    out = []
    for k in range(4):
        w, I, t, p, c, lam = _s11_sigmoid_unit(rng)
        EG = _s11_expected_sigmoid_grad(w, I, t, p, c, lam)
        cond = []
        for i in range(w.size):
            pi = p.copy()
            pi[i] = 1.0
            cond.append(sim.enumerate_logistic_unit(w, I, pi, c=c, lam=lam)["EO"])
        out.append(_s11_vec(ctx, {"unit": k, "c": c, "lam": lam},
                            th.eq161(cond, t, p, I, lam), EG, lam * float(np.max(np.abs(I)))))
    return out


#: weight scales of the Section 11.4 approximations (s → 0: small weights, the regime in which
#: the NWGM and Taylor steps are made)
_S11_SCALES = 0.5 * 0.5 ** np.arange(10)


@CATALOG.claim(
    "eq162.nwgm_step", label="Eq. 162", kind=Kind.APPROXIMATION,
    statement="Using the NWGM approximation, E(∂E_D/∂w_i) ≈ −λ(t − σ(Σ_j w_jp_jI_j − w_ip_iI_i + "
              "w_iI_i))p_iI_i = −λ(t − σ(U + I_iw_i(1 − p_i)))p_iI_i.")
def eq162(ctx: Context) -> list[CaseResult]:
    """The equality of the two forms exactly (s = 1); the ≈ (E[σ(S)|δ_i = 1] replaced by σ(E[S|
    δ_i = 1]), the NWGM of the conditional ensemble) by the order of its error for weights
    w = s·w₀, s = 0.5·2^{−k}, k = 0…9: the NWGM error is of second order in the spread of S,
    so |E(∂E_D/∂w_i) − Eq. 162| = O(s²) (judge.order, absolute, order 2; E(∂E_D/∂w_i)
    enumerated), for the coordinate i with the largest |p_iI_i|."""
    rng = ctx.rng()
    out = []
    for k in range(3):
        w0, I, t, p, c, lam = _s11_sigmoid_unit(rng)
        i = int(np.argmax(np.abs(p * I)))
        f1, f2 = th.eq162_forms(w0, I, t, p, c, lam)
        prm = {"unit": k, "c": c, "lam": lam, "i": i}
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 162 forms"}, f2, f1, lam * float(np.max(np.abs(I)))))
        ex = [_s11_expected_sigmoid_grad(s * w0, I, t, p, c, lam)[i] for s in _S11_SCALES]
        ap = [th.eq162_forms(s * w0, I, t, p, c, lam)[1][i] for s in _S11_SCALES]
        out.append(judge.order({**prm, "link": "E(∂E_D/∂w_i) ≈ Eq. 162"}, _S11_SCALES, ex, ap, 2,
                               name="Eq. 162 (NWGM)", ctx=ctx))
    return out


def _s11_eq163_165(ctx: Context, corrected: bool) -> list[CaseResult]:
    """Random logistic units with λ = 1 and λ ∈ (1.5, 3), weights w = s·w₀ (s as in
    :func:`eq162`), σ' the printed σ(1 − σ) or the derivative λσ(1 − σ). Links: Eq. 163, the
    first-order Taylor expansion of Eq. 162's σ(U + I_iw_i(1 − p_i)) around U, error O(s²)
    (judge.order, absolute, order 2); Eq. 163 = ∂E_ENS/∂w_i + λσ'(U)w_iI_i²Var δ_i exactly
    (algebra, any σ'); Eq. 164 and 165: the regulariser captures the leading term of the
    difference E(∂E_D/∂w_i) − ∂E_ENS/∂w_i (enumerated; it vanishes like s), i.e. the relative
    error → 0 (judge.order, relative, order 1) — for Eq. 165 with the complex-step gradient of
    ½λσ'(U)Σ w_j²I_j²Var δ_j (σ'(U) depends on w: its derivative adds O(s²))."""
    rng = ctx.rng()
    dsig = th.dsigma if corrected else th.sigma_prime_printed
    out = []
    for k in range(4):
        w0, I, t, p, c, _ = _s11_sigmoid_unit(rng)
        lam = 1.0 if k % 2 == 0 else float(rng.uniform(1.5, 3.0))
        i = int(np.argmax(np.abs(p * I)))
        prm = {"unit": k, "c": c, "lam": lam, "i": i,
               "sigma'": "λσ(1 − σ)" if corrected else "σ(1 − σ) (printed)"}
        e162 = [th.eq162_forms(s * w0, I, t, p, c, lam)[1][i] for s in _S11_SCALES]
        e163 = [th.eq163(s * w0, I, t, p, c, lam, dsig)[i] for s in _S11_SCALES]
        out.append(judge.order({**prm, "link": "Eq. 163 Taylor step"}, _S11_SCALES, e162, e163, 2,
                               name="Eq. 163", ctx=ctx))
        ens = th.eq159_forms(w0, I, t, p, c, lam, as_printed=False)[0]
        out.append(_s11_vec(ctx, {**prm, "link": "Eq. 163 = ∂E_ENS/∂w + regulariser (Eq. 164)"},
                            ens + th.eq164_regulariser(w0, I, p, c, lam, dsig),
                            th.eq163(w0, I, t, p, c, lam, dsig), lam * float(np.max(np.abs(I)))))
        diff, r164, r165 = [], [], []
        for s in _S11_SCALES:
            w = s * w0
            diff.append(_s11_expected_sigmoid_grad(w, I, t, p, c, lam)[i]
                        - th.eq159_forms(w, I, t, p, c, lam, as_printed=False)[0][i])
            r164.append(th.eq164_regulariser(w, I, p, c, lam, dsig)[i])
            r165.append(th.complex_step_grad(
                lambda x: th.eq165_regulariser(x, I, p, c, lam, as_printed=not corrected), w)[i])
        out.append(judge.order({**prm, "link": "Eq. 164"}, _S11_SCALES, diff, r164, 1,
                               kind="relative", name="Eq. 164 regulariser", ctx=ctx))
        out.append(judge.order({**prm, "link": "Eq. 165"}, _S11_SCALES, diff, r165, 1,
                               kind="relative", name="Eq. 165 ∇ regulariser", ctx=ctx))
    return out


@CATALOG.claim(
    "eq163_165.regularised_error", label="Eq. 163, Eq. 164, Eq. 165", kind=Kind.APPROXIMATION,
    statement="With σ'(x) = σ(x)(1 − σ(x)) the derivative of σ: E(∂E_D/∂w_i) ≈ −λ(t − σ(U) − "
              "σ'(U)I_iw_i(1 − p_i))p_iI_i ≈ ∂E_ENS/∂w_i + λσ'(U)w_iVar(δ_iI_i), the gradient of "
              "E_ENS + ½λσ'(U)Σ w_i²I_i²Var(δ_i).",
    note="as printed; σ(1 − σ) is the derivative of σ only for λ = 1 (Eq. 157 itself gives "
         "λσ(1 − σ)): see eq163_165.corrected")
def eq163_165(ctx: Context) -> list[CaseResult]:
    """:func:`_s11_eq163_165` with the printed σ' = σ(1 − σ): the chain holds for λ = 1; for
    λ ≠ 1 the Taylor step is only of first order and the regulariser misses the leading term
    by the factor λ."""
    return _s11_eq163_165(ctx, corrected=False)


@CATALOG.claim(
    "eq163_165.corrected", label="Eq. 163, Eq. 164, Eq. 165", kind=Kind.APPROXIMATION,
    as_printed=False, corrects="eq163_165.regularised_error",
    statement="With σ' = λσ(1 − σ) (the derivative of Eq. 27), for small weights E(∂E_D/∂w_i) − "
              "∂E_ENS/∂w_i = λσ'(U)w_iVar(δ_iI_i)(1 + O(w)) = λ²σ(U)(1 − σ(U))w_iI_i²p_i(1 − p_i)"
              "(1 + O(w)), the gradient of E_ENS + ½λσ'(U)Σ w_i²I_i²Var(δ_i) to the same order.")
def eq163_165_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: E[σ(S)|δ_i = 1] = σ(U + x) + O(s²) with x = I_iw_i(1 − p_i) (Eq. 162) and
    σ(U + x) = σ(U) + σ'(U)x + O(x²) with the true derivative σ' = λσ(1 − σ); multiplied by
    λp_iI_i this gives λσ'(U)w_iI_i²p_i(1 − p_i) + O(s²). Checked as :func:`eq163_165` with
    σ' = λσ(1 − σ)."""
    return _s11_eq163_165(ctx, corrected=True)


# -- Section 11.5: deep logistic networks (the backpropagation recursions) ------------------


def _s11_dS1(W1, w2, I, t, m_in, m_hid, c, lam, h: float = 1e-30):
    """∂f/∂S_k of the hidden sums and ∂f/∂S_out of the output sum for every row of the masks
    (or keep probabilities: the ensemble network's ∂E/∂U), by the complex step on the sums
    themselves (f the relative entropy of Eq. 156 in terms of the output sum)."""
    S1 = np.atleast_2d(m_in * I) @ W1.T
    m_hid = np.atleast_2d(m_hid)

    def loss(S1c):
        return th.relative_entropy_of_S((m_hid * th._sigma_c(S1c, c, lam)) @ w2, t, c, lam)

    d1 = np.column_stack([np.imag(loss(S1 + 1j * h * (np.arange(S1.shape[1]) == k))) / h
                          for k in range(S1.shape[1])])
    S2 = (m_hid * th.logistic(S1, c, lam)) @ w2
    d2 = np.imag(th.relative_entropy_of_S(S2 + 1j * h, t, c, lam)) / h
    return d1, d2


@CATALOG.claim(
    "eq169_175.backprop", label="Eq. 166, Eq. 167, Eq. 168, Eq. 169, Eq. 170, Eq. 171, Eq. 172, "
    "Eq. 173, Eq. 174, Eq. 175", kind=Kind.IDENTITY,
    statement="In the ensemble network W_i^h = σ(U_i^h), ∂E_ENS/∂U_i^T = −λ(t_i − W_i^T), "
              "∂E_ENS/∂U_i^h = Σ_{l>h}Σ_k ∂E_ENS/∂U_k^l w_ki^{lh} p_i^h σ'(U_i^h) and ∂U_i^h/∂w_ij^{hl} "
              "= p_j^lW_j^l; in the dropout network ∂E_D/∂S_i^T = −λ(t_i − O_i^T), ∂E_D/∂S_i^h = "
              "Σ_{l>h}Σ_k ∂E_D/∂S_k^l w_ki^{lh} δ_i^h σ'(S_i^h) and ∂S_i^h/∂w_ij^{hl} = δ_j^lO_j^l "
              "(σ' the derivative of σ, λσ(1 − σ)).")
def eq169_175(ctx: Context) -> list[CaseResult]:
    """Two-layer logistic networks (3 inputs, 3 hidden units, 1 output, random c, λ; relative
    entropy): the backpropagated errors of th.two_layer_backprop (Eq. 169–170 with the keep
    probabilities as gates, Eq. 173–174 with every dropout mask) against complex-step
    derivatives of the error with respect to the sums U (S) themselves; and the weight
    gradients they give through Eq. 168/171 (172/175) against the complex-step gradient of the
    error with respect to every weight, for the ensemble network and every subnetwork."""
    rng = ctx.rng()
    out = []
    for k in range(3):
        W1, w2, inputs, targets, p, c, lam = _s11_two_layer(rng)
        n_in, h = W1.shape[1], W1.shape[0]
        I, t = inputs[0], float(targets[0])
        masks, _ = _enum.enumerate_masks(n_in + h, p)
        sc = lam * (1 + float(np.max(np.abs(w2)))) * lam
        for net, m_in, m_hid in (("ensemble (Eq. 167–171)", p[:n_in], p[n_in:]),
                                 ("dropout, every mask (Eq. 166, 172–175)", masks[:, :n_in],
                                  masks[:, n_in:])):
            prm = {"network": k, "c": c, "lam": lam, "which": net}
            b = th.two_layer_backprop(W1, w2, I, t, m_in, m_hid, c, lam)
            d1, d2 = _s11_dS1(W1, w2, I, t, m_in, m_hid, c, lam)
            out.append(_s11_vec(ctx, {**prm, "link": "Eq. 170/174 top error"}, b["d_out"], d2, lam))
            out.append(_s11_vec(ctx, {**prm, "link": "Eq. 169/173 recursion"}, b["d_hid"], d1, sc))
            theta = np.concatenate([W1.ravel(), w2])
            mi, mh = np.atleast_2d(m_in), np.atleast_2d(m_hid)

            def f(x):
                fw = th.two_layer_forward(x[: W1.size].reshape(W1.shape), x[W1.size:], I, mi, mh, c, lam)
                return th.relative_entropy_of_S(fw["S2"], t, c, lam)

            g = th.complex_step_grad(f, theta)  # (rows, weights)
            g = np.atleast_2d(g)
            # Eq. 168/172 with Eq. 171/175: error × presynaptic term (p_jW_j or δ_jO_j)
            gW1 = b["d_hid"][:, :, None] * (mi * I)[:, None, :]
            gw2 = b["d_out"][:, None] * mh * b["O1"]
            theory = np.hstack([gW1.reshape(gW1.shape[0], -1), gw2])
            out.append(_s11_vec(ctx, {**prm, "link": "Eq. 168/172 with 171/175 (every weight)"},
                                theory, g, sc * (1 + float(np.max(np.abs(I))))))
    return out


@CATALOG.claim(
    "eq189.dropout_variance", label="Eq. 189", kind=Kind.IDENTITY,
    statement="With dropout only on the inputs of layer h (O_j^l fixed for a given input), "
              "Var(S_i^h) = Σ_{l<h}Σ_j (w_ij^{hl})²(O_j^l)² p_j^l(1 − p_j^l) for independent "
              "selectors; similarly for dropout on the connections.")
def eq189(ctx: Context) -> list[CaseResult]:
    """Two-layer logistic networks with skip connections (3 inputs, 3 hidden units feeding 2
    output sums; the output layer also reads the inputs): dropout only on the inputs of the
    output layer, the hidden outputs O_j computed without dropout. Var(S_i) of each output sum
    by enumeration of the 2^6 unit masks (shared by both outputs), and of the 2^12 connection
    masks (one selector per connection), against Eq. 189 (th.linear_unit_var with the
    presynaptic activities as inputs)."""
    rng = ctx.rng()
    out = []
    for k in range(3):
        W1, _, inputs, _, p, c, lam = _s11_two_layer(rng)
        I = inputs[0]
        O = np.concatenate([th.logistic(W1 @ I, c, lam), I])  # presynaptic activities (fixed)
        Wout = rng.standard_normal((2, O.size))
        masks, probs = _enum.enumerate_masks(O.size, p)
        S = (masks * O) @ Wout.T
        var = probs @ S ** 2 - (probs @ S) ** 2
        theory = [th.linear_unit_var(Wout[r], O, p) for r in range(2)]
        sc = float(np.max(np.sum(np.abs(Wout * O), axis=1))) ** 2
        out.append(_s11_vec(ctx, {"network": k, "dropout": "units"}, theory, var, sc))
        P = rng.uniform(0.2, 0.95, Wout.shape)
        cm, cp = _enum.enumerate_masks(P.size, P.ravel())
        S = np.einsum("mrj,rj,j->mr", cm.reshape(-1, *P.shape), Wout, O)
        var = cp @ S ** 2 - (cp @ S) ** 2
        theory = [th.linear_unit_var(Wout[r], O, P[r]) for r in range(2)]
        out.append(_s11_vec(ctx, {"network": k, "dropout": "connections"}, theory, var, sc))
    return out


def _s11_top(W1, w2, I, t, p, c, lam, masks, probs, j: int, h: float = 1e-30) -> dict:
    """The top weight w2_j of a two-layer logistic network: E(∂E_D/∂w) (complex step of the
    enumerated E(E_D)), ∂E_ENS/∂w (complex step of the ensemble network's error, Eq. 167), and
    the enumerated quantities Eq. 178–181 use (S_ij = S^T − w δ_jO_j, Y_j = δ_jO_j)."""
    n_in = W1.shape[1]

    def at(v):
        x = w2.astype(complex)
        x[j] = v
        return x

    w = float(w2[j])
    EG = float(np.imag(th.e_tens(W1, at(w + 1j * h), [I], [t], masks, probs, n_in, c, lam))) / h
    ens_err = lambda v: th.relative_entropy_of_S(
        th.two_layer_forward(W1, at(v), I, p[:n_in], p[n_in:], c, lam)["S2"], t, c, lam)[0]
    GE = float(np.imag(ens_err(w + 1j * h))) / h
    fw = th.two_layer_forward(W1, w2, I, masks[:, :n_in], masks[:, n_in:], c, lam)
    ens = th.two_layer_forward(W1, w2, I, p[:n_in], p[n_in:], c, lam)
    Y = masks[:, n_in + j] * fw["O1"][:, j]
    Sij = fw["S2"] - w * Y
    UT = float(ens["S2"][0])
    return {"EG": EG, "GE": GE, "w": w, "UT": UT, "WT": float(th.logistic(UT, c, lam)),
            "Wj": float(ens["O1"][0, j]), "pj": float(p[n_in + j]), "S": fw["S2"], "Y": Y,
            "E_sig": float(probs @ th.logistic(Sij, c, lam)),
            "E_dsig": float(probs @ th.dsigma(Sij, c, lam)),
            "EO2": float(probs @ fw["O1"][:, j] ** 2),
            "varY": float(probs @ Y ** 2 - (probs @ Y) ** 2)}


@CATALOG.claim(
    "eq176_177.top_gradient", label="Eq. 176, Eq. 177", kind=Kind.APPROXIMATION,
    statement="For a top-layer weight, ∂E_D/∂w_ij^{Tl} = −λ(t_i − O_i^T)δ_j^lO_j^l = "
              "−λ(t_i − σ(S_i^T))δ_j^lO_j^l = −λ(t_i − σ(S_ij^{Tl} + w_ij^{Tl}δ_j^lO_j^l))δ_j^lO_j^l ≈ "
              "−λ(t_i − σ(S_ij^{Tl}) − σ'(S_ij^{Tl})w_ij^{Tl}δ_j^lO_j^l)δ_j^lO_j^l (first-order "
              "Taylor; σ' the derivative of σ).")
def eq176_177(ctx: Context) -> list[CaseResult]:
    """Two-layer logistic networks, top weights w2_j: the three forms of Eq. 176 against the
    complex-step ∂E_D/∂w for every mask (exact); Eq. 177 by the order of the Taylor error as
    the weight shrinks, w = s·w₀ with s = 0.5·2^{−k}, k = 0…9 (the other weights fixed): error
    O(s²) (judge.order, absolute, order 2), for the all-kept mask."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        W1, w2, inputs, targets, p, c, lam = _s11_two_layer(rng)
        I, t = inputs[0], float(targets[0])
        n_in = W1.shape[1]
        masks, probs = _enum.enumerate_masks(n_in + W1.shape[0], p)
        for j in range(2):
            q = _s11_top(W1, w2, I, t, p, c, lam, masks, probs, j)

            def f(x, j=j):
                ww = w2.astype(complex)
                ww[j] = x[0]
                return th.relative_entropy_of_S(
                    th.two_layer_forward(W1, ww, I, masks[:, :n_in], masks[:, n_in:], c, lam)["S2"],
                    t, c, lam)

            g = th.complex_step_grad(f, np.array([q["w"]]))[:, 0]
            prm = {"network": k, "c": c, "lam": lam, "j": j}
            for name, form in zip(("−λ(t − O^T)δ_jO_j", "−λ(t − σ(S^T))δ_jO_j",
                                   "−λ(t − σ(S_ij + wδ_jO_j))δ_jO_j"),
                                  th.eq176_forms(q["S"], q["Y"], q["w"], t, c, lam)):
                out.append(_s11_vec(ctx, {**prm, "link": f"Eq. 176 {name} (every mask)"}, form, g,
                                    lam * (1 + float(np.max(np.abs(q["Y"]))))))
            full = np.ones((1, masks.shape[1]))
            ex, ap = [], []
            for s in _S11_SCALES:
                ww = w2.copy()
                ww[j] = s * w2[j]
                fw = th.two_layer_forward(W1, ww, I, full[:, :n_in], full[:, n_in:], c, lam)
                Y = fw["O1"][:, j]
                ex.append(float(th.eq176_forms(fw["S2"], Y, ww[j], t, c, lam)[2][0]))
                ap.append(float(th.eq177(fw["S2"], Y, ww[j], t, c, lam)[0]))
            out.append(judge.order({**prm, "link": "Eq. 177 Taylor step (all-kept mask)"},
                                   _S11_SCALES, ex, ap, 2, name="Eq. 177", ctx=ctx))
    return out


def _s11_top_regulariser(ctx: Context, forms: dict) -> list[CaseResult]:
    """For two-layer logistic networks with every weight scaled by s (s = 0.5·2^{−k},
    k = 0…9: small weights, the regime of the NWGM and Taylor steps and of the beginning of
    learning), the difference D = E(∂E_D/∂w) − ∂E_ENS/∂w for top weights w2_j (E(∂E_D/∂w)
    enumerated, ∂E_ENS/∂w of the ensemble network of Eq. 167, both by the complex step)
    vanishes like s; each approximation of ``forms`` (name → function of :func:`_s11_top`'s
    dict and t, c, λ) minus ∂E_ENS/∂w must capture its leading term: relative error → 0
    (judge.order, relative, order 1)."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        W10, w20, inputs, targets, p, c, lam = _s11_two_layer(rng)
        I, t = inputs[0], float(targets[0])
        masks, probs = _enum.enumerate_masks(W10.shape[0] + W10.shape[1], p)
        for j in range(2):
            D, A = [], {name: [] for name in forms}
            for s in _S11_SCALES:
                q = _s11_top(s * W10, s * w20, I, t, p, c, lam, masks, probs, j)
                D.append(q["EG"] - q["GE"])
                for name, fn in forms.items():
                    A[name].append(fn(q, t, c, lam) - q["GE"])
            for name in forms:
                out.append(judge.order({"network": k, "c": c, "lam": lam, "j": j, "link": name},
                                       _S11_SCALES, D, A[name], 1, kind="relative", name=name,
                                       ctx=ctx))
    return out


@CATALOG.claim(
    "eq178_181.top_regulariser", label="Eq. 178, Eq. 179, Eq. 180, Eq. 181", kind=Kind.APPROXIMATION,
    statement="For a top-layer weight, E(∂E_D/∂w_ij^{Tl}) ≈ −λ(t_i − E σ(S_ij^{Tl}))p_jW_j + "
              "λE(σ'(S_ij^{Tl}))w_ijp_jE(O_jO_j) ≈ ∂E_ENS/∂w_ij + w_ijλ(E(σ'(S_ij))p_jE(O_jO_j) − "
              "σ'(U_i^T)(p_jW_j)²) ≈ ∂E_ENS/∂w_ij + w_ijλσ'(U_i^T)Var(δ_jO_j) (σ' the derivative "
              "of σ).")
def eq178_181(ctx: Context) -> list[CaseResult]:
    """:func:`_s11_top_regulariser` for Eq. 178, Eq. 179 (= Eq. 180 with its A) and Eq. 181,
    each with the exact enumerated E σ(S_ij), E σ'(S_ij), E(O_j²) and Var(δ_jO_j)."""
    return _s11_top_regulariser(ctx, {
        "Eq. 178": lambda q, t, c, lam: th.eq178(q["E_sig"], q["E_dsig"], q["EO2"], q["Wj"], q["pj"],
                                                 q["w"], t, lam),
        "Eq. 179/180": lambda q, t, c, lam: th.eq179(q["WT"], q["UT"], q["E_dsig"], q["EO2"], q["Wj"],
                                                     q["pj"], q["w"], t, c, lam),
        "Eq. 181": lambda q, t, c, lam: th.eq181(q["WT"], q["UT"], q["varY"], q["Wj"], q["pj"],
                                                 q["w"], t, c, lam)})


@CATALOG.claim(
    "eq182.pre_post_product", label="Sec. 11.5 (after Eq. 181), Eq. 182", kind=Kind.APPROXIMATION,
    statement="With E(O_j^lO_j^l) ≈ W_j^l, A ≈ σ'(U_i^T)p_jW_j(1 − p_jW_j) and E(∂E_D/∂w_ij^{Tl}) ≈ "
              "(−λ(t_i − W_i^T) + λw_ijσ'(U_i^T)(1 − p_jW_j))p_jW_j.",
    note="as printed; E(O_jO_j) ≈ W_j holds only for near-binary O_j (it is not in Section 9.5): "
         "see eq182.corrected")
def eq182_printed(ctx: Context) -> list[CaseResult]:
    """:func:`_s11_top_regulariser` for Eq. 182 (its regulariser is w·λA with the A printed
    after Eq. 181). For small weights O_j ≈ W_j is not near 0 or 1, E(O_j²) ≈ W_j² ≠ W_j, and
    the regulariser is off by the factor (1 − p_jW_j)/((1 − p_j)W_j): the relative error stays
    of order 1."""
    return _s11_top_regulariser(ctx, {
        "Eq. 182": lambda q, t, c, lam: th.eq182(q["WT"], q["UT"], q["Wj"], q["pj"], q["w"], t, c, lam)})


@CATALOG.claim(
    "eq182.corrected", label="Sec. 11.5 (after Eq. 181), Eq. 182", kind=Kind.APPROXIMATION,
    as_printed=False, corrects="eq182.pre_post_product",
    statement="With E(O_jO_j) ≈ W_j², A ≈ λσ'(U_i^T)p_j(1 − p_j)W_j² and E(∂E_D/∂w_ij^{Tl}) ≈ "
              "(−λ(t_i − W_i^T) + λw_ijσ'(U_i^T)(1 − p_j)W_j)p_jW_j.")
def eq182_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: Var(δ_jO_j) = p_jE(O_j²) − p_j²E(O_j)² ≈ p_j(1 − p_j)W_j² when the spread of
    O_j is small (E(O_j²) ≈ E(O_j)² ≈ W_j²), put into Eq. 181. Checked as
    :func:`eq182_printed` with this form."""
    return _s11_top_regulariser(ctx, {
        "Eq. 182 corrected": lambda q, t, c, lam: th.eq182(q["WT"], q["UT"], q["Wj"], q["pj"], q["w"],
                                                           t, c, lam, corrected=True)})


def _s11_eq183(ctx: Context, corrected: bool) -> list[CaseResult]:
    """Two-layer logistic networks, first-layer weights W1_ij (hidden unit i, input j), all
    input and hidden masks enumerated. The identity E(∂E_D/∂W1_ij) (complex step of the
    enumerated E(E_D)) = E(BX) with B = ∂E_D/∂S_out·w2_i and X = δ_iσ'(S_i)δ_jI_j (Eq. 173,
    175) exactly; then the independence step of Eq. 183 for small weights (every weight
    scaled by s = 0.5·2^{−k}, k = 0…9: the backpropagated error then varies little across
    subnetworks and the units have little influence on the output): E(∂E_D/∂W1_ij) vanishes
    like s and the approximation must capture its leading term (judge.order, relative,
    order 1): the printed forms E(Bδ_i)E(X) and E(B)p_iE(X), or the corrected E(B)E(X).
    Measurement: with only unit i's outgoing weight shrunk (no influence of unit i, the other
    weights fixed) the corrected form keeps a relative error, from the inputs B and X share."""
    rng = ctx.rng()
    out = []
    keys = ("corrected",) if corrected else ("printed_first", "printed_second")
    for k in range(2):
        W10, w20, inputs, targets, p, c, lam = _s11_two_layer(rng)
        I, t = inputs[0], float(targets[0])
        n_in, h = W10.shape[1], W10.shape[0]
        masks, probs = _enum.enumerate_masks(n_in + h, p)
        for i, j in ((0, 0), (1, 2)):
            prm = {"network": k, "c": c, "lam": lam, "i": i, "j": j}
            for regime in ("all weights × s", "w2_i × s"):
                ex, forms = [], {}
                for s in _S11_SCALES:
                    W1, w2 = (s * W10, s * w20) if regime == "all weights × s" else (W10, w20.copy())
                    if regime != "all weights × s":
                        w2[i] = s * w20[i]
                    b = th.two_layer_backprop(W1, w2, I, t, masks[:, :n_in], masks[:, n_in:], c, lam)
                    B = b["d_out"] * w2[i]
                    X = masks[:, n_in + i] * th.dsigma(b["S1"][:, i], c, lam) * masks[:, j] * I[j]
                    f = th.eq183_forms(B, X, masks[:, n_in + i], probs, float(p[n_in + i]))
                    for key in keys:
                        forms.setdefault(key, []).append(f[key])
                    ex.append(f["exact"])
                    if s == _S11_SCALES[0] and regime == "all weights × s":
                        g = th.complex_step_grad(lambda x: th.e_tens(
                            x.reshape(W1.shape), w2, [I], [t], masks, probs, n_in, c, lam), W1)[i, j]
                        out.append(judge.identity({**prm, "link": "E(∂E_D/∂w_ij) = E(BX)"}, f["exact"],
                                                  _exact_est(g), ctx,
                                                  scale=lam * float(np.max(np.abs(w2))) * abs(I[j])))
                if regime == "all weights × s":
                    for key, vals in forms.items():
                        out.append(judge.order({**prm, "link": f"Eq. 183 {key}", "regime": regime},
                                               _S11_SCALES, ex, vals, 1, kind="relative",
                                               name=f"Eq. 183 ({key})", ctx=ctx))
                else:
                    rel = {key: abs(vals[-1] - ex[-1]) / abs(ex[-1]) for key, vals in forms.items()}
                    out.append(CaseResult({**prm, "regime": regime}, Verdict.CONFIRMED, None, None,
                                          None, None, "relative error at s = "
                                          f"{_S11_SCALES[-1]:.3g}: " + ", ".join(
                                              f"{key} {v:.3g}" for key, v in rel.items()),
                                          role="measurement"))
    return out


@CATALOG.claim(
    "eq183.independence", label="Eq. 183", kind=Kind.APPROXIMATION,
    statement="If the backpropagated error is independent of the local pre- and post-synaptic "
              "terms, E(∂E_D/∂w_ij^{hl}) = E(Σ_k ∂E_D/∂S_k^l w_ki^{lh}δ_i^h)E(δ_i^hσ'(S_i^h)δ_j^lO_j^l) "
              "= Σ_k E(∂E_D/∂S_k^l)w_ki^{lh}p_i^hE(δ_i^hσ'(S_i^h)δ_j^lO_j^l), increasingly accurate "
              "for units with less influence on the output.",
    note="as printed; δ_i^h is counted in both factors (an extra factor p_i^h): see eq183.corrected")
def eq183(ctx: Context) -> list[CaseResult]:
    """:func:`_s11_eq183` with the printed forms: in the limit of no influence both tend to
    p_i × the expected gradient, so their relative error tends to 1 − p_i."""
    return _s11_eq183(ctx, corrected=False)


@CATALOG.claim(
    "eq183.corrected", label="Eq. 183", kind=Kind.APPROXIMATION, as_printed=False,
    corrects="eq183.independence",
    statement="If the backpropagated error is independent of the local terms, E(∂E_D/∂w_ij^{hl}) ≈ "
              "Σ_k E(∂E_D/∂S_k^l)w_ki^{lh} · E(δ_i^hσ'(S_i^h)δ_j^lO_j^l), the error vanishing "
              "(relative to the gradient) as unit i's influence on the output vanishes.")
def eq183_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: by Eq. 173 and 175, ∂E_D/∂w_ij = B·δ_iσ'(S_i)δ_jO_j with B = Σ_k ∂E_D/∂S_k
    w_ki; independence of B and the local term gives E(B)E(δ_iσ'(S_i)δ_jO_j), δ_i appearing
    once. Checked as :func:`eq183` with this form."""
    return _s11_eq183(ctx, corrected=True)


def _s11_local(W1, w2, I, t, p, c, lam, masks, probs, i: int, j: int) -> dict:
    """For the first-layer weight W1_ij (presynaptic O_j = I_j, an input): the per-subnetwork
    local term X = δ_iσ'(S_i)δ_jI_j, backpropagated error B = ∂E_D/∂S_out·w2_i, S_ij = S_i −
    w_ijδ_jI_j, and the ensemble network's U_i and gradient ∂E_ENS/∂w_ij (Eq. 168–171)."""
    n_in = W1.shape[1]
    b = th.two_layer_backprop(W1, w2, I, t, masks[:, :n_in], masks[:, n_in:], c, lam)
    ens = th.two_layer_backprop(W1, w2, I, t, p[None, :n_in], p[None, n_in:], c, lam)
    w = float(W1[i, j])
    Yj = masks[:, j] * I[j]
    return {"w": w, "pi": float(p[n_in + i]), "pj": float(p[j]), "Ui": float(ens["S1"][0, i]),
            "X": masks[:, n_in + i] * th.dsigma(b["S1"][:, i], c, lam) * Yj,
            "B": b["d_out"] * w2[i], "Sij": b["S1"][:, i] - w * Yj, "Yj": Yj, "Oj": float(I[j]),
            "GE": float(ens["d_hid"][0, i]) * float(p[j]) * float(I[j])}


@CATALOG.claim(
    "eq184_187.local_term", label="Eq. 184, Eq. 185, Eq. 186, Eq. 187", kind=Kind.APPROXIMATION,
    statement="E(δ_i^hσ'(S_i^h)δ_j^lO_j^l) ≈ E(δ_i[σ'(S_ij) + σ''(S_ij)w_ijδ_jO_j]δ_jO_j) = "
              "p_ip_jE(σ'(S_ij))E(O_j) + p_ip_jE(σ''(S_ij))w_ijE(O_jO_j); E(σ'(S_ij)) ≈ σ'(U_i) − "
              "σ''(U_i)p_jw_ijE(O_j); hence E(δ_iσ'(S_i)δ_jO_j) ≈ p_ip_j[σ'(U_i)E(O_j) − "
              "σ''(U_i)p_jw_ijE(O_j)² + E(σ''(S_ij))w_ijE(O_jO_j)] ≈ p_ip_jE(O_j)σ'(U_i) + "
              "p_iσ''(U_i)w_ijVar(δ_jO_j) (σ', σ'' the derivatives of σ).")
def eq184_187(ctx: Context) -> list[CaseResult]:
    """Two-layer logistic networks, first-layer weights W1_ij (O_j = I_j, so Eq. 184's '='
    involves no independence assumption and is checked exactly), every weight scaled by
    s = 0.5·2^{−k}, k = 0…9, all masks enumerated. Each step is a first-order Taylor expansion
    (or its expectation), so each link must be exact to first order in the weights, error O(s²)
    (judge.order, absolute, order 2; a wrong first-order term leaves an O(s) error): Eq. 184's
    Taylor step; its '=' (exact at s = 1); Eq. 185; Eq. 186 and 187 as approximations of
    E(δ_iσ'(S_i)δ_jO_j). (The w-terms are themselves O(s) only when σ''(0) ≠ 0, i.e. c ≠ 1;
    for c = 1 they are O(s²), of the order of the neglected terms, so they are not judged
    relative to the w-dependent part.)"""
    rng = ctx.rng()
    out = []
    for k in range(2):
        W10, w20, inputs, targets, p, c, lam = _s11_two_layer(rng)
        I, t = inputs[0], float(targets[0])
        masks, probs = _enum.enumerate_masks(W10.shape[0] + W10.shape[1], p)
        for i, j in ((0, 1), (2, 0)):
            prm = {"network": k, "c": c, "lam": lam, "i": i, "j": j}
            cols = {key: [] for key in ("EX", "T184", "e185", "a185", "DX", "a186", "a187")}
            for s in _S11_SCALES:
                q = _s11_local(s * W10, s * w20, I, t, p, c, lam, masks, probs, i, j)
                pi, pj, w, Oj = q["pi"], q["pj"], q["w"], q["Oj"]
                d_i = masks[:, W10.shape[1] + i]
                lhs = probs @ (d_i * (th.dsigma(q["Sij"], c, lam)
                                      + th.d2sigma(q["Sij"], c, lam) * w * q["Yj"]) * q["Yj"])
                E_ds, E_d2s = float(probs @ th.dsigma(q["Sij"], c, lam)), float(probs @ th.d2sigma(q["Sij"], c, lam))
                rhs = pi * pj * E_ds * Oj + pi * pj * E_d2s * w * Oj ** 2
                if s == _S11_SCALES[0]:
                    out.append(judge.identity({**prm, "link": "Eq. 184 '=' (input-layer O_j)"}, rhs,
                                              _exact_est(lhs), ctx, scale=lam * lam * abs(Oj) * (1 + abs(w * Oj))))
                EX = float(probs @ q["X"])
                cols["EX"].append(EX); cols["T184"].append(float(lhs))
                cols["e185"].append(E_ds)
                cols["a185"].append(th.eq185(q["Ui"], w, pj, Oj, c, lam))
                cols["DX"].append(EX - pi * pj * Oj * float(th.dsigma(q["Ui"], c, lam)))
                cols["a186"].append(th.eq186_w_terms(q["Ui"], w, pi, pj, Oj, Oj ** 2, E_d2s, c, lam))
                varY = float(probs @ q["Yj"] ** 2 - (probs @ q["Yj"]) ** 2)
                cols["a187"].append(th.eq187_w_term(q["Ui"], w, pi, varY, c, lam))
            out.append(judge.order({**prm, "link": "Eq. 184 Taylor step"}, _S11_SCALES, cols["EX"],
                                   cols["T184"], 2, name="Eq. 184 ≈", ctx=ctx))
            out.append(judge.order({**prm, "link": "Eq. 185"}, _S11_SCALES, cols["e185"], cols["a185"],
                                   2, name="Eq. 185", ctx=ctx))
            first = np.asarray(cols["EX"]) - np.asarray(cols["DX"])  # p_ip_jE(O_j)σ'(U_i)
            for key, name in (("a186", "Eq. 186"), ("a187", "Eq. 187")):
                out.append(judge.order({**prm, "link": name}, _S11_SCALES, cols["EX"],
                                       first + np.asarray(cols[key]), 2, name=name, ctx=ctx))
    return out


@CATALOG.claim(
    "eq188.regulariser", label="Eq. 188", kind=Kind.APPROXIMATION,
    statement="E(∂E_D/∂w_ij^{hl}) ≈ ∂E_ENS/∂w_ij^{hl} + w_ij^{hl}A with A an adaptive coefficient "
              "proportional to σ''(U_i^h)Var(δ_j^lO_j^l) (Eq. 183 combined with Eq. 187).")
def eq188(ctx: Context) -> list[CaseResult]:
    """The difference D = E(∂E_D/∂w_ij) − ∂E_ENS/∂w_ij for first-layer weights (enumerated;
    ∂E_ENS from Eq. 168–171), every weight scaled by s = 0.5·2^{−k}, k = 0…9 (small weights,
    where every step of Eq. 183–187 is asymptotically exact), against w_ijA with A from Eq. 183
    and 187: Σ_k E(∂E_D/∂S_k)w_ki · p_iσ''(U_i)Var(δ_jO_j) (Eq. 183 corrected, δ_i once; as
    printed the factor p_i appears twice). Both D and w_ijA vanish like s², and w_ijA must
    capture D's leading term: the relative error must vanish (judge.order, relative, slope
    above ½). It does not: D is dominated by
    Cov(B, δ_iσ'(S_i)δ_jO_j), the covariance Eq. 183 neglects, of the same order (its share of
    D at the smallest s is reported)."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        W10, w20, inputs, targets, p, c, lam = _s11_two_layer(rng)
        I, t = inputs[0], float(targets[0])
        masks, probs = _enum.enumerate_masks(W10.shape[0] + W10.shape[1], p)
        for i, j in ((0, 1), (2, 0)):
            D, wA, share = [], [], 0.0
            for s in _S11_SCALES:
                q = _s11_local(s * W10, s * w20, I, t, p, c, lam, masks, probs, i, j)
                EG = float(probs @ (q["B"] * q["X"]))
                varY = float(probs @ q["Yj"] ** 2 - (probs @ q["Yj"]) ** 2)
                D.append(EG - q["GE"])
                wA.append(float(probs @ q["B"]) * th.eq187_w_term(q["Ui"], q["w"], q["pi"], varY, c, lam))
                share = (EG - float(probs @ q["B"]) * float(probs @ q["X"])) / D[-1]
            res = judge.order({"network": k, "c": c, "lam": lam, "i": i, "j": j}, _S11_SCALES, D, wA,
                              1, kind="relative", name="Eq. 188 w·A", ctx=ctx)
            res.detail += f"; Cov(B, X)/D at s = {_S11_SCALES[-1]:.3g}: {share:.3g}"
            out.append(res)
    return out


# -- Section 11: the remarks after Eq. 148, 165 and 188 -------------------------------------


@CATALOG.claim(
    "sec11_4.regulariser_properties", label="Sec. 11.2 (after Eq. 148), Sec. 11.4 (after Eq. 165)",
    kind=Kind.INEQUALITY,
    statement="The regularisation of a linear or sigmoidal unit depends only on the inputs, not on "
              "the targets; its derivative factor λσ'(S_ENS) is bounded and approaches 0 when "
              "S_ENS is small or large; p_i = 0.5 gives the strongest regularisation.")
def sec11_4_regulariser(ctx: Context) -> list[CaseResult]:
    """(a) Independence of the targets, exactly: the difference E(∂E_D/∂w_i) − ∂E_ENS/∂w_i
    (enumerated, complex step) is the same for two targets t, for linear units (Eq. 147) and
    logistic units (for which it is λp_iI_i(E[σ(S)|δ_i = 1] − σ(U)), with no t); (b, c) one
    hypothesis search over U, c, λ for λσ'(U) = λ²σ(1 − σ) > λ²/4 (bounded) or
    λσ'(U) > λ²max(c, 1/c)e^{−λ|U|}, a bound that → 0 as U → ±∞ (σ(1 − σ) ≤ min(ce^{−λU},
    e^{λU}/c)); (d) a search over p for p(1 − p) > ¼ = Var δ at p = ½ (the maximum)."""
    from hypothesis import strategies as st

    rng = ctx.rng()
    out = []
    for k in range(2):
        w, I, t, p = _s11_linear_unit(rng)
        masks, probs = _enum.enumerate_masks(w.size, p)
        Ds = []
        for tt in (t, t + 1.7):
            EG = probs @ _s11_mask_grads(w, I, tt, masks)
            Ds.append(EG - th.eq144(w, I, tt, p))
        out.append(_s11_vec(ctx, {"unit": k, "kind": "linear", "what": "D(t) = D(t + 1.7)"}, Ds[0],
                            Ds[1], _s11_linear_scale(w, I, t + 1.7)))
        w, I, t, p, c, lam = _s11_sigmoid_unit(rng)
        Ds = []
        for tt in (t, 1 - t):
            EG = _s11_expected_sigmoid_grad(w, I, tt, p, c, lam)
            Ds.append(EG - th.eq159_forms(w, I, tt, p, c, lam, as_printed=False)[0])
        out.append(_s11_vec(ctx, {"unit": k, "kind": "logistic", "what": "D(t) = D(1 − t)"}, Ds[0],
                            Ds[1], lam * float(np.max(np.abs(I)))))

    def bounded_and_vanishing(args):
        U, c, lam = args
        x = lam * U - math.log(c)  # λσ'(U) = λ²σ(x)σ(−x), without the cancellation of 1 − σ
        d = lam * lam * float(special.expit(x) * special.expit(-x))
        return _le(d, lam * lam / 4) and _le(d, lam * lam * max(c, 1 / c) * math.exp(-lam * abs(U)))

    out.append(_search(ctx, bounded_and_vanishing, st.tuples(st.floats(-30, 30), st.floats(0.05, 20),
                                                             st.floats(0.05, 10)),
                       {"what": "λσ'(U) ≤ λ²/4 and ≤ λ²max(c, 1/c)e^{−λ|U|} (→ 0 as U → ±∞)"}))
    out.append(_search(ctx, lambda q: _le(q * (1 - q), 0.25), st.floats(0, 1),
                       {"what": "Var δ = p(1 − p) ≤ ¼ = its value at p = ½"}))
    return out


@CATALOG.claim(
    "sec11_5.a_sign", label="Sec. 11.5 (after Eq. 188)", kind=Kind.INEQUALITY,
    statement="A need not be positive (a requirement for a weight decay): σ''(x) is negative for "
              "x > 0.5 for the standard sigmoid.")
def sec11_5_a_sign(ctx: Context) -> list[CaseResult]:
    """(a) A search over x > 0.5 for σ''(x) > 0 (c = λ = 1; as printed, true, since σ'' < 0 for
    every x > 0); (b) the coefficient A = Σ_k E(∂E_D/∂S_k)w_ki·p_iσ''(U_i)Var(δ_jO_j) of
    Eq. 183/187/188 over 12 random two-layer networks (first-layer weights): the claim holds
    when some A < 0 and some A > 0 (REFUTED if all share one sign)."""
    from hypothesis import strategies as st

    out = [_search(ctx, lambda x: _le(float(th.d2sigma(x)), 0.0, scale=float(th.dsigma(x))),
                   st.floats(0.5000001, 30), {"what": "σ''(x) ≤ 0 for 0.5 < x ≤ 30 (1 − σ representable)"})]
    rng = ctx.rng()
    signs = []
    for _ in range(12):
        W1, w2, inputs, targets, p, c, lam = _s11_two_layer(rng)
        masks, probs = _enum.enumerate_masks(W1.shape[0] + W1.shape[1], p)
        q = _s11_local(W1, w2, inputs[0], float(targets[0]), p, c, lam, masks, probs, 0, 0)
        varY = float(probs @ q["Yj"] ** 2 - (probs @ q["Yj"]) ** 2)
        signs.append(float(probs @ q["B"]) * float(th.eq187_w_term(q["Ui"], 1.0, q["pi"], varY, c, lam)))
    signs = np.asarray(signs)
    ok = ctx.le(float(signs.min()), 0.0) and ctx.ge(float(signs.max()), 0.0)
    out.append(CaseResult({"what": "A of both signs", "networks": signs.size},
                          Verdict.CONFIRMED if ok else Verdict.REFUTED, None,
                          _exact_est(float(np.mean(signs < 0)), signs.size), None, None,
                          f"{int(np.sum(signs < 0))}/{signs.size} networks with A < 0 "
                          f"(range {signs.min():.3g} … {signs.max():.3g})"))
    return out


# ------------------------------------------------------------------------------------------
# Sections 11.6–11.7: dropin, the three learning phases and sparse coding (Figs. 11.1–11.3)
# ------------------------------------------------------------------------------------------
#
# Evidence: the dropout-trained digits network of the next block (64-128×4-10, logistic,
# p = 0.8 input / 0.5 hidden, 200 epochs of Adam from N(0, 0.01²) weights, 14 snapshots;
# sim.digits_classifier) and the same network trained with dropin (units not kept set to 1)
# and without noise (sim.digits_noise_classifier, same split, initial weights, minibatch order
# and optimiser; training seeds 0 and 1 at standard precision, 0 at quick). Dropin subnetworks
# are drawn with the dropout kernel on the mirrored network (sim.mirror_dropin: O → 1 − O,
# I → 1 − I, b → −b − Σ_j w_ij is an exact identity, unit by unit and subnetwork by
# subnetwork). What transfers from the paper's MNIST 784-1200×4-10 network: the architecture
# (four logistic hidden layers, one logistic output per class), the dropout rates, training
# from small random weights to convergence, and the per-input Monte Carlo over subnetworks.
# What does not: the width (128 vs 1200; ~45 instead of ≥ 100 active units per layer and
# input, so Fig. 11.3 pools 10 inputs), the input (64 pixels, ~half of them 0, vs 784, ~80 %
# 0), and the optimiser (Adam, 200 epochs, vs SGD, 100 epochs in Fig. 11.3). Findings: dropin
# does not learn (test accuracy at chance, 9–10 %, against 96–97 % with dropout or no noise);
# at the dropout-trained network's activities dropin noise gives 3.5–9× the variance of S
# (Eq. 189 with O → 1 − O), but dropin *training* does not maximise variances: within one
# epoch it saturates the hidden units and ends with ~500× smaller dropout variances than
# dropout training (it minimises the variance by discarding the signal). The three phases,
# the larger growth for units moving towards 1 and the sparsity hold; Fig. 11.3's "the
# standard deviation does not increase for the higher layers" does not: the top hidden layer's
# active units have a ~26 % larger dropout SD than the first layer's.


def _noise_seeds(ctx: Context) -> tuple:
    """Training seeds of the dropin / dropout / no-noise comparison (each training is
    deterministic; the run seed does not enter)."""
    return sim.NOISE_SEEDS[:1] if ctx.precision.scale < 0.5 else sim.NOISE_SEEDS


def _paired_worse(ctx: Context, params: dict, bad, good, what: str) -> CaseResult:
    """The test error of ``bad`` exceeds that of ``good`` (per-image correctness arrays on the
    same test images): mean paired difference D = acc(good) − acc(bad) with the SE of paired
    per-image differences; CONFIRMED when D exceeds the (δ-raised) bound 0 by more than the
    one-sided critical value, REFUTED when it is significantly below it, INCONCLUSIVE between."""
    bad = np.asarray(bad, float)
    good = np.asarray(good, float)
    d = good - bad
    n = d.size
    D = float(d.mean())
    se = float(d.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0
    b = float(ctx.tighten(0.0, "lower", scale=float(good.mean())))
    crit = ctx.critical(None, one_sided=True)
    z = (D - b) / se if se > 0 else (math.inf if D > b else -math.inf)
    v = Verdict.CONFIRMED if z > crit else (Verdict.REFUTED if z < -crit else Verdict.INCONCLUSIVE)
    est = Estimate(D, se, n, "monte_carlo")  # the test images: a random sample of the data
    return CaseResult(params, v, b, est, float(z) if math.isfinite(z) else None, crit * se,
                      f"{what}: test accuracy {good.mean():.1%} vs {bad.mean():.1%} on {n} "
                      f"images, paired difference {D:.3f} ± {se:.3f} (z = {z:.1f}, needs > "
                      f"{crit:.2f})", one_sided=True)


@CATALOG.claim(
    "sec11_6.dropin_does_not_work", label="Sec. 11.6", kind=Kind.BOUND,
    statement="Dropin (units randomly and independently set to 1 rather than 0) behaves very "
              "differently from dropout and does not work: a network trained with dropin has a "
              "larger test error than the same network trained with dropout, and no smaller a "
              "test error than the same network trained without noise.")
def sec11_6_dropin_fails(ctx: Context) -> list[CaseResult]:
    """"Although superficially symmetric to dropout, simulations show that dropin behaves
    very differently and in fact does not work." Measured on the digits network (see the
    block comment): for each training seed, the dropin-, dropout- and noise-free-trained
    networks (same split, initial weights and minibatch order), each predicting with its
    deterministic ensemble network (dropin: each unit feeds pO + 1 − p forward). "Does not
    work" = the test error of dropin is not smaller than without noise (one-sided: REFUTED if
    dropin is significantly better) and is larger than with dropout (CONFIRMED only when
    significantly larger), on the paired per-image differences (449 test images). A measurement
    case compares dropin with chance (the most frequent test class). Dropin stays at chance
    (9–10 %) for every seed, also after 600 epochs, with input noise off (p_in = 1) or on
    inverted images; dropout reaches 96–97 % for training seeds 0, 1, 2, no noise 97 % for seeds
    0 and 1 (at seed 2 it stays on the initial plateau, 10 %, for 200 epochs: training from N(0,
    0.01²) weights without noise is fragile too). The mirror identity (sim.mirror_dropin) makes
    dropin *exactly* dropout on the network with biases −b − Σ_j w_ij, inputs 1 − I and targets
    1 − t (same loss): the failure lies in training — the coordinates the optimiser sees
    (b' = −b − Σ_j w_ij couples each bias to all weights of its unit) and the data the
    equivalent dropout network learns (inverted inputs, one-cold targets) — not in the function
    class or the noise law (which cause it is was not isolated here)."""
    out = []
    for seed in _noise_seeds(ctx):
        di = sim.digits_noise_classifier("dropin", seed)
        do = sim.digits_noise_classifier("dropout", seed)
        no = sim.digits_noise_classifier("none", seed)
        out.append(_paired_worse(ctx, {"training seed": seed, "vs": "dropout"}, di.test_correct,
                                 do.test_correct, "dropout vs dropin"))
        d = no.test_correct.astype(float) - di.test_correct.astype(float)
        se = float(d.std(ddof=1) / math.sqrt(d.size))
        out.append(judge.lower_bound({"training seed": seed, "vs": "no noise (not better)"}, 0.0,
                                     Estimate(float(d.mean()), se, d.size, "monte_carlo"), ctx,
                                     scale=float(no.test_accuracy),
                                     detail=f"no noise {no.test_accuracy:.1%} vs dropin "
                                            f"{di.test_accuracy:.1%} on {d.size} images"))
        from dropmc.simulations.datasets import load_digits_split

        yt = load_digits_split(0.25, seed=seed)[3]
        chance = float(np.bincount(yt).max() / yt.size)
        out.append(CaseResult({"training seed": seed, "vs": "chance"}, Verdict.CONFIRMED, chance,
                              Estimate(di.test_accuracy, 0.0, yt.size, "closed_form"), None, None,
                              f"dropin test accuracy {di.test_accuracy:.1%}, chance (largest "
                              f"class) {chance:.1%}; accuracy per snapshot epoch: " +
                              ", ".join(f"{e}: {a:.0%}" for e, a in di.accuracy_curve),
                              role="measurement"))
    return out


def _single_layer_noise(net, h: int):
    """``net`` with units kept with probability 1 except the layer h − 1 feeding layer h."""
    ps = tuple(p if l == h - 1 else 1.0 for l, p in enumerate(net.ps))
    return sim.DropoutMLP(net.Ws, net.bs, ps)


def _var_S(mc):
    """Var(S) per unit-input with per-chunk deviations (delta method)."""
    m1, m2 = mc.mean["S"], mc.mean["S2"]
    return m2 - m1 ** 2, mc.dev("S2") - 2 * m1[:, None] * mc.dev("S")


@CATALOG.claim(
    "sec11_6.eq189_dropin", label="Eq. 189 (Sec. 11.7), for dropin (Sec. 11.6)",
    kind=Kind.IDENTITY,
    statement="With noise only in layer h − 1, whose outputs O_j are then constants, Var(S_i^h) "
              "= Σ_j (w_ij)² (O_j)² p_j(1 − p_j) under dropout (Eq. 189) and Σ_j (w_ij)² "
              "(1 − O_j)² p_j(1 − p_j) under dropin (units not kept set to 1).")
def sec11_6_eq189(ctx: Context) -> list[CaseResult]:
    """Eq. 189 and its dropin analogue (the dropin unit is O_j + (1 − δ_j)(1 − O_j), a
    Bernoulli shift of size 1 − O_j) on the dropout-trained digits network after training, for
    each layer h = 1 … 5 with the noise in layer h − 1 only (keep probability 1 elsewhere; the
    input layer for h = 1): Monte Carlo Var(S_i) of every unit of layer h, 5 of the 10 inputs
    × 1,000 subnetworks each, against the closed form (sim.noise_var_S_closed); per layer and
    noise one family test (judge.identity_family: the units of a layer share draws, so the
    largest |z| against the Bonferroni threshold; batch-means SEs, delta method). Dropin is
    drawn with the dropout kernel on the mirrored network (S → −S: same variance)."""
    c = sim.digits_classifier()
    net = c.final
    X = sim.digits_inputs(5)
    n = ctx.budget(1_000, minimum=256)
    out = []
    for noise in ("dropout", "dropin"):
        for h in range(1, len(net.Ws) + 1):
            nh = _single_layer_noise(net, h)
            mc = sim.estimate_noise_moments(nh, X, noise, n=n, rng=ctx.stream())
            V, dV = _var_S(mc)
            se = mc.se(dV)
            th_v = sim.noise_var_S_closed(nh, X, noise)
            m = np.broadcast_to(mc.layer == h, V.shape)
            ests = [Estimate(float(v), float(e), n, "monte_carlo", mc.seed, dof=mc.dof)
                    for v, e in zip(V[m], se[m])]
            out.append(judge.identity_family({"noise": noise, "layer h": h}, th_v[m], ests, ctx,
                                             detail=f"mean Var(S) {V[m].mean():.4g} (closed "
                                                    f"form {th_v[m].mean():.4g})"))
    return out


@CATALOG.claim(
    "sec11_6.dropin_larger_variance", label="Sec. 11.6; Sec. 11.7 (after Eq. 189)",
    kind=Kind.BOUND,
    statement="Setting units to 1 (dropin) gives larger variances than setting them to 0 "
              "(dropout): at the activities of the dropout-trained network, the variance "
              "Var(S) of Eq. 189 under dropin exceeds that under dropout in every layer.")
def sec11_6_dropin_larger(ctx: Context) -> list[CaseResult]:
    """"setting units to 1 tends to maximize variances, rather than minimizing them" and, after
    Eq. 189, "Small activities, which show that dropout is not symmetric with respect to small
    or large activities, hence the failure of dropin". Read at a fixed network: the
    dropout-trained digits network after training, its activities below each layer from the
    ensemble network (Eq. 98) on the 10 inputs; Eq. 189 with x_j = O_j (dropout) or 1 − O_j
    (dropin), noise in layer h − 1 only (the exact closed form, checked by sec11_6.eq189_dropin).
    Criterion: in every layer the mean dropin Var(S) over unit-inputs exceeds the mean dropout
    Var(S) (exact; in power runs the dropout side is raised by δ × the dropin side). A
    measurement case per layer gives the full-network Monte Carlo Var(O) under both noises
    (noise in every layer): there dropin's variance is *not* larger in every layer (the shifted
    mean input saturates some units), so "maximize" holds for S, not for O."""
    c = sim.digits_classifier()
    net = c.final
    X = sim.digits_inputs()
    U, Wd = net.ensemble_flat(X)
    off = np.concatenate([[0], np.cumsum(net.sizes[1:])])
    out = []
    for h, (Wl, p) in enumerate(zip(net.Ws, net.ps), start=1):
        below = X if h == 1 else Wd[:, off[h - 2]:off[h - 1]]
        vo = (below ** 2) @ (Wl ** 2).T * p * (1 - p)
        vi = ((1 - below) ** 2) @ (Wl ** 2).T * p * (1 - p)
        r = float(vi.mean() / vo.mean())
        out.append(judge.lower_bound({"layer h": h}, float(vo.mean()),
                                     Estimate(float(vi.mean()), 0.0, vo.size, "closed_form"), ctx,
                                     scale=float(vi.mean()),
                                     detail=f"mean Var(S) dropin {vi.mean():.4g} vs dropout "
                                                 f"{vo.mean():.4g} (ratio {r:.2f}); dropin larger "
                                                 f"for {np.mean(vi > vo):.1%} of {vo.size} "
                                                 f"unit-inputs; mean activity below "
                                                 f"{below.mean():.3f}"))
    n = ctx.budget(2_000, minimum=256)
    mo = sim.estimate_noise_moments(net, X, "dropout", n=n, rng=ctx.stream())
    mi = sim.estimate_noise_moments(net, X, "dropin", n=n, rng=ctx.stream())
    Vo, Vi = mo.V()[0], mi.V()[0]
    for h in range(1, len(net.Ws) + 1):
        m = mo.layer == h
        out.append(CaseResult({"layer h": h, "what": "Var(O), noise in every layer"},
                              Verdict.CONFIRMED, float(Vo[:, m].mean()),
                              Estimate(float(Vi[:, m].mean()), 0.0, n, "monte_carlo"), None, None,
                              f"mean Var(O) dropin {Vi[:, m].mean():.4g} vs dropout "
                              f"{Vo[:, m].mean():.4g}", role="measurement"))
    return out


def _mean_hidden_var(mc, sel=None):
    """Mean Var(O) over the hidden unit-inputs (optionally a boolean selection (n_in, N)),
    with its batch-means SE."""
    V, dV = mc.V()
    m = np.broadcast_to(mc.layer < mc.layer.max(), V.shape)
    if sel is not None:
        m = m & sel
    return _net_mean_stat(mc, V, dV, m)


@CATALOG.claim(
    "sec11_6.dropin_training_maximizes_variance", label="Sec. 11.6", kind=Kind.BOUND,
    statement="Training with dropin tends to maximize the variances of the units across "
              "subnetworks rather than minimizing them: after training, the dropin variances of "
              "the hidden units of the dropin-trained network exceed the dropout variances of "
              "the dropout-trained network.")
def sec11_6_dropin_training(ctx: Context) -> list[CaseResult]:
    """The dynamic reading of "setting units to 1 tends to maximize variances, rather than
    minimizing them" (the reason given for the failure of dropin). The dropin-trained and the
    dropout-trained digits networks of each training seed after 200 epochs; for the 10 inputs,
    2,000 subnetworks each, the mean Var(O) over hidden unit-inputs under each network's own
    noise; one-sided test of mean Var(dropin) ≥ mean Var(dropout) on their difference (SEs
    combined; independent draws). REFUTED by a factor of several hundred: dropin training
    saturates hidden layers 2–4 within the first epoch (their mean Var(O) falls to 1e-6 …
    1e-11, layer 1 to 1.5e-4, against 0.013–0.026 with dropout) and
    the network ends insensitive to its input — it minimises the variance too, by discarding
    the signal, which is why it does not learn. The fixed-network reading
    (sec11_6.dropin_larger_variance) holds."""
    n = ctx.budget(2_000, minimum=256)
    X = sim.digits_inputs()
    out = []
    for seed in _noise_seeds(ctx):
        ni = sim.digits_noise_classifier("dropin", seed).final
        no = sim.digits_noise_classifier("dropout", seed).final
        mi = sim.estimate_noise_moments(ni, X, "dropin", n=n, rng=ctx.stream())
        mo = sim.estimate_noise_moments(no, X, "dropout", n=n, rng=ctx.stream())
        vi, si = _mean_hidden_var(mi)
        vo, so = _mean_hidden_var(mo)
        per = [float(mi.V()[0][:, mi.layer == l].mean()) for l in range(1, mi.layer.max())]
        out.append(judge.lower_bound({"training seed": seed}, 0.0,
                                     _net_est(mi, vi - vo, math.hypot(si, so)), ctx, scale=vo,
                                     detail=f"mean hidden Var(O): dropin-trained {vi:.3g} "
                                            f"(layers 1–4: {', '.join(f'{v:.2g}' for v in per)})"
                                            f" vs dropout-trained {vo:.3g} (ratio {vo / vi:.0f}×)"))
    return out


@CATALOG.claim(
    "sec11_6.dropin_training_corrected", label="Sec. 11.6", kind=Kind.BOUND, as_printed=False,
    corrects="sec11_6.dropin_training_maximizes_variance",
    statement="Dropin training minimises the variances of the units too, by making the network "
              "insensitive to its input: after training, the mean dropin variance of the hidden "
              "units of the dropin-trained network is below the mean dropout variance of the "
              "dropout-trained network, and the activities of its hidden layers 2–4 and its "
              "outputs vary across test inputs by less than 1 % of the dropout-trained "
              "network's.")
def sec11_6_dropin_corrected(ctx: Context) -> list[CaseResult]:
    """What dropin training does on the digits network (see sec11_6.dropin_training_maximizes
    _variance): it drives the units of hidden layers 2–3 towards 1 and those of layer 4
    towards 0 within the first epoch, where the dropin variance (Eq. 189 with 1 − O) and the
    dropin noise no longer reach the output — and neither does the input: the network predicts
    a constant (the class prior), hence chance accuracy. Cases per training seed: (a) mean
    hidden Var(O) under dropin of the dropin-trained network ≤ that of the dropout-trained
    network under dropout (one-sided, batch-means SEs, 10 inputs × 2,000 subnetworks); (b) for
    each of layers 2–5, the mean over units of the standard deviation across the 449 test
    images of the ensemble activity is at most 1 % of the dropout-trained network's (exact).
    Layer 1 still varies (4 % of dropout's): the input reaches the first layer only."""
    from dropmc.simulations.datasets import load_digits_split

    n = ctx.budget(2_000, minimum=256)
    X = sim.digits_inputs()
    out = []
    for seed in _noise_seeds(ctx):
        ci = sim.digits_noise_classifier("dropin", seed)
        co = sim.digits_noise_classifier("dropout", seed)
        mi = sim.estimate_noise_moments(ci.final, X, "dropin", n=n, rng=ctx.stream())
        mo = sim.estimate_noise_moments(co.final, X, "dropout", n=n, rng=ctx.stream())
        vi, si = _mean_hidden_var(mi)
        vo, so = _mean_hidden_var(mo)
        out.append(judge.upper_bound({"training seed": seed, "what": "mean hidden Var(O)"}, vo,
                                     _net_est(mi, vi, math.hypot(si, so)), ctx,
                                     detail=f"dropin-trained {vi:.3g} vs dropout-trained {vo:.3g}"))
        Xt = load_digits_split(0.25, seed=seed)[2]
        Wi = sim.noise_ensemble_flat(ci.final, Xt, "dropin")[1]
        Wo = sim.noise_ensemble_flat(co.final, Xt, "dropout")[1]
        lay = ci.final.unit_layer()
        for l in range(2, int(lay.max()) + 1):
            a = float(Wi[:, lay == l].std(axis=0).mean())
            b = float(Wo[:, lay == l].std(axis=0).mean())
            out.append(judge.upper_bound({"training seed": seed, "layer": l,
                                          "what": "spread of the activities across test images"},
                                         0.01 * b, Estimate(a, 0.0, Xt.shape[0], "closed_form"),
                                         ctx, scale=0.01 * b,
                                         detail=f"mean SD across images: dropin-trained {a:.2g}, "
                                                f"dropout-trained {b:.3g} (mean activity "
                                                f"{Wi[:, lay == l].mean():.3f} vs "
                                                f"{Wo[:, lay == l].mean():.3f})"))
    return out


def _phase_mc(ctx: Context, epoch: int):
    """net's memoised Monte Carlo of the digits network at a snapshot (2,000 subnetworks per
    input at standard precision, as its Figs. 9.10–9.11 claims)."""
    return _net(ctx, epoch, n_std=_NET_N_TIME)


@CATALOG.claim(
    "sec11_7.phase1_start", label="Sec. 11.7 (phase 1)", kind=Kind.APPROXIMATION,
    statement="At the beginning of learning, when the weights are random and very small, the "
              "output of the units is roughly constant across subnetworks and equal to 0.5 "
              "(c = 1): |E(O) − 0.5| and the dropout standard deviation of O vanish with the "
              "weight scale s, to first order.")
def sec11_7_phase1(ctx: Context) -> list[CaseResult]:
    """Phase 1: "the total input to each unit is close to 0 for all the units and the
    consistency is high: the output of the units remains roughly constant across subnetworks
    (and equal to 0.5 if the logistic coefficient is c = 1.0)". The digits network before
    training (weights N(0, 0.01²), biases 0) with its weights scaled by 1, ½, …, 1/64 (s = 0.01
    … 1.6e-4); for the 10 inputs, 2,000 subnetworks each: the largest |E(O) − 0.5| and the
    largest dropout SD √Var(O) over all non-input unit-inputs. "Very small weights" makes the
    statement an approximation as s → 0; criterion: both vanish to first order in s
    (judge.order, claimed order 1: O = ½ + S/4 + O(S³), E S and SD(S) ∝ s). (The values at
    the network's own initial scale are given by fig9_9.initial_state: max |E − 0.5| < 0.05.)"""
    net0 = sim.digits_classifier().initial
    X = sim.digits_inputs()
    n = ctx.budget(2_000, minimum=256)
    fs = 0.5 ** np.arange(7)
    dev, sd = [], []
    for f in fs:
        nf = sim.DropoutMLP(tuple(W * f for W in net0.Ws), net0.bs, net0.ps)
        mc = sim.estimate_mlp_moments(nf, X, n=n, rng=ctx.stream())
        E, V = mc.E()[0], mc.V()[0]
        dev.append(float(np.max(np.abs(E - 0.5))))
        sd.append(float(np.sqrt(np.max(np.maximum(V, 0.0)))))
    s = 0.01 * fs
    return [judge.order({"what": "max |E(O) − 0.5|"}, s, 0.5 + np.array(dev),
                        np.full(fs.size, 0.5), 1.0, name="max |E(O) − 0.5|", ctx=ctx),
            judge.order({"what": "max SD(O) across subnetworks"}, s, np.array(sd),
                        np.zeros(fs.size), 1.0, name="max SD(O)", ctx=ctx)]


def _group_mean(mc, V, dV, sel):
    """Mean of V over the selected unit-inputs with its per-chunk deviation (B,)."""
    k = int(sel.sum())
    return float(V[sel].mean()), np.array([dV[:, b][sel].sum() for b in range(dV.shape[1])]) / k


@CATALOG.claim(
    "sec11_7.phase2_variance_grows", label="Sec. 11.7 (phase 2)", kind=Kind.BOUND,
    statement="As learning progresses the sizes of the weights increase, activities move "
              "towards 0 or 1, and the dropout variance of the units across subnetworks "
              "increases, more so for units that move towards 1 than for units that move "
              "towards 0.")
def sec11_7_phase2(ctx: Context) -> list[CaseResult]:
    """Phase 2 on the dropout-trained digits network, between the start (epoch 0) and the
    middle (epoch 50, test accuracy 86 %) and the end (epoch 200) of training: (a) mean |w|
    of every layer grows (exact); (b) mean |W − ½| of the ensemble activities over the hidden
    unit-inputs (10 inputs) grows (exact); (c) mean Var(O) over hidden unit-inputs grows
    (one-sided, batch-means SEs of two independent runs); (d) "more so for units that move
    towards 1": the mean increase of Var(O) of the hidden unit-inputs whose final ensemble
    activity is above ½ exceeds that of those below ½ (one-sided on the difference)."""
    c = sim.digits_classifier()
    end = c.snapshots[-1][0]
    d0 = _phase_mc(ctx, 0)
    mc0 = d0["mc"]
    V0, dV0 = mc0.V()
    hid = np.broadcast_to(mc0.layer < mc0.layer.max(), V0.shape)
    Wend = _phase_mc(ctx, end)["W"]
    up, dn = hid & (Wend > 0.5), hid & (Wend < 0.5)
    out = []
    for ep in (50, end):
        net = c.snapshot(ep)
        for l, (W1, W0) in enumerate(zip(net.Ws, c.initial.Ws), start=1):
            a1, a0 = float(np.abs(W1).mean()), float(np.abs(W0).mean())
            out.append(judge.lower_bound({"epoch": ep, "what": f"mean |w| of layer {l}"}, a0,
                                         Estimate(a1, 0.0, W1.size, "closed_form"), ctx,
                                         detail=f"mean |w| {a0:.4f} → {a1:.4f}"))
        d = _phase_mc(ctx, ep)
        mc = d["mc"]
        g1 = float(np.abs(d["W"] - 0.5)[hid].mean())
        g0 = float(np.abs(d0["W"] - 0.5)[hid].mean())
        out.append(judge.lower_bound({"epoch": ep, "what": "mean |W − ½| (hidden)"}, g0,
                                     Estimate(g1, 0.0, int(hid.sum()), "closed_form"), ctx,
                                     detail=f"mean |W − ½| {g0:.4f} → {g1:.4f}"))
        V, dV = mc.V()
        v1, dv1 = _group_mean(mc, V, dV, hid)
        v0, dv0 = _group_mean(mc0, V0, dV0, hid)
        se = math.hypot(_net_bse(mc, dv1), _net_bse(mc0, dv0))
        out.append(judge.lower_bound({"epoch": ep, "what": "mean Var(O) (hidden)"}, v0,
                                     _net_est(mc, v1, se), ctx,
                                     detail=f"mean Var(O) {v0:.3g} → {v1:.3g}"))
        u1, du1 = _group_mean(mc, V, dV, up)
        u0, du0 = _group_mean(mc0, V0, dV0, up)
        w1, dw1 = _group_mean(mc, V, dV, dn)
        w0, dw0 = _group_mean(mc0, V0, dV0, dn)
        D = (u1 - u0) - (w1 - w0)
        se = math.hypot(_net_bse(mc, du1 - dw1), _net_bse(mc0, du0 - dw0))
        out.append(judge.lower_bound({"epoch": ep, "what": "Var increase: towards 1 − towards 0"},
                                     0.0, _net_est(mc, D, se), ctx, scale=u1 - u0,
                                     detail=f"increase of mean Var(O): towards 1 ({int(up.sum())} "
                                            f"unit-inputs) {u1 - u0:.3g}, towards 0 "
                                            f"({int(dn.sum())}) {w1 - w0:.3g}"))
    return out


#: epochs of the learning phase (test accuracy 18 % → 86 %) and of convergence (97 %) on the
#: digits network, for the growth rates of sec11_7.phase3_stabilizes
_PHASE_LEARN = (5, 50)
_PHASE_END = (160, 200)


@CATALOG.claim(
    "sec11_7.phase3_stabilizes", label="Sec. 11.7 (phase 3), Fig. 11.2", kind=Kind.BOUND,
    statement="As learning converges the consistency of the units stabilizes: for a given input "
              "the dropout variance of the units becomes roughly constant.")
def sec11_7_phase3(ctx: Context) -> list[CaseResult]:
    """Phase 3, "the variance of the units across subnetworks becomes roughly constant", and
    Fig. 11.2's active neuron that "eventually settles to some steady constant consistency
    value". Per hidden layer of the dropout-trained digits network (10 inputs × 2,000
    subnetworks per snapshot): the logarithmic growth rate per epoch of the mean Var(O) over
    the converged stretch (epochs 160 → 200, test accuracy constant within 0.5 %) against that
    during learning (epochs 5 → 50, test accuracy 18 % → 86 %). Criterion for "roughly
    constant" / "settles": the rate at convergence is at most a tenth of the learning rate (an
    order of magnitude slower), one-sided on r_end − r_learn/10 (SEs of the four log-means by
    batch means and the delta method)."""
    rows = {}
    for ep in _PHASE_LEARN + _PHASE_END:
        mc = _phase_mc(ctx, ep)["mc"]
        rows[ep] = mc
    out = []
    lay = rows[_PHASE_END[1]].layer
    for l in range(1, int(lay.max())):
        lv, se = {}, {}
        for ep, mc in rows.items():
            V, dV = mc.V()
            m = np.broadcast_to(mc.layer == l, V.shape)
            v, dv = _group_mean(mc, V, dV, m)
            lv[ep] = math.log(v)
            se[ep] = _net_bse(mc, dv) / v
        a, b = _PHASE_LEARN
        e0, e1 = _PHASE_END
        r_learn = (lv[b] - lv[a]) / (b - a)
        r_end = abs(lv[e1] - lv[e0]) / (e1 - e0)
        ratio = r_end / r_learn
        se_d = math.hypot(math.hypot(se[e1], se[e0]) / (e1 - e0),
                          0.1 * math.hypot(se[b], se[a]) / (b - a))
        # r_end ≤ r_learn / 10, tested as r_end − r_learn/10 ≤ 0 (power: the bound moves by
        # δ·r_learn)
        out.append(judge.upper_bound({"layer": l}, 0.0,
                                     _net_est(rows[e1], r_end - 0.1 * r_learn, se_d), ctx,
                                     scale=r_learn,
                                     detail=f"d log(mean Var)/d epoch: {r_end:.2g} at the end "
                                            f"vs {r_learn:.2g} during learning (ratio "
                                            f"{ratio:.3f}); mean Var {math.exp(lv[a]):.3g} "
                                            f"(epoch {a}), {math.exp(lv[b]):.3g} ({b}), "
                                            f"{math.exp(lv[e0]):.3g} ({e0}), "
                                            f"{math.exp(lv[e1]):.3g} ({e1})"))
    return out


@CATALOG.claim(
    "sec11_7.phase3_near_one_vs_zero", label="Sec. 11.7 (phase 3)", kind=Kind.BOUND,
    statement="At convergence the dropout variance is small for units that have converged "
              "towards 1 and very small for units that have converged towards 0: the mean "
              "variance of the units near 0 is below that of the units near 1.")
def sec11_7_near(ctx: Context) -> list[CaseResult]:
    """"the variance of the units across subnetworks becomes roughly constant and small for
    units that have converged towards 1, and very small for units that have converged towards
    0". The dropout-trained digits network at the last two snapshots (epochs 160, 200), 10
    inputs × 10,000 subnetworks; hidden unit-inputs with ensemble activity W > 0.9 ("towards
    1") and W < 0.1 ("towards 0"). Criterion: mean Var(O) near 0 < mean Var(O) near 1
    (one-sided on the difference, batch-means SE); the ratio is reported (about 10: mean
    Var 0.047 near 1, 0.0047 near 0)."""
    c = sim.digits_classifier()
    out = []
    for ep in (c.snapshots[-2][0], c.snapshots[-1][0]):
        d = _net(ctx, ep)
        mc = d["mc"]
        V, dV = mc.V()
        hid = np.broadcast_to(mc.layer < mc.layer.max(), V.shape)
        one, zero = hid & (d["W"] > 0.9), hid & (d["W"] < 0.1)
        v1, d1 = _group_mean(mc, V, dV, one)
        v0, d0 = _group_mean(mc, V, dV, zero)
        est = _net_est(mc, v1 - v0, _net_bse(mc, d1 - d0))
        out.append(judge.lower_bound({"epoch": ep}, 0.0, est,
                                     ctx, scale=v1,
                                     detail=f"mean Var(O): near 1 ({int(one.sum())} unit-inputs) "
                                            f"{v1:.3g}, near 0 ({int(zero.sum())}) {v0:.3g} "
                                            f"(ratio {v1 / v0:.1f})"))
    return out


@CATALOG.claim(
    "fig11_1.sparse_activations", label="Fig. 11.1; Sec. 11.7 (phase 2)", kind=Kind.BOUND,
    statement="The final neuron activations of a dropout-trained network are sparse: in each "
              "hidden layer, over many input examples, most activations are close to 0 "
              "(below 0.1).")
def fig11_1_sparse(ctx: Context) -> list[CaseResult]:
    """Fig. 11.1, "Empirical distribution of final neuron activations in each layer of the
    trained MNIST classifier demonstrating the sparsity", and phase 2's "sparse representations
    tend to emerge". The dropout-trained digits network after training, ensemble activities
    (Eq. 98) of every hidden unit for every test image (449; the paper pools 1000). Criterion
    for "sparse": the majority of the activations is below 0.1 (the activity threshold of
    Fig. 11.3), one-sided on the mean over images of the per-image fraction (SE over images).
    Measurement cases: the same fractions for the network trained without noise (dropout is
    not uniformly sparser: fraction < 0.1 per hidden layer 0.72/0.70/0.65/0.68 with dropout
    vs 0.80/0.56/0.69/0.70 without) and before training (0: every activation ≈ ½)."""
    c = sim.digits_classifier()
    Xt = c.X_test
    lay = c.final.unit_layer()
    W = c.final.ensemble_flat(Xt)[1]
    Wn = sim.digits_noise_classifier("none", 0).final.ensemble_flat(Xt)[1]
    W0 = c.initial.ensemble_flat(Xt)[1]
    out = []
    for l in range(1, int(lay.max())):
        f = (W[:, lay == l] < 0.1).mean(axis=1)
        se = float(f.std(ddof=1) / math.sqrt(f.size))
        out.append(judge.lower_bound({"layer": l}, 0.5, Estimate(float(f.mean()), se, f.size,
                                                                   "monte_carlo"), ctx,
                                     detail=f"fraction of activations < 0.1: {f.mean():.3f}; "
                                            f"median activation {np.median(W[:, lay == l]):.3g}"))
        fn = float((Wn[:, lay == l] < 0.1).mean())
        f0 = float((W0[:, lay == l] < 0.1).mean())
        out.append(CaseResult({"layer": l, "what": "fraction < 0.1: no noise, before training"},
                              Verdict.CONFIRMED, float(f.mean()),
                              Estimate(fn, 0.0, f.size, "closed_form"), None, None,
                              f"dropout-trained {f.mean():.3f}, trained without noise {fn:.3f}, "
                              f"before training {f0:.3f}; mean activation "
                              f"{W[:, lay == l].mean():.3f} vs {Wn[:, lay == l].mean():.3f}",
                              role="measurement"))
    return out


def _active_sd(ctx: Context, ep: int, active):
    """Mean dropout SD √Var(O) of the selected unit-inputs per hidden layer at a snapshot:
    {layer: (mean, per-chunk deviation (B,))}, and the Monte Carlo result."""
    mc = _phase_mc(ctx, ep)["mc"]
    V, dV = mc.V()
    sd = np.sqrt(np.maximum(V, 1e-300))
    dsd = dV / (2 * sd[:, None, :])
    res = {}
    for l in range(1, int(mc.layer.max())):
        m = active & np.broadcast_to(mc.layer == l, V.shape)
        res[l] = _group_mean(mc, sd, dsd, m)
    return res, mc


@CATALOG.claim(
    "fig11_2.inactive_variance_minimal", label="Fig. 11.2 (caption)", kind=Kind.BOUND,
    statement="A typical inactive neuron quickly learns to stay silent and its dropout variance "
              "grows only minimally from the low initial value, whereas a typical active "
              "neuron's dropout variance increases during learning.")
def fig11_2_inactive(ctx: Context) -> list[CaseResult]:
    """Fig. 11.2's caption on the dropout-trained digits network, 10 inputs × 2,000
    subnetworks per snapshot; "active" and "inactive" unit-inputs (hidden) by the final
    ensemble activity (> 0.1, as Fig. 11.3, and < 0.1); "typical" = the median over the
    group. Criteria: (a) "grows only minimally … whereas an active neuron increases": the
    largest median Var(O) of the inactive group over training is at most a tenth of the final
    median Var(O) of the active group (an order of magnitude), one-sided (SE of a median by
    batch means of the chunk medians); (b) "quickly learns to stay silent": the median
    activity of the inactive group is below 0.1 by mid-training (epoch 50), exact on the
    ensemble activities."""
    c = sim.digits_classifier()
    snaps = [e for e, _ in c.snapshots]
    end = snaps[-1]
    dE = _phase_mc(ctx, end)
    Wend = dE["W"]
    hid = np.broadcast_to(dE["mc"].layer < dE["mc"].layer.max(), Wend.shape)
    act, ina = hid & (Wend > 0.1), hid & (Wend < 0.1)

    def med(mc, sel):
        V = mc.V()[0]
        Vb = mc.batch["O2"] - mc.batch["O"] ** 2            # per-chunk variances (n_in, B, N)
        mb = np.array([np.median(Vb[:, b][sel]) for b in range(Vb.shape[1])])
        return float(np.median(V[sel])), float(mb.std(ddof=1) / math.sqrt(mb.size))

    rows = [(ep,) + med(_phase_mc(ctx, ep)["mc"], ina) for ep in snaps]
    k = int(np.argmax([r[1] for r in rows]))
    ep_k, v_k, se_k = rows[k]
    mcE = dE["mc"]
    va, sa = med(mcE, act)
    out = [judge.upper_bound({"what": "peak median Var(O) of inactive ≤ ⅒ final median Var of "
                                      "active"}, va / 10,
                             _net_est(mcE, v_k, math.hypot(se_k, sa / 10)),
                             ctx, detail=f"inactive ({int(ina.sum())} unit-inputs): median Var "
                                         f"peaks at {v_k:.3g} (epoch {ep_k}), from "
                                         f"{rows[0][1]:.2g}; active ({int(act.sum())}): final "
                                         f"median Var {va:.3g}; inactive per epoch: " +
                                         ", ".join(f"{r[0]}: {r[1]:.2g}" for r in rows))]
    W50 = _phase_mc(ctx, 50)["W"]
    m50 = float(np.median(W50[ina]))
    out.append(judge.upper_bound({"what": "median activity of inactive at epoch 50 < 0.1"}, 0.1,
                                 Estimate(m50, 0.0, int(ina.sum()), "closed_form"), ctx,
                                 detail=f"median ensemble activity of the inactive group at epoch "
                                        f"50: {m50:.3g} (start 0.5)"))
    return out


@CATALOG.claim(
    "fig11_3.active_sd_upper_layers", label="Fig. 11.3 (caption)", kind=Kind.BOUND,
    statement="Consistency of active neurons (activation greater than 0.1 at the end of "
              "training) does not noticeably decline in the upper layers: the mean dropout "
              "standard deviation of the active neurons does not increase for the higher layers.")
def fig11_3_upper(ctx: Context) -> list[CaseResult]:
    """Fig. 11.3: "Note that the standard deviation does not increase for the higher layers."
    The dropout-trained digits network at the end of training (and at epoch 120, after the
    accuracy has converged), 10 inputs × 2,000 subnetworks; active = hidden unit-inputs with
    final ensemble activity > 0.1 (367–466 per layer, pooled over the 10 inputs; the paper has
    ≥ 100 per layer for one input). Criterion: for each hidden layer h = 2, 3, 4, the mean SD
    √Var(O) of its active unit-inputs is not larger than that of hidden layer 1 (one-sided on
    the difference; the delta-method SE). REFUTED in the top hidden layer: 0.241 against
    0.191 at the end (+26 %; layers 2–3 within 2 % of layer 1), 0.206 against 0.173 at epoch
    120 (+19 %; layer 3 +8 %). The network is 10× narrower than the
    paper's: with 1200 units per layer the top layer may behave differently."""
    c = sim.digits_classifier()
    end = c.snapshots[-1][0]
    dE = _phase_mc(ctx, end)
    Wend = dE["W"]
    hid = np.broadcast_to(dE["mc"].layer < dE["mc"].layer.max(), Wend.shape)
    act = hid & (Wend > 0.1)
    out = []
    for ep in (120, end):
        res, mc = _active_sd(ctx, ep, act)
        s1, d1 = res[1]
        for h in range(2, max(res) + 1):
            sh, dh = res[h]
            out.append(judge.upper_bound({"epoch": ep, "layer": h}, s1,
                                         _net_est(mc, sh, _net_bse(mc, dh - d1)), ctx,
                                         detail=f"mean SD of active neurons: layer {h} {sh:.4f} vs "
                                                f"layer 1 {s1:.4f} ({sh / s1 - 1:+.0%}); per "
                                                f"layer: "
                                                + ", ".join(f"{res[l][0]:.3f}" for l in res)))
    return out


# ------------------------------------------------------------------------------------------
# Section 9.5–9.6: the dropout-trained deep logistic classifier (Figs. 9.3–9.15)
# ------------------------------------------------------------------------------------------
#
# Evidence: the paper's network (784-1200×4-10, p = 0.8 input / 0.5 hidden, MNIST) scaled to
# scikit-learn's 8×8 digits: 64-128-128-128-128-10, all units logistic, trained with dropout
# (p = 0.8 / 0.5) by 200 epochs of Adam from N(0, 0.01²) weights (sim.digits_classifier; test
# accuracy 96.7 %), snapshots before, during and after training. For 10 fixed test inputs,
# 10,000 dropout subnetworks each (as the paper; 625 at quick precision), the Numba kernel
# sim.estimate_mlp_moments gives per unit E(O), Var(O), NWGM, E σ'(S) and E(O_iO_j) for 3000
# unconnected and 3000 connected pairs, with batch-means SEs (32 chunks per input, delta
# method); W, W_ij (Eq. 98, 121) from the deterministic ensemble network. All claims of this
# block share one Monte Carlo run per (run seed, precision, snapshot) (sim.digits_study).
# Findings on this network (standard precision, seed 1): |E − NWGM| and |E − W| exceed Section
# 8's Bound 1 for 16–45 % and 16–62 % of the unit-inputs of hidden layers 2–4 after training
# (4–19 % significantly, worst z ≈ 50–107), Bound 2 for 6–49 %, so "well within the bounds"
# fails; NWGM − E and W − E are not Gaussian in every layer (excess kurtosis 3–5 in hidden
# layers 2–4 after training: a spike of saturated units at 0 with wide tails); Eq. 202 is
# *less* accurate than Eq. 87 after training (mean error 2–5× larger, closer for only 26–34 %
# of the unit-inputs); the dropout variance grows monotonically to a plateau at the end of
# training (no maximum during learning; 0 stays the better approximation of Var(O) at every
# snapshot); the output layer's mean Var(O) exceeds its mean W(1 − W) (and about half the
# unit-inputs of hidden layers 3–4 lie above W(1 − W)). Confirmed: the deviations are centred
# and below the dropout spread of O, they stay below coherent accumulation across layers
# (0.28–0.66 of it), W_iW_j errs 0.27× as much as 0 for unconnected pairs, W_ijW_j improves
# on W_iW_j by 1.5 % of the error at the end of learning and is worse at the beginning, the
# first hidden layer is the tightest before training, and at the start E ≈ W ≈ 0.5 with
# Var ≈ 0. The network is ~10× narrower than the paper's (128 vs 1200 units per layer).

_NET_N = 10_000          # dropout subnetworks per input at standard precision (as the paper)
_NET_N_TIME = 2_000      # per input and snapshot for the temporal evolution (Figs. 9.10, 9.11)
_NET_PAIRS = 3_000       # unconnected and connected pairs (the paper: 100,000 of each)
_NET_HIDDEN = (1, 2, 3, 4)


def _net(ctx: Context, epoch: int, pairs: int = 0, n_std: int = _NET_N) -> dict:
    return sim.digits_study(int(epoch), ctx.budget(n_std, minimum=256), ctx.seed, pairs)


def _net_stages():
    """(name, epoch) of the snapshots before and after training."""
    return (("before training", 0), ("after training", sim.digits_classifier().snapshots[-1][0]))


def _net_bse(mc, dev_b) -> float:
    """Batch-means SE of a scalar whose per-chunk linearised deviation is ``dev_b`` (B,)
    (deviations of the 10 independent inputs already summed per chunk index)."""
    w = mc.weights
    B = w.size
    return float(np.sqrt(B / (B - 1) * np.sum((w * dev_b) ** 2)))


def _net_mean_stat(mc, vals, devs, mask):
    """Mean over the selected (input, unit) coordinates of a statistic, with its SE."""
    k = int(mask.sum())
    m = float(vals[mask].mean())
    dev_b = np.array([devs[:, b][mask].sum() for b in range(devs.shape[1])]) / k
    return m, _net_bse(mc, dev_b)


def _net_est(mc, mean, se) -> Estimate:
    return Estimate(float(mean), float(se), int(mc.n) * mc.mean["O"].shape[0], "monte_carlo",
                    mc.seed, dof=mc.dof)


def _num_grad(f, E, V, h=1e-7):
    """Partial derivatives of f(E, V) by central differences (for delta-method SEs)."""
    return ((f(E + h, V) - f(E - h, V)) / (2 * h), (f(E, V + h) - f(E, V - h)) / (2 * h))


def _net_family_le(ctx: Context, params: dict, mc, q, dq, b, db, what: str) -> CaseResult:
    """``q ≤ b`` at every selected coordinate (values (k,), per-chunk deviations (k, B)):
    one-sided z per coordinate, the largest compared with the Bonferroni t threshold of the
    family (one-sided rate of a single z* test), the bound tightened in power runs. The SE is
    the conservative √(SE_q² + SE_b²): q and b are estimated from the same draws, and near
    E = ½ (|1 − 2E| has a kink) the delta method of their difference degenerates."""
    from scipy import stats as _st

    bt = np.asarray(ctx.tighten(b, "upper"), float)
    w = mc.weights
    B = w.size
    se = np.hypot(np.sqrt(B / (B - 1) * np.sum((w[None, :] * dq) ** 2, axis=1)),
                  np.sqrt(B / (B - 1) * np.sum((w[None, :] * db) ** 2, axis=1)))
    se = np.maximum(se, 1e-300)
    z = (q - bt) / se
    k = z.size
    z_k = float(_st.t.isf(_st.norm.sf(ctx.z_star) / k, mc.dof))
    j = int(np.argmax(z))
    ok = z[j] <= z_k
    frac = float(np.mean(q > b))
    nsig = int(np.sum(z > z_k))
    return CaseResult({**params, "coordinates": k}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                      float(bt[j]), _net_est(mc, q[j], se[j]), float(z[j]), z_k * float(se.max()),
                      f"{what}: {frac:.1%} of {k} unit-inputs above by point estimate, {nsig} "
                      f"({nsig / k:.1%}) significantly (one-sided z > {z_k:.2f}, Bonferroni over "
                      f"the layer); worst z = {z[j]:.1f}", one_sided=True)


def _net_sel(mc, layer):
    return np.broadcast_to(mc.layer == layer, mc.mean["O"].shape)


def _net_flat(mask, *arrs):
    """Select coordinates: values (n_in, N) → (k,), deviations (n_in, B, N) → (k, B)."""
    out = []
    for a in arrs:
        a = np.asarray(a)
        if a.ndim == 2:
            out.append(a[mask])
        else:
            out.append(np.moveaxis(a, 1, -1)[mask])
    return out


def _net_bounds(ctx: Context, deviation: str) -> list[CaseResult]:
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep)
        mc = d["mc"]
        E, dE = mc.E()
        V, dV = mc.V()
        if deviation == "NWGM":
            A, dA = mc.NWGM()
        else:
            A, dA = d["W"], np.zeros_like(dE)
        q = np.abs(E - A)
        dq = np.sign(E - A)[:, None, :] * (dE - dA)
        for name, f in (("Bound 1", lambda e, v: th.eq87_chain(e, v)[1]),
                        ("Bound 2", lambda e, v: th.eq87_chain(e, v)[2])):
            b = f(E, V)
            gE, gV = _num_grad(f, E, V)
            db = gE[:, None, :] * dE + gV[:, None, :] * dV
            for l in _NET_HIDDEN:
                m = _net_sel(mc, l)
                qq, bb, dqq, dbb = _net_flat(m, q, b, dq, db)
                out.append(_net_family_le(ctx, {"stage": stage, "layer": l, "bound": name}, mc,
                                          qq, dqq, bb, dbb, f"|E − {deviation}| ≤ {name}"))
    return out


@CATALOG.claim(
    "fig9_3.nwgm_within_bounds", label="Fig. 9.3, Sec. 9.5 (last paragraph)", kind=Kind.BOUND,
    statement="In a deep logistic classifier trained with dropout, for every unit of every "
              "hidden layer and each input, before and after training, |E(O) − NWGM(O)| lies "
              "within Section 8's bounds: Bound 1 = E(1 − E)|1 − 2E|/(1 − 2V) and Bound 2 = "
              "E(1 − E)|1 − 2E|/(1 − 2E(1 − E)) (Eq. 87).")
def fig9_3_nwgm_bounds(ctx: Context) -> list[CaseResult]:
    """"the deviations … well within the bounds derived in Section 8" (Sec. 9.5) and the
    left column of Fig. 9.3. The digits network (see the block comment), 10 inputs × 10,000
    subnetworks; per stage, hidden layer and bound, every unit-input is tested one-sided,
    |E − NWGM| ≤ Bound(E, V), with the SE of the difference by batch means and the delta
    method (E, V and the NWGM from the same draws); the worst z is compared with the
    Bonferroni threshold of the layer (t, 31 dof). REFUTED: after training, units of hidden
    layers 2–4 exceed both bounds by many SEs (the bounds vanish at E = ½, where E − NWGM
    need not; Section 8's curves are approximate bounds, cf. eq87.curves_bound_exact_gap).
    The network is 10× narrower than the paper's (128 vs 1200 units per layer); a one-off
    check on a 2× wider one (64-256×4-10, 100 epochs, test accuracy 97.1 %, 2,000 subnetworks)
    gave the same picture: |E − NWGM| above Bound 1 for 65 % and 44 % of the unit-inputs of
    hidden layers 3 and 4 (not registered; the trend with width is not established)."""
    return _net_bounds(ctx, "NWGM")


@CATALOG.claim(
    "fig9_3.w_within_bounds", label="Fig. 9.3, Sec. 9.5 (last paragraph)", kind=Kind.BOUND,
    statement="In a deep logistic classifier trained with dropout, for every unit of every "
              "hidden layer and each input, before and after training, |E(O) − W| (W the "
              "deterministic ensemble network, Eq. 98) lies within Section 8's Bound 1 and "
              "Bound 2 (Eq. 87).")
def fig9_3_w_bounds(ctx: Context) -> list[CaseResult]:
    """The right column of Fig. 9.3 and "how well … the deterministic values W_i^l
    approximate the true expectation … well within the bounds derived in Section 8". As
    fig9_3.nwgm_within_bounds with W exact (its SE is that of E). REFUTED after training in
    hidden layers 2–4 (W carries the propagated error β on top of α)."""
    return _net_bounds(ctx, "W")


def _net_eq202_vs_87(ctx: Context) -> list[CaseResult]:
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep)
        mc = d["mc"]
        E, dE = mc.E()
        V, dV = mc.V()
        N, dN = mc.NWGM()
        errs, derrs = [], []
        for f in (th.second_order_nwgm, th.eq202_nwgm):
            a = f(E, V)
            gE, gV = _num_grad(f, E, V)
            r = N - a
            errs.append(np.abs(r))
            derrs.append(np.sign(r)[:, None, :] * (dN - gE[:, None, :] * dE - gV[:, None, :] * dV))
        for l in _NET_HIDDEN:
            m = _net_sel(mc, l)
            e87, e202, d87, d202 = _net_flat(m, errs[0], errs[1], derrs[0], derrs[1])
            D = float(e202.mean() - e87.mean())
            se = _net_bse(mc, (d202 - d87).mean(axis=0))
            better = float(np.mean(e202 < e87))
            out.append(judge.upper_bound(
                {"stage": stage, "layer": l}, 0.0, _net_est(mc, D, se), ctx,
                scale=float(e87.mean()),
                detail=f"mean |NWGM − Eq. 202| {e202.mean():.3g} vs |NWGM − Eq. 87| "
                       f"{e87.mean():.3g}; Eq. 202 closer for {better:.0%} of unit-inputs"))
    return out


@CATALOG.claim(
    "fig9_4_5.eq202_more_accurate", label="Appendix B.1 (after Eq. 202), Figs. 9.4, 9.5",
    kind=Kind.BOUND,
    statement="In the dropout-trained classifier, the expansion around the mean (Eq. 202) "
              "approximates the NWGM slightly more accurately than Section 8's expansion around "
              "0.5 (Eq. 87, NWGM ≈ (E − V)/(1 − 2V)).")
def fig9_4_5_eq202(ctx: Context) -> list[CaseResult]:
    """"In general, this approximation is slightly more accurate than the approximation
    obtained in Section 8 by expanding around 0.5 (Eq. (87)), as shown by Figs. 9.4 and 9.5".
    Criterion ("more accurate"): per hidden layer, the mean over unit-inputs of |NWGM −
    Eq. 202| does not exceed that of |NWGM − Eq. 87| (one-sided test of the difference, SE by
    batch means, E, V and NWGM from the same draws), before and after training. Before
    training both errors are ~1e-9 and Eq. 202 is closer for ~98 % of units; after training
    (the setting of Figs. 9.4–9.5) Eq. 202's mean error is 2–5× that of Eq. 87 in every hidden
    layer: REFUTED (Eq. 202 needs V ≪ E², false for units with small E and a spread-out O)."""
    return _net_eq202_vs_87(ctx)


def _net_moments3(x):
    from scipy import stats as _st

    return float(_st.skew(x)), float(_st.kurtosis(x))


def _net_gauss(ctx: Context, deviation: str) -> list[CaseResult]:
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep)
        mc = d["mc"]
        E, dE = mc.E()
        if deviation == "NWGM":
            A, dA = mc.NWGM()
        else:
            A, dA = d["W"], np.zeros_like(dE)
        se = mc.se(dA - dE)
        for l in _NET_HIDDEN:
            m = _net_sel(mc, l)
            x, s = (A - E)[m], se[m]
            sk, ku = _net_moments3(x)
            noise = float(np.mean(s ** 2) / np.var(x))
            ok = ctx.le(abs(sk), 2.0) and ctx.le(abs(ku), 2.0)
            role = "evidence" if noise <= 0.25 else "measurement"
            txt = (f"skewness {sk:.2f}, excess kurtosis {ku:.2f} (George & Mallery: |·| ≤ 2); "
                   f"sd {x.std():.3g}; Monte Carlo noise {noise:.0%} of the variance")
            if role == "measurement":
                txt += " (noise-dominated: shown, not decided)"
            out.append(CaseResult({"stage": stage, "layer": l}, Verdict.CONFIRMED if ok or
                                  role != "evidence" else Verdict.REFUTED, 2.0,
                                  Estimate(max(abs(sk), abs(ku)), 0.0, int(x.size), "monte_carlo",
                                           mc.seed), None, None, txt, role=role))
    return out


@CATALOG.claim(
    "fig9_6.nwgm_minus_e_gaussian", label="Fig. 9.6, Sec. 9.5", kind=Kind.DISTRIBUTION,
    statement="The empirical distribution of NWGM − E over the units of each hidden layer "
              "(10 inputs) is approximately Gaussian, both before and after training; after "
              "training it is slightly asymmetric.")
def fig9_6_gauss(ctx: Context) -> list[CaseResult]:
    """Fig. 9.6's caption. Criterion for "approximately Gaussian": skewness and excess
    kurtosis of the distribution over unit-inputs within ±2 (the rule of thumb of George &
    Mallery, SPSS for Windows Step by Step, 2010), per hidden layer and stage; decided only
    where the Monte Carlo noise of the plotted values is ≤ 25 % of their variance (before
    training the deviations are ~1e-6, at the noise level: measurement). A KS test against
    the fitted normal would reject any layer at 1280 points and is not what "approximately"
    says. After training, hidden layers 2–4 have excess kurtosis 5.2, 3.0 and 3.0 (a spike of
    saturated units at 0 with heavy tails), and before training layer 1 has 2.35: REFUTED.
    The skewness ("slightly asymmetric") is shown in each case (1.3 in layer 2)."""
    return _net_gauss(ctx, "NWGM")


@CATALOG.claim(
    "fig9_7.w_minus_e_gaussian", label="Fig. 9.7, Sec. 9.5", kind=Kind.DISTRIBUTION,
    statement="The empirical distribution of W − E over the units of each hidden layer (10 "
              "inputs) is approximately Gaussian, both before and after training; after "
              "training it is slightly asymmetric.")
def fig9_7_gauss(ctx: Context) -> list[CaseResult]:
    """Fig. 9.7's caption; criterion as fig9_6.nwgm_minus_e_gaussian (skewness and excess
    kurtosis within ±2). After training hidden layers 2–4 have excess kurtosis 4.2, 2.4 and
    2.3 and skewness 1.7, 1.2 and 1.4: REFUTED (before training W − E is Monte Carlo noise
    of E: shown, not decided)."""
    return _net_gauss(ctx, "W")


@CATALOG.claim(
    "sec9_5.net_deviations_centred_small", label="Sec. 9.5 (summary), Figs. 9.6, 9.7",
    kind=Kind.APPROXIMATION,
    statement="In the dropout-trained classifier, W and NWGM(O) approximate E(O) with "
              "deviations of mean close to zero and small standard deviation, in each hidden "
              "layer, before and after training.")
def sec9_5_centred_small(ctx: Context) -> list[CaseResult]:
    """"both W_i^l and NWGM(O_i^l) can be viewed as good approximations to E(O_i^l) with small
    deviations that are approximately Gaussians with mean zero and small standard deviations".
    Criteria: "mean zero" as in sec9_4.difference_around_zero — 0 lies within the bulk of the
    deviations, |mean| − critical·SE(mean) ≤ sd; "small" — the sd of the deviations is below
    the typical dropout spread of the unit, mean √Var(O) (the error of using one random
    subnetwork, against which Section 8 measures the NWGM). Per deviation, stage and hidden
    layer (16 cases)."""
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep)
        mc = d["mc"]
        E, dE = mc.E()
        V, _ = mc.V()
        N, dN = mc.NWGM()
        for name, A, dA in (("NWGM − E", N, dN), ("W − E", d["W"], np.zeros_like(dE))):
            for l in _NET_HIDDEN:
                m = _net_sel(mc, l)
                x = (A - E)[m]
                mean, se = _net_mean_stat(mc, A - E, dA - dE, m)
                sd = float(x.std())
                spread = float(np.sqrt(np.maximum(V[m], 0)).mean())
                crit = ctx.critical(mc.dof)
                ok = ctx.le(abs(mean) - crit * se, sd) and ctx.le(sd, spread)
                out.append(CaseResult({"stage": stage, "deviation": name, "layer": l},
                                      Verdict.APPROXIMATE if ok else Verdict.REFUTED, None,
                                      _net_est(mc, mean, se), None, crit * se,
                                      f"mean {mean:.3g} ± {se:.2g}, sd {sd:.3g} (|mean|/sd "
                                      f"{abs(mean) / max(sd, 1e-300):.2f}); mean dropout sd of O {spread:.3g}"
                                      f" (sd/spread {sd / max(spread, 1e-300):.2f})"))
    return out


@CATALOG.claim(
    "sec9_5.net_no_accumulation", label="Sec. 9.5 (summary)", kind=Kind.BOUND,
    statement="In the dropout-trained classifier the deviations act like noise and cancel each "
              "other to some extent, preventing the accumulation of errors across layers.")
def sec9_5_no_accumulation(ctx: Context) -> list[CaseResult]:
    """"These deviations act like noise and cancel each other to some extent preventing the
    accumulation of errors across layers." Criterion: if the per-layer errors α^h = E − NWGM
    accumulated coherently (no cancellation), the error ε^l = E − W of layer l would reach
    Σ_{h≤l} rms(α^h); "to some extent" is read as staying below that sum: rms(ε^l) ≤
    Σ_{h≤l} rms(α^h) for l = 2 … 5 (output included), before and after training, one-sided
    with the SE of rms(ε^l) (delta method over batch means; the Monte Carlo variance of E is
    subtracted from the mean square). Before training E − W is at the Monte Carlo noise
    level (W exact, E noisy; α nearly noise-free): shown, not decided. After training ε grows
    with depth (× 2–3 from layer 1 to 4) but stays at 0.3–0.7 of the coherent sum."""
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep)
        mc = d["mc"]
        E, dE = mc.E()
        N, dN = mc.NWGM()
        eps = E - d["W"]
        seE = mc.se(dE)
        acc = 0.0
        for l in range(1, len(d["net"].Ws) + 1):
            m = _net_sel(mc, l)
            a = float(np.sqrt(np.mean((E - N)[m] ** 2)))
            acc += a
            if l == 1:
                continue
            ms2, noise = float(np.mean(eps[m] ** 2)), float(np.mean(seE[m] ** 2))
            r = math.sqrt(max(ms2 - noise, 0.0))
            k = int(m.sum())
            dev_b = (np.array([(eps[m] * dE[:, b][m]).sum() for b in range(dE.shape[1])]) / (k * r)
                     if r > 0 else np.zeros(dE.shape[1]))
            cr = judge.upper_bound({"stage": stage, "layer": l}, acc,
                                   _net_est(mc, r, _net_bse(mc, dev_b)), ctx,
                                   detail=f"rms(E − W) {r:.3g} (noise-corrected) vs Σ_h≤l "
                                          f"rms(E − NWGM) {acc:.3g} (ratio {r / acc:.2f}); Monte "
                                          f"Carlo noise {noise / ms2:.0%} of the mean square")
            if noise > 0.25 * ms2:  # E − W at the noise level (before training): not decided
                cr = CaseResult(cr.params, Verdict.CONFIRMED, cr.theory, cr.estimate, None, None,
                                cr.detail + " (noise-dominated: shown, not decided)",
                                role="measurement")
            out.append(cr)
    return out


@CATALOG.claim(
    "fig9_8_9.var_rough_upper_bound", label="Sec. 9.6 (after Eq. 118), Figs. 9.8, 9.9",
    kind=Kind.BOUND,
    statement="In the dropout-trained classifier, W(1 − W) (Eq. 117) and 0 (Eq. 118) are rough "
              "upper and lower bounds of the dropout variance Var(O) of the non-input units, "
              "before and after training.")
def fig9_8_9_rough_bounds(ctx: Context) -> list[CaseResult]:
    """"These two approximations can be viewed respectively as rough upperbounds and lower
    bounds to the variance." 0 is a true lower bound. Criterion for a *rough* upper bound
    ("rough": single units may exceed it): on average over the unit-inputs of each non-input
    layer, mean Var(O) ≤ mean W(1 − W) (one-sided, SE by batch means), before and after
    training; the share of unit-inputs above W(1 − W) is shown. After training the output
    layer's mean variance exceeds its mean W(1 − W) (W is more saturated than E, so
    W(1 − W) < E(1 − E)): REFUTED; in hidden layers 3–4 about half the units or more lie
    above."""
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep)
        mc = d["mc"]
        V, dV = mc.V()
        ww = th.eq117_var(d["W"])
        for l in range(1, len(d["net"].Ws) + 1):
            m = _net_sel(mc, l)
            mv, se = _net_mean_stat(mc, V, dV, m)
            above = float(np.mean(V[m] > ww[m]))
            out.append(judge.upper_bound({"stage": stage, "layer": l}, float(ww[m].mean()),
                                         _net_est(mc, mv, se), ctx,
                                         detail=f"mean Var {mv:.3g} vs mean W(1 − W) "
                                                f"{ww[m].mean():.3g}; Var(O) > W(1 − W) for "
                                                f"{above:.0%} of {int(m.sum())} unit-inputs"))
    return out


@CATALOG.claim(
    "fig9_9.initial_state", label="Fig. 9.9 (caption), Sec. 9.6 (after Eq. 118)",
    kind=Kind.APPROXIMATION,
    statement="At the beginning of learning, with random small weights, E(O) ≈ W ≈ 0.5, and "
              "thus Var(O) ≈ 0 whereas W(1 − W) ≈ 0.25.")
def fig9_9_initial(ctx: Context) -> list[CaseResult]:
    """The untrained network (weights N(0, 0.01²), biases 0), every non-input unit and input.
    The sentence contrasts Var ≈ 0 with W(1 − W) ≈ 0.25; criteria at 1 % of 0.25: max Var(O)
    ≤ 0.0025 and max |W(1 − W) − 0.25| ≤ 0.0025, hence "≈ 0.5" for E and W as max |· − 0.5| ≤
    0.05 (which keeps W(1 − W) within 1 % of 0.25); the Monte Carlo noise of E and V allowed
    for."""
    d = _net(ctx, 0)
    mc = d["mc"]
    E, dE = mc.E()
    V, dV = mc.V()
    Wv = d["W"]
    seE, seV = mc.se(dE), mc.se(dV)
    out = []
    j = int(np.argmax(np.abs(E - 0.5)))
    out.append(judge.approximation({"what": "E(O) ≈ 0.5 (max over units)"}, float(E.flat[j]), 0.5,
                                   _net_est(mc, E.flat[j], seE.flat[j]), max_abs=0.05, ctx=ctx))
    j = int(np.argmax(np.abs(Wv - 0.5)))
    out.append(judge.approximation({"what": "W ≈ 0.5 (max over units)"}, float(Wv.flat[j]), 0.5,
                                   max_abs=0.05, ctx=ctx))
    j = int(np.argmax(V))
    out.append(judge.approximation({"what": "Var(O) ≈ 0 (max over units)"}, float(V.flat[j]), 0.0,
                                   _net_est(mc, V.flat[j], seV.flat[j]), max_abs=0.0025, ctx=ctx))
    ww = th.eq117_var(Wv)
    j = int(np.argmax(np.abs(ww - 0.25)))
    out.append(judge.approximation({"what": "W(1 − W) ≈ 0.25 (max over units)"}, float(ww.flat[j]),
                                   0.25, max_abs=0.0025, ctx=ctx))
    return out


def _net_var_gap(d):
    """Mean over hidden unit-inputs of Var(O), |Var − W(1 − W)|, W(1 − W) − Var, with the
    per-chunk deviations of the first two (for SEs)."""
    mc = d["mc"]
    V, dV = mc.V()
    ww = th.eq117_var(d["W"])
    m = np.broadcast_to(mc.layer < mc.layer.max(), V.shape)
    k = int(m.sum())
    sgn = np.sign(V - ww)
    dv = np.array([dV[:, b][m].sum() for b in range(dV.shape[1])]) / k
    dg = np.array([(sgn * dV[:, b])[m].sum() for b in range(dV.shape[1])]) / k
    return float(V[m].mean()), float(np.abs(V - ww)[m].mean()), float((ww - V)[m].mean()), dv, dg


@CATALOG.claim(
    "sec9_6.net_zero_better_at_ends", label="Sec. 9.6 (after Eq. 118), Figs. 9.8–9.11",
    kind=Kind.BOUND,
    statement="At the beginning and the end of learning the dropout variances are small and so "
              "0 (Eq. 118) is the better approximation of Var(O) than W(1 − W) (Eq. 117).")
def sec9_6_zero_better(ctx: Context) -> list[CaseResult]:
    """"At the beginning and the end of learning, the variances are small and so '0' is the
    better approximation." Criterion: averaged over the hidden unit-inputs (as Figs. 9.10–9.11
    average over hidden units), the error of 0, mean Var(O), is below the error of W(1 − W),
    mean |Var(O) − W(1 − W)| — one-sided test of their difference (SE by batch means)."""
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep)
        mc = d["mc"]
        v, g, _, dv, dg = _net_var_gap(d)
        out.append(judge.lower_bound({"stage": stage}, 0.0, _net_est(mc, g - v, _net_bse(mc, dg - dv)),
                                     ctx, scale=g,
                                     detail=f"error of 0: mean Var {v:.3g}; error of W(1 − W): "
                                            f"{g:.3g}"))
    return out


@CATALOG.claim(
    "fig9_10_11.var_larger_during_learning", label="Sec. 9.6 (after Eq. 118), Figs. 9.10, 9.11",
    kind=Kind.BOUND,
    statement="During learning the dropout variances are larger than at the end of learning "
              "(where they are small again) and closer to their approximate upper bound "
              "W(1 − W) than to 0.")
def fig9_10_11_during(ctx: Context) -> list[CaseResult]:
    """"At the beginning and the end of learning, the variances are small and so '0' is the
    better approximation. However, during learning, variances can be expected to be larger and
    closer to their approximate upper bound W(1 − W) (Figs. 9.10 and 9.11)." Every snapshot
    of training (epochs 0 … 200), 10 inputs × 2,000 subnetworks each, averaged over the hidden
    unit-inputs. Criteria: (a) "larger during learning … small at the end": the variance falls
    back at the end — the peak mean Var(O) over the intermediate snapshots is at least twice
    the final one (one-sided, SE of peak − 2·end); (b) "closer to W(1 − W)": at some
    intermediate snapshot W(1 − W) is the better approximation, mean |Var − W(1 − W)| < mean
    Var (one-sided at the snapshot where the difference is smallest). On the digits network
    the mean variance grows monotonically to a plateau at the end of training (0 → 0.018;
    peak/end ≈ 1.0) and 0 stays the better approximation at every snapshot: both REFUTED."""
    snaps = [e for e, _ in sim.digits_classifier().snapshots]
    rows = []
    for ep in snaps:
        d = _net(ctx, ep, n_std=_NET_N_TIME)
        rows.append((ep, d["mc"]) + _net_var_gap(d))
    end = rows[-1]
    mid = rows[1:-1]
    mc = end[1]
    k = int(np.argmax([r[2] for r in mid]))
    ep_k, mc_k, v_k, _, _, dv_k, _ = mid[k]
    se = math.hypot(_net_bse(mc_k, dv_k), 2 * _net_bse(mc, end[5]))
    out = [judge.lower_bound({"what": "peak mean Var during learning ≥ 2 × mean Var at the end"},
                             2 * end[2], _net_est(mc, v_k, se), ctx,
                             detail=f"peak during learning {v_k:.3g} (epoch {ep_k}) vs end "
                                    f"{end[2]:.3g} (ratio {v_k / end[2]:.2f}); mean Var per epoch: " +
                                    ", ".join(f"{r[0]}: {r[2]:.3g}" for r in rows))]
    diffs = [r[3] - r[2] for r in mid]
    j = int(np.argmin(diffs))
    ep_j, mc_j, v_j, g_j, _, dv_j, dg_j = mid[j]
    se = _net_bse(mc_j, dg_j - dv_j)
    out.append(judge.upper_bound({"what": "W(1 − W) closer than 0 at some epoch during learning"},
                                 0.0, _net_est(mc_j, g_j - v_j, se), ctx, scale=v_j,
                                 detail=f"closest at epoch {ep_j}: mean |Var − W(1 − W)| {g_j:.3g} "
                                        f"vs mean Var {v_j:.3g}; per epoch (|Var − W(1 − W)|, Var): " +
                                        ", ".join(f"{r[0]}: ({r[3]:.3g}, {r[2]:.3g})" for r in rows)))
    return out


@CATALOG.claim(
    "fig9_12_13.eq119_much_better_than_zero", label="Sec. 9.6 (after Eq. 119), Figs. 9.12, 9.13",
    kind=Kind.BOUND,
    statement="For pairs of non-input units that are not directly connected, E(O_iO_j) ≈ "
              "W_iW_j (Eq. 119) holds before and after training, and the approximation is much "
              "better than simply using 0.")
def fig9_12_13_unconnected(ctx: Context) -> list[CaseResult]:
    """"This is confirmed by simulations (Fig. 9.12) … The approximation is much better than
    simply using 0 (Fig. 9.13)." 3000 unconnected pairs (distinct units not in adjacent
    layers) drawn uniformly, × 10 inputs. Criterion for "much better": the mean absolute
    error of W_iW_j is at most half that of 0 (mean |E(O_iO_j)|), one-sided with the SE of the
    ratio (delta method over batch means)."""
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep, pairs=_NET_PAIRS)
        mc = d["mc"]
        P, dP = mc.pair()
        k = d["unconnected"].shape[0]
        P, dP = P[:, :k], dP[:, :, :k]
        up = d["unconnected"]
        WW = th.eq119_pair(d["W"][:, up[:, 0]], d["W"][:, up[:, 1]])
        e1, e0 = float(np.abs(P - WW).mean()), float(np.abs(P).mean())
        d1 = (np.sign(P - WW)[:, None, :] * dP).sum(axis=(0, 2)) / P.size
        d0 = (np.sign(P)[:, None, :] * dP).sum(axis=(0, 2)) / P.size
        R = e1 / e0
        se = _net_bse(mc, d1 / e0 - R * d0 / e0)
        out.append(judge.upper_bound({"stage": stage, "pairs": k}, 0.5, _net_est(mc, R, se), ctx,
                                     detail=f"mean |E(OO) − W_iW_j| {e1:.3g} vs mean |E(OO) − 0| "
                                            f"{e0:.3g}: ratio {R:.3g} (criterion ≤ ½)"))
    return out


@CATALOG.claim(
    "fig9_14.eq124_small_improvement_at_end", label="Sec. 9.6 (after Eq. 124), Fig. 9.14",
    kind=Kind.BOUND,
    statement="For connected pairs (j → i), the correction E(O_iO_j) ≈ W_ij W_j (Eq. 124) "
              "provides a small improvement over W_iW_j at the end of learning but not at the "
              "beginning.")
def fig9_14_connected(ctx: Context) -> list[CaseResult]:
    """"The correction provides a small improvement at the end of learning but not at the
    beginning." 3000 connected pairs of non-input units (j in hidden layer h, i in layer
    h + 1), × 10 inputs; W_ij = σ(U_i − w_ij p_j W_j) (Eq. 121, exact removal in the ensemble
    network). Let D = mean |E(O_iO_j) − W_iW_j| − mean |E(O_iO_j) − W_ijW_j| (the improvement).
    End of learning: D > 0 (one-sided) and "small": D ≤ ½·mean |E(O_iO_j) − W_iW_j| (it removes
    less than half the error). Beginning: no improvement, D ≤ 0 (one-sided)."""
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep, pairs=_NET_PAIRS)
        mc = d["mc"]
        P, dP = mc.pair()
        k = d["unconnected"].shape[0]
        P, dP = P[:, k:], dP[:, :, k:]
        cp = d["connected"]
        Wi, Wj = d["W"][:, cp[:, 0]], d["W"][:, cp[:, 1]]
        Wij = th.eq121_removed(d["U"][:, cp[:, 0]], d["w"], d["p"], Wj)
        a, b = np.abs(P - Wi * Wj), np.abs(P - th.eq124_pair(Wij, Wj))
        da = (np.sign(P - Wi * Wj)[:, None, :] * dP).sum(axis=(0, 2)) / P.size
        db = (np.sign(P - Wij * Wj)[:, None, :] * dP).sum(axis=(0, 2)) / P.size
        D = float(a.mean() - b.mean())
        est = _net_est(mc, D, _net_bse(mc, da - db))
        det = (f"mean |E(OO) − W_iW_j| {a.mean():.4g}, mean |E(OO) − W_ijW_j| {b.mean():.4g}: "
               f"improvement {D:.3g} ({D / a.mean():+.1%})")
        if ep == 0:
            out.append(judge.upper_bound({"stage": stage, "what": "no improvement"}, 0.0, est, ctx,
                                         scale=float(a.mean()), detail=det))
        else:
            out.append(judge.lower_bound({"stage": stage, "what": "improvement"}, 0.0, est, ctx,
                                         scale=float(a.mean()), detail=det))
            out.append(judge.upper_bound({"stage": stage, "what": "small (≤ ½ of the error)"},
                                         0.5 * float(a.mean()), est, ctx, detail=det))
    return out


@CATALOG.claim(
    "fig9_15.eq220_small", label="Fig. 9.15, Eq. 220", kind=Kind.APPROXIMATION,
    statement="Over the non-input units of the dropout-trained classifier, before and after "
              "training, E(σ'(S)) ≈ σ'(E(S)) (Eq. 220): the differences shown in Fig. 9.15 are "
              "small compared with E(σ'(S)).")
def fig9_15_eq220(ctx: Context) -> list[CaseResult]:
    """Fig. 9.15 (histogram of E(σ'(S)) − σ'(E(S))) with Eq. 220, used in Section 11 as
    E(σ'(S)) ≈ σ'(U). Criterion for "≈" (no accuracy is printed): per layer and stage the rms
    difference is below the mean of E(σ'(S)) itself (the approximation errs by less than the
    quantity it approximates), one-sided with the SE of the rms (delta method). Before
    training the differences are −Var(S)/8-sized (σ' is concave at 0), ~1e-5 against 0.25;
    after training the rms is 0.4–0.9 of the mean E σ'(S) (weak, but within the criterion).
    The caption's "initial bimodal distribution" is decided in fig9_15.bimodal_before."""
    out = []
    for stage, ep in _net_stages():
        d = _net(ctx, ep)
        mc = d["mc"]
        Ed, dEd = mc.Edsig()
        ES, dES = mc.ES()
        diff = Ed - th.eq220_dsigma(ES)
        ddiff = dEd - th.d2sigma(ES)[:, None, :] * dES
        for l in range(1, len(d["net"].Ws) + 1):
            m = _net_sel(mc, l)
            x = diff[m]
            k = int(m.sum())
            rms = float(np.sqrt(np.mean(x ** 2)))
            dev_b = np.array([(diff * ddiff[:, b])[m].sum() for b in range(ddiff.shape[1])]) / (k * rms)
            out.append(judge.upper_bound({"stage": stage, "layer": l}, float(Ed[m].mean()),
                                         _net_est(mc, rms, _net_bse(mc, dev_b)), ctx,
                                         detail=f"rms of E σ'(S) − σ'(E S) {rms:.3g} (mean "
                                                f"{x.mean():.3g}) vs mean E σ'(S) {Ed[m].mean():.3g} "
                                                f"(ratio {rms / Ed[m].mean():.2f})"))
    return out


@CATALOG.claim(
    "fig9_15.bimodal_before", label="Fig. 9.15 (caption)", kind=Kind.BOUND,
    statement="Before training, the distribution of E(σ'(S)) − σ'(E(S)) over the non-input "
              "units is bimodal: the first hidden layer differs from all the other layers.")
def fig9_15_bimodal(ctx: Context) -> list[CaseResult]:
    """"The differences between the first hidden layer and all the other hidden layers are
    responsible for the initial bimodal distribution." Criterion: the two groups (hidden layer
    1; layers 2–5) are separated modes — Ashman's D = √2|μ₁ − μ₂|/√(σ₁² + σ₂²) > 2 (Ashman,
    Bird & Zepf, AJ 108, 1994: a two-normal mixture with D > 2 is cleanly separated), with the
    SE of D by the delta method over batch means. The paper attributes it to MNIST's 784
    sparse inputs and a different initial law of the first layer; the digits network has one
    initial law for all layers, yet its first layer (64 inputs kept with p = 0.8, against
    128 units kept with 0.5) still forms its own mode: −1.6e-5 against −5e-5, D ≈ 5.6. (Power
    runs move the threshold by δ·max(2, D), relative to the compared values.)"""
    d = _net(ctx, 0)
    mc = d["mc"]
    Ed, dEd = mc.Edsig()
    ES, dES = mc.ES()
    x = Ed - th.eq220_dsigma(ES)
    dx = dEd - th.d2sigma(ES)[:, None, :] * dES
    g1 = np.broadcast_to(mc.layer == 1, x.shape)
    g2 = ~g1
    stats_ = []
    for m in (g1, g2):
        v = x[m]
        k = int(m.sum())
        mu, sd = float(v.mean()), float(v.std())
        dmu = np.array([dx[:, b][m].sum() for b in range(dx.shape[1])]) / k
        dsd = np.array([((v - mu) * dx[:, b][m]).sum() for b in range(dx.shape[1])]) / (k * sd)
        stats_.append((mu, sd, dmu, dsd))
    (m1, s1, dm1, ds1), (m2, s2, dm2, ds2) = stats_
    q = math.sqrt(s1 ** 2 + s2 ** 2)
    D = math.sqrt(2) * abs(m1 - m2) / q
    sgn = 1.0 if m1 > m2 else -1.0
    dD = math.sqrt(2) * sgn * (dm1 - dm2) / q - D * (s1 * ds1 + s2 * ds2) / q ** 2
    return [judge.lower_bound({"what": "Ashman's D, layer 1 vs layers 2–5, before training"}, 2.0,
                              _net_est(mc, D, _net_bse(mc, dD)), ctx, scale=D,
                              detail=f"layer 1: mean {m1:.3g}, sd {s1:.3g}; layers 2–5: mean "
                                     f"{m2:.3g}, sd {s2:.3g}; D = {D:.2f} (> 2: separated modes)")]


@CATALOG.claim(
    "fig9_6.layer_one_tight_before", label="Figs. 9.6, 9.7 (captions)", kind=Kind.BOUND,
    statement="Before training, the distribution of NWGM − E (and of W − E) in the first hidden "
              "layer is particularly tight, tighter than in the other hidden layers.")
def fig9_6_layer_one(ctx: Context) -> list[CaseResult]:
    """"The distribution in layer one before training is particularly tight simply because the
    input to the network (MNIST data) is relatively sparse." Decided: the sd of NWGM − E over
    the unit-inputs of hidden layer 1 is below that of each of hidden layers 2–4 before
    training (one-sided on the difference of sds, delta method over batch means). The cause
    ("MNIST is sparse") does not transfer: about half the digits' pixels are 0 (MNIST ~80 %);
    the first layer is tight here because its input carries no hidden-unit dropout noise.
    W − E before training is at the Monte Carlo noise level (W exact, E noisy): shown as a
    measurement."""
    d = _net(ctx, 0)
    mc = d["mc"]
    E, dE = mc.E()
    N, dN = mc.NWGM()
    x, dx = N - E, dN - dE

    def sd_dev(l):
        m = _net_sel(mc, l)
        v = x[m]
        c = v - v.mean()
        s = float(v.std())
        k = int(m.sum())
        dev_b = np.array([(c * dx[:, b][m]).sum() for b in range(dx.shape[1])]) / (k * s)
        return s, dev_b

    s1, d1 = sd_dev(1)
    out = []
    for l in (2, 3, 4):
        sl, dl = sd_dev(l)
        out.append(judge.upper_bound({"what": "sd(NWGM − E) layer 1 ≤ layer " + str(l)}, sl,
                                     _net_est(mc, s1, _net_bse(mc, d1 - dl)), ctx,
                                     detail=f"sd layer 1 {s1:.3g} vs layer {l} {sl:.3g} "
                                            f"(ratio {s1 / sl:.2f})"))
    seE = mc.se(dE)
    w = [(float((d["W"] - E)[_net_sel(mc, l)].std()), float(np.sqrt(np.mean(seE[_net_sel(mc, l)] ** 2))))
         for l in _NET_HIDDEN]
    out.append(CaseResult({"what": "sd(W − E) per hidden layer (Monte Carlo noise)"}, Verdict.CONFIRMED,
                          None, None, None, None,
                          "; ".join(f"layer {l}: {a:.3g} (noise {b:.3g})" for l, (a, b) in
                                    zip(_NET_HIDDEN, w)), role="measurement"))
    return out


# ------------------------------------------------------------------------------------------
# Section 10: spiking neurons and backpercolation (Eq. 125–138)
# ------------------------------------------------------------------------------------------
#
# Evidence: exact enumeration of every spiking (coin-flip) configuration or dropout mask of
# small networks, so the identities are decided to floating-point precision; the "≈" of
# Eq. 132 / Fig. 10.2 by the order of its error as the weights shrink (scale s → 0).
# Findings: Eq. 130–138 hold as printed (Eq. 138's "r Var" is r_i^h Var); the deterministic
# network approximates both stochastic networks to second order in the weights; the variance
# comparison after Eq. 138 holds for fixed O (Eq. 135 vs 137: the difference is rO(r − O)).


def _s10_net(rng, n_in: int = 3, h: int = 3, scale: float = 1.0):
    """A random two-layer spiking/dropout network: weights, input firing probabilities O_in,
    spike sizes (keep probabilities) r_in, r_h in (0.2, 1], random c, λ."""
    W1 = scale * rng.standard_normal((h, n_in))
    w2 = scale * rng.standard_normal(h)
    O_in = rng.uniform(0.1, 0.9, n_in)
    r_in = rng.uniform(0.2, 1.0, n_in)
    r_h = rng.uniform(0.2, 1.0, h)
    c, lam = float(rng.uniform(0.5, 2.0)), float(rng.uniform(0.5, 2.0))
    return W1, w2, O_in, r_in, r_h, c, lam


def _s10_spiking_enum(W1, w2, O_in, r_in, r_h, c, lam, *, connection: bool = False) -> dict:
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


def _s10_dropout_enum(W1, w2, O_in, r_in, r_h, c, lam) -> float:
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
def eq130_134(ctx: Context) -> list[CaseResult]:
    """Two-layer spiking networks (3 spiking inputs with firing probabilities O_in, 3 spiking
    hidden units, a logistic output; random weights, spike sizes r ∈ (0.2, 1], c, λ), every
    spiking configuration enumerated (64 global, 4096 connection-specific): Eq. 130/131 for the
    hidden spikes, Eq. 133/134 for the hidden and output sums, and the equality of Eq. 132,
    NWGM(O_out) over the configurations = σ(E(S_out)), all exact."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        W1, w2, O_in, r_in, r_h, c, lam = _s10_net(rng)
        for conn in (False, True):
            rin = rng.uniform(0.2, 1.0, W1.shape) if conn else r_in
            e = _s10_spiking_enum(W1, w2, O_in, rin, r_h, c, lam, connection=conn)
            P = e["prob"]
            EO1 = P @ e["O1"]
            prm = {"network": k, "firing": "connection-specific" if conn else "global", "c": c,
                   "lam": lam}
            out.append(_s11_vec(ctx, {**prm, "eq": "130/131: E(Δ) = rE(O), hidden"},
                                r_h * EO1, P @ e["D1"], float(np.max(r_h))))
            ES1 = (W1 * rin) @ O_in if conn else W1 @ (r_in * O_in)
            sc1 = float(np.max(np.abs(W1) @ np.ones(W1.shape[1])))
            out.append(_s11_vec(ctx, {**prm, "eq": "133/134: E(S), hidden"}, ES1, P @ e["S1"], sc1))
            ES2 = float(P @ e["S2"])
            out.append(_s11_vec(ctx, {**prm, "eq": "133: E(S_out) = Σ w r E(O)"},
                                [w2 @ (r_h * EO1)], [ES2], float(np.abs(w2).sum())))
            nw = th.weighted_means(e["O2"], P / P.sum())["NWGM"]
            out.append(judge.identity({**prm, "eq": "132: NWGM(O_out) = σ(E(S_out))"},
                                      float(th.logistic(ES2, c, lam)), _exact_est(nw, P.size), ctx,
                                      rtol=1e-9))
    return out


@CATALOG.claim(
    "eq132.deterministic_approximation", label="Eq. 132, Eq. 133, Fig. 10.2", kind=Kind.APPROXIMATION,
    statement="Deterministic propagation in the logistic network with weights w_ij^{hl} r_j^l "
              "(E(O_i^h) ≈ NWGM(O_i^h) = σ(E(S_i^h)), applied layer by layer) approximates the "
              "average output of both the spiking network and the dropout network.")
def eq132_approx(ctx: Context) -> list[CaseResult]:
    """The quality of the approximation "is determined by the quality of the approximations
    of the expectations by the NWGMs", which are second order in the spread of the inputs
    (Section 8: E − NWGM ≈ V(1 − 2E)/(1 − 2V)). Criterion: with all weights scaled by
    s = 2^{−k}, k = 0…6, |E(O_out) − W_out| = O(s²) (judge.order, absolute, order 2) for the
    spiking network (global firing, enumerated) and for the dropout network (enumerated), on
    two random networks; a first-order error fails."""
    rng = ctx.rng()
    ss = 2.0 ** -np.arange(7)
    out = []
    for k in range(2):
        W1, w2, O_in, r_in, r_h, c, lam = _s10_net(rng, scale=1.5)
        ex_s, ex_d, det = [], [], []
        for s in ss:
            e = _s10_spiking_enum(s * W1, s * w2, O_in, r_in, r_h, c, lam)
            ex_s.append(float(e["prob"] @ e["O2"]))
            ex_d.append(_s10_dropout_enum(s * W1, s * w2, O_in, r_in, r_h, c, lam))
            det.append(th.eq133_ensemble_forward(s * W1, s * w2, O_in, r_in, r_h, c, lam)["W2"])
        prm = {"network": k, "c": c, "lam": lam}
        out.append(judge.order({**prm, "network type": "spiking"}, ss, ex_s, det, 2,
                               name="spiking E(O) ≈ W", ctx=ctx))
        out.append(judge.order({**prm, "network type": "dropout"}, ss, ex_d, det, 2,
                               name="dropout E(O) ≈ W", ctx=ctx))
    return out


@CATALOG.claim(
    "eq135_138.signal_moments", label="Eq. 135, Eq. 136, Eq. 137, Eq. 138", kind=Kind.IDENTITY,
    statement="A spiking neuron's signal has mean rO and variance r²O(1 − O) for fixed O, "
              "mean rE(O) and variance r²E(O)(1 − E(O)) over the spiking configurations; a "
              "dropout neuron's has mean rO and variance O²r(1 − r) for fixed O, mean rE(O) "
              "and variance r Var(O) + E(O)²r(1 − r) over the dropout configurations.")
def eq135_138(ctx: Context) -> list[CaseResult]:
    """O with a random discrete law (5 values in (0, 1), Dirichlet weights; O varies with
    the dropout/spiking of the layers below), r ∈ (0.1, 1): the signal Δ = r·coin(O)
    (spiking) or δ·O with δ ~ Bernoulli(r) (dropout) enumerated over (O, coin), its mean
    and variance for each fixed O and over the joint law, against Eq. 135–138 (exact)."""
    rng = ctx.rng()
    out = []
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
            out.append(_s11_vec(ctx, {**prm, "what": "fixed O: mean, variance"},
                                np.concatenate([th_["inst_mean"], th_["inst_var"]]),
                                np.concatenate([inst_mean, inst_var]), r))
            out.append(_s11_vec(ctx, {**prm, "what": "over the configurations: mean, variance"},
                                [th_["mean"], th_["var"]], [mean, var], r))
    return out


@CATALOG.claim(
    "sec10_1.variance_comparison", label="Sec. 10.1 (after Eq. 138)", kind=Kind.INEQUALITY,
    statement="The variances of the signals sent by a spiking neuron and by a dropout neuron "
              "are equal only when O = r; when r < O the variance is greater in the dropout "
              "network, when r > O in the spiking network.")
def sec10_1_variance(ctx: Context) -> list[CaseResult]:
    """For a fixed O (Eq. 135 against Eq. 137): a hypothesis search over (O, r) ∈ (0, 1)²
    for a pair where the ordering of r²O(1 − O) and O²r(1 − r) disagrees with that of r and O
    (the difference is rO(r − O)), plus the equality at O = r (exact, 5 values)."""
    from hypothesis import strategies as st

    def ordered(args):
        O, r = args
        vs = float(th.eq135_136_spike_moments([O], [1.0], r)["inst_var"][0])
        vd = float(th.eq137_138_dropout_moments([O], [1.0], r)["inst_var"][0])
        if r > O:
            return _le(vd, vs, tol_scale=vs)
        if r < O:
            return _le(vs, vd, tol_scale=vd)
        return True

    unit = st.floats(1e-3, 1 - 1e-3, allow_nan=False)
    out = [_search(ctx, ordered, st.tuples(unit, unit),
                   {"what": "Var spike > Var dropout iff r > O (fixed O)"})]
    # the search alone never sees r > O with the dropout side larger unless it is wrong; the
    # strict separation is checked where it is largest in relative terms on a grid
    for v in (0.1, 0.3, 0.5, 0.7, 0.9):
        vs = th.eq135_136_spike_moments([v], [1.0], v)["inst_var"][0]
        vd = th.eq137_138_dropout_moments([v], [1.0], v)["inst_var"][0]
        out.append(judge.identity({"O = r": v}, float(vs), _exact_est(vd, method="closed_form"),
                                  ctx))
    return out


@CATALOG.claim(
    "sec10_2.backpercolation", label="Section 10.2", kind=Kind.IDENTITY,
    statement="Backpropagation computes the dropout ensemble average of the reverse linear "
              "network in which each node is kept with probability equal to its derivative "
              "(σ' ≤ 1 for λ ≤ 4): backpropagation is the ensemble average of many "
              "backpercolation passes; with six layers of 1000 units and derivatives 0.1 it "
              "attenuates the error by 10^{−6}, while backpercolation keeps on average 100 "
              "units per layer.")
def sec10_2(ctx: Context) -> list[CaseResult]:
    """(a) Logistic networks 2-3-3-1 (random weights, c, λ ≤ 4 so σ' ≤ λ/4 ≤ 1): ∂O/∂I by
    backpropagation against the average of the reverse linear pass over all 2^7 selections
    of the hidden and output nodes, each node kept with probability σ'(S) (exact); (b) a
    deeper network (4 hidden layers of 8 units, λ = 4) by Monte Carlo: the mean of sampled
    backpercolation passes against backpropagation (∂O/∂I_j, the larger input gradient); (c) the
    printed numbers: 0.1^6 = 10^{−6} and 1000·0.1 = 100 (the mean of Binomial(1000, 0.1))."""
    rng = ctx.rng()
    out = []
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
        out.append(_s11_vec(ctx, {"network": k, "c": c, "lam": lam, "nodes": p.size}, g, avg, scale))
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
    out.append(judge.identity({"network": f"{L}×{n}, λ = 4", "passes": N, "coordinate": f"I_{j}"},
                              float(g[j]), mean_estimate(G[:, j]), ctx))
    out.append(judge.exact({"what": "0.1^6"}, 1e-6, 0.1 ** 6, ctx=ctx))
    out.append(judge.exact({"what": "1000 · 0.1"}, 100.0, 1000 * 0.1, ctx=ctx))
    return out


def _law_of(values, probs, decimals: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (rounded) and their total probabilities."""
    v, inv = np.unique(np.round(np.asarray(values, float), decimals), return_inverse=True)
    return v, np.bincount(inv, weights=probs, minlength=v.size)


@CATALOG.claim(
    "sec10_1.stochastic_as_dropout", label="Sec. 10.1 (after Eq. 134)", kind=Kind.IDENTITY,
    statement="Operating a neuron in stochastic (spiking) mode is equivalent to setting all its "
              "inputs to 1 and using dropout on its connections with Bernoulli probabilities "
              "given by the sigmoidal outputs of the previous layer.")
def sec10_1_stochastic(ctx: Context) -> list[CaseResult]:
    """Two-layer spiking networks of Sec. 10.1 (3 inputs firing with probabilities O_in, 3
    hidden spiking units, a logistic output; random weights, c, λ), spikes of size 1, every
    configuration enumerated (:func:`_s10_spiking_enum`), against the dropout network with all
    inputs set to 1 and each connection j → i kept with probability O_j
    (:func:`sim.enumerate_rate_gated_network`): the laws (every value and its probability) of
    the hidden sums and of the output sum, and E(O_out), equal exactly, for global firing (one
    coin per unit: the gates of a unit's connections shared) and connection-specific firing
    (one coin per connection). For spikes of size r ≠ 1 the inputs must be set to r instead
    (evidence as well), and setting them to 1 then changes the law (a measurement)."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        W1, w2, O_in, r_in, r_h, c, lam = _s10_net(rng)
        for conn in (False, True):
            ones_in = np.ones(W1.shape) if conn else np.ones(W1.shape[1])
            sp = _s10_spiking_enum(W1, w2, O_in, ones_in, np.ones(W1.shape[0]), c, lam, connection=conn)
            dr = sim.enumerate_rate_gated_network(W1, w2, O_in, connection=conn, c=c, lam=lam)
            prm = {"network": k, "firing": "connection-specific" if conn else "global", "spike size": 1}
            v1, p1 = _law_of(sp["S2"], sp["prob"])
            v2, p2 = _law_of(dr["S2"], dr["prob"])
            same = v1.shape == v2.shape and np.allclose(v1, v2, rtol=0, atol=1e-9)
            out.append(judge.exact({**prm, "what": "law of the output sum", "atoms": v1.size},
                                   p1 if same else [math.nan], p2 if same else [0.0],
                                   method="enumeration", n=sp["prob"].size, scale=1.0))
            for i in range(W1.shape[0]):
                a1, q1 = _law_of(sp["S1"][:, i], sp["prob"])
                a2, q2 = _law_of(dr["S1"][:, i], dr["prob"])
                same = a1.shape == a2.shape and np.allclose(a1, a2, rtol=0, atol=1e-9)
                out.append(judge.exact({**prm, "what": f"law of hidden sum {i}"},
                                       q1 if same else [math.nan], q2 if same else [0.0],
                                       method="enumeration", n=sp["prob"].size, scale=1.0))
            out.append(judge.exact({**prm, "what": "E(O_out)"}, float(sp["prob"] @ sp["O2"]),
                                   float(dr["prob"] @ dr["O2"]), method="enumeration",
                                   n=sp["prob"].size))
        # spikes of a common size r: inputs set to r reproduce the law; inputs 1 do not
        r = float(rng.uniform(0.3, 0.8))
        sp = _s10_spiking_enum(W1, w2, O_in, np.full(W1.shape[1], r), np.full(W1.shape[0], r), c, lam)
        dr = sim.enumerate_rate_gated_network(W1, w2, O_in, connection=False, inputs=r, c=c, lam=lam)
        d1 = sim.enumerate_rate_gated_network(W1, w2, O_in, connection=False, inputs=1.0, c=c, lam=lam)
        out.append(judge.exact({"network": k, "spike size": r, "inputs": r, "what": "E(O_out)"},
                               float(sp["prob"] @ sp["O2"]), float(dr["prob"] @ dr["O2"]),
                               method="enumeration", n=sp["prob"].size))
        out.append(CaseResult({"network": k, "spike size": r, "inputs": 1.0, "what": "E(O_out)"},
                              Verdict.CONFIRMED, float(sp["prob"] @ sp["O2"]),
                              _exact_est(float(d1["prob"] @ d1["O2"]), d1["prob"].size),
                              detail=f"spiking E(O_out) = {float(sp['prob'] @ sp['O2']):.6f}, "
                                     f"inputs 1: {float(d1['prob'] @ d1['O2']):.6f}",
                              role="measurement"))
    return out


# ------------------------------------------------------------------------------------------
# Section 9.2–9.4: sampling distributions of E and NWGM (Eq. 103–108)
# ------------------------------------------------------------------------------------------
#
# Evidence: samples of m values O from the four laws of Fig. 9.1 and 9.2 (uniform on [0, 1]
# and [0, 0.5], N(0.5, 0.1²) and N(0.25, 0.05²)); the algebra of Eq. 105–107 exactly, on the
# sample moments or by enumerating all m-samples of a discrete law.
# Findings: Eq. 105 has +2Cov for −2Cov; Eq. 107's last form drops the term
# 2(EV_S − VE_S)(E_S − E) of its numerator; Eq. 108 (Var(E_S − NWGM_S) ≈ Var E_S + Var NWGM_S)
# contradicts the paper's own finding that the correlation is close to 1: the covariance is of
# the same order V/m as the variances and cancels most of them (measured ratio 0.002–0.14).
# Sec. 9.2/9.4's "E − NWGM ... distributed around zero" fails for laws not symmetric about ½:
# the mean tends to μ_O − σ(μ_S) while the sd falls as 1/√m (6 sd off at m = 100, 17–19 at 1000).

import itertools as _it  # noqa: E402

_S9_LAWS = {"U[0, 1]": ("u", 0.0, 1.0), "U[0, 0.5]": ("u", 0.0, 0.5),
            "N(0.5, 0.1²)": ("n", 0.5, 0.1), "N(0.25, 0.05²)": ("n", 0.25, 0.05)}


def _s9_draw(rng, law: str, shape):
    """Values O from one of the laws of Fig. 9.1/9.2 (normals clipped into (0, 1); at
    these parameters a clip has probability < 1e-6)."""
    kind, a, b = _S9_LAWS[law]
    O = rng.uniform(a, b, shape) if kind == "u" else rng.normal(a, b, shape)
    return np.clip(O, 1e-12, 1 - 1e-12)


def _s9_moments(rng, law: str, m: int, R: int):
    s = th.sample_e_nwgm(_s9_draw(rng, law, (R, m)))
    C = np.cov(s["E"], s["NWGM"])
    return s, float(C[0, 0]), float(C[1, 1]), float(C[0, 1]), float(np.var(s["E"] - s["NWGM"], ddof=1))


def _s9_eq105(ctx: Context, corrected: bool) -> list[CaseResult]:
    rng = ctx.rng()
    out = []
    for law in _S9_LAWS:
        _, ve, vn, cv, vd = _s9_moments(rng, law, 100, ctx.budget(4000))
        f = th.eq105_corrected if corrected else th.eq105_as_printed
        out.append(judge.identity({"law": law, "m": 100}, f(ve, vn, cv),
                                  _exact_est(vd, method="closed_form"), ctx, scale=ve + vn,
                                  detail=f"Var E = {ve:.4g}, Var NWGM = {vn:.4g}, Cov = {cv:.4g}"))
    return out


@CATALOG.claim(
    "eq105.variance_of_difference", label="Eq. 105", kind=Kind.IDENTITY,
    statement="Var[E(O_S) − NWGM(O_S)] = Var[E(O_S)] + Var[NWGM(O_S)] + 2 Cov[E(O_S), NWGM(O_S)].")
def eq105(ctx: Context) -> list[CaseResult]:
    """As printed (+2Cov), on the sample moments (ddof 1) of 4000 samples of m = 100 values
    from each law of Fig. 9.1: the identity of sample moments is exact, so the comparison is
    to 1e-10 of Var E + Var NWGM. REFUTED: the sign of the covariance term is wrong (see
    eq105.corrected)."""
    return _s9_eq105(ctx, corrected=False)


@CATALOG.claim(
    "eq105.corrected", label="Eq. 105", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq105.variance_of_difference",
    statement="Var[E(O_S) − NWGM(O_S)] = Var[E(O_S)] + Var[NWGM(O_S)] − 2 Cov[E(O_S), NWGM(O_S)].")
def eq105_corrected(ctx: Context) -> list[CaseResult]:
    """Var(X − Y) = Var X + Var Y − 2Cov(X, Y) (bilinearity of the covariance), checked on
    the same sample moments as eq105.variance_of_difference (exact)."""
    return _s9_eq105(ctx, corrected=True)


def _s9_enum_law(rng, m: int = 3, symmetric: bool = False):
    """A discrete law of O on 4 values (symmetric about ½ when asked) and every m-sample of
    it with its probability: rows O (4^m, m), probabilities, the law's mean E and variance V."""
    if symmetric:
        a = rng.uniform(0.02, 0.48, 2)
        vals = np.array([a[0], a[1], 1 - a[1], 1 - a[0]])
        w = rng.dirichlet(np.ones(2))
        pr = np.array([w[0], w[1], w[1], w[0]]) / 2
    else:
        vals = rng.uniform(0.02, 0.98, 4)
        pr = rng.dirichlet(np.ones(4))
    idx = np.array(list(_it.product(range(4), repeat=m)))
    return vals[idx], np.prod(pr[idx], axis=1), float(pr @ vals), float(pr @ (vals - pr @ vals) ** 2)


@CATALOG.claim(
    "eq106.covariance_at_half", label="Eq. 106", kind=Kind.IDENTITY,
    statement="When E = NWGM = 0.5, with NWGM_S ≈ (E_S − V_S)/(1 − 2V_S): "
              "E[((E_S − V_S)/(1 − 2V_S) − ½)(E_S − ½)] = E[(E_S − ½)²/(1 − 2V_S)], with "
              "0.5 ≤ 1 − 2V_S ≤ 1 and E(E_S − ½)² = Var(E_S) = V/m.")
def eq106(ctx: Context) -> list[CaseResult]:
    """The printed "(E − ½)²" is read as (E_S − ½)², the only reading under which the text
    that follows (E(E_S − ½)² = V/m) applies (with E = ½ it would be 0). Discrete laws
    symmetric about ½ (E = ½), all 4³ samples of m = 3 enumerated: both expectations of
    Eq. 106 and E(E_S − ½)² = V/m, exact; a hypothesis search over samples of [0, 1]^m for
    V_S > ¼ (1 − 2V_S < 0.5)."""
    from hypothesis import strategies as st

    rng = ctx.rng()
    out = []
    for k in range(3):
        O, P, E, V = _s9_enum_law(rng, symmetric=True)
        s = th.sample_e_nwgm(O)
        lhs = float(P @ ((th.nwgm_taylor_half(s["E"], s["V"]) - 0.5) * (s["E"] - 0.5)))
        rhs = float(P @ th.eq106_integrand(s["E"], s["V"]))
        out.append(judge.identity({"law": k, "m": 3, "E": E}, rhs, _exact_est(lhs, P.size), ctx,
                                  scale=V))
        out.append(judge.identity({"law": k, "m": 3, "what": "E(E_S − ½)² = V/m"}, V / 3,
                                  _exact_est(float(P @ (s["E"] - 0.5) ** 2), P.size), ctx, scale=V))

    def vs_le_quarter(o):
        x = np.asarray(o, float)
        return _le(float(np.mean((x - x.mean()) ** 2)), 0.25)

    out.append(_search(ctx, vs_le_quarter, st.lists(st.floats(0, 1), min_size=1, max_size=10),
                       {"what": "V_S ≤ ¼ for samples in [0, 1] (0.5 ≤ 1 − 2V_S)"}))
    return out


def _s9_eq107(ctx: Context, as_printed: bool) -> list[CaseResult]:
    rng = ctx.rng()
    out = []
    for k in range(4):
        O, P, E, V = _s9_enum_law(rng)
        s = th.sample_e_nwgm(O)
        Nt = th.nwgm_taylor_half(s["E"], s["V"])
        lhs = float(P @ ((Nt - (E - V) / (1 - 2 * V)) * (s["E"] - E)))
        rhs = float(P @ th.eq107_integrand(s["E"], s["V"], E, V, as_printed=as_printed))
        out.append(judge.identity({"law": k, "m": 3, "E": E, "V": V}, rhs, _exact_est(lhs, P.size),
                                  ctx, scale=float(P @ (s["E"] - E) ** 2) / (1 - 2 * V)))
    return out


@CATALOG.claim(
    "eq107.covariance_form", label="Eq. 107", kind=Kind.IDENTITY,
    statement="E[((E_S − V_S)/(1 − 2V_S) − (E − V)/(1 − 2V))(E_S − E)] = "
              "E[((E − E_S)² + (V − V_S)(E_S − E))/((1 − 2V_S)(1 − 2V))].")
def eq107(ctx: Context) -> list[CaseResult]:
    """As printed; random discrete laws on 4 values, all 4³ samples of m = 3 enumerated
    (exact). REFUTED: the numerator lacks 2(EV_S − VE_S)(E_S − E) (see eq107.corrected)."""
    return _s9_eq107(ctx, as_printed=True)


@CATALOG.claim(
    "eq107.corrected", label="Eq. 107", kind=Kind.IDENTITY, as_printed=False,
    corrects="eq107.covariance_form",
    statement="E[((E_S − V_S)/(1 − 2V_S) − (E − V)/(1 − 2V))(E_S − E)] = "
              "E[((E − E_S)² + (V − V_S)(E_S − E) + 2(EV_S − VE_S)(E_S − E))/((1 − 2V_S)(1 − 2V))].")
def eq107_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: (E_S − V_S)(1 − 2V) − (E − V)(1 − 2V_S) = (E_S − E) + (V − V_S)
    + 2(EV_S − VE_S); multiply by (E_S − E) and divide by (1 − 2V_S)(1 − 2V). Checked as
    eq107.covariance_form (exact enumeration)."""
    return _s9_eq107(ctx, as_printed=False)


@CATALOG.claim(
    "eq108.variance_sum", label="Eq. 108, Sec. 9.4", kind=Kind.APPROXIMATION,
    statement="Var(E_S − NWGM_S) ≈ Var(E_S) + Var(NWGM_S) ≈ C₁/m + C₂/m (the covariance of "
              "E_S and NWGM_S being close to null).")
def eq108(ctx: Context) -> list[CaseResult]:
    """Criterion: "≈ C₁/m + C₂/m" as m → ∞ — the right side must capture the leading 1/m
    term of Var(E_S − NWGM_S), i.e. the relative error must vanish as s = 1/m → 0
    (judge.order, relative, order 1), m = 25…800, 3000 samples each, for the four laws of
    Fig. 9.2. The sample moments make the ratio exact up to sampling noise far below the
    effect. REFUTED when the covariance (order V/m, as the paper itself says after Eq. 106,
    with correlation near 1) cancels most of Var E + Var NWGM."""
    rng = ctx.rng()
    ms = np.array([25, 50, 100, 200, 400, 800])
    R = ctx.budget(3000)
    out = []
    for law in _S9_LAWS:
        vd, vs = [], []
        for m in ms:
            _, ve, vn, _, d = _s9_moments(rng, law, int(m), R)
            vd.append(d)
            vs.append(ve + vn)
        out.append(judge.order({"law": law, "samples": R}, 1.0 / ms, vd, vs, 1, kind="relative",
                               name="Var(E − NWGM) ≈ Var E + Var NWGM", ctx=ctx))
    return out


@CATALOG.claim(
    "eq103_104.sampling_moments", label="Eq. 103, Eq. 104, Sec. 9.3, Sec. 9.4", kind=Kind.IDENTITY,
    statement="For m large, E(O_S) has mean μ_O and variance σ_O²/m, and NWGM(O_S) = σ(E(S_S)) "
              "has mean σ(μ_S) and variance t²σ_S²/m (t the slope of σ, |t| ≤ λ/4); their "
              "covariance is of order 1/m and their Pearson correlation is constant in m.")
def eq103_104(ctx: Context) -> list[CaseResult]:
    """The four laws of Fig. 9.1/9.2, m = 1000, 2000 samples each: the means of E_S, m(E_S −
    μ_O)², NWGM_S, m(NWGM_S − σ(μ_S))² and m(E_S − μ_O)(NWGM_S − σ(μ_S)) against μ_O, σ_O²,
    σ(μ_S), t²σ_S² and t·Cov(O, S) with t = σ'(μ_S) — the delta-method limits, by quadrature
    over the law of O (th.logit_law_moments) — one max-|z| family per law (the finite-m bias
    is O(1/m), far below the resolution). The limit of the correlation is then
    Cov(O, S)/(σ_Oσ_S), constant in m (shown in the detail: 0.955, 0.909, 0.999, 0.994)."""
    rng = ctx.rng()
    m, R = 1000, ctx.budget(2000)
    out = []
    for law, (kind, a, b) in _S9_LAWS.items():
        mo = th.logit_law_moments(kind, a, b)
        s = th.sample_e_nwgm(_s9_draw(rng, law, (R, m)))
        dE, dN = s["E"] - mo["mu_O"], s["NWGM"] - mo["nwgm_mean"]
        ests = [mean_estimate(s["E"]), mean_estimate(m * dE ** 2), mean_estimate(s["NWGM"]),
                mean_estimate(m * dN ** 2), mean_estimate(m * dE * dN)]
        theory = [mo["mu_O"], mo["var_O"], mo["nwgm_mean"], mo["m_var_nwgm"], mo["m_cov"]]
        out.append(judge.identity_family(
            {"law": law, "m": m, "samples": R}, theory, ests, ctx,
            detail=f"limit correlation Cov(O, S)/(σ_Oσ_S) = {mo['corr']:.4f}, measured "
                   f"{float(np.corrcoef(s['E'], s['NWGM'])[0, 1]):.4f}; t = {mo['t']:.4f} ≤ ¼"))
    return out


# -- Section 9.1: dropout induction (Eq. 98–102) --------------------------------------------


def _s9_layered_enum(Ws, I, ps, c, lam):
    """All dropout masks of a layered logistic network (node dropout on every layer that
    feeds another): per layer, the law of S and O over the masks (rows) and the probabilities."""
    sizes = [len(p) for p in ps]
    masks, probs = _enum.enumerate_masks(sum(sizes), np.concatenate(ps))
    a = np.broadcast_to(np.asarray(I, float), (masks.shape[0], len(I)))
    off, layers = 0, []
    for W, k in zip(Ws, sizes):
        S = (masks[:, off:off + k] * a) @ np.atleast_2d(np.asarray(W, float)).T
        a = th.logistic(S, c, lam)
        layers.append({"S": S, "O": a, "mask_in": masks[:, off:off + k], "in": None})
        off += k
    return layers, probs


def _s9_random_layered(rng, scale=1.0):
    Ws = [scale * rng.standard_normal((3, 3)), scale * rng.standard_normal((3, 3)),
          scale * rng.standard_normal((1, 3))]
    ps = [rng.uniform(0.3, 0.9, 3) for _ in range(3)]
    return Ws, rng.standard_normal(3), ps, float(rng.uniform(0.5, 2.0)), float(rng.uniform(0.5, 2.0))


@CATALOG.claim(
    "eq99_102.dropout_induction", label="Eq. 98, Eq. 99, Eq. 100, Eq. 101, Eq. 102",
    kind=Kind.APPROXIMATION,
    statement="With W_i^l = σ(Σ_{h<l} Σ_j w_ij^h p_j^h W_j^h), W_i^l ≈ E(O_i^l) for every layer, by "
              "induction: E(O_i^{l+1}) ≈ NWGM(O_i^{l+1}) = σ(E(S_i^{l+1})) = "
              "σ(Σ w_ij p_j E(O_j)) ≈ σ(Σ w_ij p_j W_j) = W_i^{l+1}; the error is "
              "ε = [E(O) − NWGM(O)] + [NWGM(O) − W] = α + β.")
def eq99_102(ctx: Context) -> list[CaseResult]:
    """Layered logistic networks 3-3-3-1 with node dropout on the inputs and both hidden
    layers (random p ∈ (0.3, 0.9), c, λ), all 2^9 masks enumerated. Exact links, every unit of
    every layer: NWGM(O) = σ(E(S)) (Eq. 100), E(S) = Σ w p E(O) (Eq. 101, δ_j independent of
    O_j), ε = α + β (Eq. 102). The "≈" of Eq. 99/101, whose errors the paper traces to those of
    E ≈ NWGM (second order in the spread, Section 8): with all weights scaled by s = 2^{−k},
    k = 0…6, |E(O) − W| = O(s²) at the output (judge.order, absolute, order 2), and the same
    for the layer-2 term β = NWGM − W, the error the induction propagates."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        Ws, I, ps, c, lam = _s9_random_layered(rng)
        layers, P = _s9_layered_enum(Ws, I, ps, c, lam)
        Wd = th.eq98_ensemble_network(Ws, I, ps, c, lam)
        prev_EO = np.asarray(I, float)
        prm = {"network": k, "c": c, "lam": lam}
        for l, (L, p, W) in enumerate(zip(layers, ps, Ws)):
            ES = P @ L["S"]
            EO = P @ L["O"]
            nw = np.array([th.weighted_means(L["O"][:, i], P / P.sum())["NWGM"]
                           for i in range(L["O"].shape[1])])
            scale = float(np.abs(W).sum(1).max() * max(1.0, np.abs(prev_EO).max()))
            out.append(_s11_vec(ctx, {**prm, "layer": l + 1, "eq": "100: NWGM(O) = σ(E(S))"},
                                th.logistic(ES, c, lam), nw, 1.0))
            out.append(_s11_vec(ctx, {**prm, "layer": l + 1, "eq": "101: E(S) = Σ w p E(O)"},
                                np.atleast_2d(W) @ (p * prev_EO), ES, scale))
            alpha, beta = EO - nw, nw - Wd[l]
            out.append(_s11_vec(ctx, {**prm, "layer": l + 1, "eq": "102: ε = α + β"},
                                alpha + beta, EO - Wd[l], 1.0))
            prev_EO = EO
    ss = 2.0 ** -np.arange(7)
    for k in range(2):
        Ws, I, ps, c, lam = _s9_random_layered(rng, scale=1.5)
        ex, det, nw2, w2 = [], [], [], []
        for s in ss:
            Wss = [s * W for W in Ws]
            layers, P = _s9_layered_enum(Wss, I, ps, c, lam)
            Wd = th.eq98_ensemble_network(Wss, I, ps, c, lam)
            ex.append(float(P @ layers[-1]["O"][:, 0]))
            det.append(float(Wd[-1][0]))
            nw2.append(th.weighted_means(layers[1]["O"][:, 0], P / P.sum())["NWGM"])
            w2.append(float(Wd[1][0]))
        prm = {"network": k, "c": c, "lam": lam}
        out.append(judge.order({**prm, "what": "output: E(O) ≈ W"}, ss, ex, det, 2,
                               name="Eq. 99 E(O) ≈ W (output)", ctx=ctx))
        out.append(judge.order({**prm, "what": "layer 2: β = NWGM − W → 0"}, ss, nw2, w2, 2,
                               name="Eq. 101/102 NWGM ≈ W (layer 2)", ctx=ctx))
    return out


@CATALOG.claim(
    "sec9_4.difference_around_zero", label="Sec. 9.2, Sec. 9.4 (after Eq. 108)",
    kind=Kind.APPROXIMATION,
    statement="E(O_S) − NWGM(O_S) has a mean close to 0 and a small standard deviation: "
              "E − NWGM is approximately normally distributed around zero.")
def sec9_4_around_zero(ctx: Context) -> list[CaseResult]:
    """Criterion from "distributed around zero": 0 lies within the bulk of the distribution of
    E_S − NWGM_S, i.e. |mean| ≤ its standard deviation (the mean's Monte Carlo error allowed
    for: |mean| − critical·SE ≤ sd). The four laws of Fig. 9.1/9.2 at m = 100 (as in Fig. 9.1)
    and m = 1000, 4000 samples each. The mean tends to μ_O − σ(μ_S) (0 only for laws symmetric
    about ½: 0.05 for U[0, 0.5], 0.0036 for N(0.25, 0.05²)) while the sd falls as 1/√m, so
    for asymmetric laws the difference is centred away from zero by several sd."""
    rng = ctx.rng()
    out = []
    for m in (100, 1000):
        for law in _S9_LAWS:
            s = th.sample_e_nwgm(_s9_draw(rng, law, (ctx.budget(4000), m)))
            d = s["E"] - s["NWGM"]
            est = mean_estimate(d)
            sd = float(d.std(ddof=1))
            crit = ctx.critical(est.dof)
            ok = ctx.le(abs(est.mean) - crit * est.se, sd)
            out.append(CaseResult({"law": law, "m": m}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                                  None, est, None, crit * est.se,
                                  f"mean of E − NWGM {est.mean:.3g} ± {est.se:.2g}, sd {sd:.3g}: "
                                  f"|mean|/sd = {abs(est.mean) / sd:.2f}"))
    return out


# ------------------------------------------------------------------------------------------
# Section 9.5–9.6: the dropout induction across layers and the estimates of variances and
# covariances (Eq. 109–124)
# ------------------------------------------------------------------------------------------
#
# Evidence: synthetic layered logistic networks with node dropout (Eq. 98), every dropout mask
# enumerated (sim.enumerate_layered_logistic), so E(O), NWGM(O) = σ(E(S)), W, α = E(O) − NWGM,
# β = NWGM − W, ε = α + β, E(O_iO_j) and expectations of σ(A), σ'(A) of partial sums A are exact.
# Statements about "E"/"Var"/"uncorrelated" of α, β, ε are read over a population: the
# networks (and their inputs) of a random ensemble, one unit per network so the draws are
# independent (Monte Carlo over the population, SEs from it), split into low / medium / high
# activity as Section 9.2 advises; Eq. 114 over the inputs of a fixed network (see its
# docstring). Taylor steps (Eq. 110–112, 120–124) by the order of their error as the weights
# (or the one weight w_ij) shrink, judge.order.
# Findings: Eq. 109 exact. Eq. 110–112 first order (relative error O(s³) of β ~ s³). "ε has
# mean 0" and Eq. 113 "E(β) ≈ 0" hold for a population of medium activity (zero-mean weights,
# where symmetry forces it) but not for low/high activity populations (|mean| > sd). "ε
# uncorrelated with α for l > 1" is false (corr 0.66–1: β is small, so ε ≈ α), and so is
# Eq. 115–116's "α and β uncorrelated" (corr ≈ 0.3 at layer 2, medium activity). Over the
# neurons of a layer ε is heavy-tailed (excess kurtosis 2–7), not approximately normal; β,
# a sum of many small terms, is. Eq. 114 treats the ε_j as
# independent; across inputs they are correlated and the printed variance is off by a factor
# 0.4–1.6 that does not vanish as the weights shrink; with the covariances kept it is right to
# leading order. Var(O) ≤ W(1 − W) (the "rough upper bound" after Eq. 118) fails (one unit,
# I = 10, w = 1, p = ½: Var 0.0625 vs 0.0066); Var(O) ≤ E(O)(1 − E(O)) is a theorem. Eq. 119's
# "truly independent ... pairs of neurons in the first layer" is false under node dropout (they
# share the input gates) and true under connection dropout. Eq. 123 has E(σ(·)) where the
# expansion gives E(σ'(·)): as printed its error is first order in the weights, corrected
# second order; Eq. 119's W_iW_j is second order too, Eq. 124's W_ijW_j only first.


def _s95_enum(Ws, I, ps, c, lam, connection=False):
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


def _s95_layer1(W1, I, p0, c=1.0, lam=1.0):
    """Exact E(O) and W of a first layer under input (node) dropout, for a batch of inputs
    I (R, n0): all 2^n0 input masks. Returns (EO (R, n1), W (R, n1))."""
    I = np.atleast_2d(I)
    masks, P = _enum.enumerate_masks(I.shape[1], p0)
    S = np.einsum("mk,rk,jk->rmj", masks, I, W1)
    EO = np.einsum("m,rmj->rj", P, th.logistic(S, c, lam))
    return EO, th.logistic((np.asarray(p0) * I) @ np.asarray(W1).T, c, lam)


#: activity populations of Section 9.2 (weight mean μ of N(μ, 4/fan-in), inputs U[0, 1])
_S95_POPULATIONS = {"low activity (μ_w = −1)": -1.0, "medium activity (μ_w = 0)": 0.0,
                    "high activity (μ_w = +1)": 1.0}


def _s95_population(ctx, mu: float, R: int, n0: int = 6, n1: int = 6, chunk: int = 100):
    """R independent random networks n0-n1-1 (standard logistic, keep p = 0.8 on the inputs,
    0.5 on the hidden units), weights N(μ, 4/fan-in), input U[0, 1]^n0; every one of the
    2^(n0+n1) masks enumerated (vectorised over networks: input masks a, hidden masks b).
    Returns arrays α, β, ε of the output unit (layer 2) and α, ε of hidden unit 0 (layer 1),
    and the output's E(O)."""
    rng = ctx.rng()
    W1 = rng.normal(mu, 2 / math.sqrt(n0), (R, n1, n0))
    w2 = rng.normal(mu, 2 / math.sqrt(n1), (R, n1))
    I = rng.uniform(0, 1, (R, n0))
    mi, Pi = _enum.enumerate_masks(n0, 0.8)
    mh, Ph = _enum.enumerate_masks(n1, 0.5)
    out = {k: np.empty(R) for k in ("a2", "b2", "e2", "a1", "e1", "EO2")}
    for r0 in range(0, R, chunk):
        sl = slice(r0, min(R, r0 + chunk))
        S1 = np.einsum("ak,rk,rjk->raj", mi, I[sl], W1[sl])
        O1 = th.logistic(S1)
        EO1, ES1 = np.einsum("a,raj->rj", Pi, O1), np.einsum("a,raj->rj", Pi, S1)
        Wd1 = th.logistic(np.einsum("rk,rjk->rj", 0.8 * I[sl], W1[sl]))
        S2 = np.einsum("bj,raj,rj->rba", mh, O1, w2[sl])
        EO2 = np.einsum("b,a,rba->r", Ph, Pi, th.logistic(S2))
        nw2 = th.logistic(np.einsum("b,a,rba->r", Ph, Pi, S2))
        Wd2 = th.logistic(np.einsum("rj,rj->r", 0.5 * Wd1, w2[sl]))
        out["a2"][sl], out["b2"][sl], out["e2"][sl] = EO2 - nw2, nw2 - Wd2, EO2 - Wd2
        out["a1"][sl] = EO1[:, 0] - th.logistic(ES1[:, 0])
        out["e1"][sl] = EO1[:, 0] - Wd1[:, 0]
        out["EO2"][sl] = EO2
    return out


def _s95_around_zero(ctx, params, x, name) -> CaseResult:
    """"Mean 0" over a population, read as in sec9_4.difference_around_zero: 0 lies within the
    bulk of the distribution, |mean| ≤ sd (the mean's Monte Carlo error allowed for)."""
    est = mean_estimate(x)
    sd = float(np.std(x, ddof=1))
    crit = ctx.critical(est.dof)
    ok = ctx.le(abs(est.mean) - crit * est.se, sd)
    return CaseResult(params, Verdict.CONFIRMED if ok else Verdict.REFUTED, None, est, None,
                      crit * est.se, f"{name}: mean {est.mean:.3g} ± {est.se:.2g}, sd {sd:.3g}, "
                                     f"|mean|/sd = {abs(est.mean) / sd:.2f}")


def _s95_uncorrelated(ctx, params, x, y, name) -> CaseResult:
    """Cov(x, y) = 0 over a population of independent draws: the centred products' mean
    against 0 (z-test; the scale of the terms is sd(x)·sd(y))."""
    d = (x - x.mean()) * (y - y.mean())
    sc = float(np.std(x) * np.std(y))
    return judge.identity(params, 0.0, mean_estimate(d), ctx, scale=sc,
                          detail=f"{name}: corr = {float(np.corrcoef(x, y)[0, 1]):.3f}")


@CATALOG.claim(
    "eq109.substitution", label="Eq. 109", kind=Kind.IDENTITY,
    statement="W_i^{l+1} = σ(Σ_{h≤l} Σ_j w_ij^{l+1,h} p_j^h W_j^h) = "
              "σ(Σ_{h≤l} Σ_j w_ij^{l+1,h} p_j^h [E(O_j^h) − ε_j^h]).")
def eq109(ctx: Context) -> list[CaseResult]:
    """Layered logistic networks 3-3-3-1 (random p, c, λ), all 2^9 masks enumerated: W of
    layers 2 and 3 (Eq. 98) against σ(Σ w p [E(O) − ε]) with ε = E(O) − W of the layer
    below (exact, every unit)."""
    rng = ctx.rng()
    out = []
    for k in range(3):
        Ws, I, ps, c, lam = _s9_random_layered(rng)
        L, _, _ = _s95_enum(Ws, I, ps, c, lam)
        for l in range(1, len(Ws)):
            rhs = th.eq109_rhs(Ws[l], ps[l], L[l - 1]["EO"], L[l - 1]["eps"], c, lam)
            out.append(_s11_vec(ctx, {"network": k, "layer": l + 1, "c": c, "lam": lam}, rhs,
                                L[l]["W"], 1.0))
    return out


@CATALOG.claim(
    "eq110_112.first_order_beta", label="Eq. 110, Eq. 111, Eq. 112", kind=Kind.APPROXIMATION,
    statement="To first order (Taylor), W_i^{l+1} ≈ NWGM(O_i^{l+1}) − σ'(E(S_i^{l+1})) Σ_{h≤l} Σ_j "
              "w_ij^{l+1,h} p_j^h ε_j^h, with σ'(Σ w p E(O_j^h)) = σ'(E(S_i^{l+1})); thus "
              "β_i^{l+1} = NWGM(O_i^{l+1}) − W_i^{l+1} ≈ σ'(E(S_i^{l+1})) Σ w p ε_j^h.")
def eq110_112(ctx: Context) -> list[CaseResult]:
    """3-3-3-1 networks, all masks enumerated. Exact links: σ'(Σ w p E(O)) = σ'(E(S))
    (Eq. 110 → 111, E(δ_jO_j) = p_jE(O_j)). The "≈": a first-order Taylor step must capture
    the leading term of what it expands — with all weights scaled by s = 2^{−k}, k = 0…6,
    β ~ s³ (ε ~ s², one more weight), and the error of Eq. 112 (= that of Eq. 110/111, since
    W = NWGM − β) must vanish relative to β (judge.order, relative, order 3), at layers 2
    and 3."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        Ws, I, ps, c, lam = _s9_random_layered(rng)
        L, _, _ = _s95_enum(Ws, I, ps, c, lam)
        for l in range(1, len(Ws)):
            lhs = th.dsigma(np.atleast_2d(Ws[l]) @ (ps[l] * L[l - 1]["EO"]), c, lam)
            out.append(_s11_vec(ctx, {"network": k, "layer": l + 1, "eq": "111: σ'(Σ w p E(O)) = σ'(E(S))"},
                                th.dsigma(L[l]["ES"], c, lam), lhs, 1.0))
    ss = 2.0 ** -np.arange(7)
    for k in range(2):
        Ws, I, ps, c, lam = _s9_random_layered(rng, scale=1.5)
        for l in (1, 2):
            ex, ap = [], []
            for s in ss:
                Wss = [s * W for W in Ws]
                L, _, _ = _s95_enum(Wss, I, ps, c, lam)
                ex.append(float(L[l]["beta"][0]))
                ap.append(float(th.eq112_beta_first_order(L[l]["ES"], Wss[l], ps[l],
                                                          L[l - 1]["eps"], c, lam)[0]))
            out.append(judge.order({"network": k, "layer": l + 1, "c": c, "lam": lam}, ss, ex, ap, 3,
                                   kind="relative", name="Eq. 112 β ≈ σ'(E S) Σ w p ε", ctx=ctx))
    return out


@CATALOG.claim(
    "sec9_5.beta_normal", label="Sec. 9.5, after Eq. 112", kind=Kind.DISTRIBUTION,
    statement="As a sum of many linear small terms, β_i^{l+1} is approximately normally distributed.")
def sec9_5_beta_normal(ctx: Context) -> list[CaseResult]:
    """Reading: the population of the neurons of a layer for a given input (Section 9.2's
    "population of neurons"), each with its own incoming weights — the "many small terms"
    w_ij p_j ε_j of Eq. 112, j over a wide layer below. Networks 6-64-·, standard logistic,
    input U[0, 1]^6 (p = 0.8), hidden p = ½, layer-1 weights N(0, 4/6); the layer-1 ε_j are
    exact (all 2^6 input masks) and β_i = σ(Σ w p E(O)) − σ(Σ w p W) is exact for each of
    R units with weights U[−a, a], a = 2√3/8 (sd 2/√64). Kolmogorov–Smirnov of the
    standardised β against N(0, 1) (parameters fitted: conservative), three (network, input)
    draws. Measurement (decides nothing): over a population of networks × inputs instead, β is
    a scale mixture (σ'(E(S)) and the ε_j change with the input) whose excess kurtosis stays
    near 1 as the layer widens."""
    rng = ctx.rng()
    n0, n, out = 6, 64, []
    R = ctx.budget(4000, minimum=800)
    a = 2 * math.sqrt(3) / math.sqrt(n)
    for k in range(3):
        W1 = rng.normal(0, 2 / math.sqrt(n0), (n, n0))
        EO, Wd = _s95_layer1(W1, rng.uniform(0, 1, n0), 0.8)
        w2 = rng.uniform(-a, a, (R, n))
        b = th.logistic(0.5 * w2 @ EO[0]) - th.logistic(0.5 * w2 @ Wd[0])
        z = (b - b.mean()) / b.std(ddof=1)
        res = _ks_case({"draw": k, "fan_in": n, "units": R}, z, stats.norm.cdf, ctx)
        res.detail += f"; skew {stats.skew(b):.3f}, excess kurtosis {stats.kurtosis(b):.3f}"
        out.append(res)
    Rn = ctx.budget(1500, minimum=300)
    bb = np.empty(Rn)
    for r in range(Rn):
        W1 = rng.normal(0, 2 / math.sqrt(n0), (n, n0))
        EO, Wd = _s95_layer1(W1, rng.uniform(0, 1, n0), 0.8)
        w2 = rng.uniform(-a, a, n)
        bb[r] = th.logistic(0.5 * w2 @ EO[0]) - th.logistic(0.5 * w2 @ Wd[0])
    out.append(CaseResult({"population": "networks × inputs", "fan_in": n, "draws": Rn},
                          Verdict.APPROXIMATE, None, mean_estimate(bb), None, None,
                          f"skew {stats.skew(bb):.3f}, excess kurtosis {stats.kurtosis(bb):.3f} "
                          "(a scale mixture of normals)", role="measurement"))
    return out


@CATALOG.claim(
    "sec9_5.epsilon_mean_zero", label="Sec. 9.5, intro", kind=Kind.APPROXIMATION,
    statement="W_i^l = E(O_i^l) − ε_i^l where in general the error term ε_i^l = α_i^l + β_i^l "
              "has mean 0.")
def sec9_5_epsilon_mean_zero(ctx: Context) -> list[CaseResult]:
    """"Mean 0" as in sec9_4.difference_around_zero: 0 within the bulk of the population's
    distribution of ε, |mean| ≤ sd. Populations (Section 9.2: low / medium / high activity):
    random networks 6-6-1, weights N(μ_w, 4/fan-in), μ_w ∈ {−1, 0, 1}, input U[0, 1]^6, all
    2^12 masks enumerated; ε of hidden unit 0 (layer 1, where ε = α) and of the output (layer
    2), one of each per network. ("Small": the order of ε in the weights is decided by
    eq99_102.dropout_induction; normality of β by sec9_5.beta_normal.) With zero-mean weights
    the sign symmetry w → −w makes the mean 0; for low/high activity E − NWGM has a sign
    (Eq. 81) and ε is centred away from 0 by more than its sd."""
    R = ctx.budget(2000, minimum=2000)  # cheap (vectorised); the same at every precision
    out = []
    for name, mu in _S95_POPULATIONS.items():
        pop = _s95_population(ctx, mu, R)
        for l, key in ((1, "e1"), (2, "e2")):
            out.append(_s95_around_zero(ctx, {"population": name, "layer": l, "networks": R},
                                        pop[key], f"ε (mean activity {pop['EO2'].mean():.2f})"))
    return out


@CATALOG.claim(
    "sec9_5.epsilon_uncorrelated_alpha", label="Sec. 9.5, intro", kind=Kind.IDENTITY,
    statement="The error ε_i^l = E(O_i^l) − W_i^l is uncorrelated with the error "
              "α_i^l = E(O_i^l) − NWGM(O_i^l) for l > 1.")
def sec9_5_epsilon_uncorrelated_alpha(ctx: Context) -> list[CaseResult]:
    """Over the populations of sec9_5.epsilon_mean_zero (one output unit, layer 2, per
    network): Cov(ε, α) = 0 by a z-test of the mean centred product. Since ε = α + β,
    Cov(ε, α) = Var(α) + Cov(α, β), which is 0 only if Var α = −Cov(α, β); the measured
    correlation is 0.66–1 (β is small, so ε ≈ α). REFUTED; the derivation (Eq. 115–116)
    argues α ⟂ β instead, decided by eq115_116.alpha_beta_uncorrelated."""
    R = ctx.budget(2000, minimum=2000)  # cheap (vectorised); the same at every precision
    return [_s95_uncorrelated(ctx, {"population": name, "layer": 2, "networks": R},
                              pop["e2"], pop["a2"], "ε vs α")
            for name, mu in _S95_POPULATIONS.items()
            for pop in [_s95_population(ctx, mu, R)]]


@CATALOG.claim(
    "eq113.beta_mean_zero", label="Eq. 113", kind=Kind.APPROXIMATION,
    statement="By linearity of the expectation, E(β_i^{l+1}) ≈ 0.")
def eq113(ctx: Context) -> list[CaseResult]:
    """Criterion as for ε (sec9_5.epsilon_mean_zero): |mean β| ≤ sd β over a population;
    the low / medium / high activity populations of random 6-6-1 networks, β of the output
    unit (layer 2; exact from the layer-1 enumeration). The paper's step E(β) ≈ σ' Σ w p E(ε)
    needs E(ε_j) ≈ 0, which fails in the low/high activity populations."""
    R = ctx.budget(2000, minimum=2000)  # cheap (vectorised); the same at every precision
    out = []
    for name, mu in _S95_POPULATIONS.items():
        pop = _s95_population(ctx, mu, R)
        out.append(_s95_around_zero(ctx, {"population": name, "layer": 2, "networks": R},
                                    pop["b2"], "β"))
    return out


@CATALOG.claim(
    "eq115_116.alpha_beta_uncorrelated", label="Eq. 115, Eq. 116", kind=Kind.IDENTITY,
    statement="E(α_i^{l+1}β_i^{l+1}) ≈ σ'(E(S_i^{l+1})) Σ_{h≤l} Σ_j w_ij p_j "
              "E[(E(O_i^{l+1}) − NWGM(O_i^{l+1}))ε_j^h] ≈ 0: α_i^{l+1} and β_i^{l+1} are uncorrelated.")
def eq115_116(ctx: Context) -> list[CaseResult]:
    """Over the populations of sec9_5.epsilon_mean_zero (output unit, layer 2, one per
    network; exact α and β): Cov(α, β) = 0 by a z-test of the mean centred product. The
    argument assumes α_i^{l+1} independent of the ε_j^h below; both grow with the size of
    the weights into and below unit i: in the medium-activity population the correlation is
    0.2–0.35 (z ≈ 10 at 1200 networks; 2000 are used); −0.1 and 0.14 in the low/high ones."""
    R = ctx.budget(2000, minimum=2000)  # cheap (vectorised); the same at every precision
    return [_s95_uncorrelated(ctx, {"population": name, "layer": 2, "networks": R},
                              pop["a2"], pop["b2"], "α vs β")
            for name, mu in _S95_POPULATIONS.items()
            for pop in [_s95_population(ctx, mu, R)]]


def _s95_eq114(ctx: Context, as_printed: bool) -> list[CaseResult]:
    rng = ctx.rng()
    R = ctx.budget(2000, minimum=500)
    ss = 2.0 ** -np.arange(9)
    out = []
    for k in range(3):
        n0, n1 = 6, 6
        W1 = rng.normal(0, 2 / math.sqrt(n0), (n1, n0))
        w2 = rng.normal(0, 2 / math.sqrt(n1), n1)
        c, lam = float(rng.uniform(0.5, 2.0)), float(rng.uniform(0.5, 2.0))
        I = rng.uniform(0, 1, (R, n0))
        ex, ap = [], []
        for s in ss:
            EO, Wd = _s95_layer1(s * W1, I, 0.8, c, lam)
            ES = 0.5 * EO @ (s * w2)
            beta = th.logistic(ES, c, lam) - th.logistic(0.5 * Wd @ (s * w2), c, lam)
            eps = EO - Wd
            d2 = float(np.mean(th.dsigma(ES, c, lam) ** 2))
            ex.append(float(np.var(beta)))
            ap.append(th.eq114_var_beta(d2, s * w2, np.full(n1, 0.5), np.cov(eps.T, bias=True),
                                        as_printed=as_printed))
        out.append(judge.order({"network": k, "inputs": R, "c": c, "lam": lam}, ss, ex, ap, 6,
                               kind="relative", ctx=ctx,
                               name=f"Var β ≈ {'Eq. 114' if as_printed else 'with covariances'} "
                                    f"(ratio at s = {ss[-1]:.3g}: {ap[-1] / ex[-1]:.3f})"))
    return out


@CATALOG.claim(
    "eq114.variance_of_beta", label="Eq. 114", kind=Kind.APPROXIMATION,
    statement="By linearity of the variance with respect to sums of independent random "
              "variables, Var(β_i^{l+1}) ≈ [σ'(E(S_i^{l+1}))]² Σ_{h≤l} Σ_j (w_ij^{l+1,h})² (p_j^h)² Var(ε_j^h).")
def eq114(ctx: Context) -> list[CaseResult]:
    """Reading of what is random: the weights w_ij are fixed constants in the formula and
    the ε_j^h random, so the population is that of the network's inputs (a fixed network,
    inputs U[0, 1]^6); [σ'(E(S_i))]² is taken as its mean over the inputs. (Over a population
    of neurons at one input the ε_j would be fixed and Var(ε_j) = 0.) Networks 6-6-1, random
    c, λ, layer-1 dropout exact for each input (2^6 masks), β exact. Criterion: a
    first-order ("≈") variance formula must capture the leading term of Var(β) ~ s⁶ as the
    weights shrink (s = 2^{−k}, k = 0…8, same inputs at every s): relative error → 0
    (judge.order, relative, order 6). REFUTED: the ε_j of one layer are correlated across
    inputs (they share the input), so the neglected covariances Σ_{j≠k} w_jw_kp_jp_k Cov(ε_j,
    ε_k) stay of the same order; the printed value is off by a factor 0.4–1.6 down to the
    smallest weights (see eq114.corrected)."""
    return _s95_eq114(ctx, as_printed=True)


@CATALOG.claim(
    "eq114.corrected", label="Eq. 114", kind=Kind.APPROXIMATION, as_printed=False,
    corrects="eq114.variance_of_beta",
    statement="Var(β_i^{l+1}) ≈ [σ'(E(S_i^{l+1}))]² Σ_{j,k} w_ij w_ik p_j p_k Cov(ε_j, ε_k) "
              "(the variance of the first-order term of Eq. 112 with the covariances of the ε kept).")
def eq114_corrected(ctx: Context) -> list[CaseResult]:
    """As eq114.variance_of_beta, with the full covariance matrix of the ε_j over the inputs:
    the relative error vanishes as the weights shrink."""
    return _s95_eq114(ctx, as_printed=False)


def _s95_unit_var(w, I, p, c=1.0, lam=1.0):
    """One logistic unit with node dropout on its inputs, exact: (Var O, E O, W)."""
    w, I, p = (np.asarray(x, float) for x in (w, I, p))
    masks, P = _enum.enumerate_masks(w.size, p)
    O = th.logistic((masks * I) @ w, c, lam)
    EO = float(P @ O)
    return float(P @ (O - EO) ** 2), EO, float(th.logistic(w @ (p * I), c, lam))


def _s95_st_unit():
    from hypothesis import strategies as st

    return st.integers(1, 4).flatmap(lambda n: st.tuples(
        st.lists(st.floats(-6, 6, allow_nan=False), min_size=n, max_size=n),
        st.lists(st.floats(-4, 4, allow_nan=False), min_size=n, max_size=n),
        st.lists(st.floats(0.05, 0.95, allow_nan=False), min_size=n, max_size=n)))


def _s95_eq117_118(ctx: Context, corrected: bool) -> list[CaseResult]:
    def holds(args):
        V, EO, Wd = _s95_unit_var(*args)
        ub = float(th.variance_bound_mean(EO) if corrected else th.eq117_var(Wd))
        return _le(0.0, V, scale=ub, tol_scale=0.25) and _le(V, ub, tol_scale=0.25)

    out = [_search(ctx, holds, _s95_st_unit(),
                   {"what": f"0 ≤ Var(O) ≤ {'E(O)(1 − E(O))' if corrected else 'W(1 − W)'}, one "
                            "logistic unit, node dropout on 1–4 inputs, exact"},
                   what="0 ≤ Var(O) ≤ bound")]
    rng = ctx.rng()
    for k in range(3):
        Ws, I, ps, c, lam = _s9_random_layered(rng, scale=3.0)
        L, P, _ = _s95_enum(Ws, I, ps, c, lam)
        for l, Lk in enumerate(L):
            V = P @ (Lk["O"] - Lk["EO"]) ** 2
            ub = th.variance_bound_mean(Lk["EO"]) if corrected else th.eq117_var(Lk["W"])
            j = int(np.argmax(V - ub))
            out.append(judge.upper_bound({"network": k, "layer": l + 1, "unit": j}, float(ub[j]),
                                         _exact_est(V[j], P.size), ctx, scale=0.25))
    V, EO, Wd = _s95_unit_var([1.0], [10.0], [0.5])
    ub = float(th.variance_bound_mean(EO) if corrected else th.eq117_var(Wd))
    out.append(judge.upper_bound({"unit": "w = 1, I = 10, p = ½", "E(O)": round(EO, 4),
                                  "W": round(Wd, 4)}, ub, _exact_est(V, 2), ctx, scale=0.25))
    return out


@CATALOG.claim(
    "eq117_118.variance_bounds", label="Eq. 117, Eq. 118, Sec. 9.6 (after Eq. 118)",
    kind=Kind.INEQUALITY,
    statement="E(O_iO_i) ≈ W_i, i.e. Var(O_i) ≈ W_i(1 − W_i), and E(O_iO_i) ≈ W_iW_i, i.e. "
              "Var(O_i) ≈ 0, are respectively upper and lower bounds of the dropout variance: "
              "0 ≤ Var(O_i^l) ≤ W_i^l(1 − W_i^l).")
def eq117_118(ctx: Context) -> list[CaseResult]:
    """The paper says "rough" bounds; checked as bounds (the only reading under which
    "upper/lower bound" says something): a hypothesis search over single logistic units with
    node dropout on 1–4 inputs (exact over the masks), the worst unit of each layer of three
    random 3-3-3-1 networks with large weights, and the case w = 1, I = 10, p = ½: O is σ(10)
    or σ(0) = ½ with equal probability, Var(O) = 0.0625 while W = σ(5), W(1 − W) = 0.0066 —
    nine times smaller. REFUTED as an upper bound (the lower bound 0 is trivial); W can sit
    near 0 or 1 while E(O) does not. Corrected: eq117_118.corrected."""
    return _s95_eq117_118(ctx, corrected=False)


@CATALOG.claim(
    "eq117_118.corrected", label="Eq. 117, Eq. 118", kind=Kind.INEQUALITY, as_printed=False,
    corrects="eq117_118.variance_bounds",
    statement="0 ≤ Var(O_i^l) ≤ E(O_i^l)(1 − E(O_i^l)) for every unit (O ∈ [0, 1], so O² ≤ O).")
def eq117_118_corrected(ctx: Context) -> list[CaseResult]:
    """A theorem (E(O²) ≤ E(O) for O ∈ [0, 1]), checked on the same search and cases as
    eq117_118.variance_bounds."""
    return _s95_eq117_118(ctx, corrected=True)


@CATALOG.claim(
    "sec9_6.small_weights", label="Sec. 9.6, after Eq. 118", kind=Kind.APPROXIMATION,
    statement="With very small weights and a standard logistic transfer function, W_i^l = 0.5 "
              "and Var(O_i^l) ≈ 0.")
def sec9_6_small_weights(ctx: Context) -> list[CaseResult]:
    """Standard logistic (c = λ = 1), 3-3-3-1 networks, all weights scaled by s = 2^{−k},
    k = 0…6, exact enumeration: |W − ½| = O(s) (order 1) and Var(O) = O(s²) (order 2), at
    layers 1 and 3 (judge.order, absolute); W(1 − W) → ¼ meanwhile, so 0 is the better of the
    two estimates of Eq. 117–118 there."""
    rng = ctx.rng()
    ss = 2.0 ** -np.arange(7)
    out = []
    for k in range(2):
        Ws, I, ps, _, _ = _s9_random_layered(rng, scale=1.5)
        W0, W2, V0, V2 = [], [], [], []
        for s in ss:
            L, P, _ = _s95_enum([s * W for W in Ws], I, ps, 1.0, 1.0)
            W0.append(float(L[0]["W"][0]))
            W2.append(float(L[2]["W"][0]))
            V0.append(float(P @ (L[0]["O"][:, 0] - L[0]["EO"][0]) ** 2))
            V2.append(float(P @ (L[2]["O"][:, 0] - L[2]["EO"][0]) ** 2))
        for l, Wl, Vl in ((1, W0, V0), (3, W2, V2)):
            out.append(judge.order({"network": k, "layer": l}, ss, Wl, np.full(ss.size, 0.5), 1,
                                   name="W → 0.5", ctx=ctx))
            out.append(judge.order({"network": k, "layer": l}, ss, Vl, np.zeros(ss.size), 2,
                                   name="Var(O) → 0", ctx=ctx))
    return out


def _s95_eq119_first(ctx: Context, connection: bool) -> list[CaseResult]:
    rng = ctx.rng()
    out = []
    for k in range(4):
        W1 = rng.standard_normal((3, 3)) * 2
        I, p = rng.standard_normal(3) * 2, rng.uniform(0.3, 0.9, 3)
        c, lam = float(rng.uniform(0.5, 2.0)), float(rng.uniform(0.5, 2.0))
        L, P, _ = _s95_enum([W1], I, [p], c, lam, connection=connection)
        O = L[0]["O"]
        for i, j in ((0, 1), (1, 2)):
            Eij = float(P @ (O[:, i] * O[:, j]))
            out.append(judge.identity({"network": k, "pair": (i, j)},
                                      float(L[0]["EO"][i] * L[0]["EO"][j]),
                                      _exact_est(Eij, P.size), ctx, scale=Eij))
    # a wider first layer by Monte Carlo: 64 sparse inputs in [0, 1] (half zero), keep p = 0.8
    # (the paper's input dropout), 8 units, weights N(0, 4/64); Cov(O_i, O_j) = 0 for all 28 pairs
    W = rng.normal(0, 2 / 8, (8, 64))
    I = rng.uniform(0, 1, 64) * (rng.random(64) < 0.5)
    mc = sim.sample_first_layer_covariances(W, I, 0.8, connection=connection,
                                            n=ctx.budget(100_000, minimum=20_000), rng=rng)
    out.append(judge.identity_family({"layer": "64 → 8", "p": 0.8, "method": "monte_carlo"},
                                     np.zeros(len(mc["pairs"])), mc["cov"], ctx,
                                     scale=float(np.mean(mc["EO"] * (1 - mc["EO"]))),
                                     detail="Cov(O_i, O_j) = 0 for every pair"))
    return out


@CATALOG.claim(
    "eq119.first_layer_independent", label="Eq. 119, Sec. 9.6 (after Eq. 119)", kind=Kind.IDENTITY,
    statement="E(O_i^l O_j^h) = E(O_i^l)E(O_j^h) is accurate for neurons that are truly "
              "independent of each other, such as pairs of neurons in the first layer.")
def eq119_first_layer(ctx: Context) -> list[CaseResult]:
    """Dropout on the nodes (Eq. 98, the setting of Section 9): first-layer units i ≠ j see
    the same input gates δ_k, so O_i and O_j are dependent. Exact enumeration (3 inputs,
    3 units, random p, c, λ): E(O_iO_j) against E(O_i)E(O_j); and Monte Carlo on a layer of
    8 units fed by 64 sparse inputs with the paper's input keep probability 0.8: Cov(O_i, O_j)
    = 0 for all 28 pairs (independent replicates, max-|z| over the family; |z| up to ~100). REFUTED: Cov(O_i, O_j) ≠ 0
    (of the order of the weights' product times Var δ). Under dropout on the connections the
    first-layer units are independent: eq119.first_layer_connection_dropout."""
    return _s95_eq119_first(ctx, connection=False)


@CATALOG.claim(
    "eq119.first_layer_connection_dropout", label="Eq. 119, Sec. 9.6 (after Eq. 119)",
    kind=Kind.IDENTITY, as_printed=False, corrects="eq119.first_layer_independent",
    statement="Under dropout on the connections (one gate per connection), first-layer "
              "neurons are independent: E(O_i^1 O_j^1) = E(O_i^1)E(O_j^1) exactly.")
def eq119_first_layer_connection(ctx: Context) -> list[CaseResult]:
    """As eq119.first_layer_independent with one gate per connection (all 2^9 masks, and the
    Monte Carlo 64 → 8 layer): the units' gates are disjoint, so the identity is exact."""
    return _s95_eq119_first(ctx, connection=True)


def _s95_scaled_pairs(rng, ctx, forms: dict, claimed: dict, c1: bool = True):
    """For 3-3-3-1 networks with all weights scaled by s = 2^{−k}, k = 0…6: exact E(O_iO_j)
    of a connected pair (j = unit 0 of layer h, i = unit 0 of layer h + 1, h = 1, 2) against
    each approximation in ``forms`` (name → f(L, P, e, Ws, ps, h, c, lam) → value), judged by
    order ``claimed[name]`` (absolute)."""
    ss = 2.0 ** -np.arange(7)
    out = []
    for k in range(2):
        Ws, I, ps, c, lam = _s9_random_layered(rng, scale=1.5)
        if c1:
            c, lam = 1.0, 1.0
        for h in (1, 2):
            ex = []
            ap = {n: [] for n in forms}
            for s in ss:
                Wss = [s * W for W in Ws]
                L, P, e = _s95_enum(Wss, I, ps, c, lam)
                ex.append(float(P @ (L[h]["O"][:, 0] * L[h - 1]["O"][:, 0])))
                for n, f in forms.items():
                    ap[n].append(f(L, P, e, Wss, ps, h, c, lam))
            for n in forms:
                out.append(judge.order({"network": k, "pair": f"(l{h + 1}u0, l{h}u0)", "c": c, "lam": lam},
                                       ss, ex, ap[n], claimed[n], name=n, ctx=ctx))
    return out


def _s95_A(L, e, Ws, ps, h):
    """Per mask: A = S_i − w_ij δ_j O_j (i = unit 0 of layer h + 1, j = unit 0 of layer h),
    w_ij, and δ_jO_j."""
    n_in = len(ps[0])
    off = n_in + sum(len(p) for p in ps[1:h])
    dOj = e["gates"][:, off] * L[h - 1]["O"][:, 0]
    w = float(np.atleast_2d(Ws[h])[0, 0])
    return L[h]["S"][:, 0] - w * dOj, w, dOj


def _s95_Wij(L, Ws, ps, h, c, lam):
    return th.eq121_removed_from_row(np.atleast_2d(Ws[h])[0], ps[h], L[h - 1]["W"], 0, c, lam)


@CATALOG.claim(
    "eq119.independence_approximation", label="Eq. 119, Sec. 9.6 (after Eq. 119)",
    kind=Kind.APPROXIMATION,
    statement="For two different neurons, E(O_i^l O_j^h) ≈ E(O_i^l)E(O_j^h) ≈ W_i^l W_j^h, "
              "approximately true for loosely coupled pairs and still holding for directly "
              "connected neurons.")
def eq119_approx(ctx: Context) -> list[CaseResult]:
    """3-3-3-1 networks (random p, c, λ), all masks, every weight scaled by s = 2^{−k},
    k = 0…6: |E(O_iO_j) − W_iW_j| = O(s²) (judge.order, absolute, order 2) for an unconnected
    pair in layer 2, a pair two layers apart (layer 1 – layer 3) and the connected pairs
    (layer 1 → 2, layer 2 → 3). Second order: the same order as the error of W ≈ E(O)
    itself (eq99_102.dropout_induction)."""
    rng = ctx.rng()
    ss = 2.0 ** -np.arange(9)
    out = []
    pairs = {"layer 2 (0, 1)": ((1, 0), (1, 1)), "layer 1 – layer 3": ((0, 0), (2, 0)),
             "connected 1 → 2": ((0, 0), (1, 0)), "connected 2 → 3": ((1, 0), (2, 0))}
    for k in range(2):
        Ws, I, ps, c, lam = _s9_random_layered(rng, scale=1.5)
        ex = {n: [] for n in pairs}
        ap = {n: [] for n in pairs}
        for s in ss:
            L, P, _ = _s95_enum([s * W for W in Ws], I, ps, c, lam)
            for n, ((la, ia), (lb, ib)) in pairs.items():
                ex[n].append(float(P @ (L[la]["O"][:, ia] * L[lb]["O"][:, ib])))
                ap[n].append(float(th.eq119_pair(L[la]["W"][ia], L[lb]["W"][ib])))
        for n in pairs:
            out.append(judge.order({"network": k, "pair": n, "c": c, "lam": lam}, ss, ex[n], ap[n], 2,
                                   name="E(O_iO_j) ≈ W_iW_j", ctx=ctx))
    return out


@CATALOG.claim(
    "eq120.isolating_j", label="Eq. 120", kind=Kind.APPROXIMATION,
    statement="O_i^l = σ(Σ_{k≠j} w_ik δ_k O_k + w_ij δ_j O_j^h) ≈ σ(Σ_{k≠j} w_ik δ_k O_k) + "
              "σ'(Σ_{k≠j} w_ik δ_k O_k) w_ij δ_j O_j^h, a first-order Taylor approximation, more "
              "accurate when w_ij or O_j^h are small.")
def eq120(ctx: Context) -> list[CaseResult]:
    """3-3-3-1 networks (random p, c, λ), all masks: the largest error over the masks of
    the expansion, (i) with the one weight w_ij scaled by t = 2^{−k}, k = 0…6, and the error
    is O(t²) (judge.order, absolute, order 2); (ii) for every mask the Taylor remainder
    obeys |error| ≤ ½ sup|σ''| (w_ij δ_j O_j)², sup|σ''| = λ²/(6√3) — small when w_ij or O_j
    is small (the ratio error/bound ≤ 1, exact). For j in layer 1 → i in layer 2 and j in
    layer 2 → i in layer 3."""
    rng = ctx.rng()
    ts = 2.0 ** -np.arange(7)
    out = []
    for k in range(2):
        Ws, I, ps, c, lam = _s9_random_layered(rng, scale=1.5)
        for h in (1, 2):
            ex, ap = [], []
            for t in ts:
                Wt = [W.copy() for W in Ws]
                Wt[h][0, 0] *= t
                L, P, e = _s95_enum(Wt, I, ps, c, lam)
                A, w, dOj = _s95_A(L, e, Wt, ps, h)
                err = L[h]["O"][:, 0] - th.eq120_taylor(A, w, dOj, c, lam)
                j = int(np.argmax(np.abs(err)))
                ex.append(float(L[h]["O"][j, 0]))
                ap.append(float(L[h]["O"][j, 0] - err[j]))
            out.append(judge.order({"network": k, "j": f"layer {h} unit 0", "what": "w_ij → 0"},
                                   ts, ex, ap, 2, name="Eq. 120 (max over masks)", ctx=ctx))
            L, P, e = _s95_enum(Ws, I, ps, c, lam)
            A, w, dOj = _s95_A(L, e, Ws, ps, h)
            err = np.abs(L[h]["O"][:, 0] - th.eq120_taylor(A, w, dOj, c, lam))
            bound = lam ** 2 / (12 * math.sqrt(3)) * (w * dOj) ** 2
            ratio = float(np.max(np.where(bound > 0, err / np.maximum(bound, 1e-300), 0.0)))
            out.append(judge.upper_bound({"network": k, "j": f"layer {h} unit 0",
                                          "what": "|error| ≤ ½ sup|σ''| (w_ij δ_j O_j)²"},
                                         1.0, _exact_est(ratio, P.size), ctx,
                                         detail=f"largest error / bound over the masks {ratio:.3g}"))
    return out


@CATALOG.claim(
    "eq121.removed_unit", label="Eq. 121", kind=Kind.APPROXIMATION,
    statement="E(σ(Σ_{f<l} Σ_{k≠j} w_ik δ_k O_k)) ≈ σ(E(Σ_{k≠j} w_ik δ_k O_k)) = "
              "σ(Σ_{k≠j} w_ik p_k W_k) = W_ij^{lh}, the deterministic activation of neuron i "
              "when neuron j is removed from its inputs.")
def eq121(ctx: Context) -> list[CaseResult]:
    """3-3-3-1 networks (random p, c, λ), all masks, j = unit 0 of layer h, i = unit 0 of
    layer h + 1 (h = 1, 2). Exact: W_ij = σ(Σ_{k≠j} w p W) is the forward propagation of the
    ensemble network with w_ij set to 0. The "≈" and the printed "=" (E(O_k) ≈ W_k, the
    induction): with every weight scaled by s = 2^{−k}, k = 0…8, |E σ(A) − W_ij| = O(s²)
    (judge.order, absolute, order 2)."""
    rng = ctx.rng()
    out = []
    for k in range(2):
        Ws, I, ps, c, lam = _s9_random_layered(rng)
        L, _, _ = _s95_enum(Ws, I, ps, c, lam)
        for h in (1, 2):
            Wz = [W.copy() for W in Ws]
            Wz[h][0, 0] = 0.0
            fwd = th.eq98_ensemble_network(Wz, I, ps, c, lam)[h][0]
            out.append(judge.exact({"network": k, "h": h, "eq": "W_ij = forward with w_ij = 0"},
                                   _s95_Wij(L, Ws, ps, h, c, lam), float(fwd), ctx=ctx))

    ss = 2.0 ** -np.arange(9)
    for k in range(2):
        Ws, I, ps, c, lam = _s9_random_layered(rng, scale=1.5)
        for h in (1, 2):
            ex, ap = [], []
            for s in ss:
                Wss = [s * W for W in Ws]
                L, P, e = _s95_enum(Wss, I, ps, c, lam)
                A, _, _ = _s95_A(L, e, Wss, ps, h)
                ex.append(float(P @ th.logistic(A, c, lam)))
                ap.append(_s95_Wij(L, Wss, ps, h, c, lam))
            out.append(judge.order({"network": k, "h": h, "c": c, "lam": lam}, ss, ex, ap, 2,
                                   name="E σ(A) ≈ W_ij", ctx=ctx))
    return out


@CATALOG.claim(
    "eq122.first_order_removal", label="Eq. 122", kind=Kind.APPROXIMATION,
    statement="Using a first-order Taylor expansion, W_ij^{lh} ≈ W_i^l − σ'(U_i^l) w_ij^{lh} p_j^h W_j^h.")
def eq122(ctx: Context) -> list[CaseResult]:
    """Deterministic ensemble networks 3-3-3-1 (random p, c, λ): W_ij (w_ij removed) against
    Eq. 122 with U_i = Σ w p W, with the one weight w_ij scaled by t = 2^{−k}, k = 0…6: the
    error is O(t²) (judge.order, absolute, order 2), j = unit 0 of layers 1 and 2."""
    rng = ctx.rng()
    ts = 2.0 ** -np.arange(7)
    out = []
    for k in range(3):
        Ws, I, ps, c, lam = _s9_random_layered(rng, scale=1.5)
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
            out.append(judge.order({"network": k, "h": h}, ts, ex, ap, 2,
                                   name="W_ij ≈ W_i − σ'(U_i) w_ij p_j W_j", ctx=ctx))
    return out


def _s95_eq123_form(X: str):
    def f(L, P, e, Ws, ps, h, c, lam):
        A, w, _ = _s95_A(L, e, Ws, ps, h)
        x = float(P @ (th.logistic(A, c, lam) if X == "sigma" else th.dsigma(A, c, lam)))
        EOjOj = float(P @ L[h - 1]["O"][:, 0] ** 2)
        return th.eq123(_s95_Wij(L, Ws, ps, h, c, lam), float(L[h - 1]["W"][0]), x, w,
                        float(ps[h][0]), EOjOj)
    return f


@CATALOG.claim(
    "eq123.connected_pair", label="Eq. 123", kind=Kind.APPROXIMATION,
    statement="E(O_i^l O_j^h) ≈ W_ij^{lh} W_j^h + E(σ(Σ_{f<l} Σ_{k≠j} w_ik δ_k O_k)) "
              "w_ij^{lh} p_j^h E(O_j^h O_j^h).")
def eq123_printed(ctx: Context) -> list[CaseResult]:
    """As printed. Eq. 123 is the expectation of O_j times Eq. 120, so its second term should
    carry the derivative: w_ij p_j E(σ'(A)) E(O_jO_j). Criterion: the formula refines the
    leading term (Eq. 124) by the first-order term of Eq. 120, so its error must be of second
    order in the weights. Standard logistic (c = λ = 1), 3-3-3-1 networks, all masks, every
    weight scaled by s = 2^{−k}, k = 0…6, connected pairs (j in layer h = 1, 2, i in layer
    h + 1): REFUTED — the printed form errs by w_ij p_j [E σ(A) − E σ'(A)] E(O_j²), of first
    order (at s → 0: w p (½ − ¼) E(O_j²)); see eq123.corrected."""
    return _s95_scaled_pairs(ctx.rng(), ctx, {"Eq. 123 as printed (E σ(A))": _s95_eq123_form("sigma")},
                             {"Eq. 123 as printed (E σ(A))": 2})


@CATALOG.claim(
    "eq123.corrected", label="Eq. 123", kind=Kind.APPROXIMATION, as_printed=False,
    corrects="eq123.connected_pair",
    statement="E(O_i^l O_j^h) ≈ W_ij^{lh} W_j^h + E(σ'(Σ_{f<l} Σ_{k≠j} w_ik δ_k O_k)) "
              "w_ij^{lh} p_j^h E(O_j^h O_j^h), with an error of second order in the weights.")
def eq123_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: multiply Eq. 120 by O_j and take expectations; the first term is
    E σ(A)E(O_j) ≈ W_ijW_j (A treated as independent of O_j), the second w_ij E(σ'(A)δ_jO_j²)
    ≈ w_ij p_j E(σ'(A)) E(O_j²). Same cases as eq123.connected_pair: error O(s²)."""
    return _s95_scaled_pairs(ctx.rng(), ctx, {"Eq. 123 with E σ'(A)": _s95_eq123_form("dsigma")},
                             {"Eq. 123 with E σ'(A)": 2})


@CATALOG.claim(
    "eq124.leading_term", label="Eq. 124, Sec. 9.6 (after Eq. 123)", kind=Kind.APPROXIMATION,
    statement="To a leading term approximation, E(O_i^l O_j^h) ≈ W_ij^{lh} W_j^h.")
def eq124(ctx: Context) -> list[CaseResult]:
    """Leading term: the error is of first order in the weights (the neglected term w_ij p_j
    E(σ'(A)) E(O_j²) is first order), so |E(O_iO_j) − W_ijW_j| = O(s) (judge.order, absolute,
    order 1) on the cases of eq123.connected_pair. Measured beside it: Eq. 119's W_iW_j is
    second order on the same pairs (eq119.independence_approximation) — for small weights the
    uncorrected W_iW_j is the better estimate, as Fig. 9.14 reports at the beginning of
    learning."""
    def f(L, P, e, Ws, ps, h, c, lam):
        return float(th.eq124_pair(_s95_Wij(L, Ws, ps, h, c, lam), float(L[h - 1]["W"][0])))
    return _s95_scaled_pairs(ctx.rng(), ctx, {"Eq. 124 W_ijW_j": f}, {"Eq. 124 W_ijW_j": 1})


@CATALOG.claim(
    "sec9_3.nwgm_mean_bias", label="Sec. 9.3 (after Eq. 104), Fig. 9.1", kind=Kind.APPROXIMATION,
    statement="Very often σ(μ_S) ≈ μ_O, particularly if μ_O = 0.5; away from 0.5 a bias can "
              "appear, but this bias is relatively small (Fig. 9.1: U[0, 1], U[0, 0.5], "
              "N(0.5, 0.1²), N(0.25, 0.05²)).")
def sec9_3_nwgm_mean_bias(ctx: Context) -> list[CaseResult]:
    """By quadrature over each law of Fig. 9.1 (th.logit_law_moments): for the laws with
    μ_O = 0.5 (symmetric about ½) σ(μ_S) = μ_O exactly (μ_S = 0); away from 0.5,
    "relatively small" read as small relative to the spread of the values O that the NWGM
    summarises: |μ_O − σ(μ_S)| ≤ σ_O (judge.approximation, max_abs = σ_O). Measured: U[0, 0.5]
    bias 0.05 (σ(μ_S) = σ(2 log ½) = 0.2 vs μ_O = 0.25; 0.35 σ_O); N(0.25, 0.05²) bias 0.0036
    (0.07 σ_O). (The bias is large against the sd σ_O/√m of one sample's NWGM, cf.
    sec9_4.difference_around_zero.)"""
    out = []
    for law, (kind, a, b) in _S9_LAWS.items():
        mo = th.logit_law_moments(kind, a, b)
        if abs(mo["mu_O"] - 0.5) < 1e-9:
            out.append(judge.identity({"law": law}, mo["nwgm_mean"],
                                      _exact_est(mo["mu_O"], method="quadrature"), ctx,
                                      rtol=1e-8, scale=1.0))
        else:
            out.append(judge.approximation({"law": law, "sigma_O": round(math.sqrt(mo["var_O"]), 4)},
                                           mo["mu_O"], mo["nwgm_mean"], max_abs=math.sqrt(mo["var_O"]),
                                           ctx=ctx, detail=f"bias/σ_O = "
                                           f"{abs(mo['mu_O'] - mo['nwgm_mean']) / math.sqrt(mo['var_O']):.3f}"))
    return out


@CATALOG.claim(
    "sec9_3.c1_c2", label="Sec. 9.3 (after Eq. 104)", kind=Kind.APPROXIMATION,
    statement="The variances of E(O_S) and NWGM(O_S) behave like C₁/m and C₂/m as m → ∞, and "
              "σ_O² = C₁ ≈ C₂ if σ_O² is small.")
def sec9_3_c1_c2(ctx: Context) -> list[CaseResult]:
    """C₁ = σ_O², C₂ = t²σ_S² (t = σ'(μ_S), the delta-method limits decided against Monte Carlo
    by eq103_104.sampling_moments), by quadrature for laws that shrink: N(0.5, τ²),
    N(0.25, τ²), U[0.8 − √3τ, 0.8 + √3τ] with τ = 0.1·2^{−k}, k = 0…6. "C₁ ≈ C₂ if σ_O² is
    small": C₂ must capture the leading term of C₁ ~ τ² (judge.order, relative, order 2)."""
    taus = 0.1 * 2.0 ** -np.arange(7)
    out = []
    for name, mk in (("N(0.5, τ²)", lambda t: ("n", 0.5, t)), ("N(0.25, τ²)", lambda t: ("n", 0.25, t)),
                     ("U[0.8 ± √3τ]", lambda t: ("u", 0.8 - math.sqrt(3) * t, 0.8 + math.sqrt(3) * t))):
        c1, c2 = [], []
        for t in taus:
            mo = th.logit_law_moments(*mk(t))
            c1.append(mo["var_O"])
            c2.append(mo["m_var_nwgm"])
        out.append(judge.order({"law": name}, taus, c1, c2, 2, kind="relative",
                               name="C₂ = t²σ_S² ≈ C₁ = σ_O²", ctx=ctx))
    return out


@CATALOG.claim(
    "sec9_5.epsilon_normal", label="Sec. 9.5, intro", kind=Kind.DISTRIBUTION,
    statement="The error term ε_i^l = α_i^l + β_i^l = E(O_i^l) − W_i^l is approximately normally "
              "distributed (for l = 1 since W_i^1 = NWGM(O_i^1) and the results of Sections 9.2–9.4 "
              "apply; for l > 1 by induction).")
def sec9_5_epsilon_normal(ctx: Context) -> list[CaseResult]:
    """Reading as in sec9_5.beta_normal: the population of the neurons of a layer for a given
    input. Networks 6-6-R with R units in layer 2, or 6-R with R units in layer 1, standard
    logistic, weights N(0, 4/fan-in) (medium activity, where the mean is 0 by symmetry),
    input U[0, 1]^6, keep p = 0.8 (inputs) and ½ (hidden); every mask enumerated (2^6, or
    2^12 for layer 2, shared by the R = 4000 units). Kolmogorov–Smirnov of the standardised ε
    against N(0, 1) (parameters fitted: conservative), two (network, input) draws per layer.
    REFUTED: over neurons, ε ≈ α ≈ ½σ''(E S)Var(S) is a product of two random factors,
    heavy-tailed (excess kurtosis 2–7); the sampling distributions of Sections 9.2–9.4 are
    over samples of O values, not over neurons."""
    rng = ctx.rng()
    n0, n1 = 6, 6
    R = ctx.budget(4000, minimum=4000)  # cheap (exact per unit); the same at every precision
    out = []
    for k in range(2):
        W1 = rng.normal(0, 2 / math.sqrt(n0), (R, n0))
        EO, Wd = _s95_layer1(W1, rng.uniform(0, 1, n0), 0.8)
        eps = (EO - Wd)[0]
        res = _ks_case({"layer": 1, "draw": k, "units": R}, (eps - eps.mean()) / eps.std(ddof=1),
                       stats.norm.cdf, ctx)
        res.detail += f"; skew {stats.skew(eps):.2f}, excess kurtosis {stats.kurtosis(eps):.2f}"
        out.append(res)
    for k in range(2):
        W1 = rng.normal(0, 2 / math.sqrt(n0), (n1, n0))
        I = rng.uniform(0, 1, n0)
        L, P, _ = _s95_enum([W1], I, [np.full(n0, 0.8)], 1.0, 1.0)
        masks, Ph = _enum.enumerate_masks(n1, 0.5)
        w2 = rng.normal(0, 2 / math.sqrt(n1), (R, n1))
        # S² over the joint masks (input mask a, hidden mask b): Σ_j w_j δ_j O_j^1(a)
        Y = masks[:, None, :] * L[0]["O"][None, :, :]          # (b, a, n1)
        S2 = np.einsum("bak,rk->bar", Y, w2)
        EO2 = np.einsum("b,a,bar->r", Ph, P, th.logistic(S2))
        W2 = th.logistic(w2 @ (0.5 * L[0]["W"]))
        eps = EO2 - W2
        res = _ks_case({"layer": 2, "draw": k, "units": R}, (eps - eps.mean()) / eps.std(ddof=1),
                       stats.norm.cdf, ctx)
        res.detail += f"; skew {stats.skew(eps):.2f}, excess kurtosis {stats.kurtosis(eps):.2f}"
        out.append(res)
    return out
