"""Choice parameters of an explorer (a tuple of strings: held fixed, never swept; ``--set`` on
the command line) and ``Catalog.no_explorer`` (the one-line reason a claim has no explorer),
with their bad input."""

import json

import matplotlib
import pytest

matplotlib.use("Agg")

from dropmc import Catalog, Kind, cli, explore, judge, mean_estimate, registry  # noqa: E402
from dropmc.estimate import Estimate  # noqa: E402
from dropmc.explore import Point  # noqa: E402


@pytest.fixture
def cat(monkeypatch):
    monkeypatch.setattr(registry, "_USER", dict(registry._USER))
    cat = Catalog("xchoice", title="choice tests")

    @cat.claim("mean.law", label="Eq. C", kind=Kind.IDENTITY, statement="E X = m")
    def mean_law(ctx):
        return [judge.identity({}, 0.0, Estimate.exact(0.0))]

    @cat.explorer("mean.law", m=(0.0, -1.0, 1.0), law=("normal", "uniform", "laplace"))
    def mean_point(ctx, m, law):
        """The mean of a law centred at m, by Monte Carlo."""
        rng = ctx.rng()
        n = ctx.budget(2_000, 64)
        x = {"normal": rng.normal, "laplace": rng.laplace}.get(law, None)
        x = x(m, 1.0, n) if x else rng.uniform(m - 1, m + 1, n)
        return Point.identity(m, mc=mean_estimate(x))

    @cat.claim("fixed.number", label="Eq. F", kind=Kind.VALUE, statement="1/4 = 0.25")
    def fixed_number(ctx):
        return [judge.identity({}, 0.25, Estimate.exact(0.25))]

    cat.no_explorer("fixed.number", "a statement about a fixed printed number")
    return cat


def _claim(cat, slug):
    return next(c for c in cat.claims if c.id == f"xchoice.{slug}")


def test_a_choice_is_declared_as_strings_and_passed_as_a_string(cat):
    c = _claim(cat, "mean.law")
    assert c.explore_params == {"m": 0.0, "law": "normal"}
    assert c.explorer.choices == {"law": ("normal", "uniform", "laplace")}
    assert explore.describe(c) == "m = 0 in [-1, 1], law = normal of {normal, uniform, laplace}"
    pt = explore.evaluate(c, m=0.5, law="uniform", precision="quick")
    assert pt.mc.n == 125 and abs(pt.mc.mean - 0.5) < 0.2
    # the point's stream is keyed by the choice as well
    assert explore.point_id(c, {"m": 0.5, "law": "uniform"}) == \
        "xchoice.mean.law#explore(law='uniform',m=0.5)"
    other = explore.evaluate(c, m=0.5, law="laplace", precision="quick")
    assert other.mc.mean != pt.mc.mean
    sw = explore.sweep(c, "m", -1, 1, points=3, precision="quick", law="laplace")
    assert sw.fixed == {"law": "laplace"} and sw.rows()[0]["law"] == "laplace"
    assert sw.points[2].mc.mean == explore.evaluate(c, m=1.0, law="laplace",
                                                    precision="quick").mc.mean
    fig = sw.plot()
    assert any("law = laplace" in t.get_text() for t in fig.texts)


def test_a_choice_is_never_swept_and_must_be_one_of_its_options(cat):
    c = _claim(cat, "mean.law")
    with pytest.raises(ValueError, match=r"law of 'xchoice.mean.law' is a choice \(normal, "
                                         r"uniform, laplace\), not a number: hold it fixed"):
        explore.sweep(c, "law", 0, 1)
    with pytest.raises(ValueError, match="law of 'xchoice.mean.law' must be one of 'normal', "
                                         "'uniform', 'laplace'; got 'cauchy'"):
        explore.evaluate(c, law="cauchy")


@pytest.mark.parametrize("spec, needle", [
    (("normal",), "needs two or more different non-empty strings"),
    (("a", "a"), "needs two or more different non-empty strings"),
    (("a", ""), "needs two or more different non-empty strings"),
    (("a", 1.0, 2.0), "must be a finite default or"),
    ("normal", "must be a finite default or"),
    (True, "must be a finite default or"),
])
def test_bad_parameter_specs_name_the_parameter(cat, spec, needle):
    with pytest.raises(ValueError, match=needle):
        registry.Explorer.of("xchoice.mean.law", lambda ctx, q: None, {"q": spec})


def test_integer_declared_parameters_are_marked():
    ex = registry.Explorer.of("x.y", lambda ctx, **k: None, {"n": (8, 2, 64), "p": (0.5, 0, 1),
                                                               "b": (0.0, -6.0, 6.0)})
    assert ex.integers == {"n"}


