"""The quantifier part of the words check: universal sentences and vacuous existentials."""

from neurologic.language.quantifiers import has_universal
from neurologic.language.quantifiers import has_vacuous_existential
from neurologic.language.quantifiers import opens_universally
from neurologic.language.quantifiers import quantifier_problem
from neurologic.symbols import parse_symbol_table
from neurologic.translate import words_problem
from solvers import parse


def _tree(text: str):
    return parse(text).formula


def test_sentences_that_speak_of_a_whole_kind():
    for sentence in (
        "All dogs bark.",
        "Every cat sleeps.",
        "No one who jokes is unaware.",
        "Each student reads.",
        "Nobody is perfect.",
        "Anyone who runs sweats.",
        '"All" rabbits are cute.',
        "If someone sings, they are happy.",
        "People who run are fit.",
        "If something is a dog, it barks.",
    ):
        assert opens_universally(sentence), sentence
    for sentence in (
        "Some dogs bark.",
        "Rex is a dog.",
        "Dogs are animals.",
        "Allison runs.",
        "Nothingness scares Rex.",
        "Rex likes all dogs.",
        "If Rex sings, he is happy.",
        "Peoples of Europe.",
    ):
        assert not opens_universally(sentence), sentence


def test_a_universal_is_a_forall_or_a_negated_exists():
    assert has_universal(_tree("∀x (Dog(x) → Animal(x))"))
    assert has_universal(_tree("¬∃x (Dog(x) ∧ Cat(x))"))
    assert has_universal(_tree("Dog(rex) ∧ ∀x (Cat(x) → Animal(x))"))
    assert not has_universal(_tree("Dog(rex) → Animal(rex)"))
    assert not has_universal(_tree("∃x (Dog(x) ∧ Animal(x))"))
    assert not has_universal(_tree("¬Dog(rex)"))


def test_an_existential_directly_over_an_implication_is_vacuous():
    assert has_vacuous_existential(_tree("∃x (Dog(x) → Animal(x))"))
    assert has_vacuous_existential(_tree("∃x ∃y (Dog(x) → Likes(x, y))"))
    assert has_vacuous_existential(_tree("Cat(tom) ∧ ∃x (Dog(x) → Animal(x))"))
    assert not has_vacuous_existential(_tree("∃x (Dog(x) ∧ Animal(x))"))
    assert not has_vacuous_existential(_tree("∀x (Dog(x) → ∃y Likes(x, y))"))
    assert not has_vacuous_existential(_tree("∃x (Dog(x) ∧ (Cat(x) → Animal(x)))"))


def test_quantifier_problem_names_what_is_wrong():
    kind_as_name = quantifier_problem(
        "All champions are players.", _tree("Champion(champion) → Player(champion)")
    )
    assert "'all' of a whole kind" in kind_as_name and "∀" in kind_as_name
    assert "no ∀" in quantifier_problem("Every dog barks.", _tree("∃x (Dog(x) ∧ Barks(x))"))
    # the message names the opening words, not just the sentence's first word
    assert "says 'if someone' of a whole kind" in quantifier_problem(
        "If someone sings, they are happy.", _tree("Sings(tom) → Happy(tom)")
    )
    assert "∃x (A(x) ∧ B(x))" in quantifier_problem(
        "Some dogs bark.", _tree("∃x (Dog(x) → Barks(x))")
    )
    # a universal sentence with ∃ → ∀ inside is judged by its vacuous part
    assert "holds as soon as" in quantifier_problem(
        "All dogs bark.", _tree("∀y Dog(y) ∧ ∃x (Dog(x) → Barks(x))")
    )
    assert quantifier_problem("All dogs bark.", _tree("∀x (Dog(x) → Barks(x))")) is None
    assert quantifier_problem("No dog is a cat.", _tree("¬∃x (Dog(x) ∧ Cat(x))")) is None
    assert quantifier_problem("Rex barks.", _tree("Barks(rex)")) is None


def test_the_words_check_includes_the_quantifiers():
    table, _ = parse_symbol_table("Dog(x): x is a dog\nAnimal(x): x is an animal\nconstants: rex")
    assert "no ∀" in words_problem(table, "All dogs are animals.", "Dog(rex) → Animal(rex)")
    assert "holds as soon as" in words_problem(
        table, "Some dogs are animals.", "∃x (Dog(x) → Animal(x))"
    )
    assert words_problem(table, "All dogs are animals.", "∀x (Dog(x) → Animal(x))") is None


def test_a_quantifier_whose_variable_is_never_used_is_ruled_out():
    from neurologic.language.quantifiers import unused_quantifier

    assert unused_quantifier(_tree("∃x (Funny(ben) ∨ Yellow(ben))")) == "x"
    assert unused_quantifier(_tree("∀x ∀x (Dog(x) → Animal(x))")) == "x"
    assert unused_quantifier(_tree("Dog(rex) ∧ ∀y (Cat(tom) → Animal(tom))")) == "y"
    assert unused_quantifier(_tree("∀x (Dog(x) → ∃y Likes(x, y))")) is None
    assert unused_quantifier(_tree("Barks(rex)")) is None
    problem = quantifier_problem("Ben is funny or yellow.", _tree("∃x (Funny(ben) ∨ Yellow(ben))"))
    assert "binds x but nothing inside it uses x" in problem
    table, _ = parse_symbol_table("Funny(x): x is funny\nYellow(x): x is yellow\nconstants: ben")
    assert "binds x" in words_problem(
        table, "Ben is funny or yellow.", "∃x (Funny(ben) ∨ Yellow(ben))"
    )
    assert words_problem(table, "Ben is funny or yellow.", "Funny(ben) ∨ Yellow(ben)") is None
