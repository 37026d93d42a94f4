"""Shared pieces of the Drop-Activation catalog: the catalog object, the activations by name and
the random keep probability that Sections 1.1, 3 and 5.1 draw."""

from __future__ import annotations

import numpy as np

from dropmc.registry import Catalog
from dropmc.theory import drop_activation as th

CATALOG = Catalog("drop_activation")

ACTS = {"relu": th.relu, "sigmoid": th.ACTIVATIONS["sigmoid"], "tanh": np.tanh}


def _random_p(rng) -> float:
    """A keep probability: uniform on [0.05, 1), 0.95 or 0.5, each with probability 1/3."""
    return float(rng.choice([rng.uniform(0.05, 1.0), 0.95, 0.5]))
