"""Section 6.1 of Zhang & Xu: condensation with dropout (Fig. 4, Fig. 7), restarts from the R_S
minimum and batch size 2 (Section 6.1.1, Figs. 5–6), generalization (Section 6.1.3, Fig. 8)."""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.simulations import implicit_regularization as sim
from dropmc.theory import implicit_regularization as th

from ._shared import CATALOG, _flat_params

# ------------------------------------------------------------------------------------------
# Section 6.1 (Fig. 4, Fig. 6, Fig. 7): condensation, decided
# ------------------------------------------------------------------------------------------

#: the criterion: "condensed" means at most this fraction of the effective orientations of the
#: reference (the network trained without dropout, the initialisation, the batch-2 run);
#: "no significant condensation" means at least this fraction of the initialisation's
COND_FRACTION = 0.5


#: the Fig. 7(a, b) task at laptop scale: 10-100-1 tanh, teacher tanh(Σx_i), 30 samples,
#: p = 0.5, Adam lr 1e-2 (the paper's 1e-3 needs ~10x the steps for the same picture)
COND_WIDTH, COND_SAMPLES, COND_P, COND_LR, COND_STEPS = 100, 30, 0.5, 1e-2, 20_000


COND_MODES = ("dropout", "plain", "batch2")


def _cond_streams(seed: int, precision: str) -> list:
    """One SeedSequence per network of the Section 6.1 experiments (2 quick, 3 standard); the
    first five children of each are the data, the initialisation and the three modes of
    :func:`_cond_experiment`, later children belong to the Fig. 6 experiment."""
    ss = np.random.SeedSequence(int(seed),
                                spawn_key=(zlib.crc32(b"implicit_regularization.sec6"),))
    return ss.spawn(2 if precision == "quick" else 3)


def _cond_network(net_ss):
    """Data (30 samples of the Fig. 7 teacher), initialisation N(0, m^-0.2) and the three mode
    streams of one network of :func:`_cond_streams`."""
    s_data, s_init, *s_modes = net_ss.spawn(2 + len(COND_MODES))
    g = np.random.Generator(np.random.PCG64(s_data))
    X = g.normal(size=(COND_SAMPLES, 10))
    Y = th.target_fig7(X)[:, None]
    Ws, bs = sim.init_two_layer(10, COND_WIDTH, 1, rng=s_init)
    return X, Y, Ws, bs, s_modes


@functools.lru_cache(maxsize=8)
def _cond_experiment(seed: int, precision: str):
    """The shared experiment of the condensation claims: per network (fresh data and
    initialisation, N(0, m^-0.2)), the effective orientations
    (:func:`theory.two_layer_orientations`) at initialisation and after 20 000 Adam steps in
    each mode — "dropout" (p = 0.5, full batch), "plain" (p = 1, full batch), "batch2"
    (p = 1, mini-batches of 2) — with Definition 1's effective ratio and the final R_S.
    Deterministic in the run seed (one stream shared by the two claims)."""
    rows = []
    for net_ss in _cond_streams(seed, precision):
        X, Y, Ws, bs, s_modes = _cond_network(net_ss)
        row = {"init_theta": th.two_layer_input_orientations(Ws, bs),
               "init": (th.two_layer_orientations(Ws, bs),
                        th.effective_ratio(np.c_[Ws[0], bs[0]]), th.empirical_risk(Ws, bs, X, Y))}
        for mode, s in zip(COND_MODES, s_modes):
            if mode == "batch2":
                W, b = sim.train_two_layer_minibatch(Ws, bs, X, Y, batch_size=2,
                                                     steps=COND_STEPS, lr=COND_LR, rng=s)
            else:
                W, b, _ = sim.train_two_layer(Ws, bs, X, Y, steps=COND_STEPS, lr=COND_LR, rng=s,
                                              p=COND_P if mode == "dropout" else 1.0)
            row[mode] = (th.two_layer_orientations(W, b), th.effective_ratio(np.c_[W[0], b[0]]),
                         th.empirical_risk(W, b, X, Y))
            row.setdefault("nets", {})[mode] = (W, b)   # Fig. 5 restarts from "plain"
        row["data"] = (X, Y)
        rows.append(row)
    return rows


