"""Fill README.md's results table and figure gallery from a verify run.

Usage: python tools/readme_results.py [report/report.json] [report/figures]
       python tools/readme_results.py check     # exits 1 if the sources changed since

The table lists every claim with its verdict and evidence summary as the run wrote them (no
number is typed in here), each paper's printed statements by verdict and kind of error, and
the errata by class; the PNGs are copied to docs/figures/ so the README can show them. The
block names the commit the run was made from and the digest of the sources that decided it
(``dropmc.runner.source_digest``): regenerate it in the commit that changes results, and
``check`` says whether the sources still have that digest.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from dropmc.claims import origin
from dropmc.findings import (PAPER_TITLES, errata_lines, power_text, printed_headline,
                             tally_rows)

ROOT = Path(__file__).resolve().parents[1]


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

    rows = ["| paper | checked | checked in part | checkable | not checkable | checkable without a "
            "claim |", "|---|---|---|---|---|---|"]
    for key in PAPER_KEYS:
        stmts, _ = coverage.build(key)
        k = coverage.counts(stmts)
        rows.append(f"| [{PAPER_TITLES[key]}](docs/coverage/{key}.md) | {k['checked']} | "
                    f"{k['partial']} | {k['checkable']} "
                    f"| {k['not checkable']} | {k['unchecked']} |")
    return "\n".join(rows)


def check() -> int:
    """0 when README's results block names the digest of the current sources, else 1."""
    from dropmc.runner import source_digest

    m = re.search(r"source digest `([0-9a-f]+|unknown)`", (ROOT / "README.md").read_text())
    now = source_digest()
    if m and m.group(1) == now:
        print(f"README results are from the current sources (digest {now})")
        return 0
    print(f"README results are from sources with digest {m.group(1) if m else '(none named)'}; "
          f"the current sources have {now}: run `make verify SEED=…` and this script")
    return 1


def main(argv):
    if argv[:1] == ["check"]:
        sys.exit(check())
    rep = Path(argv[0]) if argv else ROOT / "report" / "report.json"
    figdir = Path(argv[1]) if len(argv) > 1 else ROOT / "report" / "figures"
    d = json.loads(rep.read_text())
    meta = d.get("meta") or {}
    flags = " --include-slow" if meta.get("include_slow") else ""
    skipped = meta.get("skipped_slow") or []
    src = meta.get("source") or {}
    at = (f" at commit {src['commit'][:10]}" + (" with the changes committed with this table"
                                                if src.get("dirty") else "")
          if src.get("commit") else "")
    sched = meta.get("scheduler", "local")
    ph = (meta.get("profile") or {}).get("phases") or {}
    drawn = ph.get("figures") is not None
    flags += (" --figures" if drawn else "") + (f" --scheduler {sched}" if sched != "local" else "")
    took = (f"claims {d['seconds']:.0f} s"
            + (f", figures {ph['figures']:.0f} s" + (" beside them" if sched != "local" else "")
               if drawn else "")
            + "; where the time goes: benchmarks/results.md")
    lines = [f"From `dropmc verify --precision {d['precision']} --seed {d['seed']}{flags}` "
             f"(dropmc {d['dropmc']}{at}; source digest `{src.get('digest', 'unknown')}`; "
             f"{took}): "
             + ", ".join(f"{v} {k}" for k, v in d["counts"].items() if v) + "."
             + (f" Not run: {len(skipped)} claims marked slow ({', '.join(skipped)})." if skipped else ""),
             ""]
    lines += [printed_headline(d), ""]
    lines += errors_list(d)
    lines += ["### Printed statements per paper", "",
              "What each paper's own statements came to, the refuted ones by kind of error; "
              "corrections, other readings of a statement's wording and the statements dropmc "
              "adds are counted apart.", ""] + tally_rows(d) + [""]
    papers = []
    for c in d["claims"]:
        if c["paper"] not in papers:
            papers.append(c["paper"])
    tags = {"correction": " (correction)", "reading": " (other reading)",
            "extension": " (extension)", "printed": ""}
    for p in papers:
        cs = [c for c in d["claims"] if c["paper"] == p]
        counts = {}
        for c in cs:
            counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
        lines += [f"### {PAPER_TITLES.get(p, p)}", "",
                  ", ".join(f"{v} {k}" for k, v in counts.items()), "",
                  "| claim | label | verdict | power δ | evidence |", "|---|---|---|---|---|"]
        for c in cs:
            summ = c["summary"] if len(c["summary"]) < 220 else c["summary"][:217] + "..."
            lines.append(f"| `{c['id'].split('.', 1)[1]}`{tags[origin(c)]} | {esc(c['label'])} | "
                         f"**{c['verdict']}** | {power_text(c, short=True)} | {esc(summ)} |")
        lines.append("")
    errata = errata_lines(d, limit=300)
    if errata:
        lines += ["### Errata found", "",
                  "Grouped by kind of error, decided by the evidence on each statement's "
                  "corrections: *misprint* when a correction fixing an obvious slip holds, "
                  "*scope* when one narrowing the condition holds, *substantive* otherwise.", ""]
        lines += [line.replace("### ", "#### ", 1) if line.startswith("### ") else line
                  for line in errata]
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
