"""Sections 3–5 of Littwin & Wolf: the statements about the printed Tables 2–5, decided from the
printed numbers (with Section 2.4's empirical sentence on the sub-batch size n, which Table 2
decides, and Section 5's comparison with batchnorm), and the Section 4 remark on multi-peak
distributions."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy import stats

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.estimate import Estimate
from dropmc.papers.variance_constancy._shared import CATALOG, _printed
from dropmc.theory import variance_constancy as th
from dropmc.theory.variance_constancy import Law

# ------------------------------------------------------------------------------------------
# Section 3: statements about the printed Tables 2, 4 and 5, decided from the printed numbers
# ------------------------------------------------------------------------------------------

def _measure(params: dict, detail: str) -> CaseResult:
    return judge.holds(params, True, detail=detail, role="measurement")


_T2 = "Table 2 (test error; VCL at its best printed n)"


# Section 2.4: "VCL tends to work better as n is lower, where the best results for CNN models
# are achieved when setting n = 2", decided on Table 2

#: the sub-batch sizes of Table 2's VCL rows, largest first
T2_NS = (9, 7, 5, 3, 2)


def _vcl_errors(act: str, ds: str) -> np.ndarray:
    """Table 2's VCL errors of an (activation, dataset) experiment at n = 9, 7, 5, 3, 2."""
    j = th.VC_TABLE2_DATASETS.index(ds)
    return np.array([th.VC_TABLE2[(act, "vcl", n)][j] for n in T2_NS])


def _experiments():
    return [(a, ds) for a in th.VC_ACTIVATIONS for ds in th.VC_TABLE2_DATASETS]


def _best_at_n2_cases(ctx: Context, exceptions=()) -> Iterator[CaseResult]:
    """Per experiment (activation, dataset) of Table 2: Kendall's τ between n and VCL's error
    above 0 (the error tends to fall as n is lowered), and the error at n = 2 at most the
    lowest at any other n (ties allowed); for the experiments in ``exceptions``, the error at
    n = 2 above that lowest."""
    for act, ds in _experiments():
        e = _vcl_errors(act, ds)
        tau = float(stats.kendalltau(T2_NS, e).statistic)
        prm = {"activation": act, "dataset": ds, "errors_n9_to_n2": e.tolist()}
        yield _printed({**prm, "check": "Kendall τ(n, error) > 0"}, tau, 0.0, ">", ctx,
                       "Kendall τ between n and VCL's error")
        low, n_low = float(e[:-1].min()), T2_NS[int(np.argmin(e[:-1]))]
        if (act, ds) in exceptions:
            yield _printed({**prm, "check": "n = 2 not the best"}, float(e[-1]), low, ">", ctx,
                           f"error at n = 2 vs the lowest at another n (n = {n_low})")
        else:
            yield _printed({**prm, "check": "n = 2 the best"}, low, float(e[-1]), ">=", ctx,
                           f"lowest error at another n (n = {n_low}) vs at n = 2")


@CATALOG.claim(
    "sec2_4.vcl_best_at_n2", label="Section 2.4, Table 2", kind=Kind.INEQUALITY,
    statement="Empirically VCL tends to work better as n is lower, and the best results for "
              "CNN models are achieved with n = 2: in each experiment of Table 2 (activation "
              "and dataset) VCL's error tends to fall as n is lowered and is lowest at n = 2.",
    note="As printed. Refuted by Leaky ReLU on CIFAR-100, where n = 3 gives 0.262 and n = 2 "
         "0.263. The tendency holds in every experiment (Kendall's τ between n and the error "
         "0.11 for ReLU on CIFAR-10, 0.6–0.8 elsewhere), and n = 2 is the best (ties allowed: "
         "n = 9 for ReLU and n = 5 for ELU on CIFAR-10 equal it) in the other five. See "
         "sec2_4.vcl_best_at_n2_corrected and, pooled over the experiments, "
         "sec2_4.vcl_best_at_n2_pooled.")
def sec2_4_best_at_n2(ctx: Context) -> Iterator[CaseResult]:
    """Section 2.4: "Empirically, we notice that VCL tends to work better as n is lower, where
    the best results for CNN models are achieved when setting n = 2." Read per CNN experiment
    (activation and dataset, as Section 3 compares them): exact on Table 2's VCL rows
    (n = 9, 7, 5, 3, 2), the tendency as a positive Kendall τ between n and the error, the
    best as the error at n = 2 being at most the lowest at any other n."""
    return _best_at_n2_cases(ctx)


