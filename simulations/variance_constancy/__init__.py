r"""Monte Carlo samplers for the Variance Constancy Loss (Littwin & Wolf), paper key
``variance_constancy``.

One module per section of the paper, in paper order (the sections of the claim catalog
:mod:`dropmc.papers.variance_constancy`; a section imports from earlier ones, never later ones):

* :mod:`.sample_variance` — Section 2: :func:`sample_variances`, unbiased sample variances σ_s²
  of i.i.d. samples of size n from a :class:`~dropmc.theory.variance_constancy.Law`, in fixed
  chunks (a Numba sampler for the built-in family; ``scipy.stats`` laws are drawn by scipy and
  reduced by a Numba kernel); :func:`estimate_var_sample_variance` (Eq. 1),
  :func:`estimate_vcl_loss` (Eq. 4/6), :func:`estimate_mean_sample_variance` (unbiasedness);
* :mod:`.two_components` — Section 2.1: :func:`estimate_projected_kurtosis`, κ(θᵀx) for x from a
  two-Gaussian mixture in d dimensions (Theorem 2), by the delta method over chunk moments;
  :func:`train_vcl_unit`, Figure 2: a single linear unit trained by SGD on the VCL loss alone;
  :func:`direction_losses`, the expected β-VCL loss of such a unit for given directions and β
  (common random numbers);
* :mod:`.two_batch_bound` — Section 2.2: :func:`estimate_ratio_events`, the empirical
  probabilities of the events of Eq. 12–16 and Eq. 20 for two independent sub-batches, with
  binomial standard errors;
* :mod:`.beta_vcl` — Section 2.2: :func:`estimate_vcl_beta`, E of the β-VCL loss of Eq. 17 at a
  scale c of the activations; :func:`estimate_moment_errors`, the relative errors of the sample
  moments of small batches;
* :mod:`.batch_norm` — Section 2.3 (Eq. 18–19): :func:`estimate_bn_error_parts` and
  :func:`estimate_mean_ratio_reliability`, what makes the batch-norm output random;
* :mod:`.extensions` — Eq. 1 for any scipy law (issue 11);
* :mod:`._shared` — the law samplers several sections use: :func:`law_code`, one draw
  (``_draw_r``) and the Numba kernels that call it (a cached kernel stays in one module with the
  functions it calls), :func:`sample_matrix` and the chunked reductions.

Kernels are private and release the GIL. The one-dimensional laws draw from the in-kernel
xoshiro256++ stream (:mod:`dropmc.simulations._xoshiro`, a uint64[4] state per chunk); scipy
laws draw from a PCG64 ``Generator`` per chunk, and the d-dimensional mixture of Section 2.1
from the same PCG64 stream drawn inside its kernels (:mod:`dropmc.simulations._pcg64`).
The wrappers validate, chunk with :func:`dropmc.simulations._core.run_chunks` and return
:class:`~dropmc.estimate.Estimate` objects. Every public name is re-exported here, and so are
the private kernels and helpers the tests and benchmarks reach (a test that replaces one
patches the module that calls it).
"""

from __future__ import annotations

from dropmc.simulations.variance_constancy._shared import (
    LAW_CODES, CHUNK, MIN_BATCHES, law_code, sample_matrix, _rows_var_kernel,
    _sample_var_kernel, _sample_matrix_kernel, _bn_error_kernel)
from dropmc.simulations.variance_constancy.sample_variance import (
    sample_variances, estimate_var_sample_variance, estimate_vcl_loss,
    estimate_mean_sample_variance)
from dropmc.simulations.variance_constancy.two_components import (
    _gmm_check, _projected_moments_kernel, estimate_projected_kurtosis, sample_gmm, _train_kernel,
    train_vcl_unit, _pair_cov_kernel, _direction_losses, direction_losses)
from dropmc.simulations.variance_constancy.two_batch_bound import (
    EVENTS, _events_kernel, estimate_ratio_events)
from dropmc.simulations.variance_constancy.beta_vcl import estimate_vcl_beta, estimate_moment_errors
from dropmc.simulations.variance_constancy.batch_norm import (
    estimate_bn_error_parts, estimate_mean_ratio_reliability)
from dropmc.simulations.variance_constancy.extensions import estimate_var_sample_variance_scipy
