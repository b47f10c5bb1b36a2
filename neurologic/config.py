"""The Reasoner's options, written once: their types, defaults, choices, help texts and checks.

:class:`ReasonerConfig` is what ``Reasoner(**options)`` builds and ``Reasoner(config=...)`` takes.
The command line (``neurologic solve``) and the benchmark runner (``python -m benchmarks.run``)
build their flags from its fields (:mod:`neurologic.flags`: each option's type, default, allowed
names and help text), and a run's manifest records :meth:`ReasonerConfig.to_dict`.

>>> config = ReasonerConfig(samples=5, style="compact")
>>> config.declare, config.vote
('problem', 'proof')
>>> ReasonerConfig(parser="regex")
Traceback (most recent call last):
...
neurologic.config.ConfigError: parser: unknown parser 'regex'; choose one of hybrid, cnl, llm
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import ValidationError
from pydantic import ValidationInfo
from pydantic import field_validator
from pydantic import model_validator

from solvers import SOLVER_NAMES
from solvers.errors import NeurologicError

__all__ = [
    "DEBIAS_MODES",
    "DECLARE_MODES",
    "GROUNDING_MODES",
    "PARSERS",
    "SAMPLE_MORE",
    "STYLES",
    "VOTE_RULES",
    "ConfigError",
    "ReasonerConfig",
    "choices",
    "default",
    "describe",
]

PARSERS = ("hybrid", "cnl", "llm")
STYLES = ("turns", "compact")
DECLARE_MODES = ("premises", "problem")
VOTE_RULES = ("majority", "proof")
"""How sampled translations are voted on: ``"majority"`` (LINC's: every executable sample one
vote) or ``"proof"`` (Uncertain is the absence of a proof: the samples that prove or refute the
conclusion vote, and it is Uncertain only when none does)."""
SAMPLE_MORE = ("always", "undecided")
"""When the samples after the first are drawn: ``"always"``, or only when the first (greedy)
translation, after refinement and its readings, leaves the conclusion undecided."""
GROUNDING_MODES = ("off", "redraw", "grammar")
"""How a translated line is held to its sentence's words (:mod:`neurologic.language.licensing`):
``"off"`` (an ungrounded line a proof uses is only reported), ``"redraw"`` (such a line is
redrawn like one that fails its check, and a reading of the conclusion must be grounded in it),
``"grammar"`` (as redraw, and where the provider takes a grammar a line's grammar offers only
the predicates its sentence licenses, so a grounded line costs no extra call)."""
DEBIAS_MODES = (
    "none",
    "content_free",
    "cyclic",
    "cyclic+content_free",
    "rotate2",
    "rotate2+content_free",
    "pmi",
    "rotate2+pmi",
)
"""How the fallback's option scores are debiased (:mod:`neurologic.fallback`)."""


class ConfigError(NeurologicError, ValueError):
    """An option of the Reasoner has a value it cannot take; the message names the option."""


def _choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(choices)}")
    return value


_CALLED: dict[str, str] = {
    "parser": "parser",
    "style": "translation style",
    "vote": "vote rule",
    "sample_more": "sample_more",
    "debias": "debias mode",
    "grounding": "grounding mode",
}
"""The options a field validator holds to their names (:func:`choices`): what each is called in
an error."""


