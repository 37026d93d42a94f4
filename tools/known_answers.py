"""Record (or check) the known-answer file: every claim's verdict and the numbers of each case
at a fixed seed and quick precision, so that a refactoring can be shown to change nothing.

    python tools/known_answers.py record [--paper KEY ...]   # writes tests/data/known_answers/<paper>.json
    python tools/known_answers.py check  [--paper KEY ...]   # exits 1 and names every difference
    python tools/known_answers.py record-kernels   # writes tests/data/known_answers/kernels.json
    python tools/known_answers.py check-kernels    # exits 1 and names every difference

The kernel record (``kernel_calls``) is the output of every public sampler, enumerator and
estimator of ``dropmc.simulations`` at small fixed arguments and a fixed seed, so that moving
a kernel between modules can be shown to change no number.

The seed of each paper is the one its claim tests use (``SEEDS``), so that the test suite can
decide each claim once and compare it with this file (``tests/test_known_answers.py``).
Floats are stored as JSON numbers, which round-trip exactly; a comparison is bit for bit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "known_answers"

#: the seed of each paper's claim tests (tests/test_<paper>.py)
SEEDS = {"drop_activation": 2026, "variance_constancy": 2026, "ensemble_averaging": 2026,
         "implicit_regularization": 20240611}
PRECISION = "quick"


def case_record(case) -> dict:
    """What a case must reproduce: its verdict, role and every number it carries."""
    d = case.to_dict()
    return {k: d[k] for k in ("verdict", "role", "theory", "estimate", "se", "n", "z",
                              "resolution", "error", "params")}


def claim_record(result) -> dict:
    return {"verdict": result.verdict.value, "error": result.error,
            "cases": [case_record(c) for c in result.cases]}


def _jsonround(obj):
    return json.loads(json.dumps(obj))


def record(papers) -> None:
    from dropmc.registry import all_claims
    from dropmc.runner import evaluate

    OUT.mkdir(parents=True, exist_ok=True)
    for paper in papers:
        seed = SEEDS[paper]
        claims = {}
        for claim in all_claims(paper):
            r = evaluate(claim, seed=seed, precision=PRECISION)
            claims[claim.id] = {"slow": claim.slow, **claim_record(r)}
            print(f"{claim.id}: {r.verdict.value} ({r.seconds:.1f} s)", flush=True)
        data = {"paper": paper, "seed": seed, "precision": PRECISION, "claims": claims}
        (OUT / f"{paper}.json").write_text(json.dumps(data, indent=1, sort_keys=True,
                                                      ensure_ascii=False) + "\n")


def diff(expected: dict, got: dict, path: str = "") -> list[str]:
    """Every place where two JSON-like records differ (exactly)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        out = []
        for k in sorted(set(expected) | set(got)):
            if k not in got:
                out.append(f"{path}.{k}: missing")
            elif k not in expected:
                out.append(f"{path}.{k}: unexpected")
            else:
                out.extend(diff(expected[k], got[k], f"{path}.{k}"))
        return out
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{path}: {len(got)} items, expected {len(expected)}"]
        return [d for i, (a, b) in enumerate(zip(expected, got)) for d in diff(a, b, f"{path}[{i}]")]
    return [] if expected == got else [f"{path}: {got!r}, expected {expected!r}"]


def check(papers) -> int:
    from dropmc.registry import get
    from dropmc.runner import evaluate

    bad = 0
    for paper in papers:
        data = json.loads((OUT / f"{paper}.json").read_text())
        for cid, want in data["claims"].items():
            r = evaluate(get(cid), seed=data["seed"], precision=data["precision"])
            got = _jsonround({"slow": want["slow"], **claim_record(r)})
            d = diff(want, got, cid)
            bad += bool(d)
            for line in d[:5]:
                print(line, flush=True)
    print(f"{bad} claims differ", flush=True)
    return 1 if bad else 0


