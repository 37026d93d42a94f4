"""Sections 3–4 of Littwin & Wolf: the statements about the printed Tables 2, 4 and 5, decided
from the printed numbers, and the Section 4 remark on multi-peak distributions."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

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
        ok = ctx.le(kap, 1.8, tol=1e-12) and ctx.le(kap, 3.0)
        yield judge.holds({"k": k, "check": "κ_k ≤ 1.8 < 3"}, ok, theory=1.8,
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
                      ctx.le(kg, 3.0), theory=3.0, estimate=Estimate.exact(kg, "closed_form"),
                      detail=f"κ = {kg:.6g} < 3", one_sided=True)
