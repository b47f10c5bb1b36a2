"""GBNF grammars (llama.cpp) generated from our FOL language and a problem's symbol table.

Two grammars drive translation:

* :func:`symbol_table_grammar`: the declaration block (CamelCase predicates with 1–3 arguments
  and a gloss, none hiding a negation, then the constants).
* :func:`formula_grammar`: one formula in :mod:`solvers.parse`'s Unicode syntax, with only the
  declared predicates at their arities and the declared constants. Under *k* quantifiers only
  the first *k* variables (``x``, ``y``, ``z``, ``w``) may occur, so free variables and symbol
  drift cannot be written. Levels that reach no atom have no rule, lists and depth are bounded,
  and equality is left out, so decoding always ends.

Every output is still parsed and checked by our own parser afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .symbols import MAX_ARITY
from .symbols import VARIABLES
from .symbols import SymbolTable

MAX_QUANTIFIER_DEPTH = 3
MAX_NESTING = 4
MAX_CONJUNCTS = 5
MAX_DISJUNCTS = 4


def _lit(text: str) -> str:
    """A GBNF string literal."""
    return json.dumps(text, ensure_ascii=False)


def _alternatives(options: Sequence[str]) -> str:
    return " | ".join(options)


def symbol_table_grammar(
    max_predicates: int = 16, max_constants: int = 12, *, unary_glosses: bool = True
) -> str:
    """The declaration block: predicate lines, then one ``constants:`` line. With
    ``unary_glosses=False`` a property is declared bare (``Dog(x)``) and only relations carry a
    gloss, which says which argument is which (``Likes(x, y): x likes y``)."""
    pred_line = (
        r'pred-line ::= pname "(" args "): " gloss "\n"'
        if unary_glosses
        else r'pred-line ::= pname "(x)\n" | pname "(" rel-args "): " gloss "\n"'
        + "\n"
        + 'rel-args ::= "x, y" | "x, y, z"'
    )
    return "\n".join(
        [
            f'root ::= ("Symbols:\\n")? pred-line{{1,{max_predicates}}} [cC] "onstants: " consts "\\n"',
            pred_line,
            # CamelCase, not starting Not/Non + capital, nor Un + capital.
            'pname ::= [A-MO-TV-Z] tail | "N" ([a-np-zA-Z0-9] tail | "o" '
            '([a-mo-su-zA-Z0-9] tail | [nt] [a-z0-9] tail)?)? | "U" ([a-mo-zA-Z0-9] tail | '
            '"n" [a-z0-9] tail)?',
            "tail ::= [a-zA-Z0-9]{0,30}",
            *(['args ::= "x" | "x, y" | "x, y, z"'] if unary_glosses else []),
            r"gloss ::= [^\n]{1,80}",
            f'consts ::= "none" | cname (", " cname){{0,{max_constants - 1}}}',
            "cname ::= [a-z] [a-z0-9_]{1,30}",
        ]
    )


def formula_grammar(table: SymbolTable) -> str:
    """A single formula (one sentence's translation), optionally after its label (``P3: ``)."""
    return "\n".join(
        ["root ::= label? f0-0", 'label ::= ("P" [0-9]{1,2} | "C") ": "', *formula_rules(table)]
    )


def program_grammar(lines: Sequence[tuple[str, SymbolTable | str]]) -> str:
    """A whole program in one answer: a line ``LABEL: formula`` per ``(label, table)``, in
    order; each formula under its own table (:func:`formula_rules`), or, where a formula is
    already known (a string instead of a table), exactly that text. Lines whose tables name the
    same constants share their rules."""
    groups: dict[tuple[str, ...], str] = {}
    rules: list[str] = []
    parts: list[str] = []
    for index, (label, spec) in enumerate(lines):
        end = ' "\\n"' if index < len(lines) - 1 else ""
        if isinstance(spec, str):
            parts.append(f"{_lit(label + ': ' + spec)}{end}")
            continue
        key = tuple(spec.constants)
        if key not in groups:
            groups[key] = f"g{len(groups)}-"
            rules.extend(formula_rules(spec, prefix=groups[key]))
        parts.append(f"{_lit(label + ': ')} {groups[key]}f0-0{end}")
    return "\n".join([f"root ::= {' '.join(parts)}", *rules])


def formula_rules(table: SymbolTable, prefix: str = "") -> list[str]:
    """Rules ``fK-D``: formulas under K bound variables at parenthesis/quantifier depth D
    (every rule name after ``prefix``, so several tables' rules can share one grammar)."""
    p = prefix
    rules: list[str] = []
    by_arity: dict[int, list[str]] = {}
    for name, (arity, _) in table.predicates.items():
        if 1 <= arity <= MAX_ARITY:
            by_arity.setdefault(arity, []).append(name)
    for arity, names in sorted(by_arity.items()):
        rules.append(f"{p}pred{arity} ::= {_alternatives([_lit(n) for n in names])}")
    if table.constants:
        rules.append(f"{p}const ::= {_alternatives([_lit(c) for c in table.constants])}")
    # an atom needs a predicate and a term: a constant, or a variable once a quantifier binds one
    has_atoms = [
        bool(by_arity) and (bool(table.constants) or k > 0) for k in range(MAX_QUANTIFIER_DEPTH + 1)
    ]
    reachable = _reachable_levels(has_atoms)
    if (0, 0) not in reachable:
        raise ValueError("a formula grammar needs at least one predicate of arity 1 to 3")
    for k in range(MAX_QUANTIFIER_DEPTH + 1):
        terms = ([f"{p}const"] if table.constants else []) + [_lit(v) for v in VARIABLES[:k]]
        separator = ' ", " '
        atoms = (
            [
                f'{p}pred{arity} "(" {separator.join([f"{p}t{k}"] * arity)} ")"'
                for arity in sorted(by_arity)
            ]
            if terms
            else []
        )
        if terms:
            rules.append(f"{p}t{k} ::= {_alternatives(terms)}")
        if atoms:
            rules.append(f"{p}a{k} ::= {_alternatives(atoms)}")
        for d in range(MAX_NESTING + 1):
            if (k, d) in reachable:
                rules.extend(_level_rules(k, d, has_atoms[k], reachable, p))
    return rules


def _reachable_levels(has_atoms: Sequence[bool]) -> set[tuple[int, int]]:
    """The (quantifiers, depth) levels from which some atom can still be written. A level with
    none (a sentence naming no individual, before any quantifier, at the deepest nesting) gets
    no rule, so the model cannot descend through ``¬(`` into a formula it can never finish."""
    ok: set[tuple[int, int]] = set()
    for d in range(MAX_NESTING, -1, -1):
        for k in range(MAX_QUANTIFIER_DEPTH, -1, -1):
            if has_atoms[k] or (
                d < MAX_NESTING
                and ((k, d + 1) in ok or (k < MAX_QUANTIFIER_DEPTH and (k + 1, d + 1) in ok))
            ):
                ok.add((k, d))
    return ok


def _level_rules(
    k: int, d: int, has_atoms: bool, reachable: set[tuple[int, int]], p: str = ""
) -> list[str]:
    """Precedence levels for formulas with ``k`` bound variables at nesting depth ``d`` (only
    the ``reachable`` sub-levels are offered); rule names after the prefix ``p``."""
    name = f"{k}-{d}"
    units = [f"{p}a{k}"] if has_atoms else []
    if (k, d + 1) in reachable:
        units.append(f'"(" {p}f{k}-{d + 1} ")"')
    if (k + 1, d + 1) in reachable:
        var = VARIABLES[k]
        units.append(f'"∀{var} (" {p}f{k + 1}-{d + 1} ")"')
        units.append(f'"∃{var} (" {p}f{k + 1}-{d + 1} ")"')
    return [
        f'{p}f{name} ::= {p}i{name} (" ↔ " {p}i{name})?',
        f'{p}i{name} ::= {p}d{name} (" → " {p}d{name})?',
        f'{p}d{name} ::= {p}c{name} (" ∨ " {p}c{name}){{0,{MAX_DISJUNCTS - 1}}}'
        f' | {p}c{name} " ⊕ " {p}c{name}',
        f'{p}c{name} ::= {p}n{name} (" ∧ " {p}n{name}){{0,{MAX_CONJUNCTS - 1}}}',
        f'{p}n{name} ::= "¬" {p}u{name} | {p}u{name}',
        f"{p}u{name} ::= {_alternatives(units)}",
    ]
