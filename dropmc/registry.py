"""The claim registry: every paper's catalog, looked up by paper key or claim id.

A catalog is a :class:`Catalog` whose :meth:`Catalog.claim` decorator registers claims. The
four built-in papers live in ``dropmc.papers.<paper_key>`` (a module-level ``CATALOG``). A
user's own catalog can live in any module — a package, a test file, a script — with any key
that is not a built-in one::

    from dropmc import Catalog, Kind, judge, mean_estimate

    CATALOG = Catalog("mythm", title="My theorem (Me, 2026)")

    @CATALOG.claim("eq1.mean", label="Eq. 1", kind=Kind.IDENTITY, statement="E X = 0")
    def eq1_mean(ctx, rng):
        x = rng.normal(size=10_000)
        yield judge.identity({"law": "N(0, 1)"}, 0.0, mean_estimate(x))

:func:`load_module` imports such a module (by dotted name or file path) and makes its
claims visible to :func:`all_claims` and :func:`get`, which is what
``dropmc verify --module mypkg.claims`` does.
"""

from __future__ import annotations

import fnmatch
import importlib
import importlib.util
import math
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Callable

from dropmc import PAPER_KEYS
from dropmc.claims import Claim, Kind

_KEY = re.compile(r"[a-z][a-z0-9_]*")

#: user catalogs by key (the built-in ones are found through ``dropmc.papers``)
_USER: dict[str, "Catalog"] = {}


