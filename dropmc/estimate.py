"""The :class:`Estimate` value object and the statistics that produce one.

An estimate is never a bare float: it carries its standard error, its sample count, the
method that produced it and the seed of the stream it came from. Means of i.i.d. draws get
their SE from the sample variance; ratios, variances and other smooth functions of several
means get theirs by the delta method over batch means (the per-chunk statistics the samplers
return), as the statistics policy asks (docs/architecture.md).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

import numpy as np

#: methods an estimate can come from
METHODS = ("monte_carlo", "enumeration", "quadrature", "closed_form", "optimisation", "search")


@dataclass(frozen=True)
class Estimate:
    """A number with its uncertainty and provenance.

    Attributes
    ----------
    mean : float
        The point estimate.
    se : float
        Its standard error (0 for an exact enumeration; the quadrature's error estimate for an
        integral).
    n : int
        Sample count (Monte Carlo draws, enumerated subnetworks, quadrature nodes...).
    method : str
        One of :data:`METHODS`.
    seed : object
        The seed (an int or a SeedSequence's entropy and spawn key) of the stream used, or None
        for deterministic methods.
    dof : float or None
        Degrees of freedom of the standard error when it is estimated from few batches
        (batch means over B chunks: B − 1); the z-statistic is then Student-t and the judges
        use the t quantile. None means the SE is known or estimated from so many values that
        the statistic is normal.
    """

    mean: float
    se: float
    n: int
    method: str
    seed: object = None
    extra: dict = field(default_factory=dict, compare=False)
    dof: float | None = None

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.dof is not None and not self.dof >= 1:
            raise ValueError(f"dof must be >= 1 or None, got {self.dof!r}")

    @classmethod
    def exact(cls, value, method: str = "closed_form", n: int = 1) -> "Estimate":
        """A deterministic value (enumeration, closed form, quadrature): SE 0, no seed."""
        return cls(float(value), 0.0, int(n), method)

    def z(self, target: float) -> float:
        """z-score of ``target`` against this estimate (``inf`` when SE = 0 and they differ)."""
        diff = self.mean - float(target)
        if self.se > 0:
            return diff / self.se
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["seed"] = _jsonable_seed(self.seed)
        return d

    def __format__(self, spec):
        spec = spec or ".6g"
        return f"{self.mean:{spec}} ± {self.se:.2g}"


def _jsonable_seed(seed):
    if seed is None or isinstance(seed, (int, str)):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return {"entropy": str(seed.entropy), "spawn_key": list(map(int, seed.spawn_key))}
    return str(seed)


def seed_of(rng) -> object:
    """A JSON-friendly description of where a stream came from."""
    if isinstance(rng, np.random.Generator):
        seq = rng.bit_generator.seed_seq
        return _jsonable_seed(seq) if isinstance(seq, np.random.SeedSequence) else None
    if isinstance(rng, np.random.SeedSequence):
        return _jsonable_seed(rng)
    return rng


def mean_estimate(samples, *, method: str = "monte_carlo", seed=None) -> Estimate:
    """Sample mean of i.i.d. values with SE = s/√n (needs n ≥ 2)."""
    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2:
        raise ValueError(f"samples must hold at least 2 values for a standard error, got {x.size}")
    return Estimate(float(x.mean()), float(x.std(ddof=1) / math.sqrt(x.size)), int(x.size),
                    method, seed, dof=x.size - 1)


def batch_means(batch_stats, batch_sizes=None) -> tuple[np.ndarray, np.ndarray]:
    """Grand means and covariance of the grand means from per-batch statistics.

    Parameters
    ----------
    batch_stats : array, shape (B, k)
        Row b holds k statistics computed on batch b (batch means, batch variances, ...).
    batch_sizes : array, shape (B,), optional
        Weights (sample counts) of the batches; equal when omitted.

    Returns
    -------
    mean : (k,) weighted mean over batches.
    cov : (k, k) covariance of ``mean`` (batch-means estimator, B − 1 degrees of freedom).
    """
    s = np.asarray(batch_stats, dtype=float)
    if s.ndim == 1:
        s = s[:, None]
    b = s.shape[0]
    if b < 2:
        raise ValueError(f"batch_stats must have at least 2 batches for a standard error, got {b}")
    w = np.ones(b) if batch_sizes is None else np.asarray(batch_sizes, dtype=float)
    w = w / w.sum()
    mean = w @ s
    dev = s - mean
    # effective-weight formula, exact for equal weights: cov(mean) = Σ w_b² (s_b − m)(s_b − m)ᵀ · B/(B−1)
    cov = (dev * (w ** 2)[:, None]).T @ dev * (b / (b - 1))
    return mean, cov


def delta_method(func: Callable[[np.ndarray], float], mean: np.ndarray, cov: np.ndarray,
                 grad: Callable[[np.ndarray], np.ndarray] | None = None) -> tuple[float, float]:
    """Value and SE of ``func(mean)`` by the first-order delta method.

    The gradient is analytic when ``grad`` is given, otherwise a central difference with a step
    scaled to each coordinate.
    """
    mean = np.asarray(mean, dtype=float)
    value = float(func(mean))
    if grad is not None:
        g = np.asarray(grad(mean), dtype=float)
    else:
        g = np.empty_like(mean)
        for i in range(mean.size):
            h = 1e-6 * max(1.0, abs(mean[i]))
            e = np.zeros_like(mean)
            e[i] = h
            g[i] = (func(mean + e) - func(mean - e)) / (2 * h)
    var = float(g @ np.asarray(cov) @ g)
    return value, math.sqrt(max(var, 0.0))


def function_estimate(func, batch_stats, n: int, *, batch_sizes=None, grad=None,
                      seed=None, method: str = "monte_carlo") -> Estimate:
    """:class:`Estimate` of ``func`` of the grand means of ``batch_stats`` (delta method)."""
    mean, cov = batch_means(batch_stats, batch_sizes)
    value, se = delta_method(func, mean, cov, grad)
    b = int(np.shape(batch_stats)[0])
    return Estimate(value, se, int(n), method, seed, {"batches": b}, dof=b - 1)


def binomial_estimate(successes: int, trials: int, *, seed=None) -> Estimate:
    """Empirical probability with its binomial standard error √(p̂(1−p̂)/N).

    When p̂ is 0 or 1 the plug-in SE is 0; the Wilson-style floor √(p̄(1−p̄)/N) with
    p̄ = (k + 1/2)/(N + 1) is used instead so a one-sided test never divides by zero.
    """
    if trials < 1:
        raise ValueError(f"trials must be >= 1, got {trials}")
    phat = successes / trials
    if 0.0 < phat < 1.0:
        se = math.sqrt(phat * (1.0 - phat) / trials)
    else:
        pbar = (successes + 0.5) / (trials + 1.0)
        se = math.sqrt(pbar * (1.0 - pbar) / trials)
    return Estimate(phat, se, int(trials), "monte_carlo", seed)


def combine_welford(parts: Sequence[tuple[int, float, float]]) -> tuple[int, float, float]:
    """Chan et al.'s pairwise combination of (count, mean, M2) triples."""
    n, mean, m2 = 0, 0.0, 0.0
    for nb, mb, m2b in parts:
        if nb == 0:
            continue
        delta = mb - mean
        tot = n + nb
        mean += delta * nb / tot
        m2 += m2b + delta * delta * n * nb / tot
        n = tot
    return n, mean, m2
