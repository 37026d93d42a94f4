"""The one optimiser of the trainers (dropmc.simulations.optim.Adam) against Algorithm 1 of
Kingma & Ba written out plainly, and its bad input."""

import numpy as np
import pytest

from dropmc.simulations.optim import Adam, adam_numpy


def _grad(theta):
    A = np.diag([1.0, 10.0, 0.1])
    return A @ (theta - np.array([1.0, -2.0, 3.0]))


@pytest.mark.parametrize("lr", [1e-3, 0.05])
def test_adam_matches_the_papers_algorithm(lr):
    theta0 = np.array([0.5, 0.5, 0.5])
    want = adam_numpy(theta0, _grad, 200, lr=lr)
    theta = theta0.copy()
    opt = Adam([theta], lr)
    for _ in range(200):
        opt.step([theta], [_grad(theta)])
    np.testing.assert_allclose(theta, want, rtol=1e-12, atol=1e-14)
    assert opt.t == 200


def test_adam_updates_in_place_and_keeps_dtype():
    w = np.ones((2, 3), dtype=np.float32)
    view = w[0]
    opt = Adam([w], 0.1)
    opt.step([w], [np.ones_like(w)])
    assert w.dtype == np.float32 and np.all(view < 1)


@pytest.mark.parametrize("kw", [{"lr": -1.0}, {"b1": 1.0}, {"b2": 1.5}, {"eps": float("nan")}])
def test_adam_refuses_bad_settings(kw):
    with pytest.raises(ValueError):
        Adam([np.zeros(2)], **kw)


def test_adam_refuses_mismatched_lists():
    opt = Adam([np.zeros(2), np.zeros(3)])
    with pytest.raises(ValueError, match="2 arrays"):
        opt.step([np.zeros(2)], [np.zeros(2)])
