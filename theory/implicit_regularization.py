r"""Closed forms of "Implicit Regularization of Dropout" (Zhang, Xu), paper key
``implicit_regularization``.

Notation follows the paper. A fully connected network (Section 3.1) is given by
``weights = [W1, ..., WL]`` (``W[l]`` of shape (m_l, m_{l-1})) and ``biases = [b1, ..., bL]``;
hidden layers use the activation σ, the last layer is affine:
:math:`f_\theta(x) = W^{[L]} f^{[L-1]}_\theta(x) + b^{[L]}`. ``p`` is the probability of
*keeping* a unit; the dropout noise of Section 3.3 is

.. math:: (\eta)_k = \tfrac{1-p}{p}\ \text{w.p. } p, \qquad (\eta)_k = -1\ \text{w.p. } 1-p,

applied as :math:`(1+\eta)\odot f^{[l]}`. Setting 1 puts one dropout layer after layer L−1,
Setting 2 is the MSE :math:`R_S = \frac1{2n}\sum_i\|f(x_i)-y_i\|^2` (for vector outputs we read
the square as the squared Euclidean norm), Setting 3 is a scalar output.

Every function here is a closed form (numpy); the gradients are written out by hand and are
complex-step safe (no ``abs``/``conj``), so ``dropmc.simulations.implicit_regularization``
can differentiate them once more to get exact Hessian-vector products.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dropmc._validation import (check_array, check_choice, check_count, check_probability,
                                check_real)

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


# ------------------------------------------------------------------------------------------
# activations (complex-step safe: ReLU switches on the real part)
# ------------------------------------------------------------------------------------------

def act(name: str, z):
    """σ(z) for ``name`` in :data:`ACTIVATIONS` (works on complex arrays for complex steps)."""
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(np.real(z) > 0.0, z, 0.0 * z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "linear":
        return z
    raise ValueError(f"activation name must be one of {ACTIVATIONS}; got {name!r}")


def act_prime(name: str, z):
    """σ'(z) (the ReLU derivative is taken as 0 at 0)."""
    if name == "tanh":
        t = np.tanh(z)
        return 1.0 - t * t
    if name == "relu":
        return (np.real(z) > 0.0).astype(float) + 0.0 * z
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s * (1.0 - s)
    if name == "linear":
        return np.ones_like(z)
    raise ValueError(f"activation name must be one of {ACTIVATIONS}; got {name!r}")


# ------------------------------------------------------------------------------------------
# Section 3.3: the η noise
# ------------------------------------------------------------------------------------------

def eta_values(p: float) -> tuple[float, float]:
    r"""The two values of :math:`(\eta)_k` (Section 3.3): :math:`(1-p)/p` (probability p) and
    −1 (probability 1 − p)."""
    p = check_probability("p", p)
    return (1.0 - p) / p, -1.0


def eta_mean(p: float) -> float:
    r""":math:`E\eta_k = p\frac{1-p}{p} - (1-p) = 0` ("η is a zero-mean random variable",
    Section 3.3)."""
    check_probability("p", p)
    return 0.0


def eta_second_moment(p: float) -> float:
    r""":math:`E\eta_k^2 = \frac{1-p}{p}` (Appendix B.1, proof of Lemma 1)."""
    p = check_probability("p", p)
    return (1.0 - p) / p


def eta_cross_moment(p: float) -> float:
    r""":math:`E\eta_k\eta_j = 0` for k ≠ j (Appendix B.1)."""
    check_probability("p", p)
    return 0.0


def eta_third_moment(p: float) -> float:
    r""":math:`E\eta_k^3 = (1-p)(1-2p)/p^2` (not printed; used as an extra check of the law)."""
    p = check_probability("p", p)
    return (1.0 - p) * (1.0 - 2.0 * p) / (p * p)


def eta_moment_variances(p: float) -> dict:
    r"""Variances of one draw of the statistics whose means are the η moments, under the
    two-point law of Section 3.3 (the *known* variances of the Monte Carlo test of
    ``sec3_3.eta_moments``):

    * :math:`\mathrm{Var}\,\eta = \frac{1-p}{p}`;
    * :math:`\mathrm{Var}\,\eta^2 = E\eta^4 - (E\eta^2)^2`, :math:`E\eta^4 =
      p\,(\tfrac{1-p}{p})^4 + (1-p)`;
    * :math:`\mathrm{Var}\,\eta^3 = E\eta^6 - (E\eta^3)^2`;
    * :math:`\mathrm{Var}\,\eta_k\eta_{k+1} = (E\eta^2)^2`, and neighbouring products
      :math:`\eta_k\eta_{k+1}`, :math:`\eta_{k+1}\eta_{k+2}` are uncorrelated
      (:math:`E\eta_k\eta_{k+1}^2\eta_{k+2} = 0`), so a mean over N products has variance
      :math:`(E\eta^2)^2/N`.

    Each is computed from the two atoms with the common factor (1 − p) taken out, so there is
    no cancellation for p near 1 (where the rare atom −1 dominates every moment).
    """
    p = check_probability("p", p)
    q = 1.0 - p
    hi = q / p
    m2 = q / p
    m3 = q * (1.0 - 2.0 * p) / (p * p)
    # E η^{2j} = p·hi^{2j} + q = q·(hi^{2j−1} + 1)
    m4 = q * (hi ** 3 + 1.0)
    m6 = q * (hi ** 5 + 1.0)
    return {"mean": m2, "second": max(m4 - m2 * m2, 0.0), "third": max(m6 - m3 * m3, 0.0),
            "cross": m2 * m2}


# ------------------------------------------------------------------------------------------
# Section 3.1: the network
# ------------------------------------------------------------------------------------------

