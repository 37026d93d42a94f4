r"""A fast in-kernel random stream: xoshiro256++ with a ziggurat normal sampler.

Why: numba's support for ``numpy.random.Generator`` calls the bit generator through a function
pointer for every draw, which caps a kernel at about 1.5x numpy's vectorised draws. Inlining a
small generator in the kernel removes that call; the samplers of ``drop_activation`` use it and
the benchmarks measure its limit beside numpy's PCG64 (``benchmarks/results.md``).

* **Uniforms and integers**: xoshiro256++ (Blackman & Vigna, "Scrambled linear pseudorandom
  number generators", ACM TOMS 2021), 256-bit state, period 2^256 − 1, passes BigCrush and
  PractRand; doubles in [0, 1) from the top 53 bits.
* **Normals**: the 256-layer ziggurat of Marsaglia & Tsang (J. Stat. Softw. 5(8), 2000) in the
  form numpy uses (52-bit mantissa, sign bit, layer index from the low 8 bits; Marsaglia's tail
  algorithm beyond r = 3.6541528853610088). Tables are computed here, not copied.
* **Streams**: each chunk's state is four 64-bit words from its own spawned ``SeedSequence``
  (:func:`dropmc.simulations._core.chunk_states`), so streams are independent in the sense of
  SeedSequence's hashing and a seeded result is bit-identical for any thread count.

Tested in ``tests/test_random.py``: χ² uniformity, KS against N(0, 1), tail mass beyond r,
moments, serial and cross-stream correlation.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, uint64

from dropmc.simulations._core import JIT


def _ziggurat_tables():
    """Layer tables of the 256-layer ziggurat for a 52-bit mantissa (Marsaglia & Tsang)."""
    m = float(2 ** 52)
    r = 3.6541528853610088
    v = 0.00492867323399
    ki = np.zeros(256, dtype=np.uint64)
    wi = np.zeros(256)
    fi = np.zeros(256)
    dn = tn = r
    q = v / math.exp(-0.5 * dn * dn)
    ki[0] = np.uint64(int((dn / q) * m))
    ki[1] = np.uint64(0)
    wi[0] = q / m
    wi[255] = dn / m
    fi[0] = 1.0
    fi[255] = math.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = math.sqrt(-2.0 * math.log(v / dn + math.exp(-0.5 * dn * dn)))
        ki[i + 1] = np.uint64(int((dn / tn) * m))
        tn = dn
        fi[i] = math.exp(-0.5 * dn * dn)
        wi[i] = dn / m
    return ki, wi, fi, r


ZIG_KI, ZIG_WI, ZIG_FI, ZIG_R = _ziggurat_tables()
ZIG_INV_R = 1.0 / ZIG_R
#: the layer tables indexed by the word's low 9 bits, the layer (8 bits) and the sign (bit 8):
#: ``ZIG_WI_SIGNED[k]`` is ±``ZIG_WI[k & 0xFF]``, negative when bit 8 is set. Multiplying by
#: −w rounds to exactly −(x·w), so a normal drawn through them is the same double, sign and
#: all, as one negated after the product; the kernels skip the sign's test and select
ZIG_WI_SIGNED = np.concatenate([ZIG_WI, -ZIG_WI])
ZIG_KI_SIGNED = np.concatenate([ZIG_KI, ZIG_KI])


@njit(inline="always", **JIT)
def _rotl(x, k):
    return (x << uint64(k)) | (x >> uint64(64 - k))


@njit(inline="always", **JIT)
def next_u64(s):
    """xoshiro256++: advance the state ``s`` (uint64[4]) and return 64 random bits."""
    result = _rotl(s[0] + s[3], 23) + s[0]
    t = s[1] << uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@njit(inline="always", **JIT)
def next_double(s):
    """Uniform double in [0, 1) from the top 53 bits."""
    return float(next_u64(s) >> uint64(11)) * (1.0 / 9007199254740992.0)


@njit(inline="always", **JIT)
def next_u64_r(s0, s1, s2, s3):
    """Register form of :func:`next_u64`: returns ``(bits, s0, s1, s2, s3)``."""
    result = _rotl(s0 + s3, 23) + s0
    t = s1 << uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    return result, s0, s1, s2, s3


@njit(inline="always", **JIT)
def next_double_r(s0, s1, s2, s3):
    """Register form of :func:`next_double`: takes and returns the four state words, so a
    kernel that also writes to arrays keeps the state in registers (with the array form,
    every store to another array forces a reload of the state, which may alias it).
    Returns ``(u, s0, s1, s2, s3)``; same stream as the array form."""
    r, s0, s1, s2, s3 = next_u64_r(s0, s1, s2, s3)
    return float(r >> uint64(11)) * (1.0 / 9007199254740992.0), s0, s1, s2, s3


@njit(**JIT)
def _normal_tail(s):
    """Marsaglia's exact sampler of the normal tail beyond r, looped until it accepts;
    returns the excess over r."""
    while True:
        xx = -0.27366123732975828 * math.log1p(-next_double(s))  # 1/r
        yy = -math.log1p(-next_double(s))
        if yy + yy > xx * xx:
            return xx


@njit(inline="always", **JIT)
def next_normal(s):
    """Standard normal by the 256-layer ziggurat.

    The layer tables are module globals, which numba freezes into the compiled code as
    constants: passing them as arguments, or returning from inside the loop, makes numba emit
    code about ten times slower (measured: 11M vs 170M normals/s on one core).
    """
    x = 0.0
    while True:
        r = next_u64(s)
        idx = np.int64(r & uint64(0xFF))
        r >>= uint64(8)
        rabs = (r >> uint64(1)) & uint64(0x000FFFFFFFFFFFFF)
        x = float(np.int64(rabs)) * ZIG_WI[idx]
        if r & uint64(1):
            x = -x
        if rabs < ZIG_KI[idx]:
            break                                   # inside the layer's rectangle: ~98.5%
        if idx == 0:
            x = 3.6541528853610088 + _normal_tail(s)  # base strip beyond r: exact tail
            if (rabs >> uint64(8)) & uint64(1):
                x = -x
            break
        if (ZIG_FI[idx - 1] - ZIG_FI[idx]) * next_double(s) + ZIG_FI[idx] < math.exp(-0.5 * x * x):
            break                                   # under the density in the wedge
    return x


@njit(**JIT)
def _normal_tail_r(s0, s1, s2, s3):
    """Register form of :func:`_normal_tail`."""
    while True:
        u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
        v, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
        xx = -0.27366123732975828 * math.log1p(-u)
        yy = -math.log1p(-v)
        if yy + yy > xx * xx:
            return xx, s0, s1, s2, s3


@njit(**JIT)
def _normal_slow_r(idx, rabs, x, s0, s1, s2, s3):
    """The ziggurat's rare branches (~1.5% of draws), out of line: the base strip's tail
    (idx = 0), the wedge test, and on rejection the redraws, exactly as :func:`next_normal`
    does them. ``x`` is the candidate of layer ``idx`` with mantissa ``rabs``, already
    rejected by its rectangle."""
    while True:
        if idx == 0:
            xx, s0, s1, s2, s3 = _normal_tail_r(s0, s1, s2, s3)
            x = 3.6541528853610088 + xx
            if (rabs >> uint64(8)) & uint64(1):
                x = -x
            return x, s0, s1, s2, s3
        u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
        if (ZIG_FI[idx - 1] - ZIG_FI[idx]) * u + ZIG_FI[idx] < math.exp(-0.5 * x * x):
            return x, s0, s1, s2, s3
        r, s0, s1, s2, s3 = next_u64_r(s0, s1, s2, s3)
        idx = np.int64(r & uint64(0xFF))
        r >>= uint64(8)
        rabs = (r >> uint64(1)) & uint64(0x000FFFFFFFFFFFFF)
        x = float(np.int64(rabs)) * ZIG_WI[idx]
        if r & uint64(1):
            x = -x
        if rabs < ZIG_KI[idx]:
            return x, s0, s1, s2, s3


@njit(inline="always", **JIT)
def next_normal_r(s0, s1, s2, s3):
    """Register form of :func:`next_normal` (same stream): returns ``(x, s0, s1, s2, s3)``.

    Only the rectangle test (~98.5% of draws) is inlined; the rest is the out-of-line
    :func:`_normal_slow_r`. Written as one loop with the rare branches inside (as
    :func:`next_normal` is), the inlined code keeps the state out of registers around them:
    measured 3.4 ns against 2.1 ns a normal on one core of the benchmark machine. The sign
    comes with the layer's width (:data:`ZIG_WI_SIGNED`): the same doubles as a test and a
    negation, four instructions fewer a normal."""
    r, s0, s1, s2, s3 = next_u64_r(s0, s1, s2, s3)
    k = np.int64(r & uint64(0x1FF))                   # layer (low 8 bits) and sign (bit 8)
    rabs = (r >> uint64(9)) & uint64(0x000FFFFFFFFFFFFF)
    x = float(np.int64(rabs)) * ZIG_WI_SIGNED[k]
    if rabs >= ZIG_KI_SIGNED[k]:
        x, s0, s1, s2, s3 = _normal_slow_r(k & 0xFF, rabs, x, s0, s1, s2, s3)
    return x, s0, s1, s2, s3


@njit(**JIT)
def fill_doubles(s, out):
    """Fill ``out`` with uniforms (for tests and the RNG-limit benchmark)."""
    for i in range(out.size):
        out[i] = next_double(s)


@njit(**JIT)
def fill_normals(s, out):
    """Fill ``out`` with standard normals (for tests and the RNG-limit benchmark)."""
    for i in range(out.size):
        out[i] = next_normal(s)
