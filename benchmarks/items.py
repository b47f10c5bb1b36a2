"""What a benchmark item is (entailment or multiple choice, with its gold answer), label
normalisation, and reading the vendored data files under ``benchmarks/data/``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from functools import cache
from pathlib import Path
from typing import Any
from typing import Literal

__all__ = [
    "DATA_DIR",
    "LABELS",
    "ChoiceItem",
    "DatasetError",
    "EntailmentItem",
    "Item",
    "Label",
    "normalize_label",
    "path_of",
    "read_json",
    "read_jsonl",
    "strs",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

Label = Literal["True", "False", "Uncertain"]
LABELS: tuple[str, ...] = ("True", "False", "Uncertain")

_LABEL_MAP = {
    "true": "True",
    "false": "False",
    "uncertain": "Uncertain",
    "unknown": "Uncertain",
}


class DatasetError(ValueError):
    """A dataset, subset or data file could not be found or read."""


@dataclass(frozen=True)
class EntailmentItem:
    """Premises + conclusion, gold label True / False / Uncertain."""

    id: str
    premises: tuple[str, ...]
    conclusion: str
    label: Label
    premises_fol: tuple[str, ...] | None = None
    conclusion_fol: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def gold_premises(self) -> tuple[str, ...] | None:
        """The gold formula of each premise, in the premises' order; ``None`` when the item
        has no gold FOL or its formulas are not one per premise (so no index maps across)."""
        gold = self.premises_fol
        return gold if gold is not None and len(gold) == len(self.premises) else None


@dataclass(frozen=True)
class ChoiceItem:
    """Multiple choice: context, question, options (no letter prefix), 0-based gold index."""

    id: str
    context: str
    question: str
    options: tuple[str, ...]
    answer: int
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


Item = EntailmentItem | ChoiceItem


def normalize_label(label: Any) -> Label:
    """Map a dataset label (True/False/Uncertain/Unknown, any case, bools) to LABELS."""
    key = str(label).strip().lower()
    try:
        return _LABEL_MAP[key]  # type: ignore[return-value]
    except KeyError:
        raise DatasetError(
            f"unknown label {label!r}; expected one of True, False, Uncertain, Unknown"
        ) from None


# --------------------------------------------------------------------------- file helpers


def path_of(rel: str) -> Path:
    p = DATA_DIR / rel
    if not p.is_file():
        raise DatasetError(f"vendored data file missing: {p} (is the package data installed?)")
    return p


@cache
def read_jsonl(rel: str) -> tuple[dict[str, Any], ...]:
    rows = []
    with open(path_of(rel), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise DatasetError(f"{rel}:{n}: invalid JSON: {e}") from None
    return tuple(rows)


@cache
def read_json(rel: str) -> Any:
    with open(path_of(rel), encoding="utf-8") as f:
        return json.load(f)


def strs(xs: Any) -> tuple[str, ...]:
    return tuple(str(x).strip() for x in xs)
