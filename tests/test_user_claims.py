"""Your own claims (issue 11): written in your module, run from the CLI (--module), from
Python (dropmc.verify) and from pytest (the dropmc_verify fixture and the dropmc_claim marker),
and on Dask with the same report as a local run."""

import json
import textwrap

import numpy as np
import pytest

import dropmc
from dropmc import cli

pytest_plugins = ["pytester"]

USER_MODULE = textwrap.dedent('''
    """Two toy statements about U ~ uniform(0, 1): one true, one false."""
    from dropmc import Catalog, Kind, mean_estimate
    from dropmc import judge

    CATALOG = Catalog("toy", title="Toy theorems about the uniform law")

    @CATALOG.claim("mean.half", label="Eq. 1", kind=Kind.IDENTITY, statement="E U = 1/2")
    def mean_half(ctx):
        """E U = 1/2, by Monte Carlo."""
        u = ctx.rng().random(ctx.budget(200_000))
        return [judge.identity({"law": "U(0,1)"}, 0.5, mean_estimate(u))]

    @CATALOG.claim("mean.third", label="Eq. 2", kind=Kind.IDENTITY, statement="E U = 1/3")
    def mean_third(ctx):
        """A false statement: E U = 1/3."""
        u = ctx.rng().random(ctx.budget(200_000))
        return [judge.identity({"law": "U(0,1)"}, 1 / 3, mean_estimate(u))]

    @CATALOG.claim("moment.k", label="Eq. 4", kind=Kind.IDENTITY,
                   statement="E U^k = 1/(k + 1) for k > 0")
    def moment_k(ctx):
        """E U^k = 1/(k + 1), at k = 2 (explore sweeps k)."""
        return [judge.identity({"k": 2.0}, *moment_point(ctx, k=2.0))]

    @CATALOG.explorer("moment.k", k=2.0)
    def moment_point(ctx, k):
        u = ctx.rng().random(ctx.budget(100_000))
        return 1.0 / (k + 1.0), mean_estimate(u ** k)

    @CATALOG.claim("square.le", label="Eq. 3", kind=Kind.INEQUALITY, statement="u² ≤ u on [0, 1]")
    def square_le(ctx):
        """u² ≤ u on [0, 1], by counterexample search."""
        from hypothesis import strategies as st
        return [judge.search_case({}, lambda u: ctx.le(u * u, u), st.floats(0, 1))]
''')


@pytest.fixture
def user_module(tmp_path, monkeypatch):
    pkg = tmp_path / "toypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "claims.py").write_text(USER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_cli_verify_module_by_name_and_by_path(user_module, tmp_path, capsys):
    out = tmp_path / "rep"
    code = cli.main(["verify", "--module", "toypkg.claims", "--precision", "quick", "--seed", "4",
                     "--out", str(out), "--no-progress"])
    assert code == 0
    rep = json.loads((out / "report.json").read_text())
    got = {c["id"]: c for c in rep["claims"]}
    assert set(got) == {"toy.mean.half", "toy.mean.third", "toy.square.le", "toy.moment.k"}
    assert got["toy.mean.half"]["verdict"] == "CONFIRMED"
    assert got["toy.mean.half"]["power"]["status"] == "measured"
    assert got["toy.mean.third"]["verdict"] == "REFUTED"
    assert got["toy.square.le"]["verdict"] == "CONFIRMED"
    assert "toy.mean.third" in (out / "report.md").read_text()
    # a .py path works too, and --paper/--claim select within it
    code = cli.main(["verify", "--module", str(user_module / "toypkg" / "claims.py"),
                     "--claim", "toy.mean.half", "--precision", "quick", "--seed", "4",
                     "--out", str(out), "--no-progress", "--no-power"])
    assert code == 0
    rep2 = json.loads((out / "report.json").read_text())
    assert [c["id"] for c in rep2["claims"]] == ["toy.mean.half"]
    assert rep2["claims"][0]["cases"] == got["toy.mean.half"]["cases"]
    capsys.readouterr()
    assert cli.main(["list", "--module", "toypkg.claims"]) == 0
    assert "toy.square.le" in capsys.readouterr().out


