"""The text of the model's answers: a block of labelled formulas split by label (with each line's
log-probability), a line's label stripped, the sentences numbered."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..providers.base import Generation
from ..providers.base import Message
from ..templates import template

__all__ = ["after_heading", "formulas_request", "numbered", "split_block", "strip_label"]

_LABEL_PREFIX = re.compile(r"^\s*(P\s*\d+|C)\s*[:.)]\s*")


def split_block(
    generation: Generation, labels: Sequence[str]
) -> tuple[dict[str, str], dict[str, float]]:
    """The formula for each label in a block answer (``P1: …``), and each line's log-probability.

    The first line under a label counts. A token's log-probability counts for the line its first
    character is on. A block with no labels but one line per label is read in order."""
    text_lines = generation.text.splitlines()
    formulas: dict[str, str] = {}
    line_label: dict[int, str] = {}
    for number, raw in enumerate(text_lines):
        match = _LABEL_PREFIX.match(raw)
        if match:
            label = re.sub(r"\s+", "", match.group(1))
            if label in labels and label not in formulas:
                formulas[label] = raw[match.end() :].strip()
                line_label[number] = label
    if not formulas:
        written = [(n, raw.strip()) for n, raw in enumerate(text_lines) if raw.strip()]
        if len(written) == len(labels):
            for label, (number, formula) in zip(labels, written):
                formulas[label], line_label[number] = formula, label
    logprobs: dict[str, float] = {}
    if generation.logprobs is not None:
        sums: dict[str, float] = {label: 0.0 for label in formulas}
        line = 0
        for token in generation.logprobs:
            label = line_label.get(line)
            if label is not None:
                sums[label] += token.logprob
            line += token.token.count("\n")
        logprobs = sums
    return formulas, logprobs


def formulas_request() -> Message:
    """The request for every formula in one answer (style ``"compact"``)."""
    return Message("user", template("translate", "formulas_request.txt").strip())


def strip_label(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return _LABEL_PREFIX.sub("", first).strip()


def numbered(premises: Sequence[str], conclusion: str | None) -> str:
    lines = [f"P{i + 1}: {p.strip()}" for i, p in enumerate(premises)]
    if conclusion is not None:
        lines.append(f"C: {conclusion.strip()}")
    return "\n".join(lines)


def after_heading(text: str, heading: str) -> str:
    index = text.find(heading)
    return text[index + len(heading) :] if index >= 0 else text
