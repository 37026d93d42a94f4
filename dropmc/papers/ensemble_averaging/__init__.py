"""Claims of Baldi & Sadowski, "The dropout learning algorithm" (paper key
``ensemble_averaging``), one module per part of the paper, in paper order:

* :mod:`.linear` — Sections 2–3: linear units, layers and deep linear networks (Eq. 1–26)
* :mod:`.logistic` — Sections 4–5: the NWGM of logistic and softmax units, deep logistic networks
* :mod:`.errors` — Section 6: ensemble errors (Eq. 55–58)
* :mod:`.transfer_class` — Section 7.1: the functional class (Eq. 59–67)
* :mod:`.relu` — Section 7.2 and Appendix A: rectified linear units
* :mod:`.means` — Section 8, properties 1–5: the inequalities between E, G and NWGM (Eq. 77–82)
* :mod:`.nwgm_approximation` — Section 8 from property 6 on: the NWGM as an approximation of E
  (Eq. 83–97), its bounds (Eq. 87), examples and extreme cases
* :mod:`.expansions` — Appendix B: the expansions of the means around E and around 0 or 1
  (Eq. 195–211)
* :mod:`.moments` — Appendices C–D: higher moments and derivatives
* :mod:`.distributions` — Appendix E: the densities of O and S
* :mod:`.probit` — Appendix F: the probit approximation
* :mod:`.induction` — Sections 9.1–9.4: the dropout induction, sampling distributions
* :mod:`.cancellation` — Section 9.5 on synthetic networks: the cancellation effects (Eq. 109–116)
* :mod:`.covariances` — Section 9.6 on synthetic networks: estimates of variances and
  covariances (Eq. 117–124)
* :mod:`.trained_network` — Sections 9.5–9.6 on a dropout-trained classifier (Figs. 9.3–9.15)
* :mod:`.spiking` — Section 10: spiking neurons and backpercolation
* :mod:`.dynamics_linear` — Sections 11.1–11.3: dropout dynamics of linear units and networks
* :mod:`.dynamics_logistic` — Section 11.4: dropout dynamics of a sigmoidal unit (Eq. 156–165)
* :mod:`.dynamics_output_layer` — Section 11.5, deep logistic networks: the backpropagation
  recursions and the weights into the output layer (Eq. 166–182)
* :mod:`.dynamics_hidden_layers` — Section 11.5, deep logistic networks: the weights into hidden
  layers (Eq. 183–188) and the conclusion that dropout keeps variances small
* :mod:`.dropout_variance` — Section 11.7 on synthetic networks: the dropout variance of a sum
  (Eq. 189)
* :mod:`.dropin` — Sections 11.6–11.7: dropin, learning phases, sparse coding
* :mod:`.probit_network` — Appendix F on the dropout-trained classifier: how large Var(S) gets

``_shared`` holds the catalog object and the helpers several sections use, ``_explore`` the
parametric families (laws of O, fixed networks) and parameter ranges several sections'
explorers vary. Importing this package registers every claim, section by section in paper
order.

Each claim pairs a closed form of :mod:`dropmc.theory.ensemble_averaging` with exact
enumeration of dropout subnetworks or Monte Carlo (:mod:`dropmc.simulations.ensemble_averaging`),
scipy quadrature/optimisation, or a hypothesis counterexample search.

Sections 9.5–9.6 are decided both on synthetic logistic networks (every dropout mask
enumerated) and on a dropout-trained logistic classifier, scikit-learn's 8×8 digits with
64-128×4-10 units (the paper's MNIST network is 784-1200×4-10), which also carries the
claims of Sections 11.6–11.7. A printed statement that fails is kept as printed and, where a
corrected statement exists, the correction is registered beside it; each claim's note says
what was found.
"""

from dropmc.papers.ensemble_averaging._shared import CATALOG
from dropmc.papers.ensemble_averaging import (  # noqa: F401 - importing registers the claims
    linear,
    logistic,
    errors,
    transfer_class,
    relu,
    means,
    nwgm_approximation,
    expansions,
    moments,
    distributions,
    probit,
    induction,
    cancellation,
    covariances,
    trained_network,
    spiking,
    dynamics_linear,
    dynamics_logistic,
    dynamics_output_layer,
    dynamics_hidden_layers,
    dropout_variance,
    dropin,
    probit_network,
)

__all__ = ["CATALOG"]
