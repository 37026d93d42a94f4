"""Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), the one
optimiser of every trainer in :mod:`dropmc.simulations`.

The update is Algorithm 1 of the paper with the bias corrections applied to the moments:
``m ← β1 m + (1 − β1) g``, ``v ← β2 v + (1 − β2) g²``,
``θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)``, on lists of numpy arrays updated
in place (so a caller's views of the weights see the step). The arrays keep their dtype
(float32 weights are updated in float32). A leading batch axis is fine: every operation is
elementwise, so K independent networks stacked along axis 0 are K independent Adams.

:meth:`Adam.step` runs one fused pass per array (:func:`_adam_kernel`: m, v and θ read and
written once) that is bit-identical to the numpy expressions of :func:`_adam_update_numpy`:
the same operations in the same order, each rounded to the array's dtype as numpy rounds it.
Under numpy 2 (NEP 50), as under numpy 1's value-based casting, a Python float meets a float32
array as a float32: the constants ``β1``, ``1 − β1``, ``β2``, ``1 − β2``, ``1 − β1^t``,
``1 − β2^t``, ``lr`` and ``ε`` are computed in Python (float64) and then rounded once to the
dtype, and so they are here. The
kernel has no fast-math flags (no FMA contraction, no reassociation) and numpy's error model
(a zero divisor gives inf or NaN as in numpy, and the loop vectorises). Arrays it does not take
(not C-contiguous, not float32/float64, or a gradient of another dtype or shape) get the numpy
expressions themselves; a non-contiguous gradient is copied. :class:`AdamNumpy` updates every
array with the numpy expressions (the reference the trainers' plain-numpy versions use).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from dropmc._validation import check_count, check_finite, check_real
from dropmc.simulations._core import JIT_EXACT


def _check_hyperparameters(lr, b1, b2, eps) -> tuple[float, float, float, float]:
    """``lr`` ≥ 0, ``b1`` and ``b2`` in [0, 1), ``eps`` ≥ 0, all finite."""
    lr = check_real("lr", lr, lo=0.0)
    b1 = check_real("b1", b1, lo=0.0, hi=1.0, hi_open=True)
    b2 = check_real("b2", b2, lo=0.0, hi=1.0, hi_open=True)
    eps = check_real("eps", eps, lo=0.0)
    return lr, b1, b2, eps


@njit(**JIT_EXACT)
def _adam_kernel(q, g, m, v, b1, c1, b2, c2, lr, bc1, bc2, eps):
    """One Adam update of the flat arrays ``q`` (parameters), ``m``, ``v`` (moments) in place
    from the gradient ``g``; the scalars are of the arrays' dtype: ``c1 = 1 − β1``,
    ``c2 = 1 − β2``, ``bc1 = 1 − β1^t``, ``bc2 = 1 − β2^t``. Each line is one numpy
    expression of :func:`_adam_update_numpy`, in its order."""
    for i in range(q.size):
        gi = g[i]
        mi = m[i] * b1 + c1 * gi
        vi = v[i] * b2 + (c2 * gi) * gi
        m[i] = mi
        v[i] = vi
        q[i] = q[i] - (lr * (mi / bc1)) / (np.sqrt(vi / bc2) + eps)


def _adam_update_numpy(q, g, m, v, lr, b1, b2, eps, t) -> None:
    """The same update in numpy expressions, in place (the reference of
    :func:`_adam_kernel`, and the update of arrays the kernel does not take)."""
    m *= b1
    m += (1 - b1) * g
    v *= b2
    v += (1 - b2) * g * g
    q -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)


_KERNEL_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _kernel_takes(q, g, m, v) -> bool:
    """Whether :func:`_adam_kernel` can update ``q``, ``m``, ``v`` in place from ``g``: one
    shape, one float32 or float64 dtype, and ``q``, ``m``, ``v`` C-contiguous (a
    non-contiguous gradient is copied)."""
    dt, shape = q.dtype, q.shape
    return (dt in _KERNEL_DTYPES and g.dtype == m.dtype == v.dtype == dt
            and g.shape == m.shape == v.shape == shape
            and q.flags.c_contiguous and m.flags.c_contiguous and v.flags.c_contiguous)


class Adam:
    """Adam state for ``params`` (a list of arrays): first and second moments and the step
    count. ``step(params, grads)`` applies one update to ``params`` in place."""

    def __init__(self, params, lr: float = 1e-3, *, b1: float = 0.9, b2: float = 0.999,
                 eps: float = 1e-8):
        self.lr, self.b1, self.b2, self.eps = _check_hyperparameters(lr, b1, b2, eps)
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def _advance(self, params, grads) -> int:
        """Check that ``params`` and ``grads`` match the state and count the step."""
        if len(params) != len(self.m) or len(grads) != len(self.m):
            raise ValueError(f"Adam was set up for {len(self.m)} arrays, got {len(params)} "
                             f"parameters and {len(grads)} gradients")
        self.t += 1
        return self.t

    def step(self, params, grads) -> None:
        """One bias-corrected Adam update of every array of ``params`` (in place)."""
        t = self._advance(params, grads)
        lr, b1, b2, eps = self.lr, self.b1, self.b2, self.eps
        c1, c2, bc1, bc2 = 1 - b1, 1 - b2, 1 - b1 ** t, 1 - b2 ** t
        for q, g, m, v in zip(params, grads, self.m, self.v):
            g = np.asarray(g)
            if _kernel_takes(q, g, m, v):
                s = q.dtype.type
                _adam_kernel(q.reshape(-1), np.ascontiguousarray(g).reshape(-1),
                             m.reshape(-1), v.reshape(-1), s(b1), s(c1), s(b2), s(c2),
                             s(lr), s(bc1), s(bc2), s(eps))
            else:
                _adam_update_numpy(q, g, m, v, lr, b1, b2, eps, t)


class AdamNumpy(Adam):
    """:class:`Adam` with every array updated by the numpy expressions of
    :func:`_adam_update_numpy` (the reference the fused update is benchmarked against; the
    same numbers bit for bit)."""

    def step(self, params, grads) -> None:
        """One bias-corrected Adam update of every array of ``params`` (in place)."""
        t = self._advance(params, grads)
        for q, g, m, v in zip(params, grads, self.m, self.v):
            _adam_update_numpy(q, g, m, v, self.lr, self.b1, self.b2, self.eps, t)


def adam_numpy(theta, grad_fn, steps: int, lr: float = 1e-3, b1: float = 0.9,
               b2: float = 0.999, eps: float = 1e-8):
    """Plain reference of :class:`Adam` on one vector, written from the paper's Algorithm 1
    (for the tests): returns θ after ``steps`` updates with gradients ``grad_fn(θ)``."""
    lr, b1, b2, eps = _check_hyperparameters(lr, b1, b2, eps)
    steps = check_count("steps", steps, minimum=0)
    theta = check_finite("theta", theta)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t in range(1, steps + 1):
        g = grad_fn(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1 ** t)
        v_hat = v / (1 - b2 ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta
