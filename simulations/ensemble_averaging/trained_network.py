"""Sections 9.5–9.6 of Baldi & Sadowski on a dropout-trained deep logistic classifier (Figs.
9.3–9.15): the network (:class:`DropoutMLP`), the one trainer of the digits networks of Sections 9
and 11 (:func:`train_noise_classifier`, with dropout, dropin or no noise; the dropin ensemble
network it predicts with is the mirror of Eq. 98, :func:`mirror_dropin`), the memoised digits
classifier, and the Monte Carlo kernel over the dropout subnetworks of a snapshot."""

from __future__ import annotations

import math
import time as _time
from dataclasses import dataclass, field

import numpy as np
from numba import njit
from scipy import special

from dropmc._studies import study
from dropmc._validation import check_array, check_choice, check_int, check_real, check_samples
from dropmc.estimate import seed_of
from dropmc.simulations._core import JIT_EXACT, as_generator, as_seed_sequence, run_chunks
from dropmc.simulations._vmath import JIT_VEC, exp_v, log1p_unit
from dropmc.simulations._xoshiro import next_double_r
from dropmc.simulations.optim import Adam
from dropmc.theory import ensemble_averaging as _th

# ==========================================================================================
# Section 9.5–9.6: a deep logistic classifier trained with dropout
# ==========================================================================================
#
# The paper's Figs. 9.3–9.15 study a 784-1200-1200-1200-1200-10 logistic network trained on
# MNIST with dropout (keep probability 0.8 on the inputs, 0.5 on the hidden units). Here the
# same architecture, scaled to scikit-learn's 8×8 digits (see dropmc.simulations.datasets):
# 64-h-h-h-h-10, every unit logistic (the ten outputs too, trained with the cross-entropy of
# each output against its one-hot target), biases never dropped, no rescaling during training
# (δ ∈ {0, 1}; the ensemble network scales the weights by p, Eq. 98). Training is plain numpy
# minibatch Adam, seeded; snapshots of the weights are kept before, during and after training.
# The Monte Carlo kernel draws dropout subnetworks of a snapshot for a fixed input and returns,
# per unit, the moments the figures and claims need.

#: the network of Figs. 9.3–9.15 scaled to the 8×8 digits: width of the four hidden layers,
#: training epochs and the epochs at which snapshots are kept (0 = before training)
DIGITS_HIDDEN = 128
DIGITS_EPOCHS = 200
DIGITS_SNAPSHOTS = (0, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80, 120, 160, 200)
DIGITS_LR = 0.01


@dataclass(frozen=True)
class DropoutMLP:
    """A layered logistic network: ``Ws[l]`` (n_{l+1}, n_l), biases ``bs[l]`` (n_{l+1},), and
    ``ps[l]`` the keep probability of the units of layer l (layer 0 = the input) feeding layer
    l + 1. The output layer is never dropped."""

    Ws: tuple
    bs: tuple
    ps: tuple

    @property
    def sizes(self) -> tuple:
        return (self.Ws[0].shape[1],) + tuple(W.shape[0] for W in self.Ws)

    @property
    def n_units(self) -> int:
        """Number of non-input units."""
        return int(sum(self.sizes[1:]))

    def unit_layer(self) -> np.ndarray:
        """Layer number (1 … L) of each non-input unit, in the kernel's global order."""
        return np.repeat(np.arange(1, len(self.Ws) + 1), self.sizes[1:])

    def ensemble(self, I) -> dict:
        """Eq. 98 on input(s) ``I``: ``{"U": [...], "W": [...]}`` per layer."""
        return _th.ensemble_network(self.Ws, self.bs, self.ps, I)

    def ensemble_flat(self, I) -> tuple[np.ndarray, np.ndarray]:
        """(U, W) of every non-input unit for each input: arrays (n_inputs, n_units)."""
        e = self.ensemble(np.atleast_2d(I))
        return np.concatenate(e["U"], axis=1), np.concatenate(e["W"], axis=1)

    def predict(self, X) -> np.ndarray:
        """Class predicted by the ensemble network (largest output W)."""
        return np.argmax(self.ensemble(np.atleast_2d(X))["W"][-1], axis=1)


# Dropin (Sec. 11.6): a unit is set to 1, instead of 0, when it is not kept: the next layer
# receives δO + (1 − δ) = 1 − δ(1 − O), δ ~ Bernoulli(p). Mirror identity (used here for the
# Monte Carlo and the ensemble): with O' = 1 − O = σ(−S) and inputs I' = 1 − I, a logistic
# network (w, b) under dropin is *exactly* the logistic network (w, b' = −b − Σ_j w_ij) under
# dropout, unit by unit and subnetwork by subnetwork (S_i = b_i + Σ_j w_ij − Σ_j w_ij δ_j O'_j,
# so −S_i = b'_i + Σ_j w_ij δ_j O'_j). The dropout kernel of Sec. 9.5 therefore draws the
# dropin subnetworks of a network (same law, same stream), and the dropin ensemble network
# (each unit replaced by its mean pO + 1 − p) is the mirror of the mirrored network's Eq. 98.
# (targets t become 1 − t; the loss is the same). The asymmetry of dropin and dropout is thus
# not in the network or the noise law but in training: the data the equivalent dropout network
# sees (inverted inputs, one-cold targets) and the coordinates the optimiser works in.

#: noise kinds of :func:`train_noise_classifier`
NOISE_KINDS = ("dropout", "dropin", "none")


