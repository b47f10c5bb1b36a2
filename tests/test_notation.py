"""Real-world FOL notation: every reading recorded, every construct with no reading refused
precisely, and re-notated formulas read back to the same tree."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from benchmarks.notation import renotate_item
from solvers import FormulaRef
from solvers import ParseError
from solvers import SignatureError
from solvers import check_program
from solvers import entails
from solvers import normalize_program
from solvers import parse
from solvers import parse_formula
from solvers import read_program
from solvers.fol import Const
from solvers.fol import Forall
from solvers.fol import Pred
from solvers.fol import free_variables
from solvers.fol import to_unicode
from tests.strategies import formulas


@pytest.mark.parametrize(
    "written, plain",
    [
        ("Exists x. (Cat(x) & Black(x))", "∃x (Cat(x) ∧ Black(x))"),
        ("Forall x. (Cat(x) -> Animal(x))", "∀x (Cat(x) → Animal(x))"),
        ("ForAll x (Cat(x) -> Animal(x))", "∀x (Cat(x) → Animal(x))"),
        ("FORALL y. EXISTS z Likes(y, z)", "∀y ∃z Likes(y, z)"),
        ("∃x: Owl(x)", "∃x Owl(x)"),
        ("∀x. (Owl(x) → Bird(x))", "∀x (Owl(x) → Bird(x))"),
    ],
)
def test_quantifier_keywords_in_other_spellings_read_as_the_plain_ones(written, plain):
    parsed = parse(written)
    assert parsed.formula == parse_formula(plain)
    if not written.startswith("∀x."):
        assert parsed.repairs, "a spelling beyond the plain syntaxes is a recorded reading"


def test_quoted_names_are_one_constant_each_and_the_original_is_kept():
    parsed = parse("Watched(\"Stranger Things\", 'Ailton Silva') ∧ Show(“Stranger Things”)")
    assert parsed.formula == parse_formula(
        "Watched(Stranger_Things, Ailton_Silva) ∧ Show(Stranger_Things)"
    )
    assert any('"Stranger Things"' in note for note in parsed.repairs)
    assert any("'Ailton Silva'" in note for note in parsed.repairs)


def test_a_name_of_several_words_inside_an_argument_list_is_one_constant():
    parsed = parse("Capital(Beijing, People's Republic of China)")
    assert parsed.formula == Pred("Capital", (Const("Beijing"), Const("Peoples_Republic_of_China")))
    assert parsed.repairs == (
        "read the words 'People's Republic of China' as the one constant Peoples_Republic_of_China",
    )


def test_free_variables_are_closed_in_the_order_written_and_recorded():
    formula = parse_formula("Rating(x, y) ∧ y > 9 → Listed(x)")
    program = normalize_program([formula], [FormulaRef.premise(0)])
    closed = program.formulas[0]
    assert isinstance(closed, Forall) and closed.var == "x"
    assert isinstance(closed.body, Forall) and closed.body.var == "y"
    assert not free_variables(closed) and not check_program(program.formulas)
    assert program.repairs == (
        "premise 1: read the free variables x, y as ∀x ∀y (closed over the whole formula)",
    )


def test_a_spelling_used_for_two_symbols_is_read_as_two():
    formulas = [parse_formula("∀x (Tiger(x) → Eats(x, Tiger))"), parse_formula("Tiger(bo, al)")]
    assert check_program(formulas)  # refused as written
    program = normalize_program(formulas)
    assert not check_program(program.formulas)
    texts = [to_unicode(f) for f in program.formulas]
    assert texts == ["∀x (Tiger(x) → Eats(x, Tiger_constant))", "Tiger_2(bo, al)"]
    assert len(program.repairs) == 2 and all("another symbol" in r for r in program.repairs)


def test_entails_reads_real_world_notation_and_says_how():
    result = entails(
        ["Exists x. Perform(x)", "Perform(x) → Attend(x)", 'Perform("Ann Lee")'],
        "Attend(Ann_Lee)",
    )
    assert result.verdict.value == "True"
    assert any("quantifier keyword 'Exists'" in r for r in result.repairs)
    assert any("free variable x" in r for r in result.repairs)
    assert any("Ann_Lee" in r for r in result.repairs)
    with pytest.raises(SignatureError):
        entails(["Perform(x) → Attend(x)"], "Attend(ann)", normalize=False)


def test_the_same_quoted_text_is_always_the_same_constant_across_a_program():
    formulas, repairs = read_program(
        ["Likes('Ann Lee', tea)", 'Drinks("Ann Lee", tea)'],
        [FormulaRef.premise(0), FormulaRef.premise(1)],
    )
    assert {c for f in formulas for c in re.findall(r"Ann_Lee", to_unicode(f))} == {"Ann_Lee"}
    assert len(repairs) == 2


@pytest.mark.parametrize(
    "text, construct, instead",
    [
        ("Likes(ann, [tea, coffee])", "a list '[…]'", "its own constant"),
        ("Colors(car, {red, blue})", "a set '{…}'", "one premise per member"),
        ("∀x (x ∈ Birds → Flies(x))", "set membership '∈'", "Member(x, s)"),
        ("Likes(a, b) ∧ ... ∧ Likes(a, z)", "an ellipsis '...'", "spell out every case"),
        ("If Rains then Wet(ground)", "the English word 'if'/'then'", "A → B"),
        ("Rains → Wet(ground) … ", "an ellipsis '...'", "spell out every case"),
    ],
)
def test_constructs_with_no_first_order_reading_are_refused_by_name(text, construct, instead):
    with pytest.raises(ParseError) as raised:
        parse(text, repair=True)
    message = str(raised.value)
    assert construct in message and "no first-order reading" in message and instead in message


def test_an_english_word_inside_a_quoted_name_is_not_a_construct():
    assert parse('Film("If Beale Street Could Talk")').formula == Pred(
        "Film", (Const("If_Beale_Street_Could_Talk"),)
    )


# ---------------------------------------------------------------- re-notated forms, property


_KEYWORDS = {
    "∀": ("ForAll {v}. ", "Forall {v} ", "FORALL {v}. ", "∀{v}. "),
    "∃": ("Exists {v}. ", "∃{v}: ", "EXISTS {v} ", "exists {v}."),
}


@settings(max_examples=150, deadline=None)
@given(formulas(), st.integers(min_value=0, max_value=3))
def test_keyword_spellings_parse_to_the_same_tree(formula, choice):
    text = re.sub(
        r"([∀∃])([^\W\d]\w*) ",
        lambda m: _KEYWORDS[m[1]][choice].format(v=m[2]),
        to_unicode(formula),
    )
    assert parse(text).formula == formula


@settings(max_examples=150, deadline=None)
@given(formulas(bound=frozenset({"x"})))
def test_a_formula_written_without_its_leading_universal_reads_back_closed(body):
    """``∀x F`` written as ``F`` with ``x`` free is read as ``∀x F`` again (the closure)."""
    program = normalize_program([parse_formula(to_unicode(body))])
    expected = Forall("x", body) if "x" in free_variables(body) else body
    assert program.formulas[0] == expected
    assert bool(program.repairs) == ("x" in free_variables(body))


@settings(max_examples=100, deadline=None)
@given(formulas(max_depth=3))
def test_re_notated_formulas_decide_as_the_originals(formula):
    """The benchmark's rewriting (quoted names, free variables, keywords, clashes) never changes
    what follows: each premise re-notated entails the original and back."""
    sample = renotate_item([to_unicode(formula)], to_unicode(formula))
    (premise,), conclusion = sample["premises"], sample["conclusion"]
    result = entails([premise], conclusion, timeout_s=5.0)
    assert result.status.value in ("ok", "timeout", "inconsistent")
    if result.status.value == "ok":
        assert result.verdict.value == "True"  # a formula entails itself under any notation


def test_the_notation_benchmark_rewrites_an_item_and_keeps_its_meaning():
    premises = [
        "∀x (Tiger(x) → Striped(x))",
        "∀x (Striped(x) → Likes(x, stripes_fan))",
        "Tiger(shere_khan)",
    ]
    conclusion = "Likes(shere_khan, stripes_fan)"
    sample = renotate_item(premises, conclusion)
    text = " ".join([*sample["premises"], sample["conclusion"]])
    assert "∀" not in text  # every leading ∀ dropped: its variable is free
    assert "shere_khan" not in text  # written another way
    result = entails(sample["premises"], sample["conclusion"])
    assert result.verdict.value == "True" and result.repairs
    assert entails(premises, conclusion).verdict.value == "True"