def check_network(weights, biases, X=None, Y=None, activation: str = "tanh"):
    """Validate a network (and data): shapes chain, arrays finite; returns float copies."""
    check_choice("activation", activation, ACTIVATIONS)
    if not isinstance(weights, (list, tuple)) or len(weights) < 2:
        raise ValueError(f"weights must be a list of at least 2 matrices (L >= 2), got "
                         f"{type(weights).__name__} of length "
                         f"{len(weights) if hasattr(weights, '__len__') else '?'}")
    if not isinstance(biases, (list, tuple)) or len(biases) != len(weights):
        raise ValueError(f"biases must be a list of {len(weights)} vectors, one per layer")
    Ws, bs = [], []
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        W = check_array(f"weights[{l - 1}]", W, ndim=2)
        b = check_array(f"biases[{l - 1}]", b, shape=(W.shape[0],))
        if Ws and W.shape[1] != Ws[-1].shape[0]:
            raise ValueError(f"weights[{l - 1}] must have {Ws[-1].shape[0]} columns to follow "
                             f"weights[{l - 2}] of shape {Ws[-1].shape}; got shape {W.shape}")
        Ws.append(W)
        bs.append(b)
    out = [Ws, bs]
    if X is not None:
        X = check_array("X", X, ndim=2, shape=(None, Ws[0].shape[1]))
        out.append(X)
        if Y is not None:
            Y = check_array("Y", Y, ndim=2, shape=(X.shape[0], Ws[-1].shape[0]))
            out.append(Y)
    return tuple(out)


def forward(weights, biases, X, activation: str = "tanh", scales=None):
    r"""Layer outputs :math:`[f^{[0]}, \dots, f^{[L]}]` for inputs ``X`` (n, d) (Section 3.1).

    ``scales`` maps a hidden-layer index l (1 ≤ l ≤ L−1) to a vector :math:`1+\eta` of shape
    (m_l,) or (n, m_l): dropout :math:`f^{[l]}_{\theta,\eta} = (1+\eta)\odot f^{[l]}_\theta`
    (Section 3.3). Only ``X`` is checked (finite, (n, d) with d the columns of ``weights[0]``);
    the network is not (hot path; it may be complex for complex steps): see :func:`check_network`.
    """
    L = len(weights)
    h = X = check_array("X", X, ndim=2, shape=(None, np.shape(weights[0])[1]))
    outs = [h]
    for l in range(1, L + 1):
        z = h @ weights[l - 1].T + biases[l - 1]
        if l < L:
            h = act(activation, z)
            if scales is not None and l in scales:
                h = h * scales[l]
        else:
            h = z
        outs.append(h)
    return outs


def empirical_risk(weights, biases, X, Y, activation: str = "tanh", scales=None) -> float:
    r"""Setting 2: :math:`R_S(\theta) = \frac1{2n}\sum_{i=1}^n\|f(x_i,\theta)-y_i\|^2`; with
    ``scales`` this is :math:`R_S^{drop}(\theta,\eta)` of Eq. 2."""
    out = forward(weights, biases, X, activation, scales)[-1]
    e = out - check_array("Y", Y, shape=out.shape)
    return float(np.real(np.sum(e * e))) / (2.0 * out.shape[0])


def r1(weights, biases, X, p: float, activation: str = "tanh") -> float:
    r"""Eq. 3: :math:`R_1(\theta) = \frac{1-p}{2np}\sum_{i=1}^n\sum_{j=1}^{m_{L-1}}
    \|W^{[L]}_j f^{[L-1]}_{\theta,j}(x_i)\|^2`, with :math:`W^{[L]}_j` the j-th column of
    :math:`W^{[L]}`."""
    p = check_probability("p", p)
    h = forward(weights, biases, X, activation)[-2]          # (n, m_{L-1})
    col = np.sum(weights[-1] ** 2, axis=0)                    # ||W_j||^2
    return (1.0 - p) / (2.0 * h.shape[0] * p) * float(np.sum(h * h * col))


def lemma1_rhs(weights, biases, X, Y, p: float, activation: str = "tanh") -> float:
    r"""Lemma 1 (Eq. 3): :math:`E_\eta R_S^{drop}(\theta,\eta) = R_S(\theta) + R_1(\theta)`
    under Setting 1–3 (the right-hand side)."""
    return empirical_risk(weights, biases, X, Y, activation) + r1(weights, biases, X, p,
                                                                    activation)


# ------------------------------------------------------------------------------------------
# parameter vectors and hand-written gradients (complex-step safe)
# ------------------------------------------------------------------------------------------

def flatten(weights, biases) -> np.ndarray:
    """θ as the vector (W1, b1, ..., WL, bL) (Section 3.1, vec(θ))."""
    return np.concatenate([np.concatenate([W.ravel(), b.ravel()]) for W, b in zip(weights,
                                                                                   biases)])


def unflatten(theta, shapes):
    """Inverse of :func:`flatten`; ``shapes`` is the list of (m_l, m_{l-1})."""
    need = sum(r * c + r for r, c in shapes)
    if theta.shape[0] != need:
        raise ValueError(f"theta must have {need} entries for shapes {shapes}, got "
                         f"{theta.shape[0]}")
    Ws, bs, k = [], [], 0
    for (r, c) in shapes:
        Ws.append(theta[k:k + r * c].reshape(r, c))
        k += r * c
        bs.append(theta[k:k + r])
        k += r
    return Ws, bs


def shapes_of(weights):
    return [tuple(W.shape) for W in weights]


