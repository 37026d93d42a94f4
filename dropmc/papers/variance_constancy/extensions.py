"""Claims the paper does not print: Eq. 1 for any law given as a scipy distribution (issue 11),
with ``eq1_claim`` to register it for a user's own law."""

from __future__ import annotations

from collections.abc import Iterator

from scipy import stats

from dropmc import judge
from dropmc.claims import CaseResult, Context, Kind
from dropmc.papers.variance_constancy._shared import CATALOG
from dropmc.registry import Catalog
from dropmc.simulations import variance_constancy as sim
from dropmc.theory import variance_constancy as th

# ------------------------------------------------------------------------------------------
# Extension (issue 11): Eq. 1 for any law given as a scipy distribution
# ------------------------------------------------------------------------------------------

def _scipy_laws():
    return {"gamma(a=2)": stats.gamma(2.0), "beta(2, 5)": stats.beta(2.0, 5.0),
            "laplace": stats.laplace(), "lognorm(s=0.4)": stats.lognorm(0.4),
            "uniform": stats.uniform(), "t(df=20)": stats.t(20.0)}


def _eq1_scipy_cases(ctx: Context, laws: dict, ns) -> Iterator[CaseResult]:
    for name, dist in laws.items():
        for n in ns:
            est = sim.estimate_var_sample_variance_scipy(dist, n, reps=ctx.budget(400_000, 16_384),
                                                         rng=ctx.stream())
            yield judge.identity({"law": name, "n": n}, th.var_sample_variance_scipy(dist, n),
                                 est)


@CATALOG.claim(
    "ext.eq1_scipy_law", label="Eq. 1 (any law)", kind=Kind.IDENTITY, as_printed=False,
    statement="Eq. 1, E[(σ² − σ_s²)²] = m₄/n − σ⁴(n − 3)/(n(n − 1)), holds for any law with a "
              "finite fourth moment, given as a scipy distribution (checked: gamma, beta, "
              "Laplace, log-normal, uniform, Student-t with 20 dof).")
def ext_eq1_scipy_law(ctx: Context) -> Iterator[CaseResult]:
    """Eq. 1 with σ² and m₄ from the scipy distribution's own moments against a plain-numpy
    Monte Carlo drawing batches with ``dist.rvs`` (n ∈ {4, 16}), 128 batch means. The laws
    have finite sixteenth moments (Student-t only with ν ≥ 17, as for Eq. 1's own Monte Carlo:
    the SE of a squared deviation of σ_s² needs them), so the t test keeps its false-alarm
    rate."""
    return _eq1_scipy_cases(ctx, _scipy_laws(), (4, 16))


@CATALOG.explorer("ext.eq1_scipy_law", n=(8, 2, 64))
def _explore_eq1_gamma(ctx: Context, n: float):
    """Eq. 1 for gamma(a = 2) at batch size n (rounded), against 200,000 batches at standard
    precision, an identity checked by Monte Carlo. A point takes 0.1 s at n = 8, 0.3 s at
    n = 64."""
    n = max(2, int(round(n)))
    dist = stats.gamma(2.0)
    est = sim.estimate_var_sample_variance_scipy(dist, n, reps=ctx.budget(200_000, 8_000),
                                                 rng=ctx.stream())
    return th.var_sample_variance_scipy(dist, n), est


def eq1_claim(catalog: Catalog, dist, name: str, *, ns=(4, 16)):
    """Register, in your own ``catalog``, the claim that Eq. 1 holds for the frozen scipy
    distribution ``dist`` (decided like ``variance_constancy.ext.eq1_scipy_law``)."""
    th.scipy_law_moments(dist)  # validates now, not at run time
    slug = f"eq1.{name}"

    def evaluate(ctx: Context) -> Iterator[CaseResult]:
        return _eq1_scipy_cases(ctx, {name: dist}, ns)

    evaluate.__doc__ = f"Eq. 1 for the scipy law {name!r} against Monte Carlo."
    catalog.claim(slug, label="Eq. 1 (your law)", kind=Kind.IDENTITY, as_printed=False,
                  statement=f"Eq. 1 holds for {name}.")(evaluate)
    return next(c for c in catalog.claims if c.id == f"{catalog.paper}.{slug}")
