"""Run claims on a Dask cluster (optional: ``pip install dropmc[dask]``).

``dropmc verify --scheduler ADDRESS`` uses a running ``distributed`` scheduler;
``--scheduler local:N`` starts a LocalCluster of N worker processes (one thread each). The
unit of work is a claim, and within it a chunk: each worker evaluates whole claims (and their
power runs) with the run's seed; when there are fewer claims than twice the workers, a
claim's Monte Carlo chunks go back to the cluster too (runs of four chunks or more:
:func:`dropmc.simulations._core.chunks_on`), so one large claim spreads over every worker. Claims are submitted the most expensive first (by the
seconds of the last report in ``--out``), and the studies several claims share
(:mod:`dropmc._studies`) are computed once for the run, in a directory every worker reads.
Because a claim's streams come from the run seed and its id alone, and every kernel's chunks
keep their own streams, the report is the same as a local run's, bit for bit (only the
timings differ); the test suite checks this on a LocalCluster of two processes.

An address is checked in form without Dask (:func:`check_scheduler`, which the command line
and :func:`dropmc.verify` call before anything runs) and then asked who it is before the
client connects (:func:`_identify`): an address where no Dask scheduler answers fails in one
line within seconds, whatever listens there.
"""

from __future__ import annotations

import contextlib
import reprlib
from urllib.parse import urlsplit

#: seconds allowed to connect to a scheduler and hear it answer as one
CONNECT_TIMEOUT = 5.0


def check_scheduler(name: str, spec) -> str:
    """Return ``spec`` after checking its form (without Dask): ``local:N`` with 1 <= N <= 64,
    or a scheduler address ``tcp://HOST:PORT``, ``tls://HOST:PORT`` or ``HOST:PORT``."""
    if not isinstance(spec, str):
        raise TypeError(f"{name} must be a scheduler address (tcp://HOST:PORT) or local:N, "
                        f"got {spec!r}")
    if spec.startswith("local:"):
        try:
            n = int(spec.split(":", 1)[1])
        except ValueError:
            raise ValueError(f"{name} local:N needs an integer N, got {spec!r}") from None
        if not 1 <= n <= 64:
            raise ValueError(f"{name} local:N needs 1 <= N <= 64, got {spec!r}")
        return spec
    scheme, sep, _ = spec.partition("://")
    try:
        parts = urlsplit(spec if sep else f"tcp://{spec}")
        port = parts.port
    except ValueError:  # a port out of range or not a number, a bad IPv6 literal
        parts, port = None, None
    if (scheme not in ("tcp", "tls") and sep) or parts is None or not parts.hostname \
            or not port or parts.path or parts.query or parts.fragment or parts.username \
            or any(c.isspace() for c in spec):
        raise ValueError(f"{name} must be a scheduler address tcp://HOST:PORT, tls://HOST:PORT "
                         f"or HOST:PORT, or local:N for N local worker processes; got {spec!r}")
    return spec


def _require_dask():
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ValueError("--scheduler needs Dask: pip install 'dropmc[dask]'") from None


