"""Write a run's verdicts: ``report.json``, ``report.md`` and a self-contained ``report.html``.

The errata section lists every REFUTED printed claim beside the registered correction (if
any) and its verdict.

**The report set is replaced whole or not at all.** The three files and
``report.manifest.json`` (their SHA-256 digests) stay at ``OUT/report.*``, where readers open
them, beside whatever else ``OUT`` holds (``figures/``, ``explore/``). :func:`write`

1. renders every file in memory, then takes the lock on ``OUT`` (:func:`locked`);
2. writes the whole set into a fresh staging directory ``OUT/.report-staging-<pid>-<random>``
   (same filesystem, so the moves below are renames) and fsyncs each file — a full disk or a
   refused write fails here, before ``OUT/report.*`` is touched;
3. refuses a directory standing where a file goes (``OUT/report.html/``), keeps the previous
   set in the staging directory (hard links, copies where links are not possible), then, with
   SIGINT and SIGTERM held back, removes the old manifest, renames the three new files into
   place and renames the new manifest in last. If a rename fails, the previous files and
   manifest are put back, and :class:`ReportWriteError` says so in one line. A signal that
   arrives meanwhile is delivered once the swap is done, so Ctrl-C ends with one set whole
   (:class:`ReportInterrupted` says which) and SIGTERM ends the process after the swap.

Three files cannot be renamed in one step, so for the few microseconds of step 3 a reader
that opens the files without the manifest could see the new ``report.json`` beside the old
``report.md``. :func:`check_manifest` never accepts such a mix: the manifest is absent during
the swap and lists every file's digest after it. A run killed outright (SIGKILL) inside that
window leaves a set without a manifest; the next run into ``OUT`` (:func:`locked`) finishes
that swap from the staging directory, where the killed run's set is whole, and removes the
temporaries killed runs left. After a power loss the filesystem decides which renames
survive (each file was fsynced before them); the manifest still tells a whole set from a mix.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from dropmc._validation import check_out_dir, check_real
from dropmc.claims import Verdict, origin
from dropmc.findings import (CLASS_TEXT, PAPER_TITLES, WEAK_POWER, errata,  # noqa: F401 - API
                             errata_lines, md_escape, paper_title, power_text, printed_headline,
                             tally_rows)
from dropmc.runner import Run

def check_writable(out_dir, option: str = "--out") -> Path:
    """Create the directory ``out_dir`` (named ``option`` in errors) once it is known that
    files can be written there (:func:`dropmc._validation.check_out_dir`)."""
    out = check_out_dir(option, out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"{option} directory {str(out)!r} cannot be created: "
                         f"{exc.strerror or exc}") from None
    return out


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_text(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it into place, with the mode the
    umask asks for (mkstemp alone would leave 0600)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, _default_mode())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _fmt(x, digits=6):
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    return f"{x:.{digits}g}"


def _tag(c: dict, fmt: str) -> str:
    """What a claim that is not printed is, in ``fmt`` (``" *({})*"``): correction, other
    reading or extension; "" for a printed claim."""
    kind = origin(c)
    return "" if kind == "printed" else fmt.format("other reading" if kind == "reading" else kind)


def _origin(c: dict) -> str:
    if c["as_printed"]:
        return ""
    if c["corrects"]:
        return f", correction of `{c['corrects']}` ({c.get('fix') or 'unclassified'})"
    if c.get("reading_of"):
        return f", another reading of `{c['reading_of']}` (the paper's reading)"
    return ", an extension beyond the paper"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def stopped_text(d: dict) -> str | None:
    """The sentence on the claims not run after the first ERROR of a run that stops there
    (``runner.run(stop_on_error=True)``), or None."""
    meta = d.get("meta") or {}
    after = meta.get("not_run") or []
    if not after:
        return None
    return (f"Not run: {_plural(len(after), 'claim')} after `{meta['stopped_on_error']}`, the "
            "first ERROR of a run that stops there (" + ", ".join(f"`{c}`" for c in after) + ").")


def _fenced(text: str) -> list[str]:
    """``text`` as a Markdown code block, fenced by more backticks than it contains in a row."""
    fence = "```"
    while fence in text:
        fence += "`"
    return [fence + "text", text, fence]


def to_markdown(d: dict, figures: list[Path] | None = None) -> str:
    lines = ["# dropmc verification report", "",
             f"dropmc {d['dropmc']} · seed {d['seed']} · precision `{d['precision']}` · "
             f"z* = {d['z_star']} · {d['seconds']:.1f} s", ""]
    counts = d["counts"]
    errors = [c for c in d["claims"] if c["verdict"] == Verdict.ERROR.value]
    lines.append("Verdicts: " + ", ".join(f"{k} {v}" for k, v in counts.items()
                                          if v and k != Verdict.ERROR.value)
                 + (f" · **ERROR {len(errors)}**: the code of {_plural(len(errors), 'claim')} "
                    "failed (see Errors)" if errors else ""))
    lines += ["", printed_headline(d), ""]
    skipped = (d.get("meta") or {}).get("skipped_slow") or []
    if skipped:
        lines += [f"Not run: {len(skipped)} claim{'s' if len(skipped) != 1 else ''} marked slow ("
                  + ", ".join(f"`{c}`" for c in skipped) + "); `dropmc verify --include-slow` runs "
                  + ("them." if len(skipped) != 1 else "it."), ""]
    if stopped_text(d):
        lines += [stopped_text(d), ""]
    lines.append("*Power* is the smallest relative error δ of a claim's theory side (an identity "
                 "multiplied by 1 + δ, a bound moved by δ·|bound| toward failure) that the same "
                 "evidence refutes, given for each kind of evidence (exact, MC, search) when a "
                 "claim has several; ⚠ marks a decided claim that no δ ≤ 1 refutes, or that only "
                 "δ = 1 refutes (a bound moved to 0 or a value doubled: it can fail there by "
                 "construction, so it is not power).")
    lines.append("")
    weak = [c for c in d["claims"] if (c.get("power") or {}).get("status") in WEAK_POWER]
    if weak:
        lines += ["**Claims with no power below δ = 1:** "
                  + ", ".join(f"`{c['id']}`" for c in weak), ""]
    toc_at = len(lines)
    lines += ["## Printed statements per paper", "",
              "What each paper's own statements came to, the refuted ones by kind of error (see "
              "Errata); corrections, other readings of a statement's wording and the statements "
              "dropmc adds are counted apart.", ""] + tally_rows(d) + [""]
    if errors:
        lines += ["## Errors", "",
                  f"The code of {_plural(len(errors), 'claim')} failed, so "
                  f"{'its statement was' if len(errors) == 1 else 'their statements were'} not "
                  "decided. The traceback starts at the claim's own code.", ""]
        for c in errors:
            lines += [f"**`{c['id']}`** ({c['label']}): {c['summary']}", ""]
            lines += _fenced(c.get("traceback") or c["error"]) + [""]
    papers = []
    for c in d["claims"]:
        if c["paper"] not in papers:
            papers.append(c["paper"])
    for paper in papers:
        lines += [f"## {paper_title(d, paper)} (`{paper}`)", "",
                  "| claim | label | verdict | power | evidence |", "|---|---|---|---|---|"]
        for c in d["claims"]:
            if c["paper"] != paper:
                continue
            tag = _tag(c, " *({})*")
            lines.append(f"| `{c['id']}`{tag} | {md_escape(c['label'])} | **{c['verdict']}** | "
                         f"{power_text(c)} | {md_escape(c['summary'])} |")
        lines.append("")
    er = errata(d)
    lines += ["## Errata", ""]
    if not er:
        lines += ["No printed claim was refuted in this run.", ""]
    else:
        lines += ["Every refuted printed statement, grouped by what kind of error it is, decided by "
                  "the evidence on its corrections: *misprint* when a correction fixing an obvious "
                  "slip holds, *scope* when one narrowing the condition holds, *substantive* "
                  "otherwise.", ""]
    lines += errata_lines(d)
    lines += ["## Claims in detail", ""]
    for c in d["claims"]:
        lines += [f"### `{c['id']}` — {c['verdict']}", "",
                  f"*{c['label']}* ({c['kind']}{_origin(c)}). "
                  f"{c['statement']}", ""]
        if c["note"]:
            lines += [f"Note: {c['note']}", ""]
        if c.get("error_class"):
            lines += [f"Kind of error: **{c['error_class']}** ({CLASS_TEXT[c['error_class']]})"
                      + (f". No correction registered: {c['no_correction']}"
                         if c.get("no_correction") else "") + ".", ""]
        if c["error"]:
            lines += [f"Error: `{c['error']}`", ""]
        lines += [f"Seed {c['seed']}, spawn key {c['spawn_key']}, {c['seconds']} s. "
                  f"Power: {power_text(c)}"
                  + (f" ({c['power']['evaluations']} perturbed runs)" if (c.get('power') or {}).get('evaluations') else "")
                  + f". Evidence cases: {c.get('evidence_cases', len(c['cases']))}"
                  + (f", vacuous: {c['vacuous_cases']}" if c.get('vacuous_cases') else "") + ".", "",
                  "| params | theory | estimate | SE | z | method | n | verdict | detail |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for k in c["cases"]:
            params = ", ".join(f"{a}={_fmt(b, 4) if isinstance(b, float) else b}" for a, b in k["params"].items())
            lines.append(f"| {md_escape(params)} | {_fmt(k['theory'])} | {_fmt(k['estimate'])} | "
                         f"{_fmt(k['se'], 3)} | {_fmt(k['z'], 3)} | {k['method'] or ''} | "
                         f"{k['n'] or ''} | {k['verdict']} | {md_escape(k['detail'])} |")
        lines.append("")
    if figures:
        lines += ["## Figures", ""]
        for f in figures:
            lines.append(f"![{f.stem}]({f.as_posix()})")
        lines.append("")
    lines[toc_at:toc_at] = _contents(lines[toc_at:], len(er))
    return "\n".join(lines)


def _md_anchor(heading: str) -> str:
    """The anchor GitHub (and most Markdown renderers) give a heading: lower case, punctuation
    other than ``-`` and ``_`` dropped, spaces turned into hyphens."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def _contents(lines: list[str], n_errata: int) -> list[str]:
    """A table of contents of the ``## `` headings in ``lines`` (the report's sections: the
    errata come after every paper's table, hundreds of rows down)."""
    out = ["Contents:", ""]
    for line in lines:
        if line.startswith("## "):
            head = line[3:]
            extra = f" ({n_errata})" if head == "Errata" else ""
            out.append(f"- [{head.replace('`', '')}](#{_md_anchor(head)}){extra}")
    return out + [""]


