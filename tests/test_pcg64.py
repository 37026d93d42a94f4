"""The in-kernel PCG64 stream (dropmc.simulations._pcg64) against numpy's Generator: the same
raw bits, uniforms and normals, and the state left where numpy leaves it."""

import numpy as np
import pytest

from dropmc.simulations import _pcg64


@pytest.mark.parametrize("seed", [0, 1, 2**63 + 5])
def test_raw_bits_uniforms_and_normals_are_numpys(seed):
    n = 400_000
    g = np.random.default_rng(seed)
    st = _pcg64.pcg64_state(g)
    raw = np.empty(n, np.uint64)
    _pcg64.fill_raw(st, raw)
    assert np.array_equal(raw, g.bit_generator.random_raw(n))
    u = np.empty(n)
    _pcg64.fill_doubles(st, u)
    assert np.array_equal(u, g.random(n))
    z = np.empty(4 * n)
    _pcg64.fill_normals(st, z)
    want = g.standard_normal(4 * n)
    assert np.array_equal(z, want)
    # the draws went through the tail beyond r and the wedges, and ended where numpy's did
    assert np.sum(np.abs(want) > 3.654152885361009) > 50
    assert np.array_equal(st, _pcg64.pcg64_state(g))


def test_state_words_and_bad_generator():
    g = np.random.default_rng(3)
    st = _pcg64.pcg64_state(g)
    s = g.bit_generator.state["state"]
    assert (int(st[0]) << 64) | int(st[1]) == s["state"]
    assert (int(st[2]) << 64) | int(st[3]) == s["inc"]
    with pytest.raises(TypeError, match="g must be a numpy Generator on PCG64"):
        _pcg64.pcg64_state(np.random.Generator(np.random.MT19937(1)))
