"""ensemble_averaging kernels against plain numpy and the RNG-bound limit, in one run.

* the deep-network subnetwork sampler (Section 3 / 5: dropout on connections and on units),
  numba (in-kernel xoshiro256++) against a batch-vectorised numpy forward pass, beside the
  cost of drawing the same uniforms alone with the same stream and chunking;
* the exact enumeration of a logistic unit's 2^n subnetworks (Gray code, log-domain G, G',
  NWGM) against numpy's best: the doubling construction of all sums, then vectorised moments.
"""

from __future__ import annotations

import numpy as np

from benchmarks._timing import best_rate, xo_limit_uniform
from dropmc.simulations import ensemble_averaging as sim
from dropmc.theory import ensemble_averaging as th


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
    # unit dropout, logistic units: one draw per unit, a dense forward pass (compute-bound)
    widths = [64, 64, 64, 10]
    net = th.random_layered_net(g, widths, skip_prob=0.0)
    I = g.normal(size=net.n_in)
    n_draws = int(net.n_units - widths[-1])
    n = 100_000
    out.append({
        "name": f"ensemble_averaging deep-net sampler, unit dropout, logistic, widths {widths}",
        "unit": "subnetworks/s",
        "throughput": best_rate(lambda: sim.estimate_network_moments(net, I, p_units=0.5, activation="logistic",
                                                                     n=n, rng=1, chunk_size=4096), n, repeats=3),
        "numpy_throughput": best_rate(lambda: sim.sample_network_numpy(net, I, n, p_units=0.5, activation="logistic",
                                                                       rng=1), n, repeats=3),
        "rng_limit_throughput": best_rate(xo_limit_uniform(n, n_draws, 4096, 32), n, repeats=3),
        "note": f"{n_draws} draws but {int(np.count_nonzero(net.W))} multiply-adds per subnetwork: "
                "compute-bound, numpy's BLAS matmul over a batch is the strong baseline",
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
        "note": "numba: per-mask forward pass accumulating E(S), the N×N E(SSᵀ), E(O), E(O²), E log O (slower "
                "here than numpy, which only materialises); numpy: "
                "enumerate_layered_logistic materialises S and O per mask (what the Sec. 9.5–9.6 claims "
                "need for E(O_iO_j), E σ(A), E σ'(A) of partial sums)",
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
    return out + _net_rows()




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
    return [{
        "name": "ensemble_averaging trained-net dropout moments (Figs. 9.3–9.15), "
                f"{'-'.join(map(str, net.sizes))}, 7 statistics/unit + 200 pairs",
        "unit": "subnetworks/s",
        "throughput": best_rate(lambda: sim.estimate_mlp_moments(net, I, n=n, pairs=pairs, rng=1), n,
                                repeats=3),
        "numpy_throughput": best_rate(lambda: sim.mlp_moments_numpy(net, I, n // 4, pairs=pairs, rng=1),
                                      n // 4, repeats=3),
        "rng_limit_throughput": best_rate(xo_limit_uniform(n, n_draws, 4096, 32), n, repeats=3),
        "note": "kernel skips dropped units (axpy over kept rows of Wᵀ) and takes the logs from one "
                "exp + one log1p per unit; numpy: BLAS matmul per layer over a batch of 2048",
    }]


if __name__ == "__main__":  # pragma: no cover
    for r in rows():
        print(r["name"], f"{r['throughput']:.4g}", f"numpy {r['numpy_throughput']:.4g}",
              r["rng_limit_throughput"] and f"limit {r['rng_limit_throughput']:.4g}",
              f"x{r['throughput'] / r['numpy_throughput']:.2f}",
              r["rng_limit_throughput"] and f"{r['throughput'] / r['rng_limit_throughput']:.0%}")
