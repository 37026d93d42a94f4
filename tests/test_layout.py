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
