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

from dropmc import judge
from dropmc.claims import (PRECISIONS, Z_STAR, CaseResult, Claim, ClaimResult, Context, Kind,
                           Verdict)
from dropmc.estimate import (Estimate, binomial_estimate, function_estimate, mean_estimate)
from dropmc.registry import Catalog, all_claims, get, load_module
from dropmc.runner import Run, evaluate, power

__all__ = ["Catalog", "Kind", "Verdict", "Context", "CaseResult", "Claim", "ClaimResult",
           "Estimate", "judge", "mean_estimate", "function_estimate", "binomial_estimate",
           "evaluate", "power", "verify", "Run", "load_module", "get", "all_claims",
           "PRECISIONS", "Z_STAR", "write_report"]


def _resolve(claims=None, module=None, paper=None) -> list[Claim]:
    out: list[Claim] = []
    mods = [module] if isinstance(module, str) else list(module or [])
    for m in mods:
        for cat in load_module(m):
            out.extend(cat.claims)
    if claims is not None:
        if isinstance(claims, (Claim, str)):
            claims = [claims]
        for c in claims:
            out.append(get(c) if isinstance(c, str) else c)
    if paper is not None:
        out.extend(all_claims(paper))
    if claims is None and module is None and paper is None:
        out = all_claims()
    seen, uniq = set(), []
    for c in out:
        if c.id not in seen:
            seen.add(c.id)
            uniq.append(c)
    if not uniq:
        raise ValueError("no claim selected")
    return uniq


def verify(claims=None, *, module=None, paper: str | None = None, seed: int | None = None,
           precision: str = "standard", z_star: float = Z_STAR, power: bool = True,
           out=None, scheduler: str | None = None, progress: bool = False, log=None) -> Run:
    """Decide claims and return the :class:`~dropmc.runner.Run` (verdicts, cases, power).

    ``claims``: Claim objects or ids; ``module``: a module name or .py path (or a list) whose
    catalogs to run; ``paper``: a paper key; none of them: every registered claim.
    ``out``: also write report.json/.md/.html there. ``scheduler``: a Dask scheduler address
    or ``"local:N"`` (N worker processes); the report is the same, bit for bit.
    ``progress`` shows a progress bar; ``log`` (a file) gets one line per finished claim.
    """
    from dropmc import runner

    mods = [module] if isinstance(module, str) else list(module or [])
    selected = _resolve(claims, module, paper)
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
