"""Baldi & Sadowski (ensemble_averaging): the slips of Section 11.5 (after Eq. 176, before
Eq. 179, Eq. 183's left side), the layers of Section 3 (shortest path from the input, with skip
connections), Eq. 205–208 decided one by one, and the reasons given where a refuted printed
claim has no correction. Verdicts at quick precision are asserted with the others by
tests/test_ensemble_averaging.py and tests/test_ensemble_averaging_prose.py."""

import ast

import numpy as np
import pytest

from dropmc.claims import Verdict, classify
from dropmc.registry import all_claims
from dropmc.runner import evaluate, power
from dropmc.simulations import ensemble_averaging as sim
from dropmc.theory import ensemble_averaging as th
from conftest import evaluate_quick

CLAIMS = {c.id.removeprefix("ensemble_averaging."): c for c in all_claims("ensemble_averaging")}


def _chain():
    W = np.zeros((4, 4))
    W[1, 0], W[2, 1], W[3, 2], W[3, 0] = 1.0, 1.0, 1.3, 0.5
    return th.LayeredNet(W, np.arange(4))


def test_shortest_path_layers():
    """x0 → a → b → i with x0 → i: i is in layer 1, below its ancestor b (layer 2); without
    skip connections the layers are the construction layers; a unit no input reaches has none."""
    assert th.shortest_path_layers(_chain()).tolist() == [0, 1, 2, 1]
    net = th.random_layered_net(np.random.default_rng(0), [2, 3, 2, 1], skip_prob=0.0)
    assert th.shortest_path_layers(net).tolist() == net.layer.tolist()
    W = np.zeros((3, 3))
    W[2, 0] = 1.0
    with pytest.raises(ValueError, match="unit 1 has no incoming connection"):
        th.shortest_path_layers(th.LayeredNet(W, np.array([0, 1, 2])))


@pytest.mark.parametrize("pb,expected", [(0.9, 1.0552), (0.2, 0.5456)])
def test_a_higher_layer_gate_moves_a_lower_layer_unit(pb, expected):
    """E(S_i) = w_i0p_0 + w_ibp_bw_bap_aw_a0p_0 = 0.4 + 0.728p_b (input 1, p_0 = 0.8, p_a = 0.7)."""
    e = sim.enumerate_network(_chain(), [1.0], p_units=[0.8, 0.7, pb, 1.0])
    assert e["ES"][3] == pytest.approx(expected, abs=1e-12)


def test_a_connection_out_of_a_higher_layer_moves_a_lower_layer_unit():
    """Connection dropout on the same chain (x0 → a, x0 → i kept with 0.8, a → b with 0.7,
    b → i with p_ib): E(S_i) = 0.4 + 0.728p_ib, though b → i leaves layer 2 and i is in
    layer 1."""
    for pib, expected in ((0.9, 1.0552), (0.2, 0.5456)):
        P = np.zeros((4, 4))
        P[1, 0], P[3, 0], P[2, 1], P[3, 2] = 0.8, 0.8, 0.7, pib
        e = sim.enumerate_network(_chain(), [1.0], p_edges=P)
        assert e["ES"][3] == pytest.approx(expected, abs=1e-12)


def test_ancestor_gates_fail_only_through_the_papers_layering(monkeypatch):
    """As printed the claim is refuted by the redrawn gates of layers ≥ h (and the skip chain's
    p_b), never by the induced subnetworks; with a topological layering (every connection to a
    higher layer) in place of the paper's, only the skip chain's explicit case remains."""
    r = evaluate_quick(CLAIMS["sec3.ancestor_gates"], 2026)
    refuted = [c for c in r.cases if c.verdict is Verdict.REFUTED]
    assert refuted and all(c.params["vs"] != "induced subnetwork" for c in refuted)
    assert "1.0552 at p_b = 0.9, 0.5456 at p_b = 0.2" in r.cases[-1].detail
    monkeypatch.setattr(th, "shortest_path_layers", lambda net: net.layer)
    r = evaluate(CLAIMS["sec3.ancestor_gates"], seed=2026, precision="quick", catch=False)
    refuted = [c for c in r.cases if c.verdict is Verdict.REFUTED]
    assert [c.params["vs"] for c in refuted] == ["p_b (b in layer 2): 0.9 → 0.2"]


def test_connection_gates_fail_only_through_the_papers_layering(monkeypatch):
    """As for unit dropout: under connection dropout the printed claim is refuted by the
    redrawn gates of connections out of layers ≥ h and the chain's p_ib, never by the induced
    subnetworks; with a topological layering only the chain's explicit case remains."""
    claim = CLAIMS["sec3.ancestor_gates_connections"]
    r = evaluate_quick(claim, 2026)
    refuted = [c for c in r.cases if c.verdict is Verdict.REFUTED]
    assert refuted and all(c.params["vs"] != "induced subnetwork" for c in refuted)
    assert "1.0552 at p_ib = 0.9, 0.5456 at p_ib = 0.2" in r.cases[-1].detail
    monkeypatch.setattr(th, "shortest_path_layers", lambda net: net.layer)
    r = evaluate(claim, seed=2026, precision="quick", catch=False)
    refuted = [c for c in r.cases if c.verdict is Verdict.REFUTED]
    assert [c.params["vs"] for c in refuted] == ["p_ib (connection b→i out of layer 2): 0.9 → 0.2"]


