"""Finished runs read back: a run directory's ``results.json`` and ``samples.jsonl`` as a
:class:`Run` (read only; the report, fidelity and paired comparisons build on it)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any


class ReportError(Exception):
    """A run directory could not be read (the message names the path)."""


@dataclass
class Run:
    """One finished run: its name, directory, results.json and samples.jsonl records."""

    name: str
    path: Path
    results: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def dataset(self) -> str | None:
        return self.results.get("dataset") or self.config.get("dataset")

    @property
    def subset(self) -> str | None:
        return self.results.get("subset") or self.config.get("subset")

    @property
    def group(self) -> str:
        return f"{self.dataset}/{self.subset}"

    @property
    def config(self) -> dict[str, Any]:
        config = self.results.get("config")
        return config if isinstance(config, dict) else {}

    @property
    def manifest(self) -> dict[str, Any]:
        manifest = self.results.get("manifest")
        return manifest if isinstance(manifest, dict) else {}

    @property
    def multiple_choice(self) -> bool:
        return is_multiple_choice(self.records)


def load_run(path: str | os.PathLike[str]) -> Run:
    """Read ``path/results.json`` and ``path/samples.jsonl`` (optional); ReportError if
    unreadable."""
    directory = Path(path)
    results_path = directory / "results.json"
    if not directory.exists():
        raise ReportError(f"{directory}: no such directory")
    if not directory.is_dir():
        raise ReportError(f"{directory}: not a directory")
    if not results_path.is_file():
        raise ReportError(f"{results_path}: missing (not a finished benchmarks.run directory)")
    results = _read_json(results_path)
    if not isinstance(results, dict):
        raise ReportError(f"{results_path}: expected a JSON object")
    records = read_samples(directory / "samples.jsonl")
    return Run(directory.resolve().name, directory, results, records)


def load_runs(paths: Sequence[str | os.PathLike[str]]) -> list[Run]:
    """Load every run; runs whose directory names collide are named ``parent/name``."""
    runs = [load_run(p) for p in paths]
    names = [r.name for r in runs]
    for run in runs:
        if names.count(run.name) > 1:
            resolved = run.path.resolve()
            run.name = f"{resolved.parent.name}/{resolved.name}"
    return runs


def read_samples(path: Path) -> list[dict[str, Any]]:
    """The records of a samples.jsonl (read only; [] when the file is absent)."""
    if not path.exists():
        return []
    records = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ReportError(
                        f"{path}, line {number}: not valid JSON ({error.msg})"
                    ) from None
                if not isinstance(record, dict):
                    raise ReportError(f"{path}, line {number}: expected a JSON object")
                records.append(record)
    except (OSError, UnicodeDecodeError) as error:
        raise ReportError(f"{path}: cannot be read ({error})") from None
    return records


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ReportError(f"{path}: not valid JSON ({where}: {error.msg})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ReportError(f"{path}: cannot be read ({error})") from None


def is_multiple_choice(records: Iterable[dict[str, Any]]) -> bool:
    """True when records carry option indices (LogiQA shape) instead of entailment labels."""
    return any(
        isinstance(r.get("gold"), int) and not isinstance(r.get("gold"), bool) for r in records
    )
