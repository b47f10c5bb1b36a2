"""How often the grounding check flags a dataset's own gold formulas: ``python -m benchmarks.grounding_lines [--subset train] [--show N]``.

A gold premise formula that the check says "says more than its sentence" is either a false
alarm (a paraphrase the words do not license: the check's precision) or an annotator's own
over-translation. FOLIO train has gold premise FOL, so the grounding lexicon is developed
against this number on ``train``; ``all`` (validation) is for reporting only. Each distinct
(sentence, formula) pair counts once; items whose premises and formulas are not one to one are
left out.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterable
from collections.abc import Sequence
from typing import NamedTuple

from neurologic.language.licensing import ungrounded_premise

from .datasets import EntailmentItem
from .datasets import load


class FlaggedLine(NamedTuple):
    sentence: str
    formula: str
    symbols: list[str]


def flagged_gold_lines(items: Iterable[EntailmentItem]) -> tuple[int, list[FlaggedLine]]:
    """The number of distinct gold premise lines, and those whose formula has a symbol its
    sentence (with the sentence before it, when it has a pronoun) does not license."""
    seen: set[tuple[str, str]] = set()
    flagged: list[FlaggedLine] = []
    for item in items:
        gold = item.gold_premises
        if gold is None:
            continue
        for index, (sentence, formula) in enumerate(zip(item.premises, gold)):
            if (sentence, formula) in seen:
                continue
            seen.add((sentence, formula))
            symbols = ungrounded_premise(item.premises, gold, index)
            if symbols:
                flagged.append(FlaggedLine(sentence, formula, symbols))
    return len(seen), flagged


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.grounding_lines", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--subset", default="train", help="FOLIO subset: train (default) or all")
    parser.add_argument(
        "--show",
        type=int,
        default=0,
        metavar="N",
        help="print N flagged lines, drawn at random (seed 0)",
    )
    args = parser.parse_args(argv)
    items = [i for i in load("folio", args.subset) if isinstance(i, EntailmentItem)]
    lines, flagged = flagged_gold_lines(items)
    share = len(flagged) / lines if lines else 0.0
    print(
        f"FOLIO {args.subset}: {lines} distinct gold premise lines, {len(flagged)} flagged "
        f"({share:.1%})"
    )
    for line in random.Random(0).sample(flagged, min(args.show, len(flagged))):
        print(f"  {', '.join(line.symbols)} | {line.sentence} | {line.formula}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
