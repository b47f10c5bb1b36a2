"""Grounding: a formula's symbols must be licensed by its sentence's words (sentences written for
these tests), and an answer whose proof uses a formula that says more than its sentence says so."""

from __future__ import annotations

import pytest

from neurologic import ConfigError
from neurologic import Reasoner
from neurologic import ReasonerConfig
from neurologic.gbnf import formula_grammar
from neurologic.language.licensing import SentenceWords
from neurologic.language.licensing import sentence_lemmas
from neurologic.language.licensing import symbol_words
from neurologic.language.licensing import ungrounded_symbols
from neurologic.providers.base import GRAMMAR
from neurologic.providers.base import Generation
from neurologic.providers.base import TokenLogprob
from neurologic.providers.base import Usage
from neurologic.providers.scripted import ScriptedProvider
from neurologic.symbols import parse_symbol_table
from neurologic.translate import grounded_line_symbols


@pytest.mark.parametrize(
    "sentence, formula, extra",
    [
        # over-translation: a property the sentence never states
        ("Mira is a violinist.", "Musician(mira) ∧ Violinist(mira)", ["Musician"]),
        ("Every kettle in the shop is copper.", "∀x (Kettle(x) → Copper(x) ∧ Cheap(x))", ["Cheap"]),
        # an individual the sentence does not name
        ("The lighthouse keeper sleeps by day.", "SleepsByDay(oskar)", ["oskar"]),
    ],
)
def test_a_formula_that_says_more_than_its_sentence_is_caught(sentence, formula, extra):
    assert ungrounded_symbols(sentence, formula) == extra


@pytest.mark.parametrize(
    "sentence, formula",
    [
        # inflections and lemmas: plural, past tense, third person
        ("All otters swam across the rivers.", "∀x (Otter(x) → SwimAcross(x, river))"),
        ("Lena teaches children.", "∀x (Child(x) → Teaches(lena, x))"),
        # a multi-word name and a derived adjective sharing its first letters
        ("Paulo Ortega holds a tenure at the college.", "Tenured(paulo_ortega)"),
        # function words in a predicate's name do not count
        ("No ferry is on time.", "∀x (Ferry(x) → ¬IsOnTime(x))"),
        # half of a compound name is enough
        ("Quill writes novels for teenagers.", "WritesNovelsForYoungTeenagers(quill)"),
        # an abbreviation of a run of the sentence's words, "of" left out
        ("The Royal Society of Painters meets in Leeds.", "MeetsIn(rsp, leeds)"),
        ("Dara bought a Game Box 3 console.", "Bought(dara, gb3)"),
        # a place given by a preposition, a year by its number, a month by its name
        ("The mill stands in Tarrow.", "LocatedIn(mill, tarrow)"),
        ("The bridge opened in 1961.", "Opened(bridge) ∧ Year(y1961)"),
        ("The fair ends in October.", "Ends(fair, october) ∧ Month(october)"),
    ],
)
def test_a_paraphrase_that_keeps_to_the_words_passes(sentence, formula):
    assert ungrounded_symbols(sentence, formula) == []


@pytest.mark.parametrize(
    "sentence, formula, extra",
    [
        # an abbreviation needs the starts of two consecutive words, in order
        ("The Royal Society of Painters meets in Leeds.", "MeetsIn(psr, leeds)", ["psr"]),
        ("Ravi paints.", "Paints(ravi) ∧ Admires(pr, ravi)", ["Admires", "pr"]),
        # no number in the sentence, no year; no month named, no month
        ("The bridge opened last spring.", "Opened(bridge) ∧ Year(y1961)", ["Year", "y1961"]),
        ("The fair ends soon.", "Ends(fair) ∧ Month(october)", ["Month", "october"]),
    ],
)
def test_the_abbreviation_and_date_rules_do_not_license_what_is_not_there(sentence, formula, extra):
    assert ungrounded_symbols(sentence, formula) == extra


def test_a_pronoun_lets_the_sentence_before_it_name_the_individual():
    before = "Tomas repairs old clocks."
    assert (
        ungrounded_symbols("He sells them at the market.", "SellsAtMarket(tomas)", previous=before)
        == []
    )
    assert ungrounded_symbols("Clocks tick.", "Ticks(tomas)", previous=before) == ["tomas"]


def test_a_sentence_s_words_are_built_once():
    before = "Tomas repairs old clocks."
    assert SentenceWords.of("Clocks tick.") is SentenceWords.of("Clocks tick.", before)
    with_pronoun = SentenceWords.of("He sells them.", before)
    assert SentenceWords.of("He sells them.", before) is with_pronoun
    assert SentenceWords.of("He sells them.") is not with_pronoun
    assert with_pronoun.licenses_constant("tomas")


