"""Translate → solve → refine → vote with a scripted provider (pipeline logic only)."""

from __future__ import annotations

import pytest

from neurologic import Reasoner
from neurologic.decide.execute import formalization_problem
from neurologic.gbnf import formula_grammar
from neurologic.language.names import is_named
from neurologic.language.names import named_spans
from neurologic.language.names import text_names
from neurologic.providers.base import GRAMMAR
from neurologic.providers.base import Generation
from neurologic.providers.base import TokenLogprob
from neurologic.providers.scripted import ScriptedProvider
from neurologic.symbols import parse_symbol_table
from neurologic.translate import ESCALATED_TEMPERATURE
from neurologic.translate import line_symbols
from neurologic.translate import relevant_symbols
from neurologic.translate import with_constants
from neurologic.translate import with_text_names
from neurologic.translate import words_problem
from solvers import NeurologicError
from solvers import get_solver
from tests.helpers import drawn_for_the_third_premise
from tests.helpers import scored

PREMISES = ["All dogs are animals.", "Rex is a dog.", "Tom is a cat."]
CONCLUSION = "Rex is an animal."
SYMBOLS = "Dog(x): x is a dog\nAnimal(x): x is an animal\nCat(x): x is a cat\nconstants: rex, tom"
GOOD = ["∀x (Dog(x) → Animal(x))", "Dog(rex)", "Cat(tom)", "Animal(rex)"]


def _steps(answer):
    """The answer's trace as saved (JSON objects keyed by step)."""
    return [event.model_dump(mode="json") for event in answer.trace]


def _reasoner(script, **options):
    """A Reasoner on a scripted provider; the script follows ``declare="problem"`` (the table
    from every sentence, no conclusion turn) and has no lines checked as they are written
    (``alternatives=0``: failures go to refinement) and draws no other readings of an undecided
    conclusion (``readings=0``), and translates once (``samples=1``; more are voted by majority,
    drawn always) unless the test says otherwise."""
    provider = ScriptedProvider(script)
    options.setdefault("samples", 1)
    options.setdefault("vote", "majority")
    options.setdefault("sample_more", "always")
    options.setdefault("declare", "problem")
    options.setdefault("alternatives", 0)
    options.setdefault("readings", 0)
    return provider, Reasoner(provider=provider, solver="z3", parser="llm", **options)


def test_symbols_then_one_sentence_per_turn_then_proof():
    provider, reasoner = _reasoner([SYMBOLS, *GOOD])
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert (answer.label, answer.method) == ("True", "symbolic")
    assert [u.sentence for u in answer.premises_used] == PREMISES[:2]
    assert answer.usage["calls"] == 5
    assert "Rex is a dog." in provider.requests[0].messages[1].content
    # Each sentence turn continues the conversation: symbols, then the earlier answers.
    last = provider.requests[4].messages
    assert last[2].role == "assistant" and "Dog(x)" in last[2].content
    assert last[-1].content == "C: Rex is an animal."
    assert [m.content for m in last if m.role == "assistant"][1:] == GOOD[:3]
    assert all(r.stop == ("\n",) for r in provider.requests[1:])
    assert [t["step"] for t in _steps(answer)] == ["symbols", "formulas"]


def test_labels_echoed_by_the_model_are_stripped():
    _, reasoner = _reasoner([SYMBOLS, "P1: " + GOOD[0], "P2. Dog(rex)", GOOD[2], "C: Animal(rex)"])
    assert reasoner.solve(PREMISES, CONCLUSION).label == "True"


@pytest.mark.parametrize(
    "line, bad, expected_in_feedback",
    [
        (2, "Cat(tom", None),  # repaired silently, no round
        (2, "Cat(tom) Q", "side by side"),
        (1, "Dog(rex, tom)", "takes 1 argument"),
        (2, "", "no formula written for P3"),
        (1, "Dog(x)", "free variable"),
        (3, "∀x (Animal(x) ∧ ¬Animal(x))", None),  # a false conclusion is an answer, not an error
    ],
)
def test_a_failed_line_is_asked_again_with_its_exact_error(line, bad, expected_in_feedback):
    lines = list(GOOD)
    lines[line] = bad
    provider, reasoner = _reasoner([SYMBOLS, *lines, GOOD[line]])
    answer = reasoner.solve(PREMISES, CONCLUSION)
    if expected_in_feedback is None:
        assert provider.remaining == 1 and answer.label in ("True", "False")
        return
    assert answer.label == "True"
    feedback = provider.requests[5].messages[-1].content
    assert expected_in_feedback in feedback
    assert f"Write the formula for {['P1', 'P2', 'P3', 'C'][line]} again" in feedback
    assert [t["round"] for t in _steps(answer)[1:]] == [0, 1]


def test_contradictory_premises_send_back_a_line_of_the_contradiction():
    lines = ["∀x (Dog(x) → Animal(x))", "Dog(rex)", "¬Animal(rex)", "Animal(rex)"]
    provider, reasoner = _reasoner([SYMBOLS, *lines, "Cat(tom)"])
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert "contradict each other" in provider.requests[5].messages[-1].content
    assert "P3" in provider.requests[5].messages[-1].content.splitlines()[-1]
    assert answer.label == "True"


