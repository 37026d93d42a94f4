"""Unit tests of the paper-agnostic core: estimates, statistics, judging, registry, runner."""

import math
import re

import numpy as np
import pytest

from dropmc import PAPER_KEYS, judge
from dropmc.claims import (CaseResult, Claim, Context, Kind, Verdict, aggregate,
                           claim_seed_sequence)
from dropmc.estimate import (Estimate, batch_means, binomial_estimate, combine_welford,
                             delta_method, function_estimate, mean_estimate)
from dropmc.registry import Catalog, all_claims, get
from dropmc.runner import evaluate, run


def test_estimate_z_and_methods():
    e = Estimate(1.0, 0.5, 10, "monte_carlo")
    assert e.z(0.0) == pytest.approx(2.0)
    assert Estimate(1.0, 0.0, 1, "enumeration").z(1.0) == 0.0
    assert math.isinf(Estimate(1.0, 0.0, 1, "enumeration").z(0.0))
    with pytest.raises(ValueError, match="method"):
        Estimate(1.0, 0.1, 1, "guess")


def test_mean_estimate_matches_numpy(rng):
    x = rng.normal(size=1000)
    e = mean_estimate(x)
    assert e.mean == pytest.approx(x.mean())
    assert e.se == pytest.approx(x.std(ddof=1) / math.sqrt(1000))
    with pytest.raises(ValueError, match="at least 2"):
        mean_estimate([1.0])


def test_batch_means_and_delta_method_calibrated():
    """The delta-method SE of a ratio of means matches the spread over replications."""
    g = np.random.default_rng(7)
    vals, ses = [], []
    for _ in range(300):
        a = g.normal(2.0, 1.0, size=(40, 50)).mean(axis=1)
        b = g.normal(4.0, 1.0, size=(40, 50)).mean(axis=1)
        e = function_estimate(lambda m: m[0] / m[1], np.c_[a, b], 2000)
        vals.append(e.mean)
        ses.append(e.se)
    assert np.std(vals) == pytest.approx(np.mean(ses), rel=0.15)


def test_batch_means_needs_two_batches():
    with pytest.raises(ValueError, match="at least 2 batches"):
        batch_means(np.ones((1, 3)))


def test_delta_method_numeric_gradient_matches_analytic():
    m = np.array([2.0, 3.0])
    cov = np.array([[0.1, 0.02], [0.02, 0.2]])
    f = lambda x: x[0] * x[1]
    v1, s1 = delta_method(f, m, cov)
    v2, s2 = delta_method(f, m, cov, grad=lambda x: np.array([x[1], x[0]]))
    assert v1 == v2 and s1 == pytest.approx(s2, rel=1e-6)


def test_binomial_estimate_edges():
    e = binomial_estimate(0, 100)
    assert e.mean == 0 and e.se > 0
    e = binomial_estimate(30, 100)
    assert e.se == pytest.approx(math.sqrt(0.3 * 0.7 / 100))
    with pytest.raises(ValueError, match="trials"):
        binomial_estimate(0, 0)


def test_combine_welford_matches_numpy(rng):
    x = rng.normal(size=1000)
    parts = [(len(c), c.mean(), ((c - c.mean()) ** 2).sum()) for c in np.array_split(x, 7)]
    n, m, m2 = combine_welford(parts)
    assert n == 1000 and m == pytest.approx(x.mean()) and m2 / (n - 1) == pytest.approx(x.var(ddof=1))


def _ctx():
    return Context("drop_activation.test", 1, "quick")


def test_identity_judging():
    ctx = _ctx()
    assert judge.identity({}, 1.0, Estimate(1.0 + 1e-12, 0.0, 1, "enumeration"), ctx=ctx).verdict is Verdict.CONFIRMED
    assert judge.identity({}, 1.0, Estimate(1.001, 0.0, 1, "enumeration"), ctx=ctx).verdict is Verdict.REFUTED
    assert judge.identity({}, 1.0, Estimate(1.1, 0.1, 100, "monte_carlo"), ctx=ctx).verdict is Verdict.CONFIRMED
    r = judge.identity({}, 1.0, Estimate(1.5, 0.1, 100, "monte_carlo"), ctx=ctx)
    assert r.verdict is Verdict.REFUTED and r.z == pytest.approx(5.0)
    r = judge.identity({}, 1.0, Estimate(1.1, 0.1, 100, "monte_carlo"), ctx=ctx,
                       target_resolution=0.01)
    assert r.verdict is Verdict.INCONCLUSIVE and "samples would decide" in r.detail


def test_one_sided_bounds():
    ctx = _ctx()
    assert judge.upper_bound({}, 1.0, Estimate(1.3, 0.1, 10, "monte_carlo"), ctx=ctx).verdict is Verdict.CONFIRMED
    assert judge.upper_bound({}, 1.0, Estimate(1.5, 0.1, 10, "monte_carlo"), ctx=ctx).verdict is Verdict.REFUTED
    assert judge.lower_bound({}, 1.0, Estimate(0.5, 0.1, 10, "monte_carlo"), ctx=ctx).verdict is Verdict.REFUTED


def test_printed_value_digits():
    assert judge.printed_value({}, 0.93772, "0.9377").verdict is Verdict.CONFIRMED
    assert judge.printed_value({}, 0.93790, "0.9377").verdict is Verdict.REFUTED


