"""Run claims on a Dask cluster (optional: ``pip install dropmc[dask]``).

``dropmc verify --scheduler ADDRESS`` uses a running ``distributed`` scheduler;
``--scheduler local:N`` starts a LocalCluster of N worker processes (one thread each). The
unit of work is a claim: each worker evaluates whole claims (and their power runs) with the
run's seed. Because a claim's streams come from the run seed and its id alone, and every
kernel's chunks keep their own streams, the report is the same as a local run's, bit for bit
(only the timings differ); the test suite checks this on a LocalCluster of two processes.
"""

from __future__ import annotations


def _require_dask():
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ValueError("--scheduler needs Dask: pip install 'dropmc[dask]'") from None


def client_for(spec: str):
    """A ``distributed.Client`` for ``"local:N"`` (a new LocalCluster) or a scheduler address.
    Returns ``(client, cluster_or_None)``; close both when done."""
    _require_dask()
    from distributed import Client, LocalCluster

    if not isinstance(spec, str) or not spec.strip():
        raise ValueError("--scheduler must be a scheduler address or local:N")
    if spec.startswith("local:"):
        try:
            n = int(spec.split(":", 1)[1])
        except ValueError:
            raise ValueError(f"--scheduler local:N needs an integer N, got {spec!r}") from None
        if not 1 <= n <= 64:
            raise ValueError(f"--scheduler local:N needs 1 <= N <= 64, got {n}")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(spec, timeout="10s"), None
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"cannot reach the Dask scheduler at {spec!r}: {exc}") from None


def _remote(evaluate, claim_id: str, modules: tuple, kw: dict):
    """Evaluate one claim on a worker with ``evaluate`` (the runner's, passed by reference so
    that this module does not import the runner), after importing the user modules it needs."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from dropmc import registry

    for m in modules:
        if m.split(".", 1)[0] not in registry.user_papers():
            registry.load_module(m)
    return evaluate(registry.get(claim_id), **kw)


def evaluate_many(claims, spec: str, evaluate, *, modules=(), on_done=None, **kw) -> list:
    """Evaluate ``claims`` with ``evaluate(claim, **kw)`` (``dropmc.runner.evaluate``) on the
    cluster named by ``spec``; results in the claims' order."""
    client, cluster = client_for(spec)
    try:
        from distributed import as_completed

        futures = [client.submit(_remote, evaluate, c.id, tuple(modules), kw, pure=False,
                                 key=f"claim-{i}-{c.id}")
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
