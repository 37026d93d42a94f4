"""The deterministic random layer: seeds, chunk streams, thread-count independence."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from dropmc.simulations._core import (as_generator, as_seed_sequence, chunk_generators,
                                      chunk_sizes, chunks_on, run_blocks, run_chunks)


def test_as_seed_sequence_accepts_spec7_inputs():
    assert as_seed_sequence(3).entropy == 3
    ss = np.random.SeedSequence(9)
    assert as_seed_sequence(ss) is ss
    g1 = as_seed_sequence(np.random.default_rng(1))
    g2 = as_seed_sequence(np.random.default_rng(1))
    assert g1.entropy == g2.entropy
    assert isinstance(as_seed_sequence(None), np.random.SeedSequence)
    with pytest.raises(TypeError, match="rng must be"):
        as_seed_sequence("seed")
    with pytest.raises(ValueError, match="non-negative"):
        as_seed_sequence(-1)


@pytest.mark.parametrize("bad,exc", [(-1, ValueError), (2**64, ValueError), (2**70, ValueError),
                                     (2.5, TypeError), (True, TypeError), ([1, 2], TypeError)])
def test_bad_seed_raises_naming_the_parameter(bad, exc):
    with pytest.raises(exc, match=r"^rng must be"):
        as_generator(bad)
    with pytest.raises(exc, match=r"^seed must be"):
        as_seed_sequence(bad, name="seed")


def test_as_generator_is_default_rng_for_valid_seeds():
    for seed in (0, 7, 2**64 - 1, np.int64(5), np.random.SeedSequence(3)):
        assert np.array_equal(as_generator(seed).random(4), np.random.default_rng(seed).random(4))
    g = np.random.default_rng(2)
    assert as_generator(g) is g


def test_chunk_sizes_and_streams():
    assert chunk_sizes(10, 4) == [4, 4, 2]
    with pytest.raises(ValueError, match="n_samples"):
        chunk_sizes(0)
    a = [g.random() for g in chunk_generators(5, 4)]
    b = [g.random() for g in chunk_generators(5, 4)]
    assert a == b and len(set(a)) == 4


def test_run_chunks_is_thread_count_independent():
    f = lambda g, m: g.standard_normal(m).sum()
    one = run_chunks(f, 10_000, 11, chunk_size=1000, threads=1)
    two = run_chunks(f, 10_000, 11, chunk_size=1000, threads=2)
    assert one == two
    # threads take runs of consecutive chunks (batches) and make each chunk's stream there:
    # the results come back in chunk order, whatever the batches
    g = lambda s, m: (int(s[0]), m)
    one = run_chunks(g, 36_500, 3, chunk_size=1000, threads=1, stream="xoshiro")
    assert [m for _, m in one] == [1000] * 36 + [500]
    assert [w for w, _ in one] == [int(s[0]) for s in chunk_states(3, 37)]
    for threads in (2, 3, 64):
        assert run_chunks(g, 36_500, 3, chunk_size=1000, threads=threads, stream="xoshiro") == one


def test_run_blocks_covers_every_block_once_whatever_the_threads():
    for n_blocks in (1, 2, 7, 256):
        for threads in (1, 2, 3, 64):
            hits = np.zeros(n_blocks, dtype=int)

            def kernel(lo, hi):
                assert 0 <= lo < hi <= n_blocks
                hits[lo:hi] += 1

            run_blocks(kernel, n_blocks, threads=threads)
            assert hits.tolist() == [1] * n_blocks, (n_blocks, threads)


def test_chunks_handed_elsewhere_give_the_same_results():
    # chunks_on hands runs of >= min_chunks chunks to another map (a Dask cluster's, on a
    # worker): the streams are the chunks' own, so the results are the same
    f = lambda g, m: g.standard_normal(m).sum()
    sent = []

    def elsewhere(kernel, gens, sizes):
        sent.append(len(sizes))
        return [kernel(g, m) for g, m in zip(reversed(gens), reversed(sizes))][::-1]

    with chunks_on(elsewhere, min_chunks=4):
        many = run_chunks(f, 10_000, 11, chunk_size=1000)
        few = run_chunks(f, 3000, 12, chunk_size=1000)
    assert sent == [10]
    assert many == run_chunks(f, 10_000, 11, chunk_size=1000, threads=1)
    assert few == run_chunks(f, 3000, 12, chunk_size=1000, threads=1)


SCRIPT = r"""
import json, numpy as np
from dropmc.simulations import drop_activation as s
r = s.estimate_x_moments(np.linspace(-1, 1, 16), 0.9, n=200_000, rng=42, chunk_size=4096)
l = s.estimate_dropact_loss(np.eye(3), np.ones((2, 3)), np.array([[1.0, -2.0, 0.5]]),
                            np.zeros((1, 2)), 0.6, n=5000, rng=42, chunk_size=256)
