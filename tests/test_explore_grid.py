"""The explorer engine (dropmc.explore): the Point of a claim at one parameter point and what is
derived from it, one- and two-parameter sweeps (reproducible, independent of evaluation order),
their tables and figures, the budget, `dropmc explore` with one and two parameters and its
bad input, and `dropmc list --explorable`. Synthetic explorers with known answers live in a
catalog of this module; the papers' explorers are checked at known points."""

import dataclasses
import json
import math
import sys
import types

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from dropmc import Catalog, Kind, cli, explore, judge, mean_estimate, registry  # noqa: E402
from dropmc.claims import Context  # noqa: E402
from dropmc.estimate import Estimate  # noqa: E402
from dropmc.explore import Point  # noqa: E402


def _catalog():
    """A user catalog ``xgrid`` with explorers whose answers are known."""
    cat = Catalog("xgrid", title="explorer tests")

    @cat.claim("bound.disk", label="Eq. D", kind=Kind.BOUND, statement="a² + b² ≤ 1")
    def disk(ctx):
        return [judge.upper_bound({}, 1.0, Estimate.exact(0.5))]

    @cat.explorer("bound.disk", a=(0.0, -2.0, 2.0), b=(0.0, -2.0, 2.0))
    def disk_point(ctx, a, b):
        """Printed: a² + b² ≤ 1 (fails outside the unit disk); correction ≤ 4."""
        return Point.bound(1.0, side="upper", exact=a * a + b * b, correction=4.0)

    @cat.claim("moment.k", label="Eq. M", kind=Kind.IDENTITY, statement="E U^k = 1/(k + 1)")
    def moment(ctx):
        return [judge.identity({}, 1 / 3, Estimate.exact(1 / 3))]

    @cat.explorer("moment.k", k=(2.0, 0.5, 4.0), m=1.0)
    def moment_point(ctx, k, m):
        """E U^k by Monte Carlo (m is a dummy second parameter)."""
        u = ctx.rng().random(ctx.budget(2_000, 64))
        return Point.identity(1.0 / (k + 1.0), mc=mean_estimate(u ** k))

    @cat.claim("approx.sin", label="Eq. S", kind=Kind.APPROXIMATION, statement="sin s ≈ s")
    def approx(ctx):
        return [judge.identity({}, 0.0, Estimate.exact(0.0))]

    @cat.explorer("approx.sin", s=(0.5, 1e-3, 2.0))
    def approx_point(ctx, s):
        return Point.approximation(s, exact=math.sin(s), order=3, order_in="s")

    @cat.claim("old.pair", label="Eq. O", kind=Kind.IDENTITY, statement="E U = 1/2")
    def old(ctx):
        return [judge.identity({}, 0.5, Estimate.exact(0.5))]

    @cat.explorer("old.pair", n=100.0)
    def old_point(ctx, n):
        """The pre-Point return: (theory, Estimate)."""
        return 0.5, mean_estimate(ctx.rng().random(int(n)))

    @cat.claim("plain", label="Eq. P", kind=Kind.IDENTITY, statement="1 = 1")
    def plain(ctx):
        return [judge.identity({}, 1.0, Estimate.exact(1.0))]

    return cat


@pytest.fixture
def cat(monkeypatch):
    """The test catalog, registered for the test only."""
    monkeypatch.setattr(registry, "_USER", dict(registry._USER))
    return _catalog()


def _claim(cat, slug):
    return next(c for c in cat.claims if c.id == f"xgrid.{slug}")


def _strip(rows):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]


# -- the point and what is derived from it --------------------------------------------------

def test_bound_slack_against_the_exact_value_and_against_monte_carlo():
    up = Point.bound(1.0, side="upper", exact=1.25)
    assert up.derived() == {"slack": -0.25, "resolution": pytest.approx(1.25e-10),
                            "fails": True}
    assert Point.bound(1.0, side="lower", exact=1.25).derived()["slack"] == 0.25
    # Monte Carlo: fails only beyond critical value × SE (one-sided; crit defaults to z* = 4.5)
    e = Estimate(0.9, 0.01, 1000, "monte_carlo")
    near = Point.bound(0.94, side="lower", mc=e)  # slack −0.04 > −0.045
    far = Point.bound(0.96, side="lower", mc=e)   # slack −0.06 < −0.045
    assert near.derived() == {"slack": pytest.approx(-0.04), "resolution": pytest.approx(0.045),
                              "fails": False}
    assert far.fails and far.value == pytest.approx(-0.06)
    # with an exact value too, the exact value decides
    both = Point.bound(0.96, side="lower", mc=e, exact=0.97)
    assert both.derived()["slack"] == pytest.approx(0.01) and not both.fails


