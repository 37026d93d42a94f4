r"""Closed forms of Baldi & Sadowski, "The dropout learning algorithm" (paper key
``ensemble_averaging``), one module per part of the paper (the parts of the claim catalog
:mod:`dropmc.papers.ensemble_averaging`, in its order):

- ``linear``: Sections 2–3, linear units, layers and deep linear networks (Eq. 1–26);
- ``logistic``: Sections 4–5, the NWGM of logistic and normalized exponential units (Eq. 27–54);
- ``errors``: Section 6, ensemble errors (Eq. 55–58);
- ``transfer_class``: Section 7.1, the functional class of transfer functions (Eq. 59–67);
- ``relu``: Section 7.2 and Appendix A, rectified linear units (Eq. 68–76, 190–194);
- ``means``: Section 8 and Appendix B, bounds and expansions of E, G, G' and NWGM
  (Eq. 77–97, 195–211);
- ``moments``: Appendices C–D, higher moments and derivatives of the logistic (Eq. 212–223);
- ``distributions``: Appendix E, the distributions of O = σ(S) and of S (Eq. 224–234);
- ``probit``: Appendix F, the probit approximation (Eq. 235–242);
- ``induction``: Sections 9.1–9.4, the ensemble network and sampling distributions (Eq. 98–108);
- ``synthetic_network``: Sections 9.5–9.6, induction across layers, variances and covariances
  (Eq. 98 with biases, 109–124);
- ``spiking``: Section 10, spiking neurons and backpercolation (Eq. 125–138);
- ``dynamics_linear``: Sections 11.1–11.3, dropout dynamics of linear units (Eq. 139–155);
- ``dynamics_logistic``: Sections 11.4–11.5, dropout dynamics of logistic units (Eq. 156–189);
- ``_shared``: validation, the logistic function of Eq. 27 and other pieces several sections use.

Every public name is re-exported here (``from dropmc.theory import ensemble_averaging as th;
th.eq144(...)``). Equation numbers are the paper's. Notation: ``p`` is the probability of
*keeping* a unit or a connection (``P(δ = 1) = p``, ``q = 1 − p``); the logistic unit is
:math:`\sigma(S) = 1/(1 + c e^{-\lambda S})` (Eq. 27) with ``c ≥ 0``; ``O`` are outputs with
probabilities ``P`` summing to one; ``E``, ``G``, ``G'``, ``NWGM`` and ``V`` are the weighted
arithmetic mean, the weighted geometric means of ``O`` and ``1 − O``, ``G/(G + G')`` and the
variance (Section 8). Geometric means are computed in the log domain.
"""

from .linear import (halved_weights_output, term_count, linear_unit_mean, linear_unit_var,
                     layer_unit_dropout_moments, layer_connection_dropout_moments, parity_eps_max,
                     pairwise_independent_law, LayeredNet, random_layered_net,
                     deep_linear_mean_units, deep_linear_mean_connections,
                     deep_linear_second_moments_eq25, deep_linear_second_moments_units,
                     deep_linear_second_moments_connections, ancestors, induced_subnet,
                     shortest_path_layers, covariance_from_moments)
from .logistic import (weighted_means, nwgm_logistic, eq33_middle_as_printed, softmax,
                       nwgm_softmax_enumerated, variance_bound)
from .errors import (squared_error, relative_entropy, ERRORS, squared_error_nwgm_convex_range)
from .transfer_class import (tanh_unit, arctan_unit, algebraic_unit, eq60_sides, eq61, eq63_c,
                             eq64_lambda, eq66_rhs, eq67, eq60_left_direct, class_member,
                             logistic_derivatives)
from .relu import (relu, relu_of_mean, relu_gaussian_mean, relu_gaussian_mean_quad,
                   relu_gap_at_zero_mean, relu_gaussian_gap, mills_tail, softplus_integral,
                   relu_uniform_gap, uniform_sd_as_printed, uniform_sd, piecewise_linear,
                   kink_gap_gaussian, curvature_gap_bound, relu_discrete_gap, relu_gap_mad_bound)
from .means import (cartwright_field, eq79_as_printed, eq79_lower_corrected, eq80, extreme_means,
                    second_order_nwgm, second_order_gap, eq97_gap_as_printed, eq97_gap_corrected,
                    eq87_chain, fig81_curve, fig82_curve, fig81_argmax_printed,
                    fig82_argmax_printed, argmax_on_half, EQ88_PRINTED, eq202_nwgm, eq204_G, eq205_Gp,
                    eq206_sum, eq207_nwgm, eq208_gap, eq211_nwgm_as_printed, f_app_b)
from .moments import (eq213_nwgm_power, eq214_middle_as_printed, eq214_right, eq216_as_printed,
                      logistic_inverse, eq217_series, dsigma, d2sigma_as_printed, d2sigma,
                      eq221_ratio, eq222_series, eq223, eq223_corrected)
from .distributions import (density_O_gaussian_S, cdf_O_gaussian_S, eq225_as_printed, eq227,
                            sum_moments, density_S_beta_O, eq234, logit_normal_modes,
                            unimodal_spread_threshold, nearest_beta, nearest_gaussian_eq233)
from .probit import (ALPHAS, probit_max_error, probit_minimax_alpha, eq241_corrected,
                     logistic_gaussian_mean_quad, eq237_probit_integral, eq237_quad,
                     eq240_as_printed, eq241, eq242, non_gaussian_example)
from .induction import (eq98_ensemble_network, sample_e_nwgm, eq105_as_printed, eq105_corrected,
                        eq106_integrand, eq107_integrand, nwgm_taylor_half, logit_law_moments)
from .synthetic_network import (ensemble_network, eq121_removed, eq122_removed_taylor, eq117_var, eq119_pair, eq124_pair, eq220_dsigma, eq109_rhs,
                                eq112_beta_first_order, eq114_var_beta, variance_bound_mean,
                                eq120_taylor, eq121_removed_from_row, eq122, eq123)
from .spiking import (eq135_136_spike_moments, eq137_138_dropout_moments, eq133_ensemble_forward,
                      backprop_input_gradient, node_derivatives, reverse_linear_dropout)
from .dynamics_linear import (complex_step_grad, relative_entropy_c, relative_entropy_of_S,
                              two_layer_forward, two_layer_backprop, eq140_gradient, e_tens,
                              eq141_factorised, linear_ensemble_error, linear_dropout_error, eq144,
                              eq145_forms, eq146_forms, eq146_middle_corrected, eq147, eq148_error,
                              deep_linear_forward, deep_linear_alpha_beta, eq150_printed,
                              eq150_corrected, eq153, eq154, eq155)
from .dynamics_logistic import (eq157_dE_dO, eq158, eq159_forms, eq160_forms, eq161, eq162_forms,
                                sigma_prime_printed, eq163, eq164_regulariser, eq165_regulariser,
                                sigmoid_ensemble_error, eq176_forms, eq177, eq178, eq179, eq181,
                                eq182, eq183_forms, eq185, eq186_w_terms, eq187_w_term)

# last: importing the section module ``logistic`` above binds the package attribute
# ``logistic`` to that module; the function of Eq. 27 must be bound after it.
from ._shared import (SQRT_2PI, check_weights, check_logistic, logistic, log_logistic, _sigma_c)
