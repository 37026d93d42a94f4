"""Claims of "Implicit Regularization of Dropout" (Zhang, Xu), paper key
``implicit_regularization``.

Section 3.3 (the η noise), Lemma 1 (Eq. 3), Eq. 4–5 with Appendix B.2 (the modified gradient
flow), Section 6.2 with Theorem 1 (Appendix B.3), Section 7.2 with Theorem 2 (Appendix B.4).
Each claim pairs a closed form of :mod:`dropmc.theory.implicit_regularization` with exact
enumeration, a Numba Monte Carlo estimator, complex-step derivatives or scipy's ``solve_ivp``
from :mod:`dropmc.simulations.implicit_regularization`.

Findings:

* Eq. 4–5 (Appendix B.2): the printed implicit term :math:`R_2=\\frac\\varepsilon4E_\\eta\\|
  \\nabla R_S^{drop}\\|^2` does not make the modified flow second-order accurate for the mean
  iterate: its error has the same order ε² per step as the flow on R_S + R1 alone. The proof
  averages the modified vector fields of fixed-η flows; the mean of the one-step map is linear
  in the gradient, so the variance term (ε/4)E‖∇R^drop − ∇(R_S+R1)‖² does not belong. The
  mean iterate follows R_S + R1 + (ε/4)‖∇(R_S+R1)‖² to O(ε³) per step (registered beside it).
* Appendix B.4: the printed gradient flow of R1 (da_j/dt, dw_j/dt) is half the true −∇R1;
  the sign conclusion of Theorem 2 is unaffected (registered beside it).
* Appendix B.3: the printed perturbation for condition (ii) fails when an intercept point sits
  on the right end point of the (closed) interval [x_i, x_{i+1}] that the theorem allows
  (pivoting at that end point instead repairs it), and Theorem 1 (ii) itself fails on the last
  interval [x_{n−1}, x_n], where only x_n sees the two neurons: no zero-loss perturbation
  lowers R1 there (two counterexample families).
* Lemma 1 does not need Setting 3: it holds for vector outputs too (checked for d' ≤ 3).
  It does need Setting 1: with dropout on an earlier layer or on two layers (the paper's
  three-layer experiments) E R^drop ≠ R_S + R1, by 0.007–62% of the risk
  (``lemma1.outside_setting1``, an extension: the paper claims nothing there).
* Section 5.1 (Fig. 2), made testable: at fixed training time the dropout-trained network
  approaches the R_S + R1-trained one like √ε (one run's fluctuation), reaches ~4–10% of the
  distance R1 makes at ε = 0.0125, and its R1 agrees to a few %; training without dropout or
  with R1 doubled is refuted.

Evidence discipline (issue 8): every approximation claim has a criterion that can fail (an
order in ε by :func:`judge.order` on an ε grid set from each network's curvature, or stated
sizes); comparisons pass through the perturbation hooks so each decided claim has a measured
power; Monte Carlo SEs of the η moments are the known ones of the two-point law.
"""

from __future__ import annotations

import functools
import math
import zlib

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind, Verdict, current_context
from dropmc.estimate import Estimate
from dropmc.registry import Catalog
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

CATALOG = Catalog("implicit_regularization")

HIDDEN_ACTS = ("tanh", "relu", "sigmoid")


def _random_p(rng) -> float:
    return float(rng.choice([rng.uniform(0.1, 0.95), 0.5, 0.9]))


def _random_network(rng, L: int, m_last: int, activation: str, *, d_out: int | None = None,
                    width_max: int = 8):
    """A random L-layer FNN with biases: input d ∈ [1, 4], hidden widths ∈ [2, width_max],
    last hidden width ``m_last``, output d' ∈ [1, 3]; data X (n, d), targets Y (n, d')."""
    d = int(rng.integers(1, 5))
    dout = int(rng.integers(1, 4)) if d_out is None else d_out
    widths = [d] + [int(rng.integers(2, width_max + 1)) for _ in range(L - 2)] + [m_last, dout]
    Ws = [rng.normal(size=(widths[l + 1], widths[l])) / math.sqrt(widths[l])
          * rng.uniform(0.5, 2.0) for l in range(L)]
    bs = [rng.normal(size=widths[l + 1]) * rng.uniform(0.0, 1.0) for l in range(L)]
    n = int(rng.integers(2, 7))
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0)
    Y = rng.normal(size=(n, dout))
    return Ws, bs, X, Y


def _net_params(Ws, activation, p, X):
    return {"depth": len(Ws), "widths": [Ws[0].shape[1]] + [W.shape[0] for W in Ws],
            "activation": activation, "p": round(p, 6), "n": X.shape[0]}


# ------------------------------------------------------------------------------------------
# Section 3.3: the η noise
# ------------------------------------------------------------------------------------------

#: the Monte Carlo test of the η moments draws enough vectors that the rarest outcome entering
#: a statistic (a pair of rare atoms, probability min(p, 1 − p)² per neighbouring pair) is
#: expected this many times: its count is then nearly normal (Poisson skewness 1/√1000 ≈ 0.03)
ETA_RARE_COUNT = 1000
#: ... within this many m-vectors (8 coordinates each): p up to 0.995 stays below it
ETA_MAX_VECTORS = 1 << 23


def _eta_vectors(ctx: Context, p: float, m: int) -> int:
    """Vectors of η drawn for the moment test at keep probability p (see ETA_RARE_COUNT)."""
    r = min(p, 1.0 - p)
    need = math.ceil(ETA_RARE_COUNT / ((m - 1) * r * r))
    return int(min(max(ctx.budget(400_000, minimum=20_000), need), ETA_MAX_VECTORS))


@CATALOG.claim(
    "sec3_3.eta_moments", label="Section 3.3, Appendix B.1", kind=Kind.IDENTITY,
    statement="The dropout noise η_k = (1 − p)/p w.p. p, −1 w.p. 1 − p has E η_k = 0, "
              "E η_k² = (1 − p)/p and E η_k η_j = 0 for k ≠ j.")
def eta_moments(ctx: Context) -> list[CaseResult]:
    """Exact moments from the two-point law (sums over its two atoms) against the printed
    values, and the Numba sampler's Monte Carlo moments against them, for p = 1, 0.5, 0.993
    (a rare-event case: the atom −1 has probability 0.007) and three random p ∈ [0.05, 0.995];
    the third moment (1 − p)(1 − 2p)/p² is checked too as a test of the sampler's law.

    Standard errors are the *known* ones of the two-point law
    (:func:`theory.eta_moment_variances`), not batch means: at p near 1 a batch-means SE from
    32 chunks that each hold a handful of rare pairs is itself noisy and its t statistic is
    skewed. The sample size is set from the rare-event rate (``ETA_RARE_COUNT`` expected
    pairs of rare atoms, at most ``ETA_MAX_VECTORS`` vectors), so the z statistic is close to
    normal. False-alarm rate at p = 0.993 (``tools/false_alarm_implicit_regularization.py``):
    E η, E η², E η³ are affine in the binomial count of the atom −1, and the exact two-sided
    tail P(|z| > 4.5) is 6.79e-6 (normal 6.80e-6); the cross moment is dominated by a
    Poisson(1000) count of rare pairs, whose upper tail beyond 4.5 SDs is 5.2e-6 against the
    normal 3.4e-6; over 400 simulated streams no |z| exceeded 3.9. The batch-means SE at the
    old quick budget (25 000 vectors, 9 rare pairs expected) gave |z| > 4.5 in 1 of 400
    streams, ~370 times the nominal rate (the seed-8 flip of issue 8)."""
    rng = ctx.rng()
    out = []
    ps = [1.0, 0.5, 0.993] + [float(rng.uniform(0.05, 0.995)) for _ in range(3)]
    m = 8
    for p in ps:
        hi, lo = th.eta_values(p)
        atoms = np.array([hi, lo])
        w = np.array([p, 1.0 - p])
        out.append(judge.exact({"p": p, "moment": "E η, E η², E η³ (exact, two atoms)"},
                               [th.eta_mean(p), th.eta_second_moment(p), th.eta_third_moment(p)],
                               [w @ atoms, w @ atoms ** 2, w @ atoms ** 3], method="enumeration",
                               n=2, scale=1.0 - p))
        # E η_k E η_j: (p·hi − (1 − p))², terms of size (1 − p)²
        out.append(judge.exact({"p": p, "moment": "E η_k η_j (exact, four atom pairs)"},
                               th.eta_cross_moment(p), float(w @ atoms) ** 2, method="enumeration",
                               n=4, scale=(1.0 - p) ** 2))
        if p < 1.0:
            n = _eta_vectors(ctx, p, m)
            est = sim.estimate_eta_moments(p, m=m, n=n, rng=ctx.stream())
            var = th.eta_moment_variances(p)
            count = {"mean": n * m, "second": n * m, "third": n * m, "cross": n * (m - 1)}
            for key, val in (("mean", th.eta_mean(p)), ("second", th.eta_second_moment(p)),
                             ("cross", th.eta_cross_moment(p)), ("third", th.eta_third_moment(p))):
                e = est[key]
                known = Estimate(e.mean, math.sqrt(var[key] / count[key]), e.n, e.method, e.seed,
                                 {"se": "known variance of the two-point law",
                                  "batch_means_se": e.se})
                out.append(judge.identity({"p": p, "moment": key, "m": m, "vectors": n},
                                          val, known, ctx))
    return out


@CATALOG.claim(
    "sec3_3.eta_is_dropout", label="Section 1, Section 3.3", kind=Kind.IDENTITY,
    statement="Applying dropout as (1 + η) ⊙ f is inverted dropout: 1 + η equals 1/p with "
              "probability p and 0 with probability 1 − p, and E(1 + η) ⊙ f = f.")
def eta_is_dropout(ctx: Context) -> list[CaseResult]:
    """The atoms of 1 + η against {1/p, 0} and its mean against 1 exactly (so E(1 + η) ⊙ f = f
    for any f), and the Numba sampler's empirical
    frequency of 1 + η = 1/p (a binomial estimate) against p, for random p."""
    from dropmc.estimate import binomial_estimate

    rng = ctx.rng()
    out = []
    for p in [0.5] + [float(rng.uniform(0.05, 0.99)) for _ in range(3)]:
        hi, lo = th.eta_values(p)
        out.append(judge.exact({"p": p, "check": "atoms of 1 + η and E(1 + η) = 1"},
                               [1.0 / p, 0.0, 1.0],
                               [1.0 + hi, 1.0 + lo, p * (1.0 + hi) + (1.0 - p) * (1.0 + lo)],
                               rtol=1e-12))
        n = ctx.budget(200_000, minimum=10_000)
        s = ctx.stream()
        eta = sim.sample_eta(p, n, rng=s)
        kept = int(np.sum(np.isclose(1.0 + eta, 1.0 / p, rtol=1e-14, atol=0)))
        other = int(np.sum(1.0 + eta == 0.0))
        if kept + other != n:
            out.append(CaseResult({"p": p}, Verdict.REFUTED,
                                  detail=f"{n - kept - other} draws outside the two atoms"))
        out.append(judge.identity({"p": p, "check": "P(1 + η = 1/p)", "n": n}, p,
                                  binomial_estimate(kept, n, seed=str(s.spawn_key)), ctx))
    return out


# ------------------------------------------------------------------------------------------
# Lemma 1
# ------------------------------------------------------------------------------------------

@CATALOG.claim(
    "lemma1.exact", label="Lemma 1, Eq. 3", kind=Kind.IDENTITY,
    statement="Under Setting 1–2 (one dropout layer after layer L − 1, MSE), "
              "E_η R_S^drop(θ, η) = R_S(θ) + R1(θ), for any depth, width, activation, biases "
              "and output dimension.",
    note="Setting 3 (scalar output) is not needed: the proof only uses E η_k = 0 and "
         "E η_kη_j = δ_kj(1 − p)/p, so vector outputs (d' = 1..3, squared Euclidean norm) "
         "are included.")
