"""A claim whose code fails is an ERROR, not a verdict on its statement (issue 16): the four
mistakes a new user makes with the README's example, each reported with the exception, the
line of the user's file and what a claim must return; counted and listed apart in the
reports; a run that stops at the first ERROR; the hook a debugger uses."""

import json
import pickle
import textwrap

import pytest

import dropmc
from dropmc import registry, report, runner
from dropmc.claims import CLAIM_SHAPE_HINT, ClaimError, Verdict

USER_MODULE = textwrap.dedent('''
    """A new user's claims about U ~ uniform(0, 1), with the usual mistakes."""
    from dropmc import Catalog, Kind, judge, mean_estimate

    CATALOG = Catalog("oops", title="A new user's first claims")

    @CATALOG.claim("ok", label="Eq. 1", kind=Kind.IDENTITY, statement="E U = 1/2")
    def ok(ctx):
        u = ctx.rng().random(ctx.budget(20_000))
        return [judge.identity({}, 0.5, mean_estimate(u))]

    @CATALOG.claim("forgot_list", label="Eq. 2", kind=Kind.IDENTITY, statement="E U = 1/2")
    def forgot_list(ctx):  # LINE forgot_list
        u = ctx.rng().random(ctx.budget(20_000))
        return judge.identity({}, 0.5, mean_estimate(u))

    @CATALOG.claim("returned_float", label="Eq. 3", kind=Kind.IDENTITY, statement="E U = 1/2")
    def returned_float(ctx):  # LINE returned_float
        return float(ctx.rng().random(ctx.budget(20_000)).mean())

    @CATALOG.claim("forgot_return", label="Eq. 4", kind=Kind.IDENTITY, statement="E U = 1/2")
    def forgot_return(ctx):  # LINE forgot_return
        u = ctx.rng().random(ctx.budget(20_000))
        [judge.identity({}, 0.5, mean_estimate(u))]

    @CATALOG.claim("typo", label="Eq. 5", kind=Kind.IDENTITY, statement="E U = 1/2")
    def typo(ctx):
        u = ctx.rng().random(ctx.budget(20_000))
        yield judge.identity({}, 0.5, mean_estimte(u))  # LINE typo

    @CATALOG.claim("empty", label="Eq. 6", kind=Kind.IDENTITY, statement="E U = 1/2")
    def empty(ctx):
        return []

    @CATALOG.claim("yields_nothing", label="Eq. 7", kind=Kind.IDENTITY, statement="E U = 1/2")
    def yields_nothing(ctx):
        if False:
            yield

    @CATALOG.claim("yields_float", label="Eq. 8", kind=Kind.IDENTITY, statement="E U = 1/2")
    def yields_float(ctx):  # LINE yields_float
        yield 0.5

    @CATALOG.claim("yields_list", label="Eq. 9", kind=Kind.IDENTITY, statement="E U = 1/2")
    def yields_list(ctx):  # LINE yields_list
        u = ctx.rng().random(ctx.budget(20_000))
        yield [judge.identity({}, 0.5, mean_estimate(u))]

    @CATALOG.claim("breaks_when_moved", label="Eq. 10", kind=Kind.IDENTITY, statement="E U = 1/2")
    def breaks_when_moved(ctx):
        u = ctx.rng().random(ctx.budget(20_000))
        if ctx.delta > 0:
            raise ArithmeticError("the moved theory side breaks the claim")
        return [judge.identity({}, 0.5, mean_estimate(u))]
''')

LINES = {line.rsplit("# LINE ", 1)[1]: k for k, line in enumerate(USER_MODULE.splitlines(), 1)
         if "# LINE " in line}


@pytest.fixture(scope="module")
def claims_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("user") / "oops_claims.py"
    path.write_text(USER_MODULE)
    registry.load_module(str(path))
    return path


def _claim(slug):
    return registry.get(f"oops.{slug}")


