"""Live controls for a claim's explorer in a notebook: sliders, drop-downs and a Monte Carlo
budget bound to the explorer's figure.

* :func:`render` — the pure function behind the controls: the figure of a claim's explorer at
  given parameter values (a sweep over one parameter, a map over two, or one point). It needs
  matplotlib only.
* :func:`controls` — the ipywidgets box (``pip install 'dropmc[lab]'``): a slider per number
  parameter over its declared range, a drop-down per choice parameter, a log-scale budget
  slider when the explorer has a Monte Carlo side, and the figure, redrawn by :func:`render`
  whenever a control is released::

      from dropmc.widgets import controls
      controls("drop_activation.prop5_2.eq15_shift_ratio", sweep="p")

  Displayed without a kernel (a code host, a notebook viewer), the box falls back to the
  figure it last drew, as a PNG image.

:func:`parameters` says which control each parameter gets; the notebooks' test drives every
control through it.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
import time
from dataclasses import dataclass

from dropmc import explore
from dropmc._validation import check_choice, check_int, check_real
from dropmc.claims import PRECISIONS

#: the budget slider's range: 2**-6 to 2**3 times the precision's sample counts
BUDGET_RANGE = (1 / 64, 8.0)


@dataclass(frozen=True)
class Control:
    """The control of one explorer parameter: a slider over ``[lo, hi]`` (``integer``: in steps
    of 1) for a number parameter, a drop-down over ``options`` for a choice."""

    name: str
    default: float | str
    lo: float | None = None
    hi: float | None = None
    integer: bool = False
    options: tuple[str, ...] | None = None

    def at(self, fraction: float) -> float | str:
        """The value at ``fraction`` ∈ [0, 1] of the slider's range (rounded for an integer
        slider), or the option at that fraction of the drop-down's list."""
        if self.options is not None:
            return self.options[min(int(fraction * len(self.options)), len(self.options) - 1)]
        v = self.lo + fraction * (self.hi - self.lo)
        return float(round(v)) if self.integer else v


def _swept(claim, sweep) -> tuple[str, ...]:
    """``sweep`` as a tuple of 0, 1 or 2 number parameters of the claim, each with a declared
    range."""
    if sweep is None:
        names = ()
    elif isinstance(sweep, str):
        names = (sweep,)
    elif isinstance(sweep, (tuple, list)) and len(sweep) == 2 and all(isinstance(s, str)
                                                                        for s in sweep):
        names = tuple(sweep)
        if names[0] == names[1]:
            raise ValueError(f"sweep must name two different parameters for a map, got {sweep!r}")
    else:
        raise ValueError(f"sweep must be None (one point), a parameter name (a sweep) or two "
                         f"names (a map), got {sweep!r}")
    ranges = explore.ranges(claim)
    for name in names:
        explore.check_name(claim, name)
        if name in explore.choices(claim):
            raise ValueError(f"sweep {name!r} of {claim.id!r} is a choice "
                             f"({', '.join(explore.choices(claim)[name])}); sweep a number "
                             "parameter")
        if name not in ranges:
            raise ValueError(f"parameter {name!r} of {claim.id!r} has no declared range to sweep "
                             "(declare it as (default, lo, hi) in its explorer)")
    return names


def parameters(claim_id, *, sweep=None, fixed=None) -> list[Control]:
    """The controls :func:`controls` builds for ``claim_id``: one per parameter that is neither
    swept (``sweep``) nor held fixed (``fixed``), in the explorer's order. A number parameter
    needs a declared range (ValueError naming it and ``fixed=`` otherwise)."""
    claim = explore.check_claim(claim_id)
    swept = _swept(claim, sweep)
    fixed = _fixed(claim, fixed)
    ex = claim.explorer
    ranges, opts = explore.ranges(claim), explore.choices(claim)
    out = []
    for name, default in claim.explore_params.items():
        if name in swept or name in fixed:
            continue
        if name in opts:
            out.append(Control(name, default, options=opts[name]))
        elif name in ranges:
            out.append(Control(name, default, *ranges[name],
                               integer=name in getattr(ex, "integers", ())))
        else:
            raise ValueError(f"parameter {name!r} of {claim.id!r} has no declared range for a "
                             f"slider: hold it with fixed={{{name!r}: ...}}")
    return out


def _fixed(claim, fixed) -> dict:
    if fixed is None:
        return {}
    if not isinstance(fixed, dict):
        raise TypeError(f"fixed must be a dict of parameter values, got {fixed!r}")
    explore.point_params(claim, fixed)  # each a known name, in range, or one of its options
    return dict(fixed)


def _log(names: tuple[str, ...], log) -> tuple[str, ...]:
    if log is True:
        return names
    if log is False or log is None:
        return ()
    log = (log,) if isinstance(log, str) else tuple(log)
    for name in log:
        if name not in names:
            raise ValueError(f"log names a parameter that is not swept: {name!r} (swept: "
                             f"{', '.join(names) or 'none'})")
    return log


