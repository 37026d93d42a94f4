"""The deterministic random layer shared by every sampler.

SPEC 7: public functions take ``rng`` (None, int, ``numpy.random.Generator`` or
``SeedSequence``). A run of ``n`` samples is split into fixed chunks of ``chunk_size``; chunk
``c`` draws from its own PCG64 ``Generator`` spawned from one ``SeedSequence``. Chunks are
handed to a thread pool and the Numba kernels release the GIL (``nogil=True``), so the work is
parallel while the result depends only on the seed and the chunk size — bit-identical whatever
the number of threads. Numba's own ``np.random`` is never used: it is not reproducible across
threads (numba#8957, #4452).

Where chunks run can be handed over (:func:`chunks_on`): on a Dask worker, a claim's
chunks go back to the cluster as tasks (:mod:`dropmc.distributed`), so one large claim
spreads over every worker. The chunk streams are the same, and the results are gathered in
chunk order, so the numbers are too.

The thread count is ``DROPMC_THREADS`` if set (a positive integer: anything else raises
ValueError rather than fall back silently), else ``NUMBA_NUM_THREADS`` (numba's config, which
honours the environment variable), else the number of cores.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Sequence

import numpy as np

from dropmc._validation import MAX_SEED, check_int, env_threads

#: jit options used by every kernel (docs/architecture.md, "Numba kernels")
JIT = dict(cache=True, nogil=True)
#: options for kernels whose inner loops are dot products (lets LLVM vectorise them)
JIT_FAST = dict(cache=True, nogil=True, fastmath={"reassoc", "contract"})
#: options for kernels that must round every operation as numpy does (a trainer's fused
#: passes, the fused Adam): numpy's error model and no fast-math flag (no FMA contraction, no
#: reassociation), so they reproduce the numpy expressions they replace bit for bit
JIT_EXACT = dict(JIT, error_model="numpy")

DEFAULT_CHUNK = 1 << 14

#: ``(map_chunks, min_chunks)``: where :func:`run_chunks` sends a run of at least
#: ``min_chunks`` chunks, ``map_chunks(kernel, generators, sizes) -> results in chunk order``;
#: None runs them on this process's threads
_CHUNK_MAP: contextvars.ContextVar = contextvars.ContextVar("dropmc_chunk_map", default=None)


@contextlib.contextmanager
def chunks_on(map_chunks: Callable[[Callable, list, list], list], min_chunks: int = 4):
    """Within the block, :func:`run_chunks` hands runs of at least ``min_chunks`` chunks to
    ``map_chunks(kernel, generators, sizes)``, which must return the kernel's results in chunk
    order (e.g. a Dask client's map and gather). Smaller runs stay on this process's threads:
    sending them would cost more than it saves."""
    token = _CHUNK_MAP.set((map_chunks, int(min_chunks)))
    try:
        yield
    finally:
        _CHUNK_MAP.reset(token)


def n_threads() -> int:
    """Threads used for chunked Monte Carlo."""
    env = env_threads("DROPMC_THREADS")
    if env is not None:
        return env
    try:
        import numba

        return max(1, int(numba.config.NUMBA_NUM_THREADS))
    except Exception:  # pragma: no cover - numba always importable in practice
        return os.cpu_count() or 1


def as_seed_sequence(rng, *, name: str = "rng") -> np.random.SeedSequence:
    """Turn ``rng`` (None, int, SeedSequence or Generator) into a SeedSequence (SPEC 7).

    An integer seed must lie in [0, :data:`MAX_SEED`]; anything else (a negative or wider
    integer, a float, a bool, a list) raises naming the parameter ``name``.
    """
    if rng is None:
        return np.random.SeedSequence()
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        if not 0 <= int(rng) <= MAX_SEED:
            raise ValueError(f"{name} must be a non-negative 64-bit integer seed, in "
                             f"[0, 2**64 - 1]; got {int(rng)}")
        return np.random.SeedSequence(int(rng))
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        # derive a child sequence from the generator's own stream: deterministic in its state
        return np.random.SeedSequence(rng.integers(0, 2**63, size=4).tolist())
    raise TypeError(f"{name} must be None, an integer seed, a numpy.random.SeedSequence or a "
                    f"numpy.random.Generator; got {rng!r} of type {type(rng).__name__}")


def as_generator(rng, *, name: str = "rng") -> np.random.Generator:
    """A PCG64 ``Generator`` from ``rng`` (a Generator is passed through); the same stream as
    ``numpy.random.default_rng(rng)`` for a valid seed or SeedSequence, which it replaces
    wherever a public ``rng`` (or seed, under ``name``) is turned into a generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.Generator(np.random.PCG64(as_seed_sequence(rng, name=name)))


def chunk_generators(rng, n_chunks: int) -> list[np.random.Generator]:
    """``n_chunks`` independent PCG64 generators spawned from one SeedSequence."""
    return [_generator(s) for s in as_seed_sequence(rng).spawn(n_chunks)]


def chunk_states(rng, n_chunks: int) -> list[np.ndarray]:
    """``n_chunks`` xoshiro256++ states (uint64[4] each, never all zero) from spawned
    SeedSequences — the in-kernel stream of :mod:`dropmc.simulations._xoshiro`."""
    return [_state(s) for s in as_seed_sequence(rng).spawn(n_chunks)]


def _generator(child: np.random.SeedSequence) -> np.random.Generator:
    """A chunk's PCG64 generator from its spawned SeedSequence."""
    return np.random.Generator(np.random.PCG64(child))


def _state(child: np.random.SeedSequence) -> np.ndarray:
    """A chunk's xoshiro256++ state from its spawned SeedSequence (never all zero)."""
    st = child.generate_state(4, np.uint64)
    if not st.any():  # pragma: no cover - probability 2^-256
        st[0] = np.uint64(1)
    return st


#: batches per thread of :func:`run_chunks`: each batch is a run of consecutive chunks, taken
#: by whichever thread is free, so an uneven machine still balances while a thread pays the
#: pool's hand-over (about 0.1 ms on two cores) once per batch instead of once per chunk
BATCHES_PER_THREAD = 4


def chunk_sizes(n: int, chunk_size: int = DEFAULT_CHUNK) -> list[int]:
    """Split ``n`` samples into fixed chunks (the last one may be shorter)."""
    n = check_int("n_samples", n, minimum=1)
    chunk_size = check_int("chunk_size", chunk_size, minimum=1)
    full, rest = divmod(n, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


def run_chunks(kernel: Callable[[np.random.Generator, int], object], n: int, rng=None, *,
               chunk_size: int = DEFAULT_CHUNK, min_chunks: int = 1,
               threads: int | None = None, stream: str = "pcg64") -> list:
    """Run ``kernel(generator, chunk_n)`` over fixed chunks in a thread pool.

    ``stream="pcg64"`` hands each chunk a numpy PCG64 ``Generator``; ``stream="xoshiro"`` hands
    it a uint64[4] xoshiro256++ state for the inlined generator of ``_xoshiro``.

    Returns the per-chunk results in chunk order. ``min_chunks`` lowers the chunk size for small
    ``n`` so that batch-means standard errors have enough batches. The result depends only on
    ``rng``, ``n``, ``chunk_size`` and ``min_chunks``, never on the thread count, nor on where
    the chunks ran (:func:`chunks_on`; an explicit ``threads`` keeps them here).
    """
    n = check_int("n_samples", n, minimum=1)
    if min_chunks > 1:
        chunk_size = max(1, min(chunk_size, -(-n // min_chunks)))
    sizes = chunk_sizes(n, chunk_size)
    if stream == "pcg64":
        make = _generator
    elif stream == "xoshiro":
        make = _state
    else:
        raise ValueError(f"stream must be 'pcg64' or 'xoshiro', got {stream!r}")
    children = as_seed_sequence(rng).spawn(len(sizes))
    where = _CHUNK_MAP.get()
    if where is not None and threads is None and len(sizes) >= where[1]:
        return list(where[0](kernel, [make(c) for c in children], sizes))
    nt = min(threads or n_threads(), len(sizes))
    if nt == 1:
        return [kernel(make(c), m) for c, m in zip(children, sizes)]

    # consecutive chunks in batches; each chunk's generator is made in the thread that runs it,
    # beside the other threads' kernels (which release the GIL), not before them all
    def batch(lo_hi):
        return [kernel(make(children[i]), sizes[i]) for i in range(*lo_hi)]

    with ThreadPoolExecutor(max_workers=nt) as ex:
        return [r for part in ex.map(batch, _batches(len(sizes), nt)) for r in part]


def _batches(n: int, nt: int) -> list[tuple[int, int]]:
    """``(lo, hi)`` runs of consecutive indices covering ``range(n)``, about
    :data:`BATCHES_PER_THREAD` per thread of ``nt``: what each task of a thread pool takes."""
    cuts = np.linspace(0, n, min(n, BATCHES_PER_THREAD * nt) + 1).astype(int)
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist()))


def run_blocks(kernel: Callable[[int, int], object], n_blocks: int, *,
               threads: int | None = None) -> None:
    """Call ``kernel(lo, hi)`` on runs of consecutive block indices that cover
    ``range(n_blocks)`` once, in a thread pool (:func:`n_threads`; the kernels release the GIL).
    Each block writes its results into arrays the caller holds and then adds in block order
    (``enumeration.sum_blocks``), so they do not depend on the thread count. It replaces a
    ``parallel=True`` loop over blocks where that compiles slowly (docs/architecture.md §7)."""
    nt = min(threads or n_threads(), n_blocks)
    if nt <= 1:
        kernel(0, n_blocks)
        return
    with ThreadPoolExecutor(max_workers=nt) as ex:
        list(ex.map(lambda lo_hi: kernel(*lo_hi), _batches(n_blocks, nt)))


def stack(results: Sequence, dtype=float) -> np.ndarray:
    """Stack per-chunk result tuples/arrays into a (n_chunks, k) array."""
    return np.asarray([np.asarray(r, dtype=dtype).ravel() for r in results], dtype=dtype)