class Catalog:
    """The claims of one paper (or one user's set of statements), in declaration order.

    ``paper`` is the key every claim id starts with: a lower-case identifier. A built-in key
    (:data:`dropmc.PAPER_KEYS`) is reserved for ``dropmc.papers``; any other key registers the
    catalog as a user catalog. ``origin`` is the file (or, without one, the module name) that
    created it: a later catalog with the same key from the same origin replaces it, so
    re-importing a module (or re-running a notebook cell) is harmless; one from another origin
    is refused, so two modules cannot silently replace each other's claims.
    """

    def __init__(self, paper: str, *, title: str | None = None):
        if not isinstance(paper, str) or not _KEY.fullmatch(paper):
            raise ValueError(f"unknown paper key {paper!r}: a catalog key must be a lower-case "
                             f"identifier (built-in keys: {', '.join(PAPER_KEYS)})")
        caller = sys._getframe(1).f_globals
        file = caller.get("__file__")
        self.origin = os.path.realpath(file) if file else caller.get("__name__", "?")
        #: how ``dropmc --module`` names the module that defined it (set by load_module)
        self.module: str | None = None
        self.paper = paper
        self.title = title
        self.claims: list[Claim] = []
        #: claim id → why the claim has no explorer (:meth:`no_explorer`)
        self.no_explorers: dict[str, str] = {}
        self.builtin = paper in PAPER_KEYS
        if not self.builtin:
            old = _USER.get(paper)
            if old is not None and old.origin != self.origin:
                raise ValueError(f"catalog key {paper!r} is already defined by {old.origin}; "
                                 f"{self.origin} defines it again (give one of them another "
                                 "key)")
            _USER[paper] = self

    def claim(self, slug: str, *, label: str, kind: Kind, statement: str,
              as_printed: bool = True, corrects: str | None = None, note: str = "",
              slow: bool = False, same_cases: bool = False, fix: str | None = None,
              no_correction: str = "", reading_of: str | None = None) -> Callable:
        """Decorator registering a claim: ``fn(ctx)`` or ``fn(ctx, rng)`` that yields (or
        returns a list of) the :class:`CaseResult` its judges return.

        The claim id is ``<paper>.<slug>``; ``corrects`` and ``reading_of`` may be given as a
        slug or a full id. A correction says what it changes in the printed statement with
        ``fix`` (``"misprint"``, ``"scope"`` or ``"rewrite"``, :data:`dropmc.claims.FIXES`); a
        printed claim the evidence refutes without a correction says why in
        ``no_correction``; a claim deciding another reading of a printed claim's wording names
        that claim (the reading the paper uses) in ``reading_of``.
        ``rng`` is a generator on the claim's first stream; with ``same_cases=True`` (a
        correction only) it is the first stream of the claim it corrects, so both are decided
        on the same random cases. ``note`` is where a finding is written: the report and the
        README render it from there.
        """
        if not isinstance(kind, Kind):
            raise TypeError(f"kind must be a dropmc.Kind, got {kind!r}")
        cid = f"{self.paper}.{slug}"
        if corrects is not None and not corrects.startswith(self.paper + "."):
            corrects = f"{self.paper}.{corrects}"
        if reading_of is not None and not reading_of.startswith(self.paper + "."):
            reading_of = f"{self.paper}.{reading_of}"

        def deco(fn):
            if any(c.id == cid for c in self.claims):
                raise ValueError(f"duplicate claim id {cid!r}")
            self.claims.append(Claim(cid, self.paper, label, statement, kind, fn,
                                     as_printed=as_printed, corrects=corrects, note=note,
                                     slow=slow, same_cases=same_cases, fix=fix,
                                     no_correction=no_correction, reading_of=reading_of))
            return fn

        return deco


    def explorer(self, slug: str, **params) -> Callable:
        """Decorator attaching an explorer to the claim ``<paper>.<slug>`` (declared before it).

        ``fn(ctx, **params)`` computes, at one parameter point, what the claim compares: a
        :class:`dropmc.explore.Point` (the printed closed form, its correction, the exact value
        and/or a Monte Carlo estimate, and whether it is an identity, a bound or an
        approximation), or the pair ``(theory, Estimate)`` of an identity. Each keyword names a
        parameter:

        * a number parameter ``dropmc explore`` may sweep: its default (the value it takes
          while others are swept), or ``(default, lo, hi)`` to declare the range it may take
          as well (a sweep outside it is refused; a notebook's slider spans it; declared with
          Python ints, the slider steps by 1);
        * a **choice** parameter: a tuple or list of strings, the first the default, e.g.
          ``law=("normal", "uniform", "laplace")``; ``fn`` receives the string. A choice is
          never swept: a sweep or map holds it fixed (``--set law=uniform``, ``law="uniform"``;
          a notebook gives it a drop-down).

        Monte Carlo sample counts come from ``ctx.budget(n_standard, minimum)``, so
        ``--precision`` and ``--budget`` scale them. A claim with an explorer cannot also have
        a reason for having none (:meth:`no_explorer`). Returns ``fn`` itself; the claim's
        ``explorer`` is an :class:`Explorer`.
        """
        cid = f"{self.paper}.{slug}"

        def deco(fn):
            claim = self._declared(cid, "explorer for")
            if not callable(fn):
                raise TypeError(f"an explorer must be a function (ctx, **params), got {fn!r}")
            if cid in self.no_explorers:
                raise ValueError(f"claim {cid!r} has an explorer and a reason for having none "
                                 f"({self.no_explorers[cid]!r}); keep one")
            if claim.explorer is not None:
                raise ValueError(f"claim {cid!r} already has an explorer")
            claim.explorer = Explorer.of(cid, fn, params)
            claim.explore_params = dict(claim.explorer.defaults)
            return fn

        return deco

    def no_explorer(self, slug: str, reason: str) -> None:
        """Record why the claim ``<paper>.<slug>`` (declared before) has no explorer: its closed
        form has no continuous parameter to explore — ``reason`` says so in one line, specific
        to the claim ("a training experiment: no closed form in a parameter", "a statement
        about fixed printed numbers", "explored with eq14"). ``dropmc list --explorable
        --why-not`` prints the reasons; a claim cannot have both an explorer and a reason."""
        cid = f"{self.paper}.{slug}"
        claim = self._declared(cid, "no_explorer for")
        if not isinstance(reason, str) or not reason.strip() or "\n" in reason:
            raise ValueError(f"no_explorer for {cid!r}: reason must be one non-empty line of "
                             f"text, got {reason!r}")
        if claim.explorer is not None:
            raise ValueError(f"claim {cid!r} has an explorer and a reason for having none "
                             f"({reason!r}); keep one")
        if cid in self.no_explorers:
            raise ValueError(f"claim {cid!r} already has a reason for having no explorer "
                             f"({self.no_explorers[cid]!r})")
        self.no_explorers[cid] = " ".join(reason.split())

    def _declared(self, cid: str, what: str) -> Claim:
        claim = next((c for c in self.claims if c.id == cid), None)
        if claim is None:
            raise ValueError(f"{what} unknown claim {cid!r} (declare the claim first)")
        return claim


