"""Section 6.2 of Zhang & Xu: the two-neuron toy, Theorem 1 with its proof (Appendix B.3) and the
remark after it on a single data point."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc._studies import study
from dropmc.claims import CaseResult, Context, Kind, current_context
from dropmc.estimate import Estimate
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

from ._shared import CATALOG
from .condensation import (
    COND_LR,
    COND_P,
    COND_SAMPLES,
    COND_STEPS,
    COND_WIDTH,
    _bracket_case,
    _cond_experiment,
    _def1_case,
    _def1_of,
    _def1_ratio,
    _mean_ratio,
    _orientation_ratio,
    _orientations,
    _ratio_case,
)

# ------------------------------------------------------------------------------------------
# Section 6.2 (the two-neuron toy)
# ------------------------------------------------------------------------------------------

@CATALOG.claim(
    "sec6_2.two_neuron_toy", label="Section 6.2", kind=Kind.IDENTITY,
    statement="For m = 2 ReLU neurons fitting two points of σ(w*·x) with w*·x_i > 0, "
              "minimising R1 = ‖o1‖² + ‖o2‖² subject to o1 + o2 = o* gives o1 ∥ o2 ∥ o*, "
              "i.e. w1 ∥ w2 ∥ w* (condensation).",
    note="The printed 'R1 = ‖o1‖² + ‖o2‖²' drops the factor (1 − p)/(2np) of Eq. 3 (n = 2); "
         "it does not change the minimiser.")
def sec6_2_toy(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """SLSQP minimises Σ_j‖o_j‖² over (a_j, w_j, b_j), j = 1, 2, under the two equality
    constraints o1 + o2 = o*, from random starts with both neurons active (restarted until one
    reaches the bound: some starts end in local minima at a ReLU kink); at the optimum the
    value must equal ‖o*‖²/2 (the bound ‖o1‖² + ‖o2‖² ≥ ‖o1 + o2‖²/2) to 1e-6 (the
    optimiser's tolerance), and |cos(w_j, w*)| = 1 to within what the achieved objective gap
    allows (1 − cos ≤ 2·gap·cond(X)²/min‖o_j‖², X the 2×2 matrix of the points (x_i, 1)))."""
    from scipy import optimize

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
            yield judge.holds({"x": x.tolist()}, None,
                              detail="SLSQP did not converge from any start")
            continue
        W = best.x[[1, 2, 4, 5]].reshape(2, 2)
        cos = np.abs(W @ ws) / (np.linalg.norm(W, axis=1) * np.linalg.norm(ws))
        params = {"x": np.round(x, 4).tolist(), "w*": np.round(ws, 4).tolist()}
        yield judge.exact(params | {"check": "min R1 = ‖o*‖²/2"}, float(o_star @ o_star) / 2,
                          best.fun, rtol=1e-6, method="optimisation")
        # the optimiser stops with a gap E = R1 − ‖o*‖²/2 ≥ 0; a perpendicular part o⊥ of
        # the neurons' outputs costs 2‖o⊥‖², so 1 − cos ≤ E / min‖o_j‖² (tolerance derived
        # from the achieved gap, not chosen)
        gap = max(best.fun - float(o_star @ o_star) / 2, 0.0)
        oj = np.linalg.norm(outs(best.x), axis=0)
        # ... for the outputs; for w_j = X⁻¹o_j/a_j the angle error is amplified by cond(X)
        tol_cos = (2.0 * gap / max(float(np.min(oj)) ** 2, 1e-300) + 1e-12) \
            * np.linalg.cond(Xb) ** 2
        yield judge.exact(params | {"check": "|cos(w_j, w*)| = 1", "objective gap": gap},
                          [1.0, 1.0], cos, rtol=0.0, atol=tol_cos, method="optimisation")


# ------------------------------------------------------------------------------------------
# Section 6.2, Theorem 1 (Appendix B.3)
# ------------------------------------------------------------------------------------------

def _config(case: str, xs, i: int, f1: float, f2: float, w1: float, w2: float,
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


def _check(xs, pert, pair, extra, p: float, eps_list=(1e-3, 1e-4, 1e-5), *,
           ctx: Context | None = None):
    """Apply the printed perturbation; return (ok, info): outputs at the data unchanged to
    1e-9 of their scale, R1 lower for every ε, and the decrease Θ(ε) (ratio at the two
    smallest ε within 10% of each other), decided through the hooks of ``ctx`` (the claim's
    context, which its power runs move; default: the current context). "Infinitesimal" is
    made concrete by scaling the ε list by the configuration's own scale g = min(1,
    |w1|·|c1 − c2|, smallest nonzero |w_j x_i + b_j| of the pair), below which no
    activation pattern or ordering changes."""
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
    ctx = ctx if ctx is not None else current_context()
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


def _random(rng, case, *, f1=None, f2=None):
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
    pert, pair, _ = _config(case, xs, i, f1, f2, *mags, extra)
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
def thm1_perturbations(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """For each of the 8 cases: random configurations (4–8 data points, 0–3 extra neurons, a
    random linear term, y := f_θ(x) so R_S = 0), the printed perturbation at ε = 1e-3, 1e-4,
    1e-5; R_S must stay 0 (outputs unchanged to 1e-9 of their scale), R1 must decrease, and the
    decrease must be linear in ε. Then a hypothesis search over the case, the data and the
    intercept fractions (0.01–1] for a configuration where it fails."""
    from hypothesis import strategies as st

    p = 0.8
    reps = 2 if ctx.precision.name == "quick" else 5
    for case in T1_CASES:
        for rep in range(reps):
            # the convexity cases allow an intercept at the pivot x_{i+1} (fraction 1)
            f1 = 1.0 if (rep == 0 and case.startswith("convexity")) else None
            f2 = 1.0 if (rep == 1 and case.startswith("convexity")) else None
            xs, pert, pair, extra = _random(rng, case, f1=f1, f2=f2)
            check = functools.partial(_check, xs, pert, pair, extra, p)
            yield judge.holds({"case": case, "n": len(xs)}, lambda check=check: check(ctx=ctx)[0],
                              detail=f"{case}: {check(ctx=ctx.with_delta(0.0))[1]}")

    def holds(args):
        case, seed, f1, f2 = args
        r = np.random.default_rng(seed)
        xs, pert, pair, extra = _random(r, case, f1=f1, f2=f2)
        return _check(xs, pert, pair, extra, p, ctx=ctx)[0]

    strat = st.tuples(st.sampled_from(T1_CASES), st.integers(0, 2 ** 32 - 1),
                      st.floats(0.01, 0.99), st.floats(0.01, 0.99))
    yield judge.search_case({"cases": "all 8"}, holds, strat, what="(case, seed, f1, f2)")


@CATALOG.claim(
    "thm1.closed_interval", label="Theorem 1 (ii), Appendix B.3", kind=Kind.INEQUALITY,
    statement="Condition (ii) allows both intercept points anywhere in the closed interval "
              "[x_i, x_{i+1}]; the printed perturbation also covers intercepts on its end "
              "points.",
    note="The printed perturbation fails when a2 > 0 and the second intercept sits on the "
         "right end point of the interval: that neuron vanishes there and cannot absorb the "
         "change of the pivot, so the outputs at the data move by a term linear in ε (by "
         "1e-6 to 2e-3 in all 12 such configurations, seeds 1–12) and R_S = 0 is lost. The "
         "other intercept sub-cases on the right end point, and all of them with the first "
         "intercept on the left end point, pass. Pivoting at the right end point instead "
         "repairs it (thm1.closed_interval_corrected).")
def thm1_closed_interval(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Deterministic edge cases of condition (ii): the second intercept exactly on the right
    end point x_{i+2} (proof's notation) or the first on the left end point, for each
    intercept sub-case, with random data, magnitudes and extra neurons; the same check as
    thm1.perturbations (R_S stays 0, R1 decreases by Θ(ε))."""
    p = 0.8
    for case in T1_CASES[4:]:
        for f1, f2, where in ((0.4, 1.0, "c2 = right end point"),
                              (0.0, 0.6, "c1 = left end point")):
            xs, pert, pair, extra = _random(rng, case, f1=f1, f2=f2)
            check = functools.partial(_check, xs, pert, pair, extra, p)
            yield judge.holds({"case": case, "edge": where}, lambda check=check: check(ctx=ctx)[0],
                              detail=f"{where}: {check(ctx=ctx.with_delta(0.0))[1]}")


