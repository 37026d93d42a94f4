"""Sections 4–5 of Baldi & Sadowski: a single logistic unit with input dropout (Eq. 28–39).
:func:`enumerate_logistic_unit` walks the 2^n subnetworks in Gray-code order (one ±w_iI_i per
step) and returns E(S), E(O), log G, log G' and V exactly — the NWGM identities are checked to
floating-point precision."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import check_array, check_probabilities, check_real
from dropmc.simulations._core import JIT_FAST, run_blocks
from dropmc.simulations.enumeration import gray_log_shift, sum_blocks
from dropmc.theory.ensemble_averaging import check_logistic

# ------------------------------------------------------------------------------------------
# a single logistic unit: Gray-code enumeration of the 2^n input subnetworks
# ------------------------------------------------------------------------------------------


@njit(**JIT_FAST)
def _gray_unit_block(a, logit, shift, b0, logc, lam, hi_bits, n_low, rs, ro):
    """Block sums over the low gates in Gray-code order: w·(1, S − rs, (S − rs)², O − ro,
    (O − ro)², log O, log(1−O)), centred on references rs ≈ E(S), ro ≈ E(O) so that the
    variances E(X − r)² − (E(X − r))² lose no digits when the values are shifted far from 0.

    Per subnetwork: one ± a_j on the sum, one multiplication of the weight by e^{±logit_j}
    (the block starts from an exact exp, so rounding cannot drift beyond 2^n_low steps), and
    two transcendentals (t = e^{−|x|}, log1p t) give σ, log σ and log(1 − σ)."""
    n = a.shape[0]
    s = b0
    logw = 0.0
    for j in range(n_low, n):
        if (hi_bits >> (j - n_low)) & 1:
            s += a[j]
            logw += logit[j]
    r = np.empty(n_low)
    ri = np.empty(n_low)
    for j in range(n_low):
        r[j] = math.exp(logit[j])
        ri[j] = math.exp(-logit[j])
    w = math.exp(logw - shift)
    mask = np.zeros(n_low, dtype=np.uint8)
    a0 = a1 = a2 = a3 = a4 = a5 = a6 = 0.0
    for i in range(1 << n_low):
        if i > 0:
            j = 0
            ii = i
            while (ii & 1) == 0:
                ii >>= 1
                j += 1
            if mask[j] == 0:
                mask[j] = 1
                s += a[j]
                w *= r[j]
            else:
                mask[j] = 0
                s -= a[j]
                w *= ri[j]
        x = lam * s - logc
        t = math.exp(-abs(x))
        l1p = math.log1p(t)
        if x > 0:
            ls = -l1p
            l1 = -x - l1p
            o = 1.0 / (1.0 + t)
        else:
            ls = x - l1p
            l1 = -l1p
            o = t / (1.0 + t)
        ds = s - rs
        do = o - ro
        a0 += w
        a1 += w * ds
        a2 += w * ds * ds
        a3 += w * do
        a4 += w * do * do
        a5 += w * ls
        a6 += w * l1
    acc = np.empty(7)
    acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6] = a0, a1, a2, a3, a4, a5, a6
    return acc


@njit(**JIT_FAST)
def _gray_unit_blocks(a, logit, b0, logc, lam, n_low, rs, ro, lo, hi, accs):
    """Blocks ``lo … hi − 1`` of :func:`_gray_unit` into rows of ``accs``."""
    shift = gray_log_shift(logit)
    for b in range(lo, hi):
        acc = _gray_unit_block(a, logit, shift, b0, logc, lam, b, n_low, rs, ro)
        for j in range(7):  # element by element, not a slice assignment (docs/architecture.md §7)
            accs[b, j] = acc[j]


def _gray_unit(a, logit, b0, logc, lam, n_low, rs, ro):
    """The blocks of :func:`_gray_unit_blocks` on the chunk threads (:func:`run_blocks`),
    added in a fixed serial order: thread-count independent."""
    nb = 1 << (a.shape[0] - n_low)
    accs = np.zeros((nb, 7))
    run_blocks(lambda lo, hi: _gray_unit_blocks(a, logit, b0, logc, lam, n_low, rs, ro, lo, hi,
                                                accs), nb)
    tot = sum_blocks(accs)
    return tot[1:] / tot[0]


def _check_unit(w, I, p, b, c, lam):
    """The arguments of a logistic unit with input dropout: weights w (n,), inputs I (n,),
    keep probabilities p (scalar or (n,)), a finite bias b, c > 0 and a finite λ."""
    w = check_array("w", w, ndim=1)
    I = check_array("I", I, shape=(w.shape[0],))
    pa = check_probabilities("p", p, w.shape)
    b = check_real("b", b)
    c, lam = check_logistic(c, lam)
    if c == 0:
        raise ValueError("c must be > 0 for a logistic unit with finite log-outputs, got 0")
    return w, I, pa, b, c, lam


def enumerate_logistic_unit(w, I, p, *, b: float = 0.0, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""All 2^n input-dropout subnetworks of one logistic unit :math:`O = \sigma(\sum_i\delta_iw_iI_i + b)`
    (independent :math:`\delta_i \sim B(p_i)`, Eq. 6 and 27), exactly.

    Returns E(S), Var(S), E(O), V = Var(O), log G, log G' (Eq. 35–36, weighted by the subnetwork
    probabilities) and NWGM = σ(log G − log G'), all as floats, plus ``n_subnetworks``.
    Inputs with p_i = 1 are folded into the bias and p_i = 0 dropped; at most 30 random inputs.
    """
    w, I, pa, b, c, lam = _check_unit(w, I, p, b, c, lam)
    a = w * I
    b0 = b + float(a[pa >= 1].sum())
    keep = (pa > 0) & (pa < 1)
    a, pk = np.ascontiguousarray(a[keep]), pa[keep]
    n = a.size
    if n > 30:
        raise ValueError(f"at most 30 random inputs can be enumerated, got {n}")
    logit = np.log(pk) - np.log1p(-pk)
    n_low = min(n, 14)
    from scipy.special import expit

    # centring references: the exact mean of S and σ of it (close to E(O))
    rs = b0 + math.fsum(pk * a)
    ro = float(expit(lam * rs - math.log(c)))
    r = _gray_unit(a, logit, b0, math.log(c), lam, n_low, rs, ro)
    m1, m2, n1, n2, lg, lg1 = (float(x) for x in r)
    ES, EO = rs + m1, ro + n1

    return {"ES": ES, "VarS": max(m2 - m1 * m1, 0.0), "EO": EO, "V": max(n2 - n1 * n1, 0.0),
            "logG": lg, "logGp": lg1, "NWGM": float(expit(lg - lg1)), "n_subnetworks": 1 << n}