class ReasonerConfig(BaseModel):
    """Every option of the :class:`~neurologic.Reasoner`, validated once, immutable.

    ``provider`` and ``solver`` may be given as objects (a :class:`Provider`, a
    :class:`solvers.Solver`) or by name; :meth:`to_dict` records their names. Options the
    Reasoner does not know are provider options (``base_url=...``), passed to ``get_provider``
    when ``provider`` is a spec string."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    provider: Any = Field(
        None,
        description=(
            "The LLM: a Provider or a spec (llamacpp:embedded | llamacpp:/path.gguf | openai:MODEL "
            "...); None allows only solve_fol and the controlled-English parser."
        ),
    )
    solver: Any = Field(
        "z3",
        description=(
            "z3 | prover9 | portfolio | forward (ProofWriter's rule-base reading) | rulebase "
            "(forward, then z3 outside its fragment), or a solvers.Solver."
        ),
        json_schema_extra={"choices": SOLVER_NAMES},
    )
    samples: int = Field(
        3,
        ge=1,
        description=(
            "Translations voted per problem: the first is greedy, the rest drawn at the temperature "
            "(see sample_more)."
        ),
    )
    sample_more: str = Field(
        "undecided",
        description=(
            "always | undecided (the translations after the first are drawn only when the first "
            "leaves the conclusion undecided: a proof by the likeliest translation stands)."
        ),
        json_schema_extra={"choices": SAMPLE_MORE},
    )
    vote: str = Field(
        "proof",
        description=(
            "majority (every executable translation votes; LINC's rule) | proof (only those that "
            "prove or refute the conclusion vote while any does)."
        ),
        json_schema_extra={"choices": VOTE_RULES},
    )
    refine_rounds: int = Field(
        3, ge=0, description=("Rounds a failed translation is sent back with its exact error.")
    )
    temperature: float = Field(
        0.7,
        ge=0.0,
        description=("Sampling temperature of the translations after the first (which is greedy)."),
    )
    seed: int = Field(0, description="Sampling seed (sample k uses seed + k).")
    timeout_s: float = Field(10.0, gt=0.0, description="Seconds per solver call.")
    parser: str = Field(
        "hybrid",
        description=(
            "hybrid (the controlled-English grammar where it covers a sentence, the LLM elsewhere, "
            "one shared vocabulary) | cnl (the grammar only, no LLM) | llm (the LLM only)."
        ),
        json_schema_extra={"choices": PARSERS},
    )
    style: str = Field(
        "turns",
        description=(
            "turns (one sentence per model turn) | compact (every formula in one answer, "
            "properties declared without glosses: fewer calls and tokens)."
        ),
        json_schema_extra={"choices": STYLES},
    )
    declare: str | None = Field(
        None,
        description=(
            "What the symbol table is declared from: premises (the conclusion's own symbols just "
            "before its formula, so questions over the same premises share every request before it; "
            "the default with turns) | problem (every sentence at once; the default with compact)."
        ),
        json_schema_extra={"choices": DECLARE_MODES},
    )
    alternatives: int = Field(
        4,
        ge=0,
        description=(
            "With turns: a line that fails its check as it is written (it does not parse, clashes "
            "in its symbols or contradicts the premises before it) is replaced by the most probable "
            "of this many lines sampled for it that pass; 0: lines are not checked."
        ),
    )
    readings: int = Field(
        4,
        ge=0,
        description=(
            "With turns: when a translation's premises leave its conclusion undecided, this many "
            "more formulas are drawn for the conclusion and one the premises decide is kept; "
            "0: never."
        ),
    )
    grounding: str = Field(
        "off",
        description=(
            "off (a proof that uses a formula saying more than its sentence is only reported) | "
            "redraw (with turns, such a line is redrawn like one that fails its check, and a "
            "reading of the conclusion must use only the conclusion's words) | grammar (as redraw, "
            "and a line's grammar offers only the predicates its sentence's words license)."
        ),
        json_schema_extra={"choices": GROUNDING_MODES},
    )
    fallback: bool = Field(
        True,
        description=(
            "When no translation can be solved, answer from the model's debiased option scores "
            "(marked method='fallback')."
        ),
    )
    debias: str = Field(
        "rotate2",
        description=(
            "How the fallback's option scores are debiased: " + " | ".join(DEBIAS_MODES) + "."
        ),
        json_schema_extra={"choices": DEBIAS_MODES},
    )
    augment: bool = Field(
        False,
        description=("Add to the scored passage what follows from its conditionals by logic."),
    )
    provider_options: dict[str, Any] = Field(
        default_factory=dict,
        description=("Passed to get_provider when provider is a spec (base_url=..., n_ctx=...)."),
    )

    def __init__(self, **options: Any) -> None:
        try:
            super().__init__(**options)
        except ValidationError as error:
            raise ConfigError(_message(error)) from None

    @classmethod
    def of(cls, config: ReasonerConfig | None = None, **options: Any) -> ReasonerConfig:
        """``config`` with ``options`` changed (validated again), or a config built from
        ``options``; options the config does not know go to ``provider_options``."""
        fields = {} if config is None else config.fields()
        extra = {k: options.pop(k) for k in list(options) if k not in cls.model_fields}
        if extra:
            fields["provider_options"] = {**fields.get("provider_options", {}), **extra}
        return cls(**{**fields, **options})

    def fields(self) -> dict[str, Any]:
        """The options as given (objects kept), one entry per field."""
        return {name: getattr(self, name) for name in type(self).model_fields}

    def to_dict(self) -> dict[str, Any]:
        """The options as JSON-able values (a provider or solver object by its name)."""
        out = self.fields()
        for name in ("provider", "solver"):
            value = out[name]
            if value is not None and not isinstance(value, str):
                out[name] = getattr(value, "name", type(value).__name__)
        out["provider_options"] = {
            k: v if isinstance(v, (str, int, float, bool, type(None))) else repr(v)
            for k, v in self.provider_options.items()
        }
        return out

    @field_validator(*_CALLED)
    @classmethod
    def _one_of(cls, value: str, info: ValidationInfo) -> str:
        return _choice(_CALLED[info.field_name], value, choices(info.field_name) or ())

    @field_validator("solver")
    @classmethod
    def _solver(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _choice("solver", value, SOLVER_NAMES)
        if not callable(getattr(value, "entails", None)):
            raise ValueError(f"not a solver name or a solvers.Solver: {value!r}")
        return value

    @model_validator(mode="after")
    def _resolve_declare(self) -> ReasonerConfig:
        if self.declare is None:
            object.__setattr__(
                self, "declare", "problem" if self.style == "compact" else "premises"
            )
        else:
            _choice("declare mode", self.declare, DECLARE_MODES)
            if self.style == "compact" and self.declare == "premises":
                raise ValueError("declare='premises' needs style='turns' (one sentence per turn)")
        if self.style == "compact" and self.grounding != "off":
            raise ValueError(
                f"grounding={self.grounding!r} needs style='turns' (each line is "
                "checked against its sentence as it is written)"
            )
        return self


def _message(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem["loc"]) or "options"
        text = str(problem["msg"]).removeprefix("Value error, ")
        bounds = problem.get("ctx") or {}
        if problem["type"] == "extra_forbidden":
            text = "not an option of the Reasoner"
        elif problem["type"] == "greater_than_equal":
            text = f"must be {bounds['ge']} or more, not {problem['input']!r}"
        elif problem["type"] == "greater_than":
            text = f"must be more than {bounds['gt']}, not {problem['input']!r}"
        parts.append(f"{where}: {text}")
    return "; ".join(parts)


def default(option: str) -> Any:
    """The default value of a Reasoner option (as written in :class:`ReasonerConfig`)."""
    return ReasonerConfig.model_fields[option].get_default(call_default_factory=True)


def describe(option: str) -> str:
    """The help text of a Reasoner option."""
    return ReasonerConfig.model_fields[option].description or ""


def choices(option: str) -> tuple[str, ...] | None:
    """The names a Reasoner option takes (a solver also as an object), or None for an option
    that is not one of a few names."""
    extra = ReasonerConfig.model_fields[option].json_schema_extra
    return extra.get("choices") if isinstance(extra, dict) else None  # type: ignore[return-value]
