"""The false-alarm calibration of the Monte Carlo tests (dropmc.calibration)."""

import math

import numpy as np
import pytest

from dropmc import judge
from dropmc.calibration import Calibration, collect, pvalue
from dropmc.claims import Claim, Kind
from dropmc.estimate import function_estimate


def test_pvalue_uses_the_judges_law():
    assert pvalue(1.959964, None) == pytest.approx(0.05, rel=1e-5)
    assert pvalue(-1.959964, None) == pytest.approx(0.05, rel=1e-5)
    assert pvalue(2.039513, 31) == pytest.approx(0.05, rel=1e-4)   # t with 31 dof


def _batch_mean_claim(law):
    """A true identity E X = mean, decided from 32 batch means of n = 64 draws each."""
    def ev(ctx):
        x = law(ctx.rng(), (32, 64))
        est = function_estimate(lambda m: m[0], x.mean(axis=1)[:, None], x.size)
        return [judge.identity({}, 0.0, est, ctx=ctx, scale=1.0)]

    return Claim("drop_activation.calibration.synthetic", "drop_activation", "test", "synthetic",
                 Kind.IDENTITY, ev)


def test_calibrated_rate_for_a_normal_mean_with_t_thresholds():
    """200 true nulls: the rate of p < 0.05 is consistent with 0.05 (binomial 4σ band)."""
    cal = collect([_batch_mean_claim(lambda g, s: g.normal(size=s))], range(200))
    k, rate, _ = cal.rate(0.05)
    assert cal.n == 200
    assert abs(rate - 0.05) <= 4 * math.sqrt(0.05 * 0.95 / 200)
    assert not cal.refuted_runs


def test_skewed_law_inflates_the_rate_and_the_tool_sees_it():
    """Means of lognormal(σ = 2.5) draws are so skewed at n = 2048 that the test over-rejects:
    the calibration must show a rate well above nominal at α = 1e-3."""
    cal = collect([_batch_mean_claim(
        lambda g, s: g.lognormal(0.0, 2.5, size=s) - math.exp(2.5 ** 2 / 2))], range(300))
    k, rate, _ = cal.rate(1e-2)
    assert rate > 3 * 1e-2


def test_table_and_upper_limit():
    cal = Calibration(pvalues=[0.5] * 99 + [1e-5])
    k, rate, up = cal.rate(1e-3)
    assert k == 1 and rate == pytest.approx(0.01) and 0.01 < up < 0.06
    assert "observed / nominal" in cal.table()
