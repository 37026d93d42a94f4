"""Figures for Drop-Activation (``drop_activation``).

* ``drop_activation_fig3``: the paper's Figure 3 rebuilt — regression of x sin x (Eq. 12) and of
  a piecewise-constant function by fully connected ReLU networks of the printed widths
  (1000, 800, 200), trained with and without Drop-Activation (plain numpy, full-batch Adam);
* ``drop_activation_shift_ratio`` (new; the paper has no analytic figure): the shift ratio of
  Eq. 15 against p (closed form) with Monte Carlo points and error bars, the printed range
  [0.8, 1] and the printed value at p = 0.95, and beside it the variance shift of dropout (the
  paper's reference [12]): Var(test)/Var(train) = p for inverted dropout on a zero-mean input.
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
    of dropout (reference [12]).

    Claims: drop_activation.prop5_2.eq15_shift_ratio, drop_activation.prop5_2.range, drop_activation.prop5_2.value_p095
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
FIG3_P = 0.8        # probability of keeping a nonlinearity (the paper does not print it)
FIG3_LR = 3e-3      # Adam step size (full batch)
FIG3_N = 20         # training points per panel, as printed for Figure 3a


def _init_net(widths, rng):
    """He-normal weights and zero biases of a 1 → widths → 1 network (float32)."""
    sizes = [1, *widths, 1]
    Ws = [(rng.normal(size=(a, b)) * np.sqrt(2.0 / a)).astype(np.float32)
          for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(b, np.float32) for b in sizes[1:]]
    return Ws, bs


def train_regression(x, y, widths, p, steps, *, lr=FIG3_LR, rng=None, init=None):
    """Fit a fully connected ReLU network ``1 → widths → 1`` to (x, y) by full-batch Adam on
    the mean squared error, with Drop-Activation when ``p < 1``: at every step and for every
    sample and hidden unit the ReLU is kept with probability p and replaced by the identity
    otherwise (Eq. 3). Returns ``(Ws, bs)``; predict with :func:`predict_regression` and the
    same p (the test-time leaky ReLU of slope 1 − p, Eq. 5). ``init`` (weights, biases) is
    copied, so two fits can start from the same network."""
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p!r}")
    rng = np.random.default_rng(rng)
    Ws, bs = init if init is not None else _init_net(widths, rng)
    Ws, bs = [w.copy() for w in Ws], [b.copy() for b in bs]
    params = Ws + bs
    m = [np.zeros_like(a) for a in params]
    v = [np.zeros_like(a) for a in params]
    tmp = [np.empty_like(a) for a in params]
    X = np.asarray(x, np.float32)[:, None]
    Y = np.asarray(y, np.float32)[:, None]
    b1, b2, eps = 0.9, 0.999, 1e-8
    L = len(Ws)
    for t in range(1, steps + 1):
        h, hs, gates = X, [X], []
        for i in range(L - 1):
            z = h @ Ws[i] + bs[i]
            g = z > 0
            if p < 1.0:
                g |= rng.random(z.shape, dtype=np.float32) >= p   # dropped: identity map
            h = z * g
            gates.append(g)
            hs.append(h)
        d = (2.0 / len(X)) * (h @ Ws[-1] + bs[-1] - Y)
        grads = [None] * (2 * L)
        for i in range(L - 1, -1, -1):
            grads[i], grads[L + i] = hs[i].T @ d, d.sum(0)
            if i > 0:
                d = (d @ Ws[i].T) * gates[i - 1]
        s1, s2 = lr / (1 - b1 ** t), 1 / np.sqrt(1 - b2 ** t)
        for a, g_, mm, vv, tt in zip(params, grads, m, v, tmp):   # Adam, in place
            mm *= b1
            np.multiply(g_, 1 - b1, out=tt)
            mm += tt
            vv *= b2
            np.multiply(g_, g_, out=tt)
            tt *= 1 - b2
            vv += tt
            np.sqrt(vv, out=tt)
            tt *= s2
            tt += eps
            np.divide(mm, tt, out=tt)
            tt *= s1
            a -= tt
    return Ws, bs


def predict_regression(net, x, p):
    """The deterministic test-time network: every ReLU replaced by the leaky ReLU of slope
    1 − p (Eq. 5; p = 1 is the plain ReLU network)."""
    Ws, bs = net
    h = np.asarray(x, np.float32)[:, None]
    for i in range(len(Ws) - 1):
        z = h @ Ws[i] + bs[i]
        h = np.where(z > 0, z, (1.0 - p) * z)
    return (h @ Ws[-1] + bs[-1])[:, 0].astype(float)


def _xsinx(x):
    return x * np.sin(x)


def _steps(x):
    """The piecewise-constant target: +1, −1, +1, −1 on the quarters of [0, 10]."""
    return np.where(np.floor(np.clip(x, 0, 9.999) / 2.5) % 2 == 0, 1.0, -1.0)


def _fig3_data(panel, rng):
    if panel == "a":   # Eq. 12: 20 x_i uniform on [0, 10], N(0, 1) noise
        x = np.sort(rng.uniform(0.0, 10.0, FIG3_N))
        return x, _xsinx(x) + rng.normal(size=FIG3_N)
    x = np.empty(0)    # denser in the middle, sparse near both ends; N(0, 0.3²) noise
    while x.size < FIG3_N:
        c = rng.normal(5.0, 2.5, 4 * FIG3_N)
        x = np.concatenate([x, c[(c >= 0) & (c <= 10)]])
    x = np.sort(x[:FIG3_N])
    return x, _steps(x) + 0.3 * rng.normal(size=FIG3_N)


def fig3_figure(seed: int = 0, precision: str = "standard"):
    """Paper Figure 3 rebuilt: regression of (a) x sin x (Eq. 12: 20 points uniform on [0, 10],
    N(0, 1) noise) and (b) a piecewise-constant function (20 points, sparser near the ends,
    N(0, 0.3²) noise) by a fully connected ReLU network with three hidden layers of the printed
    widths 1000, 800, 200, trained without (orange) and with Drop-Activation at p = 0.8 (green;
    tested with the leaky ReLU of slope 1 − p), from the same initial weights, by full-batch
    Adam (step 3e-3, 1500 steps at standard precision) in plain numpy. The legend gives each
    fit's RMSE on the training points and against the ground truth on a 500-point grid between
    the smallest and the largest training x (curves leaving the axes are clipped).

    Claims: drop_activation.eq5.leaky_relu, drop_activation.prop5_1.eq10, drop_activation.prop5_1.eq10_corrected
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
