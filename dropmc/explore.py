"""``dropmc explore``: a claim's closed form against the truth, over one or two parameters.

An **explorer** (attached to a claim by :meth:`dropmc.registry.Catalog.explorer`) computes, at
one parameter point, what its claim compares — a :class:`Point`: the printed closed form,
optionally its correction, the exact value (enumeration or quadrature) and/or a Monte Carlo
:class:`~dropmc.estimate.Estimate`, and the claim's shape (identity, bound, approximation).
From a point the engine derives what the shape calls for: the slack of a bound, the error of
an approximation, the z of an identity's Monte Carlo check (:meth:`Point.derived`).

* :func:`evaluate` — one point (what a notebook's slider calls);
* :func:`sweep` — one parameter on a grid, the others at their defaults → :class:`Sweep`;
* :func:`grid` — two parameters → :class:`Grid`, a map with the region where the printed
  statement fails outlined.

Both keep the seconds each point took, and give ``.rows()`` (one dict per point),
``.to_frame()`` (pandas), ``.table()`` (text) and ``.plot()`` (a matplotlib figure).

**Parameters.** A number parameter has a default and, usually, a declared range; a sweep or
a map spans number parameters only. A **choice** parameter (a law, a network, …: declared as
a tuple of strings) is held fixed — at its default, or at the option given as a keyword
(``law="uniform"``; ``--set law=uniform`` on the command line). :mod:`dropmc.widgets` binds
both kinds to a notebook's sliders and drop-downs.

**Streams.** Each point runs in its own :class:`~dropmc.claims.Context`, whose id is the
claim's id and the point's parameter values: its numbers depend on the run seed and the point
only — not on the grid it belongs to or the order the points are evaluated in.

**Budget.** Explorers take their Monte Carlo sample counts from ``ctx.budget(n_standard,
minimum)``: ``precision`` scales ``n_standard`` (quick 1/16, standard 1, high 8) and
``budget=`` multiplies that scale (``budget=0.25`` for a faster, noisier look; the
``minimum`` still holds). Exact sides (enumeration, quadrature) do not depend on it.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from dropmc._validation import check_choice, check_int, check_real, check_seed
from dropmc.claims import EXACT_RTOL, PRECISIONS, Z_STAR, Claim, Context, Precision, \
    one_blas_thread
from dropmc.estimate import Estimate

#: the shapes of a claim an explorer can return
SHAPES = ("identity", "bound", "approximation")
#: the largest factor ``budget=`` may scale the precision's sample counts by
MAX_BUDGET = 100.0


@dataclass(frozen=True)
class Point:
    """What a claim compares at one parameter point.

    ``printed`` is the closed form as printed (the identity's value, the bound, the
    approximation); ``correction`` the corrected closed form, when the claim has one; ``exact``
    the true value by enumeration or quadrature and ``mc`` a Monte Carlo estimate of it (at
    least one of the two). ``shape`` is ``"identity"``, ``"bound"`` (``side="upper"``: the
    printed side bounds the truth from above; ``"lower"``: from below) or ``"approximation"``
    (``order``: the order of the error the claim tests as the parameter ``order_in`` → 0;
    ``max_rel``/``max_abs``: a stated accuracy, which makes the error decide the point).
    ``crit`` is set by the engine (the critical value of ``mc``'s statistic, from the
    point's context): explorers leave it. Build one with :meth:`identity`, :meth:`bound` or
    :meth:`approximation`::

        @CATALOG.explorer("eq87.curves_bound_exact_gap", p=(0.5, 0.05, 1.0), b=(0.0, -6, 6))
        def _explore_eq87(ctx, p, b):
            e = sim.enumerate_logistic_unit(W, I, np.full(W.size, p), b=b)
            return Point.bound(th.fig81_curve(e["EO"]), side="upper",
                               exact=abs(e["EO"] - e["NWGM"]))

    From a point the engine derives (:meth:`derived`): for a bound the signed **slack**
    (printed − truth for an upper bound, truth − printed for a lower one; negative: the
    printed statement fails), against the exact value when there is one, else against the
    Monte Carlo estimate with its **resolution** critical value × SE; for an approximation the
    **error** |printed − truth| and its relative size; for an identity the **z** of the Monte
    Carlo check and the **difference** truth − printed. ``fails`` says whether the printed
    statement fails at the point: beyond the exact tolerance (1e-10 of the size of the
    terms) or the one-sided/two-sided test at ``crit``; for an approximation only when it has
    a stated accuracy (else None).
    """

    printed: float
    shape: str = "identity"
    exact: float | None = None
    mc: Estimate | None = None
    correction: float | None = None
    side: str | None = None
    order: float | None = None
    order_in: str | None = None
    max_rel: float | None = None
    max_abs: float | None = None
    crit: float = Z_STAR

    def __post_init__(self):
        check_choice("shape", self.shape, SHAPES)
        for name in ("printed", "exact", "correction", "order", "max_rel", "max_abs"):
            v = getattr(self, name)
            if v is None and name != "printed":
                continue
            try:
                if isinstance(v, (bool, np.bool_, str, bytes)):
                    raise TypeError
                object.__setattr__(self, name, float(v))
            except (TypeError, ValueError):
                raise TypeError(f"Point {name} must be a real number, got {v!r}") from None
        if self.exact is None and self.mc is None:
            raise ValueError("a Point needs the exact value (exact=) or a Monte Carlo estimate "
                             "(mc=) to compare the printed side with")
        if self.mc is not None and not isinstance(self.mc, Estimate):
            raise TypeError(f"Point mc must be a dropmc.Estimate, got {self.mc!r}")
        if (self.shape == "bound") != (self.side is not None):
            raise ValueError(f"side must be 'upper' or 'lower' for a bound and None otherwise, "
                             f"got side={self.side!r} for shape {self.shape!r}")
        if self.side is not None:
            check_choice("side", self.side, ("upper", "lower"))
        if self.shape != "approximation" and any(
                v is not None for v in (self.order, self.order_in, self.max_rel, self.max_abs)):
            raise ValueError("order, order_in, max_rel and max_abs belong to an approximation")

    @classmethod
    def identity(cls, printed, *, exact=None, mc=None, correction=None) -> "Point":
        """An identity: ``printed`` equals the truth (``exact`` and/or ``mc``)."""
        return cls(printed, "identity", exact, mc, correction)

    @classmethod
    def bound(cls, printed, *, side: str, exact=None, mc=None, correction=None) -> "Point":
        """A bound: ``printed`` is an upper (``side="upper"``) or lower bound on the truth."""
        return cls(printed, "bound", exact, mc, correction, side=side)

    @classmethod
    def approximation(cls, printed, *, exact=None, mc=None, correction=None, order=None,
                      order_in: str | None = None, max_rel=None, max_abs=None) -> "Point":
        """An approximation: ``printed`` ≈ the truth, with the ``order`` of its error as
        ``order_in`` → 0 and, when the paper states one, its accuracy (``max_rel``,
        ``max_abs``)."""
        return cls(printed, "approximation", exact, mc, correction, order=order,
                   order_in=order_in, max_rel=max_rel, max_abs=max_abs)

    @property
    def truth(self) -> float:
        """The exact value when there is one, else the Monte Carlo mean."""
        return self.exact if self.exact is not None else self.mc.mean

    @property
    def resolution(self) -> float:
        """How small a difference the point resolves: the exact tolerance (1e-10 of the size
        of the terms), or critical value × SE of the Monte Carlo estimate."""
        if self.exact is not None:
            return EXACT_RTOL * max(abs(self.printed), abs(self.exact))
        return self.crit * self.mc.se

    def derived(self, theory: float | None = None) -> dict:
        """What the shape calls for, for ``theory`` (default: the printed side; pass
        ``correction`` for the correction's): ``slack``/``resolution``/``fails`` for a bound,
        ``error``/``rel_error``/``resolution``/``fails`` for an approximation,
        ``z``/``difference``/``fails`` for an identity."""
        t = self.printed if theory is None else float(theory)
        truth = self.truth
        exact_tol = EXACT_RTOL * max(abs(t), abs(truth))
        if self.shape == "bound":
            slack = (t - truth) if self.side == "upper" else (truth - t)
            res = exact_tol if self.exact is not None else self.crit * self.mc.se
            return {"slack": slack, "resolution": res, "fails": bool(slack < -res)}
        if self.shape == "approximation":
            err = abs(t - truth)
            noise = 0.0 if self.exact is not None else self.crit * self.mc.se
            fails = None
            if self.max_rel is not None or self.max_abs is not None:
                limit = max(self.max_abs or 0.0, (self.max_rel or 0.0) * abs(truth))
                fails = bool(err > limit + noise)
            return {"error": err, "rel_error": err / abs(truth) if truth else math.inf,
                    "resolution": noise, "fails": fails}
        z = None
        fails = False
        if self.mc is not None:
            z = self.mc.z(t)
            fails = abs(z) > self.crit
        if self.exact is not None:
            fails = fails or abs(self.exact - t) > exact_tol
        return {"z": z, "difference": truth - t, "fails": bool(fails)}

    @property
    def value(self) -> float:
        """The headline number a map shows: the slack of a bound, the error of an
        approximation, the z of an identity's Monte Carlo check (its difference without
        one)."""
        d = self.derived()
        if self.shape == "bound":
            return d["slack"]
        if self.shape == "approximation":
            return d["error"]
        return d["z"] if self.mc is not None and self.mc.se > 0 else d["difference"]

    @property
    def fails(self) -> bool | None:
        """Whether the printed statement fails at this point (None: the point cannot say)."""
        return self.derived()["fails"]

    def row(self) -> dict:
        """The point as one flat dict: its inputs and what is derived from them (the
        correction's quantities prefixed ``correction_``; None where not applicable)."""
        out = {"shape": self.shape, "side": self.side, "printed": self.printed,
               "correction": self.correction, "exact": self.exact,
               "mc": None if self.mc is None else self.mc.mean,
               "mc_se": None if self.mc is None else self.mc.se,
               "crit": None if self.mc is None else self.crit, "truth": self.truth}
        out.update(self.derived())
        corr = self.derived(self.correction) if self.correction is not None else None
        for k in self.derived():
            out[f"correction_{k}"] = None if corr is None else corr[k]
        return out


def as_point(result) -> Point:
    """An explorer's result as a :class:`Point`: a Point itself, or the pair ``(theory,
    Estimate)`` of an identity (checked by Monte Carlo; an exact Estimate is the exact
    value)."""
    if isinstance(result, Point):
        return result
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], Estimate):
        t, e = result
        if e.method == "monte_carlo" or e.se > 0:
            return Point.identity(float(t), mc=e)
        return Point.identity(float(t), exact=e.mean)
    raise TypeError(f"an explorer must return a dropmc.explore.Point or (theory, Estimate), "
                    f"got {result!r}")


