"""One spelling per individual (neurologic.spelling), alone and through the solver."""

from __future__ import annotations

from neurologic.decide.execute import run_formalization
from neurologic.spelling import one_spelling_per_constant
from solvers import get_solver
from solvers import parse
from solvers.fol import to_unicode


def _formulas(*texts):
    return [parse(t).formula for t in texts]


def test_spellings_that_differ_in_underscores_and_case_become_the_first():
    formulas, notes = one_spelling_per_constant(
        _formulas(
            "Orchestra(vienna_music_society)",
            "Leads(beethoven, ViennaMusicSociety)",
            "∀x (Premiered(viennamusicsociety, x) → f(viennamusicsociety) = x)",
        )
    )
    assert [to_unicode(f) for f in formulas] == [
        "Orchestra(vienna_music_society)",
        "Leads(beethoven, vienna_music_society)",
        "∀x (Premiered(vienna_music_society, x) → (f(vienna_music_society) = x))",
    ]
    assert sorted(notes) == [
        "ViennaMusicSociety and vienna_music_society read as one individual, vienna_music_society",
        "viennamusicsociety and vienna_music_society read as one individual, vienna_music_society",
    ]


def test_different_names_are_left_alone():
    formulas = _formulas("Leads(rex, rexa)", "Dog(re_x_a_b)")
    assert one_spelling_per_constant(formulas) == (formulas, [])


def test_a_proof_goes_through_the_merged_spelling_and_says_so():
    result = run_formalization(
        ["Orchestra(vienna_music_society)", "∀x (Orchestra(x) → Loud(x))"],
        "Loud(viennamusicsociety)",
        get_solver("z3"),
        5.0,
    )
    assert result.verdict == "True" and result.used_premises == [0, 1]
    assert result.repairs == [
        "viennamusicsociety and vienna_music_society read as one individual, vienna_music_society"
    ]
