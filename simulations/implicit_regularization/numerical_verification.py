"""Section 5.1 of Zhang & Xu (and the initialisation of Appendix A): full-batch training of a
two-layer network with dropout, with the explicit R1 penalty or plain; and the training loop of
every trainer of the paper.

:func:`train_two_layer` here, :func:`~.condensation.train_two_layer_minibatch`,
:func:`~.condensation.train_two_layer_stack` and :func:`~.condensation.train_three_layer` in
Section 6.1 all run :func:`_fit_network`: K networks stacked along a leading axis, each step a
few numpy calls (the matrix products by numpy's BLAS, tanh and the sigmoid by numpy's own
loops, the masks and mini-batches from numpy's generators) and small Numba kernels for
everything elementwise and for the sums over the samples. Its numbers are those of the plain
numpy training (:func:`_train_network_numpy`, the reference) bit for bit: the kernels make the
same floating-point operations in the same order without fast-math flags (no FMA
contraction), they sum over the samples as numpy's ``sum(axis=0)`` does (a running sum per
column, numpy's pairwise summation for a single column), a product with an inner dimension of
one is the single rounded product numpy makes, and numpy multiplies a stack of matrices as it
multiplies each of them. A network's draws come from its own stream, or from one stream the
stack shares, in a fixed order.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from numba import njit

from dropmc._validation import (MAX_SAMPLES, check_choice, check_int, check_probability,
                                check_real, check_samples)
from dropmc.simulations._core import JIT_EXACT, as_seed_sequence
# the training kernels take the jit options of the fused Adam update: numpy's error model and
# no fast-math flag, so that each operation is rounded as numpy rounds it
from dropmc.simulations.optim import Adam, AdamNumpy
from dropmc.theory import implicit_regularization as th

#: activation codes of the kernels (σ′ is computed from σ(z) itself)
_TANH, _RELU, _SIGMOID, _LINEAR = 0, 1, 2, 3
_ACT_CODES = {"tanh": _TANH, "relu": _RELU, "sigmoid": _SIGMOID, "linear": _LINEAR}


def init_two_layer(d: int, m: int, d_out: int = 1, *, std: float | None = None, rng=None):
    r"""Appendix A initialisation "θ ~ N(0, 1/m^0.2)" (read as variance m^{-0.2}); returns
    (weights, biases) of a d-m-d_out network (the parameters must fit in memory)."""
    m = check_samples("m", m, bytes_per_sample=8 * 3)          # w_j, b_j, a_j at least
    d = check_samples("d", d, bytes_per_sample=8 * m)
    d_out = check_samples("d_out", d_out, bytes_per_sample=8 * (m + 1))
    s = m ** -0.1 if std is None else check_real("std", std, lo=0.0)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    W1 = g.normal(0, s, (m, d))
    b1 = g.normal(0, s, m)
    W2 = g.normal(0, s, (d_out, m))
    b2 = g.normal(0, s, d_out)
    return [W1, W2], [b1, b2]


# ------------------------------------------------------------------------------------------
# the kernels of one training step (K networks stacked along axis 0)
# ------------------------------------------------------------------------------------------

@njit(**JIT_EXACT)
def _pairwise_block(a, lo, n):
    """numpy's pairwise summation of at most 128 values ``a[lo:lo + n]``: a running sum below
    8 values, else eight running sums combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) +
    (r6 + r7)) and the rest of the block added one by one."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - n % 8:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(**JIT_EXACT)
def _pairwise_sum(a):
    """numpy's pairwise summation of the 1-D array ``a`` (its ``sum`` of a contiguous run):
    runs of at most 128 values by :func:`_pairwise_block`, a longer run split at the multiple
    of 8 below its middle and the sums of its halves added, left + right. The recursion is
    run on an explicit stack (numba's cache does not keep recursive functions)."""
    n = a.size
    if n <= 128:
        return _pairwise_block(a, 0, n)
    start = np.empty(64, np.int64)         # the runs being summed, outermost first
    length = np.empty(64, np.int64)
    left = np.empty(64)                    # the sum of a run's left half, once known
    right_next = np.zeros(64, np.bool_)    # whether the run's left half is done
    start[0], length[0], top, res = 0, n, 0, 0.0
    while top >= 0:
        ln = length[top]
        if ln > 128:                       # descend into the left half
            h = ln // 2 - (ln // 2) % 8
            start[top + 1], length[top + 1], right_next[top + 1] = start[top], h, False
            top += 1
            continue
        res = _pairwise_block(a, start[top], ln)
        top -= 1
        while top >= 0:                    # hand the sum up to the enclosing runs
            if right_next[top]:
                res = left[top] + res
                top -= 1
            else:
                h = length[top] // 2 - (length[top] // 2) % 8
                left[top], right_next[top] = res, True
                start[top + 1], length[top + 1] = start[top] + h, length[top] - h
                right_next[top + 1] = False
                top += 1
                break
    return res


