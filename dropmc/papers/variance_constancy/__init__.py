"""Claims of Littwin & Wolf, *Regularizing by the Variance of the Activations'
Sample-Variances* (the Variance Constancy Loss), paper key ``variance_constancy``.

Section 2 (Eq. 1–6, Theorem 1), Section 2.1 (Theorem 2, Eq. 7–10, Figure 2), Section 2.2
(Theorem 3, Eq. 11–17) and Section 2.3 (Eq. 18–20). Each claim pairs a closed form of
:mod:`dropmc.theory.variance_constancy` with the Numba samplers of
:mod:`dropmc.simulations.variance_constancy`, exact enumeration over multisets of draws from
finite laws, scipy quadrature, or an independent optimisation over θ. The statements of
Sections 3–5 about the printed Tables 2–5 are decided exactly on the printed numbers.

One module per section, in paper order (the order the claims are registered in):
:mod:`.sample_variance` (Section 2: Eq. 1–5, Theorem 1), :mod:`.two_components` (Section 2.1:
Theorem 2, Eq. 6–10, Figure 2), :mod:`.two_batch_bound` (Section 2.2: Theorem 3, Eq. 12–16),
:mod:`.beta_vcl` (Section 2.2: Eq. 11, Eq. 17 and the prose after it), :mod:`.batch_norm`
(Section 2.3: Eq. 18–20, the Section 1 sentence it makes precise, and Section 2.4's
statements about n and κ), :mod:`.experiments` (Sections 3–5: Tables 2–5, Section 2.4's
choice of n on Table 2, the Conclusions' comparison with batchnorm) and
:mod:`.extensions` (claims the paper does not print); helpers several sections use are in
:mod:`._shared`.
"""

from __future__ import annotations

from dropmc.papers.variance_constancy._shared import CATALOG, STUDENT_T_MIN_NU

# the section modules, in paper order: importing them registers their claims
from dropmc.papers.variance_constancy.sample_variance import (
    FAMILY, eq1_var_sample_variance, eq4_vcl_loss, sec2_mode_patterns,
    sec2_mode_patterns_corrected, thm1_kurtosis_ge_1, thm1_minimiser_two_point,
    sec2_few_modes_low_variance, sec2_few_modes_low_variance_corrected, sec2_kurtosis_tails,
    sec2_kurtosis_tails_vs_normal)
from dropmc.papers.variance_constancy.two_components import (
    eq8_gaussian_moments, eq9_projected_kurtosis, thm2_regimes, thm2_threshold_value,
    eq10_second_case, eq10_second_case_corrected, eq9_unequal_covariance, eq9_unequal_covariance_corrected, thm2_unequal_covariance, FIG2_MU1,
    FIG2_MU2, FIG2_SIGMA, fig2_directions, fig2_vcl_training, fig2_vcl_training_plain_sgd,
    fig2_vcl_loss_prefers_predicted, fig2_vcl_training_small_n)
from dropmc.papers.variance_constancy.two_batch_bound import (
    thm3_eq13, thm3_eq14, thm3_eq15, thm3_eq12, thm3_eq12_corrected, thm3_eq14_corrected,
    thm3_eq15_corrected, thm3_rhs_max_at_min_kappa, thm3_rhs_max_at_min_kappa_corrected)
from dropmc.papers.variance_constancy.beta_vcl import (
    eq17_expectation, eq11_two_batch_proxy, eq17_beta_vanishes, eq17_variance_grows,
    eq17_beta_bounds_gradient, eq17_separating_force, eq17_separating_force_corrected,
    sec2_2_higher_moments, sec2_2_higher_moments_corrected)
from dropmc.papers.variance_constancy.batch_norm import (
    eq18_identity, eq20_chebyshev, sec2_3_variance_dominates, sec2_3_mean_ratio,
    sec1_few_modes, sec1_few_modes_corrected, sec2_4_large_n_bound_high,
    sec2_4_large_n_bound_high_corrected, sec2_4_small_n_favoured)
from dropmc.papers.variance_constancy.experiments import (
    tab2_bn_helps, tab2_best, tab2_vcl_vs_bn, tab2_vcl_vs_bn_corrected, tab2_largest_contribution,
    tab4_wins_consistent, tab5_most_wins, tab4_order, tab4_gap_order, tab4_gap_order_corrected,
    sec4_multi_peak, sec2_4_best_at_n2, sec2_4_best_at_n2_corrected, sec2_4_best_at_n2_pooled,
    tab3_vcl_beats_bn, tab5_no_method_wins_all, sec5_vcl_as_good_as_bn,
    sec5_vcl_as_good_as_bn_corrected, sec5_vcl_as_good_as_bn_per_benchmark)
from dropmc.papers.variance_constancy.extensions import ext_eq1_scipy_law, eq1_claim
# the theory and simulation modules the claims call, as ``th`` and ``sim`` (tests patch functions
# on them; every section module calls them through the module object)
from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th

__all__ = [
    "CATALOG", "STUDENT_T_MIN_NU", "sim", "th", "FAMILY", "eq1_var_sample_variance",
    "eq4_vcl_loss", "sec2_mode_patterns", "sec2_mode_patterns_corrected", "thm1_kurtosis_ge_1",
    "thm1_minimiser_two_point", "eq8_gaussian_moments", "eq9_projected_kurtosis", "thm2_regimes",
    "thm2_threshold_value", "eq10_second_case", "eq10_second_case_corrected",
    "eq9_unequal_covariance", "eq9_unequal_covariance_corrected",
    "thm2_unequal_covariance", "FIG2_MU1", "FIG2_MU2", "FIG2_SIGMA", "fig2_directions",
    "fig2_vcl_training", "fig2_vcl_training_plain_sgd", "fig2_vcl_loss_prefers_predicted",
    "fig2_vcl_training_small_n", "thm3_eq13", "thm3_eq14", "thm3_eq15",
    "thm3_eq12", "thm3_eq12_corrected", "thm3_eq14_corrected", "thm3_eq15_corrected",
    "thm3_rhs_max_at_min_kappa", "thm3_rhs_max_at_min_kappa_corrected", "eq17_expectation",
    "eq11_two_batch_proxy", "eq17_beta_vanishes", "eq17_variance_grows",
    "eq17_beta_bounds_gradient", "eq17_separating_force", "eq17_separating_force_corrected",
    "sec2_2_higher_moments", "eq18_identity", "eq20_chebyshev", "sec2_3_variance_dominates",
    "sec2_3_mean_ratio", "sec1_few_modes", "sec1_few_modes_corrected", "tab2_bn_helps", "tab2_best", "tab2_vcl_vs_bn",
    "tab2_vcl_vs_bn_corrected", "tab2_largest_contribution", "tab4_wins_consistent",
    "tab5_most_wins", "tab4_order", "tab4_gap_order", "tab4_gap_order_corrected",
    "sec4_multi_peak", "ext_eq1_scipy_law", "eq1_claim", "sec2_few_modes_low_variance",
    "sec2_few_modes_low_variance_corrected", "sec2_kurtosis_tails", "sec2_kurtosis_tails_vs_normal",
    "sec2_2_higher_moments_corrected", "sec2_4_large_n_bound_high",
    "sec2_4_large_n_bound_high_corrected", "sec2_4_small_n_favoured", "sec2_4_best_at_n2",
    "sec2_4_best_at_n2_corrected", "sec2_4_best_at_n2_pooled", "tab3_vcl_beats_bn",
    "tab5_no_method_wins_all", "sec5_vcl_as_good_as_bn", "sec5_vcl_as_good_as_bn_corrected",
    "sec5_vcl_as_good_as_bn_per_benchmark"]
