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


# ------------------------------------------------------------------------------------------
# Figs. 11.1–11.3: sparsity and the learning phases of the dropout-trained digits network
# ------------------------------------------------------------------------------------------

_PH_N = {"quick": 300, "standard": 2000, "high": 5000}


def _ph_samples(net, I, n, units, rng):
    """O of the given units over ``n`` dropout subnetworks of ``net`` for one input (numpy)."""
    y = I * (rng.random((n, I.size)) < net.ps[0])
    Os = []
    for l in range(len(net.Ws)):
        O = 1 / (1 + np.exp(-(y @ net.Ws[l].T + net.bs[l])))
        Os.append(O)
        if l < len(net.Ws) - 1:
            y = O * (rng.random(O.shape) < net.ps[l + 1])
    return np.concatenate(Os, axis=1)[:, units]


def fig11_1(seed: int = 0, precision: str = "standard"):
    """Fig. 11.1: empirical distribution of the final activations (ensemble network, Eq. 98)
    of each hidden layer of the dropout-trained digits network over all 449 test images.

    Claims: ensemble_averaging.fig11_1.sparse_activations
    """
    import matplotlib.pyplot as plt

    c = sim.digits_classifier()
    lay = c.final.unit_layer()
    W = c.final.ensemble_flat(c.X_test)[1]
    fig, axs = plt.subplots(1, 4, figsize=(12, 3), sharey=True)
    for l, ax in zip(_HIDDEN, axs):
        w = W[:, lay == l].ravel()
        ax.hist(w, bins=np.linspace(0, 1, 41), color="tab:blue")
        ax.set_yscale("log")
        ax.set_title(f"hidden layer {l}: {np.mean(w < 0.1):.0%} below 0.1", fontsize=9)
        ax.set_xlabel("activation")
    axs[0].set_ylabel("count")
    fig.suptitle("Fig. 11.1: final activations of the dropout-trained digits network", fontsize=11)
    fig.tight_layout()
    _net_footer(fig, seed, precision, 0, " · ensemble activations of 449 test images")
    return fig


