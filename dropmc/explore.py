"""``dropmc explore``: sweep one parameter of a claim's closed form against Monte Carlo.

A claim with an explorer (:meth:`dropmc.registry.Catalog.explorer`) computes, at one parameter
point, its closed form and a Monte Carlo :class:`~dropmc.estimate.Estimate`. :func:`sweep`
evaluates it on a grid of one parameter (the others at their defaults), each point with its
own stream of the run seed, and :func:`plot` draws the closed form as a line and the estimates
with error bars of critical value × SE — the resolution a verdict at that point would have.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from dropmc.claims import Claim, Context
from dropmc.estimate import Estimate


@dataclass
class Sweep:
    claim: Claim
    name: str
    xs: np.ndarray
    theory: np.ndarray
    estimates: list[Estimate]
    crit: list[float]
    seed: int
    precision: str
    fixed: dict = field(default_factory=dict)

    def z(self) -> np.ndarray:
        return np.array([e.z(t) if e.se > 0 else 0.0 for e, t in zip(self.estimates, self.theory)])

    def table(self) -> str:
        rows = [f"{self.name:>10}  {'closed form':>14}  {'Monte Carlo':>14}  {'± crit·SE':>10}  {'z':>6}"]
        for x, t, e, c, z in zip(self.xs, self.theory, self.estimates, self.crit, self.z()):
            rows.append(f"{x:>10.4g}  {t:>14.6g}  {e.mean:>14.6g}  {c * e.se:>10.2g}  {z:>6.2f}")
        return "\n".join(rows)


def parse_param(text: str) -> tuple[str, float, float]:
    """``NAME=LO:HI`` → (name, lo, hi)."""
    try:
        name, rng = text.split("=", 1)
        lo, hi = (float(v) for v in rng.split(":", 1))
    except ValueError:
        raise ValueError(f"--param must be NAME=LO:HI (e.g. p=0.1:0.9), got {text!r}") from None
    if not name or not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
        raise ValueError(f"--param needs a name and finite LO < HI, got {text!r}")
    return name, lo, hi


def sweep(claim: Claim, name: str, lo: float, hi: float, *, points: int = 9, seed: int = 0,
          precision: str = "standard", **fixed) -> Sweep:
    """Evaluate the claim's explorer at ``points`` values of ``name`` in [lo, hi]."""
    if claim.explorer is None:
        raise ValueError(f"claim {claim.id!r} has no explorer; claims with one: "
                         + ", ".join(_explorable()))
    if name not in claim.explore_params:
        raise ValueError(f"claim {claim.id!r} has no parameter {name!r}; it has "
                         + ", ".join(f"{k} (default {v:g})" for k, v in claim.explore_params.items()))
    if not 2 <= points <= 200:
        raise ValueError(f"--points must be in [2, 200], got {points}")
    params = dict(claim.explore_params)
    params.update(fixed)
    xs = np.linspace(lo, hi, points)
    th, ests, crit = [], [], []
    for i, x in enumerate(xs):
        ctx = Context(f"{claim.id}#explore-{name}-{i}", seed, precision)
        t, e = claim.explorer(ctx, **{**params, name: float(x)})
        th.append(float(t))
        ests.append(e)
        crit.append(ctx.critical(e.dof))
    return Sweep(claim, name, xs, np.array(th), ests, crit, seed, precision,
                 {k: v for k, v in params.items() if k != name})


def plot(sw: Sweep):
    """The sweep as a figure (closed form, Monte Carlo ± critical value × SE, and z below)."""
    import matplotlib.pyplot as plt

    fig, (ax, az) = plt.subplots(2, 1, figsize=(6.4, 5.6), sharex=True,
                                 gridspec_kw={"height_ratios": [3, 1]})
    ax.plot(sw.xs, sw.theory, "-", color="C0", label="closed form")
    m = np.array([e.mean for e in sw.estimates])
    err = np.array([c * e.se for c, e in zip(sw.crit, sw.estimates)])
    ax.errorbar(sw.xs, m, yerr=err, fmt="o", color="C3", capsize=3,
                label="Monte Carlo ± critical value × SE")
    ax.set_ylabel("value")
    ax.set_title(f"{sw.claim.id}\n{sw.claim.label}", fontsize=10)
    fixed = ", ".join(f"{k} = {v:g}" for k, v in sw.fixed.items())
    ax.legend(fontsize=8, title=fixed or None, title_fontsize=8)
    az.axhspan(-sw.crit[0], sw.crit[0], color="0.9")
    az.plot(sw.xs, sw.z(), "o-", color="C3")
    az.set_ylabel("z")
    az.set_xlabel(sw.name)
    fig.text(0.01, 0.01, f"seed {sw.seed} · precision {sw.precision}", fontsize=7, color="0.4")
    fig.tight_layout()
    return fig


def _explorable() -> list[str]:
    from dropmc.registry import all_claims

    return [c.id for c in all_claims() if c.explorer is not None] or ["none"]
