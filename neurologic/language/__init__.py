"""English, as the translation steps read it.

Sentences are split in :mod:`.sentences`, a text's individuals named in :mod:`.names`, closed-class
words and lemmas kept in :mod:`.lexicon`, and quantifier words read in :mod:`.quantifiers`."""