def fig11_2(seed: int = 0, precision: str = "standard"):
    """Fig. 11.2: the three phases of learning for one fixed input (the first of the 10):
    a typical active neuron (red) and a typical inactive one (blue) of hidden layer 2 — active
    = final mean activity > 0.1; "typical" = the median of the group by the largest dropout SD
    over training — mean activation with 5 % and 95 % percentiles over dropout subnetworks at
    each snapshot (numpy sampling, the same subnetworks for both neurons).

    Claims: ensemble_averaging.sec11_7.phase3_stabilizes,
    ensemble_averaging.fig11_2.inactive_variance_minimal
    """
    import matplotlib.pyplot as plt

    c = sim.digits_classifier()
    n = _PH_N[precision]
    I = sim.digits_inputs()[0]
    idx = np.flatnonzero(c.final.unit_layer() == 2)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11, 2]))
    eps, samples = [], []
    for ep, net in c.snapshots:
        eps.append(max(ep, 0.5))
        samples.append(_ph_samples(net, I, n, idx, rng))
    S = np.array(samples)                       # (T, n, units)
    mean, sd = S.mean(axis=1), S.std(axis=1)
    peak = sd.max(axis=0)

    def typical(group):
        g = np.flatnonzero(group)
        return g[np.argsort(peak[g])[g.size // 2]]

    picks = [(typical(mean[-1] > 0.1), "tab:red", "active"),
             (typical(mean[-1] < 0.1), "tab:blue", "inactive")]
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for k, col, name in picks:
        lo, hi = np.percentile(S[:, :, k], [5, 95], axis=1)
        ax.plot(eps, mean[:, k], color=col, label=f"{name} neuron (mean; final SD {sd[-1, k]:.3f})")
        ax.fill_between(eps, lo, hi, color=col, alpha=0.25)
    ax.set_xscale("log")
    ax.set_xlabel("epoch (0 drawn at 0.5)")
    ax.set_ylabel("activation: mean, 5 %–95 % over subnetworks")
    ax.legend(fontsize=8)
    fig.suptitle("Fig. 11.2: the three phases of learning (hidden layer 2, one input)", fontsize=11)
    fig.tight_layout()
    _net_footer(fig, seed, precision, n, " (one input)")
    return fig


def fig11_3(seed: int = 0, precision: str = "standard"):
    """Fig. 11.3: dropout standard deviation of the active neurons (final activity > 0.1) of
    each hidden layer over training: mean over the active unit-inputs (10 inputs pooled) with
    5 % and 95 % percentiles. On the digits network the top hidden layer's SD is ~30 % larger
    than the first's (the caption's "does not increase" fails).

    Claims: ensemble_averaging.fig11_3.active_sd_upper_layers
    """
    import matplotlib.pyplot as plt

    c = sim.digits_classifier()
    end = c.snapshots[-1][0]
    dE, n = _net_study(seed, precision, end, time_series=True)
    act = (dE["W"] > 0.1)
    fig, ax = plt.subplots(figsize=(6.5, 4))
    cols = ["tab:blue", "tab:orange", "tab:green", "tab:red"]
    eps = [e for e, _ in c.snapshots]
    for l, col in zip(_HIDDEN, cols):
        m = act & _layer_mask(dE["mc"], l)
        rows = []
        for ep in eps:
            d, _ = _net_study(seed, precision, ep, time_series=True)
            sd = np.sqrt(np.maximum(d["mc"].V()[0], 0.0))[m]
            rows.append((sd.mean(), *np.percentile(sd, [5, 95])))
        r = np.array(rows)
        x = [max(e, 0.5) for e in eps]
        ax.plot(x, r[:, 0], color=col, label=f"hidden layer {l} ({int(m.sum())} active)")
        ax.fill_between(x, r[:, 1], r[:, 2], color=col, alpha=0.12)
    ax.set_xscale("log")
    ax.set_xlabel("epoch (0 drawn at 0.5)")
    ax.set_ylabel("dropout SD of active neurons")
    ax.legend(fontsize=8)
    fig.suptitle("Fig. 11.3: consistency of active neurons per layer", fontsize=11)
    fig.tight_layout()
    _net_footer(fig, seed, precision, n)
    return fig


FIGURES.update({"ensemble_averaging_fig11_1": fig11_1, "ensemble_averaging_fig11_2": fig11_2,
                "ensemble_averaging_fig11_3": fig11_3})


# ------------------------------------------------------------------------------------------
# Figs. 9.3–9.15: the dropout-trained deep logistic classifier (Sections 9.5–9.6)
# ------------------------------------------------------------------------------------------

_NET_N = {"quick": 400, "standard": 10000, "high": 10000}
_NET_N_TIME = {"quick": 150, "standard": 2000, "high": 5000}
_NET_PAIRS = 3000
_HIDDEN = (1, 2, 3, 4)


def _net_study(seed, precision, epoch, pairs=0, time_series=False):
    n = (_NET_N_TIME if time_series else _NET_N)[precision]
    return sim.digits_study(int(epoch), n, int(seed), pairs), n


def _net_epochs():
    c = sim.digits_classifier()
    return 0, c.snapshots[-1][0]


def _net_footer(fig, seed, precision, n, extra=""):
    c = sim.digits_classifier()
    st = c.settings
    footer(fig, f"dropmc · seed {seed} · {precision} · {'-'.join(map(str, c.final.sizes))} logistic, "
                f"dropout p {st['p_in']}/{st['p_hidden']}, {st['epochs']} epochs Adam, test acc. "
                f"{c.test_accuracy:.1%} · {sim.DIGITS_N_INPUTS} inputs × {n} subnetworks{extra}")


def _layer_mask(mc, l):
    return np.broadcast_to(mc.layer == l, mc.mean["O"].shape)


def _bounds_figure(seed, precision, which: str, title: str):
    d, n = _net_study(seed, precision, _net_epochs()[1])
    mc = d["mc"]
    E, _ = mc.E()
    V, _ = mc.V()
    N, _ = mc.NWGM()
    approx = (th.eq87_chain(E, V)[0] if which == "87" else np.abs(E - th.eq202_nwgm(E, V)))
    b1, b2 = th.eq87_chain(E, V)[1:3]
    fig, axs = new_figure(4, 2, figsize=(9.0, 11.0), sharex=True)
    for r, l in enumerate(_HIDDEN):
        m = _layer_mask(mc, l)
        for c, (dev, lab) in enumerate(((np.abs(E - N), "|E − NWGM|"), (np.abs(E - d["W"]), "|E − W|"))):
            ax = axs[r, c]
            ax.scatter(E[m], b2[m], s=3, color=COLORS["ref"], lw=0, alpha=0.5, label="Bound 2")
            ax.scatter(E[m], b1[m], s=3, color=COLORS["alt"], lw=0, alpha=0.5, label="Bound 1")
            ax.scatter(E[m], approx[m], s=3, color=COLORS["theory"], lw=0, alpha=0.6,
                       label="V|1−2E|/(1−2V) (Eq. 87)" if which == "87" else "|E − Eq. 202|")
            ax.scatter(E[m], dev[m], s=3, color=COLORS["mc"], lw=0, alpha=0.7, label=lab)
            above = float(np.mean(dev[m] > b1[m]))
            ax.set_title(f"hidden layer {l}: {lab} ({above:.0%} above Bound 1)", fontsize=9)
            ax.set_ylabel(lab, fontsize=8)
    for ax in axs[-1]:
        ax.set_xlabel("E(O) (Monte Carlo)")
    axs[0, 0].legend(fontsize=7, markerscale=3, loc="upper left")
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    _net_footer(fig, seed, precision, n, " · after training")
    return fig


def fig9_3(seed: int = 0, precision: str = "standard"):
    """Fig. 9.3: |E − NWGM| (left) and |E − W| (right) against E for every unit of the four
    hidden layers of the dropout-trained digits classifier (64-128-128-128-128-10, p = 0.8
    input / 0.5 hidden, 200 epochs of Adam; test accuracy 96.7 %), 10 test inputs × 10,000
    dropout subnetworks (400 at quick precision), after training, with the Eq. 87 second-order
    approximation V|1 − 2E|/(1 − 2V), Bound 1 and Bound 2.

    Claims: ensemble_averaging.fig9_3.nwgm_within_bounds, ensemble_averaging.fig9_3.w_within_bounds
    """
    return _bounds_figure(seed, precision, "87",
                          "Fig. 9.3: deviations of NWGM and W from E(O), with Eq. 87's bounds")


def fig9_4(seed: int = 0, precision: str = "standard"):
    """Fig. 9.4: as Fig. 9.3 with the expansion around the mean (Appendix B, Eq. 202) in place
    of Eq. 87's approximation (blue: |E − Eq. 202(E, V)|); digits classifier 64-128×4-10 after
    dropout training (test accuracy 96.7 %), 10 inputs × 10,000 subnetworks.

    Claims: ensemble_averaging.fig9_4_5.eq202_more_accurate, ensemble_averaging.fig9_3.nwgm_within_bounds
    """
    return _bounds_figure(seed, precision, "202",
                          "Fig. 9.4: deviations of NWGM and W from E(O), with Eq. 202")


def fig9_5(seed: int = 0, precision: str = "standard"):
    """Fig. 9.5: per hidden layer, the error of the two second-order approximations of the
    NWGM — Approximation 1 (Eq. 87, around 0.5: (E − V)/(1 − 2V)) and Approximation 2 (Eq. 202,
    around E) — as histograms (right) and against E (left); digits classifier 64-128×4-10 after
    dropout training (test accuracy 96.7 %), 10 inputs × 10,000 subnetworks.

    Claims: ensemble_averaging.fig9_4_5.eq202_more_accurate
    """
    d, n = _net_study(seed, precision, _net_epochs()[1])
    mc = d["mc"]
    E, _ = mc.E()
    V, _ = mc.V()
    N, _ = mc.NWGM()
    e1, e2 = N - th.second_order_nwgm(E, V), N - th.eq202_nwgm(E, V)
    fig, axs = new_figure(4, 2, figsize=(9.0, 11.0))
    for r, l in enumerate(_HIDDEN):
        m = _layer_mask(mc, l)
        a = axs[r, 0]
        a.scatter(E[m], e1[m], s=3, lw=0, color=COLORS["theory"], alpha=0.6, label="Approx. 1 (Eq. 87)")
        a.scatter(E[m], e2[m], s=3, lw=0, color=COLORS["mc"], alpha=0.6, label="Approx. 2 (Eq. 202)")
        a.axhline(0, color="#444", lw=0.6)
        a.set_ylabel("NWGM − approximation", fontsize=8)
        a.set_title(f"hidden layer {l}", fontsize=9)
        b = axs[r, 1]
        lim = np.quantile(np.abs(np.concatenate([e1[m], e2[m]])), 0.99)
        bins = np.linspace(-lim, lim, 41)
        b.hist([e1[m], e2[m]], bins=bins, color=[COLORS["theory"], COLORS["mc"]],
               label=[f"Approx. 1: mean |err| {np.abs(e1[m]).mean():.3g}",
                      f"Approx. 2: mean |err| {np.abs(e2[m]).mean():.3g}"])
        b.legend(fontsize=7)
    axs[-1, 0].set_xlabel("E(O)")
    axs[-1, 1].set_xlabel("NWGM − approximation")
    axs[0, 0].legend(fontsize=7, markerscale=3)
    fig.suptitle("Fig. 9.5: Eq. 87 (around 0.5) vs Eq. 202 (around E) as approximations of the NWGM",
                 fontsize=11)
    fig.tight_layout()
    _net_footer(fig, seed, precision, n, " · after training")
    return fig


def _gauss_figure(seed, precision, which: str, title: str):
    from scipy import stats

    fig, axs = new_figure(4, 2, figsize=(9.0, 11.0))
    for c, (stage, ep) in enumerate(zip(("before training", "after training"), _net_epochs())):
        d, n = _net_study(seed, precision, ep)
        mc = d["mc"]
        E, _ = mc.E()
        A = mc.NWGM()[0] if which == "NWGM" else d["W"]
        for r, l in enumerate(_HIDDEN):
            ax = axs[r, c]
            x = (A - E)[_layer_mask(mc, l)]
            ax.hist(x, bins=50, density=True, color=COLORS["mc"], alpha=0.6)
            mu, sd = x.mean(), x.std()
            g = np.linspace(x.min(), x.max(), 300)
            ax.plot(g, stats.norm.pdf(g, mu, sd), color=COLORS["theory"], lw=1.5)
            ax.set_title(f"{stage}, hidden layer {l}: skew {stats.skew(x):.2f}, "
                         f"ex. kurt {stats.kurtosis(x):.2f}", fontsize=8)
            ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 3))
    axs[-1, 0].set_xlabel(f"{which} − E")
    axs[-1, 1].set_xlabel(f"{which} − E")
    fig.suptitle(title + " (curve: normal with the same mean and sd)", fontsize=10)
    fig.tight_layout()
    _net_footer(fig, seed, precision, n)
    return fig


