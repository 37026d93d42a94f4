"""Variance Constancy Loss, issue 9: statements about the printed Tables 2, 4, 5 (Section 3)
and the prose of Sections 2.2, 2.3 and 4 — data checks, closed forms, power and mutations.
(Expected verdicts live in tests/test_variance_constancy.py's EXPECTED.)"""

import math

import numpy as np
import pytest

from dropmc.claims import Verdict
from dropmc.estimate import Estimate
from dropmc.registry import all_claims
from dropmc.runner import evaluate, power
from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th
from dropmc.theory.variance_constancy import Law

P = "variance_constancy."
CLAIMS = {c.id: c for c in all_claims("variance_constancy")}


def _claim(slug):
    return CLAIMS[P + slug]


def test_tables_transcribed():
    """Spot checks of the transcription (numbers read a second time against the text)."""
    assert th.VC_TABLE2[("ReLU", "bn", None)] == (0.0778, 0.291)
    assert th.VC_TABLE2[("ELU", "vcl", 2)] == (0.0615, 0.256)
    assert th.VC_TABLE2[("LReLU", "vcl", 9)] == (0.0660, 0.267)
    assert len(th.VC_TABLE2) == 27
    assert th.table2_error("ReLU", "vcl", "CIFAR-10") == 0.0780
    assert th.VC_TABLE4 == {"none": (9, 14, 11), "bn": (15, 16, 15), "vcl": (27, 23, 28)}
    assert sum(th.VC_TABLE5_WINS9.values()) == 53
    with pytest.raises(ValueError):
        th.table2_error("SELU", "vcl", "CIFAR-10")


def test_closed_forms():
    assert th.equispaced_kurtosis(2) == pytest.approx(1.0)
    assert th.equispaced_kurtosis(3) == pytest.approx(1.5)
    assert th.two_point_kurtosis(0.5) == pytest.approx(1.0)
    assert th.two_point_kurtosis(0.2) == pytest.approx(3.25)
    # the β-VCL gradient against the bound for β > 0, and its b⁻³ growth at β = 0
    bs = np.logspace(-9, 2, 200)
    assert np.all(np.abs(th.vcl_beta_grad_b(1.3, bs, 0.4)) <= th.vcl_beta_grad_bound(1.3, 0.4))
    assert abs(th.vcl_beta_grad_b(1.0, 1e-6, 0.0)) == pytest.approx(2e18, rel=1e-5)
    # F(β) → 4σ²/β
    assert 1000 * th.separating_force_two_point(8, 1000.0) == pytest.approx(4.0, rel=5e-3)
    assert 1000 * th.separating_force_normal(8, 1000.0) == pytest.approx(4.0, rel=5e-3)
    with pytest.raises(ValueError):
        th.separating_force_normal(8, 0.0)
    with pytest.raises(ValueError):
        th.vcl_beta_grad_bound(1.0, 0.0)


def test_moment_errors_estimator_agrees_with_eq1():
    """The relative MSE of σ_s² from estimate_moment_errors against Eq. 1/σ⁴ = L_s (a z test),
    and m̂₄'s for the two-point law at n = 2 exactly: m̂₄ = 0 or 1/16·16 = 1 (atoms ±1)."""
    for law, n in ((Law.normal(), 8), (Law.uniform(), 16)):
        r = sim.estimate_moment_errors(law, n, 60_000, rng=3)
        want = th.vcl_loss(th.kurtosis(law), n)
        assert abs(r["var"].mean - want) <= 4.5 * r["var"].se + 1e-12
    r = sim.estimate_mean_ratio_reliability(Law.two_point(), 4, 8_192, rng=1)
    assert 0.0 <= r["p_ratio_smaller"].mean <= 1.0
    with pytest.raises(ValueError):
        sim.estimate_moment_errors(Law.normal(), 1, 1000)


# power: table comparisons are exact on printed numbers (smallest relative margins: ReLU bn vs
# none on CIFAR-10 7%, 0.0780 vs 0.0778 in the correction 0.26%); closed forms at 1e-5..1e-10
POWER_BOUNDS = {"tab2.bn_helps_relu_elu": 0.07, "tab2.vcl_beats_bn_corrected": 0.01,
                "tab4.gap_order_corrected": 0.1, "eq17.beta_bounds_gradient": 1e-4,
                "sec4.multi_peak_low_kurtosis": 1e-8, "eq17.separating_force_corrected": 0.05,
                "sec2_2.higher_moments_small_batch_corrected": 0.5}


@pytest.mark.parametrize("slug", sorted(POWER_BOUNDS))
def test_power_is_measured(slug):
    pw = power(_claim(slug), seed=1, precision="quick")
    assert pw["status"] == "measured", pw
    assert pw["delta"] <= POWER_BOUNDS[slug], pw


