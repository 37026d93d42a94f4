"""Baldi & Sadowski (ensemble_averaging): the dropout-trained digits network: Sec. 9.5–9.6 statements and Figs. 9.3–9.15.

Data loaders (scikit-learn digits, MNIST IDX files), the dropout training (determinism), the
Monte Carlo kernel over dropout subnetworks against its plain-numpy reference, the ensemble
network of Eq. 98/121/122, and power and mutation tests of the trained-network claims. The
claims' verdicts at quick precision are checked by tests/test_ensemble_averaging.py from
EXPECTED below.
"""

import gzip

import numpy as np
import pytest
from conftest import shared_studies
from scipy import special

from dropmc.claims import Verdict
from dropmc.registry import all_claims
from dropmc.runner import evaluate
from dropmc.simulations import datasets
from dropmc.simulations import ensemble_averaging as sim
from dropmc.theory import ensemble_averaging as th

R, A = Verdict.REFUTED, Verdict.APPROXIMATE
# expected verdict at quick and standard precision (full claim ids; default CONFIRMED)
EXPECTED: dict = {f"ensemble_averaging.{k}": v for k, v in {
    "fig9_3.nwgm_within_bounds": R, "fig9_3.w_within_bounds": R,
    "fig9_4_5.eq202_more_accurate": R, "fig9_6.nwgm_minus_e_gaussian": R,
    "fig9_7.w_minus_e_gaussian": R, "fig9_8_9.var_rough_upper_bound_per_layer": R,
    "fig9_10_11.var_larger_during_learning": R,
    "sec9_5.net_deviations_centred_small": A, "fig9_9.initial_state": A,
    "sec9_5.dsigma_sq_much_smaller_at_end": R,
}.items()}
CORRECTIONS: dict = {}  # printed claim -> its registered correction (slugs)
#: another reading of a printed claim's wording -> the printed claim, which decides the reading
#: the paper itself uses (slugs)
READINGS: dict = {"fig9_8_9.var_rough_upper_bound_per_layer": "fig9_8_9.var_rough_upper_bound",
                  "sec9_5.dsigma_sq_much_smaller_typical": "sec9_5.dsigma_sq_much_smaller_at_end"}


def _claim(slug):
    return next(c for c in all_claims("ensemble_averaging") if c.id == f"ensemble_averaging.{slug}")


def _module_claims():
    """The claims registered in trained_network.py."""
    from dropmc.papers.ensemble_averaging import trained_network

    return [c for c in all_claims("ensemble_averaging")
            if c.evaluate.fn.__module__ == trained_network.__name__]


# --- data ----------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip(tmp_path, suffix):
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (7, 4, 3), dtype=np.uint8)
    lab = rng.integers(0, 10, 7).astype(np.uint8)
    fl = rng.standard_normal((2, 5)).astype(np.float32)
    for name, a in (("img", img), ("lab", lab), ("fl", fl)):
        datasets.save_idx(tmp_path / f"{name}{suffix}", a)
        b = datasets.load_idx(tmp_path / f"{name}{suffix}")
        assert b.dtype == a.dtype and b.shape == a.shape and np.array_equal(a, b)
    X, y = datasets.load_mnist_idx(tmp_path / f"img{suffix}", tmp_path / f"lab{suffix}")
    assert X.shape == (7, 12) and np.allclose(X * 255, img.reshape(7, -1)) and y.dtype == np.int64
    # the header MNIST uses: magic 0x00000803 for images
    raw = (tmp_path / f"img{suffix}").read_bytes()
    raw = gzip.decompress(raw) if suffix else raw
    assert raw[:4] == b"\x00\x00\x08\x03"