def fig9_6(seed: int = 0, precision: str = "standard"):
    """Fig. 9.6: histograms of NWGM − E per hidden layer, before (left) and after (right)
    dropout training of the digits classifier 64-128×4-10 (test accuracy 96.7 %), 10 inputs ×
    10,000 subnetworks, with the normal law of the same mean and sd.

    Claims: ensemble_averaging.fig9_6.nwgm_minus_e_gaussian, ensemble_averaging.sec9_5.net_deviations_centred_small, ensemble_averaging.fig9_6.layer_one_tight_before
    """
    return _gauss_figure(seed, precision, "NWGM", "Fig. 9.6: NWGM − E")


def fig9_7(seed: int = 0, precision: str = "standard"):
    """Fig. 9.7: histograms of W − E per hidden layer, before (left) and after (right) dropout
    training of the digits classifier 64-128×4-10 (test accuracy 96.7 %), 10 inputs × 10,000
    subnetworks (before training W − E is at the Monte Carlo noise level of E).

    Claims: ensemble_averaging.fig9_7.w_minus_e_gaussian, ensemble_averaging.sec9_5.net_deviations_centred_small, ensemble_averaging.sec9_5.net_no_accumulation
    """
    return _gauss_figure(seed, precision, "W", "Fig. 9.7: W − E")


