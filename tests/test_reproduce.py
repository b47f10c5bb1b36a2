"""benchmarks.reproduce: a run's saved translations re-solved give its symbolic answers again."""

from __future__ import annotations

import json

from benchmarks import reproduce
from benchmarks import run as runner


def test_a_run_is_reproduced_and_a_changed_answer_is_caught(tmp_path, capsys):
    run = tmp_path / "runs" / "gold3"
    assert (
        runner.main(
            [
                "--dataset",
                "folio",
                "--translations",
                "gold",
                "--limit",
                "3",
                "--quiet",
                "--out",
                str(run),
            ]
        )
        == 0
    )
    assert reproduce.main([str(run), "--out", str(tmp_path / "a")]) == 0
    assert "gold3: 3/3 symbolic answers reproduced" in capsys.readouterr().out
    assert (
        reproduce.main([str(run), "--out", str(tmp_path / "b"), "--against", str(tmp_path / "a")])
        == 0
    )
    assert "0 differences" in capsys.readouterr().out
    assert (
        reproduce.main(
            [str(run), "--out", str(tmp_path / "d"), "--against", str(tmp_path / "nowhere")]
        )
        == 0
    )
    assert "not compared" in capsys.readouterr().out

    records = [json.loads(line) for line in (run / "samples.jsonl").read_text().splitlines()]
    records[0]["prediction"] = "False" if records[0]["prediction"] != "False" else "True"
    (run / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    assert reproduce.main([str(run), "--out", str(tmp_path / "c")]) == 1
    assert "2/3 symbolic answers reproduced" in capsys.readouterr().out


def test_differences_names_the_item_and_the_field():
    base = {"x": {"prediction": "True", "method": "symbolic", "samples": []}}
    other = {"x": {"prediction": "False", "method": "symbolic", "samples": []}}
    assert reproduce.differences(base, other) == ["x: prediction 'True' != 'False'"]
    assert reproduce.differences(base, {}) == ["x: missing"]
