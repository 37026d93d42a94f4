"""The explorers of the Zhang–Xu catalog (implicit_regularization): every explorer at its
defaults and at a second point (quick precision), and each at the points its claim's cases and
notes name — the printed statements the catalog refutes fail there next to their corrections,
the confirmed ones hold, and the order claims show their orders in ε."""

import math

import numpy as np
import pytest

from dropmc import explore, registry
from dropmc.explore import Point

PAPER = "implicit_regularization"
EXPLORED = [c.id for c in registry.all_claims(PAPER) if c.explorer is not None]


def ev(slug, **params) -> Point:
    return explore.evaluate(f"{PAPER}.{slug}", precision="quick", **params)


def _second_point(claim) -> dict:
    """Each number parameter at a quarter of its range, each choice at its last option."""
    ex = claim.explorer
    out = {k: lo + 0.25 * (hi - lo) for k, (lo, hi) in ex.ranges.items()}
    out.update({k: opts[-1] for k, opts in ex.choices.items()})
    return out


@pytest.mark.parametrize("cid", EXPLORED)
def test_every_explorer_at_its_defaults_and_a_second_point(cid):
    claim = registry.get(cid)
    ex = claim.explorer
    assert set(ex.ranges) | set(ex.choices) == set(ex.defaults)  # every slider has a range
    kind = claim.kind.value
    for params in ({}, _second_point(claim)):
        pt = explore.evaluate(cid, precision="quick", **params)
        assert isinstance(pt, Point)
        assert pt.shape == {"identity": "identity", "approximation": "approximation",
                            "inequality": pt.shape}[kind]
        assert math.isfinite(pt.printed) and math.isfinite(pt.truth)
        assert pt.fails in (True, False, None)
        row = pt.row()
        assert row["truth"] == pt.truth


def test_the_paper_has_explorers_or_reasons_for_every_claim():
    for c in registry.all_claims(PAPER):
        reason = registry.no_explorer_reason(c)
        assert (c.explorer is None) != (reason is None), c.id


# -- Section 3.3 and Lemma 1: identities that hold ------------------------------------------

@pytest.mark.parametrize("moment", ["second", "mean", "cross", "third"])
def test_eta_moments_hold_exactly_and_by_monte_carlo(moment):
    for p in (0.5, 0.993):  # 0.993: the claim's rare-event case
        pt = ev("sec3_3.eta_moments", p=p, moment=moment)
        assert not pt.fails
        assert pt.exact == pytest.approx(pt.printed, rel=1e-12, abs=1e-300)
    assert ev("sec3_3.eta_moments", p=0.3, moment="mean").exact == 0.0  # no rounding noise


def test_eta_is_inverted_dropout():
    for p in (0.5, 0.9):
        pt = ev("sec3_3.eta_is_dropout", p=p)
        assert not pt.fails and pt.exact == p and pt.mc.n >= 10_000


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_lemma1_holds_exactly_and_by_monte_carlo(activation):
    for p, s in ((0.5, 1.0), (0.9, 5.0)):
        pt = ev("lemma1.exact", p=p, s=s, activation=activation)
        assert not pt.fails and pt.mc is not None
        assert pt.exact == pytest.approx(pt.printed, rel=1e-10)
        assert not ev("lemma1.monte_carlo", p=p, s=s, activation=activation).fails
        assert not ev("lemma1.gradient", p=p, s=s, activation=activation).fails


def test_lemma1_explorers_keep_their_network_across_points():
    """The network depends on the run seed, not on the point: R_S + R1 = R_S + c(1 − p)/p with
    the same R_S and c at every p ((1 − p)/p = 1, 3, 4 at p = ½, ¼, ⅕), and another seed draws
    another network."""
    v = [ev("lemma1.exact", p=p).printed for p in (0.5, 0.25, 0.2)]
    c = (v[1] - v[0]) / 2
    assert v[2] - v[0] == pytest.approx(3 * c, rel=1e-10)
    a = explore.evaluate(f"{PAPER}.lemma1.exact", p=0.5, precision="quick").printed
    b = explore.evaluate(f"{PAPER}.lemma1.exact", p=0.5, precision="quick", seed=1).printed
    assert a != b


@pytest.mark.parametrize("layers", ["two layers", "earlier", "last two of four"])
def test_eq3_fails_outside_setting1_and_holds_without_dropout(layers):
    """lemma1.outside_setting1: Eq. 3 misses the exact risk when dropout acts outside the last
    hidden layer (the extension claim holds where the identity fails), and both sides agree at
    p = 1."""
    pt = ev("lemma1.outside_setting1", p=0.5, layers=layers)
    assert pt.fails and abs(pt.derived()["difference"]) > 1e-6 * abs(pt.exact)
    assert not ev("lemma1.outside_setting1", p=1.0, layers=layers).fails


@pytest.mark.parametrize("network", ["saturated", "condensed", "dead columns", "wide relu"])
def test_lemma1_on_structured_networks(network):
    pt = ev("ext.lemma1_structured_networks", network=network, p=0.7)
    assert not pt.fails and (pt.exact is None) == (network == "wide relu")


# -- Eq. 4-5 and Section 4: orders in ε ----------------------------------------------------

def _ratio(slug, eps, corrected=False, **kw):
    """error(ε) / error(ε/2) of the printed side (or of its correction)."""
    errs = []
    for e in (eps, eps / 2):
        pt = ev(slug, eps=e, **kw)
        errs.append(pt.derived(pt.correction if corrected else None)["error"])
    return errs[0] / errs[1]