def _scaled(f, factor):
    return lambda *a, **k: f(*a, **k) * factor


@pytest.mark.parametrize("slug, target, factor", [
    ("eq17.beta_bounds_gradient", "vcl_beta_grad_b", 1.01),
    ("sec4.multi_peak_low_kurtosis", "equispaced_kurtosis", 1.01),
    ("eq17.separating_force_corrected", "separating_force_two_point", 1.02),
])
def test_mutated_theory_is_not_confirmed(monkeypatch, slug, target, factor):
    import dropmc.papers.variance_constancy as mod

    monkeypatch.setattr(mod.th, target, _scaled(getattr(th, target), factor))
    r = evaluate(_claim(slug), seed=1, precision="quick", catch=False)
    assert r.verdict not in (Verdict.CONFIRMED, Verdict.APPROXIMATE), r.summary


def test_mutated_table2_changes_the_verdicts(monkeypatch):
    """With ReLU + bn on CIFAR-10 printed at 0.0790 (above the best ReLU + vcl 0.0780), the
    printed 'only ReLU on CIFAR-100' would hold and the correction would fail."""
    tab = dict(th.VC_TABLE2)
    tab[("ReLU", "bn", None)] = (0.0790, 0.291)
    monkeypatch.setattr(th, "VC_TABLE2", tab)
    monkeypatch.setattr(th.experiments, "VC_TABLE2", tab)   # table2_error reads it there
    r = evaluate(_claim("tab2.vcl_beats_bn_except_relu_c100"), seed=1, precision="quick",
                 catch=False)
    assert r.verdict is Verdict.CONFIRMED, r.summary
    r = evaluate(_claim("tab2.vcl_beats_bn_corrected"), seed=1, precision="quick", catch=False)
    assert r.verdict is Verdict.REFUTED, r.summary


def test_mutated_table4_changes_the_verdicts(monkeypatch):
    monkeypatch.setattr(th, "VC_TABLE4", {"none": (9, 14, 11), "bn": (15, 16, 15),
                                          "vcl": (20, 25, 28)})      # gaps 5, 9, 13
    assert evaluate(_claim("tab4.gap_order"), seed=1, precision="quick",
                    catch=False).verdict is Verdict.CONFIRMED
    assert evaluate(_claim("tab4.gap_order_corrected"), seed=1, precision="quick",
                    catch=False).verdict is Verdict.REFUTED
    monkeypatch.setattr(th, "VC_TABLE5_WINS9", {**th.VC_TABLE5_WINS9, ("ELU", "bn"): 12})
    assert evaluate(_claim("tab5.most_wins_vcl"), seed=1, precision="quick",
                    catch=False).verdict is Verdict.REFUTED


def test_higher_moments_refuted_at_n2_only():
    """Section 2.2 as printed is refuted by the batch of the paper's best VCL results, n = 2,
    for each of the four laws, and by no other batch size; the correction (n = 10, 32) holds,
    and a refuted printed claim always has its correction."""
    r = evaluate(_claim("sec2_2.higher_moments_small_batch"), seed=1, precision="quick",
                 catch=False)
    assert r.verdict is Verdict.REFUTED, r.summary
    bad = [c for c in r.cases if c.verdict is Verdict.REFUTED]
    assert sorted(c.params["kind"] for c in bad) == ["laplace", "normal", "two_point", "uniform"]
    assert all(c.params["n"] == 2 and c.detail.startswith("the opposite holds") for c in bad)
    ok = [c for c in r.cases if c.params["n"] >= 10]
    # at quick precision a case may lack the power to decide (Laplace n = 10 at seed 1: one-sided
    # z = -4.34 against 4.70), never the opposite; the correction decides n = 10 and 32
    assert len(ok) == 8 and all(c.verdict in (Verdict.CONFIRMED, Verdict.INCONCLUSIVE) for c in ok)
    assert sum(c.verdict is Verdict.CONFIRMED for c in ok) >= 7
    corr = _claim("sec2_2.higher_moments_small_batch_corrected")
    assert corr.corrects == P + "sec2_2.higher_moments_small_batch" and corr.fix == "scope"
    r = evaluate(corr, seed=1, precision="quick", catch=False)
    assert r.verdict is Verdict.CONFIRMED, r.summary
    assert sorted({c.params["n"] for c in r.cases}) == [10, 32]


def test_variance_grows_says_why_it_has_no_correction():
    c = _claim("eq17.variance_grows")
    assert c.as_printed and not any(o.corrects == c.id for o in CLAIMS.values())
    assert "no narrower form" in c.no_correction


