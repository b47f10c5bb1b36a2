"""Layers import downward only (function-level imports included): ``solvers`` imports neither
``neurologic`` nor ``benchmarks``. (``neurologic.fewshot`` and ``neurologic.cnl.coverage`` still
read datasets through ``benchmarks``; issue 22 moves them, and extends this test to
``neurologic``.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file, as absolute dotted names."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
    return names


@pytest.mark.parametrize("package, forbidden", [
    ("solvers", ("benchmarks", "neurologic")),
])
def test_a_layer_never_imports_the_layers_above_it(package, forbidden):
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imports(path) if name.split(".")[0] in forbidden
        )
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {k: v for k, v in offending.items() if v} == {}