def test_idx_bad_files(tmp_path):
    good = bytes([0, 0, 8, 1]) + (3).to_bytes(4, "big") + bytes([1, 2, 3])
    cases = {"magic": b"\x01\x00\x08\x01" + good[4:], "type": bytes([0, 0, 7, 1]) + good[4:],
             "short": b"\x00\x00", "header": bytes([0, 0, 8, 3]) + (3).to_bytes(4, "big"),
             "data": good[:-1], "trailing": good + b"\x00"}
    msgs = {"magic": "bad IDX magic", "type": "unknown IDX type", "short": "not an IDX file",
            "header": "truncated IDX header", "data": "truncated IDX data", "trailing": "trailing"}
    for k, raw in cases.items():
        (tmp_path / k).write_bytes(raw)
        with pytest.raises(ValueError, match=msgs[k]):
            datasets.load_idx(tmp_path / k)
    (tmp_path / "good").write_bytes(good)
    assert datasets.load_idx(tmp_path / "good").tolist() == [1, 2, 3]
    (tmp_path / "cut.gz").write_bytes(gzip.compress(good * 50)[:20])
    with pytest.raises(ValueError, match="gzip"):
        datasets.load_idx(tmp_path / "cut.gz")
    with pytest.raises(FileNotFoundError):
        datasets.load_idx(tmp_path / "missing")
    datasets.save_idx(tmp_path / "img", np.zeros((2, 2, 2), np.uint8))
    datasets.save_idx(tmp_path / "lab", np.zeros(3, np.uint8))
    with pytest.raises(ValueError, match="2 images but"):
        datasets.load_mnist_idx(tmp_path / "img", tmp_path / "lab")
    with pytest.raises(ValueError, match="idx3-ubyte"):
        datasets.load_mnist_idx(tmp_path / "lab", tmp_path / "lab")


def test_digits_split():
    X, y, Xt, yt = datasets.load_digits_split()
    assert X.shape == (1348, 64) and Xt.shape == (449, 64) and X.min() >= 0 and X.max() <= 1
    assert set(np.unique(y)) == set(range(10))
    with pytest.raises(ValueError, match="test_fraction"):
        datasets.load_digits_split(1.5)


# --- training ------------------------------------------------------------------------------

def _tiny(seed=0, epochs=3):
    X, y, Xt, yt = datasets.load_digits_split()
    return sim.train_dropout_classifier(X[:300], y[:300], Xt[:100], yt[:100], hidden=(8, 8),
                                        epochs=epochs, seed=seed, snapshot_epochs=(1,))


def test_training_is_deterministic():
    a, b, c = _tiny(0), _tiny(0), _tiny(1)
    assert [e for e, _ in a.snapshots] == [0, 1, 3]
    for (_, na), (_, nb) in zip(a.snapshots, b.snapshots):
        assert all(np.array_equal(x, y) for x, y in zip(na.Ws + na.bs, nb.Ws + nb.bs))
    assert not np.array_equal(a.final.Ws[0], c.final.Ws[0])
    assert a.test_accuracy == b.test_accuracy and 0 <= a.test_accuracy <= 1
    assert a.final.sizes == (64, 8, 8, 10) and a.final.ps == (0.8, 0.5, 0.5)


def test_training_bad_input():
    X, y, Xt, yt = datasets.load_digits_split()
    with pytest.raises(ValueError, match="p_in"):
        sim.train_dropout_classifier(X, y, Xt, yt, p_in=0.0, epochs=1)
    with pytest.raises(ValueError, match="labels"):
        sim.train_dropout_classifier(X, y[:-1], Xt, yt, epochs=1)
    with pytest.raises(ValueError, match="features"):
        sim.train_dropout_classifier(X, y, Xt[:, :10], yt, epochs=1)


def test_digits_inputs_are_the_classifiers_test_inputs():
    """Read from the data split without training, they are the trained classifier's own."""
    with shared_studies():
        c = sim.digits_classifier()
    order = np.random.default_rng(np.random.SeedSequence(0)).permutation(c.y_test.size)
    np.testing.assert_array_equal(sim.digits_inputs(c.y_test.size), c.X_test[order])
    np.testing.assert_array_equal(sim.digits_inputs(), c.X_test[order[:sim.DIGITS_N_INPUTS]])
    with pytest.raises(ValueError, match="k must be <= 449"):
        sim.digits_inputs(450)


def test_digits_classifier_is_memoised_and_trained():
    with shared_studies():  # the session's training (the claims' network)
        c = sim.digits_classifier()
        assert c is sim.digits_classifier()
    assert c.final.sizes == (64, 128, 128, 128, 128, 10) and c.test_accuracy > 0.9
    assert c.snapshot(0) is c.initial and "test accuracy" in c.describe()


