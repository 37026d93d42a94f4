"""Argument checks shared by every layer.

Each check raises ``ValueError`` (or ``TypeError``) with a message that names the parameter,
the value it got and what is allowed, so nothing fails later with a numba typing error or a
silent NaN.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import os
import tempfile
from collections.abc import Hashable
from pathlib import Path

import numpy as np


def check_probability(name: str, p, *, allow_zero: bool = False, allow_one: bool = True) -> float:
    """Return ``p`` as a float after checking it lies in (0, 1] (bounds configurable)."""
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {p!r} of type {type(p).__name__}")
    p = float(p)
    lo_ok = p >= 0.0 if allow_zero else p > 0.0
    hi_ok = p <= 1.0 if allow_one else p < 1.0
    if not (math.isfinite(p) and lo_ok and hi_ok):
        lo = "[0" if allow_zero else "(0"
        hi = "1]" if allow_one else "1)"
        raise ValueError(f"{name} must lie in {lo}, {hi}, got {p!r}")
    return p


def check_int(name: str, n, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``n`` as an int after checking it is an integer in [minimum, maximum]."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {n!r} of type {type(n).__name__}")
    n = int(n)
    if minimum is not None and n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {n}")
    if maximum is not None and n > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {n}")
    return n


def check_real(name: str, x, *, lo: float | None = None, hi: float | None = None,
               lo_open: bool = False, hi_open: bool = False) -> float:
    """Return ``x`` as a finite float inside the given (optionally open) interval."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {x!r} of type {type(x).__name__}")
    x = float(x)
    bad = not math.isfinite(x)
    if lo is not None:
        bad |= x <= lo if lo_open else x < lo
    if hi is not None:
        bad |= x >= hi if hi_open else x > hi
    if bad:
        left = "-inf" if lo is None else f"{lo:g}"
        right = "inf" if hi is None else f"{hi:g}"
        lb = "(" if (lo is None or lo_open) else "["
        rb = ")" if (hi is None or hi_open) else "]"
        raise ValueError(f"{name} must be a finite number in {lb}{left}, {right}{rb}, got {x!r}")
    return x


def check_array(name: str, a, *, ndim: int | None = None, shape: tuple | None = None,
                dtype=np.float64, finite: bool = True, min_size: int = 1) -> np.ndarray:
    """Return ``a`` as a C-contiguous array of ``dtype`` after checking shape and finiteness.

    ``shape`` may contain ``None`` for free dimensions.
    """
    try:
        arr = np.ascontiguousarray(np.asarray(a, dtype=dtype))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be convertible to an array of {np.dtype(dtype).name}: {exc}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != t for s, t in zip(shape, arr.shape)):
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want}, got {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} element(s), got shape {arr.shape}")
    if finite and np.issubdtype(arr.dtype, np.inexact) and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"{name} must be finite; entry {tuple(int(i) for i in bad)} is "
                         f"{arr[tuple(bad)]!r}")
    return arr


def check_open_unit(name: str, a) -> np.ndarray:
    """Array of values strictly inside (0, 1), as geometric means of O and 1-O require."""
    arr = check_array(name, a)
    if np.any((arr <= 0.0) | (arr >= 1.0)):
        bad = np.argwhere((arr <= 0.0) | (arr >= 1.0))[0]
        raise ValueError(f"{name} must lie strictly inside (0, 1); entry {tuple(int(i) for i in bad)} "
                         f"is {arr[tuple(bad)]!r}")
    return arr


def check_probabilities(name: str, p, shape) -> np.ndarray:
    """Probabilities in [0, 1] of the given ``shape``: a scalar (broadcast to ``shape``) or an
    array of exactly that shape; NaN is refused."""
    arr = np.asarray(p, dtype=float)
    if arr.ndim == 0:
        check_probability(name, float(arr), allow_zero=True)
        return np.full(shape, float(arr))
    return check_closed_unit(name, arr, shape=tuple(shape))


def check_closed_unit(name: str, a, *, shape: tuple | None = None,
                      min_size: int = 1) -> np.ndarray:
    """Array of values in [0, 1] (probabilities, outputs of a unit), of ``shape`` when given;
    NaN is refused."""
    arr = check_array(name, a, shape=shape, min_size=min_size)
    if np.any((arr < 0.0) | (arr > 1.0)):
        bad = np.argwhere((arr < 0.0) | (arr > 1.0))[0]
        raise ValueError(f"{name} must lie in [0, 1]; entry {tuple(int(i) for i in bad)} "
                         f"is {arr[tuple(bad)]!r}")
    return arr


def check_choice(name: str, value, allowed) -> str:
    if not isinstance(value, Hashable) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


# -- the options of a run, shared by the command line (``--seed``) and the API (``seed=``) ----

#: the range of z*: below 1 almost every Monte Carlo check would be a false alarm; above 10
#: the normal tail (1.5e-23) is far below what any sample size here can resolve
Z_STAR_RANGE = (1.0, 10.0)


#: the largest integer seed accepted, by a run (``--seed``, ``seed=``) and by every sampler
#: (``rng=``): a 64-bit unsigned integer (the run seeds the engine draws lie below 2**63)
MAX_SEED = 2**64 - 1