def test_counterexample_search_finds_and_shrinks():
    from hypothesis import strategies as st

    ce, n = judge.counterexample_search(lambda x: x < 10, st.integers(0, 1000), ctx=_ctx())
    assert ce == 10
    ce, n = judge.counterexample_search(lambda x: x >= 0, st.integers(0, 1000), ctx=_ctx())
    assert ce is None and n > 0


def test_identity_many_combines_coordinates():
    ctx = _ctx()
    t = np.zeros(50)
    g = np.random.default_rng(3)
    ok = judge.identity_many({}, t, g.normal(size=50) * 0.1, se=np.full(50, 0.1), n=100, ctx=ctx,
                             method="monte_carlo")
    assert ok.verdict is Verdict.CONFIRMED
    bad = judge.identity_many({}, t, np.full(50, 0.2), se=np.full(50, 0.1), n=100, ctx=ctx,
                              method="monte_carlo")
    assert bad.verdict is Verdict.REFUTED  # every coordinate 2 SE off: χ² = 200 on 50
    one = np.zeros(50)
    one[7] = 0.7
    wild = judge.identity_many({}, t, one, se=np.full(50, 0.1), n=100, ctx=ctx,
                               method="monte_carlo")
    assert wild.verdict is Verdict.REFUTED and "worst coordinate z = 7.00" in wild.detail


def test_loglog_slope():
    x = np.array([1e-3, 1e-2, 1e-1, 1.0])
    s, se = judge.loglog_slope(x, 3 * x ** 2)
    assert s == pytest.approx(2.0) and se < 1e-8


def test_aggregate_rules():
    c = lambda v: CaseResult({}, v)
    assert aggregate(Kind.IDENTITY, []) is Verdict.INCONCLUSIVE
    assert aggregate(Kind.IDENTITY, [c(Verdict.CONFIRMED), c(Verdict.REFUTED)]) is Verdict.REFUTED
    assert aggregate(Kind.IDENTITY, [c(Verdict.CONFIRMED), c(Verdict.INCONCLUSIVE)]) is Verdict.INCONCLUSIVE
    assert aggregate(Kind.APPROXIMATION, [c(Verdict.APPROXIMATE)]) is Verdict.APPROXIMATE


def test_context_streams_are_deterministic_and_distinct():
    a, b = Context("x.y", 5), Context("x.y", 5)
    assert a.rng().random() == b.rng().random()
    assert a.rng().random() != a.rng().random()
    assert Context("x.y", 5).rng().random() != Context("x.z", 5).rng().random()
    assert claim_seed_sequence(5, "x.y").spawn_key == claim_seed_sequence(5, "x.y").spawn_key


def test_budget_scales_with_precision():
    assert Context("a.b", 1, "standard").budget(1600) == 1600
    assert Context("a.b", 1, "quick").budget(1600, minimum=10) == 100
    assert Context("a.b", 1, "high").budget(1600) == 12800


def test_catalog_rejects_bad_ids():
    cat = Catalog("drop_activation")

    @cat.claim("x", label="Eq. 1", kind=Kind.IDENTITY, statement="s")
    def f(ctx):
        return []

    with pytest.raises(ValueError, match="duplicate"):
        cat.claim("x", label="Eq. 1", kind=Kind.IDENTITY, statement="s")(f)
    with pytest.raises(ValueError, match="unknown paper key"):
        Catalog("Nope!")
    with pytest.raises(ValueError, match="cannot be as_printed"):
        Claim("drop_activation.y", "drop_activation", "l", "s", Kind.IDENTITY, f,
              as_printed=True, corrects="drop_activation.x")


def test_registry_lookup_errors():
    with pytest.raises(ValueError, match="unknown claim id"):
        get("drop_activation.no_such_claim")
    with pytest.raises(ValueError, match="paper key"):
        get("nopaper.x")


def test_every_claim_is_documented_and_well_formed():
    ids = set()
    # the built-in catalogs (user catalogs other tests load are theirs to check)
    for c in (c for c in all_claims() if c.paper in PAPER_KEYS):
        assert c.id not in ids
        ids.add(c.id)
        assert c.label and c.statement and c.doc, c.id
        # the label locates the statement in the paper
        assert re.search(r"Eq\.|Property|Theorem|Section|Sec\. \d|Appendix|Lemma|Figure|Figs?\. \d"
                         r"|Definition|Table", c.label), (c.id, c.label)
        if c.corrects:
            assert not c.as_printed and c.corrects in {x.id for x in all_claims()}


def test_runner_catches_errors_and_records_them():
    def boom(ctx):
        raise RuntimeError("kaboom")

    c = Claim("drop_activation.boom", "drop_activation", "Eq. 0", "s", Kind.IDENTITY, boom)
    r = evaluate(c, seed=1, precision="quick")
    assert r.verdict is Verdict.ERROR and "kaboom" in r.error
    with pytest.raises(RuntimeError):
        evaluate(c, seed=1, precision="quick", catch=False)
    with pytest.raises(ValueError, match="precision"):
        evaluate(c, seed=1, precision="ultra")
    out = run([c], seed=3, precision="quick", progress=False)
    d = out.to_dict()
    assert d["seed"] == 3 and d["claims"][0]["verdict"] == "ERROR"