class Explorer:
    """A claim's explorer: the function ``fn(ctx, **params)``, each parameter's default
    (``defaults``: a float, or a string for a choice), the closed range a number parameter may
    take where declared (``ranges``), the options of each choice parameter (``choices``, the
    default first) and the number parameters declared with Python ints (``integers``: a
    slider steps by 1). Calling it calls ``fn``."""

    def __init__(self, fn: Callable, defaults: dict, ranges: dict[str, tuple[float, float]],
                 choices: dict[str, tuple[str, ...]] | None = None,
                 integers: frozenset = frozenset()):
        self.fn = fn
        self.defaults = defaults
        self.ranges = ranges
        self.choices = choices or {}
        self.integers = frozenset(integers)
        self.__doc__ = fn.__doc__

    @classmethod
    def of(cls, claim_id: str, fn: Callable, params: dict) -> "Explorer":
        """The explorer of ``claim_id`` from the decorator's keywords (a default, ``(default,
        lo, hi)``, or a tuple of strings for a choice); ValueError naming the parameter
        otherwise."""
        if not params:
            raise ValueError(f"explorer for {claim_id!r} needs at least one parameter default")
        defaults, ranges, choices, integers = {}, {}, {}, set()
        for name, spec in params.items():
            vals = spec if isinstance(spec, (tuple, list)) else (spec,)
            if isinstance(spec, (tuple, list)) and spec and all(isinstance(v, str) for v in spec):
                if len(set(spec)) != len(spec) or len(spec) < 2 or not all(v.strip()
                                                                            for v in spec):
                    raise ValueError(f"explorer for {claim_id!r}: choice parameter {name} needs "
                                     f"two or more different non-empty strings, got {spec!r}")
                defaults[name] = spec[0]
                choices[name] = tuple(spec)
                continue
            if all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
                integers.add(name)
            try:
                if any(isinstance(v, (bool, str)) for v in vals):
                    raise TypeError
                vals = [float(v) for v in vals]
            except (TypeError, ValueError):
                vals = []
            ok = len(vals) in (1, 3) and all(map(math.isfinite, vals))
            if ok and len(vals) == 3:
                ok = vals[1] < vals[2] and vals[1] <= vals[0] <= vals[2]
            if not ok:
                raise ValueError(f"explorer for {claim_id!r}: parameter {name} must be a finite "
                                 f"default or (default, lo, hi) with lo ≤ default ≤ hi and "
                                 f"lo < hi, or a tuple of strings (a choice), got {spec!r}")
            defaults[name] = vals[0]
            if len(vals) == 3:
                ranges[name] = (vals[1], vals[2])
        return cls(fn, defaults, ranges, choices, frozenset(integers))

    def __call__(self, ctx, **params):
        return self.fn(ctx, **params)

    def describe(self) -> str:
        """``"p = 0.5 in [0.05, 1], d = 16, law = normal of {normal, uniform}"``: each
        parameter, its default and its range or options."""
        out = []
        for k, v in self.defaults.items():
            if k in self.choices:
                out.append(f"{k} = {v} of {{{', '.join(self.choices[k])}}}")
            else:
                r = self.ranges.get(k)
                out.append(f"{k} = {v:g}" + (f" in [{r[0]:g}, {r[1]:g}]" if r else ""))
        return ", ".join(out)


def no_explorer_reason(claim: Claim) -> str | None:
    """Why ``claim`` has no explorer (:meth:`Catalog.no_explorer`), or None when none is
    recorded."""
    return catalog(claim.paper).no_explorers.get(claim.id)


