"""Sections 11.1–11.3 of Baldi & Sadowski: dropout convergence (Eq. 139–141) and the dropout
gradient and adaptive regularization of a single linear unit and of deep linear networks
(Eq. 142–155)."""

from __future__ import annotations

import math

import numpy as np

from dropmc._validation import check_array, check_broadcast, check_int, check_real
from dropmc.theory.ensemble_averaging._shared import _probs, _sigma_c, check_logistic, check_weights


# ------------------------------------------------------------------------------------------
# Section 11: dropout dynamics (Eq. 139–165). The functions accept complex weights where noted
# so that derivatives can be taken by the complex step (exact to rounding).
# ------------------------------------------------------------------------------------------


def _weights(name: str, w, **shape) -> np.ndarray:
    """A non-empty array of finite real or complex weights (complex: for the complex step)."""
    return check_array(name, w, dtype=None, **shape)


def _gates(name: str, g, n: int) -> np.ndarray:
    """Rows of n dropout gates: 0/1 masks or keep probabilities, all in [0, 1]."""
    g = np.atleast_2d(check_array(name, g))
    if g.ndim != 2 or g.shape[1] != n:
        raise ValueError(f"{name} must have shape (n_masks, {n}) (one row of gates per "
                         f"subnetwork), got {g.shape}")
    return _probs(name, g, g.shape)


def _linear_unit(w, I, t=None, p=None) -> None:
    """Check the weights ``w`` (real or complex), inputs ``I`` of the same shape and, when
    given, the target ``t`` and the keep probabilities ``p`` (a scalar or one per input)."""
    w = _weights("w", w, ndim=1)
    check_array("I", I, shape=w.shape)
    if t is not None:
        check_real("t", t)
    if p is not None:
        _probs("p", p, w.shape)


def _outputs(O, t) -> None:
    """Check outputs ``O`` (real or complex) and the targets ``t`` (of shapes that broadcast)."""
    check_broadcast("O", _weights("O", O), "t", check_array("t", t))


def _two_layer(W1, w2, masks, probs, n_in) -> int:
    """Check the two-layer network of :func:`two_layer_forward` against its subnetworks:
    ``masks`` (M, n_in + h) with probabilities ``probs`` summing to 1. Returns n_in + h."""
    masks = np.atleast_2d(check_array("masks", masks))
    W1 = _weights("W1", W1, ndim=2)
    n_in = check_int("n_in", n_in, minimum=1, maximum=masks.shape[-1] - 1)
    if W1.shape[1] != n_in:
        raise ValueError(f"W1 must have n_in = {n_in} columns, got shape {W1.shape}")
    _weights("w2", w2, shape=(W1.shape[0],))
    masks = _gates("masks", masks, n_in + W1.shape[0])
    check_weights("probs", probs, masks.shape[0], of="masks")
    return masks.shape[1]


def complex_step_grad(f, x, h: float = 1e-30) -> np.ndarray:
    r"""∂f/∂x_k = Im f(x + ih e_k)/h for every k: derivatives of a real-analytic ``f`` (built
    from +, ×, exp, log) exact to rounding, with no subtraction of nearby values."""
    check_array("x", x)
    h = check_real("h", h, lo=0.0, lo_open=True)
    x = np.asarray(x, dtype=float)
    cols = []
    for k in range(x.size):
        xc = x.astype(complex).ravel()
        xc[k] += 1j * h
        cols.append(np.imag(np.asarray(f(xc.reshape(x.shape)))) / h)
    g = np.stack(cols, axis=-1)
    # a scalar f gives the gradient in the shape of x; a vector f gives (len(f), x.size)
    return g.reshape(x.shape) if g.ndim == 1 else g


def relative_entropy_c(O, t):
    """Eq. 156, E = −(t log O + (1 − t) log(1 − O)), for real or complex O."""
    _outputs(O, t)
    return -(t * np.log(O) + (1 - t) * np.log(1 - O))


def _softplus_c(z):
    """log(1 + e^z) for real or complex z, without overflow or cancellation (branch on Re z)."""
    z = np.asarray(z)
    out = np.empty(z.shape, dtype=np.result_type(z, float))
    pos = np.real(z) > 0
    out[pos] = z[pos] + np.log1p(np.exp(-z[pos]))
    out[~pos] = np.log1p(np.exp(z[~pos]))
    return out


