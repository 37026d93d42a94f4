"""The report set is replaced whole or not at all: failed writes, signals, killed runs, a
directory in the way and two runs on one output directory (no claim is run: the reports are
those of an empty run)."""

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from dropmc import cli, report, runner
from dropmc.report import MANIFEST, REPORT_FILES, ReportInterrupted, ReportWriteError
from dropmc.runner import Run

SET = (*REPORT_FILES, MANIFEST)
#: the operating-system calls a write makes on the way (a fault is injected into each in turn)
FS_CALLS = ("mkdir", "open", "link", "replace", "unlink", "fsync")
CLAIM = "drop_activation.eq5.leaky_relu"  # selected on the command line; runner.run is replaced


def tiny_run(seed: int) -> Run:
    return Run(seed=seed, precision="quick", z_star=4.5, results=[], seconds=0.0)


def snapshot(out) -> dict:
    return {n: (out / n).read_bytes() for n in SET if (out / n).is_file()}


def leftovers(out) -> list:
    return sorted(p.name for p in out.iterdir() if p.name.startswith((".report", ".probe")))


@pytest.fixture
def sets(tmp_path):
    """``(out, old, new)``: ``out`` holds the complete set of seed 1 (``old``); ``new`` is what
    the set of seed 2 looks like."""
    out, ref = tmp_path / "out", tmp_path / "ref"
    report.write(tiny_run(2), ref)
    report.write(tiny_run(1), out)
    old, new = snapshot(out), snapshot(ref)
    assert set(old) == set(new) == set(SET) and all(old[n] != new[n] for n in REPORT_FILES)
    return out, old, new


def _faulty(monkeypatch, k: int, exc):
    """Make the ``k``-th of the calls in FS_CALLS raise ``exc``; return the call counter."""
    count = [0]

    def wrap(fn):
        def call(*a, **kw):
            count[0] += 1
            if count[0] == k:
                raise exc
            return fn(*a, **kw)
        return call

    for name in FS_CALLS:
        monkeypatch.setattr(os, name, wrap(getattr(os, name)))
    return count


