"""Loaders for the vendored benchmark data (benchmarks/datasets.py)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from benchmarks import datasets as ds
from benchmarks.datasets import ChoiceItem
from benchmarks.datasets import DatasetError
from benchmarks.datasets import EntailmentItem
from tests.helpers import logiqa2_row


def labels(items):
    return dict(Counter(it.label for it in items))


# --------------------------------------------------------------------------- vendored files


def test_checksums_match_vendored_files():
    sums = ds.verify_checksums()
    assert len(sums) >= 12
    assert all(sums.values()), [k for k, ok in sums.items() if not ok]


def test_logiqa2_not_vendored():
    assert not list(ds.DATA_DIR.rglob("*v2*")), "LogiQA 2.0 (CC BY-NC-SA) must not be vendored"


# --------------------------------------------------------------------------- FOLIO


def test_folio_all():
    items = ds.load_folio("all")
    assert len(items) == 204
    assert labels(items) == {"True": 72, "False": 63, "Uncertain": 69}
    assert [it.id for it in items] == [f"FOLIO_dev_{j}" for j in range(204)]
    for it in items:
        assert isinstance(it, EntailmentItem)
        assert it.premises and all(it.premises) and it.conclusion
        assert it.premises_fol and all(it.premises_fol) and it.conclusion_fol
        assert all(p == p.strip() for p in it.premises)
    # Upstream has 10 items whose premise and FOL counts differ; LINC drops them.
    mismatched = [it.meta["index"] for it in items if len(it.premises) != len(it.premises_fol)]
    assert mismatched == [9, 10, 11, 87, 105, 106, 107, 173, 174, 175]
    assert items[0].conclusion_fol == "Engaged(bonnie)" and items[0].label == "Uncertain"


def test_folio_linc182_is_subset_in_linc_order():
    items = ds.load_folio("linc182")
    assert len(items) == 182
    assert labels(items) == {"True": 63, "False": 54, "Uncertain": 65}
    assert len({it.id for it in items}) == 182
    assert [it.meta["linc_index"] for it in items] == list(range(182))
    assert items[0].id == "FOLIO_dev_148"
    dev = {it.id: it for it in ds.load_folio("all")}
    excluded = json.loads(
        (ds.DATA_DIR / "folio/linc_182/excluded_validation_indices.json").read_text()
    )
    assert {it.id for it in items} == set(dev) - {f"FOLIO_dev_{j}" for j in excluded}
    for it in items:
        assert it == dev[it.id]
        assert len(it.premises) == len(it.premises_fol)


def test_folio_train():
    items = ds.load_folio("train")
    assert len(items) == 1004
    assert labels(items) == {"True": 388, "False": 286, "Uncertain": 330}  # Unknown -> Uncertain
    assert [it.id for it in items[:2]] == ["FOLIO_train_0", "FOLIO_train_1"]
    assert all(it.conclusion_fol is None and it.premises_fol for it in items)
    assert len({it.meta["story_id"] for it in items}) == 340


# --------------------------------------------------------------------------- ProofWriter


def test_proofwriter_logiclm600():
    items = ds.load_proofwriter("logiclm600")
    assert len(items) == 600
    assert labels(items) == {"True": 200, "False": 200, "Uncertain": 200}
    assert len({it.id for it in items}) == 600
    first = items[0]
    assert first.id == "ProofWriter_AttNoneg-OWA-D5-1041_Q1"
    assert first.conclusion == "Charlie is kind." and first.label == "True"
    assert first.premises[:2] == ("Bob is cold.", "Bob is quiet.")
    assert first.premises[-1] == "If Dave is smart and Dave is kind then Dave is quiet."
    assert first.meta["theory"] == "AttNoneg-OWA-D5-1041" and first.meta["question_id"] == "Q1"
    for it in items:
        assert it.id == f"ProofWriter_{it.meta['theory']}_{it.meta['question_id']}"
        assert all(s.endswith(".") and s.count(". ") == 0 for s in it.premises)
        assert it.conclusion and "?" not in it.conclusion and it.premises_fol is None
        assert it.meta["theory_max_depth"] == 5
    assert len({it.meta["theory"] for it in items}) == 345


def test_proofwriter_linc360():
    items = ds.load_proofwriter("linc360")
    assert len(items) == 360
    assert labels(items) == {"True": 120, "False": 120, "Uncertain": 120}
    assert [it.id for it in items] == [f"PW360_{k}" for k in range(360)]
    assert Counter(it.meta["depth"] for it in items) == {d: 60 for d in range(6)}
    assert Counter((it.meta["depth"], it.label) for it in items) == {
        (d, lab): 20 for d in range(6) for lab in ds.LABELS
    }
    assert sum(it.meta["pw_theory_id"] is not None for it in items) == 158
    assert all(it.premises and it.conclusion for it in items)


def test_sentence_split_matches_linc_premises():
    # LINC-360 stores both the theory text and its premise list: the splitter must agree.
    raw = [
        json.loads(line)
        for line in (
            ds.DATA_DIR / "proofwriter/linc_360/proofwriter_linc360_reconstructed.jsonl"
        ).open(encoding="utf-8")
    ]
    for r in raw:
        assert ds.split_sentences(r["theory"]) == list(r["premises"])


# --------------------------------------------------------------------------- LogiQA v1


# Options that still start with their own position's prefix after one prefix was stripped: all
# are genuine content (upstream "A.A.", "A.A.B, and C ...", dialogues "A.A? ... B? ...").
_CONTENT_PREFIXED = {
    "test": [(4, 0), (4, 1), (4, 2), (133, 0)],
    "eval": [(232, 0), (423, 0), (450, 0), (458, 0), (460, 0)],
}


@pytest.mark.parametrize(
    "split,dist",
    [
        ("test", {0: 132, 1: 159, 2: 179, 3: 181}),
        ("eval", {0: 109, 1: 122, 2: 150, 3: 270}),
    ],
)
def test_logiqa_v1(split, dist):
    items = ds.load_logiqa(split)
    assert len(items) == 651
    assert dict(Counter(it.answer for it in items)) == dist
    assert [it.id for it in items] == [f"LogiQA_{split}_{i}" for i in range(651)]
    for it in items:
        assert isinstance(it, ChoiceItem)
        assert len(it.options) == 4 and all(it.options)
        assert all(o == o.strip() for o in it.options)
        assert it.context and it.question
    prefix = re.compile(r"[A-Da-d]\s*[.．?？]")
    leftovers = [
        (it.meta["index"], j)
        for it in items
        for j, o in enumerate(it.options)
        if prefix.match(o) and o[0].upper() == "ABCD"[j]
    ]
    assert leftovers == _CONTENT_PREFIXED[split]


def test_logiqa_v1_quirks():
    test = ds.load_logiqa("test")
    first = test[0]
    assert first.options[0] == "Civic Park is north of the administrative service area"
    assert first.answer == 0
    assert test[2].options == (
        "No dangshen",
        "No Shouwu",
        "有 白 术",
        "不 白 术",
    )  # "A No dangshen"
    assert test[4].options == ("A.", "B.", "C.", "Ding.")  # upstream "A.A."
    # Upstream lists A, C, B, D in 19 items; the answer letter follows the label (item 114:
    # Harbin people are all northerners and some are not workers, so the answer is "b").
    reordered = [it.meta["index"] for it in test if it.meta["options_reordered"]]
    assert len(reordered) == 19 and 114 in reordered
    assert test[114].options[test[114].answer] == "Some northerners are not workers."
    assert test[108].options[test[108].answer] == "No.2 valve and No.3 valve."
    assert test[172].options[test[172].answer] == "The money is on Tuesday."
    ev = ds.load_logiqa("eval")
    assert not any(it.meta["options_reordered"] for it in ev)
    assert ev[39].options[3].startswith("The fertility rate")  # "d.The fertility..."
    assert ev[532].options[2].startswith("A small amount of cultivated land")  # article kept
    assert sum(len(it.meta["options_missing_prefix"]) for it in test + ev) == 21


def test_logiqa_bad_version_and_split():
    with pytest.raises(DatasetError, match="load_logiqa2"):
        ds.load_logiqa("test", version=2)
    with pytest.raises(DatasetError, match="test, eval"):
        ds.load_logiqa("train")


# --------------------------------------------------------------------------- LogiQA 2.0


def _write_v2(path, rows):
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )


def test_logiqa2_fixture(tmp_path):
    kinds = {"Sufficient Conditional Reasoning": True, "Categorical Reasoning": False}
    rows = [
        logiqa2_row(
            2920,
            3,
            "One seminar had 18 participants. ",
            "Which follows?",
            ["o1", "o2", "o3", "o4"],
            kinds,
        ),
        logiqa2_row(17, 0, "T2", "Q2", ["A man is here", "B is there", "o3", "o4"], {}),
        logiqa2_row(
            2920,
            1,
            "duplicate id, different item",
            "Q3",
            ["a", "b", "c", "d"],
            {"Disjunctive Reasoning": True},
        ),
    ]
    p = tmp_path / "test.txt"
    _write_v2(p, rows)
    items = ds.load_logiqa2(p)
    assert [it.id for it in items] == ["LogiQA2_2920", "LogiQA2_17", "LogiQA2_2920_2"]
    assert items[0].answer == 3 and items[0].context == "One seminar had 18 participants."
    assert items[0].options == ("o1", "o2", "o3", "o4")
    assert items[0].meta["types"] == ("Sufficient Conditional Reasoning",)
    assert items[1].options[:2] == ("A man is here", "B is there")  # no prefix stripping in v2 text
    assert items[1].meta["types"] == ()
    assert items[2].meta["upstream_id"] == 2920
    assert ds.load("logiqa2", path=str(p)) == items

    ood = tmp_path / "ood_test.jsonl"  # OOD file: prefixed options, no "type"
    _write_v2(
        ood,
        [
            {
                "id": 1,
                "answer": 2,
                "text": "t",
                "question": "q",
                "options": ["A.one", "B.two", "C.three", "D.four"],
            }
        ],
    )
    (item,) = ds.load_logiqa2(ood)
    assert item.options == ("one", "two", "three", "four") and item.meta["types"] == ()


def test_logiqa2_errors(tmp_path):
    with pytest.raises(DatasetError, match="not found"):
        ds.load_logiqa2(tmp_path / "missing.txt")
    with pytest.raises(DatasetError, match="not a file"):
        ds.load_logiqa2(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_text('{"id": 1, "answer": 0}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="bad.txt:1"):
        ds.load_logiqa2(bad)
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(DatasetError):
        ds.load_logiqa2(bad)
    bad.write_text(
        json.dumps(
            {"id": 1, "answer": 4, "text": "t", "question": "q", "options": ["a", "b", "c", "d"]}
        )
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError, match="out of range"):
        ds.load_logiqa2(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="no records"):
        ds.load_logiqa2(empty)
    with pytest.raises(DatasetError, match="path"):
        ds.load("logiqa2")


# --------------------------------------------------------------------------- dispatch


def test_load_dispatch_defaults():
    assert [it.id for it in ds.load("folio")] == [it.id for it in ds.load_folio("all")]
    assert len(ds.load("FOLIO", "linc182")) == 182
    assert len(ds.load("proofwriter")) == 600
    assert len(ds.load("proofwriter", "linc360")) == 360
    assert ds.load("logiqa")[0].id == "LogiQA_test_0"
    assert ds.load("logiqa", "eval")[0].id == "LogiQA_eval_0"


def test_load_bad_names():
    with pytest.raises(DatasetError, match="folio, proofwriter, logiqa"):
        ds.load("prontoqa")
    with pytest.raises(DatasetError, match="all, linc182, train"):
        ds.load("folio", "test")
    with pytest.raises(DatasetError, match="logiclm600, linc360"):
        ds.load("proofwriter", "depth5")
    with pytest.raises(DatasetError, match="linc182"):
        ds.load_folio("dev")
    with pytest.raises(DatasetError):
        ds.load_proofwriter("all")
    assert issubclass(DatasetError, ValueError)


def test_items_frozen_and_hashable():
    it = ds.load_folio("all")[0]
    with pytest.raises(AttributeError):
        it.label = "True"  # type: ignore[misc]
    assert len({it, ds.load_folio("all")[0]}) == 1
    assert ds.normalize_label("Unknown") == "Uncertain"
    with pytest.raises(DatasetError):
        ds.normalize_label("maybe")


def test_gold_premises_map_by_index_only_when_there_is_one_formula_per_premise():
    def item(fol):
        return EntailmentItem(
            id="x",
            premises=("Ann sings.", "Bo hums."),
            conclusion="Ann sings.",
            label="True",
            premises_fol=fol,
            conclusion_fol="Sings(ann)",
        )

    assert item(("Sings(ann)", "Hums(bo)")).gold_premises == ("Sings(ann)", "Hums(bo)")
    assert item(("Sings(ann) ∧ Hums(bo)",)).gold_premises is None  # two sentences, one formula
    assert item(None).gold_premises is None
