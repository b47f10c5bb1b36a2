"""Premise fidelity on small hand-made items: a right proof is faithful when the gold formulas of
the premises it used entail the gold verdict."""

from __future__ import annotations

import json

from benchmarks import run as runner
from benchmarks.datasets import EntailmentItem
from benchmarks.fidelity import annotate
from benchmarks.fidelity import faithful
from benchmarks.fidelity import summary

ITEM = EntailmentItem(
    id="hand_0",
    premises=("All Greeks are humans.", "All humans are mortal.", "Socrates is a Greek."),
    conclusion="Socrates is mortal.",
    label="True",
    premises_fol=("∀x (Greek(x) → Human(x))", "∀x (Human(x) → Mortal(x))", "Greek(socrates)"),
    conclusion_fol="Mortal(socrates)",
)


def _record(**fields):
    return {
        "id": "hand_0",
        "gold": "True",
        "prediction": "True",
        "correct": True,
        "method": "symbolic",
        "premises_used": [0, 1, 2],
        **fields,
    }


def test_a_proof_from_every_premise_the_argument_needs_is_faithful():
    assert faithful(ITEM, _record()) is True


def test_a_proof_that_skips_a_needed_premise_is_right_for_the_wrong_reason():
    # "Socrates is a Greek." translated as Human(socrates) ∧ Greek(socrates): premise 1 unused
    assert faithful(ITEM, _record(premises_used=[1, 2])) is False


def test_no_judgement_where_the_question_does_not_arise():
    assert faithful(ITEM, _record(correct=False, prediction="False")) is None
    assert faithful(ITEM, _record(method="fallback")) is None
    uncertain = EntailmentItem(**{**ITEM.__dict__, "label": "Uncertain", "meta": {}})
    assert faithful(uncertain, _record(gold="Uncertain", prediction="Uncertain")) is None
    misaligned = EntailmentItem(**{**ITEM.__dict__, "premises": ITEM.premises[:2], "meta": {}})
    assert faithful(misaligned, _record()) is None


def test_the_run_summary_counts_over_the_true_false_items():
    records = annotate(
        [
            _record(),
            _record(id="b", premises_used=[1, 2]),
            {
                "id": "c",
                "gold": "False",
                "prediction": "True",
                "correct": False,
                "method": "symbolic",
                "premises_used": [0],
            },
            {
                "id": "d",
                "gold": "Uncertain",
                "prediction": "Uncertain",
                "correct": True,
                "method": "symbolic",
                "premises_used": [],
            },
        ],
        [
            ITEM,
            EntailmentItem(**{**ITEM.__dict__, "id": "b", "meta": {}}),
            EntailmentItem(**{**ITEM.__dict__, "id": "c", "label": "False", "meta": {}}),
            EntailmentItem(**{**ITEM.__dict__, "id": "d", "label": "Uncertain", "meta": {}}),
        ],
    )
    assert [r["faithful"] for r in records] == [True, False, None, None]
    assert summary(records) == {
        "true_false": 3,
        "right_by_proof": 2,
        "faithful_right": 1,
        "faithful_accuracy": round(1 / 3, 6),
    }


def test_gold_translations_make_every_right_proof_faithful(tmp_path):
    assert (
        runner.main(
            ["--dataset", "folio", "--translations", "gold", "--out", str(tmp_path), "--quiet"]
        )
        == 0
    )
    fidelity = json.loads((tmp_path / "results.json").read_text())["fidelity"]
    assert fidelity["true_false"] == 135
    assert fidelity["right_by_proof"] >= 110
    assert fidelity["faithful_right"] == fidelity["right_by_proof"]
    records = [json.loads(line) for line in (tmp_path / "samples.jsonl").read_text().splitlines()]
    assert all("faithful" in r for r in records)


def test_an_item_s_time_is_its_solving_not_the_fidelity_re_proof(monkeypatch):
    import time

    from neurologic import Reasoner

    def slow_faithful(item, record):
        time.sleep(1.0)
        return faithful(item, record)

    from benchmarks import solving

    monkeypatch.setattr(solving, "faithful", slow_faithful)
    saved = [(list(ITEM.premises_fol), ITEM.conclusion_fol)]
    record = solving.solve_item(ITEM, saved, Reasoner(solver="z3")).to_json()
    assert record["faithful"] is True
    assert record["elapsed_s"] < 1.0
    assert list(record)[-2:] == ["faithful", "elapsed_s"]  # the records' key order


def test_the_grounding_check_flags_the_over_translated_premise_a_proof_used():
    from benchmarks.fidelity import flagged
    from benchmarks.fidelity import grounding_split

    over = {
        "status": "ok",
        "verdict": "True",
        "used_premises": [1, 2],
        "logprob": -1.0,
        "premises": [
            "∀x (Greek(x) → Human(x))",
            "∀x (Human(x) → Mortal(x))",
            "Human(socrates) ∧ Greek(socrates)",
        ],
    }
    plain = {
        **over,
        "used_premises": [0, 1, 2],
        "premises": [*over["premises"][:2], "Greek(socrates)"],
    }
    unfaithful = _record(premises_used=[1, 2], samples=[over])
    right = _record(samples=[plain])
    assert flagged(ITEM, unfaithful) is True and flagged(ITEM, right) is False
    assert flagged(ITEM, _record(method="fallback", samples=[plain])) is None
    records = annotate([unfaithful, {**right, "id": "hand_0"}], [ITEM])
    assert grounding_split(records, [ITEM]) == {
        "faithful": 1,
        "faithful_flagged": 0,
        "unfaithful": 1,
        "unfaithful_flagged": 1,
    }


def test_gold_lines_the_grounding_check_flags_are_counted_once_each():
    from benchmarks.grounding_lines import flagged_gold_lines

    over = EntailmentItem(
        **{
            **ITEM.__dict__,
            "id": "hand_1",
            "meta": {},
            "premises_fol": ITEM.premises_fol[:2] + ("Human(socrates) ∧ Greek(socrates)",),
        }
    )
    misaligned = EntailmentItem(
        **{**ITEM.__dict__, "id": "hand_2", "premises": ITEM.premises[:2], "meta": {}}
    )
    lines, flagged = flagged_gold_lines([ITEM, over, over, misaligned])
    assert (
        lines == 4
    )  # three of ITEM, one more of `over`; the repeat and the misaligned item add none
    assert [(f.sentence, f.symbols) for f in flagged] == [("Socrates is a Greek.", ["Human"])]