# -- one point ------------------------------------------------------------------------------

def check_claim(claim) -> Claim:
    """``claim`` (a Claim or an id) if it has an explorer; one-line ValueError saying how to
    list the claims that have one (and why this one has none, when recorded) otherwise."""
    from dropmc import PAPER_KEYS, registry

    if isinstance(claim, str):
        claim = registry.get(claim)
    if not isinstance(claim, Claim):
        raise TypeError(f"claim must be a dropmc Claim or a claim id, got {claim!r}")
    if claim.explorer is None:
        mod = "" if claim.paper in PAPER_KEYS else " --module MOD"
        why = registry.no_explorer_reason(claim)
        raise ValueError(f"claim {claim.id!r} has no explorer; `dropmc list --explorable{mod}` "
                         "lists the claims that have one" + (f" (this one: {why})" if why
                                                             else ""))
    return claim


def describe(claim: Claim) -> str:
    """The claim's explorer parameters with their defaults (and ranges, or a choice's
    options)."""
    ex = claim.explorer
    if hasattr(ex, "describe"):
        return ex.describe()
    return ", ".join(f"{k} = {format_value(v)}" for k, v in claim.explore_params.items())


def format_value(v) -> str:
    """A parameter value as text: a number with ``:g``, a choice as it is."""
    return v if isinstance(v, str) else f"{v:g}"


