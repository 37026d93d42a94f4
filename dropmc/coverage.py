"""The coverage map: every numbered equation and checkable sentence of a paper, each mapped to
the claims that decide it or to a one-line reason why it is not checked.

The hand-kept part lives in ``dropmc/coverage_data/<paper key>.toml``::

    [[statement]]
    ref = "Eq. 15"                       # where it is printed
    text = "Var(X_test)/Var(X_train) = …" # what it says (short)
    claims = ["prop5_2.eq15_shift_ratio"] # slugs or full ids of the deciding claims

    [[statement]]
    ref = "Eq. 13"
    text = "X_train := Σ w_i((1 − P_i)x_i + P_i r(x_i))"
    reason = "definition"                 # not checkable, and why

    [[statement]]
    ref = "Sec. 1.1"
    text = "the deterministic network represents the ensemble average"
    claims = ["eq5.expected_map"]
    missing = "two or more layers"        # what the claims leave undecided: *partial*

A statement with neither ``claims`` nor ``reason`` is *checkable but not yet checked*; one whose
claims decide only part of it names the rest in ``missing`` and is *partial* (checkable, not
counted as checked). The map
is completed from the registry (a claim whose label names an equation the file lacks adds
that equation) and from the equation numbers printed in the paper (a number nobody listed is
reported as unclassified). Those numbers ship with the package
(``dropmc/coverage_data/equations.toml``, read off the texts by :func:`equation_numbers`), so
nothing outside the package is read; ``dropmc coverage --papers-dir DIR`` reads them from the
texts instead and says where the shipped list differs. ``dropmc coverage`` prints the counts;
``--write DIR`` writes ``DIR/<paper key>.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

#: how the four texts print equation numbers (\\quad (12), \\tag{12}, (12) $$ …)
_EQ_PATTERNS = (r"\\tag\{(\d{1,3})\}", r"\\q?quad\s*\((\d{1,3})\)", r"\((\d{1,3})\)\s*\$\$",
                r"\((\d{1,3})\)\s*$")

#: paper key → file name of its extracted text (for ``dropmc coverage --papers-dir DIR``)
PAPER_FILES = {
    "drop_activation": "000_b9ead0db96e648a9.txt",
    "variance_constancy": "002_9a648674241eea9f.txt",
    "ensemble_averaging": "003_d308d0ca78c602f9.txt",
    "implicit_regularization": "004_8dd0d9172fdc6b2c.txt",
}


@dataclass
class Statement:
    ref: str
    text: str = ""
    claims: list[str] = field(default_factory=list)
    reason: str = ""
    source: str = "hand"  # "hand" (the data file), "registry" or "text"
    #: what the claims leave undecided (a statement they decide only in part)
    missing: str = ""

    @property
    def status(self) -> str:
        if self.claims and self.missing:
            return "partial"
        if self.claims:
            return "checked"
        if self.reason:
            return "not checkable"
        return "unchecked"


def equation_numbers(text: str) -> set[int]:
    """The equation numbers printed in a paper's text."""
    out: set[int] = set()
    for line in text.splitlines():
        for pat in _EQ_PATTERNS:
            for m in re.finditer(pat, line.rstrip()):
                out.add(int(m.group(1)))
    return out


def _eq_refs(label: str) -> list[int]:
    """``"Property 5.1, Eq. 9, Eq. 10"`` → [9, 10]; ``Eq. 98–102`` → 98 … 102."""
    out = []
    for m in re.finditer(r"Eq(?:s)?\.\s*(\d{1,3})(?:\s*[–-]\s*(\d{1,3}))?", label):
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        if b >= a and b - a < 40:
            out.extend(range(a, b + 1))
    return out


def printed_equations(paper: str) -> set[int]:
    """The equation numbers printed in ``paper``, as shipped in
    ``dropmc/coverage_data/equations.toml`` (empty for a paper without a list)."""
    import tomllib

    raw = resources.files("dropmc").joinpath("coverage_data", "equations.toml").read_bytes()
    return set(tomllib.loads(raw.decode("utf-8")).get(paper, {}).get("printed", []))


