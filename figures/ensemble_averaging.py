"""Figures 8.1 and 8.2 of Baldi & Sadowski (``ensemble_averaging``): the approximate bound
curves of Eq. 87 on |E − NWGM|, with an overlay of exact |E − NWGM| for random samples.

Two kinds of samples are overlaid: (a) m = 2..10 values drawn uniformly in (0, 1) with
Dirichlet weights (spread-out distributions), and (b) the outputs of a logistic unit over all
2^n dropout subnetworks (n = 8..14 random inputs and weights, exact enumeration) — the case
the bound is meant for. The printed maximiser of each curve is marked.
"""

from __future__ import annotations

import numpy as np

from dropmc.figures.style import COLORS, footer, new_figure
from dropmc.simulations import ensemble_averaging as sim
from dropmc.theory import ensemble_averaging as th

SAMPLES = {"quick": (400, 40), "standard": (3000, 200), "high": (20000, 800)}


def _overlay(seed: int, precision: str):
    n_rand, n_units = SAMPLES[precision]
    ss = np.random.SeedSequence(seed)
    r1, r2 = (np.random.Generator(np.random.PCG64(s)) for s in ss.spawn(2))
    rand = []
    for _ in range(n_rand):
        m = int(r1.integers(2, 11))
        O = np.clip(r1.uniform(0, 1, m), 1e-12, 1 - 1e-12)
        P = r1.dirichlet(np.ones(m))
        w = th.weighted_means(O, P)
        rand.append((w["E"], abs(w["E"] - w["NWGM"])))
    units = []
    for _ in range(n_units):
        n = int(r2.integers(8, 15))
        wts = r2.standard_normal(n) * r2.uniform(0.2, 3.0)
        I = r2.standard_normal(n)
        p = r2.uniform(0.2, 0.9, n)
        e = sim.enumerate_logistic_unit(wts, I, p, b=float(r2.normal()))
        units.append((e["EO"], abs(e["EO"] - e["NWGM"])))
    return np.array(rand), np.array(units), n_rand, n_units


def _figure(seed: int, precision: str, curve, argmax: float, title: str, formula: str):
    rand, units, n_rand, n_units = _overlay(seed, precision)
    E = np.linspace(0, 1, 1001)
    fig, ax = new_figure()
    ax.plot(E, curve(E), color=COLORS["theory"], lw=2, label=formula)
    ax.scatter(rand[:, 0], rand[:, 1], s=6, color=COLORS["mc"], alpha=0.35, lw=0,
               label=f"exact |E − NWGM|, {n_rand} random samples (m = 2–10, Dirichlet weights)")
    ax.scatter(units[:, 0], units[:, 1], s=14, color=COLORS["alt"], marker="^", lw=0, alpha=0.8,
               label=f"exact |E − NWGM|, logistic unit over all 2^n dropout subnetworks ({n_units} units)")
    ax.axvline(argmax, color=COLORS["ref"], ls=":", lw=1)
    ax.axvline(1 - argmax, color=COLORS["ref"], ls=":", lw=1)
    ax.annotate(f"printed argmax\nE = {argmax:.4f}", (argmax, float(curve(argmax))),
                xytext=(argmax + 0.04, float(curve(argmax)) * 1.25), fontsize=8,
                arrowprops=dict(arrowstyle="->", color="#444"))
    above = np.mean(rand[:, 1] > curve(rand[:, 0]))
    ax.set_xlabel("E (weighted arithmetic mean)")
    ax.set_ylabel("|E − NWGM|")
    ax.set_title(f"{title}: {above:.0%} of the random samples lie above the curve", fontsize=10)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(rand[:, 1].max(), float(curve(argmax))) * 1.1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=7)
    fig.subplots_adjust(bottom=0.3)
    footer(fig, f"dropmc · seed {seed} · precision {precision} · n = {n_rand} + {n_units}")
    return fig


def fig8_1(seed: int = 0, precision: str = "standard"):
    """Fig. 8.1: E(1 − E)|1 − 2E|/[1 − 2E(1 − E)] with exact |E − NWGM| overlaid."""
    return _figure(seed, precision, th.fig81_curve, th.fig81_argmax_printed(), "Fig. 8.1",
                   "E(1−E)|1−2E| / [1 − 2E(1−E)]  (Eq. 87)")


def fig8_2(seed: int = 0, precision: str = "standard"):
    """Fig. 8.2: 2E(1 − E)|1 − 2E| with exact |E − NWGM| overlaid."""
    return _figure(seed, precision, th.fig82_curve, th.fig82_argmax_printed(), "Fig. 8.2",
                   "2E(1−E)|1−2E|  (Eq. 87)")


FIGURES = {"ensemble_averaging_fig8_1": fig8_1, "ensemble_averaging_fig8_2": fig8_2}