# --- the Monte Carlo kernel against plain numpy ---------------------------------------------

def _small_net(seed=0):
    g = np.random.default_rng(seed)
    sizes = [5, 4, 3, 2]
    return sim.DropoutMLP(tuple(g.normal(0, 1.5, (sizes[l + 1], sizes[l])) for l in range(3)),
                          tuple(g.normal(0, 1, sizes[l + 1]) for l in range(3)), (0.8, 0.5, 0.5)), g


def test_kernel_matches_plain_numpy():
    """Same law, independent streams: every per-unit mean of the kernel agrees with the numpy
    reference within 5 combined SEs, a resolution below 0.5 % of E(O), E(O²), E σ'(S) and
    E(O_aO_b) for every coordinate above 0.1 (1,000,000 draws on this net)."""
    net, g = _small_net()
    I = g.random(5)
    pairs = np.array([[0, 1], [0, 4], [4, 8], [2, 7], [5, 6]])
    n = 1_000_000
    r = sim.estimate_mlp_moments(net, I, n=n, pairs=pairs, rng=1)
    ref = sim.mlp_moments_numpy(net, I, n, pairs=pairs, rng=2)
    for k in sim.MLP_STATS + ("pair",):
        se = r.se(r.dev(k))[0]
        z = (r.mean[k][0] - ref[k]) / (np.sqrt(2) * se)
        assert np.all(np.abs(z) < 5), (k, z)
        if k in ("O", "O2", "pair", "dsig"):  # the test could see a 0.5 % bias
            big = np.abs(ref[k]) > 0.1
            assert np.all(5 * np.sqrt(2) * se[big] < 0.005 * np.abs(ref[k][big])), k
    # NWGM from the logs equals σ(E(S)) (log O − log(1 − O) = S for every draw)
    N, _ = r.NWGM()
    assert np.allclose(N, special.expit(r.mean["S"]), rtol=0, atol=1e-12)


def test_kernel_thread_independent_and_validated(monkeypatch):
    net, g = _small_net(1)
    I = g.random((2, 5))
    out = []
    for t in ("1", "2"):
        monkeypatch.setenv("DROPMC_THREADS", t)
        out.append(sim.estimate_mlp_moments(net, I, n=5000, pairs=[[0, 5]], rng=3))
    for k in out[0].mean:
        assert np.array_equal(out[0].mean[k], out[1].mean[k])
    with pytest.raises(ValueError, match="columns"):
        sim.estimate_mlp_moments(net, np.ones(4), n=100)
    with pytest.raises(ValueError, match="pairs"):
        sim.estimate_mlp_moments(net, I, n=100, pairs=[[0, 99]])
    with pytest.raises(TypeError, match="DropoutMLP"):
        sim.estimate_mlp_moments("net", I, n=100)


def test_pairs_and_ensemble_removal():
    net, g = _small_net(2)
    lay = net.unit_layer()
    up = sim.mlp_pairs(net, 200, connected=False, rng=0)
    cp = sim.mlp_pairs(net, 200, connected=True, rng=0)
    assert np.all(np.abs(lay[up[:, 0]] - lay[up[:, 1]]) != 1) and np.all(up[:, 0] != up[:, 1])
    assert np.all(lay[cp[:, 0]] == lay[cp[:, 1]] + 1) and np.all(lay[cp[:, 1]] >= 1)
    # Eq. 121 equals forward propagation of the ensemble net with the edge j → i removed
    I = g.random(5)
    U, W = net.ensemble_flat(I)
    w, p = sim.connected_pair_terms(net, cp[:5])
    off = np.concatenate([[0], np.cumsum(net.sizes[1:])])
    for (i, j), wij, pj, got in zip(cp[:5], w, p, th.eq121_removed(U[0, cp[:5, 0]], w, p,
                                                                   W[0, cp[:5, 1]])):
        Ws = [x.copy() for x in net.Ws]
        Ws[lay[i] - 1][i - off[lay[i] - 1], j - off[lay[j] - 1]] = 0.0
        ref = th.ensemble_network(Ws, net.bs, net.ps, I)["W"][lay[i] - 1][i - off[lay[i] - 1]]
        assert abs(got - ref) < 1e-14
    # Eq. 122 is its first-order expansion: error O(w²)
    errs = [abs(th.eq122_removed_taylor(0.3, s, 0.5, 0.7) - th.eq121_removed(0.3, s, 0.5, 0.7))
            for s in (0.1, 0.01)]
    assert 50 < errs[0] / errs[1] < 200


