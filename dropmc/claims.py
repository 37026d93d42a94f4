"""The claim model: what a paper says, how it is checked, and the verdict.

A :class:`Claim` records a stable id (``<paper_key>.<label>.<slug>``), the paper key, the
printed label (``"Property 5.1, Eq. 10, Eq. 11"``), one sentence stating it, its
:class:`Kind`, whether it is the paper's own statement (``as_printed``) or a correction of
another claim (``corrects``), and the function that decides it. That function receives a
:class:`Context` (and, when it has an ``rng`` parameter, a generator on the claim's first
stream) and *yields* (or returns a list of) :class:`CaseResult`, each made by a judge of
:mod:`dropmc.judge`. ``Claim.evaluate(ctx)`` runs it with ``ctx`` as the current context and
returns the list of cases; the claim's verdict is aggregated from them by :func:`aggregate`.
A function that raises, or produces anything but a list of cases (:class:`ClaimError`), makes
the verdict ERROR (:func:`dropmc.runner.evaluate`): the statement was not decided.
Claims pair a closed form from ``dropmc.theory`` with evidence from ``dropmc.simulations``
(see ``docs/architecture.md``).
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import linecache
import math
import zlib
from dataclasses import KW_ONLY, dataclass, field
from enum import Enum
from typing import Callable

import numpy as np

from dropmc.estimate import Estimate


class Kind(str, Enum):
    """How a claim is judged (``docs/architecture.md``, "The claim model")."""

    IDENTITY = "identity"                # exact equality (in expectation)
    INEQUALITY = "inequality"            # holds for all inputs: counterexample search + edges
    BOUND = "bound"                      # bound on an expectation: one-sided z-test
    PROBABILITY_BOUND = "probability_bound"  # bound on a probability: binomial one-sided test
    APPROXIMATION = "approximation"      # measured error and its order
    DISTRIBUTION = "distribution"        # goodness of fit against a stated density
    VALUE = "value"                      # a printed number or range read off a closed form


class Verdict(str, Enum):
    """A claim's verdict. The first four are verdicts on the statement (aggregated from its
    cases by :func:`aggregate`); ERROR says the claim's own code failed (it raised, or did not
    return or yield a list of judge cases), so the statement was not decided at all."""

    CONFIRMED = "CONFIRMED"
    REFUTED = "REFUTED"
    APPROXIMATE = "APPROXIMATE"
    INCONCLUSIVE = "INCONCLUSIVE"
    ERROR = "ERROR"

    @classmethod
    def parse(cls, name: str, value) -> "Verdict":
        """``value`` (a Verdict or its name, any case) as a Verdict; ValueError naming
        ``name``, the value and the verdicts allowed otherwise."""
        if isinstance(value, cls):
            return value
        try:
            return cls(str(value).upper())
        except ValueError:
            raise ValueError(f"{name} must be one of {', '.join(v.value for v in cls)}; "
                             f"got {value!r}") from None


#: what a claim's function must produce, said by every error about what it produced instead
CLAIM_SHAPE_HINT = "a claim must return or yield a list of judge cases (dropmc.judge.*)"


class ClaimError(TypeError):
    """A claim's function produced something other than a list of judge cases: a single case
    (the list forgotten), None from a function that is not a generator (``return``
    forgotten), a value that is not a list, or an item that is not a :class:`CaseResult`."""


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

#: what a correction changes in the printed statement it corrects (``Claim.fix``):
#: ``"misprint"`` an obvious slip (a sign, an index, a symbol for another, a factor or an
#: expectation the derivation has); ``"scope"`` a narrower condition than printed (λ = 1, equal
#: covariances); ``"rewrite"`` a different statement, where no one-symbol fix or narrower
#: condition makes the printed one true
FIXES = ("misprint", "scope", "rewrite")

#: the class of a REFUTED printed claim (:func:`error_class`), in the order the report groups
#: the errata: a false statement first
ERROR_CLASSES = ("substantive", "scope", "misprint")

#: default two-sided threshold; a few hundred checks have a family-wise false alarm rate ~1e-3
Z_STAR = 4.5
#: relative tolerance for exact (enumerated, closed form) comparisons
EXACT_RTOL = 1e-10


def claim_seed_sequence(seed: int, claim_id: str) -> np.random.SeedSequence:
    """The claim's own stream: the run seed plus a stable hash of the id as spawn key.

    It does not depend on which other claims run or in which order.
    """
    return np.random.SeedSequence(int(seed), spawn_key=(zlib.crc32(claim_id.encode()),))


#: the Context of the claim being evaluated (set by the runner), so that judges reached without
#: an explicit ``ctx`` still apply its perturbation
_CURRENT: contextvars.ContextVar["Context | None"] = contextvars.ContextVar("dropmc_ctx",
                                                                           default=None)


def current_context() -> "Context":
    """The :class:`Context` of the claim being evaluated; outside an evaluation a neutral one
    (seed 0, standard precision, z* = 4.5, no perturbation). This is the one way a judge or a
    helper reaches the context: claims need not pass it along."""
    cur = _CURRENT.get()
    return cur if cur is not None else Context("<none>", 0)


class Context:
    """What a claim's ``evaluate`` receives: precision, z*, its own random streams, and the
    perturbation δ of a power run.

    **Perturbation (power).** The runner re-evaluates a decided claim with its *theory side*
    moved by a relative amount δ in the direction that should fail (:mod:`dropmc.runner`,
    "power"). Every comparison of a theory side with evidence must pass the theory side
    through one of the hooks below — the judges in :mod:`dropmc.judge` do it for you; a
    hand-written comparison uses :meth:`le`, :meth:`ge` or :meth:`close`. With δ = 0 (a normal
    run) the hooks return their input unchanged. Each call is counted in ``hooks``: a claim
    whose evaluation never reaches a hook has no theory side that can be perturbed, and the
    report flags it.
    """

    def __init__(self, claim_id: str, seed: int, precision: str | Precision = "standard",
                 z_star: float = Z_STAR, delta: float = 0.0):
        self.claim_id = claim_id
        self.seed = int(seed)
        self.precision = PRECISIONS[precision] if isinstance(precision, str) else precision
        self.z_star = float(z_star)
        self.seed_sequence = claim_seed_sequence(self.seed, claim_id)
        self._spawned = 0
        if not (delta >= 0.0 and math.isfinite(delta)):
            raise ValueError(f"delta must be a finite number >= 0, got {delta!r}")
        self._delta = float(delta)
        self.hooks = 0
        #: hooks reached outside a judge (the claim's own ``le``/``ge``/``close``/``perturb``,
        #: or anything inside a counterexample search): their effect on the cases cannot be
        #: recomputed from recorded numbers, so a power run must re-evaluate the claim
        self.free_hooks = 0
        #: the judge calls of this evaluation (:class:`Judged`), in order: what each compared,
        #: so that a power run can re-decide its case at another δ without sampling again
        self.judged: list[Judged] = []
        self._judging = 0
        #: the counterexample searches of this evaluation (:class:`dropmc.judge.Search`), in
        #: order; a power run replays the examples of a complete one (``_replay``)
        self.searches: list = []
        self._replay: list | None = None

    # -- critical values ---------------------------------------------------------------------

    def critical(self, dof: float | None = None, *, one_sided: bool = False) -> float:
        """The threshold a test statistic is compared with.

        With ``dof`` None the statistic is taken as standard normal and the threshold is z*
        (two-sided tests compare |z| with z*; one-sided tests compare z with z*). With ``dof``
        (batch means over B chunks: ``dof = B − 1``) the statistic is Student-t and the
        threshold is the t quantile with the *same* tail probability as z*, so a family of
        checks keeps the false-alarm rate z* promises.
        """
        if dof is None or not math.isfinite(dof) or dof > 1e6:
            return self.z_star
        from scipy import stats

        return float(stats.t.isf(stats.norm.sf(self.z_star), dof))

    # -- perturbation hooks ------------------------------------------------------------------

    @property
    def delta(self) -> float:
        """The perturbation δ of a power run (0 in a normal run). A claim that reads it
        steers what it computes by it: its power runs re-evaluate it (counted as a hook
        outside a judge)."""
        if not self._judging:
            self.free_hooks += 1
        return self._delta

    def _count_hook(self) -> None:
        self.hooks += 1
        if not self._judging:
            self.free_hooks += 1

    def with_delta(self, delta: float) -> "Context":
        """A fresh context of the same claim, seed, precision and z*, at perturbation δ."""
        return Context(self.claim_id, self.seed, self.precision, self.z_star, delta=delta)

    def perturb(self, value, scale=None):
        """A theory value moved by δ: ``x·(1 + δ)``, or ``x + δ·scale`` where x = 0.

        ``scale`` is the size of the terms the value is made of (default: the largest |x| of
        an array, or 1 for a scalar 0). Arrays are perturbed elementwise.
        """
        self._count_hook()
        if self._delta == 0.0:
            return value
        x = np.asarray(value, dtype=float)
        s = _scale_of(x, scale)
        out = np.where(x != 0.0, x * (1.0 + self._delta), self._delta * s)
        return float(out) if out.ndim == 0 else out

    def tighten(self, bound, side: str, scale=None):
        """A bound moved by δ·max(|bound|, scale) in the direction that should fail.

        ``side="upper"`` (the claim is ``quantity ≤ bound``) lowers it; ``side="lower"``
        (``quantity ≥ bound``) raises it.
        """
        if side not in ("upper", "lower"):
            raise ValueError(f"side must be 'upper' or 'lower', got {side!r}")
        self._count_hook()
        if self._delta == 0.0:
            return bound
        b = np.asarray(bound, dtype=float)
        s = np.maximum(np.abs(b), 0.0 if scale is None else np.abs(np.asarray(scale, float)))
        s = np.where(s > 0, s, 1.0)
        out = b - self._delta * s if side == "upper" else b + self._delta * s
        return float(out) if out.ndim == 0 else out

    def le(self, quantity, bound, *, tol: float = 0.0, scale=None) -> bool:
        """``quantity ≤ bound + tol`` (all elements), the bound tightened by δ."""
        b = self.tighten(bound, "upper", scale)
        return bool(np.all(np.asarray(quantity, float) <= np.asarray(b, float) + tol))

    def ge(self, quantity, bound, *, tol: float = 0.0, scale=None) -> bool:
        """``quantity ≥ bound − tol`` (all elements), the bound tightened by δ."""
        b = self.tighten(bound, "lower", scale)
        return bool(np.all(np.asarray(quantity, float) >= np.asarray(b, float) - tol))

    def close(self, value, theory, *, rtol: float = EXACT_RTOL, atol: float = 0.0,
              scale=None) -> bool:
        """``|value − theory| ≤ rtol·max(|value|, |theory|, scale) + atol`` (elementwise), the
        theory side perturbed by δ. Relative to the size of the terms, never floored at 1."""
        t = np.asarray(self.perturb(theory, scale), float)
        v = np.asarray(value, float)
        size = np.maximum(np.abs(v), np.abs(np.asarray(theory, float)))
        if scale is not None:
            size = np.maximum(size, np.abs(np.asarray(scale, float)))
        return bool(np.all(np.abs(v - t) <= rtol * size + atol) and np.all(np.isfinite(v)))

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

    def rng_of(self, claim_id: str) -> np.random.Generator:
        """A generator on the *first* stream of another claim at this run's seed: the draws
        that claim's ``rng`` parameter (or its first ``ctx.rng()``) sees. A correction
        registered with ``same_cases=True`` receives this for the claim it corrects, so the
        two are decided on the same random cases."""
        ss = claim_seed_sequence(self.seed, claim_id)
        child = np.random.SeedSequence(ss.entropy, spawn_key=ss.spawn_key + (0,))
        return np.random.Generator(np.random.PCG64(child))

    @property
    def search_examples(self) -> int:
        return self.precision.search_examples


@dataclass
class Judged:
    """One judge call of an evaluation: the case it returned, the verdict it gave, and the
    judge with its arguments, which re-decide the case at another δ.

    A judge that compares recorded numbers is re-decided under a fresh context at δ. One
    that calls back into the claim's code (``in_place``: a counterexample search, whose
    predicate refers to the claim's context and steers the examples hypothesis tries; a
    predicate passed to ``judge.holds``) is run again in the context it ran in, moved to δ
    and rewound to the random stream it had reached (``spawned``); a search in it that ran to
    its end without a counterexample is decided on the examples it evaluated (``replay``),
    which is what hypothesis would try again up to the first that fails at δ."""

    case: "CaseResult"
    verdict: "Verdict"
    judge: Callable
    args: tuple
    kwargs: dict
    ctx: "Context"
    spawned: int
    in_place: bool = False
    #: the examples of each counterexample search the judge ran, when every one ran to its
    #: end without a counterexample; None when one found a counterexample (searched again)
    replay: list | None = None

    def redecide(self, delta: float) -> "CaseResult":
        """The case as the judge decides it with the theory side moved by ``delta``."""
        if not self.in_place:
            return self.judge(*self.args, ctx=self.ctx.with_delta(delta), **self.kwargs)
        c = self.ctx
        saved = (c._delta, c._spawned, c.hooks, c.free_hooks, c._replay, len(c.judged),
                 len(c.searches))
        c._delta, c._spawned = float(delta), self.spawned
        # a complete search is decided on its recorded examples (judge._replay_search)
        c._replay = None if self.replay is None else list(self.replay)
        token = _CURRENT.set(c)  # helpers the predicate calls find the context as it ran
        try:
            return self.judge(*self.args, ctx=c, **self.kwargs)
        finally:
            _CURRENT.reset(token)
            c._delta, c._spawned, c.hooks, c.free_hooks, c._replay = saved[:5]
            del c.judged[saved[5]:]
            del c.searches[saved[6]:]


def _scale_of(x: np.ndarray, scale) -> float | np.ndarray:
    if scale is not None:
        s = np.abs(np.asarray(scale, dtype=float))
        return np.where(s > 0, s, 1.0)
    m = float(np.max(np.abs(x))) if x.size else 0.0
    return m if m > 0 else 1.0


#: what a case counts for (see :class:`CaseResult`)
ROLES = ("evidence", "vacuous", "measurement")


@dataclass
class CaseResult:
    """One parameter case of a claim, with both sides and the decision (made by a judge of
    :mod:`dropmc.judge`; the fields after ``verdict`` are keyword-only).

    ``theory`` is the closed-form side, ``estimate`` the evidence (MC, enumeration, quadrature).
    ``resolution`` is z*·SE for statistical checks (the half-width of what "confirmed" means),
    or the tolerance of an exact comparison. ``error`` holds measured errors of approximations.

    ``role`` says what the case counts for: ``"evidence"`` (it was evaluated and could have
    failed), ``"vacuous"`` (a bound that cannot fail, e.g. a probability bounded by 1 or more;
    counted apart) or ``"measurement"`` (a reported number that decides nothing, e.g. the
    error of an approximation at one point when its order is judged elsewhere). A claim needs
    at least one evidence case to be CONFIRMED or APPROXIMATE.
    """

    params: dict
    verdict: Verdict
    _: KW_ONLY
    theory: float | None = None
    estimate: Estimate | None = None
    z: float | None = None
    resolution: float | None = None
    detail: str = ""
    error: dict | None = None
    #: True for one-sided tests, whose z is measured toward a violation of the bound
    one_sided: bool = False
    role: str = "evidence"

    def __setattr__(self, name, value):
        # a verdict set after the judge made the case (even to the same value) may not follow
        # the evidence at another δ: power then re-runs the claim (runner.Evidence.obstacle)
        if name == "verdict" and "verdict" in self.__dict__:
            object.__setattr__(self, "verdict_overridden", True)
        object.__setattr__(self, name, value)

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {self.role!r}")
        if self.role != "evidence" and self.verdict is Verdict.REFUTED:
            raise ValueError(f"a {self.role} case cannot be REFUTED (params {self.params!r})")

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
            "dof": _num(est.dof) if est and est.dof is not None else None,
            "role": self.role,
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
    #: optional explorer (:meth:`dropmc.registry.Catalog.explorer`): what the claim compares at
    #: one parameter point, a :class:`dropmc.explore.Point` (or ``(theory, Estimate)``), for
    #: ``dropmc explore``
    explorer: Callable | None = None
    #: the explorer's parameters and their default values
    explore_params: dict = field(default_factory=dict)
    #: a correction decided on the same random cases as the claim it corrects: its ``rng``
    #: parameter is the first stream of that claim (:meth:`Context.rng_of`)
    same_cases: bool = False
    #: for a correction: what it changes in the printed statement (one of :data:`FIXES`)
    fix: str | None = None
    #: for a printed claim: why no correction is registered when the evidence refutes it (the
    #: report prints it beside the erratum)
    no_correction: str = ""
    #: for another reading of a printed claim's wording: the id of the claim that decides the
    #: reading the paper itself uses (the one its figures or derivation follow)
    reading_of: str | None = None

    def __post_init__(self):
        if not self.id.startswith(self.paper + "."):
            raise ValueError(f"claim id {self.id!r} must start with its paper key {self.paper!r}")
        if self.corrects is not None and self.as_printed:
            raise ValueError(f"claim {self.id!r}: a correction (corrects={self.corrects!r}) "
                             "cannot be as_printed")
        if self.corrects is not None and self.fix not in FIXES:
            raise ValueError(f"claim {self.id!r}: a correction needs fix= one of {FIXES} (what "
                             f"it changes in the printed statement), got {self.fix!r}")
        if self.corrects is None and self.fix is not None:
            raise ValueError(f"claim {self.id!r}: fix={self.fix!r} needs corrects= (the claim "
                             "it corrects)")
        if self.no_correction and not self.as_printed:
            raise ValueError(f"claim {self.id!r}: no_correction is for a printed claim "
                             "(as_printed=True)")
        if self.reading_of is not None and (self.as_printed or self.corrects is not None):
            raise ValueError(f"claim {self.id!r}: reading_of={self.reading_of!r} marks another "
                             "reading of a printed claim: it needs as_printed=False and no "
                             "corrects=")
        if self.same_cases and self.corrects is None and self.reading_of is None:
            raise ValueError(f"claim {self.id!r}: same_cases needs the claim it corrects (or "
                             "whose other reading it decides)")
        if not getattr(self.evaluate, "_dropmc_bound", False):
            self.evaluate = _Evaluate(self.evaluate, self.id,
                                      (self.corrects or self.reading_of) if self.same_cases
                                      else None)

    @property
    def doc(self) -> str:
        return (self.evaluate.__doc__ or "").strip()


def one_blas_thread():
    """A context in which BLAS (OpenBLAS, MKL) runs on one thread.

    The last bits of a matrix product depend on how many threads BLAS splits it over, so a
    claim's numbers would depend on how its process was started (the CLI pinned BLAS to one
    thread through the environment, a test session or a notebook did not). Every claim is
    evaluated inside this context, whatever the entry point; the Numba kernels keep their own
    threads, whose results do not depend on the thread count.
    """
    import scipy.linalg  # noqa: F401 - loads scipy's own BLAS, so that it is limited too
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


class _Evaluate:
    """``evaluate(ctx) -> list[CaseResult]`` around a claim's function: ``ctx`` becomes the
    current context (so judges reached from helpers apply its perturbation), an ``rng``
    parameter receives the claim's first stream (or, with ``rng_from``, that of the claim it
    corrects), and the cases the function yields or returns are collected and checked.
    A plain object (not a closure), so that claims pickle for distributed runs."""

    _dropmc_bound = True

    def __init__(self, fn: Callable, claim_id: str, rng_from: str | None):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.claim_id = claim_id
        self.rng_from = rng_from
        self.wants_rng = "rng" in inspect.signature(fn).parameters

    def __call__(self, ctx: Context) -> list[CaseResult]:
        token = _CURRENT.set(ctx)
        try:
            with one_blas_thread():
                if self.wants_rng:
                    rng = ctx.rng_of(self.rng_from) if self.rng_from else ctx.rng()
                    cases = self.fn(ctx, rng=rng)
                else:
                    cases = self.fn(ctx)
                return self._collect(cases)
        finally:
            _CURRENT.reset(token)

    def _collect(self, cases) -> list[CaseResult]:
        """The cases the function returned or yielded (a generator runs here), or
        :class:`ClaimError` saying what it produced instead. A generator that yields nothing
        and an empty list are no cases (the verdict is INCONCLUSIVE), not an error."""
        what = f"claim {self.claim_id!r}"
        if cases is None:
            raise ClaimError(f"{what} returned None, not a list of cases (is its `return` "
                             "missing?)")
        if isinstance(cases, CaseResult):
            raise ClaimError(f"{what} returned one CaseResult, not a list of cases (return "
                             "[judge.…(…)], or yield it)")
        if isinstance(cases, (str, bytes, dict)) or not hasattr(cases, "__iter__"):
            raise ClaimError(f"{what} returned {type(cases).__name__} {_short(cases)}, not a "
                             "list of cases")
        out = list(cases)
        for i, c in enumerate(out):
            if isinstance(c, CaseResult):
                continue
            if isinstance(c, (list, tuple)) and c and all(isinstance(x, CaseResult) for x in c):
                raise ClaimError(f"{what} yielded a {type(c).__name__} of {len(c)} cases as its "
                                 f"case {i} (yield each case, or return the list)")
            raise ClaimError(f"{what} produced {type(c).__name__} {_short(c)} as its case {i}, "
                             "not a CaseResult (yield what a dropmc.judge function returns)")
        return out

    @property
    def source(self) -> tuple[str, int, str] | None:
        """``(file, line, name)`` of the claim function's ``def`` line (below its decorators),
        or None when it has no Python code: where an error about what it produced points."""
        code = getattr(inspect.unwrap(self.fn), "__code__", None)
        if code is None:
            return None
        line = code.co_firstlineno
        for k in range(line, line + 40):  # the decorators' lines, then the def
            text = linecache.getline(code.co_filename, k).lstrip()
            if text.startswith(("def ", "async def ")):
                line = k
                break
        return code.co_filename, line, code.co_name


def _short(value) -> str:
    """``str(value)`` cut to 40 characters, for an error message."""
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:37] + "..."


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
    #: for an ERROR: the exception in one line (``"NameError: name 'u' is not defined"``)
    error: str | None = None
    #: for an ERROR: the traceback from the claim's own code on (the runner's and the claim
    #: wrapper's frames cut), ending with the exception; a plain string, so the result pickles
    traceback: str | None = None
    #: the smallest perturbation of the theory side that refutes the claim (runner.power)
    power: dict | None = None
    #: how many perturbation hooks the evaluation reached (0: no theory side was compared)
    hooks: int = 0

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
            "fix": c.fix,
            "reading_of": c.reading_of,
            "no_correction": c.no_correction,
            "note": c.note,
            "summary": self.summary,
            "seed": self.seed,
            "spawn_key": list(ss.spawn_key),
            "precision": self.precision,
            "z_star": self.z_star,
            "seconds": round(self.seconds, 3),
            "error": self.error,
            "traceback": self.traceback,
            "power": self.power,
            "evidence_cases": sum(cr.role == "evidence" for cr in self.cases),
            "vacuous_cases": sum(cr.role == "vacuous" for cr in self.cases),
            "cases": [cr.to_dict() for cr in self.cases],
        }


#: the kinds of evidence a case can be (:func:`evidence_kind`), as the report names them
EVIDENCE_KINDS = {"exact": "exact", "monte_carlo": "Monte Carlo", "search": "search"}


def evidence_kind(case: CaseResult | dict) -> str:
    """What kind of evidence a case is: ``"search"`` (a counterexample search, whose examples
    are drawn by hypothesis), ``"monte_carlo"`` (an estimate with a standard error, or drawn by
    Monte Carlo) or ``"exact"`` (enumeration, closed form, quadrature, optimisation, a printed
    number: no sampling error). Takes a :class:`CaseResult` or its ``to_dict()``."""
    if isinstance(case, CaseResult):
        est = case.estimate
        method, se = (est.method, est.se) if est is not None else (None, None)
    else:
        method, se = case.get("method"), case.get("se")
    if method == "search":
        return "search"
    if method == "monte_carlo" or (isinstance(se, (int, float)) and se > 0):
        return "monte_carlo"
    return "exact"


def holds(verdict) -> bool:
    """Whether a verdict (or its name) says the statement holds: CONFIRMED, or APPROXIMATE
    (an approximation whose measured error met its criterion)."""
    return Verdict.parse("verdict", verdict) in (Verdict.CONFIRMED, Verdict.APPROXIMATE)


def error_class(corrections: list[dict]) -> str:
    """The class of a REFUTED printed claim, decided by the evidence on its corrections (each a
    ``ClaimResult.to_dict()`` with ``fix`` and ``verdict``): ``"misprint"`` when a correction
    that fixes a slip holds, else ``"scope"`` when one that narrows the condition holds, else
    ``"substantive"`` (no correction, or none that holds, or only a rewritten statement)."""
    for cls in ("misprint", "scope"):
        if any(c.get("fix") == cls and holds(c["verdict"]) for c in corrections):
            return cls
    return "substantive"


def classify(claims: list[dict]) -> list[dict]:
    """``claims`` (``ClaimResult.to_dict()`` of one run) with ``error_class`` set on every
    REFUTED printed claim (:func:`error_class`) and None elsewhere; returns the list."""
    by_corrects: dict[str, list[dict]] = {}
    for c in claims:
        if c.get("corrects"):
            by_corrects.setdefault(c["corrects"], []).append(c)
    for c in claims:
        c["error_class"] = (error_class(by_corrects.get(c["id"], []))
                            if c["as_printed"] and c["verdict"] == Verdict.REFUTED.value else None)
    return claims


def origin(c: dict) -> str:
    """What a claim is to its paper: ``"printed"`` (the paper's statement), ``"correction"``,
    ``"reading"`` (another reading of a printed statement's wording) or ``"extension"`` (a
    statement dropmc adds)."""
    if c["as_printed"]:
        return "printed"
    if c.get("corrects"):
        return "correction"
    if c.get("reading_of"):
        return "reading"
    return "extension"


def tally(claims: list[dict]) -> dict:
    """Per paper, how its claims came out, by origin (:func:`origin`): for printed statements
    each verdict and the refuted ones by class; for corrections, readings and extensions each
    verdict. ``claims`` are classified dicts (:func:`classify`)."""
    out: dict[str, dict] = {}
    for c in claims:
        paper = out.setdefault(c["paper"], {})
        group = paper.setdefault(origin(c), {"total": 0})
        group["total"] += 1
        group[c["verdict"]] = group.get(c["verdict"], 0) + 1
        if c.get("error_class"):
            by = group.setdefault("refuted_by_class", {k: 0 for k in ERROR_CLASSES})
            by[c["error_class"]] += 1
    return out


def aggregate(kind: Kind, cases: list[CaseResult]) -> Verdict:
    """Claim verdict from case verdicts: any REFUTED refutes; any INCONCLUSIVE leaves it open;
    no evidence case (only vacuous bounds or measurements) leaves it INCONCLUSIVE; an
    approximation whose criterion held is APPROXIMATE; otherwise CONFIRMED."""
    if not cases:
        return Verdict.INCONCLUSIVE
    vs = [c.verdict for c in cases]
    if Verdict.REFUTED in vs:
        return Verdict.REFUTED
    if Verdict.INCONCLUSIVE in vs:
        return Verdict.INCONCLUSIVE
    if not any(c.role == "evidence" for c in cases):
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
        bad = next((c for c in cases if c.verdict is Verdict.INCONCLUSIVE), None)
        if not cases:
            return "undecided: the claim returned or yielded no case"
        if bad is None:
            roles = {r: sum(c.role == r for c in cases) for r in ROLES if r != "evidence"}
            return ("undecided: no case is evidence ("
                    + ", ".join(f"{v} {k}" for k, v in roles.items() if v) + ")")
        return f"undecided: {bad.detail}"
    if verdict is Verdict.APPROXIMATE:
        # the errors of the cases that decided it (measurements are reported in the cases)
        ev = [c for c in cases if c.role == "evidence"]
        rels = [c.error.get("rel") for c in ev if c.error and c.error.get("rel") is not None]
        abss = [c.error.get("abs") for c in ev if c.error and c.error.get("abs") is not None]
        parts = []
        if abss:
            parts.append(f"max abs error {max(abss):.3g}")
        if rels:
            parts.append(f"max rel error {max(rels):.3g}")
        extra = "; ".join(c.detail for c in ev if c.detail)[:300]
        meas = n - len(ev)
        return (f"{len(ev)} cases" + (f" (+{meas} measurements)" if meas else "") + "; "
                + ", ".join(parts) + (f"; {extra}" if extra else ""))
    # confirmed: say to what precision
    vacuous = sum(c.role == "vacuous" for c in cases)
    cases = [c for c in cases if c.role == "evidence"]
    stat = [c for c in cases if c.estimate is not None and c.estimate.se > 0 and c.resolution]
    exact = [c for c in cases if c.estimate is not None and c.estimate.se == 0
             and evidence_kind(c) == "exact"]
    searches = [c for c in cases if evidence_kind(c) == "search"]
    parts = [f"{len(cases)} cases" + (f" (+{vacuous} vacuous, not counted)" if vacuous else "")
             + (f" (+{n - len(cases) - vacuous} measurements)" if n - len(cases) - vacuous else "")]
    if stat:
        # relative resolution only where it means something (the resolution at most a tenth
        # of the value); absolute near 0, where a relative figure is meaningless
        resolved = lambda c: c.theory is not None and abs(c.theory) >= 10 * c.resolution
        rel = [c.resolution / abs(c.theory) for c in stat if resolved(c)]
        absolute = [c.resolution for c in stat if not resolved(c)]
        if rel:
            parts.append(f"Monte Carlo to within ±{max(rel):.2%} relative (critical value × SE, worst case)")
        if absolute:
            parts.append(f"Monte Carlo to within ±{max(absolute):.3g} absolute (critical value × SE, worst case)")
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
    if searches:
        parts.append(f"{len(searches)} counterexample "
                     f"search{'es' if len(searches) != 1 else ''} (hypothesis, "
                     f"{sum(c.estimate.n for c in searches)} examples evaluated)")
    others = [c.detail for c in cases if c.detail and (c.estimate is None or c.estimate.method
                                                        in ("optimisation", "search"))]
    if others:
        parts.append(others[0][:200])
    return "; ".join(parts)
