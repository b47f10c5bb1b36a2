"""Translate → solve → refine → vote with a scripted provider (pipeline logic only)."""

from __future__ import annotations

import pytest

from neurologic import Reasoner
from neurologic.gbnf import program_grammar
from neurologic.providers.base import GRAMMAR
from neurologic.providers.scripted import ScriptedProvider
from neurologic.symbols import parse_symbol_table
from solvers import NeurologicError

PREMISES = ["All dogs are animals.", "Rex is a dog.", "Tom is a cat."]
CONCLUSION = "Rex is an animal."
SYMBOLS = "Dog(x): x is a dog\nAnimal(x): x is an animal\nCat(x): x is a cat\nconstants: rex, tom"
GOOD = "P1: ∀x (Dog(x) → Animal(x))\nP2: Dog(rex)\nP3: Cat(tom)\nC: Animal(rex)"


def _reasoner(script, **options):
    provider = ScriptedProvider(script)
    return provider, Reasoner(provider=provider, solver="z3", **options)


def test_symbols_then_formulas_then_proof():
    provider, reasoner = _reasoner([SYMBOLS, GOOD])
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert (answer.label, answer.method) == ("True", "symbolic")
    assert [u.sentence for u in answer.premises_used] == PREMISES[:2]
    assert answer.usage["calls"] == 2
    # The formula request continues the symbol conversation.
    second = provider.requests[1].messages
    assert second[-2].role == "assistant" and "Dog(x)" in second[-2].content
    assert "Rex is a dog." in provider.requests[0].messages[1].content
    assert [t["step"] for t in answer.trace] == ["symbols", "formulas"]


@pytest.mark.parametrize(
    "bad, expected_in_feedback",
    [
        ("P1: ∀x (Dog(x) → Animal(x))\nP2: Dog(rex)\nP3: Cat(tom\nC: Animal(rex) Q", "side by side"),
        ("P1: ∀x (Dog(x) → Animal(x))\nP2: Dog(rex, tom)\nP3: Cat(tom)\nC: Animal(rex)", "takes 1 argument"),
        ("P1: ∀x (Dog(x) → Animal(x))\nP2: Dog(rex)\nC: Animal(rex)", "missing formula lines: P3"),
        ("P1: ∀x (Dog(x) → ¬Dog(x))\nP2: Dog(rex)\nP3: Cat(tom)\nC: Animal(rex)", "contradict each other"),
        ("P1: ∀x (Dog(x) → Animal(x))\nP2: Dog(x)\nP3: Cat(tom)\nC: Animal(rex)", "free variable"),
    ],
)
def test_each_error_class_triggers_a_round_with_its_message(bad, expected_in_feedback):
    provider, reasoner = _reasoner([SYMBOLS, bad, GOOD])
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label == "True"
    feedback = provider.requests[2].messages[-1].content
    assert expected_in_feedback in feedback
    assert provider.requests[2].messages[-2].content == bad
    assert [t["round"] for t in answer.trace[1:]] == [0, 1]
    assert answer.trace[1]["status"] != "ok" and answer.trace[2]["status"] == "ok"


def test_a_model_that_never_fixes_it_ends_in_a_recorded_failure():
    bad = "P1: Dog(rex) Dog(tom)\nP2: Dog(rex)\nP3: Cat(tom)\nC: Animal(rex)"
    provider, reasoner = _reasoner([SYMBOLS] + [bad] * 4, refine_rounds=3)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label is None and answer.status == "no_executable_sample"
    assert len(answer.trace) == 1 + 4 and all(t["status"] == "parse_error" for t in answer.trace[1:])
    assert "side by side" in answer.samples[0].error
    assert provider.remaining == 0


def test_samples_are_voted():
    uncertain = "P1: ∀x (Dog(x) → Animal(x))\nP2: Dog(tom)\nP3: Cat(tom)\nC: Animal(rex)"
    provider, reasoner = _reasoner([SYMBOLS, uncertain, GOOD, GOOD], samples=3, refine_rounds=0)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.votes == {"Uncertain": 1, "True": 2} and answer.label == "True"
    assert answer.confidence == pytest.approx(2 / 3)
    assert provider.requests[1].temperature == 0.0 and provider.requests[2].temperature > 0
    assert provider.requests[2].n == 2


def test_grammar_is_sent_only_to_providers_that_take_one():
    provider = ScriptedProvider([SYMBOLS, GOOD], capabilities={"chat", GRAMMAR})
    Reasoner(provider=provider, solver="z3").solve(PREMISES, CONCLUSION)
    assert provider.requests[0].grammar and "pred-line" in provider.requests[0].grammar
    assert provider.requests[1].grammar == program_grammar(parse_symbol_table(SYMBOLS)[0], 3)
    plain = ScriptedProvider([SYMBOLS, GOOD])
    Reasoner(provider=plain, solver="z3").solve(PREMISES, CONCLUSION)
    assert plain.requests[0].grammar is None and plain.requests[1].grammar is None


def test_bad_input_is_a_clear_error():
    _, reasoner = _reasoner([])
    with pytest.raises(NeurologicError, match="non-empty"):
        reasoner.solve([], CONCLUSION)
    with pytest.raises(NeurologicError, match="conclusion"):
        reasoner.solve(PREMISES, "  ")
    with pytest.raises(NeurologicError, match="no provider"):
        Reasoner(solver="z3").solve(PREMISES, CONCLUSION)