# --- power and mutation of the trained-network claims -----------------------------------------

# power at quick precision (grid 1, 0.32, 0.1, 0.032, …): the margins are the measured ones
# (see the claims' details): W(1 − W) ≈ 0.25 within 1 % of 0.25 with a measured max error of
# 0.15 % → δ ≤ 0.032; 0 better than W(1 − W) at the end (error of 0 is 0.43 of that of
# W(1 − W), margin 0.57) and the W_iW_j / 0 error ratio 0.27 against ½ (margin 0.46) are only
# refuted at the grid's δ = 1 (the next point, 0.32, is below both margins): power "at one
# only" is what these wide margins allow; the connected-pair improvement (1.5 % of an error of
# 0.01) against a tightening δ·(mean error) → δ ≤ 0.032.
POWER = [("fig9_9.initial_state", 0.032), ("sec9_6.net_zero_better_at_ends", 1.0),
         ("fig9_12_13.eq119_much_better_than_zero", 1.0),
         ("fig9_14.eq124_small_improvement_at_end", 0.032)]


@pytest.mark.parametrize("slug,bound", POWER, ids=[p[0] for p in POWER])
def test_power_of_network_claims(slug, bound):
    from dropmc.runner import power

    pw = power(_claim(slug), seed=1, precision="quick")
    assert pw["status"] == ("at one only" if bound == 1.0 else "measured"), pw
    assert pw["delta"] <= bound, pw


def _scaled(f, factor):
    return lambda *a, **k: np.asarray(f(*a, **k)) * factor


MUTATIONS = [("fig9_9.initial_state", "eq117_var", 1.02),          # W(1 − W) 2 % off
             ("fig9_14.eq124_small_improvement_at_end", "eq124_pair", 1.01)]  # Eq. 124 1 % off


