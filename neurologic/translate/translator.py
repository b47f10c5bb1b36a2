"""The :class:`Translator`: a symbol table, then checked formulas, refinements and readings.

It asks for a formula per sentence (or one block), checks each as it is written, refines a line
with its exact error and draws other readings of the conclusion. Every step shares the provider,
request settings and conversation state, so it stays one class."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from solvers.formula_ref import FormulaRef

from ..config import ReasonerConfig
from ..fewshot import SentenceRetriever
from ..fewshot import anchor_example
from ..fewshot import default_retriever
from ..gbnf import formula_grammar
from ..gbnf import program_grammar
from ..gbnf import symbol_table_grammar
from ..language.names import named_spans
from ..providers.base import GRAMMAR
from ..providers.base import JSON_SCHEMA
from ..providers.base import GenerationRequest
from ..providers.base import Message
from ..providers.base import Provider
from ..symbols import SymbolTable
from ..symbols import parse_symbol_table
from ..symbols import symbol_table_schema
from ..symbols import symbol_text_from_json
from ..templates import template
from ..trace import LineCheckEvent
from ..trace import SymbolsEvent
from ..trace import TraceEvent
from .blocks import after_heading
from .blocks import formulas_request
from .blocks import numbered
from .blocks import split_block
from .blocks import strip_label
from .conversation import Conversation
from .conversation import Line
from .conversation import LineCheck
from .conversation import ProgramText
from .conversation import SymbolsTurn
from .symbol_scope import WordsFinding
from .symbol_scope import added_notes
from .symbol_scope import grounded_line_symbols
from .symbol_scope import line_symbols
from .symbol_scope import relevant_symbols
from .symbol_scope import with_constants
from .symbol_scope import with_text_names
from .symbol_scope import words_check

__all__ = ["ESCALATED_TEMPERATURE", "Translator"]

_ALTERNATIVES_SEED = 1_000_003
"""Offset of the seed that alternatives to a failing line are drawn with (their own stream)."""
ESCALATED_TEMPERATURE = 1.0
"""When none of the alternatives drawn at the sampling temperature passes, as many again are drawn
at this one: a small model sure of its wrong line repeats it at 0.7."""


class _Draft(NamedTuple):
    """What one program is written from: its labelled sentences, the lines already known, the
    temperature and the sample's number."""

    sentences: Sequence[tuple[str, str]]
    fixed: dict[int, str]
    temperature: float
    sample: int