@CATALOG.claim(
    "thm1.closed_interval_corrected", label="Theorem 1 (ii), Appendix B.3", kind=Kind.INEQUALITY,
    as_printed=False, corrects="thm1.closed_interval", fix="rewrite",
    statement="When the second intercept sits on the right end point x_{i+2} of the inner "
              "interval (data beyond it, a1 < 0 < a2, w1, w2 > 0), pivoting about x_{i+2} "
              "instead of x_{i+1} (same formulas otherwise) keeps R_S = 0 and lowers R1.",
    note="Corrects the printed pivot of thm1.closed_interval: pivoting about the right end "
         "point keeps the outputs at the data unchanged to 3e-15 and lowers R1 by Θ(ε) in all "
         "120 configurations of seeds 1–12.")
def thm1_closed_interval_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: with c2 = x_{i+2}, neuron 2 vanishes at x_{i+2} and cannot absorb the change
    a1εw1(x_{i+1} − x_{i+2}) ≠ 0 of the printed pivot at x_{i+1}. Pivoting neuron 1 about
    x_{i+2} (w̃1 = w1(1 − ε), b̃1 = b1 + x_{i+2}w1ε) changes its output only at x > x_{i+2}, by
    a1εw1(x_{i+2} − x) (there are no data in (x_{i+1}, x_{i+2}) and c1 > x_{i+1}); neuron 2's
    compensating change −a1εw1(x_{i+2} − x) keeps its pre-activation 0 at x_{i+2} and is added
    only where it is active. Both |a1σ1| and |a2σ2| shrink at every x > x_{i+2}, so R1 drops by
    Θ(ε) as long as one data point lies beyond x_{i+2}. Checked like thm1.perturbations on
    random configurations of that edge (c1 strictly inside)."""
    for _ in range(4 if ctx.precision.name == "quick" else 10):
        f1 = float(rng.uniform(0.05, 0.95))
        xs, pert, pair, extra = _random(rng, "intercept_pos", f1=f1, f2=1.0)
        x_right = float(xs[np.searchsorted(xs, extra[5], side="right")])
        check = functools.partial(_check, xs, pert, pair, extra[:5] + (x_right,), 0.8)
        yield judge.holds({"case": "intercept_pos", "edge": "c2 = right end point",
                           "pivot": "x_{i+2}"}, lambda check=check: check(ctx=ctx)[0],
                          detail=check(ctx=ctx.with_delta(0.0))[1])


def _endpoint_config(rng):
    """Theorem 1 (ii) on the last interval [x_{n−1}, x_n]: two neurons with w1, w2 > 0,
    a1 < 0 < a2, c1 ∈ (x_{n−1}, x_n) and c2 = x_n, plus a linear term; y := f_θ(x)."""
    n = int(rng.integers(3, 8))
    xs = np.sort(rng.uniform(-3, 3, n)) + np.arange(n) * 0.05
    c1 = xs[-2] + rng.uniform(0.1, 0.9) * (xs[-1] - xs[-2])
    w1, w2, a1, a2 = rng.uniform(0.3, 2.0, 4)
    theta = np.array([-a1, w1, -w1 * c1, a2, w2, -w2 * xs[-1], rng.normal(), rng.normal()])
    return xs, theta


def _endpoint_config_equal(rng):
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


def _unpack(t):
    return t[[0, 3]], t[[1, 4]], t[[2, 5]], t[6], t[7]


def _sample_min_r1(xs, theta, p, delta, n_samples, rng):
    """Smallest R1 over ``n_samples`` zero-loss perturbations within ±δ: (a1, w1, a2, w2, b2)
    drawn uniformly in the box, b1 solved from the constraint at x_n, the linear term kept
    (it is pinned by the n − 1 ≥ 2 points where both neurons vanish); a sample counts only if
    all n outputs are unchanged to 1e-12 of their scale. Returns (R1(θ), min R1, accepted)."""
    a1, w1, b1, a2, w2, b2, la, lb = theta
    y = th.relu_1d_outputs(*_unpack(theta), xs)[0]
    r0 = th.relu_1d_r1(*_unpack(theta)[:3], xs, p)
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
    note="Theorem 1 (ii) fails on the last interval (i = n − 1), where x_n is the only point "
         "at which the two neurons are active; the linear term is pinned by the n − 1 ≥ 2 "
         "other points and a1σ1 + a2σ2 = S is fixed at x_n. Two counterexample families: "
         "(1) c2 = x_n and a1 < 0 < a2: a1σ1 ≤ 0 ≤ a2σ2, so (a1σ1)² + (a2σ2)² ≥ S², the "
         "current value; (2) a1, a2 < 0 with equal outputs at x_n: the sum of squares is "
         "already at its minimum S²/2. In 48 configurations (seeds 1–12) none of up to "
         "200 000 random zero-loss perturbations within ±1e-4 or ±1e-3 had a lower R1, while "
         "the same search finds one when c2 lies strictly inside the interval; inner "
         "intervals with data on both sides are covered by thm1.perturbations.",
    no_correction="The statement is false on the last interval i = n − 1 that its index range "
                  "includes; the proof (Appendix B.3) treats only inner intervals with data on "
                  "both sides, which thm1.perturbations and thm1.closed_interval(_corrected) "
                  "decide, and the paper states no narrower range: whether i ∈ [2 : n − 2] or "
                  "an interval shifted by one was meant cannot be told from it.")
def thm1_statement_last_interval(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """For random configurations of the two counterexample families of the note (n = 3–7
    points, random magnitudes and linear term; y := f_θ(x)), a random search
    over zero-loss perturbations in boxes of half-width 1e-4 and 1e-3 (five neuron parameters
    drawn, the sixth solved from the constraint at x_n, every output checked). The claim is
    refuted when no sample has R1 below its value at θ by more than 1e-12 (relative), matching
    the argument in the note; a control (c2 strictly inside the interval) must find a lower
    R1, or the case is INCONCLUSIVE."""
    k = ctx.budget(200_000, minimum=20_000)
    for fam in ("a1 < 0 < a2, c2 = x_n",) * 2 + ("a1, a2 < 0, equal outputs at x_n",) * 2:
        xs, theta = (_endpoint_config(rng) if fam.startswith("a1 < 0 <")
                     else _endpoint_config_equal(rng))
        p = 0.8
        for delta in (1e-4, 1e-3):
            r0, best, acc = _sample_min_r1(xs, theta, p, delta, k, rng)
            # "R1 lowered": the smallest sampled R1 below R1(θ) by 1e-12 relative (the bound
            # R1(θ) is tightened by δ·R1(θ) in power runs)
            lowered = ctx.le(best, r0 * (1 - 1e-12))
            yield judge.holds(
                {"family": fam, "n": len(xs), "delta": delta, "x": np.round(xs, 4).tolist(),
                 "theta (a1,w1,b1,a2,w2,b2,a,b)": np.round(theta, 4).tolist()},
                lowered, theory=r0, estimate=Estimate.exact(best, "search", acc),
                detail=f"R1(θ) = {r0:.10g}; smallest R1 over {acc} zero-loss perturbations "
                       f"within ±{delta:g}: {best:.10g} "
                       f"({'lower' if lowered else 'not lower'})")
    # control: the same family with c2 strictly inside the interval has a lowering direction
    xs, theta = _endpoint_config(rng)
    c2 = xs[-2] + 0.95 * (xs[-1] - xs[-2])
    theta[5] = -theta[4] * c2
    r0, best, acc = _sample_min_r1(xs, theta, 0.8, 1e-3, k, rng)
    if not best < r0 * (1 - 1e-12):
        yield judge.holds({"control": "c2 inside"}, None,
                          detail=f"the search found no lower R1 even in the control "
                                 f"({r0:.10g} vs {best:.10g}, {acc} accepted): too weak "
                                 "to decide")


# ------------------------------------------------------------------------------------------
# Section 6.2 (one data point, after Theorem 1)
# ------------------------------------------------------------------------------------------

#: Section 6.2, one data point: networks per run with dropout, and without (a reference)
SINGLE_NETS, SINGLE_PLAIN = 8, 4


#: the data set size of the statement (one point; the mutation test moves it)
SINGLE_SAMPLES = 1


@study(maxsize=8)
def _single_point_experiment(seed: int, precision: str):
    """Section 6.2 (after Theorem 1) on the Section 6.1 task: SINGLE_NETS networks trained
    with dropout (p = 0.5) and SINGLE_PLAIN without, each on its own single data point
    x₁ ~ N(0, I₁₀), y₁ = tanh(Σx₁), from its own initialisation N(0, m^-0.2); full-batch
    Adam lr 1e-2, 20 000 steps (the sizes of :func:`_cond_experiment`), trained at once by
    :func:`sim.train_two_layer_stack`. Per network: p, the initial and trained weights
    (``nets``), the input-weight orientation count N_θ at initialisation and after training,
    the amplitude-weighted N of sec6.condensation_amplitude before and after, the total
    amplitude ΣA_j after/before, the output bias and y₁."""
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
        rows.append({"p": float(pk[k]), "nets": ((W0, b0), (Wk, bk)),
                     "init": th.two_layer_input_orientations(W0, b0),
                     "final": th.two_layer_input_orientations(Wk, bk),
                     "amp_N": (th.two_layer_orientations(W0, b0),
                               th.two_layer_orientations(Wk, bk)),
                     "amp_ratio": amp(Wk, bk) / amp(W0, b0),
                     "bias": float(bk[1][0]), "y": float(Y[k, 0, 0]),
                     "rs": th.empirical_risk(Wk, bk, X[k], Y[k])})
    return rows


def _single_params(n_nets: int) -> dict:
    return {"networks": n_nets, "samples": SINGLE_SAMPLES, "p": COND_P}


def _control_params(k: int, measure: str) -> dict:
    return {"network": k, "compare": f"control: {measure}_drop / {measure}_init < ½",
            "samples": COND_SAMPLES, "p": COND_P}


def _range(values) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"


_SINGLE_NOTE = (
    "Section 6.2: 'It should be noted that not all functions trained with dropout exhibit "
    "obvious condensation. For example, a function with dropout shows no condensation while "
    "training with a dataset consisting of only one data point.' On the task and sizes of "
    "sec6.condensation (10-100-1 tanh, init N(0, m^-0.2), p = 0.5, Adam lr 1e-2, 20 000 "
    "full-batch steps), 8 networks each on its own single point (4 without dropout as a "
    "reference), same at quick and standard. 'No condensation' (the statement is about a "
    "typical function) is read as: the mean over the 8 networks of the measure's ratio to its "
    "initial value is above ½ (the SE of a mean of independent networks from their "
    "neuron-level SEs); the control (the measure must see condensation) is that each "
    "30-point dropout network of sec6.condensation condenses (ratio < ½), which fails for a "
    "measure blind to condensation. Tests both ways at z*, as in sec6.condensation. With one "
    "point the output bias fits y₁ and R1 = c Σ_j (a_j σ_j)² is removed by switching every "
    "neuron off, so the output weights collapse (ΣA_j falls to 0–38% of its initial value "
    "over seeds 1–12). ")


@CATALOG.claim(
    "sec6_2.single_point", label="Section 6.2 (after Theorem 1), Definition 1",
    kind=Kind.INEQUALITY,
    statement="Trained on a dataset of only one data point, networks with dropout show no "
              "condensation: Definition 1's effective neuron number of their input weights "
              "stays, on average over the networks, above half of its initial one, while "
              "networks trained with dropout on 30 points condense (each below half).",
    note=_SINGLE_NOTE + "Over seeds 1–12 (96 single-point networks, standard): m_eff/m_eff,init "
    "0.91–1.05 per network, the mean over each run's 8 networks 0.96–0.99 ± 0.01–0.02 (CONFIRMED "
    "at every seed); the control m_eff,drop/m_eff,init 0.30–0.46 ± 0.03–0.05 is below ½ by more "
    "than 4.75 SEs in only 5 of 36 networks (as in sec6.condensation): INCONCLUSIVE at every "
    "seed. With N_θ (sec6_2.single_point_input_weights) the control holds and the claim is "
    "CONFIRMED: the verdict depends on the measure. The amplitude-weighted N of "
    "sec6.condensation_amplitude falls below ½ of its initial value in 16 of the 96 single-point "
    "networks (0.14–0.97): it weighs Adam's jitter on output weights a_j ≈ 0 (reported in the "
    "reading).")
def sec6_2_single_point(ctx: Context) -> Iterator[CaseResult]:
    """By Definition 1 (:func:`_def1_of`): the mean over the dropout networks of
    :func:`_single_point_experiment` of m_eff/m_eff,init > ½ (:func:`_mean_ratio` of
    :func:`_def1_ratio`, decided at the least favourable end of the brackets); the control
    m_eff,drop/m_eff,init < ½ per 30-point network of :func:`_cond_experiment`; each
    single-point network's ratio as a measurement."""
    drop = [r for r in _single_point_experiment(ctx.seed, ctx.precision.name) if r["p"] < 1]
    pairs = [(_def1_of(*r["nets"][1]), _def1_of(*r["nets"][0])) for r in drop]
    yield _bracket_case(
        _single_params(len(pairs)) | {"compare": "mean m_eff / m_eff,init > ½"},
        lambda end: _mean_ratio(_def1_ratio(a, b, end) for a, b in pairs), "lower",
        "m_eff/m_eff,init per network (lower ends) "
        + _range([a.lower / b.upper for a, b in pairs]))
    for k, row in enumerate(_cond_experiment(ctx.seed, ctx.precision.name)):
        yield _def1_case(_control_params(k, "m_eff"), row["dropout"][1], row["init"][1],
                         "upper", ("drop", "init"))
    yield judge.holds(
        {"quantity": "one data point: each network's m_eff / m_eff,init (not judged)"}, True,
        detail=", ".join(f"{_def1_ratio(a, b, 'lower'):.3g}" for a, b in pairs),
        role="measurement")


