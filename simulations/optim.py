"""Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), the one
optimiser of every trainer in :mod:`dropmc.simulations`.

The update is Algorithm 1 of the paper with the bias corrections applied to the moments:
``m ← β1 m + (1 − β1) g``, ``v ← β2 v + (1 − β2) g²``,
``θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)``, on lists of numpy arrays updated
in place (so a caller's views of the weights see the step). The arrays keep their dtype
(float32 weights are updated in float32). A leading batch axis is fine: every operation is
elementwise, so K independent networks stacked along axis 0 are K independent Adams.
"""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_count, check_finite, check_real


def _check_hyperparameters(lr, b1, b2, eps) -> tuple[float, float, float, float]:
    """``lr`` ≥ 0, ``b1`` and ``b2`` in [0, 1), ``eps`` ≥ 0, all finite."""
    lr = check_real("lr", lr, lo=0.0)
    b1 = check_real("b1", b1, lo=0.0, hi=1.0, hi_open=True)
    b2 = check_real("b2", b2, lo=0.0, hi=1.0, hi_open=True)
    eps = check_real("eps", eps, lo=0.0)
    return lr, b1, b2, eps


class Adam:
    """Adam state for ``params`` (a list of arrays): first and second moments and the step
    count. ``step(params, grads)`` applies one update to ``params`` in place."""

    def __init__(self, params, lr: float = 1e-3, *, b1: float = 0.9, b2: float = 0.999,
                 eps: float = 1e-8):
        self.lr, self.b1, self.b2, self.eps = _check_hyperparameters(lr, b1, b2, eps)
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, params, grads) -> None:
        """One bias-corrected Adam update of every array of ``params`` (in place)."""
        if len(params) != len(self.m) or len(grads) != len(self.m):
            raise ValueError(f"Adam was set up for {len(self.m)} arrays, got {len(params)} "
                             f"parameters and {len(grads)} gradients")
        self.t += 1
        b1, b2, t = self.b1, self.b2, self.t
        for q, g, m, v in zip(params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            q -= self.lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + self.eps)


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
