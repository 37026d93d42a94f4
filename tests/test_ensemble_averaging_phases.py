"""Baldi & Sadowski (ensemble_averaging): dropin (Sec. 11.6), the learning phases and sparse
coding (Sec. 11.7, Figs. 11.1–11.3) on the dropout-trained digits network."""

from dropmc.claims import Verdict

R, A = Verdict.REFUTED, Verdict.APPROXIMATE
# expected verdict at quick and standard precision (full claim ids; default CONFIRMED)
EXPECTED: dict = {}
CORRECTIONS: dict = {}  # printed claim -> its registered correction (slugs)
