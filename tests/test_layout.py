"""The layout that shows the architecture, checked statically: theory and simulations know
nothing of claims, and no module silently redefines one of its own top-level names (a later
``def f`` shadows the earlier one for every caller in the module)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dropmc", "theory", "simulations", "figures", "benchmarks", "tools")
SOURCES = sorted(p for d in PACKAGES for p in (ROOT / d).rglob("*.py")
                 if "_vendor" not in p.parts)


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_no_top_level_name_is_defined_twice(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    seen, dup = {}, []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name in seen:
                dup.append(f"{node.name} (lines {seen[node.name]} and {node.lineno})")
            seen[node.name] = node.lineno
    assert not dup, f"{path.relative_to(ROOT)} redefines " + ", ".join(dup)


@pytest.mark.parametrize("layer", ["theory", "simulations"])
def test_theory_and_simulations_know_nothing_of_claims(layer):
    bad = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for n in names:
                if n.startswith(("dropmc.claims", "dropmc.judge", "dropmc.papers", "dropmc.runner",
                                 "dropmc.registry", "dropmc.report")):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {n}")
    assert not bad, bad


#: the import name of each source directory
_PKG = {"dropmc": "dropmc", "theory": "dropmc.theory", "simulations": "dropmc.simulations",
        "figures": "dropmc.figures"}


def _modname(path: Path) -> str:
    rel = path.relative_to(ROOT)
    parts = [_PKG[rel.parts[0]], *rel.parts[1:]]
    parts[-1] = parts[-1][:-3]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


_MODULES = {_modname(p): p for d in _PKG for p in (ROOT / d).rglob("*.py")
            if "_vendor" not in p.parts}


def _imports(path: Path) -> set[str]:
    """The dropmc modules ``path`` imports (anywhere in the file, lazy imports included)."""
    me = _modname(path)
    pkg = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        out |= {n for n in names if n in _MODULES and n != me}
    return out


def test_no_source_module_exceeds_1200_lines():
    big = [f"{p.relative_to(ROOT)} ({n} lines)" for p in SOURCES
           if (n := len(p.read_text().splitlines())) > 1200]
    assert not big, "split by section: " + ", ".join(big)


def test_no_import_cycle():
    graph = {m: _imports(p) for m, p in _MODULES.items()}
    # a package's __init__ importing its own submodules is not a cycle with them
    graph = {m: {n for n in deps if not n.startswith(m + ".")} for m, deps in graph.items()}
    state, cycles = {}, []

    def visit(m, stack):
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(" -> ".join(stack[stack.index(n):] + [n]))
            elif n not in state:
                visit(n, stack + [n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert not cycles, cycles


_SECTION_PACKAGES = sorted({p.parent for p in SOURCES if p.name == "__init__.py"
                            and p.parent.parent.name in ("papers", "theory", "simulations")})


@pytest.mark.parametrize("pkg", _SECTION_PACKAGES, ids=[str(p.relative_to(ROOT))
                                                        for p in _SECTION_PACKAGES])
def test_sections_import_only_earlier_sections(pkg):
    """A paper's package imports its section modules in paper order in __init__; a section
    may use _shared (or another private module) and earlier sections, never a later one."""
    init = pkg / "__init__.py"
    base = _modname(init)
    order = []
    for node in ast.parse(init.read_text()).body:
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            full = (base + ("." + mod if mod else "")) if node.level else mod
            cands = [full] + [f"{full}.{a.name}" for a in node.names]
            for c in cands:
                if c.startswith(base + ".") and c.count(".") == base.count(".") + 1:
                    name = c.rsplit(".", 1)[1]
                    if name not in order and (pkg / f"{name}.py").exists():
                        order.append(name)
    sections = [n for n in order if not n.startswith("_")]
    bad = []
    for i, name in enumerate(sections):
        for dep in _imports(pkg / f"{name}.py"):
            if dep.startswith(base + "."):
                other = dep[len(base) + 1:].split(".")[0]
                if other in sections[i:]:
                    bad.append(f"{name} imports {other}")
    assert not bad, bad
