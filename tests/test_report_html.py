"""report.html: one navigable, self-contained page (structure checked in Python; rendered in a
real headless Chromium when one is installed)."""

import base64
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from dropmc import cli

IDS = ["drop_activation.prop5_1.eq10", "drop_activation.prop5_1.eq10_corrected",
       "drop_activation.prop5_2.value_p095", "drop_activation.prop5_2.eq15_shift_ratio"]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.imgs, self.external = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        for k in ("src", "href"):
            if re.match(r"^(https?:)?//", a.get(k, "") or ""):
                self.external.append(a[k])


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    args = ["verify", "--precision", "quick", "--seed", "7", "--out", str(out), "--no-progress",
            "--figures", "--paper", "drop_activation"]
    assert cli.main(args[:-2] + sum((["--claim", i] for i in IDS), [])) == 0
    return out


def test_figures_are_drawn_then_reused(report_dir, capsys):
    stamp = json.loads((report_dir / "figures" / "figures.json").read_text())
    assert stamp["seed"] == 7 and "drop_activation_shift_ratio" in stamp["figures"]
    before = (report_dir / "figures" / "drop_activation_shift_ratio.png").stat().st_mtime_ns
    from dropmc.cli import draw_figures

    draw_figures(report_dir / "figures", seed=7, precision="quick", paper="drop_activation")
    assert "reusing drop_activation_shift_ratio" in capsys.readouterr().err
    assert (report_dir / "figures" / "drop_activation_shift_ratio.png").stat().st_mtime_ns == before


def test_figures_drawn_by_other_code_are_drawn_again(report_dir, tmp_path, capsys):
    """The stamp names the digest of the code that drew the figures: same seed, precision and
    version but other code (an edited figure module) redraws rather than reusing (a copy of
    the figures the report's run drew)."""
    from dropmc.cli import FIGURE_STAMP, draw_figures

    out = tmp_path / "figs"
    shutil.copytree(report_dir / "figures", out)
    stamp = json.loads((out / FIGURE_STAMP).read_text())
    assert len(stamp["source"]) == 16
    stamp["source"] = "0" * 16  # as if drawn by other code
    (out / FIGURE_STAMP).write_text(json.dumps(stamp))
    capsys.readouterr()
    draw_figures(out, seed=7, precision="quick", paper="drop_activation")
    err = capsys.readouterr().err
    assert "reusing" not in err and "drawing drop_activation_shift_ratio" in err


