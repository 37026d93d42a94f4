"""The explorers of Baldi & Sadowski (``ensemble_averaging``): every one evaluated at its
defaults and at a second point (each number parameter a quarter into its range, each choice
at its second option), at quick precision; and the refuted printed statements fail where the
claims' own cases and notes refute them, while their corrections hold there."""

import math

import pytest

import dropmc.papers.ensemble_averaging  # noqa: F401 - registers the claims
from dropmc import explore
from dropmc.explore import SHAPES, Point
from dropmc.registry import all_claims

PAPER = "ensemble_averaging"
CLAIMS = [c for c in all_claims(PAPER) if c.explorer is not None]


def _second(claim) -> dict:
    """The second point: each number parameter a quarter into its declared range (three
    quarters when that is its default), each choice at its second option."""
    ex = claim.explorer
    out = {}
    for name, default in ex.defaults.items():
        if name in ex.choices:
            out[name] = ex.choices[name][1]
            continue
        lo, hi = ex.ranges[name]
        v = lo + 0.25 * (hi - lo)
        if v == default:
            v = lo + 0.75 * (hi - lo)
        out[name] = float(round(v)) if name in ex.integers else v
    return out


def _check(pt: Point) -> None:
    assert isinstance(pt, Point) and pt.shape in SHAPES
    assert math.isfinite(pt.printed) and math.isfinite(pt.truth)
    d = pt.derived()
    assert set(d) >= {"fails"}
    if pt.shape == "bound":
        assert math.isfinite(d["slack"])
    if pt.correction is not None and not math.isnan(pt.correction):
        assert math.isfinite(pt.correction)


def test_the_paper_has_explorers_for_its_main_results():
    ids = {c.id for c in CLAIMS}
    for slug in ("eq87.curves_bound_exact_gap", "sec8.nwgm_closer_than_wgm",
                 "sec8.nwgm_closer_than_wgm_corrected", "eq223.derivative_approx",
                 "eq223.corrected", "eq241_242.probit_estimate", "eq241.corrected"):
        assert f"{PAPER}.{slug}" in ids


def test_every_explorer_declares_a_range_for_each_number_parameter():
    for c in CLAIMS:
        ex = c.explorer
        numbers = set(ex.defaults) - set(ex.choices)
        assert numbers <= set(ex.ranges), c.id
        assert explore.check_claim(c) is c


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id[len(PAPER) + 1:] for c in CLAIMS])
def test_every_explorer_at_its_defaults_and_a_second_point(claim):
    p0 = explore.evaluate(claim, precision="quick")
    _check(p0)
    p1 = explore.evaluate(claim, precision="quick", **_second(claim))
    _check(p1)
    assert p1.shape == p0.shape


def _ev(slug, **params) -> Point:
    return explore.evaluate(f"{PAPER}.{slug}", precision="quick", **params)


def _correction_fails(pt: Point) -> bool | None:
    return pt.derived(pt.correction)["fails"]


def test_section_8_nwgm_closer_fails_above_two_thirds_and_its_correction_holds():
    """The note of sec8.nwgm_closer_than_wgm: for tight clusters above E = 2/3 the WGM is the
    closer one (Eq. 88's E = 0.677 is such a case); below, the NWGM is."""
    for law in ("two-point", "skewed", "uniform"):
        hi = _ev("sec8.nwgm_closer_than_wgm", E=0.8, s=0.01, law=law)
        assert hi.fails and math.isnan(hi.correction) and not _correction_fails(hi)
        lo = _ev("sec8.nwgm_closer_than_wgm", E=0.4, s=0.01, law=law)
        assert not lo.fails and not _correction_fails(lo)
    # the ratio tends to |1 − 2E|/(1 − E) at first order in the spread
    errs = [_ev("sec8.nwgm_closer_than_wgm_corrected", E=0.8, s=s).derived()["error"]
            for s in (0.02, 0.01)]
    assert 1.6 < errs[0] / errs[1] < 2.5


def test_eq87_curves_fail_near_a_half_as_the_note_says():
    """eq87.curves_bound_exact_gap's note: the strict reading fails around E = ½, where the
    curves vanish; far from ½ the curve bounds the gap."""
    assert _ev("eq87.curves_bound_exact_gap", p=0.3, b=-1.2).fails
    assert not _ev("eq87.curves_bound_exact_gap", p=0.5, b=3.0).fails
    for weights in ("mixed", "equal", "one dominant"):
        for curve in ("Fig. 8.1", "Fig. 8.2"):
            assert not _ev("eq87.curves_bound_exact_gap", p=0.5, b=6.0, weights=weights,
                           curve=curve).fails


def test_eq223_printed_misses_the_factor_lambda_and_the_correction_is_fourth_order():
    """eq223's note: right for λ = 1 only; the correction's error is O(s⁴)."""
    for lam in (0.5, 2.0, 3.0):
        pt = _ev("eq223.derivative_approx", lam=lam, s=0.01)
        assert pt.derived()["rel_error"] > 0.3
        assert pt.derived(pt.correction)["rel_error"] < 1e-5
    at1 = _ev("eq223.derivative_approx", lam=1.0, s=0.01)
    assert at1.derived()["rel_error"] < 1e-5
    e = [_ev("eq223.corrected", lam=2.0, s=s) for s in (0.04, 0.02)]
    ratio = e[0].derived(e[0].correction)["error"] / e[1].derived(e[1].correction)["error"]
    assert 12 < ratio < 20  # 2⁴


