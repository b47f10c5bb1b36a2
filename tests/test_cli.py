"""The neurologic command on the shipped example and on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from neurologic.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "neurologic" / "examples" / "socrates.fol"
runner = CliRunner()


def test_prove_the_readme_example():
    result = runner.invoke(
        app, ["prove", "--premises-file", str(EXAMPLE), "--conclusion", "Mortal(socrates)"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("True — decided by a theorem prover")
    assert "All humans are mortal." in result.output and "Plato" not in result.output


def test_prove_json_and_uncertain():
    result = runner.invoke(
        app, ["prove", "-f", str(EXAMPLE), "-c", "Mortal(plato)", "--json", "--solver", "prover9"]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["label"] == "Uncertain" and answer["method"] == "symbolic"


def test_bad_input_is_a_clear_error_not_a_traceback(tmp_path):
    result = runner.invoke(app, ["prove", "-p", "P(a) Q(b)", "-c", "P(a)"])
    assert result.exit_code == 1 and "side by side" in result.output
    result = runner.invoke(app, ["prove", "-c", "P(a)"])
    assert result.exit_code == 2 and "give premises" in result.output
    result = runner.invoke(app, ["prove", "-f", str(tmp_path / "missing.fol"), "-c", "P(a)"])
    assert result.exit_code == 2 and "cannot read" in result.output
    result = runner.invoke(app, ["prove", "-p", "P(a)", "-c", "P(a)", "--solver", "vampire"])
    assert result.exit_code == 2 and "unknown solver" in result.output


def test_solve_with_the_controlled_english_parser_needs_no_model(tmp_path):
    sentences = tmp_path / "cats.txt"
    sentences.write_text("All cats are animals.\nTom is a cat.\nThe lamp is bright.\n")
    result = runner.invoke(
        app, ["solve", "-f", str(sentences), "-c", "Tom is an animal.", "--parser", "cnl"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("True — decided by a theorem prover")
    assert "All cats are animals." in result.output and "lamp" not in result.output
    outside = runner.invoke(
        app, ["solve", "-p", "Tom would have liked fish.", "-c", "Tom is a cat.", "--parser", "cnl"]
    )
    assert outside.exit_code == 1


def test_choose_settles_a_must_be_true_question_by_proof():
    result = runner.invoke(
        app,
        [
            "choose",
            "--context",
            "All cats are animals. Tom is a cat.",
            "--question",
            "Which of the following must be true?",
            "-o",
            "Tom is a dog.",
            "-o",
            "Tom is an animal.",
            "-o",
            "Tom is not a cat.",
            "--provider",
            "llamacpp:smollm2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert (answer["choice"], answer["method"]) == (1, "symbolic")


def test_choose_bad_input_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["choose", "-q", "Which?", "-o", "a", "-o", "b"])
    assert result.exit_code == 2 and "exactly one of --context or --context-file" in result.output
    missing = tmp_path / "nope.txt"
    result = runner.invoke(
        app, ["choose", "--context-file", str(missing), "-q", "Which?", "-o", "a", "-o", "b"]
    )
    assert result.exit_code == 2 and "cannot read" in result.output
    result = runner.invoke(app, ["choose", "--context", "Text.", "-q", "Which?", "-o", "only"])
    assert result.exit_code == 2 and "2 to" in result.output


def test_solve_takes_the_grounding_mode_the_readme_runs_and_names_a_bad_one(tmp_path):
    sentences = tmp_path / "cats.txt"
    sentences.write_text("All cats are animals.\nTom is a cat.\n")
    asked = ["solve", "-f", str(sentences), "-c", "Tom is an animal.", "--parser", "cnl"]
    result = runner.invoke(app, [*asked, "--grounding", "grammar"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("True — decided by a theorem prover")
    result = runner.invoke(app, [*asked, "--grounding", "strict"])
    assert result.exit_code == 2 and "grounding: unknown grounding mode 'strict'" in result.output
    result = runner.invoke(app, [*asked, "--grounding", "redraw", "--style", "compact"])
    assert result.exit_code == 2 and "needs style='turns'" in result.output


def _params(command):
    import typer.main

    return {p.name: p for p in typer.main.get_command(app).commands[command].params}


def test_solve_offers_every_reasoner_option_as_the_config_declares_it():
    from neurologic.flags import reasoner_flags

    params = _params("solve")
    for flag in reasoner_flags():
        param = params[flag.option]
        assert flag.flag in param.opts, flag.option
        assert (param.default, param.help) == (flag.default, flag.help), flag.option
    assert params["fallback"].secondary_opts == ["--no-fallback"]
    assert params["augment"].opts == ["--augment"] and not params["augment"].secondary_opts
    assert params["samples"].min == 1
    choose = _params("choose")
    assert "fallback" not in choose and choose["parser"].default == "cnl"
    assert set(_params("prove")) == {
        "conclusion",
        "premise",
        "premises_file",
        "as_json",
        "solver",
        "timeout_s",
    }


def test_the_generated_flags_reach_the_reasoner(tmp_path):
    asked = ["solve", "-p", "Tom is a cat.", "-c", "Tom is a cat.", "--parser", "cnl"]
    result = runner.invoke(app, [*asked, "--timeout", "0"])
    assert result.exit_code == 2 and "timeout_s: must be more than 0.0" in result.output
    result = runner.invoke(app, ["prove", "-p", "P(a)", "-c", "P(a)", "--timeout", "0"])
    assert result.exit_code == 2 and "timeout_s: must be more than 0.0" in result.output
