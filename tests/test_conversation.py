"""The conversation's state changes only through its own methods, and a program's events are
what writing it made."""

from __future__ import annotations

import pytest

from neurologic import Reasoner
from neurologic import ReasonerConfig
from neurologic.providers.base import Message
from neurologic.providers.scripted import ScriptedProvider
from neurologic.symbols import SymbolTable
from neurologic.translate import Conversation
from neurologic.translate import SymbolsTurn
from solvers import NeurologicError
from tests.helpers import drawn_for_the_third_premise

PREMISES = ["All dogs are animals.", "Rex is a dog.", "Tom is a cat."]
CONCLUSION = "Rex is an animal."
SYMBOLS = "Dog(x): x is a dog\nAnimal(x): x is an animal\nCat(x): x is a cat\nconstants: rex, tom"
GOOD = ["∀x (Dog(x) → Animal(x))", "Dog(rex)", "Cat(tom)", "Animal(rex)"]
LISTED = "Animal(x): x is an animal\nconstants: rex"


def _turn(answer: str) -> SymbolsTurn:
    return SymbolsTurn(
        Message("user", "Symbols?"),
        Message("assistant", answer),
        notes=("a note",),
        added_constants=("rex",),
    )


def test_the_conclusion_symbols_are_declared_once_and_only_when_awaited():
    table = SymbolTable({"Dog": (1, "x is a dog")}, {"rex": "Rex"})
    whole = Conversation(Message("system", "S"), _turn("Dog(x)"), table)
    assert not whole.awaits_conclusion_symbols
    with pytest.raises(NeurologicError, match="once"):
        whole.declare_conclusion(_turn("none"), table)

    conversation = Conversation(
        Message("system", "S"), _turn("Dog(x)"), table, conclusion="Rex is a dog."
    )
    assert conversation.awaits_conclusion_symbols and conversation.conclusion_turn is None
    wider = table.merge(SymbolTable({"Animal": (1, "x is an animal")}, {}))
    conversation.declare_conclusion(_turn("Animal(x)"), wider)
    assert conversation.table is wider and not conversation.awaits_conclusion_symbols
    assert [m.content for m in conversation.conclusion_turn] == ["Symbols?", "Animal(x)"]
    with pytest.raises(NeurologicError, match="once"):
        conversation.declare_conclusion(_turn("Animal(x)"), wider)


def test_the_messages_are_read_not_changed_from_outside():
    conversation = Conversation(Message("system", "S"), _turn("Dog(x)"), SymbolTable({}, {}))
    conversation.messages.append(Message("user", "more"))
    assert [m.role for m in conversation.messages] == ["system", "user", "assistant"]
    event = conversation.symbols_event().model_dump(mode="json")
    assert event == {
        "step": "symbols",
        "output": "Dog(x)",
        "notes": ["a note"],
        "added_constants": ["rex"],
    }


def test_a_programs_events_put_the_conclusion_turn_before_its_line_checks():
    drawn = drawn_for_the_third_premise()
    provider = ScriptedProvider(
        [
            SYMBOLS,
            GOOD[0],
            GOOD[1],
            "¬Animal(rex)",
            *drawn,
            LISTED,
            GOOD[3],  # sample 0
            *GOOD,  # sample 1: the conclusion's symbols turn is not asked again
        ]
    )
    two_samples_declared_from_the_premises = ReasonerConfig(
        solver="z3",
        parser="llm",
        samples=2,
        sample_more="always",
        declare="premises",
        alternatives=4,
        readings=0,
    )
    reasoner = Reasoner(provider=provider, config=two_samples_declared_from_the_premises)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    steps = [(event.step, getattr(event, "sample", None)) for event in answer.trace]
    assert steps == [
        ("symbols", None),
        ("conclusion_symbols", None),
        ("line_check", 0),
        ("formulas", 0),
        ("formulas", 1),
    ]
    assert provider.remaining == 0 and answer.label == "True"
    assert reasoner.translator.config is reasoner.config