class Translator:
    """Turns premises and a conclusion into sampled programs with ``provider``."""

    def __init__(
        self,
        provider: Provider,
        config: ReasonerConfig | None = None,
        *,
        retrieved_examples: int = 6,
        max_tokens_symbols: int = 360,
        max_tokens_per_line: int = 96,
        retriever: SentenceRetriever | None = None,
    ) -> None:
        self.config = config or ReasonerConfig()
        self.provider = provider
        self.retrieved_examples = retrieved_examples
        self.max_tokens_symbols = max_tokens_symbols
        self.max_tokens_per_line = max_tokens_per_line
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
        compact = self.config.style == "compact"
        whole = self.config.declare == "problem"
        declared = [*premises, conclusion] if whole else list(premises)
        request_text = template(
            "translate", "symbols_request_compact.txt" if compact else "symbols_request.txt"
        ).format(
            examples=self._examples(declared),
            sentences=numbered(premises, conclusion if whole else None),
        )
        system = Message("system", template("translate", "system.txt"))
        ask = Message("user", request_text)
        # Caps that end the block where a problem's symbols end (a small model otherwise fills
        # every allowed line, with invented or repeated symbols): in FOLIO *train*, 97% of
        # problems use at most (sentences + 4) predicates; a problem cannot have more
        # individuals than the names its text uses.
        sentences = declared
        max_predicates = min(16, len(sentences) + 4)
        max_constants = max(1, min(12, len(named_spans(sentences))))
        structured = not self.use_grammar and JSON_SCHEMA in self.provider.capabilities
        request = GenerationRequest(
            messages=(system, ask),
            max_tokens=self.max_tokens_symbols,
            temperature=0.0,
            seed=self.config.seed,
            grammar=symbol_table_grammar(max_predicates, max_constants, unary_glosses=not compact)
            if self.use_grammar
            else None,
            json_schema=symbol_table_schema() if structured else None,
        )
        generation = self.provider.generate([request])[0][0]
        answer = symbol_text_from_json(generation.text) if structured else generation.text
        table, notes = parse_symbol_table(after_heading(answer, "Symbols:"))
        table, dropped = relevant_symbols(table, declared)
        notes += dropped
        if known is not None:
            table = known.merge(table)
        table, named = with_text_names(table, declared)
        conversation = Conversation(
            system,
            _symbols_turn(ask, answer.strip(), notes, named),
            table,
            conclusion=None if whole else conclusion.strip(),
        )
        conversation.charge([generation])
        return conversation

    def declare_conclusion_symbols(
        self, conversation: Conversation, previous: Sequence[Line]
    ) -> SymbolsEvent | None:
        """With ``declare="premises"``, ask which symbols the conclusion uses; add the new ones.

        New symbols its words mention join the table (a declared name keeps its arity), and the
        turn stays in the conversation before its line. The model lists every symbol used, which
        is mostly copying. Returns the turn's trace event, or None when there is none to ask."""
        if not conversation.awaits_conclusion_symbols:
            return None
        ask = Message(
            "user",
            template("translate", "conclusion_symbols.txt")
            .format(sentence=conversation.conclusion)
            .strip(),
        )
        messages = [*self._line_messages(conversation, previous), ask]
        names = named_spans([conversation.conclusion])
        request = GenerationRequest(
            messages=tuple(messages),
            max_tokens=self.max_tokens_per_line,
            temperature=0.0,
            seed=self.config.seed,
            grammar=(
                symbol_table_grammar(4, max(1, min(4, len(names)))) if self.use_grammar else None
            ),
        )
        generation = self.provider.generate([request])[0][0]
        conversation.charge([generation])
        answer = generation.text.strip()
        listed, notes = parse_symbol_table(after_heading(answer, "Symbols:"))
        known = conversation.table
        listed = SymbolTable(
            {n: e for n, e in listed.predicates.items() if n not in known.predicates},
            {n: g for n, g in listed.constants.items() if n not in known.constants},
        )
        added, dropped = relevant_symbols(listed, [conversation.conclusion])
        table, named = with_text_names(conversation.table.merge(added), [conversation.conclusion])
        turn = _symbols_turn(ask, answer or "none", notes + dropped, named)
        conversation.declare_conclusion(turn, table)
        return turn.event("conclusion_symbols")

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
        """Program number ``sample`` (0 is greedy, the rest at ``temperature``).

        ``fixed`` maps line indices (the conclusion last) to formulas the controlled-English
        parser already knows: the model sees them but is not asked. With ``check``, each line
        is checked as it is written and a failing one replaced (:meth:`_checked_line`). The
        events are the conclusion's symbols turn, if asked here, then each line check in order.
        """
        sentences = [(FormulaRef.premise(i).tag, s.strip()) for i, s in enumerate(premises)]
        sentences.append((FormulaRef.conclusion().tag, conclusion.strip()))
        temperature = 0.0 if sample == 0 else self.config.temperature
        fixed = fixed or {}
        draft = _Draft(sentences, fixed, temperature, sample)
        if self.config.style == "compact":
            lines, events = self._ask_block(conversation, draft)
        else:
            lines, events = self._ask_lines(conversation, draft, check)
        return ProgramText(lines, events)

    def _ask_lines(
        self, conversation: Conversation, draft: _Draft, check: LineCheck | None
    ) -> tuple[list[Line], list[TraceEvent]]:
        """One line per turn (style ``"turns"``): the lines and their events.

        Each line is checked as written when ``check`` is given and ``alternatives`` > 0. The
        conclusion's symbols turn, if asked, comes before the line checks."""
        sentences, fixed, temperature, sample = draft
        lines: list[Line] = []
        turns: list[TraceEvent] = []
        checks: list[LineCheckEvent] = []
        for index, (label, sentence) in enumerate(sentences):
            if index in fixed:
                lines.append(Line(label, sentence, fixed[index], 0.0))
                continue
            line, turn = self._ask_line(conversation, lines, label, sentence, temperature, sample)
            if turn is not None:
                turns.append(turn)
            if check is not None and self.config.alternatives:
                line, event = self._checked_line(
                    conversation, lines, line, sample, check, _unreplaced_failures(checks)
                )
                if event is not None:
                    checks.append(event)
            lines.append(line)
        return lines, [*turns, *checks]

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
                template("translate", "refine_line.txt")
                .format(label=target.label, error=error, sentence=target.sentence)
                .strip(),
            )
        )
        lines[index] = self._generate_lines(
            conversation,
            messages,
            target.label,
            target.sentence,
            0.0,
            0,
            _sentence_before(lines[:index]),
        )[0]
        return ProgramText(lines)

    def conclusion_readings(
        self,
        conversation: Conversation,
        program: ProgramText,
        sample: int,
        n: int,
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
        messages = self._line_request(conversation, list(previous), last.label, last.sentence)
        return self._draw_alternatives(
            conversation,
            messages,
            last,
            sample,
            _sentence_before(previous),
            n,
            round_=1 if escalated else 0,
        )

    def _draw_alternatives(
        self,
        conversation: Conversation,
        messages: list[Message],
        line: Line,
        sample: int,
        before: str | None,
        n: int,
        round_: int,
    ) -> list[Line]:
        """``n`` other lines for ``line``'s sentence from ``messages``: round 0 at
        ``temperature``, round 1 at :data:`ESCALATED_TEMPERATURE`, each round with its own seed
        stream (apart from the samples' own seeds)."""
        temperature = (self.config.temperature, ESCALATED_TEMPERATURE)[round_]
        return self._generate_lines(
            conversation,
            messages,
            line.label,
            line.sentence,
            temperature,
            _ALTERNATIVES_SEED * (round_ + 1) + sample,
            before,
            n=n,
        )

    # ------------------------------------------------------------------ helpers

    def _ask_line(
        self,
        conversation: Conversation,
        previous: list[Line],
        label: str,
        sentence: str,
        temperature: float,
        sample: int,
    ) -> tuple[Line, SymbolsEvent | None]:
        """One line after ``previous``; before the conclusion's, its symbols turn where one is
        still to be asked (:meth:`declare_conclusion_symbols`), whose event comes back too."""
        turn = self.declare_conclusion_symbols(conversation, previous) if label == "C" else None
        messages = self._line_request(conversation, previous, label, sentence)
        line = self._generate_lines(
            conversation,
            messages,
            label,
            sentence,
            temperature,
            sample,
            _sentence_before(previous),
        )[0]
        return line, turn

    def _line_request(
        self, conversation: Conversation, previous: list[Line], label: str, sentence: str
    ) -> list[Message]:
        """The messages that ask for one line after ``previous``."""
        messages = self._line_messages(conversation, previous)
        messages.extend(self._turn(conversation, label, sentence))
        return messages

    def _checked_line(
        self,
        conversation: Conversation,
        previous: list[Line],
        line: Line,
        sample: int,
        check: LineCheck,
        failed: set[str],
    ) -> tuple[Line, LineCheckEvent | None]:
        """``line``, or the likeliest sampled alternative when ``line`` fails its checks.

        A line passes when ``check`` accepts it after the lines before it and its words do not
        rule it out (:func:`~neurologic.translate.symbol_scope.words_check`). Otherwise
        ``alternatives`` lines are sampled (again at :data:`ESCALATED_TEMPERATURE` if none
        passes) and the likeliest that passes both is kept. Failing that, a line that failed
        ``check`` takes the likeliest that passes ``check`` alone; a line only its words ruled
        out is kept. The event records every attempt (``None`` when ``line`` passed).

        Lines before it labelled in ``failed`` are left out of the solver's check, so one
        contradiction is not blamed on every line after it."""

        def problems(candidate: Line) -> tuple[str | None, WordsFinding | None]:
            written = [(p.label, p.formula) for p in previous if p.label not in failed]
            if candidate.label == "C":
                solver = check(written, candidate.formula)
            else:
                solver = check([*written, (candidate.label, candidate.formula)], None)
            return solver, words_check(
                conversation.table,
                candidate.sentence,
                candidate.formula,
                previous=before,
                grounding=self.config.grounding != "off",
            )

        def most_probable(candidates: list[Line]) -> Line | None:
            return max(
                candidates,
                default=None,
                key=lambda c: c.logprob if c.logprob is not None else float("-inf"),
            )

        before = _sentence_before(previous)
        by_solver, by_words = problems(line)
        if by_solver is not None:
            problem, found_by = by_solver, "solver"
        elif by_words is not None:
            problem, found_by = by_words.problem, by_words.check
        else:
            return line, None
        messages = self._line_request(conversation, previous, line.label, line.sentence)
        tried: list[dict] = []
        chosen = None
        solver_passing: list[Line] = []
        for round_, temperature in enumerate((self.config.temperature, ESCALATED_TEMPERATURE)):
            drawn = self._draw_alternatives(
                conversation, messages, line, sample, before, self.config.alternatives, round_
            )
            found = [problems(candidate) for candidate in drawn]
            tried += [
                {
                    "formula": c.formula,
                    "logprob": c.logprob,
                    "problem": p or (w.problem if w else None),
                    "temperature": temperature,
                }
                for c, (p, w) in zip(drawn, found)
            ]
            usable = [(c, w) for c, (p, w) in zip(drawn, found) if p is None and c.formula.strip()]
            solver_passing += [c for c, _ in usable]
            chosen = most_probable([c for c, w in usable if w is None])
            if chosen is not None:
                break
        if chosen is None and by_solver is not None:
            chosen = most_probable(solver_passing)
        event = LineCheckEvent(
            sample=sample,
            line=line.label,
            written=line.formula,
            problem=problem,
            found_by=found_by,
            alternatives=tried,
            kept=chosen.formula if chosen is not None else None,
        )
        return (chosen if chosen is not None else line), event

    def _ask_block(
        self, conversation: Conversation, draft: _Draft
    ) -> tuple[list[Line], list[TraceEvent]]:
        """Every formula in one answer (style ``"compact"``); known lines are written for it.
        A line may have at most ``max_tokens_per_line`` tokens: where one runs on, the answer
        ends there, and the lines it did not reach are then asked for one at a time. The
        lines, and the events (the conclusion's symbols turn, if one was asked)."""
        sentences, fixed, temperature, sample = draft
        messages = [*conversation.messages, formulas_request()]
        grammar = None
        if self.use_grammar and conversation.table.predicates:
            grammar = program_grammar(
                [
                    (
                        label,
                        fixed[i]
                        if i in fixed
                        else line_symbols(
                            conversation.table, sentence, sentences[i - 1][1] if i > 0 else None
                        ),
                    )
                    for i, (label, sentence) in enumerate(sentences)
                ]
            )
        request = GenerationRequest(
            messages=tuple(messages),
            max_tokens=self.max_tokens_per_line * len(sentences),
            temperature=temperature,
            seed=self.config.seed + sample,
            grammar=grammar,
            logprobs=True,
            max_line_tokens=self.max_tokens_per_line,
        )
        generation = self.provider.generate([request])[0][0]
        conversation.charge([generation])
        formulas, logprobs = split_block(generation, [label for label, _ in sentences])
        lines: list[Line] = []
        events: list[TraceEvent] = []
        for i, (label, sentence) in enumerate(sentences):
            if i in fixed:
                lines.append(Line(label, sentence, fixed[i], 0.0))
            elif label in formulas:
                lines.append(Line(label, sentence, formulas[label], logprobs.get(label)))
            else:
                line, turn = self._ask_line(
                    conversation, lines, label, sentence, temperature, sample
                )
                lines.append(line)
                if turn is not None:
                    events.append(turn)
        return lines, events

    def _line_messages(self, conversation: Conversation, lines: Sequence[Line]) -> list[Message]:
        messages = list(conversation.messages)
        if self.config.style == "compact":
            written = "\n".join(f"{line.label}: {line.formula}" for line in lines)
            return [*messages, formulas_request(), Message("assistant", written)]
        for line in lines:
            messages.extend(self._turn(conversation, line.label, line.sentence))
            messages.append(Message("assistant", line.formula))
        return messages

    def _turn(self, conversation: Conversation, label: str, sentence: str) -> list[Message]:
        """The user messages that ask for one line (the conclusion's symbol turn before C)."""
        ask = Message(
            "user",
            template("translate", "line_request.txt")
            .format(label=label, sentence=sentence)
            .strip(),
        )
        if label == "C" and conversation.conclusion_turn is not None:
            return [*conversation.conclusion_turn, ask]
        return [ask]

    def _generate_lines(
        self,
        conversation: Conversation,
        messages: list[Message],
        label: str,
        sentence: str,
        temperature: float,
        sample: int,
        previous: str | None = None,
        n: int = 1,
    ) -> list[Line]:
        grammar = None
        if self.use_grammar and conversation.table.predicates:
            grounded = self.config.grounding == "grammar"
            symbols = (grounded_line_symbols if grounded else line_symbols)(
                conversation.table, sentence, previous
            )
            grammar = formula_grammar(symbols)
        request = GenerationRequest(
            messages=tuple(messages),
            max_tokens=self.max_tokens_per_line,
            temperature=temperature,
            n=n,
            seed=self.config.seed + sample,
            stop=("\n",),
            grammar=grammar,
            logprobs=True,
        )
        generations = self.provider.generate([request])[0]
        conversation.charge(generations)
        return [Line(label, sentence, strip_label(g.text), g.total_logprob) for g in generations]

    def _examples(self, sentences: Sequence[str]) -> str:
        example = anchor_example().render(unary_glosses=self.config.style != "compact")
        parts = ["Example (another problem: do not reuse its symbols).", example]
        if self.retrieved_examples:
            pairs = self.retriever.nearest(list(sentences), self.retrieved_examples)
            if pairs:
                parts.append("More sentences translated in the same style (from other problems):")
                parts += [f"{s} => {f}" for s, f in pairs]
        return "\n".join(parts) + "\n"


def _unreplaced_failures(checks: Sequence[LineCheckEvent]) -> set[str]:
    """The lines that failed the solver's check with no alternative to replace them."""
    return {c.line for c in checks if c.kept is None and c.found_by == "solver"}


def _symbols_turn(ask: Message, answer: str, notes: list[str], named: list[str]) -> SymbolsTurn:
    """A symbols turn as the conversation keeps it: ``named`` (the names the text uses that the
    answer left out) appended to the answer, and noted."""
    return SymbolsTurn(
        ask,
        Message("assistant", with_constants(answer, named)),
        notes=tuple(notes + added_notes(named)),
        added_constants=tuple(named),
    )


def _sentence_before(previous: Sequence[Line]) -> str | None:
    """The sentence of the line before the one asked for: what a pronoun in it may refer to."""
    return previous[-1].sentence if previous else None