def _two_stage_hist(seed, precision, series, title, xlabel, pairs=0, extra=""):
    """Histograms before/after training; ``series(d)`` returns [(values, label, colour)]."""
    fig, axs = new_figure(1, 2, figsize=(9.5, 3.8))
    for ax, stage, ep in zip(axs, ("before training", "after training"), _net_epochs()):
        d, n = _net_study(seed, precision, ep, pairs)
        ser = series(d)
        allv = np.concatenate([v.ravel() for v, _, _ in ser])
        lo, hi = np.quantile(allv, [0.002, 0.998])
        bins = np.linspace(lo, hi if hi > lo else lo + 1e-12, 60)
        for v, lab, col in ser:
            ax.hist(np.clip(v.ravel(), lo, hi), bins=bins, color=col, alpha=0.55,
                    label=f"{lab} (mean |·| {np.abs(v).mean():.3g})")
        ax.set_yscale("log")  # the bulk sits near 0; the log scale shows the tails
        ax.set_title(stage, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("count (log scale)")
        ax.legend(fontsize=7)
        ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 3))
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    _net_footer(fig, seed, precision, n, extra)
    return fig


def fig9_8(seed: int = 0, precision: str = "standard"):
    """Fig. 9.8: E(O²) − W (Eq. 117, Var ≈ W(1 − W)) and E(O²) − W² (Eq. 118, Var ≈ 0) over all
    non-input units × 10 inputs, before and after dropout training of the digits classifier
    64-128×4-10 (test accuracy 96.7 %), 10,000 subnetworks per input.

    Claims: ensemble_averaging.fig9_8_9.var_rough_upper_bound, ensemble_averaging.sec9_6.net_zero_better_at_ends
    """
    def series(d):
        E2 = d["mc"].mean["O2"]
        return [(E2 - d["W"], "E(O²) − W  (Eq. 117)", COLORS["theory"]),
                (E2 - d["W"] ** 2, "E(O²) − W²  (Eq. 118)", COLORS["mc"])]
    return _two_stage_hist(seed, precision, series, "Fig. 9.8: E(O²) approximated by W and by W²",
                           "E(O²) − approximation")