_COND_NAMES = {"init": "N_init", "dropout": "N_drop", "plain": "N_plain", "batch2": "N_batch2"}


def _cond_case(ctx, k, row, mode, ref, side):
    """``N_mode ≤ ½ N_ref`` (side "upper") or ``≥`` (side "lower"), through ctx.le / ctx.ge
    (the bound is the theory side the power runs tighten)."""
    q, b = row[mode][0], COND_FRACTION * row[ref][0]
    ok = ctx.le(q, b) if side == "upper" else ctx.ge(q, b)
    rel = "≤" if side == "upper" else "≥"
    a, r = _COND_NAMES[mode], _COND_NAMES[ref]
    return judge.holds({"network": k, "compare": f"{a} {rel} ½ {r}", "width": COND_WIDTH,
                        "steps": COND_STEPS, "lr": COND_LR}, ok, theory=b,
                       detail=("" if ok else "criterion fails: ")
                       + f"{a} = {q:.3g}, {r} = {row[ref][0]:.3g}: {a}/{r} = "
                         f"{q / row[ref][0]:.2f} (needs {rel} {COND_FRACTION})",
                       error={"value": q, "bound": b, "ratio": q / row[ref][0]})


def _cond_measurement(k, row):
    return judge.holds(
        {"network": k, "quantity": "Definition 1 effective ratio, R_S"}, True,
        detail="effective ratio (Definition 1, 0.95): " + ", ".join(
            f"{m} {row[m][1]:.2f}" for m in ("init",) + COND_MODES)
        + "; R_S: " + ", ".join(f"{m} {row[m][2]:.2g}" for m in ("init",) + COND_MODES),
        role="measurement")


_COND_NOTE = (
    "Criterion (the paper gives none in numbers): the effective number of orientations N = "
    "(tr M)²/tr M², M = Σ_j A_j θ̂_jθ̂_jᵀ, θ_j = (w_j, b_j), with the amplitudes A_j = "
    "|a_j|‖θ_j‖ of Fig. 4's feature plots (θ̂ and −θ̂ one orientation; 1 ≤ N ≤ 11 here). "
    "'Condense' (Fig. 4: 'significantly different from the initialization ... condense on "
    "several discrete orientations'; Fig. 7: 'only two orientations') is read as N ≤ ½ N_ref; "
    "'no (significant) condensation' as N ≥ ½ N_init. Laptop scale: Fig. 7(a, b)'s 10-100-1 "
    "tanh network and teacher tanh(Σx_i), 30 samples, init N(0, m^-0.2), p = 0.5, Adam lr "
    "1e-2, 20 000 steps (full batch, or mini-batches of 2); 2 networks (quick), 3 (standard). "
    "Definition 1's effective ratio (threshold 0.95, over all neurons) is reported, not "
    "judged: neurons whose a_j dropout shrinks to ~0 keep their initial orientation and count "
    "in it. ")


@CATALOG.claim(
    "sec6.condensation", label="Section 6.1, Fig. 4, Fig. 7(a, b)", kind=Kind.INEQUALITY,
    statement="Trained with dropout, the input weights (w_j, b_j) of the hidden neurons "
              "condense on a few orientations, unlike training without dropout (which stays "
              "close to the initialisation in the linear regime): the effective number of "
              "orientations with dropout is at most half of that without dropout and half of "
              "that at initialisation, while without dropout it stays above half of the "
              "initial one.",
    note=_COND_NOTE + "The control N_plain ≥ ½ N_init fails for a measure that reports "
                      "condensation whatever the training. Over seeds 1–12 (36 networks; "
                      "CONFIRMED for every seed at quick and standard): N_init 8.6–9.9, "
                      "N_plain 7.7–9.6, N_drop 1.5–2.7; N_drop/N_plain 0.17–0.31, "
                      "N_drop/N_init 0.16–0.28, N_plain/N_init 0.90–0.98. "
                      "Batch size 2 (Fig. 6: 'no significant condensation occurs even in the "
                      "presence of noise') is measured, not decided: at the same learning rate "
                      "and length N_batch2/N_init ranged 0.33–0.81 over the 36 sweep networks "
                      "(one below ½, where N_drop/N_batch2 was 0.80), so neither N_batch2 ≥ "
                      "½ N_init nor N_drop ≤ ½ N_batch2 is seed-stable there.")
