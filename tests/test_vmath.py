"""The vectorisable exp and log1p of the batched kernels (simulations/_vmath.py) against numpy,
in units in the last place, over their whole ranges and at their edges."""

import numpy as np
from numba import njit

from dropmc.simulations._vmath import JIT_VEC, exp_v, log1p_unit


@njit(**JIT_VEC)
def _exp_all(x, out):
    for i in range(x.size):
        out[i] = exp_v(x[i])


@njit(**JIT_VEC)
def _log1p_all(x, out):
    for i in range(x.size):
        out[i] = log1p_unit(x[i])


def _ulps(got, ref):
    """|got − ref| in units of ref's last place (0 where equal, incl. inf = inf and 0 = 0)."""
    with np.errstate(invalid="ignore"):
        err = np.abs(got - ref) / np.spacing(np.abs(ref))
    return np.where(got == ref, 0.0, err)


def test_exp_v_within_two_ulp_of_numpy_everywhere():
    """Uniform over the whole finite range (overflow to inf above 709.78, subnormal results
    down to −745.13, 0 below), dense near 0, and the edges themselves."""
    g = np.random.default_rng(0)
    edges = [0.0, -0.0, 1e-300, -1e-300, 709.78, 709.782712893384, 709.79, 709.8, 720.0,
             -708.39, -708.4, -744.44, -745.13, -745.1332, -745.14, -745.2, -800.0, -1e6, 1e6]
    x = np.concatenate([g.uniform(-750, 712, 1_000_000), g.uniform(-40, 40, 1_000_000),
                        g.normal(0, 1e-6, 100_000), edges])
    out = np.empty_like(x)
    _exp_all(x, out)
    with np.errstate(over="ignore", under="ignore"):
        ref = np.exp(x)
    assert np.all(_ulps(out, ref) <= 2.0)
    assert np.array_equal(np.isinf(out), np.isinf(ref)) and np.array_equal(out == 0, ref == 0)


def test_log1p_unit_within_two_ulp_of_numpy_on_the_unit_interval():
    """log(1 + e) for e = exp(−|S|): uniform on [0, 1], log-uniform down to the smallest
    subnormal, and both sides of the branch at √2 − 1."""
    g = np.random.default_rng(1)
    edges = [0.0, 5e-324, 1e-310, 2.2250738585072014e-308, 1e-17, 1.0, 1.0 - 2**-53,
             0.41421356237309503, np.nextafter(0.41421356237309503, 0),
             np.nextafter(0.41421356237309503, 1)]
    e = np.concatenate([g.uniform(0, 1, 1_000_000), np.exp(-g.uniform(0, 745, 1_000_000)),
                        g.uniform(0.41, 0.42, 100_000), edges])
    out = np.empty_like(e)
    _log1p_all(e, out)
    assert np.all(_ulps(out, np.log1p(e)) <= 2.0)
    assert out[-10] == 0.0 and out[-9] == 5e-324