def test_approximation_error_and_stated_accuracy():
    pt = Point.approximation(1.1, exact=1.0, order=2, order_in="s")
    d = pt.derived()
    assert d["error"] == pytest.approx(0.1) and d["rel_error"] == pytest.approx(0.1)
    assert d["fails"] is None and pt.fails is None  # no stated accuracy: no point fails
    assert Point.approximation(1.1, exact=1.0, max_rel=0.05).fails is True
    assert Point.approximation(1.1, exact=1.0, max_abs=0.2).fails is False
    mc = Point.approximation(1.1, mc=Estimate(1.0, 0.01, 100, "monte_carlo"), max_abs=0.06)
    assert mc.derived()["resolution"] == pytest.approx(0.045) and mc.fails is False


def test_identity_z_and_exact_difference():
    e = Estimate(1.01, 0.002, 100, "monte_carlo")
    pt = Point.identity(1.0, mc=e)
    assert pt.derived()["z"] == pytest.approx(5.0) and pt.fails and pt.value == pytest.approx(5)
    assert not dataclasses.replace(pt, crit=5.5).fails  # crit: set by the engine
    ex = Point.identity(1.0, exact=1.0 + 1e-12)
    assert not ex.fails and ex.value == pytest.approx(1e-12)  # no MC: the difference
    assert Point.identity(1.0, exact=1.001).fails
    row = Point.identity(1.0, mc=e, exact=1.01, correction=1.01).row()
    assert row["z"] == pytest.approx(5.0) and row["difference"] == pytest.approx(0.01)
    assert row["fails"] is True and row["truth"] == 1.01
    assert row["correction_z"] == pytest.approx(0.0) and row["correction_fails"] is False
    # a printed side the exact value confirms fails still when the Monte Carlo check does
    assert Point.identity(1.0, mc=e, exact=1.0).fails


def test_the_old_pair_is_an_identity_and_bad_points_are_refused():
    e = Estimate(0.5, 0.01, 100, "monte_carlo")
    assert explore.as_point((0.5, e)) == Point.identity(0.5, mc=e)
    assert explore.as_point((0.5, Estimate.exact(0.5))) == Point.identity(0.5, exact=0.5)
    with pytest.raises(TypeError, match="must return a dropmc.explore.Point"):
        explore.as_point(0.5)
    with pytest.raises(ValueError, match="needs the exact value"):
        Point.identity(1.0)
    with pytest.raises(ValueError, match="side must be 'upper' or 'lower' for a bound"):
        Point(1.0, "bound", exact=1.0)
    with pytest.raises(ValueError, match="shape must be one of"):
        Point(1.0, "guess", exact=1.0)
    with pytest.raises(TypeError, match="printed must be a real number"):
        Point.identity("1", exact=1.0)
    with pytest.raises(ValueError, match="belong to an approximation"):
        Point(1.0, "identity", exact=1.0, order=2)


def test_the_engine_sets_the_critical_value_of_the_estimate(cat):
    pt = explore.evaluate(_claim(cat, "moment.k"), k=2.0)
    assert pt.mc.dof is not None
    assert pt.crit == Context("x", 0).critical(pt.mc.dof)
    assert explore.evaluate(_claim(cat, "old.pair")).mc is not None  # the old pair


# -- sweeps and maps: reproducible, order-independent, budgeted -----------------------------

