"""Claims the paper does not print: Property 5.2's shift ratio for any activation (issue 11), with
``shift_ratio_claim`` to register it for a user's own activation."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.papers.drop_activation._shared import CATALOG
from dropmc.registry import Catalog
from dropmc.simulations import drop_activation as sim
from dropmc.theory import drop_activation as th

# ------------------------------------------------------------------------------------------
# Extension (issue 11): Property 5.2 for any activation, and the same claim for yours
# ------------------------------------------------------------------------------------------

def _shift_ratio_cases(ctx: Context, rng: np.random.Generator, acts: dict,
                       ps) -> Iterator[CaseResult]:
    """Closed form against Monte Carlo per activation and p: w from ``rng`` (the claim's first
    stream), each Monte Carlo on a later stream."""
    for name, phi in acts.items():
        mo = th.activation_moments(phi)
        for p in ps:
            w = rng.normal(size=int(rng.integers(4, 33)))
            est = sim.estimate_shift_ratio_activation(w, p, phi, n=ctx.budget(400_000, 20_000),
                                                      rng=ctx.stream())
            yield judge.identity({"activation": name, "p": p, "d": w.size},
                                 th.shift_ratio_activation(p, moments=mo), est)


@CATALOG.claim(
    "ext.shift_ratio_activation", label="Property 5.2, Eq. 13–15 (any activation)",
    kind=Kind.IDENTITY, as_printed=False,
    statement="For any activation φ with E φ(x)² < ∞ (x ~ N(0, 1)), the shift ratio of Eq. "
              "13–14 is [(1 − p)² + 2p(1 − p)E xφ + p² Var φ]/[(1 − p) + p E φ² − p²(E φ)²]; "
              "for ReLU it is Eq. 15. Checked for ReLU, GELU, tanh and SiLU.")
def ext_shift_ratio_activation(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
    """The generalised closed form (:func:`~dropmc.theory.drop_activation
    .shift_ratio_activation`, moments by scipy quadrature) against a plain-numpy Monte Carlo of
    Eq. 13–14 with the activation itself, at p ∈ {0.3, 0.7, 0.95} and random w; plus the
    exact reduction to Eq. 15 for ReLU at several p (quadrature moments against 1/√(2π), 1/2,
    1/2)."""
    yield from _shift_ratio_cases(ctx, rng, th.SHIFT_ACTIVATIONS, (0.3, 0.7, 0.95))
    mo = th.activation_moments(th.relu)
    for p in (0.1, 0.5, 0.95, 1.0):
        yield judge.exact({"activation": "relu", "p": p, "vs": "Eq. 15"}, th.shift_ratio(p),
                          th.shift_ratio_activation(p, moments=mo), rtol=1e-10,
                          method="quadrature")


@CATALOG.explorer("ext.shift_ratio_activation", p=(0.5, 0.05, 1.0),
                  activation=("gelu", "relu", "tanh", "silu"))
def _explore_shift_ratio(ctx: Context, p: float, activation: str):
    """The shift ratio of an activation (GELU by default; ReLU, tanh, SiLU) at p: the closed
    form (the activation's moments by quadrature) against the Monte Carlo of Eq. 13–14 (d = 16,
    400,000 draws at standard precision), an identity checked by Monte Carlo. A point takes
    about 0.5 s at standard precision."""
    phi = th.SHIFT_ACTIVATIONS[activation]
    w = ctx.rng().normal(size=16)
    est = sim.estimate_shift_ratio_activation(w, p, phi, n=ctx.budget(400_000, 20_000),
                                              rng=ctx.stream())
    return th.shift_ratio_activation(p, phi), est


def shift_ratio_claim(catalog: Catalog, activation, name: str, *, ps=(0.3, 0.7, 0.95)):
    """Register, in your own ``catalog``, the claim that Property 5.2's generalised shift ratio
    holds for ``activation`` (a vectorised callable), decided like
    ``drop_activation.ext.shift_ratio_activation``. Returns the claim::

        from dropmc import Catalog
        from dropmc.papers.drop_activation import shift_ratio_claim
        CATALOG = Catalog("mine")
        shift_ratio_claim(CATALOG, lambda x: x * (x > 0) + 0.1 * x * (x <= 0), "leaky")
    """
    if not callable(activation):
        raise TypeError(f"activation must be callable, got {activation!r}")
    slug = f"shift_ratio.{name}"

    def evaluate(ctx: Context, rng: np.random.Generator) -> Iterator[CaseResult]:
        return _shift_ratio_cases(ctx, rng, {name: activation}, ps)

    evaluate.__doc__ = (f"Generalised Property 5.2 shift ratio for the activation {name!r}: "
                        "quadrature closed form against Monte Carlo of Eq. 13–14.")
    catalog.claim(slug, label="Property 5.2, Eq. 13–15 (your activation)", kind=Kind.IDENTITY,
                  as_printed=False,
                  statement=f"The generalised shift ratio of Property 5.2 holds for {name}.")(evaluate)
    return next(c for c in catalog.claims if c.id == f"{catalog.paper}.{slug}")