def risk_gradient(theta, shapes, X, Y, activation: str = "tanh", *, scale=None,
                  p: float | None = None):
    r"""Gradient of :math:`R_S^{drop}(\theta,\eta)` (``scale`` = 1 + η on the last hidden layer,
    Setting 1) or of :math:`R_S` (``scale`` None), plus :math:`\nabla R_1` when ``p`` is given.

    Backpropagation written out; complex-step safe. Returns a vector like ``theta``.
    ``theta`` (real or complex), ``X`` (n, d), ``Y`` (n, d') and ``scale`` (m_{L-1},) must be
    finite, p in (0, 1].
    """
    theta = check_array("theta", theta, ndim=1, dtype=None)
    Ws, _ = unflatten(theta, shapes)
    X = check_array("X", X, ndim=2, shape=(None, Ws[0].shape[1]))
    Y = check_array("Y", Y, shape=(X.shape[0], Ws[-1].shape[0]))
    if scale is not None:
        scale = check_array("scale", scale, shape=(Ws[-1].shape[1],))
    if p is not None:
        p = check_probability("p", p)
    return _risk_gradient(theta, shapes, X, Y, activation, scale, p)


def _risk_gradient(theta, shapes, X, Y, activation, scale, p):
    """:func:`risk_gradient` on checked arguments, for the loops that call it many times on
    data checked once (the modified flows, the enumerated gradient)."""
    Ws, bs = unflatten(theta, shapes)
    L = len(Ws)
    n = X.shape[0]
    hs, zs = [X], []
    h = X
    for l in range(L):
        z = h @ Ws[l].T + bs[l]
        zs.append(z)
        h = act(activation, z) if l < L - 1 else z
        hs.append(h)
    hL1 = hs[L - 1]                                   # f^{[L-1]} before dropout
    s = np.ones(hL1.shape[1]) if scale is None else scale
    out = (hL1 * s) @ Ws[L - 1].T + bs[L - 1]
    e = (out - Y) / n                                 # dR/dout
    grads_W = [None] * L
    grads_b = [None] * L
    grads_W[L - 1] = e.T @ (hL1 * s)
    grads_b[L - 1] = e.sum(axis=0)
    dh = (e @ Ws[L - 1]) * s                          # dR/d f^{[L-1]}
    if p is not None:
        c = (1.0 - p) / (n * p)
        col = np.sum(Ws[L - 1] * Ws[L - 1], axis=0)
        grads_W[L - 1] = grads_W[L - 1] + c * Ws[L - 1] * np.sum(hL1 * hL1, axis=0)
        dh = dh + c * hL1 * col
    for l in range(L - 2, -1, -1):
        dz = dh * act_prime(activation, zs[l])
        grads_W[l] = dz.T @ hs[l]
        grads_b[l] = dz.sum(axis=0)
        if l > 0:
            dh = dz @ Ws[l]
    return np.concatenate([np.concatenate([gW.ravel(), gb.ravel()])
                           for gW, gb in zip(grads_W, grads_b)])


def loss_value(theta, shapes, X, Y, activation: str = "tanh", *, scale=None,
               p: float | None = None):
    """:math:`R_S^{drop}` (``scale``) or :math:`R_S` (+ :math:`R_1` when ``p`` is given), as a
    function of the flat θ; complex-step safe (returns a complex number for complex θ).
    ``X`` (n, d), ``Y`` (n, d') and ``scale`` (m_{L-1},) must be finite, p in (0, 1]."""
    if p is not None:
        p = check_probability("p", p)
    Ws, bs = unflatten(theta, shapes)
    if scale is not None:
        scale = check_array("scale", scale, shape=(Ws[-1].shape[1],))
    sc = None if scale is None else {len(Ws) - 1: scale}
    out = forward(Ws, bs, X, activation, sc)
    e = out[-1] - check_array("Y", Y, shape=out[-1].shape)
    n = e.shape[0]
    val = np.sum(e * e) / (2.0 * n)
    if p is not None:
        h = out[-2]
        col = np.sum(Ws[-1] * Ws[-1], axis=0)
        val = val + (1.0 - p) / (2.0 * n * p) * np.sum(h * h * col)
    return val


# ------------------------------------------------------------------------------------------
# Section 6.2, Theorem 1 (Appendix B.3): 1-D two-layer ReLU network with a linear term
# ------------------------------------------------------------------------------------------

def _neurons_1d(a, w, b):
    """The parameters (a_j), (w_j), (b_j) of m neurons on a 1-D input: finite vectors of one
    length, as float arrays."""
    a = check_array("a", a, ndim=1)
    return a, check_array("w", w, shape=a.shape), check_array("b", b, shape=a.shape)


def relu_1d_outputs(a, w, b, lin_a, lin_b, x):
    r"""Theorem 1's network :math:`f_\theta(x) = \sum_j a_j\sigma(w_jx+b_j) + ax + b` on points
    ``x``; returns (f(x) of shape (n,), neuron outputs :math:`a_j\sigma(w_jx_i+b_j)` (n, m)).
    ``a``, ``w``, ``b`` (m,), ``lin_a``, ``lin_b`` and ``x`` (n,) must be finite."""
    a, w, b = _neurons_1d(a, w, b)
    x = check_array("x", x, ndim=1)
    lin_a, lin_b = check_real("lin_a", lin_a), check_real("lin_b", lin_b)
    neurons = a[None, :] * np.maximum(np.outer(x, w) + b[None, :], 0.0)
    return neurons.sum(axis=1) + lin_a * x + lin_b, neurons


def relu_1d_r1(a, w, b, x, p: float) -> float:
    r"""Appendix B.3: :math:`R_1(\theta) = \frac{1-p}{2np}\sum_i\sum_j(a_j\sigma(w_jx_i+b_j))^2`
    (the linear term ax + b is not dropped and does not enter R1)."""
    p = check_probability("p", p)
    _, neurons = relu_1d_outputs(a, w, b, 0.0, 0.0, x)
    return (1.0 - p) / (2.0 * len(x) * p) * float(np.sum(neurons ** 2))


def intercept(w, b):
    """Definition 3: the intercept point −b/w of a ReLU neuron (``w`` and ``b`` finite arrays
    that broadcast together, w ≠ 0)."""
    w = check_array("w", w, min_size=0)
    b = check_array("b", b, min_size=0)
    try:
        np.broadcast_shapes(w.shape, b.shape)
    except ValueError:
        raise ValueError(f"w and b must broadcast together, got shapes {w.shape} and "
                         f"{b.shape}") from None
    if np.any(w == 0.0):
        raise ValueError(f"w must be nonzero (a neuron with w = 0 has no intercept point); "
                         f"entry {tuple(int(i) for i in np.argwhere(w == 0.0)[0])} is 0")
    return -b / w


