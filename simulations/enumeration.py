r"""Exact enumeration of dropout subnetworks: all 2^d Bernoulli masks with their probabilities.

A mask :math:`m\in\{0,1\}^d` with independent :math:`m_j\sim B(p_j)` has probability
:math:`\prod_j p_j^{m_j}(1-p_j)^{1-m_j}` (:math:`p^k(1-p)^{d-k}` for a common p). Two tools:

* :func:`enumerate_masks` materialises every mask and its probability (d ≤ 22), the plain
  reference used by the tests and by claims that need arbitrary functions of the mask;
* :func:`expect_squared_error` walks the masks in Gray-code order, so that an output that is
  affine in the mask, :math:`o(m) = b + \sum_j m_j\delta_j`, changes by one :math:`\pm\delta_j`
  per step: :math:`E_m\|o(m)-y\|^2` exactly for d up to 30 at O(k) per subnetwork. With a
  common p the losses are summed by number of kept units and weighted once at the end (no
  exponential inside the walk).

Units with :math:`p_j = 1` (always kept) or :math:`p_j = 0` are folded into the base, so only
genuinely random units are enumerated and log-probabilities stay finite.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import check_array, check_int
from dropmc.estimate import Estimate
from dropmc.simulations._core import JIT, JIT_FAST, run_blocks

MAX_MATERIALISED = 22
MAX_GRAY = 30
#: units walked inside one block; the rest index blocks run in parallel
GRAY_BLOCK_BITS = 14


@njit(**JIT)
def sum_blocks(a):
    """Σ_b a[b, :] in the fixed order b = 0, 1, … (a serial loop, no fastmath): the reduction of
    the per-block results of the parallel kernels. A ``.sum()`` inside a ``parallel=True``
    function is itself turned into a parallel reduction whose partial sums depend on the
    thread count; this keeps the result bit-identical whatever the number of threads."""
    nb, k = a.shape
    out = np.zeros(k)
    for b in range(nb):
        for t in range(k):
            out[t] += a[b, t]
    return out


def _probabilities(p, d: int) -> np.ndarray:
    p_arr = np.asarray(p, dtype=float)
    if p_arr.ndim == 0:
        p_arr = np.full(d, float(p_arr))
    if p_arr.shape != (d,):
        raise ValueError(f"p must be a scalar or have shape ({d},), got shape {p_arr.shape}")
    if np.any(~np.isfinite(p_arr)) or np.any((p_arr < 0.0) | (p_arr > 1.0)):
        raise ValueError(f"p must lie in [0, 1] for every unit, got {p_arr}")
    return p_arr


def enumerate_masks(d: int, p) -> tuple[np.ndarray, np.ndarray]:
    """All 2^d masks (rows, uint8; row i is the binary expansion of i, unit 0 least
    significant) and their probabilities, computed in the log domain.

    Parameters
    ----------
    d : int
        Number of units, 1 ≤ d ≤ 22.
    p : float or array (d,)
        Keep probabilities in [0, 1].
    """
    d = check_int("d", d, minimum=1, maximum=MAX_MATERIALISED)
    p_arr = _probabilities(p, d)
    idx = np.arange(1 << d, dtype=np.int64)
    masks = ((idx[:, None] >> np.arange(d)) & 1).astype(np.uint8)
    with np.errstate(divide="ignore"):
        lp1, lp0 = np.log(p_arr), np.log1p(-p_arr)
    logw = np.where(masks == 1, lp1, lp0).sum(axis=1)
    return masks, np.exp(logw)


def expectation_over_masks(func, d: int, p) -> float:
    """E_m func(m) by materialised enumeration (``func`` maps a (2^d, d) mask array to 2^d
    values). The plain reference for the Gray-code kernels."""
    masks, w = enumerate_masks(d, p)
    return float(np.dot(w, np.asarray(func(masks), dtype=float)))


@njit(inline="always", **JIT_FAST)
def _flipped_bit(i):
    """The unit flipped between Gray codes gray(i − 1) and gray(i): the lowest set bit of i."""
    j = 0
    while (i & 1) == 0:
        i >>= 1
        j += 1
    return j


@njit(inline="always", **JIT_FAST)
def gray_log_shift(logit):
    """Σ of the positive log-odds: the log-weight of the most probable mask, which every
    Gray-code block subtracts before exponentiating (no overflow). Shared by the block drivers
    of this module and of :mod:`dropmc.simulations.ensemble_averaging.logistic`."""
    shift = 0.0
    for j in range(logit.shape[0]):
        if logit[j] > 0.0:
            shift += logit[j]
    return shift


@njit(**JIT_FAST)
def _gray_block(base, deltas, y, logit, shift, hi_bits, n_low):
    """One block: the high units fixed by ``hi_bits``, the ``n_low`` low units walked in
    Gray-code order. Returns (Σ w·loss, Σ w) with w the weight relative to ``shift``."""
    d, k = deltas.shape
    o = base - y
    logw = 0.0
    for j in range(n_low, d):
        if (hi_bits >> (j - n_low)) & 1:
            logw += logit[j]
            for t in range(k):
                o[t] += deltas[j, t]
    mask = np.zeros(n_low, dtype=np.uint8)
    s = 0.0
    for t in range(k):
        s += o[t] * o[t]
    w = math.exp(logw - shift)
    acc = w * s
    tot = w
    for i in range(1, 1 << n_low):
        j = _flipped_bit(i)
        if mask[j] == 0:
            mask[j] = 1
            logw += logit[j]
            for t in range(k):
                o[t] += deltas[j, t]
        else:
            mask[j] = 0
            logw -= logit[j]
            for t in range(k):
                o[t] -= deltas[j, t]
        s = 0.0
        for t in range(k):
            s += o[t] * o[t]
        w = math.exp(logw - shift)
        acc += w * s
        tot += w
    return acc, tot


@njit(**JIT_FAST)
def _gray_sq_error_blocks(base, deltas, y, logit, n_low, lo, hi, accs):
    """Blocks ``lo … hi − 1`` of :func:`_gray_sq_error`: row b of ``accs`` gets the block's
    weighted loss and weight total (:func:`_gray_block`)."""
    shift = gray_log_shift(logit)
    for b in range(lo, hi):
        a, t = _gray_block(base, deltas, y, logit, shift, b, n_low)
        accs[b, 0] = a
        accs[b, 1] = t


def _gray_sq_error(base, deltas, y, logit, n_low):
    """Σ_m P(m) ||base + Σ_j m_j δ_j − y||² over all masks.

    ``logit[j] = log(p_j/(1−p_j))``. The high ``d − n_low`` units index independent blocks
    (run on the chunk threads, :func:`~dropmc.simulations._core.run_blocks`, each restarted
    from an exact output, so rounding cannot drift across blocks); the block sums are added in
    a fixed order, so the result does not depend on the thread count (:func:`sum_blocks`,
    serial). Weights are relative to the most probable mask (no overflow).
    """
    n_blocks = 1 << (deltas.shape[0] - n_low)
    accs = np.empty((n_blocks, 2))
    run_blocks(lambda lo, hi: _gray_sq_error_blocks(base, deltas, y, logit, n_low, lo, hi, accs),
               n_blocks)
    tot = sum_blocks(accs)
    return tot[0] / tot[1]


@njit(**JIT_FAST)
def _gray_block_by_count(base, deltas, y, hi_bits, n_low, acc):
    """Like :func:`_gray_block` for a common p: the loss of each mask is added to
    ``acc[number of kept units]``, so no weight is computed inside the walk."""
    d, k = deltas.shape
    o = base - y
    ones = 0
    for j in range(n_low, d):
        if (hi_bits >> (j - n_low)) & 1:
            ones += 1
            for t in range(k):
                o[t] += deltas[j, t]
    mask = np.zeros(n_low, dtype=np.uint8)
    s = 0.0
    for t in range(k):
        s += o[t] * o[t]
    acc[ones] += s
    for i in range(1, 1 << n_low):
        j = _flipped_bit(i)
        if mask[j] == 0:
            mask[j] = 1
            ones += 1
            for t in range(k):
                o[t] += deltas[j, t]
        else:
            mask[j] = 0
            ones -= 1
            for t in range(k):
                o[t] -= deltas[j, t]
        s = 0.0
        for t in range(k):
            s += o[t] * o[t]
        acc[ones] += s


@njit(**JIT_FAST)
def _gray_by_count_blocks(base, deltas, y, n_low, lo, hi, accs):
    """Blocks ``lo … hi − 1`` of :func:`_gray_sq_error_by_count` into rows of ``accs``."""
    for b in range(lo, hi):
        _gray_block_by_count(base, deltas, y, b, n_low, accs[b])


def _gray_sq_error_by_count(base, deltas, y, n_low):
    """Per block, Σ of the loss over masks grouped by their number of kept units; returns the
    (d + 1,) totals summed over blocks in a fixed order (thread-count independent)."""
    d = deltas.shape[0]
    n_blocks = 1 << (d - n_low)
    accs = np.zeros((n_blocks, d + 1))
    run_blocks(lambda lo, hi: _gray_by_count_blocks(base, deltas, y, n_low, lo, hi, accs),
               n_blocks)
    return sum_blocks(accs)


def _fold(base, deltas, p_arr):
    """Fold always-on / always-off units into the base; return the random part."""
    on = p_arr >= 1.0
    off = p_arr <= 0.0
    base = base + deltas[on].sum(axis=0)
    keep = ~(on | off)
    return base, np.ascontiguousarray(deltas[keep]), p_arr[keep]


def _check_affine(base, deltas, y):
    """``deltas`` (d, k), ``base`` and ``y`` (k,), all finite."""
    deltas = check_array("deltas", deltas, ndim=2)
    k = deltas.shape[1]
    return check_array("base", base, shape=(k,)), deltas, check_array("y", y, shape=(k,))


def expect_squared_error(base, deltas, y, p) -> Estimate:
    r"""Exact :math:`E_m\|b + \sum_j m_j\delta_j - y\|^2` over independent masks.

    Parameters
    ----------
    base : (k,) output of the all-dropped mask.
    deltas : (d, k) change of the output when unit j is kept.
    y : (k,) target.
    p : float or (d,) keep probabilities in [0, 1]; at most 30 of them strictly inside (0, 1).

    Returns an :class:`Estimate` with SE 0, ``n`` the number of enumerated subnetworks and
    ``method="enumeration"``.
    """
    base, deltas, y = _check_affine(base, deltas, y)
    p_arr = _probabilities(p, deltas.shape[0])
    base, deltas, p_r = _fold(base, deltas, p_arr)
    if p_r.size > MAX_GRAY:
        raise ValueError(f"exact enumeration needs at most {MAX_GRAY} random units "
                         f"(2^{MAX_GRAY} subnetworks); got {p_r.size}")
    if p_r.size == 0:
        val = float(np.sum((base - y) ** 2))
        return Estimate(val, 0.0, 1, "enumeration")
    n_low = min(p_r.size, GRAY_BLOCK_BITS)
    if np.all(p_r == p_r[0]):
        # common p: the weight p^k (1 − p)^(d − k) depends only on the count k of kept units
        d = p_r.size
        totals = _gray_sq_error_by_count(base, deltas, y, n_low)
        ks = np.arange(d + 1)
        logw = ks * math.log(p_r[0]) + (d - ks) * math.log1p(-p_r[0])
        val = math.fsum(totals * np.exp(logw))
    else:
        logit = np.log(p_r) - np.log1p(-p_r)
        val = _gray_sq_error(base, deltas, y, logit, n_low)
    return Estimate(float(val), 0.0, 1 << p_r.size, "enumeration")


def expect_squared_error_doubling(base, deltas, y, p) -> float:
    """Plain-numpy enumeration by the doubling trick (all 2^d outputs built by repeated
    concatenation of o and o + δ_j): the numpy baseline for :func:`expect_squared_error`;
    at most 22 units, as all outputs are held at once."""
    base, deltas, y = _check_affine(base, deltas, y)
    if deltas.shape[0] > MAX_MATERIALISED:
        raise ValueError(f"deltas must have at most {MAX_MATERIALISED} rows (units) for the "
                         f"doubling enumeration, got {deltas.shape[0]}")
    p_arr = _probabilities(p, deltas.shape[0])
    o = (base - y)[None, :]
    w = np.ones(1)
    for j in range(deltas.shape[0]):
        o = np.concatenate([o, o + deltas[j]])
        w = np.concatenate([w * (1.0 - p_arr[j]), w * p_arr[j]])
    return float(w @ np.einsum("ij,ij->i", o, o))