@CATALOG.claim(
    "sec2_4.vcl_best_at_n2_corrected", label="Section 2.4, Table 2", kind=Kind.INEQUALITY,
    as_printed=False, corrects="sec2_4.vcl_best_at_n2", fix="scope",
    statement="In each experiment of Table 2 VCL's error tends to fall as n is lowered, and it "
              "is lowest at n = 2 (ties allowed) for ReLU and ELU on both datasets and for "
              "Leaky ReLU on CIFAR-10; for Leaky ReLU on CIFAR-100 n = 3 is lower (0.262 "
              "against 0.263).")
def sec2_4_best_at_n2_corrected(ctx: Context) -> Iterator[CaseResult]:
    """The printed per-experiment cases, with Leaky ReLU on CIFAR-100 decided the other way
    (the error at n = 2 strictly above the lowest)."""
    return _best_at_n2_cases(ctx, {("LReLU", "CIFAR-100")})


@CATALOG.claim(
    "sec2_4.vcl_best_at_n2_pooled", label="Section 2.4, Table 2", kind=Kind.INEQUALITY,
    as_printed=False, reading_of="sec2_4.vcl_best_at_n2",
    statement="Pooled over the six CNN experiments of Table 2, VCL works better as n is lower "
              "and best at n = 2: n = 2 has the lowest mean rank among the five printed n, and "
              "the rank of the error within each experiment grows with n (pooled Kendall τ "
              "above 0).",
    note="Another reading of sec2_4.vcl_best_at_n2 (\"the best results for CNN models\" over "
         "the experiments together). Holds: mean ranks 4.25, 4.08, 2.33, 3.0, 1.33 for "
         "n = 9, 7, 5, 3, 2 (n = 5 ranks better than n = 3, so the order is not monotone), "
         "pooled τ = 0.60.")
def sec2_4_best_at_n2_pooled(ctx: Context) -> Iterator[CaseResult]:
    """Exact on Table 2: the rank of each n's error within each experiment (ties averaged),
    averaged over the six experiments; n = 2's mean rank below every other n's, and Kendall's
    τ between n and the within-experiment rank over the 30 (experiment, n) pairs above 0."""
    ranks = np.array([stats.rankdata(_vcl_errors(a, ds)) for a, ds in _experiments()])
    mean = ranks.mean(axis=0)
    for n, m in zip(T2_NS[:-1], mean[:-1]):
        yield _printed({"n": n, "mean_ranks_n9_to_n2": mean.tolist()}, float(mean[-1]),
                       float(m), "<", ctx, f"mean rank of n = 2 vs of n = {n}")
    tau = float(stats.kendalltau(np.tile(T2_NS, len(ranks)), ranks.ravel()).statistic)
    yield _printed({"pairs": int(ranks.size)}, tau, 0.0, ">", ctx,
                   "pooled Kendall τ between n and the rank of the error")


@CATALOG.claim(
    "tab2.bn_helps_relu_elu", label="Section 3 (CIFAR), Table 2", kind=Kind.INEQUALITY,
    statement="In Table 2 batchnorm lowers the test error of ReLU and ELU but not of Leaky "
              "ReLU, on both CIFAR-10 and CIFAR-100.")
def tab2_bn_helps(ctx: Context) -> Iterator[CaseResult]:
    """Section 3: "As can be seen, batchnorm contributes to ReLU and ELU but not to Leaky
    ReLU." Exact on the printed Table 2 (:data:`~dropmc.theory.variance_constancy.VC_TABLE2`):
    bn < none for ReLU and ELU, bn > none for LReLU, on each dataset."""
    for ds in th.VC_TABLE2_DATASETS:
        for act in th.VC_ACTIVATIONS:
            none, bn = th.table2_error(act, "none", ds), th.table2_error(act, "bn", ds)
            rel = ">" if act == "LReLU" else "<"
            yield _printed({"dataset": ds, "activation": act}, bn, none, rel, ctx,
                           "bn vs no normalisation")


@CATALOG.claim(
    "tab2.best_is_elu_vcl", label="Section 3 (CIFAR), Table 2", kind=Kind.INEQUALITY,
    statement="In Table 2 the lowest test error on CIFAR-10 and on CIFAR-100 is that of ELU "
              "with VCL.")
def tab2_best(ctx: Context) -> Iterator[CaseResult]:
    """Section 3: "The best results are obtained with a combination of ELU and our VCL method
    for both datasets." Per dataset, the best ELU + vcl entry (over n) against the best entry
    of every other (activation, normalisation) row, strictly lower."""
    for j, ds in enumerate(th.VC_TABLE2_DATASETS):
        best = th.table2_error("ELU", "vcl", ds)
        others = min(v[j] for (a, nm, _), v in th.VC_TABLE2.items() if (a, nm) != ("ELU", "vcl"))
        yield _printed({"dataset": ds}, best, others, "<", ctx,
                       "best ELU + vcl vs the best of every other combination")


