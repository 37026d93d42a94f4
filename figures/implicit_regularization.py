"""Figures for "Implicit Regularization of Dropout" (``implicit_regularization``), rebuilt at
laptop scale with the NumPy training loop of :mod:`dropmc.simulations.implicit_regularization`
(full batch, no deep-learning framework).

* ``implicit_regularization_fig4`` — Fig. 4 top row: a two-layer tanh network of width 1000
  fitting f(x) = tanh(x − 6) + tanh(x + 6) (Appendix A) with and without dropout (p = 0.9):
  outputs, and the (orientation, normalised amplitude) scatter of the input weights at
  initialisation and after training (condensation).
* ``implicit_regularization_fig2`` — Fig. 2(b)-style: R_S and R1 at the end of training with
  dropout and with the explicit loss R_S + R1 (GD, small learning rate), for several p, on
  the 10-D teacher task; the test error beside them.
* ``implicit_regularization_fig7`` — Fig. 7(a, b): cosine similarity of the input weights of a
  10-100-1 tanh network trained on tanh(Σx_i) with p = 0.5 and p = 1, and the effective ratio
  of Definition 1 during training.
* ``implicit_regularization_fig8`` — Fig. 8: test error of the width-m tanh student of the
  Fig. 4 target against the number of samples and p (mean over trials).
* ``implicit_regularization_fig11`` — Section 7.1 / Fig. 11(a)-style: R_S(θ + αd) along
  filter-normalised random directions d around the minima found with and without dropout.
"""

from __future__ import annotations

import functools

import numpy as np

from dropmc.figures.style import COLORS, footer, new_figure
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

#: training steps per precision (Fig. 4 / Fig. 11, Fig. 2, Fig. 7)
STEPS = {
    "quick": {"fig4": 6_000, "fig2": 3_000, "fig7": 15_000},
    "standard": {"fig4": 40_000, "fig2": 20_000, "fig7": 100_000},
    "high": {"fig4": 150_000, "fig2": 60_000, "fig7": 300_000},
}


def _streams(seed: int, key: str, k: int):
    import zlib

    ss = np.random.SeedSequence(int(seed), spawn_key=(zlib.crc32(key.encode()),))
    return ss.spawn(k)


# ------------------------------------------------------------------------------------------
# Fig. 4 (top row) and Fig. 11(a)-style cross-sections: the 1-D tanh task
# ------------------------------------------------------------------------------------------

FIG4_WIDTH = 1000
FIG4_P = 0.9


