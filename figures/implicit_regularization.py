"""Figures for "Implicit Regularization of Dropout" (``implicit_regularization``), rebuilt at
laptop scale with the training loops of :mod:`dropmc.simulations.implicit_regularization`
(no deep-learning framework; the networks a figure compares are trained at once, each on its
own stream, with the numbers of training each alone). Each stem is named after the paper's
figure number; where the network or the training is smaller than printed, the footer says so.

* ``implicit_regularization_fig1`` — Fig. 1: two-layer ReLU network, output and loss
  cross-section with and without dropout.
* ``implicit_regularization_fig2`` — Fig. 2-style: R_S and R1 at the end of training with
  dropout and with the explicit loss R_S + R1.
* ``implicit_regularization_fig4`` — Fig. 4: outputs and features of two-layer (top) and
  three-layer (bottom) tanh networks with and without dropout.
* ``implicit_regularization_fig5`` — Fig. 5: training restarted from the R_S solution with
  R_S, R_S^drop or R_S + R1.
* ``implicit_regularization_fig6`` — Fig. 6: batch size 2, no dropout.
* ``implicit_regularization_fig7`` — Fig. 7(a, b): cosine similarity of the input weights with
  and without dropout, and the effective ratio of Definition 1.
* ``implicit_regularization_fig8`` — Fig. 8: test error against the number of samples and p,
  10 trials per cell.
* ``implicit_regularization_fig11`` — Fig. 11(a)-style loss cross-sections.
"""

from __future__ import annotations

import zlib

import numpy as np

from dropmc._studies import study
from dropmc.figures.style import COLORS, footer, new_figure
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

RS = r"$R_S$"
RS_DROP = r"$R_S^{\mathrm{drop}}$"
R1 = r"$R_1$"
RS_R1 = r"$R_S + R_1$"

#: training steps per precision
STEPS = {
    "quick": {"fig1": 1_500, "fig4": 3_000, "fig4_3l": 1_500, "fig2": 3_000, "fig5": 1_500,
              "fig6": 3_000, "fig7": 15_000},
    "standard": {"fig1": 30_000, "fig4": 30_000, "fig4_3l": 20_000, "fig2": 20_000,
                 "fig5": 10_000, "fig6": 12_000, "fig7": 100_000},
    "high": {"fig1": 40_000, "fig4": 60_000, "fig4_3l": 30_000, "fig2": 60_000, "fig5": 30_000,
             "fig6": 60_000, "fig7": 300_000},
}
#: widths per precision (the paper: 1000 everywhere but Fig. 7's 100)
WIDTH = {"quick": {"1d": 300, "3l": 60}, "standard": {"1d": 500, "3l": 100},
         "high": {"1d": 1000, "3l": 1000}}


def _streams(seed: int, key: str, k: int):
    ss = np.random.SeedSequence(int(seed), spawn_key=(zlib.crc32(key.encode()),))
    return ss.spawn(k)


def _feature_scatter(ax, nets, title):
    """Fig. 4's feature panel: (orientation of (w_j, b_j), A_j / max A) for each network of
    ``nets`` = [(weights, biases, colour, label), ...] (first hidden layer)."""
    for Wt, bt, c, lab in nets:
        a = np.linalg.norm(Wt[1], axis=0)   # output weight(s) of each first-layer neuron
        ang, amp = th.orientation_amplitude(a, Wt[0][:, 0], bt[0])
        ax.scatter(ang, amp / amp.max(), s=5, color=c, alpha=0.7, label=lab)
    ax.set_title(title, fontsize=9.5)
    ax.set_xlabel(r"orientation of $(w_j, b_j)$ [rad]")
    ax.set_ylabel(r"amplitude $A_j$ / max")
    ax.set_xlim(-np.pi, np.pi)
    ax.legend(fontsize=7.5, loc="upper left", markerscale=2)


def _copies(Ws, bs, X, Y, K: int):
    """K copies of one network (weights, biases) and of its data, stacked as
    :func:`sim.train_two_layer_stack` takes them (K networks trained at once from the same
    initialisation, each on its own stream: the numbers of :func:`sim.train_two_layer`)."""
    def rep(a):
        return np.repeat(np.asarray(a)[None], K, axis=0)

    return [rep(W) for W in Ws], [rep(b) for b in bs], rep(X), rep(Y)