def test_python_api(user_module):
    run = dropmc.verify(module="toypkg.claims", seed=4, precision="quick", power=False)
    verdicts = {r.claim.id: r.verdict for r in run.results}
    assert verdicts["toy.mean.half"] is dropmc.Verdict.CONFIRMED
    assert verdicts["toy.mean.third"] is dropmc.Verdict.REFUTED
    one = dropmc.verify(["toy.mean.half"], seed=4, precision="quick")
    assert one.results[0].cases[0].estimate == run.results[0].cases[0].estimate


def test_user_key_cannot_be_bad_and_builtin_keys_are_kept():
    with pytest.raises(ValueError, match="lower-case identifier"):
        dropmc.Catalog("My Theorem")
    with pytest.raises(ValueError, match="defines no dropmc Catalog"):
        dropmc.load_module("json")


def test_pytest_plugin_fixture_and_marker(pytester):
    pkg = pytester.mkpydir("toypkg")
    (pkg / "claims.py").write_text(USER_MODULE)
    pytester.makepyfile(test_inner=textwrap.dedent('''
        import pytest

        @pytest.mark.dropmc_claim("toy.mean.half", module="toypkg.claims")
        def test_marker_passes():
            pass

        def test_fixture_passes(dropmc_verify):
            r = dropmc_verify("toy.square.le", module="toypkg.claims", expect="CONFIRMED")
            assert r.cases

        def test_fixture_fails_with_evidence(dropmc_verify):
            dropmc_verify("toy.mean.third", module="toypkg.claims")

        def test_expected_refutation(dropmc_verify):
            dropmc_verify("toy.mean.third", module="toypkg.claims", expect="REFUTED")
    '''))
    xml = pytester.path / "out.xml"
    res = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--junitxml={xml}")
    res.assert_outcomes(passed=3, failed=1)
    res.stdout.fnmatch_lines(["*dropmc claim toy.mean.third: expected CONFIRMED, got REFUTED*",
                              "*evidence: refuted*"])
    text = xml.read_text()
    assert 'name="dropmc"' in text and "seed" in text and "worst_resolution" in text


BROKEN_MODULE = textwrap.dedent('''
    from dropmc import Catalog, Kind, judge, mean_estimate

    CATALOG = Catalog("toybroken")

    @CATALOG.claim("typo", label="Eq. 1", kind=Kind.IDENTITY, statement="E U = 1/2")
    def typo(ctx):
        yield judge.identity({}, 0.5, mean_estimte(ctx.rng().random(1000)))
''')


