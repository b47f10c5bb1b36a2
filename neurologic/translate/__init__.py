"""Natural language -> formalizations, in steps a small model can get right.

1. **Symbols first.** The model declares predicates (arity, gloss) and constants, under
   :func:`gbnf.symbol_table_grammar` where the provider takes grammars; symbols the problem's
   words do not mention are dropped. With ``declare="premises"`` the conclusion declares its own
   symbols just before its formula, so questions over the same premises share every request
   before it.
2. **Formulas under the symbol table**, in one of two styles:

   * ``"turns"``: each sentence in its own turn, answered with one formula under
     :func:`gbnf.formula_grammar` (declared symbols only, bound variables, a token cap).
   * ``"compact"``: one answer holds every formula under :func:`gbnf.program_grammar`, with
     properties declared bare: fewer calls and tokens.

Remote providers get the same prompts without grammar. A line that fails goes back to the model
with its exact error (:meth:`refine_line`).

Modules: :mod:`.translator` (:class:`Translator`), :mod:`.conversation` (the turns and the program
text), :mod:`.grounding` (which symbols the words license), :mod:`.blocks` (the answers' text).
"""

from .blocks import split_block
from .conversation import Conversation
from .conversation import Line
from .conversation import LineCheck
from .conversation import ProgramText
from .conversation import SymbolsTurn
from .symbol_scope import WordsFinding
from .symbol_scope import grounded_line_symbols
from .symbol_scope import line_symbols
from .symbol_scope import relevant_symbols
from .symbol_scope import with_constants
from .symbol_scope import with_text_names
from .symbol_scope import words_check
from .symbol_scope import words_problem
from .translator import ESCALATED_TEMPERATURE
from .translator import Translator

__all__ = [
    "ESCALATED_TEMPERATURE",
    "Conversation",
    "Line",
    "LineCheck",
    "ProgramText",
    "SymbolsTurn",
    "Translator",
    "WordsFinding",
    "grounded_line_symbols",
    "line_symbols",
    "relevant_symbols",
    "split_block",
    "with_constants",
    "with_text_names",
    "words_check",
    "words_problem",
]