def to_html(d: dict, figures: list[Path] | None = None, captions: dict | None = None) -> str:
    """The navigable self-contained page (:mod:`dropmc.report_html`)."""
    from dropmc.report_html import to_html as render

    return render(d, figures, captions if captions is not None else figure_captions())


def figure_captions() -> dict:
    """Captions of the built-in figures: ``{stem: {"text": ..., "claims": [...]}}`` from each
    figures module's ``CAPTIONS`` (when it has one) or the first paragraph of the drawing
    function's docstring, whose ``Claims:`` line (if any) lists the claim ids shown."""
    import importlib

    from dropmc import PAPER_KEYS

    out = {}
    for key in PAPER_KEYS:
        try:
            mod = importlib.import_module(f"dropmc.figures.{key}")
        except ModuleNotFoundError:
            continue
        caps = getattr(mod, "CAPTIONS", {})
        for stem, fn in getattr(mod, "FIGURES", {}).items():
            if stem in caps:
                out[stem] = caps[stem]
                continue
            doc = (fn.__doc__ or "").strip()
            first = " ".join(doc.split("\n\n")[0].split())
            claims = []
            for line in doc.splitlines():
                if line.strip().lower().startswith("claims:"):
                    claims = [x.strip(" .`") for x in line.split(":", 1)[1].split(",") if x.strip()]
            out[stem] = {"text": first, "claims": claims}
    return out


