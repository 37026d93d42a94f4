r"""Samplers, enumerations and small training loops for "Implicit Regularization of Dropout"
(Zhang, Xu), paper key ``implicit_regularization``.

One module per section of the paper, in paper order (a later section imports from an earlier
one or from :mod:`._shared`, never the reverse):

* :mod:`.eta_noise` — η noise (Section 3.3): :func:`sample_eta` (Numba) and
  :func:`estimate_eta_moments`.
* :mod:`.lemma1` — Lemma 1 (Section 4): :func:`estimate_dropout_risk` (Numba Monte Carlo of
  :math:`E_\eta R_S^{drop}`), :func:`exact_dropout_risk` (all :math:`2^{m_{L-1}}` masks,
  Gray-code walk of :mod:`dropmc.simulations.enumeration`),
  :func:`enumerate_dropout_risk_general` (dropout on any set of hidden layers: outside
  Setting 1), :func:`exact_dropout_risk_gradient`.
* :mod:`.modified_flow` — Eq. 4–5 / Appendix B.2: :func:`mean_iterate` (exact expectation of
  k steps of dropout GD over all mask sequences) and :func:`integrate_flow` (scipy
  ``solve_ivp``, DOP853) for the candidate modified losses; Hessian-vector products by the
  complex step.
* :mod:`.numerical_verification` — Section 5.1: :func:`train_two_layer` (full-batch Adam /
  GD with dropout or with the explicit R1 penalty), the initialisation of Appendix A,
  :func:`init_two_layer`, and the training loop of every trainer, ``_fit_network`` (K
  networks at once: numpy's matrix products, tanh and draws, Numba kernels for the rest,
  bit for bit the numbers of its plain numpy reference ``_train_network_numpy``).
* :mod:`.condensation` — Section 6.1: mini-batch, three-layer and stacked trainers
  (:func:`train_two_layer_stack`: one stream for the stack, or one per network with the
  numbers of each network trained alone), and the teacher–student errors of Fig. 8
  (:func:`teacher_student_errors`).
* :mod:`.flat_minima` — Section 7.1: :func:`loss_cross_section`.
* :mod:`.theorem2` — Theorem 2 (Section 7.2): :func:`hessian_trace` (exact, complex step on
  the hand-written gradient), :func:`flatness_numeric` and
  :func:`flatness_derivative_numeric` (finite differences that do not use the closed forms).
* :mod:`._shared` — the complex-step derivatives :func:`hvp` and
  :func:`complex_step_gradient`.

Kernels are private and release the GIL; :func:`sample_eta` draws from a PCG64
``Generator``, the η moments and the Lemma 1 Monte Carlo from the in-kernel xoshiro256++
stream (:mod:`dropmc.simulations._xoshiro`, one state per chunk). The public wrappers
validate, chunk (:func:`dropmc.simulations._core.run_chunks`) and return
:class:`~dropmc.estimate.Estimate` objects. Every public name is re-exported here, and so are
the private helpers the tests reach (a test that replaces one patches the module that calls
it).
"""

from __future__ import annotations

from ._shared import complex_step_gradient, hvp
from .eta_noise import _eta_moments_kernel, estimate_eta_moments, sample_eta
from .lemma1 import (_digit_split, _dropout_risk_kernel, _mask_tables, _setting1_parts,
                     _stream_words, dropout_risk_numpy, dropout_risk_numpy_digits,
                     enumerate_dropout_risk_general, estimate_dropout_risk, exact_dropout_risk,
                     exact_dropout_risk_gradient)
from .modified_flow import TinyNet, integrate_flow, mean_iterate, modified_flow_errors
from .numerical_verification import (_fit_network, _train_network_numpy, init_two_layer,
                                     train_two_layer)
from .condensation import (teacher_student_errors, train_three_layer, train_two_layer_minibatch,
                           train_two_layer_stack)
from .flat_minima import loss_cross_section
from .theorem2 import (flatness_derivative_numeric, flatness_numeric, hessian_trace,
                       output_gradient_norms, relu2_grad, relu2_loss)
