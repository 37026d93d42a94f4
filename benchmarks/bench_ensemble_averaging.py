"""ensemble_averaging kernels against plain numpy and their limits, in one run.

* the deep-network subnetwork sampler (Section 3 / 5) with dropout on the connections,
  numba (in-kernel xoshiro256++) against a batch-vectorised numpy forward pass, beside the
  cost of drawing the same uniforms alone with the same stream and chunking (RNG-bound);
* the same sampler with dropout on the units, and the Monte Carlo of the trained digits
  network (Figs. 9.3–9.15): batches of subnetworks through BLAS, compute-bound, so their limit
  is the arithmetic limit (``benchmarks/_arith.py``: numpy's BLAS on the same matrix products
  plus numpy's exp/log1p on the same number of values), and their baseline the
  per-subnetwork kernels they replaced;
* the exact enumeration of a small network's node-dropout masks (Sec. 9.5–9.6) and of a
  logistic unit's 2^n subnetworks (Gray code, log-domain G, G', NWGM) against numpy's best;
* the trainer of the digits networks (Secs. 9.5–11) against its previous implementation, the
  plain-numpy trainer it reproduces bit for bit, and the arithmetic limit of its steps.
"""

from __future__ import annotations

import numpy as np

from benchmarks._arith import blas_exp_limit
from benchmarks._timing import best_rate, best_rates, xo_limit_uniform
from dropmc.simulations import ensemble_averaging as sim
from dropmc.simulations.ensemble_averaging import linear as sim_linear
from dropmc.simulations.ensemble_averaging import trained_network as sim_trained
from dropmc.theory import ensemble_averaging as th

#: the kernels the batched ones replaced, in subnetworks/s, measured once on the benchmark
#: machine (2 threads, idle) at commit f52ab90 on the rows' exact work: unit dropout, a dense
#: dot product per unit and subnetwork; trained net, an axpy per kept unit and scalar
#: exp/log1p; the Sec. 9.5–9.6 enumeration, a forward pass per mask
BASELINE_UNITS = 6.19e5
BASELINE_TRAINED = 6.75e4
BASELINE_ENUM_SEC9_5 = 3.75e6


