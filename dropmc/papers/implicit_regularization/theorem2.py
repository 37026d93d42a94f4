"""Section 7.2 of Zhang & Xu: the Hessian trace at zero loss and Theorem 2 with its proof
(Appendix B.4)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind, Verdict
from dropmc.estimate import Estimate
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

from ._shared import CATALOG, _net_params, _random_network, _random_p

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
def sec7_2_trace(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """At zero-loss points (y_i := f_θ(x_i)) the exact Hessian trace of R_S (complex step on
    the hand-written gradient) against (1/n)Σ‖∇θ f(x_i)‖² computed by complex steps on the
    outputs, relative 1e-10, for Theorem 2's ReLU network and for tanh networks of depth 2–3
    with biases."""
    for _ in range(4):
        a, W, X = _relu2_config(rng)
        m = a.size
        Y = th.relu2_output(a, W, X)
        theta = np.concatenate([a, W.ravel()])
        tr = sim.hessian_trace(lambda t: sim.relu2_grad(t, X, Y, m), theta)
        fl = sim.flatness_numeric(theta, X, m)
        yield judge.identity({"network": "ReLU, Theorem 2", "m": m, "d": X.shape[1],
                              "n": X.shape[0]},
                             fl, Estimate.exact(tr, "closed_form", theta.size))
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
        yield judge.identity(_net_params(Ws, "tanh", 1.0, X) | {"network": "tanh"}, fl,
                             Estimate.exact(tr, "closed_form", theta.size))


@CATALOG.claim(
    "thm2.flatness_formula", label="Theorem 2, Appendix B.4", kind=Kind.IDENTITY,
    statement="For f = Σ_j a_j σ(w_jᵀx) (ReLU), (1/n)Σ_i‖∇θf(x_i)‖² = "
              "(1/n)Σ_iΣ_j(σ²(w_jᵀx_i) + a_j²σ'(w_jᵀx_i)²‖x_i‖²).")
def thm2_flatness_formula(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The printed closed form against complex-step gradients of the outputs, relative 1e-10,
    on random (a, W, X)."""
    for _ in range(8):
        a, W, X = _relu2_config(rng)
        theta = np.concatenate([a, W.ravel()])
        yield judge.identity({"m": a.size, "d": X.shape[1], "n": X.shape[0]},
                             th.flatness(a, W, X),
                             Estimate.exact(sim.flatness_numeric(theta, X, a.size),
                                            "closed_form", theta.size))


def _derivative_case(a, W, X, p):
    m = a.size
    Y = th.relu2_output(a, W, X)
    theta = np.concatenate([a, W.ravel()])
    num = sim.flatness_derivative_numeric(theta, X, Y, m, p)
    ga, gW = th.relu2_r1_gradient(a, W, X, p)
    gnorm = float(np.sqrt(np.sum(ga ** 2) + np.sum(gW ** 2)))
    return num, th.flatness_derivative_r1_flow(a, W, X, p), gnorm


