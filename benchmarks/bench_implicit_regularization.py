"""implicit_regularization kernels against plain numpy and the RNG-bound limit, in one run."""

from __future__ import annotations

import numpy as np

from benchmarks._timing import best_rate, best_rates, xo_limit_uniform, xo_limit_words
from dropmc.simulations import enumeration as en
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th


def _net(g, m, n_data=4, d=5, dout=1):
    Ws = [g.normal(size=(m, d)) / np.sqrt(d), g.normal(size=(dout, m)) / np.sqrt(m)]
    bs = [g.normal(size=m), g.normal(size=dout)]
    return Ws, bs, g.normal(size=(n_data, d)), g.normal(size=(n_data, dout))


def rows() -> list[dict]:
    out = []
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
