"""The "large-model notation" benchmark: FOLIO's gold FOL rewritten the way strong models write.

``python -m benchmarks.notation --out runs/notation.jsonl`` writes a saved-translations file
with every gold formula of FOLIO v1 validation re-notated, meaning kept:

* **quantifier keywords** in other spellings (``ForAll x.``, ``∃x:``, ``EXISTS x``, …);
* **names** quoted (``"Bonnie"``) or as bare words (``Capital(beijing, peoples republic of
  china)``), where the parser still keeps the item's constants apart;
* **free variables**: the outermost ``∀`` dropped where its variable is spelled like one;
* **one spelling, two symbols**: a constant named like a predicate, a two-place predicate like
  a one-place one.

``python -m benchmarks.run --dataset folio --translations runs/notation.jsonl --out DIR`` then
solves it; normalisation must bring it back to gold's accuracy.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from solvers.check import symbol_uses
from solvers.fol import Const
from solvers.fol import Forall
from solvers.fol import Formula
from solvers.fol import Term
from solvers.fol import map_terms
from solvers.fol import to_unicode
from solvers.formula_ref import formula_refs
from solvers.parse import name_from_words
from solvers.parse import parse

from .datasets import load

UNIVERSAL_SPELLINGS = ("ForAll {v}. ", "Forall {v} ", "FORALL {v}. ", "∀{v}. ")
EXISTENTIAL_SPELLINGS = ("Exists {v}. ", "∃{v}: ", "EXISTS {v} ", "exists {v}.")
_VARIABLE_LIKE = re.compile(r"^[u-z][0-9]?$")
_QUANTIFIER = re.compile(r"([∀∃])([^\W\d]\w*) ")


@dataclass
class Renotation:
    """How one item's formulas are re-notated: constants and predicates renamed (old → new
    spelling, both readable back to one symbol each), and constants written as text."""

    constants: dict[str, str] = field(default_factory=dict)  # old name -> name written
    predicates: dict[tuple[str, int], str] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # name written -> text in formula


def plan(formulas: Sequence[Formula]) -> Renotation:
    """The renaming for one item (see the module doc), chosen from its own symbols."""
    uses = list(symbol_uses(formulas, formula_refs(len(formulas))))
    constants = list(dict.fromkeys(u.name for u in uses if u.kind == "constant"))
    predicates = list(dict.fromkeys((u.name, u.arity) for u in uses if u.kind == "predicate"))
    names = {u.name for u in uses}
    renotation = Renotation()
    unary = [name for name, arity in predicates if arity == 1]
    binary = [name for name, arity in predicates if arity == 2]
    if constants and unary and unary[0] not in names - {unary[0]}:
        renotation.constants[constants[0]] = unary[0]  # a constant spelled as a predicate
    if binary and len(unary) > 1:
        renotation.predicates[(binary[0], 2)] = unary[-1]  # two arities, one spelling
    for index, constant in enumerate(constants):
        if constant in renotation.constants:
            continue
        words = constant.replace("_", " ").split()
        if index % 2 == 0 or len(words) < 2 or not all(w[:1].isalpha() for w in words):
            text = " ".join(w[:1].upper() + w[1:] for w in words)
            quote = '"' if index % 4 == 0 else "'"
            renotation.written[constant] = f"{quote}{text}{quote}"
        else:
            renotation.written[constant] = " ".join(words)
    readings = [_reading(c, renotation) for c in constants]
    written = {_reading(c, renotation) for c in renotation.written}
    if len(set(readings)) < len(readings) or written & (names - set(constants)):
        renotation.written.clear()  # reading the text back would merge names: write them plain
    return renotation


def _reading(constant: str, renotation: Renotation) -> str:
    if constant in renotation.constants:
        return renotation.constants[constant]
    text = renotation.written.get(constant)
    if text is None:
        return constant
    return name_from_words(text.strip("\"'"))


def renotate(formula: Formula, renotation: Renotation, index: int) -> str:
    """``formula`` written in large-model notation (``index`` picks the keyword spellings)."""
    renamed = _rename(formula, renotation)
    body = renamed
    while isinstance(body, Forall) and _VARIABLE_LIKE.match(body.var):
        body = body.body  # its variable becomes free; closure restores it
    text = to_unicode(body)
    for constant, written in renotation.written.items():
        text = re.sub(rf"(?<![\w’'.+-]){re.escape(constant)}(?![\w’'(+]|[-.][\w’'])", written, text)
    counter = iter(range(index, index + 10_000))

    def spell(match: re.Match[str]) -> str:
        k = next(counter)
        spellings = UNIVERSAL_SPELLINGS if match[1] == "∀" else EXISTENTIAL_SPELLINGS
        return spellings[k % len(spellings)].format(v=match[2])

    return _QUANTIFIER.sub(spell, text)


def _rename(formula: Formula, renotation: Renotation) -> Formula:
    def term(t: Term) -> Term:
        return Const(renotation.constants.get(t.name, t.name)) if isinstance(t, Const) else t

    def predicate(name: str, arity: int) -> str:
        return renotation.predicates.get((name, arity), name)

    return map_terms(formula, term, predicate)


def renotate_item(premises: Sequence[str], conclusion: str) -> dict[str, object]:
    """One saved-translation sample: the item's gold formulas in large-model notation."""
    formulas = [parse(text, repair=True).formula for text in [*premises, conclusion]]
    renotation = plan(formulas)
    texts = [renotate(f, renotation, i) for i, f in enumerate(formulas)]
    return {"premises": texts[:-1], "conclusion": texts[-1]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.notation", description=__doc__)
    parser.add_argument("--out", required=True, help="the translations file to write (JSONL)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for item in load("folio", "all"):
            sample = renotate_item(item.premises_fol or (), item.conclusion_fol or "")
            handle.write(
                json.dumps({"id": item.id, "samples": [sample]}, ensure_ascii=False) + "\n"
            )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
