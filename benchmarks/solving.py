"""One item solved: its :class:`~benchmarks.item_record.ItemRecord`, with the model calls and
cache hits it made (used by the runner's threads and by each actor on a cluster)."""

from __future__ import annotations

import time

from neurologic.decide.formalizations import answer_from_samples
from neurologic.reasoner import Reasoner
from solvers import NeurologicError

from .datasets import ChoiceItem
from .datasets import EntailmentItem
from .datasets import Item
from .fidelity import faithful
from .item_record import ItemRecord
from .metering import counts
from .records import SavedTranslation
from .records import Translations


def solve(item: Item, translations: Translations | None, reasoner: Reasoner) -> ItemRecord:
    """The record for ``item`` (either kind), with its model calls and cache hits in ``usage``."""
    before = counts(reasoner.provider)
    if isinstance(item, ChoiceItem):
        record = solve_choice(item, reasoner)
    else:
        saved = None if translations is None else translations.get(item.id, [])
        record = solve_item(item, saved, reasoner)
    after = counts(reasoner.provider)
    usage = dict(record.usage or {})
    if before is None or after is None:  # a provider that keeps no stats: its own count
        usage.setdefault("model_calls", int(usage.get("calls", 0)))
        usage.setdefault("cache_hits", 0)
    else:
        usage["model_calls"], usage["cache_hits"] = after[0] - before[0], after[1] - before[1]
    record.usage = usage
    return record


def solve_item(
    item: EntailmentItem, formalizations: list[SavedTranslation] | None, reasoner: Reasoner
) -> ItemRecord:
    """The record of an entailment ``item``: translated and solved when ``formalizations`` is
    None, else those saved formulas re-solved (none saved: missing).

    ``elapsed_s`` is the time spent solving; the fidelity re-proof from the gold formulas
    (``faithful``) comes after it and is not counted."""
    start = time.perf_counter()
    error = None
    if formalizations is None or reasoner.parser == "cnl":
        try:
            answer = reasoner.solve(list(item.premises), item.conclusion)
        except NeurologicError as failure:  # recorded for this item; the run goes on
            error = f"{type(failure).__name__}: {failure}"
            answer = answer_from_samples([], item.premises, elapsed_s=0.0)
    elif formalizations:
        answer = reasoner.solve_saved(formalizations, item.premises, item.conclusion)
    else:
        answer = answer_from_samples([], item.premises, elapsed_s=0.0)
    missing = formalizations is not None and not formalizations and reasoner.parser != "cnl"
    record = ItemRecord.entailment(item, answer, error=error, missing_translation=missing)
    record.elapsed_s = round(time.perf_counter() - start, 6)  # solving only, not the re-proof
    if record.has_gold_fol:
        record.faithful = faithful(item, record.to_json())  # premise fidelity
    return record


def solve_choice(item: ChoiceItem, reasoner: Reasoner) -> ItemRecord:
    """The record of a multiple-choice ``item`` (``Reasoner.choose``)."""
    start = time.perf_counter()
    try:
        answer = reasoner.choose(item.context, item.question, list(item.options))
    except NeurologicError as failure:  # recorded for this item; the run goes on
        record = ItemRecord.choice_failed(item, f"{type(failure).__name__}: {failure}")
    else:
        record = ItemRecord.choice(item, answer)
    record.elapsed_s = round(time.perf_counter() - start, 6)
    return record
