"""The Zhang–Xu trainers (dropmc.simulations.implicit_regularization: train_two_layer,
train_two_layer_minibatch, train_two_layer_stack, train_three_layer, all on _fit_network)
against plain numpy, bit for bit: the numpy reference _train_network_numpy, the shared-stream
stack written out below, and each network of a stack against its own single training."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from dropmc.claims import one_blas_thread
from dropmc.simulations import implicit_regularization as sim
from dropmc.simulations.implicit_regularization import numerical_verification as nv
from dropmc.simulations.optim import Adam
from dropmc.theory import implicit_regularization as th
from conftest import at_thread_counts


def _same(a, b) -> bool:
    """Two lists of arrays equal bit for bit."""
    return len(a) == len(b) and all(x.shape == y.shape and x.tobytes() == y.tobytes()
                                    for x, y in zip(a, b))


def _net(g, d, m, d_out, n):
    Ws = [g.normal(size=(m, d)), g.normal(size=(d_out, m)) / np.sqrt(m)]
    bs = [g.normal(size=m), g.normal(size=d_out)]
    return Ws, bs, g.normal(size=(n, d)), g.normal(size=(n, d_out))


def _stacked(nets):
    return ([np.stack([w[i] for w, _ in nets]) for i in range(2)],
            [np.stack([b[i] for _, b in nets]) for i in range(2)])


# ------------------------------------------------------------------------------------------
# the sums over the samples
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 5, 7, 8, 9, 30, 127, 128, 129, 300, 1000, 4097])
def test_sums_are_numpys(n):
    """_sum_rows sums a block over its rows as numpy's sum(axis=0) does: numpy's pairwise
    summation for one column (blocks of 128, eight running sums), a running sum per column
    otherwise; values of mixed magnitudes so that any other order shows."""
    g = np.random.default_rng(n)
    for c in (1, 2, 7):
        A = g.normal(size=(n, c)) * 10.0 ** g.integers(-6, 7, size=(n, c))
        out = np.empty(c)
        nv._sum_rows(A, out)
        assert out.tobytes() == A.sum(axis=0).tobytes()
    a = A[:, 0].copy()
    assert 0.0 + nv._pairwise_sum(a) == a.sum()


# ------------------------------------------------------------------------------------------
# one network against the numpy reference
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
@pytest.mark.parametrize("mode,optimizer", [("dropout", "adam"), ("r1", "gd"), ("plain", "adam"),
                                            ("dropout", "gd"), ("r1", "adam")])
def test_train_two_layer_is_the_numpy_training(activation, mode, optimizer):
    """train_two_layer gives the numbers of _train_network_numpy bit for bit, over shapes
    that take every path of the kernels: one input (d = 1: the product made in the kernel),
    one output or two, one hidden unit (the pairwise sums), keep probabilities below 1 and 1
    (no masks), and a sample of 130 (pairwise summation past one block)."""
    g = np.random.default_rng(zlib.crc32(f"{activation} {mode} {optimizer}".encode()))
    with one_blas_thread():
        for d, m, d_out, n, p in ((1, 9, 1, 6, 0.5), (4, 1, 2, 9, 0.8), (3, 17, 2, 130, 0.7),
                                  (5, 12, 1, 30, 1.0), (2, 6, 1, 1, 0.6)):
            Ws, bs, X, Y = _net(g, d, m, d_out, n)
            kw = dict(p=p, mode=mode, activation=activation, steps=25, lr=1e-2,
                      optimizer=optimizer, rng=7, r1_weight=1.3)
            W, b, _ = sim.train_two_layer(Ws, bs, X, Y, **kw)
            Wr, br = nv._train_network_numpy(Ws, bs, X, Y, **kw)
            assert _same(W + b, Wr + br), (d, m, d_out, n, p)


def test_train_two_layer_records():
    """The history rows are R_S and R1 of the weights after each record step, and the
    snapshots their first layer: those of trainings stopped at that step."""
    g = np.random.default_rng(1)
    Ws, bs, X, Y = _net(g, 3, 8, 1, 10)
    snaps = []
    W, b, hist = sim.train_two_layer(Ws, bs, X, Y, p=0.6, steps=25, lr=1e-2, rng=3,
                                     record_every=10, snapshots=snaps)
    assert hist[:, 0].tolist() == [10, 20, 25] == [t for t, _, _ in snaps]
    for (t, rs, r1), (_, W1, b1) in zip(hist, snaps):
        Wt, bt, _ = sim.train_two_layer(Ws, bs, X, Y, p=0.6, steps=int(t), lr=1e-2, rng=3)
        assert rs == th.empirical_risk(Wt, bt, X, Y) and r1 == th.r1(Wt, bt, X, 0.6)
        assert _same([W1, b1], [Wt[0], bt[0]])
    assert _same(W + b, Wt + bt)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("p", [0.7, 1.0])
def test_train_three_layer_is_the_numpy_training(activation, p):
    """train_three_layer (masks after both hidden layers, drawn layer by layer) gives the
    numbers of _train_network_numpy with three layers, bit for bit (one input: the product
    made in the kernel; two inputs: numpy's)."""
    g = np.random.default_rng(4)
    with one_blas_thread():
        for d in (1, 2):
            Ws = [g.normal(size=(7, d)), g.normal(size=(5, 7)) / 3, g.normal(size=(1, 5)) / 3]
            bs = [g.normal(size=7), g.normal(size=5), g.normal(size=1)]
            X, Y = g.normal(size=(9, d)), g.normal(size=(9, 1))
            W, b = sim.train_three_layer(Ws, bs, X, Y, p=p, activation=activation, steps=30,
                                         lr=1e-2, rng=2)
            Wr, br = nv._train_network_numpy(Ws, bs, X, Y, p=p, activation=activation,
                                             steps=30, lr=1e-2, rng=2)
            assert _same(W + b, Wr + br)


def test_train_two_layer_minibatch_is_the_numpy_training():
    """Mini-batches of 2 drawn by rng.choice, then the masks, each step: the numbers of the
    numpy training written out."""
    g = np.random.default_rng(5)
    Ws, bs, X, Y = _net(g, 3, 11, 1, 8)
    W, b = sim.train_two_layer_minibatch(Ws, bs, X, Y, batch_size=2, p=0.6, steps=30,
                                         lr=1e-2, rng=9)
    r = np.random.default_rng(np.random.SeedSequence(9))
    W1, b1, W2, b2 = (a.copy() for a in (Ws[0], bs[0], Ws[1], bs[1]))
    adam = Adam([W1, b1, W2, b2], 1e-2)
    for _ in range(30):
        idx = r.choice(8, size=2, replace=False)
        H = np.tanh(X[idx] @ W1.T + b1)
        S = (r.random(H.shape) < 0.6) / 0.6
        E = (H * S @ W2.T + b2 - Y[idx]) / 2
        dZ = ((E @ W2) * S) * (1.0 - H * H)
        adam.step([W1, b1, W2, b2], [dZ.T @ X[idx], dZ.sum(axis=0), E.T @ (H * S),
                                     E.sum(axis=0)])
    assert _same(W + b, [W1, W2, b1, b2])


# ------------------------------------------------------------------------------------------
# stacks
# ------------------------------------------------------------------------------------------

def _stack_numpy(Ws, bs, X, Y, p, steps, lr, seed, batch_size=None):
    """The shared-stream stack written out in numpy (one generator: the mini-batches as
    argsort of K × n uniforms, then the masks of all K networks at once when any drops)."""
    g = np.random.default_rng(np.random.SeedSequence(seed))
    W1, W2 = (np.array(W, dtype=float) for W in Ws)
    b1, b2 = (np.array(b, dtype=float) for b in bs)
    K, n = X.shape[:2]
    pk = np.asarray(p, dtype=float)[:, None, None]
    adam = Adam([W1, b1, W2, b2], lr)
    for _ in range(steps):
        Xb, Yb, nb = X, Y, n
        if batch_size is not None:
            idx = np.argsort(g.random((K, n)), axis=1)[:, :batch_size]
            Xb, Yb, nb = X[np.arange(K)[:, None], idx], Y[np.arange(K)[:, None], idx], batch_size
        Z = Xb @ W1.transpose(0, 2, 1) + b1[:, None, :]
        H = np.tanh(Z)
        S = (g.random(H.shape) < pk) / pk if np.any(pk < 1.0) else 1.0
        E = (H * S @ W2.transpose(0, 2, 1) + b2[:, None, :] - Yb) / nb
        dZ = ((E @ W2) * S) * (1.0 - H * H)
        adam.step([W1, b1, W2, b2], [dZ.transpose(0, 2, 1) @ Xb, dZ.sum(axis=1),
                                     E.transpose(0, 2, 1) @ (H * S), E.sum(axis=1)])
    return [W1, W2, b1, b2]


@pytest.mark.parametrize("batch_size", [None, 3])
def test_stack_shared_stream_is_the_numpy_training(batch_size):
    """One stream for the stack (Fig. 8's trials): the numbers of the stacked numpy
    training, networks with p = 1 among those that drop."""
    g = np.random.default_rng(6)
    nets = [_net(g, 2, 9, 1, 7) for _ in range(3)]
    Ws, bs = _stacked([(w, b) for w, b, _, _ in nets])
    X, Y = np.stack([x for _, _, x, _ in nets]), np.stack([y for _, _, _, y in nets])
    p = [0.6, 1.0, 0.8]
    W, b = sim.train_two_layer_stack(Ws, bs, X, Y, p=p, steps=20, lr=1e-2, rng=4,
                                     batch_size=batch_size)
    assert _same(W + b, _stack_numpy(Ws, bs, X, Y, p, 20, 1e-2, 4, batch_size))


def test_stack_per_network_streams_are_the_single_trainings():
    """One stream per network: each network of the stack (its own data, keep probability,
    mode, initialisation) has the numbers of train_two_layer on its stream, history rows
    included; with batch_size those of train_two_layer_minibatch."""
    g = np.random.default_rng(8)
    nets = [_net(g, 3, 10, 1, 12) for _ in range(4)]
    Ws, bs = _stacked([(w, b) for w, b, _, _ in nets])
    X, Y = np.stack([x for _, _, x, _ in nets]), np.stack([y for _, _, _, y in nets])
    p, modes, seeds = [0.5, 1.0, 0.7, 0.9], ["dropout", "dropout", "r1", "plain"], [3, 4, 5, 6]
    for optimizer in ("adam", "gd"):
        hist, snaps = [], []
        W, b = sim.train_two_layer_stack(Ws, bs, X, Y, p=p, mode=modes, steps=21, lr=1e-2,
                                         optimizer=optimizer, rng=seeds, r1_weight=0.8,
                                         record_every=10, history=hist, snapshots=snaps)
        for k, (w0, b0, x, y) in enumerate(nets):
            Wk, bk, hk = sim.train_two_layer(w0, b0, x, y, p=p[k], mode=modes[k], steps=21,
                                             lr=1e-2, optimizer=optimizer, rng=seeds[k],
                                             r1_weight=0.8, record_every=10)
            assert _same([W[0][k], W[1][k], b[0][k], b[1][k]], Wk + bk)
            assert _same([np.array([(t, rs[k], r1[k]) for t, rs, r1 in hist])], [hk])
            assert _same([snaps[-1][1][k]], [Wk[0]])
    W, b = sim.train_two_layer_stack(Ws, bs, X, Y, p=p, steps=15, lr=1e-2, rng=seeds,
                                     batch_size=2)
    for k, (w0, b0, x, y) in enumerate(nets):
        Wk, bk = sim.train_two_layer_minibatch(w0, b0, x, y, batch_size=2, p=p[k], steps=15,
                                               lr=1e-2, rng=seeds[k])
        assert _same([W[0][k], W[1][k], b[0][k], b[1][k]], Wk + bk)


def test_stack_thread_independent(monkeypatch):
    """The stacked training is the same at 1 and 2 numba (and chunk) threads."""
    g = np.random.default_rng(10)
    nets = [_net(g, 2, 8, 1, 6) for _ in range(2)]
    Ws, bs = _stacked([(w, b) for w, b, _, _ in nets])
    X, Y = np.stack([x for _, _, x, _ in nets]), np.stack([y for _, _, _, y in nets])
    a, b = at_thread_counts(monkeypatch, lambda: sim.train_two_layer_stack(
        Ws, bs, X, Y, p=[0.5, 0.9], steps=20, lr=1e-2, rng=[1, 2]))
    assert _same(a[0] + a[1], b[0] + b[1])


@pytest.mark.parametrize("kwargs,match", [
    ({"mode": ["dropout"]}, "mode must be one value or 2"),
    ({"mode": "drop"}, "mode"),
    ({"rng": [1, 2, 3]}, "rng must be one stream or 2"),
    ({"rng": [1, "x"]}, r"rng\[1\]"),
    ({"optimizer": "sgd"}, "optimizer"),
    ({"r1_weight": -1.0}, "r1_weight"),
    ({"record_every": -1}, "record_every"),
    ({"record_every": 1, "history": "rows"}, "history must be a list"),
    ({"snapshots": (1,)}, "snapshots must be a list"),
])
def test_stack_bad_input(kwargs, match):
    g = np.random.default_rng(11)
    nets = [_net(g, 2, 4, 1, 3) for _ in range(2)]
    Ws, bs = _stacked([(w, b) for w, b, _, _ in nets])
    X, Y = np.stack([x for _, _, x, _ in nets]), np.stack([y for _, _, _, y in nets])
    with pytest.raises((ValueError, TypeError), match=match):
        sim.train_two_layer_stack(Ws, bs, X, Y, steps=2, **kwargs)
