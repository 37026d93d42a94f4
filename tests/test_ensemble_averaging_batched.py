"""Baldi & Sadowski: the batched kernels (a batch of subnetworks or masks per matrix product or
vectorised loop) against plain numpy, and their independence of batch, thread counts and BLAS
threads.

* ``estimate_mlp_moments`` (Figs. 9.3–9.15) and the unit-dropout path of
  ``estimate_network_moments`` draw the same keep decisions, in the same stream order, as a
  plain-numpy reference consuming the chunks' xoshiro256++ uniforms: their means agree to
  rounding, so any bias of the batching fails;
* the batch size changes only the summation order, never a keep decision;
* ``enumerate_network`` against a materialised enumeration of every mask, all six moments.
"""

import numba
import numpy as np
import pytest
from scipy import special
from threadpoolctl import threadpool_limits

from dropmc.simulations import _core
from dropmc.simulations import ensemble_averaging as sim
from dropmc.simulations._xoshiro import fill_doubles
from dropmc.simulations.ensemble_averaging import linear, trained_network
from dropmc.simulations.enumeration import enumerate_masks
from dropmc.theory import ensemble_averaging as th


def _chunk_states(n: int, ss, chunk_size: int = 4096, min_chunks: int = 32):
    """The chunks of ``run_chunks`` (sizes and xoshiro states): part of the samplers' contract."""
    sizes = _core.chunk_sizes(n, max(1, min(chunk_size, -(-n // min_chunks))))
    return zip(_core.chunk_states(ss, len(sizes)), sizes)


def _uniforms(state, m: int, d: int) -> np.ndarray:
    u = np.empty(m * d)
    fill_doubles(state.copy(), u)
    return u.reshape(m, d)


def _mlp(seed=0, sizes=(7, 6, 5, 3)):
    g = np.random.default_rng(seed)
    L = len(sizes) - 1
    return sim.DropoutMLP(tuple(g.normal(0, 1.5, (sizes[l + 1], sizes[l])) for l in range(L)),
                          tuple(g.normal(0, 1, sizes[l + 1]) for l in range(L)),
                          (0.8,) + (0.5,) * (L - 1)), g


def _mlp_reference_means(net, I, n, seed, pa, pb):
    """Plain numpy on the chunks' xoshiro streams: per subnetwork one uniform per input, then
    one per hidden unit (layer by layer); σ, log σ and log(1 − σ) by scipy. The means of the
    :data:`MLP_STATS` per unit and of O_aO_b per pair."""
    n0, nh = net.sizes[0], sum(net.sizes[1:-1])
    sums = {k: np.zeros(net.n_units) for k in sim.MLP_STATS}
    sums["pair"] = np.zeros(len(pa))
    for st, m in _chunk_states(n, np.random.SeedSequence(seed).spawn(1)[0]):
        u = _uniforms(st, m, n0 + nh)
        y, off, cols = I * (u[:, :n0] < net.ps[0]), n0, {k: [] for k in sim.MLP_STATS}
        Os = []
        for l, (W, b) in enumerate(zip(net.Ws, net.bs)):
            S = y @ W.T + b
            O = special.expit(S)
            for k, v in zip(sim.MLP_STATS, (S, S * S, O, O * O, -np.logaddexp(0, -S),
                                            -np.logaddexp(0, S), O * (1 - O))):
                cols[k].append(v)
            Os.append(O)
            if l < len(net.Ws) - 1:
                y = O * (u[:, off:off + O.shape[1]] < net.ps[l + 1])
                off += O.shape[1]
        for k in sim.MLP_STATS:
            sums[k] += np.concatenate(cols[k], axis=1).sum(axis=0)
        Oall = np.concatenate(Os, axis=1)
        sums["pair"] += (Oall[:, pa] * Oall[:, pb]).sum(axis=0)
    return {k: v / n for k, v in sums.items()}


@pytest.mark.parametrize("n", [64, 5000, 20_000])
def test_mlp_kernel_agrees_with_numpy_on_the_same_stream(n):
    """Same draws ⇒ same keep decisions ⇒ every mean equal up to summation rounding; chunks of
    2, 157 and 625 subnetworks (one short batch, a batch and a remainder, several batches).
    The input has zero pixels (drawn, left out of the first matrix product)."""
    net, g = _mlp()
    I = g.random(7) * (g.random(7) < 0.6)
    pairs = np.array([[0, 1], [0, 13], [6, 12], [13, 13], [2, 9]])
    r = sim.estimate_mlp_moments(net, I, n=n, pairs=pairs, rng=5)
    ref = _mlp_reference_means(net, I, n, 5, pairs[:, 0], pairs[:, 1])
    for k in sim.MLP_STATS + ("pair",):
        np.testing.assert_allclose(r.mean[k][0], ref[k], rtol=1e-12, atol=1e-13, err_msg=k)


def test_mlp_kernel_batch_size_changes_only_rounding():
    """The keep decisions of subnetwork r do not depend on the batch it is in (draws are made
    subnetwork by subnetwork): batches of 1, 5 and 128 give the same sums to rounding."""
    net, g = _mlp(1)
    I = g.random(7)
    pa, pb = np.array([0, 3]), np.array([7, 13])
    arrays = trained_network._mlp_arrays(net, I)
    state = _core.chunk_states(np.random.SeedSequence(2), 1)[0]
    out = [trained_network._mlp_mc_kernel(state.copy(), 300, *arrays, I, pa, pb, b)
           for b in (1, 5, 128)]
    for acc, pacc in out[1:]:
        np.testing.assert_allclose(acc, out[0][0], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(pacc, out[0][1], rtol=1e-12, atol=1e-12)


def test_mlp_kernel_is_independent_of_threads_and_blas_threads(monkeypatch):
    """Bit-identical whatever the number of chunk threads and however BLAS was set up by the
    caller (the kernel pins BLAS to one thread while its chunks run)."""
    net, g = _mlp(2, (9, 16, 16, 4))
    X = g.random((2, 9))
    out = []
    for threads, blas in (("1", 1), ("2", 2), ("2", 1)):
        monkeypatch.setenv("DROPMC_THREADS", threads)
        with threadpool_limits(blas, user_api="blas"):
            out.append(sim.estimate_mlp_moments(net, X, n=9000, pairs=[[0, 20], [5, 30]],
                                                rng=3))
    for r in out[1:]:
        for k in out[0].mean:
            assert np.array_equal(r.mean[k], out[0].mean[k]), k
            assert np.array_equal(r.batch[k], out[0].batch[k]), k


def _units_net(seed=3):
    g = np.random.default_rng(seed)
    net = th.random_layered_net(g, [6, 9, 7, 3], skip_prob=0.4)
    return net, g.normal(size=6), g


def test_units_sampler_batch_size_changes_only_rounding():
    """As for the MLP: the gate draws are made subnetwork by subnetwork."""
    net, I, g = _units_net()
    pu = g.uniform(0.2, 0.95, net.n_units)
    W, ug, eg, probs = linear._gates(net, pu, None)
    Wl, loff, lay = linear._units_layers(net, W)
    _, _, _, _, pu_k = linear._csr(net, W, ug, eg, probs, pu, None)
    gated = pu_k < 1.0
    gate = np.where(gated, np.cumsum(gated) - 1, gated.sum()).astype(np.int64)
    track = np.arange(net.n_units - 5, net.n_units)
    state = _core.chunk_states(np.random.SeedSequence(4), 1)[0]
    out = [linear._sample_units_kernel(state.copy(), 300, Wl, loff, lay, gate, pu_k[gated], I, 1,
                                       np.log(1.3), 0.9, track, b) for b in (1, 7, 128)]
    for res in out[1:]:
        for a, b in zip(res, out[0]):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_units_sampler_is_independent_of_threads_and_blas_threads(monkeypatch):
    """Several batches per chunk (chunks of 300), every output compared bit for bit."""
    net, I, g = _units_net(4)
    kw = dict(p_units=g.uniform(0.2, 0.95, net.n_units), activation="logistic", c=1.2, lam=0.8,
              track=np.arange(net.n_units), n=9600, rng=6)
    out = []
    for threads, blas in (("1", 1), ("2", 2), ("2", 1)):
        monkeypatch.setenv("DROPMC_THREADS", threads)
        with threadpool_limits(blas, user_api="blas"):
            out.append(sim.estimate_network_moments(net, I, **kw))
    for r in out[1:]:
        for k in ("ES", "EO"):
            assert [(e.mean, e.se) for e in r[k]] == [(e.mean, e.se) for e in out[0][k]], k
        assert {k: (e.mean, e.se) for k, e in r["cov"].items()} == \
            {k: (e.mean, e.se) for k, e in out[0]["cov"].items()}


def _enumerate_reference(net, I, p_units, p_edges, act, c, lam):
    """Every mask materialised (plain numpy): the six moments of ``enumerate_network``."""
    W, ug, eg, probs = linear._gates(net, p_units, p_edges)
    masks, P = enumerate_masks(probs.size, probs) if probs.size else (np.ones((1, 0)), np.ones(1))
    M, N, n0 = masks.shape[0], net.n_units, net.n_in
    gate = np.concatenate([masks.astype(float), np.ones((M, 1))], axis=1)   # column G: no gate
    gu = np.where(ug >= 0, ug, probs.size)
    ge = np.where(eg >= 0, eg, probs.size)
    S, O = np.zeros((M, N)), np.zeros((M, N))
    S[:, :n0] = O[:, :n0] = I
    for i in range(n0, N):
        for j in np.flatnonzero(W[i]):
            S[:, i] += W[i, j] * gate[:, gu[j]] * gate[:, ge[i, j]] * O[:, j]
        O[:, i] = special.expit(lam * S[:, i] - np.log(c)) if act == "logistic" else S[:, i]
    x = lam * S - np.log(c)
    lo, l1 = -np.logaddexp(0, -x), -np.logaddexp(0, x)
    lo[:, :n0] = l1[:, :n0] = 0.0
    if act != "logistic":
        lo[:] = l1[:] = 0.0
    return {"ES": P @ S, "ESS": (S * P[:, None]).T @ S, "EO": P @ O, "EO2": P @ O ** 2,
            "ElogO": P @ lo, "Elog1mO": P @ l1}


ENUM_CASES = [
    ([3, 3, 2], 0.5, "units", "logistic"),      # 6 gates: one tile shorter than 256
    ([3, 3, 2], 0.5, "edges", "linear"),
    ([3, 3, 2], 0.5, "both", "logistic"),
    ([5, 5, 4, 2], 0.3, "units", "logistic"),   # 14 gates: four blocks of 4096 masks
    ([5, 5, 4, 2], 0.3, "units", "linear"),
    ([4, 3], 0.0, "none", "logistic"),         # no random gate: one mask
]


@pytest.mark.parametrize("widths,skip,gates,act", ENUM_CASES)
def test_enumerate_network_agrees_with_materialised_masks(widths, skip, gates, act):
    g = np.random.default_rng(sum(widths))
    net = th.random_layered_net(g, widths, skip_prob=skip)
    N, I = net.n_units, g.normal(size=widths[0])
    pu = {"units": g.uniform(0.2, 0.9, N), "both": g.uniform(0.3, 1.0, N)}.get(gates)
    pe = {"edges": g.uniform(0.2, 0.9, (N, N)), "both": np.where(g.random((N, N)) < 0.3, 0.6, 1.0)
          }.get(gates)
    if gates == "none":
        pu = 1.0
    c, lam = 1.4, 0.7
    e = sim.enumerate_network(net, I, p_units=pu, p_edges=pe, activation=act, c=c, lam=lam)
    ref = _enumerate_reference(net, I, pu, pe, act, c, lam)
    for k, v in ref.items():
        np.testing.assert_allclose(e[k], v, rtol=1e-12, atol=1e-13 * max(1.0, np.abs(v).max()),
                                   err_msg=k)


def test_enumerate_network_is_bit_identical_at_1_and_2_numba_threads():
    g = np.random.default_rng(9)
    net = th.random_layered_net(g, [5, 5, 4, 2], skip_prob=0.3)
    N, I = net.n_units, g.normal(size=5)
    kw = dict(p_units=g.uniform(0.2, 0.9, N), activation="logistic", c=1.3, lam=0.9)
    before = numba.get_num_threads()
    out = []
    try:
        for t in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(t)
            out.append(sim.enumerate_network(net, I, **kw))
    finally:
        numba.set_num_threads(before)
    for k in ("ES", "ESS", "EO", "EO2", "ElogO", "Elog1mO"):
        assert np.array_equal(out[0][k], out[1][k]), k