def theorem1_perturbation(case: str, a1, w1, b1, a2, w2, b2, x_pivot: float, eps: float):
    r"""The printed perturbations of Appendix B.3 for the neuron pair (1, 2).

    Returns ``(a1, w1', b1', a2, w2', b2', d_lin_a, d_lin_b)`` where (d_lin_a, d_lin_b) is the
    change of the linear term ax + b (nonzero only in "convexity 2/3", where the proof prints
    :math:`a = -a_1(\tilde w_1-w_1)`, :math:`b = -a_1(\tilde b_1-b_1)`; we read it as the
    change of the linear term, which is what keeps R_S = 0 when the linear term is nonzero).

    Cases (``x_pivot`` is :math:`x_{i+1}` of the proof):

    * ``"convexity1"`` (w1>0,a1<0,w2>0,a2>0): :math:`\tilde w_1=w_1(1-\varepsilon)`,
      :math:`\tilde b_1=b_1+x_{i+1}w_1\varepsilon`, :math:`\tilde w_2=w_2-\frac{a_1}{a_2}
      (\tilde w_1-w_1)`, :math:`\tilde b_2=b_2-\frac{a_1}{a_2}(\tilde b_1-b_1)`;
    * ``"convexity23"`` (w1>0,a1<0,w2<0,a2>0 or w1<0,a1<0,w2>0,a2>0): neuron 1 as above,
      :math:`\tilde w_2=w_2+\frac{a_1}{a_2}(\tilde w_1-w_1)`, :math:`\tilde b_2=b_2+\frac{a_1}
      {a_2}(\tilde b_1-b_1)` and the linear term changed by :math:`-a_1(\tilde w_1-w_1)x
      -a_1(\tilde b_1-b_1)`;
    * ``"convexity4"`` (w1<0,a1<0,w2<0,a2>0): :math:`\tilde w_2=w_2(1-\varepsilon)`,
      :math:`\tilde b_2=b_2+x_{i+1}w_2\varepsilon`, :math:`\tilde w_1=w_1-\frac{a_2}{a_1}
      (\tilde w_2-w_2)`, :math:`\tilde b_1=b_1-\frac{a_2}{a_1}(\tilde b_2-b_2)`;
    * ``"intercept_pos"`` (w1,w2>0, a1<0<a2): the formulas of "convexity1";
    * ``"intercept_neg_eq"`` (a2<0, a1w1 = a2w2): :math:`\tilde b_1=b_1-\varepsilon`,
      :math:`\tilde b_2=b_2-\frac{a_1}{a_2}(\tilde b_1-b_1)`;
    * ``"intercept_neg_gt"`` (a2<0, a1w1 > a2w2): :math:`\tilde w_1=w_1(1+\varepsilon)`,
      :math:`\tilde b_1=b_1-\frac{a_2b_2-a_1b_1}{a_1w_1-a_2w_2}w_1\varepsilon`, neuron 2 as
      in "convexity1";
    * ``"intercept_neg_lt"`` (a2<0, a1w1 < a2w2): the formulas of "convexity1".

    Every number must be finite, and the divisors of the case nonzero (a2, or a1 in
    "convexity4"; also a1w1 − a2w2 in "intercept_neg_gt").
    """
    check_choice("case", case, THEOREM1_CASES)
    a1, w1, b1, a2, w2, b2, x_pivot, eps = (
        check_real(k, v) for k, v in (("a1", a1), ("w1", w1), ("b1", b1), ("a2", a2),
                                      ("w2", w2), ("b2", b2), ("x_pivot", x_pivot),
                                      ("eps", eps)))
    divisors = [("a1", a1)] if case == "convexity4" else [("a2", a2)]
    if case == "intercept_neg_gt":
        divisors.append(("a1*w1 - a2*w2", a1 * w1 - a2 * w2))
    for name, div in divisors:
        if div == 0.0:
            raise ValueError(f"{name} must be nonzero for case {case!r} (it divides), got {div!r}")
    dla = dlb = 0.0
    if case in ("convexity1", "intercept_pos", "intercept_neg_lt"):
        w1n, b1n = w1 * (1 - eps), b1 + x_pivot * w1 * eps
        w2n, b2n = w2 - a1 / a2 * (w1n - w1), b2 - a1 / a2 * (b1n - b1)
    elif case == "convexity23":
        w1n, b1n = w1 * (1 - eps), b1 + x_pivot * w1 * eps
        w2n, b2n = w2 + a1 / a2 * (w1n - w1), b2 + a1 / a2 * (b1n - b1)
        dla, dlb = -a1 * (w1n - w1), -a1 * (b1n - b1)
    elif case == "convexity4":
        w2n, b2n = w2 * (1 - eps), b2 + x_pivot * w2 * eps
        w1n, b1n = w1 - a2 / a1 * (w2n - w2), b1 - a2 / a1 * (b2n - b2)
    elif case == "intercept_neg_eq":
        w1n, b1n = w1, b1 - eps
        w2n, b2n = w2, b2 - a1 / a2 * (b1n - b1)
    else:  # "intercept_neg_gt"
        xs = (a2 * b2 - a1 * b1) / (a1 * w1 - a2 * w2)
        w1n, b1n = w1 * (1 + eps), b1 - xs * w1 * eps
        w2n, b2n = w2 - a1 / a2 * (w1n - w1), b2 - a1 / a2 * (b1n - b1)
    return a1, w1n, b1n, a2, w2n, b2n, dla, dlb


