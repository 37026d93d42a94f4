r"""Closed forms of Drop-Activation (Liang, Khoo, Yang), paper key ``drop_activation``.

Sections 3 and 5 and the appendix (Section 7, 7.1). Equation numbers are the paper's.
Notation: ``r`` is ReLU, ``r_p`` the leaky ReLU of negative slope ``1 − p``, ``p`` the
probability of *keeping* a nonlinearity (P_i ~ B(p)).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, stats

from dropmc._validation import (check_array, check_broadcast, check_finite, check_probability,
                                check_real)

INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": lambda x: 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float))),
    "tanh": np.tanh,
}


def relu(x):
    """r(x) = max(x, 0), elementwise."""
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def leaky_relu(x, slope: float):
    """Leaky ReLU: x for x ≥ 0, ``slope``·x for x < 0 (``slope`` a finite number)."""
    slope = check_real("slope", slope)
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0.0, x, slope * x)


def _check_x_mask(x, mask):
    """``x`` (finite pre-activations) and ``mask`` (the P_i) as float arrays whose shapes
    broadcast together."""
    x = check_finite("x", x)
    m = check_finite("mask", mask)
    check_broadcast("x", x, "mask", m)
    return x, m


def drop_activation_map(x, mask, f=relu):
    r"""Training map, Eq. 3: :math:`(I - P + Pf)(x) = (1-P)\odot x + P\odot f(x)`.

    ``mask`` holds the P_i (1 = nonlinearity kept); ``x`` is finite and broadcasts with it.
    """
    x, m = _check_x_mask(x, mask)
    return (1.0 - m) * x + m * f(x)


def drop_activation_relu_piecewise(x, mask):
    r"""Eq. 4: for ReLU, :math:`(I-P+Pf)(x)[j] = x[j]` if :math:`x[j] \ge 0`, else
    :math:`(1-P_j)\,x[j]`."""
    x, m = _check_x_mask(x, mask)
    return np.where(x >= 0.0, x, (1.0 - m) * x)


def expected_map(x, p: float, f=relu):
    r"""Test-time map, Eq. 5: :math:`E_P (I-P+Pf)(x) = ((1-p)I + pf)(x)`."""
    p = check_probability("p", p)
    x = np.asarray(x, dtype=float)
    return (1.0 - p) * x + p * f(x)


def rp(x, p: float):
    r"""Eq. 5 / 8 with ReLU: :math:`r_p = (1-p)I + p\,r`, "the Leaky ReLU with slope 1 − p"."""
    return expected_map(x, p, relu)


def _check_layers(x, weights) -> tuple[np.ndarray, list[np.ndarray]]:
    """Input ``x`` (a finite vector) and ``weights`` [W_0, …, W_L] (a list of at least two
    finite matrices, each with as many columns as the layer below has units: W_0 has
    ``x.size``): the hidden layers W_0, …, W_{L−1} and the linear read-out W_L."""
    x = check_array("x", x, ndim=1)
    n = len(weights) if isinstance(weights, (list, tuple)) else None
    if n is None or n < 2:
        raise ValueError("weights must be a list of at least 2 matrices (the hidden layers, "
                         f"then the read-out), got {type(weights).__name__}"
                         + ("" if n is None else f" of length {n}"))
    out, width = [], x.size
    for l, W in enumerate(weights):
        W = check_array(f"weights[{l}]", W, ndim=2, shape=(None, width))
        out.append(W)
        width = W.shape[0]
    return x, out


def deterministic_network(x, weights, p: float, f=relu):
    r"""The test-time network of Section 1.1 and Eq. 5: every hidden layer applies the
    deterministic activation of Eq. 5, :math:`x_{l+1} = ((1-p)I + pf)(W_l x_l)`, and the output
    is the linear read-out :math:`W_L x_L` (as :math:`W_2` in Eq. 7–8). ``weights`` as in
    :func:`_check_layers`; ``f`` elementwise. With one hidden layer this is the ensemble average
    of the random networks of Eq. 3 (Eq. 5 and linearity of the read-out); with more it is not
    (the expectation does not pass through the next layer's nonlinearity)."""
    p = check_probability("p", p)
    x, Ws = _check_layers(x, weights)
    h = x
    for W in Ws[:-1]:
        h = expected_map(W @ h, p, f)
    return Ws[-1] @ h


def rrelu_mean(x, a: float, b: float):
    r"""Mean of RReLU, Eq. 6, over :math:`U_j\sim\mathcal U(a,b)`: x for x ≥ 0, else
    :math:`\tfrac{a+b}{2}x` (a leaky ReLU of slope (a+b)/2)."""
    a, b = _check_rrelu(a, b)
    return leaky_relu(x, 0.5 * (a + b))


def _check_rrelu(a, b):
    a = check_real("a", a, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    b = check_real("b", b, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    if not a < b:
        raise ValueError(f"RReLU needs 0 < a < b < 1 (Eq. 6); got a={a}, b={b}")
    return a, b


# --------------------------------------------------------------------------------------------
# Property 5.1 (Eq. 9–11) and its proof (Eq. 16–21)
# --------------------------------------------------------------------------------------------

def _check_net(W1, W2, X, Y):
    W1 = check_array("W1", W1, ndim=2)
    W2 = check_array("W2", W2, ndim=2)
    if W2.shape[1] != W1.shape[0]:
        raise ValueError(f"W2 must have {W1.shape[0]} columns to follow W1 of shape {W1.shape}; "
                         f"got W2 of shape {W2.shape}")
    X = check_array("X", X, ndim=2, shape=(None, W1.shape[1]))
    Y = check_array("Y", Y, ndim=2, shape=(X.shape[0], W2.shape[0]))
    return W1, W2, X, Y


def prediction_loss(W1, W2, X, Y, p: float) -> float:
    r"""First term of Eq. 10: :math:`\sum_i \|W_2 r_p(W_1x_i) - y_i\|^2` (test-time loss, Eq. 8)."""
    p = check_probability("p", p)
    W1, W2, X, Y = _check_net(W1, W2, X, Y)
    V = X @ W1.T
    return float(np.sum((rp(V, p) @ W2.T - Y) ** 2))


def penalty(W1, W2, X, p: float) -> float:
    r"""The penalty Eq. 11, summed over the samples:
    :math:`\frac{1-p}{p}\sum_i \|W_2W_1x_i - W_2 r_p(W_1x_i)\|^2`."""
    p = check_probability("p", p)
    W1 = check_array("W1", W1, ndim=2)
    W2 = check_array("W2", W2, ndim=2)
    X = check_array("X", X, ndim=2, shape=(None, W1.shape[1]))
    V = X @ W1.T
    diff = (V - rp(V, p)) @ W2.T
    return float((1.0 - p) / p * np.sum(diff ** 2))


def property_5_1_rhs(W1, W2, X, Y, p: float) -> float:
    r"""Property 5.1, Eq. 10: the objective equivalent to Eq. 9,
    :math:`\sum_i \|W_2r_p(W_1x_i)-y_i\|^2 + \frac{1-p}{p}\|W_2W_1x_i - W_2r_p(W_1x_i)\|^2`."""
    return prediction_loss(W1, W2, X, Y, p) + penalty(W1, W2, X, p)


def relu_pattern(v):
    r""":math:`D_{W_1,x} = \mathrm{diag}\{(W_1x > 0)\}` as a 0/1 vector (appendix); NaN where
    v is NaN (its sign is unknown)."""
    v = np.asarray(v, dtype=float)
    return np.where(np.isnan(v), np.nan, v > 0.0)


def S_matrix(v, mask):
    r"""Appendix: :math:`S = I - P + P D_{W_1,x}` (diagonal, returned as a vector); ``v`` and
    ``mask`` are vectors of the same length."""
    v = check_array("v", v, ndim=1, finite=False)
    m = check_array("mask", mask, shape=(v.size,))
    return 1.0 - m + m * relu_pattern(v)


def S_p_matrix(v, p: float):
    r"""Appendix: :math:`S_p = I - pI + p D_{W_1,x}` (diagonal, returned as a vector)."""
    p = check_probability("p", p)
    return 1.0 - p + p * relu_pattern(v)


def _check_W2_vectors(W2, **vectors):
    """``W2`` (k, d) and the named vectors, each of length d, all finite."""
    W2 = check_array("W2", W2, ndim=2)
    return (W2, *(check_array(name, a, shape=(W2.shape[1],)) for name, a in vectors.items()))


def eq16_expansion(W2, Sp, v, y) -> float:
    r"""Eq. 16: :math:`\mathrm{tr}(W_2S_pvv^TS_pW_2^T) - 2\mathrm{tr}(W_2S_pvy^T) + \mathrm{tr}(yy^T)`."""
    W2, Sp, v = _check_W2_vectors(W2, Sp=Sp, v=v)
    y = check_array("y", y, shape=(W2.shape[0],))
    Spm = np.diag(Sp)
    v = v[:, None]
    y = y[:, None]
    return float(np.trace(W2 @ Spm @ v @ v.T @ Spm @ W2.T) - 2 * np.trace(W2 @ Spm @ v @ y.T)
                 + np.trace(y @ y.T))


def eq17_trace_form(W2, Sdiag, v) -> float:
    r"""Eq. 17 / 19: :math:`\mathrm{tr}(\mathrm{vec}(S)\mathrm{vec}(S)^T\,\mathrm{diag}(v)W_2^TW_2\,\mathrm{diag}(v))`."""
    W2, Sdiag, v = _check_W2_vectors(W2, Sdiag=Sdiag, v=v)
    s = Sdiag[:, None]
    dv = np.diag(v)
    return float(np.trace(s @ s.T @ dv @ W2.T @ W2 @ dv))


def eq21_covariance(v, p: float):
    r"""Eq. 21: :math:`E[\mathrm{vec}(S)\mathrm{vec}(S)^T] - \mathrm{vec}(S_p)\mathrm{vec}(S_p)^T
    = p(1-p)(I - D_{W_1,x})^2` (a d×d matrix, for a vector ``v``; NaN where the sign of
    an entry of v is unknown)."""
    p = check_probability("p", p)
    dmat = np.diag(relu_pattern(check_array("v", v, ndim=1, finite=False)))
    eye = np.eye(dmat.shape[0])
    return p * (1.0 - p) * (eye - dmat) @ (eye - dmat)


def proof_penalty_form(W2, v, p: float) -> float:
    r"""Appendix, last display before the rewrite: :math:`p(1-p)\|W_2(I-D_{W_1,x})W_1x\|^2`."""
    p = check_probability("p", p)
    W2, v = _check_W2_vectors(W2, v=v)
    d = relu_pattern(v)
    return float(p * (1.0 - p) * np.sum((W2 @ ((1.0 - d) * v)) ** 2))


# --------------------------------------------------------------------------------------------
# Property 5.2 (Eq. 13–15) and its proof (Section 7.1)
# --------------------------------------------------------------------------------------------

def relu_gaussian_moments() -> dict:
    r"""Section 7.1: for x ~ N(0, 1), E x = 0, E r(x) = 1/√(2π), E x² = 1, E r(x)² = 1/2;
    the proof also uses E[x r(x)] = 1/2. Closed forms."""
    return {"E_x": 0.0, "E_r": INV_SQRT_2PI, "E_x2": 1.0, "E_r2": 0.5, "E_xr": 0.5}


def relu_gaussian_moments_quad(parts: bool = False) -> dict:
    """The same moments by scipy quadrature against the standard normal density, with the
    quadrature's error estimates (``{name: (value, abserr)}``; with ``parts=True``
    ``{name: (value, abserr, size)}``, ``size`` = |∫_{−∞}^0| + |∫_0^∞|, the size of the terms
    the value is the sum of)."""
    phi = stats.norm.pdf
    integrands = {
        "E_x": lambda x: x * phi(x),
        "E_r": lambda x: max(x, 0.0) * phi(x),
        "E_x2": lambda x: x * x * phi(x),
        "E_r2": lambda x: max(x, 0.0) ** 2 * phi(x),
        "E_xr": lambda x: x * max(x, 0.0) * phi(x),
    }
    out = {}
    for name, f in integrands.items():
        lo, elo = integrate.quad(f, -np.inf, 0.0)
        hi, ehi = integrate.quad(f, 0.0, np.inf)
        out[name] = (lo + hi, elo + ehi, abs(lo) + abs(hi)) if parts else (lo + hi, elo + ehi)
    return out


def mean_x_train(w, p: float) -> float:
    r"""Section 7.1: :math:`E X_{train} = p\sum_i w_i/\sqrt{2\pi}` (Eq. 13)."""
    p = check_probability("p", p)
    w = check_array("w", w, ndim=1)
    return float(p * w.sum() * INV_SQRT_2PI)


def mean_x_test(w, p: float) -> float:
    r"""Section 7.1: :math:`E X_{test} = p\sum_i w_i/\sqrt{2\pi}` (Eq. 14)."""
    return mean_x_train(w, p)


def var_x_train(w, p: float) -> float:
    r"""Section 7.1: :math:`\mathrm{Var}X_{train} = \sum_i w_i^2(1 - \tfrac12 p - \tfrac{1}{2\pi}p^2)`."""
    p = check_probability("p", p)
    w = check_array("w", w, ndim=1)
    return float(np.sum(w * w) * (1.0 - 0.5 * p - p * p / (2.0 * math.pi)))


def var_x_test(w, p: float) -> float:
    r"""Section 7.1: :math:`\mathrm{Var}X_{test} = \sum_i w_i^2((\tfrac12-\tfrac{1}{2\pi})p^2 - p + 1)`."""
    p = check_probability("p", p)
    w = check_array("w", w, ndim=1)
    return float(np.sum(w * w) * ((0.5 - 1.0 / (2.0 * math.pi)) * p * p - p + 1.0))


def second_moment_x_train(w, p: float) -> float:
    r"""Section 7.1: :math:`E X_{train}^2 = \sum w_i^2(1-p+\tfrac12p) + \tfrac{p^2}{\pi}\sum_{i<j}w_iw_j`."""
    p = check_probability("p", p)
    w = check_array("w", w, ndim=1)
    cross = 0.5 * (w.sum() ** 2 - np.sum(w * w))
    return float(np.sum(w * w) * (1.0 - p + 0.5 * p) + p * p / math.pi * cross)


def second_moment_x_test(w, p: float) -> float:
    r"""Section 7.1: :math:`E X_{test}^2 = \sum w_i^2(\tfrac12p^2-p+1) + \tfrac{p^2}{\pi}\sum_{i<j}w_iw_j`."""
    p = check_probability("p", p)
    w = check_array("w", w, ndim=1)
    cross = 0.5 * (w.sum() ** 2 - np.sum(w * w))
    return float(np.sum(w * w) * (0.5 * p * p - p + 1.0) + p * p / math.pi * cross)


def shift_ratio(p):
    r"""Property 5.2, Eq. 15:

    .. math:: \frac{\mathrm{Var}(X_{test})}{\mathrm{Var}(X_{train})}
              = \frac{(\tfrac12-\tfrac1{2\pi})p^2 - p + 1}{1 - \tfrac12p - \tfrac1{2\pi}p^2}.

    Vectorised over ``p`` (each in (0, 1]).
    """
    p_arr = _keep_probabilities(p)
    num = (0.5 - 1.0 / (2.0 * math.pi)) * p_arr ** 2 - p_arr + 1.0
    den = 1.0 - 0.5 * p_arr - p_arr ** 2 / (2.0 * math.pi)
    out = num / den
    return float(out) if out.ndim == 0 else out


def _keep_probabilities(p) -> np.ndarray:
    """``p`` (a number or an array) as a float array, every entry in (0, 1]."""
    p_arr = np.asarray(p, dtype=float)
    if np.any(~np.isfinite(p_arr)) or np.any((p_arr <= 0.0) | (p_arr > 1.0)):
        raise ValueError(f"p must lie in (0, 1], got {p!r}")
    return p_arr


def dropout_variance_shift(p: float) -> float:
    r"""For comparison (the paper's reference [12], Li et al.): inverted dropout with keep
    probability ``p`` on a unit-variance, zero-mean input scales the train-time variance by
    1/p while test time keeps it, so Var(test)/Var(train) = p."""
    return check_probability("p", p)


def dropout_shift_ratio_relu(p):
    r"""Dropout in the box of Figure 5, placed after the ReLU (as in [12], Li et al., and in
    Wide ResNet): :math:`X_{train} = \sum_i w_i M_i r(x[i])/p` with :math:`M_i \sim B(p)`
    (inverted dropout; non-inverted dropout, :math:`\sum_i w_i M_i r(x[i])` and
    :math:`p\sum_i w_i r(x[i])`, has the same ratio), :math:`X_{test} = \sum_i w_i r(x[i])`,
    x[i] ~ N(0, 1) i.i.d.:

    .. math:: \frac{\mathrm{Var}(X_{test})}{\mathrm{Var}(X_{train})} = \frac{(\pi-1)\,p}{\pi-p}.

    Derivation: the terms are independent, so each variance is :math:`\sum_i w_i^2` times one
    term's; with the moments of Section 7.1 (:math:`E\,r = 1/\sqrt{2\pi}`,
    :math:`E\,r^2 = 1/2`), :math:`\mathrm{Var}\,r(x) = \tfrac12 - \tfrac1{2\pi}` and
    :math:`\mathrm{Var}(M r(x)/p) = \tfrac1{2p} - \tfrac1{2\pi}` — the shift ratio
    :math:`v/((c^2+v)/p - c^2)` of [12] at the ReLU's mean c and variance v. Below 1 for every
    p in (0, 1): :math:`1 - \text{ratio} = (1-p)/(1-p/\pi)`. Dropout before the ReLU gives the
    same ratio (:math:`r(Mx/p) = M r(x)/p`); on the zero-mean x itself, with no ReLU, the ratio
    is p (:func:`dropout_variance_shift`). Vectorised over ``p`` (each in (0, 1])."""
    p_arr = _keep_probabilities(p)
    out = (math.pi - 1.0) * p_arr / (math.pi - p_arr)
    return float(out) if out.ndim == 0 else out


def shift_gap_ratio(p):
    r"""How much closer to 1 Drop-Activation's shift ratio (Eq. 15) is than dropout's after the
    ReLU (:func:`dropout_shift_ratio_relu`), at the same p:

    .. math:: \frac{1 - \text{Eq. 15}}{1 - \frac{(\pi-1)p}{\pi-p}}
              = \frac{p(\pi - p)}{2\pi - \pi p - p^2}.

    Derivation: :math:`1 - \text{Eq. 15} = p(1-p)/(2 - p - p^2/\pi)` (numerator and
    denominator of Eq. 15 differ by :math:`p(1-p)/2`) and :math:`1 - (\pi-1)p/(\pi-p) =
    (1-p)/(1-p/\pi)`. The ratio is below 1 exactly when :math:`p(\pi-p) < 2\pi - \pi p - p^2`,
    i.e. :math:`2\pi p < 2\pi`: for every p in (0, 1); it tends to 1 as p → 1 (both shift
    ratios tend to 1). Vectorised over ``p`` (each in (0, 1))."""
    p_arr = _keep_probabilities(p)
    if np.any(p_arr >= 1.0):
        raise ValueError(f"p must lie in (0, 1) (at p = 1 neither ratio is shifted), got {p!r}")
    out = p_arr * (math.pi - p_arr) / (2.0 * math.pi - math.pi * p_arr - p_arr ** 2)
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------------------------
# Correction of Property 5.1 (found by dropmc: the last step of the appendix's proof)
# --------------------------------------------------------------------------------------------

def penalty_corrected(W1, W2, X, p: float) -> float:
    r"""The penalty that Eq. 9 actually adds (correction of Eq. 10–11):

    .. math:: \frac{1-p}{p}\sum_i \|W_2\,\mathrm{diag}(W_1x_i - r_p(W_1x_i))\|_F^2
              = p(1-p)\sum_i\sum_j \|W_2[:, j]\|^2 (1-d_{ij})\,(W_1x_i)_j^2 .

    Derivation: with :math:`v = W_1x`, the output :math:`W_2 S v` is affine in the independent
    :math:`P_j`, so :math:`E\|W_2Sv-y\|^2 = \|W_2S_pv-y\|^2 + \sum_j \mathrm{Var}(S_j) v_j^2
    \|W_2e_j\|^2` — Eq. 21 gives :math:`\mathrm{Cov}(\mathrm{vec}\,S) = p(1-p)(I-D)^2`, and the
    appendix's own line :math:`p(1-p)\,\mathrm{tr}\{W_2\,\mathrm{diag}(v)(I-D)^2\mathrm{diag}(v)
    W_2^T\}` is the squared Frobenius norm of :math:`W_2\,\mathrm{diag}((I-D)v)`, not the squared
    vector norm :math:`\|W_2(I-D)v\|^2` the proof writes next (that would need the cross terms
    :math:`v_iv_j\,(W_2^TW_2)_{ij}` of the inactive units, which the diagonal covariance kills).
    Using :math:`(I-D)v = (v - r_p(v))/p` gives the form above. The printed penalty is right
    exactly when :math:`W_2^TW_2` is diagonal on the units with :math:`v_j < 0`.
    """
    p = check_probability("p", p)
    W1 = check_array("W1", W1, ndim=2)
    W2 = check_array("W2", W2, ndim=2)
    X = check_array("X", X, ndim=2, shape=(None, W1.shape[1]))
    V = X @ W1.T
    gap2 = (V - rp(V, p)) ** 2                     # (n, d)
    col2 = np.sum(W2 * W2, axis=0)                 # ||W2[:, j]||^2
    return float((1.0 - p) / p * np.sum(gap2 * col2[None, :]))


def property_5_1_rhs_corrected(W1, W2, X, Y, p: float) -> float:
    r"""Corrected Eq. 10: prediction loss plus :func:`penalty_corrected`."""
    return prediction_loss(W1, W2, X, Y, p) + penalty_corrected(W1, W2, X, p)


# --------------------------------------------------------------------------------------------
# Extension: Property 5.2 for any activation (issue 11)
# --------------------------------------------------------------------------------------------

def _gauss_expect(f) -> tuple[float, float]:
    """E f(x) for x ~ N(0, 1) by scipy quadrature on each half-line; (value, error estimate)."""
    from scipy import integrate

    dens = lambda x: math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    lo, e1 = integrate.quad(lambda x: f(x) * dens(x), -np.inf, 0.0, limit=200, epsabs=1e-13, epsrel=1e-12)
    hi, e2 = integrate.quad(lambda x: f(x) * dens(x), 0.0, np.inf, limit=200, epsabs=1e-13, epsrel=1e-12)
    return lo + hi, e1 + e2


def activation_moments(phi) -> dict[str, float]:
    """E φ(x), E φ(x)² and E[x φ(x)] for x ~ N(0, 1) (scipy quadrature). ``phi`` is any
    callable on floats with a finite second moment under the normal law."""
    if not callable(phi):
        raise TypeError(f"phi must be a callable activation, got {phi!r}")
    f = lambda x: float(phi(x))
    out = {}
    for name, g in (("m1", f), ("m2", lambda x: f(x) ** 2), ("c", lambda x: x * f(x))):
        val, err = _gauss_expect(g)
        if not math.isfinite(val):
            raise ValueError(f"E {name} of the activation under N(0, 1) is not finite")
        out[name] = val
    return out


def shift_ratio_activation(p: float, phi=None, *, moments: dict | None = None) -> float:
    r"""Property 5.2 generalised: the shift ratio Var(X_test)/Var(X_train) of Eq. 13–14 with the
    nonlinearity r replaced by any activation φ, x[i] ~ N(0, 1) i.i.d.:

    .. math:: \frac{(1-p)^2 + 2p(1-p)\,E[x\varphi(x)] + p^2 \operatorname{Var}\varphi(x)}
                   {(1-p) + p\,E\varphi(x)^2 - p^2 (E\varphi(x))^2}.

    Derivation as in Section 7.1: the coordinates are independent, so each variance is a sum
    of w_i² times the per-coordinate variance; in the train variance the cross term carries
    (1 − P)P = 0. With φ = ReLU (E φ = 1/√(2π), E φ² = 1/2, E xφ = 1/2) this is Eq. 15.
    ``moments`` (from :func:`activation_moments`) saves the quadrature when p varies.
    """
    p = check_probability("p", p)
    mo = moments if moments is not None else activation_moments(phi)
    m1, m2, c = mo["m1"], mo["m2"], mo["c"]
    num = (1 - p) ** 2 + 2 * p * (1 - p) * c + p * p * (m2 - m1 * m1)
    den = (1 - p) + p * m2 - p * p * m1 * m1
    if not den > 0:
        raise ValueError("Var(X_train) is 0 for this activation and p")
    return num / den


def gelu(x):
    """GELU, x Φ(x)."""
    from scipy.special import ndtr

    return np.asarray(x) * ndtr(x)


def silu(x):
    """SiLU (swish), x σ(x)."""
    from scipy.special import expit

    x = np.asarray(x, dtype=float)
    return x * expit(x)


#: activations of the Property 5.2 extension (issue 11)
SHIFT_ACTIVATIONS = {"relu": relu, "gelu": gelu, "tanh": np.tanh, "silu": silu}


# ------------------------------------------------------------------------------------------
# Section 4.3: the printed Tables 1–6 (data, transcribed from the paper; test error in %)
# ------------------------------------------------------------------------------------------

#: Tables 1–4 as printed: model -> (Baseline, RReLU or None where printed "-", DropAct).
#: Table 1: CIFAR-100; Table 2: CIFAR-10; Table 3: SVHN (no RReLU column); Table 4: EMNIST
#: (Balanced; no RReLU column). Each number was checked twice against the paper's text.
DA_TABLES = {
    1: {"dataset": "CIFAR-100", "rows": {
        "ResNet-164": (25.16, 24.15, 23.88),
        "PreResNet-164": (24.33, 23.22, 22.72),
        "WideResNet-28-10": (18.85, 19.63, 18.14),
        "DenseNet-BC-100-12": (22.27, None, 21.71),
        "DenseNet-BC-190-40": (17.18, None, 16.92),
        "ResNeXt-29-8x64d": (17.77, None, 17.68)}},
    2: {"dataset": "CIFAR-10", "rows": {
        "ResNet-110": (6.43, 7.66, 6.17),
        "PreResNet-164": (5.46, 5.33, 4.87),
        "WideResNet-28-10": (3.89, 4.31, 3.74),
        "DenseNet-BC-100-12": (4.51, None, 4.40),
        "DenseNet-BC-190-40": (3.75, None, 3.45),
        "ResNeXt-29-8x64d": (3.65, None, 4.16)}},
    3: {"dataset": "SVHN", "rows": {
        "WideResNet-16-8": (1.54, None, 1.46),
        "DenseNet-BC-100-12": (1.76, None, 1.71),
        "ResNeXt-29-8x64d": (1.79, None, 1.69)}},
    4: {"dataset": "EMNIST (Balanced)", "rows": {
        "ResNet-164": (8.85, None, 8.82),
        "PreResNet-164": (8.88, None, 8.72),
        "WideResNet-28-10": (8.97, None, 8.72),
        "DenseNet-BC-100-12": (8.81, None, 8.90),
        "ResNeXt-29-8x64d": (9.07, None, 8.91)}},
}

#: Tables 5 (Cutout) and 6 (AutoAugment), CIFAR-100, as printed: model -> (Baseline, with the
#: augmentation, with the augmentation + DropAct). Table 5's Baseline and Cutout carry ± (the
#: means are kept). Table 6 lists ResNet-164, not the ResNet-18 of Section 4.3.3's sentence.
DA_AUG_TABLES = {
    5: {"augmentation": "Cutout", "rows": {
        "ResNet-18": (22.46, 21.96, 20.99),
        "WideResNet-20-10": (18.8, 18.41, 17.86)}},
    6: {"augmentation": "AutoAugment", "rows": {
        "ResNet-164": (25.16, 21.12, 20.39),
        "WideResNet-20-10": (18.85, 17.09, 16.20)}},
}


def relative_reduction(before: float, after: float) -> float:
    """(before − after)/before: the relative reduction of a test error (Section 4.3.2)."""
    before = check_real("before", before, lo=0.0, lo_open=True)
    after = check_real("after", after, lo=0.0)
    return (before - after) / before
