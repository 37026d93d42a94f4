"""The navigable, self-contained ``report.html``.

One page, no external resource (figures are embedded as data URIs; nothing is fetched at view
time): a header with the run's provenance, a table of contents, the claims whose code failed
(ERROR) apart with their tracebacks, one section per paper with its full citation (a user
catalog: the title it was given), a table of claims (the statement visible, the verdict, the power and the
evidence) with an anchor per claim (``#claim-<id>``), each claim's cases in a collapsible
table with readable parameters, corrections linked to the claims they correct and back, the
errata grouped by paper, and the figures with captions saying which paper figure and which
claims they show.

Statements are rendered as mathematics: ``dropmc/statement_tex/<paper key>.toml`` maps a claim id
to its statement with inline ``$...$`` TeX, and the vendored KaTeX (``dropmc/_vendor/katex``:
CSS with the woff2 fonts as data URIs, JS and auto-render JS) is inlined into the page and
typesets those cells on load. A claim without TeX (and any user claim) shows its plain
statement; the plain statement stays available as the cell's ``title`` for copy-paste.
"""

from __future__ import annotations

import base64
import html
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from dropmc.claims import ERROR_CLASSES
from dropmc.findings import (CLASS_TEXT, WEAK_POWER, errata, paper_title, power_text,
                             printed_headline, tally_rows)

#: full citations of the built-in papers
CITATIONS = {
    "drop_activation": ("Drop-Activation: Implicit Parameter Reduction and Harmonious "
                        "Regularization", "S. Liang, Y. Khoo, H. Yang",
                        "Communications on Applied Mathematics and Computation 3(2):293–311, 2021 "
                        "(arXiv:1811.05850)"),
    "variance_constancy": ("Regularizing by the Variance of the Activations' Sample-Variances",
                           "E. Littwin, L. Wolf", "NeurIPS 2018, 2115–2125 (arXiv:1811.08764)"),
    "ensemble_averaging": ("The dropout learning algorithm", "P. Baldi, P. Sadowski",
                           "Artificial Intelligence 210:78–122, 2014"),
    "implicit_regularization": ("Implicit Regularization of Dropout", "Z. Zhang, Z.-Q. J. Xu",
                                "IEEE TPAMI 46(6):4206–4217, 2024 (arXiv:2207.05952)"),
}