def rows() -> list[dict]:
    out = []
    g = np.random.default_rng(0)
    # DropConnect on a deep net: one draw per connection
    widths = [32, 32, 32, 8]
    net = th.random_layered_net(g, widths, skip_prob=0.0)
    I = g.normal(size=net.n_in)
    n_edges = int(np.count_nonzero(net.W))
    n = 40_000
    out.append({
        "name": f"ensemble_averaging deep-net sampler, connection dropout, widths {widths} ({n_edges} draws/sample)",
        "unit": "subnetworks/s",
        "throughput": best_rate(lambda: sim.estimate_network_moments(net, I, p_edges=0.5, n=n, rng=1,
                                                                     chunk_size=4096), n, repeats=3),
        "numpy_throughput": best_rate(lambda: sim.sample_network_numpy(net, I, n // 4, p_edges=0.5, rng=1,
                                                                       batch=1024), n // 4, repeats=3),
        "rng_limit_throughput": best_rate(xo_limit_uniform(n, n_edges, 4096, 32), n, repeats=3),
        "note": "numba accumulates E(S), E(O) for every unit and E(S_aS_b) over the output layer; "
                "numpy: batched masks and einsum per layer (means only)",
    })
    # unit dropout, logistic units: one draw per unit, a batch of subnetworks per matrix product
    widths = [64, 64, 64, 10]
    net = th.random_layered_net(g, widths, skip_prob=0.0)
    I = g.normal(size=net.n_in)
    n_draws = int(net.n_units - widths[-1])
    n = 100_000
    Wl, loff, lay = sim_linear._units_layers(net, net.W)
    mats = [Wl[loff[h]:loff[h + 1]].reshape(hi - lo, lo - c0) for h, (lo, hi, c0) in enumerate(lay)]
    out.append({
        "name": f"ensemble_averaging deep-net sampler, unit dropout, logistic, widths {widths}",
        "unit": "subnetworks/s",
        "throughput": best_rate(lambda: sim.estimate_network_moments(net, I, p_units=0.5, activation="logistic",
                                                                     n=n, rng=1, chunk_size=4096), n, repeats=3),
        "numpy_throughput": best_rate(lambda: sim.sample_network_numpy(net, I, n, p_units=0.5, activation="logistic",
                                                                       rng=1), n, repeats=3),
        "rng_limit_throughput": None,
        "arithmetic_limit_throughput": best_rate(
            blas_exp_limit(n, mats, batch=sim_linear._UNITS_BATCH, n_exp=net.n_units - net.n_in,
                           chunk_size=4096), n, repeats=3),
        "baseline_throughput": BASELINE_UNITS,
        "note": f"{sum(m.size for m in mats)} multiply-adds and {n_draws} draws per subnetwork "
                f"(RNG limit {best_rate(xo_limit_uniform(n, n_draws, 4096, 32), n, repeats=3):.3g}/s), "
                f"{sim_linear._UNITS_BATCH} subnetworks per matrix product; "
                f"baseline: the per-subnetwork kernel, {BASELINE_UNITS:.3g}/s",
    })
    # Sec. 9.5–9.6: every node-dropout mask of a small layered logistic network (2^16 masks)
    sizes = (6, 6, 4, 1)
    Ws = [g.normal(0, 1.5, (b, a)) for a, b in zip(sizes[:-1], sizes[1:])]
    ps = [g.uniform(0.3, 0.9, k) for k in sizes[:-1]]
    x9 = g.uniform(0, 1, sizes[0])
    big, off = np.zeros((sum(sizes), sum(sizes))), np.cumsum((0,) + sizes)
    for k, Wk in enumerate(Ws):
        big[off[k + 1]:off[k + 2], off[k]:off[k + 1]] = Wk
    net9 = th.LayeredNet(big, np.repeat(np.arange(len(sizes)), sizes))
    pu9 = np.ones(net9.n_units)
    pu9[: off[-2]] = np.concatenate(ps)
    n9 = 2 ** int(off[-2])
    out.append({
        "name": f"ensemble_averaging Sec. 9.5–9.6 enumeration, logistic net {sizes}, node dropout ({n9} masks)",
        "unit": "subnetworks/s",
        "throughput": best_rate(lambda: sim.enumerate_network(net9, x9, p_units=pu9, activation="logistic"),
                                n9, repeats=3),
        "numpy_throughput": best_rate(lambda: sim.enumerate_layered_logistic(Ws, x9, ps), n9, repeats=3),
        "rng_limit_throughput": None,
        "baseline_throughput": BASELINE_ENUM_SEC9_5,
        "min_speedup": 1.0,   # issue 18: at least the numpy doubling construction
        "note": "numba: 256 masks at a time per block of 4096, vectorised over the masks, accumulating "
                "E(S), the N×N E(SSᵀ), E(O), E(O²), E log O, E log(1 − O); numpy: "
                "enumerate_layered_logistic materialises S and O per mask (what the Sec. 9.5–9.6 claims "
                "need for E(O_iO_j), E σ(A), E σ'(A) of partial sums); "
                f"baseline: a forward pass per mask, {BASELINE_ENUM_SEC9_5:.3g}/s",
    })
    # exact enumeration of a logistic unit, n = 20 (2^20 subnetworks)
    d = 20
    w, x, p = g.normal(size=d), g.normal(size=d), g.uniform(0.2, 0.8, d)
    out.append({
        "name": f"ensemble_averaging exact enumeration, logistic unit, n={d} (E, V, log G, log G', NWGM)",
        "unit": "subnetworks/s",
        "throughput": best_rate(lambda: sim.enumerate_logistic_unit(w, x, p, c=1.5, lam=0.8), 2 ** d, repeats=3),
        "numpy_throughput": best_rate(lambda: sim.enumerate_logistic_unit_numpy(w, x, p, c=1.5, lam=0.8),
                                      2 ** d, repeats=3),
        "rng_limit_throughput": None,
        "note": "numpy baseline: doubling construction of all 2^n sums and log-probabilities",
    })
    return out + _net_rows() + [_trainer_row()]




# --- Sections 9.5–9.6: Monte Carlo over the dropout subnetworks of the trained digits network ---

def _net_rows() -> list[dict]:
    """The kernel of Figs. 9.3–9.15 (sim.estimate_mlp_moments) on the dropout-trained
    64-128-128-128-128-10 network, one input, 200 pairs tracked, against the plain-numpy
    reference (batched matrix products, the same statistics)."""
    c = sim.digits_classifier()
    net = c.final
    I = c.X_test[0]
    pairs = sim.mlp_pairs(net, 200, connected=False, rng=0)
    n = 20_000
    n_draws = net.sizes[0] + sum(net.sizes[1:-1])
    W, woff, *_ = sim_trained._mlp_arrays(net, I)
    rows_in = [int(np.count_nonzero(I))] + list(net.sizes[1:-1])
    mats = [W[woff[l]:woff[l + 1]].reshape(k, kin)
            for l, (k, kin) in enumerate(zip(net.sizes[1:], rows_in))]
    return [{
        "name": "ensemble_averaging trained-net dropout moments (Figs. 9.3–9.15), "
                f"{'-'.join(map(str, net.sizes))}, 7 statistics/unit + 200 pairs",
        "unit": "subnetworks/s",
        "throughput": best_rate(lambda: sim.estimate_mlp_moments(net, I, n=n, pairs=pairs, rng=1), n,
                                repeats=3),
        "numpy_throughput": best_rate(lambda: sim.mlp_moments_numpy(net, I, n // 4, pairs=pairs, rng=1),
                                      n // 4, repeats=3),
        "rng_limit_throughput": None,
        "arithmetic_limit_throughput": best_rate(
            blas_exp_limit(n, mats, batch=sim_trained._MLP_BATCH, n_exp=net.n_units,
                           n_log1p=net.n_units, chunk_size=4096), n, repeats=3),
        "baseline_throughput": BASELINE_TRAINED,
        "note": f"{sim_trained._MLP_BATCH} subnetworks per matrix product (the first layer over the "
                f"{rows_in[0]} nonzero pixels), one exp + one log1p per unit for σ, log σ, log(1 − σ); "
                f"{n_draws} draws per subnetwork (RNG limit "
                f"{best_rate(xo_limit_uniform(n, n_draws, 4096, 32), n, repeats=3):.3g}/s); numpy: BLAS "
                f"matmul per layer over a batch of 2048; baseline: the per-subnetwork kernel, "
                f"{BASELINE_TRAINED:.3g}/s",
    }]


# --- Sections 9.5–11: the trainer of the digits networks ---------------------------------------

def _trainer_limit(sizes, batches):
    """The arithmetic of the digits trainer's steps, alone: per minibatch of B rows (the
    ``batches`` of an epoch) its 14 matrix products with the same shapes and layouts (forward
    A @ W.T, weight gradients D.T @ A, backward D @ W) and numpy's vectorised exp of its
    B·(n_units) sums, with BLAS on one thread."""
    g = np.random.default_rng(0)
    L = len(sizes) - 1
    Ws = [g.normal(0, 0.1, (sizes[l + 1], sizes[l])) for l in range(L)]
    per = {}
    for B in set(batches):
        per[B] = ([g.random((B, sizes[l])) for l in range(L)],
                  [g.random((B, sizes[l + 1])) for l in range(L)],
                  [np.empty((B, sizes[l + 1])) for l in range(L)],
                  [np.empty((B, sizes[l])) for l in range(L)],
                  -np.abs(g.normal(0.0, 3.0, B * sum(sizes[1:]))), np.empty(B * sum(sizes[1:])))
    G = [np.empty_like(W) for W in Ws]

    def run():
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, user_api="blas"):
            for B in batches:
                A, D, S, M, e, ex = per[B]
                for l in range(L):
                    np.matmul(A[l], Ws[l].T, out=S[l])
                    np.matmul(D[l].T, A[l], out=G[l])
                    if l > 0:
                        np.matmul(D[l], Ws[l], out=M[l])
                np.exp(e, out=ex)

    return run


def _trainer_row() -> dict:
    """The one trainer of the digits networks (sim.train_noise_classifier, dropout, the
    64-128×4-10 network, Adam, minibatches of 64) against the previous implementation, the
    plain-numpy trainer it is bit-identical to (trained_network._train_noise_numpy), and the
    arithmetic limit of its steps (:func:`_trainer_limit`), timed interleaved."""
    from threadpoolctl import threadpool_limits

    from dropmc.simulations.datasets import load_digits_split

    X, y, Xt, yt = load_digits_split(0.25, seed=0)
    epochs, batch = 20, 64
    kw = dict(hidden=(sim.DIGITS_HIDDEN,) * 4, p_in=0.8, p_hidden=0.5, epochs=epochs,
              batch=batch, lr=sim.DIGITS_LR, init_sd=0.01, seed=0)
    batches = [min(batch, y.size - k) for k in range(0, y.size, batch)] * epochs
    sizes = (X.shape[1],) + kw["hidden"] + (10,)

    def reference():
        with threadpool_limits(1, user_api="blas"):
            sim_trained._train_noise_numpy(X, y, noise="dropout", **kw)

    steps = len(batches)
    kernel, numpy, limit = best_rates([
        (lambda: sim.train_noise_classifier(X, y, Xt, yt, noise="dropout", **kw), steps),
        (reference, steps), (_trainer_limit(sizes, batches), steps)], repeats=3)
    n_units = sum(sizes[1:])
    return {
        "name": f"ensemble_averaging digits-network trainer (Secs. 9.5–11), "
                f"{'-'.join(map(str, sizes))}, dropout, Adam, minibatches of {batch}",
        "unit": "training steps/s",
        "throughput": kernel, "numpy_throughput": numpy, "rng_limit_throughput": None,
        "arithmetic_limit_throughput": limit,
        "note": f"numpy: the previous implementation, the plain-numpy trainer the new one is "
                f"bit-identical to; per step 14 matrix products (numpy's BLAS in both) and "
                f"{batch * n_units} logistic units, whose σ (computed for the kept units only) "
                f"stays libm's exp as in scipy's expit (the limit's vectorised exp would change "
                f"the last bits), the keep decisions' "
                f"{batch * sum(sizes[:-1])} uniforms in one draw, and an Adam step; limit: the "
                f"products and a vectorised exp of the units alone",
    }


if __name__ == "__main__":  # pragma: no cover
    for r in rows():
        lim = r["rng_limit_throughput"] or r.get("arithmetic_limit_throughput")
        kind = "RNG" if r["rng_limit_throughput"] else "arithmetic"
        base = r.get("baseline_throughput")
        print(r["name"], f"{r['throughput']:.4g}", f"numpy {r['numpy_throughput']:.4g}",
              f"x{r['throughput'] / r['numpy_throughput']:.2f}",
              lim and f"{kind} limit {lim:.4g} ({r['throughput'] / lim:.0%})",
              base and f"baseline {base:.4g} (x{r['throughput'] / base:.2f})")
