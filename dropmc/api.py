"""The public API: write your own claims and decide them as dropmc decides the papers'.

Everything a user claim needs is here (and re-exported lazily from ``dropmc`` itself)::

    import numpy as np
    from dropmc import Catalog, Kind, judge, mean_estimate, verify

    CATALOG = Catalog("mythm", title="A toy theorem")

    @CATALOG.claim("mean.uniform", label="Eq. 1", kind=Kind.IDENTITY,
                   statement="E U = 1/2 for U uniform on (0, 1)")
    def mean_uniform(ctx):
        u = ctx.rng().random(ctx.budget(100_000))
        return [judge.identity({"law": "U(0,1)"}, 0.5, mean_estimate(u))]

    run = verify(CATALOG.claims, seed=1, precision="quick")
    print(run.results[0].verdict, run.results[0].power)

The same module runs from the command line (``dropmc verify --module mypkg.claims``), from
pytest through the ``dropmc_verify`` fixture or the ``dropmc_claim`` marker (the plugin is
enabled by installing dropmc), and on a Dask cluster (``scheduler=``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from dropmc import judge
from dropmc._validation import (check_choice, check_flag, check_out_dir, check_seed,
                                check_z_star, env_threads)
from dropmc.claims import (PRECISIONS, Z_STAR, CaseResult, Claim, ClaimResult, Context, Kind,
                           Verdict)
from dropmc.distributed import check_scheduler
from dropmc.estimate import (Estimate, binomial_estimate, function_estimate, mean_estimate)
from dropmc.registry import Catalog, all_claims, get, known_keys, load_module, select
from dropmc.runner import Run, evaluate, power

__all__ = ["Catalog", "Kind", "Verdict", "Context", "CaseResult", "Claim", "ClaimResult",
           "Estimate", "judge", "mean_estimate", "function_estimate", "binomial_estimate",
           "evaluate", "power", "verify", "Run", "load_module", "get", "all_claims",
           "PRECISIONS", "Z_STAR", "write_report"]


def _modules(module) -> list:
    """``module`` (one module name or .py path, or a list of them) as a list."""
    if module is None:
        return []
    mods = [module] if isinstance(module, (str, os.PathLike)) else _sequence(module)
    if mods is None or not all(isinstance(m, (str, os.PathLike)) for m in mods):
        raise TypeError("module must be a module name or .py path (str), or a list of them; "
                        f"got {module!r}")
    return [os.fspath(m) for m in mods]


def _sequence(value) -> list | None:
    """``value`` as a list when it is a collection of items (a list, tuple, set, generator),
    else None (a str, bytes, a mapping or a non-iterable is not one)."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return None
    return list(value)


def _resolve(claims=None, mods=(), paper=None) -> list[Claim]:
    """The claims selected by ``claims`` (Claim objects, ids or glob patterns), the catalogs
    of the modules ``mods`` and ``paper``, each once; every claim registered without any."""
    out: list[Claim] = []
    for m in mods:
        for cat in load_module(m):
            out.extend(cat.claims)
    if claims is not None:
        items = [claims] if isinstance(claims, (Claim, str)) else _sequence(claims)
        if items is None:
            raise TypeError("claims must be a Claim, a claim id or pattern (str), or a list of "
                            f"them; got {claims!r}")
        for i, c in enumerate(items):
            if not isinstance(c, (Claim, str)):
                raise TypeError(f"claims[{i}] must be a Claim or a claim id or pattern (str), "
                                f"got {c!r}")
        out.extend(c for c in items if isinstance(c, Claim))
        out.extend(select([c for c in items if isinstance(c, str)]))
    if paper is not None:
        if not isinstance(paper, str) or paper not in known_keys():
            raise ValueError(f"paper must be a paper key ({', '.join(known_keys())}), got "
                             f"{paper!r}")
        out.extend(all_claims(paper))
    if claims is None and not mods and paper is None:
        out = all_claims()
    first: dict[str, Claim] = {}
    for c in out:
        first.setdefault(c.id, c)
    uniq = list(first.values())
    if not uniq:
        raise ValueError("no claim selected")
    return uniq


def verify(claims=None, *, module=None, paper: str | None = None, seed: int | None = None,
           precision: str = "standard", z_star: float = Z_STAR, power: bool = True,
           out=None, scheduler: str | None = None, progress: bool = False, log=None) -> Run:
    """Decide claims and return the :class:`~dropmc.runner.Run` (verdicts, cases, power).

    ``claims``: Claim objects, ids or glob patterns (``"mythm.mean.*"``); ``module``: a module
    name or .py path (or a list) whose catalogs to run; ``paper``: a paper key; none of them:
    every registered claim. ``seed``: a non-negative integer (default: fresh, recorded);
    ``precision``: one of :data:`PRECISIONS`; ``z_star``: in [1, 10], as ``--z-star``.
    ``out``: also write report.json/.md/.html there. ``scheduler``: a Dask scheduler address
    or ``"local:N"`` (N worker processes); the report is the same, bit for bit.
    ``progress`` shows a progress bar; ``log`` (a file) gets one line per finished claim.

    Every argument is checked with the same rules as the command line's options, before any
    claim runs (and, but for ``claims`` and ``paper``, which may name what a module defines,
    before any module is imported): a bad one is a ValueError or TypeError naming it.
    """
    from dropmc import runner

    if seed is not None:
        seed = check_seed("seed", seed)
    check_choice("precision", precision, PRECISIONS)
    z_star = check_z_star("z_star", z_star)
    power = check_flag("power", power)
    progress = check_flag("progress", progress)
    if out is not None:
        check_out_dir("out", out)
    if scheduler is not None:
        check_scheduler("scheduler", scheduler)
    if log is not None and not callable(getattr(log, "write", None)):
        raise TypeError(f"log must be a file (an object with a write method) or None, got {log!r}")
    env_threads("DROPMC_THREADS")  # read by every Monte Carlo kernel: fail once, here
    mods = _modules(module)
    selected = _resolve(claims, mods, paper)
    run = runner.run(selected, seed=seed, precision=precision, z_star=z_star,
                     progress=progress, with_power=power, scheduler=scheduler, modules=mods,
                     log=log)
    if out is not None:
        write_report(run, out)
    return run


def write_report(run: Run, out_dir, figures=None):
    """Write report.json, report.md, report.html (and the manifest) for ``run``."""
    from dropmc import report

    return report.write(run, out_dir, figures)