def sec6_condensation(ctx: Context) -> Iterator[CaseResult]:
    """Per network of :func:`_cond_experiment`: N_drop ≤ ½ N_plain, N_drop ≤ ½ N_init and the
    control N_plain ≥ ½ N_init, each by :meth:`Context.le` / :meth:`Context.ge` against a
    bound the power runs tighten; Definition 1's effective ratios and R_S as a
    measurement."""
    for k, row in enumerate(_cond_experiment(ctx.seed, ctx.precision.name)):
        yield _cond_case(ctx, k, row, "dropout", "plain", "upper")
        yield _cond_case(ctx, k, row, "dropout", "init", "upper")
        yield _cond_case(ctx, k, row, "plain", "init", "lower")
        yield _cond_measurement(k, row)
        yield judge.holds(
            {"network": k, "quantity": "batch size 2 (Fig. 6), not judged"}, True,
            detail=f"N_batch2 = {row['batch2'][0]:.3g}: N_batch2/N_init = "
                   f"{row['batch2'][0] / row['init'][0]:.2f}, N_drop/N_batch2 = "
                   f"{row['dropout'][0] / row['batch2'][0]:.2f}", role="measurement")


# ------------------------------------------------------------------------------------------
# Section 6.1.1 (Fig. 5, Fig. 6), Section 6.1.3 (Fig. 8)
# ------------------------------------------------------------------------------------------

#: Fig. 5: the second stage (R_S, R_S^drop or R_S + R1 from the R_S minimum) is as long as the
#: first (20 000 Adam steps at lr 1e-2 on the Fig. 7 task)
RESTART_STEPS = COND_STEPS


RESTART_MODES = ("plain", "dropout", "r1")


_RESTART_NAMES = {"plain": "N_RS", "dropout": "N_drop", "r1": "N_R1"}


@functools.lru_cache(maxsize=8)
def _restart_experiment(seed: int, precision: str):
    """Fig. 5 on the Section 6.1 networks: from the R_S minimum each network of
    :func:`_cond_experiment` reached without dropout (R_S ~ 1e-5 after 20 000 steps), training
    continues for 20 000 more steps with R_S (the control), R_S^drop (p = 0.5) or R_S + R1
    (Eq. 6, L1, p = 0.5). Per network: N of the minimum and of each branch, R_S, R1 and the
    relative distance ‖θ − θ_min‖/‖θ_min‖ moved."""
    rows = []
    for k, row in enumerate(_cond_experiment(seed, precision)):
        (W, b), (X, Y) = row["nets"]["plain"], row["data"]
        ss = np.random.SeedSequence(int(seed), spawn_key=(
            zlib.crc32(b"implicit_regularization.sec6_1.restart"), k))
        theta0 = _flat_params(W, b)
        out = {"min": (row["plain"][0], row["plain"][2])}
        for mode, s in zip(RESTART_MODES, ss.spawn(len(RESTART_MODES))):
            Wm, bm, _ = sim.train_two_layer(W, b, X, Y, p=1.0 if mode == "plain" else COND_P,
                                            mode=mode, steps=RESTART_STEPS, lr=COND_LR, rng=s)
            out[mode] = (th.two_layer_orientations(Wm, bm), th.empirical_risk(Wm, bm, X, Y),
                         th.r1(Wm, bm, X, COND_P),
                         float(np.linalg.norm(_flat_params(Wm, bm) - theta0)
                               / np.linalg.norm(theta0)))
        rows.append(out)
    return rows


