"""Section 6 of Baldi & Sadowski: the error functions of the ensemble optimization properties
(Eq. 55–58)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from dropmc._validation import check_closed_unit, check_real


# ------------------------------------------------------------------------------------------
# Section 6: ensemble errors
# ------------------------------------------------------------------------------------------


def squared_error(O, t):
    """Eq. 55, left: (t − O)²/2."""
    return 0.5 * (np.asarray(t, float) - np.asarray(O, float)) ** 2


def relative_entropy(O, t):
    """Eq. 55, right: −t log O − (1 − t) log(1 − O) (with 0 log 0 = 0), for outputs O and
    targets t in [0, 1] (broadcast together)."""
    check_closed_unit("O", O, min_size=0)
    check_closed_unit("t", t, min_size=0)
    O = np.asarray(O, float)
    t = np.asarray(t, float)
    try:
        np.broadcast_shapes(O.shape, t.shape)
    except ValueError:
        raise ValueError(f"O and t must broadcast together, got shapes {O.shape} and "
                         f"{t.shape}") from None
    return -special.xlogy(t, O) - special.xlogy(1 - t, 1 - O)


ERRORS = {"squared": squared_error, "relative_entropy": relative_entropy}


def squared_error_nwgm_convex_range(t: float) -> tuple[float, float]:
    r"""Where :math:`x \mapsto (t - \sigma(x))^2/2` is convex, in terms of O = σ(x):
    :math:`-3O^2 + 2(1+t)O - t \ge 0`, i.e. O between
    :math:`[(1+t) \mp \sqrt{1 - t + t^2}]/3`."""
    t = check_real("t", t, lo=0.0, hi=1.0)
    r = math.sqrt(1 - t + t * t)
    return ((1 + t) - r) / 3, ((1 + t) + r) / 3
