"""The parametric families the Baldi–Sadowski explorers vary (``dropmc explore``): laws of the
values O that Section 8 and Appendix B compare the means of, each fixed by its mean E and a
spread s, so that a sweep or a map over (E, s) shows where a bound is tight, an approximation
good or a printed statement false; and the fixed units and networks of Sections 9.5–9.6 and
11.5–11.7 with the ranges of their weight scale s.

Every law here is a finite distribution (values O, weights P), so E, G, G', the NWGM and V
are exact sums (:func:`dropmc.theory.ensemble_averaging.weighted_means`)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_choice, check_real
from dropmc.papers.ensemble_averaging._shared import (
    _enumerate_network,
    _random_layered,
    _two_layer_logistic,
)
from dropmc.simulations import enumeration as _enum

#: the laws of O an explorer of Section 8 can choose (:func:`law_choice` puts a claim's
#: default first)
O_LAWS = ("two-point", "skewed", "uniform")

#: the number of values of the "uniform" law
_UNIFORM_POINTS = 9

#: the explorers' ranges of the mean E and the spread s of the values O (:func:`o_law`); the
#: second for approximations, whose order in s shows on a log scale of s
E_RANGE = (0.3, 0.02, 0.98)
S_RANGE = (0.5, 0.001, 0.99)
S_LOG_RANGE = (0.1, 0.001, 0.99)


def base_law(law: str, E: float, lo: float = 0.0,
             hi: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """A law X on [lo, hi] with mean E (values, weights): ``"two-point"`` — X ∈ {lo, hi}
    (a Bernoulli variable scaled to the interval, the largest variance a law on [lo, hi] with
    mean E can have); ``"skewed"`` — X = hi with half the two-point weight t/2 (t = (E − lo)/
    (hi − lo)), else the value below E that keeps the mean (a rare high value: skewed even at
    E = ½); ``"uniform"`` — 9 equally weighted values, the midpoints of 9 equal cells of
    [lo, lo + 2t(hi − lo)] (t ≤ ½) or [lo + (2t − 1)(hi − lo), hi] (t > ½)."""
    check_choice("law", law, O_LAWS)
    lo, hi = check_real("lo", lo), check_real("hi", hi)
    E = check_real("E", E, lo=lo, hi=hi, lo_open=True, hi_open=True)
    t = (E - lo) / (hi - lo)
    if law == "two-point":
        return np.array([lo, hi]), np.array([1 - t, t])
    if law == "skewed":
        q = t / 2
        return np.array([lo + (hi - lo) * q / (1 - q), hi]), np.array([1 - q, q])
    a, b = (lo, lo + 2 * t * (hi - lo)) if t <= 0.5 else (lo + (2 * t - 1) * (hi - lo), hi)
    k = np.arange(_UNIFORM_POINTS)
    return a + (k + 0.5) * (b - a) / _UNIFORM_POINTS, np.full(_UNIFORM_POINTS, 1 / _UNIFORM_POINTS)


def o_law(law: str, E: float, s: float, lo: float = 0.0,
          hi: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """The values O = E + s(X − E) of :func:`base_law` shrunk towards their mean E by the
    spread s ∈ (0, 1) (mean E, variance s²·Var X, every value strictly inside (lo, hi)), and
    their weights. As s → 0 the values cluster around E: the regime of the paper's
    second-order expansions (Section 8, Appendix B)."""
    s = check_real("s", s, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    X, P = base_law(law, E, lo, hi)
    return E + s * (X - E), P


def near_law(law: str, s: float, side: str = "one") -> tuple[np.ndarray, np.ndarray]:
    """Values next to 1 (``side="one"``: O = 1 − s·U) or next to 0 (``"zero"``: O = s·U),
    U from :func:`base_law` on [0.05, 0.95] with mean ½, and their weights: as s → 0 they
    shrink to the end point with their relative spread fixed (Appendix B.2, the expansions
    around 0 and 1)."""
    check_choice("side", side, ("one", "zero"))
    s = check_real("s", s, lo=0.0, hi=1.0, lo_open=True)
    U, P = base_law(law, 0.5, 0.05, 0.95)
    return (1 - s * U if side == "one" else s * U), P


def law_choice(default: str) -> tuple[str, ...]:
    """The laws of :data:`O_LAWS` as an explorer's choice parameter, ``default`` first."""
    check_choice("default", default, O_LAWS)
    return (default, *(law for law in O_LAWS if law != default))


