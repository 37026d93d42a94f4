"""Every notebook under notebooks/ executes headless without error.

A notebook's first code cell holds its parameters (seed, Monte Carlo sizes, precision), as in
papermill's convention. The test runs each notebook with the sizes of :data:`SMALLER` put in
after that cell, where the cell names them: every cell runs, on fewer samples. The committed
copies (``make notebooks``) carry the outputs of the notebooks' own sizes."""

import ast
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

#: the parameters the test sets smaller, as functions of the notebook's value
SMALLER = {"PRECISION": lambda v: "quick",      # the dropmc.verify cells
           "N_MC": lambda v: max(v // 10, 1000),  # Monte Carlo samples per point
           "REPS": lambda v: max(v // 5, 200),    # replicates per point
           "SGD_STEPS": lambda v: max(v // 5, 200)}  # steps of a training run


def _smaller(nb):
    """A cell that sets the first code cell's :data:`SMALLER` parameters, or None."""
    import nbformat

    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    src = "\n".join(ln for ln in nb.cells[first].source.splitlines()
                    if not ln.lstrip().startswith(("%", "!")))
    lines = []
    for node in ast.parse(src).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                getattr(node.targets[0], "id", None) in SMALLER:
            name = node.targets[0].id
            lines.append(f"{name} = {SMALLER[name](ast.literal_eval(node.value))!r}")
    return first, (nbformat.v4.new_code_cell("\n".join(lines)) if lines else None)


def test_smaller_parameters_are_found():
    import nbformat

    found = {p.stem: _smaller(nbformat.read(p, as_version=4))[1] for p in NOTEBOOKS}
    assert "REPS = 10000" in found["variance_constancy"].source
    assert "N_MC = 20000" in found["drop_activation"].source
    assert found["ensemble_averaging_sections_9_11"].source.splitlines() == [
        "REPS = 400", "PRECISION = 'quick'", "SGD_STEPS = 600"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    first, smaller = _smaller(nb)
    if smaller is not None:
        nb.cells.insert(first + 1, smaller)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_carries_its_outputs(path):
    """The committed copy was executed (``make notebooks``), so it reads on a code host, and
    prints labelled values rather than raw object reprs."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code), "run `make notebooks`"
    raw = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "execute_result"
           and o.get("data", {}).get("text/plain", "").startswith("<")]
    assert not raw, [o["data"]["text/plain"] for o in raw]
