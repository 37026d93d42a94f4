"""Figures for the Variance Constancy Loss (``variance_constancy``).

Files named ``…_figN`` show the paper's Figure N; figures of our own are named by what they
show (the paper's Figures 1 and 3 are UCI/CIFAR experiments, not redrawn).

* ``variance_constancy_eq4_vs_n`` (ours): Eq. 4/6, E(1 − σ_s²/σ²)² = κ/n − (n−3)/(n(n−1)), against n
  for laws of kurtosis 1 to 9, with Monte Carlo points (± 2 SE) from the Numba sampler;
* ``variance_constancy_fig2``: the paper's Figure 2 rebuilt — a single linear unit trained
  with the VCL loss alone on 2-D two-Gaussian mixtures with p = 0.1 and p = 0.25: the learned
  projection over the data and the histograms of its activations;
* ``variance_constancy_thm2_phases`` (ours): Theorem 2's phase diagram — κ along the LDA direction
  and along a direction orthogonal to μ1 − μ2 as functions of p, with the thresholds
  (1 ± √(1/3))/2 and Monte Carlo points;
* ``variance_constancy_thm3_bounds`` (ours): Theorem 3 — the printed right-hand side of Eq. 12/14–16,
  the corrected max(0, 1 − x)², and the empirical probabilities of the events, against n.
"""

from __future__ import annotations

import numpy as np

from dropmc.figures.style import COLORS, footer, new_figure
from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th
from dropmc.theory.variance_constancy import Law

REPS = {"quick": 20_000, "standard": 200_000, "high": 1_600_000}
STEPS = {"quick": 10_000, "standard": 40_000, "high": 80_000}

#: Figure 2 mixture: shared anisotropic covariance elongated across the mean difference
#: (here Σ⁻¹(μ1 − μ2) ∥ μ1 − μ2, so the LDA and merging directions are orthogonal)
MU1 = np.array([0.0, 0.0])
MU2 = np.array([4.0, 4.0])
SIGMA = np.array([[0.5, -0.25], [-0.25, 0.5]])


