"""Exact enumeration of subnetworks against brute force and closed forms."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dropmc.simulations import enumeration as en


def test_masks_and_probabilities():
    masks, w = en.enumerate_masks(5, 0.3)
    assert masks.shape == (32, 5) and len({tuple(m) for m in masks}) == 32
    k = masks.sum(axis=1)
    np.testing.assert_allclose(w, 0.3 ** k * 0.7 ** (5 - k), rtol=1e-13)
    assert w.sum() == pytest.approx(1.0, abs=1e-14)


def test_masks_with_per_unit_probabilities_and_extremes():
    p = np.array([0.0, 1.0, 0.25])
    masks, w = en.enumerate_masks(3, p)
    assert w.sum() == pytest.approx(1.0)
    nz = masks[w > 0]
    assert np.all(nz[:, 0] == 0) and np.all(nz[:, 1] == 1)


def test_enumeration_at_d20_sums_to_one():
    masks, w = en.enumerate_masks(20, 0.9)
    assert masks.shape == (1 << 20, 20)
    assert math.fsum(w) == pytest.approx(1.0, abs=1e-12)


@given(d=st.integers(1, 10), k=st.integers(1, 4), seed=st.integers(0, 2**32 - 1),
       pconst=st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_gray_code_matches_materialised_and_closed_form(d, k, seed, pconst):
    g = np.random.default_rng(seed)
    base, deltas, y = g.normal(size=k), g.normal(size=(d, k)), g.normal(size=k)
    p = g.uniform(0, 1, size=d) if pconst is None else pconst
    e = en.expect_squared_error(base, deltas, y, p)
    brute = en.expectation_over_masks(lambda M: ((base + M @ deltas - y) ** 2).sum(axis=1), d, p)
    pv = np.broadcast_to(p, (d,))
    mean = base + pv @ deltas - y
    closed = mean @ mean + np.sum(pv * (1 - pv) * np.sum(deltas ** 2, axis=1))
    assert e.mean == pytest.approx(brute, rel=1e-10, abs=1e-12)
    assert e.mean == pytest.approx(closed, rel=1e-10, abs=1e-12)
    assert e.mean == pytest.approx(en.expect_squared_error_doubling(base, deltas, y, p), rel=1e-10)
    assert e.se == 0.0 and e.method == "enumeration"


def test_gray_code_large_d_is_accurate():
    g = np.random.default_rng(1)
    d, k = 22, 3
    base, deltas, y = g.normal(size=k), g.normal(size=(d, k)), g.normal(size=k)
    mean = base + 0.3 * deltas.sum(axis=0) - y
    closed = mean @ mean + 0.21 * np.sum(deltas ** 2)
    assert en.expect_squared_error(base, deltas, y, 0.3).mean == pytest.approx(closed, rel=1e-11)


def test_bad_input():
    with pytest.raises(ValueError, match="d must be <= 22"):
        en.enumerate_masks(23, 0.5)
    with pytest.raises(ValueError, match="p must lie"):
        en.enumerate_masks(3, 1.5)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        en.enumerate_masks(3, [0.5, 0.5])
    with pytest.raises(ValueError, match="at most 30 random units"):
        en.expect_squared_error(np.zeros(1), np.ones((31, 1)), np.zeros(1), 0.5)
    with pytest.raises(ValueError, match="deltas must be finite"):
        en.expect_squared_error(np.zeros(1), np.array([[np.nan]]), np.zeros(1), 0.5)
    with pytest.raises(ValueError, match="base must have shape"):
        en.expect_squared_error(np.zeros(2), np.ones((3, 1)), np.zeros(1), 0.5)
