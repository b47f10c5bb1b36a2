"""Published accuracies on the same items this project evaluates (the report's reference rows).

An anchor is shown beside a run only when ``dataset`` and ``subset`` both match: Logic-LM's
``folio/all`` and ``proofwriter/logiclm600``, LINC's ``folio/linc182`` and
``proofwriter/linc360``. Accuracies are percentages, as published, each checked against a copy
of its ``source``:

* Logic-LM, Table 2, GPT-4 column (without self-refinement; failures fall back to CoT).
* LINC: ``analysis/tables/core_results.csv`` of github.com/benlipkin/linc (commit 76af926),
  8-shot rows, fractions × 100 rounded to 2 decimals.
* LogiQA: the human ceiling on the English test set, from a summary of the paper (``n`` is None).

Numbers that could not be checked against a source copy are left out (LogiQA model baselines,
GPT-4 on LogiQA, Logic-LM with self-refinement on FOLIO).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    """One published accuracy (percent) of ``system`` with ``model`` on ``dataset``/``subset``."""

    system: str
    model: str
    dataset: str
    subset: str
    n: int | None
    accuracy: float
    source: str
    note: str = ""


_LOGIC_LM = "Pan et al. 2023, Logic-LM (Findings of EMNLP 2023), Table 2, GPT-4 column"
_LINC = (
    "Olausson et al. 2023, LINC (EMNLP 2023); github.com/benlipkin/linc "
    "analysis/tables/core_results.csv, 8-shot"
)
_LOGIQA = "Liu et al. 2020, LogiQA (IJCAI 2020), human performance on the test set"

ANCHORS: tuple[Anchor, ...] = (
    # Logic-LM: FOLIO v1 validation (204) and Logic-LM's ProofWriter depth-5 sample (600).
    Anchor(
        "Logic-LM",
        "GPT-4",
        "folio",
        "all",
        204,
        78.92,
        _LOGIC_LM,
        "no self-refinement; CoT fallback when not executable",
    ),
    Anchor("Standard prompting", "GPT-4", "folio", "all", 204, 69.11, _LOGIC_LM),
    Anchor("Chain-of-thought", "GPT-4", "folio", "all", 204, 70.58, _LOGIC_LM),
    Anchor(
        "Logic-LM",
        "GPT-4",
        "proofwriter",
        "logiclm600",
        600,
        79.66,
        _LOGIC_LM,
        "no self-refinement; CoT fallback when not executable",
    ),
    Anchor("Standard prompting", "GPT-4", "proofwriter", "logiclm600", 600, 52.67, _LOGIC_LM),
    Anchor("Chain-of-thought", "GPT-4", "proofwriter", "logiclm600", 600, 68.11, _LOGIC_LM),
    # LINC: 182 FOLIO validation items and a balanced 360 ProofWriter items.
    Anchor("LINC", "GPT-4 (gpt-4-0613)", "folio", "linc182", 182, 72.53, _LINC),
    Anchor("LINC", "GPT-3.5 (gpt-3.5-turbo-16k-0613)", "folio", "linc182", 182, 62.64, _LINC),
    Anchor("LINC", "StarCoder+ (15.5B)", "folio", "linc182", 182, 56.04, _LINC),
    Anchor("Chain-of-thought", "GPT-4 (gpt-4-0613)", "folio", "linc182", 182, 75.27, _LINC),
    Anchor(
        "Chain-of-thought",
        "GPT-3.5 (gpt-3.5-turbo-16k-0613)",
        "folio",
        "linc182",
        182,
        54.95,
        _LINC,
    ),
    Anchor("Chain-of-thought", "StarCoder+ (15.5B)", "folio", "linc182", 182, 41.76, _LINC),
    Anchor("Naive prompting", "GPT-4 (gpt-4-0613)", "folio", "linc182", 182, 69.78, _LINC),
    Anchor("LINC", "GPT-4 (gpt-4-0613)", "proofwriter", "linc360", 360, 98.33, _LINC),
    Anchor("LINC", "GPT-3.5 (gpt-3.5-turbo-16k-0613)", "proofwriter", "linc360", 360, 96.39, _LINC),
    Anchor("LINC", "StarCoder+ (15.5B)", "proofwriter", "linc360", 360, 82.50, _LINC),
    Anchor("Chain-of-thought", "GPT-4 (gpt-4-0613)", "proofwriter", "linc360", 360, 72.22, _LINC),
    Anchor(
        "Chain-of-thought",
        "GPT-3.5 (gpt-3.5-turbo-16k-0613)",
        "proofwriter",
        "linc360",
        360,
        43.61,
        _LINC,
    ),
    Anchor("Chain-of-thought", "StarCoder+ (15.5B)", "proofwriter", "linc360", 360, 38.61, _LINC),
    Anchor("Naive prompting", "GPT-4 (gpt-4-0613)", "proofwriter", "linc360", 360, 53.06, _LINC),
    # LogiQA v1 English test set (651 questions).
    Anchor("Human", "—", "logiqa", "test", None, 86.00, _LOGIQA, "ceiling, not a system"),
)


def anchors_for(dataset: str | None, subset: str | None) -> list[Anchor]:
    """The anchors measured on exactly ``dataset``/``subset`` (none when either is unknown)."""
    return [a for a in ANCHORS if a.dataset == dataset and a.subset == subset]
