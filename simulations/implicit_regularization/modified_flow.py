"""Section 4 (Eq. 4–5) and Appendix B.2 of Zhang & Xu: the exact mean iterate of dropout GD on a
tiny network and the candidate modified gradient flows (scipy ``solve_ivp``, DOP853)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_array, check_choice, check_int, check_probability, check_real
from dropmc.simulations import enumeration
from dropmc.theory import implicit_regularization as th

from ._shared import hvp

# ------------------------------------------------------------------------------------------
# Eq. 4-5, Appendix B.2: the mean iterate of dropout GD and candidate modified flows
# ------------------------------------------------------------------------------------------


class TinyNet:
    """A tiny FNN under Setting 1–3 with its data, for the modified-flow experiments.

    ``shapes`` as in :func:`dropmc.theory.implicit_regularization.shapes_of`; dropout with
    keep probability ``p`` on the last hidden layer; one η per step shared by all data.
    """

    def __init__(self, shapes, X, Y, p: float, activation: str = "tanh"):
        self.shapes = [tuple(s) for s in shapes]
        self.X = check_array("X", X, ndim=2, shape=(None, self.shapes[0][1]))
        self.Y = check_array("Y", Y, ndim=2, shape=(self.X.shape[0], self.shapes[-1][0]))
        self.p = check_probability("p", p)
        self.activation = check_choice("activation", activation, th.ACTIVATIONS)
        self.m = self.shapes[-1][1]
        check_int("width of the dropout layer", self.m, maximum=6)
        if self.p < 1.0:
            self.masks, self.mask_w = enumeration.enumerate_masks(self.m, self.p)
        else:
            self.masks, self.mask_w = np.ones((1, self.m), dtype=np.uint8), np.ones(1)
        self.scales = self.masks.astype(float) / self.p

    # the data and p are checked once, in __init__; θ is the flow's own state
    def grad_drop(self, theta, scale):
        return th._risk_gradient(theta, self.shapes, self.X, self.Y, self.activation, scale,
                                 None)

    def grad_L(self, theta):
        r""":math:`\nabla(R_S+R_1)`."""
        return th._risk_gradient(theta, self.shapes, self.X, self.Y, self.activation, None,
                                 self.p)

    def grad_RS(self, theta):
        return th._risk_gradient(theta, self.shapes, self.X, self.Y, self.activation, None,
                                 None)

    def vector_field(self, name: str, eps: float):
        r"""θ̇ for the candidate modified losses:

        * ``"RS"``: :math:`-\nabla R_S`;
        * ``"L"``: :math:`-\nabla(R_S+R_1)`;
        * ``"printed"``: :math:`-\nabla(R_S+R_1+R_2)` with Eq. 4's
          :math:`R_2=\frac\varepsilon4E_\eta\|\nabla R_S^{drop}\|^2`
          (:math:`\nabla R_2=\frac\varepsilon2E_\eta[H_\eta g_\eta]`);
        * ``"corrected"``: :math:`-\nabla(R_S+R_1+\frac\varepsilon4\|\nabla(R_S+R_1)\|^2)`.
        """
        if name == "RS":
            return lambda t, th_: -self.grad_RS(th_)
        if name == "L":
            return lambda t, th_: -self.grad_L(th_)
        if name == "corrected":
            def f(t, th_):
                G = self.grad_L(th_)
                return -G - 0.5 * eps * hvp(self.grad_L, th_, G)
            return f
        if name == "printed":
            def f(t, th_):
                G = self.grad_L(th_)
                acc = np.zeros_like(th_)
                for s, w in zip(self.scales, self.mask_w):
                    gfun = (lambda z, s=s: self.grad_drop(z, s))
                    g = gfun(th_)
                    acc += w * hvp(gfun, th_, g)
                return -G - 0.5 * eps * acc
            return f
        raise ValueError(f"flow must be one of 'RS', 'L', 'printed', 'corrected'; got {name!r}")


def mean_iterate(net: TinyNet, theta0, eps: float, k: int) -> np.ndarray:
    r""":math:`E\,\theta_k` for :math:`\theta_{t+1}=\theta_t-\varepsilon\nabla_\theta
    R_S^{drop}(\theta_t,\eta_t)` with i.i.d. :math:`\eta_t`, exactly: all
    :math:`2^{m k}` mask sequences with their probabilities (at most 2^14 leaves, and at
    most 2^14 steps)."""
    theta0 = check_array("theta0", theta0, ndim=1)
    eps = check_real("eps", eps, lo=0.0, lo_open=True)
    k = check_int("k", k, minimum=1, maximum=1 << 14)
    if len(net.mask_w) ** k > 1 << 14:
        raise ValueError(f"k = {k} steps with {len(net.mask_w)} masks per step exceed 2^14 "
                         "enumerated sequences")
    thetas = theta0[None, :]
    ws = np.ones(1)
    for _ in range(k):
        new_t, new_w = [], []
        for s, w in zip(net.scales, net.mask_w):
            new_t.append(np.array([t - eps * net.grad_drop(t, s) for t in thetas]))
            new_w.append(ws * w)
        thetas = np.concatenate(new_t)
        ws = np.concatenate(new_w)
    return ws @ thetas


def integrate_flow(fun, theta0, T: float, *, rtol: float = 1e-12, atol: float = 1e-14):
    """θ(T) for θ̇ = fun(t, θ) with scipy's DOP853 at tight tolerances, from a finite θ(0) =
    ``theta0`` over a finite time T ≥ 0 (positive finite tolerances)."""
    from scipy.integrate import solve_ivp

    if not callable(fun):
        raise TypeError(f"fun must be a callable fun(t, theta), got {fun!r}")
    theta0 = check_array("theta0", theta0, ndim=1)
    T = check_real("T", T, lo=0.0)
    rtol = check_real("rtol", rtol, lo=0.0, lo_open=True)
    atol = check_real("atol", atol, lo=0.0, lo_open=True)
    sol = solve_ivp(fun, (0.0, T), theta0, method="DOP853", rtol=rtol, atol=atol)
    if not sol.success:  # pragma: no cover - DOP853 on a smooth small system
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    return sol.y[:, -1]


def modified_flow_errors(net: TinyNet, theta0, eps_grid, k: int,
                         flows=("RS", "L", "printed", "corrected")) -> dict:
    r"""For each ε in ``eps_grid``: :math:`\|E\theta_k - \theta_{flow}(k\varepsilon)\|` for each
    candidate flow. Returns {flow: array of errors}."""
    out = {f: [] for f in flows}
    for eps in eps_grid:
        mt = mean_iterate(net, theta0, eps, k)
        for f in flows:
            th_T = integrate_flow(net.vector_field(f, eps), theta0, k * eps)
            out[f].append(float(np.linalg.norm(mt - th_T)))
    return {f: np.array(v) for f, v in out.items()}
