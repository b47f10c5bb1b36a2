"""The run report on real (small) runs: main table, anchors, comparability, breakdowns, plots, errors."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from benchmarks import report
from benchmarks import run as runner
from benchmarks.anchors import ANCHORS
from benchmarks.anchors import anchors_for
from benchmarks.compare import compare
from tests.helpers import cnl_proofwriter_args


def _run(out, *args: str):
    assert runner.main([*args, "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two identical FOLIO gold runs, one with a changed temperature, a ProofWriter-360 run and
    a multiple-choice (LogiQA-shaped) run written by hand."""
    base = tmp_path_factory.mktemp("runs")
    folio = ("--dataset", "folio", "--translations", "gold", "--limit", "6")
    a = _run(base / "folio-a", *folio)
    b = _run(base / "folio-b", *folio)
    hot = base / "folio-hot"
    shutil.copytree(a, hot)
    results = json.loads((hot / "results.json").read_text())
    sampling = results["manifest"].setdefault("sampling", {})
    sampling["temperature"] = 0.3 if sampling.get("temperature") == 0.9 else 0.9
    (hot / "results.json").write_text(json.dumps(results))
    pw = _run(base / "pw", *cnl_proofwriter_args("linc360", 12))
    return {"a": a, "b": b, "hot": hot, "pw": pw, "mc": _choice_run(base / "logiqa")}