@pytest.mark.parametrize("slug,fn,factor", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutated_theory_is_not_confirmed(monkeypatch, slug, fn, factor):
    """At the seed of the verdict tests the claim holds (their evaluation, shared) and, with
    the theory function off by ``factor`` the only change, is REFUTED."""
    from conftest import evaluate_quick

    c = _claim(slug)
    assert evaluate_quick(c, 2026).verdict in (Verdict.CONFIRMED, Verdict.APPROXIMATE)
    monkeypatch.setattr(th, fn, _scaled(getattr(th, fn), factor))
    after = evaluate(c, seed=2026, precision="quick", catch=False)
    assert after.verdict is Verdict.REFUTED, after.summary


def test_mutated_sampler_is_not_confirmed(monkeypatch):
    """A biased sampler — E(O) reported 2 % high — is caught by the centred-deviations claim:
    before training W − E would sit at −0.01, far outside its spread (3e-4)."""
    orig = sim.estimate_mlp_moments

    def biased(*a, **k):
        r = orig(*a, **k)
        r.mean["O"] = r.mean["O"] * 1.02
        r.batch["O"] = r.batch["O"] * 1.02
        return r
    sim.digits_study.cache_clear()
    monkeypatch.setattr(sim.trained_network, "estimate_mlp_moments", biased)
    try:
        after = evaluate(_claim("sec9_5.net_deviations_centred_small"), seed=5, precision="quick",
                         catch=False)
    finally:
        sim.digits_study.cache_clear()
    assert after.verdict is Verdict.REFUTED, after.summary


# --- readings and refutations without a correction --------------------------------------------

def test_every_claim_says_it_runs_on_the_stand_in_network():
    """The report rows (label; statement in the HTML table and the errata) say that these
    claims are decided on the stand-in digits network, not the paper's MNIST network, and the
    size they state is the network's: 8×8 inputs and 128 units in each hidden layer."""
    claims = _module_claims()
    assert len(claims) == 19
    for c in claims:
        assert c.label.endswith("; stand-in digits network (128 units, Adam)"), c.id
        assert c.statement.endswith(
            " Decided on dropmc's stand-in digits network (8×8 digits, 128 units per hidden "
            "layer, Adam), not the paper's MNIST network."), c.id
    with shared_studies():
        assert sim.digits_classifier().final.sizes[:-1] == (8 * 8, 128, 128, 128, 128)


def test_readings_are_registered():
    for other, printed in READINGS.items():
        c, p = _claim(other), _claim(printed)
        assert c.reading_of == p.id and not c.as_printed and c.corrects is None
        assert p.as_printed and c.label == p.label


def test_refuted_printed_claims_say_why_no_correction():
    """A printed claim of this part expected REFUTED has a registered correction or says why it
    has none."""
    corrected = {c.corrects for c in all_claims("ensemble_averaging") if c.corrects}
    mine = _module_claims()
    assert len(mine) > 10
    for c in mine:
        if c.as_printed and EXPECTED.get(c.id) is R and c.id not in corrected:
            assert c.no_correction, c.id


def test_var_bound_pooled_and_per_layer_readings():
    """Figs. 9.8–9.9 pool all non-input unit-inputs: the printed claim's mean Var(O) is the
    unit-weighted mean of the per-layer reading's, on the same Monte Carlo run; the bound holds
    pooled and fails only at the output layer after training (W more saturated than E), where
    the hidden layers have a share of unit-inputs above W(1 − W) that grows with depth."""
    from conftest import evaluate_quick

    pooled = evaluate_quick(_claim("fig9_8_9.var_rough_upper_bound"), 2026)
    layers = evaluate_quick(_claim("fig9_8_9.var_rough_upper_bound_per_layer"), 2026)
    assert pooled.verdict is Verdict.CONFIRMED and layers.verdict is R
    for stage in ("before training", "after training"):
        (p,) = [c for c in pooled.cases if c.params["stage"] == stage]
        per = [c for c in layers.cases if c.params["stage"] == stage]
        k = np.array([int(c.detail.split(" of ")[1].split()[0]) for c in per])
        mean = float(np.array([c.estimate.mean for c in per]) @ k / k.sum())
        assert p.estimate.mean == pytest.approx(mean, rel=1e-9)
        assert p.estimate.mean < p.theory
    assert [(c.params["stage"], c.params["layer"]) for c in layers.cases
            if c.verdict is R] == [("after training", 5)]
    (after,) = [c for c in pooled.cases if c.params["stage"] == "after training"]
    shares = [int(x.split(": ")[1].rstrip("%)")) for x in after.detail.split("(per layer ")[1]
              .split(", ")]
    assert shares[:4] == sorted(shares[:4]) and shares[0] > 10, after.detail


def test_dsigma_sq_mean_and_typical_readings():
    """Sec. 9.5's "much smaller than 1/16 at the end of learning" on the same Monte Carlo run:
    the mean of σ'(E(S))² over the unit-inputs fails in hidden layers 1–4 (the unsaturated
    units keep it above 1/160) and holds in the output layer, while the median, the typical
    unit-input, is more than a hundred times smaller than the mean in every layer; the
    delta-method derivative of σ'² is 2σ'σ''."""
    from conftest import evaluate_quick

    mean = evaluate_quick(_claim("sec9_5.dsigma_sq_much_smaller_at_end"), 2026)
    typical = evaluate_quick(_claim("sec9_5.dsigma_sq_much_smaller_typical"), 2026)
    evidence = [c for c in mean.cases if c.role == "evidence"]
    assert [c.params["layer"] for c in evidence if c.verdict is R] == [1, 2, 3, 4]
    assert typical.verdict is Verdict.CONFIRMED
    for a, b in zip(evidence, typical.cases, strict=True):
        assert a.params == b.params
        assert 0 < b.estimate.mean < 0.01 * a.estimate.mean < 1 / 16
    x, h = np.linspace(-6, 6, 25), 1e-6
    num = (th.dsigma(x + h) ** 2 - th.dsigma(x - h) ** 2) / (2 * h)
    np.testing.assert_allclose(num, 2 * th.dsigma(x) * th.d2sigma(x), atol=1e-9)