@njit(**JIT_EXACT)
def _sum_rows(A, out):
    """``out[:] = A.sum(axis=0)`` for a C-contiguous (r, c) block as numpy sums it: from 0.0,
    a running sum per column when c > 1, numpy's pairwise summation when c = 1."""
    r, c = A.shape
    if c == 1:
        out[0] = 0.0 + _pairwise_sum(A.reshape(r))
        return
    for j in range(c):
        out[j] = 0.0
    for i in range(r):
        for j in range(c):
            out[j] += A[i, j]


@njit(**JIT_EXACT)
def _hidden_pre(Z, X, W1, b1, outer, act):
    """z = x·W1ᵀ + b1 into Z (each network its own W1, b1), then σ in place for ReLU (z if
    z > 0, else 0·z, as ``th.act``; tanh and the sigmoid are numpy's, applied by the
    caller). With ``outer`` (one input, d = 1) the product is made here, x·w rounded once as
    numpy's product of a column and a row; otherwise Z already holds numpy's X·W1ᵀ."""
    K, n, m = Z.shape
    for k in range(K):
        for i in range(n):
            for j in range(m):
                z = Z[k, i, j] if not outer else 0.0 + X[k, i, 0] * W1[k, j, 0]
                z = z + b1[k, j]
                if act == _RELU:
                    z = z if z > 0.0 else 0.0 * z
                Z[k, i, j] = z


@njit(**JIT_EXACT)
def _apply_masks(H, U, p, inv_p, drop, S, Hd):
    """For the networks that drop: S = 1[U < p]/p (``inv_p`` = 1/p) and Hd = H·S; for the
    others Hd = H."""
    K, n, m = H.shape
    for k in range(K):
        if drop[k]:
            pk, keep = p[k], inv_p[k]
            for i in range(n):
                for j in range(m):
                    s = keep if U[k, i, j] < pk else 0.0
                    S[k, i, j] = s
                    Hd[k, i, j] = H[k, i, j] * s
        else:  # element by element, not a slice assignment (docs/architecture.md §7)
            for i in range(n):
                for j in range(m):
                    Hd[k, i, j] = H[k, i, j]


@njit(**JIT_EXACT)
def _output_error(O, b2, Y, nb, E, gb2):
    """E = (O + b2 − Y)/nb, the gradient of the batch's mean ½‖f(x_i) − y_i‖² at each
    output, and gb2 = E.sum(axis=0), per network."""
    K, n, d = O.shape
    for k in range(K):
        for i in range(n):
            for o in range(d):
                E[k, i, o] = ((O[k, i, o] + b2[k, o]) - Y[k, i, o]) / nb
        _sum_rows(E[k], gb2[k])


@njit(**JIT_EXACT)
def _backward(dH, E, S, H, W2, outer, drop, r1, r1c, act, dZ, gb1, hh):
    """dZ = (dH·S + c1·H·col)·σ′ with dH = E·W2 (made here, e·w rounded once, with
    ``outer``: one output, d′ = 1; otherwise numpy's product, in dH); S for the networks that
    drop; the R1 term, col_j = Σ_o W2_oj² and c1 their R1 weight, for those trained on
    R_S + R1; σ′ from σ(z) = H (tanh 1 − H², sigmoid H(1 − H), ReLU 1[H > 0], linear 1).
    Then gb1 = dZ.sum(axis=0) and, for the R1 networks, hh = (H²).sum(axis=0)."""
    K, n, m = dZ.shape
    col = np.empty(m)
    for k in range(K):
        c1 = r1c[k]
        if r1[k]:
            _sum_rows(W2[k] * W2[k], col)
        for i in range(n):
            for j in range(m):
                g = dH[k, i, j] if not outer else 0.0 + E[k, i, 0] * W2[k, 0, j]
                if drop[k]:
                    g = g * S[k, i, j]
                h = H[k, i, j]
                if r1[k]:
                    g = g + (c1 * h) * col[j]
                if act == _TANH:
                    g = g * (1.0 - h * h)
                elif act == _SIGMOID:
                    g = g * (h * (1.0 - h))
                elif act == _RELU:
                    g = g * (1.0 if h > 0.0 else 0.0)
                dZ[k, i, j] = g
        _sum_rows(dZ[k], gb1[k])
        if r1[k]:
            _sum_rows(H[k] * H[k], hh[k])