m, se = s.estimate_expected_map(np.linspace(-2, 2, 9), 0.7, "tanh", n=20_000, rng=42)
from dropmc.simulations.enumeration import expect_squared_error
g = np.random.default_rng(0)
e = expect_squared_error(g.normal(size=3), g.normal(size=(18, 3)), g.normal(size=3), 0.3)
SAMPLERS = [e.mean, r["shift_ratio"].mean, r["var_train"].se, l.mean, l.se, m.tolist()]
"""


def test_bit_identical_across_numba_thread_counts(fresh_processes):
    """Same seed, NUMBA_NUM_THREADS = 1 and 2 in fresh processes: identical bits (samplers
    and the parallel Gray-code enumeration)."""
    a, b = (out["samplers"] for out in fresh_processes)
    assert a == b


# --- the in-kernel xoshiro256++ / ziggurat stream --------------------------------------------

from scipy import stats  # noqa: E402

from dropmc.simulations import _xoshiro as xo  # noqa: E402
from dropmc.simulations._core import chunk_states  # noqa: E402


def test_xoshiro_reference_vector():
    """xoshiro256++ from state (1, 2, 3, 4): the first outputs of the reference C code."""
    s = np.array([1, 2, 3, 4], dtype=np.uint64)
    out = [int(xo.next_u64(s)) for _ in range(3)]
    # computed by hand from the reference definition: rotl(s0 + s3, 23) + s0, then the update
    def ref():
        st = [1, 2, 3, 4]
        mask = (1 << 64) - 1
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & mask
        res = []
        for _ in range(3):
            res.append((rotl((st[0] + st[3]) & mask, 23) + st[0]) & mask)
            t = (st[1] << 17) & mask
            st[2] ^= st[0]; st[3] ^= st[1]; st[1] ^= st[2]; st[0] ^= st[3]; st[2] ^= t
            st[3] = rotl(st[3], 45)
        return res
    assert out == ref()
    assert out[0] == 41943041  # rotl(5, 23) + 1


def test_xoshiro_uniforms_are_uniform_and_uncorrelated():
    u = np.empty(1_000_000)
    xo.fill_doubles(chunk_states(2026, 1)[0], u)
    assert u.min() >= 0.0 and u.max() < 1.0
    counts = np.histogram(u, bins=1000, range=(0, 1))[0]
    assert stats.chisquare(counts).pvalue > 1e-4
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 4.5 / np.sqrt(u.size)


def test_register_form_gives_the_same_stream():
    a, b = chunk_states(4, 1)[0], chunk_states(4, 1)[0]
    s0, s1, s2, s3 = b
    for _ in range(100):
        u, *st = xo.next_double_r(s0, s1, s2, s3)
        s0, s1, s2, s3 = (np.uint64(v) for v in st)  # Python ints would be typed int64
        assert u == xo.next_double(a)
    assert list(a) == [s0, s1, s2, s3]


def test_register_normals_give_the_same_stream():
    from numba import njit

    @njit
    def draw(st, n):
        s0, s1, s2, s3 = st[0], st[1], st[2], st[3]
        out = np.empty(n)
        for i in range(n):
            out[i], s0, s1, s2, s3 = xo.next_normal_r(s0, s1, s2, s3)
        st[0], st[1], st[2], st[3] = s0, s1, s2, s3
        return out

    a, b = chunk_states(12, 1)[0], chunk_states(12, 1)[0]
    ref = np.empty(200_000)
    xo.fill_normals(a, ref)   # 200k draws reach the wedge and tail branches many times
    np.testing.assert_array_equal(draw(b, 200_000), ref)
    np.testing.assert_array_equal(a, b)


def test_xoshiro_streams_are_independent():
    a, b = (np.empty(500_000) for _ in range(2))
    s1, s2 = chunk_states(7, 2)
    xo.fill_doubles(s1, a)
    xo.fill_doubles(s2, b)
    assert abs(np.corrcoef(a, b)[0, 1]) < 4.5 / np.sqrt(a.size)
    assert not np.array_equal(s1, s2)


def test_ziggurat_normals_fit_the_normal_law():
    z = np.empty(2_000_000)
    xo.fill_normals(chunk_states(11, 1)[0], z)
    assert stats.kstest(z, "norm").pvalue > 1e-4
    n = z.size
    assert abs(z.mean()) < 4.5 / np.sqrt(n)
    assert abs(z.var() - 1) < 4.5 * np.sqrt(2 / n)
    assert abs(np.mean(z ** 4) - 3) < 4.5 * np.sqrt(96 / n)
    # the base-strip tail sampler beyond r = 3.654: its mass and its shape
    tail = np.abs(z) > xo.ZIG_R
    p_tail = 2 * stats.norm.sf(xo.ZIG_R)
    assert abs(tail.mean() - p_tail) < 4.5 * np.sqrt(p_tail / n)
    excess = np.abs(z[tail])
    cdf = lambda x: 1 - stats.norm.sf(x) / stats.norm.sf(xo.ZIG_R)
    assert stats.kstest(excess, cdf).pvalue > 1e-4


# --- every paper: a whole claim's evidence is the same at 1 and 2 Numba threads --------------

#: claims whose evidence comes from parallel kernels (samplers, Gray-code and network
#: enumeration), at least one per paper
THREAD_CLAIMS = (
    "drop_activation.prop5_2.eq15_shift_ratio",
    "drop_activation.prop5_1.eq10_corrected",
    "variance_constancy.eq1.var_sample_variance",
    "ensemble_averaging.eq18_20.connection_dropout_layer",
    "ensemble_averaging.eq26.deep_mean_connections",
    "implicit_regularization.lemma1.monte_carlo",
    "implicit_regularization.sec3_3.eta_moments",
)

CLAIM_SCRIPT = r"""
import sys
from dropmc import registry, runner
CLAIMS = {}
for cid in sys.argv[1:]:
    r = runner.evaluate(registry.get(cid), seed=31, precision="quick", catch=False)
    CLAIMS[cid] = [[c["theory"], c["estimate"], c["se"], c["z"], c["verdict"]]
                   for c in r.to_dict()["cases"]]