MANIFEST = "report.manifest.json"
#: the report set, in the order :func:`write` renames it into place (the manifest last)
REPORT_FILES = ("report.json", "report.md", "report.html")
#: the lock file :func:`locked` takes in the output directory
LOCK_FILE = ".dropmc.lock"
_STAGING = ".report-staging-"
_SWAPPING = "SWAPPING"  # in a staging directory: its swap into OUT has begun
#: temporaries of earlier dropmc versions: per-file atomic renames and write probes
_OLD_TEMPORARIES = (".report.*", ".probe*")


class ReportWriteError(OSError):
    """The report set could not be written. The one-line message names the path, the
    operating system's reason and what the output directory holds now."""


class ReportInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`write`. ``completed`` is True when the new set is in place whole,
    False when nothing was changed (the previous set, if any, is whole)."""

    def __init__(self, out: Path, completed: bool):
        super().__init__(f"the new report set in {out} is complete" if completed else
                         f"no report was written; the previous report set in {out}, if any, "
                         "is kept whole")
        self.out, self.completed = out, completed


def write(run: Run, out_dir, figures: list[Path] | None = None, *,
          wait: float | None = None) -> dict[str, Path]:
    """Write report.json, report.md, report.html and ``report.manifest.json`` (their SHA-256
    digests) into ``out_dir`` as one set, holding :func:`locked` (``wait`` as there).

    Afterwards ``out_dir`` holds this set whole; or, when the write fails
    (:class:`ReportWriteError`) or is interrupted before the swap (:class:`ReportInterrupted`),
    the previous files exactly as they were. The module docstring says how.
    """
    out = Path(out_dir)
    d = run.to_dict()
    rel_figs = [Path(os.path.relpath(f, out)) for f in (figures or [])]
    texts = {"report.json": json.dumps(d, indent=2, ensure_ascii=False) + "\n",
             "report.md": to_markdown(d, [f for f in rel_figs if f.suffix == ".png"]),
             "report.html": to_html(d, [f for f in (figures or []) if f.suffix == ".png"])}
    digests = {name: hashlib.sha256(t.encode("utf-8")).hexdigest() for name, t in texts.items()}
    texts[MANIFEST] = json.dumps({"seed": d["seed"], "precision": d["precision"],
                                  "dropmc": d["dropmc"], "files": digests}, indent=2) + "\n"
    swapped = False
    try:
        with locked(out, wait=wait):
            previous = any(os.path.lexists(out / name) for name in texts)
            stage, target = None, out
            try:
                stage = Path(tempfile.mkdtemp(dir=out, prefix=f"{_STAGING}{os.getpid()}-"))
                for name, text in texts.items():
                    target = out / name  # a failed write() or fsync() names no file
                    with open(stage / name, "x", encoding="utf-8") as fh:
                        fh.write(text)
                        fh.flush()
                        os.fsync(fh.fileno())
                with _signals_held():
                    _swap(out, stage)
                    swapped = True
            except ReportWriteError:
                raise
            except OSError as exc:
                raise _write_error(exc, out, target, previous) from exc
            finally:
                if stage is not None:
                    shutil.rmtree(stage, ignore_errors=True)  # what stays, the next run removes
    except KeyboardInterrupt:
        raise ReportInterrupted(out, swapped) from None
    return {"json": out / "report.json", "md": out / "report.md", "html": out / "report.html",
            "manifest": out / MANIFEST}


def _write_error(exc: OSError, out: Path, target: Path, previous: bool) -> ReportWriteError:
    """One line: the report file the failed step was writing (the one ``exc`` names, else
    ``target``), the operating system's reason, and that ``out`` is as it was."""
    name = Path(exc.filename2 or exc.filename or "").name
    where = out / name if name in (*REPORT_FILES, MANIFEST) else target
    kept = (f"the previous report set in {out} is kept" if previous else
            f"no report was written to {out}")
    return ReportWriteError(f"could not write {where}: {exc.strerror or exc}; {kept}")