@CATALOG.claim(
    "sec6_1.restart_condenses", label="Section 6.1.1, Fig. 5", kind=Kind.INEQUALITY,
    statement="Restarted from the minimum found by training R_S, training with R_S^drop or "
              "with R_S + R1 leaves that minimum and finds a condensed solution, while "
              "continuing with R_S stays: the effective number of orientations after the "
              "restart with R_S^drop and with R_S + R1 is at most half of that at the R_S "
              "minimum; continuing R_S for as long keeps at least half.",
    note="Section 6.1.1: 'The results reveal that dropout (R1 term) aids the training process "
         "in escaping from the minima obtained by R_S training and finding a condensed "
         "solution.' Decided with the measure and the criterion of sec6.condensation "
         "(N = (tr M)²/tr M², 'condensed' = N ≤ ½ N_ref) on its networks (the Fig. 7 task, "
         "10-100-1 tanh, 30 samples, init N(0, m^-0.2)): the R_S minimum is its no-dropout "
         "network after 20 000 Adam steps (lr 1e-2, R_S ~ 1e-5); the second stage is 20 000 "
         "more steps with R_S (control), R_S^drop or R_S + R1 (p = 0.5). The control "
         "N_RS ≥ ½ N_min fails for a measure or a restart that condenses whatever the loss. "
         "2 networks (quick), 3 (standard). Printed: the 1-D tanh network of Fig. 4 (width "
         "1000, p = 0.9, lr 1e-4, 200 000 steps before the switch); the 1-D picture is drawn "
         "in implicit_regularization_fig5. Over seeds 1–12 (36 networks, standard; CONFIRMED "
         "for every seed at quick and standard): N_drop/N_min 0.16–0.31, N_R1/N_min "
         "0.14–0.41, N_RS/N_min 0.89–0.96. At seed 1, R_S is 1e-4–5e-3 after the restart "
         "with R_S^drop or R_S + R1 (still a fit) and the parameters moved by 1.3–1.5 × "
         "‖θ_min‖ (0.4–0.6 × when continuing R_S).")
def sec6_1_restart(ctx: Context) -> Iterator[CaseResult]:
    """Per network of :func:`_restart_experiment`: N_drop ≤ ½ N_min, N_R1 ≤ ½ N_min and the
    control N_RS ≥ ½ N_min (ctx.le / ctx.ge, the bound tightened by the power runs); R_S,
    R1 and the distance moved as a measurement."""
    for k, row in enumerate(_restart_experiment(ctx.seed, ctx.precision.name)):
        n_min = row["min"][0]
        for mode, side in (("dropout", "upper"), ("r1", "upper"), ("plain", "lower")):
            q, bnd = row[mode][0], COND_FRACTION * n_min
            ok = ctx.le(q, bnd) if side == "upper" else ctx.ge(q, bnd)
            rel = "≤" if side == "upper" else "≥"
            a = _RESTART_NAMES[mode]
            yield judge.holds(
                {"network": k, "compare": f"{a} {rel} ½ N_min", "steps": RESTART_STEPS,
                 "lr": COND_LR}, ok, theory=bnd,
                detail=("" if ok else "criterion fails: ")
                + f"{a} = {q:.3g}, N_min = {n_min:.3g}: ratio {q / n_min:.2f} "
                  f"(needs {rel} {COND_FRACTION})",
                error={"value": q, "bound": bnd, "ratio": q / n_min})
        yield judge.holds(
            {"network": k, "quantity": "R_S, R1, distance moved"}, True,
            detail=f"at the minimum R_S = {row['min'][1]:.2g}; after the restart "
            + "; ".join(f"{_RESTART_NAMES[m]}: R_S = {row[m][1]:.2g}, R1 = {row[m][2]:.2g}, "
                   f"‖θ − θ_min‖/‖θ_min‖ = {row[m][3]:.2f}" for m in RESTART_MODES),
            role="measurement")