@CATALOG.claim(
    "sec6_2.single_point_input_weights", label="Section 6.2 (after Theorem 1)",
    kind=Kind.INEQUALITY, as_printed=False, reading_of="sec6_2.single_point",
    statement="Read with the orientations of the input weights alone: trained on one data "
              "point, networks with dropout keep, on average, above half of the initial "
              "effective number of orientations N_θ of their input weights, while networks "
              "trained with dropout on 30 points condense (each below half).",
    note=_SINGLE_NOTE + "The measure: N_θ = (tr M)²/tr M² with M = Σ_j ‖θ_j‖ θ̂_jθ̂_jᵀ, the "
         "input weights θ_j = (w_j, b_j) weighted by their own norms (not by the output "
         "weights, which collapse). Over seeds 1–12 (96 single-point networks, standard; "
         "CONFIRMED at every seed): N_θ/N_θ,init 0.63–0.99 per network (0.63 ± 0.05 alone would "
         "not clear ½ by 4.75 SEs), the mean over each run's 8 networks 0.78–0.91 ± 0.01–0.02; "
         "the control N_θ,drop/N_θ,init 0.16–0.29 (z ≤ −5.9). Without dropout N_θ/N_θ,init "
         "0.71–1.01. The amplitude-weighted N/N_init of the single-point dropout networks spans "
         "0.14–0.97 (below ½ in 16 of 96): with the output weights collapsed it measures Adam's "
         "jitter on a_j ≈ 0, and is reported, not judged.")