def test_an_os_error_at_any_step_keeps_the_previous_set_whole(sets):
    out, old, new = sets
    outcomes = []
    for k in range(1, 200):
        with pytest.MonkeyPatch.context() as mp:
            count = _faulty(mp, k, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
            try:
                report.write(tiny_run(2), out)
            except ReportWriteError as exc:
                outcomes.append("failed")
                msg = str(exc)
                assert "\n" not in msg and str(out) in msg and "No space left on device" in msg
                assert msg.endswith((f"the previous report set in {out} is kept",
                                     f"{out} is unchanged")), msg  # the latter: locking failed
            else:
                outcomes.append("written")
        assert report.check_manifest(out)
        assert snapshot(out) == (new if outcomes[-1] == "written" else old), (k, outcomes[-1])
        if count[0] < k:  # no call was left to fail: the step list is exhausted
            break
        report.write(tiny_run(1), out)
        assert snapshot(out) == old
    assert outcomes[-1] == "written" and outcomes.count("failed") >= 12, outcomes
    # the steps that fail after the swap (removing the staging directory) leave temporaries,
    # which the next write removes
    report.write(tiny_run(1), out)
    assert leftovers(out) == [] and snapshot(out) == old


def test_an_interrupt_at_any_step_leaves_one_whole_set_and_says_which(sets):
    out, old, new = sets
    seen = set()
    for k in range(1, 200):
        with pytest.MonkeyPatch.context() as mp:
            count = _faulty(mp, k, KeyboardInterrupt())
            try:
                report.write(tiny_run(2), out)
                completed = True
            except ReportInterrupted as exc:
                completed = exc.completed
                assert str(exc) == (f"the new report set in {out} is complete" if completed else
                                    f"no report was written; the previous report set in {out}, "
                                    "if any, is kept whole")
        assert report.check_manifest(out) and snapshot(out) == (new if completed else old), k
        seen.add(completed)
        if count[0] < k:
            break
        report.write(tiny_run(1), out)
    assert seen == {True, False}


def _verify(out, capsys, monkeypatch, seed=2):
    monkeypatch.setattr(runner, "run", lambda *a, **k: tiny_run(seed))
    code = cli.main(["verify", "--claim", CLAIM, "--out", str(out), "--no-progress",
                     "--seed", str(seed)])
    return code, capsys.readouterr().err


def test_a_directory_named_report_html_fails_in_one_line_and_keeps_the_set(sets, capsys,
                                                                        monkeypatch):
    out, old, _ = sets
    (out / "report.html").unlink()
    (out / "report.html").mkdir()
    code, err = _verify(out, capsys, monkeypatch)
    assert code == 3
    assert err.splitlines()[-1] == (f"dropmc: error: could not write {out / 'report.html'}: Is "
                                    f"a directory; the previous report set in {out} is kept")
    assert "Traceback" not in err
    assert snapshot(out) == {n: old[n] for n in SET if n != "report.html"}
    assert (out / "report.html").is_dir() and leftovers(out) == []


def _into(out, args) -> bool:
    """Whether an ``os.replace(src, dst)`` call renames into the report directory ``out``."""
    return os.path.dirname(os.path.abspath(os.fspath(args[1]))) == os.path.abspath(out)


def test_ctrl_c_during_the_swap_before_a_rename_keeps_the_previous_set(sets, capsys,
                                                                      monkeypatch):
    out, old, _ = sets
    real, calls = os.replace, []

    def replace(*a, **k):
        if _into(out, a):  # the report set's renames (not a study's file, say)
            calls.append(a)
            if len(calls) == 2:  # report.json is in place, report.md not yet
                raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(os, "replace", replace)
    code, err = _verify(out, capsys, monkeypatch)
    assert code == 130 and err.splitlines()[-1] == (
        f"dropmc: interrupted; no report was written; the previous report set in {out}, if any, "
        "is kept whole")
    assert snapshot(out) == old and leftovers(out) == []


@pytest.fixture
def default_sigint():
    """Python's own SIGINT handler for the test. A handler that another library left in this
    worker process (or SIG_IGN, which a shell gives background jobs) is what the write restores
    and re-raises through after the swap, so it, not the write, would decide the test."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_sigint_during_the_swap_is_held_until_the_new_set_is_whole(sets, capsys, monkeypatch,
                                                                   default_sigint):
    out, _, new = sets
    real, calls = os.replace, []

    def replace(*a, **k):
        if _into(out, a):  # the report set's renames (not a study's file, say)
            calls.append(a)
            if len(calls) == 2:
                signal.raise_signal(signal.SIGINT)  # Ctrl-C between two renames
        return real(*a, **k)

    monkeypatch.setattr(os, "replace", replace)
    code, err = _verify(out, capsys, monkeypatch)
    assert code == 130
    assert err.splitlines()[-1] == f"dropmc: interrupted; the new report set in {out} is complete"
    assert len(calls) == 4 and report.check_manifest(out) and snapshot(out) == new


def test_ctrl_c_after_the_report_is_written_says_the_new_set_is_complete(sets, capsys,
                                                                        monkeypatch):
    out, _, new = sets

    def interrupted(run):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "summary_table", interrupted)
    code, err = _verify(out, capsys, monkeypatch)
    assert code == 130 and err.endswith(f"the new report set in {out} is complete\n")
    assert snapshot(out) == new


def _script(out, body: str) -> list:
    """A python command that writes into ``out`` after ``body`` (run in a subprocess)."""
    head = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        from dropmc import report
        from dropmc.runner import Run
        out = Path({str(out)!r})
        def tiny_run(seed):
            return Run(seed=seed, precision="quick", z_star=4.5, results=[], seconds=0.0)
    """)
    return [sys.executable, "-c", head + textwrap.dedent(body)]