def _swap(out: Path, stage: Path) -> None:
    """Move the set staged (complete, fsynced) in ``stage`` into ``out``: the old manifest
    out first, the three files, the new manifest last. The previous files are first linked
    (or copied) into ``stage/previous``; when a step fails they are put back, manifest last,
    before the error propagates."""
    previous = stage / "previous"
    previous.mkdir()
    for name in (*REPORT_FILES, MANIFEST):
        target = out / name
        if target.is_dir() and not target.is_symlink():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        if os.path.lexists(target):
            try:
                os.link(target, previous / name, follow_symlinks=False)
            except OSError:  # no hard links on this filesystem, or not for this file
                shutil.copy2(target, previous / name, follow_symlinks=False)
    (stage / _SWAPPING).touch(exist_ok=False)
    moved = []
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(out / MANIFEST)
        for name in REPORT_FILES:
            os.replace(stage / name, out / name)
            moved.append(name)
        os.replace(stage / MANIFEST, out / MANIFEST)
    except BaseException as exc:
        try:
            for name in (*moved, MANIFEST):
                if os.path.lexists(previous / name):
                    os.replace(previous / name, out / name)
                elif name in moved:
                    os.unlink(out / name)
        except OSError as again:
            reason = getattr(exc, "strerror", None) or repr(exc)
            raise ReportWriteError(
                f"could not write the report set in {out}: {reason}; putting the previous set "
                f"back failed too ({again.strerror or again}), so the set there has no manifest "
                "until the next run replaces it") from exc
        raise


