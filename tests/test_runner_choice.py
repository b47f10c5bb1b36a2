"""The benchmark runner on multiple choice (LogiQA): records, metrics, cache, bad input."""

from __future__ import annotations

import json
import re

import pytest

from benchmarks import run as runner
from benchmarks import run_provider
from benchmarks.datasets import ChoiceItem
from benchmarks.metering import Metered
from benchmarks.metering import MeteredCache
from benchmarks.metrics import summarize
from benchmarks.run_provider import close_provider
from neurologic.providers.scripted import ScriptedProvider
from neurologic.reasoner import Reasoner
from tests.helpers import logiqa2_row


def _prefer_right(prompt, continuations):
    """Letter log-probabilities that favour the option whose text says "right"."""
    right = {m.group(1) for m in re.finditer(r"^([A-D])\. .*right", prompt, re.M)}
    return [0.0 if c.strip() in right else -3.0 for c in continuations]


def _no_generation(request, _sample):
    raise AssertionError("the runner test should not translate with the model")


ITEMS = [
    ChoiceItem(
        "q0",
        "Rex is a dog.",
        "Which is most plausible?",
        ("wrong", "right", "wrong", "wrong"),
        1,
        meta={"type": "plausible"},
    ),
    ChoiceItem(
        "q1",
        "Rex is a dog.",
        "Which is most plausible?",
        ("wrong", "wrong", "wrong", "right"),
        2,
        meta={"types": ["plausible", "other"]},
    ),
    ChoiceItem(
        "q2",
        "Every dog is an animal. Rex is a dog.",
        "Which of the following must be true?",
        ("Rex is a cat.", "Rex is an animal.", "Tom is a dog.", "Rex is a bird."),
        1,
    ),
]


def _run(out, cache=None):
    scripted = ScriptedProvider(_no_generation, score_fn=_prefer_right)
    provider = Metered(scripted) if cache is None else MeteredCache(scripted, cache)
    reasoner = Reasoner(provider=provider, solver="z3", parser="cnl", debias="cyclic")
    results = runner.run(
        ITEMS, None, reasoner, out, {"dataset": "logiqa", "subset": "t"}, quiet=True
    )
    close_provider(provider)
    return scripted, results, {r["id"]: r for r in map(json.loads, open(out / "samples.jsonl"))}


def test_choice_records_and_metrics(tmp_path):
    scripted, results, records = _run(tmp_path)
    q0, q1, q2 = records["q0"], records["q1"], records["q2"]
    assert (q0["gold"], q0["prediction"], q0["correct"], q0["method"]) == (1, 1, True, "fallback")
    assert not q0["executable"] and len(q0["distribution"]) == 4 and q0["confidence"] > 0.5
    assert (q1["prediction"], q1["correct"]) == (3, False)
    assert (q2["prediction"], q2["method"], q2["executable"]) == (1, "symbolic", True)
    assert q2["usage"]["model_calls"] == 0  # proved: no scoring
    assert q0["usage"]["model_calls"] == 4 and q0["usage"]["cache_hits"] == 0  # cyclic: 4 orders
    assert set(q0) >= {
        "id",
        "gold",
        "prediction",
        "correct",
        "executable",
        "method",
        "confidence",
        "distribution",
        "usage",
        "trace",
        "samples",
        "meta",
        "elapsed_s",
    }
    assert results["n"] == 3 and results["accuracy"] == pytest.approx(2 / 3, abs=1e-6)
    assert results["fallback_rate"] == pytest.approx(2 / 3, abs=1e-6)
    assert results["executable_rate"] == pytest.approx(1 / 3, abs=1e-6)
    assert results["per_label"]["B"] == {"n": 2, "correct": 2, "accuracy": 1.0, "predicted": 2}
    assert results["per_label"]["C"]["n"] == 1 and results["per_label"]["D"]["predicted"] == 1
    assert results["per_type"]["plausible"] == {"n": 2, "correct": 1, "accuracy": 0.5}
    assert results["per_type"]["other"]["n"] == 1
    assert results["usage"]["model_calls"] == 8 == len(scripted.score_calls)


def test_a_warm_cache_scores_nothing_again(tmp_path):
    _, first, records = _run(tmp_path / "a", cache=tmp_path / "cache")
    scripted, again, rerecords = _run(tmp_path / "b", cache=tmp_path / "cache")
    assert scripted.score_calls == [] and again["usage"]["model_calls"] == 0
    # q1's rotations are q0's prompts: already cached in the first run; 8 calls of 4 letters
    assert (first["usage"]["model_calls"], first["usage"]["cache_hits"]) == (4, 16)
    assert again["usage"]["cache_hits"] == 32
    assert {k: r["prediction"] for k, r in rerecords.items()} == {
        k: r["prediction"] for k, r in records.items()
    }


def test_entailment_summaries_have_no_per_type():
    record = {
        "gold": "True",
        "prediction": "True",
        "correct": True,
        "executable": True,
        "method": "symbolic",
        "samples": [],
        "elapsed_s": 0.1,
    }
    summary = summarize([record])
    assert "per_type" not in summary and set(summary["per_label"]) == {
        "True",
        "False",
        "Uncertain",
        "None",
    }


@pytest.fixture
def scripted_cli(monkeypatch):
    made = []

    def build(spec, **options):
        made.append(ScriptedProvider(_no_generation, score_fn=lambda prompt, c: [0.0] * len(c)))
        return made[-1]

    monkeypatch.setattr(run_provider, "get_provider", build)
    return made


