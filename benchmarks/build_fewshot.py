"""Build the few-shot resource the library ships: FOLIO v1 *train* stories as worked translations.

``python -m benchmarks.build_fewshot`` writes ``neurologic/resources/fewshot_folio_train.jsonl``
(one usable story per line, by story id), ``fewshot_folio_train.json`` (source, licence, count,
SHA-256 of the JSONL) and the licence text beside them. The library reads only these files, so
an installed ``neurologic`` never reaches into ``benchmarks`` or the datasets; the run manifest
records the checksum. ``--check`` rebuilds in memory and fails when the shipped files differ.

Which stories are usable is decided here, once: premise and conclusion FOL that parse, pass the
signature check and stay inside the language the formula grammar admits
(:func:`neurologic.fewshot.admissible`), bound variables renamed x, y, z, w by depth.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neurologic.fewshot import RESOURCE_DIR
from neurologic.fewshot import admissible
from neurologic.fewshot import canonical_variables
from solvers import ParseError
from solvers import parse
from solvers import to_unicode

from .datasets import DATA_DIR
from .datasets import load_folio

__all__ = ["build", "main"]

JSONL = "fewshot_folio_train.jsonl"
META = "fewshot_folio_train.json"
LICENCE = "LICENSE-FOLIO-CC-BY-SA-4.0.txt"
_LICENCE_SOURCE = "folio/yale_v1/LICENSE"


def usable_stories() -> list[dict[str, Any]]:
    """Every usable FOLIO training story (the first item of each story), by story id."""
    stories: dict[int, dict[str, Any]] = {}
    for item in load_folio("train"):
        story = int(item.meta.get("story_id", -1))
        gold = item.gold_premises
        if story in stories or not gold or len(gold) < 3:
            continue
        try:
            formulas = [canonical_variables(parse(t, repair=False).formula) for t in gold]
        except (ParseError, ValueError):
            continue
        if not admissible(formulas):
            continue
        texts = [to_unicode(f) for f in formulas]
        sentences = [s.strip() for s in item.premises]
        stories[story] = {
            "story_id": story,
            "source_id": item.id,
            "sentences": sentences[:-1],
            "formulas": texts[:-1],
            "conclusion": sentences[-1],
            "conclusion_formula": texts[-1],
        }
    return [stories[k] for k in sorted(stories)]


def build() -> dict[str, bytes]:
    """The resource files, by name."""
    lines = [json.dumps(s, ensure_ascii=False, sort_keys=True) for s in usable_stories()]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    meta = {
        "source": "Yale-LILY FOLIO v0.0 (v1), folio-train.jsonl: the premises of each story's "
        "first item, its last premise playing the conclusion",
        "licence": "CC BY-SA 4.0 (" + LICENCE + ")",
        "built_by": "python -m benchmarks.build_fewshot",
        "stories": len(lines),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    licence = (DATA_DIR / _LICENCE_SOURCE).read_bytes()
    return {
        JSONL: data,
        META: (json.dumps(meta, indent=2) + "\n").encode("utf-8"),
        LICENCE: licence,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.build_fewshot", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail (exit 1) when the shipped files differ from a fresh build",
    )
    parser.add_argument("--out", type=Path, default=RESOURCE_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = [
            n
            for n, b in files.items()
            if not (args.out / n).is_file() or (args.out / n).read_bytes() != b
        ]
        for name in stale:
            print(f"{args.out / name} differs from a fresh build", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (args.out / name).write_bytes(content)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
