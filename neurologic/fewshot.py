"""Few-shot examples from the FOLIO *training* split, never a test split.

The resource ``neurologic/resources/fewshot_folio_train.jsonl`` is built by
``python -m benchmarks.build_fewshot`` and shipped with its licence and checksum.

* One fixed worked example opens every prompt, so a local model evaluates the prefix once.
* Per problem, the training sentences most like its own (BM25) are shown with their formulas.

Training formulas are normalised to the language the formula grammar admits (:func:`admissible`);
a story with a formula outside it is left out of the resource.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from solvers import check_program
from solvers import parse
from solvers import signature
from solvers.errors import NeurologicError
from solvers.fol import And
from solvers.fol import Eq
from solvers.fol import Exists
from solvers.fol import Forall
from solvers.fol import Formula
from solvers.fol import Func
from solvers.fol import Iff
from solvers.fol import Implies
from solvers.fol import Not
from solvers.fol import Or
from solvers.fol import Pred
from solvers.fol import Term
from solvers.fol import Var
from solvers.fol import Xor
from solvers.fol import children
from solvers.fol import subformulas

from .gbnf import MAX_QUANTIFIER_DEPTH
from .symbols import CONSTANT_NAME
from .symbols import MAX_ARITY
from .symbols import PREDICATE_NAME
from .symbols import VARIABLES
from .symbols import SymbolTable

_NEGATIVE_NAME = re.compile(r"^(Not|Non)(?=[A-Z])")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Example:
    """A training story as a worked translation (its last premise plays the conclusion)."""

    story_id: int
    sentences: tuple[str, ...]
    formulas: tuple[str, ...]
    conclusion: str
    conclusion_formula: str
    table: SymbolTable

    def render(self, *, unary_glosses: bool = True) -> str:
        lines = ["Sentences:"]
        lines += [f"P{i + 1}: {s}" for i, s in enumerate(self.sentences)]
        lines += [
            f"C: {self.conclusion}",
            "Symbols:",
            self.table.render(unary_glosses=unary_glosses),
            "Formulas:",
        ]
        lines += [f"P{i + 1}: {f}" for i, f in enumerate(self.formulas)]
        lines.append(f"C: {self.conclusion_formula}")
        return "\n".join(lines)


def canonical_variables(formula: Formula) -> Formula:
    """Rename each bound variable after its binding depth: x, y, z, w."""

    def rename(f: Formula, names: dict[str, str], depth: int) -> Formula:
        if isinstance(f, Pred):
            return Pred(f.name, tuple(_rename_term(t, names) for t in f.args))
        if isinstance(f, Eq):
            return Eq(_rename_term(f.left, names), _rename_term(f.right, names))
        if isinstance(f, Not):
            return Not(rename(f.body, names, depth))
        if isinstance(f, (And, Or)):
            return type(f)(tuple(rename(p, names, depth) for p in f.parts))
        if isinstance(f, (Xor, Implies, Iff)):
            return type(f)(rename(f.left, names, depth), rename(f.right, names, depth))
        if isinstance(f, (Forall, Exists)):
            if depth >= len(VARIABLES):
                raise ValueError("too many nested quantifiers")
            new = VARIABLES[depth]
            return type(f)(new, rename(f.body, {**names, f.var: new}, depth + 1))
        raise TypeError(f"not a formula: {f!r}")

    return rename(formula, {}, 0)


def _rename_term(term: Term, names: dict[str, str]) -> Term:
    if isinstance(term, Var):
        return Var(names.get(term.name, term.name))
    if isinstance(term, Func):
        return Func(term.name, tuple(_rename_term(a, names) for a in term.args))
    return term


def _quantifier_depth(formula: Formula) -> int:
    best = 0
    stack = [(formula, 0)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, (Forall, Exists)):
            d += 1
        best = max(best, d)
        stack.extend((child, d) for child in children(node))
    return best


def admissible(formulas: Sequence[Formula]) -> bool:
    """Inside the language the formula grammar admits."""
    if check_program(formulas):
        return False
    sig = signature(formulas)
    if sig.functions:
        return False
    if any(isinstance(n, Eq) for f in formulas for n in subformulas(f)):
        return False
    for name, arity in sig.predicates.items():
        if not PREDICATE_NAME.match(name) or _NEGATIVE_NAME.match(name):
            return False
        if not 1 <= arity <= MAX_ARITY:
            return False
    if any(not CONSTANT_NAME.match(c) or c in VARIABLES for c in sig.constants):
        return False
    return all(_quantifier_depth(f) <= MAX_QUANTIFIER_DEPTH for f in formulas)


RESOURCE_DIR = Path(__file__).resolve().parent / "resources"
"""Where the few-shot resource lives (built by ``python -m benchmarks.build_fewshot``)."""
_RESOURCE = "fewshot_folio_train.jsonl"
_RESOURCE_META = "fewshot_folio_train.json"


class ResourceError(NeurologicError):
    """A resource the library ships is missing or not the file it was built as."""


@lru_cache(maxsize=1)
def resource_checksum() -> str:
    """The SHA-256 of the few-shot resource, checked against the one recorded when it was
    built (:class:`ResourceError` when it differs or the files are missing)."""
    try:
        data = (RESOURCE_DIR / _RESOURCE).read_bytes()
        recorded = json.loads((RESOURCE_DIR / _RESOURCE_META).read_text(encoding="utf-8"))["sha256"]
    except (OSError, ValueError, KeyError) as error:
        raise ResourceError(
            f"the few-shot resource in {RESOURCE_DIR} cannot be read: {error}; "
            "rebuild it with: python -m benchmarks.build_fewshot"
        ) from error
    actual = hashlib.sha256(data).hexdigest()
    if actual != recorded:
        raise ResourceError(
            f"{RESOURCE_DIR / _RESOURCE} has SHA-256 {actual}, not the {recorded} "
            "recorded when it was built; rebuild it with: "
            "python -m benchmarks.build_fewshot"
        )
    return actual


@lru_cache(maxsize=1)
def training_examples() -> tuple[Example, ...]:
    """Every usable FOLIO training story, one example each, by story id (read from the shipped
    resource, its checksum verified)."""
    resource_checksum()
    examples = []
    for line in (RESOURCE_DIR / _RESOURCE).read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        texts = [*story["formulas"], story["conclusion_formula"]]
        formulas = [parse(t, repair=False).formula for t in texts]
        examples.append(
            Example(
                story_id=story["story_id"],
                sentences=tuple(story["sentences"]),
                formulas=tuple(story["formulas"]),
                conclusion=story["conclusion"],
                conclusion_formula=story["conclusion_formula"],
                table=SymbolTable.from_signature(signature(formulas)),
            )
        )
    return tuple(examples)


def anchor_example() -> Example:
    """The fixed worked example that opens every prompt: the first training story (by story
    id) of 4–6 sentences using a quantifier, a constant, a negation and a two-place predicate."""
    for example in training_examples():
        text = " ".join(example.formulas + (example.conclusion_formula,))
        if (
            3 <= len(example.sentences) <= 5
            and "∀" in text
            and "¬" in text
            and example.table.constants
            and any(a == 2 for a, _ in example.table.predicates.values())
        ):
            return example
    return training_examples()[0]


class SentenceRetriever:
    """BM25 over (training sentence, formula) pairs."""

    def __init__(self, examples: Sequence[Example]) -> None:
        from rank_bm25 import BM25Okapi

        self.pairs: list[tuple[str, str]] = []
        for example in examples:
            self.pairs += list(zip(example.sentences, example.formulas))
            self.pairs.append((example.conclusion, example.conclusion_formula))
        self._bm25 = BM25Okapi([_tokens(s) for s, _ in self.pairs])

    def nearest(self, sentences: Sequence[str], k: int) -> list[tuple[str, str]]:
        """Up to ``k`` distinct pairs: the best match of each sentence in turn."""
        chosen: list[tuple[str, str]] = []
        seen: set[str] = {s.strip() for s in sentences}
        ranked = []
        for sentence in sentences:
            scores = self._bm25.get_scores(_tokens(sentence))
            ranked.append(sorted(range(len(scores)), key=lambda i: -scores[i])[:k])
        for depth in range(k):
            for order in ranked:
                if len(chosen) >= k:
                    return chosen
                pair = self.pairs[order[depth]]
                if pair[0] not in seen:
                    seen.add(pair[0])
                    chosen.append(pair)
        return chosen


@lru_cache(maxsize=1)
def default_retriever() -> SentenceRetriever:
    anchor = anchor_example()
    return SentenceRetriever([e for e in training_examples() if e.story_id != anchor.story_id])


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())