def _unstack(W, b, k: int):
    """Network k of stacked (weights, biases)."""
    return [Wi[k] for Wi in W], [bi[k] for bi in b]


def _history(history, k: int) -> np.ndarray:
    """Network k's rows (step, R_S, R_1) of a stacked training's ``history``, as
    :func:`sim.train_two_layer` returns them."""
    return np.array([(t, rs[k], r1[k]) for t, rs, r1 in history])


def _n_orient(W, b):
    return th.two_layer_orientations(W[:2] if len(W) == 2 else [W[0], W[1]], b)


# ------------------------------------------------------------------------------------------
# Fig. 1: two-layer ReLU network
# ------------------------------------------------------------------------------------------

FIG1_P = 0.9


def fig1(seed: int = 0, precision: str = "standard"):
    """Fig. 1: a two-layer ReLU network (width 500 at standard precision; printed 1000)
    fitted to f(x) = ½ReLU(−x − ⅓) + ½ReLU(x − ⅓) (Appendix A, 12 points on [−1, 1]) with
    and without dropout (p = 0.9), full-batch Adam, lr 1e-3 as printed, init N(0, m^-0.2): (a) the
    outputs — with dropout the fit is piecewise linear with few kinks (condensation);
    (b) R_S(θ + αd) along a filter-normalised random direction d — flatter with dropout.

    Claims: implicit_regularization.sec6.condensation, implicit_regularization.thm1.perturbations, implicit_regularization.thm2.flatness_decreases
    """
    s_init, s1, s2, s_dir = _streams(seed, "implicit_regularization.fig1", 4)
    m = WIDTH[precision]["1d"]
    steps = STEPS[precision]["fig1"]
    x = np.linspace(-1.0, 1.0, 12)[:, None]
    y = th.target_fig1(x[:, 0])[:, None]
    Ws, bs = sim.init_two_layer(1, m, 1, rng=s_init)
    W, b = sim.train_two_layer_stack(*_copies(Ws, bs, x, y, 2), p=[1.0, FIG1_P], steps=steps,
                                     lr=1e-3, rng=[s1, s2], activation="relu")
    runs = {p: _unstack(W, b, k) for k, p in enumerate((1.0, FIG1_P))}
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(10.5, 4.2))
    xx = np.linspace(-1.2, 1.2, 500)[:, None]
    alphas = np.linspace(-1.0, 1.0, 61)
    for p, c, lab in ((1.0, COLORS["mc"], "without dropout"),
                      (FIG1_P, COLORS["theory"], f"with dropout, p = {FIG1_P:g}")):
        W, b = runs[p]
        ax1.plot(xx[:, 0], th.forward(W, b, xx, "relu")[-1][:, 0], color=c, lw=1.6, label=lab)
        ax2.plot(alphas, sim.loss_cross_section(W, b, x, y, alphas, "relu", rng=s_dir),
                 color=c, lw=1.8, label=lab)
    ax1.plot(x[:, 0], y[:, 0], "o", color="black", ms=4, label="training points")
    ax1.set_xlabel("x")
    ax1.set_ylabel("output")
    ax1.set_title("(a) condensation: outputs", fontsize=10)
    ax1.legend(fontsize=8, loc="upper center")
    ax2.set_yscale("log")
    ax2.set_xlabel(r"$\alpha$ (step along the random direction $d$)")
    ax2.set_ylabel(r"$R_S(\theta + \alpha d)$")
    ax2.set_title("(b) flatness: loss along a random direction", fontsize=10)
    ax2.legend(fontsize=8, loc="upper center")
    fig.suptitle(f"Fig. 1: two-layer ReLU network, width {m}, trained with and without dropout",
                 fontsize=10)
    fig.tight_layout(rect=(0, 0.02, 1, 0.95))
    footer(fig, f"dropmc · seed {seed} · precision {precision} · width {m} (printed 1000), Adam "
                f"lr 1e-3, {steps:,} full-batch steps, 12 points on [-1, 1]")
    return fig