def _finish_swap(out: Path, stage: Path) -> bool:
    """Finish the swap that a killed run began from ``stage`` (its files were complete before
    the swap began): rename in the files it had not moved yet, then its manifest when every
    file matches it. True when ``out`` now holds that run's set whole."""
    for name in REPORT_FILES:
        if os.path.lexists(stage / name):
            os.replace(stage / name, out / name)
    if _mismatch(out, stage / MANIFEST) is not None:
        return False
    os.replace(stage / MANIFEST, out / MANIFEST)
    return True


@contextlib.contextmanager
def _signals_held():
    """Hold SIGINT and SIGTERM back during the block and deliver them when it ends. Python
    runs signal handlers in the main thread only, so elsewhere nothing interrupts the block
    and nothing needs holding."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = []
    before = {sig: signal.signal(sig, lambda signum, frame: held.append(signum))
              for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        for sig in dict.fromkeys(held):
            signal.raise_signal(sig)


_LOCKS: dict[str, list] = {}  # lock file -> [RLock of this process's threads, flock fd, depth]
_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def locked(out_dir, *, wait: float | None = None):
    """Hold the lock on ``out_dir`` (created if needed) for the block; yield it as a Path.

    The lock is ``fcntl.flock`` on ``out_dir/.dropmc.lock``, which the kernel releases when
    the holding process ends, however it ends. It is re-entrant within a process (``write``
    inside a block that holds it does not wait for itself). When another run holds it, one
    line on stderr names the lock file and that run's pid, and the call waits: ``wait=None``
    until it is free, else at most ``wait`` seconds before raising :class:`ReportWriteError`.

    On taking it, the run tidies ``out_dir``: it finishes a swap a killed run had begun, removes
    staging directories and earlier versions' temporaries (no live run owns any: they would
    hold the lock), and says in one line when the report set there is incomplete or mixed.
    """
    if wait is not None:
        wait = check_real("wait", wait, lo=0.0)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportWriteError(f"could not create {out}: {exc.strerror or exc}") from exc
    path = out / LOCK_FILE
    with _LOCKS_GUARD:
        entry = _LOCKS.setdefault(os.path.realpath(path), [threading.RLock(), None, 0])
    if not entry[0].acquire(timeout=-1 if wait is None else wait):
        raise ReportWriteError(f"could not lock {path}: another thread of this process (pid "
                               f"{os.getpid()}) held it for {wait:g} s; {out} is unchanged")
    try:
        if entry[2] == 0:
            fd = _flock(path, wait)
            try:
                _tidy(out)
            except BaseException:
                os.close(fd)
                raise
            entry[1] = fd
        entry[2] += 1
        try:
            yield out
        finally:
            entry[2] -= 1
            if entry[2] == 0:
                os.close(entry[1])  # releases the flock
    finally:
        entry[0].release()


def _flock(path: Path, wait: float | None) -> int:
    """Open ``path`` and take an exclusive flock on it, waiting as :func:`locked` says; write
    this process's pid into it; return the descriptor."""
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except PermissionError:  # another user's lock file locks as well when read-only
            if not path.exists():
                raise
            fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise ReportWriteError(f"could not lock {path}: {exc.strerror or exc}; "
                               f"{path.parent} is unchanged") from exc
    try:
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            try:  # once told, block in the kernel when there is no deadline
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if told and deadline is None else fcntl.LOCK_NB))
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise ReportWriteError(
                        f"could not lock {path}: the run holding it ({_holder(path)}) did not "
                        f"finish within {wait:g} s; {path.parent} is unchanged") from None
                if told:
                    time.sleep(0.05)
                else:
                    print(f"dropmc verify: waiting for the run holding {path} ({_holder(path)}) "
                          "to finish ...", file=sys.stderr, flush=True)
                    told = True
        with contextlib.suppress(OSError):  # a read-only lock file locks, it cannot name us
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        return fd
    except BaseException:
        os.close(fd)
        raise


