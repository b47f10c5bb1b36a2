"""Typed trace events: every committed run's traces read back as events and written out again
are the same JSON, and readers get fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from neurologic.trace import FallbackEvent
from neurologic.trace import FormulasEvent
from neurologic.trace import LineCheckEvent
from neurologic.trace import OptionCheckEvent
from neurologic.trace import SymbolsEvent
from neurologic.trace import read_trace

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"


def test_every_committed_trace_round_trips_to_the_same_json():
    runs = sorted(RESULTS.glob("*/samples.jsonl"))
    assert runs
    steps = 0
    for path in runs:
        for line in path.read_text(encoding="utf-8").splitlines():
            trace = json.loads(line).get("trace") or []
            again = [json.loads(json.dumps(e.model_dump())) for e in read_trace(trace)]
            assert json.dumps(again) == json.dumps(trace), path
            steps += len(trace)
    assert steps > 10_000


def test_an_event_keeps_only_the_fields_it_was_given():
    failed = OptionCheckEvent(option=2, error="ParseError: …")
    assert failed.model_dump() == {"step": "option_check", "option": 2, "error": "ParseError: …"}
    ran = OptionCheckEvent(option=0, verdict=None, usage={"calls": 3})
    assert ran.model_dump() == {
        "step": "option_check",
        "option": 0,
        "verdict": None,
        "usage": {"calls": 3},
    }


def test_readers_get_typed_fields():
    events = read_trace(
        [
            {"step": "symbols", "output": "Dog(x)", "notes": []},
            {
                "step": "line_check",
                "sample": 0,
                "line": "P2",
                "written": "Dog(rex",
                "problem": "p",
                "alternatives": [],
                "kept": "Dog(rex)",
            },
            {
                "step": "refine",
                "sample": 1,
                "round": 2,
                "output": "P1: A(a)\nC: B(a)",
                "logprob": -1.5,
                "status": "ok",
                "verdict": "True",
                "error": None,
            },
            {"step": "fallback", "reason": "no executable sample", "orders": [[0, 1, 2]]},
        ]
    )
    symbols, check, refine, fallback = events
    assert isinstance(symbols, SymbolsEvent) and symbols.added_constants is None
    assert isinstance(check, LineCheckEvent) and check.kept == "Dog(rex)"
    assert isinstance(refine, FormulasEvent) and refine.program() == (["A(a)"], "B(a)")
    assert isinstance(fallback, FallbackEvent) and fallback.orders == [[0, 1, 2]]


def test_an_unknown_step_or_a_missing_field_is_refused():
    with pytest.raises(ValidationError):
        read_trace([{"step": "guess", "output": "x"}])
    with pytest.raises(ValidationError):
        read_trace([{"step": "formulas", "sample": 0}])
