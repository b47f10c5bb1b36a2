"""The data behind a report: finished runs' metrics and breakdowns, and which runs on the same
items are comparable (:mod:`benchmarks.report` renders them; :mod:`benchmarks.finished_runs`
loads the runs)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .compare import Difference
from .compare import compare
from .fidelity import annotate
from .fidelity import items_of
from .fidelity import summary as fidelity_summary
from .finished_runs import Run
from .finished_runs import is_multiple_choice

LETTERS = "ABCDEFGH"
ENTAILMENT_LABELS = ("True", "False", "Uncertain")
DASH = "—"
"""What a table shows where a run has no value."""


class PlotsUnavailable(Exception):
    """matplotlib is not installed."""


@dataclass
class Comparison:
    """How ``run`` differs from the reference run of its dataset/subset."""

    run: str
    reference: str
    stack: list[Difference]
    code: list[Difference]

    @property
    def comparable(self) -> bool:
        return not self.stack and not self.code


# --------------------------------------------------------------------------- metrics


def letter(value: Any) -> str:
    """An option index as its letter (2 -> "C"); None -> "none"; anything else unchanged."""
    if value is None:
        return "none"
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(LETTERS):
        return LETTERS[value]
    if isinstance(value, str) and value.isdigit() and int(value) < len(LETTERS):
        return LETTERS[int(value)]
    return str(value)


def summary(run: Run) -> dict[str, Any]:
    """The main-table numbers of ``run``: from results.json, else computed from its records."""
    res, records = run.results, run.records
    n = res.get("n", len(records))
    times = [r["elapsed_s"] for r in records if isinstance(r.get("elapsed_s"), (int, float))]
    timing = res.get("timing") if isinstance(res.get("timing"), dict) else {}
    has_executable = bool(records) and all("executable" in r for r in records)
    return {
        "n": n,
        "accuracy": res.get("accuracy", _share(records, lambda r: bool(r.get("correct")))),
        "executable_rate": res.get(
            "executable_rate",
            _share(records, lambda r: bool(r.get("executable"))) if has_executable else None,
        ),
        "fallback_rate": res.get(
            "fallback_rate", _share(records, lambda r: r.get("method") == "fallback")
        ),
        "median_s": timing.get("per_item_median_s", statistics.median(times) if times else None),
        "tokens_per_item": tokens_per_item(res.get("usage"), n),
        "warm": served_from_cache(res.get("usage")),
        "model": model_label(run),
        "parser": run.config.get("parser"),
        "samples": samples_voted(run),
        "refine_rounds": run.config.get("refine_rounds"),
        "solver": run.config.get("solver") or run.manifest.get("solver"),
        "fidelity": run_fidelity(run),
    }


def run_fidelity(run: Run) -> dict[str, Any] | None:
    """The run's premise fidelity: from results.json, else computed from its records and the
    dataset's gold FOL (so runs made before it was recorded get it too); None without gold FOL."""
    recorded = run.results.get("fidelity")
    if isinstance(recorded, dict):
        return recorded
    items = items_of(run.dataset, run.subset)
    return fidelity_summary(annotate(run.records, items)) if items else None


def faithful_cell(fidelity: dict[str, Any] | None) -> str:
    if not fidelity:
        return DASH
    return f"{fidelity['faithful_right']}/{fidelity['right_by_proof']} of {fidelity['true_false']}"


def samples_voted(run: Run) -> str | None:
    """K, the translations voted per item (for a re-solved run, the saved ones it read), with
    the vote rule when it is not the majority: ``"5 (proof)"``. The dataset's gold FOL, or the
    controlled-English grammar with no model, is one formalization whatever K was set to."""
    config = run.config
    if config.get("translations") == "gold" or (
        config.get("parser") == "cnl" and not config.get("provider")
    ):
        return "1"
    k = config.get("samples")
    if config.get("translations") is not None:
        k = config.get("first_samples") or max(
            (len(r.get("samples") or []) for r in run.records), default=k
        )
    if k is None:
        return None
    rule = config.get("vote") or "majority"
    return str(k) if rule == "majority" else f"{k} ({rule})"


def served_from_cache(usage: Any) -> bool:
    """Whether most of a run's model calls were answered by the call cache (its times are then
    not those of a cold run)."""
    if not isinstance(usage, dict):
        return False
    hits, calls = usage.get("cache_hits"), usage.get("model_calls")
    return isinstance(hits, (int, float)) and isinstance(calls, (int, float)) and hits > calls


def tokens_per_item(usage: Any, n: int) -> float | None:
    """(prompt + completion tokens) / n, or None when the usage has no token counts."""
    if not isinstance(usage, dict) or not n:
        return None
    keys = [
        k for k in ("prompt_tokens", "completion_tokens") if isinstance(usage.get(k), (int, float))
    ]
    if not keys:
        return None
    return sum(usage[k] for k in keys) / n