def _holder(path: Path) -> str:
    """The pid the run holding the lock wrote into ``path``."""
    try:
        return f"pid {int(path.read_text(encoding='utf-8'))}"
    except (OSError, ValueError):
        return "pid unknown"


def _tidy(out: Path) -> None:
    """With the lock on ``out`` held: finish the swap of a run killed while swapping, remove
    staging directories and earlier versions' temporaries, and say in one line on stderr when
    the report set is incomplete or mixed. Nothing here fails the run: what cannot be
    removed stays."""
    for stage in sorted(out.glob(_STAGING + "*")):
        if (stage / _SWAPPING).exists():
            with contextlib.suppress(OSError):
                if _finish_swap(out, stage):
                    print(f"dropmc verify: note: finished the report set in {out} that a killed "
                          "run had left half-replaced", file=sys.stderr, flush=True)
        shutil.rmtree(stage, ignore_errors=True)
    for pattern in _OLD_TEMPORARIES:
        for tmp in out.glob(pattern):
            if tmp.is_file() and not tmp.is_symlink():
                with contextlib.suppress(OSError):
                    tmp.unlink()
    present = [name for name in (*REPORT_FILES, MANIFEST) if os.path.lexists(out / name)]
    if present:
        bad = _mismatch(out, out / MANIFEST)
        if bad is not None:
            why = (f"no readable {MANIFEST}" if bad == MANIFEST else
                   f"{bad} does not match {MANIFEST}")
            print(f"dropmc verify: note: the report set in {out} is incomplete or mixed ({why}); "
                  "the next complete report replaces it", file=sys.stderr, flush=True)


def _mismatch(out: Path, manifest: Path) -> str | None:
    """The first file in ``out`` whose SHA-256 differs from the digest ``manifest`` lists (or
    that cannot be read), the manifest's own name when it cannot be read, None when all match."""
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        names = list(files.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return manifest.name
    for name, digest in names:
        try:
            same = hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
        except OSError:
            same = False
        if not same:
            return name
    return None


def check_manifest(out_dir) -> bool:
    """True when ``out_dir`` holds a complete report set from one run (the manifest exists and
    every file's digest matches)."""
    return _mismatch(Path(out_dir), Path(out_dir) / MANIFEST) is None


def summary_table(run: Run) -> str:
    """The terminal table: one line per claim; then the ERRORs apart (the claims whose code
    failed: the exception, where, and what a claim must produce) and the counts."""
    width = max([len(r.claim.id) for r in run.results] + [10])
    lines = [f"{'claim':<{width}}  {'verdict':<19}  {'power':<9}  evidence"]
    for r in run.results:
        tag = {"printed": "", "correction": " (corr.)", "reading": " (read.)",
               "extension": " (ext.)"}[origin({"as_printed": r.claim.as_printed,
                                                "corrects": r.claim.corrects,
                                                "reading_of": r.claim.reading_of})]
        summ = r.summary if len(r.summary) <= 100 else r.summary[:97] + "..."
        pw = power_text({"power": r.power}, short=True)
        lines.append(f"{r.claim.id:<{width}}  {r.verdict.value + tag:<19}  {pw:<9}  {summ}")
    d = run.to_dict()
    counts = d["counts"]
    lines.append("")
    lines.append("(corr.) a registered correction of a printed claim; (read.) another reading of a "
                 "printed claim's wording; (ext.) a statement dropmc adds beyond the paper")
    errors = [r for r in run.results if r.verdict is Verdict.ERROR]
    if errors:
        lines += ["", f"ERROR: the code of {_plural(len(errors), 'claim')} failed "
                  "(report.md, \"Errors\", has the tracebacks):"]
        lines += [f"  {r.claim.id}: {r.summary}" for r in errors]
    if stopped_text(d):
        lines.append(stopped_text(d).replace("`", ""))
    n = len(run.results)
    lines.append(f"{n} claim{'s' if n != 1 else ''}: " + ", ".join(f"{v} {k}" for k, v in counts.items() if v)
                 + f" · seed {run.seed} · precision {run.precision} · {run.seconds:.1f} s")
    return "\n".join(lines)