def test_mutated_samplers_are_caught(monkeypatch):
    """Swapping the two relative errors of estimate_moment_errors refutes the corrected
    Section 2.2 claim; reporting 1 − p for the Section 2.3 probability turns its refutation
    around."""
    import dropmc.papers.variance_constancy as mod

    orig = sim.estimate_moment_errors

    def swapped(*a, **k):
        r = orig(*a, **k)
        d = r["m4_minus_var"]
        return {**r, "var": r["m4"], "m4": r["var"],
                "m4_minus_var": Estimate(-d.mean, d.se, d.n, d.method, d.seed, dof=d.dof)}

    monkeypatch.setattr(mod.sim, "estimate_moment_errors", swapped)
    r = evaluate(_claim("sec2_2.higher_moments_small_batch_corrected"), seed=1,
                 precision="quick", catch=False)
    assert r.verdict is Verdict.REFUTED, r.summary

    orig2 = sim.estimate_mean_ratio_reliability

    def flipped(*a, **k):
        r = orig2(*a, **k)
        e = r["p_ratio_smaller"]
        return {**r, "p_ratio_smaller": Estimate(1 - e.mean, e.se, e.n, e.method, e.seed,
                                                 dof=e.dof)}

    monkeypatch.setattr(mod.sim, "estimate_mean_ratio_reliability", flipped)
    r = evaluate(_claim("sec2_3.mean_ratio_near_one"), seed=1, precision="quick", catch=False)
    assert r.verdict is Verdict.CONFIRMED, r.summary


# --- issue 17 §7: the coverage rows that needed claims ---------------------------------------

# power of the new confirmed claims (exact on closed forms, enumeration or printed numbers): the
# smallest relative margins are ReLU bn vs vcl on CIFAR-10 (0.26 %) in the Section 5 correction,
# Table 3's 7 %, and the bound of Eq. 12 at n* just above h = 0.9; the others have an exact
# identity among their cases (κ = 3 at the threshold, |Z| = 1, (κ1 − κ2)/n)
POWER_BOUNDS_SEC7 = {"tab3.vcl_beats_bn": 0.1, "sec5.vcl_as_good_as_bn_corrected": 0.01,
                     "sec2_4.large_n_bound_high_corrected": 1e-3,
                     "sec2_4.small_n_favoured": 1e-8,
                     "sec2.few_modes_low_variance_corrected": 1e-8,
                     "sec2.kurtosis_tails": 1e-8}


@pytest.mark.parametrize("slug", sorted(POWER_BOUNDS_SEC7))
def test_sec7_power_is_measured(slug):
    pw = power(_claim(slug), seed=1, precision="quick")
    assert pw["status"] == "measured", pw
    assert pw["delta"] <= POWER_BOUNDS_SEC7[slug], pw


@pytest.mark.parametrize("printed, correction", [
    ("sec2.few_modes_low_variance", "sec2.few_modes_low_variance_corrected"),
    ("sec2_4.large_n_bound_high", "sec2_4.large_n_bound_high_corrected"),
    ("sec2_4.vcl_best_at_n2", "sec2_4.vcl_best_at_n2_corrected"),
    ("sec5.vcl_as_good_as_bn", "sec5.vcl_as_good_as_bn_corrected"),
])
def test_sec7_refuted_printed_claims_have_scope_corrections(printed, correction):
    c, corr = _claim(printed), _claim(correction)
    assert c.as_printed and not corr.as_printed
    assert corr.corrects == c.id and corr.fix == "scope"


@pytest.mark.parametrize("reading, printed", [
    ("sec2.kurtosis_tails_vs_normal", "sec2.kurtosis_tails"),
    ("sec2_4.vcl_best_at_n2_pooled", "sec2_4.vcl_best_at_n2"),
    ("sec5.vcl_as_good_as_bn_per_benchmark", "sec5.vcl_as_good_as_bn"),
])
def test_sec7_other_readings_name_the_printed_claim(reading, printed):
    r = _claim(reading)
    assert not r.as_printed and r.reading_of == P + printed and r.corrects is None
    assert _claim(printed).as_printed


def _refuted(slug):
    r = evaluate(_claim(slug), seed=1, precision="quick", catch=False)
    return r, [c for c in r.cases if c.verdict is Verdict.REFUTED]