def eq1_vs_n_figure(seed: int = 0, precision: str = "standard"):
    """Our figure (not in the paper): Eq. 4/6 against n (log-log) for several kurtoses, with
    Monte Carlo points.

    Claims: variance_constancy.eq4.vcl_loss, variance_constancy.eq1.var_sample_variance
    """
    reps = REPS[precision]
    laws = [(Law.two_point(-1, 1, 0.5), "symmetric two-point (κ = 1)"),
            (Law.uniform(0, 1), "uniform (κ = 1.8)"),
            (Law.normal(0, 1), "normal (κ = 3)"),
            (Law.laplace(0, 1), "Laplace (κ = 6)"),
            (Law.exponential(1), "exponential (κ = 9)")]
    colors = ["#2e8b57", "#1f77b4", COLORS["theory"], COLORS["accent"], COLORS["mc"]]
    ns = np.arange(2, 101)
    npts = np.array([2, 3, 5, 10, 20, 50, 100])
    ss = np.random.SeedSequence(seed).spawn(len(laws) * npts.size)
    fig, ax = new_figure()
    k = 0
    for (law, name), c in zip(laws, colors):
        kap = th.kurtosis(law)
        ax.plot(ns, [th.vcl_loss(kap, int(n)) for n in ns], color=c, lw=1.8, label=name)
        est = []
        for n in npts:
            est.append(sim.estimate_vcl_loss(law, int(n), reps, rng=ss[k]))
            k += 1
        ax.errorbar(npts, [e.mean for e in est], yerr=[2 * e.se for e in est], fmt="o", ms=3.5,
                    color=c, capsize=2, lw=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("sample size n")
    ax.set_ylabel("E(1 − σ_s²/σ²)² = κ/n − (n−3)/(n(n−1))")
    ax.set_title("Eq. 1 / Eq. 4: variance of the sample variance (lines) and Monte Carlo (±2 SE)",
                 fontsize=9)
    ax.legend(fontsize=8, loc="lower left")
    footer(fig, f"dropmc · seed {seed} · precision {precision} · {reps:,} replicates per point")
    return fig


def _fig2_panel(axs, p, res, X, lab):
    ax_s, ax_h = axs
    t = res["theta"]
    u = t / np.linalg.norm(t)
    Sw, _ = th.scatter_matrices(p, MU1, MU2, SIGMA, SIGMA)
    lda = th.lda_direction(MU1, MU2, Sw)
    ax_s.scatter(X[lab == 0, 0], X[lab == 0, 1], s=3, alpha=0.35, color=COLORS["theory"],
                 label=f"component 2 (1 − p = {1 - p:g})")
    ax_s.scatter(X[lab == 1, 0], X[lab == 1, 1], s=3, alpha=0.6, color=COLORS["alt"],
                 label=f"component 1 (p = {p:g})")
    c = X.mean(axis=0)
    for v, col, ls, name in ((u, "red", "-", "learned θ (VCL)"),
                             (lda, COLORS["ref"], "--", "LDA direction Σ_w⁻¹(μ1 − μ2)")):
        ax_s.plot([c[0] - 4 * v[0], c[0] + 4 * v[0]], [c[1] - 4 * v[1], c[1] + 4 * v[1]],
                  color=col, ls=ls, lw=2, label=name)
    ax_s.set_aspect("equal")
    ax_s.set_title(f"p = {p:g} ({'LDA' if th.regime(p) == 'lda' else 'merge'} regime "
                   f"by Theorem 2)", fontsize=9)
    ax_s.legend(fontsize=6.5, loc="upper left")
    act = X @ t
    ax_h.hist(act[lab == 0], bins=60, color=COLORS["theory"], alpha=0.6, label="component 2")
    ax_h.hist(act[lab == 1], bins=60, color=COLORS["alt"], alpha=0.8, label="component 1")
    ax_h.set_xlabel("activation θᵀx of the learned unit")
    ax_h.set_ylabel("count")
    ax_h.legend(fontsize=7)
    ax_h.set_title(f"activations, p = {p:g}; β = {res['beta']:.3g}", fontsize=9)


def figure2(seed: int = 0, precision: str = "standard"):
    """The paper's Figure 2: learned projections (a, b) and activation histograms (c, d).

    Claims: variance_constancy.fig2.vcl_training, variance_constancy.fig2.vcl_training_plain_sgd, variance_constancy.fig2.vcl_loss_prefers_predicted, variance_constancy.fig2.vcl_training_small_n
    """
    steps = STEPS[precision]
    fig, axes = new_figure(2, 2, figsize=(9.5, 8.5))
    ss = np.random.SeedSequence(seed).spawn(4)
    for j, p in enumerate((0.1, 0.25)):
        # Section 2.4's procedure, as in the claim: β learned from 1, gradient clipped at 1
        res = sim.train_vcl_unit(p, MU1, MU2, SIGMA, SIGMA, n=32, steps=steps, lr=0.01,
                                 beta0=1.0, clip=1.0, rng=ss[2 * j])
        X, lab = sim.sample_gmm(p, MU1, MU2, SIGMA, SIGMA, 4000, rng=ss[2 * j + 1])
        _fig2_panel((axes[0, j], axes[1, j]), p, res, X, lab)
    fig.suptitle("Figure 2 rebuilt: one linear unit trained with VCL only (n = 32 per "
                 "sub-batch, β learned from 1, gradient clipped at 1)", fontsize=10)
    fig.tight_layout(rect=(0, 0.02, 1, 0.97))
    footer(fig, f"dropmc · seed {seed} · precision {precision} · {steps:,} SGD steps")
    return fig


def phase_diagram_figure(seed: int = 0, precision: str = "standard"):
    """Our figure (not in the paper): κ along the LDA direction and orthogonal to μ1 − μ2
    against p (Theorem 2's phases).

    Claims: variance_constancy.thm2.regimes, variance_constancy.eq9.projected_kurtosis, variance_constancy.thm2.threshold_value
    """
    reps = REPS[precision] * 2
    ps = np.linspace(0.005, 0.995, 500)
    fig, ax = new_figure()
    for r, ls in ((1.0, ":"), (4.0, "--"), (16.0, "-")):
        ax.plot(ps, [float(th.kurtosis_eq9(r, 1.0, p)) for p in ps], color=COLORS["theory"],
                ls=ls, lw=1.8, label=f"κ along LDA, max θᵀΣ_bθ/θᵀΣ_wθ = {r:g}")
    ax.plot(ps, np.full_like(ps, 3.0), color=COLORS["accent"], lw=2,
            label="κ along θ ⊥ μ1 − μ2 (= 3)")
    for t in (th.P_LOW, th.P_HIGH):
        ax.axvline(t, color=COLORS["ref"], lw=1)
    ax.axvspan(th.P_LOW, th.P_HIGH, color=COLORS["alt"], alpha=0.07)
    ax.text(0.5, 1.35, "LDA minimises κ", ha="center", fontsize=9)
    ax.text(0.105, 6.1, "merge\nminimises κ", ha="center", fontsize=9)
    ax.text(th.P_LOW, 0.75, f" (1−√(1/3))/2 ≈ {th.P_LOW:.4f}", fontsize=8, color="#444")
    # Monte Carlo κ along the LDA direction of a 2-D mixture with r_max = 16
    d = np.array([4.0, 0.0])
    S = np.eye(2)
    pts = np.array([0.05, 0.1, 0.2113, 0.3, 0.5, 0.7, 0.9])
    ss = np.random.SeedSequence(seed).spawn(pts.size)
    est = [sim.estimate_projected_kurtosis(np.array([1.0, 0.0]), float(p), d, np.zeros(2), S, S,
                                           reps=reps, rng=s) for p, s in zip(pts, ss)]
    ax.errorbar(pts, [e.mean for e in est], yerr=[2 * e.se for e in est], fmt="o", ms=4,
                color=COLORS["mc"], capsize=3,
                label="Monte Carlo κ along LDA, r = 16 (±2 SE)")
    ax.set_ylim(0.5, 12)
    ax.set_xlabel("prior p of the first component")
    ax.set_ylabel("κ(θᵀx) = m4/σ⁴")
    ax.set_title("Theorem 2 phases: kurtosis along the LDA and the merging direction")
    ax.legend(fontsize=7.5, loc="upper right")
    footer(fig, f"dropmc · seed {seed} · precision {precision} · {reps:,} draws per point")
    return fig


def theorem3_figure(seed: int = 0, precision: str = "standard"):
    """Our figure (not in the paper): Eq. 12/16 and Eq. 15 for normal activations at ε = 0.3
    against n: printed RHS, corrected RHS, and the empirical probabilities of the printed band
    event and the ratio event.

    Claims: variance_constancy.thm3.eq12, variance_constancy.thm3.eq12_corrected, variance_constancy.thm3.eq15, variance_constancy.thm3.eq15_corrected
    """
    reps = REPS[precision]
    eps = 0.3
    ns = np.unique(np.round(np.logspace(np.log10(2), 2.3, 40)).astype(int))
    fig, ax = new_figure()
    ax.plot(ns, [th.thm3_rhs(3.0, int(n), eps) for n in ns], color=COLORS["theory"], lw=2,
            label="printed RHS (1 − x)² of Eq. 12, 14–16")
    ax.plot(ns, [th.thm3_rhs_corrected(3.0, int(n), eps) for n in ns], color=COLORS["alt"],
            lw=2, ls="--", label="corrected RHS max(0, 1 − x)²")
    npts = np.array([2, 4, 8, 16, 30, 60, 120, 199])
    ss = np.random.SeedSequence(seed).spawn(npts.size)
    ev = [sim.estimate_ratio_events(Law.normal(), int(n), eps, reps, rng=s)
          for n, s in zip(npts, ss)]
    for key, col, name in (("eq12", COLORS["mc"], "P(printed band of Eq. 12)"),
                           ("eq15", COLORS["accent"], "P(ratio band of Eq. 15)"),
                           ("eq12_upper", "#6a3d9a", "P((1 − R)² ≤ 4ε²/(1−ε)²)")):
        ax.errorbar(npts, [e[key][0].mean for e in ev], yerr=[2 * e[key][0].se for e in ev],
                    fmt="o", ms=4, color=col, capsize=2, label=name + " (MC ±2 SE)")
    ax.axhline(1.0, color=COLORS["ref"], lw=1)
    ax.set_xscale("log")
    ax.set_ylim(-0.05, 2.0)
    ax.set_xlabel("sub-batch size n")
    ax.set_ylabel("probability / bound")
    ax.set_title(f"Theorem 3 for normal activations, ε = {eps}", fontsize=10)
    ax.legend(fontsize=7.5, loc="upper right")
    footer(fig, f"dropmc · seed {seed} · precision {precision} · {reps:,} pairs per point")
    return fig


FIGURES = {
    "variance_constancy_eq4_vs_n": eq1_vs_n_figure,
    "variance_constancy_fig2": figure2,
    "variance_constancy_thm2_phases": phase_diagram_figure,
    "variance_constancy_thm3_bounds": theorem3_figure,
}
