"""Multiple-choice questions the solver can settle: "which must be true / can be inferred / must
be false / cannot be true?".

Each option is checked as a conclusion against the context's sentences. For a *must be true*
question an entailed option is the answer and a refuted one is ruled out; for a *must be false*
question the other way round. Anything else (undetermined, untranslatable, a solver error) is left
to the scorer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Sequence
from typing import Literal

from solvers.errors import NeurologicError

from ..answer import Answer
from ..trace import OptionCheckEvent
from ..trace import TraceEvent

QuestionKind = Literal["entailed", "refuted"]
Outcome = Literal["answer", "ruled_out"]

_REFUTED = re.compile(
    r"\b(must be false|cannot be true|can ?not be true|can't be true|could not be true|"
    r"impossible)\b",
    re.IGNORECASE,
)
_ENTAILED = re.compile(
    r"\b(must (also )?be true|can be (logically )?(inferred|derived|deduced|concluded)|"
    r"(logically )?follows? from|must hold)\b",
    re.IGNORECASE,
)
_EXCEPT = re.compile(r"\bexcept\b|\bEXCEPT\b")


def question_kind(question: str) -> QuestionKind | None:
    """Whether the question asks for an entailed option, a refuted one, or neither (None).

    "Except" questions invert the ask and are left to the scorer."""
    if _EXCEPT.search(question):
        return None
    if _REFUTED.search(question):
        return "refuted"
    if _ENTAILED.search(question):
        return "entailed"
    return None


def settle_options(
    solve: Callable[[Sequence[str], str], Answer],
    sentences: Sequence[str],
    options: Sequence[str],
    kind: QuestionKind,
    trace: list[TraceEvent],
) -> dict[int, Outcome]:
    """Check each option against ``sentences`` with ``solve`` (the Reasoner's symbolic path: no
    fallback).

    Returns the options the proofs settle: ``"answer"`` or ``"ruled_out"``. Every check is added
    to ``trace``."""
    settled: dict[int, Outcome] = {}
    for index, option in enumerate(options):
        try:
            answer = solve(sentences, option)
        except NeurologicError as error:
            trace.append(OptionCheckEvent(option=index, error=str(error)))
            continue
        verdict = answer.label if answer.method == "symbolic" else None
        trace.append(OptionCheckEvent(option=index, verdict=verdict, usage=answer.usage))
        if verdict == "True":
            settled[index] = "answer" if kind == "entailed" else "ruled_out"
        elif verdict == "False":
            settled[index] = "ruled_out" if kind == "entailed" else "answer"
    return settled
