"""The evidence discipline of the core (issue 8): every verdict rests on evaluated evidence
that could have failed, and states how small an error it would have caught (its power)."""

import math

import numpy as np
import pytest
from hypothesis import strategies as st

from dropmc import judge
from dropmc.claims import CaseResult, Claim, Context, Kind, Verdict, aggregate
from dropmc.estimate import Estimate, function_estimate
from dropmc.runner import POWER_GRID, evaluate, power


def _claim(fn, kind=Kind.IDENTITY, cid="drop_activation.test.synthetic"):
    return Claim(cid, "drop_activation", "test", "synthetic", kind, fn)


# --- item 1: a search that evaluates nothing is not evidence ----------------------------------

def test_raising_predicate_is_rejected_not_holding():
    ctx = Context("drop_activation.x", 1, "quick")

    def always_raises(x):
        raise ValueError("outside the domain")

    s = judge.counterexample_search(always_raises, st.floats(0, 1), ctx=ctx)
    assert s.counterexample is None and s.evaluated == 0 and s.rejected > 0
    assert "outside the domain" in s.first_rejection
    case = judge.search_case({}, always_raises, st.floats(0, 1), ctx=ctx)
    assert case.verdict is Verdict.INCONCLUSIVE and "too few" in case.detail


def test_partly_rejecting_predicate_counts_evaluated_examples():
    ctx = Context("drop_activation.x", 1, "quick")

    def holds(x):
        if x < 0.2:
            raise ZeroDivisionError
        return x >= 0.2

    case = judge.search_case({}, holds, st.floats(0, 1), ctx=ctx)
    assert case.verdict is Verdict.CONFIRMED
    assert case.params["evaluated"] >= ctx.search_examples // 2
    assert case.params["rejected"] > 0


def test_other_exceptions_propagate_from_a_search():
    ctx = Context("drop_activation.x", 1, "quick")

    def broken(x):
        raise KeyError("bug in the claim")

    with pytest.raises(KeyError):
        judge.counterexample_search(broken, st.floats(0, 1), ctx=ctx)


def test_search_finds_and_unpacks_like_a_tuple():
    ctx = Context("drop_activation.x", 3, "quick")
    ce, n = judge.counterexample_search(lambda x: x < 0.9, st.floats(0, 1), ctx=ctx)
    assert ce >= 0.9 and n >= 1


# --- items 2, 5: roles ------------------------------------------------------------------------

def test_vacuous_probability_bounds_are_counted_apart():
    ctx = Context("drop_activation.x", 1)
    e = Estimate(0.3, 0.01, 1000, "monte_carlo")
    up = judge.upper_bound({}, 1.2, e, ctx=ctx, probability=True)
    lo = judge.lower_bound({}, -0.5, e, ctx=ctx, probability=True)
    assert up.role == lo.role == "vacuous" and up.verdict is Verdict.CONFIRMED
    assert aggregate(Kind.PROBABILITY_BOUND, [up, lo]) is Verdict.INCONCLUSIVE
    real = judge.upper_bound({}, 0.5, e, ctx=ctx, probability=True)
    assert real.role == "evidence"
    assert aggregate(Kind.PROBABILITY_BOUND, [up, real]) is Verdict.CONFIRMED


def test_non_evidence_case_cannot_be_refuted():
    with pytest.raises(ValueError, match="cannot be REFUTED"):
        CaseResult({}, Verdict.REFUTED, role="measurement")
    with pytest.raises(ValueError, match="role"):
        CaseResult({}, Verdict.CONFIRMED, role="decoration")


def test_approximation_needs_a_criterion():
    m = judge.approximation({}, 1.05, 1.0)
    assert m.role == "measurement" and aggregate(Kind.APPROXIMATION, [m]) is Verdict.INCONCLUSIVE
    ok = judge.approximation({}, 1.05, 1.0, max_rel=0.1)
    bad = judge.approximation({}, 1.05, 1.0, max_rel=0.01)
    assert ok.verdict is Verdict.APPROXIMATE and bad.verdict is Verdict.REFUTED


