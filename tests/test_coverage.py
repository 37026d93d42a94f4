"""The coverage map (dropmc coverage): data files parse, claim ids exist, counts add up."""

from dropmc import PAPER_KEYS, cli, coverage


def test_equation_numbers_are_read_from_text():
    text = "a $$x = 1 \\quad (1)$$\n$$y \\tag{12}$$\nz = 3 (7) $$\n"
    assert coverage.equation_numbers(text) == {1, 7, 12}
    assert coverage._eq_refs("Property 5.1, Eq. 9, Eq. 10") == [9, 10]
    assert coverage._eq_refs("Eq. 98–102") == [98, 99, 100, 101, 102]


def test_every_paper_maps_without_problems_and_every_claim_is_named():
    from dropmc.registry import all_claims

    for key in PAPER_KEYS:
        stmts, problems = coverage.build(key)
        assert not problems, problems
        named = {c for s in stmts for c in s.claims}
        assert {c.id for c in all_claims(key)} <= named
        k = coverage.counts(stmts)
        assert k["checkable"] == k["checked"] + k["unchecked"]
        assert "| where | statement |" in coverage.markdown(key, stmts, problems)


def test_cli_prints_counts_and_writes(tmp_path, capsys):
    assert cli.main(["coverage", "--paper", "drop_activation", "--write", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "drop_activation" in out and "checkable" in out
    assert (tmp_path / "drop_activation.md").read_text().startswith("# Coverage map")


def test_committed_maps_are_up_to_date():
    """docs/coverage/<key>.md is what `dropmc coverage --write docs/coverage` generates now."""
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs" / "coverage"
    for key in PAPER_KEYS:
        stmts, problems = coverage.build(key)
        assert (docs / f"{key}.md").read_text() == coverage.markdown(key, stmts, problems), (
            f"docs/coverage/{key}.md is stale: run `dropmc coverage --write docs/coverage`")


def test_no_checkable_statement_is_without_a_claim():
    """Issue 9's bar: every checkable statement of the four papers is decided by a claim."""
    for key in PAPER_KEYS:
        stmts, _ = coverage.build(key)
        missing = [f"{s.ref}: {s.text[:80]}" for s in stmts if s.status == "unchecked"]
        assert not missing, f"{key}: checkable statements without a claim: {missing}"
