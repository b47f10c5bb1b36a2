"""Reasoner over given formulas: voting, explanations, and every failure recorded, not raised."""

from __future__ import annotations

import pytest

from neurologic import Reasoner
from neurologic.answer import SampleResult
from neurologic.decide.vote import vote

RULES = ["∀x (Human(x) → Mortal(x))", "Human(socrates)", "Greek(plato)"]
SENTENCES = ["All humans are mortal.", "Socrates is human.", "Plato is Greek."]


def test_solve_fol_reports_premises_used_as_sentences():
    answer = Reasoner(solver="z3").solve_fol(RULES, "Mortal(socrates)", premises=SENTENCES)
    assert (answer.label, answer.method, answer.status) == ("True", "symbolic", "ok")
    assert [u.index for u in answer.premises_used] == [0, 1]
    assert [u.sentence for u in answer.premises_used] == SENTENCES[:2]
    text = answer.explain()
    assert "True" in text and "All humans are mortal." in text and "Plato" not in text


def test_false_and_uncertain():
    reasoner = Reasoner(solver="z3")
    assert (
        reasoner.solve_fol(RULES + ["∀x (Mortal(x) → ¬God(x))"], "God(socrates)").label == "False"
    )
    uncertain = reasoner.solve_fol(RULES, "Mortal(plato)")
    assert uncertain.label == "Uncertain" and uncertain.premises_used == []


def test_contradictory_premises_do_not_vote():
    answer = Reasoner(solver="z3").solve_fol(["P(a)", "¬P(a)"], "Q(b)")
    assert answer.label is None and answer.method == "none"
    assert answer.samples[0].status == "inconsistent"
    assert answer.samples[0].used_premises == [0, 1]


def test_vote_over_formalizations_skips_the_broken_ones():
    formalizations = [
        (RULES, "Mortal(socrates)"),  # True
        (["∀x (Human(x) → Mortal(x))", "Human(plato)"], "Mortal(socrates)"),  # Uncertain
        (["Human(socrates"] + RULES[1:], "Mortal(socrates)"),  # repaired; Mortal unlinked
        (["P(x) Q"], "Mortal(socrates)"),  # parse error
        (["Rating(m, 9)", "Rating(n, good)"], "Q"),  # signature error: numbers and a name
        (RULES, "Mortal(socrates)"),  # True
    ]
    answer = Reasoner(solver="z3", vote="majority", sample_more="always").solve_formalizations(
        formalizations
    )
    statuses = [s.status for s in answer.samples]
    assert statuses == ["ok", "ok", "ok", "parse_error", "signature_error", "ok"]
    # sample 3's conclusion uses no predicate of its premises: it cannot inform the vote
    assert not answer.samples[2].linked and answer.samples[1].linked
    assert answer.votes == {"True": 2, "Uncertain": 1}
    assert answer.label == "True" and answer.tie_break is None
    assert answer.confidence == pytest.approx(2 / 3)
    assert answer.samples[2].repairs == ["premise 1: added 1 missing ')' at the end"]
    assert "premise 1 (P(x) Q)" in answer.samples[3].error
    assert "argument 2 of 'Rating' holds numbers" in answer.samples[4].error
    assert (
        "2 of 3 formalizations agree; 1 more set aside: their conclusion shares no predicate"
        in answer.explain()
    )


def test_saved_formulas_in_real_world_notation_are_read_and_the_readings_shown():
    answer = Reasoner(solver="z3").solve_fol(
        [
            "Forall x. (Human(x) -> Mortal(x))",
            'Human("Socrates of Athens")',
            "Likes(a)",
            "Likes(a, b)",
        ],
        "Mortal(Socrates_of_Athens) ∧ Likes(a, b)",
    )
    assert answer.label == "True" and answer.method == "symbolic"
    sample = answer.samples[0]
    assert sample.status == "ok"
    assert any("read the quantifier keyword 'Forall'" in r for r in sample.repairs)
    assert any('"Socrates of Athens"' in r for r in sample.repairs)
    assert any("another symbol, Likes_2" in r for r in sample.repairs)
    assert "Repaired:" in answer.explain() and "Likes_2" in answer.explain()


def test_no_executable_sample_explains_why():
    answer = Reasoner(solver="z3").solve_fol(["P(a) Q(b)"], "P(a)")
    assert answer.label is None and answer.status == "no_executable_sample"
    assert "side by side" in answer.explain()


def test_prover9_and_portfolio_agree_on_a_small_problem():
    for solver in ("prover9", "portfolio"):
        answer = Reasoner(solver=solver).solve_fol(RULES, "Mortal(socrates)", premises=SENTENCES)
        assert answer.label == "True", solver
        assert [u.index for u in answer.premises_used] == [0, 1], solver


def _sample(verdict, logprob=None, linked=True, status="ok"):
    return SampleResult(
        premises=["P(a)"],
        conclusion="P(a)",
        verdict=verdict,
        status=status,
        logprob=logprob,
        linked=linked,
    )


def test_a_tie_goes_to_the_translation_the_model_found_most_probable():
    outcome = vote([_sample("Uncertain", -9.0), _sample("True", -3.0)])
    assert (outcome.label, outcome.tie_break, outcome.confidence) == ("True", "logprob", 0.5)
    outcome = vote([_sample("Uncertain"), _sample("True")])  # no log-probabilities: first vote
    assert (outcome.label, outcome.tie_break) == ("Uncertain", "order")
    assert vote([_sample("True"), _sample("True")]).tie_break is None


def test_the_proof_rule_counts_proofs_while_any_sample_finds_one():
    samples = [_sample("Uncertain", -1.0)] * 3 + [_sample("False", -5.0)]
    assert vote(samples).label == "Uncertain"
    outcome = vote(samples, "proof")
    assert (outcome.label, outcome.confidence, outcome.counts) == (
        "False",
        0.25,
        {"Uncertain": 3, "False": 1},
    )
    tied = vote(
        [_sample("True", -4.0), _sample("False", -2.0), _sample("Uncertain", -1.0)], "proof"
    )
    assert (tied.label, tied.tie_break) == ("False", "logprob")
    assert vote([_sample("Uncertain")] * 2, "proof").label == "Uncertain"
    with pytest.raises(ValueError, match="vote rule"):
        vote(samples, "loudest")
    with pytest.raises(ValueError, match="vote rule"):
        Reasoner(vote="loudest")


def test_the_reasoner_votes_saved_translations_by_its_rule():
    formalizations = [
        (RULES, "Mortal(plato)"),
        (RULES, "Human(plato)"),
        (RULES + ["∀x (Greek(x) → ¬Mortal(x))"], "Mortal(plato)"),
    ]
    every = {"solver": "z3", "sample_more": "always"}
    assert (
        Reasoner(**every, vote="majority").solve_formalizations(formalizations).label == "Uncertain"
    )
    assert Reasoner(**every, vote="proof").solve_formalizations(formalizations).label == "False"


def test_unlinked_samples_vote_only_when_nothing_else_ran():
    outcome = vote([_sample("Uncertain", linked=False)] * 3 + [_sample("False")])
    assert (outcome.label, outcome.counts, outcome.set_aside) == ("False", {"False": 1}, 3)
    alone = vote([_sample("Uncertain", linked=False)])
    assert (alone.label, alone.set_aside) == ("Uncertain", 0)
    assert vote([_sample(None, status="parse_error")]).label is None