def test_few_modes_low_variance_fails_exactly_below_the_threshold():
    """Two modes give a lower variance of the sample variance than a normal law of the same
    variance exactly when κ < 3: priors 0.1 and 0.05 refute the printed claim at every n, 0.5
    and 0.3 do not; the enumeration agrees with Eq. 1 at κ of the two-point law."""
    r, bad = _refuted("sec2.few_modes_low_variance")
    assert sorted({c.params["prior"] for c in bad}) == [0.05, 0.1]
    assert len(bad) == 8 and all(c.params["kappa"] > 3 for c in bad)
    for c in r.cases:
        want = th.var_sample_variance(c.params["kappa"], 1.0, c.params["n"])
        assert c.estimate.mean == pytest.approx(want, rel=1e-10)


def test_kurtosis_tails_normal_reading_refuted_by_the_four_mode_law_only():
    r, bad = _refuted("sec2.kurtosis_tails_vs_normal")
    assert {(c.params["law"], c.params["k"]) for c in bad} == {("discrete(4 atoms)", 3.0),
                                                                ("discrete(4 atoms)", 3.5)}
    assert all(c.params["kappa"] < 3 for c in r.cases)
    assert evaluate(_claim("sec2.kurtosis_tails"), seed=1, precision="quick",
                    catch=False).verdict is Verdict.CONFIRMED


def test_large_n_bound_refuted_by_laws_of_large_kurtosis():
    """The exact cases: the bound of Eq. 12 (printed and valid) below 1e-4 at κ = nε² + 1; the
    Monte Carlo cases: a mode of prior 1/n leaves |1 − σ_s²/σ²| ≤ ε with probability near
    e⁻¹ ≈ 0.37 (one draw of the rare mode), far below the normal law's."""
    r, bad = _refuted("sec2_4.large_n_bound_high")
    assert len(bad) == len(r.cases)
    exact = [c for c in bad if c.estimate.se == 0]
    assert len(exact) == 12 and all(c.estimate.mean < 1e-4 for c in exact)
    mc = [c for c in bad if c.estimate.se > 0]
    assert len(mc) == 4
    assert all(abs((1 - c.estimate.mean) - math.exp(-1)) < 0.03 for c in mc)


def test_sec5_refuted_by_relu_on_cifar_only():
    _, bad = _refuted("sec5.vcl_as_good_as_bn")
    assert {(c.params["benchmark"], c.params["activation"]) for c in bad} == {
        ("CIFAR-10", "ReLU"), ("CIFAR-100", "ReLU")}


def test_mutated_tables_turn_the_sec7_verdicts(monkeypatch):
    """Table 2 with Leaky ReLU + vcl (n = 3) on CIFAR-100 at 0.264 makes n = 2 the best
    everywhere (the printed Section 2.4 claim holds, its correction fails); Table 3 with bn at
    0.370 refutes tab3.vcl_beats_bn and both Section 5 claims that held."""
    tab = dict(th.VC_TABLE2)
    tab[("LReLU", "vcl", 3)] = (0.0657, 0.264)
    monkeypatch.setattr(th, "VC_TABLE2", tab)
    monkeypatch.setattr(th.experiments, "VC_TABLE2", tab)
    assert evaluate(_claim("sec2_4.vcl_best_at_n2"), seed=1, precision="quick",
                    catch=False).verdict is Verdict.CONFIRMED
    assert evaluate(_claim("sec2_4.vcl_best_at_n2_corrected"), seed=1, precision="quick",
                    catch=False).verdict is Verdict.REFUTED
    monkeypatch.setattr(th, "VC_TABLE3", {**th.VC_TABLE3, "bn": 0.370})
    for slug in ("tab3.vcl_beats_bn", "sec5.vcl_as_good_as_bn_corrected",
                 "sec5.vcl_as_good_as_bn_per_benchmark"):
        assert evaluate(_claim(slug), seed=1, precision="quick",
                        catch=False).verdict is Verdict.REFUTED, slug


@pytest.mark.parametrize("slug, target, factor", [
    ("sec2.few_modes_low_variance_corrected", "kurtosis", 1.01),
    ("sec2.kurtosis_tails", "kurtosis", 1.01),
    ("sec2_4.small_n_favoured", "exact_sample_variance_moments", 1.01),
    ("sec2_4.large_n_bound_high_corrected", "thm3_rhs", 0.99),
])
def test_sec7_mutated_theory_is_not_confirmed(monkeypatch, slug, target, factor):
    import dropmc.papers.variance_constancy as mod

    orig = getattr(th, target)
    if target == "exact_sample_variance_moments":
        fake = lambda *a, **k: tuple(v * factor for v in orig(*a, **k))  # noqa: E731
    else:
        fake = _scaled(orig, factor)
    monkeypatch.setattr(mod.th, target, fake)
    r = evaluate(_claim(slug), seed=1, precision="quick", catch=False)
    assert r.verdict not in (Verdict.CONFIRMED, Verdict.APPROXIMATE), r.summary
