"""Every notebook under notebooks/ executes headless without error (``make test-slow``: six
Jupyter kernels are about 50 CPU-seconds, a quarter of ``make test``), and ``make test`` checks
each one against the library without a kernel: every cell parses, and every name, attribute and
call the notebook takes from dropmc exists and binds
(:func:`test_notebook_code_matches_the_library`); tests/test_notebook_controls.py drives every
live control of the notebooks in process.

A notebook's first code cell holds its parameters (seed, Monte Carlo sizes, precision), as in
papermill's convention. The test runs each notebook with the sizes of :data:`SMALLER` put in
after that cell, where the cell names them, and its live controls built as
tests/test_notebook_controls.py builds them (:data:`QUICK_CONTROLS`: quick precision, 3 points
per swept parameter): every cell runs, on fewer samples. The committed copies
(``make notebooks``) carry the outputs of the notebooks' own sizes."""

import ast
import importlib
import inspect
import re
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

#: the parameters the test sets smaller, as functions of the notebook's value
SMALLER = {"PRECISION": lambda v: "quick",      # the dropmc.verify cells
           "N_MC": lambda v: max(v // 10, 1000),  # Monte Carlo samples per point
           "REPS": lambda v: max(v // 5, 200),    # replicates per point
           "SGD_STEPS": lambda v: max(v // 5, 200)}  # steps of a training run

#: put in with :data:`SMALLER` where a notebook has live controls: every
#: ``dropmc.widgets.controls(...)`` box is built at quick precision on 3 points per swept
#: parameter, whatever the call asks (the notebook imports ``controls`` after its first cell)
QUICK_CONTROLS = """import dropmc.widgets as _widgets
_controls = _widgets.controls
_widgets.controls = lambda *a, **k: _controls(*a, **{**k, "precision": "quick", "points": 3})"""


def _smaller(nb):
    """A cell that sets the first code cell's :data:`SMALLER` parameters and, where the notebook
    calls ``controls``, holds its boxes to :data:`QUICK_CONTROLS`; or None."""
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
    if any(c.cell_type == "code" and "controls(" in c.source for c in nb.cells):
        lines.append(QUICK_CONTROLS)
    return first, (nbformat.v4.new_code_cell("\n".join(lines)) if lines else None)


def test_smaller_parameters_are_found():
    import nbformat

    found = {p.stem: _smaller(nbformat.read(p, as_version=4))[1] for p in NOTEBOOKS}
    assert "REPS = 10000" in found["variance_constancy"].source
    assert "N_MC = 20000" in found["drop_activation"].source
    assert found["ensemble_averaging_sections_9_11"].source.splitlines() == [
        "REPS = 400", "PRECISION = 'quick'", "SGD_STEPS = 600", *QUICK_CONTROLS.splitlines()]
    assert found["user_claims"].source == "PRECISION = 'quick'"  # no live controls


def _cells(nb) -> list:
    """The syntax tree of each code cell, its IPython magics and shell lines left out."""
    out = []
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code":
            src = "\n".join(ln for ln in c.source.splitlines()
                            if not ln.lstrip().startswith(("%", "!")))
            out.append((i, ast.parse(src, filename=f"cell {i}")))
    return out


def _resolve(node, names: dict):
    """The object ``node`` (a name or an attribute chain) stands for when its root is a name
    the notebook imported from dropmc; None when it is not. An attribute that does not exist
    fails the test. Attributes are followed through modules and classes only (what other
    objects hold is decided when they run)."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, names)
        if base is None or not (inspect.ismodule(base) or inspect.isclass(base)):
            return None
        assert hasattr(base, node.attr), \
            f"line {node.lineno}: {getattr(base, '__name__', base)} has no attribute {node.attr!r}"
        return getattr(base, node.attr)
    return None


def _dropmc_names(tree, names: dict) -> None:
    """Add to ``names`` what the imports of ``tree`` take from dropmc (each must exist)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "dropmc":
                    mod = importlib.import_module(a.name)  # `import dropmc.x` binds dropmc
                    names[a.asname or "dropmc"] = mod if a.asname else sys.modules["dropmc"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "dropmc":
            mod = importlib.import_module(node.module)
            for a in node.names:
                if not hasattr(mod, a.name):  # a submodule its package does not import
                    try:
                        importlib.import_module(f"{node.module}.{a.name}")
                    except ImportError:
                        pass
                assert hasattr(mod, a.name), f"line {node.lineno}: {node.module} has no {a.name!r}"
                names[a.asname or a.name] = getattr(mod, a.name)


def _check_against_the_library(nb, name: str) -> int:
    """:func:`test_notebook_code_matches_the_library` on notebook ``nb``: the number of dropmc
    calls it bound; an AssertionError names the cell and line of the first mismatch."""
    cells = _cells(nb)
    names: dict = {}
    for i, tree in cells:
        try:
            _dropmc_names(tree, names)
        except AssertionError as exc:
            raise AssertionError(f"{name} cell {i}, {exc}") from None
    assigned = {t.id for _, tree in cells for node in ast.walk(tree)
                if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                for t in ast.walk(node) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
    names = {k: v for k, v in names.items() if k not in assigned}  # rebound: a value now
    calls = 0
    for i, tree in cells:
        for node in ast.walk(tree):
            try:
                target = _resolve(node.func if isinstance(node, ast.Call) else node, names)
            except AssertionError as exc:
                raise AssertionError(f"{name} cell {i}, {exc}") from None
            if not isinstance(node, ast.Call) or not callable(target):
                continue
            if any(isinstance(a, ast.Starred) for a in node.args) or \
                    any(k.arg is None for k in node.keywords):
                continue  # *args / **kwargs: decided when it runs
            try:
                sig = inspect.signature(target)
            except (TypeError, ValueError):  # a builtin or a compiled function
                continue
            try:
                sig.bind(*node.args, **{k.arg: k.value for k in node.keywords})
            except TypeError as exc:
                raise AssertionError(f"{name} cell {i}, line {node.lineno}: "
                                     f"{ast.unparse(node.func)}(...): {exc}") from None
            calls += 1
    return calls


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_code_matches_the_library(path):
    """Without a kernel: every code cell parses; every ``import`` from dropmc, every attribute
    read from a dropmc module or class the notebook binds (``th.mean_x_train``) exists; and
    every call of a dropmc function or class binds to its signature (the keywords it names,
    no more positional arguments than it takes, none it requires left out). A renamed
    function or keyword fails here, in ``make test``; what the calls compute is for the
    executing test (slow suite) and the library's own tests."""
    import nbformat

    assert _check_against_the_library(nbformat.read(path, as_version=4), path.stem) >= 3


@pytest.mark.parametrize("code, message", [
    ("from dropmc.theory import drop_activation as th\nth.no_such_function(1)",
     "cell 0, line 2: dropmc.theory.drop_activation has no attribute 'no_such_function'"),
    ("from dropmc.theory.drop_activation import nope",
     "cell 0, line 1: dropmc.theory.drop_activation has no 'nope'"),
    ("from dropmc.theory import drop_activation as th\nth.mean_x_train([1.0], p=0.5, q=1)",
     "cell 0, line 2: th.mean_x_train(...): got an unexpected keyword argument 'q'"),
    ("from dropmc.theory import drop_activation as th\nth.mean_x_train([1.0])",
     "missing a required argument: 'p'"),
    ("import dropmc\ndropmc.widgets.controls('x', 1)", "too many positional arguments"),
])
def test_the_library_check_catches_what_is_not_there(code, message):
    """A name, an attribute or a keyword that is not there fails the check, with its place."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    with pytest.raises(AssertionError, match=re.escape(message)):
        _check_against_the_library(nb, "toy")


def test_the_library_check_passes_good_calls_and_leaves_rebound_names():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "%matplotlib inline\nfrom dropmc.theory import drop_activation as th\n"
        "th.mean_x_train([1.0], 0.5)\nth.mean_x_train(w=[1.0], p=0.5)"),
        nbformat.v4.new_code_cell("from dropmc import judge\njudge = 3\njudge.anything(1)")])
    assert _check_against_the_library(nb, "toy") == 2


@pytest.mark.slow
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
