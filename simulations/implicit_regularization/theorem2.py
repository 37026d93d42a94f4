"""Section 7.2, Theorem 2 of Zhang & Xu: the loss of a two-layer ReLU network, the Hessian trace
and the flatness, computed by the complex step without the closed forms of Appendix B.4."""

from __future__ import annotations

import numpy as np

from dropmc._validation import (check_array, check_int, check_probability, check_real,
                                check_samples)
from dropmc.theory import implicit_regularization as th

from ._shared import _CSTEP, complex_step_gradient

# ------------------------------------------------------------------------------------------
# Theorem 2 / Section 7.2: Hessian trace and flatness, computed without the closed forms
# ------------------------------------------------------------------------------------------


def _relu2_data(theta, X, m, Y=None, p=None, *, dtype=float):
    """Theorem 2's flat θ = (a, vec W) of m neurons (``dtype`` None keeps a complex θ), finite
    data X (n, d) and targets Y (n,), keep probability p in (0, 1] (when given), checked."""
    X = check_array("X", X, ndim=2)
    m = check_int("m", m, minimum=1)
    theta = check_array("theta", theta, ndim=1, dtype=dtype)
    if theta.shape[0] != m * (X.shape[1] + 1):
        raise ValueError(f"theta must hold m·(d + 1) = {m * (X.shape[1] + 1)} entries for m = "
                         f"{m} neurons on d = {X.shape[1]} inputs, got {theta.shape[0]}")
    if Y is not None:
        Y = check_array("Y", Y, shape=(X.shape[0],))
    if p is not None:
        p = check_probability("p", p)
    return theta, X, m, Y, p


def relu2_loss(theta, X, Y, m: int, p: float | None = None):
    """R_S (+ R1) of Theorem 2's network f = Σ a_j σ(w_j·x), θ = (a, vec W); complex-safe."""
    theta, X, m, Y, p = _relu2_data(theta, X, m, Y, p, dtype=None)
    d = X.shape[1]
    a = theta[:m]
    W = theta[m:].reshape(m, d)
    Z = X @ W.T
    S = th.act("relu", Z)
    e = S @ a - Y
    val = np.sum(e * e) / (2.0 * X.shape[0])
    if p is not None:
        val = val + (1.0 - p) / (2.0 * X.shape[0] * p) * np.sum(S * S * (a * a)[None, :])
    return val


def relu2_grad(theta, X, Y, m: int, p: float | None = None):
    """Hand-written gradient of :func:`relu2_loss` (complex-safe)."""
    theta, X, m, Y, p = _relu2_data(theta, X, m, Y, p, dtype=None)
    d = X.shape[1]
    a = theta[:m]
    W = theta[m:].reshape(m, d)
    Z = X @ W.T
    S = th.act("relu", Z)
    D = th.act_prime("relu", Z)
    n = X.shape[0]
    e = (S @ a - Y) / n
    ga = S.T @ e
    gW = ((e[:, None] * D) * a[None, :]).T @ X
    if p is not None:
        c = (1.0 - p) / (n * p)
        ga = ga + c * a * np.sum(S * S, axis=0)
        gW = gW + c * (a * a)[:, None] * ((S * D).T @ X)
    return np.concatenate([ga, gW.ravel()])


def hessian_trace(grad_fn, theta) -> float:
    r""":math:`\mathrm{Tr}\,\nabla^2\phi(\theta) = \sum_k\mathrm{Im}\,\partial_k\phi(\theta+ihe_k)/h`
    (complex step on the gradient: exact to rounding, no autodiff) at a finite vector θ."""
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be a callable grad_fn(theta), got {grad_fn!r}")
    theta = check_array("theta", theta, ndim=1)
    tr = 0.0
    for k in range(theta.size):
        e = np.zeros(theta.size, dtype=complex)
        e[k] = 1j * _CSTEP
        tr += float(np.imag(grad_fn(theta + e)[k])) / _CSTEP
    return tr


def output_gradient_norms(out_fn, theta, n: int) -> np.ndarray:
    r""":math:`\|\nabla_\theta f_\theta(x_i)\|^2` for i < n by the complex step on the outputs
    (``out_fn(theta) -> (n,)``), without any hand-written derivative, at a finite vector θ."""
    if not callable(out_fn):
        raise TypeError(f"out_fn must be a callable out_fn(theta), got {out_fn!r}")
    theta = check_array("theta", theta, ndim=1)
    n = check_samples("n", n, bytes_per_sample=32)    # the complex outputs, their slopes, sums
    acc = np.zeros(n)
    for k in range(theta.size):
        e = np.zeros(theta.size, dtype=complex)
        e[k] = 1j * _CSTEP
        gk = np.imag(out_fn(theta + e)) / _CSTEP
        if gk.shape != (n,):
            raise ValueError(f"out_fn must return n = {n} outputs, got shape {gk.shape}")
        acc += gk * gk
    return acc


def flatness_numeric(theta, X, m: int) -> float:
    r""":math:`\frac1n\sum_i\|\nabla_\theta f_\theta(x_i)\|^2` for Theorem 2's network by the
    complex step (independent of the closed form of Appendix B.4)."""
    theta, X, m, _, _ = _relu2_data(theta, X, m)
    d = X.shape[1]

    def out(t):
        return th.act("relu", X @ t[m:].reshape(m, d).T) @ t[:m]

    return float(np.mean(output_gradient_norms(out, theta, X.shape[0])))


def flatness_derivative_numeric(theta, X, Y, m: int, p: float, *, h: float = 1e-5) -> float:
    r""":math:`\frac{d}{dt}F(\theta(t))|_{t=0}` under :math:`\dot\theta=-\nabla(R_S+R_1)`:
    central difference of :func:`flatness_numeric` along the flow direction, the direction
    itself from the complex-step gradient of the loss (no closed form used); the step
    ``h`` > 0."""
    theta, X, m, Y, p = _relu2_data(theta, X, m, Y, p)
    h = check_real("h", h, lo=0.0, lo_open=True)
    v = -complex_step_gradient(lambda t: relu2_loss(t, X, Y, m, p), theta)
    step = h / max(1.0, float(np.linalg.norm(v)))
    return (flatness_numeric(theta + step * v, X, m)
            - flatness_numeric(theta - step * v, X, m)) / (2.0 * step)
