"""Claims of "Implicit Regularization of Dropout" (Zhang, Xu), paper key
``implicit_regularization``.

Section 3.3 (the η noise), Lemma 1 (Eq. 3), Eq. 4–5 with Appendix B.2 (the modified gradient
flow, and SGD's vanishing implicit term it is contrasted with), the experiments of Sections 5.1
and 6.1, Section 6.2 with Theorem 1 (Appendix B.3), Section 7.1 (Table 1, the flatter minimum
of Fig. 1(b)) and Section 7.2 with Theorem 2 (Appendix B.4). Each claim pairs a closed form of
:mod:`dropmc.theory.implicit_regularization` with exact enumeration, a Numba Monte Carlo
estimator, complex-step derivatives or scipy's ``solve_ivp`` from
:mod:`dropmc.simulations.implicit_regularization`; the experiments train small networks
(laptop-scale versions of the paper's) and decide stated criteria. A refuted printed statement
has its correction registered beside it (``corrects=``); what was found is in each claim's
note.

Evidence discipline (issue 8): every approximation claim has a criterion that can fail (an
order in ε by :func:`judge.order` on an ε grid set from each network's curvature, or stated
sizes); comparisons pass through the perturbation hooks so each decided claim has a measured
power; Monte Carlo SEs of the η moments are the known ones of the two-point law.

The catalog is a package whose modules follow the paper in order (the order of registration):
:mod:`.eta_noise` (Section 3.3), :mod:`.lemma1` (Section 4, Lemma 1, Appendix B.1),
:mod:`.modified_flow` (Sections 2 and 4, Eq. 4–5, Appendix B.2), :mod:`.numerical_verification`
(Section 5.1), :mod:`.condensation` (Section 6.1), :mod:`.theorem1` (Section 6.2, Theorem 1,
Appendix B.3), :mod:`.theorem2` (Section 7: 7.1, 7.2, Theorem 2, Appendix B.4) and
:mod:`.user_networks` (an extension: Lemma 1 for a user's network); :mod:`._shared` holds the
catalog object and the helpers several sections use.
"""

from __future__ import annotations

from ._shared import CATALOG
from .eta_noise import ETA_MAX_VECTORS, ETA_RARE_COUNT, eta_is_dropout, eta_moments
from .lemma1 import HIDDEN_ACTS, lemma1_exact, lemma1_gradient, lemma1_mc, lemma1_outside
from .modified_flow import (EPS_MAX, EPS_POINTS, EPS_SCALE, FLOWS, eq5_first_order,
                            eq5_r2_corrected, eq5_r2_printed, sec4_sgd)
from .numerical_verification import (S51_EPS0, S51_MAX_R1_REL, S51_MAX_RATIO, S51_MIN_SLOPE,
                                     S51_TIME, sec5_1_training)
from .condensation import (B2_LRS, B2_STEPS, COND_FRACTION, COND_LR, COND_MODES, COND_P,
                           COND_SAMPLES, COND_STEPS, COND_WIDTH, GEN_BAD, GEN_LR, GEN_NS, GEN_PS,
                           GEN_RATIO, GEN_STEPS, GEN_TRIALS, GEN_WIDTH, RESTART_MODES,
                           RESTART_STEPS, sec6_1_3_generalization, sec6_1_batch2,
                           sec6_1_batch2_amplitude, sec6_1_restart, sec6_condensation,
                           sec6_condensation_amplitude, sec6_condensed_is_narrower,
                           sec6_condensed_is_narrower_relu)
from .theorem1 import (SINGLE_NETS, SINGLE_PLAIN, SINGLE_SAMPLES, T1_CASES, sec6_2_single_point,
                       sec6_2_single_point_input_weights, sec6_2_toy, thm1_closed_interval,
                       thm1_closed_interval_corrected, thm1_perturbations,
                       thm1_statement_last_interval)
from .theorem2 import (FLAT_ALPHAS, FLAT_DIRECTIONS, FLAT_LR, FLAT_P, FLAT_WIDTH, TABLE1,
                       sec7_1_flatter, sec7_1_table1, sec7_2_r2_flatness, sec7_2_trace,
                       thm2_flatness_decreases, thm2_flatness_formula, thm2_proof_flow,
                       thm2_proof_flow_corrected)
from .user_networks import ext_lemma1_structured, lemma1_claim

__all__ = [
    "CATALOG", "ETA_MAX_VECTORS", "ETA_RARE_COUNT", "eta_is_dropout", "eta_moments",
    "HIDDEN_ACTS", "lemma1_exact", "lemma1_gradient", "lemma1_mc", "lemma1_outside", "EPS_MAX",
    "EPS_POINTS", "EPS_SCALE", "FLOWS", "eq5_first_order", "eq5_r2_corrected",
    "eq5_r2_printed", "sec4_sgd", "S51_EPS0", "S51_MAX_R1_REL", "S51_MAX_RATIO", "S51_MIN_SLOPE",
    "S51_TIME", "sec5_1_training", "B2_LRS", "B2_STEPS", "COND_FRACTION", "COND_LR",
    "COND_MODES", "COND_P", "COND_SAMPLES", "COND_STEPS", "COND_WIDTH", "GEN_BAD", "GEN_LR",
    "GEN_NS", "GEN_PS", "GEN_RATIO", "GEN_STEPS", "GEN_TRIALS", "GEN_WIDTH", "RESTART_MODES",
    "RESTART_STEPS", "sec6_1_3_generalization", "sec6_1_batch2", "sec6_1_batch2_amplitude",
    "sec6_1_restart", "sec6_condensation", "sec6_condensation_amplitude",
    "sec6_condensed_is_narrower", "sec6_condensed_is_narrower_relu", "SINGLE_NETS",
    "SINGLE_PLAIN", "SINGLE_SAMPLES", "T1_CASES", "sec6_2_single_point",
    "sec6_2_single_point_input_weights", "sec6_2_toy", "thm1_closed_interval",
    "thm1_closed_interval_corrected", "thm1_perturbations", "thm1_statement_last_interval",
    "FLAT_ALPHAS", "FLAT_DIRECTIONS", "FLAT_LR", "FLAT_P", "FLAT_WIDTH", "TABLE1",
    "sec7_1_flatter", "sec7_1_table1", "sec7_2_r2_flatness", "sec7_2_trace", "thm2_flatness_decreases", "thm2_flatness_formula", "thm2_proof_flow",
    "thm2_proof_flow_corrected", "ext_lemma1_structured", "lemma1_claim"]
