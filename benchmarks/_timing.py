"""Timing helpers shared by the benchmark modules: the best-of-n rate, and the RNG limits of
the rows — the same random numbers as a kernel draws, from the same generator with the same
chunking (``run_chunks`` with seed 0), drawn alone and summed so that nothing is optimised
away. ``xo_limit_*`` draw from the in-kernel xoshiro256++ stream with its state in registers,
as the kernels hold it; ``rng_limit_normal_uniform`` from numba's PCG64 ``Generator`` (a call
through a function pointer per draw), for comparison."""

from __future__ import annotations

import time

from numba import njit, uint64

from dropmc.simulations._core import JIT, run_chunks


def best_rate(fn, units: float, repeats: int = 5) -> float:
    """Units per second of ``fn()``: best of ``repeats`` after one warm-up call."""
    return best_rates([(fn, units)], repeats)[0]


def best_rates(runs, repeats: int = 7) -> list[float]:
    """Units per second of each ``(fn, units)`` of ``runs``: best of ``repeats``, the runs
    interleaved (one call of each per round, after one warm-up call of each), so that a load
    that comes and goes on a shared machine hits the kernel, its numpy baseline and its limit
    alike and their ratios stay fair."""
    for fn, _ in runs:
        fn()
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        for i, (fn, _) in enumerate(runs):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return [units / b for (_, units), b in zip(runs, best)]


@njit(**JIT)
def _draw_normal_uniform(gen, n, d):
    s = 0.0
    for _ in range(n):
        for _j in range(d):
            s += gen.standard_normal()
            s += gen.random()
    return s


def rng_limit_normal_uniform(n: int, d: int, chunk_size: int, min_chunks: int = 1):
    """Draw n·d normals and n·d uniforms with the samplers' generator and chunking."""
    return lambda: run_chunks(lambda g, m: _draw_normal_uniform(g, m, d), n, 0,
                              chunk_size=chunk_size, min_chunks=min_chunks)


# --- the in-kernel xoshiro256++ stream (simulations/_xoshiro.py) ------------------------------

from dropmc.simulations._xoshiro import next_double_r, next_normal_r, next_u64_r  # noqa: E402


@njit(**JIT)
def _xo_normal_uniform(s, n, d):
    """The fastest way to draw the same numbers: register-held state, as the kernels use."""
    s0, s1, s2, s3 = s[0], s[1], s[2], s[3]
    acc = 0.0
    for _ in range(n):
        for _j in range(d):
            x, s0, s1, s2, s3 = next_normal_r(s0, s1, s2, s3)
            u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
            acc += x + u
    s[0], s[1], s[2], s[3] = s0, s1, s2, s3
    return acc


@njit(**JIT)
def _xo_normal(s, n, d):
    s0, s1, s2, s3 = s[0], s[1], s[2], s[3]
    acc = 0.0
    for _ in range(n):
        for _j in range(d):
            x, s0, s1, s2, s3 = next_normal_r(s0, s1, s2, s3)
            acc += x
    s[0], s[1], s[2], s[3] = s0, s1, s2, s3
    return acc


@njit(**JIT)
def _xo_words(s, n, d):
    s0, s1, s2, s3 = s[0], s[1], s[2], s[3]
    acc = uint64(0)
    for _ in range(n):
        for _j in range(d):
            r, s0, s1, s2, s3 = next_u64_r(s0, s1, s2, s3)
            acc ^= r
    s[0], s[1], s[2], s[3] = s0, s1, s2, s3
    return acc


@njit(**JIT)
def _xo_uniform(s, n, d):
    s0, s1, s2, s3 = s[0], s[1], s[2], s[3]
    acc = 0.0
    for _ in range(n):
        for _j in range(d):
            u, s0, s1, s2, s3 = next_double_r(s0, s1, s2, s3)
            acc += u
    s[0], s[1], s[2], s[3] = s0, s1, s2, s3
    return acc


def xo_limit_normal_uniform(n: int, d: int, chunk_size: int, min_chunks: int = 1):
    """Draw n·d normals and n·d uniforms with the in-kernel xoshiro stream and chunking."""
    return lambda: run_chunks(lambda s, m: _xo_normal_uniform(s, m, d), n, 0,
                              chunk_size=chunk_size, min_chunks=min_chunks, stream="xoshiro")


def xo_limit_normal(n: int, d: int, chunk_size: int, min_chunks: int = 1):
    """Draw n·d normals with the in-kernel xoshiro stream and chunking."""
    return lambda: run_chunks(lambda s, m: _xo_normal(s, m, d), n, 0,
                              chunk_size=chunk_size, min_chunks=min_chunks, stream="xoshiro")


def xo_limit_words(n: int, d: int, chunk_size: int, min_chunks: int = 1):
    """Draw n·d 64-bit words with the in-kernel xoshiro stream and chunking."""
    return lambda: run_chunks(lambda s, m: _xo_words(s, m, d), n, 0,
                              chunk_size=chunk_size, min_chunks=min_chunks, stream="xoshiro")


def xo_limit_uniform(n: int, d: int, chunk_size: int, min_chunks: int = 1):
    """Draw n·d uniforms with the in-kernel xoshiro stream and chunking."""
    return lambda: run_chunks(lambda s, m: _xo_uniform(s, m, d), n, 0,
                              chunk_size=chunk_size, min_chunks=min_chunks, stream="xoshiro")