def test_a_model_that_never_fixes_it_ends_in_a_recorded_failure():
    provider, reasoner = _reasoner(
        [SYMBOLS, "Dog(rex) Dog(tom)", *GOOD[1:], *["Dog(rex) Dog(tom)"] * 3]
    )
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label is None and answer.status == "no_executable_sample"
    assert len(_steps(answer)) == 1 + 4 and all(
        t["status"] == "parse_error" for t in _steps(answer)[1:]
    )
    assert "side by side" in answer.samples[0].error
    assert provider.remaining == 0


def test_samples_are_voted():
    uncertain = [GOOD[0], "Dog(tom)", GOOD[2], GOOD[3]]
    provider, reasoner = _reasoner([SYMBOLS, *GOOD, *uncertain, *GOOD], samples=3, refine_rounds=0)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.votes == {"True": 2, "Uncertain": 1} and answer.label == "True"
    assert answer.confidence == pytest.approx(2 / 3)
    assert provider.requests[1].temperature == 0.0 and provider.requests[5].temperature > 0


def test_the_default_draws_more_translations_only_for_an_undecided_conclusion():
    from neurologic.config import default

    reasoner = Reasoner(provider=ScriptedProvider([]))
    assert (reasoner.samples, reasoner.vote, reasoner.sample_more) == (3, "proof", "undecided")
    assert [default(o) for o in ("samples", "vote", "sample_more")] == [3, "proof", "undecided"]


def test_with_sample_more_undecided_a_proof_by_the_first_translation_stands():
    provider, reasoner = _reasoner(
        [SYMBOLS, *GOOD], samples=3, refine_rounds=0, vote="proof", sample_more="undecided"
    )
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert (answer.label, answer.votes, len(answer.samples)) == ("True", {"True": 1}, 1)
    assert provider.remaining == 0 and len(provider.requests) == 5  # symbols and four lines


def test_with_sample_more_undecided_an_undecided_first_translation_is_put_to_the_vote():
    uncertain = [GOOD[0], "Dog(tom)", GOOD[2], GOOD[3]]
    provider, reasoner = _reasoner(
        [SYMBOLS, *uncertain, *uncertain, *GOOD],
        samples=3,
        refine_rounds=0,
        vote="proof",
        sample_more="undecided",
    )
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.votes == {"Uncertain": 2, "True": 1} and answer.label == "True"
    assert provider.remaining == 0 and [r.seed for r in provider.requests[1::4]] == [0, 1, 2]
    # each sample's line checks and formulas are in the trace in the order they were drawn
    assert [(t["step"], t.get("sample")) for t in _steps(answer)] == [
        ("symbols", None),
        ("formulas", 0),
        ("formulas", 1),
        ("formulas", 2),
    ]
    with pytest.raises(ValueError, match="always, undecided"):
        Reasoner(provider=provider, sample_more="sometimes")


def test_grammar_is_sent_only_to_providers_that_take_one():
    provider = ScriptedProvider([SYMBOLS, *GOOD], capabilities={"chat", GRAMMAR})
    Reasoner(provider=provider, solver="z3", parser="llm", declare="problem").solve(
        PREMISES, CONCLUSION
    )
    assert provider.requests[0].grammar and "pred-line" in provider.requests[0].grammar
    table = parse_symbol_table(SYMBOLS)[0]
    # "All dogs are animals." names nobody: its grammar has no constant, so it must quantify
    assert provider.requests[1].grammar == formula_grammar(line_symbols(table, PREMISES[0]))
    assert "const ::=" not in provider.requests[1].grammar
    assert 'const ::= "rex"\n' in provider.requests[2].grammar  # "Rex is a dog."
    plain = ScriptedProvider([SYMBOLS, *GOOD])
    Reasoner(provider=plain, solver="z3", parser="llm", declare="problem").solve(
        PREMISES, CONCLUSION
    )
    assert all(r.grammar is None for r in plain.requests)


def test_symbols_the_problem_does_not_mention_are_dropped():
    table, _ = parse_symbol_table(
        SYMBOLS + ", system7\nElectronicBand(x): copied\nGoesTo(x, y): x goes"
    )
    kept, notes = relevant_symbols(table, ["Rex is a dog that goes to school.", "Tom is a cat."])
    assert set(kept.constants) == {"rex", "tom"}
    assert set(kept.predicates) == {"Dog", "Cat", "GoesTo"}
    assert any("system7" in n for n in notes) and any("ElectronicBand" in n for n in notes)


def test_a_predicate_named_after_a_person_becomes_a_constant():
    table, _ = parse_symbol_table(
        "Bonnie(x): x is bonnie\nStudent(x): x is a student\nconstants: none"
    )
    kept, notes = relevant_symbols(table, ["Bonnie is a student.", "Students read."])
    assert set(kept.predicates) == {"Student"} and set(kept.constants) == {"bonnie"}
    assert any("Bonnie is a name" in n for n in notes)


