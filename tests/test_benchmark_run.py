"""The benchmark runner on gold FOL: accuracy bars, used-premise soundness, resume, bad input."""

from __future__ import annotations

import json

import pytest

from benchmarks import run as runner
from benchmarks.datasets import load_folio
from solvers import Verdict, get_solver, parse


@pytest.fixture(scope="module")
def gold_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("folio-gold")
    assert runner.main(["--dataset", "folio", "--translations", "gold", "--out", str(out), "--quiet"]) == 0
    return out


def test_gold_folio_meets_the_bar(gold_run):
    results = json.loads((gold_run / "results.json").read_text())
    assert results["n"] == 204
    assert results["executable_rate"] >= 0.995
    assert results["accuracy"] >= 0.955
    assert results["manifest"]["solver_versions"]["z3"]
    assert set(results["per_label"]) >= {"True", "False", "Uncertain"}
    assert results["timing"]["per_item_median_s"] > 0


def test_linc182_subset_is_solved_exactly(tmp_path):
    code = runner.main(
        ["--dataset", "folio", "--subset", "linc182", "--translations", "gold", "--out", str(tmp_path), "--quiet"]
    )
    assert code == 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["n"] == 182 and results["accuracy"] >= 0.99


@pytest.mark.parametrize("solver_name", ["z3", "prover9"])
def test_used_premises_alone_give_the_same_verdict_on_gold_folio(solver_name):
    solver = get_solver(solver_name)
    checked = 0
    for item in load_folio("all"):
        premises = [parse(t, repair=True).formula for t in item.premises_fol]
        goal = parse(item.conclusion_fol, repair=True).formula
        full = solver.entails(premises, goal, 10.0)
        if full.verdict not in (Verdict.TRUE, Verdict.FALSE):
            continue
        used = [premises[i] for i in full.used_premises]
        again = solver.entails(used, goal, 10.0)
        assert again.verdict == full.verdict, (item.id, full.used_premises)
        checked += 1
    assert checked > 100


def test_rerun_resumes_and_tolerates_a_torn_line(gold_run, tmp_path):
    lines = (gold_run / "samples.jsonl").read_text().splitlines(keepends=True)
    partial = tmp_path / "samples.jsonl"
    partial.write_text("".join(lines[:50]) + lines[50][:20])  # killed mid-write
    assert runner.main(["--dataset", "folio", "--translations", "gold", "--out", str(tmp_path), "--quiet"]) == 0
    ids = [json.loads(line)["id"] for line in partial.read_text().splitlines()]
    assert len(ids) == 204 and len(set(ids)) == 204


def test_saved_translations_are_re_solved_identically(gold_run, tmp_path):
    out = tmp_path / "again"
    code = runner.main(
        ["--dataset", "folio", "--translations", str(gold_run / "samples.jsonl"), "--out", str(out), "--quiet"]
    )
    assert code == 0
    before = {json.loads(l)["id"]: json.loads(l)["prediction"] for l in open(gold_run / "samples.jsonl")}
    after = {json.loads(l)["id"]: json.loads(l)["prediction"] for l in open(out / "samples.jsonl")}
    assert before == after


def test_translations_file_with_several_samples_votes(tmp_path):
    translations = tmp_path / "t.jsonl"
    rows = [
        {"id": "FOLIO_dev_0", "samples": [
            {"premises": ["P(a)"], "conclusion": "P(a)"},
            {"premises": ["broken("], "conclusion": "P(a)"},
            {"premises": ["P(a)"], "conclusion": "Q(a)"},
            {"premises": ["P(a)"], "conclusion": "P(a)"},
        ]},
    ]
    translations.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "out"
    args = ["--dataset", "folio", "--ids", "FOLIO_dev_0,FOLIO_dev_1", "--translations", str(translations)]
    assert runner.main(args + ["--out", str(out), "--quiet"]) == 0
    records = {json.loads(l)["id"]: json.loads(l) for l in open(out / "samples.jsonl")}
    assert records["FOLIO_dev_0"]["votes"] == {"True": 2, "Uncertain": 1}
    assert records["FOLIO_dev_0"]["prediction"] == "True"
    assert [s["status"] for s in records["FOLIO_dev_0"]["samples"]][1] == "parse_error"
    assert records["FOLIO_dev_1"]["missing_translation"] and records["FOLIO_dev_1"]["prediction"] is None
    results = json.loads((out / "results.json").read_text())
    assert results["n"] == 2 and results["executable_rate"] == 0.5


def test_bad_arguments_are_clear_errors(tmp_path, capsys):
    assert runner.main(["--dataset", "proofwriter", "--translations", "gold", "--out", str(tmp_path)]) == 2
    assert "no gold FOL" in capsys.readouterr().err
    assert runner.main(["--dataset", "folio", "--translations", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    assert runner.main(["--dataset", "folio", "--translations", str(bad), "--out", str(tmp_path)]) == 2
    assert "line 1" in capsys.readouterr().err
    assert runner.main(["--dataset", "folio", "--ids", "FOLIO_dev_9999", "--out", str(tmp_path)]) == 2
    assert "unknown ids" in capsys.readouterr().err


def test_provider_failures_are_recorded_per_item_and_the_run_goes_on(tmp_path):
    from neurologic.providers.base import ProviderTimeout
    from neurologic.providers.scripted import ScriptedProvider
    from neurologic.pipeline import Reasoner

    symbols = "Dog(x): x is a dog\nconstants: rex"
    provider = ScriptedProvider([ProviderTimeout("no answer in 60 s"), symbols, "Dog(rex)", "Dog(rex)"])
    one = runner.EntailmentItem(id="a", premises=("Rex is a dog.",), conclusion="Rex is a dog.", label="True")
    reasoner = Reasoner(provider=provider, solver="z3", parser="llm")
    results = runner.run([one, runner.EntailmentItem(id="b", premises=one.premises, conclusion=one.conclusion, label="True")],
                         {}, reasoner, tmp_path, {"dataset": "folio", "subset": "x"}, quiet=True)
    records = [json.loads(l) for l in open(tmp_path / "samples.jsonl")]
    assert records[0]["prediction"] is None and "ProviderTimeout" in records[0]["errors"][0]
    assert records[1]["prediction"] == "True"
    assert results["n"] == 2 and results["accuracy"] == 0.5
    assert results["manifest"]["provider"]["provider"] == "scripted"


def test_controlled_english_runs_proofwriter_with_no_model(tmp_path):
    code = runner.main(
        ["--dataset", "proofwriter", "--subset", "linc360", "--parser", "cnl", "--limit", "40",
         "--out", str(tmp_path), "--quiet"]
    )
    assert code == 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["n"] == 40 and results["accuracy"] >= 0.95
    assert results["usage"] == {"calls": 0} or results["usage"].get("calls", 0) == 0
    record = json.loads((tmp_path / "samples.jsonl").read_text().splitlines()[0])
    assert record["trace"][0]["step"] == "cnl" and all(record["trace"][0]["covered"])