def test_no_explorer_records_one_line_and_refuses_both(cat):
    c = _claim(cat, "fixed.number")
    assert registry.no_explorer_reason(c) == "a statement about a fixed printed number"
    assert registry.no_explorer_reason(_claim(cat, "mean.law")) is None
    with pytest.raises(ValueError, match="has an explorer and a reason for having none"):
        cat.no_explorer("mean.law", "no parameter")
    with pytest.raises(ValueError, match="has an explorer and a reason for having none"):
        cat.explorer("fixed.number", x=1.0)(lambda ctx, x: None)
    with pytest.raises(ValueError, match="already has a reason"):
        cat.no_explorer("fixed.number", "again")
    with pytest.raises(ValueError, match="already has an explorer"):
        cat.explorer("mean.law", x=1.0)(lambda ctx, x: None)
    with pytest.raises(ValueError, match=r"no_explorer for unknown claim 'xchoice.nope' "
                                         r"\(declare the claim first\)"):
        cat.no_explorer("nope", "x")

    @cat.claim("other", label="Eq. O", kind=Kind.VALUE, statement="x")
    def other(ctx):
        return []

    for bad in ("", "  ", "two\nlines", None):
        with pytest.raises(ValueError, match="reason must be one non-empty line"):
            cat.no_explorer("other", bad)


def test_cli_set_holds_a_choice_or_a_number_fixed(cat, tmp_path, capsys):
    out = tmp_path / "ex"
    assert cli.main(["explore", "xchoice.mean.law", "--param", "m=-1:1", "--points", "3",
                     "--set", "law=uniform", "--precision", "quick", "--out", str(out),
                     "--no-progress"]) == 0
    cap = capsys.readouterr()
    assert "3 points (identity)" in cap.err
    assert (out / "explore_xchoice_mean_law_m_law-uniform.png").exists()


@pytest.mark.parametrize("args, needle", [
    (["--param", "m=-1:1", "--set", "law=cauchy"], "must be one of 'normal', 'uniform', "
                                                   "'laplace'; got 'cauchy'"),
    (["--param", "law=0:1"], "law of 'xchoice.mean.law' is a choice"),
    (["--param", "m=-1:1", "--set", "m=0.5"], "m is swept (--param); it cannot also be held "
                                              "fixed (--set)"),
    (["--param", "m=-1:1", "--set", "q=1"], "has no parameter 'q'; its parameters are m = 0 in "
                                            "[-1, 1], law = normal of {normal, uniform, laplace}"),
    (["--param", "m=-1:1", "--set", "law"], "--set must be NAME=VALUE"),
    (["--param", "m=-1:1", "--set", "law=uniform", "--set", "law=normal"],
     "--set law is given twice"),
])
def test_cli_bad_set_is_one_line(cat, args, needle, tmp_path, capsys):
    assert cli.main(["explore", "xchoice.mean.law", *args, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1, err


def test_cli_set_number_must_be_a_number(tmp_path, capsys):
    assert cli.main(["explore", "drop_activation.prop5_2.eq15_shift_ratio", "--param",
                     "p=0.1:0.9", "--set", "d=many", "--out", str(tmp_path / "o")]) == 2
    assert "--set d must be a number, got 'many'" in capsys.readouterr().err


def test_list_and_show_say_what_a_claim_has(cat, capsys):
    assert cli.main(["list", "--explorable", "--json", "--paper", "xchoice"]) == 0
    recs = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert recs["xchoice.mean.law"]["explore"] == {
        "m": {"default": 0.0, "range": [-1.0, 1.0]},
        "law": {"default": "normal", "choices": ["normal", "uniform", "laplace"]}}
    assert cli.main(["list", "--explorable", "--why-not", "--json", "--paper", "xchoice"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["no_explorer"]) for r in recs] == [
        ("xchoice.fixed.number", "a statement about a fixed printed number")]
    assert cli.main(["list", "--explorable", "--paper", "xchoice"]) == 0
    err = capsys.readouterr().err
    counts = next(ln for ln in err.splitlines() if ln.split()[:1] == ["xchoice"])
    assert counts.split() == ["xchoice", "1", "/", "1"] and "1 explorable claim\n" in err
    assert cli.main(["show", "xchoice.fixed.number"]) == 0
    assert "no explorer:  a statement about a fixed printed number" in capsys.readouterr().out
    assert cli.main(["show", "xchoice.mean.law"]) == 0
    assert "law = normal of {normal, uniform, laplace}" in capsys.readouterr().out


def test_exploring_a_claim_without_explorer_says_why(cat):
    with pytest.raises(ValueError, match=r"has no explorer; `dropmc list --explorable --module "
                                         r"MOD` lists the claims that have one \(this one: a "
                                         r"statement about a fixed printed number\)"):
        explore.evaluate("xchoice.fixed.number")