#: the colour of each verdict (ERROR: the claim's code failed)
COLOURS = {"CONFIRMED": "#2e7d32", "REFUTED": "#c62828", "APPROXIMATE": "#ef6c00",
           "INCONCLUSIVE": "#6d6d6d", "ERROR": "#6a1b9a"}

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222;line-height:1.4}
header{background:#f5f5f5;border-bottom:1px solid #ddd;padding:1em 2em}
main{padding:0 2em 3em;max-width:1500px}
nav{columns:2;font-size:14px}
nav ul{margin:.2em 0}
h1{margin:.2em 0}h2{border-bottom:2px solid #ddd;padding-top:1em}
.cite{color:#555;font-size:14px;margin-top:-.5em}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top;font-size:13px;text-align:left}
th{background:#fafafa}
.wrap{overflow-x:auto;max-width:100%}
table.cases td,table.cases th{font-size:11.5px}
.v{font-weight:bold;white-space:nowrap}
.stmt{max-width:36em}
code{font-size:12px;overflow-wrap:anywhere}
.tag{font-size:11px;color:#555}
.warn{color:#b26a00}
figure{margin:1.5em 0;border:1px solid #eee;padding:.5em}
figure img{max-width:100%;height:auto}
figcaption{font-size:13px;color:#333}
.counts span{margin-right:1em;font-weight:bold}
pre.tb{background:#f7f2fa;border-left:3px solid #6a1b9a;padding:.5em;overflow-x:auto;font-size:12px}
:target{background:#fff8d6}
"""


#: KaTeX auto-render on load, only inside the TeX statement cells (a ``$`` in a summary, a note or
#: a plain statement is never taken for mathematics)
KATEX_RUN = """
document.addEventListener("DOMContentLoaded", function () {
  for (const el of document.querySelectorAll(".tex"))
    renderMathInElement(el, {delimiters: [{left: "$", right: "$", display: false}],
                             throwOnError: false});
});"""


@lru_cache(maxsize=None)
def statement_tex(paper: str) -> dict[str, str]:
    """``claim id -> statement with inline $...$ TeX`` for a built-in paper (empty for a paper
    without a map, e.g. a user catalog)."""
    import tomllib

    if not re.fullmatch(r"[a-z][a-z0-9_]*", paper or ""):
        return {}
    try:
        raw = resources.files("dropmc").joinpath("statement_tex", f"{paper}.toml").read_bytes()
    except (FileNotFoundError, OSError):
        return {}
    data = tomllib.loads(raw.decode("utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, str)}


def _vendor(name: str) -> bytes:
    return resources.files("dropmc").joinpath("_vendor", "katex", *name.split("/")).read_bytes()


@lru_cache(maxsize=1)
def katex_assets() -> tuple[str, str]:
    """(CSS, JS) of the vendored KaTeX, ready to inline: the CSS with each font's woff2 file as
    a data URI (the woff/ttf fallbacks dropped), the JS = katex + auto-render."""
    css = _vendor("katex.min.css").decode("utf-8")

    def font(m: re.Match) -> str:
        b64 = base64.b64encode(_vendor("fonts/" + m.group(1) + ".woff2")).decode()
        return f'src:url(data:font/woff2;base64,{b64}) format("woff2")'

    css = re.sub(r'src:url\(fonts/([A-Za-z0-9_-]+)\.woff2\) format\("woff2"\)'
                 r'(?:,url\(fonts/[^)]*\) format\("[a-z]+"\))*', font, css)
    if "url(fonts/" in css:
        raise ValueError("katex.min.css: a font source was not inlined")
    js = (_vendor("katex.min.js").decode("utf-8") + "\n"
          + _vendor("contrib/auto-render.min.js").decode("utf-8"))
    if "</script" in js.lower():
        raise ValueError("the KaTeX JS contains </script> and cannot be inlined")
    return css, js


def _statement(c: dict) -> str:
    """The statement as HTML: its TeX (typeset by KaTeX) with the plain statement as the
    title (for copy-paste) when the paper's map has it, else the plain statement as text."""
    tex = statement_tex(c.get("paper", "")).get(c["id"])
    if tex is None:
        return _e(c["statement"])
    return f"<span class='tex' title='{_e(c['statement'])}'>{_e(tex)}</span>"


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def anchor(claim_id: str) -> str:
    return "claim-" + re.sub(r"[^A-Za-z0-9_.-]", "-", claim_id)


def _num(x, digits=4) -> str:
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        return f"{x:.{digits}g}"
    return str(x)


def readable(v, depth=0) -> str:
    """Parameters as a reader wants them: numbers rounded, long lists shortened."""
    if isinstance(v, dict):
        return ", ".join(f"{k} = {readable(x, depth + 1)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        items = [readable(x, depth + 1) for x in v[:6]]
        more = f", … ({len(v)} values)" if len(v) > 6 else ""
        return "[" + ", ".join(items) + more + "]"
    return _num(v)


def _power(c: dict) -> str:
    text = _e(power_text(c))
    return f"<span class='warn'>{text}</span>" if "⚠" in text else text


def _claim_row(c: dict, corrected_by: dict) -> str:
    col = COLOURS.get(c["verdict"], "#333")
    tags = []
    if c["corrects"]:
        tags.append(f"correction ({_e(c.get('fix') or 'unclassified')}) of "
                    f"<a href='#{anchor(c['corrects'])}'><code>{_e(c['corrects'])}</code></a>")
    elif c.get("reading_of"):
        tags.append(f"another reading of <a href='#{anchor(c['reading_of'])}'>"
                    f"<code>{_e(c['reading_of'])}</code></a> (the paper's reading)")
    elif not c["as_printed"]:
        tags.append("extension beyond the paper")
    if c.get("error_class"):
        tags.append(f"<span class='warn'>{_e(c['error_class'])}</span>")
    for k in corrected_by.get(c["id"], []):
        tags.append(f"corrected by <a href='#{anchor(k)}'><code>{_e(k)}</code></a>")
    cases = "".join(
        f"<tr><td>{_e(readable(k['params']))}</td><td>{_e(_num(k['theory'], 6))}</td>"
        f"<td>{_e(_num(k['estimate'], 6))}</td><td>{_e(_num(k['se'], 3))}</td>"
        f"<td>{_e(_num(k['z'], 3))}</td><td>{_e(k['method'] or '')}</td><td>{k['n'] or ''}</td>"
        f"<td>{_e(k.get('role', 'evidence'))}</td>"
        f"<td style='color:{COLOURS.get(k['verdict'], '#333')}'>{_e(k['verdict'])}</td>"
        f"<td>{_e(k['detail'])}</td></tr>" for k in c["cases"])
    note = f"<p><b>Note.</b> {_e(c['note'])}</p>" if c["note"] else ""
    err = f"<p class='warn'><b>Error.</b> <code>{_e(c['error'])}</code></p>" if c["error"] else ""
    prov = (f"<p class='tag'>seed {c['seed']}, spawn key {c['spawn_key']}, precision "
            f"{_e(c['precision'])}, {c['seconds']} s; evidence cases "
            f"{c.get('evidence_cases', len(c['cases']))}"
            + (f", vacuous {c['vacuous_cases']}" if c.get("vacuous_cases") else "") + "</p>")
    details = (f"<details><summary>{len(c['cases'])} case{'s' if len(c['cases']) != 1 else ''}"
               f"</summary>{note}{err}{prov}<div class='wrap'><table class='cases'><tr>"
               "<th>parameters</th><th>theory</th><th>estimate</th><th>SE</th><th>z</th>"
               "<th>method</th><th>n</th><th>role</th><th>verdict</th><th>detail</th></tr>"
               f"{cases}</table></div></details>")
    slug = c["id"].split(".", 1)[1] if "." in c["id"] else c["id"]
    return (f"<tr id='{anchor(c['id'])}'><td><a href='#{anchor(c['id'])}' title='{_e(c['id'])}'>"
            f"<code>{_e(slug)}</code></a>"
            f"<div class='tag'>{_e(c['label'])} · {_e(c['kind'])}"
            + (" · " + " · ".join(tags) if tags else "") + "</div></td>"
            f"<td class='stmt'>{_statement(c)}</td>"
            f"<td class='v' style='color:{col}'>{_e(c['verdict'])}</td><td>{_power(c)}</td>"
            f"<td>{_e(c['summary'])}{details}</td></tr>")


def _tally_table(d: dict) -> str:
    """:func:`dropmc.report.tally_rows` as an HTML table."""
    rows = [r for r in tally_rows(d) if not r.startswith("|---")]
    cells = [[x.strip() for x in r.strip("|").split(" | ")] for r in rows]
    head = "".join(f"<th>{_e(x)}</th>" for x in cells[0])
    body = "".join("<tr>" + "".join(f"<td>{_e(x)}</td>" for x in r) + "</tr>" for r in cells[1:])
    return f"<div class='wrap'><table><tr>{head}</tr>{body}</table></div>"


def _errors_section(errors: list[dict]) -> str:
    """The claims whose code failed, apart from the verdicts: each with its exception, where,
    and the traceback from the claim's own code on ("" when there is none)."""
    if not errors:
        return ""
    n = len(errors)
    items = "".join(
        f"<li><a href='#{anchor(c['id'])}'><code>{_e(c['id'])}</code></a> ({_e(c['label'])}): "
        f"{_e(c['summary'])}<pre class='tb'>{_e(c.get('traceback') or c['error'])}</pre></li>"
        for c in errors)
    return (f"<section id='errors'><h2>Errors</h2><p class='warn'>The code of {n} "
            f"claim{'s' if n != 1 else ''} failed, so {'its statement was' if n == 1 else 'their statements were'}"
            " not decided. The traceback starts at the claim's own code.</p>"
            f"<ul>{items}</ul></section>")


def _figure(f: Path, caption: dict | None, ids: set) -> str:
    b64 = base64.b64encode(f.read_bytes()).decode()
    cap = caption or {}
    claims = cap.get("claims") or []
    # link the claims of this report; name the others (a partial run) without a link
    links = ", ".join(f"<a href='#{anchor(cid)}'><code>{_e(cid)}</code></a>" if cid in ids
                      else f"<code>{_e(cid)}</code>" for cid in claims)
    text = _e(cap.get("text") or f.stem)
    return (f"<figure id='fig-{_e(f.stem)}'><img alt='{_e(f.stem)}' src='data:image/png;base64,{b64}'>"
            f"<figcaption><b>{_e(f.stem)}</b>. {text}"
            + (f" Claims shown: {links}." if links else "") + "</figcaption></figure>")


def to_html(d: dict, figures: list[Path] | None = None, captions: dict | None = None) -> str:
    """The whole page. ``captions`` maps a figure stem to ``{"text": ..., "claims": [...]}``."""
    captions = captions or {}
    papers: list[str] = []
    for c in d["claims"]:
        if c["paper"] not in papers:
            papers.append(c["paper"])
    corrected_by: dict[str, list[str]] = {}
    for c in d["claims"]:
        if c["corrects"]:
            corrected_by.setdefault(c["corrects"], []).append(c["id"])
    ids = {c["id"] for c in d["claims"]}
    corrected_by = {k: v for k, v in corrected_by.items() if k in ids}

    meta = d.get("meta") or {}
    toc, sections, errata_html = [], [], []
    for p in papers:
        cs = [c for c in d["claims"] if c["paper"] == p]
        title, authors, venue = CITATIONS.get(p, ((meta.get("titles") or {}).get(p, p), "", ""))
        counts = {}
        for c in cs:
            counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
        ctext = ", ".join(f"{v} {k}" for k, v in counts.items())
        toc.append(f"<li><a href='#paper-{p}'>{_e(title)}</a> <span class='tag'>({ctext})</span></li>")
        rows = "".join(_claim_row(c, corrected_by) for c in cs)
        sections.append(
            f"<section id='paper-{p}'><h2>{_e(title)}</h2>"
            f"<p class='cite'>{_e(authors)}{'. ' if authors else ''}{_e(venue)} · key <code>{p}</code> · {ctext}</p>"
            "<div class='wrap'><table><tr><th>claim</th><th>statement</th><th>verdict</th>"
            f"<th>power</th><th>evidence</th></tr>{rows}</table></div></section>")
    for cls in ERROR_CLASSES:
        group = [e for e in errata(d) if e["class"] == cls]
        if not group:
            continue
        items = []
        for e in group:
            c = e["claim"]
            fixes = "".join(
                f"<br>Correction <a href='#{anchor(k['id'])}'><code>{_e(k['id'])}</code></a>"
                f" ({_e(k.get('fix') or 'unclassified')}, {_e(k['verdict'])}): {_statement(k)}"
                for k in e["corrections"])
            none = ("<br>No correction registered"
                    + (f": {_e(c['no_correction'])}" if c.get("no_correction") else "."))
            items.append(f"<li><a href='#{anchor(c['id'])}'><b>{_e(paper_title(d, c['paper']))}"
                         f" — {_e(c['label'])}</b></a>: {_statement(c)}<br>Refuted: "
                         f"{_e(c['summary'])}"
                         + (f"<br>Finding: {_e(c['note'])}" if c["note"] else "")
                         + (fixes or none) + "</li>")
        errata_html.append(f"<h3 id='errata-{cls}'>{cls.capitalize()} ({len(group)}): "
                           f"{_e(CLASS_TEXT[cls])}</h3><ul>{''.join(items)}</ul>")
    tally_html = _tally_table(d)
    figs = [f for f in (figures or []) if f.suffix == ".png" and f.exists()]
    fig_html = "".join(_figure(f, captions.get(f.stem), ids) for f in figs)
    if figs:
        toc.append(f"<li><a href='#figures'>Figures</a> <span class='tag'>({len(figs)})</span></li>")
    toc.insert(0, "<li><a href='#errata'>Errata</a></li>")
    toc.insert(0, "<li><a href='#printed'>Printed statements per paper</a></li>")
    errors = [c for c in d["claims"] if c["verdict"] == "ERROR"]
    if errors:
        toc.insert(0, f"<li><a href='#errors'>Errors</a> <span class='tag'>({len(errors)})</span></li>")
    counts = "".join(f"<span style='color:{COLOURS.get(k, '#333')}'>{v} {k}</span>"
                     for k, v in d["counts"].items() if v)
    env = ", ".join(f"{k} {v}" for k, v in meta.items() if k in ("python", "numpy", "scipy", "numba"))
    weak = [c for c in d["claims"] if (c.get("power") or {}).get("status") in WEAK_POWER]
    weak_html = ("<p class='warn'>Decided claims that no perturbation of the theory side refutes: "
                 + ", ".join(f"<a href='#{anchor(c['id'])}'><code>{_e(c['id'])}</code></a>" for c in weak)
                 + "</p>") if weak else ""
    skipped = meta.get("skipped_slow") or []
    skipped_html = (f"<p class='tag'>Not run: {len(skipped)} claim{'s' if len(skipped) != 1 else ''} "
                    "marked slow (" + ", ".join(f"<code>{_e(c)}</code>" for c in skipped)
                    + "); <code>dropmc verify --include-slow</code> runs "
                    + ("them" if len(skipped) != 1 else "it") + ".</p>") if skipped else ""
    after = meta.get("not_run") or []
    stopped_html = (f"<p class='warn'>Not run: {len(after)} claim{'s' if len(after) != 1 else ''} "
                    f"after <code>{_e(meta.get('stopped_on_error'))}</code>, the first ERROR of a "
                    "run that stops there (" + ", ".join(f"<code>{_e(c)}</code>" for c in after)
                    + ").</p>") if after else ""
    katex_css, katex_js = katex_assets()
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>dropmc verification report (seed {d['seed']})</title><style>{CSS}</style>
<style>{katex_css}</style>
<script>{katex_js}</script>
<script>{KATEX_RUN}</script></head>
<body><header><h1>dropmc verification report</h1>
<p>dropmc {_e(d['dropmc'])} · seed {d['seed']} · precision {_e(d['precision'])} · z* = {d['z_star']}
 · {d['seconds']:.1f} s{(' · ' + _e(env)) if env else ''}{(' · ' + _e(meta.get('platform', ''))) if meta.get('platform') else ''}</p>
<p class="counts">{counts}</p><p>{_e(printed_headline(d))}</p>{skipped_html}{stopped_html}
<p class="tag">Power: the smallest relative error δ of a claim's theory side (an identity multiplied by 1 + δ,
a bound moved by δ·|bound| toward failure) that the same evidence refutes. Rerun with
<code>dropmc verify --seed {d['seed']} --precision {_e(d['precision'])}</code>.</p>{weak_html}
<nav><b>Contents</b><ul>{''.join(toc)}</ul></nav></header>
<main>
{_errors_section(errors)}
<section id="printed"><h2>Printed statements per paper</h2>{tally_html}</section>
<section id="errata"><h2>Errata</h2><p>Every refuted printed statement, grouped by what kind of error it is, decided by the
evidence on its corrections: <i>misprint</i> when a correction fixing an obvious slip holds, <i>scope</i> when one
narrowing the condition holds, <i>substantive</i> otherwise.</p>{''.join(errata_html) or '<p>No printed claim was refuted in this run.</p>'}</section>
{''.join(sections)}
{('<section id="figures"><h2>Figures</h2>' + fig_html + '</section>') if figs else ''}
</main></body></html>
"""
