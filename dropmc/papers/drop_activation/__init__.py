"""Claims of Drop-Activation (Liang, Khoo, Yang), paper key ``drop_activation``.

Sections 1.1 and 3 (Eq. 3–6, the deterministic test-time network), 5.1 (Property 5.1,
Eq. 7–11), 5.2 (Property 5.2, Eq. 13–15, and dropout in the same box for the "unlike dropout"
comparison) and the appendix (Eq. 16–21, Section 7.1). Each claim pairs a closed form of
:mod:`dropmc.theory.drop_activation` with exact enumeration (:mod:`dropmc.simulations
.enumeration`), a Monte Carlo estimator of :mod:`dropmc.simulations.drop_activation`, scipy
quadrature or optimisation. The statements of Section 4.3 about the printed Tables 1–6 are
decided exactly on the printed numbers; those of Section 5.1 about Figure 3 on seeded paired
trials of small regression networks trained with and without Drop-Activation.

One module per section, in paper order (the order the claims are registered in):
:mod:`.ensemble_average` (Section 1.1: the deterministic network as the ensemble average,
Figure 1), :mod:`.method` (Section 3: Eq. 3–6), :mod:`.experiments` (Section 4.3: Tables 1–6),
:mod:`.regularizer` (Section 5.1: Property 5.1, Eq. 9–11, its proof in the appendix, Eq. 16–21,
and Figure 3), :mod:`.batch_norm` (Section 5.2: Property 5.2, Eq. 13–15, Section 7.1, and
dropout in the box of Figure 5) and :mod:`.extensions` (claims the paper does not print);
helpers several sections use are in :mod:`._shared`.
"""

from __future__ import annotations

from dropmc.papers.drop_activation._shared import ACTS, CATALOG

# the section modules, in paper order: importing them registers their claims
from dropmc.papers.drop_activation.ensemble_average import (
    sec1_1_ensemble_average, sec1_1_ensemble_average_one_layer)
from dropmc.papers.drop_activation.method import (
    eq4_relu_piecewise, eq5_expected_map, eq5_leaky_relu, eq6_rrelu_mean)
from dropmc.papers.drop_activation.experiments import (
    tables_sec4_3_1, tables_sec4_3_1_corrected, DETERIORATIONS, tables_sec4_3_2_rows,
    tables_sec4_3_2_rows_corrected, RELATIVE_ROWS, tables_sec4_3_2_relative, tables_sec4_3_3)
from dropmc.papers.drop_activation.regularizer import (
    prop5_1_eq10, prop5_1_eq10_corrected, appendix_eq16, appendix_eq17_eq19, appendix_eq18,
    appendix_eq20, appendix_eq21, appendix_frobenius_step, appendix_frobenius_step_corrected,
    appendix_rewrite_step, FIG3_CLAIM_WIDTHS, FIG3_CLAIM_STEPS, fig3a_fit_vs_prediction,
    fig3b_smooth_and_noise, fig3b_smooth_and_noise_corrected)
from dropmc.papers.drop_activation.batch_norm import (
    sec7_1_moments, prop5_2_means, prop5_2_variances, prop5_2_second_moments, prop5_2_eq15,
    prop5_2_range, prop5_2_value, DROPOUT_PS, DROPOUT_GRID, sec5_2_dropout_shift_ratio,
    sec5_2_unlike_dropout, sec5_2_unlike_dropout_zero_mean)
from dropmc.papers.drop_activation.extensions import ext_shift_ratio_activation, shift_ratio_claim
# the theory and simulation modules the claims call, as ``th`` and ``sim`` (tests patch functions
# on them; every section module calls them through the module object)
from dropmc.simulations import drop_activation as sim
from dropmc.theory import drop_activation as th

__all__ = [
    "CATALOG", "ACTS", "sim", "th", "sec1_1_ensemble_average",
    "sec1_1_ensemble_average_one_layer", "eq4_relu_piecewise", "eq5_expected_map",
    "eq5_leaky_relu", "eq6_rrelu_mean", "tables_sec4_3_1", "tables_sec4_3_1_corrected",
    "DETERIORATIONS", "tables_sec4_3_2_rows", "tables_sec4_3_2_rows_corrected", "RELATIVE_ROWS",
    "tables_sec4_3_2_relative", "tables_sec4_3_3", "prop5_1_eq10", "prop5_1_eq10_corrected",
    "appendix_eq16", "appendix_eq17_eq19", "appendix_eq18", "appendix_eq20", "appendix_eq21",
    "appendix_frobenius_step", "appendix_frobenius_step_corrected", "appendix_rewrite_step",
    "FIG3_CLAIM_WIDTHS", "FIG3_CLAIM_STEPS", "fig3a_fit_vs_prediction", "fig3b_smooth_and_noise",
    "fig3b_smooth_and_noise_corrected", "sec7_1_moments", "prop5_2_means", "prop5_2_variances",
    "prop5_2_second_moments", "prop5_2_eq15", "prop5_2_range", "prop5_2_value", "DROPOUT_PS",
    "DROPOUT_GRID", "sec5_2_dropout_shift_ratio", "sec5_2_unlike_dropout",
    "sec5_2_unlike_dropout_zero_mean", "ext_shift_ratio_activation", "shift_ratio_claim"]