@pytest.mark.parametrize("slug, error", [
    ("forgot_list", "ClaimError: claim 'oops.forgot_list' returned one CaseResult, not a list"),
    ("returned_float", "ClaimError: claim 'oops.returned_float' returned float 0."),
    ("forgot_return", "ClaimError: claim 'oops.forgot_return' returned None, not a list of cases "
                      "(is its `return` missing?)"),
    ("typo", "NameError: name 'mean_estimte' is not defined"),
    ("yields_float", "ClaimError: claim 'oops.yields_float' produced float 0.5 as its case 0"),
    ("yields_list", "ClaimError: claim 'oops.yields_list' yielded a list of 1 cases as its case 0"),
])
def test_a_failing_claim_is_an_error_at_the_users_line(claims_file, slug, error):
    r = runner.evaluate(_claim(slug), seed=5, precision="quick", with_power=True)
    assert r.verdict is Verdict.ERROR
    assert r.error.startswith(error) and "\n" not in r.error
    line = LINES[slug]
    # the traceback starts at the user's code: neither the runner nor the claim wrapper shows
    assert f'File "{claims_file}", line {line}' in r.traceback
    assert r.traceback.startswith("Traceback") and r.traceback.splitlines()[1].startswith(
        f'  File "{claims_file}"')
    assert "dropmc/runner.py" not in r.traceback and "dropmc/claims.py" not in r.traceback
    assert r.summary.startswith(f"error: {error}")
    assert r.summary.endswith(f"{claims_file.name}:{line}; {CLAIM_SHAPE_HINT}")
    assert r.cases == [] and r.power["status"] == "n/a"
    with pytest.raises(NameError if slug == "typo" else ClaimError):
        runner.evaluate(_claim(slug), seed=5, precision="quick", catch=False)


@pytest.mark.parametrize("slug", ["empty", "yields_nothing"])
def test_no_case_is_inconclusive_not_an_error(claims_file, slug):
    r = runner.evaluate(_claim(slug), seed=5, precision="quick")
    assert r.verdict is Verdict.INCONCLUSIVE and r.error is None and r.traceback is None
    assert r.summary == "undecided: the claim returned or yielded no case"


def test_a_perturbed_side_that_breaks_is_not_an_error(claims_file):
    """A power run whose moved theory side raises counts as "not refuted"; the claim ran
    unperturbed, so its verdict stands."""
    r = runner.evaluate(_claim("breaks_when_moved"), seed=5, precision="quick", with_power=True)
    assert r.verdict is Verdict.CONFIRMED and r.error is None
    assert r.power["status"] == "unfalsifiable"


def test_errors_are_counted_and_listed_apart_in_every_report(claims_file):
    run = dropmc.verify(module=str(claims_file), seed=5, precision="quick", power=False)
    d = json.loads(json.dumps(run.to_dict()))  # what report.json holds
    assert d["counts"]["ERROR"] == 6 and d["counts"]["CONFIRMED"] == 2
    assert d["counts"]["INCONCLUSIVE"] == 2 and sum(d["counts"].values()) == len(d["claims"])
    typo = next(c for c in d["claims"] if c["id"] == "oops.typo")
    assert typo["verdict"] == "ERROR" and "NameError" in typo["error"]
    assert f"line {LINES['typo']}" in typo["traceback"]
    assert report.errata(d) == []  # an ERROR is no erratum

    md = report.to_markdown(d)
    errors = md.index("## Errors")
    assert errors < md.index("## A new user's first claims (`oops`)") < md.index("## Errata")
    assert "**ERROR 6**" in md.split("\n## ")[0]
    section = md[errors:md.index("\n## ", errors + 1)]
    assert section.count("```text") == 6 and "mean_estimte(u))  # LINE typo" in section
    assert "| `oops.typo` | Eq. 5 | **ERROR** | not measured |" in md

    html = report.to_html(d)
    assert html.index("<section id='errors'>") < html.index('<section id="errata">')
    assert "<h2>A new user&#x27;s first claims</h2>" in html and "6 ERROR" in html
    assert "NameError: name &#x27;mean_estimte&#x27; is not defined</pre>" in html

    table = report.summary_table(run)
    listed = table.split("ERROR: the code of 6 claims failed", 1)[1]
    assert "  oops.typo: error: NameError" in listed
    assert table.splitlines()[-1].startswith("10 claims: 2 CONFIRMED, 2 INCONCLUSIVE, 6 ERROR")