@njit(**JIT_EXACT)
def _r1_output_grad(gW2, W2, r1, r1c, hh):
    """gW2 += (c1·W2)·hh for the networks trained on R_S + R1 (∂R1/∂W2)."""
    K, d, m = gW2.shape
    for k in range(K):
        if r1[k]:
            c1 = r1c[k]
            for o in range(d):
                for j in range(m):
                    gW2[k, o, j] = gW2[k, o, j] + (c1 * W2[k, o, j]) * hh[k, j]


@njit(**JIT_EXACT)
def _gd_step(q, g, lr):
    """q −= lr·g on flat arrays (gradient descent)."""
    for i in range(q.size):
        q[i] = q[i] - lr * g[i]


# ------------------------------------------------------------------------------------------
# the trainer
# ------------------------------------------------------------------------------------------

def _views(flat, shapes):
    """Consecutive C-contiguous views of the flat array ``flat`` with the given shapes."""
    out, at = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        out.append(flat[at:at + size].reshape(shape))
        at += size
    return out


def _fit_network(Ws, bs, X, Y, *, p, drop, r1, r1c, activation: str, steps: int, lr: float,
                 optimizer: str, draw: Callable | None = None, batch: Callable | None = None,
                 batch_size: int | None = None, record_every: int = 0,
                 on_record: Callable | None = None) -> tuple[list, list]:
    r"""Train K networks of L ≥ 2 layers at once (arguments checked by the caller) from the
    stacked weights ``Ws[l]`` (K, m_{l+1}, m_l) and biases ``bs[l]`` (K, m_{l+1}) on ``X``
    (K, n, d), ``Y`` (K, n, d'); returns the trained (weights, biases), stacked the same way.

    Per network k: ``p[k]`` its keep probability; ``drop[k]`` whether it trains with dropout
    masks S = 1[U < p]/p after every hidden layer, fresh for every unit, sample and step;
    ``r1[k]`` whether its loss carries the explicit R1 term of the last hidden layer (Eq. 3,
    for L = 2), with weight ``r1c[k]`` = w(1 − p)/(np). The loss is the mean of
    ½‖f(x_i) − y_i‖² over the batch. Each step, ``batch()`` gives the rows (K, B) of the
    mini-batches of ``batch_size`` (no ``batch``: the full batch, B = n); then, when a network
    drops, ``draw(U)`` fills the uniforms U (K, B, m_l) of each hidden layer in turn.
    ``optimizer``: "adam" (:class:`~dropmc.simulations.optim.Adam`, lr, β = 0.9, 0.999) or
    "gd". After the update of every ``record_every``-th step and of the last,
    ``on_record(t, Ws, bs)``.

    The parameters are views of one flat vector, and so are their gradients, so that an
    optimiser step is one elementwise update (the same numbers as one per array)."""
    L = len(Ws)
    K = Ws[0].shape[0]
    B = X.shape[1] if batch is None else batch_size
    code = _ACT_CODES[activation]
    p = np.asarray(p, dtype=float)
    inv_p = 1.0 / p
    drop = np.asarray(drop, dtype=np.bool_)
    r1 = np.asarray(r1, dtype=np.bool_)
    no_r1 = np.zeros(K, dtype=np.bool_)
    r1c = np.asarray(r1c, dtype=float)
    any_drop, any_r1 = bool(drop.any()), bool(r1.any())
    shapes = [W.shape for W in Ws] + [b.shape for b in bs]
    theta = np.concatenate([np.ravel(a) for a in (*Ws, *bs)]).astype(float)
    grad = np.empty_like(theta)
    views, gviews = _views(theta, shapes), _views(grad, shapes)
    Ws, bs, gWs, gbs = views[:L], views[L:], gviews[:L], gviews[L:]
    widths = [W.shape[1] for W in Ws]          # m_1 … m_{L−1}, d'
    Z = [np.empty((K, B, m)) for m in widths[:-1]]      # z, then σ(z) in place
    Hd = [np.empty((K, B, m)) if any_drop else z for z, m in zip(Z, widths)]
    S = [np.empty((K, B, m)) if any_drop else z for z, m in zip(Z, widths)]
    U = [np.empty((K, B, m)) for m in widths[:-1]] if any_drop else []
    dH = [np.empty((K, B, m)) for m in widths[:-1]]
    dZ = [np.empty((K, B, m)) for m in widths[:-1]]
    O, E = np.empty((K, B, widths[-1])), np.empty((K, B, widths[-1]))
    hh = np.empty((K, widths[-2]))
    Wt = [W.transpose(0, 2, 1) for W in Ws]
    ups = dZ + [E]                              # the gradient at each layer's pre-activation
    upst = [u.transpose(0, 2, 1) for u in ups]
    adam = Adam([theta], lr) if optimizer == "adam" else None
    nets = np.arange(K)[:, None]
    Xb, Yb = X, Y
    for t in range(1, steps + 1):
        if batch is not None:
            rows = batch()
            Xb, Yb = X[nets, rows], Y[nets, rows]
        inputs = [Xb] + Hd
        for l in range(L - 1):
            outer = Ws[l].shape[2] == 1
            if not outer:
                np.matmul(inputs[l], Wt[l], out=Z[l])
            _hidden_pre(Z[l], inputs[l], Ws[l], bs[l], outer, code)
            if code == _TANH:
                np.tanh(Z[l], out=Z[l])
            elif code == _SIGMOID:              # 1/(1 + e^{−z}), as th.act
                np.negative(Z[l], out=Z[l])
                np.exp(Z[l], out=Z[l])
                np.add(Z[l], 1.0, out=Z[l])
                np.divide(1.0, Z[l], out=Z[l])
            if any_drop:
                draw(U[l])
                _apply_masks(Z[l], U[l], p, inv_p, drop, S[l], Hd[l])
        np.matmul(inputs[L - 1], Wt[L - 1], out=O)
        _output_error(O, bs[L - 1], Yb, B, E, gbs[L - 1])
        for l in range(L - 2, -1, -1):
            outer = widths[l + 1] == 1
            if not outer:
                np.matmul(ups[l + 1], Ws[l + 1], out=dH[l])
            last = l == L - 2
            _backward(dH[l], ups[l + 1], S[l], Z[l], Ws[l + 1], outer, drop,
                      r1 if last else no_r1, r1c, code, dZ[l], gbs[l], hh)
        for l in range(L):
            np.matmul(upst[l], inputs[l], out=gWs[l])
        if any_r1:
            _r1_output_grad(gWs[L - 1], Ws[L - 1], r1, r1c, hh)
        if adam is not None:
            adam.step([theta], [grad])
        else:
            _gd_step(theta, grad, lr)
        if record_every and (t % record_every == 0 or t == steps):
            on_record(t, Ws, bs)
    return Ws, bs


