"""Section 6.1 of Zhang & Xu: mini-batch training (Fig. 6), three-layer networks with dropout
after both hidden layers (Fig. 4), many two-layer networks trained at once, and the
teacher–student generalization experiment of Section 6.1.3 (Fig. 8)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import (MAX_SAMPLES, check_choice, check_int, check_probability,
                                check_real, check_samples)
from dropmc.simulations._core import as_seed_sequence
from dropmc.simulations.optim import Adam
from dropmc.theory import implicit_regularization as th

from .numerical_verification import init_two_layer


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
    steps = check_int("steps", steps, minimum=1, maximum=MAX_SAMPLES)
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
    steps = check_int("steps", steps, minimum=1, maximum=MAX_SAMPLES)
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
    pk = np.asarray(p, dtype=float)
    if pk.shape not in ((), (K,)):
        raise ValueError(f"p must be one keep probability or {K} (one per network), got shape "
                         f"{pk.shape}")
    pk = np.broadcast_to(pk, (K,)).copy()
    for q in pk:
        check_probability("p", float(q))
    steps = check_int("steps", steps, minimum=1, maximum=MAX_SAMPLES)
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
    ps = [check_probability("ps", q) for q in ps]
    # the networks of one n train at once: about eight float arrays of n × width per network
    per_unit = 8 * 8 * len(ps) * max(ns, default=1)
    width = check_samples("width", width, bytes_per_sample=per_unit)
    trials = check_samples("trials", trials, bytes_per_sample=per_unit * width)
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