def test_a_grid_is_reproducible_and_independent_of_evaluation_order(cat):
    c = _claim(cat, "moment.k")
    g1 = explore.grid(c, {"k": (0.5, 4.0), "m": (0.0, 1.0)}, points=(4, 3), seed=7,
                      precision="quick")
    g2 = explore.grid(c, {"k": (0.5, 4.0), "m": (0.0, 1.0)}, points=(4, 3), seed=7,
                      precision="quick")
    assert _strip(g1.rows()) == _strip(g2.rows())
    assert g1.values().shape == (3, 4) and g1.seconds.shape == (3, 4)
    assert np.all(g1.seconds >= 0)
    other = explore.grid(c, {"k": (0.5, 4.0), "m": (0.0, 1.0)}, points=(4, 3), seed=8,
                         precision="quick")
    assert _strip(other.rows()) != _strip(g1.rows())
    # each point alone, in reverse order, gives the grid's numbers: a point's stream is its own
    rows = g1.rows()
    for r in reversed(rows):
        pt = explore.evaluate(c, seed=7, precision="quick", k=r["k"], m=r["m"])
        assert pt.mc == Estimate(r["mc"], r["mc_se"], pt.mc.n, "monte_carlo", pt.mc.seed,
                                 dof=pt.mc.dof)
    # and a sweep through the same values agrees with the grid's row at m = 1
    sw = explore.sweep(c, "k", 0.5, 4.0, points=4, seed=7, precision="quick", m=1.0)
    assert [pt.mc.mean for pt in sw.points] == [pt.mc.mean for pt in g1.points[-1]]


def test_budget_scales_the_sample_counts(cat):
    c = _claim(cat, "moment.k")
    n = explore.evaluate(c, precision="standard").mc.n
    assert n == 2_000
    assert explore.evaluate(c, precision="standard", budget=0.5).mc.n == 1_000
    assert explore.evaluate(c, precision="quick", budget=4).mc.n == 500
    assert explore.evaluate(c, precision="quick", budget=1e-3).mc.n == 64  # the minimum
    for bad in (0, -1, math.nan, 101):
        with pytest.raises(ValueError, match="budget must be"):
            explore.evaluate(c, budget=bad)


def test_a_bound_fails_where_it_should_and_the_map_outlines_that_region(cat):
    c = _claim(cat, "bound.disk")
    g = explore.grid(c, {"a": (-2, 2), "b": (-2, 2)}, points=41)
    A, B = np.meshgrid(g.xs, g.ys)
    r2 = A * A + B * B
    assert np.array_equal(g.fails(), r2 > 1 + 1e-9)
    assert np.array_equal(g.fails(correction=True), r2 > 4 + 1e-9)
    np.testing.assert_allclose(g.values(), 1 - r2, atol=1e-12)
    fig = g.plot()
    ax = fig.axes[0]
    contours = {cs.get_label(): cs for cs in ax.collections if isinstance(cs, ContourSet)}
    assert set(contours) == {"printed statement fails", "correction fails"}
    step = g.xs[1] - g.xs[0]
    for label, radius in (("printed statement fails", 1.0), ("correction fails", 2.0)):
        verts = np.concatenate([p.vertices for p in contours[label].get_paths()])
        r = np.hypot(verts[:, 0], verts[:, 1])
        assert np.all(np.abs(r - radius) <= step), label  # the outline is where it fails
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "printed statement fails (×)" in texts
    plt.close(fig)


def test_rows_table_and_summary(cat):
    g = explore.grid(_claim(cat, "bound.disk"), {"a": (-2, 2), "b": (-1, 1)}, points=(5, 3))
    rows = g.rows()
    assert len(rows) == 15
    first = rows[0]
    assert first["a"] == -2.0 and first["b"] == -1.0 and first["slack"] == pytest.approx(-4.0)
    assert {"shape", "side", "printed", "correction", "exact", "mc", "slack", "resolution",
            "fails", "correction_slack", "correction_fails", "seconds"} <= set(first)
    text = g.table()
    assert text.splitlines()[0].split()[:3] == ["a", "b", "printed"]
    assert len(text.splitlines()) == 16 and "FAILS" in text and "holds" in text
    assert "fails at 10 of 15 points" in g.summary()