def train_two_layer(weights, biases, X, Y, *, p: float = 1.0, mode: str = "dropout",
                    activation: str = "tanh", steps: int = 10_000, lr: float = 1e-3,
                    optimizer: str = "adam", rng=None, record_every: int = 0,
                    snapshots: list | None = None, r1_weight: float = 1.0):
    r"""Full-batch training of a two-layer network (no framework: :func:`_fit_network`).

    ``mode``: ``"dropout"`` — the loss :math:`R_S^{drop}` with a fresh η per data point and per
    step on the hidden layer (as PyTorch's dropout layer does); ``"r1"`` — the explicit loss
    :math:`R_S+R_1` (Eq. 6, :math:`L_1`), with R1 multiplied by ``r1_weight`` (1 by default;
    the power runs of ``sec5_1.dropout_vs_r1_training`` move it); ``"plain"`` — :math:`R_S`.
    Adam (β = 0.9, 0.999) or GD. The masks are the draws ``rng.random((n, m)) < p`` of each
    step (dropout with p < 1 only); the numbers are those of :func:`_train_network_numpy`.
    Returns (weights, biases, history) where history rows are (step, R_S, R_1); when
    ``snapshots`` is a list, (step, W1, b1) copies are appended to it at every record step.
    """
    Ws, bs, X, Y = th.check_network(weights, biases, X, Y, activation)
    if len(Ws) != 2:
        raise ValueError(f"train_two_layer needs a two-layer network, got {len(Ws)} layers")
    p = check_probability("p", p)
    check_choice("mode", mode, ("dropout", "r1", "plain"))
    check_choice("optimizer", optimizer, ("adam", "gd"))
    steps = check_int("steps", steps, minimum=1, maximum=MAX_SAMPLES)
    record_every = check_int("record_every", record_every, minimum=0, maximum=MAX_SAMPLES)
    if snapshots is not None and not isinstance(snapshots, list):
        raise TypeError(f"snapshots must be a list (or None), got {type(snapshots).__name__}")
    lr = check_real("lr", lr, lo=0.0, lo_open=True)
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    r1_weight = check_real("r1_weight", r1_weight, lo=0.0)
    n = X.shape[0]
    hist = []

    def record(t, W, b):
        net = ([W[0][0], W[1][0]], [b[0][0], b[1][0]])
        hist.append((t, th.empirical_risk(*net, X, Y, activation),
                     th.r1(*net, X, p, activation) if p < 1 else 0.0))
        if snapshots is not None:
            snapshots.append((t, W[0][0].copy(), b[0][0].copy()))

    W, b = _fit_network([W[None] for W in Ws], [b[None] for b in bs], X[None], Y[None], p=[p],
                        drop=[mode == "dropout" and p < 1.0], r1=[mode == "r1" and p < 1.0],
                        r1c=[r1_weight * (1.0 - p) / (n * p)], activation=activation,
                        steps=steps, lr=lr, optimizer=optimizer,
                        draw=lambda U: g.random(out=U[0]), record_every=record_every,
                        on_record=record)
    return [W[0][0], W[1][0]], [b[0][0], b[1][0]], np.array(hist)


