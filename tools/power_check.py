"""Check that power computed from the recorded evidence equals power found by re-running.

    python tools/power_check.py [--paper KEY ...] [--claim ID ...] [--precision quick] [--slow]

For every claim (the papers' seeds of tools/known_answers.py, quick precision), the power of
``runner.power`` (``method="auto"``: re-decided from what the judges recorded, re-run only
where the theory side steers the claim) is compared with ``method="rerun"`` (the claim
evaluated again at every δ: the reference). Prints one line per claim with the method, the
reason for a re-run and the seconds of both paths; exits 1 naming every claim whose power
differs. ``--slow`` includes the claims marked slow (trainings).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

#: what must agree between the two paths
KEYS = ("delta", "not_refuted", "status", "by_evidence", "cases_at_delta_1", "insensitive_cases")


def compare(claim, seed: int, precision: str = "quick") -> dict:
    """Both powers of ``claim``, their seconds and whether they agree on :data:`KEYS`."""
    from dropmc.runner import power

    t0 = time.perf_counter()
    auto = power(claim, seed=seed, precision=precision)
    t1 = time.perf_counter()
    rerun = power(claim, seed=seed, precision=precision, method="rerun")
    t2 = time.perf_counter()
    return {"id": claim.id, "auto": auto, "rerun": rerun, "auto_s": t1 - t0, "rerun_s": t2 - t1,
            "same": all(auto.get(k) == rerun.get(k) for k in KEYS)}


def main(argv=None) -> int:
    from known_answers import SEEDS

    from dropmc import PAPER_KEYS
    from dropmc.registry import all_claims

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paper", action="append", choices=PAPER_KEYS)
    ap.add_argument("--claim", action="append", help="only these claim ids")
    ap.add_argument("--precision", default="quick", choices=("quick", "standard", "high"))
    ap.add_argument("--slow", action="store_true", help="include the claims marked slow")
    args = ap.parse_args(argv)
    bad = []
    for paper in args.paper or PAPER_KEYS:
        for claim in all_claims(paper):
            if (args.claim and claim.id not in args.claim) or (claim.slow and not args.slow
                                                                and not args.claim):
                continue
            r = compare(claim, SEEDS[paper], args.precision)
            a = r["auto"]
            print(f"{'ok  ' if r['same'] else 'DIFF'} {claim.id:64s} {a.get('method') or '-':8s} "
                  f"auto {r['auto_s']:6.2f} s  rerun {r['rerun_s']:6.2f} s  "
                  f"{a.get('rerun_reason') or ''}", flush=True)
            if not r["same"]:
                bad.append(claim.id)
                for name in ("auto", "rerun"):
                    print(f"     {name}: " + str({k: r[name].get(k) for k in KEYS}))
    if bad:
        print(f"{len(bad)} claim(s) whose power differs: {', '.join(bad)}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