def test_sigterm_during_the_swap_ends_the_process_after_the_new_set_is_whole(sets):
    out, _, new = sets
    r = subprocess.run(_script(out, """
        real, calls = os.replace, []
        def replace(*a, **k):
            calls.append(a)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGTERM)
            return real(*a, **k)
        os.replace = replace
        report.write(tiny_run(2), out)
        print("not reached")
    """), capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == -signal.SIGTERM and "not reached" not in r.stdout, r.stderr
    assert report.check_manifest(out) and snapshot(out) == new


def test_a_run_killed_mid_swap_is_finished_by_the_next_run(sets, capsys):
    out, old, new = sets
    r = subprocess.run(_script(out, """
        real, calls = os.replace, []
        def replace(*a, **k):
            calls.append(a)
            if len(calls) == 2:  # report.json moved in, report.md not yet
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*a, **k)
        os.replace = replace
        report.write(tiny_run(2), out)
    """), capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == -signal.SIGKILL, r.stderr
    # what the kill left: the new report.json beside the old report.md, no manifest
    assert not report.check_manifest(out) and not (out / MANIFEST).exists()
    assert (out / "report.json").read_bytes() == new["report.json"]
    assert (out / "report.md").read_bytes() == old["report.md"]
    assert [n for n in leftovers(out) if n.startswith(".report-staging-")]
    with report.locked(out):
        pass
    assert "finished the report set" in capsys.readouterr().err
    assert report.check_manifest(out) and snapshot(out) == new and leftovers(out) == []


def test_stale_temporaries_are_removed_and_a_mixed_set_is_named(sets, capsys):
    out, _, new = sets
    for name in (".report.jsonq1w2e3", ".report.manifest.jsonz9", ".probex7y8"):
        (out / name).write_text("left by a killed run")
    stage = out / ".report-staging-4242-abc"
    stage.mkdir()
    (stage / "report.json").write_text("{}")
    (out / "report.md").write_text("from another run")
    with report.locked(out):
        assert leftovers(out) == []
    assert capsys.readouterr().err == (
        f"dropmc verify: note: the report set in {out} is incomplete or mixed (report.md does "
        f"not match {MANIFEST}); the next complete report replaces it\n")
    report.write(tiny_run(2), out)
    assert report.check_manifest(out) and snapshot(out) == new
    capsys.readouterr()
    with report.locked(out):
        pass
    assert capsys.readouterr().err == ""  # a whole set: nothing to say


def test_two_runs_on_one_directory_take_turns(sets, capsys):
    out, _, new = sets
    lock = out / report.LOCK_FILE
    holder = _script(out, """
        with report.locked(out):
            report.write(tiny_run(3), out)
            print("holding", flush=True)
            sys.stdin.read()  # until the test lets go
    """)
    with subprocess.Popen(holder, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True) as first:
        try:
            assert first.stdout.readline() == "holding\n"
            with pytest.raises(ReportWriteError) as e, report.locked(out, wait=0):
                pass
            assert str(e.value) == (f"could not lock {lock}: the run holding it (pid {first.pid}) "
                                    f"did not finish within 0 s; {out} is unchanged")
            with subprocess.Popen(_script(out, "report.write(tiny_run(2), out)"),
                                  stderr=subprocess.PIPE, text=True) as second:
                try:
                    assert second.stderr.readline() == (
                        f"dropmc verify: waiting for the run holding {lock} (pid {first.pid}) "
                        "to finish ...\n")
                    assert second.poll() is None  # still waiting: the first run holds the lock
                    first.stdin.close()
                    assert first.wait(timeout=600) == 0
                    assert second.wait(timeout=600) == 0 and second.stderr.read() == ""
                finally:
                    if second.poll() is None:
                        second.kill()
        finally:
            if first.poll() is None:
                first.kill()
    assert report.check_manifest(out) and snapshot(out) == new
    assert json.loads((out / "report.json").read_text())["seed"] == 2


def test_the_lock_is_reentrant_and_checks_its_wait(tmp_path):
    out = tmp_path / "out"
    with report.locked(out) as held:
        assert held == out
        report.write(tiny_run(1), out, wait=0)  # the same process does not wait for itself
    assert report.check_manifest(out)
    with pytest.raises(ValueError, match=r"wait must be a finite number in \[0, inf\), got -1.0"), \
            report.locked(out, wait=-1):
        pass