def test_a_predicate_named_after_a_name_of_several_words_becomes_a_constant():
    table, _ = parse_symbol_table(
        "BlackMirror(x): x is Black Mirror\nPopular(x): x is popular\nNetflixShow(x): x is a "
        "Netflix show\nconstants: karen"
    )
    sentences = ['"Black Mirror" is a popular Netflix show.', "Karen likes Black Mirror."]
    kept, notes = relevant_symbols(table, sentences)
    assert set(kept.predicates) == {"Popular", "NetflixShow"}
    assert set(kept.constants) == {"blackmirror", "karen"}
    assert any("BlackMirror is a name" in n for n in notes)
    # One capitalised word of a kind's name ("a Netflix show") is not a name of several words.
    assert "NetflixShow" in relevant_symbols(table, ["Netflix shows are popular."])[0].predicates


def test_bad_input_is_a_clear_error():
    _, reasoner = _reasoner([])
    with pytest.raises(NeurologicError, match="non-empty"):
        reasoner.solve([], CONCLUSION)
    with pytest.raises(NeurologicError, match="conclusion"):
        reasoner.solve(PREMISES, "  ")
    with pytest.raises(NeurologicError, match="no provider"):
        Reasoner(solver="z3", parser="llm").solve(PREMISES, CONCLUSION)
    with pytest.raises(ValueError, match="unknown parser"):
        Reasoner(parser="regex")


def test_hybrid_needs_no_model_when_the_grammar_covers_everything():
    provider = ScriptedProvider([])
    answer = Reasoner(provider=provider, solver="z3", declare="problem").solve(PREMISES, CONCLUSION)
    assert answer.label == "True" and answer.usage["calls"] == 0 and provider.requests == []
    assert _steps(answer)[0]["step"] == "cnl" and all(_steps(answer)[0]["covered"])
    assert Reasoner(solver="z3", parser="cnl").solve(PREMISES, CONCLUSION).label == "True"


def test_hybrid_asks_the_model_only_for_sentences_outside_the_fragment():
    premises = ["All dogs are animals.", "Rex is a dog.", "Yesterday Tom would have been sleeping."]
    provider = ScriptedProvider([SYMBOLS, "Cat(tom)"])
    answer = Reasoner(provider=provider, solver="z3", declare="problem").solve(premises, CONCLUSION)
    assert answer.label == "True"
    assert len(provider.requests) == 2  # the symbol table, then P3 only
    assert provider.requests[1].messages[-1].content.startswith("P3: Yesterday")
    assert _steps(answer)[0]["covered"] == [True, True, False, True]
    formulas = answer.samples[0].premises + [answer.samples[0].conclusion]
    assert formulas[:2] == _steps(answer)[0]["formulas"][:2] and formulas[2] == "Cat(tom)"
    # Without the model, the grammar alone cannot answer.
    assert Reasoner(solver="z3", parser="cnl").solve(premises, CONCLUSION).label is None


def test_kinds_declared_as_constants_become_predicates_and_names_stay_constants():
    sentences = [
        "All Greeks are humans.",
        "Socrates is a Greek.",
        "Plato is a philosopher.",
        "The dog barks.",
    ]
    table, _ = parse_symbol_table(
        "Human(x): h\nGreek(x): g\nSocrates(x): s\nconstants: socrates, plato, philosopher, dog, human"
    )
    kept, _ = relevant_symbols(table, sentences)
    assert set(kept.predicates) == {"Human", "Greek", "Philosopher"}
    assert set(kept.constants) == {"socrates", "plato", "dog"}


def test_names_are_capitalised_runs_numbers_and_definite_descriptions():
    spans = named_spans(
        [
            "Stephen Curry played for the University of Edinburgh in 1984.",
            "If people perform in school talent shows, the dog barks.",
        ]
    )
    assert {"stephencurry", "universityofedinburgh", "1984", "dog"} <= spans
    assert is_named("stephen_curry", spans) and is_named("curry", spans)
    assert is_named("y1984", spans) and not is_named("school", spans)
    assert "bg" not in named_spans(["[BG] Strikers are soccer players."])
    table, _ = parse_symbol_table("Perform(x): p\nconstants: school, talent, stephen_curry")
    kept, notes = relevant_symbols(
        table, ["If people perform in school talent shows, they sing.", "Stephen Curry performs."]
    )
    assert set(kept.constants) == {"stephen_curry"}
    assert any("school is not a name" in n for n in notes)


def test_a_line_may_use_only_the_constants_its_sentence_mentions():
    table, _ = parse_symbol_table("Happy(x): h\nconstants: bonnie, rex")
    assert set(line_symbols(table, "Bonnie is happy.").constants) == {"bonnie"}
    assert set(line_symbols(table, "Everyone is happy.").constants) == set()
    # a pronoun may refer back to the previous sentence's individual
    assert set(line_symbols(table, "She is happy.", "Bonnie sings.").constants) == {"bonnie"}
    assert set(line_symbols(table, "Dogs are happy.", "Bonnie sings.").constants) == set()