def normal_law(mean: float, sd: float, points: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """A finite law of S with the first 2·points − 1 moments of N(mean, sd²): the nodes and
    weights of the ``points``-point Gauss–Hermite rule (values mean + sd·z_k, weights w_k,
    Σw_k = 1). Expectations under it are exact sums — a stand-in for a normal S whose own
    moments the explorers state."""
    z, w = np.polynomial.hermite_e.hermegauss(points)
    return mean + sd * z, w / w.sum()


def fixed_unit(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The weights w and inputs I of a fixed unit with n inputs (both N(0, 1), drawn from
    ``seed``): the unit an explorer varies the keep probability, c, λ or a weight scale of,
    the same at every point."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(n), rng.standard_normal(n)


#: the explorers' parameters of the synthetic 3-3-3-1 network of Sections 9.5–9.6: the weight
#: scale s (log scale: the Taylor steps' orders), the common keep probability p, c and λ (c = 2
#: by default: at c = 1 the outputs tend to ½ as the weights shrink, where E − NWGM loses an
#: order)
NET_PARAMS = dict(s=(0.5, 1 / 256, 4.0), p=(0.7, 0.05, 1.0), c=(2.0, 0.2, 5.0),
                  lam=(1.0, 0.2, 3.0))


def fixed_network(s: float, p: float, c: float, lam: float, *, edit=None):
    """The fixed layered logistic network 3-3-3-1 of the Section 9.5–9.6 explorers (weights
    N(0, 1.5²) and inputs N(0, 1), seed 98, as :func:`~._shared._random_layered` draws them),
    every weight scaled by s (``edit(Ws)`` may change single weights after), node dropout with
    keep probability p on the inputs and both hidden layers, all 2^9 masks enumerated
    (:func:`~._shared._enumerate_network`). Returns (L, P, e, Ws, ps)."""
    Ws, I, _, _, _ = _random_layered(np.random.default_rng(98), scale=1.5)
    Ws = [s * W for W in Ws]
    if edit is not None:
        edit(Ws)
    ps = [np.full(3, p) for _ in range(3)]
    L, P, e = _enumerate_network(Ws, I, ps, c, lam)
    return L, P, e, Ws, ps


#: the explorers' weight scale s of Sections 11.4–11.7: 1 is the unit's or network's own
#: weights; small s is the regime of the NWGM and Taylor steps (a log scale shows the order of
#: their errors)
WEIGHT_SCALE = (1.0, 1 / 512, 2.0)
SMALL_WEIGHT_SCALE = (0.25, 1 / 512, 2.0)


def fixed_two_layer(p: float, s: float):
    """The fixed two-layer logistic network of the Section 11.5 and 11.7 explorers (3 inputs, 3
    hidden units, 1 output; drawn as :func:`~._shared._two_layer_logistic` draws it from seed
    176, its first training input and target), every weight scaled by s, every input and hidden
    unit kept with probability p, all 2^6 masks: (W1, w2, I, t, p vector, masks,
    probabilities)."""
    W1, w2, inputs, targets, _, _, _ = _two_layer_logistic(np.random.default_rng(176))
    pv = np.full(W1.shape[0] + W1.shape[1], p)
    masks, probs = _enum.enumerate_masks(pv.size, pv)
    return s * W1, s * w2, inputs[0], float(targets[0]), pv, masks, probs
