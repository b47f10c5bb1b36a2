"""Reasoner over given formulas: voting, explanations, and every failure recorded, not raised."""

from __future__ import annotations

from neurologic import Reasoner

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
    assert reasoner.solve_fol(RULES + ["∀x (Mortal(x) → ¬God(x))"], "God(socrates)").label == "False"
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
        (["Human(socrates"] + RULES[1:], "Mortal(socrates)"),  # repaired, Uncertain
        (["P(x) Q"], "Mortal(socrates)"),  # parse error
        (["Likes(a, b)", "Likes(a)"], "Q"),  # signature error
        (RULES, "Mortal(socrates)"),  # True
    ]
    answer = Reasoner(solver="z3").solve_formalizations(formalizations)
    statuses = [s.status for s in answer.samples]
    assert statuses == ["ok", "ok", "ok", "parse_error", "signature_error", "ok"]
    assert answer.votes == {"True": 2, "Uncertain": 2}
    assert answer.label == "True"  # a tie goes to the earliest sample's verdict
    assert answer.confidence == 0.5
    assert answer.samples[2].repairs == ["premise 1: added 1 missing ')' at the end"]
    assert "premise 1 (P(x) Q)" in answer.samples[3].error
    assert "takes 2 arguments" in answer.samples[4].error


def test_no_executable_sample_explains_why():
    answer = Reasoner(solver="z3").solve_fol(["P(a) Q(b)"], "P(a)")
    assert answer.label is None and answer.status == "no_executable_sample"
    assert "side by side" in answer.explain()


def test_prover9_and_portfolio_agree_on_a_small_problem():
    for solver in ("prover9", "portfolio"):
        answer = Reasoner(solver=solver).solve_fol(RULES, "Mortal(socrates)", premises=SENTENCES)
        assert answer.label == "True", solver
        assert [u.index for u in answer.premises_used] == [0, 1], solver