def test_structured_outputs_constrain_the_symbol_table_where_no_grammar_is_offered():
    import json

    from neurologic.providers.base import JSON_SCHEMA
    from neurologic.symbols import symbol_table_schema

    declared = json.dumps(
        {
            "predicates": [
                {"name": "Dog", "arity": 1, "gloss": "x is a dog"},
                {"name": "Animal", "arity": 1, "gloss": "x is an animal"},
                {"name": "Cat", "arity": 1, "gloss": "x is a cat"},
                {"name": "NotDog", "arity": 1, "gloss": "hides a negation"},
            ],
            "constants": ["rex", "tom"],
        }
    )
    provider = ScriptedProvider([declared, *GOOD], capabilities={"chat", JSON_SCHEMA})
    answer = Reasoner(provider=provider, solver="z3", parser="llm", declare="problem").solve(
        PREMISES, CONCLUSION
    )
    assert answer.label == "True"
    first = provider.requests[0]
    assert first.json_schema == symbol_table_schema() and first.grammar is None
    assert all(r.json_schema is None for r in provider.requests[1:])  # formulas are plain text
    # the JSON answer is read back through the same checks as text (NotDog is refused)
    assert "Dog(x): x is a dog" in provider.requests[1].messages[2].content
    assert any("NotDog" in n for n in _steps(answer)[0]["notes"])
    schema = symbol_table_schema()["schema"]
    assert schema["additionalProperties"] is False and set(schema["required"]) == {
        "predicates",
        "constants",
    }


def test_structured_symbol_answers_are_checked_like_text():
    import json

    from neurologic.symbols import symbol_text_from_json

    text = symbol_text_from_json(
        json.dumps(
            {
                "predicates": [
                    {"name": "Likes", "arity": 2, "gloss": ""},
                    {"name": "Wide", "arity": 7, "gloss": "too many"},
                    {"name": "Nullary", "arity": 0, "gloss": "none"},
                ],
                "constants": [],
            }
        )
    )
    table, problems = parse_symbol_table(text)
    assert table.predicates == {"Likes": (2, "")} and table.constants == {}
    assert sum("1 to 3 arguments" in p for p in problems) == 2
    assert symbol_text_from_json("Dog(x): not json") == "Dog(x): not json"
    assert symbol_text_from_json('{"predicates": 3}') == '{"predicates": 3}'


def test_a_predicate_kept_needs_its_content_words_in_the_problem():
    table, _ = parse_symbol_table(
        "BasedOn(x, y): x based on y\nAll(x, y): every\n"
        "WorksInCompany(x): w\nLunch(x): l\nconstants: james"
    )
    kept, notes = relevant_symbols(
        table, ["James works in the company on Monday.", "All employees have lunch."]
    )
    assert set(kept.predicates) == {"WorksInCompany", "Lunch"}
    assert any("BasedOn" in n for n in notes) and any("All does not" in n for n in notes)


def test_hybrid_asks_exactly_what_llm_asks_when_the_grammar_covers_no_sentence():
    """Where the controlled-English grammar covers nothing, the hybrid parser is the LLM parser:
    the same requests, so the same outputs (the two runs differ only where coverage exists)."""
    premises = ["Yesterday Tom would have been sleeping.", "Whoever sleeps dreams, mostly."]
    conclusion = "Tom would have dreamt."
    script = [
        "Sleeps(x): x sleeps\nDreams(x): x dreams\nconstants: tom",
        "Sleeps(tom)",
        "∀x (Sleeps(x) → Dreams(x))",
        "Dreams(tom)",
    ]
    runs = {}
    for parser in ("hybrid", "llm"):
        provider = ScriptedProvider(list(script))
        provider.capabilities = provider.capabilities | {GRAMMAR}
        answer = Reasoner(provider=provider, solver="z3", parser=parser, declare="problem").solve(
            premises, conclusion
        )
        runs[parser] = (provider.requests, answer.label, answer.samples[0].premises)
    assert runs["hybrid"][0] == runs["llm"][0] and len(runs["llm"][0]) == 4
    assert (
        runs["hybrid"][1:]
        == runs["llm"][1:]
        == ("True", ["Sleeps(tom)", "∀x (Sleeps(x) → Dreams(x))"])
    )


# ---------------------------------------------------------------------- the compact style

BLOCK = "\n".join(f"{label}: {f}" for label, f in zip(["P1", "P2", "P3", "C"], GOOD))


def test_compact_style_asks_for_symbols_then_every_formula_in_one_answer():
    provider, reasoner = _reasoner([SYMBOLS, BLOCK], style="compact")
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert (answer.label, answer.method) == ("True", "symbolic")
    assert answer.usage["calls"] == 2
    symbols_prompt = provider.requests[0].messages[1].content
    assert "a property as Name(x)" in symbols_prompt
    block = provider.requests[1]
    assert block.messages[-1].content == "Formulas:" and block.stop == ()
    assert block.max_line_tokens == reasoner.translator.max_tokens_per_line
    assert answer.samples[0].premises == GOOD[:3] and answer.samples[0].conclusion == GOOD[3]


def test_compact_style_asks_one_at_a_time_for_lines_the_answer_did_not_reach():
    cut = "P1: " + GOOD[0] + "\nP2: " + GOOD[1]
    provider, reasoner = _reasoner([SYMBOLS, cut, GOOD[2], GOOD[3]], style="compact")
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label == "True" and answer.usage["calls"] == 4
    third, last = provider.requests[2].messages, provider.requests[3].messages
    assert third[-1].content == "P3: Tom is a cat."
    assert third[-2].content == "P1: " + GOOD[0] + "\nP2: " + GOOD[1]  # what was written so far
    assert last[-1].content == "C: Rex is an animal." and last[-2].content.endswith("P3: Cat(tom)")