def _vcl_vs_bn_cases(ctx: Context, exceptions) -> Iterator[CaseResult]:
    for ds in th.VC_TABLE2_DATASETS:
        for act in th.VC_ACTIVATIONS:
            v, b = th.table2_error(act, "vcl", ds), th.table2_error(act, "bn", ds)
            prm = {"dataset": ds, "activation": act, "vcl_best": v, "bn": b}
            if (act, ds) in exceptions:
                yield _printed({**prm, "exception": True}, v, b, ">=", ctx,
                               "VCL (best n) does not beat bn")
            else:
                yield _printed(prm, v, b, "<", ctx, "VCL (best n) beats bn")


@CATALOG.claim(
    "tab2.vcl_beats_bn_except_relu_c100", label="Section 3 (CIFAR), Table 2",
    kind=Kind.INEQUALITY,
    statement="In Table 2 the only experiment in which VCL does not contribute more than "
              "batchnorm is ReLU on CIFAR-100.",
    note="As printed. Refuted: ReLU on CIFAR-10 is a second exception (best VCL 0.0780 > bn "
         "0.0778); see tab2.vcl_beats_bn_corrected.")
def tab2_vcl_vs_bn(ctx: Context) -> Iterator[CaseResult]:
    """Section 3: "The only experiment in which VCL does not contribute more than batchnorm is
    the ReLU experiment on CIFAR-100." Read as: for every (activation, dataset) of Table 2
    except ReLU/CIFAR-100, VCL at its best printed n has a lower error than bn (the reading
    most favourable to the sentence: any n may be chosen; "contribute more" relative to the
    common no-normalisation baseline is the same comparison), and ReLU/CIFAR-100 is an
    exception. Refuted by ReLU on CIFAR-10: every ReLU + vcl entry (0.0780, 0.0810, 0.0785,
    0.0790, 0.0780) is above ReLU + bn 0.0778."""
    return _vcl_vs_bn_cases(ctx, {("ReLU", "CIFAR-100")})


@CATALOG.claim(
    "tab2.vcl_beats_bn_corrected", label="Section 3 (CIFAR), Table 2", kind=Kind.INEQUALITY,
    as_printed=False,
    corrects="variance_constancy.tab2.vcl_beats_bn_except_relu_c100", fix="rewrite",
    statement="In Table 2 VCL (at its best n) beats batchnorm for Leaky ReLU and ELU on both "
              "datasets, and does not beat it for ReLU on either CIFAR-10 or CIFAR-100.")
def tab2_vcl_vs_bn_corrected(ctx: Context) -> Iterator[CaseResult]:
    """The exceptions read off Table 2: ReLU on CIFAR-10 (best vcl 0.0780 vs bn 0.0778) and on
    CIFAR-100 (0.303 vs 0.291); VCL is lower for LReLU and ELU on both datasets (this is also
    what the Conclusions say: "in image experiments the combination [ReLU + VCL] underperforms
    when compared to ReLU with batchnorm")."""
    return _vcl_vs_bn_cases(ctx, {("ReLU", "CIFAR-10"), ("ReLU", "CIFAR-100")})


@CATALOG.claim(
    "tab2.largest_contribution_elu", label="Section 3 (CIFAR), Table 2", kind=Kind.INEQUALITY,
    statement="In Table 2 the improvement of VCL over no normalisation (none − best vcl) is "
              "largest for ELU, on CIFAR-10 and on CIFAR-100.")
def tab2_largest_contribution(ctx: Context) -> Iterator[CaseResult]:
    """Section 3: "The largest contribution of VCL is to ELU." "Contribution" is read as in the
    sentence before it ("batchnorm contributes to ReLU and ELU"): the error without
    normalisation minus the error with the method (VCL at its best n). ELU's contribution
    (0.0083 on CIFAR-10, 0.031 on CIFAR-100) exceeds ReLU's and LReLU's on each dataset;
    relative contributions rank the same way (measurement). Under the other reading
    (VCL's margin over batchnorm) LReLU's 0.0063 exceeds ELU's 0.0048 on CIFAR-10 (reported
    as a measurement, not decided: the sentence's "contribution" is to the activation)."""
    for ds in th.VC_TABLE2_DATASETS:
        contrib = {a: th.table2_error(a, "none", ds) - th.table2_error(a, "vcl", ds)
                   for a in th.VC_ACTIVATIONS}
        rel = {a: contrib[a] / th.table2_error(a, "none", ds) for a in th.VC_ACTIVATIONS}
        for a in ("ReLU", "LReLU"):
            yield _printed({"dataset": ds, "vs": a}, contrib["ELU"], contrib[a], ">", ctx,
                           f"contribution of VCL to ELU vs to {a}")
        over_bn = {a: th.table2_error(a, "bn", ds) - th.table2_error(a, "vcl", ds)
                   for a in th.VC_ACTIVATIONS}
        yield _measure({"dataset": ds},
                       "none − vcl: " + ", ".join(f"{a} {contrib[a]:.4g} ({rel[a]:.1%})"
                                                  for a in th.VC_ACTIVATIONS)
                       + "; bn − vcl: " + ", ".join(f"{a} {over_bn[a]:+.4g}"
                                                    for a in th.VC_ACTIVATIONS))


