"""Calibration: fitting the softmax temperature, measuring it, and the shipped temperatures.

Temperatures are fitted on a held-out split and measured by expected calibration error and
reliability bins. Those shipped in ``prompts/choose/calibration.json`` are keyed by model,
debiasing mode and templates."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from importlib import resources
from typing import Any

from ..providers.base import Provider
from ..templates import template_hashes
from .scorer import FallbackError
from .scorer import log_normalize


def fit_temperature(scores: Sequence[Sequence[float]], gold: Sequence[int]) -> float:
    """The softmax temperature that minimises the negative log-likelihood of ``gold``
    (golden-section search on log T over [0.05, 20])."""
    if not scores or len(scores) != len(gold):
        raise FallbackError("fit_temperature needs one gold index per score list")

    def nll(log_t: float) -> float:
        t = math.exp(log_t)
        return -sum(log_normalize([s / t for s in row])[g] for row, g in zip(scores, gold))

    lo, hi = math.log(0.05), math.log(20.0)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(80):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = nll(b)
    return round(math.exp((lo + hi) / 2), 4)


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """ECE: the gap between confidence and accuracy, averaged over equal-width confidence bins
    weighted by how many answers fall in each."""
    if len(confidences) != len(correct):
        raise FallbackError("expected_calibration_error needs one outcome per confidence")
    if not confidences:
        return 0.0
    total = 0.0
    for lo, members in reliability_bins(confidences, correct, bins):
        del lo
        if members:
            conf = sum(c for c, _ in members) / len(members)
            acc = sum(1 for _, ok in members if ok) / len(members)
            total += len(members) * abs(conf - acc)
    return total / len(confidences)


def reliability_bins(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> list[tuple[float, list[tuple[float, bool]]]]:
    """(lower edge, members) for each of ``bins`` equal-width confidence bins."""
    table: list[tuple[float, list[tuple[float, bool]]]] = [(i / bins, []) for i in range(bins)]
    for conf, ok in zip(confidences, correct):
        index = min(bins - 1, max(0, int(conf * bins)))
        table[index][1].append((conf, bool(ok)))
    return table


# ---------------------------------------------------------------------------- calibration file


def calibration_key(provider: Provider, debias: str) -> str:
    """What a fitted temperature is valid for: the model's identity, the debias mode and the
    scoring templates."""
    identity = getattr(provider, "cache_identity", None)
    model = identity() if callable(identity) else {"name": provider.name, "model": provider.model}
    material = json.dumps(
        {
            "model": model.get("sha256") or model,
            "debias": debias,
            "templates": template_hashes("choose", prefix="choose/"),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def shipped_temperature(provider: Provider, debias: str) -> float | None:
    """The temperature fitted for this model and mode, if one ships in
    ``prompts/choose/calibration.json``."""
    entry = _calibration_table().get(calibration_key(provider, debias))
    return None if entry is None else float(entry["temperature"])


def _calibration_table() -> dict[str, Any]:
    try:
        text = resources.files("prompts").joinpath("choose", "calibration.json").read_text("utf-8")
    except FileNotFoundError:
        return {}
    return json.loads(text)
