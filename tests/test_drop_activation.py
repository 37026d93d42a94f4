"""Drop-Activation: every claim at quick precision, property tests, kernels vs numpy."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dropmc.claims import Verdict
from dropmc.registry import all_claims
from dropmc.runner import evaluate
from dropmc.simulations import drop_activation as sim
from dropmc.theory import drop_activation as th

EXPECTED = {
    "drop_activation.prop5_1.eq10": Verdict.REFUTED,
    "drop_activation.appendix.frobenius_step": Verdict.REFUTED,
}
CLAIMS = all_claims("drop_activation")


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_verdict_at_quick_precision(claim):
    r = evaluate(claim, seed=2026, precision="quick", catch=False)
    assert r.verdict is EXPECTED.get(claim.id, Verdict.CONFIRMED), r.summary
    assert r.cases, "a claim must be decided on at least one case"
    for case in r.cases:
        if case.estimate is not None and case.estimate.method == "monte_carlo":
            assert case.estimate.n >= 64 and case.estimate.se > 0


def test_catalog_covers_claims_md():
    labels = " ".join(c.label for c in CLAIMS)
    for eq in ("Eq. 3", "Eq. 4", "Eq. 5", "Eq. 6", "Eq. 8", "Eq. 9", "Eq. 10", "Eq. 11",
               "Eq. 13", "Eq. 14", "Eq. 15", "Eq. 16", "Eq. 17", "Eq. 18", "Eq. 19", "Eq. 20",
               "Eq. 21", "Property 5.1", "Property 5.2", "Section 7.1"):
        assert eq in labels, eq
    for refuted in EXPECTED:
        corr = [c for c in CLAIMS if c.corrects == refuted]
        assert len(corr) == 1 and not corr[0].as_printed


# --- properties over random shapes and p ----------------------------------------------------

nets = st.tuples(st.integers(1, 9), st.integers(1, 4), st.integers(1, 4), st.integers(1, 3),
                 st.floats(0.01, 1.0), st.integers(0, 2**32 - 1))


def _net(d, m, k, n_data, seed):
    g = np.random.default_rng(seed)
    return (g.normal(size=(d, m)), g.normal(size=(k, d)), g.normal(size=(n_data, m)),
            g.normal(size=(n_data, k)))


@given(nets)
def test_corrected_property_5_1_is_exact(args):
    d, m, k, n_data, p, seed = args
    W1, W2, X, Y = _net(d, m, k, n_data, seed)
    exact = sim.exact_dropact_loss(W1, W2, X, Y, p).mean
    assert exact == pytest.approx(th.property_5_1_rhs_corrected(W1, W2, X, Y, p), rel=1e-10, abs=1e-10)


@given(nets)
def test_printed_property_5_1_holds_when_w2_columns_orthogonal(args):
    """The printed penalty is right exactly when W2ᵀW2 is diagonal (here W2 has orthogonal
    columns), which is why it survives a one-unit sanity check."""
    d, m, k, n_data, p, seed = args
    W1, _, X, Y = _net(d, m, d, n_data, seed)
    q, _ = np.linalg.qr(np.random.default_rng(seed + 1).normal(size=(d, d)))
    W2 = q * np.random.default_rng(seed + 2).uniform(0.5, 2, size=d)
    exact = sim.exact_dropact_loss(W1, W2, X, Y, p).mean
    assert exact == pytest.approx(th.property_5_1_rhs(W1, W2, X, Y, p), rel=1e-9, abs=1e-9)


@given(st.floats(0.001, 1.0))
def test_shift_ratio_bounds_and_endpoint(p):
    r = th.shift_ratio(p)
    assert 0.8 <= r <= 1.0 + 1e-15
    assert th.shift_ratio(p) == pytest.approx(th.var_x_test(np.ones(3), p) / th.var_x_train(np.ones(3), p))


@given(st.integers(1, 12), st.floats(0.01, 1.0), st.sampled_from(["relu", "sigmoid", "tanh"]),
       st.integers(0, 2**32 - 1))
def test_expected_map_enumeration(d, p, act, seed):
    x = np.random.default_rng(seed).normal(size=d) * 3
    f = {"relu": th.relu, "sigmoid": th.ACTIVATIONS["sigmoid"], "tanh": np.tanh}[act]
    np.testing.assert_allclose(sim.expected_map_by_enumeration(x, p, act), th.expected_map(x, p, f),
                               rtol=1e-12, atol=1e-12)


# --- kernels against plain numpy --------------------------------------------------------------

def test_x_moments_kernel_bit_for_bit_against_python_loop():
    """The Numba kernel draws in the same order as a Python loop on the same stream."""
    from dropmc.simulations._core import chunk_states
    from dropmc.simulations.drop_activation import _x_moments_kernel

    w = np.linspace(-1, 1, 5)
    k = _x_moments_kernel(chunk_states(9, 1)[0], 300, w, 0.8)
    ref = sim.x_moments_loop(w, 0.8, 300, chunk_states(9, 1)[0])
    np.testing.assert_allclose(k, ref, rtol=1e-12)


def test_x_moments_agree_with_numpy_reference():
    w = np.random.default_rng(1).normal(size=32)
    est = sim.estimate_x_moments(w, 0.7, n=400_000, rng=1)
    ref = sim.x_moments_numpy(w, 0.7, 400_000, rng=2)
    for key in ("mean_train", "mean_test", "var_train", "var_test", "shift_ratio"):
        # two independent estimates: difference has SE ≈ √2 · SE
        assert abs(est[key].mean - ref[key]) < 4.5 * math.sqrt(2) * est[key].se, key


def test_dropact_loss_agrees_with_numpy_and_enumeration():
    g = np.random.default_rng(4)
    W1, W2, X, Y = g.normal(size=(6, 3)), g.normal(size=(2, 6)), g.normal(size=(3, 3)), g.normal(size=(3, 2))
    est = sim.estimate_dropact_loss(W1, W2, X, Y, 0.6, n=40_000, rng=5)
    ex = sim.exact_dropact_loss(W1, W2, X, Y, 0.6).mean
    ref = sim.dropact_loss_numpy(W1, W2, X, Y, 0.6, 40_000, rng=6)
    assert abs(est.mean - ex) < 4.5 * est.se
    assert abs(ref - ex) < 4.5 * est.se * 1.2


def test_expected_map_kernel_matches_python_loop():
    from dropmc.simulations._core import chunk_states
    from dropmc.simulations._xoshiro import next_double
    from dropmc.simulations.drop_activation import _training_map_kernel

    counts = _training_map_kernel(chunk_states(3, 1)[0], 200, 3, 0.4)
    st = chunk_states(3, 1)[0]
    ref = np.zeros(3, dtype=np.int64)
    for j in range(3):          # coordinate-major, as the kernel draws
        for _ in range(200):
            ref[j] += next_double(st) < 0.4
    np.testing.assert_array_equal(counts, ref)


def test_expected_map_statistics_match_plain_samples():
    """Mean and SE from keep counts equal those of the explicit samples."""
    g = np.random.default_rng(5)
    x = np.array([-1.0, 0.3, -2.0])
    fx = np.tanh(x)
    P = g.random((1000, 3)) < 0.6
    v = np.where(P, fx, x)
    k, n = P.sum(axis=0), 1000
    mean = x + k / n * (fx - x)
    se = np.sqrt(k * (n - k) / (n * (n - 1.0)) * (fx - x) ** 2 / n)
    np.testing.assert_allclose(mean, v.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(se, v.std(axis=0, ddof=1) / np.sqrt(n), rtol=1e-10)


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.7, 0.95, 1.0])
def test_dropact_loss_kernel_both_branches_agree_with_enumeration(p):
    g = np.random.default_rng(8)
    W1, W2, X, Y = g.normal(size=(7, 3)), g.normal(size=(3, 7)), g.normal(size=(2, 3)), g.normal(size=(2, 3))
    est = sim.estimate_dropact_loss(W1, W2, X, Y, p, n=40_000, rng=9)
    exact = sim.exact_dropact_loss(W1, W2, X, Y, p).mean
    # p = 1 is deterministic (SE 0): then only rounding separates the two
    assert abs(est.mean - exact) <= max(4.5 * est.se, 1e-10 * abs(exact))


def test_rrelu_estimator_mean():
    x = np.array([-3.0, -1.0, 2.0])
    mean, se = sim.estimate_rrelu_mean(x, 0.125, 1 / 3, n=50_000, rng=3)
    assert se[2] == 0 and mean[2] == 2.0
    assert np.all(np.abs(mean[:2] - th.rrelu_mean(x, 0.125, 1 / 3)[:2]) < 4.5 * se[:2])


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.0, -0.1, 1.5, float("nan"), float("inf")])
def test_bad_p_is_rejected(p):
    with pytest.raises(ValueError, match=r"p must lie in \(0, 1\]"):
        sim.estimate_x_moments(np.ones(3), p, n=1000, rng=1)
    with pytest.raises(ValueError, match="p must lie"):
        th.shift_ratio(p)


def test_bad_shapes_and_values_are_rejected():
    g = np.random.default_rng(0)
    W1, W2, X, Y = g.normal(size=(4, 2)), g.normal(size=(3, 4)), g.normal(size=(5, 2)), g.normal(size=(5, 3))
    with pytest.raises(ValueError, match="W2 must have 4 columns"):
        sim.estimate_dropact_loss(W1, W2[:, :3], X, Y, 0.5, n=100)
    with pytest.raises(ValueError, match="X must have shape"):
        sim.exact_dropact_loss(W1, W2, X[:, :1], Y, 0.5)
    with pytest.raises(ValueError, match="Y must have shape"):
        th.property_5_1_rhs(W1, W2, X, Y[:4], 0.5)
    bad = W1.copy()
    bad[1, 1] = np.nan
    with pytest.raises(ValueError, match="W1 must be finite"):
        sim.estimate_dropact_loss(bad, W2, X, Y, 0.5, n=100)
    with pytest.raises(ValueError, match="n must be >= 2"):
        sim.estimate_dropact_loss(W1, W2, X, Y, 0.5, n=1)
    with pytest.raises(TypeError, match="n must be an integer"):
        sim.estimate_x_moments(np.ones(3), 0.5, n=1000.5)
    with pytest.raises(ValueError, match="activation must be one of"):
        sim.estimate_expected_map(np.ones(3), 0.5, "gelu")
    with pytest.raises(ValueError, match="0 < a < b < 1"):
        th.rrelu_mean(np.ones(2), 0.5, 0.2)
    with pytest.raises(ValueError, match="at most 30 random units"):
        sim.exact_dropact_loss(g.normal(size=(40, 2)), g.normal(size=(1, 40)), g.normal(size=(1, 2)),
                               np.zeros((1, 1)), 0.5)