def mirror_dropin(net):
    """The dropout network equivalent to ``net`` under dropin (see the block comment): same
    weights and keep probabilities, biases b' = −b − Σ_j w_ij; its units are 1 − O of ``net``'s
    on the input 1 − I, subnetwork by subnetwork (an involution: mirror(mirror(net)) = net)."""
    _check_net(net)
    return DropoutMLP(net.Ws, tuple(-np.asarray(b, float) - np.asarray(W, float).sum(axis=1)
                                    for W, b in zip(net.Ws, net.bs)), net.ps)


def _check_net(net) -> DropoutMLP:
    if not isinstance(net, DropoutMLP):
        raise TypeError(f"net must be a DropoutMLP, got {type(net).__name__}")
    return net


def _check_inputs(name: str, net, X) -> np.ndarray:
    """Finite inputs of ``net`` (a :class:`DropoutMLP`), one per row: (n_inputs, n_in); a
    single input (n_in,) is one row."""
    X = check_array(name, np.atleast_2d(X), ndim=2)
    if X.shape[1] != _check_net(net).sizes[0]:
        raise ValueError(f"{name} must have {net.sizes[0]} columns, got {X.shape[1]}")
    return X


def noise_ensemble_flat(net, X, noise: str = "dropout") -> tuple[np.ndarray, np.ndarray]:
    """(U, W) of every non-input unit of the deterministic ensemble network for the noise kind
    (arrays (n_inputs, n_units)): Eq. 98 for dropout (each unit feeds p·W forward), its dropin
    analogue (each unit feeds pW + 1 − p; computed as the mirror of Eq. 98 on the mirrored
    network), the plain forward pass for ``"none"`` (all p = 1 in training)."""
    if noise not in NOISE_KINDS:
        raise ValueError(f"noise must be one of {NOISE_KINDS}, got {noise!r}")
    X = _check_inputs("X", net, X)
    if noise == "dropin":
        U, W = mirror_dropin(net).ensemble_flat(1.0 - X)
        return -U, 1.0 - W
    return net.ensemble_flat(X)


def noise_predict(net, X, noise: str = "dropout") -> np.ndarray:
    """Class predicted by the deterministic ensemble network of the noise kind."""
    U, W = noise_ensemble_flat(net, X, noise)
    return np.argmax(W[:, -net.sizes[-1]:], axis=1)


@dataclass
class NoiseTrainedClassifier:
    """A classifier trained with dropout, dropin or no noise (:func:`train_noise_classifier`):
    snapshots ``[(epoch, DropoutMLP), …]`` of the raw weights (original coordinates; predict
    with :func:`noise_predict`), test/train accuracy of the final ensemble network, the test
    accuracy at each snapshot epoch, wall time and settings."""

    noise: str
    snapshots: list
    test_accuracy: float
    train_accuracy: float
    test_correct: np.ndarray = field(repr=False)
    seconds: float = 0.0
    settings: dict = field(default_factory=dict)
    accuracy_curve: list = field(default_factory=list)

    @property
    def final(self):
        return self.snapshots[-1][1]

    def __post_init__(self):
        check_choice("noise", self.noise, NOISE_KINDS)
        check_real("test_accuracy", self.test_accuracy, lo=0.0, hi=1.0)
        check_real("train_accuracy", self.train_accuracy, lo=0.0, hi=1.0)
        check_real("seconds", self.seconds, lo=0.0)