def fig9_9(seed: int = 0, precision: str = "standard"):
    """Fig. 9.9: Var(O) − W(1 − W) over all non-input units × 10 inputs, before and after dropout
    training of the digits classifier 64-128×4-10 (test accuracy 96.7 %), 10,000 subnetworks per
    input (before training E ≈ W ≈ 0.5, Var ≈ 0, W(1 − W) ≈ 0.25).

    Claims: ensemble_averaging.fig9_8_9.var_rough_upper_bound, ensemble_averaging.fig9_9.initial_state
    """
    def series(d):
        return [(d["mc"].V()[0] - th.eq117_var(d["W"]), "Var(O) − W(1 − W)", COLORS["mc"])]
    return _two_stage_hist(seed, precision, series,
                           "Fig. 9.9: dropout variance minus its approximate upper bound W(1 − W)",
                           "Var(O) − W(1 − W)")


def _time_series(seed, precision):
    c = sim.digits_classifier()
    rows = []
    for ep, _ in c.snapshots:
        d, n = _net_study(seed, precision, ep, time_series=True)
        mc = d["mc"]
        V, dV = mc.V()
        ww = th.eq117_var(d["W"])
        m = np.broadcast_to(mc.layer < mc.layer.max(), V.shape)
        k = int(m.sum())
        dv = np.array([dV[:, b][m].sum() for b in range(dV.shape[1])]) / k
        B = mc.weights.size
        se = float(np.sqrt(B / (B - 1) * np.sum((mc.weights * dv) ** 2)))
        rows.append((ep, float(V[m].mean()), float(ww[m].mean()), se))
    acc = dict(c.accuracy_curve)
    return np.array(rows), n, acc