def test_compact_style_refines_one_line_with_its_exact_error():
    bad = BLOCK.replace("Dog(rex)\n", "Dog(rex, tom)\n")
    provider, reasoner = _reasoner([SYMBOLS, bad, "Dog(rex)"], style="compact")
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label == "True" and [t["step"] for t in _steps(answer)][-2:] == [
        "formulas",
        "refine",
    ]
    feedback = provider.requests[2].messages
    assert "takes 1 argument" in feedback[-1].content and feedback[-2].content == bad


def test_compact_style_sends_a_program_grammar_with_known_lines_fixed():
    premises = ["All dogs are animals.", "Rex is a dog.", "Yesterday Tom would have been sleeping."]
    provider = ScriptedProvider(
        [SYMBOLS, "P1: x\nP2: y\nP3: Cat(tom)\nC: z"], capabilities={"chat", GRAMMAR}
    )
    answer = Reasoner(provider=provider, solver="z3", style="compact", declare="problem").solve(
        premises, CONCLUSION
    )
    grammar = provider.requests[1].grammar
    root = grammar.splitlines()[0]
    fixed = _steps(answer)[0]["formulas"]
    assert f'"P1: {fixed[0]}"' in root and f'"P2: {fixed[1]}"' in root and '"P3: " g' in root
    assert f'"C: {fixed[3]}"' in root
    # known lines are the grammar's, whatever the model wrote for them
    assert (
        answer.samples[0].premises[:2] == fixed[:2] and answer.samples[0].premises[2] == "Cat(tom)"
    )
    assert answer.label == "True"
    assert 'pred-line ::= pname "(x)\\n"' in provider.requests[0].grammar


def test_a_block_is_split_by_label_with_each_line_log_probability():
    from neurologic.translate import split_block

    tokens = [
        ("P1: ", -0.5),
        ("Dog(rex)", -1.0),
        ("\n", -0.25),
        ("C", -0.125),
        (": Cat(tom)", -2.0),
    ]
    generation = Generation(
        "".join(t for t, _ in tokens), "stop", tuple(TokenLogprob(t, lp) for t, lp in tokens)
    )
    formulas, logprobs = split_block(generation, ["P1", "C"])
    assert formulas == {"P1": "Dog(rex)", "C": "Cat(tom)"}
    assert logprobs == {"P1": -1.75, "C": -2.125}
    unlabelled = Generation("Dog(rex)\n\nCat(tom)\n", "stop", None)
    assert split_block(unlabelled, ["P1", "C"]) == ({"P1": "Dog(rex)", "C": "Cat(tom)"}, {})
    assert split_block(Generation("Dog(rex)", "stop", None), ["P1", "C"]) == ({}, {})


# ---------------------------------------------------------------------- declared from the premises

PREMISE_SYMBOLS = "Dog(x): x is a dog\nCat(x): x is a cat\nconstants: rex, tom"


def test_declared_from_the_premises_the_conclusion_gets_its_own_symbol_turn():
    listed = "Animal(x): x is an animal\nDog(x): x is a dog\nconstants: rex"
    provider, reasoner = _reasoner(
        [
            PREMISE_SYMBOLS,
            GOOD[0].replace("Animal", "Dog"),
            GOOD[1],
            GOOD[2],
            listed,
            "Animal(rex)",
        ],
        declare="premises",
    )
    answer = reasoner.solve(PREMISES, CONCLUSION)
    first = provider.requests[0].messages[1].content
    assert "P3: Tom is a cat." in first and "Rex is an animal" not in first
    turn = provider.requests[4].messages
    assert turn[-1].content.startswith("The conclusion to translate next is\nC: Rex is an animal.")
    last = provider.requests[5].messages
    assert last[-3] == turn[-1] and (last[-2].role, last[-2].content) == ("assistant", listed)
    assert last[-1].content == "C: Rex is an animal."
    step = next(t for t in _steps(answer) if t["step"] == "conclusion_symbols")
    assert step["output"] == listed
    assert answer.samples[0].conclusion == "Animal(rex)" and answer.usage["calls"] == 6


def test_declared_from_the_premises_every_request_before_the_conclusion_is_shared():
    script = [PREMISE_SYMBOLS, *GOOD[:3], "Dog(x): x is a dog\nconstants: rex", "Dog(rex)"]
    one, first = _reasoner(list(script), declare="premises")
    two, second = _reasoner(list(script), declare="premises")
    first.solve(PREMISES, CONCLUSION)
    second.solve(PREMISES, "Rex is a dog.")
    assert one.requests[:4] == two.requests[:4]  # symbols and the three premises: identical
    assert one.requests[4] != two.requests[4]
    with pytest.raises(ValueError, match="declare"):
        Reasoner(provider=one, declare="nothing")
    with pytest.raises(ValueError, match="turns"):
        Reasoner(provider=one, style="compact", declare="premises")
    assert Reasoner(provider=one).declare == "premises"
    assert Reasoner(provider=one, style="compact").declare == "problem"


