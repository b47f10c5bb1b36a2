"""Re-solve every committed run's saved translations and check its answers are reproduced.

``python -m benchmarks.reproduce --out DIR [RUN ...]`` re-solves each run directory (default:
every one under ``benchmarks/results``) with no model: saved formulas, the run's vote rule, z3.
It prints, per run, how many symbolic answers (not settled by model scores) come out the same,
with the premises used. ``--against OTHER`` compares each re-solved record with the one this
command wrote into ``OTHER`` at another commit. Exit status 1 when anything differs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neurologic.trace import TieBreakEvent
from neurologic.trace import read_trace

from . import run as runner

RESULTS = Path(__file__).resolve().parent / "results"
_RECORD_KEYS = (
    "prediction",
    "method",
    "votes",
    "premises_used",
    "errors",
    "executable",
    "faithful",
)


def _records(path: Path) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return {r["id"]: r for r in map(json.loads, handle) if r}


def _settled_by_proof(record: dict[str, Any]) -> bool:
    return record["method"] == "symbolic" and not any(
        isinstance(event, TieBreakEvent) for event in read_trace(record.get("trace"))
    )


def resolve(run: Path, out: Path) -> int:
    """Re-solve ``run``'s saved translations into ``out``; the runner's exit status."""
    config = json.loads((run / "results.json").read_text(encoding="utf-8"))["config"]
    ids = ",".join(_records(run / "samples.jsonl"))
    with contextlib.redirect_stdout(io.StringIO()):  # the runner's headline: not wanted here
        return runner.main(
            [
                "--dataset",
                config["dataset"],
                "--subset",
                config.get("subset") or "all",
                "--ids",
                ids,
                "--translations",
                str(run / "samples.jsonl"),
                "--vote",
                config.get("vote") or "majority",
                "--sample-more",
                "always",
                "--solver",
                "z3",
                "--no-cache",
                "--quiet",
                "--out",
                str(out),
            ]
        )


def _sample_key(sample: dict[str, Any]) -> tuple[Any, ...]:
    return (sample["status"], sample["verdict"], sample["used_premises"], sample.get("repairs"))


def differences(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> list[str]:
    """What differs between two re-solves of the same run, item by item."""
    found = []
    for item, record in a.items():
        other = b.get(item)
        if other is None:
            found.append(f"{item}: missing")
            continue
        found += [
            f"{item}: {key} {record.get(key)!r} != {other.get(key)!r}"
            for key in _RECORD_KEYS
            if record.get(key) != other.get(key)
        ]
        if [_sample_key(s) for s in record["samples"]] != [
            _sample_key(s) for s in other["samples"]
        ]:
            found.append(f"{item}: samples differ")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.reproduce", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "runs", nargs="*", type=Path, help="run directories (default: all committed)"
    )
    parser.add_argument("--out", type=Path, required=True, help="where the re-solves are written")
    parser.add_argument("--against", type=Path, help="an --out of this command at another commit")
    args = parser.parse_args(argv)
    runs = args.runs or sorted(p for p in RESULTS.iterdir() if (p / "results.json").is_file())
    failed = False
    for run in runs:
        out = args.out / run.name
        if resolve(run, out) != 0:
            print(f"{run.name}: the re-solve failed", file=sys.stderr)
            failed = True
            continue
        committed, again = _records(run / "samples.jsonl"), _records(out / "samples.jsonl")
        settled = [i for i, r in committed.items() if _settled_by_proof(r)]
        same = [
            i
            for i in settled
            if again[i]["prediction"] == committed[i]["prediction"]
            and again[i]["premises_used"] == committed[i]["premises_used"]
        ]
        line = f"{run.name}: {len(same)}/{len(settled)} symbolic answers reproduced"
        failed |= len(same) != len(settled)
        other = None if args.against is None else args.against / run.name / "samples.jsonl"
        if other is not None and not other.is_file():
            line += f"; not compared: {other} does not exist (a run the other re-solve lacks)"
        elif other is not None:
            found = differences(_records(other), again)
            line += f"; {len(found)} differences from {args.against / run.name}"
            failed |= bool(found)
            for difference in found[:5]:
                line += f"\n    {difference}"
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