def _result(claim, values: dict, sweep, points, budget, precision, seed, log):
    """What :func:`render` draws: a Sweep, a Grid, or (one point) the pair (params, Point)."""
    names = _swept(claim, sweep)
    if not isinstance(values, dict):
        raise TypeError(f"values must be a dict of parameter values, got {values!r}")
    params = {k: v for k, v in values.items() if k not in names}
    log = _log(names, log)
    kw = dict(seed=seed, precision=precision, budget=budget)
    ranges = explore.ranges(claim)
    if not names:
        full = explore.point_params(claim, params)
        return full, explore.evaluate(claim, **kw, **params)
    if len(names) == 1:
        (name,) = names
        return explore.sweep(claim, name, *ranges[name], points=points, log=name in log,
                             progress=False, **kw, **params)
    return explore.grid(claim, {n: ranges[n] for n in names}, points=points, log=log,
                        progress=False, **kw, **params)


def _figure(claim, result):
    import matplotlib.pyplot as plt

    fig = result.plot() if hasattr(result, "plot") else plot_point(claim, *result)
    plt.close(fig)  # the caller shows it; pyplot does not keep it (or show it twice inline)
    return fig


def render(claim_id, values: dict | None = None, *, sweep=None, points: int = 9,
           budget: float = 1.0, precision: str = "standard", seed: int = 0, log=False):
    """The figure of ``claim_id``'s explorer at ``values`` (the other parameters at their
    defaults; a swept parameter's value is ignored): with ``sweep`` a parameter name, the
    sweep over its declared range (:func:`dropmc.explore.plot`); with two names, the map over
    both ranges (:func:`dropmc.explore.plot_grid`); without, the one point's summary
    (:func:`plot_point`). ``points`` per swept parameter, ``log`` the swept parameters spaced
    geometrically (True: all), ``budget`` scales the Monte Carlo sample counts. Returns a
    matplotlib Figure, closed in pyplot (display it, or ``fig.savefig``)."""
    claim = explore.check_claim(claim_id)
    return _figure(claim, _result(claim, values or {}, sweep, points, budget, precision, seed,
                                  log))


