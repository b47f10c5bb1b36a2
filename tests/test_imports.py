"""The import graph of the code (function-level and type-checking imports included): layers
import downward only (``solvers`` below ``neurologic``, neither imports ``benchmarks``), no
module of ``solvers``, ``neurologic`` or ``benchmarks`` reaches itself again through its imports,
and none uses a private name (``_name``) of another module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("solvers", "neurologic", "benchmarks")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file, as absolute dotted names (for
    ``from package import name`` both ``package`` and ``package.name``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _source(path, node)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _source(path: Path, node: ast.ImportFrom) -> str:
    """The absolute dotted name of the module ``node`` (in ``path``) imports from."""
    if not node.level:
        return node.module or ""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    base = list(package[: len(package) - node.level + 1])
    return ".".join(base + ([node.module] if node.module else []))


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(module: str, source: str, path: Path, modules: set[str]) -> list[str]:
    """Where ``source`` (module ``module`` at ``path``) uses a private name of another of
    ``modules``: ``from x import _name``, or ``x._name`` with ``x`` an imported module."""
    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases.update(
                {a.asname or a.name.split(".")[0]: a.name for a in node.names if a.name in modules}
            )
        elif isinstance(node, ast.ImportFrom):
            origin = _source(path, node)
            for alias in node.names:
                if f"{origin}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{origin}.{alias.name}"
                elif _private(alias.name) and origin != module:
                    found.append(f"{module}:{node.lineno}: from {origin} import {alias.name}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            found.append(f"{module}:{node.lineno}: {aliases[node.value.id]}.{node.attr}")
    return found


def _files() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports (each name resolved to the longest module)."""
    files = _files()
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


@pytest.mark.parametrize(
    "package, forbidden",
    [
        ("solvers", ("benchmarks", "neurologic")),
        ("neurologic", ("benchmarks",)),
    ],
)
def test_a_layer_never_imports_the_layers_above_it(package, forbidden):
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imports(path) if name.split(".")[0] in forbidden
        )
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_code_has_no_import_cycle():
    assert cycles(import_graph()) == []


def test_no_module_uses_a_private_name_of_another():
    files = _files()
    found = [
        use
        for name, path in files.items()
        for use in private_uses(name, path.read_text(encoding="utf-8"), path, set(files))
    ]
    assert found == []


def test_the_private_name_finder_finds_both_forms():
    files = _files()
    path = ROOT / "benchmarks" / "example.py"
    source = (
        "from .compare import _IGNORED_KEYS\nfrom benchmarks import run as runner\n"
        "runner._concurrency(1, None)\nfrom .run import main\n"
    )
    assert private_uses("benchmarks.example", source, path, set(files)) == [
        "benchmarks.example:1: from benchmarks.compare import _IGNORED_KEYS",
        "benchmarks.example:3: benchmarks.run._concurrency",
    ]


def test_the_cycle_finder_finds_a_cycle():
    graph = import_graph()
    graph["solvers.fol"] = graph["solvers.fol"] | {"solvers.parse"}  # parse imports fol
    assert any({"solvers.fol", "solvers.parse"} <= set(c) for c in cycles(graph))
