"""pytest plugin (enabled by installing dropmc, through the ``pytest11`` entry point).

Two ways to decide a claim inside a test and fail the test with its evidence when the verdict
is not the expected one:

* the ``dropmc_verify`` fixture, a function::

      def test_my_theorem(dropmc_verify):
          result = dropmc_verify("mythm.mean.uniform", expect="CONFIRMED", precision="quick")

  It accepts a claim id or a :class:`dropmc.Claim`, and a ``module=`` to import first;

* the ``dropmc_claim`` marker, which decides the claim as the test's call, before its body::

      @pytest.mark.dropmc_claim("mythm.mean.uniform", expect="CONFIRMED", module="mypkg.claims")
      def test_mean():
          pass

A verdict other than ``expect`` (one of CONFIRMED, REFUTED, APPROXIMATE, INCONCLUSIVE, ERROR)
is a test FAILURE, with the evidence (and, for a claim whose code failed, its traceback), never
an error of the test's setup. The seed is fixed per test (a CRC of its node id) unless
``seed=`` is given, so a test is reproducible; the verdict, seed, precision, resolution and
power (its δ and status when ``power=True``, status ``"not measured"`` otherwise) are recorded
as JSON in the test's ``user_properties`` (they reach the JUnit XML report) and in a report
section shown with ``-rA``.
"""

from __future__ import annotations

import json
import zlib

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "dropmc_claim(claim, expect='CONFIRMED', precision='quick', seed=None, module=None, "
        "power=False): decide a dropmc claim as the test's call and fail the test with its "
        "evidence unless its verdict is `expect`")


def _decide(item, claim, *, who, expect="CONFIRMED", precision="quick", seed=None,
            module=None, power=False):
    """Decide ``claim`` for the test ``item``, record it, and fail the test unless its verdict
    is ``expect``; ``who`` (the fixture or the marker) names the caller in a usage error."""
    from dropmc import registry
    from dropmc.claims import Claim, Verdict, _jsonable
    from dropmc.runner import evaluate

    try:
        want = Verdict.parse(f"{who}: expect", expect)
    except ValueError as exc:
        pytest.fail(str(exc), pytrace=False)  # one line, not a traceback into the plugin
    mods = [module] if isinstance(module, str) else list(module or [])
    for m in mods:
        registry.load_module(m)
    c = claim if isinstance(claim, Claim) else registry.get(claim)
    if seed is None:
        seed = zlib.crc32(item.nodeid.encode())
    r = evaluate(c, seed=seed, precision=precision, with_power=power)
    res = [k.resolution for k in r.cases if k.resolution]
    pw = ({"status": r.power.get("status"), "delta": r.power.get("delta")} if power
          else {"status": "not measured", "delta": None})
    record = {"claim": c.id, "verdict": r.verdict.value, "expected": want.value, "seed": seed,
              "precision": precision, "worst_resolution": max(res) if res else None,
              "power": pw, "summary": r.summary}
    item.user_properties.append(("dropmc", json.dumps(_jsonable(record), ensure_ascii=False)))
    item.add_report_section("call", "dropmc", "\n".join(
        f"{k}: {json.dumps(_jsonable(v), ensure_ascii=False) if isinstance(v, dict) else v}"
        for k, v in record.items()))
    if r.verdict is not want:
        lines = [f"dropmc claim {c.id}: expected {want.value}, got {r.verdict.value} "
                 f"(seed {seed}, precision {precision})", f"  {c.label}: {c.statement}",
                 f"  evidence: {r.summary}"]
        if r.traceback:
            lines += ["  " + line for line in r.traceback.splitlines()]
        for k in r.cases[:12]:
            lines.append(f"  case {k.params}: {k.verdict.value} {k.detail}")
        pytest.fail("\n".join(lines), pytrace=False)
    return r


@pytest.fixture
def dropmc_verify(request):
    """Decide a claim in a test: ``dropmc_verify(claim, expect="CONFIRMED", precision="quick",
    seed=None, module=None, power=False)`` returns the ClaimResult or fails the test."""
    def run(claim, **kw):
        return _decide(request.node, claim, who="dropmc_verify", **kw)

    return run


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    """The ``dropmc_claim`` markers, decided as the test's call (before its body runs), so that
    a wrong verdict is a FAILURE of the test, not an error of its setup."""
    for m in item.iter_markers("dropmc_claim"):
        if not m.args:
            pytest.fail("dropmc_claim needs the claim (an id or a Claim) as its first argument; "
                        f"got no argument on {item.nodeid}", pytrace=False)
        _decide(item, m.args[0], who="dropmc_claim", **m.kwargs)