def test_page_is_navigable_and_self_contained(report_dir):
    text = (report_dir / "report.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert not page.external, page.external
    for h in page.hrefs:
        assert h.startswith("#") and h[1:] in page.ids, h
    for cid in IDS:
        assert "claim-" + cid in page.ids
    assert {"errata", "errata-substantive", "printed", "paper-drop_activation", "figures"} <= page.ids
    # statement visible in the table, correction linked both ways, full titles
    assert "Drop-Activation: Implicit Parameter Reduction" in text
    assert "correction (rewrite) of <a href='#claim-drop_activation.prop5_1.eq10'>" in text
    assert "corrected by <a href='#claim-drop_activation.prop5_1.eq10_corrected'>" in text
    assert "{&quot;" not in text  # parameters are not raw JSON
    assert page.imgs and all(base64.b64decode(s.split(",", 1)[1])[:4] == b"\x89PNG"
                             for s in page.imgs)
    # captions come from the figures' docstrings (first paragraph), escaped as HTML
    import html as _html

    from dropmc.report import figure_captions

    cap = figure_captions()["drop_activation_shift_ratio"]["text"]
    assert cap and _html.escape(cap, quote=True)[:60] in text


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


@pytest.mark.skipif(_chromium() is None, reason="no Chromium installed (make test installs it "
                                                 "when apt is available)")
def test_page_renders_in_headless_chromium(report_dir, tmp_path):
    """Chromium loads the page without console errors, every anchor resolves in the DOM,
    every image has decoded (naturalWidth > 0) and KaTeX typeset the statements."""
    probe = """
<script>
window.addEventListener('load', () => {
  const bad = [];
  for (const a of document.querySelectorAll('a[href^="#"]'))
    if (!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))) bad.push(a.getAttribute('href'));
  const imgs = [...document.images].map(i => i.complete && i.naturalWidth > 0);
  const katex = document.querySelectorAll('.tex .katex').length;
  const katexErrors = [...document.querySelectorAll('.katex-error')].map(e => e.getAttribute('title') || e.textContent);
  const rawDollar = [...document.querySelectorAll('.tex')].filter(e => e.textContent.includes('$')).length;
  document.body.setAttribute('data-check', JSON.stringify({bad: bad, imgs: imgs, katex: katex,
    katexErrors: katexErrors, rawDollar: rawDollar}));
});
</script>"""
    page = tmp_path / "page.html"
    page.write_text((report_dir / "report.html").read_text(encoding="utf-8").replace(
        "</body>", probe + "</body>"), encoding="utf-8")
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr",
           "--v=0", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    m = re.search(r'data-check="([^"]*)"', r.stdout)
    assert m, "the page's load handler did not run"
    check = json.loads(m.group(1).replace("&quot;", '"'))
    assert check["bad"] == [] and check["imgs"] and all(check["imgs"])
    # KaTeX (inlined) typeset the statements: formulas rendered, no parse error, no $ left over
    assert check["katex"] > 0, check
    assert check["katexErrors"] == [] and check["rawDollar"] == 0, check
    console_errors = [l for l in r.stderr.splitlines() if "CONSOLE" in l and ("Error" in l or "error" in l)]
    assert not console_errors, console_errors


# --- statements as mathematics (KaTeX, inlined) ---------------------------------------------

def test_statement_tex_keys_are_registered_claims():
    from dropmc import PAPER_KEYS, registry
    from dropmc.report_html import statement_tex

    for paper in PAPER_KEYS:
        ids = {c.id for c in registry.all_claims(paper)}
        unknown = sorted(set(statement_tex(paper)) - ids)
        assert not unknown, f"statement_tex/{paper}.toml: not registered claim ids: {unknown}"


def test_every_registered_claim_has_tex():
    from dropmc import PAPER_KEYS, registry
    from dropmc.report_html import statement_tex

    for paper in PAPER_KEYS:
        tex = statement_tex(paper)
        missing = [c.id for c in registry.all_claims(paper) if c.id not in tex]
        assert not missing, f"statement_tex/{paper}.toml: no TeX for {missing}"


def test_statement_tex_is_well_formed():
    """Every map value has balanced $ delimiters (auto-render would otherwise show raw TeX)
    and no braces left open inside a formula."""
    from dropmc import PAPER_KEYS
    from dropmc.report_html import statement_tex

    for paper in PAPER_KEYS:
        for cid, tex in statement_tex(paper).items():
            body = tex.replace("\\$", "")
            assert body.count("$") % 2 == 0, (cid, tex)
            for k, math in enumerate(body.split("$")):
                if k % 2:
                    assert math.strip(), (cid, tex)
                    m = math.replace("\\{", "").replace("\\}", "")
                    assert m.count("{") == m.count("}"), (cid, math)



def test_statement_tex_keeps_the_words_and_numbers():
    """A TeX statement says what the registered one says: every word (4+ letters) and every
    number of the plain statement occurs in it — a statement edited in the paper module without
    its TeX fails here."""
    from dropmc import PAPER_KEYS, registry
    from dropmc.report_html import statement_tex

    stale = []
    for paper in PAPER_KEYS:
        tex = statement_tex(paper)
        for c in registry.all_claims(paper):
            t = tex.get(c.id)
            if t is None:
                continue
            words = re.findall(r"[A-Za-z][a-z]{3,}|\d+(?:\.\d+)?", c.statement)
            missing = [w for w in words if w not in t]
            if missing:
                stale.append((c.id, missing))
    assert not stale, stale

def test_statement_cell_is_tex_with_plain_title_and_fallback():
    from dropmc.report_html import _statement, statement_tex

    cid = "drop_activation.prop5_2.value_p095"
    c = {"id": cid, "paper": "drop_activation", "statement": "At p = 0.95, a < b & c"}
    out = _statement(c)
    assert out.startswith("<span class='tex' title='At p = 0.95, a &lt; b &amp; c'>")
    assert html_escape(statement_tex("drop_activation")[cid]) in out
    # a user claim (no map) and an id without TeX: the plain statement, escaped, no TeX class
    for paper, i in (("mythm", "mythm.eq1"), ("drop_activation", "drop_activation.nope")):
        out = _statement({"id": i, "paper": paper, "statement": "E X = $0 < 1"})
        assert out == "E X = $0 &lt; 1"


def html_escape(s):
    import html as _html

    return _html.escape(s, quote=True)


def test_katex_is_inlined_and_nothing_is_fetched(report_dir):
    text = (report_dir / "report.html").read_text(encoding="utf-8")
    # no external URL anywhere in the page (attributes, CSS url(), scripts' string literals
    # aside from XML namespaces, which browsers never fetch)
    urls = re.findall(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*""", text)
    urls = [u for u in urls if not u.startswith("http://www.w3.org/")]
    assert not urls, urls[:5]
    css_urls = re.findall(r"url\(([^)]*)\)", text)
    assert css_urls and all(u.strip("'\"").startswith("data:") for u in css_urls), \
        [u[:60] for u in css_urls if not u.strip("'\"").startswith("data:")]
    assert "data:font/woff2;base64," in text and ".woff)" not in text and ".ttf)" not in text
    assert "renderMathInElement" in text and "class='tex'" in text
    assert len(text.encode()) < 2_000_000


def test_errata_give_the_corrected_statement(report_dir):
    """An erratum shows its correction's statement, not only a link to it (a reader of the
    errata should not have to leave them to learn what holds instead)."""
    d = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    corr = next(c for c in d["claims"] if c["id"] == "drop_activation.prop5_1.eq10_corrected")
    text = (report_dir / "report.html").read_text(encoding="utf-8")
    errata = text[text.index("<section id=\"errata\">"):]
    link = "Correction <a href='#claim-drop_activation.prop5_1.eq10_corrected'>"
    assert link in errata
    import html as _html

    after = errata[errata.index(link):errata.index("</li>", errata.index(link))]
    assert _html.escape(corr["statement"], quote=True)[:40] in after


def test_markdown_report_has_a_table_of_contents(report_dir):
    """report.md lists its sections first, each linked to the anchor its heading gets, so the
    errata (after every paper's table) are one click away."""
    from dropmc.report import _md_anchor

    md = (report_dir / "report.md").read_text(encoding="utf-8")
    heads = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    start = md.index("Contents:")
    assert start < md.index("\n## ")
    toc = md[start:md.index("\n## ")]
    for h in heads:
        assert f"(#{_md_anchor(h)})" in toc, h
    assert _md_anchor("The dropout learning algorithm (Baldi, Sadowski) (`ensemble_averaging`)") \
        == "the-dropout-learning-algorithm-baldi-sadowski-ensemble_averaging"
    assert re.search(r"- \[Errata\]\(#errata\) \(\d+\)", toc)
