"""The item-by-item comparison of two runs (benchmarks.paired)."""

import json

import pytest

from benchmarks.paired import PairedCost
from benchmarks.paired import PairedCounts
from benchmarks.paired import covered_sentences
from benchmarks.paired import main
from benchmarks.paired import paired
from benchmarks.paired import paired_cost


def _record(item_id: str, correct: bool, covered: list[bool] | None = None) -> dict:
    trace = (
        [
            {
                "step": "cnl",
                "covered": covered,
                "formulas": [None] * len(covered),
                "uncovered": {},
                "problems": [],
            }
        ]
        if covered is not None
        else []
    )
    return {"id": item_id, "correct": correct, "trace": trace}


def test_counts_match_items_by_id_and_ignore_items_only_one_run_has():
    a = [_record("1", True), _record("2", True), _record("3", False), _record("4", True)]
    b = [_record("3", True), _record("2", False), _record("1", True), _record("9", True)]
    counts = paired(a, b)
    assert counts == PairedCounts(items=3, both=1, only_a=1, only_b=1)
    assert counts.accuracy_a == pytest.approx(2 / 3)
    assert counts.accuracy_b == pytest.approx(2 / 3)


def test_mcnemar_exact_p_values():
    assert PairedCounts(10, 5, 0, 0).mcnemar_p == 1.0
    # 6 discordant, all one way: 2 * (1/2)^6
    assert PairedCounts(10, 0, 6, 0).mcnemar_p == pytest.approx(2 / 64)
    # 1 vs 5: 2 * (C(6,0)+C(6,1)) / 64
    assert PairedCounts(10, 0, 1, 5).mcnemar_p == pytest.approx(2 * 7 / 64)


def test_cost_is_counted_over_the_shared_items_only():
    a = [
        {**_record("1", True), "elapsed_s": 10.0, "usage": {"model_calls": 4}},
        {**_record("2", True), "elapsed_s": 30.0, "usage": {"model_calls": 6}},
        {**_record("3", True), "elapsed_s": 99.0, "usage": {"model_calls": 50}},
    ]
    b = [_record("1", True), _record("2", False)]
    assert paired_cost(a, b) == PairedCost(items=2, model_calls=10, median_s=20.0, total_s=40.0)
    assert paired_cost(b, a) == PairedCost(items=2, model_calls=0, median_s=0.0, total_s=0.0)


def test_covered_sentences_reads_the_cnl_step():
    assert covered_sentences(_record("1", True, [True, False, True])) == 2
    assert covered_sentences(_record("1", True)) == 0


def test_main_prints_the_split_by_coverage(tmp_path, capsys):
    for name, records in {
        "a": [_record("1", True, [True]), _record("2", False, [False])],
        "b": [_record("1", False, [True]), _record("2", False, [False])],
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "samples.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
        )
    assert main([str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "| all | 2 | 0.5000 | 0.0000 | 1 | 0 |" in out
    assert "covered ≥ 1 sentence | 1 | 1.0000 | 0.0000 | 1 | 0 |" in out
    assert "covered none | 1 | 0.0000 | 0.0000 | 0 | 0 |" in out
    assert "| A | 2 | 0 | 0.0 | 0 |" in out  # these records carry no usage or time


def test_missing_run_directory_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main([str(tmp_path / "nope"), str(tmp_path / "nope")])
    assert "no such file" in capsys.readouterr().err