@CATALOG.claim(
    "tab3.vcl_beats_bn", label="Section 3 (Tiny ImageNet), Table 3", kind=Kind.INEQUALITY,
    statement="On Tiny ImageNet (Table 3) the deep ELU network trained with VCL has a lower "
              "validation error (0.373) than with batchnorm (0.402).",
    note="Holds on the printed numbers (by 7 % of batchnorm's error); batchnorm is also above "
         "no normalisation there (0.402 against 0.392). Table 3 labels the VCL row n = 2, while "
         "the text says the Tiny ImageNet runs use the CIFAR hyper-parameters, \"γ = 0.01, and "
         "n = 5\".")
def tab3_vcl_beats_bn(ctx: Context) -> Iterator[CaseResult]:
    """The Abstract's "improvement in accuracy over the batchnorm technique for … CNNs" on
    Table 3: exact on the printed validation errors, VCL below batchnorm; the errors without
    normalisation are reported as a measurement."""
    t3 = th.VC_TABLE3
    yield _printed({"dataset": "Tiny ImageNet", "activation": "ELU"}, t3["vcl"], t3["bn"], "<",
                   ctx, "VCL vs bn validation error")
    yield _measure({"dataset": "Tiny ImageNet"},
                   f"none {t3['none']:g}, bn {t3['bn']:g}, vcl {t3['vcl']:g}")


def _t4(norm: str, act: str) -> int:
    return th.VC_TABLE4[norm][th.VC_TABLE4_ACTIVATIONS.index(act)]


@CATALOG.claim(
    "tab4.wins_consistent", label="Section 3 (UCI), Tables 4–5", kind=Kind.INEQUALITY,
    statement="Table 4's wins per activation (none 9/14/11, batchnorm 15/16/15, VCL 27/23/28 "
              "for ReLU/ELU/SELU; a win is the minimal error of the three normalisations) are "
              "consistent with Table 5: each is at least the number of wins of the same "
              "combination among all 9 options, and each activation's wins add up to at most "
              "3 × 44 (and, with ties, to more than the 44 data sets).")
def tab4_wins_consistent(ctx: Context) -> Iterator[CaseResult]:
    """Section 3 (UCI): "A breakdown per each activation unit separately is presented in Tab. 4.
    A win is counted if the method reaches the minimal value among the three normalization
    options and if performance is not constant." The per-data-set errors of Table 5 are not
    usable as printed (from the row statlog-german-credit on, rows are shifted and merged in
    the text), so Table 4 cannot be recounted; what the printed numbers allow is decided:
    (i) a win among all 9 options (Table 5's last row) is also a win among the 3 normalisations
    of the same activation, so each Table 4 entry ≥ the Table 5 entry of the same cell (this
    assumes both counts apply the same "performance is not constant" rule: the mushroom row,
    0 for all three SeLU options, is the one readable case where it matters); (ii) a data set
    gives an activation at most 3 wins, so each column of Table 4 sums to ≤ 3 × 44. Reported
    as a measurement: the column sums 51, 53, 54 exceed 44, as ties allow (a lower bound would
    need the number of data sets of constant performance, which the garbled rows hide)."""
    for act in th.VC_TABLE4_ACTIVATIONS:
        for norm in ("none", "bn", "vcl"):
            yield _printed({"activation": act, "norm": norm, "table5_wins9":
                            th.VC_TABLE5_WINS9[(act, norm)]}, _t4(norm, act),
                           th.VC_TABLE5_WINS9[(act, norm)], ">=", ctx,
                           "Table 4 wins vs Table 5 wins among 9 options")
        tot = sum(_t4(nm, act) for nm in ("none", "bn", "vcl"))
        yield _measure({"activation": act, "column_sum": tot},
                       f"{act}: wins add up to {tot} over the {th.VC_UCI_DATASETS} data "
                       f"sets ({tot - th.VC_UCI_DATASETS:+d}: ties)")
        yield _printed({"activation": act, "column_sum": tot}, tot,
                       3 * th.VC_UCI_DATASETS, "<", ctx, "column sum vs 3 × 44")


