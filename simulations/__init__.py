"""Numba samplers, exact enumeration and Monte Carlo estimators (``dropmc.simulations``).

Generic pieces live in ``_core`` (the deterministic random layer and the chunked runner) and
``enumeration`` (all 2^d masks with their probabilities, Gray-code expectations); each paper
has its own module named by its key. Nothing here knows about claims.
"""