def lemma1_exact(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of all 2^{m_{L−1}} keep masks of the dropout layer (Gray-code walk,
    per data point) against R_S + R1 (Eq. 3), relative tolerance 1e-10, for random networks of
    depth 2–4, tanh/ReLU/sigmoid, random biases, widths of the dropout layer 1–20 and outputs
    d' = 1–3, random data and p."""
    rng = ctx.rng()
    out = []
    widths = [1, 3, 8, 12, 16] + ([20] if ctx.precision.name != "quick" else [14])
    for i, m in enumerate(widths):
        for act in HIDDEN_ACTS:
            L = 2 + (i + HIDDEN_ACTS.index(act)) % 3
            Ws, bs, X, Y = _random_network(rng, L, m, act)
            p = _random_p(rng)
            est = sim.exact_dropout_risk(Ws, bs, X, Y, p, act)
            out.append(judge.identity(_net_params(Ws, act, p, X),
                                      th.lemma1_rhs(Ws, bs, X, Y, p, act), est, ctx))
    Ws, bs, X, Y = _random_network(rng, 3, 6, "tanh")
    est = sim.exact_dropout_risk(Ws, bs, X, Y, 1.0, "tanh")
    out.append(judge.identity(_net_params(Ws, "tanh", 1.0, X) | {"edge": "p = 1 (R1 = 0)"},
                              th.lemma1_rhs(Ws, bs, X, Y, 1.0, "tanh"), est, ctx))
    return out


@CATALOG.claim(
    "lemma1.monte_carlo", label="Lemma 1, Eq. 3", kind=Kind.IDENTITY,
    statement="E_η R_S^drop = R_S + R1 for wide networks (dropout layers of width 100–400), "
              "by Monte Carlo over η.")
def lemma1_mc(ctx: Context) -> list[CaseResult]:
    """Numba Monte Carlo of E_η R_S^drop (one η per draw shared by the data points, as in
    Eq. 2) against R_S + R1, two-sided z-test at z*, for random networks of depth 2–4 with
    tanh/ReLU/sigmoid, last hidden widths drawn in [100, 400], random p and data."""
    rng = ctx.rng()
    out = []
    for i, act in enumerate(HIDDEN_ACTS * 2):
        m = int(rng.integers(100, 401))
        L = 2 + i % 3
        Ws, bs, X, Y = _random_network(rng, L, m, act, width_max=32)
        Ws[-1] = Ws[-1] / math.sqrt(m / 8)
        X, Y = X[:4], Y[:4]
        p = _random_p(rng)
        n = ctx.budget(160_000, minimum=8_000)
        est = sim.estimate_dropout_risk(Ws, bs, X, Y, p, act, n=n, rng=ctx.stream())
        out.append(judge.identity(_net_params(Ws, act, p, X), th.lemma1_rhs(Ws, bs, X, Y, p, act),
                                  est, ctx))
    return out


@CATALOG.claim(
    "lemma1.gradient", label="Appendix B.2 (with Lemma 1)", kind=Kind.IDENTITY,
    statement="E_η ∇θ R_S^drop(θ, η) = ∇θ(R_S + R1)(θ), the step 'in the average sense and "
              "combining Lemma 1' of Appendix B.2.")
def lemma1_gradient(ctx: Context) -> list[CaseResult]:
    """The expected dropout gradient by enumerating all keep masks (hand-written backprop, itself
    checked against complex-step derivatives in the tests) against the gradient of R_S + R1,
    entrywise to relative 1e-10, for random networks of depth 2–4 and dropout widths ≤ 10."""
    rng = ctx.rng()
    out = []
    for i in range(6):
        act = HIDDEN_ACTS[i % 3]
        L = 2 + i % 3
        Ws, bs, X, Y = _random_network(rng, L, int(rng.integers(1, 11)), act)
        p = _random_p(rng)
        g = sim.exact_dropout_risk_gradient(Ws, bs, X, Y, p, act)
        ref = th.risk_gradient(th.flatten(Ws, bs), th.shapes_of(Ws), X, Y, act, p=p)
        out.append(judge.exact(_net_params(Ws, act, p, X), ref, g, method="enumeration",
                               n=1 << Ws[-1].shape[1]))
    return out


@CATALOG.claim(
    "lemma1.outside_setting1", label="Lemma 1 (outside Setting 1)", kind=Kind.INEQUALITY,
    as_printed=False,
    statement="Lemma 1 does not extend beyond Setting 1: with dropout on an earlier hidden "
              "layer, on two hidden layers (as in the paper's three-layer experiments), or on "
              "the last two hidden layers of four, E_η R_S^drop ≠ R_S + R1 (Eq. 3 with the "
              "last hidden layer and the same p) whenever the dropout outside the last hidden "
              "layer changes the risk at all: the gap exceeds the resolution of exact "
              "enumeration.",
    note="An extension, not a printed claim: the paper proves Lemma 1 for dropout after the "
         "last hidden layer only (Setting 1) and says only that its experiments use dropout "
         "more generally. The claim is that the identity genuinely fails there, so R1 is not "
         "the implicit regulariser of those experiments. Its power is the smallest relative "
         "gap |E R^drop − (R_S + R1)| / (R_S + R1) over the networks tried.")
def lemma1_outside(ctx: Context) -> list[CaseResult]:
    """Exact enumeration of all joint masks of the dropout layers (forward pass per mask) for
    random depth-3/4 networks with dropout (i) on layer 1 only, (ii) on layers 1 and 2 (the
    paper's Fig. 4 bottom row), (iii) on the last two hidden layers of a depth-4 network;
    networks on which the dropout outside the last hidden layer changes nothing (all its ReLU
    units dead on the data: then it is Setting 1) are redrawn. A case confirms the claim when |E R^drop − (R_S + R1)| exceeds the exact-comparison
    tolerance 1e-10 of the size of the terms (``ctx.ge``: in a power run the threshold is
    raised by δ times that size, so the case is refuted once δ exceeds the relative gap). A
    Setting-1 control on the same network (dropout on the last hidden layer only) must agree
    with Lemma 1 to 1e-10, otherwise the enumeration is not trusted and the case is
    INCONCLUSIVE; the control is reported as a measurement (it is Lemma 1 itself, decided by
    ``lemma1.exact``)."""
    from dropmc.claims import EXACT_RTOL

    rng = ctx.rng()
    out = []
    neutral = Context(ctx.claim_id, ctx.seed, ctx.precision)
    for i in range(6):
        act = HIDDEN_ACTS[i % 3]
        kind = ("earlier", "two layers", "last two of four")[i % 3]
        L = 4 if kind == "last two of four" else 3
        for _attempt in range(20):
            Ws, bs, X, Y = _random_network(rng, L, int(rng.integers(3, 7)), act, width_max=6)
            p = _random_p(rng)
            if kind == "earlier":
                layers = {1: p}
            elif kind == "two layers":
                layers = {1: p, 2: p}
            else:
                layers = {2: p, 3: p}
            # the dropout outside Setting 1 must do something: with ReLU all units of that
            # layer can be dead on the data, and then it is Setting 1 after all (rejected)
            early = {l: q for l, q in layers.items() if l != L - 1}
            rs = th.empirical_risk(Ws, bs, X, Y, act)
            e_early = sim.enumerate_dropout_risk_general(Ws, bs, X, Y, early, act).mean
            if abs(e_early - rs) > 1e-8 * max(abs(rs), abs(e_early)):
                break
        params = _net_params(Ws, act, p, X) | {"dropout layers": sorted(layers),
                                              "rejected no-op networks": _attempt}
        ctrl = sim.enumerate_dropout_risk_general(Ws, bs, X, Y, {L - 1: p}, act)
        rhs = th.lemma1_rhs(Ws, bs, X, Y, p, act)
        c = judge.identity(params | {"control": "Setting 1"}, rhs, ctrl, neutral)
        if c.verdict is not Verdict.CONFIRMED:
            out.append(CaseResult(params, Verdict.INCONCLUSIVE,
                                  detail=f"Setting-1 control failed, enumeration not trusted: "
                                         f"{c.detail}"))
            continue
        c.role = "measurement"
        out.append(c)
        est = sim.enumerate_dropout_risk_general(Ws, bs, X, Y, layers, act)
        gap = est.mean - rhs
        size = max(abs(est.mean), abs(rhs))
        tol = EXACT_RTOL * size
        r1 = rhs - th.empirical_risk(Ws, bs, X, Y, act)
        fails = ctx.ge(abs(gap), tol, scale=size)
        out.append(CaseResult(params, Verdict.CONFIRMED if fails else Verdict.REFUTED, rhs,
                              est, None, tol,
                              f"{kind}: E R^drop = {est.mean:.8g}, R_S + R1 = {rhs:.8g}: gap "
                              f"{gap:.3g} ({abs(gap) / size:.2%} of the terms, "
                              f"{abs(gap) / r1 if r1 > 0 else math.inf:.3g}× R1) "
                              + ("> tol" if fails else "≤ tol") + f" {tol:.1g}",
                              {"abs": abs(gap), "rel": abs(gap) / size}))
    return out


# ------------------------------------------------------------------------------------------
# Eq. 4-5, Appendix B.2: the modified gradient flow
# ------------------------------------------------------------------------------------------

#: the ε grid of the Eq. 5 experiment is set from each network's own scale: ε0 =
#: min(EPS_MAX, EPS_SCALE / (k·λ)), λ the spectral radius of the Hessian of R_S + R1 at θ0
#: (so that k steps move the gradient by at most a quarter of itself), halved EPS_POINTS − 1
#: times. A fixed grid (0.08·2^−j) was pre-asymptotic for networks with λ ≈ 10–17 and gave
#: seed-dependent verdicts (issue 8, item 8).
EPS_MAX = 0.08
EPS_SCALE = 0.25
EPS_POINTS = 6
FLOWS = ("RS", "L", "printed", "corrected")


def _hessian_radius(grad, theta) -> float:
    """Spectral radius of the (symmetrised) Jacobian of ``grad`` at θ, by complex-step
    Hessian-vector products on the basis vectors."""
    n = theta.size
    H = np.array([sim.hvp(grad, theta, np.eye(n)[i]) for i in range(n)])
    return float(np.max(np.abs(np.linalg.eigvalsh(0.5 * (H + H.T)))))


@functools.lru_cache(maxsize=8)
def _flow_experiment(seed: int, precision: str):
    """The shared experiment of the Eq. 5 claims: tiny tanh networks (dropout width 2–3),
    exact mean iterates E θ_k of k ∈ {1, 2, 3} dropout-GD steps over all mask sequences, and
    the end points θ(kε) of the four candidate flows integrated with DOP853 (rtol 1e-12), on
    an ε grid set from the network's curvature (see EPS_SCALE). Deterministic in the run seed
    (one stream shared by the three claims). Rows: (params, θ0, ε grid, E θ_k per ε,
    {flow: θ(kε) per ε}, k‖∇R1(θ0)‖)."""
    ss = np.random.SeedSequence(int(seed), spawn_key=(zlib.crc32(b"implicit_regularization.eq5"),))
    rng = np.random.Generator(np.random.PCG64(ss))
    configs = [(3, 1), (2, 2), (3, 3)] if precision == "quick" else [(3, 1), (2, 2), (3, 3),
                                                                      (2, 3), (3, 2)]
    rows = []
    for m, k in configs:
        d = int(rng.integers(1, 3))
        n = int(rng.integers(2, 4))
        shapes = [(m, d), (1, m)]
        X = rng.uniform(-1.5, 1.5, (n, d))
        Y = rng.normal(size=(n, 1))
        p = float(rng.uniform(0.3, 0.9))
        Ws = [rng.normal(size=s) for s in shapes]
        bs = [rng.normal(size=s[0]) * 0.5 for s in shapes]
        net = sim.TinyNet(shapes, X, Y, p, "tanh")
        theta0 = th.flatten(Ws, bs)
        lam = _hessian_radius(net.grad_L, theta0)
        eps = min(EPS_MAX, EPS_SCALE / (k * lam)) * 2.0 ** -np.arange(EPS_POINTS)
        means = np.array([sim.mean_iterate(net, theta0, e, k) for e in eps])
        ends = {f: np.array([sim.integrate_flow(net.vector_field(f, e), theta0, k * e)
                             for e in eps]) for f in FLOWS}
        # first-order prediction for the R_S-only flow: ‖E θ_k − θ_RS(kε)‖ ≈ kε‖∇R1(θ0)‖
        k_grad_r1 = k * float(np.linalg.norm(net.grad_L(theta0) - net.grad_RS(theta0)))
        rows.append(({"m": m, "d": d, "n": n, "p": round(p, 4), "k steps": k,
                      "mask sequences": 2 ** (m * k), "Hessian radius": round(lam, 4),
                      "eps": [float(e) for e in eps]}, theta0, eps, means, ends, k_grad_r1))
    return rows


def _flow_errors(ctx: Context, row, flow: str) -> np.ndarray:
    """‖E θ_k − θ_flow(kε)‖ per ε, the flow's displacement θ(kε) − θ0 (the theory side)
    passed through ``ctx.perturb``: a power run scales it by 1 + δ, which adds an O(ε) error
    and must break any claimed order above 1."""
    _, theta0, _, means, ends, _ = row
    disp = np.asarray(ctx.perturb(ends[flow] - theta0), float)
    return np.linalg.norm(means - theta0[None, :] - disp, axis=1)


def _order_cases(ctx: Context, flow: str, order: int) -> list[CaseResult]:
    """One :func:`judge.order` case per network: the error of the flow ``flow`` must vanish
    like ε^order (tail slope over the four smallest ε above order − 0.5, or err/ε^order
    bounded). The perturbation is applied to the flow's displacement (:func:`_flow_errors`);
    the judge then sees the errors against 0 with a neutral context."""
    neutral = Context(ctx.claim_id, ctx.seed, ctx.precision)
    out = []
    for row in _flow_experiment(ctx.seed, ctx.precision.name):
        params, _, eps, _, _, _ = row
        e = _flow_errors(ctx, row, flow)
        c = judge.order(params | {"flow": flow}, eps, e, np.zeros_like(e), order,
                        kind="absolute", tail=4, ctx=neutral)
        others = {f: judge.loglog_slope(eps[-4:], _flow_errors(neutral, row, f)[-4:])[0]
                  for f in FLOWS}
        c.detail = (("" if c.verdict is not Verdict.REFUTED else f"order {order} not attained: ")
                    + f"‖E θ_k − θ_flow(kε)‖ ~ ε^{c.error['slope']:.2f}±{c.error['slope_se']:.2f} "
                    f"(claimed ε^{order}; local slopes "
                    + ", ".join(f"{x:.2f}" for x in c.error["local_slopes"])
                    + f"); error {e[-1]:.3g} at ε = {eps[-1]:.3g} (ε0 = {eps[0]:.3g} from the "
                    f"Hessian radius {params['Hessian radius']:.3g}); slopes of all flows: "
                    + ", ".join(f"{f} {s:.2f}" for f, s in others.items()))
        move = float(np.linalg.norm(row[3][-1] - row[1]))
        c.error |= {"eps": [float(x) for x in eps], "errors": [float(x) for x in e],
                    "claimed_local_order": order,
                    "rel": float(e[-1] / move) if move > 0 else math.inf}
        out.append(c)
    return out


@CATALOG.claim(
    "eq5.first_order_r1", label="Eq. 5, Section 5.1", kind=Kind.APPROXIMATION,
    statement="The mean iterate of dropout gradient descent follows the gradient flow of "
              "R_S + R1 to first order in ε (local error O(ε²) over k steps), R1 being "
              "independent of ε, whereas the flow of R_S alone is off at O(ε).",
    note="An order claim (judge.order): the error's log-log slope over the four smallest ε "
         "must exceed the claimed order minus 0.5 (or error/ε^2 stay bounded), on an ε grid "
         "set from each network's curvature.")
def eq5_first_order(ctx: Context) -> list[CaseResult]:
    """E θ_k over all 2^{mk} mask sequences (exact) against θ(kε) of the flow of R_S + R1
    (DOP853, rtol 1e-12) on ε = ε0·2^{−j}, j < 6, ε0 = min(0.08, 0.25/(kλ)) from the Hessian
    radius λ of R_S + R1 at θ0; :func:`judge.order` with claimed order 2 (tail slope over the
    four smallest ε > 1.5, or error/ε² bounded). Power runs scale the flow's displacement by
    1 + δ. Control: the flow of R_S alone is off at first order by exactly what R1 adds: its
    error/ε must tend to k‖∇R1(θ0)‖ with an O(ε) remainder (:func:`judge.order`, claimed
    order 1)."""
    cases = _order_cases(ctx, "L", 2)
    neutral = Context(ctx.claim_id, ctx.seed, ctx.precision)
    for row in _flow_experiment(ctx.seed, ctx.precision.name):
        params, _, eps, _, _, c_pred = row
        e = _flow_errors(neutral, row, "RS")
        local = np.diff(np.log(e)) / np.diff(np.log(eps))
        # the flow of R_S alone misses exactly −kε∇R1 at first order: error/ε → k‖∇R1(θ0)‖
        # with an O(ε) remainder (the prediction k‖∇R1‖ is a theory side: power runs scale it)
        c = judge.order(params | {"flow": "R_S only (control)"}, eps, e / eps,
                        np.full(eps.size, c_pred), 1, kind="absolute", tail=4, ctx=ctx)
        c.detail = (("" if c.verdict is not Verdict.REFUTED else "control failed: ")
                    + f"control, flow of R_S alone: error/ε = {e[-1] / eps[-1]:.5g} at the "
                    f"smallest ε vs k‖∇R1(θ0)‖ = {c_pred:.5g} (first order: R1 is what it "
                    f"misses; the difference vanishes like ε^{c.error['slope']:.2f}); local "
                    "slopes of its error " + ", ".join(f"{x:.2f}" for x in local))
        cases.append(c)
    return cases


@CATALOG.claim(
    "eq5.r2_printed", label="Eq. 4, Eq. 5, Appendix B.2", kind=Kind.APPROXIMATION,
    statement="The mean iterate of dropout GD follows the gradient flow of R_S + R1 + R2 with "
              "R2 = (ε/4) E_η‖∇θ R_S^drop(θ, η)‖², up to O(ε²) in the modified loss (local "
              "error O(ε³) over k steps).",
    note="An order claim (judge.order): REFUTED means the slope over the four smallest ε is "
         "below 3 − 0.5 and error/ε^3 grows; the printed R2 improves nothing over R_S + R1 in "
         "order. See the correction eq5.r2_corrected.")
def eq5_r2_printed(ctx: Context) -> list[CaseResult]:
    """E θ_k over all mask sequences against the flow of R_S + R1 + R2 (Eq. 4), with ∇R2 =
    (ε/2)E_η[H_η ∇R_S^drop] by complex-step Hessian-vector products summed over the 2^m masks;
    :func:`judge.order` with claimed order 3 for the claimed O(ε²) modified loss, on the
    curvature-scaled ε grid of ``eq5.first_order_r1``."""
    return _order_cases(ctx, "printed", 3)


@CATALOG.claim(
    "eq5.r2_corrected", label="Eq. 4, Eq. 5, Appendix B.2", kind=Kind.APPROXIMATION,
    as_printed=False, corrects="eq5.r2_printed",
    statement="The mean iterate of dropout GD follows the gradient flow of "
              "R_S + R1 + (ε/4)‖∇θ(R_S + R1)‖² to local error O(ε³): the ε-term is the "
              "gradient norm of the averaged loss, without the variance of the dropout "
              "gradient.")
def eq5_r2_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation. Write g(θ, η) = ∇R_S^drop and G = E_η g = ∇(R_S + R1) (Lemma 1). With i.i.d.
    η_t, E θ_2 = θ_0 − 2εG + ε² E[∇g(θ_0, η_1) g(θ_0, η_0)] + O(ε³) = θ_0 − 2εG + ε²∇G G + O(ε³)
    because η_1 and η_0 are independent, and in general E θ_k = θ_0 − kεG + ε² k(k−1)/2 ∇G G
    + O(ε³). The flow θ̇ = −G − εf₁ gives θ(kε) = θ_0 − kεG + ε²(k²/2 ∇G G − k f₁) + O(ε³),
    so f₁ = ½∇G G = ¼∇‖G‖². The proof of Appendix B.2 instead expands each fixed-η flow and
    averages E[∇g g] = ∇G G + ½∇ E‖g − G‖², which adds (ε/4)E‖g − G‖²: it treats η as frozen
    over the step while the dynamics draws a new η every step. Checked as the other order
    claims (:func:`judge.order`, claimed order 3) on the exact mean iterates."""
    return _order_cases(ctx, "corrected", 3)


# ------------------------------------------------------------------------------------------
# Section 5.1 (Fig. 2) and Section 6.2 (the two-neuron toy)
# ------------------------------------------------------------------------------------------

#: Section 5.1 experiment: training time T = steps·ε held fixed while ε is halved
S51_TIME = 50.0
S51_EPS0 = 0.1
#: a single dropout run fluctuates about the mean path by O(√ε) and the mean path is O(ε)
#: from the R_S + R1 path (eq5.*): the distance must fall with a slope ≥ half of ½ ...
S51_MIN_SLOPE = 0.25
#: ... and at the smallest ε be at most this fraction of the distance R1 makes (R_S + R1 vs
#: R_S-only training): "almost indistinguishable"
S51_MAX_RATIO = 0.25
#: ... and the R1 values of the two networks (Fig. 2(b)) agree to this relative accuracy (the
#: distance criteria hardly see the *weight* of R1: doubling it moves θ_(R_S+R1) by a few %
#: of the R_S-only distance, but R1(θ) by 45–70%)
S51_MAX_R1_REL = 0.1


def _flat_params(Ws, bs) -> np.ndarray:
    return np.concatenate([W.ravel() for W in Ws] + [b.ravel() for b in bs])


@CATALOG.claim(
    "sec5_1.dropout_vs_r1_training", label="Section 5.1, Fig. 2", kind=Kind.APPROXIMATION,
    statement="With a small learning rate ε, the network trained with R_S^drop and the one "
              "trained with R_S + R1 (same initialisation, same training time) are almost "
              "indistinguishable: the distance between their parameters vanishes as ε → 0 and "
              "is a small fraction of the distance R1 makes (R_S + R1 against R_S-only "
              "training), and their R1 values agree; their R_S, R1 and test error are "
              "reported.",
    note="Laptop scale: a 10-100-1 tanh network on the teacher tanh(Σx_i) (30 samples) "
         "instead of MNIST; full-batch GD, dropout masks per sample and step. The paper's "
         "criterion is qualitative ('almost indistinguishable' at a small learning rate, "
         "because Eq. 5 approximates the dynamics by R_S + R1 as ε → 0); it is made "
         "testable as an order in ε at fixed training time T = 50 (a single dropout run "
         "fluctuates about the mean path by O(√ε): slope ≥ 0.25 required) and a size "
         "(distance at the smallest ε ≤ 25% of the R_S-only control's, R1 values within "
         "10%; over seeds 1–12 the largest R1 gap was 5.6% at quick, 2.8% at standard, the "
         "largest distance ratio 0.13, the smallest slope 0.44). "
         "Turning dropout off gives ratio 1 and slope 0: REFUTED. Doubling R1 in the "
         "explicit loss is refuted through the R1 values.")
def sec5_1_training(ctx: Context) -> list[CaseResult]:
    """For p ∈ {0.5, 0.7, 0.9} (quick: 0.5, 0.9) and ε = 0.1·2^{−j} (j < 5; quick j < 4) at
    fixed training time T = steps·ε = 50, trains the same initialisation by GD on R_S^drop
    (fresh masks per sample and step), on R_S + R1 (Eq. 6, L1; R1 of Eq. 3 is the theory
    side: power runs multiply it by 1 + δ) and, at the smallest ε, on R_S alone. With d(ε) =
    ‖θ_drop − θ_{R_S+R1}‖ and D = ‖θ_{R_S} − θ_{R_S+R1}‖, a case per p is APPROXIMATE when
    the log-log slope of d over the three smallest ε is ≥ 0.25, d/D ≤ 0.25 and
    |R1(θ_drop) − R1(θ_{R_S+R1})| ≤ 10% of R1(θ_{R_S+R1}) at the smallest ε, REFUTED
    otherwise. R_S, R1 and the test MSE of the three networks at the
    smallest ε are measurements (Fig. 2(b))."""
    rng = ctx.rng()
    out = []
    quick = ctx.precision.name == "quick"
    eps = S51_EPS0 * 2.0 ** -np.arange(4 if quick else 5)
    X = rng.normal(size=(30, 10))
    Y = th.target_fig7(X)[:, None]
    Xt = rng.normal(size=(1000, 10))
    Yt = th.target_fig7(Xt)[:, None]
    Ws, bs = sim.init_two_layer(10, 100, 1, rng=ctx.stream())
    weight = ctx.perturb(1.0)            # R1 of Eq. 3 in the explicit loss (the theory side)
    for p in ((0.5, 0.9) if quick else (0.5, 0.7, 0.9)):
        d, last = [], {}
        for e in eps:
            steps = int(round(S51_TIME / e))
            res = {}
            for mode in ("dropout", "r1") + (("plain",) if e == eps[-1] else ()):
                W, b, _ = sim.train_two_layer(Ws, bs, X, Y, p=p, mode=mode, steps=steps, lr=e,
                                              optimizer="gd", rng=ctx.stream(),
                                              r1_weight=weight if mode == "r1" else 1.0)
                res[mode] = (W, b)
            d.append(float(np.linalg.norm(_flat_params(*res["dropout"])
                                          - _flat_params(*res["r1"]))))
            last = res
        d = np.array(d)
        D = float(np.linalg.norm(_flat_params(*last["plain"]) - _flat_params(*last["r1"])))
        slope, se = judge.loglog_slope(eps[-3:], d[-3:])
        local = np.diff(np.log(d)) / np.diff(np.log(eps))
        ratio = float(d[-1] / D) if D > 0 else math.inf
        r1_d, r1_l = th.r1(*last["dropout"], X, p), th.r1(*last["r1"], X, p)
        r1_rel = abs(r1_d - r1_l) / r1_l
        ok = slope >= S51_MIN_SLOPE and ratio <= S51_MAX_RATIO and r1_rel <= S51_MAX_R1_REL
        out.append(CaseResult(
            {"p": p, "T": S51_TIME, "eps": [float(x) for x in eps]},
            Verdict.APPROXIMATE if ok else Verdict.REFUTED, None, None, None, S51_MAX_RATIO,
            ("" if ok else "not indistinguishable: ")
            + f"p = {p}: ‖θ_drop − θ_(R_S+R1)‖ = " + ", ".join(f"{x:.3g}" for x in d)
            + f" at ε = {eps[0]:g} … {eps[-1]:g} (slope {slope:.2f} ± {se:.2f} over the three "
              f"smallest ε, needs ≥ {S51_MIN_SLOPE}; local slopes "
            + ", ".join(f"{x:.2f}" for x in local)
            + f"); {ratio:.3f} of ‖θ_(R_S) − θ_(R_S+R1)‖ = {D:.3g} at the smallest ε "
              f"(needs ≤ {S51_MAX_RATIO}); R1 {r1_d:.4g} (dropout) vs {r1_l:.4g} (R_S + R1): "
              f"{r1_rel:.1%} apart (needs ≤ {S51_MAX_R1_REL:.0%})",
            {"abs": float(d[-1]), "rel": ratio, "r1_rel": r1_rel, "slope": slope, "slope_se": se,
             "local_slopes": local.tolist(), "distances": d.tolist(), "r1_effect": D}))
        vals = {m: (th.empirical_risk(*last[m], X, Y), th.r1(*last[m], X, p),
                    th.empirical_risk(*last[m], Xt, Yt)) for m in last}
        for k, name in enumerate(("R_S", "R1", "test MSE")):
            dv, rv, pv = vals["dropout"][k], vals["r1"][k], vals["plain"][k]
            out.append(judge.approximation({"p": p, "quantity": name, "eps": float(eps[-1])},
                                           rv, dv,
                                           detail=f"p = {p}: {name} {dv:.4g} (dropout) vs "
                                                  f"{rv:.4g} (R_S + R1) vs {pv:.4g} (R_S only)"))
    return out


@CATALOG.claim(
    "sec6_2.two_neuron_toy", label="Section 6.2", kind=Kind.IDENTITY,
    statement="For m = 2 ReLU neurons fitting two points of σ(w*·x) with w*·x_i > 0, "
              "minimising R1 = ‖o1‖² + ‖o2‖² subject to o1 + o2 = o* gives o1 ∥ o2 ∥ o*, "
              "i.e. w1 ∥ w2 ∥ w* (condensation).",
    note="The printed 'R1 = ‖o1‖² + ‖o2‖²' drops the factor (1 − p)/(2np) of Eq. 3 (n = 2); "
         "it does not change the minimiser.")
def sec6_2_toy(ctx: Context) -> list[CaseResult]:
    """SLSQP minimises Σ_j‖o_j‖² over (a_j, w_j, b_j), j = 1, 2, under the two equality
    constraints o1 + o2 = o*, from random starts with both neurons active (restarted until one
    reaches the bound: some starts end in local minima at a ReLU kink); at the optimum the
    value must equal ‖o*‖²/2 (the bound ‖o1‖² + ‖o2‖² ≥ ‖o1 + o2‖²/2) to 1e-6 (the
    optimiser's tolerance), and |cos(w_j, w*)| = 1 to within what the achieved objective gap
    allows (1 − cos ≤ 2·gap·cond(X)²/min‖o_j‖², X the 2×2 matrix of the points (x_i, 1)))."""
    from scipy import optimize

    rng = ctx.rng()
    out = []
    for _ in range(4):
        x = np.sort(rng.uniform(-2, 2, 2))
        Xb = np.c_[x, np.ones(2)]
        while True:
            ws = rng.normal(size=2)
            if np.all(Xb @ ws > 0.2):
                break
        o_star = Xb @ ws

        def outs(t):
            a = t[[0, 3]]
            W = t[[1, 2, 4, 5]].reshape(2, 2)
            return np.maximum(Xb @ W.T, 0.0) * a[None, :]          # (point, neuron)

        best = None
        bound = float(o_star @ o_star) / 2
        # ReLU kinks make local minima with one neuron off at one point (R1 above the bound by
        # a few %): restart until a start reaches the bound, up to 20 starts
        for _s in range(20):
            if best is not None and best.fun - bound <= 1e-9 * bound:
                break
            t0 = np.r_[rng.uniform(0.5, 1.5), ws * rng.uniform(0.2, 1.0, 2) + rng.normal(0, .1, 2),
                       rng.uniform(0.5, 1.5), ws * rng.uniform(0.2, 1.0, 2) + rng.normal(0, .1, 2)]
            r = optimize.minimize(lambda t: float(np.sum(outs(t) ** 2)), t0, method="SLSQP",
                                  constraints=[{"type": "eq",
                                                "fun": lambda t: outs(t).sum(axis=1) - o_star}],
                                  options={"ftol": 1e-14, "maxiter": 1000})
            if r.success:    # polish from the converged point
                r = optimize.minimize(lambda t: float(np.sum(outs(t) ** 2)), r.x,
                                      method="SLSQP", constraints=[{"type": "eq", "fun": lambda t:
                                                                    outs(t).sum(axis=1) - o_star}],
                                      options={"ftol": 1e-16, "maxiter": 1000})
            if r.success and (best is None or r.fun < best.fun):
                best = r
        if best is None:
            out.append(CaseResult({"x": x.tolist()}, Verdict.INCONCLUSIVE,
                                  detail="SLSQP did not converge from any start"))
            continue
        W = best.x[[1, 2, 4, 5]].reshape(2, 2)
        cos = np.abs(W @ ws) / (np.linalg.norm(W, axis=1) * np.linalg.norm(ws))
        params = {"x": np.round(x, 4).tolist(), "w*": np.round(ws, 4).tolist()}
        out.append(judge.exact(params | {"check": "min R1 = ‖o*‖²/2"}, float(o_star @ o_star) / 2,
                               best.fun, rtol=1e-6, method="optimisation"))
        # the optimiser stops with a gap E = R1 − ‖o*‖²/2 ≥ 0; a perpendicular part o⊥ of
        # the neurons' outputs costs 2‖o⊥‖², so 1 − cos ≤ E / min‖o_j‖² (tolerance derived
        # from the achieved gap, not chosen)
        gap = max(best.fun - float(o_star @ o_star) / 2, 0.0)
        oj = np.linalg.norm(outs(best.x), axis=0)
        # ... for the outputs; for w_j = X⁻¹o_j/a_j the angle error is amplified by cond(X)
        tol_cos = (2.0 * gap / max(float(np.min(oj)) ** 2, 1e-300) + 1e-12) \
            * np.linalg.cond(Xb) ** 2
        out.append(judge.exact(params | {"check": "|cos(w_j, w*)| = 1",
                                         "objective gap": gap}, [1.0, 1.0], cos,
                               rtol=0.0, atol=tol_cos, method="optimisation"))
    return out


# ------------------------------------------------------------------------------------------
# Section 6.2, Theorem 1 (Appendix B.3)
# ------------------------------------------------------------------------------------------

def _theorem1_config(case: str, xs, i: int, f1: float, f2: float, w1: float, w2: float,
                     a1: float, a2: float, extra):
    """Build a configuration meeting one case of Appendix B.3. ``xs`` sorted data, ``i`` the
    0-based index of x_{i+1} in the proof's notation (the pivot), f1/f2 ∈ (0, 1] fractions
    placing the intercepts, magnitudes w1, w2, a1, a2 > 0; signs set by the case."""
    x_prev, x_piv, x_next = xs[i - 1], xs[i], xs[i + 1]
    if case.startswith("convexity"):
        c1 = x_prev + f1 * (x_piv - x_prev)            # (x_i, x_{i+1}]
        c2 = x_piv + (1 - f2) * (x_next - x_piv)       # [x_{i+1}, x_{i+2})
        sw1, sa1, sw2, sa2 = {"convexity1": (1, -1, 1, 1), "convexity2": (1, -1, -1, 1),
                              "convexity3": (-1, -1, 1, 1), "convexity4": (-1, -1, -1, 1)}[case]
    else:
        lo, hi = x_piv, x_next                          # inner interval [x_{i+1}, x_{i+2}]
        u1, u2 = sorted((f1, f2))
        if u2 - u1 < 1e-3:          # "different intercept points": keep them apart
            u1 = 0.5 * u1
        c1, c2 = lo + u1 * (hi - lo), lo + u2 * (hi - lo)
        sw1, sa1, sw2, sa2 = (1, -1, 1, 1) if case == "intercept_pos" else (1, -1, 1, -1)
    W1, W2, A1, A2 = sw1 * w1, sw2 * w2, sa1 * a1, sa2 * a2
    if case == "intercept_neg_eq":
        A2 = A1 * W1 / W2
    elif case == "intercept_neg_gt" and not A1 * W1 > A2 * W2:
        A2 = 2.0 * A1 * W1 / W2
    elif case == "intercept_neg_lt" and not A1 * W1 < A2 * W2:
        A2 = 0.5 * A1 * W1 / W2
    pert = "convexity23" if case in ("convexity2", "convexity3") else case
    return pert, (A1, W1, -W1 * c1, A2, W2, -W2 * c2), extra


def _theorem1_check(xs, pert, pair, extra, p: float, eps_list=(1e-3, 1e-4, 1e-5)):
    """Apply the printed perturbation; return (ok, info): outputs at the data unchanged to
    1e-9 of their scale, R1 lower for every ε, and the decrease Θ(ε) (ratio at the two
    smallest ε within 10% of each other). "Infinitesimal" is made concrete by scaling the ε
    list by the configuration's own scale g = min(1, |w1|·|c1 − c2|, smallest nonzero
    |w_j x_i + b_j| of the pair), below which no activation pattern or ordering changes."""
    ea, ew, eb, la, lb, x_piv = extra
    a1, w1, b1, a2, w2, b2 = pair
    pre = np.abs(np.outer([w1, w2], xs) + np.array([[b1], [b2]]))
    g = min(1.0, abs(w1) * abs(b1 / w1 - b2 / w2), float(np.min(pre[pre > 1e-12])))
    eps_list = tuple(g * e for e in eps_list)
    a = np.concatenate([[a1, a2], ea])
    w = np.concatenate([[w1, w2], ew])
    b = np.concatenate([[b1, b2], eb])
    f0, neurons = th.relu_1d_outputs(a, w, b, la, lb, xs)
    y = f0.copy()                                          # R_S(θ) = 0 by construction
    scale = max(1.0, float(np.max(np.abs(neurons))), abs(la), abs(lb))
    r1_0 = th.relu_1d_r1(a, w, b, xs, p)
    ctx = current_context() or Context("<theorem1>", 0)
    drops, worst, outs_ok, dec = [], 0.0, [], []
    for eps in eps_list:
        A1, W1n, B1n, A2, W2n, B2n, dla, dlb = th.theorem1_perturbation(pert, a1, w1, b1, a2, w2,
                                                                        b2, x_piv, eps)
        a_n = np.concatenate([[A1, A2], ea])
        w_n = np.concatenate([[W1n, W2n], ew])
        b_n = np.concatenate([[B1n, B2n], eb])
        f1, _ = th.relu_1d_outputs(a_n, w_n, b_n, la + dla, lb + dlb, xs)
        dev = float(np.max(np.abs(f1 - y)))
        worst = max(worst, dev)
        # R_S = 0 kept: the outputs at the data equal y (the theory side, perturbed in power
        # runs) to 1e-9 of their scale; R1 strictly lower (the bound R1(θ) tightened by δ)
        outs_ok.append(ctx.close(f1, y, rtol=0.0, atol=1e-9 * scale, scale=scale))
        r1_n = th.relu_1d_r1(a_n, w_n, b_n, xs, p)
        dec.append(ctx.le(r1_n, r1_0, tol=-1e-15 * r1_0))
        drops.append(r1_0 - r1_n)
    rs_ok = all(outs_ok)
    dec_ok = all(dec)
    r = (drops[-1] / eps_list[-1]) / (drops[-2] / eps_list[-2]) if drops[-2] != 0 else np.inf
    theta_ok = ctx.close(r, 1.0, rtol=0.0, atol=0.1)
    msg = (f"R_S {'stays 0' if rs_ok else 'BROKEN'} (max |Δf(x_i)| = {worst:.2g}); R1 = "
           f"{r1_0:.6g} {'decreases' if dec_ok else 'does NOT decrease'} by "
           + ", ".join(f"{dd:.3g} (ε={e:.2g})" for e, dd in zip(eps_list, drops))
           + f"; ΔR1/ε ratio {r:.4f} ({'Θ(ε)' if theta_ok else 'not Θ(ε)'})")
    return rs_ok and dec_ok and theta_ok, msg


T1_CASES = ("convexity1", "convexity2", "convexity3", "convexity4", "intercept_pos",
            "intercept_neg_eq", "intercept_neg_gt", "intercept_neg_lt")


def _t1_random(rng, case, *, f1=None, f2=None):
    n = int(rng.integers(4, 9))
    xs = np.sort(rng.uniform(-3, 3, n))
    xs += np.arange(n) * 0.05                                  # strictly increasing
    if case.startswith("intercept"):
        # an inner interval [x_{i+1}, x_{i+2}] (proof's notation) with data on both sides; the
        # last interval is thm1.statement_last_interval's family
        i = int(rng.integers(1, n - 2))
    else:
        i = int(rng.integers(1, n - 1))
    f1 = float(rng.uniform(0.05, 1.0)) if f1 is None else f1
    f2 = float(rng.uniform(0.05, 1.0)) if f2 is None else f2
    mags = rng.uniform(0.3, 2.0, 4)
    k = int(rng.integers(0, 4))
    extra = (rng.normal(size=k), rng.normal(size=k), rng.normal(size=k), float(rng.normal()),
             float(rng.normal()))
    pert, pair, _ = _theorem1_config(case, xs, i, f1, f2, *mags, extra)
    return xs, pert, pair, extra + (float(xs[i]),)


@CATALOG.claim(
    "thm1.perturbations", label="Theorem 1, Appendix B.3", kind=Kind.INEQUALITY,
    statement="For the 1-D two-layer ReLU network with linear term at R_S = 0, if a convexity "
              "change can be removed (cases 1–4) or two same-direction neurons have different "
              "intercepts in one inner interval (a2 > 0; a2 < 0 with a1w1 =, >, < a2w2), the "
              "printed perturbation keeps R_S = 0 and lowers R1 by Θ(ε).",
    note="Configurations are built in the proof's WLOG form (a1 < 0; w > 0 in the intercept "
         "cases) with intercepts strictly inside the intervals or at the pivot x_{i+1}; the "
         "printed 'a = −a1(w̃1 − w1), b = −a1(b̃1 − b1)' of cases 2–3 is read as the change of "
         "the linear term (the literal reading breaks R_S = 0 unless a = b = 0).")
def thm1_perturbations(ctx: Context) -> list[CaseResult]:
    """For each of the 8 cases: random configurations (4–8 data points, 0–3 extra neurons, a
    random linear term, y := f_θ(x) so R_S = 0), the printed perturbation at ε = 1e-3, 1e-4,
    1e-5; R_S must stay 0 (outputs unchanged to 1e-9 of their scale), R1 must decrease, and the
    decrease must be linear in ε. Then a hypothesis search over the case, the data and the
    intercept fractions (0.01–1] for a configuration where it fails."""
    from hypothesis import strategies as st

    rng = ctx.rng()
    out = []
    p = 0.8
    reps = 2 if ctx.precision.name == "quick" else 5
    for case in T1_CASES:
        for rep in range(reps):
            # the convexity cases allow an intercept at the pivot x_{i+1} (fraction 1)
            f1 = 1.0 if (rep == 0 and case.startswith("convexity")) else None
            f2 = 1.0 if (rep == 1 and case.startswith("convexity")) else None
            xs, pert, pair, extra = _t1_random(rng, case, f1=f1, f2=f2)
            ok, info = _theorem1_check(xs, pert, pair, extra, p)
            out.append(CaseResult({"case": case, "n": len(xs)}, Verdict.CONFIRMED if ok
                                  else Verdict.REFUTED, detail=f"{case}: {info}"))

    def holds(args):
        case, seed, f1, f2 = args
        r = np.random.default_rng(seed)
        xs, pert, pair, extra = _t1_random(r, case, f1=f1, f2=f2)
        return _theorem1_check(xs, pert, pair, extra, p)[0]

    strat = st.tuples(st.sampled_from(T1_CASES), st.integers(0, 2 ** 32 - 1),
                      st.floats(0.01, 0.99), st.floats(0.01, 0.99))
    out.append(judge.search_case({"cases": "all 8"}, holds, strat, ctx,
                                 what="(case, seed, f1, f2)"))
    return out


@CATALOG.claim(
    "thm1.closed_interval", label="Theorem 1 (ii), Appendix B.3", kind=Kind.INEQUALITY,
    statement="Condition (ii) allows both intercept points anywhere in the closed interval "
              "[x_i, x_{i+1}]; the printed perturbation also covers intercepts on its end "
              "points.")
def thm1_closed_interval(ctx: Context) -> list[CaseResult]:
    """Deterministic edge cases of condition (ii): the second intercept exactly on the right
    end point x_{i+2} (proof's notation) or the first on the left end point, for each
    intercept sub-case, with random data, magnitudes and extra neurons; the same check as
    thm1.perturbations (R_S stays 0, R1 decreases by Θ(ε))."""
    rng = ctx.rng()
    out = []
    p = 0.8
    for case in T1_CASES[4:]:
        for f1, f2, where in ((0.4, 1.0, "c2 = right end point"),
                              (0.0, 0.6, "c1 = left end point")):
            xs, pert, pair, extra = _t1_random(rng, case, f1=f1, f2=f2)
            ok, info = _theorem1_check(xs, pert, pair, extra, p)
            out.append(CaseResult({"case": case, "edge": where}, Verdict.CONFIRMED if ok
                                  else Verdict.REFUTED, detail=f"{where}: {info}"))
    return out


@CATALOG.claim(
    "thm1.closed_interval_corrected", label="Theorem 1 (ii), Appendix B.3", kind=Kind.INEQUALITY,
    as_printed=False, corrects="thm1.closed_interval",
    statement="When the second intercept sits on the right end point x_{i+2} of the inner "
              "interval (data beyond it, a1 < 0 < a2, w1, w2 > 0), pivoting about x_{i+2} "
              "instead of x_{i+1} (same formulas otherwise) keeps R_S = 0 and lowers R1.")
def thm1_closed_interval_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: with c2 = x_{i+2}, neuron 2 vanishes at x_{i+2} and cannot absorb the change
    a1εw1(x_{i+1} − x_{i+2}) ≠ 0 of the printed pivot at x_{i+1}. Pivoting neuron 1 about
    x_{i+2} (w̃1 = w1(1 − ε), b̃1 = b1 + x_{i+2}w1ε) changes its output only at x > x_{i+2}, by
    a1εw1(x_{i+2} − x) (there are no data in (x_{i+1}, x_{i+2}) and c1 > x_{i+1}); neuron 2's
    compensating change −a1εw1(x_{i+2} − x) keeps its pre-activation 0 at x_{i+2} and is added
    only where it is active. Both |a1σ1| and |a2σ2| shrink at every x > x_{i+2}, so R1 drops by
    Θ(ε) as long as one data point lies beyond x_{i+2}. Checked like thm1.perturbations on
    random configurations of that edge (c1 strictly inside)."""
    rng = ctx.rng()
    out = []
    for _ in range(4 if ctx.precision.name == "quick" else 10):
        f1 = float(rng.uniform(0.05, 0.95))
        xs, pert, pair, extra = _t1_random(rng, "intercept_pos", f1=f1, f2=1.0)
        x_right = float(xs[np.searchsorted(xs, extra[5], side="right")])
        ok, info = _theorem1_check(xs, pert, pair, extra[:5] + (x_right,), 0.8)
        out.append(CaseResult({"case": "intercept_pos", "edge": "c2 = right end point",
                               "pivot": "x_{i+2}"}, Verdict.CONFIRMED if ok else Verdict.REFUTED,
                              detail=info))
    return out


def _t1_endpoint_config(rng):
    """Theorem 1 (ii) on the last interval [x_{n−1}, x_n]: two neurons with w1, w2 > 0,
    a1 < 0 < a2, c1 ∈ (x_{n−1}, x_n) and c2 = x_n, plus a linear term; y := f_θ(x)."""
    n = int(rng.integers(3, 8))
    xs = np.sort(rng.uniform(-3, 3, n)) + np.arange(n) * 0.05
    c1 = xs[-2] + rng.uniform(0.1, 0.9) * (xs[-1] - xs[-2])
    w1, w2, a1, a2 = rng.uniform(0.3, 2.0, 4)
    theta = np.array([-a1, w1, -w1 * c1, a2, w2, -w2 * xs[-1], rng.normal(), rng.normal()])
    return xs, theta


def _t1_endpoint_config_equal(rng):
    """Theorem 1 (ii) on the last interval with a1, a2 < 0, w1, w2 > 0, both intercepts
    inside (x_{n−1}, x_n) and the two neuron outputs equal at x_n (the only active point)."""
    n = int(rng.integers(3, 8))
    xs = np.sort(rng.uniform(-3, 3, n)) + np.arange(n) * 0.05
    u1, u2 = np.sort(rng.uniform(0.1, 0.9, 2))
    c1, c2 = (xs[-2] + u * (xs[-1] - xs[-2]) for u in (u1, u2))
    w1, w2, a1 = rng.uniform(0.3, 2.0, 3)
    a1 = -a1
    a2 = a1 * w1 * (xs[-1] - c1) / (w2 * (xs[-1] - c2))
    theta = np.array([a1, w1, -w1 * c1, a2, w2, -w2 * c2, rng.normal(), rng.normal()])
    return xs, theta


def _t1_unpack(t):
    return t[[0, 3]], t[[1, 4]], t[[2, 5]], t[6], t[7]


def _t1_sample_min_r1(xs, theta, p, delta, n_samples, rng):
    """Smallest R1 over ``n_samples`` zero-loss perturbations within ±δ: (a1, w1, a2, w2, b2)
    drawn uniformly in the box, b1 solved from the constraint at x_n, the linear term kept
    (it is pinned by the n − 1 ≥ 2 points where both neurons vanish); a sample counts only if
    all n outputs are unchanged to 1e-12 of their scale. Returns (R1(θ), min R1, accepted)."""
    a1, w1, b1, a2, w2, b2, la, lb = theta
    y = th.relu_1d_outputs(*_t1_unpack(theta), xs)[0]
    r0 = th.relu_1d_r1(*_t1_unpack(theta)[:3], xs, p)
    k = n_samples
    A1 = a1 + rng.uniform(-delta, delta, k)
    W1 = w1 + rng.uniform(-delta, delta, k)
    A2 = a2 + rng.uniform(-delta, delta, k)
    W2 = w2 + rng.uniform(-delta, delta, k)
    B2 = b2 + rng.uniform(-delta, delta, k)
    xn = xs[-1]
    target = y[-1] - (la * xn + lb)
    B1 = (target - A2 * np.maximum(W2 * xn + B2, 0.0)) / A1 - W1 * xn
    Z1 = np.outer(W1, xs) + B1[:, None]
    Z2 = np.outer(W2, xs) + B2[:, None]
    N1 = A1[:, None] * np.maximum(Z1, 0.0)
    N2 = A2[:, None] * np.maximum(Z2, 0.0)
    f = N1 + N2 + la * xs[None, :] + lb
    scale = max(1.0, float(np.max(np.abs(y))))
    ok = (np.max(np.abs(f - y[None, :]), axis=1) <= 1e-12 * scale) & (np.abs(B1 - b1) <= delta)
    r1s = (1.0 - p) / (2.0 * len(xs) * p) * np.sum(N1 ** 2 + N2 ** 2, axis=1)
    best = float(np.min(r1s[ok])) if ok.any() else r0
    return r0, min(best, r0), int(ok.sum())


@CATALOG.claim(
    "thm1.statement_last_interval", label="Theorem 1 (ii)", kind=Kind.INEQUALITY,
    statement="Whenever two neurons of the same direction have different intercept points in "
              "one interval [x_i, x_{i+1}], i ∈ [2 : n − 1] (closed, as printed), some "
              "infinitesimal perturbation keeps R_S = 0 and lowers R1.",
    note="Counterexamples on the last interval (i = n − 1), where x_n is the only point at "
         "which the two neurons are active; the linear term is pinned by the n − 1 ≥ 2 other "
         "points and a1σ1 + a2σ2 = S is fixed at x_n. (1) c2 = x_n and a1 < 0 < a2: a1σ1 ≤ 0 "
         "≤ a2σ2, so (a1σ1)² + (a2σ2)² ≥ S², the current value. (2) a1, a2 < 0 with equal "
         "outputs at x_n: the sum of squares is already at its minimum S²/2. No nearby "
         "zero-loss point has a smaller R1. Inner intervals with data on both sides are "
         "covered by thm1.perturbations.")
def thm1_statement_last_interval(ctx: Context) -> list[CaseResult]:
    """For random configurations of the two counterexample families of the note (n = 3–7
    points, random magnitudes and linear term; y := f_θ(x)), a random search
    over zero-loss perturbations in boxes of half-width 1e-4 and 1e-3 (five neuron parameters
    drawn, the sixth solved from the constraint at x_n, every output checked). The claim is
    refuted when no sample has R1 below its value at θ by more than 1e-12 (relative), matching
    the argument in the note; a control (c2 strictly inside the interval) must find a lower
    R1, or the case is INCONCLUSIVE."""
    rng = ctx.rng()
    out = []
    k = ctx.budget(200_000, minimum=20_000)
    for fam in ("a1 < 0 < a2, c2 = x_n",) * 2 + ("a1, a2 < 0, equal outputs at x_n",) * 2:
        xs, theta = (_t1_endpoint_config(rng) if fam.startswith("a1 < 0 <")
                     else _t1_endpoint_config_equal(rng))
        p = 0.8
        for delta in (1e-4, 1e-3):
            r0, best, acc = _t1_sample_min_r1(xs, theta, p, delta, k, rng)
            # "R1 lowered": the smallest sampled R1 below R1(θ) by 1e-12 relative (the bound
            # R1(θ) is tightened by δ·R1(θ) in power runs)
            lowered = ctx.le(best, r0 * (1 - 1e-12))
            out.append(CaseResult(
                {"family": fam, "n": len(xs), "delta": delta, "x": np.round(xs, 4).tolist(),
                 "theta (a1,w1,b1,a2,w2,b2,a,b)": np.round(theta, 4).tolist()},
                Verdict.CONFIRMED if lowered else Verdict.REFUTED, r0,
                Estimate(best, 0.0, acc, "search"), None, None,
                f"R1(θ) = {r0:.10g}; smallest R1 over {acc} zero-loss perturbations within "
                f"±{delta:g}: {best:.10g} ({'lower' if lowered else 'not lower'})"))
    # control: the same family with c2 strictly inside the interval has a lowering direction
    xs, theta = _t1_endpoint_config(rng)
    c2 = xs[-2] + 0.95 * (xs[-1] - xs[-2])
    theta[5] = -theta[4] * c2
    r0, best, acc = _t1_sample_min_r1(xs, theta, 0.8, 1e-3, k, rng)
    if not best < r0 * (1 - 1e-12):
        out.append(CaseResult({"control": "c2 inside"}, Verdict.INCONCLUSIVE,
                              detail=f"the search found no lower R1 even in the control "
                                     f"({r0:.10g} vs {best:.10g}, {acc} accepted): too weak "
                                     "to decide"))
    return out


# ------------------------------------------------------------------------------------------
# Section 7.2, Theorem 2 (Appendix B.4)
# ------------------------------------------------------------------------------------------

def _relu2_config(rng, m=None, d=None, n=None):
    m = int(rng.integers(1, 7)) if m is None else m
    d = int(rng.integers(1, 4)) if d is None else d
    n = int(rng.integers(1, 7)) if n is None else n
    a = rng.normal(size=m)
    W = rng.normal(size=(m, d))
    X = rng.normal(size=(n, d))
    return a, W, X


@CATALOG.claim(
    "sec7_2.trace_hessian", label="Section 7.2", kind=Kind.IDENTITY,
    statement="When R_S(θ) = 0, Tr(H) = Tr((1/n)Σ_i ∇θf(x_i)∇θf(x_i)ᵀ) = "
              "(1/n)Σ_i‖∇θ f_θ(x_i)‖².",
    note="For Theorem 2's bias-free two-layer ReLU network the identity holds at every θ "
         "(a.e.), since the diagonal of ∇²f vanishes; for tanh networks it needs R_S = 0.")
def sec7_2_trace(ctx: Context) -> list[CaseResult]:
    """At zero-loss points (y_i := f_θ(x_i)) the exact Hessian trace of R_S (complex step on
    the hand-written gradient) against (1/n)Σ‖∇θ f(x_i)‖² computed by complex steps on the
    outputs, relative 1e-10, for Theorem 2's ReLU network and for tanh networks of depth 2–3
    with biases."""
    rng = ctx.rng()
    out = []
    for _ in range(4):
        a, W, X = _relu2_config(rng)
        m = a.size
        Y = th.relu2_output(a, W, X)
        theta = np.concatenate([a, W.ravel()])
        tr = sim.hessian_trace(lambda t: sim.relu2_grad(t, X, Y, m), theta)
        fl = sim.flatness_numeric(theta, X, m)
        out.append(judge.identity({"network": "ReLU, Theorem 2", "m": m, "d": X.shape[1],
                                   "n": X.shape[0]}, fl, Estimate(tr, 0.0, theta.size,
                                                                  "closed_form"), ctx))
    for L in (2, 3, 2, 3):
        Ws, bs, X, _ = _random_network(rng, L, int(rng.integers(2, 6)), "tanh", d_out=1)
        Y = th.forward(Ws, bs, X, "tanh")[-1]
        shapes = th.shapes_of(Ws)
        theta = th.flatten(Ws, bs)
        tr = sim.hessian_trace(lambda t: th.risk_gradient(t, shapes, X, Y, "tanh"), theta)

        def outf(t):
            Wt, bt = th.unflatten(t, shapes)
            return th.forward(Wt, bt, X, "tanh")[-1][:, 0]

        fl = float(np.mean(sim.output_gradient_norms(outf, theta, X.shape[0])))
        out.append(judge.identity(_net_params(Ws, "tanh", 1.0, X) | {"network": "tanh"}, fl,
                                  Estimate(tr, 0.0, theta.size, "closed_form"), ctx))
    return out


@CATALOG.claim(
    "thm2.flatness_formula", label="Theorem 2, Appendix B.4", kind=Kind.IDENTITY,
    statement="For f = Σ_j a_j σ(w_jᵀx) (ReLU), (1/n)Σ_i‖∇θf(x_i)‖² = "
              "(1/n)Σ_iΣ_j(σ²(w_jᵀx_i) + a_j²σ'(w_jᵀx_i)²‖x_i‖²).")
def thm2_flatness_formula(ctx: Context) -> list[CaseResult]:
    """The printed closed form against complex-step gradients of the outputs, relative 1e-10,
    on random (a, W, X)."""
    rng = ctx.rng()
    out = []
    for _ in range(8):
        a, W, X = _relu2_config(rng)
        theta = np.concatenate([a, W.ravel()])
        out.append(judge.identity({"m": a.size, "d": X.shape[1], "n": X.shape[0]},
                                  th.flatness(a, W, X),
                                  Estimate(sim.flatness_numeric(theta, X, a.size), 0.0,
                                           theta.size, "closed_form"), ctx))
    return out


def _thm2_derivative_case(a, W, X, p):
    m = a.size
    Y = th.relu2_output(a, W, X)
    theta = np.concatenate([a, W.ravel()])
    num = sim.flatness_derivative_numeric(theta, X, Y, m, p)
    ga, gW = th.relu2_r1_gradient(a, W, X, p)
    gnorm = float(np.sqrt(np.sum(ga ** 2) + np.sum(gW ** 2)))
    return num, th.flatness_derivative_r1_flow(a, W, X, p), gnorm


def _thm2_size(a, W, X, p) -> float:
    """‖∇F‖·‖∇R1‖: the size of the terms of dF/dt = −∇F·∇R1 (Cauchy–Schwarz), the scale by
    which power runs move the bound 0 of the sign claim."""
    fa, fW = th.flatness_gradient(a, W, X)
    ga, gW = th.relu2_r1_gradient(a, W, X, p)
    return float(np.sqrt((np.sum(fa ** 2) + np.sum(fW ** 2))
                         * (np.sum(ga ** 2) + np.sum(gW ** 2))))


@CATALOG.claim(
    "thm2.flatness_decreases", label="Theorem 2", kind=Kind.INEQUALITY,
    statement="Under gradient flow of R_S + R1 for the two-layer ReLU network, at θ0 with "
              "R_S(θ0) = 0 and ∇R1(θ0) ≠ 0, d/dt (1/n)Σ‖∇θ f(x_i)‖² < 0.")
def thm2_flatness_decreases(ctx: Context) -> list[CaseResult]:
    """At zero-loss points (y := f_θ(x)) the derivative is a central finite difference of the
    complex-step flatness along the flow direction −∇(R_S + R1) (itself a complex-step gradient
    of the loss): no closed form is used. It must be negative whenever ∇R1 ≠ 0; it is also
    compared with our closed form −∇F·∇R1 (relative 1e-5, the finite-difference accuracy). A
    hypothesis search over (m, d, n, seed, p) looks for a positive derivative."""
    from hypothesis import strategies as st

    rng = ctx.rng()
    out = []
    for _ in range(6):
        a, W, X = _relu2_config(rng)
        p = _random_p(rng)
        num, closed, gnorm = _thm2_derivative_case(a, W, X, p)
        params = {"m": a.size, "d": X.shape[1], "n": X.shape[0], "p": p, "|∇R1|": gnorm}
        if gnorm == 0:
            continue
        out.append(judge.upper_bound(params, 0.0, Estimate(num, 0.0, 1, "closed_form"), ctx,
                                     detail=f"dF/dt = {num:.6g} (finite difference), closed "
                                            f"form {closed:.6g}",
                                     scale=_thm2_size(a, W, X, p)))
        out.append(judge.exact(params | {"check": "closed form vs finite difference"}, closed,
                               num, rtol=1e-5))

    def holds(args):
        m, d, n, seed, p = args
        a, W, X = _relu2_config(np.random.default_rng(seed), m, d, n)
        num, closed, gnorm = _thm2_derivative_case(a, W, X, p)
        # dF/dt < 0 (the bound 0 is tightened by δ·‖∇F‖‖∇R1‖ in power runs)
        return gnorm < 1e-9 or (ctx.le(num, 0.0, tol=-1e-300, scale=_thm2_size(a, W, X, p))
                                and closed < 0)

    strat = st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 5),
                      st.integers(0, 2 ** 32 - 1), st.floats(0.05, 0.99))
    out.append(judge.search_case({"m, d, n": "1-5, 1-3, 1-5"}, holds, strat, ctx,
                                 what="(m, d, n, seed, p)",
                                 max_examples=min(ctx.search_examples, 300)))
    return out