@CATALOG.claim(
    "tab5.no_method_wins_all", label="Section 3 (UCI), Tables 4–5", kind=Kind.INEQUALITY,
    statement="No method wins across all the UCI experiments: each of the 9 combinations of "
              "activation and normalisation wins on fewer than the 44 data sets (Table 5, last "
              "row), and so does each normalisation among the three of an activation (Table "
              "4).")
def tab5_no_method_wins_all(ctx: Context) -> Iterator[CaseResult]:
    """Section 3 (UCI): "As expected, no method wins across all experiments." Exact on the
    printed counts: each entry of Table 5's "Number of wins out of 9 options" (at most 11) and
    each entry of Table 4 (wins among the three normalisations, at most 28) is below 44."""
    for key, w in th.VC_TABLE5_WINS9.items():
        yield _printed({"combination": "+".join(key), "table": 5}, w, th.VC_UCI_DATASETS, "<",
                       ctx, "wins among the 9 options vs the data sets")
    for act in th.VC_TABLE4_ACTIVATIONS:
        for norm in ("none", "bn", "vcl"):
            yield _printed({"activation": act, "norm": norm, "table": 4}, _t4(norm, act),
                           th.VC_UCI_DATASETS, "<", ctx,
                           "wins among the three normalisations vs the data sets")


@CATALOG.claim(
    "tab5.most_wins_vcl", label="Section 3 (UCI), Table 5", kind=Kind.INEQUALITY,
    statement="Among the 9 combinations of activation and normalisation, the most wins "
              "(Table 5, last row) go to SeLU + VCL or ELU + VCL.")
def tab5_most_wins(ctx: Context) -> Iterator[CaseResult]:
    """Section 3 (UCI): "the results show that the method that wins the most (out of the 9
    options) is either the combination of SeLU and VCL or that of ELU and VCL." Decided on
    Table 5's printed last row ("Number of wins out of 9 options": 3 3 3 5 8 11 2 7 11): the
    larger of the SeLU + vcl and ELU + vcl counts (11 and 11, a tie, which the "either … or"
    allows) is at least every other count and strictly above every count outside those two."""
    top = max(th.VC_TABLE5_WINS9[("SELU", "vcl")], th.VC_TABLE5_WINS9[("ELU", "vcl")])
    for key, w in th.VC_TABLE5_WINS9.items():
        if key in (("SELU", "vcl"), ("ELU", "vcl")):
            continue
        yield _printed({"combination": "+".join(key), "wins9": w}, top, w, ">", ctx,
                       "max(SeLU+vcl, ELU+vcl) wins vs")


@CATALOG.claim(
    "tab4.vcl_gt_bn_gt_none", label="Section 3 (UCI), Table 4", kind=Kind.INEQUALITY,
    statement="For each of ReLU, ELU and SELU, Table 4 gives VCL more wins than batchnorm and "
              "batchnorm more wins than no normalisation.")
def tab4_order(ctx: Context) -> Iterator[CaseResult]:
    """Section 3 (UCI): "For all three activation functions, VCL provides more wins than
    batchnorm, and batchnorm outperforms the no normalization option." Exact on Table 4."""
    for act in th.VC_TABLE4_ACTIVATIONS:
        yield _printed({"activation": act}, _t4("vcl", act), _t4("bn", act), ">", ctx,
                       "VCL wins vs bn wins")
        yield _printed({"activation": act}, _t4("bn", act), _t4("none", act), ">", ctx,
                       "bn wins vs no-normalisation wins")


def _gap_cases(ctx: Context, largest: str, lowest: str) -> Iterator[CaseResult]:
    gap = {a: _t4("vcl", a) - _t4("bn", a) for a in th.VC_TABLE4_ACTIVATIONS}
    for a in th.VC_TABLE4_ACTIVATIONS:
        if a != largest:
            yield _printed({"activation": a, "gaps": gap}, gap[largest], gap[a], ">", ctx,
                           f"VCL − bn wins of {largest} vs of {a}")
        if a != lowest:
            yield _printed({"activation": a, "gaps": gap}, gap[lowest], gap[a], "<", ctx,
                           f"VCL − bn wins of {lowest} vs of {a}")
    ratio = {a: _t4("vcl", a) / _t4("bn", a) for a in th.VC_TABLE4_ACTIVATIONS}
    yield _measure({"gaps": gap}, "VCL/bn win ratios: " + ", ".join(
        f"{a} {r:.3g}" for a, r in ratio.items()) + " (the ratio ranks the gaps the same way)")


