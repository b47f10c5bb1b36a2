"""The ``neurologic`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from solvers import SOLVER_NAMES, NeurologicError

from .config import ReasonerConfig, default, describe
from .reasoner import Reasoner
from .answer import Answer

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@app.callback()
def _main() -> None:
    """neurologic: faithful logical reasoning with theorem provers."""


@app.command()
def prove(
    conclusion: str = typer.Option(..., "--conclusion", "-c", help="The conclusion, as a formula."),
    premise: Optional[list[str]] = typer.Option(
        None, "--premise", "-p", help="A premise formula (repeatable)."
    ),
    premises_file: Optional[Path] = typer.Option(
        None, "--premises-file", "-f", help="One premise formula per line; '# sentence' after it."
    ),
    solver: str = typer.Option(default("solver"), help=describe("solver")),
    timeout: float = typer.Option(default("timeout_s"), help=describe("timeout_s")),
    as_json: bool = typer.Option(False, "--json", help="Print the whole Answer as JSON."),
) -> None:
    """Decide whether FOL premises entail a conclusion (True), its negation (False), or neither."""
    formulas, sentences = _gather_premises(premise, premises_file, solver)
    try:
        answer = Reasoner(solver=solver, timeout_s=timeout).solve_fol(
            formulas, conclusion, premises=[s or f for s, f in zip(sentences, formulas)]
        )
    except NeurologicError as error:
        _fail(str(error))
    _report(answer, as_json)


@app.command()
def solve(
    conclusion: str = typer.Option(..., "--conclusion", "-c", help="The conclusion, a sentence."),
    premise: Optional[list[str]] = typer.Option(
        None, "--premise", "-p", help="A premise sentence (repeatable)."
    ),
    premises_file: Optional[Path] = typer.Option(
        None, "--premises-file", "-f", help="One premise sentence per line."
    ),
    provider: str = typer.Option(
        "llamacpp:embedded", help="llamacpp:embedded | llamacpp:/path.gguf | openai:MODEL ..."
    ),
    base_url: Optional[str] = typer.Option(
        None, help="An OpenAI-compatible server (vLLM, Ollama, llama.cpp) for openai:MODEL."
    ),
    solver: str = typer.Option(default("solver"), help=describe("solver")),
    samples: int = typer.Option(default("samples"), min=1, help=describe("samples")),
    vote: str = typer.Option(default("vote"), help=describe("vote")),
    sample_more: str = typer.Option(default("sample_more"), help=describe("sample_more")),
    refine_rounds: int = typer.Option(
        default("refine_rounds"), min=0, help=describe("refine_rounds")
    ),
    parser: str = typer.Option(default("parser"), help=describe("parser")),
    fallback: bool = typer.Option(default("fallback"), help=describe("fallback")),
    style: str = typer.Option(default("style"), help=describe("style")),
    declare: Optional[str] = typer.Option(default("declare"), help=describe("declare")),
    alternatives: int = typer.Option(
        default("alternatives"), min=0, help=describe("alternatives")
    ),
    readings: int = typer.Option(default("readings"), min=0, help=describe("readings")),
    grounding: str = typer.Option(default("grounding"), help=describe("grounding")),
    as_json: bool = typer.Option(False, "--json", help="Print the whole Answer as JSON."),
) -> None:
    """Translate natural-language premises and a conclusion to logic with a language model,
    then decide with a theorem prover."""
    sentences, _ = _gather_premises(premise, premises_file, solver)
    options = {"base_url": base_url} if base_url else {}
    try:
        config = ReasonerConfig(
            provider=None if parser == "cnl" else provider, solver=solver, samples=samples,
            refine_rounds=refine_rounds, parser=parser, fallback=fallback, style=style,
            declare=declare, alternatives=alternatives, vote=vote, readings=readings,
            sample_more=sample_more, grounding=grounding, provider_options=options,
        )
        answer = Reasoner(config=config).solve(sentences, conclusion)
    except (NeurologicError, ValueError) as error:
        _fail(str(error))
    _report(answer, as_json)


@app.command()
def choose(
    question: str = typer.Option(..., "--question", "-q", help="The question."),
    option: list[str] = typer.Option(..., "--option", "-o", help="An answer option (repeat)."),
    context: Optional[str] = typer.Option(None, "--context", help="The passage, as text."),
    context_file: Optional[Path] = typer.Option(None, "--context-file", help="The passage, a file."),
    provider: str = typer.Option(
        "llamacpp:embedded", help="A model that can score options: llamacpp:... or openai:MODEL."
    ),
    base_url: Optional[str] = typer.Option(None, help="An OpenAI-compatible server."),
    solver: str = typer.Option(default("solver"), help=describe("solver")),
    parser: str = typer.Option(
        "cnl", help="How options are checked against the passage (here cnl by default: the "
        "grammar only, no translation calls): " + describe("parser")
    ),
    debias: str = typer.Option(default("debias"), help=describe("debias")),
    augment: bool = typer.Option(default("augment"), "--augment", help=describe("augment")),
    as_json: bool = typer.Option(False, "--json", help="Print the whole Answer as JSON."),
) -> None:
    """Answer a multiple-choice question about a passage: options a proof settles decide it,
    the model's debiased scores rank the rest."""
    passage = _read_context(context, context_file)
    if solver not in SOLVER_NAMES:
        _fail(f"unknown solver {solver!r}; choose one of {', '.join(SOLVER_NAMES)}")
    options = {"base_url": base_url} if base_url else {}
    try:
        config = ReasonerConfig(provider=provider, solver=solver, parser=parser, debias=debias,
                                augment=augment, provider_options=options)
        answer = Reasoner(config=config).choose(passage, question, option)
    except (NeurologicError, ValueError) as error:
        _fail(str(error))
    _report(answer, as_json)


def _read_context(context: Optional[str], context_file: Optional[Path]) -> str:
    if (context is None) == (context_file is None):
        _fail("give the passage with exactly one of --context or --context-file")
    if context_file is not None:
        try:
            return context_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            _fail(f"cannot read {context_file}: {error}")
    return context or ""


def _gather_premises(
    premise: Optional[list[str]], premises_file: Optional[Path], solver: str
) -> tuple[list[str], list[str | None]]:
    """Premises from the options and the file (each with its '# note'), checked non-empty,
    and the solver name checked."""
    texts, notes = list(premise or []), [None] * len(premise or [])
    if premises_file is not None:
        file_texts, file_notes = _read_premises(premises_file)
        texts += file_texts
        notes += file_notes
    if not texts:
        _fail("give premises with --premise or --premises-file")
    if solver not in SOLVER_NAMES:
        _fail(f"unknown solver {solver!r}; choose one of {', '.join(SOLVER_NAMES)}")
    return texts, notes


def _report(answer: Answer, as_json: bool) -> None:
    """Print the answer (explained, or as JSON); exit 1 when there is none."""
    if as_json:
        typer.echo(answer.model_dump_json(indent=2))
    else:
        typer.echo(answer.explain())
    if answer.label is None and answer.choice is None:
        raise typer.Exit(1)


def _read_premises(path: Path) -> tuple[list[str], list[str | None]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        _fail(f"cannot read {path}: {error}")
    formulas: list[str] = []
    sentences: list[str | None] = []
    for line in lines:
        formula, _, sentence = line.partition("#")
        if formula.strip():
            formulas.append(formula.strip())
            sentences.append(sentence.strip() or None)
    return formulas, sentences


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


if __name__ == "__main__":  # pragma: no cover
    app()