@CATALOG.claim(
    "thm2.proof_flow", label="Appendix B.4", kind=Kind.IDENTITY,
    statement="Under the gradient flow of R1, da_j/dt = −(1 − p)/(2np) Σ_i a_j σ²(w_jᵀx_i) and "
              "dw_j/dt = −(1 − p)/(2np) Σ_i a_j² σ(w_jᵀx_i) x_iᵀ.",
    note="Half the true −∇R1; see thm2.proof_flow_corrected. Only the time scale changes, so "
         "the sign conclusion of Theorem 2 is unaffected.")
def thm2_proof_flow(ctx: Context) -> list[CaseResult]:
    """The printed right-hand sides against −∇R1 by complex-step differentiation of R1
    (Eq. 3), entrywise to relative 1e-10, on random (a, W, X, p)."""
    return _proof_flow_cases(ctx, printed=True)


@CATALOG.claim(
    "thm2.proof_flow_corrected", label="Appendix B.4", kind=Kind.IDENTITY, as_printed=False,
    corrects="thm2.proof_flow",
    statement="Under the gradient flow of R1, da_j/dt = −(1 − p)/(np) Σ_i a_j σ²(w_jᵀx_i) and "
              "dw_j/dt = −(1 − p)/(np) Σ_i a_j² σ(w_jᵀx_i) x_iᵀ.")