def _choice_run(out):
    """A LogiQA-shaped run: option indices for gold/prediction, a fallback and a no-answer item."""
    out.mkdir()
    records = [
        {
            "id": "q0",
            "gold": 2,
            "prediction": 2,
            "correct": True,
            "method": "symbolic",
            "confidence": 1.0,
            "distribution": [0, 0, 1, 0],
            "meta": {"types": ["Categorical"]},
            "elapsed_s": 0.5,
            "usage": {"prompt_tokens": 100, "completion_tokens": 10},
        },
        {
            "id": "q1",
            "gold": 0,
            "prediction": 3,
            "correct": False,
            "method": "fallback",
            "confidence": 0.4,
            "distribution": [0.2, 0.1, 0.3, 0.4],
            "meta": {"types": ["Categorical", "Disjunctive"]},
            "elapsed_s": 1.5,
            "usage": {"prompt_tokens": 300, "completion_tokens": 30},
        },
        {
            "id": "q2",
            "gold": 3,
            "prediction": None,
            "correct": False,
            "method": "none",
            "confidence": 0.0,
            "distribution": [],
            "meta": {"types": ["Disjunctive"]},
            "elapsed_s": 2.5,
            "usage": {},
        },
    ]
    (out / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    results = {
        "dataset": "logiqa",
        "subset": "test",
        "n": 3,
        "accuracy": 1 / 3,
        "correct": 1,
        "fallback_rate": 1 / 3,
        "config": {"dataset": "logiqa", "subset": "test", "provider": "openai:m"},
        "manifest": {"solver": "z3"},
        "usage": {"prompt_tokens": 400, "completion_tokens": 40},
    }
    (out / "results.json").write_text(json.dumps(results))
    return out


def _report(capsys, *args) -> str:
    assert report.main([str(a) for a in args]) == 0
    return capsys.readouterr().out


def _row(text: str, name: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(f"| {name} |"))
    return [c.strip() for c in line.strip("|").split("|")]


def test_main_table_matches_results_json(runs, capsys):
    text = _report(capsys, runs["a"], runs["pw"])
    for key in ("a", "pw"):
        results = json.loads((runs[key] / "results.json").read_text())
        row = _row(text, runs[key].name)
        assert row[1] == f"{results['dataset']}/{results['subset']}"
        assert row[2] == str(results["n"])
        assert row[3] == f"{100 * results['accuracy']:.1f}"
        fidelity = results.get("fidelity")
        assert row[4] == (report.faithful_cell(fidelity) if fidelity else "—")
        assert row[5] == f"{100 * results['executable_rate']:.1f}"
        assert row[6] == f"{100 * results['fallback_rate']:.1f}"
        assert row[7] == report.seconds(results["timing"]["per_item_median_s"])
        assert row[8] == "—"  # no model, no tokens
        assert row[13] == results["config"]["solver"]
    assert _row(text, "folio-a")[9] == "gold FOL (no model)"
    assert _row(text, "pw")[10] == "cnl"


def test_a_run_served_by_the_call_cache_is_marked_warm(runs, capsys, tmp_path):
    warm = tmp_path / "folio-warm"
    shutil.copytree(runs["a"], warm)
    results = json.loads((warm / "results.json").read_text())
    results["usage"] = {
        "model_calls": 3,
        "cache_hits": 40,
        "prompt_tokens": 10,
        "completion_tokens": 1,
    }
    (warm / "results.json").write_text(json.dumps(results))
    text = _report(capsys, runs["a"], warm)
    assert (
        _row(text, "folio-warm")[7]
        == report.seconds(results["timing"]["per_item_median_s"]) + " (warm)"
    )
    assert "(warm)" not in _row(text, "folio-a")[7]
    assert "not a cold timing" in text
    assert not report.served_from_cache({"model_calls": 40, "cache_hits": 3})


def test_anchors_only_on_matching_dataset_and_subset(runs, capsys):
    text = _report(capsys, runs["a"], runs["pw"])
    folio = text.split("### folio/all")[1].split("###")[0]
    pw = text.split("### proofwriter/linc360")[1].split("##")[0]
    assert "78.92" in folio and "70.58" in folio and "Pan et al." in folio
    assert "LINC" not in folio and "72.53" not in folio
    assert "98.33" in pw and "82.50" in pw and "Olausson et al." in pw
    assert "Logic-LM" not in pw and "79.66" not in pw
    assert "Not the same items" in folio  # 6 of 204
    assert anchors_for("folio", "linc182") and not anchors_for("folio", "train")
    assert all(a.accuracy <= 100 and a.source for a in ANCHORS)


def test_temperature_change_is_not_comparable_identical_stacks_are(runs, capsys):
    text = _report(capsys, runs["a"], runs["b"], runs["hot"])
    assert _row(text, "folio-a")[-1] == "reference"
    assert _row(text, "folio-b")[-1] == "yes"
    assert _row(text, "folio-hot")[-1] == "no ¹"
    note = text.split("¹ `folio-hot` vs `folio-a`:")[1].split("##")[0]
    assert "`manifest.sampling.temperature`" in note
    assert note.count("→") == 1  # the only difference


def test_compare_rules():
    base = {
        "manifest": {
            "git_commit": "abc",
            "machine": {"os": "Linux-1"},
            "provider": {"path": "/a/w.gguf", "sha256": "ff"},
        },
        "config": {"solver": "z3", "base_url_given": False},
    }
    other = json.loads(json.dumps(base))
    other["manifest"].update(git_commit="def", started_at="2026-01-01", machine={"os": "Linux-2"})
    other["manifest"]["provider"]["path"] = "/b/w.gguf"
    other["config"].update(base_url_given=True, timeout_s=5.0)
    stack, code = compare(base, other)
    assert stack == [("config.timeout_s", "(absent)", 5.0)]
    assert code == [("manifest.git_commit", "abc", "def")]
    base["manifest"]["code"] = {"sha256": "c0de", "files": 90}
    other["manifest"]["code"] = {"sha256": "c0de", "files": 90}
    assert compare(base, other)[1] == []  # another commit, the same inference code
    other["manifest"]["code"] = {"sha256": "c0df", "files": 90}
    assert compare(base, other)[1] == [
        ("manifest.code.sha256", "c0de", "c0df"),
        ("manifest.git_commit", "abc", "def"),
    ]
    other["manifest"]["provider"]["sha256"] = "00"
    stack, _ = compare(base, other)
    assert {k for k, _, _ in stack} == {
        "config.timeout_s",
        "manifest.provider.path",
        "manifest.provider.sha256",
    }


def test_question_types_as_list_dict_or_string():
    records = [
        {"correct": True, "meta": {"type": {"Sufficient": True, "Necessary": False}}},
        {"correct": False, "meta": {"type": {"Sufficient": True, "Necessary": True}}},
        {"correct": True, "meta": {"type": "Necessary"}},
    ]
    key = report.question_type_key(records)
    assert key == "meta.type"
    rows = {r["value"]: (r["n"], r["correct"]) for r in report.accuracy_by(records, key)}
    assert rows == {"Necessary": (2, 1), "Sufficient": (2, 1)}


def test_per_depth_table_for_proofwriter(runs, capsys):
    text = _report(capsys, runs["pw"])
    records = [json.loads(line) for line in (runs["pw"] / "samples.jsonl").read_text().splitlines()]
    depths = sorted({r["meta"]["depth"] for r in records})
    assert "Per proof depth:" in text
    table = text.split("Per proof depth:")[1]
    for depth in depths:
        n = sum(1 for r in records if r["meta"]["depth"] == depth)
        assert f"| {depth} | {n} |" in table


def test_multiple_choice_records_render_letters(runs, capsys):
    text = _report(capsys, runs["mc"])
    row = _row(text, "logiqa")
    assert row[1] == "logiqa/test" and row[3] == "33.3" and row[4] == "—" and row[5] == "—"
    assert row[8] == "147"  # (400 + 40) / 3 tokens
    assert row[7] == "1.5 s"  # median elapsed_s from the records
    assert "Per option (gold and predicted as letters):" in text
    assert "| A | 1 | 0 | 0.0 | 0 |" in text
    assert "| C | 1 | 1 | 100.0 | 1 |" in text
    assert "| D | 1 | 0 | 0.0 | 1 |" in text
    assert "| none | — | — | — | 1 |" in text
    assert "| Categorical | 2 | 1 | 50.0 |" in text and "| Disjunctive | 2 | 0 | 0.0 |" in text
    assert "| fallback | 1 | 0 | 0.0 |" in text
    assert "86.00" in text  # LogiQA human ceiling on logiqa/test


def test_plots_are_png_files(runs, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out_md = tmp_path / "report.md"
    text = _report(
        capsys, runs["a"], runs["pw"], runs["mc"], "--plots", tmp_path / "plots", "--out", out_md
    )
    for name in ("accuracy.png", "proofwriter_depth.png"):
        data = (tmp_path / "plots" / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000
        assert f"](plots/{name})" in text
    assert out_md.read_text() == text


def test_no_depth_plot_without_proofwriter(runs, tmp_path):
    pytest.importorskip("matplotlib")
    written = report.write_plots([report.load_run(runs["a"])], tmp_path)
    assert [p.name for p in written] == ["accuracy.png"]


def test_missing_matplotlib_is_one_clear_line(runs, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    for name in [m for m in sys.modules if m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    assert report.main([str(runs["a"]), "--plots", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and 'pip install "neurologic[plots]"' in err


def test_bad_input_exits_2_naming_the_path(tmp_path, capsys):
    assert report.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "results.json") in err and "Traceback" not in err and err.count("\n") == 1
    (tmp_path / "results.json").write_text("{not json")
    assert report.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "results.json" in err and "not valid JSON" in err
    (tmp_path / "results.json").write_text("{}")
    (tmp_path / "samples.jsonl").write_text('{"id": 1}\n{torn')
    assert report.main([str(tmp_path)]) == 2
    assert "samples.jsonl, line 2" in capsys.readouterr().err
    assert report.main([str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_the_k_column_counts_the_saved_samples_a_resolved_run_voted(tmp_path):
    records = [{"id": "a", "samples": [{}] * 5}, {"id": "b", "samples": [{}] * 4}]

    def run(**config):
        return report.Run("r", tmp_path, {"config": config}, records)

    saved = {"translations": "runs/x/samples.jsonl", "samples": 1}
    assert report.samples_voted(run(**saved, vote="proof")) == "5 (proof)"
    assert report.samples_voted(run(**saved, first_samples=1)) == "1"
    assert report.samples_voted(run(translations=None, samples=3, vote="majority")) == "3"
    assert report.samples_voted(run(translations="gold", samples=1)) == "1"
    # one formalization per item whatever the sampling settings were: gold FOL, or the grammar alone
    assert report.samples_voted(run(translations="gold", samples=3, vote="proof")) == "1"
    assert report.samples_voted(run(parser="cnl", samples=3, vote="proof", provider=None)) == "1"
    assert (
        report.samples_voted(
            run(parser="cnl", samples=3, vote="proof", provider="llamacpp:embedded")
        )
        == "3 (proof)"
    )
