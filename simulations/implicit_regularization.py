r"""Samplers, enumerations and small training loops for "Implicit Regularization of Dropout"
(Zhang, Xu), paper key ``implicit_regularization``.

* η noise (Section 3.3): :func:`sample_eta` (Numba) and :func:`estimate_eta_moments`.
* Lemma 1: :func:`estimate_dropout_risk` (Numba Monte Carlo of :math:`E_\eta R_S^{drop}`),
  :func:`exact_dropout_risk` (all :math:`2^{m_{L-1}}` masks, Gray-code walk of
  :mod:`dropmc.simulations.enumeration`), :func:`enumerate_dropout_risk_general` (dropout on
  any set of hidden layers: outside Setting 1), :func:`exact_dropout_risk_gradient`.
* Eq. 4–5 / Appendix B.2: :func:`mean_iterate` (exact expectation of k steps of dropout GD
  over all mask sequences) and :func:`integrate_flow` (scipy ``solve_ivp``, DOP853) for the
  candidate modified losses; Hessian-vector products by the complex step.
* Theorem 2: :func:`hessian_trace` (exact, complex step on the hand-written gradient),
  :func:`flatness_numeric` and :func:`flatness_derivative_numeric` (finite differences that
  do not use the closed forms).
* Figures: :func:`train_two_layer` (NumPy full-batch Adam / GD with dropout or with the
  explicit R1 penalty), :func:`loss_cross_section`.

Kernels are private, take a PCG64 ``Generator`` and release the GIL; the public wrappers
validate, chunk (:func:`dropmc.simulations._core.run_chunks`) and return
:class:`~dropmc.estimate.Estimate` objects.
"""

from __future__ import annotations

import math

import numpy as np
from dropmc.simulations import enumeration
from dropmc.simulations._core import JIT, JIT_FAST, as_seed_sequence, run_chunks, stack
from dropmc.simulations.optim import Adam
from dropmc.theory import implicit_regularization as th
from numba import njit

from dropmc._validation import (
    check_array,
    check_choice,
    check_int,
    check_probability,
    check_real,
)
from dropmc.estimate import Estimate, batch_means, combine_welford, seed_of

# ------------------------------------------------------------------------------------------
# Section 3.3: the η noise
# ------------------------------------------------------------------------------------------


@njit(**JIT)
def _eta_fill_kernel(gen, out, p):
    """Fill ``out`` with i.i.d. η: (1 − p)/p with probability p, −1 otherwise."""
    hi = (1.0 - p) / p
    flat = out.ravel()
    for k in range(flat.shape[0]):
        flat[k] = hi if gen.random() < p else -1.0
    return out


def sample_eta(p: float, size, rng=None) -> np.ndarray:
    r"""Draw η of Section 3.3 with shape ``size`` (Numba kernel on one PCG64 stream)."""
    p = check_probability("p", p)
    if isinstance(size, (int, np.integer)):
        size = (check_int("size", size, minimum=1),)
    size = tuple(check_int("size", s, minimum=1) for s in size)
    out = np.empty(size)
    gen = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    return _eta_fill_kernel(gen, out, p)


@njit(**JIT)
def _eta_moments_kernel(gen, n, m, p):
    """Chunk means of η_k, η_k², η_kη_{k+1}, η_k³ (averaged over the m coordinates)."""
    hi = (1.0 - p) / p
    s1 = 0.0
    s2 = 0.0
    sx = 0.0
    s3 = 0.0
    for _ in range(n):
        prev = hi if gen.random() < p else -1.0
        s1 += prev
        s2 += prev * prev
        s3 += prev * prev * prev
        for k in range(1, m):
            e = hi if gen.random() < p else -1.0
            s1 += e
            s2 += e * e
            s3 += e * e * e
            sx += prev * e
            prev = e
    return s1 / (n * m), s2 / (n * m), sx / (n * (m - 1)), s3 / (n * m)


