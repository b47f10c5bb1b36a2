"""Prover9's input, printed from the syntax tree with a per-problem symbol map.

The map (:class:`Prover9Names`) keeps Prover9's conventions from changing a formula's meaning:
free symbols starting with u–z are variables, only plain identifiers, one symbol per name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Sequence

from .fol import Const
from .fol import Exists
from .fol import Forall
from .fol import Formula
from .fol import Func
from .fol import Pred
from .fol import Var
from .fol import atoms_terms
from .fol import subformulas
from .fol import to_text

__all__ = ["MAX_MEGS", "Prover9Names", "render_input"]

MAX_MEGS = 1536
"""Prover9's own memory limit in MB; below the RLIMIT so Prover9 stops cleanly first."""

_APOSTROPHES = frozenset("'’‘`´")
_SPELLED = {"+": "plus", "&": "and", "@": "at", "*": "star", "=": "eq", "%": "pct", "#": "no"}
_RESERVED = frozenset({"all", "exists", "end_of_list", "formulas", "clauses", "label", "answer"})
_PREFIX = {"predicate": "p_", "function": "f_", "constant": "c_"}
_VARIABLE_START = frozenset("uvwxyz")
_SAFE_VARIABLE = re.compile(r"[u-z][A-Za-z0-9_]*")
_TOKEN = re.compile(r"[A-Za-z0-9_$]+")


def _sanitize(name: str) -> str:
    """ASCII letters, digits and single underscores only (``c++`` → ``c_plus_plus``)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch) or ch in _APOSTROPHES:
            continue
        if ch.isascii() and (ch.isalnum() or ch == "_"):
            out.append(ch)
        elif ch in _SPELLED:
            out.append(f"_{_SPELLED[ch]}_")
        elif ch.isalnum():
            out.append(f"_u{ord(ch):x}_")
        else:
            out.append("_")
    return re.sub(r"_+", "_", "".join(out)).strip("_")


class Prover9Names:
    """A per-problem, injective map from our symbol names to safe, readable Prover9 names.

    Variables keep their name when it already reads as a Prover9 variable (``x``, ``y1``),
    otherwise become ``x0, x1, …``. Predicates and functions keep their sanitized name.
    Constants keep theirs unless it would start with u–z or a digit, or clash, and then get
    ``c_``. Remaining clashes get ``_2, _3, …``. Call it as ``names(name, kind)``.
    """

    def __init__(self, formulas: Iterable[Formula]) -> None:
        self._map: dict[tuple[str, str], str] = {}
        self._used: set[str] = set()
        symbols = _collect_symbols(formulas)
        for name in symbols["variable"]:
            self._map[("variable", name)] = self._variable_name(name)
        for kind in ("predicate", "function", "constant"):
            for name in symbols[kind]:
                nullary = name in symbols["nullary"] if kind == "predicate" else kind == "constant"
                self._map[(kind, name)] = self._symbol_name(name, kind, nullary)

    def __call__(self, name: str, kind: str) -> str:
        try:
            return self._map[(kind, name)]
        except KeyError:
            raise KeyError(f"{kind} {name!r} does not occur in this problem") from None

    @property
    def renamed(self) -> dict[str, str]:
        """Prover9 name → our name, for every non-variable symbol whose name changed."""
        items = self._map.items()
        return {new: old for (kind, old), new in items if kind != "variable" and new != old}

    def restore(self, text: str) -> str:
        """Replace renamed symbols in ``text`` (an error message) by our names."""
        back = self.renamed
        return _TOKEN.sub(lambda m: back.get(m.group(0), m.group(0)), text)

    def _claim(self, candidate: str) -> str:
        name, n = candidate, 2
        while name in self._used:
            name, n = f"{candidate}_{n}", n + 1
        self._used.add(name)
        return name

    def _variable_name(self, name: str) -> str:
        clean = _sanitize(name)
        if _SAFE_VARIABLE.fullmatch(clean) and clean not in self._used:
            return self._claim(clean)
        n = 0
        while f"x{n}" in self._used:
            n += 1
        return self._claim(f"x{n}")

    def _symbol_name(self, name: str, kind: str, nullary: bool) -> str:
        clean = _sanitize(name)
        needs_prefix = (
            not clean
            or clean[0].isdigit()
            or clean in _RESERVED
            or (nullary and clean[0] in _VARIABLE_START)
            or (kind == "constant" and clean in self._used)
        )
        return self._claim(_PREFIX[kind] + clean if needs_prefix else clean)


def _collect_symbols(formulas: Iterable[Formula]) -> dict[str, dict[str, None]]:
    """Every symbol name by kind, in order of first appearance; ``nullary``: 0-ary predicates."""
    found: dict[str, dict[str, None]] = {
        k: {} for k in ("variable", "predicate", "function", "constant", "nullary")
    }
    for formula in formulas:
        for node in subformulas(formula):
            if isinstance(node, (Forall, Exists)):
                found["variable"][node.var] = None
            elif isinstance(node, Pred):
                found["predicate"][node.name] = None
                if not node.args:
                    found["nullary"][node.name] = None
        for term in atoms_terms(formula):
            if isinstance(term, Var):
                found["variable"][term.name] = None
            elif isinstance(term, Const):
                found["constant"][term.name] = None
            elif isinstance(term, Func):
                found["function"][term.name] = None
    return found


# --------------------------------------------------------------------------- input text

_OPTIONS = (
    "clear(auto_denials).",  # one proof is enough; do not hunt for one per negative clause
    "set(quiet).",
    "clear(echo_input).",
    "clear(print_initial_clauses).",
    "clear(print_given).",
    "clear(print_kept).",
)


def render_input(
    premises: Sequence[Formula],
    goal: Formula,
    names: Prover9Names,
    max_seconds: int,
    max_megs: int = MAX_MEGS,
) -> str:
    """Prover9 input: limits, quiet flags, labelled assumptions ``p<i>`` and the goal ``goal``."""
    lines = [f"assign(max_seconds, {max_seconds}).", f"assign(max_megs, {max_megs}).", *_OPTIONS]
    lines += ["", "formulas(assumptions)."]
    lines += [f"({to_text(p, 'prover9', names)}) # label(p{i})." for i, p in enumerate(premises)]
    lines += ["end_of_list.", "", "formulas(goals)."]
    lines += [f"({to_text(goal, 'prover9', names)}) # label(goal).", "end_of_list.", ""]
    return "\n".join(lines)
