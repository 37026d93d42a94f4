"""Section 6.1 of Zhang & Xu: mini-batch training (Fig. 6), three-layer networks with dropout
after both hidden layers (Fig. 4), many two-layer networks trained at once, and the
teacher–student generalization experiment of Section 6.1.3 (Fig. 8)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import (MAX_SAMPLES, check_choice, check_int, check_probability,
                                check_real, check_samples)
from dropmc.simulations._core import as_seed_sequence
from dropmc.theory import implicit_regularization as th

from .numerical_verification import _fit_network, init_two_layer


def train_two_layer_minibatch(weights, biases, X, Y, *, batch_size: int, p: float = 1.0,
                              activation: str = "tanh", steps: int = 10_000, lr: float = 1e-3,
                              rng=None):
    r"""Adam on mini-batches of ``batch_size`` samples drawn without replacement each step
    (Fig. 6: "batch size = 2"), optionally with dropout (fresh mask per sample and step) on
    the hidden layer of a two-layer network. The loss of a batch is its mean
    :math:`\frac1{2B}\sum_{i\in B}\|f(x_i)-y_i\|^2` (the scale of :math:`R_S`).
    The draws of each step are ``rng.choice(n, batch_size, replace=False)``, then (p < 1)
    the masks ``rng.random((batch_size, m)) < p``; the training is
    :func:`~.numerical_verification._fit_network`'s. Returns (weights, biases)."""
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
    W, b = _fit_network([W[None] for W in Ws], [b[None] for b in bs], X[None], Y[None], p=[p],
                        drop=[p < 1.0], r1=[False], r1c=[0.0], activation=activation,
                        steps=steps, lr=lr, optimizer="adam",
                        draw=lambda U: g.random(out=U[0]),
                        batch=lambda: g.choice(n, size=batch_size, replace=False)[None],
                        batch_size=batch_size)
    return [W[0][0], W[1][0]], [b[0][0], b[1][0]]


def train_three_layer(weights, biases, X, Y, *, p: float = 1.0, activation: str = "tanh",
                      steps: int = 10_000, lr: float = 1e-3, rng=None):
    r"""Full-batch Adam on a three-layer network (two hidden layers) with dropout, keep
    probability p, after *both* hidden layers (Fig. 4 bottom row, Appendix A: "dropout layers
    between two hidden layers and behind the last hidden layer"); fresh masks per sample and
    step (the draws ``rng.random((n, m_1)) < p``, then ``rng.random((n, m_2)) < p``). Loss
    :math:`R_S` (or :math:`R_S^{drop}`) of Eq. 2; the training is
    :func:`~.numerical_verification._fit_network`'s. Returns (weights, biases)."""
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    if len(Ws) != 3:
        raise ValueError(f"train_three_layer needs a three-layer network, got {len(Ws)} layers")
    p = check_probability("p", p)
    steps = check_int("steps", steps, minimum=1, maximum=MAX_SAMPLES)
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    W, b = _fit_network([W[None] for W in Ws], [b[None] for b in bs], X[None], Y[None], p=[p],
                        drop=[p < 1.0], r1=[False], r1c=[0.0], activation=activation,
                        steps=steps, lr=lr, optimizer="adam",
                        draw=lambda U: g.random(out=U[0]))
    return [Wl[0] for Wl in W], [bl[0] for bl in b]


def _per_network(name: str, value, K: int, check) -> list:
    """``value`` for each of K networks: one value for all, or a sequence of K, each checked
    by ``check(name, v)``."""
    if isinstance(value, (str, bytes)) or np.ndim(value) == 0:
        return [check(name, value)] * K
    values = list(value)
    if len(values) != K:
        raise ValueError(f"{name} must be one value or {K} (one per network), got "
                         f"{len(values)}")
    return [check(name, v) for v in values]