def train_noise_classifier(X, y, X_test, y_test, *, noise: str = "dropin",
                           hidden=(128,) * 4, p_in: float = 0.8, p_hidden: float = 0.5,
                           epochs: int = 200, batch: int = 64, lr: float = 0.01,
                           init_sd: float = 0.01, snapshot_epochs=(), seed: int = 0
                           ) -> NoiseTrainedClassifier:
    """The one trainer of the Section 9 and 11 digits networks (:func:`train_dropout_classifier`
    is its dropout case; network, loss and Adam described there) with the noise kind as a
    parameter: ``"dropout"`` (a unit not kept feeds 0 forward),
    ``"dropin"`` (it feeds 1 forward, Sec. 11.6; inputs not kept are set to 1) or ``"none"``
    (every unit kept: p_in = p_hidden = 1). A unit not kept passes no gradient back (its
    output is a constant 0 or 1). Snapshots at ``snapshot_epochs`` plus 0 and the end.

    Per minibatch: the uniforms of the keep decisions in one draw (the input's, then each
    hidden layer's, one per example and unit), numpy's matrix products, and one fused pass
    per layer for the elementwise work around them (:func:`_hidden_units`,
    :func:`_output_delta`, :func:`_hidden_delta`); bit-identical to the plain-numpy
    reference :func:`_train_noise_numpy` (same draws, same operations in the same order)."""
    if noise not in NOISE_KINDS:
        raise ValueError(f"noise must be one of {NOISE_KINDS}, got {noise!r}")
    X, y = _check_xy("X", X, y)
    X_test, y_test = _check_xy("X_test", X_test, y_test, X.shape[1])
    hidden = tuple(check_int("hidden width", h, minimum=1) for h in hidden)
    p_in = check_real("p_in", p_in, lo=0.0, hi=1.0)
    p_hidden = check_real("p_hidden", p_hidden, lo=0.0, hi=1.0)
    if p_in <= 0 or p_hidden <= 0:
        raise ValueError(f"p_in and p_hidden must lie in (0, 1], got {p_in}, {p_hidden}")
    if noise == "none":
        p_in = p_hidden = 1.0
    fill = 1.0 if noise == "dropin" else 0.0
    # every epoch draws a mask per example: epochs and batch get the sample-count ceiling
    epochs = check_samples("epochs", epochs)
    batch = check_samples("batch", batch)
    lr = check_real("lr", lr, lo=0.0)
    init_sd = check_real("init_sd", init_sd, lo=0.0)
    g = as_generator(seed, name="seed")
    snaps = sorted({int(e) for e in snapshot_epochs if 0 <= int(e) <= epochs} | {0, epochs})
    n_cls = int(max(y.max(), y_test.max())) + 1
    sizes = (X.shape[1],) + hidden + (n_cls,)
    ps = (p_in,) + (p_hidden,) * len(hidden)
    L = len(sizes) - 1
    Ws = [g.normal(0.0, init_sd, (sizes[l + 1], sizes[l])) for l in range(L)]
    bs = [np.zeros(sizes[l + 1]) for l in range(L)]
    gWs = [np.empty_like(W) for W in Ws]
    gbs = [np.empty_like(b) for b in bs]
    params, grads = Ws + bs, gWs + gbs
    adam = Adam(params, lr)
    T = np.eye(n_cls)[y]
    X = np.ascontiguousarray(X)
    # each layer's uniforms within a step's draw: (B, sizes[l]) from B·uoff[l], l < L
    uoff = np.concatenate([[0], np.cumsum(sizes[:-1])])
    bufs = {}

    def freeze():
        return DropoutMLP(tuple(W.copy() for W in Ws), tuple(b.copy() for b in bs), ps)

    snapshots, curve = [], []
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small matrices: BLAS threads only fight each other
        t0 = _time.perf_counter()
        if 0 in snaps:
            snapshots.append((0, freeze()))
        for ep in range(1, epochs + 1):
            order = g.permutation(y.size)
            for k in range(0, y.size, batch):
                idx = order[k:k + batch]
                B = idx.size
                if B not in bufs:  # the layers' inputs A, sums S, deltas D, deltas·W M
                    bufs[B] = tuple([np.empty((B, sizes[l + j])) for l in range(L)]
                                    for j in (0, 1, 1, 0))
                A, S, D, M = bufs[B]
                u = g.random(B * int(uoff[-1]))
                _input_units(X, idx, u[:B * sizes[0]].reshape(B, sizes[0]), p_in, fill, A[0])
                for l in range(L):
                    np.matmul(A[l], Ws[l].T, out=S[l])
                    if l < L - 1:
                        ul = u[B * uoff[l + 1]:B * uoff[l + 2]].reshape(B, sizes[l + 1])
                        _hidden_units(S[l], bs[l], ul, p_hidden, fill, A[l + 1])
                    else:
                        _output_delta(S[l], bs[l], T, idx, D[l], gbs[l])
                for l in range(L - 1, -1, -1):
                    np.matmul(D[l].T, A[l], out=gWs[l])
                    if l > 0:
                        np.matmul(D[l], Ws[l], out=M[l])
                        _hidden_delta(M[l], A[l], D[l - 1], gbs[l - 1])
                adam.step(params, grads)
            if ep in snaps:
                net = freeze()
                snapshots.append((ep, net))
                curve.append((ep, float(np.mean(noise_predict(net, X_test, noise) == y_test))))
        seconds = _time.perf_counter() - t0
    final = snapshots[-1][1]
    correct = noise_predict(final, X_test, noise) == y_test
    settings = dict(noise=noise, hidden=hidden, p_in=p_in, p_hidden=p_hidden, epochs=epochs,
                    batch=batch, lr=lr, init_sd=init_sd, seed=int(seed), n_train=int(y.size))
    return NoiseTrainedClassifier(noise, snapshots, float(np.mean(correct)),
                                  float(np.mean(noise_predict(final, X, noise) == y)), correct,
                                  seconds, settings, curve)


@njit(**JIT_EXACT)
def _input_units(X, idx, u, p, fill, A):
    """The input layer on the rows ``idx`` of ``X``: A[r, j] = X[idx[r], j] where u[r, j] < p,
    else ``fill`` (x·0 for fill 0: what ``x * keep`` gives, signed zeros included)."""
    for r in range(A.shape[0]):
        for j in range(A.shape[1]):
            x = X[idx[r], j]
            A[r, j] = x if u[r, j] < p else (x * 0.0 if fill == 0.0 else fill)


@njit(**JIT_EXACT)
def _hidden_units(S, b, u, p, fill, A):
    """A hidden layer: A[r, j] = σ(x), x = S[r, j] + b[j] (1/(1 + e^−x), as scipy's ``expit``)
    where u[r, j] < p, else ``fill`` (for fill 0, σ(x)·0 as ``o * keep`` gives it: 0, or NaN
    for a NaN x). With p < 1 the kept units of a row are listed first and σ is computed for
    them only (e^−x is most of the work; a branch per unit on a random mask would
    mispredict)."""
    B, h = A.shape
    if p >= 1.0:  # every unit kept (u < 1 ≤ p)
        for r in range(B):
            for j in range(h):
                A[r, j] = 1.0 / (1.0 + math.exp(-(S[r, j] + b[j])))
        return
    kept = np.empty(h, np.int64)
    for r in range(B):
        cnt = 0
        for j in range(h):
            x = S[r, j] + b[j]
            kept[cnt] = j
            cnt += u[r, j] < p
            A[r, j] = fill if fill != 0.0 else (0.0 if x == x else x)
        for c in range(cnt):
            j = kept[c]
            A[r, j] = 1.0 / (1.0 + math.exp(-(S[r, j] + b[j])))