def sec6_2_single_point_input_weights(ctx: Context) -> Iterator[CaseResult]:
    """As :func:`sec6_2_single_point` with N_θ (:func:`_orientations` with ``"input"``
    amplitudes, :func:`_orientation_ratio`); the single-point networks' ratios, their
    amplitude-weighted N, the collapse of the output weights and the reference networks as
    measurements."""
    rows = _single_point_experiment(ctx.seed, ctx.precision.name)
    drop = [r for r in rows if r["p"] < 1]
    plain = [r for r in rows if r["p"] == 1.0]
    ratios = [_orientation_ratio(_orientations(*r["nets"][1], "input"),
                                 _orientations(*r["nets"][0], "input")) for r in drop]
    yield _ratio_case(_single_params(len(ratios)) | {"compare": "mean N_θ / N_θ,init > ½"},
                      _mean_ratio(ratios), "lower",
                      "N_θ/N_θ,init per network " + ", ".join(f"{e:.3g}" for e in ratios))
    for k, row in enumerate(_cond_experiment(ctx.seed, ctx.precision.name)):
        a, b = (_orientations(*row["nets"][m], "input") for m in ("dropout", "init"))
        yield _ratio_case(_control_params(k, "N_θ"), _orientation_ratio(a, b), "upper",
                          f"30 points: N_θ = {a[0]:.3g}, N_θ,init = {b[0]:.3g}")
    yield judge.holds(
        {"quantity": "one data point: amplitudes and the amplitude-weighted N (not judged)"},
        True,
        detail=f"with dropout ΣA_j after/before {_range([r['amp_ratio'] for r in drop])}, "
        f"|output bias − y₁| ≤ {max(abs(r['bias'] - r['y']) for r in drop):.2g}, "
        f"amplitude-weighted N/N_init {_range([r['amp_N'][1] / r['amp_N'][0] for r in drop])}; "
        f"without dropout N_θ/N_θ,init {_range([r['final'] / r['init'] for r in plain])}, "
        f"ΣA_j after/before {_range([r['amp_ratio'] for r in plain])}", role="measurement")


