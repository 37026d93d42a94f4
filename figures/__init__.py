"""Figures, one module per paper key (``dropmc.figures.<paper_key>``).

Each module defines ``FIGURES``: a dict mapping a figure stem (named after the paper and the
figure number, e.g. ``"drop_activation_shift_ratio"``, ``"variance_constancy_fig2"``) to a
callable ``make(seed: int, precision: str) -> matplotlib.figure.Figure``. ``dropmc figures``
writes each as PNG and PDF through :func:`dropmc.figures.style.save`.
"""
