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
    (("verify", "--paper", "nope"), "unknown paper key 'nope'"),
    (("verify", "--module", "no_such_module_xyz"), "cannot be imported"),
    (("verify", "--scheduler", "local:x"), "local:N needs an integer"),
    (("verify", "--claim", "drop_activation.nope"), "unknown claim id"),
    (("verify", "--claim", "nopaper.x"), "must start with a paper key"),
    (("verify", "--seed", "-1"), "--seed must be a non-negative integer"),
    (("verify", "--seed", "abc"), "--seed must be a non-negative integer"),
    (("verify", "--precision", "ultra"), "invalid choice: 'ultra'"),
    (("verify", "--z-star", "0"), "--z-star must be a positive"),
    (("verify", "--z-star", "1e9"), "--z-star must be a positive number in [1, 10]"),
    (("verify", "--z-star", "1e-300"), "--z-star must be a positive number in [1, 10]"),
    (("verify", "--out", ""), "--out must name a directory"),
    (("figures", "--out", " "), "--out must name a directory"),
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


def test_failed_claim_lookup_leaves_no_directory(tmp_path):
    out = tmp_path / "never"
    assert cli.main(["verify", "--claim", "drop_activation.nope", "--out", str(out)]) == 2
    assert not out.exists()


def test_repeated_claim_runs_once_and_report_set_is_consistent(tmp_path, capsys):
    from dropmc.report import check_manifest

    out = tmp_path / "r"
    cid = "drop_activation.prop5_2.value_p095"
    old = os.umask(0o022)
    try:
        assert cli.main(["verify", "--precision", "quick", "--seed", "3", "--out", str(out),
                         "--no-progress", "--claim", cid, "--claim", cid]) == 0
    finally:
        os.umask(old)
    captured = capsys.readouterr()
    assert "1 claim:" in captured.out and "1 claims" not in captured.out
    assert captured.err.startswith("dropmc verify: seed 3")
    rep = json.loads((out / "report.json").read_text())
    assert [c["id"] for c in rep["claims"]] == [cid]
    assert {"python", "numpy", "scipy", "numba", "platform"} <= set(rep["meta"])
    assert rep["claims"][0]["power"]["status"] == "measured"
    for name in ("report.json", "report.md", "report.html"):
        assert (out / name).stat().st_mode & 0o777 == 0o644
    assert check_manifest(out)
    # a file from another run breaks the set
    (out / "report.md").write_text("from another run")
    assert not check_manifest(out)


def test_markdown_links_figures_where_they_are(tmp_path):
    from dropmc import report, runner
    from dropmc.registry import get

    out = tmp_path / "r"
    (out / "figures").mkdir(parents=True)
    png = out / "figures" / "drop_activation_shift_ratio.png"
    png.write_bytes(b"\x89PNG")
    run = runner.run([get("drop_activation.prop5_2.value_p095")], seed=1, precision="quick",
                     progress=False, with_power=False)
    paths = report.write(run, out, [png])
    assert "](figures/drop_activation_shift_ratio.png)" in paths["md"].read_text()


def test_extension_is_not_called_a_correction_of_none(tmp_path):
    from dropmc import report, runner
    from dropmc.registry import all_claims

    ext = next(c for c in all_claims() if not c.as_printed and c.corrects is None)
    run = runner.run([ext], seed=1, precision="quick", progress=False, with_power=False)
    md = report.to_markdown(run.to_dict())
    assert "correction of `None`" not in md and "an extension beyond the paper" in md


def test_closed_pipe_is_quiet():
    """`dropmc list | head -1`: the reader has gone away; no traceback, exit status 141."""
    r, w = os.pipe()
    os.close(r)  # the reader is gone before the first write: every write raises EPIPE
    try:
        proc = subprocess.run([sys.executable, "-m", "dropmc", "list"], stdout=w,
                              stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(w)
    assert proc.returncode == 141
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr


def test_skipped_slow_claims_are_named(tmp_path):
    """Claims marked slow are left out of a default run, and the run says which."""
    from dropmc.registry import all_claims

    slow = [c.id for c in all_claims("drop_activation") if c.slow]
    assert slow, "no drop_activation claim is marked slow: point this test at a paper that has one"
    out = tmp_path / "r"
    r = run_cli("verify", "--paper", "drop_activation", "--precision", "quick", "--no-power",
             "--no-progress", "--seed", "1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "marked slow not run" in r.stderr and slow[0] in r.stderr
    assert json.loads((out / "report.json").read_text())["meta"]["skipped_slow"] == slow
    assert "Not run: " in (out / "report.md").read_text()
    assert "Not run: " in (out / "report.html").read_text()
    assert "slow]" in run_cli("list", "--paper", "drop_activation").stdout
