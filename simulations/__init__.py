"""Numba samplers, exact enumeration and Monte Carlo estimators (``dropmc.simulations``).

Generic pieces live in ``_core`` (the deterministic random layer and the chunked runner) and
``enumeration`` (all 2^d masks with their probabilities, Gray-code expectations); each paper
has its own module named by its key. Nothing here knows about claims.
"""

import os as _os


def _numba_cache_dir() -> str | None:
    """Where Numba should cache compiled kernels when it cannot do so beside the sources:
    ``$XDG_CACHE_HOME/dropmc/numba`` (or ``~/.cache/dropmc/numba``) when this package's
    directory is not writable (a system-wide install) and the user has not set
    ``NUMBA_CACHE_DIR``; None otherwise (the cache stays in ``__pycache__`` beside the kernels)."""
    if _os.environ.get("NUMBA_CACHE_DIR") or _os.access(_os.path.dirname(__file__), _os.W_OK):
        return None
    base = _os.environ.get("XDG_CACHE_HOME") or _os.path.join(_os.path.expanduser("~"), ".cache")
    return _os.path.join(base, "dropmc", "numba")


# every kernel module is in this package, so this runs before a kernel imports Numba (Numba
# reads the variable once, at its import)
if (_cache := _numba_cache_dir()) is not None:
    _os.environ["NUMBA_CACHE_DIR"] = _cache
