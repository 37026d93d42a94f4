"""What a run found, in words: the errata by kind of error, each paper's printed statements by
verdict and class, and a claim's power — shared by report.md, report.html, the terminal
summary and the README's results (``tools/readme_results.py``).

Everything here reads a run as the dicts of report.json (``Run.to_dict()``), so that a
report.json written by an earlier run renders the same way.
"""

from __future__ import annotations

from dropmc.claims import ERROR_CLASSES, classify, tally

#: the built-in papers' titles as the report names them
PAPER_TITLES = {
    "drop_activation": "Drop-Activation (Liang, Khoo, Yang)",
    "variance_constancy": "Variance Constancy Loss (Littwin, Wolf)",
    "ensemble_averaging": "The dropout learning algorithm (Baldi, Sadowski)",
    "implicit_regularization": "Implicit Regularization of Dropout (Zhang, Xu)",
}


def errata(run_dict: dict) -> list[dict]:
    """REFUTED printed claims, each ``{"claim", "class", "corrections"}``, grouped by class in
    the order of :data:`~dropmc.claims.ERROR_CLASSES` (a false statement first, a misprint
    last) and in catalog order within a class. The class is the one the run recorded
    (:func:`dropmc.claims.classify`), computed here for a report.json written before it was."""
    claims = run_dict["claims"]
    if any("error_class" not in c for c in claims):
        claims = classify([dict(c) for c in claims])
    by_corrects: dict[str, list[dict]] = {}
    for c in claims:
        if c["corrects"]:
            by_corrects.setdefault(c["corrects"], []).append(c)
    out = [{"claim": c, "class": c["error_class"], "corrections": by_corrects.get(c["id"], [])}
           for c in claims if c["error_class"]]
    return sorted(out, key=lambda e: ERROR_CLASSES.index(e["class"]))


#: what each class of erratum means, for the report's errata headings
CLASS_TEXT = {
    "substantive": "false in the paper's own setting, with no one-symbol fix",
    "scope": "true only under a narrower condition than printed (the narrower statement holds)",
    "misprint": "the printed form is wrong, the intended one (an obvious slip fixed) holds",
}