# ------------------------------------------------------------------------------------------
# Explorers of Theorem 1's perturbations (Appendix B.3): ε and the intercept positions swept
# ------------------------------------------------------------------------------------------

from dropmc.explore import Point  # noqa: E402  (the explorers' section)

from ._shared import _explore_rng  # noqa: E402


def _explore_config(ctx: Context, slug: str, case: str, f1: float, f2: float):
    """A Theorem 1 configuration of ``case`` (:func:`_random`: data, magnitudes, extra neurons
    and linear term from the explorer's generator, :func:`_explore_rng`, so they depend on the
    run seed only) with the intercepts placed at the fractions ``f1``, ``f2`` of their
    intervals. Returns (xs, perturbation name, neuron pair, (extra neurons, linear term),
    x_{i+1})."""
    xs, pert, pair, extra = _random(_explore_rng(ctx, f"{slug}.{case}"), case, f1=f1, f2=f2)
    return xs, pert, pair, extra[:5], extra[5]


def _perturbed(xs, pert, pair, extra, x_pivot: float, eps: float, p: float):
    """Outputs at the data and R1 of Theorem 1's network after the printed perturbation of the
    pair about ``x_pivot`` at size ε (ε = 0: the network itself): (f(xs), R1)."""
    ea, ew, eb, la, lb = extra
    A1, W1, B1, A2, W2, B2, dla, dlb = th.theorem1_perturbation(pert, *pair, x_pivot, eps)
    a, w, b = np.r_[A1, A2, ea], np.r_[W1, W2, ew], np.r_[B1, B2, eb]
    return th.relu_1d_outputs(a, w, b, la + dla, lb + dlb, xs)[0], th.relu_1d_r1(a, w, b, xs, p)


