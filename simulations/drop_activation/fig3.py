"""Section 5.1, Figure 3 of Liang, Khoo & Yang: regression networks trained with and without
Drop-Activation (plain numpy, float32, full-batch Adam), the data of panels a (Eq. 12) and b,
and the measured quantities of the figure's statements."""

from __future__ import annotations

import numpy as np
from numba import njit

from dropmc._validation import (check_array, check_count, check_finite, check_probability,
                                check_samples)
from dropmc.estimate import seed_of
from dropmc.simulations._core import JIT, as_generator, as_seed_sequence
from dropmc.simulations.optim import Adam, AdamNumpy

# ------------------------------------------------------------------------------------------
# Section 5.1, Figure 3: regression networks trained with and without Drop-Activation
# (plain numpy, float32, full-batch Adam; moved here from figures/drop_activation.py so that
# the claims and the figure train the same networks)
# ------------------------------------------------------------------------------------------

FIG3_P = 0.8        # probability of keeping a nonlinearity (the paper does not print it)
FIG3_LR = 3e-3      # Adam step size (full batch)
FIG3_N = 20         # training points per panel, as printed for Figure 3a


def init_net(widths, rng):
    """He-normal weights and zero biases of a 1 → widths → 1 network (float32)."""
    sizes = [1, *widths, 1]
    Ws = [(rng.normal(size=(a, b)) * np.sqrt(2.0 / a)).astype(np.float32)
          for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(b, np.float32) for b in sizes[1:]]
    return Ws, bs


def train_regression(x, y, widths, p, steps, *, lr=FIG3_LR, rng=None, init=None):
    """Fit a fully connected ReLU network ``1 → widths → 1`` to (x, y) by full-batch Adam on
    the mean squared error, with Drop-Activation when ``p < 1``: at every step and for every
    sample and hidden unit the ReLU is kept with probability p and replaced by the identity
    otherwise (Eq. 3). Returns ``(Ws, bs)``; predict with :func:`predict_regression` and the
    same p (the test-time leaky ReLU of slope 1 − p, Eq. 5). ``init`` (weights, biases) is
    copied, so two fits can start from the same network."""
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, shape=(x.size,))
    p = check_probability("p", p)
    steps = check_count("steps", steps, minimum=0)
    rng = as_generator(rng)
    Ws, bs = init if init is not None else init_net(widths, rng)
    Ws, bs = [w.copy() for w in Ws], [b.copy() for b in bs]
    params = Ws + bs
    adam = Adam(params, lr)
    X = np.asarray(x, np.float32)[:, None]
    Y = np.asarray(y, np.float32)[:, None]
    L = len(Ws)
    for t in range(1, steps + 1):
        h, hs, gates = X, [X], []
        for i in range(L - 1):
            z = h @ Ws[i] + bs[i]
            g = z > 0
            if p < 1.0:
                g |= rng.random(z.shape, dtype=np.float32) >= p   # dropped: identity map
            h = z * g
            gates.append(g)
            hs.append(h)
        d = (2.0 / len(X)) * (h @ Ws[-1] + bs[-1] - Y)
        grads = [None] * (2 * L)
        for i in range(L - 1, -1, -1):
            grads[i], grads[L + i] = hs[i].T @ d, d.sum(0)
            if i > 0:
                d = (d @ Ws[i].T) * gates[i - 1]
        adam.step(params, grads)
    return Ws, bs


def predict_regression(net, x, p):
    """The deterministic test-time network: every ReLU replaced by the leaky ReLU of slope
    1 − p (Eq. 5; p = 1 is the plain ReLU network)."""
    p = check_probability("p", p)
    Ws, bs = net
    h = np.asarray(check_array("x", x, ndim=1), np.float32)[:, None]
    for i in range(len(Ws) - 1):
        z = h @ Ws[i] + bs[i]
        h = np.where(z > 0, z, (1.0 - p) * z)
    return (h @ Ws[-1] + bs[-1])[:, 0].astype(float)


def xsinx(x):
    """Ground truth of Figure 3a (Eq. 12), for finite x."""
    x = check_finite("x", x)
    return x * np.sin(x)


