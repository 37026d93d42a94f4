"""Tests of the implicit_regularization paper: every claim at quick precision, kernels against
plain-numpy references, property tests, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropmc.claims import Verdict
from dropmc.registry import catalog
from dropmc.runner import evaluate
from dropmc.simulations import enumeration
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

KEY = "implicit_regularization"

EXPECTED = {
    "sec3_3.eta_moments": Verdict.CONFIRMED,
    "sec3_3.eta_is_dropout": Verdict.CONFIRMED,
    "lemma1.exact": Verdict.CONFIRMED,
    "lemma1.monte_carlo": Verdict.CONFIRMED,
    "lemma1.gradient": Verdict.CONFIRMED,
    "lemma1.outside_setting1": Verdict.CONFIRMED,
    "eq5.first_order_r1": Verdict.APPROXIMATE,
    "eq5.r2_printed": Verdict.REFUTED,
    "eq5.r2_corrected": Verdict.APPROXIMATE,
    "sec5_1.dropout_vs_r1_training": Verdict.APPROXIMATE,
    "sec6_2.two_neuron_toy": Verdict.CONFIRMED,
    "thm1.perturbations": Verdict.CONFIRMED,
    "thm1.closed_interval": Verdict.REFUTED,
    "thm1.closed_interval_corrected": Verdict.CONFIRMED,
    "thm1.statement_last_interval": Verdict.REFUTED,
    "sec7_2.trace_hessian": Verdict.CONFIRMED,
    "thm2.flatness_formula": Verdict.CONFIRMED,
    "thm2.flatness_decreases": Verdict.CONFIRMED,
    "thm2.proof_flow": Verdict.REFUTED,
    "thm2.proof_flow_corrected": Verdict.CONFIRMED,
}


def _net(rng, L=3, m=5, act="tanh", dout=2, n=4, d=3):
    widths = [d] + [4] * (L - 2) + [m, dout]
    Ws = [rng.normal(size=(widths[l + 1], widths[l])) for l in range(L)]
    bs = [rng.normal(size=widths[l + 1]) for l in range(L)]
    X = rng.normal(size=(n, d))
    Y = rng.normal(size=(n, dout))
    return Ws, bs, X, Y


# ------------------------------------------------------------------------------------------
# claims
# ------------------------------------------------------------------------------------------

def test_catalog_is_complete():
    ids = {c.id for c in catalog(KEY).claims}
    assert ids == {f"{KEY}.{k}" for k in EXPECTED}


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_claim_verdict_quick(slug):
    claim = next(c for c in catalog(KEY).claims if c.id == f"{KEY}.{slug}")
    res = evaluate(claim, seed=20240611, precision="quick", catch=False)
    assert res.verdict is EXPECTED[slug], res.summary
    assert res.cases
    if res.verdict is Verdict.REFUTED:
        assert any(c.verdict is Verdict.REFUTED and c.detail for c in res.cases)


def test_corrections_point_at_printed_claims():
    claims = {c.id: c for c in catalog(KEY).claims}
    for c in claims.values():
        if c.corrects:
            assert c.corrects in claims and claims[c.corrects].as_printed
            assert claims[c.corrects].kind == c.kind


# ------------------------------------------------------------------------------------------
# kernels against plain numpy
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.3, 0.9, 1.0])
def test_eta_sampler_matches_numpy(p):
    out = sim.sample_eta(p, (50, 7), rng=11)
    g = np.random.Generator(np.random.PCG64(np.random.SeedSequence(11)))
    ref = np.where(g.random((50, 7)) < p, (1 - p) / p, -1.0)
    np.testing.assert_array_equal(out, ref)


def test_eta_moments_kernel_matches_numpy():
    p, m, n = 0.35, 5, 4096
    g1 = np.random.Generator(np.random.PCG64(7))
    s1, s2, sx, s3 = sim._eta_moments_kernel(g1, n, m, p)
    g2 = np.random.Generator(np.random.PCG64(7))
    e = np.where(g2.random((n, m)) < p, (1 - p) / p, -1.0)
    assert s1 == pytest.approx(e.mean(), rel=1e-12, abs=1e-14)
    assert s2 == pytest.approx((e ** 2).mean(), rel=1e-12)
    assert s3 == pytest.approx((e ** 3).mean(), rel=1e-12)
    assert sx == pytest.approx((e[:, :-1] * e[:, 1:]).mean(), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("act", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("p", [0.625, 40961 / 65536, 1.0])
def test_dropout_risk_kernel_matches_numpy_replica(act, p):
    """p·2^16 integer: no tie-breaking draws, so the numpy replica of the digit scheme sees
    exactly the kernel's random numbers."""
    rng = np.random.default_rng(3)
    Ws, bs, X, Y = _net(rng, act=act, m=9)
    a = sim.estimate_dropout_risk(Ws, bs, X, Y, p, act, n=5000, rng=5, chunk_size=512)
    b = sim.dropout_risk_numpy_digits(Ws, bs, X, Y, p, act, n=5000, rng=5, chunk_size=512)
    assert a.mean == pytest.approx(b.mean, rel=1e-10)
    assert a.se == pytest.approx(b.se, rel=1e-6)


