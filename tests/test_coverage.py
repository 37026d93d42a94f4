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