def thm2_proof_flow_corrected(ctx: Context) -> list[CaseResult]:
    """Derivation: R1 = (1 − p)/(2np) Σ_iΣ_j a_j² σ(w_jᵀx_i)², so ∂R1/∂a_j = (1 − p)/(np)
    Σ_i a_j σ², and since σσ' = σ for ReLU, ∇_{w_j}R1 = (1 − p)/(np) Σ_i a_j² σ(w_jᵀx_i)x_i:
    the factor 2 of the square cancels the 1/2 of Eq. 3, which the printed flow keeps. Checked
    against complex-step derivatives of R1 as the printed version."""
    return _proof_flow_cases(ctx, printed=False)


def _proof_flow_cases(ctx, printed: bool):
    rng = ctx.rng()
    out = []
    for _ in range(6):
        a, W, X = _relu2_config(rng)
        p = _random_p(rng)
        m = a.size
        theta = np.concatenate([a, W.ravel()])
        r1 = (lambda t: (1.0 - p) / (2.0 * X.shape[0] * p)
              * np.sum(th.act("relu", X @ t[m:].reshape(m, -1).T) ** 2 * (t[:m] ** 2)[None, :]))
        true = -sim.complex_step_gradient(r1, theta)
        if printed:
            da, dW = th.relu2_r1_flow_printed(a, W, X, p)
        else:
            ga, gW = th.relu2_r1_gradient(a, W, X, p)
            da, dW = -ga, -gW
        val = np.concatenate([da, dW.ravel()])
        out.append(judge.exact({"m": m, "d": X.shape[1], "n": X.shape[0], "p": p}, true, val,
                               ))
        if out[-1].verdict is Verdict.REFUTED:
            nz = np.abs(true) > 1e-12
            ratio = float(np.median(val[nz] / true[nz])) if nz.any() else float("nan")
            out[-1].detail += f"; printed / true = {ratio:.6g} (median over entries)"
    return out


