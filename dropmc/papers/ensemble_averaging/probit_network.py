"""Appendix F of Baldi & Sadowski on the dropout-trained classifier: how large Var(S) gets in
practice (the paragraph after Eq. 242)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from scipy import special

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.papers.ensemble_averaging._shared import CATALOG
from dropmc.papers.ensemble_averaging.trained_network import (
    _STAND_IN,
    _STAND_IN_LABEL,
    _net,
    _net_est,
    _net_family_le,
    _net_flat,
    _net_sel,
    _net_stages,
)
from dropmc.theory import ensemble_averaging as th

# ------------------------------------------------------------------------------------------
# Appendix F (after Eq. 242) on the dropout-trained digits network of trained_network.py
# ------------------------------------------------------------------------------------------

#: α of Eq. 242 and the variance scale it sets: Eq. 242 divides μ_S by √(1 + α²σ_S²), so σ_S²
#: is small or large against α^{−2} ≈ 2.71
_ALPHA = th.ALPHAS["cox"]

#: "very large σ_S²" read as ten times that scale (Eq. 242's divisor then exceeds √11 ≈ 3.3)
_VERY_LARGE_VAR = 10.0 / _ALPHA ** 2


@CATALOG.claim(
    "appF.variance_not_large", label="Appendix F (after Eq. 242)" + _STAND_IN_LABEL,
    kind=Kind.BOUND,
    statement="In practice very large values of σ_S² (where Eq. 242 tends to ½ while the NWGM "
              "may be near 0 or 1) are not observed, the dropout regularisation keeping the "
              "weights and hence Var(S) bounded: in a logistic network trained with dropout, "
              "Var(S) < 10α^{−2} ≈ 27 for every unit and input, before and after training."
              + _STAND_IN,
    note="Very large σ_S² are observed after training: on the digits network Var(S) reaches "
         "≈ 70 (26α^{−2}) in hidden layer 4 and ≈ 59 in hidden layer 3, above 10α^{−2} for "
         "0.2–6 % of the unit-inputs of hidden layers 2–4, and above α^{−2} for 51–99 % of "
         "the unit-inputs of every layer. Where Var(S) is largest (hidden layer 4, μ_S ≈ "
         "−14) Eq. 242 = 0.060 against E(O) = 0.048 and the NWGM 6e-7. Before training "
         "Var(S) < 0.002.",
    no_correction="The statement is false on the dropout-trained network: after training "
                  "Var(S) exceeds 10α^{−2} by many standard errors in the upper hidden layers "
                  "(the weights grow in spite of dropout). The paper gives no bound on Var(S) "
                  "to put in its place, and the largest Var(S) of every layer and Eq. 242, the "
                  "NWGM and E(O) there are in the cases.")
def appF_variance_not_large(ctx: Context) -> Iterator[CaseResult]:
    """"For very large values of σ_S², the estimate in Eq. (242) converges to 0.5 whereas the
    NWGM could be arbitrarily close to 0 or 1 … In practice this is not observed because the
    size of the weights remains limited due to the dropout regularization effect, and thus
    the variance of S is also bounded." The appendix names no number; its scale is Eq. 242's
    α^{−2} (σ_S² small or large against it), and "very large" is read as ten times it,
    σ_S² ≥ 10α^{−2} ≈ 27.1 (α = 0.607). Evidence: the digits network of trained_network.py
    (10 inputs × 10,000 dropout subnetworks, 625 at quick precision), before and after
    training; per layer (hidden 1–4 and the logistic outputs) every unit-input is tested
    one-sided, Var(S) = E(S²) − E(S)² < 10α^{−2}, SE by batch means and the delta method, the
    worst z against the Bonferroni threshold of the layer (t, 31 dof). Reported with each:
    the largest Var(S), the share above α^{−2}, and Eq. 242, the NWGM σ(E(S)) and E(O) at
    the unit-input of largest Var(S) (a measurement)."""
    for stage, ep in _net_stages():
        mc = _net(ctx, ep)["mc"]
        ES, dS = mc.ES()
        V = mc.mean["S2"] - ES ** 2
        dV = mc.dev("S2") - 2 * ES[:, None, :] * dS
        EO = mc.mean["O"]
        for layer in np.unique(mc.layer):
            m = _net_sel(mc, layer)
            q, dq = _net_flat(m, V, dV)
            name = "output" if layer == mc.layer.max() else f"hidden {layer}"
            prm = {"stage": stage, "layer": name}
            yield _net_family_le(ctx, prm, mc, q, dq, np.full(q.size, _VERY_LARGE_VAR),
                                 np.zeros_like(dq), f"Var(S) < 10α^{{−2}} = {_VERY_LARGE_VAR:.1f}")
            j = int(np.argmax(q))
            mu, var, eo = float(ES[m][j]), float(q[j]), float(EO[m][j])
            probit, nwgm = th.eq242(mu, math.sqrt(var)), float(special.expit(mu))
            yield judge.holds({**prm, "what": "largest Var(S)"}, True,
                              estimate=_net_est(mc, var, float(mc.se(dV)[m][j])),
                              detail=f"largest Var(S) = {var:.4g} (μ_S = {mu:.4g}); Var(S) > "
                                     f"α^{{−2}} for {np.mean(q > _ALPHA ** -2):.1%} of {q.size} "
                                     f"unit-inputs; there Eq. 242 = {probit:.4g}, NWGM = "
                                     f"{nwgm:.4g}, E(O) = {eo:.4g}", role="measurement")


# -- no explorer: the claims measured on trained networks ----------------------------------------

CATALOG.no_explorer("appF.variance_not_large", "a training experiment, Appendix F (after Eq. "
                                               "242), measured on the dropout-trained digits "
                                               "classifier: no closed form in a parameter")
