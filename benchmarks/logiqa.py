"""LogiQA: v1 ``Test.txt`` / ``Eval.txt`` (vendored) and LogiQA 2.0 (a path the user gives),
read into multiple-choice items with option prefixes removed."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from .items import ChoiceItem
from .items import DatasetError
from .items import path_of

__all__ = ["LOGIQA_SPLITS", "load_logiqa", "load_logiqa2"]

LOGIQA_SPLITS = ("test", "eval")
_LOGIQA_FILES = {"test": "logiqa/v1/Test.txt", "eval": "logiqa/v1/Eval.txt"}
_LETTERS = "ABCD"
# "A." "A?" "A)" "d." ...: a letter and a punctuation mark at the start of the option.
_STRONG_PREFIX = re.compile(r"\s*([A-Da-d])\s*[.．?？:：)、]\s*(.*)", re.S)
# "A No dangshen": letter and a space, trusted only at its own position (LogiQA v1 only).
_WEAK_PREFIX = re.compile(r"([A-D])\s+(\S.*)", re.S)


def _parse_options(raw: list[str], *, weak: bool) -> tuple[list[str], list[int], bool]:
    """Strip option letter prefixes. Returns (options, indices_without_prefix, reordered).

    When the four lines carry all of A-D but out of order (19 LogiQA v1 test items list
    A, C, B, D), the options are put in letter order: the answer letter refers to the label,
    not the line (checked by hand on items 108, 114 and 172).
    """
    parsed: list[tuple[str | None, str]] = []
    for j, line in enumerate(raw):
        text = line.strip()
        m = _STRONG_PREFIX.fullmatch(text)
        if m:
            parsed.append((m.group(1).upper(), m.group(2).strip()))
            continue
        m = _WEAK_PREFIX.fullmatch(text) if weak else None
        if m and j < len(_LETTERS) and m.group(1) == _LETTERS[j]:
            parsed.append((m.group(1), m.group(2).strip()))
        else:
            parsed.append((None, text))
    letters = [p[0] for p in parsed]
    if len(raw) == 4 and sorted(letters, key=str) == list(_LETTERS) and letters != list(_LETTERS):
        by_letter = dict(parsed)
        return [by_letter[c] for c in _LETTERS], [], True  # type: ignore[index]
    options, missing = [], []
    for j, ((letter, text), line) in enumerate(zip(parsed, raw)):
        if letter is not None and j < len(_LETTERS) and letter == _LETTERS[j]:
            options.append(text)
        else:  # no prefix, or a letter that is not this position's: keep the line as is
            options.append(line.strip())
            missing.append(j)
    return options, missing, False


def load_logiqa(split: str = "test", version: int = 1) -> list[ChoiceItem]:
    """LogiQA v1 (English), ``split`` = ``"test"`` or ``"eval"`` (651 each).

    ``meta["options_missing_prefix"]`` lists option indices that had no letter prefix upstream;
    ``meta["options_reordered"]`` is True where the upstream lines were out of letter order.
    For LogiQA 2.0 use :func:`load_logiqa2` with a path (it is not vendored).
    """
    if version == 2:
        raise DatasetError("LogiQA 2.0 is not vendored (CC BY-NC-SA 4.0); use load_logiqa2(path)")
    if version != 1:
        raise DatasetError(
            f"unknown LogiQA version {version!r}; valid: 1 (vendored), 2 (load_logiqa2(path))"
        )
    if split not in _LOGIQA_FILES:
        raise DatasetError(
            f"unknown LogiQA split {split!r}; valid splits: {', '.join(LOGIQA_SPLITS)}"
        )
    rel = _LOGIQA_FILES[split]
    lines = path_of(rel).read_text(encoding="utf-8").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) % 8:
        lines += [""] * (8 - len(lines) % 8)
    items = []
    for i in range(len(lines) // 8):
        block = lines[8 * i : 8 * i + 8]
        letter = block[1].strip().lower()
        if block[0].strip() or letter not in "abcd" or len(letter) != 1:
            raise DatasetError(f"{rel}: malformed record {i} at line {8 * i + 1}")
        options, missing, reordered = _parse_options(block[4:8], weak=True)
        items.append(
            ChoiceItem(
                id=f"LogiQA_{split}_{i}",
                context=block[2].strip(),
                question=block[3].strip(),
                options=tuple(options),
                answer="abcd".index(letter),
                meta={
                    "index": i,
                    "line": 8 * i,
                    "options_missing_prefix": missing,
                    "options_reordered": reordered,
                },
            )
        )
    return items


def load_logiqa2(path: str | os.PathLike[str]) -> list[ChoiceItem]:
    """LogiQA 2.0 MRC file given by the user (JSON lines: id, answer (0-based), text, question,
    options, type; ``ood_test.jsonl`` has no ``type`` and ``A.``-prefixed options).

    Ids are ``LogiQA2_<id>``. The upstream ids are not unique (test.txt reuses 4 ids and dev.txt
    2, for different questions): a repeated id gets ``_<n>`` appended from its second
    occurrence on (``LogiQA2_10906``, ``LogiQA2_10906_2``). ``meta["types"]`` = the true keys
    of ``type``.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise DatasetError(
            f"LogiQA 2.0 file not found: {p} (expected e.g. LogiQA2.0/logiqa/DATA/LOGIQA/test.txt)"
        )
    if not p.is_file():
        raise DatasetError(f"LogiQA 2.0 path is not a file: {p}")
    seen: Counter[Any] = Counter()
    items = []
    with open(p, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                options_raw = [str(o) for o in r["options"]]
                answer = int(r["answer"])
                uid = r["id"]
                text, question = str(r["text"]).strip(), str(r["question"]).strip()
                types = r.get("type") or {}
                if not isinstance(types, dict):
                    raise TypeError("'type' is not an object")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                raise DatasetError(
                    f"{p}:{n}: not a LogiQA 2.0 MRC record ({type(e).__name__}: {e})"
                ) from None
            if not options_raw or not 0 <= answer < len(options_raw):
                raise DatasetError(
                    f"{p}:{n}: answer {answer} out of range for {len(options_raw)} options"
                )
            options, missing, reordered = _parse_options(options_raw, weak=False)
            if len(missing) not in (0, len(options_raw)):  # partial prefixes: keep the raw text
                options, reordered = [o.strip() for o in options_raw], False
            seen[uid] += 1
            k = seen[uid]
            items.append(
                ChoiceItem(
                    id=f"LogiQA2_{uid}" if k == 1 else f"LogiQA2_{uid}_{k}",
                    context=text,
                    question=question,
                    options=tuple(options),
                    answer=answer,
                    meta={
                        "upstream_id": uid,
                        "line": n - 1,
                        "types": tuple(t for t, v in types.items() if v),
                        "options_reordered": reordered,
                    },
                )
            )
    if not items:
        raise DatasetError(f"LogiQA 2.0 file has no records: {p}")
    return items