def _scripted_uncached(out):
    """Runner flags: the scripted provider (see scripted_cli), no cache, quiet, written to `out`."""
    return [
        "--provider",
        "scripted:",
        "--parser",
        "cnl",
        "--no-cache",
        "--quiet",
        "--out",
        str(out),
    ]


def test_logiqa_from_the_command_line(tmp_path, scripted_cli):
    args = [
        "--dataset",
        "logiqa",
        "--provider",
        "scripted:",
        "--parser",
        "cnl",
        "--ids",
        "LogiQA_test_3,LogiQA_test_5",
        "--cache",
        str(tmp_path / "cache"),
        "--quiet",
    ]
    assert runner.main(args + ["--out", str(tmp_path / "a")]) == 0
    results = json.loads((tmp_path / "a" / "results.json").read_text())
    assert (
        results["n"] == 2
        and results["subset"] == "test"
        and set(results["per_label"]) >= set("ABCD")
    )
    records = [json.loads(line) for line in open(tmp_path / "a" / "samples.jsonl")]
    assert {r["id"] for r in records} == {"LogiQA_test_3", "LogiQA_test_5"}
    assert all(isinstance(r["gold"], int) and r["prediction"] in range(4) for r in records)
    assert results["config"]["translations"] is None and results["config"]["cache"] is True
    assert runner.main(args + ["--out", str(tmp_path / "b"), "--translations", "gold"]) == 0
    assert scripted_cli[1].score_calls == []  # a warm cache: no model call
    assert (
        runner.main(
            [
                "--dataset",
                "logiqa",
                "--subset",
                "eval",
                "--limit",
                "1",
                *_scripted_uncached(tmp_path / "c"),
            ]
        )
        == 0
    )
    assert [json.loads(line)["id"] for line in open(tmp_path / "c" / "samples.jsonl")] == [
        "LogiQA_eval_0"
    ]


def test_logiqa2_from_a_path(tmp_path, scripted_cli):
    data = tmp_path / "test.txt"
    rows = [
        logiqa2_row(
            7,
            2,
            "Some text.",
            "Which is best?",
            ["a", "b", "c", "d"],
            {"Categorical Reasoning": True},
        )
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    args = ["--dataset", "logiqa2", "--path", str(data), *_scripted_uncached(tmp_path / "out")]
    assert runner.main(args) == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["n"] == 1 and results["subset"] == "test.txt"
    assert results["per_type"] == {"Categorical Reasoning": {"n": 1, "correct": 0, "accuracy": 0.0}}


def test_bad_choice_arguments_are_clear_errors(tmp_path, capsys, scripted_cli):
    out = ["--out", str(tmp_path)]
    assert runner.main(["--dataset", "logiqa"] + out) == 2
    assert "needs --provider" in capsys.readouterr().err
    assert (
        runner.main(
            ["--dataset", "logiqa", "--provider", "scripted:", "--translations", "t.jsonl"] + out
        )
        == 2
    )
    assert "--translations does not apply" in capsys.readouterr().err
    assert runner.main(["--dataset", "logiqa2", "--provider", "scripted:"] + out) == 2
    assert "needs --path" in capsys.readouterr().err
    assert (
        runner.main(
            ["--dataset", "logiqa2", "--provider", "scripted:", "--path", str(tmp_path / "no")]
            + out
        )
        == 2
    )
    assert "not found" in capsys.readouterr().err
    assert (
        runner.main(["--dataset", "logiqa", "--subset", "dev", "--provider", "scripted:"] + out)
        == 2
    )
    assert "unknown subset" in capsys.readouterr().err


def _label_scores(prompt, continuations):
    """Letter log-probabilities that favour the option "Uncertain"."""
    uncertain = {m.group(1) for m in re.finditer(r"^([A-C])\. Uncertain", prompt, re.M)}
    return [0.0 if c.strip() in uncertain else -2.0 for c in continuations]


def test_saved_translations_re_solved_with_and_without_the_fallback(tmp_path):
    """Re-solving saved translations with a provider changes only the items no translation could
    decide; every symbolic prediction stays as it was, and the model never translates."""
    from benchmarks.datasets import load

    items = [i for i in load("folio", "all") if i.id in ("FOLIO_dev_0", "FOLIO_dev_1")]
    saved = {"FOLIO_dev_0": [(["P(a) Q"], "Q(a)")], "FOLIO_dev_1": [(["P(a)"], "P(a)")]}
    config = {"dataset": "folio", "subset": "all"}
    off = Reasoner(solver="z3")
    runner.run(items, saved, off, tmp_path / "off", config, quiet=True)
    scripted = ScriptedProvider(_no_generation, score_fn=_label_scores)
    on = Reasoner(provider=scripted, solver="z3")
    runner.run(items, saved, on, tmp_path / "on", config, quiet=True)

    def read(d):
        return {r["id"]: r for r in map(json.loads, open(tmp_path / d / "samples.jsonl"))}

    r_off, r_on = read("off"), read("on")
    assert r_off["FOLIO_dev_0"]["prediction"] is None and r_off["FOLIO_dev_0"]["method"] == "none"
    assert (r_on["FOLIO_dev_0"]["prediction"], r_on["FOLIO_dev_0"]["method"]) == (
        "Uncertain",
        "fallback",
    )
    assert r_off["FOLIO_dev_1"]["prediction"] == r_on["FOLIO_dev_1"]["prediction"] == "True"
    assert r_on["FOLIO_dev_1"]["method"] == "symbolic"
    assert scripted.requests == [] and len(scripted.score_calls) == 2  # one item, 2 orderings
