r"""Monte Carlo samplers for Drop-Activation (Liang, Khoo, Yang), paper key ``drop_activation``.

One module per section of the paper, in paper order (a later section imports from an earlier
one, never the reverse):

* :mod:`.expected_map` — Section 3: :func:`estimate_expected_map`, E_P of the training map
  (I − P + Pf)(x) of Eq. 3 per coordinate, for ReLU, sigmoid or tanh
  (:func:`expected_map_by_enumeration` sums over all masks); Section 1.1:
  :func:`network_average_by_enumeration`, E_P of the output of a network of several
  Drop-Activation layers; :func:`estimate_rrelu_mean`, RReLU (Eq. 6) for comparison.
* :mod:`.regularizer` — Section 5.1, Property 5.1: :func:`estimate_dropact_loss`,
  E_P Σ_i ‖W₂(I − P + Pr)W₁x_i − y_i‖², the objective (9), by Monte Carlo
  (:func:`exact_dropact_loss` enumerates all 2^d masks).
* :mod:`.fig3` — Section 5.1, Figure 3: regression networks trained with and without
  Drop-Activation (:func:`train_regression`, :func:`fig3_trials`) and the measured quantities
  of the figure's statements (:func:`fig3_metrics`).
* :mod:`.shift_ratio` — Section 5.2, Property 5.2: :func:`estimate_x_moments`, X_train and
  X_test of Eq. 13–14 with x ~ N(0, I) and P_i ~ B(p) drawn jointly: their means, variances
  and the shift ratio (Eq. 15); :func:`estimate_shift_ratio_activation` for any activation;
  :func:`estimate_shift_ratios_vs_dropout`, Drop-Activation's and dropout's ratios in the
  box of Figure 5 on the same x (the "unlike dropout" comparison).

Kernels are private, take a per-chunk xoshiro256++ state (the inlined generator of
:mod:`dropmc.simulations._xoshiro`, about 3x faster than numba's calls into numpy's PCG64)
and release the GIL; wrappers
validate, chunk (:func:`dropmc.simulations._core.run_chunks`) and return
:class:`~dropmc.estimate.Estimate` objects with batch-means standard errors. Every public name
is re-exported here, and so are the private kernels the tests reach.
"""

from __future__ import annotations

from .expected_map import (ACTIVATION_CODES, _training_map_kernel, estimate_expected_map,
                           estimate_rrelu_mean, expected_map_by_enumeration,
                           network_average_by_enumeration, rrelu_same_stream,
                           training_map_counts_same_stream)
from .regularizer import (_dropact_loss_kernel, dropact_loss_numpy, dropact_loss_same_stream,
                          estimate_dropact_loss, exact_dropact_loss)
from .fig3 import (FIG3_EDGE, FIG3_GRID, FIG3_LR, FIG3_METRICS, FIG3_N, FIG3_P, FIG3_TARGETS,
                   fig3_data, fig3_metrics, fig3_trials, init_net, init_net_batch,
                   predict_regression, steps_target, train_regression, train_regression_batch,
                   xsinx)
from .shift_ratio import (_x_moments_kernel, estimate_shift_ratio_activation,
                          estimate_shift_ratios_vs_dropout, estimate_x_moments, x_moments_loop,
                          x_moments_numpy, x_moments_same_stream)