THEOREM1_CASES = ("convexity1", "convexity23", "convexity4", "intercept_pos",
                  "intercept_neg_eq", "intercept_neg_gt", "intercept_neg_lt")


# ------------------------------------------------------------------------------------------
# Section 7.2, Theorem 2 (Appendix B.4): two-layer ReLU network f = Σ a_j σ(w_j·x)
# ------------------------------------------------------------------------------------------

def _relu2_args(a, W, X):
    """Theorem 2's parameters and data: finite a (m,), W (m, d), X (n, d), as float arrays."""
    a = check_array("a", a, ndim=1)
    W = check_array("W", W, shape=(a.shape[0], None))
    return a, W, check_array("X", X, shape=(None, W.shape[1]))


def relu2_output(a, W, X):
    r""":math:`f_\theta(x) = \sum_j a_j\sigma(w_j^\top x)` (Theorem 2) on the rows of X
    (``a`` (m,), ``W`` (m, d), ``X`` (n, d), finite)."""
    a, W, X = _relu2_args(a, W, X)
    return np.maximum(X @ W.T, 0.0) @ a


def flatness(a, W, X) -> float:
    r"""Appendix B.4: :math:`\frac1n\sum_i\|\nabla_\theta f_\theta(x_i)\|_2^2 = \frac1n\sum_i
    \sum_j\big(\sigma^2(w_j^\top x_i) + a_j^2\sigma'(w_j^\top x_i)^2\|x_i\|_2^2\big)`
    (= Tr H at R_S = 0, Section 7.2)."""
    a, W, X = _relu2_args(a, W, X)
    Z = X @ W.T
    S = np.maximum(Z, 0.0)
    D = (Z > 0).astype(float)
    xn = np.sum(X * X, axis=1)
    return float(np.sum(S * S) + np.sum((D * xn[:, None]) * (a * a)[None, :])) / X.shape[0]


def relu2_r1_gradient(a, W, X, p: float):
    r"""The exact gradient of :math:`R_1`: :math:`\partial_{a_j}R_1 = \frac{1-p}{np}\sum_i a_j
    \sigma^2(w_j^\top x_i)`, :math:`\nabla_{w_j}R_1 = \frac{1-p}{np}\sum_i a_j^2\sigma(w_j^\top
    x_i)x_i`; p in (0, 1]."""
    a, W, X = _relu2_args(a, W, X)
    p = check_probability("p", p)
    S = np.maximum(X @ W.T, 0.0)
    c = (1.0 - p) / (X.shape[0] * p)
    return c * a * np.sum(S * S, axis=0), c * (a * a)[:, None] * (S.T @ X)


def relu2_r1_flow_printed(a, W, X, p: float):
    r"""Appendix B.4 as printed: :math:`\frac{da_j}{dt} = -\frac{1-p}{2np}\sum_i a_j
    \sigma^2(w_j^\top x_i)`, :math:`\frac{dw_j}{dt} = -\frac{1-p}{2np}\sum_i a_j^2
    \sigma(w_j^\top x_i)x_i^\top`."""
    ga, gW = relu2_r1_gradient(a, W, X, p)
    return -0.5 * ga, -0.5 * gW


def flatness_gradient(a, W, X):
    r"""Gradient of :func:`flatness` (a.e.): :math:`\partial_{a_j} = \frac2n a_j\sum_i
    \sigma'(w_j^\top x_i)\|x_i\|^2`, :math:`\nabla_{w_j} = \frac2n\sum_i\sigma(w_j^\top x_i)
    x_i`."""
    a, W, X = _relu2_args(a, W, X)
    Z = X @ W.T
    S = np.maximum(Z, 0.0)
    D = (Z > 0).astype(float)
    xn = np.sum(X * X, axis=1)
    n = X.shape[0]
    return 2.0 / n * a * (D.T @ xn), 2.0 / n * (S.T @ X)


def flatness_derivative_r1_flow(a, W, X, p: float) -> float:
    r"""Theorem 2: at :math:`R_S(\theta_0)=0`, :math:`\frac{d}{dt}\frac1n\sum_i\|\nabla_\theta
    f(x_i)\|^2 = -\nabla F\cdot\nabla R_1
    = -\frac{2(1-p)}{n^2p}\sum_j a_j^2\Big[\big(\textstyle\sum_i\sigma'_{ij}\|x_i\|^2\big)
    \big(\sum_i\sigma_{ij}^2\big) + \big\|\sum_i\sigma_{ij}x_i\big\|^2\Big] \le 0`
    (our closed form; strictly negative when :math:`\nabla R_1\ne0`); p in (0, 1]."""
    a, W, X = _relu2_args(a, W, X)
    p = check_probability("p", p)
    Z = X @ W.T
    S = np.maximum(Z, 0.0)
    D = (Z > 0).astype(float)
    xn = np.sum(X * X, axis=1)
    n = X.shape[0]
    v = (S.T @ X)
    terms = (a * a) * ((D.T @ xn) * np.sum(S * S, axis=0) + np.sum(v * v, axis=1))
    return -2.0 * (1.0 - p) / (n * n * p) * float(np.sum(terms))


# ------------------------------------------------------------------------------------------
# Definition 1 and Section 6.1: features
# ------------------------------------------------------------------------------------------

def orientation_amplitude(a, w, b):
    r"""Section 6.1: orientation of :math:`\mathbf w_j=(w_j,b_j)` as its angle to the x-axis in
    [−π, π), and amplitude :math:`A_j = |a_j|\,\|\mathbf w_j\|_2` (``a``, ``w``, ``b`` finite
    vectors of one length)."""
    a, w, b = _neurons_1d(a, w, b)
    return np.arctan2(b, w), np.abs(a) * np.hypot(w, b)