def fig9_10(seed: int = 0, precision: str = "standard"):
    """Fig. 9.10: mean dropout variance Var(O) over the hidden units (10 inputs × 2,000
    subnetworks per snapshot; 150 at quick precision) at each snapshot of the dropout training
    of the digits classifier 64-128×4-10 (epochs 0–200; test accuracy of the ensemble network
    on the right axis, 96.7 % at the end).

    Claims: ensemble_averaging.fig9_10_11.var_larger_during_learning, ensemble_averaging.sec9_6.net_zero_better_at_ends
    """
    rows, n, acc = _time_series(seed, precision)
    fig, ax = new_figure(figsize=(7.0, 4.2))
    x = np.maximum(rows[:, 0], 0.5)
    ax.errorbar(x, rows[:, 1], yerr=4.5 * rows[:, 3], fmt="o-", color=COLORS["mc"], ms=4,
                label="mean Var(O) over hidden units (bars ±4.5 SE)")
    ax.set_xscale("log")
    ax.set_xlabel("epoch (0 plotted at 0.5)")
    ax.set_ylabel("mean dropout variance V(O)")
    a2 = ax.twinx()
    ea = sorted(acc)
    a2.plot(ea, [acc[e] for e in ea], "s:", color=COLORS["ref"], ms=3, label="test accuracy")
    a2.set_ylabel("test accuracy (ensemble network)", color=COLORS["ref"])
    a2.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title("Fig. 9.10: dropout variance during training", fontsize=11)
    fig.tight_layout()
    _net_footer(fig, seed, precision, n, " · per snapshot")
    return fig


def fig9_11(seed: int = 0, precision: str = "standard"):
    """Fig. 9.11: mean of W(1 − W) − Var(O) over the hidden units at each snapshot of the dropout
    training of the digits classifier 64-128×4-10 (epochs 0–200), with mean Var(O) for
    comparison; 10 inputs × 2,000 subnetworks per snapshot (150 at quick precision).

    Claims: ensemble_averaging.fig9_10_11.var_larger_during_learning
    """
    rows, n, _ = _time_series(seed, precision)
    fig, ax = new_figure(figsize=(7.0, 4.2))
    x = np.maximum(rows[:, 0], 0.5)
    ax.plot(x, rows[:, 2] - rows[:, 1], "o-", color=COLORS["theory"], ms=4,
            label="mean W(1 − W) − V  (error of Eq. 117)")
    ax.plot(x, rows[:, 1], "s--", color=COLORS["mc"], ms=4, label="mean V  (error of Eq. 118, '0')")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("epoch (0 plotted at 0.5)")
    ax.set_ylabel("averaged over hidden units")
    ax.legend(fontsize=8)
    ax.set_title("Fig. 9.11: W(1 − W) − V during training", fontsize=11)
    fig.tight_layout()
    _net_footer(fig, seed, precision, n, " · per snapshot")
    return fig


def _pair_values(d, connected: bool):
    mc = d["mc"]
    k = d["unconnected"].shape[0]
    P = mc.mean["pair"]
    P = P[:, k:] if connected else P[:, :k]
    pr = d["connected"] if connected else d["unconnected"]
    Wi, Wj = d["W"][:, pr[:, 0]], d["W"][:, pr[:, 1]]
    return P, Wi, Wj, pr


def fig9_12(seed: int = 0, precision: str = "standard"):
    """Fig. 9.12: E(O_iO_j) − W_iW_j (Eq. 119) for 3,000 pairs of unconnected non-input units
    (drawn uniformly; the paper: 100,000) × 10 inputs, before and after dropout training of the
    digits classifier 64-128×4-10 (test accuracy 96.7 %), 10,000 subnetworks per input.

    Claims: ensemble_averaging.fig9_12_13.eq119_much_better_than_zero
    """
    def series(d):
        P, Wi, Wj, _ = _pair_values(d, False)
        return [(P - Wi * Wj, "E(O_iO_j) − W_iW_j", COLORS["theory"])]
    return _two_stage_hist(seed, precision, series,
                           "Fig. 9.12: E(O_iO_j) ≈ W_iW_j for unconnected pairs", "difference",
                           pairs=_NET_PAIRS, extra=f" · {_NET_PAIRS} unconnected pairs")


