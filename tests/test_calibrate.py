"""benchmarks.calibrate on real (scripted-provider) runner output: modes re-derived offline,
temperature fitted on one run and checked on another, reliability plot, clear errors."""

from __future__ import annotations

import json
import random
import re

import pytest

from benchmarks import calibrate
from benchmarks import run as runner
from benchmarks.datasets import ChoiceItem
from neurologic.fallback import DEBIAS_MODES
from neurologic.providers.scripted import ScriptedProvider
from neurologic.reasoner import Reasoner


def _noisy_letter_model(seed: int):
    """Favours letter "A" by 2 nats and the option saying "right" by 1 nat, plus noise."""
    rng = random.Random(seed)

    def score(prompt, continuations):
        right = {m.group(1) for m in re.finditer(r"^([A-D])\. .*right", prompt, re.M)}
        return [
            (2.0 if c.strip() == "A" else 0.0)
            + (1.0 if c.strip() in right else 0.0)
            + rng.gauss(0, 0.8)
            - 4.0
            for c in continuations
        ]

    return score


def _items(n: int, seed: int) -> list[ChoiceItem]:
    rng = random.Random(seed)
    items = []
    for i in range(n):
        gold = rng.randrange(4)
        options = tuple("right" if j == gold else f"wrong {j}" for j in range(4))
        items.append(ChoiceItem(f"q{i}", "A passage.", "Which is best?", options, gold))
    return items


def _run(out, seed: int, debias: str, n: int = 40):
    provider = ScriptedProvider(lambda r, s: "", score_fn=_noisy_letter_model(seed))
    reasoner = Reasoner(provider=provider, parser="cnl", debias=debias)
    runner.run(
        _items(n, seed), None, reasoner, out, {"dataset": "logiqa", "subset": "t"}, quiet=True
    )
    return out


def test_modes_fit_and_check(tmp_path, capsys):
    fit = _run(tmp_path / "fit", 1, "cyclic+content_free")
    check = _run(tmp_path / "check", 2, "cyclic+content_free")
    items = calibrate.scored_items(fit)
    modes = calibrate.accuracy_by_mode(items)
    # every letter mode is a subset of the four rotations; the pmi modes need option texts
    assert set(modes) == {m for m in DEBIAS_MODES if not m.endswith("pmi")}
    assert modes["cyclic"] > modes["none"]  # the letter bias costs accuracy; rotation removes it
    plot = tmp_path / "rel.png"
    assert (
        calibrate.main(
            ["--fit", str(fit), "--check", str(check), "--mode", "cyclic", "--plot", str(plot)]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "cyclic" and report["temperature"] > 0
    tables = report["calibration"]
    fitted = tables["check: check"]["ece"]
    assert fitted <= tables["check: check (T=1)"]["ece"] + 0.02
    if plot.exists():
        assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_single_ordering_run_cannot_be_read_as_cyclic(tmp_path):
    run = _run(tmp_path / "raw", 3, "none", n=5)
    items = calibrate.scored_items(run)
    assert set(calibrate.accuracy_by_mode(items)) == {"none"}
    with pytest.raises(calibrate.CalibrationError, match="cyclic"):
        calibrate.calibration_table(items, "cyclic", 1.0)


def test_same_items_cuts_every_run_to_the_ids_all_of_them_scored(tmp_path, capsys):
    big = _run(tmp_path / "big", 4, "rotate2", n=12)
    small = _run(tmp_path / "small", 4, "rotate2", n=5)  # the same items q0..q4, same scores
    assert calibrate.main(["--fit", str(big), "--check", str(small), "--same-items"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["calibration"]["fit: big"]["n"] == 5
    assert report["accuracy_by_mode"][str(big)] == report["accuracy_by_mode"][str(small)]
    disjoint = tmp_path / "disjoint"
    disjoint.mkdir()
    record = json.loads((small / "samples.jsonl").read_text().splitlines()[0])
    record["id"] = "elsewhere"
    (disjoint / "samples.jsonl").write_text(json.dumps(record) + "\n")
    assert calibrate.main(["--fit", str(big), "--check", str(disjoint), "--same-items"]) == 2
    assert "no item in common" in capsys.readouterr().err


def test_bad_directories_are_clear_errors(tmp_path, capsys):
    assert calibrate.main(["--fit", str(tmp_path / "nowhere")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "samples.jsonl").write_text(json.dumps({"id": "x", "gold": 1}) + "\n")
    assert calibrate.main(["--fit", str(tmp_path / "empty")]) == 2
    assert "letter log-probabilities" in capsys.readouterr().err


def test_written_temperature_is_found_by_the_reasoner(tmp_path, capsys, monkeypatch):
    from neurologic import fallback

    fit = _run(tmp_path / "fit", 4, "cyclic")
    target = tmp_path / "calibration.json"
    assert calibrate.main(["--fit", str(fit), "--write", "--file", str(target)]) == 0
    report = json.loads(capsys.readouterr().out)
    stored = json.loads(target.read_text())[report["written_key"]]
    assert stored["temperature"] == report["temperature"] and stored["debias"] == "cyclic"
    # the key is the model's identity + mode + templates: a Reasoner on the same provider finds it
    provider = ScriptedProvider(lambda r, s: "", score_fn=_noisy_letter_model(4))
    assert fallback.calibration_key(provider, "cyclic") == report["written_key"]
    monkeypatch.setattr(
        fallback.calibration, "_calibration_table", lambda: json.loads(target.read_text())
    )
    assert fallback.shipped_temperature(provider, "cyclic") == report["temperature"]
    assert Reasoner(provider=provider, debias="cyclic").scorer.temperature == report["temperature"]
    assert fallback.shipped_temperature(provider, "none") is None