#: Fig. 6 at its printed learning rate (caption: 1e-3; Appendix A says 1e-4 for all the tanh
#: figures) on the Section 6.1 networks; 60 000 steps of 2 samples (the dropout control
#: needs about that long at lr 1e-3 to condense)
B2_LR, B2_STEPS = 1e-3, 60_000


@functools.lru_cache(maxsize=8)
def _batch2_experiment(seed: int, precision: str):
    """Fig. 6 on the networks of :func:`_cond_streams` (same data and initialisation as
    :func:`_cond_experiment`): Adam on mini-batches of 2, lr 1e-3, 60 000 steps, without
    dropout and (control) with dropout p = 0.5, all trained at once
    (:func:`sim.train_two_layer_stack` with ``batch_size=2``). Per network: N at
    initialisation, N and R_S of both runs."""
    nets = [_cond_network(net_ss) for net_ss in _cond_streams(seed, precision)]
    K = len(nets)
    run = np.random.SeedSequence(int(seed), spawn_key=(
        zlib.crc32(b"implicit_regularization.sec6_1.batch2"),))
    X = np.concatenate([np.stack([net[0] for net in nets])] * 2)
    Y = np.concatenate([np.stack([net[1] for net in nets])] * 2)
    Ws = [np.concatenate([np.stack([net[2][i] for net in nets])] * 2) for i in range(2)]
    bs = [np.concatenate([np.stack([net[3][i] for net in nets])] * 2) for i in range(2)]
    pk = np.r_[np.ones(K), np.full(K, COND_P)]
    W, b = sim.train_two_layer_stack(Ws, bs, X, Y, p=pk, steps=B2_STEPS, lr=B2_LR, rng=run,
                                     batch_size=2)
    rows = []
    for k, (Xk, Yk, W0, b0, _) in enumerate(nets):
        row = {"init": th.two_layer_orientations(W0, b0)}
        for name, i in (("batch2", k), ("batch2_drop", K + k)):
            Wi, bi = [W[0][i], W[1][i]], [b[0][i], b[1][i]]
            row[name] = (th.two_layer_orientations(Wi, bi), th.empirical_risk(Wi, bi, Xk, Yk))
        rows.append(row)
    return rows


@CATALOG.claim(
    "sec6_1.batch2_no_condensation", label="Section 6.1.1, Fig. 6", kind=Kind.INEQUALITY,
    statement="With SGD noise (mini-batches of 2 samples) and no dropout, no significant "
              "condensation occurs: the effective number of orientations stays at least half "
              "of the initial one, while the same mini-batch training with dropout condenses "
              "(at most half of the initial one).",
    note="Section 6.1.1: 'One may wonder if any noise injected into the training process "
         "could lead to condensation. We also perform similar experiments for SGD. As shown "
         "in Fig. 6, no significant condensation occurs even in the presence of noise during "
         "training.' Measure and criterion of sec6.condensation ('no significant "
         "condensation' = N ≥ ½ N_init, 'condensed' = N ≤ ½ N_init) on its networks (the "
         "Fig. 7 task, 10-100-1 tanh, 30 samples, same data and initialisation), Adam on "
         "mini-batches of 2 at Fig. 6's printed lr 1e-3 for 60 000 steps. The control (the "
         "same noisy training with dropout p = 0.5 must condense) shows the run is long "
         "enough to see condensation; it fails for a measure blind to it. 2 networks (quick), "
         "3 (standard). The statement needs the small learning rate: at 10× it (lr 1e-2, "
         "20 000 steps, measured in sec6.condensation) batch-2 runs kept only 33–81% of "
         "the initial orientations over 36 networks. Printed: the 1-D tanh network of "
         "Fig. 4 (width 1000), drawn in implicit_regularization_fig6. Over seeds 1–12 (36 "
         "networks, standard): N_batch2/N_init 0.94–1.00, control 0.28–0.47.")
