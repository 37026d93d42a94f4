"""Record one valid call of every public function of ``dropmc.theory`` and ``dropmc.simulations``,
for the fuzz suite (``tests/test_fuzz_library.py``) to break one argument at a time.

    python tools/fuzz_calls.py record   # writes tests/data/fuzz_calls.pickle
    python tools/fuzz_calls.py missing  # lists the public functions without a recorded call

A call is recorded by wrapping every public function (and the ``__init__`` of every public
class) of those packages, in every ``dropmc`` module that holds a reference to it, and then
running what exercises them with valid arguments: every claim at quick precision (fixed seed)
and the kernel table of ``tools/known_answers.py``. For each function the fastest call whose
arguments pickle (no closures) and are small (``MAX_BYTES``) is kept. Public functions in
private modules (``_core``, ``_xoshiro``) and Numba dispatchers (which compiled callers bind
at compile time, so they cannot be wrapped) are left out; the fuzz suite lists what it covers.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import pickle
import pkgutil
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "fuzz_calls.pickle"
#: the largest pickled argument set kept (bytes): the file stays small and the calls fast
MAX_BYTES = 20_000
PACKAGES = ("dropmc.theory", "dropmc.simulations")


def public_callables() -> dict[str, object]:
    """``"module:name"`` → function or class, for every public function and class defined in a
    public module of :data:`PACKAGES` (not Numba dispatchers, not memoised wrappers)."""
    out = {}
    for pkg_name in PACKAGES:
        pkg = importlib.import_module(pkg_name)
        names = [pkg_name] + [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg_name + ".")]
        for mod_name in names:
            if any(part.startswith("_") for part in mod_name.split(".")):
                continue
            mod = importlib.import_module(mod_name)
            for name, obj in vars(mod).items():
                if name.startswith("_") or getattr(obj, "__module__", None) != mod_name:
                    continue
                if isinstance(obj, (types.FunctionType, type)) and not getattr(obj, "study", False):
                    out[f"{mod_name}:{name}"] = obj
    return out


def _bind(fn, args, kwargs) -> dict | None:
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return None
    return dict(bound.arguments)


def record() -> dict:
    from tools.known_answers import kernel_calls  # noqa: F401 - imported before wrapping

    targets = public_callables()
    calls: dict[str, dict] = {}
    originals = {}

    def wrap(key, fn, is_init=False):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            result = fn(*args, **kwargs)
            dt = time.perf_counter() - t0
            bound = _bind(fn, args, kwargs)
            if bound is not None:
                if is_init:
                    bound.pop(next(iter(bound)))  # self
                try:
                    blob = pickle.dumps(bound)
                except Exception:  # noqa: BLE001 - closures, generators: not replayable
                    blob = None
                if blob is not None and len(blob) <= MAX_BYTES:
                    old = calls.get(key)
                    if old is None or dt < old["seconds"]:
                        calls[key] = {"kwargs": blob, "seconds": dt}
            return result

        return wrapper

    for key, obj in targets.items():
        if isinstance(obj, type):
            if "__init__" in vars(obj):
                originals[(obj, "__init__")] = vars(obj)["__init__"]
                obj.__init__ = wrap(key, vars(obj)["__init__"], is_init=True)
            continue
        w = wrap(key, obj)
        for mod in list(sys.modules.values()):
            if getattr(mod, "__name__", "").startswith("dropmc"):
                for name, val in list(vars(mod).items()):
                    if val is obj:
                        originals.setdefault((mod, name), obj)
                        setattr(mod, name, w)
    try:
        from dropmc.registry import all_claims
        from dropmc.runner import evaluate
        from tools.known_answers import kernel_calls

        for _, call in kernel_calls():
            call()
        for claim in all_claims():
            if not claim.slow:
                evaluate(claim, seed=2026, precision="quick", catch=True)
            print(f"{claim.id}: {len(calls)} functions recorded", flush=True)
    finally:
        for (owner, name), val in originals.items():
            setattr(owner, name, val)
    return {k: v for k, v in calls.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("record", "missing"))
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if a.action == "record":
        calls = record()
        blob = {k: {"kwargs": v["kwargs"], "seconds": round(v["seconds"], 4)}
                for k, v in sorted(calls.items())}
        OUT.write_bytes(pickle.dumps(blob, protocol=4))
        print(f"{len(blob)} of {len(public_callables())} public callables recorded in {OUT}")
        return 0
    have = pickle.loads(OUT.read_bytes()) if OUT.exists() else {}
    for key in sorted(public_callables()):
        if key not in have:
            print(key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
