"""Baldi & Sadowski (ensemble_averaging), kernels and evidence of the appendix claims:

* the enumeration kernels are bit-identical at 1 and 2 threads (issue 8, item 11);
* the Monte Carlo network sampler agrees *to the bit in its keep decisions* with a plain-numpy
  reference that consumes the same xoshiro256++ draws, so any bias of the sampler (not only
  one larger than a few standard errors) fails (item 10), and a 1 % bias of the
  connection-dropout sampler is caught by a claim that uses it;
* power of representative appendix claims and a mutation suite (one claim of each kind).
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from dropmc.claims import Verdict
from dropmc.registry import all_claims
from dropmc.runner import evaluate, power
from dropmc.simulations import _core
from dropmc.simulations import ensemble_averaging as sim
from dropmc.simulations import enumeration as en
from dropmc.simulations._xoshiro import fill_doubles
from dropmc.theory import ensemble_averaging as th

CLAIMS = {c.id.split(".", 1)[1]: c for c in all_claims("ensemble_averaging")}


# --- item 11: thread-count independence of the parallel enumeration kernels -------------------

_THREADS_SCRIPT = textwrap.dedent("""
    import json, numpy as np
    from dropmc.simulations import ensemble_averaging as sim
    from dropmc.simulations import enumeration as en
    from dropmc.theory import ensemble_averaging as th
    out = {}
    g = np.random.default_rng(4)
    for k in range(3):
        # > 12 random gates: several blocks of the parallel kernel
        net = th.random_layered_net(g, [5, 5, 5, 2], skip_prob=0.3)
        I = g.normal(size=5)
        e = sim.enumerate_network(net, I, p_units=g.uniform(0.2, 0.9, net.n_units),
                                  activation="logistic")
        out[f"units{k}"] = [e[x].tobytes().hex() for x in ("ES", "ESS", "EO", "EO2", "ElogO")]
        net = th.random_layered_net(g, [3, 3, 2], skip_prob=0.0)
        e = sim.enumerate_network(net, g.normal(size=3),
                                  p_edges=g.uniform(0.2, 0.9, (net.n_units, net.n_units)))
        out[f"edges{k}"] = [e[x].tobytes().hex() for x in ("ES", "ESS")]
        u = sim.enumerate_logistic_unit(g.normal(size=20), g.normal(size=20), g.uniform(0.1, 0.9, 20))
        out[f"unit{k}"] = repr(u)
        d = g.normal(size=(20, 3))
        out[f"sq{k}"] = [repr(en.expect_squared_error(np.zeros(3), d, np.ones(3),
                                                      g.uniform(0.1, 0.9, 20)).mean),
                         repr(en.expect_squared_error(np.zeros(3), d, np.ones(3), 0.3).mean)]
    print(json.dumps(out))
""")


def _run_threads(n: int) -> dict:
    env = {**os.environ, "NUMBA_NUM_THREADS": str(n), "DROPMC_THREADS": str(n)}
    r = subprocess.run([sys.executable, "-c", _THREADS_SCRIPT], env=env, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_enumeration_kernels_are_bit_identical_at_1_and_2_threads():
    """``_enum_network_kernel``, ``_gray_unit_kernel`` and the Gray squared-error kernels add
    their block results in a fixed serial order (``enumeration.sum_blocks``), not by a parfor
    reduction, so the thread count cannot change a bit."""
    a, b = _run_threads(1), _run_threads(2)
    assert a.keys() == b.keys()
    for k in a:
        assert a[k] == b[k], k