@CATALOG.explorer("thm1.perturbations", eps=(1e-3, 1e-7, 1.0), f1=(0.4, 0.05, 1.0),
                  f2=(0.7, 0.05, 1.0), case=T1_CASES)
def _explore_thm1_perturbations(ctx: Context, eps: float, f1: float, f2: float,
                                case: str) -> Point:
    """Theorem 1's printed perturbation of size ε for one case (one configuration drawn from
    the run seed, 4–8 data points, 0–3 extra neurons, y := f_θ(x) so R_S = 0; p = 0.8), with
    the intercepts at the fractions f1, f2 of their intervals (sorted in the intercept cases):
    R1(θ) as an upper bound on R1 after the perturbation. The slack is the decrease, Θ(ε) for
    small ε (sweep ε on a log scale); beyond the configuration's own scale the perturbation
    changes activation patterns and the bound may fail. Whether the outputs at the data stay
    put is what thm1.closed_interval's explorer shows. A bound, exact. A point takes under
    1 ms."""
    p = 0.8
    xs, pert, pair, extra, x_piv = _explore_config(ctx, "thm1.perturbations", case, f1, f2)
    _, r1_0 = _perturbed(xs, pert, pair, extra, x_piv, 0.0, p)
    _, r1 = _perturbed(xs, pert, pair, extra, x_piv, eps, p)
    return Point.bound(r1_0, side="upper", exact=r1)


