"""Claims of Littwin & Wolf, *Regularizing by the Variance of the Activations'
Sample-Variances* (the Variance Constancy Loss), paper key ``variance_constancy``.

Section 2 (Eq. 1–6, Theorem 1), Section 2.1 (Theorem 2, Eq. 7–10, Figure 2), Section 2.2
(Theorem 3, Eq. 11–17) and Section 2.3 (Eq. 18–20). Each claim pairs a closed form of
:mod:`dropmc.theory.variance_constancy` with the Numba samplers of
:mod:`dropmc.simulations.variance_constancy`, exact enumeration over multisets of draws from
finite laws, scipy quadrature, or an independent optimisation over θ.

One module per section, in paper order (the order the claims are registered in):
:mod:`.sample_variance` (Section 2: Eq. 1–5, Theorem 1), :mod:`.two_components` (Section 2.1:
Theorem 2, Eq. 6–10, Figure 2), :mod:`.two_batch_bound` (Section 2.2: Theorem 3, Eq. 12–16),
:mod:`.beta_vcl` (Section 2.2: Eq. 11, Eq. 17 and the prose after it), :mod:`.batch_norm`
(Section 2.3: Eq. 18–20), :mod:`.experiments` (Sections 3–4: Tables 2, 4, 5) and
:mod:`.extensions` (claims the paper does not print); helpers several sections use are in
:mod:`._shared`.

Findings (each printed claim kept as printed, with the correction beside it):

* Eq. 12/16 (Theorem 3) put the loss in a band [4ε²/(1+ε)², 4ε²/(1−ε)²]; the lower end does
  not follow from Eq. 15 (1 − R may be near 0), and the event is in fact rare exactly when the
  right-hand side is near 1. Eq. 14–16 square a Chebyshev bound that may be negative, so the
  right-hand side exceeds the true probability when x = var/(ε²σ⁴) ∈ (1, 3) and is not a
  probability (> 1) when x > 2. Corrected: Pr((1 − R)² ≤ 4ε²/(1−ε)²) ≥ max(0, 1 − x)².
* "The RHS of Eq. 12 is maximised when κ is minimised" fails when x > 1.
* Section 2 counts n patterns of n draws from two modes (it lists n + 1 for n = 3) and
  C(n+k−1, k) for k modes; the count is C(n+k−1, k−1).
* Section 2.2: β does not make a larger activation variance always preferable: E L^β(cρ) has
  a minimum at a finite scale c for normal and two-point activations.
* Section 2.3: "most of the randomness [of batch norm] is caused by the variance of the sample
  variance" holds only for heavy-tailed activations (share → (κ−1)/(κ+3) for large n).
* Theorem 2 needs a shared covariance (as its proof assumes); with Σ1 ≠ Σ2 Eq. 9 and the regime
  rule both fail.
* Figure 2 (no training procedure printed) is decided on the expected loss itself: the
  direction Theorem 2 predicts has the lower E L^β (minimised over scale and β) at n = 32 and
  at n = 2. SGD with the per-step clipping of Section 2.4 (norm 1) stalls in the merging
  direction at n = 2, p = 1/2; unclipped SGD reaches the LDA direction. At n = 32, p = 0.25
  the loss is flat within 0.5% over the separating directions (its minimiser is not exactly
  the LDA direction), which is why individual SGD runs end anywhere in that plateau.
* Section 2.2: "as β grows, there is a stronger driving force separating the two modes" fails:
  the exact force on the mode distance peaks near β ≈ 2σ² and then decays like 4σ²/β (two-point
  law, n = 10: 0.485 at β = 1, 0.300 at β = 10).
* Section 2.3: (ρ(x) − μ_s)/(ρ(x) − μ) is not closer to 1 than σ/σ_s (probability 0.14–0.43
  over the laws tested), so "μ_s more reliable than σ_s" does not make that ratio ≈ 1.
* Section 3, read off the printed tables: VCL does not beat batchnorm for ReLU on CIFAR-10
  either (best VCL 0.0780 vs 0.0778), not only on CIFAR-100; Table 4's VCL − batchnorm win gaps
  are 12 (ReLU), 7 (ELU), 13 (SELU), so the gap is lowest for ELU, not ReLU.
"""

