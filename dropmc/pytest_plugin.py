"""pytest plugin (enabled by installing dropmc, through the ``pytest11`` entry point).

Two ways to decide a claim inside a test and fail the test with its evidence when the verdict
is not the expected one:

* the ``dropmc_verify`` fixture, a function::

      def test_my_theorem(dropmc_verify):
          result = dropmc_verify("mythm.mean.uniform", expect="CONFIRMED", precision="quick")

  It accepts a claim id or a :class:`dropmc.Claim`, and a ``module=`` to import first;

* the ``dropmc_claim`` marker, which runs the claim before the test body::

      @pytest.mark.dropmc_claim("mythm.mean.uniform", expect="CONFIRMED", module="mypkg.claims")
      def test_mean():
          pass

The seed is fixed per test (a CRC of its node id) unless ``seed=`` is given, so a test is
reproducible; the verdict, seed, precision, resolution and power are recorded in the test's
``user_properties`` (they reach the JUnit XML report) and in a report section shown with
``-rA``.
"""

from __future__ import annotations

import zlib

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "dropmc_claim(claim, expect='CONFIRMED', precision='quick', seed=None, module=None, "
        "power=False): decide a dropmc claim before the test and fail with its evidence unless "
        "its verdict is `expect`")


def _decide(item, claim, *, expect="CONFIRMED", precision="quick", seed=None, module=None,
            power=False):
    from dropmc import registry
    from dropmc.claims import Claim, Verdict
    from dropmc.runner import evaluate

    mods = [module] if isinstance(module, str) else list(module or [])
    for m in mods:
        registry.load_module(m)
    c = claim if isinstance(claim, Claim) else registry.get(claim)
    want = expect if isinstance(expect, Verdict) else Verdict(str(expect).upper())
    if seed is None:
        seed = zlib.crc32(item.nodeid.encode())
    r = evaluate(c, seed=seed, precision=precision, with_power=power)
    res = [k.resolution for k in r.cases if k.resolution]
    record = {"claim": c.id, "verdict": r.verdict.value, "expected": want.value, "seed": seed,
              "precision": precision, "worst_resolution": max(res) if res else None,
              "power": (r.power or {}).get("delta"), "summary": r.summary}
    item.user_properties.append(("dropmc", record))
    item.add_report_section("call", "dropmc", "\n".join(f"{k}: {v}" for k, v in record.items()))
    if r.verdict is not want:
        lines = [f"dropmc claim {c.id}: expected {want.value}, got {r.verdict.value} "
                 f"(seed {seed}, precision {precision})", f"  {c.label}: {c.statement}",
                 f"  evidence: {r.summary}"]
        if r.error:
            lines.append(f"  error: {r.error}")
        for k in r.cases[:12]:
            lines.append(f"  case {k.params}: {k.verdict.value} {k.detail}")
        pytest.fail("\n".join(lines), pytrace=False)
    return r


@pytest.fixture
def dropmc_verify(request):
    """Decide a claim in a test: ``dropmc_verify(claim, expect="CONFIRMED", precision="quick",
    seed=None, module=None, power=False)`` returns the ClaimResult or fails the test."""
    def run(claim, **kw):
        return _decide(request.node, claim, **kw)

    return run


@pytest.fixture(autouse=True)
def _dropmc_claim_marker(request):
    for m in request.node.iter_markers("dropmc_claim"):
        if not m.args:
            raise pytest.UsageError("dropmc_claim needs the claim (an id or a Claim) as its argument")
        _decide(request.node, m.args[0], **m.kwargs)
    yield
