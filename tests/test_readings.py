"""Choosing among readings of a conclusion (neurologic.decide.readings): the rule alone."""

from __future__ import annotations

from neurologic.answer import SampleResult
from neurologic.decide.readings import choose_reading
from neurologic.decide.readings import decides
from neurologic.decide.readings import wants_readings


def _result(verdict, used=(0,), logprob=-1.0, status="ok", conclusion="C"):
    return SampleResult(
        premises=["P"],
        conclusion=conclusion,
        verdict=verdict,
        status=status,
        used_premises=list(used),
        logprob=logprob,
    )


def test_only_a_run_that_left_the_conclusion_open_wants_readings():
    assert wants_readings(_result("Uncertain", used=()))
    assert not wants_readings(_result("True"))
    assert not wants_readings(_result(None, status="parse_error"))


def test_a_reading_decides_only_by_a_proof_that_uses_a_premise():
    assert decides(_result("False"))
    assert not decides(_result("True", used=()))
    assert not decides(_result("Uncertain"))
    assert not decides(_result("True", status="timeout"))


def test_the_first_reading_stays_when_no_other_decides():
    first = _result("Uncertain", used=())
    outcome = choose_reading(first, [_result("Uncertain"), _result("True", used=())])
    assert outcome.result is first and not outcome.replaced


def test_the_label_most_readings_get_wins_then_its_most_probable_reading():
    first = _result("Uncertain", used=())
    readings = [
        _result("True", logprob=-1, conclusion="a"),
        _result("False", logprob=-3, conclusion="b"),
        _result("False", logprob=-2, conclusion="c"),
    ]
    outcome = choose_reading(first, readings)
    assert outcome.replaced and outcome.result.conclusion == "c"


def test_a_tie_between_labels_goes_to_the_most_probable_reading():
    first = _result("Uncertain", used=())
    readings = [
        _result("True", logprob=-4, conclusion="a"),
        _result("False", logprob=-2, conclusion="b"),
    ]
    assert choose_reading(first, readings).result.conclusion == "b"
    unscored = [
        _result("True", logprob=None, conclusion="a"),
        _result("False", logprob=None, conclusion="b"),
    ]
    assert choose_reading(first, unscored).result.conclusion == "a"  # then by order