# ------------------------------------------------------------------------------------------
# Extension (issue 11): Lemma 1 for a user's network
# ------------------------------------------------------------------------------------------

def _lemma1_case(ctx: Context, Ws, bs, X, Y, p, activation, params) -> CaseResult:
    """Exact enumeration of the dropout layer when it has at most 20 units, Monte Carlo over η
    otherwise, against R_S + R1."""
    m = Ws[-1].shape[1]
    if m <= 20:
        est = sim.exact_dropout_risk(Ws, bs, X, Y, p, activation)
    else:
        est = sim.estimate_dropout_risk(Ws, bs, X, Y, p, activation,
                                        n=ctx.budget(200_000, 10_000), rng=ctx.stream())
    return judge.identity(params, th.lemma1_rhs(Ws, bs, X, Y, p, activation), est, ctx)


def lemma1_claim(catalog: Catalog, weights, biases, X, Y, p: float, activation: str = "tanh",
                 *, name: str = "mynet"):
    """Register, in your own ``catalog``, Lemma 1 (Eq. 3) for *your* network: weights and
    biases (lists, Setting 1: dropout on the last hidden layer), data X, Y, keep probability p
    and a hidden activation ("tanh", "relu", "sigmoid"). Decided by exact enumeration of the
    dropout layer's masks when it has at most 20 units, by Monte Carlo over η otherwise::

        from dropmc import Catalog
        from dropmc.papers.implicit_regularization import lemma1_claim
        CATALOG = Catalog("mynet")
        lemma1_claim(CATALOG, [W1, W2], [b1, b2], X, Y, p=0.8, activation="relu")
    """
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    p = float(p)
    th.lemma1_rhs(Ws, bs, X, Y, p, activation)  # validates p and the activation now
    slug = f"lemma1.{name}"
    params = {"widths": [W.shape[1] for W in Ws] + [Ws[-1].shape[0]], "activation": activation,
              "p": p, "n_data": X.shape[0], "network": name}

    def evaluate(ctx: Context) -> list[CaseResult]:
        return [_lemma1_case(ctx, Ws, bs, X, Y, p, activation, params)]

    evaluate.__doc__ = f"Lemma 1 (Eq. 3) for the network {name!r}: E_η R_S^drop = R_S + R1."
    catalog.claim(slug, label="Lemma 1, Eq. 3 (your network)", kind=Kind.IDENTITY,
                  as_printed=False,
                  statement=f"E_η R_S^drop = R_S + R1 for the network {name}.")(evaluate)
    return next(c for c in catalog.claims if c.id == f"{catalog.paper}.{slug}")