def plot_point(claim, params: dict, pt: "explore.Point"):
    """One point of a claim's explorer as a figure: the printed side, its correction, the exact
    value and the Monte Carlo estimate ± critical value × SE on one axis, with what the shape
    calls for (slack, error, z) and whether the printed statement fails written beneath."""
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    rows = [("printed", pt.printed, None, "C0")]
    if pt.correction is not None:
        rows.append(("correction", pt.correction, None, "C2"))
    if pt.exact is not None:
        rows.append(("exact", pt.exact, None, "k"))
    if pt.mc is not None:
        rows.append(("Monte Carlo", pt.mc.mean, pt.crit * pt.mc.se, "C3"))
    ys = np.arange(len(rows))[::-1]
    for y, (label, v, err, color) in zip(ys, rows):
        ax.errorbar([v], [y], xerr=None if err is None else [err], fmt="o", color=color,
                    capsize=4, ms=7)
    ax.set_yticks(ys, [r[0] for r in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    d = pt.derived()
    if pt.shape == "bound":
        words = f"{pt.side} bound: slack {d['slack']:.4g} (resolution {d['resolution']:.2g})"
    elif pt.shape == "approximation":
        words = f"approximation: |error| {d['error']:.4g}, relative {d['rel_error']:.3g}"
    else:
        words = ("identity: " + (f"z = {d['z']:.2f}, " if d["z"] is not None else "")
                 + f"true − printed = {d['difference']:.4g}")
    verdict = {True: "the printed statement fails here", False: "the printed statement holds "
               "here", None: "no stated accuracy: the error decides nothing"}[pt.fails]
    if pt.correction is not None:
        cf = pt.derived(pt.correction)["fails"]
        verdict += "; the correction " + {True: "fails", False: "holds", None: "—"}[cf]
    ax.set_xlabel(f"{words}\n{verdict}", fontsize=9)
    at = ", ".join(f"{k} = {explore.format_value(v)}" for k, v in params.items())
    ax.set_title(f"{claim.id}\n{claim.label} at {at}", fontsize=9)
    ax.grid(axis="x", color="0.9")
    fig.tight_layout()
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return buf.getvalue()


def _has_monte_carlo(result) -> bool:
    if isinstance(result, tuple):
        return result[1].mc is not None
    pts = result.points
    flat = [p for row in pts for p in row] if isinstance(pts[0], list) else pts
    return any(p.mc is not None for p in flat)


def controls(claim_id, *, sweep=None, fixed=None, points: int = 9, budget=True,
             precision: str = "standard", seed: int = 0, log=False):
    """An ipywidgets box of live controls for ``claim_id``'s explorer: a slider per number
    parameter over its declared range (steps of 1 for one declared with ints), a drop-down per
    choice parameter — except the swept ones (``sweep``: a name for a sweep, two for a map,
    None for one point) and those held at ``fixed`` ({name: value}) — and, when the explorer
    has a Monte Carlo side and ``budget`` is not False, a log-scale slider of the budget
    (from ``budget``, a factor, or 1 for True). Releasing a control redraws the figure
    (:func:`render` with the same ``points``, ``precision``, ``seed`` and ``log``); a setting
    the explorer refuses leaves the figure and shows its one-line error above it.

    The box's ``figure`` is the figure it shows, ``widgets`` its controls by parameter name
    (the budget's as ``"budget"``), ``set(**values)`` moves several controls and redraws once.
    Without a kernel it displays as the PNG of its figure. Needs ipywidgets
    (``pip install 'dropmc[lab]'``)."""
    try:
        import ipywidgets as w
    except ImportError:
        raise ImportError("dropmc.widgets.controls needs ipywidgets: pip install 'dropmc[lab]' "
                          "(or render(), which needs matplotlib only)") from None
    claim = explore.check_claim(claim_id)
    ctrls = parameters(claim, sweep=sweep, fixed=fixed)
    fixed = dict(fixed or {})
    check_choice("precision", precision, tuple(PRECISIONS))
    points = check_int("points", points, minimum=2, maximum=200)
    b0 = 1.0 if isinstance(budget, bool) else check_real("budget", budget, lo=BUDGET_RANGE[0],
                                                         hi=BUDGET_RANGE[1])
    t0 = time.perf_counter()
    first = _result(claim, fixed, sweep, points, b0, precision, seed, log)
    seconds = time.perf_counter() - t0

    widgets = {}
    for c in ctrls:
        style = dict(description=c.name, style={"description_width": "initial"})
        if c.options is not None:
            widgets[c.name] = w.Dropdown(options=list(c.options), value=c.default, **style)
            continue
        style["continuous_update"] = False  # a slider redraws when released
        if c.integer:
            widgets[c.name] = w.IntSlider(value=int(c.default), min=int(c.lo), max=int(c.hi),
                                          **style)
        else:
            widgets[c.name] = w.FloatSlider(value=c.default, min=c.lo, max=c.hi,
                                            step=(c.hi - c.lo) / 200, readout_format=".4g",
                                            **style)
    if budget is not False and _has_monte_carlo(first):
        widgets["budget"] = w.FloatLogSlider(
            value=b0, base=2, min=math.log2(BUDGET_RANGE[0]), max=math.log2(BUDGET_RANGE[1]),
            step=0.5, description="Monte Carlo budget", continuous_update=False,
            readout_format=".3g", style={"description_width": "initial"})

    fig = _figure(claim, first)
    image = w.Image(value=_png(fig), format="png")
    status = w.HTML()
    n_swept = len(_swept(claim, sweep))
    where = ("one point" if n_swept == 0 else f"{points} points" if n_swept == 1
             else f"{points}×{points} points")

    def say(text):
        status.value = f"<span style='font-size: 85%; color: #555'>{text}</span>"

    def draw(box):
        values = {**fixed, **{k: v.value for k, v in widgets.items() if k != "budget"}}
        b = widgets["budget"].value if "budget" in widgets else b0
        t = time.perf_counter()
        try:
            result = _result(claim, values, sweep, points, b, precision, seed, log)
        except Exception as exc:  # noqa: BLE001 - a control's callback: show it, keep the box
            say(f"<b>error:</b> {html.escape(f'{type(exc).__name__}: {exc}')}")
            return
        box.figure = _figure(claim, result)
        image.value = _png(box.figure)
        say(f"{where} in {time.perf_counter() - t:.2g} s")

    box = _box_class()(children=[*widgets.values(), status, image])
    box.claim_id, box.figure, box.widgets, box._draw = claim.id, fig, widgets, draw
    say(f"{where} in {seconds:.2g} s")
    for wid in widgets.values():
        wid.observe(box.redraw, names="value")
    return box


@functools.cache
def _box_class():
    """The box :func:`controls` returns (a class made on first use: ipywidgets is optional)."""
    import ipywidgets as w

    class ExplorerControls(w.VBox):
        """Live controls of a claim's explorer: ``claim_id``, ``widgets`` (the controls by
        parameter name, the budget's as ``"budget"``), ``figure`` (the figure shown). Without
        a kernel it displays as the PNG of its figure."""

        _holding = False

        def redraw(self, _change=None) -> None:
            """Draw the figure at the controls' values (what releasing a control does)."""
            if not self._holding:
                self._draw(self)

        def set(self, **values) -> None:
            """Move several controls (by parameter name; ``budget=``) and redraw once."""
            unknown = sorted(set(values) - set(self.widgets))
            if unknown:
                raise ValueError(f"no control {unknown[0]!r}; the controls are "
                                 f"{', '.join(self.widgets) or 'none'}")
            self._holding = True
            try:
                for k, v in values.items():
                    self.widgets[k].value = v
            finally:
                self._holding = False
            self.redraw()

        def _repr_mimebundle_(self, **kwargs):
            data = super()._repr_mimebundle_(**kwargs) or {}
            data["image/png"] = base64.b64encode(_png(self.figure)).decode("ascii")
            data["text/plain"] = f"live controls of {self.claim_id} (the figure: its PNG)"
            return data

    return ExplorerControls