@CATALOG.claim(
    "tab4.gap_order", label="Section 3 (UCI), Table 4", kind=Kind.INEQUALITY,
    statement="In Table 4 the gap between the wins of VCL and of batchnorm is largest for SELU "
              "and lowest for ReLU.",
    note="As printed. Refuted: the gaps are 12 (ReLU), 7 (ELU), 13 (SELU); the lowest is ELU's. "
         "See tab4.gap_order_corrected.")
def tab4_gap_order(ctx: Context) -> Iterator[CaseResult]:
    """Section 3 (UCI): "The gap between VCL and batchnorm is larger for SELU and the lowest for
    ReLU, which is also consistent with the results in Tab. 2." The gaps VCL − bn of Table 4
    are 27 − 15 = 12 (ReLU), 23 − 16 = 7 (ELU), 28 − 15 = 13 (SELU): SELU's is the largest,
    but ELU's, not ReLU's, is the lowest (also for the ratios 1.80, 1.44, 1.87). Table 2 has
    no SELU; its ReLU is the one activation where VCL does not beat bn, which would fit a
    lowest ReLU gap, but Table 4 does not show it."""
    return _gap_cases(ctx, "SELU", "ReLU")


@CATALOG.claim(
    "tab4.gap_order_corrected", label="Section 3 (UCI), Table 4", kind=Kind.INEQUALITY,
    as_printed=False, corrects="variance_constancy.tab4.gap_order", fix="misprint",
    statement="In Table 4 the gap between the wins of VCL and of batchnorm is largest for SELU "
              "(13) and lowest for ELU (7); ReLU's (12) is in between.")
def tab4_gap_order_corrected(ctx: Context) -> Iterator[CaseResult]:
    """The order of the gaps read off Table 4: SELU 13 > ReLU 12 > ELU 7."""
    return _gap_cases(ctx, "SELU", "ELU")


# ------------------------------------------------------------------------------------------
# Section 4: prose statements
# ------------------------------------------------------------------------------------------

@CATALOG.claim(
    "sec4.multi_peak_low_kurtosis", label="Section 4", kind=Kind.INEQUALITY,
    statement="Multi-peak distributions with more than 2 peaks also have low kurtosis: the "
              "uniform law on k ≥ 3 equally spaced points has κ = 3(3k² − 7)/(5(k² − 1)) ≤ 1.8, "
              "below the Gaussian's 3 and below two-point laws with unbalanced priors, so the "
              "loss does not enforce the number of modes.")
def sec4_multi_peak(ctx: Context) -> Iterator[CaseResult]:
    """Section 4: "… the multi-modal structure is soft, and the number of modes is not enforced
    (Thm. 2, and the fact that multi-peak distributions with more than 2 peaks also have low
    Kurtosis)." By Theorem 1 no law with three or more atoms reaches κ = 1 (the bimodal
    optimum), so "low" cannot mean "as low as the optimum"; it is read as: below the Gaussian
    (κ = 3) and below some two-mode laws, so that the VCL (which ranks laws by κ, Eq. 4)
    prefers such a k-mode law to a two-mode one. Evidence, exact: (i) the closed form of
    :func:`~dropmc.theory.variance_constancy.equispaced_kurtosis` against the kurtosis computed
    from the atoms (:func:`~dropmc.theory.variance_constancy.kurtosis` of a discrete law) for
    k = 3…12; (ii) each κ_k ≤ 1.8 < 3 (ctx.le); (iii) κ_3 = 1.5 < κ of the two-point law with
    priors (0.2, 0.8) (3.25) and (0.1, 0.9) (8.11), so the loss of Eq. 4 is lower for the
    three-mode law at every n (compared through :func:`~dropmc.theory.variance_constancy
    .vcl_loss`); (iv) a three-mode Gaussian mixture (modes −1, 0, 1, weights 1/3, sd 0.1) has
    κ below 3 by its central moments."""
    for k in range(3, 13):
        atoms = np.arange(k, dtype=float)
        law = Law.discrete(atoms, np.full(k, 1.0 / k))
        kap = th.kurtosis(law)
        yield judge.exact({"k": k, "check": "closed form vs moments of the atoms"},
                          th.equispaced_kurtosis(k), kap)
        yield judge.holds({"k": k, "check": "κ_k ≤ 1.8 < 3"},
                          lambda kap=kap: ctx.le(kap, 1.8, tol=1e-12) and ctx.le(kap, 3.0),
                          theory=1.8,
                          estimate=Estimate.exact(kap, "closed_form"), detail=f"κ = {kap:.6g}",
                          one_sided=True)
    k3 = th.kurtosis(Law.discrete(np.array([-1.0, 0.0, 1.0]), np.full(3, 1 / 3)))
    for q in (0.2, 0.1):
        k2 = th.two_point_kurtosis(q)
        k2m = th.kurtosis(Law.two_point(0.0, 1.0, q))
        yield judge.exact({"q": q, "check": "two-point κ closed form vs moments"}, k2, k2m)
        for n in (2, 10, 100):
            yield _printed({"q": q, "n": n, "check": "VCL loss (Eq. 4): 3 modes vs 2"},
                           th.vcl_loss(k3, n), th.vcl_loss(k2, n), "<", ctx,
                           f"L_s(3 equal modes) vs L_s(two-point, q = {q})")
    gm = Law.discrete(np.array([-1.0, 0.0, 1.0]), np.full(3, 1 / 3))
    mu, s2, m4 = th.central_moments(gm)
    s2g, m4g = s2 + 0.01, m4 + 6 * 0.01 * s2 + 3 * 0.01 ** 2   # + N(0, 0.1²) noise
    kg = m4g / s2g ** 2
    yield judge.holds({"law": "1/3 N(-1, 0.1²) + 1/3 N(0, 0.1²) + 1/3 N(1, 0.1²)"},
                      lambda: ctx.le(kg, 3.0), theory=3.0,
                      estimate=Estimate.exact(kg, "closed_form"),
                      detail=f"κ = {kg:.6g} < 3", one_sided=True)


