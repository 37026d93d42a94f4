"""Section 7.2, Theorem 2 of Zhang & Xu: the loss of a two-layer ReLU network, the Hessian trace
and the flatness, computed by the complex step without the closed forms of Appendix B.4."""

from __future__ import annotations

import numpy as np

from dropmc.theory import implicit_regularization as th

from ._shared import _CSTEP, complex_step_gradient

# ------------------------------------------------------------------------------------------
# Theorem 2 / Section 7.2: Hessian trace and flatness, computed without the closed forms
# ------------------------------------------------------------------------------------------


def relu2_loss(theta, X, Y, m: int, p: float | None = None):
    """R_S (+ R1) of Theorem 2's network f = Σ a_j σ(w_j·x), θ = (a, vec W); complex-safe."""
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
    (complex step on the gradient: exact to rounding, no autodiff)."""
    theta = np.asarray(theta, dtype=float)
    tr = 0.0
    for k in range(theta.size):
        e = np.zeros(theta.size, dtype=complex)
        e[k] = 1j * _CSTEP
        tr += float(np.imag(grad_fn(theta + e)[k])) / _CSTEP
    return tr


def output_gradient_norms(out_fn, theta, n: int) -> np.ndarray:
    r""":math:`\|\nabla_\theta f_\theta(x_i)\|^2` for i < n by the complex step on the outputs
    (``out_fn(theta) -> (n,)``), without any hand-written derivative."""
    theta = np.asarray(theta, dtype=float)
    acc = np.zeros(n)
    for k in range(theta.size):
        e = np.zeros(theta.size, dtype=complex)
        e[k] = 1j * _CSTEP
        gk = np.imag(out_fn(theta + e)) / _CSTEP
        acc += gk * gk
    return acc


def flatness_numeric(theta, X, m: int) -> float:
    r""":math:`\frac1n\sum_i\|\nabla_\theta f_\theta(x_i)\|^2` for Theorem 2's network by the
    complex step (independent of the closed form of Appendix B.4)."""
    d = X.shape[1]

    def out(t):
        return th.act("relu", X @ t[m:].reshape(m, d).T) @ t[:m]

    return float(np.mean(output_gradient_norms(out, theta, X.shape[0])))


def flatness_derivative_numeric(theta, X, Y, m: int, p: float, *, h: float = 1e-5) -> float:
    r""":math:`\frac{d}{dt}F(\theta(t))|_{t=0}` under :math:`\dot\theta=-\nabla(R_S+R_1)`:
    central difference of :func:`flatness_numeric` along the flow direction, the direction
    itself from the complex-step gradient of the loss (no closed form used)."""
    v = -complex_step_gradient(lambda t: relu2_loss(t, X, Y, m, p), theta)
    step = h / max(1.0, float(np.linalg.norm(v)))
    return (flatness_numeric(theta + step * v, X, m)
            - flatness_numeric(theta - step * v, X, m)) / (2.0 * step)