@njit(**JIT_EXACT)
def _output_delta(S, b, T, idx, D, gb):
    """The output layer: D[r, j] = (σ(S[r, j] + b[j]) − T[idx[r], j]) / B, the gradient in S of
    the batch's mean cross-entropy (B rows), and gb[j] = Σ_r D[r, j] summed in row order."""
    B = D.shape[0]
    for r in range(B):
        for j in range(D.shape[1]):
            o = 1.0 / (1.0 + math.exp(-(S[r, j] + b[j])))
            d = (o - T[idx[r], j]) / B
            D[r, j] = d
            gb[j] = d if r == 0 else gb[j] + d


@njit(**JIT_EXACT)
def _hidden_delta(M, A, D, gb):
    """Backpropagation through a hidden layer: D = M ∘ (A ∘ (1 − A)), M the delta of the layer
    above times its weights, A the units as fed forward (σ' is 0 where a unit was not kept:
    A is 0 or 1 there); gb[j] = Σ_r D[r, j] summed in row order."""
    for r in range(D.shape[0]):
        for j in range(D.shape[1]):
            a = A[r, j]
            d = M[r, j] * (a * (1.0 - a))
            D[r, j] = d
            gb[j] = d if r == 0 else gb[j] + d


def _train_noise_numpy(X, y, *, noise: str, hidden, p_in: float, p_hidden: float,
                       epochs: int, batch: int, lr: float, init_sd: float, seed: int) -> list:
    """Plain-numpy reference of :func:`train_noise_classifier` on arguments it has checked (one
    array of uniforms per layer, numpy expressions): the weights ``(Ws, bs)`` after each
    epoch."""
    g = as_generator(seed, name="seed")
    if noise == "none":
        p_in = p_hidden = 1.0
    fill = 1.0 if noise == "dropin" else 0.0
    sizes = (X.shape[1],) + tuple(hidden) + (int(y.max()) + 1,)
    L = len(sizes) - 1
    Ws = [g.normal(0.0, init_sd, (sizes[l + 1], sizes[l])) for l in range(L)]
    bs = [np.zeros(sizes[l + 1]) for l in range(L)]
    params = Ws + bs
    adam = Adam(params, lr)
    T = np.eye(sizes[-1])[y]
    out = []
    for _ in range(epochs):
        order = g.permutation(y.size)
        for k in range(0, y.size, batch):
            idx = order[k:k + batch]
            keep = g.random((idx.size, sizes[0])) < p_in
            a = X[idx] * keep if fill == 0.0 else np.where(keep, X[idx], fill)
            acts = [a]
            for l in range(L):
                o = special.expit(a @ Ws[l].T + bs[l])
                if l < L - 1:
                    m = g.random(o.shape) < p_hidden
                    a = o * m if fill == 0.0 else np.where(m, o, fill)
                else:
                    a = o
                acts.append(a)
            delta = (acts[-1] - T[idx]) / idx.size
            grads_W, grads_b = [None] * L, [None] * L
            for l in range(L - 1, -1, -1):
                grads_W[l] = delta.T @ acts[l]
                grads_b[l] = delta.sum(axis=0)
                if l > 0:
                    o = acts[l]  # 0 (dropout) or 1 (dropin) on units not kept: σ' term 0
                    delta = (delta @ Ws[l]) * (o * (1.0 - o))
            adam.step(params, grads_W + grads_b)
        out.append(([W.copy() for W in Ws], [b.copy() for b in bs]))
    return out


@dataclass
class TrainedClassifier:
    """A dropout-trained classifier with its snapshots ``[(epoch, DropoutMLP), …]`` (epoch 0 =
    before training), the test accuracy of the final ensemble network, the wall time of the
    training, the data it was tested on and the training settings."""

    snapshots: list
    test_accuracy: float
    train_accuracy: float
    seconds: float
    settings: dict
    X_test: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    accuracy_curve: list = field(default_factory=list)

    @property
    def initial(self) -> DropoutMLP:
        return self.snapshots[0][1]

    @property
    def final(self) -> DropoutMLP:
        return self.snapshots[-1][1]

    def snapshot(self, epoch: int) -> DropoutMLP:
        for e, net in self.snapshots:
            if e == epoch:
                return net
        raise ValueError(f"epoch must be one of the snapshot epochs "
                         f"{[e for e, _ in self.snapshots]}, got {epoch!r}")

    def describe(self) -> str:
        s = self.settings
        return (f"{'-'.join(map(str, self.final.sizes))} logistic network, dropout p = "
                f"{s['p_in']} (input) / {s['p_hidden']} (hidden), {s['epochs']} epochs of Adam "
                f"(lr {s['lr']}, batch {s['batch']}, init N(0, {s['init_sd']}²)), "
                f"test accuracy {self.test_accuracy:.1%} ({self.y_test.size} images)")


def _check_xy(name, X, y, n_in=None):
    X = check_array(name, X, ndim=2)
    y = check_array(name + " labels", y, ndim=1, dtype=np.int64)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"{name}: {X.shape[0]} inputs but {y.shape[0]} labels")
    if n_in is not None and X.shape[1] != n_in:
        raise ValueError(f"{name}: inputs have {X.shape[1]} features, expected {n_in}")
    if np.any(y < 0):
        raise ValueError(f"{name} labels must be non-negative class indices")
    return X, y


