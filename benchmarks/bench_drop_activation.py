"""Drop-Activation kernels against plain numpy and the RNG-bound limit, in one run."""

from __future__ import annotations

import numpy as np
from numba import njit
from threadpoolctl import threadpool_limits

from benchmarks._timing import (best_rate, best_rates, rng_limit_normal_uniform,
                               xo_limit_normal_uniform, xo_limit_uniform)
from dropmc.simulations import drop_activation as sim
from dropmc.simulations import enumeration as en
from dropmc.simulations._core import JIT
from dropmc.simulations.drop_activation.fig3 import _train_regression_batch_numpy
from dropmc.simulations.optim import Adam, AdamNumpy


def _fmt(x):
    return f"{x / 1e6:.2f}M"


def _fig3_blas_limit(X, init, steps):
    """The matrix products of ``steps`` steps of :func:`sim.train_regression_batch` alone: the
    same batched products (shapes, transposes, output arrays) on the same weights, nothing
    else."""
    Ws = init[0]
    K, n = X.shape
    hs = [X.astype(np.float32)[:, :, None]] + [np.ones((K, n, W.shape[2]), np.float32)
                                              for W in Ws]
    grads = [np.empty_like(W) for W in Ws]
    deltas = [np.empty_like(h) for h in hs[1:-1]]

    def run():
        for _ in range(steps):
            for i, W in enumerate(Ws):
                np.matmul(hs[i], W, out=hs[i + 1])
            d = hs[-1]
            for i in range(len(Ws) - 1, -1, -1):
                np.matmul(hs[i].transpose(0, 2, 1), d, out=grads[i])
                if i > 0:
                    d = np.matmul(d, Ws[i].transpose(0, 2, 1), out=deltas[i - 1])
    return run


@njit(**JIT)
def _stream_adam_arrays(q, g, m, v):
    """The memory traffic of one Adam update (read q, g, m, v; write q, m, v), one add each."""
    for i in range(q.size):
        gi = g[i]
        m[i] = m[i] + gi
        v[i] = v[i] + gi
        q[i] = q[i] + gi