def steps_target(x):
    """The piecewise-constant target of Figure 3b: +1, −1, +1, −1 on the quarters of [0, 10]
    (NaN where x is NaN)."""
    x = np.asarray(x, dtype=float)
    return np.where(np.isnan(x), np.nan,
                    np.where(np.floor(np.clip(x, 0, 9.999) / 2.5) % 2 == 0, 1.0, -1.0))


FIG3_TARGETS = {"a": xsinx, "b": steps_target}


def fig3_data(panel, rng, n: int = FIG3_N):
    """Training data of Figure 3: (a) Eq. 12, n points uniform on [0, 10] with N(0, 1) noise;
    (b) n points from N(5, 2.5²) truncated to [0, 10] (dense in the middle, sparse near both
    ends) with N(0, 0.3²) noise. Returns (x sorted, y, noise)."""
    if panel == "a":
        x = np.sort(rng.uniform(0.0, 10.0, n))
        eps = rng.normal(size=n)
        return x, xsinx(x) + eps, eps
    if panel != "b":
        raise ValueError(f"panel must be 'a' or 'b', got {panel!r}")
    x = np.empty(0)
    while x.size < n:
        c = rng.normal(5.0, 2.5, 4 * n)
        x = np.concatenate([x, c[(c >= 0) & (c <= 10)]])
    x = np.sort(x[:n])
    eps = 0.3 * rng.normal(size=n)
    return x, steps_target(x) + eps, eps


#: the evaluation grid of the Figure 3 metrics (500 points on [0, 10]) and the boundary
#: zones of panel b, where its training inputs are sparse
FIG3_GRID = np.linspace(0.0, 10.0, 500)
FIG3_EDGE = (1.5, 8.5)


def fig3_metrics(net, p, x, y, eps, f) -> dict:
    """The measured quantities of the Figure 3 statements for one trained network:

    * ``train``: RMSE of the test-time prediction at the training inputs against the noisy
      targets (how well it fits the training points);
    * ``truth``: RMSE against the ground truth f on the 500-point grid of [0, 10] (the
      prediction error "overall");
    * ``hull``: the same RMSE on the grid points inside [min x_i, max x_i] (no extrapolation;
      the figure's legend reports this one);
    * ``edge`` / ``middle``: the same RMSE on the boundary zones [0, 1.5] ∪ [8.5, 10] and on
      (1.5, 8.5);
    * ``roughness``: the mean |second difference| of the prediction on the grid divided by
      the grid step h (h = 10/499), i.e. the mean |f''|·h of a smooth curve — the measure of
      a "smooth curve";
    * ``noise_share``: Σ_i (ŷ(x_i) − f(x_i)) ε_i / Σ_i ε_i², the fraction of the data noise
      the fit reproduces at the training inputs (1 for interpolation, 0 when the noise has no
      influence).
    """
    p = check_probability("p", p)
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, shape=(x.size,))
    eps = check_array("eps", eps, shape=(x.size,))
    u, ug = (x - 5.0) / 5.0, (FIG3_GRID - 5.0) / 5.0          # inputs scaled to [-1, 1]
    fit = predict_regression(net, ug, p)
    at = predict_regression(net, u, p)
    truth = f(FIG3_GRID)
    edge = (FIG3_GRID <= FIG3_EDGE[0]) | (FIG3_GRID >= FIG3_EDGE[1])
    hull = (FIG3_GRID >= x.min()) & (FIG3_GRID <= x.max())
    h = FIG3_GRID[1] - FIG3_GRID[0]
    return {"train": float(np.sqrt(np.mean((at - y) ** 2))),
            "truth": float(np.sqrt(np.mean((fit - truth) ** 2))),
            "hull": float(np.sqrt(np.mean((fit[hull] - truth[hull]) ** 2))),
            "edge": float(np.sqrt(np.mean((fit[edge] - truth[edge]) ** 2))),
            "middle": float(np.sqrt(np.mean((fit[~edge] - truth[~edge]) ** 2))),
            "roughness": float(np.mean(np.abs(np.diff(fit, 2))) / h),
            "noise_share": float(np.sum((at - f(x)) * eps) / np.sum(eps * eps))}


FIG3_METRICS = ("train", "truth", "hull", "edge", "middle", "roughness", "noise_share")