def train_dropout_classifier(X, y, X_test, y_test, *, hidden=(DIGITS_HIDDEN,) * 4,
                             p_in: float = 0.8, p_hidden: float = 0.5,
                             epochs: int = DIGITS_EPOCHS, batch: int = 64, lr: float = DIGITS_LR,
                             init_sd: float = 0.01, snapshot_epochs=DIGITS_SNAPSHOTS,
                             seed: int = 0) -> TrainedClassifier:
    """Train a layered logistic classifier with dropout on the units (Baldi & Sadowski,
    Section 9.5; the paper's MNIST network is ``hidden=(1200,)*4``, p_in 0.8, p_hidden 0.5).

    Every unit is logistic; the outputs (one per class) are trained with the summed relative
    entropy to the one-hot target. Each minibatch draws one Bernoulli mask per example and
    unit (inputs kept with ``p_in``, hidden units with ``p_hidden``, outputs never dropped;
    no rescaling: the ensemble network of Eq. 98 scales the weights by p). Weights start
    small, N(0, init_sd²) (so W ≈ 0.5 at the start, as the paper's Fig. 9.9 caption says),
    biases at 0. Adam (β = 0.9, 0.999), minibatches in a seeded random order. Deterministic:
    same arguments and seed → same weights. ``X`` in [0, 1] of shape (n, n_in), ``y`` class
    indices. Snapshots are kept at ``snapshot_epochs`` (0 = before training).
    """
    c = train_noise_classifier(X, y, X_test, y_test, noise="dropout", hidden=hidden, p_in=p_in,
                               p_hidden=p_hidden, epochs=epochs, batch=batch, lr=lr,
                               init_sd=init_sd, snapshot_epochs=snapshot_epochs, seed=seed)
    X_test, y_test = _check_xy("X_test", X_test, y_test)
    settings = {k: v for k, v in c.settings.items() if k != "noise"}
    return TrainedClassifier(c.snapshots, c.test_accuracy, c.train_accuracy, c.seconds, settings,
                             X_test, y_test, c.accuracy_curve)


@study(maxsize=4)
def digits_classifier(hidden: int = DIGITS_HIDDEN, epochs: int = DIGITS_EPOCHS,
                      seed: int = 0) -> TrainedClassifier:
    """The network of Figs. 9.3–9.15 on scikit-learn's 8×8 digits: 64-h-h-h-h-10, trained by
    :func:`train_dropout_classifier` on a seeded 75 % / 25 % split. A study
    (:mod:`dropmc._studies`): the same object is returned for the same arguments in a process,
    and a run on several processes trains it once."""
    from dropmc.simulations.datasets import load_digits_split

    X, y, Xt, yt = load_digits_split(0.25, seed=seed)
    return train_dropout_classifier(X, y, Xt, yt, hidden=(int(hidden),) * 4,
                                    epochs=int(epochs), seed=seed)


# -- Monte Carlo over the dropout subnetworks of a DropoutMLP, for one fixed input ----------

#: per-unit statistics the kernel accumulates (rows of its first result)
MLP_STATS = ("S", "S2", "O", "O2", "logO", "log1mO", "dsig")

#: subnetworks of a chunk pushed through the layers together, one matrix product per layer
#: (a batch's arrays, units × subnetworks, stay in a core's L2 cache)
_MLP_BATCH = 128


