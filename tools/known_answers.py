"""Record (or check) the known-answer file: every claim's verdict and the numbers of each case
at a fixed seed and quick precision, so that a refactoring can be shown to change nothing.

    python tools/known_answers.py record [--paper KEY ...]   # writes tests/data/known_answers/<paper>.json
    python tools/known_answers.py check  [--paper KEY ...]   # exits 1 and names every difference

The seed of each paper is the one its claim tests use (``SEEDS``), so that the test suite can
decide each claim once and compare it with this file (``tests/test_known_answers.py``).
Floats are stored as JSON numbers, which round-trip exactly; a comparison is bit for bit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "known_answers"

#: the seed of each paper's claim tests (tests/test_<paper>.py)
SEEDS = {"drop_activation": 2026, "variance_constancy": 2026, "ensemble_averaging": 2026,
         "implicit_regularization": 20240611}
PRECISION = "quick"


def case_record(case) -> dict:
    """What a case must reproduce: its verdict, role and every number it carries."""
    d = case.to_dict()
    return {k: d[k] for k in ("verdict", "role", "theory", "estimate", "se", "n", "z",
                              "resolution", "error", "params")}


def claim_record(result) -> dict:
    return {"verdict": result.verdict.value, "error": result.error,
            "cases": [case_record(c) for c in result.cases]}


def _jsonround(obj):
    return json.loads(json.dumps(obj))


def record(papers) -> None:
    from dropmc.registry import all_claims
    from dropmc.runner import evaluate

    OUT.mkdir(parents=True, exist_ok=True)
    for paper in papers:
        seed = SEEDS[paper]
        claims = {}
        for claim in all_claims(paper):
            r = evaluate(claim, seed=seed, precision=PRECISION)
            claims[claim.id] = {"slow": claim.slow, **claim_record(r)}
            print(f"{claim.id}: {r.verdict.value} ({r.seconds:.1f} s)", flush=True)
        data = {"paper": paper, "seed": seed, "precision": PRECISION, "claims": claims}
        (OUT / f"{paper}.json").write_text(json.dumps(data, indent=1, sort_keys=True,
                                                      ensure_ascii=False) + "\n")


def diff(expected: dict, got: dict, path: str = "") -> list[str]:
    """Every place where two JSON-like records differ (exactly)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        out = []
        for k in sorted(set(expected) | set(got)):
            if k not in got:
                out.append(f"{path}.{k}: missing")
            elif k not in expected:
                out.append(f"{path}.{k}: unexpected")
            else:
                out.extend(diff(expected[k], got[k], f"{path}.{k}"))
        return out
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{path}: {len(got)} items, expected {len(expected)}"]
        return [d for i, (a, b) in enumerate(zip(expected, got)) for d in diff(a, b, f"{path}[{i}]")]
    return [] if expected == got else [f"{path}: {got!r}, expected {expected!r}"]


def check(papers) -> int:
    from dropmc.registry import get
    from dropmc.runner import evaluate

    bad = 0
    for paper in papers:
        data = json.loads((OUT / f"{paper}.json").read_text())
        for cid, want in data["claims"].items():
            r = evaluate(get(cid), seed=data["seed"], precision=data["precision"])
            got = _jsonround({"slow": want["slow"], **claim_record(r)})
            d = diff(want, got, cid)
            bad += bool(d)
            for line in d[:5]:
                print(line, flush=True)
    print(f"{bad} claims differ", flush=True)
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("record", "check"))
    ap.add_argument("--paper", nargs="*", default=list(SEEDS))
    a = ap.parse_args(argv)
    if a.action == "record":
        record(a.paper)
        return 0
    return check(a.paper)


if __name__ == "__main__":
    sys.exit(main())
