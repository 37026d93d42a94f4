"""Sections 2–3 of Baldi & Sadowski: a single linear unit, a single linear layer and deep linear
networks (Eq. 1–26), with the pairwise-but-not-independent selectors of Sec. 2.2.

Deep linear networks are described by a :class:`LayeredNet`: units numbered in topological
order, ``layer[k]`` the layer of unit k (inputs are layer 0), and a dense weight matrix ``W``
with ``W[i, j] ≠ 0`` only when ``layer[j] < layer[i]`` (skip connections allowed, Eq. 21)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dropmc._validation import check_array, check_int, check_probability, check_real
from dropmc.theory.ensemble_averaging._shared import _probs


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
    :math:`1 + \binom{n-1}{1} + \dots + \binom{n-1}{n-1} = 2^{n-1}` (the left side, summed;
    n ≤ 4096, where the sum of n big binomials takes about a second)."""
    n = check_int("n", n, minimum=1, maximum=4096)
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


def _check_triple(p, triple, *, open_unit: bool) -> np.ndarray:
    """Keep probabilities ``p`` (1-D, at least 3, in (0, 1) when ``open_unit`` else [0, 1]) and
    3 distinct selector indices ``triple`` among them."""
    p = check_array("p", p, ndim=1)
    n = p.size
    if n < 3:
        raise ValueError(f"p must have at least 3 entries (selectors), got {n}")
    bad = ((p <= 0) | (p >= 1)) if open_unit else ((p < 0) | (p > 1))
    if np.any(bad):
        i = int(np.argmax(bad))
        raise ValueError(f"p must lie in {'(0, 1)' if open_unit else '[0, 1]'}; entry {i} is {p[i]!r}")
    if len(set(int(k) for k in triple)) != 3 or not all(0 <= int(k) < n for k in triple):
        raise ValueError(f"triple must name 3 distinct selectors in [0, {n}), got {triple}")
    return p


def parity_eps_max(p, triple=(0, 1, 2)) -> float:
    r"""The largest |ε| for which :func:`pairwise_independent_law` is a probability law: the
    smallest of the 8 product probabilities :math:`\prod_{k\in T}p_k^{x_k}q_k^{1-x_k}` of the
    triple T (p in [0, 1])."""
    p = _check_triple(p, triple, open_unit=False)
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
    p = _check_triple(p, triple, open_unit=True)
    n = p.size
    if n > 20:
        raise ValueError(f"p must have at most 20 entries (2^n masks are listed), got {n}")
    eps = check_real("eps", eps)
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
    skip_prob = check_probability("skip_prob", skip_prob, allow_zero=True)
    scale = check_real("scale", scale)
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


def shortest_path_layers(net: LayeredNet) -> np.ndarray:
    """The layer of every unit as Sec. 3 defines it (before Eq. 21): the length of the shortest
    directed path from an input unit (inputs: 0). ``net.layer`` is a topological layering
    (every connection goes to a higher layer); under this one a skip connection can put a unit
    in a layer no higher than one of its ancestors (x0 → a → b → i with x0 → i: i in layer 1,
    b in layer 2). ValueError for a unit that no input reaches (it has no layer)."""
    d = np.zeros(net.n_units, dtype=np.int64)
    for i in range(net.n_in, net.n_units):  # units are numbered in topological order
        src = np.flatnonzero(net.W[i] != 0)
        if src.size == 0:
            raise ValueError(f"net: unit {i} has no incoming connection, so no path from an "
                             "input and no layer; every non-input unit must have one")
        d[i] = 1 + int(np.min(d[src]))
    return d


def covariance_from_moments(mean, M) -> np.ndarray:
    """Cov(S_i, S_k) = E(S_iS_k) − E(S_i)E(S_k), for means (n,) and second moments (n, n)."""
    mean = check_array("mean", mean, ndim=1, finite=False)
    M = check_array("M", M, shape=(mean.size, mean.size), finite=False)
    return M - np.outer(mean, mean)