def load_module(name) -> list[Catalog]:
    """Import a module of user claims by dotted name (``mypkg.claims``) or file path
    (``claims.py``) and return the user catalogs it defines.

    The current directory is importable, as for ``python -m``. Raises ValueError with one line
    naming the module when it cannot be found, is not a .py file or a dotted name, fails while
    being imported (a syntax error, an exception, a ``sys.exit``: the error and the line it
    points to), defines no catalog, or defines a catalog key another module already defines;
    a failed import registers none of its catalogs.
    """
    text = os.fspath(name) if isinstance(name, os.PathLike) else name
    if not isinstance(text, str) or not text.strip() or "\0" in text:
        raise ValueError(f"--module must name a module (mypkg.claims) or a .py file, got {name!r}")
    before = dict(_USER)
    if text.endswith(".py") or os.sep in text or isinstance(name, os.PathLike):
        path = Path(text)
        if path.suffix != ".py":
            raise ValueError(f"--module {text!r} is not a .py file (give a .py file or a dotted "
                             "module name such as mypkg.claims)")
        if not path.is_file():
            raise ValueError(f"--module file {text!r} does not exist")
        mod_name = f"dropmc_user_{path.stem}"
        spec = importlib.util.spec_from_file_location(mod_name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = mod
        try:
            spec.loader.exec_module(mod)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure: one line, exit 2
            sys.modules.pop(mod_name, None)
            _USER.clear()
            _USER.update(before)
            raise _import_failure(text, str(path), exc) from None
    else:
        if not _DOTTED.fullmatch(text):
            raise ValueError(f"--module {text!r} is neither a .py file nor a dotted module name "
                             "(such as mypkg.claims)")
        if os.getcwd() not in sys.path and "" not in sys.path:
            sys.path.insert(0, os.getcwd())
        spec = None
        try:
            spec = importlib.util.find_spec(text)  # imports the parent packages
            if spec is None:
                raise ModuleNotFoundError(f"No module named {text!r}", name=text)
            mod = importlib.import_module(text)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure: one line, exit 2
            _USER.clear()
            _USER.update(before)
            if isinstance(exc, ModuleNotFoundError) and exc.name and \
                    (text + ".").startswith(exc.name + "."):
                raise ValueError(f"--module {text!r} cannot be imported: {exc}") from None
            raise _import_failure(text, spec and spec.origin, exc) from None
    cats = [v for v in vars(mod).values() if isinstance(v, Catalog) and not v.builtin]
    for key, cat in _USER.items():
        if cat not in cats and before.get(key) is not cat:
            cats.append(cat)
    if not cats:
        raise ValueError(f"module {text!r} defines no dropmc Catalog with a non-built-in key")
    for cat in cats:
        cat.module = cat.module or text
    return cats


#: a dotted module name (``mypkg.claims``)
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def _import_failure(name: str, file: str | None, exc: BaseException) -> ValueError:
    """One line saying why importing the module ``name`` (from ``file``) failed: the error and
    the line of the module it points to (a syntax error's own line, else the deepest frame in
    the module's file, else in any file)."""
    if isinstance(exc, SystemExit):
        return ValueError(f"--module {name}: the module called sys.exit({exc.code!r}) while "
                          "being imported")
    if isinstance(exc, SyntaxError):
        where = exc.filename or "?"
        at = "" if file and os.path.realpath(where) == os.path.realpath(file) else f" in {where}"
        line = f" at line {exc.lineno}" if exc.lineno else ""
        return ValueError(f"--module {name}: {type(exc).__name__}{at}{line}: {exc.msg}")
    frames = traceback.extract_tb(exc.__traceback__)
    real = os.path.realpath(file) if file else None
    mine = [f for f in frames if real and os.path.realpath(f.filename) == real]
    frame = (mine or [f for f in frames if not f.filename.startswith("<")] or [None])[-1]
    at = ""
    if frame is not None:
        at = (f" at line {frame.lineno}" if mine else f" in {frame.filename} at line "
              f"{frame.lineno}")
    msg = " ".join(str(exc).split())
    return ValueError(f"--module {name}: {type(exc).__name__}{at}" + (f": {msg}" if msg else ""))


def user_papers() -> list[str]:
    """Keys of the user catalogs loaded so far."""
    return list(_USER)


def available_papers() -> list[str]:
    """Paper keys whose catalog module exists (built-in first, then loaded user catalogs)."""
    out = []
    for key in PAPER_KEYS:
        try:
            importlib.import_module(f"dropmc.papers.{key}")
        except ModuleNotFoundError as exc:
            if exc.name != f"dropmc.papers.{key}":
                raise
            continue
        out.append(key)
    return out + user_papers()


def known_keys() -> list[str]:
    return list(PAPER_KEYS) + user_papers()


def catalog(paper: str) -> Catalog:
    if paper in _USER:
        return _USER[paper]
    if paper not in PAPER_KEYS:
        raise ValueError(f"unknown paper key {paper!r}; known: {', '.join(known_keys())}")
    try:
        mod = importlib.import_module(f"dropmc.papers.{paper}")
    except ModuleNotFoundError as exc:
        if exc.name != f"dropmc.papers.{paper}":
            raise
        raise ValueError(f"paper {paper!r} has no claim catalog yet; available: "
                         f"{', '.join(available_papers()) or 'none'}") from None
    return mod.CATALOG


def all_claims(paper: str | None = None) -> list[Claim]:
    papers = [paper] if paper else available_papers()
    out: list[Claim] = []
    for key in papers:
        out.extend(catalog(key).claims)
    _check_corrections(out if paper is None else all_claims_unchecked())
    return out


def all_claims_unchecked() -> list[Claim]:
    out: list[Claim] = []
    for key in available_papers():
        out.extend(catalog(key).claims)
    return out


def _check_corrections(claims: list[Claim]) -> None:
    by_id = {c.id: c for c in claims}
    for c in claims:
        if c.corrects is not None and c.corrects not in by_id:
            raise ValueError(f"claim {c.id!r} corrects unknown claim {c.corrects!r}")
        if c.reading_of is not None:
            target = by_id.get(c.reading_of)
            if target is None or not target.as_printed:
                raise ValueError(f"claim {c.id!r}: reading_of={c.reading_of!r} must name a "
                                 "printed claim (as_printed=True) of a loaded catalog")


def _list_hint(paper: str) -> str:
    """The command that lists the ids of ``paper`` (with the --module a user catalog needs)."""
    if paper in PAPER_KEYS:
        return f"`dropmc list --paper {paper}`"
    cat = _USER.get(paper)
    module = (cat.module or cat.origin) if cat is not None else "MOD"
    return f"`dropmc list --module {module} --paper {paper}`"


def get(claim_id: str) -> Claim:
    """The claim with this exact id; ValueError saying which command lists the ids otherwise."""
    if not isinstance(claim_id, str):
        raise TypeError(f"a claim id must be a str, got {claim_id!r}")
    paper = claim_id.split(".", 1)[0]
    if paper not in PAPER_KEYS and paper not in _USER:
        raise ValueError(f"unknown claim id {claim_id!r}: it must start with a paper key "
                         f"({', '.join(known_keys())}); the claims of your own module need "
                         f"--module: {_list_hint(paper)} shows their ids")
    for c in catalog(paper).claims:
        if c.id == claim_id:
            return c
    raise ValueError(f"unknown claim id {claim_id!r}; {_list_hint(paper)} shows the ids")


def is_pattern(spec: str) -> bool:
    """True when a ``--claim`` value is a glob pattern (it has ``*``, ``?`` or ``[``)."""
    return any(ch in spec for ch in "*?[")


def select(specs) -> list[Claim]:
    """The claims named by ``specs``: exact ids, or glob patterns matched against every id
    (:mod:`fnmatch`, case-sensitive) — in the order given, each claim once. A pattern that
    matches no claim is a ValueError naming it."""
    out: dict[str, Claim] = {}
    for spec in specs:
        if not is_pattern(spec):
            c = get(spec)
            out.setdefault(c.id, c)
            continue
        hits = [c for c in all_claims() if fnmatch.fnmatchcase(c.id, spec)]
        if not hits:
            raise ValueError(f"the claim pattern {spec!r} matches no claim id (`dropmc list` shows "
                             "them; add --module MOD for your own)")
        for c in hits:
            out.setdefault(c.id, c)
    return list(out.values())


def keyword_filter(expr: str) -> Callable[[str], bool]:
    """A predicate on claim ids from a keyword expression, as ``pytest -k`` has them: words
    matched as case-insensitive substrings of the id, combined with ``and``, ``or``, ``not``
    and parentheses (``not`` binds tightest, then ``and``, then ``or``). Parsed here, never
    evaluated as Python; a malformed expression is a ValueError saying where."""
    tokens = [(m.group(), m.start()) for m in re.finditer(r"[()]|[^\s()]+", expr)]
    if not tokens:
        raise ValueError(f"-k needs an expression (words with and/or/not), got {expr!r}")
    pos = 0

    def peek():
        return tokens[pos][0] if pos < len(tokens) else None

    def fail(what):
        at = f"column {tokens[pos][1] + 1} ({tokens[pos][0]!r})" if pos < len(tokens) else "the end"
        raise ValueError(f"-k {expr!r}: expected {what} at {at}")

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1][0]

    def disjunction():
        terms = [conjunction()]
        while peek() == "or":
            take()
            terms.append(conjunction())
        return terms[0] if len(terms) == 1 else (lambda s: any(t(s) for t in terms))

    def conjunction():
        terms = [negation()]
        while peek() == "and":
            take()
            terms.append(negation())
        return terms[0] if len(terms) == 1 else (lambda s: all(t(s) for t in terms))

    depth = 0

    def negation():
        nonlocal depth
        if peek() in ("not", "("):
            depth += 1
            if depth > 64:
                raise ValueError(f"-k {expr[:40]!r}...: more than 64 nested 'not' or '('")
            if take() == "not":
                inner = negation()
                depth -= 1
                return lambda s: not inner(s)
            inner = disjunction()
            if peek() != ")":
                fail("')'")
            take()
            depth -= 1
            return inner
        if peek() in (None, ")", "and", "or"):
            fail("a word, 'not' or '('")
        word = take().lower()
        return lambda s: word in s.lower()

    pred = disjunction()
    if pos < len(tokens):
        fail("'and' or 'or'")
    return pred
