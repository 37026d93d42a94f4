"""The implicit_regularization figures build at quick precision (seeded) and are
deterministic in the seed."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from dropmc.figures import implicit_regularization as F

matplotlib.use("Agg")


@pytest.mark.parametrize("name", sorted(F.FIGURES))
def test_figure_builds_quick(name, tmp_path):
    from dropmc.figures.style import save

    fig = F.FIGURES[name](seed=3, precision="quick")
    assert fig.axes
    paths = save(fig, tmp_path, name)
    assert [p.suffix for p in paths] == [".png", ".pdf"]
    assert all(p.stat().st_size > 1000 for p in paths)


def test_fig4_training_is_seeded():
    F._fig4_runs.cache_clear()
    a = F._fig4_runs(5, "quick")[3][0.9][0][0].copy()
    F._fig4_runs.cache_clear()
    b = F._fig4_runs(5, "quick")[3][0.9][0][0]
    np.testing.assert_array_equal(a, b)
