"""Figures for Drop-Activation (``drop_activation``).

The paper has no analytic figure; CLAIMS.md asks for a new one: the shift ratio of Eq. 15
against p (closed form) with Monte Carlo points and error bars, the printed range [0.8, 1]
and the printed value at p = 0.95, and beside it the variance shift of dropout (the paper's
reference [12]): Var(test)/Var(train) = p for inverted dropout on a zero-mean input.
"""

from __future__ import annotations

import numpy as np

from dropmc.figures.style import COLORS, footer, new_figure
from dropmc.simulations import drop_activation as sim
from dropmc.theory import drop_activation as th

SAMPLES = {"quick": 100_000, "standard": 1_000_000, "high": 8_000_000}


def shift_ratio_figure(seed: int = 0, precision: str = "standard"):
    """Eq. 15 versus p with Monte Carlo shift ratios (± 2 SE) at 10 values of p."""
    n = SAMPLES[precision]
    ps = np.linspace(0.005, 1.0, 400)
    fig, ax = new_figure()
    ax.plot(ps, th.shift_ratio(ps), color=COLORS["theory"], lw=2,
            label="Drop-Activation, Eq. 15 (closed form)")
    ax.plot(ps, [th.dropout_variance_shift(p) for p in ps], color=COLORS["ref"], lw=1.5, ls="--",
            label="dropout, Var(test)/Var(train) = p  [12]")
    pts = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95])
    ss = np.random.SeedSequence(seed).spawn(pts.size)
    w = np.ones(64) / 8.0
    est = [sim.estimate_x_moments(w, float(p), n=n, rng=s)["shift_ratio"] for p, s in zip(pts, ss)]
    ax.errorbar(pts, [e.mean for e in est], yerr=[2 * e.se for e in est], fmt="o", ms=4,
                color=COLORS["mc"], capsize=3, label=f"Monte Carlo (d = 64, n = {n:,} each, ±2 SE)")
    ax.axhspan(0.8, 1.0, color=COLORS["alt"], alpha=0.08, label="printed range [0.8, 1]")
    r95 = th.shift_ratio(0.95)
    ax.annotate(f"p = 0.95: {r95:.4f} (printed ≈ 0.9377)", (0.95, r95), xytext=(0.42, 0.7),
                arrowprops=dict(arrowstyle="->", color="#444"), fontsize=9)
    ax.set_xlabel("p (probability of keeping the nonlinearity / the unit)")
    ax.set_ylabel("shift ratio Var(X_test) / Var(X_train)")
    ax.set_title("Variance shift: Drop-Activation (Property 5.2) vs dropout")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.05)
    ax.legend(loc="lower right", fontsize=8)
    footer(fig, f"dropmc · seed {seed} · precision {precision}")
    return fig


FIGURES = {"drop_activation_shift_ratio": shift_ratio_figure}