"""


@pytest.fixture(scope="module")
def fresh_processes() -> list[dict]:
    """The outputs of :data:`SCRIPT` (the samplers) and :data:`CLAIM_SCRIPT` (the claims of
    :data:`THREAD_CLAIMS`), run together in one fresh process at NUMBA_NUM_THREADS = 1 and one
    at 2: ``[{"samplers": ..., "claims": ...}, {...}]`` (once: the module's tests share a
    pytest-xdist worker, tests/conftest.py)."""
    env = {k: v for k, v in os.environ.items() if k != "DROPMC_THREADS"}
    code = SCRIPT + CLAIM_SCRIPT + "print(json.dumps({'samplers': SAMPLERS, 'claims': CLAIMS}))"
    outs = []
    for nt in ("1", "2"):
        env["NUMBA_NUM_THREADS"] = nt
        res = subprocess.run([sys.executable, "-c", code, *THREAD_CLAIMS], env=env,
                             capture_output=True, text=True, check=True)
        outs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return outs


def test_every_paper_claims_bit_identical_across_thread_counts(fresh_processes):
    """The same seed at NUMBA_NUM_THREADS = 1 and 2 (fresh processes) gives the same bits in
    every case of claims from all four papers."""
    a, b = (out["claims"] for out in fresh_processes)
    assert {c.split(".")[0] for c in THREAD_CLAIMS} == {
        "drop_activation", "variance_constancy", "ensemble_averaging", "implicit_regularization"}
    for cid in THREAD_CLAIMS:
        assert a[cid] == b[cid], cid