def test_eq5_orders_in_eps():
    """The flow of R_S + R1 and SGD's full-batch flow are off by O(ε²); the printed R2 leaves
    the error at O(ε²) (eq5.r2_printed, REFUTED), the corrected term brings it to O(ε³)."""
    assert _ratio("eq5.first_order_r1", 1e-3) == pytest.approx(4, rel=0.05)
    assert _ratio("sec4.sgd_implicit_term_vanishes", 1e-3) == pytest.approx(4, rel=0.05)
    for slug in ("eq5.r2_printed", "eq5.r2_corrected"):
        assert _ratio(slug, 1e-3) == pytest.approx(4, rel=0.05)
        assert _ratio(slug, 1e-3, corrected=True) == pytest.approx(8, rel=0.05)
        pt = ev(slug)
        assert pt.order == 3 and pt.order_in == "eps" and pt.correction is not None
    # k = 1 and p = 1 (no dropout: the printed and corrected terms coincide)
    pt = ev("eq5.r2_printed", p=1.0, k=1)
    assert pt.printed == pytest.approx(pt.correction, rel=1e-9)


# -- Section 6 and Theorem 1 ---------------------------------------------------------------

def test_condensed_tanh_neurons_are_not_narrower_but_relu_ones_are():
    """sec6.condensed_is_narrower (REFUTED by tanh): the width-one condition fails for norm
    ratios r in the claim's [1.3, 3] and holds at r = 1; the ReLU scope holds everywhere."""
    for r in (1.3, 2.0, 3.0):
        pt = ev("sec6.condensed_is_narrower", r=r, a=0.5)
        assert pt.fails and pt.printed < pt.exact  # Jensen: left < right
    assert not ev("sec6.condensed_is_narrower", r=1.0, a=3.0).fails
    for x in (-3.0, -1.0, 1.0, 3.0):
        assert not ev("sec6.condensed_is_narrower_relu", r=3.0, a=-2.0, x=x).fails


@pytest.mark.parametrize("case", ["convexity1", "convexity2", "convexity3", "convexity4",
                                  "intercept_pos", "intercept_neg_eq", "intercept_neg_gt",
                                  "intercept_neg_lt"])
def test_theorem1_perturbations_lower_r1_by_order_eps(case):
    small = ev("thm1.perturbations", case=case, eps=1e-5)
    big = ev("thm1.perturbations", case=case, eps=1e-4)
    assert small.side == "upper" and not small.fails and not big.fails
    assert big.derived()["slack"] / small.derived()["slack"] == pytest.approx(10, rel=0.05)


def test_closed_interval_fails_on_the_right_end_point_and_the_pivot_there_repairs_it():
    """thm1.closed_interval (REFUTED): with a2 > 0 and the second intercept on the right end
    point (f2 = 1, the claim's edge case) the printed perturbation moves the output at that
    point, linearly in ε; pivoting about it (thm1.closed_interval_corrected) does not. Inside
    the interval both hold, and the other intercept sub-cases hold on the end point too."""
    for slug in ("thm1.closed_interval", "thm1.closed_interval_corrected"):
        d = []
        for eps in (1e-4, 1e-3):
            pt = ev(slug, eps=eps, f2=1.0, case="intercept_pos")
            assert pt.fails and not pt.derived(pt.correction)["fails"]
            d.append(pt.derived()["difference"])
        assert d[1] / d[0] == pytest.approx(10, rel=1e-3)
        inside = ev(slug, f2=0.6, case="intercept_pos")
        assert not inside.fails and not inside.derived(inside.correction)["fails"]
        for case in ("intercept_neg_eq", "intercept_neg_gt", "intercept_neg_lt"):
            assert not ev(slug, f2=1.0, case=case).fails


# -- Section 7.2, Theorem 2 ----------------------------------------------------------------

def test_trace_of_the_hessian_needs_zero_loss_for_tanh_only():
    assert not ev("sec7_2.trace_hessian", r=0.0).fails
    assert ev("sec7_2.trace_hessian", r=1.0).fails
    for r in (0.0, 1.0):
        assert not ev("sec7_2.trace_hessian", r=r, s=2.0, network="relu").fails


def test_theorem2_formula_and_flatness_decrease():
    assert not ev("thm2.flatness_formula", s_a=10.0, s_w=0.1).fails
    for slug in ("thm2.flatness_decreases", "sec7_2.r2_flatness"):
        for p in (0.3, 0.9):
            pt = ev(slug, p=p)
            assert pt.side == "upper" and pt.printed == 0.0
            assert not pt.fails and pt.derived()["slack"] > 0


def test_printed_flow_of_appendix_b4_is_half_the_true_one():
    """thm2.proof_flow (REFUTED): the printed flow lowers R1 at half the rate of −∇R1;
    the corrected factor (thm2.proof_flow_corrected) gives the rate exactly."""
    for slug in ("thm2.proof_flow", "thm2.proof_flow_corrected"):
        for p in (0.2, 0.8):
            pt = ev(slug, p=p)
            assert pt.fails and pt.printed / pt.exact == pytest.approx(0.5, rel=1e-10)
            assert not pt.derived(pt.correction)["fails"]


def test_a_sweep_and_a_map_of_an_explorer():
    sw = explore.sweep(f"{PAPER}.eq5.r2_printed", "eps", 1e-3, 8e-3, points=4, log=True,
                       precision="quick", progress=False)
    slope = np.polyfit(np.log(sw.xs), np.log(sw.values()), 1)[0]
    assert slope == pytest.approx(2, abs=0.1)
    g = explore.grid(f"{PAPER}.thm1.closed_interval", {"eps": (1e-5, 1e-3), "f2": (0.5, 1.0)},
                     points=3, precision="quick", progress=False)
    F = g.fails()
    assert F[-1].all() and not F[:-1].any()  # the row f2 = 1 fails, the others hold
    assert not g.fails(correction=True).any()