def train_two_layer_stack(weights, biases, X, Y, *, p=1.0, mode="dropout",
                          activation: str = "tanh", steps: int = 10_000, lr: float = 1e-3,
                          optimizer: str = "adam", rng=None, batch_size: int | None = None,
                          r1_weight: float = 1.0, record_every: int = 0,
                          history: list | None = None, snapshots: list | None = None):
    r"""K independent two-layer networks trained at once, each on its own data:
    ``weights = [W1 (K, m, d), W2 (K, d', m)]``, ``biases = [b1 (K, m), b2 (K, d')]``,
    ``X (K, n, d)``, ``Y (K, n, d')``. Each network is trained as by :func:`train_two_layer`
    (full batch) or, with ``batch_size``, :func:`train_two_layer_minibatch` (its own
    mini-batch of that many samples, without replacement, each step; the loss the batch
    mean): ``p`` (one keep probability or one per network), ``mode`` ("dropout", "r1" or
    "plain", one or one per network; R1 weighted by ``r1_weight``, its mean over the batch),
    ``optimizer`` ("adam" or "gd") and ``lr`` as there.

    ``rng`` is one stream shared by the stack (Fig. 8's trials): each step draws the
    mini-batches as ``argsort(rng.random((K, n)))[:, :batch_size]``, then, when a network
    drops, the masks ``rng.random((K, B, m)) < p`` of all K networks at once. Or ``rng`` is a
    sequence of K streams, one per network: network k then draws on ``rng[k]`` exactly what
    :func:`train_two_layer` or :func:`train_two_layer_minibatch` draws, and its numbers are
    theirs bit for bit. At every ``record_every``-th step and the last, ``history`` (a list)
    gets (step, R_S (K,), R_1 (K,)) (R_1 = 0 where p = 1) and ``snapshots`` (a list) gets
    (step, W1, b1) copies. Returns (weights, biases) stacked the same way."""
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
    pk = [check_probability("p", float(q)) for q in np.broadcast_to(pk, (K,))]
    modes = _per_network("mode", mode, K,
                         lambda name, v: check_choice(name, v, ("dropout", "r1", "plain")))
    check_choice("optimizer", optimizer, ("adam", "gd"))
    steps = check_int("steps", steps, minimum=1, maximum=MAX_SAMPLES)
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    r1_weight = check_real("r1_weight", r1_weight, lo=0.0)
    record_every = check_int("record_every", record_every, minimum=0, maximum=MAX_SAMPLES)
    for name, out in (("history", history), ("snapshots", snapshots)):
        if out is not None and not isinstance(out, list):
            raise TypeError(f"{name} must be a list (or None), got {type(out).__name__}")
    n = X.shape[1]
    if batch_size is not None:
        batch_size = check_int("batch_size", batch_size, minimum=1)
        if batch_size > n:
            raise ValueError(f"batch_size must be at most the sample count {n}, got "
                             f"{batch_size}")
    B = n if batch_size is None else batch_size
    drop = [md == "dropout" and q < 1.0 for md, q in zip(modes, pk)]
    r1 = [md == "r1" and q < 1.0 for md, q in zip(modes, pk)]
    r1c = [r1_weight * (1.0 - q) / (B * q) for q in pk]
    if isinstance(rng, (list, tuple)):
        if len(rng) != K:
            raise ValueError(f"rng must be one stream or {K} (one per network), got "
                             f"{len(rng)}")
        gens = [np.random.Generator(np.random.PCG64(as_seed_sequence(r, name=f"rng[{k}]")))
                for k, r in enumerate(rng)]
        dropping = [k for k in range(K) if drop[k]]

        def draw(U):
            for k in dropping:
                gens[k].random(out=U[k])

        def batch():
            return np.stack([gk.choice(n, size=B, replace=False) for gk in gens])
    else:
        g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))

        def draw(U):
            g.random(out=U)

        def batch():
            return np.argsort(g.random((K, n)), axis=1)[:, :B]

    def record(t, W, b):
        nets = [([W[0][k], W[1][k]], [b[0][k], b[1][k]]) for k in range(K)]
        if history is not None:
            history.append((t, np.array([th.empirical_risk(*net, X[k], Y[k], activation)
                                         for k, net in enumerate(nets)]),
                            np.array([th.r1(*net, X[k], pk[k], activation) if pk[k] < 1
                                      else 0.0 for k, net in enumerate(nets)])))
        if snapshots is not None:
            snapshots.append((t, W[0].copy(), b[0].copy()))

    return _fit_network([W1, W2], [b1, b2], X, Y, p=pk, drop=drop, r1=r1, r1c=r1c,
                        activation=activation, steps=steps, lr=lr, optimizer=optimizer,
                        draw=draw, batch=None if batch_size is None else batch,
                        batch_size=batch_size, record_every=record_every, on_record=record)


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
