r"""numpy's PCG64 stream inside a Numba kernel: the same uniforms and normals as a
``numpy.random.Generator(PCG64)``, drawn without a call through the bit generator.

Why: numba's support for ``numpy.random.Generator`` calls the bit generator through a function
pointer for every draw (measured side by side in a kernel loop: 5.3 ns a normal and 8.2 ns a
uniform through the Generator, 3.5 ns and 2.6 ns here). A kernel whose results are recorded
bit for bit on numpy's stream (the Figure 2 trainings of ``variance_constancy``) cannot move
to the faster generator of :mod:`._xoshiro`; it can inline this one, which continues the
Generator's stream exactly.

* **Bits**: PCG64 as numpy implements it (O'Neill's PCG XSL RR 128/64): the 128-bit state
  steps ``s ← s·M + inc (mod 2^128)``, then the output is ``rotr64(hi ⊕ lo, hi >> 58)`` of the
  new state. The 128-bit product is one LLVM ``i128`` multiplication (:func:`_lcg128`).
* **Uniforms**: numpy's ``next_double``, ``(bits >> 11)·2^−53``.
* **Normals**: numpy's ziggurat (``random_standard_normal``: layer from the low 8 bits, then a
  sign bit and a 52-bit mantissa; Marsaglia's tail beyond r; the wedge test against
  ``exp(−x²/2)``) with numba's copy of numpy's tables, the ones numba's own
  ``Generator.standard_normal`` uses (these differ in the last digits from the tables
  :mod:`._xoshiro` computes).
* **State**: :func:`pcg64_state` reads a Generator's state as four words (state high, low,
  increment high, low); the functions take and return the state words (the register form of
  :mod:`._xoshiro`), and the increment stays fixed.

Tested against numpy's ``random_raw``, ``random`` and ``standard_normal`` in
``tests/test_pcg64.py``. Like :mod:`._xoshiro`, these are compiled into the kernels that call
them, whose numba cache does not notice a change here (numba#8359): after changing this module,
delete the callers' cache files (``__pycache__/*.nbi``, ``*.nbc``).
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types, uint64
from numba.extending import intrinsic
from numba.np.random._constants import (fi_double, ki_double, wi_double, ziggurat_nor_inv_r,
                                        ziggurat_nor_r)

from dropmc.simulations._core import JIT

#: the 128-bit multiplier of numpy's PCG64 (PCG_DEFAULT_MULTIPLIER_128)
PCG64_MULT = 0x2360ED051FC65DA44385DF649FCCF645

_MASK64 = (1 << 64) - 1

# numpy's ziggurat tables and tail start r (numba's copy; module globals are frozen into the
# compiled code as constants)
_ZKI, _ZWI, _ZFI = ki_double, wi_double, fi_double
_ZR, _ZINV_R = float(ziggurat_nor_r), float(ziggurat_nor_inv_r)


def pcg64_state(g: np.random.Generator) -> np.ndarray:
    """The state of a PCG64 ``Generator`` as uint64[4]: state high and low words, increment
    high and low words (the Generator itself is left where it is)."""
    st = g.bit_generator.state
    if st.get("bit_generator") != "PCG64":
        raise TypeError(f"g must be a numpy Generator on PCG64, got {st.get('bit_generator')!r}")
    s, inc = int(st["state"]["state"]), int(st["state"]["inc"])
    return np.array([s >> 64, s & _MASK64, inc >> 64, inc & _MASK64], dtype=np.uint64)


@intrinsic
def _lcg128(typingctx, hi, lo, inc_hi, inc_lo):
    """One step of the 128-bit LCG, ``(hi, lo)·M + (inc_hi, inc_lo) mod 2^128``, as one LLVM
    ``i128`` multiply-add; returns the new ``(hi, lo)``."""
    if not all(isinstance(a, types.Integer) for a in (hi, lo, inc_hi, inc_lo)):
        return None
    sig = types.UniTuple(types.uint64, 2)(types.uint64, types.uint64, types.uint64,
                                          types.uint64)

    def codegen(context, builder, signature, args):
        i64, i128 = ir.IntType(64), ir.IntType(128)

        def wide(h, l):
            return builder.or_(builder.shl(builder.zext(h, i128), ir.Constant(i128, 64)),
                               builder.zext(l, i128))

        s = builder.add(builder.mul(wide(args[0], args[1]), ir.Constant(i128, PCG64_MULT)),
                        wide(args[2], args[3]))
        new_hi = builder.trunc(builder.lshr(s, ir.Constant(i128, 64)), i64)
        return context.make_tuple(builder, signature.return_type, (new_hi, builder.trunc(s, i64)))

    return sig, codegen


@njit(inline="always", **JIT)
def pcg64_next_u64(hi, lo, ihi, ilo):
    """numpy's PCG64 ``next_uint64``: returns ``(bits, hi, lo)``."""
    hi, lo = _lcg128(hi, lo, ihi, ilo)
    x = hi ^ lo
    rot = hi >> uint64(58)
    return (x >> rot) | (x << ((uint64(64) - rot) & uint64(63))), hi, lo