def test_to_frame_with_and_without_pandas(cat, monkeypatch):
    sw = explore.sweep(_claim(cat, "approx.sin"), "s", 0.1, 1.0, points=3)
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` raises ImportError
    with pytest.raises(ImportError, match="pip install pandas"):
        sw.to_frame()
    fake = types.ModuleType("pandas")
    fake.DataFrame = lambda rows: ("frame", rows)
    monkeypatch.setitem(sys.modules, "pandas", fake)
    kind, rows = sw.to_frame()
    assert kind == "frame" and rows == sw.rows() and rows[1]["s"] == pytest.approx(0.55)
    assert rows[0]["error"] == pytest.approx(0.1 - math.sin(0.1))


def test_sweep_figures_draw_what_the_shape_calls_for(cat):
    sw = explore.sweep(_claim(cat, "approx.sin"), "s", 1e-3, 2.0, points=7, log=True)
    assert np.allclose(np.diff(np.log(sw.xs)), np.log(2e3) / 6)
    fig = sw.plot()
    top, below = fig.axes
    assert below.get_yscale() == "log" and below.get_xscale() == "log"
    assert any("slope 3" in t.get_text() for t in below.get_legend().get_texts())
    plt.close(fig)
    sw = explore.sweep(_claim(cat, "bound.disk"), "a", -2, 2, points=9)
    assert list(sw.fails()) == [True, True, False, False, False, False, False, True, True]
    fig = sw.plot()
    spans = [p for p in fig.axes[0].patches if p.get_label() == "printed statement fails"]
    assert len(spans) == 1  # one labelled span (the second run of failures is unlabelled)
    assert len([p for p in fig.axes[0].patches]) == 2
    plt.close(fig)


def test_progress_bar_on_request(cat, capsys):
    explore.grid(_claim(cat, "bound.disk"), {"a": (-1, 1), "b": (-1, 1)}, points=3,
                 progress=True)
    assert "9/9" in capsys.readouterr().err
    explore.grid(_claim(cat, "bound.disk"), {"a": (-1, 1), "b": (-1, 1)}, points=3,
                 progress=False)
    assert capsys.readouterr().err == ""


def test_bad_arguments_name_the_parameters(cat):
    c = _claim(cat, "moment.k")
    with pytest.raises(ValueError, match=r"has no parameter 'q'; its parameters are k = 2 in "
                                         r"\[0.5, 4\], m = 1"):
        explore.sweep(c, "q", 0, 1)
    with pytest.raises(ValueError, match=r"k of 'xgrid.moment.k' must lie in \[0.5, 4\]"):
        explore.sweep(c, "k", 0.1, 1)
    with pytest.raises(ValueError, match="needs LO < HI"):
        explore.sweep(c, "k", 2, 1)
    with pytest.raises(ValueError, match="ranges must map two parameter names"):
        explore.grid(c, {"k": (1, 2)})
    with pytest.raises(ValueError, match=r"points must be in \[2, 100\] per axis for a map"):
        explore.grid(c, {"k": (1, 2), "m": (0, 1)}, points=101)
    with pytest.raises(ValueError, match="needs LO > 0"):
        explore.grid(c, {"k": (1, 2), "m": (0, 1)}, log="m")
    with pytest.raises(ValueError, match="has no explorer; `dropmc list --explorable --module "
                                         "MOD` lists"):
        explore.sweep(_claim(cat, "plain"), "k", 0, 1)
    with pytest.raises(ValueError, match="has no explorer; `dropmc list --explorable` lists"):
        explore.evaluate("drop_activation.prop5_2.value_p095", p=0.5)
    with pytest.raises(ValueError, match="must be a finite default or"):
        cat.explorer("plain", x=(1.0, 2.0, 3.0))(lambda ctx, x: None)


# -- the command line --------------------------------------------------------------------------

def test_cli_sweeps_one_parameter_and_maps_two(cat, tmp_path, capsys):
    out = tmp_path / "ex"
    assert cli.main(["explore", "xgrid.bound.disk", "--param", "a=-2:2", "--points", "5",
                     "--out", str(out), "--no-progress"]) == 0
    cap = capsys.readouterr()
    assert "printed bound" in cap.out and "fails at 2 of 5 points" in cap.err
    assert (out / "explore_xgrid_bound_disk_a.png").stat().st_size > 10_000
    assert cli.main(["explore", "xgrid.bound.disk", "--param", "a=-2:2", "--param", "b=-2:2",
                     "--points", "6", "--out", str(out), "--no-progress"]) == 0
    cap = capsys.readouterr()
    assert len(cap.out.splitlines()) >= 37 and "36 points (bound)" in cap.err
    assert (out / "explore_xgrid_bound_disk_a_b.png").stat().st_size > 10_000
    assert (out / "explore_xgrid_bound_disk_a_b.pdf").exists()
    assert cli.main(["explore", "xgrid.approx.sin", "--param", "s=0.001:2:log", "--points", "4",
                     "--out", str(out), "--no-progress"]) == 0
    assert "|error|" in capsys.readouterr().out


