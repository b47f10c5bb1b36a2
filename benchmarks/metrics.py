"""Accuracy, executable rate, per-label table and timing from a run's records.

Entailment records have string labels (True / False / Uncertain); multiple-choice records
(LogiQA) have 0-based option indices, reported per option letter and per question type.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

LABELS = ("True", "False", "Uncertain")
LETTERS = "ABCDEFGHIJ"
_TYPE_KEYS = ("type", "question_type", "types")


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The metric part of results.json for ``records`` (one per item)."""
    n = len(records)
    correct = sum(1 for r in records if r["correct"])
    executable = sum(1 for r in records if r["executable"])
    fallback = sum(1 for r in records if r.get("method") == "fallback")
    times = [r["elapsed_s"] for r in records]
    return {
        "n": n,
        "accuracy": _ratio(correct, n),
        "correct": correct,
        "executable_rate": _ratio(executable, n),
        "fallback_rate": _ratio(fallback, n),
        "per_label": _per_letter(records) if _is_choice(records) else _per_label(records),
        **({"per_type": _per_type(records)} if _is_choice(records) else {}),
        "sample_status": _status_counts(records),
        "timing_items": {
            "per_item_median_s": statistics.median(times) if times else 0.0,
            "per_item_mean_s": statistics.fmean(times) if times else 0.0,
            "per_item_max_s": max(times) if times else 0.0,
        },
    }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 6) if b else 0.0


def _per_label(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    table = {}
    for label in LABELS:
        gold = [r for r in records if r["gold"] == label]
        predicted = sum(1 for r in records if r["prediction"] == label)
        right = sum(1 for r in gold if r["correct"])
        table[label] = {
            "n": len(gold),
            "correct": right,
            "accuracy": _ratio(right, len(gold)),
            "predicted": predicted,
        }
    table["None"] = {"predicted": sum(1 for r in records if r["prediction"] is None)}
    return table


def _is_choice(records: Sequence[dict[str, Any]]) -> bool:
    """Multiple-choice records: the gold answer is an option index."""
    return any(isinstance(r["gold"], int) and not isinstance(r["gold"], bool) for r in records)


def _per_letter(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The per-label table of a multiple-choice run, keyed by option letter (A, B, ...)."""
    width = max(
        [4] + [len(r.get("distribution") or []) for r in records] + [r["gold"] + 1 for r in records]
    )
    table = {}
    for index, letter in enumerate(LETTERS[:width]):
        gold = [r for r in records if r["gold"] == index]
        right = sum(1 for r in gold if r["correct"])
        table[letter] = {
            "n": len(gold),
            "correct": right,
            "accuracy": _ratio(right, len(gold)),
            "predicted": sum(1 for r in records if r["prediction"] == index),
        }
    table["None"] = {"predicted": sum(1 for r in records if r["prediction"] is None)}
    return table


def _per_type(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Accuracy per question type (from ``meta``: ``type``, ``question_type`` or a ``types``
    list, an item counting under each of its types); empty when no record has a type."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        for kind in _types_of(record.get("meta") or {}):
            groups.setdefault(kind, []).append(record)
    table = {}
    for kind, group in sorted(groups.items()):
        right = sum(1 for r in group if r["correct"])
        table[kind] = {"n": len(group), "correct": right, "accuracy": _ratio(right, len(group))}
    return table


def _types_of(meta: dict[str, Any]) -> list[str]:
    for key in _TYPE_KEYS:
        value = meta.get(key)
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        if isinstance(value, dict):
            return [str(k) for k, v in value.items() if v]
        if value not in (None, ""):
            return [str(value)]
    return []


def _status_counts(records: Sequence[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        for sample in record["samples"]:
            counts[sample["status"]] = counts.get(sample["status"], 0) + 1
    return dict(sorted(counts.items()))


def decided_by(records: Sequence[dict[str, Any]]) -> dict[str, int]:
    """How many executable samples each solver decided (``rulebase`` names forward or z3)."""
    counts: dict[str, int] = {}
    for record in records:
        for sample in record["samples"]:
            if sample.get("status") == "ok" and sample.get("solver"):
                counts[sample["solver"]] = counts.get(sample["solver"], 0) + 1
    return dict(sorted(counts.items()))