from __future__ import annotations

from dropmc.papers.variance_constancy._shared import CATALOG, STUDENT_T_MIN_NU

# the section modules, in paper order: importing them registers their claims
from dropmc.papers.variance_constancy.sample_variance import (
    FAMILY, eq1_var_sample_variance, eq4_vcl_loss, sec2_mode_patterns,
    sec2_mode_patterns_corrected, thm1_kurtosis_ge_1, thm1_minimiser_two_point)
from dropmc.papers.variance_constancy.two_components import (
    eq8_gaussian_moments, eq9_projected_kurtosis, thm2_regimes, thm2_threshold_value,
    eq9_unequal_covariance, eq9_unequal_covariance_corrected, thm2_unequal_covariance, FIG2_MU1,
    FIG2_MU2, FIG2_SIGMA, fig2_directions, fig2_vcl_training, fig2_vcl_training_small_n)
from dropmc.papers.variance_constancy.two_batch_bound import (
    thm3_eq13, thm3_eq14, thm3_eq15, thm3_eq12, thm3_eq12_corrected, thm3_eq14_corrected,
    thm3_eq15_corrected, thm3_rhs_max_at_min_kappa, thm3_rhs_max_at_min_kappa_corrected)
from dropmc.papers.variance_constancy.beta_vcl import (
    eq17_expectation, eq11_two_batch_proxy, eq17_beta_vanishes, eq17_variance_grows,
    eq17_beta_bounds_gradient, eq17_separating_force, eq17_separating_force_corrected,
    sec2_2_higher_moments)
from dropmc.papers.variance_constancy.batch_norm import (
    eq18_identity, eq20_chebyshev, sec2_3_variance_dominates, sec2_3_mean_ratio)
from dropmc.papers.variance_constancy.experiments import (
    tab2_bn_helps, tab2_best, tab2_vcl_vs_bn, tab2_vcl_vs_bn_corrected, tab2_largest_contribution,
    tab4_wins_consistent, tab5_most_wins, tab4_order, tab4_gap_order, tab4_gap_order_corrected,
    sec4_multi_peak)
from dropmc.papers.variance_constancy.extensions import ext_eq1_scipy_law, eq1_claim
# the theory and simulation modules the claims call, as ``th`` and ``sim`` (tests patch functions
# on them; every section module calls them through the module object)
from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th

__all__ = [
    "CATALOG", "STUDENT_T_MIN_NU", "sim", "th", "FAMILY", "eq1_var_sample_variance",
    "eq4_vcl_loss", "sec2_mode_patterns", "sec2_mode_patterns_corrected", "thm1_kurtosis_ge_1",
    "thm1_minimiser_two_point", "eq8_gaussian_moments", "eq9_projected_kurtosis", "thm2_regimes",
    "thm2_threshold_value", "eq9_unequal_covariance", "eq9_unequal_covariance_corrected",
    "thm2_unequal_covariance", "FIG2_MU1", "FIG2_MU2", "FIG2_SIGMA", "fig2_directions",
    "fig2_vcl_training", "fig2_vcl_training_small_n", "thm3_eq13", "thm3_eq14", "thm3_eq15",
    "thm3_eq12", "thm3_eq12_corrected", "thm3_eq14_corrected", "thm3_eq15_corrected",
    "thm3_rhs_max_at_min_kappa", "thm3_rhs_max_at_min_kappa_corrected", "eq17_expectation",
    "eq11_two_batch_proxy", "eq17_beta_vanishes", "eq17_variance_grows",
    "eq17_beta_bounds_gradient", "eq17_separating_force", "eq17_separating_force_corrected",
    "sec2_2_higher_moments", "eq18_identity", "eq20_chebyshev", "sec2_3_variance_dominates",
    "sec2_3_mean_ratio", "tab2_bn_helps", "tab2_best", "tab2_vcl_vs_bn",
    "tab2_vcl_vs_bn_corrected", "tab2_largest_contribution", "tab4_wins_consistent",
    "tab5_most_wins", "tab4_order", "tab4_gap_order", "tab4_gap_order_corrected",
    "sec4_multi_peak", "ext_eq1_scipy_law", "eq1_claim"]
