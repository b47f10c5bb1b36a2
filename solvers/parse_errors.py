"""Why a text does not parse, said as what to write instead, and the mechanical repairs.

:func:`solvers.parse.parse` tries the repairs with ``repair=True``: a trailing period, unmatched
closing parentheses, a comma between two formulas."""

from __future__ import annotations

import re

from lark import Lark
from lark import Token
from lark.exceptions import LarkError
from lark.exceptions import UnexpectedCharacters
from lark.exceptions import UnexpectedEOF
from lark.exceptions import UnexpectedInput
from lark.exceptions import UnexpectedToken

from .errors import ParseError

__all__ = ["describe_error", "repair_once", "unreadable_construct"]

_TERMINAL_NAMES = {
    "QUANT": "a quantifier (∀ ∃ all exists)",
    "VARS_DOT": "a variable",
    "VAR": "a variable",
    "NAME": "a name",
    "NOT": "¬",
    "AND": "∧",
    "OR": "∨",
    "XOR": "⊕",
    "IMP": "→",
    "IFF": "↔",
    "EQ": "=",
    "NEQ": "≠",
    "CMP": "a comparison (< > ≤ ≥)",
    "NUMBER": "a number",
    "QUOTED": "a quoted name",
    "COLON": "':'",
    "LPAR": "'('",
    "RPAR": "')'",
    "COMMA": "','",
    "DOT": "'.'",
    "$END": "end of formula",
}


# --------------------------------------------------------------------------- errors

# fmt: off
_UNREADABLE: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"∈|∉|\bin\s*\{"), "set membership '∈'",
     "write membership as a predicate: Member(x, s), or a unary predicate such as Color(x)"),
    (re.compile(r"\{"), "a set '{…}'",
     "write one premise per member, or a predicate that holds of each member"),
    (re.compile(r"\["), "a list '[…]'",
     "write each element as its own constant and state what holds of each with ∧"),
    (re.compile(r"\.\.\.|…"), "an ellipsis '...'",
     "spell out every case the ellipsis stands for, joined with ∧ or ∨"),
    (re.compile(r"(?<![\w’'-])(?:[Ii]f|IF|[Tt]hen|THEN)(?![\w’'(-])"),
     "the English word 'if'/'then'",
     "write a conditional as A → B, with no English words outside names"),
)
# fmt: on


def unreadable_construct(text: str) -> ParseError | None:
    """A precise error for text that uses a construct with no first-order reading (lists,
    sets, ``∈``, ellipses, English ``If … then``), or ``None`` if it uses none of them.
    Quoted names are not searched."""
    unquoted = re.sub(r'"[^"\n]*"|“[^”\n]*”', lambda m: '"' + " " * (len(m[0]) - 2) + '"', text)
    for pattern, construct, instead in _UNREADABLE:
        match = pattern.search(unquoted)
        if match is not None:
            line = unquoted.count("\n", 0, match.start()) + 1
            column = match.start() - (unquoted.rfind("\n", 0, match.start()) + 1) + 1
            return ParseError(
                f"{construct} has no first-order reading",
                text=text,
                line=line,
                column=column,
                hint=instead,
            )
    return None


def describe_error(error: UnexpectedInput, text: str) -> ParseError:
    line = getattr(error, "line", None)
    column = getattr(error, "column", None)
    if line is None or line < 0:
        line, column = _end_position(text)
    if isinstance(error, UnexpectedCharacters):
        char = text[error.pos_in_stream] if 0 <= error.pos_in_stream < len(text) else "?"
        expected = _expected_names(error.allowed or ())
        return ParseError(
            f"unexpected character {char!r}",
            text=text,
            line=line,
            column=column,
            expected=expected,
            hint=_character_hint(char, expected),
        )
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        expected = _expected_names(getattr(error, "expected", ()) or ())
        line, column = _end_position(text)
        return ParseError(
            "the formula ends too early",
            text=text,
            line=line,
            column=column,
            expected=expected,
            hint=_eof_hint(text, expected),
        )
    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = _expected_names(error.expected or ())
    return ParseError(
        f"unexpected {str(token)!r}",
        text=text,
        line=line,
        column=column,
        expected=expected,
        hint=_token_hint(token, expected, text),
    )


