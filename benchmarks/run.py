"""Run every ``benchmarks/bench_*.py`` and write results.md and results.json.

Each module exposes ``rows()``: dicts with ``name``, ``unit``, ``throughput`` (the Numba
kernel), ``numpy_throughput`` (a plain-numpy implementation of the same estimator, same run)
and ``rng_limit_throughput`` (drawing the same random numbers alone with the kernel's generator
and chunking; None for deterministic kernels). Targets: samplers ≥ 3x numpy and ≥ 80% of the
RNG limit; enumeration ≥ 5x the best numpy enumeration.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _fmt(x):
    if x is None:
        return "—"
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= div:
            return f"{x / div:.2f}{unit}"
    return f"{x:.1f}"


def main(argv=None) -> int:
    import numba
    import numpy as np

    from dropmc.simulations._core import n_threads

    only = (argv or sys.argv[1:]) or None
    rows = []
    sections = []
    for path in sorted(HERE.glob("bench_*.py")):
        key = path.stem[len("bench_"):]
        if only and key not in only:
            continue
        print(f"benchmarking {key} ...", file=sys.stderr, flush=True)
        mod = importlib.import_module(f"benchmarks.{path.stem}")
        if hasattr(mod, "section"):
            sections.append(mod.section())
        for r in getattr(mod, "rows", lambda: [])():
            r = dict(r)
            r["paper"] = key
            r["speedup_vs_numpy"] = r["throughput"] / r["numpy_throughput"]
            lim = r.get("rng_limit_throughput")
            r["fraction_of_rng_limit"] = r["throughput"] / lim if lim else None
            is_enum = lim is None
            r["target"] = "≥5x numpy enumeration" if is_enum else "≥3x numpy, ≥80% RNG limit"
            r["meets_target"] = bool(r["speedup_vs_numpy"] >= (5 if is_enum else 3)
                                     and (is_enum or r["fraction_of_rng_limit"] >= 0.8))
            rows.append(r)
            print(f"  {r['name']}: {_fmt(r['throughput'])} {r['unit']} "
                  f"({r['speedup_vs_numpy']:.1f}x numpy"
                  + (f", {r['fraction_of_rng_limit']:.0%} of RNG limit" if lim else "") + ")",
                  file=sys.stderr)
    env = {"python": platform.python_version(), "numpy": np.__version__, "numba": numba.__version__,
           "threads": n_threads(), "cpus": os.cpu_count(), "machine": platform.machine()}
    (HERE / "results.json").write_text(json.dumps({"environment": env, "rows": rows}, indent=2) + "\n")
    lines = ["# Benchmarks", "",
             f"Python {env['python']}, numpy {env['numpy']}, numba {env['numba']}, "
             f"{env['threads']} threads on {env['cpus']} CPUs ({env['machine']}). "
             "Written by `make bench` (`benchmarks/run.py`); all columns measured in the same run.", "",
             "| kernel | unit | numba | numpy | RNG limit | × numpy | % of RNG limit | target | met |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        frac = f"{r['fraction_of_rng_limit']:.0%}" if r["fraction_of_rng_limit"] is not None else "—"
        lines.append(f"| {r['name']} | {r['unit']} | {_fmt(r['throughput'])} | {_fmt(r['numpy_throughput'])} | "
                     f"{_fmt(r.get('rng_limit_throughput'))} | {r['speedup_vs_numpy']:.1f}x | {frac} | "
                     f"{r['target']} | {'yes' if r['meets_target'] else '**no**'} |")
    notes = [r for r in rows if r.get("note")]
    if notes:
        lines += ["", "Notes:"] + [f"- {r['name']}: {r['note']}" for r in notes]
    lines += [""] + sections
    (HERE / "results.md").write_text("\n".join(lines) + "\n")
    print((HERE / "results.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
