"""Execute every notebook under notebooks/ in place, so the committed copies carry outputs
that read on a code host without running (``make notebooks``).

    .venv/bin/python tools/execute_notebooks.py [NAME ...]

Each notebook runs in a fresh kernel from the notebooks/ directory with the Agg backend; a
cell error stops with a non-zero exit and leaves the notebook unchanged.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv) -> int:
    import nbformat
    from nbclient import NotebookClient

    # the inline backend (ipykernel's default) so figures are stored in the notebook
    os.environ.pop("MPLBACKEND", None)
    names = set(argv)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if names and path.stem not in names:
            continue
        t0 = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        # no saved widget state: a control cell's output carries the PNG of its default
        # setting, which a code host shows; a live kernel draws the controls again
        NotebookClient(nb, timeout=900, kernel_name="python3", store_widget_state=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        for cell in nb.cells:  # keep the files stable across runs
            cell.get("metadata", {}).pop("execution", None)
        nbformat.write(nb, path)
        print(f"{path.name}: executed in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