def effective_ratio(theta, threshold: float = 0.95) -> float:
    r"""Definition 1: :math:`m^{eff}/m`, the smallest number of unit vectors u such that every
    normalised input weight :math:`\hat\theta_j` has :math:`u\cdot\hat\theta_j > 0.95`, over m.

    The minimum is a set-cover problem; this returns the greedy cover drawn from the candidate
    set {θ̂_j} — a quick upper bound on the minimum (exact when the clusters are well
    separated; the figures draw it along training). Caps centred between rows cover more:
    :func:`effective_neuron_number` brackets the minimum itself, as the claims use it.
    """
    T = check_array("theta", theta, ndim=2)
    threshold = check_real("threshold", threshold, lo=-1.0, hi=1.0)
    nrm = np.linalg.norm(T, axis=1)
    U = T / np.where(nrm > 0, nrm, 1.0)[:, None]
    C = (U @ U.T) > threshold
    uncovered = np.ones(T.shape[0], dtype=bool)
    count = 0
    while uncovered.any():
        gains = (C & uncovered[None, :]).sum(axis=1)
        k = int(np.argmax(gains))
        uncovered &= ~C[k]
        count += 1
    return count / T.shape[0]


class EffectiveNeurons(NamedTuple):
    """Definition 1's effective neuron number bracketed: ``lower ≤ m_eff ≤ upper`` (exact when
    equal), and ``groups[j]`` the cap (0 … upper − 1) of neuron j in a cover by ``upper``
    caps."""

    lower: int
    upper: int
    groups: np.ndarray


def cap_margin(units) -> tuple[float, np.ndarray | None]:
    r"""The widest open cap around the unit rows :math:`\hat\theta_j` of ``units``: the largest
    :math:`\min_j u\cdot\hat\theta_j` over unit vectors u, and that u (None when no open
    half-space holds every row, the margin then being 0).

    By the minimax theorem this margin is the distance from 0 to the convex hull of the rows;
    it is computed as the least-distance program :math:`\min\|v\|` s.t. :math:`\hat\theta_j
    \cdot v\ge 1` (Lawson & Hanson's reduction to one non-negative least-squares problem):
    the margin is :math:`1/\|v\|` and u = v/‖v‖. A set of rows fits in one cap
    :math:`u\cdot\hat\theta > c` (c > 0) exactly when its margin exceeds c."""
    from scipy.optimize import nnls

    U = check_array("units", units, ndim=2)
    k, d = U.shape
    E = np.vstack([U.T, np.ones((1, k))])
    f = np.zeros(d + 1)
    f[-1] = 1.0
    mu, _ = nnls(E, f, maxiter=50 * (k + d + 1))
    r = E @ mu - f
    if r[-1] > -1e-12:       # residual 0: the constraints are infeasible
        return 0.0, None
    v = -r[:d] / r[-1]
    nv = float(np.linalg.norm(v))
    return 1.0 / nv, v / nv


def _grow_cap(U, adj, seed: int, c: float) -> frozenset:
    """A maximal group of rows around ``seed`` that fits one cap: add the row closest to the
    current optimal centre while the group still fits."""
    grp = [seed]
    centre = U[seed]
    cand = [j for j in np.flatnonzero(adj[seed]) if j != seed]
    while cand:
        cand.sort(key=lambda j: -float(U[j] @ centre))
        for j in cand:
            if not adj[j, grp].all():
                continue
            margin, u = cap_margin(U[grp + [j]])
            if margin > c:
                grp.append(j)
                centre = u
                cand.remove(j)
                break
        else:
            break
    return frozenset(grp)