@njit(**JIT_VEC)
def _mlp_mc_kernel(state, n, W, woff, b, sizes, inrow, p_in, p_hid, I, pa, pb, batch):
    """Sums over ``n`` dropout subnetworks of a layered logistic network, one fixed input ``I``,
    ``batch`` subnetworks at a time (columns of the arrays, units in rows).

    Per batch: the keep decisions, drawn subnetwork by subnetwork (one uniform per input unit,
    then one per unit of each hidden layer, in index order; input k kept if its uniform is
    below ``p_in``, hidden unit h below ``p_hid[h]``), so the masks of a chunk's stream do not
    depend on the batch; then per layer one matrix product S = W_l Y (BLAS) and one
    vectorised pass over S + b for O = σ, the per-unit sums of S, S², O, O², log O,
    log(1 − O), σ'(S) = O(1 − O) (logs from one ``exp_v`` and one ``log1p_unit``, stable for
    any S) and the next layer's input Y = δ ∘ O; per requested pair, Σ O_a O_b. The output
    layer is never dropped. ``W`` holds each layer's weights row-major from ``woff[l]``, the
    first layer's restricted to the nonzero inputs (``inrow[k]`` is input k's row of Y, −1 for
    a zero input, which is drawn but adds nothing); ``b`` the biases in global unit order.
    Returns (7, N) sums and the pair sums.
    """
    L = sizes.shape[0] - 1
    n_in = sizes[0]
    k0 = (woff[1] - woff[0]) // sizes[1]
    N = 0
    maxw = 1
    for l in range(1, L + 1):
        N += sizes[l]
        maxw = max(maxw, sizes[l])
    nh = p_hid.shape[0]
    B = min(batch, n)
    ybuf = np.empty(max(k0, maxw) * B)
    ybuf2 = np.empty(maxw * B)
    sbuf = np.empty(maxw * B)
    dbuf = np.empty(nh * B)
    obuf = np.empty(N * B)
    acc = np.zeros((7, N))
    pacc = np.zeros(pa.shape[0])
    r0, r1, r2, r3 = state[0], state[1], state[2], state[3]
    done = 0
    while done < n:
        m = min(B, n - done)
        Y = ybuf[:k0 * m].reshape((k0, m))
        D = dbuf[:nh * m].reshape((nh, m))
        for r in range(m):
            for k in range(n_in):
                u, r0, r1, r2, r3 = next_double_r(r0, r1, r2, r3)
                t = inrow[k]
                if t >= 0:
                    Y[t, r] = I[k] if u < p_in else 0.0
            for h in range(nh):
                u, r0, r1, r2, r3 = next_double_r(r0, r1, r2, r3)
                D[h, r] = 1.0 if u < p_hid[h] else 0.0
        O = obuf[:N * m].reshape((N, m))
        g0 = 0
        for l in range(L):
            k = sizes[l + 1]
            kin = Y.shape[0]
            S = sbuf[:k * m].reshape((k, m))
            if kin == 0:
                S[:, :] = 0.0
            else:
                np.dot(W[woff[l]:woff[l + 1]].reshape((k, kin)), Y, S)
            hidden = l < L - 1
            Yn = (ybuf2 if l % 2 == 0 else ybuf)[:k * m].reshape((k, m))
            for i in range(k):
                g = g0 + i
                bi = b[g]
                a0 = a1 = a2 = a3 = a4 = a5 = a6 = 0.0
                for r in range(m):
                    x = S[i, r] + bi
                    e = exp_v(-abs(x))
                    sp = log1p_unit(e)
                    inv = 1.0 / (1.0 + e)
                    pos = x >= 0.0
                    o = inv if pos else e * inv
                    a0 += x
                    a1 += x * x
                    a2 += o
                    a3 += o * o
                    a4 += (0.0 if pos else x) - sp
                    a5 += -(x if pos else 0.0) - sp
                    a6 += o * (1.0 - o)
                    O[g, r] = o
                acc[0, g] += a0
                acc[1, g] += a1
                acc[2, g] += a2
                acc[3, g] += a3
                acc[4, g] += a4
                acc[5, g] += a5
                acc[6, g] += a6
                if hidden:  # hidden units come first in the global order: row g of D
                    for r in range(m):
                        Yn[i, r] = O[g, r] * D[g, r]
            g0 += k
            Y = Yn
        for q in range(pa.shape[0]):
            s = 0.0
            for r in range(m):
                s += O[pa[q], r] * O[pb[q], r]
            pacc[q] += s
        done += m
    state[0], state[1], state[2], state[3] = r0, r1, r2, r3
    return acc, pacc


def _mlp_arrays(net: DropoutMLP, I: np.ndarray):
    """The kernel's description of ``net`` for input ``I``: flat weights (the first layer's
    columns of the nonzero inputs only) and their offsets, biases, sizes, each input's row
    (−1 if zero), and the keep probabilities of the inputs and of each hidden unit."""
    sizes = np.asarray(net.sizes, dtype=np.int64)
    nz = np.flatnonzero(I != 0.0)
    inrow = -np.ones(sizes[0], dtype=np.int64)
    inrow[nz] = np.arange(nz.size)
    Ws = [np.asarray(net.Ws[0], float)[:, nz]] + [np.asarray(W, float) for W in net.Ws[1:]]
    W = np.concatenate([np.ascontiguousarray(x).ravel() for x in Ws])
    woff = np.zeros(len(Ws) + 1, dtype=np.int64)
    woff[1:] = np.cumsum([x.size for x in Ws])
    b = np.concatenate([np.asarray(x, float) for x in net.bs])
    p_hid = np.repeat(np.asarray(net.ps[1:], dtype=float), sizes[1:-1])
    return W, woff, b, sizes, inrow, float(net.ps[0]), p_hid


def _check_pairs(net: DropoutMLP, pairs):
    if pairs is None or np.size(pairs) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    P = check_array("pairs", pairs, ndim=2, dtype=np.int64)
    if P.shape[1] != 2:
        raise ValueError(f"pairs must have shape (k, 2), got {P.shape}")
    if P.size and (P.min() < 0 or P.max() >= net.n_units):
        raise ValueError(f"pairs must hold non-input unit indices in [0, {net.n_units}), got "
                         f"range [{P.min()}, {P.max()}]")
    return np.ascontiguousarray(P[:, 0]), np.ascontiguousarray(P[:, 1])