def _train_network_numpy(weights, biases, X, Y, *, p: float = 1.0, mode: str = "dropout",
                         activation: str = "tanh", steps: int = 10_000, lr: float = 1e-3,
                         optimizer: str = "adam", rng=None, r1_weight: float = 1.0):
    """The plain numpy reference of :func:`_fit_network` for one network of L ≥ 2 layers, as
    :func:`train_two_layer` (L = 2) and :func:`~.condensation.train_three_layer` (L = 3,
    mode "dropout") train it: the same arguments, unchecked; the masks drawn after each hidden
    layer in turn; numpy's Adam (:class:`~dropmc.simulations.optim.AdamNumpy`). It is the
    previous implementation of those trainers. Returns (weights, biases)."""
    g = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    Ws = [np.array(W, dtype=float) for W in weights]
    bs = [np.array(b, dtype=float) for b in biases]
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    L, n = len(Ws), X.shape[0]
    params = Ws + bs
    adam = AdamNumpy(params, lr)
    c1 = r1_weight * (1.0 - p) / (n * p)
    for _ in range(steps):
        Z, H, S, D = [], [], [], [X]
        for W, b in zip(Ws[:-1], bs[:-1]):
            Z.append(D[-1] @ W.T + b)
            H.append(th.act(activation, Z[-1]))
            S.append((g.random(H[-1].shape) < p) / p if mode == "dropout" and p < 1.0 else 1.0)
            D.append(H[-1] * S[-1])
        E = (D[-1] @ Ws[-1].T + bs[-1] - Y) / n
        gWs, gbs = [E.T @ D[-1]], [E.sum(axis=0)]
        up = E
        for l in range(L - 2, -1, -1):
            dH = (up @ Ws[l + 1]) * S[l]
            if mode == "r1" and p < 1.0:         # R1 of the last hidden layer (L = 2)
                gWs[0] = gWs[0] + c1 * Ws[-1] * np.sum(H[l] * H[l], axis=0)
                dH = dH + c1 * H[l] * np.sum(Ws[-1] * Ws[-1], axis=0)
            up = dH * th.act_prime(activation, Z[l])
            gWs.insert(0, up.T @ D[l])
            gbs.insert(0, up.sum(axis=0))
        if optimizer == "adam":
            adam.step(params, gWs + gbs)
        else:
            for q, gq in zip(params, gWs + gbs):
                q -= lr * gq
    return Ws, bs