@CATALOG.claim(
    "ext.lemma1_structured_networks", label="Lemma 1, Eq. 3 (structured networks)",
    kind=Kind.IDENTITY, as_printed=False,
    statement="Lemma 1 holds for the structured networks a user meets in practice, not only "
              "random ones: a condensed network (hidden units sharing one orientation), a "
              "saturated tanh network (large weights), a network with dead output columns "
              "(zero columns of W^[L]) and a wide ReLU network (Monte Carlo).")
def ext_lemma1_structured(ctx: Context) -> list[CaseResult]:
    """The user-network path (:func:`lemma1_claim`'s evaluation) on four hand-built networks:
    exact enumeration of the dropout layer where it has ≤ 20 units, Monte Carlo over η for the
    wide one, each against R_S + R1."""
    rng = ctx.rng()
    out = []
    d, n = 2, 5
    X = rng.normal(size=(n, d))
    Y = rng.normal(size=(n, 1))
    # condensed: 12 hidden units on one orientation (up to scale)
    u = rng.normal(size=d)
    W1 = np.outer(rng.uniform(0.5, 2.0, 12), u)
    nets = {"condensed": ([W1, rng.normal(size=(1, 12))], [np.zeros(12), np.zeros(1)], "tanh")}
    # saturated tanh
    nets["saturated"] = ([20.0 * rng.normal(size=(10, d)), rng.normal(size=(1, 10))],
                         [rng.normal(size=10), np.zeros(1)], "tanh")
    # dead output columns
    W2 = rng.normal(size=(1, 14))
    W2[0, ::3] = 0.0
    nets["dead columns"] = ([rng.normal(size=(14, d)), W2], [rng.normal(size=14), np.zeros(1)],
                            "sigmoid")
    # wide ReLU (Monte Carlo)
    nets["wide relu"] = ([rng.normal(size=(8, d)) / math.sqrt(d), rng.normal(size=(120, 8)) / math.sqrt(8),
                          rng.normal(size=(1, 120)) / math.sqrt(120)],
                         [rng.normal(size=8), rng.normal(size=120), np.zeros(1)], "relu")
    for name, (Ws, bs, act) in nets.items():
        p = _random_p(rng)
        params = {"network": name, "activation": act, "p": p,
                  "widths": [W.shape[1] for W in Ws] + [Ws[-1].shape[0]]}
        out.append(_lemma1_case(ctx, Ws, bs, X, Y, p, act, params))
    return out


# ------------------------------------------------------------------------------------------
# Section 6.1 (Fig. 4, Fig. 6, Fig. 7): condensation, decided
# ------------------------------------------------------------------------------------------

#: the criterion: "condensed" means at most this fraction of the effective orientations of the
#: reference (the network trained without dropout, the initialisation, the batch-2 run);
#: "no significant condensation" means at least this fraction of the initialisation's
COND_FRACTION = 0.5
#: the Fig. 7(a, b) task at laptop scale: 10-100-1 tanh, teacher tanh(Σx_i), 30 samples,
#: p = 0.5, Adam lr 1e-2 (the paper's 1e-3 needs ~10x the steps for the same picture)
COND_WIDTH, COND_SAMPLES, COND_P, COND_LR, COND_STEPS = 100, 30, 0.5, 1e-2, 20_000
COND_MODES = ("dropout", "plain", "batch2")


def _cond_streams(seed: int, precision: str) -> list:
    """One SeedSequence per network of the Section 6.1 experiments (2 quick, 3 standard); the
    first five children of each are the data, the initialisation and the three modes of
    :func:`_cond_experiment`, later children belong to the Fig. 6 experiment."""
    ss = np.random.SeedSequence(int(seed),
                                spawn_key=(zlib.crc32(b"implicit_regularization.sec6"),))
    return ss.spawn(2 if precision == "quick" else 3)


def _cond_network(net_ss):
    """Data (30 samples of the Fig. 7 teacher), initialisation N(0, m^-0.2) and the three mode
    streams of one network of :func:`_cond_streams`."""
    s_data, s_init, *s_modes = net_ss.spawn(2 + len(COND_MODES))
    g = np.random.Generator(np.random.PCG64(s_data))
    X = g.normal(size=(COND_SAMPLES, 10))
    Y = th.target_fig7(X)[:, None]
    Ws, bs = sim.init_two_layer(10, COND_WIDTH, 1, rng=s_init)
    return X, Y, Ws, bs, s_modes


@functools.lru_cache(maxsize=8)
def _cond_experiment(seed: int, precision: str):
    """The shared experiment of the condensation claims: per network (fresh data and
    initialisation, N(0, m^-0.2)), the effective orientations
    (:func:`theory.two_layer_orientations`) at initialisation and after 20 000 Adam steps in
    each mode — "dropout" (p = 0.5, full batch), "plain" (p = 1, full batch), "batch2"
    (p = 1, mini-batches of 2) — with Definition 1's effective ratio and the final R_S.
    Deterministic in the run seed (one stream shared by the two claims)."""
    rows = []
    for net_ss in _cond_streams(seed, precision):
        X, Y, Ws, bs, s_modes = _cond_network(net_ss)
        row = {"init_theta": th.two_layer_input_orientations(Ws, bs),
               "init": (th.two_layer_orientations(Ws, bs),
                        th.effective_ratio(np.c_[Ws[0], bs[0]]), th.empirical_risk(Ws, bs, X, Y))}
        for mode, s in zip(COND_MODES, s_modes):
            if mode == "batch2":
                W, b = sim.train_two_layer_minibatch(Ws, bs, X, Y, batch_size=2,
                                                     steps=COND_STEPS, lr=COND_LR, rng=s)
            else:
                W, b, _ = sim.train_two_layer(Ws, bs, X, Y, steps=COND_STEPS, lr=COND_LR, rng=s,
                                              p=COND_P if mode == "dropout" else 1.0)
            row[mode] = (th.two_layer_orientations(W, b), th.effective_ratio(np.c_[W[0], b[0]]),
                         th.empirical_risk(W, b, X, Y))
            row.setdefault("nets", {})[mode] = (W, b)   # Fig. 5 restarts from "plain"
        row["data"] = (X, Y)
        rows.append(row)
    return rows


_COND_NAMES = {"init": "N_init", "dropout": "N_drop", "plain": "N_plain", "batch2": "N_batch2"}


def _cond_case(ctx, k, row, mode, ref, side):
    """``N_mode ≤ ½ N_ref`` (side "upper") or ``≥`` (side "lower"), through ctx.le / ctx.ge
    (the bound is the theory side the power runs tighten)."""
    q, b = row[mode][0], COND_FRACTION * row[ref][0]
    ok = ctx.le(q, b) if side == "upper" else ctx.ge(q, b)
    rel = "≤" if side == "upper" else "≥"
    a, r = _COND_NAMES[mode], _COND_NAMES[ref]
    return CaseResult({"network": k, "compare": f"{a} {rel} ½ {r}", "width": COND_WIDTH,
                       "steps": COND_STEPS, "lr": COND_LR},
                      Verdict.CONFIRMED if ok else Verdict.REFUTED, b, None, None, None,
                      ("" if ok else "criterion fails: ")
                      + f"{a} = {q:.3g}, {r} = {row[ref][0]:.3g}: {a}/{r} = {q / row[ref][0]:.2f} "
                        f"(needs {rel} {COND_FRACTION})",
                      {"value": q, "bound": b, "ratio": q / row[ref][0]})


def _cond_measurement(k, row):
    return CaseResult(
        {"network": k, "quantity": "Definition 1 effective ratio, R_S"}, Verdict.CONFIRMED,
        None, None, None, None,
        "effective ratio (Definition 1, 0.95): " + ", ".join(
            f"{m} {row[m][1]:.2f}" for m in ("init",) + COND_MODES)
        + "; R_S: " + ", ".join(f"{m} {row[m][2]:.2g}" for m in ("init",) + COND_MODES),
        role="measurement")


_COND_NOTE = (
    "Criterion (the paper gives none in numbers): the effective number of orientations N = "
    "(tr M)²/tr M², M = Σ_j A_j θ̂_jθ̂_jᵀ, θ_j = (w_j, b_j), with the amplitudes A_j = "
    "|a_j|‖θ_j‖ of Fig. 4's feature plots (θ̂ and −θ̂ one orientation; 1 ≤ N ≤ 11 here). "
    "'Condense' (Fig. 4: 'significantly different from the initialization ... condense on "
    "several discrete orientations'; Fig. 7: 'only two orientations') is read as N ≤ ½ N_ref; "
    "'no (significant) condensation' as N ≥ ½ N_init. Laptop scale: Fig. 7(a, b)'s 10-100-1 "
    "tanh network and teacher tanh(Σx_i), 30 samples, init N(0, m^-0.2), p = 0.5, Adam lr "
    "1e-2, 20 000 steps (full batch, or mini-batches of 2); 2 networks (quick), 3 (standard). "
    "Definition 1's effective ratio (threshold 0.95, over all neurons) is reported, not "
    "judged: neurons whose a_j dropout shrinks to ~0 keep their initial orientation and count "
    "in it. ")