def estimate_eta_moments(p: float, m: int = 8, *, n: int = 200_000, rng=None) -> dict:
    r"""Monte Carlo :math:`E\eta_k`, :math:`E\eta_k^2`, :math:`E\eta_k\eta_{k+1}`,
    :math:`E\eta_k^3` from ``n`` draws of an m-vector η; SEs by batch means over 32+ chunks.

    Returns a dict of :class:`Estimate` with keys ``mean``, ``second``, ``cross``, ``third``.
    """
    p = check_probability("p", p)
    m = check_int("m", m, minimum=2)
    n = check_int("n", n, minimum=64)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, k: (k,) + _eta_moments_kernel(g, k, m, p), n, ss,
                       chunk_size=1 << 13, min_chunks=32)
    arr = stack(parts)
    mean, cov = batch_means(arr[:, 1:], arr[:, 0])
    keys = ("mean", "second", "cross", "third")
    return {k: Estimate(float(mean[i]), float(math.sqrt(max(cov[i, i], 0.0))), n,
                        "monte_carlo", seed_of(ss)) for i, k in enumerate(keys)}


# ------------------------------------------------------------------------------------------
# Lemma 1: E_η R_S^drop under Setting 1 (dropout after layer L − 1)
# ------------------------------------------------------------------------------------------


def _setting1_parts(weights, biases, X, Y, activation):
    """Outputs are affine in the keep mask m_j = 1[η_j ≠ −1]:
    o_i(m) − y_i = (b^L − y_i) + Σ_j m_j W_j h_ij / p. Returns base (n, d') and G (n, m, d')
    with G[i, j] = W_j h_ij (so the dropout output is b^L + Σ_j (1 + η_j) G[i, j])."""
    h = th.forward(weights, biases, X, activation)[-2]           # (n, m)
    G = h[:, :, None] * weights[-1].T[None, :, :]                 # (n, m, d')
    base = np.broadcast_to(biases[-1], (X.shape[0], weights[-1].shape[0])) - Y
    return np.ascontiguousarray(base), np.ascontiguousarray(G)


#: Bernoulli(p) from 16-bit digits: one 53-bit uniform feeds three keep/drop decisions
_TWO53 = 9007199254740992.0


def _digit_split(p: float) -> tuple[int, float]:
    """p·2^16 = P1 + frac with P1 an integer: keep ⟺ D < P1, or D = P1 and V < frac, for a
    uniform 16-bit digit D and a fresh uniform V — exactly Bernoulli(p)."""
    x = p * 65536.0
    P1 = int(math.floor(x))
    return P1, x - P1


@njit(**JIT_FAST)
def _dropout_risk_kernel(gen, n, base, DT, P1, frac, inv2n):
    """Welford (count, mean, M2) of R^drop = inv2n Σ_c (base_c + Σ_j keep_j DT[c, j])² over n
    draws of one η shared by all data points (Eq. 2); ``DT`` is (n_data·d', m) = (G/p)ᵀ.

    Keep decisions use 16-bit digits of 53-bit uniforms (three per ``gen.random()`` call,
    ⌈m/3⌉ calls per draw); a digit equal to ⌊p·2^16⌋ is resolved by one more uniform, so each
    unit is kept with probability exactly p (see :func:`_digit_split`). The output is then a
    branch-free dot product per output coordinate."""
    k, m = DT.shape
    q = (m + 2) // 3
    keep = np.empty(3 * q)
    mean = 0.0
    m2 = 0.0
    for t in range(n):
        for j in range(0, 3 * q, 3):
            r = np.int64(gen.random() * _TWO53)
            d0 = r & 0xFFFF
            d1 = (r >> 16) & 0xFFFF
            d2 = (r >> 32) & 0xFFFF
            keep[j] = 1.0 if d0 < P1 else 0.0
            keep[j + 1] = 1.0 if d1 < P1 else 0.0
            keep[j + 2] = 1.0 if d2 < P1 else 0.0
            if d0 == P1 or d1 == P1 or d2 == P1:      # ties (probability ≈ 3·2^-16)
                if d0 == P1:
                    keep[j] = 1.0 if gen.random() < frac else 0.0
                if d1 == P1 and j + 1 < m:
                    keep[j + 1] = 1.0 if gen.random() < frac else 0.0
                if d2 == P1 and j + 2 < m:
                    keep[j + 2] = 1.0 if gen.random() < frac else 0.0
        s = 0.0
        for c in range(k):
            acc = 0.0
            for jj in range(m):
                acc += keep[jj] * DT[c, jj]
            acc += base[c]
            s += acc * acc
        s *= inv2n
        d = s - mean
        mean += d / (t + 1)
        m2 += d * (s - mean)
    return n, mean, m2


