"""Write a run's verdicts: ``report.json``, ``report.md`` and a self-contained ``report.html``.

Every file is written to a temporary name in the output directory and renamed into place, so
an interrupted run never leaves a half-written report. The errata section lists every
REFUTED printed claim beside the registered correction (if any) and its verdict.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from dropmc.claims import Verdict
from dropmc.runner import Run

PAPER_TITLES = {
    "drop_activation": "Drop-Activation (Liang, Khoo, Yang)",
    "variance_constancy": "Variance Constancy Loss (Littwin, Wolf)",
    "ensemble_averaging": "The dropout learning algorithm (Baldi, Sadowski)",
    "implicit_regularization": "Implicit Regularization of Dropout (Zhang, Xu)",
}

VERDICT_COLOURS = {"CONFIRMED": "#2e7d32", "REFUTED": "#c62828", "APPROXIMATE": "#ef6c00",
                   "INCONCLUSIVE": "#6d6d6d"}


def check_writable(out_dir) -> Path:
    """Create ``out_dir`` if needed and make sure files can be written there."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out, prefix=".probe")
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise ValueError(f"--out directory {str(out)!r} is not writable: {exc.strerror or exc}") from None
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


def errata(run_dict: dict) -> list[dict]:
    """REFUTED printed claims with their corrections."""
    by_corrects = {}
    for c in run_dict["claims"]:
        if c["corrects"]:
            by_corrects.setdefault(c["corrects"], []).append(c)
    out = []
    for c in run_dict["claims"]:
        if c["as_printed"] and c["verdict"] == Verdict.REFUTED.value:
            out.append({"claim": c, "corrections": by_corrects.get(c["id"], [])})
    return out


def _fmt(x, digits=6):
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    return f"{x:.{digits}g}"


def power_text(c: dict) -> str:
    """The claim's power in words: the smallest relative error of its theory side that its
    evidence refutes."""
    pw = c.get("power") or {}
    st = pw.get("status")
    if st == "measured":
        ins = pw.get("insensitive_cases")
        tail = (f" ({ins} of {pw.get('cases_at_delta_1')} cases insensitive)" if ins else "")
        return f"δ = {pw['delta']:.0e}{tail}"
    if st == "unfalsifiable":
        return "⚠ none (δ = 1 not refuted)"
    if st == "no theory side":
        return "⚠ none (no theory side compared)"
    return "n/a" if st == "n/a" else "not measured"


def _origin(c: dict) -> str:
    if c["as_printed"]:
        return ""
    if c["corrects"]:
        return f", correction of `{c['corrects']}`"
    return ", an extension beyond the paper"


