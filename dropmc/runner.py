"""Evaluate claims and produce :class:`ClaimResult` verdicts."""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass, field

import numpy as np

from dropmc import __version__
from dropmc.claims import (PRECISIONS, Z_STAR, Claim, ClaimResult, Context, Verdict, aggregate,
                           summarize)


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


def evaluate(claim: Claim, *, seed: int, precision: str = "standard",
             z_star: float = Z_STAR, catch: bool = True) -> ClaimResult:
    """Run one claim. An exception inside a claim becomes an INCONCLUSIVE verdict with the
    error recorded (``catch=False`` re-raises, which the tests use)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}; got {precision!r}")
    ctx = Context(claim.id, seed, precision, z_star)
    t0 = time.perf_counter()
    try:
        cases = claim.evaluate(ctx)
        verdict = aggregate(claim.kind, cases)
        summary = summarize(verdict, cases)
        err = None
    except Exception as exc:  # noqa: BLE001 - reported, never swallowed silently
        if not catch:
            raise
        cases, verdict = [], Verdict.INCONCLUSIVE
        err = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        summary = f"evaluation failed: {err}"
    return ClaimResult(claim, verdict, cases, summary, seed, precision, z_star,
                       time.perf_counter() - t0, err)


def run(claims: list[Claim], *, seed: int | None = None, precision: str = "standard",
        z_star: float = Z_STAR, progress: bool | None = None) -> Run:
    """Evaluate ``claims`` in order with a tqdm progress bar (on a terminal by default)."""
    if seed is None:
        seed = default_seed()
    if progress is None:
        progress = sys.stderr.isatty()
    t0 = time.perf_counter()
    results = []
    from tqdm import tqdm

    with tqdm(total=len(claims), disable=not progress, unit="claim", file=sys.stderr,
              dynamic_ncols=True) as bar:
        for c in claims:
            bar.set_description(c.id[:48])
            results.append(evaluate(c, seed=seed, precision=precision, z_star=z_star))
            bar.update()
    return Run(seed, precision, z_star, results, time.perf_counter() - t0)