def _check_setting1(weights, biases, X, Y, activation, p):
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    p = check_probability("p", p)
    return Ws, bs, X, Y, p


def estimate_dropout_risk(weights, biases, X, Y, p: float, activation: str = "tanh", *,
                          n: int = 100_000, rng=None, chunk_size: int = 4096) -> Estimate:
    r"""Monte Carlo :math:`E_\eta R_S^{drop}(\theta,\eta)` (Eq. 2) under Setting 1: one η per
    draw on the last hidden layer, shared by the n data points (the paper's notation).

    Parameters: ``weights``/``biases`` lists (L ≥ 2 layers), ``X`` (n, d), ``Y`` (n, d'),
    keep probability ``p`` in (0, 1], ``n`` ≥ 64 draws.
    """
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    n = check_int("n", n, minimum=64)
    base, G = _setting1_parts(Ws, bs, X, Y, activation)
    nd = X.shape[0]
    base_flat = np.ascontiguousarray(base.ravel())
    D = np.ascontiguousarray(G.transpose(1, 0, 2).reshape(G.shape[1], -1) / p)
    inv2n = 1.0 / (2.0 * nd)
    P1, frac = _digit_split(p)
    DT = np.ascontiguousarray(D.T)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, k: _dropout_risk_kernel(g, k, base_flat, DT, P1, frac, inv2n),
                       n, ss, chunk_size=chunk_size, min_chunks=32)
    tot, mean, m2 = combine_welford(parts)
    var = m2 / (tot - 1)
    return Estimate(float(mean), float(math.sqrt(var / tot)), int(tot), "monte_carlo",
                    seed_of(ss))


def dropout_risk_numpy(weights, biases, X, Y, p: float, activation: str = "tanh", *,
                       n: int = 100_000, rng=None, chunk_size: int = 4096) -> Estimate:
    """The plain-numpy vectorised reference for :func:`estimate_dropout_risk` (same law, same
    chunking, its own draws): used by the tests (agreement) and the benchmark (speed)."""
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    base, G = _setting1_parts(Ws, bs, X, Y, activation)
    base_flat = base.ravel()
    D = G.transpose(1, 0, 2).reshape(G.shape[1], -1) / p
    inv2n = 1.0 / (2.0 * X.shape[0])

    def chunk(g, k):
        keep = g.random((k, D.shape[0])) < p
        o = base_flat + keep @ D
        s = inv2n * np.einsum("ij,ij->i", o, o)
        return k, float(s.mean()), float(((s - s.mean()) ** 2).sum())

    ss = as_seed_sequence(rng)
    parts = run_chunks(chunk, n, ss, chunk_size=chunk_size, min_chunks=32, threads=1)
    tot, mean, m2 = combine_welford(parts)
    return Estimate(float(mean), float(math.sqrt(m2 / (tot - 1) / tot)), int(tot),
                    "monte_carlo", seed_of(ss))