def test_corrections_decide_the_same_cases():
    """Each correction registered with same_cases sees the networks of its printed claim (at
    the seed of the verdict tests, whose evaluations these are)."""
    for printed, corr in (("sec3.ancestor_gates", "sec3.ancestor_gates_corrected"),
                          ("sec3.ancestor_gates_connections",
                           "sec3.ancestor_gates_connections_corrected"),
                          ("eq176.s_ij_as_printed", "eq176.s_ij_corrected"),
                          ("eq179.nwgm_step_as_printed", "eq179.nwgm_step_corrected"),
                          ("eq183.left_side_as_printed", "eq183.left_side_corrected"),
                          ("eq237_239.probit_integral", "eq237_239.corrected")):
        drawn = []
        for slug in (printed, corr):
            r = evaluate_quick(CLAIMS[slug], 2026)
            drawn.append({tuple((k, str(v)) for k, v in c.params.items()
                                if k in ("net", "c", "lam", "mu", "sigma")) for c in r.cases})
        assert len(drawn[0]) > 1 and drawn[0] == drawn[1], printed


def test_error_classes():
    """The three slips of Section 11.5 and Z's variance in Eq. 239 are misprints (their
    corrections hold); the layers of Sec. 3 need a different statement (substantive)."""
    ids = ["eq176.s_ij_as_printed", "eq176.s_ij_corrected", "eq179.nwgm_step_as_printed",
           "eq179.nwgm_step_corrected", "eq183.left_side_as_printed", "eq183.left_side_corrected",
           "eq237_239.probit_integral", "eq237_239.corrected", "sec3.ancestor_gates",
           "sec3.ancestor_gates_corrected", "sec3.ancestor_gates_connections",
           "sec3.ancestor_gates_connections_corrected"]
    results = [evaluate_quick(CLAIMS[i], 2026).to_dict() for i in ids]
    got = {d["id"].removeprefix("ensemble_averaging."): d["error_class"]
           for d in classify(results) if d["as_printed"]}
    assert got == {"eq176.s_ij_as_printed": "misprint", "eq179.nwgm_step_as_printed": "misprint",
                   "eq183.left_side_as_printed": "misprint",
                   "eq237_239.probit_integral": "misprint", "sec3.ancestor_gates": "substantive",
                   "sec3.ancestor_gates_connections": "substantive"}


def test_eq205_208_decides_each_equation_it_labels():
    r = evaluate_quick(CLAIMS["eq205_208.around_one"], 2026)
    for eq in (205, 206, 207, 208):
        assert any(f"Eq. {eq} " in c.detail for c in r.cases), eq
        assert f"Eq. {eq}" in CLAIMS["eq205_208.around_one"].label


def test_refuted_printed_claims_without_a_correction_say_why():
    for slug in ("eq188.regulariser", "eq209_210.exact_gap", "eq211.around_zero",
                 "sec9_4.difference_around_zero", "eq108.variance_sum"):
        c = CLAIMS[slug]
        assert c.as_printed and len(c.no_correction) > 80, slug
        assert not any(x.corrects == c.id for x in CLAIMS.values()), slug


def test_exact_gap_search_ignores_rounding():
    """A single value has E = NWGM; the computed NWGM differs by rounding (≈ 6e-17), which the
    search of Eq. 209's first bound (½V/(1 − V) = 0) must not report as a counterexample."""
    r = evaluate_quick(CLAIMS["eq209_210.exact_gap"], 2026)
    first = r.cases[0]
    assert first.params["bound"] == "½V/(1−V)" and first.verdict is Verdict.REFUTED
    O = ast.literal_eval(first.detail.split(": ", 1)[1])[0]  # the counterexample's values
    assert len(set(O)) > 1, first.detail


# exact comparisons (enumeration, complex step, quadrature) are refuted by δ ≤ 1e-8; the
# order criteria of the step before Eq. 179 by δ ≤ 0.05 (a relative error δ of the
# approximation leaves an O(δ) error that does not vanish with the weights)
POWER = [("sec3.ancestor_gates_corrected", 1e-8),
         ("sec3.ancestor_gates_connections_corrected", 1e-8), ("eq176.s_ij_corrected", 1e-8),
         ("eq183.left_side_corrected", 1e-8), ("eq237_239.corrected", 1e-8),
         ("eq179.nwgm_step_corrected", 0.05)]


@pytest.mark.parametrize("slug,bound", POWER, ids=[p[0] for p in POWER])
def test_power_of_the_corrections(slug, bound):
    pw = power(CLAIMS[slug], seed=1, precision="quick")
    assert pw["status"] == "measured", pw
    assert pw["delta"] <= bound, pw