def _identify(address: str, timeout: float | None = None) -> None:
    """Connect to ``address``, ask who answers, and raise ValueError unless a Dask scheduler
    does, all within about ``timeout`` seconds (default :data:`CONNECT_TIMEOUT`, read at the
    call): a service that never speaks, or speaks another protocol, fails here in one line
    instead of hanging or failing deep inside Dask."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect
    from distributed.security import Security

    timeout = CONNECT_TIMEOUT if timeout is None else timeout

    async def ask():
        comm = await connect(address, timeout=timeout,
                             **Security().get_connection_args("client"))
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    def run():  # its own thread and event loop: the caller may be inside one (Jupyter)
        return asyncio.run(asyncio.wait_for(ask(), timeout))

    try:
        with ThreadPoolExecutor(1) as pool:
            info = pool.submit(run).result()
    except (TimeoutError, asyncio.TimeoutError):  # distinct classes before Python 3.11
        raise ValueError(f"no Dask scheduler answered at {address!r}: something accepted the "
                         f"connection but said nothing Dask understands within {timeout:g} s"
                         ) from None
    except OSError as exc:  # refused, unreachable, closed during the handshake
        raise ValueError(f"no Dask scheduler answered at {address!r}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - e.g. a frame length read off an HTTP reply
        raise ValueError(f"no Dask scheduler answered at {address!r}: what answered does not "
                         f"speak Dask's protocol ({type(exc).__name__})") from None
    if not (isinstance(info, dict) and info.get("type") == "Scheduler"):
        raise ValueError(f"{address!r} answered, but not as a Dask scheduler (its identity: "
                         f"{reprlib.repr(info)})")


def client_for(spec: str):
    """A ``distributed.Client`` for ``"local:N"`` (a new LocalCluster) or a scheduler address
    that answers as a Dask scheduler (:func:`_identify`). Returns ``(client, cluster_or_None)``;
    close both when done."""
    check_scheduler("--scheduler", spec)
    _require_dask()
    from distributed import Client, LocalCluster

    if spec.startswith("local:"):
        cluster = LocalCluster(n_workers=int(spec[len("local:"):]), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        return Client(cluster), cluster
    _identify(spec)
    try:
        return Client(spec, timeout=f"{CONNECT_TIMEOUT:g}s"), None
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"cannot reach the Dask scheduler at {spec!r}: {exc}") from None


def _remote(evaluate, claim_id: str, modules: tuple, kw: dict, study_dir: str | None = None,
            chunks: bool = False):
    """Evaluate one claim on a worker with ``evaluate`` (the runner's, passed by reference so
    that this module does not import the runner), after importing the user modules it needs;
    ``study_dir`` is the run's study directory (:mod:`dropmc._studies`); with ``chunks`` the
    claim's Monte Carlo chunks go back to the cluster (:func:`_map_on_cluster`)."""
    import os

    from dropmc import _studies

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if study_dir:
        os.environ[_studies.ENV] = study_dir
    else:
        os.environ.pop(_studies.ENV, None)
    from dropmc import registry
    from dropmc.simulations._core import chunks_on

    for m in modules:
        if m.split(".", 1)[0] not in registry.user_papers():
            registry.load_module(m)
    with chunks_on(_map_on_cluster) if chunks else contextlib.nullcontext():
        return evaluate(registry.get(claim_id), **kw)


def _map_on_cluster(kernel, generators, sizes) -> list:
    """Run a claim's Monte Carlo chunks as tasks of the cluster this worker belongs to (two
    blocks of consecutive chunks per worker), and gather their results in chunk order (each chunk has its own stream, so the numbers are the
    ones a single process computes). The claim's task leaves the worker's thread pool while it
    waits, so that the worker takes chunks (its own or another claim's) meanwhile."""
    from distributed import worker_client

    with worker_client() as client:
        k = max(1, min(len(sizes), 2 * len(client.scheduler_info()["workers"])))
        edges = [round(i * len(sizes) / k) for i in range(k + 1)]
        futures = [client.submit(_run_block, kernel, generators[a:b], sizes[a:b], pure=False)
                   for a, b in zip(edges[:-1], edges[1:])]
        return [r for block in client.gather(futures) for r in block]


def _run_block(kernel, generators, sizes) -> list:
    """A block of consecutive chunks on a worker, one after another: a task per chunk would
    cost more than the chunk (batch-means runs have a hundred small ones), so each worker
    takes two blocks."""
    return [kernel(g, m) for g, m in zip(generators, sizes)]


def evaluate_many(claims, spec: str, evaluate, *, modules=(), on_done=None,
                  study_dir: str | None = None, **kw) -> list:
    """Evaluate ``claims`` with ``evaluate(claim, **kw)`` (``dropmc.runner.evaluate``) on the
    cluster named by ``spec``, submitted in their order (with ``priority`` falling along it, so
    workers take them in that order); results in the claims' order. ``study_dir``: the run's
    study directory, shared by the workers (:mod:`dropmc._studies`)."""
    client, cluster = client_for(spec)
    try:
        from distributed import as_completed

        # fewer claims than workers can keep busy: their chunks are spread over the cluster
        # (with more, the claims are, and sending chunks too would only add traffic)
        chunks = len(claims) < 2 * max(1, len(client.scheduler_info()["workers"]))
        futures = [client.submit(_remote, evaluate, c.id, tuple(modules), kw, study_dir, chunks,
                                 pure=False, key=f"claim-{i}-{c.id}", priority=-i)
                   for i, c in enumerate(claims)]
        index = {f.key: i for i, f in enumerate(futures)}
        out = [None] * len(claims)
        for fut in as_completed(futures):
            r = fut.result()
            out[index[fut.key]] = r
            if on_done is not None:
                on_done(r)
        return out
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