def test_words_and_lemmas():
    assert {"geese", "goose", "ran", "run"} <= sentence_lemmas("Geese ran.")
    assert symbol_words("IsAFriendOf") == ["friend"]
    assert ungrounded_symbols("Anything.", "Broken((") == []  # a parse error speaks for itself


def test_the_answer_says_when_a_proof_uses_an_ungrounded_formula():
    premises = ["All herons are birds.", "Pim is a heron.", "Birds have feathers."]
    answer = Reasoner().solve_fol(
        ["∀x (Heron(x) → Bird(x))", "Heron(pim) ∧ Bird(pim)", "∀x (Bird(x) → HasFeathers(x))"],
        "HasFeathers(pim)",
        premises=premises,
    )
    assert answer.label == "True"
    used = {u.index: u for u in answer.premises_used}
    assert used[1].ungrounded == ["Bird"] and used[1].grounded is False
    assert used[2].grounded is True and 0 not in used  # the first premise was skipped
    assert (
        "Premise 2's formula says more than its sentence: Bird is not in its words"
        in answer.explain()
    )
    faithful = Reasoner().solve_fol(
        ["∀x (Heron(x) → Bird(x))", "Heron(pim)", "∀x (Bird(x) → HasFeathers(x))"],
        "HasFeathers(pim)",
        premises=premises,
    )
    assert [u.index for u in faithful.premises_used] == [0, 1, 2]
    assert all(u.grounded for u in faithful.premises_used)
    assert "says more than its sentence" not in faithful.explain()
    assert (
        Reasoner().solve_fol(["Heron(pim) ∧ Bird(pim)"], "Bird(pim)").premises_used[0].grounded
        is None
    )


# --- grounding as a line check (``grounding="redraw"`` / ``"grammar"``), scripted provider ---

HERONS = ["All herons are birds.", "Pim is a heron.", "Birds have feathers."]
HERON_SYMBOLS = (
    "Heron(x): x is a heron\nBird(x): x is a bird\nHasFeathers(x): x has feathers\nconstants: pim"
)
HERON_LINES = [
    "∀x (Heron(x) → Bird(x))",
    "Heron(pim)",
    "∀x (Bird(x) → HasFeathers(x))",
    "HasFeathers(pim)",
]
SMUGGLED = "Heron(pim) ∧ Bird(pim)"


def _scored(text: str, logprob: float) -> Generation:
    return Generation(text, "stop", (TokenLogprob(text, logprob),), Usage(0, 1))


def _heron_reasoner(script, **options):
    provider = ScriptedProvider(script)
    options = {
        "samples": 1,
        "declare": "problem",
        "alternatives": 2,
        "readings": 0,
        "parser": "llm",
        **options,
    }
    return provider, Reasoner(provider=provider, solver="z3", **options)


def _line_checks(answer):
    return [e.model_dump(mode="json") for e in answer.trace if e.step == "line_check"]


def test_an_over_translated_line_is_redrawn_and_the_grounded_alternative_kept():
    script = [
        HERON_SYMBOLS,
        HERON_LINES[0],
        SMUGGLED,
        _scored(SMUGGLED, -0.5),
        _scored("Heron(pim)", -1.5),
        *HERON_LINES[2:],
    ]
    provider, reasoner = _heron_reasoner(script, grounding="redraw")
    answer = reasoner.solve(HERONS, "Pim has feathers.")
    assert provider.remaining == 0
    assert answer.samples[0].premises[1] == "Heron(pim)"
    assert [u.index for u in answer.premises_used] == [0, 1, 2]
    (check,) = _line_checks(answer)
    assert (check["line"], check["found_by"], check["kept"]) == ("P2", "grounding", "Heron(pim)")
    assert check["problem"] == "the formula says more than its sentence: Bird is not in its words"
    assert (
        f"Redrawn: P2 was first written {SMUGGLED}, refused (the formula says more than its "
        "sentence: Bird is not in its words), and replaced by Heron(pim)"
    ) in answer.explain()


def test_without_the_check_the_same_lines_prove_it_for_the_wrong_reason():
    script = [HERON_SYMBOLS, HERON_LINES[0], SMUGGLED, *HERON_LINES[2:]]
    provider, reasoner = _heron_reasoner(script)  # grounding="off", the default
    answer = reasoner.solve(HERONS, "Pim has feathers.")
    assert provider.remaining == 0 and _line_checks(answer) == []
    assert [u.index for u in answer.premises_used] == [1, 2]
    assert "Premise 2's formula says more than its sentence" in answer.explain()


