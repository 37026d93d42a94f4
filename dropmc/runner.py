"""Evaluate claims and produce :class:`ClaimResult` verdicts, with their power.

**Power.** A verdict is worth what it could have caught. After a claim is CONFIRMED or
APPROXIMATE, :func:`power` re-evaluates it (same seed, hence the same draws) with its theory
side perturbed by a relative δ in the direction that should fail (every judge and the
``ctx.le``/``ge``/``close`` hooks apply it: identities and approximations are multiplied by
1 + δ, bounds are moved by δ·|bound| toward failure) and reports the smallest δ on a
half-decade grid from 1e-12 to 1 that turns the verdict into REFUTED. A claim that no δ ≤ 1
refutes is flagged: its evidence cannot fail, whatever the theory side says.
"""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass, field

import numpy as np

from dropmc import __version__
from dropmc.claims import (_CURRENT, PRECISIONS, Z_STAR, Claim, ClaimResult, Context, Verdict,
                           aggregate, summarize)

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
        return {
            "dropmc": self.version,
            "seed": self.seed,
            "precision": self.precision,
            "z_star": self.z_star,
            "seconds": round(self.seconds, 2),
            "counts": counts,
            "meta": self.meta,
            "claims": [r.to_dict() for r in self.results],
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


def evaluate(claim: Claim, *, seed: int, precision: str = "standard",
             z_star: float = Z_STAR, catch: bool = True, with_power: bool = False) -> ClaimResult:
    """Run one claim. An exception inside a claim becomes an INCONCLUSIVE verdict with the
    error recorded (``catch=False`` re-raises, which the tests use). ``with_power`` adds the
    claim's power (:func:`power`) when it is CONFIRMED or APPROXIMATE."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}; got {precision!r}")
    ctx = Context(claim.id, seed, precision, z_star)
    t0 = time.perf_counter()
    try:
        cases = _evaluate_cases(claim, ctx)
        verdict = aggregate(claim.kind, cases)
        summary = summarize(verdict, cases)
        err = None
    except Exception as exc:  # noqa: BLE001 - reported, never swallowed silently
        if not catch:
            raise
        cases, verdict = [], Verdict.INCONCLUSIVE
        err = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        summary = f"evaluation failed: {err}"
    res = ClaimResult(claim, verdict, cases, summary, seed, precision, z_star,
                      time.perf_counter() - t0, err)
    res.hooks = ctx.hooks
    if with_power:
        res.power = power(claim, seed=seed, precision=precision, z_star=z_star,
                          verdict=verdict, hooks=ctx.hooks)
    return res


def _refuted_at(claim: Claim, delta: float, *, seed, precision, z_star,
                cases_out: list | None = None) -> tuple[bool, str]:
    ctx = Context(claim.id, seed, precision, z_star, delta=delta)
    try:
        cases = _evaluate_cases(claim, ctx)
    except Exception as exc:  # noqa: BLE001 - a perturbed side that breaks is not a refutation
        return False, f"error: {type(exc).__name__}"
    if cases_out is not None:
        cases_out.extend(cases)
    v = aggregate(claim.kind, cases)
    return v is Verdict.REFUTED, v.value


def power(claim: Claim, *, seed: int, precision: str = "standard", z_star: float = Z_STAR,
          verdict: Verdict | None = None, hooks: int | None = None) -> dict:
    """The smallest relative perturbation δ of the claim's theory side that its evidence refutes.

    Returns a dict: ``delta`` (the smallest refuting δ on :data:`POWER_GRID`, or None),
    ``not_refuted`` (the next smaller grid δ, which did not refute), ``evaluations``,
    ``status`` (``"measured"``, ``"unfalsifiable"`` when δ = 1 does not refute,
    ``"no theory side"`` when the evaluation reached no perturbation hook, or ``"n/a"`` for a
    REFUTED or INCONCLUSIVE verdict) and ``seconds``. Bisection assumes that a larger δ is
    easier to refute, which holds for every judge.
    """
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
    at_one: list = []
    ok, _ = _refuted_at(claim, grid[0], cases_out=at_one, **kw)
    out["evaluations"] = 1
    # evidence cases that even δ = 1 leaves unrefuted: they could not have failed
    insensitive = [c for c in at_one if c.role == "evidence" and c.verdict is not Verdict.REFUTED]
    out["cases_at_delta_1"] = len([c for c in at_one if c.role == "evidence"])
    out["insensitive_cases"] = len(insensitive)
    if insensitive:
        out["insensitive_example"] = str(insensitive[0].params)[:160]
    if not ok:
        out["status"] = "unfalsifiable"
        out["not_refuted"] = grid[0]
        out["seconds"] = round(time.perf_counter() - t0, 3)
        return out
    lo, hi = 0, len(grid) - 1  # grid[lo] refutes; find the last (smallest δ) index that does
    ok_hi, _ = _refuted_at(claim, grid[hi], **kw)
    out["evaluations"] += 1
    if ok_hi:
        lo = hi
    else:
        while hi - lo > 1:
            mid = (lo + hi) // 2
            r, _ = _refuted_at(claim, grid[mid], **kw)
            out["evaluations"] += 1
            if r:
                lo = mid
            else:
                hi = mid
    out["delta"] = grid[lo]
    out["not_refuted"] = grid[lo + 1] if lo + 1 < len(grid) else None
    out["status"] = "measured"
    out["seconds"] = round(time.perf_counter() - t0, 3)
    return out


def run(claims: list[Claim], *, seed: int | None = None, precision: str = "standard",
        z_star: float = Z_STAR, progress: bool | None = None, with_power: bool = True,
        log="auto", scheduler: str | None = None, modules=()) -> Run:
    """Evaluate ``claims`` in order with a tqdm progress bar (on a terminal by default).

    With ``log="auto"`` (the default) and no progress bar, one line per finished claim goes to
    stderr when it is not a terminal, so a long run redirected to a file shows its progress;
    ``log`` may also be a file or None (silent).
    ``with_power`` measures each decided claim's power (:func:`power`). ``scheduler`` runs the
    claims on Dask (:mod:`dropmc.distributed`; ``modules`` are the user modules the workers
    must import); the results are the same as a local run's.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}; got {precision!r}")
    if seed is None:
        seed = default_seed()
    if progress is None:
        progress = sys.stderr.isatty()
    if log == "auto":
        log = sys.stderr if (not progress and not sys.stderr.isatty()) else None
    t0 = time.perf_counter()
    results = []
    from tqdm import tqdm

    with tqdm(total=len(claims), disable=not progress, unit="claim", file=sys.stderr,
              dynamic_ncols=True) as bar:
        done = [0]

        def finished(r):
            done[0] += 1
            bar.set_description(r.claim.id[:48])
            bar.update()
            if log is not None:
                pw = r.power or {}
                ptxt = (f" · power δ = {pw['delta']:.0e}" if pw.get("delta") else
                        f" · power: {pw['status']}" if pw.get("status") not in (None, "n/a") else "")
                print(f"[{done[0]}/{len(claims)}] {r.claim.id}: {r.verdict.value} "
                      f"({r.seconds:.1f} s{ptxt})", file=log, flush=True)

        kw = dict(seed=seed, precision=precision, z_star=z_star, with_power=with_power)
        if scheduler is not None:
            from dropmc.distributed import evaluate_many

            results = evaluate_many(claims, scheduler, evaluate, modules=modules, on_done=finished,
                                    **kw)
        else:
            for c in claims:
                r = evaluate(c, **kw)
                results.append(r)
                finished(r)
    meta = _meta()
    meta["scheduler"] = scheduler or "local"
    return Run(seed, precision, z_star, results, time.perf_counter() - t0, meta=meta)


def _meta() -> dict:
    """Versions and platform, recorded in report.json."""
    import platform

    import numba
    import scipy

    return {"python": platform.python_version(), "numpy": np.__version__,
            "scipy": scipy.__version__, "numba": numba.__version__,
            "platform": platform.platform(), "machine": platform.machine()}
