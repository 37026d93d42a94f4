"""Shared test settings: hypothesis profile and small helpers."""

import contextlib
import dataclasses
import os
import shutil
import sys
import tempfile
from pathlib import Path

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


#: one quick-precision evaluation per (claim, seed) per session: the per-paper verdict tests,
#: the known-answer test (tests/test_known_answers.py) and the tests that read a claim's cases
#: at its paper's seed share it, so each claim is decided once
_QUICK: dict = {}

#: the session's directory, made by the controlling process and handed to the pytest-xdist
#: workers in this environment variable: the quick evaluations and their studies
#: (:mod:`dropmc._studies`), so that each is computed by one process of the session
_SESSION_DIR = "DROPMC_TEST_SESSION_DIR"
_SESSION_KEY = pytest.StashKey[str]()


def pytest_configure(config):
    if hasattr(config, "workerinput"):
        # a pytest-xdist worker (make test runs one per core): its Monte Carlo chunks run on
        # one thread, so that the workers do not hand each other's cores chunks. No number
        # depends on it (every sampler is bit-identical whatever the thread count); the tests
        # that compare thread counts set them (at_thread_counts, the fresh processes of
        # tests/test_random.py)
        os.environ.setdefault("DROPMC_THREADS", "1")
    if not hasattr(config, "workerinput") and not os.environ.get(_SESSION_DIR):
        os.environ[_SESSION_DIR] = tempfile.mkdtemp(prefix="dropmc-tests-")
        config.stash[_SESSION_KEY] = os.environ[_SESSION_DIR]


def pytest_ignore_collect(collection_path, config):
    """tests/test_slow.py holds slow tests only (about 9,700: every claim for 12 seeds, twice):
    under the default ``-m 'not slow'`` it is not collected at all, which saves each worker
    building and deselecting them (about a second)."""
    if collection_path.name == "test_slow.py" and config.getoption("markexpr") == "not slow":
        return True
    return None


def pytest_collection_finish(session):
    """In a pytest-xdist worker of a session that runs the kernel table anyway (its known-answer
    test is selected, as in ``make test``): compile the kernels first, shared between the
    workers (:func:`_compile_kernels`). A run of a few modules compiles only what it calls."""
    if hasattr(session.config, "workerinput") and os.environ.get(_SESSION_DIR) and any(
            it.name == "test_kernels_reproduce_known_answers" for it in session.items):
        _compile_kernels(Path(os.environ[_SESSION_DIR]) / "kernels")


def _compile_kernels(claimed: Path) -> None:
    """Call every entry of the kernel table (tools/known_answers.py, the public samplers with
    small fixed arguments) once in the session, the pytest-xdist workers each taking the next
    entry no worker has claimed: on a fresh clone numba then compiles each kernel once, into
    its cache, instead of in both workers at once and again in the tests' subprocesses (it
    measured 96 CPU-seconds of first compiles across the suite, 47 for the table in one
    process, before the enumerations left parallel=True loops). With the caches warm this loads them and takes under a second. A failing entry
    is left to tests/test_known_answers.py, which reports it."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from known_answers import kernel_calls  # tools/ is not a package: on sys.path above

    from dropmc.claims import one_blas_thread

    claimed.mkdir(exist_ok=True)
    with one_blas_thread():
        for i, (_, call) in enumerate(kernel_calls()):
            try:
                os.close(os.open(claimed / str(i), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                continue  # the other worker's
            with contextlib.suppress(Exception):
                call()


def pytest_unconfigure(config):
    path = config.stash.get(_SESSION_KEY, None)
    if path is not None:
        os.environ.pop(_SESSION_DIR, None)
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def shared_studies():
    """Within the block, studies (trained networks, Monte Carlo studies several claims share)
    are kept in the session's directory, so that the pytest-xdist workers compute each once.
    For unmutated code only (:func:`evaluate_quick`, a test reading a claim's study at its
    paper's seed), or a mutation no study calls (a claim's closed form): a test that
    monkeypatches a sampler computes its studies in its own process."""
    from dropmc import _studies

    root = os.environ.get(_SESSION_DIR)
    if not root or os.environ.get(_studies.ENV):
        yield
        return
    os.environ[_studies.ENV] = str(Path(root) / "studies")
    try:
        yield
    finally:
        os.environ.pop(_studies.ENV, None)


def _decide(claim, seed: int):
    """The claim decided at quick precision by one process of the session: the first to ask
    evaluates it (its studies shared, :func:`shared_studies`) and keeps the result in the
    session's directory, the others wait for it and read it (``dropmc._studies`` locking)."""
    from dropmc import _studies
    from dropmc.runner import evaluate

    def compute():
        with shared_studies():
            r = evaluate(claim, seed=seed, precision="quick", catch=False)
        return dataclasses.replace(r, claim=None)  # the claim's callables stay in the process

    root = os.environ.get(_SESSION_DIR)
    if not root:
        return evaluate(claim, seed=seed, precision="quick", catch=False)
    path = Path(root) / "claims" / f"{claim.id}.{seed}.pkl"
    return dataclasses.replace(_studies._load_or_compute(path, compute), claim=claim)


