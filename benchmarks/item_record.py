"""One line of ``samples.jsonl``: :class:`ItemRecord`, built from an item and its answer by
every path that writes a row (solved, failed, missing translation, timed out on a cluster)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from typing import Any

from neurologic.answer import Answer

from .datasets import ChoiceItem
from .datasets import EntailmentItem
from .datasets import Item

TIMEOUT_ERROR = "timeout: the item outlived its time limit on the cluster; its actor was replaced"
_ONLY_WHEN_SET = ("votes", "premises_used", "distribution", "missing_translation")
"""Keys a row has only when its kind of item has them (None: left out)."""


@dataclass
class ItemRecord:
    """The record of one item, its keys in the order a row writes them.

    An entailment row has ``votes``, ``premises_used`` and ``missing_translation``, and
    ``faithful`` where the item has gold FOL; a multiple-choice row has ``distribution``
    instead; a row an item's time limit cut short has ``timed_out``."""

    id: str
    gold: Any
    prediction: Any = None
    correct: bool = False
    executable: bool = False
    method: str = "none"
    confidence: float = 0.0
    votes: dict[str, Any] | None = None
    premises_used: list[int] | None = None
    distribution: list[float] | None = None
    errors: list[str] = field(default_factory=list)
    missing_translation: bool | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    trace: list[dict[str, Any]] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    faithful: bool | None = None
    elapsed_s: float = 0.0
    timed_out: bool = False
    has_gold_fol: bool = False
    """Whether the row carries ``faithful`` (the item has gold FOL); not itself written."""

    @classmethod
    def entailment(
        cls, item: EntailmentItem, answer: Answer, *, error: str | None, missing_translation: bool
    ) -> ItemRecord:
        """The record of an entailment ``item`` answered ``answer`` (``error``: why no answer
        could be reached, listed before the samples' own errors)."""
        return cls(
            id=item.id,
            gold=item.label,
            prediction=answer.label,
            correct=answer.label == item.label,
            executable=answer.executable,
            method=answer.method,
            confidence=answer.confidence,
            votes=answer.votes,
            premises_used=[u.index for u in answer.premises_used],
            errors=([error] if error else []) + [s.error for s in answer.samples if s.error],
            missing_translation=missing_translation,
            usage=answer.usage,
            trace=[event.model_dump() for event in answer.trace],
            samples=[s.model_dump() for s in answer.samples],
            meta=item.meta,
            has_gold_fol=item.premises_fol is not None and item.conclusion_fol is not None,
        )

    @classmethod
    def choice(cls, item: ChoiceItem, answer: Answer) -> ItemRecord:
        """The record of a multiple-choice ``item`` answered ``answer``."""
        return cls(
            id=item.id,
            gold=item.answer,
            prediction=answer.choice,
            correct=answer.choice == item.answer,
            executable=answer.method == "symbolic",
            method=answer.method,
            confidence=answer.confidence,
            distribution=list(answer.distribution),
            errors=[s.error for s in answer.samples if s.error],
            usage=answer.usage,
            trace=[event.model_dump() for event in answer.trace],
            samples=[s.model_dump() for s in answer.samples],
            meta=item.meta,
        )

    @classmethod
    def choice_failed(cls, item: ChoiceItem, error: str) -> ItemRecord:
        """The record of a multiple-choice ``item`` no answer could be reached for."""
        return cls(id=item.id, gold=item.answer, distribution=[], errors=[error], meta=item.meta)

    @classmethod
    def timed_out_on_cluster(cls, item: Item) -> ItemRecord:
        """The record of an item whose call outlived its time limit (its actor was replaced)."""
        gold = item.label if isinstance(item, EntailmentItem) else item.answer
        return cls(
            id=item.id,
            gold=gold,
            votes={},
            premises_used=[],
            errors=[TIMEOUT_ERROR],
            missing_translation=False,
            meta=item.meta,
            timed_out=True,
        )

    def to_json(self) -> dict[str, Any]:
        """The samples.jsonl row: every written field in order, less those this row lacks."""
        row = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "has_gold_fol"}
        for name in _ONLY_WHEN_SET:
            if row[name] is None:
                del row[name]
        if not self.has_gold_fol:
            del row["faithful"]
        if not self.timed_out:
            del row["timed_out"]
        return row
