"""The Drop-Activation explorers (dropmc explore): every explorer evaluated at its defaults and
at a second point (each number parameter a quarter into its range, each choice at another
option), and the refuted printed statements failing — next to their corrections holding —
at the points where the claims' own cases and notes refute them."""

import math

import pytest

from dropmc import explore, registry, widgets
from dropmc.explore import SHAPES

PAPER = "drop_activation"
EXPLORERS = [c.id for c in explore.explorable(PAPER)]


def _other(claim_id) -> dict:
    """The second point: each number parameter a quarter into its range, each choice at the
    option halfway down its list."""
    return {c.name: c.at(0.25) if c.options is None else c.at(0.5)
            for c in widgets.parameters(claim_id)}


def _finite(v) -> bool:
    return v is None or math.isfinite(v)


@pytest.mark.parametrize("claim_id", EXPLORERS)
def test_every_explorer_at_its_defaults_and_another_point(claim_id):
    points = [explore.evaluate(claim_id, precision="quick", **at) for at in ({}, _other(claim_id))]
    assert len({pt.shape for pt in points}) == 1  # a choice may change the side of a bound
    for pt in points:
        assert pt.shape in SHAPES and math.isfinite(pt.printed) and math.isfinite(pt.truth)
        assert _finite(pt.exact) and (pt.mc is None or math.isfinite(pt.mc.se))
        assert isinstance(pt.fails, bool) or (pt.shape == "approximation" and pt.fails is None)


def test_the_paper_has_explorers_for_its_main_results():
    assert {f"{PAPER}.prop5_2.eq15_shift_ratio", f"{PAPER}.prop5_1.eq10",
            f"{PAPER}.sec1_1.ensemble_average"} <= set(EXPLORERS)


@pytest.mark.parametrize("claim_id, at, holds_at", [
    # the note: "ReLU, three layers, p = 1/2"; one layer is the correction (it holds)
    ("sec1_1.ensemble_average", {"layers": "3", "p": 0.5}, {"layers": "1", "p": 0.5}),
    # the minimal counterexample: W₂ = [1, 1] (c = 1), p = ½: 2 against 1.5
    ("prop5_1.eq10", {"c": 1.0, "p": 0.5}, {"c": 0.0, "p": 0.5}),
    ("appendix.frobenius_step", {"c": 1.0, "p": 0.5}, {"c": 0.0, "p": 0.5}),
    # the reading with dropout on the zero-mean x fails above p = 0.8775, at p = 0.95 too
    ("sec5_2.unlike_dropout_zero_mean", {"p": 0.95}, {"p": 0.5}),
])
def test_refuted_statements_fail_where_their_cases_refute_them(claim_id, at, holds_at):
    cid = f"{PAPER}.{claim_id}"
    pt = explore.evaluate(cid, **at)
    assert pt.fails
    if pt.correction is not None:
        assert pt.derived(pt.correction)["fails"] is False
    assert explore.evaluate(cid, **holds_at).fails is False


def test_the_eq10_map_outlines_where_the_printed_penalty_fails():
    g = explore.grid(f"{PAPER}.prop5_1.eq10", {"p": (0.1, 1.0), "c": (-1.0, 1.0)}, points=5)
    F = g.fails()
    assert F[2].tolist() == [False] * 5           # c = 0: orthogonal columns
    assert not F[:, -1].any()                     # p = 1: nothing dropped
    assert F[0, :-1].all() and F[-1, :-1].all()   # c = ±1, p < 1
    assert not g.fails(correction=True).any()


def test_the_holding_statements_hold_at_their_defaults():
    for slug in ("prop5_2.eq15_shift_ratio", "prop5_2.range", "sec5_2.unlike_dropout",
                 "appendix.eq18", "eq5.expected_map"):
        assert explore.evaluate(f"{PAPER}.{slug}").fails is False, slug
    assert registry.no_explorer_reason(registry.get(f"{PAPER}.fig3a.fit_vs_prediction"))