def enumerate_logistic_unit_numpy(w, I, p, *, b: float = 0.0, c: float = 1.0, lam: float = 1.0) -> dict:
    """Plain-numpy reference of :func:`enumerate_logistic_unit`: the sums and log-probabilities
    of all 2^n subnetworks built by doubling (S ← [S, S + w_jI_j]), then vectorised moments."""
    from scipy.special import expit, log_expit

    w, I, pa, b, c, lam = _check_unit(w, I, p, b, c, lam)
    n = w.size
    if n > 24:
        raise ValueError(f"w may hold at most 24 inputs here (2^n subnetworks are held in "
                         f"memory), got {n}")
    S = np.array([float(b)])
    logw = np.zeros(1)
    with np.errstate(divide="ignore"):
        for j in range(n):
            S = np.concatenate([S, S + w[j] * I[j]])
            logw = np.concatenate([logw + np.log1p(-pa[j]), logw + np.log(pa[j])])
    P = np.exp(logw - logw.max())
    P /= P.sum()
    x = lam * S - math.log(c)
    lo, l1 = log_expit(x), log_expit(-x)
    O = expit(x)
    EO = P @ O
    ES = P @ S
    lg, lg1 = P @ lo, P @ l1
    return {"ES": float(ES), "VarS": float(P @ (S - ES) ** 2), "EO": float(EO),
            "V": float(P @ (O - EO) ** 2), "logG": float(lg), "logGp": float(lg1),
            "NWGM": float(expit(lg - lg1)), "n_subnetworks": 1 << n}
