"""What kind of error each finding is, and power per kind of evidence (issue: "say what kind of
error each finding is").

The class of a REFUTED printed claim is decided by the evidence on its corrections
(``dropmc.claims.error_class``); the report groups the errata by class and counts each paper's
printed statements apart from corrections, other readings and extensions; a claim's power is
given for its exact and its Monte Carlo cases separately, and a δ of 1 is flagged, not
counted as power.
"""

import json

import numpy as np
import pytest

from dropmc import judge, report
from dropmc.claims import (CaseResult, Claim, Kind, Verdict, classify, error_class,
                           evidence_kind, summarize, tally)
from dropmc.estimate import Estimate
from dropmc.runner import POWER_GRID, Run, evaluate


def _claim(fn, cid="drop_activation.test.synthetic", **kw):
    return Claim(cid, "drop_activation", "test", "synthetic", kw.pop("kind", Kind.IDENTITY), fn,
                 **kw)


def _dict(cid, verdict, *, as_printed=True, corrects=None, fix=None, reading_of=None,
          paper="p"):
    return {"id": cid, "paper": paper, "verdict": verdict, "as_printed": as_printed,
            "corrects": corrects, "fix": fix, "reading_of": reading_of}


# --- the class of a refuted printed claim ------------------------------------------------------

@pytest.mark.parametrize("corrections, expected", [
    ([], "substantive"),
    ([("misprint", "CONFIRMED")], "misprint"),
    ([("misprint", "APPROXIMATE")], "misprint"),       # an approximation whose criterion held
    ([("misprint", "REFUTED")], "substantive"),        # the fix does not hold: no misprint
    ([("scope", "CONFIRMED")], "scope"),
    ([("scope", "INCONCLUSIVE")], "substantive"),
    ([("rewrite", "CONFIRMED")], "substantive"),       # a different statement is no fix
    ([("scope", "CONFIRMED"), ("misprint", "CONFIRMED")], "misprint"),
    ([("misprint", "REFUTED"), ("scope", "CONFIRMED")], "scope"),
])
def test_class_follows_the_evidence_on_the_corrections(corrections, expected):
    assert error_class([{"fix": f, "verdict": v} for f, v in corrections]) == expected


def test_classify_marks_only_refuted_printed_claims_and_tally_counts_by_origin():
    claims = classify([
        _dict("p.a", "REFUTED"), _dict("p.a_fix", "CONFIRMED", as_printed=False,
                                       corrects="p.a", fix="misprint"),
        _dict("p.b", "REFUTED"),
        _dict("p.c", "CONFIRMED"),
        _dict("p.c_other", "REFUTED", as_printed=False, reading_of="p.c"),
        _dict("p.ext", "REFUTED", as_printed=False),
    ])
    assert [c["error_class"] for c in claims] == ["misprint", None, "substantive", None, None,
                                                  None]
    t = tally(claims)["p"]
    assert t["printed"] == {"total": 3, "REFUTED": 2, "CONFIRMED": 1,
                            "refuted_by_class": {"substantive": 1, "scope": 0, "misprint": 1}}
    assert t["correction"] == {"total": 1, "CONFIRMED": 1}
    assert t["reading"] == {"total": 1, "REFUTED": 1}
    assert t["extension"] == {"total": 1, "REFUTED": 1}


def test_the_claim_model_refuses_an_unclassified_correction_and_misplaced_fields():
    def f(ctx):
        return []

    with pytest.raises(ValueError, match="needs fix= one of"):
        _claim(f, cid="drop_activation.x_fix", as_printed=False, corrects="drop_activation.x")
    with pytest.raises(ValueError, match="needs fix= one of"):
        _claim(f, cid="drop_activation.x_fix", as_printed=False, corrects="drop_activation.x",
               fix="typo")
    with pytest.raises(ValueError, match="needs corrects="):
        _claim(f, fix="misprint")
    with pytest.raises(ValueError, match="no_correction is for a printed claim"):
        _claim(f, as_printed=False, no_correction="because")
    with pytest.raises(ValueError, match="another reading"):
        _claim(f, reading_of="drop_activation.x")  # as_printed defaults to True


def test_every_builtin_refuted_printed_claim_says_why_it_has_no_correction():
    """In the known answers (quick precision, the claim tests' seeds), a printed claim that is
    REFUTED has a correction or says in ``no_correction`` why it has none."""
    from pathlib import Path

    from dropmc import PAPER_KEYS, registry

    root = Path(__file__).parent / "data" / "known_answers"
    corrected = {c.corrects for c in registry.all_claims() if c.corrects}
    silent = []
    for paper in PAPER_KEYS:
        known = json.loads((root / f"{paper}.json").read_text())["claims"]
        for c in registry.all_claims(paper):
            rec = known.get(c.id)
            if (rec and rec["verdict"] == "REFUTED" and c.as_printed and c.id not in corrected
                    and not c.no_correction.strip()):
                silent.append(c.id)
    assert not silent, f"refuted printed claims with neither a correction nor a reason: {silent}"


# --- the report -------------------------------------------------------------------------------