def check_seed(name: str, seed) -> int:
    """Return ``seed`` as an int after checking it is an integer in [0, :data:`MAX_SEED`]
    (not a bool)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} must be a non-negative integer, got {seed!r}")
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"{name} must be a non-negative integer below 2**64, got {seed!r}")
    return int(seed)


def check_z_star(name: str, z) -> float:
    """Return the two-sided threshold ``z`` as a float after checking it lies in
    :data:`Z_STAR_RANGE` (NaN, infinities and non-numbers are refused)."""
    lo, hi = Z_STAR_RANGE
    msg = f"{name} must be a positive number in [{lo:g}, {hi:g}], got {z!r}"
    if isinstance(z, (bool, np.bool_)) or not isinstance(z, numbers.Real):
        raise TypeError(msg)
    if not lo <= float(z) <= hi:  # False for NaN
        raise ValueError(msg)
    return float(z)


def check_flag(name: str, value) -> bool:
    """Return ``value`` after checking it is True or False (numpy booleans included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_out_dir(name: str, path) -> Path:
    """Check that ``path`` names a directory files can be written to, creating nothing.

    It must be a non-empty str or path that is not an existing file; the missing directories
    on the way are created to try a write there and removed again, so a run that fails later
    leaves nothing behind. Returns it as a :class:`~pathlib.Path`.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or path naming a directory, got {path!r}")
    text = str(os.fspath(path))
    if not text.strip() or "\0" in text:
        raise ValueError(f"{name} must name a directory (a non-empty path without NUL "
                         f"characters), got {path!r}")
    out = Path(path)
    try:
        is_file = out.exists() and not out.is_dir()
        missing = [d for d in (out, *out.parents) if not d.exists()]
    except OSError as exc:  # a name too long
        raise ValueError(f"{name} {text!r} is not a usable path: {exc.strerror or exc}") from None
    if is_file:
        raise ValueError(f"{name} {text!r} is a file, not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out, prefix=".probe")
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):  # a run tidying OUT may have removed it
            os.unlink(tmp)
    except OSError as exc:
        raise ValueError(f"{name} directory {text!r} is not writable: "
                         f"{exc.strerror or exc}") from None
    finally:
        for d in missing:  # deepest first
            try:
                d.rmdir()
            except OSError:
                pass
    return out


def env_threads(var: str = "DROPMC_THREADS") -> int | None:
    """The thread count the environment variable ``var`` asks for (None when it is unset or
    empty); ValueError naming it when it is not a positive integer."""
    text = os.environ.get(var, "")
    if not text.strip():
        return None
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise ValueError(f"{var} must be a positive integer (a thread count), got {text!r}")
    return n


#: the most Monte Carlo draws one call accepts (about 4.3e9: an hour or more of the fastest
#: kernel here on one core); beyond it a call is refused, not left to run for days
MAX_SAMPLES = 2**32


def memory_budget() -> int:
    """Bytes one call may allocate: half the machine's physical memory (4 GiB when unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (AttributeError, OSError, ValueError):
        return 4 * 2**30


def check_samples(name: str, n, *, minimum: int = 1, bytes_per_sample: int = 0,
                  maximum: int = MAX_SAMPLES) -> int:
    """Return a sample count ``n`` after checking it is an integer in [minimum, ceiling].

    The ceiling is ``maximum`` and, when each sample holds ``bytes_per_sample`` bytes in
    memory at once, what fits in :func:`memory_budget`; the error says the largest accepted
    value, so a caller can split the work.
    """
    n = check_int(name, n, minimum=minimum)
    limit = maximum
    if bytes_per_sample > 0:
        limit = min(limit, memory_budget() // bytes_per_sample)
    if n > limit:
        why = (f"{bytes_per_sample} bytes each would not fit in memory" if limit < maximum
               else "more than one call draws")
        raise ValueError(f"{name} must be <= {limit} ({why}), got {n}")
    return n


def check_reals(**values) -> None:
    """Check that each keyword value is a finite real number (:func:`check_real` under its
    keyword's name)."""
    for name, x in values.items():
        check_real(name, x)


def check_broadcast(name_a: str, a, name_b: str, b) -> tuple:
    """Return the broadcast shape of the arrays ``a`` and ``b`` (one value, or one per entry),
    or raise naming both."""
    try:
        return np.broadcast_shapes(np.shape(a), np.shape(b))
    except ValueError:
        raise ValueError(f"{name_a} and {name_b} must have shapes that broadcast, got "
                         f"{np.shape(a)} and {np.shape(b)}") from None


#: the largest count (a batch size, a number of units, of steps, of trials) accepted: what an
#: int64 holds, as the kernels here store counts in int64 (2**70 would overflow them)
MAX_COUNT = 2**63 - 1


def check_count(name: str, n, *, minimum: int = 1, maximum: int = MAX_COUNT) -> int:
    """Return a count ``n`` as an int after checking it is an integer in [minimum, maximum]
    (at most :data:`MAX_COUNT` unless a smaller ``maximum`` is given)."""
    return check_int(name, n, minimum=minimum, maximum=min(maximum, MAX_COUNT))


def check_finite(name: str, a) -> np.ndarray:
    """Return ``a`` as a float array of its own shape (0-d for a number, unlike
    :func:`check_array`) after checking that every entry is finite."""
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a real number or an array of them: {exc}") from None
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"{name} must be finite; entry {tuple(int(i) for i in bad)} is "
                         f"{arr[tuple(bad)]!r}")
    return arr
