r"""Closed forms of Baldi & Sadowski, "The dropout learning algorithm" (paper key
``ensemble_averaging``), static half: Sections 2–8 and Appendices A–F.

Equation numbers are the paper's. Notation: ``p`` is the probability of *keeping* a unit or a
connection (``P(δ = 1) = p``, ``q = 1 − p``); the logistic unit is
:math:`\sigma(S) = 1/(1 + c e^{-\lambda S})` (Eq. 27) with ``c ≥ 0``; ``O`` are outputs with
probabilities ``P`` summing to one; ``E``, ``G``, ``G'``, ``NWGM`` and ``V`` are the weighted
arithmetic mean, the weighted geometric means of ``O`` and ``1 − O``, ``G/(G + G')`` and the
variance (Section 8). Geometric means are computed in the log domain.

Deep linear networks (Section 3) are described by a :class:`LayeredNet`: units numbered in
topological order, ``layer[k]`` the layer of unit k (inputs are layer 0), and a dense weight
matrix ``W`` with ``W[i, j] ≠ 0`` only when ``layer[j] < layer[i]`` (skip connections allowed,
Eq. 21).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import integrate, optimize, special, stats

from dropmc._validation import (check_array, check_int, check_open_unit, check_probability,
                                check_real)

SQRT_2PI = math.sqrt(2.0 * math.pi)

# ------------------------------------------------------------------------------------------
# validation helpers
# ------------------------------------------------------------------------------------------


def check_weights(name: str, P, m: int | None = None, *, atol: float = 1e-9) -> np.ndarray:
    """Probability vector: finite, non-negative, summing to 1 (within ``atol``)."""
    P = check_array(name, P, ndim=1)
    if m is not None and P.shape[0] != m:
        raise ValueError(f"{name} must have shape ({m},) to match the values, got {P.shape}")
    if np.any(P < 0):
        raise ValueError(f"{name} must be non-negative; entry {int(np.argmin(P))} is {P.min()!r}")
    s = float(P.sum())
    if abs(s - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1 (a distribution over subnetworks), got sum {s!r}")
    return P


def check_logistic(c, lam) -> tuple[float, float]:
    """``c ≥ 0`` (Eq. 27: 'we must have c ≥ 0'; c = 0 gives the constant 1) and finite λ."""
    c = check_real("c", c, lo=0.0)
    lam = check_real("lam", lam)
    return c, lam


def _probs(name, p, shape):
    arr = np.asarray(p, dtype=float)
    if arr.ndim == 0:
        check_probability(name, float(arr), allow_zero=True)
        return np.full(shape, float(arr))
    arr = check_array(name, arr, shape=tuple(shape))
    if np.any((arr < 0) | (arr > 1)):
        bad = np.argwhere((arr < 0) | (arr > 1))[0]
        raise ValueError(f"{name} must lie in [0, 1]; entry {tuple(int(i) for i in bad)} is "
                         f"{arr[tuple(bad)]!r}")
    return arr


# ------------------------------------------------------------------------------------------
# Section 2: a single linear unit, a single linear layer
# ------------------------------------------------------------------------------------------


def halved_weights_output(w, I) -> float:
    r"""Eq. 5: :math:`E(S) = \frac{2^{n-1}}{2^n}\sum_i w_iI_i = \sum_i \frac{w_i}{2}I_i`
    (uniform distribution over the 2^n subnetworks)."""
    w = check_array("w", w, ndim=1)
    I = check_array("I", I, shape=(w.shape[0],))
    return float(0.5 * np.dot(w, I))


def term_count(n: int) -> int:
    r"""Eq. 4: the number of subnetworks containing a given term,
    :math:`1 + \binom{n-1}{1} + \dots + \binom{n-1}{n-1} = 2^{n-1}` (the left side, summed)."""
    n = check_int("n", n, minimum=1)
    return int(sum(math.comb(n - 1, k) for k in range(n)))


def linear_unit_mean(w, I, p, b: float = 0.0, pb: float = 1.0) -> float:
    r"""Eq. 7 / 10: :math:`E(S) = \sum_i w_i p_i I_i + b p_b` (Eq. 8 when all p_i = p)."""
    w = check_array("w", w, ndim=1)
    I = check_array("I", I, shape=(w.shape[0],))
    p = _probs("p", p, w.shape)
    b = check_real("b", b)
    pb = check_probability("pb", pb, allow_zero=True)
    return float(np.dot(w * p, I) + b * pb)


def linear_unit_var(w, I, p, b: float = 0.0, pb: float = 1.0) -> float:
    r"""Eq. 11: :math:`\mathrm{Var}(S) = \sum_i w_i^2 p_i q_i I_i^2 + b^2 p_b q_b`."""
    w = check_array("w", w, ndim=1)
    I = check_array("I", I, shape=(w.shape[0],))
    p = _probs("p", p, w.shape)
    b = check_real("b", b)
    pb = check_probability("pb", pb, allow_zero=True)
    return float(np.sum(w * w * p * (1 - p) * I * I) + b * b * pb * (1 - pb))


def layer_unit_dropout_moments(W, I, p):
    r"""Eq. 15–17 (dropout on the n input units, Eq. 13): mean vector
    :math:`E(S_i) = \sum_j w_{ij}p_jI_j`, and the covariance matrix with diagonal
    :math:`\sum_j w_{ij}^2p_jq_jI_j^2` (Eq. 16) and off-diagonal
    :math:`\sum_j w_{ij}w_{lj}p_jq_jI_j^2` (Eq. 17)."""
    W = check_array("W", W, ndim=2)
    I = check_array("I", I, shape=(W.shape[1],))
    p = _probs("p", p, (W.shape[1],))
    mean = W @ (p * I)
    cov = (W * (p * (1 - p) * I * I)) @ W.T
    return mean, cov


def layer_connection_dropout_moments(W, I, P):
    r"""Eq. 18–20 (dropout on the connections, Eq. 14): :math:`E(S_i) = \sum_j w_{ij}p_{ij}I_j`,
    :math:`\mathrm{Var}(S_i) = \sum_j w_{ij}^2p_{ij}q_{ij}I_j^2` and
    :math:`\mathrm{Cov}(S_i, S_l) = 0` for i ≠ l."""
    W = check_array("W", W, ndim=2)
    I = check_array("I", I, shape=(W.shape[1],))
    P = _probs("P", P, W.shape)
    mean = (W * P) @ I
    var = (W * W * P * (1 - P)) @ (I * I)
    return mean, np.diag(var)


def parity_eps_max(p, triple=(0, 1, 2)) -> float:
    r"""The largest |ε| for which :func:`pairwise_independent_law` is a probability law: the
    smallest of the 8 product probabilities :math:`\prod_{k\in T}p_k^{x_k}q_k^{1-x_k}` of the
    triple T."""
    p = np.asarray(p, float)
    t = [p[k] for k in triple]
    return float(min((t[0] if a else 1 - t[0]) * (t[1] if b else 1 - t[1]) * (t[2] if c else 1 - t[2])
                     for a in (0, 1) for b in (0, 1) for c in (0, 1)))


def pairwise_independent_law(p, eps: float, triple=(0, 1, 2)) -> tuple[np.ndarray, np.ndarray]:
    r"""A law of n Bernoulli selectors with keep probabilities ``p`` that is *pairwise* but not
    globally independent (Sec. 2.2, after Eq. 6): the product law plus the parity term

    .. math:: P(x) = \prod_k p_k^{x_k}q_k^{1-x_k} + \varepsilon\,(-1)^{x_a+x_b+x_c}
              \prod_{k\notin T}p_k^{x_k}q_k^{1-x_k},\qquad T = \{a, b, c\}.

    Summing the parity term over any one of a, b, c gives zero, so every marginal of at most two
    selectors is the product one; but :math:`E(\delta_a\delta_b\delta_c) = p_ap_bp_c - \varepsilon`.
    (For p = ½ and ε = ±⅛ this is the XOR triple δ_c = δ_a ⊕ δ_b or its complement.) Returns
    all 2^n masks (rows; unit 0 least significant) and their probabilities."""
    p = np.asarray(p, float)
    n = p.size
    if n < 3 or n > 20:
        raise ValueError(f"pairwise_independent_law needs 3 ≤ n ≤ 20 selectors, got n = {n}")
    if len(set(int(k) for k in triple)) != 3 or not all(0 <= int(k) < n for k in triple):
        raise ValueError(f"triple must name 3 distinct selectors in [0, {n}), got {triple}")
    if np.any((p <= 0) | (p >= 1)):
        raise ValueError(f"p must lie in (0, 1), got {p}")
    emax = parity_eps_max(p, triple)
    if abs(eps) > emax * (1 + 1e-12):
        raise ValueError(f"|eps| = {abs(eps)} exceeds {emax}, the largest value keeping P ≥ 0")
    idx = np.arange(1 << n, dtype=np.int64)
    masks = ((idx[:, None] >> np.arange(n)) & 1).astype(np.uint8)
    prod = np.where(masks == 1, p, 1 - p)
    base = prod.prod(axis=1)
    rest = np.ones(n, bool)
    rest[list(triple)] = False
    par = (-1.0) ** masks[:, list(triple)].sum(axis=1)
    probs = base + eps * par * prod[:, rest].prod(axis=1)
    return masks, np.clip(probs, 0.0, None)


# ------------------------------------------------------------------------------------------
# Section 3: deep linear networks
# ------------------------------------------------------------------------------------------


@dataclass
class LayeredNet:
    """A feedforward DAG organised in layers (Eq. 21): ``layer`` (N,) non-decreasing ints with
    the ``n_in`` inputs in layer 0, ``W`` (N, N) with W[i, j] = 0 unless layer[j] < layer[i]."""

    W: np.ndarray
    layer: np.ndarray

    def __post_init__(self):
        self.layer = check_array("layer", self.layer, ndim=1, dtype=np.int64)
        N = self.layer.shape[0]
        self.W = check_array("W", self.W, shape=(N, N))
        if np.any(np.diff(self.layer) < 0) or self.layer[0] != 0:
            raise ValueError(f"layer must start at 0 and be non-decreasing, got {self.layer}")
        bad = (self.W != 0) & (self.layer[None, :] >= self.layer[:, None])
        if np.any(bad):
            i, j = np.argwhere(bad)[0]
            raise ValueError(f"W[{i}, {j}] = {self.W[i, j]!r} connects layer {self.layer[j]} to "
                             f"layer {self.layer[i]}; only connections to higher layers allowed")

    @property
    def n_units(self) -> int:
        return int(self.layer.shape[0])

    @property
    def n_in(self) -> int:
        return int(np.sum(self.layer == 0))

    def start(self) -> np.ndarray:
        """For each unit, the index of the first unit of its layer (its possible inputs are
        the units before it)."""
        starts = np.searchsorted(self.layer, self.layer, side="left")
        return starts.astype(np.int64)


def random_layered_net(rng: np.random.Generator, widths, *, skip_prob: float = 0.3,
                       scale: float = 1.0) -> LayeredNet:
    """A random layered DAG with ``widths[0]`` inputs: adjacent layers fully connected with
    N(0, scale²/fan_in) weights, earlier layers connected with probability ``skip_prob``."""
    widths = [check_int("widths[k]", w, minimum=1) for w in widths]
    if len(widths) < 2:
        raise ValueError(f"widths must list at least 2 layers, got {widths}")
    layer = np.repeat(np.arange(len(widths)), widths)
    N = layer.size
    W = np.zeros((N, N))
    for i in range(N):
        for j in range(N):
            if layer[j] == layer[i] - 1 or (layer[j] < layer[i] - 1 and rng.random() < skip_prob):
                W[i, j] = 1.0
    fan = np.maximum(W.sum(axis=1), 1)
    W *= rng.standard_normal((N, N)) * scale / np.sqrt(fan)[:, None]
    return LayeredNet(W, layer)


def _net_inputs(net: LayeredNet, I):
    return check_array("I", I, shape=(net.n_in,))


def deep_linear_mean_units(net: LayeredNet, I, p) -> np.ndarray:
    r"""Eq. 24 (dropout on the units): :math:`E(S_i^h) = \sum_{l<h}\sum_j w^{hl}_{ij}p^l_j
    E(S^l_j)` with :math:`E(S^0_j) = I_j`: forward propagation with each weight multiplied by
    the keep probability of its source unit. Returns E(S) for every unit (inputs: I)."""
    I = _net_inputs(net, I)
    p = _probs("p", p, (net.n_units,))
    m = np.zeros(net.n_units)
    n0 = net.n_in
    m[:n0] = I
    for i in range(n0, net.n_units):
        m[i] = np.dot(net.W[i] * p, m)
    return m


def deep_linear_mean_connections(net: LayeredNet, I, P) -> np.ndarray:
    r"""Eq. 26 (dropout on the connections): :math:`E(S_i^h) = \sum_{l<h}\sum_j p^{hl}_{ij}
    w^{hl}_{ij}E(S^l_j)`; ``P`` (N, N) holds the keep probability of each connection."""
    I = _net_inputs(net, I)
    P = _probs("P", P, (net.n_units, net.n_units))
    m = np.zeros(net.n_units)
    n0 = net.n_in
    m[:n0] = I
    for i in range(n0, net.n_units):
        m[i] = np.dot(net.W[i] * P[i], m)
    return m


def deep_linear_second_moments_eq25(net: LayeredNet, I, p) -> np.ndarray:
    r"""Eq. 25 applied literally, as the paper prescribes for every pair of units:

    .. math:: E(S_i^hS_{i'}^{h'}) = \sum_{l<h}\sum_{l'<h'}\sum_j\sum_{j'} w^{hl}_{ij}
              w^{h'l'}_{i'j'}E(\delta^l_j\delta^{l'}_{j'})E(S^l_jS^{l'}_{j'})

    with :math:`E(\delta_j\delta_{j'}) = p_jp_{j'}` for j ≠ j', :math:`p_j` for j = j', and the
    boundary :math:`E(I_iI_j) = I_iI_j`. When one unit is an input (not a sum) only the other
    is expanded, :math:`E(S_iI_k) = \sum_j w_{ij}p_jE(S_jI_k)`. The independence assumed
    between :math:`\delta_j\delta_{j'}` and :math:`S_jS_{j'}` fails when one of j, j' is an
    ancestor of the other (pairs of units in different layers): see
    :func:`deep_linear_second_moments_units` for the exact recursion.
    """
    I = _net_inputs(net, I)
    p = _probs("p", p, (net.n_units,))
    N, n0 = net.n_units, net.n_in
    W = net.W
    Q = np.outer(p, p)
    np.fill_diagonal(Q, p)
    M = np.zeros((N, N))
    M[:n0, :n0] = np.outer(I, I)
    for i in range(n0, N):
        # pairs (i, k) with k < i: inputs first (one-sided expansion), then sums (two-sided)
        for k in range(i + 1):
            if k < n0:
                val = np.dot(W[i] * p, M[:, k])
            else:
                val = W[i] @ (Q * M) @ W[k]
            M[i, k] = M[k, i] = val
    return M


def deep_linear_second_moments_units(net: LayeredNet, I, p) -> np.ndarray:
    r"""Exact second moments :math:`E(S_iS_k)` for every pair of units under unit dropout.

    Recursion on the gated outputs :math:`Y_j = \delta_jS_j` in topological order (the
    correction of Eq. 25): :math:`S_i = \sum_j w_{ij}Y_j`, and since :math:`\delta_k` is
    independent of everything computed before unit k,
    :math:`E(Y_jY_k) = p_k\sum_{j'}w_{kj'}E(Y_jY_{j'})` for j < k and
    :math:`E(Y_k^2) = p_kE(S_k^2)`. Then :math:`E(SS^\top) = WE(YY^\top)W^\top` on the
    non-input units.
    """
    I = _net_inputs(net, I)
    p = _probs("p", p, (net.n_units,))
    N, n0 = net.n_units, net.n_in
    W = net.W
    A = np.zeros((N, N))  # E[Y Y^T]
    A[:n0, :n0] = np.outer(p[:n0] * I, p[:n0] * I)
    A[np.arange(n0), np.arange(n0)] = p[:n0] * I * I
    for k in range(n0, N):
        row = W[k] @ A  # E[S_k Y_j] for all j (only j < k are final)
        A[k, :k] = A[:k, k] = p[k] * row[:k]
        A[k, k] = p[k] * float(W[k] @ A @ W[k])
    M = W @ A @ W.T
    # a pair with an input is one-sided: E(S_i I_k) = I_k E(S_i)
    mean = deep_linear_mean_units(net, I, p)
    M[:, :n0] = np.outer(mean, I)
    M[:n0, :] = M[:, :n0].T
    M[:n0, :n0] = np.outer(I, I)
    return M


def deep_linear_second_moments_connections(net: LayeredNet, I, P) -> np.ndarray:
    r"""Exact :math:`E(S_iS_k)` under connection dropout (the 'similar analysis' the paper
    refers to after Eq. 26): for i < k, :math:`E(S_iS_k) = \sum_{j'}p_{kj'}w_{kj'}E(S_iS_{j'})`
    (the gates into k are independent of all earlier sums) and
    :math:`E(S_k^2) = \sum_{j,j'}w_{kj}w_{kj'}E(\delta_{kj}\delta_{kj'})E(S_jS_{j'})`."""
    I = _net_inputs(net, I)
    P = _probs("P", P, (net.n_units, net.n_units))
    N, n0 = net.n_units, net.n_in
    W = net.W
    M = np.zeros((N, N))
    M[:n0, :n0] = np.outer(I, I)
    for k in range(n0, N):
        wp = W[k] * P[k]
        row = M @ wp
        M[k, :k] = M[:k, k] = row[:k]
        Q = np.outer(wp, wp)
        np.fill_diagonal(Q, W[k] * W[k] * P[k])
        M[k, k] = float(np.sum(Q * M))
    return M


def ancestors(net: LayeredNet, i: int) -> np.ndarray:
    """Indices (sorted) of the ancestors of unit ``i``: the units with a directed path to i
    (Sec. 3, after Eq. 24: the "induced subnetwork of node i")."""
    i = check_int("i", i, minimum=0, maximum=net.n_units - 1)
    seen = np.zeros(net.n_units, bool)
    stack = [i]
    while stack:
        k = stack.pop()
        for j in np.flatnonzero(net.W[k] != 0):
            if not seen[j]:
                seen[j] = True
                stack.append(int(j))
    return np.flatnonzero(seen)


def induced_subnet(net: LayeredNet, i: int) -> tuple[LayeredNet, np.ndarray]:
    """The subnetwork induced by unit ``i``: the inputs, the ancestors of i and i itself, with
    their connections; returns it and the kept indices (i is the last one)."""
    keep = np.union1d(np.union1d(np.arange(net.n_in), ancestors(net, i)), [i])
    return LayeredNet(net.W[np.ix_(keep, keep)], net.layer[keep]), keep


def covariance_from_moments(mean, M) -> np.ndarray:
    """Cov(S_i, S_k) = E(S_iS_k) − E(S_i)E(S_k)."""
    return np.asarray(M) - np.outer(mean, mean)


# ------------------------------------------------------------------------------------------
# Sections 4–5: logistic units, NWGM
# ------------------------------------------------------------------------------------------


def logistic(S, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 27: :math:`\sigma(S) = 1/(1 + ce^{-\lambda S})`, evaluated stably."""
    c, lam = check_logistic(c, lam)
    S = np.asarray(S, dtype=float)
    if c == 0.0:
        return np.ones_like(S)
    return special.expit(lam * S - math.log(c))


def log_logistic(S, c: float = 1.0, lam: float = 1.0):
    """log σ(S) and log(1 − σ(S)) without cancellation."""
    c, lam = check_logistic(c, lam)
    x = lam * np.asarray(S, dtype=float) - math.log(c)
    return -np.logaddexp(0.0, -x), -np.logaddexp(0.0, x)


def weighted_means(O, P=None, *, log_O=None, log_1mO=None) -> dict:
    r"""E, G, G', NWGM and V of values O with weights P (Section 8), in the log domain.

    :math:`G = \exp\sum_iP_i\log O_i` (Eq. 35), :math:`G' = \exp\sum_iP_i\log(1-O_i)`
    (Eq. 36), :math:`NWGM = G/(G+G') = 1/(1 + e^{\log G' - \log G})` (Eq. 37).
    ``log_O``/``log_1mO`` may be passed to avoid rounding O next to 0 or 1.
    """
    O = check_open_unit("O", O).ravel()
    m = O.size
    P = np.full(m, 1.0 / m) if P is None else check_weights("P", np.asarray(P, float).ravel(), m)
    lo = np.log(O) if log_O is None else np.asarray(log_O, float).ravel()
    l1 = np.log1p(-O) if log_1mO is None else np.asarray(log_1mO, float).ravel()
    lg = float(np.dot(P, lo))
    lg1 = float(np.dot(P, l1))
    E = float(np.dot(P, O))
    V = float(np.dot(P, (O - E) ** 2))
    nwgm = float(special.expit(lg - lg1))
    return {"E": E, "G": math.exp(lg), "Gp": math.exp(lg1), "NWGM": nwgm,
            "logG": lg, "logGp": lg1, "V": V, "min": float(O.min()), "max": float(O.max()),
            "Ep": float(np.dot(P, 1.0 - O))}  # E' summed directly: 1 − E loses digits near 1


def nwgm_logistic(S, P=None, c: float = 1.0, lam: float = 1.0) -> float:
    r"""NWGM of :math:`O_i = \sigma(S_i)` by Eq. 38 in the log domain (never forming O)."""
    S = check_array("S", S).ravel()
    P = np.full(S.size, 1.0 / S.size) if P is None else check_weights("P", np.ravel(P), S.size)
    lo, l1 = log_logistic(S, c, lam)
    return float(special.expit(np.dot(P, lo) - np.dot(P, l1)))


def eq33_middle_as_printed(S, c: float = 1.0, lam: float = 1.0) -> float:
    r"""The middle expression of Eq. 33 as printed,
    :math:`1/(1 + c[e^{-\lambda\sum_{\mathcal N}S(\mathcal N)/2^n}]^{1/2^n})` for the
    :math:`m = 2^n` subnetwork values ``S`` (the exponent 1/2^n is applied twice)."""
    S = check_array("S", S).ravel()
    c, lam = check_logistic(c, lam)
    m = S.size
    return float(1.0 / (1.0 + c * math.exp(-lam * S.sum() / m / m)))


def softmax(x, lam: float = 1.0):
    """Normalized exponential (Eq. 43) along the last axis, stably."""
    x = lam * np.asarray(x, dtype=float)
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def nwgm_softmax_enumerated(S, P, lam: float = 1.0) -> np.ndarray:
    r"""Eq. 44 computed directly: for subnetworks M with probabilities P(M) and linear sums
    ``S`` (n_M, k), :math:`NWGM(O_i) = \prod_M O_i^{P(M)}/\sum_l\prod_M O_l^{P(M)}`, in the
    log domain (log O from a log-softmax)."""
    S = check_array("S", S, ndim=2)
    P = check_weights("P", P, S.shape[0])
    x = lam * S
    logO = x - special.logsumexp(x, axis=1, keepdims=True)
    lg = P @ logO
    return np.exp(lg - special.logsumexp(lg))


def variance_bound(E) -> float:
    r"""Section 5: :math:`\mathrm{Var}(O) \le E(O)(1 - E(O)) \le 1/4` — returns E(1 − E)."""
    E = np.asarray(E, dtype=float)
    return E * (1 - E)


# ------------------------------------------------------------------------------------------
# Section 6: ensemble errors
# ------------------------------------------------------------------------------------------


def squared_error(O, t):
    """Eq. 55, left: (t − O)²/2."""
    return 0.5 * (np.asarray(t, float) - np.asarray(O, float)) ** 2


def relative_entropy(O, t):
    """Eq. 55, right: −t log O − (1 − t) log(1 − O) (with 0 log 0 = 0)."""
    O = np.asarray(O, float)
    t = np.asarray(t, float)
    return -special.xlogy(t, O) - special.xlogy(1 - t, 1 - O)


ERRORS = {"squared": squared_error, "relative_entropy": relative_entropy}


def squared_error_nwgm_convex_range(t: float) -> tuple[float, float]:
    r"""Where :math:`x \mapsto (t - \sigma(x))^2/2` is convex, in terms of O = σ(x):
    :math:`-3O^2 + 2(1+t)O - t \ge 0`, i.e. O between
    :math:`[(1+t) \mp \sqrt{1 - t + t^2}]/3`."""
    t = check_real("t", t, lo=0.0, hi=1.0)
    r = math.sqrt(1 - t + t * t)
    return ((1 + t) - r) / 3, ((1 + t) + r) / 3


# ------------------------------------------------------------------------------------------
# Section 7.1: the functional class
# ------------------------------------------------------------------------------------------


def tanh_unit(x):
    """(1 + tanh x)/2 = 1/(1 + e^{−2x}) (Section 7.1)."""
    return 0.5 * (1 + np.tanh(np.asarray(x, float)))


def arctan_unit(x):
    """arctan rescaled to (0, 1): 1/2 + arctan(x)/π."""
    return 0.5 + np.arctan(np.asarray(x, float)) / math.pi


def algebraic_unit(x):
    """x/√(1 + x²) rescaled to (0, 1): (1 + x/√(1+x²))/2."""
    x = np.asarray(x, float)
    return 0.5 * (1 + x / np.sqrt(1 + x * x))


def eq60_sides(f, u: float, v: float, p: float, logf=None) -> tuple[float, float]:
    r"""Eq. 60: left :math:`\frac{f(u)^pf(v)^{1-p}}{f(u)^pf(v)^{1-p}+(1-f(u))^p(1-f(v))^{1-p}}`
    (in the log domain; ``logf(x)`` may return (log f, log(1 − f)) without rounding f next to 0
    or 1), right :math:`f(pu + (1-p)v)`."""
    if logf is None:
        fu, fv = float(f(u)), float(f(v))
        lu, l1u, lv, l1v = math.log(fu), math.log1p(-fu), math.log(fv), math.log1p(-fv)
    else:
        lu, l1u = (float(x) for x in logf(u))
        lv, l1v = (float(x) for x in logf(v))
    lg = p * lu + (1 - p) * lv
    lg1 = p * l1u + (1 - p) * l1v
    return float(special.expit(lg - lg1)), float(f(p * u + (1 - p) * v))


def eq61(fu: float, fv: float, u: float, v: float, x):
    r"""Eq. 61: :math:`f(x) = 1/(1 + (\frac{1-f(u)}{f(u)})^{\frac{v-x}{v-u}}
    (\frac{1-f(v)}{f(v)})^{\frac{x-u}{v-u}})`."""
    x = np.asarray(x, float)
    a = math.log((1 - fu) / fu)
    b = math.log((1 - fv) / fv)
    return special.expit(-(a * (v - x) + b * (x - u)) / (v - u))


def eq63_c(fu: float, fv: float, u: float, v: float) -> float:
    r"""Eq. 63: :math:`c = (\frac{1-f(u)}{f(u)})^{\frac{v}{v-u}}(\frac{1-f(v)}{f(v)})^{\frac{-u}{v-u}}`."""
    return math.exp(v / (v - u) * math.log((1 - fu) / fu) - u / (v - u) * math.log((1 - fv) / fv))


def eq64_lambda(fu: float, fv: float, u: float, v: float) -> float:
    r"""Eq. 64: :math:`\lambda = \frac{1}{v-u}\log(\frac{1-f(u)}{f(u)}\frac{f(v)}{1-f(v)})`."""
    return (math.log((1 - fu) / fu) + math.log(fv / (1 - fv))) / (v - u)


def eq66_rhs(fmv: float, fv: float) -> float:
    r"""Eq. 66, right side: :math:`((1-f(-v))/f(-v))^{1/2}((1-f(v))/f(v))^{1/2}`."""
    return math.sqrt((1 - fmv) / fmv) * math.sqrt((1 - fv) / fv)


def eq67(f0: float, fv: float, alpha: float) -> float:
    r"""Eq. 67: :math:`f(\alpha v) = 1/(1 + (\frac{1-f(0)}{f(0)})^{1-\alpha}
    (\frac{1-f(v)}{f(v)})^{\alpha})`."""
    return 1.0 / (1.0 + ((1 - f0) / f0) ** (1 - alpha) * ((1 - fv) / fv) ** alpha)


def eq60_left_direct(fu: float, fv: float, p: float) -> float:
    r"""Eq. 60's left side computed directly, so that f(u) or f(v) may be 0 or 1:
    :math:`f(u)^pf(v)^{1-p}/(f(u)^pf(v)^{1-p} + (1-f(u))^p(1-f(v))^{1-p})` with
    :math:`0^0 = 1`; NaN for 0/0 (the NWGM is then undefined)."""
    g = fu ** p * fv ** (1 - p)
    g1 = (1 - fu) ** p * (1 - fv) ** (1 - p)
    return float(g / (g + g1)) if g + g1 > 0 else math.nan


def class_member(x, c: float, lam: float, K: float | None = None):
    r"""A member of the class of Eq. 59: the constant K (``K`` given, 0 ≤ K ≤ 1) or the
    logistic :math:`1/(1 + ce^{-\lambda x})` (λ = 0: the constant 1/(1 + c))."""
    x = np.asarray(x, float)
    if K is not None:
        return np.full_like(x, float(K))
    return logistic(x, c, lam)


def logistic_derivatives(x, c: float = 1.0, lam: float = 1.0) -> np.ndarray:
    r"""The first three derivatives of :math:`f = 1/(1 + ce^{-\lambda x})` as polynomials in f:
    :math:`f' = \lambda f(1-f)`, :math:`f'' = \lambda^2f(1-f)(1-2f)`,
    :math:`f''' = \lambda^3f(1-f)(1-6f+6f^2)` (every derivative is a polynomial in f, hence
    f is infinitely differentiable). Returns shape (3,) + x.shape."""
    f = logistic(x, c, lam)
    g = f * (1 - f)
    return np.stack([lam * g, lam ** 2 * g * (1 - 2 * f), lam ** 3 * g * (1 - 6 * f + 6 * f * f)])


def class_limits(c: float, lam: float, K: float | None = None) -> tuple[float, float]:
    r"""Limits at −∞ and +∞ of a member of the class: K for a constant (λ = 0: 1/(1 + c)),
    (0, 1) for λ > 0 and (1, 0) for λ < 0 (c > 0)."""
    if K is not None:
        return float(K), float(K)
    if lam == 0:
        return 1 / (1 + c), 1 / (1 + c)
    return (0.0, 1.0) if lam > 0 else (1.0, 0.0)


# ------------------------------------------------------------------------------------------
# Section 7.2 and Appendix A: rectified linear units
# ------------------------------------------------------------------------------------------


def relu(S, lam: float = 1.0, t: float = 0.0):
    """Eq. 69: RL(S) = 0 if S ≤ t, λS − λt otherwise."""
    S = np.asarray(S, float)
    return np.where(S <= t, 0.0, lam * (S - t))


def relu_of_mean(mu: float, lam: float = 1.0) -> float:
    """Eq. 70: RL(E(S)) = 0 if μ ≤ 0 else λμ."""
    return 0.0 if mu <= 0 else lam * mu


def relu_gaussian_mean(mu, sigma, lam: float = 1.0):
    r"""Eq. 72: :math:`E(RL(S)) = \lambda\mu\Phi(\mu/\sigma) + \frac{\lambda\sigma}{\sqrt{2\pi}}
    e^{-\mu^2/2\sigma^2}` for S ~ N(μ, σ²)."""
    sigma = check_real("sigma", sigma, lo=0.0, lo_open=True)
    mu = np.asarray(mu, float)
    return lam * mu * special.ndtr(mu / sigma) + lam * sigma / SQRT_2PI * np.exp(-mu * mu / (2 * sigma ** 2))


def relu_gaussian_mean_quad(mu: float, sigma: float, lam: float = 1.0) -> tuple[float, float]:
    """Eq. 71, left integral, by adaptive quadrature: (value, error estimate). The integrand is
    non-negative, so the accuracy asked is relative only (epsabs = 0): far in the left tail the
    value is tiny (≈ 1e-60 at μ = −16σ) and an absolute tolerance would not resolve it."""
    f = lambda s: lam * s * stats.norm.pdf(s, mu, sigma)
    return integrate.quad(f, 0.0, np.inf, epsabs=0.0, epsrel=1e-12, limit=200)


def relu_gap_at_zero_mean(sigma: float, lam: float = 1.0) -> float:
    r"""Eq. 74: :math:`|E(RL(S)) - RL(E(S))| = \lambda\sigma/\sqrt{2\pi}` when μ = 0."""
    return lam * sigma / SQRT_2PI


def relu_gaussian_gap(mu, sigma, lam: float = 1.0):
    r"""E(RL(S)) − RL(E(S)) for S ~ N(μ, σ²), from Eq. 72 and Eq. 70:
    :math:`\lambda\sigma[\phi(r) - |r|\Phi(-|r|)]` with r = μ/σ (non-negative: RL is convex)."""
    r = np.asarray(mu, float) / sigma
    return lam * sigma * (np.exp(-r * r / 2) / SQRT_2PI - np.abs(r) * special.ndtr(-np.abs(r)))


def mills_tail(x):
    r"""Eq. 73: :math:`1 - \Phi(x) \approx \frac{1}{\sqrt{2\pi}}\frac{1}{x}e^{-x^2/2}`."""
    x = np.asarray(x, float)
    return np.exp(-x * x / 2) / (SQRT_2PI * x)


def softplus_integral(S, lam: float = 1.0):
    r"""Eq. 76: :math:`\int_{-\infty}^S \frac{dx}{1+e^{-\lambda x}} = \log(1 + e^{\lambda S})/\lambda`."""
    return np.logaddexp(0.0, lam * np.asarray(S, float)) / lam


def relu_uniform_gap(a: float, lam: float = 1.0) -> float:
    """Eq. 190: |RL(E(S)) − E(RL(S))| = λa/4 for S ~ U[−a, a]."""
    return lam * a / 4


def uniform_sd_as_printed(a: float) -> float:
    """Appendix A as printed: 'σ_S = a/3' for S uniform on [−a, a]."""
    return a / 3


def uniform_sd(a: float) -> float:
    """The standard deviation of U[−a, a]: a/√3."""
    return a / math.sqrt(3)


def piecewise_linear(x, knots, slopes, y0: float = 0.0):
    r"""A continuous piecewise-linear function (Sec. 7.2): value ``y0`` at ``knots[0]``, slope
    ``slopes[k]`` on the k-th piece (slopes has len(knots) + 1 entries: left of the first knot,
    between knots, right of the last)."""
    x = np.asarray(x, float)
    knots = np.asarray(knots, float)
    slopes = np.asarray(slopes, float)
    if slopes.size != knots.size + 1 or np.any(np.diff(knots) <= 0):
        raise ValueError("piecewise_linear needs increasing knots and len(knots) + 1 slopes")
    y = y0 + slopes[0] * (x - knots[0])
    for k in range(knots.size):
        y = y + (slopes[k + 1] - slopes[k]) * np.maximum(x - knots[k], 0.0)
    return y


def kink_gap_gaussian(delta_slope: float, sigma: float) -> float:
    r"""E(f(S)) − f(E(S)) for a single kink of slope change Δ at the mean of S ~ N(μ, σ²):
    :math:`\Delta\sigma/\sqrt{2\pi}` (Eq. 74 is the case Δ = λ). The gap is proportional to the
    change of slope (the "angle" between the pieces) and to σ."""
    return float(delta_slope * sigma / SQRT_2PI)


def curvature_gap_bound(sup_abs_f2: float, var: float) -> float:
    r"""Taylor's theorem with the Lagrange remainder: for twice-differentiable f,
    :math:`|E(f(S)) - f(E(S))| = |E(\tfrac12 f''(\xi)(S - E S)^2)| \le \tfrac12\sup|f''|\,\mathrm{Var}(S)`
    (Sec. 7.2: Eq. 68 holds when Var(S) is small relative to the curvature)."""
    return 0.5 * float(sup_abs_f2) * float(var)


def relu_discrete_gap(S, P, lam: float = 1.0) -> float:
    r"""Eq. 193 (Eq. 194 for P_i = 1/m): λΣ_{S_i>0}P_iS_i if ΣP_iS_i ≤ 0, else
    λΣ_{S_i≤0}P_i|S_i|."""
    S = np.asarray(S, float)
    P = np.asarray(P, float)
    if np.dot(P, S) <= 0:
        return float(lam * np.sum(P[S > 0] * S[S > 0]))
    return float(lam * np.sum(P[S <= 0] * np.abs(S[S <= 0])))


def relu_gap_mad_bound(S, P, lam: float = 1.0) -> float:
    r"""An upper bound of Eq. 193 by the spread of S: with μ = ΣP_iS_i, each branch of Eq. 193 is
    :math:`\lambda E(S-\mu)^{\pm}` at most, and :math:`E(S-\mu)^+ = E(S-\mu)^- = \tfrac12E|S-\mu|`,
    so :math:`|RL(E(S)) - E(RL(S))| \le \tfrac{\lambda}{2}E|S-\mu| \le \tfrac{\lambda}{2}\mathrm{sd}(S)`
    (Cauchy–Schwarz; the paper suggests Tchebycheff's inequality)."""
    S = np.asarray(S, float)
    P = np.asarray(P, float)
    mu = float(P @ S)
    return 0.5 * abs(lam) * math.sqrt(float(P @ (S - mu) ** 2))


# ------------------------------------------------------------------------------------------
# Section 8: bounds and approximations
# ------------------------------------------------------------------------------------------


def cartwright_field(O, P) -> tuple[float, float]:
    r"""Eq. 78 bounds on E − G: :math:`\frac{V}{2\max O}` and :math:`\frac{V}{2\min O}`."""
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    E = P @ O
    V = P @ (O - E) ** 2
    return V / (2 * O.max()), V / (2 * O.min())


def eq79_as_printed(O, P) -> tuple[float, float]:
    r"""Eq. 79 as printed: lower :math:`\frac{\max O - G}{2\max O}V`, upper
    :math:`\frac{\min O - G}{2\min O(\min O - E)}V`."""
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    E = P @ O
    V = P @ (O - E) ** 2
    G = math.exp(P @ np.log(O))
    mx, mn = O.max(), O.min()
    lo = (mx - G) / (2 * mx) * V
    hi = (mn - G) / (2 * mn * (mn - E)) * V if mn != E else 0.0
    return lo, hi


def eq79_lower_corrected(O, P) -> float:
    r"""Scale-consistent lower bound (the mirror image of Eq. 79's upper bound):
    :math:`\frac{\max O - G}{2\max O(\max O - E)}V`."""
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    E = P @ O
    V = P @ (O - E) ** 2
    G = math.exp(P @ np.log(O))
    mx = O.max()
    return (mx - G) / (2 * mx * (mx - E)) * V if mx != E else 0.0


def eq80(O, P) -> tuple[float, float]:
    r"""Eq. 80: :math:`\frac{1}{2\max O}\sum_ip_i(O_i-G)^2 \le E - G \le
    \frac{1}{2\min O}\sum_ip_i(O_i-G)^2`."""
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    G = math.exp(P @ np.log(O))
    s = P @ (O - G) ** 2
    return s / (2 * O.max()), s / (2 * O.min())


def extreme_means(O, P) -> dict:
    r"""G, G' and NWGM computed directly (not in the log domain), so that outputs may be exactly
    0 or 1 (Sec. 8, "Extreme cases"): :math:`G = \prod O_i^{P_i}`, :math:`G' = \prod (1 -
    O_i)^{P_i}` and NWGM = G/(G + G'), NaN when G = G' = 0 (0/0)."""
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    G = float(np.prod(O ** P))
    Gp = float(np.prod((1 - O) ** P))
    return {"E": float(P @ O), "G": G, "Gp": Gp,
            "NWGM": G / (G + Gp) if G + Gp > 0 else math.nan}


def second_order_nwgm(E, V):
    """Eq. 84 / 95: NWGM ≈ (E − V)/(1 − 2V)."""
    return (E - V) / (1 - 2 * V)


def second_order_gap(E, V):
    """Eq. 85 / 96: E − NWGM ≈ V(1 − 2E)/(1 − 2V)."""
    return V * (1 - 2 * E) / (1 - 2 * V)


def eq97_gap_as_printed(E, V):
    """Eq. 97 as printed: (1 − E) − G'/(G + G') ≈ V(1 − 2E)/(1 − 2V)."""
    return V * (1 - 2 * E) / (1 - 2 * V)


def eq97_gap_corrected(E, V):
    """Eq. 85, fourth expression: (1 − E) − G'/(G + G') ≈ V(2E − 1)/(1 − 2V)."""
    return V * (2 * E - 1) / (1 - 2 * V)


def eq87_chain(E, V):
    r"""The four members of Eq. 87: :math:`\frac{V|1-2E|}{1-2V}`,
    :math:`\frac{E(1-E)|1-2E|}{1-2V}`, :math:`\frac{E(1-E)|1-2E|}{1-2E(1-E)}`,
    :math:`2E(1-E)|1-2E|`."""
    E = np.asarray(E, float)
    V = np.asarray(V, float)
    a = np.abs(1 - 2 * E)
    return (V * a / (1 - 2 * V), E * (1 - E) * a / (1 - 2 * V),
            E * (1 - E) * a / (1 - 2 * E * (1 - E)), 2 * E * (1 - E) * a)


def fig81_curve(E):
    """Fig. 8.1: E(1 − E)|1 − 2E|/[1 − 2E(1 − E)]."""
    E = np.asarray(E, float)
    return E * (1 - E) * np.abs(1 - 2 * E) / (1 - 2 * E * (1 - E))


def fig82_curve(E):
    """Fig. 8.2: 2E(1 − E)|1 − 2E|."""
    E = np.asarray(E, float)
    return 2 * E * (1 - E) * np.abs(1 - 2 * E)


def fig81_argmax_printed() -> float:
    """Printed maximiser of the Fig. 8.1 curve on [0, 0.5]: 0.5 − √(√5 − 2)/2."""
    return 0.5 - math.sqrt(math.sqrt(5) - 2) / 2


def fig82_argmax_printed() -> float:
    """Printed maximiser of the Fig. 8.2 curve on [0, 0.5]: 0.5 − √3/6."""
    return 0.5 - math.sqrt(3) / 6


def argmax_on_half(f) -> float:
    """Maximiser of ``f`` on [0, 0.5] by bounded scalar optimisation (xatol 1e-12)."""
    res = optimize.minimize_scalar(lambda e: -float(f(e)), bounds=(0.0, 0.5), method="bounded",
                                   options={"xatol": 1e-12})
    return float(res.x)


EQ88_PRINTED = {"O1": "0.622459", "O2": "0.731059", "E": "0.676759", "G": "0.674577",
                "Gp": "0.318648", "NWGM": "0.679179", "E-G": "0.002182", "NWGM-E": "0.002420"}


# ------------------------------------------------------------------------------------------
# Appendix B: expansions around the mean and around 0 or 1
# ------------------------------------------------------------------------------------------


def eq199_G(E, V):
    """Eq. 199 (final): G ≈ E − V/(2E)."""
    return E - V / (2 * E)


def eq199_middle_as_printed(E, V):
    """Eq. 199 middle as printed: G = E[1 − V/E² + R₃] (without the remainder)."""
    return E * (1 - V / E ** 2)


def eq200_Gp(E, V):
    """Eq. 200: G' ≈ (1 − E) − V/(2(1 − E))."""
    return (1 - E) - V / (2 * (1 - E))


def eq202_nwgm(E, V):
    r"""Eq. 202: :math:`NWGM \approx (E - \frac{V}{2E})/(1 - \frac12\frac{V}{E(1-E)})`."""
    return (E - V / (2 * E)) / (1 - 0.5 * V / (E * (1 - E)))


def eq204_G(E, V):
    """Eq. 204: around one, G ≈ E − V/2."""
    return E - 0.5 * V


def eq205_Gp(E, V):
    """Eq. 205: around one, G' ≈ 1 − E − V/2."""
    return 1 - E - 0.5 * V


def eq207_nwgm(E, V):
    """Eq. 207: around one, NWGM ≈ (2E − V)/(2 − 2V)."""
    return (2 * E - V) / (2 - 2 * V)


def eq208_gap(E, V):
    """Eq. 208: E − NWGM ≈ −(E − 1/2)V/(1 − V)."""
    return -(E - 0.5) * V / (1 - V)


def eq211_nwgm_as_printed(E, V):
    """Eq. 211 as printed (around zero): NWGM ≈ (1 − E − 0.5V)/(1 − V)."""
    return (1 - E - 0.5 * V) / (1 - V)


def eq211_nwgm_corrected(E, V):
    """Eq. 207 with G and G' interchanged, written for NWGM: (E − 0.5V)/(1 − V)."""
    return (E - 0.5 * V) / (1 - V)


def f_app_b(E):
    """Appendix B.2: f(E) = E(1 − E)/(1 − E(1 − E)), max 1/3 at E = 0.5."""
    E = np.asarray(E, float)
    return E * (1 - E) / (1 - E * (1 - E))


# ------------------------------------------------------------------------------------------
# Appendix C and D: moments and derivatives
# ------------------------------------------------------------------------------------------


def eq213_nwgm_power(O, P, k: int) -> float:
    r"""Eq. 213, right: :math:`1/(1 + \prod_i(\frac{(1-O_i)(1+O_i+\dots+O_i^{k-1})}{O_i^k})^{P_i})`."""
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    poly = sum(O ** j for j in range(k))
    lr = P @ (np.log1p(-O) + np.log(poly) - k * np.log(O))
    return float(special.expit(-lr))


def eq214_middle_as_printed(O, P) -> float:
    r"""Eq. 214 middle as printed: :math:`1/(1 + \prod_i(\frac{(1-O_i)(1+O_i)}{O_i})^{P_i})`."""
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    return float(special.expit(-(P @ (np.log1p(-O) + np.log1p(O) - np.log(O)))))


def eq214_right(S, P, c: float = 1.0, lam: float = 1.0) -> float:
    r"""Eq. 214 right: :math:`1/(1 + ce^{-\lambda E(S)}\prod_i(2 + ce^{-\lambda S_i})^{P_i})`."""
    S = np.asarray(S, float)
    P = np.asarray(P, float)
    lr = math.log(c) - lam * (P @ S) + P @ np.log(2 + c * np.exp(-lam * S))
    return float(special.expit(-lr))


def eq216_as_printed(O, c: float = 1.0, lam: float = 1.0):
    """Eq. 216 as printed: S = (1/λ) cO/(1 − O)."""
    O = np.asarray(O, float)
    return c * O / (1 - O) / lam


def logistic_inverse(O, c: float = 1.0, lam: float = 1.0):
    """The inverse of Eq. 27: S = (1/λ) log(cO/(1 − O))."""
    O = np.asarray(O, float)
    return (math.log(c) + np.log(O) - np.log1p(-O)) / lam


def eq217_series(eps, c: float = 1.0, lam: float = 1.0, terms: int = 200):
    r"""Eq. 217: :math:`S = \frac1\lambda\log c + \frac1\lambda\sum_{n\ge0}2\frac{(2\epsilon)^{2n+1}}{2n+1}`."""
    eps = np.asarray(eps, float)
    n = np.arange(terms)[:, None]
    s = np.sum(2 * (2 * eps[None, ...]) ** (2 * n + 1) / (2 * n + 1), axis=0)
    return (math.log(c) + s) / lam


def dsigma(S, c: float = 1.0, lam: float = 1.0):
    """σ'(x) = λσ(1 − σ) = λce^{−λx}/(1 + ce^{−λx})² (Appendix D)."""
    s = logistic(S, c, lam)
    return lam * s * (1 - s)


def d2sigma_as_printed(S, c: float = 1.0, lam: float = 1.0):
    """Appendix D as printed: σ''(x) = λσ(1 − σ)(1 − 2σ)."""
    s = logistic(S, c, lam)
    return lam * s * (1 - s) * (1 - 2 * s)


def d2sigma(S, c: float = 1.0, lam: float = 1.0):
    """The second derivative of Eq. 27: λ²σ(1 − σ)(1 − 2σ)."""
    s = logistic(S, c, lam)
    return lam * lam * s * (1 - s) * (1 - 2 * s)


def eq221_ratio(S, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 221: :math:`(1-\sigma')/\sigma' = \frac{1}{\lambda c}e^{\lambda S} + \frac2\lambda - 1
    + \frac c\lambda e^{-\lambda S}`."""
    S = np.asarray(S, float)
    return np.exp(lam * S) / (lam * c) + 2 / lam - 1 + c / lam * np.exp(-lam * S)


def eq222_series(S, terms: int = 60):
    r"""Eq. 222 (c = λ = 1): :math:`3 + \sum_{n\ge1}2S^{2n}/(2n)!`."""
    S = np.asarray(S, float)
    n = np.arange(1, terms)[:, None]
    return 3 + np.sum(2 * S[None, ...] ** (2 * n) / special.factorial(2 * n), axis=0)


def eq223(ES2, lam: float = 1.0):
    """Eq. 223: E(σ'(S)) ≈ 1/(4 + λ²E(S²))."""
    return 1.0 / (4 + lam * lam * np.asarray(ES2, float))


def eq223_corrected(ES2, lam: float = 1.0):
    """Eq. 223 for c = 1 and any λ: E(σ'(S)) ≈ λ/(4 + λ²E(S²)) (σ'(S) = λ/(2 + 2cosh λS))."""
    return lam / (4 + lam * lam * np.asarray(ES2, float))


# ------------------------------------------------------------------------------------------
# Appendix E: distributions
# ------------------------------------------------------------------------------------------


def density_O_gaussian_S(o, mu: float, sigma: float, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 226: density of O = σ(S) for S ~ N(μ, σ²):
    :math:`\phi((s(o) - \mu)/\sigma)/\sigma \cdot \frac{1}{\lambda o(1-o)}` with
    :math:`s(o) = -\frac1\lambda\log\frac{1-o}{co}`."""
    o = np.asarray(o, float)
    s = -np.log((1 - o) / (c * o)) / lam
    return np.exp(-(s - mu) ** 2 / (2 * sigma ** 2)) / (SQRT_2PI * sigma) / (lam * o * (1 - o))


def cdf_O_gaussian_S(o, mu, sigma, c=1.0, lam=1.0):
    """The CDF of O: Φ((s(o) − μ)/σ) (the integral of Eq. 225 from −∞)."""
    o = np.asarray(o, float)
    s = -np.log((1 - o) / (c * o)) / lam
    return special.ndtr((s - mu) / sigma)


def eq225_as_printed(o, mu, sigma, c=1.0, lam=1.0):
    """Eq. 225 as printed: the Gaussian density integrated from 0 (not −∞) to s(o)."""
    o = np.asarray(o, float)
    s = -np.log((1 - o) / (c * o)) / lam
    return special.ndtr((s - mu) / sigma) - special.ndtr((0 - mu) / sigma)


def eq227(o):
    r"""Eq. 227 (μ = 0, λ = c = σ = 1): :math:`\frac{1}{\sqrt{2\pi}}(1-o)^{-1-\frac12\log\frac{1-o}{o}}
    o^{-1+\frac12\log\frac{1-o}{o}}`."""
    o = np.asarray(o, float)
    L = np.log((1 - o) / o)
    return (1 - o) ** (-1 - 0.5 * L) * o ** (-1 + 0.5 * L) / SQRT_2PI


def sum_moments(n: int, mu_w, var_w, mu_o, var_o) -> tuple[float, float]:
    """Eq. 228–229: E(S) = nμ_wμ_O, Var(S) = n[(σ_w²+μ_w²)(σ_O²+μ_O²) − μ_w²μ_O²]."""
    return n * mu_w * mu_o, n * ((var_w + mu_w ** 2) * (var_o + mu_o ** 2) - mu_w ** 2 * mu_o ** 2)


def density_S_beta_O(s, a: float, b: float, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 233: :math:`f_S(s) = \lambda B(a,b)\sigma(s)^a(1-\sigma(s))^b` with
    :math:`B(a,b) = \Gamma(a+b)/\Gamma(a)\Gamma(b)` (log domain)."""
    lo, l1 = log_logistic(s, c, lam)
    return lam * np.exp(-special.betaln(a, b) + a * lo + b * l1)


def eq234(s, a: float, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 234 (a = b): :math:`\lambda B(a,a)(ce^{-\lambda s}/(1+ce^{-\lambda s})^2)^a`."""
    s = np.asarray(s, float)
    x = lam * s - math.log(c)
    logr = -x - 2 * np.logaddexp(0, -x)
    return lam * np.exp(-special.betaln(a, a) + a * logr)


def logit_normal_modes(mu: float, sigma: float, c: float = 1.0, lam: float = 1.0) -> np.ndarray:
    r"""The modes of the density of O = σ(S), S ~ N(μ, σ²) (Eq. 226), as values of o.

    With x = λS − log c ~ N(m, s²) (m = λμ − log c, s = |λ|σ) and o = 1/(1 + e^{−x}),
    :math:`\log f_O = -\frac{(x-m)^2}{2s^2} - \log o(1-o) + \text{const}`, whose derivative in x is
    :math:`F'(x) = -(x - m)/s^2 + \tanh(x/2)`; the modes are the zeros of F' where it changes
    from + to −, found by bisection between the sign changes on a fine grid. Since
    :math:`F'' = -1/s^2 + 2o(1-o) \le -1/s^2 + 1/2`, the density is unimodal whenever s ≤ √2."""
    m = lam * mu - math.log(c)
    s = abs(lam) * sigma
    lo, hi = m - 12 * s - 4, m + 12 * s + 4
    x = np.linspace(lo, hi, 20_001)
    d = -(x - m) / s ** 2 + np.tanh(x / 2)
    idx = np.flatnonzero((d[:-1] > 0) & (d[1:] <= 0))
    fp = lambda t: -(t - m) / s ** 2 + math.tanh(t / 2)  # noqa: E731
    roots = [optimize.brentq(fp, x[k], x[k + 1]) if d[k + 1] < 0 else x[k + 1] for k in idx]
    return special.expit(np.asarray(roots, float))


def unimodal_spread_threshold(lam: float = 1.0) -> float:
    """The largest σ for which the density of Eq. 226 is unimodal for every μ and c: √2/|λ|
    (at λμ = log c it is bimodal beyond)."""
    return math.sqrt(2.0) / abs(lam)


def _logit_grid(m: float, s: float, width: float = 40.0, n: int = 8_001) -> np.ndarray:
    return np.linspace(m - 14 * s - width, m + 14 * s + width, n)


def nearest_beta(mu: float, sigma: float, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""The beta density closest in Hellinger distance to the density of Eq. 226.

    :math:`H^2 = 1 - \int\sqrt{f_Og}\,do`, computed in the logit variable x = λs − log c, where
    :math:`f_O\,do = \phi_{m,s}(x)\,dx` and a Beta(a, b) density becomes
    :math:`o^a(1-o)^b/B(a, b)\,dx`; minimised over (log a, log b) from the moment-matched beta.
    Returns ``a``, ``b``, ``hellinger`` (H ∈ [0, 1])."""
    m = lam * mu - math.log(c)
    s = abs(lam) * sigma
    x = _logit_grid(m, s)
    logphi = -0.5 * ((x - m) / s) ** 2 - math.log(s * SQRT_2PI)
    lo, l1 = -np.logaddexp(0, -x), -np.logaddexp(0, x)

    def h2(t):
        a, b = math.exp(t[0]), math.exp(t[1])
        logg = a * lo + b * l1 - special.betaln(a, b)
        return 1.0 - float(np.trapezoid(np.exp(0.5 * (logphi + logg)), x))

    o = special.expit(x)
    w = np.exp(logphi)
    E = float(np.trapezoid(w * o, x))
    V = float(np.trapezoid(w * (o - E) ** 2, x))
    k = max(E * (1 - E) / V - 1, 1e-3)
    t0 = np.log([max(E * k, 1e-3), max((1 - E) * k, 1e-3)])
    r = optimize.minimize(h2, t0, method="Nelder-Mead",
                          options={"xatol": 1e-9, "fatol": 1e-14, "maxiter": 4000})
    return {"a": float(math.exp(r.x[0])), "b": float(math.exp(r.x[1])),
            "hellinger": math.sqrt(max(float(r.fun), 0.0))}


def nearest_gaussian_eq233(a: float, b: float, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""The Gaussian density closest in Hellinger distance to Eq. 233,
    :math:`f_S(s) = \lambda B(a,b)\sigma(s)^a(1-\sigma(s))^b`; minimised over (μ, log σ) from the
    moment-matched Gaussian. Returns ``mu``, ``sigma``, ``hellinger``."""
    # in x = λs − log c the density is o^a(1 − o)^b / B(a, b) (a logistic-beta law)
    m0 = float(special.digamma(a) - special.digamma(b))
    s0 = math.sqrt(float(special.polygamma(1, a) + special.polygamma(1, b)))
    x = _logit_grid(m0, s0, width=60.0 / min(a, b, 1.0))
    logf = a * -np.logaddexp(0, -x) + b * -np.logaddexp(0, x) - special.betaln(a, b)

    def h2(t):
        mu, sd = t[0], math.exp(t[1])
        logg = -0.5 * ((x - mu) / sd) ** 2 - math.log(sd * SQRT_2PI)
        return 1.0 - float(np.trapezoid(np.exp(0.5 * (logf + logg)), x))

    r = optimize.minimize(h2, [m0, math.log(s0)], method="Nelder-Mead",
                          options={"xatol": 1e-9, "fatol": 1e-14, "maxiter": 4000})
    mu_x, sd_x = float(r.x[0]), math.exp(float(r.x[1]))
    return {"mu": (mu_x + math.log(c)) / lam, "sigma": sd_x / abs(lam),
            "hellinger": math.sqrt(max(float(r.fun), 0.0))}


# ------------------------------------------------------------------------------------------
# Appendix F: probit approximation
# ------------------------------------------------------------------------------------------

ALPHAS = {"cox": 0.607, "bowling": 1 / 1.702, "slope": math.sqrt(2 * math.pi) / 4}


def probit_max_error(alpha: float) -> tuple[float, float]:
    """max_S |σ(S) − Φ(αS)| (Eq. 235) and the S where it is attained: a grid of step 1e-3 on
    [0, 40] (the error is odd in S and below 1e-12 beyond) refined by bounded optimisation."""
    from scipy import optimize

    S = np.linspace(0.0, 40.0, 40001)
    err = np.abs(special.expit(S) - special.ndtr(alpha * S))
    i = int(np.argmax(err))
    f = lambda s: -abs(float(special.expit(s)) - float(special.ndtr(alpha * s)))
    r = optimize.minimize_scalar(f, bounds=(S[max(i - 1, 0)], S[min(i + 1, S.size - 1)]),
                                 method="bounded", options={"xatol": 1e-12})
    return -float(r.fun), float(r.x)


def probit_minimax_alpha() -> float:
    """The α minimising max_S |σ(S) − Φ(αS)| (the criterion behind 1/1.702, Camilli 1994, as
    used by Bowling et al. [15])."""
    from scipy import optimize

    r = optimize.minimize_scalar(lambda a: probit_max_error(a)[0], bounds=(0.55, 0.65),
                                 method="bounded", options={"xatol": 1e-10})
    return float(r.x)


def eq241_corrected(mu, sigma, alpha, c=1.0, lam=1.0) -> float:
    r"""Eq. 241 with the λ² of the corrected Eq. 239–240:
    :math:`1/(1 + e^{-(\lambda\mu_S - \log c)/\sqrt{1 + \lambda^2\sigma_S^2\alpha^2}})`."""
    return float(special.expit((lam * mu - math.log(c)) / math.sqrt(1 + (lam * sigma * alpha) ** 2)))


def _gauss_expect(g, mu: float, sigma: float, center: float) -> float:
    """E g(S) for S ~ N(μ, σ²) by adaptive quadrature in z = (S − μ)/σ, with a breakpoint where
    g changes fastest (``center``, in S units)."""
    zc = (center - mu) / sigma
    f = lambda z: g(mu + sigma * z) * math.exp(-0.5 * z * z) / SQRT_2PI
    pts = sorted({-40.0, max(-39.0, min(39.0, zc)), 40.0})
    tot = 0.0
    for a, b in zip(pts[:-1], pts[1:]):
        tot += integrate.quad(f, a, b, epsabs=1e-14, epsrel=1e-12, limit=400)[0]
    return tot


def logistic_gaussian_mean_quad(mu: float, sigma: float, c: float = 1.0, lam: float = 1.0):
    """E σ(S) for S ~ N(μ, σ²) by adaptive quadrature — the exact left side of Eq. 237's
    target E(O)."""
    c, lam = check_logistic(c, lam)
    return _gauss_expect(lambda s: float(special.expit(lam * s - math.log(c))), mu, sigma,
                         math.log(c) / lam)


def eq237_probit_integral(mu: float, sigma: float, alpha: float, c=1.0, lam=1.0) -> float:
    r"""Eq. 237 exactly: :math:`\int\Phi(\alpha(\lambda S - \log c))\,\mathcal N(S;\mu,\sigma^2)dS
    = \Phi(\alpha(\lambda\mu - \log c)/\sqrt{1 + \alpha^2\lambda^2\sigma^2})`."""
    return float(special.ndtr(alpha * (lam * mu - math.log(c)) / math.sqrt(1 + alpha ** 2 * lam ** 2 * sigma ** 2)))


def eq237_quad(mu, sigma, alpha, c=1.0, lam=1.0) -> float:
    """Eq. 237 by adaptive quadrature."""
    return _gauss_expect(lambda s: float(special.ndtr(alpha * (lam * s - math.log(c)))), mu, sigma,
                         math.log(c) / lam)


def eq240_as_printed(mu, sigma, alpha, c=1.0, lam=1.0) -> float:
    r"""Eq. 240 as printed: :math:`\Phi((\lambda\mu_S - \log c)/(\sigma_S^2 + \alpha^{-2}))`."""
    return float(special.ndtr((lam * mu - math.log(c)) / (sigma ** 2 + alpha ** -2)))


def eq241(mu, sigma, alpha, c=1.0, lam=1.0) -> float:
    r"""Eq. 241 (final): :math:`1/(1 + e^{-(\lambda\mu_S - \log c)/\sqrt{1 + \sigma_S^2\alpha^2}})`."""
    return float(special.expit((lam * mu - math.log(c)) / math.sqrt(1 + sigma ** 2 * alpha ** 2)))


def eq242(mu, sigma) -> float:
    """Eq. 242 (c = λ = 1, α² ≈ 0.368): 1/(1 + exp(−(1 + 0.368σ²)^{−1/2}μ))."""
    return float(special.expit(mu / math.sqrt(1 + 0.368 * sigma ** 2)))


def non_gaussian_example(eps: float) -> tuple[float, float]:
    r"""Appendix F's last paragraph: S = −1/ε w.p. 1 − ε and 1/ε³ w.p. ε (c = λ = 1).
    Returns (E(O), NWGM) = (Σ P σ(S), σ(E S))."""
    S = np.array([-1 / eps, 1 / eps ** 3])
    P = np.array([1 - eps, eps])
    return float(P @ special.expit(S)), float(special.expit(P @ S))


# ------------------------------------------------------------------------------------------
# Section 11: dropout dynamics (Eq. 139–165). The functions accept complex weights where noted
# so that derivatives can be taken by the complex step (exact to rounding).
# ------------------------------------------------------------------------------------------


def complex_step_grad(f, x, h: float = 1e-30) -> np.ndarray:
    r"""∂f/∂x_k = Im f(x + ih e_k)/h for every k: derivatives of a real-analytic ``f`` (built
    from +, ×, exp, log) exact to rounding, with no subtraction of nearby values."""
    x = np.asarray(x, dtype=float)
    cols = []
    for k in range(x.size):
        xc = x.astype(complex).ravel()
        xc[k] += 1j * h
        cols.append(np.imag(np.asarray(f(xc.reshape(x.shape)))) / h)
    g = np.stack(cols, axis=-1)
    # a scalar f gives the gradient in the shape of x; a vector f gives (len(f), x.size)
    return g.reshape(x.shape) if g.ndim == 1 else g


def _sigma_c(S, c: float = 1.0, lam: float = 1.0):
    """Eq. 27 for real or complex S (for complex-step derivatives)."""
    return 1.0 / (1.0 + c * np.exp(-lam * S))


def relative_entropy_c(O, t):
    """Eq. 156, E = −(t log O + (1 − t) log(1 − O)), for real or complex O."""
    return -(t * np.log(O) + (1 - t) * np.log(1 - O))


def two_layer_forward(W1, w2, I, m_in, m_hid, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""A logistic network with one hidden layer (Eq. 166 with T = 2): hidden
    :math:`O_k = \sigma(\sum_j W1_{kj} m^{in}_j I_j)`, output :math:`O = \sigma(\sum_k w2_k
    m^{hid}_k O_k)`. ``m_in`` (M, n) and ``m_hid`` (M, h) are masks (0/1: one subnetwork per
    row, Eq. 166) or keep probabilities (the ensemble approximation of Eq. 167). Weights may
    be complex. Returns S and O of both layers (rows: subnetworks)."""
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
    d_out = -lam * (t - fw["O2"])
    d_hid = d_out[:, None] * np.asarray(w2)[None, :] * np.atleast_2d(m_hid) * lam * fw["O1"] * (1 - fw["O1"])
    return {**fw, "d_out": d_out, "d_hid": d_hid}


def eq140_gradient(W1, w2, inputs, targets, masks, probs, n_in: int, c=1.0, lam=1.0) -> dict:
    r"""Eq. 140: :math:`\partial E_{TENS}/\partial w_{ij} = \sum_I\sum_{N:\delta_j=1}P(N)
    \,\partial f_w/\partial S_i\; O_j(N, I)` for every weight of the two-layer network, the sum
    running over the subnetworks (``masks`` (M, n_in + h), probabilities ``probs``) in which
    the presynaptic unit j is kept. Returns ``{"W1": (h, n), "w2": (h,)}``."""
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
    return 0.5 * (t - np.sum(p * w * I)) ** 2


def linear_dropout_error(w, I, t, delta):
    """Eq. 143: E_D = ½(t − Σ δ_iw_iI_i)² for each mask (rows of ``delta``; complex w allowed)."""
    return 0.5 * (t - np.atleast_2d(delta) @ (w * I)) ** 2


def eq144(w, I, t, p) -> np.ndarray:
    """Eq. 144: ∂E_ENS/∂w_i = −(t − O_ENS)p_iI_i."""
    return -(t - float(np.sum(p * w * I))) * p * I


def eq145_forms(w, I, t, delta) -> tuple[np.ndarray, np.ndarray]:
    r"""Eq. 145, both printed forms for each mask (rows): −(t − O_D)δ_iI_i and
    :math:`-t\delta_iI_i + w_i\delta_i^2I_i^2 + \sum_{j\ne i} w_j\delta_j\delta_iI_jI_i`."""
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
    a = w * I
    U = float(np.sum(p * a))
    cond = U - p * a + a
    first = -(t - cond) * p * I
    second = -t * p * I + w * p * I ** 2 + (U - p * a) * I
    third = -(t - U) * p * I + w * I ** 2 * p * (1 - p)
    return first, second, third


def eq147(w, I, t, p) -> np.ndarray:
    """Eq. 147: ∂E_ENS/∂w_i + w_i Var(δ_iI_i), Var(δ_iI_i) = I_i²p_i(1 − p_i)."""
    return eq144(w, I, t, p) + w * I ** 2 * p * (1 - p)


def eq148_error(w, I, t, p):
    """Eq. 148: the regularised ensemble error E_ENS + ½Σ w_i²I_i² Var δ_i (complex w allowed)."""
    return linear_ensemble_error(w, I, t, p) + 0.5 * np.sum(w ** 2 * I ** 2 * p * (1 - p))


# -- Section 11.3: deep linear networks -----------------------------------------------------


def deep_linear_forward(W, n_in: int, I, gates):
    r"""Sums :math:`S_i = \sum_j W_{ij}g_jS_j` of a linear DAG (units in topological order,
    :math:`S_j = I_j` for the ``n_in`` inputs) for each row of ``gates`` (M, N): 0/1 dropout
    masks (Eq. 21–22) or keep probabilities (the ensemble network, Eq. 24). Complex W allowed.
    Returns S (M, N)."""
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


# -- Section 11.4: a single sigmoidal unit --------------------------------------------------


def eq157_dE_dO(O, t):
    """Eq. 157: ∂E/∂O = −t/O + (1 − t)/(1 − O) for the relative entropy (Eq. 156)."""
    return -t / O + (1 - t) / (1 - O)


def eq158(O, t, lam: float = 1.0):
    """Eq. 158: ∂E/∂S = −λ(t − O) (times ∂S/∂w)."""
    return -lam * (t - O)


def eq159_forms(w, I, t, p, c=1.0, lam=1.0, *, as_printed: bool = True):
    r"""Eq. 159: −λ(t − W)p_iI_i = −λ(t − σ(U))p_iI_i = ±λ(t − σ(Σ w_jp_jI_j))p_iI_i, the last
    form with the printed sign + (``as_printed``) or the sign of the others (−)."""
    U = float(np.sum(w * p * I))
    Wo = float(logistic(U, c, lam))
    last = lam * (t - Wo) * p * I
    return -lam * (t - Wo) * p * I, -lam * (t - Wo) * p * I, last if as_printed else -last


def eq160_forms(w, I, t, delta, c=1.0, lam=1.0, *, as_printed: bool = True):
    """Eq. 160 for each mask (rows): −λ(t − O)δ_iI_i and ±λ(t − σ(Σ w_jδ_jI_j))δ_iI_i."""
    d = np.atleast_2d(delta).astype(float)
    O = logistic(d @ (w * I), c, lam)
    first = -lam * (t - O)[:, None] * d * I
    return first, (-first if as_printed else first)


def eq161(EO_given_kept, t, p, I, lam=1.0):
    """Eq. 161: E(∂E_D/∂w_i) = −λ(t − E[σ(S) | δ_i = 1])p_iI_i (``EO_given_kept`` per i)."""
    return -lam * (t - np.asarray(EO_given_kept)) * p * I


def eq162_forms(w, I, t, p, c=1.0, lam=1.0):
    r"""Eq. 162, its two forms: −λ(t − σ(Σ_j w_jp_jI_j − w_ip_iI_i + w_iI_i))p_iI_i and
    −λ(t − σ(U + I_iw_i(1 − p_i)))p_iI_i."""
    a = w * I
    U = float(np.sum(p * a))
    first = -lam * (t - logistic(U - p * a + a, c, lam)) * p * I
    second = -lam * (t - logistic(U + I * w * (1 - p), c, lam)) * p * I
    return first, second


def sigma_prime_printed(S, c=1.0, lam=1.0):
    """The text after Eq. 163: σ'(x) = σ(x)(1 − σ(x)) (the derivative only for λ = 1)."""
    s = logistic(S, c, lam)
    return s * (1 - s)


def eq163(w, I, t, p, c=1.0, lam=1.0, dsig=None):
    """Eq. 163: −λ(t − σ(U) − σ'(U)I_iw_i(1 − p_i))p_iI_i, with σ' = ``dsig`` (default: the
    printed σ(1 − σ))."""
    dsig = sigma_prime_printed if dsig is None else dsig
    U = float(np.sum(w * p * I))
    return -lam * (t - float(logistic(U, c, lam)) - float(dsig(U, c, lam)) * I * w * (1 - p)) * p * I


def eq164_regulariser(w, I, p, c=1.0, lam=1.0, dsig=None):
    """Eq. 164's regularisation term λσ'(U)w_iI_i²Var(δ_i) (= λσ'(U)w_i Var(δ_iI_i)), σ' = ``dsig``
    (default: the printed σ(1 − σ))."""
    dsig = sigma_prime_printed if dsig is None else dsig
    U = float(np.sum(w * p * I))
    return lam * float(dsig(U, c, lam)) * w * I ** 2 * p * (1 - p)


def eq165_regulariser(w, I, p, c=1.0, lam=1.0, *, as_printed: bool = True):
    r"""Eq. 165's regulariser :math:`\tfrac12\lambda\sigma'(U)\sum_i w_i^2I_i^2\mathrm{Var}(\delta_i)`
    for real or complex w (so its gradient can be taken by the complex step); σ' = σ(1 − σ) as
    printed, or the derivative λσ(1 − σ)."""
    U = np.sum(w * p * I)
    s = _sigma_c(U, c, lam)
    ds = s * (1 - s) * (1.0 if as_printed else lam)
    return 0.5 * lam * ds * np.sum(w ** 2 * I ** 2 * p * (1 - p))


def sigmoid_ensemble_error(w, I, t, p, c=1.0, lam=1.0):
    """E_ENS of Section 11.4: the relative entropy of W = σ(Σ w_jp_jI_j) (complex w allowed)."""
    return relative_entropy_of_S(np.sum(w * p * I), t, c, lam)


def eq146_middle_corrected(w, I, t, p) -> np.ndarray:
    r"""Eq. 146's middle form with the factor :math:`p_i` of the cross terms
    (:math:`E(\delta_j\delta_i) = p_jp_i`): :math:`-tp_iI_i + w_ip_iI_i^2 + p_i\sum_{j\ne i}
    w_jp_jI_jI_i`."""
    a = w * I
    U = float(np.sum(p * a))
    return -t * p * I + w * p * I ** 2 + p * (U - p * a) * I


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
    x = lam * np.asarray(S) - math.log(c)
    return _softplus_c(-x) + (1 - t) * x


# -- Section 11.5: the top layer of a deep logistic network (Eq. 176–182) --------------------
# σ' is the derivative of Eq. 27, λσ(1 − σ) (dsigma); Y_j = δ_jO_j, S_ij = S_i^T − w_ijY_j.


def eq176_forms(S, Y, w, t, c=1.0, lam=1.0):
    """Eq. 176 per mask: −λ(t − O^T)Y_j, −λ(t − σ(S^T))Y_j, −λ(t − σ(S_ij + w_ijY_j))Y_j."""
    O = logistic(S, c, lam)
    Sij = S - w * Y
    return (-lam * (t - O) * Y, -lam * (t - logistic(S, c, lam)) * Y,
            -lam * (t - logistic(Sij + w * Y, c, lam)) * Y)


def eq177(S, Y, w, t, c=1.0, lam=1.0):
    """Eq. 177: −λ(t − σ(S_ij) − σ'(S_ij)w_ijY_j)Y_j (first-order Taylor in w_ijY_j)."""
    Sij = S - w * Y
    return -lam * (t - logistic(Sij, c, lam) - dsigma(Sij, c, lam) * w * Y) * Y


def eq178(E_sig, E_dsig, EO2, Wj, pj, w, t, lam=1.0):
    """Eq. 178: −λ(t − E σ(S_ij))p_jW_j + λE(σ'(S_ij))w_ijp_jE(O_jO_j)."""
    return -lam * (t - E_sig) * pj * Wj + lam * E_dsig * w * pj * EO2


def eq179(WT, UT, E_dsig, EO2, Wj, pj, w, t, c=1.0, lam=1.0):
    """Eq. 179 (= Eq. 180 with its A): −λ(t − W^T)p_jW_j + w_ijλ(E(σ'(S_ij))p_jE(O_jO_j) −
    σ'(U^T)(p_jW_j)²)."""
    return (-lam * (t - WT) * pj * Wj
            + w * lam * (E_dsig * pj * EO2 - float(dsigma(UT, c, lam)) * (pj * Wj) ** 2))


def eq181(WT, UT, varY, Wj, pj, w, t, c=1.0, lam=1.0):
    """Eq. 181: −λ(t − W^T)p_jW_j + w_ijλσ'(U^T)Var(δ_jO_j)."""
    return -lam * (t - WT) * pj * Wj + w * lam * float(dsigma(UT, c, lam)) * varY


def eq182(WT, UT, Wj, pj, w, t, c=1.0, lam=1.0, *, corrected: bool = False):
    """Eq. 182: (−λ(t − W^T) + λw_ijσ'(U^T)(1 − p_jW_j))p_jW_j, from A ≈ σ'(U)p_jW_j(1 − p_jW_j)
    (E(O_jO_j) ≈ W_j); ``corrected``: with E(O_jO_j) ≈ W_j², i.e. (1 − p_j)W_j in place of
    (1 − p_jW_j) — λσ'(U)w_ij times p_j(1 − p_j)W_j² ≈ Var(δ_jO_j)."""
    f = (1 - pj) * Wj if corrected else 1 - pj * Wj
    return (-lam * (t - WT) + lam * w * float(dsigma(UT, c, lam)) * f) * pj * Wj


def eq183_forms(B, X, delta_i, probs, p_i: float) -> dict:
    r"""Eq. 183 for a weight w_ij^{hl} below the top, from per-subnetwork values of the
    backpropagated error :math:`B = \sum_k \partial E_D/\partial S_k\, w_{ki}` and of the local
    term :math:`X = \delta_i\sigma'(S_i)\delta_jO_j` (with their probabilities): the exact
    E(∂E_D/∂w) = E(BX), the printed forms E(Bδ_i)E(X) and E(B)p_iE(X) (δ_i counted in both
    factors), and the corrected E(B)E(X) (δ_i, a factor of ∂E_D/∂S_i = Bδ_iσ'(S_i), once)."""
    EB, EX = float(probs @ B), float(probs @ X)
    return {"exact": float(probs @ (B * X)), "printed_first": float(probs @ (B * delta_i)) * EX,
            "printed_second": EB * p_i * EX, "corrected": EB * EX}


def eq185(Ui: float, wij: float, pj: float, EOj: float, c=1.0, lam=1.0) -> float:
    """Eq. 185's approximation E(σ'(S_ij)) ≈ σ'(U_i) − σ''(U_i)p_jw_ijE(O_j) (σ', σ'' the
    derivatives of Eq. 27)."""
    return float(dsigma(Ui, c, lam) - d2sigma(Ui, c, lam) * pj * wij * EOj)


def eq186_w_terms(Ui, wij, pi, pj, EOj, EOj2, E_d2sig, c=1.0, lam=1.0) -> float:
    """Eq. 186 minus its first term p_ip_jσ'(U_i)E(O_j): p_ip_j[−σ''(U_i)p_jw_ijE(O_j)² +
    E(σ''(S_ij))w_ijE(O_jO_j)]."""
    return float(pi * pj * (-d2sigma(Ui, c, lam) * pj * wij * EOj ** 2 + E_d2sig * wij * EOj2))


def eq187_w_term(Ui, wij, pi, varY, c=1.0, lam=1.0) -> float:
    """Eq. 187 minus its first term: p_iσ''(U_i)w_ij Var(δ_jO_j)."""
    return float(pi * d2sigma(Ui, c, lam) * wij * varY)


# ------------------------------------------------------------------------------------------
# Section 9.5–9.6: the deterministic ensemble of a layered logistic network (Eq. 98, 121, 122)
# ------------------------------------------------------------------------------------------


def ensemble_network(Ws, bs, ps, I) -> list[np.ndarray]:
    r"""Eq. 98 for a layered logistic network with biases: the deterministic ensemble values
    :math:`W^l = \sigma(U^l)`, :math:`U^l = W_l (p_{l-1} W^{l-1}) + b_l`, with
    :math:`W^0 = I` (the input) and ``ps[l]`` the keep probability of the units feeding layer
    l + 1 (weights scaled by p, biases never dropped). ``Ws[l]`` has shape (n_{l+1}, n_l).
    ``I`` may be one input (n_0,) or a batch (B, n_0). Returns ``[U^1, W^1, …]`` as two lists:
    ``{"U": [...], "W": [...]}`` layer by layer."""
    a = np.asarray(I, float)
    U, Wd = [], []
    for W, b, p in zip(Ws, bs, ps):
        u = (p * a) @ np.asarray(W, float).T + b
        a = logistic(u)
        U.append(u)
        Wd.append(a)
    return {"U": U, "W": Wd}


def eq121_removed(U_i, w_ij, p_j, W_j):
    r"""Eq. 121: :math:`W_{ij}^{lh} = \sigma(\sum_{k \ne j} w_{ik} p_k W_k) = \sigma(U_i - w_{ij}
    p_j W_j)` — the deterministic activation of i with j removed from its inputs. In a layered
    network nothing else changes (j's other targets do not feed i), so this is exact forward
    propagation of the ensemble network without the edge j → i."""
    return logistic(np.asarray(U_i, float) - np.asarray(w_ij, float) * p_j * np.asarray(W_j, float))


def eq122_removed_taylor(U_i, w_ij, p_j, W_j):
    r"""Eq. 122: :math:`W_{ij}^{lh} \approx W_i - \sigma'(U_i) w_{ij} p_j W_j` (first order)."""
    U_i = np.asarray(U_i, float)
    return logistic(U_i) - dsigma(U_i) * np.asarray(w_ij, float) * p_j * np.asarray(W_j, float)


def eq117_var(Wv):
    """Eq. 117: Var(O) ≈ W(1 − W) (E(O²) ≈ W), a rough upper bound."""
    Wv = np.asarray(Wv, float)
    return Wv * (1 - Wv)


def eq118_var(Wv):
    """Eq. 118: Var(O) ≈ 0 (E(O²) ≈ W²), a rough lower bound."""
    return np.zeros_like(np.asarray(Wv, float))


def eq119_pair(W_i, W_j):
    """Eq. 119: E(O_i O_j) ≈ W_i W_j (independence)."""
    return np.asarray(W_i, float) * np.asarray(W_j, float)


def eq124_pair(W_ij, W_j):
    """Eq. 124: E(O_i O_j) ≈ W_ij W_j for a connection j → i (leading term)."""
    return np.asarray(W_ij, float) * np.asarray(W_j, float)


def eq220_dsigma(ES):
    """Eq. 220: E(σ'(S)) ≈ σ'(E(S))."""
    return dsigma(ES)


# ------------------------------------------------------------------------------------------
# Section 10: spiking neurons and backpercolation (Eq. 125–138)
# ------------------------------------------------------------------------------------------


def eq135_136_spike_moments(O, P, r: float) -> dict:
    r"""Signal of a spiking neuron (spike of size r with probability O), Eq. 135–136.

    For fixed O (values ``O`` with law ``P``): mean :math:`rO`, variance :math:`r^2O(1-O)`;
    over the spiking configurations: mean :math:`rE(O)`, variance :math:`r^2E(O)(1-E(O))`."""
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    E = float(P @ O)
    return {"inst_mean": r * O, "inst_var": r * r * O * (1 - O),
            "mean": r * E, "var": r * r * E * (1 - E)}


def eq137_138_dropout_moments(O, P, r: float) -> dict:
    r"""Signal of a dropout neuron (sends O with probability r), Eq. 137–138.

    For fixed O: mean :math:`rO`, variance :math:`O^2r(1-r)`; over the dropout
    configurations: mean :math:`rE(O)`, variance :math:`r\,\mathrm{Var}(O) + E(O)^2r(1-r)`."""
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    E = float(P @ O)
    V = float(P @ (O - E) ** 2)
    return {"inst_mean": r * O, "inst_var": O * O * r * (1 - r),
            "mean": r * E, "var": r * V + E * E * r * (1 - r)}


def eq133_ensemble_forward(W1, w2, O_in, r_in, r_h, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""The third network of Fig. 10.2 (Eq. 132–134): deterministic logistic propagation with
    every weight multiplied by the spike size (or keep probability) of its presynaptic unit,
    :math:`W_i = \sigma(\sum_j w_{ij}r_jW_j)`; the inputs' W are their firing probabilities.
    ``r_in`` may be a matrix (connection-specific sizes :math:`r_{ij}`, Eq. 134)."""
    W1 = np.asarray(W1, float)
    r_in = np.asarray(r_in, float)
    U1 = (W1 * r_in) @ O_in if r_in.ndim == 2 else W1 @ (r_in * O_in)
    Wh = logistic(U1, c, lam)
    U2 = float(np.asarray(w2, float) @ (np.asarray(r_h, float) * Wh))
    return {"U1": U1, "W1": Wh, "U2": U2, "W2": float(logistic(U2, c, lam))}


def backprop_input_gradient(Ws, I, c: float = 1.0, lam: float = 1.0) -> np.ndarray:
    r"""∂O_out/∂I of a layered logistic network (weights ``Ws``, last one a vector) by
    backpropagation: the error signal is multiplied by :math:`W^T` and by the derivatives
    :math:`\sigma'(S) = \lambda\sigma(1-\sigma)` at each node (Sec. 10.2)."""
    a = np.asarray(I, float)
    ds = []
    for W in Ws:
        S = np.atleast_1d(np.asarray(W, float) @ a)
        a = logistic(S, c, lam)
        ds.append(lam * a * (1 - a))
    g = ds[-1]
    for W, d in zip(Ws[::-1], ds[-2::-1] + [None]):
        g = np.atleast_2d(np.asarray(W, float)).T @ np.atleast_1d(g)
        if d is not None:
            g = g * d
    return np.asarray(g, float).ravel()


def node_derivatives(Ws, I, c: float = 1.0, lam: float = 1.0) -> list:
    """σ'(S) at every node of every layer of the network of :func:`backprop_input_gradient`."""
    a = np.asarray(I, float)
    ds = []
    for W in Ws:
        S = np.atleast_1d(np.asarray(W, float) @ a)
        a = logistic(S, c, lam)
        ds.append(lam * a * (1 - a))
    return ds


def reverse_linear_dropout(Ws, masks) -> np.ndarray:
    r"""One backpercolation pass: the reverse *linear* network (transposed weights) with node
    selectors ``masks`` (one 0/1 vector per layer) in place of the derivatives, from a unit
    signal at the output down to the inputs (Sec. 10.2)."""
    g = np.atleast_1d(np.asarray(masks[-1], float))
    for k in range(len(Ws) - 1, -1, -1):
        g = np.atleast_2d(np.asarray(Ws[k], float)).T @ g
        if k > 0:
            g = g * masks[k - 1]
    return np.asarray(g, float).ravel()


# ------------------------------------------------------------------------------------------
# Section 9: sampling distributions of E and NWGM (Eq. 103–108)
# ------------------------------------------------------------------------------------------


def sample_e_nwgm(O) -> dict:
    r"""Mean :math:`E_S`, variance :math:`V_S` (1/m) and NWGM of each row of ``O`` (samples of
    m values with equal weights 1/m, Section 9.2), the NWGM in the log domain."""
    O = np.atleast_2d(np.asarray(O, float))
    E = O.mean(1)
    V = ((O - E[:, None]) ** 2).mean(1)
    N = special.expit(np.log(O).mean(1) - np.log1p(-O).mean(1))
    return {"E": E, "V": V, "NWGM": N}


def eq105_as_printed(var_e, var_n, cov) -> float:
    """Eq. 105 as printed: Var(E_S − NWGM_S) = Var E_S + Var NWGM_S + 2 Cov."""
    return float(var_e + var_n + 2 * cov)


def eq105_corrected(var_e, var_n, cov) -> float:
    """Var(E_S − NWGM_S) = Var E_S + Var NWGM_S − 2 Cov(E_S, NWGM_S)."""
    return float(var_e + var_n - 2 * cov)


def eq106_integrand(E_S, V_S):
    r"""The right side of Eq. 106 (with :math:`E_S` for the printed E):
    :math:`(E_S - \tfrac12)^2/(1 - 2V_S)`."""
    E_S = np.asarray(E_S, float)
    return (E_S - 0.5) ** 2 / (1 - 2 * np.asarray(V_S, float))


def eq107_integrand(E_S, V_S, E: float, V: float, *, as_printed: bool = True):
    r"""The right side of Eq. 107, :math:`[(E - E_S)^2 + (V - V_S)(E_S - E)]/((1-2V_S)(1-2V))`;
    corrected: the numerator gains :math:`2(EV_S - VE_S)(E_S - E)` (the exact expansion of
    :math:`[(E_S - V_S)/(1 - 2V_S) - (E - V)/(1 - 2V)](E_S - E)`)."""
    E_S = np.asarray(E_S, float)
    V_S = np.asarray(V_S, float)
    num = (E - E_S) ** 2 + (V - V_S) * (E_S - E)
    if not as_printed:
        num = num + 2 * (E * V_S - V * E_S) * (E_S - E)
    return num / ((1 - 2 * V_S) * (1 - 2 * V))


def nwgm_taylor_half(E_S, V_S):
    """The second-order NWGM around ½ used in Section 9.4: (E_S − V_S)/(1 − 2V_S)."""
    E_S = np.asarray(E_S, float)
    V_S = np.asarray(V_S, float)
    return (E_S - V_S) / (1 - 2 * V_S)


def logit_law_moments(kind: str, a: float, b: float, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""Moments of O and S = σ^{-1}(O) (c = λ = 1 by default) for O uniform on [a, b]
    (``kind="u"``) or normal N(a, b²) restricted to (0, 1) (``kind="n"``), by quadrature, and
    the large-m limits of Section 9.3–9.4 (delta method, NWGM(O_S) = σ(E(S_S))):
    m·Var E_S → σ_O², E NWGM_S → σ(μ_S), m·Var NWGM_S → t²σ_S², m·Cov → t Cov(O, S),
    corr → Cov(O, S)/(σ_Oσ_S), with t = σ'(μ_S)."""
    from scipy import integrate as _int
    if kind == "u":
        dens = lambda o: 1.0 / (b - a)  # noqa: E731
        lo, hi = max(a, 0.0), min(b, 1.0)
    else:
        Z = stats.norm.cdf((1 - a) / b) - stats.norm.cdf(-a / b)
        dens = lambda o: stats.norm.pdf(o, a, b) / Z  # noqa: E731
        lo, hi = 0.0, 1.0
    pts = [a] if kind == "n" else None

    def ex(f):
        return _int.quad(lambda o: f(o) * dens(o), lo, hi, points=pts, limit=200,
                         epsabs=1e-13, epsrel=1e-11)[0]

    s = lambda o: float(logistic_inverse(o, c, lam))  # noqa: E731
    mO = ex(lambda o: o)
    vO = ex(lambda o: (o - mO) ** 2)
    mS = ex(s)
    vS = ex(lambda o: (s(o) - mS) ** 2)
    cOS = ex(lambda o: (o - mO) * (s(o) - mS))
    t = float(dsigma(mS, c, lam))
    return {"mu_O": mO, "var_O": vO, "mu_S": mS, "var_S": vS, "cov_OS": cOS, "t": t,
            "nwgm_mean": float(logistic(mS, c, lam)), "m_var_nwgm": t * t * vS,
            "m_cov": t * cOS, "corr": cOS / math.sqrt(vO * vS)}


def eq98_ensemble_network(Ws, I, ps, c: float = 1.0, lam: float = 1.0) -> list:
    r"""Eq. 98: the deterministic variables of the ensemble network,
    :math:`W_i^l = \sigma(\sum_j w_{ij}^{l} p_j W_j)` layer by layer (``ps[k]``: keep
    probabilities of the units feeding ``Ws[k]``; the inputs' W are I). Returns [W^1, …]."""
    a = np.asarray(I, float)
    out = []
    for W, p in zip(Ws, ps):
        a = np.atleast_1d(logistic(np.asarray(W, float) @ (np.asarray(p, float) * a), c, lam))
        out.append(a)
    return out


# ------------------------------------------------------------------------------------------
# Sections 9.5–9.6: the dropout induction across layers; variances and covariances (Eq. 109–124)
# ------------------------------------------------------------------------------------------


def eq109_rhs(W, p, EO_prev, eps_prev, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 109: :math:`W_i^{l+1} = \sigma(\sum_j w_{ij} p_j [E(O_j^h) - \epsilon_j^h])`."""
    W = np.atleast_2d(np.asarray(W, float))
    return logistic(W @ (np.asarray(p, float) * (np.asarray(EO_prev, float)
                                                 - np.asarray(eps_prev, float))), c, lam)


def eq112_beta_first_order(ES, W, p, eps_prev, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 112 (first-order Taylor of Eq. 109 around E(S)):
    :math:`\beta_i^{l+1} \approx \sigma'(E(S_i^{l+1}))\sum_j w_{ij} p_j \epsilon_j^h`.
    Eq. 110–111 are the same expansion: :math:`W \approx \mathrm{NWGM} - \beta`."""
    W = np.atleast_2d(np.asarray(W, float))
    return dsigma(ES, c, lam) * (W @ (np.asarray(p, float) * np.asarray(eps_prev, float)))


def eq114_var_beta(dsig_sq, w, p, cov_eps, *, as_printed: bool = True) -> float:
    r"""Eq. 114: :math:`\mathrm{Var}(\beta_i) \approx [\sigma'(E(S_i))]^2\sum_j w_{ij}^2 p_j^2
    \mathrm{Var}(\epsilon_j)` (as printed: the ε_j treated as independent, only the diagonal
    of their covariance matrix ``cov_eps``). ``as_printed=False``: the variance of the
    first-order term of Eq. 112 with the covariances kept,
    :math:`[\sigma']^2 (w\circ p)^\top C_\epsilon (w\circ p)`."""
    v = np.asarray(w, float) * np.asarray(p, float)
    C = np.atleast_2d(np.asarray(cov_eps, float))
    return float(dsig_sq) * float(v @ (np.diag(np.diag(C)) if as_printed else C) @ v)


def variance_bound_mean(EO):
    """The bound Var(O) ≤ E(O)(1 − E(O)) of any variable with values in [0, 1] (the corrected
    form of the upper bound after Eq. 118: E(O²) ≤ E(O) since O² ≤ O)."""
    EO = np.asarray(EO, float)
    return EO * (1 - EO)


def eq120_taylor(A, w_ij, delta_O_j, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 120: :math:`O_i \approx \sigma(A) + \sigma'(A) w_{ij}\delta_j O_j` with A the sum
    over the other inputs of unit i (first-order Taylor in :math:`w_{ij}\delta_jO_j`)."""
    return logistic(A, c, lam) + dsigma(A, c, lam) * float(w_ij) * np.asarray(delta_O_j, float)


def eq121_removed_from_row(w_row, p, W_prev, j: int, c: float = 1.0, lam: float = 1.0) -> float:
    r"""Eq. 121: :math:`W_{ij}^{lh} = \sigma(\sum_{k\neq j} w_{ik} p_k W_k)`, the ensemble
    activation of unit i with unit j removed from its inputs."""
    v = np.asarray(w_row, float) * np.asarray(p, float) * np.asarray(W_prev, float)
    return float(logistic(v.sum() - v[j], c, lam))


def eq122(W_i: float, U_i: float, w_ij: float, p_j: float, W_j: float,
          c: float = 1.0, lam: float = 1.0) -> float:
    r"""Eq. 122: :math:`W_{ij}^{lh} \approx W_i^l - \sigma'(U_i^l) w_{ij} p_j W_j^h`."""
    return float(W_i - dsigma(U_i, c, lam) * w_ij * p_j * W_j)


def eq123(W_ij: float, W_j: float, X: float, w_ij: float, p_j: float, EOjOj: float) -> float:
    r"""Eq. 123: :math:`E(O_iO_j) \approx W_{ij}W_j + X\,w_{ij}p_jE(O_jO_j)`. As printed
    X = E(σ(A)); the first-order term of Eq. 120 gives X = E(σ'(A)) (the correction)."""
    return float(W_ij * W_j + X * w_ij * p_j * EOjOj)
