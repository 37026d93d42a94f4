"""Power computed from the recorded evidence (issue 18): the judges record what they compared,
and the runner re-decides each case at a perturbed δ from those numbers, re-running the claim
only where the theory side steers what is computed. The re-run is the reference: both paths
give the same power: here on synthetic claims of every shape and a few built-in ones; on every
built-in claim at quick precision in the slow suite (``tools/power_check.py``)."""

import numpy as np
import pytest
from hypothesis import strategies as st

from dropmc import judge
from dropmc.claims import Claim, Kind, Verdict
from dropmc.estimate import Estimate
from dropmc.registry import all_claims
from dropmc.runner import evaluate, power

#: what must agree between the two paths
KEYS = ("delta", "not_refuted", "status", "by_evidence", "cases_at_delta_1", "insensitive_cases")


def _claim(fn, kind=Kind.IDENTITY, slug="synthetic"):
    return Claim(f"drop_activation.test.{slug}", "drop_activation", "test", "synthetic", kind, fn)


def _both(claim, seed=1):
    auto = power(claim, seed=seed, precision="quick")
    rerun = power(claim, seed=seed, precision="quick", method="rerun")
    assert {k: auto.get(k) for k in KEYS} == {k: rerun.get(k) for k in KEYS}
    assert rerun.get("method", "rerun") == "rerun"
    return auto


def _mc(ctx, rng, mean=0.3, n=4000):
    x = rng.normal(mean, 1.0, n)
    return Estimate(float(x.mean()), float(x.std(ddof=1) / np.sqrt(n)), n, "monte_carlo")


def test_judged_cases_are_redecided_without_sampling_again():
    calls = []

    def fn(ctx, rng):
        calls.append(ctx.seed)
        return [judge.identity({"k": "mc"}, 0.3, _mc(ctx, rng)),
                judge.upper_bound({"k": "bound"}, 0.5, _mc(ctx, rng)),
                judge.exact({"k": "exact"}, 2.0, 2.0 + 1e-13),
                judge.approximation({"k": "approx"}, 1.01, 1.0, max_rel=0.05)]

    c = _claim(fn)
    calls.clear()
    r = evaluate(c, seed=1, precision="quick", with_power=True)
    assert r.verdict is Verdict.APPROXIMATE  # an identity kind with an approximation case
    assert r.power["method"] == "evidence" and "rerun_reason" not in r.power
    assert calls == [1]  # evaluated once: every δ came from the recorded numbers
    assert set(r.power["by_evidence"]) == {"exact", "monte_carlo"}
    _both(c)


def test_hooks_outside_a_judge_make_it_rerun():
    def fn(ctx):
        ok = ctx.close(np.pi, 3.141592653589793)
        return [judge.holds({}, ok)]

    pw = _both(_claim(fn))
    assert pw["method"] == "rerun" and "outside a judge" in pw["rerun_reason"]


def test_a_predicate_passed_to_holds_is_redecided_in_place():
    def fn(ctx, rng):
        q = float(rng.uniform(0.5, 0.9))
        return [judge.holds({"q": q}, lambda: ctx.le(q, 1.0) and ctx.ge(q, 0.1)),
                judge.exact({}, 2.0, 2.0)]

    pw = _both(_claim(fn))
    assert pw["method"] == "evidence" and pw["delta"] is not None


def test_a_predicate_computed_before_holds_makes_it_rerun():  # the built-in claims pass functions
    def fn(ctx, rng):
        q = float(rng.uniform(0.5, 0.9))
        return [judge.holds({"q": q}, ctx.le(q, 1.0))]

    pw = _both(_claim(fn))
    assert pw["method"] == "rerun"


def test_a_claim_that_reads_delta_is_rerun():
    def fn(ctx, rng):
        return [judge.identity({}, 0.3, _mc(ctx, rng, mean=0.3 * (1 + ctx.delta)))]

    pw = _both(_claim(fn))
    assert pw["method"] == "rerun" and pw["status"] == "unfalsifiable"


def test_a_judged_verdict_the_claim_reads_makes_it_rerun():
    def fn(ctx, rng):
        c = judge.identity({}, 0.3, _mc(ctx, rng))
        return [judge.holds({"derived": True}, c.verdict is Verdict.CONFIRMED)]

    pw = _both(_claim(fn))
    assert pw["method"] == "rerun" and "not returned" in pw["rerun_reason"]


def test_a_judged_verdict_the_claim_changes_makes_it_rerun():
    def fn(ctx, rng):
        c = judge.identity({}, 0.3, _mc(ctx, rng))
        c.verdict = Verdict.CONFIRMED
        return [c]

    pw = _both(_claim(fn))
    assert pw["method"] == "rerun" and "changed" in pw["rerun_reason"]