def model_label(run: Run) -> str:
    """Who translated: provider and model from the manifest, else config.provider, else the source."""
    provider = run.manifest.get("provider")
    if isinstance(provider, dict) and provider:
        name = provider.get("provider")
        model_name, model = provider.get("model_name"), provider.get("model")
        head = f"{name}:{model_name or model}" if name else str(model_name or model)
        return f"{head} ({model})" if model_name and model and model != model_name else head
    if run.config.get("provider"):
        return str(run.config["provider"])
    translations = run.config.get("translations")
    if translations == "gold":
        return "gold FOL (no model)"
    if translations:
        return f"saved translations: {Path(str(translations)).name}"
    if run.config.get("parser") == "cnl":
        return "none (controlled-English grammar)"
    return DASH


def per_label(run: Run) -> list[dict[str, Any]]:
    """Rows label/gold n/correct/accuracy/predicted; option letters for multiple-choice runs."""
    table = run.results.get("per_label")
    # multiple-choice runs: the records are preferred (an entailment-shaped per_label is all zeros)
    if isinstance(table, dict) and table and not (run.multiple_choice and run.records):
        rows = []
        for label, row in table.items():
            if not isinstance(row, dict):
                continue
            rows.append(
                {
                    "label": "none" if label == "None" else letter(label),
                    "n": row.get("n"),
                    "correct": row.get("correct"),
                    "accuracy": row.get("accuracy"),
                    "predicted": row.get("predicted"),
                }
            )
        return rows
    return per_label_from_records(run.records)


def per_label_from_records(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The per-label table computed from records (entailment labels or option letters)."""
    choice = is_multiple_choice(records)
    name = letter if choice else (lambda v: "none" if v is None else str(v))
    golds = [name(r.get("gold")) for r in records]
    preds = [name(r.get("prediction")) for r in records]
    order = (
        list(LETTERS[: max(4, len(set(golds) - {"none"}))]) if choice else list(ENTAILMENT_LABELS)
    )
    order += sorted({*golds, *preds} - set(order) - {"none"})
    rows = []
    for label in order:
        gold = [r for r, g in zip(records, golds) if g == label]
        right = sum(1 for r in gold if r.get("correct"))
        rows.append(
            {
                "label": label,
                "n": len(gold),
                "correct": right,
                "accuracy": right / len(gold) if gold else None,
                "predicted": preds.count(label),
            }
        )
    rows.append(
        {
            "label": "none",
            "n": None,
            "correct": None,
            "accuracy": None,
            "predicted": preds.count("none"),
        }
    )
    return rows


def accuracy_by(records: Sequence[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Accuracy per value of top-level ``key`` or ``meta.<key>`` (an item with a list of values,
    or a dict of flags, counts under each)."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for record in records:
        meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
        value = meta.get(key[5:]) if key.startswith("meta.") else record.get(key)
        if isinstance(value, dict):  # LogiQA 2.0's raw {"type name": true/false}
            values = [k for k, flag in value.items() if flag]
        else:
            values = list(value) if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if v is not None:
                groups.setdefault(v, []).append(record)
    rows = []
    for value in sorted(groups, key=_order):
        group = groups[value]
        right = sum(1 for r in group if r.get("correct"))
        rows.append(
            {"value": value, "n": len(group), "correct": right, "accuracy": right / len(group)}
        )
    return rows


def _order(value: Any) -> tuple[bool, Any]:
    """Numbers first, in numeric order, then everything else by its text."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return (not number, value if number else str(value))


def question_type_key(records: Sequence[dict[str, Any]]) -> str | None:
    """The meta key naming a question's type (LogiQA 2.0), if the records have one."""
    for key in ("question_type", "type", "types"):
        if any(isinstance(r.get("meta"), dict) and r["meta"].get(key) for r in records):
            return f"meta.{key}"
    return None


def depth_table(run: Run) -> list[dict[str, Any]]:
    """Accuracy per ``meta.depth`` (ProofWriter proof depth); [] when records have none."""
    return accuracy_by(run.records, "meta.depth")


def _share(records: Sequence[dict[str, Any]], test: Any) -> float | None:
    return sum(1 for r in records if test(r)) / len(records) if records else None


# --------------------------------------------------------------------------- comparability


def comparisons(runs: Sequence[Run]) -> dict[str, Comparison]:
    """For every run sharing its dataset/subset with another, its comparison with the reference."""
    out: dict[str, Comparison] = {}
    for group in groups_of(runs).values():
        if len(group) < 2:
            continue
        reference = group[0]
        for run in group:
            stack, code = compare(reference.results, run.results)
            out[run.name] = Comparison(run.name, reference.name, stack, code)
    return out


def groups_of(runs: Sequence[Run]) -> dict[str, list[Run]]:
    """The runs by dataset/subset, each group in the order the runs were given."""
    groups: dict[str, list[Run]] = {}
    for run in runs:
        groups.setdefault(run.group, []).append(run)
    return groups