def sec6_1_batch2(ctx: Context) -> Iterator[CaseResult]:
    """Per network of :func:`_batch2_experiment`: N_batch2 ≥ ½ N_init and the control
    N_batch2+dropout ≤ ½ N_init (ctx.ge / ctx.le); R_S of both runs as a measurement."""
    for k, row in enumerate(_batch2_experiment(ctx.seed, ctx.precision.name)):
        n0 = row["init"]
        for name, side, lab in (("batch2", "lower", "N_batch2"),
                                ("batch2_drop", "upper", "N_batch2+dropout")):
            q, bnd = row[name][0], COND_FRACTION * n0
            ok = ctx.le(q, bnd) if side == "upper" else ctx.ge(q, bnd)
            rel = "≤" if side == "upper" else "≥"
            yield judge.holds(
                {"network": k, "compare": f"{lab} {rel} ½ N_init", "lr": B2_LR,
                 "steps": B2_STEPS}, ok, theory=bnd,
                detail=("" if ok else "criterion fails: ")
                + f"{lab} = {q:.3g}, N_init = {n0:.3g}: ratio {q / n0:.2f} "
                  f"(needs {rel} {COND_FRACTION})",
                error={"value": q, "bound": bnd, "ratio": q / n0})
        yield judge.holds(
            {"network": k, "quantity": "R_S after training"}, True,
            detail=f"R_S: batch 2 {row['batch2'][1]:.2g}, batch 2 + dropout "
                   f"{row['batch2_drop'][1]:.2g}", role="measurement")


#: Fig. 8 at laptop scale: the figure's standard sizes (width 100, 4 000 Adam steps, lr 1e-2,
#: 10 trials per cell as printed) at p = 0.9 (Appendix A's rate) and p = 1
GEN_NS, GEN_PS = (2, 4, 6, 8, 12, 16), (0.9, 1.0)


GEN_WIDTH, GEN_STEPS, GEN_LR, GEN_TRIALS = 100, 4_000, 1e-2, 10


#: "generalizes well" relative to "badly": at most half the no-dropout test error; "badly":
#: a test MSE of at least a tenth of the teacher's variance (R² below 0.9)
GEN_RATIO, GEN_BAD = 0.5, 0.1


@functools.lru_cache(maxsize=8)
def _generalization_experiment(seed: int, precision: str):
    """Fig. 8's test errors err[p, n, trial] (:func:`sim.teacher_student_errors`) at
    p ∈ GEN_PS, n ∈ GEN_NS (same sizes at quick and standard)."""
    ss = np.random.SeedSequence(int(seed), spawn_key=(
        zlib.crc32(b"implicit_regularization.sec6_1_3"),))
    return sim.teacher_student_errors(GEN_NS, GEN_PS, trials=GEN_TRIALS, width=GEN_WIDTH,
                                      steps=GEN_STEPS, lr=GEN_LR,
                                      streams=ss.spawn(len(GEN_NS)))


def _ratio_of_means(a, b):
    """mean(a)/mean(b) over paired trials with its delta-method SE."""
    r = a.mean() / b.mean()
    return r, float(np.std(a - r * b, ddof=1) / math.sqrt(len(a)) / b.mean())


