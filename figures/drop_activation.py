"""Figures for Drop-Activation (``drop_activation``).

* ``drop_activation_fig3``: the paper's Figure 3 rebuilt — regression of x sin x (Eq. 12) and of
  a piecewise-constant function by fully connected ReLU networks of the printed widths
  (1000, 800, 200), trained with and without Drop-Activation (plain numpy, full-batch Adam);
* ``drop_activation_shift_ratio`` (new; the paper has no analytic figure): the shift ratio of
  Eq. 15 against p (closed form) with Monte Carlo points and error bars, the printed range
  [0.8, 1] and the printed value at p = 0.95, and beside it the variance shift of dropout (the
  paper's reference [12]): Var(test)/Var(train) = p for inverted dropout on a zero-mean input
  (the illustration of [12], and the other reading of "unlike dropout",
  sec5_2.unlike_dropout_zero_mean: p is the closer to 1 above p = 0.8775). Dropout after the
  ReLU, where the box of Figure 5 puts it, has the ratio (π − 1)p/(π − p), below Eq. 15 at
  every p in (0, 1) (sec5_2.unlike_dropout); that curve is not drawn.
"""

from __future__ import annotations

import numpy as np

from dropmc.figures.style import COLORS, footer, new_figure
from dropmc.simulations import drop_activation as sim
from dropmc.theory import drop_activation as th

SAMPLES = {"quick": 100_000, "standard": 1_000_000, "high": 8_000_000}


def shift_ratio_figure(seed: int = 0, precision: str = "standard"):
    """New figure (the paper has none for Property 5.2): the shift ratio Var(X_test)/Var(X_train)
    of Eq. 15 against p, closed form with Monte Carlo points (± 2 SE) at 10 values of p, the
    printed range [0.8, 1] and the printed ≈ 0.9377 at p = 0.95, beside the variance shift p
    of dropout on a zero-mean input (reference [12]; the zero-mean reading of "unlike dropout",
    refuted above p = 0.8775, where the dashed line crosses Eq. 15).

    Claims: drop_activation.prop5_2.eq15_shift_ratio, drop_activation.prop5_2.range, drop_activation.prop5_2.value_p095, drop_activation.sec5_2.unlike_dropout_zero_mean
    """
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


# ------------------------------------------------------------------------------------------
# Figure 3: regression with and without Drop-Activation (plain numpy)
# ------------------------------------------------------------------------------------------

#: (hidden widths, Adam steps) per precision; standard and high use the printed widths
FIG3_NETS = {"quick": ((100, 80, 20), 300), "standard": ((1000, 800, 200), 1500),
             "high": ((1000, 800, 200), 4000)}
FIG3_P = sim.FIG3_P      # probability of keeping a nonlinearity (the paper does not print it)
FIG3_LR = sim.FIG3_LR    # Adam step size (full batch)
FIG3_N = sim.FIG3_N      # training points per panel, as printed for Figure 3a

# the networks, their training and the data live in dropmc.simulations.drop_activation (the
# Figure 3 claims train the same networks); the old names are kept
_init_net = sim.init_net
train_regression = sim.train_regression
predict_regression = sim.predict_regression
_xsinx = sim.xsinx
_steps = sim.steps_target


def _fig3_data(panel, rng):
    x, y, _ = sim.fig3_data(panel, rng)
    return x, y


def fig3_figure(seed: int = 0, precision: str = "standard"):
    """Paper Figure 3 rebuilt: regression of (a) x sin x (Eq. 12: 20 points uniform on [0, 10],
    N(0, 1) noise) and (b) a piecewise-constant function (20 points, sparser near the ends,
    N(0, 0.3²) noise) by a fully connected ReLU network with three hidden layers of the printed
    widths 1000, 800, 200, trained without (orange) and with Drop-Activation at p = 0.8 (green;
    tested with the leaky ReLU of slope 1 − p), from the same initial weights, by full-batch
    Adam (step 3e-3, 1500 steps at standard precision) in plain numpy. The legend gives each
    fit's RMSE on the training points and against the ground truth on a 500-point grid between
    the smallest and the largest training x (curves leaving the axes are clipped).

    The Figure 3 claims (fig3a.fit_vs_prediction, fig3b.smooth_and_noise) decide the
    printed statements over 128 paired trainings of a smaller network (widths 64, 32, 16).

    Claims: drop_activation.fig3a.fit_vs_prediction, drop_activation.fig3b.smooth_and_noise, drop_activation.eq5.leaky_relu, drop_activation.prop5_1.eq10, drop_activation.prop5_1.eq10_corrected
    """
    widths, steps = FIG3_NETS[precision]
    ss = np.random.SeedSequence([seed, 3]).spawn(2)
    grid = np.linspace(0.0, 10.0, 500)
    fig, axes = new_figure(1, 2, figsize=(11, 5.6), layout="constrained")
    for ax, panel, f, s, title in zip(axes, "ab", (_xsinx, _steps), ss,
                                      (r"(a) ground truth $y = x \sin x$",
                                       "(b) ground truth: a piecewise-constant function")):
        data_rng, init_rng, mask_rng = (np.random.default_rng(c) for c in s.spawn(3))
        x, y = _fig3_data(panel, data_rng)
        u, ug = (x - 5.0) / 5.0, (grid - 5.0) / 5.0            # inputs scaled to [-1, 1]
        init = _init_net(widths, init_rng)
        ax.plot(grid, f(grid), color="#1f77b4", lw=2, label="ground truth")
        for p, color, name in ((1.0, "#ff7f0e", "ReLU"),
                               (FIG3_P, "#2ca02c", f"Drop-Activation, $p = {FIG3_P:g}$")):
            net = train_regression(u, y, widths, p, steps, rng=mask_rng, init=init)
            fit = predict_regression(net, ug, p)
            rtr = np.sqrt(np.mean((predict_regression(net, u, p) - y) ** 2))
            inside = (grid >= x.min()) & (grid <= x.max())     # no extrapolation
            rte = np.sqrt(np.mean((fit[inside] - f(grid[inside])) ** 2))
            ax.plot(grid, fit, color=color, lw=1.6,
                    label=f"{name} (RMSE: data {rtr:.2f}, truth {rte:.2f})")
        ax.plot(x, y, "*", color="k", ms=8, label="training data (noisy)")
        ax.set_xlabel(r"$x$")
        ax.set_ylabel(r"$y$")
        ax.set_title(title, fontsize=10)
        ax.set_xlim(-0.2, 10.2)
        lo, hi = min(y.min(), f(grid).min()), max(y.max(), f(grid).max())
        ax.set_ylim(lo - 0.2 * (hi - lo), hi + 0.2 * (hi - lo))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=1, fontsize=8.5)
    fig.suptitle("Figure 3: networks with Drop-Activation and with plain ReLU", fontsize=11)
    footer(fig, f"dropmc · seed {seed} · precision {precision} · 1 → {' → '.join(map(str, widths))}"
                f" → 1 ReLU network, full-batch Adam (step {FIG3_LR:g}, {steps} steps), "
                f"{FIG3_N} points per panel, Drop-Activation p = {FIG3_P:g}; same initial weights")
    return fig


FIGURES = {"drop_activation_fig3": fig3_figure, "drop_activation_shift_ratio": shift_ratio_figure}
