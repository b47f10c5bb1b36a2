"""Grounding: a formula's symbols must be licensed by its sentence's words (sentences written for
these tests), and an answer whose proof uses a formula that says more than its sentence says so."""

from __future__ import annotations

import pytest

from neurologic import Reasoner
from neurologic.language.grounding import sentence_lemmas, symbol_words, ungrounded_symbols


@pytest.mark.parametrize("sentence, formula, extra", [
    # over-translation: a property the sentence never states
    ("Mira is a violinist.", "Musician(mira) ∧ Violinist(mira)", ["Musician"]),
    ("Every kettle in the shop is copper.", "∀x (Kettle(x) → Copper(x) ∧ Cheap(x))", ["Cheap"]),
    # an individual the sentence does not name
    ("The lighthouse keeper sleeps by day.", "SleepsByDay(oskar)", ["oskar"]),
])
def test_a_formula_that_says_more_than_its_sentence_is_caught(sentence, formula, extra):
    assert ungrounded_symbols(sentence, formula) == extra


@pytest.mark.parametrize("sentence, formula", [
    # inflections and lemmas: plural, past tense, third person
    ("All otters swam across the rivers.", "∀x (Otter(x) → SwimAcross(x, river))"),
    ("Lena teaches children.", "∀x (Child(x) → Teaches(lena, x))"),
    # a multi-word name and a derived adjective sharing its first letters
    ("Paulo Ortega holds a tenure at the college.", "Tenured(paulo_ortega)"),
    # function words in a predicate's name do not count
    ("No ferry is on time.", "∀x (Ferry(x) → ¬IsOnTime(x))"),
    # half of a compound name is enough
    ("Quill writes novels for teenagers.", "WritesNovelsForYoungTeenagers(quill)"),
])
def test_a_paraphrase_that_keeps_to_the_words_passes(sentence, formula):
    assert ungrounded_symbols(sentence, formula) == []


def test_a_pronoun_lets_the_sentence_before_it_name_the_individual():
    before = "Tomas repairs old clocks."
    assert ungrounded_symbols("He sells them at the market.", "SellsAtMarket(tomas)",
                              previous=before) == []
    assert ungrounded_symbols("Clocks tick.", "Ticks(tomas)", previous=before) == ["tomas"]


def test_words_and_lemmas():
    assert {"geese", "goose", "ran", "run"} <= sentence_lemmas("Geese ran.")
    assert symbol_words("IsAFriendOf") == ["friend"]
    assert ungrounded_symbols("Anything.", "Broken((") == []  # a parse error speaks for itself


def test_the_answer_says_when_a_proof_uses_an_ungrounded_formula():
    premises = ["All herons are birds.", "Pim is a heron.", "Birds have feathers."]
    answer = Reasoner().solve_fol(
        ["∀x (Heron(x) → Bird(x))", "Heron(pim) ∧ Bird(pim)", "∀x (Bird(x) → HasFeathers(x))"],
        "HasFeathers(pim)", premises=premises,
    )
    assert answer.label == "True"
    used = {u.index: u for u in answer.premises_used}
    assert used[1].ungrounded == ["Bird"] and used[1].grounded is False
    assert used[2].grounded is True and 0 not in used  # the first premise was skipped
    assert ("Premise 2's formula says more than its sentence: Bird is not in its words"
            in answer.explain())
    faithful = Reasoner().solve_fol(
        ["∀x (Heron(x) → Bird(x))", "Heron(pim)", "∀x (Bird(x) → HasFeathers(x))"],
        "HasFeathers(pim)", premises=premises,
    )
    assert [u.index for u in faithful.premises_used] == [0, 1, 2]
    assert all(u.grounded for u in faithful.premises_used)
    assert "says more than its sentence" not in faithful.explain()
    assert Reasoner().solve_fol(["Heron(pim) ∧ Bird(pim)"], "Bird(pim)").premises_used[0].grounded is None