def test_a_search_is_searched_again_at_each_delta():
    def fn(ctx):
        return [judge.search_case({}, lambda x: x * x <= ctx.tighten(1.0, "upper"),
                                  st.floats(0, 1)),
                judge.exact({}, 1.0, 1.0)]

    pw = _both(_claim(fn, kind=Kind.INEQUALITY))
    assert pw["method"] == "evidence"
    assert pw["by_evidence"]["search"]["delta"] is not None


def test_a_complete_search_is_decided_on_its_recorded_examples(monkeypatch):
    """A search that ran to its end without a counterexample is replayed at each δ on the
    examples it evaluated, in order (hypothesis would try the same ones up to the first that
    fails at δ), including a predicate that draws from the claim's streams and one that
    changes its argument; the power equals the re-run's."""
    seen = []

    def fn(ctx):
        def ok(x):
            x["v"] += 0.0 * float(ctx.rng().random())  # draws, and writes to its argument
            seen.append(x["v"])
            return x["v"] ** 2 <= ctx.tighten(1.0, "upper")
        return [judge.search_case({}, ok, st.fixed_dictionaries({"v": st.floats(0, 1)})),
                judge.exact({}, 1.0, 1.0)]

    c = _claim(fn, kind=Kind.INEQUALITY)
    r = evaluate(c, seed=3, precision="quick")
    drawn = list(seen)
    assert r.verdict is Verdict.CONFIRMED and len(drawn) > 50
    import hypothesis

    def no_search(*a, **k):
        raise AssertionError("a complete search was generated again")

    evidence = _evidence(c, seed=3)
    monkeypatch.setattr(hypothesis, "find", no_search)
    seen.clear()
    pw = power(c, seed=3, precision="quick", verdict=r.verdict, hooks=r.hooks,
               evidence=evidence)
    monkeypatch.undo()
    assert pw["method"] == "evidence" and pw["delta"] is not None
    assert seen[0] == drawn[0] and set(seen) <= set(drawn)  # the recorded examples, as drawn
    _both(c, seed=3)


def test_a_search_that_found_a_counterexample_is_searched_again():
    def fn(ctx):
        return [judge.search_case({}, lambda x: x <= ctx.tighten(0.5, "upper"),
                                  st.floats(0, 1), expect_counterexample=True)]

    pw = _both(_claim(fn, kind=Kind.INEQUALITY))
    assert pw.get("method") in (None, "evidence")


def _evidence(claim, seed):
    from dropmc.claims import Context
    from dropmc.runner import Evidence, _evaluate_cases

    ctx = Context(claim.id, seed, "quick")
    return Evidence(ctx, _evaluate_cases(claim, ctx))


def test_a_search_predicate_finding_the_context_itself_sees_the_delta():
    from dropmc.claims import current_context

    def fn(ctx):
        return [judge.search_case({}, lambda x: current_context().le(x * x, 1.0),
                                  st.floats(0, 1))]

    pw = _both(_claim(fn, kind=Kind.INEQUALITY))
    assert pw["method"] == "evidence" and pw["delta"] is not None


def test_what_the_claim_set_on_a_judged_case_is_kept():
    # a case the claim turned into a measurement after the judge stays one at every δ
    def fn(ctx, rng):
        m = judge.identity({"m": 1}, 0.3, _mc(ctx, rng))
        m.role = "measurement"
        return [m, judge.exact({}, 1.0, 1.0)]

    pw = _both(_claim(fn))
    assert pw["method"] == "evidence" and set(pw["by_evidence"]) == {"exact"}


def test_power_method_is_checked():
    with pytest.raises(ValueError, match="method"):
        power(_claim(lambda ctx: [judge.exact({}, 1.0, 1.0)]), seed=1, method="replay")


#: one built-in claim per judge shape, decided both ways here (every claim is compared by
#: ``tools/power_check.py``, run in the slow suite); the two whose re-run power takes longest
#: are slow too (the synthetic claims above have their shapes in the quick suite)
BUILT_IN = [
    "drop_activation.prop5_2.means",                 # Monte Carlo identities
    pytest.param("drop_activation.sec5_2.dropout_shift_ratio",  # identities, strict
                 marks=pytest.mark.slow),                       # comparisons, a search
    "drop_activation.prop5_1.eq10_corrected",        # exact
    pytest.param("variance_constancy.thm1.minimiser_two_point",  # predicates passed to holds,
                 marks=pytest.mark.slow),                        # a search
]


@pytest.mark.parametrize("cid", BUILT_IN)
def test_built_in_claims_agree_both_ways(cid):
    claim = {c.id: c for c in all_claims(cid.split(".")[0])}[cid]
    assert _both(claim, seed=2026)["status"] not in ("n/a", "no theory side")
