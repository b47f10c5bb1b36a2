"""The ``neurologic`` command."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from solvers import SOLVER_NAMES
from solvers import NeurologicError

from .answer import Answer
from .config import ReasonerConfig
from .config import describe
from .fallback import check_options
from .flags import Flag
from .flags import flag
from .flags import reasoner_flags
from .reasoner import Reasoner

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
REASONER_PANEL = "Reasoner options"


def with_reasoner_flags(
    flags: Sequence[Flag], **changed: dict[str, Any]
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The command with ``flags`` (:mod:`neurologic.flags`) as typer options after its own, in
    their own help panel; it receives their values as one dict, its ``reasoner_options``.

    ``changed`` gives an option other typer settings on this command (``parser={"default":
    "cnl"}``). An option that is off by default is a bare switch (``--augment``); one that is
    on has its negation (``--fallback/--no-fallback``)."""

    def add_flags(command: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "reasoner_options"]
        added = [
            inspect.Parameter(
                f.option,
                inspect.Parameter.KEYWORD_ONLY,
                default=_typer_option(f, **changed.get(f.option, {})),
                annotation=f.type if f.default is not None else f.type | None,
            )
            for f in flags
        ]

        @functools.wraps(command)
        def run(**values: Any) -> None:
            chosen = {f.option: values.pop(f.option) for f in flags}
            command(**values, reasoner_options=chosen)

        run.__signature__ = signature.replace(parameters=own + added)  # type: ignore[attr-defined]
        return run

    return add_flags


def _typer_option(option: Flag, **settings: Any) -> Any:
    names = (
        [f"{option.flag}/--no-{option.flag[2:]}"]
        if option.type is bool and option.default
        else [option.flag]
    )
    if option.minimum is not None and option.type in (int, float):
        settings.setdefault("min", option.type(option.minimum))
    settings.setdefault("help", option.help)
    settings.setdefault("rich_help_panel", REASONER_PANEL)
    return typer.Option(settings.pop("default", option.default), *names, **settings)


@app.callback()
def _main() -> None:
    """neurologic: faithful logical reasoning with theorem provers."""


@app.command()
@with_reasoner_flags([flag("solver"), flag("timeout_s")])
def prove(
    conclusion: str = typer.Option(..., "--conclusion", "-c", help="The conclusion, as a formula."),
    premise: list[str] | None = typer.Option(
        None, "--premise", "-p", help="A premise formula (repeatable)."
    ),
    premises_file: Path | None = typer.Option(
        None, "--premises-file", "-f", help="One premise formula per line; '# sentence' after it."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the whole Answer as JSON."),
    *,
    reasoner_options: dict[str, Any],
) -> None:
    """Decide whether FOL premises entail a conclusion (True), its negation (False), or neither."""
    formulas, sentences = _gather_premises(premise, premises_file, reasoner_options["solver"])
    try:
        answer = Reasoner(**reasoner_options).solve_fol(
            formulas, conclusion, premises=[s or f for s, f in zip(sentences, formulas)]
        )
    except NeurologicError as error:
        _fail(str(error))
    _report(answer, as_json)


@app.command()
@with_reasoner_flags(reasoner_flags())
def solve(
    conclusion: str = typer.Option(..., "--conclusion", "-c", help="The conclusion, a sentence."),
    premise: list[str] | None = typer.Option(
        None, "--premise", "-p", help="A premise sentence (repeatable)."
    ),
    premises_file: Path | None = typer.Option(
        None, "--premises-file", "-f", help="One premise sentence per line."
    ),
    provider: str = typer.Option(
        "llamacpp:embedded", help="llamacpp:embedded | llamacpp:/path.gguf | openai:MODEL ..."
    ),
    base_url: str | None = typer.Option(
        None, help="An OpenAI-compatible server (vLLM, Ollama, llama.cpp) for openai:MODEL."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the whole Answer as JSON."),
    *,
    reasoner_options: dict[str, Any],
) -> None:
    """Translate natural-language premises and a conclusion to logic with a language model,
    then decide with a theorem prover."""
    sentences, _ = _gather_premises(premise, premises_file, reasoner_options["solver"])
    options = {"base_url": base_url} if base_url else {}
    try:
        config = ReasonerConfig(
            provider=None if reasoner_options["parser"] == "cnl" else provider,
            provider_options=options,
            **reasoner_options,
        )
        answer = Reasoner(config=config).solve(sentences, conclusion)
    except (NeurologicError, ValueError) as error:
        _fail(str(error))
    _report(answer, as_json)


@app.command()
@with_reasoner_flags(
    reasoner_flags(exclude=["fallback"]),  # the scores always rank what no proof settles
    parser={
        "default": "cnl",
        "help": "How options are checked against the passage (here cnl by "
        "default: the grammar only, no translation calls): " + describe("parser"),
    },
)
def choose(
    question: str = typer.Option(..., "--question", "-q", help="The question."),
    option: list[str] = typer.Option(..., "--option", "-o", help="An answer option (repeat)."),
    context: str | None = typer.Option(None, "--context", help="The passage, as text."),
    context_file: Path | None = typer.Option(None, "--context-file", help="The passage, a file."),
    provider: str = typer.Option(
        "llamacpp:embedded", help="A model that can score options: llamacpp:... or openai:MODEL."
    ),
    base_url: str | None = typer.Option(None, help="An OpenAI-compatible server."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole Answer as JSON."),
    *,
    reasoner_options: dict[str, Any],
) -> None:
    """Answer a multiple-choice question about a passage: options a proof settles decide it,
    the model's debiased scores rank the rest."""
    passage = _read_context(context, context_file)
    solver = reasoner_options["solver"]
    if solver not in SOLVER_NAMES:
        _fail(f"unknown solver {solver!r}; choose one of {', '.join(SOLVER_NAMES)}")
    options = {"base_url": base_url} if base_url else {}
    try:
        check_options(option)  # before the provider loads its model
        config = ReasonerConfig(provider=provider, provider_options=options, **reasoner_options)
        answer = Reasoner(config=config).choose(passage, question, option)
    except (NeurologicError, ValueError) as error:
        _fail(str(error))
    _report(answer, as_json)


def _read_context(context: str | None, context_file: Path | None) -> str:
    if (context is None) == (context_file is None):
        _fail("give the passage with exactly one of --context or --context-file")
    if context_file is not None:
        try:
            return context_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            _fail(f"cannot read {context_file}: {error}")
    return context or ""


def _gather_premises(
    premise: list[str] | None, premises_file: Path | None, solver: str
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