def ranges(claim: Claim) -> dict[str, tuple[float, float]]:
    """The declared range (lo, hi) of each number parameter that has one."""
    return getattr(claim.explorer, "ranges", {}) or {}


def choices(claim: Claim) -> dict[str, tuple[str, ...]]:
    """The claim's choice parameters and their options, the default first (``{}``: none)."""
    return dict(getattr(claim.explorer, "choices", {}) or {})


def check_name(claim: Claim, name) -> str:
    """``name`` if it is a parameter of the claim's explorer; one-line ValueError listing the
    parameters otherwise."""
    if name not in claim.explore_params:
        raise ValueError(f"claim {claim.id!r} has no parameter {name!r}; its parameters are "
                         f"{describe(claim)}")
    return name


def _check_span(claim: Claim, name: str, lo, hi) -> tuple[float, float]:
    """[lo, hi] of a swept parameter: a number parameter, finite, lo < hi, inside the declared
    range."""
    check_name(claim, name)
    opts = choices(claim).get(name)
    if opts is not None:
        raise ValueError(f"{name} of {claim.id!r} is a choice ({', '.join(opts)}), not a "
                         f"number: hold it fixed (--set {name}=VALUE; {name}=... in Python) "
                         "and sweep a number parameter")
    lo, hi = check_real(f"{name} low end", lo), check_real(f"{name} high end", hi)
    if not lo < hi:
        raise ValueError(f"{name} needs LO < HI, got {lo:g}:{hi:g}")
    r = ranges(claim).get(name)
    if r is not None and not (r[0] <= lo and hi <= r[1]):
        raise ValueError(f"{name} of {claim.id!r} must lie in [{r[0]:g}, {r[1]:g}], got "
                         f"{lo:g}:{hi:g}")
    return lo, hi


def point_params(claim: Claim, fixed: dict) -> dict:
    """The explorer's defaults updated by ``fixed`` (each a known name; a number finite and in
    range, a choice one of its options)."""
    params = dict(claim.explore_params)
    opts = choices(claim)
    for k, v in fixed.items():
        check_name(claim, k)
        if k in opts:
            params[k] = check_choice(f"{k} of {claim.id!r}", v, opts[k])
            continue
        v = check_real(k, v)
        r = ranges(claim).get(k)
        if r is not None and not r[0] <= v <= r[1]:
            raise ValueError(f"{k} of {claim.id!r} must lie in [{r[0]:g}, {r[1]:g}], got {v:g}")
        params[k] = v
    return params


def _precision(precision, budget) -> Precision:
    """The precision's sample-count scale multiplied by ``budget``."""
    check_choice("precision", precision, tuple(PRECISIONS))
    budget = check_real("budget", budget, lo=0.0, hi=MAX_BUDGET, lo_open=True)
    base = PRECISIONS[precision]
    if budget == 1.0:
        return base
    return Precision(f"{base.name}×{budget:g}", base.scale * budget, base.search_examples)


def point_id(claim: Claim, params: dict) -> str:
    """The id of a point's context: the claim's id and every parameter value, exactly (the
    repr of a number as a float, of a choice as a string)."""
    return f"{claim.id}#explore(" + ",".join(
        f"{k}={params[k] if isinstance(params[k], str) else float(params[k])!r}"
        for k in sorted(params)) + ")"