def dropout_risk_numpy_digits(weights, biases, X, Y, p: float, activation: str = "tanh", *,
                              n: int = 10_000, rng=None, chunk_size: int = 4096) -> Estimate:
    """Numpy replica of the kernel's draws (16-bit digits of 53-bit uniforms), for p with
    p·2^16 an integer (no tie-breaking draws): the bit-for-bit reference in the tests."""
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    P1, frac = _digit_split(p)
    if frac != 0.0:
        raise ValueError(f"p must be a multiple of 2^-16 for the digit replica, got {p!r}")
    base, G = _setting1_parts(Ws, bs, X, Y, activation)
    base_flat = base.ravel()
    m = G.shape[1]
    D = G.transpose(1, 0, 2).reshape(m, -1) / p
    inv2n = 1.0 / (2.0 * X.shape[0])

    def chunk(g, k):
        q = -(-m // 3)
        u = (g.random(k * q) * _TWO53).astype(np.int64)
        dig = ((u[:, None] >> np.array([0, 16, 32])) & 0xFFFF).reshape(k, 3 * q)[:, :m]
        o = base_flat + (dig < P1) @ D
        s = inv2n * np.einsum("ij,ij->i", o, o)
        return k, float(s.mean()), float(((s - s.mean()) ** 2).sum())

    ss = as_seed_sequence(rng)
    parts = run_chunks(chunk, n, ss, chunk_size=chunk_size, min_chunks=32, threads=1)
    tot, mean, m2 = combine_welford(parts)
    return Estimate(float(mean), float(math.sqrt(m2 / (tot - 1) / tot)), int(tot),
                    "monte_carlo", seed_of(ss))


def exact_dropout_risk(weights, biases, X, Y, p: float, activation: str = "tanh") -> Estimate:
    r""":math:`E_\eta R_S^{drop}` exactly under Setting 1: all :math:`2^{m_{L-1}}` keep masks of
    the dropout layer walked in Gray-code order, one unit flipped per step with the outputs of
    all data points updated together, the squared errors summed per number of kept units and
    weighted by :math:`p^c(1-p)^{m-c}` (log domain); :math:`m_{L-1}\le 30`."""
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    base, G = _setting1_parts(Ws, bs, X, Y, activation)
    m = G.shape[1]
    check_int("width of the dropout layer", m, maximum=30)
    inv2n = 1.0 / (2.0 * X.shape[0])
    if p == 1.0:
        o = base + G.sum(axis=1)
        return Estimate(float(inv2n * np.sum(o * o)), 0.0, 1, "enumeration")
    base_flat = np.ascontiguousarray(base.ravel())
    D = np.ascontiguousarray(G.transpose(1, 0, 2).reshape(m, -1) / p)
    # the shared Gray-code walk (sums grouped by number of kept units, no exp per step)
    e = enumeration.expect_squared_error(base_flat, D, np.zeros_like(base_flat), p)
    return Estimate(float(inv2n * e.mean), 0.0, e.n, "enumeration")


def exact_dropout_risk_gradient(weights, biases, X, Y, p: float, activation: str = "tanh"):
    r""":math:`E_\eta\nabla_\theta R_S^{drop}(\theta,\eta)` by enumerating all keep masks of the
    last hidden layer (:math:`m_{L-1}\le 16`); compare with :math:`\nabla(R_S+R_1)`."""
    Ws, bs, X, Y, p = _check_setting1(weights, biases, X, Y, activation, p)
    m = Ws[-1].shape[1]
    check_int("width of the dropout layer", m, maximum=16)
    masks, w = enumeration.enumerate_masks(m, p) if p < 1 else (np.ones((1, m)), np.ones(1))
    theta = th.flatten(Ws, bs)
    shapes = th.shapes_of(Ws)
    g = np.zeros_like(theta)
    for mk, wk in zip(masks, w):
        g += wk * th.risk_gradient(theta, shapes, X, Y, activation, scale=mk / p)
    return g


def enumerate_dropout_risk_general(weights, biases, X, Y, p_layers: dict,
                                   activation: str = "tanh", *, max_units: int = 20,
                                   block: int = 2048) -> Estimate:
    r""":math:`E_\eta R_S^{drop}` exactly with dropout on any set of hidden layers
    (``p_layers`` maps a layer index 1 ≤ l ≤ L−1 to its keep probability): all joint masks,
    forward pass vectorised over blocks of masks. Outside Setting 1 the output is no longer
    affine in the mask. At most ``max_units`` (≤ 22) random units in total."""
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    L = len(Ws)
    if not isinstance(p_layers, dict) or not p_layers:
        raise ValueError("p_layers must be a non-empty dict {hidden layer index: keep p}")
    layers = sorted(p_layers)
    for l in layers:
        check_int("p_layers key", l, minimum=1, maximum=L - 1)
        check_probability(f"p_layers[{l}]", p_layers[l])
    widths = [Ws[l - 1].shape[0] for l in layers]
    U = int(sum(widths))
    check_int("number of dropped units", U, maximum=min(max_units, enumeration.MAX_MATERIALISED))
    probs = np.concatenate([np.full(wd, float(p_layers[l])) for l, wd in zip(layers, widths)])
    masks, w = enumeration.enumerate_masks(U, probs)
    offs = np.cumsum([0] + widths)
    total = 0.0
    n = X.shape[0]
    for s in range(0, masks.shape[0], block):
        mk = masks[s:s + block].astype(float)
        K = mk.shape[0]
        h = np.broadcast_to(X, (K,) + X.shape)
        for l in range(1, L + 1):
            z = h @ Ws[l - 1].T + bs[l - 1]
            if l < L:
                h = th.act(activation, z)
                if l in p_layers:
                    k = layers.index(l)
                    h = h * (mk[:, None, offs[k]:offs[k + 1]] / p_layers[l])
            else:
                h = z
        e = h - Y[None]
        total += float(w[s:s + block] @ (np.einsum("kij,kij->k", e, e) / (2.0 * n)))
    return Estimate(total, 0.0, int(masks.shape[0]), "enumeration")


# ------------------------------------------------------------------------------------------
# Eq. 4-5, Appendix B.2: the mean iterate of dropout GD and candidate modified flows
# ------------------------------------------------------------------------------------------

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

    def grad_drop(self, theta, scale):
        return th.risk_gradient(theta, self.shapes, self.X, self.Y, self.activation,
                                scale=scale)

    def grad_L(self, theta):
        r""":math:`\nabla(R_S+R_1)`."""
        return th.risk_gradient(theta, self.shapes, self.X, self.Y, self.activation,
                                p=self.p)

    def grad_RS(self, theta):
        return th.risk_gradient(theta, self.shapes, self.X, self.Y, self.activation)

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
    :math:`2^{m k}` mask sequences with their probabilities (at most 2^14 leaves)."""
    theta0 = check_array("theta0", theta0, ndim=1)
    eps = check_real("eps", eps, lo=0.0, lo_open=True)
    k = check_int("k", k, minimum=1)
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
    """θ(T) for θ̇ = fun(t, θ) with scipy's DOP853 at tight tolerances."""
    from scipy.integrate import solve_ivp

    sol = solve_ivp(fun, (0.0, float(T)), np.asarray(theta0, dtype=float), method="DOP853",
                    rtol=rtol, atol=atol)
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


# ------------------------------------------------------------------------------------------
# Figures: small full-batch training loops (NumPy) and loss cross-sections
# ------------------------------------------------------------------------------------------


def init_two_layer(d: int, m: int, d_out: int = 1, *, std: float | None = None, rng=None):
    r"""Appendix A initialisation "θ ~ N(0, 1/m^0.2)" (read as variance m^{-0.2}); returns
    (weights, biases) of a d-m-d_out network."""
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    s = m ** -0.1 if std is None else std
    W1 = g.normal(0, s, (m, d))
    b1 = g.normal(0, s, m)
    W2 = g.normal(0, s, (d_out, m))
    b2 = g.normal(0, s, d_out)
    return [W1, W2], [b1, b2]


def train_two_layer(weights, biases, X, Y, *, p: float = 1.0, mode: str = "dropout",
                    activation: str = "tanh", steps: int = 10_000, lr: float = 1e-3,
                    optimizer: str = "adam", rng=None, record_every: int = 0,
                    snapshots: list | None = None, r1_weight: float = 1.0):
    r"""Full-batch training of a two-layer network (NumPy, no framework).

    ``mode``: ``"dropout"`` — the loss :math:`R_S^{drop}` with a fresh η per data point and per
    step on the hidden layer (as PyTorch's dropout layer does); ``"r1"`` — the explicit loss
    :math:`R_S+R_1` (Eq. 6, :math:`L_1`), with R1 multiplied by ``r1_weight`` (1 by default;
    the power runs of ``sec5_1.dropout_vs_r1_training`` move it); ``"plain"`` — :math:`R_S`.
    Adam (β = 0.9, 0.999) or GD.
    Returns (weights, biases, history) where history rows are (step, R_S, R_1); when
    ``snapshots`` is a list, (step, W1, b1) copies are appended to it at every record step.
    """
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    if len(Ws) != 2:
        raise ValueError(f"train_two_layer needs a two-layer network, got {len(Ws)} layers")
    p = check_probability("p", p)
    check_choice("mode", mode, ("dropout", "r1", "plain"))
    check_choice("optimizer", optimizer, ("adam", "gd"))
    steps = check_int("steps", steps, minimum=1)
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    W1, b1, W2, b2 = Ws[0].copy(), bs[0].copy(), Ws[1].copy(), bs[1].copy()
    n = X.shape[0]
    params = [W1, b1, W2, b2]
    adam = Adam(params, lr)
    hist = []
    r1_weight = check_real("r1_weight", r1_weight, lo=0.0)
    c1 = r1_weight * (1.0 - p) / (n * p)
    for t in range(1, steps + 1):
        Z = X @ W1.T + b1
        H = th.act(activation, Z)
        if mode == "dropout" and p < 1.0:
            S = (g.random(H.shape) < p) / p
        else:
            S = 1.0
        Hd = H * S
        out = Hd @ W2.T + b2
        E = (out - Y) / n
        gW2 = E.T @ Hd
        gb2 = E.sum(axis=0)
        dH = (E @ W2) * S
        if mode == "r1" and p < 1.0:
            col = np.sum(W2 * W2, axis=0)
            gW2 = gW2 + c1 * W2 * np.sum(H * H, axis=0)
            dH = dH + c1 * H * col
        dZ = dH * th.act_prime(activation, Z)
        grads = [dZ.T @ X, dZ.sum(axis=0), gW2, gb2]
        if optimizer == "adam":
            adam.step(params, grads)
        else:
            for q, gq in zip(params, grads):
                q -= lr * gq
        if record_every and (t % record_every == 0 or t == steps):
            rs = th.empirical_risk([W1, W2], [b1, b2], X, Y, activation)
            hist.append((t, rs, th.r1([W1, W2], [b1, b2], X, p, activation) if p < 1 else 0.0))
            if snapshots is not None:
                snapshots.append((t, W1.copy(), b1.copy()))
    return [W1, W2], [b1, b2], np.array(hist)


def loss_cross_section(weights, biases, X, Y, alphas, activation: str = "tanh", rng=None):
    r"""Section 7.1: :math:`L(\alpha) = R_S(\theta+\alpha d)` along a random Gaussian direction
    d, filter-normalised per layer (weights and biases of a layer form one filter)."""
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    dW = [g.standard_normal(W.shape) for W in Ws]
    db = [g.standard_normal(b.shape) for b in bs]
    out = []
    dirs = []
    for W, b, dw, dbb in zip(Ws, bs, dW, db):
        d = np.concatenate([dw.ravel(), dbb.ravel()])
        t = np.concatenate([W.ravel(), b.ravel()])
        (dn,) = th.filter_normalise([d], [t])
        dirs.append((dn[:W.size].reshape(W.shape), dn[W.size:]))
    for a in np.asarray(alphas, dtype=float):
        Wa = [W + a * d[0] for W, d in zip(Ws, dirs)]
        ba = [b + a * d[1] for b, d in zip(bs, dirs)]
        out.append(th.empirical_risk(Wa, ba, X, Y, activation))
    return np.array(out)


def train_two_layer_minibatch(weights, biases, X, Y, *, batch_size: int, p: float = 1.0,
                              activation: str = "tanh", steps: int = 10_000, lr: float = 1e-3,
                              rng=None):
    r"""Adam on mini-batches of ``batch_size`` samples drawn without replacement each step
    (Fig. 6: "batch size = 2"), optionally with dropout (fresh mask per sample and step) on
    the hidden layer of a two-layer network. The loss of a batch is its mean
    :math:`\frac1{2B}\sum_{i\in B}\|f(x_i)-y_i\|^2` (the scale of :math:`R_S`).
    Returns (weights, biases)."""
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    if len(Ws) != 2:
        raise ValueError(f"train_two_layer_minibatch needs a two-layer network, got {len(Ws)} "
                         "layers")
    p = check_probability("p", p)
    n = X.shape[0]
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the sample count {n}, got {batch_size}")
    steps = check_int("steps", steps, minimum=1)
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    W1, b1, W2, b2 = Ws[0].copy(), bs[0].copy(), Ws[1].copy(), bs[1].copy()
    params = [W1, b1, W2, b2]
    adam = Adam(params, lr)
    for t in range(1, steps + 1):
        idx = g.choice(n, size=batch_size, replace=False)
        Xb, Yb = X[idx], Y[idx]
        Z = Xb @ W1.T + b1
        H = th.act(activation, Z)
        S = (g.random(H.shape) < p) / p if p < 1.0 else 1.0
        Hd = H * S
        E = (Hd @ W2.T + b2 - Yb) / batch_size
        dZ = ((E @ W2) * S) * th.act_prime(activation, Z)
        grads = [dZ.T @ Xb, dZ.sum(axis=0), E.T @ Hd, E.sum(axis=0)]
        adam.step(params, grads)
    return [W1, W2], [b1, b2]


def train_three_layer(weights, biases, X, Y, *, p: float = 1.0, activation: str = "tanh",
                      steps: int = 10_000, lr: float = 1e-3, rng=None):
    r"""Full-batch Adam on a three-layer network (two hidden layers) with dropout, keep
    probability p, after *both* hidden layers (Fig. 4 bottom row, Appendix A: "dropout layers
    between two hidden layers and behind the last hidden layer"); fresh masks per sample and
    step. Loss :math:`R_S` (or :math:`R_S^{drop}`) of Eq. 2. Returns (weights, biases)."""
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    if len(Ws) != 3:
        raise ValueError(f"train_three_layer needs a three-layer network, got {len(Ws)} layers")
    p = check_probability("p", p)
    steps = check_int("steps", steps, minimum=1)
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    W1, W2, W3 = (W.copy() for W in Ws)
    b1, b2, b3 = (b.copy() for b in bs)
    params = [W1, b1, W2, b2, W3, b3]
    adam = Adam(params, lr)
    n = X.shape[0]
    for t in range(1, steps + 1):
        Z1 = X @ W1.T + b1
        H1 = th.act(activation, Z1)
        S1 = (g.random(H1.shape) < p) / p if p < 1.0 else 1.0
        D1 = H1 * S1
        Z2 = D1 @ W2.T + b2
        H2 = th.act(activation, Z2)
        S2 = (g.random(H2.shape) < p) / p if p < 1.0 else 1.0
        D2 = H2 * S2
        E = (D2 @ W3.T + b3 - Y) / n
        dZ2 = ((E @ W3) * S2) * th.act_prime(activation, Z2)
        dZ1 = ((dZ2 @ W2) * S1) * th.act_prime(activation, Z1)
        grads = [dZ1.T @ X, dZ1.sum(axis=0), dZ2.T @ D1, dZ2.sum(axis=0), E.T @ D2,
                 E.sum(axis=0)]
        adam.step(params, grads)
    return [W1, W2, W3], [b1, b2, b3]


def train_two_layer_stack(weights, biases, X, Y, *, p: float = 1.0, activation: str = "tanh",
                          steps: int = 10_000, lr: float = 1e-3, rng=None,
                          batch_size: int | None = None):
    r"""K independent two-layer networks trained at once by full-batch Adam on
    :math:`R_S^{drop}` (fresh masks per sample and step; p = 1: :math:`R_S`; ``p`` a scalar
    or one keep probability per network), each on its own data:
    ``weights = [W1 (K, m, d), W2 (K, d', m)]``, ``biases = [b1 (K, m), b2 (K, d')]``,
    ``X (K, n, d)``, ``Y (K, n, d')``. The same updates as :func:`train_two_layer` (mode
    "dropout", Adam) for each k, batched with ``matmul`` (Fig. 8's trials). With
    ``batch_size`` each network takes its own mini-batch of that many samples (without
    replacement) per step, the loss being the batch mean as in
    :func:`train_two_layer_minibatch` (Fig. 6).
    Returns (weights, biases) stacked the same way."""
    W1, W2 = (np.array(W, dtype=float) for W in weights)
    b1, b2 = (np.array(b, dtype=float) for b in biases)
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if not (W1.ndim == W2.ndim == X.ndim == Y.ndim == 3 and b1.ndim == b2.ndim == 2):
        raise ValueError("train_two_layer_stack needs stacked arrays: W1 (K, m, d), W2 (K, d', m), "
                         "b1 (K, m), b2 (K, d'), X (K, n, d), Y (K, n, d')")
    K, m, d = W1.shape
    if (W2.shape[0] != K or W2.shape[2] != m or b1.shape != (K, m) or b2.shape != (K, W2.shape[1])
            or X.shape[0] != K or X.shape[2] != d or Y.shape != (K, X.shape[1], W2.shape[1])):
        raise ValueError(f"mismatched shapes: W1 {W1.shape}, W2 {W2.shape}, b1 {b1.shape}, "
                         f"b2 {b2.shape}, X {X.shape}, Y {Y.shape}")
    for name, a in (("weights", W1), ("weights", W2), ("biases", b1), ("biases", b2), ("X", X),
                    ("Y", Y)):
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} must be finite")
    check_choice("activation", activation, th.ACTIVATIONS)
    pk = np.broadcast_to(np.asarray(p, dtype=float), (K,)).copy()
    for q in pk:
        check_probability("p", float(q))
    steps = check_int("steps", steps, minimum=1)
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    n = X.shape[1]
    if batch_size is not None:
        batch_size = check_int("batch_size", batch_size, minimum=1)
        if batch_size > n:
            raise ValueError(f"batch_size must be at most the sample count {n}, got "
                             f"{batch_size}")
    drop = bool(np.any(pk < 1.0))
    pk = pk[:, None, None]
    params = [W1, b1, W2, b2]
    adam = Adam(params, lr)
    rows = np.arange(K)[:, None]
    for t in range(1, steps + 1):
        if batch_size is None:
            Xb, Yb, nb = X, Y, n
        else:   # each network its own batch, drawn without replacement
            idx = np.argsort(g.random((K, n)), axis=1)[:, :batch_size]
            Xb, Yb, nb = X[rows, idx], Y[rows, idx], batch_size
        Z = Xb @ W1.transpose(0, 2, 1) + b1[:, None, :]
        H = th.act(activation, Z)
        S = (g.random(H.shape) < pk) / pk if drop else 1.0
        Hd = H * S
        E = (Hd @ W2.transpose(0, 2, 1) + b2[:, None, :] - Yb) / nb
        dZ = ((E @ W2) * S) * th.act_prime(activation, Z)
        grads = [dZ.transpose(0, 2, 1) @ Xb, dZ.sum(axis=1), E.transpose(0, 2, 1) @ Hd,
                 E.sum(axis=1)]
        adam.step(params, grads)
    return [W1, W2], [b1, b2]