def relative_entropy_of_S(S, t, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 156 for O = σ(S) written in S: with x = λS − log c, −log O = log(1 + e^{−x}) and
    −log(1 − O) = x + log(1 + e^{−x}), so E = log(1 + e^{−x}) + (1 − t)x — accurate when the
    unit saturates (1 − O below rounding), and real-analytic for complex-step derivatives."""
    check_broadcast("S", _weights("S", S), "t", check_array("t", t))
    c, lam = check_logistic(c, lam)
    x = lam * np.asarray(S) - math.log(c)
    return _softplus_c(-x) + (1 - t) * x


def two_layer_forward(W1, w2, I, m_in, m_hid, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""A logistic network with one hidden layer (Eq. 166 with T = 2): hidden
    :math:`O_k = \sigma(\sum_j W1_{kj} m^{in}_j I_j)`, output :math:`O = \sigma(\sum_k w2_k
    m^{hid}_k O_k)`. ``m_in`` (M, n) and ``m_hid`` (M, h) are masks (0/1: one subnetwork per
    row, Eq. 166) or keep probabilities (the ensemble approximation of Eq. 167). Weights may
    be complex. Returns S and O of both layers (rows: subnetworks)."""
    h, n = _weights("W1", W1, ndim=2).shape
    _weights("w2", w2, shape=(h,))
    check_array("I", I, shape=(n,))
    _gates("m_in", m_in, n)
    _gates("m_hid", m_hid, h)
    c, lam = check_logistic(c, lam)
    m_in, m_hid = np.atleast_2d(m_in), np.atleast_2d(m_hid)
    S1 = (m_in * I) @ np.asarray(W1).T
    O1 = _sigma_c(S1, c, lam)
    S2 = (m_hid * O1) @ np.asarray(w2)
    return {"S1": S1, "O1": O1, "S2": S2, "O2": _sigma_c(S2, c, lam)}


def two_layer_backprop(W1, w2, I, t, m_in, m_hid, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""Backpropagated errors of the relative entropy in :func:`two_layer_forward` (Eq. 173–174):
    :math:`\partial f/\partial S_{out} = -\lambda(t - O)`, :math:`\partial f/\partial S_k =
    \partial f/\partial S_{out}\, w2_k m^{hid}_k \lambda O_k(1 - O_k)`, per subnetwork."""
    fw = two_layer_forward(W1, w2, I, m_in, m_hid, c, lam)
    t = check_real("t", t)
    d_out = -lam * (t - fw["O2"])
    d_hid = d_out[:, None] * np.asarray(w2)[None, :] * np.atleast_2d(m_hid) * lam * fw["O1"] * (1 - fw["O1"])
    return {**fw, "d_out": d_out, "d_hid": d_hid}


def eq140_gradient(W1, w2, inputs, targets, masks, probs, n_in: int, c=1.0, lam=1.0) -> dict:
    r"""Eq. 140: :math:`\partial E_{TENS}/\partial w_{ij} = \sum_I\sum_{N:\delta_j=1}P(N)
    \,\partial f_w/\partial S_i\; O_j(N, I)` for every weight of the two-layer network, the sum
    running over the subnetworks (``masks`` (M, n_in + h), probabilities ``probs``) in which
    the presynaptic unit j is kept. Returns ``{"W1": (h, n), "w2": (h,)}``."""
    _two_layer(W1, w2, masks, probs, n_in)
    gW1 = np.zeros(np.shape(W1))
    gw2 = np.zeros(np.shape(w2))
    m_in, m_hid = masks[:, :n_in], masks[:, n_in:]
    for I, t in zip(inputs, targets):
        b = two_layer_backprop(W1, w2, I, t, m_in, m_hid, c, lam)
        # only the subnetworks with δ_j = 1 contribute, with O_j (not δ_jO_j)
        gw2 += np.einsum("m,m,mk,mk->k", probs, b["d_out"], m_hid, b["O1"])
        gW1 += np.einsum("m,mk,mj,j->kj", probs, b["d_hid"], m_in, I)
    return {"W1": gW1, "w2": gw2}


def e_tens(W1, w2, inputs, targets, masks, probs, n_in: int, c=1.0, lam=1.0):
    """Eq. 139: E_TENS = Σ_I Σ_N P(N) f_w(O_N, t(I)) with the relative entropy (Eq. 156);
    complex weights allowed."""
    _two_layer(W1, w2, masks, probs, n_in)
    tot = 0.0
    for I, t in zip(inputs, targets):
        fw = two_layer_forward(W1, w2, I, masks[:, :n_in], masks[:, n_in:], c, lam)
        tot = tot + probs @ relative_entropy_of_S(fw["S2"], t, c, lam)
    return tot


def eq141_factorised(W1, w2, I, t, masks, probs, p, n_in: int, c=1.0, lam=1.0) -> dict:
    r"""Eq. 141 for one input: the gradient as :math:`E(\partial f/\partial S_i)\,p_j E(O_j)`
    (first form) and :math:`E(\partial f/\partial S_i)\,p_jW_j` (second form, :math:`W_j` the
    output of unit j in the ensemble network of Eq. 167). ``p`` (n_in + h,) keep probabilities.
    Returns both forms for ``{"W1", "w2"}``."""
    p = _probs("p", p, (_two_layer(W1, w2, masks, probs, n_in),))
    b = two_layer_backprop(W1, w2, I, t, masks[:, :n_in], masks[:, n_in:], c, lam)
    Ed_out, Ed_hid = probs @ b["d_out"], probs @ b["d_hid"]
    EO1 = probs @ b["O1"]
    p_in, p_hid = p[:n_in], p[n_in:]
    ens = two_layer_forward(W1, w2, I, p_in, p_hid, c, lam)
    W1j = ens["O1"][0]
    return {"first": {"w2": Ed_out * p_hid * EO1, "W1": np.outer(Ed_hid, p_in * I)},
            "second": {"w2": Ed_out * p_hid * W1j, "W1": np.outer(Ed_hid, p_in * I)}}


# -- Section 11.2: a single linear unit -----------------------------------------------------


def linear_ensemble_error(w, I, t, p):
    """Eq. 142: E_ENS = ½(t − Σ p_iw_iI_i)² (complex w allowed)."""
    _linear_unit(w, I, t, p)
    return 0.5 * (t - np.sum(p * w * I)) ** 2


def linear_dropout_error(w, I, t, delta):
    """Eq. 143: E_D = ½(t − Σ δ_iw_iI_i)² for each mask (rows of ``delta``; complex w allowed)."""
    _linear_unit(w, I, t)
    _gates("delta", delta, np.size(w))
    return 0.5 * (t - np.atleast_2d(delta) @ (w * I)) ** 2


def eq144(w, I, t, p) -> np.ndarray:
    """Eq. 144: ∂E_ENS/∂w_i = −(t − O_ENS)p_iI_i."""
    _linear_unit(w, I, t, p)
    return -(t - float(np.sum(p * w * I))) * p * I


def eq145_forms(w, I, t, delta) -> tuple[np.ndarray, np.ndarray]:
    r"""Eq. 145, both printed forms for each mask (rows): −(t − O_D)δ_iI_i and
    :math:`-t\delta_iI_i + w_i\delta_i^2I_i^2 + \sum_{j\ne i} w_j\delta_j\delta_iI_jI_i`."""
    _linear_unit(w, I, t)
    _gates("delta", delta, np.size(w))
    d = np.atleast_2d(delta).astype(float)
    a = w * I
    OD = d @ a
    first = -(t - OD)[:, None] * d * I
    cross = (OD[:, None] - d * a) * d * I  # Σ_{j≠i} w_jδ_jI_j · δ_iI_i
    second = -t * d * I + w * d ** 2 * I ** 2 + cross
    return first, second


def eq146_forms(w, I, t, p) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Eq. 146, its three printed forms: :math:`-(t - E(O_D|\delta_i = 1))p_iI_i` (with
    :math:`E(O_D|\delta_i=1) = \sum_{j\ne i}p_jw_jI_j + w_iI_i`), :math:`-tp_iI_i + w_ip_iI_i^2
    + \sum_{j\ne i}w_jp_jI_jI_i`, and :math:`-(t - O_{ENS})p_iI_i + w_iI_i^2p_i(1 - p_i)`."""
    _linear_unit(w, I, t, p)
    a = w * I
    U = float(np.sum(p * a))
    cond = U - p * a + a
    first = -(t - cond) * p * I
    second = -t * p * I + w * p * I ** 2 + (U - p * a) * I
    third = -(t - U) * p * I + w * I ** 2 * p * (1 - p)
    return first, second, third


def eq146_middle_corrected(w, I, t, p) -> np.ndarray:
    r"""Eq. 146's middle form with the factor :math:`p_i` of the cross terms
    (:math:`E(\delta_j\delta_i) = p_jp_i`): :math:`-tp_iI_i + w_ip_iI_i^2 + p_i\sum_{j\ne i}
    w_jp_jI_jI_i`."""
    _linear_unit(w, I, t, p)
    a = w * I
    U = float(np.sum(p * a))
    return -t * p * I + w * p * I ** 2 + p * (U - p * a) * I


def eq147(w, I, t, p) -> np.ndarray:
    """Eq. 147: ∂E_ENS/∂w_i + w_i Var(δ_iI_i), Var(δ_iI_i) = I_i²p_i(1 − p_i)."""
    return eq144(w, I, t, p) + w * I ** 2 * p * (1 - p)


def eq148_error(w, I, t, p):
    """Eq. 148: the regularised ensemble error E_ENS + ½Σ w_i²I_i² Var δ_i (complex w allowed)."""
    _linear_unit(w, I, t, p)
    return linear_ensemble_error(w, I, t, p) + 0.5 * np.sum(w ** 2 * I ** 2 * p * (1 - p))


# -- Section 11.3: deep linear networks -----------------------------------------------------


def _deep_linear(W, n_in, I, gates) -> int:
    """Check a linear DAG of :func:`deep_linear_forward`; returns its number of units."""
    W = _weights("W", W, ndim=2)
    N = W.shape[0]
    if W.shape != (N, N):
        raise ValueError(f"W must be square (one row and column per unit), got shape {W.shape}")
    n_in = check_int("n_in", n_in, minimum=1, maximum=N)
    check_array("I", I, shape=(n_in,))
    _gates("gates", gates, N)
    return N


def deep_linear_forward(W, n_in: int, I, gates):
    r"""Sums :math:`S_i = \sum_j W_{ij}g_jS_j` of a linear DAG (units in topological order,
    :math:`S_j = I_j` for the ``n_in`` inputs) for each row of ``gates`` (M, N): 0/1 dropout
    masks (Eq. 21–22) or keep probabilities (the ensemble network, Eq. 24). Complex W allowed.
    Returns S (M, N)."""
    _deep_linear(W, n_in, I, gates)
    g = np.atleast_2d(np.asarray(gates, dtype=float))
    W = np.asarray(W)
    M, N = g.shape
    S = np.zeros((M, N), dtype=np.result_type(W, float))
    S[:, :n_in] = I
    for i in range(n_in, N):
        S[:, i] = (g * S) @ W[i]
    return S


def deep_linear_alpha_beta(W, n_in: int, I, gates, edge: tuple[int, int], out: int):
    r"""Eq. 151: the output :math:`S_{out} = \alpha w + \beta` as a function of the weight
    ``w = W[edge]`` for each mask: :math:`\beta` = the output with w = 0 (paths avoiding the
    edge), :math:`\alpha` = (output with w = 1) − β (paths through it, per unit of w)."""
    N = _deep_linear(W, n_in, I, gates)
    out = check_int("out", out, minimum=0, maximum=N - 1)
    W0 = np.array(W, dtype=float)
    W0[edge] = 0.0
    W1 = W0.copy()
    W1[edge] = 1.0
    beta = deep_linear_forward(W0, n_in, I, gates)[:, out]
    alpha = deep_linear_forward(W1, n_in, I, gates)[:, out] - beta
    return alpha, beta


def eq150_printed(ens_grad: float, w: float, var_dO: float) -> float:
    """Eq. 150 as printed: E(∂E_D/∂w_ij^{T,l}) = ∂E_ENS/∂w_ij^{T,l} + w_ij^{T,l} Var(δ_j^lO_j^l)."""
    return ens_grad + w * var_dO


def eq150_corrected(ens_grad: float, w_row, cov_row, j: int) -> float:
    r"""Eq. 150 corrected (Eq. 155 for a top-layer weight, α = δ_jO_j, β = Σ_{k≠j}w_{ik}δ_kO_k):
    :math:`\partial E_{ENS}/\partial w_{ij} + w_{ij}\mathrm{Var}(\delta_jO_j) + \sum_{k\ne j}
    w_{ik}\mathrm{Cov}(\delta_kO_k, \delta_jO_j) = \partial E_{ENS}/\partial w_{ij} + \sum_k
    w_{ik}\mathrm{Cov}(\delta_kO_k, \delta_jO_j)`; ``cov_row[k]`` = Cov(δ_kO_k, δ_jO_j)."""
    ens_grad = check_real("ens_grad", ens_grad)
    n = check_array("w_row", w_row, ndim=1).size
    check_array("cov_row", cov_row, shape=(n,))
    check_int("j", j, minimum=0, maximum=n - 1)
    return ens_grad + float(np.dot(w_row, cov_row))


def eq153(Ea: float, Eb: float, w: float, t: float) -> float:
    """Eq. 153: ∂E_ENS/∂w = (E(α)w + E(β) − t)E(α)."""
    return (Ea * w + Eb - t) * Ea


def eq154(Ea2: float, Eab: float, Ea: float, w: float, t: float) -> float:
    """Eq. 154 (right): E(α²)w + E(αβ) − tE(α)."""
    return Ea2 * w + Eab - t * Ea


def eq155(ens_grad: float, w: float, var_a: float, cov_ab: float) -> float:
    """Eq. 155: ∂E_ENS/∂w + w Var(α) + Cov(α, β)."""
    return ens_grad + w * var_a + cov_ab