def test_the_line_check_names_what_cannot_be_a_translation():
    z3 = get_solver("z3")

    def problem(formulas, conclusion=None, labels=None):
        labels = labels or [f"P{i + 1}" for i in range(len(formulas))]
        return formalization_problem(list(zip(labels, formulas)), conclusion, z3, 2.0)

    assert problem(["∀x (Dog(x) → Animal(x))", "Dog(rex)"]) is None
    assert problem(["∀x (Dog(x) → Animal(x))", "Dog(rex)", "¬Animal(rex)"]) == (
        "P1, P2, P3 contradict each other"
    )
    # the labels name the lines (a line left out does not shift the names of those after it)
    assert problem(["Dog(rex)", "¬Dog(rex)"], labels=["P1", "P4"]) == "P1, P4 contradict each other"
    assert (
        problem(["Dog(rex)", "Dog(tom) ∧ ¬Dog(tom)"], labels=["P2", "P5"])
        == "P5 contradicts itself"
    )
    assert "premise 5" in problem(["Dog(rex)", "Dog(x)"], labels=["P2", "P5"])
    assert "free variable" in problem(["Dog(x)"])
    assert "side by side" in problem(["Dog(rex) Dog(tom)"])
    # a tautology is let through (replacing them cost right answers; see RESULTS)
    assert problem(["Dog(rex)", "∀x (Dog(x) → Dog(x))"]) is None
    # with the conclusion, only its form is checked (a conclusion may well be refuted)
    assert problem(["Dog(rex)"], "¬Dog(rex)") is None
    assert "takes 1 argument" in problem(["Dog(rex)"], "Dog(rex, tom)")


def test_a_line_that_contradicts_the_lines_before_it_is_replaced_by_the_likeliest_that_fits():
    drawn = drawn_for_the_third_premise()
    provider, reasoner = _reasoner(
        [SYMBOLS, GOOD[0], GOOD[1], "¬Animal(rex)", *drawn, GOOD[3]], alternatives=4
    )
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert (answer.label, answer.method) == ("True", "symbolic")
    assert answer.samples[0].premises == GOOD[:3]
    asked, again = provider.requests[3], provider.requests[4]
    assert again.messages == asked.messages  # the same request, sampled
    assert (again.n, again.temperature) == (4, reasoner.temperature) and asked.n == 1
    check = next(t for t in _steps(answer) if t["step"] == "line_check")
    assert (check["line"], check["written"], check["kept"]) == ("P3", "¬Animal(rex)", "Cat(tom)")
    assert check["problem"] == "P1, P2, P3 contradict each other"
    problems = [a["problem"] for a in check["alternatives"]]
    assert problems[0] == check["problem"] and problems[1:3] == [None, None]
    assert "side by side" in problems[3]
    # the fixed program needed no refinement round
    assert [t["step"] for t in _steps(answer)] == ["symbols", "line_check", "formulas"]
    assert (
        "Redrawn: P3 was first written ¬Animal(rex), refused (P1, P2, P3 contradict each "
        "other), and replaced by Cat(tom)"
    ) in answer.explain().splitlines()
    assert provider.remaining == 0


def test_a_line_no_alternative_fixes_is_kept_and_not_blamed_on_the_lines_after_it():
    broken = "∀x (Dog(x) ∧ ¬Dog(x))"
    provider, reasoner = _reasoner(
        [SYMBOLS, broken, broken, broken, broken, broken, *GOOD[1:]],
        alternatives=2,
        refine_rounds=0,
    )
    answer = reasoner.solve(PREMISES, CONCLUSION)
    checks = [t for t in _steps(answer) if t["step"] == "line_check"]
    assert len(checks) == 1 and checks[0]["line"] == "P1" and checks[0]["kept"] is None
    assert checks[0]["problem"] == "P1 contradicts itself"
    # two drawn at the sampling temperature, then two more at the escalated one
    assert [a["temperature"] for a in checks[0]["alternatives"]] == [
        reasoner.temperature,
        reasoner.temperature,
        ESCALATED_TEMPERATURE,
        ESCALATED_TEMPERATURE,
    ]
    assert answer.samples[0].status == "inconsistent" and answer.label is None
    assert provider.remaining == 0


def test_when_no_alternative_passes_more_are_drawn_hotter_and_one_may_fix_it():
    broken = "∀x (Dog(x) ∧ ¬Dog(x))"
    provider, reasoner = _reasoner(
        [SYMBOLS, broken, broken, broken, scored(GOOD[0], -4.0), broken, *GOOD[1:]],
        alternatives=2,
    )
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert (answer.label, answer.samples[0].premises[0]) == ("True", GOOD[0])
    first, hotter = provider.requests[2], provider.requests[3]
    assert hotter.messages == first.messages and hotter.seed != first.seed
    assert (first.temperature, hotter.temperature) == (reasoner.temperature, ESCALATED_TEMPERATURE)
    check = next(t for t in _steps(answer) if t["step"] == "line_check")
    assert check["kept"] == GOOD[0] and len(check["alternatives"]) == 4
    assert provider.remaining == 0


def test_a_conclusion_that_does_not_parse_is_drawn_again():
    provider, reasoner = _reasoner(
        [SYMBOLS, *GOOD[:3], "Animal(rex) Q", scored("Animal(rex)", -1.0)], alternatives=1
    )
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label == "True" and answer.samples[0].conclusion == "Animal(rex)"
    check = next(t for t in _steps(answer) if t["step"] == "line_check")
    assert check["line"] == "C" and "side by side" in check["problem"]


