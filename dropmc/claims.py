"""The claim model: what a paper says, how it is checked, and the verdict.

A :class:`Claim` records a stable id (``<paper_key>.<label>.<slug>``), the paper key, the
printed label (``"Property 5.1, Eq. 10, Eq. 11"``), one sentence stating it, its
:class:`Kind`, whether it is the paper's own statement (``as_printed``) or a correction of
another claim (``corrects``), and ``evaluate``: a callable that receives a :class:`Context`
and returns a list of :class:`CaseResult`. The claim's verdict is aggregated from its cases by
:func:`aggregate`. Claims pair a closed form from ``dropmc.theory`` with an estimator from
``dropmc.simulations``; they never compute a side themselves beyond gluing the two.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable

import numpy as np

from dropmc.estimate import Estimate


class Kind(str, Enum):
    """How a claim is judged (DESIGN.md, "Claims and verdicts")."""

    IDENTITY = "identity"                # exact equality (in expectation)
    INEQUALITY = "inequality"            # holds for all inputs: counterexample search + edges
    BOUND = "bound"                      # bound on an expectation: one-sided z-test
    PROBABILITY_BOUND = "probability_bound"  # bound on a probability: binomial one-sided test
    APPROXIMATION = "approximation"      # measured error and its order
    DISTRIBUTION = "distribution"        # goodness of fit against a stated density
    VALUE = "value"                      # a printed number or range read off a closed form


class Verdict(str, Enum):
    CONFIRMED = "CONFIRMED"
    REFUTED = "REFUTED"
    APPROXIMATE = "APPROXIMATE"
    INCONCLUSIVE = "INCONCLUSIVE"


@dataclass(frozen=True)
class Precision:
    """A budget level: Monte Carlo sample counts are multiplied by ``scale``."""

    name: str
    scale: float
    search_examples: int  # hypothesis examples per counterexample search


PRECISIONS = {
    "quick": Precision("quick", 1 / 16, 150),
    "standard": Precision("standard", 1.0, 1000),
    "high": Precision("high", 8.0, 5000),
}

#: default two-sided threshold; a few hundred checks have a family-wise false alarm rate ~1e-3
Z_STAR = 4.5
#: relative tolerance for exact (enumerated, closed form) comparisons
EXACT_RTOL = 1e-10


def claim_seed_sequence(seed: int, claim_id: str) -> np.random.SeedSequence:
    """The claim's own stream: the run seed plus a stable hash of the id as spawn key.

    It does not depend on which other claims run or in which order.
    """
    return np.random.SeedSequence(int(seed), spawn_key=(zlib.crc32(claim_id.encode()),))


class Context:
    """What a claim's ``evaluate`` receives: precision, z*, its own random streams."""

    def __init__(self, claim_id: str, seed: int, precision: str | Precision = "standard",
                 z_star: float = Z_STAR):
        self.claim_id = claim_id
        self.seed = int(seed)
        self.precision = PRECISIONS[precision] if isinstance(precision, str) else precision
        self.z_star = float(z_star)
        self.seed_sequence = claim_seed_sequence(self.seed, claim_id)
        self._spawned = 0

    def budget(self, n_standard: int, minimum: int = 64) -> int:
        """Sample count for this precision, from the count used at ``standard``."""
        return max(int(minimum), int(round(n_standard * self.precision.scale)))

    def stream(self) -> np.random.SeedSequence:
        """A fresh child SeedSequence (the k-th call always gives the same child)."""
        child = np.random.SeedSequence(self.seed_sequence.entropy,
                                       spawn_key=self.seed_sequence.spawn_key + (self._spawned,))
        self._spawned += 1
        return child

    def rng(self) -> np.random.Generator:
        """A fresh PCG64 generator on the next child stream."""
        return np.random.Generator(np.random.PCG64(self.stream()))

    @property
    def search_examples(self) -> int:
        return self.precision.search_examples


@dataclass
class CaseResult:
    """One parameter case of a claim, with both sides and the decision.

    ``theory`` is the closed-form side, ``estimate`` the evidence (MC, enumeration, quadrature).
    ``resolution`` is z*·SE for statistical checks (the half-width of what "confirmed" means),
    or the tolerance of an exact comparison. ``error`` holds measured errors of approximations.
    """

    params: dict
    verdict: Verdict
    theory: float | None = None
    estimate: Estimate | None = None
    z: float | None = None
    resolution: float | None = None
    detail: str = ""
    error: dict | None = None
    #: True for one-sided tests, whose z is measured toward a violation of the bound
    one_sided: bool = False

    def to_dict(self) -> dict:
        est = self.estimate
        return {
            "params": _jsonable(self.params),
            "verdict": self.verdict.value,
            "theory": _num(self.theory),
            "estimate": _num(est.mean) if est else None,
            "se": _num(est.se) if est else None,
            "z": _num(self.z),
            "resolution": _num(self.resolution),
            "method": est.method if est else None,
            "n": est.n if est else None,
            "seed": est.to_dict()["seed"] if est else None,
            "detail": self.detail,
            "error": _jsonable(self.error),
            "one_sided": self.one_sided,
        }


def _num(x):
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _jsonable(obj):
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _num(obj)
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, Enum):
        return obj.value
    return str(obj)


