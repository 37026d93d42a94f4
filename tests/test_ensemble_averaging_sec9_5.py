"""Baldi & Sadowski (ensemble_averaging): Sec. 9.5–9.6 approximations (Eq. 109–124) on synthetic networks."""

from dropmc.claims import Verdict

R, A = Verdict.REFUTED, Verdict.APPROXIMATE
# expected verdict at quick and standard precision (full claim ids; default CONFIRMED)
EXPECTED: dict = {}
CORRECTIONS: dict = {}  # printed claim -> its registered correction (slugs)
