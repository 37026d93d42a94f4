"""Every built-in claim has an explorer or a one-line reason for having none
(``Catalog.no_explorer``), never both; and ``dropmc list --explorable`` counts them per paper.

The coverage check runs on the papers of :data:`COVERED`: while the papers' explorers were
being written, those whose every claim had an explorer or a reason; now every built-in paper.
"""

import pytest

from dropmc import PAPER_KEYS, cli, registry

#: the papers whose every claim has an explorer or a reason: all of them
COVERED = set(PAPER_KEYS)


@pytest.mark.parametrize("paper", sorted(COVERED))
def test_every_claim_has_an_explorer_or_a_reason(paper):
    missing = [c.id for c in registry.all_claims(paper)
               if c.explorer is None and not registry.no_explorer_reason(c)]
    assert not missing, f"claims with neither an explorer nor a reason: {missing}"


@pytest.mark.parametrize("paper", PAPER_KEYS)
def test_no_claim_has_both_and_every_reason_names_a_claim(paper):
    cat = registry.catalog(paper)
    ids = {c.id: c for c in cat.claims}
    assert set(cat.no_explorers) <= set(ids)
    both = [cid for cid in cat.no_explorers if ids[cid].explorer is not None]
    assert not both
    for cid, why in cat.no_explorers.items():
        assert why.strip() and "\n" not in why, cid


@pytest.mark.parametrize("paper", sorted(COVERED))
def test_explore_with_reasons_name_a_claim_with_an_explorer(paper):
    """A reason "explored with X" points at a claim of the paper that has an explorer."""
    cat = registry.catalog(paper)
    for cid, why in cat.no_explorers.items():
        if why.startswith("explored with "):
            target = why.removeprefix("explored with ").split()[0].rstrip(".,;:")
            full = target if target.startswith(paper + ".") else f"{paper}.{target}"
            assert registry.get(full).explorer is not None, (cid, why)


def test_list_counts_explorers_per_paper(capsys):
    assert cli.main(["list", "--explorable"]) == 0
    err = capsys.readouterr().err
    assert "explorers per paper (with an explorer / without, with a reason):" in err
    for paper in COVERED:
        claims = registry.all_claims(paper)
        yes = sum(c.explorer is not None for c in claims)
        line = next(ln for ln in err.splitlines() if ln.split()[:1] == [paper])
        assert line.split()[1:4] == [str(yes), "/", str(len(claims) - yes)], line
        assert "without a reason" not in line


def test_list_why_not_prints_the_reasons(capsys):
    paper = sorted(COVERED)[0]
    assert cli.main(["list", "--explorable", "--why-not", "--paper", paper]) == 0
    out, err = capsys.readouterr()
    without = [c for c in registry.all_claims(paper) if c.explorer is None]
    ids = [ln.split()[0] for ln in out.splitlines() if ln and not ln[0].isspace()]
    assert ids == [c.id for c in without]
    assert out.count("no explorer: ") == len(without)
    assert f"{len(without)} claims without an explorer" in err
    assert cli.main(["list", "--why-not"]) == 2
    assert "use it with --explorable" in capsys.readouterr().err
