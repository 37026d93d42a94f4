"""``dropmc.papers._combined.combined_case``: a judge's case combined with the claim's own
comparisons, re-decided from the recorded evidence at each δ of a power run (no re-run of the
claim), reporting the numbers and detail of its unperturbed call."""

import numpy as np

from dropmc import judge
from dropmc.claims import Claim, Kind, Verdict
from dropmc.estimate import Estimate
from dropmc.papers._combined import combined_case
from dropmc.runner import evaluate, power

#: what must agree between power from the evidence and power by re-running the claim
KEYS = ("delta", "not_refuted", "status", "by_evidence", "cases_at_delta_1", "insensitive_cases")


def _claim(fn, kind=Kind.IDENTITY):
    return Claim("drop_activation.test.combined", "drop_activation", "test", "synthetic", kind,
                 fn)


def _both(claim, seed=1):
    auto = power(claim, seed=seed, precision="quick")
    rerun = power(claim, seed=seed, precision="quick", method="rerun")
    assert {k: auto.get(k) for k in KEYS} == {k: rerun.get(k) for k in KEYS}
    return auto


def _identity_and_bound(calls):
    """A claim whose case holds when an exact identity holds (to a relative 0.5, so that only
    δ ≥ 1 refutes it) and 2 ≤ 2.5 (the bound tightened by δ): refuted from δ = 0.2 on (the
    bound 2.5 lowered below 2)."""

    def fn(ctx):
        calls.append(ctx.seed)

        def decide():
            cr = judge.identity({"k": 1}, 1.0, Estimate.exact(1.0, "enumeration"), rtol=0.5,
                                ctx=ctx)
            ok = cr.verdict is Verdict.CONFIRMED and ctx.le(2.0, 2.5)
            cr.detail = f"decided {'yes' if ok else 'no'}"
            return ok, cr

        return [combined_case({"k": 1}, decide)]

    return _claim(fn)


def test_power_comes_from_the_evidence_and_equals_the_rerun():
    calls = []
    c = _identity_and_bound(calls)
    r = evaluate(c, seed=1, precision="quick", with_power=True)
    assert r.verdict is Verdict.CONFIRMED
    assert r.power["method"] == "evidence" and "rerun_reason" not in r.power
    assert calls == [1]  # every δ was re-decided in place
    pw = _both(c)
    assert pw["method"] == "evidence" and pw["delta"] == r.power["delta"]
    assert 0.1 < pw["delta"] <= 0.4  # where the tightened 2.5 falls below 2


def test_the_case_reports_the_unperturbed_numbers_and_detail():
    r = evaluate(_identity_and_bound([]), seed=1, precision="quick")
    (case,) = r.cases
    assert case.params == {"k": 1} and case.detail == "decided yes"
    assert case.theory == 1.0 and case.estimate.mean == 1.0 and case.estimate.method == "enumeration"
    assert case.resolution is not None and case.z is None


def test_undecided_and_approximate_verdicts():
    def fn(ctx):
        def undecided():
            return None, judge.order({}, np.zeros(4), 2.0 ** -np.arange(4),
                                     s=2.0 ** -np.arange(4), claimed=1, ctx=ctx)

        def approximate():
            cr = judge.order({}, np.zeros(4), 4.0 ** -np.arange(4), s=2.0 ** -np.arange(4),
                             claimed=2, ctx=ctx)
            return cr.verdict is not Verdict.REFUTED, cr

        return [combined_case({"k": "undecided"}, undecided),
                combined_case({"k": "order"}, approximate, approximate=True)]

    r = evaluate(_claim(fn, Kind.APPROXIMATION), seed=1, precision="quick")
    assert [c.verdict for c in r.cases] == [Verdict.INCONCLUSIVE, Verdict.APPROXIMATE]
    assert r.cases[1].error["slope"] > 1.5  # the order judge's numbers are reported