def _size(a, W, X, p) -> float:
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
def thm2_flatness_decreases(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """At zero-loss points (y := f_θ(x)) the derivative is a central finite difference of the
    complex-step flatness along the flow direction −∇(R_S + R1) (itself a complex-step gradient
    of the loss): no closed form is used. It must be negative whenever ∇R1 ≠ 0; it is also
    compared with our closed form −∇F·∇R1 (relative 1e-5, the finite-difference accuracy). A
    hypothesis search over (m, d, n, seed, p) looks for a positive derivative."""
    from hypothesis import strategies as st

    for _ in range(6):
        a, W, X = _relu2_config(rng)
        p = _random_p(rng)
        num, closed, gnorm = _derivative_case(a, W, X, p)
        params = {"m": a.size, "d": X.shape[1], "n": X.shape[0], "p": p, "|∇R1|": gnorm}
        if gnorm == 0:
            continue
        yield judge.upper_bound(params, 0.0, Estimate.exact(num, "closed_form"),
                                detail=f"dF/dt = {num:.6g} (finite difference), closed "
                                       f"form {closed:.6g}",
                                scale=_size(a, W, X, p))
        yield judge.exact(params | {"check": "closed form vs finite difference"}, closed, num,
                          rtol=1e-5)

    def holds(args):
        m, d, n, seed, p = args
        a, W, X = _relu2_config(np.random.default_rng(seed), m, d, n)
        num, closed, gnorm = _derivative_case(a, W, X, p)
        # dF/dt < 0 (the bound 0 is tightened by δ·‖∇F‖‖∇R1‖ in power runs)
        return gnorm < 1e-9 or (ctx.le(num, 0.0, tol=-1e-300, scale=_size(a, W, X, p))
                                and closed < 0)

    strat = st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 5),
                      st.integers(0, 2 ** 32 - 1), st.floats(0.05, 0.99))
    yield judge.search_case({"m, d, n": "1-5, 1-3, 1-5"}, holds, strat,
                            what="(m, d, n, seed, p)",
                            max_examples=min(ctx.search_examples, 300))


@CATALOG.claim(
    "thm2.proof_flow", label="Appendix B.4", kind=Kind.IDENTITY,
    statement="Under the gradient flow of R1, da_j/dt = −(1 − p)/(2np) Σ_i a_j σ²(w_jᵀx_i) and "
              "dw_j/dt = −(1 − p)/(2np) Σ_i a_j² σ(w_jᵀx_i) x_iᵀ.",
    note="The printed flow is half the true −∇R1: printed / true = 0.5 in every entry of "
         "every case with ∇R1 ≠ 0 (65 of 72 random networks, seeds 1–12), since the factor 2 "
         "from differentiating the square is dropped (thm2.proof_flow_corrected). Only the "
         "time scale changes, so the sign conclusion of Theorem 2 is unaffected.")
def thm2_proof_flow(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The printed right-hand sides against −∇R1 by complex-step differentiation of R1
    (Eq. 3), entrywise to relative 1e-10, on random (a, W, X, p)."""
    return _proof_flow_cases(rng, printed=True)


@CATALOG.claim(
    "thm2.proof_flow_corrected", label="Appendix B.4", kind=Kind.IDENTITY, as_printed=False,
    corrects="thm2.proof_flow", fix="misprint",
    statement="Under the gradient flow of R1, da_j/dt = −(1 − p)/(np) Σ_i a_j σ²(w_jᵀx_i) and "
              "dw_j/dt = −(1 − p)/(np) Σ_i a_j² σ(w_jᵀx_i) x_iᵀ.",
    note="Corrects the factor (1 − p)/(2np) of the printed flow (thm2.proof_flow): with "
         "(1 − p)/(np) it equals −∇R1 to relative 1e-10.")
def thm2_proof_flow_corrected(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """Derivation: R1 = (1 − p)/(2np) Σ_iΣ_j a_j² σ(w_jᵀx_i)², so ∂R1/∂a_j = (1 − p)/(np)
    Σ_i a_j σ², and since σσ' = σ for ReLU, ∇_{w_j}R1 = (1 − p)/(np) Σ_i a_j² σ(w_jᵀx_i)x_i:
    the factor 2 of the square cancels the 1/2 of Eq. 3, which the printed flow keeps. Checked
    against complex-step derivatives of R1 as the printed version."""
    return _proof_flow_cases(rng, printed=False)


def _proof_flow_cases(rng, printed: bool) -> Iterator[CaseResult]:
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
        c = judge.exact({"m": m, "d": X.shape[1], "n": X.shape[0], "p": p}, true, val)
        if c.verdict is Verdict.REFUTED:
            nz = np.abs(true) > 1e-12
            ratio = float(np.median(val[nz] / true[nz])) if nz.any() else float("nan")
            c.detail += f"; printed / true = {ratio:.6g} (median over entries)"
        yield c