@njit(**JIT)
def _hidden_layer(h, b, u, p, masked, gate):
    """One hidden layer after its matrix product ``h = h_prev @ W`` (K, n, w), in place: the
    numpy expressions ``z = h + b``, ``gate = z > 0``, ``gate |= u >= p`` (when ``masked``:
    ``u`` the step's float32 uniforms, ``p`` a float32, as numpy compares a float32 array with
    a Python float) and ``h = z * gate`` in one pass, each rounded as numpy rounds it (a
    dropped negative z gives −0.0, as z * False does)."""
    one, zero = np.float32(1.0), np.float32(0.0)
    K, n, w = h.shape
    for k in range(K):
        for j in range(n):
            for c in range(w):
                z = h[k, j, c] + b[k, 0, c]
                keep = z > 0 or (masked and u[k, j, c] >= p)
                gate[k, j, c] = keep
                h[k, j, c] = z * (one if keep else zero)


def train_regression_batch(X, Y, widths, p, steps, *, lr=FIG3_LR, rng=None, init=None):
    """:func:`train_regression` for K independent problems at once: ``X``, ``Y`` of shape
    (K, n), weights of shape (K, a, b) (``init`` as returned by :func:`init_net_batch`), the
    same full-batch Adam and Drop-Activation masks, with batched matrix products (the per-step
    cost of K small networks is then not dominated by numpy's call overhead). With K = 1 the
    mask draws are those of :func:`train_regression` on the same generator.

    Bit-identical to :func:`_train_regression_batch_numpy` (the plain numpy loop): the same
    matrix products (numpy's BLAS, same shapes and transposes) written into arrays kept from
    step to step, the masks drawn into a kept buffer from the same stream in the same order,
    each hidden layer's bias, gate and mask applied in one pass (:func:`_hidden_layer`), and
    the fused Adam of :class:`~dropmc.simulations.optim.Adam`."""
    X, Y, p, steps, rng, Ws, bs = _regression_batch_setup(X, Y, widths, p, steps, rng, init)
    params = Ws + bs
    adam = Adam(params, lr)
    L = len(Ws)
    K, n = X.shape[:2]
    scale = np.float32(2.0 / n)
    masked, p32 = p < 1.0, np.float32(p)
    hs = [X] + [np.empty((K, n, W.shape[2]), np.float32) for W in Ws[:-1]]
    gates = [np.empty(h.shape, np.bool_) for h in hs[1:]]
    draws = [np.empty(h.shape if masked else (0, 0, 0), np.float32) for h in hs[1:]]
    deltas = [np.empty(h.shape, np.float32) for h in hs[1:]]
    out = np.empty((K, n, 1), np.float32)
    grads = [np.empty_like(q) for q in params]
    for _ in range(steps):
        for i in range(L - 1):
            np.matmul(hs[i], Ws[i], out=hs[i + 1])
            if masked:
                rng.random(out=draws[i], dtype=np.float32)
            _hidden_layer(hs[i + 1], bs[i], draws[i], p32, masked, gates[i])
        np.matmul(hs[-1], Ws[-1], out=out)
        d = scale * (out + bs[-1] - Y)
        for i in range(L - 1, -1, -1):
            np.matmul(hs[i].transpose(0, 2, 1), d, out=grads[i])
            np.sum(d, axis=1, keepdims=True, out=grads[L + i])
            if i > 0:
                d = np.matmul(d, Ws[i].transpose(0, 2, 1), out=deltas[i - 1])
                np.multiply(d, gates[i - 1], out=d)
        adam.step(params, grads)
    return Ws, bs


def _regression_batch_setup(X, Y, widths, p, steps, rng, init):
    """The checked arguments of the batched trainers: float32 ``X``, ``Y`` of shape (K, n, 1),
    p, steps, the mask generator and float32 copies of the initial weights and biases."""
    p = check_probability("p", p)
    steps = check_count("steps", steps)
    rng = as_generator(rng)
    X = check_array("X", X, ndim=2)
    Y = check_array("Y", Y, shape=X.shape)
    X = X.astype(np.float32)[:, :, None]
    Y = Y.astype(np.float32)[:, :, None]
    Ws, bs = init if init is not None else init_net_batch(widths, X.shape[0], rng)
    return (X, Y, p, steps, rng, [w.astype(np.float32) for w in Ws],
            [b.astype(np.float32) for b in bs])