def _component_cover(U, adj, c: float):
    """Bracket of the smallest cover of one connected component (rows that can share a cap
    are adjacent): lower = the most rows no two of which fit one cap (an independent set of
    ``adj``, exact integer program), upper = the smallest cover by the maximal caps grown from
    every row (exact set-cover program over those candidates), with its groups."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    k = len(U)
    ii, jj = np.nonzero(np.triu(adj, 1))
    A = np.zeros((ii.size, k))
    A[np.arange(ii.size), ii] = 1.0
    A[np.arange(ii.size), jj] = 1.0
    res = milp(-np.ones(k), constraints=LinearConstraint(A, ub=np.ones(ii.size)),
               integrality=np.ones(k), bounds=Bounds(0, 1))
    # the component does not fit one cap (the caller checked), so it needs two at least
    lower = max(2, int(round(-res.fun)))
    caps = sorted({_grow_cap(U, adj, s, c) for s in range(k)}, key=sorted)
    C = np.zeros((k, len(caps)))
    for q, cap in enumerate(caps):
        C[sorted(cap), q] = 1.0
    res = milp(np.ones(len(caps)), constraints=LinearConstraint(C, lb=np.ones(k)),
               integrality=np.ones(len(caps)), bounds=Bounds(0, 1))
    if not res.success:
        raise RuntimeError(f"the set-cover program of Definition 1 failed: {res.message}")
    chosen = np.flatnonzero(res.x > 0.5)
    groups = np.argmax(C[:, chosen], axis=1)      # each row in the first chosen cap holding it
    return lower, len(chosen), groups


def effective_neuron_number(theta, threshold: float = 0.95) -> EffectiveNeurons:
    r"""Definition 1: :math:`m^{eff}`, the smallest size of a set U of unit vectors such that
    every input weight :math:`\theta_j` (a row of ``theta``) has some u ∈ U with
    :math:`u\cdot\hat\theta_j > 0.95`; the effective ratio is :math:`m^{eff}/m`.

    The printed condition :math:`u\cdot\theta_j > 0.95` is read with unit u and the normalised
    :math:`\hat\theta_j = \theta_j/\|\theta_j\|` (Section 6.1.2: "the orientation similarity
    of two neurons is calculated by taking the inner product of their normalized weights"):
    taken literally, with u and θ_j unnormalised, a long enough u covers every θ_j of an open
    half-space and m_eff ≤ 2 whatever the weights. θ̂ and −θ̂ are different orientations.

    The minimum is a set cover by caps of angular radius arccos(0.95) ≈ 18.2°. Rows no two of
    which fit one cap (angle ≥ 2·18.2°) need a cap each, so the cover splits over the
    connected components of the graph "fit one cap together"; a component is one cap when its
    widest cap (:func:`cap_margin`) is wide enough, and otherwise is bracketed by
    :func:`_component_cover`. Returns :class:`EffectiveNeurons` (lower, upper, groups): the
    minimum lies in [lower, upper] and is exact when they agree.
    """
    T = check_array("theta", theta, ndim=2)
    c = check_real("threshold", threshold, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    nrm = np.linalg.norm(T, axis=1)
    if np.any(nrm == 0):
        raise ValueError(f"theta must have nonzero rows (Definition 1 compares orientations), "
                         f"got a zero row at index {int(np.argmax(nrm == 0))}")
    from scipy.sparse.csgraph import connected_components

    U = T / nrm[:, None]
    # two unit rows fit one cap iff the midpoint of their chord is farther than c from 0
    adj = U @ U.T > 2.0 * c * c - 1.0
    n_comp, comp = connected_components(adj, directed=False)
    groups = np.empty(T.shape[0], dtype=np.int64)
    lower = upper = 0
    for q in range(n_comp):
        idx = np.flatnonzero(comp == q)
        if idx.size == 1 or cap_margin(U[idx])[0] > c:
            lo, hi, g = 1, 1, np.zeros(idx.size, dtype=np.int64)
        else:
            lo, hi, g = _component_cover(U[idx], adj[np.ix_(idx, idx)], c)
        groups[idx] = upper + g
        lower += lo
        upper += hi
    return EffectiveNeurons(lower, upper, groups)


def filter_normalise(direction, weights):
    r"""Section 7.1 (after Li et al.): each filter (for FNNs, each layer) :math:`d_{i,j}` of a
    random direction is rescaled to :math:`\frac{d_{i,j}}{\|d_{i,j}\|}\|\theta_{i,j}\|`
    (Frobenius norms)."""
    out = []
    for d, w in zip(direction, weights):
        nd = np.linalg.norm(d)
        out.append(d / nd * np.linalg.norm(w) if nd > 0 else np.zeros_like(d))
    return out


def target_fig4(x):
    r"""Appendix A (Fig. 4): :math:`f(x) = \tanh(x-6) + \tanh(x+6)`."""
    x = np.asarray(x, dtype=float)
    return np.tanh(x - 6.0) + np.tanh(x + 6.0)


def target_fig1(x):
    r"""Appendix A (Fig. 1): :math:`f(x) = \frac12\sigma(-x-\frac13) + \frac12\sigma(x-\frac13)`,
    σ = ReLU."""
    x = np.asarray(x, dtype=float)
    return 0.5 * np.maximum(-x - 1 / 3, 0.0) + 0.5 * np.maximum(x - 1 / 3, 0.0)


def target_fig7(X):
    r"""Appendix A (Fig. 7a, b): :math:`f(x) = \tanh(\sum_{i=1}^{10}x_i)`."""
    return np.tanh(np.asarray(X, dtype=float).sum(axis=1))


def effective_orientations(theta, amplitude) -> float:
    r"""Section 6.1 (condensation), made a number: the effective number of orientations of the
    input weights :math:`\theta_j = (w_j, b_j)` of the hidden neurons, weighted by their
    amplitudes :math:`A_j = |a_j|\,\|\theta_j\|_2` (the quantity of Fig. 4's feature plots).

    With :math:`\hat\theta_j=\theta_j/\|\theta_j\|` and :math:`M=\sum_j A_j\hat\theta_j
    \hat\theta_j^\top`, it is the participation ratio of M's eigenvalues,
    :math:`(\operatorname{tr}M)^2/\operatorname{tr}(M^2)` ∈ [1, d + 1]: 1 when every neuron
    that carries amplitude lies on one line (θ̂ and −θ̂ give the same tanh feature up to the
    sign of a_j, so the "two orientations" of Fig. 7(a) at cosine ±1 count as one), about
    d + 1 for isotropic orientations. Neurons with A_j = 0 do not count (Fig. 4: "the
    non-zero parameters tend to condense")."""
    T = check_array("theta", theta, ndim=2)
    A = np.asarray(amplitude, dtype=float)
    if A.shape != (T.shape[0],) or not np.all(np.isfinite(A)) or np.any(A < 0):
        raise ValueError(f"amplitude must be {T.shape[0]} finite values >= 0, got shape "
                         f"{A.shape}")
    nrm = np.linalg.norm(T, axis=1)
    keep = (nrm > 0) & (A > 0)
    if not keep.any():
        raise ValueError("effective_orientations needs at least one neuron with A_j > 0")
    U = T[keep] / nrm[keep, None]
    M = (U * A[keep, None]).T @ U
    ev = np.linalg.eigvalsh(M)
    return float(ev.sum() ** 2 / np.sum(ev ** 2))


def effective_orientations_influence(theta, amplitude) -> np.ndarray:
    r"""The influence of each neuron on :func:`effective_orientations`, read as a functional
    of the neurons' distribution: with :math:`t_1 = \frac1m\sum_jA_j`,
    :math:`t_2=\frac1{m^2}\sum_{j,k}A_jA_k(\hat\theta_j\cdot\hat\theta_k)^2` and
    :math:`N = t_1^2/t_2`,

    .. math:: \psi_j = \frac{2t_1}{t_2}(A_j - t_1)
              - \frac{t_1^2}{t_2^2}\,2\Big(\frac{A_j}{m}\sum_kA_k(\hat\theta_j\cdot
              \hat\theta_k)^2 - t_2\Big)

    (t_2 is a V-statistic of order 2, hence the factor 2). The ψ_j average to 0, and
    :math:`N + \psi_j` are the pseudo-values whose sample standard deviation over √m is the
    delta-method standard error of N when the m neurons are i.i.d. draws (as they are at
    initialisation). Rows with A_j = 0 count as neurons that carry no amplitude."""
    T = check_array("theta", theta, ndim=2)
    A = np.asarray(amplitude, dtype=float)
    if A.shape != (T.shape[0],) or not np.all(np.isfinite(A)) or np.any(A < 0) or not A.any():
        raise ValueError(f"amplitude must be {T.shape[0]} finite values >= 0, not all 0, got "
                         f"shape {A.shape}")
    nrm = np.linalg.norm(T, axis=1)
    U = np.where(A[:, None] > 0, T / np.where(nrm > 0, nrm, 1.0)[:, None], 0.0)
    K = (U @ U.T) ** 2
    m = T.shape[0]
    g = A * (K @ A) / m                     # (1/m) Σ_k A_j A_k (θ̂_j·θ̂_k)², mean t2
    t1, t2 = A.mean(), g.mean()
    return 2 * t1 / t2 * (A - t1) - t1 ** 2 / t2 ** 2 * 2 * (g - t2)


def two_layer_orientations(weights, biases) -> float:
    r""":func:`effective_orientations` of a two-layer network (weights W1 (m, d), W2 (d', m)),
    with :math:`A_j = \|a_j\|_2\,\|(w_j, b_j)\|_2`."""
    W1, W2 = np.asarray(weights[0], float), np.asarray(weights[1], float)
    T = np.c_[W1, np.asarray(biases[0], float)]
    return effective_orientations(T, np.linalg.norm(W2, axis=0) * np.linalg.norm(T, axis=1))


def two_layer_input_orientations(weights, biases) -> float:
    r""":func:`effective_orientations` of the input weights alone, :math:`A_j=\|(w_j, b_j)\|_2`
    (the output weights do not count): the orientation count of Section 6.1's "input weights
    of hidden neurons", defined also when every output weight has vanished."""
    T = np.c_[np.asarray(weights[0], float), np.asarray(biases[0], float)]
    return effective_orientations(T, np.linalg.norm(T, axis=1))


def merged_relu_output_weights(a, norms, groups, n_orientations: int) -> np.ndarray:
    r"""Section 6 (opening): the narrower network a condensed two-layer ReLU network equals.

    Neuron j has input weight :math:`\theta_j = r_j u_{g_j}` (:math:`r_j > 0`, K unit vectors
    :math:`u_k`) and output weight column :math:`a_j` (``a`` of shape (d', m)). By positive
    homogeneity, :math:`\sigma(r z) = r\sigma(z)` for r > 0, so
    :math:`\sum_j a_j\sigma(r_j u_{g_j}\cdot\tilde x) = \sum_k a'_k\sigma(u_k\cdot\tilde x)`
    with :math:`a'_k = \sum_{j: g_j = k} a_j r_j`: the width-K network with input weights
    :math:`u_k`. Returns a′, of shape (d', K)."""
    A = check_array("a", a, ndim=2)
    r = check_array("norms", norms, shape=(A.shape[1],))
    if np.any(r <= 0):
        raise ValueError(f"norms must be > 0 (positive homogeneity needs r_j > 0), got "
                         f"min {r.min()!r}")
    n_orientations = check_count("n_orientations", n_orientations)
    g = np.asarray(groups)
    if g.shape != r.shape or not np.issubdtype(g.dtype, np.integer) or g.min() < 0 \
            or g.max() >= n_orientations:
        raise ValueError(f"groups must be {r.size} integers in [0, {n_orientations - 1}], got "
                         f"{groups!r}")
    out = np.zeros((A.shape[0], int(n_orientations)))
    np.add.at(out.T, g, (A * r).T)
    return out


def aligned_tanh_width_one_condition(a, norms) -> tuple[float, float]:
    r"""Section 6 (opening), for tanh: when can two or more tanh neurons of one orientation be
    replaced by one? With output weights :math:`a_j > 0` and norms :math:`r_j > 0`, the
    network is :math:`F(t) = \sum_j a_j\tanh(r_j t)` along :math:`t = u\cdot\tilde x`
    (u the common unit orientation). F is odd about t = 0 and strictly increasing; a width-one
    network :math:`d + c\tanh(s t + \beta)` equal to it is odd about its own centre, and a
    strictly monotone function odd about two points would be periodic, so β = d = 0. Matching
    the limit at t → ∞ and the first and third Taylor coefficients (tanh z = z − z³/3 + …)
    then needs :math:`c = \sum_j a_j`, :math:`cs = \sum_j a_jr_j` and
    :math:`cs^3 = \sum_j a_jr_j^3`, hence

    .. math:: \Big(\sum_j a_jr_j\Big)^3 = \Big(\sum_j a_j\Big)^2\sum_j a_jr_j^3 .

    Returns the two sides (left, right). By Jensen's inequality for the convex r³, left <
    right unless all r_j are equal: tanh neurons of one orientation and different norms are
    not equivalent to a single neuron."""
    A = check_array("a", a, ndim=1)
    r = check_array("norms", norms, shape=A.shape)
    if np.any(A <= 0) or np.any(r <= 0):
        raise ValueError(f"a and norms must be > 0, got min a {A.min()!r}, min norms "
                         f"{r.min()!r}")
    return float(np.sum(A * r) ** 3), float(np.sum(A) ** 2 * np.sum(A * r ** 3))


def teacher_variance(x_range: float = 15.0, n_test: int = 400) -> float:
    r"""Variance of the Fig. 8 teacher :math:`\tanh(x-6)+\tanh(x+6)` over the test grid of
    :func:`dropmc.simulations.implicit_regularization.teacher_student_errors` (``n_test``
    equispaced points of [−15, 15]): the test MSE of the best constant predictor, the scale
    of "generalizes badly"."""
    y = target_fig4(np.linspace(-x_range, x_range, n_test))
    return float(np.var(y))
