"""The few-shot resource: built from FOLIO train by benchmarks.build_fewshot, shipped with its
licence and checksum, read by the library without touching benchmarks."""

from __future__ import annotations

import shutil

import pytest

from benchmarks.build_fewshot import main as build_main
from neurologic import fewshot


def test_the_shipped_resource_is_what_the_build_script_writes():
    assert build_main(["--check"]) == 0


def test_the_examples_come_from_the_resource_with_their_symbol_tables():
    examples = fewshot.training_examples()
    assert len(examples) >= 100
    assert [e.story_id for e in examples] == sorted(e.story_id for e in examples)
    anchor = fewshot.anchor_example()
    assert anchor in examples and "∀" in " ".join(anchor.formulas + (anchor.conclusion_formula,))
    assert len(fewshot.resource_checksum()) == 64


def test_a_changed_resource_is_refused_with_how_to_rebuild(tmp_path, monkeypatch):
    copy = tmp_path / "resources"
    shutil.copytree(fewshot.RESOURCE_DIR, copy)
    with (copy / "fewshot_folio_train.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    monkeypatch.setattr(fewshot, "RESOURCE_DIR", copy)
    fewshot.resource_checksum.cache_clear()
    try:
        with pytest.raises(fewshot.ResourceError, match="python -m benchmarks.build_fewshot"):
            fewshot.resource_checksum()
        assert build_main(["--check", "--out", str(copy)]) == 1
    finally:
        fewshot.resource_checksum.cache_clear()
