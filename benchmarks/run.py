"""Run the ``benchmarks/bench_*.py`` modules and write results.md and results.json.

Each module exposes ``rows()``: dicts with ``name``, ``unit``, ``throughput`` (the Numba
kernel), ``numpy_throughput`` (a plain-numpy implementation of the same estimator, same run)
and one of three kinds of limit, measured in the same run:

* RNG-bound rows: ``rng_limit_throughput``, drawing the same random numbers alone with the
  kernel's generator and chunking. Target: ≥ 5x numpy and ≥ 90% of the RNG limit.
* compute-bound rows: ``rng_limit_throughput: None`` and ``arithmetic_limit_throughput``, the
  machine's rate for the same arithmetic (numpy's BLAS on the same matrix shapes plus the
  vectorised exp/log work), with an optional ``baseline_throughput`` (the previous kernel's
  rate, shown in the notes). Target: ≥ 50% of the arithmetic limit (numpy's BLAS is the limit,
  so no multiple of numpy is asked).
* deterministic (enumeration) rows: neither limit. Target: ≥ 5x the best numpy enumeration.
  A row may set its own ``min_speedup`` (the Sec. 9.5–9.6 enumeration: issue 18 asks it to
  match numpy's doubling construction, ≥ 1x, while it also computes the N×N second moments).
* reported rows (``"reported": True``): a trainer whose numpy baseline runs the same numpy
  code one network at a time, with no limit measured: the speed-up is shown, no target.

A module may also expose ``section()``, a markdown section appended to results.md.

``python benchmarks/run.py [KEY ...]`` runs only the modules ``bench_KEY.py``; the rows and
sections of the other modules are kept from the previous results.json (results.md of an older
run, for sections it did not record) and results.md is written from the merged rows.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

#: the targets of each kind of row: (text, minimum × numpy, minimum fraction of the limit)
TARGETS = {"rng": ("≥5x numpy, ≥90% RNG limit", 5.0, 0.9),
           "arithmetic": ("≥50% of arithmetic limit", None, 0.5),
           None: ("≥5x numpy enumeration", 5.0, None)}
LIMIT_NAMES = {"rng": "RNG", "arithmetic": "arithmetic"}


def _fmt(x):
    if x is None:
        return "—"
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= div:
            return f"{x / div:.2f}{unit}"
    return f"{x:.1f}"


def _met(meets) -> str:
    return "—" if meets is None else ("yes" if meets else "**no**")


def judge_row(r: dict, paper: str) -> dict:
    """The row with its paper, speed-up, kind of limit, fraction of it and target verdict
    (results.json keeps ``fraction_of_rng_limit`` for RNG-bound rows, as before)."""
    r = dict(r)
    r["paper"] = paper
    r["speedup_vs_numpy"] = r["throughput"] / r["numpy_throughput"]
    rng_lim = r.get("rng_limit_throughput")
    arith_lim = r.get("arithmetic_limit_throughput")
    if rng_lim is not None and arith_lim is not None:
        raise ValueError(f"row {r['name']!r} has both an RNG and an arithmetic limit")
    kind = "rng" if rng_lim is not None else ("arithmetic" if arith_lim is not None else None)
    lim = rng_lim if kind == "rng" else arith_lim
    r["limit_kind"] = kind
    r["limit_throughput"] = lim
    r["fraction_of_limit"] = r["throughput"] / lim if lim else None
    r["fraction_of_rng_limit"] = r["fraction_of_limit"] if kind == "rng" else None
    if r.get("reported") and kind is None:
        r["target"], r["meets_target"] = "reported (no target)", None
        return r
    text, min_speedup, min_fraction = TARGETS[kind]
    if kind is None and r.get("min_speedup") is not None:   # a row whose issue set its own bar
        min_speedup = r["min_speedup"]
        text = f"≥{min_speedup:g}x numpy enumeration"
    r["target"] = text
    r["meets_target"] = bool((min_speedup is None or r["speedup_vs_numpy"] >= min_speedup)
                             and (min_fraction is None or r["fraction_of_limit"] >= min_fraction))
    return r


def _old_sections(md: str) -> dict[str, str]:
    """The ``## …`` sections of an older results.md that did not record its sections in
    results.json, keyed by the lower-cased first word of the heading (``## Dask …`` → dask)."""
    blocks = re.split(r"(?m)^(?=## )", md)[1:]
    return {b.split()[1].lower(): b.rstrip() + "\n" for b in blocks}


def _note(r: dict) -> str | None:
    parts = [r["note"]] if r.get("note") else []
    base = r.get("baseline_throughput")
    if base:
        parts.append(f"previous kernel {_fmt(base)} {r['unit']} "
                     f"({r['throughput'] / base:.1f}x faster now)")
    return "; ".join(parts) or None


def _keep_profile(text: str) -> str:
    """``text`` with the run-profile section of the current results.md (written by
    tools/profile_table.py from a ``dropmc verify`` report, between its markers) kept."""
    start, end = "<!-- profile:start -->", "<!-- profile:end -->"
    path = HERE / "results.md"
    old = path.read_text() if path.exists() else ""
    if start not in old or end not in old:
        return text
    section = start + old.split(start, 1)[1].split(end, 1)[0] + end
    return text.rstrip("\n") + "\n\n" + section + "\n"


def render(env: dict, rows: list[dict], sections: dict[str, str], rerun=None) -> str:
    """results.md for ``rows`` and ``sections`` (``rerun``: the modules measured in this run,
    when not all)."""
    lines = ["# Benchmarks", "",
             f"Python {env['python']}, numpy {env['numpy']}, numba {env['numba']}, "
             f"{env['threads']} threads on {env['cpus']} CPUs ({env['machine']}). "
             "Written by `make bench` (`benchmarks/run.py`); the columns of a row are measured "
             "in the same run."
             + (f" Last run: {', '.join(rerun)} only; the other rows are kept from the "
                "previous run." if rerun else ""), "",
             "| kernel | unit | numba | numpy | limit | × numpy | % of limit | target | met |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        kind = r.get("limit_kind")
        lim = f"{_fmt(r['limit_throughput'])} ({LIMIT_NAMES[kind]})" if kind else "—"
        frac = f"{r['fraction_of_limit']:.0%}" if r.get("fraction_of_limit") is not None else "—"
        lines.append(f"| {r['name']} | {r['unit']} | {_fmt(r['throughput'])} | "
                     f"{_fmt(r['numpy_throughput'])} | {lim} | {r['speedup_vs_numpy']:.1f}x | "
                     f"{frac} | {r['target']} | {_met(r['meets_target'])} |")
    notes = [(r["name"], _note(r)) for r in rows if _note(r)]
    if notes:
        lines += ["", "Notes:"] + [f"- {name}: {note}" for name, note in notes]
    lines += [""] + [sections[k].rstrip() + "\n" for k in sections]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    import numba
    import numpy as np

    from dropmc.simulations._core import n_threads

    keys = [p.stem[len("bench_"):] for p in sorted(HERE.glob("bench_*.py"))]
    only = list(argv if argv is not None else sys.argv[1:]) or None
    unknown = sorted(set(only or ()) - set(keys))
    if unknown:
        print(f"unknown benchmark module(s) {', '.join(unknown)}; choose from "
              f"{', '.join(keys)}", file=sys.stderr)
        return 2
    old = {"rows": [], "sections": {}}
    if only and (HERE / "results.json").exists():
        old = json.loads((HERE / "results.json").read_text())
        if "sections" not in old and (HERE / "results.md").exists():
            old["sections"] = _old_sections((HERE / "results.md").read_text())
    new_rows, new_sections = {}, {}
    for key in keys:
        if only and key not in only:
            continue
        print(f"benchmarking {key} ...", file=sys.stderr, flush=True)
        mod = importlib.import_module(f"benchmarks.bench_{key}")
        if hasattr(mod, "section"):
            new_sections[key] = mod.section()
        new_rows[key] = []
        for r in getattr(mod, "rows", lambda: [])():
            r = judge_row(r, key)
            new_rows[key].append(r)
            frac = (f", {r['fraction_of_limit']:.0%} of {LIMIT_NAMES[r['limit_kind']]} limit"
                    if r["limit_kind"] else "")
            print(f"  {r['name']}: {_fmt(r['throughput'])} {r['unit']} "
                  f"({r['speedup_vs_numpy']:.1f}x numpy{frac})", file=sys.stderr)
    rows = []
    for key in keys:
        if key in new_rows:
            rows += new_rows[key]
        else:   # kept from the previous run, re-judged against today's targets
            rows += [judge_row(r, key) for r in old["rows"] if r.get("paper") == key]
    old_sections = old.get("sections", {})
    sections = {k: new_sections.get(k, old_sections.get(k)) for k in keys
                if k in new_sections or k in old_sections}
    env = {"python": platform.python_version(), "numpy": np.__version__, "numba": numba.__version__,
           "threads": n_threads(), "cpus": os.cpu_count(), "machine": platform.machine()}
    (HERE / "results.json").write_text(json.dumps({"environment": env, "rows": rows,
                                                   "sections": sections}, indent=2) + "\n")
    text = render(env, rows, sections, only)
    (HERE / "results.md").write_text(_keep_profile(text))
    print((HERE / "results.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
