"""Natural language -> formalizations, in two steps a small model can get right.

1. **Symbols first.** The model declares the problem's predicates (arity, gloss) and constants,
   under :func:`gbnf.symbol_table_grammar` where the provider supports grammars.
2. **Formulas under the symbol table.** Continuing the same conversation, the model writes one
   formula per sentence under :func:`gbnf.program_grammar` built from that table: only declared
   symbols at their arities, bound variables only.

Remote providers get the same prompts (no grammar); everything is parsed by our own parser either
way, and what fails goes back to the model in :meth:`Translator.refine`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Sequence

from .fewshot import SentenceRetriever, anchor_example, default_retriever
from .gbnf import program_grammar, symbol_table_grammar
from .providers.base import GRAMMAR, Generation, GenerationRequest, Message, Provider, Usage
from .symbols import SymbolTable, parse_symbol_table

_LINE = re.compile(r"^\s*(P\s*(?P<n>\d+)|C)\s*[:.)]\s*(?P<formula>.+?)\s*$")
TEMPLATES = ("system.txt", "symbols_request.txt", "formulas_request.txt", "refine.txt")


@lru_cache(maxsize=None)
def template(name: str) -> str:
    """A prompt template shipped in ``prompts/translate``."""
    return resources.files("prompts").joinpath("translate", name).read_text(encoding="utf-8")


def template_hashes() -> dict[str, str]:
    """SHA-256 (first 16 hex digits) of every translation template, for run manifests."""
    return {name: hashlib.sha256(template(name).encode()).hexdigest()[:16] for name in TEMPLATES}


@dataclass
class ProgramText:
    """One sampled program: the formula text per premise and for the conclusion."""

    raw: str
    premises: list[str]
    conclusion: str
    problem: str | None = None  # why it cannot be used as a whole, if it cannot
    logprob: float | None = None


@dataclass
class Conversation:
    """The messages so far and what they cost."""

    messages: list[Message]
    table: SymbolTable
    symbol_notes: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    calls: int = 0


class Translator:
    """Turns premises and a conclusion into sampled programs with ``provider``."""

    def __init__(
        self,
        provider: Provider,
        *,
        samples: int = 1,
        temperature: float = 0.7,
        retrieved_examples: int = 6,
        max_tokens_symbols: int = 320,
        max_tokens_per_line: int = 90,
        seed: int = 0,
        retriever: SentenceRetriever | None = None,
    ) -> None:
        self.provider = provider
        self.samples = samples
        self.temperature = temperature
        self.retrieved_examples = retrieved_examples
        self.max_tokens_symbols = max_tokens_symbols
        self.max_tokens_per_line = max_tokens_per_line
        self.seed = seed
        self._retriever = retriever
        self.use_grammar = GRAMMAR in provider.capabilities

    @property
    def retriever(self) -> SentenceRetriever:
        if self._retriever is None:
            self._retriever = default_retriever()
        return self._retriever

    # ------------------------------------------------------------------ step 1: symbols

    def declare_symbols(
        self, premises: Sequence[str], conclusion: str, known: SymbolTable | None = None
    ) -> Conversation:
        """Ask for the symbol table; ``known`` symbols (e.g. from the CNL parser) are kept."""
        request_text = template("symbols_request.txt").format(
            examples=self._examples(premises, conclusion),
            sentences=_numbered(premises, conclusion),
        )
        messages = [Message("system", template("system.txt")), Message("user", request_text)]
        request = GenerationRequest(
            messages=tuple(messages),
            max_tokens=self.max_tokens_symbols,
            temperature=0.0,
            seed=self.seed,
            grammar=symbol_table_grammar() if self.use_grammar else None,
        )
        generation = self.provider.generate([request])[0][0]
        table, notes = parse_symbol_table(_after_heading(generation.text, "Symbols:"))
        if known is not None:
            table = known.merge(table)
        return Conversation(
            messages=messages + [Message("assistant", generation.text.strip())],
            table=table,
            symbol_notes=notes,
            usage=generation.usage,
            calls=1,
        )

    # ------------------------------------------------------------------ step 2: formulas

    def formalize(self, conversation: Conversation, n_premises: int) -> list[ProgramText]:
        """``samples`` programs: the first greedy, the rest at ``temperature``."""
        hints = ""
        if conversation.symbol_notes:
            hints = "Note: " + "; ".join(conversation.symbol_notes[:4])
        conversation.messages.append(
            Message("user", template("formulas_request.txt").format(hints=hints).strip())
        )
        requests = [self._program_request(conversation, n_premises, 0.0, 1, self.seed)]
        if self.samples > 1:
            requests.append(
                self._program_request(
                    conversation, n_premises, self.temperature, self.samples - 1, self.seed + 1
                )
            )
        generations = [g for batch in self.provider.generate(requests) for g in batch]
        conversation.calls += len(requests)
        for generation in generations:
            conversation.usage = conversation.usage + generation.usage
        return [read_program(g, n_premises) for g in generations]

    def refine(
        self, conversation: Conversation, previous: ProgramText, error: str, n_premises: int
    ) -> ProgramText:
        """Show the model its program and the exact error; get a corrected program (greedy)."""
        messages = list(conversation.messages) + [
            Message("assistant", previous.raw.strip()),
            Message("user", template("refine.txt").format(error=error).strip()),
        ]
        request = GenerationRequest(
            messages=tuple(messages),
            max_tokens=self.max_tokens_per_line * (n_premises + 1),
            temperature=0.0,
            seed=self.seed,
            grammar=program_grammar(conversation.table, n_premises) if self._grammar_ok(conversation) else None,
        )
        generation = self.provider.generate([request])[0][0]
        conversation.calls += 1
        conversation.usage = conversation.usage + generation.usage
        return read_program(generation, n_premises)

    # ------------------------------------------------------------------ helpers

    def _program_request(
        self, conversation: Conversation, n_premises: int, temperature: float, n: int, seed: int
    ) -> GenerationRequest:
        return GenerationRequest(
            messages=tuple(conversation.messages),
            max_tokens=self.max_tokens_per_line * (n_premises + 1),
            temperature=temperature,
            n=n,
            seed=seed,
            grammar=program_grammar(conversation.table, n_premises) if self._grammar_ok(conversation) else None,
            logprobs=True,
        )

    def _grammar_ok(self, conversation: Conversation) -> bool:
        return self.use_grammar and bool(conversation.table.predicates)

    def _examples(self, premises: Sequence[str], conclusion: str) -> str:
        parts = ["Example.", anchor_example().render()]
        if self.retrieved_examples:
            pairs = self.retriever.nearest([*premises, conclusion], self.retrieved_examples)
            if pairs:
                parts.append("More sentences translated in the same style (from other problems):")
                parts += [f"{s} => {f}" for s, f in pairs]
        return "\n".join(parts) + "\n"


def read_program(generation: Generation, n_premises: int) -> ProgramText:
    """Read ``P1: …`` … ``C: …`` lines; anything missing is recorded as the program's problem."""
    text = _after_heading(generation.text, "Formulas:")
    premises: dict[int, str] = {}
    conclusion: str | None = None
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        if match["n"] is not None:
            premises.setdefault(int(match["n"]), match["formula"])
        elif conclusion is None:
            conclusion = match["formula"]
    missing = [f"P{i}" for i in range(1, n_premises + 1) if i not in premises]
    if conclusion is None:
        missing.append("C")
    problem = None
    if missing:
        problem = "missing formula lines: " + ", ".join(missing) + " (write one line per sentence)"
    return ProgramText(
        raw=generation.text,
        premises=[premises.get(i, "") for i in range(1, n_premises + 1)],
        conclusion=conclusion or "",
        problem=problem,
        logprob=generation.total_logprob,
    )


def _numbered(premises: Sequence[str], conclusion: str) -> str:
    lines = [f"P{i + 1}: {p.strip()}" for i, p in enumerate(premises)]
    lines.append(f"C: {conclusion.strip()}")
    return "\n".join(lines)


def _after_heading(text: str, heading: str) -> str:
    index = text.find(heading)
    return text[index + len(heading):] if index >= 0 else text
