"""Argument checks shared by every layer.

Each check raises ``ValueError`` (or ``TypeError``) with a message that names the parameter,
the value it got and what is allowed, so nothing fails later with a numba typing error or a
silent NaN.
"""

from __future__ import annotations

import math
import numbers

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


def check_choice(name: str, value, allowed) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value