def fig9_13(seed: int = 0, precision: str = "standard"):
    """Fig. 9.13: E(O_iO_j) − 0 beside E(O_iO_j) − W_iW_j for 3,000 unconnected pairs × 10
    inputs, before and after dropout training of the digits classifier 64-128×4-10 (test
    accuracy 96.7 %), 10,000 subnetworks per input.

    Claims: ensemble_averaging.fig9_12_13.eq119_much_better_than_zero
    """
    def series(d):
        P, Wi, Wj, _ = _pair_values(d, False)
        return [(P, "E(O_iO_j) − 0", COLORS["mc"]), (P - Wi * Wj, "E(O_iO_j) − W_iW_j",
                                                     COLORS["theory"])]
    return _two_stage_hist(seed, precision, series,
                           "Fig. 9.13: E(O_iO_j) compared with 0 (unconnected pairs)", "difference",
                           pairs=_NET_PAIRS, extra=f" · {_NET_PAIRS} unconnected pairs")


def fig9_14(seed: int = 0, precision: str = "standard"):
    """Fig. 9.14: E(O_iO_j) − W_iW_j and E(O_iO_j) − W_ijW_j (Eq. 124; W_ij the ensemble
    activation of i without j, Eq. 121) for 3,000 connected pairs j → i of non-input units ×
    10 inputs, before and after dropout training of the digits classifier 64-128×4-10 (test
    accuracy 96.7 %), 10,000 subnetworks per input.

    Claims: ensemble_averaging.fig9_14.eq124_small_improvement_at_end
    """
    def series(d):
        P, Wi, Wj, _ = _pair_values(d, True)
        Wij = th.eq121_removed(d["U"][:, d["connected"][:, 0]], d["w"], d["p"], Wj)
        return [(P - Wi * Wj, "E(O_iO_j) − W_iW_j", COLORS["theory"]),
                (P - th.eq124_pair(Wij, Wj), "E(O_iO_j) − W_ijW_j (Eq. 124)", COLORS["mc"])]
    return _two_stage_hist(seed, precision, series,
                           "Fig. 9.14: connected pairs j → i: W_iW_j vs W_ijW_j", "difference",
                           pairs=_NET_PAIRS, extra=f" · {_NET_PAIRS} connected pairs")


def fig9_15(seed: int = 0, precision: str = "standard"):
    """Fig. 9.15: E(σ'(S)) − σ'(E(S)) (Eq. 220) over all non-input units × 10 inputs, by layer,
    before and after dropout training of the digits classifier 64-128×4-10 (test accuracy
    96.7 %), 10,000 subnetworks per input (before training the first hidden layer forms its own
    mode).

    Claims: ensemble_averaging.fig9_15.eq220_small, ensemble_averaging.fig9_15.bimodal_before
    """
    cols = [COLORS["theory"], COLORS["mc"], COLORS["alt"], COLORS["accent"], COLORS["ref"]]

    def series(d):
        mc = d["mc"]
        diff = mc.mean["dsig"] - th.eq220_dsigma(mc.mean["S"])
        L = int(mc.layer.max())
        return [(diff[_layer_mask(mc, l)], f"layer {l}" + (" (output)" if l == L else ""),
                 cols[l - 1]) for l in range(1, L + 1)]
    return _two_stage_hist(seed, precision, series, "Fig. 9.15: E(σ'(S)) − σ'(E(S))",
                           "E(σ'(S)) − σ'(E(S))")


FIGURES.update({f"ensemble_averaging_fig9_{k}": f for k, f in (
    (3, fig9_3), (4, fig9_4), (5, fig9_5), (6, fig9_6), (7, fig9_7), (8, fig9_8), (9, fig9_9),
    (10, fig9_10), (11, fig9_11), (12, fig9_12), (13, fig9_13), (14, fig9_14), (15, fig9_15))})
