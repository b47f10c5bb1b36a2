"""The Reasoner's options as command-line flags, read from
:class:`~neurologic.config.ReasonerConfig`.

Each field becomes a :class:`Flag`: its flag name, type, default, allowed names, lower bound and
help text. The ``neurologic`` command (typer, :mod:`neurologic.cli`) and the benchmark runner
(argparse, ``benchmarks/run_options.py``) build their Reasoner flags from :func:`reasoner_flags`,
so a new option reaches both without being listed again.

>>> [f.flag for f in reasoner_flags()][:4]
['--solver', '--samples', '--sample-more', '--vote']
>>> timeout = flag("timeout_s")
>>> timeout.flag, timeout.type.__name__, timeout.default
('--timeout', 'float', 10.0)
>>> flag("samples").minimum, flag("parser").choices
(1, ('hybrid', 'cnl', 'llm'))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from typing import get_args

from .config import ReasonerConfig
from .config import choices
from .config import default
from .config import describe

__all__ = ["NOT_FLAGS", "Flag", "flag", "reasoner_flags"]

NOT_FLAGS = ("provider", "provider_options")
"""Options no flag of their own sets: each command names its model its own way (``--provider``,
``--base-url``)."""
_FLAG_NAMES = {"timeout_s": "--timeout"}
"""Options whose flag is not their name with dashes."""
_SCALARS = (bool, int, float, str)


@dataclass(frozen=True)
class Flag:
    """One Reasoner option as a command line offers it.

    ``type`` is what the flag's value is read as (an option a Python caller may also give as
    an object, the solver, is named on the command line); ``minimum`` is the field's lower
    bound (``ge``), None when it has none."""

    option: str
    flag: str
    type: type
    default: Any
    choices: tuple[str, ...] | None
    minimum: float | None
    help: str


def flag(option: str) -> Flag:
    """The flag of the Reasoner option ``option``."""
    field = ReasonerConfig.model_fields[option]
    minimum = next((m.ge for m in field.metadata if getattr(m, "ge", None) is not None), None)
    return Flag(
        option=option,
        flag=_FLAG_NAMES.get(option, "--" + option.replace("_", "-")),
        type=_value_type(field.annotation),
        default=default(option),
        choices=choices(option),
        minimum=minimum,
        help=describe(option),
    )


def reasoner_flags(*, exclude: Iterable[str] = ()) -> list[Flag]:
    """The flag of every Reasoner option but those in :data:`NOT_FLAGS` and ``exclude``, in the
    order :class:`ReasonerConfig` declares them."""
    left_out = {*NOT_FLAGS, *exclude}
    return [flag(name) for name in ReasonerConfig.model_fields if name not in left_out]


def _value_type(annotation: Any) -> type:
    """``bool``, ``int``, ``float`` or ``str``: the annotation, unwrapped from Optional; any
    other (an object or a name) is read as a name."""
    if annotation in _SCALARS:
        return annotation
    inner = [a for a in get_args(annotation) if a is not type(None)]
    return inner[0] if len(inner) == 1 and inner[0] in _SCALARS else str
