"""The strict-comparison judges (judge.exceeds, judge.less_than): decided both ways, z toward a
violation, power runs move the bound, and a seeded check of their false-alarm rate."""

import numpy as np
import pytest

from dropmc import judge
from dropmc.claims import Context, Verdict
from dropmc.estimate import Estimate, mean_estimate


def _ctx(delta=0.0):
    return Context("test.compare", 0, "quick", delta=delta)


def _mc(mean, se=0.1):
    return Estimate(mean, se, 100, "monte_carlo")


@pytest.mark.parametrize("mean,verdict", [(1.0, Verdict.CONFIRMED), (0.2, Verdict.INCONCLUSIVE),
                                          (-1.0, Verdict.REFUTED)])
def test_exceeds_is_decided_both_ways_with_z_toward_a_violation(mean, verdict):
    r = judge.exceeds({}, 0.0, _mc(mean), ctx=_ctx(), detail="what")
    assert r.verdict is verdict and r.one_sided
    assert r.z == pytest.approx(-mean / 0.1)
    assert r.resolution == pytest.approx(4.5 * 0.1) and r.detail.endswith("; what")
    assert ("the opposite holds: -1 ± 0.1 ≤ 0" in r.detail) is (verdict is Verdict.REFUTED)
    assert ("not significant" in r.detail) is (verdict is Verdict.INCONCLUSIVE)


@pytest.mark.parametrize("mean,verdict", [(-1.0, Verdict.CONFIRMED), (0.2, Verdict.INCONCLUSIVE),
                                          (1.0, Verdict.REFUTED)])
def test_less_than_mirrors_exceeds(mean, verdict):
    r = judge.less_than({}, 0.0, _mc(mean), ctx=_ctx())
    assert r.verdict is verdict and r.z == pytest.approx(mean / 0.1)


def test_exact_estimates_need_a_strict_difference():
    ctx = _ctx()
    assert judge.exceeds({}, 1.0, Estimate.exact(1.5), ctx=ctx).verdict is Verdict.CONFIRMED
    assert judge.exceeds({}, 1.0, Estimate.exact(1.0 + 1e-14), ctx=ctx).verdict is Verdict.REFUTED
    assert judge.less_than({}, 1.0, Estimate.exact(0.5), ctx=ctx).verdict is Verdict.CONFIRMED
    # Monte Carlo draws without spread on the wrong side decide nothing
    r = judge.exceeds({}, 1.0, Estimate(0.5, 0.0, 10, "monte_carlo"), ctx=ctx)
    assert r.verdict is Verdict.INCONCLUSIVE


def test_power_runs_move_the_bound_toward_a_failure():
    est = _mc(1.0)  # 10 SE above 0
    assert judge.exceeds({}, 0.0, est, ctx=_ctx(0.5), scale=1.0).verdict is Verdict.CONFIRMED
    r = judge.exceeds({}, 0.0, est, ctx=_ctx(1.0), scale=1.0)
    assert r.theory == pytest.approx(1.0) and r.verdict is Verdict.INCONCLUSIVE
    assert judge.exceeds({}, 0.0, est, ctx=_ctx(2.0), scale=1.0).verdict is Verdict.REFUTED
    assert judge.less_than({}, 0.0, _mc(-1.0), ctx=_ctx(2.0), scale=1.0).verdict is Verdict.REFUTED
    ctx = _ctx()
    judge.exceeds({}, 0.0, est, ctx=ctx)
    assert ctx.hooks == 1


def test_no_difference_is_rarely_decided():
    """Seeded: 2,000 paired samples of two equal means (n = 50 each) are decided either way
    at most a handful of times at z* = 4.5 (expected ~0.007 per side)."""
    g = np.random.default_rng(12)
    decided = 0
    for _ in range(2000):
        d = g.normal(0.0, 1.0, 50)
        decided += judge.exceeds({}, 0.0, mean_estimate(d), ctx=_ctx()).verdict \
            is not Verdict.INCONCLUSIVE
    assert decided <= 2
