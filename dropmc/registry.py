"""The claim registry: every paper's catalog, looked up by paper key or claim id.

A catalog is a module ``dropmc.papers.<paper_key>`` that builds a :class:`Catalog` named
``CATALOG``; claims are added with its :meth:`Catalog.claim` decorator.
"""

from __future__ import annotations

import importlib
from typing import Callable

from dropmc import PAPER_KEYS
from dropmc.claims import Claim, Kind


class Catalog:
    """The claims of one paper, in the order they were declared."""

    def __init__(self, paper: str):
        if paper not in PAPER_KEYS:
            raise ValueError(f"unknown paper key {paper!r}; known: {', '.join(PAPER_KEYS)}")
        self.paper = paper
        self.claims: list[Claim] = []

    def claim(self, slug: str, *, label: str, kind: Kind, statement: str,
              as_printed: bool = True, corrects: str | None = None, note: str = "",
              slow: bool = False) -> Callable:
        """Decorator registering ``evaluate(ctx) -> list[CaseResult]`` as a claim.

        The claim id is ``<paper>.<slug>``; ``corrects`` may be given as a slug or a full id.
        """
        cid = f"{self.paper}.{slug}"
        if corrects is not None and not corrects.startswith(self.paper + "."):
            corrects = f"{self.paper}.{corrects}"

        def deco(fn):
            if any(c.id == cid for c in self.claims):
                raise ValueError(f"duplicate claim id {cid!r}")
            self.claims.append(Claim(cid, self.paper, label, statement, kind, fn,
                                     as_printed=as_printed, corrects=corrects, note=note,
                                     slow=slow))
            return fn

        return deco


def available_papers() -> list[str]:
    """Paper keys whose catalog module exists."""
    out = []
    for key in PAPER_KEYS:
        try:
            importlib.import_module(f"dropmc.papers.{key}")
        except ModuleNotFoundError as exc:
            if exc.name != f"dropmc.papers.{key}":
                raise
            continue
        out.append(key)
    return out


def catalog(paper: str) -> Catalog:
    if paper not in PAPER_KEYS:
        raise ValueError(f"unknown paper key {paper!r}; known: {', '.join(PAPER_KEYS)}")
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
    if paper not in PAPER_KEYS:
        raise ValueError(f"unknown claim id {claim_id!r}: it must start with a paper key "
                         f"({', '.join(PAPER_KEYS)})")
    for c in catalog(paper).claims:
        if c.id == claim_id:
            return c
    raise ValueError(f"unknown claim id {claim_id!r}; `dropmc list --paper {paper}` shows the ids")
