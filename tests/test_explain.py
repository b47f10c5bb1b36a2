"""What ``Answer.explain()`` prints: premises aligned, and redraws shown for the translation the
answer stands on, counted for the others."""

from __future__ import annotations

from neurologic import Answer
from neurologic import PremiseUse
from neurologic import SampleResult
from neurologic.trace import LineCheckEvent

PREMISES = ["∀x (Human(x) → Mortal(x))", "Human(socrates)"]
LONG = "∃x (Human(x) ∧ (Human(x) ∧ (Human(x) ∧ (Human(x) ∧ ¬Human(x))))) ∧ ¬Human(socrates) ∧ ¬Human(x)"


def _redraw(sample: int, written: str, kept: str) -> LineCheckEvent:
    return LineCheckEvent(
        sample=sample,
        line="P2",
        written=written,
        problem="P2 contradicts itself",
        alternatives=[],
        kept=kept,
    )


def _answer(trace: list[LineCheckEvent]) -> Answer:
    samples = [
        SampleResult(
            premises=["∀x (Human(x) → Mortal(x))", "Mortal(socrates)"],
            conclusion="Mortal(socrates)",
            verdict="True",
            status="ok",
            used_premises=[1],
        ),
        SampleResult(
            premises=PREMISES,
            conclusion="Mortal(socrates)",
            verdict="True",
            status="ok",
            used_premises=[0, 1],
        ),
    ]
    uses = [
        PremiseUse(index=0, formula=PREMISES[0], sentence="All humans are mortal."),
        PremiseUse(index=1, formula=PREMISES[1], sentence="Socrates is human."),
    ]
    return Answer(
        label="True",
        status="ok",
        method="symbolic",
        votes={"True": 2},
        premises_used=uses,
        samples=samples,
        trace=trace,
    )


def test_premises_are_aligned_on_their_arrows():
    lines = _answer([]).explain().splitlines()
    assert lines[2] == "  [1] All humans are mortal.   ⟶ ∀x (Human(x) → Mortal(x))"
    assert lines[3] == "  [2] Socrates is human.       ⟶ Human(socrates)"


def test_redraws_of_the_supporting_translation_are_shown_and_the_others_counted():
    text = _answer(
        [_redraw(0, "¬Mortal(socrates)", "Mortal(socrates)"), _redraw(1, LONG, "Human(socrates)")]
    ).explain()
    shown = [line for line in text.splitlines() if line.startswith("Redrawn: ")]
    assert len(shown) == 1 and shown[0].endswith("and replaced by Human(socrates)")
    assert " … " in shown[0] and LONG not in shown[0]  # a long formula is cut in the middle
    assert "Redrawn in the other translations: 1 line (each is in the answer's trace)" in text
    assert "¬Mortal(socrates)" not in text


def test_without_a_supporting_translation_every_redraw_is_shown():
    answer = _answer([_redraw(0, "¬Mortal(socrates)", "Mortal(socrates)")])
    answer.premises_used = []
    assert "Redrawn: P2 was first written ¬Mortal(socrates)" in answer.explain()