def _expected_names(terminals) -> tuple[str, ...]:
    names = {_TERMINAL_NAMES.get(t, t) for t in terminals if not t.startswith("__")}
    return tuple(sorted(names))


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


def _character_hint(char: str, expected: tuple[str, ...]) -> str:
    if char == ")":
        return "there is a ')' without a matching '('; remove it"
    if char in ".;:":
        return f"remove the {char!r}; a formula is not a sentence and needs no punctuation"
    return (
        f"{char!r} is not part of the formula language; use ¬ ∧ ∨ ⊕ → ↔ ∀ ∃ = ≠ "
        "(or - & | -> <-> all exists != ) and names made of letters, digits and _"
    )


def _eof_hint(text: str, expected: tuple[str, ...]) -> str:
    missing = text.count("(") - text.count(")")
    if missing > 0:
        return f"{missing} '(' not closed; add {missing} ')' at the right place"
    return "an operator or quantifier is missing its formula on the right"


def _token_hint(token: Token, expected: tuple[str, ...], text: str) -> str:
    if token.type == "RPAR":
        return "there is a ')' without a matching '('; remove it"
    if str(token) in (".", ";", ":"):
        return _character_hint(str(token), expected)
    if token.type == "COMMA":
        return "',' only separates arguments inside P(a, b); join formulas with ∧"
    if token.type == "LPAR" and "a variable" in expected:
        return "a quantifier needs a variable: write ∀x (...) or all x.(...)"
    if token.type in ("NAME", "VAR", "VARS_DOT", "QUANT", "NOT", "LPAR"):
        return "two formulas stand side by side; join them with ∧, ∨ or →"
    if token.type in ("EQ", "NEQ"):
        return "= and ≠ compare terms (names), not formulas"
    return "an operator is missing an operand; check the formula around this point"


# --------------------------------------------------------------------------- repairs


def repair_once(text: str, parser: Lark) -> tuple[str, str] | None:
    """One repair step for a text that does not parse, or ``None`` if none applies."""
    stripped = text.rstrip()
    if stripped.endswith(".") and not stripped.endswith(".."):
        return stripped[:-1], "removed a trailing '.'"
    balance = _paren_balance(text)
    if balance < 0:
        trimmed = _drop_unmatched_closers(stripped)
        if trimmed is not None:
            return trimmed, f"removed {-balance} unmatched ')' at the end"
    if balance > 0:
        return stripped + ")" * balance, f"added {balance} missing ')' at the end"
    comma = _comma_between_formulas(text, parser)
    if comma is not None:
        return text[:comma] + " ∧ " + text[comma + 1 :], "read ',' between two formulas as '∧'"
    return None


def _paren_balance(text: str) -> int:
    return text.count("(") - text.count(")")


def _drop_unmatched_closers(text: str) -> str | None:
    """Remove the ')' that close nothing, if they are all at the end of the text."""
    level, unmatched = 0, []
    for i, ch in enumerate(text):
        if ch == "(":
            level += 1
        elif ch == ")":
            if level == 0:
                unmatched.append(i)
            else:
                level -= 1
    if not unmatched:
        # Count is off but every ')' matches: the extra ')' are the last ones overall.
        extra = -_paren_balance(text)
        if text.endswith(")" * extra):
            return text[: len(text) - extra]
        return None
    tail = text[unmatched[0] :]
    if set(tail.replace(" ", "")) <= {")"}:
        return text[: unmatched[0]].rstrip() + text[unmatched[-1] + 1 :]
    return None


def _comma_between_formulas(text: str, parser: Lark) -> int | None:
    """Position of the first ',' the parser rejected as joining two formulas."""
    try:
        parser.parse(text)
    except UnexpectedToken as error:
        if error.token.type == "COMMA":
            return error.token.start_pos
    except (LarkError, RecursionError):
        return None
    return None
