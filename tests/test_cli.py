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
    (("verify", "--paper", "nope"), "unknown paper key 'nope'"),
    (("verify", "--module", "no_such_module_xyz"), "cannot be imported"),
    (("verify", "--scheduler", "local:x"), "local:N needs an integer"),
    (("verify", "--claim", "drop_activation.nope"), "unknown claim id"),
    (("verify", "--claim", "nopaper.x"), "must start with a paper key"),
    (("verify", "--seed", "-1"), "--seed must be a non-negative integer"),
    (("verify", "--seed", "abc"), "--seed must be a non-negative integer"),
    (("verify", "--precision", "ultra"), "--precision must be one of 'quick', 'standard', 'high'; got 'ultra'"),
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


def test_plain_dropmc_prints_the_usage_and_the_error(capsys):
    assert cli.main([]) == 2
    usage, error = capsys.readouterr().err.splitlines()
    assert usage.startswith("usage: dropmc ") and "verify" in usage
    assert error == "dropmc: error: the following arguments are required: command"


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
    assert not (tmp_path / "r").exists()  # --out is created only when the report is written


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

    ext = next(c for c in all_claims() if not c.as_printed and c.corrects is None
               and c.reading_of is None)
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


def test_skipped_slow_claims_are_named(tmp_path, capsys):
    """Claims marked slow are left out of a run that selects them by paper (here narrowed by
    -k to the slow ones and one quick claim, with its correction), and the run says which."""
    from dropmc.registry import all_claims

    slow = [c.id for c in all_claims("drop_activation") if c.slow]
    assert slow, "no drop_activation claim is marked slow: point this test at a paper that has one"
    out = tmp_path / "r"
    keywords = " or ".join(slow + ["prop5_1.eq10"])
    code = cli.main(["verify", "--paper", "drop_activation", "-k", keywords, "--precision",
                     "quick", "--no-power", "--no-progress", "--seed", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "marked slow not run" in err and slow[0] in err
    rep = json.loads((out / "report.json").read_text())
    assert rep["meta"]["skipped_slow"] == slow
    assert {c["id"] for c in rep["claims"]} == {"drop_activation.prop5_1.eq10",
                                                "drop_activation.prop5_1.eq10_corrected"}
    assert "Not run: " in (out / "report.md").read_text()
    assert "Not run: " in (out / "report.html").read_text()
    assert cli.main(["list", "--paper", "drop_activation"]) == 0
    assert "slow]" in capsys.readouterr().out


# -- selecting claims: glob patterns, -k, list --json, show -------------------------------------

def _listed(capsys, *args):
    assert cli.main(["list", "--json", *args]) == 0
    return [c["id"] for c in json.loads(capsys.readouterr().out)]


def test_claim_patterns_and_keyword_expressions_select(capsys):
    prop51 = _listed(capsys, "--claim", "drop_activation.prop5_1.*")
    assert prop51 and all(i.startswith("drop_activation.prop5_1.") for i in prop51)
    # an exact id and a pattern that matches it again: each claim once, in the order given
    both = _listed(capsys, "--claim", "drop_activation.prop5_2.value_p095", "--claim",
                   "drop_activation.prop5_*")
    assert both[0] == "drop_activation.prop5_2.value_p095" and len(both) == len(set(both))
    assert set(prop51) < set(both)
    picked = _listed(capsys, "--paper", "drop_activation", "-k",
                     "PROP5 and not (corrected or eq1)")
    assert picked and all("prop5" in i and "corrected" not in i and "eq1" not in i
                          for i in picked)
    assert _listed(capsys, "-k", "prop5_1 or prop5_2") == _listed(
        capsys, "--claim", "drop_activation.prop5_[12].*")


@pytest.mark.parametrize("args, needle", [
    (("--claim", "drop_activation.zz*"), "the claim pattern 'drop_activation.zz*' matches no "
                                         "claim id"),
    (("-k", "zzz"), "-k 'zzz' matches none of the"),
    (("-k", "prop5 and"), "-k 'prop5 and': expected a word, 'not' or '(' at the end"),
    (("-k", "(prop5"), "expected ')' at the end"),
    (("-k", "prop5 eq10"), "expected 'and' or 'or' at column 7 ('eq10')"),
])
def test_selection_that_matches_nothing_is_an_error(args, needle, capsys, tmp_path):
    assert cli.main(["verify", *args, "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
    assert not (tmp_path / "r").exists()


def test_list_json_has_every_field(capsys):
    assert cli.main(["list", "--json", "--paper", "drop_activation"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert set(records[0]) == {"id", "paper", "label", "kind", "statement", "as_printed",
                               "corrects", "slow", "note"}
    by_id = {r["id"]: r for r in records}
    corr = by_id["drop_activation.prop5_1.eq10_corrected"]
    assert corr["corrects"] == "drop_activation.prop5_1.eq10" and corr["as_printed"] is False
    assert any(r["slow"] for r in records) and by_id["drop_activation.prop5_1.eq10"]["note"]


def test_show_prints_a_claim_and_with_run_its_cases(capsys):
    assert cli.main(["show", "drop_activation.prop5_1.eq10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("drop_activation.prop5_1.eq10\n")
    for needle in ("label:        Property 5.1", "kind:         identity", "statement:",
                   "status:       as printed in the paper",
                   "corrected by: drop_activation.prop5_1.eq10_corrected", "note:"):
        assert needle in out
    assert cli.main(["show", "drop_activation.prop5_2.value_p095", "--run", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "CONFIRMED  (seed 2, precision quick" in out and "[0]" in out
    assert cli.main(["show", "drop_activation.nope"]) == 2
    assert "`dropmc list --paper drop_activation` shows the ids" in capsys.readouterr().err


def test_help_lists_the_exit_codes(capsys):
    for argv in (["--help"], ["verify", "--help"]):
        with pytest.raises(SystemExit) as info:
            cli.main(argv)
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert "exit codes:" in out and "130  interrupted" in out and "ERROR" in out


# -- claims whose code fails: ERROR, -x, --tb, --pdb --------------------------------------------

ERROR_MODULE = '''
from dropmc import Catalog, Kind, judge, mean_estimate

CATALOG = Catalog("errs", title="Claims whose code fails")


@CATALOG.claim("fine", label="Eq. 1", kind=Kind.IDENTITY, statement="E U = 1/2")
def fine(ctx):
    """E U = 1/2, by Monte Carlo."""
    u = ctx.rng().random(ctx.budget(20_000))
    return [judge.identity({}, 0.5, mean_estimate(u))]


def helper(x):
    return x / 0


@CATALOG.claim("boom", label="Eq. 2", kind=Kind.IDENTITY, statement="E U = 1/2, by a bug")
def boom(ctx):
    """Divides by zero."""
    return [helper(1)]


@CATALOG.claim("after", label="Eq. 3", kind=Kind.IDENTITY, statement="E U = 1/2 again")
def after(ctx):
    """E U = 1/2 again, after the error."""
    u = ctx.rng().random(ctx.budget(20_000))
    return [judge.identity({}, 0.5, mean_estimate(u))]
'''


@pytest.fixture(scope="module")
def error_module(tmp_path_factory):
    """One file for every test here: a second file defining the key "errs" would be refused."""
    path = tmp_path_factory.mktemp("errs") / "errclaims.py"
    path.write_text(ERROR_MODULE)
    return path


def _verify_errs(path, tmp_path, *extra):
    return cli.main(["verify", "--module", str(path), "--precision", "quick", "--seed", "1",
                     "--no-power", "--no-progress", "--out", str(tmp_path / "r"), *extra])


def test_error_claim_exits_1_with_its_traceback(error_module, tmp_path, capsys):
    assert _verify_errs(error_module, tmp_path) == 1
    err = capsys.readouterr().err
    assert "1 claim ERROR" in err and " ERROR errs.boom " in err
    assert 'errclaims.py", line 15, in helper' in err and "ZeroDivisionError" in err
    assert "dropmc/runner.py" not in err  # short: from the claim's code on
    rep = json.loads((tmp_path / "r" / "report.json").read_text())
    assert [c["verdict"] for c in rep["claims"]] == ["CONFIRMED", "ERROR", "CONFIRMED"]

    assert _verify_errs(error_module, tmp_path, "--tb", "long") == 1
    assert "dropmc/runner.py" in capsys.readouterr().err  # every frame
    assert _verify_errs(error_module, tmp_path, "--tb", "no") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "ERROR errs.boom: error: ZeroDivisionError" in err


def test_exitfirst_stops_at_the_first_error(error_module, tmp_path, capsys):
    assert _verify_errs(error_module, tmp_path, "-x") == 1
    err = capsys.readouterr().err
    assert "stopped at the first ERROR (errs.boom); 1 claim not run" in err
    rep = json.loads((tmp_path / "r" / "report.json").read_text())
    assert [c["id"] for c in rep["claims"]] == ["errs.fine", "errs.boom"]


def test_pdb_opens_the_debugger_in_the_failing_frame(error_module, tmp_path, capsys,
                                                      monkeypatch):
    import pdb

    frames = []

    def post_mortem(tb):
        while tb.tb_next is not None:
            tb = tb.tb_next
        frames.append(tb.tb_frame.f_code.co_name)

    monkeypatch.setattr(pdb, "post_mortem", post_mortem)
    assert _verify_errs(error_module, tmp_path, "--pdb") == 1
    assert frames == ["helper"]
    assert "entering the debugger" in capsys.readouterr().err
    assert _verify_errs(error_module, tmp_path, "--pdb", "--scheduler", "local:1") == 2
    assert "--pdb debugs the claims in this process" in capsys.readouterr().err


# -- modules, output directories, schedulers, environment --------------------------------------

def test_unknown_id_of_a_user_catalog_suggests_its_module(error_module, capsys):
    assert cli.main(["verify", "--module", str(error_module), "--claim", "errs.nope"]) == 2
    err = capsys.readouterr().err
    assert f"`dropmc list --module {error_module} --paper errs` shows the ids" in err
    assert cli.main(["verify", "--claim", "mythm.x"]) == 2
    assert "`dropmc list --module MOD --paper mythm`" in capsys.readouterr().err


def test_a_file_where_a_directory_is_wanted_is_named_with_its_option(tmp_path, capsys):
    f = tmp_path / "notes.md"
    f.write_text("mine")
    for argv, option in ((["coverage", "--write", str(f)], "--write"),
                         (["verify", "--out", str(f)], "--out"),
                         (["figures", "--out", str(f)], "--out"),
                         (["explore", "drop_activation.ext.shift_ratio_activation", "--param",
                           "p=0.2:0.8", "--out", str(f)], "--out")):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err == f"dropmc: error: {option} {str(f)!r} is a file, not a directory\n"
    assert f.read_text() == "mine"


def _server(answer: bytes | None):
    """A TCP server on localhost that answers every connection with ``answer`` (None: says
    nothing); returns its port."""
    import socket
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    held = []

    def serve():
        while True:
            conn, _ = srv.accept()
            held.append(conn)
            if answer is not None:
                conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()[1]


@pytest.mark.parametrize("answer, needle", [
    (b"HTTP/1.0 400 Bad request\r\n\r\n<html>not a scheduler</html>",
     "does not speak Dask's protocol"),
    (None, "said nothing Dask understands within 0.5 s"),
])
def test_a_service_that_is_not_a_scheduler_fails_in_one_line(answer, needle, tmp_path, capsys,
                                                              monkeypatch):
    pytest.importorskip("distributed")
    from dropmc import distributed as dist

    monkeypatch.setattr(dist, "CONNECT_TIMEOUT", 0.5)  # the silent service times out sooner
    addr = f"tcp://127.0.0.1:{_server(answer)}"
    out = tmp_path / "r"
    code = cli.main(["verify", "--claim", "drop_activation.prop5_2.value_p095", "--scheduler",
                     addr, "--out", str(out), "--no-power", "--precision", "quick"])
    err = capsys.readouterr().err
    assert code == 2
    last = err.splitlines()[-1]
    assert last.startswith(f"dropmc: error: no Dask scheduler answered at '{addr}'") and needle in last
    assert "Traceback" not in err and not out.exists()


def test_numba_cache_goes_to_the_user_cache_when_the_package_is_read_only(monkeypatch, tmp_path):
    import dropmc.simulations as sims

    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(sims._os, "access", lambda path, mode: False)
    assert sims._numba_cache_dir() == str(tmp_path / "dropmc" / "numba")
    monkeypatch.setenv("NUMBA_CACHE_DIR", "/somewhere/else")
    assert sims._numba_cache_dir() is None  # the user's choice stands
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    monkeypatch.undo()
    assert sims._numba_cache_dir() is None or not os.access(os.path.dirname(sims.__file__),
                                                            os.W_OK)