def test_order_judge_accepts_the_right_order_and_refutes_a_wrong_one():
    s = 2.0 ** -np.arange(2, 12)
    exact = np.sin(s)
    assert judge.order({}, s, exact, s=s, claimed=3).verdict is Verdict.APPROXIMATE      # sin s − s = O(s³)
    assert judge.order({}, s * (1 + s), exact, s=s, claimed=3).verdict is Verdict.REFUTED  # error O(s²)
    assert judge.order({}, s, exact, s=s, claimed=2, kind="relative").verdict is Verdict.APPROXIMATE
    assert judge.order({}, 1.1 * s, exact, s=s, claimed=2, kind="relative").verdict is Verdict.REFUTED
    with pytest.raises(ValueError, match="decrease"):
        judge.order({}, s[::-1], exact[::-1], s=s[::-1], claimed=3)


def test_summary_reports_absolute_resolution_near_zero():
    from dropmc.claims import summarize

    ctx = Context("drop_activation.x", 1)
    c = judge.identity({}, 0.006, Estimate(0.0061, 0.0011, 1000, "monte_carlo"), ctx=ctx)
    text = summarize(Verdict.CONFIRMED, [c])
    assert "absolute" in text and "relative" not in text


# --- item 6: Student-t critical values for batch means ----------------------------------------

def test_batch_means_estimates_carry_dof_and_widen_the_threshold():
    g = np.random.default_rng(0)
    est = function_estimate(lambda m: m[0], g.normal(size=(32, 1)), 3200)
    assert est.dof == 31
    ctx = Context("drop_activation.x", 1)
    t_crit = ctx.critical(31)
    assert t_crit > ctx.z_star
    from scipy import stats

    assert stats.t.sf(t_crit, 31) == pytest.approx(stats.norm.sf(ctx.z_star), rel=1e-6)
    # a z of 5 with 31 dof is within the t threshold (≈ 5.9) but beyond z* = 4.5
    e = Estimate(5.0, 1.0, 3200, "monte_carlo", dof=31)
    assert judge.identity({}, 0.0, e, ctx=ctx).verdict is Verdict.CONFIRMED
    e_normal = Estimate(5.0, 1.0, 3200, "monte_carlo")
    assert judge.identity({}, 0.0, e_normal, ctx=ctx).verdict is Verdict.REFUTED


# --- item 7: tolerances relative to the size of the terms -------------------------------------

def test_exact_tolerance_is_relative_below_one():
    ctx = Context("drop_activation.x", 1)
    # 1e-3 vs 1e-3·(1 + 1e-8): a relative error of 1e-8 must refute at 1e-10, even below 1
    e = Estimate(1e-3 * (1 + 1e-8), 0.0, 1, "enumeration")
    assert judge.identity({}, 1e-3, e, ctx=ctx).verdict is Verdict.REFUTED
    assert judge.exact({}, 1e-3, 1e-3 * (1 + 1e-8)).verdict is Verdict.REFUTED
    assert judge.exact({}, 1e-3, 1e-3 * (1 + 1e-12)).verdict is Verdict.CONFIRMED
    # a difference of terms of size 1e4 that should be 0: the scale of the terms decides
    assert judge.exact({}, 0.0, 1e-13, scale=1e4).verdict is Verdict.CONFIRMED
    assert judge.exact({}, 0.0, 1e-13).verdict is Verdict.REFUTED
    assert ctx.close(1e-13, 0.0, scale=1e4) and not ctx.close(1e-13, 0.0)


def test_printed_value_accepts_truncation_not_nonsense():
    assert judge.printed_value({}, 0.58754, "0.587").verdict is Verdict.CONFIRMED   # truncated
    assert judge.printed_value({}, 0.58754, "0.588").verdict is Verdict.CONFIRMED   # rounded
    assert judge.printed_value({}, 0.58754, "0.586").verdict is Verdict.REFUTED
    assert judge.printed_value({}, 0.58754, "0.587", allow_truncation=False).verdict is Verdict.REFUTED


# --- item 4: power ----------------------------------------------------------------------------

def test_power_of_an_exact_identity_is_the_tolerance():
    def ev(ctx):
        return [judge.exact({}, 2.0, 2.0)]

    r = evaluate(_claim(ev), seed=1, precision="quick", with_power=True)
    assert r.verdict is Verdict.CONFIRMED
    assert r.power["status"] == "measured" and r.power["delta"] <= 1e-9
    assert r.power["insensitive_cases"] == 0


def test_power_of_a_monte_carlo_identity_matches_its_resolution():
    def ev(ctx):
        x = ctx.rng().normal(1.0, 1.0, size=10_000)
        return [judge.identity({}, 1.0, Estimate(x.mean(), x.std(ddof=1) / 100, x.size,
                                                 "monte_carlo"),
                                ctx=ctx)]

    r = evaluate(_claim(ev), seed=1, precision="quick", with_power=True)
    # resolution z*·SE ≈ 4.5 %: the smallest refuting δ on the half-decade grid is 0.1 or 0.03
    assert r.power["status"] == "measured"
    assert 0.02 <= r.power["delta"] <= 0.1
    assert r.power["not_refuted"] < r.power["delta"]