@njit(inline="always", **JIT)
def pcg64_next_double(hi, lo, ihi, ilo):
    """numpy's PCG64 ``next_double`` (a uniform in [0, 1) from the top 53 bits): returns
    ``(u, hi, lo)``."""
    r, hi, lo = pcg64_next_u64(hi, lo, ihi, ilo)
    return float(r >> uint64(11)) * (1.0 / 9007199254740992.0), hi, lo


@njit(**JIT)
def _normal_slow(idx, rabs, x, hi, lo, ihi, ilo):
    """The ziggurat's rare branches (~1.5 % of draws), out of line, as numpy takes them: the
    base strip's tail (idx = 0), the wedge test, and on rejection the redraws. ``x`` is the
    candidate of layer ``idx`` with mantissa ``rabs``, rejected by its rectangle."""
    while True:
        if idx == 0:
            while True:
                u, hi, lo = pcg64_next_double(hi, lo, ihi, ilo)
                v, hi, lo = pcg64_next_double(hi, lo, ihi, ilo)
                xx = -_ZINV_R * math.log1p(-u)
                yy = -math.log1p(-v)
                if yy + yy > xx * xx:
                    x = _ZR + xx
                    return (-x if (rabs >> uint64(8)) & uint64(1) else x), hi, lo
        u, hi, lo = pcg64_next_double(hi, lo, ihi, ilo)
        if (_ZFI[idx - 1] - _ZFI[idx]) * u + _ZFI[idx] < math.exp(-0.5 * x * x):
            return x, hi, lo
        r, hi, lo = pcg64_next_u64(hi, lo, ihi, ilo)
        idx = np.int64(r & uint64(0xFF))
        r >>= uint64(8)
        rabs = (r >> uint64(1)) & uint64(0x000FFFFFFFFFFFFF)
        x = float(rabs) * _ZWI[idx]
        if r & uint64(1):
            x = -x
        if rabs < _ZKI[idx]:
            return x, hi, lo


@njit(inline="always", **JIT)
def pcg64_next_normal(hi, lo, ihi, ilo):
    """numpy's ``standard_normal`` on PCG64: returns ``(x, hi, lo)``. Only the rectangle test
    is inlined; the rest is :func:`_normal_slow`."""
    r, hi, lo = pcg64_next_u64(hi, lo, ihi, ilo)
    idx = np.int64(r & uint64(0xFF))
    r >>= uint64(8)
    rabs = (r >> uint64(1)) & uint64(0x000FFFFFFFFFFFFF)
    x = float(rabs) * _ZWI[idx]
    if r & uint64(1):
        x = -x
    if rabs >= _ZKI[idx]:
        x, hi, lo = _normal_slow(idx, rabs, x, hi, lo, ihi, ilo)
    return x, hi, lo


@njit(**JIT)
def fill_raw(state, out):
    """Fill ``out`` (uint64) with raw 64-bit outputs from ``state`` (uint64[4], advanced in
    place); for the tests."""
    hi, lo, ihi, ilo = state[0], state[1], state[2], state[3]
    for i in range(out.size):
        out[i], hi, lo = pcg64_next_u64(hi, lo, ihi, ilo)
    state[0], state[1] = hi, lo


@njit(**JIT)
def fill_doubles(state, out):
    """Fill ``out`` with uniforms from ``state`` (advanced in place); for the tests."""
    hi, lo, ihi, ilo = state[0], state[1], state[2], state[3]
    for i in range(out.size):
        out[i], hi, lo = pcg64_next_double(hi, lo, ihi, ilo)
    state[0], state[1] = hi, lo


@njit(**JIT)
def fill_normals(state, out):
    """Fill ``out`` with standard normals from ``state`` (advanced in place); for the tests."""
    hi, lo, ihi, ilo = state[0], state[1], state[2], state[3]
    for i in range(out.size):
        out[i], hi, lo = pcg64_next_normal(hi, lo, ihi, ilo)
    state[0], state[1] = hi, lo
