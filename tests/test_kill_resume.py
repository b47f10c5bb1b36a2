"""A run SIGKILLed at random points and resumed ends with exactly an uninterrupted run's records."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.records import RecordWriter
from benchmarks.records import read_records
from tests.helpers import cnl_proofwriter_args

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400  # ProofWriter through the controlled-English grammar: no model, ~7 s for 400 items
ARGS = [*cnl_proofwriter_args("logiclm600", LIMIT), "--quiet"]
KEPT = ("prediction", "correct", "method", "votes", "premises_used", "errors")


def _start(out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.run", *ARGS, "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _kill_after_progress(out: Path, rng: random.Random) -> bool:
    """Start a run, let it write at least one new record, SIGKILL it at a random moment after.
    True if the kill landed before the run finished."""
    samples = out / "samples.jsonl"
    before = _lines(samples)
    process = _start(out)
    deadline = time.monotonic() + 60
    while _lines(samples) <= before and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(rng.uniform(0.0, 1.5))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return process.returncode == -signal.SIGKILL and _lines(samples) < LIMIT


def _by_id(path: Path) -> dict[str, dict]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an item was written twice"
    return {r["id"]: {k: r[k] for k in KEPT} for r in records}


def test_killed_three_times_and_resumed_equals_an_uninterrupted_run(tmp_path):
    reference = tmp_path / "reference"
    assert (
        subprocess.run(
            [sys.executable, "-m", "benchmarks.run", *ARGS, "--out", str(reference)],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
        ).returncode
        == 0
    )
    killed = tmp_path / "killed"
    rng = random.Random(20240611)
    landed = [_kill_after_progress(killed, rng) for _ in range(3)]
    assert sum(landed) >= 2, landed  # the kills hit a run in progress
    final = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", *ARGS, "--out", str(killed)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert final.returncode == 0, final.stderr.decode()
    assert _by_id(killed / "samples.jsonl") == _by_id(reference / "samples.jsonl")
    results = json.loads((killed / "results.json").read_text())
    expected = json.loads((reference / "results.json").read_text())
    assert results["n"] == LIMIT and results["accuracy"] == expected["accuracy"]
    assert results["per_label"] == expected["per_label"]


def test_the_writer_never_appends_onto_a_torn_line(tmp_path):
    path = tmp_path / "samples.jsonl"
    path.write_text('{"id": "a", "x": 1}\n{"id": "b", "x"', encoding="utf-8")  # killed mid-line
    with RecordWriter(path) as writer:  # even without read_records first
        writer.write({"id": "c", "x": 3})
    assert path.read_text(encoding="utf-8").splitlines() == [
        '{"id": "a", "x": 1}',
        '{"id": "c", "x": 3}',
    ]
    assert [r["id"] for r in read_records(path)] == ["a", "c"]


def test_a_file_that_is_only_a_torn_line_is_emptied(tmp_path):
    path = tmp_path / "samples.jsonl"
    path.write_text('{"id": "b", "x"', encoding="utf-8")
    with RecordWriter(path) as writer:
        writer.write({"id": "c"})
    assert read_records(path) == [{"id": "c"}]