@pytest.mark.parametrize("p", [0.3, 0.77])
def test_dropout_risk_kernel_agrees_with_plain_numpy(p):
    """Arbitrary p (ties resolved by an extra uniform): the kernel and the plain numpy
    estimator (one uniform per unit) agree statistically, and both with Lemma 1."""
    rng = np.random.default_rng(6)
    Ws, bs, X, Y = _net(rng, act="tanh", m=12)
    a = sim.estimate_dropout_risk(Ws, bs, X, Y, p, n=200_000, rng=1)
    b = sim.dropout_risk_numpy(Ws, bs, X, Y, p, n=200_000, rng=2)
    assert abs(a.mean - b.mean) <= 4.5 * math.hypot(a.se, b.se)
    rhs = th.lemma1_rhs(Ws, bs, X, Y, p)
    assert abs(a.mean - rhs) <= 4.5 * a.se


def test_digit_bernoulli_law_is_exact():
    """The digit split reproduces p exactly: P1/2^16 + frac/2^16 == p."""
    for p in (0.1, 0.5, 0.9, 1 / 3, 1.0, 1e-7):
        P1, frac = sim._digit_split(p)
        assert 0 <= frac < 1 and (P1 + frac) / 65536.0 == p


def test_dropout_risk_is_thread_independent(monkeypatch):
    rng = np.random.default_rng(4)
    Ws, bs, X, Y = _net(rng, m=20)
    monkeypatch.setenv("DROPMC_THREADS", "1")
    a = sim.estimate_dropout_risk(Ws, bs, X, Y, 0.7, n=20_000, rng=9)
    monkeypatch.setenv("DROPMC_THREADS", "2")
    b = sim.estimate_dropout_risk(Ws, bs, X, Y, 0.7, n=20_000, rng=9)
    assert a.mean == b.mean and a.se == b.se


@pytest.mark.parametrize("L,act", [(2, "tanh"), (3, "relu"), (4, "sigmoid")])
def test_exact_risk_matches_materialised_numpy(L, act):
    rng = np.random.default_rng(L)
    Ws, bs, X, Y = _net(rng, L=L, act=act, m=7)
    p = 0.45
    masks, w = enumeration.enumerate_masks(7, p)
    vals = [th.empirical_risk(Ws, bs, X, Y, act, {L - 1: mk / p}) for mk in masks]
    ref = float(w @ np.array(vals))
    assert sim.exact_dropout_risk(Ws, bs, X, Y, p, act).mean == pytest.approx(ref, rel=1e-11)
    gen = sim.enumerate_dropout_risk_general(Ws, bs, X, Y, {L - 1: p}, act)
    assert gen.mean == pytest.approx(ref, rel=1e-11)


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "linear"])
def test_hand_gradients_match_complex_step(act):
    rng = np.random.default_rng(8)
    Ws, bs, X, Y = _net(rng, L=3, act=act)
    theta, shapes = th.flatten(Ws, bs), th.shapes_of(Ws)
    for kw in ({}, {"p": 0.7}, {"scale": rng.uniform(0, 2, Ws[-1].shape[1])}):
        g = th.risk_gradient(theta, shapes, X, Y, act, **kw)
        cs = sim.complex_step_gradient(lambda t: th.loss_value(t, shapes, X, Y, act, **kw), theta)
        np.testing.assert_allclose(g, cs, rtol=1e-10, atol=1e-12)


def test_relu2_gradient_matches_complex_step():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(5, 3))
    Y = rng.normal(size=5)
    theta = rng.normal(size=4 + 12)
    for p in (None, 0.6):
        g = sim.relu2_grad(theta, X, Y, 4, p)
        cs = sim.complex_step_gradient(lambda t: sim.relu2_loss(t, X, Y, 4, p), theta)
        np.testing.assert_allclose(g, cs, rtol=1e-10, atol=1e-12)


