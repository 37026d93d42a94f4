"""Baldi & Sadowski (ensemble_averaging): checkable prose statements of the paper outside Sections 9.5–9.6."""

from dropmc.claims import Verdict

R, A = Verdict.REFUTED, Verdict.APPROXIMATE
# expected verdict at quick and standard precision (full claim ids; default CONFIRMED)
EXPECTED: dict = {}
CORRECTIONS: dict = {}  # printed claim -> its registered correction (slugs)
