r"""exp and log1p that LLVM can vectorise inside a Numba loop.

Why: without Intel's SVML (not shipped with this environment's numba), ``math.exp`` and
``math.log1p`` in a kernel are scalar libm calls, about 4 ns and 6 ns each, five or six times
the cost of numpy's own vectorised loops. A kernel that takes σ(S), log σ(S) and log(1 − σ(S)) of every
unit of a batch of subnetworks spends most of its time there. These two functions are plain
arithmetic (a polynomial, one floor, one bit cast), so a loop that calls them compiles to
8-wide AVX-512 (or 4-wide AVX2) code.

* :func:`exp_v`: Cody–Waite reduction x = k·ln 2 + r, |r| ≤ ln 2 / 2 (ln 2 split so that k·ln2_hi
  is exact), the degree-13 Taylor polynomial of e^r (truncation < 1e-17 relative), and the
  scaling by 2^k as two exact multiplications by normal powers of two (so results in the
  subnormal range are rounded once, as libm's). Finite x; exp(x) = +inf above 709.78 and 0
  below −745.13, as libm.
* :func:`log1p_unit`: log(1 + e) for 0 ≤ e ≤ 1 (the softplus of −|S|, log(1 + e^{−|S|})), as
  2·atanh(s) with s = e/(2 + e), or ln 2 + 2·atanh((e − 1)/(e + 3)) above √2 − 1, so |s| ≤
  0.172 and the odd series 2s·Σ s^{2k}/(2k + 1) (k ≤ 10) truncates below 1e-18 relative.

Both are within 2 ulp of numpy's ``exp``/``log1p`` over their ranges (``tests/test_vmath.py``).
They are compiled with ``contract`` only, not ``reassoc``: reassociation would fold the two
halves of ln 2 back into one rounded constant. They are left to LLVM's inliner (not numba's
``inline="always"``, which would compile them with the caller's fast-math flags), so a caller
compiled with ``reassoc`` still vectorises its reductions while these keep their rounding.
Like the generator of ``_xoshiro``, they are compiled into the kernels that call them, whose
numba cache does not notice a change here (numba#8359): after changing this module, delete
the callers' cache files (``__pycache__/*.nbi``, ``*.nbc``).
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

#: jit options of a kernel whose loops call these: numpy's error model (numba's default checks
#: every float division for a zero divisor, and that branch alone keeps LLVM from vectorising
#: the loop) and contraction into FMAs, but no reassociation: a reassociated (vectorised) sum
#: peels its loop by the alignment of the arrays, which differs between runs, so its last bits
#: did too (a known-answer test failed on 1e-16 differences of an enumeration)
JIT_VEC = dict(cache=True, nogil=True, error_model="numpy", fastmath={"contract"})
#: jit options of the helpers: contraction into FMAs, no reassociation (see module docstring)
_VM = dict(cache=True, nogil=True, error_model="numpy", fastmath={"contract"})

_LOG2E = 1.4426950408889634
_LN2_HI = 0.6931471803691238      # 0x3FE62E42FEE00000: 32 significant bits, k·_LN2_HI exact
_LN2_LO = 1.9082149292705877e-10  # ln 2 − _LN2_HI
_LN2 = 0.6931471805599453
_SQRT2_M1 = 0.41421356237309503


@intrinsic
def _f64_from_bits(typingctx, bits):
    """The float64 whose IEEE-754 bit pattern is the int64 ``bits`` (a bit cast)."""
    if not isinstance(bits, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@njit(**_VM)
def _pow2(k):
    """2.0**k for an integer k in [−1022, 1023] (exact)."""
    return _f64_from_bits((k + 1023) << 52)


@njit(**_VM)
def exp_v(x):
    """e^x for finite x, within 2 ulp of libm; vectorisable."""
    x = min(max(x, -745.2), 709.8)
    kf = np.floor(x * _LOG2E + 0.5)
    r = (x - kf * _LN2_HI) - kf * _LN2_LO
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    k = np.int64(kf)
    k1 = k >> 1
    return p * _pow2(k1) * _pow2(k - k1)


@njit(**_VM)
def log1p_unit(e):
    """log(1 + e) for 0 ≤ e ≤ 1, within 2 ulp of libm's log1p; vectorisable."""
    big = e > _SQRT2_M1
    t = 2.0 * (e - (1.0 if big else 0.0)) / (e + (3.0 if big else 2.0))   # 2s, exact ×2
    z = 0.25 * t * t
    q = 1.0 / 21.0
    q = q * z + 1.0 / 19.0
    q = q * z + 1.0 / 17.0
    q = q * z + 1.0 / 15.0
    q = q * z + 1.0 / 13.0
    q = q * z + 1.0 / 11.0
    q = q * z + 1.0 / 9.0
    q = q * z + 1.0 / 7.0
    q = q * z + 1.0 / 5.0
    q = q * z + 1.0 / 3.0
    t = t + t * (z * q)
    return t + _LN2 if big else t