@dataclass
class DropoutMoments:
    """Monte Carlo moments of every non-input unit of a :class:`DropoutMLP` over its dropout
    subnetworks, for each of several fixed inputs.

    ``mean[name]`` has shape (n_inputs, n_units) for the names of :data:`MLP_STATS` and
    (n_inputs, n_pairs) for ``"pair"`` (E(O_a O_b)). ``batch[name]`` holds the per-chunk means,
    shape (n_inputs, B, …), and ``weights`` the chunk weights (n_b/n), for batch-means standard
    errors of any smooth function (:meth:`se`). ``layer`` is the layer of each unit.
    """

    mean: dict
    batch: dict
    weights: np.ndarray
    n: int
    layer: np.ndarray
    pairs: np.ndarray
    seed: object = None

    @property
    def dof(self) -> int:
        return int(self.weights.size - 1)

    def se(self, dev) -> np.ndarray:
        """Batch-means SE of a statistic whose per-chunk linearised deviations from its
        overall value are ``dev`` (n_inputs, B, …): sqrt(B/(B − 1)·Σ_b w_b² dev_b²)."""
        B = self.weights.size
        w = self.weights.reshape((1, B) + (1,) * (np.ndim(dev) - 2))
        return np.sqrt(B / (B - 1) * np.sum((w * dev) ** 2, axis=1))

    def dev(self, name: str) -> np.ndarray:
        """Per-chunk deviations of a raw mean from its overall value (float64)."""
        return self.batch[name].astype(float) - self.mean[name][:, None]

    # derived quantities: value and per-chunk linearised deviation (delta method) ----------

    def E(self):
        return self.mean["O"], self.dev("O")

    def V(self):
        """Var(O) = E(O²) − E(O)²."""
        m1 = self.mean["O"]
        return self.mean["O2"] - m1 ** 2, self.dev("O2") - 2 * m1[:, None] * self.dev("O")

    def NWGM(self):
        """NWGM = G/(G + G') = σ(E log O − E log(1 − O)) (log domain)."""
        x = self.mean["logO"] - self.mean["log1mO"]
        N = special.expit(x)
        return N, (N * (1 - N))[:, None] * (self.dev("logO") - self.dev("log1mO"))

    def ES(self):
        return self.mean["S"], self.dev("S")

    def Edsig(self):
        return self.mean["dsig"], self.dev("dsig")

    def pair(self):
        return self.mean["pair"], self.dev("pair")


def estimate_mlp_moments(net: DropoutMLP, inputs, *, n: int = 10_000, pairs=None, rng=None,
                         chunk_size: int = 4096) -> DropoutMoments:
    """Monte Carlo over ``n`` dropout subnetworks of ``net`` for each row of ``inputs``
    (Baldi & Sadowski, Figs. 9.3–9.15: 10 inputs, 10,000 subnetworks each). Returns a
    :class:`DropoutMoments` with, per non-input unit, E(S), E(S²), E(O), E(O²), E log O,
    E log(1 − O) and E σ'(S), and E(O_a O_b) for the requested ``pairs`` (k, 2) of global
    unit indices; ≥ 32 chunks per input (batch-means SEs). Input i uses the i-th child of
    the seed; chunk streams are xoshiro256++, each chunk's subnetworks in batches of
    :data:`_MLP_BATCH` (BLAS on one thread: bit-identical for any thread count)."""
    from threadpoolctl import threadpool_limits

    X = _check_inputs("inputs", net, inputs)
    n = check_samples("n", n, minimum=64)
    pa, pb = _check_pairs(net, pairs)
    ss = as_seed_sequence(rng)
    means = {k: [] for k in MLP_STATS + ("pair",)}
    batches = {k: [] for k in MLP_STATS + ("pair",)}
    weights = None
    with threadpool_limits(1, user_api="blas"):  # chunks in parallel, BLAS inside each
        for I, s in zip(X, ss.spawn(X.shape[0])):
            I = np.ascontiguousarray(I, dtype=float)
            arrays = _mlp_arrays(net, I)
            parts = run_chunks(lambda st, m: (m,) + _mlp_mc_kernel(st, m, *arrays, I, pa, pb,
                                                                   _MLP_BATCH),
                               n, s, chunk_size=chunk_size, min_chunks=32, stream="xoshiro")
            sz = np.array([pt[0] for pt in parts], float)
            acc = np.stack([pt[1] / pt[0] for pt in parts])       # (B, 7, N)
            pac = np.stack([pt[2] / pt[0] for pt in parts])       # (B, P)
            weights = sz / sz.sum()
            for c, k in enumerate(MLP_STATS):
                batches[k].append(acc[:, c])
                means[k].append(weights @ acc[:, c])
            batches["pair"].append(pac)
            means["pair"].append(weights @ pac)
    mean = {k: np.asarray(v) for k, v in means.items()}
    # per-chunk means kept in float32 (only their deviations, ~1e-3, enter the SEs): a study
    # of 10 inputs × 778 units × 32 chunks then holds ~8 MB instead of 16
    batch = {k: np.asarray(v, dtype=np.float32) for k, v in batches.items()}
    return DropoutMoments(mean, batch, weights, n, net.unit_layer(),
                          np.column_stack([pa, pb]), seed_of(ss))


def mlp_moments_numpy(net: DropoutMLP, I, n: int, *, pairs=None, rng=None,
                      batch: int = 2048) -> dict:
    """Plain-numpy reference of :func:`estimate_mlp_moments` for one input, vectorised over a
    batch of subnetworks (matrix products): the sample means of the :data:`MLP_STATS` per
    unit (dict of (n_units,) arrays) and of O_aO_b for ``pairs`` (key ``"pair"``)."""
    I = check_array("I", I, shape=(_check_net(net).sizes[0],))
    n = check_samples("n", n)
    batch = check_samples("batch", batch)
    g = as_generator(rng)
    pa, pb = _check_pairs(net, pairs)
    N, L = net.n_units, len(net.Ws)
    tot = {k: np.zeros(N) for k in MLP_STATS}
    tot["pair"] = np.zeros(pa.size)
    done = 0
    while done < n:
        B = min(batch, n - done)
        y = I * (g.random((B, I.size)) < net.ps[0])
        cols = {k: [] for k in MLP_STATS}
        Os = []
        for l in range(L):
            S = y @ net.Ws[l].T + net.bs[l]
            lo, l1 = -np.logaddexp(0.0, -S), -np.logaddexp(0.0, S)
            O = special.expit(S)
            for k, v in zip(MLP_STATS, (S, S * S, O, O * O, lo, l1, O * (1 - O))):
                cols[k].append(v)
            Os.append(O)
            if l < L - 1:
                y = O * (g.random(O.shape) < net.ps[l + 1])
        for k in MLP_STATS:
            tot[k] += np.concatenate(cols[k], axis=1).sum(axis=0)
        Oall = np.concatenate(Os, axis=1)
        tot["pair"] += (Oall[:, pa] * Oall[:, pb]).sum(axis=0)
        done += B
    return {k: v / n for k, v in tot.items()}