@CATALOG.claim(
    "sec6.condensation", label="Section 6.1, Fig. 4, Fig. 7(a, b)", kind=Kind.INEQUALITY,
    statement="Trained with dropout, the input weights (w_j, b_j) of the hidden neurons "
              "condense on a few orientations, unlike training without dropout (which stays "
              "close to the initialisation in the linear regime): the effective number of "
              "orientations with dropout is at most half of that without dropout and half of "
              "that at initialisation, while without dropout it stays above half of the "
              "initial one.",
    note=_COND_NOTE + "The control N_plain ≥ ½ N_init fails for a measure that reports "
                      "condensation whatever the training. Over seeds 1–12 (36 networks; "
                      "CONFIRMED for every seed at quick and standard): N_init 8.6–9.9, "
                      "N_plain 7.7–9.6, N_drop 1.5–2.7; N_drop/N_plain 0.17–0.31, "
                      "N_drop/N_init 0.16–0.28, N_plain/N_init 0.90–0.98. "
                      "Batch size 2 (Fig. 6: 'no significant condensation occurs even in the "
                      "presence of noise') is measured, not decided: at the same learning rate "
                      "and length N_batch2/N_init ranged 0.33–0.81 over the 36 sweep networks "
                      "(one below ½, where N_drop/N_batch2 was 0.80), so neither N_batch2 ≥ "
                      "½ N_init nor N_drop ≤ ½ N_batch2 is seed-stable there.")
def sec6_condensation(ctx: Context) -> list[CaseResult]:
    """Per network of :func:`_cond_experiment`: N_drop ≤ ½ N_plain, N_drop ≤ ½ N_init and the
    control N_plain ≥ ½ N_init, each by :meth:`Context.le` / :meth:`Context.ge` against a
    bound the power runs tighten; Definition 1's effective ratios and R_S as a
    measurement."""
    out = []
    for k, row in enumerate(_cond_experiment(ctx.seed, ctx.precision.name)):
        out.append(_cond_case(ctx, k, row, "dropout", "plain", "upper"))
        out.append(_cond_case(ctx, k, row, "dropout", "init", "upper"))
        out.append(_cond_case(ctx, k, row, "plain", "init", "lower"))
        out.append(_cond_measurement(k, row))
        out.append(CaseResult(
            {"network": k, "quantity": "batch size 2 (Fig. 6), not judged"}, Verdict.CONFIRMED,
            None, None, None, None,
            f"N_batch2 = {row['batch2'][0]:.3g}: N_batch2/N_init = "
            f"{row['batch2'][0] / row['init'][0]:.2f}, N_drop/N_batch2 = "
            f"{row['dropout'][0] / row['batch2'][0]:.2f}", role="measurement"))
    return out



# ------------------------------------------------------------------------------------------
# Section 6.1.1 (Fig. 5, Fig. 6), Section 6.1.3 (Fig. 8), Section 6.2 (one data point)
# ------------------------------------------------------------------------------------------

#: Fig. 5: the second stage (R_S, R_S^drop or R_S + R1 from the R_S minimum) is as long as the
#: first (20 000 Adam steps at lr 1e-2 on the Fig. 7 task)
RESTART_STEPS = COND_STEPS
RESTART_MODES = ("plain", "dropout", "r1")
_RESTART_NAMES = {"plain": "N_RS", "dropout": "N_drop", "r1": "N_R1"}


@functools.lru_cache(maxsize=8)
def _restart_experiment(seed: int, precision: str):
    """Fig. 5 on the Section 6.1 networks: from the R_S minimum each network of
    :func:`_cond_experiment` reached without dropout (R_S ~ 1e-5 after 20 000 steps), training
    continues for 20 000 more steps with R_S (the control), R_S^drop (p = 0.5) or R_S + R1
    (Eq. 6, L1, p = 0.5). Per network: N of the minimum and of each branch, R_S, R1 and the
    relative distance ‖θ − θ_min‖/‖θ_min‖ moved."""
    rows = []
    for k, row in enumerate(_cond_experiment(seed, precision)):
        (W, b), (X, Y) = row["nets"]["plain"], row["data"]
        ss = np.random.SeedSequence(int(seed), spawn_key=(
            zlib.crc32(b"implicit_regularization.sec6_1.restart"), k))
        theta0 = _flat_params(W, b)
        out = {"min": (row["plain"][0], row["plain"][2])}
        for mode, s in zip(RESTART_MODES, ss.spawn(len(RESTART_MODES))):
            Wm, bm, _ = sim.train_two_layer(W, b, X, Y, p=1.0 if mode == "plain" else COND_P,
                                            mode=mode, steps=RESTART_STEPS, lr=COND_LR, rng=s)
            out[mode] = (th.two_layer_orientations(Wm, bm), th.empirical_risk(Wm, bm, X, Y),
                         th.r1(Wm, bm, X, COND_P),
                         float(np.linalg.norm(_flat_params(Wm, bm) - theta0)
                               / np.linalg.norm(theta0)))
        rows.append(out)
    return rows


@CATALOG.claim(
    "sec6_1.restart_condenses", label="Section 6.1.1, Fig. 5", kind=Kind.INEQUALITY,
    statement="Restarted from the minimum found by training R_S, training with R_S^drop or "
              "with R_S + R1 leaves that minimum and finds a condensed solution, while "
              "continuing with R_S stays: the effective number of orientations after the "
              "restart with R_S^drop and with R_S + R1 is at most half of that at the R_S "
              "minimum; continuing R_S for as long keeps at least half.",
    note="Section 6.1.1: 'The results reveal that dropout (R1 term) aids the training process "
         "in escaping from the minima obtained by R_S training and finding a condensed "
         "solution.' Decided with the measure and the criterion of sec6.condensation "
         "(N = (tr M)²/tr M², 'condensed' = N ≤ ½ N_ref) on its networks (the Fig. 7 task, "
         "10-100-1 tanh, 30 samples, init N(0, m^-0.2)): the R_S minimum is its no-dropout "
         "network after 20 000 Adam steps (lr 1e-2, R_S ~ 1e-5); the second stage is 20 000 "
         "more steps with R_S (control), R_S^drop or R_S + R1 (p = 0.5). The control "
         "N_RS ≥ ½ N_min fails for a measure or a restart that condenses whatever the loss. "
         "2 networks (quick), 3 (standard). Printed: the 1-D tanh network of Fig. 4 (width "
         "1000, p = 0.9, lr 1e-4, 200 000 steps before the switch); the 1-D picture is drawn "
         "in implicit_regularization_fig5. Over seeds 1–12 (36 networks, standard; CONFIRMED "
         "for every seed at quick and standard): N_drop/N_min 0.16–0.31, N_R1/N_min "
         "0.14–0.41, N_RS/N_min 0.89–0.96. At seed 1, R_S is 1e-4–5e-3 after the restart "
         "with R_S^drop or R_S + R1 (still a fit) and the parameters moved by 1.3–1.5 × "
         "‖θ_min‖ (0.4–0.6 × when continuing R_S).")
def sec6_1_restart(ctx: Context) -> list[CaseResult]:
    """Per network of :func:`_restart_experiment`: N_drop ≤ ½ N_min, N_R1 ≤ ½ N_min and the
    control N_RS ≥ ½ N_min (ctx.le / ctx.ge, the bound tightened by the power runs); R_S,
    R1 and the distance moved as a measurement."""
    out = []
    for k, row in enumerate(_restart_experiment(ctx.seed, ctx.precision.name)):
        n_min = row["min"][0]
        for mode, side in (("dropout", "upper"), ("r1", "upper"), ("plain", "lower")):
            q, bnd = row[mode][0], COND_FRACTION * n_min
            ok = ctx.le(q, bnd) if side == "upper" else ctx.ge(q, bnd)
            rel = "≤" if side == "upper" else "≥"
            a = _RESTART_NAMES[mode]
            out.append(CaseResult(
                {"network": k, "compare": f"{a} {rel} ½ N_min", "steps": RESTART_STEPS,
                 "lr": COND_LR}, Verdict.CONFIRMED if ok else Verdict.REFUTED, bnd, None,
                None, None, ("" if ok else "criterion fails: ")
                + f"{a} = {q:.3g}, N_min = {n_min:.3g}: ratio {q / n_min:.2f} "
                  f"(needs {rel} {COND_FRACTION})",
                {"value": q, "bound": bnd, "ratio": q / n_min}))
        out.append(CaseResult(
            {"network": k, "quantity": "R_S, R1, distance moved"}, Verdict.CONFIRMED, None,
            None, None, None,
            f"at the minimum R_S = {row['min'][1]:.2g}; after the restart "
            + "; ".join(f"{_RESTART_NAMES[m]}: R_S = {row[m][1]:.2g}, R1 = {row[m][2]:.2g}, "
                        f"‖θ − θ_min‖/‖θ_min‖ = {row[m][3]:.2f}" for m in RESTART_MODES),
            role="measurement"))
    return out


#: Fig. 6 at its printed learning rate (caption: 1e-3; Appendix A says 1e-4 for all the tanh
#: figures) on the Section 6.1 networks; 60 000 steps of 2 samples (the dropout control
#: needs about that long at lr 1e-3 to condense)
B2_LR, B2_STEPS = 1e-3, 60_000


@functools.lru_cache(maxsize=8)
def _batch2_experiment(seed: int, precision: str):
    """Fig. 6 on the networks of :func:`_cond_streams` (same data and initialisation as
    :func:`_cond_experiment`): Adam on mini-batches of 2, lr 1e-3, 60 000 steps, without
    dropout and (control) with dropout p = 0.5, all trained at once
    (:func:`sim.train_two_layer_stack` with ``batch_size=2``). Per network: N at
    initialisation, N and R_S of both runs."""
    nets = [_cond_network(net_ss) for net_ss in _cond_streams(seed, precision)]
    K = len(nets)
    run = np.random.SeedSequence(int(seed), spawn_key=(
        zlib.crc32(b"implicit_regularization.sec6_1.batch2"),))
    X = np.concatenate([np.stack([net[0] for net in nets])] * 2)
    Y = np.concatenate([np.stack([net[1] for net in nets])] * 2)
    Ws = [np.concatenate([np.stack([net[2][i] for net in nets])] * 2) for i in range(2)]
    bs = [np.concatenate([np.stack([net[3][i] for net in nets])] * 2) for i in range(2)]
    pk = np.r_[np.ones(K), np.full(K, COND_P)]
    W, b = sim.train_two_layer_stack(Ws, bs, X, Y, p=pk, steps=B2_STEPS, lr=B2_LR, rng=run,
                                     batch_size=2)
    rows = []
    for k, (Xk, Yk, W0, b0, _) in enumerate(nets):
        row = {"init": th.two_layer_orientations(W0, b0)}
        for name, i in (("batch2", k), ("batch2_drop", K + k)):
            Wi, bi = [W[0][i], W[1][i]], [b[0][i], b[1][i]]
            row[name] = (th.two_layer_orientations(Wi, bi), th.empirical_risk(Wi, bi, Xk, Yk))
        rows.append(row)
    return rows


@CATALOG.claim(
    "sec6_1.batch2_no_condensation", label="Section 6.1.1, Fig. 6", kind=Kind.INEQUALITY,
    statement="With SGD noise (mini-batches of 2 samples) and no dropout, no significant "
              "condensation occurs: the effective number of orientations stays at least half "
              "of the initial one, while the same mini-batch training with dropout condenses "
              "(at most half of the initial one).",
    note="Section 6.1.1: 'One may wonder if any noise injected into the training process "
         "could lead to condensation. We also perform similar experiments for SGD. As shown "
         "in Fig. 6, no significant condensation occurs even in the presence of noise during "
         "training.' Measure and criterion of sec6.condensation ('no significant "
         "condensation' = N ≥ ½ N_init, 'condensed' = N ≤ ½ N_init) on its networks (the "
         "Fig. 7 task, 10-100-1 tanh, 30 samples, same data and initialisation), Adam on "
         "mini-batches of 2 at Fig. 6's printed lr 1e-3 for 60 000 steps. The control (the "
         "same noisy training with dropout p = 0.5 must condense) shows the run is long "
         "enough to see condensation; it fails for a measure blind to it. 2 networks (quick), "
         "3 (standard). The statement needs the small learning rate: at 10× it (lr 1e-2, "
         "20 000 steps, measured in sec6.condensation) batch-2 runs kept only 33–81% of "
         "the initial orientations over 36 networks. Printed: the 1-D tanh network of "
         "Fig. 4 (width 1000), drawn in implicit_regularization_fig6. Over seeds 1–12 (36 "
         "networks, standard): N_batch2/N_init 0.94–1.00, control 0.28–0.47.")
def sec6_1_batch2(ctx: Context) -> list[CaseResult]:
    """Per network of :func:`_batch2_experiment`: N_batch2 ≥ ½ N_init and the control
    N_batch2+dropout ≤ ½ N_init (ctx.ge / ctx.le); R_S of both runs as a measurement."""
    out = []
    for k, row in enumerate(_batch2_experiment(ctx.seed, ctx.precision.name)):
        n0 = row["init"]
        for name, side, lab in (("batch2", "lower", "N_batch2"),
                                ("batch2_drop", "upper", "N_batch2+dropout")):
            q, bnd = row[name][0], COND_FRACTION * n0
            ok = ctx.le(q, bnd) if side == "upper" else ctx.ge(q, bnd)
            rel = "≤" if side == "upper" else "≥"
            out.append(CaseResult(
                {"network": k, "compare": f"{lab} {rel} ½ N_init", "lr": B2_LR,
                 "steps": B2_STEPS}, Verdict.CONFIRMED if ok else Verdict.REFUTED, bnd, None,
                None, None, ("" if ok else "criterion fails: ")
                + f"{lab} = {q:.3g}, N_init = {n0:.3g}: ratio {q / n0:.2f} "
                  f"(needs {rel} {COND_FRACTION})",
                {"value": q, "bound": bnd, "ratio": q / n0}))
        out.append(CaseResult(
            {"network": k, "quantity": "R_S after training"}, Verdict.CONFIRMED, None, None,
            None, None, f"R_S: batch 2 {row['batch2'][1]:.2g}, batch 2 + dropout "
                        f"{row['batch2_drop'][1]:.2g}", role="measurement"))
    return out


#: Section 6.2, one data point: networks per run with dropout, and without (a reference)
SINGLE_NETS, SINGLE_PLAIN = 8, 4
#: the data set size of the statement (one point; the mutation test moves it)
SINGLE_SAMPLES = 1


