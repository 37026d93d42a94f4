"""Evaluate claims and produce :class:`ClaimResult` verdicts, with their power.

**Power.** A verdict is worth what it could have caught. After a claim is CONFIRMED or
APPROXIMATE, :func:`power` re-evaluates it (same seed, hence the same draws) with its theory
side perturbed by a relative δ in the direction that should fail (every judge and the
``ctx.le``/``ge``/``close`` hooks apply it: identities and approximations are multiplied by
1 + δ, bounds are moved by δ·|bound| toward failure) and reports the smallest δ on a
half-decade grid from 1e-12 to 1 that turns the verdict into REFUTED. A claim that no δ ≤ 1
refutes is flagged: its evidence cannot fail, whatever the theory side says.

**Errors.** A claim whose own code fails — it raises, or does not return or yield a list of
judge cases (:class:`dropmc.claims.ClaimError`) — is an ERROR, as a test that raises is in
pytest: not a verdict on the statement, which was not decided. :func:`evaluate` records the
exception in one line, the traceback from the claim's code on and the file:line it points to;
:func:`run` can stop at the first ERROR (``stop_on_error``) and hands the live exception to an
``on_error`` hook (a debugger's post-mortem).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib.util
import os
import re
import sys
import sysconfig
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from dropmc import __version__
from dropmc._validation import check_choice, check_seed, check_z_star
from dropmc.claims import (_CURRENT, CLAIM_SHAPE_HINT, PRECISIONS, Z_STAR, Claim, ClaimResult,
                           EVIDENCE_KINDS, Context, Verdict, aggregate, classify,
                           evidence_kind, summarize, tally)
from dropmc.findings import power_text

#: the power grid: δ = 10^(−k/2), k = 0 … 24 (1 down to 1e-12), searched by bisection
POWER_GRID = tuple(10.0 ** (-k / 2) for k in range(0, 25))


@dataclass
class Run:
    """The results of one ``verify`` run and its provenance."""

    seed: int
    precision: str
    z_star: float
    results: list[ClaimResult]
    seconds: float
    version: str = __version__
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        counts = {v.value: sum(r.verdict is v for r in self.results) for v in Verdict}
        claims = classify([r.to_dict() for r in self.results])
        return {
            "dropmc": self.version,
            "seed": self.seed,
            "precision": self.precision,
            "z_star": self.z_star,
            "seconds": round(self.seconds, 2),
            "counts": counts,
            "meta": self.meta,
            "papers": tally(claims),
            "claims": claims,
        }


def default_seed() -> int:
    """A fresh seed (recorded in the report so the run can be repeated)."""
    return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] >> 1) % (2**63)


def _evaluate_cases(claim: Claim, ctx: Context) -> list:
    token = _CURRENT.set(ctx)
    try:
        return claim.evaluate(ctx)
    finally:
        _CURRENT.reset(token)


def _check_run_args(seed, precision, z_star) -> tuple[int, float]:
    """The checks ``dropmc verify`` and the command line apply, for callers of the runner."""
    check_choice("precision", precision, tuple(PRECISIONS))
    return check_seed("seed", seed), check_z_star("z_star", z_star)


def evaluate(claim: Claim, *, seed: int, precision: str = "standard",
             z_star: float = Z_STAR, catch: bool = True, with_power: bool = False) -> ClaimResult:
    """Run one claim. ``with_power`` adds the claim's power (:func:`power`) when it is
    CONFIRMED or APPROXIMATE.

    An exception inside the claim's code, or a claim that does not return or yield a list of
    judge cases, makes the verdict ERROR: ``error`` holds the exception in one line,
    ``traceback`` the traceback from the claim's own code on, and ``summary`` says
    ``error: <exception> at <file>:<line>; a claim must return or yield a list of judge cases
    (dropmc.judge.*)``, the line being the deepest one in the user's code (else in the claim's
    file; for what the function produced, its ``def``). ``catch=False`` re-raises instead.
    """
    return _evaluate(claim, seed=seed, precision=precision, z_star=z_star, catch=catch,
                     with_power=with_power)[0]


def _evaluate(claim: Claim, *, seed: int, precision: str, z_star: float, catch: bool,
              with_power: bool) -> tuple[ClaimResult, Exception | None]:
    """:func:`evaluate`, and the exception of an ERROR (live: its traceback reaches the claim's
    frames) or None."""
    seed, z_star = _check_run_args(seed, precision, z_star)
    ctx = Context(claim.id, seed, precision, z_star)
    t0 = time.perf_counter()
    failure = tb = err = None
    try:
        cases = _evaluate_cases(claim, ctx)
        verdict = aggregate(claim.kind, cases)
        summary = summarize(verdict, cases)
    except Exception as exc:  # noqa: BLE001 - an ERROR verdict, with its traceback
        if not catch:
            raise
        failure, cases, verdict = exc, [], Verdict.ERROR
        err, tb, where = _describe_failure(claim, exc)
        summary = f"error: {err}" + (f" at {where}" if where else "") + f"; {CLAIM_SHAPE_HINT}"
    res = ClaimResult(claim, verdict, cases, summary, seed, precision, z_star,
                      time.perf_counter() - t0, err, tb)
    res.hooks = ctx.hooks
    if with_power:
        res.power = power(claim, seed=seed, precision=precision, z_star=z_star,
                          verdict=verdict, hooks=ctx.hooks, evidence=Evidence(ctx, cases))
    return res, failure


@dataclass
class Evidence:
    """What one evaluation of a claim recorded: its context (with the judge calls,
    :attr:`Context.judged`) and the cases it returned. :meth:`at` re-decides the cases at
    another δ from these numbers, when :meth:`obstacle` finds nothing that needs sampling or
    searching again."""

    ctx: Context
    cases: list

    def obstacle(self) -> str | None:
        """Why the cases at another δ cannot be computed from the recorded numbers, or None.

        They can when every theory-side hook was reached inside a judge (none in the claim's
        own ``ctx.le``/``ge``/``close``/``perturb`` or in a bare counterexample search: what
        they return steers what the claim computes next; a :func:`~dropmc.judge.search_case`
        is a judge, decided again at each δ on the examples it evaluated) and every judged
        case was returned as the judge made it (a case whose verdict the claim read or changed
        may have steered the rest)."""
        if self.ctx.free_hooks:
            return (f"{self.ctx.free_hooks} theory-side hook(s) outside a judge (the claim's "
                    "own comparisons)")
        returned = {id(c) for c in self.cases}
        for j in self.ctx.judged:
            if id(j.case) not in returned:
                return "a judged case was not returned (its verdict may steer the claim)"
            if j.case.verdict is not j.verdict or j.case.__dict__.get("verdict_overridden"):
                return "the claim changed a judged case's verdict"
        return None

    def at(self, delta: float) -> list:
        """The returned cases with every judged one re-decided at ``delta``."""
        judged = {id(j.case): j for j in self.ctx.judged}
        out = []
        for c in self.cases:
            j = judged.get(id(c))
            if j is not None:
                c = copy.copy(c)  # keeps what the claim set on it after the judge (role, detail)
                c.verdict = j.redecide(delta).verdict
            out.append(c)
        return out


def _one_line(exc: BaseException) -> str:
    """``"NameError: name 'u' is not defined"``: the exception's class and message on one line."""
    msg = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return type(exc).__qualname__ + (f": {msg}" if msg else "")


