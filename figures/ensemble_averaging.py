"""Figures 8.1 and 8.2 of Baldi & Sadowski (``ensemble_averaging``): the approximate bound
curves of Eq. 87 on |E − NWGM|, with an overlay of exact |E − NWGM| for random samples.

Two kinds of samples are overlaid: (a) m = 2..10 values drawn uniformly in (0, 1) with
Dirichlet weights (spread-out distributions), and (b) the outputs of a logistic unit over all
2^n dropout subnetworks (n = 8..14 random inputs and weights, exact enumeration) — the case
the bound is meant for. The printed maximiser of each curve is marked.
"""

from __future__ import annotations

import math

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
    """Fig. 8.1: E(1 − E)|1 − 2E|/[1 − 2E(1 − E)] with exact |E − NWGM| overlaid.

    Claims: ensemble_averaging.eq87.chain, ensemble_averaging.eq87.maximisers, ensemble_averaging.eq87.curves_bound_exact_gap
    """
    return _figure(seed, precision, th.fig81_curve, th.fig81_argmax_printed(), "Fig. 8.1",
                   "E(1−E)|1−2E| / [1 − 2E(1−E)]  (Eq. 87)")


def fig8_2(seed: int = 0, precision: str = "standard"):
    """Fig. 8.2: 2E(1 − E)|1 − 2E| with exact |E − NWGM| overlaid.

    Claims: ensemble_averaging.eq87.chain, ensemble_averaging.eq87.maximisers, ensemble_averaging.eq87.curves_bound_exact_gap
    """
    return _figure(seed, precision, th.fig82_curve, th.fig82_argmax_printed(), "Fig. 8.2",
                   "2E(1−E)|1−2E|  (Eq. 87)")


FIGURES = {"ensemble_averaging_fig8_1": fig8_1, "ensemble_averaging_fig8_2": fig8_2}


_FIG9_LAWS = [("U[0, 1]", "u", 0.0, 1.0), ("N(0.5, 0.1²)", "n", 0.5, 0.1),
              ("U[0, 0.5]", "u", 0.0, 0.5), ("N(0.25, 0.05²)", "n", 0.25, 0.05)]


def _fig9_draw(rng, kind, a, b, shape):
    O = rng.uniform(a, b, shape) if kind == "u" else rng.normal(a, b, shape)
    return np.clip(O, 1e-12, 1 - 1e-12)


def fig9_1(seed: int = 0, precision: str = "standard"):
    """Fig. 9.1: histograms of the NWGM of 100 values O (weights 1/100) from U[0, 1], U[0, 0.5],
    N(0.5, 0.1²) and N(0.25, 0.05²), with the normal law of Eq. 104.

    Claims: ensemble_averaging.eq103_104.sampling_moments

    Each histogram collects 5000 samples (as printed; fewer at quick precision); the curve is
    N(σ(μ_S), t²σ_S²/m) with μ_S, σ_S and t = σ'(μ_S) by quadrature over the law of O; the
    dashed line marks μ_O (the bias σ(μ_S) − μ_O is visible for N(0.25, 0.05²) and U[0, 0.5]).
    """
    import matplotlib.pyplot as plt  # noqa: F401
    reps = {"quick": 1000, "standard": 5000, "high": 20000}[precision]
    m = 100
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    fig, axs = new_figure(2, 2, figsize=(8.4, 6.0))
    for ax, (name, kind, a, b) in zip(axs.T.ravel(), _FIG9_LAWS):
        mo = th.logit_law_moments(kind, a, b)
        N = th.sample_e_nwgm(_fig9_draw(rng, kind, a, b, (reps, m)))["NWGM"]
        ax.hist(N, bins=40, density=True, color=COLORS["mc"], alpha=0.55, label="NWGM, sampled")
        sd = math.sqrt(mo["m_var_nwgm"] / m)
        x = np.linspace(N.min(), N.max(), 300)
        ax.plot(x, np.exp(-0.5 * ((x - mo["nwgm_mean"]) / sd) ** 2) / (sd * math.sqrt(2 * math.pi)),
                color=COLORS["theory"], lw=1.8, label="N(σ(μ_S), t²σ_S²/m)  (Eq. 104)")
        ax.axvline(mo["mu_O"], color=COLORS["ref"], ls="--", lw=1, label="μ_O")
        ax.set_title(f"O ~ {name}", fontsize=10)
        ax.set_xlabel("NWGM of 100 values")
    axs[0, 0].legend(fontsize=7, loc="upper left")
    fig.suptitle("Fig. 9.1: sampling distribution of the NWGM (m = 100)", fontsize=11)
    fig.tight_layout()
    footer(fig, f"dropmc · seed {seed} · precision {precision} · {reps} samples per law")
    return fig


def fig9_2(seed: int = 0, precision: str = "standard"):
    """Fig. 9.2: Pearson correlation (left) and covariance (right) of the empirical E and NWGM
    against the number of samples m, for U[0, 1], U[0, 0.5], N(0.5, 0.1²) and N(0.25, 0.05²).

    Claims: ensemble_averaging.eq103_104.sampling_moments, ensemble_averaging.eq108.variance_sum

    10,000 repetitions per m as printed (fewer at quick precision). Lines: the large-m limits
    Cov(O, S)/(σ_Oσ_S) and t·Cov(O, S)/m (delta method); the covariance falls as 1/m while the
    correlation stays near 1 — so Var(E − NWGM) is far below Var E + Var NWGM (Eq. 108).
    """
    reps = {"quick": 1500, "standard": 10000, "high": 20000}[precision]
    ms = np.array([5, 10, 20, 50, 100, 200, 500])
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    fig, (a1, a2) = new_figure(1, 2, figsize=(9.0, 4.0))
    cols = [COLORS["theory"], COLORS["mc"], COLORS["alt"], COLORS["accent"]]
    for col, (name, kind, a, b) in zip(cols, _FIG9_LAWS):
        mo = th.logit_law_moments(kind, a, b)
        corr, cov = [], []
        for m in ms:
            s = th.sample_e_nwgm(_fig9_draw(rng, kind, a, b, (reps, int(m))))
            C = np.cov(s["E"], s["NWGM"])
            corr.append(C[0, 1] / math.sqrt(C[0, 0] * C[1, 1]))
            cov.append(C[0, 1])
        a1.plot(ms, corr, "o", color=col, ms=4, label=name)
        a1.axhline(mo["corr"], color=col, lw=0.8, ls=":")
        a2.loglog(ms, cov, "o", color=col, ms=4, label=name)
        a2.loglog(ms, mo["m_cov"] / ms, color=col, lw=0.8, ls=":")
    a1.set_xscale("log")
    a1.set_xlabel("m (number of values per sample)")
    a1.set_ylabel("Pearson correlation of E and NWGM")
    a1.set_ylim(0.85, 1.005)
    a2.set_xlabel("m")
    a2.set_ylabel("Cov(E, NWGM)")
    a1.legend(fontsize=7, loc="lower right")
    a2.text(0.03, 0.04, "dotted: large-m limits (delta method)", transform=a2.transAxes, fontsize=7)
    fig.suptitle("Fig. 9.2: correlation and covariance of empirical E and NWGM", fontsize=11)
    fig.tight_layout()
    footer(fig, f"dropmc · seed {seed} · precision {precision} · {reps} repetitions per m")
    return fig


FIGURES.update({"ensemble_averaging_fig9_1": fig9_1, "ensemble_averaging_fig9_2": fig9_2})