def test_mean_iterate_one_step_is_gd_on_lemma1_loss():
    rng = np.random.default_rng(10)
    shapes = [(3, 2), (1, 3)]
    X, Y = rng.normal(size=(3, 2)), rng.normal(size=(3, 1))
    net = sim.TinyNet(shapes, X, Y, 0.4)
    theta = rng.normal(size=3 * 2 + 3 + 3 + 1)
    np.testing.assert_allclose(sim.mean_iterate(net, theta, 0.05, 1),
                               theta - 0.05 * net.grad_L(theta), rtol=1e-12, atol=1e-14)


def test_mean_iterate_two_steps_matches_monte_carlo():
    rng = np.random.default_rng(12)
    shapes = [(2, 1), (1, 2)]
    X, Y = rng.normal(size=(2, 1)), rng.normal(size=(2, 1))
    net = sim.TinyNet(shapes, X, Y, 0.5)
    theta = rng.normal(size=7)
    exact = sim.mean_iterate(net, theta, 0.1, 2)
    g = np.random.default_rng(0)
    draws = []
    for _ in range(4000):
        t = theta.copy()
        for _ in range(2):
            t = t - 0.1 * net.grad_drop(t, (g.random(2) < 0.5) / 0.5)
        draws.append(t)
    draws = np.array(draws)
    z = (draws.mean(0) - exact) / (draws.std(0, ddof=1) / math.sqrt(len(draws)) + 1e-300)
    assert np.all(np.abs(z) < 4.5)


def test_flow_integrator_matches_closed_form_linear_flow():
    A = np.diag([1.0, 2.0])
    out = sim.integrate_flow(lambda t, x: -A @ x, np.array([1.0, 1.0]), 0.7)
    np.testing.assert_allclose(out, np.exp(-np.diag(A) * 0.7), rtol=1e-11)


def test_hvp_matches_finite_difference():
    rng = np.random.default_rng(13)
    Ws, bs, X, Y = _net(rng, L=2, dout=1)
    theta, shapes = th.flatten(Ws, bs), th.shapes_of(Ws)
    gf = (lambda t: th.risk_gradient(t, shapes, X, Y, "tanh", p=0.5))
    v = rng.normal(size=theta.size)
    h = 1e-6
    fd = (gf(theta + h * v) - gf(theta - h * v)) / (2 * h)
    np.testing.assert_allclose(sim.hvp(gf, theta, v), fd, rtol=1e-6, atol=1e-8)


def test_effective_ratio_clusters():
    rng = np.random.default_rng(1)
    centres = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]])
    T = np.repeat(centres, 10, axis=0) + 0.01 * rng.normal(size=(30, 3))
    assert th.effective_ratio(T) == pytest.approx(3 / 30)
    assert th.effective_ratio(rng.normal(size=(5, 40))) == 1.0


# ------------------------------------------------------------------------------------------
# property tests
# ------------------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), p=st.floats(0.05, 1.0), L=st.integers(2, 4),
       act=st.sampled_from(["tanh", "relu", "sigmoid"]), m=st.integers(1, 8))
def test_lemma1_property(seed, p, L, act, m):
    rng = np.random.default_rng(seed)
    Ws, bs, X, Y = _net(rng, L=L, act=act, m=m, dout=int(rng.integers(1, 4)))
    ex = sim.exact_dropout_risk(Ws, bs, X, Y, p, act).mean
    assert ex == pytest.approx(th.lemma1_rhs(Ws, bs, X, Y, p, act), rel=1e-10)


@settings(max_examples=30, deadline=None)
@given(p=st.floats(1e-3, 1.0))
def test_eta_law_property(p):
    hi, lo = th.eta_values(p)
    assert p * hi + (1 - p) * lo == pytest.approx(0.0, abs=1e-12)
    assert p * hi ** 2 + (1 - p) * lo ** 2 == pytest.approx(th.eta_second_moment(p), rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), p=st.floats(0.05, 0.99))
def test_theorem2_sign_property(seed, p):
    rng = np.random.default_rng(seed)
    a, W, X = rng.normal(size=3), rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    assert th.flatness_derivative_r1_flow(a, W, X, p) <= 0.0


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), f1=st.floats(0.01, 0.99), f2=st.floats(0.01, 0.99),
       case=st.sampled_from(["convexity1", "convexity2", "convexity3", "convexity4",
                             "intercept_pos", "intercept_neg_eq", "intercept_neg_gt",
                             "intercept_neg_lt"]))