def test_a_sentence_about_an_individual_needs_a_formula_that_names_one():
    table, _ = parse_symbol_table(SYMBOLS)
    assert "about rex" in words_problem(table, "Rex is a dog.", "∀x Dog(x)")
    assert words_problem(table, "Rex is a dog.", "Dog(rex)") is None
    # a word that quantifies, no individual named, or a formula that does not parse: no finding
    assert words_problem(table, "Rex likes all dogs.", "∀x Dog(x)") is None
    assert words_problem(table, "Dogs are animals.", "∀x (Dog(x) → Animal(x))") is None
    assert words_problem(table, "Rex is a dog.", "Dog(") is None


def test_a_line_its_words_rule_out_is_replaced_when_an_alternative_fits_and_kept_otherwise():
    quantified = "∃x Cat(x)"
    provider, reasoner = _reasoner(
        [SYMBOLS, *GOOD[:2], quantified, quantified, scored("Cat(tom)", -2.0), GOOD[3]],
        alternatives=2,
    )
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.samples[0].premises[2] == "Cat(tom)" and provider.remaining == 0
    check = next(t for t in _steps(answer) if t["step"] == "line_check")
    assert (check["found_by"], check["kept"]) == ("words", "Cat(tom)")
    assert check["problem"] == "the sentence is about tom, but the formula names no individual"
    # no alternative names Tom (two drawn, two more hotter): the line stays
    provider, reasoner = _reasoner(
        [SYMBOLS, *GOOD[:2], *[quantified] * 5, "¬Animal(rex)"],
        alternatives=2,
        refine_rounds=0,
    )
    answer = reasoner.solve(PREMISES, "Rex is not an animal.")
    assert answer.samples[0].premises[2] == quantified and provider.remaining == 0
    checks = [t for t in _steps(answer) if t["step"] == "line_check"]
    assert [(c["line"], c["found_by"], c["kept"]) for c in checks] == [("P3", "words", None)]
    assert answer.label == "False"


def test_alternatives_must_not_be_negative():
    with pytest.raises(ValueError, match="alternatives"):
        Reasoner(provider=ScriptedProvider([]), alternatives=-1)


def test_a_proof_that_uses_no_premise_says_to_check_the_conclusion():
    _, reasoner = _reasoner([SYMBOLS, *GOOD[:3], "Animal(rex) ∨ ¬Animal(rex)"])
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label == "True" and answer.premises_used == []
    assert "No premise was used: the conclusion's formula is true on its own" in answer.explain()
    _, reasoner = _reasoner([SYMBOLS, *GOOD])
    assert "No premise was used" not in reasoner.solve(PREMISES, CONCLUSION).explain()


def test_text_names_are_individuals_not_kinds_or_sentence_openers():
    names = text_names(
        [
            "If Bonnie sings, Robert Lewandowski left Bayern Munchen.",
            "All Greeks are mortal.",
            "Humans are mammals.",
            "[BG] Strikers are soccer players.",
            "Everyone loves the People's Republic of China.",
            "Beethoven wrote Symphony No. 9 for a Vienna orchestra.",
            "The Legend of Zelda is a game that James likes.",
            "Some mammals are monkeys, and Monkeys climb.",
        ]
    )
    assert set(names) == {
        "bonnie",
        "robertlewandowski",
        "bayernmunchen",
        "peoplerepublicofchina",
        "beethoven",
        "symphonyno9",
        "legendofzelda",
        "james",
    }
    assert names["robertlewandowski"] == "Robert Lewandowski"


def test_names_the_table_leaves_out_are_added_and_shown_in_the_answer():
    table, _ = parse_symbol_table("Sing(x): s\nconstants: lewandowski")
    sentences = ["Bonnie sings.", "Robert Lewandowski sings.", "Nobody likes the Forall."]
    completed, added = with_text_names(table, sentences)
    assert added == ["bonnie"]  # "lewandowski" covers Robert Lewandowski; "forall" is reserved
    assert set(completed.constants) == {"lewandowski", "bonnie"}
    assert with_text_names(completed, sentences) == (completed, [])
    assert with_constants("Sing(x): s\nConstants: lewandowski", added) == (
        "Sing(x): s\nConstants: lewandowski, bonnie"
    )
    assert with_constants("Sing(x): s\nconstants: none", added) == "Sing(x): s\nconstants: bonnie"
    assert with_constants("Sing(x): s", added) == "Sing(x): s\nConstants: bonnie"
    # a kind's plural that opens its sentence is not a name when the table has the kind
    kinds, _ = parse_symbol_table("Vacuum(x): v\nSuck(x): s\nconstants: none")
    assert with_text_names(kinds, ["Vacuums suck."]) == (kinds, [])


def test_a_name_missing_from_the_declared_table_reaches_the_model_and_its_grammar():
    symbols = "Dog(x): x is a dog\nAnimal(x): x is an animal\nCat(x): x is a cat\nconstants: tom"
    provider, reasoner = _reasoner([symbols, *GOOD])
    provider.capabilities = frozenset(provider.capabilities | {GRAMMAR})
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label == "True"
    shown = provider.requests[1].messages[2]
    assert shown.role == "assistant" and shown.content.endswith("constants: tom, rex")
    assert '"rex"' in provider.requests[2].grammar  # "Rex is a dog." may name rex
    symbols_step = _steps(answer)[0]
    assert "rex is named in the text: constant added" in symbols_step["notes"]
    assert symbols_step["added_constants"] == ["rex"]
    assert "Constants added from the text (the model's symbol table left them out): rex" in (
        answer.explain()
    )