def mlp_pairs(net: DropoutMLP, k: int, *, connected: bool, rng=None) -> np.ndarray:
    """``k`` pairs (i, j) of non-input units drawn uniformly at random (with replacement)
    among the connected pairs (j in layer h feeds i in layer h + 1, both non-input; Fig. 9.14)
    or among the unconnected pairs (distinct units not in adjacent layers; Figs. 9.12–9.13).
    Global unit indices, as :func:`estimate_mlp_moments` takes them."""
    g = as_generator(rng)
    k = check_samples("k", k, bytes_per_sample=16)
    sizes = np.asarray(net.sizes[1:])
    off = np.concatenate([[0], np.cumsum(sizes)])
    lay = net.unit_layer()
    if connected:
        # edges between hidden layer h (≥ 1) and h + 1: pick an edge uniformly
        counts = sizes[:-1] * sizes[1:]
        h = g.choice(counts.size, size=k, p=counts / counts.sum())
        j = off[h] + (g.random(k) * sizes[h]).astype(np.int64)
        i = off[h + 1] + (g.random(k) * sizes[h + 1]).astype(np.int64)
        return np.column_stack([i, j]).astype(np.int64)
    out = np.empty((0, 2), np.int64)
    while out.shape[0] < k:
        c = g.integers(0, net.n_units, size=(2 * k, 2))
        ok = (c[:, 0] != c[:, 1]) & (np.abs(lay[c[:, 0]] - lay[c[:, 1]]) != 1)
        out = np.vstack([out, c[ok]])
    return out[:k]


#: number of fixed inputs of the figures (as the paper: 10 randomly selected inputs)
DIGITS_N_INPUTS = 10


def digits_inputs(k: int = DIGITS_N_INPUTS) -> np.ndarray:
    """The ``k`` fixed test inputs of Figs. 9.3–9.15 (the first k of a permutation of the test
    set seeded with 0: the same inputs for every run seed, only the dropout draws vary). They
    are :func:`digits_classifier`'s test inputs, read from its data split: no training."""
    from dropmc.simulations.datasets import load_digits_split

    _, _, X_test, y_test = load_digits_split(0.25, seed=0)   # digits_classifier()'s split
    X_test, y_test = _check_xy("X_test", X_test, y_test)
    k = check_int("k", k, minimum=1, maximum=y_test.size)
    return X_test[np.random.default_rng(np.random.SeedSequence(0)).permutation(y_test.size)[:k]]


def connected_pair_terms(net: DropoutMLP, pairs) -> tuple[np.ndarray, np.ndarray]:
    """For connected pairs (i, j), j feeding i: the weight w_ij and the keep probability p_j."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    lay = net.unit_layer()
    off = np.concatenate([[0], np.cumsum(net.sizes[1:])])
    i, j = pairs[:, 0], pairs[:, 1]
    if np.any(lay[i] != lay[j] + 1):
        raise ValueError("pairs must be connected: j in layer h, i in layer h + 1")
    w = np.array([net.Ws[lay[a] - 1][a - off[lay[a] - 1], b - off[lay[b] - 1]] for a, b in pairs])
    p = np.array([net.ps[lay[b]] for b in j], dtype=float)
    return w, p


@study(maxsize=20)
def digits_study(epoch: int, n: int, seed: int, n_pairs: int = 0) -> dict:
    """Monte Carlo of the digits network at snapshot ``epoch`` over ``n`` dropout subnetworks
    for each of the :func:`digits_inputs`, with ``n_pairs`` unconnected and ``n_pairs``
    connected pairs (drawn uniformly); a study (:mod:`dropmc._studies`; the last 20 in a
    process: one run seed's before/after studies and the 14 training snapshots). Returns ``{"net", "X", "mc"
    (DropoutMoments; pairs: unconnected first), "U", "W" (ensemble, (10, n_units)),
    "unconnected", "connected", "w", "p" (of the connected pairs)}``."""
    net = digits_classifier().snapshot(int(epoch))
    X = digits_inputs()
    ss = np.random.SeedSequence([int(seed), 95, 96, int(epoch)])
    s_u, s_c, s_mc = ss.spawn(3)
    if n_pairs:
        up = mlp_pairs(net, n_pairs, connected=False, rng=s_u)
        cp = mlp_pairs(net, n_pairs, connected=True, rng=s_c)
    else:
        up = cp = np.zeros((0, 2), np.int64)
    mc = estimate_mlp_moments(net, X, n=n, pairs=np.vstack([up, cp]), rng=s_mc)
    U, W = net.ensemble_flat(X)
    w, p = connected_pair_terms(net, cp)
    return {"net": net, "X": X, "mc": mc, "U": U, "W": W, "unconnected": up, "connected": cp,
            "w": w, "p": p}
