"""The GBNF formula grammar generated from a symbol table (no model needed)."""

import re

from neurologic.gbnf import MAX_NESTING
from neurologic.gbnf import MAX_QUANTIFIER_DEPTH
from neurologic.gbnf import formula_grammar
from neurologic.symbols import SymbolTable


def _levels(grammar: str) -> set[str]:
    return set(re.findall(r"^f(\d+-\d+) ::=", grammar, flags=re.MULTILINE))


def test_with_a_constant_every_level_has_a_rule():
    table = SymbolTable(
        predicates={"Big": (1, "x is big"), "Sees": (2, "x sees y")}, constants={"anne": "Anne"}
    )
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


def test_a_program_grammar_has_a_line_per_label_each_under_its_own_constants():
    from neurologic.gbnf import program_grammar

    with_rex = SymbolTable(predicates={"Dog": (1, "")}, constants={"rex": ""})
    nobody = SymbolTable(predicates={"Dog": (1, "")}, constants={})
    grammar = program_grammar([("P1", nobody), ("P2", "Dog(rex)"), ("P3", nobody), ("C", with_rex)])
    root = grammar.splitlines()[0]
    assert (
        root
        == 'root ::= "P1: " g0-f0-0 "\\n" "P2: Dog(rex)" "\\n" "P3: " g0-f0-0 "\\n" "C: " g1-f0-0'
    )
    assert 'g1-const ::= "rex"' in grammar and "g0-const" not in grammar  # P1/P3 must quantify
    defined = set(re.findall(r"^(\S+) ::=", grammar, flags=re.MULTILINE))
    used = set(re.findall(r"\b(g\d+-[a-z]+\d*(?:-\d+)?)\b", grammar))
    assert used <= defined
    # a prefix renames every rule and nothing else
    plain = "\n".join(line for line in grammar.splitlines()[1:] if line.startswith("g1-"))
    assert plain.replace("g1-", "") == "\n".join(formula_grammar(with_rex).splitlines()[2:])


def test_properties_can_be_declared_without_a_gloss():
    from neurologic.gbnf import symbol_table_grammar

    bare = symbol_table_grammar(5, 2, unary_glosses=False)
    assert 'pname "(x)\\n"' in bare and 'rel-args ::= "x, y" | "x, y, z"' in bare
    assert "args ::=" not in bare.replace("rel-args ::=", "")
    assert symbol_table_grammar(5, 2) == symbol_table_grammar(5, 2, unary_glosses=True)
    table = SymbolTable(
        predicates={"Dog": (1, "x is a dog"), "Likes": (2, "x likes y")}, constants={"rex": ""}
    )
    assert table.render(unary_glosses=False) == "Dog(x)\nLikes(x, y): x likes y\nconstants: rex"