def tally_rows(d: dict) -> list[str]:
    """The markdown table of what each paper's printed statements came to: how many there are,
    each verdict, the refuted ones by class; and apart, the corrections (how many hold), the
    other readings and the statements dropmc adds (how many are refuted)."""
    papers = d.get("papers") or tally(classify([dict(c) for c in d["claims"]]))
    rows = ["| paper | printed | CONFIRMED | APPROXIMATE | REFUTED: substantive · scope · "
            "misprint | INCONCLUSIVE | ERROR | corrections (hold) | other readings | "
            "extensions (REFUTED) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for paper, t in papers.items():
        pr = t.get("printed", {"total": 0})
        by = pr.get("refuted_by_class") or {k: 0 for k in ERROR_CLASSES}
        corr, rd, ext = (t.get(k, {"total": 0}) for k in ("correction", "reading", "extension"))
        held = corr.get("CONFIRMED", 0) + corr.get("APPROXIMATE", 0)
        rows.append(f"| {paper_title(d, paper)} | {pr['total']} | {pr.get('CONFIRMED', 0)} | "
                    f"{pr.get('APPROXIMATE', 0)} | {pr.get('REFUTED', 0)}: "
                    + " · ".join(str(by[k]) for k in ERROR_CLASSES)
                    + f" | {pr.get('INCONCLUSIVE', 0)} | {pr.get('ERROR', 0)} | {corr['total']} "
                    f"({held}) | {rd['total']} | {ext['total']} ({ext.get('REFUTED', 0)}) |")
    return rows


def printed_headline(d: dict) -> str:
    """One sentence: how many of the claims are the papers' own statements and how many of
    those the evidence refutes, by class (the verdict counts mix in corrections, other readings
    and the statements dropmc adds)."""
    claims = d["claims"] if all("error_class" in c for c in d["claims"]) else classify(
        [dict(c) for c in d["claims"]])
    printed = [c for c in claims if c["as_printed"]]
    by = {k: sum(c.get("error_class") == k for c in printed) for k in ERROR_CLASSES}
    refuted = sum(by.values())
    return (f"Of the {len(claims)} claims, {len(printed)} are the papers' printed statements; "
            f"the evidence refutes {refuted} of them ("
            + ", ".join(f"{v} {k}" for k, v in by.items()) + ")"
            + f". The other {len(claims) - len(printed)} are corrections, other readings and "
            "statements dropmc adds.")


def errata_lines(d: dict, *, limit: int | None = None) -> list[str]:
    """The errata in markdown, grouped by class (substantive first): each refuted printed
    statement, what refuted it, the finding, its corrections with what they fix, or why none is
    registered. ``limit`` cuts the refutation summary (the README)."""
    lines: list[str] = []
    er = errata(d)
    for cls in ERROR_CLASSES:
        group = [e for e in er if e["class"] == cls]
        if not group:
            continue
        lines += [f"### {cls.capitalize()} ({len(group)}): {CLASS_TEXT[cls]}", ""]
        for e in group:
            c = e["claim"]
            summ = c["summary"] if limit is None or len(c["summary"]) <= limit else c["summary"][:limit - 3] + "..."
            lines.append(f"- **{md_escape(paper_title(d, c['paper']))} — {md_escape(c['label'])}** "
                         f"(`{c['id']}`): {c['statement']}  ")
            lines.append(f"  Refuted: {md_escape(summ)}  ")
            if c["note"]:
                lines.append(f"  Finding: {c['note']}  ")
            for corr in e["corrections"]:
                lines.append(f"  Correction `{corr['id']}` ({corr.get('fix') or 'unclassified'}, "
                             f"{corr['verdict']}): {corr['statement']}  ")
            if not e["corrections"]:
                lines.append("  No correction registered"
                             + (f": {c['no_correction']}" if c.get("no_correction") else ".") + "  ")
            lines.append("")
    return lines


#: power statuses the report flags: no δ ≤ 1 refutes, no theory side, or only δ = 1 refutes
WEAK_POWER = ("unfalsifiable", "no theory side", "at one only")
#: how the power text names each kind of evidence (dropmc.claims.evidence_kind)
_KIND_SHORT = {"exact": "exact", "monte_carlo": "MC", "search": "search"}


def power_text(c: dict, *, short: bool = False) -> str:
    """The claim's power in words: the smallest relative error δ of its theory side that its
    evidence refutes, per kind of evidence when it has several (exact, MC, search), and how
    many of its cases hold even at δ = 1. ``short`` drops the counts (terminal, README)."""
    pw = c.get("power") or {}
    st = pw.get("status")
    if st in ("measured", "at one only"):
        kinds = pw.get("by_evidence") or {}
        if len(kinds) > 1:
            delta = " · ".join(
                f"{_KIND_SHORT.get(k, k)} {'none' if v['delta'] is None else format(v['delta'], '.0e')}"
                for k, v in kinds.items())
        else:
            delta = f"{pw['delta']:.0e}"
        ins = pw.get("insensitive_cases")
        held = f"{ins} of {pw.get('cases_at_delta_1')} cases hold even at δ = 1" if ins else ""
        if st == "at one only":
            return "⚠ δ = 1 only" + ("" if short else " (not power: a bound moved to 0 or a value "
                                     "doubled" + (f"; {held}" if held else "") + ")")
        return ("" if short else "δ = ") + delta + ("" if short or not held else f" ({held})")
    if st == "unfalsifiable":
        return "⚠ none" if short else "⚠ none (δ = 1 not refuted)"
    if st == "no theory side":
        return "⚠ none" if short else "⚠ none (no theory side compared)"
    return ("—" if short else "n/a") if st == "n/a" else ("" if short else "not measured")


def md_escape(s: str) -> str:
    """``s`` for a markdown table cell: pipes escaped, newlines as spaces."""
    return str(s).replace("|", "\\|").replace("\n", " ")


def paper_title(d: dict, paper: str) -> str:
    """A paper's title in a report of the run ``d``: the built-in paper's, else the one its
    user catalog was given (``Catalog(key, title=...)``, recorded in the run's meta), else
    the key."""
    return (PAPER_TITLES.get(paper) or ((d.get("meta") or {}).get("titles") or {}).get(paper)
            or paper)
