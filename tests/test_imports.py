"""The import graph of the library (function-level and type-checking imports included): layers
import downward only (``solvers`` below ``neurologic``, neither imports ``benchmarks``) and no
module of ``neurologic`` or ``solvers`` reaches itself again through its imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("neurologic", "solvers")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file, as absolute dotted names (for
    ``from package import name`` both ``package`` and ``package.name``)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = parts[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the library modules it imports (each name resolved to the longest module)."""
    files = {_module_name(p): p for package in LIBRARY for p in (ROOT / package).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets = set()
        for imported in _imports(path):
            while imported and imported not in files and "." in imported:
                imported = imported.rsplit(".", 1)[0]
            if imported in files and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@pytest.mark.parametrize("package, forbidden", [
    ("solvers", ("benchmarks", "neurologic")),
    ("neurologic", ("benchmarks",)),
])
def test_a_layer_never_imports_the_layers_above_it(package, forbidden):
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imports(path) if name.split(".")[0] in forbidden
        )
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_library_has_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = import_graph()
    graph["solvers.fol"] = graph["solvers.fol"] | {"solvers.parse"}  # parse imports fol
    assert any({"solvers.fol", "solvers.parse"} <= set(c) for c in cycles(graph))