def test_stop_on_error_stops_after_the_first_error(claims_file):
    cs = [_claim("ok"), _claim("typo"), _claim("empty"), _claim("forgot_list")]
    run = runner.run(cs, seed=5, precision="quick", progress=False, log=None, with_power=False,
                     stop_on_error=True)
    assert [r.claim.id for r in run.results] == ["oops.ok", "oops.typo"]
    assert run.meta["stopped_on_error"] == "oops.typo"
    assert run.meta["not_run"] == ["oops.empty", "oops.forgot_list"]
    assert "Not run: 2 claims after `oops.typo`" in report.to_markdown(run.to_dict())
    every = runner.run(cs, seed=5, precision="quick", progress=False, log=None, with_power=False)
    assert len(every.results) == 4 and "not_run" not in every.meta
    assert every.results[0].cases == run.results[0].cases


def test_on_error_receives_the_live_exception(claims_file):
    seen = []

    def hook(result, exc):
        tb, frames = exc.__traceback__, []
        while tb is not None:
            frames.append(tb.tb_frame.f_code.co_name)
            tb = tb.tb_next
        seen.append((result.claim.id, type(exc), frames[-1]))

    runner.run([_claim("ok"), _claim("typo")], seed=5, precision="quick", progress=False,
               log=None, with_power=False, on_error=hook)
    # the debugger's post-mortem would land in the user's frame
    assert seen == [("oops.typo", NameError, "typo")]
    with pytest.raises(TypeError, match="on_error must be a function"):
        runner.run([_claim("ok")], seed=5, on_error="pdb")
    with pytest.raises(ValueError, match="on_error needs a local run.*scheduler='local:1'"):
        runner.run([_claim("ok")], seed=5, on_error=hook, scheduler="local:1")


def test_an_error_pickles_and_crosses_a_dask_cluster(claims_file):
    r = runner.evaluate(_claim("typo"), seed=5, precision="quick")
    back = pickle.loads(pickle.dumps(r))
    assert (back.verdict, back.error, back.traceback) == (r.verdict, r.error, r.traceback)
    pytest.importorskip("distributed")
    kw = dict(module=str(claims_file), seed=5, precision="quick", power=False)
    local = dropmc.verify(**kw)
    remote = dropmc.verify(**kw, scheduler="local:1")
    fields = lambda run: [(r.claim.id, r.verdict, r.error, r.traceback, r.summary, r.cases)
                          for r in run.results]
    assert fields(remote) == fields(local)
    assert sum(r.verdict is Verdict.ERROR for r in remote.results) == 6
    # stopping: the claims finished when the first ERROR arrived are kept (in the claims'
    # order), the others are cancelled and listed as not run
    stopped = runner.run([r.claim for r in local.results], seed=5, precision="quick",
                         progress=False, log=None, with_power=False, scheduler="local:1",
                         modules=[str(claims_file)], stop_on_error=True)
    ran = [r.claim.id for r in stopped.results]
    every = [r.claim.id for r in local.results]
    assert ran == [i for i in every if i in ran]
    assert sorted(ran + stopped.meta["not_run"]) == sorted(every)
    first = next(r for r in stopped.results if r.claim.id == stopped.meta["stopped_on_error"])
    assert first.verdict is Verdict.ERROR and first.traceback


def test_verdict_parse_names_the_valid_verdicts():
    assert Verdict.parse("expect", "refuted") is Verdict.REFUTED
    assert Verdict.parse("expect", Verdict.ERROR) is Verdict.ERROR
    with pytest.raises(ValueError, match="^expect must be one of CONFIRMED, REFUTED, APPROXIMATE, "
                                         "INCONCLUSIVE, ERROR; got 'YES'$"):
        Verdict.parse("expect", "YES")
