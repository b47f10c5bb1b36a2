"""The GBNF formula grammar generated from a symbol table (no model needed)."""

import re

from neurologic.gbnf import MAX_NESTING, MAX_QUANTIFIER_DEPTH, formula_grammar
from neurologic.symbols import SymbolTable


def _levels(grammar: str) -> set[str]:
    return set(re.findall(r"^f(\d+-\d+) ::=", grammar, flags=re.MULTILINE))


def test_with_a_constant_every_level_has_a_rule():
    table = SymbolTable(predicates={"Big": (1, "x is big"), "Sees": (2, "x sees y")},
                        constants={"anne": "Anne"})
    grammar = formula_grammar(table)
    assert len(_levels(grammar)) == (MAX_QUANTIFIER_DEPTH + 1) * (MAX_NESTING + 1)
    assert "⊥" not in grammar


def test_without_constants_no_level_is_offered_that_cannot_reach_an_atom():
    grammar = formula_grammar(SymbolTable(predicates={"Big": (1, "x is big")}, constants={}))
    levels = _levels(grammar)
    assert "0-0" in levels and "⊥" not in grammar
    # before any quantifier there is no term, so the deepest level with k=0 has nothing to write
    assert f"0-{MAX_NESTING}" not in levels
    # every level a rule mentions is defined
    used = set(re.findall(r"\bf(\d+-\d+)\b", grammar))
    assert used <= levels
