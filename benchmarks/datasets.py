"""Typed loaders for the benchmark data vendored under ``benchmarks/data/``.

Every loader reads local files only (no network) and returns items in file order with stable ids
shared with the anchor papers (see ``benchmarks/data/README.md`` for sources, licences, checksums):

* FOLIO v1 validation line *j* -> ``FOLIO_dev_<j>`` (Logic-LM's ids; LINC-182 is a subset of them),
  FOLIO v1 train line *j* -> ``FOLIO_train_<j>`` (few-shot material only, never evaluation).
* ProofWriter (Logic-LM dev, 600) -> Logic-LM's ids ``ProofWriter_<theory>_<question>``;
  LINC's 360 -> ``PW360_<linc_index>``.
* LogiQA v1 ``Test.txt`` / ``Eval.txt`` item *i* -> ``LogiQA_test_<i>`` / ``LogiQA_eval_<i>``.
* LogiQA 2.0 (not vendored, CC BY-NC-SA; the user passes a path) -> ``LogiQA2_<id>``.

Normalisation done here (the files themselves stay byte-for-byte upstream):
labels ``Unknown`` -> ``Uncertain``; surrounding whitespace stripped from every sentence, formula,
context, question and option; LogiQA option prefixes (``A.``) removed where present.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Union

from neurologic.sentences import split_sentences

__all__ = [
    "DATA_DIR",
    "LABELS",
    "DATASETS",
    "DatasetError",
    "EntailmentItem",
    "ChoiceItem",
    "normalize_label",
    "load_folio",
    "load_proofwriter",
    "load_logiqa",
    "load_logiqa2",
    "load",
    "verify_checksums",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

Label = Literal["True", "False", "Uncertain"]
LABELS: tuple[str, ...] = ("True", "False", "Uncertain")

_LABEL_MAP = {
    "true": "True",
    "false": "False",
    "uncertain": "Uncertain",
    "unknown": "Uncertain",
}


class DatasetError(ValueError):
    """A dataset, subset or data file could not be found or read."""


@dataclass(frozen=True)
class EntailmentItem:
    """Premises + conclusion, gold label True / False / Uncertain."""

    id: str
    premises: tuple[str, ...]
    conclusion: str
    label: Label
    premises_fol: tuple[str, ...] | None = None
    conclusion_fol: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ChoiceItem:
    """Multiple choice: context, question, options (no letter prefix), 0-based gold index."""

    id: str
    context: str
    question: str
    options: tuple[str, ...]
    answer: int
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


Item = Union[EntailmentItem, ChoiceItem]


def normalize_label(label: Any) -> Label:
    """Map a dataset label (True/False/Uncertain/Unknown, any case, bools) to LABELS."""
    key = str(label).strip().lower()
    try:
        return _LABEL_MAP[key]  # type: ignore[return-value]
    except KeyError:
        raise DatasetError(f"unknown label {label!r}; expected one of True, False, Uncertain, Unknown") from None


# --------------------------------------------------------------------------- file helpers


def _path(rel: str) -> Path:
    p = DATA_DIR / rel
    if not p.is_file():
        raise DatasetError(f"vendored data file missing: {p} (is the package data installed?)")
    return p


@lru_cache(maxsize=None)
def _read_jsonl(rel: str) -> tuple[dict[str, Any], ...]:
    rows = []
    with open(_path(rel), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise DatasetError(f"{rel}:{n}: invalid JSON: {e}") from None
    return tuple(rows)


@lru_cache(maxsize=None)
def _read_json(rel: str) -> Any:
    with open(_path(rel), encoding="utf-8") as f:
        return json.load(f)


def _strs(xs: Any) -> tuple[str, ...]:
    return tuple(str(x).strip() for x in xs)


# --------------------------------------------------------------------------- FOLIO

FOLIO_SUBSETS = ("all", "linc182", "train")
_FOLIO_VAL = "folio/yale_v1/folio-validation.jsonl"
_FOLIO_TRAIN = "folio/yale_v1/folio-train.jsonl"
_FOLIO_LINC = "folio/linc_182/folio_v1_validation_linc182.jsonl"


def _folio_dev_item(j: int, r: dict[str, Any], **meta: Any) -> EntailmentItem:
    return EntailmentItem(
        id=f"FOLIO_dev_{j}",
        premises=_strs(r["premises"]),
        conclusion=str(r["conclusion"]).strip(),
        label=normalize_label(r["label"]),
        premises_fol=_strs(r["premises-FOL"]),
        conclusion_fol=str(r["conclusion-FOL"]).strip(),
        meta={"index": j, **meta},
    )


def load_folio(subset: str = "all") -> list[EntailmentItem]:
    """FOLIO v1 (Yale-LILY v0.0).

    * ``"all"``: the 204 validation items, ``FOLIO_dev_<j>`` (j = 0-based line), with gold FOL.
      Note: 10 of them (lines 9-11, 87, 105-107, 173-175) have a different number of
      premises than premises-FOL.
    * ``"linc182"``: LINC's 182-item subset of the same ids, in LINC's evaluation order
      (``meta["linc_index"]``).
    * ``"train"``: the 1004 training items, ``FOLIO_train_<j>``; no conclusion FOL upstream.
      For few-shot examples only.
    """
    if subset == "all":
        return [_folio_dev_item(j, r) for j, r in enumerate(_read_jsonl(_FOLIO_VAL))]
    if subset == "linc182":
        val = _read_jsonl(_FOLIO_VAL)
        items = []
        for r in sorted(_read_jsonl(_FOLIO_LINC), key=lambda r: r["linc_index"]):
            j = int(r["folio_v1_validation_index"])
            if r["logic_lm_id"] != f"FOLIO_dev_{j}" or normalize_label(r["label"]) != normalize_label(val[j]["label"]):
                raise DatasetError(f"{_FOLIO_LINC}: linc_index {r['linc_index']} does not match validation line {j}")
            items.append(_folio_dev_item(j, val[j], linc_index=int(r["linc_index"])))
        return items
    if subset == "train":
        return [
            EntailmentItem(
                id=f"FOLIO_train_{j}",
                premises=_strs(r["premises"]),
                conclusion=str(r["conclusion"]).strip(),
                label=normalize_label(r["label"]),
                premises_fol=_strs(r["premises-FOL"]),
                conclusion_fol=None,
                meta={"index": j, "story_id": r.get("story_id"), "example_id": r.get("example_id"),
                      "source": r.get("source")},
            )
            for j, r in enumerate(_read_jsonl(_FOLIO_TRAIN))
        ]
    raise DatasetError(f"unknown FOLIO subset {subset!r}; valid subsets: {', '.join(FOLIO_SUBSETS)}")


# --------------------------------------------------------------------------- ProofWriter

PROOFWRITER_SUBSETS = ("logiclm600", "linc360")
_PW_LOGICLM = "proofwriter/logic_lm/dev.json"
_PW_LINC = "proofwriter/linc_360/proofwriter_linc360_reconstructed.jsonl"
_PW_ID = re.compile(r"ProofWriter_(?P<theory>.+)_(?P<q>Q\d+)")
_PW_ANSWER = {"A": "True", "B": "False", "C": "Unknown"}


def load_proofwriter(subset: str = "logiclm600") -> list[EntailmentItem]:
    """ProofWriter, OWA.

    * ``"logiclm600"``: Logic-LM's ``dev.json`` (600, depth-5 theories, balanced), ids as
      Logic-LM. Logic-LM keeps no per-question depth; the theory's name carries its maximum
      depth (``meta["theory_max_depth"]``, always 5).
    * ``"linc360"``: LINC's balanced 360 (6 depths x 3 labels x 20), ``PW360_<linc_index>``,
      ``meta["depth"]`` = QDep.
    """
    if subset == "logiclm600":
        items = []
        for k, r in enumerate(_read_json(_PW_LOGICLM)):
            m = _PW_ID.fullmatch(r["id"])
            question = str(r["question"])
            if not m or "?" not in question or r["answer"] not in _PW_ANSWER:
                raise DatasetError(f"{_PW_LOGICLM}: unexpected item {r.get('id')!r}")
            theory = m.group("theory")
            dm = re.search(r"-D(\d+)-", theory)
            items.append(
                EntailmentItem(
                    id=r["id"],
                    premises=tuple(split_sentences(r["context"])),
                    conclusion=question.rsplit("?", 1)[1].strip(),
                    label=normalize_label(_PW_ANSWER[r["answer"]]),
                    meta={"index": k, "theory": theory, "question_id": m.group("q"),
                          "theory_max_depth": int(dm.group(1)) if dm else None},
                )
            )
        return items
    if subset == "linc360":
        return [
            EntailmentItem(
                id=f"PW360_{r['linc_index']}",
                premises=_strs(r["premises"]),
                conclusion=str(r["question"]).strip(),
                label=normalize_label(r["answer"]),
                meta={"linc_index": int(r["linc_index"]), "depth": int(r["QDep"]),
                      "pw_theory_id": r.get("pw_theory_id")},
            )
            for r in sorted(_read_jsonl(_PW_LINC), key=lambda r: r["linc_index"])
        ]
    raise DatasetError(f"unknown ProofWriter subset {subset!r}; valid subsets: {', '.join(PROOFWRITER_SUBSETS)}")


# --------------------------------------------------------------------------- LogiQA

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
        raise DatasetError(f"unknown LogiQA version {version!r}; valid: 1 (vendored), 2 (load_logiqa2(path))")
    if split not in _LOGIQA_FILES:
        raise DatasetError(f"unknown LogiQA split {split!r}; valid splits: {', '.join(LOGIQA_SPLITS)}")
    rel = _LOGIQA_FILES[split]
    lines = _path(rel).read_text(encoding="utf-8").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) % 8:
        lines += [""] * (8 - len(lines) % 8)
    items = []
    for i in range(len(lines) // 8):
        block = lines[8 * i: 8 * i + 8]
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
                meta={"index": i, "line": 8 * i, "options_missing_prefix": missing,
                      "options_reordered": reordered},
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
        raise DatasetError(f"LogiQA 2.0 file not found: {p} (expected e.g. LogiQA2.0/logiqa/DATA/LOGIQA/test.txt)")
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
                raise DatasetError(f"{p}:{n}: not a LogiQA 2.0 MRC record ({type(e).__name__}: {e})") from None
            if not options_raw or not 0 <= answer < len(options_raw):
                raise DatasetError(f"{p}:{n}: answer {answer} out of range for {len(options_raw)} options")
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
                    meta={"upstream_id": uid, "line": n - 1, "types": tuple(t for t, v in types.items() if v),
                          "options_reordered": reordered},
                )
            )
    if not items:
        raise DatasetError(f"LogiQA 2.0 file has no records: {p}")
    return items


# --------------------------------------------------------------------------- dispatch

DATASETS: dict[str, tuple[str, ...]] = {
    "folio": FOLIO_SUBSETS,
    "proofwriter": PROOFWRITER_SUBSETS,
    "logiqa": LOGIQA_SPLITS,
    "logiqa2": ("<path>",),
}


def load(dataset: str, subset: str | None = None, *, path: str | os.PathLike[str] | None = None) -> list[Item]:
    """Load by name. ``subset=None`` picks the first listed in ``DATASETS`` (the main evaluation
    set). ``"logiqa2"`` needs ``path`` (or a path given as ``subset``)."""
    name = str(dataset).strip().lower()
    if name not in DATASETS:
        raise DatasetError(f"unknown dataset {dataset!r}; valid datasets: {', '.join(DATASETS)}")
    if name == "logiqa2":
        target = path if path is not None else subset
        if target is None:
            raise DatasetError("dataset 'logiqa2' needs a path to a LogiQA 2.0 MRC file (path=...)")
        return list(load_logiqa2(target))
    sub = DATASETS[name][0] if subset is None else subset
    if sub not in DATASETS[name]:
        raise DatasetError(f"unknown subset {subset!r} for {name}; valid subsets: {', '.join(DATASETS[name])}")
    if name == "folio":
        return list(load_folio(sub))
    if name == "proofwriter":
        return list(load_proofwriter(sub))
    return list(load_logiqa(sub))


def verify_checksums() -> dict[str, bool]:
    """Check the vendored files against ``data/SHA256SUMS``; returns {relative path: ok}."""
    import hashlib

    result = {}
    for line in _path("SHA256SUMS").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, rel = line.split(maxsplit=1)
        rel = rel.lstrip("*")
        p = DATA_DIR / rel
        result[rel] = p.is_file() and hashlib.sha256(p.read_bytes()).hexdigest() == digest
    return result