# ------------------------------------------------------------------------------------------
# Section 5: VCL against batchnorm on the benchmarks
# ------------------------------------------------------------------------------------------

def _vcl_vs_bn_everywhere(ctx: Context, exceptions=()) -> Iterator[CaseResult]:
    """VCL as good as or better than batchnorm, per activation, on every benchmark: Table 2
    (VCL at its best printed n; error at most bn's), Table 3 (ELU) and Table 4 (UCI; at least
    as many wins); the (activation, dataset) pairs of Table 2 in ``exceptions`` decided the
    other way (bn's error strictly lower)."""
    for ds in th.VC_TABLE2_DATASETS:
        for act in th.VC_ACTIVATIONS:
            v, b = th.table2_error(act, "vcl", ds), th.table2_error(act, "bn", ds)
            prm = {"benchmark": ds, "activation": act, "vcl_best": v, "bn": b}
            if (act, ds) in exceptions:
                yield _printed({**prm, "exception": True}, v, b, ">", ctx,
                               "VCL (best n) error vs bn error")
            else:
                yield _printed(prm, b, v, ">=", ctx, "bn error vs VCL (best n) error")
    t3 = th.VC_TABLE3
    yield _printed({"benchmark": "Tiny ImageNet", "activation": "ELU", "vcl": t3["vcl"],
                    "bn": t3["bn"]}, t3["bn"], t3["vcl"], ">=", ctx, "bn error vs VCL error")
    for act in th.VC_TABLE4_ACTIVATIONS:
        yield _printed({"benchmark": "UCI", "activation": act}, _t4("vcl", act), _t4("bn", act),
                       ">=", ctx, "VCL wins vs bn wins")


@CATALOG.claim(
    "sec5.vcl_as_good_as_bn", label="Section 5; Tables 2–4", kind=Kind.INEQUALITY,
    statement="VCL performs as well as or better than batchnorm on the standard benchmarks "
              "tested: for each activation, its error (at its best n) is at most batchnorm's on "
              "CIFAR-10 and CIFAR-100 (Table 2) and Tiny ImageNet (Table 3), and it wins at "
              "least as often as batchnorm on the UCI data sets (Table 4).",
    note="As printed. Refuted by ReLU on CIFAR-100 (best VCL 0.303 against batchnorm 0.291) "
         "and on CIFAR-10 (0.0780 against 0.0778), the limitation the next paragraph of the "
         "Conclusions states itself; see sec5.vcl_as_good_as_bn_corrected. Compared network "
         "against network per benchmark, the sentence holds: "
         "sec5.vcl_as_good_as_bn_per_benchmark.")
def sec5_vcl_as_good_as_bn(ctx: Context) -> Iterator[CaseResult]:
    """Section 5: "VCL employs small subsets of the mini-batch and seems to perform as well or
    better than batchnorm on the standard benchmarks tested." Read per activation, as the
    paper's own comparisons are (Section 3: "The only experiment in which VCL does not
    contribute more than batchnorm …"): exact on Tables 2–4."""
    return _vcl_vs_bn_everywhere(ctx)


