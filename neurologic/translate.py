"""Natural language -> formalizations, in steps a small model can get right.

1. **Symbols first.** The model declares the problem's predicates (arity, gloss) and constants,
   under :func:`gbnf.symbol_table_grammar` where the provider supports grammars. Symbols that the
   problem's words do not mention (copied from the examples) are dropped. With
   ``declare="premises"`` the table comes from the premises alone and the conclusion lists its
   symbols in a turn just before its formula, so questions over the same premises share every
   request before it.
2. **Formulas under the symbol table**, in one of two styles:

   * ``"turns"``: continuing the same conversation, each sentence is sent on its own and
     answered with one formula under :func:`gbnf.formula_grammar` built from the table: only
     declared symbols at their arities, bound variables only, and a token cap per line, so no
     line can run away. A local model re-reads only the new turn.
   * ``"compact"``: one answer holds every formula (``P1: …`` to ``C: …``, the worked example's
     shape) under :func:`gbnf.program_grammar`, each line under its own table; and properties
     are declared bare (``Dog(x)``), only relations with a gloss. Two calls per program instead
     of one per sentence: fewer prompt tokens to read and to pay for, fewer tokens to write.

Remote providers get the same prompts (no grammar); everything is parsed by our own parser either
way, and a line that fails goes back to the model with its exact error (:meth:`refine_line`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from solvers import ParseError, parse
from solvers.check import signature

from .fewshot import SentenceRetriever, anchor_example, default_retriever
from .gbnf import formula_grammar, program_grammar, symbol_table_grammar
from .names import common_nouns, compact_name, is_named, named_spans, proper_names, text_names
from .providers.base import (
    GRAMMAR, JSON_SCHEMA, Generation, GenerationRequest, Message, Provider, Usage,
)
from .quantifiers import quantifier_problem
from .symbols import SymbolTable, parse_symbol_table, symbol_table_schema, symbol_text_from_json

TEMPLATES = (
    "system.txt", "symbols_request.txt", "line_request.txt", "refine_line.txt",
    "symbols_request_compact.txt", "formulas_request.txt", "conclusion_symbols.txt",
)
STYLES = ("turns", "compact")
DECLARE = ("premises", "problem")
_LABEL_PREFIX = re.compile(r"^\s*(P\s*\d+|C)\s*[:.)]\s*")
_CAMEL_WORD = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")
_ALTERNATIVES_SEED = 1_000_003
"""Offset of the seed that alternatives to a failing line are drawn with (their own stream)."""
ESCALATED_TEMPERATURE = 1.0
"""When none of the alternatives drawn at the sampling temperature passes, as many again are drawn
at this one: a small model sure of its wrong line repeats it at 0.7."""

LineCheck = Callable[[Sequence[tuple[str, str]], "str | None"], "str | None"]
"""``check([(label, formula), ...], conclusion_formula_or_None)``: why the lines written so far
cannot be a translation (they do not parse, clash in their symbols, or the premises contradict
each other), or ``None``. See :func:`neurologic.execute.formalization_problem`."""


def resolve_declare(style: str, declare: str | None) -> str:
    """What the symbol table is declared from: ``declare`` when given (checked), else
    ``"premises"`` for one sentence per turn and ``"problem"`` for the compact style (whose one
    answer holds the conclusion's formula too, so it needs every symbol up front)."""
    if style not in STYLES:
        raise ValueError(f"unknown translation style {style!r}; choose one of {', '.join(STYLES)}")
    if declare is None:
        return "problem" if style == "compact" else "premises"
    if declare not in DECLARE:
        raise ValueError(f"unknown declare mode {declare!r}; choose one of {', '.join(DECLARE)}")
    if style == "compact" and declare == "premises":
        raise ValueError("declare='premises' needs style='turns' (one sentence per turn)")
    return declare


@lru_cache(maxsize=None)
def template(name: str) -> str:
    """A prompt template shipped in ``prompts/translate``."""
    return resources.files("prompts").joinpath("translate", name).read_text(encoding="utf-8")


def template_hashes() -> dict[str, str]:
    """SHA-256 (first 16 hex digits) of every translation template, for run manifests."""
    return {name: hashlib.sha256(template(name).encode()).hexdigest()[:16] for name in TEMPLATES}


@dataclass
class Line:
    """One sentence's turn: the question asked and the formula text answered."""

    label: str  # P1 … Pn, or C
    sentence: str
    formula: str
    logprob: float | None = None


@dataclass
class ProgramText:
    """One sampled program: a formula per premise and for the conclusion."""

    lines: list[Line]

    @property
    def premises(self) -> list[str]:
        return [line.formula for line in self.lines[:-1]]

    @property
    def conclusion(self) -> str:
        return self.lines[-1].formula

    @property
    def raw(self) -> str:
        return "\n".join(f"{line.label}: {line.formula}" for line in self.lines)

    @property
    def logprob(self) -> float | None:
        values = [line.logprob for line in self.lines]
        return None if any(v is None for v in values) else sum(values)  # type: ignore[misc]

    @property
    def problem(self) -> str | None:
        empty = [line.label for line in self.lines if not line.formula.strip()]
        return f"no formula written for {', '.join(empty)}" if empty else None


@dataclass
class Conversation:
    """The symbol-declaring conversation every sample continues, and what the calls cost."""

    messages: list[Message]
    table: SymbolTable
    symbol_notes: list[str] = field(default_factory=list)
    added_constants: list[str] = field(default_factory=list)
    """Names the text uses that the declared table left out, added to it (:func:`with_text_names`)."""
    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    conclusion: str | None = None
    """With ``declare="premises"``: the conclusion, whose symbols are declared in their own turn."""
    conclusion_turn: tuple[Message, Message] | None = None
    """That turn (request and answer), once asked: it comes right before the conclusion's line."""
    conclusion_notes: list[str] = field(default_factory=list)
    conclusion_added_constants: list[str] = field(default_factory=list)
    line_checks: list[dict] = field(default_factory=list)
    """Lines that failed the check as written, with the alternatives drawn and the one kept."""

    def charge(self, generations: Sequence[Generation]) -> None:
        self.calls += 1
        for generation in generations:
            self.usage = self.usage + generation.usage


class Translator:
    """Turns premises and a conclusion into sampled programs with ``provider``."""

    def __init__(
        self,
        provider: Provider,
        *,
        samples: int = 1,
        temperature: float = 0.7,
        retrieved_examples: int = 6,
        max_tokens_symbols: int = 360,
        max_tokens_per_line: int = 96,
        seed: int = 0,
        retriever: SentenceRetriever | None = None,
        style: str = "turns",
        declare: str | None = None,
        alternatives: int = 4,
    ) -> None:
        if alternatives < 0:
            raise ValueError(f"alternatives must be 0 or more, not {alternatives}")
        self.declare = resolve_declare(style, declare)
        self.alternatives = alternatives
        self.style = style
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
        """Ask for the symbol table; ``known`` symbols (e.g. from the CNL parser) are kept.

        With ``declare="premises"`` the table is declared from the premises alone (the
        conclusion's own symbols come in a turn just before its formula), so every request up to
        the conclusion is the same for each question asked of the same premises."""
        compact = self.style == "compact"
        whole = self.declare == "problem"
        declared = [*premises, conclusion] if whole else list(premises)
        request_text = template(
            "symbols_request_compact.txt" if compact else "symbols_request.txt"
        ).format(
            examples=self._examples(declared),
            sentences=_numbered(premises, conclusion if whole else None),
        )
        messages = [Message("system", template("system.txt")), Message("user", request_text)]
        # Caps that end the block where a problem's symbols end (a small model otherwise fills
        # every allowed line, with invented or repeated symbols): in FOLIO *train*, 97% of
        # problems use at most (sentences + 4) predicates; a problem cannot have more
        # individuals than the names its text uses.
        sentences = declared
        max_predicates = min(16, len(sentences) + 4)
        max_constants = max(1, min(12, len(named_spans(sentences))))
        structured = not self.use_grammar and JSON_SCHEMA in self.provider.capabilities
        request = GenerationRequest(
            messages=tuple(messages),
            max_tokens=self.max_tokens_symbols,
            temperature=0.0,
            seed=self.seed,
            grammar=symbol_table_grammar(
                max_predicates, max_constants, unary_glosses=not compact
            ) if self.use_grammar else None,
            json_schema=symbol_table_schema() if structured else None,
        )
        generation = self.provider.generate([request])[0][0]
        answer = symbol_text_from_json(generation.text) if structured else generation.text
        table, notes = parse_symbol_table(_after_heading(answer, "Symbols:"))
        table, dropped = relevant_symbols(table, declared)
        notes += dropped
        if known is not None:
            table = known.merge(table)
        table, named = with_text_names(table, declared)
        conversation = Conversation(
            messages=messages + [Message("assistant", with_constants(answer.strip(), named))],
            table=table,
            symbol_notes=notes + _added_notes(named),
            added_constants=named,
            conclusion=None if whole else conclusion.strip(),
        )
        conversation.charge([generation])
        return conversation

    def declare_conclusion_symbols(self, conversation: Conversation, previous: Sequence[Line]) -> None:
        """With ``declare="premises"``: after the premises' formulas, ask which symbols the
        conclusion uses; those not in the table (and that its words mention) join it (a name
        already declared keeps its arity), and the turn stays in the conversation before its
        line. Listing what it uses, declared or not, is copying for the model; asking only for
        new symbols invited a ``None…`` predicate where "none" was meant."""
        if conversation.conclusion is None or conversation.conclusion_turn is not None:
            return
        ask = Message("user", template("conclusion_symbols.txt").format(
            sentence=conversation.conclusion).strip())
        messages = [*self._line_messages(conversation, previous), ask]
        names = named_spans([conversation.conclusion])
        request = GenerationRequest(
            messages=tuple(messages),
            max_tokens=self.max_tokens_per_line,
            temperature=0.0,
            seed=self.seed,
            grammar=symbol_table_grammar(4, max(1, min(4, len(names)))) if self.use_grammar else None,
        )
        generation = self.provider.generate([request])[0][0]
        conversation.charge([generation])
        answer = generation.text.strip()
        listed, notes = parse_symbol_table(_after_heading(answer, "Symbols:"))
        known = conversation.table
        listed = SymbolTable(
            {n: e for n, e in listed.predicates.items() if n not in known.predicates},
            {n: g for n, g in listed.constants.items() if n not in known.constants},
        )
        added, dropped = relevant_symbols(listed, [conversation.conclusion])
        table, named = with_text_names(conversation.table.merge(added), [conversation.conclusion])
        conversation.table = table
        conversation.conclusion_turn = (ask, Message("assistant", with_constants(answer or "none", named)))
        conversation.conclusion_notes = notes + dropped + _added_notes(named)
        conversation.conclusion_added_constants = named

    # ------------------------------------------------------------------ step 2: formulas

    def formalize_sample(
        self,
        conversation: Conversation,
        premises: Sequence[str],
        conclusion: str,
        sample: int,
        fixed: dict[int, str] | None = None,
        check: LineCheck | None = None,
    ) -> ProgramText:
        """Program number ``sample`` (0 is greedy, the rest at ``temperature``); a caller asks
        for as many as it needs, one at a time.

        ``fixed`` maps line indices (the conclusion is the last) to formulas already known
        (from the controlled-English parser): those lines are not asked, but the model sees them.
        With ``check`` (style ``"turns"``, ``alternatives`` > 0), each line is checked as soon
        as it is written, with the lines before it; one that fails is replaced by the most
        probable of ``alternatives`` lines sampled from the same request that pass
        (:meth:`_checked_line`), so later lines build on premises that can all be true.
        """
        fixed = fixed or {}
        sentences = [(f"P{i + 1}", s.strip()) for i, s in enumerate(premises)]
        sentences.append(("C", conclusion.strip()))
        temperature = 0.0 if sample == 0 else self.temperature
        if self.style == "compact":
            return self._ask_block(conversation, sentences, fixed, temperature, sample)
        lines: list[Line] = []
        for index, (label, sentence) in enumerate(sentences):
            if index in fixed:
                lines.append(Line(label, sentence, fixed[index], 0.0))
                continue
            line = self._ask_line(conversation, lines, label, sentence, temperature, sample)
            if check is not None and self.alternatives:
                line = self._checked_line(conversation, lines, line, sample, check)
            lines.append(line)
        return ProgramText(lines)

    def refine_line(
        self, conversation: Conversation, program: ProgramText, index: int, error: str
    ) -> ProgramText:
        """Show the model the exact error for one line and ask for that line again (greedy)."""
        lines = list(program.lines)
        target = lines[index]
        messages = self._line_messages(conversation, lines)
        messages.append(
            Message(
                "user",
                template("refine_line.txt")
                .format(label=target.label, error=error, sentence=target.sentence)
                .strip(),
            )
        )
        previous = lines[index - 1].sentence if index > 0 else None
        lines[index] = self._generate_line(
            conversation, messages, target.label, target.sentence, 0.0, 0, previous
        )
        return ProgramText(lines)

    def conclusion_readings(
        self, conversation: Conversation, program: ProgramText, sample: int, n: int,
        escalated: bool = False,
    ) -> list[Line]:
        """``n`` more readings of the conclusion (the program's last line), sampled from the
        request that wrote it, after the same premise formulas: :meth:`_draw_alternatives`'s
        first round, or its second when ``escalated``. These are the draws the line check makes
        for a failing conclusion (same request, seed, temperature, and count when ``n`` equals
        ``alternatives``), so a call cache serves whichever comes second."""
        *previous, last = program.lines
        if n < 1 or last.label != "C":
            return []
        messages, before = self._line_request(conversation, list(previous), last.label, last.sentence)
        return self._draw_alternatives(
            conversation, messages, last, sample, before, n, round_=1 if escalated else 0
        )

    def _draw_alternatives(
        self, conversation: Conversation, messages: list[Message], line: Line, sample: int,
        before: str | None, n: int, round_: int,
    ) -> list[Line]:
        """``n`` other lines for ``line``'s sentence from ``messages``: round 0 at
        ``temperature``, round 1 at :data:`ESCALATED_TEMPERATURE`, each round with its own seed
        stream (apart from the samples' own seeds)."""
        temperature = (self.temperature, ESCALATED_TEMPERATURE)[round_]
        return self._generate_lines(
            conversation, messages, line.label, line.sentence, temperature,
            _ALTERNATIVES_SEED * (round_ + 1) + sample, before, n=n,
        )

    # ------------------------------------------------------------------ helpers

    def _ask_line(
        self, conversation: Conversation, previous: list[Line], label: str, sentence: str,
        temperature: float, sample: int,
    ) -> Line:
        if label == "C":
            self.declare_conclusion_symbols(conversation, previous)
        messages, before = self._line_request(conversation, previous, label, sentence)
        return self._generate_line(
            conversation, messages, label, sentence, temperature, sample, before
        )

    def _line_request(
        self, conversation: Conversation, previous: list[Line], label: str, sentence: str
    ) -> tuple[list[Message], str | None]:
        """The messages that ask for one line after ``previous``, and the sentence before it."""
        messages = self._line_messages(conversation, previous)
        messages.extend(self._turn(conversation, label, sentence))
        return messages, previous[-1].sentence if previous else None

    def _checked_line(
        self, conversation: Conversation, previous: list[Line], line: Line, sample: int,
        check: LineCheck,
    ) -> Line:
        """``line`` if it passes ``check`` with the lines before it and its words do not rule it
        out (:func:`words_problem`); else the most probable (by the model's own
        log-probability) of ``alternatives`` lines sampled at ``temperature`` from the same
        request that pass both (if none does, of as many again sampled at
        :data:`ESCALATED_TEMPERATURE`). When none passes both, a line that failed ``check`` is
        replaced by the most probable alternative that passes ``check`` alone, if any; a line
        that only its words ruled out is kept (the words are a weaker witness than the solver),
        and so is one that nothing replaces (the solver reports its failure, and refinement
        takes it up). Every attempt is recorded in ``conversation.line_checks`` (``kept`` is
        ``None`` when no alternative was taken; ``found_by`` says which check failed)."""
        # Lines that failed the solver's check (and had no passing alternative) are left out,
        # so one contradiction is not blamed on every line after it.
        failed = {c["line"] for c in conversation.line_checks
                  if c["sample"] == sample and c["kept"] is None and c["found_by"] == "solver"}

        def problems(candidate: Line) -> tuple[str | None, str | None]:
            written = [(p.label, p.formula) for p in previous if p.label not in failed]
            if candidate.label == "C":
                solver = check(written, candidate.formula)
            else:
                solver = check([*written, (candidate.label, candidate.formula)], None)
            return solver, words_problem(conversation.table, candidate.sentence, candidate.formula)

        def most_probable(candidates: list[Line]) -> Line | None:
            return max(candidates, default=None,
                       key=lambda c: c.logprob if c.logprob is not None else float("-inf"))

        by_solver, by_words = problems(line)
        if by_solver is None and by_words is None:
            return line
        messages, before = self._line_request(conversation, previous, line.label, line.sentence)
        tried: list[dict] = []
        chosen = None
        solver_passing: list[Line] = []
        for round_, temperature in enumerate((self.temperature, ESCALATED_TEMPERATURE)):
            drawn = self._draw_alternatives(
                conversation, messages, line, sample, before, self.alternatives, round_
            )
            found = [problems(candidate) for candidate in drawn]
            tried += [{"formula": c.formula, "logprob": c.logprob, "problem": p or w,
                       "temperature": temperature} for c, (p, w) in zip(drawn, found)]
            usable = [(c, w) for c, (p, w) in zip(drawn, found) if p is None and c.formula.strip()]
            solver_passing += [c for c, _ in usable]
            chosen = most_probable([c for c, w in usable if w is None])
            if chosen is not None:
                break
        if chosen is None and by_solver is not None:
            chosen = most_probable(solver_passing)
        conversation.line_checks.append({
            "sample": sample, "line": line.label, "written": line.formula,
            "problem": by_solver or by_words, "found_by": "solver" if by_solver else "words",
            "alternatives": tried, "kept": chosen.formula if chosen is not None else None,
        })
        return chosen if chosen is not None else line

    def _ask_block(
        self, conversation: Conversation, sentences: Sequence[tuple[str, str]],
        fixed: dict[int, str], temperature: float, sample: int,
    ) -> ProgramText:
        """Every formula in one answer (style ``"compact"``); known lines are written for it.
        A line may have at most ``max_tokens_per_line`` tokens: where one runs on, the answer
        ends there, and the lines it did not reach are then asked for one at a time."""
        messages = [*conversation.messages, _formulas_request()]
        grammar = None
        if self.use_grammar and conversation.table.predicates:
            grammar = program_grammar([
                (label, fixed[i] if i in fixed else line_symbols(
                    conversation.table, sentence, sentences[i - 1][1] if i > 0 else None))
                for i, (label, sentence) in enumerate(sentences)
            ])
        request = GenerationRequest(
            messages=tuple(messages),
            max_tokens=self.max_tokens_per_line * len(sentences),
            temperature=temperature,
            seed=self.seed + sample,
            grammar=grammar,
            logprobs=True,
            max_line_tokens=self.max_tokens_per_line,
        )
        generation = self.provider.generate([request])[0][0]
        conversation.charge([generation])
        formulas, logprobs = split_block(generation, [label for label, _ in sentences])
        lines: list[Line] = []
        for i, (label, sentence) in enumerate(sentences):
            if i in fixed:
                lines.append(Line(label, sentence, fixed[i], 0.0))
            elif label in formulas:
                lines.append(Line(label, sentence, formulas[label], logprobs.get(label)))
            else:
                lines.append(self._ask_line(conversation, lines, label, sentence, temperature, sample))
        return ProgramText(lines)

    def _line_messages(self, conversation: Conversation, lines: Sequence[Line]) -> list[Message]:
        messages = list(conversation.messages)
        if self.style == "compact":
            written = "\n".join(f"{line.label}: {line.formula}" for line in lines)
            return [*messages, _formulas_request(), Message("assistant", written)]
        for line in lines:
            messages.extend(self._turn(conversation, line.label, line.sentence))
            messages.append(Message("assistant", line.formula))
        return messages

    def _turn(self, conversation: Conversation, label: str, sentence: str) -> list[Message]:
        """The user messages that ask for one line (the conclusion's symbol turn before C)."""
        ask = Message("user", template("line_request.txt").format(label=label, sentence=sentence).strip())
        if label == "C" and conversation.conclusion_turn is not None:
            return [*conversation.conclusion_turn, ask]
        return [ask]

    def _generate_line(
        self, conversation: Conversation, messages: list[Message], label: str, sentence: str,
        temperature: float, sample: int, previous: str | None = None,
    ) -> Line:
        return self._generate_lines(
            conversation, messages, label, sentence, temperature, sample, previous
        )[0]

    def _generate_lines(
        self, conversation: Conversation, messages: list[Message], label: str, sentence: str,
        temperature: float, sample: int, previous: str | None = None, n: int = 1,
    ) -> list[Line]:
        grammar = None
        if self.use_grammar and conversation.table.predicates:
            grammar = formula_grammar(line_symbols(conversation.table, sentence, previous))
        request = GenerationRequest(
            messages=tuple(messages),
            max_tokens=self.max_tokens_per_line,
            temperature=temperature,
            n=n,
            seed=self.seed + sample,
            stop=("\n",),
            grammar=grammar,
            logprobs=True,
        )
        generations = self.provider.generate([request])[0]
        conversation.charge(generations)
        return [
            Line(label, sentence, _strip_label(g.text), g.total_logprob) for g in generations
        ]

    def _examples(self, sentences: Sequence[str]) -> str:
        example = anchor_example().render(unary_glosses=self.style != "compact")
        parts = ["Example (another problem: do not reuse its symbols).", example]
        if self.retrieved_examples:
            pairs = self.retriever.nearest(list(sentences), self.retrieved_examples)
            if pairs:
                parts.append("More sentences translated in the same style (from other problems):")
                parts += [f"{s} => {f}" for s, f in pairs]
        return "\n".join(parts) + "\n"


def relevant_symbols(table: SymbolTable, sentences: Sequence[str]) -> tuple[SymbolTable, list[str]]:
    """Drop symbols the problem's words do not mention (copied from an example, invented).

    A constant is kept when the text names it: its letters appear in a run of capitalised words or
    numbers ("Bonnie", "Stephen Curry", "1984"; spaces and punctuation ignored) or after "the"
    ("the dog") — other lower-case words are kinds, and kinds are predicates. A predicate is kept
    when at least half of its CamelCase content words (function words such as "on", "is", "all"
    do not count), or their first five letters, appear: ``BasedOn`` copied from the example
    into a problem that never says "based" is dropped. A name
    declared both ways is settled by the text: a proper name (``Bonnie``: capitalised, never in
    lower case, never plural, never after an article; or a name of several words, ``Black
    Mirror``, declared as ``BlackMirror(x)``) is a constant, anything else (``mortal``,
    ``Greek`` in "a Greek") a predicate.
    """
    table = SymbolTable(dict(table.predicates), dict(table.constants))
    proper = proper_names(sentences) | _multiword_name_predicates(table, sentences)
    text = " ".join(sentences).lower()
    compact = compact_name(text)
    kept = SymbolTable()
    notes: list[str] = []
    for name in list(table.predicates):
        if name in proper:
            del table.predicates[name]
            table.constants.setdefault(name.lower(), "")
            notes.append(f"{name} is a name, not a property: use the constant {name.lower()}")
        elif name.lower() in table.constants:
            del table.constants[name.lower()]
            notes.append(f"{name.lower()} is a property, not an individual: use {name}(x)")
    kinds = common_nouns(sentences)
    for name in list(table.constants):
        if name in kinds:
            del table.constants[name]
            predicate = name.capitalize()
            if predicate not in table.predicates:
                table.predicates[predicate] = (1, f"x is a {name}")
            notes.append(f"{name} is a kind, not an individual: use {predicate}(x)")
    names = named_spans(sentences)
    for name, gloss in table.constants.items():
        if name.replace("_", "") not in compact:
            notes.append(f"constant {name} is not named in the problem; dropped")
        elif not is_named(name, names):
            notes.append(f"{name} is not a name in the problem (a kind is a predicate); dropped")
        else:
            kept.constants[name] = gloss
    for name, entry in table.predicates.items():
        words = [w for w in (w.lower() for w in _CAMEL_WORD.findall(name))
                 if len(w) > 1 and w not in _FUNCTION_WORDS]
        found = sum(1 for w in words if w in text or (len(w) > 5 and w[:5] in text))
        if words and 2 * found >= len(words):
            kept.predicates[name] = entry
        else:
            notes.append(f"predicate {name} does not match any word of the problem; dropped")
    return kept, notes


def _multiword_name_predicates(table: SymbolTable, sentences: Sequence[str]) -> set[str]:
    """The one-place predicates named exactly after a name of two or more words in the text
    (``BlackMirror(x)`` for "Black Mirror", ``JuanDeOnate(x)``): individuals declared as
    properties. FOLIO *train*'s gold FOL uses such names as constants 250 times and as
    predicates 39 times."""
    names = {constant for constant, text in text_names(sentences).items() if len(text.split()) > 1}
    return {
        name for name, (arity, _) in table.predicates.items()
        if arity == 1 and compact_name(name) in names
    }


_FUNCTION_WORDS = frozenset(
    "a an the on in at of to by for from with into onto as is are was be has have had do does "
    "and or not no if then all some every each any".split()
)
_PRONOUNS = re.compile(r"\b(he|she|it|they|him|her|its|his|them|their|this|that)\b", re.I)


_RESERVED = frozenset({"all", "forall", "exists"})
"""Words our formula syntax reads as quantifiers: never a constant."""


def with_text_names(table: SymbolTable, sentences: Sequence[str]) -> tuple[SymbolTable, list[str]]:
    """``table`` with a constant for each individual the text names (:func:`names.text_names`)
    that none of its constants covers ("lewandowski" covers "Robert Lewandowski") and no predicate
    is named after (nor after its singular); and the constants added. A small model often
    leaves the story's protagonist out of its table, and a formula can then only quantify where
    the sentence names someone."""
    covered = {compact_name(c) for c in table.constants}
    predicates = {compact_name(p) for p in table.predicates}
    added = [
        constant for constant in text_names(sentences)
        if not _names_a_predicate(constant, predicates) and constant not in _RESERVED
        and not is_named(constant, covered)
    ]
    if not added:
        return table, []
    return SymbolTable(dict(table.predicates), {**table.constants, **dict.fromkeys(added, "")}), added


def _names_a_predicate(constant: str, predicates: set[str]) -> bool:
    """Whether a predicate is named after ``constant`` or its singular ("Vacuums suck" beside
    ``Vacuum(x)``: a kind that opens its sentence, not an individual)."""
    return constant in predicates or any(
        constant.endswith(ending) and constant[: -len(ending)] in predicates for ending in ("s", "es")
    )


def _added_notes(constants: Sequence[str]) -> list[str]:
    return [f"{name} is named in the text: constant added" for name in constants]


def with_constants(answer: str, constants: Sequence[str]) -> str:
    """A declaration answer with ``constants`` appended to its ``Constants:`` line (one is
    written if it has none), so the conversation shows the table in force."""
    if not constants:
        return answer
    extra = ", ".join(constants)
    lines = answer.splitlines()
    for index, line in enumerate(lines):
        head, _, listed = line.partition(":")
        if head.strip().lower() == "constants":
            listed = listed.strip()
            lines[index] = f"{head}: " + (extra if listed.lower() in ("", "none") else f"{listed}, {extra}")
            return "\n".join(lines)
    return "\n".join([*lines, f"Constants: {extra}"])


def line_symbols(table: SymbolTable, sentence: str, previous: str | None = None) -> SymbolTable:
    """The table a sentence's formula may use: every predicate, and only the constants the
    sentence mentions (or, when it has a pronoun, the previous sentence does). A sentence that
    names no individual must then quantify: its grammar offers no constant to stand in for a kind.
    """
    text = sentence + (" " + previous if previous and _PRONOUNS.search(sentence) else "")
    compact = compact_name(text)
    constants = {
        name: gloss for name, gloss in table.constants.items()
        if compact_name(name) in compact
    }
    return SymbolTable(dict(table.predicates), constants)


_QUANTIFIER_WORDS = frozenset(
    "all every each any some no none nobody nothing everyone everything everybody someone "
    "something somebody anyone anything anybody who whom whose which that whoever whatever "
    "whenever there other others same only never always people many most few several"
    .split()
)
_CLAUSE_OPENERS = frozenset({"", "if", "when", "whenever"})


def _quantifies(sentence: str) -> bool:
    """Whether a word of ``sentence`` can make it quantify: one of :data:`_QUANTIFIER_WORDS`
    ("Rina likes all dogs"), or "a"/"an" opening it or an "if"/"when" clause ("A man is either
    Chinese or British", "If a dog barks, …"); not "a" after a verb ("Rex is a dog"). Without
    any, FOLIO *train*'s gold FOL names an individual in 578 of the 673 sentences that name one
    (most of the rest are annotation slips such as ``∀x (Spain(x) → Europe(x))``)."""
    words = re.findall(r"[a-z]+", sentence.lower())
    return bool(set(words) & _QUANTIFIER_WORDS) or any(
        word in ("a", "an") and (words[i - 1] if i else "") in _CLAUSE_OPENERS
        for i, word in enumerate(words)
    )


def words_problem(table: SymbolTable, sentence: str, formula: str) -> str | None:
    """Why ``formula`` cannot be ``sentence``'s translation, read from the words alone, or
    ``None`` when nothing is wrong or the formula does not parse (the solver's check says so):

    * the sentence names an individual of ``table`` and has no word that quantifies ("Rock is
      cute and still"), but the formula mentions no individual (``∀x (Cute(x) ∧ Still(x) → …)``);
    * its quantifiers do not fit the words (:func:`quantifiers.quantifier_problem`: "All dogs
      bark" without a ``∀``, an ``∃x (A → B)``, or a quantifier whose variable is never used).
    """
    try:
        tree = parse(formula, repair=True).formula
    except ParseError:
        return None
    named = line_symbols(table, sentence).constants
    if named and not _quantifies(sentence) and not signature([tree]).constants:
        return (f"the sentence is about {', '.join(sorted(named))}, "
                "but the formula names no individual")
    return quantifier_problem(sentence, tree)


def split_block(generation: Generation, labels: Sequence[str]) -> tuple[dict[str, str], dict[str, float]]:
    """The formula written for each label in a block answer (``P1: …`` lines; the first line
    under a label counts), and each line's summed token log-probability where the provider gave
    token log-probabilities (a token counts for the line its first character is on). A block
    with no labels at all but one line per label is read in order."""
    text_lines = generation.text.splitlines()
    formulas: dict[str, str] = {}
    line_label: dict[int, str] = {}
    for number, raw in enumerate(text_lines):
        match = _LABEL_PREFIX.match(raw)
        if match:
            label = re.sub(r"\s+", "", match.group(1))
            if label in labels and label not in formulas:
                formulas[label] = raw[match.end():].strip()
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


def _formulas_request() -> Message:
    """The request for every formula in one answer (style ``"compact"``)."""
    return Message("user", template("formulas_request.txt").strip())


def _strip_label(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return _LABEL_PREFIX.sub("", first).strip()


def _numbered(premises: Sequence[str], conclusion: str | None) -> str:
    lines = [f"P{i + 1}: {p.strip()}" for i, p in enumerate(premises)]
    if conclusion is not None:
        lines.append(f"C: {conclusion.strip()}")
    return "\n".join(lines)


def _after_heading(text: str, heading: str) -> str:
    index = text.find(heading)
    return text[index + len(heading):] if index >= 0 else text