@functools.lru_cache(maxsize=8)
def _single_point_experiment(seed: int, precision: str):
    """Section 6.2 (after Theorem 1) on the Section 6.1 task: SINGLE_NETS networks trained
    with dropout (p = 0.5) and SINGLE_PLAIN without, each on its own single data point
    x₁ ~ N(0, I₁₀), y₁ = tanh(Σx₁), from its own initialisation N(0, m^-0.2); full-batch
    Adam lr 1e-2, 20 000 steps (the sizes of :func:`_cond_experiment`), trained at once by
    :func:`sim.train_two_layer_stack`. Per network: p, the input-weight orientation count
    N_θ at initialisation and after training, the amplitude-weighted N of sec6.condensation
    before and after, the total amplitude ΣA_j after/before, the output bias and y₁."""
    ss = np.random.SeedSequence(int(seed), spawn_key=(
        zlib.crc32(b"implicit_regularization.sec6_2.single_point"),))
    s_data, s_init, s_run = ss.spawn(3)
    K = SINGLE_NETS + SINGLE_PLAIN
    g = np.random.Generator(np.random.PCG64(s_data))
    X = g.normal(size=(K, SINGLE_SAMPLES, 10))
    Y = th.target_fig7(X.reshape(-1, 10)).reshape(K, SINGLE_SAMPLES, 1)
    inits = [sim.init_two_layer(10, COND_WIDTH, 1, rng=s) for s in s_init.spawn(K)]
    Ws = [np.stack([a[0][i] for a in inits]) for i in range(2)]
    bs = [np.stack([a[1][i] for a in inits]) for i in range(2)]
    pk = np.r_[np.full(SINGLE_NETS, COND_P), np.ones(SINGLE_PLAIN)]
    W, b = sim.train_two_layer_stack(Ws, bs, X, Y, p=pk, steps=COND_STEPS, lr=COND_LR,
                                     rng=s_run)

    def amp(Wk, bk):
        return float(np.sum(np.abs(Wk[1][0]) * np.linalg.norm(np.c_[Wk[0], bk[0]], axis=1)))

    rows = []
    for k in range(K):
        W0, b0 = [Ws[0][k], Ws[1][k]], [bs[0][k], bs[1][k]]
        Wk, bk = [W[0][k], W[1][k]], [b[0][k], b[1][k]]
        rows.append({"p": float(pk[k]),
                     "init": th.two_layer_input_orientations(W0, b0),
                     "final": th.two_layer_input_orientations(Wk, bk),
                     "amp_N": (th.two_layer_orientations(W0, b0),
                               th.two_layer_orientations(Wk, bk)),
                     "amp_ratio": amp(Wk, bk) / amp(W0, b0),
                     "bias": float(bk[1][0]), "y": float(Y[k, 0, 0]),
                     "rs": th.empirical_risk(Wk, bk, X[k], Y[k])})
    return rows


@CATALOG.claim(
    "sec6_2.single_point", label="Section 6.2 (after Theorem 1)", kind=Kind.INEQUALITY,
    statement="Trained on a dataset of only one data point, a network with dropout shows no "
              "condensation: the effective number of orientations of the input weights of "
              "every such network stays at least half of its initial one, while networks trained "
              "with dropout on 30 points condense (at most half).",
    note="Section 6.2: 'It should be noted that not all functions trained with dropout "
         "exhibit obvious condensation. For example, a function with dropout shows no "
         "condensation while training with a dataset consisting of only one data point.' "
         "On the task and sizes of sec6.condensation (10-100-1 tanh, init N(0, m^-0.2), "
         "p = 0.5, Adam lr 1e-2, 20 000 full-batch steps), 8 networks each on its own single "
         "point (4 without dropout as a reference), same at quick and standard. The measure "
         "is N_θ = (tr M)²/tr M² with M = Σ_j ‖θ_j‖ θ̂_jθ̂_jᵀ, the input weights θ_j = "
         "(w_j, b_j) alone: with one point the output bias fits y₁ and R1 = c Σ_j (a_j σ_j)² "
         "is removed by switching every neuron off, so the output weights collapse (ΣA_j "
         "falls to 0.1–9% of its initial value, reported) and the amplitude-weighted N of "
         "sec6.condensation weighs Adam's jitter on a_j ≈ 0: it falls below ½ N_init in about "
         "one network in five (reported, not judged). 'No condensation' = N_θ ≥ ½ N_θ,init "
         "(the criterion of sec6.condensation); the control (it must show condensation) is "
         "N_θ ≤ ½ N_θ,init for the 30-point dropout networks of sec6.condensation, which "
         "fails for a measure blind to condensation. Definition 1 agrees: effective ratio "
         "1.00 with one point, about 0.5 with 30. Over seeds 1–12 (96 single-point networks, "
         "standard): N_θ/N_θ,init 0.67–0.98; control 0.16–0.29.")
def sec6_2_single_point(ctx: Context) -> list[CaseResult]:
    """Per dropout network of :func:`_single_point_experiment`: N_θ ≥ ½ N_θ,init (ctx.ge);
    control per network of :func:`_cond_experiment`: its 30-point dropout network has
    N_θ ≤ ½ N_θ,init (ctx.le); the reference networks, the amplitude-weighted N and the
    collapse of the output weights as measurements."""
    rows = _single_point_experiment(ctx.seed, ctx.precision.name)
    out = []
    for k, r in enumerate(rows):
        if r["p"] == 1.0:
            continue
        bnd = COND_FRACTION * r["init"]
        ok = ctx.ge(r["final"], bnd)
        out.append(CaseResult(
            {"network": k, "compare": "N_θ,drop ≥ ½ N_θ,init", "samples": SINGLE_SAMPLES,
             "p": r["p"]},
            Verdict.CONFIRMED if ok else Verdict.REFUTED, bnd, None, None, None,
            ("" if ok else "condensed on one data point: ")
            + f"N_θ = {r['final']:.3g}, N_θ,init = {r['init']:.3g}: ratio "
              f"{r['final'] / r['init']:.2f} (needs ≥ {COND_FRACTION}); ΣA_j after/before = "
              f"{r['amp_ratio']:.2g}, output bias {r['bias']:.3g} (y₁ = {r['y']:.3g}), "
              f"R_S = {r['rs']:.2g}",
            {"value": r["final"], "bound": bnd, "ratio": r["final"] / r["init"]}))
    for k, row in enumerate(_cond_experiment(ctx.seed, ctx.precision.name)):
        W, b = row["nets"]["dropout"]
        n0 = row["init_theta"]
        q, bnd = th.two_layer_input_orientations(W, b), COND_FRACTION * n0
        ok = ctx.le(q, bnd)
        out.append(CaseResult(
            {"network": k, "compare": "control: N_θ,drop ≤ ½ N_θ,init", "samples": COND_SAMPLES,
             "p": COND_P}, Verdict.CONFIRMED if ok else Verdict.REFUTED, bnd, None, None, None,
            ("" if ok else "control fails: ")
            + f"30 points: N_θ = {q:.3g}, N_θ,init = {n0:.3g}: ratio {q / n0:.2f} "
              f"(needs ≤ {COND_FRACTION})", {"value": q, "bound": bnd, "ratio": q / n0}))
    drop = [r for r in rows if r["p"] < 1]
    plain = [r for r in rows if r["p"] == 1.0]

    def rng_txt(rs, f):
        v = [f(r) for r in rs]
        return f"{min(v):.2f}–{max(v):.2f}"

    out.append(CaseResult(
        {"quantity": "one data point: amplitudes and the amplitude-weighted N (not judged)"},
        Verdict.CONFIRMED, None, None, None, None,
        f"with dropout ΣA_j after/before {rng_txt(drop, lambda r: r['amp_ratio'])}, "
        f"|output bias − y₁| ≤ {max(abs(r['bias'] - r['y']) for r in drop):.2g}, "
        f"amplitude-weighted N/N_init {rng_txt(drop, lambda r: r['amp_N'][1] / r['amp_N'][0])}; "
        f"without dropout N_θ/N_θ,init {rng_txt(plain, lambda r: r['final'] / r['init'])}, "
        f"ΣA_j after/before {rng_txt(plain, lambda r: r['amp_ratio'])}", role="measurement"))
    return out


#: Fig. 8 at laptop scale: the figure's standard sizes (width 100, 4 000 Adam steps, lr 1e-2,
#: 10 trials per cell as printed) at p = 0.9 (Appendix A's rate) and p = 1
GEN_NS, GEN_PS = (2, 4, 6, 8, 12, 16), (0.9, 1.0)
GEN_WIDTH, GEN_STEPS, GEN_LR, GEN_TRIALS = 100, 4_000, 1e-2, 10
#: "generalizes well" relative to "badly": at most half the no-dropout test error; "badly":
#: a test MSE of at least a tenth of the teacher's variance (R² below 0.9)
GEN_RATIO, GEN_BAD = 0.5, 0.1


@functools.lru_cache(maxsize=8)
def _generalization_experiment(seed: int, precision: str):
    """Fig. 8's test errors err[p, n, trial] (:func:`sim.teacher_student_errors`) at
    p ∈ GEN_PS, n ∈ GEN_NS (same sizes at quick and standard)."""
    ss = np.random.SeedSequence(int(seed), spawn_key=(
        zlib.crc32(b"implicit_regularization.sec6_1_3"),))
    return sim.teacher_student_errors(GEN_NS, GEN_PS, trials=GEN_TRIALS, width=GEN_WIDTH,
                                      steps=GEN_STEPS, lr=GEN_LR,
                                      streams=ss.spawn(len(GEN_NS)))


def _ratio_of_means(a, b):
    """mean(a)/mean(b) over paired trials with its delta-method SE."""
    r = a.mean() / b.mean()
    return r, float(np.std(a - r * b, ddof=1) / math.sqrt(len(a)) / b.mean())


@CATALOG.claim(
    "sec6_1_3.generalization", label="Section 6.1.3, Fig. 8", kind=Kind.INEQUALITY,
    statement="Learning the two-neuron tanh teacher (6 free parameters), the student with "
              "dropout generalizes well once the samples outnumber the teacher's parameters, "
              "while the student without dropout generalizes badly: over the sample counts "
              "n > 6, the mean test error with dropout is at most half of that without "
              "dropout, and without dropout it is at least a tenth of the teacher's variance.",
    note="Section 6.1.3: 'As shown in Fig. 8, the model with dropout generalizes well when the "
         "number of samplings is larger than 6, while the model without dropout generalizes "
         "badly.' Made measurable: test MSE on 400 points of [−15, 15] against the teacher "
         "tanh(x − 6) + tanh(x + 6) (variance 2.27 there), students of width 100 (printed "
         "1000), init N(0, m^-0.2), full-batch Adam lr 1e-2 (printed 1e-4), 4 000 steps, "
         "n ~ U(−15, 15) samples, 10 trials per cell (as printed) with the same data and "
         "initialisations for p = 0.9 and p = 1 (paired). Decided on the region n > 6 of the "
         "grid (n = 8, 12, 16, errors summed over it): 'well' relative to 'badly' as "
         "ΣE_drop/ΣE_no-drop ≤ ½, and 'badly' as the mean no-dropout error ≥ 0.1 × variance "
         "(R² < 0.9). Each n's ratio is reported, not judged: with 10 random data sets per "
         "cell the single-n ratio is too noisy to decide alone (at n = 8 it reached 0.5–0.6 "
         "in some seeds, also at 12 000 steps), so the contrast at n = 8 by itself is not "
         "established at these sizes. The absolute error with dropout is reported, not "
         "judged (some random samples miss a transition at ±6). n ≤ 6 is reported: the "
         "statement says nothing there. Point estimates are compared; each case gives the "
         "mean ± SE over the 10 trials (ratio SE by the delta method). Over seeds 1–12 "
         "(standard = quick sizes): pooled ratio 0.17–0.41, no-dropout error/variance "
         "0.14–0.49, dropout error/variance 0.06–0.10.")
def sec6_1_3_generalization(ctx: Context) -> list[CaseResult]:
    """Over n > 6 of GEN_NS: ΣE_drop/ΣE_plain ≤ ½ (ctx.le) and mean E_plain/Var ≥ 0.1
    (ctx.ge); every n's errors and ratio as a measurement."""
    err = _generalization_experiment(ctx.seed, ctx.precision.name)
    var = th.teacher_variance()
    T = err.shape[2]
    out = []
    for b, n in enumerate(GEN_NS):
        ed, ep = err[0, b], err[1, b]
        r, r_se = _ratio_of_means(ed, ep)
        out.append(CaseResult(
            {"n": n, "quantity": "test error at one n (not judged)"}, Verdict.CONFIRMED,
            None, None, None, None,
            f"E/Var: dropout {ed.mean() / var:.3g} ± {ed.std(ddof=1) / math.sqrt(T) / var:.2g}, "
            f"no dropout {ep.mean() / var:.3g} ± {ep.std(ddof=1) / math.sqrt(T) / var:.2g}; "
            f"ratio {r:.2f} ± {r_se:.2f}", role="measurement"))
    above = [b for b, n in enumerate(GEN_NS) if n > 6]
    ed, ep = err[0, above].sum(axis=0), err[1, above].sum(axis=0)
    r, r_se = _ratio_of_means(ed, ep)
    ns = ", ".join(str(GEN_NS[b]) for b in above)
    ok = ctx.le(r, GEN_RATIO)
    out.append(CaseResult(
        {"n": ns, "compare": "ΣE_drop / ΣE_no-drop ≤ ½", "trials": T, "p": GEN_PS[0]},
        Verdict.CONFIRMED if ok else Verdict.REFUTED, GEN_RATIO, None, None, None,
        ("" if ok else "criterion fails: ")
        + f"ratio {r:.3g} ± {r_se:.2g} (needs ≤ {GEN_RATIO}); mean E_drop/Var = "
          f"{ed.mean() / len(above) / var:.3g}", {"value": r, "bound": GEN_RATIO, "se": r_se}))
    rel, rel_se = ep.mean() / len(above) / var, ep.std(ddof=1) / math.sqrt(T) / len(above) / var
    ok = ctx.ge(rel, GEN_BAD)
    out.append(CaseResult(
        {"n": ns, "compare": "mean E_no-drop / Var ≥ 0.1", "trials": T, "p": 1.0},
        Verdict.CONFIRMED if ok else Verdict.REFUTED, GEN_BAD, None, None, None,
        ("" if ok else "criterion fails: ")
        + f"E_no-drop/Var = {rel:.3g} ± {rel_se:.2g} (needs ≥ {GEN_BAD})",
        {"value": rel, "bound": GEN_BAD, "se": rel_se}))
    return out
