"""Shared test settings: hypothesis profile and small helpers."""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# deterministic hypothesis runs in CI (derandomize) with a modest budget on 2 cores
settings.register_profile("dropmc", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.differing_executors])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dropmc"))


@pytest.fixture
def rng():
    return np.random.default_rng(20261123)


#: one quick-precision evaluation per (claim, seed) per session: the per-paper verdict tests
#: and the known-answer test (tests/test_known_answers.py) share it, so each claim is decided
#: once
_QUICK: dict = {}


def evaluate_quick(claim, seed: int):
    """``runner.evaluate(claim, seed=seed, precision="quick")``, cached for the session. An
    exception inside the claim is re-raised (as ``catch=False`` would)."""
    from dropmc.runner import evaluate

    key = (claim.id, int(seed))
    if key not in _QUICK:
        try:
            _QUICK[key] = evaluate(claim, seed=seed, precision="quick", catch=False)
        except Exception as exc:  # noqa: BLE001 - re-raised for every test that asks
            _QUICK[key] = exc
    r = _QUICK[key]
    if isinstance(r, Exception):
        raise r
    return r


def at_thread_counts(monkeypatch, compute, counts=(1, 2)) -> list:
    """``compute()`` run once per thread count (chunk threads through ``DROPMC_THREADS`` and
    numba's threads, capped at what numba has), numba's count restored after: the results of a
    sampler that is bit-identical whatever the thread count must all be equal."""
    import numba

    old = numba.get_num_threads()
    out = []
    try:
        for nt in counts:
            monkeypatch.setenv("DROPMC_THREADS", str(nt))
            numba.set_num_threads(min(nt, numba.config.NUMBA_NUM_THREADS))
            out.append(compute())
    finally:
        numba.set_num_threads(old)
    return out


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups off the markers
def pytest_collection_modifyitems(config, items):
    """Put the tests that decide the same claim at quick precision (a paper's verdict tests,
    the known-answer test) in one pytest-xdist group, so that under ``make test``
    (``-n auto --dist loadgroup``) they run in one worker and :func:`evaluate_quick` decides
    the claim once. A test's claim is a parameter that is a claim, a claim id, or a slug of the
    paper its module is named after."""
    from dropmc import PAPER_KEYS
    from dropmc.registry import all_claims

    ids = {c.id for c in all_claims()}
    for item in items:
        spec = getattr(item, "callspec", None)
        if spec is None:
            continue
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        paper = next((k for k in PAPER_KEYS if module.startswith(f"test_{k}")), None)
        for value in spec.params.values():
            cid = getattr(value, "id", value)
            if not isinstance(cid, str):
                continue
            if cid not in ids and paper is not None:
                cid = f"{paper}.{cid}"
            if cid in ids:
                item.add_marker(pytest.mark.xdist_group(cid))
                break
