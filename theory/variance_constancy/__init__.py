r"""Closed forms of Littwin & Wolf, *Regularizing by the Variance of the Activations'
Sample-Variances* (the Variance Constancy Loss, VCL), paper key ``variance_constancy``.

Everything here is numpy/scipy only and knows nothing of claims or simulations. One module per
section of the paper, in paper order (the sections of the claim catalog
:mod:`dropmc.papers.variance_constancy`; a section imports from earlier ones, never later ones):

* :mod:`.sample_variance` — Section 2: :class:`Law`, the family of activation laws the paper's
  statements are checked on (normal, uniform, exponential, Laplace, two-point, two-Gaussian
  mixture, Student-t with ν > 4, Beta, a finite discrete law, or any frozen ``scipy.stats``
  continuous law with a finite fourth moment), and :func:`central_moments` (mean, σ², m4) from
  scipy or exact sums; Eq. 1, Eq. 4/6 (:func:`var_sample_variance`, :func:`vcl_loss`),
  Theorem 1's minimum (:func:`minimal_vcl_loss`), the exact enumeration of Eq. 1 for finite
  discrete laws (:func:`exact_sample_variance_moments`) and the count of mode patterns;
* :mod:`.two_components` — Section 2.1, Theorem 2 (Eq. 7–10): Gaussian moments (Eq. 8), the
  projected-mixture kurtosis (Eq. 9), the general (unequal covariance) projected-mixture
  moments, the regime thresholds;
* :mod:`.two_batch_bound` — Section 2.2, Theorem 3 (Eq. 12–16): the right-hand sides and the
  events;
* :mod:`.beta_vcl` — Section 2.2, Eq. 17: the β-VCL loss and its expectation for normal
  activations (quadrature, closed form at β = 0) and for two-point activations (exact binomial
  sums), its gradients and the separating force;
* :mod:`.batch_norm` — Section 2.3: the right-hand side of Eq. 20;
* :mod:`.experiments` — Sections 3–4: the printed Tables 2, 3, 4 and the last row of Table 5
  (transcribed) and the kurtosis of multi-peak laws;
* :mod:`.extensions` — Eq. 1 for any law given as a scipy distribution (issue 11);
* :mod:`._shared` — the helpers several sections use.

Every public name is re-exported here (``from dropmc.theory import variance_constancy as th;
th.vcl_loss(...)``).
"""

from __future__ import annotations

from dropmc.theory.variance_constancy.sample_variance import (
    LAW_KINDS, Law, central_moments, m4_by_quadrature, kurtosis, var_sample_variance, vcl_loss,
    minimal_vcl_loss, exact_sample_variance_moments, mode_patterns, printed_mode_patterns)
from dropmc.theory.variance_constancy.two_components import (
    P_LOW, P_HIGH, gaussian_raw_moments, kurtosis_eq9, kurtosis_eq9_first_line, kurtosis_general,
    projected_gmm_moments, projected_gmm_kurtosis, projected_gmm_kurtosis_many,
    projected_gmm_kurtosis_quad, scatter_matrices, regime, lda_direction, between_within_ratio,
    max_between_within_ratio)
from dropmc.theory.variance_constancy.two_batch_bound import (
    chebyshev_term, thm3_rhs, thm3_rhs_corrected, eq12_band, eq15_band)
from dropmc.theory.variance_constancy.beta_vcl import (
    vcl_beta, expected_vcl_normal_beta0, expected_vcl_normal, expected_vcl_two_point,
    vcl_beta_grad_b, vcl_beta_grad_bound, vcl_beta_grad_activations, separating_force_two_point,
    separating_force_normal)
from dropmc.theory.variance_constancy.batch_norm import eq20_rhs
from dropmc.theory.variance_constancy.experiments import (
    VC_TABLE2, VC_TABLE2_DATASETS, VC_ACTIVATIONS, table2_error, VC_TABLE3, VC_TABLE4,
    VC_TABLE4_ACTIVATIONS, VC_UCI_DATASETS, VC_TABLE5_WINS9, equispaced_kurtosis,
    two_point_kurtosis)
from dropmc.theory.variance_constancy.extensions import scipy_law_moments, var_sample_variance_scipy

__all__ = [
    "LAW_KINDS", "Law", "central_moments", "m4_by_quadrature", "kurtosis", "var_sample_variance",
    "vcl_loss", "minimal_vcl_loss", "exact_sample_variance_moments", "mode_patterns",
    "printed_mode_patterns", "P_LOW", "P_HIGH", "gaussian_raw_moments", "kurtosis_eq9",
    "kurtosis_eq9_first_line", "kurtosis_general", "projected_gmm_moments",
    "projected_gmm_kurtosis", "projected_gmm_kurtosis_many", "projected_gmm_kurtosis_quad",
    "scatter_matrices", "regime", "lda_direction", "between_within_ratio",
    "max_between_within_ratio", "chebyshev_term", "thm3_rhs", "thm3_rhs_corrected", "eq12_band",
    "eq15_band", "vcl_beta", "expected_vcl_normal_beta0", "expected_vcl_normal",
    "expected_vcl_two_point", "vcl_beta_grad_b", "vcl_beta_grad_bound",
    "vcl_beta_grad_activations", "separating_force_two_point", "separating_force_normal",
    "eq20_rhs", "VC_TABLE2", "VC_TABLE2_DATASETS", "VC_ACTIVATIONS", "table2_error", "VC_TABLE3",
    "VC_TABLE4", "VC_TABLE4_ACTIVATIONS", "VC_UCI_DATASETS", "VC_TABLE5_WINS9",
    "equispaced_kurtosis", "two_point_kurtosis", "scipy_law_moments", "var_sample_variance_scipy"]
