"""Studies computed once per run: trained networks, populations of networks, Monte Carlo
studies of one network that several claims (their power runs, the figures) use.

A function decorated with :func:`study` is memoised in its process for the same arguments (as
``functools.lru_cache``, whose ``cache_clear`` it keeps). When a run names a *study directory*
(:data:`ENV`, set by ``dropmc verify`` for a run on several processes, and handed to the Dask
workers), the result is also kept there, pickled under a key made of the function's qualified
name and the ``repr`` of its arguments: the first process to need a study computes it while
the others wait on a file lock, then read it. A study must be a pure function of its
arguments (the seed among them), so that where it was computed cannot change a number; the
directory belongs to one run of one version of the code and is removed with it.

This module sits below the engine and the samplers (it imports neither), so that
``dropmc.simulations``, the catalogs and the figures can all use it.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import pickle
from pathlib import Path
from typing import Callable

#: the environment variable naming the run's study directory (unset: memoised per process)
ENV = "DROPMC_STUDY_DIR"


def study(maxsize: int = 8) -> Callable[[Callable], Callable]:
    """Memoise a study per process (the last ``maxsize`` argument tuples) and, within a run on
    several processes, once for the whole run (:data:`ENV`)."""

    def deco(fn: Callable) -> Callable:
        memo = functools.lru_cache(maxsize=maxsize)(_shared(fn))
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            # one key per study, however the call spells it: f(), f(seed=0) and f(0) are the
            # same call when 0 is the default (the memo and the directory key on the
            # arguments as written)
            call = signature.bind(*args, **kwargs)
            call.apply_defaults()
            return memo(*call.args, **call.kwargs)

        wrapper.cache_clear = memo.cache_clear
        wrapper.cache_info = memo.cache_info
        wrapper.__wrapped__ = fn
        wrapper.study = True  # a memoised wrapper (tools/fuzz_calls.py leaves these out)
        return wrapper

    return deco


def _shared(fn: Callable) -> Callable:
    """``fn`` read from / written to the run's study directory when there is one."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def shared(*args, **kwargs):
        root = os.environ.get(ENV)
        if not root:
            return fn(*args, **kwargs)
        key = hashlib.sha256(repr((name, args, sorted(kwargs.items()))).encode()).hexdigest()[:32]
        path = Path(root) / f"{key}.pkl"
        return _load_or_compute(path, lambda: fn(*args, **kwargs))

    return shared


def _load_or_compute(path: Path, compute: Callable):
    """The pickled value at ``path``, or ``compute()`` written there (atomically) under an
    exclusive lock, so that processes wanting the same study compute it once."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if path.exists():
                with open(path, "rb") as f:
                    return pickle.load(f)
            value = compute()
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            return value
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
