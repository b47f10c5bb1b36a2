"""Logic-of-Thought-style augmentation: extraction, extension and wording (sentences written for
these tests)."""

from __future__ import annotations

from neurologic.fallback.augment import HEADING
from neurologic.fallback.augment import augment
from neurologic.fallback.augment import derive
from neurologic.fallback.augment import extract


def _words(conditionals):
    return [c.words() for c in conditionals]


def test_conditionals_are_read_in_the_patterns_the_module_documents():
    text = (
        "If the museum opens late, the guards stay longer. The café closes only if the "
        "kitchen is empty. Unless the bridge is repaired, the ferry runs. All painters are "
        "patient people. No sculptor is careless. The dog barks whenever the bell rings."
    )
    found = _words(extract(text))
    assert found == [
        "If the museum opens late, then the guards stay longer.",
        "If the café closes, then the kitchen is empty.",
        "If it is not the case that the bridge is repaired, then the ferry runs.",
        "Whatever is painters is patient people.",
        "Whatever is sculptor is not careless.",
        "If the bell rings, then the dog barks.",
    ]


def test_contrapositives_and_one_step_chains_are_derived_not_repeated():
    stated = extract("If the river floods, the road closes. If the road closes, the bus is late.")
    derived = _words(derive(stated))
    assert (
        "If it is not the case that the road closes, then it is not the case that the river floods."
        in derived
    )
    assert "If the river floods, then the bus is late." in derived
    assert (
        "If it is not the case that the bus is late, then it is not the case that the river floods."
        in derived
    )
    assert not set(derived) & set(_words(stated))
    # double negation cancels: the contrapositive of "unless" needs no "not not"
    unless = _words(derive(extract("Unless the bridge is repaired, the ferry runs.")))
    assert unless == ["If it is not the case that the ferry runs, then the bridge is repaired."]


def test_kinds_contrapose_and_chain():
    derived = _words(
        derive(extract("All painters are patient people. All patient people are calm."))
    )
    assert "Whatever is not patient people is not painters." in derived
    assert "Whatever is painters is calm." in derived
    assert _words(derive(extract("No sculptor is careless."))) == [
        "Whatever is careless is not sculptor."
    ]


def test_a_passage_without_conditionals_is_left_alone_and_output_is_bounded():
    plain = "The lamp is in the study. Tom reads there every evening."
    assert augment(plain) == plain
    many = " ".join(f"If lamp {i} glows, room {i} is bright." for i in range(10))
    text = augment(many, limit=4)
    assert text.startswith(many) and HEADING in text
    assert text.count("\n- ") == 4
