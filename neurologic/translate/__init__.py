"""Natural language -> formalizations, in steps a small model can get right.

1. **Symbols first.** The model declares the problem's predicates (arity, gloss) and constants,
   under :func:`gbnf.symbol_table_grammar` where the provider supports grammars. Symbols that the
   problem's words do not mention (copied from the examples) are dropped. With
   ``declare="premises"`` the table comes from the premises alone and the conclusion lists its
   symbols in a turn just before its formula, so questions over the same premises share every
   request before it.
2. **Formulas under the symbol table**, in one of two styles:

   * ``"turns"``: continuing the same conversation, each sentence is sent on its own and
     answered with one formula under :func:`gbnf.formula_grammar` built from the table: only
     declared symbols at their arities, bound variables only, and a token cap per line, so no
     line can run away. A local model re-reads only the new turn.
   * ``"compact"``: one answer holds every formula (``P1: …`` to ``C: …``, the worked example's
     shape) under :func:`gbnf.program_grammar`, each line under its own table; and properties
     are declared bare (``Dog(x)``), only relations with a gloss. Two calls per program instead
     of one per sentence: fewer prompt tokens to read and to pay for, fewer tokens to write.

Remote providers get the same prompts (no grammar); everything is parsed by our own parser either
way, and a line that fails goes back to the model with its exact error (:meth:`refine_line`).

Modules: :mod:`.translator` (:class:`Translator`), :mod:`.conversation` (the turns and the program
text), :mod:`.grounding` (which symbols the words license), :mod:`.blocks` (the answers' text).
"""

from .blocks import split_block
from .conversation import Conversation, Line, LineCheck, ProgramText, SymbolsTurn
from .symbol_scope import (
    WordsFinding, grounded_line_symbols, line_symbols, relevant_symbols, with_constants,
    with_text_names, words_check, words_problem,
)
from .translator import ESCALATED_TEMPERATURE, Translator

__all__ = [
    "ESCALATED_TEMPERATURE", "Conversation", "Line", "LineCheck", "ProgramText", "SymbolsTurn",
    "Translator",
    "WordsFinding", "grounded_line_symbols", "line_symbols", "relevant_symbols", "split_block",
    "with_constants", "with_text_names", "words_check", "words_problem",
]
