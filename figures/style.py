"""Shared plot style and the atomic writer used by ``dropmc figures``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: figures are files, never windows
import matplotlib.pyplot as plt  # noqa: E402

#: colours used across papers: closed form, Monte Carlo, reference / bound, second series
COLORS = {"theory": "#1f4e79", "mc": "#c0392b", "ref": "#7f7f7f", "alt": "#2e8b57",
          "accent": "#e67e22"}

RC = {
    "figure.figsize": (6.4, 4.2),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "legend.frameon": False,
}


def new_figure(*args, **kwargs):
    """``plt.subplots`` under the shared style."""
    with plt.rc_context(RC):
        return plt.subplots(*args, **kwargs)


def footer(fig, text: str) -> None:
    """Provenance line (seed, precision, sample sizes) at the bottom of a figure."""
    fig.text(0.99, -0.01, text, ha="right", va="top", fontsize=7, color="#555555")


def _atomic_write(path: Path, writer) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=path.suffix)
    os.close(fd)
    try:
        writer(tmp)
        # mkstemp creates 0600; give the file the mode the user's umask asks for
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save(fig, out_dir, stem: str) -> list[Path]:
    """Write ``fig`` as ``<stem>.png`` and ``<stem>.pdf`` in ``out_dir`` (atomically)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "pdf"):
        p = out / f"{stem}.{ext}"
        _atomic_write(p, lambda tmp, ext=ext: fig.savefig(tmp, format=ext, bbox_inches="tight"))
        paths.append(p)
    plt.close(fig)
    return paths