# ------------------------------------------------------------------------------------------
# kernels: every public sampler / enumerator / estimator of simulations/*.py at a fixed seed
# ------------------------------------------------------------------------------------------
#
# Each entry of ``kernel_calls()`` calls one public function of ``dropmc.simulations`` once,
# with small fixed arguments and a fixed seed (rng=1 or np.random.default_rng(1), as the
# benchmarks and tests call them); ``encode`` turns its output into JSON: floats as numbers,
# arrays as the SHA-256 of their float64 bytes with shape, dtype and first three values,
# Estimates as [mean, se, n], dataclasses / dicts / tuples recursively. Left out: the memoised
# trainers of the full digits network (digits_classifier, digits_noise_classifier,
# digits_inputs, digits_study: each trains 64-128×4-10 for 200 epochs, far over ~2 s; their
# trainer is covered through train_noise_classifier / train_dropout_classifier on a small
# network) and wall-clock fields (``seconds``), which are not outputs.

KERNELS = OUT / "kernels.json"


def encode(obj):
    """A JSON-like record of a kernel's output, exact (see the block comment above)."""
    import dataclasses
    import hashlib

    import numpy as np

    from dropmc.estimate import Estimate

    if isinstance(obj, Estimate):
        return [encode(obj.mean), encode(obj.se), encode(obj.n)]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        return x if np.isfinite(x) else repr(x)     # nan / inf as strings (nan != nan)
    if isinstance(obj, (str, type(None))):
        return obj
    if isinstance(obj, np.ndarray):
        a = np.stack([obj.real, obj.imag], axis=-1) if np.iscomplexobj(obj) else obj
        a = np.ascontiguousarray(a, dtype=np.float64)
        return {"sha256": hashlib.sha256(a.tobytes()).hexdigest(), "shape": list(obj.shape),
                "dtype": str(obj.dtype), "head": [encode(v) for v in a.ravel()[:3]]}
    if isinstance(obj, dict):
        return {(k if isinstance(k, str) else repr(k)): encode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [encode(v) for v in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {"__type__": type(obj).__name__}
        for f in dataclasses.fields(obj):
            if f.name != "seconds":                  # wall time, not an output
                out[f.name] = encode(getattr(obj, f.name))
        return out
    if isinstance(obj, np.random.SeedSequence):
        return {"entropy": encode(obj.entropy), "spawn_key": encode(obj.spawn_key)}
    raise TypeError(f"cannot encode a {type(obj).__name__} in a known answer")


def kernel_calls() -> list:
    """The table: (name, zero-argument callable) for every kernel, in module order."""
    import tempfile
    from pathlib import Path as _P

    import numpy as np
    from scipy import stats

    from dropmc.simulations import datasets as ds
    from dropmc.simulations import drop_activation as da
    from dropmc.simulations import ensemble_averaging as ea
    from dropmc.simulations import enumeration as en
    from dropmc.simulations import implicit_regularization as ir
    from dropmc.simulations import variance_constancy as vc
    from dropmc.simulations._core import chunk_states
    from dropmc.theory import ensemble_averaging as th_ea
    from dropmc.theory import implicit_regularization as th_ir
    from dropmc.theory.variance_constancy import Law

    R = np.random.default_rng
    calls = []

    def add(name, fn):
        calls.append((name, fn))

    # -- datasets ------------------------------------------------------------------------
    add("datasets.load_digits_split", lambda: ds.load_digits_split(0.25, seed=1))

    def idx_roundtrip():
        imgs = R(1).integers(0, 256, (3, 4, 5)).astype(np.uint8)
        labs = np.array([1, 0, 7], np.uint8)
        with tempfile.TemporaryDirectory() as d:
            ds.save_idx(_P(d) / "x.idx.gz", imgs)
            ds.save_idx(_P(d) / "y.idx", labs)
            return {"load_idx": ds.load_idx(_P(d) / "x.idx.gz"),
                    "load_mnist_idx": ds.load_mnist_idx(_P(d) / "x.idx.gz", _P(d) / "y.idx")}
    add("datasets.save_idx+load_idx+load_mnist_idx", idx_roundtrip)

    # -- enumeration ---------------------------------------------------------------------
    g = R(0)
    base, deltas, y = g.normal(size=3), g.normal(size=(6, 3)), g.normal(size=3)
    pv = g.uniform(0.2, 0.9, 6)
    add("enumeration.sum_blocks", lambda: en.sum_blocks(R(0).normal(size=(5, 3))))
    add("enumeration.enumerate_masks", lambda: en.enumerate_masks(4, 0.3))
    add("enumeration.enumerate_masks.vector_p", lambda: en.enumerate_masks(4, pv[:4]))
    add("enumeration.expectation_over_masks",
        lambda: en.expectation_over_masks(lambda m: m.sum(axis=1) ** 2.0, 5, 0.3))
    add("enumeration.expect_squared_error", lambda: en.expect_squared_error(base, deltas, y, 0.3))
    add("enumeration.expect_squared_error.vector_p",
        lambda: en.expect_squared_error(base, deltas, y, pv))
    add("enumeration.expect_squared_error_doubling",
        lambda: en.expect_squared_error_doubling(base, deltas, y, pv))

    # -- drop_activation -----------------------------------------------------------------
    x = np.array([-1.0, 0.5, -0.3, 2.0, -2.5])
    w = R(0).normal(size=6)
    g = R(1)
    W1, W2 = g.normal(size=(5, 3)), g.normal(size=(2, 5))
    X, Y = g.normal(size=(4, 3)), g.normal(size=(4, 2))
    add("drop_activation.estimate_expected_map",
        lambda: da.estimate_expected_map(x, 0.9, "relu", n=5000, rng=1))
    add("drop_activation.estimate_expected_map.tanh",
        lambda: da.estimate_expected_map(x, 0.7, "tanh", n=5000, rng=1))
    add("drop_activation.expected_map_by_enumeration",
        lambda: da.expected_map_by_enumeration(x, 0.9, "relu"))
    add("drop_activation.expected_map_by_enumeration.sigmoid",
        lambda: da.expected_map_by_enumeration(x, 0.6, "sigmoid"))
    add("drop_activation.estimate_dropact_loss",
        lambda: da.estimate_dropact_loss(W1, W2, X, Y, 0.8, n=2000, rng=1))
    add("drop_activation.exact_dropact_loss", lambda: da.exact_dropact_loss(W1, W2, X, Y, 0.8))
    add("drop_activation.estimate_x_moments", lambda: da.estimate_x_moments(w, 0.8, n=4096, rng=1))
    add("drop_activation.estimate_rrelu_mean",
        lambda: da.estimate_rrelu_mean(x, 0.1, 0.3, n=5000, rng=1))
    add("drop_activation.x_moments_numpy", lambda: da.x_moments_numpy(w, 0.8, 5000, rng=1))
    add("drop_activation.x_moments_same_stream",
        lambda: da.x_moments_same_stream(w, 0.8, n=4096, rng=1))
    add("drop_activation.rrelu_same_stream",
        lambda: da.rrelu_same_stream(x, 0.1, 0.3, n=5000, rng=1))
    add("drop_activation.training_map_counts_same_stream",
        lambda: da.training_map_counts_same_stream(5, 0.37, n=5000, rng=1))
    add("drop_activation.dropact_loss_numpy",
        lambda: da.dropact_loss_numpy(W1, W2, X, Y, 0.8, 1000, rng=1))
    add("drop_activation.x_moments_loop",
        lambda: da.x_moments_loop(w, 0.8, 300, chunk_states(1, 1)[0]))
    add("drop_activation.dropact_loss_same_stream",
        lambda: da.dropact_loss_same_stream(W1, W2, X, Y, 0.8, n=256, rng=1))
    add("drop_activation.estimate_shift_ratio_activation",
        lambda: da.estimate_shift_ratio_activation(w, 0.8, np.tanh, n=4096, rng=1))
    widths = (8, 4, 2)
    add("drop_activation.init_net", lambda: da.init_net(widths, R(1)))
    xa, ya, eps_a = da.fig3_data("a", R(1))
    add("drop_activation.fig3_data.a", lambda: da.fig3_data("a", R(1)))
    add("drop_activation.fig3_data.b", lambda: da.fig3_data("b", R(1)))
    add("drop_activation.xsinx", lambda: da.xsinx(da.FIG3_GRID))
    add("drop_activation.steps_target", lambda: da.steps_target(da.FIG3_GRID))
    ua = (xa - 5.0) / 5.0
    add("drop_activation.train_regression",
        lambda: da.train_regression(ua, ya, widths, 0.8, 30, rng=1))

    def fig3_metrics():
        net = da.train_regression(ua, ya, widths, 0.8, 30, rng=1)
        return {"predict_regression": da.predict_regression(net, ua, 0.8),
                "fig3_metrics": da.fig3_metrics(net, 0.8, xa, ya, eps_a, da.xsinx)}
    add("drop_activation.predict_regression+fig3_metrics", fig3_metrics)
    add("drop_activation.init_net_batch", lambda: da.init_net_batch(widths, 2, [R(1), R(2)]))
    add("drop_activation.train_regression_batch",
        lambda: da.train_regression_batch(np.stack([ua, ua[::-1]]), np.stack([ya, ya]), widths,
                                          0.8, 30, rng=1))
    add("drop_activation.fig3_trials",
        lambda: da.fig3_trials("b", 3, widths=widths, steps=30, rng=1))

    # -- variance_constancy --------------------------------------------------------------
    laws = {"normal": Law.normal(0.5, 2.0), "uniform": Law.uniform(-1.0, 2.0),
            "exponential": Law.exponential(1.5), "laplace": Law.laplace(0.0, 1.0),
            "two_point": Law.two_point(-1.0, 2.0, 0.3), "gmm2": Law.gmm2(0.3, -1.0, 1.0, 0.5, 0.8),
            "student_t": Law.student_t(7.0), "beta": Law.beta(2.0, 3.0),
            "discrete": Law.discrete([0.0, 1.0, 3.0], [0.2, 0.5, 0.3]),
            "scipy": Law.from_scipy(stats.gamma(2.0))}
    law = laws["student_t"]
    add("variance_constancy.law_code", lambda: {k: vc.law_code(v) for k, v in laws.items()})
    add("variance_constancy.sample_matrix", lambda: vc.sample_matrix(laws["laplace"], 4, 5, rng=1))
    for k, v in laws.items():
        add(f"variance_constancy.sample_variances.{k}",
            lambda v=v: vc.sample_variances(v, 5, 2000, rng=1))
    add("variance_constancy.estimate_var_sample_variance",
        lambda: vc.estimate_var_sample_variance(law, 5, 4096, rng=1))
    add("variance_constancy.estimate_vcl_loss", lambda: vc.estimate_vcl_loss(law, 5, 4096, rng=1))
    add("variance_constancy.estimate_mean_sample_variance",
        lambda: vc.estimate_mean_sample_variance(law, 5, 4096, rng=1))
    add("variance_constancy.estimate_ratio_events",
        lambda: vc.estimate_ratio_events(law, 5, [0.1, 0.5], 2000, rng=1))
    add("variance_constancy.estimate_vcl_beta",
        lambda: vc.estimate_vcl_beta(law, 5, 0.1, 4096, scale=2.0, rng=1))
    mu1, mu2 = np.array([1.0, 0.0, -0.5]), np.array([-1.0, 0.5, 0.0])
    S1 = np.array([[1.0, 0.3, 0.0], [0.3, 1.0, 0.1], [0.0, 0.1, 0.5]])
    S2 = np.diag([0.5, 2.0, 1.0])
    theta = np.array([1.0, -0.5, 0.25])
    add("variance_constancy.estimate_projected_kurtosis",
        lambda: vc.estimate_projected_kurtosis(theta, 0.3, mu1, mu2, S1, S2, 4096, rng=1))
    add("variance_constancy.sample_gmm", lambda: vc.sample_gmm(0.3, mu1, mu2, S1, S2, 10, rng=1))
    add("variance_constancy.train_vcl_unit",
        lambda: vc.train_vcl_unit(0.3, mu1, mu2, S1, S2, n=8, steps=200, record_every=50, rng=1))
    add("variance_constancy.direction_losses",
        lambda: vc.direction_losses(0.3, mu1, mu2, S1, S2, 4, np.stack([theta, mu1]),
                                    np.array([[0.0, 0.1, 1.0], [0.5, 1.0, 2.0]]), 1024, rng=1))
    add("variance_constancy.estimate_bn_error_parts",
        lambda: vc.estimate_bn_error_parts(law, 5, 4096, rng=1))
    add("variance_constancy.estimate_var_sample_variance_scipy",
        lambda: vc.estimate_var_sample_variance_scipy(stats.gamma(2.0), 5, 4096, rng=1))
    add("variance_constancy.estimate_moment_errors",
        lambda: vc.estimate_moment_errors(laws["two_point"], 5, 4096, rng=1))
    add("variance_constancy.estimate_mean_ratio_reliability",
        lambda: vc.estimate_mean_ratio_reliability(law, 5, 4096, rng=1))

    # -- ensemble_averaging --------------------------------------------------------------
    net = th_ea.random_layered_net(R(0), [2, 3, 2], skip_prob=0.5)
    I = R(1).normal(size=net.n_in)
    add("ensemble_averaging.enumerate_network.units_linear",
        lambda: ea.enumerate_network(net, I, p_units=R(2).uniform(0.2, 0.9, net.n_units)))
    add("ensemble_averaging.enumerate_network.edges_logistic",
        lambda: ea.enumerate_network(net, I, p_edges=0.6, activation="logistic", c=1.5,
                                     lam=0.8))
    add("ensemble_averaging.deep_linear_sums_for_masks",
        lambda: ea.deep_linear_sums_for_masks(net, I, R(3).integers(0, 2, (6, net.n_units))))
    add("ensemble_averaging.sample_network_numpy.units",
        lambda: ea.sample_network_numpy(net, I, 1000, p_units=0.5, rng=1, batch=300))
    add("ensemble_averaging.sample_network_numpy.edges_logistic",
        lambda: ea.sample_network_numpy(net, I, 1000, p_edges=0.6, activation="logistic",
                                        c=1.5, rng=1))
    add("ensemble_averaging.estimate_network_moments.units",
        lambda: ea.estimate_network_moments(net, I, p_units=0.5, n=2048, rng=1))
    add("ensemble_averaging.estimate_network_moments.edges_logistic",
        lambda: ea.estimate_network_moments(net, I, p_units=0.8, p_edges=0.6,
                                            activation="logistic", lam=0.8, track=[0, 3, 6],
                                            n=2048, rng=1))
    g = R(4)
    wu, Iu, pu = g.normal(size=9), g.normal(size=9), g.uniform(0.1, 0.9, 9)
    pu[0] = 1.0
    add("ensemble_averaging.enumerate_logistic_unit",
        lambda: ea.enumerate_logistic_unit(wu, Iu, pu, b=0.2, c=1.5, lam=0.8))
    add("ensemble_averaging.enumerate_logistic_unit_numpy",
        lambda: ea.enumerate_logistic_unit_numpy(wu, Iu, pu, b=0.2, c=1.5, lam=0.8))
    g = R(5)
    Wr, w2r, Or = g.normal(size=(2, 3)), g.normal(size=2), g.uniform(0.1, 0.9, 3)
    add("ensemble_averaging.enumerate_rate_gated_network.connection",
        lambda: ea.enumerate_rate_gated_network(Wr, w2r, Or, connection=True))
    add("ensemble_averaging.enumerate_rate_gated_network.units",
        lambda: ea.enumerate_rate_gated_network(Wr, w2r, Or, connection=False, c=1.5))
    g = R(6)
    Ws9 = [g.normal(0, 1.5, (3, 3)), g.normal(0, 1.5, (2, 3))]
    ps9 = [g.uniform(0.3, 0.9, 3), g.uniform(0.3, 0.9, 3)]
    x9 = g.uniform(0, 1, 3)
    add("ensemble_averaging.enumerate_layered_logistic",
        lambda: ea.enumerate_layered_logistic(Ws9, x9, ps9))
    add("ensemble_averaging.enumerate_layered_logistic.connection",
        lambda: ea.enumerate_layered_logistic([Ws9[0]], x9, [ps9[0]], connection=True, c=1.5))
    Wl, Il = R(7).normal(size=(3, 4)), R(8).normal(size=4)
    add("ensemble_averaging.sample_first_layer_covariances",
        lambda: ea.sample_first_layer_covariances(Wl, Il, 0.6, n=2000, rng=1, batch=700))
    add("ensemble_averaging.sample_first_layer_covariances.connection",
        lambda: ea.sample_first_layer_covariances(Wl, Il, 0.6, connection=True, n=2000, rng=1))
    add("ensemble_averaging.estimate_layer_moments",
        lambda: ea.estimate_layer_moments(Wl, Il, [0.5, 0.6, 0.7, 0.8], b=[0.5, 0.0, -1.0],
                                          pb=0.7, n=2048, rng=1))
    add("ensemble_averaging.estimate_layer_moments.connection",
        lambda: ea.estimate_layer_moments(Wl, Il, 0.6, per_connection=True, n=2048, rng=1))
    g = R(9)
    sizes = (6, 5, 4, 3)
    mlp = ea.DropoutMLP(tuple(g.normal(0, 1.0, (b, a)) for a, b in zip(sizes[:-1], sizes[1:])),
                        tuple(g.normal(0, 0.5, b) for b in sizes[1:]), (0.8, 0.5, 0.6))
    Xm = R(10).uniform(0, 1, (3, 6))
    pairs = np.array([[0, 9], [5, 1], [11, 6], [2, 3]])
    add("ensemble_averaging.DropoutMLP",
        lambda: {"sizes": mlp.sizes, "n_units": mlp.n_units, "unit_layer": mlp.unit_layer(),
                 "ensemble": mlp.ensemble(Xm[0]), "ensemble_flat": mlp.ensemble_flat(Xm),
                 "predict": mlp.predict(Xm)})
    add("ensemble_averaging.mirror_dropin", lambda: ea.mirror_dropin(mlp))
    for noise in ("dropout", "dropin", "none"):
        add(f"ensemble_averaging.noise_ensemble_flat.{noise}",
            lambda noise=noise: ea.noise_ensemble_flat(mlp, Xm, noise))
    add("ensemble_averaging.noise_predict", lambda: ea.noise_predict(mlp, Xm, "dropin"))
    for noise in ("dropout", "dropin"):
        add(f"ensemble_averaging.estimate_noise_moments.{noise}",
            lambda noise=noise: ea.estimate_noise_moments(mlp, Xm[:2], noise, n=2048, rng=1))
        add(f"ensemble_averaging.noise_var_S_closed.{noise}",
            lambda noise=noise: ea.noise_var_S_closed(mlp, Xm, noise))
    add("ensemble_averaging.dropin_moments_numpy",
        lambda: ea.dropin_moments_numpy(mlp, Xm[0], 1000, rng=1, batch=300))

    def mlp_moments():
        mc = ea.estimate_mlp_moments(mlp, Xm[:2], n=2048, pairs=pairs, rng=1)
        return {"moments": mc, "dof": mc.dof, "E": mc.E(), "V": mc.V(), "NWGM": mc.NWGM(),
                "ES": mc.ES(), "Edsig": mc.Edsig(), "pair": mc.pair(),
                "se_V": mc.se(mc.V()[1])}
    add("ensemble_averaging.estimate_mlp_moments+DropoutMoments", mlp_moments)
    add("ensemble_averaging.mlp_moments_numpy",
        lambda: ea.mlp_moments_numpy(mlp, Xm[0], 1000, pairs=pairs, rng=1, batch=300))
    add("ensemble_averaging.mlp_pairs.unconnected",
        lambda: ea.mlp_pairs(mlp, 6, connected=False, rng=1))
    add("ensemble_averaging.mlp_pairs.connected+connected_pair_terms",
        lambda: (lambda cp: (cp, ea.connected_pair_terms(mlp, cp)))(
            ea.mlp_pairs(mlp, 6, connected=True, rng=1)))

    def digits_small():
        Xtr, ytr, Xte, yte = ds.load_digits_split(0.25, seed=0)
        return Xtr[:150], ytr[:150], Xte[:40], yte[:40]
    for noise in ("dropin", "dropout", "none"):
        add(f"ensemble_averaging.train_noise_classifier.{noise}",
            lambda noise=noise: ea.train_noise_classifier(
                *digits_small(), noise=noise, hidden=(8, 8), epochs=3, batch=32,
                snapshot_epochs=(1,), seed=1))

    def dropout_classifier():
        c = ea.train_dropout_classifier(*digits_small(), hidden=(8, 8), epochs=3, batch=32,
                                        snapshot_epochs=(2,), seed=1)
        return {"classifier": c, "describe": c.describe(), "initial": c.initial,
                "snapshot_2": c.snapshot(2)}
    add("ensemble_averaging.train_dropout_classifier+TrainedClassifier", dropout_classifier)

    # -- implicit_regularization ---------------------------------------------------------
    g = R(3)
    widths3 = [3, 4, 5, 2]
    Ws = [g.normal(size=(widths3[l + 1], widths3[l])) for l in range(3)]
    bs = [g.normal(size=widths3[l + 1]) for l in range(3)]
    Xi, Yi = g.normal(size=(4, 3)), g.normal(size=(4, 2))
    add("implicit_regularization.sample_eta", lambda: ir.sample_eta(0.3, (5, 7), rng=1))
    add("implicit_regularization.estimate_eta_moments",
        lambda: ir.estimate_eta_moments(0.7, 5, n=4096, rng=1))
    add("implicit_regularization.estimate_dropout_risk",
        lambda: ir.estimate_dropout_risk(Ws, bs, Xi, Yi, 0.625, "tanh", n=2048, rng=1,
                                         chunk_size=512))
    add("implicit_regularization.estimate_dropout_risk.relu_tie",
        lambda: ir.estimate_dropout_risk(Ws, bs, Xi, Yi, 0.3, "relu", n=2048, rng=1,
                                         chunk_size=512))
    add("implicit_regularization.dropout_risk_numpy",
        lambda: ir.dropout_risk_numpy(Ws, bs, Xi, Yi, 0.625, "tanh", n=2048, rng=1,
                                      chunk_size=512))
    add("implicit_regularization.dropout_risk_numpy_digits",
        lambda: ir.dropout_risk_numpy_digits(Ws, bs, Xi, Yi, 0.625, "sigmoid", n=2048, rng=1,
                                             chunk_size=512))
    add("implicit_regularization.exact_dropout_risk",
        lambda: ir.exact_dropout_risk(Ws, bs, Xi, Yi, 0.6, "tanh"))
    add("implicit_regularization.exact_dropout_risk_gradient",
        lambda: ir.exact_dropout_risk_gradient(Ws, bs, Xi, Yi, 0.6, "tanh"))
    add("implicit_regularization.enumerate_dropout_risk_general",
        lambda: ir.enumerate_dropout_risk_general(Ws, bs, Xi, Yi, {1: 0.7, 2: 0.6}, "tanh"))
    shapes2, th2 = th_ir.shapes_of(Ws[:2]), th_ir.flatten(Ws[:2], bs[:2])
    Y2 = Yi[:, :1] @ np.ones((1, 5))
    gf = (lambda t: th_ir.risk_gradient(t, shapes2, Xi, Y2, "tanh", p=0.5))
    add("implicit_regularization.hvp",
        lambda: ir.hvp(gf, th2, R(1).normal(size=th2.size)))
    add("implicit_regularization.complex_step_gradient",
        lambda: ir.complex_step_gradient(
            lambda t: th_ir.loss_value(t, shapes2, Xi, Y2, "tanh", p=0.5), th2))
    add("implicit_regularization.hessian_trace", lambda: ir.hessian_trace(gf, th2))

    def out2(t):
        Wt, bt = th_ir.unflatten(t, shapes2)
        return th_ir.forward(Wt, bt, Xi, "tanh")[-1][:, 0]
    add("implicit_regularization.output_gradient_norms",
        lambda: ir.output_gradient_norms(out2, th2, Xi.shape[0]))
    g = R(12)
    Xt, Yt = g.normal(size=(2, 1)), g.normal(size=(2, 1))
    tiny = ir.TinyNet([(2, 1), (1, 2)], Xt, Yt, 0.5)
    t0 = g.normal(size=7)
    add("implicit_regularization.TinyNet+mean_iterate",
        lambda: {"grad_L": tiny.grad_L(t0), "grad_RS": tiny.grad_RS(t0),
                 "mean_iterate": ir.mean_iterate(tiny, t0, 0.1, 2)})
    add("implicit_regularization.integrate_flow",
        lambda: ir.integrate_flow(lambda t, v: -np.diag([1.0, 2.0]) @ v, np.array([1.0, 1.0]),
                                  0.7))
    add("implicit_regularization.modified_flow_errors",
        lambda: ir.modified_flow_errors(tiny, t0, [0.05, 0.1], 1))
    g = R(13)
    Xr, Yr = g.normal(size=(5, 2)), g.normal(size=5)
    thr = g.normal(size=4 + 4 * 2)
    add("implicit_regularization.relu2_loss+relu2_grad",
        lambda: {"loss": ir.relu2_loss(thr, Xr, Yr, 4),
                 "loss_p": ir.relu2_loss(thr, Xr, Yr, 4, 0.7),
                 "grad": ir.relu2_grad(thr, Xr, Yr, 4),
                 "grad_p": ir.relu2_grad(thr, Xr, Yr, 4, 0.7)})
    add("implicit_regularization.flatness_numeric", lambda: ir.flatness_numeric(thr, Xr, 4))
    add("implicit_regularization.flatness_derivative_numeric",
        lambda: ir.flatness_derivative_numeric(thr, Xr, Yr, 4, 0.7))
    add("implicit_regularization.init_two_layer", lambda: ir.init_two_layer(2, 5, 1, rng=1))
    W2l, b2l = ir.init_two_layer(3, 6, 2, rng=2)
    for mode, opt in (("dropout", "adam"), ("r1", "adam"), ("plain", "gd")):
        add(f"implicit_regularization.train_two_layer.{mode}_{opt}",
            lambda mode=mode, opt=opt: ir.train_two_layer(
                W2l, b2l, Xi, Yi, p=0.7, mode=mode, optimizer=opt, steps=30, lr=1e-2, rng=1,
                record_every=10))
    add("implicit_regularization.loss_cross_section",
        lambda: ir.loss_cross_section(W2l, b2l, Xi, Yi, [-1.0, 0.0, 0.5], rng=1))
    add("implicit_regularization.train_two_layer_minibatch",
        lambda: ir.train_two_layer_minibatch(W2l, b2l, Xi, Yi, batch_size=2, p=0.7, steps=30,
                                             lr=1e-2, rng=1))
    add("implicit_regularization.train_three_layer",
        lambda: ir.train_three_layer(Ws, bs, Xi, Yi, p=0.7, steps=30, lr=1e-2, rng=1))
    g = R(14)
    Xs = g.normal(size=(2, 4, 3))
    Ys = g.normal(size=(2, 4, 1))
    inits = [ir.init_two_layer(3, 7, 1, rng=k) for k in range(2)]
    Wst = [np.stack([a[0][i] for a in inits]) for i in range(2)]
    bst = [np.stack([a[1][i] for a in inits]) for i in range(2)]
    add("implicit_regularization.train_two_layer_stack",
        lambda: ir.train_two_layer_stack(Wst, bst, Xs, Ys, p=[0.7, 1.0], steps=30, lr=1e-2,
                                         rng=1))
    add("implicit_regularization.train_two_layer_stack.minibatch",
        lambda: ir.train_two_layer_stack(Wst, bst, Xs, Ys, p=0.7, steps=30, lr=1e-2, rng=1,
                                         batch_size=2))
    add("implicit_regularization.teacher_student_errors",
        lambda: ir.teacher_student_errors((3, 5), (1.0, 0.7), trials=2, width=8, steps=30,
                                          lr=1e-2, streams=np.random.SeedSequence(1).spawn(2)))
    return calls


def kernel_records(names=None, *, timings: dict | None = None) -> dict:
    """Run the kernel table (or the entries in ``names``) and return {name: record}, with BLAS
    on one thread as every claim runs (dropmc.claims.one_blas_thread)."""
    import time

    from dropmc.claims import one_blas_thread

    out = {}
    with one_blas_thread():
        for name, fn in kernel_calls():
            if names and name not in names:
                continue
            t0 = time.perf_counter()
            out[name] = _jsonround(encode(fn()))
            if timings is not None:
                timings[name] = time.perf_counter() - t0
    return out


def record_kernels() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    timings = {}
    kernels = kernel_records(timings=timings)
    for name, sec in timings.items():
        print(f"{name}: {sec:.2f} s", flush=True)
    KERNELS.write_text(json.dumps({"kernels": kernels}, indent=1, sort_keys=True,
                                  ensure_ascii=False) + "\n")
    print(f"{len(kernels)} kernels recorded in {sum(timings.values()):.1f} s", flush=True)


def check_kernels() -> int:
    want = json.loads(KERNELS.read_text())["kernels"]
    got = kernel_records()
    bad = 0
    for name in sorted(set(want) | set(got)):
        if name not in got:
            d = [f"{name}: recorded but no longer in the table"]
        elif name not in want:
            d = [f"{name}: in the table but not recorded"]
        else:
            d = diff(want[name], got[name], name)
        bad += bool(d)
        for line in d[:5]:
            print(line, flush=True)
    print(f"{bad} kernels differ", flush=True)
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("record", "check", "record-kernels", "check-kernels"))
    ap.add_argument("--paper", nargs="*", default=list(SEEDS))
    a = ap.parse_args(argv)
    if a.action == "record-kernels":
        record_kernels()
        return 0
    if a.action == "check-kernels":
        return check_kernels()
    if a.action == "record":
        record(a.paper)
        return 0
    return check(a.paper)


if __name__ == "__main__":
    sys.exit(main())
