"""Small builders shared by several test modules: benchmark-runner flags and scripted lines."""

from __future__ import annotations

from neurologic.providers.base import Generation
from neurologic.providers.base import TokenLogprob
from neurologic.providers.base import Usage


def cnl_proofwriter_args(subset: str, limit: int) -> list[str]:
    """Runner flags for ProofWriter through the controlled-English grammar: no model is called."""
    return [
        "--dataset",
        "proofwriter",
        "--subset",
        subset,
        "--parser",
        "cnl",
        "--limit",
        str(limit),
    ]


def logiqa2_row(
    id: int, answer: int, text: str, question: str, options: list[str], kinds: dict[str, bool]
) -> dict:
    """One line of a LogiQA 2.0 file, as the dataset writes it (``type``: its reasoning kinds)."""
    return {
        "id": id,
        "answer": answer,
        "text": text,
        "question": question,
        "options": options,
        "type": kinds,
    }


def scored(text: str, logprob: float) -> Generation:
    """A scripted line with the model's log-probability of it."""
    return Generation(text, "stop", (TokenLogprob(text, logprob),), Usage(0, 1))


def drawn_for_the_third_premise() -> list[Generation]:
    """Four draws for P3 ("Tom is a cat."), likeliest first: one that contradicts P1-P2, one that
    does not parse, Cat(tom), and a conjunction."""
    return [
        scored("¬Animal(rex)", -0.5),
        scored("Cat(tom) ∧ Animal(tom)", -3.0),
        scored("Cat(tom)", -2.0),
        scored("Cat(tom) Q", -1.0),
    ]