def _explore_closed_interval(ctx: Context, eps: float, f1: float, f2: float,
                             case: str) -> Point:
    """Condition (ii) of Theorem 1 on the closed interval: one intercept configuration of
    ``case`` (drawn from the run seed; y := f_θ(x)) with the intercepts at the fractions
    sorted(f1, f2) of the inner interval [x_{i+1}, x_{i+2}] (1: on its right end point), the
    printed perturbation of size ε about x_{i+1}, and the corrected one about x_{i+2}
    (thm1.closed_interval_corrected). The identity is "the output at the data point x_{i+2}
    is unchanged": the printed value is the output after the printed perturbation, the
    correction the output after the corrected one, the truth y(x_{i+2}). With a2 > 0 and the
    second intercept on x_{i+2} (f2 = 1) the printed perturbation moves that output by
    a1εw1(x_{i+1} − x_{i+2}), linear in ε; pivoting about x_{i+2} keeps it. Exact; a point
    takes under 1 ms."""
    p = 0.8
    xs, pert, pair, extra, x_piv = _explore_config(ctx, "thm1.closed_interval", case, f1, f2)
    j = int(np.searchsorted(xs, x_piv, side="right"))
    y, _ = _perturbed(xs, pert, pair, extra, x_piv, 0.0, p)
    printed, _ = _perturbed(xs, pert, pair, extra, x_piv, eps, p)
    corrected, _ = _perturbed(xs, pert, pair, extra, float(xs[j]), eps, p)
    return Point.identity(float(printed[j]), exact=float(y[j]), correction=float(corrected[j]))