def teacher_student_errors(ns, ps, *, trials: int, width: int, steps: int, lr: float,
                           streams, x_range: float = 15.0, n_test: int = 400) -> np.ndarray:
    r"""Fig. 8 (Section 6.1.3): test errors of two-layer tanh students of width ``width``
    (init N(0, m^-0.2)) trained by full-batch Adam on :math:`R_S^{drop}` (keep probability
    p; p = 1 is no dropout) on n samples :math:`x\sim U(-15, 15)` of the two-neuron teacher
    :math:`\tanh(x-6)+\tanh(x+6)` (6 free parameters, Appendix A).

    For each sample count ``ns[b]`` the stream ``streams[b]`` (a SeedSequence) gives the
    ``trials`` data sets and initialisations, shared by every p (a paired comparison); all
    ``len(ps)·trials`` networks of one n are trained at once (:func:`train_two_layer_stack`).
    Returns ``err[a, b, t]``: the test MSE :math:`\frac1{N}\sum_k(f(x_k)-f^*(x_k))^2` on
    ``n_test`` equispaced points of [−15, 15] for p = ``ps[a]``, n = ``ns[b]``, trial t."""
    ns = [check_int("ns", n, minimum=1) for n in ns]
    ps = [check_probability("p", q) for q in ps]
    trials = check_int("trials", trials, minimum=1)
    width = check_int("width", width, minimum=1)
    if len(streams) != len(ns):
        raise ValueError(f"streams must give one SeedSequence per sample count ({len(ns)}), "
                         f"got {len(streams)}")
    xt = np.linspace(-x_range, x_range, n_test)[:, None]
    yt = th.target_fig4(xt[:, 0])[:, None]
    P, T = len(ps), trials
    pk = np.repeat(np.asarray(ps, dtype=float), T)
    err = np.zeros((P, len(ns), T))
    for b, (n, ss) in enumerate(zip(ns, streams)):
        s_data, s_init, s_run = as_seed_sequence(ss).spawn(3)
        g = np.random.Generator(np.random.PCG64(s_data))
        X = np.repeat(np.sort(g.uniform(-x_range, x_range, (T, n)), axis=1)[None], P,
                      axis=0).reshape(P * T, n, 1)
        Y = th.target_fig4(X)
        inits = [init_two_layer(1, width, 1, rng=s) for s in s_init.spawn(T)]
        Ws = [np.tile(np.stack([a[0][i] for a in inits]), (P, 1, 1)) for i in range(2)]
        bs = [np.tile(np.stack([a[1][i] for a in inits]), (P, 1)) for i in range(2)]
        W, bb = train_two_layer_stack(Ws, bs, X, Y, p=pk, steps=steps, lr=lr, rng=s_run)
        for k in range(P * T):
            err[k // T, b, k % T] = 2.0 * th.empirical_risk([W[0][k], W[1][k]],
                                                            [bb[0][k], bb[1][k]], xt, yt)
    return err