def test_pytest_marker_decides_in_the_call_and_records_json(pytester):
    """A wrong verdict from the marker is a test FAILURE (not an error of its setup), a claim
    whose code fails shows its traceback, a bad ``expect`` says which verdicts exist, and the
    JUnit property is JSON with the power recorded."""
    import xml.etree.ElementTree as ET

    pkg = pytester.mkpydir("toypkg")
    (pkg / "claims.py").write_text(USER_MODULE)
    (pkg / "broken.py").write_text(BROKEN_MODULE)
    pytester.makepyfile(test_inner=textwrap.dedent('''
        import pytest

        @pytest.mark.dropmc_claim("toy.mean.third", module="toypkg.claims")
        def test_wrong_verdict():
            pass

        @pytest.mark.dropmc_claim("toy.mean.half", module="toypkg.claims", expect="YES")
        def test_bad_expect_marker():
            pass

        def test_bad_expect_fixture(dropmc_verify):
            dropmc_verify("toy.mean.half", module="toypkg.claims", expect="yes")

        @pytest.mark.dropmc_claim("toy.mean.half", module="toypkg.claims", power=True)
        def test_with_power():
            pass

        @pytest.mark.dropmc_claim("toybroken.typo", module="toypkg.broken")
        def test_claim_errors():
            pass

        @pytest.mark.dropmc_claim("toybroken.typo", module="toypkg.broken", expect="error")
        def test_error_expected():
            pass
    '''))
    xml = pytester.path / "out.xml"
    res = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--junitxml={xml}")
    res.assert_outcomes(passed=2, failed=4, errors=0)
    res.stdout.fnmatch_lines_random([
        "*dropmc claim toy.mean.third: expected CONFIRMED, got REFUTED*",
        "*dropmc_claim: expect must be one of CONFIRMED, REFUTED, APPROXIMATE, INCONCLUSIVE, "
        "ERROR; got 'YES'",
        "*dropmc_verify: expect must be one of CONFIRMED, REFUTED, APPROXIMATE, INCONCLUSIVE, "
        "ERROR; got 'yes'",
        "*dropmc claim toybroken.typo: expected CONFIRMED, got ERROR*",
        "*File \"*broken.py\", line 8, in typo",
        "*NameError: name 'mean_estimte' is not defined",
    ])
    props = {tc.get("name"): json.loads(p.get("value"))
             for tc in ET.parse(xml).getroot().iter("testcase")
             for p in tc.iter("property") if p.get("name") == "dropmc"}
    assert set(props) == {"test_wrong_verdict", "test_with_power", "test_claim_errors",
                          "test_error_expected"}
    wrong = props["test_wrong_verdict"]
    assert (wrong["verdict"], wrong["expected"]) == ("REFUTED", "CONFIRMED")
    assert wrong["power"] == {"status": "not measured", "delta": None}
    assert isinstance(wrong["seed"], int) and wrong["worst_resolution"] > 0
    measured = props["test_with_power"]["power"]
    assert measured["status"] == "measured" and 0 < measured["delta"] <= 1
    assert props["test_claim_errors"]["summary"].startswith("error: NameError")
    assert props["test_claim_errors"]["power"] == {"status": "not measured", "delta": None}


def test_dask_local_cluster_gives_the_local_report(tmp_path):
    pytest.importorskip("distributed")
    ids = ["drop_activation.prop5_2.value_p095", "drop_activation.eq6.rrelu_mean",
           "variance_constancy.eq8.gaussian_moments"]
    local = dropmc.verify(ids, seed=11, precision="quick")
    remote = dropmc.verify(ids, seed=11, precision="quick", scheduler="local:2")

    def strip(run):
        d = run.to_dict()
        for c in d["claims"]:
            c.pop("seconds")
            (c["power"] or {}).pop("seconds", None)
        return d["claims"]

    assert strip(local) == strip(remote)
    assert remote.meta["scheduler"] == "local:2"


def test_explore_sweeps_a_parameter_and_draws_it(user_module, tmp_path, capsys):
    out = tmp_path / "ex"
    code = cli.main(["explore", "toy.moment.k", "--module", "toypkg.claims", "--param", "k=0.5:4",
                     "--points", "5", "--precision", "quick", "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "closed form" in text and text.count("\n") >= 6
    png = out / "explore_toy_moment_k_k.png"
    assert png.stat().st_size > 10_000 and png.with_suffix(".pdf").exists()
    from dropmc import explore, registry

    sw = explore.sweep(registry.get("toy.moment.k"), "k", 0.5, 4, points=5, precision="quick")
    assert np.allclose(sw.theory, 1 / (sw.xs + 1)) and np.all(np.abs(sw.z()) < 4.5)


@pytest.mark.parametrize("args, needle", [
    (["explore", "toy.moment.k", "--param", "k=4:1"], "finite LO < HI"),
    (["explore", "toy.moment.k", "--param", "k"], "NAME=LO:HI"),
    (["explore", "toy.moment.k", "--param", "q=0:1"], "has no parameter 'q'"),
    (["explore", "toy.mean.half", "--param", "k=0:1"], "has no explorer"),
])
def test_explore_bad_arguments(user_module, args, needle, capsys, tmp_path):
    assert cli.main(args + ["--module", "toypkg.claims", "--out", str(tmp_path)]) == 2
    assert needle in capsys.readouterr().err
