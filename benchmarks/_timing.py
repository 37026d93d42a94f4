"""Timing helpers shared by the benchmark modules."""

from __future__ import annotations

import time

from numba import njit

from dropmc.simulations._core import JIT, run_chunks


def best_rate(fn, units: float, repeats: int = 5) -> float:
    """Units per second of ``fn()``: best of ``repeats`` after one warm-up call."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return units / best


@njit(**JIT)
def _draw_normal_uniform(gen, n, d):
    s = 0.0
    for _ in range(n):
        for _j in range(d):
            s += gen.standard_normal()
            s += gen.random()
    return s


@njit(**JIT)
def _draw_uniform(gen, n, d):
    s = 0.0
    for _ in range(n):
        for _j in range(d):
            s += gen.random()
    return s


def rng_limit_normal_uniform(n: int, d: int, chunk_size: int, min_chunks: int = 1):
    """Draw n·d normals and n·d uniforms with the samplers' generator and chunking."""
    return lambda: run_chunks(lambda g, m: _draw_normal_uniform(g, m, d), n, 0,
                              chunk_size=chunk_size, min_chunks=min_chunks)


def rng_limit_uniform(n: int, d: int, chunk_size: int, min_chunks: int = 1):
    """Draw n·d uniforms with the samplers' generator and chunking."""
    return lambda: run_chunks(lambda g, m: _draw_uniform(g, m, d), n, 0,
                              chunk_size=chunk_size, min_chunks=min_chunks)


# --- the in-kernel xoshiro256++ stream (simulations/_xoshiro.py) ------------------------------

from dropmc.simulations._xoshiro import (next_double, next_double_r, next_normal,  # noqa: E402
                                         next_normal_r)


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


def xo_limit_uniform(n: int, d: int, chunk_size: int, min_chunks: int = 1):
    """Draw n·d uniforms with the in-kernel xoshiro stream and chunking."""
    return lambda: run_chunks(lambda s, m: _xo_uniform(s, m, d), n, 0,
                              chunk_size=chunk_size, min_chunks=min_chunks, stream="xoshiro")
