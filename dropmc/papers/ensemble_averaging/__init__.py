"""Claims of Baldi & Sadowski, "The dropout learning algorithm" (paper key
``ensemble_averaging``), one module per part of the paper, in paper order:

* :mod:`.linear` — Sections 2–3: linear units, layers and deep linear networks (Eq. 1–26)
* :mod:`.logistic` — Sections 4–5: the NWGM of logistic and softmax units, deep logistic networks
* :mod:`.errors` — Section 6: ensemble errors (Eq. 55–58)
* :mod:`.transfer_class` — Section 7.1: the functional class (Eq. 59–67)
* :mod:`.relu` — Section 7.2 and Appendix A: rectified linear units
* :mod:`.means` — Section 8 and Appendix B: WGM, G and NWGM, their bounds and expansions
* :mod:`.moments` — Appendices C–D: higher moments and derivatives
* :mod:`.distributions` — Appendix E: the densities of O and S
* :mod:`.probit` — Appendix F: the probit approximation
* :mod:`.induction` — Sections 9.1–9.4: the dropout induction, sampling distributions
* :mod:`.synthetic_network` — Sections 9.5–9.6 on synthetic networks (exact enumeration)
* :mod:`.trained_network` — Sections 9.5–9.6 on a dropout-trained classifier (Figs. 9.3–9.15)
* :mod:`.spiking` — Section 10: spiking neurons and backpercolation
* :mod:`.dynamics_linear` — Sections 11.1–11.3: dropout dynamics of linear units and networks
* :mod:`.dynamics_logistic` — Sections 11.4–11.5: dropout dynamics of logistic units and networks
* :mod:`.dropin` — Sections 11.6–11.7: dropin, learning phases, sparse coding
* :mod:`.probit_network` — Appendix F on the dropout-trained classifier: how large Var(S) gets

``_shared`` holds the catalog object and the helpers several sections use. Importing this
package registers every claim, section by section in paper order.

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
    moments,
    distributions,
    probit,
    induction,
    synthetic_network,
    trained_network,
    spiking,
    dynamics_linear,
    dynamics_logistic,
    dropin,
    probit_network,
)

__all__ = ["CATALOG"]
