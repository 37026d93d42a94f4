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


def test_figure_names_and_captions():
    """Stems carry the paper's figure numbers; every drawing function has a caption (its first
    docstring paragraph) and a Claims line naming registered claims."""
    import re

    from dropmc.registry import catalog

    ids = {c.id for c in catalog("implicit_regularization").claims}
    for stem, fn in F.FIGURES.items():
        assert re.fullmatch(r"implicit_regularization_fig\d+", stem), stem
        doc = fn.__doc__ or ""
        assert doc.strip().split("\n\n")[0].startswith("Fig. " + stem.split("fig")[-1]), stem
        line = [ln.strip() for ln in doc.splitlines() if ln.strip().startswith("Claims:")]
        assert line, stem
        claims = [c.strip() for c in line[0][len("Claims:"):].split(",")]
        assert claims and set(claims) <= ids, (stem, set(claims) - ids)
    for n in (1, 4, 5, 6, 8):
        assert f"implicit_regularization_fig{n}" in F.FIGURES


def test_fig8_prints_ten_trials_at_standard():
    assert F.FIG8["standard"]["trials"] == 10
