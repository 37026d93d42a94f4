"""Complex-step derivatives shared by the sections of Zhang & Xu: the Hessian-vector product
(Appendix B.2) and the gradient (Section 7.2), exact to rounding."""

from __future__ import annotations

import numpy as np

_CSTEP = 1e-30


def hvp(grad_fn, theta, v):
    r"""Hessian-vector product :math:`\nabla^2\phi(\theta)v` by the complex step on the
    (analytic, complex-safe) gradient: :math:`\mathrm{Im}\,\nabla\phi(\theta+ihv)/h`, exact to
    rounding."""
    return np.imag(grad_fn(theta + 1j * _CSTEP * v)) / _CSTEP


def complex_step_gradient(fun, theta):
    r"""Gradient of a real-analytic scalar function by the complex step
    :math:`\partial_k\phi = \mathrm{Im}\,\phi(\theta+ihe_k)/h` (no subtractive cancellation)."""
    theta = np.asarray(theta, dtype=float)
    g = np.empty_like(theta)
    for k in range(theta.size):
        e = np.zeros(theta.size, dtype=complex)
        e[k] = 1j * _CSTEP
        g[k] = np.imag(fun(theta + e)) / _CSTEP
    return g
