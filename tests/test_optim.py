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
    assert theta.tobytes() == want.tobytes()   # the same expressions, bit for bit
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


# --- the fused update (one numba pass per array) against numpy's expressions ----------------

def _state(rng, shape, dtype):
    """Random parameters, gradient and moments (v ≥ 0) of one array, gradients spread over
    many magnitudes and some exactly zero."""
    q = np.asarray(rng.normal(size=shape), dtype)
    g = np.asarray(rng.normal(size=shape) * 10.0 ** rng.uniform(-8, 3, size=shape), dtype)
    g[rng.random(shape) < 0.05] = 0
    m = np.asarray(0.1 * rng.normal(size=shape), dtype)
    v = np.asarray(0.1 * rng.random(shape) ** 3, dtype)
    return q, g, m, v


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1000,), (16, 7, 33), (5, 1, 3), ()])
@pytest.mark.parametrize("hyper", [(1e-3, 0.9, 0.999, 1e-8), (3e-3, 0.9, 0.999, 1e-8),
                                   (0.1, 0.5, 0.7, 1e-3), (0.05, 0.0, 0.0, 0.0)])
def test_fused_update_is_bit_identical_to_numpy(dtype, shape, hyper):
    """One step at t = 1, 2, 10, 1000, 10^5 from random moments: θ, m and v equal to the numpy
    expressions bit for bit (float32 and float64, with and without a leading batch axis; with
    ε = 0 a zero gradient on zero moments gives NaN in both)."""
    from dropmc.simulations.optim import _adam_update_numpy

    lr, b1, b2, eps = hyper
    rng = np.random.default_rng(5)
    for t in (1, 2, 10, 1000, 10**5):
        q, g, m, v = _state(rng, shape, dtype)
        if eps == 0.0 and q.ndim:
            g.reshape(-1)[:3], m.reshape(-1)[:3], v.reshape(-1)[:3] = 0, 0, 0
        opt = Adam([q], lr, b1=b1, b2=b2, eps=eps)
        opt.m, opt.v, opt.t = [m.copy()], [v.copy()], t - 1
        got = q.copy()
        with np.errstate(invalid="ignore"):
            opt.step([got], [g])
            _adam_update_numpy(q, g, m, v, lr, b1, b2, eps, t)
        for a, b in ((got, q), (opt.m[0], m), (opt.v[0], v)):
            assert a.dtype == dtype and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_adam_follows_numpy_adam_over_many_steps(dtype):
    """300 steps of a batched quadratic problem (K = 8 stacked along axis 0): Adam and
    AdamNumpy agree bit for bit at every step; in float64 so does the paper's Algorithm 1."""
    from dropmc.simulations.optim import AdamNumpy

    rng = np.random.default_rng(3)
    A = rng.uniform(0.1, 10.0, (8, 5)).astype(dtype)
    target = rng.normal(size=(8, 5)).astype(dtype)
    q0 = rng.normal(size=(8, 5)).astype(dtype)
    a, b = q0.copy(), q0.copy()
    fused, plain = Adam([a], 0.05), AdamNumpy([b], 0.05)
    for _ in range(300):
        fused.step([a], [A * (a - target)])
        plain.step([b], [A * (b - target)])
        assert a.tobytes() == b.tobytes()
    if dtype == np.float64:
        want = adam_numpy(q0, lambda th: A * (th - target), 300, lr=0.05)
        assert a.tobytes() == want.tobytes()


def test_arrays_the_kernel_does_not_take_get_numpys_update():
    """A non-contiguous parameter view, a float64 gradient of float32 weights, a non-contiguous
    gradient and Fortran-ordered arrays: the same numbers as numpy's expressions, in place."""
    from dropmc.simulations.optim import AdamNumpy

    rng = np.random.default_rng(4)
    base = rng.normal(size=(6, 8)).astype(np.float32)
    before = base.copy()
    w = np.asfortranarray(rng.normal(size=(4, 5)))
    for params, grads in (([base[:, ::2]], [rng.normal(size=(6, 4)).astype(np.float32)]),
                          ([base.copy()], [rng.normal(size=(6, 8))]),
                          ([base.copy()], [rng.normal(size=(8, 6)).astype(np.float32).T]),
                          ([w], [np.asfortranarray(rng.normal(size=(4, 5)))])):
        ref = [p.copy() for p in params]
        fused, plain = Adam(params, 0.01), AdamNumpy(ref, 0.01)
        for _ in range(3):
            fused.step(params, grads)
            plain.step(ref, grads)
        for a, b in zip(params, ref):
            assert a.dtype == b.dtype and np.array_equal(a, b)
            assert a.tobytes() == b.tobytes()
    # the view was updated in place, and only it
    assert np.all(base[:, ::2] != before[:, ::2]) and np.array_equal(base[:, 1::2], before[:, 1::2])
