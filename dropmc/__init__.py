"""dropmc: Monte Carlo verification of the mathematics of dropout-family regularizers.

Layers (data flows one way, nothing imports upwards):

* ``dropmc.theory``       closed forms, pure numpy/scipy, one module per paper;
* ``dropmc.simulations``  Numba samplers, exact enumeration, Monte Carlo estimators;
* ``dropmc.papers``       claim catalogs pairing a closed form with an estimator;
* ``dropmc.runner`` / ``dropmc.report`` / ``dropmc.cli`` / ``dropmc.figures`` consume verdicts.

``dropmc.estimate`` (the :class:`Estimate` value object and batch-means / delta-method helpers)
and ``dropmc._validation`` are leaf modules that every layer may use.
"""

__version__ = "0.1.0"

PAPER_KEYS = (
    "drop_activation",
    "variance_constancy",
    "ensemble_averaging",
    "implicit_regularization",
)

#: names re-exported lazily from :mod:`dropmc.api` (importing ``dropmc`` stays light, so the
#: CLI can pin BLAS threads before numpy loads)
_API = ("Catalog", "Kind", "Verdict", "Context", "CaseResult", "Claim", "ClaimResult", "Estimate",
        "mean_estimate", "function_estimate", "binomial_estimate", "evaluate", "power",
        "verify", "Run", "load_module", "write_report")

__all__ = ["__version__", "PAPER_KEYS", *_API]


def __getattr__(name):
    if name in _API:
        from dropmc import api

        return getattr(api, name)
    raise AttributeError(f"module 'dropmc' has no attribute {name!r}")


def __dir__():
    """The public names, the lazy ones included, so that ``dir(dropmc)`` and tab completion
    show ``verify``, ``Catalog``, …"""
    return sorted(__all__)