def _train_regression_batch_numpy(X, Y, widths, p, steps, *, lr=FIG3_LR, rng=None,
                                  init=None):
    """Plain numpy reference of :func:`train_regression_batch` (its loop before the fused
    layers, with numpy's Adam, :class:`~dropmc.simulations.optim.AdamNumpy`): same arguments,
    the same result bit for bit (for the tests and the benchmark)."""
    X, Y, p, steps, rng, Ws, bs = _regression_batch_setup(X, Y, widths, p, steps, rng, init)
    params = Ws + bs
    adam = AdamNumpy(params, lr)
    L = len(Ws)
    scale = np.float32(2.0 / X.shape[1])
    for _ in range(steps):
        h, hs, gates = X, [X], []
        for i in range(L - 1):
            z = h @ Ws[i] + bs[i]
            g = z > 0
            if p < 1.0:
                g |= rng.random(z.shape, dtype=np.float32) >= p   # dropped: identity map
            h = z * g
            gates.append(g)
            hs.append(h)
        d = scale * (h @ Ws[-1] + bs[-1] - Y)
        grads = [None] * (2 * L)
        for i in range(L - 1, -1, -1):
            grads[i] = np.swapaxes(hs[i], 1, 2) @ d
            grads[L + i] = d.sum(1, keepdims=True)
            if i > 0:
                d = (d @ np.swapaxes(Ws[i], 1, 2)) * gates[i - 1]
        adam.step(params, grads)
    return Ws, bs


def init_net_batch(widths, K: int, rngs):
    """K networks of :func:`init_net`, stacked (weights (K, a, b), biases (K, 1, b)); ``rngs``
    is one generator per network (or a single generator used for all, in turn)."""
    K = check_count("K", K)
    if isinstance(rngs, np.random.Generator):
        rngs = [rngs] * K
    nets = [init_net(widths, r) for r in rngs]
    Ws = [np.stack([n[0][i] for n in nets]) for i in range(len(nets[0][0]))]
    bs = [np.stack([n[1][i] for n in nets])[:, None, :] for i in range(len(nets[0][1]))]
    return Ws, bs


def fig3_trials(panel: str, trials: int, *, widths=(100, 80, 20), steps: int = 2000,
                p: float = FIG3_P, rng=None) -> dict:
    """Paired Figure 3 experiments: in each of ``trials`` independent trials a fresh data set
    (:func:`fig3_data`) and a fresh initial network are drawn (trial k from the k-th child of
    the seed sequence), and the same network is trained twice from the same weights, with
    plain ReLU (p = 1) and with Drop-Activation (p), by full-batch Adam
    (:func:`train_regression_batch`, all trials at once; the masks come from a separate child
    stream). Returns ``{"relu": {metric: array}, "dropact": {...}, "seed"}`` with the metrics
    of :func:`fig3_metrics` per trial."""
    p = check_probability("p", p)
    # per trial: float32 weights, their gradients and two Adam moments, and its data
    n_weights = sum(a * b + b for a, b in zip((1, *widths), (*widths, 1)))
    trials = check_samples("trials", trials, minimum=2,
                           bytes_per_sample=16 * n_weights + 32 * FIG3_N)
    if panel not in FIG3_TARGETS:
        raise ValueError(f"panel must be 'a' or 'b', got {panel!r}")
    f = FIG3_TARGETS[panel]
    ss = as_seed_sequence(rng)
    kids = ss.spawn(trials + 1)
    data, inits = [], []
    for child in kids[:trials]:
        data_rng, init_rng = (np.random.default_rng(c) for c in child.spawn(2))
        data.append(fig3_data(panel, data_rng))
        inits.append(init_rng)
    X = np.array([(d[0] - 5.0) / 5.0 for d in data])
    Y = np.array([d[1] for d in data])
    init = init_net_batch(widths, trials, inits)
    out = {}
    for name, pp in (("relu", 1.0), ("dropact", p)):
        Ws, bs = train_regression_batch(X, Y, widths, pp, steps, init=init,
                                        rng=np.random.default_rng(kids[trials]))
        res = {k: np.empty(trials) for k in FIG3_METRICS}
        for k, (x, y, eps) in enumerate(data):
            net = ([w[k] for w in Ws], [b[k, 0] for b in bs])
            for key, val in fig3_metrics(net, pp, x, y, eps, f).items():
                res[key][k] = val
        out[name] = res
    out["seed"] = seed_of(ss)
    return out