@functools.lru_cache(maxsize=1)
def _wrapper_files() -> frozenset[str]:
    """The files of the frames between the runner and a claim's code (runner, claim wrapper)."""
    here = os.path.dirname(os.path.realpath(__file__))
    return frozenset(os.path.join(here, f"{m}.py") for m in ("runner", "claims"))


@functools.lru_cache(maxsize=1)
def _library_dirs() -> tuple[str, ...]:
    """Directories whose code is not the user's: dropmc itself (its engine, theory,
    simulations and figures), the standard library and the installed packages."""
    import dropmc

    dirs = [os.path.dirname(dropmc.__file__)]
    for sub in ("theory", "simulations", "figures"):
        spec = importlib.util.find_spec(f"dropmc.{sub}")
        dirs += list(spec.submodule_search_locations or []) if spec else []
    paths = sysconfig.get_paths()
    dirs += [paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")]
    return tuple(os.path.join(os.path.realpath(d), "") for d in dirs)


def _describe_failure(claim: Claim, exc: Exception) -> tuple[str, str, str | None]:
    """``(one-line error, traceback, "file:line")`` of a claim's exception.

    The traceback starts at the claim's own code (the runner's and the wrapper's frames are
    cut; an error about what the function produced has no frame of its own and points to the
    function's ``def``); chained exceptions are kept. The file:line is the deepest frame in the
    user's code, else the deepest in the claim's file, else the last frame.
    """
    te = traceback.TracebackException.from_exception(exc)
    frames = list(te.stack)
    while frames and os.path.realpath(frames[0].filename) in _wrapper_files():
        frames.pop(0)
    source = getattr(claim.evaluate, "source", None)
    if not frames and source is not None:
        frames = [traceback.FrameSummary(*source)]
    te.stack = traceback.StackSummary.from_list(frames)

    def in_user_code(f: traceback.FrameSummary) -> bool:
        return not (f.filename.startswith("<frozen")
                    or os.path.realpath(f.filename).startswith(_library_dirs()))

    in_claim_file = [f for f in frames if source is not None and f.filename == source[0]]
    at = ([f for f in frames if in_user_code(f)] or in_claim_file or frames or [None])[-1]
    where = None if at is None else f"{_display_path(at.filename)}:{at.lineno}"
    return _one_line(exc), "".join(te.format()).rstrip("\n"), where


def _display_path(path: str) -> str:
    """``path`` relative to the working directory when it lies inside it, else as it is."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if rel.startswith(os.pardir) else rel


def _refuted_at(claim: Claim, delta: float, *, seed, precision, z_star,
                cases_out: list | None = None, evidence: Evidence | None = None
                ) -> tuple[bool, str]:
    """Whether the claim is REFUTED with its theory side moved by ``delta``: re-decided from
    the recorded ``evidence`` when given, else by evaluating the claim again."""
    try:
        if evidence is not None:
            cases = evidence.at(delta)
        else:
            cases = _evaluate_cases(claim, Context(claim.id, seed, precision, z_star,
                                                   delta=delta))
    except Exception as exc:  # noqa: BLE001 - a perturbed side that breaks is not a refutation
        # (nor an ERROR: the claim ran unperturbed; only the moved theory side broke it)
        return False, f"error: {type(exc).__name__}"
    if cases_out is not None:
        cases_out.extend(cases)
    v = aggregate(claim.kind, cases)
    return v is Verdict.REFUTED, v.value


#: how :func:`power` finds the cases at each δ: ``"auto"`` from the recorded evidence when
#: nothing needs sampling or searching again (:meth:`Evidence.obstacle`), else by re-running;
#: ``"rerun"`` always re-runs the claim (the reference the recorded path is tested against)
POWER_METHODS = ("auto", "rerun")


def power(claim: Claim, *, seed: int, precision: str = "standard", z_star: float = Z_STAR,
          verdict: Verdict | None = None, hooks: int | None = None,
          evidence: Evidence | None = None, method: str = "auto") -> dict:
    """The smallest relative perturbation δ of the claim's theory side that its evidence refutes,
    for the claim and for each kind of evidence it has.

    Returns a dict: ``delta`` (the smallest refuting δ on :data:`POWER_GRID`, or None),
    ``not_refuted`` (the next smaller grid δ, which did not refute), ``evaluations``,
    ``status`` and ``seconds``. ``status`` is ``"measured"``; ``"at one only"`` when only
    δ = 1 refutes (a bound moved to 0 or a value doubled: a claim can fail there by
    construction, e.g. a positive quantity against a bound moved to 0, so it is not power);
    ``"unfalsifiable"`` when δ = 1 does not refute; ``"no theory side"`` when the evaluation
    reached no perturbation hook; or ``"n/a"`` for a REFUTED, INCONCLUSIVE or ERROR verdict.
    ``cases_at_delta_1`` and ``insensitive_cases`` count the evidence cases at δ = 1 and those
    that hold even there.

    ``by_evidence`` has the same for each kind of evidence present (:func:`evidence_kind`:
    ``"exact"``, ``"monte_carlo"``, ``"search"``): ``{"delta", "not_refuted", "cases",
    "insensitive"}``, the δ being the smallest at which a case of that kind refutes, so that
    exact cases do not hide weak Monte Carlo ones. The claim's δ is the smallest over kinds.
    Each kind is found by bisection on the grid (evaluations shared), which assumes that a
    larger δ is easier to refute, as it is for every judge.

    **How each δ is decided** (``method``, :data:`POWER_METHODS`). The judges record what they
    compared (:class:`Evidence`); with ``"auto"`` the cases at each δ are re-decided from
    those numbers, without sampling again, unless the theory side steers what the claim
    computes (a hook outside a judge, a counterexample search, a judged verdict the claim read
    or changed): then the claim is evaluated again at each δ, as ``"rerun"`` always does.
    ``evidence`` is the unperturbed evaluation's record (:func:`evaluate` passes it; without
    it the claim is evaluated once here). The result says ``"method"``: ``"evidence"`` or
    ``"rerun"``, and ``"rerun_reason"`` for a re-run under ``"auto"``. Both give the same
    power (a test holds every claim to it).
    """
    seed, z_star = _check_run_args(seed, precision, z_star)
    check_choice("method", method, POWER_METHODS)
    t0 = time.perf_counter()
    out = {"delta": None, "not_refuted": None, "evaluations": 0, "status": "n/a"}
    if verdict is None or (evidence is None and method == "auto"):
        ctx = Context(claim.id, seed, precision, z_star)
        try:
            cases = _evaluate_cases(claim, ctx)
            verdict, hooks, evidence = aggregate(claim.kind, cases), ctx.hooks, Evidence(ctx, cases)
        except Exception:  # noqa: BLE001 - an ERROR has no power
            verdict = Verdict.ERROR
    if verdict not in (Verdict.CONFIRMED, Verdict.APPROXIMATE):
        return out
    if hooks == 0:
        out["status"] = "no theory side"
        return out
    reason = "requested" if method == "rerun" else evidence.obstacle()
    out["method"] = "rerun" if reason else "evidence"
    if reason and method == "auto":
        out["rerun_reason"] = reason
    kw = dict(seed=seed, precision=precision, z_star=z_star,
              evidence=None if reason else evidence)
    grid = POWER_GRID
    refuted: dict[int, set] = {}  # grid index -> the kinds of evidence with a refuted case

    def refuted_kinds(i: int, cases_out: list | None = None) -> set:
        if i not in refuted:
            cases: list = []
            _refuted_at(claim, grid[i], cases_out=cases, **kw)
            refuted[i] = {evidence_kind(c) for c in cases if c.verdict is Verdict.REFUTED}
            if cases_out is not None:
                cases_out.extend(cases)
        return refuted[i]

    at_one: list = []
    refuted_kinds(0, at_one)
    evidence = [c for c in at_one if c.role == "evidence"]
    # evidence cases that even δ = 1 leaves unrefuted: they could not have failed
    insensitive = [c for c in evidence if c.verdict is not Verdict.REFUTED]
    out["cases_at_delta_1"] = len(evidence)
    out["insensitive_cases"] = len(insensitive)
    if insensitive:
        out["insensitive_example"] = str(insensitive[0].params)[:160]
    by_kind = {}
    for kind in EVIDENCE_KINDS:
        of_kind = [c for c in evidence if evidence_kind(c) == kind]
        if not of_kind:
            continue
        lo = _smallest_refuting(lambda i: kind in refuted_kinds(i), len(grid))
        by_kind[kind] = {"delta": None if lo is None else grid[lo],
                         "not_refuted": (grid[0] if lo is None else
                                         grid[lo + 1] if lo + 1 < len(grid) else None),
                         "cases": len(of_kind),
                         "insensitive": sum(c.verdict is not Verdict.REFUTED for c in of_kind)}
    out["by_evidence"] = by_kind
    out["evaluations"] = len(refuted)
    found = [k["delta"] for k in by_kind.values() if k["delta"] is not None]
    if not found:
        out["status"] = "unfalsifiable"
        out["not_refuted"] = grid[0]
    else:
        out["delta"] = min(found)
        lo = grid.index(out["delta"])
        out["not_refuted"] = grid[lo + 1] if lo + 1 < len(grid) else None
        out["status"] = "at one only" if lo == 0 else "measured"
    out["seconds"] = round(time.perf_counter() - t0, 3)
    return out


def _smallest_refuting(refutes: Callable[[int], bool], n: int) -> int | None:
    """The largest grid index i (the smallest δ) with ``refutes(i)``, by bisection from
    index 0 (δ = 1), or None when index 0 does not refute."""
    if not refutes(0):
        return None
    lo, hi = 0, n - 1
    if refutes(hi):
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if refutes(mid):
            lo = mid
        else:
            hi = mid
    return lo


@contextlib.contextmanager
def study_directory():
    """A run's study directory (:mod:`dropmc._studies`): within the block, studies are kept
    there, so that the processes of a distributed run (and the figures drawn beside it) compute
    each once. Set in this process's environment and handed to the Dask workers; removed at the
    end. Inside another such block, that one is reused."""
    import shutil
    import tempfile

    from dropmc import _studies

    if os.environ.get(_studies.ENV):
        yield os.environ[_studies.ENV]
        return
    path = tempfile.mkdtemp(prefix="dropmc-studies-")
    os.environ[_studies.ENV] = path
    try:
        yield path
    finally:
        os.environ.pop(_studies.ENV, None)
        shutil.rmtree(path, ignore_errors=True)


def expected_seconds(report: dict | None, precision: str) -> dict[str, float]:
    """``{claim id: seconds}`` a claim took (evaluation and power) in an earlier report
    (``report.json`` as a dict) at the same precision; empty without one."""
    if not report or report.get("precision") != precision:
        return {}
    out = {}
    for c in report.get("claims", []):
        try:
            out[c["id"]] = float(c.get("seconds") or 0.0) + float(
                (c.get("power") or {}).get("seconds") or 0.0)
        except (KeyError, TypeError, ValueError):
            continue
    return out


def run(claims: list[Claim], *, seed: int | None = None, precision: str = "standard",
        z_star: float = Z_STAR, progress: bool | None = None, with_power: bool = True,
        log="auto", scheduler: str | None = None, modules=(), stop_on_error: bool = False,
        on_error: Callable[[ClaimResult, Exception], object] | None = None,
        expected: dict[str, float] | None = None) -> Run:
    """Evaluate ``claims`` in order with a tqdm progress bar (on a terminal by default).

    The bar counts expected seconds, not claims (which take from milliseconds to a minute):
    ``expected`` maps claim ids to the seconds each took in an earlier run
    (:func:`expected_seconds`); a claim without one counts as the median of those known (1 s
    without any). It shows the claim running and an ETA from that work.

    With ``log="auto"`` (the default) and no progress bar, one line per finished claim goes to
    stderr when it is not a terminal, so a long run redirected to a file shows its progress;
    ``log`` may also be a file or None (silent).
    ``with_power`` measures each decided claim's power (:func:`power`). ``scheduler`` runs the
    claims on Dask (:mod:`dropmc.distributed`; ``modules`` are the user modules the workers
    must import); the results are the same as a local run's.

    A claim whose code fails is an ERROR (:func:`evaluate`) and the run goes on, unless
    ``stop_on_error``: then it stops after the first ERROR, ``meta["stopped_on_error"]`` names
    that claim and ``meta["not_run"]`` lists the claims not run (on Dask: not finished when the
    error arrived; they are cancelled). ``on_error(result, exc)`` is called in this process as
    soon as a claim errors, with its ERROR result and the live exception, whose
    ``__traceback__`` reaches the claim's frames: ``pdb.post_mortem(exc.__traceback__)`` debugs
    it, ``traceback.print_exception(exc)`` prints every frame (``result.traceback`` has those
    from the claim's code on). It needs a local run: a worker's frames are out of reach.
    ``meta["titles"]`` records the titles of the user catalogs the claims come from, and
    ``meta["profile"]`` where the time went (:func:`profile`).
    """
    check_choice("precision", precision, tuple(PRECISIONS))
    z_star = check_z_star("z_star", z_star)
    if seed is not None:
        seed = check_seed("seed", seed)
    if on_error is not None and not callable(on_error):
        raise TypeError(f"on_error must be a function (result, exception) or None, "
                        f"got {on_error!r}")
    if on_error is not None and scheduler is not None:
        raise ValueError(f"on_error needs a local run (a Dask worker's frames cannot be reached "
                         f"from here), got scheduler={scheduler!r}")
    if seed is None:
        seed = default_seed()
    if progress is None:
        progress = sys.stderr.isatty()
    if log == "auto":
        log = sys.stderr if (not progress and not sys.stderr.isatty()) else None
    t0 = time.perf_counter()
    results: list[ClaimResult] = []
    errors: list[str] = []  # the claims that errored, in the order their results arrived
    from tqdm import tqdm

    known = [float(v) for v in (expected or {}).values() if v and v > 0]
    default = float(np.median(known)) if known else 1.0
    cost = {c.id: max(float((expected or {}).get(c.id) or default), 1e-3) for c in claims}
    with tqdm(total=round(sum(cost.values()), 1), disable=not progress, unit="s",
              file=sys.stderr, dynamic_ncols=True,
              bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} s of expected work "
                         "[{elapsed}<{remaining}] {postfix}") as bar:

        def starting(c):
            bar.set_description(f"{len(results)}/{len(claims)} claims")
            bar.set_postfix_str(c.id[-60:], refresh=True)

        def finished(r):
            results.append(r)
            if r.verdict is Verdict.ERROR:
                errors.append(r.claim.id)
            bar.set_description(f"{len(results)}/{len(claims)} claims")
            bar.update(round(cost[r.claim.id], 3))
            if log is not None:
                pw = r.power or {}
                ptxt = (f" · power {power_text({'power': pw}, short=True)}"
                        if pw.get("status") not in (None, "n/a") else "")
                etxt = f" — {r.error}" if r.verdict is Verdict.ERROR else ""
                print(f"[{len(results)}/{len(claims)}] {r.claim.id}: {r.verdict.value} "
                      f"({r.seconds:.1f} s{ptxt}){etxt}", file=log, flush=True)
            if stop_on_error and r.verdict is Verdict.ERROR and scheduler is not None:
                raise _StopRun  # out of the scheduler's loop, which cancels what is left

        kw = dict(seed=seed, precision=precision, z_star=z_star, with_power=with_power)
        if scheduler is not None:
            from dropmc.distributed import evaluate_many

            # the most expensive claims first, so that the last to finish are short ones
            order = sorted(claims, key=lambda c: -cost[c.id])
            try:
                with study_directory() as studies:
                    evaluate_many(order, scheduler, evaluate, modules=modules,
                                  on_done=finished, study_dir=studies, **kw)
            except _StopRun:
                pass
            order = {c.id: i for i, c in enumerate(claims)}
            results.sort(key=lambda r: order[r.claim.id])  # they arrive as they finish
        else:
            for c in claims:
                starting(c)
                r, exc = _evaluate(c, catch=True, **kw)
                finished(r)
                if exc is not None and on_error is not None:
                    on_error(r, exc)
                if stop_on_error and r.verdict is Verdict.ERROR:
                    break
    meta = _meta()
    meta["scheduler"] = scheduler or "local"
    seconds = time.perf_counter() - t0
    meta["profile"] = profile(results, claims_wall=seconds)
    titles = _catalog_titles(claims)
    if titles:
        meta["titles"] = titles
    if stop_on_error and errors:
        ran = {r.claim.id for r in results}
        meta["stopped_on_error"] = errors[0]
        meta["not_run"] = [c.id for c in claims if c.id not in ran]
    return Run(seed, precision, z_star, results, seconds, meta=meta)


def _figure_numbers(section: str) -> set[str]:
    """The figures a claim section is about: ``fig9_10_11`` → {fig9_10, fig9_11},
    ``fig3a`` → {fig3}; any other section names itself."""
    m = re.fullmatch(r"(fig\d+)((?:_\d+)*)[a-z]?", section)
    if not m:
        return {section}
    head, tail = m.group(1), [t for t in m.group(2).split("_") if t]
    if len(tail) <= 1:
        return {head + "".join("_" + t for t in tail)}
    return {f"{head}_{t}" for t in tail}


def figure_claims(stem: str, claim_ids) -> list[str]:
    """The claims a figure illustrates (``stem`` is ``<paper>_<name>``): those of its paper
    whose section names the figure (``fig9_10_11`` for ``fig9_11``, ``fig3a`` for ``fig3``) or
    whose section the name extends (``thm2`` for ``thm2_phases``)."""
    out = []
    for cid in claim_ids:
        paper, section = cid.split(".")[:2]
        if not stem.startswith(paper + "_"):
            continue
        name = stem[len(paper) + 1:]
        if name in _figure_numbers(section) or name.startswith(section + "_"):
            out.append(cid)
    return out


def profile(results: list[ClaimResult], figures: dict[str, float | None] | None = None,
            *, figures_wall: float | None = None, claims_wall: float | None = None) -> dict:
    """Where a run spent its time, for report.json's ``meta["profile"]``.

    ``phases``: the seconds of the figures (wall), of the claims' evaluations and of their power
    runs (sums over claims), and the claims phase's wall time. ``claims``: per claim, most
    expensive first, its evaluation and power seconds, how power was found (``"evidence"`` or
    ``"rerun"``) and the figures of its section. ``figures``: per figure the seconds it took
    to draw (None when an earlier drawing under the same stamp was reused) and the claims it
    illustrates (:func:`figure_claims`)."""
    figures = figures or {}
    ids = [r.claim.id for r in results]
    fig_claims = {stem: figure_claims(stem, ids) for stem in figures}
    of_claim: dict[str, list] = {}
    for stem, cs in fig_claims.items():
        for cid in cs:
            of_claim.setdefault(cid, []).append(stem)
    rows = []
    for r in results:
        pw = r.power or {}
        rows.append({"id": r.claim.id, "evaluate": round(r.seconds, 3),
                     "power": round(float(pw.get("seconds") or 0.0), 3),
                     "power_method": pw.get("method"),
                     "figures": of_claim.get(r.claim.id, [])})
    rows.sort(key=lambda d: -(d["evaluate"] + d["power"]))
    phases = {"figures": None if figures_wall is None else round(figures_wall, 2),
              "evaluate": round(sum(d["evaluate"] for d in rows), 2),
              "power": round(sum(d["power"] for d in rows), 2),
              "claims_wall": None if claims_wall is None else round(claims_wall, 2)}
    return {"phases": phases, "claims": rows,
            "figures": {stem: {"seconds": None if sec is None else round(sec, 2),
                               "claims": fig_claims[stem]} for stem, sec in figures.items()}}


class _StopRun(Exception):
    """Raised by a distributed run's callback to leave the scheduler's loop at an ERROR."""


def _catalog_titles(claims: list[Claim]) -> dict[str, str]:
    """``{paper key: title}`` of the user catalogs (``Catalog(key, title=...)``) of ``claims``."""
    from dropmc import registry

    keys = dict.fromkeys(c.paper for c in claims)
    return {k: registry.catalog(k).title for k in keys
            if k in registry.user_papers() and registry.catalog(k).title}


def _meta() -> dict:
    """Versions and platform, recorded in report.json."""
    import platform

    import numba
    import scipy

    return {"python": platform.python_version(), "numpy": np.__version__,
            "scipy": scipy.__version__, "numba": numba.__version__,
            "platform": platform.platform(), "machine": platform.machine(),
            "source": source_provenance()}


#: the packages whose code decides the verdicts
_SOURCE_PACKAGES = ("dropmc", "dropmc.theory", "dropmc.simulations")


def source_digest(packages: tuple[str, ...] = _SOURCE_PACKAGES) -> str:
    """SHA-256 (first 16 hex digits) of the Python sources of ``packages``, by default those
    that decide the verdicts (the engine, the catalogs, ``dropmc.theory`` and
    ``dropmc.simulations``; not the figures): two runs with the same digest, seed and precision
    ran the same code."""
    import hashlib

    h = hashlib.sha256()
    files: dict[str, Path] = {}
    for name in packages:
        root = Path(importlib.util.find_spec(name).origin).parent
        for f in root.rglob("*.py"):
            files[f"{name}/{f.relative_to(root).as_posix()}"] = f
    for key in sorted(files):
        h.update(key.encode() + b"\0" + files[key].read_bytes() + b"\0")
    return h.hexdigest()[:16]


def source_provenance() -> dict:
    """``{"digest": source_digest(), "commit": <git HEAD or None>, "dirty": <bool or None>}``:
    the commit is read when the sources sit in a git checkout (and git is installed); dirty
    says whether tracked files differ from it."""
    import subprocess

    root = Path(importlib.util.find_spec("dropmc").origin).parents[1]
    out = {"digest": source_digest(), "commit": None, "dirty": None}
    try:
        git = ["git", "-C", str(root)]
        out["commit"] = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True,
                                       text=True, timeout=10, check=True).stdout.strip()
        out["dirty"] = bool(subprocess.run(git + ["status", "--porcelain", "-uno"],
                                           capture_output=True, text=True, timeout=10,
                                           check=True).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return out