def test_theorem1_perturbation_property(seed, f1, f2, case):
    from dropmc.papers import implicit_regularization as cat

    xs, pert, pair, extra = cat._t1_random(np.random.default_rng(seed), case, f1=f1, f2=f2)
    ok, info = cat._theorem1_check(xs, pert, pair, extra, 0.7)
    assert ok, info


def test_trace_identity_fails_away_from_zero_loss_for_tanh():
    """The zero-loss condition of Section 7.2 matters for smooth activations."""
    rng = np.random.default_rng(2)
    Ws, bs, X, Y = _net(rng, L=2, dout=1)
    shapes, theta = th.shapes_of(Ws), th.flatten(Ws, bs)
    tr = sim.hessian_trace(lambda t: th.risk_gradient(t, shapes, X, Y, "tanh"), theta)

    def outf(t):
        Wt, bt = th.unflatten(t, shapes)
        return th.forward(Wt, bt, X, "tanh")[-1][:, 0]

    fl = float(np.mean(sim.output_gradient_norms(outf, theta, X.shape[0])))
    assert abs(tr - fl) > 1e-6 * abs(fl)


# ------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.0, -0.1, 1.5, float("nan")])
def test_bad_p(p):
    rng = np.random.default_rng(0)
    Ws, bs, X, Y = _net(rng)
    with pytest.raises(ValueError, match="p must lie in"):
        sim.estimate_dropout_risk(Ws, bs, X, Y, p, n=100)
    with pytest.raises(ValueError, match="p must lie in"):
        th.r1(Ws, bs, X, p)
    with pytest.raises(ValueError, match="p must lie in"):
        sim.sample_eta(p, 3)


def test_bad_shapes():
    rng = np.random.default_rng(0)
    Ws, bs, X, Y = _net(rng)
    with pytest.raises(ValueError, match="X must have shape"):
        sim.exact_dropout_risk(Ws, bs, X[:, :2], Y, 0.5)
    with pytest.raises(ValueError, match="Y must have shape"):
        sim.exact_dropout_risk(Ws, bs, X, Y[:, :1], 0.5)
    with pytest.raises(ValueError, match=r"weights\[1\] must have"):
        sim.exact_dropout_risk([Ws[0], Ws[1][:, :2], Ws[2]], bs, X, Y, 0.5)
    with pytest.raises(ValueError, match=r"biases\[0\] must have shape"):
        sim.exact_dropout_risk(Ws, [bs[0][:2]] + bs[1:], X, Y, 0.5)
    with pytest.raises(ValueError, match="L >= 2"):
        th.check_network(Ws[:1], bs[:1])
    bad = [W.copy() for W in Ws]
    bad[0][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"weights\[0\] must be finite"):
        sim.estimate_dropout_risk(bad, bs, X, Y, 0.5, n=100)


def test_bad_settings_and_sizes():
    rng = np.random.default_rng(0)
    Ws, bs, X, Y = _net(rng, L=3)
    with pytest.raises(ValueError, match="p_layers key must be <= 2"):
        sim.enumerate_dropout_risk_general(Ws, bs, X, Y, {3: 0.5})
    with pytest.raises(ValueError, match="p_layers must be a non-empty dict"):
        sim.enumerate_dropout_risk_general(Ws, bs, X, Y, {})
    with pytest.raises(ValueError, match="activation must be one of"):
        sim.exact_dropout_risk(Ws, bs, X, Y, 0.5, "gelu")
    with pytest.raises(ValueError, match="n must be >= 64"):
        sim.estimate_dropout_risk(Ws, bs, X, Y, 0.5, n=10)
    with pytest.raises(ValueError, match="width of the dropout layer must be <= 6"):
        sim.TinyNet([(8, 1), (1, 8)], X[:, :1], Y[:, :1], 0.5)
    net = sim.TinyNet([(2, 1), (1, 2)], X[:, :1], Y[:, :1], 0.5)
    with pytest.raises(ValueError, match="k must be >= 1"):
        sim.mean_iterate(net, np.zeros(7), 0.1, 0)
    with pytest.raises(ValueError, match="eps must be a finite number"):
        sim.mean_iterate(net, np.zeros(7), -0.1, 1)
    with pytest.raises(ValueError, match="theta must have 7 entries"):
        net.grad_L(np.zeros(5))
    with pytest.raises(ValueError, match="case must be one of"):
        th.theorem1_perturbation("nope", 1, 1, 1, 1, 1, 1, 0.0, 0.1)
    with pytest.raises(TypeError, match="p must be a real number"):
        th.eta_values("0.5")
