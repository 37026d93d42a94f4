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

import functools
import importlib.util
import os
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
                          verdict=verdict, hooks=ctx.hooks)
    return res, failure


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
                cases_out: list | None = None) -> tuple[bool, str]:
    ctx = Context(claim.id, seed, precision, z_star, delta=delta)
    try:
        cases = _evaluate_cases(claim, ctx)
    except Exception as exc:  # noqa: BLE001 - a perturbed side that breaks is not a refutation
        # (nor an ERROR: the claim ran unperturbed; only the moved theory side broke it)
        return False, f"error: {type(exc).__name__}"
    if cases_out is not None:
        cases_out.extend(cases)
    v = aggregate(claim.kind, cases)
    return v is Verdict.REFUTED, v.value


def power(claim: Claim, *, seed: int, precision: str = "standard", z_star: float = Z_STAR,
          verdict: Verdict | None = None, hooks: int | None = None) -> dict:
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
    """
    seed, z_star = _check_run_args(seed, precision, z_star)
    t0 = time.perf_counter()
    out = {"delta": None, "not_refuted": None, "evaluations": 0, "status": "n/a"}
    if verdict is None:
        verdict = evaluate(claim, seed=seed, precision=precision, z_star=z_star).verdict
    if verdict not in (Verdict.CONFIRMED, Verdict.APPROXIMATE):
        return out
    if hooks == 0:
        out["status"] = "no theory side"
        return out
    kw = dict(seed=seed, precision=precision, z_star=z_star)
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


def run(claims: list[Claim], *, seed: int | None = None, precision: str = "standard",
        z_star: float = Z_STAR, progress: bool | None = None, with_power: bool = True,
        log="auto", scheduler: str | None = None, modules=(), stop_on_error: bool = False,
        on_error: Callable[[ClaimResult, Exception], object] | None = None) -> Run:
    """Evaluate ``claims`` in order with a tqdm progress bar (on a terminal by default).

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
    ``meta["titles"]`` records the titles of the user catalogs the claims come from.
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

    with tqdm(total=len(claims), disable=not progress, unit="claim", file=sys.stderr,
              dynamic_ncols=True) as bar:

        def finished(r):
            results.append(r)
            if r.verdict is Verdict.ERROR:
                errors.append(r.claim.id)
            bar.set_description(r.claim.id[:48])
            bar.update()
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

            try:
                evaluate_many(claims, scheduler, evaluate, modules=modules, on_done=finished, **kw)
            except _StopRun:
                pass
            order = {c.id: i for i, c in enumerate(claims)}
            results.sort(key=lambda r: order[r.claim.id])  # they arrive as they finish
        else:
            for c in claims:
                r, exc = _evaluate(c, catch=True, **kw)
                finished(r)
                if exc is not None and on_error is not None:
                    on_error(r, exc)
                if stop_on_error and r.verdict is Verdict.ERROR:
                    break
    meta = _meta()
    meta["scheduler"] = scheduler or "local"
    titles = _catalog_titles(claims)
    if titles:
        meta["titles"] = titles
    if stop_on_error and errors:
        ran = {r.claim.id for r in results}
        meta["stopped_on_error"] = errors[0]
        meta["not_run"] = [c.id for c in claims if c.id not in ran]
    return Run(seed, precision, z_star, results, time.perf_counter() - t0, meta=meta)


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