def test_a_line_no_grounded_alternative_replaces_is_kept_and_flagged():
    script = [HERON_SYMBOLS, HERON_LINES[0], SMUGGLED, *[SMUGGLED] * 4, *HERON_LINES[2:]]
    provider, reasoner = _heron_reasoner(script, grounding="redraw")
    answer = reasoner.solve(HERONS, "Pim has feathers.")
    assert provider.remaining == 0  # two drawn, two more hotter, then the line stays
    assert answer.samples[0].premises[1] == SMUGGLED and answer.label == "True"
    (check,) = _line_checks(answer)
    assert (check["found_by"], check["kept"], len(check["alternatives"])) == ("grounding", None, 4)
    assert (
        "Premise 2's formula says more than its sentence: Bird is not in its words"
        in answer.explain()
    )


def test_a_pronoun_line_may_use_what_the_sentence_before_names():
    premises = ["Pim is a heron.", "It has feathers."]
    symbols = "Heron(x): x is a heron\nHasFeathers(x): x has feathers\nconstants: pim"
    provider, reasoner = _heron_reasoner(
        [symbols, "Heron(pim)", "HasFeathers(pim)", "HasFeathers(pim)"], grounding="redraw"
    )
    answer = reasoner.solve(premises, "Pim has feathers.")
    assert provider.remaining == 0 and _line_checks(answer) == []


def test_a_reading_of_the_conclusion_must_keep_to_its_words():
    premises = ["All herons are birds.", "Pim is a heron."]
    symbols = (
        "Heron(x): x is a heron\nBird(x): x is a bird\nWader(x): x is a wader\n"
        "Swims(x): x swims\nconstants: pim"
    )
    # "Pim is a wader." is undecided; a reading that swaps in Bird(pim) is decided but not a
    # reading of the sentence, and Swims(pim) is neither; none fits, so two more are drawn hotter.
    script = [
        symbols,
        "∀x (Heron(x) → Bird(x))",
        "Heron(pim)",
        "Wader(pim)",
        "Bird(pim)",
        "Swims(pim)",
        "Bird(pim)",
        "Wader(pim)",
    ]
    provider, reasoner = _heron_reasoner(
        script, grounding="redraw", alternatives=0, readings=2, fallback=False
    )
    answer = reasoner.solve(premises, "Pim is a wader.")
    assert provider.remaining == 0
    assert answer.label == "Uncertain" and answer.samples[0].conclusion == "Wader(pim)"
    (step,) = [e for e in answer.trace if e.step == "readings"]
    assert step.kept is None
    assert [r["set_aside"] for r in step.readings] == [
        "the formula says more than its sentence: Bird is not in its words",
        "the formula says more than its sentence: Swims is not in its words",
        "the formula says more than its sentence: Bird is not in its words",
        "the first reading again",
    ]
    # without the check the swapped-in reading decides it
    provider, reasoner = _heron_reasoner(script, alternatives=0, readings=2, fallback=False)
    assert reasoner.solve(premises, "Pim is a wader.").label == "True"


def test_with_grammar_a_line_is_offered_only_the_predicates_its_sentence_licenses():
    table, _ = parse_symbol_table(HERON_SYMBOLS)
    symbols = grounded_line_symbols(table, "Pim is a heron.")
    assert set(symbols.predicates) == {"Heron"} and set(symbols.constants) == {"pim"}
    assert set(grounded_line_symbols(table, "All herons are birds.").predicates) == {
        "Heron",
        "Bird",
    }
    # nothing licensed: every predicate stays on offer, so a formula can still be written
    assert set(grounded_line_symbols(table, "Pim glows.").predicates) == set(table.predicates)

    provider = ScriptedProvider([HERON_SYMBOLS, *HERON_LINES], capabilities={"chat", GRAMMAR})
    reasoner = Reasoner(
        provider=provider,
        solver="z3",
        parser="llm",
        samples=1,
        declare="problem",
        readings=0,
        grounding="grammar",
    )
    assert reasoner.solve(HERONS, "Pim has feathers.").label == "True"
    grammar = provider.requests[2].grammar  # the line for "Pim is a heron."
    assert '"Heron"' in grammar and '"Bird"' not in grammar
    assert formula_grammar(table) != grammar


def test_grounding_takes_one_of_its_modes_and_needs_turns():
    with pytest.raises(ConfigError, match="grounding: unknown grounding mode 'strict'"):
        ReasonerConfig(grounding="strict")
    with pytest.raises(ConfigError, match="needs style='turns'"):
        ReasonerConfig(grounding="redraw", style="compact")
    assert ReasonerConfig().grounding == "off"