# ------------------------------------------------------------------------------------------
# Fig. 4 and Fig. 11(a)-style cross-sections: the 1-D tanh task
# ------------------------------------------------------------------------------------------

FIG4_P = 0.9
#: Adam learning rate of the 1-D tanh figures (Fig. 4, 5, 11); printed 1e-4
FIG4_LR = 1.5e-3


def _fig4_data():
    x = np.linspace(-15.0, 15.0, 20)[:, None]
    return x, th.target_fig4(x[:, 0])[:, None]


@study(maxsize=4)
def _fig4_runs(seed: int, precision: str):
    s_init, s_p1, s_p09 = _streams(seed, "implicit_regularization.fig4", 3)
    x, y = _fig4_data()
    Ws, bs = sim.init_two_layer(1, WIDTH[precision]["1d"], 1, rng=s_init)
    steps = STEPS[precision]["fig4"]
    hist = []
    W, b = sim.train_two_layer_stack(*_copies(Ws, bs, x, y, 2), p=[1.0, FIG4_P], steps=steps,
                                     lr=FIG4_LR, rng=[s_p1, s_p09],
                                     record_every=max(1, steps // 50), history=hist)
    runs = {p: (*_unstack(W, b, k), _history(hist, k)) for k, p in enumerate((1.0, FIG4_P))}
    return x, y, (Ws, bs), runs, steps


@study(maxsize=4)
def _fig4_three_layer(seed: int, precision: str):
    s_init, s_p1, s_p09 = _streams(seed, "implicit_regularization.fig4.3l", 3)
    x, y = _fig4_data()
    m = WIDTH[precision]["3l"]
    g = np.random.Generator(np.random.PCG64(s_init))
    sd = m ** -0.1
    Ws = [g.normal(0, sd, (m, 1)), g.normal(0, sd, (m, m)), g.normal(0, sd, (1, m))]
    bs = [g.normal(0, sd, m), g.normal(0, sd, m), g.normal(0, sd, 1)]
    steps = STEPS[precision]["fig4_3l"]
    runs = {p: sim.train_three_layer(Ws, bs, x, y, p=p, steps=steps, lr=2 * FIG4_LR, rng=s)
            for p, s in ((1.0, s_p1), (FIG4_P, s_p09))}
    return (Ws, bs), runs, steps, m


def fig4(seed: int = 0, precision: str = "standard"):
    """Fig. 4: tanh networks fitted to f(x) = tanh(x − 6) + tanh(x + 6) (Appendix A, 20
    points on [−15, 15]) without dropout and with dropout p = 0.9, from the same
    initialisation N(0, m^-0.2) (linear regime), full-batch Adam lr 1.5e-3 (three-layer 3e-3;
    printed 1e-4). Top row (a–d): a two-layer network of width 500 (printed 1000) — outputs,
    and the feature scatter (orientation of (w_j, b_j), normalised amplitude A_j) at
    initialisation and after training. Bottom row
    (e–h): a three-layer network (width 100 at standard precision, 1000 at high) with dropout
    after both hidden layers; features of the first hidden layer. With dropout the features
    condense on a few orientations; without, they stay near the initialisation.

    Claims: implicit_regularization.sec6.condensation, implicit_regularization.thm1.perturbations
    """
    x, y, (W0, b0), runs, steps = _fig4_runs(seed, precision)
    (W30, b30), runs3, steps3, m3 = _fig4_three_layer(seed, precision)
    fig, axes = new_figure(2, 4, figsize=(16, 7.6))
    xx = np.linspace(-17, 17, 600)[:, None]
    rows = (("two-layer", W0, b0, {p: runs[p][:2] for p in runs}, "abcd"),
            ("three-layer", W30, b30, runs3, "efgh"))
    for r, (name, Wi, bi, rr, tags) in enumerate(rows):
        for col, p in enumerate((1.0, FIG4_P)):
            W, b = rr[p]
            lab = "without dropout" if p == 1.0 else f"dropout p = {p:g}"
            ax = axes[r, col]
            ax.plot(xx[:, 0], th.forward(W, b, xx)[-1][:, 0], color=COLORS["theory"], lw=1.6,
                    label="network output")
            ax.plot(x[:, 0], y[:, 0], "o", color="black", ms=3.5, label="training points")
            rs = th.empirical_risk(W, b, x, y)
            ax.set_title(f"({tags[col]}) {name}, {lab}: output\n" + RS + f" = {rs:.2g}",
                         fontsize=9.5)
            ax.set_xlabel("x")
            ax.legend(fontsize=7.5, loc="upper left")
            _feature_scatter(axes[r, 2 + col],
                             [(Wi, bi, COLORS["theory"], "initial"),
                              (W, b, COLORS["accent"], "final")],
                             f"({tags[2 + col]}) {name}, {lab}: feature")
    fig.suptitle("Fig. 4: tanh networks on f(x) = tanh(x−6) + tanh(x+6); top: two-layer "
                 f"(width {W0[0].shape[0]}), bottom: three-layer (width {m3}); "
                 "dropout condenses the input weights", fontsize=10.5)
    fig.tight_layout(rect=(0, 0.02, 1, 0.96))
    footer(fig, f"dropmc · seed {seed} · precision {precision} · Adam lr {FIG4_LR:g} / "
                f"{2 * FIG4_LR:g} (printed 1e-4), {steps:,} / {steps3:,} full-batch steps; "
                f"two-layer width {W0[0].shape[0]} (printed 1000), "
                f"three-layer width {m3} (printed 1000)")
    return fig


def fig11(seed: int = 0, precision: str = "standard"):
    """Fig. 11(a)-style (Section 7.1): R_S(θ + αd) along filter-normalised random directions
    d around the two-layer networks of Fig. 4 (width 500, trained with and without dropout
    p = 0.9); the minimum found with dropout is flatter.

    Claims: implicit_regularization.thm2.flatness_decreases, implicit_regularization.sec7_2.trace_hessian
    """
    x, y, _, runs, steps = _fig4_runs(seed, precision)
    alphas = np.linspace(-1.0, 1.0, 81)
    n_dir = 6 if precision != "quick" else 3
    dir_streams = _streams(seed, "implicit_regularization.fig11", n_dir)
    fig, ax = new_figure(figsize=(6.8, 4.4))
    for p, c in ((1.0, COLORS["mc"]), (FIG4_P, COLORS["theory"])):
        W, b, _ = runs[p]
        curves = np.array([sim.loss_cross_section(W, b, x, y, alphas, rng=s)
                           for s in dir_streams])
        for k, cv in enumerate(curves):
            ax.plot(alphas, cv, color=c, lw=0.8, alpha=0.45,
                    label=(f"{'without' if p == 1 else 'with'} dropout (p = {p:g}), "
                           f"{n_dir} directions") if k == 0 else None)
        ax.plot(alphas, curves.mean(axis=0), color=c, lw=2.2,
                label=f"mean over directions, p = {p:g}")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\alpha$ (step along the filter-normalised direction $d$)")
    ax.set_ylabel(r"$R_S(\theta + \alpha d)$")
    ax.set_title("Fig. 11(a)-style flatness: minima found with and without dropout",
                 fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    footer(fig, f"dropmc · seed {seed} · precision {precision} · two-layer networks of Fig. 4 "
                f"({steps:,} Adam steps)")
    return fig


# ------------------------------------------------------------------------------------------
# Fig. 5: dynamics restarted from the R_S solution; Fig. 6: batch size 2
# ------------------------------------------------------------------------------------------

def fig5(seed: int = 0, precision: str = "standard"):
    """Fig. 5: the two-layer tanh network of Fig. 4 (width 500 at standard precision; printed
    1000) is first trained on R_S (full-batch Adam, lr 1.5e-3; printed 1e-4) until R_S is
    small; from that solution (dashed line) training continues with R_S, with R_S^drop
    (p = 0.9) or with the explicit R_S + R_1 (Eq. 6).
    Left: R_S during training; middle: outputs; right: features (orientation, normalised
    amplitude). Dropout and R_S + R_1 leave the R_S minimum and condense; R_S alone stays
    (decided on the 10-D task of Fig. 7 in sec6_1.restart_condenses).

    Claims: implicit_regularization.sec6_1.restart_condenses, implicit_regularization.sec6.condensation, implicit_regularization.sec5_1.dropout_vs_r1_training, implicit_regularization.lemma1.exact
    """
    s_init, s0, *s_br = _streams(seed, "implicit_regularization.fig5", 5)
    x, y = _fig4_data()
    m = WIDTH[precision]["1d"]
    steps = STEPS[precision]["fig5"]
    every = max(1, steps // 60)
    Ws, bs = sim.init_two_layer(1, m, 1, rng=s_init)
    W, b, h0 = sim.train_two_layer(Ws, bs, x, y, p=1.0, mode="plain", steps=steps,
                                   lr=FIG4_LR, rng=s0, record_every=every)
    legs = (("plain", 1.0, RS, COLORS["ref"]),
            ("dropout", FIG4_P, RS_DROP + f" (p = {FIG4_P:g})", COLORS["theory"]),
            ("r1", FIG4_P, RS_R1 + f" (p = {FIG4_P:g})", COLORS["accent"]))
    hist = []
    Wb, bb = sim.train_two_layer_stack(*_copies(W, b, x, y, len(legs)),
                                       p=[leg[1] for leg in legs], mode=[leg[0] for leg in legs],
                                       steps=2 * steps, lr=FIG4_LR, rng=s_br,
                                       record_every=every, history=hist)
    branches = {mode: (*_unstack(Wb, bb, k), _history(hist, k), lab, c)
                for k, (mode, _, lab, c) in enumerate(legs)}
    fig, axes = new_figure(1, 3, figsize=(15, 4.4))
    ax = axes[0]
    ax.plot(h0[:, 0], h0[:, 1], color="black", lw=1.6, label=f"{RS} (first stage)")
    for mode, (Wm, bm, h, lab, c) in branches.items():
        ax.plot(steps + h[:, 0], h[:, 1], color=c, lw=1.6, label=lab,
                ls="--" if mode == "r1" else "-")
    ax.axvline(steps, color="k", ls="--", lw=1)
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel(RS + " (training loss)")
    ax.set_title("(left) loss; the loss is switched at the dashed line", fontsize=9.5)
    ax.legend(fontsize=8)
    xx = np.linspace(-17, 17, 600)[:, None]
    ax = axes[1]
    for mode, (Wm, bm, h, lab, c) in branches.items():
        ax.plot(xx[:, 0], th.forward(Wm, bm, xx)[-1][:, 0], color=c, lw=1.4, label=lab,
                ls="--" if mode == "r1" else "-")
    ax.plot(x[:, 0], y[:, 0], "o", color="black", ms=3.5, label="training points")
    ax.set_xlabel("x")
    ax.set_title("(middle) outputs", fontsize=9.5)
    ax.legend(fontsize=8, loc="upper left")
    _feature_scatter(axes[2], [(Wm, bm, c, lab)
                               for Wm, bm, h, lab, c in branches.values()],
                     "(right) features after the second stage")
    fig.suptitle(f"Fig. 5: two-layer tanh network (width {m}) restarted from the {RS} "
                 f"solution with {RS}, {RS_DROP} or {RS_R1}", fontsize=10.5)
    fig.tight_layout(rect=(0, 0.02, 1, 0.95))
    footer(fig, f"dropmc · seed {seed} · precision {precision} · Adam lr {FIG4_LR:g} (printed "
                f"1e-4), {steps:,} steps on {RS} then {2 * steps:,} per branch")
    return fig


def fig6(seed: int = 0, precision: str = "standard"):
    """Fig. 6: the two-layer tanh network of Fig. 4 (width 500; printed 1000) trained
    without dropout by Adam on mini-batches of 2 samples, lr 1e-3 as printed: (a) output,
    (b) features at initialisation (blue) and after training (orange). SGD noise alone gives
    no significant condensation here (decided on the 10-D task of Fig. 7 at this lr in
    sec6_1.batch2_no_condensation; at lr 1e-2 batch-2 runs keep only 33–81% of the initial
    effective orientations, measured in sec6.condensation).

    Claims: implicit_regularization.sec6_1.batch2_no_condensation, implicit_regularization.sec6.condensation
    """
    s_init, s = _streams(seed, "implicit_regularization.fig6", 2)
    x, y = _fig4_data()
    m = WIDTH[precision]["1d"]
    steps = STEPS[precision]["fig6"]
    Ws, bs = sim.init_two_layer(1, m, 1, rng=s_init)
    W, b = sim.train_two_layer_minibatch(Ws, bs, x, y, batch_size=2, steps=steps, lr=1e-3,
                                         rng=s)
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(10.5, 4.2))
    xx = np.linspace(-17, 17, 600)[:, None]
    ax1.plot(xx[:, 0], th.forward(W, b, xx)[-1][:, 0], color=COLORS["theory"], lw=1.6,
             label="network output")
    ax1.plot(x[:, 0], y[:, 0], "o", color="black", ms=3.5, label="training points")
    ax1.set_xlabel("x")
    ax1.set_title(f"(a) batch size = 2, output ({RS} = {th.empirical_risk(W, b, x, y):.2g})",
                  fontsize=10)
    ax1.legend(fontsize=8, loc="upper left")
    _feature_scatter(ax2, [(Ws, bs, COLORS["theory"], "initial"),
                           (W, b, COLORS["accent"], "final")],
                     "(b) batch size = 2, feature")
    fig.suptitle(f"Fig. 6: two-layer tanh network (width {m}) trained with batch size 2, "
                 "no dropout: no condensation", fontsize=10)
    fig.tight_layout(rect=(0, 0.02, 1, 0.95))
    footer(fig, f"dropmc · seed {seed} · precision {precision} · width {m} (printed 1000), Adam "
                f"lr 1e-3, {steps:,} steps of 2 samples")
    return fig


# ------------------------------------------------------------------------------------------
# Fig. 2-style agreement and Fig. 7: the 10-D teacher task
# ------------------------------------------------------------------------------------------

def _teacher_data(seed_seq, n_train=30, n_test=1000):
    g = np.random.Generator(np.random.PCG64(seed_seq))
    X = g.normal(size=(n_train, 10))
    Xt = g.normal(size=(n_test, 10))
    return X, th.target_fig7(X)[:, None], Xt, th.target_fig7(Xt)[:, None]


def fig2(seed: int = 0, precision: str = "standard"):
    """Fig. 2-style (Section 5.1): R_S and R_1 at the end of training with R_S^drop and with
    the explicit loss R_S + R_1 for p = 0.5 … 0.9 (left), and the test error (right), for a
    10-100-1 tanh network on the teacher tanh(Σx_i) with 30 samples (the paper: MNIST,
    784-1000-10), full-batch GD lr 0.05 from one initialisation; the two trainings agree.

    Claims: implicit_regularization.sec5_1.dropout_vs_r1_training, implicit_regularization.lemma1.exact
    """
    ps = np.array([0.5, 0.6, 0.7, 0.8, 0.9])
    s_data, s_init, *s_runs = _streams(seed, "implicit_regularization.fig2", 2 + 2 * ps.size)
    X, Y, Xt, Yt = _teacher_data(s_data)
    Ws, bs = sim.init_two_layer(10, 100, 1, rng=s_init)
    steps = STEPS[precision]["fig2"]
    # the network trained on R_S alone, then R_S^drop and R_S + R1 at each p, all at once
    jobs = [(1.0, "plain")] + [(float(p), mode) for p in ps for mode in ("dropout", "r1")]
    W, b = sim.train_two_layer_stack(*_copies(Ws, bs, X, Y, len(jobs)),
                                     p=[p for p, _ in jobs], mode=[mode for _, mode in jobs],
                                     steps=steps, lr=0.05, optimizer="gd",
                                     rng=[s_init] + list(s_runs))
    plain_test = th.empirical_risk(*_unstack(W, b, 0), Xt, Yt)
    res = {"dropout": [], "r1": []}
    for k, (p, mode) in enumerate(jobs[1:], start=1):
        Wk, bk = _unstack(W, b, k)
        res[mode].append((th.empirical_risk(Wk, bk, X, Y), th.r1(Wk, bk, X, p),
                          th.empirical_risk(Wk, bk, Xt, Yt)))
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(11, 4.4))
    for mode, mk, lab in (("dropout", "o", "trained with " + RS_DROP),
                          ("r1", "s", "trained with " + RS_R1)):
        r = np.array(res[mode])
        ls = "-" if mode == "dropout" else "--"
        ax1.plot(ps, r[:, 0], marker=mk, color=COLORS["theory"], ls=ls, label=f"{RS}, {lab}")
        ax1.plot(ps, r[:, 1], marker=mk, color=COLORS["accent"], ls=ls, label=f"{R1}, {lab}")
        ax2.plot(ps, r[:, 2], marker=mk, color=COLORS["mc"] if mode == "dropout" else
                 COLORS["alt"], ls=ls, label=lab)
    ax2.axhline(plain_test, color=COLORS["ref"], ls=":", lw=1.5,
                label=f"trained with {RS} only (no dropout)")
    ax1.set_yscale("log")
    ax1.set_xlabel("p (keep probability)")
    ax1.set_ylabel("value at the end of training")
    ax1.set_title(f"(b)-style: {RS} and {R1} of the trained networks", fontsize=10)
    ax1.legend(fontsize=7.5, loc="best")
    ax2.set_yscale("log")
    ax2.set_xlabel("p (keep probability)")
    ax2.set_ylabel("test MSE (1000 points)")
    ax2.set_title("(a)-style: test error", fontsize=10)
    ax2.legend(fontsize=8)
    fig.suptitle(f"Fig. 2-style: training with {RS_DROP} and with {RS_R1} agree "
                 "(10-100-1 tanh network, teacher tanh(Σx_i), 30 samples)", fontsize=10)
    fig.tight_layout(rect=(0, 0.02, 1, 0.95))
    footer(fig, f"dropmc · seed {seed} · precision {precision} · full-batch GD, lr 0.05, "
                f"{steps:,} steps per run (the paper: MNIST, 784-1000-10)")
    return fig


def fig7(seed: int = 0, precision: str = "standard"):
    """Fig. 7(a, b): cosine similarity of the input weights (w_j, b_j) of a 10-100-1 tanh
    network trained on tanh(Σx_i) (30 samples, Adam lr 1e-3 as printed) with dropout p = 0.5
    (a) and without (b), neurons sorted by similarity to the largest; (c)-style: the
    effective ratio of Definition 1 during training (the paper's (c) is ResNet-18 on
    CIFAR-10, not rebuilt).

    Claims: implicit_regularization.sec6.condensation
    """
    s_data, s_init, s_a, s_b = _streams(seed, "implicit_regularization.fig7", 4)
    X, Y, _, _ = _teacher_data(s_data)
    Ws, bs = sim.init_two_layer(10, 100, 1, rng=s_init)
    steps = STEPS[precision]["fig7"]
    fig, axes = new_figure(1, 3, figsize=(14, 4.4))
    hists, snaps = [], []
    Wst, bst = sim.train_two_layer_stack(*_copies(Ws, bs, X, Y, 2), p=[0.5, 1.0], steps=steps,
                                         lr=1e-3, rng=[s_a, s_b],
                                         record_every=max(1, steps // 40), history=hists,
                                         snapshots=snaps)
    curves = {}
    for k, (ax, p, tag) in enumerate(((axes[0], 0.5, "a"), (axes[1], 1.0, "b"))):
        (W, b), hist = _unstack(Wst, bst, k), _history(hists, k)
        T = np.c_[W[0], b[0]]
        U = T / np.linalg.norm(T, axis=1)[:, None]
        ref = U[np.argmax(np.linalg.norm(T, axis=1))]
        order = np.argsort(U @ ref)
        im = ax.imshow(U[order] @ U[order].T, vmin=-1, vmax=1, cmap="RdBu_r")
        ax.set_title(f"({tag}) p = {p:g}, feature ({RS} = {hist[-1, 1]:.1g}, "
                     f"N = {_n_orient(W, b):.1f})", fontsize=9.5)
        ax.set_xlabel("neuron (sorted)")
        ax.set_ylabel("neuron (sorted)")
        ax.grid(False)
        curves[p] = ([t for t, _, _ in snaps],
                     [th.effective_ratio(np.c_[w1[k], b1[k]]) for _, w1, b1 in snaps])
    fig.colorbar(im, ax=axes[:2], shrink=0.8, label=r"cosine similarity of $(w_j, b_j)$")
    ax = axes[2]
    for p, c in ((0.5, COLORS["theory"]), (1.0, COLORS["mc"])):
        ax.plot(*curves[p], color=c, lw=2, label=f"p = {p:g}")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("training step")
    ax.set_ylabel(r"effective ratio $m^{\mathrm{eff}}/m$ (Definition 1)")
    ax.set_title("(c)-style: effective ratio during training", fontsize=9.5)
    ax.legend(fontsize=8)
    fig.suptitle("Fig. 7: 10-100-1 tanh network on tanh(Σx_i), 30 samples, with (p = 0.5) "
                 "and without dropout", fontsize=10)
    footer(fig, f"dropmc · seed {seed} · precision {precision} · Adam lr 1e-3, {steps:,} "
                "steps; m_eff by greedy cover (an upper bound on the minimum); N = effective "
                "number of orientations")
    return fig


FIG8 = {"quick": dict(width=60, steps=600, trials=2, ns=(2, 4, 8, 16)),
        "standard": dict(width=100, steps=4_000, trials=10, ns=(2, 3, 4, 6, 8, 12, 16)),
        "high": dict(width=1000, steps=20_000, trials=10, ns=(2, 3, 4, 5, 6, 8, 10, 14, 20))}
FIG8_PS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def fig8(seed: int = 0, precision: str = "standard"):
    """Fig. 8: test error of a two-layer tanh student (width 100 at standard precision; the
    paper: 1000) against the number of training samples (x ~ U(−15, 15)) and the keep
    probability p, for the two-neuron teacher tanh(x − 6) + tanh(x + 6) (6 free parameters,
    Appendix A); each cell is the mean over 10 trials with random initialisation and data, as
    printed; full-batch Adam, lr 1e-2 (printed 1e-4). With dropout the error falls once the
    samples outnumber the teacher's 6 parameters.

    Claims: implicit_regularization.sec6_1_3.generalization, implicit_regularization.sec6.condensation
    """
    cfg = FIG8[precision]
    ns, T, m = cfg["ns"], cfg["trials"], cfg["width"]
    streams = _streams(seed, "implicit_regularization.fig8", len(ns))
    # the same T data sets and initialisations for every p (paired comparison)
    err = sim.teacher_student_errors(ns, FIG8_PS, trials=T, width=m, steps=cfg["steps"],
                                     lr=1e-2, streams=streams).mean(axis=2)
    fig, ax = new_figure(figsize=(7.6, 4.6))
    im = ax.imshow(np.log10(err), origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(ns)), [str(n) for n in ns])
    ax.set_yticks(range(len(FIG8_PS)), [f"{p:g}" for p in FIG8_PS])
    ax.set_xlabel("number of training samples (dotted: 6 = the teacher's parameters)")
    ax.set_ylabel("p (keep probability; 1 = no dropout)")
    ax.axvline(np.searchsorted(ns, 6) - 0.5, color="w", ls=":", lw=1.2)
    med = np.median(np.log10(err))
    for a in range(len(FIG8_PS)):
        for b in range(len(ns)):
            ax.text(b, a, f"{err[a, b]:.2g}", ha="center", va="center", fontsize=7,
                    color="w" if np.log10(err[a, b]) < med else "k")
    fig.colorbar(im, ax=ax, label=r"$\log_{10}$ test MSE")
    ax.set_title("Fig. 8: teacher tanh(x−6) + tanh(x+6) (6 parameters), tanh student",
                 fontsize=10)
    ax.grid(False)
    footer(fig, f"dropmc · seed {seed} · precision {precision} · width {m} (printed 1000), "
                f"Adam lr 1e-2 (printed 1e-4), {cfg['steps']:,} steps, mean of {T} trial(s)")
    return fig


FIGURES = {
    "implicit_regularization_fig1": fig1,
    "implicit_regularization_fig2": fig2,
    "implicit_regularization_fig4": fig4,
    "implicit_regularization_fig5": fig5,
    "implicit_regularization_fig6": fig6,
    "implicit_regularization_fig7": fig7,
    "implicit_regularization_fig8": fig8,
    "implicit_regularization_fig11": fig11,
}