# ---------------------------------------------------------------------- other readings


def _reading_steps(answer):
    return [t for t in _steps(answer) if t["step"] == "readings"]


def test_an_undecided_conclusion_is_read_again_and_a_decided_reading_kept():
    readings = ["Cat(rex)", "Animal(rex)", "Dog(tom)", "Animal(rex)"]
    provider, reasoner = _reasoner([SYMBOLS, *GOOD[:3], "Cat(rex)", *readings], readings=4)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert (answer.label, answer.method) == ("True", "symbolic")
    assert answer.samples[0].conclusion == "Animal(rex)"
    assert [u.sentence for u in answer.premises_used] == PREMISES[:2]
    asked = provider.requests[-1]
    assert (asked.n, asked.temperature) == (4, reasoner.temperature)
    assert asked.messages == provider.requests[4].messages  # the request that wrote the conclusion
    (step,) = _reading_steps(answer)
    assert step["first"] == "Cat(rex)" and step["kept"] == "Animal(rex)"
    assert step["readings"][0]["set_aside"] == "the first reading again"
    assert [r.get("verdict") for r in step["readings"]] == [None, "True", "Uncertain", "True"]
    assert provider.remaining == 0
    assert (
        "The conclusion was read again: Animal(rex) (the first reading, Cat(rex), was left "
        "undecided by the premises)"
    ) in answer.explain()


def test_a_reading_true_on_its_own_or_ruled_out_by_its_words_is_not_kept():
    tautology = "Animal(rex) ∨ ¬Animal(rex)"
    nobody = "∀x (Dog(x) → Animal(x))"  # "Rex is an animal." names rex
    script = [SYMBOLS, *GOOD[:3], "Cat(rex)", tautology, nobody, tautology, "Dog(tom)"]
    provider, reasoner = _reasoner(script, readings=4, fallback=False)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label == "Uncertain" and answer.samples[0].conclusion == "Cat(rex)"
    assert "read again" not in answer.explain()
    (step,) = _reading_steps(answer)
    assert step["kept"] is None
    assert step["readings"][0]["verdict"] == "True" and step["readings"][0]["used_premises"] == []
    assert "names no individual" in step["readings"][1]["set_aside"]
    assert provider.remaining == 0


def test_when_every_reading_repeats_the_first_more_are_drawn_hotter():
    script = [SYMBOLS, *GOOD[:3], "Cat(rex)", *["Cat(rex)"] * 2, "Animal(rex)", "Cat(rex)"]
    provider, reasoner = _reasoner(script, readings=2)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label == "True"
    assert [r.temperature for r in provider.requests[-2:]] == [
        reasoner.temperature,
        ESCALATED_TEMPERATURE,
    ]
    (step,) = _reading_steps(answer)
    assert [r["escalated"] for r in step["readings"]] == [False, False, True, True]


def test_readings_are_drawn_only_for_an_undecided_conclusion_the_model_wrote():
    provider, reasoner = _reasoner([SYMBOLS, *GOOD], readings=4)
    assert reasoner.solve(PREMISES, CONCLUSION).label == "True"
    assert len(provider.requests) == 5 and provider.remaining == 0  # a proof: nothing more
    provider, reasoner = _reasoner([SYMBOLS, *GOOD[:3], "Cat(rex)"], readings=0, fallback=False)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert answer.label == "Uncertain" and _reading_steps(answer) == []
    assert provider.remaining == 0


def test_readings_must_not_be_negative():
    with pytest.raises(ValueError, match="readings"):
        Reasoner(provider=ScriptedProvider([]), readings=-1)


def test_a_free_variable_left_after_the_last_round_is_read_closed_and_traced():
    lines = [GOOD[0], "Dog(x)", GOOD[2], GOOD[3]]
    provider, reasoner = _reasoner([SYMBOLS, *lines, "Dog(x)"], refine_rounds=1)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert provider.remaining == 0  # the error went back to the model once; it wrote Dog(x) again
    steps = [t["step"] for t in _steps(answer)]
    assert steps == ["symbols", "formulas", "refine", "normalized"]
    assert (
        _steps(answer)[2]["status"] == "signature_error"
        and "free variable" in _steps(answer)[2]["error"]
    )
    assert (answer.label, answer.method) == ("True", "symbolic")
    assert any("read the free variable x as ∀x" in r for r in answer.samples[0].repairs)
    assert "Repaired:" in answer.explain()


def test_a_clash_that_refinement_fixes_is_never_normalized():
    lines = [GOOD[0], "Dog(rex, tom)", GOOD[2], GOOD[3]]
    _, reasoner = _reasoner([SYMBOLS, *lines, GOOD[1]], refine_rounds=1)
    answer = reasoner.solve(PREMISES, CONCLUSION)
    assert [t["step"] for t in _steps(answer)] == ["symbols", "formulas", "refine"]
    assert answer.samples[0].repairs == []