def load(paper: str) -> list[Statement]:
    """The hand-kept statements of ``paper`` (empty when it has no data file yet)."""
    import tomllib

    try:
        raw = resources.files("dropmc").joinpath("coverage_data", f"{paper}.toml").read_bytes()
    except (FileNotFoundError, OSError):
        return []
    data = tomllib.loads(raw.decode("utf-8"))
    out = []
    for i, s in enumerate(data.get("statement", [])):
        if "ref" not in s:
            raise ValueError(f"coverage_data/{paper}.toml: statement {i} has no ref")
        if s.get("claims") and s.get("reason"):
            raise ValueError(f"coverage_data/{paper}.toml: {s['ref']!r} has both claims and a reason")
        if s.get("missing") and not s.get("claims"):
            raise ValueError(f"coverage_data/{paper}.toml: {s['ref']!r} names what is missing "
                             "but no claims (a statement without claims is unchecked)")
        out.append(Statement(s["ref"], s.get("text", ""), list(s.get("claims", [])),
                             s.get("reason", ""), missing=s.get("missing", "")))
    return out


def build(paper: str, paper_text: str | None = None) -> tuple[list[Statement], list[str]]:
    """The complete map of ``paper`` and the list of problems (unknown claim ids, registered
    claims no statement names). The printed equation numbers come from ``paper_text`` when it
    is given, else from the shipped list (:func:`printed_equations`)."""
    from dropmc.registry import all_claims

    claims = {c.id: c for c in all_claims(paper)}
    stmts = load(paper)
    problems = []
    for s in stmts:
        full = [c if c.startswith(paper + ".") else f"{paper}.{c}" for c in s.claims]
        bad = [c for c in full if c not in claims]
        if bad:
            problems.append(f"{s.ref}: unknown claim id(s) {', '.join(bad)}")
        s.claims = [c for c in full if c in claims]
    listed_eqs = {n for s in stmts for n in _eq_refs(s.ref)}
    # equations named by claim labels but missing from the file
    by_eq: dict[int, list[str]] = {}
    for c in claims.values():
        for n in _eq_refs(c.label):
            by_eq.setdefault(n, []).append(c.id)
    for n in sorted(set(by_eq) - listed_eqs):
        stmts.append(Statement(f"Eq. {n}", "", by_eq[n], "", "registry"))
    listed_eqs |= set(by_eq)
    printed = (equation_numbers(paper_text) if paper_text is not None
               else printed_equations(paper))
    for n in sorted(printed - listed_eqs):
        stmts.append(Statement(f"Eq. {n}", "", [], "", "text"))
    named = {c for s in stmts for c in s.claims}
    for cid, c in claims.items():
        if cid not in named:
            stmts.append(Statement(c.label, c.statement, [cid], "", "registry"))
    return stmts, problems


def counts(stmts: list[Statement]) -> dict[str, int]:
    out = {"checked": 0, "partial": 0, "unchecked": 0, "not checkable": 0}
    for s in stmts:
        out[s.status] += 1
    out["checkable"] = out["checked"] + out["partial"] + out["unchecked"]
    return out


def markdown(paper: str, stmts: list[Statement], problems: list[str]) -> str:
    k = counts(stmts)
    lines = [f"# Coverage map: `{paper}`", "",
             "Generated by `dropmc coverage --paper " + paper + " --write docs/coverage` from the "
             f"registry and `dropmc/coverage_data/{paper}.toml`. Do not edit by hand.", "",
             f"**{k['checked']} checked / {k['checkable']} checkable** · {k['partial']} checked "
             f"in part · {k['not checkable']} not checkable · {k['unchecked']} checkable without "
             "a claim", ""]
    if problems:
        lines += ["Problems:", ""] + [f"- {p}" for p in problems] + [""]
    lines += ["| where | statement | status | claims or reason |", "|---|---|---|---|"]
    for s in stmts:
        what = (", ".join(f"`{c.split('.', 1)[1]}`" for c in s.claims) if s.claims
                else (s.reason or ("*unclassified (from the text)*" if s.source == "text" else "—")))
        if s.missing:
            what += f"; *not decided:* {s.missing}"
        text = s.text.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {s.ref} | {text} | {s.status} | {what} |")
    return "\n".join(lines) + "\n"


def paper_text(paper: str, papers_dir) -> str | None:
    if papers_dir is None:
        return None
    p = Path(papers_dir) / PAPER_FILES.get(paper, "")
    return p.read_text(encoding="utf-8") if p.is_file() else None
