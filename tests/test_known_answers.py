"""The known answers of tests/data/known_answers/ reproduced bit for bit
(tools/known_answers.py records and checks them)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def known_answers():
    """tools/known_answers.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("known_answers",
                                                  ROOT / "tools" / "known_answers.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_kernels_reproduce_known_answers(known_answers):
    """Every public sampler, enumerator and estimator of dropmc.simulations, called once with
    the fixed arguments and seed of the tool's table, returns exactly the recorded output."""
    want = json.loads(known_answers.KERNELS.read_text())["kernels"]
    got = known_answers.kernel_records()
    assert sorted(got) == sorted(want), "the tool's table and the recorded file differ in names"
    bad = [line for name in sorted(want)
           for line in known_answers.diff(want[name], got[name], name)]
    assert not bad, f"{len(bad)} differences:\n" + "\n".join(bad[:20])


def _claims():
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from known_answers import OUT, SEEDS  # noqa: E402 - tools/ is not a package

    out = []
    for paper in SEEDS:
        data = json.loads((OUT / f"{paper}.json").read_text())
        for cid, want in data["claims"].items():
            marks = [pytest.mark.slow] if want["slow"] else []
            out.append(pytest.param(cid, data["seed"], want, id=cid, marks=marks))
    return out


@pytest.mark.parametrize("claim_id,seed,want", _claims())
def test_claim_reproduces_known_answer(claim_id, seed, want, known_answers):
    """Every claim, at the recorded seed and quick precision, gives exactly the recorded
    verdict and, case by case, the same theory side, estimate, SE, z, resolution and errors
    (numbers compared bit for bit). The evaluation is shared with the per-paper verdict tests
    (conftest.evaluate_quick). A change here must be intended and named in its commit; then
    `python tools/known_answers.py record --paper KEY` records the new answers."""
    from conftest import evaluate_quick
    from dropmc.registry import get

    r = evaluate_quick(get(claim_id), seed)
    got = json.loads(json.dumps({"slow": want["slow"], **known_answers.claim_record(r)}))
    bad = known_answers.diff(want, got, claim_id)
    assert not bad, f"{len(bad)} differences:\n" + "\n".join(bad[:20])