@pytest.mark.parametrize("args, needle", [
    (["--param", "k=1:2", "--param", "m=0:1", "--param", "k=2:3"],
     "--param takes one parameter of 'xgrid.moment.k' (a sweep) or two different ones (a map), "
     "got k, m, k; its parameters are k = 2 in [0.5, 4], m = 1"),
    (["--param", "k=1:2", "--param", "k=2:3"], "got k, k; its parameters are"),
    (["--param", "q=0:1"], "has no parameter 'q'; its parameters are k = 2 in [0.5, 4], m = 1"),
    (["--param", "k=0.1:1"], "k of 'xgrid.moment.k' must lie in [0.5, 4], got 0.1:1"),
    (["--param", "k=0:1:log"], "a log-spaced range needs LO > 0"),
    (["--param", "k=1:2:lin"], "--param must be NAME=LO:HI or NAME=LO:HI:log"),
    (["--param", "k=1:2", "--budget", "0"], "--budget must be"),
    (["--param", "k=1:2", "--param", "m=0:1", "--points", "150"],
     "points must be in [2, 100] per axis for a map, got 150"),
])
def test_cli_bad_explore_input_is_one_line(cat, args, needle, tmp_path, capsys):
    out = tmp_path / "ex"
    assert cli.main(["explore", "xgrid.moment.k", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and err.startswith("dropmc: error: ")
    assert not out.exists()


def test_cli_claim_without_explorer_says_how_to_list_them(cat, tmp_path, capsys):
    assert cli.main(["explore", "xgrid.plain", "--param", "k=0:1", "--out",
                     str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err == ("dropmc: error: claim 'xgrid.plain' has no explorer; `dropmc list "
                   "--explorable --module MOD` lists the claims that have one\n")


def test_list_explorable(cat, capsys):
    assert cli.main(["list", "--explorable"]) == 0
    cap = capsys.readouterr()
    ids = [line.split()[0] for line in cap.out.splitlines() if line and not line[0].isspace()]
    assert {"drop_activation.prop5_2.eq15_shift_ratio", "variance_constancy.thm3.eq14",
            "ensemble_averaging.eq52.nwgm_approximates_mean",
            "ensemble_averaging.eq87.curves_bound_exact_gap", "xgrid.bound.disk",
            "xgrid.moment.k"} <= set(ids)
    assert "xgrid.plain" not in ids
    assert "explore: k = 2 in [0.5, 4], m = 1" in cap.out
    assert f"{len(ids)} explorable claims" in cap.err
    assert cli.main(["list", "--explorable", "--json", "--paper", "xgrid"]) == 0
    recs = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(recs) == {"xgrid.bound.disk", "xgrid.moment.k", "xgrid.approx.sin",
                         "xgrid.old.pair"}
    assert recs["xgrid.moment.k"]["explore"] == {"k": {"default": 2.0, "range": [0.5, 4.0]},
                                                 "m": {"default": 1.0, "range": None}}


# -- the papers' explorers at known points ------------------------------------------------------

def test_papers_explorers_at_known_points():
    ev = explore.evaluate
    eq87 = "ensemble_averaging.eq87.curves_bound_exact_gap"
    # the strict reading of the Fig. 8.1 curve fails near E = 1/2 and holds away from it
    assert ev(eq87, p=0.3, b=-1.2).fails and not ev(eq87, p=0.5, b=3.0).fails
    eq14 = ev("variance_constancy.thm3.eq14", n=10, eps=0.3, precision="quick")
    assert eq14.side == "lower" and eq14.fails  # (1 − x)² > 1 there
    assert eq14.derived(eq14.correction)["fails"] is False  # max(0, 1 − x)² holds
    eq15 = ev("drop_activation.prop5_2.eq15_shift_ratio", p=0.5, precision="quick")
    assert eq15.shape == "identity" and not eq15.fails and eq15.exact == pytest.approx(
        eq15.printed, rel=1e-12)
    # Eq. 52: the NWGM's error is of second order in the weight scale s
    errs = [ev("ensemble_averaging.eq52.nwgm_approximates_mean", s=s).value
            for s in (1 / 32, 1 / 64)]
    assert errs[0] / errs[1] == pytest.approx(4, rel=0.02)
