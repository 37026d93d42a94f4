"""Write where a ``dropmc verify`` run spent its time into benchmarks/results.md.

    python tools/profile_table.py [REPORT_JSON] [--wall SECONDS] [--top 20]

Reads the profile a run records in report.json (``meta["profile"]``: the seconds of each
claim's evaluation and power runs, how power was found, the figures; the phase totals) and
replaces the section between ``<!-- profile:start -->`` and ``<!-- profile:end -->`` of
benchmarks/results.md (appending it the first time) with the totals per phase and the
``--top`` most expensive claims and figures. ``--wall`` is the wall time of the whole command
as measured outside it (``/usr/bin/time``), which includes starting Python and writing the
report.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.md"
START, END = "<!-- profile:start -->", "<!-- profile:end -->"


def section(report: dict, *, top: int = 20, wall: float | None = None) -> str:
    """The Markdown of the profile section for ``report`` (report.json as a dict)."""
    meta = report.get("meta", {})
    prof = meta.get("profile")
    if not prof:
        raise ValueError("the report has no meta.profile: it was written by an older dropmc or "
                         "not by `dropmc verify`")
    ph = prof["phases"]
    claims = prof["claims"]
    n_rerun = sum(c.get("power_method") == "rerun" for c in claims)
    n_evid = sum(c.get("power_method") == "evidence" for c in claims)
    src = meta.get("source") or {}
    sched = meta.get("scheduler", "local")
    lines = [START, "## Where `dropmc verify` spends its time", "",
             f"Run: seed {report['seed']}, precision {report['precision']}, "
             f"{len(claims)} claims, scheduler `{sched}`"
             + (f", commit {src['commit'][:10]}" if src.get("commit") else "")
             + (f", source digest `{src['digest']}`" if src.get("digest") else "")
             + f"; {meta.get('machine', '?')}, Python {meta.get('python', '?')}. "
             "The claims' evaluation and power seconds are summed over claims (on a cluster "
             "they overlap); the figures are drawn beside the claims on a cluster, before them "
             "otherwise.", "",
             "| phase | seconds |", "|---|---|"]
    if wall is not None:
        lines.append(f"| whole command (wall) | {wall:.0f} |")
    lines += [f"| figures (wall) | {ph['figures']:.0f} |" if ph.get("figures") is not None
              else "| figures | not drawn |",
              f"| claims phase (wall) | {ph['claims_wall']:.0f} |",
              f"| claim evaluations (sum) | {ph['evaluate']:.0f} |",
              f"| power (sum; {n_evid} claims from the recorded evidence, {n_rerun} re-run) | "
              f"{ph['power']:.0f} |", "",
              f"The {top} most expensive claims:", "",
              "| claim | evaluate (s) | power (s) | power by | figures of its section |",
              "|---|---|---|---|---|"]
    for c in claims[:top]:
        lines.append(f"| `{c['id']}` | {c['evaluate']:.1f} | {c['power']:.1f} | "
                     f"{c.get('power_method') or '—'} | {', '.join(c['figures']) or '—'} |")
    figs = sorted(((k, v) for k, v in prof.get("figures", {}).items() if v["seconds"]),
                  key=lambda kv: -kv[1]["seconds"])
    if figs:
        lines += ["", f"The {min(top, len(figs))} most expensive figures:", "",
                  "| figure | seconds | claims it illustrates |", "|---|---|---|"]
        for k, v in figs[:top]:
            lines.append(f"| `{k}` | {v['seconds']:.1f} | {len(v['claims'])} |")
    lines.append(END)
    return "\n".join(lines)


def replace_section(text: str, new: str) -> str:
    """``text`` with its profile section replaced by ``new`` (appended when absent)."""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        return head + new + rest.split(END, 1)[1]
    return text.rstrip("\n") + "\n\n" + new + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", nargs="?", default="report/report.json")
    ap.add_argument("--wall", type=float, help="the whole command's wall time in seconds")
    ap.add_argument("--top", type=int, default=20)
    args = ap.parse_args(argv)
    try:
        report = json.loads(Path(args.report).read_text())
        new = section(report, top=args.top, wall=args.wall)
    except (OSError, ValueError) as exc:
        print(f"profile_table: {exc}", file=sys.stderr)
        return 2
    RESULTS.write_text(replace_section(RESULTS.read_text(), new))
    print(f"wrote the profile of {args.report} into {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