def test_decorative_evidence_is_flagged():
    """A verdict set by hand, whatever the theory side, has no power."""
    def decorative(ctx):
        return [CaseResult({}, Verdict.CONFIRMED, theory=1.0,
                           estimate=Estimate(1.0, 0.0, 1, "closed_form"))]

    r = evaluate(_claim(decorative), seed=1, with_power=True)
    assert r.power["status"] == "no theory side"

    def ignores_its_theory(ctx):
        judge.identity({}, 1.0, Estimate(1.0, 0.0, 1, "enumeration"), ctx=ctx)  # computed, unused
        return [CaseResult({}, Verdict.CONFIRMED, detail="set by hand")]

    r = evaluate(_claim(ignores_its_theory), seed=1, with_power=True)
    assert r.power["status"] == "unfalsifiable" and r.power["insensitive_cases"] == 1


def test_power_through_hooks_in_a_search_predicate():
    def ev(ctx):
        return [judge.search_case({}, lambda x: ctx.le(x * x, x), st.floats(0, 1), ctx=ctx)]

    r = evaluate(_claim(ev, Kind.INEQUALITY), seed=1, precision="quick", with_power=True)
    # x² ≤ x is attained with equality at 0 and 1: any tightening is refuted
    assert r.verdict is Verdict.CONFIRMED and r.power["delta"] == POWER_GRID[-1]


def test_power_is_not_measured_for_refuted_claims():
    def ev(ctx):
        return [judge.exact({}, 2.0, 3.0)]

    assert power(_claim(ev), seed=1)["status"] == "n/a"


def test_monte_carlo_without_spread_is_not_exact():
    """All draws equal (a rare outcome never drawn) gives SE 0: undecided, never 'exact'."""
    from dropmc.estimate import mean_estimate

    ctx = Context("drop_activation.x", 1)
    est = mean_estimate([0.0] * 100)
    assert est.se == 0.0 and est.method == "monte_carlo"
    case = judge.identity({}, 1e-4, est, ctx=ctx)
    assert case.verdict is Verdict.INCONCLUSIVE and "rare outcome" in case.detail
    assert judge.upper_bound({}, -1.0, est, ctx=ctx).verdict is Verdict.INCONCLUSIVE
    # draws without spread that agree (a quantity constant under the law) are exact agreement
    assert judge.identity({}, 0.0, est, ctx=ctx).verdict is Verdict.CONFIRMED
    # an exact method with SE 0 is still compared exactly
    assert judge.identity({}, 1e-4, Estimate(0.0, 0.0, 1, "enumeration"), ctx=ctx).verdict is Verdict.REFUTED


def test_rounding_noise_is_not_a_refutation():
    """A statistic constant under the law (e.g. (σ² − s²)² = σ⁴ for a symmetric two-point law
    at n = 2) gives an SE of rounding size; a difference of rounding size is agreement."""
    ctx = Context("drop_activation.x", 1)
    e = Estimate(2.7483996578105687, 3.94e-17, 32768, "monte_carlo", dof=127)
    assert judge.identity({}, 2.7483996578105683, e, ctx=ctx).verdict is Verdict.CONFIRMED
    # a real difference with the same tiny SE is still refuted
    assert judge.identity({}, 2.7483, e, ctx=ctx).verdict is Verdict.REFUTED


def test_details_read_without_numpy_reprs():
    """Refutation details and counterexamples print plain numbers (numpy ≥ 2 reprs such as
    ``np.float64(0.5)`` reached report.md before)."""
    from hypothesis import strategies as st

    from dropmc import judge
    from dropmc.claims import Context

    ctx = Context("drop_activation.x", 1, "quick")
    r = judge.identity_many({}, np.array([0.25, 0.5]), np.array([0.25, 0.75]), se=np.zeros(2), n=1,
                            ctx=ctx, method="enumeration")
    assert r.verdict.name == "REFUTED" and "np." not in r.detail, r.detail
    c = judge.search_case({}, lambda x: x < np.float64(0.5), st.floats(0, 1).map(np.float64),
                          ctx=ctx)
    assert c.verdict.name == "REFUTED" and "np." not in c.detail, c.detail
