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

``_shared`` holds the catalog object and the helpers several sections use. Importing this
package registers every claim, section by section in paper order.

Each claim pairs a closed form of :mod:`dropmc.theory.ensemble_averaging` with exact
enumeration of dropout subnetworks or Monte Carlo (:mod:`dropmc.simulations.ensemble_averaging`),
scipy quadrature/optimisation, or a hypothesis counterexample search.

Findings (each printed claim is kept as printed; where a corrected statement exists it is
registered beside it as a correction):

* Eq. 25 (second moments of deep linear networks) assumes δ_jδ_j' independent of S_jS_j';
  this fails whenever one of j, j' is an ancestor of the other (pairs in different layers, or
  skip connections), so the recursion is wrong there; an exact recursion is registered.
* Eq. 57 and 58 (error of the WGM / NWGM ≤ expected error) fail for the squared error: the
  proof's "f convex, g increasing ⇒ f∘g convex" is false. They hold for the relative entropy.
* Section 8's second-order approximations E − G ≈ V and E − NWGM ≈ V(1 − 2E)/(1 − 2V) only
  hold near 0.5; for tight clusters around E₀ ≠ 0.5 the leading terms are V/(2E) and
  V(1 − 2E)/(2E(1 − E)) (the paper's own Appendix B). Eq. 97 has a sign error.
* Section 8's conclusion "to second order the NWGM is closer to E than the WGM, in all cases"
  (after Eq. 86) fails for E > 2/3: for tight clusters |E − NWGM|/(E − G) → |1 − 2E|/(1 − E),
  above 1 there (Eq. 88's example, E = 0.677, is such a second-order case). Eq. 86's algebra
  itself is right.
* The curves of Fig. 8.1/8.2 (and Eq. 209–210's 1/6), printed with '≲', hold as approximate
  bounds (the exceedance is o(V) as the spread shrinks) but not as strict bounds on the exact
  |E − NWGM|: about 16–19 % of random spread-out samples lie above the curves.
* Section 7.2: the ReLU ensemble error of a Gaussian population is not "around 0": RL is
  convex, so E(RL(S)) − RL(E(S)) = λσ[φ(r) − |r|Φ(−|r|)] ≥ 0 always.
* Appendix B.2: the expansion "around one" of G' (Eq. 205–208) and "around zero" (Eq. 211) are
  wrong: G' is a geometric mean of small numbers, and E − NWGM is of first order there.
* Appendix D, Eq. 223 is derived for c = λ = 1 but printed with λ: for λ ≠ 1 it lacks a factor
  λ (E σ'(S) ≈ λ/(4 + λ²E(S²))). Appendix F, Eq. 241 inherits the missing λ² of Eq. 239–240:
  for λ ≠ 1 its error (0.04–0.2) exceeds the 2·max|σ − Φ(α·)| ≈ 0.026 its derivation carries.
* Misprints: Eq. 33 (exponent 1/2^n applied twice), Appendix A (σ_S = a/3 for U[−a, a]),
  Eq. 198–199 (middle), Eq. 214 (middle), Eq. 216 (missing log), Appendix D (σ'' lacks λ²),
  Eq. 225 (lower limit 0), Eq. 239–240 (λ² and the square root missing). (Eq. 235's decimals
  are truncations, not roundings: not a finding.)
* Sec. 2.2: pairwise independence of the selectors does not suffice "for all the results":
  the means, variances and covariances of Eq. 7–20 and NWGM(σ(S)) = σ(E(S)) hold, but Eq. 24
  fails on a chain of three gated units (−0.124 against −0.186 for pairwise-independent XOR
  gates) and so does Sec. 2.3's "entirely independent"; E(σ(S)) moves by about 0.01.
* Sec. 7.1 after Eq. 66: constant functions 0 < K < 1 belong to the class, so the limits at
  ±∞ need not be 0 or 1. Appendix E.1: the logit-normal density is not "in general
  bell-shaped": it is U-shaped when λσ > √2 and λμ = log c (unimodal for all μ, c iff λσ ≤ √2).
* Sec. 9.5–9.6 on a dropout-trained logistic classifier (64-128×4-10 on scikit-learn's 8×8
  digits, 96.7 % test accuracy; the paper's MNIST network is 784-1200×4-10): the deviations
  E − NWGM and E − W are not "well within the bounds derived in Section 8" after training
  (Bound 1 exceeded by 16–62 % of the units of hidden layers 2–4, z up to 107) and not
  approximately Gaussian (excess kurtosis up to 5.2); Appendix B.1's "Eq. 202 slightly more
  accurate than Eq. 87" is reversed after training (2–5× larger mean error); W(1 − W) is not
  a rough upper bound of the dropout variance in the output layer (mean 0.0113 vs 0.0087);
  the variances do not peak during learning (they rise to a plateau). Confirmed: the errors
  do not accumulate across layers, W_iW_j is much better than 0 for unconnected pairs, and
  Eq. 124's correction helps slightly at the end of learning only.
* Sec. 9.5–9.6 on synthetic logistic networks (exact enumeration of every mask): ε is not
  uncorrelated with α (Cov(ε, α) = Var α + Cov(α, β); correlation 0.63–1), α and β are
  correlated (≈ 0.31, Eq. 115–116), ε and β have mean 0 only where sign symmetry forces it,
  ε is not approximately normal across a layer; Eq. 114 ignores the covariances of the ε_j
  (off by a factor 0.4–1.6 at any weight scale; corrected form registered); Var(O) ≤ W(1 − W)
  fails (w = 1, I = 10, p = ½: 0.0625 vs 0.0066; Var(O) ≤ E(O)(1 − E(O)) holds); first-layer
  pairs are not independent under node dropout (shared input gates; exact under connection
  dropout); Eq. 123 needs E σ'(·) for E σ(·) (the printed form is only first order).
* Sec. 11.6–11.7 on the digits network: dropin does fail (test accuracy at chance, 8–9 %), but
  not because training maximises variances: dropin training saturates the hidden layers and
  ends with variances about 490× smaller than dropout's (at a fixed network dropin noise does
  give 3.5–9.2× larger Var(S)). Fig. 11.3's "the standard deviation does not increase for the
  higher layers" fails here (top hidden layer 26 % above the first, z = 73; the network is 10×
  narrower than the paper's). The three learning phases and the sparsity of Fig. 11.1 hold.
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
)

__all__ = ["CATALOG"]
