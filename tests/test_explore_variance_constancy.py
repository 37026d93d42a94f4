"""The Littwin–Wolf explorers (dropmc explore): every explorer evaluated at its defaults and at
a second point (each number parameter a quarter into its range, each choice at another
option), and the refuted printed statements failing — next to their corrections holding,
where they have one — at the points where the claims' own cases and notes refute them."""

import math

import pytest

from dropmc import explore, widgets
from dropmc.explore import SHAPES

PAPER = "variance_constancy"
EXPLORERS = [c.id for c in explore.explorable(PAPER)]


def _other(claim_id) -> dict:
    """The second point: each number parameter a quarter into its range, each choice at the
    option halfway down its list."""
    return {c.name: c.at(0.25) if c.options is None else c.at(0.5)
            for c in widgets.parameters(claim_id)}


@pytest.mark.parametrize("claim_id", EXPLORERS)
def test_every_explorer_at_its_defaults_and_another_point(claim_id):
    points = [explore.evaluate(claim_id, precision="quick", **at) for at in ({}, _other(claim_id))]
    assert len({pt.shape for pt in points}) == 1
    for pt in points:
        assert pt.shape in SHAPES and math.isfinite(pt.printed) and math.isfinite(pt.truth)
        assert pt.mc is None or math.isfinite(pt.mc.se)
        assert isinstance(pt.fails, bool) or (pt.shape == "approximation" and pt.fails is None)


def test_the_paper_has_explorers_for_its_main_results():
    assert {f"{PAPER}.eq1.var_sample_variance", f"{PAPER}.thm2.regimes",
            f"{PAPER}.thm3.eq14", f"{PAPER}.eq9.projected_kurtosis"} <= set(EXPLORERS)


@pytest.mark.parametrize("claim_id, at, holds_at", [
    # the note: prior 0.1 (κ = 8.1) is above the normal law at n = 2, 3, 5, 10
    ("sec2.few_modes_low_variance", {"q": 0.1, "n": 10}, {"q": 0.4, "n": 10}),
    # four modes (κ = 2.68): Pr(|Z| ≥ 3) = 0.01 against 0.0027
    ("sec2.kurtosis_tails_vs_normal", {"law": "four modes", "k": 3.0},
     {"law": "uniform", "k": 3.0}),
    ("eq10.second_case", {"p": 0.1}, None),
    ("eq9.unequal_covariance", {"r": 2.0}, {"r": 1.0}),
    ("thm2.unequal_covariance", {"turn": 60.0, "p": 0.3}, {"turn": 0.0, "r": 1.0, "p": 0.3}),
    # normal activations, n = 102, ε = 0.1 (x = 1.98); n = 100, ε = 0.5 for Eq. 12
    ("thm3.eq14", {"n": 102, "eps": 0.1}, {"n": 400, "eps": 0.5}),
    ("thm3.eq15", {"n": 102, "eps": 0.1}, {"n": 400, "eps": 0.5}),
    ("thm3.eq12", {"n": 100, "eps": 0.5}, None),
    # n = 2, ε = 0.5: (1 − x)² grows with κ
    ("thm3.rhs_max_at_min_kappa", {"n": 2, "eps": 0.5, "kappa": 1.5},
     {"n": 200, "eps": 0.9, "kappa": 1.5}),
    # normal, n = 10, β = 1: the curve rises beyond c ≈ 1.41
    ("eq17.variance_grows", {"c": 100.0, "n": 10, "beta": 1.0, "law": "normal"},
     {"c": 0.5, "n": 10, "beta": 1.0, "law": "normal"}),
    # two-point, n = 10: F drops from β = 1 to 10
    ("eq17.separating_force", {"beta": 5.0, "n": 10}, {"beta": 0.5, "n": 10}),
    ("sec2_2.higher_moments_small_batch", {"n": 2, "law": "normal"}, {"n": 32, "law": "normal"}),
    ("sec2_3.variance_dominates", {"n": 100, "law": "normal"}, {"n": 100, "law": "exponential"}),
    ("sec2_3.mean_ratio_near_one", {"n": 10, "law": "normal"}, None),
    # modes ±1 (SD 0.3), prior 0.05, n = 32: 0.21 against 0.052
    ("sec1.few_modes_stable_batches", {"p": 0.05, "n": 32}, {"p": 0.5, "n": 32}),
    # κ = 3.5 at n = 250, ε = 0.1
    ("sec2_4.large_n_bound_high", {"n": 250, "kappa": 3.5, "eps": 0.1},
     {"n": 100_000, "kappa": 1.0, "eps": 0.1}),
])
def test_refuted_statements_fail_where_their_cases_refute_them(claim_id, at, holds_at):
    cid = f"{PAPER}.{claim_id}"
    pt = explore.evaluate(cid, **at)
    assert pt.fails
    if pt.correction is not None:  # NaN where the correction claims nothing: it cannot fail
        assert pt.derived(pt.correction)["fails"] is False
    if holds_at is not None:
        assert explore.evaluate(cid, **holds_at).fails is False


def test_corrections_hold_where_the_printed_statements_fail():
    pt = explore.evaluate(f"{PAPER}.thm3.eq12_corrected", n=100, eps=0.5)
    assert pt.fails is False
    pt = explore.evaluate(f"{PAPER}.thm3.rhs_max_at_min_kappa_corrected", n=2, eps=0.5,
                          kappa=1.5)
    assert pt.fails is False
    # F(β) ≈ 4σ²/β with an error of order β⁻²
    errs = [explore.evaluate(f"{PAPER}.eq17.separating_force_corrected", beta=b).value
            for b in (300.0, 600.0)]
    assert errs[0] / errs[1] == pytest.approx(4, rel=0.05)


def test_eq1_is_exact_for_the_two_point_law_at_every_n():
    sw = explore.sweep(f"{PAPER}.eq1.var_sample_variance", "n", 2, 40, points=5,
                       precision="quick", law="two-point", q=0.1)
    assert not sw.fails().any()
    assert all(pt.exact == pytest.approx(pt.printed, rel=1e-10) for pt in sw.points)
