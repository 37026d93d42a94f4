"""Studies computed once per run (dropmc._studies): memoised in a process, and shared through
the run's study directory between processes (a Dask run's workers and its figure phase)."""

import threading

import numpy as np

from dropmc import _studies

CALLS = []


@_studies.study(maxsize=4)
def _trained(seed: int, n: int = 3) -> np.ndarray:
    CALLS.append((seed, n))
    return np.random.default_rng(seed).normal(size=n)


def test_memoised_in_a_process_without_a_study_directory(monkeypatch):
    monkeypatch.delenv(_studies.ENV, raising=False)
    CALLS.clear()
    _trained.cache_clear()
    a, b = _trained(1, 5), _trained(1, 5)
    assert a is b and CALLS == [(1, 5)]
    _trained.cache_clear()
    _trained(1, 5)
    assert CALLS == [(1, 5), (1, 5)]  # nothing kept outside the process


def test_a_run_directory_computes_each_study_once(monkeypatch, tmp_path):
    monkeypatch.setenv(_studies.ENV, str(tmp_path))
    CALLS.clear()
    _trained.cache_clear()
    a = _trained(2, 7)
    _trained.cache_clear()  # another process: an empty memo
    b = _trained(2, 7)
    assert CALLS == [(2, 7)]
    np.testing.assert_array_equal(a, b)  # pickled exactly
    _trained(3, 7)
    assert CALLS == [(2, 7), (3, 7)]  # other arguments, another study
    assert len(list(tmp_path.glob("*.pkl"))) == 2 and not list(tmp_path.glob("*.tmp"))


def test_concurrent_askers_wait_for_one_computation(monkeypatch, tmp_path):
    monkeypatch.setenv(_studies.ENV, str(tmp_path))
    CALLS.clear()
    _trained.cache_clear()
    out = [None] * 4

    def ask(i):
        out[i] = _trained(4, 100_000)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert CALLS == [(4, 100_000)]
    for x in out[1:]:
        np.testing.assert_array_equal(x, out[0])


def test_calls_that_differ_only_in_spelling_share_one_study(monkeypatch, tmp_path):
    """Defaults filled in, keywords put in place: f(1), f(1, 3), f(seed=1) and f(n=3, seed=1)
    are one study, in the process and in the run's directory."""
    monkeypatch.setenv(_studies.ENV, str(tmp_path))
    CALLS.clear()
    _trained.cache_clear()
    a = _trained(1)
    assert all(f() is a for f in (lambda: _trained(1, 3), lambda: _trained(seed=1),
                                  lambda: _trained(n=3, seed=1)))
    _trained.cache_clear()  # another process: read from the directory under the same key
    np.testing.assert_array_equal(_trained(seed=1, n=3), a)
    assert CALLS == [(1, 3)]
