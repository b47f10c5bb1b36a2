"""Accuracy, executable rate, per-label table and timing from a run's records."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

LABELS = ("True", "False", "Uncertain")


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
        "per_label": _per_label(records),
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
            "n": len(gold), "correct": right, "accuracy": _ratio(right, len(gold)),
            "predicted": predicted,
        }
    table["None"] = {"predicted": sum(1 for r in records if r["prediction"] is None)}
    return table


def _status_counts(records: Sequence[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        for sample in record["samples"]:
            counts[sample["status"]] = counts.get(sample["status"], 0) + 1
    return dict(sorted(counts.items()))
