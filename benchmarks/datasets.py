"""Typed loaders for the benchmark data vendored under ``benchmarks/data/``.

Loaders read local files only and return items in file order, with the anchor papers' ids
(sources, licences and checksums: ``benchmarks/data/README.md``):

* FOLIO v1 validation line *j* -> ``FOLIO_dev_<j>`` (Logic-LM's ids; LINC-182 is a subset of them),
  FOLIO v1 train line *j* -> ``FOLIO_train_<j>`` (few-shot material only, never evaluation).
* ProofWriter (Logic-LM dev, 600) -> Logic-LM's ids ``ProofWriter_<theory>_<question>``;
  LINC's 360 -> ``PW360_<linc_index>``.
* LogiQA v1 ``Test.txt`` / ``Eval.txt`` item *i* -> ``LogiQA_test_<i>`` / ``LogiQA_eval_<i>``.
* LogiQA 2.0 (not vendored, CC BY-NC-SA; the user passes a path) -> ``LogiQA2_<id>``.

The files stay as upstream ships them; here ``Unknown`` becomes ``Uncertain``, whitespace around
every text is stripped, and LogiQA option prefixes (``A.``) are removed.
"""

from __future__ import annotations

import os
import re
from typing import Any

from neurologic.language.sentences import split_sentences

from .items import DATA_DIR
from .items import LABELS
from .items import ChoiceItem
from .items import DatasetError
from .items import EntailmentItem
from .items import Item
from .items import Label
from .items import normalize_label
from .items import path_of
from .items import read_json
from .items import read_jsonl
from .items import strs
from .logiqa import LOGIQA_SPLITS
from .logiqa import load_logiqa
from .logiqa import load_logiqa2

__all__ = [
    "DATA_DIR",
    "LABELS",
    "DATASETS",
    "DatasetError",
    "EntailmentItem",
    "ChoiceItem",
    "Item",
    "Label",
    "LOGIQA_SPLITS",
    "normalize_label",
    "split_sentences",
    "load_folio",
    "load_proofwriter",
    "load_logiqa",
    "load_logiqa2",
    "load",
    "verify_checksums",
]

# --------------------------------------------------------------------------- FOLIO

FOLIO_SUBSETS = ("all", "linc182", "train")
_FOLIO_VAL = "folio/yale_v1/folio-validation.jsonl"
_FOLIO_TRAIN = "folio/yale_v1/folio-train.jsonl"
_FOLIO_LINC = "folio/linc_182/folio_v1_validation_linc182.jsonl"


def _folio_dev_item(j: int, r: dict[str, Any], **meta: Any) -> EntailmentItem:
    return EntailmentItem(
        id=f"FOLIO_dev_{j}",
        premises=strs(r["premises"]),
        conclusion=str(r["conclusion"]).strip(),
        label=normalize_label(r["label"]),
        premises_fol=strs(r["premises-FOL"]),
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
        return [_folio_dev_item(j, r) for j, r in enumerate(read_jsonl(_FOLIO_VAL))]
    if subset == "linc182":
        val = read_jsonl(_FOLIO_VAL)
        items = []
        for r in sorted(read_jsonl(_FOLIO_LINC), key=lambda r: r["linc_index"]):
            j = int(r["folio_v1_validation_index"])
            if r["logic_lm_id"] != f"FOLIO_dev_{j}" or normalize_label(
                r["label"]
            ) != normalize_label(val[j]["label"]):
                raise DatasetError(
                    f"{_FOLIO_LINC}: linc_index {r['linc_index']} does not match validation line {j}"
                )
            items.append(_folio_dev_item(j, val[j], linc_index=int(r["linc_index"])))
        return items
    if subset == "train":
        return [
            EntailmentItem(
                id=f"FOLIO_train_{j}",
                premises=strs(r["premises"]),
                conclusion=str(r["conclusion"]).strip(),
                label=normalize_label(r["label"]),
                premises_fol=strs(r["premises-FOL"]),
                conclusion_fol=None,
                meta={
                    "index": j,
                    "story_id": r.get("story_id"),
                    "example_id": r.get("example_id"),
                    "source": r.get("source"),
                },
            )
            for j, r in enumerate(read_jsonl(_FOLIO_TRAIN))
        ]
    raise DatasetError(
        f"unknown FOLIO subset {subset!r}; valid subsets: {', '.join(FOLIO_SUBSETS)}"
    )


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
        for k, r in enumerate(read_json(_PW_LOGICLM)):
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
                    meta={
                        "index": k,
                        "theory": theory,
                        "question_id": m.group("q"),
                        "theory_max_depth": int(dm.group(1)) if dm else None,
                    },
                )
            )
        return items
    if subset == "linc360":
        return [
            EntailmentItem(
                id=f"PW360_{r['linc_index']}",
                premises=strs(r["premises"]),
                conclusion=str(r["question"]).strip(),
                label=normalize_label(r["answer"]),
                meta={
                    "linc_index": int(r["linc_index"]),
                    "depth": int(r["QDep"]),
                    "pw_theory_id": r.get("pw_theory_id"),
                },
            )
            for r in sorted(read_jsonl(_PW_LINC), key=lambda r: r["linc_index"])
        ]
    raise DatasetError(
        f"unknown ProofWriter subset {subset!r}; valid subsets: {', '.join(PROOFWRITER_SUBSETS)}"
    )


# --------------------------------------------------------------------------- dispatch

DATASETS: dict[str, tuple[str, ...]] = {
    "folio": FOLIO_SUBSETS,
    "proofwriter": PROOFWRITER_SUBSETS,
    "logiqa": LOGIQA_SPLITS,
    "logiqa2": ("<path>",),
}


def load(
    dataset: str, subset: str | None = None, *, path: str | os.PathLike[str] | None = None
) -> list[Item]:
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
        raise DatasetError(
            f"unknown subset {subset!r} for {name}; valid subsets: {', '.join(DATASETS[name])}"
        )
    if name == "folio":
        return list(load_folio(sub))
    if name == "proofwriter":
        return list(load_proofwriter(sub))
    return list(load_logiqa(sub))


def verify_checksums() -> dict[str, bool]:
    """Check the vendored files against ``data/SHA256SUMS``; returns {relative path: ok}."""
    import hashlib

    result = {}
    for line in path_of("SHA256SUMS").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, rel = line.split(maxsplit=1)
        rel = rel.lstrip("*")
        p = DATA_DIR / rel
        result[rel] = p.is_file() and hashlib.sha256(p.read_bytes()).hexdigest() == digest
    return result
