"""benchmarks/run.py: the three kinds of rows and their targets, the results.md table, and a
partial run that keeps the other modules' rows and sections."""

import json
import sys
import types

import pytest

from benchmarks import run


def _row(name, thr, numpy, **kw):
    return {"name": name, "unit": "samples/s", "throughput": thr, "numpy_throughput": numpy, **kw}


def test_targets_of_the_three_kinds_of_rows():
    rng = run.judge_row(_row("a", 9.0, 1.0, rng_limit_throughput=10.0), "p")
    assert (rng["limit_kind"], rng["fraction_of_limit"], rng["fraction_of_rng_limit"]) == \
        ("rng", 0.9, 0.9)
    assert rng["meets_target"] and rng["target"] == "≥5x numpy, ≥90% RNG limit"
    assert not run.judge_row(_row("a", 8.9, 1.0, rng_limit_throughput=10.0), "p")["meets_target"]
    assert not run.judge_row(_row("a", 4.9, 1.0, rng_limit_throughput=5.0), "p")["meets_target"]
    arith = run.judge_row(_row("b", 5.0, 9.0, rng_limit_throughput=None,
                               arithmetic_limit_throughput=10.0, baseline_throughput=1.0), "p")
    assert arith["limit_kind"] == "arithmetic" and arith["fraction_of_rng_limit"] is None
    assert arith["meets_target"]                  # 0.6x numpy: no multiple of numpy is asked
    assert not run.judge_row(_row("b", 4.9, 1.0, arithmetic_limit_throughput=10.0),
                             "p")["meets_target"]
    enum = run.judge_row(_row("c", 5.0, 1.0, rng_limit_throughput=None), "p")
    assert enum["limit_kind"] is None and enum["fraction_of_limit"] is None
    assert enum["meets_target"] and enum["target"] == "≥5x numpy enumeration"
    own = run.judge_row(_row("e", 1.1, 1.0, min_speedup=1.0), "p")   # a row's own bar
    assert own["meets_target"] and own["target"] == "≥1x numpy enumeration"
    trainer = run.judge_row(_row("t", 4.4, 1.0, reported=True), "p")  # numpy against numpy
    assert trainer["meets_target"] is None and trainer["target"] == "reported (no target)"
    with pytest.raises(ValueError, match="both"):
        run.judge_row(_row("d", 1.0, 1.0, rng_limit_throughput=1.0,
                           arithmetic_limit_throughput=1.0), "p")


def test_table_names_the_kind_of_limit_and_notes_the_baseline():
    env = {"python": "3", "numpy": "2", "numba": "0", "threads": 2, "cpus": 2, "machine": "x"}
    rows = [run.judge_row(_row("r", 9e6, 1e6, rng_limit_throughput=1e7), "p"),
            run.judge_row(_row("c", 6e3, 9e3, rng_limit_throughput=None,
                               arithmetic_limit_throughput=1e4, baseline_throughput=2e3,
                               note="GEMM"), "q")]
    md = run.render(env, rows, {"dask": "## Dask\n\nx\n"})
    assert "| limit | × numpy | % of limit |" in md
    assert "| 10.00M (RNG) | 9.0x | 90% |" in md and "| 10.00k (arithmetic) | 0.7x | 60% |" in md
    assert "- c: GEMM; previous kernel 2.00k samples/s (3.0x faster now)" in md
    assert md.rstrip().endswith("## Dask\n\nx")


def test_partial_run_keeps_the_other_rows_and_sections(tmp_path, monkeypatch):
    for key in ("aa", "bb", "dask"):
        (tmp_path / f"bench_{key}.py").write_text("")
    old_rows = [run.judge_row(_row("old a", 1.0, 1.0, rng_limit_throughput=1.0), "aa"),
                run.judge_row(_row("old b", 1.0, 1.0, rng_limit_throughput=None), "bb")]
    (tmp_path / "results.json").write_text(json.dumps({"environment": {}, "rows": old_rows}))
    (tmp_path / "results.md").write_text("# Benchmarks\n\n| table |\n\n## Dask (by hand)\n\nkept\n")
    mod = types.ModuleType("benchmarks.bench_bb")
    mod.rows = lambda: [_row("new b", 7.0, 1.0, rng_limit_throughput=None)]
    monkeypatch.setitem(sys.modules, "benchmarks.bench_bb", mod)
    monkeypatch.setattr(run, "HERE", tmp_path)
    assert run.main(["bb"]) == 0
    data = json.loads((tmp_path / "results.json").read_text())
    assert [r["name"] for r in data["rows"]] == ["old a", "new b"]
    # the kept row is judged against today's targets (1x numpy no longer meets ≥5x)
    assert data["rows"][0]["meets_target"] is False
    assert data["sections"] == {"dask": "## Dask (by hand)\n\nkept\n"}
    md = (tmp_path / "results.md").read_text()
    assert "old a" in md and "new b" in md and "old b" not in md
    assert "## Dask (by hand)\n\nkept" in md and "Last run: bb only" in md
    assert run.main(["nope"]) == 2


def test_best_rates_interleaves_the_runs():
    from benchmarks._timing import best_rates

    calls = []
    rates = best_rates([(lambda: calls.append("a"), 10.0), (lambda: calls.append("b"), 20.0)],
                       repeats=3)
    assert calls == ["a", "b"] * 4           # one warm-up, then one call of each per round
    assert all(r > 0 for r in rates)