CATALOG.explorer("thm1.closed_interval", eps=(1e-3, 1e-7, 1.0), f1=(0.4, 0.05, 1.0),
                 f2=(1.0, 0.05, 1.0), case=T1_CASES[4:])(_explore_closed_interval)
CATALOG.explorer("thm1.closed_interval_corrected", eps=(1e-3, 1e-7, 1.0), f1=(0.4, 0.05, 1.0),
                 f2=(1.0, 0.05, 1.0), case=T1_CASES[4:])(_explore_closed_interval)


for _slug, _why in (
        ("sec6_2.two_neuron_toy", "an SLSQP minimisation per drawn two-point configuration: "
         "the minimum ‖o*‖²/2 is met to the optimiser's tolerance (1e-6), not a closed form "
         "evaluated exactly along a parameter"),
        ("thm1.statement_last_interval", "an existence statement decided by a random search "
         "over zero-loss perturbations in a box: no closed form in a parameter (its "
         "counterexamples are configurations on the last interval, not a range of a "
         "parameter)"),
        ("sec6_2.single_point", "a training experiment (networks trained on one data point, "
         "20 000 Adam steps): no closed form in a parameter"),
        ("sec6_2.single_point_input_weights", "a reading of sec6_2.single_point's training "
         "experiment: no closed form in a parameter")):
    CATALOG.no_explorer(_slug, _why)
