"""Heavy sweep (``make test-slow``): every registered claim at standard precision."""

import pytest

from dropmc.claims import Verdict
from dropmc.registry import all_claims
from dropmc.runner import evaluate

CLAIMS = all_claims()


@pytest.mark.slow
@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_decides_at_standard_precision(claim):
    """Runs without error and is decided (never INCONCLUSIVE) at standard precision; the
    Drop-Activation verdicts are the ones the quick suite asserts."""
    r = evaluate(claim, seed=20261123, precision="standard", catch=False)
    assert r.verdict is not Verdict.INCONCLUSIVE, r.summary
    if claim.paper == "drop_activation":
        refuted = {"drop_activation.prop5_1.eq10", "drop_activation.appendix.frobenius_step"}
        assert (r.verdict is Verdict.REFUTED) == (claim.id in refuted), r.summary