def _md_escape(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def to_markdown(d: dict, figures: list[Path] | None = None) -> str:
    lines = [f"# dropmc verification report", "",
             f"dropmc {d['dropmc']} · seed {d['seed']} · precision `{d['precision']}` · "
             f"z* = {d['z_star']} · {d['seconds']:.1f} s", ""]
    counts = d["counts"]
    lines.append("Verdicts: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v) + "")
    lines.append("")
    skipped = (d.get("meta") or {}).get("skipped_slow") or []
    if skipped:
        lines += [f"Not run: {len(skipped)} claim{'s' if len(skipped) != 1 else ''} marked slow ("
                  + ", ".join(f"`{c}`" for c in skipped) + "); `dropmc verify --include-slow` runs "
                  + ("them." if len(skipped) != 1 else "it."), ""]
    lines.append("*Power* is the smallest relative error δ of a claim's theory side (an identity "
                 "multiplied by 1 + δ, a bound moved by δ·|bound| toward failure) that the same "
                 "evidence refutes; ⚠ marks a decided claim that no δ ≤ 1 refutes.")
    lines.append("")
    weak = [c for c in d["claims"] if (c.get("power") or {}).get("status") in
            ("unfalsifiable", "no theory side")]
    if weak:
        lines += ["**Claims no perturbation refutes:** " + ", ".join(f"`{c['id']}`" for c in weak), ""]
    papers = []
    for c in d["claims"]:
        if c["paper"] not in papers:
            papers.append(c["paper"])
    for paper in papers:
        lines += [f"## {PAPER_TITLES.get(paper, paper)} (`{paper}`)", "",
                  "| claim | label | verdict | power | evidence |", "|---|---|---|---|---|"]
        for c in d["claims"]:
            if c["paper"] != paper:
                continue
            tag = "" if c["as_printed"] else (" *(correction)*" if c["corrects"] else " *(extension)*")
            lines.append(f"| `{c['id']}`{tag} | {_md_escape(c['label'])} | **{c['verdict']}** | "
                         f"{power_text(c)} | {_md_escape(c['summary'])} |")
        lines.append("")
    er = errata(d)
    lines += ["## Errata", ""]
    if not er:
        lines += ["No printed claim was refuted in this run.", ""]
    for e in er:
        c = e["claim"]
        lines.append(f"- **{c['label']}** (`{c['id']}`): {c['statement']}  ")
        lines.append(f"  Refuted: {c['summary']}  ")
        if c["note"]:
            lines.append(f"  Finding: {c['note']}  ")
        for corr in e["corrections"]:
            lines.append(f"  Correction `{corr['id']}` ({corr['verdict']}): {corr['statement']}")
        if not e["corrections"]:
            lines.append("  No correction registered.")
        lines.append("")
    lines += ["## Claims in detail", ""]
    for c in d["claims"]:
        lines += [f"### `{c['id']}` — {c['verdict']}", "",
                  f"*{c['label']}* ({c['kind']}{_origin(c)}). "
                  f"{c['statement']}", ""]
        if c["note"]:
            lines += [f"Note: {c['note']}", ""]
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
            lines.append(f"| {_md_escape(params)} | {_fmt(k['theory'])} | {_fmt(k['estimate'])} | "
                         f"{_fmt(k['se'], 3)} | {_fmt(k['z'], 3)} | {k['method'] or ''} | "
                         f"{k['n'] or ''} | {k['verdict']} | {_md_escape(k['detail'])} |")
        lines.append("")
    if figures:
        lines += ["## Figures", ""]
        for f in figures:
            lines.append(f"![{f.stem}]({f.as_posix()})")
        lines.append("")
    return "\n".join(lines)


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


def write(run: Run, out_dir, figures: list[Path] | None = None) -> dict[str, Path]:
    """Write report.json, report.md and report.html into ``out_dir``, each atomically, and then
    ``report.manifest.json`` with their SHA-256 digests. The manifest is written last, so a
    set interrupted between renames is detected by :func:`check_manifest` (it mixes two runs).
    """
    out = check_writable(out_dir)
    d = run.to_dict()
    paths = {"json": out / "report.json", "md": out / "report.md", "html": out / "report.html"}
    rel_figs = [Path(os.path.relpath(f, out)) for f in (figures or [])]
    texts = {"json": json.dumps(d, indent=2, ensure_ascii=False) + "\n",
             "md": to_markdown(d, [f for f in rel_figs if f.suffix == ".png"]),
             "html": to_html(d, [f for f in (figures or []) if f.suffix == ".png"])}
    # remove the previous manifest first: from here until the new one lands, the set is
    # visibly incomplete
    old = out / MANIFEST
    if old.exists():
        old.unlink()
    for key in ("json", "md", "html"):
        atomic_write_text(paths[key], texts[key])
    manifest = {"seed": d["seed"], "precision": d["precision"], "dropmc": d["dropmc"],
                "files": {paths[k].name: hashlib.sha256(texts[k].encode("utf-8")).hexdigest()
                          for k in texts}}
    atomic_write_text(old, json.dumps(manifest, indent=2) + "\n")
    paths["manifest"] = old
    return paths


def check_manifest(out_dir) -> bool:
    """True when ``out_dir`` holds a complete report set from one run (the manifest exists and
    every file's digest matches)."""
    out = Path(out_dir)
    try:
        m = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return all(hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
                   for name, digest in m["files"].items())
    except (OSError, ValueError, KeyError):
        return False


def summary_table(run: Run) -> str:
    """The terminal table: one line per claim."""
    width = max([len(r.claim.id) for r in run.results] + [10])
    lines = [f"{'claim':<{width}}  {'verdict':<19}  {'power':<9}  evidence"]
    for r in run.results:
        tag = "" if r.claim.as_printed else (" (corr.)" if r.claim.corrects else " (ext.)")
        summ = r.summary if len(r.summary) <= 100 else r.summary[:97] + "..."
        pw = power_text({"power": r.power}).replace("⚠ none (δ = 1 not refuted)", "⚠ none").replace(
            "⚠ none (no theory side compared)", "⚠ no side")
        lines.append(f"{r.claim.id:<{width}}  {r.verdict.value + tag:<19}  {pw:<9}  {summ}")
    counts = run.to_dict()["counts"]
    lines.append("")
    lines.append("(corr.) a registered correction of a printed claim; (ext.) a statement dropmc adds "
                 "beyond the paper")
    n = len(run.results)
    lines.append(f"{n} claim{'s' if n != 1 else ''}: " + ", ".join(f"{v} {k}" for k, v in counts.items() if v)
                 + f" · seed {run.seed} · precision {run.precision} · {run.seconds:.1f} s")
    return "\n".join(lines)
