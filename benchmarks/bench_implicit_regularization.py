"""implicit_regularization kernels against plain numpy and the RNG-bound limit, in one run."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from benchmarks._timing import best_rate, best_rates, xo_limit_uniform, xo_limit_words
from dropmc.simulations import enumeration as en
from dropmc.simulations import implicit_regularization as sim
from dropmc.simulations.implicit_regularization.numerical_verification import (
    _train_network_numpy)
from dropmc.theory import implicit_regularization as th


def _net(g, m, n_data=4, d=5, dout=1):
    Ws = [g.normal(size=(m, d)) / np.sqrt(d), g.normal(size=(dout, m)) / np.sqrt(m)]
    bs = [g.normal(size=m), g.normal(size=dout)]
    return Ws, bs, g.normal(size=(n_data, d)), g.normal(size=(n_data, dout))


def _restart_networks(K: int = 3):
    """The trainings of sec6_1.restart_condenses at its sizes: K networks 10-100-1 tanh on 30
    samples of the Fig. 7 teacher, each restarted with R_S, R_S^drop and R_S + R1 (p = 0.5),
    as (stacked weights, biases, X, Y, p, modes, single-network arguments)."""
    g = np.random.default_rng(5)
    nets, singles = [], []
    for k in range(K):
        X = g.normal(size=(30, 10))
        Y = th.target_fig7(X)[:, None]
        Ws, bs = sim.init_two_layer(10, 100, 1, rng=k)
        for mode, p in (("plain", 1.0), ("dropout", 0.5), ("r1", 0.5)):
            nets.append((Ws, bs, X, Y))
            singles.append((Ws, bs, X, Y, p, mode))
    stack = ([np.stack([n[0][i] for n in nets]) for i in range(2)],
             [np.stack([n[1][i] for n in nets]) for i in range(2)],
             np.stack([n[2] for n in nets]), np.stack([n[3] for n in nets]))
    return stack, [s[4] for s in singles], [s[5] for s in singles], singles


def _restart_limit(stack, p, steps):
    """What a step of the stacked training leaves to numpy so that its numbers are numpy's,
    alone: the matrix products (the stacked shapes and transposes of the trainer), tanh of the
    hidden layer and the mask draws of the networks that drop (numpy's PCG64)."""
    (W1, W2), _, X, _ = stack
    K, n, m = X.shape[0], X.shape[1], W1.shape[1]
    Z, U, O = np.empty((K, n, m)), np.empty((K, n, m)), np.empty((K, n, 1))
    gW1, gW2 = np.empty_like(W1), np.empty_like(W2)
    gens = [np.random.default_rng(k) for k in range(K)]
    drops = [k for k in range(K) if p[k] < 1.0]

    def run():
        for _ in range(steps):
            np.matmul(X, W1.transpose(0, 2, 1), out=Z)
            np.tanh(Z, out=Z)
            for k in drops:
                gens[k].random(out=U[k])
            np.matmul(Z, W2.transpose(0, 2, 1), out=O)
            np.matmul(U.transpose(0, 2, 1), X, out=gW1)
            np.matmul(O.transpose(0, 2, 1), Z, out=gW2)
    return run


def rows() -> list[dict]:
    out = []
    # the heaviest trainings (sec6_1.restart_condenses and sec6.condensation): 9 networks
    # 10-100-1 trained at once, each on its own stream, against the previous implementation
    # (one network at a time, numpy temporaries, numpy's Adam); BLAS on one thread, as a claim
    stack, p, modes, singles = _restart_networks()
    K, steps = len(p), 300
    streams = list(range(K))
    with threadpool_limits(1, user_api="blas"):
        kernel, numpy, limit, one, one_numpy = best_rates([
            (lambda: sim.train_two_layer_stack(*stack, p=p, mode=modes, steps=steps, lr=1e-2,
                                               rng=streams), K * steps),
            (lambda: [_train_network_numpy(Ws, bs, X, Y, p=q, mode=md, steps=steps, lr=1e-2,
                                           rng=k)
                      for k, (Ws, bs, X, Y, q, md) in enumerate(singles)], K * steps),
            (_restart_limit(stack, p, steps), K * steps),
            (lambda: sim.train_two_layer(*singles[1][:4], p=0.5, steps=steps, lr=1e-2, rng=1),
             steps),
            (lambda: _train_network_numpy(*singles[1][:4], p=0.5, steps=steps, lr=1e-2, rng=1),
             steps)])
    out.append({
        "name": "implicit_regularization Sec. 6.1 restart trainings, 9 nets 10-100-1 tanh, "
                "30 points, R_S / R_S^drop / R_S + R1, Adam",
        "unit": "net-steps/s",
        "throughput": kernel,
        "numpy_throughput": numpy,
        "rng_limit_throughput": None,
        "arithmetic_limit_throughput": limit,
        "note": "train_two_layer_stack with one stream per network (the trainings of "
                "sec6_1.restart_condenses; sec6.condensation trains the same networks): per "
                "step numpy's matrix products, tanh and mask draws, four numba passes for the "
                "rest (bias, masks, output error, backward with the sums over the samples in "
                "numpy's order), one fused Adam update of all parameters; numpy: the previous "
                "implementation (_train_network_numpy: one network at a time, fresh "
                "temporaries, numpy's Adam), bit for bit the same weights. Limit: the step's "
                "numpy work alone (matrix products, tanh, mask draws), which the numbers "
                f"depend on. One dropout network alone: {one:.3g} steps/s, "
                f"{one / one_numpy:.1f}x the previous implementation",
    })
    g = np.random.default_rng(0)
    # Lemma 1 Monte Carlo: E_η R_S^drop, dropout width 256, 4 data points, scalar output
    m, p = 240, 0.9
    Ws, bs, X, Y = _net(g, m)
    n = 200_000
    chunk = 4096
    kernel, numpy, limit = best_rates([
        (lambda: sim.estimate_dropout_risk(Ws, bs, X, Y, p, n=n, rng=1, chunk_size=chunk), n),
        (lambda: sim.dropout_risk_numpy(Ws, bs, X, Y, p, n=n // 4, rng=1, chunk_size=chunk),
         n // 4),
        (xo_limit_words(n, -(-m // 8), chunk, 32), n)])
    out.append({
        "name": f"implicit_regularization E_eta R_S^drop (Lemma 1), m={m}, n_data=4, p={p}",
        "unit": "η draws/s",
        "throughput": kernel,
        "numpy_throughput": numpy,
        "rng_limit_throughput": limit,
        "note": "kernel: 8 keep decisions per 64-bit word of the xoshiro stream (8-bit "
                "digits compared at once, exact ties: about one extra uniform per draw), the "
                "outputs moved by two table entries per word and block of 4 outputs; limit: "
                "the same ⌈m/8⌉ words per draw alone (ties left out); numpy: (k, m) uniforms "
                "< p, mask @ D. Per word the kernel's own work (lane compares, two pattern "
                "gathers, eight table sums, the tie test) is more than the generator's: the row "
                "is bound by instructions, not by random numbers",
    })
    # η moments (Section 3.3), m = 8 coordinates per draw
    n = 1_000_000

    def numpy_moments():
        gg = np.random.default_rng(1)
        for _ in range(n // 4 // 8192):
            e = np.where(gg.random((8192, 8)) < 0.7, 0.3 / 0.7, -1.0)
            e.mean(), (e * e).mean(), (e[:, :-1] * e[:, 1:]).mean(), (e ** 3).mean()

    kernel, numpy, limit = best_rates([
        (lambda: sim.estimate_eta_moments(0.7, 8, n=n, rng=1), n),
        (numpy_moments, (n // 4 // 8192) * 8192),
        (xo_limit_uniform(n, 8, 1 << 13, 32), n)])
    out.append({
        "name": "implicit_regularization η moments (Section 3.3), m=8, p=0.7",
        "unit": "η vectors/s",
        "throughput": kernel,
        "numpy_throughput": numpy,
        "rng_limit_throughput": limit,
        "note": "one uniform per coordinate from the in-kernel xoshiro stream, as the limit",
    })
    # exact E_η R_S^drop: Gray-code walk per data point vs the numpy doubling trick
    m = 20
    Ws, bs, X, Y = _net(g, m, n_data=4, dout=2)
    base, G = sim._setting1_parts(Ws, bs, X, Y, "tanh")

    def numpy_exact():
        zero = np.zeros(G.shape[2])
        return sum(en.expect_squared_error_doubling(base[i], G[i] / 0.6, zero, 0.6)
                   for i in range(X.shape[0])) / (2 * X.shape[0])

    assert abs(numpy_exact() - sim.exact_dropout_risk(Ws, bs, X, Y, 0.6).mean) <= \
        1e-9 * abs(th.lemma1_rhs(Ws, bs, X, Y, 0.6))
    out.append({
        "name": f"implicit_regularization exact E_eta R_S^drop (Gray code), m={m}, n_data=4, d'=2",
        "unit": "subnetworks/s",
        "throughput": best_rate(lambda: sim.exact_dropout_risk(Ws, bs, X, Y, 0.6), 4 * 2 ** m),
        "numpy_throughput": best_rate(numpy_exact, 4 * 2 ** m),
        "rng_limit_throughput": None,
        "note": "numpy baseline: doubling trick (all 2^m outputs by concatenation)",
    })
    return out


if __name__ == "__main__":  # pragma: no cover
    for r in rows():
        print(r)
