"""The notebooks' live controls (dropmc.widgets): every ``controls(...)`` call in
notebooks/*.ipynb is built headless and driven at its default setting and at a second one
(each slider at a quarter of its range, each drop-down at its second option, the budget at
1/4), and the figure each draws has axes with data; the committed copy of each
such cell carries the default figure as a PNG, so it reads without a kernel. Then the widgets
module itself: render() without ipywidgets, the controls each parameter gets, bad input.

The test builds each box at quick precision and 3 points per swept parameter (the notebook's
other arguments unchanged): it proves the controls are wired and draw, the explorers' numbers
are tested in tests/test_explore_*.py; the notebooks themselves run at the precision and
points they name."""

import ast
import json
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from dropmc import Catalog, Kind, judge, mean_estimate, registry, widgets  # noqa: E402
from dropmc.estimate import Estimate  # noqa: E402
from dropmc.explore import Point  # noqa: E402

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def _calls():
    """(notebook, cell index, claim id, keyword arguments) of every ``controls(...)`` call
    (its arguments must be literals)."""
    out = []
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text())["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            lines = [ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))]
            for node in ast.walk(ast.parse("\n".join(lines))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "controls":
                    claim = ast.literal_eval(node.args[0])
                    kw = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                    out.append((path.stem, i, claim, kw))
    return out


CALLS = _calls()


def _has_data(fig) -> bool:
    """Whether some axes of ``fig`` draw data (a line with points, a mesh, markers)."""
    for ax in fig.axes:
        if any(len(line.get_xdata()) for line in ax.get_lines()):
            return True
        if any(getattr(c, "get_array", lambda: None)() is not None or len(c.get_offsets())
               for c in ax.collections):
            return True
    return False


def test_the_notebooks_have_controls():
    assert {nb for nb, *_ in CALLS} >= {"drop_activation", "variance_constancy"}


def _second(c: widgets.Control):
    """The control's second setting: a slider at a quarter of its range (three quarters when
    that is its default), a drop-down at its second option."""
    if c.options is not None:
        return c.options[1]
    v = c.at(0.25) if c.at(0.25) != c.default else c.at(0.75)
    return int(v) if c.integer else v


@pytest.mark.parametrize("notebook, cell, claim, kw", CALLS,
                         ids=[f"{nb}-{cl}-{i}" for nb, i, cl, _ in CALLS])
def test_every_control_draws_at_two_settings(notebook, cell, claim, kw, monkeypatch):
    """The box draws the default setting; then each control is moved to its second setting in
    turn, its callback redrawing the figure each time. The PNG each draw also renders for the
    box's image is left out here (it was 40 % of this test's time, and is the same savefig for
    every figure: test_controls_redraw_and_show_bad_settings_as_one_line checks it)."""
    monkeypatch.setattr(widgets, "_png", lambda fig: b"")
    box = widgets.controls(claim, **{**kw, "precision": "quick", "points": 3})
    assert _has_data(box.figure)
    params = widgets.parameters(claim, sweep=kw.get("sweep"), fixed=kw.get("fixed"))
    assert list(box.widgets) == [c.name for c in params] + (["budget"] if "budget" in
                                                            box.widgets else [])
    second = {c.name: _second(c) for c in params}
    if "budget" in box.widgets:  # a quarter of the default, or half again
        second["budget"] = 0.25 if box.widgets["budget"].value != 0.25 else 0.125
    for name, value in second.items():
        before = box.figure
        box.widgets[name].value = value  # the control's callback redraws
        assert box.figure is not before, f"moving {name} did not redraw"
        assert "error" not in box.children[-2].value, box.children[-2].value
        assert _has_data(box.figure)


@pytest.mark.parametrize("notebook, cell, claim, kw", CALLS,
                         ids=[f"{nb}-{cl}-{i}" for nb, i, cl, _ in CALLS])
def test_committed_controls_carry_the_default_figure(notebook, cell, claim, kw):
    path = next(p for p in NOTEBOOKS if p.stem == notebook)
    outputs = json.loads(path.read_text())["cells"][cell].get("outputs", [])
    assert any("image/png" in o.get("data", {}) for o in outputs), \
        f"{notebook} cell {cell}: run tools/execute_notebooks.py {notebook}"


# -- the widgets module ---------------------------------------------------------------------

@pytest.fixture
def cat(monkeypatch):
    """A user catalog with a choice parameter, an integer and a parameter without a range."""
    monkeypatch.setattr(registry, "_USER", dict(registry._USER))
    cat = Catalog("xwidget", title="widget tests")

    @cat.claim("mean.law", label="Eq. W", kind=Kind.IDENTITY, statement="E X = m")
    def mean_law(ctx):
        return [judge.identity({}, 0.0, Estimate.exact(0.0))]

    @cat.explorer("mean.law", m=(0.0, -1.0, 1.0), k=(4, 1, 9), law=("normal", "uniform"),
                  scale=1.0)
    def mean_point(ctx, m, k, law, scale):
        if k == 9:
            raise ValueError("k = 9 is refused")
        rng = ctx.rng()
        n = ctx.budget(4_000, 64)
        x = rng.normal(m, scale, n) if law == "normal" else rng.uniform(m - 1, m + 1, n)
        return Point.identity(m, mc=mean_estimate(x))

    @cat.claim("bound.exact", label="Eq. B", kind=Kind.BOUND, statement="a ≤ 1")
    def bound(ctx):
        return [judge.upper_bound({}, 1.0, Estimate.exact(0.5))]

    @cat.explorer("bound.exact", a=(0.5, 0.0, 2.0), b=(0.0, -1.0, 1.0))
    def bound_point(ctx, a, b):
        return Point.bound(1.0, side="upper", exact=a + b * b)

    return cat


def test_parameters_give_each_kind_its_control(cat):
    ps = {c.name: c for c in widgets.parameters("xwidget.mean.law", fixed={"scale": 1.0})}
    assert list(ps) == ["m", "k", "law"]
    assert ps["law"].options == ("normal", "uniform") and ps["law"].at(0.25) == "normal"
    assert ps["law"].at(0.75) == "uniform"
    assert ps["k"].integer and ps["k"].at(0.25) == 3.0 and not ps["m"].integer
    with pytest.raises(ValueError, match=r"'scale' of 'xwidget.mean.law' has no declared range "
                                         r"for a slider: hold it with fixed=\{'scale': ...\}"):
        widgets.parameters("xwidget.mean.law")
    with pytest.raises(ValueError, match="sweep 'law' of 'xwidget.mean.law' is a choice"):
        widgets.parameters("xwidget.mean.law", sweep="law", fixed={"scale": 1.0})
    with pytest.raises(ValueError, match="'scale' of 'xwidget.mean.law' has no declared range "
                                         "to sweep"):
        widgets.parameters("xwidget.mean.law", sweep="scale")
    with pytest.raises(ValueError, match="law of 'xwidget.mean.law' must be one of 'normal', "
                                         "'uniform'; got 'cauchy'"):
        widgets.parameters("xwidget.mean.law", fixed={"law": "cauchy", "scale": 1.0})
    with pytest.raises(ValueError, match="sweep must be None"):
        widgets.parameters("xwidget.mean.law", sweep=("m",))


def test_render_needs_no_ipywidgets(cat, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # `import ipywidgets` fails
    fig = widgets.render("xwidget.mean.law", {"law": "uniform", "k": 2}, sweep="m", points=3,
                         precision="quick")
    assert _has_data(fig) and fig.axes[0].get_xlabel() == "" and fig.axes[1].get_xlabel() == "m"
    fig = widgets.render("xwidget.bound.exact", {}, sweep=("a", "b"), points=4)
    assert fig.axes[0].get_xlabel() == "a" and fig.axes[0].get_ylabel() == "b"
    fig = widgets.render("xwidget.bound.exact", {"a": 1.5})  # one point: it fails
    assert "fails here" in fig.axes[0].get_xlabel() and _has_data(fig)
    with pytest.raises(ImportError, match=r"pip install 'dropmc\[lab\]'"):
        widgets.controls("xwidget.bound.exact")


def test_controls_redraw_and_show_bad_settings_as_one_line(cat):
    box = widgets.controls("xwidget.mean.law", sweep="m", fixed={"scale": 2.0}, points=3,
                           precision="quick", budget=0.5)
    assert list(box.widgets) == ["k", "law", "budget"] and box.widgets["budget"].value == 0.5
    assert type(box.widgets["k"]).__name__ == "IntSlider"
    assert type(box.widgets["law"]).__name__ == "Dropdown"
    first, png = box.figure, bytes(box.children[-1].value)
    box.widgets["law"].value = "uniform"  # the callback redraws, the image with it
    assert box.figure is not first and "3 points in" in box.children[-2].value
    assert png.startswith(b"\x89PNG") and bytes(box.children[-1].value).startswith(b"\x89PNG")
    assert bytes(box.children[-1].value) != png
    bundle = box._repr_mimebundle_()
    assert {"image/png", "application/vnd.jupyter.widget-view+json"} <= set(bundle)
    assert bundle["text/plain"].startswith("live controls of xwidget.mean.law")
    with pytest.raises(ValueError, match="no control 'scale'; the controls are k, law, budget"):
        box.set(scale=1.0)
    shown = box.figure
    box.widgets["k"].value = 9  # the explorer refuses: one line in place of a new figure
    assert box.figure is shown
    assert "<b>error:</b> ValueError: explorer of &#x27;xwidget.mean.law&#x27; at m = -1" in \
        box.children[-2].value and "k = 9 is refused" in box.children[-2].value
    exact = widgets.controls("xwidget.bound.exact", sweep="a")
    assert list(exact.widgets) == ["b"]  # no Monte Carlo side: no budget slider
    with pytest.raises(ValueError, match=r"budget must be a finite number in \[0.015625, 8\]"):
        widgets.controls("xwidget.bound.exact", budget=20)
