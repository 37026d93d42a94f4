"""Wall time of claims run locally and on a Dask LocalCluster of 2 worker processes.

Not a kernel benchmark (no ``rows()``): ``section()`` returns a markdown section that
``benchmarks/run.py`` appends to results.md. The units of Dask work are claims (with their
power runs) and, when there are fewer claims than twice the workers, a claim's Monte Carlo
chunks: one heavy claim is spread over the workers chunk by chunk, a set of claims claim by
claim. Both are measured, and the reports are checked to be identical.
"""

from __future__ import annotations

import time

HEAVY = "variance_constancy.eq1.var_sample_variance"
SET_PAPER = "drop_activation"


def _strip(run):
    d = run.to_dict()
    for c in d["claims"]:
        c.pop("seconds")
        (c["power"] or {}).pop("seconds", None)
    return d["claims"]


def _time(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def section() -> str:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return "## Dask\n\nNot measured: `pip install 'dropmc[dask]'`.\n"
    import dropmc

    rows = []
    for label, kw in ((f"`{HEAVY}` at high precision, no power runs",
                       dict(claims=[HEAVY], precision="high", power=False)),
                      (f"all `{SET_PAPER}` claims at quick precision with power runs",
                       dict(paper=SET_PAPER, precision="quick", power=True))):
        dropmc.verify(**{**kw, "precision": "quick"}, seed=1)  # warm the JIT caches
        local, t_local = _time(lambda: dropmc.verify(**kw, seed=1))
        remote, t_dask = _time(lambda: dropmc.verify(**kw, seed=1, scheduler="local:2"))
        same = _strip(local) == _strip(remote)
        rows.append(f"| {label} | {t_local:.1f} s | {t_dask:.1f} s | {t_local / t_dask:.2f}x | "
                    f"{'yes' if same else '**no**'} |")
    return "\n".join([
        "## Dask (`--scheduler local:2`)", "",
        "Wall time of the same seeded run locally (one process, Numba threads on both cores) and "
        "on a LocalCluster of 2 worker processes started by the run (its start-up included). "
        "A single claim is spread over the workers by its Monte Carlo chunks (two blocks of "
        "consecutive chunks per worker), a set of claims by claim; on one 2-core machine the "
        "local run already uses both cores through its chunk threads, so the point of "
        "`--scheduler` is a cluster with more cores than that.", "",
        "| run | local | LocalCluster(2) | speed-up | same report |", "|---|---|---|---|---|",
        *rows, ""])


def main() -> int:
    """Measure and put the section into results.md in place (without re-running the kernel
    benchmarks): ``python -m benchmarks.bench_dask``."""
    import re
    from pathlib import Path

    path = Path(__file__).resolve().parent / "results.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    sec = section()
    if "## Dask" in text:
        text = re.sub(r"## Dask.*?(?=\n## |\Z)", sec.rstrip() + "\n", text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + sec
    path.write_text(text)
    print(sec)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