def evaluate_quick(claim, seed: int):
    """``runner.evaluate(claim, seed=seed, precision="quick")``, decided once in the session
    (:func:`_decide`) and cached in the process. An exception inside the claim is re-raised
    (as ``catch=False`` would); a claim that raises is evaluated again by each process."""
    key = (claim.id, int(seed))
    if key not in _QUICK:
        try:
            _QUICK[key] = _decide(claim, int(seed))
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


@pytest.hookimpl(hookwrapper=True)  # around pytest-xdist's hook, which reads the markers
def pytest_collection_modifyitems(config, items):
    """Put the tests that decide the same claim at quick precision (a paper's verdict tests,
    the known-answer test, the power and mutation tests of that claim) in one pytest-xdist
    group, so that under ``make test`` (``-n auto --dist loadgroup``) they run in one worker
    and :func:`evaluate_quick` decides the claim there. A test's claim is a parameter that is a
    claim, a claim id, or a slug of the paper its module is named after. Every other test is
    grouped with its module's (as ``--dist loadfile``): module fixtures are computed once, and
    thousands of quick tests go to a worker in a few messages instead of one each. A test that
    names its group keeps it; the slow suite is not grouped (its sweeps run seed by seed on
    every worker, so that the claims sharing a per-seed study find it memoised:
    tests/test_slow.py)."""
    from dropmc import PAPER_KEYS
    from dropmc.registry import all_claims

    ids = {c.id for c in all_claims()}
    claims: dict = {}  # claim id -> the order its group is first named in
    rank: dict = {}
    for item in items:
        if item.get_closest_marker("xdist_group") or item.get_closest_marker("slow"):
            continue
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        claim = _claim_of(item, module, ids, PAPER_KEYS)
        item.add_marker(pytest.mark.xdist_group(claim or module))
        if claim is not None:
            claims.setdefault(claim, len(claims))
            rank[id(item)] = claims[claim]
    if getattr(config.option, "loadgroup", False):
        # pytest-xdist hands the groups out in this order, each to the first idle worker, so
        # the last groups decide how close together the workers end: the module groups first,
        # then the claim groups in the reverse of the order the modules name them, which puts
        # the papers with the many cheap claims last (measured at quick precision: Drop-
        # Activation and Baldi-Sadowski 0.23 s a claim, at most 1.4 and 4.1 s; Zhang-Xu and
        # Littwin-Wolf 0.65 s, at most 5.9 s, the last handed out before)
        items[:] = sorted(items, key=lambda it: -rank.get(id(it), len(claims)))
    yield
    if getattr(config.option, "loadgroup", False):  # a worker of --dist loadgroup
        _name_groups(items)


def _claim_of(item, module: str, ids: set, papers) -> str | None:
    """The id of the claim a parameter of ``item`` names, if one does."""
    spec = getattr(item, "callspec", None)
    if spec is None:
        return None
    paper = next((k for k in papers if module.startswith(f"test_{k}")), None)
    for value in spec.params.values():
        cid = getattr(value, "id", value)
        if not isinstance(cid, str):
            continue
        if cid not in ids and paper is not None:
            cid = f"{paper}.{cid}"
        if cid in ids:
            return cid
    return None


def _name_groups(items) -> None:
    """Append ``@group`` to the node id of each grouped test where pytest-xdist's own hook could
    not: it writes ``item._nodeid``, which pytest 9.2 no longer reads (node ids became
    structured), and the tests of a group then go to any worker (pytest-xdist issue 1386)."""
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # pytest < 9.2: pytest-xdist's renaming works
        return
    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        nodeid = item.nodeid
        if names and nodeid.rfind("@") <= nodeid.rfind("]"):
            item._id = NodeId.parse(f"{nodeid}@{'_'.join(names)}")
