"""samples.jsonl: one JSON line per finished item, appended and flushed so a killed run resumes."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from neurologic.trace import FormulasEvent
from neurologic.trace import read_trace


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every complete record in ``path``; a torn last line (from a kill) is dropped from disk."""
    if not path.exists():
        return []
    records, good_bytes = [], 0
    with path.open("rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            try:
                records.append(json.loads(raw))
            except json.JSONDecodeError:
                break
            good_bytes += len(raw)
    if good_bytes != path.stat().st_size:
        with path.open("r+b") as handle:
            handle.truncate(good_bytes)
    return records


class RecordWriter:
    """Appends records, one line each, flushed and synced as soon as written; thread-safe.

    On opening, anything after the file's last newline (a line torn by a kill) is cut off, so a
    new record never lands on the end of a torn one.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _cut_torn_tail(path)
        self._handle = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            self._handle.write(line)
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cut_torn_tail(path: Path) -> None:
    """Truncate ``path`` just after its last newline (no-op if it ends with one or is absent)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("r+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        position = size
        while position > 0:
            step = min(65536, position)
            handle.seek(position - step)
            chunk = handle.read(step)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                end = position - step + newline + 1
                break
            position -= step
        else:
            end = 0
        if end != size:
            handle.truncate(end)


SavedTranslation = tuple[list[str], str, float | None]
"""Premise formulas, the conclusion formula, and the model's log-probability of the translation
(None when not saved)."""
Translations = dict[str, list[SavedTranslation]]
"""Saved translations by item id."""


def read_translations(
    path: Path, *, at_round: int | None = None, first_samples: int | None = None
) -> dict[str, list[SavedTranslation]]:
    """Saved translations: JSONL of ``{"id", "samples": [{"premises": [...], "conclusion"}]}``,
    each sample with an optional ``"logprob"`` (a run's own samples.jsonl saves it, so a
    re-solve breaks a tied vote by it, as the run did).

    A finished run's samples.jsonl has this shape too, so it can be re-solved. ``at_round`` takes
    each sample as it stood after that many refinement rounds (from the record's trace: round 0
    is the first translation), so a run with R rounds also measures every R' < R without a
    model; ``first_samples`` keeps the first K samples (the first is the greedy one), so a run
    with K samples also measures K' < K.
    """
    if not path.exists():
        raise FileNotFoundError(f"translations file not found: {path}")
    table: dict[str, list[SavedTranslation]] = {}
    for number, line in enumerate(_lines(path), start=1):
        try:
            record = json.loads(line)
            samples = [
                (list(s["premises"]), str(s["conclusion"]), _logprob(s.get("logprob")))
                for s in record["samples"]
            ]
            item_id = str(record["id"])
            if at_round is not None:
                samples = _as_of_round(record, samples, at_round)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(
                f'{path}, line {number}: expected {{"id", "samples": [{{"premises": [...], '
                f'"conclusion": ...}}]}} ({error})'
            ) from None
        if not all(isinstance(p, str) for s in samples for p in s[0]):
            raise ValueError(f"{path}, line {number}: premises must be strings")
        table[item_id] = samples[:first_samples] if first_samples is not None else samples
    return table


def _logprob(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _as_of_round(
    record: dict[str, Any], final: list[SavedTranslation], at_round: int
) -> list[SavedTranslation]:
    """Each sample's formulas after ``at_round`` refinement rounds, read from the trace.

    A sample with no translation steps in the trace (the controlled-English grammar covered the
    whole problem) was never refined: its saved formulas stand for every round."""
    latest: dict[int, FormulasEvent] = {}
    for event in read_trace(record.get("trace")):
        if not isinstance(event, FormulasEvent):
            continue
        k = event.sample
        if event.round <= at_round and (k not in latest or event.round > latest[k].round):
            latest[k] = event
    if not latest:
        return final
    return [(*latest[k].program(), _logprob(latest[k].logprob)) for k in sorted(latest)]


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line
