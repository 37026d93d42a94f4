"""Heavy sweeps (``make test-slow``): every registered claim over 12 seeds.

A verdict must not depend on the seed. At standard precision every one of 12 seeds must give
the claim's expected verdict (the ``EXPECTED`` table of its paper's test module, CONFIRMED by
default); at quick precision only INCONCLUSIVE may stand in for it. The expected verdicts are
the ones the quick suite asserts for seed 2026, so the four papers are covered alike.
"""

import importlib

import pytest

from dropmc.claims import Verdict
from dropmc.registry import all_claims
from dropmc.runner import evaluate

CLAIMS = all_claims()
SEEDS = tuple(range(1, 13))


def _expected() -> dict:
    out = {}
    for paper in sorted({c.paper for c in CLAIMS}):
        mod = importlib.import_module(f"test_{paper}")
        for key, verdict in mod.EXPECTED.items():
            cid = key if key.startswith(paper + ".") else f"{paper}.{key}"
            out[cid] = verdict
    return out


EXPECTED = _expected()


def _sweep(claim, precision):
    got = {}
    for seed in SEEDS:
        r = evaluate(claim, seed=seed, precision=precision, catch=False)
        got[seed] = (r.verdict, r.summary)
    return got


@pytest.mark.slow
@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_same_verdict_for_12_seeds_at_standard(claim):
    want = EXPECTED.get(claim.id, Verdict.CONFIRMED)
    got = _sweep(claim, "standard")
    bad = {s: v for s, v in got.items() if v[0] is not want}
    assert not bad, (f"expected {want.value} for every seed; "
                     + "; ".join(f"seed {s}: {v.value} ({summ[:200]})" for s, (v, summ) in bad.items()))


@pytest.mark.slow
@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_quick_never_contradicts_the_verdict(claim):
    want = EXPECTED.get(claim.id, Verdict.CONFIRMED)
    got = _sweep(claim, "quick")
    bad = {s: v for s, v in got.items() if v[0] not in (want, Verdict.INCONCLUSIVE)}
    assert not bad, (f"expected {want.value} (or INCONCLUSIVE) for every quick seed; "
                     + "; ".join(f"seed {s}: {v.value} ({summ[:200]})" for s, (v, summ) in bad.items()))
