r"""Samplers and exact enumerations for Baldi & Sadowski (paper key ``ensemble_averaging``).

One module per section of the paper, in paper order (a later section imports from an earlier
one, never the reverse):

* :mod:`.linear` — Sections 2–3 (and 5): Monte Carlo of a linear unit or layer under input or
  connection dropout (Eq. 6–20); deep layered networks (Eq. 21–26 and 48–54): dropout on the
  units and/or the connections of a :class:`dropmc.theory.ensemble_averaging.LayeredNet`, with
  linear or logistic units. :func:`enumerate_network` walks every subnetwork (≤ 2^22) and
  returns exact moments; :func:`estimate_network_moments` draws subnetworks with per-chunk
  streams.
* :mod:`.logistic` — Sections 4–5: a single logistic unit with input dropout (Eq. 28–39):
  :func:`enumerate_logistic_unit` walks the 2^n subnetworks in Gray-code order (one ±w_iI_i per
  step) and returns E(S), E(O), log G, log G' and V exactly — the NWGM identities are checked
  to floating-point precision.
* :mod:`.synthetic_network` — Sections 9.5–9.6 on small layered logistic networks: every
  dropout mask materialised; Monte Carlo covariances of one logistic layer.
* :mod:`.trained_network` — Sections 9.5–9.6 on the dropout-trained digits classifier
  (Figs. 9.3–9.15): :class:`DropoutMLP`, the one trainer of the digits networks (dropout,
  dropin or no noise), the memoised classifier and the Monte Carlo kernel over its dropout
  subnetworks.
* :mod:`.spiking` — Section 10.1: a layer driven by connection dropout with rate-valued keep
  probabilities.
* :mod:`.dropin` — Sections 11.6–11.7: dropin Monte Carlo and closed forms, the digits
  networks trained with dropout, dropin and no noise, and the dropout variances of the
  dropout- and the noise-free-trained ones (Secs. 7.2, 11.5).

Kernels are private (``_…_kernel``) and take a numpy ``Generator`` or an xoshiro256++ state;
the public wrappers validate their arguments and return :class:`dropmc.estimate.Estimate`
objects or dicts of them. Every public name is re-exported here, and so are the two private
kernels the tests reach (a test that replaces a kernel patches the module that calls it).
"""

from __future__ import annotations

from .linear import (ACT_LINEAR, ACT_LOGISTIC, MAX_ENUM_GATES, _layer_kernel,
                     _sample_network_kernel, deep_linear_sums_for_masks, enumerate_network,
                     estimate_layer_moments, estimate_network_moments, sample_network_numpy)
from .logistic import enumerate_logistic_unit, enumerate_logistic_unit_numpy
from .synthetic_network import enumerate_layered_logistic, sample_first_layer_covariances
from .trained_network import (DIGITS_EPOCHS, DIGITS_HIDDEN, DIGITS_LR, DIGITS_N_INPUTS,
                              DIGITS_SNAPSHOTS, MLP_STATS, NOISE_KINDS, DropoutMLP,
                              DropoutMoments, NoiseTrainedClassifier, TrainedClassifier,
                              connected_pair_terms, digits_classifier, digits_inputs,
                              digits_study, estimate_mlp_moments, mirror_dropin,
                              mlp_moments_numpy, mlp_pairs, noise_ensemble_flat, noise_predict,
                              train_dropout_classifier, train_noise_classifier)
from .spiking import enumerate_rate_gated_network
from .dropin import (NOISE_SEEDS, digits_dropout_variances, digits_noise_classifier,
                     dropin_moments_numpy, estimate_noise_moments, noise_free_as_dropout,
                     noise_var_S_closed)
