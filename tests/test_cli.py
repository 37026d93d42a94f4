"""The command line: usage errors, exit codes, output files, interruption."""

import json
import os
import subprocess
import sys

import pytest

from dropmc import cli


def run_cli(*args):
    """Run ``python -m dropmc`` in a subprocess (real exit codes, real stderr)."""
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "dropmc", *args], capture_output=True, text=True,
                          env=env, timeout=600)


@pytest.mark.parametrize("args, needle", [
    ((), "required: command"),
    (("verify", "--paper", "nope"), "invalid choice: 'nope'"),
    (("verify", "--claim", "drop_activation.nope"), "unknown claim id"),
    (("verify", "--claim", "nopaper.x"), "must start with a paper key"),
    (("verify", "--seed", "-1"), "--seed must be a non-negative integer"),
    (("verify", "--seed", "abc"), "--seed must be a non-negative integer"),
    (("verify", "--precision", "ultra"), "invalid choice: 'ultra'"),
    (("verify", "--z-star", "0"), "--z-star must be a positive"),
    (("verify", "--out", "/proc/no/such/dir"), "is not writable"),
    (("list", "--bogus"), "unrecognized arguments"),
])
def test_usage_errors_exit_2_with_one_line(args, needle, capsys):
    code = cli.main(list(args))
    err = capsys.readouterr().err
    assert code == 2
    assert needle in err
    assert err.count("\n") == 1 and err.startswith("dropmc: error:")


def test_list(capsys):
    assert cli.main(["list", "--paper", "drop_activation"]) == 0
    out = capsys.readouterr().out
    assert "drop_activation.prop5_1.eq10 " in out and "corrects drop_activation.prop5_1.eq10" in out


def test_verify_writes_report_and_strict_exit(tmp_path, capsys):
    out = tmp_path / "rep"
    ids = ["drop_activation.prop5_1.eq10", "drop_activation.prop5_1.eq10_corrected",
           "drop_activation.prop5_2.value_p095"]
    args = ["verify", "--precision", "quick", "--seed", "5", "--out", str(out), "--no-progress"]
    for i in ids:
        args += ["--claim", i]
    assert cli.main(args) == 0  # a refuted printed claim is a finding, not a failure
    table = capsys.readouterr().out
    assert "REFUTED" in table and "seed 5" in table
    rep = json.loads((out / "report.json").read_text())
    assert rep["seed"] == 5 and rep["dropmc"] and rep["precision"] == "quick"
    by_id = {c["id"]: c for c in rep["claims"]}
    assert set(by_id) == set(ids)
    c = by_id["drop_activation.prop5_1.eq10"]
    assert c["verdict"] == "REFUTED" and c["as_printed"] is True and c["corrects"] is None
    assert c["label"] == "Property 5.1, Eq. 9, Eq. 10, Eq. 11" and c["kind"] == "identity"
    corr = by_id["drop_activation.prop5_1.eq10_corrected"]
    assert corr["as_printed"] is False and corr["corrects"] == "drop_activation.prop5_1.eq10"
    for case in c["cases"]:
        for key in ("params", "theory", "estimate", "se", "z", "method", "n"):
            assert key in case
    md = (out / "report.md").read_text()
    assert "## Errata" in md and "prop5_1.eq10_corrected" in md
    assert (out / "report.html").read_text().startswith("<!doctype html>")
    assert cli.main(args + ["--strict"]) == 1


def test_verify_strict_passes_when_all_printed_claims_hold(tmp_path):
    args = ["verify", "--precision", "quick", "--seed", "1", "--out", str(tmp_path), "--no-progress",
            "--strict", "--claim", "drop_activation.prop5_2.value_p095"]
    assert cli.main(args) == 0


def test_claim_and_paper_must_agree(tmp_path, capsys):
    code = cli.main(["verify", "--paper", "variance_constancy", "--claim",
                     "drop_activation.eq5.leaky_relu", "--out", str(tmp_path)])
    assert code == 2


def test_interrupted_verify_leaves_no_report(tmp_path, monkeypatch):
    from dropmc import runner

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run", interrupted)
    code = cli.main(["verify", "--out", str(tmp_path / "r"), "--no-progress",
                     "--claim", "drop_activation.eq5.leaky_relu"])
    assert code == 130
    assert not any((tmp_path / "r").glob("report.*"))
    assert not any(p.name.startswith(".report") for p in (tmp_path / "r").iterdir())


def test_figures_command_writes_png_and_pdf(tmp_path, capsys):
    assert cli.main(["figures", "--paper", "drop_activation", "--out", str(tmp_path),
                     "--precision", "quick"]) == 0
    assert (tmp_path / "drop_activation_shift_ratio.png").stat().st_size > 10_000
    assert (tmp_path / "drop_activation_shift_ratio.pdf").exists()


def test_console_entry_point_runs():
    r = run_cli("list", "--paper", "drop_activation")
    assert r.returncode == 0 and "drop_activation.eq5.expected_map" in r.stdout
    r = run_cli("verify", "--precision", "bogus")
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0