def test_eq241_printed_leaves_its_accuracy_for_lambda_away_from_one():
    """eq241_242's note: for λ ∈ [0.3, 0.6] ∪ [1.5, 3] the printed estimate misses E σ(S) by
    more than 2ε; at c = λ = 1 (Eq. 242) it is within it; the correction always is."""
    for lam in (2.0, 3.0):
        pt = _ev("eq241_242.probit_estimate", lam=lam, mu=1.0, sigma=1.5)
        assert pt.fails and not _correction_fails(pt)
    pt = _ev("eq241_242.probit_estimate", lam=1.0, c=1.0)
    assert not pt.fails and not _correction_fails(pt)


def test_sec9_3_probit_better_fails_at_the_note_point():
    """sec9_3.probit_better's note: at (μ, σ) = (6, 0.5) the NWGM is the more accurate; the
    correction states nothing there (NaN) and holds where it speaks."""
    pt = _ev("sec9_3.probit_better", mu=6.0, sigma=0.5)
    assert pt.fails and math.isnan(pt.correction)
    pt = _ev("sec9_3.probit_better_corrected", mu=2.0, sigma=2.0)
    assert not pt.fails and not _correction_fails(pt)


@pytest.mark.parametrize("slug, at", [
    ("eq57.geometric_mean", {"E": 0.15, "s": 0.9, "t": 1.0, "error": "squared"}),
    ("eq58.normalized_geometric_mean", {"E": 0.15, "s": 0.9, "t": 1.0, "error": "squared"}),
])
def test_section_6_squared_error_fails_outside_the_convex_range(slug, at):
    """The notes of eq57/eq58: for the squared error with a value far below t (O = (0.01,
    0.4), t = 1 in the claims' case; here a two-point law with a value near 0.015) the
    combination's error exceeds the mean error; the relative entropy holds."""
    pt = _ev(slug, **at)
    assert pt.fails and math.isnan(pt.correction)
    pt = _ev(slug, **{**at, "error": "relative_entropy"})
    assert not pt.fails and not _correction_fails(pt)


@pytest.mark.parametrize("slug, at, corrected", [
    ("eq117_118.variance_bounds", {"w": 1.0, "I": 10.0, "p": 0.5}, True),
    ("appE1.bell_shaped", {"mu": 0.0, "sigma": 3.0}, True),
    ("eq225.cdf_as_printed", {"o": 0.2, "mu": 1.0, "sigma": 1.0}, True),
    ("eq240.as_printed", {"mu": 0.5, "sigma": 1.5, "lam": 1.0}, True),
    ("eq237_239.probit_integral", {"lam": 2.5}, True),
    ("eq214.square", {}, True),
    ("eq216.inverse", {"S": 1.5}, True),
    ("appD.second_derivative", {"lam": 2.0}, True),
    ("appA.uniform_sd", {"a": 2.0}, True),
    ("eq33.middle_as_printed", {}, True),
    ("eq105.variance_of_difference", {"m": 100, "law": "U[0, 0.5]"}, True),
    ("eq107.covariance_form", {}, True),
    ("eq209_210.exact_gap", {"E": 0.95, "s": 0.9, "law": "skewed"}, False),
    ("eq119.first_layer_independent", {"dropout": "nodes"}, False),
    ("sec7_2.hierarchical_gap", {}, True),
    ("sec9_5.epsilon_mean_zero", {"mu_w": 1.0}, False),
])
def test_refuted_printed_statements_fail_where_their_cases_refute_them(slug, at, corrected):
    pt = _ev(slug, **at)
    assert pt.fails, (slug, pt.row())
    if corrected:
        assert pt.correction is not None and not _correction_fails(pt), (slug, pt.row())


@pytest.mark.parametrize("slug, at", [
    ("eq237_239.probit_integral", {"lam": 1.0}),
    ("appD.second_derivative", {"lam": 1.0}),
    ("eq119.first_layer_connection_dropout", {}),
    ("eq117_118.variance_bounds", {"I": 0.5}),
    ("appE1.bell_shaped", {"sigma": 1.0}),
])
def test_printed_statements_hold_where_their_cases_confirm_them(slug, at):
    assert not _ev(slug, **at).fails


def test_approximations_vanish_at_the_order_they_claim():
    """The slope of the error in the swept parameter matches the order the explorer states,
    for a few second- and third-order claims (two points a factor 2 apart)."""
    for slug, at in (("eq199_202.expansion_mean", {"E": 0.3}),
                     ("eq84_85.wgm_second_order_corrected", {"E": 0.3}),
                     ("eq83_89.first_order", {"E": 0.7}),
                     ("appC.moments_nwgm", {"E": 0.6}),
                     ("eq99_102.dropout_induction", {})):
        pts = [_ev(slug, **at, s=s) for s in (0.02, 0.01)]
        err = [p.derived(p.correction if p.correction is not None else None)["error"]
               for p in pts]
        order = pts[0].order
        assert abs(math.log2(err[0] / err[1]) - order) < 0.35, (slug, err)

