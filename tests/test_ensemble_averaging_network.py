"""Baldi & Sadowski (ensemble_averaging): the dropout-trained digits network: Sec. 9.5–9.6 statements and Figs. 9.3–9.15."""

from dropmc.claims import Verdict

R, A = Verdict.REFUTED, Verdict.APPROXIMATE
# expected verdict at quick and standard precision (full claim ids; default CONFIRMED)
EXPECTED: dict = {}
CORRECTIONS: dict = {}  # printed claim -> its registered correction (slugs)
