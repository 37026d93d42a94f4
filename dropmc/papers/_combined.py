"""A case decided by a judge's case together with the claim's own comparisons."""

from __future__ import annotations

from typing import Callable

from dropmc import judge
from dropmc.claims import CaseResult


def combined_case(params: dict, decide: Callable[[], tuple[bool | None, CaseResult]], *,
                  approximate: bool = False) -> CaseResult:
    """The case ``decide`` settles, made by :func:`dropmc.judge.holds` so that a power run
    re-decides it in place (calling ``decide`` again at each δ) rather than running the claim
    again.

    ``decide`` takes no arguments and returns ``(ok, case)``: ``ok`` the verdict (True: the
    claim holds, APPROXIMATE with ``approximate``; False: REFUTED; None: INCONCLUSIVE) and
    ``case`` the judge's case it rests on, made inside ``decide`` with ``ctx=`` the claim's
    context (a judge called inside another is not recorded apart; at each δ of a power run
    that context is the one moved to δ). Its comparisons must go through that context's hooks
    (``ctx.le``, ``ctx.ge``, ``ctx.close``, ``ctx.perturb``), and everything it reads must
    keep the value it has at this call (bind loop variables as default arguments).

    The result reports the numbers of ``case`` (theory, estimate, z, resolution, error,
    one-sidedness) and its detail, as ``decide`` left them at this, unperturbed, call."""
    first: list[CaseResult] = []

    def ok() -> bool | None:
        verdict, case = decide()
        if not first:
            first.append(case)
        return verdict

    out = judge.holds(params, ok, approximate=approximate)
    case = first[0]
    out.theory, out.estimate, out.z = case.theory, case.estimate, case.z
    out.resolution, out.error, out.one_sided = case.resolution, case.error, case.one_sided
    out.detail = case.detail
    return out