def _run():
    def ok(ctx):
        return [judge.exact({}, 2.0, 2.0)]

    def bad(ctx):
        return [judge.exact({}, 2.0, 3.0)]

    claims = [
        _claim(bad, "drop_activation.t.sign"),
        _claim(ok, "drop_activation.t.sign_fixed", as_printed=False,
               corrects="drop_activation.t.sign", fix="misprint"),
        _claim(bad, "drop_activation.t.false", no_correction="nothing narrower is true"),
        _claim(bad, "drop_activation.t.wide"),
        _claim(ok, "drop_activation.t.wide_narrowed", as_printed=False,
               corrects="drop_activation.t.wide", fix="scope"),
    ]
    results = [evaluate(c, seed=1, precision="quick") for c in claims]
    return Run(1, "quick", 4.5, results, 0.0).to_dict()


def test_report_json_carries_the_class_and_the_per_paper_counts():
    d = _run()
    by = {c["id"]: c for c in d["claims"]}
    assert by["drop_activation.t.sign"]["error_class"] == "misprint"
    assert by["drop_activation.t.false"]["error_class"] == "substantive"
    assert by["drop_activation.t.wide"]["error_class"] == "scope"
    assert by["drop_activation.t.sign_fixed"]["fix"] == "misprint"
    assert d["papers"]["drop_activation"]["printed"]["refuted_by_class"] == {
        "substantive": 1, "scope": 1, "misprint": 1}
    json.dumps(d)  # report.json stays plain JSON


def test_errata_are_grouped_substantive_first_with_reasons_and_fixes():
    d = _run()
    assert [e["class"] for e in report.errata(d)] == ["substantive", "scope", "misprint"]
    md = report.to_markdown(d)
    errata = md[md.index("## Errata"):md.index("## Claims in detail")]
    assert errata.index("### Substantive (1)") < errata.index("### Scope (1)") < errata.index(
        "### Misprint (1)")
    assert "No correction registered: nothing narrower is true" in errata
    assert "Correction `drop_activation.t.sign_fixed` (misprint, CONFIRMED)" in errata
    assert "| drop_activation | 3 | 0 | 0 | 3: 1 · 1 · 1 |" in md.replace(
        report.paper_title(d, "drop_activation"), "drop_activation")
    html = report.to_html(d)
    assert "id='errata-substantive'" in html and 'id="printed"' in html


def test_errata_of_an_old_report_json_are_classified_when_read():
    d = _run()
    for c in d["claims"]:
        del c["error_class"]
    assert [e["class"] for e in report.errata(d)] == ["substantive", "scope", "misprint"]


# --- power per kind of evidence ------------------------------------------------------------

def test_power_is_given_per_kind_of_evidence():
    """An exact case refutes a tiny δ; a Monte Carlo case only a large one: the claim's δ (the
    smallest) hides the weak Monte Carlo case, the per-kind δ shows it."""
    def ev(ctx):
        x = ctx.rng().normal(1.0, 1.0, size=400)
        yield judge.exact({"case": "exact"}, 2.0, 2.0)
        yield judge.identity({"case": "mc"}, 1.0, Estimate(x.mean(), x.std(ddof=1) / 20, 400,
                                                           "monte_carlo"))

    r = evaluate(_claim(ev), seed=3, precision="quick", with_power=True)
    pw = r.power
    assert r.verdict is Verdict.CONFIRMED and pw["status"] == "measured"
    kinds = pw["by_evidence"]
    assert set(kinds) == {"exact", "monte_carlo"}
    assert kinds["exact"]["delta"] <= 1e-9 and kinds["monte_carlo"]["delta"] >= 0.1
    assert pw["delta"] == min(k["delta"] for k in kinds.values())
    assert kinds["monte_carlo"]["cases"] == 1 and kinds["exact"]["cases"] == 1
    text = report.power_text({"power": pw})
    assert text.startswith("δ = exact ") and " · MC " in text


def test_a_bound_moved_to_zero_is_not_power():
    """A positive quantity under an upper bound fails only when δ = 1 moves the bound to 0: by
    construction, so the status says "at one only" and the report flags it."""
    def ev(ctx):
        return [judge.upper_bound({}, 10.0, Estimate(1.0, 0.0, 1, "closed_form"), ctx=ctx)]

    r = evaluate(_claim(ev, kind=Kind.BOUND), seed=1, precision="quick", with_power=True)
    assert r.power["status"] == "at one only" and r.power["delta"] == POWER_GRID[0]
    assert report.power_text({"power": r.power}).startswith("⚠ δ = 1 only")
    assert "at one only" in report.WEAK_POWER


def test_search_cases_are_not_counted_as_deterministic():
    est = Estimate(1.0, 0.0, 150, "search")
    cases = [CaseResult({}, Verdict.CONFIRMED, theory=1.0, estimate=est, resolution=0.0),
             CaseResult({}, Verdict.CONFIRMED, theory=2.0,
                        estimate=Estimate(2.0, 0.0, 1, "closed_form"), resolution=1e-12)]
    assert [evidence_kind(c) for c in cases] == ["search", "exact"]
    assert [evidence_kind(c.to_dict()) for c in cases] == ["search", "exact"]
    s = summarize(Verdict.CONFIRMED, cases)
    assert "1 deterministic" in s and "1 counterexample search (hypothesis, 150 examples" in s
    assert evidence_kind(CaseResult({}, Verdict.CONFIRMED, estimate=Estimate(
        1.0, 0.1, 10, "monte_carlo"))) == "monte_carlo"
    assert np.isfinite(POWER_GRID[-1])
