"""Fill README.md's results table and figure gallery from a verify run.

Usage: python tools/readme_results.py [report/report.json] [report/figures]

The table lists every claim with its verdict and evidence summary as the run wrote them (no
number is typed in here); the PNGs are copied to docs/figures/ so the README can show them.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from dropmc.report import PAPER_TITLES

ROOT = Path(__file__).resolve().parents[1]


def power(c: dict) -> str:
    pw = c.get("power") or {}
    st = pw.get("status")
    if st == "measured":
        return f"{pw['delta']:.0e}"
    return {"unfalsifiable": "⚠ none", "no theory side": "⚠ none", "n/a": "—"}.get(st, "")


def errors_list(d: dict) -> list[str]:
    """The claims whose code failed (ERROR), listed apart from the verdicts: none in a healthy
    run, so the section appears only when one did."""
    errors = [c for c in d["claims"] if c["verdict"] == "ERROR"]
    if not errors:
        return []
    return (["### Errors", "", "The code of these claims failed, so their statements were not "
             "decided (report.md, \"Errors\", has the tracebacks):", ""]
            + [f"- `{c['id']}` ({esc(c['label'])}): {esc(c['summary'])}" for c in errors] + [""])


def esc(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def coverage_table() -> str:
    """Counts of `dropmc coverage` (the printed equation numbers shipped with dropmc)."""
    from dropmc import PAPER_KEYS, coverage

    rows = ["| paper | checked | checkable | not checkable | checkable without a claim |",
            "|---|---|---|---|---|"]
    for key in PAPER_KEYS:
        stmts, _ = coverage.build(key)
        k = coverage.counts(stmts)
        rows.append(f"| [{PAPER_TITLES[key]}](docs/coverage/{key}.md) | {k['checked']} | {k['checkable']} "
                    f"| {k['not checkable']} | {k['unchecked']} |")
    return "\n".join(rows)


def main(argv):
    rep = Path(argv[0]) if argv else ROOT / "report" / "report.json"
    figdir = Path(argv[1]) if len(argv) > 1 else ROOT / "report" / "figures"
    d = json.loads(rep.read_text())
    meta = d.get("meta") or {}
    flags = " --include-slow" if meta.get("include_slow") else ""
    skipped = meta.get("skipped_slow") or []
    lines = [f"From `dropmc verify --precision {d['precision']} --seed {d['seed']}{flags}` "
             f"(dropmc {d['dropmc']}, {d['seconds']:.0f} s): "
             + ", ".join(f"{v} {k}" for k, v in d["counts"].items() if v) + "."
             + (f" Not run: {len(skipped)} claims marked slow ({', '.join(skipped)})." if skipped else ""),
             ""]
    lines += errors_list(d)
    papers = []
    for c in d["claims"]:
        if c["paper"] not in papers:
            papers.append(c["paper"])
    for p in papers:
        cs = [c for c in d["claims"] if c["paper"] == p]
        counts = {}
        for c in cs:
            counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
        lines += [f"### {PAPER_TITLES.get(p, p)}", "",
                  ", ".join(f"{v} {k}" for k, v in counts.items()), "",
                  "| claim | label | verdict | power δ | evidence |", "|---|---|---|---|---|"]
        for c in cs:
            tag = "" if c["as_printed"] else (" (correction)" if c["corrects"] else " (extension)")
            summ = c["summary"] if len(c["summary"]) < 220 else c["summary"][:217] + "..."
            lines.append(f"| `{c['id'].split('.', 1)[1]}`{tag} | {esc(c['label'])} | **{c['verdict']}** | {power(c)} | {esc(summ)} |")
        lines.append("")
    errata = [c for c in d["claims"] if c["as_printed"] and c["verdict"] == "REFUTED"]
    if errata:
        lines += ["### Errata found", ""]
        corr = {c["corrects"]: c for c in d["claims"] if c["corrects"]}
        for c in errata:
            fix = corr.get(c["id"])
            lines.append(f"- **{c['paper']} — {esc(c['label'])}**: {esc(c['statement'])} — REFUTED: {esc(c['summary'][:300])}"
                         + (f" Finding: {esc(c['note'])}" if c["note"] else "")
                         + (f" Correction `{fix['id']}`: {fix['verdict']}." if fix else ""))
        lines.append("")
    table = "\n".join(lines)
    out = ROOT / "docs" / "figures"
    out.mkdir(parents=True, exist_ok=True)
    gallery = []
    for png in sorted(figdir.glob("*.png")):
        shutil.copy2(png, out / png.name)
        gallery.append(f"**{png.stem}**\n\n![{png.stem}](docs/figures/{png.name})\n")
    readme = (ROOT / "README.md").read_text()
    readme = re.sub(r"(<!-- results:start -->\n).*?(<!-- results:end -->)",
                    lambda m: m.group(1) + table + "\n" + m.group(2), readme, flags=re.S)
    readme = re.sub(r"(<!-- figures:start -->\n).*?(<!-- figures:end -->)",
                    lambda m: m.group(1) + "\n".join(gallery) + m.group(2), readme, flags=re.S)
    readme = re.sub(r"(<!-- coverage:start -->\n).*?(<!-- coverage:end -->)",
                    lambda m: m.group(1) + coverage_table() + "\n" + m.group(2), readme, flags=re.S)
    (ROOT / "README.md").write_text(readme)
    print(f"README updated: {len(d['claims'])} claims, {len(gallery)} figures")


if __name__ == "__main__":
    main(sys.argv[1:])