@CATALOG.claim(
    "sec6_1_3.generalization", label="Section 6.1.3, Fig. 8", kind=Kind.INEQUALITY,
    statement="Learning the two-neuron tanh teacher (6 free parameters), the student with "
              "dropout generalizes well once the samples outnumber the teacher's parameters, "
              "while the student without dropout generalizes badly: over the sample counts "
              "n > 6, the mean test error with dropout is at most half of that without "
              "dropout, and without dropout it is at least a tenth of the teacher's variance.",
    note="Section 6.1.3: 'As shown in Fig. 8, the model with dropout generalizes well when the "
         "number of samplings is larger than 6, while the model without dropout generalizes "
         "badly.' Made measurable: test MSE on 400 points of [−15, 15] against the teacher "
         "tanh(x − 6) + tanh(x + 6) (variance 2.27 there), students of width 100 (printed "
         "1000), init N(0, m^-0.2), full-batch Adam lr 1e-2 (printed 1e-4), 4 000 steps, "
         "n ~ U(−15, 15) samples, 10 trials per cell (as printed) with the same data and "
         "initialisations for p = 0.9 and p = 1 (paired). Decided on the region n > 6 of the "
         "grid (n = 8, 12, 16, errors summed over it): 'well' relative to 'badly' as "
         "ΣE_drop/ΣE_no-drop ≤ ½, and 'badly' as the mean no-dropout error ≥ 0.1 × variance "
         "(R² < 0.9). Each n's ratio is reported, not judged: with 10 random data sets per "
         "cell the single-n ratio is too noisy to decide alone (at n = 8 it reached 0.5–0.6 "
         "in some seeds, also at 12 000 steps), so the contrast at n = 8 by itself is not "
         "established at these sizes. The absolute error with dropout is reported, not "
         "judged (some random samples miss a transition at ±6). n ≤ 6 is reported: the "
         "statement says nothing there. Point estimates are compared; each case gives the "
         "mean ± SE over the 10 trials (ratio SE by the delta method). Over seeds 1–12 "
         "(standard = quick sizes): pooled ratio 0.17–0.41, no-dropout error/variance "
         "0.14–0.49, dropout error/variance 0.06–0.10.")
def sec6_1_3_generalization(ctx: Context) -> Iterator[CaseResult]:
    """Over n > 6 of GEN_NS: ΣE_drop/ΣE_plain ≤ ½ (ctx.le) and mean E_plain/Var ≥ 0.1
    (ctx.ge); every n's errors and ratio as a measurement."""
    err = _generalization_experiment(ctx.seed, ctx.precision.name)
    var = th.teacher_variance()
    T = err.shape[2]
    for b, n in enumerate(GEN_NS):
        ed, ep = err[0, b], err[1, b]
        r, r_se = _ratio_of_means(ed, ep)
        yield judge.holds(
            {"n": n, "quantity": "test error at one n (not judged)"}, True,
            detail=f"E/Var: dropout {ed.mean() / var:.3g} ± "
                   f"{ed.std(ddof=1) / math.sqrt(T) / var:.2g}, "
                   f"no dropout {ep.mean() / var:.3g} ± "
                   f"{ep.std(ddof=1) / math.sqrt(T) / var:.2g}; "
                   f"ratio {r:.2f} ± {r_se:.2f}", role="measurement")
    above = [b for b, n in enumerate(GEN_NS) if n > 6]
    ed, ep = err[0, above].sum(axis=0), err[1, above].sum(axis=0)
    r, r_se = _ratio_of_means(ed, ep)
    ns = ", ".join(str(GEN_NS[b]) for b in above)
    ok = ctx.le(r, GEN_RATIO)
    yield judge.holds(
        {"n": ns, "compare": "ΣE_drop / ΣE_no-drop ≤ ½", "trials": T, "p": GEN_PS[0]}, ok,
        theory=GEN_RATIO,
        detail=("" if ok else "criterion fails: ")
        + f"ratio {r:.3g} ± {r_se:.2g} (needs ≤ {GEN_RATIO}); mean E_drop/Var = "
          f"{ed.mean() / len(above) / var:.3g}",
        error={"value": r, "bound": GEN_RATIO, "se": r_se})
    rel, rel_se = ep.mean() / len(above) / var, ep.std(ddof=1) / math.sqrt(T) / len(above) / var
    ok = ctx.ge(rel, GEN_BAD)
    yield judge.holds(
        {"n": ns, "compare": "mean E_no-drop / Var ≥ 0.1", "trials": T, "p": 1.0}, ok,
        theory=GEN_BAD,
        detail=("" if ok else "criterion fails: ")
        + f"E_no-drop/Var = {rel:.3g} ± {rel_se:.2g} (needs ≥ {GEN_BAD})",
        error={"value": rel, "bound": GEN_BAD, "se": rel_se})