def parse_set(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` (``--set``: a parameter held fixed) → (name, value text)."""
    name, eq, value = text.partition("=")
    if not eq or not name.strip() or not value.strip():
        raise ValueError(f"--set must be NAME=VALUE (e.g. law=uniform or n=16), got {text!r}")
    return name.strip(), value.strip()


def set_values(claim, pairs) -> dict:
    """``--set`` pairs (name, text) as the keywords of :func:`sweep` / :func:`grid`: a choice
    keeps its text, a number parameter's text is read as a float (one-line ValueError naming
    it otherwise); each name once."""
    claim = check_claim(claim)
    opts = choices(claim)
    out = {}
    for name, text in pairs:
        check_name(claim, name)
        if name in out:
            raise ValueError(f"--set {name} is given twice")
        if name in opts:
            out[name] = text
            continue
        try:
            out[name] = float(text)
        except ValueError:
            raise ValueError(f"--set {name} must be a number, got {text!r}") from None
    return out


def _run(claim: Claim, params: dict, seed: int, prec: Precision) -> tuple[Point, float]:
    """Evaluate the explorer at ``params`` in the point's own context: (point, seconds). The
    caller holds BLAS on one thread (:func:`~dropmc.claims.one_blas_thread`), as for a
    claim."""
    ctx = Context(point_id(claim, params), seed, prec)
    t0 = time.perf_counter()
    try:
        pt = as_point(claim.explorer(ctx, **params))
    except (ValueError, TypeError) as exc:
        at = ", ".join(f"{k} = {format_value(v)}" for k, v in params.items())
        raise type(exc)(f"explorer of {claim.id!r} at {at}: {exc}") from exc
    seconds = time.perf_counter() - t0
    if pt.mc is not None:
        pt = dataclasses.replace(pt, crit=ctx.critical(pt.mc.dof, one_sided=pt.shape == "bound"))
    return pt, seconds


def evaluate(claim, *, seed: int = 0, precision: str = "standard", budget: float = 1.0,
             **params) -> Point:
    """The claim's explorer at one point (the other parameters at their defaults), with
    ``crit`` set: ``explore.evaluate("drop_activation.prop5_2.eq15_shift_ratio", p=0.3)``."""
    claim = check_claim(claim)
    seed = check_seed("seed", seed)
    prec = _precision(precision, budget)
    with one_blas_thread():
        return _run(claim, point_params(claim, params), seed, prec)[0]


# -- one parameter: a sweep -----------------------------------------------------------------

class _Table:
    """What a sweep and a grid share: rows, a pandas frame, a text table."""

    claim: Claim
    seconds: np.ndarray

    def _points(self):  # (params, point, seconds) in row order
        raise NotImplementedError

    @property
    def shape(self) -> str:
        return next(self._points())[1].shape

    def rows(self) -> list[dict]:
        """One dict per point: every parameter, the point's inputs and derived quantities
        (:meth:`Point.row`) and the seconds it took."""
        return [{**prm, **pt.row(), "seconds": s} for prm, pt, s in self._points()]

    def to_frame(self):
        """:meth:`rows` as a pandas DataFrame (pandas is optional: ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_frame() needs pandas: pip install pandas (or use .rows(), "
                              "a list of dicts)") from None
        return pd.DataFrame(self.rows())

    def table(self) -> str:
        """The swept parameters and what the shape calls for, one line per point."""
        shape = self.shape
        rows = self.rows()
        first = {"bound": "printed bound", "approximation": "approximation",
                 "identity": "closed form"}[shape]
        cols = [(k, k) for k in self._swept()] + [
            (first, "printed"), ("correction", "correction"), ("exact", "exact"),
            ("Monte Carlo", "mc"), ("± crit·SE", "resolution" if shape != "identity" else None)]
        cols += {"bound": [("slack", "slack"), ("correction slack", "correction_slack")],
                 "approximation": [("|error|", "error"), ("relative", "rel_error")],
                 "identity": [("z", "z"), ("true − closed form", "difference")]}[shape]
        cols += [("printed", "fails"), ("seconds", "seconds")]

        def get(r, key):
            if key is None:  # an identity's Monte Carlo resolution
                return None if r["mc_se"] is None else r["crit"] * r["mc_se"]
            return r[key]

        keep = [(h, k) for h, k in cols if any(get(r, k) is not None for r in rows)]
        if not any(r["exact"] is None and r["mc"] is not None for r in rows):
            keep = [(h, k) for h, k in keep if k != "resolution"]  # the exact tolerance
        cells = [[_cell(get(r, k)) for _, k in keep] for r in rows]
        width = [max(len(h), *(len(c[i]) for c in cells)) for i, (h, _) in enumerate(keep)]
        lines = ["  ".join(f"{h:>{w}}" for (h, _), w in zip(keep, width))]
        lines += ["  ".join(f"{c:>{w}}" for c, w in zip(row, width)) for row in cells]
        return "\n".join(lines)

    def summary(self) -> str:
        """One line: points, where the printed statement fails, seconds per point."""
        pts = [pt for _, pt, _ in self._points()]
        n = len(pts)
        fails = [pt.fails for pt in pts]
        s = np.asarray(self.seconds, float).ravel()
        where = ("no stated accuracy: the error decides no point" if all(f is None for f in fails)
                 else f"the printed statement fails at {sum(bool(f) for f in fails)} of {n} "
                      "points")
        return (f"{self.claim.id}: {n} points ({self.shape}); {where}; {s.mean():.3g} s per "
                f"point (max {s.max():.3g} s, total {s.sum():.3g} s)")


def _cell(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "FAILS" if v else "holds"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


@dataclass(eq=False)
class Sweep(_Table):
    """A claim's explorer at ``xs`` of one parameter ``name`` (the others at ``fixed``):
    ``points`` (:class:`Point`), ``seconds`` each took, and the run's seed, precision and
    budget."""

    claim: Claim
    name: str
    xs: np.ndarray
    points: list[Point]
    seconds: np.ndarray
    seed: int
    precision: str
    budget: float = 1.0
    fixed: dict = field(default_factory=dict)
    #: whether ``xs`` are spaced geometrically
    log: bool = False

    def _points(self):
        for x, pt, s in zip(self.xs, self.points, self.seconds):
            yield {self.name: float(x), **self.fixed}, pt, float(s)

    def _swept(self) -> list[str]:
        return [self.name]

    @property
    def theory(self) -> np.ndarray:
        """The printed closed form at each point."""
        return np.array([pt.printed for pt in self.points])

    @property
    def estimates(self) -> list[Estimate]:
        """The evidence at each point: the Monte Carlo estimate, else the exact value."""
        return [pt.mc if pt.mc is not None else Estimate.exact(pt.exact) for pt in self.points]

    @property
    def crit(self) -> list[float]:
        return [pt.crit for pt in self.points]

    def z(self) -> np.ndarray:
        """z of each point's evidence against the printed side (0 where it has no SE)."""
        return np.array([e.z(t) if e.se > 0 else 0.0 for e, t in zip(self.estimates,
                                                                       self.theory)])

    def values(self) -> np.ndarray:
        """The headline number of each point (:attr:`Point.value`)."""
        return np.array([pt.value for pt in self.points])

    def fails(self) -> np.ndarray:
        """Where the printed statement fails (False where a point cannot say)."""
        return np.array([bool(pt.fails) for pt in self.points])

    def plot(self):
        """The sweep as a figure (:func:`plot`)."""
        return plot(self)


def _check_points(points, hi: int, what: str) -> int:
    n = check_int("points", points)
    if not 2 <= n <= hi:
        raise ValueError(f"points must be in [2, {hi}] {what}, got {n}")
    return n


def _progress(total: int, progress, desc: str):
    from tqdm import tqdm

    if progress is None:
        progress = sys.stderr.isatty()
    return tqdm(total=total, disable=not progress, unit="pt", file=sys.stderr,
                dynamic_ncols=True, desc=desc)


def sweep(claim, name: str, lo: float, hi: float, *, points: int = 9, seed: int = 0,
          precision: str = "standard", budget: float = 1.0, log: bool = False,
          progress: bool | None = None, **fixed) -> Sweep:
    """Evaluate the claim's explorer at ``points`` values of ``name`` evenly spaced in
    [lo, hi] (2 to 200; ``log=True``: geometrically, for a parameter that goes to 0), the
    other parameters at their defaults or ``fixed``; each point in its own context
    (:func:`point_id`). ``progress`` shows a tqdm bar on stderr (None: when stderr is a
    terminal)."""
    claim = check_claim(claim)
    lo, hi = _check_span(claim, name, lo, hi)
    points = _check_points(points, 200, "for a sweep")
    log = _check_log(name, lo, log)
    seed = check_seed("seed", seed)
    prec = _precision(precision, budget)
    if name in fixed:
        raise ValueError(f"{name} is swept; it cannot also be fixed")
    params = point_params(claim, fixed)
    xs = _axis(lo, hi, points, log)
    pts, secs = [], []
    with _progress(points, progress, claim.id[-40:]) as bar, one_blas_thread():
        for x in xs:
            pt, s = _run(claim, {**params, name: float(x)}, seed, prec)
            pts.append(pt)
            secs.append(s)
            bar.update()
    _same_shape(claim, pts)
    return Sweep(claim, name, xs, pts, np.array(secs), seed, precision, float(budget),
                 {k: v for k, v in params.items() if k != name}, log)


def _check_log(name: str, lo: float, log) -> bool:
    if not isinstance(log, (bool, np.bool_)):
        raise TypeError(f"log must be True or False, got {log!r}")
    if log and not lo > 0:
        raise ValueError(f"{name} spaced on a log scale needs LO > 0, got {lo:g}")
    return bool(log)


def _axis(lo: float, hi: float, n: int, log: bool) -> np.ndarray:
    return np.geomspace(lo, hi, n) if log else np.linspace(lo, hi, n)


def _same_shape(claim: Claim, pts) -> None:
    kinds = {(pt.shape, pt.side) for pt in pts}
    if len(kinds) > 1:
        raise ValueError(f"the explorer of {claim.id!r} returned points of different shapes "
                         f"({sorted(kinds, key=str)}); every point must have the same")


# -- two parameters: a map ------------------------------------------------------------------

@dataclass(eq=False)
class Grid(_Table):
    """A claim's explorer on the grid ``xs`` × ``ys`` of two parameters ``names`` (the others
    at ``fixed``): ``points[i][j]`` is the :class:`Point` at (xs[j], ys[i]) and ``seconds``
    the (len(ys), len(xs)) array of the seconds each took."""

    claim: Claim
    names: tuple[str, str]
    xs: np.ndarray
    ys: np.ndarray
    points: list[list[Point]]
    seconds: np.ndarray
    seed: int
    precision: str
    budget: float = 1.0
    fixed: dict = field(default_factory=dict)
    #: whether ``xs`` and ``ys`` are spaced geometrically
    log: tuple[bool, bool] = (False, False)

    def _points(self):
        a, b = self.names
        for i, y in enumerate(self.ys):
            for j, x in enumerate(self.xs):
                yield ({a: float(x), b: float(y), **self.fixed}, self.points[i][j],
                       float(self.seconds[i, j]))

    def _swept(self) -> list[str]:
        return list(self.names)

    def values(self) -> np.ndarray:
        """(len(ys), len(xs)) array of each point's headline number (:attr:`Point.value`)."""
        return np.array([[pt.value for pt in row] for row in self.points])

    def fails(self, correction: bool = False) -> np.ndarray:
        """(len(ys), len(xs)) bool array: where the printed statement (``correction``: the
        correction) fails; False where a point cannot say."""
        def f(pt):
            if correction:
                return pt.correction is not None and bool(pt.derived(pt.correction)["fails"])
            return bool(pt.fails)
        return np.array([[f(pt) for pt in row] for row in self.points])

    def plot(self):
        """The map (:func:`plot_grid`)."""
        return plot_grid(self)


def grid(claim, ranges: dict, *, points=9, seed: int = 0, precision: str = "standard",
         budget: float = 1.0, log=(), progress: bool | None = None, **fixed) -> Grid:
    """Evaluate the claim's explorer on a grid of two parameters, ``ranges = {"A": (lo, hi),
    "B": (lo, hi)}`` (A across, B up), ``points`` per axis (an int or a pair, 2 to 100 each;
    the parameters named in ``log`` spaced geometrically), the other parameters at their
    defaults or ``fixed``. Each point runs in its own context
    (:func:`point_id`), so the grid is reproducible and does not depend on the order the
    points are evaluated in. ``progress`` shows a tqdm bar on stderr (None: when stderr is a
    terminal)."""
    claim = check_claim(claim)
    if not isinstance(ranges, dict) or len(ranges) != 2:
        raise ValueError(f"ranges must map two parameter names of {claim.id!r} to (lo, hi); "
                         f"its parameters are {describe(claim)}")
    spans = []
    for name, span in ranges.items():
        try:
            lo, hi = span
        except (TypeError, ValueError):
            raise ValueError(f"ranges[{name!r}] must be (lo, hi), got {span!r}") from None
        spans.append((name, *_check_span(claim, name, lo, hi)))
    if isinstance(points, (tuple, list)) and len(points) != 2:
        raise ValueError(f"points must be one count or a pair (across, up), got {points!r}")
    nx, ny = (points, points) if not isinstance(points, (tuple, list)) else tuple(points)
    nx, ny = (_check_points(n, 100, "per axis for a map") for n in (nx, ny))
    seed = check_seed("seed", seed)
    prec = _precision(precision, budget)
    (a, alo, ahi), (b, blo, bhi) = spans
    log = (log,) if isinstance(log, str) else tuple(log)
    for name in log:
        if name not in (a, b):
            raise ValueError(f"log names a parameter that is not swept: {name!r} (swept: "
                             f"{a}, {b})")
    la, lb = _check_log(a, alo, a in log), _check_log(b, blo, b in log)
    both = {a, b} & set(fixed)
    if both:
        raise ValueError(f"{sorted(both)[0]} is swept; it cannot also be fixed")
    params = point_params(claim, fixed)
    xs, ys = _axis(alo, ahi, nx, la), _axis(blo, bhi, ny, lb)
    pts = [[None] * nx for _ in range(ny)]
    secs = np.zeros((ny, nx))
    with _progress(nx * ny, progress, claim.id[-40:]) as bar, one_blas_thread():
        for i, y in enumerate(ys):
            for j, x in enumerate(xs):
                pts[i][j], secs[i, j] = _run(claim, {**params, a: float(x), b: float(y)}, seed,
                                             prec)
                bar.update()
    _same_shape(claim, [pt for row in pts for pt in row])
    return Grid(claim, (a, b), xs, ys, pts, secs, seed, precision, float(budget),
                {k: v for k, v in params.items() if k not in (a, b)}, (la, lb))


# -- parsing --------------------------------------------------------------------------------

def parse_param(text: str) -> tuple[str, float, float, bool]:
    """``NAME=LO:HI`` (evenly spaced) or ``NAME=LO:HI:log`` (geometrically) → (name, lo, hi,
    log)."""
    try:
        name, rng = text.split("=", 1)
        parts = rng.split(":")
        log = len(parts) == 3 and parts[2] == "log"
        if len(parts) != 2 + log:
            raise ValueError
        lo, hi = float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError(f"--param must be NAME=LO:HI or NAME=LO:HI:log (e.g. p=0.1:0.9), got "
                         f"{text!r}") from None
    if not name or not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
        raise ValueError(f"--param needs a name and finite LO < HI, got {text!r}")
    if log and not lo > 0:
        raise ValueError(f"--param {text!r}: a log-spaced range needs LO > 0")
    return name, lo, hi, log


# -- figures --------------------------------------------------------------------------------

def _stat_label(pt: Point) -> str:
    """The axis label of what a point's shape calls for."""
    if pt.shape == "bound":
        return ("slack (printed − true)" if pt.side == "upper"
                else "slack (true − printed)") + ";  < 0: fails"
    if pt.shape == "approximation":
        return "|printed − true|"
    return "z of the Monte Carlo check" if pt.mc is not None else "true − printed"


def _runs(mask: np.ndarray):
    """(start, stop) index pairs of the runs of True in ``mask``."""
    i, n = 0, mask.size
    while i < n:
        if mask[i]:
            j = i
            while j + 1 < n and mask[j + 1]:
                j += 1
            yield i, j
            i = j + 1
        else:
            i += 1


def _edges(xs: np.ndarray, log: bool) -> np.ndarray:
    """The n + 1 edges of the cells around n points (midpoints; geometric on a log scale)."""
    t = np.log(xs) if log else np.asarray(xs, float)
    step = np.diff(t)
    e = np.r_[t[0] - step[0] / 2, (t[:-1] + t[1:]) / 2, t[-1] + step[-1] / 2]
    return np.exp(e) if log else e


def _ylim(core, printed) -> tuple[float, float]:
    """y-limits that show ``core`` (the truth and the correction) whole, and the printed
    values as far as they stay within twice the span of the core beyond it (a bound that is
    off by orders of magnitude leaves the axes rather than flattening everything else)."""
    c = np.asarray([v for v in core if np.isfinite(v)], float)
    p = np.asarray([v for v in printed if np.isfinite(v)], float)
    if not c.size:
        c = p
    lo, hi = float(c.min()), float(c.max())
    span = max(hi - lo, 1e-12 * max(abs(lo), abs(hi)), 1e-300)
    inside = p[(p >= lo - 2 * span) & (p <= hi + 2 * span)]
    lo, hi = min([lo, *inside]), max([hi, *inside])
    pad = 0.06 * max(hi - lo, span)
    return lo - pad, hi + pad


def _footer(fig, ex) -> None:
    s = np.asarray(ex.seconds, float)
    fixed = ", ".join(f"{k} = {format_value(v)}" for k, v in ex.fixed.items())
    fig.text(0.01, 0.005, f"seed {ex.seed} · precision {ex.precision}"
             + (f" × budget {ex.budget:g}" if ex.budget != 1 else "")
             + f" · {s.size} points, {s.mean():.2g} s each" + (f" · {fixed}" if fixed else ""),
             fontsize=7, color="0.4")


def plot(sw: Sweep):
    """The sweep as a figure: above, the printed closed form, its correction, the exact value
    and the Monte Carlo estimates with error bars of critical value × SE, the points where the
    printed statement fails shaded; below, what the shape calls for — the slack of a bound,
    the error of an approximation on a log scale (with the slope of the order it claims when
    the swept parameter is the one that goes to 0), the z of an identity."""
    import matplotlib.pyplot as plt

    pts, xs = sw.points, sw.xs
    p0 = pts[0]
    fig, (ax, az) = plt.subplots(2, 1, figsize=(6.4, 5.8), sharex=True,
                                 gridspec_kw={"height_ratios": [3, 1.6]})
    label = {"bound": f"printed {p0.side} bound", "approximation": "printed approximation",
             "identity": "closed form (printed)"}[p0.shape]
    ax.plot(xs, sw.theory, "-", color="C0", lw=1.8, label=label)
    if any(pt.correction is not None for pt in pts):
        ax.plot(xs, [np.nan if pt.correction is None else pt.correction for pt in pts], "--",
                color="C2", lw=1.5, label="correction")
    if any(pt.exact is not None for pt in pts):
        ax.plot(xs, [np.nan if pt.exact is None else pt.exact for pt in pts], "-", color="k",
                lw=1, marker=".", ms=4, label="exact (enumeration / quadrature)")
    if any(pt.mc is not None for pt in pts):
        mc = [(x, pt.mc.mean, pt.crit * pt.mc.se) for x, pt in zip(xs, pts) if pt.mc is not None]
        mx, mm, me = (np.array(v) for v in zip(*mc))
        ax.errorbar(mx, mm, yerr=me, fmt="o", ms=4, color="C3", capsize=3,
                    label="Monte Carlo ± critical value × SE")
    fails = sw.fails()
    edges = _edges(xs, sw.log)
    for k, (i, j) in enumerate(_runs(fails)):
        for a in (ax, az):
            a.axvspan(edges[i], edges[j + 1], color="C3", alpha=0.12, lw=0,
                      label="printed statement fails" if (k == 0 and a is ax) else None)
    core = [pt.truth for pt in pts] + [pt.correction for pt in pts if pt.correction is not None]
    ax.set_ylim(*_ylim(core, sw.theory))
    ax.set_ylabel("value")
    ax.set_title(f"{sw.claim.id}\n{sw.claim.label}", fontsize=10)
    ax.legend(fontsize=8)
    # below: the shape's statistic
    if p0.shape == "bound":
        d = [pt.derived() for pt in pts]
        az.errorbar(xs, [v["slack"] for v in d],
                    yerr=[0 if pt.exact is not None else v["resolution"]
                          for pt, v in zip(pts, d)], fmt="o-", ms=3, color="C0",
                    capsize=2, label="printed")
        if any(pt.correction is not None for pt in pts):
            az.plot(xs, [np.nan if pt.correction is None else pt.derived(pt.correction)["slack"]
                         for pt in pts], "s--", ms=3, color="C2", label="correction")
            az.legend(fontsize=7)
        az.axhline(0, color="0.3", lw=0.8)
        slack = np.abs([v["slack"] for v in d])
        small = np.median(slack[slack > 0]) if np.any(slack > 0) else 0.0
        if small > 0 and slack.max() > 100 * small:  # a few huge slacks: keep the rest legible
            az.set_yscale("symlog", linthresh=small)
    elif p0.shape == "approximation":
        err = np.array([pt.derived()["error"] for pt in pts])
        az.plot(xs, np.where(err > 0, err, np.nan), "o-", ms=3, color="C0", label="printed")
        if any(pt.correction is not None for pt in pts):
            az.plot(xs, [np.nan if pt.correction is None else
                         pt.derived(pt.correction)["error"] or np.nan for pt in pts],
                    "s--", ms=3, color="C2", label="correction")
        if p0.max_rel is not None or p0.max_abs is not None:
            az.plot(xs, [max(pt.max_abs or 0.0, (pt.max_rel or 0.0) * abs(pt.truth))
                         for pt in pts], "-.", color="C3", lw=1, label="stated accuracy")
        az.set_yscale("log")
        if p0.order is not None and p0.order_in == sw.name and np.all(xs > 0) and \
                np.any(err > 0):
            k = int(np.flatnonzero(err > 0)[0])
            az.plot(xs, err[k] * (xs / xs[k]) ** p0.order, ":", color="0.4",
                    label=f"slope {p0.order:g} (the order claimed)")
        az.legend(fontsize=7)
    else:
        if p0.mc is not None:
            c = max(sw.crit)
            az.axhspan(-c, c, color="0.92")
            az.plot(xs, sw.values(), "o-", ms=3, color="C3")
        else:
            az.plot(xs, sw.values(), "o-", ms=3, color="C0")
            az.axhline(0, color="0.3", lw=0.8)
    az.set_ylabel(_stat_label(p0), fontsize=8)
    az.set_xlabel(sw.name)
    if sw.log:
        az.set_xscale("log")  # shared with the panel above
    _footer(fig, sw)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


def _diverging_norm(V: np.ndarray, p0: Point):
    """A colour scale centred at 0 for slacks and z: each side spans up to the 75th
    percentile of its magnitudes (a few extreme points do not wash out the rest; the
    colour bar's arrows say so), z at least to the critical value. Returns (norm,
    colour-bar ``extend``)."""
    from matplotlib import colors

    finite = V[np.isfinite(V)]
    neg, pos = -finite[finite < 0], finite[finite > 0]
    floor = p0.crit * 1.5 if p0.shape == "identity" and p0.mc is not None else 0.0
    lo = max(float(np.percentile(neg, 75)), floor) if neg.size else 0.0
    hi = max(float(np.percentile(pos, 75)), floor) if pos.size else 0.0
    if lo == 0.0 and hi == 0.0:
        lo = hi = 1.0
    lo, hi = lo or hi * 1e-3, hi or lo * 1e-3
    extend = {(False, False): "neither", (True, False): "min", (False, True): "max",
              (True, True): "both"}[(bool(neg.size and neg.max() > lo),
                                     bool(pos.size and pos.max() > hi))]
    return colors.TwoSlopeNorm(vcenter=0.0, vmin=-lo, vmax=hi), extend


def plot_grid(g: Grid):
    """The map of a grid: the slack of a bound (diverging, 0 at the centre), the error of an
    approximation (log10) or the z of an identity, with the region where the printed statement
    fails outlined by a solid contour (and where its correction fails, dashed). The contour
    artists carry the labels ``"printed statement fails"`` and ``"correction fails"``."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    p0 = g.points[0][0]
    V = g.values()
    fig, ax = plt.subplots(figsize=(6.6, 5.2))
    X, Y = np.meshgrid(g.xs, g.ys)
    if p0.shape == "approximation":
        pos = V[V > 0]
        floor = pos.min() if pos.size else 1e-300
        Z = np.log10(np.maximum(V, floor))
        mesh = ax.pcolormesh(X, Y, Z, shading="nearest", cmap="viridis")
        cbar_label = "log10 " + _stat_label(p0)
    else:
        norm, extend = _diverging_norm(V, p0)
        mesh = ax.pcolormesh(X, Y, V, shading="nearest", norm=norm,
                             cmap="RdBu" if p0.shape == "bound" else "RdBu_r")
        cbar_label = _stat_label(p0)
    cbar = fig.colorbar(mesh, ax=ax, label=cbar_label,
                        extend=extend if p0.shape != "approximation" else "neither")
    if p0.shape == "identity" and p0.mc is not None:  # the test's threshold
        c = max(pt.crit for row in g.points for pt in row)
        for v in (-c, c):
            cbar.ax.axhline(v, color="k", lw=1, ls=":")
    handles = []
    for corr, style, color, who in ((False, "solid", "k", "printed statement"),
                                    (True, "dashed", "C2", "correction")):
        if corr and not any(pt.correction is not None for row in g.points for pt in row):
            continue
        if not corr and any(pt.fails is None for row in g.points for pt in row):
            continue  # an approximation without a stated accuracy: no point fails
        F = g.fails(correction=corr)
        if F.any() and not F.all():
            cs = ax.contour(X, Y, F.astype(float), levels=[0.5], colors=color,
                            linestyles=style, linewidths=2.0)
            cs.set_label(f"{who} fails")
            handles.append(Line2D([], [], color=color, ls=style, lw=2,
                                  label=f"{who} fails ({'×' if not corr else '+'})"))
        else:  # nothing to outline
            handles.append(Line2D([], [], color="none", label=f"{who} "
                                  f"{'fails' if F.all() else 'holds'} at every point"))
        if F.any():
            ax.plot(X[F], Y[F], "x" if not corr else "+", color=color, ms=4, ls="none")
    if handles:
        ax.legend(handles=handles, fontsize=8, loc="upper right", framealpha=0.85)
    a, b = g.names
    ax.set_xlabel(a)
    ax.set_ylabel(b)
    if g.log[0]:
        ax.set_xscale("log")
    if g.log[1]:
        ax.set_yscale("log")
    what = {"bound": f"slack of the printed {p0.side} bound",
            "approximation": "error of the printed approximation",
            "identity": "z of the Monte Carlo check" if p0.mc is not None
            else "difference from the closed form"}[p0.shape]
    ax.set_title(f"{g.claim.id}\n{g.claim.label}: {what}", fontsize=10)
    _footer(fig, g)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


def explorable(paper: str | None = None) -> list[Claim]:
    """The claims with an explorer (of ``paper``, or of every loaded catalog)."""
    from dropmc.registry import all_claims

    return [c for c in all_claims(paper) if c.explorer is not None]