@dataclass
class Claim:
    """A registered statement of a paper and the callable that decides it."""

    id: str
    paper: str
    label: str
    statement: str
    kind: Kind
    evaluate: Callable[[Context], list[CaseResult]]
    as_printed: bool = True
    corrects: str | None = None
    note: str = ""
    slow: bool = False

    def __post_init__(self):
        if not self.id.startswith(self.paper + "."):
            raise ValueError(f"claim id {self.id!r} must start with its paper key {self.paper!r}")
        if self.corrects is not None and self.as_printed:
            raise ValueError(f"claim {self.id!r}: a correction (corrects={self.corrects!r}) "
                             "cannot be as_printed")

    @property
    def doc(self) -> str:
        return (self.evaluate.__doc__ or "").strip()


@dataclass
class ClaimResult:
    """A claim's verdict with its cases and the run's provenance."""

    claim: Claim
    verdict: Verdict
    cases: list[CaseResult]
    summary: str
    seed: int
    precision: str
    z_star: float
    seconds: float
    error: str | None = None

    def to_dict(self) -> dict:
        c = self.claim
        ss = claim_seed_sequence(self.seed, c.id)
        return {
            "id": c.id,
            "paper": c.paper,
            "label": c.label,
            "statement": c.statement,
            "kind": c.kind.value,
            "verdict": self.verdict.value,
            "as_printed": c.as_printed,
            "corrects": c.corrects,
            "note": c.note,
            "summary": self.summary,
            "seed": self.seed,
            "spawn_key": list(ss.spawn_key),
            "precision": self.precision,
            "z_star": self.z_star,
            "seconds": round(self.seconds, 3),
            "error": self.error,
            "cases": [cr.to_dict() for cr in self.cases],
        }


def aggregate(kind: Kind, cases: list[CaseResult]) -> Verdict:
    """Claim verdict from case verdicts: any REFUTED refutes; any INCONCLUSIVE leaves it open;
    an approximation whose cases are all measured is APPROXIMATE; otherwise CONFIRMED."""
    if not cases:
        return Verdict.INCONCLUSIVE
    vs = [c.verdict for c in cases]
    if Verdict.REFUTED in vs:
        return Verdict.REFUTED
    if Verdict.INCONCLUSIVE in vs:
        return Verdict.INCONCLUSIVE
    if Verdict.APPROXIMATE in vs:
        return Verdict.APPROXIMATE
    return Verdict.CONFIRMED


def summarize(verdict: Verdict, cases: list[CaseResult]) -> str:
    """One line for the report: what was decided and to what precision."""
    n = len(cases)
    if verdict is Verdict.REFUTED:
        bad = next(c for c in cases if c.verdict is Verdict.REFUTED)
        msg = bad.detail or ""
        if bad.z is not None and not msg:
            msg = f"z = {bad.z:.3g}"
        return f"refuted in {sum(c.verdict is Verdict.REFUTED for c in cases)}/{n} cases; {msg}".strip()
    if verdict is Verdict.INCONCLUSIVE:
        bad = next(c for c in cases if c.verdict is Verdict.INCONCLUSIVE)
        return f"undecided: {bad.detail}"
    if verdict is Verdict.APPROXIMATE:
        rels = [c.error.get("rel") for c in cases if c.error and c.error.get("rel") is not None]
        abss = [c.error.get("abs") for c in cases if c.error and c.error.get("abs") is not None]
        parts = []
        if abss:
            parts.append(f"max abs error {max(abss):.3g}")
        if rels:
            parts.append(f"max rel error {max(rels):.3g}")
        extra = "; ".join(c.detail for c in cases if c.detail)[:300]
        return f"{n} cases; " + ", ".join(parts) + (f"; {extra}" if extra else "")
    # confirmed: say to what precision
    stat = [c for c in cases if c.estimate is not None and c.estimate.se > 0 and c.resolution]
    exact = [c for c in cases if c.estimate is not None and c.estimate.se == 0]
    parts = [f"{n} cases"]
    if stat:
        # relative resolution where the value is resolved at all, absolute otherwise
        resolved = lambda c: c.theory is not None and abs(c.theory) > c.resolution
        rel = [c.resolution / abs(c.theory) for c in stat if resolved(c)]
        absolute = [c.resolution for c in stat if not resolved(c)]
        if rel:
            parts.append(f"Monte Carlo to within ±{max(rel):.2%} relative (z*·SE, worst case)")
        if absolute:
            parts.append(f"Monte Carlo to within ±{max(absolute):.3g} absolute (z*·SE, worst case)")
        zs = [abs(c.z) for c in stat if c.z is not None and not c.one_sided]
        if zs:
            parts.append(f"max |z| = {max(zs):.2f}")
        zo = [c.z for c in stat if c.z is not None and c.one_sided]
        if zo:
            parts.append(f"largest one-sided z toward a violation = {max(zo):.2f}")
    if exact:
        tols = [c.resolution for c in exact if c.resolution]
        tol = f"; tolerance ≤ {max(tols):.1g}" if tols else ""
        parts.append(f"{len(exact)} deterministic (enumeration, closed form or quadrature{tol})")
    others = [c.detail for c in cases if c.detail and (c.estimate is None or c.estimate.method
                                                        in ("optimisation", "search"))]
    if others:
        parts.append(others[0][:200])
    return "; ".join(parts)