def rows() -> list[dict]:
    out = []
    # shift-ratio sampler (Eq. 13–14), d = 64, p = 0.95 — the anchor
    d, n = 64, 2_000_000
    w = np.random.default_rng(0).normal(size=d)
    kernel, numpy, limit = best_rates([
        (lambda: sim.estimate_x_moments(w, 0.95, n=n, rng=1), n),
        (lambda: sim.x_moments_numpy(w, 0.95, n // 4, rng=1), n // 4),
        (xo_limit_normal_uniform(n, d, 1 << 14, 32), n)])
    out.append({
        "name": "drop_activation x_moments (Eq. 13-15), d=64, p=0.95",
        "unit": "samples/s",
        "throughput": kernel,
        "numpy_throughput": numpy,
        "rng_limit_throughput": limit,
        "note": "RNG limit: a ziggurat normal and a uniform per coordinate from the in-kernel xoshiro256++ stream the kernel uses, alone; numba calling numpy PCG64 per draw reaches %s samples/s. What separates the kernel from the limit is its own arithmetic per coordinate (three running sums and a select) on top of the two draws" % _fmt(best_rate(rng_limit_normal_uniform(n, d, 1 << 14, 32), n)),
    })
    # Property 5.1 loss sampler, hidden width 64, 4 data points, 2 outputs
    g = np.random.default_rng(1)
    W1, W2, X, Y = g.normal(size=(64, 8)), g.normal(size=(2, 64)), g.normal(size=(4, 8)), g.normal(size=(4, 2))
    n = 200_000
    active = int(np.sum((X @ W1.T < 0) & np.any(W2 != 0, axis=0)))   # the random units
    kernel, numpy, limit = best_rates([
        (lambda: sim.estimate_dropact_loss(W1, W2, X, Y, 0.95, n=n, rng=1), n),
        (lambda: sim.dropact_loss_numpy(W1, W2, X, Y, 0.95, n // 4, rng=1), n // 4),
        (xo_limit_uniform(n, active, 4096), n)])
    out.append({
        "name": "drop_activation Property 5.1 loss (Eq. 9), d=64, n_data=4, k=2",
        "unit": "samples/s",
        "throughput": kernel,
        "numpy_throughput": numpy,
        "rng_limit_throughput": limit,
        "note": "only units with a negative pre-activation are random (%d of 4 x 64): one uniform each, the same in the kernel and the limit (same stream and chunks); the kernel moves 4 residuals per unit by a 0/1 factor (no branch per flip: mispredicted flips cost more than the draws at p = 0.95); numpy draws one uniform per unit" % active,
    })
    # training map (Eq. 3), d = 256
    x = g.normal(size=256)
    n = 200_000

    def numpy_map():
        gg = np.random.default_rng(1)
        for _ in range(n // 4 // 10_000):
            P = gg.random((10_000, 256)) < 0.9
            v = np.where(P, np.maximum(x, 0), x)
            v.sum(axis=0), (v * v).sum(axis=0)

    kernel, numpy, limit = best_rates([
        (lambda: sim.estimate_expected_map(x, 0.9, "relu", n=n, rng=1), n),
        (numpy_map, n // 4),
        (xo_limit_uniform(n, int(np.sum(x < 0)), 1 << 13), n)])
    out.append({
        "name": "drop_activation training map E_P (Eq. 3/5), d=256",
        "unit": "samples/s",
        "throughput": kernel,
        "numpy_throughput": numpy,
        "rng_limit_throughput": limit,
        "note": "coordinates with x >= 0 are deterministic under ReLU and are not drawn; numpy draws all",
    })
    # exact enumeration: Gray-code walk vs the numpy doubling trick, d = 22, k = 4
    d, k = 22, 4
    base, deltas, y = g.normal(size=k), g.normal(size=(d, k)), g.normal(size=k)
    out.append({
        "name": "exact enumeration E||o-y||^2 (Gray code), d=22, k=4",
        "unit": "subnetworks/s",
        "throughput": best_rate(lambda: en.expect_squared_error(base, deltas, y, 0.7), 2 ** d),
        "numpy_throughput": best_rate(lambda: en.expect_squared_error_doubling(base, deltas, y, 0.7), 2 ** d),
        "rng_limit_throughput": None,
        "note": "numpy baseline: doubling trick (all 2^d outputs by concatenation)",
    })
    # Figure 3 trainer (Section 5.1 claims): K networks 1 -> 64 -> 32 -> 16 -> 1 trained at once
    # with batched products against K calls of the single-network trainer
    K, steps = 16, 200
    g = np.random.default_rng(2)
    X, Y = g.uniform(-1, 1, (K, 20)), g.normal(size=(K, 20))
    w = (64, 32, 16)
    init = sim.init_net_batch(w, K, [np.random.default_rng(i) for i in range(K)])
    singles = [sim.init_net(w, np.random.default_rng(i)) for i in range(K)]
    out.append({
        "name": "drop_activation Figure 3 trainer, 16 nets 64-32-16, 20 points, p=0.8",
        "unit": "net-steps/s",
        "throughput": best_rate(lambda: sim.train_regression_batch(X, Y, w, 0.8, steps, rng=1,
                                                                   init=init), K * steps),
        "numpy_throughput": best_rate(lambda: [sim.train_regression(X[k], Y[k], w, 0.8, steps,
                                                                    rng=1, init=singles[k])
                                               for k in range(K)], K * steps),
        "rng_limit_throughput": None,
        "reported": True,
        "note": "both plain numpy (float32, full-batch Adam); the batched trainer amortises numpy's per-call overhead over the K trials of a claim",
    })
    # Figure 3 trials as the claims train them: 128 nets 1 -> 64 -> 32 -> 16 -> 1 at once,
    # against the previous loop (numpy temporaries, numpy Adam), BLAS on one thread as in a claim
    K, steps, widths = 128, 30, (64, 32, 16)
    g = np.random.default_rng(3)
    X, Y = g.uniform(-1, 1, (K, 20)), g.normal(size=(K, 20))
    init = sim.init_net_batch(widths, K, [np.random.default_rng(i) for i in range(K)])
    with threadpool_limits(1, user_api="blas"):
        kernel, numpy, limit = best_rates([
            (lambda: sim.train_regression_batch(X, Y, widths, 0.8, steps, rng=1, init=init),
             K * steps),
            (lambda: _train_regression_batch_numpy(X, Y, widths, 0.8, steps, rng=1,
                                                   init=init), K * steps),
            (_fig3_blas_limit(X, init, steps), K * steps)])
    out.append({
        "name": "drop_activation Figure 3 trials, 128 nets 64-32-16, 20 points, p=0.8",
        "unit": "net-steps/s",
        "throughput": kernel,
        "numpy_throughput": numpy,
        "rng_limit_throughput": None,
        "arithmetic_limit_throughput": limit,
        "note": "the training of fig3_trials (the Figure 3 claims): kept buffers, the bias, ReLU gate and Drop-Activation mask of a layer in one numba pass, the fused Adam; numpy: the previous loop (fresh temporaries per operation, numpy's Adam), bit for bit the same weights. numpy's rate depends on the allocator: its fresh temporaries (up to 1 MB each) cost page faults where glibc serves them by mmap (a fresh process: the kernel then runs ~3x faster), not once earlier frees have raised glibc's mmap threshold (as after the rows above: ~1.3x). Limit: the step's batched matrix products alone (same shapes and transposes, numpy's BLAS on one thread); the rest is mostly the float32 mask draws (numpy PCG64, the stream the claims' numbers depend on)",
    })
    # the shared Adam update, one float32 array of 10^6 parameters
    size, reps = 1_000_000, 20
    g = np.random.default_rng(4)
    q, grad = g.normal(size=size).astype(np.float32), g.normal(size=size).astype(np.float32)
    qp = q.copy()
    fused, plain = Adam([q], 1e-3), AdamNumpy([qp], 1e-3)
    mem = [np.zeros(size, np.float32) for _ in range(3)]

    def repeat(fn):
        def run():
            for _ in range(reps):
                fn()
        return run

    kernel, numpy, limit = best_rates([
        (repeat(lambda: fused.step([q], [grad])), size * reps),
        (repeat(lambda: plain.step([qp], [grad])), size * reps),
        (repeat(lambda: _stream_adam_arrays(mem[0], grad, mem[1], mem[2])), size * reps)])
    out.append({
        "name": "Adam update (simulations/optim.py), 10^6 float32 parameters",
        "unit": "parameter-updates/s",
        "throughput": kernel,
        "numpy_throughput": numpy,
        "rng_limit_throughput": None,
        "arithmetic_limit_throughput": limit,
        "note": "one fused numba pass per array (m, v, theta read and written once), bit for bit numpy's update; numpy: the same expressions (about ten passes with temporaries). Limit: the same memory traffic (read 4 arrays, write 3) with one add per array instead of the update's arithmetic",
    })
    return out
