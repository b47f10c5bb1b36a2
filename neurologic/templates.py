"""The prompt templates shipped in the ``prompts`` package, read once, and their hashes for run
manifests and calibration keys."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

__all__ = ["TEMPLATES", "template", "template_hashes"]

TEMPLATES: dict[str, tuple[str, ...]] = {
    "translate": (
        "system.txt",
        "symbols_request.txt",
        "line_request.txt",
        "refine_line.txt",
        "symbols_request_compact.txt",
        "formulas_request.txt",
        "conclusion_symbols.txt",
    ),
    "choose": (
        "system.txt",
        "question.txt",
        "answer_prefix.txt",
        "entailment_question.txt",
        "option_question.txt",
        "option_baseline.txt",
        "option_answer_prefix.txt",
    ),
}
"""Every template, by group (the folder under ``prompts/``)."""


@cache
def template(group: str, name: str) -> str:
    """The text of ``prompts/<group>/<name>``."""
    return resources.files("prompts").joinpath(group, name).read_text(encoding="utf-8")


def template_hashes(group: str, *, prefix: str = "") -> dict[str, str]:
    """SHA-256 (first 16 hex digits) of every template of ``group``, keyed ``prefix + name``."""
    return {
        prefix + name: hashlib.sha256(template(group, name).encode()).hexdigest()[:16]
        for name in TEMPLATES[group]
    }