@CATALOG.claim(
    "sec5.vcl_as_good_as_bn_corrected", label="Section 5; Tables 2–4", kind=Kind.INEQUALITY,
    as_printed=False, corrects="sec5.vcl_as_good_as_bn", fix="scope",
    statement="VCL performs as well as or better than batchnorm on every benchmark tested "
              "except with ReLU on CIFAR: for Leaky ReLU and ELU on CIFAR-10 and CIFAR-100, ELU "
              "on Tiny ImageNet and every activation on UCI; with ReLU on CIFAR-10 and "
              "CIFAR-100 batchnorm's error is lower.")
def sec5_vcl_as_good_as_bn_corrected(ctx: Context) -> Iterator[CaseResult]:
    """The printed cases, with ReLU on CIFAR-10 and CIFAR-100 decided the other way (VCL's
    best error strictly above batchnorm's), as the Conclusions' limitation says: "in image
    experiments the combination of the two [ReLU and VCL] underperforms when compared to ReLU
    with batchnorm"."""
    return _vcl_vs_bn_everywhere(ctx, {("ReLU", "CIFAR-10"), ("ReLU", "CIFAR-100")})


@CATALOG.claim(
    "sec5.vcl_as_good_as_bn_per_benchmark", label="Section 5; Tables 2, 3, 5",
    kind=Kind.INEQUALITY, as_printed=False, reading_of="sec5.vcl_as_good_as_bn",
    statement="On each benchmark tested the best VCL network is as good as or better than the "
              "best batchnorm network: the lowest VCL error over the activations is at most the "
              "lowest batchnorm error on CIFAR-10, CIFAR-100 (Table 2) and Tiny ImageNet "
              "(Table 3), and on UCI the most winning VCL combination wins at least as often as "
              "the most winning batchnorm one (Table 5, wins among the 9 options).",
    note="Another reading of sec5.vcl_as_good_as_bn (benchmark by benchmark, the best network "
         "of each method). Holds: 0.0615 against 0.0663 on CIFAR-10, 0.256 against 0.267 on "
         "CIFAR-100 (ELU both), 0.373 against 0.402 on Tiny ImageNet, 11 against 8 wins on UCI.")
def sec5_vcl_as_good_as_bn_per_benchmark(ctx: Context) -> Iterator[CaseResult]:
    """Exact on the printed tables: per benchmark, the minimum over the activations of VCL's
    error (at its best n) against that of batchnorm's, and on UCI the largest VCL count of
    Table 5's last row against the largest batchnorm count."""
    for ds in th.VC_TABLE2_DATASETS:
        v = min(th.table2_error(a, "vcl", ds) for a in th.VC_ACTIVATIONS)
        b = min(th.table2_error(a, "bn", ds) for a in th.VC_ACTIVATIONS)
        yield _printed({"benchmark": ds, "vcl_best": v, "bn_best": b}, b, v, ">=", ctx,
                       "best bn error vs best VCL error")
    t3 = th.VC_TABLE3
    yield _printed({"benchmark": "Tiny ImageNet"}, t3["bn"], t3["vcl"], ">=", ctx,
                   "bn error vs VCL error")
    wins = th.VC_TABLE5_WINS9
    v = max(w for (_, nm), w in wins.items() if nm == "vcl")
    b = max(w for (_, nm), w in wins.items() if nm == "bn")
    yield _printed({"benchmark": "UCI", "vcl_most_wins": v, "bn_most_wins": b}, v, b, ">=", ctx,
                   "most VCL wins vs most bn wins")


# -- explorers: none (statements about the printed tables) --------------------------------

for _slug in ("sec2_4.vcl_best_at_n2", "sec2_4.vcl_best_at_n2_corrected",
              "sec2_4.vcl_best_at_n2_pooled", "tab2.bn_helps_relu_elu", "tab2.best_is_elu_vcl",
              "tab2.vcl_beats_bn_except_relu_c100", "tab2.vcl_beats_bn_corrected",
              "tab2.largest_contribution_elu", "tab3.vcl_beats_bn", "tab4.wins_consistent",
              "tab5.no_method_wins_all", "tab5.most_wins_vcl", "tab4.vcl_gt_bn_gt_none",
              "tab4.gap_order", "tab4.gap_order_corrected", "sec5.vcl_as_good_as_bn",
              "sec5.vcl_as_good_as_bn_corrected", "sec5.vcl_as_good_as_bn_per_benchmark"):
    CATALOG.no_explorer(_slug, "a statement about the printed results of Tables 2–5: fixed "
                               "numbers, no closed form in a parameter")
del _slug
CATALOG.no_explorer("sec4.multi_peak_low_kurtosis",
                    "discrete structure only: the kurtosis of k equally spaced modes, k = 3, "
                    "4, …")