@functools.lru_cache(maxsize=4)
def _fig4_runs(seed: int, precision: str):
    s_init, s_p1, s_p09 = _streams(seed, "implicit_regularization.fig4", 3)
    x = np.linspace(-15.0, 15.0, 20)[:, None]
    y = th.target_fig4(x[:, 0])[:, None]
    Ws, bs = sim.init_two_layer(1, FIG4_WIDTH, 1, rng=s_init)
    steps = STEPS[precision]["fig4"]
    runs = {}
    for p, s in ((1.0, s_p1), (FIG4_P, s_p09)):
        W, b, hist = sim.train_two_layer(Ws, bs, x, y, p=p, steps=steps, lr=1e-3, rng=s,
                                         record_every=max(1, steps // 50))
        runs[p] = (W, b, hist)
    return x, y, (Ws, bs), runs, steps


def fig4(seed: int = 0, precision: str = "standard"):
    """Fig. 4 (a)–(d): outputs and features of the two-layer tanh network, p = 1 vs 0.9."""
    x, y, (W0, b0), runs, steps = _fig4_runs(seed, precision)
    fig, axes = new_figure(2, 2, figsize=(10, 7.2))
    xx = np.linspace(-17, 17, 600)[:, None]
    for col, p in enumerate((1.0, FIG4_P)):
        W, b, hist = runs[p]
        ax = axes[0, col]
        ax.plot(xx[:, 0], th.forward(W, b, xx)[-1][:, 0], color=COLORS["theory"], lw=1.6,
                label="network output")
        ax.plot(x[:, 0], y[:, 0], "o", color="black", ms=4, label="training points")
        ax.set_title(f"({'ab'[col]}) p = {p:g}, output  (R_S = {hist[-1, 1]:.2g})")
        ax.set_xlabel("x")
        ax.legend(fontsize=8, loc="upper left")
        ax = axes[1, col]
        for (Wt, bt), c, lab in (((W0, b0), COLORS["theory"], "initial"),
                                 ((W, b), COLORS["accent"], "final")):
            ang, amp = th.orientation_amplitude(Wt[1][0], Wt[0][:, 0], bt[0])
            ax.scatter(ang, amp / amp.max(), s=5, color=c, alpha=0.7, label=lab)
        ax.set_title(f"({'cd'[col]}) p = {p:g}, feature")
        ax.set_xlabel("orientation of (w_j, b_j) [rad]")
        ax.set_ylabel("amplitude |a_j|·‖(w_j, b_j)‖ (normalised)")
        ax.set_xlim(-np.pi, np.pi)
        ax.legend(fontsize=8, loc="upper left")
    fig.suptitle("Fig. 4 top row: tanh NN (width 1000), f(x) = tanh(x−6) + tanh(x+6); "
                 "dropout condenses the input weights", fontsize=10)
    fig.tight_layout(rect=(0, 0.02, 1, 0.97))
    footer(fig, f"dropmc · seed {seed} · precision {precision} · Adam lr 1e-3, {steps:,} "
                f"full-batch steps, init N(0, m^-0.2), dropout masks per sample and step")
    return fig


def fig11(seed: int = 0, precision: str = "standard"):
    """Section 7.1: 1-D cross-sections of R_S along filter-normalised random directions."""
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
    ax.set_xlabel("α (step along the filter-normalised direction d)")
    ax.set_ylabel("R_S(θ + α d)")
    ax.set_title("Fig. 11(a)-style flatness: minima found with and without dropout")
    ax.legend(fontsize=8, loc="lower right")
    footer(fig, f"dropmc · seed {seed} · precision {precision} · networks of Fig. 4 "
                f"({steps:,} Adam steps)")
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
    """R_S and R1 at the end of training with R_S^drop and with R_S + R1 for several p."""
    ps = np.array([0.5, 0.6, 0.7, 0.8, 0.9])
    s_data, s_init, *s_runs = _streams(seed, "implicit_regularization.fig2", 2 + 2 * ps.size)
    X, Y, Xt, Yt = _teacher_data(s_data)
    Ws, bs = sim.init_two_layer(10, 100, 1, rng=s_init)
    steps = STEPS[precision]["fig2"]
    W, b, _ = sim.train_two_layer(Ws, bs, X, Y, p=1.0, mode="plain", steps=steps, lr=0.05,
                                  optimizer="gd", rng=s_init)
    plain_test = th.empirical_risk(W, b, Xt, Yt)
    res = {"dropout": [], "r1": []}
    for i, p in enumerate(ps):
        for j, mode in enumerate(("dropout", "r1")):
            W, b, _ = sim.train_two_layer(Ws, bs, X, Y, p=float(p), mode=mode, steps=steps,
                                          lr=0.05, optimizer="gd", rng=s_runs[2 * i + j])
            res[mode].append((th.empirical_risk(W, b, X, Y), th.r1(W, b, X, float(p)),
                              th.empirical_risk(W, b, Xt, Yt)))
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(10.5, 4.2))
    for mode, mk, lab in (("dropout", "o", "trained with R_S^drop (dropout)"),
                          ("r1", "s", "trained with R_S + R1")):
        r = np.array(res[mode])
        ax1.plot(ps, r[:, 0], marker=mk, color=COLORS["theory"], ls="-" if mode == "dropout"
                 else "--", label=f"R_S, {lab}")
        ax1.plot(ps, r[:, 1], marker=mk, color=COLORS["accent"], ls="-" if mode == "dropout"
                 else "--", label=f"R1, {lab}")
        ax2.plot(ps, r[:, 2], marker=mk, color=COLORS["mc"] if mode == "dropout" else
                 COLORS["alt"], label=lab)
    ax2.axhline(plain_test, color=COLORS["ref"], ls=":", lw=1.5,
                label="trained with R_S only (no dropout)")
    ax1.set_yscale("log")
    ax1.set_xlabel("p (keep probability)")
    ax1.set_ylabel("value at the end of training")
    ax1.set_title("(b)-style: R_S and R1 of the trained networks")
    ax1.legend(fontsize=7)
    ax2.set_yscale("log")
    ax2.set_xlabel("p (keep probability)")
    ax2.set_ylabel("test MSE (1000 points)")
    ax2.set_title("(a)-style: test error")
    ax2.legend(fontsize=8)
    fig.suptitle("Fig. 2-style: dropout training and R_S + R1 training agree "
                 "(10-100-1 tanh network, teacher tanh(Σx_i), 30 samples)", fontsize=10)
    fig.tight_layout(rect=(0, 0.02, 1, 0.95))
    footer(fig, f"dropmc · seed {seed} · precision {precision} · full-batch GD, lr 0.05, "
                f"{steps:,} steps per run")
    return fig


def fig7(seed: int = 0, precision: str = "standard"):
    """Fig. 7(a, b) and Definition 1: input-weight similarity with p = 0.5 and p = 1."""
    s_data, s_init, s_a, s_b = _streams(seed, "implicit_regularization.fig7", 4)
    X, Y, _, _ = _teacher_data(s_data)
    Ws, bs = sim.init_two_layer(10, 100, 1, rng=s_init)
    steps = STEPS[precision]["fig7"]
    fig, axes = new_figure(1, 3, figsize=(13.5, 4.2))
    curves = {}
    for ax, p, s, tag in ((axes[0], 0.5, s_a, "a"), (axes[1], 1.0, s_b, "b")):
        snaps = []
        W, b, hist = sim.train_two_layer(Ws, bs, X, Y, p=p, steps=steps, lr=1e-3, rng=s,
                                         record_every=max(1, steps // 40), snapshots=snaps)
        T = np.c_[W[0], b[0]]
        U = T / np.linalg.norm(T, axis=1)[:, None]
        ref = U[np.argmax(np.linalg.norm(T, axis=1))]
        order = np.argsort(U @ ref)
        im = ax.imshow(U[order] @ U[order].T, vmin=-1, vmax=1, cmap="RdBu_r")
        ax.set_title(f"({tag}) p = {p:g} (R_S = {hist[-1, 1]:.1g})", fontsize=10)
        ax.set_xlabel("neuron (sorted)")
        ax.set_ylabel("neuron (sorted)")
        curves[p] = ([t for t, _, _ in snaps],
                     [th.effective_ratio(np.c_[w1, b1]) for _, w1, b1 in snaps])
    fig.colorbar(im, ax=axes[:2], shrink=0.8, label="cosine similarity of input weights "
                                                   "(w_j, b_j)")
    ax = axes[2]
    for p, c in ((0.5, COLORS["theory"]), (1.0, COLORS["mc"])):
        ax.plot(*curves[p], color=c, lw=2, label=f"p = {p:g}")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("training step")
    ax.set_ylabel("effective ratio m_eff / m (Definition 1)")
    ax.set_title("(c)-style: effective ratio during training")
    ax.legend(fontsize=8)
    fig.suptitle("Fig. 7: 10-100-1 tanh network on tanh(Σx_i), 30 samples, with (p = 0.5) "
                 "and without dropout", fontsize=10)
    footer(fig, f"dropmc · seed {seed} · precision {precision} · Adam lr 1e-3, {steps:,} "
                "steps; m_eff by greedy cover (an upper bound on the minimum)")
    return fig


FIG8 = {"quick": dict(width=100, steps=1_500, trials=1, ns=(2, 4, 8, 12, 20)),
        "standard": dict(width=300, steps=6_000, trials=3, ns=(2, 3, 4, 6, 8, 10, 14, 20)),
        "high": dict(width=1000, steps=20_000, trials=10, ns=(2, 3, 4, 5, 6, 8, 10, 14, 20))}


def fig8(seed: int = 0, precision: str = "standard"):
    """Fig. 8: test error of a two-layer tanh student vs the number of samples and p, for the
    two-neuron teacher tanh(x − 6) + tanh(x + 6) (6 free parameters, Appendix A)."""
    cfg = FIG8[precision]
    ps = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
    ns = cfg["ns"]
    streams = _streams(seed, "implicit_regularization.fig8", len(ps) * len(ns) * cfg["trials"] * 3)
    xt = np.linspace(-15, 15, 400)[:, None]
    yt = th.target_fig4(xt[:, 0])[:, None]
    err = np.zeros((len(ps), len(ns)))
    k = 0
    for a, p in enumerate(ps):
        for b, n in enumerate(ns):
            acc = 0.0
            for _ in range(cfg["trials"]):
                g = np.random.Generator(np.random.PCG64(streams[k]))
                x = np.sort(g.uniform(-15, 15, n))[:, None]
                y = th.target_fig4(x[:, 0])[:, None]
                Ws, bs = sim.init_two_layer(1, cfg["width"], 1, rng=streams[k + 1])
                W, bb, _ = sim.train_two_layer(Ws, bs, x, y, p=p, steps=cfg["steps"], lr=1e-3,
                                               rng=streams[k + 2])
                acc += 2.0 * th.empirical_risk(W, bb, xt, yt)
                k += 3
            err[a, b] = acc / cfg["trials"]
    fig, ax = new_figure(figsize=(7.2, 4.4))
    im = ax.imshow(np.log10(err), origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(ns)), [str(n) for n in ns])
    ax.set_yticks(range(len(ps)), [f"{p:g}" for p in ps])
    ax.set_xlabel("number of training samples")
    ax.set_ylabel("p (keep probability)")
    ax.axvline(ns.index(6) if 6 in ns else np.searchsorted(ns, 6) - 0.5, color="w", ls=":",
               lw=1)
    for a in range(len(ps)):
        for b in range(len(ns)):
            ax.text(b, a, f"{err[a, b]:.2g}", ha="center", va="center", fontsize=6.5,
                    color="w" if np.log10(err[a, b]) < np.median(np.log10(err)) else "k")
    fig.colorbar(im, ax=ax, label="log10 test MSE")
    ax.set_title("Fig. 8: teacher tanh(x−6) + tanh(x+6) (6 parameters), tanh student",
                 fontsize=10)
    ax.grid(False)
    footer(fig, f"dropmc · seed {seed} · precision {precision} · width {cfg['width']}, Adam lr "
                f"1e-3, {cfg['steps']:,} steps, mean of {cfg['trials']} trial(s), x ~ U(−15, 15)")
    return fig


FIGURES = {
    "implicit_regularization_fig4": fig4,
    "implicit_regularization_fig2": fig2,
    "implicit_regularization_fig7": fig7,
    "implicit_regularization_fig11": fig11,
    "implicit_regularization_fig8": fig8,
}
