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

import importlib
import importlib.util
import os
import re
import sys
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
    catalog as a user catalog (a later catalog with the same key replaces it, so re-importing
    a module is harmless).
    """

    def __init__(self, paper: str, *, title: str | None = None):
        if not isinstance(paper, str) or not _KEY.fullmatch(paper):
            raise ValueError(f"unknown paper key {paper!r}: a catalog key must be a lower-case "
                             f"identifier (built-in keys: {', '.join(PAPER_KEYS)})")
        self.paper = paper
        self.title = title
        self.claims: list[Claim] = []
        self.builtin = paper in PAPER_KEYS
        if not self.builtin:
            _USER[paper] = self

    def claim(self, slug: str, *, label: str, kind: Kind, statement: str,
              as_printed: bool = True, corrects: str | None = None, note: str = "",
              slow: bool = False, same_cases: bool = False) -> Callable:
        """Decorator registering a claim: ``fn(ctx)`` or ``fn(ctx, rng)`` that yields (or
        returns a list of) the :class:`CaseResult` its judges return.

        The claim id is ``<paper>.<slug>``; ``corrects`` may be given as a slug or a full id.
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

        def deco(fn):
            if any(c.id == cid for c in self.claims):
                raise ValueError(f"duplicate claim id {cid!r}")
            self.claims.append(Claim(cid, self.paper, label, statement, kind, fn,
                                     as_printed=as_printed, corrects=corrects, note=note,
                                     slow=slow, same_cases=same_cases))
            return fn

        return deco


    def explorer(self, slug: str, **defaults: float) -> Callable:
        """Decorator attaching an explorer to the claim ``<paper>.<slug>`` (declared before it):
        ``fn(ctx, **params) -> (theory, Estimate)`` computes the closed form and its Monte
        Carlo estimate at one point; ``defaults`` names the parameters ``dropmc explore`` may
        sweep and their values at the other points."""
        cid = f"{self.paper}.{slug}"

        def deco(fn):
            claim = next((c for c in self.claims if c.id == cid), None)
            if claim is None:
                raise ValueError(f"explorer for unknown claim {cid!r} (declare the claim first)")
            if not defaults:
                raise ValueError(f"explorer for {cid!r} needs at least one parameter default")
            claim.explorer = fn
            claim.explore_params = {k: float(v) for k, v in defaults.items()}
            return fn

        return deco


def load_module(name: str) -> list[Catalog]:
    """Import a module of user claims by dotted name (``mypkg.claims``) or file path
    (``claims.py``) and return the user catalogs it defines.

    The current directory is importable, as for ``python -m``. Raises ValueError with a clear
    message when the module cannot be found or defines no catalog.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("--module must name a module (mypkg.claims) or a .py file")
    before = dict(_USER)
    if name.endswith(".py") or os.sep in name:
        path = Path(name)
        if not path.is_file():
            raise ValueError(f"--module file {name!r} does not exist")
        mod_name = f"dropmc_user_{path.stem}"
        spec = importlib.util.spec_from_file_location(mod_name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = mod
        spec.loader.exec_module(mod)
    else:
        if os.getcwd() not in sys.path and "" not in sys.path:
            sys.path.insert(0, os.getcwd())
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            raise ValueError(f"--module {name!r} cannot be imported: {exc}") from None
    cats = [v for v in vars(mod).values() if isinstance(v, Catalog) and not v.builtin]
    for key, cat in _USER.items():
        if cat not in cats and before.get(key) is not cat:
            cats.append(cat)
    if not cats:
        raise ValueError(f"module {name!r} defines no dropmc Catalog with a non-built-in key")
    return cats


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
    ids = {c.id for c in claims}
    for c in claims:
        if c.corrects is not None and c.corrects not in ids:
            raise ValueError(f"claim {c.id!r} corrects unknown claim {c.corrects!r}")


def get(claim_id: str) -> Claim:
    paper = claim_id.split(".", 1)[0]
    if paper not in PAPER_KEYS and paper not in _USER:
        raise ValueError(f"unknown claim id {claim_id!r}: it must start with a paper key "
                         f"({', '.join(known_keys())}; user catalogs need --module)")
    for c in catalog(paper).claims:
        if c.id == claim_id:
            return c
    raise ValueError(f"unknown claim id {claim_id!r}; `dropmc list --paper {paper}` shows the ids")
